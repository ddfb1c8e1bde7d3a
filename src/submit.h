/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SUBMIT_H
#define PRC_SUBMIT_H

#include <linux/types.h>

struct drm_exec;
struct drm_file;
struct drm_panthor_obj_array;
struct drm_panthor_sync_op;
struct drm_sched_job;
struct prc_submit;
struct prc_submit_point;
struct prc_submit_sync;
struct prc_vm;

/**
 * struct prc_submit_kind - what differs between the users of a submission
 * @exec_flags: drm_exec flags for locking (DRM_EXEC_IGNORE_DUPLICATES when
 *	one object may be named by several jobs)
 * @lock: prepare every reservation object the jobs' fences go to, with room
 *	for one fence per job (@nfences), inside drm_exec's retry loop: return
 *	the first drm_exec/drm_gpuvm error as is
 * @validate: with everything locked and before any job is armed, make
 *	what the jobs use resident again (may allocate); its error fails the
 *	submission. NULL when there is nothing to do.
 * @free_job: free a job that was never pushed (drm_sched_job_cleanup()
 *	already done)
 */
struct prc_submit_kind {
	u32 exec_flags;
	int (*lock)(struct prc_submit *sub, struct drm_exec *exec, unsigned int nfences);
	int (*validate)(struct prc_submit *sub);
	void (*free_job)(struct drm_sched_job *job);
};

/**
 * struct prc_submit_entry - one job of a submission
 * @job: the job, owned by the submission until it is pushed
 * @ops: its sync operations as userspace wrote them
 * @syncs: what each of @ops resolved to (NULL until resolved)
 * @nops: number of @ops
 */
struct prc_submit_entry {
	struct drm_sched_job *job;
	struct drm_panthor_sync_op *ops;
	struct prc_submit_sync *syncs;
	u32 nops;
};

/**
 * struct prc_submit - jobs submitted together, with their sync operations
 * @file: the submitter, whose syncobj handles the operations name
 * @kind: how to lock and free the jobs
 * @vm: the VM the jobs run in
 * @nentries: number of @entries
 * @entries: the jobs in submission order
 * @npoints: number of @points in use
 * @points: the distinct syncobj points the jobs signal
 *
 * Built by prc_submit_begin() and prc_submit_add(), run by
 * prc_submit_commit(), released by prc_submit_end(). Every step that can
 * fail comes before the first job is pushed, so a submission is all or
 * nothing.
 */
struct prc_submit {
	struct drm_file *file;
	const struct prc_submit_kind *kind;
	struct prc_vm *vm;
	u32 nentries;
	struct prc_submit_entry *entries;
	u32 npoints;
	struct prc_submit_point *points;
};

int prc_submit_begin(struct prc_submit *sub, struct drm_file *file,
		     const struct prc_submit_kind *kind, u32 njobs);
int prc_submit_add(struct prc_submit *sub, u32 i, struct drm_sched_job *job,
		   const struct drm_panthor_obj_array *ops);
int prc_submit_commit(struct prc_submit *sub, struct prc_vm *vm);
void prc_submit_end(struct prc_submit *sub);

#endif /* PRC_SUBMIT_H */
