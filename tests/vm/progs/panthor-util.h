/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the guest test programs (header-only: each program is
 * one static binary built from one .c file).
 */
#ifndef PANTHOR_UTIL_H
#define PANTHOR_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <drm.h>

/*
 * Command-stream instructions the GPU model executes (64 bits each: opcode
 * in bits 63:56), as the tests write them. Registers are 32-bit, pairs hold
 * addresses; @mask picks registers from @base on for LOAD/STORE_MULTIPLE.
 */
#define CS_MOVE48(r, imm)	((1ull << 56) | ((__u64)(r) << 48) | ((imm) & 0xffffffffffffull))
#define CS_MOVE32(r, imm)	((2ull << 56) | ((__u64)(r) << 48) | (__u32)(imm))
#define CS_RUN_IDVS		(6ull << 56)
#define CS_ADD_IMM32(d, s, imm)	((16ull << 56) | ((__u64)(d) << 48) | ((__u64)(s) << 40) | \
				 (__u32)(imm))
#define CS_ADD_IMM64(d, s, imm)	((17ull << 56) | ((__u64)(d) << 48) | ((__u64)(s) << 40) | \
				 (__u32)(imm))
#define CS_LOAD_MULTIPLE(base, addr, mask, off) \
	((20ull << 56) | ((__u64)(base) << 48) | ((__u64)(addr) << 40) | \
	 ((__u64)(mask) << 16) | (__u16)(off))
#define CS_STORE_MULTIPLE(base, addr, mask, off) \
	((21ull << 56) | ((__u64)(base) << 48) | ((__u64)(addr) << 40) | \
	 ((__u64)(mask) << 16) | (__u16)(off))
/* Branch by @off instructions when register @r compares with 0 as @cond says. */
#define CS_BRANCH(r, cond, off) \
	((22ull << 56) | ((__u64)(r) << 40) | ((__u64)(cond) << 28) | (__u16)(off))
#define CS_COND_GREATER		1
#define CS_SYNC_SET32(data, addr) \
	((38ull << 56) | ((__u64)(addr) << 40) | ((__u64)(data) << 32))
#define CS_SYNC_WAIT32(cond, data, addr) \
	((39ull << 56) | ((__u64)(addr) << 40) | ((__u64)(data) << 32) | ((__u64)(cond) << 28))
#define CS_STORE_TIMESTAMP(addr, off) \
	((40ull << 56) | ((__u64)(addr) << 40) | (__u16)(off))
#define CS_HEAP_SET(addr)	((48ull << 56) | ((__u64)(addr) << 40))

/*
 * open_panthor() - open the first render node whose driver is "panthor"
 * (stock panthor or panthor-reclaim); fill @v's version fields.
 *
 * Return: the file descriptor, or -1 when there is none.
 */
static inline int open_panthor(struct drm_version *v, char *path, size_t path_len)
{
	char name[32];
	int i;

	for (i = 128; i < 192; i++) {
		int f;

		snprintf(path, path_len, "/dev/dri/renderD%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		memset(v, 0, sizeof(*v));
		memset(name, 0, sizeof(name));
		v->name = name;
		v->name_len = sizeof(name) - 1;
		if (!ioctl(f, DRM_IOCTL_VERSION, v) && !strcmp(name, "panthor")) {
			v->name = NULL;
			return f;
		}
		close(f);
	}
	return -1;
}

/* Subtest names given on the command line: run only those (all when none). */
static char **only;
static int nonly;

static inline int wanted(const char *name)
{
	int i;

	for (i = 0; i < nonly; i++)
		if (!strcmp(only[i], name))
			return 1;
	return !nonly;
}

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Report subtest @name IGT-style; return @ok. */
static inline int run(const char *name, int ok)
{
	printf("Subtest %s: %s\n", name, ok ? "SUCCESS" : "FAIL");
	fflush(stdout);
	return ok;
}

/* A system call's result: print what failed, with errno; return @cond. */
static inline int expect(int cond, const char *what)
{
	if (!cond)
		printf("  check failed: %s (%s)\n", what, strerror(errno));
	return cond;
}

/* Write @what to the sysfs (or debugfs) file @path. Return: 0, or -1 with errno set. */
static inline int sysfs_write(const char *path, const char *what)
{
	int f = open(path, O_WRONLY | O_CLOEXEC), ret, e;

	if (f < 0)
		return -1;
	ret = write(f, what, strlen(what)) == (ssize_t)strlen(what) ? 0 : -1;
	e = errno;
	close(f);
	errno = e;
	return ret;
}

/*
 * The path of debugfs dri/<n>/@name for the first <n> that has it (the
 * GPU's DRM minors; the model's VM has one GPU). Return: 1, or 0 if none.
 */
static inline int debugfs_path(const char *name, char *path, size_t len)
{
	static const char * const dirs[] = { "0", "1", "128", "129", NULL };
	int i;

	for (i = 0; dirs[i]; i++) {
		snprintf(path, len, "/sys/kernel/debug/dri/%s/%s", dirs[i], name);
		if (!access(path, F_OK))
			return 1;
	}
	return 0;
}

/* The debugfs file dri/<n>/@name opened for reading, or NULL. */
static inline FILE *debugfs_open(const char *name)
{
	char path[96];

	return debugfs_path(name, path, sizeof(path)) ? fopen(path, "r") : NULL;
}

/* Write @what to the debugfs file dri/<n>/@name. Return: 1, or 0 on failure. */
static inline int debugfs_write(const char *name, const char *what)
{
	char path[96];

	return debugfs_path(name, path, sizeof(path)) && !sysfs_write(path, what);
}

/* A counter of panthor-reclaim's debugfs "reclaim" file; -1 when missing. */
static inline long reclaim_stat(const char *name)
{
	FILE *f = debugfs_open("reclaim");
	char line[128], key[64];
	long val = -1, v;

	if (!f)
		return -1;
	while (val < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", key, &v) == 2 && !strcmp(key, name))
			val = v;
	fclose(f);
	return val;
}

/* The sysfs directory of render node @node's device (/sys/class/drm/renderD<n>/device). */
static inline void node_devdir(const char *node, char *dir, size_t len)
{
	snprintf(dir, len, "/sys/class/drm/%s/device", strrchr(node, '/') + 1);
}

/*
 * Wait up to 5 s for the runtime PM status @status of the device whose
 * sysfs directory is @devdir. Return: 1 if reached, else 0.
 */
static inline int wait_runtime(const char *devdir, const char *status)
{
	char path[128], buf[32];
	int i, match = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/power/runtime_status", devdir);
	for (i = 0; i < 50 && !match; i++) {
		if (i)
			usleep(100000);
		f = fopen(path, "r");
		match = f && fgets(buf, sizeof(buf), f) && !strncmp(buf, status, strlen(status));
		if (f)
			fclose(f);
	}
	return match;
}

#endif /* PANTHOR_UTIL_H */
