/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_VM_H
#define PRC_VM_H

#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_mm.h>

#include "pgtable.h"

struct prc_bind_queue;
struct prc_device;
struct prc_gem_object;
struct prc_heap_pool;
struct prc_vm;

/* prc_vm_alloc_va(): pick a free VA in the VM's automatic kernel range. */
#define PRC_VM_KERNEL_AUTO_VA		U64_MAX

/* The MCU (a Cortex-M7) addresses 32 bits: its VM covers [0, 4 GiB). */
#define PRC_VM_MCU_VA_RANGE		SZ_4G
/* Where prc_vm_alloc_va() places automatic VAs in the MCU's VM. */
#define PRC_VM_MCU_AUTO_VA_START	0x04000000ull
#define PRC_VM_MCU_AUTO_VA_SIZE		0x04000000ull

/**
 * struct prc_vm_layout - how a VM's address space is split
 * @end: end of the space (exclusive): the VM covers [0, @end)
 * @user_end: end of the user range [0, @user_end), which drm_gpuvm manages
 *	for userspace; the kernel range is [@user_end, @end)
 * @auto_start: start of the part of the kernel range where
 *	PRC_VM_KERNEL_AUTO_VA allocations are placed
 * @auto_end: its end (exclusive)
 */
struct prc_vm_layout {
	u64 end;
	u64 user_end;
	u64 auto_start;
	u64 auto_end;
};

/**
 * struct prc_vm_ops - what a VM's creator does at the end of the VM's life
 * @release: called once the last reference is gone, before the page tables
 *	are freed: undoes what the creator attached to the VM (bind queue,
 *	address-space slot). Must leave &prc_vm.as at -1.
 *
 * The hook keeps vm.c free of the layers that use VMs.
 */
struct prc_vm_ops {
	void (*release)(struct prc_vm *vm);
};

/**
 * struct prc_vm - a GPU virtual address space
 *
 * The user part of the VA space ([0, @user_va_range)) is managed with
 * drm_gpuvm on behalf of userspace; the rest, [@kernel_va_start,
 * @kernel_va_end), is for kernel objects, whose VAs come from @mm and which
 * are mapped with prc_vm_map_bo_range(). The MCU's VM has no user part.
 * References: prc_vm_get()/prc_vm_put().
 *
 * Lock order: @op_lock, then &prc_mmu.lock (TLB flushes, slot changes).
 * @mm_lock is independent of both: nothing is taken under it.
 */
struct prc_vm {
	/** @base: the drm_gpuvm; its resv object is shared by the VM's private BOs */
	struct drm_gpuvm base;
	/** @pdev: the device */
	struct prc_device *pdev;
	/** @ops: the creator's hooks, or NULL; immutable */
	const struct prc_vm_ops *ops;
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
	/** @kernel_va_start: start of the kernel VA range; immutable */
	u64 kernel_va_start;
	/** @kernel_va_end: end (exclusive) of the kernel VA range; immutable */
	u64 kernel_va_end;
	/**
	 * @auto_va_start: start of the part of the kernel range where
	 * PRC_VM_KERNEL_AUTO_VA allocations are placed; immutable
	 */
	u64 auto_va_start;
	/** @auto_va_end: its end (exclusive); immutable */
	u64 auto_va_end;
	/**
	 * @mm_lock: protects @mm. Held only around drm_mm calls, which do not
	 * allocate; no other lock is taken under it.
	 */
	struct mutex mm_lock;
	/** @mm: allocator of the kernel VA range, under @mm_lock */
	struct drm_mm mm;
	/**
	 * @as: address-space slot the VM is bound to, or -1; under @op_lock.
	 * While it is set, every page-table change is flushed from that
	 * slot's TLBs. The MCU's VM is bound to AS 0 from boot to unload;
	 * user VMs get a slot from the scheduler, which changes it only
	 * under &prc_sched.lock too (so reading it under either is stable).
	 */
	int as;
	/** @unusable: a fault left the VM unusable (VM_GET_STATE); under @op_lock */
	bool unusable;
	/**
	 * @evicted: the VMAs reclaim unmapped (&prc_vma.evict_node), which
	 * prc_vm_restore() maps again before the VM's next job; under @op_lock
	 */
	struct list_head evicted;
	/**
	 * @bindq: the bind queue of a user VM (bind.c), set up by the VM's
	 * creator and torn down by its release hook; NULL for the MCU's VM.
	 * vm.c never looks inside.
	 */
	struct prc_bind_queue *bindq;
	/**
	 * @heaps_lock: protects @heaps, @heaps_gone and the heaps in the
	 * pool. Taken under &prc_sched.lock (heap growth): nothing may
	 * allocate with blocking flags under it. Lock order: @heaps_lock,
	 * then @mm_lock, @op_lock.
	 */
	struct mutex heaps_lock;
	/** @heaps: the VM's tiler heaps, NULL until the first one is created */
	struct prc_heap_pool *heaps;
	/** @heaps_gone: VM_DESTROY freed the heaps; no new ones */
	bool heaps_gone;
};

struct prc_vm *prc_vm_create(struct prc_device *pdev, const char *name,
			     const struct prc_vm_layout *layout, const struct prc_vm_ops *ops);
struct prc_vm *prc_vm_create_mcu(struct prc_device *pdev);
struct prc_vm *prc_vm_get(struct prc_vm *vm);
void prc_vm_put(struct prc_vm *vm);
struct drm_gem_object *prc_vm_root_obj(struct prc_vm *vm);

int prc_vm_alloc_va(struct prc_vm *vm, u64 va, u64 size, struct drm_mm_node *node);
void prc_vm_free_va(struct prc_vm *vm, struct drm_mm_node *node);
int prc_vm_map_bo_range(struct prc_vm *vm, struct prc_gem_object *bo, u64 offset, u64 size,
			u64 va, u32 flags);
int prc_vm_unmap_range(struct prc_vm *vm, u64 va, u64 size);
int prc_vm_map_pages(struct prc_vm *vm, u64 va, const dma_addr_t *dma, u32 npages, u32 flags);
void prc_vm_unmap_pages(struct prc_vm *vm, u64 va, u64 size);
void prc_vm_unmap_user_range(struct prc_vm *vm);

int prc_vm_evict_bo(struct prc_gem_object *bo);
int prc_vm_restore(struct prc_vm *vm);

int prc_vm_as_enable(struct prc_vm *vm, u32 as);
int prc_vm_as_disable(struct prc_vm *vm);

long prc_vm_stat_live(void);
long prc_vm_stat_leaked_pt_pages(void);

#endif /* PRC_VM_H */
