// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GPU control block
 *
 * The GPU control registers identify the GPU and its features, reset it,
 * power the L2 cache (the firmware powers shader cores and the tiler itself)
 * and run cache maintenance. Each of these commands completes with a bit in
 * GPU_IRQ_RAWSTAT; they are issued only from probe, reset and power
 * management paths, which may sleep, so completion is polled with a bounded
 * sleep instead of plumbing an interrupt waiter. The GPU interrupt itself only
 * reports asynchronous faults (bus errors from the GPU, MCU state changes).
 */

#include <linux/interrupt.h>
#include <linux/iopoll.h>

#include "device.h"
#include "gpu.h"
#include "regs.h"

/* Generous bounds: a reset takes microseconds on real parts. */
#define PRC_RESET_TIMEOUT_US	100000
#define PRC_POWER_TIMEOUT_US	20000
#define PRC_FLUSH_TIMEOUT_US	100000

/**
 * prc_gpu_read64() - read a 64-bit register pair (LO at @reg, HI at @reg + 4)
 * @pdev: the device
 * @reg: offset of the low half
 *
 * Return: the value. Counters that move (TIMESTAMP, CYCLE_COUNT) are read
 * HI/LO/HI until HI is stable, so no carry between the halves is lost.
 */
u64 prc_gpu_read64(struct prc_device *pdev, u32 reg)
{
	u32 hi, lo;

	do {
		hi = readl(pdev->iomem + reg + 4);
		lo = readl(pdev->iomem + reg);
	} while (hi != readl(pdev->iomem + reg + 4));
	return (u64)hi << 32 | lo;
}

static int prc_gpu_wait_raw(struct prc_device *pdev, u32 bit, u32 timeout_us)
{
	u32 raw;
	int ret;

	ret = readl_poll_timeout(pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_RAWSTAT, raw,
				 raw & bit, 10, timeout_us);
	writel(bit, pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_CLEAR);
	return ret;
}

/**
 * prc_gpu_soft_reset() - reset the GPU, escalating to a hard reset
 * @pdev: the device
 *
 * Everything but the register interface's power and clock state is lost:
 * MMU configuration, caches, the MCU. Callers reprogram what they need.
 *
 * Return: 0, or -ETIMEDOUT when not even a hard reset completed.
 */
int prc_gpu_soft_reset(struct prc_device *pdev)
{
	static const u32 cmds[] = { PRC_GPU_CMD_SOFT_RESET, PRC_GPU_CMD_HARD_RESET };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		writel(PRC_GPU_IRQ_RESET_COMPLETED,
		       pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_CLEAR);
		writel(cmds[i], pdev->iomem + PRC_GPU_CMD);
		if (!prc_gpu_wait_raw(pdev, PRC_GPU_IRQ_RESET_COMPLETED, PRC_RESET_TIMEOUT_US))
			return 0;
		dev_warn(pdev->base.dev, "%s reset did not complete\n", i ? "hard" : "soft");
	}
	return -ETIMEDOUT;
}

/**
 * prc_gpu_l2_power_on() - power up every L2 slice and wait until ready
 * @pdev: the device
 *
 * The MCU needs the L2 to run; shader cores and the tiler are powered by the
 * firmware itself.
 *
 * Return: 0, or -ETIMEDOUT.
 */
int prc_gpu_l2_power_on(struct prc_device *pdev)
{
	u64 present = pdev->props.l2_present, ready;
	int ret;

	writel(lower_32_bits(present), pdev->iomem + PRC_PWR_ON(PRC_PWR_L2));
	writel(upper_32_bits(present), pdev->iomem + PRC_PWR_ON(PRC_PWR_L2) + 4);
	ret = read_poll_timeout(prc_gpu_read64, ready, (ready & present) == present, 10,
				PRC_POWER_TIMEOUT_US, false, pdev, PRC_PWR_READY(PRC_PWR_L2));
	if (ret)
		dev_err(pdev->base.dev, "L2 cache did not power up (ready 0x%llx of 0x%llx)\n",
			ready, present);
	return ret;
}

/**
 * prc_gpu_flush_caches() - clean and/or invalidate GPU caches, and wait
 * @pdev: the device
 * @l2: PRC_CACHE_CLEAN / PRC_CACHE_INV bits for the L2
 * @lsc: the same for the load/store caches
 * @other: the same for the other caches
 *
 * Return: 0, or -ETIMEDOUT.
 */
int prc_gpu_flush_caches(struct prc_device *pdev, u32 l2, u32 lsc, u32 other)
{
	int ret;

	writel(PRC_GPU_IRQ_CLEAN_CACHES_DONE, pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_CLEAR);
	writel(PRC_GPU_CMD_FLUSH_CACHES(l2, lsc, other), pdev->iomem + PRC_GPU_CMD);
	ret = prc_gpu_wait_raw(pdev, PRC_GPU_IRQ_CLEAN_CACHES_DONE, PRC_FLUSH_TIMEOUT_US);
	if (ret)
		dev_err(pdev->base.dev, "cache flush timed out\n");
	return ret;
}

