/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_RECLAIM_H
#define PRC_RECLAIM_H

#include <linux/atomic.h>
#include <linux/gfp_types.h>
#include <linux/list_lru.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct drm_device;
struct drm_file;
struct prc_gem_lru;
struct seq_file;
struct shrinker;

/**
 * struct prc_reclaim - a device's shrinker and what it did
 */
struct prc_reclaim {
	/** @lru: the device's BOs by reclaim state (the shrinker's lists) */
	struct prc_gem_lru *lru;
	/** @shrinker: registered with the core MM while the device is bound */
	struct shrinker *shrinker;
	/**
	 * @memcg_lru: one item per memory cgroup paying for BOs of the device
	 * (memcg.c), which is how the core MM knows to call @shrinker for that
	 * cgroup; lives as long as the DRM device
	 */
	struct list_lru memcg_lru;
	/**
	 * @scan_lock: one device-wide scan at a time walks the lists; another
	 * one from reclaim (a second CPU's) trylocks it and gives up rather
	 * than wait (a cgroup's scans do not take it, see reclaim.c):
	 * reclaim never sleeps on our locks. Only debugfs ``shrink``, a
	 * request from userspace, waits for it. Held across evictions, which
	 * take BO reservations (trylock) and the LRU's spinlock.
	 */
	struct mutex scan_lock;
	/** @scans: scans run (shrinker and debugfs) */
	atomic_long_t scans;
	/** @busy: BOs skipped: their lock held, or in use when locked */
	atomic_long_t busy;
	/** @written: evicted pages written to swap at once (reclaim_writeback) */
	atomic_long_t written;
	/** @last_scanned: pages the last scan counted: of the BOs and VMs it could take */
	atomic_long_t last_scanned;
	/** @last_freed: pages the last scan gave back to shmem */
	atomic_long_t last_freed;
	/** @scan_ns: total time spent scanning */
	atomic64_t scan_ns;
};

bool prc_reclaim_enabled(void);
int prc_reclaim_init(struct prc_reclaim *rc, struct drm_device *drm, struct prc_gem_lru *lru);
long prc_reclaim_scan_wait(struct prc_reclaim *rc, unsigned long nr_pages);
unsigned long prc_reclaim_client(struct prc_reclaim *rc, struct drm_file *file);
void prc_reclaim_show(struct prc_reclaim *rc, struct seq_file *m);

#endif /* PRC_RECLAIM_H */
