#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Make a read-only disk for the test VM (run.sh --disk IMAGE) from a
# directory: an ext4 image, mounted read-only at /mnt/disk in the guest.
#
# Usage: mkdisk.sh DIR IMAGE
#
# The image is rebuilt only when DIR changed (a list of its paths, types,
# modes, owners, sizes, times and link targets, kept in IMAGE.stamp), and
# the same DIR gives the same bytes: fixed UUID and hash seed (from that
# list), fixed creation time, files owned as in DIR. No root or loop device
# is needed (mke2fs -d). No journal and no metadata checksums: the guest
# only reads it, and ext4's checksums would need the crc32c module too.
set -euo pipefail

[ $# = 2 ] || { echo "usage: $0 DIR IMAGE" >&2; exit 2; }
dir=$1 img=$2
[ -d "$dir" ] || { echo "mkdisk: no directory $dir" >&2; exit 2; }

sum=$(cd "$dir" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | LC_ALL=C sort | sha256sum | cut -c1-64)
if [ -f "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$sum" ]; then
	exit 0
fi

# Room for the files as the host stores them (4 KiB blocks), plus a quarter
# and 8 MiB for the file system's own structures; an inode for each entry.
kib=$(du -s -k "$dir" | cut -f1)
kib=$((kib + kib / 4 + 8192))
inodes=$(find "$dir" | wc -l)
inodes=$((inodes + inodes / 8 + 64))
uuid=$(echo "$sum" | sed 's/^\(.\{8\}\)\(.\{4\}\)\(.\{4\}\)\(.\{4\}\)\(.\{12\}\).*/\1-\2-\3-\4-\5/')

rm -f "$img.tmp"
E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-1700000000} mke2fs -q -F -t ext4 -b 4096 -m 0 \
	-N "$inodes" -O ^has_journal,^metadata_csum,^orphan_file -L prc-disk -U "$uuid" \
	-E "hash_seed=$uuid,lazy_itable_init=0,nodiscard" -d "$dir" "$img.tmp" "${kib}k" >/dev/null
mv "$img.tmp" "$img"
echo "$sum" >"$img.stamp"
echo "mkdisk: $img from $dir ($((kib / 1024)) MiB)" >&2
