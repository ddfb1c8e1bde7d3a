/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SUBMIT_H
#define PRC_SUBMIT_H

#include <linux/list.h>
#include <linux/types.h>
#include <drm/drm_exec.h>

struct drm_file;
struct drm_panthor_group_submit;
struct drm_panthor_obj_array;
struct drm_panthor_sync_op;
struct drm_sched_job;
struct prc_group_pool;
struct prc_vm;

/**
 * struct prc_submit - a submission of jobs with sync operations
 * @file: the submitter
 * @count: number of @jobs
 * @jobs: per job: the job until pushed, its sync operations, whether armed
 * @signals: struct prc_submit_signal, one per point signalled
 * @exec: locks the VM's reservation object
 */
struct prc_submit {
	struct drm_file *file;
	u32 count;
	struct {
		struct drm_sched_job *job;
		struct drm_panthor_sync_op *syncs;
		u32 nsyncs;
		bool armed;
	} *jobs;
	struct list_head signals;
	struct drm_exec exec;
};

int prc_submit_init(struct prc_submit *ctx, struct drm_file *file, u32 count);
int prc_submit_add_job(struct prc_submit *ctx, u32 i, struct drm_sched_job *job,
		       const struct drm_panthor_obj_array *syncs);
int prc_submit_collect_signals(struct prc_submit *ctx);
int prc_submit_arm(struct prc_submit *ctx);
void prc_submit_push(struct prc_submit *ctx, struct prc_vm *vm);
void prc_submit_fini(struct prc_submit *ctx, void (*put)(struct drm_sched_job *job));
int prc_group_submit(struct drm_file *file, struct prc_group_pool *pool,
		     const struct drm_panthor_group_submit *args);

#endif /* PRC_SUBMIT_H */
