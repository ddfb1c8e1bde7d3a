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
# for the host to compare (tests/clients/group-clients.sh). Last, the first
# Mesa's vk-check once more, in a cgroup of its own (memcg_client below).
# The command's own exit status is that of the driver load: the clients'
# verdicts are the host's.

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

# Mesa in a cgroup of its own, with swap (zram) as distributions set it up:
# vk-check -k holds 64 MiB of Vulkan memory idle (panvk's BOs, charged to
# the cgroup with those of its device) while memory.reclaim asks the cgroup
# for everything it has; then vk-check reads its memory back and submits
# again. The client's output is framed as client's, followed by
#   PRC-CLIENT-MEMCG driver=... mesa=... ram_before_mib=N ram_after_mib=N
#     swap_mib=N gpu_pages_before=N|none gpu_pages_after=N|none
# (the cgroup's RAM before and after memory.reclaim, its swap after; the
# GPU pages the driver lists for the cgroup in debugfs, ours only).
memcg_client() {
	m=$1 r=/mnt/disk/$1 cg=/sys/fs/cgroup/prc-clients-mesa
	# shellcheck disable=SC1091 # the guest's tests/vm/guest/lib.sh
	. /tests/lib.sh
	zram_swap 256 "lz4 lzo-rle" && cgroup_memory || return
	mkdir -p $cg
	rcf=$(ls /sys/kernel/debug/dri/*/reclaim 2>/dev/null | head -n1)
	mesa_enter "$m"
	mkfifo "$r/tmp/hold"
	echo "PRC-CLIENT-BEGIN $m vk-check-memcg"
	# Started from inside the cgroup, so that all it allocates is charged
	# there; this shell goes back to the root at once.
	echo $$ >$cg/cgroup.procs
	mesa_run "$m" 180 vk-check -k 64 <"$r/tmp/hold" >/tmp/client.out 2>&1 &
	pid=$!
	echo $$ >/sys/fs/cgroup/cgroup.procs
	exec 7>"$r/tmp/hold"
	i=0
	while ! grep -q '^VK-CHECK-HOLD' /tmp/client.out && kill -0 $pid 2>/dev/null && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	before=$(($(cat $cg/memory.current) / 1048576)) gb=$(memcg_pages "$rcf" $cg)
	echo 1G >$cg/memory.reclaim 2>/dev/null
	after=$(($(cat $cg/memory.current) / 1048576)) ga=$(memcg_pages "$rcf" $cg)
	swap=$(($(cat $cg/memory.swap.current) / 1048576))
	echo go >&7
	exec 7>&-
	wait $pid
	rc=$?
	cat /tmp/client.out
	echo "PRC-CLIENT-END $m vk-check-memcg $rc"
	echo "PRC-CLIENT-MEMCG driver=$driver mesa=$m ram_before_mib=$before ram_after_mib=$after" \
		"swap_mib=$swap gpu_pages_before=$gb gpu_pages_after=$ga"
	mesa_leave "$m"
}
memcg_client "$1"
