/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_COMPAT_H
#define PRC_COMPAT_H

/**
 * DOC: kernel compatibility layer
 *
 * Every difference between the kernels we build against lives here, keyed by
 * the PRC_HAVE_* results of the compile-time probes in src/compat/probes/
 * (generated into compat/config.h by conftest.sh against the target headers).
 * No other file tests kernel versions.
 */

#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#ifdef CONFIG_ARM_ARCH_TIMER
#include <clocksource/arm_arch_timer.h>
#endif
#include <linux/platform_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/gpu_scheduler.h>

#include "compat/config.h"

/*
 * platform_driver::remove returned int before v6.11 and void since; the void
 * variant was called remove_new in between.
 */
#ifdef PRC_HAVE_PLATFORM_REMOVE_VOID
#define PRC_PLATFORM_REMOVE(fn) .remove = (fn)
#else
#define PRC_PLATFORM_REMOVE(fn) .remove_new = (fn)
#endif

/**
 * struct prc_sched_args - drm_sched_init() arguments, independent of kernel
 * @ops: backend operations
 * @submit_wq: ordered workqueue for run_job/free_job, NULL for a private one
 * @num_rqs: number of run queues (priorities)
 * @credit_limit: how many credits may be in flight on the ring
 * @timeout: job timeout in jiffies
 * @timeout_wq: workqueue for timeout handling, NULL for system_wq
 * @name: scheduler name, for debugging
 * @dev: device for log messages
 */
struct prc_sched_args {
	const struct drm_sched_backend_ops *ops;
	struct workqueue_struct *submit_wq;
	u32 num_rqs;
	u32 credit_limit;
	long timeout;
	struct workqueue_struct *timeout_wq;
	const char *name;
	struct device *dev;
};

/**
 * prc_sched_init() - drm_sched_init() for every supported kernel
 * @sched: scheduler to initialize
 * @a: arguments
 *
 * v6.15 turned the long argument list into struct drm_sched_init_args.
 *
 * Return: 0 on success, negative errno on failure.
 */
static inline int prc_sched_init(struct drm_gpu_scheduler *sched, const struct prc_sched_args *a)
{
#ifdef PRC_HAVE_DRM_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = a->ops,
		.submit_wq = a->submit_wq,
		.num_rqs = a->num_rqs,
		.credit_limit = a->credit_limit,
		.timeout = a->timeout,
		.timeout_wq = a->timeout_wq,
		.name = a->name,
		.dev = a->dev,
	};

	return drm_sched_init(sched, &args);
#else
	return drm_sched_init(sched, a->ops, a->submit_wq, a->num_rqs, a->credit_limit, 0,
			      a->timeout, a->timeout_wq, NULL, a->name, a->dev);
#endif
}

/**
 * prc_system_counter_hz() - frequency of the system counter
 *
 * The GPU's timestamps count it. Only Arm has one; on other architectures
 * (where the module is only build-tested) there is no Mali to drive.
 *
 * Return: Hz, or 0 when unknown.
 */
static inline u64 prc_system_counter_hz(void)
{
#ifdef CONFIG_ARM_ARCH_TIMER
	return arch_timer_get_cntfrq();
#else
	return 0;
#endif
}

/**
 * prc_sched_restart() - drm_sched_start() for every supported kernel
 * @sched: a scheduler stopped with drm_sched_stop()
 *
 * Kernels after 6.12 added the error given to jobs whose hardware fence cannot be
 * re-armed; we always re-arm them ourselves, so it is 0.
 */
static inline void prc_sched_restart(struct drm_gpu_scheduler *sched)
{
#ifdef PRC_HAVE_DRM_SCHED_START_ERRNO
	drm_sched_start(sched, 0);
#else
	drm_sched_start(sched);
#endif
}

/*
 * What a timeout handler returns once it dealt with a hung job: later
 * kernels renamed DRM_GPU_SCHED_STAT_NOMINAL to DRM_GPU_SCHED_STAT_RESET.
 */
#ifdef PRC_HAVE_DRM_SCHED_STAT_RESET
#define PRC_SCHED_STAT_HANDLED DRM_GPU_SCHED_STAT_RESET
#else
#define PRC_SCHED_STAT_HANDLED DRM_GPU_SCHED_STAT_NOMINAL
#endif

