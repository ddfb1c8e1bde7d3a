// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: kernel buffer objects
 *
 * The driver needs GPU memory of its own at addresses only it chooses: the
 * firmware's sections and the queue interfaces and suspend buffers in the
 * MCU's VM, ring buffers, sync objects and heap chunks in the kernel range
 * of user VMs. A kernel BO (&struct prc_kbo) bundles the three steps: a
 * GEM object private to the VM (it shares the VM's reservation object, is
 * flagged PRC_GEM_KERNEL so reclaim never touches it and userspace can
 * neither mmap nor export it), a range of the VM's kernel VA space
 * (prc_vm_alloc_va(), fixed or automatic) and the GPU mapping of the whole
 * BO there (prc_vm_map_bo_range()). The kbo holds a reference to the VM,
 * so a VM lives as long as the kernel objects mapped in it; its mapping
 * belongs to the kbo alone and goes away with prc_kbo_destroy().
 *
 * The pages are allocated, pinned for the duration of the map, when the
 * mapping is made; afterwards the GPU mapping keeps them resident. A kernel
 * mapping for the CPU is made on request (prc_kbo_vmap()) and kept until
 * prc_kbo_vunmap() or destruction.
 */

#include <linux/err.h>
#include <linux/slab.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "device.h"
#include "gem.h"
#include "kbo.h"
#include "vm.h"

/**
 * prc_kbo_create() - create a kernel BO and map it in a VM
 * @pdev: the device
 * @vm: the VM to map it in (the MCU's or a user VM); a reference is taken
 * @size: bytes, rounded up to pages
 * @bo_flags: extra BO flags (PRC_GEM_KERNEL and DRM_PANTHOR_BO_NO_MMAP are
 *	      always set)
 * @map_flags: DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, _NOEXEC, _UNCACHED
 * @va: a page-aligned VA in @vm's kernel range, or PRC_VM_KERNEL_AUTO_VA
 *
 * Sleeps and allocates; see &struct prc_kbo for the locking rules.
 *
 * Return: the kbo, or an ERR_PTR(): -EINVAL for bad arguments or a fixed VA
 * outside the kernel range, -ENOSPC when the VA range is taken or none is
 * free, -ENOMEM, -EINTR.
 */
struct prc_kbo *prc_kbo_create(struct prc_device *pdev, struct prc_vm *vm, size_t size,
			       u32 bo_flags, u32 map_flags, u64 va)
{
	struct prc_gem_object *bo;
	struct prc_kbo *kbo;
	int ret;

	if (drm_WARN_ON(&pdev->base, vm->pdev != pdev))
		return ERR_PTR(-EINVAL);
	kbo = kzalloc(sizeof(*kbo), GFP_KERNEL);
	if (!kbo)
		return ERR_PTR(-ENOMEM);
	bo = prc_gem_create(&pdev->base, size,
			    bo_flags | PRC_GEM_KERNEL | DRM_PANTHOR_BO_NO_MMAP,
			    prc_vm_root_obj(vm));
	if (IS_ERR(bo)) {
		kfree(kbo);
		return ERR_CAST(bo);
	}
	kbo->bo = bo;
	kbo->vm = prc_vm_get(vm);

	ret = prc_vm_alloc_va(vm, va, bo->base.size, &kbo->va);
	if (ret)
		goto err_put;
	ret = prc_vm_map_bo_range(vm, bo, 0, bo->base.size, kbo->va.start, map_flags);
	if (ret)
		goto err_free_va;
	return kbo;

err_free_va:
	prc_vm_free_va(vm, &kbo->va);
err_put:
	drm_gem_object_put(&bo->base);
	prc_vm_put(vm);
	kfree(kbo);
	return ERR_PTR(ret);
}

/**
 * prc_kbo_destroy() - unmap and free a kernel BO
 * @kbo: the kbo; NULL and ERR_PTR() values are ignored
 *
 * Drops the CPU mapping, unmaps the BO from its VM (with a TLB flush if the
 * VM is bound to a slot: the GPU must be done with it), releases the VA
 * range and the references to the BO and the VM. If the unmap fails (out of
 * memory for its bookkeeping), the range and the mapping are leaked rather
 * than reused under a live mapping, with a warning.
 */
void prc_kbo_destroy(struct prc_kbo *kbo)
{
	struct prc_vm *vm;
	int ret;

	if (IS_ERR_OR_NULL(kbo))
		return;
	vm = kbo->vm;
	prc_kbo_vunmap(kbo);
	ret = prc_vm_unmap_range(vm, prc_kbo_va(kbo), prc_kbo_size(kbo));
	if (!drm_WARN(&vm->pdev->base, ret, "kernel BO at 0x%llx not unmapped (%d)\n",
		      prc_kbo_va(kbo), ret))
		prc_vm_free_va(vm, &kbo->va);
	drm_gem_object_put(&kbo->bo->base);
	prc_vm_put(vm);
	kfree(kbo);
}

/**
 * prc_kbo_vmap() - map a kernel BO for the CPU
 * @kbo: the kbo
 *
 * Idempotent: the mapping is kept in &prc_kbo.kmap and returned again by
 * later calls, until prc_kbo_vunmap(). Write-combined unless the GPU is
 * coherent, so CPU writes need no cache maintenance to reach the GPU.
 *
 * Return: the CPU address of the BO's first byte, or an ERR_PTR() (-ENOMEM).
 */
void *prc_kbo_vmap(struct prc_kbo *kbo)
{
	void *vaddr;

	if (kbo->kmap)
		return kbo->kmap;
	vaddr = prc_gem_vmap(kbo->bo);
	if (!IS_ERR(vaddr))
		kbo->kmap = vaddr;
	return vaddr;
}

/**
 * prc_kbo_vunmap() - drop the CPU mapping of a kernel BO
 * @kbo: the kbo; nothing happens if it is not vmapped
 */
void prc_kbo_vunmap(struct prc_kbo *kbo)
{
	if (!kbo->kmap)
		return;
	prc_gem_vunmap(kbo->bo);
	kbo->kmap = NULL;
}
