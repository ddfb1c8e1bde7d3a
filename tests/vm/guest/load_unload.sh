#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The module loads and unloads cleanly, repeatedly, with its dependencies
# resolved from the stock kernel's modules.
. /tests/lib.sh

deps_resolved() {
	modprobe panthor_reclaim || return 1
	for m in drm drm_exec drm_gpuvm gpu_sched; do
		[ -d /sys/module/$m ] || fail "dependency $m not loaded" || return 1
	done
	echo "  dependencies drm, drm_exec, drm_gpuvm, gpu_sched resolved from the stock kernel"
	prc_unload
}

load_unload_20() {
	i=0
	while [ $i -lt 20 ]; do
		modprobe panthor_reclaim || fail "modprobe #$i failed" || return 1
		[ -d /sys/module/panthor_reclaim ] || fail "module absent after load #$i" || return 1
		refs=$(cat /sys/module/panthor_reclaim/refcnt)
		[ "$refs" = 0 ] || fail "refcount $refs after load #$i" || return 1
		rmmod panthor_reclaim || fail "rmmod #$i failed" || return 1
		[ ! -d /sys/module/panthor_reclaim ] || fail "module present after unload #$i" || return 1
		i=$((i + 1))
	done
	echo "  20 load/unload cycles, refcount 0 each time"
}

no_render_node_without_gpu() {
	modprobe panthor_reclaim || return 1
	# This VM has no GPU model, only nodes that must fail to bind: no node.
	n=$(drm-nodes -c panthor)
	[ "$n" = 0 ] || { prc_unload; fail "$n DRM nodes driven by panthor"; return 1; }
	echo "  no panthor DRM node registered without a usable GPU"
	prc_unload
}

subtest deps-resolved deps_resolved
subtest load-unload-20 load_unload_20
subtest no-render-node no_render_node_without_gpu
prc_done
