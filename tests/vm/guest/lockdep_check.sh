#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run after the other tests on the lockdep kernel (tests/lockdep): lockdep
# is still on (it switches itself off at its first report, which the host
# also finds in the log) and, with the module loaded again and a few jobs
# run (unloading forgets a module's lock classes), it has seen
# panthor-reclaim's locks, the ones our fs_reclaim and
# dma_fence_begin_signalling() annotations order.
. /tests/lib.sh

lockdep_watched() {
	modprobe panthor_reclaim || fail "modprobe panthor_reclaim" || return 1
	out=$(panthor-job job-store-3-queues async-bind tiler-heap-unused reclaim-shrink \
		reclaim-purge reclaim-vm-lru reclaim-heap) ||
		fail "panthor-job: $out" || return 1
	stats=/proc/lockdep_stats
	[ -f $stats ] || fail "no $stats: not a lockdep kernel" || return 1
	grep -Eq "debug_locks: +1" $stats ||
		fail "lockdep switched itself off: $(grep debug_locks $stats)" || return 1
	classes=$(sed -n 's/^ *lock-classes: *\([0-9]*\).*/\1/p' $stats)
	chains=$(sed -n 's/^ *dependency chains: *\([0-9]*\).*/\1/p' $stats)
	# Our locks, by the names lockdep gives their classes.
	ours=$(grep -oE '&vm->op_lock|&vm->heaps_lock|&sched->lock|&pdev->mmu.lock|&bo->gpuva_lock|&lru->lock|&rc->scan_lock' \
		/proc/lockdep | sort -u)
	[ "$(echo "$ours" | wc -l)" = 7 ] ||
		fail "panthor-reclaim's lock classes seen: $(echo $ours)" || return 1
	grep -q 'dma_fence_map' /proc/lockdep || fail "no dma_fence_map class" || return 1
	echo "  lockdep still on after the tests: $classes lock classes, $chains dependency chains,"
	echo "  among them ours: $(echo $ours); no report"
	prc_unload || fail "rmmod panthor_reclaim"
}

subtest lockdep-watched lockdep_watched
prc_done
