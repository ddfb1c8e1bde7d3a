// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: panthor-reclaim
 *
 * A drop-in replacement for the upstream panthor driver (Arm Mali CSF GPUs)
 * that adds GPU memory reclaim.  It registers its DRM driver under panthor's
 * name with panthor's uAPI, so userspace cannot tell the two apart except
 * through the extensions reported by the uAPI version.
 */

#include <linux/compat.h>
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>

#include "bind.h"
#include "compat/compat.h"
#include "device.h"
#include "drv.h"
#include "gem.h"
#include "group.h"
#include "heap.h"
#include "job.h"
#include "memcg.h"
#include "pgtable.h"
#include "regs.h"
#include "sched.h"
#include "submit.h"
#include "selftest.h"
#include "uobj.h"
#include "vm.h"
#include "vm_pool.h"
#include "../include/uapi/drm/panthor_reclaim_drm.h"

static bool prc_selftest;
module_param_named(selftest, prc_selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the built-in self-tests at load time, report KTAP to dmesg");

/* Read at load and at probe only: not writable. */
bool prc_transparent_hugepage = true;
module_param_named(transparent_hugepage, prc_transparent_hugepage, bool, 0444);
MODULE_PARM_DESC(transparent_hugepage,
		 "Put BOs of 2 MiB and more on transparent huge pages, GPU-mapped as 2 MiB blocks (default: true)");

static struct prc_device *to_prc_dev(struct drm_device *drm)
{
	return container_of(drm, struct prc_device, base);
}

static void prc_fill_gpu_info(struct prc_device *pdev, struct drm_panthor_gpu_info *info)
{
	const struct prc_gpu_props *p = &pdev->props;

	memset(info, 0, sizeof(*info));
	info->gpu_id = p->gpu_id;
	info->gpu_rev = p->gpu_rev;
	info->csf_id = p->csf_id;
	info->l2_features = p->l2_features;
	info->tiler_features = p->tiler_features;
	info->mem_features = p->mem_features;
	info->mmu_features = p->mmu_features;
	info->thread_features = p->thread_features;
	info->max_threads = p->thread_max_threads;
	info->thread_max_workgroup_size = p->thread_max_workgroup_size;
	info->thread_max_barrier_size = p->thread_max_barrier_size;
	info->coherency_features = p->coherency_features;
	memcpy(info->texture_features, p->texture_features, sizeof(info->texture_features));
	info->as_present = p->as_present;
	info->selected_coherency = pdev->coherency;
	info->gpu_features = p->gpu_features;
	info->shader_present = p->shader_present;
	info->l2_present = p->l2_present;
	info->tiler_present = p->tiler_present;
	info->core_features = p->core_features;
}

static void prc_fill_csif_info(struct prc_device *pdev, struct drm_panthor_csif_info *info)
{
	memset(info, 0, sizeof(*info));
	info->csg_slot_count = pdev->fw.csg_count;
	info->cs_slot_count = pdev->fw.cs_count;
	info->cs_reg_count = PRC_CS_FEATURES_WORK_REGS(pdev->fw.cs_features);
	info->scoreboard_slot_count = (pdev->fw.cs_features >> 8) & 0xff;
	/* Registers the kernel's ring code may clobber between jobs. */
	info->unpreserved_cs_reg_count = 4;
}

#define PRC_TIMESTAMP_FLAGS	(DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK | \
				 DRM_PANTHOR_TIMESTAMP_GPU_OFFSET | \
				 DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT | \
				 DRM_PANTHOR_TIMESTAMP_FREQ | DRM_PANTHOR_TIMESTAMP_DURATION)

/*
 * TIMESTAMP_INFO: sample what @ts->flags asks for (zero: what 1.1 gave, the
 * GPU counter, its offset and frequency) and zero the rest. The GPU's
 * counter runs off the system counter, so its frequency is the CPU's
 * architected timer's. Reading GPU registers needs the GPU powered.
 */
static int prc_fill_timestamp_info(struct prc_device *pdev,
				   struct drm_panthor_timestamp_info *ts)
{
	u32 asked = ts->flags;
	u32 flags = asked ? asked : DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_GPU_OFFSET |
				    DRM_PANTHOR_TIMESTAMP_FREQ;
	u32 cpu_clock = flags & DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK;
	struct timespec64 cpu_ts = {};
	unsigned int sources;
	unsigned long irqflags;
	bool atomic;
	u64 start = 0;
	int ret;

