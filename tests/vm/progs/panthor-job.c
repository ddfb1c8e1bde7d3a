// SPDX-License-Identifier: GPL-2.0-only
/*
 * panthor-job: run command streams through GROUP_SUBMIT on the first render
 * node driven by "panthor" and check what they wrote. IGT-style output; exit
 * 0, 1, or 77 when there is no such node.
 *
 * panthor-job -b N submits the same small job N times, waiting for each, and
 * prints the rate: a measurement for benchmarks, asserted by no test.
 * panthor-job -x fatal|timeout runs the store job expecting it to fail so,
 * for the model's test hooks (fault-va, hang-streams).
 * panthor-job -t BYTES runs RUN_IDVS on a tiler heap and checks its growth,
 * for a model started with idvs-heap-bytes=BYTES (0: the heap is not used).
 * panthor-job -u DRIVER unbinds the GPU from DRIVER under a live client and
 * binds it again.
 * panthor-job NAME... runs only the subtests named.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "panthor_reclaim_drm.h"
#include "panthor-util.h"

#define BO_SIZE		(64 * 1024)
#define BO_VA		0x1000000ull
#define DATA_OFF	0x1000
#define FLAG_OFF	0x1100	/* a word streams wait on */
#define UNMAPPED_VA	0x7000000ull

/* Tiler heap test: 256 KiB chunks, one at creation, at most four. */
#define HEAP_CHUNK	(256 * 1024)
#define HEAP_INITIAL	1
#define HEAP_MAX	4
#define HEAP_IDVS	20

static int fd = -1;
static char node[64];	/* the render node's path */
static char devdir[64];	/* its device's sysfs directory */
static int repeat = 1;	/* -b N: submit the store job N times, print jobs/s */
/*
 * -x fatal|timeout: the model's test hooks make the store job fail; check
 * that it fails that way instead of checking its result.
 */
static int expect_state;

enum job_kind {
	JOB_STORE,	/* store three words in the BO: must complete */
	JOB_FAULT,	/* store to an unmapped VA: group fatal */
	JOB_BAD_OPCODE,	/* an undefined instruction: group fatal */
	JOB_HANG,	/* wait for a sync object that never changes: timeout */
};

/* A VM with one mapped, mmapped BO (streams at its start, data at DATA_OFF) and a group. */
struct job_ctx {
	struct drm_panthor_vm_create vc;
	struct drm_panthor_bo_create bc;
	struct drm_panthor_group_create gc;
	struct drm_panthor_tiler_heap_create hc;
	__u32 syncobj;
	void *map;
	__u64 *cs;	/* the stream being written */
	int n;		/* its length in instructions */
	__u32 *data;
};

/*
 * Set up @c with a group of @nqueues; a tiler heap (heap.max_chunks != 0
 * on entry) when asked for. Return: 1, or 0 after printing what failed.
 */
static int ctx_open(struct job_ctx *c, int nqueues)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = BO_VA, .size = BO_SIZE,
	};
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	static struct drm_panthor_queue_create queues[3] = {
		{ .ringbuf_size = 4096 }, { .ringbuf_size = 4096 }, { .ringbuf_size = 4096 },
	};
	struct drm_syncobj_create sc = { 0 };
	__u8 prio;

	c->map = MAP_FAILED;
	c->bc.size = BO_SIZE;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), "GPU_INFO") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &c->vc), "VM_CREATE"))
		return 0;
	c->bc.exclusive_vm_id = c->vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &c->bc), "BO_CREATE"))
		return 0;
	mo.handle = c->bc.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET"))
		return 0;
	c->map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (!expect(c->map != MAP_FAILED, "mmap"))
		return 0;
	c->cs = c->map;
	c->data = (__u32 *)((char *)c->map + DATA_OFF);
	memset(c->data, 0, 16);
	c->hc.vm_id = c->vc.id;
	if (c->hc.max_chunks &&
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c->hc), "TILER_HEAP_CREATE"))
		return 0;
	vb.vm_id = c->vc.id;
	op.bo_handle = c->bc.handle;
	/* MEDIUM unless the caller asked for another (non-zero) priority. */
	prio = c->gc.priority ? c->gc.priority : PANTHOR_GROUP_PRIORITY_MEDIUM;
	c->gc = (struct drm_panthor_group_create) {
		.queues = DRM_PANTHOR_OBJ_ARRAY(nqueues, queues),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = prio,
		.compute_core_mask = gpu.shader_present,
		.fragment_core_mask = gpu.shader_present,
		.tiler_core_mask = gpu.tiler_present,
		.vm_id = c->vc.id,
	};
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb), "VM_BIND") ||
	    !expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE"))
		return 0;
	c->syncobj = sc.handle;
	return expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &c->gc), "GROUP_CREATE");
}

/* Submit the stream written so far on @queue, signalling c->syncobj when done. */
static int ctx_push(struct job_ctx *c, int queue)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = c->syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue, .stream_addr = BO_VA + ((char *)c->cs - (char *)c->map),
		.stream_size = c->n * 8, .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = c->gc.group_handle, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	return expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs), "GROUP_SUBMIT");
}

/* Submit the stream written so far on @queue, wait up to 30 s for it. */
static int ctx_submit(struct job_ctx *c, int queue)
{
	struct drm_syncobj_wait w = { .handles = (uintptr_t)&c->syncobj, .count_handles = 1 };
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	w.timeout_nsec = (now.tv_sec + 30) * 1000000000ll + now.tv_nsec;
	return ctx_push(c, queue) &&
	       expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w), "job not done within 30 s");
}

/*
 * Start a new stream after the current one (keeps submitted ones intact),
 * 64-byte aligned as GROUP_SUBMIT wants stream addresses.
 */
static void ctx_next_stream(struct job_ctx *c)
{
	c->cs += (c->n + 7) & ~7;
	c->n = 0;
}

/* Append to the stream: store @value in data word 0 (registers 0, 1 and 2). */
static void ctx_store_word(struct job_ctx *c, __u32 value)
{
	c->cs[c->n++] = CS_MOVE48(0, BO_VA + DATA_OFF);
	c->cs[c->n++] = CS_MOVE32(2, value);
	c->cs[c->n++] = CS_STORE_MULTIPLE(2, 0, 0x1, 0);
}

static __u32 ctx_group_state(struct job_ctx *c, __u32 *fatal_queues)
{
	struct drm_panthor_group_get_state st = { .group_handle = c->gc.group_handle };

	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st), "GROUP_GET_STATE"))
		return ~0u;
	*fatal_queues = st.fatal_queues;
	return st.state;
}

static void ctx_close(struct job_ctx *c, int *ok)
{
	struct drm_panthor_group_destroy gd = { .group_handle = c->gc.group_handle };
	struct drm_panthor_tiler_heap_destroy hd = { .handle = c->hc.handle };
	struct drm_gem_close cl = { .handle = c->bc.handle };
	struct drm_panthor_vm_destroy vd = { .id = c->vc.id };
	struct drm_syncobj_destroy sd = { .handle = c->syncobj };

	if (c->map != MAP_FAILED)
		munmap(c->map, BO_SIZE);
	if (c->gc.group_handle)
		ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
	if (c->hc.handle)
		*ok &= expect(!ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd),
			      "TILER_HEAP_DESTROY");
	if (c->syncobj)
		ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
}

/*
 * Run a short stream of @kind on the last queue of a group of @nqueues and
 * check its effect: the stored words, or the group state it must end in.
 */
static int run_job(int nqueues, enum job_kind kind)
{
	struct job_ctx c = { 0 };
	struct timespec now, start;
	__u32 state, fatal;
	int ok = 0, i;
	double secs;

	if (!ctx_open(&c, nqueues))
		goto out;
	/* Store two immediates and a sum next to each other. */
	c.cs[c.n++] = CS_MOVE32(5, 0);
	c.cs[c.n++] = CS_MOVE48(6, BO_VA + DATA_OFF + 12);
	c.cs[c.n++] = CS_MOVE48(0, kind == JOB_FAULT ? UNMAPPED_VA : BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_MOVE32(2, 0xcafe0001);
	c.cs[c.n++] = CS_MOVE32(3, 0x12345678);
	c.cs[c.n++] = CS_ADD_IMM32(4, 2, 1);
	if (kind == JOB_BAD_OPCODE)
		c.cs[c.n++] = 0xfeull << 56;
	if (kind == JOB_HANG)	/* wait until data[3] > 0: it stays 0 */
		c.cs[c.n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 5, 6);
	c.cs[c.n++] = CS_STORE_MULTIPLE(2, 0, 0x7, 0);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < (kind == JOB_STORE ? repeat : 1); i++)
		if (!ctx_submit(&c, nqueues - 1))
			goto out;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
	if (kind == JOB_STORE && repeat > 1)
		printf("  %d jobs submitted and waited for one by one: %.0f jobs/s\n", repeat,
		       repeat / secs);
	state = ctx_group_state(&c, &fatal);
	if (kind != JOB_STORE || expect_state) {
		__u32 want = expect_state ? expect_state :
			     kind == JOB_HANG ? DRM_PANTHOR_GROUP_STATE_TIMEDOUT :
			     DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;

		ok = expect(state != ~0u && (state & want), "group not in the expected state") &&
		     expect(want == DRM_PANTHOR_GROUP_STATE_TIMEDOUT ||
			    fatal == 1u << (nqueues - 1), "wrong fatal queue") &&
		     expect(c.data[0] == 0, "the failed job stored data");
		printf("  %s: group state 0x%x, fatal queues 0x%x\n",
		       expect_state ? "store job under a model test hook" :
		       kind == JOB_FAULT ? "store to unmapped 0x7000000" :
		       kind == JOB_HANG ? "endless SYNC_WAIT32" : "undefined opcode 0xfe",
		       state, fatal);
		goto out;
	}
	ok = expect(!state, "group not healthy after the job") &&
	     expect(c.data[0] == 0xcafe0001 && c.data[1] == 0x12345678 &&
		    c.data[2] == 0xcafe0002, "memory does not hold what the stream stored");
	printf("  %d-queue group, queue %d: stored 0x%08x 0x%08x 0x%08x\n", nqueues,
	       nqueues - 1, c.data[0], c.data[1], c.data[2]);
out:
	ctx_close(&c, &ok);
	return ok;
}

