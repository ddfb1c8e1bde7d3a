# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Guest side of the clients group (busybox sh), sent as run.sh's --cmd
# after "set -- DRIVER MESA..." and tests/clients/guest-clients-lib.sh:
# load DRIVER (panthor or panthor_reclaim),
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
clients_load "$driver"

for m in "$@"; do
	mesa_enter "$m"
	client "$m" vulkaninfo-summary 60 vulkaninfo --summary
	client "$m" vulkaninfo 60 vulkaninfo
	client "$m" vk-check 180 vk-check
	client "$m" eglinfo 60 eglinfo -B -p surfaceless
	client "$m" peglgears 30 peglgears
	mesa_leave "$m"
done
