// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GEM objects
 *
 * Our buffer objects are plain GEM objects with a shmem file behind them,
 * managed here rather than by drm_gem_shmem_helper so that reclaim decides
 * when pages come and go. Imported dma-bufs are wrapped by the same
 * structure, without shmem file or page array.
 *
 * Page lifetime. Creating a BO allocates nothing but the shmem file. The
 * pages arrive all at once, with a DMA mapping of them for the GPU, on the
 * first CPU fault, vmap or pin, and stay until the BO is freed or evicted;
 * unpinning or unmapping does not give them back. prc_gem_evict_locked()
 * first zaps every CPU mapping of the BO (DRM file and dma-buf mmaps alike,
 * through the fake mmap offset, which every mmappable BO is given before its
 * first mapping), then returns the pages to shmem marked dirty: shmem keeps
 * them, or writes them to swap, and the next fault, vmap or pin reads the
 * same bytes back. Eviction therefore never loses data; it is refused while
 * the BO is pinned, vmapped or mapped on the GPU.
 *
 * Huge pages. The shmem files live on a tmpfs mounted huge=within_size when
 * the kernel has transparent huge pages (see compat.c; module parameter
 * transparent_hugepage): BOs of 2 MiB and more then get 2 MiB folios where
 * memory allows, which the page tables map with 2 MiB blocks.
 *
 * Cache coherency. On a device that does not snoop CPU caches, every CPU
 * mapping (user mmap, kernel vmap) is write-combined, and the DMA mapping
 * made with the pages cleans the CPU caches of whatever shmem wrote through
 * the cached linear map (zeroing, swap-in), so the WC views and the GPU see
 * memory, not stale lines; the DMA unmapping on eviction invalidates the
 * caches before shmem reads the pages to swap them out. Coherent devices get
 * cached mappings, and so do BOs created with DRM_PANTHOR_BO_WB_MMAP, whose
 * users keep the caches coherent with BO_SYNC (prc_gem_sync()); eviction
 * cleans their caches before that invalidation, so a write userspace did not
 * sync is not lost either.
 *
 * Reclaim states. prc_gem_reclaim_state_locked() sorts a BO into the states
 * of &enum prc_gem_reclaim_state from its counts: pins (@pin_count, also
 * taken by dma-buf attachments), kernel mappings (@vmap_count), CPU mappings
 * (@mmap_count, kept by the VMA callbacks) and GPU mappings (@gpu_map_count,
 * kept by the VM code). BOs userspace owns are tracked on their device's
 * &struct prc_gem_lru, one list per state, counted in pages as they move:
 * the shrinker's O(1) counts and its scan order. Nothing here reclaims by
 * itself.
 *
 * Disposable content. A BO userspace advised DONTNEED (prc_gem_madvise())
 * or created DRM_PANTHOR_PRC_BO_DISCARDABLE may lose its content instead of
 * being swapped out: prc_gem_drop_locked() truncates its shmem file, the BO
 * reads back as zeroes and the next BO_MADVISE reports the loss. These are
 * the only ways reclaim lets a byte go.
 *
 * Locking. The page state (pages, DMA mapping, pins, vmap) is protected by
 * the BO's reservation object, which a VM-private BO shares with its VM.
 * Lock order: mmap_lock, then resv (the fault handler runs under mmap_lock
 * and takes resv), then the address space's i_mmap_rwsem (eviction zaps
 * mappings under resv), then &prc_gem_object.gpuva_lock. So nobody may
 * touch user memory (copy_to_user(), get_user_pages()) while holding a resv,
 * and reclaim, which must not wait for any of these, only ever trylocks.
 * Freeing a BO takes no lock, so the last reference may be dropped under
 * any resv, with one exception: freeing an import detaches it from the
 * dma-buf, which takes the dma-buf's reservation object, the import's own.
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/property.h>
#include <linux/scatterlist.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string_choices.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "compat/compat.h"
#include "gem.h"
#include "memcg.h"
#include "trace.h"

/*
 * The dma-buf symbols live in the DMA_BUF namespace. Written as the modinfo
 * tag MODULE_IMPORT_NS() expands to, because its argument changed from an
 * identifier to a string in v6.13 and the tag did not.
 */
MODULE_INFO(import_ns, "DMA_BUF");

/* Module-wide statistics: live BOs and resident (shmem-held) pages. */
static atomic_long_t prc_gem_nr_objects = ATOMIC_LONG_INIT(0);
static atomic_long_t prc_gem_nr_resident = ATOMIC_LONG_INIT(0);

/* Pinned pages must not sit in ZONE_MOVABLE; failures go back as -ENOMEM, quietly. */
#define PRC_GEM_GFP	(GFP_HIGHUSER | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

static unsigned int prc_gem_npages(const struct prc_gem_object *bo)
{
	return bo->base.size >> PAGE_SHIFT;
}

/*
 * The reclaim state of @bo from its counts. Exact under resv; without it
 * (prc_gem_lru_move()), a snapshot whose fields are each read once.
 */
static enum prc_gem_reclaim_state prc_gem_state_of(struct prc_gem_object *bo)
{
	/* data_race(): changed under resv, which an LRU move does not hold; see the caller. */
	unsigned int pins = data_race(bo->pin_count);
	/* data_race(): likewise; the move after each change reads the counts again. */
	unsigned int vmaps = data_race(bo->vmap_count);

	if (prc_gem_is_imported(bo) || (bo->flags & PRC_GEM_KERNEL) || !READ_ONCE(bo->pages) ||
	    pins || vmaps)
		return PRC_GEM_UNRECLAIMABLE;
	/* Exported: its other users never said the content is disposable. */
	if (READ_ONCE(bo->exported))
		return PRC_GEM_SHARED;
	if (READ_ONCE(bo->dontneed))
		return PRC_GEM_PURGEABLE;
	if (bo->flags & DRM_PANTHOR_PRC_BO_DISCARDABLE)
		return PRC_GEM_DISCARDABLE;
	if (atomic_read(&bo->gpu_map_count))
		return bo->resv_owner ? PRC_GEM_GPU_MAPPED : PRC_GEM_SHARED;
	return atomic_read(&bo->mmap_count) ? PRC_GEM_MMAPPED : PRC_GEM_UNUSED;
}

static struct prc_gem_vm_root *to_prc_vm_root(struct drm_gem_object *obj)
{
	return container_of(obj, struct prc_gem_vm_root, base);
}

/*
 * Put @bo at the tail of the LRU list of its state now, or on none when it
 * is not resident; called after every change of what the state depends on
 * (see &struct prc_gem_lru). Takes only the LRU's spinlock: fine in the
 * fence-signalling path, not in interrupt context.
 */
