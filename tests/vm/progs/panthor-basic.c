// SPDX-License-Identifier: GPL-2.0-only
/*
 * panthor-basic: the panthor uAPI paths that need no job execution, through
 * raw ioctls on the first render node driven by "panthor" (stock panthor or
 * panthor-reclaim). IGT-style output: "Subtest <name>: SUCCESS|FAIL|SKIP";
 * exit 0 when all pass, 1 when one fails, 77 when there is no such node.
 *
 * With -g GPU_ID the GPU_INFO query must report that GPU_ID.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "panthor_drm.h"
#include "panthor-util.h"

static int fd = -1;
static int failed;
static unsigned long want_gpu_id;

static int expectf(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return 1;
	va_start(ap, fmt);
	printf("  check failed: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	return 0;
}

static void run_subtest(const char *name, int (*fn)(void))
{
	int ok;

	printf("Starting subtest: %s\n", name);
	fflush(stdout);
	ok = fn();
	printf("Subtest %s: %s\n", name, ok ? "SUCCESS" : "FAIL");
	fflush(stdout);
	if (!ok)
		failed = 1;
}

static int xioctl(unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

/* The uAPI 1.0 object (stock 6.12); 1.7 appended gpu_features. */
#define V1_0_SIZE	offsetof(struct drm_panthor_gpu_info, gpu_features)

static int query_gpu_info(void)
{
	struct drm_panthor_gpu_info info;
	struct drm_panthor_dev_query q = { .type = DRM_PANTHOR_DEV_QUERY_GPU_INFO };
	int ret;

	/* Size query first, as Mesa does. */
	ret = xioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	if (!expectf(!ret, "size query: %d", ret) ||
	    !expectf(q.size == sizeof(info) || q.size == V1_0_SIZE, "size %u, expected %zu or %zu",
		    q.size, sizeof(info), V1_0_SIZE))
		return 0;
	memset(&info, 0xa5, sizeof(info));
	q.pointer = (uintptr_t)&info;
	ret = xioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
	if (!expectf(!ret, "query: %d", ret))
		return 0;
	printf("  gpu_id 0x%08x csf_id 0x%08x shader_present 0x%llx as_present 0x%x va_bits %u\n",
	       info.gpu_id, info.csf_id, (unsigned long long)info.shader_present,
	       info.as_present, DRM_PANTHOR_MMU_VA_BITS(info.mmu_features));
	if (want_gpu_id && !expectf(info.gpu_id == want_gpu_id, "gpu_id 0x%x, expected 0x%lx",
				    info.gpu_id, want_gpu_id))
		return 0;
	return expectf(info.pad == 0, "padding not zeroed") &&
	       expectf(info.max_threads && info.thread_max_workgroup_size, "THREAD_* are zero");
}

static int query_csif_info(void)
{
	struct drm_panthor_csif_info info;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
		.size = sizeof(info),
		.pointer = (uintptr_t)&info,
	};
	int ret = xioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q);

	if (!expectf(!ret, "query: %d", ret))
		return 0;
	printf("  %u CSG slots, %u CS per group, %u CS registers, %u scoreboards\n",
	       info.csg_slot_count, info.cs_slot_count, info.cs_reg_count,
	       info.scoreboard_slot_count);
	return expectf(info.csg_slot_count && info.cs_slot_count && info.cs_reg_count,
		     "empty command-stream interface");
}

static int query_bad_type(void)
{
	struct drm_panthor_dev_query q = { .type = 0x1234 };
	int ret = xioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q);

	return expectf(ret == -EINVAL, "unknown query type: %d, expected -EINVAL", ret);
}

static int vm_create(__u32 *id)
{
	struct drm_panthor_vm_create c = { 0 };
	int ret = xioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &c);

	*id = c.id;
	return ret;
}

static int vm_destroy(__u32 id)
{
	struct drm_panthor_vm_destroy d = { .id = id };

	return xioctl(DRM_IOCTL_PANTHOR_VM_DESTROY, &d);
}

static int vm_create_destroy(void)
{
	__u32 id;
	int ret = vm_create(&id);

	if (!expectf(!ret, "VM_CREATE: %d", ret))
		return 0;
	ret = vm_destroy(id);
	if (!expectf(!ret, "VM_DESTROY: %d", ret))
		return 0;
	ret = vm_destroy(id);
	return expectf(ret == -EINVAL, "second VM_DESTROY: %d, expected -EINVAL", ret);
}

