// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: submissions and their sync operations
 *
 * GROUP_SUBMIT and asynchronous VM_BIND both hand userspace an array of
 * jobs, each with an array of &struct drm_panthor_sync_op: syncobj points
 * (binary, or timeline) the job waits for before it runs, and points it
 * signals when it is done. A &struct prc_submit holds the jobs and
 * everything their operations name, and goes through four stages:
 *
 * 1. build (prc_submit_add()): the jobs, made by the caller, and their sync
 *    operations, copied in;
 * 2. resolve: every point a job signals is looked up once, with what
 *    signalling it needs later (a fence-chain node for a timeline point);
 *    then every wait is resolved to either one of those points (a job of
 *    this submission signals it) or the fence the syncobj holds now;
 * 3. lock and arm: the reservation objects the jobs' fences go to are
 *    locked, what reclaim took from the jobs' memory is brought back (the
 *    kind's validate hook; the locks keep it there until the fences are
 *    in), and the jobs armed in order, each one's points taking its fence
 *    so the next jobs' waits see it;
 * 4. push and publish, which cannot fail.
 *
 * Errors therefore all come from stages 1 to 3, before anything is
 * visible. Their order is the one userspace sees from panthor, which Mesa
 * and IGT may test: a job's own arguments, then its sync array, job by
 * job; then the signal operations of all jobs; then the waits, job by job.
 */

#include <linux/dma-fence-chain.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "submit.h"
#include "uobj.h"
#include "vm.h"
#include "../include/uapi/drm/panthor_drm.h"

/**
 * struct prc_submit_point - a syncobj point the submission signals
 * @syncobj: the syncobj (referenced)
 * @handle: its handle in the submitter's file
 * @value: the timeline point; 0 is the syncobj's binary payload, which a
 *	timeline syncobj has too (drm_syncobj's rule), so it is replaced, not
 *	chained
 * @link: for @value != 0, the chain node drm_syncobj_add_point() takes;
 *	allocated while allocating may fail, given away when published
 * @fence: what the point will hold: the syncobj's fence when resolved, then
 *	the fence of the last job armed that signals it (referenced)
 */
struct prc_submit_point {
	struct drm_syncobj *syncobj;
	u32 handle;
	u64 value;
	struct dma_fence_chain *link;
	struct dma_fence *fence;
};

/**
 * struct prc_submit_sync - what one sync operation resolved to
 * @point: for a signal, its point; for a wait, the point when a job of
 *	this submission signals it, else NULL
 * @fence: for a wait on a point outside the submission, the fence it holds
 *	(referenced; NULL once handed to the scheduler)
 */
struct prc_submit_sync {
	struct prc_submit_point *point;
	struct dma_fence *fence;
};

static bool prc_sync_op_is_signal(const struct drm_panthor_sync_op *op)
{
	return op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL;
}

/*
 * A valid operation is one handle type and, at most, the signal flag; a
 * binary syncobj has no timeline value (uAPI). Anything else is -EINVAL.
 */
static bool prc_sync_op_valid(const struct drm_panthor_sync_op *op)
{
	switch (op->flags & ~DRM_PANTHOR_SYNC_OP_SIGNAL) {
	case DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ:
		return !op->timeline_value;
	case DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ:
		return true;
	default:
		return false;
	}
}

static struct prc_submit_point *
prc_submit_point_find(struct prc_submit *sub, const struct drm_panthor_sync_op *op)
{
	u32 i;

	for (i = 0; i < sub->npoints; i++) {
		struct prc_submit_point *pt = &sub->points[i];

		if (pt->handle == op->handle && pt->value == op->timeline_value)
			return pt;
	}
	return NULL;
}

/* The point a signal operation names, added on first use. */
static int prc_submit_point_get(struct prc_submit *sub, const struct drm_panthor_sync_op *op,
				struct prc_submit_point **out)
{
	struct prc_submit_point *pt = prc_submit_point_find(sub, op);

	if (!pt) {
		/* points[] has room for every signal operation. */
		pt = &sub->points[sub->npoints];
		pt->syncobj = drm_syncobj_find(sub->file, op->handle);
		if (!pt->syncobj)
			return -EINVAL;
		if (op->timeline_value) {
			pt->link = dma_fence_chain_alloc();
			if (!pt->link) {
				drm_syncobj_put(pt->syncobj);
				pt->syncobj = NULL;
				return -ENOMEM;
			}
		}
		pt->handle = op->handle;
		pt->value = op->timeline_value;
		/* A point nobody signalled yet holds nothing: no fence to keep. */
		if (drm_syncobj_find_fence(sub->file, pt->handle, pt->value, 0, &pt->fence))
			pt->fence = NULL;
		sub->npoints++;
	}
	*out = pt;
	return 0;
}

