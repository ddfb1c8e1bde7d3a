/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 (Valhall, CSF) GPU model: register level.
 *
 * This file models the GPU control block (identity, interrupts, reset, power
 * domains, cache maintenance, counters), the JOB and MMU interrupt blocks and
 * the MMU address-space registers, the USER page (LATEST_FLUSH_ID) and the
 * doorbell pages.  Power transitions, resets and cache flushes complete
 * immediately: the completion interrupt is raised while the command write is
 * handled, as fast hardware would, and the driver must cope with that.
 *
 * The MCU's side of the firmware interface is in mali-fw.c, the page-table
 * walker in mali-mmu.c. Still to come (see the project's issue on the
 * model): command stream groups and the command-stream interpreter; AS
 * commands complete at once (the walker reads the tables on every access).
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "hw/irq.h"
#include "migration/vmstate.h"
#include "mali.h"
#include "mali-cs.h"
#include "mali-fw.h"
#include "trace.h"

/*
 * Identity of a Mali-G610 MC4 as found in RK3588 (arch 10.8, r0p0 status 5).
 * GPU_ID, L2/TILER/MEM/MMU features, AS_PRESENT, CSF_ID and the present masks
 * are the G610's. The THREAD_* and TEXTURE_FEATURES values are placeholders
 * (non-zero, plausible for Valhall) until checked against a real board's dump.
 */
static const struct {
    uint32_t offset;
    uint32_t value;
} mali_id_regs[] = {
    { MALI_GPU_ID,                  0xa8670005 },
    { MALI_L2_FEATURES,             0x07120306 },
    { MALI_CORE_FEATURES,           0x00000000 },
    { MALI_TILER_FEATURES,          0x00000809 },
    { MALI_MEM_FEATURES,            0x00000001 },
    { MALI_MMU_FEATURES,            0x00002830 },
    { MALI_AS_PRESENT,              0x000000ff },
    { MALI_CSF_ID,                  0x040a0412 },
    { MALI_THREAD_MAX_THREADS,      0x00000800 },
    { MALI_THREAD_MAX_WORKGROUP_SIZE, 0x00000400 },
    { MALI_THREAD_MAX_BARRIER_SIZE, 0x00000400 },
    { MALI_THREAD_FEATURES,         0x04000400 },
    { MALI_TEXTURE_FEATURES(0),     0xc1ffff9e },
    { MALI_TEXTURE_FEATURES(1),     0x00000000 },
    { MALI_TEXTURE_FEATURES(2),     0x0000003f },
    { MALI_TEXTURE_FEATURES(3),     0x00000000 },
    { MALI_SHADER_PRESENT_LO,       0x00050005 },
    { MALI_TILER_PRESENT_LO,        0x00000001 },
    { MALI_L2_PRESENT_LO,           0x00000001 },
    { MALI_GPU_REVID,               0x00000000 },
    { MALI_COHERENCY_FEATURES,      0x00000001 },   /* ACE-Lite */
};

static const uint64_t mali_present[MALI_PWR_DOMAINS] = {
    0x50005,    /* shader cores */
    0x1,        /* tiler */
    0x1,        /* L2 */
};

void mali_irq_update(MaliState *s)
{
    qemu_set_irq(s->irq_gpu, !!(s->gpu_irq_raw & s->gpu_irq_mask));
    qemu_set_irq(s->irq_job, !!(s->job_irq_raw & s->job_irq_mask));
    qemu_set_irq(s->irq_mmu, !!(s->mmu_irq_raw & s->mmu_irq_mask));
}

static void mali_gpu_irq_raise(MaliState *s, uint32_t bits)
{
    s->gpu_irq_raw |= bits;
    mali_irq_update(s);
}

