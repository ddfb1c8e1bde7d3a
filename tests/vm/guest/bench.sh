#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench: panthor-bench under stock panthor, then under panthor-reclaim,
# on the same model in the same VM; prints each measurement and ours/stock.
# Measures only: nothing here can fail on a number.
. /tests/lib.sh

modprobe fixed

measure() {	# measure MODULE ARGS OUTPUT
	modprobe "$1" $2 || fail "modprobe $1 $2" || return 1
	panthor-bench >"$3"
	rmmod "$1"
	grep -q '^bench ' "$3" || fail "no measurements under $1"
}

subtest bench-stock measure panthor "" /tmp/bench-stock.txt
subtest bench-reclaim measure panthor_reclaim "" /tmp/bench-ours.txt
# The cost of reclaim: ours with the shrinker on and off (reclaim=0), in
# alternating rounds (the order of single runs moves the numbers more than
# the difference), medians compared.
: >/tmp/bench-on-all.txt
: >/tmp/bench-off-all.txt
for round in 1 2 3; do
	subtest "bench-reclaim-on-$round" measure panthor_reclaim "" /tmp/bench-on.txt
	cat /tmp/bench-on.txt >>/tmp/bench-on-all.txt
	subtest "bench-reclaim-off-$round" measure panthor_reclaim reclaim=0 /tmp/bench-off.txt
	cat /tmp/bench-off.txt >>/tmp/bench-off-all.txt
done

# Lower is better for latency and memory, higher for rates; the ratio is
# always ours/stock, so read it with the unit.
echo "PRC-BENCH-BEGIN"
printf '%-16s %14s %14s %8s\n' measurement stock panthor-reclaim ours/stock
while read -r _ name value unit rest; do
	theirs=$(grep "^bench $name " /tmp/bench-stock.txt)
	tv=$(echo "$theirs" | cut -d' ' -f3)
	case "$value" in
	unsupported|failed) printf '%-16s %14s %14s %8s  %s\n' "$name" "$tv ${theirs##* }" \
		"$value" - "$unit $rest" ;;
	*) printf '%-16s %14s %14s %8s\n' "$name" "$tv $unit" "$value $unit" \
		"$(awk -v a="$value" -v b="$tv" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')" ;;
	esac
done </tmp/bench-ours.txt
median_of() {	# median_of NAME FILE: the median of NAME's values in FILE
	grep "^bench $1 " "$2" | cut -d' ' -f3 | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}
for name in submit_latency job_latency; do
	on=$(median_of "$name" /tmp/bench-on-all.txt)
	off=$(median_of "$name" /tmp/bench-off-all.txt)
	printf '%-16s reclaim on %s, off (reclaim=0) %s, medians of 3 alternating rounds: on/off %s\n' \
		"$name" "$on" "$off" \
		"$(awk -v a="$on" -v b="$off" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }')"
done
echo "PRC-BENCH-END"
prc_done
