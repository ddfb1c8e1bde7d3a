// SPDX-License-Identifier: GPL-2.0-only
/*
 * panthor-pressure: the memory-pressure workload of the reclaim tests, run
 * the same way under every driver that answers to "panthor".
 *
 * N processes (-n, default 4) each create BOs totalling -m MiB (default 256)
 * in their own VM and fill each as soon as it is made (an application
 * uploading what it allocates), with a pattern that depends on the seed, the
 * process, the BO and the page: even BOs entirely by the CPU through mmap,
 * odd BOs by the CPU except for the first -g words (default 4) of every
 * -G'th page (default every page), which the CPU leaves poisoned and a GPU
 * job (CS STORE_MULTIPLE) writes. Every BO stays bound in the VM (idle
 * GPU-mapped memory, what a shrinker must handle), or with -B only while a
 * job uses it. Then all processes meet at a barrier (after -i SECONDS of
 * idling, the window in which a test reclaims: the line "PRESSURE-IDLE"
 * says when it starts, and a SIGUSR1 to this process ends it early), and
 * every BO is read back: four pages of each by a
 * GPU job that copies them into a small result BO (CS LOAD_MULTIPLE and
 * STORE_MULTIPLE), then all of it by the CPU through mmap.
 *
 * Each process reports what it completed or the first ioctl that failed and
 * its errno, the bytes verified and the bytes lost (read back different from
 * what was written: must be 0 whatever else happens). A process that cannot
 * create or fill all its BOs stops allocating and still verifies the ones it
 * filled; one killed (the OOM killer) is reported with its signal, one still
 * running -T seconds (default 240) after the start is killed and reported
 * as timed out. The workers set their oom_score_adj to 0, so a harness that
 * protects itself with -1000 does not protect them; the parent keeps the
 * one it was started with.
 *
 *   -b SIZES   BO sizes, comma-separated, cycled: "8" MiB (default), "512k",
 *              "8,64k,2"
 *   -c COUNT   BOs per process (default: as many as -m MiB takes)
 *   -s SEED    pattern seed (default 1)
 *   -R         incompressible data (a hash per word) instead of a 64-byte
 *              block repeated over each page (which zram compresses)
 *   -S         one GPU job at a time across the processes (a file lock)
 *   -E         one process at a time fills, and one at a time reads back
 *              (the same lock held for the whole stage): the others idle,
 *              like background applications, whose memory a driver that
 *              reclaims can take while the active one works
 *   -P MIB     instead of the workload: MADV_PAGEOUT of MIB MiB of anonymous
 *              memory filled the same way, then touched back, both timed
 *              (the kernel's own swap path, for comparisons)
 *
 * The last line is "PRESSURE-SUMMARY key=value..." for scripts. Exit 0 when
 * no byte was lost (whether or not everything completed), 1 otherwise, 77
 * when there is no panthor render node.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "panthor_drm.h"
#include "panthor-util.h"

#define PAGE		4096u
#define PAGE_WORDS	(PAGE / 4)
#define BLOCK_WORDS	16	/* the repeated block, and what one STORE_MULTIPLE writes */
#define MAX_PROCS	64
#define MAX_BOS		4096
#define MAX_SIZES	16

/* GPU VA layout of every process's VM: stream, results, then the BOs. */
#define STREAM_VA	0x1000000ull
#define STREAM_SIZE	(256 * 1024)
#define RESULT_VA	0x2000000ull
#define RESULT_SIZE	(64 * 1024)
#define BO_VA_BASE	0x10000000ull
#define CHECK_PAGES	4	/* pages of each BO the GPU reads back */

#define POISON		0xdeadbeefu

/* The workers poll the parent's go flag: a read the compiler may not hoist. */
#define READ_GO(s)	__atomic_load_n(&(s)->go, __ATOMIC_ACQUIRE)

enum stage {
	ST_START, ST_CREATE, ST_FILL, ST_BARRIER, ST_VERIFY, ST_DONE,
};

static const char * const stage_names[] = {
	"start", "setup", "create and fill", "barrier", "verify", "done",
};

