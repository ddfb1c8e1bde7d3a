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
#include <sys/ioctl.h>
#include <unistd.h>
#include <drm.h>

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

/* Report subtest @name IGT-style; return @ok. */
static inline int run(const char *name, int ok)
{
	printf("Subtest %s: %s\n", name, ok ? "SUCCESS" : "FAIL");
	fflush(stdout);
	return ok;
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