static void prc_gem_lru_move(struct prc_gem_object *bo)
{
	struct prc_gem_lru *lru = bo->lru;
	unsigned long npages = prc_gem_npages(bo);
	struct prc_gem_vm_root *root;
	int state;

	if (!lru)
		return;
	spin_lock(&lru->lock);
	state = READ_ONCE(bo->pages) ? prc_gem_state_of(bo) : -1;
	if (bo->lru_state >= 0) {
		list_del(&bo->lru_node);
		lru->pages[bo->lru_state] -= npages;
		if (bo->lru_state == PRC_GEM_GPU_MAPPED) {
			root = to_prc_vm_root(bo->resv_owner);
			root->pages -= npages;
			if (list_empty(&root->bos))
				list_del_init(&root->node);
		}
	}
	if (state == PRC_GEM_GPU_MAPPED) {
		/* A VM joins the LRU as its newest with its first such BO. */
		root = to_prc_vm_root(bo->resv_owner);
		list_add_tail(&bo->lru_node, &root->bos);
		root->pages += npages;
		if (list_empty(&root->node))
			list_add_tail(&root->node, &lru->vms);
	} else if (state >= 0) {
		list_add_tail(&bo->lru_node, &lru->lists[state]);
	}
	if (state >= 0)
		lru->pages[state] += npages;
	prc_memcg_move(bo, bo->lru_state, state);
	bo->lru_state = state;
	spin_unlock(&lru->lock);
}

static void prc_gem_vm_root_free(struct drm_gem_object *obj)
{
	drm_gem_object_release(obj);
	kfree(to_prc_vm_root(obj));
}

static const struct drm_gem_object_funcs prc_gem_vm_root_funcs = {
	.free = prc_gem_vm_root_free,
};

/**
 * prc_gem_vm_root_new() - a VM's root object (&struct prc_gem_vm_root)
 * @drm: the device
 *
 * For drm_gpuvm_init() and the VM's private BOs (prc_gem_create()), in
 * place of drm_gpuvm_resv_object_alloc(): the same GEM object of size 0,
 * plus the VM's place on the reclaim LRU.
 *
 * Return: the object with one reference, or NULL.
 */
struct drm_gem_object *prc_gem_vm_root_new(struct drm_device *drm)
{
	struct prc_gem_vm_root *root = kzalloc(sizeof(*root), GFP_KERNEL);

	if (!root)
		return NULL;
	root->base.funcs = &prc_gem_vm_root_funcs;
	drm_gem_private_object_init(drm, &root->base, 0);
	INIT_LIST_HEAD(&root->node);
	INIT_LIST_HEAD(&root->bos);
	INIT_LIST_HEAD(&root->heap_node);
	return &root->base;
}

/**
 * prc_gem_lru_touch_vm() - a VM is being submitted to: its BOs are the
 * newest for reclaim
 * @lru: the device's LRU
 * @root: the VM's root object (prc_gem_vm_root_new())
 *
 * One move, whatever the number of BOs. Takes only the LRU's spinlock.
 */
void prc_gem_lru_touch_vm(struct prc_gem_lru *lru, struct drm_gem_object *root)
{
	struct prc_gem_vm_root *r = to_prc_vm_root(root);

	spin_lock(&lru->lock);
	if (!list_empty(&r->node))
		list_move_tail(&r->node, &lru->vms);
	if (!list_empty(&r->heap_node))
		list_move_tail(&r->heap_node, &lru->heap_vms);
	spin_unlock(&lru->lock);
}

/**
 * prc_gem_lru_heap_pages() - count a VM's tiler-heap pages reclaim could
 * discard
 * @lru: the device's LRU
 * @root: the VM's root object
 * @delta: pages that became discardable (> 0) or stopped being so (< 0):
 *	chunks made, restored, discarded or freed
 *
 * A VM joins &prc_gem_lru.heap_vms as its newest with its first such page
 * and leaves with its last. Takes only the LRU's spinlock: fine where a
 * heap grows, in the fence-signalling path.
 */
void prc_gem_lru_heap_pages(struct prc_gem_lru *lru, struct drm_gem_object *root, long delta)
{
	struct prc_gem_vm_root *r = to_prc_vm_root(root);

	spin_lock(&lru->lock);
	r->heap_pages += delta;
	lru->heap_pages += delta;
	if (!r->heap_pages)
		list_del_init(&r->heap_node);
	else if (list_empty(&r->heap_node))
		list_add_tail(&r->heap_node, &lru->heap_vms);
	spin_unlock(&lru->lock);
}

/**
 * prc_gem_vm_root_set_heap_vm() - tell reclaim where a VM's heaps are
 * @root: the VM's root object
 * @vm: the VM when its heap pool is made; NULL, with @root's resv held,
 *	before the pool goes
 */
void prc_gem_vm_root_set_heap_vm(struct drm_gem_object *root, struct prc_vm *vm)
{
	if (!vm)
		dma_resv_assert_held(root->resv);
	WRITE_ONCE(to_prc_vm_root(root)->heap_vm, vm);
}

/**
 * prc_gem_vm_root_heap_vm() - the VM whose heaps reclaim may discard
 * @root: the VM's root object, its resv held
 *
 * Return: the VM, alive while the resv stays held; NULL once its heap pool
 * went (or before it came).
 */
struct prc_vm *prc_gem_vm_root_heap_vm(struct drm_gem_object *root)
{
	dma_resv_assert_held(root->resv);
	return READ_ONCE(to_prc_vm_root(root)->heap_vm);
}

/**
 * prc_gem_lru_init() - set up an empty reclaim LRU
 * @lru: the LRU, one per device
 */
void prc_gem_lru_init(struct prc_gem_lru *lru)
{
	int i;

	spin_lock_init(&lru->lock);
	INIT_LIST_HEAD(&lru->vms);
	INIT_LIST_HEAD(&lru->heap_vms);
	INIT_LIST_HEAD(&lru->memcgs);
	lru->memcg_lru = NULL;
	lru->heap_pages = 0;
	for (i = 0; i < PRC_GEM_NR_RECLAIM_STATES; i++) {
		INIT_LIST_HEAD(&lru->lists[i]);
		lru->pages[i] = 0;
	}
	atomic_long_set(&lru->evicted, 0);
	atomic_long_set(&lru->restored, 0);
	atomic_long_set(&lru->size_pages, 0);
	atomic_long_set(&lru->out_pages, 0);
	atomic_long_set(&lru->purged, 0);
	atomic_long_set(&lru->discarded, 0);
	atomic_long_set(&lru->heap_discarded, 0);
	atomic_long_set(&lru->heap_restored, 0);
}

/**
 * prc_gem_lru_track() - have reclaim see a BO
 * @bo: a shmem-backed BO userspace owns, not resident yet (just created)
 * @lru: its device's LRU, which must outlive the BO
 *
 * From its first page on, the BO is on @lru's list of its reclaim state.
 * Kernel BOs and imports are never tracked: reclaim has nothing to take
 * from them.
 */
