// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: CSG slot scheduling
 *
 * The firmware runs a group only while it sits on one of its command stream
 * group (CSG) slots, eight on the G610, and only in an address space (AS)
 * the host bound to the group's VM, seven for user VMs. Userspace may create
 * far more groups and VMs than that, so the host time-shares both.
 *
 * A group that gets work (run_job put a job on one of its rings) and has no
 * slot joins &prc_sched.waiting and the tick runs. The tick frees slots by
 * suspending groups that have nothing left to do or that the firmware
 * reported idle (blocked on a sync object); when groups still wait, it
 * suspends groups that held a slot for a whole time slice and have no
 * higher priority than the best waiting one. Suspended groups keep their
 * state in their suspend buffer and resume later, transparently. Each
 * group placed on a slot needs its VM in an address space: a VM keeps its
 * AS while it has no user, until another VM needs one (least recently used
 * first).
 *
 * The firmware reports through the job IRQ: per slot, sync-object updates
 * (jobs finished), idleness, and per-stream events (fatal errors, tiler
 * heap out of memory). The event work acknowledges them, signals the
 * fences of finished jobs and kills groups that hit a fatal error.
 *
 * Power: the tick takes a runtime-PM reference when groups want to run and
 * drops it when no group is on a slot or waiting, so the GPU autosuspends
 * when idle. A group that had nothing to do for PRC_SCHED_IDLE_MS leaves
 * its slot (its state goes to its suspend buffer), which is what lets the
 * GPU sleep while clients keep idle groups around.
 *
 * Everything here runs under &prc_sched.lock and, for firmware
 * acknowledgements, waits on &prc_fw.wq; nothing allocates, so the lock may
 * sit in the dma-fence signalling path.
 */

#include <linux/dma-fence.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/pm_runtime.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <drm/drm_print.h>

#include "device.h"
#include "heap.h"
#include "job.h"
#include "kbo.h"
#include "regs.h"
#include "sched.h"
#include "vm.h"
#include "../include/uapi/drm/panthor_drm.h"

/* A group keeps its slot at least this long when others wait for one. */
#define PRC_SCHED_TIME_SLICE_MS		10
/* A group with no work leaves its slot after this long. */
#define PRC_SCHED_IDLE_MS		50
/* How long the firmware may take to start, suspend or terminate a group. */
#define PRC_SCHED_ACK_TIMEOUT_MS	1000

#define PRC_CS_STATE_MASK		GENMASK(2, 0)
#define PRC_CS_STATE_STOP		0
#define PRC_CS_STATE_START		1
#define PRC_CS_TILER_OOM		BIT(26)
#define PRC_CS_FATAL			BIT(30)
#define PRC_CS_FAULT			BIT(31)
#define PRC_CS_EVENTS			(PRC_CS_TILER_OOM | PRC_CS_FATAL | PRC_CS_FAULT)
#define PRC_CS_CONFIG(prio, doorbell)	((prio) | ((doorbell) << 8))
#define PRC_CSG_EVENTS			(PRC_CSG_SYNC_UPDATE | PRC_CSG_IDLE | \
					 PRC_CSG_PROGRESS_TIMER_EVENT)
#define PRC_CSG_STATUS_IDLE		BIT(0)
#define PRC_CSG_EP(compute, fragment, tiler, prio) \
	((compute) | ((fragment) << 8) | ((u32)(tiler) << 16) | ((u32)(prio) << 28))

/* Each set bit of a u32 (for_each_set_bit() wants an unsigned long array). */
#define prc_for_each_bit(bit, mask) \
	for (u32 __m = (mask); __m && ((bit) = __ffs(__m), true); __m &= __m - 1)

static struct prc_sched *to_sched(struct prc_group *group)
{
	return &group->pdev->sched;
}

/* Run the tick after @delay_ms, unless the scheduler is gone; under the lock. */
static void prc_sched_retick(struct prc_sched *sched, unsigned int delay_ms)
{
	lockdep_assert_held(&sched->lock);
	if (sched->wq)
		mod_delayed_work(sched->wq, &sched->tick_work, msecs_to_jiffies(delay_ms));
}

/* Run the tick in @delay_ms at the latest (an earlier run stays as it is). */
static void prc_sched_tick_within(struct prc_sched *sched, unsigned int delay_ms)
{
	lockdep_assert_held(&sched->lock);
	if (sched->wq)
		queue_delayed_work(sched->wq, &sched->tick_work, msecs_to_jiffies(delay_ms));
}

/* The stream's doorbell: slot n uses doorbell n + 1 (0 is the global one). */
static u32 prc_slot_doorbell(int slot)
{
	return slot + 1;
}

