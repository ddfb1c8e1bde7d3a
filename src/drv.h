/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_DRV_H
#define PRC_DRV_H

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <drm/drm_drv.h>

#include "group.h"
#include "vm_pool.h"

/* The name Mesa looks for: we present ourselves as panthor. */
#define PRC_DRM_NAME	"panthor"

/**
 * struct prc_file - per-open-file state
 * @vms: the file's VMs by uAPI id
 * @groups: the file's command stream groups by handle
 * @user_mmio_offset: the mmap offset at which this file maps the USER page,
 *	one of DRM_PANTHOR_USER_MMIO_OFFSET_32BIT/64BIT; set at open for the
 *	opener's word size, changed by SET_USER_MMIO_OFFSET, so read and written
 *	with READ_ONCE()/WRITE_ONCE()
 */
struct prc_file {
	struct prc_vm_pool vms;
	struct prc_group_pool groups;
	u64 user_mmio_offset;
};

struct drm_file;
struct prc_device;
struct prc_gem_object;

extern const struct drm_driver prc_drm_driver;
extern bool prc_transparent_hugepage;
void prc_user_mmio_set_active(struct prc_device *pdev, bool active);
void prc_debugfs_init(struct drm_minor *minor);

#endif /* PRC_DRV_H */