static int bo_create(__u64 size, __u32 flags, __u32 vm, __u32 *handle)
{
	struct drm_panthor_bo_create c = { .size = size, .flags = flags, .exclusive_vm_id = vm };
	int ret = xioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &c);

	*handle = c.handle;
	return ret;
}

static void gem_close(__u32 handle)
{
	struct drm_gem_close c = { .handle = handle };

	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int bo_mmap_rw(void)
{
	struct drm_panthor_bo_mmap_offset o = { 0 };
	const size_t size = 64 * 1024;
	__u32 handle, *p;
	size_t i;
	int ret = bo_create(size, 0, 0, &handle);

	if (!expectf(!ret, "BO_CREATE: %d", ret))
		return 0;
	o.handle = handle;
	ret = xioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o);
	if (!expectf(!ret, "BO_MMAP_OFFSET: %d", ret))
		goto out;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	if (!expectf(p != MAP_FAILED, "mmap: %s", strerror(errno))) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < size / 4; i++)
		ret |= p[i] != 0;
	expectf(!ret, "new BO not zeroed");
	for (i = 0; i < size / 4; i++)
		p[i] = i * 2654435761u;
	for (i = 0; i < size / 4 && !ret; i++)
		ret = p[i] != (__u32)(i * 2654435761u);
	expectf(!ret, "read back differs at word %zu", i);
	munmap(p, size);
	if (!ret)
		printf("  64 KiB BO zero on creation, written and read back through mmap\n");
out:
	gem_close(handle);
	return !ret;
}

static int bo_no_mmap(void)
{
	struct drm_panthor_bo_mmap_offset o = { 0 };
	__u32 handle;
	void *p;
	int ret = bo_create(4096, DRM_PANTHOR_BO_NO_MMAP, 0, &handle);

	if (!expectf(!ret, "BO_CREATE(NO_MMAP): %d", ret))
		return 0;
	o.handle = handle;
	ret = xioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &o);
	if (ret) {
		gem_close(handle);
		printf("  BO_MMAP_OFFSET refused: %s\n", strerror(-ret));
		return 1;
	}
	/* Stock panthor hands out the offset and refuses the mmap() itself. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, o.offset);
	ret = p == MAP_FAILED ? -errno : 0;
	if (p != MAP_FAILED)
		munmap(p, 4096);
	gem_close(handle);
	if (!expectf(ret, "mmap of a NO_MMAP BO succeeded"))
		return 0;
	printf("  mmap of a NO_MMAP BO refused: %s\n", strerror(-ret));
	return 1;
}

static int bo_bad_flags(void)
{
	__u32 handle;
	int ret = bo_create(4096, 0x80, 0, &handle);

	return expectf(ret == -EINVAL, "unknown BO flag: %d, expected -EINVAL", ret);
}

static int vm_bind(__u32 vm, __u32 flags, __u32 bo, __u64 va, __u64 size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = bo, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind b = {
		.vm_id = vm,
		.ops = DRM_PANTHOR_OBJ_ARRAY(1, &op),
	};

	return xioctl(DRM_IOCTL_PANTHOR_VM_BIND, &b);
}

static int vm_bind_map_unmap(void)
{
	const __u64 va = 0x100000000ull, size = 2 * 1024 * 1024;
	struct drm_panthor_vm_get_state st = { 0 };
	__u32 vm, bo;
	int ret, ok = 0;

	if (!expectf(!vm_create(&vm), "VM_CREATE"))
		return 0;
	ret = bo_create(size, 0, vm, &bo);
	if (!expectf(!ret, "BO_CREATE: %d", ret))
		goto out_vm;
	ret = vm_bind(vm, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, va, size);
	if (!expectf(!ret, "MAP: %d", ret))
		goto out_bo;
	/* A MAP over part of a mapping replaces that part (drm_gpuvm remap). */
	ret = vm_bind(vm, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, va + 4096, 4096);
	if (!expectf(!ret, "MAP over an existing mapping: %d", ret))
		goto out_bo;
	ret = vm_bind(vm, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bo, va + 123, 4096);
	if (!expectf(ret == -EINVAL, "misaligned MAP: %d, expected -EINVAL", ret))
		goto out_bo;
	ret = vm_bind(vm, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, va, size);
	if (!expectf(!ret, "UNMAP: %d", ret))
		goto out_bo;
	st.vm_id = vm;
	ret = xioctl(DRM_IOCTL_PANTHOR_VM_GET_STATE, &st);
	ok = expectf(!ret && st.state == DRM_PANTHOR_VM_STATE_USABLE, "VM state %u (%d)",
		     st.state, ret);
	if (ok)
		printf("  2 MiB BO mapped, partly remapped, unmapped at 0x%llx; %s\n",
		       (unsigned long long)va, "misaligned bind refused");
