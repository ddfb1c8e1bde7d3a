#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The differential uAPI suite (tests/uapi): every case runs under stock
# panthor and under panthor-reclaim on the same model, and the outcomes must
# be identical. The exceptions are our documented extensions, cases named
# "ext.*" (uAPI minors after stock 6.12's 1.0): their outcomes are shown
# side by side, not compared.
. /tests/lib.sh

modprobe fixed

run_under() {	# run_under MODULE ARGS OUTPUT
	modprobe "$1" $2 || fail "modprobe $1 $2" || return 1
	uapi-diff >"$3"
	rc=$?
	# The suite's last case unbinds the GPU under a live client, and stock
	# 6.12 leaks the page tables of the VMs live at an unbind: rmmod panthor
	# would warn from kmem_cache_destroy. Stock releases the GPU by an
	# unbind instead, its module stays loaded.
	if [ "$1" = panthor ]; then
		echo $gpu >/sys/bus/platform/drivers/panthor/unbind
	else
		rmmod "$1"
	fi
	[ $rc = 0 ] || fail "uapi-diff under $1 exited $rc: $(tail -1 "$3")"
}

stock_runs() {
	run_under panthor "" /tmp/stock.txt || return 1
	echo "  $(wc -l </tmp/stock.txt) cases under stock panthor"
}

reclaim_runs() {
	run_under panthor_reclaim "" /tmp/ours.txt || return 1
	echo "  $(wc -l </tmp/ours.txt) cases under panthor-reclaim"
}

same_outcomes() {
	[ -s /tmp/stock.txt ] && [ -s /tmp/ours.txt ] || fail "missing results" || return 1
	grep '^ext\.' /tmp/ours.txt | while read -r line; do
		c=${line%%:*}
		echo "  extension $c: stock$(grep "^$c:" /tmp/stock.txt | sed 's/^[^:]*://'), ours${line#*:}"
	done
	grep -v '^ext\.' /tmp/stock.txt >/tmp/stock.cmp
	grep -v '^ext\.' /tmp/ours.txt >/tmp/ours.cmp
	d=$(diff /tmp/stock.cmp /tmp/ours.cmp | grep '^[-+][a-z]')
	if [ -n "$d" ]; then
		echo "$d" | sed 's/^-/  stock: /; s/^+/  ours:  /'
		fail "$(echo "$d" | grep -c '^-') cases differ"
		return 1
	fi
	echo "  all $(wc -l </tmp/stock.cmp) outcomes identical, e.g.:"
	grep -E '^(vm_create.default|vm_bind.partial|bo_mmap.no_mmap|user_mmio.flush_id_rw):' \
		/tmp/ours.txt | sed 's/^/    /'
}

subtest uapi-stock stock_runs
subtest uapi-reclaim reclaim_runs
subtest uapi-identical same_outcomes
prc_done
