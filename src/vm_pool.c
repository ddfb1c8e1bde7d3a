// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: the user VMs of an open file
 *
 * VM_CREATE, VM_DESTROY and the id lookups of every other ioctl. A user VM
 * is a VM of vm.c plus what only userspace's VMs have: a uAPI id in its
 * file's pool, an asynchronous bind queue (bind.c), the file's sparse
 * dummy BO for its binds, tiler heaps (heap.c) and, while it has work on
 * the GPU, an address-space slot from the scheduler. This file attaches
 * them when the VM is created and, through the VM's release hook
 * (&prc_vm_ops), detaches them when its last reference goes; vm.c itself
 * calls none of these layers.
 *
 * Visibility: an id is reserved before the VM is built and the VM is
 * stored under it only once it is complete, so a lookup finds a whole VM
 * or nothing, and a full pool fails before anything is allocated.
 */

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include "bind.h"
#include "device.h"
#include "heap.h"
#include "regs.h"
#include "sched.h"
#include "vm.h"
#include "vm_pool.h"
#include "../include/uapi/drm/panthor_drm.h"

/*
 * The share of every user VM's space kept for kernel objects at least, and
 * the ids a file's VMs get: 1 to 32. Both are panthor's uAPI (the range a
 * VM_CREATE may ask for, the first id and the -EBUSY of a 33rd VM), which
 * the differential suite checks.
 */
#define PRC_VM_POOL_KERNEL_MIN		SZ_256M
#define PRC_VM_POOL_IDS			XA_LIMIT(1, 32)

/*
 * The user range VM_CREATE gives when asked for none (uAPI: userspace reads
 * it back). A task whose own address space is smaller than the GPU's gets
 * that size, so any CPU pointer can be the same GPU VA. Otherwise a space
 * wider than 32 bits is split in halves, and a smaller one is left to the
 * user but for the kernel's minimum.
 */
static u64 prc_vm_pool_default_user_end(u64 end)
{
	u64 task_end = TASK_SIZE_OF(current);

	if (task_end < end)
		return task_end;
	if (end <= SZ_4G)
		return end - PRC_VM_POOL_KERNEL_MIN;
	return end >> 1;
}

/*
 * VM_CREATE's arguments checked, and the split they ask for. The kernel
 * range is a power of two ending at the top of the GPU's space, the largest
 * that leaves userspace what it asked for; VM_CREATE reports its start as
 * the user range, which is thus at least the request. That power of two is
 * a fact, not a choice: the reported start is uAPI (panthor's, compared by
 * the differential suite). -EINVAL for any flag (none is defined), for a
 * space too small to keep the kernel's minimum and a byte for userspace,
 * and for a request that eats into the minimum.
 */
static int prc_vm_pool_layout(const struct prc_device *pdev,
			      const struct drm_panthor_vm_create *args,
			      struct prc_vm_layout *layout)
{
	u64 end = 1ull << PRC_MMU_VA_BITS(pdev->props.mmu_features);
	u64 user_max, user;

	if (args->flags || end <= PRC_VM_POOL_KERNEL_MIN)
		return -EINVAL;
	user_max = end - PRC_VM_POOL_KERNEL_MIN;
	if (args->user_va_range > user_max)
		return -EINVAL;
	user = args->user_va_range ?: min(prc_vm_pool_default_user_end(end), user_max);

	layout->end = end;
	layout->user_end = end - rounddown_pow_of_two(end - user);
	/* Kernel objects of a user VM may go anywhere in the kernel range. */
	layout->auto_start = layout->user_end;
	layout->auto_end = end;
	return 0;
}

/* The last reference to a user VM is gone: detach what the pool attached. */
static void prc_vm_pool_release_vm(struct prc_vm *vm)
{
	/* No bind job is left: each holds a VM reference. */
	prc_bind_queue_destroy(vm);
	/* An idle VM keeps its address-space slot until another VM needs one. */
	if (vm->as >= 0)
		prc_sched_vm_gone(vm);
}

static const struct prc_vm_ops prc_user_vm_ops = {
	.release = prc_vm_pool_release_vm,
};

