# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2154,SC2317
# Guest side of the kernels group (tests/kernels/group-kernels.sh): one boot
# of a matrix kernel on the model runs every step it names. The host sends
# this file as run.sh's --cmd, after a line "set -- STEP...". Each step
# prints "=== STEP", what it checked, and "PRC-RESULT STEP PASS|FAIL", as
# tests/vm/guest/run-tests.sh does, which runs the steps kept there.
#
#   stock_probe   stock panthor probes the G610 and registers its nodes
#   stock_jobs    stock panthor: panthor-basic and panthor-job (as the model
#                 group checks 6.12's), then rmmod panthor
#   stock_uapi    the differential suite's cases under stock alone (kernels
#                 ours cannot be built for): it runs to its end, every case
#   ours_probe    panthor_reclaim loads, boots the firmware, registers its
#                 nodes, passes panthor-basic and unloads
#   uapi_diff selftest reclaim_jobs ...   tests/vm/guest/NAME.sh
. /tests/lib.sh

modprobe fixed

stock_probe() {
	kmsg_mark stock
	modprobe panthor || fail "modprobe panthor" || return 1
	log=$(kmsg_since_mark)
	line=$(echo "$log" | grep -o "Initialized panthor [0-9.]* .*for $gpu.*")
	[ -n "$line" ] || fail "stock panthor did not probe: $(echo "$log" | grep panthor)" ||
		return 1
	echo "  $line"
	echo "$log" | grep "panthor $gpu: " | grep -qi "mali-g610" ||
		fail "stock panthor did not identify a G610" || return 1
	n=$(drm-nodes -c panthor)
	[ "$n" = 2 ] || fail "$n DRM nodes driven by panthor, expected card and render node"
	echo "  G610 identified, $n nodes: $(drm-nodes | tr '\n' ' ')"
}

stock_jobs() {
	out=$(panthor-basic -g 0xa8670005)
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ "$rc" = 0 ] || fail "panthor-basic: $(echo "$out" | grep -c FAIL) subtests failed"
	basic=$rc
	out=$(panthor-job)
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ "$rc" = 0 ] || fail "panthor-job: $(echo "$out" | grep -c FAIL) subtests failed"
	# No client is left: the module goes, so that the next step loads it afresh.
	rmmod panthor || fail "rmmod panthor" || return 1
	[ "$basic" = 0 ] && [ "$rc" = 0 ]
}

stock_uapi() {
	modprobe panthor || fail "modprobe panthor" || return 1
	uapi-diff >/tmp/stock.txt
	rc=$?
	echo "$gpu" >/sys/bus/platform/drivers/panthor/unbind
	[ "$rc" = 0 ] || fail "uapi-diff under stock exited $rc: $(tail -n1 /tmp/stock.txt)" ||
		return 1
	# The suite fixes its number of cases: none may go missing.
	n=$(grep -vc '^! ' /tmp/stock.txt)
	want=$(sed -n 's/^! expect \([0-9]*\) cases.*/\1/p' /tmp/stock.txt)
	echo "  $n cases under stock panthor, uAPI $(sed -n 's/^! version //p' /tmp/stock.txt)," \
		"the suite has ${want:-?}"
	grep -E '^(heap.growth_2m|many.vms_and_groups):' /tmp/stock.txt | sed 's/^/    /'
	[ "$n" = "$want" ] || fail "$n cases, the suite has ${want:-no count}"
}

ours_probe() {
	kmsg_mark ours
	modprobe panthor_reclaim || fail "modprobe panthor_reclaim" || return 1
	log=$(kmsg_since_mark | grep "panthor-reclaim $gpu: ")
	for want in "Mali GPU_ID 0xa8670005" "firmware interface v1.1.0"; do
		line=$(echo "$log" | grep "$want")
		[ -n "$line" ] || fail "no '$want' from panthor-reclaim: $log" || return 1
		echo "  ${line#*] }"
	done
	n=$(drm-nodes | grep -c ' panthor ')
	[ "$n" = 2 ] || fail "$n DRM nodes, expected card and render node" || return 1
	echo "  $n nodes: $(drm-nodes | tr '\n' ' ')"
	# The job-less uAPI, as stock_jobs runs it for stock.
	out=$(panthor-basic -g 0xa8670005)
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ "$rc" = 0 ] || fail "panthor-basic: $(echo "$out" | grep -c FAIL) subtests failed" ||
		return 1
	prc_unload || fail "rmmod panthor_reclaim"
}

rc=0
for step in "$@"; do
	echo "=== $step"
	if [ -f "/tests/$step.sh" ]; then
		timeout 300 sh "/tests/$step.sh"
		r=$?
	else
		PRC_FAILED=0
		subtest "$step" "$step"
		r=$PRC_FAILED
	fi
	case $r in
	0) echo "PRC-RESULT $step PASS" ;;
	77) echo "PRC-RESULT $step SKIP" ;;
	*) echo "PRC-RESULT $step FAIL"; rc=1 ;;
	esac
done
exit $rc
