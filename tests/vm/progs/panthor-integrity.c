// SPDX-License-Identifier: GPL-2.0-only
/*
 * panthor-integrity: the reclaim integrity matrix (panthor-reclaim only).
 * Every BO content written is read back after its eviction, by every reader
 * the shape allows, with the words compared one by one; every row first
 * proves, from debugfs "gems" (per BO, labelled) and "reclaim" (counters),
 * that its BOs really left memory before the read-back: a row where nothing
 * was evicted fails. IGT-style output, one "Subtest" line per row; exit 0,
 * 1, or 77 when there is no panthor-reclaim render node.
 *
 * Subtests (all when none is named):
 *   matrix-SRC-MODE-N  SRC gpu (CPU fill but for 16 words of each page, which
 *                      a GPU job stores), cpu (all through mmap) or dmabuf
 *                      (exported, imported on a second open file and bound in
 *                      its VM; the CPU fills through the dma-buf's mmap, the
 *                      importer's GPU job stores the 16 words); MODE plain,
 *                      madvise (even BOs DONTNEED: dropped, read back as
 *                      zeroes, BO_MADVISE retained=0; odd ones DONTNEED then
 *                      WILLNEED: swapped out, never dropped), discard (created
 *                      DRM_PANTHOR_PRC_BO_DISCARDABLE: dropped, zeroes,
 *                      retained=0), exported BOs (dmabuf) never dropped
 *                      whatever their advice, or pressure (real reclaim: a
 *                      forked child allocates anonymous memory, then asks
 *                      the root cgroup's memory.reclaim until gems shows the
 *                      row's BOs out; no debugfs); N 8 or 32 BOs of 64 to 256
 *                      KiB. CYCLES evict/restore cycles (pressure rows: one),
 *                      alternately through debugfs shrink (0: all) and
 *                      reclaim_client (our pid),
 *                      each read back by the CPU through mmap and by a GPU job
 *                      in the BOs' VM, dmabuf rows also through the dma-buf's
 *                      mmap, the importer's mmap and a GPU job in the
 *                      importer's VM; the first reader rotates. Each cycle
 *                      writes new content (a generation in the pattern).
 *   huge               2 MiB and 4 MiB BOs bound at 2 MiB-aligned VAs and a
 *                      sparse mapping (MAP_SPARSE, 1.9) in the same VM: the
 *                      BOs evicted and read back, the sparse range still
 *                      showing one page every 2 MiB after each restore.
 *   foreign            a vgem dumb buffer imported: never evicted (gems), its
 *                      content intact by GPU, vgem mmap and panthor mmap,
 *                      while the BOs around it are evicted; a panthor BO
 *                      imported into vgem (an attachment's pin) stays while
 *                      attached and is evicted once vgem lets go.
 *   busy               a BO a job blocked on SYNC_WAIT uses stays resident
 *                      through a shrink while an idle client's BO goes; the
 *                      CPU releases the job, whose stores land, and the BO
 *                      is evicted and read back after.
 *   concurrent         one client cycles evict/restore of its BOs and checks
 *                      them while forked clients open, create, bind, submit,
 *                      mmap, check, unbind, close and exit meanwhile.
 *
 * Options: -c CYCLES (default 2: one shrink, one reclaim_client).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <drm_mode.h>
#include "panthor_reclaim_drm.h"
#include "panthor-util.h"

#define PAGE		4096u
#define PAGE_WORDS	(PAGE / 4)
#define GPU_WORDS	16	/* what one STORE_MULTIPLE writes: the start of a page */
#define POISON		0xdeadbeefu

/* GPU VA layout of every context's VM. */
#define STREAM_VA	0x1000000ull
#define STREAM_SIZE	(256 * 1024)
#define FLAG_OFF	(STREAM_SIZE - 64)	/* a word blocked jobs wait on */
#define RELEASE_OFF	(STREAM_SIZE - 4096)	/* the stream that releases them */
#define RESULT_VA	0x2000000ull
#define RESULT_SIZE	(256 * 1024)
#define BO_VA		0x10000000ull
#define SPARSE_VA	0x40000000ull
#define MAX_BOS		32

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int cycles = 2;
static int failed_rows;

/* A VM, a group of one queue, a stream and a result BO mapped in both. */
struct ctx {
	int fd;
	__u32 vm, group, syncobj, stream_h, result_h;
	__u64 *stream;
	__u32 *result;
	int n;		/* instructions in the stream so far */
};

/* The BOs of a test, in context a (and b, the importer, for shared ones). */
struct ibo {
	__u32 h, h2;	/* handle in a, in b */
	__u64 size, va;
	__u32 flags;
	int dmabuf;	/* exported fd, or -1 */
	__u32 *map, *dmap, *map2;	/* a's mmap (kept for even BOs), the dma-buf's, b's */
	__u32 gen;	/* content generation */
	int zero;	/* dropped by reclaim: expected to read as zeroes */
	int dontneed;
	int id;		/* in the pattern and the label */
};

/* Per BO, what debugfs gems says of it. */
struct bo_state {
	int found, resident, evicted, evictions, pins;
	char kind[24], reclaim[16];
};

static unsigned int label_set;	/* makes each test's labels unique */

static __u32 mix(__u32 a, __u32 b, __u32 c)
{
	__u32 x = a * 0x9e3779b9u ^ b * 0x85ebca6bu ^ c * 0xc2b2ae35u;

	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	return x;
}

/* The expected word @i of BO @bo of set @set in generation @gen (not zero). */
static inline __u32 word(__u32 base, __u32 i)
{
	return (base ^ (i * 0x9e3779b1u)) | 1;
}

static __u32 bo_base(unsigned int set, int bo, __u32 gen)
{
	return mix(set, bo, gen);
}

static __u32 ibo_base(unsigned int set, const struct ibo *b)
{
	return mix(set, b->id, b->gen);
}

/* ---- debugfs (the helpers are panthor-util.h's) ---- */

static int set_label(int fd, __u32 h, unsigned int set, int idx)
{
	char label[32];
	struct drm_panthor_bo_set_label sl = { .handle = h, .label = (uintptr_t)label };

	snprintf(label, sizeof(label), "pi %u %d", set, idx);
	return ioctl(fd, DRM_IOCTL_PANTHOR_BO_SET_LABEL, &sl);
}

/* Save the record @cur into @st if it is one of set @set's (the first one seen). */
static void gems_keep(struct bo_state *cur, int idx, unsigned int set, unsigned int lset,
		      struct bo_state *st, int n)
{
	if (lset == set && idx >= 0 && idx < n && !st[idx].found) {
		st[idx] = *cur;
		st[idx].found = 1;
	}
}

/*
 * Fill @st[0..@n) from debugfs gems for the BOs labelled "pi @set <idx>".
 * Return: 1, or 0 when the file cannot be read.
 */
static int gems_read(unsigned int set, struct bo_state *st, int n)
{
	struct bo_state cur = { 0 };
	unsigned int lset = ~0u;
	char path[96], line[256];
	int idx = -1, v;
	FILE *f;

	memset(st, 0, n * sizeof(*st));
	if (!debugfs_path("gems", path, sizeof(path)))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t"), *c;

		if (!strncmp(p, "handle ", 7) || !strncmp(p, "client ", 7) ||
		    !strncmp(p, "Total ", 6)) {
			gems_keep(&cur, idx, set, lset, st, n);
			memset(&cur, 0, sizeof(cur));
			idx = -1;
			lset = ~0u;
			c = strrchr(p, ',');
			if (!strncmp(p, "handle ", 7) && c)
				sscanf(c + 1, " %23[a-z ]", cur.kind);
		} else if (sscanf(p, "label=\"pi %u %d\"", &lset, &idx) == 2) {
			continue;
		} else if (!strncmp(p, "resident=", 9)) {
			cur.resident = !strncmp(p + 9, "yes", 3);
		} else if (sscanf(p, "pin_count=%d", &v) == 1) {
			cur.pins = v;
		} else if (!strncmp(p, "reclaim=", 8)) {
			char ev[8] = "";
			int got = sscanf(p, "reclaim=%15s evicted=%7s evictions=%d", cur.reclaim,
					 ev, &cur.evictions);

			cur.evicted = got >= 2 && !strcmp(ev, "yes");
		}
	}
	gems_keep(&cur, idx, set, lset, st, n);
	fclose(f);
	return 1;
}

