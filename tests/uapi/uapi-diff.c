// SPDX-License-Identifier: GPL-2.0-only
/*
 * uapi-diff: the differential uAPI suite's cases. Each case drives raw
 * panthor ioctls on the first render node named "panthor" and prints one
 * line "case: outcome", where the outcome is what userspace can observe
 * (return value and errno, returned fields, memory contents) and never an
 * address or handle that may legitimately differ. The suite runs this under
 * stock panthor and under panthor-reclaim and diffs the two outputs.
 *
 * Usage: uapi-diff (no arguments).
 */
#include <errno.h>
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

/* "0" or "-ERRNO" for an ioctl's outcome. */
static const char *res(int ret)
{
	static char buf[32];

	if (!ret)
		return "0";
	snprintf(buf, sizeof(buf), "-%s", errno == EINVAL ? "EINVAL" : errno == EFAULT ? "EFAULT" :
		 errno == ENOENT ? "ENOENT" : errno == ENOMEM ? "ENOMEM" : errno == EBUSY ?
		 "EBUSY" : errno == ENOSPC ? "ENOSPC" : errno == EPERM ? "EPERM" : errno == EACCES ?
		 "EACCES" : "other");
	if (!strcmp(buf, "-other"))
		snprintf(buf, sizeof(buf), "-errno%d", errno);
	return buf;
}

/* Print one case's outcome as "name: outcome". */
static void out(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int query(__u32 type, __u32 size, void *ptr, __u32 *out_size)
{
	struct drm_panthor_dev_query q = { .type = type, .size = size, .pointer = (uintptr_t)ptr };
	int ret = ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);

	if (out_size)
		*out_size = q.size;
	return ret;
}

static void hexdump(char *dst, const void *src, size_t len)
{
	const unsigned char *p = src;
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(dst + 2 * i, "%02x", p[i]);
}

static void cases_dev_query(void)
{
	unsigned char buf[256];
	char hex[2 * sizeof(buf) + 1];
	__u32 size;
	int ret;

	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, NULL, &size);
	out("dev_query.gpu_info.size", "%s size=%u", res(ret), size);
	memset(buf, 0xaa, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(struct drm_panthor_gpu_info), buf, NULL);
	hexdump(hex, buf, sizeof(struct drm_panthor_gpu_info));
	out("dev_query.gpu_info", "%s %s", res(ret), hex);
	memset(buf, 0xaa, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(struct drm_panthor_gpu_info) + 16, buf,
		    NULL);
	hexdump(hex, buf + sizeof(struct drm_panthor_gpu_info), 16);
	out("dev_query.gpu_info.larger", "%s tail=%s", res(ret), hex);
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 8, buf, NULL);
	out("dev_query.gpu_info.too_small", "%s", res(ret));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(struct drm_panthor_gpu_info),
		    (void *)16, NULL);
	out("dev_query.gpu_info.bad_pointer", "%s", res(ret));

	ret = query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 0, NULL, &size);
	out("dev_query.csif_info.size", "%s size=%u", res(ret), size);
	memset(buf, 0xaa, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, sizeof(struct drm_panthor_csif_info), buf,
		    NULL);
	hexdump(hex, buf, sizeof(struct drm_panthor_csif_info));
	out("dev_query.csif_info", "%s %s", res(ret), hex);
	ret = query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 20, buf, NULL);
	out("dev_query.csif_info.too_small", "%s", res(ret));

	ret = query(0x7fff, 0, NULL, &size);
	out("dev_query.bad_type.size", "%s", res(ret));
	ret = query(0x7fff, sizeof(buf), buf, NULL);
	out("dev_query.bad_type", "%s", res(ret));
}

static int vm_create(__u32 flags, __u64 range, __u32 *id, __u64 *range_out)
{
	struct drm_panthor_vm_create vc = { .flags = flags, .user_va_range = range };
	int ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc);

	if (id)
		*id = vc.id;
	if (range_out)
		*range_out = vc.user_va_range;
	return ret;
}

static int vm_destroy(__u32 id, __u32 pad)
{
	struct drm_panthor_vm_destroy vd = { .id = id, .pad = pad };

	return ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
}

