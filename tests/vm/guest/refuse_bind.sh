#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The driver refuses every GPU node that lacks a resource the binding
# requires (see tests/vm/test-nodes.dtsi) and says which one in dmesg.
. /tests/lib.sh

modprobe fixed
kmsg_mark refuse_bind
modprobe panthor_reclaim || { echo "Subtest load: FAIL"; exit 1; }

expect() {	# expect DEVICE MESSAGE
	line=$(kmsg_since_mark | grep "panthor-reclaim $1: " | grep -F "$2")
	[ -n "$line" ] || fail "no line '$2' for $1" || return 1
	[ ! -e "/sys/bus/platform/drivers/panthor-reclaim/$1" ] || fail "$1 is bound" || return 1
	echo "  $1 not bound: ${line#*] }"
}

subtest no-mmio expect gpu-noreg "missing or unusable MMIO region"
subtest no-job-irq expect d000000.gpu 'missing interrupt "job" in device tree'
subtest no-clock expect d200000.gpu "missing core clock"
subtest no-mali-supply expect d400000.gpu 'missing "mali-supply" regulator'
subtest no-opp-table expect d600000.gpu "missing or invalid operating-points-v2 table"
prc_unload || fail "unload after refused binds"
prc_done
