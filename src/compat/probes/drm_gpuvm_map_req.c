// SPDX-License-Identifier: GPL-2.0-only
/* Probe: drm_gpuvm_sm_map() takes a struct drm_gpuvm_map_req (7.2 does, 6.12 does not). */
#include <drm/drm_gpuvm.h>

int prc_probe(struct drm_gpuvm *gpuvm, void *priv, const struct drm_gpuvm_map_req *req);
int prc_probe(struct drm_gpuvm *gpuvm, void *priv, const struct drm_gpuvm_map_req *req)
{
	return drm_gpuvm_sm_map(gpuvm, priv, req);
}