/*
 * DRIVER_GEM_GPUVA told drm_gem_private_object_init() to set up the gpuva
 * list; later kernels always do, and dropped the flag.
 */
#ifdef PRC_HAVE_DRIVER_GEM_GPUVA
#define PRC_DRIVER_GEM_GPUVA DRIVER_GEM_GPUVA
#else
#define PRC_DRIVER_GEM_GPUVA 0
#endif

/*
 * The lock of a GEM object's gpuva list. Up to v6.16 the driver provides
 * one and names it with drm_gem_gpuva_set_lock() (for lockdep only); later
 * kernels embed it in the GEM object (&drm_gem_object.gpuva.lock, initialized
 * by drm_gem_private_object_init()) and drm_gpuvm uses it in VMs created with
 * DRM_GPUVM_IMMEDIATE_MODE, dma_resv otherwise.
 */
static inline void prc_gem_gpuva_set_lock(struct drm_gem_object *obj, struct mutex *lock)
{
#ifndef PRC_HAVE_DRM_GEM_GPUVA_MUTEX
	drm_gem_gpuva_set_lock(obj, lock);
#endif
}

/* The mutex to take around changes of @obj's gpuva list; @own is the driver's. */
static inline struct mutex *prc_gem_gpuva_lock(struct drm_gem_object *obj, struct mutex *own)
{
#ifdef PRC_HAVE_DRM_GEM_GPUVA_MUTEX
	return &obj->gpuva.lock;
#else
	return own;
#endif
}

/**
 * DOC: who takes the GEM's gpuva lock
 *
 * The drm_gpuvm helpers we call, and the locks each expects or takes, as read
 * in the sources of Debian's 6.12.117, 7.2.13 and 7.3.4. "The gpuva lock" is
 * the mutex prc_gem_gpuva_lock() returns: &prc_gem_object.gpuva_lock on 6.12
 * (named to lockdep by drm_gem_gpuva_set_lock()), &drm_gem_object.gpuva.lock
 * on 7.x (our VMs use DRM_GPUVM_IMMEDIATE_MODE there, so the helpers assert
 * that mutex rather than the GEM's resv). It is a mutex: taking it twice
 * deadlocks, so "takes" and "caller holds" must never be confused.
 *
 * ============================== ======================= =======================
 * helper                         6.12                    7.2, 7.3
 * ============================== ======================= =======================
 * drm_gpuvm_bo_create()          nothing (allocates)     nothing (allocates)
 * drm_gpuvm_bo_obtain_prealloc() caller holds the gpuva  TAKES the gpuva lock;
 *                                lock; puts an unused    frees an unused vm_bo
 *                                vm_bo under it          after dropping it;
 *                                                        WARNs unless immediate
 * drm_gpuvm_bo_obtain()          caller holds it         renamed ..._locked(),
 *                                (allocates under it)    WARNs if immediate;
 *                                                        unused by us
 * drm_gpuvm_bo_find()            caller holds it         caller holds it
 * drm_gpuva_link(), _unlink()    caller holds it         caller holds it
 * drm_gpuvm_bo_put()             caller holds it when    caller holds it when
 *                                the last reference may  the last reference may
 *                                go                      go
 * drm_gpuvm_bo_put_deferred(),   absent                  take it themselves;
 * drm_gpuva_unlink_defer()                               unused by us
 * drm_gpuvm_bo_extobj_add()      the VM's extobj         the VM's extobj
 *                                spinlock (our VMs are   spinlock
 *                                not RESV_PROTECTED)
 * ============================== ======================= =======================
 *
 * Lock order on every kernel: the VM's resv, then the gpuva lock. Of the
 * locking, only the second row changed. No compile-time probe can see a
 * change of locking; the same upstream change renamed drm_gpuvm_bo_obtain()
 * to drm_gpuvm_bo_obtain_locked(), which a probe sees, so the locking is keyed
 * on PRC_HAVE_DRM_GPUVM_BO_OBTAIN_LOCKED. Only running on each kernel proves
 * the choice: make check-kernels boots 7.3 and loads the module, which maps
 * its firmware through this path. Were the lock taken twice, modprobe would
 * hang there (a hung-task report fails the run); were it taken by nobody,
 * only a lockdep build of that kernel would say so (tests/lockdep is 6.12).
 */