void prc_gem_lru_track(struct prc_gem_object *bo, struct prc_gem_lru *lru)
{
	if (drm_WARN_ON(bo->base.dev, prc_gem_is_imported(bo) || (bo->flags & PRC_GEM_KERNEL) ||
			bo->pages || bo->lru))
		return;
	bo->lru = lru;
	atomic_long_add(prc_gem_npages(bo), &lru->size_pages);
}

/**
 * prc_gem_lru_pages() - pages of the BOs of an LRU in one reclaim state
 * @lru: the LRU
 * @state: the state
 *
 * Return: the count, read without the lock (a shrinker's estimate).
 */
unsigned long prc_gem_lru_pages(struct prc_gem_lru *lru, enum prc_gem_reclaim_state state)
{
	return READ_ONCE(lru->pages[state]);
}

/* Get the pages from shmem and map them for the device; no-op if resident. */
static int prc_gem_acquire_pages(struct prc_gem_object *bo)
{
	struct drm_gem_object *obj = &bo->base;
	struct sg_table *sgt;
	struct page **pages;
	int ret;

	dma_resv_assert_held(obj->resv);
	if (bo->pages)
		return 0;

	pages = drm_gem_get_pages(obj);
	if (IS_ERR(pages))
		return PTR_ERR(pages);
	sgt = drm_prime_pages_to_sg(obj->dev, pages, prc_gem_npages(bo));
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_put_pages;
	}
	/* Also cleans the CPU caches of what shmem wrote through the linear map. */
	ret = dma_map_sgtable(obj->dev->dev, sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_free_sgt;

	bo->sgt = sgt;
	/* While no LRU move can see the pages: the BO is on no cgroup's list. */
	prc_memcg_attach(bo, pages[0]);
	/* Read without resv by prc_gem_lru_move() and fdinfo. */
	WRITE_ONCE(bo->pages, pages);
	atomic_long_add(prc_gem_npages(bo), &prc_gem_nr_resident);
	if (bo->evicted) {
		WRITE_ONCE(bo->evicted, false);
		atomic_long_add(prc_gem_npages(bo), &bo->lru->restored);
		atomic_long_sub(prc_gem_npages(bo), &bo->lru->out_pages);
		trace_prc_restore(bo, prc_gem_npages(bo));
	}
	prc_gem_lru_move(bo);
	return 0;

err_free_sgt:
	sg_free_table(sgt);
	kfree(sgt);
err_put_pages:
	/* Nobody wrote to them: no need to mark them dirty. */
	drm_gem_put_pages(obj, pages, false, false);
	return ret;
}

/*
 * Unmap and give the pages back to shmem. @dirty: they may hold data written
 * through a CPU mapping or by the GPU, which shmem must keep (or swap out)
 * rather than drop as clean page cache. Called under resv, or from free.
 */
