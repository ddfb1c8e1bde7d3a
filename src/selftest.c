// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: load-time self-tests
 *
 * Stock distro kernels ship no KUnit, so the module carries its own tests and
 * runs them at load time when loaded with selftest=1.  Results are printed to
 * dmesg in KTAP, one "ok"/"not ok" line per case, which the VM harness
 * collects; a failing case also fails the module load so nobody runs a driver
 * whose assumptions do not hold on this kernel.
 *
 * The first cases pin down what the driver relies on from the kernel's DRM
 * helpers (drm_exec locking semantics, drm_gpuvm range rules, drm_sched
 * set-up) on the very kernel it is loaded into. The page-table cases
 * (pgtable_selftest.c), the GEM object cases (gem_selftest.c, which
 * also use a second DRM device as a foreign dma-buf importer) and the
 * kernel VA and kernel BO cases (kbo_selftest.c, on user and MCU VMs of a
 * device without hardware) follow.
 * Each case's run time is printed as a KTAP
 * diagnostic line; randomised cases take their seed from the selftest_seed
 * module parameter (0: a fixed built-in seed) and print it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>

#include "compat/compat.h"
#include "drv.h"
#include "gem.h"
#include "selftest.h"

/* The seed of a failed run, given back, replays it exactly. */
static unsigned long long prc_st_seed;
module_param_named(selftest_seed, prc_st_seed, ullong, 0444);
MODULE_PARM_DESC(selftest_seed, "PRNG seed of the randomised self-tests (0: built-in seed)");

#define PRC_ST_DEFAULT_SEED	0x70616e74686f72ULL

static void prc_st_gem_free(struct drm_gem_object *obj)
{
	drm_gem_object_release(obj);
	kfree(obj);
}

static const struct drm_gem_object_funcs prc_st_gem_funcs = {
	.free = prc_st_gem_free,
};

static struct drm_gem_object *prc_st_gem_new(struct drm_device *drm)
{
	struct drm_gem_object *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->funcs = &prc_st_gem_funcs;
	drm_gem_private_object_init(drm, obj, PAGE_SIZE);
	return obj;
}

/* drm_exec locks every object once, reports duplicates, unlocks on fini. */
static int prc_st_drm_exec(struct prc_st_ctx *ctx)
{
	struct drm_gem_object *objs[2] = {};
	struct drm_exec exec;
	int ret = -ENOMEM, i;

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = prc_st_gem_new(ctx->drm);
		if (!objs[i])
			goto out;
	}

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT, ARRAY_SIZE(objs));
	drm_exec_until_all_locked(&exec) {
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			ret = drm_exec_lock_obj(&exec, objs[i]);
			drm_exec_retry_on_contention(&exec);
			if (ret)
				break;
		}
	}
	if (!ret) {
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			if (!ww_mutex_is_locked(&objs[i]->resv->lock))
				ret = -EINVAL;
		/* Without DRM_EXEC_IGNORE_DUPLICATES a second lock is -EALREADY. */
		if (drm_exec_lock_obj(&exec, objs[0]) != -EALREADY)
			ret = -EINVAL;
	}
	drm_exec_fini(&exec);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		if (ww_mutex_is_locked(&objs[i]->resv->lock))
			ret = -EINVAL;
out:
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		if (objs[i])
			drm_gem_object_put(objs[i]);
	return ret;
}

static void prc_st_vm_free(struct drm_gpuvm *vm)
{
	kfree(vm);
}

static const struct drm_gpuvm_ops prc_st_vm_ops = {
	.vm_free = prc_st_vm_free,
};

/* drm_gpuvm accepts exactly the VA ranges inside its window. */
static int prc_st_drm_gpuvm(struct prc_st_ctx *ctx)
{
	const u64 va_bits = 48, kernel_start = (1ull << va_bits) - SZ_64M;
	struct drm_gem_object *r_obj;
	struct drm_gpuvm *vm;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	r_obj = prc_gem_vm_root_new(ctx->drm);
	if (!r_obj) {
		kfree(vm);
		return -ENOMEM;
	}
	drm_gpuvm_init(vm, "prc-selftest", 0, ctx->drm, r_obj, 0, 1ull << va_bits,
		       kernel_start, SZ_64M, &prc_st_vm_ops);
	drm_gem_object_put(r_obj);	/* the VM holds its own reference */

	if (!drm_gpuvm_range_valid(vm, SZ_4K, SZ_2M) ||
	    drm_gpuvm_range_valid(vm, (1ull << va_bits) - SZ_4K, SZ_8K) ||
	    drm_gpuvm_range_valid(vm, SZ_4K, U64_MAX) ||
	    !drm_gpuvm_interval_empty(vm, SZ_4K, SZ_2M) ||
	    drm_gpuvm_interval_empty(vm, kernel_start, SZ_4K)) {
		drm_gpuvm_put(vm);
		return -EINVAL;
	}
	drm_gpuvm_put(vm);
	return 0;
}

static struct dma_fence *prc_st_run_job(struct drm_sched_job *job)
{
	return ERR_PTR(-ENODEV);
}

static enum drm_gpu_sched_stat prc_st_timedout_job(struct drm_sched_job *job)
{
	return DRM_GPU_SCHED_STAT_NONE;
}

static void prc_st_free_job(struct drm_sched_job *job)
{
}

