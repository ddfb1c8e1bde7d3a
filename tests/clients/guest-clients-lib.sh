# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# What the clients group's guest scripts share (busybox sh); the host sends
# it in run.sh's --cmd ahead of tests/clients/guest-clients.sh or
# tests/clients/guest-clients-pressure.sh.

# clients_load DRIVER: load DRIVER (panthor or panthor_reclaim) and wait for
# its render node; print what it reports (DRM_IOCTL_VERSION, as Mesa reads
# it). Exits the command when the load fails: the host's verdict then.
clients_load() {
	modprobe fixed
	if ! modprobe "$1"; then
		echo "PRC-CLIENTS-LOAD FAIL $1"
		exit 1
	fi
	i=0
	while [ ! -e /dev/dri/renderD128 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "PRC-CLIENTS-DRIVER $1 $(dmesg | sed -n 's/.*Initialized panthor \([0-9.]*\) .*/\1/p' | tail -n1)"
}

# mesa_enter MESA / mesa_leave MESA: the mounts a client in MESA's chroot
# (/mnt/disk/MESA, a Debian root with merged /usr) needs, and $icd, the
# Vulkan ICD of its Mali driver.
mesa_enter() {
	r=/mnt/disk/$1
	mount -o bind /dev "$r/dev"
	mount -t proc proc "$r/proc"
	mount -t sysfs sysfs "$r/sys"
	mount -t tmpfs tmpfs "$r/tmp"
	for icd in "$r"/usr/share/vulkan/icd.d/panfrost_icd*.json; do
		icd=${icd#"$r"}
		break
	done
}

mesa_leave() {
	r=/mnt/disk/$1
	umount "$r/tmp" "$r/sys" "$r/proc" "$r/dev"
}

# mesa_run MESA SECONDS PROGRAM ARG...: PROGRAM in MESA's chroot (after
# mesa_enter MESA) for SECONDS at most, with a clean environment: a user's,
# plus the ICD of the Mali driver only.
mesa_run() {
	m=$1 t=$2
	shift 2
	env -i HOME=/tmp XDG_RUNTIME_DIR=/tmp PATH=/usr/bin:/bin LANG=C VK_ICD_FILENAMES="$icd" EGL_PLATFORM=surfaceless \
		timeout "$t" chroot "/mnt/disk/$m" "$@"
}

# client MESA STEP SECONDS PROGRAM ARG...: mesa_run MESA SECONDS PROGRAM
# ARG..., its output framed for the host between
#   PRC-CLIENT-BEGIN MESA STEP
#   PRC-CLIENT-END MESA STEP EXIT-STATUS
client() {
	m=$1 s=$2 t=$3
	shift 3
	echo "PRC-CLIENT-BEGIN $m $s"
	mesa_run "$m" "$t" "$@" >/tmp/client.out 2>&1
	rc=$?
	cat /tmp/client.out
	echo "PRC-CLIENT-END $m $s $rc"
}