/* What a worker reports to the parent, in memory they share. */
struct proc_report {
	int stage;
	int failed;		/* an ioctl or mmap failed: the first one below */
	char op[24];
	int err;
	int bo;			/* the BO it failed on, or -1 */
	int nbos;		/* BOs created */
	int filled;		/* BOs filled (by CPU, and GPU for odd ones) */
	int gpu_checked;	/* BOs the GPU read back */
	unsigned long long bytes;	/* created */
	unsigned long long verified;	/* read back as written */
	unsigned long long lost;	/* read back different */
	unsigned long long gpu_verified, gpu_lost;
	double t_fill, t_verify;
	double t_restore;	/* the first read-back job: the VM's restore */
};

struct shared {
	int go;		/* set by the parent, read with READ_GO() */
	struct proc_report r[MAX_PROCS];
};

/* Options. */
static int nprocs = 4;
static unsigned long long total_mib = 256;
static unsigned long long sizes[MAX_SIZES] = { 8ull << 20 };
static int nsizes = 1;
static int count;
static unsigned int seed = 1;
static int gpu_words = 4, gpu_stride = 1;
static int idle_secs;
static int idle_ended;	/* set by SIGUSR1's handler, read with __atomic_load_n() */

static int random_data;
static int pageout_mib;
static int serial_jobs;
static int exclusive_stages;
static int bind_per_job;
static int deadline_secs = 240;

/* One worker's state. */
static int fd = -1;
static struct shared *sh;
static struct proc_report *rep;
static int me;
static __u32 vm_id, group, syncobj;
static __u64 *stream;
static __u32 *result;
static int gpu_lock = -1;	/* flock()ed around each job with -S */
static int stage_lock = -1;	/* flock()ed around the fill and the verify with -E */

struct bo {
	__u32 handle;
	__u64 size, va, offset;
};

static struct bo bos[MAX_BOS];

static void idle_end(int sig)
{
	(void)sig;
	__atomic_store_n(&idle_ended, 1, __ATOMIC_RELAXED);
}

/* Record the first failure of this worker; return 0 for the caller to pass on. */
static int failed(const char *op, int bo)
{
	if (!rep->failed) {
		rep->failed = 1;
		snprintf(rep->op, sizeof(rep->op), "%s", op);
		rep->err = errno;
		rep->bo = bo;
	}
	return 0;
}

static int xioctl(unsigned long req, void *arg, const char *op, int bo)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret && (errno == EINTR || errno == EAGAIN));
	return ret ? failed(op, bo) : 1;
}

