/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model: command stream groups, command streams and the
 * command-stream instruction interpreter.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef HW_MISC_MALI_CS_H
#define HW_MISC_MALI_CS_H

#include "mali.h"

/* The host rang the global doorbell with CSG doorbell requests pending. */
void mali_cs_csg_doorbells(MaliState *s, uint32_t csg_mask);
/* The host rang doorbell page @n (1-based: one per CSG slot). */
void mali_cs_doorbell(MaliState *s, unsigned int n);
/* Forget every group and stream (reset, MCU halt or reboot). */
void mali_cs_reset(MaliState *s);

#endif /* HW_MISC_MALI_CS_H */
