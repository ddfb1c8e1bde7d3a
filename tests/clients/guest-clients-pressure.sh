# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Guest side of the clients group's pressure boots (busybox sh), sent as
# run.sh's --cmd after "set -- DRIVER MESA...", these settings and
# tests/clients/guest-clients-lib.sh:
#   PRC_CP_ARGS   the background workload's options (panthor-pressure)
#   PRC_CP_IDLE   seconds its filled BOs stay idle at most: the window the
#                 clients run in (the read-back follows once they ended, or
#                 when it is over)
#   PRC_CP_ZRAM   zram swap size in MiB
# Load DRIVER (panthor or panthor_reclaim) in a guest set up as
# tests/vm/guest/pressure.sh sets one up (zram swap, cgroup v2 with the
# workload in a child cgroup, every process already running out of the OOM
# killer's reach: the workload's workers reset theirs to 0). Start the
# pressure workload in the background: it fills GPU-mapped BOs, more than
# the guest's RAM with the clients' own memory, and idles. Nothing asks the
# driver for memory (no debugfs shrink, no memory.reclaim): what leaves RAM
# is what the kernel's reclaim took. Then, for each Mesa tree of the disk,
# in a chroot as tests/clients/guest-clients.sh runs them, the clients with
# data checks: vk-check (its memory subtest reads back what it wrote) and
# peglgears (frames). Their output is framed as guest-clients.sh frames it,
# for the same verdicts on the host. Last, wait for the workload's read-back
# (every byte it wrote) and print one line for the host:
#   PRC-CLIENTS-PRESSURE driver=... key=value...
# with the driver's reclaim counters (debugfs "reclaim", ours only), swap in
# use, OOM kills and the workload's outcome. The command's exit status is
# that of the driver load; the verdicts are the host's.
# shellcheck disable=SC1091 # the guest's tests/vm/guest/lib.sh
. /tests/lib.sh

driver=$1
shift
args=${PRC_CP_ARGS:--n 3 -m 256 -E}
idle=${PRC_CP_IDLE:-60}
zram_mib=${PRC_CP_ZRAM:-1536}
cg=/sys/fs/cgroup/prc-clients-pressure
wout=/tmp/workload.out

# Everything running now is the harness: it and the clients (started from
# this shell) stay; the workload's workers set theirs to 0.
oom_protect

clients_load "$driver"

