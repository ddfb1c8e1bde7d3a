#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# panthor-reclaim's shrinker answers a memory cgroup's own reclaim, not only
# global reclaim. Two subtests, with the pressure workload (panthor-pressure)
# in child cgroups of cgroup v2, zram swap, the harness out of the OOM
# killer's reach:
#   memcg-reclaim  workloads A and B (64 MiB of GPU-mapped BOs each) in
#                  cgroups of their own, idle; memory.reclaim of A's cgroup
#                  must evict A's BOs (the driver's evicted pages, A's shmem
#                  gone to swap) and leave B's resident; then both read every
#                  byte back intact.
#   memcg-limit    one cgroup with memory.max 80 MiB, two processes of 48
#                  MiB each, filling and reading back one at a time (-E):
#                  the cgroup's own reclaim must take the idle process's BOs,
#                  so both complete with every byte intact and no OOM kill in
#                  the cgroup.
# Without a memcg-aware shrinker the first finds A's BOs still resident and
# the second fails its allocations or is OOM-killed. Run by run-tests.sh
# after integrity.sh in the same boot (it reuses its swap and cgroup mount
# when they are there); the module may or may not be loaded.
. /tests/lib.sh

root=/sys/fs/cgroup
# memory.max of memcg-limit in MiB (PRC_MEMCG_MAX, for experiments).
max_mib=${PRC_MEMCG_MAX:-80}

