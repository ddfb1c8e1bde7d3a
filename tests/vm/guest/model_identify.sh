#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# On the Mali-G610 model (run.sh --model): stock panthor gets through GPU
# identification, L2 power-up and loading of the real firmware to MCU boot,
# and panthor-reclaim identifies the same GPU.
. /tests/lib.sh

gpu=9800000.gpu
modprobe fixed

stock_panthor_reaches_mcu_boot() {
	kmsg_mark stock
	modprobe panthor
	log=$(kmsg_since_mark | grep "panthor $gpu: ")
	echo "$log" | grep -qF "mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5" ||
		fail "stock panthor did not identify a G610" || return 1
	echo "$log" | grep -qiE "failed to load firmware|invalid firmware|firmware .*(corrupt|too small)" &&
		{ fail "stock panthor rejected the firmware: $log"; return 1; }
	# The model's frontier today: the MCU/firmware interface is not modelled,
	# so the real firmware is parsed, loaded into the MCU VM through AS0, and
	# the MCU enabled, but it never reports booted.
	echo "$log" | grep -qF "Failed to boot MCU" ||
		fail "stock panthor did not get as far as booting the MCU" || return 1
	echo "  stock panthor: G610 r0p0 identified, L2 powered on, real firmware loaded into the MCU VM, MCU enabled"
	rmmod panthor
}

reclaim_identifies_g610() {
	kmsg_mark reclaim
	modprobe panthor_reclaim || return 1
	line=$(kmsg_since_mark | grep "panthor-reclaim $gpu: Mali GPU_ID 0xa8670005 (arch 10.8.6, r0p0)")
	[ -n "$line" ] || fail "panthor-reclaim did not report GPU_ID 0xa8670005" || return 1
	echo "  ${line#*] }"
	prc_unload
}

subtest stock-panthor-reaches-mcu-boot stock_panthor_reaches_mcu_boot
subtest reclaim-identifies-g610 reclaim_identifies_g610
prc_done
