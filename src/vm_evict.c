// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: evicting GPU mappings
 *
 * Reclaim can take a GPU-mapped BO only once the GPU can no longer reach
 * it. prc_vm_evict_bo() removes the page-table entries of every VMA of the
 * BO, in every VM that maps it, flushes them from the TLBs and leaves the
 * VMAs in the tree marked evicted, on their VM's &prc_vm.evicted list: to
 * userspace (VM_BIND, debugfs) nothing changed. An evicted VMA does not count
 * as a GPU mapping of its BO, so when the last one goes the BO's pages can
 * go back to shmem like those of an unused BO.
 *
 * When may it run? Only while no job that can use the BO is queued or
 * running. Every job of a VM puts its fence in the VM's reservation object
 * and in those of the VM's external BOs (submit.c), so a BO whose own
 * reservation object has only signalled fences is idle in every VM, and
 * stays so while the evictor holds that lock: a submission holds it from
 * prc_vm_restore() until its fences are in. Reclaim tests the fences, it
 * never waits for them. A VM without an address-space slot (all of them
 * while the GPU is powered down) needs no TLB flush, so reclaim never
 * touches a sleeping GPU.
 *
 * Groups and CSG slots. A group on a slot with no job reads nothing of its
 * VM's user BOs: its ring buffers, interfaces and suspend buffers are
 * kernel BOs, which reclaim never takes, and user streams are reached only
 * through a job's call. So a VM is reclaimable as soon as its jobs are
 * done, whether or not its groups still hold slots, and a job arriving for
 * any of them restores first (below).
 *
 * prc_vm_restore() undoes it for one VM before that VM's next jobs are
 * queued: pages back (allocating, so never from the signalling path),
 * page-table pages reserved, entries written, TLBs flushed. A failure fails
 * the submission with -ENOMEM; no job runs on a VMA without memory.
 * Asynchronous binds may unmap or cut an evicted VMA meanwhile: vm.c's steps
 * skip the entries it does not have and keep the pieces evicted.
 *
 * Locks: the BO's resv (held by the caller), the BO's gpuva lock, then each
 * VM's &prc_vm.op_lock and the MMU lock for the flush. Reclaim trylocks the
 * first three; a VM whose op_lock is busy keeps its mappings, and the BO then
 * keeps its pages (a partly evicted BO is consistent: restore maps what was
 * evicted, the rest never left).
 */

#include <linux/delay.h>
#include <linux/dma-resv.h>
#include <linux/swap.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_print.h>

#include "compat/compat.h"
#include "gem.h"
#include "pgtable.h"
#include "vm.h"
#include "vm_op.h"

/*
 * Remove the entries of @vm_bo's mapped VMAs and flush them; the caller
 * holds the VM's op_lock and the BO's gpuva lock. Return: 0, or -EIO when
 * the entries were not what the VMAs said (a bug: the VM is then unusable).
 */
static int prc_vm_evict_vm_bo(struct prc_vm *vm, struct drm_gpuvm_bo *vm_bo)
{
	struct prc_gem_object *bo = to_prc_gem(vm_bo->obj);
	u64 start = U64_MAX, end = 0;
	unsigned int count = 0;
	struct drm_gpuva *va;
	int ret = 0;

	lockdep_assert_held(&vm->op_lock);
	drm_gpuvm_bo_for_each_va(va, vm_bo) {
		struct prc_vma *vma = container_of(va, struct prc_vma, base);
		s64 done;

		if (vma->evicted)
			continue;
		/* A VMA's entries never share a 2 MiB block with another's: no split. */
		done = prc_pgtable_unmap(&vm->pt, va->va.addr, va->va.range);
		start = min(start, va->va.addr);
		end = max(end, va->va.addr + va->va.range);
		if (drm_WARN_ON_ONCE(vm_bo->vm->drm, done != va->va.range)) {
			vm->unusable = true;
			ret = -EIO;
			break;
		}
		vma->evicted = true;
		list_add_tail(&vma->evict_node, &vm->evicted);
		count++;
	}
	if (end > start)
		prc_vm_flush(vm, start, end - start);
	/* Only now is the GPU unable to reach the pages. */
	while (count--)
		prc_gem_gpu_map_put(bo);
	return ret;
}

/**
 * prc_vm_evict_bo() - unmap an idle BO from the GPU, for reclaim
 * @bo: the BO; its resv must be held, and its jobs all done (the caller
 *	tested its fences)
 *
 * Trylocks only, allocates nothing, never waits for the GPU.
 *
 * Return: 0 when no VMA of the BO is mapped any more, -EBUSY when a lock was
 * held (some VMAs may be evicted, the others stay mapped), -EIO on a broken
 * page table.
 */
