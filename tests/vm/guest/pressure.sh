#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The pressure workload (panthor-pressure) under one driver, in a guest set
# up for reclaim: zram swap, cgroup v2 with the workload in a child cgroup
# (whose memory.reclaim and memory.stat we use), the harness out of the OOM
# killer's reach (oom_score_adj -1000 for every process that runs before the
# workload; the workers set theirs to 0). Run by run-tests.sh; the host sets
#   PRC_PRESSURE_DRIVER  panthor (default) or panthor_reclaim
#   PRC_PRESSURE_ARGS    panthor-pressure's options (default "-n 4 -m 256")
#   PRC_PRESSURE_IDLE    seconds the filled BOs stay idle before the read-back
#                        (default 8); in that window this script asks the
#                        driver's shrinker (debugfs "shrink", where there is
#                        one) and the cgroup (memory.reclaim) for memory back
#   PRC_PRESSURE_DEADLINE  seconds after which the workload kills its workers
#                        that did not finish and reports them (default 200)
#   PRC_PRESSURE_ZRAM    zram swap size in MiB (default 1536; 0: no swap)
#   PRC_PRESSURE_MODARGS the driver module's parameters
#   PRC_PRESSURE_PAGEOUT MiB: afterwards, time MADV_PAGEOUT of that much
#                        anonymous memory and its touch-back (panthor-pressure -P)
#   PRC_PRESSURE_COMP    zram compressor (default lz4, else lzo-rle, else
#                        the kernel's default)
# What it prints: memory and swap before, when filled, after the idle
# reclaim and at the end; the driver's debugfs gems totals where it has the
# file; OOM kills in the kernel log; the workload's own report; and one line
#   PRC-PRESSURE driver=... outcome=... key=value...
# for the host (with the eviction and restore throughputs and, for ours, the
# pages the kernel's own reclaim evicted while the workload filled and the
# shrinker's scan latency from its tracepoint), then the resident GPU memory
# once a second as lines "PRC-PRESSURE-SERIES SECONDS MIB". Passes when the workload reported its outcome and no byte
# it read back differed from what it wrote, whatever the outcome.
. /tests/lib.sh

drv=${PRC_PRESSURE_DRIVER:-panthor}
args=${PRC_PRESSURE_ARGS:--n 4 -m 256}
idle=${PRC_PRESSURE_IDLE:-8}
deadline=${PRC_PRESSURE_DEADLINE:-200}
zram_mib=${PRC_PRESSURE_ZRAM:-1536}
comp=${PRC_PRESSURE_COMP:-lz4 lzo-rle}
cg=/sys/fs/cgroup/prc-pressure
out=/tmp/pressure.out

zram_setup() {
	[ "$zram_mib" -gt 0 ] || { echo "  no swap (PRC_PRESSURE_ZRAM=0)"; return 0; }
	# shellcheck disable=SC2086
	zram_swap "$zram_mib" "$comp"
}

cgroup_setup() {
	cgroup_memory || return 1
	mkdir -p $cg
	[ -f $cg/memory.reclaim ] || fail "no memory.reclaim in $cg" || return 1
	echo "  cgroup v2 at /sys/fs/cgroup, the workload in $cg"
}

vmstat() {
	sed -n "s/^$1 //p" /proc/vmstat
}

cgstat() {	# cgstat KEY: a memory.stat value of the workload's cgroup in MiB
	echo $(($(sed -n "s/^$1 //p" $cg/memory.stat) / 1048576))
}

