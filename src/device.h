/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_DEVICE_H
#define PRC_DEVICE_H

#include <linux/clk.h>
#include <linux/io.h>
#include <linux/platform_device.h>
#include <linux/regulator/consumer.h>
#include <drm/drm_device.h>

#include "devfreq.h"
#include "fw.h"
#include "gem.h"
#include "reclaim.h"
#include "gpu.h"
#include "mmu.h"
#include "sched.h"

/**
 * struct prc_device - one Mali CSF GPU
 *
 * Members are set up in probe and constant afterwards unless their own
 * documentation names a lock.
 */
struct prc_device {
	/** @base: the DRM device; embeds the struct device reference */
	struct drm_device base;
	/** @iomem: the GPU's MMIO window (control, MMU, doorbells) */
	void __iomem *iomem;
	/** @mmio_phys: physical address of @iomem, for mapping the USER page */
	phys_addr_t mmio_phys;
	/** @irq_job: firmware/job interrupt */
	int irq_job;
	/** @irq_mmu: MMU fault interrupt */
	int irq_mmu;
	/** @irq_gpu: GPU control interrupt */
	int irq_gpu;
	/** @clk_core: core clock, required */
	struct clk *clk_core;
	/** @clk_stacks: shader stacks clock, optional (NULL when absent) */
	struct clk *clk_stacks;
	/** @clk_coregroup: core group clock, optional (NULL when absent) */
	struct clk *clk_coregroup;
	/** @mali_supply: the GPU's power rail, required */
	struct regulator *mali_supply;
	/** @coherent: the GPU snoops CPU caches (dma-coherent in the device tree) */
	bool coherent;
	/**
	 * @coherency: the protocol the GPU uses with the CPU caches, written
	 * to COHERENCY_ENABLE at every power-up: PRC_COHERENCY_ACE_LITE when
	 * @coherent, else PRC_COHERENCY_NONE. Also userspace's
	 * selected_coherency.
	 */
	u32 coherency;
	/** @props: identity and feature registers */
	struct prc_gpu_props props;
	/** @mmu: address-space register sets and fault handling */
	struct prc_mmu mmu;
	/** @fw: the MCU firmware and its global interface */
	struct prc_fw fw;
	/** @sched: the CSG slot scheduler */
	struct prc_sched sched;
	/** @devfreq: frequency scaling */
	struct prc_devfreq devfreq;
	/**
	 * @mmio_lock: serialises the USER page's fault handler against
	 * power transitions (@mmio_active and unmapping it)
	 */
	struct mutex mmio_lock;
	/** @mmio_active: the USER page may be mapped (GPU powered); under @mmio_lock */
	bool mmio_active;
	/** @dummy_page: mapped instead of the USER page while the GPU is off */
	struct page *dummy_page;
	/** @remove_pm_ref: unbind holds a runtime-PM reference for the teardown */
	bool remove_pm_ref;
	/** @gem_lru: userspace's resident BOs by reclaim state */
	struct prc_gem_lru gem_lru;
	/** @reclaim: the shrinker over @gem_lru */
	struct prc_reclaim reclaim;
};

extern struct platform_driver prc_platform_driver;

#endif /* PRC_DEVICE_H */