static void prc_gem_release_pages(struct prc_gem_object *bo, bool dirty)
{
	struct drm_gem_object *obj = &bo->base;

	if (bo->sgt) {
		/*
		 * A cached CPU mapping (WB_MMAP) may hold dirty lines userspace
		 * never cleaned with BO_SYNC: write them back first, or the
		 * invalidation below would drop them and shmem keep old bytes.
		 */
		if (dirty && !bo->map_wc)
			dma_sync_sgtable_for_device(obj->dev->dev, bo->sgt, DMA_TO_DEVICE);
		/* Invalidates the CPU caches: shmem must read what the device wrote. */
		dma_unmap_sgtable(obj->dev->dev, bo->sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(bo->sgt);
		kfree(bo->sgt);
		bo->sgt = NULL;
	}
	if (bo->pages) {
		drm_gem_put_pages(obj, bo->pages, dirty, false);
		WRITE_ONCE(bo->pages, NULL);
		atomic_long_sub(prc_gem_npages(bo), &prc_gem_nr_resident);
		prc_gem_lru_move(bo);
	}
}

/**
 * prc_gem_pin_pages() - make a BO resident and keep it so
 * @bo: the BO; its resv must be held
 *
 * Allocates the pages (and their DMA mapping) if the BO is not resident and
 * takes a pin, which keeps eviction away until prc_gem_unpin_pages(). For
 * imports only the pin is counted: the attachment keeps their memory.
 *
 * Return: 0, or a negative errno (-ENOMEM) with no pin taken.
 */
int prc_gem_pin_pages(struct prc_gem_object *bo)
{
	int ret;

	dma_resv_assert_held(bo->base.resv);
	if (!prc_gem_is_imported(bo)) {
		ret = prc_gem_acquire_pages(bo);
		if (ret)
			return ret;
	}
	bo->pin_count++;
	prc_gem_lru_move(bo);
	return 0;
}

/**
 * prc_gem_unpin_pages() - drop a pin taken by prc_gem_pin_pages() or
 * prc_gem_get_sgt_locked()
 * @bo: the BO; its resv must be held
 *
 * The pages stay resident after the last pin is gone, until the BO is
 * evicted or freed.
 */
void prc_gem_unpin_pages(struct prc_gem_object *bo)
{
	dma_resv_assert_held(bo->base.resv);
	if (drm_WARN_ON(bo->base.dev, !bo->pin_count))
		return;
	bo->pin_count--;
	prc_gem_lru_move(bo);
}

/**
 * prc_gem_get_sgt_locked() - pin a BO and get its DMA addresses for the GPU
 * @bo: the BO; its resv must be held
 *
 * Takes a pin like prc_gem_pin_pages(); drop it with prc_gem_unpin_pages().
 * The table belongs to the BO: it is DMA-mapped for the BO's device,
 * bidirectional, and stays valid while the BO is resident, that is at least
 * while the pin (or a GPU mapping, see &prc_gem_object.gpu_map_count) is
 * held. For an import it is the importer's mapping of the dma-buf.
 *
 * Return: the sg_table, or an ERR_PTR() (-ENOMEM) with no pin taken.
 */
struct sg_table *prc_gem_get_sgt_locked(struct prc_gem_object *bo)
{
	int ret = prc_gem_pin_pages(bo);

	if (ret)
		return ERR_PTR(ret);
	return bo->sgt;
}

/**
 * prc_gem_evict_locked() - give a BO's pages back to shmem
 * @bo: the BO; its resv must be held
 *
 * Zaps every CPU mapping of the BO, unmaps the pages from the device and
 * returns them to shmem as dirty, so that their content is kept in the page
 * cache or in swap; the next fault, vmap or pin reads it back. Refused while
 * the BO is pinned, vmapped or GPU-mapped.
 *
 * Return: 0 when the BO is not resident (any more), -EBUSY when it is in use,
 * -EINVAL for an import (its memory is the exporter's).
 */
int prc_gem_evict_locked(struct prc_gem_object *bo)
{
	struct drm_gem_object *obj = &bo->base;

	dma_resv_assert_held(obj->resv);
	if (prc_gem_is_imported(bo))
		return -EINVAL;
	if (bo->pin_count || bo->vmap_count || atomic_read(&bo->gpu_map_count))
		return -EBUSY;
	if (!bo->pages)
		return 0;

	/* A fault racing with us waits for resv, then brings the pages back. */
	drm_vma_node_unmap(&obj->vma_node, obj->dev->anon_inode->i_mapping);
	if (bo->lru) {
		WRITE_ONCE(bo->evicted, true);
		bo->evictions++;
		atomic_long_add(prc_gem_npages(bo), &bo->lru->evicted);
		atomic_long_add(prc_gem_npages(bo), &bo->lru->out_pages);
	}
	trace_prc_evict(bo, prc_gem_npages(bo));
	prc_gem_release_pages(bo, true);
	return 0;
}

/**
 * prc_gem_write_out() - push an evicted BO's pages to swap now
 * @bo: a BO prc_gem_evict_locked() just evicted; its resv must be held (so
 *	that no fault brings the pages back meanwhile)
 *
 * Eviction leaves the pages dirty in shmem's page cache, where the core MM
 * finds them when it scans its LRU lists; this writes them to swap right
 * away instead, so their memory is free as soon as the writes complete.
 * Only for callers that may do I/O (__GFP_IO in a shrinker's gfp mask).
 * Takes the folio locks (nothing waits for them: a folio someone else
 * holds is left to the core MM).
 *
 * Return: pages whose write started.
 */
unsigned long prc_gem_write_out(struct prc_gem_object *bo)
{
	struct address_space *mapping = bo->base.filp->f_mapping;
	pgoff_t index = 0, end = prc_gem_npages(bo);
	unsigned long written = 0;

	dma_resv_assert_held(bo->base.resv);
	if (bo->pages || get_nr_swap_pages() <= 0)
		return 0;
	while (index < end) {
		struct folio *folio = filemap_get_folio(mapping, index);
		unsigned long nr;
		pgoff_t first;
		bool started;

		if (IS_ERR(folio)) {
			/* Not in memory (swapped out already) or a hole. */
			index++;
			continue;
		}
		first = folio->index;
		nr = folio_nr_pages(folio);
		index = first + nr;
		if (!folio_trylock(folio)) {
			folio_put(folio);
			continue;
		}
		if (folio->mapping != mapping || folio_mapped(folio) ||
		    !folio_clear_dirty_for_io(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		/* Freed on write completion rather than waiting for the LRU's next pass. */
		folio_set_reclaim(folio);
		started = prc_shmem_writeout(folio);
		if (!started)
			folio_unlock(folio);
		if (!folio_test_writeback(folio))
			folio_clear_reclaim(folio);
		/* Split to write it: its other pages are small folios now, still to write. */
		if (folio_nr_pages(folio) != nr) {
			nr = folio_nr_pages(folio);
			index = first + nr;
		}
		if (started)
			written += nr;
		folio_put(folio);
	}
	return written;
}

/**
 * prc_gem_drop_locked() - drop a disposable BO's content, for reclaim
 * @bo: a BO advised DONTNEED or created discardable; its resv must be held
 *
 * Like prc_gem_evict_locked(), but the pages are not kept: the shmem file is
 * truncated, so nothing goes to swap, and the next fault, vmap, pin or job
 * gets zeroed pages. The loss is reported by the next BO_MADVISE.
 *
 * Return: 0 (nothing resident is fine), -EBUSY when the BO is in use,
 * -EINVAL when userspace did not declare the content disposable.
 */
int prc_gem_drop_locked(struct prc_gem_object *bo)
{
	struct drm_gem_object *obj = &bo->base;
	bool purge = bo->dontneed;

	dma_resv_assert_held(obj->resv);
	if (prc_gem_is_imported(bo) || !bo->lru || READ_ONCE(bo->exported) ||
	    !(purge || (bo->flags & DRM_PANTHOR_PRC_BO_DISCARDABLE)))
		return -EINVAL;
	if (bo->pin_count || bo->vmap_count || atomic_read(&bo->gpu_map_count))
		return -EBUSY;
	if (!bo->pages)
		return 0;

	drm_vma_node_unmap(&obj->vma_node, obj->dev->anon_inode->i_mapping);
	if (purge) {
		atomic_long_add(prc_gem_npages(bo), &bo->lru->purged);
		trace_prc_purge(bo, prc_gem_npages(bo));
	} else {
		atomic_long_add(prc_gem_npages(bo), &bo->lru->discarded);
		trace_prc_discard(bo, prc_gem_npages(bo));
	}
	/* Not dirty: shmem need not keep them, and the truncation drops them. */
	prc_gem_release_pages(bo, false);
	shmem_truncate_range(file_inode(obj->filp), 0, (loff_t)-1);
	bo->lost = true;
	return 0;
}

/**
 * prc_gem_madvise() - DRM_IOCTL_PANTHOR_PRC_BO_MADVISE on a BO
 * @bo: the BO
 * @advice: DRM_PANTHOR_PRC_MADV_WILLNEED or _DONTNEED (checked by the caller)
 * @retained: out: false when reclaim dropped the content since the last call
 *
 * A pinned BO takes the advice; its pins keep the pages until they go.
 *
 * Return: 0, -EINVAL for imports and kernel BOs, -EINTR.
 */
int prc_gem_madvise(struct prc_gem_object *bo, u32 advice, bool *retained)
{
	int ret;

	if (prc_gem_is_imported(bo) || !bo->lru)
		return -EINVAL;
	ret = dma_resv_lock_interruptible(bo->base.resv, NULL);
	if (ret)
		return ret;
	*retained = !bo->lost;
	bo->lost = false;
	WRITE_ONCE(bo->dontneed, advice == DRM_PANTHOR_PRC_MADV_DONTNEED);
	dma_resv_unlock(bo->base.resv);
	prc_gem_lru_move(bo);
	return 0;
}

static int prc_gem_vmap_import(struct prc_gem_object *bo, void **vaddr)
{
	struct dma_buf *dmabuf = bo->base.import_attach->dmabuf;
	struct iosys_map map;
	int ret;

	ret = dma_buf_vmap(dmabuf, &map);
	if (ret)
		return ret;
	if (map.is_iomem) {
		/* Our users want plain memory pointers. */
		dma_buf_vunmap(dmabuf, &map);
		return -EOPNOTSUPP;
	}
	*vaddr = map.vaddr;
	return 0;
}

static int prc_gem_vmap_locked(struct prc_gem_object *bo, struct iosys_map *map)
{
	void *vaddr;
	int ret;

	dma_resv_assert_held(bo->base.resv);
	if (!bo->vmap_count) {
		if (prc_gem_is_imported(bo)) {
			ret = prc_gem_vmap_import(bo, &vaddr);
			if (ret)
				return ret;
		} else {
			pgprot_t prot = bo->map_wc ? pgprot_writecombine(PAGE_KERNEL) :
				       PAGE_KERNEL;

			ret = prc_gem_acquire_pages(bo);
			if (ret)
				return ret;
			vaddr = vmap(bo->pages, prc_gem_npages(bo), VM_MAP, prot);
			if (!vaddr)
				return -ENOMEM;
		}
		bo->vaddr = vaddr;
	}
	bo->vmap_count++;
	prc_gem_lru_move(bo);
	iosys_map_set_vaddr(map, bo->vaddr);
	return 0;
}

static void prc_gem_vunmap_locked(struct prc_gem_object *bo)
{
	dma_resv_assert_held(bo->base.resv);
	if (drm_WARN_ON(bo->base.dev, !bo->vmap_count))
		return;
	if (--bo->vmap_count)
		return;
	prc_gem_lru_move(bo);
	if (prc_gem_is_imported(bo)) {
		struct iosys_map map = IOSYS_MAP_INIT_VADDR(bo->vaddr);

		dma_buf_vunmap(bo->base.import_attach->dmabuf, &map);
	} else {
		vunmap(bo->vaddr);
	}
	bo->vaddr = NULL;
}

/**
 * prc_gem_vmap() - map a whole BO into the kernel's address space
 * @bo: the BO; takes its resv
 *
 * For kernel BOs (rings, firmware buffers, heap contexts) and tests. The
 * mapping is write-combined unless the device is coherent; the BO cannot be
 * evicted until the matching prc_gem_vunmap(). Nested calls return the same
 * address.
 *
 * Return: the address, or an ERR_PTR() (-ENOMEM; -EOPNOTSUPP for an import
 * whose exporter maps I/O memory).
 */
void *prc_gem_vmap(struct prc_gem_object *bo)
{
	struct iosys_map map;
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = prc_gem_vmap_locked(bo, &map);
	dma_resv_unlock(bo->base.resv);
	return ret ? ERR_PTR(ret) : map.vaddr;
}

/**
 * prc_gem_vunmap() - drop a mapping made by prc_gem_vmap()
 * @bo: the BO; takes its resv
 */
void prc_gem_vunmap(struct prc_gem_object *bo)
{
	dma_resv_lock(bo->base.resv, NULL);
	prc_gem_vunmap_locked(bo);
	dma_resv_unlock(bo->base.resv);
}

/**
 * prc_gem_gpu_map_get() - count a new GPU mapping of a BO
 * @bo: the BO; the caller holds its resv or a pin on it, or the BO is
 *	already GPU-mapped (splitting a mapping in two)
 *
 * See &prc_gem_object.gpu_map_count for why one of these is needed: each
 * keeps an evictor away while the count goes up.
 */
void prc_gem_gpu_map_get(struct prc_gem_object *bo)
{
	bool pinned;

	if (atomic_inc_not_zero(&bo->gpu_map_count))
		return;
	/* data_race(): an unlocked read is good enough for this sanity check. */
	pinned = data_race(bo->pin_count);
	drm_WARN_ON_ONCE(bo->base.dev, !pinned && !dma_resv_is_locked(bo->base.resv));
	atomic_inc(&bo->gpu_map_count);
	prc_gem_lru_move(bo);
}

/**
 * prc_gem_gpu_map_put() - count a GPU mapping of a BO gone
 * @bo: the BO; no lock needed
 */
void prc_gem_gpu_map_put(struct prc_gem_object *bo)
{
	int left = atomic_dec_if_positive(&bo->gpu_map_count);

	drm_WARN_ON_ONCE(bo->base.dev, left < 0);
	if (!left)
		prc_gem_lru_move(bo);
}

/**
 * prc_gem_reclaim_state_locked() - classify a BO for reclaim
 * @bo: the BO; its resv must be held
 *
 * Return: the BO's &enum prc_gem_reclaim_state. The CPU mapping count can
 * change without resv, so %PRC_GEM_UNUSED and %PRC_GEM_MMAPPED are a
 * snapshot; eviction handles both the same way.
 */
enum prc_gem_reclaim_state prc_gem_reclaim_state_locked(struct prc_gem_object *bo)
{
	dma_resv_assert_held(bo->base.resv);
	return prc_gem_state_of(bo);
}

/**
 * prc_gem_mmap_allowed() - whether userspace may map a BO with the CPU
 * @bo: the BO
 *
 * Return: false for BOs created with DRM_PANTHOR_BO_NO_MMAP and kernel BOs.
 */
bool prc_gem_mmap_allowed(const struct prc_gem_object *bo)
{
	return !(bo->flags & (DRM_PANTHOR_BO_NO_MMAP | PRC_GEM_KERNEL));
}

/**
 * prc_gem_can_map_in() - whether a BO may be mapped in a VM
 * @bo: the BO
 * @vm_root: the VM's root object (whose reservation its private BOs share)
 *
 * Return: false when @bo is private to another VM.
 */
bool prc_gem_can_map_in(const struct prc_gem_object *bo, const struct drm_gem_object *vm_root)
{
	return !bo->resv_owner || bo->resv_owner == vm_root;
}

static vm_fault_t prc_gem_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct prc_gem_object *bo = to_prc_gem(obj);
	unsigned long first = drm_vma_node_start(&obj->vma_node);
	vm_fault_t ret;
	pgoff_t idx;
	int err;

	/* vm_pgoff holds the fake offset, also after a split or a move. */
	if (vmf->pgoff < first || vmf->pgoff - first >= prc_gem_npages(bo))
		return VM_FAULT_SIGBUS;
	idx = vmf->pgoff - first;

	dma_resv_lock(obj->resv, NULL);
	err = prc_gem_acquire_pages(bo);
	if (err)
		ret = vmf_error(err);
	else
		ret = vmf_insert_pfn(vma, vmf->address, page_to_pfn(bo->pages[idx]));
	dma_resv_unlock(obj->resv);
	return ret;
}

/* A VMA was duplicated (fork) or split: one more mapping holding the BO. */
static void prc_gem_vm_open(struct vm_area_struct *vma)
{
	struct prc_gem_object *bo = to_prc_gem(vma->vm_private_data);

	atomic_inc(&bo->mmap_count);
	prc_gem_lru_move(bo);
	drm_gem_vm_open(vma);
}

static void prc_gem_vm_close(struct vm_area_struct *vma)
{
	struct prc_gem_object *bo = to_prc_gem(vma->vm_private_data);

	atomic_dec(&bo->mmap_count);
	prc_gem_lru_move(bo);
	/* May free the BO. */
	drm_gem_vm_close(vma);
}

static const struct vm_operations_struct prc_gem_vm_ops = {
	.fault = prc_gem_fault,
	.open = prc_gem_vm_open,
	.close = prc_gem_vm_close,
};

/*
 * drm_gem_object_funcs.mmap, reached through drm_gem_mmap_obj() (DRM file)
 * and drm_gem_prime_mmap() (dma-buf); both hold a BO reference for the VMA,
 * which our close callback drops.
 */
static int prc_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct prc_gem_object *bo = to_prc_gem(obj);
	int ret;

	if (prc_gem_is_imported(bo)) {
		/*
		 * The exporter maps its own memory, with its own VMA callbacks
		 * and file: the VMA no longer refers to our object, so drop the
		 * reference taken for it (as the DRM helpers do).
		 */
		vma->vm_private_data = NULL;
		vma->vm_ops = NULL;
		ret = dma_buf_mmap(obj->import_attach->dmabuf, vma, 0);
		if (ret)
			return ret;
		vm_flags_set(vma, VM_DONTEXPAND);
		drm_gem_object_put(obj);
		return 0;
	}

	/*
	 * Private (COW) mappings of PFN maps are not possible; and a mapping
	 * without fake offset could not be zapped by eviction.
	 */
	if (!prc_gem_mmap_allowed(bo) || prc_vma_is_cow_mapping(vma) ||
	    !drm_vma_node_size(&obj->vma_node))
		return -EINVAL;

	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	if (bo->map_wc)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	vma->vm_private_data = obj;
	vma->vm_ops = &prc_gem_vm_ops;
	atomic_inc(&bo->mmap_count);
	prc_gem_lru_move(bo);
	return 0;
}

static int prc_gem_funcs_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	return prc_gem_vmap_locked(to_prc_gem(obj), map);
}

