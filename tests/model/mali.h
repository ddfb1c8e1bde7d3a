/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 (Valhall, CSF) GPU model for QEMU: device state.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef HW_MISC_MALI_H
#define HW_MISC_MALI_H

#include "hw/sysbus.h"
#include "qom/object.h"
#include "qemu/timer.h"
#include "mali-regs.h"

#define TYPE_MALI_G610 "mali-g610"
OBJECT_DECLARE_SIMPLE_TYPE(MaliState, MALI_G610)

#define MALI_CSG_MAX 8
#define MALI_CS_MAX 8
#define MALI_CS_REGS 96
#define MALI_CS_CALL_DEPTH 8

/* One command stream as the MCU runs it. */
typedef struct MaliStream {
    bool running;
    uint32_t regs[MALI_CS_REGS];
    uint64_t extract;           /* ring offset of the next instruction */
    /* CALL stack: return addresses and end of the called buffer */
    unsigned int depth;
    uint64_t call_pc[MALI_CS_CALL_DEPTH];
    uint64_t call_end[MALI_CS_CALL_DEPTH];
    uint64_t pc, end;           /* inside a CALLed buffer when depth > 0 */
    bool blocked;               /* waiting on a SYNC_WAIT */
    bool fatal;
    /* SYNC_WAIT that blocks the stream, reported in the CS status */
    uint64_t wait_ptr, wait_value;
    uint8_t wait_cond;
    bool wait_64;
    uint64_t heap_ctx;          /* tiler heap context (HEAP_SET) */
    bool oom;                   /* TILER_OOM raised, waiting for the host */
} MaliStream;

typedef struct MaliAddressSpace {
    uint64_t transtab;
    uint64_t memattr;
    uint64_t lockaddr;
    uint64_t transcfg;
    uint64_t faultaddress;
    uint64_t faultextra;
    uint32_t faultstatus;
} MaliAddressSpace;

struct MaliState {
    SysBusDevice parent_obj;

    MemoryRegion mmio;
    qemu_irq irq_job;
    qemu_irq irq_mmu;
    qemu_irq irq_gpu;

    /* GPU control */
    uint32_t gpu_irq_raw;
    uint32_t gpu_irq_mask;
    uint32_t gpu_faultstatus;
    uint64_t gpu_faultaddress;
    uint32_t l2_config;
    uint32_t pwr_override[2];
    uint64_t timestamp_offset;
    uint64_t pwr_ready[MALI_PWR_DOMAINS];
    uint32_t coherency_enable;
    uint32_t mcu_control;
    uint32_t mcu_status;
    uint32_t latest_flush_id;

    /* MCU firmware interface (mali-fw.c) */
    bool fw_booted;
    uint32_t glb_input_va;
    uint32_t glb_output_va;
    uint32_t csg_count;
    uint32_t csg_stride;

    /* Command streams (mali-cs.c) */
    MaliStream cs[MALI_CSG_MAX][MALI_CS_MAX];
    bool csg_idle[MALI_CSG_MAX];    /* idle at the end of the last run */
    /*
     * Bytes of tiler heap each RUN_IDVS consumes (mali-cs.c); 0: RUN_IDVS
     * completes without touching the heap. A QOM property like the hooks.
     */
    uint32_t idvs_heap_bytes;

    /*
     * Test hooks: QOM properties, set with -global mali-g610.NAME=VALUE or
     * at run time with the monitor's qom-set /machine/mali NAME VALUE.
     * Nothing a driver can reach through registers.
     */
    uint8_t hook_fail_l2_power;     /* L2 never powers up */
    uint8_t hook_hang_streams;      /* command streams make no progress */
    uint8_t hook_drop_acks;         /* the MCU ignores doorbells */
    uint64_t hook_fault_va;         /* GPU accesses to this page fault */
    uint32_t hook_ack_delay_ms;     /* the MCU answers doorbells this late */
    QEMUTimer *doorbell_timer;      /* delivers doorbells under the delay */
    uint32_t pending_doorbells;     /* rung, not yet delivered */

    /* Job interface interrupts */
    uint32_t job_irq_raw;
    uint32_t job_irq_mask;

    /* MMU */
    uint32_t mmu_irq_raw;
    uint32_t mmu_irq_mask;
    MaliAddressSpace as[MALI_AS_COUNT];
};

/* Frequency of the TIMESTAMP counter and of CYCLE_COUNT, in Hz. */
#define MALI_TIMESTAMP_HZ  24000000ULL
#define MALI_GPU_CLOCK_HZ  200000000ULL

/* Re-evaluate the three interrupt lines. */
void mali_irq_update(MaliState *s);

/* The MCU halted on request: report it like hardware does. */
void mali_mcu_halted(MaliState *s);

#endif /* HW_MISC_MALI_H */