static const struct drm_sched_backend_ops prc_st_sched_ops = {
	.run_job = prc_st_run_job,
	.timedout_job = prc_st_timedout_job,
	.free_job = prc_st_free_job,
};

/* drm_sched can be brought up and torn down through the compat wrapper. */
static int prc_st_drm_sched(struct prc_st_ctx *ctx)
{
	const struct prc_sched_args args = {
		.ops = &prc_st_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = 1,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "prc-selftest",
		.dev = ctx->drm->dev,
	};
	struct drm_gpu_scheduler *sched;
	int ret;

	sched = kzalloc(sizeof(*sched), GFP_KERNEL);
	if (!sched)
		return -ENOMEM;
	ret = prc_sched_init(sched, &args);
	if (!ret) {
		if (!sched->ready || sched->credit_limit != 1)
			ret = -EINVAL;
		drm_sched_fini(sched);
	}
	kfree(sched);
	return ret;
}

static const struct prc_st_case prc_st_cases[] = {
	{ "drm_exec_lock_unlock", prc_st_drm_exec },
	{ "drm_gpuvm_ranges", prc_st_drm_gpuvm },
	{ "drm_sched_init_fini", prc_st_drm_sched },
};

/*
 * The self-test devices are never registered, so nobody opens them; but
 * drm_gem_prime_export() takes the dma-buf's owner module from the fops.
 */
static const struct file_operations prc_st_fops = {
	.owner = THIS_MODULE,
};

static const struct drm_driver prc_st_driver = {
	.driver_features = DRIVER_GEM,
	.fops = &prc_st_fops,
	.gem_prime_import_sg_table = prc_gem_prime_import_sg_table,
	.name = "prc-selftest",
	.desc = "panthor-reclaim self-tests",
};

static bool prc_st_run_case(struct prc_st_ctx *ctx, const struct prc_st_case *c,
			    unsigned int nr)
{
	ktime_t start = ktime_get();
	int ret;

	ret = c->fn(ctx);
	pr_info("# %s: %lld ms\n", c->name, ktime_ms_delta(ktime_get(), start));
	pr_info("%sok %u %s%s\n", ret ? "not " : "", nr, c->name,
		ret == -ENOMEM ? " # out of memory" : "");
	return !ret;
}

/*
 * A platform device like the GPU (48-bit bus addresses, no IOMMU, coherency
 * as the platform makes it) with a DRM device of the self-test driver on it.
 */
static int prc_st_drm_new(const char *name, struct platform_device **plat,
			  struct drm_device **drm)
{
	int ret;

	*plat = platform_device_register_simple(name, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(*plat))
		return PTR_ERR(*plat);
	ret = dma_coerce_mask_and_coherent(&(*plat)->dev, DMA_BIT_MASK(48));
	if (ret)
		goto err_unregister;
	*drm = drm_dev_alloc(&prc_st_driver, &(*plat)->dev);
	if (IS_ERR(*drm)) {
		ret = PTR_ERR(*drm);
		goto err_unregister;
	}
	/* BOs on huge pages, as the GPU device's. */
	prc_gem_huge_mnt_init(*drm, prc_transparent_hugepage);
	return 0;

err_unregister:
	platform_device_unregister(*plat);
	return ret;
}

static void prc_st_drm_del(struct platform_device *plat, struct drm_device *drm)
{
	drm_dev_put(drm);
	platform_device_unregister(plat);
}

/**
 * prc_selftest_run() - run every self-test case, report KTAP to dmesg
 *
 * Return: 0 when all cases passed, -EINVAL when one failed, or a negative
 * errno when the test fixture could not be set up.
 */
int prc_selftest_run(void)
{
	const struct {
		const struct prc_st_case *cases;
		unsigned int nr;
	} suites[] = {
		{ prc_st_cases, ARRAY_SIZE(prc_st_cases) },
		{ prc_pgtable_st_cases, prc_pgtable_st_nr_cases },
		{ prc_gem_st_cases, prc_gem_st_nr_cases },
		{ prc_kbo_st_cases, prc_kbo_st_nr_cases },
	};
	struct platform_device *plat, *peer_plat;
	unsigned int i, j, nr = 0, failed = 0;
	struct prc_st_ctx ctx;
	int ret;

	ret = prc_st_drm_new("panthor-reclaim-selftest", &plat, &ctx.drm);
	if (ret)
		return ret;
	ret = prc_st_drm_new("panthor-reclaim-selftest-peer", &peer_plat, &ctx.peer_drm);
	if (ret) {
		prc_st_drm_del(plat, ctx.drm);
		return ret;
	}
	ctx.dma_dev = &plat->dev;
	ctx.seed = prc_st_seed ?: PRC_ST_DEFAULT_SEED;

	for (i = 0; i < ARRAY_SIZE(suites); i++)
		nr += suites[i].nr;
	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", nr);
	nr = 0;
	for (i = 0; i < ARRAY_SIZE(suites); i++)
		for (j = 0; j < suites[i].nr; j++)
			failed += !prc_st_run_case(&ctx, &suites[i].cases[j], ++nr);

	prc_st_drm_del(peer_plat, ctx.peer_drm);
	prc_st_drm_del(plat, ctx.drm);
	return failed ? -EINVAL : 0;
}
