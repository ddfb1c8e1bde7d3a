/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_DRV_H
#define PRC_DRV_H

#include <drm/drm_drv.h>

#include "group.h"
#include "vm.h"

/* The name Mesa looks for: we present ourselves as panthor. */
#define PRC_DRM_NAME	"panthor"

/**
 * struct prc_file - per-open-file state
 * @vms: the file's VMs by uAPI id
 * @groups: the file's command stream groups by handle
 */
struct prc_file {
	struct prc_vm_pool vms;
	struct prc_group_pool groups;
};

struct drm_panthor_obj_array;
struct prc_device;

extern const struct drm_driver prc_drm_driver;
void *prc_get_uobj_array(const struct drm_panthor_obj_array *in, u32 min_stride, u32 ksize);
void prc_user_mmio_set_active(struct prc_device *pdev, bool active);
void prc_debugfs_init(struct drm_minor *minor);

#endif /* PRC_DRV_H */
