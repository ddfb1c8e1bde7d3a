#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the stock Debian arm64 kernel under qemu-system-aarch64 (TCG) with
# panthor_reclaim.ko and the guest tests in the initramfs.
#
#   run.sh                      interactive shell on the serial console
#   run.sh --cmd 'CMD'          run CMD in the guest, exit with its status
#   run.sh --cmd 'CMD' --log F  also keep the whole serial log in F
#   run.sh --timeout SEC ...    kill a --cmd run after SEC seconds (default 600)
#   run.sh --no-model ...       Debian's QEMU without the GPU model, with the
#                               refuse-to-bind test nodes in the device tree
#                               (default: our QEMU with the Mali-G610 model)
#   run.sh --firmware DIR ...   /lib/firmware from DIR instead of the real one
#   run.sh --kernel DIR ...     another arm64 kernel: DIR/kver names its
#                               release, DIR/boot/vmlinuz-<release> and
#                               DIR/usr/lib/modules/<release> are as in the
#                               stock one (modules may be .ko, .ko.xz or
#                               .ko.zst; modules.dep is made if missing),
#                               DIR/cmdline, if any, is appended to the
#                               command line (the lockdep kernel, tests/lockdep)
#   run.sh --ko PATH ...        this build of panthor_reclaim.ko instead of
#                               build/<release>/panthor_reclaim.ko (its
#                               vermagic must name the booted release)
#   run.sh --ko none ...        no build of ours in the guest: a kernel we can
#                               only run stock panthor on
#   run.sh --mem SIZE ...       guest RAM, as QEMU's -m takes it (default 1G)
#   run.sh --disk IMAGE ...     IMAGE (an ext4 image made by tests/vm/mkdisk.sh)
#                               on virtio-blk, read-only, mounted read-only at
#                               /mnt/disk before CMD runs (the booted kernel's
#                               own virtio_blk and ext4 modules, and crc32c
#                               where ext4 takes it from the crypto API); a
#                               disk that cannot be mounted fails the run
#                               (status 1); also works without --cmd
#
# Options combine, e.g.
#   run.sh --kernel .cache/k7 --ko none --mem 2G --disk build/mesa.img --cmd '...'
#
# A non-interactive run fails (status 1) when the kernel's log shows a
# WARNING, BUG, Oops, list corruption, KFENCE, lockdep or hung-task report,
# whatever CMD returned; the kernel's log is the dmesg the guest dumps after
# CMD plus the console lines that carry a kernel timestamp ("[   12.345678]",
# so a crash before the dump is seen), never what CMD itself prints. A guest
# that stops before CMD or its dmesg dump finished fails too (status 1), and
# one that does not finish within --timeout seconds fails with status 124.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PR_CACHE:-$top/.cache}
cmd= log= timeout=600 model=1 fw= kdir= ko= mem=1G disk=
usage() {
	echo "usage: $0 [--no-model] [--firmware DIR] [--kernel DIR] [--ko PATH|none]" \
		"[--mem SIZE] [--disk IMAGE] [--cmd CMD] [--log FILE] [--timeout SEC]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || case $1 in --model | --no-model) ;; *) usage ;; esac
	case $1 in
	--model) model=1; shift ;;
	--no-model) model=; shift ;;
	--firmware) fw=$2; shift 2 ;;
	--kernel) kdir=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--disk) disk=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	*) usage ;;
	esac
done

envval() { cat "$cache"/env*.mk | sed -n "s/^$1 := //p"; }
[ -f "$cache/env.mk" ] || { echo "vm: not set up (make setup)" >&2; exit 2; }
kver=$(envval PR_KVER)
kimg=$(envval PR_KIMG)
if [ -n "$kdir" ]; then
	kimg=$(cd "$kdir" && pwd)
	kver=$(cat "$kdir/kver")