/* A 32-bit mix of four values (lowbias32 on a running sum). */
static __u32 mix(__u32 a, __u32 b, __u32 c, __u32 d)
{
	__u32 x = a * 0x9e3779b9u ^ b * 0x85ebca6bu ^ c * 0xc2b2ae35u ^ d * 0x27d4eb2fu;

	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

/*
 * The 16-word block of page @page of BO @bo: compressible data repeats it
 * over the page. Incompressible data uses it for the first block only and
 * a hash per word elsewhere (see fill_page()).
 */
static void page_block(int bo, __u32 page, __u32 *blk)
{
	int j;

	for (j = 0; j < BLOCK_WORDS; j++)
		blk[j] = mix(seed, (me << 16) | bo, page, j);
}

/* The expected content of page @page of BO @bo, all 1024 words. */
static void page_expected(int bo, __u32 page, __u32 *words)
{
	__u32 blk[BLOCK_WORDS];
	unsigned int i;

	page_block(bo, page, blk);
	for (i = 0; i < PAGE_WORDS; i += BLOCK_WORDS)
		memcpy(words + i, blk, sizeof(blk));
	if (random_data)
		for (i = BLOCK_WORDS; i < PAGE_WORDS; i++)
			words[i] = mix(seed ^ 0x5a5a5a5au, (me << 16) | bo, page, i);
}

/* Whether the GPU writes the first words of page @page of BO @bo. */
static int gpu_page(int bo, __u32 page)
{
	return (bo & 1) && gpu_words && !(page % gpu_stride);
}

static __u64 bo_size(int i)
{
	return sizes[i % nsizes];
}

/* Open the node, make the VM, the stream and result BOs, the group. */
static int gpu_open(void)
{
	struct drm_panthor_gpu_info gpu;
	struct drm_panthor_dev_query q = {
		.type = DRM_PANTHOR_DEV_QUERY_GPU_INFO, .size = sizeof(gpu),
		.pointer = (uintptr_t)&gpu,
	};
	struct drm_panthor_vm_create vc = { 0 };
	struct drm_panthor_queue_create queue = { .ringbuf_size = 4096 };
	struct drm_panthor_group_create gc = { 0 };
	struct drm_syncobj_create sc = { 0 };
	struct drm_version v;
	char path[64];

	fd = open_panthor(&v, path, sizeof(path));
	if (fd < 0) {
		errno = ENODEV;
		return failed("open", -1);
	}
	if (!xioctl(DRM_IOCTL_PANTHOR_DEV_QUERY, &q, "DEV_QUERY", -1) ||
	    !xioctl(DRM_IOCTL_PANTHOR_VM_CREATE, &vc, "VM_CREATE", -1))
		return 0;
	vm_id = vc.id;
	if (!xioctl(DRM_IOCTL_SYNCOBJ_CREATE, &sc, "SYNCOBJ_CREATE", -1))
		return 0;
	syncobj = sc.handle;
	gc = (struct drm_panthor_group_create) {
		.queues = DRM_PANTHOR_OBJ_ARRAY(1, &queue),
		.max_compute_cores = 1, .max_fragment_cores = 1, .max_tiler_cores = 1,
		.priority = PANTHOR_GROUP_PRIORITY_MEDIUM,
		.compute_core_mask = gpu.shader_present,
		.fragment_core_mask = gpu.shader_present,
		.tiler_core_mask = gpu.tiler_present,
		.vm_id = vm_id,
	};
	if (!xioctl(DRM_IOCTL_PANTHOR_GROUP_CREATE, &gc, "GROUP_CREATE", -1))
		return 0;
	group = gc.group_handle;
	return 1;
}

/* Map (@map) or unmap BO @b at its VA in the worker's VM. */
static int bo_bind(struct bo *b, int map, int idx)
{
	struct drm_panthor_vm_bind_op op = {
		.flags = map ? DRM_PANTHOR_VM_BIND_OP_TYPE_MAP : DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP,
		.bo_handle = map ? b->handle : 0, .va = b->va, .size = b->size,
	};
	struct drm_panthor_vm_bind vb = { .vm_id = vm_id, .ops = DRM_PANTHOR_OBJ_ARRAY(1, &op) };

	return xioctl(DRM_IOCTL_PANTHOR_VM_BIND, &vb, map ? "VM_BIND" : "VM_BIND (unmap)", idx);
}

/*
 * Create one BO of @size at @va, bind it (unless it is bound only for its
 * jobs, -B) and get its mmap offset.
 */
static int bo_new(__u64 size, __u64 va, struct bo *b, int idx, int bind)
{
	struct drm_panthor_bo_create bc = { .size = size, .exclusive_vm_id = vm_id };
	struct drm_panthor_bo_mmap_offset mo = { 0 };

	if (!xioctl(DRM_IOCTL_PANTHOR_BO_CREATE, &bc, "BO_CREATE", idx))
		return 0;
	b->handle = bc.handle;
	b->size = size;
	b->va = va;
	mo.handle = bc.handle;
	if ((bind && !bo_bind(b, 1, idx)) ||
	    !xioctl(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET, &mo, "BO_MMAP_OFFSET", idx))
		return 0;
	b->offset = mo.offset;
	return 1;
}

static void *bo_map(struct bo *b, int idx)
{
	void *p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, b->offset);

	if (p == MAP_FAILED) {
		failed("mmap", idx);
		return NULL;
	}
	return p;
}

