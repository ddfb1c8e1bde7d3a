// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: reclaim
 *
 * One shrinker per device gives the core MM the memory of BOs userspace
 * does not use right now. What it may take and in which order comes from
 * the device's &struct prc_gem_lru, which gem.c keeps up to date as BOs
 * change state; counting is O(1).
 *
 * What it takes, cheapest first, each list oldest change first: BOs
 * userspace advised DONTNEED and BOs it created discardable, whose content
 * is dropped (the only content reclaim may lose, because userspace said
 * so); the tiler-heap chunks of idle VMs, whose content no one reads again
 * (heap.c); then, swapped out, unused BOs, CPU-mapped only BOs, BOs GPU-mapped
 * in their own VM, shared BOs. Eviction zaps their CPU mappings, removes their GPU mappings
 * (vm_evict.c: only when every job that may use the BO is done, tested on
 * the BO's fences, never waited for) and gives their pages back to shmem,
 * dirty, so the content goes to swap when the core MM needs the memory and
 * comes back on the next fault, vmap, pin, or submission of a job in a VM
 * that maps it: no byte is lost.
 *
 * Without swap, pages given back to shmem stay in memory: the count of
 * what is not dropped is capped by the free swap, so the shrinker does
 * not promise memory it cannot free. The debugfs trigger (``shrink``) evicts regardless, for
 * tests and measurements.
 *
 * Locking: reclaim may run under any lock that an allocation can be made
 * under, so it takes none of ours with blocking: the scan lock and every
 * BO's reservation object are trylocked, and a BO whose lock is held is
 * skipped (counted in ``busy``); so are the BO's gpuva lock and each VM's
 * op_lock. The LRU's spinlock and the MMU lock (a TLB flush, for a VM on
 * an address-space slot) are the only locks taken unconditionally; nothing
 * allocates under either. prc_reclaim_init() tells
 * lockdep so at load time. Zapping CPU mappings takes the DRM device's
 * address-space lock (i_mmap_rwsem) for reading, as every GEM shrinker
 * does; the core MM allocates nothing under that lock.
 *
 * The shrinker is memcg-aware (memcg.c): global reclaim (kswapd, direct
 * reclaim, the root cgroup's memory.reclaim) scans the whole device as
 * above; a cgroup's own reclaim (its limit, its memory.reclaim) scans the
 * BOs that cgroup pays for, dropped content first, then the rest, each
 * cgroup's list least recently changed first. The heap stage is global
 * only.
 */

#include <linux/device.h>
#include <linux/dma-resv.h>
#include <linux/ktime.h>
#include <linux/list_lru.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/swap.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>

#include "gem.h"
#include "heap.h"
#include "memcg.h"
#include "reclaim.h"
#include "trace.h"
#include "vm.h"

static bool prc_reclaim_on = true;
module_param_named(reclaim, prc_reclaim_on, bool, 0644);
MODULE_PARM_DESC(reclaim,
		 "Give idle GPU memory back under memory pressure (default: true; false: stock panthor's behaviour)");

/*
 * Off by default: measured with make bench (README), writing the pages out
 * at once frees no memory sooner (they wait in the swap cache next to their
 * zram copy), makes scans 13-29x longer at p99 and the workload slower.
 */
static bool prc_reclaim_writeback;
module_param_named(reclaim_writeback, prc_reclaim_writeback, bool, 0644);
MODULE_PARM_DESC(reclaim_writeback,
		 "Write evicted BOs to swap at once instead of leaving them to the core MM (default: false)");

/**
 * prc_reclaim_enabled() - whether the shrinker takes memory now
 *
 * Return: the module parameter "reclaim", which an administrator may
 * change at any time.
 */
bool prc_reclaim_enabled(void)
{
	return READ_ONCE(prc_reclaim_on);
}

/* The states the shrinker takes from, cheapest first. */
static const enum prc_gem_reclaim_state prc_reclaim_order[] = {
	PRC_GEM_PURGEABLE,
	PRC_GEM_DISCARDABLE,
	PRC_GEM_UNUSED,
	PRC_GEM_MMAPPED,
	PRC_GEM_GPU_MAPPED,
	PRC_GEM_SHARED,
};

/* Pages whose content reclaim drops rather than swaps out: BOs, heap chunks. */
static unsigned long prc_reclaim_droppable(struct prc_gem_lru *lru)
{
	return prc_gem_lru_pages(lru, PRC_GEM_PURGEABLE) +
	       prc_gem_lru_pages(lru, PRC_GEM_DISCARDABLE) + READ_ONCE(lru->heap_pages);
}

/* Pages reclaim could take now, dropped or swapped out. */
static unsigned long prc_reclaim_evictable(struct prc_gem_lru *lru)
{
	unsigned long pages = READ_ONCE(lru->heap_pages);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prc_reclaim_order); i++)
		pages += prc_gem_lru_pages(lru, prc_reclaim_order[i]);
	return pages;
}