static bool prc_group_has_work(struct prc_group *group)
{
	u32 i;

	for (i = 0; i < group->queue_count; i++)
		if (prc_queue_busy(group->queues[i]))
			return true;
	return false;
}

/*
 * An address space for @vm: the one it has, a free one, or the least
 * recently used one without users. -EBUSY when every AS runs groups.
 */
static int prc_sched_as_get(struct prc_device *pdev, struct prc_vm *vm)
{
	struct prc_sched *sched = &pdev->sched;
	int as, best = -1;

	lockdep_assert_held(&sched->lock);
	if (vm->as > 0) {
		sched->as_users[vm->as]++;
		return vm->as;
	}
	for (as = 1; as < sched->as_count; as++) {
		if (!sched->as_vm[as]) {
			best = as;
			break;
		}
		if (!sched->as_users[as] &&
		    (best < 0 || time_before(sched->as_last_used[as], sched->as_last_used[best])))
			best = as;
	}
	if (best < 0)
		return -EBUSY;
	if (sched->as_vm[best]) {
		prc_vm_as_disable(sched->as_vm[best]);
		sched->as_vm[best] = NULL;
	}
	if (prc_vm_as_enable(vm, best))
		return -EIO;
	sched->as_vm[best] = vm;
	sched->as_users[best] = 1;
	return best;
}

static void prc_sched_as_put(struct prc_device *pdev, struct prc_vm *vm)
{
	struct prc_sched *sched = &pdev->sched;

	lockdep_assert_held(&sched->lock);
	if (drm_WARN_ON(&pdev->base, vm->as <= 0 || !sched->as_users[vm->as]))
		return;
	if (!--sched->as_users[vm->as])
		sched->as_last_used[vm->as] = jiffies;
}

/**
 * prc_sched_vm_gone() - forget the address space of a VM being freed
 * @vm: a user VM whose last reference is gone
 *
 * A VM keeps its AS while no group runs in it; when it is freed, the AS is
 * disabled and returned. Must not be called under &prc_sched.lock.
 */
void prc_sched_vm_gone(struct prc_vm *vm)
{
	struct prc_sched *sched = &vm->pdev->sched;

	mutex_lock(&sched->lock);
	if (vm->as > 0 && sched->as_vm[vm->as] == vm) {
		drm_WARN_ON(&vm->pdev->base, sched->as_users[vm->as]);
		sched->as_vm[vm->as] = NULL;
		prc_vm_as_disable(vm);
	}
	mutex_unlock(&sched->lock);
}

/* Wait until the firmware acknowledged the state request of every slot in @mask. */
static int prc_sched_wait_state(struct prc_device *pdev, u32 mask)
{
	struct prc_fw *fw = &pdev->fw;
	u32 pending = mask;
	long left;

	left = wait_event_timeout(fw->wq, ({
		u32 s;

		prc_for_each_bit(s, mask)
			if (!((READ_ONCE(fw->csg[s].in->req) ^ READ_ONCE(fw->csg[s].out->ack)) &
			      PRC_CSG_STATE_MASK))
				pending &= ~BIT(s);
		!pending;
	}), msecs_to_jiffies(PRC_SCHED_ACK_TIMEOUT_MS));
	if (left)
		return 0;
	drm_err(&pdev->base, "firmware did not change the state of CSG slots 0x%x\n", pending);
	prc_sched_schedule_reset(pdev);
	return -ETIMEDOUT;
}

/* Ask slot @slot to enter @state (START, SUSPEND, RESUME, TERMINATE). */
static void prc_slot_request(struct prc_device *pdev, int slot, u32 state)
{
	struct prc_fw_csg_input *in = pdev->fw.csg[slot].in;

	WRITE_ONCE(in->req, (READ_ONCE(in->req) & ~PRC_CSG_STATE_MASK) | state);
}

