// SPDX-License-Identifier: GPL-2.0-only
/* Probe: the DRM core keeps a huge tmpfs mount per device for GEM objects (7.x). */
#include <drm/drm_gem.h>

int prc_probe_huge_mnt(struct drm_device *dev)
{
	return drm_gem_huge_mnt_create(dev, "within_size");
}