/* The state every reset (and power-on) starts from. */
static void mali_reset_state(MaliState *s)
{
    s->gpu_irq_raw = 0;
    s->gpu_irq_mask = 0;
    s->gpu_faultstatus = 0;
    s->gpu_faultaddress = 0;
    s->l2_config = 0;
    s->pwr_override[0] = s->pwr_override[1] = 0;
    s->timestamp_offset = 0;
    memset(s->pwr_ready, 0, sizeof(s->pwr_ready));
    s->coherency_enable = 31;   /* no coherency */
    s->mcu_control = MALI_MCU_CONTROL_DISABLE;
    s->mcu_status = MALI_MCU_STATUS_DISABLED;
    s->job_irq_raw = 0;
    s->job_irq_mask = 0;
    s->mmu_irq_raw = 0;
    s->mmu_irq_mask = 0;
    memset(s->as, 0, sizeof(s->as));
    s->fw_booted = false;
    mali_cs_reset(s);
}

static uint64_t mali_timestamp(MaliState *s)
{
    return muldiv64(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), MALI_TIMESTAMP_HZ,
                    NANOSECONDS_PER_SECOND) + s->timestamp_offset;
}

static uint64_t mali_cycles(void)
{
    return muldiv64(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), MALI_GPU_CLOCK_HZ,
                    NANOSECONDS_PER_SECOND);
}

static void mali_gpu_command(MaliState *s, uint32_t cmd)
{
    switch (MALI_GPU_CMD_TYPE(cmd)) {
    case MALI_GPU_CMD_RESET:
        trace_mali_reset(MALI_GPU_CMD_PAYLOAD(cmd));
        mali_reset_state(s);
        mali_gpu_irq_raise(s, MALI_GPU_IRQ_RESET_COMPLETED);
        break;
    case MALI_GPU_CMD_FLUSH_CACHES:
        s->latest_flush_id++;
        mali_gpu_irq_raise(s, MALI_GPU_IRQ_CLEAN_CACHES_COMPLETED);
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "mali: GPU_COMMAND 0x%x not implemented\n", cmd);
        break;
    }
}

/* PWRON/PWROFF for one domain: transitions finish at once. */
static void mali_power(MaliState *s, unsigned int domain, bool on, uint64_t mask)
{
    if (on && domain == MALI_PWR_DOMAINS - 1 && s->hook_fail_l2_power) {
        trace_mali_power(domain, on, s->pwr_ready[domain]);
        return;     /* hook: the L2 stays off and nothing is reported */
    }
    mask &= mali_present[domain];
    if (on) {
        s->pwr_ready[domain] |= mask;
    } else {
        s->pwr_ready[domain] &= ~mask;
    }
    trace_mali_power(domain, on, s->pwr_ready[domain]);
    mali_gpu_irq_raise(s, MALI_GPU_IRQ_POWER_CHANGED | MALI_GPU_IRQ_POWER_CHANGED_ALL);
}

static void mali_mcu_set_status(MaliState *s, uint32_t status)
{
    if (s->mcu_status != status) {
        s->mcu_status = status;
        mali_gpu_irq_raise(s, MALI_GPU_IRQ_MCU_STATUS_CHANGED);
    }
}

void mali_mcu_halted(MaliState *s)
{
    s->fw_booted = false;
    mali_mcu_set_status(s, MALI_MCU_STATUS_HALT);
}

static void mali_mcu_control(MaliState *s, uint32_t val)
{
    bool enable = val == MALI_MCU_CONTROL_ENABLE || val == MALI_MCU_CONTROL_AUTO;
    bool was_running = s->mcu_status == MALI_MCU_STATUS_ENABLED;

    s->mcu_control = val;
    mali_mcu_set_status(s, enable ? MALI_MCU_STATUS_ENABLED : MALI_MCU_STATUS_DISABLED);
    if (enable && !was_running) {
        mali_fw_boot(s);
    } else if (!enable) {
        s->fw_booted = false;
    }
}

/* Read or write one half of a 64-bit register kept as uint64_t. */
static uint32_t lo_hi_read(uint64_t reg, hwaddr off)
{
    return (off & 4) ? reg >> 32 : (uint32_t)reg;
}

static void lo_hi_write(uint64_t *reg, hwaddr off, uint32_t val)
{
    if (off & 4) {
        *reg = deposit64(*reg, 32, 32, val);
    } else {
        *reg = deposit64(*reg, 0, 32, val);
    }
}