/* Program the streams and the slot for @group and request its start. */
static void prc_slot_program(struct prc_group *group, int slot, int as)
{
	struct prc_device *pdev = group->pdev;
	struct prc_fw_csg_iface *csg = &pdev->fw.csg[slot];
	u32 i, streams = 0, prio = group->priority * 4 + 2;

	for (i = 0; i < pdev->fw.cs_count; i++) {
		struct prc_fw_cs_input *in = csg->cs[i].in;
		struct prc_queue *queue = i < group->queue_count ? group->queues[i] : NULL;
		u32 state = PRC_CS_STATE_STOP;

		if (queue) {
			in->ringbuf_base = prc_kbo_va(queue->ringbuf);
			in->ringbuf_size = queue->ring_size;
			in->ringbuf_input = queue->input_va;
			in->ringbuf_output = queue->output_va;
			in->config = PRC_CS_CONFIG(queue->priority, prc_slot_doorbell(slot));
			in->ack_irq_mask = PRC_CS_EVENTS;
			/* A fresh stream starts where the firmware last stopped reading. */
			if (group->state == PRC_GROUP_NEW)
				WRITE_ONCE(queue->input[1], READ_ONCE(queue->output[0]));
			state = PRC_CS_STATE_START;
		} else {
			in->ringbuf_size = 0;
		}
		WRITE_ONCE(in->req, (READ_ONCE(in->req) & ~PRC_CS_STATE_MASK) | state);
		streams |= BIT(i);
	}
	csg->in->allow_compute = group->compute.mask;
	csg->in->allow_fragment = group->fragment.mask;
	csg->in->allow_other = group->tiler.mask;
	csg->in->endpoint_req = PRC_CSG_EP(group->compute.max, group->fragment.max,
					   group->tiler.max, prio);
	csg->in->suspend_buf = prc_kbo_va(group->suspend_buf);
	csg->in->protm_suspend_buf = prc_kbo_va(group->protm_suspend_buf);
	csg->in->config = as;
	csg->in->ack_irq_mask = ~0u;
	WRITE_ONCE(csg->in->doorbell_req, READ_ONCE(csg->in->doorbell_req) ^ streams);
	WRITE_ONCE(csg->in->req, READ_ONCE(csg->in->req) ^ PRC_CSG_ENDPOINT_CONFIG);
	prc_slot_request(pdev, slot, group->state == PRC_GROUP_NEW ?
			 PRC_CSG_STATE_START : PRC_CSG_STATE_RESUME);
}

/* Take @group off its slot (after the firmware acknowledged). */
static void prc_slot_release(struct prc_group *group)
{
	struct prc_sched *sched = to_sched(group);

	sched->slots[group->csg_slot] = NULL;
	group->csg_slot = -1;
	prc_sched_as_put(group->pdev, group->vm);
}

/* Put @group back in line if it has work, else leave it off the lists. */
static void prc_group_requeue(struct prc_group *group)
{
	list_del_init(&group->node);
	if (group->state != PRC_GROUP_DEAD && prc_group_has_work(group))
		list_add_tail(&group->node, &to_sched(group)->waiting);
}

/* Suspend the groups on the slots in @mask; their state goes to their suspend buffers. */
static void prc_sched_suspend_slots(struct prc_device *pdev, u32 mask)
{
	struct prc_sched *sched = &pdev->sched;
	bool failed;
	u32 s;

	if (!mask)
		return;
	prc_for_each_bit(s, mask)
		prc_slot_request(pdev, s, PRC_CSG_STATE_SUSPEND);
	prc_fw_ring_csgs(pdev, mask);
	failed = prc_sched_wait_state(pdev, mask);
	prc_for_each_bit(s, mask) {
		struct prc_group *group = sched->slots[s];

		prc_slot_release(group);
		/* A group whose state could not be saved cannot resume. */
		group->state = failed ? PRC_GROUP_DEAD : PRC_GROUP_SUSPENDED;
		if (failed) {
			list_del_init(&group->all_node);
			prc_group_cancel(group, -EIO);
		}
		prc_group_requeue(group);
	}
}

/* The best waiting group: highest priority, then longest waiting. */
static struct prc_group *prc_sched_best_waiting(struct prc_sched *sched)
{
	struct prc_group *group, *best = NULL;

	list_for_each_entry(group, &sched->waiting, node)
		if (!best || group->priority > best->priority)
			best = group;
	return best;
}

