// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GPU virtual address spaces
 *
 * A VM is a drm_gpuvm (the mappings, split and merged by the DRM core on
 * MAP and UNMAP) plus our page tables (pgtable.c). Userspace owns the VA
 * range below &prc_vm.user_va_range and binds BO ranges there with VM_BIND;
 * the range above is kept for kernel objects.
 *
 * A bind is done in two phases. *Prepare* may sleep and allocate: it checks
 * the request, pins the BO's pages and gets their DMA addresses,
 * preallocates the VMAs the operation can create (one for the new mapping,
 * two for the pieces left of a split one) and reserves the page-table pages
 * the worst case needs. *Execute* runs under &prc_vm.op_lock, walks the
 * drm_gpuvm steps and edits the page tables, and must not allocate, because
 * for asynchronous binds it runs where dma-fences get signalled. VMAs that
 * an operation retires, and the page pins they held, are released in a
 * cleanup phase after execute, where sleeping is fine again.
 *
 * Pages: a BO's pages are pinned from prepare to cleanup, and every VMA
 * counts as a GPU mapping of its BO (prc_gem_gpu_map_get()) from its
 * mapping until the TLB flush after its unmapping, which keeps reclaim
 * from evicting pages the GPU may still reach. Reclaim unmaps idle BOs
 * itself (vm_evict.c): their VMAs stay in the tree, marked evicted, without
 * page-table entries and without counting, until the VM's next submission
 * maps them again; the steps below skip the entries such a VMA lacks.
 *
 * Kernel range. VAs above &prc_vm.user_va_range are handed out by a drm_mm
 * allocator (prc_vm_alloc_va(): a fixed VA, or one picked in the VM's
 * automatic range) and mapped with prc_vm_map_bo_range(), which goes
 * through the same prepare, execute and cleanup phases as VM_BIND but
 * accepts only the kernel range, and never replaces an existing mapping.
 * User binds, checked as panthor checks them (bind.c), never reach the
 * kernel range, and destroying a VM from userspace unmaps the user range
 * only: a kernel mapping belongs to its kernel object (kbo.c), which holds
 * a reference to the VM and unmaps it when destroyed.
 *
 * Layers. This file is the VM and its mapping engine, and calls nothing
 * above the memory layer: user VMs are made by the per-file pool
 * (vm_pool.c), which attaches what only they have (a uAPI id, a bind queue,
 * tiler heaps, an address-space slot from the scheduler) and detaches it
 * in the release hook it installs (&struct prc_vm_ops).
 *
 * The MCU's VM (prc_vm_create_mcu()) has no user range: its kernel range is
 * the MCU's whole 32-bit space, with automatic VAs in [64 MiB, 128 MiB) as
 * in panthor, and firmware sections at the fixed VAs of the image.
 *
 * Address-space slots. prc_vm_as_enable() points a slot at the VM's page
 * tables and binds the VM to it under &prc_vm.op_lock, so every later
 * page-table change is flushed from that slot's TLBs; prc_vm_as_disable()
 * undoes both. A VM must be unbound before its last reference goes.
 */

#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "compat/compat.h"
#include "device.h"
#include "gem.h"
#include "mmu.h"
#include "pgtable.h"
#include "vm.h"
#include "vm_op.h"
#include "../include/uapi/drm/panthor_drm.h"

/* Flags of prc_vm_map_bo_range(). */
#define PRC_VM_KERNEL_MAP_FLAGS		(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)

/* Live VMs and page-table pages found still allocated when a VM was freed. */
static atomic_long_t prc_vm_nr_live = ATOMIC_LONG_INIT(0);
static atomic_long_t prc_vm_nr_leaked_pt_pages = ATOMIC_LONG_INIT(0);

static struct prc_vm *to_prc_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct prc_vm, base);
}

static struct prc_vma *to_prc_vma(struct drm_gpuva *va)
{
	return container_of(va, struct prc_vma, base);
}

/* A VMA prepare set aside, for a step to fill in; NULL if it set aside too few. */
static struct prc_vma *prc_vm_op_use_spare(struct prc_vm_op *op)
{
	struct prc_vma *vma = list_first_entry_or_null(&op->spare, struct prc_vma, node);

	if (vma)
		list_del_init(&vma->node);
	return vma;
}

/* Give back a VMA a step took and did not put in the tree. */
static void prc_vm_op_unuse_spare(struct prc_vm_op *op, struct prc_vma *vma)
{
	if (vma)
		list_add(&vma->node, &op->spare);
}

static u32 prc_vma_prot(u32 flags)
{
	u32 prot = 0;

	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_READONLY)
		prot |= PRC_PGTABLE_PROT_READONLY;
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC)
		prot |= PRC_PGTABLE_PROT_NOEXEC;
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED)
		prot |= PRC_PGTABLE_PROT_UNCACHED;
	return prot;
}

/**
 * prc_vm_flush() - make page-table changes visible to the GPU
 * @vm: the VM; &prc_vm.op_lock must be held
 * @va: start of the changed range
 * @size: its size
 *
 * Flushes the range from the TLBs of the VM's address-space slot, if it has
 * one: a VM without a slot (every VM while the GPU is powered down) needs
 * nothing, because binding it to a slot programs the tables afresh. Then
 * the table pages unmapping made stale may be reused.
 */