/* The last line of gems, into @buf. */
static void gems_total(char *buf, size_t len)
{
	char path[96], line[256];
	FILE *f;

	snprintf(buf, len, "none");
	if (!debugfs_path("gems", path, sizeof(path)))
		return;
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Total size", 10))
			snprintf(buf, len, "%.*s", (int)strcspn(line, "\n"), line);
	fclose(f);
}

/* ---- contexts and jobs ---- */

static __u32 *map_handle(int fd, __u32 h, __u64 size)
{
	struct drm_panthor_bo_mmap_offset mo = { .handle = h };
	void *p;

	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo), "BO_MMAP_OFFSET"))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, mo.offset);
	return expect(p != MAP_FAILED, "mmap of a BO") ? p : NULL;
}

static int vm_bind(struct ctx *c, __u32 flags, __u32 h, __u64 va, __u64 size)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = flags, .bo_handle = h, .va = va, .size = size,
	};
	struct drm_panthor_vm_bind vb = { .vm_id = c->vm, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	return ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_BIND, &vb);
}

static int bo_create(struct ctx *c, __u64 size, __u32 flags, int vm_private, __u32 *h)
{
	struct drm_panthor_bo_create bc = {
		.size = size, .flags = flags, .exclusive_vm_id = vm_private ? c->vm : 0,
	};

	if (ioctl(c->fd, DRM_IOCTL_PANTHOR_BO_CREATE, &bc))
		return -1;
	*h = bc.handle;
	return 0;
}

static void gem_close(int fd, __u32 h)
{
	struct drm_gem_close cl = { .handle = h };

	if (h)
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
}

static int ctx_open(struct ctx *c)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_vm_create vc = { 0 };
	/* Queue 1 only releases jobs blocked on queue 0 (run_busy()). */
	struct drm_panthor_queue_create queues[2] = {
		{ .ringbuf_size = 4096 }, { .ringbuf_size = 4096 },
	};
	struct drm_panthor_group_create gc = { 0 };
	struct drm_syncobj_create sc = { 0 };
	struct drm_version v;
	char path[64];

	memset(c, 0, sizeof(*c));
	c->fd = open_panthor(&v, path, sizeof(path));
	if (!expect(c->fd >= 0, "open the render node") ||
	    !expect(!ioctl(c->fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q), "GPU_INFO") ||
	    !expect(!ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_CREATE, &vc), "VM_CREATE"))
		return 0;
	c->vm = vc.id;
	if (!expect(!bo_create(c, STREAM_SIZE, 0, 1, &c->stream_h), "BO_CREATE (stream)") ||
	    !expect(!bo_create(c, RESULT_SIZE, 0, 1, &c->result_h), "BO_CREATE (result)") ||
	    !expect(!vm_bind(c, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, c->stream_h, STREAM_VA,
			     STREAM_SIZE), "VM_BIND (stream)") ||
	    !expect(!vm_bind(c, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, c->result_h, RESULT_VA,
			     RESULT_SIZE), "VM_BIND (result)"))
		return 0;
	c->stream = (__u64 *)map_handle(c->fd, c->stream_h, STREAM_SIZE);
	c->result = map_handle(c->fd, c->result_h, RESULT_SIZE);
	if (!c->stream || !c->result ||
	    !expect(!ioctl(c->fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE"))
		return 0;
	c->syncobj = sc.handle;
	gc = (struct drm_panthor_group_create) {
		.queues = DRM_PANTHOR_OBJ_ARRAY(2, queues),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gpu.shader_present,
		.fragment_core_mask = gpu.shader_present,
		.tiler_core_mask = gpu.tiler_present,
		.vm_id = c->vm,
	};
	if (!expect(!ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc), "GROUP_CREATE"))
		return 0;
	c->group = gc.group_handle;
	return 1;
}

static void ctx_close(struct ctx *c)
{
	struct drm_panthor_group_destroy gd = { .group_handle = c->group };
	struct drm_panthor_vm_destroy vd = { .id = c->vm };
	struct drm_syncobj_destroy sd = { .handle = c->syncobj };

	if (c->fd < 0)
		return;
	if (c->stream)
		munmap(c->stream, STREAM_SIZE);
	if (c->result)
		munmap(c->result, RESULT_SIZE);
	if (c->group)
		ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_DESTROY, &gd);
	if (c->syncobj)
		ioctl(c->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
	gem_close(c->fd, c->stream_h);
	gem_close(c->fd, c->result_h);
	if (c->vm)
		ioctl(c->fd, DRM_IOCTL_PANTHOR_VM_DESTROY, &vd);
	close(c->fd);
	c->fd = -1;
}

/* Submit @n instructions at stream offset @off on @queue, signalling @syncobj. */
static int ctx_push_at(struct ctx *c, __u32 queue, __u32 off, int n, __u32 syncobj)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.queue_index = queue, .stream_addr = STREAM_VA + off, .stream_size = n * 8,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = c->group, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};

	return expect(!ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs), "GROUP_SUBMIT");
}

/* Submit the stream written so far, at its start, on queue 0, without waiting. */
static int ctx_push(struct ctx *c)
{
	return ctx_push_at(c, 0, 0, c->n, c->syncobj);
}

