// SPDX-License-Identifier: GPL-2.0-only
/*
 * prc-demo: what `make demo` shows. A small GPU client that finds the first
 * render node driven by "panthor" (panthor-reclaim or stock panthor), asks
 * it what GPU and firmware it found, allocates and maps a buffer, runs two
 * small command streams on the GPU, one of them after the idle GPU has
 * powered down, checks what they wrote and says what happened in plain
 * words. Exit 0 when every step worked, 1 after a "FAILED:" line saying
 * which one did not, 77 when there is no such render node.
 */
#include <errno.h>
#include <stdarg.h>
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

#define BO_SIZE		(1024 * 1024)
#define BO_VA		0x1000000ull	/* where the buffer appears to the GPU */
#define JOB2_OFF	0x200		/* the second stream, after the first */
#define DATA_OFF	0x1000		/* what the jobs read and write */
#define DATA_VA		(BO_VA + DATA_OFF)

#define SUM_TO		100		/* job 1 adds up 1 + 2 + ... + SUM_TO */
#define CPU_VALUE	2024		/* the CPU writes it while the GPU is off */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Branch by @off instructions (from the next one) while register @r > 0 (panthor-util.h). */
#define CS_BRANCH_GT0(r, off)	CS_BRANCH(r, CS_COND_GREATER, off)

static int fd = -1;
static char node[64];
static int jobs_run;
static double last_job_done;	/* when the last job was seen finished, in ms */

/* Say what failed, in a sentence, and end the demo. */
static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("\nFAILED: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* An ioctl that must succeed; @what says what it was for. */
static void must(unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg))
		fail("could not %s (%s).", what, strerror(errno));
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Read sysfs attribute @attr of the render node's device into @buf. */
static int read_dev_attr(const char *attr, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/drm/%s/device/%s", strrchr(node, '/') + 1,
		 attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	ok = !!fgets(buf, len, f);
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = 0;
	return ok;
}

static const char *power_state(void)
{
	static char buf[32];

	if (!read_dev_attr("power/runtime_status", buf, sizeof(buf)))
		fail("cannot read the GPU's power state (%s).", strerror(errno));
	return buf;
}

/* The kernel driver bound to the GPU device, e.g. "panthor-reclaim". */
static const char *kernel_driver(void)
{
	static char buf[128];
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/drm/%s/device/driver", strrchr(node, '/') + 1);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return "an unknown driver";
	buf[n] = 0;
	return strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
}

static const char *gpu_name(__u32 id)
{
	static const struct {
		unsigned int arch, product;
		const char *name;
	} names[] = {
		{ 10, 2, "Mali-G710" }, { 10, 3, "Mali-G510" },
		{ 10, 4, "Mali-G310" }, { 10, 7, "Mali-G610" },
	};
	static char buf[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (DRM_PANTHOR_ARCH_MAJOR(id) == names[i].arch &&
		    DRM_PANTHOR_PRODUCT_MAJOR(id) == names[i].product)
			return names[i].name;
	snprintf(buf, sizeof(buf), "Mali GPU (architecture %u.%u)", DRM_PANTHOR_ARCH_MAJOR(id),
		 DRM_PANTHOR_ARCH_MINOR(id));
	return buf;
}

/* Everything one job needs: a VM, a mapped buffer, a group with one queue. */
struct demo {
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_csif_info csif;
	struct drm_panthor_vm_create vm;
	struct drm_panthor_bo_create bo;
	struct drm_panthor_group_create group;
	__u32 syncobj;
	char *map;
	__u32 *data;
};

static void query(__u32 type, void *info, __u32 size, const char *what)
{
	struct drm_panthor_dev_query q = {
		.type = type, .size = size, .pointer = (uintptr_t)info,
	};

	must(DRM_IOCTL_PANTHOR_DEV_QUERY, &q, what);
}

static void step_find_gpu(struct demo *d)
{
	char desc[96] = "", status[32];
	struct drm_version v = { 0 };
	__u32 id;

	printf("1. Find the GPU\n");
	fd = open_panthor(&v, node, sizeof(node));
	if (fd < 0) {
		printf("   No render node is driven by \"panthor\": is the driver loaded?\n");
		exit(77);
	}
	v.desc = desc;
	v.desc_len = sizeof(desc) - 1;
	must(DRM_IOCTL_VERSION, &v, "ask the render node for its driver's name");
	printf("   %s: kernel driver %s, DRM name \"panthor\" %d.%d (what Mesa looks for)\n",
	       node, kernel_driver(), v.version_major, v.version_minor);
	printf("   It says it is for \"%s\"\n", desc);

	query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, &d->gpu, sizeof(d->gpu), "query the GPU");
	id = d->gpu.gpu_id;
	printf("   GPU: %s r%up%u with %d shader cores and %d tiler; %u-bit GPU addresses\n",
	       gpu_name(id), DRM_PANTHOR_VERSION_MAJOR(id), DRM_PANTHOR_VERSION_MINOR(id),
	       __builtin_popcountll(d->gpu.shader_present),
	       __builtin_popcountll(d->gpu.tiler_present),
	       DRM_PANTHOR_MMU_VA_BITS(d->gpu.mmu_features));
	query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &d->csif, sizeof(d->csif),
	      "query the firmware interface");
	printf("   Its firmware is running: %u slots for groups of work, %u command streams each\n",
	       d->csif.csg_slot_count, d->csif.cs_slot_count);
	if (read_dev_attr("power/runtime_status", status, sizeof(status)))
		printf("   %s\n", strcmp(status, "suspended") ? "The GPU is powered up" :
		       "Nobody is using the GPU yet, so it is powered down");
}

