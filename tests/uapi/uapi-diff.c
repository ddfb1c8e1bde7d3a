// SPDX-License-Identifier: GPL-2.0-only
/*
 * uapi-diff: the differential uAPI suite's cases. Each case drives raw
 * panthor ioctls on the first render node named "panthor" and prints one
 * line "case: outcome", where the outcome is what userspace can observe
 * (return value and errno, returned fields, memory contents, what the GPU
 * sees through its mappings) and never an address or handle that may
 * legitimately differ. The suite runs this under stock panthor and under
 * panthor-reclaim and diffs the two outputs; lines starting with "! " are
 * notes for it (see out()).
 *
 * Usage: uapi-diff                    under stock panthor
 *        uapi-diff --stock-minor M    under ours, stock having reported 1.M
 */
#define _GNU_SOURCE	/* memfd_create(), F_ADD_SEALS */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <linux/udmabuf.h>
#include "panthor_drm.h"
#include "panthor_reclaim_drm.h"
#include "panthor-util.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int fd = -1;

/* The name of errno value @e, "errnoN" for the ones without a name here. */
static const char *ename(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EINVAL, "EINVAL" }, { EFAULT, "EFAULT" }, { ENOENT, "ENOENT" },
		{ ENOMEM, "ENOMEM" }, { EBUSY, "EBUSY" }, { ENOSPC, "ENOSPC" },
		{ EPERM, "EPERM" }, { EACCES, "EACCES" }, { E2BIG, "E2BIG" },
		{ ETIME, "ETIME" }, { ETIMEDOUT, "ETIMEDOUT" }, { ECANCELED, "ECANCELED" },
		{ EIO, "EIO" }, { ENODEV, "ENODEV" },
	};
	static char buf[4][16];
	static int n;
	char *b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].name;
	b = buf[n++ & 3];
	snprintf(b, sizeof(buf[0]), "errno%d", e);
	return b;
}

/* "0" or "-ERRNO" for an ioctl's outcome (four results may be used at once). */
static const char *res(int ret)
{
	static char buf[4][24];
	static int n;
	char *b;

	if (!ret)
		return "0";
	b = buf[n++ & 3];
	snprintf(b, sizeof(buf[0]), "-%s", ename(errno));
	return b;
}

/*
 * The cases whose outcome depends on the driver's uAPI minor: a feature
 * that minor added, or a behaviour upstream changed in its cycle. Such a
 * case is compared with stock when stock reports that minor or a later
 * one; otherwise it is an extension of ours, and its outcome under ours
 * must be the one given here (fnmatch() patterns). panthor-reclaim's own
 * extensions (panthor_reclaim_drm.h) have no upstream minor: PRC, above
 * any minor stock reports, so they are never compared and always asserted.
 */
#define PRC	INT_MAX
static const struct gated {
	const char *name;
	int minor;
	const char *ours;
} gated[] = {
	/* The version itself: ours reports 1.9. */
	{ "ext.version", 9, "1.9" },
	/*
	 * NO_MMAP BOs get no mmap offset (-EPERM) since the 6.16 cycle, where
	 * stock reports 1.5, without a minor of its own; 6.12 gave one and
	 * refused the mmap. Only 1.0 and 1.8 on are in the kernel matrix.
	 */
	{ "bo_mmap.no_mmap", 5, "offset -EPERM" },
	{ "ext.dev_query.timestamp_info.flags0", 8,
	  "0 freq=24000000 timestamp_nonzero=1 offset=0x0 flags=0x0 others_zero=1" },
	{ "ext.dev_query.timestamp_info.cpu_monotonic", 8,
	  "0 cpu_sec_nonzero=1 cpu_within_call=1 flags=0x2 gpu_fields_zero=1" },
	{ "ext.dev_query.timestamp_info.all", 8,
	  "0 flags=0xf5 nonzero: freq=1 ts=1 cycles=1 duration=1; cpu_in_call=1" },
	{ "ext.dev_query.timestamp_info.bad_cpu_type", 8, "-EINVAL" },
	{ "ext.dev_query.timestamp_info.unknown_flag", 8, "-EINVAL" },
	{ "ext.dev_query.timestamp_info.size_1_1", 1, "0" },
	{ "ext.dev_query.timestamp_info.size16", 8, "0" },
	{ "ext.dev_query.timestamp_info.too_small", 1, "-EINVAL" },
	{ "ext.dev_query.gpu_info.size", 7, "0 size=112" },
	{ "ext.dev_query.gpu_info.selected_coherency", 7, "0 31, gpu_features=0x0" },
	{ "ext.dev_query.timestamp_info.size", 8, "0 size=56" },
	{ "ext.dev_query.group_priorities_info", 2, "0 mask=0xf" },
	{ "ext.dev_query.mmu_info.size", 9, "0 size=8" },
	{ "ext.dev_query.mmu_info", 9, "0 page_size_bitmap=0x201000" },
	{ "ext.group_create.realtime_as_root", 2, "0" },
	{ "ext.bo_set_label", 4, "0, in debugfs gems: yes" },
	{ "ext.bo_set_label.clear", 4, "0, in debugfs gems: no" },
	{ "ext.bo_set_label.empty", 4, "0" },
	{ "ext.bo_set_label.pad", 4, "-EINVAL" },
	{ "ext.bo_set_label.bad_handle", 4, "-ENOENT" },
	{ "ext.bo_set_label.4095_chars", 4, "0" },
	{ "ext.bo_set_label.4096_chars", 4, "-E2BIG" },
	{ "ext.bo_set_label.bad_pointer", 4, "-EFAULT" },
	{ "ext.set_user_mmio_offset.bad_value", 5, "-EINVAL" },
	{ "ext.set_user_mmio_offset.32bit", 5, "0, mmap at 1<<43 mapped, read" },
	{ "ext.set_user_mmio_offset.32bit.mmap_64bit", 5, "-EINVAL" },
	{ "ext.set_user_mmio_offset.32bit.bo_mmap", 5, "mapped" },
	{ "ext.set_user_mmio_offset.back_to_64bit", 5, "0, mmap at 1<<56 mapped, read" },
	{ "ext.bo_create.wb_mmap", 7, "0, mmap mapped" },
	{ "ext.bo_create.no_mmap_wb_mmap", 7, "-EINVAL" },
	{ "ext.bo_query_info", 7, "0 extra_flags=0x0 create_flags=0x0 pad=0" },
	{ "ext.bo_query_info.no_mmap", 7, "0 extra_flags=0x0 create_flags=0x1 pad=0" },
	{ "ext.bo_query_info.wb_mmap", 7, "0 extra_flags=0x0 create_flags=0x2 pad=0" },
	{ "ext.bo_query_info.bad_handle", 7, "-ENOENT" },
	{ "ext.bo_query_info.own_dma_buf", 7, "0 extra_flags=0x0 create_flags=0x0 pad=0" },
	{ "ext.bo_query_info.udmabuf", 7, "0 extra_flags=0x1 create_flags=0x0 pad=0" },
	{ "ext.bo_sync.count0", 7, "0" },
	{ "ext.bo_sync.small_stride", 7, "-EINVAL" },
	{ "ext.bo_sync.bad_handle", 7, "-ENOENT" },
	{ "ext.bo_sync.past_end", 7, "-EINVAL" },
	{ "ext.bo_sync.overflow", 7, "-EINVAL" },
	{ "ext.bo_sync.bad_type", 7, "-EINVAL" },
	{ "ext.bo_sync.udmabuf", 7, "-EINVAL" },
	{ "ext.bo_sync.flush", 7, "0" },
	{ "ext.bo_sync.flush_invalidate", 7, "0" },
	{ "ext.bo_sync.two_ops", 7, "0" },
	{ "ext.bo_sync.data_kept", 7, "yes" },
	{ "ext.vm_bind.sparse", 9, "0; gpu nn" },
	{ "ext.vm_bind.sparse_exec", 9, "-EINVAL" },
	{ "ext.vm_bind.sparse_handle", 9, "-EINVAL" },
	{ "ext.vm_bind.sparse_offset", 9, "-EINVAL" },
	{ "ext.vm_bind.sparse_unmap_part", 9, "0; gpu n, then fault" },
	{ "ext.vm_bind.sparse_unmap", 9, "0; gpu -, then fault" },
	/* panthor-reclaim's own, found through DEV_QUERY of PRC_DEV_QUERY_EXTENSIONS. */
	{ "ext.prc.dev_query.extensions.size", PRC, "0 size=16" },
	{ "ext.prc.dev_query.extensions", PRC,
	  "0 mask=0x7 reclaim_enabled=1 pad=0, module parameter reclaim=Y" },
	{ "ext.prc.dev_query.extensions.reclaim_off", PRC,
	  "reclaim=N: 0 reclaim_enabled=0; reclaim=Y: 0 reclaim_enabled=1" },
	{ "ext.prc.dev_query.extensions.larger", PRC, "0 mask=0x7 tail=0000000000000000" },
	{ "ext.prc.dev_query.extensions.too_small", PRC, "-EINVAL" },
	{ "ext.prc.bo_create.discardable", PRC, "0, zeroed and written back yes" },
	{ "ext.prc.bo_madvise.bad_handle", PRC, "-ENOENT" },
	{ "ext.prc.bo_madvise.bad_advice", PRC, "-EINVAL" },
	{ "ext.prc.bo_madvise.pad", PRC, "-EINVAL" },
	{ "ext.prc.bo_madvise.udmabuf", PRC, "-EINVAL" },
	{ "ext.prc.bo_madvise.own_dma_buf", PRC, "0 retained=1" },
	{ "ext.prc.bo_madvise.willneed", PRC, "0 retained=1" },
	{ "ext.prc.bo_madvise.dontneed", PRC, "0 retained=1" },
	{ "ext.prc.bo_madvise.dontneed_willneed", PRC, "0 retained=1, data kept yes" },
	{ "ext.prc.bo_madvise.exclusive_vm", PRC, "0 retained=1" },
	{ "ext.prc.bo_madvise.discardable", PRC, "0 retained=1" },
	{ "ext.prc.bo_madvise.purged", PRC,
	  "0, shrink ok, 0 retained=0, reads zeroes yes, again 0 retained=1" },
	{ "ext.prc.bo_madvise.willneed_kept", PRC,
	  "0, shrink ok, 0 retained=1, data kept yes" },
	{ "ext.prc.bo_create.discardable.dropped", PRC,
	  "0, shrink ok, 0 retained=0, reads zeroes yes, again 0 retained=1" },
};

/*
 * Every run prints CASES cases; as many as compared_cases[] says for
 * stock's minor are compared with stock, the others are extensions. Both
 * numbers are fixed here, so that a case that disappears fails the suite.
 */
#define CASES	339
static const struct {
	int minor, compared;
} compared_cases[] = {
	{ 0, 265 },	/* stock 6.12 */
	{ 8, 311 },	/* stock 7.2 */
	{ 9, 320 },	/* stock 7.3 */
};

/* The minor of stock the cases compare with; whether we run under ours. */
static int stock_minor, under_ours;

static const struct gated *gated_case(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gated); i++)
		if (!strcmp(gated[i].name, name))
			return &gated[i];
	return NULL;
}

/*
 * Print one case's outcome as "name: outcome", and the notes uapi_diff.sh
 * reads, which start with "! ": "extension NAME 1.M" for a case whose
 * feature stock lacks, then under ours "assert NAME ok" or "assert NAME
 * FAILED ..." for its expected outcome; "unlisted NAME" for an ext.* case
 * missing from gated[].
 */
static void out(const char *name, const char *fmt, ...)
{
	const struct gated *g = gated_case(name);
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("%s: %s\n", name, buf);
	if (!g && !strncmp(name, "ext.", 4))
		printf("! unlisted %s\n", name);
	if (g && g->minor > stock_minor) {
		if (g->minor == PRC)
			printf("! extension %s panthor-reclaim\n", name);
		else
			printf("! extension %s 1.%d\n", name, g->minor);
		if (under_ours && fnmatch(g->ours, buf, 0))
			printf("! assert %s FAILED, expected under ours: %s\n", name, g->ours);
		else if (under_ours)
			printf("! assert %s ok\n", name);
	}
	fflush(stdout);
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

/* Mark @len bytes at @off of a hexdump() as not compared. */
static void hexmask(char *hex, size_t off, size_t len)
{
	memset(hex + 2 * off, '-', 2 * len);
}

/*
 * GPU_INFO as uAPI 1.0 defined it, which stock 6.12 returns: 1.7 appended
 * gpu_features, so the 1.0 object ends where that starts.
 */
#define GPU_INFO_1_0	offsetof(struct drm_panthor_gpu_info, gpu_features)
static_assert(GPU_INFO_1_0 == 0x68, "the uAPI 1.0 struct drm_panthor_gpu_info is 0x68 bytes");

/* A TIMESTAMP_INFO query of @size bytes asking for @flags, the outputs poisoned. */
static int ts_query(__u32 flags, __u32 size, struct drm_panthor_timestamp_info *ts)
{
	memset(ts, 0xaa, sizeof(*ts));
	ts->flags = flags;
	return query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, size, ts, NULL);
}

static __u64 ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000ull + t->tv_nsec;
}

/* uAPI 1.8's TIMESTAMP_INFO flags: extensions over stock 6.12. */
static void cases_timestamp_flags(void)
{
	struct drm_panthor_timestamp_info ts;
	struct timespec t0, t1;
	__u32 flags;
	__u64 cpu;
	int ret;

	/* Flags 0 is what 1.1 returned, whatever else the object has room for. */
	ret = ts_query(0, sizeof(ts), &ts);
	if (ret)
		out("ext.dev_query.timestamp_info.flags0", "%s", res(ret));
	else
		out("ext.dev_query.timestamp_info.flags0",
		    "0 freq=%llu timestamp_nonzero=%d offset=0x%llx flags=0x%x others_zero=%d",
		    (unsigned long long)ts.timestamp_frequency, !!ts.current_timestamp,
		    (unsigned long long)ts.timestamp_offset, ts.flags,
		    !ts.duration_nsec && !ts.cycle_count && !ts.cpu_timestamp_sec &&
		    !ts.cpu_timestamp_nsec);

	/* A CPU clock alone: sampled during the call, the GPU fields left zero. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = ts_query(DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC, sizeof(ts), &ts);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cpu = ts.cpu_timestamp_sec * 1000000000ull + ts.cpu_timestamp_nsec;
	if (ret)
		out("ext.dev_query.timestamp_info.cpu_monotonic", "%s", res(ret));
	else
		out("ext.dev_query.timestamp_info.cpu_monotonic",
		    "0 cpu_sec_nonzero=%d cpu_within_call=%d flags=0x%x gpu_fields_zero=%d",
		    !!ts.cpu_timestamp_sec, cpu >= ts_ns(&t0) && cpu <= ts_ns(&t1), ts.flags,
		    !ts.timestamp_frequency && !ts.current_timestamp && !ts.timestamp_offset &&
		    !ts.cycle_count && !ts.duration_nsec);

	/* Every source at once, the CPU's raw clock among them. */
	flags = DRM_PANTHOR_TIMESTAMP_GPU | DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW |
		DRM_PANTHOR_TIMESTAMP_GPU_OFFSET | DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT |
		DRM_PANTHOR_TIMESTAMP_FREQ | DRM_PANTHOR_TIMESTAMP_DURATION;
	clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
	ret = ts_query(flags, sizeof(ts), &ts);
	clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
	cpu = ts.cpu_timestamp_sec * 1000000000ull + ts.cpu_timestamp_nsec;
	if (ret)
		out("ext.dev_query.timestamp_info.all", "%s", res(ret));
	else
		out("ext.dev_query.timestamp_info.all",
		    "0 flags=0x%x nonzero: freq=%d ts=%d cycles=%d duration=%d; cpu_in_call=%d",
		    ts.flags, !!ts.timestamp_frequency, !!ts.current_timestamp, !!ts.cycle_count,
		    !!ts.duration_nsec, cpu >= ts_ns(&t0) && cpu <= ts_ns(&t1));

	ret = ts_query(3 << 1, sizeof(ts), &ts);
	out("ext.dev_query.timestamp_info.bad_cpu_type", "%s", res(ret));
	ret = ts_query(1u << 8, sizeof(ts), &ts);
	out("ext.dev_query.timestamp_info.unknown_flag", "%s", res(ret));

	/* The 1.1 object still works; the smallest accepted ends at current_timestamp. */
	ret = ts_query(0, offsetof(struct drm_panthor_timestamp_info, flags), &ts);
	out("ext.dev_query.timestamp_info.size_1_1", "%s", res(ret));
	ret = ts_query(0, 16, &ts);
	out("ext.dev_query.timestamp_info.size16", "%s", res(ret));
	ret = ts_query(0, 8, &ts);
	out("ext.dev_query.timestamp_info.too_small", "%s", res(ret));
}