/* Choose the slots to free so that waiting groups can run. */
static u32 prc_sched_pick_victims(struct prc_device *pdev, u32 *free_slots)
{
	struct prc_sched *sched = &pdev->sched;
	struct prc_group *best = prc_sched_best_waiting(sched);
	unsigned long slice = msecs_to_jiffies(PRC_SCHED_TIME_SLICE_MS);
	u32 nwaiting = list_count_nodes(&sched->waiting);
	u32 victims = 0, s;

	*free_slots = 0;
	for (s = 0; s < pdev->fw.csg_count; s++) {
		struct prc_group *group = sched->slots[s];
		bool has_work;

		if (!group) {
			*free_slots |= BIT(s);
			continue;
		}
		has_work = prc_group_has_work(group);
		/* Nothing to do, or blocked: the slot is wasted on it. */
		if (best && (!has_work || group->idle))
			victims |= BIT(s);
		/* Nothing to do for a while: free the slot so the GPU can sleep. */
		else if (!has_work && time_after_eq(jiffies, group->last_active +
						    msecs_to_jiffies(PRC_SCHED_IDLE_MS)))
			victims |= BIT(s);
		else if (!has_work)
			prc_sched_tick_within(sched, PRC_SCHED_IDLE_MS);
	}
	if (!best || hweight32(*free_slots | victims) >= nwaiting)
		return victims;
	/* Time-slicing: the ones that used a whole slice, oldest first. */
	while (hweight32(*free_slots | victims) < nwaiting) {
		struct prc_group *oldest = NULL;

		for (s = 0; s < pdev->fw.csg_count; s++) {
			struct prc_group *group = sched->slots[s];

			if (!group || (victims & BIT(s)) || group->priority > best->priority ||
			    time_before(jiffies, group->slot_since + slice))
				continue;
			if (!oldest || time_before(group->slot_since, oldest->slot_since))
				oldest = group;
		}
		if (!oldest)
			break;
		victims |= BIT(oldest->csg_slot);
	}
	return victims;
}

/* Start waiting groups on the free slots in @free, best first. */
static void prc_sched_start_waiting(struct prc_device *pdev, u32 free)
{
	struct prc_sched *sched = &pdev->sched;
	struct prc_group *group, *skipped[PRC_FW_MAX_CSGS];
	u32 started = 0, nskipped = 0, s, i;

	while (free && (group = prc_sched_best_waiting(sched))) {
		int as = prc_sched_as_get(pdev, group->vm);

		list_del_init(&group->node);
		if (as < 0) {
			/* Every AS runs groups: try again on the next tick. */
			if (nskipped < ARRAY_SIZE(skipped))
				skipped[nskipped++] = group;
			else
				list_add_tail(&group->node, &sched->waiting);
			if (nskipped == ARRAY_SIZE(skipped))
				break;
			continue;
		}
		s = __ffs(free);
		free &= ~BIT(s);
		prc_slot_program(group, s, as);
		sched->slots[s] = group;
		group->csg_slot = s;
		group->idle = false;
		group->slot_since = jiffies;
		started |= BIT(s);
	}
	for (i = 0; i < nskipped; i++)
		list_add_tail(&skipped[i]->node, &sched->waiting);
	if (!started)
		return;
	prc_fw_ring_csgs(pdev, started);
	if (prc_sched_wait_state(pdev, started)) {
		prc_for_each_bit(s, started) {
			group = sched->slots[s];
			prc_slot_release(group);
			group->state = PRC_GROUP_DEAD;
			list_del_init(&group->all_node);
			prc_group_cancel(group, -EIO);
		}
		return;
	}
	prc_for_each_bit(s, started)
		sched->slots[s]->state = PRC_GROUP_ACTIVE;
}

/* Whether a group is on a slot. */
static bool prc_sched_any_slot(struct prc_device *pdev)
{
	u32 s;

	for (s = 0; s < pdev->fw.csg_count; s++)
		if (pdev->sched.slots[s])
			return true;
	return false;
}

/*
 * Power the GPU up for waiting groups. Outside the signalling annotation:
 * runtime resume takes clock and power-domain locks we do not own (our own
 * resume callbacks allocate nothing).
 */
static bool prc_sched_power_up(struct prc_device *pdev)
{
	struct prc_sched *sched = &pdev->sched;
	bool wanted;

	if (sched->powered)
		return true;
	mutex_lock(&sched->lock);
	wanted = !list_empty(&sched->waiting);
	mutex_unlock(&sched->lock);
	/*
	 * Resuming fails only while system sleep disabled runtime PM; the
	 * resume callback reticks then.
	 */
	if (!wanted || pm_runtime_resume_and_get(pdev->base.dev))
		return false;
	sched->powered = true;
	return true;
}

static void prc_sched_tick(struct work_struct *work)
{
	struct prc_sched *sched = container_of(to_delayed_work(work), struct prc_sched,
					       tick_work);
	struct prc_device *pdev = container_of(sched, struct prc_device, sched);
	bool power_down = false;
	u32 victims, free;
	int cookie;

	if (!prc_sched_power_up(pdev))
		return;
	cookie = dma_fence_begin_signalling();
	mutex_lock(&sched->lock);
	if (!sched->suspended) {
		victims = prc_sched_pick_victims(pdev, &free);
		prc_sched_suspend_slots(pdev, victims);
		prc_sched_start_waiting(pdev, free | victims);
	}
	prc_devfreq_set_busy(pdev, prc_sched_any_slot(pdev));
	if (!list_empty(&sched->waiting) && !sched->suspended)
		prc_sched_retick(sched, PRC_SCHED_TIME_SLICE_MS);
	else if (list_empty(&sched->waiting) && !prc_sched_any_slot(pdev))
		power_down = true;
	mutex_unlock(&sched->lock);
	dma_fence_end_signalling(cookie);
	if (power_down) {
		sched->powered = false;
		pm_runtime_mark_last_busy(pdev->base.dev);
		pm_runtime_put_autosuspend(pdev->base.dev);
	}
}

