/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_SELFTEST_H
#define PRC_SELFTEST_H

int prc_selftest_run(void);

#endif /* PRC_SELFTEST_H */
