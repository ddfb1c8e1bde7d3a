#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# On the Mali-G610 model (run.sh --model): stock panthor gets through GPU
# identification and L2 power-up to the firmware request, and
# panthor-reclaim identifies the same GPU.
. /tests/lib.sh

gpu=9800000.gpu
modprobe fixed

stock_panthor_reaches_firmware() {
	kmsg_mark stock
	modprobe panthor
	log=$(kmsg_since_mark)
	echo "$log" | grep "panthor $gpu: " | grep -qF "mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5" ||
		fail "stock panthor did not identify a G610" || return 1
	# No firmware in this initramfs yet: the request is as far as it goes.
	echo "$log" | grep "panthor $gpu: " | grep -qF "Failed to load firmware image 'mali_csffw.bin'" ||
		fail "stock panthor did not get as far as loading its firmware" || return 1
	echo "  stock panthor: G610 r0p0 status 5 identified, L2 powered on through the model, firmware requested"
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

subtest stock-panthor-reaches-firmware stock_panthor_reaches_firmware
subtest reclaim-identifies-g610 reclaim_identifies_g610
prc_done