/* Terminate @group, under the lock; its slot (if any) is free afterwards. */
static void prc_sched_terminate(struct prc_group *group, int error)
{
	struct prc_device *pdev = group->pdev;
	int slot = group->csg_slot;

	lockdep_assert_held(&pdev->sched.lock);
	if (group->state == PRC_GROUP_DEAD)
		return;
	if (slot >= 0) {
		prc_slot_request(pdev, slot, PRC_CSG_STATE_TERMINATE);
		prc_fw_ring_csgs(pdev, BIT(slot));
		prc_sched_wait_state(pdev, BIT(slot));
		prc_slot_release(group);
	}
	group->state = PRC_GROUP_DEAD;
	list_del_init(&group->node);
	list_del_init(&group->all_node);
	prc_group_cancel(group, error);
}

/**
 * prc_sched_group_kill() - stop a group for good
 * @group: the group
 * @error: error for the fences of its unfinished jobs (-ETIMEDOUT, -ECANCELED, ...)
 *
 * Terminates the group on its slot, if it has one, signals the fences of
 * the jobs it finished and fails the others with @error. The group never
 * runs again. May be called from the fence-signalling path (job timeouts).
 */
void prc_sched_group_kill(struct prc_group *group, int error)
{
	struct prc_sched *sched = to_sched(group);

	mutex_lock(&sched->lock);
	prc_sched_terminate(group, error);
	prc_sched_retick(sched, 0);
	mutex_unlock(&sched->lock);
}

/**
 * prc_sched_kick() - a job was put on one of the group's rings
 * @group: the group, with &prc_sched.lock held
 *
 * Rings the group's doorbell when it is on a slot; otherwise puts it in
 * line for one and runs the tick.
 *
 * Return: false when the group is dead and will not run the job.
 */
bool prc_sched_kick(struct prc_group *group)
{
	struct prc_sched *sched = to_sched(group);
	struct prc_device *pdev = group->pdev;

	lockdep_assert_held(&sched->lock);
	switch (group->state) {
	case PRC_GROUP_DEAD:
		return false;
	case PRC_GROUP_ACTIVE:
		group->idle = false;
		group->last_active = jiffies;
		writel(1, pdev->iomem + PRC_DOORBELL(prc_slot_doorbell(group->csg_slot)));
		return true;
	default:
		group->last_active = jiffies;
		if (list_empty(&group->node)) {
			list_add_tail(&group->node, &sched->waiting);
			prc_sched_retick(sched, 0);
		}
		return true;
	}
}

/* The group's last reference is gone: off the GPU for good, then freed. */
static void prc_group_free_work(struct work_struct *work)
{
	struct prc_group *group = container_of(work, struct prc_group, release_work);
	u32 i;

	/* Stopping its queues' drm_sched waits for their work: not from that work. */
	prc_sched_group_kill(group, -ECANCELED);
	for (i = 0; i < group->queue_count; i++)
		prc_queue_free(group->queues[i]);
	prc_kbo_free(group->syncobjs);
	prc_kbo_free(group->protm_suspend_buf);
	prc_kbo_free(group->suspend_buf);
	prc_vm_put(group->vm);
	kfree(group);
}

static void prc_group_release(struct kref *kref)
{
	struct prc_group *group = container_of(kref, struct prc_group, refcount);

	INIT_WORK(&group->release_work, prc_group_free_work);
	queue_work(system_unbound_wq, &group->release_work);
}

/**
 * prc_group_put() - drop a group reference
 * @group: the group, or NULL; complete or partly built by GROUP_CREATE
 *
 * The last reference kills the group if it still lives and frees it with
 * everything it holds, from a work item: this may be called from the
 * group's own drm_sched work, and in the dma-fence signalling path.
 */
void prc_group_put(struct prc_group *group)
{
	if (group)
		kref_put(&group->refcount, prc_group_release);
}

/**
 * prc_sched_group_add() - make a newly created group known to the scheduler
 * @group: the group, never run
 */
