// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: jobs
 *
 * A job is one user command stream (GROUP_SUBMIT's stream_addr/size) on one
 * queue of a group. Each queue is one drm_sched instance with one entity,
 * so drm_sched resolves the job's dependencies and calls run_job in
 * submission order. run_job writes a fixed-size block of instructions to
 * the queue's ring: flush the caches the job may see stale, CALL the user
 * stream, wait for everything it started, then add 1 to the queue's sync
 * object. The hardware fence of the job is done when that sync object
 * reaches the job's sequence number; the scheduler's event work checks
 * after every sync-update event (prc_queue_signal()).
 *
 * The block of instructions has a fixed size, so a ring of N bytes holds
 * N / PRC_JOB_BYTES jobs: that is the scheduler's credit limit, and a job
 * never overwrites one the firmware has not read yet.
 *
 * Only registers userspace gave up (the top PRC_JOB_SCRATCH_REGS of the
 * stream, reported by DEV_QUERY CSIF_INFO) are written.
 */

#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>

#include "compat/compat.h"
#include "device.h"
#include "fw.h"
#include "job.h"
#include "kbo.h"
#include "sched.h"
#include "trace.h"
#include "vm.h"
#include "../include/uapi/drm/panthor_drm.h"

/* Bytes of ring per job: 16 instructions, a multiple of the 64-byte line. */
#define PRC_JOB_BYTES		128
#define PRC_JOB_TIMEOUT_MS	5000
/* Registers at the top of the stream's file the kernel may clobber. */
#define PRC_JOB_SCRATCH_REGS	4

/*
 * Command stream instructions (Mali CSF ISA, as Mesa's genxml/v10.xml
 * describes it): an opcode in bits 63:56, register operands in the bytes
 * below it, immediates in the low bits.
 */
enum prc_cs_op {
	PRC_CS_OP_NOP = 0,
	PRC_CS_OP_MOVE48 = 1,
	PRC_CS_OP_MOVE32 = 2,
	PRC_CS_OP_WAIT = 3,
	PRC_CS_OP_CALL = 32,
	PRC_CS_OP_FLUSH_CACHE2 = 36,
	PRC_CS_OP_STORE_STATE = 40,
	PRC_CS_OP_ERROR_BARRIER = 47,
	PRC_CS_OP_SYNC_ADD64 = 51,
};

#define PRC_CS_DST(r)			((u64)(r) << 48)
#define PRC_CS_SRC0(r)			((u64)(r) << 40)
#define PRC_CS_SRC1(r)			((u64)(r) << 32)
#define PRC_CS_WAIT_MASK(sb)		((u64)(sb) << 16)
/* FLUSH_CACHE2: clean and invalidate L2 and load/store caches, invalidate the others. */
#define PRC_CS_FLUSH_CLEAN_INV_ALL	0x233
/* STORE_STATE: what to store; the GPU's cycle counter. */
#define PRC_CS_STATE_CYCLES		BIT_ULL(32)
/* SYNC_ADD64: system scope, so the CPU sees the new value. */
#define PRC_CS_SYNC_SYSTEM		1
/* Scoreboard entry FLUSH_CACHE2 signals (its signal slot field left at 0). */
#define PRC_CS_SB_FLUSH			BIT(0)
/* CS_FEATURES: scoreboard entries a stream has, bits 15:8. */
#define PRC_CS_FEATURES_SCOREBOARDS(f)	(((f) >> 8) & 0xff)

/**
 * struct prc_cs_block - the instructions the kernel puts on a ring for one job
 * @insn: the block, exactly PRC_JOB_BYTES; what is not emitted stays NOP
 * @len: instructions emitted so far
 * @addr: first register of the scratch pair the helpers load addresses into
 * @val: first register of the scratch pair they load operands into
 *
 * Built on the stack by the prc_cs_*() helpers, each of which loads its
 * own operands, then copied to the ring in one go.
 */
struct prc_cs_block {
	u64 insn[PRC_JOB_BYTES / sizeof(u64)];
	unsigned int len;
	u8 addr;
	u8 val;
};

static void prc_cs_emit(struct prc_cs_block *b, enum prc_cs_op op, u64 operands)
{
	/* The block's size is the scheduler's credit unit: it must never grow. */
	if (WARN_ON_ONCE(b->len == ARRAY_SIZE(b->insn)))
		return;
	b->insn[b->len++] = ((u64)op << 56) | operands;
}

/* Load a 48-bit address into the address pair. */
static void prc_cs_load_addr(struct prc_cs_block *b, u64 va)
{
	prc_cs_emit(b, PRC_CS_OP_MOVE48, PRC_CS_DST(b->addr) | (va & GENMASK_ULL(47, 0)));
}

/* Start a cache flush the firmware may skip if none happened since @flush_id. */
static void prc_cs_flush_caches(struct prc_cs_block *b, u32 flush_id)
{
	prc_cs_emit(b, PRC_CS_OP_MOVE32, PRC_CS_DST(b->val) | flush_id);
	prc_cs_emit(b, PRC_CS_OP_FLUSH_CACHE2, PRC_CS_SRC0(b->val) | PRC_CS_FLUSH_CLEAN_INV_ALL);
}

/* Stall until the asynchronous work on the scoreboard entries in @entries is done. */
static void prc_cs_wait(struct prc_cs_block *b, u32 entries)
{
	prc_cs_emit(b, PRC_CS_OP_WAIT, PRC_CS_WAIT_MASK(entries));
}

/* Store the GPU cycle counter at @va. */
static void prc_cs_store_cycles(struct prc_cs_block *b, u64 va)
{
	prc_cs_load_addr(b, va);
	prc_cs_emit(b, PRC_CS_OP_STORE_STATE, PRC_CS_SRC0(b->addr) | PRC_CS_STATE_CYCLES);
}

/* Run @size bytes of instructions at @va, then come back. */
static void prc_cs_call(struct prc_cs_block *b, u64 va, u32 size)
{
	prc_cs_load_addr(b, va);
	prc_cs_emit(b, PRC_CS_OP_MOVE32, PRC_CS_DST(b->val) | size);
	prc_cs_emit(b, PRC_CS_OP_CALL, PRC_CS_SRC0(b->addr) | PRC_CS_SRC1(b->val));
}

/* Add @inc to the 64-bit sync object at @va, which wakes its waiters. */
static void prc_cs_sync_add64(struct prc_cs_block *b, u64 va, u64 inc)
{
	prc_cs_load_addr(b, va);
	prc_cs_emit(b, PRC_CS_OP_MOVE48, PRC_CS_DST(b->val) | inc);
	prc_cs_emit(b, PRC_CS_OP_SYNC_ADD64, PRC_CS_SRC0(b->addr) | PRC_CS_SRC1(b->val) |
		    PRC_CS_SYNC_SYSTEM);
}

/* Clear the stream's error state: what failed before does not fail what follows. */
static void prc_cs_error_barrier(struct prc_cs_block *b)
{
	prc_cs_emit(b, PRC_CS_OP_ERROR_BARRIER, 0);
}

/**
 * struct prc_job - a job on a queue
 */
struct prc_job {
	/** @base: the drm_sched job */
	struct drm_sched_job base;
	/** @group: the group (referenced) */
	struct prc_group *group;
	/** @queue: the queue, in @group */
	struct prc_queue *queue;
	/** @stream_va: GPU VA of the user's command stream */
	u64 stream_va;
	/** @stream_size: its size in bytes (0: nothing runs, the job only orders fences) */
	u32 stream_size;
	/** @latest_flush: flush ID the user read when it wrote the stream */
	u32 latest_flush;
	/** @done: hardware fence, allocated at creation, armed by run_job */
	struct dma_fence *done;
	/** @seqno: the value of the queue's sync object once the job is done */
	u64 seqno;
	/** @start_ns: when run_job put it on the ring (fdinfo's engine time) */
	u64 start_ns;
	/** @node: in &prc_queue.in_flight while on the ring */
	struct list_head node;
};

static struct prc_job *to_prc_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct prc_job, base);
}