/* Wait up to 60 s for sync object @h of @fd. */
static int syncobj_wait(int fd, __u32 h)
{
	struct drm_syncobj_wait w = { .handles = (uintptr_t)&h, .count_handles = 1 };
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	w.timeout_nsec = (t.tv_sec + 60) * 1000000000ll + t.tv_nsec;
	return ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static int ctx_wait(struct ctx *c)
{
	struct drm_panthor_group_get_state st = { .group_handle = c->group };

	c->n = 0;
	if (!expect(!syncobj_wait(c->fd, c->syncobj), "job not done within 60 s") ||
	    !expect(!ioctl(c->fd, DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st), "GROUP_GET_STATE"))
		return 0;
	if (st.state)
		printf("  group state 0x%x, fatal queues 0x%x after a job\n", st.state,
		       st.fatal_queues);
	return !st.state;
}

static int ctx_run(struct ctx *c)
{
	if (!c->n)
		return 1;
	return ctx_push(c) && ctx_wait(c);
}

/* Room for @need more instructions (submitting what is there when not). */
static int ctx_room(struct ctx *c, int need)
{
	if (c->n + need <= (int)(RELEASE_OFF / 8))
		return 1;
	return ctx_run(c);
}

/* GPU stores of the first GPU_WORDS words of every @stride'th page of BO @b. */
static int gpu_fill(struct ctx *c, struct ibo *b, __u32 base, int stride)
{
	__u32 page;
	int j;

	for (page = 0; page < b->size / PAGE; page += stride) {
		if (!ctx_room(c, GPU_WORDS + 2))
			return 0;
		c->stream[c->n++] = CS_MOVE48(0, b->va + (__u64)page * PAGE);
		for (j = 0; j < GPU_WORDS; j++)
			c->stream[c->n++] = CS_MOVE32(2 + j, word(base, page * PAGE_WORDS + j));
		c->stream[c->n++] = CS_STORE_MULTIPLE(2, 0, 0xffff, 0);
	}
	return 1;
}

/*
 * GPU read-back: jobs of @c copy the first GPU_WORDS words of every
 * @stride'th page of each BO of @bos (mapped at their va in @c's VM) to the
 * result BO, as many pages a job as the result BO holds; the CPU compares
 * them with what each BO should hold. Return: bad words, -1 on failure.
 */
static long gpu_check(struct ctx *c, struct ibo *bos, int n, unsigned int set, int stride,
		      long *checked)
{
	const int slots = RESULT_SIZE / 64;
	int bi = 0, sb, k, j, w;
	__u32 p = 0, sp;
	long bad = 0;

	if (!ctx_run(c))
		return -1;
	while (bi < n) {
		sb = bi;
		sp = p;
		memset(c->result, 0x55, RESULT_SIZE);
		for (k = 0; bi < n && k < slots; k++) {
			c->stream[c->n++] = CS_MOVE48(0, bos[bi].va + (__u64)p * PAGE);
			c->stream[c->n++] = CS_LOAD_MULTIPLE(2, 0, 0xffff, 0);
			c->stream[c->n++] = CS_MOVE48(20, RESULT_VA + k * 64ull);
			c->stream[c->n++] = CS_STORE_MULTIPLE(2, 20, 0xffff, 0);
			p += stride;
			if (p >= bos[bi].size / PAGE) {
				bi++;
				p = 0;
			}
		}
		if (!ctx_run(c))
			return -1;
		for (j = 0; j < k; j++) {
			__u32 base = ibo_base(set, &bos[sb]);

			for (w = 0; w < GPU_WORDS; w++) {
				__u32 want = bos[sb].zero ? 0 : word(base, sp * PAGE_WORDS + w);
				__u32 got = c->result[j * GPU_WORDS + w];

				if (got != want && bad++ < 4) {
					printf("  GPU read BO %d page %u word %d:",
					       bos[sb].id, sp, w);
					printf(" 0x%08x, expected 0x%08x\n", got, want);
				}
			}
			*checked += GPU_WORDS;
			sp += stride;
			if (sp >= bos[sb].size / PAGE) {
				sb++;
				sp = 0;
			}
		}
	}
	return bad;
}

/* CPU fill of BO @idx of a set through @p: GPU words (every @stride'th page) poisoned. */
static void cpu_fill(__u32 *p, __u64 size, __u32 base, int gpu_stride)
{
	__u32 i, n = size / 4;

	for (i = 0; i < n; i++)
		p[i] = word(base, i);
	if (gpu_stride)
		for (i = 0; i < n; i += PAGE_WORDS * gpu_stride)
			memset(p + i, 0xff, GPU_WORDS * 4);
}

/* Compare @p with BO @idx's expected content; return bad words (first ones printed). */
static long cpu_check(const __u32 *p, struct ibo *b, unsigned int set, const char *who,
		      long *checked)
{
	__u32 base = ibo_base(set, b), i, n = b->size / 4;
	long bad = 0;

	for (i = 0; i < n; i++) {
		__u32 want = b->zero ? 0 : word(base, i);

		if (p[i] != want && bad++ < 4)
			printf("  %s read BO %d word %u: 0x%08x, expected 0x%08x\n", who, b->id, i,
			       p[i], want);
	}
	*checked += n;
	return bad;
}

static int bo_madvise(int fd, __u32 h, __u32 advice)
{
	struct drm_panthor_prc_bo_madvise m = { .handle = h, .advice = advice };

	if (!expect(!ioctl(fd, DRM_IOCTL_PANTHOR_PRC_BO_MADVISE, &m), "BO_MADVISE"))
		return -1;
	return m.retained;
}

/* ---- eviction ---- */

enum { EV_SHRINK, EV_CLIENT, EV_PRESSURE };
static const char * const ev_names[] = { "shrink", "reclaim_client", "pressure" };

static long meminfo_kib(const char *key)
{
	char line[128];
	size_t l = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, l) && line[l] == ':')
			v = atol(line + l + 1);
	if (f)
		fclose(f);
	return v;
}

static long vmstat_value(const char *key)
{
	char line[128];
	size_t l = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, l) && line[l] == ' ')
			v = atol(line + l + 1);
	if (f)
		fclose(f);
	return v;
}

#define CG_RECLAIM	"/sys/fs/cgroup/memory.reclaim"

/* What a pressure child did, in memory shared with the parent. */
struct pressure_report {
	int mib, writes;
};

/* Whether every one of the @n BOs of set @set is out of memory (gems). */
static int set_out(unsigned int set, int n)
{
	struct bo_state st[MAX_BOS];
	int i;

	if (!gems_read(set, st, n))
		return 0;
	for (i = 0; i < n; i++)
		if (!st[i].found || st[i].resident)
			return 0;
	return 1;
}

/*
 * Real reclaim, no debugfs: a forked child (the one the OOM killer takes
 * first) allocates and touches an eighth of RAM in anonymous memory, then
 * asks the root cgroup's memory.reclaim for 64 MiB at a time (the core MM's
 * reclaim at falling priorities, which calls every shrinker and pushes
 * what they give back to swap along with the anonymous memory) until gems
 * shows every BO of set @set (@n of them) out of memory, at most 40 times.
 * Return: 1 when the child got there, 0 when not, -1 when it did not report.
 */