/*
 * The oldest BO of @state's list, referenced, moved to the list's tail so
 * that the walk goes on past it whatever becomes of it; NULL when it is
 * being freed. *@pages: its size in pages, 0 when the list is empty.
 */
static struct prc_gem_object *prc_reclaim_next(struct prc_gem_lru *lru,
					       enum prc_gem_reclaim_state state,
					       unsigned long *pages)
{
	struct prc_gem_object *bo;

	*pages = 0;
	spin_lock(&lru->lock);
	bo = list_first_entry_or_null(&lru->lists[state], struct prc_gem_object, lru_node);
	if (bo) {
		list_move_tail(&bo->lru_node, &lru->lists[state]);
		*pages = bo->base.size >> PAGE_SHIFT;
		/* Its free takes it off the list, under this lock, after we let go. */
		if (!kref_get_unless_zero(&bo->base.refcount))
			bo = NULL;
	}
	spin_unlock(&lru->lock);
	return bo;
}

/*
 * Evict (or drop) @bo, its resv held, if it can go now; its pages freed, or
 * 0. @gfp: what the caller's context allows (writing to swap needs __GFP_IO).
 */
static unsigned long prc_reclaim_take(struct prc_reclaim *rc, struct prc_gem_object *bo,
				      gfp_t gfp)
{
	unsigned long pages = bo->base.size >> PAGE_SHIFT;
	enum prc_gem_reclaim_state state;
	unsigned long freed = 0;
	int ret = -EBUSY;

	state = prc_gem_reclaim_state_locked(bo);
	if (state != PRC_GEM_UNRECLAIMABLE && atomic_read(&bo->gpu_map_count)) {
		/*
		 * Every job that may use the BO, in any VM, and every other
		 * device's access put a fence here: all signalled means idle.
		 */
		if (!dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP) ||
		    prc_vm_evict_bo(bo))
			state = PRC_GEM_UNRECLAIMABLE;
	}
	if (prc_gem_state_droppable(state))
		ret = prc_gem_drop_locked(bo);
	else if (state != PRC_GEM_UNRECLAIMABLE)
		ret = prc_gem_evict_locked(bo);
	if (!ret && state >= PRC_GEM_UNUSED && (gfp & __GFP_IO) && READ_ONCE(prc_reclaim_writeback))
		atomic_long_add(prc_gem_write_out(bo), &rc->written);
	if (!ret)
		freed = pages;
	else
		atomic_long_inc(&rc->busy);
	return freed;
}

/* prc_reclaim_take() with @bo's resv trylocked. */
static unsigned long prc_reclaim_try(struct prc_reclaim *rc, struct prc_gem_object *bo,
				     gfp_t gfp)
{
	unsigned long freed;

	if (!dma_resv_trylock(bo->base.resv)) {
		atomic_long_inc(&rc->busy);
		return 0;
	}
	freed = prc_reclaim_take(rc, bo, gfp);
	dma_resv_unlock(bo->base.resv);
	return freed;
}