static uint64_t *mali_as_reg64(MaliAddressSpace *as, hwaddr off)
{
    switch (off & ~4) {
    case MALI_AS_TRANSTAB_LO:
        return &as->transtab;
    case MALI_AS_MEMATTR_LO:
        return &as->memattr;
    case MALI_AS_LOCKADDR_LO:
        return &as->lockaddr;
    case MALI_AS_FAULTADDRESS_LO:
        return &as->faultaddress;
    case MALI_AS_TRANSCFG_LO:
        return &as->transcfg;
    case MALI_AS_FAULTEXTRA_LO:
        return &as->faultextra;
    }
    return NULL;
}

static bool mali_as_read(MaliState *s, hwaddr addr, uint32_t *val)
{
    MaliAddressSpace *as;
    uint64_t *reg;
    hwaddr off;

    if (addr < MALI_AS_BASE || addr >= MALI_AS_BASE + MALI_AS_COUNT * MALI_AS_STRIDE) {
        return false;
    }
    as = &s->as[(addr - MALI_AS_BASE) / MALI_AS_STRIDE];
    off = (addr - MALI_AS_BASE) % MALI_AS_STRIDE;
    reg = mali_as_reg64(as, off);
    if (reg) {
        *val = lo_hi_read(*reg, off);
    } else if (off == MALI_AS_FAULTSTATUS) {
        *val = as->faultstatus;
    } else {
        *val = 0;       /* AS_STATUS: commands complete at once, never busy */
    }
    return true;
}

static bool mali_as_write(MaliState *s, hwaddr addr, uint32_t val)
{
    unsigned int n;
    uint64_t *reg;
    hwaddr off;

    if (addr < MALI_AS_BASE || addr >= MALI_AS_BASE + MALI_AS_COUNT * MALI_AS_STRIDE) {
        return false;
    }
    n = (addr - MALI_AS_BASE) / MALI_AS_STRIDE;
    off = (addr - MALI_AS_BASE) % MALI_AS_STRIDE;
    reg = mali_as_reg64(&s->as[n], off);
    if (reg) {
        lo_hi_write(reg, off, val);
    } else if (off == MALI_AS_COMMAND) {
        trace_mali_as_command(n, val, s->as[n].transtab, s->as[n].lockaddr);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "mali: write to read-only AS%u+0x%x\n",
                      n, (unsigned int)off);
    }
    return true;
}

static void mali_doorbell(MaliState *s, unsigned int n)
{
    if (n == 0) {
        mali_fw_glb_doorbell(s);
    } else {
        mali_cs_doorbell(s, n);
    }
}

static void mali_doorbell_timer(void *opaque)
{
    MaliState *s = opaque;
    uint32_t pending = s->pending_doorbells;
    unsigned int n;

    s->pending_doorbells = 0;
    for (n = 0; n < MALI_DOORBELL_COUNT; n++) {
        if (pending & (1u << n)) {
            mali_doorbell(s, n);
        }
    }
}