/* Submit the @n instructions at the start of the stream BO and wait for them. */
static int gpu_run(int n, const char *what, int idx)
{
	struct drm_panthor_sync_op sync = {
		.flags = DRM_PANTHOR_SYNC_OP_SIGNAL, .handle = syncobj,
	};
	struct drm_panthor_queue_submit qs = {
		.stream_addr = STREAM_VA, .stream_size = n * 8,
		.syncs = DRM_PANTHOR_OBJ_ARRAY(1, &sync),
	};
	struct drm_panthor_group_submit gs = {
		.group_handle = group, .queue_submits = DRM_PANTHOR_OBJ_ARRAY(1, &qs),
	};
	struct drm_syncobj_wait w = { .handles = (uintptr_t)&syncobj, .count_handles = 1 };
	struct drm_panthor_group_get_state st = { .group_handle = group };
	struct timespec t;

	int ok;

	if (!n)
		return 1;
	if (gpu_lock >= 0)
		flock(gpu_lock, LOCK_EX);
	ok = xioctl(DRM_IOCTL_PANTHOR_GROUP_SUBMIT, &gs, what, idx);
	clock_gettime(CLOCK_MONOTONIC, &t);
	/* Generous: TCG under swap pressure is slow, a lost job is what we look for. */
	w.timeout_nsec = (t.tv_sec + 120) * 1000000000ll + t.tv_nsec;
	ok = ok && xioctl(DRM_IOCTL_SYNCOBJ_WAIT, &w, "SYNCOBJ_WAIT", idx);
	if (gpu_lock >= 0)
		flock(gpu_lock, LOCK_UN);
	if (!ok || !xioctl(DRM_IOCTL_PANTHOR_GROUP_GET_STATE, &st, "GROUP_GET_STATE", idx))
		return 0;
	if (st.state) {
		errno = EIO;
		return failed("job (group state)", idx);
	}
	return 1;
}

/* Make the stream and result BOs every GPU job of this worker uses. */
static int gpu_buffers(void)
{
	struct bo s, r;

	if (!bo_new(STREAM_SIZE, STREAM_VA, &s, -1, 1) ||
	    !bo_new(RESULT_SIZE, RESULT_VA, &r, -1, 1))
		return 0;
	stream = bo_map(&s, -1);
	result = bo_map(&r, -1);
	return stream && result;
}

/* CPU part of the fill of BO @idx at @p; GPU-written words stay POISON. */
static void cpu_fill(int idx, __u32 *p, __u64 size)
{
	__u32 words[PAGE_WORDS];
	__u32 page;
	int j;

	for (page = 0; page < size / PAGE; page++) {
		page_expected(idx, page, words);
		if (gpu_page(idx, page))
			for (j = 0; j < gpu_words; j++)
				words[j] = POISON;
		memcpy(p + (__u64)page * PAGE_WORDS, words, PAGE);
	}
}

/* GPU part of the fill of BO @idx: the first gpu_words words of its GPU pages. */
static int gpu_fill(int idx)
{
	struct bo *b = &bos[idx];
	int max = STREAM_SIZE / 8 - BLOCK_WORDS - 2, n = 0, j;
	__u32 blk[BLOCK_WORDS], page;

	if (bind_per_job && !bo_bind(b, 1, idx))
		return 0;

	for (page = 0; page < b->size / PAGE; page++) {
		if (!gpu_page(idx, page))
			continue;
		if (n > max - gpu_words - 2) {
			if (!gpu_run(n, "GROUP_SUBMIT (fill)", idx))
				return 0;
			n = 0;
		}
		page_block(idx, page, blk);
		stream[n++] = CS_MOVE48(0, b->va + (__u64)page * PAGE);
		for (j = 0; j < gpu_words; j++)
			stream[n++] = CS_MOVE32(2 + j, blk[j]);
		stream[n++] = CS_STORE_MULTIPLE(2, 0, (1u << gpu_words) - 1, 0);
	}
	return gpu_run(n, "GROUP_SUBMIT (fill)", idx) && (!bind_per_job || bo_bind(b, 0, idx));
}

/* The pages of a BO of @npages the GPU reads back. */
static __u32 check_page(__u32 npages, int k)
{
	return (__u32)((__u64)(npages - 1) * k / (CHECK_PAGES - 1));
}

/*
 * GPU read-back of BO @idx: a job copies the first 16 words of CHECK_PAGES
 * of its pages into the result BO, then the CPU compares them with the
 * pattern. One job per BO: with -B the BO is bound for it only.
 */
