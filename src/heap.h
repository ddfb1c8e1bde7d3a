/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_HEAP_H
#define PRC_HEAP_H

#include <linux/types.h>

struct drm_panthor_tiler_heap_create;
struct prc_device;
struct prc_heap_pool;
struct prc_vm;

int prc_heap_create(struct prc_device *pdev, struct prc_vm *vm,
		    struct drm_panthor_tiler_heap_create *args);
int prc_heap_destroy(struct prc_vm *vm, u32 id);
void prc_heap_pool_destroy(struct prc_vm *vm);
int prc_heap_grow(struct prc_vm *vm, u64 ctx_va, u32 in_flight, u64 *link);
unsigned long prc_heap_discard(struct prc_vm *vm);
int prc_heap_restore(struct prc_vm *vm);

#endif /* PRC_HEAP_H */