	if (flags & ~PRC_TIMESTAMP_FLAGS)
		return -EINVAL;
	switch (cpu_clock) {
	case DRM_PANTHOR_TIMESTAMP_CPU_NONE:
	case DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC:
	case DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW:
		break;
	default:
		return -EINVAL;
	}
	/*
	 * Several clocks sampled together are only useful close together, and
	 * a duration only means something without preemption or interrupts
	 * in the middle: then the reads run with both off.
	 */
	sources = !!(flags & DRM_PANTHOR_TIMESTAMP_GPU) + !!cpu_clock +
		  !!(flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT);
	atomic = sources > 1 || (flags & DRM_PANTHOR_TIMESTAMP_DURATION);

	ret = pm_runtime_resume_and_get(pdev->base.dev);
	if (ret)
		return ret;
	/* Everything not asked for is zero; the flags go back as they came. */
	memset(ts, 0, sizeof(*ts));
	ts->flags = asked;
	if (flags & DRM_PANTHOR_TIMESTAMP_FREQ)
		ts->timestamp_frequency = prc_system_counter_hz();
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU_OFFSET)
		ts->timestamp_offset = prc_gpu_read64(pdev, PRC_TIMESTAMP_OFFSET);
	if (atomic) {
		preempt_disable();
		local_irq_save(irqflags);
	}
	if (flags & DRM_PANTHOR_TIMESTAMP_DURATION)
		start = local_clock();
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU)
		ts->current_timestamp = prc_gpu_read64(pdev, PRC_TIMESTAMP);
	if (cpu_clock == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC)
		ktime_get_ts64(&cpu_ts);
	else if (cpu_clock == DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW)
		ktime_get_raw_ts64(&cpu_ts);
	if (flags & DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT)
		ts->cycle_count = prc_gpu_read64(pdev, PRC_CYCLE_COUNT);
	if (flags & DRM_PANTHOR_TIMESTAMP_DURATION)
		ts->duration_nsec = local_clock() - start;
	if (atomic) {
		local_irq_restore(irqflags);
		preempt_enable();
	}
	if (cpu_clock) {
		/* As clock_gettime() would tell the caller, in its time namespace. */
		timens_add_monotonic(&cpu_ts);
		ts->cpu_timestamp_sec = cpu_ts.tv_sec;
		ts->cpu_timestamp_nsec = cpu_ts.tv_nsec;
	}
	pm_runtime_mark_last_busy(pdev->base.dev);
	pm_runtime_put_autosuspend(pdev->base.dev);
	return 0;
}

/*
 * Ioctl handlers take their caller and their typed arguments. Those marked
 * live in PRC_IOCTL_ENTRY() reach the GPU or build objects that will run
 * on it, so they run inside drm_dev_enter() and fail with -ENODEV once
 * the device is unplugged; the others only query or tear down a file's own
 * objects, and keep working so a client can clean up after an unbind.
 */

/**
 * struct prc_caller - the context of an ioctl
 * @pdev: the device
 * @file: the DRM file it came through
 * @pfile: that file's objects
 */
struct prc_caller {
	struct prc_device *pdev;
	struct drm_file *file;
	struct prc_file *pfile;
};

/*
 * PRC_IOCTL_ENTRY(handler, live): the drm_ioctl_t entry point of
 * @handler, named handler_entry for the ioctl table.
 */
#define PRC_IOCTL_ENTRY(handler, live)						\
static int handler##_entry(struct drm_device *drm, void *data, struct drm_file *file)	\
{										\
	const struct prc_caller c = {						\
		.pdev = to_prc_dev(drm), .file = file, .pfile = file->driver_priv,	\
	};									\
	const bool enter = live;						\
	int cookie = 0, ret;							\
										\
	if (enter && !drm_dev_enter(drm, &cookie))				\
		return -ENODEV;							\
	ret = handler(&c, data);						\
	if (enter)								\
		drm_dev_exit(cookie);						\
	return ret;								\
}

/* The VM a uAPI id of the caller's file names, referenced, or -EINVAL. */
static struct prc_vm *prc_caller_vm(const struct prc_caller *c, u32 id)
{
	return prc_vm_pool_get(&c->pfile->vms, id) ?: ERR_PTR(-EINVAL);
}

/*
 * The BO a handle of the caller's file names, referenced
 * (drm_gem_object_put() it), or -ENOENT: every BO ioctl reports an unknown
 * handle that way.
 */
static struct prc_gem_object *prc_caller_bo(const struct prc_caller *c, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(c->file, handle);

	return obj ? to_prc_gem(obj) : ERR_PTR(-ENOENT);
}

/*
 * A DEV_QUERY answer: with no pointer the caller asks for the size of the
 * object; else @obj goes out at its pointer (prc_uobj_write()).
 */