void prc_vm_flush(struct prc_vm *vm, u64 va, u64 size)
{
	lockdep_assert_held(&vm->op_lock);
	if (vm->as >= 0) {
		u64 start, end;

		prc_pgtable_flush_extent(va, size, &start, &end);
		if (prc_mmu_flush_range(vm->pdev, vm->as, start, end - start))
			vm->unusable = true;
	}
	/* Stale table pages may be reused only now. */
	prc_pgtable_flush_done(&vm->pt);
}

static void prc_vma_link(struct prc_vma *vma, struct drm_gpuvm_bo *vm_bo)
{
	struct prc_gem_object *bo = to_prc_gem(vma->base.gem.obj);

	mutex_lock(prc_gem_gpuva_lock(&bo->base, &bo->gpuva_lock));
	drm_gpuva_link(&vma->base, vm_bo);
	mutex_unlock(prc_gem_gpuva_lock(&bo->base, &bo->gpuva_lock));
}

/*
 * Unlink a retired VMA. Its GEM object and its vm_bo stay referenced until
 * cleanup (which drops the VMA's pin), since unlinking drops a vm_bo
 * reference that may be the last; taking references does not allocate.
 */
static void prc_vma_unlink(struct prc_vma *vma)
{
	struct prc_gem_object *bo = to_prc_gem(vma->base.gem.obj);

	drm_gem_object_get(&bo->base);
	mutex_lock(prc_gem_gpuva_lock(&bo->base, &bo->gpuva_lock));
	vma->retired_vm_bo = drm_gpuvm_bo_get(vma->base.vm_bo);
	drm_gpuva_unlink(&vma->base);
	mutex_unlock(prc_gem_gpuva_lock(&bo->base, &bo->gpuva_lock));
}

/*
 * A sparse range maps its file's dummy BO over and over: the page at VA v is
 * the BO's page at v modulo its size, whatever piece of an earlier sparse
 * mapping v is in, so splitting a sparse VMA needs no remapping.
 */
static int prc_vm_map_sparse(struct prc_vm *vm, struct sg_table *sgt, u64 va, u64 size,
			     u32 flags)
{
	u64 done = 0, len;
	int ret;

	while (done < size) {
		len = min(size - done, PRC_SPARSE_SIZE - ((va + done) & (PRC_SPARSE_SIZE - 1)));
		ret = prc_pgtable_map_sgt(&vm->pt, va + done, sgt,
					  (va + done) & (PRC_SPARSE_SIZE - 1), len,
					  prc_vma_prot(flags));
		if (ret) {
			if (done)
				prc_pgtable_unmap(&vm->pt, va, done);
			return ret;
		}
		done += len;
	}
	return 0;
}

