/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SELFTEST_H
#define PRC_SELFTEST_H

#include <linux/printk.h>
#include <linux/types.h>

/* A note of the running case in the KTAP log (a "# " diagnostic line). */
#define st_note(fmt, ...)	pr_info("# %s: " fmt "\n", __func__, ##__VA_ARGS__)

/* True, after saying so in the KTAP log, when @cond does not hold. */
#define st_bad(cond, fmt, ...) ({						\
	bool __bad = !(cond);							\
	if (__bad)								\
		pr_info("# %s: check failed: " fmt "\n", __func__, ##__VA_ARGS__); \
	__bad;									\
})

struct device;
struct drm_device;

/**
 * struct prc_st_ctx - what every self-test case gets
 * @drm: a DRM device (no hardware behind it) for the DRM helper cases
 * @dma_dev: a platform device with a 48-bit DMA mask and no IOMMU, for cases
 *	that need streaming DMA mappings (non-coherent on arm64, so cache
 *	maintenance really runs)
 * @seed: seed for the randomised cases, printed in the log
 * @peer_drm: a second DRM device of the same driver on another platform
 *	device (48-bit DMA mask too), for dma-buf imports that are foreign
 *	to @drm
 */
struct prc_st_ctx {
	struct drm_device *drm;
	struct device *dma_dev;
	u64 seed;
	struct drm_device *peer_drm;
};

/**
 * struct prc_st_case - one KTAP test case
 * @name: KTAP case name, no spaces
 * @fn: the case; 0 when it passed, a negative errno otherwise
 */
struct prc_st_case {
	const char *name;
	int (*fn)(struct prc_st_ctx *ctx);
};

/* Page-table cases, in pgtable_selftest.c. */
extern const struct prc_st_case prc_pgtable_st_cases[];
extern const unsigned int prc_pgtable_st_nr_cases;

/* GEM object cases, in gem_selftest.c. */
extern const struct prc_st_case prc_gem_st_cases[];
extern const unsigned int prc_gem_st_nr_cases;

/* Kernel VA, kernel mapping and kernel BO cases, in kbo_selftest.c. */
extern const struct prc_st_case prc_kbo_st_cases[];
extern const unsigned int prc_kbo_st_nr_cases;

int prc_selftest_run(void);

#endif /* PRC_SELFTEST_H */