/* Stage 2: signals first (all jobs), then waits, job by job. */
static int prc_submit_resolve(struct prc_submit *sub)
{
	u32 nsignals = 0, i, j;
	int ret;

	for (i = 0; i < sub->nentries; i++) {
		struct prc_submit_entry *e = &sub->entries[i];

		e->syncs = kvcalloc(e->nops, sizeof(*e->syncs), GFP_KERNEL);
		if (e->nops && !e->syncs)
			return -ENOMEM;
		for (j = 0; j < e->nops; j++)
			nsignals += prc_sync_op_is_signal(&e->ops[j]);
	}
	sub->points = kvcalloc(nsignals, sizeof(*sub->points), GFP_KERNEL);
	if (nsignals && !sub->points)
		return -ENOMEM;

	for (i = 0; i < sub->nentries; i++) {
		struct prc_submit_entry *e = &sub->entries[i];

		for (j = 0; j < e->nops; j++) {
			if (!prc_sync_op_is_signal(&e->ops[j]))
				continue;
			if (!prc_sync_op_valid(&e->ops[j]))
				return -EINVAL;
			ret = prc_submit_point_get(sub, &e->ops[j], &e->syncs[j].point);
			if (ret)
				return ret;
		}
	}
	for (i = 0; i < sub->nentries; i++) {
		struct prc_submit_entry *e = &sub->entries[i];

		for (j = 0; j < e->nops; j++) {
			const struct drm_panthor_sync_op *op = &e->ops[j];

			if (prc_sync_op_is_signal(op))
				continue;
			if (!prc_sync_op_valid(op))
				return -EINVAL;
			e->syncs[j].point = prc_submit_point_find(sub, op);
			if (e->syncs[j].point)
				continue;
			/*
			 * -ENOENT (or -EINVAL) for a point without a fence; the
			 * fence pointer is then not ours to put, whatever it holds.
			 */
			ret = drm_syncobj_find_fence(sub->file, op->handle, op->timeline_value, 0,
						     &e->syncs[j].fence);
			if (ret) {
				e->syncs[j].fence = NULL;
				return ret;
			}
		}
	}
	return 0;
}

/*
 * Stage 3, for one job: its dependencies, its fence, and the fence its
 * points get. A wait on a point of the submission takes the point's fence
 * as it is now: the last earlier job that signals it, or what the syncobj
 * held before.
 */
static int prc_submit_arm_entry(struct prc_submit_entry *e)
{
	struct dma_fence *done;
	u32 j;
	int ret;

	for (j = 0; j < e->nops; j++) {
		struct prc_submit_sync *s = &e->syncs[j];
		struct dma_fence *dep;

		if (prc_sync_op_is_signal(&e->ops[j]))
			continue;
		if (s->point) {
			dep = dma_fence_get(s->point->fence);
		} else {
			dep = s->fence;
			s->fence = NULL;
		}
		/* Takes the reference, whatever it returns. */
		ret = drm_sched_job_add_dependency(e->job, dep);
		if (ret)
			return ret;
	}
	drm_sched_job_arm(e->job);
	done = &e->job->s_fence->finished;
	for (j = 0; j < e->nops; j++) {
		struct prc_submit_point *pt = e->syncs[j].point;

		if (!prc_sync_op_is_signal(&e->ops[j]))
			continue;
		dma_fence_put(pt->fence);
		pt->fence = dma_fence_get(done);
	}
	return 0;
}

static void prc_submit_point_publish(struct prc_submit_point *pt)
{
	if (!pt->value) {
		drm_syncobj_replace_fence(pt->syncobj, pt->fence);
		return;
	}
	drm_syncobj_add_point(pt->syncobj, pt->link, pt->fence, pt->value);
	pt->link = NULL;	/* the syncobj's timeline owns it now */
}

/**
 * prc_submit_begin() - start a submission
 * @sub: the submission
 * @file: the submitter
 * @kind: how its jobs are locked and freed
 * @njobs: number of jobs
 *
 * Return: 0 or -ENOMEM. Call prc_submit_end() in every case.
 */