static const char *prc_fence_driver_name(struct dma_fence *fence)
{
	return "panthor-reclaim";
}

static const char *prc_fence_timeline_name(struct dma_fence *fence)
{
	return "queue";
}

static const struct dma_fence_ops prc_fence_ops = {
	.get_driver_name = prc_fence_driver_name,
	.get_timeline_name = prc_fence_timeline_name,
};

/**
 * prc_queue_busy() - whether jobs of the queue are on its ring, unfinished
 * @queue: the queue; &prc_sched.lock held
 *
 * Return: true when the queue has work for the GPU.
 */
bool prc_queue_busy(struct prc_queue *queue)
{
	lockdep_assert_held(&queue->group->pdev->sched.lock);
	return !list_empty(&queue->in_flight);
}

/* The slot of the job's cycle counts in its queue's profiling buffer. */
static u32 prc_job_prof_slot(const struct prc_job *job)
{
	return job->seqno % (job->queue->ring_size / PRC_JOB_BYTES);
}

/* Add a finished job's time and GPU cycles to its group's fdinfo counters. */
static void prc_job_account(struct prc_job *job)
{
	const struct prc_job_prof *prof = &job->queue->prof_map[prc_job_prof_slot(job)];
	u64 before = READ_ONCE(prof->cycles_before), after = READ_ONCE(prof->cycles_after);

	atomic64_add(ktime_get_ns() - job->start_ns, &job->group->stats.time_ns);
	if (after > before)
		atomic64_add(after - before, &job->group->stats.cycles);
}

