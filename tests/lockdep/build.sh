#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the lockdep test kernel: Debian's linux-source (the same patched 6.12
# tree as the stock arm64 kernel) configured as tinyconfig plus
# lockdep.config, everything built in, cross-compiled for arm64. Everything
# lives under $PR_CACHE/lockdep: the source tree, the build (O=) and the
# image laid out as tests/vm/run.sh --kernel expects. Later runs only bring
# the build up to date. Prints the image directory on its last line.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PR_CACHE:-$top/.cache}
l=$cache/lockdep
envval() { cat "$cache"/env*.mk | sed -n "s/^$1 := //p"; }
kser=$(envval PR_KVER | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
mkdir -p "$l/dl"
# One build at a time: tests/run.sh may have one running in the background
# (its prebuild) when a group asks for the same; the second waits, then
# finds everything up to date.
exec 9>"$l/.lock"
flock 9

# setup.sh leaves the package here (it takes checkpatch from it); the newest wins.
deb=$(ls "$l"/dl/linux-source-"$kser"_*.deb 2>/dev/null | sort -V | tail -n1 || true)
for old in "$l"/dl/linux-source-*.deb; do
	[ ! -f "$old" ] || [ "$old" = "$deb" ] || rm -f "$old"
done
if [ -z "$deb" ]; then
	echo "lockdep: fetching linux-source-$kser" >&2
	(cd "$l/dl" && apt-get download -q -o APT::Sandbox::User=root -t trixie \
		"linux-source-$kser" >/dev/null)
	deb=$(ls "$l"/dl/linux-source-"$kser"_*.deb | head -n1)
fi

# A new source package or a changed fragment means a fresh tree and build.
stamp="$(basename "$deb") $(sha1sum <"$top/tests/lockdep/lockdep.config" | cut -c1-40)"
if [ "$(cat "$l/src.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "lockdep: preparing $(basename "$deb")" >&2
	rm -rf "$l/src" "$l/out" "$l/img" "$l/src.stamp"
	mkdir -p "$l/src" "$l/out"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/linux-source-*.tar.xz' |
		tar -C "$l/src" --strip-components=1 -xJ
	echo "$stamp" >"$l/src.stamp"
fi

# Debian's kbuild reads the toolchain from .kernelvariables in the build
# directory, as its own header packages do: external modules (our module,
# its compat probes) then build against it with a plain make -C.
cat >"$l/out/.kernelvariables" <<'VARS'
override ARCH = arm64
override CROSS_COMPILE = aarch64-linux-gnu-
CC = $(CROSS_COMPILE)gcc-14
VARS
k=(make -C "$l/src" O="$l/out" -j"$(nproc)")
if [ ! -f "$l/out/.config" ]; then
	"${k[@]}" tinyconfig >"$l/config.log" 2>&1
	ARCH=arm64 "$l/src/scripts/kconfig/merge_config.sh" -m -O "$l/out" "$l/out/.config" \
		"$top/tests/lockdep/lockdep.config" >>"$l/config.log" 2>&1
	"${k[@]}" olddefconfig >>"$l/config.log" 2>&1
	# Every option asked for must have survived the dependency resolution.
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		case $line in *=n) grep -qx "# ${line%=n} is not set" "$l/out/.config" && continue ;; esac
		grep -qxF "$line" "$l/out/.config" ||
			{ echo "lockdep: $line did not stick (see $l/config.log)" >&2;
			  rm -f "$l/out/.config"; exit 1; }
	done <"$top/tests/lockdep/lockdep.config"
fi
echo "lockdep: building the kernel (first build takes several minutes)" >&2
"${k[@]}" Image modules modules_prepare >"$l/build.log" 2>&1 ||
	{ grep -B2 -A10 -m3 'error' "$l/build.log" >&2 || tail -n 30 "$l/build.log" >&2; exit 1; }

kver=$(cat "$l/out/include/config/kernel.release")
img=$l/img
rm -rf "$img"
mkdir -p "$img/boot"
cp "$l/out/arch/arm64/boot/Image" "$img/boot/vmlinuz-$kver"
"${k[@]}" INSTALL_MOD_PATH="$img/usr" modules_install >>"$l/build.log" 2>&1
echo "$kver" >"$img/kver"
# Stock panthor is built in for the helpers it selects: keep it off the GPU.
echo "initcall_blacklist=panthor_init" >"$img/cmdline"
echo "$img"
