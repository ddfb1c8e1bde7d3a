/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_VM_OP_H
#define PRC_VM_OP_H

/*
 * A bind operation of vm.c, split in prepare (may allocate), execute (may
 * not) and cleanup, for vm.c's kernel mappings and bind.c's VM_BIND, which
 * fills it in from the user's operation, and the VMA itself, which
 * vm_evict.c also handles. Private to those three files.
 */

#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <drm/drm_gpuvm.h>

struct prc_gem_object;
struct prc_vm;
struct sg_table;

/*
 * A sparse mapping shows a dummy BO of this size over and over (the page at
 * VA v is the BO's page at v modulo its size): one 2 MiB block's worth.
 */
#define PRC_SPARSE_SIZE	SZ_2M

/**
 * struct prc_vma - one mapping of a BO range
 * @base: the drm_gpuva
 * @flags: DRM_PANTHOR_VM_BIND_OP_MAP_* flags it was mapped with
 * @node: on &prc_vm_op.spare from prepare until a step uses it, on
 *	&prc_vm_op.retired from its unmapping until cleanup
 * @retired_vm_bo: once unmapped, the <VM, BO> it was linked to, referenced
 *	until cleanup: the last put of a vm_bo must happen there, under the
 *	VM's resv and the BO's gpuva lock, never in execute (which holds
 *	neither) nor in drm_gpuvm_prepare_objects()' walk of the external
 *	objects (which submissions run under the VM's resv)
 * @evicted: reclaim removed its page-table entries (vm_evict.c): it is in
 *	the tree but the GPU cannot reach it, and it does not count as a GPU
 *	mapping of its BO until prc_vm_restore() maps it again. Under
 *	&prc_vm.op_lock.
 * @evict_node: on &prc_vm.evicted while @evicted and in the tree, else
 *	empty. Under &prc_vm.op_lock.
 */
struct prc_vma {
	struct drm_gpuva base;
	u32 flags;
	struct list_head node;
	struct drm_gpuvm_bo *retired_vm_bo;
	bool evicted;
	struct list_head evict_node;
};

/**
 * struct prc_vm_op - one bind operation between prepare and cleanup
 *
 * Everything execute needs is here, allocated beforehand. Filled in by
 * bind.c from a user operation, or by vm.c for kernel mappings; both
 * initialise @spare and @retired empty.
 */
struct prc_vm_op {
	/** @type: DRM_PANTHOR_VM_BIND_OP_TYPE_* */
	u32 type;
	/** @flags: the operation's DRM_PANTHOR_VM_BIND_OP_* flags, type included */
	u32 flags;
	/** @va: start of the range */
	u64 va;
	/** @size: size of the range; 0 is a no-op */
	u64 size;
	/** @offset: MAP: offset in @bo */
	u64 offset;
	/** @no_replace: MAP: refuse a range that is not empty (kernel maps) */
	bool no_replace;
	/** @bo: MAP: referenced, its pages pinned from prepare until cleanup */
	struct prc_gem_object *bo;
	/** @sgt: MAP: @bo's DMA addresses */
	struct sg_table *sgt;
	/** @vm_bo: MAP: the <VM, @bo> pair, one reference */
	struct drm_gpuvm_bo *vm_bo;
	/** @spare: VMAs prepare allocated and no step used yet */
	struct list_head spare;
	/** @retired: VMAs the steps unmapped, freed at cleanup */
	struct list_head retired;
	/** @rsv: the ranges whose page-table pages prepare reserved */
	struct { u64 va, size; } rsv[2];
	/** @rsv_count: how many of @rsv are reserved */
	unsigned int rsv_count;
};

int prc_vm_op_prepare(struct prc_vm *vm, struct prc_vm_op *op);
void prc_vm_flush(struct prc_vm *vm, u64 va, u64 size);
int prc_vma_map(struct prc_vm *vm, struct prc_vma *vma, struct sg_table *sgt);
int prc_vm_op_execute(struct prc_vm *vm, struct prc_vm_op *op);
void prc_vm_op_cleanup(struct prc_vm *vm, struct prc_vm_op *op);

#endif /* PRC_VM_OP_H */