/* Write the page-table entries of a mapping of @sgt (from @offset, or sparse). */
static int prc_vm_map_range(struct prc_vm *vm, struct sg_table *sgt, u64 va, u64 size,
			    u64 offset, u32 flags)
{
	if (flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
		return prc_vm_map_sparse(vm, sgt, va, size, flags);
	return prc_pgtable_map_sgt(&vm->pt, va, sgt, offset, size, prc_vma_prot(flags));
}

/**
 * prc_vma_map() - write the page-table entries of a VMA in the tree
 * @vm: the VM; &prc_vm.op_lock must be held
 * @vma: the VMA, whose entries are not there (evicted)
 * @sgt: its BO's DMA addresses
 *
 * Allocates nothing: the page-table pages must be reserved. No TLB flush.
 *
 * Return: 0, or -ENOMEM when the reservation falls short (nothing mapped).
 */
int prc_vma_map(struct prc_vm *vm, struct prc_vma *vma, struct sg_table *sgt)
{
	lockdep_assert_held(&vm->op_lock);
	return prc_vm_map_range(vm, sgt, vma->base.va.addr, vma->base.va.range,
				vma->base.gem.offset, vma->flags);
}

static int prc_vm_step_map(struct drm_gpuva_op *gop, void *priv)
{
	struct prc_vm_op *op = priv;
	struct prc_vm *vm = to_prc_vm(op->vm_bo->vm);
	struct prc_vma *vma = prc_vm_op_use_spare(op);
	int ret;

	if (!vma)
		return -ENOMEM;
	ret = prc_vm_map_range(vm, op->sgt, gop->map.va.addr, gop->map.va.range,
			       gop->map.gem.offset, op->flags);
	if (ret) {
		prc_vm_op_unuse_spare(op, vma);
		return ret;
	}
	vma->flags = op->flags;
	drm_gpuva_map(&vm->base, &vma->base, &gop->map);
	prc_vma_link(vma, op->vm_bo);
	prc_gem_gpu_map_get(op->bo);	/* under prepare's pin */
	return 0;
}

/* Remove the page-table entries of a VMA (or what is left of one). */
static int prc_vm_pt_unmap(struct prc_vm *vm, u64 va, u64 size)
{
	s64 done = prc_pgtable_unmap(&vm->pt, va, size);

	if (done < 0)
		return done;
	return done == size ? 0 : -EINVAL;
}

/*
 * A VMA leaves the tree: it is kept on the operation's retired list, with
 * its BO and <VM, BO> referenced, until cleanup frees it. It still counts
 * as a GPU mapping of its BO until the TLB flush (prc_vm_op_execute()),
 * unless it was evicted: then it has not counted since its eviction, and
 * nothing will restore it.
 */
static void prc_vm_retire(struct prc_vm_op *op, struct prc_vma *vma)
{
	list_del_init(&vma->evict_node);
	prc_vma_unlink(vma);
	list_add_tail(&vma->node, &op->retired);
}

/*
 * A piece of a cut VMA that stays mapped: it keeps the page-table entries,
 * flags and <VM, BO> of the VMA it came from, and is one more GPU mapping
 * of that BO. Counting it is allowed without a lock or pin because the cut
 * VMA still counts (gem.c's rule for prc_gem_gpu_map_get()): it does until
 * the flush that ends the operation. The piece of an evicted VMA has no
 * entries either: it stays evicted, for prc_vm_restore(), and counts not.
 */
static void prc_vm_adopt_piece(struct prc_vm *vm, struct prc_vma *piece, struct prc_vma *cut)
{
	piece->flags = cut->flags;
	prc_vma_link(piece, cut->base.vm_bo);
	piece->evicted = cut->evicted;
	if (piece->evicted)
		list_add_tail(&piece->evict_node, &vm->evicted);
	else
		prc_gem_gpu_map_get(to_prc_gem(cut->base.gem.obj));
}

/*
 * drm_gpuvm cuts a mapping that crosses an end of the range: the part
 * inside goes, the parts outside (one or two) stay. The VMAs for the parts
 * that stay are claimed first, so a step that cannot get them fails with
 * nothing changed; then the page tables, then the tree.
 */
static int prc_vm_step_remap(struct drm_gpuva_op *gop, void *priv)
{
	struct drm_gpuva_op_remap *r = &gop->remap;
	struct prc_vm_op *op = priv;
	struct prc_vma *cut = to_prc_vma(r->unmap->va);
	struct prc_vm *vm = to_prc_vm(cut->base.vm);
	/* The parts that stay: below the range, above it. */
	struct prc_vma *keep[2] = {};
	u64 gone_va, gone_size;
	unsigned int i;
	int ret = 0;

	if (r->prev)
		keep[0] = prc_vm_op_use_spare(op);
	if (r->next)
		keep[1] = prc_vm_op_use_spare(op);
	if ((r->prev && !keep[0]) || (r->next && !keep[1]))
		ret = -ENOMEM;
	/* An evicted VMA has no entries to remove. */
	if (!ret && !cut->evicted) {
		drm_gpuva_op_remap_to_unmap_range(r, &gone_va, &gone_size);
		ret = prc_vm_pt_unmap(vm, gone_va, gone_size);
	}
	if (ret) {
		prc_vm_op_unuse_spare(op, keep[0]);
		prc_vm_op_unuse_spare(op, keep[1]);
		return ret;
	}
	drm_gpuva_remap(keep[0] ? &keep[0]->base : NULL, keep[1] ? &keep[1]->base : NULL, r);
	for (i = 0; i < ARRAY_SIZE(keep); i++)
		if (keep[i])
			prc_vm_adopt_piece(vm, keep[i], cut);
	prc_vm_retire(op, cut);
	return 0;
}

static int prc_vm_step_unmap(struct drm_gpuva_op *gop, void *priv)
{
	struct prc_vm_op *op = priv;
	struct prc_vma *vma = to_prc_vma(gop->unmap.va);
	struct prc_vm *vm = to_prc_vm(vma->base.vm);
	int ret;

	if (!vma->evicted) {
		ret = prc_vm_pt_unmap(vm, vma->base.va.addr, vma->base.va.range);
		if (ret)
			return ret;
	}
	drm_gpuva_unmap(&gop->unmap);
	prc_vm_retire(op, vma);
	return 0;
}

static void prc_vm_free(struct drm_gpuvm *gpuvm)
{
	struct prc_vm *vm = to_prc_vm(gpuvm);
	struct drm_device *drm = &vm->pdev->base;
	long leaked;

	/*
	 * drm_gpuvm_fini() already dropped the resv object; no VMA is left,
	 * and no kernel VA either (kernel objects hold a VM reference).
	 */
	if (vm->ops && vm->ops->release)
		vm->ops->release(vm);
	drm_WARN_ON(drm, vm->as >= 0);
	drm_mm_takedown(&vm->mm);
	prc_pgtable_fini(&vm->pt);
	leaked = atomic_long_read(&vm->pt.pages_allocated) - atomic_long_read(&vm->pt.pages_freed);
	if (drm_WARN(drm, leaked, "VM freed with %ld page-table pages allocated\n", leaked))
		atomic_long_add(leaked, &prc_vm_nr_leaked_pt_pages);
	mutex_destroy(&vm->heaps_lock);
	mutex_destroy(&vm->mm_lock);
	mutex_destroy(&vm->op_lock);
	kfree(vm);
	atomic_long_dec(&prc_vm_nr_live);
}

static const struct drm_gpuvm_ops prc_gpuvm_ops = {
	.vm_free = prc_vm_free,
	.sm_step_map = prc_vm_step_map,
	.sm_step_remap = prc_vm_step_remap,
	.sm_step_unmap = prc_vm_step_unmap,
};

/**
 * prc_vm_get() - take a VM reference
 * @vm: the VM
 *
 * Return: @vm.
 */
struct prc_vm *prc_vm_get(struct prc_vm *vm)
{
	drm_gpuvm_get(&vm->base);
	return vm;
}

/**
 * prc_vm_put() - drop a VM reference
 * @vm: the VM, or NULL
 *
 * The last reference frees the page tables; the VM must not be bound to
 * an address-space slot any more (prc_vm_as_disable()).
 */
void prc_vm_put(struct prc_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->base);
}

