/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SCHED_H
#define PRC_SCHED_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <drm/gpu_scheduler.h>

#include "fw.h"

struct prc_device;
struct prc_kbo;
struct prc_vm;

/*
 * The execution layer's objects: command stream groups and their queues.
 * group.c builds them for GROUP_CREATE and hands out their handles, job.c
 * runs jobs on the queues, and sched.c puts the groups on CSG slots and
 * frees them when their last reference goes (prc_group_put()).
 */

/* Most queues a group may have in the uAPI; the firmware may offer fewer. */
#define PRC_MAX_QUEUES_PER_GROUP	32

/**
 * struct prc_syncobj64 - the GPU-side sync object of a queue
 * @seqno: sequence number of the last job the queue finished; the ring
 *	adds 1 at the end of every job
 * @status: error status, written by the GPU
 * @pad: keeps the next queue's object 16-byte aligned
 */
struct prc_syncobj64 {
	u64 seqno;
	u32 status;
	u32 pad;
};

/**
 * struct prc_job_prof - GPU cycle counter before and after a job's stream
 * @cycles_before: stored by the ring before the CALL
 * @cycles_after: stored once everything the stream started is done
 */
struct prc_job_prof {
	u64 cycles_before;
	u64 cycles_after;
};

/**
 * struct prc_queue - one queue of a group: a ring, a drm_sched and its fences
 *
 * All members but those naming a lock are immutable after creation.
 */
struct prc_queue {
	/** @group: the group (not referenced: the group owns its queues) */
	struct prc_group *group;
	/** @index: the queue's index in its group, and its stream in the CSG slot */
	u32 index;
	/** @priority: stream priority within the group, 0..15 */
	u8 priority;
	/** @ringbuf: the ring buffer, in the group's VM, CPU-mapped */
	struct prc_kbo *ringbuf;
	/** @ring: CPU view of @ringbuf */
	u64 *ring;
	/** @ring_size: bytes in @ringbuf, a power of two */
	u32 ring_size;
	/** @iface: ring input/output pages in the MCU's VM */
	struct prc_kbo *iface;
	/** @input: ring input page: u64 insert, u64 extract (host-written) */
	u64 *input;
	/** @output: ring output page: u64 extract (firmware-written) */
	const u64 *output;
	/** @input_va: MCU VA of @input */
	u32 input_va;
	/** @output_va: MCU VA of @output */
	u32 output_va;
	/** @syncobj: CPU view of this queue's sync object */
	const struct prc_syncobj64 *syncobj;
	/** @syncobj_va: GPU VA of this queue's sync object, in the group's VM */
	u64 syncobj_va;
	/**
	 * @prof: one struct prc_job_prof per ring slot, where the ring stores
	 * the GPU cycle counter around each job; in the group's VM, CPU-mapped
	 */
	struct prc_kbo *prof;
	/** @prof_map: CPU view of @prof */
	const struct prc_job_prof *prof_map;
	/**
	 * @insert: bytes ever written to the ring. Written by run_job only,
	 * which drm_sched serialises per queue.
	 */
	u64 insert;
	/** @sched: the queue's drm_sched instance, one ring */
	struct drm_gpu_scheduler sched;
	/** @entity: the only entity of @sched */
	struct drm_sched_entity entity;
	/** @sched_ready: @sched and @entity are set up (prc_queue_free() tears them down) */
	bool sched_ready;
	/** @fence_ctx: dma-fence context of the ring's hardware fences */
	u64 fence_ctx;
	/**
	 * @fence_lock: protects @in_flight and @emitted; the lock of every
	 * hardware fence of this queue. Taken from the event work, never
	 * around an allocation.
	 */
	spinlock_t fence_lock;
	/** @emitted: seqno of the last job put on the ring; under @fence_lock */
	u64 emitted;
	/** @in_flight: struct prc_job on the ring, oldest first; under @fence_lock */
	struct list_head in_flight;
};

/**
 * struct prc_group_stats - GPU use of a group's finished jobs, for fdinfo
 * @time_ns: time from the job reaching its ring to its completion
 * @cycles: GPU cycles between the start and end of the jobs' streams, as
 *	the GPU's cycle counter saw them
 */
struct prc_group_stats {
	atomic64_t time_ns;
	atomic64_t cycles;
};