/*
 * The least recently submitted-to VM with GPU-mapped private BOs (@heaps:
 * with tiler-heap pages to discard), its root referenced and moved to the
 * tail so the walk goes on past it; NULL when there is none. *@pages: the
 * pages of those BOs (heap chunks).
 */
static struct prc_gem_vm_root *prc_reclaim_next_vm(struct prc_gem_lru *lru, bool heaps,
						   unsigned long *pages)
{
	struct list_head *vms = heaps ? &lru->heap_vms : &lru->vms;
	struct prc_gem_vm_root *root;

	*pages = 0;
	spin_lock(&lru->lock);
	if (heaps)
		root = list_first_entry_or_null(vms, struct prc_gem_vm_root, heap_node);
	else
		root = list_first_entry_or_null(vms, struct prc_gem_vm_root, node);
	if (root) {
		list_move_tail(heaps ? &root->heap_node : &root->node, vms);
		*pages = heaps ? root->heap_pages : root->pages;
		/* Held by the VM or its BOs, whose frees need this lock to leave. */
		drm_gem_object_get(&root->base);
	}
	spin_unlock(&lru->lock);
	return root;
}

/*
 * The heap stage of a scan: the tiler-heap chunks of idle VMs, least
 * recently submitted to first (heap.c), until every VM that had some was
 * seen or *@scanned reaches @nr_pages. Return: the pages freed.
 */
static unsigned long prc_reclaim_heaps(struct prc_reclaim *rc, unsigned long nr_pages,
				       unsigned long *scanned)
{
	unsigned long budget = READ_ONCE(rc->lru->heap_pages), looked = 0, freed = 0;

	while (looked < budget && *scanned < nr_pages) {
		unsigned long pages;
		struct prc_gem_vm_root *root = prc_reclaim_next_vm(rc->lru, true, &pages);
		struct prc_vm *vm;

		if (!root)
			break;
		looked += pages ?: 1;
		/*
		 * Only a VM it could take counts as scanned: the one being
		 * submitted or bound to (often the allocating task's own,
		 * whose resv it holds) must not use up what the core MM asked
		 * for, or the BO stages after this one would never run.
		 */
		if (dma_resv_trylock(root->base.resv)) {
			/* Its jobs put their fences here: none queued or running. */
			vm = prc_gem_vm_root_heap_vm(&root->base);
			if (vm &&
			    dma_resv_test_signaled(root->base.resv, DMA_RESV_USAGE_BOOKKEEP)) {
				*scanned += pages;
				freed += prc_heap_discard(vm);
			} else {
				atomic_long_inc(&rc->busy);
			}
			dma_resv_unlock(root->base.resv);
		} else {
			atomic_long_inc(&rc->busy);
		}
		drm_gem_object_put(&root->base);
	}
	return freed;
}

/*
 * Evict the GPU-mapped private BOs of one idle VM, with its resv (theirs)
 * trylocked once for all of them, looking at @budget pages at most. Only a
 * VM it could take adds its @pages to *@scanned, for the reason
 * prc_reclaim_heaps() gives. Return: the pages freed.
 */
static unsigned long prc_reclaim_vm(struct prc_reclaim *rc, struct prc_gem_vm_root *root,
				    unsigned long pages, unsigned long budget,
				    unsigned long *scanned, gfp_t gfp)
{
	struct prc_gem_lru *lru = rc->lru;
	unsigned long freed = 0, looked = 0;

	if (!dma_resv_trylock(root->base.resv)) {
		atomic_long_inc(&rc->busy);
		return 0;
	}
	/* Its jobs put their fences here: a busy VM is skipped whole. */
	if (!dma_resv_test_signaled(root->base.resv, DMA_RESV_USAGE_BOOKKEEP)) {
		atomic_long_inc(&rc->busy);
		budget = 0;
	} else {
		*scanned += pages;
	}
	while (looked < budget) {
		struct prc_gem_object *bo;
		bool gone = false;

		spin_lock(&lru->lock);
		bo = list_first_entry_or_null(&root->bos, struct prc_gem_object, lru_node);
		if (bo) {
			list_move_tail(&bo->lru_node, &root->bos);
			looked += bo->base.size >> PAGE_SHIFT;
			/* Being freed: its free takes it off the list. */
			gone = !kref_get_unless_zero(&bo->base.refcount);
		}
		spin_unlock(&lru->lock);
		/* Every BO of the VM evicted (or freed) meanwhile. */
		if (!bo)
			break;
		if (gone)
			continue;
		freed += prc_reclaim_take(rc, bo, gfp);
		drm_gem_object_put(&bo->base);
	}
	dma_resv_unlock(root->base.resv);
	return freed;
}

