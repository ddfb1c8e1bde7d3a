/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_MMU_H
#define PRC_MMU_H

#include <linux/mutex.h>
#include <linux/types.h>

struct prc_device;

/**
 * struct prc_mmu - the GPU MMU's address-space register sets
 */
struct prc_mmu {
	/**
	 * @lock: serialises commands on every address space (a command must
	 * not be written while the previous one is active). Held around
	 * register accesses only, never across an allocation, so it may be
	 * taken in the dma-fence signalling path and in reclaim.
	 */
	struct mutex lock;
	/** @faulty: address spaces whose fault interrupt is masked, under @lock */
	u32 faulty;
	/** @irq_mask: MMU_IRQ_MASK as programmed, under @lock */
	u32 irq_mask;
};

/**
 * struct prc_as_config - what an address space translates with
 * @transtab: physical address of the level-0 table
 * @memattr: the eight memory attributes the page tables index
 * @transcfg: translation configuration (format, VA bits, walk attributes)
 */
struct prc_as_config {
	u64 transtab;
	u64 memattr;
	u64 transcfg;
};

int prc_mmu_init(struct prc_device *pdev);
u64 prc_mmu_transcfg(struct prc_device *pdev);
int prc_mmu_as_enable(struct prc_device *pdev, u32 as, const struct prc_as_config *cfg);
int prc_mmu_as_disable(struct prc_device *pdev, u32 as);
int prc_mmu_flush_range(struct prc_device *pdev, u32 as, u64 iova, u64 size);

#endif /* PRC_MMU_H */
