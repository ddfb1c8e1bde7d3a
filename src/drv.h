/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_DRV_H
#define PRC_DRV_H

#include <drm/drm_drv.h>

/* The name Mesa looks for: we present ourselves as panthor. */
#define PRC_DRM_NAME	"panthor"

struct drm_panthor_obj_array;
struct prc_device;

extern const struct drm_driver prc_drm_driver;
void *prc_get_uobj_array(const struct drm_panthor_obj_array *in, u32 min_stride, u32 ksize);
void prc_user_mmio_set_active(struct prc_device *pdev, bool active);

#endif /* PRC_DRV_H */