static void cases_vm(void)
{
	struct drm_panthor_vm_get_state gs = { 0 };
	__u32 id, ids[40];
	__u64 range;
	int ret, i, n;

	ret = vm_create(0, 0, &id, &range);
	out("vm_create.default", "%s id=%u user_va_range=0x%llx", res(ret), id,
	    (unsigned long long)range);
	gs.vm_id = id;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &gs);
	out("vm_get_state", "%s state=%u", res(ret), gs.state);
	ret = vm_destroy(id, 1);
	out("vm_destroy.pad", "%s", res(ret));
	ret = vm_destroy(id, 0);
	out("vm_destroy", "%s", res(ret));
	ret = vm_destroy(id, 0);
	out("vm_destroy.twice", "%s", res(ret));
	gs.vm_id = id;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &gs);
	out("vm_get_state.destroyed", "%s", res(ret));
	ret = vm_destroy(0, 0);
	out("vm_destroy.id0", "%s", res(ret));

	ret = vm_create(1, 0, NULL, NULL);
	out("vm_create.bad_flags", "%s", res(ret));
	ret = vm_create(0, 1ull << 32, &id, &range);
	out("vm_create.range_4g", "%s user_va_range=0x%llx", res(ret), (unsigned long long)range);
	vm_destroy(id, 0);
	ret = vm_create(0, 1ull << 47, NULL, NULL);
	out("vm_create.range_too_big", "%s", res(ret));
	ret = vm_create(0, ~0ull, NULL, NULL);
	out("vm_create.range_all_ones", "%s", res(ret));

	for (n = 0; n < 40; n++) {
		ret = vm_create(0, 0, &ids[n], NULL);
		if (ret)
			break;
	}
	out("vm_create.per_file_limit", "%d created, then %s", n, res(ret));
	for (i = 0; i < n; i++)
		vm_destroy(ids[i], 0);
}

static int bo_create(__u64 size, __u32 flags, __u32 vm, __u32 *handle, __u64 *size_out)
{
	struct drm_panthor_bo_create bc = { .size = size, .flags = flags, .exclusive_vm_id = vm };
	int ret = ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc);

	if (handle)
		*handle = bc.handle;
	if (size_out)
		*size_out = bc.size;
	return ret;
}

static void bo_close(__u32 handle)
{
	struct drm_gem_close cl = { .handle = handle };

	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
}

static int bo_offset(__u32 handle, __u32 pad, __u64 *offset)
{
	struct drm_panthor_bo_mmap_offset mo = { .handle = handle, .pad = pad };
	int ret = ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo);

	*offset = mo.offset;
	return ret;
}

static void cases_bo(void)
{
	struct drm_panthor_bo_create bc = { .size = 4096, .pad = 1 };
	__u32 h, vm;
	__u64 size, off;
	int ret, i, ok;
	__u32 *map;

	ret = bo_create(0, 0, 0, NULL, NULL);
	out("bo_create.size0", "%s", res(ret));
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc);
	out("bo_create.pad", "%s", res(ret));
	ret = bo_create(4096, 2, 0, NULL, NULL);
	out("bo_create.bad_flags", "%s", res(ret));
	ret = bo_create(4096, 0, 99, NULL, NULL);
	out("bo_create.bad_vm", "%s", res(ret));
	ret = bo_create(1, 0, 0, &h, &size);
	out("bo_create.size1", "%s size=%llu", res(ret), (unsigned long long)size);

	ret = bo_offset(h, 1, &off);
	out("bo_mmap_offset.pad", "%s", res(ret));
	ret = bo_offset(h + 1000, 0, &off);
	out("bo_mmap_offset.bad_handle", "%s", res(ret));
	ret = bo_offset(h, 0, &off);
	out("bo_mmap_offset", "%s offset_page_aligned=%d", res(ret), !(off & 4095));
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	ok = map != MAP_FAILED;
	if (ok) {
		for (i = 0; i < 1024; i++)
			ok &= map[i] == 0;
		for (i = 0; i < 1024; i++)
			map[i] = i * 0x01010101u;
		munmap(map, 4096);
		map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, off);
		for (i = 0; map != MAP_FAILED && i < 1024; i++)
			ok &= map[i] == i * 0x01010101u;
		if (map != MAP_FAILED)
			munmap(map, 4096);
	}
	out("bo_mmap.zeroed_then_persistent", "%s", ok ? "yes" : "no");
	map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, off);
	out("bo_mmap.beyond_size", "%s", map == MAP_FAILED ? res(-1) : "mapped");
	if (map != MAP_FAILED)
		munmap(map, 8192);
	bo_close(h);

	ret = bo_create(4096, DRM_PANTHOR_BO_NO_MMAP, 0, &h, NULL);
	out("bo_create.no_mmap", "%s", res(ret));
	ret = bo_offset(h, 0, &off);
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, off);
	out("bo_mmap.no_mmap", "offset %s, mmap %s", res(ret),
	    map == MAP_FAILED ? res(-1) : "mapped");
	if (map != MAP_FAILED)
		munmap(map, 4096);
	bo_close(h);

	vm_create(0, 0, &vm, NULL);
	ret = bo_create(3 * 4096 + 1, 0, vm, &h, &size);
	out("bo_create.exclusive", "%s size=%llu", res(ret), (unsigned long long)size);
	ret = vm_destroy(vm, 0);
	out("bo_create.exclusive.vm_destroy", "%s", res(ret));
	bo_close(h);
}

