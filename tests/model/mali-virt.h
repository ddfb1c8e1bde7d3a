/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model on the "virt" board.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef HW_MISC_MALI_VIRT_H
#define HW_MISC_MALI_VIRT_H

#include "hw/boards.h"

/* Where the model sits on "virt": a hole in the low memory map and free SPIs. */
#define MALI_VIRT_BASE          0x09800000
#define MALI_VIRT_SPI_JOB       10
#define MALI_VIRT_SPI_MMU       11
#define MALI_VIRT_SPI_GPU       12

void mali_virt_create(MachineState *ms, DeviceState *gic);

#endif /* HW_MISC_MALI_VIRT_H */
