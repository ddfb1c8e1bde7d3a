// SPDX-License-Identifier: GPL-2.0-only
/*
 * panthor-bench: micro-benchmarks of the panthor uAPI on the first render
 * node named "panthor" (stock panthor or panthor-reclaim), for `make bench`,
 * which runs it under both drivers in one VM and prints the ratios. Nothing
 * here asserts a number: every line is "bench NAME VALUE UNIT".
 *
 *   vm_bind_4k       map then unmap 4 KiB pages one bind op each, scattered
 *   vm_bind_2m       map then unmap 2 MiB-aligned 2 MiB ranges, one op each
 *   bo_first_touch   BO_CREATE + mmap + first CPU write + munmap + close
 *   kmem_per_bo      kernel memory (Slab + page tables) per idle 4 KiB BO
 *   submit_latency   GROUP_SUBMIT of an empty job and wait, round trip
 *   job_latency      GROUP_SUBMIT of a one-instruction job the GPU runs, and
 *                    wait: ring, doorbell, firmware, interrupt and fence
 *
 * Under TCG a single timing varies a lot, so rates are the median of several
 * rounds and latencies the median of every round trip.
 */
#include <errno.h>
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

#define MAP	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP

static int fd = -1;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @n values (sorts them). */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bind1(__u32 vm, __u32 flags, __u32 handle, __u64 off, __u64 va, __u64 size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = handle, .bo_offset = off, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind vb = { .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	return ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
}

static int setup_vm_bo(__u64 size, __u32 *vm, __u32 *bo)
{
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = size };

	if (ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc) ||
	    ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
		return -1;
	*vm = vc.id;
	*bo = bc.handle;
	return 0;
}

static void teardown(__u32 vm, __u32 bo)
{
	struct drm_gem_close cl = { .handle = bo };
	struct drm_panthor_vm_destroy vd = { .id = vm };

	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
}

#define MAX_ROUNDS	32

/*
 * @rounds times: @n binds of @size each at VAs @stride apart, then the @n
 * unbinds. Prints the median round's ops/s.
 */
static void bench_bind(const char *name, __u64 size, __u64 stride, int n, int rounds)
{
	double rate[MAX_ROUNDS], t;
	__u32 vm, bo;
	int i = 0, r;

	if (setup_vm_bo(size * n, &vm, &bo)) {
		printf("bench %s failed %s\n", name, strerror(errno));
		return;
	}
	/* Warm up: the BO's pages are allocated by the first map. */
	bind1(vm, MAP, bo, 0, 0x100000000ull, size * n);
	bind1(vm, UNMAP, 0, 0, 0x100000000ull, size * n);
	for (r = 0; r < rounds; r++) {
		t = now();
		for (i = 0; i < n; i++)
			if (bind1(vm, MAP, bo, (__u64)i * size, 0x200000000ull + i * stride, size))
				break;
		for (i = 0; i < n; i++)
			if (bind1(vm, UNMAP, 0, 0, 0x200000000ull + i * stride, size))
				break;
		if (i != n)
			break;
		rate[r] = 2 * n / (now() - t);
	}
	printf("bench %s %.0f ops/s\n", name, r == rounds ? median(rate, rounds) : 0.0);
	teardown(vm, bo);
}

/* BO_CREATE, mmap, first CPU write, munmap, close. Return: 0, or -1. */
static int touch_one(void)
{
	struct drm_panthor_bo_create bc = { .size = 4096 };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_gem_close cl = { 0 };
	char *p;
	int ret = -1;

	if (ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
		return -1;
	mo.handle = bc.handle;
	cl.handle = bc.handle;
	if (!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo)) {
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
		if (p != MAP_FAILED) {
			p[0] = 1;	/* munmap() sees p: the store cannot be dropped */
			munmap(p, 4096);
			ret = 0;
		}
	}
	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	return ret;
}

