// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: submission with sync operations
 *
 * GROUP_SUBMIT (and, later, asynchronous VM_BIND) turns an array of user
 * requests into drm_sched jobs, each with its own array of sync operations:
 * syncobj (binary) or timeline-syncobj points to wait for before the job
 * runs, and to signal when it is done. A job may wait for a point another
 * job of the same submission signals; the wait then takes that job's fence.
 *
 * Everything that may fail or allocate happens before the first job is
 * pushed: the signal points are looked up (with a fence-chain node
 * preallocated for timeline points), the VM's reservation object is locked
 * with room for every job's fence, every job is armed. Pushing the jobs and
 * publishing their fences in the syncobjs cannot fail.
 */

#include <linux/dma-fence-chain.h>
#include <linux/slab.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "group.h"
#include "job.h"
#include "submit.h"
#include "uobj.h"
#include "vm.h"
#include "../include/uapi/drm/panthor_drm.h"

#define PRC_SYNC_OP_FLAGS	(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK | DRM_PANTHOR_SYNC_OP_SIGNAL)

/* One syncobj point the submission signals, with the fence it gets. */
struct prc_submit_signal {
	struct list_head node;
	u32 handle;
	u64 point;
	struct drm_syncobj *syncobj;
	/* Preallocated for a timeline point: adding it then cannot fail. */
	struct dma_fence_chain *chain;
	/* The point's current fence, then the last job's that signals it. */
	struct dma_fence *fence;
};

static bool prc_sync_op_signals(const struct drm_panthor_sync_op *op)
{
	return op->flags & DRM_PANTHOR_SYNC_OP_SIGNAL;
}

/* The checks panthor makes on a sync operation, with its error. */
static int prc_sync_op_check(const struct drm_panthor_sync_op *op)
{
	u32 type = op->flags & DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK;

	if (op->flags & ~PRC_SYNC_OP_FLAGS)
		return -EINVAL;
	if (type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ &&
	    type != DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ)
		return -EINVAL;
	if (type == DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ && op->timeline_value)
		return -EINVAL;
	return 0;
}

static struct prc_submit_signal *
prc_submit_find_signal(struct prc_submit *ctx, u32 handle, u64 point)
{
	struct prc_submit_signal *sig;

	list_for_each_entry(sig, &ctx->signals, node)
		if (sig->handle == handle && sig->point == point)
			return sig;
	return NULL;
}

static void prc_submit_signal_free(struct prc_submit_signal *sig)
{
	if (sig->syncobj)
		drm_syncobj_put(sig->syncobj);
	dma_fence_chain_free(sig->chain);
	dma_fence_put(sig->fence);
	kfree(sig);
}

static int prc_submit_add_signal(struct prc_submit *ctx, u32 handle, u64 point)
{
	struct prc_submit_signal *sig;

	if (prc_submit_find_signal(ctx, handle, point))
		return 0;
	sig = kzalloc(sizeof(*sig), GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	sig->handle = handle;
	sig->point = point;
	if (point) {
		sig->chain = dma_fence_chain_alloc();
		if (!sig->chain) {
			prc_submit_signal_free(sig);
			return -ENOMEM;
		}
	}
	sig->syncobj = drm_syncobj_find(ctx->file, handle);
	if (!sig->syncobj) {
		prc_submit_signal_free(sig);
		return -EINVAL;
	}
	/* No fence at that point yet is fine: there is nothing to replace. */
	if (drm_syncobj_find_fence(ctx->file, handle, point, 0, &sig->fence))
		sig->fence = NULL;
	list_add_tail(&sig->node, &ctx->signals);
	return 0;
}

/**
 * prc_submit_init() - start a submission of @count jobs
 * @ctx: the context to set up
 * @file: the submitter
 * @count: number of jobs
 *
 * Return: 0 or -ENOMEM. Call prc_submit_fini() in every case.
 */
int prc_submit_init(struct prc_submit *ctx, struct drm_file *file, u32 count)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->file = file;
	INIT_LIST_HEAD(&ctx->signals);
	drm_exec_init(&ctx->exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);
	if (!count)
		return 0;
	ctx->jobs = kvcalloc(count, sizeof(*ctx->jobs), GFP_KERNEL);
	if (!ctx->jobs)
		return -ENOMEM;
	ctx->count = count;
	return 0;
}

/**
 * prc_submit_add_job() - add job @i and read its sync operations
 * @ctx: the submission
 * @i: the job's index
 * @job: the job (the context owns it from now on)
 * @syncs: the user's array of struct drm_panthor_sync_op
 *
 * Return: 0, -EINVAL for a bad array stride, -EFAULT, -E2BIG, -ENOMEM.
 */
