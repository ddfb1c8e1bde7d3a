/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_GROUP_H
#define PRC_GROUP_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct drm_file;
struct drm_panthor_group_create;
struct drm_panthor_group_get_state;
struct drm_panthor_queue_create;
struct drm_panthor_queue_submit;
struct drm_sched_job;
struct prc_device;
struct prc_vm;

/**
 * struct prc_group_pool - the command stream groups of one open file
 * @xa: handle -> struct prc_group. An entry is reserved (it reads as NULL)
 *	while GROUP_CREATE builds the group for it, and holds the group once
 *	the group is complete; only then is the handle usable. The xarray's
 *	lock serialises publishing, looking up and erasing.
 * @retired_ns: GPU time of the jobs of destroyed groups, for fdinfo
 * @retired_cycles: their GPU cycles
 */
struct prc_group_pool {
	struct xarray xa;
	atomic64_t retired_ns;
	atomic64_t retired_cycles;
};

void prc_group_pool_init(struct prc_group_pool *pool);
void prc_group_pool_fini(struct prc_group_pool *pool);
int prc_group_create(struct prc_device *pdev, struct drm_file *file, struct prc_vm *vm,
		     struct prc_group_pool *pool, const struct drm_panthor_group_create *args,
		     const struct drm_panthor_queue_create *queues);
int prc_group_destroy(struct prc_group_pool *pool, u32 handle);
int prc_group_get_state(struct prc_group_pool *pool, struct drm_panthor_group_get_state *args);
void prc_group_pool_stats(struct prc_group_pool *pool, u64 *time_ns, u64 *cycles);
bool prc_group_priority_permitted(struct drm_file *file);
struct drm_sched_job *prc_group_new_job(struct drm_file *file, struct prc_group_pool *pool,
					u32 group_handle,
					const struct drm_panthor_queue_submit *args);

#endif /* PRC_GROUP_H */
