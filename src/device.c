// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: device probe
 *
 * Binds to the same device-tree nodes as upstream panthor, with the same
 * binding: one MMIO window, interrupts named "job", "mmu" and "gpu", a core
 * clock (plus optional "stacks" and "coregroup" clocks), a "mali" supply and an
 * operating-points-v2 table.  Every resource the binding makes mandatory is
 * checked, with a dmesg line that names the missing piece, before the GPU is
 * touched.
 *
 * Probe brings the GPU up layer by layer (GPU, MMU, firmware, scheduler),
 * registers the render node and lets runtime PM power the GPU down until
 * the first job. Remove unplugs the DRM device: open files keep it alive
 * and their ioctls fail with -ENODEV; everything else is device-managed.
 */

#include <linux/module.h>
#include <linux/of.h>
#include <linux/property.h>
#include <linux/pm_opp.h>
#include <linux/pm_runtime.h>
#include <drm/drm_drv.h>

#include "compat/compat.h"
#include "device.h"
#include "drv.h"
#include "gem.h"
#include "regs.h"

/* Idle time before the GPU powers down. */
#define PRC_AUTOSUSPEND_MS	50

static int prc_get_irqs(struct prc_device *pdev)
{
	struct platform_device *plat = to_platform_device(pdev->base.dev);
	static const char * const names[] = { "job", "mmu", "gpu" };
	int *irqs[] = { &pdev->irq_job, &pdev->irq_mmu, &pdev->irq_gpu };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		int irq = platform_get_irq_byname_optional(plat, names[i]);

		if (irq < 0)
			return dev_err_probe(&plat->dev, irq == -EPROBE_DEFER ? irq : -ENODEV,
					     "missing interrupt \"%s\" in device tree\n",
					     names[i]);
		*irqs[i] = irq;
	}
	return 0;
}

static int prc_get_clocks(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;

	pdev->clk_core = devm_clk_get(dev, NULL);
	if (IS_ERR(pdev->clk_core))
		return dev_err_probe(dev, PTR_ERR(pdev->clk_core), "missing core clock\n");

	pdev->clk_stacks = devm_clk_get_optional(dev, "stacks");
	if (IS_ERR(pdev->clk_stacks))
		return dev_err_probe(dev, PTR_ERR(pdev->clk_stacks), "bad \"stacks\" clock\n");

	pdev->clk_coregroup = devm_clk_get_optional(dev, "coregroup");
	if (IS_ERR(pdev->clk_coregroup))
		return dev_err_probe(dev, PTR_ERR(pdev->clk_coregroup),
				     "bad \"coregroup\" clock\n");
	return 0;
}

static const char * const prc_supplies[] = { "mali", NULL };
static const char * const prc_supplies_sram[] = { "mali", "sram", NULL };

static int prc_get_power(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	int ret;

	/*
	 * The "mali" supply is mandatory in the binding: the regulator core
	 * would silently hand out a dummy one, which hides broken device trees
	 * until DVFS misbehaves.  Ask for it as optional to see it is absent.
	 */
	pdev->mali_supply = devm_regulator_get_optional(dev, "mali");
	if (IS_ERR(pdev->mali_supply)) {
		ret = PTR_ERR(pdev->mali_supply);
		return dev_err_probe(dev, ret, "missing \"mali-supply\" regulator\n");
	}

	/* DVFS sets the voltages too: of "mali", and of "sram" where the board has one. */
	ret = devm_pm_opp_set_regulators(dev, of_property_present(dev->of_node, "sram-supply") ?
					 prc_supplies_sram : prc_supplies);
	if (ret)
		return dev_err_probe(dev, ret, "cannot hand the supplies to the OPP core\n");
	ret = devm_pm_opp_of_add_table(dev);
	if (ret)
		return dev_err_probe(dev, ret, "missing or invalid operating-points-v2 table\n");
	return 0;
}

static void prc_clk_disable(void *data)
{
	struct prc_device *pdev = data;

	clk_disable_unprepare(pdev->clk_coregroup);
	clk_disable_unprepare(pdev->clk_stacks);
	clk_disable_unprepare(pdev->clk_core);
}