static uint64_t mali_read(void *opaque, hwaddr addr, unsigned int size)
{
    MaliState *s = opaque;
    uint32_t val = 0;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(mali_id_regs); i++) {
        if (mali_id_regs[i].offset == addr) {
            val = mali_id_regs[i].value;
            goto out;
        }
    }
    if (addr >= MALI_PWR_READY && addr < MALI_PWR_ON) {
        i = (addr - MALI_PWR_READY) / MALI_PWR_DOMAIN_STRIDE;
        if (i < MALI_PWR_DOMAINS) {
            val = lo_hi_read(s->pwr_ready[i], addr);
        }
        goto out;
    }
    if (addr >= MALI_PWR_TRANS && addr < MALI_PWR_ACTIVE + 0x40) {
        val = 0;        /* nothing is ever in transition or active */
        goto out;
    }
    if (mali_as_read(s, addr, &val)) {
        goto out;
    }

    switch (addr) {
    case MALI_GPU_IRQ_RAWSTAT:
        val = s->gpu_irq_raw;
        break;
    case MALI_GPU_IRQ_MASK:
        val = s->gpu_irq_mask;
        break;
    case MALI_GPU_IRQ_STATUS:
        val = s->gpu_irq_raw & s->gpu_irq_mask;
        break;
    case MALI_GPU_STATUS:
        val = 0;
        break;
    case MALI_GPU_FAULTSTATUS:
        val = s->gpu_faultstatus;
        break;
    case MALI_GPU_FAULTADDRESS_LO:
    case MALI_GPU_FAULTADDRESS_HI:
        val = lo_hi_read(s->gpu_faultaddress, addr);
        break;
    case MALI_L2_CONFIG:
        val = s->l2_config;
        break;
    case MALI_PWR_OVERRIDE0:
    case MALI_PWR_OVERRIDE1:
        val = s->pwr_override[(addr - MALI_PWR_OVERRIDE0) / 4];
        break;
    case MALI_TIMESTAMP_OFFSET_LO:
    case MALI_TIMESTAMP_OFFSET_HI:
        val = lo_hi_read(s->timestamp_offset, addr);
        break;
    case MALI_CYCLE_COUNT_LO:
    case MALI_CYCLE_COUNT_HI:
        val = lo_hi_read(mali_cycles(), addr);
        break;
    case MALI_TIMESTAMP_LO:
    case MALI_TIMESTAMP_HI:
        val = lo_hi_read(mali_timestamp(s), addr);
        break;
    case MALI_COHERENCY_ENABLE:
        val = s->coherency_enable;
        break;
    case MALI_MCU_CONTROL:
        val = s->mcu_control;
        break;
    case MALI_MCU_STATUS:
        val = s->mcu_status;
        break;
    case MALI_JOB_IRQ_RAWSTAT:
        val = s->job_irq_raw;
        break;
    case MALI_JOB_IRQ_MASK:
        val = s->job_irq_mask;
        break;
    case MALI_JOB_IRQ_STATUS:
        val = s->job_irq_raw & s->job_irq_mask;
        break;
    case MALI_MMU_IRQ_RAWSTAT:
        val = s->mmu_irq_raw;
        break;
    case MALI_MMU_IRQ_MASK:
        val = s->mmu_irq_mask;
        break;
    case MALI_MMU_IRQ_STATUS:
        val = s->mmu_irq_raw & s->mmu_irq_mask;
        break;
    case MALI_LATEST_FLUSH_ID:
        val = s->latest_flush_id;
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "mali: read of unimplemented register 0x%" HWADDR_PRIx "\n",
                      addr);
        break;
    }
out:
    trace_mali_reg_read(addr, val);
    return val;
}

static void mali_write(void *opaque, hwaddr addr, uint64_t data, unsigned int size)
{
    MaliState *s = opaque;
    uint32_t val = data;
    unsigned int i;

    trace_mali_reg_write(addr, val);

    if (addr >= MALI_PWR_ON && addr < MALI_PWR_TRANS) {
        bool on = addr < MALI_PWR_OFF;
        hwaddr rel = addr - (on ? MALI_PWR_ON : MALI_PWR_OFF);

        i = rel / MALI_PWR_DOMAIN_STRIDE;
        if (i < MALI_PWR_DOMAINS) {
            mali_power(s, i, on, (rel & 4) ? (uint64_t)val << 32 : val);
        }
        return;
    }
    if (addr >= MALI_DOORBELL_BASE &&
        addr < MALI_DOORBELL_BASE + MALI_DOORBELL_COUNT * MALI_DOORBELL_STRIDE) {
        i = (addr - MALI_DOORBELL_BASE) / MALI_DOORBELL_STRIDE;
        trace_mali_doorbell(i);
        if (s->hook_drop_acks) {
            return;     /* hook: the MCU does not hear doorbells */
        }
        if (s->hook_ack_delay_ms) {
            /* hook: a slow MCU; doorbells rung meanwhile are served together */
            if (!s->pending_doorbells) {
                timer_mod(s->doorbell_timer, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) +
                          s->hook_ack_delay_ms);
            }
            s->pending_doorbells |= 1u << i;
            return;
        }
        mali_doorbell(s, i);
        return;
    }
    if (mali_as_write(s, addr, val)) {
        return;
    }

    switch (addr) {
    case MALI_GPU_IRQ_CLEAR:
        s->gpu_irq_raw &= ~val;
        break;
    case MALI_GPU_IRQ_MASK:
        s->gpu_irq_mask = val;
        break;
    case MALI_GPU_COMMAND:
        mali_gpu_command(s, val);
        break;
    case MALI_L2_CONFIG:
        s->l2_config = val;
        break;
    case MALI_PWR_KEY:
        break;
    case MALI_PWR_OVERRIDE0:
    case MALI_PWR_OVERRIDE1:
        s->pwr_override[(addr - MALI_PWR_OVERRIDE0) / 4] = val;
        break;
    case MALI_TIMESTAMP_OFFSET_LO:
    case MALI_TIMESTAMP_OFFSET_HI:
        lo_hi_write(&s->timestamp_offset, addr, val);
        break;
    case MALI_COHERENCY_ENABLE:
        s->coherency_enable = val;
        break;
    case MALI_MCU_CONTROL:
        mali_mcu_control(s, val);
        break;
    case MALI_JOB_IRQ_CLEAR:
        s->job_irq_raw &= ~val;
        break;
    case MALI_JOB_IRQ_MASK:
        s->job_irq_mask = val;
        break;
    case MALI_MMU_IRQ_CLEAR:
        s->mmu_irq_raw &= ~val;
        break;
    case MALI_MMU_IRQ_MASK:
        s->mmu_irq_mask = val;
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "mali: write of 0x%x to unimplemented register 0x%"
                      HWADDR_PRIx "\n", val, addr);
        return;
    }
    mali_irq_update(s);
}

