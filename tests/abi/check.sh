#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh [-m] REFERENCE_UAPI_DIR: compare the layout of our panthor uAPI
# header with the kernel's (REFERENCE_UAPI_DIR/panthor_drm.h), for the host
# and for arm64. With -m, only what we implement of the minors after 1.0
# (against a newer kernel's header). Prints a one-line summary; exits 1 on
# any difference.
set -euo pipefail

defs=
if [ "${1:-}" = -m ]; then
	defs=-DPRC_ABI_MINORS
	shift
fi

here=$(cd "$(dirname "$0")" && pwd)
ours=$here/../../include/uapi/drm
ref=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for cc in gcc aarch64-linux-gnu-gcc-14; do
	for side in ours ref; do
		dir=$ours
		[ $side = ref ] && dir=$ref
		# drm.h (which panthor_drm.h includes) comes from the reference dir.
		# (unsanitized kernel uapi headers: __user is a sparse annotation)
		$cc -static -O2 -Wall -Werror -D__user= $defs -I"$dir" -idirafter "$ref" -idirafter "$ref/.." \
			-o "$out/$side-$cc" "$here/abi-dump.c"
	done
	if [ $cc = gcc ]; then
		"$out/ours-$cc" >"$out/ours.txt"
		"$out/ref-$cc" >"$out/ref.txt"
	else
		# Nothing runs arm64 code here: the layouts agree when the two
		# programs, differing only in the header, compile to the same bytes.
		cmp -s "$out/ours-$cc" "$out/ref-$cc" || {
			echo "arm64: abi-dump compiles differently with the two headers" >&2; exit 1; }
	fi
done
diff -u "$out/ref.txt" "$out/ours.txt" >&2 || { echo "uAPI layout differs" >&2; exit 1; }
n=$(wc -l <"$out/ours.txt")
echo "$n sizes, offsets and constants identical to the kernel's panthor_drm.h (amd64 and arm64)"