static void cases_dev_query(void)
{
	struct drm_panthor_gpu_info info;
	struct drm_panthor_mmu_info mmu;
	unsigned char buf[256];
	char hex[2 * sizeof(buf) + 1];
	__u32 size;
	int ret;

	/*
	 * The 1.0 object, with its padding at selected_coherency masked: 1.7
	 * gave that word a value. The larger query's tail holds gpu_features,
	 * zero on the architecture 10 GPU the model is, then zeroed bytes.
	 */
	memset(buf, 0xaa, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, GPU_INFO_1_0, buf, NULL);
	hexdump(hex, buf, GPU_INFO_1_0);
	hexmask(hex, offsetof(struct drm_panthor_gpu_info, selected_coherency), 4);
	out("dev_query.gpu_info", "%s %s", res(ret), hex);
	memset(buf, 0xaa, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, GPU_INFO_1_0 + 16, buf, NULL);
	hexdump(hex, buf + GPU_INFO_1_0, 16);
	out("dev_query.gpu_info.larger", "%s tail=%s", res(ret), hex);
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 8, buf, NULL);
	out("dev_query.gpu_info.too_small", "%s", res(ret));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, GPU_INFO_1_0, (void *)16, NULL);
	out("dev_query.gpu_info.bad_pointer", "%s", res(ret));
	/* uAPI 1.7 grew the object and named its padding: extensions. */
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, 0, NULL, &size);
	out("ext.dev_query.gpu_info.size", "%s size=%u", res(ret), size);
	memset(&info, 0xaa, sizeof(info));
	ret = query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(info), &info, NULL);
	out("ext.dev_query.gpu_info.selected_coherency", "%s %u, gpu_features=0x%llx", res(ret),
	    info.selected_coherency, (unsigned long long)info.gpu_features);

	ret = query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 0, NULL, &size);
	out("dev_query.csif_info.size", "%s size=%u", res(ret), size);
	memset(buf, 0xaa, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, sizeof(struct drm_panthor_csif_info), buf,
		    NULL);
	hexdump(hex, buf, sizeof(struct drm_panthor_csif_info));
	out("dev_query.csif_info", "%s %s", res(ret), hex);
	ret = query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, 20, buf, NULL);
	out("dev_query.csif_info.too_small", "%s", res(ret));

	/* uAPI 1.1, 1.2 and 1.9 queries: extensions over stock 6.12's 1.0. */
	ret = query(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO, 0, NULL, &size);
	out("ext.dev_query.timestamp_info.size", "%s size=%u", res(ret), size);
	cases_timestamp_flags();
	memset(buf, 0, sizeof(buf));
	ret = query(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO, sizeof(buf), buf, NULL);
	out("ext.dev_query.group_priorities_info", "%s mask=0x%x", res(ret), buf[0]);
	ret = query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, 0, NULL, &size);
	out("ext.dev_query.mmu_info.size", "%s size=%u", res(ret), size);
	mmu.page_size_bitmap = 0;
	ret = query(DRM_PANTHOR_DEV_QUERY_MMU_INFO, sizeof(mmu), &mmu, NULL);
	out("ext.dev_query.mmu_info", "%s page_size_bitmap=0x%llx", res(ret),
	    (unsigned long long)mmu.page_size_bitmap);

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

/* mmap() all @size bytes of BO @h read-write: the mapping, or NULL. */
static __u32 *bo_map(__u32 h, __u64 size)
{
	__u64 off;
	void *m;

	if (bo_offset(h, 0, &off))
		return NULL;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	return m == MAP_FAILED ? NULL : m;
}

/* Whether the @size bytes at @m are all zero. */
static int all_zero(const __u32 *m, __u64 size)
{
	__u64 i;

	for (i = 0; m && i < size / 4; i++)
		if (m[i])
			return 0;
	return !!m;
}

static void cases_bo(void)
{
	struct drm_panthor_bo_create bc = { .size = 4096, .pad = 1 };
	__u32 h, vm;
	__u64 size, off;
	int ret, i, ok;
	const char *r1;
	__u32 *map;

	ret = bo_create(0, 0, 0, NULL, NULL);
	out("bo_create.size0", "%s", res(ret));
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc);
	out("bo_create.pad", "%s", res(ret));
	/* Bit 1 is 1.7's WB_MMAP: bit 2 is unknown to both. */
	ret = bo_create(4096, 1u << 2, 0, NULL, NULL);
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
	/*
	 * Since the 6.16 cycle (stock 1.5 on), panthor refuses a NO_MMAP BO
	 * an offset (-EPERM); 6.12 gave one and refused the mmap. The errno
	 * is read before mmap() may overwrite it.
	 */
	ret = bo_offset(h, 0, &off);
	r1 = res(ret);
	map = ret ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, off);
	if (ret)
		out("bo_mmap.no_mmap", "offset %s", r1);
	else
		out("bo_mmap.no_mmap", "offset %s, mmap %s", r1,
		    map == MAP_FAILED ? res(-1) : "mapped");
	if (map != MAP_FAILED)
		munmap(map, 4096);
	bo_close(h);

	vm_create(0, 0, &vm, NULL);
	ret = bo_create(3 * 4096 + 1, 0, vm, &h, &size);
	map = ret ? NULL : (__u32 *)bo_map(h, size);
	ok = map && all_zero(map, size);
	for (i = 0; map && i < (int)size / 4; i++)
		map[i] = 0xe7c10000 + i;
	for (i = 0; map && i < (int)size / 4; i++)
		ok &= map[i] == 0xe7c10000u + i;
	if (map)
		munmap(map, size);
	out("bo_create.exclusive", "%s size=%llu, zeroed and written back %s", res(ret),
	    (unsigned long long)size, ok ? "yes" : "no");
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
#define SPARSE	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE

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
	/* A 64-bit process's file has no USER page at the 32-bit offset. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, DRM_PANTHOR_USER_MMIO_OFFSET_32BIT);
	out("user_mmio.offset_32bit", "%s", p == MAP_FAILED ? res(-1) : "mapped");
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
	g.priority = PANTHOR_GROUP_PRIORITY_REALTIME + 1;
	out("group_create.bad_priority", "%s", res(group_create(&g, vm, 1, 4096, NULL)));
	/* REALTIME came with uAPI 1.2: an extension over stock 6.12's 1.0. */
	g.priority = PANTHOR_GROUP_PRIORITY_REALTIME;
	ret = group_create(&g, vm, 1, 4096, &h);
	out("ext.group_create.realtime_as_root", "%s", res(ret));
	if (!ret)
		group_destroy(h, 0);
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

static int set_label(__u32 handle, __u32 pad, const void *label)
{
	struct drm_panthor_bo_set_label sl = {
		.handle = handle, .pad = pad, .label = (uintptr_t)label,
	};

	return ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
}

/*
 * Whether a debugfs "gems" file of a DRM device lists @label: "yes", "no",
 * or "no gems file" where the driver has none.
 */
static const char *gems_label(const char *label)
{
	char want[64], line[1024];
	const char *found = "no gems file";
	glob_t g;
	size_t i;
	FILE *f;

	/* Each driver's debugfs has its own format: look for the label's text only. */
	snprintf(want, sizeof(want), "%s", label);
	if (glob("/sys/kernel/debug/dri/*/gems", 0, NULL, &g))
		return found;
	for (i = 0; i < g.gl_pathc; i++) {
		f = fopen(g.gl_pathv[i], "r");
		if (!f)
			continue;
		found = "no";
		while (fgets(line, sizeof(line), f))
			if (strstr(line, want)) {
				found = "yes";
				break;
			}
		fclose(f);
		if (!strcmp(found, "yes"))
			break;
	}
	globfree(&g);
	return found;
}

static int set_user_mmio_offset(int f, __u64 offset)
{
	struct drm_panthor_set_user_mmio_offset so = { .offset = offset };

	return ioctl(f, DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET, &so);
}

/* mmap() of the USER page at @offset of @f: "mapped" (and read) or -ERRNO. */
static const char *user_page(int f, __u64 offset)
{
	__u32 *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, f, offset);
	__u32 v;

	if (p == MAP_FAILED)
		return res(-1);
	/* LATEST_FLUSH_ID: any value, but the read must happen and not fault. */
	v = p[0];
	__asm__ volatile("" : : "r"(v));
	munmap(p, 4096);
	return "mapped, read";
}

static int bo_query_info(__u32 handle, struct drm_panthor_bo_query_info *qi)
{
	/* Poisoned: what the kernel returns must all be written. */
	memset(qi, 0xaa, sizeof(*qi));
	qi->handle = handle;
	return ioctl(fd, DRM_IOCTL_PANTHOR_BO_QUERY_INFO, qi);
}

/* One BO_QUERY_INFO case: its outcome and returned fields. */
static void qcase(const char *name, __u32 handle)
{
	struct drm_panthor_bo_query_info qi;
	int ret = bo_query_info(handle, &qi);

	if (ret)
		out(name, "%s", res(ret));
	else
		out(name, "0 extra_flags=0x%x create_flags=0x%x pad=%u", qi.extra_flags,
		    qi.create_flags, qi.pad);
}

static int bo_sync(__u32 stride, __u32 count, const struct drm_panthor_bo_sync_op *ops)
{
	struct drm_panthor_bo_sync bs = {
		.ops = { .stride = stride, .count = count, .array = (uintptr_t)ops },
	};

	return ioctl(fd, DRM_IOCTL_PANTHOR_BO_SYNC, &bs);
}

/* One BO_SYNC case of a single operation. */
static void scase(const char *name, __u32 handle, __u32 type, __u64 off, __u64 size)
{
	struct drm_panthor_bo_sync_op op = {
		.handle = handle, .type = type, .offset = off, .size = size,
	};

	out(name, "%s", res(bo_sync(sizeof(op), 1, &op)));
}

/*
 * A dma-buf of another driver (udmabuf, over a sealed memfd) of @size
 * bytes, or -1 with errno set.
 */
static int foreign_dmabuf(__u64 size)
{
	struct udmabuf_create uc = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC), mfd, ret = -1;

	if (dev < 0)
		return -1;
	mfd = memfd_create("uapi-diff", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd >= 0 && !ftruncate(mfd, size) && !fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		uc.memfd = mfd;
		ret = ioctl(dev, UDMABUF_CREATE, &uc);
	}
	if (mfd >= 0)
		close(mfd);
	close(dev);
	return ret;
}

#define WB	DRM_PANTHOR_BO_WB_MMAP
#define FLUSH	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH
#define FLUSH_INV \
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE

/*
 * The ioctls and BO flags of uAPI 1.4 to 1.7, extensions over stock 6.12's
 * 1.0 (where each ioctl number is unknown: -EINVAL). Every case is "ext.*",
 * and everything made here is closed again, so the compared cases after
 * see the same file under both drivers.
 */
static void cases_minors(const char *node)
{
	struct drm_panthor_bo_sync_op ops[2] = { 0 };
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle imp = { 0 };
	static char long_label[4097];
	__u32 h, hn, hw, hi;
	int f, saved, ret, i, ok;
	const char *r1;
	__u32 *map;
	__u64 off;

	/* 1.4 BO_SET_LABEL; the label shows in debugfs. */
	bo_create(4096, 0, 0, &h, NULL);
	r1 = res(set_label(h, 0, "uapi-diff-bo"));
	out("ext.bo_set_label", "%s, in debugfs gems: %s", r1, gems_label("uapi-diff-bo"));
	r1 = res(set_label(h, 0, NULL));
	out("ext.bo_set_label.clear", "%s, in debugfs gems: %s", r1, gems_label("uapi-diff-bo"));
	out("ext.bo_set_label.empty", "%s", res(set_label(h, 0, "")));
	out("ext.bo_set_label.pad", "%s", res(set_label(h, 1, "uapi-diff-bo")));
	out("ext.bo_set_label.bad_handle", "%s", res(set_label(h + 1000, 0, "uapi-diff-bo")));
	/* The limit is a page with its NUL: 4095 characters fit, 4096 do not. */
	memset(long_label, 'x', 4095);
	out("ext.bo_set_label.4095_chars", "%s", res(set_label(h, 0, long_label)));
	long_label[4095] = 'x';
	out("ext.bo_set_label.4096_chars", "%s", res(set_label(h, 0, long_label)));
	out("ext.bo_set_label.bad_pointer", "%s", res(set_label(h, 0, (void *)16)));
	bo_close(h);

	/*
	 * 1.5 SET_USER_MMIO_OFFSET, on a file of its own: the USER page moves
	 * to the 32-bit offset and is no longer at the 64-bit one; BOs keep
	 * their offsets.
	 */
	f = open(node, O_RDWR | O_CLOEXEC);
	out("ext.set_user_mmio_offset.bad_value", "%s",
	    res(set_user_mmio_offset(f, DRM_PANTHOR_USER_MMIO_OFFSET_32BIT + 4096)));
	r1 = res(set_user_mmio_offset(f, DRM_PANTHOR_USER_MMIO_OFFSET_32BIT));
	out("ext.set_user_mmio_offset.32bit", "%s, mmap at 1<<43 %s", r1,
	    user_page(f, DRM_PANTHOR_USER_MMIO_OFFSET_32BIT));
	out("ext.set_user_mmio_offset.32bit.mmap_64bit", "%s",
	    user_page(f, DRM_PANTHOR_USER_MMIO_OFFSET_64BIT));
	saved = fd;
	fd = f;
	ret = bo_create(4096, 0, 0, &h, NULL);
	ret = ret ?: bo_offset(h, 0, &off);
	map = ret ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, off);
	out("ext.set_user_mmio_offset.32bit.bo_mmap", "%s",
	    map == MAP_FAILED ? res(-1) : "mapped");
	if (map != MAP_FAILED)
		munmap(map, 4096);
	bo_close(h);
	fd = saved;
	r1 = res(set_user_mmio_offset(f, DRM_PANTHOR_USER_MMIO_OFFSET_64BIT));
	out("ext.set_user_mmio_offset.back_to_64bit", "%s, mmap at 1<<56 %s", r1,
	    user_page(f, DRM_PANTHOR_USER_MMIO_OFFSET_64BIT));
	close(f);

	/* 1.7 WB_MMAP BOs: cached CPU mappings, which BO_SYNC keeps coherent. */
	ret = bo_create(0x4000, WB, 0, &hw, NULL);
	ret = ret ?: bo_offset(hw, 0, &off);
	map = ret ? MAP_FAILED : mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	ok = map != MAP_FAILED;
	for (i = 0; ok && i < 0x1000; i++)
		map[i] = 0x3b000000 + i;
	out("ext.bo_create.wb_mmap", "%s, mmap %s", res(ret), ok ? "mapped" : res(-1));
	out("ext.bo_create.no_mmap_wb_mmap", "%s",
	    res(bo_create(4096, DRM_PANTHOR_BO_NO_MMAP | WB, 0, NULL, NULL)));

	/* 1.7 BO_QUERY_INFO: create flags back; IS_IMPORTED only for other drivers' BOs. */
	bo_create(4096, 0, 0, &h, NULL);
	bo_create(4096, DRM_PANTHOR_BO_NO_MMAP, 0, &hn, NULL);
	qcase("ext.bo_query_info", h);
	qcase("ext.bo_query_info.no_mmap", hn);
	qcase("ext.bo_query_info.wb_mmap", hw);
	qcase("ext.bo_query_info.bad_handle", h + 1000);
	bo_close(hn);
	/* Our own BO through a dma-buf, in another file: not an import. */
	exp.handle = h;
	exp.fd = -1;
	f = open(node, O_RDWR | O_CLOEXEC);
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	imp.fd = exp.fd;
	ret = ret ?: ioctl(f, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	if (!ret) {
		fd = f;
		qcase("ext.bo_query_info.own_dma_buf", imp.handle);
		fd = saved;
	} else {
		out("ext.bo_query_info.own_dma_buf", "%s", res(ret));
	}
	if (exp.fd >= 0)
		close(exp.fd);
	close(f);
	bo_close(h);
	/* A udmabuf dma-buf is another driver's: IS_IMPORTED. */
	imp.fd = foreign_dmabuf(0x4000);
	imp.handle = 0;
	ret = imp.fd < 0 ? -1 : ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	hi = ret ? 0 : imp.handle;
	if (ret)
		out("ext.bo_query_info.udmabuf", "import %s", res(ret));
	else
		qcase("ext.bo_query_info.udmabuf", hi);
	if (imp.fd >= 0)
		close(imp.fd);

	/* 1.7 BO_SYNC: all ops checked in order, the first failure returned. */
	out("ext.bo_sync.count0", "%s", res(bo_sync(sizeof(ops[0]), 0, NULL)));
	ops[0].handle = hw;
	ops[0].size = 0x4000;
	out("ext.bo_sync.small_stride", "%s", res(bo_sync(16, 1, ops)));
	scase("ext.bo_sync.bad_handle", hw + 1000, FLUSH, 0, 0x1000);
	scase("ext.bo_sync.past_end", hw, FLUSH, 0x3000, 0x2000);
	scase("ext.bo_sync.overflow", hw, FLUSH, 0x1000, ~0ull);
	scase("ext.bo_sync.bad_type", hw, 2, 0, 0x1000);
	/* Printed either way: the number of cases is fixed. */
	if (hi)
		scase("ext.bo_sync.udmabuf", hi, FLUSH, 0, 0x1000);
	else
		out("ext.bo_sync.udmabuf", "no udmabuf import");
	scase("ext.bo_sync.flush", hw, FLUSH, 0, 0x4000);
	scase("ext.bo_sync.flush_invalidate", hw, FLUSH_INV, 0x10, 0x3ff0);
	/* Both ops of one call, and a BO whose mapping is write-combined. */
	bo_create(0x1000, 0, 0, &h, NULL);
	ops[0] = (struct drm_panthor_bo_sync_op){ .handle = hw, .type = FLUSH, .size = 0x4000 };
	ops[1] = (struct drm_panthor_bo_sync_op){ .handle = h, .type = FLUSH_INV, .size = 0x1000 };
	out("ext.bo_sync.two_ops", "%s", res(bo_sync(sizeof(ops[0]), 2, ops)));
	bo_close(h);
	/* What was written through the cached mapping stays after the invalidation. */
	for (i = 0; map != MAP_FAILED && ok && i < 0x1000; i++)
		ok = map[i] == 0x3b000000u + i;
	out("ext.bo_sync.data_kept", "%s", map == MAP_FAILED ? "no mapping" : ok ? "yes" : "no");
	if (map != MAP_FAILED)
		munmap(map, 0x4000);
	if (hi)
		bo_close(hi);
	bo_close(hw);
}

