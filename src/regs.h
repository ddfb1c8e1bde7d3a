/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_REGS_H
#define PRC_REGS_H

/**
 * DOC: register map
 *
 * The one place that names Mali CSF GPU registers. Offsets are relative to the
 * start of the device's MMIO window.
 */

#include <linux/bits.h>

/* GPU control block */
#define PRC_GPU_ID			0x0000
#define   PRC_GPU_ID_ARCH_MAJOR(v)	(((v) >> 28) & 0xf)
#define   PRC_GPU_ID_ARCH_MINOR(v)	(((v) >> 24) & 0xf)
#define   PRC_GPU_ID_ARCH_REV(v)	(((v) >> 20) & 0xf)
#define   PRC_GPU_ID_PRODUCT_MAJOR(v)	(((v) >> 16) & 0xf)
#define   PRC_GPU_ID_VERSION_MAJOR(v)	(((v) >> 12) & 0xf)
#define   PRC_GPU_ID_VERSION_MINOR(v)	(((v) >> 4) & 0xff)
#define   PRC_GPU_ID_VERSION_STATUS(v)	((v) & 0xf)

/* First architecture major with the command-stream frontend (CSF). */
#define PRC_ARCH_MAJOR_CSF_MIN		10

#define PRC_L2_FEATURES			0x0004
#define   PRC_L2_LINE_LOG2(v)		((v) & 0xff)
#define PRC_CORE_FEATURES		0x0008
#define PRC_TILER_FEATURES		0x000c
#define PRC_MEM_FEATURES		0x0010
#define   PRC_MEM_COHERENT_CORE_GROUP	BIT(0)
#define PRC_MMU_FEATURES		0x0014
#define   PRC_MMU_VA_BITS(v)		((v) & 0xff)
#define   PRC_MMU_PA_BITS(v)		(((v) >> 8) & 0xff)
#define PRC_AS_PRESENT			0x0018
#define PRC_CSF_ID			0x001c

/* GPU_IRQ_* (and JOB_IRQ_*, MMU_IRQ_*): RAWSTAT, CLEAR, MASK, STATUS */
#define PRC_IRQ_RAWSTAT			0x00
#define PRC_IRQ_CLEAR			0x04
#define PRC_IRQ_MASK			0x08
#define PRC_IRQ_STATUS			0x0c
#define PRC_GPU_IRQ_BASE		0x0020
#define   PRC_GPU_IRQ_FAULT		BIT(0)
#define   PRC_GPU_IRQ_PROTM_FAULT	BIT(1)
#define   PRC_GPU_IRQ_RESET_COMPLETED	BIT(8)
#define   PRC_GPU_IRQ_POWER_CHANGED	BIT(9)
#define   PRC_GPU_IRQ_POWER_CHANGED_ALL	BIT(10)
#define   PRC_GPU_IRQ_CLEAN_CACHES_DONE	BIT(17)
#define   PRC_GPU_IRQ_MCU_STATUS_CHANGED BIT(19)

#define PRC_GPU_CMD			0x0030
#define   PRC_GPU_CMD_DEF(type, payload) ((type) | ((payload) << 8))
#define   PRC_GPU_CMD_SOFT_RESET	PRC_GPU_CMD_DEF(1, 1)
#define   PRC_GPU_CMD_HARD_RESET	PRC_GPU_CMD_DEF(1, 2)
/* FLUSH_CACHES payload: L2 in bits 3:0, load/store in 7:4, others in 11:8 */
#define   PRC_GPU_CMD_FLUSH_CACHES(l2, lsc, oth) \
	PRC_GPU_CMD_DEF(4, (l2) | ((lsc) << 4) | ((oth) << 8))