static irqreturn_t prc_gpu_irq(int irq, void *data)
{
	struct prc_device *pdev = data;
	void __iomem *base = pdev->iomem + PRC_GPU_IRQ_BASE;
	u32 status = readl(base + PRC_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;
	writel(status, base + PRC_IRQ_CLEAR);
	if (status & PRC_GPU_IRQ_FAULT) {
		u32 fault = readl(pdev->iomem + PRC_GPU_FAULTSTATUS);

		dev_err_ratelimited(pdev->base.dev, "GPU fault 0x%08x at 0x%016llx\n", fault,
				    prc_gpu_read64(pdev, PRC_GPU_FAULTADDRESS));
	}
	return IRQ_HANDLED;
}

static void prc_gpu_read_props(struct prc_device *pdev)
{
	struct prc_gpu_props *p = &pdev->props;
	void __iomem *io = pdev->iomem;
	unsigned int i;

	p->gpu_id = readl(io + PRC_GPU_ID);
	p->gpu_rev = readl(io + PRC_GPU_REVID);
	p->csf_id = readl(io + PRC_CSF_ID);
	p->l2_features = readl(io + PRC_L2_FEATURES);
	p->core_features = readl(io + PRC_CORE_FEATURES);
	p->tiler_features = readl(io + PRC_TILER_FEATURES);
	p->mem_features = readl(io + PRC_MEM_FEATURES);
	p->mmu_features = readl(io + PRC_MMU_FEATURES);
	p->as_present = readl(io + PRC_AS_PRESENT);
	p->thread_max_threads = readl(io + PRC_THREAD_MAX_THREADS);
	p->thread_max_workgroup_size = readl(io + PRC_THREAD_MAX_WORKGROUP_SIZE);
	p->thread_max_barrier_size = readl(io + PRC_THREAD_MAX_BARRIER_SIZE);
	p->thread_features = readl(io + PRC_THREAD_FEATURES);
	p->coherency_features = readl(io + PRC_COHERENCY_FEATURES);
	for (i = 0; i < ARRAY_SIZE(p->texture_features); i++)
		p->texture_features[i] = readl(io + PRC_TEXTURE_FEATURES(i));
	p->shader_present = prc_gpu_read64(pdev, PRC_SHADER_PRESENT);
	p->tiler_present = prc_gpu_read64(pdev, PRC_TILER_PRESENT);
	p->l2_present = prc_gpu_read64(pdev, PRC_L2_PRESENT);
	/* The register appeared in architecture 11; before, its offset is reserved. */
	if (PRC_GPU_ID_ARCH_MAJOR(p->gpu_id) >= 11)
		p->gpu_features = prc_gpu_read64(pdev, PRC_GPU_FEATURES);
}

/**
 * prc_gpu_init() - identify the GPU, reset it and power its L2
 * @pdev: the device, powered and clocked, with @pdev->iomem mapped
 *
 * Return: 0 or a negative errno (the GPU is not usable).
 */
int prc_gpu_init(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	int ret;

	prc_gpu_read_props(pdev);
	if (!pdev->props.l2_present || !pdev->props.shader_present || !pdev->props.as_present)
		return dev_err_probe(dev, -ENODEV,
				     "GPU reports no L2, shader core or address space\n");
	/*
	 * A coherent integration needs the GPU to speak ACE-Lite (full ACE is
	 * not used by CSF GPUs); without it the CPU caches would go unsnooped
	 * behind the cached mappings a coherent device gets.
	 */
	pdev->coherency = PRC_COHERENCY_NONE;
	if (pdev->coherent) {
		if (!(pdev->props.coherency_features & BIT(PRC_COHERENCY_ACE_LITE)))
			return dev_err_probe(dev, -EOPNOTSUPP,
					     "dma-coherent, but the GPU has no ACE-Lite\n");
		pdev->coherency = PRC_COHERENCY_ACE_LITE;
	}

	/* Nothing may interrupt before the handler is in place. */
	writel(0, pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_MASK);
	ret = devm_request_irq(dev, pdev->irq_gpu, prc_gpu_irq, IRQF_SHARED, "mali-gpu", pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot request the gpu interrupt\n");

	ret = prc_gpu_resume(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "GPU did not come up\n");
	return 0;
}

/**
 * prc_gpu_resume() - reset the GPU and power its L2 (probe and power-on)
 * @pdev: the device, clocks running
 *
 * Return: 0, or -ETIMEDOUT when the reset or the L2 power-up did not complete.
 */
int prc_gpu_resume(struct prc_device *pdev)
{
	int ret;

	ret = prc_gpu_soft_reset(pdev);
	if (ret)
		return ret;
	/* Command completions are polled; only faults interrupt. */
	writel(PRC_GPU_IRQ_FAULT | PRC_GPU_IRQ_PROTM_FAULT,
	       pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_MASK);
	writel(pdev->coherency, pdev->iomem + PRC_COHERENCY_ENABLE);
	return prc_gpu_l2_power_on(pdev);
}

/**
 * prc_gpu_suspend() - quiesce the GPU before its power goes
 * @pdev: the device, firmware halted
 *
 * Masks the GPU interrupt and waits for a running handler.
 */
void prc_gpu_suspend(struct prc_device *pdev)
{
	writel(0, pdev->iomem + PRC_GPU_IRQ_BASE + PRC_IRQ_MASK);
	synchronize_irq(pdev->irq_gpu);
}
