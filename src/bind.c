// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: VM_BIND
 *
 * The uAPI side of binding: each user operation is checked here, the way
 * panthor checks it (errno for errno), and turned into a &struct prc_vm_op,
 * which vm.c prepares, executes and cleans up. A sparse mapping maps the
 * file's dummy BO (&struct prc_bind_sparse), which the VM's creator hands
 * to the VM's bind queue.
 *
 * Without DRM_PANTHOR_VM_BIND_ASYNC the operations run one after the other
 * in the ioctl (prc_vm_bind_now()). With it every operation becomes a job
 * on the VM's bind queue, a drm_sched instance of its own: it runs once the
 * points its sync operations wait for are signalled, in submission order,
 * and signals its own points when the page tables are changed and flushed.
 * SYNC_ONLY operations change nothing; they only order and signal.
 *
 * All the allocation and pinning happens in the ioctl (the check and
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

/* Flags a MAP operation may carry. */
#define PRC_BIND_MAP_FLAGS		(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED | \
					 DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE | \
					 DRM_PANTHOR_VM_BIND_OP_TYPE_MASK)

/* Runs every VM's bind jobs; lives as long as the module, so it outlives VMs. */
static struct workqueue_struct *prc_bind_wq;

/**
 * struct prc_bind_queue - a user VM's asynchronous bind queue
 * @sched: runs the VM's bind jobs, one at a time, in order
 * @entity: the only entity of @sched
 * @sparse: the VM's file's sparse BO. Only binds use it, and binds reach
 *	the VM only through its file's pool, in an ioctl of that file, so
 *	the pool (which @sparse is part of) is alive whenever it is used,
 *	even if the VM outlives the file.
 */
struct prc_bind_queue {
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	struct prc_bind_sparse *sparse;
};

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
 * prc_bind_queue_create() - give a user VM its bind queue
 * @vm: the VM, with no queue yet
 * @sparse: where its binds get the sparse BO from (the VM's file's)
 *
 * Return: 0 or a negative errno.
 */
int prc_bind_queue_create(struct prc_vm *vm, struct prc_bind_sparse *sparse)
{
	struct prc_bind_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);
	struct drm_gpu_scheduler *list[1];
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

	if (!q)
		return -ENOMEM;
	ret = prc_sched_init(&q->sched, &args);
	if (ret)
		goto err_free;
	list[0] = &q->sched;
	ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_KERNEL, list, 1, NULL);
	if (ret)
		goto err_sched;
	q->sparse = sparse;
	vm->bindq = q;
	return 0;

err_sched:
	drm_sched_fini(&q->sched);
err_free:
	kfree(q);
	return ret;
}

/**
 * prc_bind_queue_destroy() - tear down a VM's bind queue
 * @vm: the VM, its last reference gone (so no bind job is left); nothing
 *	happens if it has no queue
 */
void prc_bind_queue_destroy(struct prc_vm *vm)
{
	struct prc_bind_queue *q = vm->bindq;

	if (!q)
		return;
	drm_sched_entity_destroy(&q->entity);
	drm_sched_fini(&q->sched);
	kfree(q);
	vm->bindq = NULL;
}

/**
 * prc_bind_sparse_init() - no sparse BO yet
 * @sparse: the file's sparse BO slot
 */
void prc_bind_sparse_init(struct prc_bind_sparse *sparse)
{
	mutex_init(&sparse->lock);
	sparse->bo = NULL;
}

/**
 * prc_bind_sparse_fini() - drop the file's reference to its sparse BO
 * @sparse: the slot; VMs that still map the BO hold references of their own
 */
void prc_bind_sparse_fini(struct prc_bind_sparse *sparse)
{
	if (sparse->bo)
		drm_gem_object_put(&sparse->bo->base);
	mutex_destroy(&sparse->lock);
}

/* The file's sparse BO with a new reference, created at its first use. */
static struct prc_gem_object *prc_bind_sparse_get(struct prc_vm *vm)
{
	struct prc_bind_sparse *sparse = vm->bindq->sparse;
	struct prc_gem_object *bo;

	mutex_lock(&sparse->lock);
	if (!sparse->bo) {
		bo = prc_gem_create(&vm->pdev->base, PRC_SPARSE_SIZE, 0, NULL);
		if (IS_ERR(bo)) {
			mutex_unlock(&sparse->lock);
			return bo;
		}
		prc_gem_lru_track(bo, &vm->pdev->gem_lru);
		sparse->bo = bo;
	}
	bo = sparse->bo;
	drm_gem_object_get(&bo->base);
	mutex_unlock(&sparse->lock);
	return bo;
}

/*
 * MAP_SPARSE (uAPI 1.9): no BO and no offset from userspace, and never
 * executable. The range maps the file's dummy BO cyclically; what the GPU
 * writes there lands in it (the GPU cannot drop writes), so it is the
 * file's own, never another client's. Its offset is the VA's in the cycle.
 */
