// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: kernel buffer objects
 *
 * The driver needs GPU memory of its own at addresses only it chooses: the
 * firmware's sections and the queue interfaces and suspend buffers in the
 * MCU's VM, ring buffers, sync objects, profiling slots and heap contexts
 * in the kernel range of user VMs. Each of these uses says what it needs in
 * a &struct prc_kbo_desc (how the GPU may touch it, whether the CPU keeps a
 * view of it, where it goes), and prc_kbo_new() turns that into memory.
 *
 * A kbo is built address first: its range of the VM's kernel VA space is
 * claimed before any memory is allocated, so the cheap refusals (a fixed
 * VA that is taken or outside the kernel range) cost nothing. Then comes a
 * GEM object private to the VM (it shares the VM's reservation object, is
 * flagged PRC_GEM_KERNEL so reclaim never touches it, and userspace can
 * neither mmap nor export it), its GPU mapping over the whole range, whose
 * pages are allocated then and kept resident by the mapping, and last the
 * CPU view if one was asked for. A kbo that fails half-way is taken apart
 * by the same code that frees a finished one (prc_kbo_teardown()), which
 * undoes exactly the steps that were done.
 *
 * The kbo holds a reference to its VM, so a VM lives as long as the kernel
 * memory mapped in it; the mapping belongs to the kbo alone.
 */

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "device.h"
#include "gem.h"
#include "kbo.h"
#include "vm.h"

/* The VM_BIND map flags that give the GPU the access @gpu asks for. */
static u32 prc_kbo_map_flags(u32 gpu)
{
	u32 flags = 0;

	if (!(gpu & PRC_KBO_GPU_WRITE))
		flags |= DRM_PANTHOR_VM_BIND_OP_MAP_READONLY;
	if (!(gpu & PRC_KBO_GPU_EXEC))
		flags |= DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
	if (!(gpu & PRC_KBO_GPU_CACHED))
		flags |= DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED;
	return flags;
}

/*
 * Undo whatever prc_kbo_new() got done, newest step first. A mapping that
 * cannot be removed (no memory for the bookkeeping) keeps its VA range,
 * leaked rather than reused under a live mapping; the mapping holds a BO
 * reference of its own, so ours goes either way.
 */
static void prc_kbo_teardown(struct prc_kbo *kbo)
{
	struct prc_vm *vm = kbo->vm;
	bool leak = false;
	int ret;

	if (kbo->cpu)
		prc_gem_vunmap(kbo->mem);
	if (kbo->gpu_mapped) {
		ret = prc_vm_unmap_range(vm, prc_kbo_va(kbo), prc_kbo_size(kbo));
		leak = drm_WARN(&vm->pdev->base, ret, "%s at 0x%llx not unmapped (%d)\n",
				kbo->purpose, prc_kbo_va(kbo), ret);
	}
	if (kbo->mem)
		drm_gem_object_put(&kbo->mem->base);
	if (!leak)
		prc_vm_free_va(vm, &kbo->range);
	prc_vm_put(vm);
	kfree(kbo);
}

/**
 * prc_kbo_new() - make kernel memory in a VM, as a descriptor says
 * @vm: the VM (the MCU's or a user VM); the kbo takes a reference
 * @desc: what the memory is for; only read during the call
 *
 * Sleeps and allocates; see &struct prc_kbo for the locking rules.
 *
 * Return: the kbo, or an ERR_PTR(): -EINVAL for a bad descriptor (size 0,
 * unknown access bits, a fixed VA that is misaligned or outside the kernel
 * range), -ENOSPC when the fixed range is taken or no range is free,
 * -ENOMEM, -EINTR.
 */
struct prc_kbo *prc_kbo_new(struct prc_vm *vm, const struct prc_kbo_desc *desc)
{
	size_t size = PAGE_ALIGN(desc->size);
	struct prc_gem_object *mem;
	struct prc_kbo *kbo;
	void *cpu;
	int ret;

	if (!size || (desc->gpu & ~PRC_KBO_GPU_ALL))
		return ERR_PTR(-EINVAL);
	kbo = kzalloc(sizeof(*kbo), GFP_KERNEL);
	if (!kbo)
		return ERR_PTR(-ENOMEM);
	kbo->vm = prc_vm_get(vm);
	kbo->purpose = desc->purpose;

	ret = prc_vm_alloc_va(vm, desc->fixed ? desc->va : PRC_VM_KERNEL_AUTO_VA, size,
			      &kbo->range);
	if (ret)
		goto fail;
	mem = prc_gem_create(&vm->pdev->base, size, PRC_GEM_KERNEL | DRM_PANTHOR_BO_NO_MMAP,
			     prc_vm_root_obj(vm));
	if (IS_ERR(mem)) {
		ret = PTR_ERR(mem);
		goto fail;
	}
	kbo->mem = mem;
	ret = prc_vm_map_bo_range(vm, mem, 0, size, prc_kbo_va(kbo),
				  prc_kbo_map_flags(desc->gpu));
	if (ret)
		goto fail;
	kbo->gpu_mapped = true;

	if (desc->cpu_view) {
		cpu = prc_gem_vmap(mem);
		if (IS_ERR(cpu)) {
			ret = PTR_ERR(cpu);
			goto fail;
		}
		kbo->cpu = cpu;
		/* Whoever reads it first, CPU or GPU, must not see old data. */
		memset(cpu, 0, size);
	}
	return kbo;

fail:
	prc_kbo_teardown(kbo);
	return ERR_PTR(ret);
}

/**
 * prc_kbo_free() - unmap and free kernel memory
 * @kbo: the kbo; NULL and ERR_PTR() values are ignored
 *
 * Drops the CPU view, unmaps the memory from its VM (with a TLB flush if
 * the VM is bound to a slot: the GPU must be done with it), and releases
 * the VA range and the references to the BO and the VM.
 */
void prc_kbo_free(struct prc_kbo *kbo)
{
	if (!IS_ERR_OR_NULL(kbo))
		prc_kbo_teardown(kbo);
}
