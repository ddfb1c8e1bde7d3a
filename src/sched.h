/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SCHED_H
#define PRC_SCHED_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "fw.h"

struct prc_device;
struct prc_group;
struct prc_vm;

/* Address spaces the GPU may have; AS 0 is the MCU's. */
#define PRC_MAX_AS	16

/**
 * struct prc_sched - puts command stream groups on the firmware's CSG slots
 */
struct prc_sched {
	/**
	 * @lock: protects everything below that is not atomic, the
	 * scheduler's members of every struct prc_group, the CSG and CS
	 * input pages, and the AS slot of every user VM. Taken in the
	 * dma-fence signalling path (run_job, the event work): nothing may
	 * allocate under it. Lock order: @lock, then &prc_queue.fence_lock,
	 * &prc_vm.op_lock, &prc_mmu.lock.
	 */
	struct mutex lock;
	/** @wq: ordered workqueue of @tick_work and @event_work */
	struct workqueue_struct *wq;
	/** @tick_work: assigns slots; re-armed while groups wait for one */
	struct delayed_work tick_work;
	/** @event_work: handles the firmware's CSG and CS events */
	struct work_struct event_work;
	/**
	 * @reset_work: resets the GPU and reboots the firmware when it stopped
	 * answering; on system_unbound_wq, since the tick may be what failed
	 */
	struct work_struct reset_work;
	/** @resets: GPU resets done, for debugfs */
	atomic_t resets;
	/** @pending: CSG slots with unhandled events, set from the job IRQ */
	atomic_t pending;
	/** @slots: the group on each CSG slot, or NULL */
	struct prc_group *slots[PRC_FW_MAX_CSGS];
	/** @waiting: groups with work and no slot, in arrival order */
	struct list_head waiting;
	/** @groups: every group that is not dead */
	struct list_head groups;
	/** @as_count: address spaces the GPU has (AS 0 included) */
	u32 as_count;
	/** @as_vm: the user VM bound to each address space, or NULL */
	struct prc_vm *as_vm[PRC_MAX_AS];
	/** @as_users: groups on a slot that run in each address space */
	u32 as_users[PRC_MAX_AS];
	/** @as_last_used: jiffies each address space lost its last user */
	unsigned long as_last_used[PRC_MAX_AS];
	/**
	 * @powered: the tick holds a runtime-PM reference, taken when groups
	 * want to run and dropped when no group is on a slot or waiting.
	 * Changed only by the tick (and read by it without the lock), and
	 * once the tick is cancelled, by the teardown.
	 */
	bool powered;
	/** @suspended: the GPU is (being) powered off: nothing may start */
	bool suspended;
};

int prc_sched_setup(struct prc_device *pdev);
void prc_sched_group_add(struct prc_group *group);
bool prc_sched_kick(struct prc_group *group);
void prc_sched_group_kill(struct prc_group *group, int error);
void prc_sched_vm_gone(struct prc_vm *vm);
void prc_sched_suspend(struct prc_device *pdev);
void prc_sched_resume(struct prc_device *pdev);
void prc_sched_schedule_reset(struct prc_device *pdev);

#endif /* PRC_SCHED_H */