/**
 * prc_vm_root_obj() - the GEM object whose reservation the VM's private
 * BOs share
 * @vm: the VM
 *
 * Return: the object (no reference taken).
 */
struct drm_gem_object *prc_vm_root_obj(struct prc_vm *vm)
{
	return drm_gpuvm_resv_obj(&vm->base);
}

/**
 * prc_vm_create() - create a VM
 * @pdev: the device
 * @name: its name for drm_gpuvm
 * @layout: how its space is split; the user range must end on a 2 MiB
 *	boundary (no mapping then crosses it, see prc_vm_unmap_user_range())
 * @ops: the creator's hooks, or NULL; must outlive the VM
 *
 * The VM is bound to no address-space slot (prc_vm_as_enable()).
 *
 * Return: the VM with one reference, or an ERR_PTR() (-ENOMEM, or -EINVAL
 * when the page tables cannot be set up for the device).
 */
struct prc_vm *prc_vm_create(struct prc_device *pdev, const char *name,
			     const struct prc_vm_layout *layout, const struct prc_vm_ops *ops)
{
	struct drm_gem_object *root;
	struct prc_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->pdev = pdev;
	vm->ops = ops;
	root = prc_gem_vm_root_new(&pdev->base);
	if (!root) {
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}
	ret = prc_pgtable_init(&vm->pt, pdev->base.dev, pdev->coherent);
	if (ret) {
		drm_gem_object_put(root);
		kfree(vm);
		return ERR_PTR(ret);
	}
	mutex_init(&vm->op_lock);
	/*
	 * op_lock is taken where fences get signalled and reclaim waits for
	 * them: tell lockdep up front, so an allocation under it is reported
	 * even if that path never meets reclaim in testing.
	 */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&vm->op_lock);
	fs_reclaim_release(GFP_KERNEL);
	mutex_init(&vm->mm_lock);
	mutex_init(&vm->heaps_lock);
	/* Heap growth takes heaps_lock in the signalling path: prove it never allocates. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&vm->heaps_lock);
	fs_reclaim_release(GFP_KERNEL);
	vm->user_va_range = layout->user_end;
	vm->kernel_va_start = layout->user_end;
	vm->kernel_va_end = layout->end;
	vm->auto_va_start = layout->auto_start;
	vm->auto_va_end = layout->auto_end;
	drm_mm_init(&vm->mm, vm->kernel_va_start, vm->kernel_va_end - vm->kernel_va_start);
	vm->as = -1;
	INIT_LIST_HEAD(&vm->evicted);
	drm_gpuvm_init(&vm->base, name, PRC_GPUVM_GPUVA_LOCK, &pdev->base, root, 0, layout->end,
		       0, 0, &prc_gpuvm_ops);
	/* drm_gpuvm_init() took its own reference. */
	drm_gem_object_put(root);
	atomic_long_inc(&prc_vm_nr_live);
	return vm;
}

/**
 * prc_vm_create_mcu() - create the MCU's VM
 * @pdev: the device
 *
 * The MCU addresses 32 bits: the VM covers [0, 4 GiB), all of it kernel
 * range (no user range), with PRC_VM_KERNEL_AUTO_VA allocations placed in
 * [%PRC_VM_MCU_AUTO_VA_START, + %PRC_VM_MCU_AUTO_VA_SIZE), as panthor does.
 * It is bound to no address-space slot yet (prc_vm_as_enable()).
 *
 * Return: the VM with one reference, or an ERR_PTR() (-ENOMEM, or -EINVAL
 * when the page tables cannot be set up for the device).
 */
struct prc_vm *prc_vm_create_mcu(struct prc_device *pdev)
{
	static const struct prc_vm_layout mcu = {
		.end = PRC_VM_MCU_VA_RANGE,
		.user_end = 0,
		.auto_start = PRC_VM_MCU_AUTO_VA_START,
		.auto_end = PRC_VM_MCU_AUTO_VA_START + PRC_VM_MCU_AUTO_VA_SIZE,
	};

	return prc_vm_create(pdev, "prc-mcu-vm", &mcu, NULL);
}

/**
 * prc_vm_op_cleanup() - release what a bind operation holds
 * @vm: the VM
 * @op: the operation, prepared or not, executed or not
 *
 * Takes reservation locks and frees memory: never call it in the
 * fence-signalling path.
 */
