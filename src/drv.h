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

extern const struct drm_driver prc_drm_driver;
extern bool prc_uapi_preview;

void *prc_get_uobj_array(const struct drm_panthor_obj_array *in, u32 min_stride, u32 ksize);

#endif /* PRC_DRV_H */