/**
 * prc_gpuvm_bo_obtain_prealloc() - drm_gpuvm_bo_obtain_prealloc() with the
 * gpuva lock taken once on every kernel
 * @vm_bo: a vm_bo fresh from drm_gpuvm_bo_create(), in no list yet
 * @own: the driver's gpuva lock of @vm_bo's GEM object (see prc_gem_gpuva_lock())
 *
 * The caller must not hold the GEM's gpuva lock: 7.x helpers take it
 * themselves, and on 6.12 this does. Holding the VM's resv is fine (it comes
 * first in the lock order).
 *
 * Return: the <VM, GEM> pair's existing vm_bo, with a reference taken and
 * @vm_bo freed, or @vm_bo now linked to the GEM object.
 */
static inline struct drm_gpuvm_bo *prc_gpuvm_bo_obtain_prealloc(struct drm_gpuvm_bo *vm_bo,
								struct mutex *own)
{
	struct mutex *lock = prc_gem_gpuva_lock(vm_bo->obj, own);
#ifndef PRC_HAVE_DRM_GPUVM_BO_OBTAIN_LOCKED
	struct drm_gpuvm_bo *found;
#endif

	lockdep_assert_not_held(lock);
#ifdef PRC_HAVE_DRM_GPUVM_BO_OBTAIN_LOCKED
	return drm_gpuvm_bo_obtain_prealloc(vm_bo);
#else
	mutex_lock(lock);
	found = drm_gpuvm_bo_obtain_prealloc(vm_bo);
	mutex_unlock(lock);
	return found;
#endif
}

/* drm_gpuvm_init() flag: gpuva lists are protected by prc_gem_gpuva_lock(). */
#ifdef PRC_HAVE_DRM_GPUVM_IMMEDIATE_MODE
#define PRC_GPUVM_GPUVA_LOCK DRM_GPUVM_IMMEDIATE_MODE
#else
#define PRC_GPUVM_GPUVA_LOCK 0
#endif

/**
 * prc_gpuvm_sm_map() - drm_gpuvm_sm_map() for every supported kernel
 * @gpuvm: the VM
 * @priv: passed to the sm_step callbacks
 * @addr: start of the new mapping
 * @range: size of the new mapping
 * @obj: GEM object to map
 * @offset: offset into @obj
 *
 * Later kernels (7.2 does) take the mapping as a struct drm_gpuvm_map_req.
 *
 * Return: 0 on success, negative errno on failure.
 */
static inline int prc_gpuvm_sm_map(struct drm_gpuvm *gpuvm, void *priv, u64 addr, u64 range,
				   struct drm_gem_object *obj, u64 offset)
{
#ifdef PRC_HAVE_DRM_GPUVM_MAP_REQ
	const struct drm_gpuvm_map_req req = {
		.map.va.addr = addr,
		.map.va.range = range,
		.map.gem.obj = obj,
		.map.gem.offset = offset,
	};

	return drm_gpuvm_sm_map(gpuvm, priv, &req);
#else
	return drm_gpuvm_sm_map(gpuvm, priv, addr, range, obj, offset);
#endif
}

/**
 * prc_vma_is_cow_mapping() - whether @vma is a private, writable-on-copy mapping
 * @vma: the mapping
 *
 * Return: true for a COW mapping.
 */
static inline bool prc_vma_is_cow_mapping(const struct vm_area_struct *vma)
{
#ifdef PRC_HAVE_VMA_IS_COW_MAPPING
	return vma_is_cow_mapping(vma);
#else
	return is_cow_mapping(vma->vm_flags);
#endif
}

struct drm_device;
struct drm_gem_object;
struct folio;

void prc_compat_init(bool huge);
void prc_compat_exit(void);
void prc_gem_huge_mnt_init(struct drm_device *drm, bool huge);
int prc_gem_object_init(struct drm_device *drm, struct drm_gem_object *obj, size_t size);
bool prc_shmem_writeout(struct folio *folio);

#endif /* PRC_COMPAT_H */
