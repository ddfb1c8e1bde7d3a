// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: memory cgroups
 *
 * A BO's pages are charged to the memory cgroup of the task that made shmem
 * allocate them. When that cgroup reaches its limit (memory.high,
 * memory.max) or is asked with memory.reclaim, the core MM reclaims from
 * that cgroup alone, and calls a shrinker only if it is memcg-aware and
 * has told the core MM, through a memcg-aware &struct list_lru, that it
 * holds something of that cgroup. Without this, a cgroup whose memory is
 * mostly GPU BOs could only be OOM-killed.
 *
 * So the device keeps one &struct prc_memcg per cgroup that pays for some
 * of its BOs, with those BOs on a list of its own, and puts one item per
 * such cgroup on the shrinker's list_lru. The item is allocated charged to
 * the cgroup, which is how list_lru_add_obj() finds the cgroup's list (and
 * how the list gets allocated at all: kmem_cache_alloc_lru() does it); it is
 * what sets the shrinker's bit for the cgroup, and what the core MM moves to
 * the parent's list when the cgroup goes offline. The BOs, the pages and the
 * order stay ours, under &prc_gem_lru.lock, as for global reclaim.
 *
 * A call for a cgroup covers the BOs it pays for and those of its offline
 * descendants, whose items moved to its list; its online descendants get
 * calls of their own. A call for the root cgroup (or without one: memcg
 * disabled) covers the whole device, as the shrinker did before it knew of
 * cgroups, so BOs of tasks in cgroups are reached both by the device-wide
 * pass of global reclaim and by their cgroup's pass.
 *
 * The cgroup of a BO is the one its first page is charged to, read when
 * its pages come in (after an eviction, pages still in shmem's cache keep
 * the cgroup that first paid for them, whoever brings them back). The
 * machines we run on have one memory node; the item, and so the shrinker's
 * bit, is on the node the item was allocated on.
 */

#include <linux/cgroup.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "gem.h"
#include "memcg.h"

static struct kmem_cache *prc_memcg_cache;

/**
 * prc_memcg_module_init() - create the cache of &struct prc_memcg
 *
 * Return: 0 or -ENOMEM.
 */
int prc_memcg_module_init(void)
{
	/* Accounted: list_lru_add_obj() finds an item's cgroup by its charge. */
	prc_memcg_cache = KMEM_CACHE(prc_memcg, SLAB_ACCOUNT);
	return prc_memcg_cache ? 0 : -ENOMEM;
}

/**
 * prc_memcg_module_exit() - destroy it, once no BO (hence no device) is left
 */
void prc_memcg_module_exit(void)
{
	kmem_cache_destroy(prc_memcg_cache);
}

/**
 * prc_memcg_is_root() - whether a shrinker call is for the whole device
 * @memcg: &shrink_control.memcg
 *
 * Return: true for the root cgroup and for none (memcg disabled).
 */
bool prc_memcg_is_root(struct mem_cgroup *memcg)
{
	return !memcg || !parent_mem_cgroup(memcg);
}

/*
 * The cgroup whose shrinker calls cover the BOs @memcg pays for: itself
 * while online, else its nearest online ancestor, where its item moved.
 * @memcg is referenced, and each cgroup holds its parent.
 */
static struct mem_cgroup *prc_memcg_target(struct mem_cgroup *memcg)
{
	while (!mem_cgroup_online(memcg) && parent_mem_cgroup(memcg))
		memcg = parent_mem_cgroup(memcg);
	return memcg;
}

/* Drop a reference; the last one frees @mg and takes its item off the list_lru. */
static void prc_memcg_put(struct prc_gem_lru *lru, struct prc_memcg *mg)
{
	bool last;

	spin_lock(&lru->lock);
	last = !--mg->refs;
	if (last)
		list_del(&mg->node);
	spin_unlock(&lru->lock);
	if (!last)
		return;
	list_lru_del_obj(lru->memcg_lru, &mg->lru_item);
	mem_cgroup_put(mg->memcg);
	kmem_cache_free(prc_memcg_cache, mg);
}

/* @lru's &struct prc_memcg of @memcg, referenced, with @lru->lock held. */
static struct prc_memcg *prc_memcg_find(struct prc_gem_lru *lru, struct mem_cgroup *memcg)
{
	struct prc_memcg *mg;