/*
 * One stage of a scan: the BOs of @state (for GPU-mapped private BOs, their
 * VMs), oldest first, until what the list held at the start was seen or
 * *@scanned reaches @nr_pages. Return: the pages freed.
 */
static unsigned long prc_reclaim_stage(struct prc_reclaim *rc, enum prc_gem_reclaim_state state,
				       unsigned long nr_pages, unsigned long *scanned, gfp_t gfp)
{
	/*
	 * Every look moves a BO (or a VM) to the tail: once the pages looked
	 * at reach what the list held at the start, each was seen.
	 */
	unsigned long budget = prc_gem_lru_pages(rc->lru, state), looked = 0, freed = 0;
	ktime_t start = ktime_get();

	while (state == PRC_GEM_GPU_MAPPED && looked < budget && *scanned < nr_pages) {
		unsigned long pages, take;
		struct prc_gem_vm_root *root = prc_reclaim_next_vm(rc->lru, false, &pages);

		if (!root)
			break;
		take = min(pages, nr_pages - *scanned);
		/* An empty VM (its BOs went meanwhile) still counts as a look. */
		looked += pages ?: 1;
		freed += prc_reclaim_vm(rc, root, pages, take, scanned, gfp);
		drm_gem_object_put(&root->base);
	}
	while (state != PRC_GEM_GPU_MAPPED && looked < budget && *scanned < nr_pages) {
		unsigned long pages, taken;
		struct prc_gem_object *bo = prc_reclaim_next(rc->lru, state, &pages);

		if (!pages)
			break;
		looked += pages;
		if (!bo)
			continue;
		taken = prc_reclaim_try(rc, bo, gfp);
		/*
		 * Only a BO it took counts as scanned, as for VMs: one whose
		 * resv the allocating task holds, or that a job uses, must not
		 * end the scan with nothing freed (the core MM then stops
		 * asking) while idle BOs come after it.
		 */
		*scanned += taken;
		freed += taken;
		/* May free the BO: no lock of ours is held but the scan's. */
		drm_gem_object_put(&bo->base);
	}
	if (looked)
		trace_prc_reclaim_stage(state, looked, freed,
					ktime_to_ns(ktime_sub(ktime_get(), start)));
	return freed;
}

/* Account a scan that started at @start and what it did. */
static void prc_reclaim_account(struct prc_reclaim *rc, ktime_t start, unsigned long nr_pages,
				unsigned long scanned, unsigned long freed)
{
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), start));

	atomic_long_inc(&rc->scans);
	atomic_long_set(&rc->last_scanned, scanned);
	atomic_long_set(&rc->last_freed, freed);
	atomic64_add(ns, &rc->scan_ns);
	trace_prc_reclaim_scan(nr_pages, scanned, freed, ns);
}

/*
 * One scan, with @rc->scan_lock held. *@scanned: the pages it counted (not
 * read back from @rc->last_scanned, which a cgroup's scan, not under the
 * lock, may have set since).
 */