/**
 * prc_queue_signal() - signal the fences of the queue's finished jobs
 * @queue: the queue; &prc_sched.lock held
 * @error: 0, or the error to fail the unfinished jobs with (the group is dead)
 *
 * Runs in the fence-signalling path: takes only &prc_queue.fence_lock.
 */
void prc_queue_signal(struct prc_queue *queue, int error)
{
	u64 done = READ_ONCE(queue->syncobj->seqno);
	struct prc_job *job, *tmp;

	lockdep_assert_held(&queue->group->pdev->sched.lock);
	spin_lock(&queue->fence_lock);
	list_for_each_entry_safe(job, tmp, &queue->in_flight, node) {
		if (job->seqno > done) {
			if (!error)
				break;
			dma_fence_set_error(job->done, error);
		} else {
			prc_job_account(job);
		}
		list_del_init(&job->node);
		trace_prc_job_done(queue->fence_ctx, job->seqno, job->done->error);
		dma_fence_signal_locked(job->done);
	}
	spin_unlock(&queue->fence_lock);
}

/**
 * prc_group_cancel() - finish the fences of a group that stopped running
 * @group: the group, dead; &prc_sched.lock held
 * @error: error for the jobs it did not finish, on queues that neither
 *	failed nor timed out
 *
 * As panthor reports them: a failed queue's unfinished jobs get -EINVAL,
 * those of a timed-out group -ETIMEDOUT, the others @error.
 */
void prc_group_cancel(struct prc_group *group, int error)
{
	u32 i;

	for (i = 0; i < group->queue_count; i++)
		prc_queue_signal(group->queues[i],
				 group->fatal_queues & BIT(i) ? -EINVAL :
				 group->timedout ? -ETIMEDOUT : error);
}

/*
 * What the ring does for one job. Each step says why it is there; where
 * the order is not free, the comment says what forces it.
 */
