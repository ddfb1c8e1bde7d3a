// SPDX-License-Identifier: GPL-2.0-only
/* Probe: drm_sched_start() takes the error to give re-armed fences (after 6.12). */
#include <drm/gpu_scheduler.h>

void prc_probe(struct drm_gpu_scheduler *sched);
void prc_probe(struct drm_gpu_scheduler *sched)
{
	drm_sched_start(sched, 0);
}