void prc_vm_op_cleanup(struct prc_vm *vm, struct prc_vm_op *op)
{
	struct prc_vma *vma, *tmp;
	unsigned int i;

	list_for_each_entry_safe(vma, tmp, &op->retired, node) {
		struct drm_gem_object *obj = vma->base.gem.obj;

		dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
		mutex_lock(prc_gem_gpuva_lock(obj, &to_prc_gem(obj)->gpuva_lock));
		drm_gpuvm_bo_put(vma->retired_vm_bo);
		mutex_unlock(prc_gem_gpuva_lock(obj, &to_prc_gem(obj)->gpuva_lock));
		dma_resv_unlock(drm_gpuvm_resv(&vm->base));
		drm_gem_object_put(obj);
		list_del(&vma->node);
		kfree(vma);
	}
	if (op->sgt) {
		dma_resv_lock(op->bo->base.resv, NULL);
		prc_gem_unpin_pages(op->bo);
		dma_resv_unlock(op->bo->base.resv);
	}
	if (op->vm_bo) {
		dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
		mutex_lock(prc_gem_gpuva_lock(&op->bo->base, &op->bo->gpuva_lock));
		drm_gpuvm_bo_put(op->vm_bo);
		mutex_unlock(prc_gem_gpuva_lock(&op->bo->base, &op->bo->gpuva_lock));
		dma_resv_unlock(drm_gpuvm_resv(&vm->base));
	}
	if (op->bo)
		drm_gem_object_put(&op->bo->base);
	list_for_each_entry_safe(vma, tmp, &op->spare, node)
		kfree(vma);
	for (i = 0; i < op->rsv_count; i++)
		prc_pgtable_unreserve(&vm->pt, op->rsv[i].va, op->rsv[i].size);
}

/*
 * The most VMAs an operation's steps can create. drm_gpuvm cuts only the
 * mappings that cross an end of the range, at most one per end, each
 * leaving one piece outside (one mapping crossing both ends leaves two);
 * a map adds its own.
 */
static unsigned int prc_vm_op_new_vmas(const struct prc_vm_op *op)
{
	return op->type == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP ? 3 : 2;
}

/**
 * prc_vm_op_prepare() - allocate and pin everything execute needs
 * @vm: the VM
 * @op: a checked operation
 *
 * Return: 0, -ENOMEM, -EINTR.
 */
int prc_vm_op_prepare(struct prc_vm *vm, struct prc_vm_op *op)
{
	struct drm_gpuvm_bo *vm_bo;
	struct sg_table *sgt;
	unsigned int i;
	int ret;

	/* Asynchronous binds may carry empty operations: nothing to prepare. */
	if (op->type == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY || !op->size)
		return 0;
	for (i = prc_vm_op_new_vmas(op); i; i--) {
		struct prc_vma *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

		if (!vma)
			return -ENOMEM;
		INIT_LIST_HEAD(&vma->evict_node);
		list_add(&vma->node, &op->spare);
	}
	/*
	 * A map may need tables along its whole range; an unmap only splits
	 * the 2 MiB blocks at its two ends, so it reserves for one page there.
	 */
	if (op->type == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP) {
		op->rsv[0].va = op->va;
		op->rsv[0].size = op->size;
		op->rsv_count = 1;
	} else {
		op->rsv[0].va = op->va;
		op->rsv[1].va = op->va + op->size - PAGE_SIZE;
		op->rsv[0].size = PAGE_SIZE;
		op->rsv[1].size = PAGE_SIZE;
		op->rsv_count = 2;
	}
	for (i = 0; i < op->rsv_count; i++) {
		ret = prc_pgtable_reserve(&vm->pt, op->rsv[i].va, op->rsv[i].size, GFP_KERNEL);
		if (ret) {
			op->rsv_count = i;
			return ret;
		}
	}
	if (op->type != DRM_PANTHOR_VM_BIND_OP_TYPE_MAP)
		return 0;

	ret = dma_resv_lock_interruptible(op->bo->base.resv, NULL);
	if (ret)
		return ret;
	sgt = prc_gem_get_sgt_locked(op->bo);
	dma_resv_unlock(op->bo->base.resv);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	op->sgt = sgt;

	vm_bo = drm_gpuvm_bo_create(&vm->base, &op->bo->base);
	if (!vm_bo)
		return -ENOMEM;
	/*
	 * An existing <VM, BO> pair is reused and ours dropped, under the VM's
	 * resv and the BO's gpuva lock; which of the kernel and us takes the
	 * latter depends on the kernel (compat.h), so it is not held here.
	 */
	dma_resv_lock(drm_gpuvm_resv(&vm->base), NULL);
	op->vm_bo = prc_gpuvm_bo_obtain_prealloc(vm_bo, &op->bo->gpuva_lock);
	/* BOs with a resv of their own get every job fence of the VM (submit.c). */
	drm_gpuvm_bo_extobj_add(op->vm_bo);
	dma_resv_unlock(drm_gpuvm_resv(&vm->base));
	return 0;
}

