// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GPU MMU address spaces
 *
 * The GPU translates through up to 16 address-space (AS) register sets;
 * the G610 has 8. AS 0 is the MCU's, the others are handed to VMs by the
 * scheduler. Each AS is programmed with a translation table, memory
 * attributes and a configuration, then latched with UPDATE. After page-table
 * changes the touched range is LOCKed and FLUSHed (the flush also unlocks),
 * which keeps TLB maintenance to exactly the range that changed.
 *
 * A command may only be written while the AS is not busy with the previous
 * one (AS_STATUS.ACTIVE), hence one lock for all commands. Faults arrive on
 * the MMU interrupt: the fault is logged and that AS's interrupt masked until
 * the AS is reprogrammed, because the faulting access stays stalled and
 * would re-raise the interrupt forever.
 */

#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/log2.h>
#include <linux/sched/mm.h>
#include <drm/drm_managed.h>

#include "device.h"
#include "gpu.h"
#include "mmu.h"
#include "regs.h"
#include "trace.h"

#define PRC_AS_TIMEOUT_US	100000
/* The smallest region LOCK accepts, 32 KiB. */
#define PRC_LOCK_REGION_MIN_LOG2	15

static void prc_as_write64(struct prc_device *pdev, u32 as, u32 reg, u64 v)
{
	writel(lower_32_bits(v), pdev->iomem + PRC_AS(as) + reg);
	writel(upper_32_bits(v), pdev->iomem + PRC_AS(as) + reg + 4);
}

static int prc_as_wait_idle(struct prc_device *pdev, u32 as)
{
	u32 status;
	int ret;

	ret = readl_poll_timeout(pdev->iomem + PRC_AS(as) + PRC_AS_STATUS, status,
				 !(status & PRC_AS_STATUS_ACTIVE), 10, PRC_AS_TIMEOUT_US);
	if (ret)
		dev_err(pdev->base.dev, "AS%u stuck busy\n", as);
	return ret;
}

static int prc_as_cmd(struct prc_device *pdev, u32 as, u32 cmd)
{
	int ret;

	lockdep_assert_held(&pdev->mmu.lock);
	ret = prc_as_wait_idle(pdev, as);
	if (ret)
		return ret;
	writel(cmd, pdev->iomem + PRC_AS(as) + PRC_AS_COMMAND);
	return prc_as_wait_idle(pdev, as);
}

/*
 * LOCKADDR: the naturally aligned power-of-two region covering
 * [iova, iova + size), its log2 size minus one in the low bits.
 */
static u64 prc_lock_region(u64 iova, u64 size)
{
	u64 end = iova + size - 1;
	u32 width = max_t(u32, fls64(iova ^ end), PRC_LOCK_REGION_MIN_LOG2);

	return (iova & ~GENMASK_ULL(width - 1, 0)) | (width - 1);
}

/**
 * prc_mmu_transcfg() - the AS_TRANSCFG value for our page tables
 * @pdev: the device
 *
 * Return: AArch64 4 KiB-granule format over the GPU's VA bits, table walks
 * write-back and read-allocate (outer-shareable when the GPU is coherent).
 */
u64 prc_mmu_transcfg(struct prc_device *pdev)
{
	u32 va_bits = PRC_MMU_VA_BITS(pdev->props.mmu_features);
	u64 cfg = PRC_AS_TRANSCFG_ADRMODE_AARCH64_4K | PRC_AS_TRANSCFG_INA_BITS(55 - va_bits) |
		  PRC_AS_TRANSCFG_PTW_MEMATTR_WB | PRC_AS_TRANSCFG_PTW_RA;

	if (pdev->coherent)
		cfg |= PRC_AS_TRANSCFG_PTW_SH_OS;
	return cfg;
}

/**
 * prc_mmu_as_enable() - point an address space at page tables
 * @pdev: the device
 * @as: address space number, present in AS_PRESENT
 * @cfg: translation table, attributes and configuration
 *
 * The TLBs of @as are flushed, so no stale translation of a previous owner
 * survives. Unmasks the AS's fault interrupt.
 *
 * Return: 0, or -ETIMEDOUT when the AS does not accept commands.
 */
int prc_mmu_as_enable(struct prc_device *pdev, u32 as, const struct prc_as_config *cfg)
{
	struct prc_mmu *mmu = &pdev->mmu;
	int ret;

	mutex_lock(&mmu->lock);
	ret = prc_as_cmd(pdev, as, PRC_AS_CMD_FLUSH_MEM);
	if (ret)
		goto out;
	prc_as_write64(pdev, as, PRC_AS_TRANSTAB, cfg->transtab);
	prc_as_write64(pdev, as, PRC_AS_MEMATTR, cfg->memattr);
	prc_as_write64(pdev, as, PRC_AS_TRANSCFG, cfg->transcfg);
	ret = prc_as_cmd(pdev, as, PRC_AS_CMD_UPDATE);
	if (ret)
		goto out;
	mmu->faulty &= ~BIT(as);
	mmu->irq_mask |= BIT(as) | BIT(as + 16);
	writel(mmu->irq_mask, pdev->iomem + PRC_MMU_IRQ_BASE + PRC_IRQ_MASK);
out:
	mutex_unlock(&mmu->lock);
	return ret;
}

