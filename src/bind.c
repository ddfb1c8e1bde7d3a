// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: asynchronous VM_BIND
 *
 * With DRM_PANTHOR_VM_BIND_ASYNC every operation becomes a job on the VM's
 * own drm_sched instance: it runs once the points its sync operations wait
 * for are signalled, in submission order, and signals its own points when
 * the page tables are changed and flushed. SYNC_ONLY operations change
 * nothing; they only order and signal.
 *
 * All the allocation and pinning happens in the ioctl (prc_vm_op_check() and
 * prc_vm_op_prepare()); run_job only executes (prc_vm_op_execute()), which
 * allocates nothing. Releasing the operation's references takes
 * reservation locks, so it is deferred from free_job to a work item.
 */

#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/gpu_scheduler.h>

#include "bind.h"
#include "compat/compat.h"
#include "device.h"
#include "gem.h"
#include "submit.h"
#include "uobj.h"
#include "vm.h"
#include "vm_op.h"
#include "../include/uapi/drm/panthor_drm.h"

/* Runs every VM's bind jobs; lives as long as the module, so it outlives VMs. */
static struct workqueue_struct *prc_bind_wq;

/**
 * struct prc_bind_job - one asynchronous bind operation
 * @base: the drm_sched job
 * @vm: the VM (referenced)
 * @op: the prepared operation
 * @cleanup_work: releases @op and frees the job outside the scheduler
 */
struct prc_bind_job {
	struct drm_sched_job base;
	struct prc_vm *vm;
	struct prc_vm_op op;
	struct work_struct cleanup_work;
};

static struct prc_bind_job *to_bind_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct prc_bind_job, base);
}

static void prc_bind_job_cleanup(struct work_struct *work)
{
	struct prc_bind_job *job = container_of(work, struct prc_bind_job, cleanup_work);

	prc_vm_op_cleanup(job->vm, &job->op);
	prc_vm_put(job->vm);
	kfree(job);
}

static void prc_bind_job_put(struct drm_sched_job *sched_job)
{
	struct prc_bind_job *job = to_bind_job(sched_job);

	queue_work(system_unbound_wq, &job->cleanup_work);
}

static struct dma_fence *prc_bind_job_run(struct drm_sched_job *sched_job)
{
	struct prc_bind_job *job = to_bind_job(sched_job);
	bool cookie = dma_fence_begin_signalling();
	int ret = prc_vm_op_execute(job->vm, &job->op);

	dma_fence_end_signalling(cookie);
	/* Done already: no hardware fence to wait for. */
	return ret ? ERR_PTR(ret) : NULL;
}

static enum drm_gpu_sched_stat prc_bind_job_timedout(struct drm_sched_job *sched_job)
{
	/* run_job completes synchronously: a bind job cannot hang. */
	return PRC_SCHED_STAT_HANDLED;
}

static void prc_bind_job_free(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	prc_bind_job_put(sched_job);
}

static const struct drm_sched_backend_ops prc_bind_ops = {
	.run_job = prc_bind_job_run,
	.timedout_job = prc_bind_job_timedout,
	.free_job = prc_bind_job_free,
};

/**
 * prc_bind_sched_init() - give a user VM its bind queue
 * @vm: the VM
 *
 * Return: 0 or a negative errno.
 */
int prc_bind_sched_init(struct prc_vm *vm)
{
	struct drm_gpu_scheduler *list[] = { &vm->bind_sched };
	const struct prc_sched_args args = {
		.ops = &prc_bind_ops,
		.submit_wq = prc_bind_wq,
		.num_rqs = 1,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "prc-vm-bind",
		.dev = vm->pdev->base.dev,
	};
	int ret;

	ret = prc_sched_init(&vm->bind_sched, &args);
	if (ret)
		return ret;
	ret = drm_sched_entity_init(&vm->bind_entity, DRM_SCHED_PRIORITY_KERNEL, list, 1, NULL);
	if (ret) {
		drm_sched_fini(&vm->bind_sched);
		return ret;
	}
	vm->has_bind_sched = true;
	return 0;
}

/**
 * prc_bind_sched_fini() - tear down the VM's bind queue
 * @vm: the VM, last reference gone (so no bind job is left)
 */