static const MemoryRegionOps mali_ops = {
    .read = mali_read,
    .write = mali_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void mali_realize(DeviceState *dev, Error **errp)
{
    MaliState *s = MALI_G610(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    memory_region_init_io(&s->mmio, OBJECT(s), &mali_ops, s, "mali-g610", MALI_MMIO_SIZE);
    sysbus_init_mmio(sbd, &s->mmio);
    sysbus_init_irq(sbd, &s->irq_job);
    sysbus_init_irq(sbd, &s->irq_mmu);
    sysbus_init_irq(sbd, &s->irq_gpu);
    s->doorbell_timer = timer_new_ms(QEMU_CLOCK_VIRTUAL, mali_doorbell_timer, s);
}

static void mali_instance_init(Object *obj)
{
    MaliState *s = MALI_G610(obj);

    object_property_add_uint8_ptr(obj, "fail-l2-power", &s->hook_fail_l2_power,
                                  OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint8_ptr(obj, "hang-streams", &s->hook_hang_streams,
                                  OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint8_ptr(obj, "drop-acks", &s->hook_drop_acks,
                                  OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint64_ptr(obj, "fault-va", &s->hook_fault_va,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "ack-delay-ms", &s->hook_ack_delay_ms,
                                   OBJ_PROP_FLAG_READWRITE);
    object_property_add_uint32_ptr(obj, "idvs-heap-bytes", &s->idvs_heap_bytes,
                                   OBJ_PROP_FLAG_READWRITE);
}

static void mali_reset_hold(Object *obj, ResetType type)
{
    MaliState *s = MALI_G610(obj);

    mali_reset_state(s);
    s->latest_flush_id = 0;
    s->pending_doorbells = 0;
    timer_del(s->doorbell_timer);
}

/* The model's internal state is not migratable (yet): refuse, do not lose it. */
static const VMStateDescription vmstate_mali = {
    .name = TYPE_MALI_G610,
    .unmigratable = 1,
};

static void mali_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    dc->realize = mali_realize;
    dc->desc = "Arm Mali-G610 (CSF) GPU model";
    dc->vmsd = &vmstate_mali;
    /* Created by the virt board, which also writes its device-tree node. */
    dc->user_creatable = false;
    rc->phases.hold = mali_reset_hold;
}

static const TypeInfo mali_info = {
    .name = TYPE_MALI_G610,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(MaliState),
    .instance_init = mali_instance_init,
    .class_init = mali_class_init,
};

static void mali_register_types(void)
{
    type_register_static(&mali_info);
}

type_init(mali_register_types)
