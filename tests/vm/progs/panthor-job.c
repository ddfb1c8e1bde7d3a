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
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "panthor_drm.h"
#include "panthor-util.h"

#define BO_SIZE		(64 * 1024)
#define BO_VA		0x1000000ull
#define DATA_OFF	0x1000
#define UNMAPPED_VA	0x7000000ull

/* Instruction encodings (opcode in bits 63:56, Mesa's genxml/v10.xml). */
#define CS_MOVE48(r, imm)	((1ull << 56) | ((__u64)(r) << 48) | ((imm) & 0xffffffffffffull))
#define CS_MOVE32(r, imm)	((2ull << 56) | ((__u64)(r) << 48) | (__u32)(imm))
#define CS_ADD_IMM32(d, s, imm)	((16ull << 56) | ((__u64)(d) << 48) | ((__u64)(s) << 40) | \
				 (__u32)(imm))
#define CS_COND_GREATER		1
#define CS_SYNC_WAIT32(cond, data, addr) \
	((39ull << 56) | ((__u64)(addr) << 40) | ((__u64)(data) << 32) | ((__u64)(cond) << 28))
#define CS_STORE_MULTIPLE(base, addr, mask, off) \
	((21ull << 56) | ((__u64)(base) << 48) | ((__u64)(addr) << 40) | \
	 ((__u64)(mask) << 16) | (__u16)(off))
#define CS_LOAD_MULTIPLE(base, addr, mask, off) \
	((20ull << 56) | ((__u64)(base) << 48) | ((__u64)(addr) << 40) | \
	 ((__u64)(mask) << 16) | (__u16)(off))
#define CS_RUN_IDVS		(6ull << 56)
#define CS_HEAP_SET(addr)	((48ull << 56) | ((__u64)(addr) << 40))

/* Tiler heap test: 256 KiB chunks, one at creation, at most four. */
#define HEAP_CHUNK	(256 * 1024)
#define HEAP_INITIAL	1
#define HEAP_MAX	4
#define HEAP_IDVS	20

static int fd = -1;
static int repeat = 1;	/* -b N: submit the store job N times, print jobs/s */
/*
 * -x fatal|timeout: the model's test hooks make the store job fail; check
 * that it fails that way instead of checking its result.
 */
static int expect_state;

static int expect(int cond, const char *what)
{
	if (!cond)
		printf("  check failed: %s (%s)\n", what, strerror(errno));
	return cond;
}

enum job_kind {
	JOB_STORE,	/* store three words in the BO: must complete */
	JOB_FAULT,	/* store to an unmapped VA: group fatal */
	JOB_BAD_OPCODE,	/* an undefined instruction: group fatal */
	JOB_HANG,	/* wait for a sync object that never changes: timeout */
};

/*
 * Run a short stream of @kind on the last queue of a group of @nqueues and
 * check its effect: the stored words, or the group state it must end in.
 */
