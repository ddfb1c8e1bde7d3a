/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_DEVFREQ_H
#define PRC_DEVFREQ_H

#include <linux/devfreq.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>

struct prc_device;

/**
 * struct prc_devfreq - frequency scaling state
 * @devfreq: the devfreq device, NULL until registered
 * @profile: our devfreq callbacks and polling period
 * @gov: simple_ondemand thresholds
 */
struct prc_devfreq {
	struct devfreq *devfreq;
	struct devfreq_dev_profile profile;
	struct devfreq_simple_ondemand_data gov;
	/** @lock: protects the busy accounting below; taken with IRQs off */
	spinlock_t lock;
	/** @busy: a group is on a CSG slot */
	bool busy;
	/** @last: when @busy last changed or was accounted */
	ktime_t last;
	/** @busy_time: busy time since the governor last looked */
	ktime_t busy_time;
	/** @idle_time: idle time since the governor last looked */
	ktime_t idle_time;
	/** @max_freq: the highest operating point, Hz */
	unsigned long max_freq;
};

int prc_devfreq_init(struct prc_device *pdev);
void prc_devfreq_set_busy(struct prc_device *pdev, bool busy);
void prc_devfreq_suspend(struct prc_device *pdev);
void prc_devfreq_resume(struct prc_device *pdev);

#endif /* PRC_DEVFREQ_H */
