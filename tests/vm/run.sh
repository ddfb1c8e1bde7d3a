#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the stock Debian arm64 kernel under qemu-system-aarch64 (TCG) with
# panthor_reclaim.ko and the guest tests in the initramfs.
#
#   run.sh                      interactive shell on the serial console
#   run.sh --cmd 'CMD'          run CMD in the guest, exit with its status
#   run.sh --cmd 'CMD' --log F  also keep the whole serial log in F
#   run.sh --no-model ...       Debian's QEMU without the GPU model, with the
#                               refuse-to-bind test nodes in the device tree
#                               (default: our QEMU with the Mali-G610 model)
#   run.sh --firmware DIR ...   /lib/firmware from DIR instead of the real one
#   run.sh --kernel DIR ...     another arm64 kernel: DIR/kver names its
#                               release, DIR/boot/vmlinuz-<release> and
#                               DIR/usr/lib/modules/<release> are as in the
#                               stock one, DIR/cmdline is appended to the
#                               command line (the lockdep kernel, tests/lockdep)
#
# A non-interactive run fails (status 1) when the guest log shows a kernel
# WARNING, BUG, Oops, list corruption, KFENCE, lockdep or hung-task report,
# whatever CMD returned, and (status 124) when the guest does not finish
# within --timeout seconds.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PR_CACHE:-$top/.cache}
cmd= log= timeout=600 model=1 fw= kdir=
while [ $# -gt 0 ]; do
	case $1 in
	--model) model=1; shift ;;
	--no-model) model=; shift ;;
	--firmware) fw=$2; shift 2 ;;
	--kernel) kdir=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	*) echo "usage: $0 [--no-model] [--firmware DIR] [--kernel DIR] [--cmd CMD] [--log FILE]" \
		"[--timeout SEC]" >&2
	   exit 2 ;;
	esac
done

envval() { cat "$cache"/env*.mk | sed -n "s/^$1 := //p"; }
kver=$(envval PR_KVER)
kimg=$(envval PR_KIMG)
if [ -n "$kdir" ]; then
	kimg=$kdir
	kver=$(cat "$kdir/kver")
fi
busybox=$(envval PR_BUSYBOX)
firmware=${fw:-$(envval PR_FIRMWARE)}
ko=$top/build/$kver/panthor_reclaim.ko
# By default our QEMU build, whose virt board carries the Mali-G610 model.
if [ -n "$model" ]; then
	qemu=$cache/qemu/build/qemu-system-aarch64
	[ -x "$qemu" ] || { echo "vm: the model is not built (make model)" >&2; exit 2; }
else
	qemu=${QEMU:-qemu-system-aarch64}
fi
out=$top/build/vm
mkdir -p "$out"
[ -f "$ko" ] || { echo "vm: $ko not built (run make)" >&2; exit 2; }

# The system counter runs at 24 MHz, as on the RK3588: the GPU model's
# timestamps count at that rate too, so the two clocks agree.
machine=(-M virt -cpu max,cntfrq=24000000 -m 1G -smp 2 -nographic -no-reboot -nic none)

# Rebuild the initramfs when any of its inputs changed.
rd=$out/rd-$kver${fw:+-$(echo "$fw" | md5sum | cut -c1-8)}.gz
if [ ! -f "$rd" ] || [ -n "$(find "$ko" "$top/tests/vm" "$top/tests/uapi" "$top/tests/bench" "$top/dkms.conf" "$firmware" -newer "$rd" -type f | head -n1)" ]; then
	bash "$top/tests/vm/initramfs.sh" "$kimg" "$kver" "$ko" "$busybox" "$firmware" "$rd"
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

# Debian ships KFENCE off (sample interval 0) and SLUB debugging dormant:
# switch both on so memory-safety bugs in our module show up in the log.
append="console=ttyAMA0 quiet panic=-1 oops=panic kfence.sample_interval=10 slub_debug=FZPU"
[ -z "$kdir" ] || [ ! -f "$kdir/cmdline" ] || append+=" $(cat "$kdir/cmdline")"
# QEMU_ARGS: extra options for QEMU, e.g. QEMU_ARGS="-trace mali_*".
# shellcheck disable=SC2206
qemu_args=("${machine[@]}" ${QEMU_ARGS:-} -kernel "$kimg/boot/vmlinuz-$kver" -dtb "$dtb" -append "$append")

if [ -z "$cmd" ]; then
	exec "$qemu" "${qemu_args[@]}" -initrd "$rd"
fi

# The command travels as a second cpio archive appended to the initramfs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/etc/prc"
printf '%s\n' "$cmd" >"$tmp/root/etc/prc/cmd"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$tmp/cmd.gz"
cat "$rd" "$tmp/cmd.gz" >"$tmp/initrd"
log=${log:-$tmp/serial.log}

set +e
timeout -k 10 "$timeout" "$qemu" "${qemu_args[@]}" -initrd "$tmp/initrd" </dev/null 2>&1 |
	tr -d '\r' | tee "$log" | sed -n '/^PRC-VM-DMESG-BEGIN/,/^PRC-VM-DMESG-END/!p'
set -e

rc=$(sed -n 's/^PRC-VM-RC=\([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -z "$rc" ]; then
	echo "vm: guest did not finish within ${timeout}s (hang or crash)" >&2
	rc=124
fi
bad='WARNING:|BUG:|Oops|list_del corruption|list_add corruption|KFENCE|'
bad+='blocked for more than|possible recursive locking|circular locking|'
bad+='inconsistent lock state|suspicious RCU usage|Kernel panic'
if grep -Eq "$bad" "$log"; then
	echo "vm: kernel problem reported in the guest log:" >&2
	grep -E "$bad" "$log" | sort -u | head -n 20 >&2
	[ "$rc" != 0 ] || rc=1
fi
exit "$rc"