static void prc_job_program(const struct prc_job *job, struct prc_cs_block *b)
{
	const struct prc_queue *queue = job->queue;
	u32 features = job->group->pdev->fw.cs_features;
	u64 prof = prc_kbo_va(queue->prof) + prc_job_prof_slot(job) * sizeof(struct prc_job_prof);

	b->addr = PRC_CS_FEATURES_WORK_REGS(features) - PRC_JOB_SCRATCH_REGS;
	b->val = b->addr + 2;
	/*
	 * The stream was written against LATEST_FLUSH_ID: the GPU's caches
	 * may hold what the CPU changed since, and must be flushed before the
	 * stream reads memory (the firmware skips the flush if one happened
	 * since that ID). The stream starts only once the flush is done.
	 */
	prc_cs_flush_caches(b, job->latest_flush);
	prc_cs_wait(b, PRC_CS_SB_FLUSH);
	/* fdinfo's drm-cycles: the stream's own cycles, the flush left out. */
	prc_cs_store_cycles(b, prof + offsetof(struct prc_job_prof, cycles_before));
	prc_cs_call(b, job->stream_va, job->stream_size);
	/*
	 * The stream returns as soon as its last instruction is issued; what
	 * it started (shading, tiling, its own flushes) finishes later. Wait
	 * for all of it before the job counts as done.
	 */
	prc_cs_wait(b, GENMASK(PRC_CS_FEATURES_SCOREBOARDS(features) - 1, 0));
	/*
	 * Before the sync object moves: the CPU reads a job's cycle counts
	 * when it sees the job's seqno there (prc_job_account()).
	 */
	prc_cs_store_cycles(b, prof + offsetof(struct prc_job_prof, cycles_after));
	/* The job is done: its fence signals when the CPU sees this seqno. */
	prc_cs_sync_add64(b, queue->syncobj_va, 1);
	/*
	 * Last: the sync above carries the stream's error, if it had one,
	 * into the sync object's status; the barrier then clears it, so the
	 * next job on the ring starts clean.
	 */
	prc_cs_error_barrier(b);
}

/* Write the job's instructions at the ring's insert position. */
static void prc_job_emit(struct prc_job *job)
{
	struct prc_queue *queue = job->queue;
	u64 *slot = queue->ring + (queue->insert & (queue->ring_size - 1)) / sizeof(u64);
	struct prc_cs_block block = {};

	prc_job_program(job, &block);
	memcpy(slot, block.insn, sizeof(block.insn));
	queue->insert += PRC_JOB_BYTES;
	/* The firmware must see the instructions before the new insert pointer. */
	wmb();
	WRITE_ONCE(queue->input[0], queue->insert);
}

static struct dma_fence *prc_job_run(struct drm_sched_job *sched_job)
{
	struct prc_job *job = to_prc_job(sched_job);
	struct prc_queue *queue = job->queue;
	struct prc_sched *sched = &job->group->pdev->sched;
	struct dma_fence *fence;

	mutex_lock(&sched->lock);
	if (job->group->state == PRC_GROUP_DEAD) {
		mutex_unlock(&sched->lock);
		return ERR_PTR(-ECANCELED);
	}
	if (!job->stream_size) {
		/*
		 * Nothing for the GPU: the job is done when the queue's last
		 * job is (as in panthor), or now if there is none.
		 */
		spin_lock(&queue->fence_lock);
		fence = list_empty(&queue->in_flight) ? NULL :
			dma_fence_get(list_last_entry(&queue->in_flight, struct prc_job,
						      node)->done);
		spin_unlock(&queue->fence_lock);
		mutex_unlock(&sched->lock);
		return fence;
	}
	spin_lock(&queue->fence_lock);
	job->seqno = ++queue->emitted;
	job->start_ns = ktime_get_ns();
	dma_fence_init(job->done, &prc_fence_ops, &queue->fence_lock, queue->fence_ctx,
		       job->seqno);
	list_add_tail(&job->node, &queue->in_flight);
	spin_unlock(&queue->fence_lock);
	fence = dma_fence_get(job->done);
	trace_prc_job_run(queue->fence_ctx, job->seqno, job->stream_va, job->stream_size);
	prc_job_emit(job);
	prc_sched_kick(job->group);
	mutex_unlock(&sched->lock);
	return fence;
}

static enum drm_gpu_sched_stat prc_job_timedout(struct drm_sched_job *sched_job)
{
	struct prc_job *job = to_prc_job(sched_job);
	struct prc_queue *queue = job->queue;
	struct drm_sched_job *s;

