/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model: the MCU's side of the CSF firmware interface.
 *
 * The model does not execute the firmware binary. The driver loads its
 * sections into the MCU address space (AS0) as it would on hardware; the
 * SHARED section already holds the firmware's interface descriptors (version,
 * features, where the input and output pages are, how many groups and
 * streams), and the model reads them from guest memory through its own page
 * table walker, then plays the firmware's part of the request/acknowledge
 * protocol: a request is a bit of an input page that differs from the same
 * bit of the output page; the MCU acknowledges it by copying the bit.
 *
 * Implemented so far: boot (the global interface is validated and
 * JOB_IRQ.GLOBAL_IF raised), and global requests (every request bit acked,
 * a HALT request also halts the MCU). Groups and streams: mali-cs.c.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/irq.h"
#include "mali.h"
#include "mali-cs.h"
#include "mali-fw.h"
#include "mali-mmu.h"
#include "trace.h"

/* The MCU runs in address space 0. */
#define MCU_AS 0

static void mali_fw_raise_glb_irq(MaliState *s)
{
    s->job_irq_raw |= MALI_JOB_IRQ_GLOBAL_IF;
    qemu_set_irq(s->irq_job, !!(s->job_irq_raw & s->job_irq_mask));
}

static bool mali_fw_read(MaliState *s, uint64_t va, uint32_t *val)
{
    if (!mali_mmu_read32(s, MCU_AS, va, val)) {
        trace_mali_fw_error("MCU read fault", va);
        return false;
    }
    return true;
}

static bool mali_fw_write(MaliState *s, uint64_t va, uint32_t val)
{
    if (!mali_mmu_write32(s, MCU_AS, va, val)) {
        trace_mali_fw_error("MCU write fault", va);
        return false;
    }
    return true;
}

/* Fill in what the running firmware reports about each group and stream. */
static bool mali_fw_describe_groups(MaliState *s, uint32_t groups)
{
    uint32_t g, cs, stride, streams, stream_stride;
    uint64_t csg;

    if (!mali_fw_read(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_GROUP_STRIDE, &stride)) {
        return false;
    }
    s->csg_stride = stride;
    for (g = 0; g < groups; g++) {
        csg = MALI_FW_SHARED_VA + MALI_CSG_CONTROL_OFFSET + (uint64_t)g * stride;
        if (!mali_fw_write(s, csg + MALI_CSG_CONTROL_FEATURES, 0) ||
            !mali_fw_write(s, csg + MALI_CSG_CONTROL_SUSPEND_SIZE,
                           MALI_FW_CSG_SUSPEND_SIZE) ||
            !mali_fw_write(s, csg + MALI_CSG_CONTROL_PROTM_SUSPEND_SIZE,
                           MALI_FW_CSG_PROTM_SUSPEND_SIZE) ||
            !mali_fw_read(s, csg + MALI_CSG_CONTROL_STREAM_NUM, &streams) ||
            !mali_fw_read(s, csg + MALI_CSG_CONTROL_STREAM_STRIDE, &stream_stride)) {
            return false;
        }
        if (streams == 0 || streams > 32 || stream_stride < 12) {
            qemu_log_mask(LOG_GUEST_ERROR, "mali: firmware image has a bad CSG%u layout\n", g);
            return false;
        }
        for (cs = 0; cs < streams; cs++) {
            if (!mali_fw_write(s, csg + MALI_CS_CONTROL_OFFSET +
                               (uint64_t)cs * stream_stride + MALI_CS_CONTROL_FEATURES,
                               MALI_FW_CS_FEATURES)) {
                return false;
            }
        }
    }
    return true;
}

void mali_fw_boot(MaliState *s)
{
    uint32_t groups, input_va, output_va;

    s->fw_booted = false;
    /*
     * The image's SHARED section carries the layout (group count, input and
     * output pages); the running firmware fills in what it is.
     */
    if (!mali_fw_write(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_VERSION, MALI_FW_IFACE_VERSION) ||
        !mali_fw_write(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_FEATURES, MALI_FW_FEATURES) ||
        !mali_fw_write(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_INSTR_FEATURES,
                       MALI_FW_INSTR_FEATURES) ||
        !mali_fw_read(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_GROUP_NUM, &groups) ||
        !mali_fw_read(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_INPUT_VA, &input_va) ||
        !mali_fw_read(s, MALI_FW_SHARED_VA + MALI_GLB_CONTROL_OUTPUT_VA, &output_va)) {
        /* No firmware where the MCU expects it: the MCU stays silent. */
        qemu_log_mask(LOG_GUEST_ERROR, "mali: MCU enabled without a SHARED section\n");
        return;
    }
    if (!mali_fw_describe_groups(s, groups)) {
        return;
    }
    trace_mali_fw_boot(MALI_FW_IFACE_VERSION, groups, input_va, output_va);
    mali_cs_reset(s);
    s->csg_count = groups;
    s->glb_input_va = input_va;
    s->glb_output_va = output_va;
    s->fw_booted = true;
    mali_fw_raise_glb_irq(s);
}

void mali_fw_glb_doorbell(MaliState *s)
{
    uint32_t req, ack, irq_mask, new_ack;
    bool halt;

    if (!s->fw_booted ||
        !mali_fw_read(s, s->glb_input_va + MALI_GLB_INPUT_REQ, &req) ||
        !mali_fw_read(s, s->glb_input_va + MALI_GLB_INPUT_ACK_IRQ_MASK, &irq_mask) ||
        !mali_fw_read(s, s->glb_output_va + MALI_GLB_OUTPUT_ACK, &ack)) {
        return;
    }
    new_ack = (ack & ~MALI_GLB_REQ_MASK) | (req & MALI_GLB_REQ_MASK);
    /*
     * Every request bit is a toggle, except HALT, which the firmware acts on
     * only on a 0 -> 1 transition: the driver clears it before rebooting a
     * halted MCU, and that must not halt it again.
     */
    halt = (req & MALI_GLB_REQ_HALT) && !(ack & MALI_GLB_REQ_HALT);
    trace_mali_fw_glb_req(req, new_ack);
    if (halt) {
        mali_fw_write(s, s->glb_output_va + MALI_GLB_OUTPUT_HALT_STATUS, 0);
    }
    if (!mali_fw_write(s, s->glb_output_va + MALI_GLB_OUTPUT_ACK, new_ack)) {
        return;
    }
    if (halt) {
        mali_mcu_halted(s);
    }
    if ((ack ^ new_ack) & irq_mask) {
        mali_fw_raise_glb_irq(s);
    }
    if (s->fw_booted &&
        mali_fw_read(s, s->glb_input_va + MALI_GLB_INPUT_DOORBELL_REQ, &req) &&
        mali_fw_read(s, s->glb_output_va + MALI_GLB_OUTPUT_DOORBELL_ACK, &ack) && req != ack) {
        /* Group doorbells are requests too: acknowledge, then serve them. */
        mali_fw_write(s, s->glb_output_va + MALI_GLB_OUTPUT_DOORBELL_ACK, req);
        mali_cs_csg_doorbells(s, req ^ ack);
    }
}
