#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the test VM's initramfs: busybox, the stock modules our module and
# the tests need (decompressed, with a depmod'ed modules.dep), our module in
# /lib/modules/<ver>/extra, and the guest-side tests.
#
# Usage: initramfs.sh KIMG KVER KO|none BUSYBOX FIRMWARE_DIR OUT.cpio.gz
#
# KO "none" leaves our module out (a kernel only stock panthor runs on).
# PRC_EXTRA_MODULES: more stock modules to ship, with their dependencies, for
# the guest's /init to load in that order (run.sh --disk); built-in ones are
# skipped, and so are missing ones whose name ends in "?".
set -euo pipefail

kimg=$1 kver=$2 ko=$3 busybox=$4 firmware=$5 out=$6
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
stock=$kimg/usr/lib/modules/$kver

# Stock modules to ship besides our module's dependencies: the upstream
# driver (the reference the tests compare against) and regulator-fixed,
# (module "fixed"), which the test device tree uses for mali-supply.
extra_stock="panthor fixed"

# A kernel tree unpacked from Debian's packages has no modules.dep (their
# postinst makes it), and 7.x's may lack modules.builtin: depmod copes.
[ -f "$stock/modules.dep" ] || depmod -b "$kimg/usr" "$kver" 2>&1 | { grep -v 'could not open modules.builtin' || true; } >&2
# zram and its compressors for the pressure tests (guest/pressure.sh), and
# vgem, the foreign dma-buf exporter of guest/integrity.sh, where the kernel
# has them as modules (not the lockdep kernel).
for w in zram lz4 lzo-rle vgem; do
	if grep -q "/$w\.ko" "$stock/modules.dep" 2>/dev/null; then extra_stock="$extra_stock $w"; fi
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/prc,proc,sys,dev,tmp,mnt,tests,lib/modules/"$kver"/extra}
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
cp "$here"/guest/*.sh "$root/tests/"
chmod 755 "$root"/tests/*.sh
# Guest test programs (the VM's and the differential uAPI suite's): static
# arm64 binaries, raw ioctls, no libdrm. Compiled once into build/vm/progs
# for every initramfs variant, again only when a source or header changed.
progs=$top/build/vm/progs
mkdir -p "$progs"
for c in "$here"/progs/*.c "$top"/tests/uapi/*.c "$top"/tests/bench/*.c; do
	bin=$progs/$(basename "$c" .c)
	if [ ! -f "$bin" ] || [ -n "$(find "$c" "$here/progs" "$top/include/uapi" \
			-name '*.[ch]' -newer "$bin" | head -n1)" ]; then
		aarch64-linux-gnu-gcc-14 -static -O2 -Wall -Wextra -Werror \
			-I"$top/include/uapi/drm" -I"$here/progs" \
			-I/usr/aarch64-linux-gnu/include/drm -o "$bin.tmp" "$c"
		mv "$bin.tmp" "$bin"
	fi
	cp "$bin" "$root/tests/"
done
# Firmware for the GPU (the real Mali CSF image, from the cache).
mkdir -p "$root/lib/firmware"
cp -r "$firmware"/. "$root/lib/firmware/"
sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf" >"$root/etc/prc/version"

# Closure of the wanted modules over the stock modules.dep; names compare
# with '-' and '_' folded, as modprobe does. Built-in ones need nothing (the
# lockdep kernel has everything built in).
builtin() {
	grep -q "/$(echo "$1" | sed 's/[-_]/[-_]/g')\.ko$" "$stock/modules.builtin" 2>/dev/null
}
ours=
[ "$ko" = none ] || ours=$(modinfo -F depends "$ko" | tr ',' ' ')
wanted= load=
for w in $ours $extra_stock; do
	builtin "$w" || wanted="$wanted $w"
done
for w in ${PRC_EXTRA_MODULES:-}; do
	case $w in
	*\?)
		w=${w%\?}
		grep -q "/$(echo "$w" | sed 's/[-_]/[-_]/g')\.ko" "$stock/modules.dep" || continue
		;;
	esac
	builtin "$w" || { wanted="$wanted $w"; load="$load $w"; }
done
paths=$(awk -v want="$wanted" '
	BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) { gsub("-", "_", w[i]); need[w[i]] = 1 } }
	{
		key = $1; sub(":$", "", key)
		base = key; sub(".*/", "", base); sub("\\.ko(\\.[a-z]+)?$", "", base); gsub("-", "_", base)
		if (base in need) { print key; for (i = 2; i <= NF; i++) print $i }
	}' "$stock/modules.dep" | sort -u)
for w in $wanted; do
	echo "$paths" | grep -q "/$(echo "$w" | sed 's/[-_]/[-_]/g')\.ko" && continue
	# Without modules.builtin, a module missing from the tree may be built in.
	if [ ! -f "$stock/modules.builtin" ]; then
		echo "initramfs: $w not in $stock, taken as built in (no modules.builtin)" >&2
		load=$(echo " $load " | sed "s/ $w / /")
		continue
	fi
	echo "initramfs: stock module $w not found" >&2
	exit 1
done
echo "$load" >"$root/etc/prc/extra-modules"
for p in $paths; do
	mkdir -p "$root/lib/modules/$kver/$(dirname "$p")"
	case $p in
	*.xz) xz -dc "$stock/$p" >"$root/lib/modules/$kver/${p%.xz}" ;;
	*.zst) zstd -qdc "$stock/$p" >"$root/lib/modules/$kver/${p%.zst}" ;;
	*) cp "$stock/$p" "$root/lib/modules/$kver/$p" ;;
	esac
done
for f in "$stock"/modules.builtin "$stock"/modules.builtin.modinfo "$stock"/modules.order; do
	[ ! -f "$f" ] || cp "$f" "$root/lib/modules/$kver/"
done
[ "$ko" = none ] || cp "$ko" "$root/lib/modules/$kver/extra/$(modinfo -F name "$ko").ko"
depmod -b "$root" "$kver" 2>&1 | { grep -v 'could not open modules.builtin' || true; } >&2

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