static void prc_gem_funcs_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	prc_gem_vunmap_locked(to_prc_gem(obj));
}

/* dma-buf attachments pin the pages (drm_gem_map_attach(), resv held). */
static int prc_gem_funcs_pin(struct drm_gem_object *obj)
{
	return prc_gem_pin_pages(to_prc_gem(obj));
}

static void prc_gem_funcs_unpin(struct drm_gem_object *obj)
{
	prc_gem_unpin_pages(to_prc_gem(obj));
}

/*
 * For drm_gem_map_dma_buf(), resv held: a fresh table of the pages, which
 * the importer maps for its own device and frees. The attachment pinned
 * the pages, so they are resident.
 */
static struct sg_table *prc_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct prc_gem_object *bo = to_prc_gem(obj);

	dma_resv_assert_held(obj->resv);
	if (prc_gem_is_imported(bo) || !bo->pages)
		return ERR_PTR(-EINVAL);
	return drm_prime_pages_to_sg(obj->dev, bo->pages, prc_gem_npages(bo));
}

/**
 * prc_gem_prime_export() - export a BO as a dma-buf
 * @obj: the BO's GEM object
 * @flags: file flags of the dma-buf (O_RDWR, O_CLOEXEC)
 *
 * Also &drm_gem_object_funcs.export. BOs private to a VM share its
 * reservation object and cannot leave it; kernel BOs are never exported.
 * The BO gets its fake mmap offset first, so that eviction can zap mappings
 * made through the dma-buf too.
 *
 * Return: the dma-buf, or an ERR_PTR() (-EINVAL, -ENOMEM).
 */