static int gpu_verify(int idx)
{
	__u32 blk[BLOCK_WORDS], *got = result, pages = bos[idx].size / PAGE;
	int n = 0, k, j;

	if (bind_per_job && !bo_bind(&bos[idx], 1, idx))
		return 0;
	memset(result, 0, CHECK_PAGES * sizeof(blk));
	for (k = 0; k < CHECK_PAGES; k++) {
		stream[n++] = CS_MOVE48(0, bos[idx].va + (__u64)check_page(pages, k) * PAGE);
		stream[n++] = CS_LOAD_MULTIPLE(2, 0, 0xffff, 0);
		stream[n++] = CS_MOVE48(0, RESULT_VA + k * sizeof(blk));
		stream[n++] = CS_STORE_MULTIPLE(2, 0, 0xffff, 0);
	}
	if (!gpu_run(n, "GROUP_SUBMIT (check)", idx) ||
	    (bind_per_job && !bo_bind(&bos[idx], 0, idx)))
		return 0;
	for (k = 0; k < CHECK_PAGES; k++, got += BLOCK_WORDS) {
		page_block(idx, check_page(pages, k), blk);
		for (j = 0; j < BLOCK_WORDS; j++) {
			if (got[j] == blk[j]) {
				rep->gpu_verified += 4;
				continue;
			}
			rep->gpu_lost += 4;
			printf("panthor-pressure: proc %d BO %d page %u word %d: ", me, idx,
			       check_page(pages, k), j);
			printf("the GPU read 0x%08x, expected 0x%08x\n", got[j], blk[j]);
		}
	}
	rep->gpu_checked++;
	return 1;
}

/* CPU read-back of BO @idx; counts verified and lost bytes. */
static void cpu_verify(int idx)
{
	__u32 words[PAGE_WORDS];
	__u32 *p, page, j;
	int shown = 0;

	p = bo_map(&bos[idx], idx);
	if (!p)
		return;
	for (page = 0; page < bos[idx].size / PAGE; page++) {
		__u32 *got = p + (__u64)page * PAGE_WORDS;

		page_expected(idx, page, words);
		if (!memcmp(got, words, PAGE)) {
			rep->verified += PAGE;
			continue;
		}
		for (j = 0; j < PAGE_WORDS; j++) {
			if (got[j] == words[j]) {
				rep->verified += 4;
				continue;
			}
			rep->lost += 4;
			if (shown++ >= 4)
				continue;
			printf("panthor-pressure: proc %d BO %d page %u word %u: ",
			       me, idx, page, j);
			printf("0x%08x, expected 0x%08x\n", got[j], words[j]);
		}
	}
	munmap(p, bos[idx].size);
}

static void worker(void)
{
	unsigned long long want = total_mib << 20, got = 0;
	__u64 va = BO_VA_BASE;
	double t0 = now();
	int i;
	void *p;

	/* The workers are the ones the OOM killer may take, not the harness. */
	sysfs_write("/proc/self/oom_score_adj", "0");
	/* An open file of its own: flock() excludes other open files, not forks. */
	if (serial_jobs)
		gpu_lock = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exclusive_stages)
		stage_lock = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	rep->bo = -1;
	rep->stage = ST_CREATE;
	if (!gpu_open() || !gpu_buffers())
		goto barrier;
	/*
	 * Each BO is filled as soon as it is made, as an application uploads
	 * what it allocates: the BOs filled first are idle while the later
	 * ones are made. The first failure ends the allocation; what was
	 * filled until then is still read back.
	 */
	rep->stage = ST_FILL;
	if (stage_lock >= 0)
		flock(stage_lock, LOCK_EX);
	t0 = now();
	for (i = 0; i < MAX_BOS && (count ? i < count : got < want); i++) {
		__u64 size = bo_size(i);

		if (!bo_new(size, va, &bos[i], i, !bind_per_job))
			break;
		va += (size + 0x1fffff) & ~0x1fffffull;
		got += size;
		rep->nbos = i + 1;
		rep->bytes = got;
		p = bo_map(&bos[i], i);
		if (!p)
			break;
		cpu_fill(i, p, size);
		munmap(p, size);
		if ((i & 1) && gpu_words && !gpu_fill(i))
			break;
		rep->filled = i + 1;
		rep->t_fill = now() - t0;	/* so far, for a worker killed later */
	}
	rep->t_fill = now() - t0;
	if (stage_lock >= 0)
		flock(stage_lock, LOCK_UN);
