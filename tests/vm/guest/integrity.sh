#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The reclaim integrity matrix (panthor-integrity) under panthor-reclaim, in
# a guest set up for real reclaim: zram swap and cgroup v2 for the rows whose
# BOs go out under memory pressure (the root cgroup's memory.reclaim), vgem
# as a foreign dma-buf exporter, the harness out of the OOM killer's reach
# (the program's pressure children set 1000).
# Afterwards, no leak: once every client exited, debugfs gems ends with
# "Total size: 0" and the module unloads; and the kernel log since the start
# has no WARNING, BUG, Oops or lockdep report. Run by run-tests.sh; the host
# may set
#   PRC_INTEGRITY_ARGS  panthor-integrity's arguments (default: every subtest)
#   PRC_INTEGRITY_ZRAM  zram swap size in MiB (default 512; 0: no swap)
# One line for the host:
#   PRC-INTEGRITY kernel=... rows=N passed=N failed=N skipped=N
#   failed_rows=NAME,...|none total="..."
#   unload=yes|no klog=clean|N-reports secs=N
. /tests/lib.sh

args=${PRC_INTEGRITY_ARGS:-}
zram_mib=${PRC_INTEGRITY_ZRAM:-512}
out=/tmp/integrity.out

zram_setup() {
	[ "$zram_mib" -gt 0 ] || { echo "  no swap (PRC_INTEGRITY_ZRAM=0)"; return 0; }
	zram_swap "$zram_mib" "lz4 lzo-rle"
}

# The pressure rows ask the root cgroup's memory.reclaim.
cgroup_setup() {
	mkdir -p /sys/fs/cgroup
	grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts ||
		mount -t cgroup2 none /sys/fs/cgroup || fail "mount cgroup2" || return 1
	[ -f /sys/fs/cgroup/memory.reclaim ] || fail "no memory.reclaim in the root cgroup" || return 1
	echo "  cgroup v2 at /sys/fs/cgroup: the pressure rows use the root's memory.reclaim"
}

gems_file() {
	for f in /sys/kernel/debug/dri/*/gems; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
}

run() {
	oom_protect
	modprobe fixed
	modprobe panthor_reclaim || fail "modprobe panthor_reclaim" || return 1
	if modprobe vgem 2>/dev/null; then
		echo "  vgem loaded: the foreign exporter"
	else
		echo "  no vgem module: the foreign-exporter subtest skips"
	fi
	zram_setup && cgroup_setup || return 1
	kmsg_mark integrity
	t0=$(date +%s)
	# shellcheck disable=SC2086
	panthor-integrity $args >$out 2>&1
	rc=$?
	t1=$(date +%s)
	sed 's/^/  /' $out
	rows=$(grep -c '^Subtest ' $out)
	passed=$(grep -c '^Subtest .*: SUCCESS' $out)
	failed=$(grep -c '^Subtest .*: FAIL' $out)
	skipped=$(grep -c '^Subtest .*: SKIP' $out)
	failed_rows=$(sed -n 's/^Subtest \(.*\): FAIL$/\1/p' $out | tr '\n' ',' | sed 's/,$//')
	# Every client has exited: nothing of theirs may be left.
	total=$(tail -n1 "$(gems_file)")
	echo "  gems after every client exited: $total"
	leak=0
	case $total in
	"Total size: 0,"*) ;;
	*) leak=1 ;;
	esac
	rmmod vgem 2>/dev/null
	if prc_unload; then unload=yes; else unload=no; fi
	echo "  rmmod panthor_reclaim: $unload"
	# What the kernel prints for WARN, BUG, oopses, lockdep, hung tasks,
	# list debugging, KFENCE and UBSAN.
	bad='WARNING:|BUG:|BUG at|Oops|possible (circular|recursive)|inconsistent lock|blocked for more than|list_(add|del) corruption|KFENCE|UBSAN'
	reports=$(kmsg_since_mark | grep -cE "$bad")
	kmsg_since_mark | grep -E "$bad" | head -n 8 | sed 's/^/  kernel: /'
	[ "$reports" = 0 ] && klog=clean || klog=$reports-reports
	echo "PRC-INTEGRITY kernel=$(uname -r) rows=$rows passed=$passed failed=$failed skipped=$skipped failed_rows=${failed_rows:-none} total=\"$total\" unload=$unload klog=$klog secs=$((t1 - t0))"
	[ $rc = 0 ] || fail "panthor-integrity exited $rc ($failed rows failed)" || return 1
	[ "$rows" -gt 0 ] || fail "no row ran" || return 1
	[ $leak = 0 ] || fail "BOs left after every client exited: $total" || return 1
	[ $unload = yes ] || fail "panthor_reclaim did not unload" || return 1
	[ "$reports" = 0 ] || fail "the kernel log has $reports warning lines" || return 1
}

subtest integrity run
prc_done
