// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: command stream groups
 *
 * Userspace submits work through *groups* of up to 32 *queues* (the firmware
 * offers fewer streams per group slot: 8 on the G610). Each queue is a ring
 * buffer of CS instructions in the group's VM, plus a pair of interface
 * pages in the MCU's VM through which the firmware reports how far it got.
 * A group owns suspend buffers in the MCU's VM, where the firmware saves the
 * streams' state when the group leaves a CSG slot, and one 16-byte sync
 * object per queue in its VM, which job completion advances.
 *
 * This file creates, queries and destroys groups with panthor's checks and
 * error codes; sched.c puts them on CSG slots and job.c runs their jobs.
 * A destroyed group is killed at once (its unfinished jobs fail) and freed
 * when its last job is.
 */

#include <linux/bitops.h>
#include <linux/slab.h>
#include <drm/drm_auth.h>
#include <drm/drm_file.h>

#include "device.h"
#include "group.h"
#include "job.h"
#include "kbo.h"
#include "sched.h"
#include "vm.h"
#include "../include/uapi/drm/panthor_drm.h"

#define PRC_MAX_GROUPS_PER_FILE		128
#define PRC_MAX_QUEUE_PRIO		15
#define PRC_GROUP_REGISTERED		XA_MARK_1

static void prc_queue_free(struct prc_queue *queue)
{
	if (!queue)
		return;
	prc_queue_sched_fini(queue);
	prc_kbo_free(queue->iface);
	prc_kbo_free(queue->ringbuf);
	kfree(queue);
}

/* Freeing a group stops its queues' schedulers, which their own work can't do. */
static void prc_group_release_work(struct work_struct *work)
{
	struct prc_group *group = container_of(work, struct prc_group, release_work);
	u32 i;

	prc_sched_group_kill(group, -ECANCELED);
	for (i = 0; i < group->queue_count; i++)
		prc_queue_free(group->queues[i]);
	prc_kbo_free(group->syncobjs);
	prc_kbo_free(group->protm_suspend_buf);
	prc_kbo_free(group->suspend_buf);
	prc_vm_put(group->vm);
	kfree(group);
}

static void prc_group_release(struct kref *kref)
{
	struct prc_group *group = container_of(kref, struct prc_group, refcount);

	queue_work(system_unbound_wq, &group->release_work);
}

/**
 * prc_group_put() - drop a group reference
 * @group: the group, or NULL
 *
 * The last reference frees the group from a work item, so this may be
 * called from the group's own drm_sched work.
 */
void prc_group_put(struct prc_group *group)
{
	if (group)
		kref_put(&group->refcount, prc_group_release);
}

static struct prc_queue *prc_queue_create(struct prc_group *group, u32 index,
					  const struct prc_syncobj64 *syncobjs,
					  const struct drm_panthor_queue_create *args)
{
	struct prc_device *pdev = group->pdev;
	struct prc_queue *queue;
	void *input, *output;
	int ret;

	if (args->pad[0] || args->pad[1] || args->pad[2] ||
	    args->ringbuf_size < SZ_4K || args->ringbuf_size > SZ_64K ||
	    !is_power_of_2(args->ringbuf_size) || args->priority > PRC_MAX_QUEUE_PRIO)
		return ERR_PTR(-EINVAL);

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return ERR_PTR(-ENOMEM);
	queue->group = group;
	queue->index = index;
	queue->priority = args->priority;
	queue->ring_size = args->ringbuf_size;
	queue->syncobj = syncobjs + index;
	queue->syncobj_va = prc_kbo_va(group->syncobjs) + index * sizeof(*syncobjs);
	queue->ringbuf = prc_kbo_new(group->vm, &(struct prc_kbo_desc){
		.purpose = "ring buffer",
		.size = args->ringbuf_size,
		.gpu = PRC_KBO_GPU_WRITE,
		.cpu_view = true,
	});
	if (IS_ERR(queue->ringbuf)) {
		ret = PTR_ERR(queue->ringbuf);
		queue->ringbuf = NULL;
		goto err;
	}
	queue->ring = prc_kbo_cpu(queue->ringbuf);
	queue->iface = prc_fw_alloc_queue_iface(pdev, &input, &output,
						&queue->input_va, &queue->output_va);
	if (IS_ERR(queue->iface)) {
		ret = PTR_ERR(queue->iface);
		queue->iface = NULL;
		goto err;
	}
	queue->input = input;
	queue->output = output;
	ret = prc_queue_sched_init(pdev, queue);
	if (ret)
		goto err;
	return queue;

err:
	prc_queue_free(queue);
	return ERR_PTR(ret);
}