struct dma_buf *prc_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	struct prc_gem_object *bo = to_prc_gem(obj);
	struct dma_buf *dmabuf;
	int ret;

	if (bo->resv_owner || (bo->flags & PRC_GEM_KERNEL) || prc_gem_is_imported(bo))
		return ERR_PTR(-EINVAL);
	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		return ERR_PTR(ret);
	dmabuf = drm_gem_prime_export(obj, flags);
	if (!IS_ERR(dmabuf)) {
		WRITE_ONCE(bo->exported, true);
		prc_gem_lru_move(bo);
	}
	return dmabuf;
}

/**
 * prc_gem_sync() - CPU cache maintenance on a range of a BO (BO_SYNC)
 * @bo: the BO
 * @type: DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH to write CPU caches back
 *	  before the GPU reads, ..._FLUSH_AND_INVALIDATE to also drop the
 *	  lines before the CPU reads what the GPU wrote
 * @offset: start of the range in the BO
 * @size: length of the range; the cache maintenance covers whole lines
 *
 * Only cached mappings of a device that does not snoop need it, that is
 * WB_MMAP BOs; for write-combined ones it does nothing, and on a coherent
 * device the DMA API makes it free. A BO without pages has nothing in the
 * CPU caches (eviction cleaned them when it DMA-unmapped the pages), so it
 * is not brought back for this.
 *
 * Return: 0; -EINVAL for a range past the end, an import (its exporter
 * owns its caches) or an unknown @type; -EINTR when interrupted waiting
 * for the BO's lock.
 */
int prc_gem_sync(struct prc_gem_object *bo, u32 type, u64 offset, u64 size)
{
	struct device *dev = bo->base.dev->dev;
	struct scatterlist *sg;
	u64 end;
	int ret;
	u32 i;

	if (check_add_overflow(offset, size, &end) || end > bo->base.size)
		return -EINVAL;
	if (prc_gem_is_imported(bo))
		return -EINVAL;
	if (type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH &&
	    type != DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
		return -EINVAL;
	if (bo->map_wc || !size)
		return 0;

	ret = dma_resv_lock_interruptible(bo->base.resv, NULL);
	if (ret)
		return ret;
	if (!bo->pages)
		goto out_unlock;
	for_each_sgtable_dma_sg(bo->sgt, sg, i) {
		dma_addr_t addr = sg_dma_address(sg);
		u64 len = sg_dma_len(sg);

		if (offset >= len) {
			offset -= len;
			continue;
		}
		addr += offset;
		len = min(len - offset, size);
		offset = 0;
		/* Clean: what the CPU wrote reaches memory. */
		dma_sync_single_for_device(dev, addr, len, DMA_TO_DEVICE);
		/*
		 * Invalidate too: a bidirectional sync for the device may only
		 * clean on arm64, so the lines are dropped explicitly.
		 */
		if (type == DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE)
			dma_sync_single_for_cpu(dev, addr, len, DMA_FROM_DEVICE);
		size -= len;
		if (!size)
			break;
	}
out_unlock:
	dma_resv_unlock(bo->base.resv);
	return 0;
}

/**
 * prc_gem_set_label() - name a BO, or remove its name
 * @bo: the BO
 * @label: a kmalloc()ed NUL-terminated string the BO takes ownership of, or
 *	   NULL to clear the label
 *
 * The previous label is freed. An empty string is a label, distinct from
 * NULL, as in panthor.
 */
void prc_gem_set_label(struct prc_gem_object *bo, const char *label)
{
	const char *old;

	spin_lock(&bo->label_lock);
	old = bo->label;
	bo->label = label;
	spin_unlock(&bo->label_lock);
	kfree(old);
}

static void prc_gem_print_info(struct drm_printer *p, unsigned int indent,
			       const struct drm_gem_object *obj)
{
	/* Not const: printing the label takes its lock, not object state. */
	struct prc_gem_object *bo = container_of(obj, struct prc_gem_object, base);
	bool busy;

	drm_printf_indent(p, indent, "flags=0x%x\n", bo->flags);
	spin_lock(&bo->label_lock);
	if (bo->label)
		drm_printf_indent(p, indent, "label=\"%s\"\n", bo->label);
	spin_unlock(&bo->label_lock);
	/* data_race(): debugfs prints a snapshot, without taking the resv. */
	drm_printf_indent(p, indent, "resident=%s\n", str_yes_no(data_race(bo->pages)));
	/* data_race(): as above. */
	drm_printf_indent(p, indent, "pin_count=%u\n", data_race(bo->pin_count));
	/* data_race(): as above. */
	drm_printf_indent(p, indent, "vmap_count=%u\n", data_race(bo->vmap_count));
	drm_printf_indent(p, indent, "mmap_count=%d\n", atomic_read(&bo->mmap_count));
	drm_printf_indent(p, indent, "gpu_map_count=%d\n", atomic_read(&bo->gpu_map_count));
	drm_printf_indent(p, indent, "vm_private=%s\n", str_yes_no(bo->resv_owner));
	if (bo->lru) {
		static const char * const names[] = {
			[PRC_GEM_UNRECLAIMABLE] = "unreclaimable",
			[PRC_GEM_PURGEABLE] = "purgeable", [PRC_GEM_DISCARDABLE] = "discardable",
			[PRC_GEM_UNUSED] = "unused", [PRC_GEM_MMAPPED] = "mmapped",
			[PRC_GEM_GPU_MAPPED] = "gpu", [PRC_GEM_SHARED] = "shared",
		};
		/* data_race(): a snapshot, as above; -1 is "not resident". */
		int state = data_race(bo->lru_state);
		/* data_race(): likewise. */
		unsigned int evictions = data_race(bo->evictions);

		drm_printf_indent(p, indent, "reclaim=%s evicted=%s evictions=%u\n",
				  state >= 0 ? names[state] : "none",
				  str_yes_no(READ_ONCE(bo->evicted)), evictions);
	}
	/* Any fence unsignalled, book-keeping ones included: a job of a VM it is in. */
	busy = !dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP);
	drm_printf_indent(p, indent, "busy=%s\n", str_yes_no(busy));
}