static int bind(__u32 vm, __u32 flags, __u32 handle, __u64 off, __u64 va, __u64 size,
		__u32 *count)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = handle, .bo_offset = off, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind vb = { .vm_id = vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	int ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);

	if (count)
		*count = vb.ops.count;
	return ret;
}

/* One bind case: its outcome under the case's name. */
static void bcase(const char *name, __u32 vm, __u32 flags, __u32 handle, __u64 off, __u64 va,
		  __u64 size)
{
	out(name, "%s", res(bind(vm, flags, handle, off, va, size, NULL)));
}

#define MAP	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP
#define UNMAP	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP
#define RO	DRM_PANTHOR_VM_BIND_OP_MAP_READONLY
#define NX	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC
#define UC	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED

static void cases_bind(void)
{
	struct drm_panthor_vm_bind_op ops[3] = {
		{ .flags = MAP, .va = 0x200000, .size = 0x10000 },
		{ .flags = MAP, .va = 0x201000, .size = 0x1000 },
		{ .flags = MAP, .va = 0x300001, .size = 0x1000 },
	};
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(3, ops) };
	struct drm_panthor_sync_op sync = { 0 };
	__u32 vm, vm2, h, hx, count;
	__u64 range;
	int ret;

	vm_create(0, 0, &vm, &range);
	vm_create(0, 0, &vm2, NULL);
	bo_create(4 << 20, 0, 0, &h, NULL);
	bo_create(0x10000, 0, vm, &hx, NULL);

	bcase("vm_bind.map", vm, MAP, h, 0, 0x1000000, 0x10000);
	bcase("vm_bind.map_2m_aligned", vm, MAP, h, 0, 0x4000000, 4 << 20);
	bcase("vm_bind.map_over_existing", vm, MAP, h, 0x1000, 0x1004000, 0x2000);
	bcase("vm_bind.unmap_middle", vm, UNMAP, 0, 0, 0x4100000, 0x1000);
	bcase("vm_bind.unmap_unmapped", vm, UNMAP, 0, 0, 0x8000000, 0x1000);
	bcase("vm_bind.unmap_all", vm, UNMAP, 0, 0, 0, range);
	bcase("vm_bind.size0", vm, MAP, h, 0, 0x1000000, 0);
	bcase("vm_bind.unaligned_va", vm, MAP, h, 0, 0x1000800, 0x1000);
	bcase("vm_bind.unaligned_offset", vm, MAP, h, 0x10, 0x1000000, 0x1000);
	bcase("vm_bind.unaligned_size", vm, MAP, h, 0, 0x1000000, 0x1800);
	bcase("vm_bind.beyond_user_range", vm, MAP, h, 0, range, 0x1000);
	bcase("vm_bind.straddles_user_range", vm, MAP, h, 0, range - 0x1000, 0x2000);
	bcase("vm_bind.va_overflow", vm, MAP, h, 0, ~0xfffull, 0x2000);
	bcase("vm_bind.bad_handle", vm, MAP, h + 1000, 0, 0x1000000, 0x1000);
	bcase("vm_bind.size_beyond_bo", vm, MAP, h, 0, 0x1000000, 8 << 20);
	bcase("vm_bind.offset_beyond_bo", vm, MAP, h, 4 << 20, 0x1000000, 0x1000);
	bcase("vm_bind.bad_map_flags", vm, MAP | (1u << 3), h, 0, 0x1000000, 0x1000);
	bcase("vm_bind.map_flags", vm, MAP | RO | NX | UC, h, 0, 0x1000000, 0x1000);
	bcase("vm_bind.unmap_with_handle", vm, UNMAP, h, 0, 0x1000000, 0x1000);
	bcase("vm_bind.unmap_with_flags", vm, UNMAP | NX, 0, 0, 0x1000000, 0x1000);
	bcase("vm_bind.bad_type", vm, 3, 0, 0, 0x1000000, 0x1000);
	bcase("vm_bind.sync_only_sync", vm, DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0);
	bcase("vm_bind.bad_vm", 999, MAP, h, 0, 0x1000000, 0x1000);
	bcase("vm_bind.exclusive_other_vm", vm2, MAP, hx, 0, 0x1000000, 0x1000);
	bcase("vm_bind.exclusive_own_vm", vm, MAP, hx, 0, 0x2000000, 0x1000);

	/* Synchronous binds take no sync objects. */
	ops[0].bo_handle = h;
	ops[0].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
	vb.vm_id = vm;
	vb.ops.count = 1;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	out("vm_bind.sync_with_syncs", "%s count=%u", res(ret), vb.ops.count);
	memset(&ops[0].syncs, 0, sizeof(ops[0].syncs));

	/* The third op fails: ops.count reports the two done. */
	ops[1].bo_handle = h;
	ops[2].bo_handle = h;
	vb.ops.count = 3;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	out("vm_bind.partial", "%s count=%u", res(ret), vb.ops.count);
	vb.ops.stride = 8;
	vb.ops.count = 1;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	out("vm_bind.small_stride", "%s", res(ret));
	vb.ops.stride = sizeof(ops[0]);
	vb.ops.array = 16;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	out("vm_bind.bad_array", "%s", res(ret));
	ret = bind(vm, UNMAP, 0, 0, 0, range, &count);
	out("vm_bind.cleanup", "%s", res(ret));

	bo_close(hx);
	bo_close(h);
	/* Destroying a VM with live mappings. */
	bo_create(0x10000, 0, 0, &h, NULL);
	bind(vm2, MAP, h, 0, 0x1000000, 0x10000, NULL);
	out("vm_destroy.with_mappings", "%s", res(vm_destroy(vm2, 0)));
	bo_close(h);
	vm_destroy(vm, 0);
}