static int prc_query_answer(struct drm_panthor_dev_query *args, const void *obj,
			    const struct prc_uobj_kind kind)
{
	if (!args->pointer) {
		args->size = kind.size;
		return 0;
	}
	return prc_uobj_write(args->pointer, args->size, obj, kind);
}

static int prc_ioc_dev_query(const struct prc_caller *c, struct drm_panthor_dev_query *args)
{
	union {
		struct drm_panthor_gpu_info gpu;
		struct drm_panthor_csif_info csif;
		struct drm_panthor_timestamp_info ts;
		struct drm_panthor_group_priorities_info prio;
		struct drm_panthor_mmu_info mmu;
		struct drm_panthor_prc_extensions ext;
	} u;
	int ret;

	memset(&u, 0, sizeof(u));
	switch (args->type) {
	case DRM_PANTHOR_DEV_QUERY_GPU_INFO:
		prc_fill_gpu_info(c->pdev, &u.gpu);
		return prc_query_answer(args, &u.gpu,
					PRC_UOBJ_KIND(struct drm_panthor_gpu_info, tiler_present));
	case DRM_PANTHOR_DEV_QUERY_CSIF_INFO:
		prc_fill_csif_info(c->pdev, &u.csif);
		return prc_query_answer(args, &u.csif,
					PRC_UOBJ_FIXED(struct drm_panthor_csif_info));
	case DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO:
		if (!args->pointer)
			return prc_query_answer(args, NULL,
						PRC_UOBJ_FIXED(struct drm_panthor_timestamp_info));
		/* From 1.8 the object carries flags in: read what the caller has. */
		ret = copy_struct_from_user(&u.ts, sizeof(u.ts), u64_to_user_ptr(args->pointer),
					    args->size);
		ret = ret ?: prc_fill_timestamp_info(c->pdev, &u.ts);
		return ret ?: prc_query_answer(args, &u.ts,
					       PRC_UOBJ_KIND(struct drm_panthor_timestamp_info,
							     current_timestamp));
	case DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO:
		u.prio.allowed_mask = BIT(PANTHOR_GROUP_PRIORITY_LOW) |
				      BIT(PANTHOR_GROUP_PRIORITY_MEDIUM);
		if (prc_group_priority_permitted(c->file))
			u.prio.allowed_mask |= BIT(PANTHOR_GROUP_PRIORITY_HIGH) |
					       BIT(PANTHOR_GROUP_PRIORITY_REALTIME);
		return prc_query_answer(args, &u.prio,
					PRC_UOBJ_FIXED(struct drm_panthor_group_priorities_info));
	case DRM_PANTHOR_DEV_QUERY_MMU_INFO:
		/* The sizes our page tables map with: pages and 2 MiB blocks. */
		u.mmu.page_size_bitmap = PRC_PGTABLE_PAGE_SIZE | PRC_PGTABLE_BLOCK_SIZE;
		return prc_query_answer(args, &u.mmu, PRC_UOBJ_FIXED(struct drm_panthor_mmu_info));
	case DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS:
		/* Ours (panthor_reclaim_drm.h): how userspace finds what only we have. */
		u.ext.mask = DRM_PANTHOR_PRC_EXT_RECLAIM | DRM_PANTHOR_PRC_EXT_BO_MADVISE |
			     DRM_PANTHOR_PRC_EXT_BO_DISCARDABLE;
		u.ext.reclaim_enabled = prc_reclaim_enabled();
		return prc_query_answer(args, &u.ext,
					PRC_UOBJ_FIXED(struct drm_panthor_prc_extensions));
	default:
		return -EINVAL;
	}
}

PRC_IOCTL_ENTRY(prc_ioc_dev_query, false)

static int prc_ioc_vm_create(const struct prc_caller *c, struct drm_panthor_vm_create *args)
{
	int id = prc_vm_pool_create(c->pdev, &c->pfile->vms, args);

	if (id < 0)
		return id;
	args->id = id;
	return 0;
}

PRC_IOCTL_ENTRY(prc_ioc_vm_create, true)

static int prc_ioc_vm_destroy(const struct prc_caller *c, struct drm_panthor_vm_destroy *args)
{
	return args->pad ? -EINVAL : prc_vm_pool_destroy(&c->pfile->vms, args->id);
}

PRC_IOCTL_ENTRY(prc_ioc_vm_destroy, false)

