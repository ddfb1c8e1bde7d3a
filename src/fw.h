/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_FW_H
#define PRC_FW_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "fw_iface.h"

struct prc_device;
struct prc_kbo;
struct prc_vm;

/* Limits of the firmware interface: CSG slots, and streams per slot. */
#define PRC_FW_MAX_CSGS			31
#define PRC_FW_MAX_CS			32

/**
 * struct prc_fw_cs_iface - the interface pages of one stream of a CSG slot
 * @in: input page (host-written; @in->req under &prc_sched.lock)
 * @out: output page (firmware-written)
 */
struct prc_fw_cs_iface {
	struct prc_fw_cs_input *in;
	const struct prc_fw_cs_output *out;
};

/**
 * struct prc_fw_csg_iface - the interface pages of a CSG slot
 * @in: input page (host-written, under &prc_sched.lock)
 * @out: output page (firmware-written)
 * @cs: its streams, &prc_fw.cs_count of them
 */
struct prc_fw_csg_iface {
	struct prc_fw_csg_input *in;
	const struct prc_fw_csg_output *out;
	struct prc_fw_cs_iface cs[PRC_FW_MAX_CS];
};

/**
 * struct prc_fw_events - what the firmware tells the layer above
 *
 * fw.c knows nothing of groups or of recovery: it passes these events to
 * whoever registered with prc_fw_set_events() (the scheduler), and drops
 * them while nobody is registered.
 */
struct prc_fw_events {
	/**
	 * @csg_irq: the CSG slots in @slots raised their bit of the job IRQ
	 * (requests to acknowledge, sync updates, stream events). Called in
	 * hard-IRQ context: must not sleep.
	 */
	void (*csg_irq)(struct prc_device *pdev, u32 slots);
	/**
	 * @unresponsive: the firmware did not answer the watchdog ping; the
	 * handler is expected to reset the GPU, which reboots the firmware
	 * (prc_fw_resume()). Called from a work item.
	 */
	void (*unresponsive)(struct prc_device *pdev);
};

/**
 * struct prc_fw - the MCU, its firmware image and the global interface
 */
struct prc_fw {
	/**
	 * @vm: the MCU's VM, bound to address space 0 from boot until the
	 * MCU is stopped at unload; one reference, set in probe and dropped
	 * in remove (kernel BOs in it keep it alive past that). Its locks
	 * protect its mappings.
	 */
	struct prc_vm *vm;
	/** @sections: struct prc_fw_section list, in image order; immutable after load */
	struct list_head sections;
	/** @shared: the section holding the interfaces (MCU VA 0x04000000) */
	struct prc_fw_section *shared;
	/** @glb_ctrl: global control block, firmware-written */
	const struct prc_fw_glb_control *glb_ctrl;
	/** @glb_in: global input page; @glb_in->req only under @req_lock */
	struct prc_fw_glb_input *glb_in;
	/** @glb_out: global output page, firmware-written */
	const struct prc_fw_glb_output *glb_out;
	/** @csg_count: command stream group slots the firmware offers */
	u32 csg_count;
	/** @cs_count: command streams per group slot */
	u32 cs_count;
	/** @cs_features: FEATURES of the streams (all identical): registers, scoreboards */
	u32 cs_features;
	/** @csg_suspend_size: bytes of a group's suspend buffer (all slots alike) */
	u32 csg_suspend_size;
	/** @csg_protm_suspend_size: bytes of a group's protected-mode suspend buffer */
	u32 csg_protm_suspend_size;
	/** @csg_stride: bytes between the control blocks of CSG slots */
	u32 csg_stride;
	/** @cs_stride: bytes between the control blocks of a slot's streams */
	u32 cs_stride;
	/** @csg: every CSG slot's interface, @csg_count of them; set at boot */
	struct prc_fw_csg_iface csg[PRC_FW_MAX_CSGS];
	/**
	 * @req_lock: serialises read-modify-write of the global REQ word, which
	 * the ping worker and the rest of the driver both toggle.
	 */
	spinlock_t req_lock;
	/** @wq: woken by every job interrupt (boot, acknowledgements) */
	wait_queue_head_t wq;
	/** @booted: the MCU raised its first global interrupt; set from the IRQ handler */
	bool booted;
	/** @booted_once: the firmware booted before (resumes log nothing) */
	bool booted_once;
	/** @ping_work: the 12-second watchdog ping */
	struct delayed_work ping_work;
	/**
	 * @events: the handlers of firmware events, or NULL; written by
	 * prc_fw_set_events(), read with READ_ONCE() by the job IRQ and
	 * @ping_work
	 */
	const struct prc_fw_events *events;
};

int prc_fw_init(struct prc_device *pdev);
void prc_fw_set_events(struct prc_device *pdev, const struct prc_fw_events *events);
void prc_fw_ring_csgs(struct prc_device *pdev, u32 slots);
void prc_fw_suspend(struct prc_device *pdev);
int prc_fw_resume(struct prc_device *pdev);
struct prc_vm *prc_fw_vm(struct prc_device *pdev);
struct prc_kbo *prc_fw_alloc_queue_iface(struct prc_device *pdev, void **input, void **output,
					 u32 *input_va, u32 *output_va);
struct prc_kbo *prc_fw_alloc_suspend_buf(struct prc_device *pdev, size_t size);

#endif /* PRC_FW_H */