static int prc_clk_enable(struct prc_device *pdev)
{
	int ret;

	ret = clk_prepare_enable(pdev->clk_core);
	if (ret)
		return ret;
	ret = clk_prepare_enable(pdev->clk_stacks);
	if (ret)
		goto err_core;
	ret = clk_prepare_enable(pdev->clk_coregroup);
	if (ret)
		goto err_stacks;
	return 0;

err_stacks:
	clk_disable_unprepare(pdev->clk_stacks);
err_core:
	clk_disable_unprepare(pdev->clk_core);
	return ret;
}

static void prc_regulator_disable(void *data)
{
	regulator_disable(data);
}

static int prc_power_on(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	int ret;

	ret = regulator_enable(pdev->mali_supply);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable \"mali-supply\"\n");
	ret = devm_add_action_or_reset(dev, prc_regulator_disable, pdev->mali_supply);
	if (ret)
		return ret;

	ret = prc_clk_enable(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot enable GPU clocks\n");
	return devm_add_action_or_reset(dev, prc_clk_disable, pdev);
}

static int prc_identify(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	u32 id = readl(pdev->iomem + PRC_GPU_ID);

	if (PRC_GPU_ID_ARCH_MAJOR(id) < PRC_ARCH_MAJOR_CSF_MIN)
		return dev_err_probe(dev, -ENODEV,
				     "GPU_ID 0x%08x: arch %u.%u is not a CSF GPU\n", id,
				     PRC_GPU_ID_ARCH_MAJOR(id), PRC_GPU_ID_ARCH_MINOR(id));

	dev_info(dev, "Mali GPU_ID 0x%08x (arch %u.%u.%u, r%up%u)\n", id,
		 PRC_GPU_ID_ARCH_MAJOR(id), PRC_GPU_ID_ARCH_MINOR(id), PRC_GPU_ID_ARCH_REV(id),
		 PRC_GPU_ID_VERSION_MAJOR(id), PRC_GPU_ID_VERSION_MINOR(id));
	return 0;
}

/*
 * Runtime PM: the scheduler holds a reference while groups run; when it
 * drops it, the GPU autosuspends: groups are off their slots already, the
 * firmware is halted, the MCU stopped, the clocks gated (the power domain
 * may then cut power). Resume is a cold boot of the firmware from the
 * sections still in memory. Neither allocates: resume runs on behalf of
 * the fence-signalling path. System sleep goes through the same callbacks.
 */
static int prc_runtime_suspend(struct device *dev)
{
	struct prc_device *pdev = dev_get_drvdata(dev);

	prc_user_mmio_set_active(pdev, false);
	prc_devfreq_suspend(pdev);
	prc_sched_suspend(pdev);
	prc_fw_suspend(pdev);
	prc_gpu_suspend(pdev);
	clk_disable_unprepare(pdev->clk_coregroup);
	clk_disable_unprepare(pdev->clk_stacks);
	clk_disable_unprepare(pdev->clk_core);
	return 0;
}

static int prc_runtime_resume(struct device *dev)
{
	struct prc_device *pdev = dev_get_drvdata(dev);
	int ret;

	ret = prc_clk_enable(pdev);
	if (ret)
		return ret;
	ret = prc_gpu_resume(pdev);
	if (!ret)
		ret = prc_fw_resume(pdev);
	if (ret) {
		dev_err(dev, "GPU did not come back from suspend: %d\n", ret);
		prc_fw_suspend(pdev);
		prc_gpu_suspend(pdev);
		clk_disable_unprepare(pdev->clk_coregroup);
		clk_disable_unprepare(pdev->clk_stacks);
		clk_disable_unprepare(pdev->clk_core);
		return ret;
	}
	prc_devfreq_resume(pdev);
	prc_sched_resume(pdev);
	prc_user_mmio_set_active(pdev, true);
	return 0;
}

static DEFINE_RUNTIME_DEV_PM_OPS(prc_pm_ops, prc_runtime_suspend, prc_runtime_resume, NULL);

