// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GPU frequency scaling
 *
 * devfreq with the simple_ondemand governor picks an operating point from
 * the device tree's OPP table; the OPP core sets the core clock and, through
 * the "mali" supply, the voltage. The load the governor sees is the share
 * of time some group sat on a CSG slot (the scheduler reports the
 * transitions), which is what keeps the GPU's clocks running.
 */

#include <linux/devfreq.h>
#include <linux/pm_opp.h>
#include <linux/spinlock.h>

#include "device.h"
#include "devfreq.h"

/* Polling period of the governor, and its thresholds (as panthor: 50 ms, 45/5). */
#define PRC_DEVFREQ_POLL_MS		50
#define PRC_DEVFREQ_UPTHRESHOLD		45
#define PRC_DEVFREQ_DOWNDIFF		5

static int prc_devfreq_target(struct device *dev, unsigned long *freq, u32 flags)
{
	struct dev_pm_opp *opp = devfreq_recommended_opp(dev, freq, flags);

	if (IS_ERR(opp))
		return PTR_ERR(opp);
	dev_pm_opp_put(opp);
	return dev_pm_opp_set_rate(dev, *freq);
}

/* Fold the time since the last transition into the busy or idle total. */
static void prc_devfreq_account(struct prc_devfreq *df, ktime_t now)
{
	ktime_t delta = ktime_sub(now, df->last);

	if (df->busy)
		df->busy_time = ktime_add(df->busy_time, delta);
	else
		df->idle_time = ktime_add(df->idle_time, delta);
	df->last = now;
}

static int prc_devfreq_status(struct device *dev, struct devfreq_dev_status *status)
{
	struct prc_device *pdev = dev_get_drvdata(dev);
	struct prc_devfreq *df = &pdev->devfreq;
	unsigned long flags;

	status->current_frequency = clk_get_rate(pdev->clk_core);
	spin_lock_irqsave(&df->lock, flags);
	prc_devfreq_account(df, ktime_get());
	status->busy_time = ktime_to_ns(df->busy_time);
	status->total_time = ktime_to_ns(ktime_add(df->busy_time, df->idle_time));
	df->busy_time = 0;
	df->idle_time = 0;
	spin_unlock_irqrestore(&df->lock, flags);
	return 0;
}

/**
 * prc_devfreq_set_busy() - the GPU starts or stops having work on it
 * @pdev: the device
 * @busy: some group is on a CSG slot from now on
 *
 * Takes a spinlock only: callable from anywhere, the scheduler's lock held.
 */
void prc_devfreq_set_busy(struct prc_device *pdev, bool busy)
{
	struct prc_devfreq *df = &pdev->devfreq;
	unsigned long flags;

	spin_lock_irqsave(&df->lock, flags);
	if (df->busy != busy) {
		prc_devfreq_account(df, ktime_get());
		df->busy = busy;
	}
	spin_unlock_irqrestore(&df->lock, flags);
}

/**
 * prc_devfreq_suspend() - stop frequency scaling before the GPU powers off
 * @pdev: the device
 */
void prc_devfreq_suspend(struct prc_device *pdev)
{
	if (pdev->devfreq.devfreq)
		devfreq_suspend_device(pdev->devfreq.devfreq);
}

/**
 * prc_devfreq_resume() - restart frequency scaling after power-on
 * @pdev: the device
 */
void prc_devfreq_resume(struct prc_device *pdev)
{
	struct prc_devfreq *df = &pdev->devfreq;
	unsigned long flags;

	if (!df->devfreq)
		return;
	spin_lock_irqsave(&df->lock, flags);
	df->busy_time = 0;
	df->idle_time = 0;
	df->last = ktime_get();
	spin_unlock_irqrestore(&df->lock, flags);
	devfreq_resume_device(df->devfreq);
}

/**
 * prc_devfreq_init() - register the GPU with devfreq
 * @pdev: the device, its OPP table added and its clocks running
 *
 * Starts at the current clock rate. Undone automatically (devres).
 *
 * Return: 0 or a negative errno.
 */
int prc_devfreq_init(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	struct prc_devfreq *df = &pdev->devfreq;
	struct dev_pm_opp *opp;
	unsigned long freq;

	spin_lock_init(&df->lock);
	df->last = ktime_get();
	freq = clk_get_rate(pdev->clk_core);
	opp = devfreq_recommended_opp(dev, &freq, 0);
	if (IS_ERR(opp))
		return dev_err_probe(dev, PTR_ERR(opp), "no operating point for %lu Hz\n",
				     clk_get_rate(pdev->clk_core));
	dev_pm_opp_put(opp);
	df->max_freq = ULONG_MAX;
	opp = dev_pm_opp_find_freq_floor(dev, &df->max_freq);
	if (IS_ERR(opp))
		return dev_err_probe(dev, PTR_ERR(opp), "empty OPP table\n");
	dev_pm_opp_put(opp);

	df->profile.initial_freq = freq;
	df->profile.polling_ms = PRC_DEVFREQ_POLL_MS;
	df->profile.target = prc_devfreq_target;
	df->profile.get_dev_status = prc_devfreq_status;
	df->gov.upthreshold = PRC_DEVFREQ_UPTHRESHOLD;
	df->gov.downdifferential = PRC_DEVFREQ_DOWNDIFF;
	df->devfreq = devm_devfreq_add_device(dev, &df->profile, DEVFREQ_GOV_SIMPLE_ONDEMAND,
					      &df->gov);
	if (IS_ERR(df->devfreq)) {
		int ret = PTR_ERR(df->devfreq);

		df->devfreq = NULL;
		return dev_err_probe(dev, ret, "cannot register with devfreq\n");
	}
	return 0;
}