# The driver's debugfs gems totals (upstream 7.x panthor and panthor-reclaim
# end it with the same line; 6.12 has no file).
gems_file() {
	for f in /sys/kernel/debug/dri/*/gems; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
}

# Upstream's last line: "Total size: N, Total resident: N, Total
# reclaimable: N" (bytes); other formats are not parsed.
gems_upstream() {
	f=$(gems_file)
	[ -n "$f" ] && tail -n1 "$f" | grep -q '^Total size: '
}

gems_totals() {
	gems_upstream || { echo "n/a"; return; }
	tail -n1 "$f" | awk -F'[:,] *' '{ printf "size %d MiB, resident %d MiB, reclaimable %d MiB",
		$2 / 1048576, $4 / 1048576, $6 / 1048576 }'
}

gems_resident() {	# resident MiB, or "n/a"
	gems_upstream || { echo n/a; return; }
	tail -n1 "$f" | awk -F'[:,] *' '{ printf "%d", $4 / 1048576 }'
}

snapshot() {	# snapshot LABEL
	s="MemFree $(mib MemFree) MiB, MemAvailable $(mib MemAvailable) MiB,"
	s="$s SwapFree $(mib SwapFree) MiB, pswpout $(vmstat pswpout), pswpin $(vmstat pswpin)"
	[ -f $cg/memory.stat ] &&
		s="$s; cgroup: current $(($(cat $cg/memory.current) / 1048576)) MiB, shmem $(cgstat shmem) MiB"
	[ -f $cg/memory.swap.current ] &&
		s="$s, swap $(($(cat $cg/memory.swap.current) / 1048576)) MiB"
	echo "  $1: $s"
	echo "  $1: gems: $(gems_totals)"
	# panthor-reclaim's own counters, where it has them.
	r=$(dirname "$(gems_file)")/reclaim
	[ -z "$(gems_file)" ] || [ ! -f "$r" ] || sed "s/^/  $1: reclaim: /" "$r" | head -n 4
}

# In the idle window: the driver's own shrinker first (all of it), then the
# cgroup's reclaim, which pushes what the shrinker gave back to swap.
reclaim() {
	shrink=$(dirname "$(gems_file)")/shrink
	ecs0=$(uptime_cs)
	res0=$(resident)
	if [ -n "$(gems_file)" ] && [ -f "$shrink" ]; then
		rt0=$(date +%s)
		free0=$(mib MemFree)
		echo 1048576 >"$shrink"
		free1=$(mib MemFree)
		sleep 1
		free2=$(mib MemFree)
		# Upstream reads back the pages freed (hex), ours a sentence.
		r=$(cat "$shrink")
		case $r in 0x*) r="freed $((r)) pages" ;; esac
		echo "  debugfs $shrink: asked for 1048576 pages: $r, in $(($(date +%s) - rt0 - 1)) s;"
		echo "  MemFree $free0 MiB before, $free1 MiB when it returned, $free2 MiB 1 s later"
		freed_1s=$((free2 - free0))
	fi
	rt0=$(date +%s)
	# Bounded: the run must stay within run-tests.sh's 300 s.
	if timeout 30 sh -c "echo 2G >$cg/memory.reclaim" 2>/dev/null; then
		r="all 2G"
	else
		r="less than 2G"
	fi
	echo "  memory.reclaim 2G: reclaimed $r in $(($(date +%s) - rt0)) s"
	# Eviction throughput: resident GPU memory gone, over the shrink and memory.reclaim.
	ecs=$(($(uptime_cs) - ecs0))
	gone=$((res0 - $(resident)))
	[ "$ecs" -gt 0 ] && evict_mib_s=$((gone * 100 / ecs))
	echo "  evicted $gone MiB of GPU memory in $ecs cs: ${evict_mib_s:-n/a} MiB/s"
}

# A counter of ours' debugfs reclaim file, "n/a" for a driver without one.
reclaim_counter() {
	r=$(dirname "$(gems_file)")/reclaim
	if [ -n "$(gems_file)" ] && [ -f "$r" ]; then
		sed -n "s/^$1 //p" "$r"
	else
		echo n/a
	fi
}

swap_peak() {	# the most swap in use so far, in swapmax (MiB)
	u=$((swap0 - $(mib SwapFree)))
	[ $u -le "$swapmax" ] || swapmax=$u
}

uptime_cs() {	# the time since boot in centiseconds
	awk '{ printf "%d", $1 * 100 }' /proc/uptime
}

resident() {	# GPU memory resident in MiB: the driver's gems total, else the cgroup's shmem
	r=$(gems_resident)
	case $r in ''|n/a) cgstat shmem ;; *) echo "$r" ;; esac
}

# Once a second while the workload runs: the swap peak, and one point of
# the resident-memory series (seconds since the start, MiB) for make bench.
sample() {
	swap_peak
	echo "$((($(uptime_cs) - cs0) / 100)) $(resident)" >>/tmp/pressure.series
}

# The shrinker's scan times from its tracepoint (ours): "p50 p99" in us.
scan_latency() {
	tr=/sys/kernel/tracing
	if ! grep -q 'prc_reclaim_scan' $tr/trace 2>/dev/null; then
		echo "n/a n/a"
		return
	fi
	sed -n 's/.*prc_reclaim_scan: .* ns=\([0-9]*\).*/\1/p' $tr/trace | sort -n |
		awk '{ v[NR] = $1 } END { printf "%d %d", v[int((NR + 1) / 2)] / 1000, v[int((NR * 99 + 99) / 100)] / 1000 }'
}