	lockdep_assert_held(&lru->lock);
	list_for_each_entry(mg, &lru->memcgs, node) {
		if (mg->memcg == memcg) {
			mg->refs++;
			return mg;
		}
	}
	return NULL;
}

/*
 * @lru's &struct prc_memcg of @memcg, referenced, made if there is none;
 * takes over the caller's reference to @memcg. NULL when it cannot be made
 * (the cgroup at its limit): the BO is then reached by global reclaim only.
 */
static struct prc_memcg *prc_memcg_get(struct prc_gem_lru *lru, struct mem_cgroup *memcg)
{
	struct prc_memcg *mg, *made;
	struct mem_cgroup *old;

	spin_lock(&lru->lock);
	mg = prc_memcg_find(lru, memcg);
	spin_unlock(&lru->lock);
	if (mg) {
		mem_cgroup_put(memcg);
		return mg;
	}
	/* Charged to @memcg, whose list_lru list this allocates if it has none. */
	old = set_active_memcg(memcg);
	made = kmem_cache_alloc_lru(prc_memcg_cache, lru->memcg_lru, GFP_KERNEL | __GFP_NOWARN);
	set_active_memcg(old);
	if (!made) {
		mem_cgroup_put(memcg);
		return NULL;
	}
	INIT_LIST_HEAD(&made->lru_item);
	INIT_LIST_HEAD(&made->bos);
	made->memcg = memcg;
	made->pages = 0;
	made->drop_pages = 0;
	made->refs = 1;
	spin_lock(&lru->lock);
	/* Another BO of the same cgroup may have made one meanwhile. */
	mg = prc_memcg_find(lru, memcg);
	if (!mg)
		list_add_tail(&made->node, &lru->memcgs);
	spin_unlock(&lru->lock);
	if (mg) {
		kmem_cache_free(prc_memcg_cache, made);
		mem_cgroup_put(memcg);
		return mg;
	}
	list_lru_add_obj(lru->memcg_lru, &made->lru_item);
	return made;
}

/**
 * prc_memcg_attach() - file a BO under the cgroup paying for its pages
 * @bo: a tracked BO, its resv held, whose pages just came in but are not
 *	published yet (&prc_gem_object.pages still NULL, so it is on no list)
 * @first: its first page
 *
 * May allocate (GFP_KERNEL): called where the pages were allocated. A BO
 * whose pages the root cgroup pays for is filed under none.
 */
void prc_memcg_attach(struct prc_gem_object *bo, struct page *first)
{
	struct prc_gem_lru *lru = bo->lru;
	struct prc_memcg *mg = NULL, *old;
	struct mem_cgroup *memcg;

	if (!lru || !lru->memcg_lru)
		return;
	rcu_read_lock();
	memcg = folio_memcg(page_folio(first));
	if (memcg && (prc_memcg_is_root(memcg) || !mem_cgroup_tryget(memcg)))
		memcg = NULL;
	rcu_read_unlock();
	old = bo->memcg;
	/* Filed where it belongs already (most often: under none, the root's). */
	if (old ? old->memcg == memcg : !memcg) {
		mem_cgroup_put(memcg);
		return;
	}
	if (memcg)
		mg = prc_memcg_get(lru, memcg);
	spin_lock(&lru->lock);
	bo->memcg = mg;
	spin_unlock(&lru->lock);
	if (old)
		prc_memcg_put(lru, old);
}

/**
 * prc_memcg_detach() - a BO is being freed, its pages already gone
 * @bo: the BO
 */
void prc_memcg_detach(struct prc_gem_object *bo)
{
	struct prc_memcg *mg = bo->memcg;

	if (!mg)
		return;
	bo->memcg = NULL;
	prc_memcg_put(bo->lru, mg);
}

/**
 * prc_memcg_move() - follow a BO's move on the LRU (prc_gem_lru_move())
 * @bo: the BO
 * @old_state: the &enum prc_gem_reclaim_state it was in, -1 if not resident
 * @state: the one it is in now, likewise
 *
 * Puts the BO at the tail of its cgroup's list, or takes it off while not
 * resident, and keeps the cgroup's counts. Under &prc_gem_lru.lock.
 */