fi
[ -f "$kimg/boot/vmlinuz-$kver" ] || { echo "vm: no $kimg/boot/vmlinuz-$kver" >&2; exit 2; }
busybox=$(envval PR_BUSYBOX)
firmware=${fw:-$(envval PR_FIRMWARE)}
case $ko in
none) ;;
'')
	ko=$top/build/$kver/panthor_reclaim.ko
	[ -f "$ko" ] || { echo "vm: $ko not built (run make, or --ko none)" >&2; exit 2; }
	;;
*)
	[ -f "$ko" ] || { echo "vm: no module $ko" >&2; exit 2; }
	ko=$(cd "$(dirname "$ko")" && pwd)/$(basename "$ko")
	v=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$v" = "$kver" ] || { echo "vm: $ko is built for $v, not $kver" >&2; exit 2; }
	;;
esac
if [ -n "$disk" ]; then
	[ -f "$disk" ] || { echo "vm: no disk image $disk" >&2; exit 2; }
	disk=$(cd "$(dirname "$disk")" && pwd)/$(basename "$disk")
fi
# By default our QEMU build, whose virt board carries the Mali-G610 model.
if [ -n "$model" ]; then
	qemu=$cache/qemu/build/qemu-system-aarch64
	[ -x "$qemu" ] || { echo "vm: the model is not built (make model)" >&2; exit 2; }
else
	qemu=${QEMU:-qemu-system-aarch64}
fi
out=$top/build/vm
mkdir -p "$out"

# The system counter runs at 24 MHz, as on the RK3588: the GPU model's
# timestamps count at that rate too, so the two clocks agree.
machine=(-M virt -cpu max,cntfrq=24000000 -m "$mem" -smp 2 -nographic -no-reboot -nic none)

# Rebuild the initramfs when any of its inputs changed. The default one
# (stock kernel, our build, the real firmware, no disk) is rd-<release>.gz;
# any other combination gets a name of its own, so that runs of several
# combinations do not rebuild each other's.
disk_mods=
[ -z "$disk" ] || disk_mods="virtio_pci virtio_blk crc32c_generic? ext4"
variant="$kdir|$fw|$ko|$disk_mods"
tag=
[ "$variant" = "||$top/build/$kver/panthor_reclaim.ko|" ] || tag=-$(echo "$variant" | md5sum | cut -c1-8)
rd=$out/rd-$kver$tag.gz
inputs=("$top/tests/vm" "$top/tests/uapi" "$top/tests/bench" "$top/include" "$top/dkms.conf" "$firmware")
[ "$ko" = none ] || inputs+=("$ko")
[ -z "$kdir" ] || inputs+=("$kimg/kver")
# Several runs may start at once (make check's groups, developers in one
# tree): one at a time builds what they share here, then each boots alone.
exec 9>"$out/.lock"
flock 9
if [ ! -f "$rd" ] || [ -n "$(find "${inputs[@]}" -newer "$rd" -type f | head -n1)" ]; then
	PRC_EXTRA_MODULES=$disk_mods bash "$top/tests/vm/initramfs.sh" "$kimg" "$kver" "$ko" \
		"$busybox" "$firmware" "$rd"
fi

# QEMU's own device tree for this machine, plus the refuse-to-bind test
# nodes. Those are left out on the model: stock panthor reads GPU_ID before
# it checks interrupts, and their MMIO windows are not backed. QEMU marks the
# whole virt board dma-coherent; the GPU is made non-coherent, as on the
# RK3588, so that the drivers take the paths of real boards (write-combined
# CPU mappings, cache maintenance at DMA mapping and BO_SYNC).
dtb=$out/virt${model:+-model}.dtb
if [ ! -f "$dtb" ] || [ "$top/tests/vm/test-nodes.dtsi" -nt "$dtb" ] ||
   [ "$(command -v "$qemu")" -nt "$dtb" ] || [ "$0" -nt "$dtb" ]; then
	"$qemu" "${machine[@]}" -machine dumpdtb="$out/qemu.dtb" >/dev/null 2>&1
	{
		dtc -q -I dtb -O dts "$out/qemu.dtb" | sed '/^\tgpu@[0-9a-f]* {$/a\\t\tdma-noncoherent;'
		[ -n "$model" ] || cat "$top/tests/vm/test-nodes.dtsi"
	} | dtc -q -I dts -O dtb -o "$dtb" -