/* Runs last at unbind: the GPU was kept powered for the teardown. */
static void prc_pm_release(void *data)
{
	struct prc_device *pdev = data;

	if (pdev->remove_pm_ref)
		pm_runtime_put_noidle(pdev->base.dev);
}

static void prc_free_page(void *data)
{
	__free_page(data);
}

/* The device is up: let it autosuspend when the scheduler lets go. */
static int prc_pm_setup(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	int ret;

	mutex_init(&pdev->mmio_lock);
	pdev->mmio_active = true;
	pdev->dummy_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pdev->dummy_page)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, prc_free_page, pdev->dummy_page);
	if (ret)
		return ret;
	pm_runtime_set_autosuspend_delay(dev, PRC_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	ret = pm_runtime_set_active(dev);
	if (ret)
		return ret;
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		return ret;
	pm_runtime_mark_last_busy(dev);
	pm_runtime_idle(dev);
	return 0;
}

static int prc_probe(struct platform_device *plat)
{
	struct prc_device *pdev;
	struct resource *res;
	int ret;

	pdev = devm_drm_dev_alloc(&plat->dev, &prc_drm_driver, struct prc_device, base);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	platform_set_drvdata(plat, pdev);
	prc_gem_huge_mnt_init(&pdev->base, prc_transparent_hugepage);
	prc_gem_lru_init(&pdev->gem_lru);
	ret = prc_gem_mmap_guard_init(&pdev->base);
	if (ret)
		return ret;
	ret = devm_add_action(&plat->dev, prc_pm_release, pdev);
	if (ret)
		return ret;

	pdev->iomem = devm_platform_get_and_ioremap_resource(plat, 0, &res);
	if (IS_ERR(pdev->iomem))
		return dev_err_probe(&plat->dev, PTR_ERR(pdev->iomem),
				     "missing or unusable MMIO region\n");
	pdev->mmio_phys = res->start;

	ret = prc_get_irqs(pdev);
	if (ret)
		return ret;
	ret = prc_get_clocks(pdev);
	if (ret)
		return ret;
	ret = prc_get_power(pdev);
	if (ret)
		return ret;
	ret = prc_power_on(pdev);
	if (ret)
		return ret;
	ret = prc_identify(pdev);
	if (ret)
		return ret;
	pdev->coherent = device_get_dma_attr(&plat->dev) == DEV_DMA_COHERENT;
	ret = prc_gpu_init(pdev);
	if (ret)
		return ret;
	ret = prc_mmu_init(pdev);
	if (ret)
		return ret;
	ret = prc_fw_init(pdev);
	if (ret)
		return ret;
	ret = prc_sched_setup(pdev);
	if (ret)
		return ret;
	ret = prc_devfreq_init(pdev);
	if (ret)
		return ret;
	ret = prc_pm_setup(pdev);
	if (ret)
		return ret;
	ret = prc_reclaim_init(&pdev->reclaim, &pdev->base, &pdev->gem_lru);
	if (ret)
		return ret;
	return drm_dev_register(&pdev->base, 0);
}

static void prc_remove(struct platform_device *plat)
{
	struct prc_device *pdev = platform_get_drvdata(plat);

	/*
	 * Open files keep the drm_device alive; unplugging makes their
	 * ioctls fail with -ENODEV from here on. The rest is device-managed,
	 * and tears down a powered GPU: the reference taken here is dropped
	 * by the last devres action (prc_pm_release()).
	 */
	drm_dev_unplug(&pdev->base);
	if (!pm_runtime_resume_and_get(&plat->dev))
		pdev->remove_pm_ref = true;
}

static const struct of_device_id prc_of_match[] = {
	{ .compatible = "rockchip,rk3588-mali" },
	{ .compatible = "arm,mali-valhall-csf" },
	{ }
};
MODULE_DEVICE_TABLE(of, prc_of_match);

/* The platform driver for Mali CSF GPUs. */
struct platform_driver prc_platform_driver = {
	.probe = prc_probe,
	PRC_PLATFORM_REMOVE(prc_remove),
	.driver = {
		.name = "panthor-reclaim",
		.of_match_table = prc_of_match,
		.pm = pm_ptr(&prc_pm_ops),
	},
};