static unsigned long prc_reclaim_scan_locked(struct prc_reclaim *rc, unsigned long nr_pages,
					     unsigned long *scanned, gfp_t gfp)
{
	unsigned long freed = 0;
	ktime_t start = ktime_get();
	unsigned int i;

	lockdep_assert_held(&rc->scan_lock);
	*scanned = 0;
	for (i = 0; i < ARRAY_SIZE(prc_reclaim_order) && *scanned < nr_pages; i++) {
		freed += prc_reclaim_stage(rc, prc_reclaim_order[i], nr_pages, scanned, gfp);
		/* Heap chunks are dropped too: after the BOs userspace let go. */
		if (prc_reclaim_order[i] == PRC_GEM_DISCARDABLE && *scanned < nr_pages)
			freed += prc_reclaim_heaps(rc, nr_pages, scanned);
	}
	prc_reclaim_account(rc, start, nr_pages, *scanned, freed);
	return freed;
}

/*
 * The BOs of one cgroup's &struct prc_memcg, least recently changed first,
 * until each was seen or @nr_pages are freed; @drop_only: only those whose
 * content is dropped. Return: the pages freed.
 */
static unsigned long prc_reclaim_memcg_bos(struct prc_reclaim *rc, struct prc_memcg *mg,
					   bool drop_only, unsigned long nr_pages, gfp_t gfp)
{
	struct prc_gem_lru *lru = rc->lru;
	unsigned long freed = 0, budget, looked;

	/* Every look moves a BO to the tail: as many looks as BOs see each once. */
	spin_lock(&lru->lock);
	budget = list_count_nodes(&mg->bos);
	spin_unlock(&lru->lock);
	for (looked = 0; looked < budget && freed < nr_pages; looked++) {
		struct prc_gem_object *bo;
		int state = -1;

		spin_lock(&lru->lock);
		bo = list_first_entry_or_null(&mg->bos, struct prc_gem_object, memcg_node);
		if (bo) {
			list_move_tail(&bo->memcg_node, &mg->bos);
			state = bo->lru_state;
			if (state == PRC_GEM_UNRECLAIMABLE ||
			    (drop_only && !prc_gem_state_droppable(state)) ||
			    !kref_get_unless_zero(&bo->base.refcount))
				state = -1;
		}
		spin_unlock(&lru->lock);
		if (!bo)
			break;
		if (state < 0)
			continue;
		freed += prc_reclaim_try(rc, bo, gfp);
		drm_gem_object_put(&bo->base);
	}
	return freed;
}

/*
 * A scan for one cgroup's reclaim (its limit, its memory.reclaim, or global
 * reclaim's pass over it): the BOs it pays for, dropped content first. Not
 * under @rc->scan_lock: several tasks of a cgroup at its limit reclaim at
 * once, and one that gave up because another was scanning would fail its
 * charge (and call the OOM killer) while BOs of the cgroup are still idle.
 * Walking one cgroup's lists twice at once is safe, as prc_reclaim_client()
 * next to a scan is: every BO is trylocked. Only what it takes counts as
 * scanned, as in prc_reclaim_stage(), so what it scanned is what it freed.
 */
static unsigned long prc_reclaim_scan_memcg(struct prc_reclaim *rc, struct mem_cgroup *memcg,
					    unsigned long nr_pages, gfp_t gfp)
{
	unsigned long freed = 0;
	ktime_t start = ktime_get();
	struct prc_memcg *mg;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		/* The walk goes to its end: it drops each reference it took. */
		for (mg = prc_memcg_next(rc->lru, memcg, NULL); mg;
		     mg = prc_memcg_next(rc->lru, memcg, mg)) {
			if (freed < nr_pages)
				freed += prc_reclaim_memcg_bos(rc, mg, !pass, nr_pages - freed,
							       gfp);
		}
	}
	prc_reclaim_account(rc, start, nr_pages, freed, freed);
	return freed;
}

/**
 * prc_reclaim_scan_wait() - evict idle BOs of the whole device, oldest first
 * @rc: the device's reclaim state
 * @nr_pages: how many pages to look at, at most
 *
 * For a request from userspace (debugfs ``shrink``), which may sleep: a
 * scan in progress (kswapd's, say) is waited for, where the shrinker would
 * give up, so the request always gets a scan of its own. BOs are still only
 * trylocked.
 *
 * Return: the pages given back to shmem, or -EINTR when a fatal signal came
 * while waiting.
 */
