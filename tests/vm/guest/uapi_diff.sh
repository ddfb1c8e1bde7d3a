#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The differential uAPI suite (tests/uapi): every case runs under stock
# panthor and under panthor-reclaim on the same model, and the outcomes must
# be identical. Cases whose feature came with a uAPI minor newer than stock's
# (the suite knows each one's minor, and is told stock's) are our
# extensions: the suite asserts their outcome under ours and they are shown
# side by side. The suite fixes the number of cases, and of compared ones
# per stock minor, so a case that disappears fails.
. /tests/lib.sh

modprobe fixed

run_under() {	# run_under MODULE OUTPUT [SUITE ARGS]
	mod=$1 res=$2
	shift 2
	modprobe "$mod" || fail "modprobe $mod" || return 1
	uapi-diff "$@" >"$res"
	rc=$?
	# The suite's last case unbinds the GPU under a live client, and stock
	# 6.12 leaks the page tables of the VMs live at an unbind: rmmod panthor
	# would warn from kmem_cache_destroy. Stock releases the GPU by an
	# unbind instead, its module stays loaded.
	if [ "$mod" = panthor ]; then
		echo $gpu >/sys/bus/platform/drivers/panthor/unbind
	else
		rmmod "$mod"
	fi
	[ $rc = 0 ] || fail "uapi-diff under $mod exited $rc: $(tail -1 "$res")" || return 1
	# No driver holds the GPU now: a runtime-PM reference left behind (the
	# suite unbinds right after a job) would keep it up under the next one.
	u=$(cat /sys/bus/platform/devices/$gpu/power/runtime_usage)
	[ "$u" = 0 ] || fail "$mod left runtime_usage $u on the GPU after its unbind" || return 1
	echo "  no runtime-PM reference left on the GPU after $mod"
}

# The cases of result file $1 ("name: outcome"), without the suite's notes.
cases() {
	grep -v '^! ' "$1"
}

# How many cases file $1 has, after checking that their names are unique.
counted() {
	dup=$(cases "$1" | sed 's/:.*//' | sort | uniq -d)
	[ -z "$dup" ] || fail "$1: case names printed twice: $dup" || return 1
	cases "$1" | wc -l
}

# Job timeouts stock 6.12 logged since the mark. The suite blocks exactly one
# job on purpose (job_timeout.*); stock 6.12 sometimes times out a queue
# whose jobs all finished seconds before, and marks a live group of a later
# case TIMEDOUT (a known bug of stock 6.12, not of the model: its own log
# shows the extra "job timeout", ours never does).
stock_timeouts() {
	kmsg_since_mark | grep -c "panthor $gpu: \[drm\] job timeout"
}

stock_runs() {
	kmsg_mark stock
	run_under panthor /tmp/stock.txt || return 1
	stock_minor=$(sed -n 's/^! version 1\.\([0-9]*\)$/\1/p' /tmp/stock.txt)
	[ -n "$stock_minor" ] || fail "stock reported no uAPI version" || return 1
	n=$(stock_timeouts)
	if [ "$stock_minor" = 0 ] && [ "$n" -gt 1 ]; then
		echo "  ! retry: stock 6.12 logged $n job timeouts where the suite provokes 1" \
			"(its spurious job timeout): the stock run again"
		kmsg_mark stock-again
		echo $gpu >/sys/bus/platform/drivers/panthor/bind || fail "bind panthor again" ||
			return 1
		run_under panthor /tmp/stock.txt || return 1
	fi
	echo "  $(cases /tmp/stock.txt | wc -l) cases under stock panthor, uAPI 1.$stock_minor"
	notes /tmp/stock.txt
}

# The suite's retries (a timing hazard it detected, with the reason) and
# how long its timing-sensitive steps took, from result file $1.
notes() {
	grep '^! retry ' "$1" | sed 's/^! /  /'
	echo "  timing: $(grep '^! timing ' "$1" | sed 's/^! timing //' | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
}

reclaim_runs() {
	[ -n "${stock_minor:-}" ] || fail "no stock run to compare with" || return 1
	run_under panthor_reclaim /tmp/ours.txt --stock-minor "$stock_minor" || return 1
	echo "  $(cases /tmp/ours.txt | wc -l) cases under panthor-reclaim," \
		"uAPI $(sed -n 's/^! version //p' /tmp/ours.txt)"
	notes /tmp/ours.txt
}

