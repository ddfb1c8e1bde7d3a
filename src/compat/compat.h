/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_COMPAT_H
#define PRC_COMPAT_H

/**
 * DOC: kernel compatibility layer
 *
 * Every difference between the kernels we build against lives here, keyed by
 * the PRC_HAVE_* results of the compile-time probes in src/compat/probes/
 * (generated into compat/config.h by conftest.sh against the target headers).
 * No other file tests kernel versions.
 */

#include <linux/platform_device.h>
#include <drm/gpu_scheduler.h>

#include "compat/config.h"

/*
 * platform_driver::remove returned int before v6.11 and void since; the void
 * variant was called remove_new in between.
 */
#ifdef PRC_HAVE_PLATFORM_REMOVE_VOID
#define PRC_PLATFORM_REMOVE(fn) .remove = (fn)
#else
#define PRC_PLATFORM_REMOVE(fn) .remove_new = (fn)
#endif

/**
 * struct prc_sched_args - drm_sched_init() arguments, independent of kernel
 * @ops: backend operations
 * @submit_wq: ordered workqueue for run_job/free_job, NULL for a private one
 * @num_rqs: number of run queues (priorities)
 * @credit_limit: how many credits may be in flight on the ring
 * @timeout: job timeout in jiffies
 * @timeout_wq: workqueue for timeout handling, NULL for system_wq
 * @name: scheduler name, for debugging
 * @dev: device for log messages
 */
struct prc_sched_args {
	const struct drm_sched_backend_ops *ops;
	struct workqueue_struct *submit_wq;
	u32 num_rqs;
	u32 credit_limit;
	long timeout;
	struct workqueue_struct *timeout_wq;
	const char *name;
	struct device *dev;
};

/**
 * prc_sched_init() - drm_sched_init() for every supported kernel
 * @sched: scheduler to initialize
 * @a: arguments
 *
 * v6.15 turned the long argument list into struct drm_sched_init_args.
 *
 * Return: 0 on success, negative errno on failure.
 */
static inline int prc_sched_init(struct drm_gpu_scheduler *sched, const struct prc_sched_args *a)
{
#ifdef PRC_HAVE_DRM_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = a->ops,
		.submit_wq = a->submit_wq,
		.num_rqs = a->num_rqs,
		.credit_limit = a->credit_limit,
		.timeout = a->timeout,
		.timeout_wq = a->timeout_wq,
		.name = a->name,
		.dev = a->dev,
	};

	return drm_sched_init(sched, &args);
#else
	return drm_sched_init(sched, a->ops, a->submit_wq, a->num_rqs, a->credit_limit, 0,
			      a->timeout, a->timeout_wq, NULL, a->name, a->dev);
#endif
}

#endif /* PRC_COMPAT_H */