barrier:
	rep->stage = ST_BARRIER;
	while (!READ_GO(sh))
		usleep(20000);
	rep->stage = ST_VERIFY;
	if (stage_lock >= 0)
		flock(stage_lock, LOCK_EX);
	t0 = now();
	/* Only what was filled has a pattern to compare with. */
	/* The GPU first (a job restores what it uses), until a job fails. */
	for (i = 0; i < rep->filled && stream && result; i++) {
		if (!gpu_verify(i))
			break;
		/* Every BO stays bound: the first job brings the whole VM back. */
		if (!i && !bind_per_job)
			rep->t_restore = now() - t0;
	}
	for (i = 0; i < rep->filled; i++)
		cpu_verify(i);
	rep->t_verify = now() - t0;
	if (stage_lock >= 0)
		flock(stage_lock, LOCK_UN);
	rep->stage = ST_DONE;
	exit(0);
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGKILL: return "SIGKILL (the OOM killer?)";
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	default: return strsignal(sig);
	}
}

/* Fill @p's @size bytes as BO 0 of process 0, compressible or not. */
static void pattern_fill(__u32 *p, __u64 size)
{
	__u32 page;

	for (page = 0; page < size / PAGE; page++)
		page_expected(0, page, p + (__u64)page * PAGE_WORDS);
}

static long long vmstat_value(const char *key)
{
	char line[128];
	long long v = -1;
	size_t l = strlen(key);
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, l) && line[l] == ' ')
			v = atoll(line + l + 1);
	if (f)
		fclose(f);
	return v;
}

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/*
 * -P: the kernel's swap path for the same amount of anonymous memory: fill,
 * MADV_PAGEOUT (timed, with pswpout), touch back page by page (timed, with
 * the content checked).
 */
static int pageout_bench(void)
{
	__u64 size = (__u64)pageout_mib << 20;
	__u32 words[PAGE_WORDS];
	long long out0, out1, in0, in1;
	double t0, t1, t2;
	__u32 *p, page;
	__u64 bad = 0;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("panthor-pressure: mmap");
		return 1;
	}
	pattern_fill(p, size);
	out0 = vmstat_value("pswpout");
	t0 = now();
	if (madvise(p, size, MADV_PAGEOUT)) {
		perror("panthor-pressure: MADV_PAGEOUT");
		return 1;
	}
	t1 = now();
	out1 = vmstat_value("pswpout");
	in0 = vmstat_value("pswpin");
	for (page = 0; page < size / PAGE; page++) {
		page_expected(0, page, words);
		if (memcmp(p + (__u64)page * PAGE_WORDS, words, PAGE))
			bad++;
	}
	t2 = now();
	in1 = vmstat_value("pswpin");
	printf("pageout: %d MiB of anonymous memory (%s data): ", pageout_mib,
	       random_data ? "incompressible" : "compressible");
	printf("MADV_PAGEOUT %.3f s, %.1f MiB/s, pswpout +%lld pages; ", t1 - t0,
	       pageout_mib / (t1 - t0), out1 - out0);
	printf("touch back %.3f s, %.1f MiB/s, pswpin +%lld pages, %llu pages wrong\n", t2 - t1,
	       pageout_mib / (t2 - t1), in1 - in0, (unsigned long long)bad);
	printf("PRESSURE-PAGEOUT mib=%d out_mibs=%.1f in_mibs=%.1f ", pageout_mib,
	       pageout_mib / (t1 - t0), pageout_mib / (t2 - t1));
	printf("pswpout=%lld pswpin=%lld bad_pages=%llu\n", out1 - out0, in1 - in0,
	       (unsigned long long)bad);
	munmap(p, size);
	return bad ? 1 : 0;
}

