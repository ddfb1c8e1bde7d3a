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
 * This file is the uAPI side of groups: it checks GROUP_CREATE's arguments
 * with panthor's error codes, builds groups (job.c builds their queues),
 * hands out and looks up their handles (so GROUP_SUBMIT's jobs are made
 * here, prc_group_new_job()), answers GROUP_GET_STATE and destroys groups.
 * sched.c puts groups on CSG slots and frees them when their last reference
 * goes; job.c runs their jobs. A destroyed group is killed at once (its
 * unfinished jobs fail) and freed when its last job is.
 *
 * Handles. A file's groups live in an allocating xarray, and a handle goes
 * through three states there:
 *
 *  - free: no entry;
 *  - reserved: GROUP_CREATE checked every argument and holds the handle
 *    (xa_alloc() of NULL) while it builds the group. The entry reads as
 *    NULL, so lookups and GROUP_DESTROY see no group and nothing can reach
 *    a half-built one; a failed build gives the handle back (xa_release());
 *  - published: the finished group, stored over the reservation once the
 *    scheduler knows it (storing over a reservation allocates nothing, so
 *    publishing cannot fail). GROUP_DESTROY erases it, which frees the
 *    handle at once; the group itself lives on while its jobs hold it.
 *
 * Handles run from 1 to 128 and the lowest free one is handed out first:
 * userspace sees handles start at 1 and be reused, and the 129th group of
 * a file fail with -EBUSY, exactly as with panthor.
 */

#include <linux/bitops.h>
#include <linux/slab.h>
#include <drm/drm_auth.h>
#include <drm/drm_file.h>

#include "device.h"
#include "fw.h"
#include "group.h"
#include "job.h"
#include "kbo.h"
#include "sched.h"
#include "vm.h"
#include "../include/uapi/drm/panthor_drm.h"

#define PRC_MAX_GROUPS_PER_FILE		128
#define PRC_MAX_QUEUE_PRIO		15