void prc_sched_group_add(struct prc_group *group)
{
	struct prc_sched *sched = to_sched(group);

	mutex_lock(&sched->lock);
	group->state = PRC_GROUP_NEW;
	group->csg_slot = -1;
	list_add_tail(&group->all_node, &sched->groups);
	mutex_unlock(&sched->lock);
}

/*
 * The tiler ran out of heap: answer with a new chunk, or with none, on
 * which the firmware renders incrementally. Returns non-zero when the
 * stream's heap statistics or context are bogus: the stream is fatal.
 */
static int prc_sched_tiler_oom(struct prc_device *pdev, struct prc_group *group,
			       struct prc_fw_cs_iface *iface)
{
	u32 vt_start = READ_ONCE(iface->out->heap_vt_start);
	u32 vt_end = READ_ONCE(iface->out->heap_vt_end);
	u32 frag_end = READ_ONCE(iface->out->heap_frag_end);
	u64 link = 0;
	int ret;

	if (frag_end > vt_end || vt_end >= vt_start)
		ret = -EINVAL;
	else
		ret = prc_heap_grow(group->vm, READ_ONCE(iface->out->heap_address),
				    vt_start - frag_end, &link);
	if (ret && ret != -ENOMEM) {
		drm_warn(&pdev->base, "tiler heap out of memory with a bad heap context\n");
		return ret;
	}
	iface->in->heap_start = link;
	iface->in->heap_end = link;
	return 0;
}

/* Handle the events of stream @cs of the group on slot @slot. Returns true if fatal. */
static bool prc_sched_cs_events(struct prc_device *pdev, int slot, u32 cs)
{
	struct prc_fw_cs_iface *iface = &pdev->fw.csg[slot].cs[cs];
	struct prc_group *group = pdev->sched.slots[slot];
	u32 req = READ_ONCE(iface->in->req);
	u32 events = (req ^ READ_ONCE(iface->out->ack)) & PRC_CS_EVENTS;
	bool fatal = false;

	if (events & PRC_CS_FATAL) {
		drm_warn(&pdev->base, "CSG slot %d stream %u: fatal error 0x%x (info 0x%llx)\n",
			 slot, cs, READ_ONCE(iface->out->fatal), READ_ONCE(iface->out->fatal_info));
		WRITE_ONCE(group->fatal_queues, group->fatal_queues | BIT(cs));
		fatal = true;
	}
	if (events & PRC_CS_FAULT)
		drm_warn(&pdev->base, "CSG slot %d stream %u: fault 0x%x (info 0x%llx)\n",
			 slot, cs, READ_ONCE(iface->out->fault), READ_ONCE(iface->out->fault_info));
	if ((events & PRC_CS_TILER_OOM) && prc_sched_tiler_oom(pdev, group, iface)) {
		WRITE_ONCE(group->fatal_queues, group->fatal_queues | BIT(cs));
		fatal = true;
	}
	WRITE_ONCE(iface->in->req, req ^ events);
	return fatal;
}

/* Acknowledge and handle the events of slot @slot. Returns true if its group must die. */
static bool prc_sched_slot_events(struct prc_device *pdev, int slot)
{
	struct prc_fw_csg_iface *csg = &pdev->fw.csg[slot];
	struct prc_group *group = pdev->sched.slots[slot];
	u32 req = READ_ONCE(csg->in->req);
	u32 events = (req ^ READ_ONCE(csg->out->ack)) & PRC_CSG_EVENTS;
	u32 cs_irqs = READ_ONCE(csg->out->cs_irq_req) ^ READ_ONCE(csg->in->cs_irq_ack);
	bool fatal = false;
	u32 cs;

	if (!group)
		return false;
	WRITE_ONCE(csg->in->req, req ^ events);
	if (events & PRC_CSG_IDLE)
		group->idle = READ_ONCE(csg->out->status_state) & PRC_CSG_STATUS_IDLE;
	cs_irqs &= GENMASK(pdev->fw.cs_count - 1, 0);
	prc_for_each_bit(cs, cs_irqs)
		fatal |= prc_sched_cs_events(pdev, slot, cs);
	if (cs_irqs) {
		WRITE_ONCE(csg->in->cs_irq_ack, READ_ONCE(csg->in->cs_irq_ack) ^ cs_irqs);
		WRITE_ONCE(csg->in->doorbell_req, READ_ONCE(csg->in->doorbell_req) ^ cs_irqs);
		prc_fw_ring_csgs(pdev, BIT(slot));
	}
	return fatal;
}