/**
 * enum prc_group_state - where a group's state lives
 * @PRC_GROUP_NEW: never ran; its streams start from scratch
 * @PRC_GROUP_ACTIVE: on a CSG slot
 * @PRC_GROUP_SUSPENDED: off slot, state saved in its suspend buffer
 * @PRC_GROUP_DEAD: terminated (fault, timeout, destroyed, device gone);
 *	it never runs again
 */
enum prc_group_state {
	PRC_GROUP_NEW,
	PRC_GROUP_ACTIVE,
	PRC_GROUP_SUSPENDED,
	PRC_GROUP_DEAD,
};

/**
 * struct prc_core_quota - the shader or tiler units one kind of a group's work may use
 * @mask: the units it may run on (a subset of those present)
 * @max: how many of them it may use at once (at most the bits in @mask)
 */
struct prc_core_quota {
	u64 mask;
	u8 max;
};

/**
 * struct prc_group - a command stream group
 *
 * Members up to @queues are set while GROUP_CREATE builds the group, before
 * anybody else can see it, and never change afterwards. The scheduler's
 * members are under &prc_sched.lock; @timedout, @innocent and
 * @fatal_queues are also read without it (READ_ONCE) by GROUP_GET_STATE
 * and GROUP_SUBMIT.
 */
struct prc_group {
	/** @refcount: the handle, every job and the scheduler's work hold one */
	struct kref refcount;
	/** @pdev: the device */
	struct prc_device *pdev;
	/** @vm: the VM its streams run in (referenced) */
	struct prc_vm *vm;
	/** @priority: PANTHOR_GROUP_PRIORITY_* */
	u8 priority;
	/** @compute: shader cores for compute work */
	struct prc_core_quota compute;
	/** @fragment: shader cores for fragment work */
	struct prc_core_quota fragment;
	/** @tiler: tiler units for tiling work */
	struct prc_core_quota tiler;
	/** @syncobjs: one struct prc_syncobj64 per queue, in @vm, CPU-viewed */
	struct prc_kbo *syncobjs;
	/** @suspend_buf: where the firmware saves the group's state (MCU VM) */
	struct prc_kbo *suspend_buf;
	/** @protm_suspend_buf: the same for protected mode (MCU VM) */
	struct prc_kbo *protm_suspend_buf;
	/** @queue_count: number of @queues */
	u32 queue_count;
	/** @queues: the queues */
	struct prc_queue *queues[PRC_MAX_QUEUES_PER_GROUP];

	/** @state: where the group's state lives; under &prc_sched.lock */
	enum prc_group_state state;
	/** @csg_slot: the CSG slot while ACTIVE, else -1; under &prc_sched.lock */
	int csg_slot;
	/**
	 * @node: in &prc_sched.waiting while the group has work and no slot;
	 * empty otherwise; under &prc_sched.lock
	 */
	struct list_head node;
	/** @all_node: in &prc_sched.groups while not DEAD; under &prc_sched.lock */
	struct list_head all_node;
	/** @idle: the firmware reported the slot idle; under &prc_sched.lock */
	bool idle;
	/** @slot_since: jiffies when it got its slot, for time-slicing */
	unsigned long slot_since;
	/** @last_active: jiffies it last got work, for idle eviction */
	unsigned long last_active;
	/** @timedout: a job of the group timed out, or a GPU reset lost the group */
	bool timedout;
	/** @innocent: a GPU reset the group did not cause lost it (with @timedout) */
	bool innocent;
	/** @fatal_queues: queues that hit a fatal error */
	u32 fatal_queues;
	/** @release_work: frees the group where drm_sched_fini() may sleep */
	struct work_struct release_work;
	/** @stats: what its jobs used, for fdinfo */
	struct prc_group_stats stats;
};

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
void prc_group_put(struct prc_group *group);
void prc_sched_group_add(struct prc_group *group);
bool prc_sched_kick(struct prc_group *group);
void prc_sched_group_kill(struct prc_group *group, int error);
void prc_sched_vm_gone(struct prc_vm *vm);
void prc_sched_suspend(struct prc_device *pdev);
void prc_sched_resume(struct prc_device *pdev);
void prc_sched_schedule_reset(struct prc_device *pdev);

#endif /* PRC_SCHED_H */