static void step_memory(struct demo *d, int *n1, int *n2)
{
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = BO_VA, .size = BO_SIZE,
	};
	struct drm_panthor_vm_bind bind = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };
	__u64 *cs;
	int n = 0;

	printf("2. Give the GPU some memory\n");
	must(DRM_IOCTL_PANTHOR_VM_CREATE, &d->vm, "create a GPU address space (VM_CREATE)");
	printf("   Created a GPU address space (VM %u)\n", d->vm.id);
	d->bo.size = BO_SIZE;
	d->bo.exclusive_vm_id = d->vm.id;
	must(DRM_IOCTL_PANTHOR_BO_CREATE, &d->bo, "allocate a 1 MiB buffer (BO_CREATE)");
	bind.vm_id = d->vm.id;
	op.bo_handle = d->bo.handle;
	must(DRM_IOCTL_PANTHOR_VM_BIND, &bind, "map the buffer for the GPU (VM_BIND)");
	printf("   Allocated a %d MiB buffer and mapped it at GPU address 0x%llx\n",
	       BO_SIZE >> 20, BO_VA);

	mo.handle = d->bo.handle;
	must(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, "get the buffer's mmap offset");
	d->map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (d->map == MAP_FAILED)
		fail("could not map the buffer for the CPU (%s).", strerror(errno));
	d->data = (__u32 *)(d->map + DATA_OFF);
	memset(d->data, 0, 64);

	/*
	 * Job 1 adds up 1 + 2 + ... + SUM_TO the long way, with no add
	 * between registers: for each i from SUM_TO down to 1, add 1 to the
	 * sum i times. Then it stores the sum and how many numbers it added.
	 * r0:r1 data address, r2 sum, r3 numbers added, r4 i, r5 inner count.
	 */
	cs = (__u64 *)d->map;
	cs[n++] = CS_MOVE48(0, DATA_VA);
	cs[n++] = CS_MOVE32(2, 0);
	cs[n++] = CS_MOVE32(3, 0);
	cs[n++] = CS_MOVE32(4, SUM_TO);
	cs[n++] = CS_ADD_IMM32(5, 4, 0);	/* outer: count = i */
	cs[n++] = CS_ADD_IMM32(2, 2, 1);	/* inner: sum += 1 */
	cs[n++] = CS_ADD_IMM32(5, 5, -1);
	cs[n++] = CS_BRANCH_GT0(5, -3);		/* to inner while count > 0 */
	cs[n++] = CS_ADD_IMM32(3, 3, 1);
	cs[n++] = CS_ADD_IMM32(4, 4, -1);
	cs[n++] = CS_BRANCH_GT0(4, -7);		/* to outer while i > 0 */
	cs[n++] = CS_STORE_MULTIPLE(2, 0, 0x3, 0);	/* data[0] = sum, data[1] = count */
	*n1 = n;

	/*
	 * Job 2 reads back job 1's sum (data[0]) and a number the CPU writes
	 * while the GPU is off (data[4]), adds 1 to each, stores them in
	 * data[2] and data[3].
	 */
	cs = (__u64 *)(d->map + JOB2_OFF);
	n = 0;
	cs[n++] = CS_MOVE48(0, DATA_VA);
	cs[n++] = CS_LOAD_MULTIPLE(2, 0, 0x11, 0);	/* r2 = data[0], r6 = data[4] */
	cs[n++] = CS_ADD_IMM32(7, 2, 1);
	cs[n++] = CS_ADD_IMM32(8, 6, 1);
	cs[n++] = CS_STORE_MULTIPLE(7, 0, 0x3, 8);	/* data[2], data[3] */
	*n2 = n;
	printf("   Wrote two small GPU programs into it from the CPU (%d and %d instructions)\n",
	       *n1, *n2);
}

static void make_group(struct demo *d)
{
	struct drm_panthor_queue_create queue = { .priority = 0, .ringbuf_size = 4096 };
	struct drm_syncobj_create sc = { 0 };

	d->group = (struct drm_panthor_group_create) {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &queue),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = d->gpu.shader_present,
		.fragment_core_mask = d->gpu.shader_present,
		.tiler_core_mask = d->gpu.tiler_present,
		.vm_id = d->vm.id,
	};
	must(DRM_IOCTL_PANTHOR_GROUP_CREATE, &d->group, "create a group of work (GROUP_CREATE)");
	must(DRM_IOCTL_SYNCOBJ_CREATE, &sc, "create a sync object");
	d->syncobj = sc.handle;
}