/* Parse "8", "512k", "8,64k,2" (MiB unless k) into sizes[]. */
static int parse_sizes(const char *s)
{
	char *end;

	nsizes = 0;
	while (*s && nsizes < MAX_SIZES) {
		unsigned long long v = strtoull(s, &end, 10);

		if (end == s)
			return 0;
		if (*end == 'k' || *end == 'K') {
			v <<= 10;
			end++;
		} else {
			if (*end == 'm' || *end == 'M')
				end++;
			v <<= 20;
		}
		if (!v || v % PAGE)
			return 0;
		sizes[nsizes++] = v;
		if (*end == ',')
			end++;
		else if (*end)
			return 0;
		s = end;
	}
	return nsizes > 0;
}

static void bad_usage(void)
{
	fputs("usage: panthor-pressure [-n PROCS] [-m MIB] [-b SIZES] [-c COUNT]\n", stderr);
	fputs("       [-s SEED] [-g WORDS] [-G STRIDE] [-i SECONDS] [-R] [-S] [-E] [-B]\n",
	      stderr);
	fputs("       [-T SECONDS] | -P MIB [-R]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long verified = 0, lost = 0, bytes = 0, gverified = 0;
	int opt, i, completed = 0, nfailed = 0, killed = 0;
	int status[MAX_PROCS], reaped[MAX_PROCS] = { 0 }, timed_out[MAX_PROCS] = { 0 };
	int ntimeout = 0;
	pid_t pids[MAX_PROCS];
	struct drm_version v;
	char path[64];
	double t0, verify_s = 0, restore_s = 0;
	unsigned long long restore_bytes = 0;

	while ((opt = getopt(argc, argv, "n:m:b:c:s:g:G:i:RP:SEBT:")) != -1) {
		switch (opt) {
		case 'n':
			nprocs = atoi(optarg);
			break;
		case 'm':
			total_mib = strtoull(optarg, NULL, 0);
			break;
		case 'b':
			if (!parse_sizes(optarg))
				bad_usage();
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'g':
			gpu_words = atoi(optarg);
			break;
		case 'G':
			gpu_stride = atoi(optarg);
			break;
		case 'i':
			idle_secs = atoi(optarg);
			break;
		case 'R':
			random_data = 1;
			break;
		case 'P':
			pageout_mib = atoi(optarg);
			break;
		case 'S':
			serial_jobs = 1;
			break;
		case 'E':
			exclusive_stages = 1;
			break;
		case 'B':
			bind_per_job = 1;
			break;
		case 'T':
			deadline_secs = atoi(optarg);
			break;
		default:
			bad_usage();
		}
	}
	if (nprocs < 1 || nprocs > MAX_PROCS || gpu_words < 0 || gpu_words > BLOCK_WORDS ||
	    gpu_stride < 1 || count < 0 || count > MAX_BOS || idle_secs < 0 || pageout_mib < 0)
		bad_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pageout_mib)
		return pageout_bench();

	fd = open_panthor(&v, path, sizeof(path));
	if (fd < 0) {
		printf("panthor-pressure: no panthor render node\n");
		return 77;
	}
	close(fd);
	fd = -1;
	if (count)
		printf("panthor-pressure: %d processes x %d BOs of", nprocs, count);
	else
		printf("panthor-pressure: %d processes x %llu MiB in BOs of", nprocs, total_mib);
	for (i = 0; i < nsizes; i++)
		printf("%s%llu KiB", i ? "," : " ", sizes[i] >> 10);
	printf("; %s data, seed %u; the GPU writes %d words of every %d. page of odd BOs\n",
	       random_data ? "incompressible" : "compressible", seed, gpu_words, gpu_stride);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("panthor-pressure: mmap");
		return 1;
	}
	t0 = now();
	for (i = 0; i < nprocs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("panthor-pressure: fork");
			return 1;
		}
		if (!pids[i]) {
			me = i;
			rep = &sh->r[i];
			worker();
		}
	}

	/* The barrier: every worker there, or gone. */
	for (;;) {
		int ready = 0;

		for (i = 0; i < nprocs; i++) {
			if (!reaped[i] && waitpid(pids[i], &status[i], WNOHANG) == pids[i])
				reaped[i] = 1;
			ready += reaped[i] || sh->r[i].stage >= ST_BARRIER;
		}
		if (ready == nprocs || now() - t0 > deadline_secs)
			break;
		usleep(20000);
	}
	printf("panthor-pressure: all processes at the barrier after %.1f s\n", now() - t0);
	if (idle_secs) {
		struct sigaction sa = { .sa_handler = idle_end };
		double i0 = now();

		/* Only here, so the workers keep the default action. */
		sigaction(SIGUSR1, &sa, NULL);
		printf("PRESSURE-IDLE %d\n", idle_secs);
		while (!__atomic_load_n(&idle_ended, __ATOMIC_RELAXED) && now() - i0 < idle_secs)
			usleep(100000);
		if (__atomic_load_n(&idle_ended, __ATOMIC_RELAXED))
			printf("panthor-pressure: idle window ended by SIGUSR1 after %.1f s\n",
			       now() - i0);
	}
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);

	/* Past the deadline (-T), what is still running is killed and said so. */
	for (;;) {
		int left = 0;

		for (i = 0; i < nprocs; i++) {
			if (!reaped[i] && waitpid(pids[i], &status[i], WNOHANG) == pids[i])
				reaped[i] = 1;
			left += !reaped[i];
		}
		if (!left)
			break;
		if (now() - t0 > deadline_secs + idle_secs) {
			for (i = 0; i < nprocs; i++) {
				if (reaped[i])
					continue;
				timed_out[i] = 1;
				kill(pids[i], SIGKILL);
			}
			break;
		}
		usleep(50000);
	}

	for (i = 0; i < nprocs; i++) {
		struct proc_report *r = &sh->r[i];
		char what[160], bo[24] = "";

		if (!reaped[i] && waitpid(pids[i], &status[i], 0) != pids[i])
			status[i] = -1;
		if (r->bo >= 0)
			snprintf(bo, sizeof(bo), " of BO %d", r->bo);
		if (timed_out[i]) {
			snprintf(what, sizeof(what), "timed out after %d s in stage %s (killed)",
				 deadline_secs, stage_names[r->stage]);
			ntimeout++;
		} else if (status[i] != -1 && WIFSIGNALED(status[i])) {
			snprintf(what, sizeof(what), "killed by %s in stage %s",
				 signame(WTERMSIG(status[i])), stage_names[r->stage]);
			killed++;
		} else if (r->failed) {
			snprintf(what, sizeof(what), "failed: %s%s: %s (errno %d)", r->op, bo,
				 strerror(r->err), r->err);
			nfailed++;
		} else if (r->stage == ST_DONE) {
			snprintf(what, sizeof(what), "completed");
			completed++;
		} else {
			snprintf(what, sizeof(what), "exited (status 0x%x) in stage %s", status[i],
				 stage_names[r->stage]);
			nfailed++;
		}
		printf("proc %d: %s; %d BOs (%llu MiB) created, %d filled in %.1f s; ", i, what,
		       r->nbos, r->bytes >> 20, r->filled, r->t_fill);
		printf("verified %llu bytes by CPU mmap, %llu by the GPU (%d BOs); ", r->verified,
		       r->gpu_verified, r->gpu_checked);
		printf("lost %llu bytes (in the GPU read-back: %llu); verify %.1f s\n",
		       r->lost + r->gpu_lost, r->gpu_lost, r->t_verify);
		verified += r->verified;
		gverified += r->gpu_verified;
		lost += r->lost + r->gpu_lost;
		bytes += r->bytes;
		verify_s += r->t_verify;
		if (r->t_restore > 0) {
			restore_s += r->t_restore;
			restore_bytes += r->bytes;
		}
	}
	printf("PRESSURE-SUMMARY procs=%d completed=%d failed=%d killed=%d timedout=%d ", nprocs,
	       completed, nfailed, killed, ntimeout);
	printf("created_mib=%llu verified=%llu gpu_verified=%llu lost=%llu verify_s=%.1f ",
	       bytes >> 20, verified, gverified, lost, verify_s);
	/* MiB/s of the first read-back job of each process, which restores its VM. */
	if (restore_s > 0)
		printf("restore_mib_s=%.0f ", (restore_bytes >> 20) / restore_s);
	else
		printf("restore_mib_s=n/a ");
	printf("secs=%.1f\n", now() - t0);
	return lost ? 1 : 0;
}