static int reclaim_by_pressure(unsigned int set, int n, struct pressure_report *out,
			       long *pswpout, double *secs)
{
	long eighth = meminfo_kib("MemTotal") / 8192, sw0 = vmstat_value("pswpout");
	struct pressure_report *r;
	struct timespec t0, t1;
	int status, ret;
	pid_t pid;

	r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return -1;
	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (!pid) {
		sysfs_write("/proc/self/oom_score_adj", "1000");
		while (r->mib < eighth && !set_out(set, n)) {
			char *p = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			unsigned int i;

			if (p == MAP_FAILED)
				_exit(2);
			for (i = 0; i < 4 << 20; i += PAGE)
				p[i] = (char)(i >> 12) | 1;
			r->mib += 4;
		}
		while (r->writes < 40 && !set_out(set, n)) {
			/* -EAGAIN when it reclaimed less than asked: fine, look again. */
			if (sysfs_write(CG_RECLAIM, "64M") && errno != EAGAIN) {
				printf("    pressure child: %s: %s\n", CG_RECLAIM, strerror(errno));
				_exit(3);
			}
			r->writes++;
		}
		_exit(set_out(set, n) ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	*pswpout = vmstat_value("pswpout") - sw0;
	*out = *r;
	munmap(r, 4096);
	if (WIFSIGNALED(status)) {
		printf("    pressure child killed by signal %d\n", WTERMSIG(status));
		return -1;
	}
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return ret == 0 ? 1 : ret == 1 ? 0 : -1;
}

static int evict(int how, unsigned int set, int n)
{
	struct pressure_report r = { 0 };
	char pid[16];
	double secs = 0;
	long sw = 0;
	int ret;

	switch (how) {
	case EV_SHRINK:
		return expect(debugfs_write("shrink", "0"), "write 0 to debugfs shrink");
	case EV_CLIENT:
		snprintf(pid, sizeof(pid), "%d", getpid());
		return expect(debugfs_write("reclaim_client", pid), "write to reclaim_client");
	default:
		ret = reclaim_by_pressure(set, n, &r, &sw, &secs);
		printf("    pressure: a child allocated %d MiB, then %d x 64M", r.mib, r.writes);
		printf(" to root memory.reclaim: %s in %.1f s, pswpout +%ld\n",
		       ret > 0 ? "done" : "not done", secs, sw);
		return ret >= 0;
	}
}

/*
 * Read gems into @before, then evict by @how until every BO of @mask is out
 * (evicted once more than before), into @after. Reclaim only trylocks: a BO
 * whose lock someone held at that moment (the GPU's runtime suspend, a scan
 * of the kernel's) stays. Up to 3 triggers, and said when it took more; the
 * caller checks @after as it wants.
 */
static int evict_bos(int how, unsigned int set, int n, unsigned int mask,
		     struct bo_state *before, struct bo_state *after)
{
	int tries, i, all;

	if (!expect(gems_read(set, before, n), "read debugfs gems"))
		return 0;
	for (tries = 1; tries <= 3; tries++) {
		if (!evict(how, set, n) || !expect(gems_read(set, after, n), "read debugfs gems"))
			return 0;
		for (all = 1, i = 0; i < n; i++)
			if (mask & (1u << i))
				all &= after[i].evicted && !after[i].resident &&
				       after[i].evictions > before[i].evictions;
		if (all)
			break;
	}
	if (tries > 1)
		printf("    %s: %d triggers for BOs 0x%x to be out\n", ev_names[how], tries, mask);
	return 1;
}

/* ---- the matrix ---- */

enum { SRC_GPU, SRC_CPU, SRC_DMABUF };
enum { MODE_PLAIN, MODE_MADVISE, MODE_DISCARD, MODE_PRESSURE };
static const char * const src_names[] = { "gpu", "cpu", "dmabuf" };
static const char * const mode_names[] = { "plain", "madvise", "discard", "pressure" };

static const __u64 sizes[] = { 64 << 10, 128 << 10, 256 << 10, 64 << 10 };

/* (Re)write every BO of a row in generation gen (each BO's own), by its source. */
static int row_fill(int src, struct ctx *a, struct ctx *b, struct ibo *bos, int n,
		    unsigned int set)
{
	struct ctx *g = src == SRC_DMABUF ? b : a;
	int i;

	for (i = 0; i < n; i++) {
		__u32 base = bo_base(set, i, bos[i].gen);
		__u32 *p = src == SRC_DMABUF ? bos[i].dmap : bos[i].map;
		int tmp = !p;

		if (tmp)
			p = map_handle(a->fd, bos[i].h, bos[i].size);
		if (!p)
			return 0;
		cpu_fill(p, bos[i].size, base, src == SRC_CPU ? 0 : 1);
		if (tmp)
			munmap(p, bos[i].size);
		if (src != SRC_CPU && !gpu_fill(g, &bos[i], base, 1))
			return 0;
		bos[i].zero = 0;
	}
	return ctx_run(g);
}

enum { RD_CPU, RD_GPU, RD_DMABUF, RD_IMP_CPU, RD_IMP_GPU, RD_N };
static const char * const rd_names[] = {
	"cpu-mmap", "gpu", "dmabuf-mmap", "importer-mmap", "importer-gpu",
};

static long read_back(int rd, struct ctx *a, struct ctx *b, struct ibo *bos, int n,
		      unsigned int set, long *checked)
{
	long bad = 0;
	int i;

	if (rd == RD_GPU || rd == RD_IMP_GPU)
		return gpu_check(rd == RD_GPU ? a : b, bos, n, set, 1, checked);
	for (i = 0; i < n; i++) {
		__u32 *p = rd == RD_CPU ? bos[i].map : rd == RD_DMABUF ? bos[i].dmap : bos[i].map2;
		int tmp = !p;

		if (tmp)
			p = map_handle(rd == RD_CPU ? a->fd : b->fd,
				       rd == RD_CPU ? bos[i].h : bos[i].h2, bos[i].size);
		if (!p)
			return -1;
		bad += cpu_check(p, &bos[i], set, rd_names[rd], checked);
		if (tmp)
			munmap(p, bos[i].size);
	}
	return bad;
}

static void bos_free(struct ctx *a, struct ctx *b, struct ibo *bos, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (bos[i].map)
			munmap(bos[i].map, bos[i].size);
		if (bos[i].dmap)
			munmap(bos[i].dmap, bos[i].size);
		if (bos[i].map2)
			munmap(bos[i].map2, bos[i].size);
		if (bos[i].dmabuf >= 0)
			close(bos[i].dmabuf);
		if (b && b->fd >= 0)
			gem_close(b->fd, bos[i].h2);
		gem_close(a->fd, bos[i].h);
	}
}

/*
 * Set up @n BOs in @a (labelled, bound at 2 MiB... 256 KiB-aligned VAs);
 * @src dmabuf: exported, mapped through the dma-buf, imported into @b and
 * bound there at the same VA. Even BOs of gpu and cpu rows are VM-private
 * and keep a CPU mapping; odd ones are mapped only when read.
 */
static int row_setup(int src, int mode, struct ctx *a, struct ctx *b, struct ibo *bos, int n,
		     unsigned int set)
{
	__u64 va = BO_VA;
	int i;

	for (i = 0; i < n; i++) {
		struct ibo *o = &bos[i];
		struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };

		o->dmabuf = -1;
		o->size = sizes[i % 4];
		o->va = va;
		o->flags = mode == MODE_DISCARD ? DRM_PANTHOR_PRC_BO_DISCARDABLE : 0;
		va += 256 << 10;
		if (!expect(!bo_create(a, o->size, o->flags, src != SRC_DMABUF && !(i & 1), &o->h),
			    "BO_CREATE") ||
		    !expect(!set_label(a->fd, o->h, set, i), "BO_SET_LABEL") ||
		    !expect(!vm_bind(a, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, o->h, o->va, o->size),
			    "VM_BIND"))
			return 0;
		if (src != SRC_DMABUF) {
			if (!(i & 1)) {
				o->map = map_handle(a->fd, o->h, o->size);
				if (!o->map)
					return 0;
			}
			continue;
		}
		ph.handle = o->h;
		if (!expect(!ioctl(a->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), "PRIME_HANDLE_TO_FD"))
			return 0;
		o->dmabuf = ph.fd;
		o->dmap = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED, o->dmabuf, 0);
		if (!expect(o->dmap != MAP_FAILED, "mmap of the dma-buf")) {
			o->dmap = NULL;
			return 0;
		}
		ph.handle = 0;
		if (!expect(!ioctl(b->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph),
			    "PRIME_FD_TO_HANDLE on the second file"))
			return 0;
		o->h2 = ph.handle;
		if (!expect(!vm_bind(b, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, o->h2, o->va, o->size),
			    "VM_BIND in the importer's VM"))
			return 0;
		if (i & 1)
			continue;
		o->map2 = map_handle(b->fd, o->h2, o->size);
		if (!o->map2)
			return 0;
	}
	return 1;
}

/* Clear @n BOs: no handles, no dma-buf, pattern ids 0..n-1. */
static void bos_init(struct ibo *bos, int n)
{
	int i;

	memset(bos, 0, n * sizeof(*bos));
	for (i = 0; i < n; i++) {
		bos[i].id = i;
		bos[i].dmabuf = -1;
	}
}

/* When the row being run started: main() sets it first, report() then. */
static double row_start;

static int report(const char *name, int ok)
{
	double t = now();

	printf("  %s took %.1f s\n", name, t - row_start);
	row_start = t;
	failed_rows += !ok;
	return run(name, ok);
}

/*
 * Whether reclaim may drop @b's content: advised DONTNEED or created
 * discardable, and not exported (a dma-buf's other users never said so:
 * exported BOs are swapped out, never dropped).
 */
static int disposable(const struct ibo *b)
{
	return (b->dontneed || b->flags) && b->dmabuf < 0;
}

/*
 * Check, from gems, that the row's BOs left memory the way the row wants:
 * dropped ones not resident and not evicted, the others evicted once more
 * than before (pressure: at least one BO out). Count them in @nout.
 */
static int row_evicted(int mode, struct ibo *bos, int n, struct bo_state *before,
		       struct bo_state *after, int *nout)
{
	int i, ok = 1, shown = 0;

