// SPDX-License-Identifier: GPL-2.0-only
/*
 * A real kernel WARNING for the test harness's self-test (group_harness in
 * tests/run.sh): loading this module runs WARN() in the kernel, so a VM run
 * that loads it must fail although its command succeeds. A line written to
 * /dev/kmsg would only look like one.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init prc_warn_init(void)
{
	WARN(1, "prc_warn: harness self-test\n");
	return 0;
}

static void __exit prc_warn_exit(void)
{
}

module_init(prc_warn_init);
module_exit(prc_warn_exit);

MODULE_DESCRIPTION("Raises a kernel WARNING on load, for the test harness");
MODULE_LICENSE("GPL");