/**
 * prc_vm_op_execute() - change the mappings as a prepared operation says
 * @vm: the VM
 * @op: the prepared operation
 *
 * Allocates nothing and takes only &prc_vm.op_lock and the MMU lock, so it
 * may run in the fence-signalling path (asynchronous binds).
 *
 * Return: 0, or -EEXIST for a kernel mapping over a used range; any other
 * failure leaves the VM unusable.
 */
int prc_vm_op_execute(struct prc_vm *vm, struct prc_vm_op *op)
{
	struct prc_vma *vma;
	int ret;

	if (op->type == DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY || !op->size)
		return 0;
	mutex_lock(&vm->op_lock);
	if (op->no_replace && !drm_gpuvm_interval_empty(&vm->base, op->va, op->size)) {
		/* Nothing changed: the VM stays usable. */
		mutex_unlock(&vm->op_lock);
		return -EEXIST;
	}
	if (op->type == DRM_PANTHOR_VM_BIND_OP_TYPE_MAP)
		ret = prc_gpuvm_sm_map(&vm->base, op, op->va, op->size, &op->bo->base,
				       op->offset);
	else
		ret = drm_gpuvm_sm_unmap(&vm->base, op, op->va, op->size);
	/* A half-done operation leaves the VM in a state nobody asked for. */
	if (ret)
		vm->unusable = true;
	prc_vm_flush(vm, op->va, op->size);
	/*
	 * Only now can the GPU no longer reach the pages of the VMAs the
	 * operation retired: until here they count as GPU mappings, so that
	 * an evictor, which goes by the count, leaves the pages alone.
	 */
	list_for_each_entry(vma, &op->retired, node)
		if (!vma->evicted)
			prc_gem_gpu_map_put(to_prc_gem(vma->base.gem.obj));
	mutex_unlock(&vm->op_lock);
	return ret;
}

/**
 * prc_vm_unmap_user_range() - unmap everything userspace mapped (VM_DESTROY)
 * @vm: the VM
 *
 * Kernel mappings stay: they belong to the kernel objects that made them.
 * Allocates nothing.
 */
void prc_vm_unmap_user_range(struct prc_vm *vm)
{
	struct prc_vm_op op = {
		.type = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = 0,
		.size = vm->user_va_range,
		.spare = LIST_HEAD_INIT(op.spare),
		.retired = LIST_HEAD_INIT(op.retired),
	};

	/*
	 * Unmapping needs no page-table pages unless it splits a block, and
	 * no mapping crosses the end of the user range (user binds stay below
	 * it, kernel maps above it, and it is 2 MiB aligned), so this splits
	 * none; VMAs are not needed either.
	 */
	if (!op.size)
		return;
	prc_vm_op_execute(vm, &op);
	prc_vm_op_cleanup(vm, &op);
}

/* [@va, @va + @size) is a non-empty, page-aligned part of the kernel range. */
static bool prc_vm_kernel_range_ok(const struct prc_vm *vm, u64 va, u64 size)
{
	return size && IS_ALIGNED(va | size, PAGE_SIZE) && va >= vm->kernel_va_start &&
	       !range_overflows(va, size, vm->kernel_va_end);
}

/* A fixed kernel VA (firmware sections): taken as asked, or -ENOSPC if in use. */
static int prc_vm_claim_fixed_va(struct prc_vm *vm, u64 va, u64 size, struct drm_mm_node *node)
{
	lockdep_assert_held(&vm->mm_lock);
	node->start = va;
	node->size = size;
	return drm_mm_reserve_node(&vm->mm, node);
}

/*
 * An automatic kernel VA, in [&prc_vm.auto_va_start, &prc_vm.auto_va_end).
 *
 * Alignment: our page tables map with 2 MiB blocks wherever VA and DMA
 * address are both block aligned, so an object of a block or more starts on
 * a block boundary. A smaller one cannot use a block, and needs no
 * alignment request: every range and size here is a page multiple, so every
 * free range starts on a page.
 *
 * Placement: the lowest free range that fits (DRM_MM_INSERT_LOW). As a
 * VM's kernel objects (ring buffers, heap contexts and chunks, suspend
 * buffers) come and go, a freed range is reused before anything above it,
 * so they stay packed at the bottom of the automatic range and share the
 * few table pages that the VM's page-table reserve has to provide, rather
 * than landing wherever the best-fitting hole happens to be.
 */
static int prc_vm_place_auto_va(struct prc_vm *vm, u64 size, struct drm_mm_node *node)
{
	u64 align = size < PRC_PGTABLE_BLOCK_SIZE ? 0 : PRC_PGTABLE_BLOCK_SIZE;

	lockdep_assert_held(&vm->mm_lock);
	return drm_mm_insert_node_in_range(&vm->mm, node, size, align, 0, vm->auto_va_start,
					   vm->auto_va_end, DRM_MM_INSERT_LOW);
}

