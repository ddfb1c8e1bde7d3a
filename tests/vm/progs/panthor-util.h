/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the guest test programs (header-only: each program is
 * one static binary built from one .c file).
 */
#ifndef PANTHOR_UTIL_H
#define PANTHOR_UTIL_H

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

#endif /* PANTHOR_UTIL_H */