int prc_vm_evict_bo(struct prc_gem_object *bo)
{
	struct mutex *gpuva_lock = prc_gem_gpuva_lock(&bo->base, &bo->gpuva_lock);
	struct drm_gpuvm_bo *vm_bo;
	int ret = 0;

	dma_resv_assert_held(bo->base.resv);
	if (!mutex_trylock(gpuva_lock))
		return -EBUSY;
	drm_gem_for_each_gpuvm_bo(vm_bo, &bo->base) {
		struct prc_vm *vm = container_of(vm_bo->vm, struct prc_vm, base);
		int err;

		if (!mutex_trylock(&vm->op_lock)) {
			ret = -EBUSY;
			continue;
		}
		err = prc_vm_evict_vm_bo(vm, vm_bo);
		mutex_unlock(&vm->op_lock);
		if (err)
			ret = err;
	}
	mutex_unlock(gpuva_lock);
	return ret;
}

/* The oldest evicted VMA of @vm, its BO referenced; NULL when none is left. */
static struct prc_vma *prc_vm_next_evicted(struct prc_vm *vm, struct prc_gem_object **bo)
{
	struct prc_vma *vma;

	mutex_lock(&vm->op_lock);
	vma = list_first_entry_or_null(&vm->evicted, struct prc_vma, evict_node);
	if (vma) {
		*bo = to_prc_gem(vma->base.gem.obj);
		drm_gem_object_get(&(*bo)->base);
	}
	mutex_unlock(&vm->op_lock);
	return vma;
}

/*
 * Pages back for a restore. Under pressure a swap-in may fail to get memory
 * while the core MM is still freeing some (kswapd behind, zram's pool
 * growing): while swap has room to take other memory, a failure is retried
 * a few times, a short sleep apart, before the submission fails with
 * -ENOMEM. Bounded:
 * at most PRC_RESTORE_TRIES - 1 sleeps of PRC_RESTORE_WAIT_MS.
 */
#define PRC_RESTORE_TRIES	4
#define PRC_RESTORE_WAIT_MS	20

static struct sg_table *prc_vm_restore_pages(struct prc_gem_object *bo)
{
	struct sg_table *sgt;
	unsigned int tries;

	for (tries = 1;; tries++) {
		sgt = prc_gem_get_sgt_locked(bo);
		if (!IS_ERR(sgt) || PTR_ERR(sgt) != -ENOMEM || tries == PRC_RESTORE_TRIES ||
		    get_nr_swap_pages() <= 0)
			return sgt;
		msleep(PRC_RESTORE_WAIT_MS);
	}
}

/* Map @vma again if it is still evicted; *@start, *@end grow to what was mapped. */
static int prc_vm_restore_vma(struct prc_vm *vm, struct prc_vma *vma, struct prc_gem_object *bo,
			      u64 *start, u64 *end)
{
	u64 va = vma->base.va.addr, size = vma->base.va.range;
	struct sg_table *sgt;
	int ret;

	/* The caller holds it: the VM's, or that of one of its external BOs. */
	dma_resv_assert_held(bo->base.resv);
	sgt = prc_vm_restore_pages(bo);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	ret = prc_pgtable_reserve(&vm->pt, va, size, GFP_KERNEL);
	if (!ret) {
		mutex_lock(&vm->op_lock);
		/*
		 * An asynchronous unbind may have retired it since: still in
		 * memory (freeing it needs the VM's resv), no longer listed.
		 */
		if (!list_empty(&vma->evict_node))
			ret = prc_vma_map(vm, vma, sgt);
		if (!ret && !list_empty(&vma->evict_node)) {
			list_del_init(&vma->evict_node);
			vma->evicted = false;
			prc_gem_gpu_map_get(bo);	/* under our pin */
			*start = min(*start, va);
			*end = max(*end, va + size);
		}
		mutex_unlock(&vm->op_lock);
		prc_pgtable_unreserve(&vm->pt, va, size);
	}
	/* The GPU mapping keeps the pages now. */
	prc_gem_unpin_pages(bo);
	return ret;
}

/**
 * prc_vm_restore() - map everything reclaim unmapped from a VM again
 * @vm: the VM; its resv and those of its external BOs must be held (a
 *	submission's drm_exec), so that nothing is evicted meanwhile
 *
 * Called before the VM's jobs are queued. Allocates (pages, page-table
 * pages): never from the fence-signalling path.
 *
 * Return: 0, or -ENOMEM (what was mapped again stays mapped).
 */
int prc_vm_restore(struct prc_vm *vm)
{
	u64 start = U64_MAX, end = 0;
	struct prc_gem_object *bo;
	struct prc_vma *vma;
	int ret = 0;

	dma_resv_assert_held(drm_gpuvm_resv(&vm->base));
	while (!ret && (vma = prc_vm_next_evicted(vm, &bo))) {
		ret = prc_vm_restore_vma(vm, vma, bo, &start, &end);
		drm_gem_object_put(&bo->base);
	}
	if (end > start) {
		mutex_lock(&vm->op_lock);
		prc_vm_flush(vm, start, end - start);
		mutex_unlock(&vm->op_lock);
	}
	return ret;
}