static void cases_user_mmio(void)
{
	void *p;

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	out("user_mmio.flush_id_ro", "%s", p == MAP_FAILED ? res(-1) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	out("user_mmio.flush_id_rw", "%s", p == MAP_FAILED ? res(-1) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	out("user_mmio.two_pages", "%s", p == MAP_FAILED ? res(-1) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 8192);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	out("user_mmio.private", "%s", p == MAP_FAILED ? res(-1) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET + 4096);
	out("user_mmio.bad_offset", "%s", p == MAP_FAILED ? res(-1) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

static struct drm_panthor_gpu_info gpu;

/* GROUP_CREATE with @n queues of @ring bytes in @vm, the other fields from @tmpl. */
static int group_create(const struct drm_panthor_group_create *tmpl, __u32 vm, __u32 n,
			__u32 ring, __u32 *handle)
{
	struct drm_panthor_queue_create q[40];
	struct drm_panthor_group_create gc = *tmpl;
	__u32 i;
	int ret;

	memset(q, 0, sizeof(q));
	for (i = 0; i < 40; i++)
		q[i].ringbuf_size = ring;
	gc.vm_id = vm;
	gc.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(n, q);
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc);
	if (handle)
		*handle = gc.group_handle;
	return ret;
}

static int group_state(__u32 handle, __u32 pad, struct drm_panthor_group_get_state *st)
{
	memset(st, 0, sizeof(*st));
	st->group_handle = handle;
	st->pad = pad;
	return ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, st);
}

static int group_destroy(__u32 handle, __u32 pad)
{
	struct drm_panthor_group_destroy gd = { .group_handle = handle, .pad = pad };

	return ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
}

static void cases_group(void)
{
	struct drm_panthor_group_create ok = {
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gpu.shader_present, .fragment_core_mask = gpu.shader_present,
		.tiler_core_mask = gpu.tiler_present,
	}, g;
	struct drm_panthor_queue_create q = { .ringbuf_size = 4096 };
	struct drm_panthor_group_get_state st;
	__u32 vm, h, hs[140];
	int ret, n, i;

	vm_create(0, 0, &vm, NULL);
	out("group_create.no_queues", "%s", res(group_create(&ok, vm, 0, 4096, NULL)));
	out("group_create.33_queues", "%s", res(group_create(&ok, vm, 33, 4096, NULL)));
	out("group_create.more_queues_than_streams", "%s",
	    res(group_create(&ok, vm, 9, 4096, NULL)));
	out("group_create.bad_vm", "%s", res(group_create(&ok, 99, 1, 4096, NULL)));
	g = ok;
	g.pad = 1;
	out("group_create.pad", "%s", res(group_create(&g, vm, 1, 4096, NULL)));
	g = ok;
	g.priority = PANTHOR_GROUP_PRIORITY_HIGH + 1;
	out("group_create.bad_priority", "%s", res(group_create(&g, vm, 1, 4096, NULL)));
	g = ok;
	g.compute_core_mask = ~0ull;
	out("group_create.compute_mask_absent_cores", "%s", res(group_create(&g, vm, 1, 4096,
									     NULL)));
	g = ok;
	g.tiler_core_mask = 2;
	out("group_create.tiler_mask_absent_cores", "%s", res(group_create(&g, vm, 1, 4096, NULL)));
	g = ok;
	g.max_fragment_cores = 64;
	out("group_create.too_many_max_cores", "%s", res(group_create(&g, vm, 1, 4096, NULL)));
	out("group_create.ring_2k", "%s", res(group_create(&ok, vm, 1, 2048, NULL)));
	out("group_create.ring_128k", "%s", res(group_create(&ok, vm, 1, 128 * 1024, NULL)));
	out("group_create.ring_not_pow2", "%s", res(group_create(&ok, vm, 1, 12288, NULL)));
	g = ok;
	q.priority = 16;
	g.queues = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &q);
	g.vm_id = vm;
	out("group_create.queue_priority_16", "%s",
	    res(ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g)));
	q.priority = 0;
	q.pad[1] = 1;
	out("group_create.queue_pad", "%s", res(ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g)));
	q.pad[1] = 0;
	g.queues.stride = 4;
	out("group_create.queue_small_stride", "%s",
	    res(ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g)));
	g.queues.stride = sizeof(q);
	g.queues.array = 16;
	out("group_create.queue_bad_array", "%s",
	    res(ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &g)));

	ret = group_create(&ok, vm, 1, 4096, &h);
	out("group_create.one_queue", "%s handle=%u", res(ret), h);
	ret = group_state(h, 0, &st);
	out("group_get_state", "%s state=%u fatal_queues=%u", res(ret), st.state,
	    st.fatal_queues);
	out("group_get_state.pad", "%s", res(group_state(h, 1, &st)));
	out("group_get_state.bad_handle", "%s", res(group_state(h + 50, 0, &st)));
	out("group_destroy.pad", "%s", res(group_destroy(h, 1)));
	out("group_destroy", "%s", res(group_destroy(h, 0)));
	out("group_destroy.twice", "%s", res(group_destroy(h, 0)));
	out("group_get_state.destroyed", "%s", res(group_state(h, 0, &st)));
	ret = group_create(&ok, vm, 3, 65536, &h);
	out("group_create.three_queues_64k", "%s", res(ret));
	g = ok;
	g.priority = PANTHOR_GROUP_PRIORITY_HIGH;
	ret = group_create(&g, vm, 8, 4096, &hs[0]);
	out("group_create.high_priority_8_queues_as_root", "%s", res(ret));
	group_destroy(hs[0], 0);
	out("group.vm_destroyed_under_group", "vm_destroy %s, group state %s",
	    res(vm_destroy(vm, 0)), res(group_state(h, 0, &st)));
	out("group_destroy.after_vm", "%s", res(group_destroy(h, 0)));

	vm_create(0, 0, &vm, NULL);
	for (n = 0; n < 140; n++) {
		ret = group_create(&ok, vm, 1, 4096, &hs[n]);
		if (ret)
			break;
	}
	out("group_create.per_file_limit", "%d created, then %s", n, res(ret));
	for (i = 0; i < n; i++)
		group_destroy(hs[i], 0);
	vm_destroy(vm, 0);
}

