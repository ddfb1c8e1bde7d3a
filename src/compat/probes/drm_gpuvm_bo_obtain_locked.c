// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe: drm_gpuvm_bo_obtain() is called drm_gpuvm_bo_obtain_locked() (7.2 and
 * 7.3; 6.12 has the old name). The rename came with the change that made
 * drm_gpuvm_bo_obtain_prealloc() take the GEM's gpuva lock itself, which no
 * probe can see: compat.h keys that locking on this name.
 */
#include <drm/drm_gpuvm.h>

struct drm_gpuvm_bo *prc_probe(struct drm_gpuvm *gpuvm, struct drm_gem_object *obj);
struct drm_gpuvm_bo *prc_probe(struct drm_gpuvm *gpuvm, struct drm_gem_object *obj)
{
	return drm_gpuvm_bo_obtain_locked(gpuvm, obj);
}