/* BO_MADVISE of panthor-reclaim; @retained poisoned, so it must be written. */
static int prc_madvise(__u32 handle, __u32 advice, __u32 pad, __u32 *retained)
{
	struct drm_panthor_prc_bo_madvise ma = {
		.handle = handle, .advice = advice, .retained = 0xaa, .pad = pad,
	};
	int ret = ioctl(fd, DRM_IOCTL_PANTHOR_PRC_BO_MADVISE, &ma);

	if (retained)
		*retained = ma.retained;
	return ret;
}

/* The outcome of BO_MADVISE @advice of @handle: "0 retained=N" or -ERRNO. */
static const char *madv(__u32 handle, __u32 advice)
{
	static char buf[4][32];
	static int n;
	__u32 retained;
	int ret = prc_madvise(handle, advice, 0, &retained);
	char *b;

	if (ret)
		return res(ret);
	b = buf[n++ & 3];
	snprintf(b, sizeof(buf[0]), "0 retained=%u", retained);
	return b;
}

#define PRC_RECLAIM_PARAM	"/sys/module/panthor_reclaim/parameters/reclaim"

/* panthor-reclaim's module parameter "reclaim": "Y", "N", or "none" under stock. */
static const char *reclaim_param(void)
{
	static char buf[4][8];
	static int n;
	char *b = buf[n++ & 3];
	FILE *f = fopen(PRC_RECLAIM_PARAM, "r");

	if (!f)
		return "none";
	if (!fgets(b, sizeof(buf[0]), f))
		snprintf(b, sizeof(buf[0]), "unread");
	fclose(f);
	b[strcspn(b, "\n")] = 0;
	return b;
}

/* A PRC_DEV_QUERY_EXTENSIONS query of @size bytes into @e, poisoned first. */
static int ext_query(__u32 size, void *e, size_t len)
{
	memset(e, 0xaa, len);
	return query(DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS, size, e, NULL);
}

/*
 * Write 0 to debugfs dri/<n>/shrink: panthor-reclaim reclaims all it can
 * now, DONTNEED and discardable BOs first. "ok", or what failed.
 */
static const char *shrink_all(void)
{
	const char *r;
	glob_t g;

	if (glob("/sys/kernel/debug/dri/*/shrink", 0, NULL, &g))
		return "no shrink file";
	r = sysfs_write(g.gl_pathv[0], "0") ? res(-1) : "ok";
	globfree(&g);
	return r;
}

/* Fill the @size bytes at @m with words of @seed; check them back when @check. */
static int pattern(__u32 *m, __u64 size, __u32 seed, int check)
{
	__u64 i;
	int ok = !!m;

	for (i = 0; m && i < size / 4; i++) {
		if (!check)
			m[i] = seed + i;
		else
			ok &= m[i] == seed + i;
	}
	return ok;
}

/*
 * Case @name: BO @h, mapped at @map (@size bytes) and filled, loses its
 * content to reclaim (advised DONTNEED first when @dontneed, else created
 * discardable): the next BO_MADVISE reports it once, and it reads as
 * zeroes through the mapping it had. Without our ioctl (stock) only the
 * first call's outcome.
 */
static void dropped_case(const char *name, __u32 h, __u32 *map, __u64 size, int dontneed)
{
	const char *r, *s, *w1, *w2;
	int ret;

	pattern(map, size, 0xd0000000, 0);
	ret = dontneed ? prc_madvise(h, DRM_PANTHOR_PRC_MADV_DONTNEED, 0, NULL) :
		prc_madvise(h, DRM_PANTHOR_PRC_MADV_WILLNEED, 0, NULL);
	r = res(ret);
	if (ret) {
		out(name, "%s", r);
		return;
	}
	s = shrink_all();
	w1 = madv(h, DRM_PANTHOR_PRC_MADV_WILLNEED);
	w2 = madv(h, DRM_PANTHOR_PRC_MADV_WILLNEED);
	out(name, "%s, shrink %s, %s, reads zeroes %s, again %s", r, s, w1,
	    all_zero(map, size) ? "yes" : "no", w2);
}

/*
 * panthor-reclaim's own uAPI (panthor_reclaim_drm.h): the DEV_QUERY type
 * that lists it, the BO_CREATE flag DISCARDABLE and the BO_MADVISE ioctl.
 * Stock knows none of them (an unknown type, flag or ioctl number): its
 * outcome is printed, never asserted. Everything made here is closed
 * again, the module parameter restored.
 */
static void cases_prc(const char *node)
{
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1 };
	struct drm_prime_handle imp = { .fd = -1 };
	struct drm_panthor_prc_bo_madvise ma;
	struct drm_panthor_prc_extensions e;
	unsigned char big[sizeof(e) + 8];
	const char *r1, *r2, *p1, *p2;
	char hex[2 * 8 + 1];
	__u32 h, hd, vm, size, off;
	int f, saved, ret, ok;
	__u32 *map;

	/*
	 * Compared: BO_MADVISE's number is far above upstream's, and the
	 * numbers around it are unknown to both drivers alike.
	 */
	memset(&ma, 0, sizeof(ma));
	ret = ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_PRC_BO_MADVISE - 1, ma), &ma);
	out("ioctl.unknown_nr.below_prc", "%s", res(ret));
	ret = ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_PRC_BO_MADVISE + 1, ma), &ma);
	out("ioctl.unknown_nr.above_prc", "%s", res(ret));

	ret = query(DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS, 0, NULL, &size);
	out("ext.prc.dev_query.extensions.size", "%s size=%u", res(ret), size);
	ret = ext_query(sizeof(e), &e, sizeof(e));
	if (ret)
		out("ext.prc.dev_query.extensions", "%s", res(ret));
	else
		out("ext.prc.dev_query.extensions",
		    "0 mask=0x%llx reclaim_enabled=%u pad=%u, module parameter reclaim=%s",
		    (unsigned long long)e.mask, e.reclaim_enabled, e.pad, reclaim_param());
	/* reclaim_enabled follows the module parameter, which may change at any time. */
	if (strcmp(reclaim_param(), "Y")) {
		out("ext.prc.dev_query.extensions.reclaim_off", "module parameter reclaim=%s",
		    reclaim_param());
	} else {
		ret = sysfs_write(PRC_RECLAIM_PARAM, "N");
		r1 = ret ? res(ret) : res(ext_query(sizeof(e), &e, sizeof(e)));
		p1 = reclaim_param();
		off = e.reclaim_enabled;
		sysfs_write(PRC_RECLAIM_PARAM, "Y");
		r2 = res(ext_query(sizeof(e), &e, sizeof(e)));
		p2 = reclaim_param();
		out("ext.prc.dev_query.extensions.reclaim_off",
		    "reclaim=%s: %s reclaim_enabled=%u; reclaim=%s: %s reclaim_enabled=%u",
		    p1, r1, off, p2, r2, e.reclaim_enabled);
	}
	/* As for upstream's objects: a longer one has its tail cleared, a shorter one fails. */
	ret = ext_query(sizeof(big), big, sizeof(big));
	memcpy(&e, big, sizeof(e));
	hexdump(hex, big + sizeof(e), 8);
	out("ext.prc.dev_query.extensions.larger", "%s mask=0x%llx tail=%s", res(ret),
	    (unsigned long long)e.mask, hex);
	ret = ext_query(8, &e, sizeof(e));
	out("ext.prc.dev_query.extensions.too_small", "%s", res(ret));

	/* A discardable BO is a BO like any other until reclaim takes it. */
	ret = bo_create(0x4000, DRM_PANTHOR_PRC_BO_DISCARDABLE, 0, &hd, NULL);
	map = ret ? NULL : bo_map(hd, 0x4000);
	ok = all_zero(map, 0x4000);
	pattern(map, 0x4000, 0x5c000000, 0);
	ok &= pattern(map, 0x4000, 0x5c000000, 1);
	out("ext.prc.bo_create.discardable", "%s, zeroed and written back %s", res(ret),
	    ok ? "yes" : "no");
	if (map)
		munmap(map, 0x4000);
	/* Before anything reclaims: its content is still there. */
	out("ext.prc.bo_madvise.discardable", "%s", madv(hd, DRM_PANTHOR_PRC_MADV_WILLNEED));

	/* BO_MADVISE's argument checks. */
	bo_create(0x4000, 0, 0, &h, NULL);
	out("ext.prc.bo_madvise.bad_handle", "%s", madv(h + 1000, DRM_PANTHOR_PRC_MADV_WILLNEED));
	out("ext.prc.bo_madvise.bad_advice", "%s", madv(h, 2));
	out("ext.prc.bo_madvise.pad", "%s",
	    res(prc_madvise(h, DRM_PANTHOR_PRC_MADV_WILLNEED, 1, NULL)));
	/* Another driver's memory is not ours to drop. */
	imp.fd = foreign_dmabuf(0x4000);
	ret = imp.fd < 0 ? -1 : ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	if (ret)
		out("ext.prc.bo_madvise.udmabuf", "import %s", res(ret));
	else
		out("ext.prc.bo_madvise.udmabuf", "%s",
		    madv(imp.handle, DRM_PANTHOR_PRC_MADV_WILLNEED));
	if (!ret)
		bo_close(imp.handle);
	if (imp.fd >= 0)
		close(imp.fd);
	/* Our own BO through a dma-buf, in another file: the same BO, not an import. */
	f = open(node, O_RDWR | O_CLOEXEC);
	exp.handle = h;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	imp.fd = exp.fd;
	imp.handle = 0;
	ret = ret ?: ioctl(f, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
	saved = fd;
	fd = f;
	out("ext.prc.bo_madvise.own_dma_buf", "%s",
	    ret ? res(ret) : madv(imp.handle, DRM_PANTHOR_PRC_MADV_WILLNEED));
	fd = saved;
	if (exp.fd >= 0)
		close(exp.fd);
	close(f);
	bo_close(h);

	/* Advice on BOs nothing reclaimed: the content is still there. */
	bo_create(0x4000, 0, 0, &h, NULL);
	out("ext.prc.bo_madvise.willneed", "%s", madv(h, DRM_PANTHOR_PRC_MADV_WILLNEED));
	out("ext.prc.bo_madvise.dontneed", "%s", madv(h, DRM_PANTHOR_PRC_MADV_DONTNEED));
	bo_close(h);
	bo_create(0x4000, 0, 0, &h, NULL);
	map = bo_map(h, 0x4000);
	pattern(map, 0x4000, 0x3a000000, 0);
	ret = prc_madvise(h, DRM_PANTHOR_PRC_MADV_DONTNEED, 0, NULL);
	r1 = ret ? res(ret) : madv(h, DRM_PANTHOR_PRC_MADV_WILLNEED);
	out("ext.prc.bo_madvise.dontneed_willneed", "%s, data kept %s", r1,
	    pattern(map, 0x4000, 0x3a000000, 1) ? "yes" : "no");
	/* Back to WILLNEED before reclaim: swapped out, never dropped. */
	if (ret) {
		out("ext.prc.bo_madvise.willneed_kept", "%s", r1);
	} else {
		r2 = shrink_all();
		out("ext.prc.bo_madvise.willneed_kept", "0, shrink %s, %s, data kept %s", r2,
		    madv(h, DRM_PANTHOR_PRC_MADV_WILLNEED),
		    pattern(map, 0x4000, 0x3a000000, 1) ? "yes" : "no");
	}
	if (map)
		munmap(map, 0x4000);
	bo_close(h);
	vm_create(0, 0, &vm, NULL);
	bo_create(0x4000, 0, vm, &h, NULL);
	out("ext.prc.bo_madvise.exclusive_vm", "%s", madv(h, DRM_PANTHOR_PRC_MADV_WILLNEED));
	bo_close(h);
	vm_destroy(vm, 0);

	/* What reclaim dropped reads as zeroes; the next BO_MADVISE says so, once. */
	bo_create(0x4000, 0, 0, &h, NULL);
	map = bo_map(h, 0x4000);
	dropped_case("ext.prc.bo_madvise.purged", h, map, 0x4000, 1);
	if (map)
		munmap(map, 0x4000);
	bo_close(h);
	map = bo_map(hd, 0x4000);
	dropped_case("ext.prc.bo_create.discardable.dropped", hd, map, 0x4000, 0);
	if (map)
		munmap(map, 0x4000);
	bo_close(hd);
}

/*
 * GROUP_SUBMIT and its sync operations. Jobs run in a 64 KiB BO mapped at
 * JOB_VA: command streams at its start, data from JOB_DATA. The CPU reads
 * what they stored through its mmap.
 */
#define JOB_VA		0x1000000ull
#define JOB_BO_SIZE	0x10000
#define JOB_DATA	0x8000
#define JOB_UNMAPPED	0x7000000ull

/* The instructions the cases use, on panthor-util.h's encodings. */
#define CS_LOAD(base, addr, mask)	CS_LOAD_MULTIPLE(base, addr, mask, 0)
#define CS_STORE(base, addr, mask)	CS_STORE_MULTIPLE(base, addr, mask, 0)
/* Wait until the 32-bit word at register pair @addr is greater than register @data. */
#define CS_SYNC_WAIT32_GT(data, addr)	CS_SYNC_WAIT32(CS_COND_GREATER, data, addr)
/*
 * The streams use registers below JOB_REGS only: 0 to 7, and 40 and 41, set
 * before a suspend and stored after it (high ones, so that the whole
 * register file must be kept, not its first few).
 */
#define JOB_REGS	42
#define SAVED_REG	40

#define SIG		DRM_PANTHOR_SYNC_OP_SIGNAL
#define TL		DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ

/* A VM with the job BO mapped and mmapped, and a group in it. */
struct jctx {
	__u32 vm, bo, group;
	char *map;
};

static struct drm_panthor_group_create group_tmpl(void)
{
	struct drm_panthor_group_create g = {
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gpu.shader_present, .fragment_core_mask = gpu.shader_present,
		.tiler_core_mask = gpu.tiler_present,
	};

	return g;
}

/* Set up @c with a group of @nqueues 4 KiB queues. Return: 0, or -1 (print the case "name"). */
static int jctx_open(struct jctx *c, __u32 nqueues, const char *name)
{
	struct drm_panthor_group_create g = group_tmpl();
	__u64 off;

	memset(c, 0, sizeof(*c));
	c->map = MAP_FAILED;
	if (!vm_create(0, 0, &c->vm, NULL) && !bo_create(JOB_BO_SIZE, 0, c->vm, &c->bo, NULL) &&
	    !bind(c->vm, MAP, c->bo, 0, JOB_VA, JOB_BO_SIZE, NULL) && !bo_offset(c->bo, 0, &off))
		c->map = mmap(NULL, JOB_BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (c->map != MAP_FAILED && !group_create(&g, c->vm, nqueues, 4096, &c->group))
		return 0;
	out(name, "setup failed: %s", res(-1));
	return -1;
}

static void jctx_close(struct jctx *c)
{
	if (c->map != MAP_FAILED)
		munmap(c->map, JOB_BO_SIZE);
	if (c->group)
		group_destroy(c->group, 0);
	if (c->bo)
		bo_close(c->bo);
	if (c->vm)
		vm_destroy(c->vm, 0);
}

/* Word @i of the data area. */
static __u32 *jdata(struct jctx *c, __u32 i)
{
	return (__u32 *)(c->map + JOB_DATA) + i;
}

/* A stream at BO offset @off storing @v0 and @v1 at data words @i and @i + 1; its length. */
static __u32 cs_store2(struct jctx *c, __u32 off, __u32 i, __u32 v0, __u32 v1)
{
	__u64 *cs = (__u64 *)(c->map + off);

	cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA + 4 * i);
	cs[1] = CS_MOVE32(2, v0);
	cs[2] = CS_MOVE32(3, v1);
	cs[3] = CS_STORE(2, 0, 0x3);
	return 4;
}

