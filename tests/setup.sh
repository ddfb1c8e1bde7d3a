#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# One-command, idempotent setup of everything panthor-reclaim needs to build
# and test on a Debian 12 (bookworm) amd64 host: host packages, the trixie
# cross compiler, the stock trixie arm64 kernel (image, modules, headers), the
# trixie amd64 headers for native/DKMS builds, the newest trixie-backports
# amd64 headers (build test), busybox for the initramfs and
# checkpatch.pl.  Downloads live in $PR_CACHE (default: .cache/ of the checkout),
# so a second run only checks that everything is there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PR_CACHE:-$top/.cache}
mkdir -p "$cache/debs"

log() { echo "setup: $*"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: must run as root (apt-get, dpkg-deb -x into /usr/src)" >&2
	exit 1
fi

# --- apt: extra suites pinned low, named packages taken from them explicitly
apt_changed=0
write_if_changed() {
	local f=$1 content
	content=$(cat)
	if [ ! -f "$f" ] || [ "$(cat "$f")" != "$content" ]; then
		printf '%s\n' "$content" >"$f"
		apt_changed=1
	fi
}
write_if_changed /etc/apt/sources.list.d/panthor-reclaim.sources <<'X'
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: trixie trixie-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
X
write_if_changed /etc/apt/preferences.d/panthor-reclaim <<'X'
Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: *
Pin: release n=trixie-updates
Pin-Priority: 100

Package: *
Pin: release n=trixie-backports
Pin-Priority: 100
X
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	apt_changed=1
fi
stamp=$cache/apt-update.stamp
if [ $apt_changed = 1 ] || [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
	log "apt-get update"
	apt-get update -q >/dev/null
	touch "$stamp"
fi

missing() {	# missing SUITE PKG...: those not installed, or not at SUITE's version
	local suite=$1 p want
	shift
	for p in "$@"; do
		if ! dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed; then
			echo "$p"
		elif [ -n "$suite" ]; then
			want=$(apt-cache -t "$suite" policy "$p" | sed -n 's/^ *Candidate: //p')
			[ "$(dpkg-query -W -f='${Version}' "$p")" = "$want" ] || echo "$p"
		fi
	done
}
apt_install() {
	local suite=$1 todo
	shift
	todo=$(missing "$suite" "$@")
	[ -n "$todo" ] || return 0
	log "installing ($suite): $(echo $todo)"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -q -y --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		${suite:+-t $suite} $todo >/dev/null
}

apt_install "" make bc bison flex libelf-dev kmod cpio xz-utils zstd rsync \
	dkms dh-dkms debhelper dpkg-dev fakeroot lintian sparse \
	device-tree-compiler qemu-system-arm python3 perl file \
	ninja-build libglib2.0-dev libpixman-1-dev libfdt-dev python3-venv python3-pycotap bzip2
# QEMU 10 (the GPU model's base) needs meson >= 1.5; trixie's is pure Python.
# trixie's dwarves needs pahole (>= 1.22), split out since; apt will not pick
# trixie's pahole for a -t trixie dependency on its own, so name it.
apt_install trixie gcc-14-aarch64-linux-gnu libc6-dev-arm64-cross gcc-14 pahole dwarves meson

# newest_from KIND ARCH SUITES: the newest VERSION of linux-KIND-VERSION-ARCH
# (a +deb13 build) that apt-cache madison places in one of SUITES (an ERE).
newest_from() {
	local kind=$1 arch=$2 suites=$3 v
	for v in $(apt-cache search --names-only "^linux-$kind-[0-9.]+\\+deb13-$arch\$" |
		   sed -n "s/^linux-$kind-\\([^ ]*\\)-$arch .*/\\1/p" | sort -rV); do
		# Not "madison | grep -q": under pipefail, grep's early exit can fail it.
		if grep -qE " ($suites)/main " <<<"$(apt-cache madison "linux-$kind-$v-$arch")"; then
			echo "$v"
			return
		fi
	done
}

# --- the stock trixie kernel: newest linux-image-*+deb13-arm64 at setup time,
# from trixie itself: trixie-backports ships newer +deb13 kernels (7.x) whose
# panthor is a different driver to compare with, and they only get a build.
kver_file=$cache/kver
if [ ! -s "$kver_file" ] || [ $apt_changed = 1 ] ||
   [ "$stamp" -nt "$kver_file" ]; then
	newest_from image arm64 'trixie|trixie-updates' >"$kver_file.new"
	[ -s "$kver_file.new" ] || { echo "setup: no trixie arm64 kernel found" >&2; exit 1; }
	mv "$kver_file.new" "$kver_file"
fi
kabi=$(cat "$kver_file")		# e.g. 6.12.117+deb13
kbase=${kabi%%+*}			# e.g. 6.12.117
kser=$(echo "$kbase" | cut -d. -f1,2)	# e.g. 6.12

fetch_deb() {	# fetch_deb NAME[:ARCH] -> path of the .deb in the cache
	local name=$1 f
	f=$(ls "$cache/debs/${name%%:*}"_*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$f" ]; then
		(cd "$cache/debs" && apt-get download -q -o APT::Sandbox::User=root -t trixie "$name" >/dev/null)
		f=$(ls "$cache/debs/${name%%:*}"_*.deb | head -n1)
	fi
	echo "$f"
}

kimg=$cache/kernel/$kabi-arm64
if [ ! -f "$kimg/.done" ]; then
	log "fetching stock kernel $kabi-arm64"
	rm -rf "$kimg"
	mkdir -p "$kimg"
	deb=$(fetch_deb "linux-image-$kabi-arm64:arm64")
	dpkg-deb -x "$deb" "$kimg"
	rm -f "$deb"	# the extracted tree is the cache
	touch "$kimg/.done"
fi
# A newer trixie kernel replaces the previous one in the cache.
for old in "$cache"/kernel/* "$cache"/debs/linux-*; do
	case $old in *"$kabi"* | *"/*") ;; *) log "pruning $old"; rm -rf "$old" ;; esac
done

# Headers: extracted into / (their Makefiles hard-code /usr/src); installing
# them with apt would drag in the target-arch gcc-14.
for arch in arm64:arm64 amd64:amd64; do
	flav=${arch%%:*}
	if [ ! -f "/usr/src/linux-headers-$kabi-$flav/.config" ]; then
		log "extracting headers $kabi-$flav"
		for p in "linux-headers-$kabi-$flav:${arch##*:}" "linux-headers-$kabi-common" \
			 "linux-kbuild-$kabi"; do
			dpkg-deb -x "$(fetch_deb "$p")" /
		done
	fi
done

# --- the trixie-backports kernel headers (amd64): the newest kernel SBC users
# may run, for a build test.  Resolved at setup time like the trixie kernel.
bpo_file=$cache/kver-bpo
if [ ! -s "$bpo_file" ] || [ $apt_changed = 1 ] ||
   [ "$stamp" -nt "$bpo_file" ]; then
	newest_from headers amd64 trixie-backports >"$bpo_file.new"
	[ -s "$bpo_file.new" ] || { echo "setup: no trixie-backports amd64 headers found" >&2; exit 1; }
	mv "$bpo_file.new" "$bpo_file"
fi
kbpo=$(cat "$bpo_file")		# e.g. 7.3.4+deb13
if [ ! -f "/usr/src/linux-headers-$kbpo-amd64/.config" ]; then
	log "extracting trixie-backports headers $kbpo-amd64"
	for p in "linux-headers-$kbpo-amd64" "linux-headers-$kbpo-common" "linux-kbuild-$kbpo"; do
		deb=$(fetch_deb "$p")
		dpkg-deb -x "$deb" /
		rm -f "$deb"	# the extracted tree is the cache
	done
fi

busybox=$cache/busybox/usr/bin/busybox
if [ ! -x "$busybox" ]; then
	log "fetching busybox-static:arm64"
	rm -rf "$cache/busybox"
	dpkg-deb -x "$(fetch_deb busybox-static:arm64)" "$cache/busybox"
fi

# The Mali CSF firmware (non-free, never committed): the real file the GPU
# model must accept, from trixie's firmware-misc-nonfree.
fw=arm/mali/arch10.8/mali_csffw.bin
if [ ! -f "$cache/firmware/$fw" ]; then
	log "fetching $fw from firmware-misc-nonfree"
	tmp=$(mktemp -d)
	deb=$(fetch_deb firmware-misc-nonfree)
	dpkg-deb -x "$deb" "$tmp"
	mkdir -p "$cache/firmware/$(dirname "$fw")"
	cp "$tmp/usr/lib/firmware/$fw" "$cache/firmware/$fw"
	rm -rf "$tmp" "$deb"
fi

# checkpatch.pl and its data files, from Debian's linux-source package.
cp_dir=$cache/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	log "extracting checkpatch.pl from linux-source-$kser"
	tmp=$(mktemp -d)
	dpkg-deb -x "$(fetch_deb "linux-source-$kser")" "$tmp"
	# Only three small files are kept here; the package itself moves to
	# where the lockdep kernel build (tests/lockdep) looks for it.
	mkdir -p "$cache/lockdep/dl"
	mv "$cache"/debs/linux-source-"$kser"_*.deb "$cache/lockdep/dl/"
	mkdir -p "$cp_dir"
	tar -C "$cp_dir" --strip-components=1 -xaf "$tmp/usr/src/linux-source-$kser.tar.xz" \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	rm -rf "$tmp"
fi

cat >"$cache/env.mk.new" <<X
# generated by tests/setup.sh
PR_KVER := $kabi-arm64
PR_KDIR_ARM64 := /usr/src/linux-headers-$kabi-arm64
PR_KDIR_AMD64 := /usr/src/linux-headers-$kabi-amd64
PR_KDIR_BPO := /usr/src/linux-headers-$kbpo-amd64
PR_KIMG := $kimg
PR_BUSYBOX := $busybox
PR_FIRMWARE := $cache/firmware
PR_CHECKPATCH := $cp_dir/scripts/checkpatch.pl
X
mv "$cache/env.mk.new" "$cache/env.mk"

# The other kernels of the matrix and the real clients (Mesa): each part has
# its own setup script, idempotent like this one, writing $cache/env-NAME.mk.
for sub in "$top"/tests/*/setup-*.sh; do
	[ -f "$sub" ] || continue
	PR_CACHE=$cache bash "$sub" || { echo "setup: $sub failed" >&2; exit 1; }
done
log "ready (kernel $kabi, backports headers $kbpo, cache $(du -sh "$cache" | cut -f1))"
