// SPDX-License-Identifier: GPL-2.0-only
/*
 * panthor-many: more groups and VMs than the GPU has CSG slots and address
 * spaces, on the first render node driven by "panthor". The scheduler must
 * rotate groups through the slots and VMs through the address spaces, and
 * suspend blocked groups so that the group unblocking them can run.
 * IGT-style output; exit 0, 1, or 77 when there is no such node.
 *
 * panthor-many NAME... runs only the subtests named.
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
#define STREAM_STRIDE	256		/* one stream per group, 64-byte aligned */
#define DATA_OFF	0x8000		/* one 32-bit word per group from here */
#define DATA_WORDS	64
#define FLAG_OFF	0x9000		/* blocked-groups: the flag (and its error word) */
#define MAX_GROUPS	20
#define MAX_VMS		12
#define WAIT_SECS	10

#define MANY_GROUPS	20		/* > 8 CSG slots */
#define MANY_VMS	12		/* > 7 user address spaces */
#define BLOCKED_GROUPS	10		/* 9 waiters and the group setting their flag */
#define SPIN_GROUPS	12
/*
 * Three instructions an iteration: the model runs at most 100000 instructions
 * of a stream per doorbell, and a longer job would stall until the next one.
 */
#define SPIN_LOOPS	30000

static int fd = -1;
static struct drm_panthor_gpu_info gpu;
static struct drm_panthor_csif_info csif;

/* A condition on what the jobs did. */
static int verify(int cond, const char *what)
{
	if (!cond)
		printf("  check failed: %s\n", what);
	return cond;
}

static __s64 now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* A VM with one BO mapped at BO_VA and mmapped: streams first, data at DATA_OFF. */
struct vm_bo {
	__u32 vm_id;
	__u32 handle;
	char *map;
};

/* A group with one queue, the syncobj its job signals and its stream. */
struct grp {
	__u32 handle;
	__u32 syncobj;
	__u64 *cs;
	__u64 cs_va;
	int n;
};

static __u32 *data_word(struct vm_bo *v, int i)
{
	return (__u32 *)(v->map + DATA_OFF) + i;
}

static __u64 data_va(int i)
{
	return BO_VA + DATA_OFF + 4 * i;
}

static int vm_bo_open(struct vm_bo *v)
{
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_bo_create bc = { .size = BO_SIZE };
	struct drm_panthor_bo_mmap_offset mo = { 0 };
	struct drm_panthor_vm_bind_op op = {
		.flags = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, .va = BO_VA, .size = BO_SIZE,
	};
	struct drm_panthor_vm_bind vb = { .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	v->map = MAP_FAILED;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc), "VM_CREATE"))
		return 0;
	v->vm_id = vc.id;
	bc.exclusive_vm_id = vc.id;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc), "BO_CREATE"))
		return 0;
	v->handle = bc.handle;
	mo.handle = bc.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET"))
		return 0;
	v->map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	if (!expect(v->map != MAP_FAILED, "mmap"))
		return 0;
	memset(v->map, 0, BO_SIZE);
	vb.vm_id = vc.id;
	op.bo_handle = bc.handle;
	return expect(!ioctl(fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb), "VM_BIND");
}

static void vm_bo_close(struct vm_bo *v)
{
	struct drm_gem_close cl = { .handle = v->handle };
	struct drm_panthor_vm_destroy vd = { .id = v->vm_id };

	if (v->map != MAP_FAILED && v->map)
		munmap(v->map, BO_SIZE);
	if (v->handle)
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	if (v->vm_id)
		ioctl(fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
}

/* Create a one-queue group on @v's VM whose stream is the @slot-th of @v's BO. */
static int grp_open(struct grp *g, struct vm_bo *v, int slot)
{
	struct drm_panthor_queue_create qc = { .ringbuf_size = 4096 };
	struct drm_panthor_group_create gc = {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &qc),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gpu.shader_present,
		.fragment_core_mask = gpu.shader_present,
		.tiler_core_mask = gpu.tiler_present,
		.vm_id = v->vm_id,
	};
	struct drm_syncobj_create sc = { 0 };

	g->cs = (__u64 *)(v->map + slot * STREAM_STRIDE);
	g->cs_va = BO_VA + slot * STREAM_STRIDE;
	g->n = 0;
	if (!expect(!ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE"))
		return 0;
	g->syncobj = sc.handle;
	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc), "GROUP_CREATE"))
		return 0;
	g->handle = gc.group_handle;
	return 1;
}