/* The queue submission of the @n instructions at BO offset @off (none: an empty job). */
static struct drm_panthor_queue_submit qsub(__u32 queue, __u32 off, __u32 n,
					    struct drm_panthor_sync_op *syncs, __u32 nsyncs)
{
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue, .stream_addr = n ? JOB_VA + off : 0, .stream_size = n * 8,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(nsyncs, syncs),
	};

	return qs;
}

static int submit_raw(__u32 group, __u32 pad, __u32 stride, __u32 count, const void *array)
{
	struct drm_panthor_group_submit gs = {
		.group_handle = group, .pad = pad,
		.queue_submits = { .stride = stride, .count = count, .array = (uintptr_t)array },
	};

	return ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs);
}

static int submit(__u32 group, struct drm_panthor_queue_submit *qs, __u32 count)
{
	return submit_raw(group, 0, sizeof(*qs), count, qs);
}

/* Submit one empty job on queue 0 with the single sync operation given. */
static int submit_sync(__u32 group, __u32 flags, __u32 handle, __u64 point)
{
	struct drm_panthor_sync_op op = {
		.flags = flags, .handle = handle, .timeline_value = point,
	};
	struct drm_panthor_queue_submit qs = qsub(0, 0, 0, &op, 1);

	return submit(group, &qs, 1);
}

static __u32 syncobj_create(__u32 flags)
{
	struct drm_syncobj_create sc = { .flags = flags };

	return ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc) ? 0 : sc.handle;
}

/*
 * Handle 0 is never a syncobj: skip it. On 7.x kernels (drm_syncobj's handles
 * in an xarray) SYNCOBJ_DESTROY(0) fails with EINVAL but frees the reserved
 * index 0, and the next SYNCOBJ_CREATE returns handle 0; a destroy/create
 * pair on a zeroed handle then gives every new syncobj handle 0.
 */
static void syncobj_destroy(__u32 handle)
{
	struct drm_syncobj_destroy sd = { .handle = handle };

	if (handle)
		ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
}

/* CLOCK_MONOTONIC in @ms milliseconds, in ns (0: now, for a poll). */
static __s64 deadline(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec + ms * 1000000ll;
}

/*
 * Note how long a timing-sensitive step took since @t0 (a deadline(0)):
 * a "! timing" line, not a case, so that a run shows its margins.
 */
static void note_timing(const char *what, __s64 t0)
{
	printf("! timing %s %lld ms\n", what, (long long)(deadline(0) - t0) / 1000000);
}

/* SYNCOBJ_WAIT on a binary syncobj for up to @ms (0: a poll). */
static int syncobj_wait(__u32 handle, int ms, __u32 flags)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&handle, .count_handles = 1, .flags = flags,
		.timeout_nsec = deadline(ms),
	};

	return ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int timeline_wait(__u32 handle, __u64 point, int ms, __u32 flags)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)&handle, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = flags, .timeout_nsec = deadline(ms),
	};

	return ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

/* SYNCOBJ_QUERY: "ERR" or the point. */
static const char *timeline_query(__u32 handle, __u32 flags)
{
	static char buf[4][24];
	static int n;
	__u64 point = ~0ull;
	struct drm_syncobj_timeline_array q = {
		.handles = (uintptr_t)&handle, .points = (uintptr_t)&point, .count_handles = 1,
		.flags = flags,
	};
	char *b = buf[n++ & 3];

	if (ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &q))
		return res(-1);
	snprintf(b, sizeof(buf[0]), "%llu", (unsigned long long)point);
	return b;
}

/*
 * The state of the syncobj's fence, as its sync file tells it. Only while
 * the group of the job that signals it lives: SYNC_IOC_FILE_INFO asks the
 * fence for its timeline name, and on 6.12 that reads the drm_sched
 * scheduler, freed with the group (an oops under stock panthor too).
 */
static const char *fence_status(__u32 handle)
{
	struct drm_syncobj_handle sh = {
		.handle = handle, .fd = -1,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
	};
	struct sync_file_info info;
	static char buf[4][40];
	static int n;
	char *b = buf[n++ & 3];

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &sh))
		snprintf(b, sizeof(buf[0]), "no sync file (%s)", res(-1));
	else if (ioctl(sh.fd, SYNC_IOC_FILE_INFO, &info))
		snprintf(b, sizeof(buf[0]), "no info (%s)", res(-1));
	else if (info.status < 0)
		snprintf(b, sizeof(buf[0]), "failed with -%s", ename(-info.status));
	else
		snprintf(b, sizeof(buf[0]), "%s", info.status ? "signalled" : "unsignalled");
	if (sh.fd >= 0)
		close(sh.fd);
	return b;
}

/*
 * GPU probes: what the GPU sees through a VM's mappings, checked with one
 * job in a group of that VM. The probe's stream lives in a BO of its own,
 * bound at PROBE_VA just before the job (the case may have unmapped
 * everything). It stores a word through each VA to check, or loads one
 * into the probe BO, and may end with a store that must fault: a fault
 * ends the job and kills its group, so it comes last and the next probe
 * makes a new group. The CPU reads the stored words back through another
 * mapping of the BO under test, its mmap. The probe's outcome has one
 * letter per check, y or n, then whether the last store faulted.
 */
#define PROBE_VA	0x100000000ull
#define PROBE_BO_SIZE	0x10000
#define PROBE_LOADS	0x8000	/* where loaded words land in the probe BO */
#define PROBE_SCRATCH	0xc000	/* a word no check expects anything in */
#define PROBE_MAX	16

struct probe {
	__u32 vm, bo, group, sync;
	char *map;
	__u32 n;
	struct {
		int load;		/* 1: load the word, else store it */
		__u64 va;
		__u32 *cpu;	/* the word in the BO under test (NULL: none) */
		__u32 val;
	} c[PROBE_MAX];
	__u64 fault_va;		/* non-zero: a last store there, which must fault */
};

/* Distinct values for the probes' words. */
static __u32 probe_seq = 0x9e000000;

/* Set @p up for probing VM @vm of the current file. Return: 0, or -1. */
static int probe_open(struct probe *p, __u32 vm)
{
	__u64 off;

	memset(p, 0, sizeof(*p));
	p->map = MAP_FAILED;
	p->vm = vm;
	if (bo_create(PROBE_BO_SIZE, 0, vm, &p->bo, NULL) || bo_offset(p->bo, 0, &off))
		return -1;
	p->map = mmap(NULL, PROBE_BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	return p->map == MAP_FAILED ? -1 : 0;
}

static void probe_close(struct probe *p)
{
	if (p->group)
		group_destroy(p->group, 0);
	if (p->sync)
		syncobj_destroy(p->sync);
	if (p->map != MAP_FAILED)
		munmap(p->map, PROBE_BO_SIZE);
	if (p->bo)
		bo_close(p->bo);
	memset(p, 0, sizeof(*p));
	p->map = MAP_FAILED;
}

/* Check that a GPU store through @va lands in @cpu (NULL: in no BO the CPU sees). */
static void probe_store(struct probe *p, __u64 va, __u32 *cpu)
{
	if (p->n == PROBE_MAX)
		return;
	p->c[p->n].load = 0;
	p->c[p->n].va = va;
	p->c[p->n].cpu = cpu ? cpu : (__u32 *)(p->map + PROBE_SCRATCH);
	p->c[p->n++].val = ++probe_seq;
}

/*
 * Check that a GPU load through @va reads what the CPU writes in @cpu
 * before the job, or reads 0 when @cpu is NULL (a BO the CPU cannot map).
 */
static void probe_load(struct probe *p, __u64 va, __u32 *cpu)
{
	if (p->n == PROBE_MAX)
		return;
	p->c[p->n].load = 1;
	p->c[p->n].va = va;
	p->c[p->n].cpu = cpu;
	p->c[p->n++].val = cpu ? ++probe_seq : 0;
}

/* End the job with a store through @va, which must fault (nothing mapped, or read-only). */
static void probe_fault(struct probe *p, __u64 va)
{
	p->fault_va = va;
}

/* Run the checks queued in @p; their outcome ("gpu yyn, then fault"). */
static const char *probe_run(struct probe *p)
{
	struct drm_panthor_group_create g = group_tmpl();
	struct drm_panthor_group_get_state st = { 0 };
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op op;
	__u32 *loads = (__u32 *)(p->map + PROBE_LOADS);
	__u64 *cs = (__u64 *)p->map;
	static char buf[4][PROBE_MAX + 48];
	static int nb;
	char *b = buf[nb++ & 3], yn[PROBE_MAX + 1];
	__u32 n = 0, i;
	int ret;

	if (p->map == MAP_FAILED) {
		snprintf(b, sizeof(buf[0]), "probe setup failed");
		goto out;
	}
	for (i = 0; i < p->n; i++) {
		cs[n++] = CS_MOVE48(0, p->c[i].va);
		if (p->c[i].load) {
			if (p->c[i].cpu)
				*p->c[i].cpu = p->c[i].val;
			loads[i] = ~p->c[i].val;
			cs[n++] = CS_LOAD(4, 0, 0x1);
			cs[n++] = CS_MOVE48(6, PROBE_VA + PROBE_LOADS + 4 * i);
			cs[n++] = CS_STORE(4, 6, 0x1);
		} else {
			*p->c[i].cpu = 0;
			cs[n++] = CS_MOVE32(2, p->c[i].val);
			cs[n++] = CS_STORE(2, 0, 0x1);
		}
	}
	if (p->fault_va) {
		cs[n++] = CS_MOVE48(0, p->fault_va);
		cs[n++] = CS_MOVE32(2, 0xfa0175);
		cs[n++] = CS_STORE(2, 0, 0x1);
	}
	if (p->sync)
		syncobj_destroy(p->sync);
	p->sync = syncobj_create(0);
	op = (struct drm_panthor_sync_op){ .flags = SIG, .handle = p->sync };
	qs = qsub(0, 0, n, &op, 1);
	qs.stream_addr = PROBE_VA;
	bind(p->vm, UNMAP, 0, 0, PROBE_VA, PROBE_BO_SIZE, NULL);
	ret = bind(p->vm, MAP, p->bo, 0, PROBE_VA, PROBE_BO_SIZE, NULL);
	if (!ret && !p->group)
		ret = group_create(&g, p->vm, 1, 4096, &p->group);
	ret = ret ?: submit(p->group, &qs, 1);
	ret = ret ?: syncobj_wait(p->sync, 10000, 0);
	ret = ret ?: group_state(p->group, 0, &st);
	if (ret) {
		snprintf(b, sizeof(buf[0]), "probe job failed: %s", res(ret));
		goto out;
	}
	for (i = 0; i < p->n; i++)
		yn[i] = (p->c[i].load ? loads[i] : *p->c[i].cpu) == p->c[i].val ? 'y' : 'n';
	yn[i] = 0;
	snprintf(b, sizeof(buf[0]), "gpu %s%s", p->n ? yn : "-",
		 p->fault_va ? (st.state ? ", then fault" : ", then no fault") :
		 st.state ? ", group failed" : "");
out:
	/* A failed group takes no more jobs: the next probe makes a new one. */
	if (p->group && st.state) {
		group_destroy(p->group, 0);
		p->group = 0;
	}
	p->n = 0;
	p->fault_va = 0;
	return b;
}

/* A case's ioctl outcome @r, then its probe's. */
static void pcase(const char *name, const char *r, struct probe *p)
{
	out(name, "%s; %s", r, probe_run(p));
}

/*
 * VM_BIND: each case's outcome, and for those that map or unmap, what the
 * GPU then sees (a probe): stores through the mapping land at the right
 * offset of the BO, loads read what the CPU wrote, and stores where
 * nothing is mapped (or only read-only) fault. Refused binds must leave
 * the VM as it was.
 */
static void cases_bind(void)
{
	struct drm_panthor_vm_bind_op ops[3] = {
		{ .flags = MAP, .va = 0x200000, .size = 0x10000 },
		{ .flags = MAP, .va = 0x201000, .size = 0x1000 },
		{ .flags = MAP, .va = 0x300001, .size = 0x1000 },
	};
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(3, ops) };
	struct drm_panthor_sync_op sync = { 0 };
	__u32 vm, vm2, h, hx, hn, count, *hm, *xm;
	struct probe p = { .map = MAP_FAILED };
	const char *r;
	__u64 range;
	int ret, z;

	vm_create(0, 0, &vm, &range);
	vm_create(0, 0, &vm2, NULL);
	bo_create(4 << 20, 0, 0, &h, NULL);
	bo_create(0x10000, 0, vm, &hx, NULL);
	hm = bo_map(h, 4 << 20);
	xm = bo_map(hx, 0x10000);
	/* 4 MiB: on huge pages where the driver uses them, zeroed all the same. */
	z = all_zero(hm, 4 << 20);
	out("bo_create.4m", "mmap %s, zeroed %s, exclusive 64k mmap %s, zeroed %s",
	    hm ? "ok" : "failed", z ? "yes" : "no", xm ? "ok" : "failed",
	    all_zero(xm, 0x10000) ? "yes" : "no");
	if (!hm || !xm || probe_open(&p, vm)) {
		out("vm_bind", "setup failed: %s", res(-1));
		goto out;
	}
#define H(off)	(hm + (off) / 4)

	r = res(bind(vm, MAP, h, 0, 0x1000000, 0x10000, NULL));
	probe_load(&p, 0x1000800, NULL);
	probe_store(&p, 0x1000000, H(0));
	probe_store(&p, 0x100fffc, H(0xfffc));
	probe_load(&p, 0x1008000, H(0x8000));
	probe_fault(&p, 0x1010000);
	pcase("vm_bind.map", r, &p);
	r = res(bind(vm, MAP, h, 0, 0x4000000, 4 << 20, NULL));
	probe_store(&p, 0x4000100, H(0x100));
	probe_store(&p, 0x4200010, H(0x200010));
	probe_store(&p, 0x43ffffc, H(0x3ffffc));
	probe_load(&p, 0x4300000, H(0x300000));
	probe_fault(&p, 0x4400000);
	pcase("vm_bind.map_2m_aligned", r, &p);
	r = res(bind(vm, MAP, h, 0x1000, 0x1004000, 0x2000, NULL));
	probe_store(&p, 0x1004000, H(0x1000));
	probe_store(&p, 0x1005ff0, H(0x2ff0));
	probe_store(&p, 0x1003000, H(0x3000));
	probe_store(&p, 0x1006000, H(0x6000));
	pcase("vm_bind.map_over_existing", r, &p);
	r = res(bind(vm, UNMAP, 0, 0, 0x4100000, 0x1000, NULL));
	probe_store(&p, 0x40ffffc, H(0xffffc));
	probe_store(&p, 0x4101000, H(0x101000));
	probe_load(&p, 0x4000000, H(0));
	probe_fault(&p, 0x4100800);
	pcase("vm_bind.unmap_middle", r, &p);
	r = res(bind(vm, UNMAP, 0, 0, 0x8000000, 0x1000, NULL));
	probe_store(&p, 0x4000010, H(0x10));
	probe_fault(&p, 0x8000000);
	pcase("vm_bind.unmap_unmapped", r, &p);
	/* The second 2 MiB of the BO: the offset counts, also in a huge mapping. */
	r = res(bind(vm, MAP, h, 2 << 20, 0x6000000, 2 << 20, NULL));
	probe_store(&p, 0x6000030, H(0x200030));
	probe_store(&p, 0x61ffffc, H(0x3ffffc));
	probe_load(&p, 0x6100000, H(0x300000));
	probe_fault(&p, 0x6200000);
	pcase("vm_bind.map_offset_2m", r, &p);
	r = res(bind(vm, UNMAP, 0, 0, 0, range, NULL));
	probe_fault(&p, 0x1000000);
	pcase("vm_bind.unmap_all", r, &p);
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
	bcase("vm_bind.bad_map_flags", vm, MAP | (1u << 4), h, 0, 0x1000000, 0x1000);
	/* None of the refused maps above left anything at 0x1000000. */
	probe_fault(&p, 0x1000000);
	out("vm_bind.refused_maps_map_nothing", "%s", probe_run(&p));
	/*
	 * uAPI 1.9's sparse mappings: no BO, no offset, never executable. The
	 * GPU's stores there fault nowhere and land in no BO.
	 */
	r = res(bind(vm, MAP | NX | SPARSE, 0, 0, 0x40001000, 4 << 20, NULL));
	probe_store(&p, 0x40001000, NULL);
	probe_store(&p, 0x40400ffc, NULL);
	pcase("ext.vm_bind.sparse", r, &p);
	bcase("ext.vm_bind.sparse_exec", vm, MAP | SPARSE, 0, 0, 0x40001000, 4 << 20);
	bcase("ext.vm_bind.sparse_handle", vm, MAP | NX | SPARSE, h, 0, 0x40001000, 4 << 20);
	bcase("ext.vm_bind.sparse_offset", vm, MAP | NX | SPARSE, 0, 0x1000, 0x40001000, 4 << 20);
	r = res(bind(vm, UNMAP, 0, 0, 0x40200000, 1 << 20, NULL));
	probe_store(&p, 0x40100000, NULL);
	probe_fault(&p, 0x40280000);
	pcase("ext.vm_bind.sparse_unmap_part", r, &p);
	r = res(bind(vm, UNMAP, 0, 0, 0x40000000, 6 << 20, NULL));
	probe_fault(&p, 0x40001000);
	pcase("ext.vm_bind.sparse_unmap", r, &p);
	/* Read-only: loads work, a store faults. */
	r = res(bind(vm, MAP | RO | NX | UC, h, 0, 0x1000000, 0x1000, NULL));
	probe_load(&p, 0x1000010, H(0x10));
	probe_fault(&p, 0x1000020);
	pcase("vm_bind.map_flags", r, &p);
	bcase("vm_bind.unmap_with_handle", vm, UNMAP, h, 0, 0x1000000, 0x1000);
	bcase("vm_bind.unmap_with_flags", vm, UNMAP | NX, 0, 0, 0x1000000, 0x1000);
	bcase("vm_bind.bad_type", vm, 3, 0, 0, 0x1000000, 0x1000);
	/* The refused unmaps above left the read-only mapping. */
	probe_load(&p, 0x1000ffc, H(0xffc));
	out("vm_bind.refused_unmaps_keep_mapping", "%s", probe_run(&p));
	bcase("vm_bind.sync_only_sync", vm, DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0);
	bcase("vm_bind.bad_vm", 999, MAP, h, 0, 0x1000000, 0x1000);
	bcase("vm_bind.exclusive_other_vm", vm2, MAP, hx, 0, 0x1000000, 0x1000);
	r = res(bind(vm, MAP, hx, 0, 0x2000000, 0x1000, NULL));
	probe_store(&p, 0x2000000, xm);
	probe_store(&p, 0x2000ffc, xm + 0x3ff);
	probe_fault(&p, 0x2001000);
	pcase("vm_bind.exclusive_own_vm", r, &p);

	/* Synchronous binds take no sync objects. */
	ops[0].bo_handle = h;
	ops[0].syncs = (struct drm_panthor_obj_array)DRM_PANTHOR_OBJ_ARRAY(1, &sync);
	vb.vm_id = vm;
	vb.ops.count = 1;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	r = res(ret);
	probe_fault(&p, 0x200000);
	out("vm_bind.sync_with_syncs", "%s count=%u; %s", r, vb.ops.count, probe_run(&p));
	memset(&ops[0].syncs, 0, sizeof(ops[0].syncs));

	/* The third op fails: ops.count reports the two done, and they are. */
	ops[1].bo_handle = h;
	ops[2].bo_handle = h;
	vb.ops.count = 3;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	r = res(ret);
	probe_store(&p, 0x200010, H(0x10));
	probe_store(&p, 0x201020, H(0x20));
	probe_store(&p, 0x202030, H(0x2030));
	probe_fault(&p, 0x300000);
	out("vm_bind.partial", "%s count=%u; %s", r, vb.ops.count, probe_run(&p));
	vb.ops.stride = 8;
	vb.ops.count = 1;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	out("vm_bind.small_stride", "%s", res(ret));
	vb.ops.stride = sizeof(ops[0]);
	vb.ops.array = 16;
	ret = ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
	out("vm_bind.bad_array", "%s", res(ret));
	r = res(bind(vm, UNMAP, 0, 0, 0, range, &count));
	probe_fault(&p, 0x200000);
	pcase("vm_bind.cleanup", r, &p);

	/* A BO the CPU may not map reads as zero on the GPU. */
	ret = bo_create(0x10000, DRM_PANTHOR_BO_NO_MMAP, 0, &hn, NULL);
	ret = ret ?: bind(vm, MAP, hn, 0, 0x3000000, 0x10000, NULL);
	r = res(ret);
	probe_load(&p, 0x3000000, NULL);
	probe_load(&p, 0x3008004, NULL);
	probe_load(&p, 0x300fffc, NULL);
	pcase("bo_create.no_mmap.gpu_reads_zero", r, &p);
	bind(vm, UNMAP, 0, 0, 0x3000000, 0x10000, NULL);
	bo_close(hn);
out:
	probe_close(&p);
	if (hm)
		munmap(hm, 4 << 20);
	if (xm)
		munmap(xm, 0x10000);
	bo_close(hx);
	bo_close(h);
	/* Destroying a VM with live mappings. */
	bo_create(0x10000, 0, 0, &h, NULL);
	bind(vm2, MAP, h, 0, 0x1000000, 0x10000, NULL);
	out("vm_destroy.with_mappings", "%s", res(vm_destroy(vm2, 0)));
	bo_close(h);
	vm_destroy(vm, 0);
#undef H
}

