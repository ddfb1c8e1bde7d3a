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
echo "PRC-BENCH-END"
prc_done