out_bo:
	gem_close(bo);
out_vm:
	vm_destroy(vm);
	return ok;
}

static int group_create_destroy(void)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_queue_create queues[3] = {
		{ .ringbuf_size = 64 * 1024 }, { .ringbuf_size = 64 * 1024 },
		{ .ringbuf_size = 64 * 1024 },
	};
	struct drm_panthor_group_create gc = {
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
	};
	struct drm_panthor_group_get_state gs = { 0 };
	struct drm_panthor_group_destroy gd = { 0 };
	__u32 vm;
	int ret, n, ok = 1;

	if (!expectf(!xioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q), "GPU_INFO") ||
	    !expectf(!vm_create(&vm), "VM_CREATE"))
		return 0;
	for (n = 1; n <= 3 && ok; n += 2) {
		gc.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(n, queues);
		gc.compute_core_mask = gpu.shader_present;
		gc.fragment_core_mask = gpu.shader_present;
		gc.tiler_core_mask = gpu.tiler_present;
		gc.vm_id = vm;
		ret = xioctl(DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc);
		ok = expectf(!ret, "GROUP_CREATE with %d queues: %d", n, ret);
		if (!ok)
			break;
		gs.group_handle = gc.group_handle;
		ret = xioctl(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &gs);
		ok = expectf(!ret && !gs.state, "new group state 0x%x (%d)", gs.state, ret);
		gd.group_handle = gc.group_handle;
		ret = xioctl(DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
		ok = ok && expectf(!ret, "GROUP_DESTROY: %d", ret);
	}
	vm_destroy(vm);
	if (ok)
		printf("  groups of 1 and 3 queues created, healthy, destroyed\n");
	return ok;
}

static int tiler_heap_create_destroy(void)
{
	struct drm_panthor_tiler_heap_create c = {
		.initial_chunk_count = 1, .chunk_size = 256 * 1024, .max_chunks = 64,
		.target_in_flight = 65535,
	};
	struct drm_panthor_tiler_heap_destroy d = { 0 };
	__u32 vm;
	int ret, ok;

	if (!expectf(!vm_create(&vm), "VM_CREATE"))
		return 0;
	c.vm_id = vm;
	ret = xioctl(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, &c);
	ok = expectf(!ret, "TILER_HEAP_CREATE: %d", ret) &&
	     expectf(c.tiler_heap_ctx_gpu_va && c.first_heap_chunk_gpu_va, "no heap VAs");
	if (ok) {
		printf("  heap context at 0x%llx, first chunk at 0x%llx\n",
		       (unsigned long long)c.tiler_heap_ctx_gpu_va,
		       (unsigned long long)c.first_heap_chunk_gpu_va);
		d.handle = c.handle;
		ret = xioctl(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &d);
		ok = expectf(!ret, "TILER_HEAP_DESTROY: %d", ret);
	}
	vm_destroy(vm);
	return ok;
}

int main(int argc, char **argv)
{
	struct drm_version ver;
	char path[64];

	if (argc == 3 && !strcmp(argv[1], "-g"))
		want_gpu_id = strtoul(argv[2], NULL, 0);
	fd = open_panthor(&ver, path, sizeof(path));
	if (fd < 0) {
		printf("no render node driven by panthor\n");
		return 77;
	}
	printf("using %s (panthor %d.%d.%d)\n", path, ver.version_major, ver.version_minor,
	       ver.version_patchlevel);
	run_subtest("query-gpu-info", query_gpu_info);
	run_subtest("query-csif-info", query_csif_info);
	run_subtest("query-bad-type", query_bad_type);
	run_subtest("vm-create-destroy", vm_create_destroy);
	run_subtest("bo-mmap-rw", bo_mmap_rw);
	run_subtest("bo-no-mmap", bo_no_mmap);
	run_subtest("bo-bad-flags", bo_bad_flags);
	run_subtest("vm-bind-map-unmap", vm_bind_map_unmap);
	run_subtest("group-create-destroy", group_create_destroy);
	run_subtest("tiler-heap-create-destroy", tiler_heap_create_destroy);
	close(fd);
	return failed;
}