static int run_job(int nqueues, enum job_kind kind)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = BO_SIZE };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = BO_VA, .size = BO_SIZE,
	};
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	struct drm_panthor_queue_create queues[3] = {
		{ .ringbuf_size = 4096 }, { .ringbuf_size = 4096 }, { .ringbuf_size = 4096 },
	};
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(nqueues, queues),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
	};
	struct drm_syncobj_create sc = { 0 };
	struct drm_panthor_sync_op sync = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL };
	struct drm_panthor_queue_submit qs = {
		.queue_index = nqueues - 1,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit gs = { .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs) };
	struct drm_panthor_group_get_state st = { 0 };
	struct drm_syncobj_wait w = { .count_handles = 1 };
	struct timespec now, start;
	__u64 *cs;
	__u32 *data;
	void *map;
	int n = 0, ok = 0, i;
	double secs;

	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), "GPU_INFO") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc), "VM_CREATE"))
		return 0;
	bc.exclusive_vm_id = vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), "BO_CREATE"))
		return 0;
	mo.handle = bc.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET"))
		return 0;
	map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (!expect(map != MAP_FAILED, "mmap"))
		return 0;
	cs = map;
	data = (__u32 *)((char *)map + DATA_OFF);

	/* Store two immediates and a sum next to each other. */
	memset(data, 0, 16);
	cs[n++] = CS_MOVE32(5, 0);
	cs[n++] = CS_MOVE48(6, BO_VA + DATA_OFF + 12);
	cs[n++] = CS_MOVE48(0, kind == JOB_FAULT ? UNMAPPED_VA : BO_VA + DATA_OFF);
	cs[n++] = CS_MOVE32(2, 0xcafe0001);
	cs[n++] = CS_MOVE32(3, 0x12345678);
	cs[n++] = CS_ADD_IMM32(4, 2, 1);
	if (kind == JOB_BAD_OPCODE)
		cs[n++] = 0xfeull << 56;
	if (kind == JOB_HANG)	/* wait until data[3] > 0: it stays 0 */
		cs[n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 5, 6);
	cs[n++] = CS_STORE_MULTIPLE(2, 0, 0x7, 0);

	vb.vm_id = vc.id;
	op.bo_handle = bc.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb), "VM_BIND") ||
	    !expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE"))
		goto out;
	gc.compute_core_mask = gpu.shader_present;
	gc.fragment_core_mask = gpu.shader_present;
	gc.tiler_core_mask = gpu.tiler_present;
	gc.vm_id = vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc), "GROUP_CREATE"))
		goto out;
	sync.handle = sc.handle;
	qs.stream_addr = BO_VA;
	qs.stream_size = n * 8;
	gs.group_handle = gc.group_handle;
	w.handles = (uintptr_t)&sc.handle;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < (kind == JOB_STORE ? repeat : 1); i++) {
		if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs), "GROUP_SUBMIT"))
			goto out;
		clock_gettime(CLOCK_MONOTONIC, &now);
		w.timeout_nsec = (now.tv_sec + 30) * 1000000000ll + now.tv_nsec;
		if (!expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w), "job not done within 30 s"))
			goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
	if (kind == JOB_STORE && repeat > 1)
		printf("  %d jobs submitted and waited for one by one: %.0f jobs/s\n", repeat,
		       repeat / secs);
	st.group_handle = gc.group_handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st), "GROUP_GET_STATE"))
		goto out;
	if (kind != JOB_STORE || expect_state) {
		__u32 want = expect_state ? expect_state :
			     kind == JOB_HANG ? DRM_PANTHOR_GROUP_STATE_TIMEDOUT :
			     DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;

		ok = expect(st.state & want, "group not in the expected state") &&
		     expect(want == DRM_PANTHOR_GROUP_STATE_TIMEDOUT ||
			    st.fatal_queues == 1u << (nqueues - 1),
			    "wrong fatal queue") &&
		     expect(data[0] == 0, "the failed job stored data");
		printf("  %s: group state 0x%x, fatal queues 0x%x\n",
		       expect_state ? "store job under a model test hook" :
		       kind == JOB_FAULT ? "store to unmapped 0x7000000" :
		       kind == JOB_HANG ? "endless SYNC_WAIT32" : "undefined opcode 0xfe",
		       st.state, st.fatal_queues);
		goto out;
	}
	ok = expect(!st.state, "group not healthy after the job") &&
	     expect(data[0] == 0xcafe0001 && data[1] == 0x12345678 && data[2] == 0xcafe0002,
		    "memory does not hold what the stream stored");
	printf("  %d-queue group, queue %d: stored 0x%08x 0x%08x 0x%08x\n", nqueues,
	       nqueues - 1, data[0], data[1], data[2]);