/* One VM_BIND operation with sync operations, asynchronous unless @sync. */
static int bind_op(struct job_ctx *c, __u32 flags, __u32 bo, __u64 va, __u64 size,
		   struct drm_panthor_sync_op *syncs, __u32 nsyncs, int sync)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = bo, .va = va, .size = size,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(nsyncs, syncs),
	};
	struct drm_panthor_vm_bind vb = {
		.vm_id = c->vc.id, .flags = sync ? 0 : DRM_PANTHOR_VM_BIND_ASYNC,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	return ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
}

static int syncobj_wait_point(__u32 handle, __u64 point)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&handle, .points = (uintptr_t)&point, .count_handles = 1,
	};
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	w.timeout_nsec = (now.tv_sec + 30) * 1000000000ll + now.tv_nsec;
	return ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

/*
 * Asynchronous VM_BIND: a map that waits for a job and signals a timeline
 * point, a job that waits for that point and stores through the new
 * mapping, a SYNC_ONLY operation chained after it, and the errors for a
 * SYNC_ONLY without sync objects or in a synchronous bind.
 */
static int run_async_bind_job(void)
{
	struct drm_syncobj_create tl = { 0 }, bin = { 0 };
	struct drm_panthor_bo_create bo2 = { .size = BO_SIZE };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_sync_op ops[2];
	struct drm_gem_close cl = { 0 };
	struct job_ctx c = { 0 };
	__u32 *data2 = MAP_FAILED;
	int ok = 0, e1, e2;

	if (!ctx_open(&c, 1))
		goto out;
	bo2.exclusive_vm_id = c.vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bo2), "BO_CREATE") ||
	    !expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &tl), "SYNCOBJ_CREATE") ||
	    !expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &bin), "SYNCOBJ_CREATE"))
		goto out;
	cl.handle = bo2.handle;
	mo.handle = bo2.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET"))
		goto out;
	data2 = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (!expect(data2 != MAP_FAILED, "mmap"))
		goto out;
	/* A first job gives c.syncobj a fence for the bind to wait for. */
	c.cs[c.n++] = CS_MOVE32(2, 1);
	if (!ctx_submit(&c, 0))
		goto out;
	ctx_next_stream(&c);
	ops[0] = (struct drm_panthor_sync_op) { .handle = c.syncobj };
	ops[1] = (struct drm_panthor_sync_op) {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL |
			 DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ,
		.handle = tl.handle, .timeline_value = 1,
	};
	if (!expect(!bind_op(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo2.handle, UNMAPPED_VA, BO_SIZE,
			     ops, 2, 0), "asynchronous MAP") ||
	    !expect(!syncobj_wait_point(tl.handle, 1), "MAP did not signal its point"))
		goto out;
	/* Store through the new mapping. */
	c.cs[c.n++] = CS_MOVE48(0, UNMAPPED_VA + 64);
	c.cs[c.n++] = CS_MOVE32(2, 0xb1d0b1d0);
	c.cs[c.n++] = CS_STORE_MULTIPLE(2, 0, 0x1, 0);
	if (!ctx_submit(&c, 0))
		goto out;
	/* SYNC_ONLY: wait for that job, signal a binary syncobj. */
	ops[1] = (struct drm_panthor_sync_op) {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = bin.handle,
	};
	if (!expect(!bind_op(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, ops, 2, 0),
		    "SYNC_ONLY") ||
	    !expect(!syncobj_wait_point(bin.handle, 0), "SYNC_ONLY did not signal"))
		goto out;
	e1 = bind_op(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, NULL, 0, 0) ? errno : 0;
	e2 = bind_op(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, ops, 2, 1) ? errno : 0;
	ok = expect(data2[16] == 0xb1d0b1d0, "the job's store through the async mapping") &&
	     expect(e1 == EINVAL, "SYNC_ONLY without syncs not EINVAL") &&
	     expect(e2 == EINVAL, "synchronous SYNC_ONLY not EINVAL");
	printf("  async MAP after a job, job through it stored 0x%08x; SYNC_ONLY chained; "
	       "SYNC_ONLY without syncs: %s, synchronous: %s\n", data2[16], strerror(e1),
	       strerror(e2));
out:
	if (data2 != MAP_FAILED)
		munmap(data2, BO_SIZE);
	if (cl.handle)
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	ctx_close(&c, &ok);
	return ok;
}

/*
 * Unbind the GPU from @driver while this client holds a VM, a mapped BO and
 * a group with a finished job: the BO's contents stay readable through the
 * CPU mapping, GROUP_SUBMIT fails with ENODEV, tearing everything down
 * works; after binding again, a new client runs a job.
 */
static int run_unbind_job(const char *driver)
{
	struct drm_panthor_queue_submit qs = { .stream_size = 8 };
	struct drm_panthor_group_submit gs = { .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs) };
	struct job_ctx c = { 0 };
	struct drm_version ver;
	char path[128];
	int ok = 0, err;

	if (!ctx_open(&c, 1))
		goto out;
	ctx_store_word(&c, 0xdeadbeef);
	if (!ctx_submit(&c, 0))
		goto out;
	ctx_next_stream(&c);
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/unbind", driver);
	if (!expect(!sysfs_write(path, "9800000.gpu"), "unbind"))
		goto out;
	c.cs[c.n++] = CS_MOVE32(2, 1);
	qs.stream_addr = BO_VA + ((char *)c.cs - (char *)c.map);
	gs.group_handle = c.gc.group_handle;
	err = ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs) ? errno : 0;
	ok = expect(c.data[0] == 0xdeadbeef, "the BO's contents are gone after unbind") &&
	     expect(err == ENODEV, "GROUP_SUBMIT after unbind not ENODEV");
	printf("  unbound with a live client: BO still reads 0x%08x, GROUP_SUBMIT: %s\n",
	       c.data[0], strerror(err));
out:
	ctx_close(&c, &ok);
	close(fd);
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/bind", driver);
	if (!expect(!sysfs_write(path, "9800000.gpu"), "bind again"))
		return 0;
	fd = open_panthor(&ver, node, sizeof(node));
	if (!expect(fd >= 0, "no render node after binding again"))
		return 0;
	return ok && run_job(1, JOB_STORE);
}

/* Write to debugfs dri/<n>/reset. */
static int debugfs_reset(void)
{
	char path[96];

	return debugfs_path("reset", path, sizeof(path)) && !sysfs_write(path, "1");
}

/*
 * GPU reset (panthor-reclaim's debugfs "reset"): a group blocked on its
 * slot loses its state and reports TIMEDOUT, its job's fence signals, and
 * the GPU runs a new group's job afterwards.
 */
static int run_reset_job(void)
{
	struct job_ctx c = { 0 };
	__u32 state, fatal;
	int ok = 0, done, status;
	pid_t child;

	if (!ctx_open(&c, 1))
		goto out;
	c.cs[c.n++] = CS_MOVE32(5, 0);
	c.cs[c.n++] = CS_MOVE48(6, BO_VA + DATA_OFF + 12);
	c.cs[c.n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 5, 6);
	/* The job blocks on its slot; a child resets the GPU meanwhile. */
	child = fork();
	if (child == 0) {
		usleep(300000);
		_exit(!debugfs_reset());
	}
	done = ctx_submit(&c, 0);
	if (!expect(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
		    !WEXITSTATUS(status), "debugfs reset"))
		goto out;
	state = ctx_group_state(&c, &fatal);
	ok = expect(done, "the blocked job's fence did not signal after the reset") &&
	     expect(state == (DRM_PANTHOR_GROUP_STATE_TIMEDOUT | DRM_PANTHOR_GROUP_STATE_INNOCENT),
		    "group not TIMEDOUT|INNOCENT after reset");
	printf("  blocked group after a GPU reset: state 0x%x, its job's fence signalled\n", state);
out:
	ctx_close(&c, &ok);
	return ok && run_job(1, JOB_STORE);
}

/*
 * The number fdinfo key @key of our fd gives, or -1; the word after it (a
 * unit, "" when none) in @unit when not NULL (8 bytes).
 */
static long long fdinfo_field(const char *key, char *unit)
{
	char path[64], line[256], u[8] = "";
	size_t len = strlen(key);
	long long v = -1, n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%lld %7s", &n, u) >= 1)
			v = n;
	fclose(f);
	if (unit)
		memcpy(unit, u, sizeof(u));
	return v;
}

/* The value of fdinfo key @key of our fd, or -1. */
static long long fdinfo_value(const char *key)
{
	return fdinfo_field(key, NULL);
}

/* An fdinfo memory value in bytes ("N", "N KiB" or "N MiB"); -1 when missing. */
static long long fdinfo_bytes(const char *key)
{
	char unit[8];
	long long v = fdinfo_field(key, unit);

	if (v < 0)
		return v;
	return v << (!strcmp(unit, "KiB") ? 10 : !strcmp(unit, "MiB") ? 20 : 0);
}

/*
 * fdinfo (panthor-reclaim; stock 6.12 has none): after a job, the file's
 * GPU time and cycles grew, and its resident memory covers the BO.
 */