static int prc_ioc_vm_get_state(const struct prc_caller *c,
				struct drm_panthor_vm_get_state *args)
{
	struct prc_vm *vm = prc_caller_vm(c, args->vm_id);

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	args->state = READ_ONCE(vm->unusable) ? DRM_PANTHOR_VM_STATE_UNUSABLE :
						  DRM_PANTHOR_VM_STATE_USABLE;
	prc_vm_put(vm);
	return 0;
}

PRC_IOCTL_ENTRY(prc_ioc_vm_get_state, false)

static int prc_ioc_vm_bind(const struct prc_caller *c, struct drm_panthor_vm_bind *args)
{
	struct prc_vm *vm = prc_caller_vm(c, args->vm_id);
	int ret;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	if (args->flags & DRM_PANTHOR_VM_BIND_ASYNC)
		ret = prc_vm_bind_async(c->file, vm, &args->ops);
	else
		ret = prc_vm_bind_now(c->file, vm, &args->ops);
	prc_vm_put(vm);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_vm_bind, true)

/* BO_CREATE's flags and padding, checked before anything is looked up. */
static bool prc_bo_create_args_ok(const struct drm_panthor_bo_create *args)
{
	u32 mmap_modes = args->flags & (DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP);

	/* A BO never CPU-mapped has no CPU caching mode to ask for. */
	return args->size && !args->pad && !(args->flags & ~PRC_GEM_UAPI_FLAGS) &&
	       mmap_modes != (DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP);
}

static int prc_ioc_bo_create(const struct prc_caller *c, struct drm_panthor_bo_create *args)
{
	struct prc_vm *vm = NULL;
	struct prc_gem_object *bo;
	int ret;

	if (!prc_bo_create_args_ok(args))
		return -EINVAL;
	/* A BO private to a VM shares the VM's reservation object. */
	if (args->exclusive_vm_id) {
		vm = prc_caller_vm(c, args->exclusive_vm_id);
		if (IS_ERR(vm))
			return PTR_ERR(vm);
	}
	bo = prc_gem_create(&c->pdev->base, args->size, args->flags,
			    vm ? prc_vm_root_obj(vm) : NULL);
	prc_vm_put(vm);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	prc_gem_lru_track(bo, &c->pdev->gem_lru);
	ret = drm_gem_handle_create(c->file, &bo->base, &args->handle);
	if (!ret)
		args->size = bo->base.size;
	/* The handle holds the object now (or nothing does). */
	drm_gem_object_put(&bo->base);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_bo_create, true)

static int prc_ioc_bo_mmap_offset(const struct prc_caller *c,
				  struct drm_panthor_bo_mmap_offset *args)
{
	struct prc_gem_object *bo = args->pad ? ERR_PTR(-EINVAL) : prc_caller_bo(c, args->handle);
	int ret;

	if (IS_ERR(bo))
		return PTR_ERR(bo);
	/*
	 * uAPI 1.9 as panthor 7.2+ defines it: a BO that may never be mapped gets
	 * no offset either (-EPERM), rather than one that mmap() then refuses.
	 */
	ret = prc_gem_mmap_allowed(bo) ? drm_gem_create_mmap_offset(&bo->base) : -EPERM;
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&bo->base.vma_node);
	drm_gem_object_put(&bo->base);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_bo_mmap_offset, false)

static int prc_ioc_group_create(const struct prc_caller *c,
				struct drm_panthor_group_create *args)
{
	struct drm_panthor_queue_create *queues;
	struct prc_vm *vm;
	int handle;

	if (!args->queues.count || args->queues.count > PRC_MAX_QUEUES_PER_GROUP)
		return -EINVAL;
	queues = prc_uobj_read_array(&args->queues,
				     PRC_UOBJ_KIND(struct drm_panthor_queue_create, ringbuf_size));
	if (IS_ERR(queues))
		return PTR_ERR(queues);
	/* An unknown VM is refused after the arguments: prc_group_create() knows the order. */
	vm = prc_vm_pool_get(&c->pfile->vms, args->vm_id);
	handle = prc_group_create(c->pdev, c->file, vm, &c->pfile->groups, args, queues);
	prc_vm_put(vm);
	kvfree(queues);
	if (handle < 0)
		return handle;
	args->group_handle = handle;
	return 0;
}

PRC_IOCTL_ENTRY(prc_ioc_group_create, true)

static int prc_ioc_group_destroy(const struct prc_caller *c,
				 struct drm_panthor_group_destroy *args)
{
	return args->pad ? -EINVAL : prc_group_destroy(&c->pfile->groups, args->group_handle);
}

PRC_IOCTL_ENTRY(prc_ioc_group_destroy, false)

static int prc_ioc_group_get_state(const struct prc_caller *c,
				   struct drm_panthor_group_get_state *args)
{
	return prc_group_get_state(&c->pfile->groups, args);
}

