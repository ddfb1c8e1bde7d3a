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

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
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

/* @n binds of @size each at VAs @stride apart, then the @n unbinds: ops/s. */
static void bench_bind(const char *name, __u64 size, __u64 stride, int n)
{
	__u32 vm, bo;
	double t;
	int i;

	if (setup_vm_bo(size * n, &vm, &bo)) {
		printf("bench %s failed %s\n", name, strerror(errno));
		return;
	}
	/* Warm up: the BO's pages are allocated by the first map. */
	bind1(vm, MAP, bo, 0, 0x100000000ull, size * n);
	bind1(vm, UNMAP, 0, 0, 0x100000000ull, size * n);
	t = now();
	for (i = 0; i < n; i++)
		if (bind1(vm, MAP, bo, (__u64)i * size, 0x200000000ull + i * stride, size))
			break;
	for (i = 0; i < n; i++)
		if (bind1(vm, UNMAP, 0, 0, 0x200000000ull + i * stride, size))
			break;
	t = now() - t;
	printf("bench %s %.0f ops/s\n", name, i == n ? 2 * n / t : 0.0);
	teardown(vm, bo);
}

static void bench_first_touch(int n)
{
	double t = now();
	int i;

	for (i = 0; i < n; i++) {
		struct drm_panthor_bo_create bc = { .size = 4096 };
		struct drm_panthor_bo_mmap_offset mo = { 0 };
		struct drm_gem_close cl = { 0 };
		char *p;

		if (ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
			break;
		mo.handle = bc.handle;
		cl.handle = bc.handle;
		if (ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo))
			break;
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
		if (p == MAP_FAILED)
			break;
		p[0] = 1;	/* munmap() sees p: the store cannot be dropped */
		munmap(p, 4096);
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	}
	t = now() - t;
	printf("bench bo_first_touch %.0f ops/s\n", i == n ? n / t : 0.0);
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

/* Round trip of an empty job; reported as unsupported where groups cannot run. */
static void bench_submit(int n)
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
	__u32 vm, bo;
	double t;
	int i;

	if (setup_vm_bo(4096, &vm, &bo) || ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ||
	    ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc)) {
		printf("bench submit_latency failed %s\n", strerror(errno));
		return;
	}
	gc.vm_id = vm;
	gc.compute_core_mask = gpu.shader_present;
	gc.fragment_core_mask = gpu.shader_present;
	gc.tiler_core_mask = gpu.tiler_present;
	sync.handle = sc.handle;
	w.handles = (uintptr_t)&sc.handle;
	if (ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc)) {
		printf("bench submit_latency unsupported (GROUP_CREATE: %s)\n", strerror(errno));
		goto out;
	}
	gs.group_handle = gc.group_handle;
	t = now();
	for (i = 0; i < n; i++) {
		if (ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs)) {
			printf("bench submit_latency unsupported (GROUP_SUBMIT: %s)\n",
			       strerror(errno));
			goto out;
		}
		if (ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w))
			break;
	}
	t = now() - t;
	printf("bench submit_latency %.0f us\n", i == n ? t / n * 1e6 : 0.0);
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
	bench_bind("vm_bind_4k", 4096, 0x10000, 4096);
	bench_bind("vm_bind_2m", 2 << 20, 4 << 20, 64);
	bench_first_touch(2000);
	bench_kmem(10000);
	bench_submit(200);
	close(fd);
	return 0;
}
