/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_BIND_H
#define PRC_BIND_H

#include <linux/mutex.h>

struct drm_file;
struct drm_panthor_obj_array;
struct drm_panthor_vm_bind_op;
struct prc_gem_object;
struct prc_vm;

/**
 * struct prc_bind_sparse - the dummy BO behind one file's sparse mappings
 *
 * All the VMs of a file map the same one (&prc_vm_pool.sparse), which has
 * no handle: userspace reaches its bytes only through the GPU.
 */
struct prc_bind_sparse {
	/** @lock: protects @bo; nothing but the BO's creation happens under it */
	struct mutex lock;
	/** @bo: created at the first sparse mapping, NULL before; one reference */
	struct prc_gem_object *bo;
};

void prc_bind_sparse_init(struct prc_bind_sparse *sparse);
void prc_bind_sparse_fini(struct prc_bind_sparse *sparse);
int prc_bind_queue_create(struct prc_vm *vm, struct prc_bind_sparse *sparse);
void prc_bind_queue_destroy(struct prc_vm *vm);
int prc_vm_bind_now(struct drm_file *file, struct prc_vm *vm, struct drm_panthor_obj_array *ops);
int prc_vm_bind_async(struct drm_file *file, struct prc_vm *vm,
		      const struct drm_panthor_obj_array *ops);
int prc_bind_module_init(void);
void prc_bind_module_exit(void);

#endif /* PRC_BIND_H */