static void prc_sched_events(struct work_struct *work)
{
	struct prc_sched *sched = container_of(work, struct prc_sched, event_work);
	struct prc_device *pdev = container_of(sched, struct prc_device, sched);
	u32 slots = atomic_xchg(&sched->pending, 0), s, i;
	struct prc_group *group, *tmp;
	bool retick = false;
	int cookie = dma_fence_begin_signalling();

	mutex_lock(&sched->lock);
	prc_for_each_bit(s, slots) {
		if (s >= pdev->fw.csg_count)
			continue;
		group = sched->slots[s];
		if (prc_sched_slot_events(pdev, s)) {
			prc_sched_terminate(group, -ECANCELED);
			retick = true;
		} else if (group && group->idle && !list_empty(&sched->waiting)) {
			retick = true;
		}
	}

	/* A sync update of one group may finish jobs of any: look at all. */
	list_for_each_entry_safe(group, tmp, &sched->groups, all_node)
		for (i = 0; i < group->queue_count; i++)
			prc_queue_signal(group->queues[i], 0);
	/* Groups that ran dry leave their slot after a while (prc_sched_pick_victims()). */
	for (s = 0; s < pdev->fw.csg_count; s++)
		if (sched->slots[s] && !prc_group_has_work(sched->slots[s]))
			prc_sched_tick_within(sched, PRC_SCHED_IDLE_MS);
	if (retick)
		prc_sched_retick(sched, 0);
	mutex_unlock(&sched->lock);
	dma_fence_end_signalling(cookie);
}

/* Unbind every user VM from its address space; no group may be on a slot. */
static void prc_sched_unbind_all(struct prc_sched *sched)
{
	u32 as;

	lockdep_assert_held(&sched->lock);
	for (as = 1; as < sched->as_count; as++) {
		if (sched->as_vm[as]) {
			prc_vm_as_disable(sched->as_vm[as]);
			sched->as_vm[as] = NULL;
		}
	}
}

/**
 * prc_sched_schedule_reset() - the firmware stopped answering: reset the GPU
 * @pdev: the device
 *
 * Callable from any context. The groups on CSG slots then lose their state
 * and are reported TIMEDOUT; the others run again after the reset.
 */
void prc_sched_schedule_reset(struct prc_device *pdev)
{
	queue_work(system_unbound_wq, &pdev->sched.reset_work);
}

static void prc_sched_reset_work(struct work_struct *work)
{
	struct prc_sched *sched = container_of(work, struct prc_sched, reset_work);
	struct prc_device *pdev = container_of(sched, struct prc_device, sched);
	int ret;
	u32 s;

	/* A GPU powered down needs no reset: it cold-boots when it powers up. */
	if (pm_runtime_get_if_active(pdev->base.dev) <= 0)
		return;
	mutex_lock(&sched->lock);
	if (!sched->wq) {
		/* The device is going away. */
		mutex_unlock(&sched->lock);
		pm_runtime_put(pdev->base.dev);
		return;
	}
	drm_warn(&pdev->base, "resetting the GPU: groups on slots are lost\n");
	sched->suspended = true;
	for (s = 0; s < pdev->fw.csg_count; s++) {
		struct prc_group *group = sched->slots[s];

		if (!group)
			continue;
		/*
		 * Their state was never saved: they are lost, as after a
		 * timeout; but the firmware hung, not they (uAPI 1.3).
		 */
		WRITE_ONCE(group->innocent, true);
		WRITE_ONCE(group->timedout, true);
		prc_slot_release(group);
		group->state = PRC_GROUP_DEAD;
		list_del_init(&group->node);
		list_del_init(&group->all_node);
		prc_group_cancel(group, -ETIMEDOUT);
	}
	prc_sched_unbind_all(sched);
	mutex_unlock(&sched->lock);

	prc_fw_suspend(pdev);
	ret = prc_gpu_resume(pdev);
	if (!ret)
		ret = prc_fw_resume(pdev);
	if (ret)
		drm_err(&pdev->base, "GPU reset failed (%d): jobs will time out\n", ret);
	atomic_inc(&sched->resets);
	prc_sched_resume(pdev);
	pm_runtime_put(pdev->base.dev);
}

/**
 * prc_sched_suspend() - take every group off the GPU before it powers off
 * @pdev: the device
 *
 * Groups on slots are suspended (state saved) and wait for the resume;
 * every user VM leaves its address space. Nothing starts until
 * prc_sched_resume().
 */
void prc_sched_suspend(struct prc_device *pdev)
{
	struct prc_sched *sched = &pdev->sched;
	u32 busy = 0, s;

	mutex_lock(&sched->lock);
	sched->suspended = true;
	for (s = 0; s < pdev->fw.csg_count; s++)
		if (sched->slots[s])
			busy |= BIT(s);
	prc_sched_suspend_slots(pdev, busy);
	prc_sched_unbind_all(sched);
	mutex_unlock(&sched->lock);
	cancel_work_sync(&sched->event_work);
	atomic_set(&sched->pending, 0);
}