/**
 * prc_group_priority_permitted() - may the caller use priorities above MEDIUM
 * @file: the caller
 *
 * HIGH and REALTIME groups can starve everybody else's: they need
 * CAP_SYS_NICE, or the DRM master (the compositor).
 *
 * Return: true when they may.
 */
bool prc_group_priority_permitted(struct drm_file *file)
{
	return capable(CAP_SYS_NICE) || drm_is_current_master(file);
}

/* The group-level checks panthor makes, in its order, with its errors. */
static int prc_group_check(struct prc_device *pdev, const struct drm_panthor_group_create *args)
{
	const struct prc_gpu_props *p = &pdev->props;

	if (args->pad || args->priority > PANTHOR_GROUP_PRIORITY_REALTIME)
		return -EINVAL;
	if ((args->compute_core_mask & ~p->shader_present) ||
	    (args->fragment_core_mask & ~p->shader_present) ||
	    (args->tiler_core_mask & ~p->tiler_present))
		return -EINVAL;
	if (hweight64(args->compute_core_mask) < args->max_compute_cores ||
	    hweight64(args->fragment_core_mask) < args->max_fragment_cores ||
	    hweight64(args->tiler_core_mask) < args->max_tiler_cores)
		return -EINVAL;
	if (args->queues.count > pdev->fw.cs_count)
		return -EINVAL;
	return 0;
}

/**
 * prc_group_create() - GROUP_CREATE
 * @pdev: the device
 * @file: the caller (for the priority permission check)
 * @vms: the caller's VMs
 * @pool: the caller's groups
 * @args: the ioctl arguments (queue count already checked against 1..32)
 * @queues: the queue descriptions, @args->queues.count of them
 *
 * Return: the new group's handle (> 0), or -EINVAL for bad arguments,
 * -EACCES for a priority above MEDIUM without CAP_SYS_NICE or DRM master,
 * -ENOMEM.
 */
int prc_group_create(struct prc_device *pdev, struct drm_file *file, struct prc_vm_pool *vms,
		     struct prc_group_pool *pool, const struct drm_panthor_group_create *args,
		     const struct drm_panthor_queue_create *queues)
{
	struct prc_group *group;
	struct prc_syncobj64 *syncobjs;
	u32 handle, i;
	int ret;

	if (args->priority > PANTHOR_GROUP_PRIORITY_REALTIME)
		return -EINVAL;
	if (args->priority > PANTHOR_GROUP_PRIORITY_MEDIUM && !prc_group_priority_permitted(file))
		return -EACCES;
	ret = prc_group_check(pdev, args);
	if (ret)
		return ret;

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return -ENOMEM;
	kref_init(&group->refcount);
	INIT_WORK(&group->release_work, prc_group_release_work);
	INIT_LIST_HEAD(&group->node);
	INIT_LIST_HEAD(&group->all_node);
	group->state = PRC_GROUP_NEW;
	group->csg_slot = -1;
	group->pdev = pdev;
	group->compute_core_mask = args->compute_core_mask;
	group->fragment_core_mask = args->fragment_core_mask;
	group->tiler_core_mask = args->tiler_core_mask;
	group->max_compute_cores = args->max_compute_cores;
	group->max_fragment_cores = args->max_fragment_cores;
	group->max_tiler_cores = args->max_tiler_cores;
	group->priority = args->priority;

	group->vm = prc_vm_pool_get(vms, args->vm_id);
	if (!group->vm) {
		ret = -EINVAL;
		goto err;
	}
	group->suspend_buf = prc_fw_alloc_suspend_buf(pdev, pdev->fw.csg_suspend_size);
	if (IS_ERR(group->suspend_buf)) {
		ret = PTR_ERR(group->suspend_buf);
		group->suspend_buf = NULL;
		goto err;
	}
	group->protm_suspend_buf = prc_fw_alloc_suspend_buf(pdev,
							    pdev->fw.csg_protm_suspend_size);
	if (IS_ERR(group->protm_suspend_buf)) {
		ret = PTR_ERR(group->protm_suspend_buf);
		group->protm_suspend_buf = NULL;
		goto err;
	}
	group->syncobjs = prc_kbo_new(group->vm, &(struct prc_kbo_desc){
		.purpose = "sync objects",
		.size = args->queues.count * sizeof(*syncobjs),
		.gpu = PRC_KBO_GPU_WRITE,
		.cpu_view = true,
	});
	if (IS_ERR(group->syncobjs)) {
		ret = PTR_ERR(group->syncobjs);
		group->syncobjs = NULL;
		goto err;
	}
	syncobjs = prc_kbo_cpu(group->syncobjs);

	for (i = 0; i < args->queues.count; i++) {
		struct prc_queue *queue = prc_queue_create(group, i, syncobjs, &queues[i]);

		if (IS_ERR(queue)) {
			ret = PTR_ERR(queue);
			goto err;
		}
		group->queues[group->queue_count++] = queue;
	}

	ret = xa_alloc(&pool->xa, &handle, group, XA_LIMIT(1, PRC_MAX_GROUPS_PER_FILE),
		       GFP_KERNEL);
	if (ret)
		goto err;
	prc_sched_group_add(group);
	xa_set_mark(&pool->xa, handle, PRC_GROUP_REGISTERED);
	return handle;

err:
	prc_group_put(group);
	return ret;
}