void prc_bind_sched_fini(struct prc_vm *vm)
{
	if (!vm->has_bind_sched)
		return;
	drm_sched_entity_destroy(&vm->bind_entity);
	drm_sched_fini(&vm->bind_sched);
	vm->has_bind_sched = false;
}

/* A checked and prepared bind job, or an ERR_PTR() with panthor's errors. */
static struct drm_sched_job *prc_bind_job_create(struct drm_file *file, struct prc_vm *vm,
						 const struct drm_panthor_vm_bind_op *uop)
{
	struct prc_bind_job *job;
	int ret;

	if (READ_ONCE(vm->unusable))
		return ERR_PTR(-EINVAL);
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&job->op.spare);
	INIT_LIST_HEAD(&job->op.retired);
	INIT_WORK(&job->cleanup_work, prc_bind_job_cleanup);
	job->vm = prc_vm_get(vm);
	ret = prc_vm_op_check(file, vm, uop, &job->op);
	if (!ret)
		ret = prc_vm_op_prepare(vm, &job->op);
	if (!ret)
		ret = drm_sched_job_init(&job->base, &vm->bind_entity, 1, vm, file->client_id);
	if (ret) {
		prc_bind_job_cleanup(&job->cleanup_work);
		return ERR_PTR(ret);
	}
	return &job->base;
}

/*
 * A bind job's fence goes to the VM's reservation object and to those of
 * the BOs the jobs map, so that whoever waits for a BO's users (reclaim,
 * CPU access, an importer) waits for its mapping too. Several jobs may map
 * one BO.
 */
static int prc_bind_lock(struct prc_submit *sub, struct drm_exec *exec, unsigned int nfences)
{
	int ret = drm_gpuvm_prepare_vm(&sub->vm->base, exec, nfences);
	u32 i;

	for (i = 0; !ret && i < sub->nentries; i++) {
		struct prc_gem_object *bo = to_bind_job(sub->entries[i].job)->op.bo;

		if (bo)
			ret = drm_exec_prepare_obj(exec, &bo->base, nfences);
	}
	return ret;
}

static const struct prc_submit_kind prc_bind_kind = {
	.exec_flags = DRM_EXEC_IGNORE_DUPLICATES,
	.lock = prc_bind_lock,
	.free_job = prc_bind_job_put,
};

/**
 * prc_vm_bind_async() - VM_BIND with DRM_PANTHOR_VM_BIND_ASYNC
 * @file: the caller
 * @vm: the VM
 * @ops: the user's array of struct drm_panthor_vm_bind_op
 *
 * Return: 0, or -EINVAL for a bad operation, sync operation or an unusable
 * VM, -ENOENT for a wait on a point without a fence, -EFAULT, -ENOMEM,
 * -EINTR. Nothing is queued unless everything succeeds.
 */
int prc_vm_bind_async(struct drm_file *file, struct prc_vm *vm,
		      const struct drm_panthor_obj_array *ops)
{
	struct drm_panthor_vm_bind_op *uops;
	struct prc_submit sub;
	u32 i;
	int ret;

	uops = prc_uobj_read_array(ops, PRC_UOBJ_KIND(struct drm_panthor_vm_bind_op, syncs));
	if (IS_ERR(uops))
		return PTR_ERR(uops);
	ret = prc_submit_begin(&sub, file, &prc_bind_kind, ops->count);
	/* Operation by operation, checked and prepared, then its sync operations. */
	for (i = 0; !ret && i < sub.nentries; i++) {
		struct drm_sched_job *job = prc_bind_job_create(file, vm, &uops[i]);

		ret = IS_ERR(job) ? PTR_ERR(job) : prc_submit_add(&sub, i, job, &uops[i].syncs);
	}
	if (!ret)
		ret = prc_submit_commit(&sub, vm);
	prc_submit_end(&sub);
	kvfree(uops);
	return ret;
}

/**
 * prc_bind_module_init() - create the workqueue of every VM's bind queue
 *
 * Return: 0 or -ENOMEM.
 */
int prc_bind_module_init(void)
{
	prc_bind_wq = alloc_workqueue("prc-vm-bind", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return prc_bind_wq ? 0 : -ENOMEM;
}

/**
 * prc_bind_module_exit() - destroy it, once no device (hence no VM) is left
 */
void prc_bind_module_exit(void)
{
	destroy_workqueue(prc_bind_wq);
}
