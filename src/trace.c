// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 *
 * The one place that instantiates the tracepoints of trace.h.
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
