#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The real clients of the `clients` test group: Debian's own arm64 Mesa, in
# two versions (trixie's and trixie-backports'), unpacked from the archive
# with the closure of their libraries, the dynamic loader and the ICD json,
# plus our Vulkan program (vk-check.c) built against Debian's arm64 Vulkan
# headers and loader. Both Mesa trees go into one read-only disk image
# (tests/vm/mkdisk.sh) that the guest mounts at /mnt/disk/mesa-<version>/
# and enters with chroot, so Mesa runs with the paths it was built for.
# Files the two trees share are hard links: stored once in the image.
#
# Run by tests/setup.sh at its end (PR_CACHE set); idempotent: versions are
# resolved again after each `apt-get update`, and the image is rebuilt only
# when a package version, vk-check.c or this script changed (the packages
# are downloaded again then: only the image is kept). Writes
# $cache/env-clients.mk. Needs apt sources for trixie and trixie-backports
# with arm64 (tests/setup.sh), aarch64-linux-gnu-gcc-14, mke2fs.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/clients
cache=${PR_CACHE:-$top/.cache}
dir=$cache/clients
mkdir -p "$dir/debs"
log() { echo "setup-clients: $*"; }

# What the guest runs: vulkaninfo (vulkan-tools), panvk (mesa-vulkan-drivers),
# eglinfo and peglgears (mesa-utils-bin), GL ES through glvnd (libegl1,
# libgles2) to Mesa's EGL and gallium panfrost (libegl-mesa0, libgbm1).
roots="mesa-vulkan-drivers libvulkan1 vulkan-tools libegl-mesa0 libgbm1 mesa-utils-bin libegl1 libgles2"
# Each set: a name, and the suites its packages come from, preferred first.
sets="stable:trixie-updates,trixie backports:trixie-backports,trixie-updates,trixie"

# --- resolve: the closure of each set at the versions its suites have now
for s in $sets; do
	list=$dir/${s%%:*}.list
	if [ ! -s "$list" ] || [ "$cache/apt-update.stamp" -nt "$list" ] ||
	   [ "$here/closure.py" -nt "$list" ]; then
		# shellcheck disable=SC2086
		python3 "$here/closure.py" "${s#*:}" $roots >"$list.new"
		mv "$list.new" "$list"
	fi
done
# The Vulkan headers and link-time loader, at the loader's version.
dev="libvulkan-dev:arm64=$(sed -n 's/^libvulkan1:arm64=//p' "$dir/stable.list")"