/* Last reference gone: no lock may be taken here (the resv may be a VM's, held by our caller). */
static void prc_gem_free(struct drm_gem_object *obj)
{
	struct prc_gem_object *bo = to_prc_gem(obj);
	struct drm_gem_object *owner = bo->resv_owner;

	drm_WARN_ON(obj->dev, bo->pin_count || bo->vmap_count ||
		    atomic_read(&bo->mmap_count) || atomic_read(&bo->gpu_map_count));
	if (prc_gem_is_imported(bo)) {
		/* Unmaps @sgt, detaches, drops the dma-buf reference of the import. */
		drm_prime_gem_destroy(obj, bo->sgt);
	} else {
		if (bo->vaddr)
			vunmap(bo->vaddr);
		/* The shmem file goes away with the object: nothing to keep. */
		prc_gem_release_pages(bo, false);
	}
	if (bo->lru) {
		prc_memcg_detach(bo);
		atomic_long_sub(prc_gem_npages(bo), &bo->lru->size_pages);
		if (bo->evicted)
			atomic_long_sub(prc_gem_npages(bo), &bo->lru->out_pages);
	}
	drm_gem_object_release(obj);
	mutex_destroy(&bo->gpuva_lock);
	kfree(bo->label);
	kfree(bo);
	atomic_long_dec(&prc_gem_nr_objects);
	/* Last: our resv pointer was the owner's. */
	drm_gem_object_put(owner);
}

/*
 * For fdinfo's memory stats: resident while it has pages (imports: always,
 * the exporter holds them). Read without resv, under the file's table lock:
 * a racing eviction only makes one report a page count off.
 */
static enum drm_gem_object_status prc_gem_status(struct drm_gem_object *obj)
{
	struct prc_gem_object *bo = to_prc_gem(obj);
	enum drm_gem_object_status status = 0;

	if (prc_gem_is_imported(bo) || READ_ONCE(bo->pages))
		status |= DRM_GEM_OBJECT_RESIDENT;
	/* drm-purgeable-memory: the DRM core counts it only while resident and idle. */
	if (READ_ONCE(bo->dontneed))
		status |= DRM_GEM_OBJECT_PURGEABLE;
	return status;
}

/* The GEM callbacks of every BO of this driver, imports included. */
const struct drm_gem_object_funcs prc_gem_object_funcs = {
	.free = prc_gem_free,
	.print_info = prc_gem_print_info,
	.export = prc_gem_prime_export,
	.pin = prc_gem_funcs_pin,
	.unpin = prc_gem_funcs_unpin,
	.get_sg_table = prc_gem_get_sg_table,
	.vmap = prc_gem_funcs_vmap,
	.vunmap = prc_gem_funcs_vunmap,
	.mmap = prc_gem_mmap,
	.vm_ops = &prc_gem_vm_ops,
	.status = prc_gem_status,
};

static struct prc_gem_object *prc_gem_alloc(struct drm_device *drm, u32 flags)
{
	struct prc_gem_object *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return NULL;
	bo->base.funcs = &prc_gem_object_funcs;
	bo->flags = flags;
	/* WB_MMAP: userspace asked for cached mappings and keeps them coherent itself. */
	bo->map_wc = device_get_dma_attr(drm->dev) != DEV_DMA_COHERENT &&
		     !(flags & DRM_PANTHOR_BO_WB_MMAP);
	atomic_set(&bo->mmap_count, 0);
	atomic_set(&bo->gpu_map_count, 0);
	INIT_LIST_HEAD(&bo->lru_node);
	INIT_LIST_HEAD(&bo->memcg_node);
	bo->lru_state = -1;
	mutex_init(&bo->gpuva_lock);
	spin_lock_init(&bo->label_lock);
	return bo;
}

/* After drm_gem_(private_)object_init(): what the VM code needs from the object. */
static void prc_gem_init_done(struct prc_gem_object *bo)
{
	/* drm_gem_private_object_init() does it only for DRIVER_GEM_GPUVA devices. */
	drm_gem_gpuva_init(&bo->base);
	prc_gem_gpuva_set_lock(&bo->base, &bo->gpuva_lock);
	atomic_long_inc(&prc_gem_nr_objects);
}

/**
 * prc_gem_create() - create a shmem-backed BO
 * @drm: the DRM device; its parent device is the one the pages are
 *	 DMA-mapped for
 * @size: size in bytes, rounded up to whole pages
 * @flags: DRM_PANTHOR_BO_* uAPI flags and PRC_GEM_* kernel flags; the
 *	   caller must have refused kernel flags coming from userspace
 * @resv_owner: GEM object whose reservation object the BO shares (a VM's
 *		root object, from prc_gem_vm_root_new()), referenced until the
 *		BO is freed; or NULL for a reservation object of its own
 *
 * No page is allocated here: they come on the first fault, vmap or pin.
 *
 * Return: the BO with one reference, or an ERR_PTR(): -EINVAL for a size of
 * 0 or above %PRC_GEM_MAX_SIZE, or unknown flags; -ENOMEM.
 */
