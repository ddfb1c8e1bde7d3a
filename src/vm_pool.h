/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_VM_POOL_H
#define PRC_VM_POOL_H

#include <linux/types.h>
#include <linux/xarray.h>

#include "bind.h"

struct drm_panthor_vm_create;
struct prc_device;
struct prc_vm;

/**
 * struct prc_vm_pool - the user VMs of one open file, by uAPI id
 * @xa: id -> struct prc_vm, one reference per VM. An id is reserved (a
 *	NULL entry, which lookups do not see) while VM_CREATE builds its VM,
 *	and holds the VM only once the VM is complete.
 * @sparse: the dummy BO the file's sparse mappings show; every VM of the
 *	pool hands it to its binds
 */
struct prc_vm_pool {
	struct xarray xa;
	struct prc_bind_sparse sparse;
};

void prc_vm_pool_init(struct prc_vm_pool *pool);
void prc_vm_pool_fini(struct prc_vm_pool *pool);
int prc_vm_pool_create(struct prc_device *pdev, struct prc_vm_pool *pool,
		       struct drm_panthor_vm_create *args);
int prc_vm_pool_destroy(struct prc_vm_pool *pool, u32 id);
struct prc_vm *prc_vm_pool_get(struct prc_vm_pool *pool, u32 id);

#endif /* PRC_VM_POOL_H */