/*
 * TILER_HEAP_CREATE and DESTROY. The uAPI documents the chunk size as
 * page-aligned in [128 KiB, 8 MiB] and the initial chunk count as at least
 * one and at most max_chunks: both sides of each bound. A heap that was
 * created is checked on the GPU: its context reads as zero, and its initial
 * chunks form a list the GPU walks from first_heap_chunk_gpu_va, each
 * header's link the next chunk's VA ORed with the chunk size in 4 KiB
 * units, the last link 0.
 */
#define HEAP_WALK_MAX		64

static int heap_create(__u32 vm, __u32 initial, __u32 chunk, __u32 max, __u32 in_flight,
		       struct drm_panthor_tiler_heap_create *hc)
{
	*hc = (struct drm_panthor_tiler_heap_create){
		.vm_id = vm, .initial_chunk_count = initial, .chunk_size = chunk,
		.max_chunks = max, .target_in_flight = in_flight,
	};
	return ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE, hc);
}

static int heap_destroy(__u32 handle, __u32 pad)
{
	struct drm_panthor_tiler_heap_destroy hd = { .handle = handle, .pad = pad };

	return ioctl(fd, DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY, &hd);
}

/*
 * Walk heap @hc's chunk list on the GPU, in the VM of @c (its group's queue
 * 0): "ctx zero, N chunks, links ok" when it is as documented.
 */
static const char *heap_walk(struct jctx *c, const struct drm_panthor_tiler_heap_create *hc)
{
	__u32 n = 0, i, words = 2 * hc->initial_chunk_count, links_ok = 1, ctx_zero = 1;
	__u32 *d = jdata(c, 0), unit = hc->chunk_size >> 12;
	__u64 *cs = (__u64 *)c->map, link;
	static char buf[96];
	struct drm_panthor_sync_op op;
	struct drm_panthor_queue_submit qs;
	__u32 s = syncobj_create(0);
	const char *r;
	int ret;

	if (hc->initial_chunk_count > HEAP_WALK_MAX)
		return "too many chunks to walk";
	memset(d, 0xa5, 4 * (8 + words));
	/* The first 32 bytes of the context, to data words 0-7. */
	cs[n++] = CS_MOVE48(0, hc->tiler_heap_ctx_gpu_va);
	cs[n++] = CS_LOAD(8, 0, 0xff);
	cs[n++] = CS_MOVE48(0, JOB_VA + JOB_DATA);
	cs[n++] = CS_STORE(8, 0, 0xff);
	/* Each chunk's link to data words 8 and on, following it to the next. */
	cs[n++] = CS_MOVE48(0, hc->first_heap_chunk_gpu_va);
	for (i = 0; i < hc->initial_chunk_count; i++) {
		cs[n++] = CS_LOAD(2, 0, 0x3);
		cs[n++] = CS_MOVE48(6, JOB_VA + JOB_DATA + 32 + 8 * i);
		cs[n++] = CS_STORE(2, 6, 0x3);
		cs[n++] = CS_ADD_IMM64(0, 2, -(int)unit);
	}
	op = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	qs = qsub(0, 0, n, &op, 1);
	ret = submit(c->group, &qs, 1);
	r = res(ret ?: syncobj_wait(s, 10000, 0));
	syncobj_destroy(s);
	for (i = 0; i < 8; i++)
		ctx_zero &= !d[i];
	for (i = 0; i < hc->initial_chunk_count; i++) {
		link = d[8 + 2 * i] | (__u64)d[9 + 2 * i] << 32;
		if (i + 1 < hc->initial_chunk_count)
			links_ok &= link && (link & 0xfff) == unit;
		else
			links_ok &= !link;
	}
	snprintf(buf, sizeof(buf), "walk %s: ctx zero %s, %u chunks, links %s", r,
		 ctx_zero ? "yes" : "no", hc->initial_chunk_count, links_ok ? "ok" : "wrong");
	return buf;
}

/* One heap case: create, walk on the GPU, destroy. */
static void hcase(const char *name, struct jctx *c, __u32 initial, __u32 chunk, __u32 max)
{
	struct drm_panthor_tiler_heap_create hc;
	int ret = heap_create(c->vm, initial, chunk, max, 1, &hc);

	if (ret) {
		out(name, "%s", res(ret));
		return;
	}
	out(name, "0, %s, destroy %s", heap_walk(c, &hc), res(heap_destroy(hc.handle, 0)));
}

/*
 * Heap growth with 2 MiB chunks, as Mesa makes them: RUN_IDVS on the heap
 * in the model's tiler heap mode (idvs-heap-bytes) takes heap memory until
 * the driver answered TILER_OOM with max_chunks chunks, then incremental
 * renders. The heap context (the model's layout) says how it went.
 */
#define GROW_IDVS	100

static void case_heap_growth(struct jctx *c)
{
	struct drm_panthor_tiler_heap_create hc;
	struct drm_panthor_group_get_state st;
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op op;
	__u64 *cs = (__u64 *)c->map;
	__u32 s, n = 0, i, *d = jdata(c, 0);
	const char *r1, *r2;
	int ret;

	ret = heap_create(c->vm, 1, 2 << 20, 3, 1, &hc);
	if (ret) {
		out("heap.growth_2m", "create %s", res(ret));
		return;
	}
	memset(d, 0xa5, 16);
	cs[n++] = CS_MOVE48(10, hc.tiler_heap_ctx_gpu_va);
	cs[n++] = CS_HEAP_SET(10);
	for (i = 0; i < GROW_IDVS; i++)
		cs[n++] = CS_RUN_IDVS;
	cs[n++] = CS_MOVE48(0, hc.tiler_heap_ctx_gpu_va + 0x10);
	cs[n++] = CS_LOAD(2, 0, 0x7);
	cs[n++] = CS_MOVE48(0, JOB_VA + JOB_DATA);
	cs[n++] = CS_STORE(2, 0, 0x7);
	s = syncobj_create(0);
	op = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	qs = qsub(0, 0, n, &op, 1);
	r1 = res(submit(c->group, &qs, 1));
	r2 = res(syncobj_wait(s, 20000, 0));
	syncobj_destroy(s);
	ret = group_state(c->group, 0, &st);
	if (!d[0] && !d[1] && !d[2])
		out("heap.growth_2m", "model not in tiler heap mode: no RUN_IDVS used the heap");
	else
		out("heap.growth_2m",
		    "submit %s, wait %s, group %s %u; %u RUN_IDVS done, %u chunks grown, %u incremental renders, destroy %s",
		    r1, r2, res(ret), st.state, d[0], d[1], d[2], res(heap_destroy(hc.handle, 0)));
}

static void cases_heap(void)
{
	struct drm_panthor_tiler_heap_create hc;
	struct jctx c;
	__u32 h1, h2;
	int ret;

	if (jctx_open(&c, 1, "heap"))
		goto out;
	hcase("heap.chunk_124k", &c, 1, 124 << 10, 4);
	hcase("heap.chunk_128k", &c, 1, 128 << 10, 4);
	hcase("heap.chunk_130k_unaligned", &c, 1, 130 << 10, 4);
	hcase("heap.chunk_132k", &c, 1, 132 << 10, 4);
	hcase("heap.chunk_256k", &c, 1, 256 << 10, 4);
	hcase("heap.chunk_1m", &c, 1, 1 << 20, 4);
	hcase("heap.chunk_2m", &c, 1, 2 << 20, 4);
	hcase("heap.chunk_3m", &c, 1, 3 << 20, 4);
	hcase("heap.chunk_4m", &c, 1, 4 << 20, 4);
	hcase("heap.chunk_8m", &c, 1, 8 << 20, 4);
	hcase("heap.chunk_8m_plus_4k", &c, 1, (8 << 20) + 4096, 4);
	hcase("heap.chunk_16m", &c, 1, 16 << 20, 4);
	hcase("heap.initial_0", &c, 0, 256 << 10, 4);
	hcase("heap.initial_5_2m", &c, 5, 2 << 20, 64);
	hcase("heap.initial_max_2m", &c, 16, 2 << 20, 16);
	hcase("heap.initial_over_max", &c, 5, 256 << 10, 4);
	hcase("heap.initial_5_128k", &c, 5, 128 << 10, 64);
	out("heap_create.bad_vm", "%s", res(heap_create(c.vm + 99, 1, 256 << 10, 4, 1, &hc)));
	ret = heap_create(c.vm, 1, 256 << 10, 4, 0, &hc);
	out("heap_create.in_flight_0", "%s", res(ret));
	if (!ret)
		heap_destroy(hc.handle, 0);
	/* Two heaps of a VM; destroy's checks. */
	heap_create(c.vm, 1, 256 << 10, 4, 1, &hc);
	h1 = hc.handle;
	out("heap_create.second", "%s", res(heap_create(c.vm, 1, 256 << 10, 4, 1, &hc)));
	h2 = hc.handle;
	out("heap_destroy.pad", "%s", res(heap_destroy(h1, 1)));
	out("heap_destroy.bad_handle", "%s", res(heap_destroy(h2 + 1000, 0)));
	out("heap_destroy", "%s", res(heap_destroy(h1, 0)));
	out("heap_destroy.twice", "%s", res(heap_destroy(h1, 0)));
	heap_destroy(h2, 0);
	case_heap_growth(&c);
out:
	jctx_close(&c);
}

/* dma-buf sharing between two open files, and what may not be shared. */
/* Case @name: export a new 4 KiB BO made with @flags (exclusive to @vm if non-zero). */
static void prime_export_case(const char *name, __u32 flags, __u32 vm)
{
	struct drm_prime_handle exp = { .fd = -1 };
	__u32 h;
	int ret;

	bo_create(0x1000, flags, vm, &h, NULL);
	exp.handle = h;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	out(name, "%s", res(ret));
	if (!ret)
		close(exp.fd);
	bo_close(h);
}

static void cases_prime(const char *node)
{
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle imp = { 0 };
	int fd2 = open(node, O_RDWR | O_CLOEXEC), saved = fd, ret, ok, i;
	struct probe p = { .map = MAP_FAILED };
	__u32 h, vm, vm2;
	const char *r;
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
	map = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	ok = map != MAP_FAILED;
	for (i = 0; ok && i < 0x1000; i++)
		ok = map[i] == 0x5eed0000u + i;
	out("prime.imported_mmap_sees_data", "offset %s, data %s", res(ret),
	    ok ? "same" : "differs");
	/* The GPU reads and writes the imported BO through its mapping. */
	ret = map == MAP_FAILED ? -1 : probe_open(&p, vm2);
	if (!ret) {
		probe_load(&p, 0x1000100, map + 0x40);
		probe_store(&p, 0x1003ffc, map + 0xfff);
		out("prime.imported_bind.gpu", "%s", probe_run(&p));
	} else {
		out("prime.imported_bind.gpu", "setup failed");
	}
	if (map != MAP_FAILED)
		munmap(map, 0x4000);
	r = res(bind(vm2, UNMAP, 0, 0, 0x1000000, 0x4000, NULL));
	probe_fault(&p, 0x1000000);
	pcase("prime.imported_unbind", r, &p);
	probe_close(&p);
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

	prime_export_case("prime.export_exclusive_vm_bo", 0, vm);
	prime_export_case("prime.export_no_mmap_bo", DRM_PANTHOR_BO_NO_MMAP, 0);
	exp.handle = 0x7777;
	ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
	out("prime.export_bad_handle", "%s", res(ret));
	vm_destroy(vm, 0);
	close(fd2);
}