long prc_reclaim_scan_wait(struct prc_reclaim *rc, unsigned long nr_pages)
{
	unsigned long freed, scanned;

	if (mutex_lock_killable(&rc->scan_lock))
		return -EINTR;
	freed = prc_reclaim_scan_locked(rc, nr_pages, &scanned, GFP_KERNEL);
	mutex_unlock(&rc->scan_lock);
	return min_t(unsigned long, freed, LONG_MAX);
}

/**
 * prc_reclaim_client() - evict one client's idle BOs now
 * @rc: the device's reclaim state
 * @file: the client
 *
 * The per-client trigger (debugfs ``reclaim_client``): every BO the client
 * has a handle to that the shrinker could take is evicted, whatever its
 * age, with the same trylocks. Not for reclaim itself: it sleeps (zapping
 * CPU mappings) and takes the client's handle table lock.
 *
 * Return: the pages given back to shmem.
 */
unsigned long prc_reclaim_client(struct prc_reclaim *rc, struct drm_file *file)
{
	struct drm_gem_object *obj;
	unsigned long freed = 0;
	int handle;

	/* One handle at a time: eviction sleeps, the table's lock is a spinlock. */
	for (handle = 0;; handle++) {
		spin_lock(&file->table_lock);
		obj = idr_get_next(&file->object_idr, &handle);
		if (obj)
			drm_gem_object_get(obj);
		spin_unlock(&file->table_lock);
		if (!obj)
			break;
		/* Only BOs reclaim tracks: not imports (or kernel BOs, which have no handle). */
		if (to_prc_gem(obj)->lru)
			freed += prc_reclaim_try(rc, to_prc_gem(obj), GFP_KERNEL);
		drm_gem_object_put(obj);
	}
	return freed;
}

static unsigned long prc_reclaim_count(struct shrinker *shrinker, struct shrink_control *sc)
{
	struct prc_reclaim *rc = shrinker->private_data;
	unsigned long pages, drop;
	bool any = true;

	if (!prc_reclaim_enabled())
		return 0;
	if (prc_memcg_is_root(sc->memcg)) {
		drop = prc_reclaim_droppable(rc->lru);
		pages = prc_reclaim_evictable(rc->lru);
	} else {
		pages = prc_memcg_pages(rc->lru, sc->memcg, &drop, &any);
	}
	/*
	 * Dropped content frees its pages at once; pages given back to shmem
	 * are freed only by swapping them out.
	 */
	pages = drop + min_t(unsigned long, pages > drop ? pages - drop : 0,
			     max(get_nr_swap_pages(), 0L));
	if (pages)
		return pages;
	/*
	 * SHRINK_EMPTY clears the shrinker's bit for the cgroup, which only a
	 * new item on an empty list of the list_lru sets again: a cgroup with
	 * BOs here that are busy now answers 0, to be asked again later.
	 */
	return any ? 0 : SHRINK_EMPTY;
}

static unsigned long prc_reclaim_shrink(struct shrinker *shrinker, struct shrink_control *sc)
{
	struct prc_reclaim *rc = shrinker->private_data;
	unsigned long freed;

	if (!prc_reclaim_enabled())
		return SHRINK_STOP;
	if (!prc_memcg_is_root(sc->memcg)) {
		freed = prc_reclaim_scan_memcg(rc, sc->memcg, sc->nr_to_scan, sc->gfp_mask);
		sc->nr_scanned = freed;
		return freed ?: SHRINK_STOP;
	}
	if (!mutex_trylock(&rc->scan_lock))
		return SHRINK_STOP;
	freed = prc_reclaim_scan_locked(rc, sc->nr_to_scan, &sc->nr_scanned, sc->gfp_mask);
	mutex_unlock(&rc->scan_lock);
	return freed ?: SHRINK_STOP;
}