static int run_fdinfo_job(void)
{
	long long time0 = fdinfo_value("drm-engine-panthor");
	long long cycles0 = fdinfo_value("drm-cycles-panthor");
	long long time1, cycles1, resident, total;
	struct job_ctx c = { 0 };
	int ok = 0;

	if (!ctx_open(&c, 1))
		goto out;
	ctx_store_word(&c, 0xf0f0f0f0);
	if (!ctx_submit(&c, 0))
		goto out;
	time1 = fdinfo_value("drm-engine-panthor");
	cycles1 = fdinfo_value("drm-cycles-panthor");
	total = fdinfo_value("drm-total-memory");
	resident = fdinfo_value("drm-resident-memory");
	ok = expect(time0 >= 0 && cycles0 >= 0, "no drm-engine/drm-cycles keys") &&
	     expect(time1 > time0, "drm-engine-panthor did not grow") &&
	     expect(cycles1 > cycles0, "drm-cycles-panthor did not grow") &&
	     expect(total >= BO_SIZE / 1024 && resident >= BO_SIZE / 1024,
		    "drm-total/resident-memory below the BO's size");
	printf("  after one job: drm-engine-panthor %lld -> %lld ns,", time0, time1);
	printf(" drm-cycles-panthor %lld -> %lld, total %lld KiB, resident %lld KiB\n", cycles0,
	       cycles1, total, resident);
out:
	ctx_close(&c, &ok);
	return ok;
}

static int query_timestamp(struct drm_panthor_timestamp_info *ts)
{
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, .size = sizeof(*ts),
		.pointer = (uintptr_t)ts,
	};

	return ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
}

/* The uAPI minor panthor-reclaim reports: every feature up to it is there. */
#define MINOR_EXPECTED	9

/*
 * TIMESTAMP_INFO with flags (1.8): the GPU counter, CLOCK_MONOTONIC and the
 * cycle counter sampled together, with the duration; the CPU sample lies
 * between two clock_gettime() calls, what was not asked for is zero, the
 * flags come back unchanged, and unknown flags are refused.
 */
static int check_timestamp_flags(void)
{
	const __u32 flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC |
			    DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT | DRM_PANTHOR_TIMESTAMP_DURATION;
	struct drm_panthor_timestamp_info ts = { .flags = flags }, bad = { .flags = 1u << 8 };
	struct drm_panthor_timestamp_info raw = { .flags = 3u << 1 };
	struct timespec m1, m2;
	double t1, t, t2;

	clock_gettime(CLOCK_MONOTONIC, &m1);
	if (!expect(!query_timestamp(&ts), "TIMESTAMP_INFO with flags"))
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &m2);
	t1 = m1.tv_sec + m1.tv_nsec / 1e9;
	t = ts.cpu_timestamp_sec + ts.cpu_timestamp_nsec / 1e9;
	t2 = m2.tv_sec + m2.tv_nsec / 1e9;
	printf("  flags 0x%x: GPU %llu, CLOCK_MONOTONIC %.6f in [%.6f, %.6f], cycles %llu, %u ns\n",
	       ts.flags, (unsigned long long)ts.current_timestamp, t, t1, t2,
	       (unsigned long long)ts.cycle_count, ts.duration_nsec);
	return expect(ts.flags == flags, "flags not returned unchanged") &&
	       expect(ts.current_timestamp && ts.cycle_count, "GPU counters not read") &&
	       expect(t1 <= t && t <= t2, "CPU sample outside the bracket") &&
	       expect(!ts.timestamp_frequency && !ts.timestamp_offset, "unasked fields set") &&
	       expect(ts.duration_nsec < 1000000000u, "duration above a second") &&
	       expect(query_timestamp(&bad) == -1 && errno == EINVAL, "unknown flag accepted") &&
	       expect(query_timestamp(&raw) == -1 && errno == EINVAL, "CPU clock 3 accepted");
}

/*
 * uAPI 1.1-1.3 and 1.8-1.9 queries (panthor-reclaim; stock 6.12 is 1.0): the
 * driver reports MINOR_EXPECTED; TIMESTAMP_INFO brackets a timestamp the GPU
 * stores in a job, and samples what its flags ask for; GROUP_PRIORITIES_INFO
 * allows all four priorities to root, and a REALTIME group runs a job;
 * MMU_INFO gives 4 KiB pages and 2 MiB blocks; GPU_INFO says the model's GPU
 * is not coherent (its node has no dma-coherent).
 */
static int run_minors_job(void)
{
	struct drm_panthor_group_priorities_info prio = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, .size = sizeof(prio),
		.pointer = (uintptr_t)&prio,
	};
	struct drm_panthor_timestamp_info t1 = { 0 }, t2 = { 0 };
	struct drm_panthor_mmu_info mmu = { 0 };
	struct drm_panthor_dev_query qm = {
		.type = DRM_PANTHOR_DEV_QUERY_MMU_INFO, .size = sizeof(mmu),
		.pointer = (uintptr_t)&mmu,
	};
	struct drm_panthor_gpu_info gpu = { 0 };
	struct drm_panthor_dev_query qg = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_version ver = { 0 };
	struct job_ctx c = { 0 };
	struct timespec m1, m2;
	double ratio = 0;
	__u64 gpu_ts;
	int ok = 0;

	if (!expect(!ioctl(fd, DRM_IOCTL_VERSION, &ver), "DRM_IOCTL_VERSION") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), "GROUP_PRIORITIES_INFO") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &qm), "MMU_INFO") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &qg), "GPU_INFO") ||
	    !expect(!query_timestamp(&t1), "TIMESTAMP_INFO"))
		return 0;
	printf("  MMU_INFO page sizes 0x%llx; selected coherency %u\n",
	       (unsigned long long)mmu.page_size_bitmap, gpu.selected_coherency);
	if (!expect(mmu.page_size_bitmap == (4096 | 2 << 20), "page sizes not 4 KiB and 2 MiB") ||
	    !expect(gpu.selected_coherency == DRM_PANTHOR_GPU_COHERENCY_NONE,
		    "a non-coherent GPU reports a coherency protocol") ||
	    !expect(t1.flags == 0 && t1.cycle_count == 0 && t1.cpu_timestamp_sec == 0,
		    "flags 0 did not give the 1.1 answer") ||
	    !check_timestamp_flags())
		return 0;
	c.gc.priority = PANTHOR_GROUP_PRIORITY_REALTIME;
	if (!ctx_open(&c, 1))
		goto out;
	c.cs[c.n++] = CS_MOVE48(0, BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_STORE_TIMESTAMP(0, 0);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	if (!ctx_submit(&c, 0))
		goto out;
	usleep(200000);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	if (!expect(!query_timestamp(&t2), "TIMESTAMP_INFO"))
		goto out;
	/* The counter's rate, in the CPU clock's terms: loose, it only catches a wrong unit. */
	ratio = (double)(t2.current_timestamp - t1.current_timestamp) / t1.timestamp_frequency /
		((m2.tv_sec - m1.tv_sec) + (m2.tv_nsec - m1.tv_nsec) / 1e9);
	gpu_ts = c.data[0] | (__u64)c.data[1] << 32;
	ok = expect(ver.version_major == 1 && ver.version_minor == MINOR_EXPECTED,
		    "not the expected uAPI minor") &&
	     expect(prio.allowed_mask == 0xf, "root not allowed all four priorities") &&
	     expect(t1.timestamp_frequency > 0, "no timestamp frequency") &&
	     expect(t1.current_timestamp <= gpu_ts && gpu_ts <= t2.current_timestamp,
		    "the job's GPU timestamp is outside the two queries") &&
	     expect(ratio > 0.5 && ratio < 2, "the frequency does not match the counter's rate");
	printf("  uAPI %d.%d; priorities allowed 0x%x;", ver.version_major, ver.version_minor,
	       prio.allowed_mask);
	printf(" a REALTIME group's job stored timestamp %llu,", (unsigned long long)gpu_ts);
	printf(" between the queries' %llu and %llu; %llu Hz, %.2f of the CPU clock's rate\n",
	       (unsigned long long)t1.current_timestamp, (unsigned long long)t2.current_timestamp,
	       (unsigned long long)t1.timestamp_frequency, ratio);
out:
	ctx_close(&c, &ok);
	return ok;
}

static int debugfs_has(const char *name, const char *what);

static int set_label(__u32 handle, const char *label)
{
	struct drm_panthor_bo_set_label sl = { .handle = handle, .label = (uintptr_t)label };

	return ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
}

/*
 * BO_SET_LABEL (1.4): debugfs "gems" shows a label until it is cleared; the
 * longest label is 4095 characters, a longer one is -E2BIG.
 */
static int check_bo_label(__u32 handle)
{
	static char name[4097];
	int ok;

	memset(name, 'x', sizeof(name) - 1);
	name[4095] = 0;
	ok = expect(!set_label(handle, "panthor-job label"), "BO_SET_LABEL") &&
	     expect(debugfs_has("gems", "label=\"panthor-job label\""), "label not in gems") &&
	     expect(!set_label(handle, NULL), "BO_SET_LABEL clear") &&
	     expect(!debugfs_has("gems", "panthor-job label"), "cleared label still in gems") &&
	     expect(!set_label(handle, name), "4095-character label refused");
	name[4095] = 'x';
	ok = ok && expect(set_label(handle, name) == -1 && errno == E2BIG,
			  "4096-character label not -E2BIG");
	printf("  BO_SET_LABEL: label shown in debugfs gems and cleared;");
	printf(" 4095 characters taken, 4096 refused\n");
	return ok;
}

static __u32 latest_flush_id;	/* read from the USER page, so the read stays */

/* Map the USER page at @offset and read LATEST_FLUSH_ID. Return: 1, or 0 when mmap failed. */
static int read_user_page(__u64 offset)
{
	__u32 *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, offset);

	if (p == MAP_FAILED)
		return 0;
	latest_flush_id = p[0];
	munmap(p, 4096);
	return 1;
}

/*
 * SET_USER_MMIO_OFFSET (1.5): with the 32-bit offset chosen, the USER page
 * maps there and no longer at the 64-bit one; choosing 64-bit again undoes
 * it; other offsets are -EINVAL.
 */
