# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for guest-side tests (busybox sh). Output follows IGT's
# convention: "Subtest <name>: SUCCESS|FAIL|SKIP"; exit 0, 1, or 77 (skip).

PRC_FAILED=0

# subtest NAME CMD...: run CMD (a shell function), report its result.
subtest() {
	name=$1
	shift
	echo "Starting subtest: $name"
	if "$@"; then
		echo "Subtest $name: SUCCESS"
	else
		echo "Subtest $name: FAIL"
		PRC_FAILED=1
	fi
}

# fail MSG: explain a failed check, return non-zero.
fail() {
	echo "  check failed: $*"
	return 1
}

# The model's GPU and its runtime PM status file.
gpu=9800000.gpu
st=/sys/bus/platform/devices/$gpu/power/runtime_status

# Wait up to 5 s for the GPU's runtime PM status $1.
wait_runtime() {
	i=0
	while [ "$(cat $st)" != "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(cat $st)" = "$1" ]
}

# Runtime-resume and suspend the GPU 10 times through power/control.
power_cycle_10() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo on >/sys/bus/platform/devices/$gpu/power/control
		wait_runtime active || fail "cycle $i: not resumed ($(cat $st))" || return 1
		echo auto >/sys/bus/platform/devices/$gpu/power/control
		wait_runtime suspended || fail "cycle $i: not suspended ($(cat $st))" || return 1
	done
}

# Whether the kernel log $1 shows the GPU's system suspend and resume
# callbacks returning 0 (pm_print_times on): panthor-job's system-sleep.
gpu_slept() {
	echo "$1" | grep -q "$gpu: PM: platform_pm_suspend returned 0" &&
		echo "$1" | grep -q "$gpu: PM: platform_pm_resume returned 0"
}

# Unbind the GPU from driver $1 under a live client and bind it again
# (panthor-job -u): the same test for stock panthor and for ours.
unbind_live() {
	out=$(panthor-job -u "$1")
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ $rc = 0 ] || fail "unbind with a live client failed" || return 1
	# A runtime-PM reference the unbound driver kept would stay on the
	# platform device and keep the GPU up under the next binding too.
	wait_runtime suspended ||
		fail "GPU not runtime-suspended after unbind and bind: $(cat $st)" || return 1
	echo "  the GPU runtime-suspends again after the unbind and bind"
}

# Unload our module and make sure it is gone.
prc_unload() {
	[ -d /sys/module/panthor_reclaim ] || return 0
	rmmod panthor_reclaim || return 1
	[ ! -d /sys/module/panthor_reclaim ]
}

# Tests never clear the kernel log (the host scans all of it for WARNINGs):
# they mark where they start and read from the mark on.
kmsg_mark() {
	PRC_MARK="PRC-MARK $$-$(date +%s)-$1"
	echo "$PRC_MARK" >/dev/kmsg
}

kmsg_since_mark() {
	dmesg | sed -n "/$PRC_MARK/,\$p"
}

prc_done() {
	exit $PRC_FAILED
}

# The reclaim tests' guest set-up, shared by pressure.sh, integrity.sh and
# the clients group's pressure boot.

# Everything running now is the harness (the script, the shells above it,
# run-tests.sh's timeout): out of the OOM killer's reach; the workloads
# started later set their own.
oom_protect() {
	for f in /proc/[0-9]*/oom_score_adj; do
		echo -1000 2>/dev/null >"$f"
	done
}

mib() {	# mib KEY: a /proc/meminfo value in MiB
	echo $(($(sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo) / 1024))
}

# zram_swap MIB COMPRESSORS: MIB MiB of zram swap, compressed with the first
# of COMPRESSORS the kernel has (else its default); a line says which.
zram_swap() {
	# Built into the lockdep kernel (one device by default): nothing to load.
	[ -e /sys/block/zram0 ] || modprobe zram num_devices=1 || fail "modprobe zram" || return 1
	z=/sys/block/zram0
	for c in $2; do
		grep -qw "$c" $z/comp_algorithm && echo "$c" >$z/comp_algorithm && break
	done
	echo "$1M" >$z/disksize || fail "zram disksize $1M" || return 1
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 || fail "swapon /dev/zram0" || return 1
	echo "  zram swap: $1 MiB, compressor $(sed 's/.*\[\(.*\)\].*/\1/' $z/comp_algorithm)"
}

# cgroup_memory: cgroup v2 at /sys/fs/cgroup (mounted unless it is), with
# the memory controller enabled for the root's children.
cgroup_memory() {
	mkdir -p /sys/fs/cgroup
	grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts ||
		mount -t cgroup2 none /sys/fs/cgroup || fail "mount cgroup2" || return 1
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "memory controller" || return 1
}

# memcg_pages FILE CGROUP: the pages of CGROUP's BOs in RAM that the
# driver's debugfs reclaim FILE lists ("none" when it lists none, or there
# is no such file: stock panthor).
memcg_pages() {
	v=
	[ ! -f "$1" ] || v=$(sed -n "s/^memcg $(stat -c %i "$2") online 1 pages \([0-9]*\) .*/\1/p" "$1")
	echo "${v:-none}"
}