/* A queue description panthor accepts: no padding, a ring of 4..64 KiB, a power of two. */
static bool prc_queue_args_ok(const struct drm_panthor_queue_create *args)
{
	return !memchr_inv(args->pad, 0, sizeof(args->pad)) &&
	       args->ringbuf_size >= SZ_4K && args->ringbuf_size <= SZ_64K &&
	       is_power_of_2(args->ringbuf_size) && args->priority <= PRC_MAX_QUEUE_PRIO;
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

/* The cores of one kind a group asks for exist, and are at least as many as it may use. */
static bool prc_core_quota_ok(u64 mask, u8 max, u64 present)
{
	return !(mask & ~present) && hweight64(mask) >= max;
}

/*
 * Every argument of GROUP_CREATE, checked before anything is allocated. The
 * order is panthor's where userspace can tell: an out-of-range priority is
 * -EINVAL and a permitted-only one -EACCES before anything else is looked
 * at (panthor checks the priority in its ioctl handler, the rest later);
 * everything else is -EINVAL.
 */
static int prc_group_check_args(struct prc_device *pdev, struct drm_file *file,
				const struct drm_panthor_group_create *args,
				const struct drm_panthor_queue_create *queues)
{
	const struct prc_gpu_props *p = &pdev->props;
	u32 i;

	if (args->priority > PANTHOR_GROUP_PRIORITY_REALTIME)
		return -EINVAL;
	if (args->priority > PANTHOR_GROUP_PRIORITY_MEDIUM && !prc_group_priority_permitted(file))
		return -EACCES;
	if (args->pad || args->queues.count > pdev->fw.cs_count ||
	    !prc_core_quota_ok(args->compute_core_mask, args->max_compute_cores,
			       p->shader_present) ||
	    !prc_core_quota_ok(args->fragment_core_mask, args->max_fragment_cores,
			       p->shader_present) ||
	    !prc_core_quota_ok(args->tiler_core_mask, args->max_tiler_cores, p->tiler_present))
		return -EINVAL;
	for (i = 0; i < args->queues.count; i++)
		if (!prc_queue_args_ok(&queues[i]))
			return -EINVAL;
	return 0;
}

/* A group with no memory and no queues yet, holding @vm. */
static struct prc_group *prc_group_alloc(struct prc_device *pdev, struct prc_vm *vm,
					 const struct drm_panthor_group_create *args)
{
	struct prc_group *group = kzalloc(sizeof(*group), GFP_KERNEL);

	if (!group)
		return NULL;
	kref_init(&group->refcount);
	INIT_LIST_HEAD(&group->node);
	INIT_LIST_HEAD(&group->all_node);
	group->pdev = pdev;
	group->vm = vm;
	group->priority = args->priority;
	group->compute = (struct prc_core_quota){
		.mask = args->compute_core_mask, .max = args->max_compute_cores };
	group->fragment = (struct prc_core_quota){
		.mask = args->fragment_core_mask, .max = args->max_fragment_cores };
	group->tiler = (struct prc_core_quota){
		.mask = args->tiler_core_mask, .max = args->max_tiler_cores };
	group->state = PRC_GROUP_NEW;
	group->csg_slot = -1;
	return group;
}

/*
 * Give @group its memory and its @count queues. On failure what was built
 * stays in the group, for its release to free.
 */
static int prc_group_build(struct prc_group *group, u32 count,
			   const struct drm_panthor_queue_create *queues)
{
	struct prc_device *pdev = group->pdev;
	struct prc_queue *queue;
	struct prc_kbo *kbo;
	u32 i;

	kbo = prc_fw_alloc_suspend_buf(pdev, pdev->fw.csg_suspend_size);
	if (IS_ERR(kbo))
		return PTR_ERR(kbo);
	group->suspend_buf = kbo;
	kbo = prc_fw_alloc_suspend_buf(pdev, pdev->fw.csg_protm_suspend_size);
	if (IS_ERR(kbo))
		return PTR_ERR(kbo);
	group->protm_suspend_buf = kbo;
	kbo = prc_kbo_new(group->vm, &(struct prc_kbo_desc){
		.purpose = "sync objects",
		.size = count * sizeof(struct prc_syncobj64),
		.gpu = PRC_KBO_GPU_WRITE,
		.cpu_view = true,
	});
	if (IS_ERR(kbo))
		return PTR_ERR(kbo);
	group->syncobjs = kbo;
	for (i = 0; i < count; i++) {
		queue = prc_queue_create(group, i, &queues[i]);
		if (IS_ERR(queue))
			return PTR_ERR(queue);
		group->queues[group->queue_count++] = queue;
	}
	return 0;
}

/**
 * prc_group_create() - GROUP_CREATE
 * @pdev: the device
 * @file: the caller (for the priority permission check)
 * @vm: the VM @args->vm_id names in the caller's file, or NULL when it
 *	names none; the group takes a reference of its own
 * @pool: the caller's groups
 * @args: the ioctl arguments (queue count already checked against 1..32)
 * @queues: the queue descriptions, @args->queues.count of them
 *
 * Return: the new group's handle (> 0), or -EINVAL for bad arguments or an
 * unknown VM, -EACCES for a priority above MEDIUM without CAP_SYS_NICE or
 * DRM master, -EBUSY when the file has 128 groups, -ENOMEM.
 */
int prc_group_create(struct prc_device *pdev, struct drm_file *file, struct prc_vm *vm,
		     struct prc_group_pool *pool, const struct drm_panthor_group_create *args,
		     const struct drm_panthor_queue_create *queues)
{
	struct prc_group *group;
	u32 handle;
	int ret;

	ret = prc_group_check_args(pdev, file, args, queues);
	if (ret)
		return ret;
	if (!vm)
		return -EINVAL;
	prc_vm_get(vm);
	/* Unknown VM before a full pool: panthor looks the VM up first. */
	ret = xa_alloc(&pool->xa, &handle, NULL, XA_LIMIT(1, PRC_MAX_GROUPS_PER_FILE),
		       GFP_KERNEL);
	if (ret) {
		prc_vm_put(vm);
		return ret;
	}

	group = prc_group_alloc(pdev, vm, args);
	if (!group) {
		prc_vm_put(vm);
		ret = -ENOMEM;
		goto err_release;
	}
	ret = prc_group_build(group, args->queues.count, queues);
	if (ret) {
		prc_group_put(group);
		goto err_release;
	}
	/* Known to the scheduler before anyone can submit to it. */
	prc_sched_group_add(group);
	WARN_ON(xa_is_err(xa_store(&pool->xa, handle, group, GFP_KERNEL)));
	return handle;

err_release:
	xa_release(&pool->xa, handle);
	return ret;
}

/*
 * The published group of @handle, referenced (prc_group_put()), or NULL if
 * the handle is free or its group still being built.
 */
static struct prc_group *prc_group_lookup(struct prc_group_pool *pool, u32 handle)
{
	struct prc_group *group;

	xa_lock(&pool->xa);
	group = xa_load(&pool->xa, handle);
	if (group)
		kref_get(&group->refcount);
	xa_unlock(&pool->xa);
	return group;
}

/**
 * prc_group_destroy() - GROUP_DESTROY
 * @pool: the caller's groups
 * @handle: the group's handle
 *
 * Return: 0, or -EINVAL for a handle with no published group.
 */
int prc_group_destroy(struct prc_group_pool *pool, u32 handle)
{
	struct prc_group *group;

	/* A reservation reads as NULL: a group being built cannot be destroyed. */
	xa_lock(&pool->xa);
	group = xa_load(&pool->xa, handle);
	if (group)
		__xa_erase(&pool->xa, handle);
	xa_unlock(&pool->xa);
	if (!group)
		return -EINVAL;
	/* Its jobs fail now; the memory goes with the last of them. */
	prc_sched_group_kill(group, -ECANCELED);
	atomic64_add(atomic64_read(&group->stats.time_ns), &pool->retired_ns);
	atomic64_add(atomic64_read(&group->stats.cycles), &pool->retired_cycles);
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

	*time_ns = atomic64_read(&pool->retired_ns);
	*cycles = atomic64_read(&pool->retired_cycles);
	xa_lock(&pool->xa);
	xa_for_each(&pool->xa, handle, group) {
		*time_ns += atomic64_read(&group->stats.time_ns);
		*cycles += atomic64_read(&group->stats.cycles);
	}
	xa_unlock(&pool->xa);
}

/**
 * prc_group_new_job() - a job of GROUP_SUBMIT, for a group named by its handle
 * @file: the submitter
 * @pool: its groups
 * @group_handle: the group; panthor takes the handle as 16 bits, the upper
 *	ones are ignored
 * @args: the queue submission
 *
 * Return: the job (prc_job_new()), or an ERR_PTR(): -EINVAL for an unknown
 * handle and whatever prc_job_new() refuses.
 */
struct drm_sched_job *prc_group_new_job(struct drm_file *file, struct prc_group_pool *pool,
					u32 group_handle,
					const struct drm_panthor_queue_submit *args)
{
	struct prc_group *group = prc_group_lookup(pool, (u16)group_handle);
	struct drm_sched_job *job;

	if (!group)
		return ERR_PTR(-EINVAL);
	job = prc_job_new(file, group, args);
	prc_group_put(group);
	return job;
}

/* The DRM_PANTHOR_GROUP_STATE_* flags that describe @group now. */
static u32 prc_group_state_flags(struct prc_group *group, u32 fatal_queues)
{
	u32 flags = 0;

	if (READ_ONCE(group->timedout))
		flags |= DRM_PANTHOR_GROUP_STATE_TIMEDOUT;
	if (READ_ONCE(group->innocent))
		flags |= DRM_PANTHOR_GROUP_STATE_INNOCENT;
	if (fatal_queues)
		flags |= DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
	return flags;
}

/**
 * prc_group_get_state() - GROUP_GET_STATE
 * @pool: the caller's groups
 * @args: the ioctl arguments, replaced by the answer
 *
 * Return: 0, or -EINVAL for non-zero padding or an unknown handle (then
 * @args is left as it was).
 */
int prc_group_get_state(struct prc_group_pool *pool, struct drm_panthor_group_get_state *args)
{
	struct prc_group *group;
	u32 fatal_queues;

	if (args->pad)
		return -EINVAL;
	group = prc_group_lookup(pool, args->group_handle);
	if (!group)
		return -EINVAL;
	fatal_queues = READ_ONCE(group->fatal_queues);
	/*
	 * The answer is the whole structure: panthor hands back only state
	 * and fatal_queues and zeroes everything else, the handle included,
	 * and userspace sees what the ioctl copies back.
	 */
	*args = (struct drm_panthor_group_get_state){
		.state = prc_group_state_flags(group, fatal_queues),
		.fatal_queues = fatal_queues,
	};
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
 * @pool: the pool; no GROUP_CREATE can be running on it any more
 */
void prc_group_pool_fini(struct prc_group_pool *pool)
{
	struct prc_group *group;
	unsigned long handle;

	xa_for_each(&pool->xa, handle, group)
		prc_group_destroy(pool, handle);
	xa_destroy(&pool->xa);
}