static int check_user_mmio_offset(void)
{
	struct drm_panthor_set_user_mmio_offset o32 = { DRM_PANTHOR_USER_MMIO_OFFSET_32BIT };
	struct drm_panthor_set_user_mmio_offset o64 = { DRM_PANTHOR_USER_MMIO_OFFSET_64BIT };
	struct drm_panthor_set_user_mmio_offset bad = { 1ull << 50 };
	int ok;

	ok = expect(ioctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &bad) == -1 &&
		    errno == EINVAL, "offset 2^50 not -EINVAL") &&
	     expect(!ioctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &o32), "set 32-bit") &&
	     expect(read_user_page(DRM_PANTHOR_USER_MMIO_OFFSET_32BIT), "no USER page at 2^43") &&
	     expect(!read_user_page(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT), "USER page at 2^56") &&
	     expect(!ioctl(fd, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &o64), "set 64-bit") &&
	     expect(read_user_page(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT), "no USER page at 2^56");
	printf("  SET_USER_MMIO_OFFSET: USER page at 2^43 after choosing 32-bit,");
	printf(" at 2^56 again after 64-bit (LATEST_FLUSH_ID %u)\n", latest_flush_id);
	return ok;
}

static int bo_sync(__u32 handle, __u32 type, __u64 offset, __u64 size)
{
	struct drm_panthor_bo_sync_op op = {
		.handle = handle, .type = type, .offset = offset, .size = size,
	};
	struct drm_panthor_bo_sync bs = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	return ioctl(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
}

/*
 * BO minors (panthor-reclaim): labels (1.4), the USER page offset (1.5),
 * and a job on a WB_MMAP BO (1.7): the stream is written through a cached
 * mapping and flushed with BO_SYNC, the job's stores are read back after a
 * flush-and-invalidate, and BO_QUERY_INFO gives the creation flags. (QEMU's
 * CPU caches are coherent, so the cache maintenance itself is not observed
 * here: the test checks the ioctls and that nothing is lost on the way.)
 */
static int run_bo_minors_job(void)
{
	struct drm_panthor_bo_query_info qi = { 0 };
	struct job_ctx c = { 0 };
	int ok = 0;

	c.bc.flags = DRM_PANTHOR_BO_WB_MMAP;
	if (!ctx_open(&c, 1))
		goto out;
	qi.handle = c.bc.handle;
	if (!check_bo_label(c.bc.handle) || !check_user_mmio_offset() ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, &qi), "BO_QUERY_INFO"))
		goto out;
	ctx_store_word(&c, 0xcafe);
	if (!expect(!bo_sync(c.bc.handle, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH, 0, c.n * 8),
		    "BO_SYNC flush") || !ctx_submit(&c, 0))
		goto out;
	ok = expect(!bo_sync(c.bc.handle, DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE,
			     DATA_OFF, 4), "BO_SYNC flush and invalidate") &&
	     expect(c.data[0] == 0xcafe, "the job's store is not read back") &&
	     expect(qi.create_flags == DRM_PANTHOR_BO_WB_MMAP && !qi.extra_flags && !qi.pad,
		    "BO_QUERY_INFO flags") &&
	     expect(bo_sync(c.bc.handle, 2, 0, 4) == -1 && errno == EINVAL, "sync type 2") &&
	     expect(bo_sync(c.bc.handle, 0, BO_SIZE, 1) == -1 && errno == EINVAL,
		    "sync past the end");
	printf("  WB_MMAP BO: stream flushed, job stored 0x%x, read back after invalidating;"
	       " BO_QUERY_INFO create_flags 0x%x extra 0x%x\n", c.data[0], qi.create_flags,
	       qi.extra_flags);
out:
	ctx_close(&c, &ok);
	return ok;
}

#define SPARSE_VA	0x10001000ull	/* not 2 MiB-aligned: the cycle starts mid-BO */
#define SPARSE_SIZE	(6ull << 20)
#define SPARSE_VA2	0x20000000ull	/* 2 MiB-aligned */

/*
 * MAP_SPARSE (1.9): a sparse range shows one dummy BO over and over, aligned
 * on the VA, so what a job stores at a sparse VA it reads back 2 MiB further
 * and in another sparse range at the same offset in 2 MiB; unmapping the
 * middle of the range leaves the rest mapped the same way. Sparse mappings
 * take no BO, no offset, and must be NOEXEC.
 */
/* A synchronous VM_BIND of one operation with a BO offset. */
static int bind_sync(struct job_ctx *c, __u32 flags, __u32 bo, __u64 va, __u64 size,
		     __u64 bo_offset)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = bo, .bo_offset = bo_offset, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind vb = { .vm_id = c->vc.id, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	return ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
}

static int run_sparse_job(void)
{
	const __u32 sparse = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
	struct job_ctx c = { 0 };
	int ok = 0;

	if (!ctx_open(&c, 1))
		goto out;
	if (!expect(bind_sync(&c, sparse, c.bc.handle, SPARSE_VA, SPARSE_SIZE, 0) == -1 &&
		    errno == EINVAL, "sparse with a BO handle accepted") ||
	    !expect(bind_sync(&c, sparse & ~DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, 0, SPARSE_VA,
			      SPARSE_SIZE, 0) == -1 && errno == EINVAL,
		    "executable sparse accepted") ||
	    !expect(bind_sync(&c, sparse, 0, SPARSE_VA, SPARSE_SIZE, 4096) == -1 &&
		    errno == EINVAL, "sparse with a BO offset accepted") ||
	    !expect(!bind_sync(&c, sparse, 0, SPARSE_VA, SPARSE_SIZE, 0), "VM_BIND sparse") ||
	    !expect(!bind_sync(&c, sparse, 0, SPARSE_VA2, 2 << 20, 0), "second VM_BIND sparse"))
		goto out;
	c.cs[c.n++] = CS_MOVE48(0, SPARSE_VA + 0x3000);
	c.cs[c.n++] = CS_MOVE32(2, 0x5ba75e01);
	c.cs[c.n++] = CS_STORE_MULTIPLE(2, 0, 0x1, 0);
	c.cs[c.n++] = CS_MOVE48(4, SPARSE_VA + 0x3000 + (2 << 20));
	c.cs[c.n++] = CS_LOAD_MULTIPLE(6, 4, 0x1, 0);
	c.cs[c.n++] = CS_MOVE48(4, SPARSE_VA + 0x3000 + (4 << 20));
	c.cs[c.n++] = CS_LOAD_MULTIPLE(7, 4, 0x1, 0);
	c.cs[c.n++] = CS_MOVE48(4, SPARSE_VA2 + ((SPARSE_VA + 0x3000) & ((2 << 20) - 1)));
	c.cs[c.n++] = CS_LOAD_MULTIPLE(8, 4, 0x1, 0);
	c.cs[c.n++] = CS_MOVE48(0, BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_STORE_MULTIPLE(6, 0, 0x7, 0);
	if (!ctx_submit(&c, 0) ||
	    !expect(c.data[0] == 0x5ba75e01 && c.data[1] == 0x5ba75e01,
		    "the store not seen 2 and 4 MiB further") ||
	    !expect(c.data[2] == 0x5ba75e01,
		    "another sparse range does not show the same page at the same 2 MiB offset") ||
	    !expect(!bind_sync(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, SPARSE_VA + (2 << 20),
			     2 << 20, 0), "UNMAP the middle of the sparse range"))
		goto out;
	printf("  stored 0x5ba75e01 at sparse 0x%llx, read back at +2 MiB, +4 MiB and in",
	       SPARSE_VA + 0x3000);
	printf(" another sparse range at the same offset in 2 MiB;");
	memset(c.data, 0, 8);
	ctx_next_stream(&c);
	c.cs[c.n++] = CS_MOVE48(4, SPARSE_VA + 0x3000 + (4 << 20));
	c.cs[c.n++] = CS_LOAD_MULTIPLE(6, 4, 0x1, 0);
	c.cs[c.n++] = CS_MOVE48(0, BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_STORE_MULTIPLE(6, 0, 0x1, 0);
	ok = ctx_submit(&c, 0) &&
	     expect(c.data[0] == 0x5ba75e01, "the last piece lost its mapping after the UNMAP");
	printf(" after unmapping the middle 2 MiB, +4 MiB still reads 0x%x\n", c.data[0]);
out:
	ctx_close(&c, &ok);
	return ok;
}

/*
 * The "@key=" of the BO labelled @label in debugfs "gems" ("busy",
 * "evicted"): 1 for yes, 0 for no, -1 when the BO or the key is not there.
 */
static int debugfs_bo_yes(const char *label, const char *key)
{
	char path[96], line[256], want[96], k[32];
	int found = 0, yes = -1;
	FILE *f;

	if (!debugfs_path("gems", path, sizeof(path)))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	snprintf(want, sizeof(want), "label=\"%s\"", label);
	snprintf(k, sizeof(k), "%s=", key);
	while (yes < 0 && fgets(line, sizeof(line), f)) {
		if (strstr(line, want))
			found = 1;
		else if (found && strstr(line, k))
			yes = !strncmp(strstr(line, k) + strlen(k), "yes", 3);
	}
	fclose(f);
	return yes;
}

/*
 * A BO with a reservation object of its own (not VM-private), mapped in a
 * VM, carries the fences of the VM's jobs (as book-keeping, for reclaim):
 * debugfs shows it busy while a job of the VM is blocked, even though the
 * job does not touch it, and idle once the job is done.
 */
static int run_extobj_busy_job(void)
{
	struct drm_panthor_bo_create bc = { .size = 4096 };
	struct drm_gem_close cl = { 0 };
	struct job_ctx c = { 0 };
	int ok = 0, busy = -1, idle = -1, i;
	__u32 *flag;

	if (!ctx_open(&c, 2) ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), "BO_CREATE"))
		goto out;
	cl.handle = bc.handle;
	if (!expect(!set_label(bc.handle, "panthor-job extobj"), "BO_SET_LABEL") ||
	    !expect(!bind_sync(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bc.handle, 0x2000000, 4096, 0),
		    "VM_BIND of the shared BO") ||
	    !expect(debugfs_bo_yes("panthor-job extobj", "busy") == 0,
		    "mapped BO busy before any job"))
		goto out;
	flag = (__u32 *)((char *)c.map + FLAG_OFF);
	*flag = 0;
	c.cs[c.n++] = CS_MOVE48(4, BO_VA + FLAG_OFF);
	c.cs[c.n++] = CS_MOVE32(3, 0);
	c.cs[c.n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 3, 4);
	ctx_store_word(&c, 0xb0b0b0b0);
	if (!ctx_push(&c, 0))
		goto out;
	usleep(100000);
	busy = debugfs_bo_yes("panthor-job extobj", "busy");
	ctx_next_stream(&c);
	c.cs[c.n++] = CS_MOVE48(4, BO_VA + FLAG_OFF);
	c.cs[c.n++] = CS_MOVE32(3, 1);
	c.cs[c.n++] = CS_SYNC_SET32(3, 4);
	if (!ctx_submit(&c, 1))
		goto out;
	for (i = 0; i < 50 && idle != 0; i++) {
		usleep(100000);
		idle = c.data[0] == 0xb0b0b0b0 ? debugfs_bo_yes("panthor-job extobj", "busy") : -1;
	}
	printf("  shared BO mapped in the VM: busy=%d while a job of the VM waits, %d after\n",
	       busy, idle);
	ok = expect(busy == 1, "not busy while a job of its VM runs") &&
	     expect(idle == 0, "still busy after the jobs");
out:
	if (cl.handle)
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	ctx_close(&c, &ok);
	return ok;
}