/* Argument checks, in the order panthor makes them. */
static void cases_submit_args(void)
{
	struct drm_panthor_sync_op ops[2] = { { 0 } };
	struct drm_panthor_queue_submit qs[2];
	struct {
		struct drm_panthor_queue_submit qs;
		__u64 ext;
	} qx;
	struct {
		struct drm_panthor_sync_op op;
		__u64 ext;
	} sx;
	struct drm_panthor_group_create g = group_tmpl();
	__u32 h, s, s2, ssig, gone = 0;
	const char *r1, *r2;
	struct jctx c;

	if (jctx_open(&c, 2, "group_submit"))
		goto out;
	h = c.group;
	s = syncobj_create(0);
	s2 = syncobj_create(0);
	ssig = syncobj_create(DRM_SYNCOBJ_CREATE_SIGNALED);

	qs[0] = qsub(0, 0, 0, NULL, 0);
	out("group_submit.pad", "%s", res(submit_raw(h, 1, sizeof(qs[0]), 1, qs)));
	out("group_submit.no_jobs", "%s", res(submit(h, qs, 0)));
	out("group_submit.no_jobs_unknown_group", "%s", res(submit(h + 50, qs, 0)));
	out("group_submit.no_jobs_bad_stride_and_array", "%s",
	    res(submit_raw(h, 0, 1, 0, (void *)16)));
	out("group_submit.small_stride", "%s", res(submit_raw(h, 0, sizeof(qs[0]) - 8, 1, qs)));
	out("group_submit.bad_array", "%s", res(submit_raw(h, 0, sizeof(qs[0]), 1, (void *)16)));
	memset(&qx, 0, sizeof(qx));
	out("group_submit.larger_stride_zero_tail", "%s",
	    res(submit_raw(h, 0, sizeof(qx), 1, &qx)));
	qx.ext = 1;
	out("group_submit.larger_stride_nonzero_tail", "%s",
	    res(submit_raw(h, 0, sizeof(qx), 1, &qx)));
	out("group_submit.empty_job", "%s", res(submit(h, qs, 1)));

	qs[0].pad = 1;
	out("group_submit.queue_pad", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0, 0, NULL, 0);
	qs[0].stream_size = 8;
	out("group_submit.size_without_addr", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0x100, 1, NULL, 0);
	qs[0].stream_size = 0;
	out("group_submit.addr_without_size", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0x108, 1, NULL, 0);
	out("group_submit.addr_8_aligned", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0x120, 1, NULL, 0);
	out("group_submit.addr_32_aligned", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0x100, 1, NULL, 0);
	qs[0].stream_size = 12;
	out("group_submit.size_not_multiple_of_8", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0, 0, NULL, 0);
	qs[0].latest_flush = 1u << 24;
	out("group_submit.latest_flush_bit24", "%s", res(submit(h, qs, 1)));
	qs[0].latest_flush = 1u << 30;
	out("group_submit.latest_flush_bit30", "%s", res(submit(h, qs, 1)));
	qs[0].latest_flush = (1u << 31) | 0xffffff;
	out("group_submit.latest_flush_bit31_and_low", "%s", res(submit(h, qs, 1)));
	qs[0] = qsub(0, 0, 0, NULL, 0);
	out("group_submit.unknown_group", "%s", res(submit(h + 50, qs, 1)));
	out("group_submit.group_0", "%s", res(submit(0, qs, 1)));
	out("group_submit.group_handle_plus_0x10000", "%s", res(submit(h | 0x10000, qs, 1)));
	qs[0].pad = 1;
	out("group_submit.queue_pad_unknown_group", "%s", res(submit(h + 50, qs, 1)));
	qs[0].pad = 0;
	qs[0].queue_index = 2;
	out("group_submit.queue_index_2_of_2", "%s", res(submit(h, qs, 1)));
	qs[0].queue_index = ~0u;
	out("group_submit.queue_index_all_ones", "%s", res(submit(h, qs, 1)));
	qs[0].queue_index = 1;
	out("group_submit.queue_index_1_of_2", "%s", res(submit(h, qs, 1)));
	if (!group_create(&g, c.vm, 1, 4096, &gone))
		group_destroy(gone, 0);
	qs[0].queue_index = 0;
	out("group_submit.destroyed_group", "%s", res(submit(gone, qs, 1)));

	/* The syncs array. */
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	qs[0] = qsub(0, 0, 0, ops, 1);
	qs[0].syncs.stride = 8;
	out("group_submit.syncs_small_stride", "%s", res(submit(h, qs, 1)));
	qs[0].syncs.array = 16;
	qs[0].syncs.stride = sizeof(ops[0]);
	out("group_submit.syncs_bad_array", "%s", res(submit(h, qs, 1)));
	qs[0].syncs.stride = 1;
	qs[0].syncs.count = 0;
	out("group_submit.syncs_none_bad_stride_and_array", "%s", res(submit(h, qs, 1)));
	memset(&sx, 0, sizeof(sx));
	sx.op = ops[0];
	sx.ext = 1;
	qs[0].syncs = (struct drm_panthor_obj_array){ sizeof(sx), 1, (uintptr_t)&sx };
	out("group_submit.syncs_larger_stride_nonzero_tail", "%s", res(submit(h, qs, 1)));
	sx.ext = 0;
	r1 = res(submit(h, qs, 1));
	r2 = res(syncobj_wait(s, 10000, 0));
	out("group_submit.syncs_larger_stride_zero_tail", "submit %s, wait %s", r1, r2);
	syncobj_destroy(s);
	s = syncobj_create(0);

	/*
	 * Each sync operation on an empty job. Not here: a signal operation on
	 * an unknown syncobj handle, which oopses stock panthor 6.12 (the error
	 * path puts the NULL syncobj).
	 */
	out("sync_op.signal_unknown_flag", "%s", res(submit_sync(h, SIG | 0x100, s, 0)));
	out("sync_op.wait_unknown_flag", "%s", res(submit_sync(h, 0x100, ssig, 0)));
	out("sync_op.signal_handle_type_2", "%s", res(submit_sync(h, SIG | 2, s, 0)));
	out("sync_op.wait_handle_type_255", "%s", res(submit_sync(h, 0xff, ssig, 0)));
	out("sync_op.signal_binary_with_point", "%s", res(submit_sync(h, SIG, s, 1)));
	out("sync_op.wait_binary_with_point", "%s", res(submit_sync(h, 0, ssig, 1)));
	out("sync_op.wait_unknown_handle", "%s", res(submit_sync(h, 0, 0x7777, 0)));
	out("sync_op.wait_handle_0", "%s", res(submit_sync(h, 0, 0, 0)));
	out("sync_op.wait_without_fence", "%s", res(submit_sync(h, 0, s, 0)));
	out("sync_op.wait_timeline_unsubmitted_point", "%s", res(submit_sync(h, TL, s, 3)));
	out("sync_op.wait_timeline_point_0_without_fence", "%s", res(submit_sync(h, TL, s, 0)));
	out("sync_op.failed_submits_leave_no_fence", "%s", res(syncobj_wait(s, 0, 0)));
	out("sync_op.wait_signalled", "%s", res(submit_sync(h, 0, ssig, 0)));
	out("sync_op.wait_signalled_as_timeline_point_0", "%s",
	    res(submit_sync(h, TL, ssig, 0)));

	/* Two operations on one job. */
	qs[0] = qsub(0, 0, 0, ops, 2);
	ops[0] = (struct drm_panthor_sync_op){ .handle = ssig };
	ops[1] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = ssig };
	r1 = res(submit(h, qs, 1));
	r2 = res(syncobj_wait(ssig, 10000, 0));
	out("sync_op.wait_and_signal_same_syncobj", "submit %s, wait %s", r1, r2);
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s2 };
	ops[1] = ops[0];
	r1 = res(submit(h, qs, 1));
	r2 = res(syncobj_wait(s2, 10000, 0));
	out("sync_op.signal_twice_same_syncobj", "submit %s, wait %s", r1, r2);

	/* A bad job anywhere fails the whole submission: the good ones don't run. */
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	qs[0] = qsub(0, 0, 0, ops, 1);
	qs[1] = qsub(5, 0, 0, NULL, 0);
	r1 = res(submit(h, qs, 2));
	r2 = res(syncobj_wait(s, 0, 0));
	out("group_submit.second_job_bad_queue", "submit %s, first job's syncobj wait %s", r1, r2);
	ops[1] = (struct drm_panthor_sync_op){ .handle = 0x7777 };
	qs[1] = qsub(1, 0, 0, &ops[1], 1);
	r1 = res(submit(h, qs, 2));
	r2 = res(syncobj_wait(s, 0, 0));
	out("group_submit.second_job_waits_unknown", "submit %s, first job's syncobj wait %s", r1,
	    r2);

	/* Which error wins. */
	qs[0] = qsub(0, 0, 0, &ops[1], 1);
	qs[1] = qsub(7, 0, 0, NULL, 0);
	out("order.wait_unknown_then_bad_queue", "%s", res(submit(h, qs, 2)));
	qs[0] = qsub(0, 0, 0, (struct drm_panthor_sync_op *)16, 1);
	out("order.syncs_fault_then_bad_queue", "%s", res(submit(h, qs, 2)));
	sx.ext = 1;
	qs[0].syncs = (struct drm_panthor_obj_array){ sizeof(sx), 1, (uintptr_t)&sx };
	out("order.syncs_nonzero_tail_then_bad_queue", "%s", res(submit(h, qs, 2)));

	syncobj_destroy(s);
	syncobj_destroy(s2);
	syncobj_destroy(ssig);
out:
	jctx_close(&c);
}

/* Jobs that run: what they store, and the syncobjs they signal. */
static void cases_jobs(void)
{
	struct drm_panthor_sync_op ops[3];
	struct drm_panthor_queue_submit qs[40];
	struct drm_panthor_group_get_state st;
	const char *r1, *r2, *f;
	__u32 s1, s2, tl, i, n;
	struct jctx c;
	__u64 *cs;

	if (jctx_open(&c, 2, "job"))
		goto out;
	s1 = syncobj_create(0);
	s2 = syncobj_create(0);
	tl = syncobj_create(0);

	/* One job storing two words. */
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s1 };
	qs[0] = qsub(1, 0, cs_store2(&c, 0, 0, 0xcafe0001, 0x12345678), ops, 1);
	r1 = res(submit(c.group, qs, 1));
	r2 = res(syncobj_wait(s1, 10000, 0));
	f = fence_status(s1);
	out("job.store", "submit %s, wait %s, data %08x %08x, fence %s", r1, r2, *jdata(&c, 0),
	    *jdata(&c, 1), f);

	/*
	 * Job 2 (queue 1) waits for the syncobj job 1 (queue 0) signals in the
	 * same submission, then copies what job 1 stored.
	 */
	qs[0] = qsub(0, 0x100, cs_store2(&c, 0x100, 2, 0x5eed0002, 0x5eed0003), &ops[0], 1);
	cs = (__u64 *)(c.map + 0x200);
	cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA + 8);
	cs[1] = CS_LOAD(4, 0, 0x3);
	cs[2] = CS_MOVE48(6, JOB_VA + JOB_DATA + 16);
	cs[3] = CS_STORE(4, 6, 0x3);
	ops[1] = (struct drm_panthor_sync_op){ .handle = s1 };
	ops[2] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s2 };
	qs[1] = qsub(1, 0x200, 4, &ops[1], 2);
	r1 = res(submit(c.group, qs, 2));
	r2 = res(syncobj_wait(s2, 10000, 0));
	out("job.second_waits_for_first", "submit %s, wait %s, copied %08x %08x", r1, r2,
	    *jdata(&c, 4), *jdata(&c, 5));

	/* Timeline points. */
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG | TL, .handle = tl,
					       .timeline_value = 5 };
	qs[0] = qsub(0, 0x300, cs_store2(&c, 0x300, 6, 0x71e0005, 0), ops, 1);
	r1 = res(submit(c.group, qs, 1));
	r2 = res(timeline_wait(tl, 5, 10000, 0));
	out("job.timeline_signal_point_5", "submit %s, wait 5 %s, data %08x", r1, r2,
	    *jdata(&c, 6));
	r1 = timeline_query(tl, 0);
	r2 = timeline_query(tl, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED);
	out("job.timeline_query", "signalled %s, last submitted %s", r1, r2);
	out("job.timeline_wait_point_6", "%s", res(timeline_wait(tl, 6, 0, 0)));
	out("job.timeline_wait_point_6_for_submit", "%s",
	    res(timeline_wait(tl, 6, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT)));
	out("job.timeline_wait_point_3", "%s", res(timeline_wait(tl, 3, 0, 0)));
	ops[0] = (struct drm_panthor_sync_op){ .flags = TL, .handle = tl, .timeline_value = 5 };
	ops[1] = (struct drm_panthor_sync_op){ .flags = SIG | TL, .handle = tl,
					       .timeline_value = 7 };
	qs[0] = qsub(1, 0x300, cs_store2(&c, 0x300, 6, 0x71e0007, 0), ops, 2);
	r1 = res(submit(c.group, qs, 1));
	r2 = res(timeline_wait(tl, 7, 10000, 0));
	f = timeline_query(tl, 0);
	out("job.timeline_wait_5_signal_7", "submit %s, wait 7 %s, data %08x, query %s", r1, r2,
	    *jdata(&c, 6), f);
	out("job.timeline_binary_wait", "%s", res(syncobj_wait(tl, 0, 0)));
	ops[0].timeline_value = 9;
	ops[1].timeline_value = 11;
	out("job.timeline_wait_unsubmitted_point_9", "%s", res(submit(c.group, qs, 1)));

	/* Empty jobs: only fences. */
	syncobj_destroy(s1);
	s1 = syncobj_create(0);
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s1 };
	qs[0] = qsub(1, 0, 0, ops, 1);
	r1 = res(submit(c.group, qs, 1));
	r2 = res(syncobj_wait(s1, 10000, 0));
	f = fence_status(s1);
	out("job.empty_signals", "submit %s, wait %s, fence %s", r1, r2, f);
	syncobj_destroy(s1);
	s1 = syncobj_create(0);
	ops[0].handle = s1;
	ops[1] = (struct drm_panthor_sync_op){ .handle = s2 };
	qs[0] = qsub(0, 0, 0, ops, 2);
	r1 = res(submit(c.group, qs, 1));
	r2 = res(syncobj_wait(s1, 10000, 0));
	out("job.empty_waits_and_signals", "submit %s, wait %s", r1, r2);
	/* An empty job after a job of its queue signals when that one is done. */
	qs[0] = qsub(0, 0x400, cs_store2(&c, 0x400, 8, 0xe0e0e0e0, 0), NULL, 0);
	ops[2] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s2 };
	qs[1] = qsub(0, 0, 0, &ops[2], 1);
	r1 = res(submit(c.group, qs, 2));
	r2 = res(syncobj_wait(s2, 10000, 0));
	out("job.empty_after_job", "submit %s, wait %s, data %08x", r1, r2, *jdata(&c, 8));

	/* 40 jobs on one queue in one submission: more than its ring holds at once. */
	for (i = 0; i < 40; i++) {
		cs = (__u64 *)(c.map + 0x2000 + 64 * i);
		cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA + 0x100 + 4 * i);
		cs[1] = CS_MOVE32(2, 0xab000000 | i);
		cs[2] = CS_STORE(2, 0, 0x1);
		qs[i] = qsub(0, 0x2000 + 64 * i, 3, NULL, 0);
	}
	qs[39] = qsub(0, 0x2000 + 64 * 39, 3, &ops[2], 1);
	r1 = res(submit(c.group, qs, 40));
	r2 = res(syncobj_wait(s2, 10000, 0));
	for (i = 0, n = 0; i < 40; i++)
		n += *jdata(&c, 64 + i) == (0xab000000 | i);
	out("job.40_in_one_submit", "submit %s, wait for the last %s, %u of 40 stored", r1, r2, n);
	r1 = res(group_state(c.group, 0, &st));
	out("job.group_state_after", "%s state=%u fatal_queues=%u", r1, st.state,
	    st.fatal_queues);

	syncobj_destroy(s1);
	syncobj_destroy(s2);
	syncobj_destroy(tl);
out:
	jctx_close(&c);
}

/*
 * A job that faults kills its group: the group says which queue, takes no
 * more jobs, and the job's fence fails; so does the fence of a job of its
 * other queue that was still waiting for a dependency. Then the VM's other
 * groups.
 */