/**
 * prc_group_lookup() - a registered group by handle
 * @pool: the caller's groups
 * @handle: the handle
 *
 * Return: the group, referenced (prc_group_put()), or NULL if there is none.
 */
struct prc_group *prc_group_lookup(struct prc_group_pool *pool, u32 handle)
{
	struct prc_group *group = NULL;

	xa_lock(&pool->xa);
	if (xa_get_mark(&pool->xa, handle, PRC_GROUP_REGISTERED)) {
		group = xa_load(&pool->xa, handle);
		kref_get(&group->refcount);
	}
	xa_unlock(&pool->xa);
	return group;
}

/**
 * prc_group_destroy() - GROUP_DESTROY
 * @pool: the caller's groups
 * @handle: the group's handle
 *
 * Return: 0, or -EINVAL for an unknown handle.
 */
int prc_group_destroy(struct prc_group_pool *pool, u32 handle)
{
	struct prc_group *group = NULL;

	/* Only a fully created group may go, and only once. */
	xa_lock(&pool->xa);
	if (xa_get_mark(&pool->xa, handle, PRC_GROUP_REGISTERED))
		group = __xa_erase(&pool->xa, handle);
	xa_unlock(&pool->xa);
	if (!group)
		return -EINVAL;
	/* Its jobs fail now; the memory goes with the last of them. */
	prc_sched_group_kill(group, -ECANCELED);
	atomic64_add(atomic64_read(&group->stats.time_ns), &pool->retired.time_ns);
	atomic64_add(atomic64_read(&group->stats.cycles), &pool->retired.cycles);
	prc_group_put(group);
	return 0;
}

/**
 * prc_group_pool_stats() - GPU use of a file's groups, for fdinfo
 * @pool: the file's groups
 * @time_ns: set to the time its jobs took, destroyed groups included
 * @cycles: set to the GPU cycles its jobs' streams took
 */
void prc_group_pool_stats(struct prc_group_pool *pool, u64 *time_ns, u64 *cycles)
{
	struct prc_group *group;
	unsigned long handle;

	*time_ns = atomic64_read(&pool->retired.time_ns);
	*cycles = atomic64_read(&pool->retired.cycles);
	xa_lock(&pool->xa);
	xa_for_each_marked(&pool->xa, handle, group, PRC_GROUP_REGISTERED) {
		*time_ns += atomic64_read(&group->stats.time_ns);
		*cycles += atomic64_read(&group->stats.cycles);
	}
	xa_unlock(&pool->xa);
}

/**
 * prc_group_get_state() - GROUP_GET_STATE
 * @pool: the caller's groups
 * @args: the ioctl arguments; state and fatal_queues are filled in
 *
 * Return: 0, or -EINVAL for non-zero padding or an unknown handle.
 */
int prc_group_get_state(struct prc_group_pool *pool, struct drm_panthor_group_get_state *args)
{
	struct prc_group *group;

	if (args->pad)
		return -EINVAL;
	group = prc_group_lookup(pool, args->group_handle);
	if (!group)
		return -EINVAL;
	memset(args, 0, sizeof(*args));
	if (READ_ONCE(group->timedout))
		args->state |= DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
	if (READ_ONCE(group->innocent))
		args->state |= DRM_PANTHOR_GROUP_STATE_INNOCENT;
	args->fatal_queues = READ_ONCE(group->fatal_queues);
	if (args->fatal_queues)
		args->state |= DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
	prc_group_put(group);
	return 0;
}

/**
 * prc_group_pool_init() - set up an empty per-file group pool
 * @pool: the pool
 */
void prc_group_pool_init(struct prc_group_pool *pool)
{
	xa_init_flags(&pool->xa, XA_FLAGS_ALLOC1);
}

/**
 * prc_group_pool_fini() - destroy every group of a closing file
 * @pool: the pool
 */
void prc_group_pool_fini(struct prc_group_pool *pool)
{
	struct prc_group *group;
	unsigned long handle;

	xa_for_each(&pool->xa, handle, group)
		prc_group_destroy(pool, handle);
	xa_destroy(&pool->xa);
}