/**
 * prc_vm_alloc_va() - allocate a range of the VM's kernel VA space
 * @vm: the VM
 * @va: the VA wanted, page aligned, or PRC_VM_KERNEL_AUTO_VA for any free
 *	range in the VM's automatic range (2 MiB aligned for 2 MiB or more,
 *	so large objects can use block mappings)
 * @size: bytes, a non-zero multiple of PAGE_SIZE
 * @node: where the allocation is recorded; must not be allocated (it is
 *	cleared first), and stays allocated until prc_vm_free_va()
 *
 * Only reserves the range: map it with prc_vm_map_bo_range(). Takes
 * &prc_vm.mm_lock; may sleep.
 *
 * Return: 0; -EINVAL for a bad size, or a fixed range outside the kernel
 * range (for the MCU's VM: outside [0, 4 GiB)); -ENOSPC when a fixed range
 * overlaps an allocated one, or no automatic range is free.
 */
int prc_vm_alloc_va(struct prc_vm *vm, u64 va, u64 size, struct drm_mm_node *node)
{
	bool automatic = va == PRC_VM_KERNEL_AUTO_VA;
	int ret;

	if (!size || !IS_ALIGNED(size, PAGE_SIZE) ||
	    (!automatic && !prc_vm_kernel_range_ok(vm, va, size)))
		return -EINVAL;
	if (drm_WARN_ON(&vm->pdev->base, drm_mm_node_allocated(node)))
		return -EBUSY;
	memset(node, 0, sizeof(*node));

	mutex_lock(&vm->mm_lock);
	if (automatic)
		ret = prc_vm_place_auto_va(vm, size, node);
	else
		ret = prc_vm_claim_fixed_va(vm, va, size, node);
	mutex_unlock(&vm->mm_lock);
	return ret;
}

/**
 * prc_vm_free_va() - release a range allocated by prc_vm_alloc_va()
 * @vm: the VM
 * @node: the allocation; nothing happens if it is not allocated
 *
 * The range must be unmapped already. Takes &prc_vm.mm_lock; may sleep.
 */
void prc_vm_free_va(struct prc_vm *vm, struct drm_mm_node *node)
{
	mutex_lock(&vm->mm_lock);
	if (drm_mm_node_allocated(node))
		drm_mm_remove_node(node);
	mutex_unlock(&vm->mm_lock);
}

/**
 * prc_vm_map_bo_range() - map part of a BO in the VM's kernel range
 * @vm: the VM
 * @bo: the BO: private to @vm or with a reservation object of its own
 * @offset: byte offset in @bo, page aligned
 * @size: bytes, a non-zero multiple of PAGE_SIZE
 * @va: where, page aligned; [@va, @va + @size) must lie in the kernel range
 *	and be unmapped (normally a range from prc_vm_alloc_va())
 * @flags: DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, _NOEXEC, _UNCACHED
 *
 * Runs the prepare, execute and cleanup phases of a bind (see the DOC:
 * section): may sleep and allocate, so not for the dma-fence signalling
 * path. The mapping counts as a GPU mapping of @bo and holds a reference
 * to it until unmapped; if the VM is bound to an address-space slot the
 * TLBs are flushed.
 *
 * Return: 0; -EINVAL for bad arguments or a range outside the kernel
 * range; -EEXIST when something is mapped in the range already (nothing
 * changed); -ENOMEM; -EINTR.
 */
int prc_vm_map_bo_range(struct prc_vm *vm, struct prc_gem_object *bo, u64 offset, u64 size,
			u64 va, u32 flags)
{
	struct prc_vm_op op = {
		.type = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.flags = flags | DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.va = va,
		.size = size,
		.offset = offset,
		.no_replace = true,
		.spare = LIST_HEAD_INIT(op.spare),
		.retired = LIST_HEAD_INIT(op.retired),
	};
	int ret;

	if ((flags & ~PRC_VM_KERNEL_MAP_FLAGS) || !prc_vm_kernel_range_ok(vm, va, size) ||
	    !IS_ALIGNED(offset, PAGE_SIZE) || size > bo->base.size ||
	    offset > bo->base.size - size || !prc_gem_can_map_in(bo, prc_vm_root_obj(vm)))
		return -EINVAL;
	drm_gem_object_get(&bo->base);
	op.bo = bo;
	ret = prc_vm_op_prepare(vm, &op);
	if (!ret)
		ret = prc_vm_op_execute(vm, &op);
	prc_vm_op_cleanup(vm, &op);
	return ret;
}

/**
 * prc_vm_map_pages() - map single pages in the VM's kernel range
 * @vm: the VM
 * @va: where, page aligned, in a range from prc_vm_alloc_va() that is
 *	unmapped and whose page-table pages are reserved
 *	(prc_pgtable_reserve())
 * @dma: DMA address of each page
 * @npages: number of pages
 * @flags: DRM_PANTHOR_VM_BIND_OP_MAP_READONLY, _NOEXEC, _UNCACHED
 *
 * For memory that is not a GEM object (tiler heap chunks): no VMA is
 * created, so the range must be unmapped with prc_vm_unmap_pages(). Takes
 * &prc_vm.op_lock and allocates nothing: usable in the fence-signalling
 * path.
 *
 * Return: 0, or a negative errno with nothing left mapped.
 */
