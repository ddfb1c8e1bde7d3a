// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe: struct drm_gem_object embeds the mutex protecting its gpuva list,
 * and drm_gem_gpuva_set_lock() is gone (so in 7.2, not in 6.12).
 */
#include <drm/drm_gem.h>

struct mutex *prc_probe(struct drm_gem_object *obj);
struct mutex *prc_probe(struct drm_gem_object *obj)
{
	return &obj->gpuva.lock;
}