static void cases_job_fault(void)
{
	struct drm_panthor_group_create g = group_tmpl();
	struct drm_panthor_vm_get_state vs = { 0 };
	struct drm_panthor_group_get_state st;
	struct drm_panthor_sync_op op[2];
	struct drm_panthor_queue_submit qs;
	const char *r1, *r2, *r3, *f;
	__u32 s, s0, sb, h2 = 0;
	struct jctx c, b;
	__u64 *cs;
	__s64 t0;
	int ret;

	/*
	 * In another VM, a job blocked on the GPU: it waits for data word 0 to
	 * become greater than 0, and nothing stores there.
	 */
	if (jctx_open(&b, 1, "job_fault.blocker"))
		goto out_b;
	if (jctx_open(&c, 2, "job_fault"))
		goto out;
	sb = syncobj_create(0);
	op[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = sb };
	cs = (__u64 *)b.map;
	cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA);
	cs[1] = CS_MOVE32(2, 0);
	cs[2] = CS_SYNC_WAIT32_GT(2, 0);
	qs = qsub(0, 0, 3, op, 1);
	t0 = deadline(0);
	r1 = res(submit(b.group, &qs, 1));
	/* Queue 0: a job waiting for the blocked one. */
	s0 = syncobj_create(0);
	op[0] = (struct drm_panthor_sync_op){ .handle = sb };
	op[1] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s0 };
	qs = qsub(0, 0x300, cs_store2(&c, 0x300, 16, 0xbad0000, 0xbad0000), op, 2);
	r2 = res(submit(c.group, &qs, 1));
	/* Queue 1: a store to an address the VM does not map. */
	s = syncobj_create(0);
	op[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	cs = (__u64 *)c.map;
	cs[0] = CS_MOVE48(0, JOB_UNMAPPED);
	cs[1] = CS_MOVE32(2, 0xbad0001);
	cs[2] = CS_STORE(2, 0, 0x1);
	qs = qsub(1, 0, 3, op, 1);
	r3 = res(submit(c.group, &qs, 1));
	out("job_fault.submit", "blocker %s, waiting job %s, faulting job %s", r1, r2, r3);
	r1 = res(syncobj_wait(s, 10000, 0));
	f = fence_status(s);
	out("job_fault.store_unmapped", "wait %s, fence %s", r1, f);
	r1 = res(group_state(c.group, 0, &st));
	out("job_fault.group_state", "%s state=%u fatal_queues=%u", r1, st.state,
	    st.fatal_queues);
	out("job_fault.waiting_job_pending", "%s", res(syncobj_wait(s0, 0, 0)));
	note_timing("job_fault.blocker_lifetime", t0);
	jctx_close(&b);
	memset(&b, 0, sizeof(b));
	b.map = MAP_FAILED;
	r1 = res(syncobj_wait(s0, 10000, 0));
	f = fence_status(s0);
	out("job_fault.waiting_job_after_blocker_destroyed", "wait %s, fence %s, data %08x", r1, f,
	    *jdata(&c, 16));
	syncobj_destroy(s0);
	syncobj_destroy(sb);

	qs = qsub(0, 0x100, cs_store2(&c, 0x100, 0, 1, 2), NULL, 0);
	out("job_fault.submit_again", "%s", res(submit(c.group, &qs, 1)));
	qs = qsub(0, 0, 0, NULL, 0);
	out("job_fault.submit_empty_again", "%s", res(submit(c.group, &qs, 1)));
	vs.vm_id = c.vm;
	r1 = res(ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs));
	out("job_fault.vm_state", "%s state=%u", r1, vs.state);

	/* A new group in the same VM. */
	syncobj_destroy(s);
	s = syncobj_create(0);
	op[0].handle = s;
	ret = group_create(&g, c.vm, 1, 4096, &h2);
	qs = qsub(0, 0x200, cs_store2(&c, 0x200, 0, 0x600d0001, 0x600d0002), op, 1);
	if (!ret)
		ret = submit(h2, &qs, 1);
	r1 = res(ret);
	r2 = res(syncobj_wait(s, 10000, 0));
	out("job_fault.new_group_same_vm", "%s, wait %s, data %08x %08x", r1, r2, *jdata(&c, 0),
	    *jdata(&c, 1));
	if (h2)
		group_destroy(h2, 0);
	out("job_fault.group_destroy", "%s", res(group_destroy(c.group, 0)));
	c.group = 0;

	/* A stream that is not mapped. */
	syncobj_destroy(s);
	s = syncobj_create(0);
	op[0].handle = s;
	ret = group_create(&g, c.vm, 1, 4096, &c.group);
	qs = qsub(0, 0, 1, op, 1);
	qs.stream_addr = JOB_UNMAPPED;
	if (!ret)
		ret = submit(c.group, &qs, 1);
	r1 = res(ret);
	r2 = res(syncobj_wait(s, 10000, 0));
	f = fence_status(s);
	out("job_fault.stream_unmapped", "submit %s, wait %s, fence %s", r1, r2, f);
	r1 = res(group_state(c.group, 0, &st));
	out("job_fault.stream_unmapped_group_state", "%s state=%u fatal_queues=%u", r1,
	    st.state, st.fatal_queues);
	syncobj_destroy(s);
out:
	jctx_close(&c);
out_b:
	jctx_close(&b);
}

/* Wait up to @ms for an int on pipe @rfd. Return: 1 and the int in @val, or 0. */
static int pipe_read_int(int rfd, int ms, int *val)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && read(rfd, val, sizeof(*val)) == sizeof(*val);
}

/*
 * GROUP_DESTROY of a group whose job waits for a syncobj that a job of
 * another group (blocked on the GPU in a SYNC_WAIT that never succeeds)
 * is to signal. The destroy runs in a child process so that a destroy that
 * waits for the job cannot hang the suite: destroying the blocking group
 * lets everything finish.
 */
static void case_destroy_queued(void)
{
	struct drm_panthor_group_create g = group_tmpl();
	struct drm_panthor_sync_op ops[3];
	struct drm_panthor_queue_submit qs;
	int p[2] = { -1, -1 }, r = -1, returned = 0, early, ret;
	const char *r1, *r2, *f1, *f2;
	__u32 blocker = 0, sa, sb;
	pid_t pid = -1;
	struct jctx c;
	__u64 *cs;
	__s64 t0;

	if (jctx_open(&c, 1, "group_destroy.queued_job"))
		goto out;
	sa = syncobj_create(0);
	sb = syncobj_create(0);
	ret = group_create(&g, c.vm, 1, 4096, &blocker);
	/* Wait until data word 0 is greater than 0: it stays 0. */
	cs = (__u64 *)c.map;
	cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA);
	cs[1] = CS_MOVE32(2, 0);
	cs[2] = CS_SYNC_WAIT32_GT(2, 0);
	ops[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = sa };
	qs = qsub(0, 0, 3, ops, 1);
	t0 = deadline(0);
	if (!ret)
		ret = submit(blocker, &qs, 1);
	r1 = res(ret);
	ops[1] = (struct drm_panthor_sync_op){ .handle = sa };
	ops[2] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = sb };
	qs = qsub(0, 0x100, cs_store2(&c, 0x100, 4, 0xd00d0001, 0xd00d0002), &ops[1], 2);
	r2 = res(submit(c.group, &qs, 1));
	f1 = fence_status(sa);
	f2 = fence_status(sb);
	out("group_destroy.queued_job.submit", "blocker %s, queued %s; fences %s, %s", r1, r2, f1,
	    f2);

	fflush(stdout);
	if (!pipe(p))
		pid = fork();
	if (!pid) {
		r = group_destroy(c.group, 0) ? errno : 0;
		_exit(write(p[1], &r, sizeof(r)) != sizeof(r));
	}
	if (pid > 0)
		returned = pipe_read_int(p[0], 1000, &r);
	early = returned;
	note_timing("group_destroy.queued_job.blocker_lifetime", t0);
	ret = group_destroy(blocker, 0);
	if (pid > 0 && !returned)
		returned = pipe_read_int(p[0], 10000, &r);
	if (pid > 0 && !returned)
		kill(pid, SIGKILL);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	if (pid > 0)
		c.group = 0;
	out("group_destroy.queued_job", "%s%s, %s", !returned ? "no result" : r ? "-" : "0",
	    returned && r ? ename(r) : "",
	    early ? "returned at once" : "did not return before the blocker was destroyed");
	out("group_destroy.queued_job.blocker_destroy", "%s", res(ret));
	/* Their groups are gone: no fence_status(). */
	r1 = res(syncobj_wait(sa, 10000, 0));
	r2 = res(syncobj_wait(sb, 10000, 0));
	out("group_destroy.queued_job.fences", "blocker job's wait %s, queued job's wait %s", r1,
	    r2);
	out("group_destroy.queued_job.stored", "%08x %08x", *jdata(&c, 4), *jdata(&c, 5));
	syncobj_destroy(sa);
	syncobj_destroy(sb);
	munmap(c.map, JOB_BO_SIZE);
	c.map = MAP_FAILED;
	bo_close(c.bo);
	c.bo = 0;
	out("group_destroy.queued_job.vm_destroy", "%s", res(vm_destroy(c.vm, 0)));
	c.vm = 0;
out:
	jctx_close(&c);
}

/* Submit an empty job without sync operations to queue 0 of @group. */
static int submit_empty(__u32 group)
{
	struct drm_panthor_queue_submit qs = qsub(0, 0, 0, NULL, 0);

	return submit(group, &qs, 1);
}

/* Groups and syncobjs of another open file of the device are unknown here. */
static void cases_submit_isolation(const char *node)
{
	struct drm_panthor_group_create g = group_tmpl();
	struct drm_panthor_group_get_state st;
	int fd2 = open(node, O_RDWR | O_CLOEXEC), saved = fd;
	__u32 vm2 = 0, h2 = 0, s2;
	const char *r1, *r2;
	struct jctx c;

	/* This file has no group and no syncobj left: their handles are unknown here. */
	fd = fd2;
	vm_create(0, 0, &vm2, NULL);
	group_create(&g, vm2, 1, 4096, &h2);
	s2 = syncobj_create(0);
	fd = saved;
	out("group_submit.other_files_group", "%s", res(submit_empty(h2)));
	out("group_get_state.other_files_group", "%s", res(group_state(h2, 0, &st)));
	out("group_destroy.other_files_group", "%s", res(group_destroy(h2, 0)));
	/* Only a wait: signalling an unknown syncobj oopses stock panthor 6.12. */
	if (!jctx_open(&c, 1, "group_submit.other_files_syncobj")) {
		out("group_submit.other_files_syncobj", "%s", res(submit_sync(c.group, 0, s2, 0)));
		jctx_close(&c);
	}
	fd = fd2;
	r1 = res(submit_sync(h2, SIG, s2, 0));
	r2 = res(syncobj_wait(s2, 10000, 0));
	out("group_submit.other_file_own_group", "submit %s, wait %s", r1, r2);
	fd = saved;
	close(fd2);
}

/*
 * More VMs than the GPU has address spaces for them (the model has 8, one
 * is the MCU's) and more groups than CSG slots (8): one group in each VM and
 * a few more in the first, each storing its own word. The scheduler must
 * rotate the VMs through the address spaces and the groups through the
 * slots; twice, the second time with groups that ran before. No job waits
 * for another group's: stock 6.12 may leave a blocked group without a slot
 * until a scheduler tick that only real-time groups restart, and the suite
 * compares correct behaviour only.
 *
 * Stock 6.12 now and then reports a group TIMEDOUT although its job ran
 * and stored its words, all within a fraction of the 5 s timeout: its own
 * job-timeout bug (once in the second round in about 25 runs here; the
 * control runs of issue 10 failed one in three). Under stock 6.12, and
 * only when that is the sole anomaly, it is returned (with @why) for one
 * retry. Never under ours, and never on other kernels: a missing word is
 * never retried.
 */
#define MANY_VMS	12
#define MANY_GROUPS	16

static int cases_many(char *why, size_t len)
{
	struct drm_panthor_group_create g = group_tmpl();
	__u32 h[MANY_GROUPS] = { 0 }, s[MANY_GROUPS] = { 0 }, want[MANY_GROUPS];
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)s, .count_handles = MANY_GROUPS,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
	};
	struct drm_panthor_sync_op op[MANY_GROUPS];
	struct drm_panthor_group_get_state st;
	int nvm, v, i, j, round, nsub, stored, clean, only_own, mine, odd, hazard = 0;
	int distinct;
	char states[MANY_GROUPS * 24], *p;
	struct drm_panthor_queue_submit qs;
	struct jctx c[MANY_VMS];
	const char *r;

	/* Group i is VM i's for i < MANY_VMS, the others are VM 0's. */
	for (nvm = 0; nvm < MANY_VMS; nvm++) {
		if (jctx_open(&c[nvm], 1, "many")) {
			nvm++;
			goto out;
		}
		h[nvm] = c[nvm].group;
	}
	for (i = MANY_VMS; i < MANY_GROUPS; i++) {
		if (group_create(&g, c[0].vm, 1, 4096, &h[i])) {
			out("many", "setup failed: %s", res(-1));
			goto out;
		}
	}
	for (round = 1; round <= 2; round++) {
		nsub = 0;
		for (i = 0; i < MANY_GROUPS; i++) {
			syncobj_destroy(s[i]);
			s[i] = syncobj_create(0);
			/*
			 * Group i's stream is the i-th of its VM's BO, its words
			 * the i-th pair: apart, whatever order the groups run in.
			 */
			v = i < MANY_VMS ? i : 0;
			want[i] = 0x3a000000 | round << 16 | (i + 1) * 0x101;
			op[i] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s[i] };
			qs = qsub(0, 0x100 * i,
				  cs_store2(&c[v], 0x100 * i, 2 * i, want[i], ~want[i]), &op[i], 1);
			nsub += !submit(h[i], &qs, 1);
		}
		/* The wait covers every job only if the syncobjs are distinct. */
		distinct = 0;
		for (i = 0; i < MANY_GROUPS; i++) {
			int seen = !s[i];

			for (j = 0; j < i; j++)
				seen |= s[j] == s[i];
			distinct += !seen;
		}
		w.timeout_nsec = deadline(20000);
		r = res(ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w));
		note_timing(round == 1 ? "many.wait" : "many.again.wait",
			    w.timeout_nsec - 20000000000ll);
		/* Each BO must hold its own groups' words, and no other VM's. */
		stored = 0;
		clean = 0;
		for (v = 0; v < MANY_VMS; v++) {
			only_own = 1;
			for (i = 0; i < MANY_GROUPS; i++) {
				if (i == v || (!v && i >= MANY_VMS))
					stored += *jdata(&c[v], 2 * i) == want[i] &&
						  *jdata(&c[v], 2 * i + 1) == ~want[i];
				else
					only_own &= !*jdata(&c[v], 2 * i) &&
						    !*jdata(&c[v], 2 * i + 1);
			}
			clean += only_own;
		}
		p = states;
		odd = -1;
		for (i = 0; i < MANY_GROUPS; i++) {
			if (group_state(h[i], 0, &st)) {
				p += sprintf(p, " %s", res(-1));
				continue;
			}
			p += sprintf(p, " %u/%u", st.state, st.fatal_queues);
			v = i < MANY_VMS ? i : 0;
			mine = *jdata(&c[v], 2 * i) == want[i];
			/* The bug's mark: TIMEDOUT alone, on a group whose job ran. */
			if (st.state == DRM_PANTHOR_GROUP_STATE_TIMEDOUT && !st.fatal_queues &&
			    mine && odd != -2)
				odd = odd == -1 ? i : odd;
			else if (st.state)
				odd = -2;
		}
		if (odd >= 0 && !under_ours && stock_minor == 0 && !strcmp(r, "0") &&
		    stored == MANY_GROUPS && clean == MANY_VMS) {
			hazard = 1;
			snprintf(why, len,
				 "stock 6.12 reported group %d TIMEDOUT in round %d after its job stored its words, fence %s",
				 odd, round, fence_status(s[odd]));
		}
		out(round == 1 ? "many.vms_and_groups" : "many.vms_and_groups.again",
		    "%d VMs, %d groups: %d submitted, %d distinct syncobjs, wait for all %s, %d stored their word, %d BOs hold no other VM's word; state/fatal_queues:%s",
		    MANY_VMS, MANY_GROUPS, nsub, distinct, r, stored, clean, states);
	}
out:
	for (i = MANY_VMS; i < MANY_GROUPS; i++)
		if (h[i])
			group_destroy(h[i], 0);
	for (i = 0; i < MANY_GROUPS; i++)
		if (s[i])
			syncobj_destroy(s[i]);
	for (v = 0; v < nvm; v++)
		jctx_close(&c[v]);
	return hazard;
}

/*
 * A job that never finishes (it waits for a word that stays 0) hits the job
 * timeout, 5 s in both drivers: its fence fails, its group is timed out and
 * takes no more jobs, and a new group of the same VM runs jobs.
 */
