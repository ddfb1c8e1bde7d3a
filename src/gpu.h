/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_GPU_H
#define PRC_GPU_H

#include <linux/types.h>

struct prc_device;

/**
 * struct prc_gpu_props - identity and feature registers, read once at probe
 *
 * Constant after prc_gpu_init(); the DEV_QUERY ioctl reports them.
 */
struct prc_gpu_props {
	/** @gpu_id: GPU_ID */
	u32 gpu_id;
	/** @gpu_rev: GPU_REVID */
	u32 gpu_rev;
	/** @csf_id: CSF_ID */
	u32 csf_id;
	/** @l2_features: L2_FEATURES (cache line size in bits 7:0, log2) */
	u32 l2_features;
	/** @core_features: CORE_FEATURES */
	u32 core_features;
	/** @tiler_features: TILER_FEATURES */
	u32 tiler_features;
	/** @mem_features: MEM_FEATURES */
	u32 mem_features;
	/** @mmu_features: MMU_FEATURES (VA bits in 7:0, PA bits in 15:8) */
	u32 mmu_features;
	/** @as_present: AS_PRESENT, one bit per address space */
	u32 as_present;
	/** @thread_max_threads: THREAD_MAX_THREADS */
	u32 thread_max_threads;
	/** @thread_max_workgroup_size: THREAD_MAX_WORKGROUP_SIZE */
	u32 thread_max_workgroup_size;
	/** @thread_max_barrier_size: THREAD_MAX_BARRIER_SIZE */
	u32 thread_max_barrier_size;
	/** @thread_features: THREAD_FEATURES */
	u32 thread_features;
	/** @coherency_features: COHERENCY_FEATURES */
	u32 coherency_features;
	/** @texture_features: TEXTURE_FEATURES_0..3 */
	u32 texture_features[4];
	/** @shader_present: SHADER_PRESENT */
	u64 shader_present;
	/** @tiler_present: TILER_PRESENT */
	u64 tiler_present;
	/** @l2_present: L2_PRESENT */
	u64 l2_present;
	/** @gpu_features: GPU_FEATURES (architecture 11 and later), else 0 */
	u64 gpu_features;
};

int prc_gpu_init(struct prc_device *pdev);
int prc_gpu_resume(struct prc_device *pdev);
void prc_gpu_suspend(struct prc_device *pdev);
int prc_gpu_soft_reset(struct prc_device *pdev);
int prc_gpu_l2_power_on(struct prc_device *pdev);
int prc_gpu_flush_caches(struct prc_device *pdev, u32 l2, u32 lsc, u32 other);
u64 prc_gpu_read64(struct prc_device *pdev, u32 reg);

#endif /* PRC_GPU_H */
