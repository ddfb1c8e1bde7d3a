/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_FW_IFACE_H
#define PRC_FW_IFACE_H

/**
 * DOC: CSF firmware interface layout
 *
 * The MCU firmware and the host talk through memory in the firmware's SHARED
 * section (MCU VA 0x04000000): read-only *control* blocks describe the
 * interfaces, *input* pages are written by the host and *output* pages by the
 * firmware. Requests and events are bits that differ between an input REQ
 * and the matching output ACK word. These structures pin the layout; the
 * static_asserts below keep every offset where the firmware expects it.
 */

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define PRC_FW_SHARED_VA		0x04000000u
#define PRC_FW_CSG_CONTROL_OFFSET	0x1000u
#define PRC_FW_CS_CONTROL_OFFSET	0x40u
#define PRC_FW_IFACE_VERSION(maj, min, patch)	(((maj) << 24) | ((min) << 16) | (patch))

/* Global interface: control block at the start of the SHARED section */
struct prc_fw_glb_control {
	u32 version;
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 group_num;
	u32 group_stride;
	u32 perfcnt_size;
	u32 instr_features;
};

#define PRC_GLB_HALT			BIT(0)
#define PRC_GLB_CFG_PROGRESS_TIMER	BIT(1)
#define PRC_GLB_CFG_ALLOC_EN		BIT(2)
#define PRC_GLB_CFG_POWEROFF_TIMER	BIT(3)
/* A level, not a toggle: the timestamp counter reaches the shader cores coherently. */
#define PRC_GLB_COUNTER_EN		BIT(7)
#define PRC_GLB_PING			BIT(8)
#define PRC_GLB_IDLE_EN			BIT(10)
#define PRC_GLB_IDLE			BIT(26)
#define PRC_GLB_TIMER_GPU_COUNTER	BIT(31)

struct prc_fw_glb_input {
	u32 req;
	u32 ack_irq_mask;
	u32 doorbell_req;
	u32 reserved1;
	u32 progress_timer;
	u32 poweroff_timer;
	u64 core_en_mask;
	u32 reserved2[24];	/* performance counter set-up, unused */
	u32 idle_timer;
};

struct prc_fw_glb_output {
	u32 ack;
	u32 reserved1;
	u32 doorbell_ack;
	u32 reserved2;
	u32 halt_status;
};

/* Command stream group (CSG) slot n: control block at 0x1000 + n * group_stride */
struct prc_fw_csg_control {
	u32 features;
	u32 input_va;
	u32 output_va;
	u32 suspend_size;
	u32 protm_suspend_size;
	u32 stream_num;
	u32 stream_stride;
};

#define PRC_CSG_STATE_MASK		GENMASK(2, 0)
#define PRC_CSG_STATE_TERMINATE		0
#define PRC_CSG_STATE_START		1
#define PRC_CSG_STATE_SUSPEND		2
#define PRC_CSG_STATE_RESUME		3
#define PRC_CSG_ENDPOINT_CONFIG		BIT(4)
#define PRC_CSG_STATUS_UPDATE		BIT(5)
#define PRC_CSG_SYNC_UPDATE		BIT(28)
#define PRC_CSG_IDLE			BIT(29)
#define PRC_CSG_PROGRESS_TIMER_EVENT	BIT(31)

struct prc_fw_csg_input {
	u32 req;
	u32 ack_irq_mask;
	u32 doorbell_req;
	u32 cs_irq_ack;
	u32 reserved1[4];
	u64 allow_compute;
	u64 allow_fragment;
	u32 allow_other;
	u32 endpoint_req;
	u32 reserved2[2];
	u64 suspend_buf;
	u64 protm_suspend_buf;
	u32 config;
	u32 iter_trace_config;
};

struct prc_fw_csg_output {
	u32 ack;
	u32 reserved1;
	u32 doorbell_ack;
	u32 cs_irq_req;
	u32 status_endpoint_current;
	u32 status_endpoint_req;
	u32 status_state;
	u32 resource_dep;
};

/* Command stream (CS) n of a group: control block at +0x40 + n * stream_stride */
struct prc_fw_cs_control {
	u32 features;
	u32 input_va;
	u32 output_va;
};

#define PRC_CS_FEATURES_WORK_REGS(f)	(((f) & 0xff) + 1)

struct prc_fw_cs_input {
	u32 req;
	u32 config;
	u32 reserved1;
	u32 ack_irq_mask;
	u64 ringbuf_base;
	u32 ringbuf_size;
	u32 reserved2;
	u64 heap_start;
	u64 heap_end;
	u64 ringbuf_input;
	u64 ringbuf_output;
	u32 instr_config;
	u32 instrbuf_size;
	u64 instrbuf_base;
	u64 instrbuf_offset_ptr;
};

struct prc_fw_cs_output {
	u32 ack;
	u32 reserved1[15];
	u64 status_cmd_ptr;
	u32 status_wait;
	u32 status_req_resource;
	u64 status_wait_sync_ptr;
	u32 status_wait_sync_value;
	u32 status_scoreboards;
	u32 status_blocked_reason;
	u32 status_wait_sync_value_hi;
	u32 reserved2[6];
	u32 fault;
	u32 fatal;
	u64 fault_info;
	u64 fatal_info;
	u32 reserved3[10];
	u32 heap_vt_start;
	u32 heap_vt_end;
	u32 reserved4;
	u32 heap_frag_end;
	u64 heap_address;
};

static_assert(sizeof(struct prc_fw_glb_control) == 0x20);
static_assert(offsetof(struct prc_fw_glb_input, core_en_mask) == 0x18);
static_assert(offsetof(struct prc_fw_glb_input, idle_timer) == 0x80);
static_assert(offsetof(struct prc_fw_glb_output, halt_status) == 0x10);
static_assert(offsetof(struct prc_fw_csg_control, stream_stride) == 0x18);
static_assert(offsetof(struct prc_fw_csg_input, allow_compute) == 0x20);
static_assert(offsetof(struct prc_fw_csg_input, endpoint_req) == 0x34);
static_assert(offsetof(struct prc_fw_csg_input, suspend_buf) == 0x40);
static_assert(offsetof(struct prc_fw_csg_input, config) == 0x50);
static_assert(offsetof(struct prc_fw_csg_output, status_state) == 0x18);
static_assert(offsetof(struct prc_fw_cs_input, heap_start) == 0x20);
static_assert(offsetof(struct prc_fw_cs_input, ringbuf_input) == 0x30);
static_assert(offsetof(struct prc_fw_cs_input, instrbuf_offset_ptr) == 0x50);
static_assert(offsetof(struct prc_fw_cs_output, status_cmd_ptr) == 0x40);
static_assert(offsetof(struct prc_fw_cs_output, status_blocked_reason) == 0x60);
static_assert(offsetof(struct prc_fw_cs_output, fault) == 0x80);
static_assert(offsetof(struct prc_fw_cs_output, heap_vt_start) == 0xc0);
static_assert(offsetof(struct prc_fw_cs_output, heap_address) == 0xd0);

#endif /* PRC_FW_IFACE_H */