/* Whether the debugfs file dri/<n>/@name contains @what. */
static int debugfs_has(const char *name, const char *what)
{
	FILE *f = debugfs_open(name);
	char line[256];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !!strstr(line, what);
	fclose(f);
	return found;
}

/* The columns of the "reclaim:" line of debugfs "gems". */
enum { GEMS_UNRECLAIMABLE, GEMS_UNUSED, GEMS_MMAPPED, GEMS_GPU, GEMS_SHARED };

/*
 * The pages "gems" counts as resident in reclaim state @state (GEMS_*),
 * from its "reclaim:" line; -1 when the line is missing.
 */
static long debugfs_reclaim_pages(int state)
{
	static const char fmt[] =
		"reclaim: pages unreclaimable %lu unused %lu mmapped %lu gpu %lu shared %lu";
	FILE *f = debugfs_open("gems");
	unsigned long n[5];
	long pages = -1;
	char line[256];

	if (!f)
		return -1;
	while (pages < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &n[0], &n[1], &n[2], &n[3], &n[4]) == 5)
			pages = n[state];
	fclose(f);
	return pages;
}

/*
 * debugfs (panthor-reclaim): with a job done, "gems" lists the BO as
 * resident and counts its pages as GPU-mapped in one VM for reclaim,
 * "gpuvas" its mapping, "sched" the CSG slots.
 */
static int run_debugfs_job(void)
{
	struct job_ctx c = { 0 };
	char bytes[32];
	int ok = 0;

	if (!ctx_open(&c, 1))
		goto out;
	c.cs[c.n++] = CS_MOVE32(2, 1);
	if (!ctx_submit(&c, 0))
		goto out;
	snprintf(bytes, sizeof(bytes), "%d bytes", BO_SIZE);
	ok = expect(debugfs_has("gems", bytes) && debugfs_has("gems", "resident=yes"),
		    "gems does not list the resident BO") &&
	     expect(debugfs_reclaim_pages(GEMS_GPU) >= BO_SIZE / 4096,
		    "gems' reclaim line does not count the BO's pages as GPU-mapped in one VM") &&
	     expect(debugfs_has("gpuvas", "0x0000000001000000"), "gpuvas lacks the mapping") &&
	     expect(debugfs_has("sched", "slot 0:"), "sched lacks the slots");
	printf("  debugfs: gems lists the %s BO resident, its pages GPU-mapped for reclaim,",
	       bytes);
	printf(" gpuvas its mapping at 0x1000000, sched the CSG slots\n");
out:
	ctx_close(&c, &ok);
	return ok;
}

#define RECLAIM_BOS	8
#define RECLAIM_BO_SIZE	(256 * 1024)
#define RECLAIM_BOUND	4		/* BOs 0-3 are also GPU-mapped */
#define RECLAIM_VA	0x4000000ull	/* where BO i is bound: + i * RECLAIM_BO_SIZE */
#define RECLAIM_PAGES	4		/* pages of each bound BO a job reads back */
#define RECLAIM_OUT	0x8000		/* where the job stores them in the context BO */

/* The word at index @i of reclaim BO @bo. */
static __u32 reclaim_word(unsigned int bo, unsigned int i)
{
	return (bo << 24) ^ (i * 2654435761u);
}

/* Fill or check a reclaim BO with words only it has; return the bad words. */
static unsigned int reclaim_pattern(__u32 *w, unsigned int bo, int check)
{
	unsigned int i, bad = 0;

	for (i = 0; i < RECLAIM_BO_SIZE / 4; i++) {
		if (!check)
			w[i] = reclaim_word(bo, i);
		else
			bad += w[i] != reclaim_word(bo, i);
	}
	return bad;
}

/*
 * Reclaim BO @i: created with @flags, filled with its pattern through an
 * mmap left in *@map, bound at RECLAIM_VA + @i * RECLAIM_BO_SIZE in VM
 * @vm_id unless it is 0. Return: 1, or 0 after printing what failed.
 */
static int reclaim_bo_new(unsigned int i, __u32 flags, __u32 vm_id,
			  struct drm_panthor_bo_create *bc, __u32 **map)
{
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
		.va = RECLAIM_VA + i * RECLAIM_BO_SIZE, .size = RECLAIM_BO_SIZE,
	};
	struct drm_panthor_vm_bind vb = { .vm_id = vm_id, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	*bc = (struct drm_panthor_bo_create){ .size = RECLAIM_BO_SIZE, .flags = flags };
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, bc), "BO_CREATE"))
		return 0;
	mo.handle = bc->handle;
	op.bo_handle = bc->handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET") ||
	    (vm_id && !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb), "VM_BIND")))
		return 0;
	*map = mmap(NULL, RECLAIM_BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (!expect(*map != MAP_FAILED, "mmap")) {
		*map = NULL;
		return 0;
	}
	reclaim_pattern(*map, i, 0);
	return 1;
}

/* Unmap and close the first @n reclaim BOs (those reclaim_bo_new() made). */
static void reclaim_bos_free(unsigned int n, struct drm_panthor_bo_create *bc, __u32 **map)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct drm_gem_close gc = { .handle = bc[i].handle };

		if (map[i])
			munmap(map[i], RECLAIM_BO_SIZE);
		if (bc[i].handle)
			ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
	}
}

/*
 * A job of @c's VM copies 16 words from RECLAIM_PAGES pages of each bound
 * BO to RECLAIM_OUT: the submission must map them back first. Return: the
 * words that differ from the pattern, or -1 when the job did not run.
 */
static int reclaim_gpu_check(struct job_ctx *c)
{
	__u32 *out = (__u32 *)((char *)c->map + RECLAIM_OUT);
	unsigned int bo, k, j, bad = 0;

	memset(out, 0, RECLAIM_BOUND * RECLAIM_PAGES * 64);
	ctx_next_stream(c);
	for (bo = 0; bo < RECLAIM_BOUND; bo++) {
		for (k = 0; k < RECLAIM_PAGES; k++) {
			__u64 page = k * (RECLAIM_BO_SIZE / 4096 / RECLAIM_PAGES) + bo;
			__u64 va = RECLAIM_VA + bo * RECLAIM_BO_SIZE + page * 4096;

			c->cs[c->n++] = CS_MOVE48(0, va);
			c->cs[c->n++] = CS_LOAD_MULTIPLE(2, 0, 0xffff, 0);
			c->cs[c->n++] = CS_MOVE48(0, BO_VA + RECLAIM_OUT +
						     (bo * RECLAIM_PAGES + k) * 64);
			c->cs[c->n++] = CS_STORE_MULTIPLE(2, 0, 0xffff, 0);
		}
	}
	if (!ctx_submit(c, 0))
		return -1;
	for (bo = 0; bo < RECLAIM_BOUND; bo++)
		for (k = 0; k < RECLAIM_PAGES; k++)
			for (j = 0; j < 16; j++) {
				__u32 page = k * (RECLAIM_BO_SIZE / 4096 / RECLAIM_PAGES) + bo;

				bad += out[(bo * RECLAIM_PAGES + k) * 16 + j] !=
				       reclaim_word(bo, page * 1024 + j);
			}
	return bad;
}

/*
 * One round of reclaim-shrink: write @what to debugfs @name and check that
 * every BO was evicted (counters, fdinfo), the GPU-mapped ones and the
 * context's own too; a job then reads the bound BOs back through the GPU
 * (its submission maps them again), and the CPU reads every word (mapping
 * the unmapped BOs for it, then unmapping them again).
 */
static int reclaim_round(const char *name, const char *what, struct job_ctx *c,
			 struct drm_panthor_bo_create *bc, __u32 **map)
{
	long evicted0 = reclaim_stat("evicted_pages"), restored = reclaim_stat("restored_pages");
	long want = RECLAIM_BOS * (RECLAIM_BO_SIZE / 4096) + BO_SIZE / 4096;
	long busy = reclaim_stat("busy"), evicted = 0, gpu_left, shared_left;
	unsigned int i, bad = 0, writes;
	long long fd_evicted;
	int gpu_bad, ok;