	drm_warn(&job->group->pdev->base, "job timed out on queue %u: group killed\n",
		 queue->index);
	drm_sched_stop(&queue->sched, sched_job);
	WRITE_ONCE(job->group->timedout, true);
	prc_sched_group_kill(job->group, -ETIMEDOUT);
	/* drm_sched_stop() dropped the hardware fences: give them back, all signalled now. */
	list_for_each_entry(s, &queue->sched.pending_list, list)
		if (!s->s_fence->parent && to_prc_job(s)->seqno)
			s->s_fence->parent = dma_fence_get(to_prc_job(s)->done);
	prc_sched_restart(&queue->sched);
	return PRC_SCHED_STAT_HANDLED;
}

static void prc_job_free(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	prc_job_put(sched_job);
}

static const struct drm_sched_backend_ops prc_job_ops = {
	.run_job = prc_job_run,
	.timedout_job = prc_job_timedout,
	.free_job = prc_job_free,
};

/* Set up the queue's drm_sched instance and entity; undone by prc_queue_free(). */
static int prc_queue_sched_init(struct prc_queue *queue)
{
	struct drm_gpu_scheduler *list[] = { &queue->sched };
	const struct prc_sched_args args = {
		.ops = &prc_job_ops,
		.num_rqs = 1,
		.credit_limit = queue->ring_size / PRC_JOB_BYTES,
		.timeout = msecs_to_jiffies(PRC_JOB_TIMEOUT_MS),
		.name = "prc-queue",
		.dev = queue->group->pdev->base.dev,
	};
	int ret;

	ret = prc_sched_init(&queue->sched, &args);
	if (ret)
		return ret;
	ret = drm_sched_entity_init(&queue->entity, DRM_SCHED_PRIORITY_KERNEL, list, 1, NULL);
	if (ret) {
		drm_sched_fini(&queue->sched);
		return ret;
	}
	queue->sched_ready = true;
	return 0;
}

/**
 * prc_queue_free() - free a queue and everything it holds
 * @queue: the queue, or NULL; its group is dead, so every job is finished
 *	or failed; may be partly built (prc_queue_create() failing)
 *
 * Sleeps until the queue's scheduler work is done: never call it from that
 * work.
 */
void prc_queue_free(struct prc_queue *queue)
{
	if (!queue)
		return;
	if (queue->sched_ready) {
		drm_sched_entity_destroy(&queue->entity);
		drm_sched_fini(&queue->sched);
	}
	prc_kbo_free(queue->prof);
	prc_kbo_free(queue->iface);
	prc_kbo_free(queue->ringbuf);
	kfree(queue);
}

/**
 * prc_queue_create() - a queue of a group being built
 * @group: the group, with its sync objects
 * @index: the queue's index in the group, and its stream in the CSG slot
 * @args: its description, already checked (ring size 4..64 KiB, a power of
 *	two; priority 0..15)
 *
 * Allocates the ring, the ring's interface pages in the MCU's VM, one
 * profiling slot per job the ring holds, and the queue's drm_sched.
 *
 * Return: the queue, or an ERR_PTR() (-ENOMEM, -ENOSPC, -EINTR, -ENODEV).
 */