/* A second open file must not reach the first one's objects. */
static void cases_isolation(const char *node)
{
	int fd2 = open(node, O_RDWR | O_CLOEXEC), saved = fd;
	__u32 vm, vm2, h;
	__u64 off;
	void *p;
	int ret;

	vm_create(0, 0, &vm, NULL);
	bo_create(0x10000, 0, 0, &h, NULL);
	bo_offset(h, 0, &off);
	fd = fd2;
	vm_create(0, 0, &vm2, NULL);
	out("isolation.vm_ids_per_file", "first id in the second file=%u", vm2);
	ret = bind(vm2, MAP, h, 0, 0x1000000, 0x1000, NULL);
	out("isolation.foreign_handle", "%s", res(ret));
	ret = bo_offset(h, 0, &off);
	out("isolation.foreign_handle_offset", "%s", res(ret));
	fd = saved;
	bo_offset(h, 0, &off);
	p = mmap(NULL, 0x10000, PROT_READ, MAP_SHARED, fd2, off);
	out("isolation.foreign_mmap_offset", "%s", p == MAP_FAILED ? res(-1) : "mapped");
	if (p != MAP_FAILED)
		munmap(p, 0x10000);
	fd = fd2;
	ret = vm_destroy(vm, 0);
	fd = saved;
	out("isolation.destroy_other_files_vm", "%s (vm %u, other file has %u)", res(ret), vm,
	    vm2);
	ret = vm_destroy(vm, 0);
	out("isolation.own_vm_survives", "%s", res(ret));
	bo_close(h);
	close(fd2);
}

