/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SCHED_H
#define PRC_SCHED_H

#include <linux/kref.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct drm_file;
struct drm_panthor_group_create;
struct drm_panthor_group_get_state;
struct drm_panthor_queue_create;
struct prc_device;
struct prc_vm_pool;

/**
 * struct prc_group_pool - the command stream groups of one open file
 * @xa: handle -> struct prc_group; an entry marked XA_MARK_1 is fully
 *	created (handles of groups still being set up are not usable)
 */
struct prc_group_pool {
	struct xarray xa;
};

void prc_group_pool_init(struct prc_group_pool *pool);
void prc_group_pool_fini(struct prc_group_pool *pool);
int prc_group_create(struct prc_device *pdev, struct drm_file *file, struct prc_vm_pool *vms,
		     struct prc_group_pool *pool, const struct drm_panthor_group_create *args,
		     const struct drm_panthor_queue_create *queues);
int prc_group_destroy(struct prc_group_pool *pool, u32 handle);
int prc_group_get_state(struct prc_group_pool *pool, struct drm_panthor_group_get_state *args);

#endif /* PRC_SCHED_H */