PRC_IOCTL_ENTRY(prc_ioc_group_get_state, false)

/*
 * GROUP_SUBMIT's jobs all run in their group's VM: the VM's reservation
 * object and those of the BOs with their own (the external objects) get
 * their fences. The VM's is locked first, as drm_gpuvm_prepare_objects()
 * requires for its walk of the external objects.
 */
static int prc_group_submit_lock(struct prc_submit *sub, struct drm_exec *exec,
				 unsigned int nfences)
{
	int ret = drm_gpuvm_prepare_vm(&sub->vm->base, exec, nfences);

	return ret ?: drm_gpuvm_prepare_objects(&sub->vm->base, exec, nfences);
}

/*
 * What reclaim unmapped or discarded from the VM comes back before its jobs
 * are queued, and the VM becomes reclaim's newest.
 */
static int prc_group_submit_validate(struct prc_submit *sub)
{
	prc_gem_lru_touch_vm(&sub->vm->pdev->gem_lru, prc_vm_root_obj(sub->vm));
	return prc_vm_restore(sub->vm) ?: prc_heap_restore(sub->vm);
}

static const struct prc_submit_kind prc_group_submit_kind = {
	.lock = prc_group_submit_lock,
	.validate = prc_group_submit_validate,
	.free_job = prc_job_put,
};

static int prc_ioc_group_submit(const struct prc_caller *c,
				struct drm_panthor_group_submit *args)
{
	struct drm_panthor_queue_submit *qs = NULL;
	struct prc_submit sub;
	int ret;
	u32 i;

	if (args->pad)
		return -EINVAL;
	ret = prc_submit_begin(&sub, c->file, &prc_group_submit_kind, args->queue_submits.count);
	if (!ret) {
		qs = prc_uobj_read_array(&args->queue_submits,
					 PRC_UOBJ_KIND(struct drm_panthor_queue_submit, syncs));
		if (IS_ERR(qs))
			ret = PTR_ERR(qs);
	}
	/* Job by job, its queue submission then its sync operations: panthor's errno order. */
	for (i = 0; !ret && i < sub.nentries; i++) {
		struct drm_sched_job *job = prc_group_new_job(c->file, &c->pfile->groups,
							      args->group_handle, &qs[i]);

		ret = IS_ERR(job) ? PTR_ERR(job) : prc_submit_add(&sub, i, job, &qs[i].syncs);
	}
	/* The group, hence the VM, is the same for every job; none means nothing to do. */
	if (!ret && sub.nentries)
		ret = prc_submit_commit(&sub, prc_job_vm(sub.entries[0].job));
	prc_submit_end(&sub);
	if (!IS_ERR(qs))
		kvfree(qs);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_group_submit, true)

/* A tiler heap handle names the VM (high 16 bits) and the heap in it. */
#define PRC_HEAP_HANDLE(vm_id, heap)	(((vm_id) << 16) | (heap))
#define PRC_HEAP_HANDLE_VM(handle)	((handle) >> 16)
#define PRC_HEAP_HANDLE_HEAP(handle)	((handle) & GENMASK(15, 0))

static int prc_ioc_tiler_heap_create(const struct prc_caller *c,
				     struct drm_panthor_tiler_heap_create *args)
{
	struct prc_vm *vm = prc_caller_vm(c, args->vm_id);
	int heap;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	heap = prc_heap_create(c->pdev, vm, args);
	prc_vm_put(vm);
	if (heap < 0)
		return heap;
	args->handle = PRC_HEAP_HANDLE(args->vm_id, heap);
	return 0;
}

PRC_IOCTL_ENTRY(prc_ioc_tiler_heap_create, true)

static int prc_ioc_tiler_heap_destroy(const struct prc_caller *c,
				      struct drm_panthor_tiler_heap_destroy *args)
{
	struct prc_vm *vm = args->pad ? ERR_PTR(-EINVAL) :
			    prc_caller_vm(c, PRC_HEAP_HANDLE_VM(args->handle));
	int ret;

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	ret = prc_heap_destroy(vm, PRC_HEAP_HANDLE_HEAP(args->handle));
	prc_vm_put(vm);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_tiler_heap_destroy, false)

/* Longest BO label, terminating NUL included; panthor's limit. */
#define PRC_BO_LABEL_MAX	PAGE_SIZE

static int prc_ioc_bo_set_label(const struct prc_caller *c,
				struct drm_panthor_bo_set_label *args)
{
	struct prc_gem_object *bo = args->pad ? ERR_PTR(-EINVAL) : prc_caller_bo(c, args->handle);
	char *label = NULL;
	int ret = 0;