int prc_vm_map_pages(struct prc_vm *vm, u64 va, const dma_addr_t *dma, u32 npages, u32 flags)
{
	u32 i;
	int ret = 0;

	mutex_lock(&vm->op_lock);
	for (i = 0; i < npages && !ret; i++)
		ret = prc_pgtable_map(&vm->pt, va + (u64)i * PAGE_SIZE, dma[i], PAGE_SIZE,
				      prc_vma_prot(flags));
	if (ret && i > 1)
		prc_pgtable_unmap(&vm->pt, va, (u64)(i - 1) * PAGE_SIZE);
	prc_vm_flush(vm, va, (u64)npages * PAGE_SIZE);
	mutex_unlock(&vm->op_lock);
	return ret;
}

/**
 * prc_vm_unmap_pages() - unmap what prc_vm_map_pages() mapped
 * @vm: the VM
 * @va: start of the range
 * @size: its size in bytes
 *
 * The GPU faults on the range once this returns, so the pages may be
 * freed. Takes &prc_vm.op_lock; allocates nothing.
 */
void prc_vm_unmap_pages(struct prc_vm *vm, u64 va, u64 size)
{
	mutex_lock(&vm->op_lock);
	prc_pgtable_unmap(&vm->pt, va, size);
	prc_vm_flush(vm, va, size);
	mutex_unlock(&vm->op_lock);
}

/**
 * prc_vm_unmap_range() - unmap a range of the VM's kernel range
 * @vm: the VM
 * @va: start, page aligned
 * @size: bytes, a non-zero multiple of PAGE_SIZE
 *
 * Whatever is mapped in [@va, @va + @size) is unmapped (mappings that
 * cross its ends are cut); holes are fine. TLBs are flushed if the VM is
 * bound to an address-space slot. May sleep and allocate (VMAs for the
 * pieces of cut mappings, page-table pages to split blocks).
 *
 * Return: 0; -EINVAL for a range outside the kernel range; -ENOMEM, with
 * nothing changed; another negative errno if the page tables could not be
 * changed, which leaves the VM unusable.
 */
int prc_vm_unmap_range(struct prc_vm *vm, u64 va, u64 size)
{
	struct prc_vm_op op = {
		.type = DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.va = va,
		.size = size,
		.spare = LIST_HEAD_INIT(op.spare),
		.retired = LIST_HEAD_INIT(op.retired),
	};
	int ret;

	if (!prc_vm_kernel_range_ok(vm, va, size))
		return -EINVAL;
	ret = prc_vm_op_prepare(vm, &op);
	if (!ret)
		ret = prc_vm_op_execute(vm, &op);
	prc_vm_op_cleanup(vm, &op);
	return ret;
}

/**
 * prc_vm_as_enable() - bind a VM to an address-space slot
 * @vm: the VM, bound to no slot
 * @as: the slot
 *
 * Programs @as with the VM's page tables (prc_mmu_as_enable(), which
 * flushes the slot's TLBs) and, under &prc_vm.op_lock so no page-table
 * change can miss its flush, records the slot in &prc_vm.as. On failure
 * the slot is disabled again, so it cannot be left half-programmed.
 *
 * Return: 0, -EBUSY when the VM is bound already, -ETIMEDOUT.
 */
int prc_vm_as_enable(struct prc_vm *vm, u32 as)
{
	struct prc_device *pdev = vm->pdev;
	const struct prc_as_config cfg = {
		.transtab = vm->pt.transtab,
		.memattr = prc_pgtable_memattr(pdev->coherent),
		.transcfg = prc_mmu_transcfg(pdev),
	};
	int ret;

	mutex_lock(&vm->op_lock);
	if (drm_WARN_ON(&pdev->base, vm->as >= 0)) {
		ret = -EBUSY;
	} else {
		ret = prc_mmu_as_enable(pdev, as, &cfg);
		if (ret)
			prc_mmu_as_disable(pdev, as);
		else
			vm->as = as;
	}
	mutex_unlock(&vm->op_lock);
	return ret;
}

/**
 * prc_vm_as_disable() - unbind a VM from its address-space slot
 * @vm: the VM
 *
 * Disables the slot (caches flushed, every access through it faults from
 * then on) and forgets it, under &prc_vm.op_lock; page-table changes are no
 * longer flushed anywhere. Nothing happens when the VM is not bound.
 *
 * Return: 0, or -ETIMEDOUT when the slot did not take the commands (the VM
 * is unbound all the same).
 */
int prc_vm_as_disable(struct prc_vm *vm)
{
	int ret = 0;

	mutex_lock(&vm->op_lock);
	if (vm->as >= 0) {
		ret = prc_mmu_as_disable(vm->pdev, vm->as);
		vm->as = -1;
	}
	mutex_unlock(&vm->op_lock);
	return ret;
}

/**
 * prc_vm_stat_live() - VMs of this module not freed yet, all devices
 *
 * Return: the number of VMs created and not freed.
 */
long prc_vm_stat_live(void)
{
	return atomic_long_read(&prc_vm_nr_live);
}

/**
 * prc_vm_stat_leaked_pt_pages() - page-table pages freed VMs left behind
 *
 * Every VM checks when it is freed that all its page-table pages were
 * (and warns otherwise); this is the sum of what was missing.
 *
 * Return: the number of page-table pages leaked since the module loaded.
 */
long prc_vm_stat_leaked_pt_pages(void)
{
	return atomic_long_read(&prc_vm_nr_leaked_pt_pages);
}