# Every case present in both runs, as many as the suite fixes.
all_cases() {
	[ -s /tmp/stock.txt ] && [ -s /tmp/ours.txt ] || fail "missing results" || return 1
	want=$(sed -n 's/^! expect \([0-9]*\) cases.*/\1/p' /tmp/ours.txt)
	[ -n "$want" ] || fail "the suite did not finish (no expected count)" || return 1
	ok=0
	for f in /tmp/stock.txt /tmp/ours.txt; do
		n=$(counted $f) || return 1
		[ "$n" = "$want" ] || fail "$f: $n cases, the suite has $want" || ok=1
	done
	grep '^! unlisted ' /tmp/ours.txt | sed 's/^! unlisted /  check failed: ext case not in the suite'"'"'s table: /'
	! grep -q '^! unlisted ' /tmp/ours.txt || ok=1
	[ $ok = 0 ] && echo "  $want cases in each run, as the suite expects"
}

# The extensions: asserted under ours, shown next to stock's outcome.
extensions() {
	grep '^! extension ' /tmp/ours.txt | while read -r _ _ c minor; do
		echo "  extension $c (uAPI $minor): stock$(grep "^$c:" /tmp/stock.txt |
			sed 's/^[^:]*://'), ours$(grep "^$c:" /tmp/ours.txt | sed 's/^[^:]*://')"
	done
	grep '^! assert .* FAILED' /tmp/ours.txt | sed 's/^! assert /  check failed: /'
	n=$(grep -c '^! extension ' /tmp/ours.txt)
	a=$(grep -c '^! assert .* ok$' /tmp/ours.txt)
	[ "$n" = "$a" ] || fail "$((n - a)) of $n extensions not as expected under ours" || return 1
	echo "  all $n extensions over stock 1.$stock_minor as expected under ours"
}

# The cases on stdin that are not extensions (named in /tmp/ext.names).
compared() {
	awk -F': ' 'NR == FNR { x[$1]; next } !($1 in x)' /tmp/ext.names -
}

same_outcomes() {
	# Never empty (awk's NR == FNR would then hold on stdin too).
	{ echo '!'; grep '^! extension ' /tmp/ours.txt | sed 's/^! extension \([^ ]*\) .*/\1/'; } \
		>/tmp/ext.names
	want=$(sed -n 's/^! expect [0-9]* cases, \([0-9]*\) compared$/\1/p' /tmp/ours.txt)
	[ -n "$want" ] || fail "the suite fixes no compared count for stock 1.$stock_minor:" \
		"$(grep '^! expect' /tmp/ours.txt)" || return 1
	cases /tmp/stock.txt | compared >/tmp/stock.cmp
	cases /tmp/ours.txt | compared >/tmp/ours.cmp
	n=$(wc -l </tmp/ours.cmp)
	[ "$n" = "$want" ] || fail "$n cases compared, the suite fixes $want for stock 1.$stock_minor" ||
		return 1
	d=$(diff /tmp/stock.cmp /tmp/ours.cmp | grep '^[-+][a-z]')
	if [ -n "$d" ]; then
		echo "$d" | sed 's/^-/  stock: /; s/^+/  ours:  /'
		fail "$(echo "$d" | grep -c '^-') cases differ"
		return 1
	fi
	echo "  all $n outcomes identical, e.g.:"
	grep -E '^(vm_create.default|vm_bind.map_2m_aligned|vm_bind.unmap_middle|vm_bind.partial|heap.chunk_2m|user_mmio.flush_id_rw):' \
		/tmp/ours.txt | sed 's/^/    /'
}

# Heap growth needs the model's tiler heap mode, a QEMU option.
heap_growth() {
	if grep -q '^heap.growth_2m: model not in tiler heap mode' /tmp/stock.txt; then
		fail "heap growth not exercised: boot with QEMU_ARGS='-global mali-g610.idvs-heap-bytes=65536'"
		return 1
	fi
	echo "  $(grep '^heap.growth_2m:' /tmp/stock.txt)"
}

# Identical outcomes are not enough here: on 7.x a test that destroys syncobj
# handle 0 makes every new syncobj handle 0 under both drivers alike (the drm
# core's, not the driver's), and the wait then misses jobs under both. So
# each driver's many.* lines must show every job waited for and stored.
many_complete() {
	for f in /tmp/stock.txt /tmp/ours.txt; do
		for c in many.vms_and_groups many.vms_and_groups.again; do
			line=$(grep "^$c:" "$f")
			echo "$line" | grep -q ': 16 submitted, 16 distinct syncobjs, wait for all 0, 16 stored their word, 12 BOs hold no other VM.s word;' ||
				fail "${f#/tmp/} $line" || return 1
		done
	done
	echo "  both drivers: 16 groups in 12 VMs, 16 distinct syncobjs waited for, 16 words stored, twice"
}

subtest uapi-stock stock_runs
subtest uapi-reclaim reclaim_runs
subtest uapi-all-cases all_cases
subtest uapi-extensions extensions
subtest uapi-identical same_outcomes
subtest uapi-heap-growth heap_growth
subtest uapi-many-complete many_complete
prc_done