	if (IS_ERR(bo))
		return PTR_ERR(bo);
	/* No label pointer clears the label. */
	if (args->label)
		label = strndup_user(u64_to_user_ptr(args->label), PRC_BO_LABEL_MAX);
	if (IS_ERR(label))
		/* strndup_user() says -EINVAL for a string too long; the uAPI says -E2BIG. */
		ret = PTR_ERR(label) == -EINVAL ? -E2BIG : PTR_ERR(label);
	else
		prc_gem_set_label(bo, label);
	drm_gem_object_put(&bo->base);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_bo_set_label, false)

static int prc_ioc_set_user_mmio_offset(const struct prc_caller *c,
					struct drm_panthor_set_user_mmio_offset *args)
{
	if (args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_32BIT &&
	    args->offset != DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
		return -EINVAL;
	WRITE_ONCE(c->pfile->user_mmio_offset, args->offset);
	return 0;
}

PRC_IOCTL_ENTRY(prc_ioc_set_user_mmio_offset, false)

static int prc_ioc_bo_sync(const struct prc_caller *c, struct drm_panthor_bo_sync *args)
{
	struct drm_panthor_bo_sync_op *ops;
	struct prc_gem_object *bo;
	int ret = 0;
	u32 i;

	ops = prc_uobj_read_array(&args->ops, PRC_UOBJ_KIND(struct drm_panthor_bo_sync_op, size));
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	/* In order; the first failure stops, and what was done stays done. */
	for (i = 0; i < args->ops.count && !ret; i++) {
		bo = prc_caller_bo(c, ops[i].handle);
		if (IS_ERR(bo)) {
			ret = PTR_ERR(bo);
			break;
		}
		ret = prc_gem_sync(bo, ops[i].type, ops[i].offset, ops[i].size);
		drm_gem_object_put(&bo->base);
	}
	kvfree(ops);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_bo_sync, false)

static int prc_ioc_bo_query_info(const struct prc_caller *c,
				 struct drm_panthor_bo_query_info *args)
{
	struct prc_gem_object *bo = prc_caller_bo(c, args->handle);

	if (IS_ERR(bo))
		return PTR_ERR(bo);
	/* Only BOs of other drivers: our own dma-bufs come back as the same object. */
	args->extra_flags = prc_gem_is_imported(bo) ? DRM_PANTHOR_BO_IS_IMPORTED : 0;
	args->create_flags = bo->flags & PRC_GEM_UAPI_FLAGS;
	args->pad = 0;
	drm_gem_object_put(&bo->base);
	return 0;
}

PRC_IOCTL_ENTRY(prc_ioc_bo_query_info, false)

/* Ours (panthor_reclaim_drm.h); errors in the order of msm's MADVISE, which users know. */
static int prc_ioc_prc_bo_madvise(const struct prc_caller *c,
				  struct drm_panthor_prc_bo_madvise *args)
{
	struct prc_gem_object *bo;
	bool retained;
	int ret;

	if (args->pad || (args->advice != DRM_PANTHOR_PRC_MADV_WILLNEED &&
			  args->advice != DRM_PANTHOR_PRC_MADV_DONTNEED))
		return -EINVAL;
	bo = prc_caller_bo(c, args->handle);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = prc_gem_madvise(bo, args->advice, &retained);
	if (!ret)
		args->retained = retained;
	drm_gem_object_put(&bo->base);
	return ret;
}

PRC_IOCTL_ENTRY(prc_ioc_prc_bo_madvise, false)

static int prc_open(struct drm_device *drm, struct drm_file *file)
{
	struct prc_file *pfile = kzalloc(sizeof(*pfile), GFP_KERNEL);

	if (!pfile)
		return -ENOMEM;
	/*
	 * A 32-bit process cannot pass an mmap offset at or above 2^44 (its
	 * pgoff is 32 bits wide), so the USER page sits lower for it.
	 */
	pfile->user_mmio_offset = in_compat_syscall() ? DRM_PANTHOR_USER_MMIO_OFFSET_32BIT :
							DRM_PANTHOR_USER_MMIO_OFFSET;
	prc_vm_pool_init(&pfile->vms);
	prc_group_pool_init(&pfile->groups);
	file->driver_priv = pfile;
	return 0;
}

static void prc_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct prc_file *pfile = file->driver_priv;

	/* Groups first: they hold references on VMs. */
	prc_group_pool_fini(&pfile->groups);
	prc_vm_pool_fini(&pfile->vms);
	kfree(pfile);
}

