// SPDX-License-Identifier: GPL-2.0-only
/* Probe: the timeout handler reports DRM_GPU_SCHED_STAT_RESET (after 6.12; NOMINAL before). */
#include <drm/gpu_scheduler.h>

enum drm_gpu_sched_stat prc_probe(void);
enum drm_gpu_sched_stat prc_probe(void)
{
	return DRM_GPU_SCHED_STAT_RESET;
}