/**
 * prc_sched_resume() - let groups run again after power-on
 * @pdev: the device, firmware booted
 */
void prc_sched_resume(struct prc_device *pdev)
{
	struct prc_sched *sched = &pdev->sched;
	u32 all = GENMASK(pdev->fw.csg_count - 1, 0), s;

	mutex_lock(&sched->lock);
	/*
	 * The rebooted firmware and our input pages must agree on every
	 * slot's state, whatever the last run left in them (a reset leaves
	 * slots started): all slots go through TERMINATE first.
	 */
	for (s = 0; s < pdev->fw.csg_count; s++)
		prc_slot_request(pdev, s, PRC_CSG_STATE_TERMINATE);
	prc_fw_ring_csgs(pdev, all);
	prc_sched_wait_state(pdev, all);
	sched->suspended = false;
	if (!list_empty(&sched->waiting))
		prc_sched_retick(sched, 0);
	mutex_unlock(&sched->lock);
}

/*
 * The job IRQ saw events of the CSG slots in @slots: record them for the
 * event work. Hard-IRQ context; only registered while &prc_sched.wq exists.
 */
static void prc_sched_csg_irq(struct prc_device *pdev, u32 slots)
{
	struct prc_sched *sched = &pdev->sched;

	atomic_or(slots, &sched->pending);
	queue_work(sched->wq, &sched->event_work);
}

static const struct prc_fw_events prc_sched_fw_events = {
	.csg_irq = prc_sched_csg_irq,
	.unresponsive = prc_sched_schedule_reset,
};

static void prc_sched_fini(void *data)
{
	struct prc_device *pdev = data;
	struct prc_sched *sched = &pdev->sched;
	struct workqueue_struct *wq = sched->wq;
	struct prc_group *group, *tmp;

	/* No firmware event reaches us once a handler still running is done. */
	prc_fw_set_events(pdev, NULL);
	synchronize_irq(pdev->irq_job);
	/* The device is going: no group runs again, their fences fail. */
	mutex_lock(&sched->lock);
	list_for_each_entry_safe(group, tmp, &sched->groups, all_node)
		prc_sched_terminate(group, -ENODEV);
	/* VMs outlive the device in open files: no MMU access once it is gone. */
	prc_sched_unbind_all(sched);
	WRITE_ONCE(sched->wq, NULL);
	mutex_unlock(&sched->lock);
	cancel_delayed_work_sync(&sched->tick_work);
	cancel_work_sync(&sched->event_work);
	cancel_work_sync(&sched->reset_work);
	destroy_workqueue(wq);
	/*
	 * The tick, cancelled above, may have held the GPU up for groups that
	 * were running: its reference is on the platform device, which outlives
	 * this binding, and kept there it would keep the GPU from ever
	 * runtime-suspending again, under any driver bound later.
	 */
	if (sched->powered) {
		sched->powered = false;
		pm_runtime_put_noidle(pdev->base.dev);
	}
}

/**
 * prc_sched_setup() - set up the CSG slot scheduler
 * @pdev: the device, with the firmware booted
 *
 * Undone automatically (devres) when the device goes away; that kills
 * every group left.
 *
 * Return: 0 or -ENOMEM.
 */
int prc_sched_setup(struct prc_device *pdev)
{
	struct prc_sched *sched = &pdev->sched;

	mutex_init(&sched->lock);
	/* The lock sits in the fence-signalling path: lockdep must know reclaim can't take it. */
	fs_reclaim_acquire(GFP_KERNEL);
	might_lock(&sched->lock);
	fs_reclaim_release(GFP_KERNEL);
	INIT_LIST_HEAD(&sched->waiting);
	INIT_LIST_HEAD(&sched->groups);
	INIT_DELAYED_WORK(&sched->tick_work, prc_sched_tick);
	INIT_WORK(&sched->event_work, prc_sched_events);
	INIT_WORK(&sched->reset_work, prc_sched_reset_work);
	sched->as_count = min_t(u32, fls(pdev->props.as_present), PRC_MAX_AS);
	sched->wq = alloc_ordered_workqueue("prc-sched", WQ_MEM_RECLAIM);
	if (!sched->wq)
		return -ENOMEM;
	prc_fw_set_events(pdev, &prc_sched_fw_events);
	return devm_add_action_or_reset(pdev->base.dev, prc_sched_fini, pdev);
}