/**
 * prc_mmu_as_disable() - stop translating through an address space
 * @pdev: the device
 * @as: address space number
 *
 * Caches are flushed first so no dirty line is written through tables that
 * are about to be freed; afterwards every access through @as faults.
 *
 * Return: 0, or -ETIMEDOUT.
 */
int prc_mmu_as_disable(struct prc_device *pdev, u32 as)
{
	struct prc_mmu *mmu = &pdev->mmu;
	int ret;

	mutex_lock(&mmu->lock);
	mmu->irq_mask &= ~(BIT(as) | BIT(as + 16));
	writel(mmu->irq_mask, pdev->iomem + PRC_MMU_IRQ_BASE + PRC_IRQ_MASK);
	ret = prc_as_cmd(pdev, as, PRC_AS_CMD_FLUSH_MEM);
	if (!ret) {
		prc_as_write64(pdev, as, PRC_AS_TRANSTAB, 0);
		prc_as_write64(pdev, as, PRC_AS_MEMATTR, 0);
		prc_as_write64(pdev, as, PRC_AS_TRANSCFG, PRC_AS_TRANSCFG_ADRMODE_UNMAPPED);
		ret = prc_as_cmd(pdev, as, PRC_AS_CMD_UPDATE);
	}
	mutex_unlock(&mmu->lock);
	return ret;
}

/**
 * prc_mmu_flush_range() - make page-table changes in a range visible
 * @pdev: the device
 * @as: address space the tables are live in
 * @iova: start of the changed range
 * @size: its length, non-zero
 *
 * Locks the smallest aligned region covering the range, then flushes the
 * page-table walk caches and TLBs for it (FLUSH_MEM also writes back and
 * invalidates the caches, needed after unmapping pages that may be freed).
 *
 * Return: 0, or -ETIMEDOUT.
 */
int prc_mmu_flush_range(struct prc_device *pdev, u32 as, u64 iova, u64 size)
{
	struct prc_mmu *mmu = &pdev->mmu;
	int ret;

	mutex_lock(&mmu->lock);
	ret = prc_as_wait_idle(pdev, as);
	if (!ret) {
		prc_as_write64(pdev, as, PRC_AS_LOCKADDR, prc_lock_region(iova, size));
		ret = prc_as_cmd(pdev, as, PRC_AS_CMD_LOCK);
	}
	if (!ret)
		ret = prc_as_cmd(pdev, as, PRC_AS_CMD_FLUSH_MEM);
	mutex_unlock(&mmu->lock);
	return ret;
}

static const char *prc_access_name(u32 status)
{
	static const char * const names[] = { "atomic", "execute", "read", "write" };

	return names[(status >> 8) & 3];
}

static irqreturn_t prc_mmu_irq_thread(int irq, void *data)
{
	struct prc_device *pdev = data;
	struct prc_mmu *mmu = &pdev->mmu;
	void __iomem *base = pdev->iomem + PRC_MMU_IRQ_BASE;
	u32 status, as;
	u64 addr;

	mutex_lock(&mmu->lock);
	status = readl(base + PRC_IRQ_RAWSTAT) & mmu->irq_mask;
	for (as = 0; as < 16; as++) {
		u32 bits = status & (BIT(as) | BIT(as + 16)), fault;

		if (!bits)
			continue;
		fault = readl(pdev->iomem + PRC_AS(as) + PRC_AS_FAULTSTATUS);
		addr = prc_gpu_read64(pdev, PRC_AS(as) + PRC_AS_FAULTADDRESS);
		trace_prc_mmu_fault(as, addr, fault);
		dev_err_ratelimited(pdev->base.dev,
				    "GPU page fault in AS%u at 0x%016llx: status 0x%08x (%s access)\n",
				    as, addr, fault, prc_access_name(fault));
		/* The access stays stalled: silence the AS until it is reprogrammed. */
		mmu->faulty |= BIT(as);
		mmu->irq_mask &= ~bits;
		writel(bits, base + PRC_IRQ_CLEAR);
	}
	writel(mmu->irq_mask, base + PRC_IRQ_MASK);
	mutex_unlock(&mmu->lock);
	return IRQ_HANDLED;
}

static irqreturn_t prc_mmu_irq(int irq, void *data)
{
	struct prc_device *pdev = data;

	if (!readl(pdev->iomem + PRC_MMU_IRQ_BASE + PRC_IRQ_STATUS))
		return IRQ_NONE;
	/* Masked until the thread has looked at the faults. */
	writel(0, pdev->iomem + PRC_MMU_IRQ_BASE + PRC_IRQ_MASK);
	return IRQ_WAKE_THREAD;
}

/**
 * prc_mmu_init() - set up fault handling; every AS starts disabled
 * @pdev: the device, after prc_gpu_init()
 *
 * Return: 0 or a negative errno.
 */
int prc_mmu_init(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	int ret;

	ret = drmm_mutex_init(&pdev->base, &pdev->mmu.lock);
	if (ret)
		return ret;
	/* Taken under VM op_lock, hence in reclaim and signalling paths too. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&pdev->mmu.lock);
	fs_reclaim_release(GFP_KERNEL);
	writel(0, pdev->iomem + PRC_MMU_IRQ_BASE + PRC_IRQ_MASK);
	ret = devm_request_threaded_irq(dev, pdev->irq_mmu, prc_mmu_irq, prc_mmu_irq_thread,
					IRQF_SHARED, "mali-mmu", pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot request the mmu interrupt\n");
	return 0;
}