static void case_timeout(void)
{
	struct drm_panthor_group_create g = group_tmpl();
	struct drm_panthor_vm_get_state vs = { 0 };
	struct drm_panthor_group_get_state st;
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op op;
	const char *r1, *r2, *f;
	__u32 s, h2 = 0;
	struct jctx c;
	long ms;
	__s64 t0;
	__u64 *cs;
	int ret;

	if (jctx_open(&c, 1, "timeout"))
		goto out;
	s = syncobj_create(0);
	op = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	cs = (__u64 *)c.map;
	cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA);
	cs[1] = CS_MOVE32(2, 0);
	cs[2] = CS_SYNC_WAIT32_GT(2, 0);
	qs = qsub(0, 0, 3, &op, 1);
	t0 = deadline(0);
	r1 = res(submit(c.group, &qs, 1));
	r2 = res(syncobj_wait(s, 20000, 0));
	ms = (deadline(0) - t0) / 1000000;
	f = fence_status(s);
	out("timeout.job", "submit %s, wait %s %s, fence %s", r1, r2,
	    ms >= 4500 && ms < 10000 ? "after 4.5 to 10 s" : "not after 4.5 to 10 s", f);
	r1 = res(group_state(c.group, 0, &st));
	out("timeout.group_state", "%s state=%u fatal_queues=%u", r1, st.state, st.fatal_queues);
	qs = qsub(0, 0x100, cs_store2(&c, 0x100, 4, 0xbad0001, 0), NULL, 0);
	out("timeout.submit_again", "%s", res(submit(c.group, &qs, 1)));
	vs.vm_id = c.vm;
	r1 = res(ioctl(fd, DRM_IOCTL_PANTHOR_VM_GET_STATE, &vs));
	out("timeout.vm_state", "%s state=%u", r1, vs.state);

	/* A new group in the same VM. */
	syncobj_destroy(s);
	s = syncobj_create(0);
	op.handle = s;
	ret = group_create(&g, c.vm, 1, 4096, &h2);
	qs = qsub(0, 0x200, cs_store2(&c, 0x200, 0, 0x600d0011, 0x600d0012), &op, 1);
	if (!ret)
		ret = submit(h2, &qs, 1);
	r1 = res(ret);
	r2 = res(syncobj_wait(s, 10000, 0));
	f = fence_status(s);
	ret = group_state(h2, 0, &st);
	out("timeout.new_group_same_vm",
	    "%s, wait %s, fence %s, data %08x %08x, state %s %u, old group's job stored %08x", r1,
	    r2, f, *jdata(&c, 0), *jdata(&c, 1), res(ret), st.state, *jdata(&c, 4));
	if (h2)
		group_destroy(h2, 0);
	out("timeout.group_destroy", "%s", res(group_destroy(c.group, 0)));
	c.group = 0;
	syncobj_destroy(s);
out:
	jctx_close(&c);
}

/* The render node's device in sysfs: /sys/class/drm/renderD<n>/device. */
static char devdir[64];

/* Write @what to the device's power/@file. */
static int power_write(const char *file, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/power/%s", devdir, file);
	return sysfs_write(path, what);
}

/* A stream at BO offset @off storing registers SAVED_REG and SAVED_REG + 1 at data word @i. */
static __u32 cs_store_saved(struct jctx *c, __u32 off, __u32 i)
{
	__u64 *cs = (__u64 *)(c->map + off);

	cs[0] = CS_MOVE48(0, JOB_VA + JOB_DATA + 4 * i);
	cs[1] = CS_STORE(SAVED_REG, 0, 0x3);
	return 2;
}

/*
 * The CS registers a job set survive a runtime suspend of the GPU: the
 * idle group is saved before the GPU powers down, and restored after.
 */
static void case_runtime_suspend(void)
{
	struct drm_panthor_group_get_state st;
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op op;
	const char *r1, *r2, *r3;
	struct jctx c;
	__u64 *cs;
	__u32 s;
	int susp;

	if (jctx_open(&c, 1, "runtime_suspend"))
		goto out;
	s = syncobj_create(0);
	op = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	cs = (__u64 *)c.map;
	cs[0] = CS_MOVE32(SAVED_REG, 0x5a5a0001);
	cs[1] = CS_MOVE32(SAVED_REG + 1, 0xa5a50002);
	qs = qsub(0, 0, 2, &op, 1);
	r1 = res(submit(c.group, &qs, 1));
	r2 = res(syncobj_wait(s, 10000, 0));
	susp = wait_runtime(devdir, "suspended");
	out("runtime_suspend.registers_set", "submit %s, wait %s, then runtime-suspended: %s", r1,
	    r2, susp ? "yes" : "not within 5 s");
	syncobj_destroy(s);
	s = syncobj_create(0);
	op.handle = s;
	qs = qsub(0, 0x100, cs_store_saved(&c, 0x100, 0), &op, 1);
	r1 = res(submit(c.group, &qs, 1));
	r2 = res(syncobj_wait(s, 10000, 0));
	r3 = res(group_state(c.group, 0, &st));
	out("runtime_suspend.registers_stored",
	    "submit %s, wait %s, stored %08x %08x, state %s %u fatal_queues=%u", r1, r2,
	    *jdata(&c, 0), *jdata(&c, 1), r3, st.state, st.fatal_queues);
	syncobj_destroy(s);
out:
	jctx_close(&c);
}

/*
 * System suspend and resume of a busy GPU. Runtime suspend is off, so that
 * the GPU is powered when the system sleeps and the driver's system
 * suspend really runs; queue 0's job sets two registers and waits for a
 * flag across the sleep (its group on a slot, or saved as idle), queue 1's
 * job sets the flag after the resume, and queue 0's then stores them.
 *
 * Both drivers' 5 s job timeout counts the time a job waits on the GPU
 * (stock 6.12 has no notion of a blocked queue; later upstream kernels
 * stop the timer while a queue waits). Under TCG on a loaded host a sleep
 * cycle took up to 3 s with pm_test_delay 1: so no delay, and a group left
 * TIMEDOUT after its job was blocked for more than 4.5 s is a timing
 * hazard, not a result: returned (with @why) for one retry.
 */
#define FLAG_WORD	32	/* the data word queue 0 waits on */

static int case_system_sleep(char *why, size_t len)
{
	struct drm_panthor_group_get_state st;
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op op[2];
	const char *r1, *r2, *r3, *r4;
	int active, blocked, hazard = 0;
	__u32 s0, s1;
	struct jctx c;
	__u64 *cs;
	__s64 t0;
	long ms;

	if (jctx_open(&c, 2, "system_sleep"))
		goto out;
	r1 = res(power_write("control", "on"));
	active = wait_runtime(devdir, "active");
	out("system_sleep.power_on", "power/control on: %s, runtime active: %s", r1,
	    active ? "yes" : "not within 5 s");
	s0 = syncobj_create(0);
	s1 = syncobj_create(0);
	op[0] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s0 };
	op[1] = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s1 };
	cs = (__u64 *)c.map;
	cs[0] = CS_MOVE32(SAVED_REG, 0x51ee0001);
	cs[1] = CS_MOVE32(SAVED_REG + 1, 0x51ee0002);
	cs[2] = CS_MOVE48(4, JOB_VA + JOB_DATA + 4 * FLAG_WORD);
	cs[3] = CS_MOVE32(3, 0);
	cs[4] = CS_SYNC_WAIT32_GT(3, 4);
	cs[5] = CS_MOVE48(0, JOB_VA + JOB_DATA);
	cs[6] = CS_STORE(SAVED_REG, 0, 0x3);
	qs = qsub(0, 0, 7, &op[0], 1);
	t0 = deadline(0);
	r1 = res(submit(c.group, &qs, 1));
	usleep(100000);
	blocked = !*jdata(&c, 0) && syncobj_wait(s0, 0, 0);
	out("system_sleep.job_blocked", "submit %s, blocked on the flag: %s", r1,
	    blocked ? "yes" : "no");

	/* pm_test "devices": the devices suspend, and the system wakes by itself. */
	r1 = res(sysfs_write("/sys/power/pm_test", "devices"));
	r2 = res(sysfs_write("/sys/module/suspend/parameters/pm_test_delay", "0"));
	r3 = res(sysfs_write("/sys/power/state", "freeze"));
	r4 = res(sysfs_write("/sys/power/pm_test", "none"));
	out("system_sleep.suspend_to_idle",
	    "pm_test %s, pm_test_delay %s, state %s, pm_test none %s", r1, r2, r3, r4);

	cs = (__u64 *)(c.map + 0x100);
	cs[0] = CS_MOVE48(4, JOB_VA + JOB_DATA + 4 * FLAG_WORD);
	cs[1] = CS_MOVE32(3, 1);
	cs[2] = CS_SYNC_SET32(3, 4);
	qs = qsub(1, 0x100, 3, &op[1], 1);
	r1 = res(submit(c.group, &qs, 1));
	r2 = res(syncobj_wait(s1, 10000, 0));
	r3 = res(syncobj_wait(s0, 10000, 0));
	ms = (deadline(0) - t0) / 1000000;
	note_timing("system_sleep.job_blocked", t0);
	r4 = res(group_state(c.group, 0, &st));
	if ((st.state & DRM_PANTHOR_GROUP_STATE_TIMEDOUT) && ms > 4500) {
		hazard = 1;
		snprintf(why, len, "the job was blocked %ld ms, past the 5 s job timeout", ms);
	}
	out("system_sleep.released",
	    "set flag %s, wait %s; blocked job's wait %s, stored %08x %08x; state %s %u fatal_queues=%u",
	    r1, r2, r3, *jdata(&c, 0), *jdata(&c, 1), r4, st.state, st.fatal_queues);
	syncobj_destroy(s0);
	syncobj_destroy(s1);
out:
	out("system_sleep.power_auto", "%s", res(power_write("control", "auto")));
	jctx_close(&c);
	return hazard;
}

/*
 * Run case function @fn, and once more when it reports a timing hazard
 * (returns non-zero, its reason in the buffer it is given): the first
 * run's output is then dropped and a "! retry" note says why. The output
 * is held in a temporary file until it is kept.
 */
static void run_retrying(int (*fn)(char *why, size_t len), const char *name)
{
	char why[160], buf[4096];
	int attempt, saved, hazard;
	size_t n;
	FILE *t;

	for (attempt = 0; attempt < 2; attempt++) {
		snprintf(why, sizeof(why), "?");
		fflush(stdout);
		t = tmpfile();
		saved = dup(1);
		if (!t || saved < 0 || dup2(fileno(t), 1) < 0) {
			printf("! retry %s: cannot hold its output\n", name);
			fn(why, sizeof(why));
			break;
		}
		hazard = fn(why, sizeof(why));
		fflush(stdout);
		dup2(saved, 1);
		close(saved);
		if (!hazard || attempt) {
			rewind(t);
			while ((n = fread(buf, 1, sizeof(buf), t)))
				fwrite(buf, 1, n, stdout);
			fclose(t);
			break;
		}
		fclose(t);
		printf("! retry %s: %s\n", name, why);
	}
	fflush(stdout);
}

/* The basename of symbolic link @path in @buf, or "?". */
static const char *link_name(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len - 1);

	if (n <= 0)
		return "?";
	buf[n] = 0;
	return strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
}

/*
 * Unbind the GPU from its driver while this file holds a VM, a mapped and
 * mmapped BO and a group that ran a job: the BO still reads through the
 * CPU mapping, the ioctls fail, tearing down works; once bound again, a
 * new open file runs a job. Last: it replaces the suite's file.
 */
static void case_unbind_live(char *node, size_t len)
{
	struct drm_panthor_queue_submit qs;
	struct drm_panthor_sync_op op;
	struct drm_gem_close cl = { 0 };
	const char *drv, *dev, *r1, *r2, *r3;
	char path[160], l1[128], l2[128];
	struct drm_version ver;
	struct jctx c;
	__u32 s;

	if (jctx_open(&c, 1, "unbind_live"))
		goto out;
	s = syncobj_create(0);
	op = (struct drm_panthor_sync_op){ .flags = SIG, .handle = s };
	qs = qsub(0, 0, cs_store2(&c, 0, 0, 0xdeadbeef, 0x600dcafe), &op, 1);
	r1 = res(submit(c.group, &qs, 1));
	r2 = res(syncobj_wait(s, 10000, 0));
	out("unbind_live.job", "submit %s, wait %s, data %08x %08x", r1, r2, *jdata(&c, 0),
	    *jdata(&c, 1));

	/* "panthor" or "panthor-reclaim", and the GPU's platform device. */
	snprintf(path, sizeof(path), "%s/driver", devdir);
	drv = link_name(path, l1, sizeof(l1));
	dev = link_name(devdir, l2, sizeof(l2));
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/unbind", drv);
	out("unbind_live.unbind", "%s", res(sysfs_write(path, dev)));
	out("unbind_live.cpu_mapping", "%08x %08x", *jdata(&c, 0), *jdata(&c, 1));
	qs = qsub(0, 0x100, cs_store2(&c, 0x100, 2, 1, 2), NULL, 0);
	out("unbind_live.group_submit", "%s", res(submit(c.group, &qs, 1)));
	out("unbind_live.vm_create", "%s", res(vm_create(0, 0, NULL, NULL)));
	r1 = res(group_destroy(c.group, 0));
	cl.handle = c.bo;
	r2 = res(ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl));
	r3 = res(vm_destroy(c.vm, 0));
	out("unbind_live.teardown", "group_destroy %s, gem_close %s, vm_destroy %s", r1, r2, r3);
	r1 = res(munmap(c.map, JOB_BO_SIZE));
	r2 = res(close(fd));
	out("unbind_live.unmap_and_close", "munmap %s, close %s", r1, r2);
	memset(&c, 0, sizeof(c));
	c.map = MAP_FAILED;
	fd = -1;

	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/%s/bind", drv);
	r1 = res(sysfs_write(path, dev));
	fd = open_panthor(&ver, node, len);
	out("unbind_live.bind_again", "%s, render node: %s", r1, fd < 0 ? "none" : "opened");
	if (fd < 0 || jctx_open(&c, 1, "unbind_live.new_file"))
		goto out;
	s = syncobj_create(0);
	op.handle = s;
	qs = qsub(0, 0, cs_store2(&c, 0, 0, 0xb0b0cafe, 0x12345678), &op, 1);
	r1 = res(submit(c.group, &qs, 1));
	r2 = res(syncobj_wait(s, 10000, 0));
	out("unbind_live.new_file", "submit %s, wait %s, data %08x %08x", r1, r2, *jdata(&c, 0),
	    *jdata(&c, 1));
	syncobj_destroy(s);
out:
	jctx_close(&c);
}

/*
 * The mmap offsets of the first BOs of a file: test suites keep an offset
 * in an int and take 0 for "none", so no offset may have its low 32 bits
 * zero. First in the suite, before any BO of the device got an offset, and
 * again in a new file once all BOs are gone. Not the values: they may
 * differ.
 */
static void case_first_offsets(const char *name)
{
	__u32 h[4];
	__u64 off;
	int i, n = 0, nonzero = 0;

	for (i = 0; i < 4; i++) {
		if (bo_create(4096 << i, 0, 0, &h[i], NULL))
			break;
		n++;
		nonzero += !bo_offset(h[i], 0, &off) && (int)off != 0;
	}
	out(name, "%d of %d BOs' offsets are non-zero as an int", nonzero, n);
	while (n--)
		bo_close(h[n]);
}

int main(int argc, char **argv)
{
	struct drm_panthor_csif_info csif = { 0 };
	struct drm_version ver;
	char node[64];
	int f, saved;
	size_t i;

	fd = open_panthor(&ver, node, sizeof(node));
	if (fd < 0) {
		printf("no render node driven by panthor\n");
		return 77;
	}
	/*
	 * Under stock (no arguments) the cases compare with stock's own minor;
	 * under ours, uapi_diff.sh says which minor stock reported.
	 */
	stock_minor = ver.version_minor;
	if (argc == 3 && !strcmp(argv[1], "--stock-minor")) {
		stock_minor = atoi(argv[2]);
		under_ours = 1;
	}
	printf("! version %d.%d\n", ver.version_major, ver.version_minor);
	node_devdir(node, devdir, sizeof(devdir));
	case_first_offsets("bo_mmap_offset.first_bos_low32");
	query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, sizeof(gpu), &gpu, NULL);
	/* We report the minors we implement (1.9): an extension over stock 6.12. */
	out("ext.version", "%d.%d", ver.version_major, ver.version_minor);
	cases_dev_query();
	cases_vm();
	cases_bo();
	cases_bind();
	cases_user_mmio();
	cases_group();
	cases_isolation(node);
	cases_prime(node);
	cases_minors(node);
	cases_prc(node);
	saved = fd;
	f = open(node, O_RDWR | O_CLOEXEC);
	fd = f;
	case_first_offsets("bo_mmap_offset.new_file_first_bos_low32");
	close(f);
	fd = saved;
	query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, sizeof(csif), &csif, NULL);
	/* The kernel may clobber the top 4 registers of a stream. */
	if (csif.cs_reg_count >= JOB_REGS + 4) {
		cases_submit_args();
		cases_jobs();
		cases_heap();
		cases_job_fault();
		case_destroy_queued();
		cases_submit_isolation(node);
		run_retrying(cases_many, "many");
		case_timeout();
		case_runtime_suspend();
		run_retrying(case_system_sleep, "system_sleep");
		case_unbind_live(node, sizeof(node));
	} else {
		out("group_submit", "not run: %u CS registers", csif.cs_reg_count);
	}
	close(fd);
	for (i = 0; i < ARRAY_SIZE(compared_cases); i++)
		if (compared_cases[i].minor == stock_minor)
			break;
	if (i < ARRAY_SIZE(compared_cases))
		printf("! expect %d cases, %d compared\n", CASES, compared_cases[i].compared);
	else
		printf("! expect %d cases, no compared count for stock 1.%d\n", CASES, stock_minor);
	return 0;
}
