#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# On the Mali-G610 model (run.sh --model): stock panthor, with the real
# firmware, probes, registers its render node, answers the job-less uAPI
# (panthor-basic), runs command streams (panthor-job, a system suspend among
# them), runtime-suspends, survives suspend/resume cycles, an unbind under a
# live client and the watchdog ping; and panthor-reclaim
# boots the same firmware.
. /tests/lib.sh

modprobe fixed

stock_panthor_probes() {
	kmsg_mark stock
	modprobe panthor
	log=$(kmsg_since_mark)
	echo "$log" | grep "panthor $gpu: " | grep -qF "mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5" ||
		fail "stock panthor did not identify a G610" || return 1
	echo "$log" | grep -qF "Initialized panthor 1.0.0 for $gpu" ||
		fail "stock panthor did not probe: $(echo "$log" | grep panthor)" || return 1
	n=$(drm-nodes -c panthor)
	[ "$n" = 2 ] || fail "$n DRM nodes driven by panthor, expected card and render node" || return 1
	echo "  stock panthor: G610 r0p0 identified, real firmware booted (GLB iface v1.1.0), card0 + renderD128"
}


stock_panthor_runs_jobs() {
	kmsg_mark jobs
	echo 1 >/sys/power/pm_print_times
	out=$(panthor-job)
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ $rc = 0 ] || fail "panthor-job: $(echo "$out" | grep -c FAIL) subtests failed" || return 1
	gpu_slept "$(kmsg_since_mark)" || fail "the GPU did not go through a system suspend" ||
		return 1
	# The faulting job's MMU fault, as the driver decoded the model's registers.
	log=$(kmsg_since_mark)
	echo "$log" | grep -q "Unhandled Page fault in AS[0-9] at VA 0x0000000007000000" &&
		echo "$log" | grep -q "raw fault status: 0x3C2" &&
		echo "$log" | grep -q "exception type 0xC2: TRANSLATION_FAULT_2" ||
		fail "no MMU fault report for the write to 0x7000000" || return 1
	echo "  MMU fault reported: VA 0x7000000, status 0x3C2 (write, TRANSLATION_FAULT_2)"
}

stock_panthor_uapi_basic() {
	out=$(panthor-basic -g 0xa8670005)
	rc=$?
	echo "$out" | grep -E '^  |FAIL' | sed 's/^/  /'
	[ $rc = 0 ] || fail "panthor-basic: $(echo "$out" | grep -c FAIL) subtests failed"
}

stock_panthor_runtime_suspends() {
	wait_runtime suspended || fail "runtime status $(cat $st) after 5 s idle" || return 1
	echo "  idle GPU runtime-suspended (GLB halt acknowledged by the model)"
}

stock_panthor_resume_cycles() {
	kmsg_mark cycles
	power_cycle_10 || return 1
	errs=$(kmsg_since_mark | grep "panthor $gpu: " | grep -iE "error|fail|reset|timeout")
	[ -z "$errs" ] || fail "$errs" || return 1
	echo "  10 runtime resume/suspend cycles (MCU re-boot, GLB halt), no error or reset"
}

stock_panthor_survives_watchdog() {
	kmsg_mark watchdog
	echo on >/sys/bus/platform/devices/$gpu/power/control
	wait_runtime active || fail "not resumed" || return 1
	# panthor pings the firmware every 12 s and resets the GPU on a missed ack.
	sleep 13
	errs=$(kmsg_since_mark | grep "panthor $gpu: " | grep -iE "error|fail|reset|timeout")
	echo auto >/sys/bus/platform/devices/$gpu/power/control
	[ -z "$errs" ] || fail "$errs" || return 1
	echo "  13 s active: the 12 s firmware ping was acknowledged, no reset"
}

# Last of stock's: it leaks the page tables of VMs live at the unbind, so
# rmmod would warn from kmem_cache_destroy; the GPU is released by an unbind.
stock_panthor_unbind_live() {
	unbind_live panthor || return 1
	echo $gpu >/sys/bus/platform/drivers/panthor/unbind
}

# panthor-reclaim resets the GPU, powers the L2, loads the firmware into the
# MCU's address space through its own page tables, boots it and configures
# the global interface; unloading halts the firmware and disables the MCU
# cleanly. (What it does with the GPU is tested in reclaim_jobs.)
reclaim_boots_firmware() {
	kmsg_mark reclaim
	modprobe panthor_reclaim || return 1
	log=$(kmsg_since_mark | grep "panthor-reclaim $gpu: ")
	line=$(echo "$log" | grep "Mali GPU_ID 0xa8670005 (arch 10.8.6, r0p0)")
	[ -n "$line" ] || fail "panthor-reclaim did not report GPU_ID 0xa8670005" || return 1
	echo "  ${line#*] }"
	line=$(echo "$log" | grep "firmware interface v1.1.0: 8 command stream groups of 8 streams")
	[ -n "$line" ] || fail "firmware did not boot: $log" || return 1
	echo "  ${line#*] }"
	errs=$(echo "$log" | grep -E "did not|cannot|bad|unusable|truncated|not supported")
	[ -z "$errs" ] || fail "$errs" || return 1
	echo "  MCU halted and stopped at unbind without complaint"
	prc_unload
}

subtest stock-panthor-probes stock_panthor_probes
subtest stock-panthor-uapi-basic stock_panthor_uapi_basic
subtest stock-panthor-runs-jobs stock_panthor_runs_jobs
subtest stock-panthor-runtime-suspends stock_panthor_runtime_suspends
subtest stock-panthor-resume-cycles stock_panthor_resume_cycles
subtest stock-panthor-watchdog-ping stock_panthor_survives_watchdog
subtest stock-panthor-unbind-live stock_panthor_unbind_live
subtest reclaim-boots-firmware reclaim_boots_firmware
prc_done
