// SPDX-License-Identifier: GPL-2.0-only
/* Probe: struct platform_driver::remove returns void (v6.11+). */
#include <linux/platform_device.h>

static void prc_probe_remove(struct platform_device *pdev) { }

struct platform_driver prc_probe_drv = {
	.remove = prc_probe_remove,
};
