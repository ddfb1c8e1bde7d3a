#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The module's load-time self-tests (selftest=1) pass, reported as KTAP.
. /tests/lib.sh

kmsg_mark selftest
modprobe panthor_reclaim selftest=1
load=$?
# Only the last KTAP report counts, should the log hold more than one.
ktap=$(kmsg_since_mark | sed -n 's/^\[[ 0-9.]*\] panthor_reclaim: //p' |
	awk '/^KTAP version/ { n = 0 } { l[n++] = $0 } END { for (i = 0; i < n; i++) print l[i] }')
plan=$(echo "$ktap" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')

ktap_plan() {
	[ -n "$plan" ] && [ "$plan" -gt 0 ] || fail "no KTAP plan in dmesg"
}

check_case() {	# check_case N
	line=$(echo "$ktap" | grep -E "^(not )?ok $1 ")
	echo "  $line"
	case $line in ok*) ;; *) return 1 ;; esac
}

module_loaded() {
	[ $load = 0 ] || fail "modprobe selftest=1 failed ($load)"
}

subtest ktap-plan ktap_plan
i=1
while [ -n "$plan" ] && [ $i -le "$plan" ]; do
	name=$(echo "$ktap" | sed -n "s/^\(not \)\{0,1\}ok $i \([^ ]*\).*/\2/p")
	subtest "ktap-${name:-case$i}" check_case $i
	i=$((i + 1))
done
subtest load-with-selftest module_loaded
prc_unload
prc_done