static void grp_close(struct grp *g)
{
	struct drm_panthor_group_destroy gd = { .group_handle = g->handle };
	struct drm_syncobj_destroy sd = { .handle = g->syncobj };

	if (g->handle)
		ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
	if (g->syncobj)
		ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
}

/* Submit the stream written so far; its completion signals the group's syncobj. */
static int grp_submit(struct grp *g)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = g->syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = 0, .stream_addr = g->cs_va, .stream_size = g->n * 8,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = g->handle, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	if (g->n * 8 > STREAM_STRIDE) {
		printf("  stream of %d instructions too long\n", g->n);
		return 0;
	}
	return expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs), "GROUP_SUBMIT");
}

/* Append: store @val at @va (registers 0, 1 and 2). */
static void emit_store(struct grp *g, __u64 va, __u32 val)
{
	g->cs[g->n++] = CS_MOVE48(0, va);
	g->cs[g->n++] = CS_MOVE32(2, val);
	g->cs[g->n++] = CS_STORE_MULTIPLE(2, 0, 0x1, 0);
}

/*
 * Wait until the syncobjs of all @n groups are signalled, at most @secs
 * seconds. Return: 1 when they are, else 0 after saying which are not.
 */
static int wait_groups(struct grp *g, int n, int secs)
{
	__u32 handles[MAX_GROUPS];
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = n,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
	};
	int i, late = 0;

	for (i = 0; i < n; i++)
		handles[i] = g[i].syncobj;
	w.timeout_nsec = now_ns() + secs * 1000000000ll;
	if (!ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w))
		return 1;
	printf("  check failed: jobs not all done within %d s (%s)\n", secs, strerror(errno));
	for (i = 0; i < n; i++) {
		struct drm_syncobj_wait one = {
			.handles = (uintptr_t)&handles[i], .count_handles = 1,
		};

		if (ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &one)) {
			printf("  group %d: job not done\n", i);
			late++;
		}
	}
	printf("  %d of %d jobs not done\n", late, n);
	return 0;
}

/* Count the groups among @g[0..n) whose syncobj is signalled now. */
static int groups_done(struct grp *g, int n)
{
	int i, done = 0;

	for (i = 0; i < n; i++) {
		struct drm_syncobj_wait one = {
			.handles = (uintptr_t)&g[i].syncobj, .count_handles = 1,
		};

		done += !ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &one);
	}
	return done;
}

/* Every group must be healthy (no timeout, no fault). */
static int groups_healthy(struct grp *g, int n)
{
	int i, ok = 1;

	for (i = 0; i < n; i++) {
		struct drm_panthor_group_get_state st = { .group_handle = g[i].handle };

		if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st),
			    "GROUP_GET_STATE")) {
			ok = 0;
		} else if (st.state) {
			printf("  group %d: state 0x%x, fatal queues 0x%x\n", i, st.state,
			       st.fatal_queues);
			ok = 0;
		}
	}
	return ok;
}

/*
 * Check that word @i of @v's data holds @want for i < @n and that the words
 * after stay zero. Return: the number of wrong words (each printed).
 */