out:
	munmap(map, BO_SIZE);
	if (gc.group_handle) {
		struct drm_panthor_group_destroy gd = { .group_handle = gc.group_handle };

		ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
	}
	{
		struct drm_gem_close cl = { .handle = bc.handle };
		struct drm_panthor_vm_destroy vd = { .id = vc.id };

		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
		ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
	}
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
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = BO_SIZE };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = BO_VA, .size = BO_SIZE,
	};
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	struct drm_panthor_tiler_heap_create hc = {
		.initial_chunk_count = HEAP_INITIAL, .chunk_size = HEAP_CHUNK,
		.max_chunks = HEAP_MAX, .target_in_flight = 1,
	};
	struct drm_panthor_queue_create queue = { .ringbuf_size = 4096 };
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &queue),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
	};
	struct drm_syncobj_create sc = { 0 };
	struct drm_panthor_sync_op sync = { .flags = DRM_PANTHOR_SYNC_OP_SIGNAL };
	struct drm_panthor_queue_submit qs = { .syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync) };
	struct drm_panthor_group_submit gs = { .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs) };
	struct drm_panthor_group_get_state st = { 0 };
	struct drm_syncobj_wait w = { .count_handles = 1 };
	__u32 *data, grows, incremental;
	struct timespec now;
	int n = 0, ok = 0, i;
	__u64 *cs;
	void *map;

	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), "GPU_INFO") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc), "VM_CREATE"))
		return 0;
	bc.exclusive_vm_id = vc.id;
	hc.vm_id = vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), "BO_CREATE") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &hc), "TILER_HEAP_CREATE"))
		return 0;
	mo.handle = bc.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET"))
		return 0;
	map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (!expect(map != MAP_FAILED, "mmap"))
		return 0;
	cs = map;
	data = (__u32 *)((char *)map + DATA_OFF);
	memset(data, 0xff, 16);
	cs[n++] = CS_MOVE48(10, hc.tiler_heap_ctx_gpu_va);
	cs[n++] = CS_HEAP_SET(10);
	for (i = 0; i < HEAP_IDVS; i++)
		cs[n++] = CS_RUN_IDVS;
	cs[n++] = CS_LOAD_MULTIPLE(20, 10, 0x7, 0x10);
	cs[n++] = CS_MOVE48(12, BO_VA + DATA_OFF);
	cs[n++] = CS_STORE_MULTIPLE(20, 12, 0x7, 0);

	vb.vm_id = vc.id;
	op.bo_handle = bc.handle;
	gc.compute_core_mask = gpu.shader_present;
	gc.fragment_core_mask = gpu.shader_present;
	gc.tiler_core_mask = gpu.tiler_present;
	gc.vm_id = vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb), "VM_BIND") ||
	    !expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc), "GROUP_CREATE"))
		goto out;
	sync.handle = sc.handle;
	qs.stream_addr = BO_VA;
	qs.stream_size = n * 8;
	gs.group_handle = gc.group_handle;
	w.handles = (uintptr_t)&sc.handle;
	st.group_handle = gc.group_handle;
	clock_gettime(CLOCK_MONOTONIC, &now);
	w.timeout_nsec = (now.tv_sec + 30) * 1000000000ll + now.tv_nsec;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs), "GROUP_SUBMIT") ||
	    !expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w), "job not done within 30 s") ||
	    !expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st), "GROUP_GET_STATE"))
		goto out;
	heap_expect(bytes, &grows, &incremental);
	printf("  %d RUN_IDVS of %u bytes on %u KiB chunks (%d initial, max %d): heap context "
	       "says %u done, %u chunks grown, %u incremental renders (expected %u, %u, %u)\n",
	       HEAP_IDVS, bytes, HEAP_CHUNK / 1024, HEAP_INITIAL, HEAP_MAX, data[0], data[1],
	       data[2], bytes ? HEAP_IDVS : 0, grows, incremental);
	ok = expect(!st.state, "group not healthy after the job") &&
	     expect(data[0] == (bytes ? HEAP_IDVS : 0) && data[1] == grows &&
		    data[2] == incremental, "heap context does not match the expected growth");
out:
	munmap(map, BO_SIZE);
	if (gc.group_handle) {
		struct drm_panthor_group_destroy gd = { .group_handle = gc.group_handle };

		ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
	}
	{
		struct drm_panthor_tiler_heap_destroy hd = { .handle = hc.handle };
		struct drm_gem_close cl = { .handle = bc.handle };
		struct drm_panthor_vm_destroy vd = { .id = vc.id };

		ok &= expect(!ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd),
			     "TILER_HEAP_DESTROY");
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
		ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
	}
	return ok;
}

static int run(const char *name, int ok)
{
	printf("Subtest %s: %s\n", name, ok ? "SUCCESS" : "FAIL");
	fflush(stdout);
	return ok;
}

int main(int argc, char **argv)
{
	struct drm_version ver;
	char path[64];
	int ok = 1;

	if (argc == 3 && !strcmp(argv[1], "-x")) {
		expect_state = !strcmp(argv[2], "timeout") ? DRM_PANTHOR_GROUP_STATE_TIMEDOUT :
			       DRM_PANTHOR_GROUP_STATE_FATAL_FAULT;
		fd = open_panthor(&ver, path, sizeof(path));
		if (fd < 0)
			return 77;
		return !run("job-fails-under-hook", run_job(1, JOB_STORE));
	}
	if (argc == 3 && !strcmp(argv[1], "-t")) {
		fd = open_panthor(&ver, path, sizeof(path));
		if (fd < 0)
			return 77;
		return !run("tiler-heap-growth", run_heap_job(strtoul(argv[2], NULL, 0)));
	}
	if (argc == 3 && !strcmp(argv[1], "-b")) {
		repeat = atoi(argv[2]);
		fd = open_panthor(&ver, path, sizeof(path));
		if (fd < 0)
			return 77;
		return !run("job-throughput", run_job(1, JOB_STORE));
	}

	fd = open_panthor(&ver, path, sizeof(path));
	if (fd < 0) {
		printf("no render node driven by panthor\n");
		return 77;
	}
	ok &= run("job-store-1-queue", run_job(1, JOB_STORE));
	ok &= run("job-store-3-queues", run_job(3, JOB_STORE));
	ok &= run("tiler-heap-unused", run_heap_job(0));
	ok &= run("job-page-fault", run_job(1, JOB_FAULT));
	ok &= run("job-bad-opcode", run_job(1, JOB_BAD_OPCODE));
	ok &= run("job-timeout", run_job(1, JOB_HANG));
	/* The GPU was reset after the timeout: it must run jobs again. */
	ok &= run("job-after-recovery", run_job(3, JOB_STORE));
	close(fd);
	return !ok;
}
