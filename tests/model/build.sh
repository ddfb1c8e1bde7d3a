#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build qemu-system-aarch64 from Debian trixie's QEMU source with the Mali-G610
# model (this directory) in hw/misc/mali and hooked into the "virt" board by
# qemu.patch. Everything lives under $PR_CACHE/qemu: the source tarball, the
# patched tree and the ninja build, which later runs only bring up to date.
# Prints the path of the binary on its last line.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PR_CACHE:-$top/.cache}
q=$cache/qemu
mkdir -p "$q/dl"
# One build at a time: tests/run.sh may have one running in the background
# (its prebuild) when a group asks for the same; the second waits, then
# finds everything up to date.
exec 9>"$q/.lock"
flock 9

orig=$(ls "$q"/dl/qemu_*.orig.tar.xz 2>/dev/null | head -n1 || true)
if [ -z "$orig" ]; then
	echo "model: fetching trixie's QEMU source" >&2
	(cd "$q/dl" && apt-get source -q --download-only -o APT::Sandbox::User=root \
		-t trixie qemu >/dev/null)
	rm -f "$q"/dl/*.dsc "$q"/dl/*.debian.tar.*	# only the upstream tarball is used
	orig=$(ls "$q"/dl/qemu_*.orig.tar.xz | head -n1)
fi

# A new tarball or a changed patch means a fresh tree and a fresh build.
stamp="$(basename "$orig") $(sha1sum <"$top/tests/model/qemu.patch" | cut -c1-40)"
if [ "$(cat "$q/src.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "model: preparing $(basename "$orig")" >&2
	rm -rf "$q/src" "$q/build" "$q/src.stamp"
	mkdir -p "$q/src"
	tar -C "$q/src" --strip-components=1 -xf "$orig"
	patch -d "$q/src" -p1 -s <"$top/tests/model/qemu.patch"
	# The +ds tarball drops the prebuilt EDK2 firmware that meson insists
	# on unpacking; the model boots kernels directly and needs none.
	for f in aarch64-code arm-code arm-vars riscv-code riscv-vars i386-code \
		 i386-secure-code i386-vars x86_64-code x86_64-secure-code \
		 loongarch64-code loongarch64-vars; do
		[ -f "$q/src/pc-bios/edk2-$f.fd.bz2" ] || bzip2 -c </dev/null >"$q/src/pc-bios/edk2-$f.fd.bz2"
	done
	echo "$stamp" >"$q/src.stamp"
fi
ln -sfn "$top/tests/model" "$q/src/hw/misc/mali"
ln -sfn "$top/tests/model/devices.mak" "$q/src/configs/devices/aarch64-softmmu/prc.mak"

# Changed configure options mean a fresh build directory.
cfg=(--target-list=aarch64-softmmu --without-default-features --without-default-devices
	--with-devices-aarch64=prc --enable-fdt=system --disable-docs --disable-tools
	--disable-user --disable-install-blobs --python=/usr/bin/python3)
if [ "$(cat "$q/config.stamp" 2>/dev/null)" != "${cfg[*]}" ]; then
	rm -rf "$q/build" "$q/config.stamp"
fi
if [ ! -f "$q/build/build.ninja" ]; then
	echo "model: configuring" >&2
	mkdir -p "$q/build"
	(cd "$q/build" && "$q/src/configure" "${cfg[@]}" >"$q/configure.log" 2>&1) ||
		{ tail -n 20 "$q/configure.log" >&2; exit 1; }
	echo "${cfg[*]}" >"$q/config.stamp"
fi
echo "model: building (first build takes several minutes)" >&2
ninja -C "$q/build" qemu-system-aarch64 >"$q/build.log" 2>&1 ||
	{ grep -B2 -A10 -m3 'error' "$q/build.log" >&2 || tail -n 30 "$q/build.log" >&2; exit 1; }
echo "$q/build/qemu-system-aarch64"
