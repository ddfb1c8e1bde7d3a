// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: panthor-reclaim
 *
 * A drop-in replacement for the upstream panthor driver (Arm Mali CSF GPUs)
 * that adds GPU memory reclaim.  It registers its DRM driver under panthor's
 * name with panthor's uAPI, so userspace cannot tell the two apart except
 * through the extensions reported by the uAPI version.
 */

#include <linux/module.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_gem.h>

#include "device.h"
#include "drv.h"
#include "selftest.h"

static bool prc_selftest;
module_param_named(selftest, prc_selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the built-in self-tests at load time, report KTAP to dmesg");

DEFINE_DRM_GEM_FOPS(prc_drm_fops);

/* The DRM driver, presented to userspace as panthor. */
const struct drm_driver prc_drm_driver = {
	.driver_features = DRIVER_RENDER | DRIVER_GEM,
	.fops = &prc_drm_fops,
	.name = PRC_DRM_NAME,
	.desc = "Arm Mali CSF GPUs (panthor with reclaim)",
	.major = 1,
	.minor = 0,
};

static int __init prc_init(void)
{
	int ret;

	if (prc_selftest) {
		ret = prc_selftest_run();
		if (ret)
			return ret;
	}
	return platform_driver_register(&prc_platform_driver);
}
module_init(prc_init);

static void __exit prc_exit(void)
{
	platform_driver_unregister(&prc_platform_driver);
}
module_exit(prc_exit);

MODULE_AUTHOR("The panthor-reclaim authors");
MODULE_DESCRIPTION("Arm Mali CSF GPU driver (panthor) with GPU memory reclaim");
MODULE_LICENSE("GPL");
MODULE_VERSION(PRC_VERSION);
MODULE_FIRMWARE("arm/mali/arch10.8/mali_csffw.bin");
