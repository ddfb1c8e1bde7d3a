// SPDX-License-Identifier: GPL-2.0-only
/* Probe: enum drm_gpuvm_flags has DRM_GPUVM_IMMEDIATE_MODE (7.2 does, 6.12 does not). */
#include <drm/drm_gpuvm.h>

enum drm_gpuvm_flags prc_probe_flags = DRM_GPUVM_IMMEDIATE_MODE;