/*
 * The USER page (LATEST_FLUSH_ID) is mapped read-only by userspace at a
 * fixed offset past every GEM offset. Reading a powered-off GPU's registers
 * can hang the bus, so the page is mapped on fault: the register page while
 * the GPU is on, a page of zeroes otherwise (flush ID 0 makes every job
 * flush the caches, which is always correct). Power transitions unmap it.
 */
static vm_fault_t prc_user_mmio_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct prc_device *pdev = vma->vm_private_data;
	unsigned long pfn;
	vm_fault_t ret;
	int cookie;

	if (!drm_dev_enter(&pdev->base, &cookie))
		return VM_FAULT_SIGBUS;
	mutex_lock(&pdev->mmio_lock);
	pfn = pdev->mmio_active ? (pdev->mmio_phys + PRC_USER_PAGE) >> PAGE_SHIFT :
				  page_to_pfn(pdev->dummy_page);
	ret = vmf_insert_pfn_prot(vma, vmf->address, pfn, pgprot_noncached(vma->vm_page_prot));
	mutex_unlock(&pdev->mmio_lock);
	drm_dev_exit(cookie);
	return ret;
}

static const struct vm_operations_struct prc_user_mmio_ops = {
	.fault = prc_user_mmio_fault,
};

/**
 * prc_user_mmio_set_active() - switch the USER page mappings on power changes
 * @pdev: the device
 * @active: the GPU's registers are readable from now on
 *
 * Existing mappings are zapped; the next access faults the right page in.
 */
void prc_user_mmio_set_active(struct prc_device *pdev, bool active)
{
	mutex_lock(&pdev->mmio_lock);
	pdev->mmio_active = active;
	unmap_mapping_range(pdev->base.anon_inode->i_mapping,
			    DRM_PANTHOR_USER_MMIO_OFFSET, PAGE_SIZE, 1);
	mutex_unlock(&pdev->mmio_lock);
}

static int prc_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *file = filp->private_data;
	struct prc_file *pfile = file->driver_priv;
	struct prc_device *pdev = to_prc_dev(file->minor->dev);
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
	/* Read once: the check and the translation must use the same value. */
	u64 user_mmio = READ_ONCE(pfile->user_mmio_offset);
	int cookie, ret = 0;

	if (!drm_dev_enter(&pdev->base, &cookie))
		return -ENODEV;
	if (offset < user_mmio) {
		ret = drm_gem_mmap(filp, vma);
		goto out_exit;
	}
	/*
	 * The file's USER page offset is translated to the kernel's own, at
	 * which every mapping of it then lives in the device's address space:
	 * power transitions unmap that range alone.
	 */
	offset = offset - user_mmio + DRM_PANTHOR_USER_MMIO_OFFSET;
	vma->vm_pgoff = offset >> PAGE_SHIFT;
	if (offset != DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET ||
	    !(vma->vm_flags & VM_SHARED) || vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    (vma->vm_flags & (VM_WRITE | VM_EXEC))) {
		ret = -EINVAL;
	} else {
		vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
		vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &prc_user_mmio_ops;
		vma->vm_private_data = pdev;
	}
out_exit:
	drm_dev_exit(cookie);
	return ret;
}

static const struct drm_ioctl_desc prc_ioctls[] = {
#define PRC_IOCTL(n, func) DRM_IOCTL_DEF_DRV(PANTHOR_##n, prc_ioc_##func##_entry, DRM_RENDER_ALLOW)
	PRC_IOCTL(DEV_QUERY, dev_query),
	PRC_IOCTL(VM_CREATE, vm_create),
	PRC_IOCTL(VM_DESTROY, vm_destroy),
	PRC_IOCTL(VM_BIND, vm_bind),
	PRC_IOCTL(VM_GET_STATE, vm_get_state),
	PRC_IOCTL(BO_CREATE, bo_create),
	PRC_IOCTL(BO_MMAP_OFFSET, bo_mmap_offset),
	PRC_IOCTL(GROUP_CREATE, group_create),
	PRC_IOCTL(GROUP_DESTROY, group_destroy),
	PRC_IOCTL(GROUP_SUBMIT, group_submit),
	PRC_IOCTL(GROUP_GET_STATE, group_get_state),
	PRC_IOCTL(TILER_HEAP_CREATE, tiler_heap_create),
	PRC_IOCTL(TILER_HEAP_DESTROY, tiler_heap_destroy),
	PRC_IOCTL(BO_SET_LABEL, bo_set_label),
	PRC_IOCTL(SET_USER_MMIO_OFFSET, set_user_mmio_offset),
	PRC_IOCTL(BO_SYNC, bo_sync),
	PRC_IOCTL(BO_QUERY_INFO, bo_query_info),
	/* Ours, far from upstream's numbers: the table grows to 0x51 entries, the gap -EINVAL. */
	PRC_IOCTL(PRC_BO_MADVISE, prc_bo_madvise),
#undef PRC_IOCTL
};