/* Submit the @n instructions at buffer offset @off, wait for them; return the time taken. */
static double run_job(struct demo *d, __u32 off, int n)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = d->syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.stream_addr = BO_VA + off, .stream_size = n * 8,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = d->group.group_handle,
		.queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};
	struct drm_syncobj_wait w = { .handles = (uintptr_t)&d->syncobj, .count_handles = 1 };
	struct drm_panthor_group_get_state st = { .group_handle = d->group.group_handle };
	struct timespec t;
	double start = now_ms();

	clock_gettime(CLOCK_MONOTONIC, &t);
	w.timeout_nsec = (t.tv_sec + 20) * 1000000000ll + t.tv_nsec;
	must(DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs, "submit the job (GROUP_SUBMIT)");
	if (ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w))
		fail("the job did not finish within 20 s (%s).", strerror(errno));
	must(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st, "ask for the group's state");
	if (st.state)
		fail("the GPU reported a problem with the job (group state 0x%x).", st.state);
	jobs_run++;
	last_job_done = now_ms();
	return last_job_done - start;
}

static void step_job(struct demo *d, int n)
{
	double ms;

	printf("3. Run a job on the GPU\n");
	make_group(d);
	printf("   Created a group of work with one queue and submitted the first program:\n");
	printf("   add up the numbers from 1 to %d, counting one by one\n", SUM_TO);
	ms = run_job(d, 0, n);
	printf("   The job finished in %.0f ms; the GPU is now %s\n", ms, power_state());
	if (d->data[0] != SUM_TO * (SUM_TO + 1) / 2 || d->data[1] != SUM_TO)
		fail("the GPU wrote %u (after %u numbers) where %u (after %u) was expected.",
		     d->data[0], d->data[1], SUM_TO * (SUM_TO + 1) / 2, SUM_TO);
	printf("   The GPU wrote %u after adding %u numbers, as expected\n", d->data[0],
	       d->data[1]);
}

static void step_power(struct demo *d, int n)
{
	char delay[16] = "?";
	double ms;

	printf("4. Let the GPU rest, then wake it up\n");
	read_dev_attr("power/autosuspend_delay_ms", delay, sizeof(delay));
	while (strcmp(power_state(), "suspended")) {
		if (now_ms() - last_job_done > 5000)
			fail("the idle GPU was still %s after 5 s; it should power down.",
			     power_state());
		usleep(5000);
	}
	printf("   With no work left, the driver took the group off the GPU, stopped the\n");
	printf("   firmware and powered the GPU down: %.0f ms after the job (idle delay: %s ms)\n",
	       now_ms() - last_job_done, delay);
	d->data[4] = CPU_VALUE;
	printf("   While it is off, the CPU writes %u into the buffer\n", CPU_VALUE);
	printf("   Submitted the second program: read both numbers back and add 1 to each\n");
	ms = run_job(d, JOB2_OFF, n);
	printf("   The job woke the GPU up and finished in %.0f ms; the GPU is now %s\n", ms,
	       power_state());
	if (d->data[2] != d->data[0] + 1 || d->data[3] != CPU_VALUE + 1)
		fail("the GPU wrote %u and %u where %u and %u were expected.", d->data[2],
		     d->data[3], d->data[0] + 1, CPU_VALUE + 1);
	printf("   The GPU wrote %u and %u, as expected: memory survived the power-down\n",
	       d->data[2], d->data[3]);
}

static void step_cleanup(struct demo *d)
{
	struct drm_panthor_group_destroy gd = { .group_handle = d->group.group_handle };
	struct drm_syncobj_destroy sd = { .handle = d->syncobj };
	struct drm_gem_close cl = { .handle = d->bo.handle };
	struct drm_panthor_vm_destroy vd = { .id = d->vm.id };

	printf("5. Clean up\n");
	must(DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd, "destroy the group");
	must(DRM_IOCTL_SYNCOBJ_DESTROY, &sd, "destroy the sync object");
	if (munmap(d->map, BO_SIZE))
		fail("could not unmap the buffer (%s).", strerror(errno));
	must(DRM_IOCTL_GEM_CLOSE, &cl, "free the buffer");
	must(DRM_IOCTL_PANTHOR_VM_DESTROY, &vd, "destroy the GPU address space");
	if (close(fd))
		fail("could not close %s (%s).", node, strerror(errno));
	printf("   Destroyed the group, freed the buffer and the address space, closed %s\n",
	       node);
}

int main(void)
{
	struct demo d = { 0 };
	char driver[128];
	int n1, n2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	step_find_gpu(&d);
	snprintf(driver, sizeof(driver), "%s", kernel_driver());
	step_memory(&d, &n1, &n2);
	step_job(&d, n1);
	step_power(&d, n2);
	step_cleanup(&d);
	printf("\n%s ran %d jobs on the %s; every result checked.\n", driver, jobs_run,
	       gpu_name(d.gpu.gpu_id));
	return 0;
}