	*nout = 0;
	for (i = 0; i < n; i++) {
		int out = after[i].found && !after[i].resident;
		int dropped = out && !after[i].evicted && after[i].evictions == before[i].evictions;
		int swapped = out && after[i].evicted && after[i].evictions > before[i].evictions;

		bos[i].zero = dropped;
		*nout += dropped || swapped;
		if (mode == MODE_PRESSURE) {
			/* Plain BOs: never dropped. */
			if (dropped && shown++ < 4)
				printf("  BO %d dropped under pressure: a plain BO must be kept\n",
				       i);
			ok &= !dropped;
			continue;
		}
		if (disposable(&bos[i]) ? dropped : swapped)
			continue;
		ok = 0;
		if (shown++ >= 4)
			continue;
		printf("  BO %d (%s%s): gems found=%d resident=%d evicted=%d", i,
		       bos[i].dontneed ? "DONTNEED" : bos[i].flags ? "discardable" : "kept",
		       bos[i].dmabuf >= 0 ? ", exported" : "", after[i].found, after[i].resident,
		       after[i].evicted);
		printf(" evictions %d -> %d reclaim=%s, expected %s\n", before[i].evictions,
		       after[i].evictions, after[i].reclaim,
		       disposable(&bos[i]) ? "dropped" : "evicted");
	}
	return ok && *nout > 0;
}

static int run_row(int src, int mode, int n)
{
	struct bo_state before[MAX_BOS], after[MAX_BOS];
	struct ibo bos[MAX_BOS];
	struct ctx a, b = { .fd = -1 };
	unsigned int set = ++label_set;
	char name[64];
	long bad = 0, checked = 0, pages = 0;
	long ev0, pu0, di0;
	int nrd = src == SRC_DMABUF ? RD_N : 2, ok = 0, cyc, i, r, tries;
	int outs[8] = { 0 }, retained_bad = 0, ndrop = 0;
	/*
	 * Real pressure takes seconds a cycle: one. Evicting what was
	 * restored, again, is the other rows' (the same BOs, by debugfs).
	 */
	int ncyc = mode == MODE_PRESSURE ? 1 : cycles;

	snprintf(name, sizeof(name), "matrix-%s-%s-%d", src_names[src], mode_names[mode], n);
	if (!wanted(name))
		return 1;
	bos_init(bos, ARRAY_SIZE(bos));
	if (!ctx_open(&a) || (src == SRC_DMABUF && !ctx_open(&b)) ||
	    !row_setup(src, mode, &a, &b, bos, n, set) || !row_fill(src, &a, &b, bos, n, set))
		goto out;
	for (i = 0; i < n; i++)
		pages += bos[i].size / PAGE;
	ev0 = reclaim_stat("evicted_pages");
	pu0 = reclaim_stat("purged_pages");
	di0 = reclaim_stat("discarded_pages");
	for (cyc = 0; cyc < ncyc; cyc++) {
		int how = mode == MODE_PRESSURE ? EV_PRESSURE : (cyc & 1) ? EV_CLIENT : EV_SHRINK;

		if (mode == MODE_MADVISE)
			for (i = 0; i < n; i++) {
				r = bo_madvise(a.fd, bos[i].h, DRM_PANTHOR_PRC_MADV_DONTNEED);
				retained_bad += r != 1;
				bos[i].dontneed = !(i & 1);
				if (!(i & 1))
					continue;
				r = bo_madvise(a.fd, bos[i].h, DRM_PANTHOR_PRC_MADV_WILLNEED);
				retained_bad += r != 1;
			}
		if (!expect(gems_read(set, before, n), "read debugfs gems"))
			goto out;
		/*
		 * Reclaim only trylocks: a BO whose lock someone else held at
		 * that moment (a scan of the kernel's, the GPU's runtime
		 * suspend) stays. Up to 3 triggers, and said when it took more.
		 */
		for (tries = 1;; tries++) {
			if (!evict(how, set, n) ||
			    !expect(gems_read(set, after, n), "read debugfs gems"))
				goto out;
			if (row_evicted(mode, bos, n, before, after, &outs[cyc]))
				break;
			printf("  cycle %d (%s), trigger %d: %d of %d BOs out of memory:", cyc,
			       ev_names[how], tries, outs[cyc], n);
			printf(" not what the row wants\n");
			if (tries == 3)
				goto out;
		}
		if (tries > 1)
			printf("  cycle %d (%s): as the row wants after %d triggers\n", cyc,
			       ev_names[how], tries);
		for (i = 0; i < n; i++)
			ndrop += bos[i].zero;
		for (r = 0; r < nrd; r++) {
			int rd = (r + cyc) % nrd;
			long rb = read_back(rd, &a, &b, bos, n, set, &checked);

			if (rb < 0)
				goto out;
			if (rb)
				printf("  cycle %d (%s): %s read %ld wrong words\n", cyc,
				       ev_names[how], rd_names[rd], rb);
			bad += rb;
		}
		/* The loss reported once, and only for what was dropped. */
		for (i = 0; i < n && mode != MODE_PLAIN && mode != MODE_PRESSURE; i++) {
			int r0 = bo_madvise(a.fd, bos[i].h, DRM_PANTHOR_PRC_MADV_WILLNEED);
			int r1 = bo_madvise(a.fd, bos[i].h, DRM_PANTHOR_PRC_MADV_WILLNEED);

			/* Counted every time, printed the first 4. */
			if ((r0 != !bos[i].zero || r1 != 1) && retained_bad++ < 4) {
				printf("  BO %d: BO_MADVISE retained %d then %d,", i, r0, r1);
				printf(" expected %d then 1\n", !bos[i].zero);
			}
			bos[i].dontneed = 0;
		}
		if (bad)
			break;
		for (i = 0; i < n; i++)
			bos[i].gen++;
		if (cyc + 1 < ncyc && !row_fill(src, &a, &b, bos, n, set))
			goto out;
	}
	ok = !bad && !retained_bad;
	printf("  %s: %d BOs, %ld KiB, %d cycles (%s), BOs out per cycle:", name, n, pages * 4,
	       ncyc, mode == MODE_PRESSURE ? "pressure" : "shrink, reclaim_client alternately");
	for (i = 0; i < ncyc && i < 8; i++)
		printf(" %d/%d", outs[i], n);
	printf("; pages evicted %ld purged %ld discarded %ld;\n",
	       reclaim_stat("evicted_pages") - ev0, reclaim_stat("purged_pages") - pu0,
	       reclaim_stat("discarded_pages") - di0);
	printf("    read back by");
	for (r = 0; r < nrd; r++)
		printf(" %s", rd_names[r]);
	printf(": %ld of %ld words wrong (%d BO-cycles dropped: zeroes expected)", bad, checked,
	       ndrop);
	if (mode == MODE_MADVISE || mode == MODE_DISCARD)
		printf(", BO_MADVISE retained wrong %d times%s", retained_bad,
		       src == SRC_DMABUF ? " (exported: swapped, never dropped)" : "");
	printf("\n");
out:
	bos_free(&a, &b, bos, n);
	ctx_close(&b);
	ctx_close(&a);
	return report(name, ok);
}

/* ---- huge BOs and sparse mappings ---- */

/* A job stores @v at sparse VA + 0x3000 and reads it back 2 MiB further into result[0]. */
static int sparse_check(struct ctx *c, __u32 v)
{
	c->result[0] = 0;
	c->stream[c->n++] = CS_MOVE48(0, SPARSE_VA + 0x3000);
	c->stream[c->n++] = CS_MOVE32(2, v);
	c->stream[c->n++] = CS_STORE_MULTIPLE(2, 0, 0x1, 0);
	c->stream[c->n++] = CS_MOVE48(4, SPARSE_VA + 0x3000 + (2 << 20));
	c->stream[c->n++] = CS_LOAD_MULTIPLE(6, 4, 0x1, 0);
	c->stream[c->n++] = CS_MOVE48(0, RESULT_VA);
	c->stream[c->n++] = CS_STORE_MULTIPLE(6, 0, 0x1, 0);
	return ctx_run(c) && expect(c->result[0] == v, "the sparse range lost its page");
}

