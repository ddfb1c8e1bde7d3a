/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali CSF GPU register map, as the Mali-G610 model implements it.
 * The one place that names the model's guest-visible registers.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef HW_MISC_MALI_REGS_H
#define HW_MISC_MALI_REGS_H

/* Size of the MMIO window: control, MMU, USER page, doorbell pages. */
#define MALI_MMIO_SIZE                  0x200000

/* GPU control */
#define MALI_GPU_ID                     0x000
#define MALI_L2_FEATURES                0x004
#define MALI_CORE_FEATURES              0x008
#define MALI_TILER_FEATURES             0x00c
#define MALI_MEM_FEATURES               0x010
#define MALI_MMU_FEATURES               0x014
#define MALI_AS_PRESENT                 0x018
#define MALI_CSF_ID                     0x01c
#define MALI_GPU_IRQ_RAWSTAT            0x020
#define MALI_GPU_IRQ_CLEAR              0x024
#define MALI_GPU_IRQ_MASK               0x028
#define MALI_GPU_IRQ_STATUS             0x02c
#define   MALI_GPU_IRQ_FAULT            (1u << 0)
#define   MALI_GPU_IRQ_RESET_COMPLETED  (1u << 8)
#define   MALI_GPU_IRQ_POWER_CHANGED    (1u << 9)
#define   MALI_GPU_IRQ_POWER_CHANGED_ALL (1u << 10)
#define   MALI_GPU_IRQ_CLEAN_CACHES_COMPLETED (1u << 17)
#define   MALI_GPU_IRQ_MCU_STATUS_CHANGED (1u << 19)
#define MALI_GPU_COMMAND                0x030
#define   MALI_GPU_CMD_TYPE(v)          ((v) & 0xff)
#define   MALI_GPU_CMD_PAYLOAD(v)       ((v) >> 8)
#define   MALI_GPU_CMD_RESET            1       /* payload 1 soft, 2 hard */
#define   MALI_GPU_CMD_FLUSH_CACHES     4
#define MALI_GPU_STATUS                 0x034
#define MALI_GPU_FAULTSTATUS            0x03c
#define MALI_GPU_FAULTADDRESS_LO        0x040
#define MALI_GPU_FAULTADDRESS_HI        0x044
#define MALI_L2_CONFIG                  0x048
#define MALI_PWR_KEY                    0x050
#define MALI_PWR_OVERRIDE0              0x054
#define MALI_PWR_OVERRIDE1              0x058
#define MALI_TIMESTAMP_OFFSET_LO        0x088
#define MALI_TIMESTAMP_OFFSET_HI        0x08c
#define MALI_CYCLE_COUNT_LO             0x090
#define MALI_CYCLE_COUNT_HI             0x094
#define MALI_TIMESTAMP_LO               0x098
#define MALI_TIMESTAMP_HI               0x09c
#define MALI_THREAD_MAX_THREADS         0x0a0
#define MALI_THREAD_MAX_WORKGROUP_SIZE  0x0a4
#define MALI_THREAD_MAX_BARRIER_SIZE    0x0a8
#define MALI_THREAD_FEATURES            0x0ac
#define MALI_TEXTURE_FEATURES(n)        (0x0b0 + (n) * 4)       /* n < 4 */
#define MALI_SHADER_PRESENT_LO          0x100
#define MALI_SHADER_PRESENT_HI          0x104
#define MALI_TILER_PRESENT_LO           0x110
#define MALI_TILER_PRESENT_HI           0x114
#define MALI_L2_PRESENT_LO              0x120
#define MALI_L2_PRESENT_HI              0x124
/*
 * Per power domain (shader, tiler, L2 at +0x0, +0x10, +0x20) a 64-bit
 * READY, PWRON, PWROFF, PWRTRANS and PWRACTIVE register.
 */
#define MALI_PWR_READY                  0x140
#define MALI_PWR_ON                     0x180
#define MALI_PWR_OFF                    0x1c0
#define MALI_PWR_TRANS                  0x200
#define MALI_PWR_ACTIVE                 0x240
#define   MALI_PWR_DOMAIN_STRIDE        0x10
#define   MALI_PWR_DOMAINS              3       /* shader, tiler, L2 */
#define MALI_GPU_REVID                  0x280
#define MALI_COHERENCY_FEATURES         0x300
#define MALI_COHERENCY_ENABLE           0x304
#define MALI_MCU_CONTROL                0x700
#define   MALI_MCU_CONTROL_DISABLE      0
#define   MALI_MCU_CONTROL_ENABLE       1
#define   MALI_MCU_CONTROL_AUTO         2
#define MALI_MCU_STATUS                 0x704
#define   MALI_MCU_STATUS_DISABLED      0
#define   MALI_MCU_STATUS_ENABLED       1
#define   MALI_MCU_STATUS_HALT          2
#define   MALI_MCU_STATUS_FATAL         3

/* Job (firmware interface) interrupts */
#define MALI_JOB_IRQ_RAWSTAT            0x1000
#define MALI_JOB_IRQ_CLEAR              0x1004
#define MALI_JOB_IRQ_MASK               0x1008
#define MALI_JOB_IRQ_STATUS             0x100c

/* MMU */
#define MALI_MMU_IRQ_RAWSTAT            0x2000
#define MALI_MMU_IRQ_CLEAR              0x2004
#define MALI_MMU_IRQ_MASK               0x2008
#define MALI_MMU_IRQ_STATUS             0x200c
#define MALI_AS_BASE                    0x2400
#define MALI_AS_STRIDE                  0x40
#define MALI_AS_COUNT                   8
#define   MALI_AS_TRANSTAB_LO           0x00
#define   MALI_AS_TRANSTAB_HI           0x04
#define   MALI_AS_MEMATTR_LO            0x08
#define   MALI_AS_MEMATTR_HI            0x0c
#define   MALI_AS_LOCKADDR_LO           0x10
#define   MALI_AS_LOCKADDR_HI           0x14
#define   MALI_AS_COMMAND               0x18
#define     MALI_AS_CMD_NOP             0
#define     MALI_AS_CMD_UPDATE          1
#define     MALI_AS_CMD_LOCK            2
#define     MALI_AS_CMD_UNLOCK          3
#define     MALI_AS_CMD_FLUSH_PT        4
#define     MALI_AS_CMD_FLUSH_MEM       5
#define   MALI_AS_FAULTSTATUS           0x1c
#define   MALI_AS_FAULTADDRESS_LO       0x20
#define   MALI_AS_FAULTADDRESS_HI       0x24
#define   MALI_AS_STATUS                0x28
#define     MALI_AS_STATUS_ACTIVE       (1u << 0)
#define   MALI_AS_TRANSCFG_LO           0x30
#define   MALI_AS_TRANSCFG_HI           0x34
#define   MALI_AS_FAULTEXTRA_LO         0x38
#define   MALI_AS_FAULTEXTRA_HI         0x3c

/* USER page (mmapped by userspace) and doorbells */
#define MALI_LATEST_FLUSH_ID            0x10000
#define MALI_DOORBELL_BASE              0x80000
#define MALI_DOORBELL_STRIDE            0x10000
#define MALI_DOORBELL_COUNT             9       /* global + 8 CSG slots */

#endif /* HW_MISC_MALI_REGS_H */