int prc_submit_begin(struct prc_submit *sub, struct drm_file *file,
		     const struct prc_submit_kind *kind, u32 njobs)
{
	*sub = (struct prc_submit){ .file = file, .kind = kind };
	sub->entries = kvcalloc(njobs, sizeof(*sub->entries), GFP_KERNEL);
	if (njobs && !sub->entries)
		return -ENOMEM;
	sub->nentries = njobs;
	return 0;
}

/**
 * prc_submit_add() - give job @i of the submission and its sync operations
 * @sub: the submission
 * @i: the job's index, below the count given to prc_submit_begin()
 * @job: the job (initialised, not armed); the submission owns it from now on
 * @ops: the user's array of &struct drm_panthor_sync_op
 *
 * Return: 0, or an error of prc_uobj_read_array().
 */
int prc_submit_add(struct prc_submit *sub, u32 i, struct drm_sched_job *job,
		   const struct drm_panthor_obj_array *ops)
{
	struct prc_submit_entry *e = &sub->entries[i];
	struct drm_panthor_sync_op *uops;

	e->job = job;
	uops = prc_uobj_read_array(ops, PRC_UOBJ_KIND(struct drm_panthor_sync_op,
						      timeline_value));
	if (IS_ERR(uops))
		return PTR_ERR(uops);
	e->ops = uops;
	e->nops = ops->count;
	return 0;
}

/**
 * prc_submit_commit() - resolve, lock, arm, push and publish
 * @sub: the submission, every job added
 * @vm: the VM the jobs run in; its reservation object and those locked by
 *	@sub->kind get every job's fence, for book-keeping
 *
 * Nothing is queued or published unless everything succeeds.
 *
 * Return: 0; -EINVAL for a bad sync operation or a signal on an unknown
 * handle; -ENOENT (or -EINVAL) for a wait on a point without a fence;
 * -ENOMEM; -EINTR; an error of @sub->kind->lock.
 */
int prc_submit_commit(struct prc_submit *sub, struct prc_vm *vm)
{
	unsigned int nfences = max(sub->nentries, 1u);
	struct drm_exec exec;
	u32 i;
	int ret;

	sub->vm = vm;
	ret = prc_submit_resolve(sub);
	if (ret || !sub->nentries)
		return ret;

	drm_exec_init(&exec, sub->kind->exec_flags | DRM_EXEC_INTERRUPTIBLE_WAIT, 0);
	drm_exec_until_all_locked(&exec) {
		ret = sub->kind->lock(sub, &exec, nfences);
		drm_exec_retry_on_contention(&exec);
	}
	if (!ret && sub->kind->validate)
		ret = sub->kind->validate(sub);
	for (i = 0; !ret && i < sub->nentries; i++)
		ret = prc_submit_arm_entry(&sub->entries[i]);
	if (ret)
		goto out_unlock;

	for (i = 0; i < sub->nentries; i++) {
		struct drm_sched_job *job = sub->entries[i].job;

		/* Before the push: once pushed, the job may be gone. */
		drm_gpuvm_resv_add_fence(&vm->base, &exec, &job->s_fence->finished,
					 DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
		drm_sched_entity_push_job(job);
		sub->entries[i].job = NULL;
	}
	for (i = 0; i < sub->npoints; i++)
		prc_submit_point_publish(&sub->points[i]);
out_unlock:
	drm_exec_fini(&exec);
	return ret;
}

/**
 * prc_submit_end() - release what the submission still holds
 * @sub: the submission
 *
 * Jobs that were not pushed are cleaned up (armed or not) and freed.
 */
void prc_submit_end(struct prc_submit *sub)
{
	u32 i, j;

	for (i = 0; i < sub->npoints; i++) {
		struct prc_submit_point *pt = &sub->points[i];

		dma_fence_put(pt->fence);
		dma_fence_chain_free(pt->link);
		drm_syncobj_put(pt->syncobj);
	}
	kvfree(sub->points);
	for (i = 0; i < sub->nentries; i++) {
		struct prc_submit_entry *e = &sub->entries[i];

		if (e->syncs)
			for (j = 0; j < e->nops; j++)
				dma_fence_put(e->syncs[j].fence);
		kvfree(e->syncs);
		kvfree(e->ops);
		if (e->job) {
			drm_sched_job_cleanup(e->job);
			sub->kind->free_job(e->job);
		}
	}
	kvfree(sub->entries);
}