void prc_memcg_move(struct prc_gem_object *bo, int old_state, int state)
{
	unsigned long npages = bo->base.size >> PAGE_SHIFT;
	struct prc_memcg *mg = bo->memcg;

	lockdep_assert_held(&bo->lru->lock);
	if (!mg)
		return;
	if (old_state >= 0) {
		list_del_init(&bo->memcg_node);
		if (old_state != PRC_GEM_UNRECLAIMABLE)
			mg->pages -= npages;
		if (prc_gem_state_droppable(old_state))
			mg->drop_pages -= npages;
	}
	if (state >= 0) {
		list_add_tail(&bo->memcg_node, &mg->bos);
		if (state != PRC_GEM_UNRECLAIMABLE)
			mg->pages += npages;
		if (prc_gem_state_droppable(state))
			mg->drop_pages += npages;
	}
}

/**
 * prc_memcg_pages() - what a cgroup's reclaim could take from a device
 * @lru: the device's LRU
 * @memcg: the cgroup, not the root
 * @drop: set to the pages among them whose content would be dropped
 * @any: set to whether the device has BOs the cgroup pays for at all
 *
 * Return: the pages of those BOs in a state reclaim takes from; one pass
 * over the cgroups of the device, under its LRU's lock.
 */
unsigned long prc_memcg_pages(struct prc_gem_lru *lru, struct mem_cgroup *memcg,
			      unsigned long *drop, bool *any)
{
	unsigned long pages = 0;
	struct prc_memcg *mg;

	*drop = 0;
	*any = false;
	spin_lock(&lru->lock);
	list_for_each_entry(mg, &lru->memcgs, node) {
		if (prc_memcg_target(mg->memcg) != memcg)
			continue;
		*any = true;
		pages += mg->pages;
		*drop += mg->drop_pages;
	}
	spin_unlock(&lru->lock);
	return pages;
}

/**
 * prc_memcg_next() - walk the &struct prc_memcg a cgroup's reclaim covers
 * @lru: the device's LRU
 * @memcg: the cgroup, not the root
 * @prev: the one returned last, whose reference this drops; NULL to start
 *
 * Return: the next one, referenced (its BOs stay on its list while the
 * caller drops the lock), or NULL after the last.
 */
struct prc_memcg *prc_memcg_next(struct prc_gem_lru *lru, struct mem_cgroup *memcg,
				 struct prc_memcg *prev)
{
	struct prc_memcg *mg = prev;

	spin_lock(&lru->lock);
	/* @prev is still listed: the reference kept it there. */
	mg = list_prepare_entry(mg, &lru->memcgs, node);
	list_for_each_entry_continue(mg, &lru->memcgs, node) {
		if (prc_memcg_target(mg->memcg) == memcg) {
			mg->refs++;
			goto found;
		}
	}
	mg = NULL;
found:
	spin_unlock(&lru->lock);
	if (prev)
		prc_memcg_put(lru, prev);
	return mg;
}

/* The inode number of @memcg's directory; memcg.c makes none without CONFIG_MEMCG. */
static unsigned long long prc_memcg_ino(struct mem_cgroup *memcg)
{
#ifdef CONFIG_MEMCG
	return cgroup_ino(memcg->css.cgroup);
#else
	return 0;
#endif
}

/**
 * prc_memcg_show() - the debugfs ``reclaim`` file's lines for the cgroups
 * @lru: the device's LRU
 * @m: where to print
 *
 * One line per cgroup paying for BOs of the device: its inode number (as
 * ``stat`` shows it for the cgroup's directory), whether it is online, the
 * pages reclaim could take from it and, among them, the dropped ones.
 */
void prc_memcg_show(struct prc_gem_lru *lru, struct seq_file *m)
{
	struct prc_memcg *mg;

	spin_lock(&lru->lock);
	list_for_each_entry(mg, &lru->memcgs, node)
		seq_printf(m, "memcg %llu online %d pages %lu drop_pages %lu\n",
			   prc_memcg_ino(mg->memcg),
			   mem_cgroup_online(mg->memcg), mg->pages, mg->drop_pages);
	spin_unlock(&lru->lock);
}