# The driver's debugfs directory: the one with a gems file (7.x stock and
# ours); 6.12's stock has none.
dbg=
for f in /sys/kernel/debug/dri/*/gems; do
	[ -f "$f" ] && { dbg=$(dirname "$f"); break; }
done

counter() {	# counter NAME: a value of ours' debugfs reclaim file, "n/a" elsewhere
	v=
	[ -z "$dbg" ] || [ ! -f "$dbg/reclaim" ] || v=$(sed -n "s/^$1 //p" "$dbg/reclaim")
	echo "${v:-n/a}"
}

gems() {	# the gems file's totals in MiB, "n/a" without one
	if [ -z "$dbg" ] || ! tail -n1 "$dbg/gems" | grep -q '^Total size: '; then
		echo n/a
		return
	fi
	tail -n1 "$dbg/gems" | awk -F', *' '{
		s = ""
		for (i = 1; i <= NF; i++) {
			split($i, kv, ": *"); sub(/^Total /, "", kv[1])
			s = s sprintf("%s%s %d MiB", i > 1 ? ", " : "", kv[1], kv[2] / 1048576)
		}
		print s }'
}

snapshot() {	# snapshot LABEL
	s="MemFree $(mib MemFree) MiB, swap used $(($(mib SwapTotal) - $(mib SwapFree))) MiB"
	[ ! -f $cg/memory.current ] ||
		s="$s; workload cgroup: $(($(cat $cg/memory.current) / 1048576)) MiB in RAM"
	[ ! -f $cg/memory.swap.current ] ||
		s="$s, $(($(cat $cg/memory.swap.current) / 1048576)) MiB in swap"
	echo "  $1: $s"
	echo "  $1: gems: $(gems); reclaim: evicted $(counter evicted_pages), restored $(counter restored_pages) pages"
}

# zram swap and cgroup v2, as pressure.sh sets them up.
zram_swap "$zram_mib" "lz4 lzo-rle" || echo "  no zram swap"
cgroup_memory
mkdir -p $cg
echo "  guest: $(mib MemTotal) MiB of RAM, zram swap $(($(mib SwapTotal))) MiB;" \
	"workload: panthor-pressure $args, idle $idle s"

# The peak of swap in use and the driver's counters, sampled every second
# while the workload runs (a sample per line: swap_mib evicted restored).
sampler() {
	while :; do
		echo "$(($(mib SwapTotal) - $(mib SwapFree))) $(counter evicted_pages) $(counter restored_pages)"
		sleep 1
	done >/tmp/samples
}

kmsg_mark clients-pressure
ev0=$(counter evicted_pages) re0=$(counter restored_pages)
hd0=$(counter heap_discarded_pages) hr0=$(counter heap_restored_pages)
snapshot before
t0=$(date +%s)
sampler &
spid=$!
# shellcheck disable=SC2086
sh -c "echo \$\$ >$cg/cgroup.procs && exec panthor-pressure -i $idle -T 240 $args" >$wout 2>&1 &
wpid=$!
while ! grep -q '^PRESSURE-IDLE' $wout && kill -0 $wpid 2>/dev/null; do
	sleep 1
done
grep -q '^PRESSURE-IDLE' $wout && idle_t=$(date +%s) || idle_t=
ev1=$(counter evicted_pages) re1=$(counter restored_pages)
if [ -n "$idle_t" ]; then
	echo "  workload filled after $((idle_t - t0)) s"
else
	echo "  the workload ended before its idle window (exit status below)"
fi
snapshot filled

c0=$(date +%s)
for m in "$@"; do
	mesa_enter "$m"
	client "$m" vk-check 180 vk-check
	client "$m" peglgears 60 peglgears
	mesa_leave "$m"
	snapshot "after $m"
done
c1=$(date +%s)
ev2=$(counter evicted_pages) re2=$(counter restored_pages)
swap_clients=$(($(mib SwapTotal) - $(mib SwapFree)))
# Whether the clients ran entirely inside the workload's idle window (its
# read-back, which restores, started after them) or overlapped its read-back.
if [ -n "$idle_t" ] && [ $((idle_t + idle)) -ge "$c1" ]; then
	window=inside
else
	window=overlapping
fi
echo "  clients ran for $((c1 - c0)) s, $window the workload's idle window"
# Nothing more to run against it: the read-back may start (a SIGUSR1 ends
# the idle window; the workload installed its handler before PRESSURE-IDLE).
[ -n "$idle_t" ] && kill -USR1 $wpid 2>/dev/null

wait $wpid
wrc=$?
t1=$(date +%s)
kill $spid
wait $spid 2>/dev/null
sed 's/^/  /' $wout | grep -v '^  PRESSURE-IDLE'
snapshot after
ev3=$(counter evicted_pages) re3=$(counter restored_pages)
peak=$(awk '$1 > p { p = $1 } END { print p + 0 }' /tmp/samples)
ooms=$(kmsg_since_mark | grep -c 'Killed process')
kmsg_since_mark | grep -E 'Killed process|page allocation failure|invoked oom-killer|Out of memory' |
	sed 's/^/  kernel: /' | head -n 12

sum=$(grep '^PRESSURE-SUMMARY' $wout)
val() {	# val KEY: a value of the summary, 0 without one
	v=$(echo "$sum" | sed -n "s/.* $1=\([^ ]*\).*/\1/p")
	echo "${v:-0}"
}
diff_or_na() {	# diff_or_na A B: B - A, or n/a
	case "$1$2" in *n/a*) echo n/a ;; *) echo $(($2 - $1)) ;; esac
}
if [ -z "$sum" ]; then
	outcome="no-report(exit-$wrc)"
elif [ "$(val completed)" = "$(val procs)" ]; then
	outcome=completed
else
	sigs=$(grep -o 'killed by SIG[A-Z]*' $wout | sed 's/killed by //' | sort -u | tr '\n' '+' | sed 's/+$//')
	outcome="$(val completed)/$(val procs)-completed"
	[ "$(val killed)" = 0 ] || outcome="$outcome,$(val killed)-killed($sigs)"
	[ "$(val timedout)" = 0 ] || outcome="$outcome,$(val timedout)-timedout"
	[ "$(val failed)" = 0 ] || outcome="$outcome,$(val failed)-failed"
fi
echo "PRC-CLIENTS-PRESSURE driver=$driver kernel=$(uname -r) outcome=$outcome" \
	"procs=$(val procs) completed=$(val completed) verified_mib=$(($(val verified) / 1048576))" \
	"gpu_verified=$(val gpu_verified) lost=$(val lost)" \
	"evicted_fill=$(diff_or_na "$ev0" "$ev1") evicted_clients=$(diff_or_na "$ev1" "$ev2")" \
	"evicted=$(diff_or_na "$ev0" "$ev3") restored_clients=$(diff_or_na "$re1" "$re2")" \
	"restored=$(diff_or_na "$re0" "$re3") swap_peak_mib=$peak swap_clients_mib=$swap_clients" \
	"oom_kills=$ooms clients_s=$((c1 - c0)) window=$window secs=$((t1 - t0))" \
	"heap_discarded=$(diff_or_na "$hd0" "$(counter heap_discarded_pages)")" \
	"heap_restored=$(diff_or_na "$hr0" "$(counter heap_restored_pages)")"
