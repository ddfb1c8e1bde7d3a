/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_JOB_H
#define PRC_JOB_H

#include <linux/types.h>

struct drm_file;
struct drm_panthor_queue_create;
struct drm_panthor_queue_submit;
struct drm_sched_job;
struct prc_group;
struct prc_queue;
struct prc_vm;

struct prc_queue *prc_queue_create(struct prc_group *group, u32 index,
				   const struct drm_panthor_queue_create *args);
void prc_queue_free(struct prc_queue *queue);
bool prc_queue_busy(struct prc_queue *queue);
void prc_queue_signal(struct prc_queue *queue, int error);
void prc_group_cancel(struct prc_group *group, int error);
struct drm_sched_job *prc_job_new(struct drm_file *file, struct prc_group *group,
				  const struct drm_panthor_queue_submit *args);
struct prc_vm *prc_job_vm(struct drm_sched_job *sched_job);
void prc_job_put(struct drm_sched_job *sched_job);

#endif /* PRC_JOB_H */