/**
 * prc_vm_pool_init() - set up an empty per-file VM pool
 * @pool: the pool
 */
void prc_vm_pool_init(struct prc_vm_pool *pool)
{
	xa_init_flags(&pool->xa, XA_FLAGS_ALLOC1);
	prc_bind_sparse_init(&pool->sparse);
}

/**
 * prc_vm_pool_create() - VM_CREATE
 * @pdev: the device
 * @pool: the file's VMs
 * @args: the ioctl arguments; user_va_range is set to where the kernel
 *	range starts, as panthor reports it
 *
 * Return: the new VM's id (> 0), or a negative errno: -EINVAL for unknown
 * flags or a user range the GPU cannot give, -EBUSY when the file has 32
 * VMs, -ENOMEM.
 */
int prc_vm_pool_create(struct prc_device *pdev, struct prc_vm_pool *pool,
		       struct drm_panthor_vm_create *args)
{
	struct prc_vm_layout layout;
	struct prc_vm *vm;
	u32 id;
	int ret;

	ret = prc_vm_pool_layout(pdev, args, &layout);
	if (ret)
		return ret;
	ret = xa_alloc(&pool->xa, &id, NULL, PRC_VM_POOL_IDS, GFP_KERNEL);
	if (ret)
		return ret;

	vm = prc_vm_create(pdev, "prc-vm", &layout, &prc_user_vm_ops);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto err_release_id;
	}
	ret = prc_bind_queue_create(vm, &pool->sparse);
	if (ret)
		goto err_put;
	/* The id's slot exists already: storing the VM over it allocates nothing. */
	ret = xa_err(xa_store(&pool->xa, id, vm, GFP_KERNEL));
	if (ret)
		goto err_put;
	args->user_va_range = layout.user_end;
	return id;

err_put:
	prc_vm_put(vm);
err_release_id:
	xa_release(&pool->xa, id);
	return ret;
}

/**
 * prc_vm_pool_get() - look a VM up by id
 * @pool: the file's VMs
 * @id: uAPI VM id
 *
 * Return: the VM with a reference, or NULL (also while VM_CREATE is still
 * building the VM of @id).
 */
struct prc_vm *prc_vm_pool_get(struct prc_vm_pool *pool, u32 id)
{
	struct prc_vm *vm;

	xa_lock(&pool->xa);
	vm = xa_load(&pool->xa, id);
	if (vm)
		prc_vm_get(vm);
	xa_unlock(&pool->xa);
	return vm;
}

/**
 * prc_vm_pool_destroy() - VM_DESTROY: forget a VM, free its heaps, unmap it
 * @pool: the file's VMs
 * @id: uAPI VM id
 *
 * The VM itself lives on while something still holds a reference (a BO
 * created for it, a group, a bind or a lookup in progress); its kernel
 * mappings stay with the kernel objects that own them.
 *
 * Return: 0, or -EINVAL for an id with no VM (a reservation of a VM_CREATE
 * in progress is left alone).
 */
int prc_vm_pool_destroy(struct prc_vm_pool *pool, u32 id)
{
	struct prc_vm *vm;

	xa_lock(&pool->xa);
	vm = xa_load(&pool->xa, id);
	if (vm)
		__xa_erase(&pool->xa, id);
	xa_unlock(&pool->xa);
	if (!vm)
		return -EINVAL;
	prc_heap_pool_destroy(vm);
	prc_vm_unmap_user_range(vm);
	prc_vm_put(vm);
	return 0;
}

/**
 * prc_vm_pool_fini() - destroy every VM of a closing file
 * @pool: the file's VMs
 *
 * VMs still referenced elsewhere (jobs in flight) live on; they no longer
 * reach @pool's sparse BO, as only ioctls of the file bind.
 */
void prc_vm_pool_fini(struct prc_vm_pool *pool)
{
	struct prc_vm *vm;
	unsigned long id;

	xa_for_each(&pool->xa, id, vm)
		prc_vm_pool_destroy(pool, id);
	xa_destroy(&pool->xa);
	prc_bind_sparse_fini(&pool->sparse);
}
