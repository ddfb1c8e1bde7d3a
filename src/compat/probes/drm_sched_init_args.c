// SPDX-License-Identifier: GPL-2.0-only
/* Probe: drm_sched_init() takes a struct drm_sched_init_args (v6.15+). */
#include <drm/gpu_scheduler.h>

int prc_probe(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args);
int prc_probe(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args)
{
	return drm_sched_init(sched, args);
}
