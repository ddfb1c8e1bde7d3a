/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_BIND_H
#define PRC_BIND_H

struct drm_file;
struct drm_panthor_obj_array;
struct prc_vm;

int prc_bind_sched_init(struct prc_vm *vm);
void prc_bind_sched_fini(struct prc_vm *vm);
int prc_vm_bind_async(struct drm_file *file, struct prc_vm *vm,
		      const struct drm_panthor_obj_array *ops);
int prc_bind_module_init(void);
void prc_bind_module_exit(void);

#endif /* PRC_BIND_H */