fi
exec 9>&-

# Debian ships KFENCE off (sample interval 0) and SLUB debugging dormant:
# switch both on so memory-safety bugs in our module show up in the log.
append="console=ttyAMA0 quiet panic=-1 oops=panic kfence.sample_interval=10 slub_debug=FZPU"
[ -z "$kdir" ] || [ ! -f "$kdir/cmdline" ] || append+=" $(cat "$kdir/cmdline")"
# QEMU_ARGS: extra options for QEMU, e.g. QEMU_ARGS="-trace mali_*".
# shellcheck disable=SC2206
qemu_args=("${machine[@]}" ${QEMU_ARGS:-} -kernel "$kimg/boot/vmlinuz-$kver" -dtb "$dtb" -append "$append")

# What the guest's /init is told (the command, the disk) travels as a second
# cpio archive appended to the initramfs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/etc/prc"
[ -z "$cmd" ] || printf '%s\n' "$cmd" >"$tmp/root/etc/prc/cmd"
if [ -n "$disk" ]; then
	echo ext4 >"$tmp/root/etc/prc/disk"
	qemu_args+=(-drive "file=$disk,if=none,format=raw,readonly=on,id=d0"
		-device virtio-blk-pci,drive=d0)
fi
(cd "$tmp/root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/cmd.gz"
cat "$rd" "$tmp/cmd.gz" >"$tmp/initrd"

if [ -z "$cmd" ]; then
	"$qemu" "${qemu_args[@]}" -initrd "$tmp/initrd"
	exit
fi
log=${log:-$tmp/serial.log}

set +e
timeout -k 10 "$timeout" "$qemu" "${qemu_args[@]}" -initrd "$tmp/initrd" </dev/null 2>&1 |
	tr -d '\r' | tee "$log" | sed -n '/^PRC-VM-DMESG-BEGIN/,/^PRC-VM-DMESG-END/!p'
qemu_rc=${PIPESTATUS[0]}
set -e

rc=$(sed -n 's/^PRC-VM-RC=\([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -z "$rc" ] && { [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; }; then
	echo "vm: guest did not finish within ${timeout}s (hang)" >&2
	rc=124
elif [ -z "$rc" ]; then
	echo "vm: the guest stopped before its command finished (crash; QEMU exit $qemu_rc)" >&2
	rc=1
elif ! grep -q '^PRC-VM-DMESG-END$' "$log"; then
	echo "vm: the guest died before the end of its kernel log dump" >&2
	[ "$rc" != 0 ] || rc=1
fi
# The kernel's own lines only: CMD may print "WARNING:" (Mesa does) or
# "BUG:" (a test framework's DEBUG: lines) without the kernel being wrong.
# A line may carry a kernel timestamp after some of CMD's output, when the
# two interleave on the console.
{
	sed -n '/^PRC-VM-DMESG-BEGIN$/,/^PRC-VM-DMESG-END$/p' "$log"
	sed '/^PRC-VM-DMESG-BEGIN$/,/^PRC-VM-DMESG-END$/d' "$log" | grep -E '\[ *[0-9]+\.[0-9]{6}\]'
} >"$tmp/kernel.log" || true
bad='WARNING:|BUG:|Oops|list_del corruption|list_add corruption|KFENCE|'
bad+='blocked for more than|possible recursive locking|circular locking|'
bad+='inconsistent lock state|suspicious RCU usage|Kernel panic'
if grep -Eq "$bad" "$tmp/kernel.log"; then
	echo "vm: kernel problem reported in the guest's kernel log:" >&2
	grep -E "$bad" "$tmp/kernel.log" | sort -u | head -n 20 >&2
	[ "$rc" != 0 ] || rc=1
fi
exit "$rc"
