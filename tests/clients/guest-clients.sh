# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Guest side of the clients group (busybox sh), sent as run.sh's --cmd
# after "set -- DRIVER MESA...": load DRIVER (panthor or panthor_reclaim),
# then, for each Mesa tree on the disk (/mnt/disk/MESA, a Debian root with
# merged /usr), run the clients in a chroot of it, as they would run on a
# Debian system with that Mesa installed. Each client's output is printed
# between
#   PRC-CLIENT-BEGIN MESA STEP
#   PRC-CLIENT-END MESA STEP EXIT-STATUS
# for the host to compare (tests/clients/group-clients.sh). The command's
# own exit status is that of the driver load: the clients' verdicts are the
# host's.

driver=$1
shift
modprobe fixed
if ! modprobe "$driver"; then
	echo "PRC-CLIENTS-LOAD FAIL $driver"
	exit 1
fi
i=0
while [ ! -e /dev/dri/renderD128 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
# What the driver reports (DRM_IOCTL_VERSION), as Mesa reads it.
echo "PRC-CLIENTS-DRIVER $driver $(dmesg | sed -n 's/.*Initialized panthor \([0-9.]*\) .*/\1/p' | tail -n1)"

# client MESA STEP SECONDS PROGRAM ARG...: PROGRAM in MESA's chroot, with a
# clean environment: a user's, plus the ICD of the Mali driver only.
client() {
	m=$1 s=$2 t=$3
	shift 3
	echo "PRC-CLIENT-BEGIN $m $s"
	env -i HOME=/tmp XDG_RUNTIME_DIR=/tmp PATH=/usr/bin:/bin LANG=C VK_ICD_FILENAMES="$icd" EGL_PLATFORM=surfaceless \
		timeout "$t" chroot "/mnt/disk/$m" "$@" >/tmp/client.out 2>&1
	rc=$?
	cat /tmp/client.out
	echo "PRC-CLIENT-END $m $s $rc"
}

for m in "$@"; do
	r=/mnt/disk/$m
	mount -o bind /dev "$r/dev"
	mount -t proc proc "$r/proc"
	mount -t sysfs sysfs "$r/sys"
	mount -t tmpfs tmpfs "$r/tmp"
	icd=$(cd "$r" && ls usr/share/vulkan/icd.d/panfrost_icd*.json | head -n1)
	icd=/$icd
	client "$m" vulkaninfo-summary 60 vulkaninfo --summary
	client "$m" vulkaninfo 60 vulkaninfo
	client "$m" vk-check 180 vk-check
	client "$m" eglinfo 60 eglinfo -B -p surfaceless
	client "$m" peglgears 30 peglgears
	umount "$r/tmp" "$r/sys" "$r/proc" "$r/dev"
done
