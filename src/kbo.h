/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_KBO_H
#define PRC_KBO_H

#include <linux/bits.h>
#include <linux/types.h>
#include <drm/drm_mm.h>

struct prc_gem_object;
struct prc_vm;

/*
 * How the GPU (or the MCU) may touch a kernel BO. The default, 0, is the
 * most restrictive: read-only, never executed, not cached on the GPU side.
 */
/* The GPU writes it (sync objects, interface pages, heap contexts, ...). */
#define PRC_KBO_GPU_WRITE	BIT(0)
/* The MCU runs code from it (firmware code sections only). */
#define PRC_KBO_GPU_EXEC	BIT(1)
/*
 * GPU caches may hold it: only for memory the CPU never reads while the
 * GPU works on it, since nothing flushes those caches for the CPU.
 */
#define PRC_KBO_GPU_CACHED	BIT(2)
#define PRC_KBO_GPU_ALL		(PRC_KBO_GPU_WRITE | PRC_KBO_GPU_EXEC | PRC_KBO_GPU_CACHED)

/**
 * struct prc_kbo_desc - what a kernel BO is for, which decides how it is made
 *
 * Filled in by the caller, usually as a compound literal at the call site,
 * and only read by prc_kbo_new(). A zeroed descriptor (but for @size and
 * @purpose) is a read-only, uncached, CPU-invisible BO at an automatic VA.
 */
struct prc_kbo_desc {
	/**
	 * @purpose: what the memory is, for messages ("ring buffer",
	 * "firmware section", ...); a string that outlives the kbo
	 */
	const char *purpose;
	/** @size: bytes, rounded up to whole pages; not 0 */
	size_t size;
	/** @gpu: PRC_KBO_GPU_* access bits */
	u32 gpu;
	/**
	 * @cpu_view: the kernel keeps a CPU mapping for the kbo's whole life
	 * (prc_kbo_cpu()), and the memory starts zeroed. Without it the CPU
	 * never sees the memory.
	 */
	bool cpu_view;
	/**
	 * @fixed: place the kbo at @va; otherwise the VM picks a free range
	 * of its kernel VA space (2 MiB aligned for 2 MiB and more)
	 */
	bool fixed;
	/** @va: with @fixed, a page-aligned VA in the VM's kernel range */
	u64 va;
};

/**
 * struct prc_kbo - GPU memory the driver itself owns, mapped in one VM
 *
 * Firmware sections, queue interfaces, suspend buffers, ring buffers, sync
 * objects, profiling slots and heap contexts: memory at a kernel VA of one
 * VM, from prc_kbo_new() to prc_kbo_free(), with an optional CPU view.
 *
 * Locking: none inside, and none needed: every member is set by
 * prc_kbo_new() and never changes, so anyone holding the kbo may read them
 * (prc_kbo_va(), prc_kbo_size(), prc_kbo_cpu()). Its one owner (the
 * firmware loader, a queue, a group, a heap pool) frees it once. Creating
 * and freeing take the VM's locks (&prc_vm.mm_lock, &prc_vm.op_lock) and
 * the VM's reservation object: they sleep, and must not be called with any
 * of these held nor in the dma-fence signalling path.
 */
struct prc_kbo {
	/** @vm: the VM it lives in; one reference */
	struct prc_vm *vm;
	/** @range: its range of @vm's kernel VA space, all of it mapped */
	struct drm_mm_node range;
	/**
	 * @mem: the GEM object behind it: PRC_GEM_KERNEL and
	 * DRM_PANTHOR_BO_NO_MMAP, sharing @vm's reservation object; one
	 * reference
	 */
	struct prc_gem_object *mem;
	/** @cpu: its CPU view with &prc_kbo_desc.cpu_view, else NULL */
	void *cpu;
	/** @purpose: &prc_kbo_desc.purpose, for messages */
	const char *purpose;
	/** @gpu_mapped: @range maps @mem (only false while being built) */
	bool gpu_mapped;
};

struct prc_kbo *prc_kbo_new(struct prc_vm *vm, const struct prc_kbo_desc *desc);
void prc_kbo_free(struct prc_kbo *kbo);

/**
 * prc_kbo_va() - where a kernel BO is mapped
 * @kbo: the kernel BO
 *
 * Return: its GPU VA in its VM.
 */
static inline u64 prc_kbo_va(const struct prc_kbo *kbo)
{
	return kbo->range.start;
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
	return kbo->range.size;
}

/**
 * prc_kbo_cpu() - the CPU view of a kernel BO
 * @kbo: the kernel BO
 *
 * Write-combined unless the GPU is coherent, so CPU writes reach the GPU
 * without cache maintenance.
 *
 * Return: the CPU address of its first byte, or NULL when it was made
 * without &prc_kbo_desc.cpu_view.
 */
static inline void *prc_kbo_cpu(const struct prc_kbo *kbo)
{
	return kbo->cpu;
}

#endif /* PRC_KBO_H */