/* @rounds rounds of @n: the median round's ops/s. */
static void bench_first_touch(int n, int rounds)
{
	double rate[MAX_ROUNDS], t;
	int i, r;

	for (r = 0; r < rounds; r++) {
		t = now();
		for (i = 0; i < n; i++)
			if (touch_one())
				break;
		if (i != n)
			break;
		rate[r] = n / (now() - t);
	}
	printf("bench bo_first_touch %.0f ops/s\n", r == rounds ? median(rate, rounds) : 0.0);
}

/* Slab plus page-table memory, in kB, from /proc/meminfo. */
static long kmem_kb(void)
{
	char line[128];
	long v, sum = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld", &v) == 1 || sscanf(line, "PageTables: %ld", &v) == 1)
			sum += v;
	if (f)
		fclose(f);
	return sum;
}

static void bench_kmem(int n)
{
	__u32 *handles = calloc(n, sizeof(*handles));
	long before, after;
	int i;

	sync();
	before = kmem_kb();
	for (i = 0; handles && i < n; i++) {
		struct drm_panthor_bo_create bc = { .size = 4096 };

		if (ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
			break;
		handles[i] = bc.handle;
	}
	after = kmem_kb();
	printf("bench kmem_per_bo %.0f bytes\n", i ? (after - before) * 1024.0 / i : 0.0);
	while (i--) {
		struct drm_gem_close cl = { .handle = handles[i] };

		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	}
	free(handles);
}

#define MAX_SUBMITS	1000
#define STREAM_VA	0x1000000ull

/*
 * Round trip of @n submissions, each waited for: of an empty job (@job 0,
 * only a fence) or of a one-instruction job the GPU runs (@job 1). Prints
 * the median. Reported as unsupported where groups cannot run.
 */
static void bench_submit(const char *name, int n, int job)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
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
	struct drm_syncobj_wait w = { .count_handles = 1, .timeout_nsec = INT64_MAX };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	static double us[MAX_SUBMITS];
	__u32 vm, bo;
	__u64 *cs;
	double t;
	int i;

	if (setup_vm_bo(4096, &vm, &bo) || ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ||
	    ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc)) {
		printf("bench %s failed %s\n", name, strerror(errno));
		return;
	}
	if (job) {
		mo.handle = bo;
		if (bind1(vm, MAP, bo, 0, STREAM_VA, 4096) ||
		    ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo)) {
			printf("bench %s failed %s\n", name, strerror(errno));
			goto out;
		}
		cs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
		if (cs == MAP_FAILED) {
			printf("bench %s failed %s\n", name, strerror(errno));
			goto out;
		}
		cs[0] = (2ull << 56) | 1;	/* MOVE32 r0, 1 */
		munmap(cs, 4096);
		qs.stream_addr = STREAM_VA;
		qs.stream_size = 8;
	}
	gc.vm_id = vm;
	gc.compute_core_mask = gpu.shader_present;
	gc.fragment_core_mask = gpu.shader_present;
	gc.tiler_core_mask = gpu.tiler_present;
	sync.handle = sc.handle;
	w.handles = (uintptr_t)&sc.handle;
	if (ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc)) {
		printf("bench %s unsupported (GROUP_CREATE: %s)\n", name, strerror(errno));
		goto out;
	}
	gs.group_handle = gc.group_handle;
	for (i = 0; i < n; i++) {
		t = now();
		if (ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs)) {
			printf("bench %s unsupported (GROUP_SUBMIT: %s)\n", name, strerror(errno));
			goto out;
		}
		if (ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w))
			break;
		us[i] = (now() - t) * 1e6;
	}
	printf("bench %s %.0f us\n", name, i == n ? median(us, n) : 0.0);
out:
	teardown(vm, bo);
}

int main(void)
{
	struct drm_version ver;
	char node[64];

	fd = open_panthor(&ver, node, sizeof(node));
	if (fd < 0) {
		printf("no render node driven by panthor\n");
		return 77;
	}
	bench_bind("vm_bind_4k", 4096, 0x10000, 1024, 8);
	bench_bind("vm_bind_2m", 2 << 20, 4 << 20, 64, 16);
	bench_first_touch(200, 10);
	bench_kmem(10000);
	bench_submit("submit_latency", 200, 0);
	bench_submit("job_latency", 200, 1);
	close(fd);
	return 0;
}