run() {
	# Before the workload, which its workers leave (oom_score_adj 0).
	oom_protect
	modprobe fixed
	# shellcheck disable=SC2086
	modprobe "$drv" ${PRC_PRESSURE_MODARGS:-} || fail "modprobe $drv" || return 1
	zram_setup && cgroup_setup || return 1
	kmsg_mark pressure
	# The shrinker's scans (ours has the tracepoint): their latency.
	ev=/sys/kernel/tracing/events/panthor_reclaim/prc_reclaim_scan/enable
	mount -t tracefs none /sys/kernel/tracing 2>/dev/null
	[ -f $ev ] && echo 1 >$ev
	: >/tmp/pressure.series
	cs0=$(uptime_cs)
	swap0=$(mib SwapFree)
	out0=$(vmstat pswpout)
	snapshot before
	ev0=$(reclaim_counter evicted_pages)
	t0=$(date +%s)
	# The workload in the child cgroup, its own oom_score_adj (the workers
	# reset theirs to 0; its parent keeps -1000 to report them).
	# shellcheck disable=SC2086
	sh -c "echo \$\$ >$cg/cgroup.procs && exec panthor-pressure -i $idle -T $deadline $args" >$out 2>&1 &
	pid=$!
	swapmax=0
	while ! grep -q '^PRESSURE-IDLE' $out && kill -0 $pid 2>/dev/null; do
		sleep 1
		sample
	done
	filled=$(cgstat shmem) gems_filled=$(gems_resident)
	# Before the idle window nothing but the kernel's own reclaim (kswapd,
	# direct reclaim) calls the shrinker.
	ev1=$(reclaim_counter evicted_pages)
	case "$ev0$ev1" in *n/a*) evicted_fill=n/a ;; *) evicted_fill=$((ev1 - ev0)) ;; esac
	if grep -q '^PRESSURE-IDLE' $out; then
		echo "  filled after $(($(date +%s) - t0)) s"
		snapshot filled
		reclaim
		# Sampled at once: the read-back after the idle window restores.
		reclaimed=$(cgstat shmem) gems_reclaimed=$(gems_resident)
		snapshot reclaimed
		swap_peak
	else
		reclaimed=$(cgstat shmem) gems_reclaimed=$(gems_resident)
	fi
	while kill -0 $pid 2>/dev/null; do
		sample
		sleep 1
	done
	wait $pid
	rc=$?
	t1=$(date +%s)
	grep -v '^PRESSURE-IDLE' $out | sed 's/^/  /'
	snapshot after
	ooms=$(kmsg_since_mark | grep -c 'Killed process')
	pout=$(($(vmstat pswpout) - out0))
	if [ -n "${PRC_PRESSURE_PAGEOUT:-}" ]; then
		# The kernel's own swap path on the same zram, for comparisons.
		sh -c "echo \$\$ >$cg/cgroup.procs && exec panthor-pressure -P $PRC_PRESSURE_PAGEOUT" |
			sed 's/^/  /'
	fi
	kmsg_since_mark | grep -E 'Killed process|page allocation failure|invoked oom-killer' |
		sed 's/^/  kernel: /' | head -n 12
	sum=$(grep '^PRESSURE-SUMMARY' $out)
	[ -n "$sum" ] || fail "the workload did not report (exit $rc)" || return 1
	val() { echo "$sum" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
	procs=$(val procs) done=$(val completed) lost=$(val lost)
	if [ "$done" = "$procs" ]; then
		outcome=completed
	else
		outcome="$done/$procs-completed"
		# Which signal: SIGKILL is the OOM killer's, SIGBUS a CPU fault the
		# driver could not serve.
		sigs=$(grep -o 'killed by SIG[A-Z]*' $out | sed 's/killed by //' | sort | uniq -c |
			awk '{ printf "%s%s", s, $2; s = "+" }')
		[ "$(val killed)" = 0 ] || outcome="$outcome,$(val killed)-killed($sigs)"
		[ "$(val timedout)" = 0 ] || outcome="$outcome,$(val timedout)-timedout"
		[ "$(val failed)" = 0 ] || outcome="$outcome,$(val failed)-failed($(grep -m1 -o 'failed: [^;]*' $out | sed 's/failed: //; s/ of BO [0-9]*//; s/: .*(errno \([0-9]*\))/:errno\1/; s/ /_/g'))"
	fi
	lat=$(scan_latency)
	echo "PRC-PRESSURE driver=$drv kernel=$(uname -r) outcome=$outcome procs=$procs completed=$done verified_mib=$(($(val verified) / 1048576)) gpu_verified=$(val gpu_verified) lost=$lost swap_peak_mib=$swapmax pswpout=$pout oom_kills=$ooms shmem_filled_mib=$filled shmem_reclaimed_mib=$reclaimed gems_filled_mib=$gems_filled gems_reclaimed_mib=$gems_reclaimed evicted_fill_pages=$evicted_fill freed_1s_mib=${freed_1s:-n/a} verify_s=$(val verify_s) restore_mib_s=$(val restore_mib_s) evict_mib_s=${evict_mib_s:-n/a} scan_p50_us=${lat% *} scan_p99_us=${lat#* } secs=$((t1 - t0))"
	sed 's/^/PRC-PRESSURE-SERIES /' /tmp/pressure.series
	[ "$lost" = 0 ] || fail "$lost bytes read back different from what was written" || return 1
}

subtest "pressure-$drv" run
prc_done
