#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo, inside the VM: load panthor-reclaim, run the prc-demo client
# (find the GPU, map memory, run jobs, watch the GPU power down and wake
# up), show what the driver logged, unload it. Exit 0 when all of it
# worked; otherwise a line starting with "FAILED:" says what did not.

gpu=/sys/bus/platform/devices/9800000.gpu

driver_log() {
	dmesg | grep -e 'panthor-reclaim ' -e 'Initialized panthor' -e 'panthor_reclaim' |
		grep -v -e 'taints kernel' -e 'module verification failed' | sed 's/^/  /'
}

# failed SENTENCE: say what failed, show the driver's messages, stop.
failed() {
	[ -z "$1" ] || { echo; echo "FAILED: $1"; }
	echo
	echo "What the driver wrote in the kernel log:"
	driver_log
	exit 1
}

# Uptime in hundredths of a second.
centis() {
	sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' /proc/uptime
}

# The console is for the demo's own lines; the kernel log is shown below,
# and the host still scans all of it for warnings.
dmesg -n 1

echo
echo "panthor-reclaim demo"
echo "QEMU's Mali-G610 model stands in for the GPU; the kernel is Debian's $(uname -r)."
echo
t0=$(centis)
# The model's device tree powers the GPU from a regulator-fixed.
modprobe fixed || failed "could not load the regulator driver (fixed)."
modprobe panthor_reclaim || failed "modprobe panthor_reclaim did not load the module."
drv=$(readlink $gpu/driver)
[ "${drv##*/}" = panthor-reclaim ] ||
	failed "panthor_reclaim loaded but did not take the GPU at ${gpu##*/}."
t=$(($(centis) - t0))
render=
for r in "$gpu"/drm/renderD*; do
	[ -e "$r" ] && render=/dev/dri/${r##*/}
done
[ -n "$render" ] || failed "panthor_reclaim took the GPU but registered no render node."
echo "Loaded panthor_reclaim $(cat /sys/module/panthor_reclaim/version) in" \
	"$((t / 100)).$((t / 10 % 10)) s: it took the GPU at ${gpu##*/}, booted its firmware" \
	"and registered $render"
echo

prc-demo
rc=$?
case $rc in
0) ;;
1) failed "" ;;	# prc-demo said what failed
*) failed "the demo client stopped unexpectedly (exit status $rc)." ;;
esac

echo
echo "What the driver wrote in the kernel log:"
driver_log
rmmod panthor_reclaim || failed "rmmod panthor_reclaim did not unload the module."
[ ! -d /sys/module/panthor_reclaim ] || failed "panthor_reclaim is still loaded after rmmod."
echo
echo "Unloaded panthor_reclaim. The demo worked."