static int check_words(struct vm_bo *v, const __u32 *want, int n, const char *who)
{
	int i, bad = 0;

	for (i = 0; i < DATA_WORDS; i++) {
		__u32 w = i < n ? want[i] : 0, got = *data_word(v, i);

		if (got != w) {
			printf("  %s: word %d holds 0x%08x, expected 0x%08x\n", who, i, got, w);
			bad++;
		}
	}
	return bad;
}

static int regs_usable(void)
{
	/* Registers 0..5 are used; the kernel may clobber the top four. */
	if (csif.cs_reg_count < 16) {
		printf("  check failed: only %u CS registers\n", csif.cs_reg_count);
		return 0;
	}
	return 1;
}

/*
 * many-groups: MANY_GROUPS groups on one VM, each storing its own value in
 * its own word of a shared BO; all submitted before any is waited for.
 */
static int run_many_groups(void)
{
	struct grp g[MAX_GROUPS] = { 0 };
	__u32 want[MAX_GROUPS];
	struct vm_bo v = { 0 };
	int ok = 0, i;
	__s64 t0;

	if (!regs_usable() || !vm_bo_open(&v))
		goto out;
	for (i = 0; i < MANY_GROUPS; i++) {
		if (!grp_open(&g[i], &v, i))
			goto out;
		want[i] = 0x6a000000 | (i + 1) * 0x10101;
		emit_store(&g[i], data_va(i), want[i]);
	}
	t0 = now_ns();
	for (i = 0; i < MANY_GROUPS; i++)
		if (!grp_submit(&g[i]))
			goto out;
	if (!wait_groups(g, MANY_GROUPS, WAIT_SECS))
		goto out;
	printf("  %d groups on one VM, %u CSG slots: all %d jobs done in %lld ms\n",
	       MANY_GROUPS, csif.csg_slot_count, MANY_GROUPS, (now_ns() - t0) / 1000000);
	ok = !check_words(&v, want, MANY_GROUPS, "shared BO");
	ok &= groups_healthy(g, MANY_GROUPS);
	printf("  group 0 stored 0x%08x, group %d stored 0x%08x%s\n", *data_word(&v, 0),
	       MANY_GROUPS - 1, *data_word(&v, MANY_GROUPS - 1),
	       ok ? "; every group's word holds its value, the rest is zero" : "");
out:
	for (i = 0; i < MANY_GROUPS; i++)
		grp_close(&g[i]);
	vm_bo_close(&v);
	return ok;
}

/*
 * many-vms: MANY_VMS VMs, each with its own BO at the same VA and a group
 * storing a VM-specific value there: each BO must hold only its own value.
 */
static int run_many_vms(void)
{
	struct vm_bo v[MAX_VMS] = { 0 };
	struct grp g[MAX_VMS] = { 0 };
	int ok = 0, bad = 0, i;
	__u32 want[MAX_VMS];
	__s64 t0;

	if (!regs_usable())
		goto out;
	for (i = 0; i < MANY_VMS; i++) {
		if (!vm_bo_open(&v[i]) || !grp_open(&g[i], &v[i], 0))
			goto out;
		want[i] = 0x7e000000 | (i + 1) * 0x1111;
		/* Word 0 holds the VM's value, word 1 its index: same VAs in every VM. */
		emit_store(&g[i], data_va(0), want[i]);
		emit_store(&g[i], data_va(1), i);
	}
	t0 = now_ns();
	for (i = 0; i < MANY_VMS; i++)
		if (!grp_submit(&g[i]))
			goto out;
	if (!wait_groups(g, MANY_VMS, WAIT_SECS))
		goto out;
	printf("  %d VMs, BO at 0x%llx in each: all %d jobs done in %lld ms\n", MANY_VMS,
	       BO_VA, MANY_VMS, (now_ns() - t0) / 1000000);
	for (i = 0; i < MANY_VMS; i++) {
		__u32 w[2] = { want[i], i };
		char who[16];

		snprintf(who, sizeof(who), "VM %d BO", i);
		bad += check_words(&v[i], w, 2, who);
	}
	ok = !bad;
	ok &= groups_healthy(g, MANY_VMS);
	printf("  VM 0 BO holds 0x%08x, VM %d BO holds 0x%08x%s\n", *data_word(&v[0], 0),
	       MANY_VMS - 1, *data_word(&v[MANY_VMS - 1], 0),
	       ok ? "; every BO holds only its own VM's values" : "");
out:
	for (i = 0; i < MANY_VMS; i++) {
		grp_close(&g[i]);
		vm_bo_close(&v[i]);
	}
	return ok;
}