	/*
	 * Reclaim only trylocks: a BO whose lock someone holds at that moment
	 * (the scheduler freeing the last job, on a slow kernel) is skipped,
	 * by design. A second or third try must get the rest.
	 */
	for (writes = 1; writes <= 3 && evicted < want; writes++) {
		if (writes > 1)
			usleep(100000);
		if (!expect(debugfs_write(name, what), "write to a debugfs reclaim file"))
			return 0;
		evicted = reclaim_stat("evicted_pages") - evicted0;
	}
	busy = reclaim_stat("busy") - busy;
	if (writes > 2)
		printf("  %s: %u writes to get every BO (%ld skipped as busy)\n", name, writes - 1,
		       busy);
	fd_evicted = fdinfo_value("prc-evicted-memory");
	gpu_left = debugfs_reclaim_pages(GEMS_GPU);
	shared_left = debugfs_reclaim_pages(GEMS_SHARED);
	if (!expect(evicted >= want, "fewer pages evicted than the idle BOs have") ||
	    !expect(fd_evicted >= want * 4, "fdinfo prc-evicted-memory does not count them all") ||
	    !expect(gpu_left == 0 && shared_left == 0, "GPU-mapped BOs stayed resident"))
		return 0;
	gpu_bad = reclaim_gpu_check(c);
	if (!expect(gpu_bad >= 0, "job on evicted BOs"))
		return 0;
	for (i = 0; i < RECLAIM_BOS; i++) {
		__u32 *view = map[i];

		if (!view) {
			struct drm_panthor_bo_mmap_offset mo = { .handle = bc[i].handle };

			if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo),
				    "BO_MMAP_OFFSET"))
				return 0;
			view = mmap(NULL, RECLAIM_BO_SIZE, PROT_READ, MAP_SHARED, fd, mo.offset);
			if (!expect(view != MAP_FAILED, "mmap"))
				return 0;
		}
		bad += reclaim_pattern(view, i, 1);
		if (view != map[i])
			munmap(view, RECLAIM_BO_SIZE);
	}
	restored = reclaim_stat("restored_pages") - restored;
	ok = expect(!gpu_bad, "words the GPU read back changed by eviction and restore") &&
	     expect(!bad, "words the CPU read back changed by eviction and restore") &&
	     expect(restored >= want, "fewer pages restored than evicted") &&
	     expect(fdinfo_value("prc-evicted-memory") == 0,
		    "fdinfo prc-evicted-memory not back to 0 after the restore");
	printf("  %s: %ld pages evicted (fdinfo: %lld KiB), GPU-mapped pages left %ld + %ld;\n",
	       name, evicted, fd_evicted, gpu_left, shared_left);
	printf("    GPU read %d of %d words wrong, CPU read %u of %d; %ld pages restored\n",
	       gpu_bad, RECLAIM_BOUND * RECLAIM_PAGES * 16, bad,
	       RECLAIM_BOS * RECLAIM_BO_SIZE / 4, restored);
	return ok;
}

/*
 * Reclaim (panthor-reclaim): BOs filled through mmap, half still mapped and
 * half unmapped, half of each also GPU-mapped in the context's VM (with a
 * reservation object of their own), and the context's BO (private to the
 * VM, holding the streams) are all evicted once the job is done: first by
 * the per-client trigger (debugfs reclaim_client, our pid), then by a
 * debugfs shrink. Each time the counters say so, a job reads the bound BOs
 * back through the GPU and the CPU reads every word, all intact.
 */
static int run_reclaim_job(void)
{
	struct drm_panthor_bo_create bc[RECLAIM_BOS] = { 0 };
	__u32 *map[RECLAIM_BOS] = { 0 };
	struct job_ctx c = { 0 };
	char pid[16];
	unsigned int i;
	int ok = 0;

	if (!ctx_open(&c, 1))
		goto out;
	for (i = 0; i < RECLAIM_BOS; i++) {
		if (!reclaim_bo_new(i, 0, i < RECLAIM_BOUND ? c.vc.id : 0, &bc[i], &map[i]))
			goto out_bos;
		/* Every other BO unmapped by the CPU. */
		if (i & 1) {
			munmap(map[i], RECLAIM_BO_SIZE);
			map[i] = NULL;
		}
	}
	c.cs[c.n++] = CS_MOVE32(2, 1);
	if (!ctx_submit(&c, 0))
		goto out_bos;
	printf("  reclaim: %d idle BOs (%d KiB each, half CPU-mapped, %d GPU-mapped), and the\n",
	       RECLAIM_BOS, RECLAIM_BO_SIZE / 1024, RECLAIM_BOUND);
	printf("  context's BO (%d KiB, GPU-mapped, private to its VM):\n", BO_SIZE / 1024);
	snprintf(pid, sizeof(pid), "%d", getpid());
	ok = reclaim_round("reclaim_client", pid, &c, bc, map) &&
	     reclaim_round("shrink", "0", &c, bc, map);
out_bos:
	reclaim_bos_free(RECLAIM_BOS, bc, map);
out:
	ctx_close(&c, &ok);
	return ok;
}

#define HEAP_MARK_OFF	0x100		/* in a chunk's first page, past its header */
#define HEAP_MARK	0x4ea90001u

/*
 * Append to the stream: load the 2 header words of the heap chunk at
 * @chunk, the word at HEAP_MARK_OFF of its first page and the first word of
 * its second page into data words 0-3.
 */
static void ctx_heap_read(struct job_ctx *c, __u64 chunk)
{
	c->cs[c->n++] = CS_MOVE48(0, chunk);
	c->cs[c->n++] = CS_LOAD_MULTIPLE(4, 0, 0x3, 0);
	c->cs[c->n++] = CS_LOAD_MULTIPLE(6, 0, 0x1, HEAP_MARK_OFF);
	c->cs[c->n++] = CS_MOVE48(0, chunk + 4096);
	c->cs[c->n++] = CS_LOAD_MULTIPLE(7, 0, 0x1, 0);
	c->cs[c->n++] = CS_MOVE48(8, BO_VA + DATA_OFF);
	c->cs[c->n++] = CS_STORE_MULTIPLE(4, 8, 0xf, 0);
}

/*
 * Tiler-heap chunks (panthor-reclaim): a heap of two chunks in the
 * context's VM; a job stores a mark in the first chunk's first page (past
 * the header the firmware links chunks by) and in its second page and
 * reads the header. Once the VM is idle a debugfs shrink discards both
 * chunks but their first pages (heap_discarded_pages, heap_pages), and the
 * next job of the VM gets them back first (heap_restored_pages): it reads
 * the header and the first page's mark as they were, zeroes in the second.
 */
static int run_reclaim_heap_job(void)
{
	struct job_ctx c = {
		.hc = {
			.initial_chunk_count = 2, .chunk_size = HEAP_CHUNK,
			.max_chunks = HEAP_MAX, .target_in_flight = 1,
		},
	};
	const long body = 2 * (HEAP_CHUNK / 4096 - 1);
	long pages0, disc0, rest0, pages1 = 0, disc1 = 0;
	__u32 hdr[2], fatal;
	__u64 chunk;
	int ok = 0, tries;

	if (!ctx_open(&c, 1))
		goto out;
	chunk = c.hc.first_heap_chunk_gpu_va;
	c.cs[c.n++] = CS_MOVE48(0, chunk);
	c.cs[c.n++] = CS_MOVE32(2, HEAP_MARK);
	c.cs[c.n++] = CS_STORE_MULTIPLE(2, 0, 0x1, HEAP_MARK_OFF);
	c.cs[c.n++] = CS_MOVE32(2, HEAP_MARK + 1);
	c.cs[c.n++] = CS_STORE_MULTIPLE(2, 0, 0x1, 4096);
	ctx_heap_read(&c, chunk);
	if (!ctx_submit(&c, 0))
		goto out;
	memcpy(hdr, c.data, sizeof(hdr));
	printf("  heap of 2 x %d KiB chunks, first at 0x%llx: header 0x%08x%08x,",
	       HEAP_CHUNK / 1024, (unsigned long long)chunk, hdr[1], hdr[0]);
	printf(" marks 0x%x 0x%x\n", c.data[2], c.data[3]);
	if (!expect(c.data[2] == HEAP_MARK && c.data[3] == HEAP_MARK + 1,
		    "the job's marks in the heap chunk did not read back"))
		goto out;
	pages0 = reclaim_stat("heap_pages");
	disc0 = reclaim_stat("heap_discarded_pages");
	rest0 = reclaim_stat("heap_restored_pages");
	/* Reclaim trylocks: again while a lock was held at that moment. */
	for (tries = 1; tries <= 3 && disc1 - disc0 < body; tries++) {
		if (!expect(debugfs_write("shrink", "0"), "write to debugfs shrink"))
			goto out;
		pages1 = reclaim_stat("heap_pages");
		disc1 = reclaim_stat("heap_discarded_pages");
	}
	printf("  shrink (%d tries): heap_pages %ld -> %ld, heap_discarded_pages +%ld", tries - 1,
	       pages0, pages1, disc1 - disc0);
	printf(" (the heap's chunks less their first pages: %ld)\n", body);
	if (!expect(pages0 >= body && disc1 - disc0 >= body && pages1 <= pages0 - body,
		    "the idle VM's heap chunks were not discarded"))
		goto out;
	memset(c.data, 0xff, 16);
	ctx_next_stream(&c);
	ctx_heap_read(&c, chunk);
	if (!ctx_submit(&c, 0))
		goto out;
	printf("  next job: header 0x%08x%08x, marks 0x%x 0x%x; heap_restored_pages +%ld,",
	       c.data[1], c.data[0], c.data[2], c.data[3],
	       reclaim_stat("heap_restored_pages") - rest0);
	printf(" heap_pages %ld\n", reclaim_stat("heap_pages"));
	ok = expect(c.data[0] == hdr[0] && c.data[1] == hdr[1], "the chunk header changed") &&
	     expect(c.data[2] == HEAP_MARK, "the chunk's first page lost its content") &&
	     expect(c.data[3] == 0, "the discarded page did not come back zeroed") &&
	     expect(reclaim_stat("heap_restored_pages") - rest0 >= body,
		    "heap_restored_pages did not count the restore") &&
	     expect(reclaim_stat("heap_pages") >= pages0, "heap_pages not back") &&
	     expect(!ctx_group_state(&c, &fatal), "group not healthy after the jobs");
out:
	ctx_close(&c, &ok);
	return ok;
}

/* BO_MADVISE (ours); the retained flag, or -1 after printing the failure. */
static int madvise_bo(__u32 handle, __u32 advice)
{
	struct drm_panthor_prc_bo_madvise m = { .handle = handle, .advice = advice };

	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_PRC_BO_MADVISE, &m), "BO_MADVISE"))
		return -1;
	return m.retained;
}

