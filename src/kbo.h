/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_KBO_H
#define PRC_KBO_H

#include <linux/types.h>
#include <drm/drm_mm.h>

struct prc_device;
struct prc_gem_object;
struct prc_vm;

/**
 * struct prc_kbo - a kernel buffer object mapped at a kernel VA of one VM
 *
 * A BO the driver itself uses (firmware sections, queue interfaces, suspend
 * buffers, ring buffers, heap chunks), private to one VM and mapped in that
 * VM's kernel range from prc_kbo_create() to prc_kbo_destroy().
 *
 * Locking: there is none inside. A kbo has one owner (the firmware loader, a
 * queue, a group, a heap), which serialises prc_kbo_vmap(),
 * prc_kbo_vunmap() and prc_kbo_destroy() on it; prc_kbo_va() and
 * prc_kbo_size() read immutable members and may be called by anyone
 * holding the kbo. The calls themselves take the VM's locks
 * (&prc_vm.mm_lock, &prc_vm.op_lock) and the BO's reservation object (the
 * VM's), so they may sleep and must not be made with any of these held, nor
 * in the dma-fence signalling path.
 */
struct prc_kbo {
	/**
	 * @bo: the BO, created with PRC_GEM_KERNEL and DRM_PANTHOR_BO_NO_MMAP
	 * and sharing @vm's reservation object; one reference. Immutable.
	 */
	struct prc_gem_object *bo;
	/** @vm: the VM it is mapped in; one reference. Immutable. */
	struct prc_vm *vm;
	/** @va: its range of @vm's kernel VA space. Immutable. */
	struct drm_mm_node va;
	/**
	 * @kmap: kernel mapping of the whole BO while vmapped (write-combined
	 * unless the GPU is coherent), else NULL. Changed by prc_kbo_vmap()
	 * and prc_kbo_vunmap() only, which the owner serialises.
	 */
	void *kmap;
};

struct prc_kbo *prc_kbo_create(struct prc_device *pdev, struct prc_vm *vm, size_t size,
			       u32 bo_flags, u32 map_flags, u64 va);
void prc_kbo_destroy(struct prc_kbo *kbo);
void *prc_kbo_vmap(struct prc_kbo *kbo);
void prc_kbo_vunmap(struct prc_kbo *kbo);

/**
 * prc_kbo_va() - where a kernel BO is mapped
 * @kbo: the kernel BO
 *
 * Return: its GPU VA in its VM.
 */
static inline u64 prc_kbo_va(const struct prc_kbo *kbo)
{
	return kbo->va.start;
}

/**
 * prc_kbo_size() - size of a kernel BO
 * @kbo: the kernel BO
 *
 * Return: its size in bytes (the size asked for, rounded up to pages), all
 * of it mapped at prc_kbo_va().
 */
static inline size_t prc_kbo_size(const struct prc_kbo *kbo)
{
	return kbo->va.size;
}

#endif /* PRC_KBO_H */