/* dma-buf sharing between two open files, and what may not be shared. */
static void cases_prime(const char *node)
{
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle imp = { 0 };
	int fd2 = open(node, O_RDWR | O_CLOEXEC), saved = fd, ret, ok, i;
	__u32 h, hx, vm, vm2;
	__u64 off;
	__u32 *map;

	vm_create(0, 0, &vm, NULL);
	bo_create(0x4000, 0, 0, &h, NULL);
	bo_offset(h, 0, &off);
	map = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	for (i = 0; map != MAP_FAILED && i < 0x1000; i++)
		map[i] = 0x5eed0000 + i;
	if (map != MAP_FAILED)
		munmap(map, 0x4000);

	exp.handle = h;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	out("prime.export", "%s", res(ret));
	imp.fd = exp.fd;
	fd = fd2;
	ret = ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	out("prime.import_other_file", "%s", res(ret));
	vm_create(0, 0, &vm2, NULL);
	bcase("prime.imported_bind", vm2, MAP, imp.handle, 0, 0x1000000, 0x4000);
	ret = bo_offset(imp.handle, 0, &off);
	map = mmap(NULL, 0x4000, PROT_READ, MAP_SHARED, fd, off);
	ok = map != MAP_FAILED;
	for (i = 0; ok && i < 0x1000; i++)
		ok = map[i] == 0x5eed0000u + i;
	out("prime.imported_mmap_sees_data", "offset %s, data %s", res(ret),
	    ok ? "same" : "differs");
	if (map != MAP_FAILED)
		munmap(map, 0x4000);
	bcase("prime.imported_unbind", vm2, UNMAP, 0, 0, 0x1000000, 0x4000);
	bo_close(imp.handle);
	vm_destroy(vm2, 0);
	fd = saved;
	close(exp.fd);

	imp.handle = 0;
	imp.fd = exp.fd;
	ret = ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	out("prime.import_closed_fd", "%s", res(ret));
	exp.fd = -1;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	imp.fd = exp.fd;
	ret = ret ?: ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	out("prime.reimport_same_file", "%s same_handle=%d", res(ret), imp.handle == h);
	if (exp.fd >= 0)
		close(exp.fd);
	bo_close(h);

	bo_create(0x1000, 0, vm, &hx, NULL);
	exp.handle = hx;
	exp.fd = -1;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	out("prime.export_exclusive_vm_bo", "%s", res(ret));
	if (!ret)
		close(exp.fd);
	bo_close(hx);
	bo_create(0x1000, DRM_PANTHOR_BO_NO_MMAP, 0, &hx, NULL);
	exp.handle = hx;
	exp.fd = -1;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	out("prime.export_no_mmap_bo", "%s", res(ret));
	if (!ret)
		close(exp.fd);
	bo_close(hx);
	exp.handle = 0x7777;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	out("prime.export_bad_handle", "%s", res(ret));
	vm_destroy(vm, 0);
	close(fd2);
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
	out("version", "%d.%d", ver.version_major, ver.version_minor);
	cases_dev_query();
	cases_vm();
	cases_bo();
	cases_bind();
	cases_user_mmio();
	query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(gpu), &gpu, NULL);
	cases_group();
	cases_isolation(node);
	cases_prime(node);
	close(fd);
	return 0;
}