/*
 * Purge and discard (panthor-reclaim): of three BOs bound in the context's
 * VM and filled through mmap, one is advised DONTNEED, one created
 * discardable, one plain. After a job, a debugfs shrink drops the first two
 * (purged and discarded pages counted, fdinfo's purgeable memory back to 0)
 * and swaps the third out; then a job reads all three through the GPU and
 * the CPU reads them: zeroes for the first two, the pattern for the plain
 * one. BO_MADVISE then reports the loss once (retained 0, then 1) and
 * nothing for the plain BO.
 */
static int run_reclaim_purge_job(void)
{
	static const __u32 flags[3] = { 0, DRM_PANTHOR_PRC_BO_DISCARDABLE, 0 };
	static const char * const what[3] = { "DONTNEED", "discardable", "plain" };
	struct drm_panthor_bo_create bc[3] = { 0 };
	__u32 *map[3] = { 0 }, *out = NULL;
	long purged, discarded, evicted;
	long long purgeable;
	struct job_ctx c = { 0 };
	unsigned int i, k, j, gpu_bad = 0, cpu_bad = 0;
	int ok = 0, r[3][2];

	if (!ctx_open(&c, 1))
		goto out;
	for (i = 0; i < 3; i++)
		if (!reclaim_bo_new(i, flags[i], c.vc.id, &bc[i], &map[i]))
			goto out_bos;
	c.cs[c.n++] = CS_MOVE32(2, 1);
	if (!ctx_submit(&c, 0) || madvise_bo(bc[0].handle, DRM_PANTHOR_PRC_MADV_DONTNEED) != 1)
		goto out_bos;
	purgeable = fdinfo_bytes("drm-purgeable-memory");
	purged = reclaim_stat("purged_pages");
	discarded = reclaim_stat("discarded_pages");
	evicted = reclaim_stat("evicted_pages");
	if (!expect(purgeable == RECLAIM_BO_SIZE,
		    "fdinfo drm-purgeable-memory is not the DONTNEED BO") ||
	    !expect(debugfs_write("shrink", "0"), "write to debugfs shrink"))
		goto out_bos;
	purged = reclaim_stat("purged_pages") - purged;
	discarded = reclaim_stat("discarded_pages") - discarded;
	evicted = reclaim_stat("evicted_pages") - evicted;
	if (!expect(purged == RECLAIM_BO_SIZE / 4096, "the DONTNEED BO was not purged") ||
	    !expect(discarded == RECLAIM_BO_SIZE / 4096, "the discardable BO was not discarded") ||
	    !expect(evicted >= RECLAIM_BO_SIZE / 4096, "the plain BO was not evicted") ||
	    !expect(fdinfo_bytes("drm-purgeable-memory") == 0,
		    "fdinfo drm-purgeable-memory not 0 after the purge"))
		goto out_bos;
	/* The GPU reads 16 words of 4 pages of each BO (the submission maps them back). */
	out = (__u32 *)((char *)c.map + RECLAIM_OUT);
	memset(out, 0xff, 3 * RECLAIM_PAGES * 64);
	ctx_next_stream(&c);
	for (i = 0; i < 3; i++)
		for (k = 0; k < RECLAIM_PAGES; k++) {
			__u64 va = RECLAIM_VA + i * RECLAIM_BO_SIZE + k * 16 * 4096;
			__u64 to = BO_VA + RECLAIM_OUT + (i * RECLAIM_PAGES + k) * 64;

			c.cs[c.n++] = CS_MOVE48(0, va);
			c.cs[c.n++] = CS_LOAD_MULTIPLE(2, 0, 0xffff, 0);
			c.cs[c.n++] = CS_MOVE48(0, to);
			c.cs[c.n++] = CS_STORE_MULTIPLE(2, 0, 0xffff, 0);
		}
	if (!ctx_submit(&c, 0))
		goto out_bos;
	for (i = 0; i < 3; i++) {
		for (k = 0; k < RECLAIM_PAGES; k++)
			for (j = 0; j < 16; j++)
				gpu_bad += out[(i * RECLAIM_PAGES + k) * 16 + j] !=
					   (i == 2 ? reclaim_word(i, k * 16 * 1024 + j) : 0);
		for (k = 0; k < RECLAIM_BO_SIZE / 4; k++)
			cpu_bad += map[i][k] != (i == 2 ? reclaim_word(i, k) : 0);
		r[i][0] = madvise_bo(bc[i].handle, DRM_PANTHOR_PRC_MADV_WILLNEED);
		r[i][1] = madvise_bo(bc[i].handle, DRM_PANTHOR_PRC_MADV_WILLNEED);
	}
	ok = expect(!gpu_bad, "GPU read wrong words (zeroes where dropped, else the pattern)") &&
	     expect(!cpu_bad, "CPU read wrong words (zeroes where dropped, else the pattern)") &&
	     expect(r[0][0] == 0 && r[0][1] == 1 && r[1][0] == 0 && r[1][1] == 1,
		    "BO_MADVISE does not report the loss once") &&
	     expect(r[2][0] == 1 && r[2][1] == 1, "BO_MADVISE reports a loss for the plain BO");
	printf("  purge: fdinfo drm-purgeable-memory %lld KiB, then a shrink: %ld pages purged,",
	       purgeable >> 10, purged);
	printf(" %ld discarded, %ld evicted\n", discarded, evicted);
	for (i = 0; i < 3; i++)
		printf("  %s BO: read back %s by GPU and CPU; BO_MADVISE retained %d then %d\n",
		       what[i], i == 2 ? "intact" : "as zeroes", r[i][0], r[i][1]);
	printf("  %u of %d GPU words and %u of %d CPU words wrong\n", gpu_bad,
	       3 * RECLAIM_PAGES * 16, cpu_bad, 3 * RECLAIM_BO_SIZE / 4);
out_bos:
	reclaim_bos_free(3, bc, map);
out:
	ctx_close(&c, &ok);
	return ok;
}

/*
 * Reclaim follows VM activity (panthor-reclaim): of two idle VMs, each with
 * its context BO GPU-mapped, a shrink of just one BO's pages takes the one
 * of the VM submitted to least recently; a job in it brings it back and
 * makes it the newest, so the next such shrink takes the other VM's.
 */
static int run_reclaim_vm_lru_job(void)
{
	struct job_ctx a = { 0 }, b = { 0 };
	char pages[16];
	int ok = 0, e1a, e1b, e2a, e2b;

	if (!ctx_open(&a, 1) || !ctx_open(&b, 1) ||
	    !expect(!set_label(a.bc.handle, "vm-lru-a") && !set_label(b.bc.handle, "vm-lru-b"),
		    "BO_SET_LABEL"))
		goto out;
	snprintf(pages, sizeof(pages), "%d", BO_SIZE / 4096);
	/* b first, then a: a is the newest. */
	b.cs[b.n++] = CS_MOVE32(2, 1);
	a.cs[a.n++] = CS_MOVE32(2, 1);
	if (!ctx_submit(&b, 0) || !ctx_submit(&a, 0) ||
	    !expect(debugfs_write("shrink", pages), "write to debugfs shrink"))
		goto out;
	e1a = debugfs_bo_yes("vm-lru-a", "evicted");
	e1b = debugfs_bo_yes("vm-lru-b", "evicted");
	/* A job in b restores it (its stream is in the BO) and makes b the newest. */
	ctx_next_stream(&b);
	b.cs[b.n++] = CS_MOVE32(2, 2);
	if (!ctx_submit(&b, 0) ||
	    !expect(debugfs_write("shrink", pages), "write to debugfs shrink"))
		goto out;
	e2a = debugfs_bo_yes("vm-lru-a", "evicted");
	e2b = debugfs_bo_yes("vm-lru-b", "evicted");
	ok = expect(e1a == 0 && e1b == 1, "the first shrink did not take the older VM's BO") &&
	     expect(e2a == 1 && e2b == 0, "the second shrink did not take the other VM's BO");
	printf("  shrink of %s pages, VM b older: a evicted %d, b evicted %d; after a job in b:",
	       pages, e1a, e1b);
	printf(" a evicted %d, b evicted %d\n", e2a, e2b);
out:
	ctx_close(&b, &ok);
	ctx_close(&a, &ok);
	return ok;
}

/*
 * CS registers survive a runtime suspend of the GPU: the group is suspended
 * (its state goes to the suspend buffer) and resumed from there.
 */
static int run_suspend_job(void)
{
	struct job_ctx c = { 0 };
	__u32 state, fatal;
	int ok = 0;

	if (!ctx_open(&c, 1))
		goto out;
	c.cs[c.n++] = CS_MOVE32(40, 0x5a5a0001);
	c.cs[c.n++] = CS_MOVE32(41, 0xa5a50002);
	if (!ctx_submit(&c, 0))
		goto out;
	if (!expect(wait_runtime(devdir, "suspended"), "GPU not runtime-suspended within 5 s"))
		goto out;
	ctx_next_stream(&c);
	c.cs[c.n++] = CS_MOVE48(0, BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_STORE_MULTIPLE(40, 0, 0x3, 0);
	if (!ctx_submit(&c, 0))
		goto out;
	state = ctx_group_state(&c, &fatal);
	printf("  registers set, GPU runtime-suspended, then stored: 0x%08x 0x%08x\n",
	       c.data[0], c.data[1]);
	ok = expect(!state, "group not healthy") &&
	     expect(c.data[0] == 0x5a5a0001 && c.data[1] == 0xa5a50002,
		    "registers lost across the suspend");
out:
	ctx_close(&c, &ok);
	return ok;
}

/* Suspend the whole system (to idle) and resume it at once: a blocked job's timeout runs on. */
static int system_sleep(void)
{
	/* pm_test "devices": the devices suspend, and wake with no wakeup source. */
	return expect(!sysfs_write("/sys/power/pm_test", "devices"), "pm_test") &&
	       expect(!sysfs_write("/sys/module/suspend/parameters/pm_test_delay", "0"),
		      "pm_test_delay") &&
	       expect(!sysfs_write("/sys/power/state", "freeze"), "system suspend") &&
	       expect(!sysfs_write("/sys/power/pm_test", "none"), "pm_test none");
}

/* Write @what ("on": no runtime suspend, "auto") to the GPU's power/control. */
static int power_control(const char *what)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/power/control", devdir);
	return expect(!sysfs_write(path, what), "power/control");
}