int prc_submit_add_job(struct prc_submit *ctx, u32 i, struct drm_sched_job *job,
		       const struct drm_panthor_obj_array *syncs)
{
	ctx->jobs[i].job = job;
	ctx->jobs[i].syncs = prc_uobj_read_array(syncs, PRC_UOBJ_KIND(struct drm_panthor_sync_op,
									      timeline_value));
	if (IS_ERR(ctx->jobs[i].syncs)) {
		int ret = PTR_ERR(ctx->jobs[i].syncs);

		ctx->jobs[i].syncs = NULL;
		return ret;
	}
	ctx->jobs[i].nsyncs = syncs->count;
	return 0;
}

/**
 * prc_submit_collect_signals() - look up every point the jobs signal
 * @ctx: the submission, all jobs added
 *
 * Return: 0, -EINVAL for a bad sync operation or handle, -ENOMEM.
 */
int prc_submit_collect_signals(struct prc_submit *ctx)
{
	u32 i, j;
	int ret;

	for (i = 0; i < ctx->count; i++) {
		for (j = 0; j < ctx->jobs[i].nsyncs; j++) {
			const struct drm_panthor_sync_op *op = &ctx->jobs[i].syncs[j];

			if (!prc_sync_op_signals(op))
				continue;
			ret = prc_sync_op_check(op);
			if (!ret)
				ret = prc_submit_add_signal(ctx, op->handle, op->timeline_value);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * Lock the VM's reservation object and those of the BOs mapped in it that
 * have their own (the external objects), with room for every job's fence.
 * The VM's goes first: holding it keeps the external objects' list walk
 * from racing with another (drm_gpuvm_prepare_objects() says so) and with
 * bind cleanups, which drop vm_bo references under it.
 */
static int prc_submit_lock_vm(struct prc_submit *ctx, struct prc_vm *vm)
{
	unsigned int fences = max(ctx->count, 1u);
	int ret = 0;

	drm_exec_until_all_locked(&ctx->exec) {
		ret = drm_gpuvm_prepare_vm(&vm->base, &ctx->exec, fences);
		drm_exec_retry_on_contention(&ctx->exec);
		if (ret)
			break;
		ret = drm_gpuvm_prepare_objects(&vm->base, &ctx->exec, fences);
		drm_exec_retry_on_contention(&ctx->exec);
	}
	return ret;
}

/* Make job @i wait for the points its wait operations name. */
static int prc_submit_add_deps(struct prc_submit *ctx, u32 i)
{
	struct drm_sched_job *job = ctx->jobs[i].job;
	u32 j;
	int ret;

	for (j = 0; j < ctx->jobs[i].nsyncs; j++) {
		const struct drm_panthor_sync_op *op = &ctx->jobs[i].syncs[j];
		struct prc_submit_signal *sig;
		struct dma_fence *fence;

		if (prc_sync_op_signals(op))
			continue;
		ret = prc_sync_op_check(op);
		if (ret)
			return ret;
		sig = prc_submit_find_signal(ctx, op->handle, op->timeline_value);
		if (sig) {
			/* An earlier job of this submission signals it. */
			fence = dma_fence_get(sig->fence);
		} else {
			ret = drm_syncobj_find_fence(ctx->file, op->handle, op->timeline_value, 0,
						     &fence);
			if (ret)
				return ret;
		}
		ret = drm_sched_job_add_dependency(job, fence);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * prc_submit_arm() - add the jobs' dependencies and arm them, in order
 * @ctx: the submission, VM locked
 *
 * Job i may wait for points jobs before it signal, so each job's signal
 * points get its fence as soon as it is armed.
 *
 * Return: 0 or a negative errno (from drm_syncobj_find_fence() for a wait
 * on a point without a fence: -ENOENT, or -EINVAL).
 */
int prc_submit_arm(struct prc_submit *ctx)
{
	u32 i, j;
	int ret;

	for (i = 0; i < ctx->count; i++) {
		struct drm_sched_job *job = ctx->jobs[i].job;

		ret = prc_submit_add_deps(ctx, i);
		if (ret)
			return ret;
		drm_sched_job_arm(job);
		ctx->jobs[i].armed = true;
		for (j = 0; j < ctx->jobs[i].nsyncs; j++) {
			const struct drm_panthor_sync_op *op = &ctx->jobs[i].syncs[j];
			struct prc_submit_signal *sig;

			if (!prc_sync_op_signals(op))
				continue;
			sig = prc_submit_find_signal(ctx, op->handle, op->timeline_value);
			dma_fence_put(sig->fence);
			sig->fence = dma_fence_get(&job->s_fence->finished);
		}
	}
	return 0;
}

/**
 * prc_submit_push() - hand the jobs to drm_sched and publish their fences
 * @ctx: the submission, armed
 * @vm: the VM, its reservation object locked in @ctx->exec
 *
 * Cannot fail. The reservation objects of the VM and of the external BOs
 * mapped in it get every job's fence, for book-keeping (reclaim waits for
 * them before it evicts the memory).
 */
void prc_submit_push(struct prc_submit *ctx, struct prc_vm *vm)
{
	struct prc_submit_signal *sig;
	u32 i;

	for (i = 0; i < ctx->count; i++) {
		struct drm_sched_job *job = ctx->jobs[i].job;

		drm_gpuvm_resv_add_fence(&vm->base, &ctx->exec, &job->s_fence->finished,
					 DMA_RESV_USAGE_BOOKKEEP, DMA_RESV_USAGE_BOOKKEEP);
		drm_sched_entity_push_job(job);
		ctx->jobs[i].job = NULL;
	}
	list_for_each_entry(sig, &ctx->signals, node) {
		if (sig->chain) {
			drm_syncobj_add_point(sig->syncobj, sig->chain, sig->fence, sig->point);
			sig->chain = NULL;
		} else {
			drm_syncobj_replace_fence(sig->syncobj, sig->fence);
		}
	}
}

/**
 * prc_submit_fini() - release what the submission still holds
 * @ctx: the submission
 * @put: frees a job of the submission's kind
 *
 * Jobs not pushed are freed (armed ones after drm_sched_job_cleanup()).
 */
void prc_submit_fini(struct prc_submit *ctx, void (*put)(struct drm_sched_job *job))
{
	struct prc_submit_signal *sig, *tmp;
	u32 i;

	drm_exec_fini(&ctx->exec);
	list_for_each_entry_safe(sig, tmp, &ctx->signals, node)
		prc_submit_signal_free(sig);
	for (i = 0; i < ctx->count; i++) {
		if (ctx->jobs[i].job) {
			drm_sched_job_cleanup(ctx->jobs[i].job);
			put(ctx->jobs[i].job);
		}
		kvfree(ctx->jobs[i].syncs);
	}
	kvfree(ctx->jobs);
}

/**
 * prc_group_submit() - GROUP_SUBMIT
 * @file: the submitter
 * @pool: its groups
 * @args: the ioctl arguments (padding checked)
 *
 * Return: 0, or the first error in panthor's order: -EINVAL for bad
 * arguments, handles or sync operations, -ENOENT for a wait on a point
 * without a fence, -EFAULT, -ENOMEM, -EINTR.
 */
int prc_group_submit(struct drm_file *file, struct prc_group_pool *pool,
		     const struct drm_panthor_group_submit *args)
{
	struct drm_panthor_queue_submit *qs;
	struct prc_submit ctx;
	u32 i;
	int ret;

	qs = prc_uobj_read_array(&args->queue_submits,
				 PRC_UOBJ_KIND(struct drm_panthor_queue_submit, syncs));
	if (IS_ERR(qs))
		return PTR_ERR(qs);
	ret = prc_submit_init(&ctx, file, args->queue_submits.count);
	if (ret)
		goto out_free;
	for (i = 0; i < ctx.count; i++) {
		struct drm_sched_job *job = prc_job_create(file, pool, args->group_handle, &qs[i]);

		if (IS_ERR(job)) {
			ret = PTR_ERR(job);
			goto out_fini;
		}
		ret = prc_submit_add_job(&ctx, i, job, &qs[i].syncs);
		if (ret)
			goto out_fini;
	}
	ret = prc_submit_collect_signals(&ctx);
	if (ret || !ctx.count)
		goto out_fini;
	/* Every job names the same group, hence the same VM. */
	ret = prc_submit_lock_vm(&ctx, prc_job_vm(ctx.jobs[0].job));
	if (ret)
		goto out_fini;
	ret = prc_submit_arm(&ctx);
	if (ret)
		goto out_fini;
	prc_submit_push(&ctx, prc_job_vm(ctx.jobs[0].job));
out_fini:
	prc_submit_fini(&ctx, prc_job_put);
out_free:
	kvfree(qs);
	return ret;
}