/*
 * blocked-groups: groups 1..BLOCKED_GROUPS-1 wait (SYNC_WAIT32 > 0) for a
 * flag, then store a marker; group 0, created last and submitted 50 ms
 * later, sets the flag. The waiters fill the CSG slots: the scheduler must
 * make room for group 0 by suspending blocked groups, and resume them when
 * the flag changes.
 */
static int run_blocked_groups(void)
{
	struct grp g[MAX_GROUPS] = { 0 };
	__u32 want[MAX_GROUPS];
	struct vm_bo v = { 0 };
	__u32 *flag;
	int ok = 0, i, early;
	__s64 t0;

	if (!regs_usable() || !vm_bo_open(&v))
		goto out;
	flag = (__u32 *)(v.map + FLAG_OFF);
	for (i = 1; i <= BLOCKED_GROUPS; i++) {
		int k = i % BLOCKED_GROUPS;	/* group 0 last */
		struct grp *p = &g[k];

		if (!grp_open(p, &v, k))
			goto out;
		want[k] = 0xb10c0000 | k;
		p->cs[p->n++] = CS_MOVE48(4, BO_VA + FLAG_OFF);
		if (k) {
			p->cs[p->n++] = CS_MOVE32(3, 0);
			p->cs[p->n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 3, 4);
			emit_store(p, data_va(k), want[k]);
		} else {
			emit_store(p, data_va(k), want[k]);
			p->cs[p->n++] = CS_MOVE32(3, 1);
			p->cs[p->n++] = CS_SYNC_SET32(3, 4);
		}
	}
	for (i = 1; i < BLOCKED_GROUPS; i++)
		if (!grp_submit(&g[i]))
			goto out;
	usleep(50000);
	early = groups_done(g + 1, BLOCKED_GROUPS - 1);
	printf("  %d groups waiting for the flag; 50 ms later: %d done, flag 0x%x\n",
	       BLOCKED_GROUPS - 1, early, *flag);
	for (i = 1; i < BLOCKED_GROUPS; i++)
		if (*data_word(&v, i))
			early++;
	if (!verify(!early && !*flag, "a waiter went past its SYNC_WAIT32 before the flag was set"))
		goto out;
	t0 = now_ns();
	if (!grp_submit(&g[0]) || !wait_groups(g, BLOCKED_GROUPS, WAIT_SECS))
		goto out;
	printf("  flag set by group 0 (created last): all %d jobs done %lld ms after its submit\n",
	       BLOCKED_GROUPS, (now_ns() - t0) / 1000000);
	ok = verify(*flag == 1, "the flag does not hold 1");
	ok &= !check_words(&v, want, BLOCKED_GROUPS, "shared BO");
	ok &= groups_healthy(g, BLOCKED_GROUPS);
	printf("  flag 0x%x, markers 0x%08x .. 0x%08x%s\n", *flag, *data_word(&v, 0),
	       *data_word(&v, BLOCKED_GROUPS - 1), ok ? "; every group stored its marker" : "");
out:
	for (i = 0; i < BLOCKED_GROUPS; i++)
		grp_close(&g[i]);
	vm_bo_close(&v);
	return ok;
}

/*
 * time-slicing: SPIN_GROUPS groups, each counting SPIN_LOOPS iterations of
 * a loop (register 5 down to 0, register 3 up) before storing a marker and
 * the count; all must finish.
 */
