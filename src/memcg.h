/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_MEMCG_H
#define PRC_MEMCG_H

#include <linux/list.h>
#include <linux/types.h>

struct list_lru;
struct mem_cgroup;
struct page;
struct prc_gem_lru;
struct prc_gem_object;
struct seq_file;

/**
 * struct prc_memcg - the BOs of one device whose pages one memory cgroup
 * pays for
 *
 * Made when a BO's pages are first charged to a cgroup other than the root
 * (prc_memcg_attach()), freed with the last BO that points to it. Lives on
 * &prc_gem_lru.memcgs; every member but @lru_item and @memcg, which are set
 * once, is under &prc_gem_lru.lock.
 */
struct prc_memcg {
	/**
	 * @lru_item: our item on the device's memcg-aware &struct list_lru,
	 * on the cgroup's list: that is what tells the core MM to call the
	 * shrinker for this cgroup, and what moves to the parent's list (and
	 * calls) when the cgroup goes offline
	 */
	struct list_head lru_item;
	/** @node: on &prc_gem_lru.memcgs */
	struct list_head node;
	/** @memcg: the cgroup, referenced */
	struct mem_cgroup *memcg;
	/**
	 * @bos: the resident BOs (&prc_gem_object.memcg_node), the one that
	 * changed state least recently first, as &prc_gem_lru.lists
	 */
	struct list_head bos;
	/** @pages: pages of @bos in a state reclaim takes from */
	unsigned long pages;
	/** @drop_pages: of those, pages of purgeable or discardable BOs */
	unsigned long drop_pages;
	/** @refs: BOs pointing here (&prc_gem_object.memcg), plus scans walking @bos */
	unsigned int refs;
};

int prc_memcg_module_init(void);
void prc_memcg_module_exit(void);
void prc_memcg_attach(struct prc_gem_object *bo, struct page *first);
void prc_memcg_detach(struct prc_gem_object *bo);
void prc_memcg_move(struct prc_gem_object *bo, int old_state, int state);
bool prc_memcg_is_root(struct mem_cgroup *memcg);
unsigned long prc_memcg_pages(struct prc_gem_lru *lru, struct mem_cgroup *memcg,
			      unsigned long *drop, bool *any);
void prc_memcg_show(struct prc_gem_lru *lru, struct seq_file *m);
struct prc_memcg *prc_memcg_next(struct prc_gem_lru *lru, struct mem_cgroup *memcg,
				 struct prc_memcg *prev);

#endif /* PRC_MEMCG_H */
