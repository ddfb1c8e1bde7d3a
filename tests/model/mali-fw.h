/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model: the MCU's side of the CSF firmware interface.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef HW_MISC_MALI_FW_H
#define HW_MISC_MALI_FW_H

#include "mali.h"

/* MCU VA of the firmware's SHARED section: the interface lives there. */
#define MALI_FW_SHARED_VA               0x04000000

/* Global control interface (read-only for the host), at MALI_FW_SHARED_VA */
#define MALI_GLB_CONTROL_VERSION        0x00
#define MALI_GLB_CONTROL_FEATURES       0x04
#define MALI_GLB_CONTROL_INPUT_VA       0x08
#define MALI_GLB_CONTROL_OUTPUT_VA      0x0c
#define MALI_GLB_CONTROL_GROUP_NUM      0x10
#define MALI_GLB_CONTROL_GROUP_STRIDE   0x14
#define MALI_GLB_CONTROL_INSTR_FEATURES 0x1c

/*
 * What the G610's firmware reports once booted: interface v1.1.0 (major in
 * bits 31:24, minor in 23:16), no optional features, instrumentation
 * features 0x71 (the value RK3588 boards log).
 */
#define MALI_FW_IFACE_VERSION           0x01010000
#define MALI_FW_FEATURES                0x0
#define MALI_FW_INSTR_FEATURES          0x71

/* Group (CSG) and stream (CS) control interfaces, after the global one */
#define MALI_CSG_CONTROL_OFFSET         0x1000
#define MALI_CSG_CONTROL_FEATURES       0x00
#define MALI_CSG_CONTROL_SUSPEND_SIZE   0x0c
#define MALI_CSG_CONTROL_PROTM_SUSPEND_SIZE 0x10
#define MALI_CSG_CONTROL_STREAM_NUM     0x14
#define MALI_CSG_CONTROL_STREAM_STRIDE  0x18
#define MALI_CS_CONTROL_OFFSET          0x40
#define MALI_CS_CONTROL_FEATURES        0x00

/*
 * What each command stream offers: 96 registers, 8 scoreboard entries,
 * compute, fragment and tiler work (as Mesa expects of a v10 GPU). The
 * suspend buffer sizes are the model's own (it defines the buffer format).
 */
#define MALI_FW_CS_REGS                 96
#define MALI_FW_CS_SCOREBOARDS          8
#define MALI_FW_CS_FEATURES             ((MALI_FW_CS_REGS - 1) | \
                                         (MALI_FW_CS_SCOREBOARDS << 8) | \
                                         (7u << 16))
#define MALI_FW_CSG_SUSPEND_SIZE        0x8000
#define MALI_FW_CSG_PROTM_SUSPEND_SIZE  0x8000

/* Global input (host-written) and output (MCU-written) interfaces */
#define MALI_GLB_INPUT_REQ              0x00
#define MALI_GLB_INPUT_ACK_IRQ_MASK     0x04
#define MALI_GLB_INPUT_DOORBELL_REQ     0x08
#define MALI_GLB_OUTPUT_ACK             0x00
#define MALI_GLB_OUTPUT_DOORBELL_ACK    0x08
#define MALI_GLB_OUTPUT_HALT_STATUS     0x10
#define   MALI_GLB_REQ_HALT             (1u << 0)
#define   MALI_GLB_REQ_MASK             0x7ffu  /* request bits 0-10 */

/* JOB_IRQ bit of the global interface */
#define MALI_JOB_IRQ_GLOBAL_IF          (1u << 31)

/* The MCU was enabled: publish the interface and report booted. */
void mali_fw_boot(MaliState *s);
/* The host rang the global doorbell: acknowledge its requests. */
void mali_fw_glb_doorbell(MaliState *s);

#endif /* HW_MISC_MALI_FW_H */