static int run_huge(void)
{
	const __u32 sparse = DRM_PANTHOR_VM_BIND_OP_TYPE_MAP | DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE |
			     DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC;
	struct bo_state before[3], after[3];
	struct ibo bos[3];
	struct ctx a;
	unsigned int set = ++label_set;
	long bad = 0, checked = 0, ev0 = reclaim_stat("evicted_pages");
	int ok = 0, cyc, i, outs = 0;

	if (!wanted("huge"))
		return 1;
	bos_init(bos, ARRAY_SIZE(bos));
	if (!ctx_open(&a))
		goto out;
	for (i = 0; i < 3; i++) {
		bos[i].size = i == 0 ? 2 << 20 : i == 1 ? 4 << 20 : 256 << 10;
		bos[i].va = BO_VA + (i * (8ull << 20));	/* 2 MiB-aligned */
		if (!expect(!bo_create(&a, bos[i].size, 0, i == 1, &bos[i].h), "BO_CREATE") ||
		    !expect(!set_label(a.fd, bos[i].h, set, i), "BO_SET_LABEL") ||
		    !expect(!vm_bind(&a, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bos[i].h, bos[i].va,
				     bos[i].size), "VM_BIND at a 2 MiB-aligned VA"))
			goto out;
		bos[i].map = map_handle(a.fd, bos[i].h, bos[i].size);
		if (!bos[i].map)
			goto out;
	}
	if (!expect(!vm_bind(&a, sparse, 0, SPARSE_VA, 4 << 20), "VM_BIND sparse (1.9)"))
		goto out;
	for (cyc = 0; cyc < cycles; cyc++) {
		int how = (cyc & 1) ? EV_CLIENT : EV_SHRINK;

		for (i = 0; i < 3; i++) {
			__u32 base = bo_base(set, i, bos[i].gen);

			cpu_fill(bos[i].map, bos[i].size, base, 16);
			if (!gpu_fill(&a, &bos[i], base, 16))
				goto out;
		}
		if (!ctx_run(&a) || !sparse_check(&a, 0x5ba70000 + cyc) ||
		    !evict_bos(how, set, 3, 0x7, before, after))
			goto out;
		for (i = 0; i < 3; i++)
			if (!expect(after[i].evicted && !after[i].resident &&
				    after[i].evictions > before[i].evictions,
				    "a huge BO was not evicted"))
				goto out;
		outs += 3;
		bad += gpu_check(&a, bos, 3, set, 16, &checked);
		for (i = 0; i < 3; i++)
			bad += cpu_check(bos[i].map, &bos[i], set, "cpu-mmap", &checked);
		if (!sparse_check(&a, 0x5ba71000 + cyc))
			goto out;
		for (i = 0; i < 3; i++)
			bos[i].gen++;
	}
	ok = !bad;
	printf("  huge: 2 MiB and 4 MiB BOs (and 256 KiB) at 2 MiB-aligned VAs");
	printf(" with a 4 MiB sparse\n");
	printf("    mapping in their VM, %d cycles: %d BO evictions (%ld pages),", cycles, outs,
	       reclaim_stat("evicted_pages") - ev0);
	printf(" GPU and CPU read %ld of %ld words wrong,\n", bad, checked);
	printf("    the sparse range stored and read 2 MiB further before and after each\n");
out:
	bos_free(&a, NULL, bos, 3);
	ctx_close(&a);
	return report("huge", ok);
}

/* ---- foreign exporter (vgem), attachment pins ---- */

/* The primary node of vgem, or -1. */
static int open_vgem(void)
{
	char path[32], name[16];
	int i;

	for (i = 0; i < 16; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
		int f;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(f, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return f;
		close(f);
	}
	return -1;
}

static int run_foreign(void)
{
	struct drm_mode_create_dumb cd = { .width = 1024, .height = 64, .bpp = 32 };
	struct drm_mode_map_dumb md = { 0 };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct bo_state before[4], after[4];
	struct ibo bos[4];
	struct ctx a;
	unsigned int set = ++label_set;
	long bad = 0, checked = 0, vbad;
	int vg = -1, ok = 0, i, cyc, pinned_ok = -1, pins = 0;
	__u32 *vmap = MAP_FAILED, vh = 0;
	char reason[128] = "";

	if (!wanted("foreign"))
		return 1;
	bos_init(bos, ARRAY_SIZE(bos));
	vg = open_vgem();
	if (vg < 0) {
		printf("  no vgem card (modprobe vgem): no foreign exporter\n");
		printf("Subtest foreign: SKIP\n");
		return 1;
	}
	if (!ctx_open(&a))
		goto out;
	/* BO 0: the vgem dumb buffer, imported. */
	if (!expect(!ioctl(vg, DRM_IOCTL_MODE_CREATE_DUMB, &cd), "vgem CREATE_DUMB"))
		goto out;
	md.handle = cd.handle;
	if (!expect(!ioctl(vg, DRM_IOCTL_MODE_MAP_DUMB, &md), "vgem MAP_DUMB"))
		goto out;
	vmap = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, vg, md.offset);
	if (!expect(vmap != MAP_FAILED, "mmap of the vgem buffer"))
		goto out;
	bos[0].size = cd.size;
	bos[0].va = BO_VA;
	cpu_fill(vmap, cd.size, bo_base(set, 0, 0), 0);
	ph.handle = cd.handle;
	if (!expect(!ioctl(vg, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), "vgem PRIME_HANDLE_TO_FD"))
		goto out;
	bos[0].dmabuf = ph.fd;
	ph.handle = 0;
	if (!expect(!ioctl(a.fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), "import the vgem dma-buf") ||
	    !expect(!vm_bind(&a, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, ph.handle, BO_VA, cd.size),
		    "VM_BIND of the import"))
		goto out;
	bos[0].h = ph.handle;
	if (set_label(a.fd, bos[0].h, set, 0))
		printf("  BO_SET_LABEL on the import: %s\n", strerror(errno));
	/* BOs 1-3: ours, bound; BO 3 exported and imported into vgem (pinned by the attachment). */
	for (i = 1; i < 4; i++) {
		bos[i].size = 256 << 10;
		bos[i].va = BO_VA + i * (1ull << 20);
		if (!expect(!bo_create(&a, bos[i].size, 0, 0, &bos[i].h), "BO_CREATE") ||
		    !expect(!set_label(a.fd, bos[i].h, set, i), "BO_SET_LABEL") ||
		    !expect(!vm_bind(&a, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bos[i].h, bos[i].va,
				     bos[i].size), "VM_BIND"))
			goto out;
		bos[i].map = map_handle(a.fd, bos[i].h, bos[i].size);
		if (!bos[i].map)
			goto out;
		cpu_fill(bos[i].map, bos[i].size, bo_base(set, i, 0), 0);
	}
	ph = (struct drm_prime_handle){ .handle = bos[3].h, .flags = DRM_CLOEXEC | DRM_RDWR };
	if (!expect(!ioctl(a.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), "PRIME_HANDLE_TO_FD"))
		goto out;
	bos[3].dmabuf = ph.fd;
	ph.handle = 0;
	if (ioctl(vg, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph))
		snprintf(reason, sizeof(reason), "vgem cannot import a panthor dma-buf: %s",
			 strerror(errno));
	else
		vh = ph.handle;
	if (vh && gems_read(set, after, 4)) {
		pins = after[3].pins;
		if (!pins)
			snprintf(reason, sizeof(reason),
				 "vgem's import attached without pinning (gems pin_count 0)");
	}
	/* A job after the fills, so that the VM has run. */
	a.stream[a.n++] = CS_MOVE32(2, 1);
	if (!ctx_run(&a))
		goto out;
	for (cyc = 0; cyc < cycles; cyc++) {
		int how = (cyc & 1) ? EV_CLIENT : EV_SHRINK;

		/* BO 3 stays while vgem's attachment pins it. */
		if (!evict_bos(how, set, 4, vh && !reason[0] ? 0x6 : 0xe, before, after))
			goto out;
		if (!expect(after[0].found, "the import (labelled) not in gems") ||
		    !expect(!strncmp(after[0].kind, "imported", 8), "gems does not say imported") ||
		    !expect(!after[0].evicted && after[0].evictions == 0 &&
			    (!after[0].reclaim[0] || !strcmp(after[0].reclaim, "unreclaimable")),
			    "the import was evicted or is reclaimable") ||
		    !expect(after[1].evicted && after[2].evicted &&
			    after[1].evictions > before[1].evictions,
			    "our BOs next to the import were not evicted"))
			goto out;
		if (vh && !reason[0])
			pinned_ok = expect(after[3].resident && !after[3].evicted &&
					   after[3].evictions == before[3].evictions,
					   "a BO pinned by vgem's attachment was evicted");
		else if (!expect(after[3].evicted, "exported BO not evicted"))
			goto out;
		if (!pinned_ok)
			goto out;
		bad += gpu_check(&a, bos, 4, set, 1, &checked);
		vbad = cpu_check(vmap, &bos[0], set, "vgem-mmap", &checked);
		bad += vbad;
		for (i = 1; i < 4; i++)
			bad += cpu_check(bos[i].map, &bos[i], set, "cpu-mmap", &checked);
		if (!bos[0].map)
			bos[0].map = map_handle(a.fd, bos[0].h, bos[0].size);
		if (!bos[0].map)
			goto out;
		bad += cpu_check(bos[0].map, &bos[0], set, "panthor-mmap-of-import", &checked);
	}
	printf("  foreign: a vgem dumb buffer (%llu KiB) imported and GPU-mapped,",
	       (unsigned long long)cd.size >> 10);
	printf(" %d cycles: gems\n", cycles);
	printf("    says imported, evicted=no, evictions=%d, reclaim=%s,", after[0].evictions,
	       after[0].reclaim[0] ? after[0].reclaim : "(untracked)");
	printf(" while our BOs next to it were\n");
	printf("    evicted %d times; read back by GPU, vgem mmap and panthor mmap:",
	       after[1].evictions);
	printf(" %ld of %ld words wrong\n", bad, checked);
	if (reason[0]) {
		printf("  attachment pin: skipped: %s\n", reason);
	} else {
		/* vgem lets go: the BO is evicted at the next shrink, intact. */
		gem_close(vg, vh);
		vh = 0;
		if (!evict_bos(EV_SHRINK, set, 4, 0x8, before, after))
			goto out;
		pinned_ok = expect(after[3].evicted && after[3].evictions > before[3].evictions,
				   "the BO not evicted after vgem closed its import");
		bad += cpu_check(bos[3].map, &bos[3], set, "cpu-mmap", &checked);
		printf("  attachment pin: a BO imported into vgem (pin_count %d) stayed resident",
		       pins);
		printf(" through %d evictions;\n", cycles);
		printf("    evicted at the first shrink after vgem closed it, read back intact:");
		printf(" %s\n", pinned_ok && !bad ? "yes" : "no");
	}
	ok = !bad && pinned_ok;
out:
	if (vh)
		gem_close(vg, vh);
	if (vmap != MAP_FAILED)
		munmap(vmap, cd.size);
	bos_free(&a, NULL, bos, 4);
	ctx_close(&a);
	if (cd.handle)
		gem_close(vg, cd.handle);
	close(vg);
	return report("foreign", ok);
}