/*
 * System suspend and resume of a busy GPU: runtime suspend is switched off,
 * so the GPU is powered when the system sleeps and the driver's suspend
 * really runs. Queue 0 sets two registers and blocks on a flag (its group on
 * a CSG slot, or already saved to its suspend buffer as idle); after the
 * resume, queue 1 sets the flag and queue 0 stores its registers.
 */
static int run_system_sleep_job(void)
{
	struct job_ctx c = { 0 };
	__u32 state, fatal, *flag;
	int ok = 0, i;

	if (!ctx_open(&c, 2) || !power_control("on"))
		goto out;
	flag = (__u32 *)((char *)c.map + FLAG_OFF);
	*flag = 0;
	c.cs[c.n++] = CS_MOVE32(40, 0x51ee0001);
	c.cs[c.n++] = CS_MOVE32(41, 0x51ee0002);
	c.cs[c.n++] = CS_MOVE48(4, BO_VA + FLAG_OFF);
	c.cs[c.n++] = CS_MOVE32(3, 0);
	c.cs[c.n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 3, 4);
	c.cs[c.n++] = CS_MOVE48(0, BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_STORE_MULTIPLE(40, 0, 0x3, 0);
	if (!ctx_push(&c, 0))
		goto out;
	usleep(100000);
	if (!expect(!c.data[0], "the job went past its SYNC_WAIT32") ||
	    !expect(wait_runtime(devdir, "active"), "GPU not runtime-active") || !system_sleep())
		goto out;
	ctx_next_stream(&c);
	c.cs[c.n++] = CS_MOVE48(4, BO_VA + FLAG_OFF);
	c.cs[c.n++] = CS_MOVE32(3, 1);
	c.cs[c.n++] = CS_SYNC_SET32(3, 4);
	if (!ctx_submit(&c, 1))
		goto out;
	for (i = 0; i < 50 && !c.data[1]; i++)
		usleep(100000);
	state = ctx_group_state(&c, &fatal);
	printf("  a job blocked on a flag across a system suspend, then released: stored");
	printf(" 0x%08x 0x%08x, group state 0x%x\n", c.data[0], c.data[1], state);
	ok = expect(!state, "group not healthy") &&
	     expect(c.data[0] == 0x51ee0001 && c.data[1] == 0x51ee0002,
		    "registers lost across the system suspend");
out:
	ok &= power_control("auto");
	ctx_close(&c, &ok);
	return ok;
}

/*
 * What the model's heap context must say after HEAP_IDVS RUN_IDVS of
 * @bytes each (see tests/model/mali-cs.c): the first RUN_IDVS asks for a
 * chunk; the host grows the heap while it has fewer than HEAP_MAX chunks
 * and answers "no memory" (incremental render) after that.
 */
static void heap_expect(__u32 bytes, __u32 *grows, __u32 *incremental)
{
	__u32 per = bytes ? (HEAP_CHUNK - 64) / bytes : 0, room = 0, chunks = HEAP_INITIAL, i;

	*grows = 0;
	*incremental = 0;
	for (i = 0; bytes && i < HEAP_IDVS; i++, room--) {
		if (room)
			continue;
		if (chunks < HEAP_MAX) {
			chunks++;
			(*grows)++;
		} else {
			(*incremental)++;
		}
		room = per;
	}
}

/*
 * Create a tiler heap, run HEAP_IDVS RUN_IDVS on it and store what the
 * firmware's heap context says (RUN_IDVS done, chunks received, incremental
 * renders): on the model in tiler heap mode that is the TILER_OOM round trips
 * through the driver's heap growth.
 */
static int run_heap_job(__u32 bytes)
{
	struct job_ctx c = {
		.hc = {
			.initial_chunk_count = HEAP_INITIAL, .chunk_size = HEAP_CHUNK,
			.max_chunks = HEAP_MAX, .target_in_flight = 1,
		},
	};
	__u32 grows, incremental, state, fatal;
	int ok = 0, i;

	if (!ctx_open(&c, 1))
		goto out;
	memset(c.data, 0xff, 16);
	c.cs[c.n++] = CS_MOVE48(10, c.hc.tiler_heap_ctx_gpu_va);
	c.cs[c.n++] = CS_HEAP_SET(10);
	for (i = 0; i < HEAP_IDVS; i++)
		c.cs[c.n++] = CS_RUN_IDVS;
	c.cs[c.n++] = CS_LOAD_MULTIPLE(20, 10, 0x7, 0x10);
	c.cs[c.n++] = CS_MOVE48(12, BO_VA + DATA_OFF);
	c.cs[c.n++] = CS_STORE_MULTIPLE(20, 12, 0x7, 0);
	if (!ctx_submit(&c, 0))
		goto out;
	state = ctx_group_state(&c, &fatal);
	heap_expect(bytes, &grows, &incremental);
	printf("  %d RUN_IDVS of %u bytes on %u KiB chunks (%d initial, max %d):\n",
	       HEAP_IDVS, bytes, HEAP_CHUNK / 1024, HEAP_INITIAL, HEAP_MAX);
	printf("  heap context says %u done, %u chunks grown, %u incremental renders\n",
	       c.data[0], c.data[1], c.data[2]);
	printf("  expected %u, %u, %u\n", bytes ? HEAP_IDVS : 0, grows, incremental);
	ok = expect(!state, "group not healthy after the job") &&
	     expect(c.data[0] == (bytes ? HEAP_IDVS : 0) && c.data[1] == grows &&
		    c.data[2] == incremental, "heap context does not match the expected growth");
out:
	ctx_close(&c, &ok);
	return ok;
}

int main(int argc, char **argv)
{
	struct drm_version ver;
	int ok = 1;

	if (argc == 3 && !strcmp(argv[1], "-x")) {
		expect_state = !strcmp(argv[2], "timeout") ? DRM_PANTHOR_GROUP_STATE_TIMEDOUT :
			       DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
		fd = open_panthor(&ver, node, sizeof(node));
		if (fd < 0)
			return 77;
		return !run("job-fails-under-hook", run_job(1, JOB_STORE));
	}
	if (argc == 3 && !strcmp(argv[1], "-u")) {
		fd = open_panthor(&ver, node, sizeof(node));
		if (fd < 0)
			return 77;
		return !run("unbind-live-client", run_unbind_job(argv[2]));
	}
	if (argc == 3 && !strcmp(argv[1], "-t")) {
		fd = open_panthor(&ver, node, sizeof(node));
		if (fd < 0)
			return 77;
		return !run("tiler-heap-growth", run_heap_job(strtoul(argv[2], NULL, 0)));
	}
	if (argc == 3 && !strcmp(argv[1], "-b")) {
		repeat = atoi(argv[2]);
		fd = open_panthor(&ver, node, sizeof(node));
		if (fd < 0)
			return 77;
		return !run("job-throughput", run_job(1, JOB_STORE));
	}

	only = argv + 1;
	nonly = argc - 1;
	fd = open_panthor(&ver, node, sizeof(node));
	if (fd < 0) {
		printf("no render node driven by panthor\n");
		return 77;
	}
	node_devdir(node, devdir, sizeof(devdir));
	if (wanted("job-store-1-queue"))
		ok &= run("job-store-1-queue", run_job(1, JOB_STORE));
	if (wanted("job-store-3-queues"))
		ok &= run("job-store-3-queues", run_job(3, JOB_STORE));
	/* Not stock's: run only when asked for by name. */
	if (nonly && wanted("fdinfo"))
		ok &= run("fdinfo", run_fdinfo_job());
	if (nonly && wanted("debugfs"))
		ok &= run("debugfs", run_debugfs_job());
	if (nonly && wanted("reclaim-shrink"))
		ok &= run("reclaim-shrink", run_reclaim_job());
	if (nonly && wanted("reclaim-purge"))
		ok &= run("reclaim-purge", run_reclaim_purge_job());
	if (nonly && wanted("reclaim-vm-lru"))
		ok &= run("reclaim-vm-lru", run_reclaim_vm_lru_job());
	if (nonly && wanted("reclaim-heap"))
		ok &= run("reclaim-heap", run_reclaim_heap_job());
	if (nonly && wanted("gpu-reset"))
		ok &= run("gpu-reset", run_reset_job());
	if (nonly && wanted("uapi-minors"))
		ok &= run("uapi-minors", run_minors_job());
	if (nonly && wanted("bo-minors"))
		ok &= run("bo-minors", run_bo_minors_job());
	if (nonly && wanted("sparse"))
		ok &= run("sparse", run_sparse_job());
	if (nonly && wanted("extobj-busy"))
		ok &= run("extobj-busy", run_extobj_busy_job());
	if (wanted("async-bind"))
		ok &= run("async-bind", run_async_bind_job());
	if (wanted("tiler-heap-unused"))
		ok &= run("tiler-heap-unused", run_heap_job(0));
	if (wanted("regs-survive-suspend"))
		ok &= run("regs-survive-suspend", run_suspend_job());
	if (wanted("system-sleep"))
		ok &= run("system-sleep", run_system_sleep_job());
	if (wanted("job-page-fault"))
		ok &= run("job-page-fault", run_job(1, JOB_FAULT));
	if (wanted("job-bad-opcode"))
		ok &= run("job-bad-opcode", run_job(1, JOB_BAD_OPCODE));
	if (wanted("job-timeout"))
		ok &= run("job-timeout", run_job(1, JOB_HANG));
	/* The GPU was reset after the timeout: it must run jobs again. */
	if (wanted("job-after-recovery"))
		ok &= run("job-after-recovery", run_job(3, JOB_STORE));
	close(fd);
	return !ok;
}