#define   PRC_CACHE_CLEAN		BIT(0)
#define   PRC_CACHE_INV			BIT(1)
#define PRC_GPU_STATUS			0x0034
#define PRC_GPU_FAULTSTATUS		0x003c
#define PRC_GPU_FAULTADDRESS		0x0040
#define PRC_L2_CONFIG			0x0048
#define PRC_GPU_FEATURES		0x0060
#define PRC_TIMESTAMP_OFFSET		0x0088
#define PRC_CYCLE_COUNT			0x0090
#define PRC_TIMESTAMP			0x0098
#define PRC_THREAD_MAX_THREADS		0x00a0
#define PRC_THREAD_MAX_WORKGROUP_SIZE	0x00a4
#define PRC_THREAD_MAX_BARRIER_SIZE	0x00a8
#define PRC_THREAD_FEATURES		0x00ac
#define PRC_TEXTURE_FEATURES(n)		(0x00b0 + (n) * 4)
#define PRC_SHADER_PRESENT		0x0100
#define PRC_TILER_PRESENT		0x0110
#define PRC_L2_PRESENT			0x0120

/* Power domains: 64-bit READY/PWRON/PWROFF/PWRTRANS registers per domain */
enum prc_pwr_domain {
	PRC_PWR_SHADER = 0,
	PRC_PWR_TILER = 1,
	PRC_PWR_L2 = 2,
};

#define PRC_PWR_READY(d)		(0x0140 + (d) * 0x10)
#define PRC_PWR_ON(d)			(0x0180 + (d) * 0x10)
#define PRC_PWR_OFF(d)			(0x01c0 + (d) * 0x10)
#define PRC_PWR_TRANS(d)		(0x0200 + (d) * 0x10)
#define PRC_GPU_REVID			0x0280
#define PRC_COHERENCY_FEATURES		0x0300
#define PRC_COHERENCY_ENABLE		0x0304
#define   PRC_COHERENCY_ACE_LITE	0
#define   PRC_COHERENCY_NONE		31

#define PRC_MCU_CONTROL			0x0700
#define   PRC_MCU_CONTROL_DISABLE	0
#define   PRC_MCU_CONTROL_ENABLE	1
#define   PRC_MCU_CONTROL_AUTO		2
#define PRC_MCU_STATUS			0x0704
#define   PRC_MCU_STATUS_DISABLED	0
#define   PRC_MCU_STATUS_ENABLED	1
#define   PRC_MCU_STATUS_HALT		2
#define   PRC_MCU_STATUS_FATAL		3

/* Job (firmware interface) interrupts: bit 31 global, bits 0..30 CSG slots */
#define PRC_JOB_IRQ_BASE		0x1000
#define   PRC_JOB_IRQ_GLOBAL		BIT(31)

/* MMU: interrupts (bit n: AS n fault, bit 16 + n: AS n bus error) and AS sets */
#define PRC_MMU_IRQ_BASE		0x2000
#define PRC_AS(n)			(0x2400 + (n) * 0x40)
#define   PRC_AS_TRANSTAB		0x00
#define   PRC_AS_MEMATTR		0x08
#define   PRC_AS_LOCKADDR		0x10
#define   PRC_AS_COMMAND		0x18
#define     PRC_AS_CMD_UPDATE		1
#define     PRC_AS_CMD_LOCK		2
#define     PRC_AS_CMD_UNLOCK		3
#define     PRC_AS_CMD_FLUSH_PT		4
#define     PRC_AS_CMD_FLUSH_MEM	5
#define   PRC_AS_FAULTSTATUS		0x1c
#define   PRC_AS_FAULTADDRESS		0x20
#define   PRC_AS_STATUS			0x28
#define     PRC_AS_STATUS_ACTIVE	BIT(0)
#define   PRC_AS_TRANSCFG		0x30
#define     PRC_AS_TRANSCFG_ADRMODE_UNMAPPED	1
#define     PRC_AS_TRANSCFG_ADRMODE_AARCH64_4K	6
#define     PRC_AS_TRANSCFG_INA_BITS(x)		((u64)(x) << 6)
#define     PRC_AS_TRANSCFG_PTW_MEMATTR_WB	(2ull << 24)
#define     PRC_AS_TRANSCFG_PTW_SH_OS		(2ull << 28)
#define     PRC_AS_TRANSCFG_PTW_RA		BIT_ULL(30)
#define   PRC_AS_FAULTEXTRA		0x38

/* The USER page userspace maps (LATEST_FLUSH_ID) and the doorbell pages */
#define PRC_USER_PAGE			0x10000
#define PRC_DOORBELL(n)			(0x80000 + (n) * 0x10000)

#endif /* PRC_REGS_H */
