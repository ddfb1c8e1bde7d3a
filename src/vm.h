/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_VM_H
#define PRC_VM_H

#include <linux/mutex.h>
#include <linux/xarray.h>
#include <drm/drm_gpuvm.h>

#include "pgtable.h"

struct drm_file;
struct drm_panthor_vm_bind_op;
struct drm_panthor_vm_create;
struct prc_device;

/**
 * struct prc_vm - a GPU virtual address space
 *
 * The user part of the VA space ([0, @user_va_range)) is managed with
 * drm_gpuvm on behalf of userspace; the rest is for kernel objects.
 * References: drm_gpuvm_get()/prc_vm_put().
 */
struct prc_vm {
	/** @base: the drm_gpuvm; its resv object is shared by the VM's private BOs */
	struct drm_gpuvm base;
	/** @pdev: the device */
	struct prc_device *pdev;
	/**
	 * @op_lock: serialises changes of the mappings and of @pt (map and
	 * unmap steps, TLB flushes). Taken in paths that may signal fences
	 * (asynchronous binds), so nothing may allocate under it: page-table
	 * pages are reserved, VMAs preallocated, before it is taken.
	 */
	struct mutex op_lock;
	/** @pt: the page tables, under @op_lock (reserve: its own lock) */
	struct prc_pgtable pt;
	/** @user_va_range: end of the user VA range; immutable */
	u64 user_va_range;
	/**
	 * @as: address-space slot the VM is bound to, or -1; under @op_lock
	 * (slot assignment comes with the scheduler)
	 */
	int as;
	/** @unusable: a fault left the VM unusable (VM_GET_STATE); under @op_lock */
	bool unusable;
};

/**
 * struct prc_vm_pool - the VMs of one open file, by uAPI id
 * @xa: id -> struct prc_vm; holds one reference per entry
 */
struct prc_vm_pool {
	struct xarray xa;
};

void prc_vm_pool_init(struct prc_vm_pool *pool);
void prc_vm_pool_fini(struct prc_vm_pool *pool);
int prc_vm_pool_create(struct prc_device *pdev, struct prc_vm_pool *pool,
		       struct drm_panthor_vm_create *args);
int prc_vm_pool_destroy(struct prc_vm_pool *pool, u32 id);
struct prc_vm *prc_vm_pool_get(struct prc_vm_pool *pool, u32 id);
void prc_vm_put(struct prc_vm *vm);
int prc_vm_bind_sync(struct drm_file *file, struct prc_vm *vm,
		     const struct drm_panthor_vm_bind_op *op);
struct drm_gem_object *prc_vm_root_obj(struct prc_vm *vm);

#endif /* PRC_VM_H */