/* ---- busy BOs ---- */

static int run_busy(void)
{
	struct bo_state before[2], after[2];
	struct ibo bos[2];
	struct ctx a, c2 = { .fd = -1 };
	unsigned int set = ++label_set;
	struct drm_syncobj_create sc = { 0 };
	struct drm_syncobj_destroy sd = { 0 };
	__u32 *flag;
	long bad = 0, checked = 0;
	int ok = 0, i, kept = 0, went = 0, blocked = 0;
	__u64 *rel;
	__u32 base;

	if (!wanted("busy"))
		return 1;
	bos_init(bos, ARRAY_SIZE(bos));
	if (!ctx_open(&a) || !ctx_open(&c2))
		goto out;
	/* BO 0 in a's VM, used by the blocked job; BO 1 an idle client's. */
	for (i = 0; i < 2; i++) {
		struct ctx *c = i ? &c2 : &a;

		bos[i].size = 128 << 10;
		bos[i].va = BO_VA;
		if (!expect(!bo_create(c, bos[i].size, 0, 0, &bos[i].h), "BO_CREATE") ||
		    !expect(!set_label(c->fd, bos[i].h, set, i), "BO_SET_LABEL") ||
		    !expect(!vm_bind(c, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bos[i].h, bos[i].va,
				     bos[i].size), "VM_BIND"))
			goto out;
		bos[i].map = map_handle(c->fd, bos[i].h, bos[i].size);
		if (!bos[i].map)
			goto out;
		cpu_fill(bos[i].map, bos[i].size, bo_base(set, i, 0), 1);
		if (!gpu_fill(c, &bos[i], bo_base(set, i, 0), 1) || !ctx_run(c))
			goto out;
	}
	/* The job waits for the flag, then stores generation 1's GPU words in BO 0. */
	flag = (__u32 *)((char *)a.stream + FLAG_OFF);
	__atomic_store_n(flag, 0, __ATOMIC_RELEASE);
	base = bo_base(set, 0, 1);
	a.stream[a.n++] = CS_MOVE48(4, STREAM_VA + FLAG_OFF);
	a.stream[a.n++] = CS_MOVE32(3, 0);
	a.stream[a.n++] = CS_SYNC_WAIT32(CS_COND_GREATER, 3, 4);
	if (!gpu_fill(&a, &bos[0], base, 1))
		goto out;
	cpu_fill(bos[0].map, bos[0].size, base, 1);
	if (!ctx_push(&a))
		goto out;
	usleep(50000);
	if (!evict_bos(EV_SHRINK, set, 2, 0x2, before, after))
		goto out;
	kept = after[0].resident && after[0].evictions == before[0].evictions;
	went = after[1].evicted && after[1].evictions > before[1].evictions;
	blocked = bos[0].map[0] == 0xffffffffu;
	/* The CPU releases it: a job on the group's other queue sets the flag. */
	rel = (__u64 *)((char *)a.stream + RELEASE_OFF);
	rel[0] = CS_MOVE48(4, STREAM_VA + FLAG_OFF);
	rel[1] = CS_MOVE32(3, 1);
	rel[2] = CS_SYNC_SET32(3, 4);
	if (!expect(!ioctl(a.fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE") ||
	    !ctx_push_at(&a, 1, RELEASE_OFF, 3, sc.handle) ||
	    !expect(!syncobj_wait(a.fd, sc.handle), "the release job not done within 60 s") ||
	    !ctx_wait(&a))
		goto out;
	bos[0].gen = 1;
	if (!expect(blocked, "the job went past its SYNC_WAIT before the release") ||
	    !expect(kept, "the BO of a running job was evicted") ||
	    !expect(went, "the idle client's BO was not evicted"))
		goto out;
	bad += cpu_check(bos[0].map, &bos[0], set, "cpu-mmap", &checked);
	if (!evict_bos(EV_SHRINK, set, 2, 0x1, before, after) ||
	    !expect(after[0].evicted && after[0].evictions > before[0].evictions,
		    "the BO not evicted once its job was done"))
		goto out;
	bad += gpu_check(&a, bos, 1, set, 1, &checked);
	bad += cpu_check(bos[0].map, &bos[0], set, "cpu-mmap", &checked);
	bad += gpu_check(&c2, bos + 1, 1, set, 1, &checked);
	ok = !bad;
	printf("  busy: a BO whose job waits on SYNC_WAIT stayed resident through a shrink that\n");
	printf("    evicted an idle client's BO; released, the job's stores landed;");
	printf(" evicted after it,\n");
	printf("    read back by CPU and GPU: %ld of %ld words wrong\n", bad, checked);
out:
	sd.handle = sc.handle;
	if (sc.handle)
		ioctl(a.fd, DRM_IOCTL_SYNCOBJ_DESTROY, &sd);
	if (bos[1].map)
		munmap(bos[1].map, bos[1].size);
	bos[1].map = NULL;
	gem_close(c2.fd, bos[1].h);
	bos_free(&a, NULL, bos, 1);
	ctx_close(&c2);
	ctx_close(&a);
	return report("busy", ok);
}

/* ---- concurrency ---- */

struct churn {
	int stop;
	long iterations, bad, failures;
};

/* A client that comes and goes: everything from open to close, checked, @iters times. */
static void churn_client(struct churn *s, int me)
{
	struct ibo bos[4];
	unsigned int set = 1000 + me;
	long checked = 0;
	int it, i;

	for (it = 0; !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE) && it < 6; it++) {
		struct ctx c;
		int ok = 0;

		bos_init(bos, ARRAY_SIZE(bos));
		if (!ctx_open(&c))
			goto next;
		for (i = 0; i < 4; i++) {
			bos[i].size = sizes[i];
			bos[i].va = BO_VA + i * (1ull << 20);
			bos[i].gen = it;
			if (bo_create(&c, bos[i].size, 0, i & 1, &bos[i].h) ||
			    vm_bind(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_MAP, bos[i].h, bos[i].va,
				    bos[i].size))
				goto next;
			bos[i].map = map_handle(c.fd, bos[i].h, bos[i].size);
			if (!bos[i].map)
				goto next;
			cpu_fill(bos[i].map, bos[i].size, bo_base(set, i, it), 1);
			if (!gpu_fill(&c, &bos[i], bo_base(set, i, it), 1))
				goto next;
		}
		if (!ctx_run(&c))
			goto next;
		/* Unmap half from the GPU and the CPU; check the rest by GPU, all by CPU. */
		for (i = 2; i < 4; i++) {
			munmap(bos[i].map, bos[i].size);
			bos[i].map = NULL;
			if (vm_bind(&c, DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, 0, bos[i].va,
				    bos[i].size))
				goto next;
		}
		i = gpu_check(&c, bos, 2, set, 1, &checked);
		if (i < 0)
			goto next;
		__atomic_add_fetch(&s->bad, i, __ATOMIC_RELAXED);
		for (i = 0; i < 4; i++) {
			__u32 *p = bos[i].map;

			if (!p)
				p = map_handle(c.fd, bos[i].h, bos[i].size);
			if (!p)
				goto next;
			__atomic_add_fetch(&s->bad, cpu_check(p, &bos[i], set, "churn", &checked),
					   __ATOMIC_RELAXED);
			if (p != bos[i].map)
				munmap(p, bos[i].size);
		}
		ok = 1;
next:
		if (!ok)
			__atomic_add_fetch(&s->failures, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&s->iterations, 1, __ATOMIC_RELAXED);
		bos_free(&c, NULL, bos, 4);
		/* Every other iteration leaves its file to exit() to close. */
		if (it & 1)
			ctx_close(&c);
	}
	_exit(0);
}

#define CHURNERS	3

static int run_concurrent(void)
{
	struct bo_state before[16], after[16];
	struct ibo bos[16];
	struct ctx a;
	struct churn *s;
	pid_t pids[CHURNERS] = { 0 };
	unsigned int set = ++label_set;
	long bad = 0, checked = 0;
	int ok = 0, i, cyc, forks = 0, nout = 0, tries = 0, status;
	const int n = 16, ncyc = cycles * 2;

	if (!wanted("concurrent"))
		return 1;
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return report("concurrent", 0);
	memset(s, 0, sizeof(*s));
	bos_init(bos, ARRAY_SIZE(bos));
	if (!ctx_open(&a) || !row_setup(SRC_GPU, MODE_PLAIN, &a, NULL, bos, n, set) ||
	    !row_fill(SRC_GPU, &a, NULL, bos, n, set))
		goto out;
	for (cyc = 0; cyc < ncyc; cyc++) {
		int how = (cyc & 1) ? EV_CLIENT : EV_SHRINK, all;

		for (i = 0; i < CHURNERS; i++) {
			if (pids[i] && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				if (!WIFEXITED(status) || WEXITSTATUS(status))
					s->failures++;
				pids[i] = 0;
			}
			if (!pids[i]) {
				pids[i] = fork();
				if (!pids[i])
					churn_client(s, forks);
				forks++;
			}
		}
		/*
		 * A shrink may find the scan busy with another, or a BO's lock
		 * held by a churner's bind: again until all of ours are out.
		 */
		for (all = 0, tries = 0; !all && tries < 20; tries++) {
			if (!gems_read(set, before, n) || !evict(how, set, n) ||
			    !gems_read(set, after, n))
				goto out;
			for (all = 1, i = 0; i < n; i++)
				all &= !after[i].resident;
			usleep(all ? 0 : 50000);
		}
		if (!expect(all, "our idle BOs not all evicted in 20 tries"))
			goto out;
		nout += n;
		for (i = 0; i < 2; i++) {
			long rb = read_back((cyc + i) & 1 ? RD_GPU : RD_CPU, &a, NULL, bos, n, set,
					    &checked);

			if (rb < 0)
				goto out;
			bad += rb;
		}
		for (i = 0; i < n; i++)
			bos[i].gen++;
		if (!row_fill(SRC_GPU, &a, NULL, bos, n, set))
			goto out;
	}
	ok = 1;
out:
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < CHURNERS; i++)
		if (pids[i] > 0 && (waitpid(pids[i], &status, 0) != pids[i] ||
				    !WIFEXITED(status) || WEXITSTATUS(status)))
			s->failures++;
	ok = ok && !bad && !s->bad && !s->failures && s->iterations > 0;
	printf("  concurrent: %d cycles of evicting (shrink, reclaim_client)", ncyc);
	printf(" and reading back %d BOs\n", n);
	printf("    (%d BO evictions) while %d clients came and went", nout, forks);
	printf(" (%ld iterations of open, create,\n", s->iterations);
	printf("    bind, fill by CPU and GPU, unbind, check, close or exit):");
	printf(" ours %ld of %ld words\n", bad, checked);
	printf("    wrong, theirs %ld words wrong, %ld iterations failed\n", s->bad, s->failures);
	bos_free(&a, NULL, bos, n);
	ctx_close(&a);
	munmap(s, sizeof(*s));
	return report("concurrent", ok);
}