struct prc_gem_object *prc_gem_create(struct drm_device *drm, size_t size, u32 flags,
				      struct drm_gem_object *resv_owner)
{
	struct prc_gem_object *bo;
	int ret;

	if (!size || size > PRC_GEM_MAX_SIZE || (flags & ~PRC_GEM_VALID_FLAGS))
		return ERR_PTR(-EINVAL);
	/* Reclaim finds the VM's LRU place through it. */
	if (resv_owner && drm_WARN_ON(drm, resv_owner->funcs != &prc_gem_vm_root_funcs))
		return ERR_PTR(-EINVAL);
	size = PAGE_ALIGN(size);	/* cannot overflow below PRC_GEM_MAX_SIZE */

	bo = prc_gem_alloc(drm, flags);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	if (resv_owner) {
		drm_gem_object_get(resv_owner);
		bo->resv_owner = resv_owner;
		/* drm_gem_private_object_init() keeps a resv set beforehand. */
		bo->base.resv = resv_owner->resv;
	}
	ret = prc_gem_object_init(drm, &bo->base, size);
	if (ret) {
		drm_gem_private_object_fini(&bo->base);
		drm_gem_object_put(resv_owner);
		mutex_destroy(&bo->gpuva_lock);
		kfree(bo);
		return ERR_PTR(ret);
	}
	mapping_set_gfp_mask(bo->base.filp->f_mapping, PRC_GEM_GFP);
	prc_gem_init_done(bo);
	return bo;
}

/**
 * prc_gem_prime_import_sg_table() - wrap a foreign dma-buf in a BO
 * @drm: the importing DRM device
 * @attach: our attachment to the dma-buf
 * @sgt: the dma-buf mapped for @drm's parent device
 *
 * &drm_driver.gem_prime_import_sg_table, called by drm_gem_prime_import()
 * (which sets &drm_gem_object.import_attach and resv afterwards). The BO has
 * no shmem file and no page array; GPU mappings use @sgt's DMA addresses,
 * CPU mappings are forwarded to the exporter, and freeing the BO releases
 * @sgt, the attachment and the dma-buf reference.
 *
 * Return: the new GEM object, or an ERR_PTR() (-EINVAL for a size that is
 * not page-aligned or too large, -ENOMEM).
 */
struct drm_gem_object *prc_gem_prime_import_sg_table(struct drm_device *drm,
						     struct dma_buf_attachment *attach,
						     struct sg_table *sgt)
{
	size_t size = attach->dmabuf->size;
	struct prc_gem_object *bo;

	if (!size || !PAGE_ALIGNED(size) || size > PRC_GEM_MAX_SIZE)
		return ERR_PTR(-EINVAL);
	bo = prc_gem_alloc(drm, 0);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.resv = attach->dmabuf->resv;
	drm_gem_private_object_init(drm, &bo->base, size);
	bo->sgt = sgt;
	prc_gem_init_done(bo);
	return &bo->base;
}

/**
 * prc_gem_stat_objects() - live BOs of this module, all devices
 *
 * Return: the number of BOs created or imported and not freed yet.
 */
long prc_gem_stat_objects(void)
{
	return atomic_long_read(&prc_gem_nr_objects);
}

/**
 * prc_gem_stat_resident_pages() - pages held by this module's BOs
 *
 * Return: the number of shmem pages currently held (imports not counted).
 */
long prc_gem_stat_resident_pages(void)
{
	return atomic_long_read(&prc_gem_nr_resident);
}

/*
 * One page of the device's mmap offset space at every multiple of 4 GiB,
 * held for the device's lifetime (see prc_gem_mmap_guard_init()).
 */
struct prc_gem_mmap_guard {
	struct drm_vma_offset_manager *mgr;
	unsigned int count;
	struct drm_mm_node nodes[] __counted_by(count);
};

static void prc_gem_mmap_guard_fini(struct drm_device *drm, void *data)
{
	struct prc_gem_mmap_guard *guard = data;
	unsigned int i;

	write_lock(&guard->mgr->vm_lock);
	for (i = 0; i < guard->count; i++)
		drm_mm_remove_node(&guard->nodes[i]);
	write_unlock(&guard->mgr->vm_lock);
	kvfree(guard);
}

/**
 * prc_gem_mmap_guard_init() - keep user BOs off mmap offsets that are multiples of 4 GiB
 * @drm: the device, with its GEM offset manager set up (drm_dev_alloc() does it)
 *
 * Userspace takes an mmap offset of 0 for "none", and at least one popular
 * test suite keeps the offset in a 32-bit int: a BO whose offset is a
 * multiple of 4 GiB would read as having none. Upstream panthor's own kernel
 * BOs happen to take the first offsets of the space, so its first user BO
 * never lands on 4 GiB; ours take none. The rule is made explicit instead:
 * one page of the offset space at each multiple of 4 GiB is held, so no BO
 * can start there wherever it lands. That is under 300 pages of address
 * space and 50 KiB of nodes per device, released with the device.
 *
 * Return: 0, or -ENOMEM (or the offset manager's error) with nothing held.
 */
int prc_gem_mmap_guard_init(struct drm_device *drm)
{
	const unsigned long step = SZ_4G >> PAGE_SHIFT;
	const unsigned long start = DRM_FILE_PAGE_OFFSET_START;
	const unsigned long end = start + DRM_FILE_PAGE_OFFSET_SIZE;
	unsigned long pgoff, n = DIV_ROUND_UP(end - round_up(start, step), step);
	struct prc_gem_mmap_guard *guard;
	int ret = 0;

	guard = kvzalloc(struct_size(guard, nodes, n), GFP_KERNEL);
	if (!guard)
		return -ENOMEM;
	guard->mgr = drm->vma_offset_manager;
	/* Sized first (__counted_by); cut down to the nodes reserved below. */
	guard->count = n;
	n = 0;
	/* The offset manager's own lock: nothing else can take these pages meanwhile. */
	write_lock(&guard->mgr->vm_lock);
	for (pgoff = round_up(start, step); pgoff < end && !ret; pgoff += step) {
		guard->nodes[n].start = pgoff;
		guard->nodes[n].size = 1;
		ret = drm_mm_reserve_node(&guard->mgr->vm_addr_space_mm, &guard->nodes[n]);
		if (!ret)
			n++;
	}
	guard->count = n;
	write_unlock(&guard->mgr->vm_lock);
	if (ret) {
		prc_gem_mmap_guard_fini(drm, guard);
		return ret;
	}
	return drmm_add_action_or_reset(drm, prc_gem_mmap_guard_fini, guard);
}
