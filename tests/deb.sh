#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# deb.sh: build panthor-reclaim-dkms_<version>_all.deb from the files of
# this checkout (tracked or new, never ignored build products) in build/deb/.
# Prints the path of the .deb on its last line.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
debver=$(cd "$top" && dpkg-parsechangelog -S Version)
if [ "$version" != "$debver" ]; then
	echo "deb: dkms.conf says $version, debian/changelog says $debver" >&2
	exit 1
fi

src=$out/panthor-reclaim-$version
rm -rf "$out"
mkdir -p "$src"
(cd "$top" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src")
(cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) ||
	{ tail -n 30 "$out/build.log" >&2; exit 1; }
echo "$out/panthor-reclaim-dkms_${version}_all.deb"