static int prc_bind_check_sparse(struct prc_vm *vm, const struct drm_panthor_vm_bind_op *uop,
				 struct prc_vm_op *op)
{
	struct prc_gem_object *bo;

	if ((uop->flags & ~PRC_BIND_MAP_FLAGS) || uop->bo_handle || uop->bo_offset ||
	    !(uop->flags & DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC))
		return -EINVAL;
	bo = prc_bind_sparse_get(vm);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	op->bo = bo;
	op->offset = uop->va & (PRC_SPARSE_SIZE - 1);
	return 0;
}

/*
 * A user operation checked the way panthor checks it, into @op (its BO
 * referenced): 0 or -EINVAL; -ENOMEM when a first sparse mapping cannot get
 * its dummy BO. prc_vm_op_cleanup() @op in every case.
 */
static int prc_bind_check(struct drm_file *file, struct prc_vm *vm,
			  const struct drm_panthor_vm_bind_op *uop, struct prc_vm_op *op)
{
	struct drm_gem_object *obj;
	u32 type = uop->flags & DRM_PANTHOR_VM_BIND_OP_TYPE_MASK;

	if (!IS_ALIGNED(uop->va | uop->size | uop->bo_offset, PAGE_SIZE) ||
	    range_overflows(uop->va, uop->size, vm->user_va_range))
		return -EINVAL;
	op->type = type;
	op->flags = uop->flags;
	op->va = uop->va;
	op->size = uop->size;
	op->offset = uop->bo_offset;
	switch (type) {
	case DRM_PANTHOR_VM_BIND_OP_TYPE_MAP:
		if (uop->flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE)
			return prc_bind_check_sparse(vm, uop, op);
		obj = drm_gem_object_lookup(file, uop->bo_handle);
		if (!obj)
			return -EINVAL;
		op->bo = to_prc_gem(obj);
		if ((uop->flags & ~PRC_BIND_MAP_FLAGS) || uop->size > obj->size ||
		    uop->bo_offset > obj->size - uop->size ||
		    !prc_gem_can_map_in(op->bo, prc_vm_root_obj(vm)))
			return -EINVAL;
		return 0;
	case DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP:
		if ((uop->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) || uop->bo_handle ||
		    uop->bo_offset)
			return -EINVAL;
		return 0;
	case DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY:
		/* Nothing to map: only sync objects, so only asynchronous binds. */
		if ((uop->flags & ~DRM_PANTHOR_VM_BIND_OP_TYPE_MASK) || uop->bo_handle ||
		    uop->bo_offset || uop->va || uop->size || !uop->syncs.count)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/* One operation of a synchronous VM_BIND, done by the time it returns. */
static int prc_bind_one_now(struct drm_file *file, struct prc_vm *vm,
			    const struct drm_panthor_vm_bind_op *uop)
{
	struct prc_vm_op op = {
		.spare = LIST_HEAD_INIT(op.spare),
		.retired = LIST_HEAD_INIT(op.retired),
	};
	int ret;

	/* Nothing to wait for or signal without a queue: sync operations are refused. */
	if (uop->syncs.count)
		return -EINVAL;
	if (!uop->size)
		return 0;
	ret = prc_bind_check(file, vm, uop, &op);
	if (!ret)
		ret = prc_vm_op_prepare(vm, &op);
	if (!ret)
		ret = prc_vm_op_execute(vm, &op);
	prc_vm_op_cleanup(vm, &op);
	return ret;
}

/**
 * prc_vm_bind_now() - VM_BIND without DRM_PANTHOR_VM_BIND_ASYNC
 * @file: the caller's file, for BO handles
 * @vm: a user VM
 * @ops: the user's array of struct drm_panthor_vm_bind_op; on failure its
 *	count becomes the number of operations done
 *
 * The operations are done one after the other; those before a failure
 * stay done, and the uAPI has userspace learn how many from @ops->count.
 *
 * Return: 0, or -EINVAL for a bad operation (including any sync object:
 * synchronous binds take none), -EFAULT, -E2BIG, -ENOMEM, -EINTR.
 */
int prc_vm_bind_now(struct drm_file *file, struct prc_vm *vm, struct drm_panthor_obj_array *ops)
{
	struct drm_panthor_vm_bind_op *uops;
	u32 done;
	int ret = 0;

	uops = prc_uobj_read_array(ops, PRC_UOBJ_KIND(struct drm_panthor_vm_bind_op, syncs));
	if (IS_ERR(uops))
		return PTR_ERR(uops);
	for (done = 0; done < ops->count && !ret; done++)
		ret = prc_bind_one_now(file, vm, &uops[done]);
	if (ret)
		ops->count = done - 1;
	kvfree(uops);
	return ret;
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
	ret = prc_bind_check(file, vm, uop, &job->op);
	if (!ret)
		ret = prc_vm_op_prepare(vm, &job->op);
	if (!ret)
		ret = drm_sched_job_init(&job->base, &vm->bindq->entity, 1, vm, file->client_id);
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
