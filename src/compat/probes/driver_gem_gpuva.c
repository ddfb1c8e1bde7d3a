// SPDX-License-Identifier: GPL-2.0-only
/* Probe: the DRIVER_GEM_GPUVA driver feature exists (7.2 has it, 7.3 does not). */
#include <drm/drm_drv.h>

u32 prc_probe_features = DRIVER_GEM_GPUVA;
