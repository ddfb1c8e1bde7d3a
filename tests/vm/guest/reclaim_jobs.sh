#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# panthor-reclaim runs command streams on the model: the same panthor-job
# subtests stock panthor passes in model_identify (stores on 1- and
# 3-queue groups, asynchronous VM_BIND, a tiler heap, an MMU fault and an undefined
# opcode leaving the group fatal, a hang hitting the job timeout and jobs
# running again after it), our fault report for the faulting store, and a
# clean unload afterwards.
. /tests/lib.sh

modprobe fixed

jobs_run() {
	modprobe panthor_reclaim uapi_preview=1 || fail "modprobe panthor_reclaim" || return 1
	kmsg_mark jobs
	out=$(panthor-job job-store-1-queue job-store-3-queues async-bind tiler-heap-unused \
		job-page-fault job-bad-opcode job-timeout job-after-recovery)
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ $rc = 0 ] || fail "panthor-job: $(echo "$out" | grep -c FAIL) subtests failed" || return 1
	log=$(kmsg_since_mark)
	echo "$log" | grep -q "GPU page fault in AS[1-9] at 0x0000000007000000: status 0x000003c2" ||
		fail "no MMU fault report for the write to 0x7000000" || return 1
	echo "$log" | grep -q "job timed out on queue 0" ||
		fail "no job timeout reported" || return 1
	echo "  reported: MMU fault at 0x7000000 (status 0x3c2), stream fatal errors, job timeout"
}

unloads() {
	prc_unload || fail "rmmod panthor_reclaim" || return 1
	echo "  module unloaded after the jobs"
}

subtest reclaim-runs-jobs jobs_run
subtest reclaim-unloads unloads
prc_done