static int run_time_slicing(void)
{
	struct grp g[MAX_GROUPS] = { 0 };
	__u32 want[2 * MAX_GROUPS];
	struct vm_bo v = { 0 };
	int ok = 0, i;
	__s64 t0;

	if (!regs_usable() || !vm_bo_open(&v))
		goto out;
	for (i = 0; i < SPIN_GROUPS; i++) {
		struct grp *p = &g[i];

		if (!grp_open(p, &v, i))
			goto out;
		want[2 * i] = 0x5e1c0000 | i;
		want[2 * i + 1] = SPIN_LOOPS;
		p->cs[p->n++] = CS_MOVE32(5, SPIN_LOOPS);
		p->cs[p->n++] = CS_MOVE32(3, 0);
		p->cs[p->n++] = CS_ADD_IMM32(5, 5, -1);
		p->cs[p->n++] = CS_ADD_IMM32(3, 3, 1);
		p->cs[p->n++] = CS_BRANCH(5, CS_COND_GREATER, -3);
		p->cs[p->n++] = CS_MOVE48(0, data_va(2 * i));
		p->cs[p->n++] = CS_MOVE32(2, want[2 * i]);
		p->cs[p->n++] = CS_STORE_MULTIPLE(2, 0, 0x3, 0);	/* marker, count */
	}
	t0 = now_ns();
	for (i = 0; i < SPIN_GROUPS; i++)
		if (!grp_submit(&g[i]))
			goto out;
	if (!wait_groups(g, SPIN_GROUPS, WAIT_SECS))
		goto out;
	printf("  %d groups spinning %d loop iterations each: all done in %lld ms\n",
	       SPIN_GROUPS, SPIN_LOOPS, (now_ns() - t0) / 1000000);
	ok = !check_words(&v, want, 2 * SPIN_GROUPS, "shared BO");
	ok &= groups_healthy(g, SPIN_GROUPS);
	printf("  group 0 stored 0x%08x count %u, group %d stored 0x%08x count %u%s\n",
	       *data_word(&v, 0), *data_word(&v, 1), SPIN_GROUPS - 1,
	       *data_word(&v, 2 * SPIN_GROUPS - 2), *data_word(&v, 2 * SPIN_GROUPS - 1),
	       ok ? "; every group counted to the end and stored its marker" : "");
out:
	for (i = 0; i < SPIN_GROUPS; i++)
		grp_close(&g[i]);
	vm_bo_close(&v);
	return ok;
}

static int query(__u32 type, void *p, __u32 size)
{
	struct drm_panthor_dev_query q = {
		.type = type, .size = size, .pointer = (uintptr_t)p,
	};

	return !ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q);
}

int main(int argc, char **argv)
{
	struct drm_version ver;
	char node[64];
	int ok = 1;

	only = argv + 1;
	nonly = argc - 1;
	fd = open_panthor(&ver, node, sizeof(node));
	if (fd < 0) {
		printf("no render node driven by panthor\n");
		return 77;
	}
	if (!query(DRM_PANTHOR_DEV_QUERY_GPU_INFO, &gpu, sizeof(gpu)) ||
	    !query(DRM_PANTHOR_DEV_QUERY_CSIF_INFO, &csif, sizeof(csif))) {
		printf("DEV_QUERY failed: %s\n", strerror(errno));
		return 1;
	}
	printf("%s: %u CSG slots, %u CS registers\n", node, csif.csg_slot_count,
	       csif.cs_reg_count);
	if (wanted("many-groups"))
		ok &= run("many-groups", run_many_groups());
	if (wanted("many-vms"))
		ok &= run("many-vms", run_many_vms());
	if (wanted("blocked-groups"))
		ok &= run("blocked-groups", run_blocked_groups());
	if (wanted("time-slicing"))
		ok &= run("time-slicing", run_time_slicing());
	close(fd);
	return !ok;
}
