// SPDX-License-Identifier: GPL-2.0-only
/*
 * drm-nodes: list the DRM device nodes and the driver behind each one.
 *
 *   drm-nodes              print "<node> <driver> <major>.<minor>.<patch>"
 *   drm-nodes -c DRIVER    print the number of nodes driven by DRIVER
 *
 * Uses only DRM_IOCTL_VERSION, which every DRM driver answers.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <drm/drm.h>

static int node_driver(const char *path, char *name, size_t len, struct drm_version *v)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->name_len = len - 1;
	ret = ioctl(fd, DRM_IOCTL_VERSION, v);
	if (ret)
		ret = -errno;
	else
		name[v->name_len < len ? v->name_len : len - 1] = '\0';
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	const char *want = NULL;
	struct dirent *de;
	int count = 0;
	DIR *dir;

	if (argc == 3 && !strcmp(argv[1], "-c")) {
		want = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [-c DRIVER]\n", argv[0]);
		return 2;
	}

	dir = opendir("/dev/dri");
	while (dir && (de = readdir(dir))) {
		char path[300], name[64];
		struct drm_version v;
		int ret;

		if (strncmp(de->d_name, "card", 4) && strncmp(de->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		ret = node_driver(path, name, sizeof(name), &v);
		if (ret) {
			fprintf(stderr, "%s: %s\n", path, strerror(-ret));
			continue;
		}
		if (want)
			count += !strcmp(name, want);
		else
			printf("%s %s %d.%d.%d\n", path, name, v.version_major,
			       v.version_minor, v.version_patchlevel);
	}
	if (dir)
		closedir(dir);
	if (want)
		printf("%d\n", count);
	return 0;
}