static void prc_reclaim_fini(void *data)
{
	struct prc_reclaim *rc = data;

	/* Waits for the scans in progress. */
	shrinker_free(rc->shrinker);
}

static void prc_reclaim_release(struct drm_device *drm, void *data)
{
	struct prc_reclaim *rc = data;

	/* Every BO is gone with the device, and every cgroup's item with them. */
	list_lru_destroy(&rc->memcg_lru);
}

/**
 * prc_reclaim_init() - register the device's shrinker
 * @rc: the device's reclaim state
 * @drm: the device; the shrinker goes when its parent device is unbound,
 *	the cgroups' list_lru when the DRM device is released (after its
 *	last BO, which may outlive the binding)
 * @lru: the device's LRU, which must outlive the DRM device's BOs
 *
 * Return: 0 or -ENOMEM.
 */
int prc_reclaim_init(struct prc_reclaim *rc, struct drm_device *drm, struct prc_gem_lru *lru)
{
	int ret;

	rc->lru = lru;
	mutex_init(&rc->scan_lock);
	/* Reclaim takes the LRU's spinlock: prove nothing allocates under it. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&lru->lock);
	fs_reclaim_release(GFP_KERNEL);

	/* Without memcg support in the kernel it comes back as a global shrinker. */
	rc->shrinker = shrinker_alloc(SHRINKER_MEMCG_AWARE, "panthor-reclaim-%s",
				      dev_name(drm->dev));
	if (!rc->shrinker)
		return -ENOMEM;
	ret = list_lru_init_memcg(&rc->memcg_lru, rc->shrinker);
	if (ret) {
		shrinker_free(rc->shrinker);
		return ret;
	}
	ret = drmm_add_action_or_reset(drm, prc_reclaim_release, rc);
	if (ret) {
		shrinker_free(rc->shrinker);
		return ret;
	}
	lru->memcg_lru = &rc->memcg_lru;
	rc->shrinker->count_objects = prc_reclaim_count;
	rc->shrinker->scan_objects = prc_reclaim_shrink;
	rc->shrinker->private_data = rc;
	shrinker_register(rc->shrinker);
	return devm_add_action_or_reset(drm->dev, prc_reclaim_fini, rc);
}

/**
 * prc_reclaim_show() - the debugfs ``reclaim`` file: counts and statistics
 * @rc: the device's reclaim state
 * @m: where to print
 */
void prc_reclaim_show(struct prc_reclaim *rc, struct seq_file *m)
{
	seq_printf(m, "enabled %d\n", prc_reclaim_enabled());
	seq_printf(m, "evictable_pages %lu\n", prc_reclaim_evictable(rc->lru));
	seq_printf(m, "evicted_pages %ld\n", atomic_long_read(&rc->lru->evicted));
	seq_printf(m, "restored_pages %ld\n", atomic_long_read(&rc->lru->restored));
	seq_printf(m, "purged_pages %ld\n", atomic_long_read(&rc->lru->purged));
	seq_printf(m, "discarded_pages %ld\n", atomic_long_read(&rc->lru->discarded));
	seq_printf(m, "heap_pages %lu\n", READ_ONCE(rc->lru->heap_pages));
	seq_printf(m, "heap_discarded_pages %ld\n", atomic_long_read(&rc->lru->heap_discarded));
	seq_printf(m, "heap_restored_pages %ld\n", atomic_long_read(&rc->lru->heap_restored));
	seq_printf(m, "written_pages %ld\n", atomic_long_read(&rc->written));
	seq_printf(m, "scans %ld\n", atomic_long_read(&rc->scans));
	seq_printf(m, "busy %ld\n", atomic_long_read(&rc->busy));
	seq_printf(m, "last_scanned_pages %ld\n", atomic_long_read(&rc->last_scanned));
	seq_printf(m, "last_freed_pages %ld\n", atomic_long_read(&rc->last_freed));
	seq_printf(m, "scan_ns %lld\n", (long long)atomic64_read(&rc->scan_ns));
	prc_memcg_show(rc->lru, m);
}
