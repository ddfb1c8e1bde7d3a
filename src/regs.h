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

#endif /* PRC_REGS_H */