deb_of() {	# deb_of name:arch=version -> the file apt-get download makes
	local p=$1 v
	v=${p#*=}
	echo "$dir/debs/${p%%:*}_${v/:/%3a}_$(echo "$p" | sed 's/^[^:]*:\([^=]*\)=.*/\1/').deb"
}
mesa_of() {	# mesa_of LIST -> mesa-<upstream version of its Mesa>
	sed -n 's/^mesa-vulkan-drivers:arm64=\([0-9]*:\)\{0,1\}\([^-]*\).*/mesa-\2/p' "$1"
}
trees=
for s in $sets; do
	trees+=" $(mesa_of "$dir/${s%%:*}.list")"
done
trees=${trees# }

# --- the disk image: both trees and vk-check, rebuilt when an input changed
img=$dir/mesa.img
sum=$(cat "$dir"/stable.list "$dir"/backports.list "$here/vk-check.c" "$here/setup-clients.sh" | sha256sum | cut -c1-64)
if [ ! -f "$img" ] || [ "$(cat "$dir/image.stamp" 2>/dev/null)" != "$sum" ]; then
	log "building the disk image: $trees"
	# The packages: downloaded for this build only (the image is the cache).
	wanted=$( (cat "$dir"/stable.list "$dir"/backports.list; echo "$dev") | sort -u)
	todo=
	for p in $wanted; do
		[ -f "$(deb_of "$p")" ] || todo+=" $p"
	done
	if [ -n "$todo" ]; then
		log "downloading $(echo "$todo" | wc -w) arm64 packages"
		# shellcheck disable=SC2086
		(cd "$dir/debs" && apt-get download -q -o APT::Sandbox::User=root $todo >/dev/null)
	fi
	root=$dir/root build=$dir/build
	rm -rf "$root" "$build"
	mkdir -p "$root" "$build"

	# vk-check: dynamically linked against Debian's arm64 libvulkan.so.1.
	dpkg-deb -x "$(deb_of "$dev")" "$build"
	dpkg-deb -x "$(deb_of "$(grep '^libvulkan1:' "$dir/stable.list")")" "$build"
	aarch64-linux-gnu-gcc-14 -O2 -Wall -Wextra -Werror -I"$build/usr/include" \
		-o "$build/vk-check" "$here/vk-check.c" \
		-L"$build/usr/lib/aarch64-linux-gnu" -lvulkan

	for s in $sets; do
		list=$dir/${s%%:*}.list
		t=$root/$(mesa_of "$list")
		mkdir -p "$t"
		while read -r p; do
			dpkg-deb -x "$(deb_of "$p")" "$t"
		done <"$list"
		# Debian's merged /usr: /lib/ld-linux-aarch64.so.1, the programs'
		# interpreter, is /usr/lib's.
		for d in bin sbin lib; do
			[ -e "$t/$d" ] || ln -s "usr/$d" "$t/$d"
		done
		# Mount points for the guest's chroot; a writable /tmp is mounted there.
		mkdir -p "$t/dev" "$t/proc" "$t/sys" "$t/tmp"
		# mesa-utils-bin installs per-architecture names (mesa-utils adds
		# the wrappers): the usual names, as links.
		for f in "$t"/usr/bin/*.aarch64-linux-gnu; do
			ln -s "$(basename "$f")" "${f%.aarch64-linux-gnu}"
		done
		cp "$build/vk-check" "$t/usr/bin/vk-check"
		# Not needed in a guest that runs these programs on a Mali GPU:
		# documentation, translations, iconv modules, the other GPUs'
		# Vulkan drivers (panvk stays).
		rm -rf "$t"/usr/share/{doc,man,locale,lintian,bug} "$t/usr/lib/aarch64-linux-gnu/gconv"
		find "$t/usr/lib/aarch64-linux-gnu" -maxdepth 1 -name 'libvulkan_*.so' \
			! -name libvulkan_panfrost.so -delete
		find "$t/usr/share/vulkan/icd.d" -name '*.json' ! -name 'panfrost_icd*.json' -delete
		if [ ! -f "$t/usr/lib/aarch64-linux-gnu/libvulkan_panfrost.so" ] ||
		   ! ls "$t"/usr/share/vulkan/icd.d/panfrost_icd*.json >/dev/null; then
			echo "setup-clients: no panvk in $t" >&2
			exit 1
		fi
	done
	# Files both trees have alike are stored once.
	# shellcheck disable=SC2086
	set -- $trees
	(cd "$root/$1" && find . -type f) | while read -r f; do
		if [ -f "$root/$2/$f" ] && [ ! -L "$root/$2/$f" ] && cmp -s "$root/$1/$f" "$root/$2/$f"; then
			ln -f "$root/$1/$f" "$root/$2/$f"
		fi
	done
	bash "$top/tests/vm/mkdisk.sh" "$root" "$img"
	rm -rf "$root" "$build" "$dir"/debs/*.deb
	echo "$sum" >"$dir/image.stamp"
fi

cat >"$cache/env-clients.mk.new" <<X
# generated by tests/clients/setup-clients.sh
PR_CLIENTS_DISK := $img
PR_CLIENTS_MESA := $trees
X
mv "$cache/env-clients.mk.new" "$cache/env-clients.mk"
log "ready ($trees in $img, $(du -sh "$dir" | cut -f1) in $dir)"