/*
 * fdinfo: the DRM core prints the driver and client id; we add the GPU time
 * and cycles of the file's jobs, the clock, and the memory of its BOs.
 */
static void prc_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct prc_device *pdev = to_prc_dev(file->minor->dev);
	struct prc_file *pfile = file->driver_priv;
	u64 time_ns, cycles, evicted = 0;
	struct drm_gem_object *obj;
	int handle;

	prc_group_pool_stats(&pfile->groups, &time_ns, &cycles);
	/* What reclaim took from the client: back in memory on its next use. */
	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, handle)
		if (READ_ONCE(to_prc_gem(obj)->evicted))
			evicted += obj->size;
	spin_unlock(&file->table_lock);
	drm_printf(p, "drm-engine-panthor:\t%llu ns\n", time_ns);
	drm_printf(p, "drm-cycles-panthor:\t%llu\n", cycles);
	drm_printf(p, "drm-maxfreq-panthor:\t%lu Hz\n", pdev->devfreq.max_freq);
	drm_printf(p, "drm-curfreq-panthor:\t%lu Hz\n", clk_get_rate(pdev->clk_core));
	drm_show_memory_stats(p, file);
	drm_printf(p, "prc-evicted-memory:\t%llu KiB\n", evicted / SZ_1K);
}

static const struct file_operations prc_drm_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = prc_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
	.show_fdinfo = drm_show_fdinfo,
};

/* The DRM driver, presented to userspace as panthor. */
const struct drm_driver prc_drm_driver = {
	.driver_features = DRIVER_RENDER | DRIVER_GEM | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | PRC_DRIVER_GEM_GPUVA,
	.open = prc_open,
	.postclose = prc_postclose,
	.show_fdinfo = prc_show_fdinfo,
	.debugfs_init = prc_debugfs_init,
	.ioctls = prc_ioctls,
	.num_ioctls = ARRAY_SIZE(prc_ioctls),
	.fops = &prc_drm_fops,
	.gem_prime_import_sg_table = prc_gem_prime_import_sg_table,
	.name = PRC_DRM_NAME,
	.desc = "Arm Mali CSF GPUs (panthor with reclaim)",
	.major = 1,
	/*
	 * uAPI minor: what panthor added after 1.0 that we implement, all of it:
	 * 1.1 TIMESTAMP_INFO, 1.2 GROUP_PRIORITIES_INFO and REALTIME groups,
	 * 1.3 the INNOCENT group state, 1.4 BO_SET_LABEL, 1.5
	 * SET_USER_MMIO_OFFSET, 1.6 GLB_COUNTER_EN, 1.7 WB_MMAP, BO_SYNC,
	 * BO_QUERY_INFO and selected_coherency, 1.8 TIMESTAMP_INFO flags, 1.9
	 * MMU_INFO and MAP_SPARSE.
	 */
	.minor = 9,
};

static int __init prc_init(void)
{
	int ret;

	prc_compat_init(prc_transparent_hugepage);
	if (prc_selftest) {
		ret = prc_selftest_run();
		if (ret)
			goto err_compat;
	}
	ret = prc_bind_module_init();
	if (ret)
		goto err_compat;
	ret = prc_memcg_module_init();
	if (ret)
		goto err_bind;
	ret = platform_driver_register(&prc_platform_driver);
	if (ret)
		goto err_memcg;
	return 0;

err_memcg:
	prc_memcg_module_exit();
err_bind:
	prc_bind_module_exit();
err_compat:
	prc_compat_exit();
	return ret;
}
module_init(prc_init);

static void __exit prc_exit(void)
{
	platform_driver_unregister(&prc_platform_driver);
	prc_memcg_module_exit();
	prc_bind_module_exit();
	/* Last: BOs freed above may still have had their files on our tmpfs. */
	prc_compat_exit();
}
module_exit(prc_exit);

MODULE_AUTHOR("The panthor-reclaim authors");
MODULE_DESCRIPTION("Arm Mali CSF GPU driver (panthor) with GPU memory reclaim");
MODULE_LICENSE("GPL");
MODULE_VERSION(PRC_VERSION);
MODULE_FIRMWARE("arm/mali/arch10.8/mali_csffw.bin");
