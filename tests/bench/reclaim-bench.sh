#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench, second part: the reclaim group's pressure workload
# (tests/vm/guest/pressure.sh, 4 processes x 256 MiB of GPU-mapped BOs in a
# 512 MiB guest with zram, one process active at a time) RUNS times (default
# 6, PRC_BENCH_RECLAIM_RUNS) under each driver: stock panthor and
# panthor-reclaim on trixie's 6.12 and on the trixie-backports kernel of the
# matrix, ours also with reclaim_writeback=1. Prints per driver how many
# runs completed, bytes lost, and the medians of the run time, of the
# read-back time, of what the driver's shrink freed within one second and of
# the shrinker's scan latency (p50, p99; ours has the tracepoint). The first
# run of each driver's resident GPU memory over time becomes
# tests/bench/reclaim-resident.svg, which the README shows.
#
# Then throughput, PRC_BENCH_THROUGHPUT_RUNS (3) rounds of one process with
# 128 MiB of BOs, compressible and random data, an idle window long enough
# for the driver's shrink and the cgroup's memory.reclaim to push it all to
# zram: eviction and restore (the first job's submit) in MiB/s, against the
# kernel's MADV_PAGEOUT and touch-back of as much anonymous memory in the
# same guest. Measures only: nothing here fails on a number.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
cache=${PR_CACHE:-$top/.cache}
envval() { cat "$cache"/env*.mk | sed -n "s/^$1 := //p"; }
runs=${PRC_BENCH_RECLAIM_RUNS:-6}
truns=${PRC_BENCH_THROUGHPUT_RUNS:-3}
args="-n 4 -m 256 -E"
logs=$top/build/logs
mkdir -p "$logs"

median() {	# median of the numbers on stdin ("-" when none)
	sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else print v[int((NR + 1) / 2)] }'
}

# variant LABEL DRIVER MODARGS RUN_ARGS...: RUNS boots, one table row.
rows=
plots=()
variant() {
	local label=$1 drv=$2 modargs=$3 i line done=0 lost=0 secs='' verify='' freed='' p50='' p99=''
	shift 3
	for i in $(seq 1 "$runs"); do
		bash tests/vm/run.sh --ko none "$@" --mem 512M --timeout 420 \
			--log "$logs/bench-reclaim-serial.log" \
			--cmd "PRC_PRESSURE_ARGS='$args' PRC_PRESSURE_MODARGS='$modargs' PRC_PRESSURE_DRIVER=$drv run-tests.sh pressure" \
			>"$logs/bench-reclaim.log" 2>&1
		line=$(grep -m1 '^PRC-PRESSURE ' "$logs/bench-reclaim-serial.log")
		val() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
		echo "  $label, run $i: $(val outcome), $(val secs) s, read-back $(val verify_s) s, freed in 1 s $(val freed_1s_mib) MiB" >&2
		[ -n "$line" ] || continue
		if [ "$i" = 1 ]; then
			sed -n 's/^PRC-PRESSURE-SERIES //p' "$logs/bench-reclaim-serial.log" \
				>"$logs/bench-series-${#plots[@]}.txt"
			plots+=("$label=$logs/bench-series-${#plots[@]}.txt")
		fi
		[ "$(val completed)" = "$(val procs)" ] && done=$((done + 1))
		p50+="$(val scan_p50_us)"$'\n'
		p99+="$(val scan_p99_us)"$'\n'
		lost=$((lost + $(val lost)))
		secs+="$(val secs)"$'\n'
		verify+="$(val verify_s)"$'\n'
		freed+="$(val freed_1s_mib)"$'\n'
	done
	rows+="$label|$done/$runs|$lost|$(printf '%s' "$secs" | grep -v '^$' | median)"
	rows+="|$(printf '%s' "$verify" | grep -v '^$' | median)"
	rows+="|$(printf '%s' "$freed" | grep -E '^-?[0-9]+$' | median)"
	rows+="|$(printf '%s' "$p50" | grep -E '^[0-9]+$' | median)/$(printf '%s' "$p99" | grep -E '^[0-9]+$' | median)"$'\n'
}