setup() {
	oom_protect
	[ -d /sys/module/panthor_reclaim ] ||
		{ modprobe fixed && modprobe panthor_reclaim; } || fail "modprobe panthor_reclaim" || return 1
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	grep -q '^/dev/zram0 ' /proc/swaps || zram_swap 512 "lz4 lzo-rle" || return 1
	cgroup_memory || return 1
	rc_file=$(ls /sys/kernel/debug/dri/*/reclaim 2>/dev/null | head -n1)
	[ -n "$rc_file" ] || fail "no debugfs reclaim file" || return 1
	echo "  cgroup v2 at $root, zram swap, counters from $rc_file"
}

evicted() {
	sed -n 's/^evicted_pages //p' "$rc_file"
}

shmem_mib() {	# shmem_mib CGROUP: its resident shmem in MiB
	echo $(($(sed -n 's/^shmem //p' "$1/memory.stat") / 1048576))
}

# start CGROUP OUT ARGS...: panthor-pressure in CGROUP, output to OUT; sets $pid.
start() {
	cg=$1 o=$2
	shift 2
	mkdir -p "$cg"
	sh -c "echo \$\$ >$cg/cgroup.procs && exec panthor-pressure $*" >"$o" 2>&1 &
	pid=$!
}

# wait_idle OUT PID: until the workload of OUT is idle (60 s at most).
wait_idle() {
	i=0
	while ! grep -q '^PRESSURE-IDLE' "$1" && kill -0 "$2" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q '^PRESSURE-IDLE' "$1" || { sed 's/^/  | /' "$1"; fail "workload of $1 never idle"; }
}

# verdict OUT LABEL: the workload completed and lost nothing.
verdict() {
	s=$(grep '^PRESSURE-SUMMARY' "$1")
	echo "  $2: $(echo "$s" | grep -o 'procs=[0-9]* completed=[0-9]* failed=[0-9]* killed=[0-9]*'), $(echo "$s" | grep -o 'lost=[0-9]*')"
	[ -n "$s" ] || { sed 's/^/  | /' "$1"; fail "$2: no summary"; } || return 1
	procs=$(echo "$s" | sed 's/.*procs=\([0-9]*\).*/\1/')
	echo "$s" | grep -q "completed=$procs " || { grep -v '^PRESSURE' "$1" | tail -n 8 | sed 's/^/  | /'; fail "$2: not every process completed"; } || return 1
	echo "$s" | grep -q ' lost=0 ' || fail "$2: bytes lost"
}

memcg_reclaim() {
	a=$root/prc-a b=$root/prc-b
	start $a /tmp/memcg-a.out -n 1 -m 64 -i 60 -s 11
	pa=$pid
	start $b /tmp/memcg-b.out -n 1 -m 64 -i 60 -s 12
	pb=$pid
	wait_idle /tmp/memcg-a.out $pa && wait_idle /tmp/memcg-b.out $pb || return 1
	e0=$(evicted)
	a0=$(shmem_mib $a) b0=$(shmem_mib $b)
	pa0=$(memcg_pages "$rc_file" $a) pb0=$(memcg_pages "$rc_file" $b)
	echo "  the driver's reclaim file: A's cgroup $pa0 reclaimable pages, B's $pb0"
	t0=$(date +%s)
	# Less than all of it may be reclaimed (-EAGAIN): the counters say what went.
	echo 64M >$a/memory.reclaim 2>/dev/null
	t1=$(date +%s)
	e1=$(evicted)
	a1=$(shmem_mib $a) b1=$(shmem_mib $b)
	echo "  memory.reclaim 64M on A's cgroup ($((t1 - t0)) s): the driver evicted $((e1 - e0)) pages;"
	echo "  resident shmem: A $a0 -> $a1 MiB, B $b0 -> $b1 MiB; A's swap $(($(cat $a/memory.swap.current) / 1048576)) MiB"
	echo "  after: A's cgroup $(memcg_pages "$rc_file" $a) reclaimable pages, B's $(memcg_pages "$rc_file" $b)"
	kill -USR1 $pa $pb
	wait $pa
	wait $pb
	ok=0
	verdict /tmp/memcg-a.out A || ok=1
	verdict /tmp/memcg-b.out B || ok=1
	# 64 MiB of BOs is 16384 pages: each cgroup's must be listed, and most of A's must go.
	[ "$pa0" != none ] && [ "$pa0" -ge 16384 ] && [ "$pb0" != none ] && [ "$pb0" -ge 16384 ] ||
		fail "the reclaim file does not list 16384 pages or more for each cgroup" || ok=1
	[ $((e1 - e0)) -ge 12288 ] || fail "A's cgroup reclaim evicted $((e1 - e0)) pages, not 12288 or more" || ok=1
	[ $((a0 - a1)) -ge 48 ] || fail "A's resident shmem went down by $((a0 - a1)) MiB, not 48 or more" || ok=1
	[ $((b0 - b1)) -le 8 ] || fail "B's resident shmem went down by $((b0 - b1)) MiB: reclaim of A took B's" || ok=1
	rmdir $a $b
	return $ok
}

memcg_limit() {
	c=$root/prc-c
	mkdir -p $c
	echo ${max_mib}M >$c/memory.max || fail "memory.max" || return 1
	e0=$(evicted)
	t0=$(date +%s)
	start $c /tmp/memcg-c.out -n 2 -m 48 -E -i 1 -s 13
	wait $pid
	t1=$(date +%s)
	e1=$(evicted)
	ev=$(sed -n 's/^oom_kill //p' $c/memory.events)
	echo "  memory.max ${max_mib}M, 2 x 48 MiB of BOs, one process at a time: done in $((t1 - t0)) s;"
	echo "  the driver evicted $((e1 - e0)) pages; peak $(($(cat $c/memory.peak 2>/dev/null || echo 0) / 1048576)) MiB; oom_kill $ev"
	ok=0
	verdict /tmp/memcg-c.out C || ok=1
	[ "$ev" = 0 ] || fail "$ev OOM kills in the cgroup" || ok=1
	[ $((e1 - e0)) -gt 0 ] || fail "nothing evicted: the limit was met some other way" || ok=1
	rmdir $c
	return $ok
}

setup || exit 1
subtest memcg-reclaim memcg_reclaim
subtest memcg-limit memcg_limit
prc_done