struct prc_queue *prc_queue_create(struct prc_group *group, u32 index,
				   const struct drm_panthor_queue_create *args)
{
	const struct prc_syncobj64 *syncobjs = prc_kbo_cpu(group->syncobjs);
	struct prc_queue *queue;
	struct prc_kbo *kbo;
	void *input, *output;
	int ret;

	queue = kzalloc(sizeof(*queue), GFP_KERNEL);
	if (!queue)
		return ERR_PTR(-ENOMEM);
	queue->group = group;
	queue->index = index;
	queue->priority = args->priority;
	queue->ring_size = args->ringbuf_size;
	queue->syncobj = &syncobjs[index];
	queue->syncobj_va = prc_kbo_va(group->syncobjs) + index * sizeof(*syncobjs);
	spin_lock_init(&queue->fence_lock);
	INIT_LIST_HEAD(&queue->in_flight);
	queue->fence_ctx = dma_fence_context_alloc(1);

	kbo = prc_kbo_new(group->vm, &(struct prc_kbo_desc){
		.purpose = "ring buffer",
		.size = queue->ring_size,
		.gpu = PRC_KBO_GPU_WRITE,
		.cpu_view = true,
	});
	if (IS_ERR(kbo))
		goto err_kbo;
	queue->ringbuf = kbo;
	queue->ring = prc_kbo_cpu(kbo);
	kbo = prc_fw_alloc_queue_iface(group->pdev, &input, &output, &queue->input_va,
				       &queue->output_va);
	if (IS_ERR(kbo))
		goto err_kbo;
	queue->iface = kbo;
	queue->input = input;
	queue->output = output;
	kbo = prc_kbo_new(group->vm, &(struct prc_kbo_desc){
		.purpose = "profiling slots",
		.size = queue->ring_size / PRC_JOB_BYTES * sizeof(struct prc_job_prof),
		.gpu = PRC_KBO_GPU_WRITE,
		.cpu_view = true,
	});
	if (IS_ERR(kbo))
		goto err_kbo;
	queue->prof = kbo;
	queue->prof_map = prc_kbo_cpu(kbo);
	ret = prc_queue_sched_init(queue);
	if (ret)
		goto err;
	return queue;

err_kbo:
	ret = PTR_ERR(kbo);
err:
	prc_queue_free(queue);
	return ERR_PTR(ret);
}

/**
 * prc_job_new() - a job for GROUP_SUBMIT, checked the way panthor checks it
 * @file: the submitter
 * @group: the group (the job takes a reference of its own)
 * @args: the queue submission
 *
 * Return: the job, initialised for drm_sched but not armed, or an ERR_PTR():
 * -EINVAL for bad arguments, a dead group or a bad queue index, -ENOMEM.
 */
struct drm_sched_job *prc_job_new(struct drm_file *file, struct prc_group *group,
				  const struct drm_panthor_queue_submit *args)
{
	struct prc_job *job;
	int ret;

	if (args->pad)
		return ERR_PTR(-EINVAL);
	/* A stream has both an address and a size, or neither. */
	if (!args->stream_size != !args->stream_addr)
		return ERR_PTR(-EINVAL);
	/* The stream starts on a 64-byte line and holds whole 8-byte instructions. */
	if ((args->stream_addr & 63) || (args->stream_size & 7))
		return ERR_PTR(-EINVAL);
	/* Flush IDs have 24 bits, plus the top one. */
	if (args->latest_flush & GENMASK(30, 24))
		return ERR_PTR(-EINVAL);
	if (READ_ONCE(group->timedout) || READ_ONCE(group->fatal_queues) ||
	    args->queue_index >= group->queue_count)
		return ERR_PTR(-EINVAL);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&job->node);
	job->stream_va = args->stream_addr;
	job->stream_size = args->stream_size;
	job->latest_flush = args->latest_flush;
	job->group = group;
	job->queue = group->queues[args->queue_index];
	job->done = kzalloc(sizeof(*job->done), GFP_KERNEL);
	if (!job->done) {
		ret = -ENOMEM;
		goto err;
	}
	ret = drm_sched_job_init(&job->base, &job->queue->entity, 1, group, file->client_id);
	if (ret)
		goto err;
	kref_get(&group->refcount);
	return &job->base;

err:
	kfree(job->done);
	kfree(job);
	return ERR_PTR(ret);
}

/**
 * prc_job_vm() - the VM a job runs in
 * @sched_job: the job
 *
 * Return: the VM of the job's group (no reference taken).
 */
struct prc_vm *prc_job_vm(struct drm_sched_job *sched_job)
{
	return to_prc_job(sched_job)->group->vm;
}

/**
 * prc_job_put() - free a job that drm_sched no longer owns, or never did
 * @sched_job: the job (after drm_sched_job_cleanup() for armed jobs)
 */
void prc_job_put(struct drm_sched_job *sched_job)
{
	struct prc_job *job = to_prc_job(sched_job);

	/* The fence belongs to whoever holds it once it was armed. */
	if (job->seqno)
		dma_fence_put(job->done);
	else
		kfree(job->done);
	prc_group_put(job->group);
	kfree(job);
}