# throughput LABEL DRIVER RUN_ARGS...: eviction and restore of 128 MiB.
trows=
throughput() {
	local label=$1 drv=$2 i data line ev re po pi
	shift 2
	for data in compressible random; do
		ev='' re='' po='' pi=''
		for i in $(seq 1 "$truns"); do
			bash tests/vm/run.sh --ko none "$@" --mem 512M --timeout 420 \
				--log "$logs/bench-reclaim-serial.log" \
				--cmd "PRC_PRESSURE_ARGS='-n 1 -m 128 $([ $data = random ] && echo -R)' PRC_PRESSURE_IDLE=40 PRC_PRESSURE_PAGEOUT=128 PRC_PRESSURE_DRIVER=$drv run-tests.sh pressure" \
				>"$logs/bench-reclaim.log" 2>&1
			line=$(grep -m1 '^PRC-PRESSURE ' "$logs/bench-reclaim-serial.log")
			val() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
			ev+="$(val evict_mib_s)"$'\n'
			re+="$(val restore_mib_s)"$'\n'
			line=$(grep -m1 'PRESSURE-PAGEOUT ' "$logs/bench-reclaim-serial.log")
			po+="$(val out_mibs)"$'\n'
			pi+="$(val in_mibs)"$'\n'
			echo "  $label, $data, round $i: evict $(printf '%s' "$ev" | tail -n1) MiB/s, restore $(printf '%s' "$re" | tail -n1) MiB/s" >&2
		done
		ev=$(printf '%s' "$ev" | grep -E '^[0-9.]+$' | median)
		re=$(printf '%s' "$re" | grep -E '^[0-9.]+$' | median)
		po=$(printf '%s' "$po" | grep -E '^[0-9.]+$' | median)
		pi=$(printf '%s' "$pi" | grep -E '^[0-9.]+$' | median)
		trows+="$label|$data|$ev|$po|$(ratio "$ev" "$po")|$re|$pi|$(ratio "$re" "$pi")"$'\n'
	done
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'
}

kver=$(envval PR_KVER)
make -s module >"$logs/bench-reclaim-module.log" 2>&1 || { echo "module build failed" >&2; exit 2; }
ours=$top/build/$kver/panthor_reclaim.ko
variant "stock panthor, $kver" panthor ""
variant "panthor-reclaim, $kver" panthor_reclaim "" --ko "$ours"
variant "panthor-reclaim writeback, $kver" panthor_reclaim reclaim_writeback=1 --ko "$ours"
throughput "panthor-reclaim, $kver" panthor_reclaim --ko "$ours"
kimg=$(envval PR_MATRIX_bpo_KIMG)
kdir=$(envval PR_MATRIX_bpo_KDIR)
bver=$(envval PR_MATRIX_bpo_KVER)
if [ -n "$kimg" ] && [ -n "$kdir" ] &&
	make -s module KDIR="$kdir" BUILDDIR="$top/build/bench-bpo" >"$logs/bench-reclaim-module-bpo.log" 2>&1; then
	variant "stock panthor, $bver" panthor "" --kernel "$kimg"
	variant "panthor-reclaim, $bver" panthor_reclaim "" --kernel "$kimg" \
		--ko "$top/build/bench-bpo/panthor_reclaim.ko"
	variant "panthor-reclaim writeback, $bver" panthor_reclaim reclaim_writeback=1 \
		--kernel "$kimg" --ko "$top/build/bench-bpo/panthor_reclaim.ko"
	throughput "stock panthor, $bver" panthor --kernel "$kimg"
	throughput "panthor-reclaim, $bver" panthor_reclaim --kernel "$kimg" \
		--ko "$top/build/bench-bpo/panthor_reclaim.ko"
else
	echo "no trixie-backports kernel in the matrix (make setup): 6.12 only" >&2
fi

echo "pressure workload ($args), 512 MiB guest, zram; $runs runs per driver, medians:"
{
	echo "driver|completed runs|lost bytes|run s|read-back s|MemFree +MiB 1 s after shrink|scan p50/p99 us"
	printf '%s' "$rows"
} | column -t -s '|'
echo
echo "throughput, 1 x 128 MiB pushed to zram (shrink, then memory.reclaim), $truns rounds, medians, MiB/s:"
{
	echo "driver|data|evict|MADV_PAGEOUT|ratio|restore (first submit)|anonymous touch-back|ratio"
	printf '%s' "$trows"
} | column -t -s '|'
python3 tests/bench/plot-resident.py "$top/tests/bench/reclaim-resident.svg" "${plots[@]}" &&
	echo "plot of resident GPU memory: tests/bench/reclaim-resident.svg"