int main(int argc, char **argv)
{
	struct drm_panthor_prc_extensions ext = { 0 };
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS, .size = sizeof(ext),
		.pointer = (uintptr_t)&ext,
	};
	static const int counts[] = { 8, 32 };
	struct drm_version v;
	char path[64], total[160];
	int opt, fd, src, mode, k;

	while ((opt = getopt(argc, argv, "c:")) != -1) {
		switch (opt) {
		case 'c':
			cycles = atoi(optarg);
			break;
		default:
			fputs("usage: panthor-integrity [-c CYCLES] [SUBTEST...]\n", stderr);
			return 2;
		}
	}
	if (cycles < 1 || cycles > 8)
		cycles = 2;
	only = argv + optind;
	nonly = argc - optind;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_panthor(&v, path, sizeof(path));
	if (fd < 0 || ioctl(fd, DRM_IOCTL_PANTHOR_DEV_QUERY, &q) ||
	    !(ext.mask & DRM_PANTHOR_PRC_EXT_RECLAIM) || !ext.reclaim_enabled) {
		printf("panthor-integrity: no panthor-reclaim node with reclaim enabled\n");
		return 77;
	}
	close(fd);
	row_start = now();
	for (src = SRC_GPU; src <= SRC_DMABUF; src++)
		for (mode = MODE_PLAIN; mode <= MODE_PRESSURE; mode++)
			for (k = 0; k < 2; k++)
				run_row(src, mode, counts[k]);
	run_huge();
	run_foreign();
	run_busy();
	run_concurrent();
	gems_total(total, sizeof(total));
	printf("panthor-integrity: %d failed; gems after closing every file: %s\n", failed_rows,
	       total);
	return failed_rows ? 1 : 0;
}
