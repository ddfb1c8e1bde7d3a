#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# modinfo fields a distro and DKMS rely on.
. /tests/lib.sh

field() {
	modinfo -F "$1" panthor_reclaim
}

version_matches_package() {
	want=$(cat /etc/prc/version)
	got=$(field version)
	[ "$got" = "$want" ] || fail "version '$got', package '$want'" || return 1
	echo "  version $got matches dkms.conf"
}

license_gpl() {
	[ "$(field license)" = GPL ] || fail "license '$(field license)'"
}

firmware_declared() {
	field firmware | grep -qx 'arm/mali/arch10.8/mali_csffw.bin' ||
		fail "firmware: '$(field firmware)'" || return 1
	echo "  firmware arm/mali/arch10.8/mali_csffw.bin"
}

aliases_cover_compatibles() {
	for c in rockchip,rk3588-mali arm,mali-valhall-csf; do
		field alias | grep -qx "of:N\*T\*C$c" || fail "no OF alias for $c" || return 1
	done
	echo "  OF aliases for rockchip,rk3588-mali and arm,mali-valhall-csf"
}

vermagic_matches_kernel() {
	set -- $(field vermagic)
	[ "$1" = "$(uname -r)" ] || fail "vermagic $1, kernel $(uname -r)" || return 1
	echo "  vermagic $1"
}

depends_on_drm_helpers() {
	deps=",$(field depends),"
	for m in drm drm_exec drm_gpuvm gpu-sched; do
		case $deps in *,$m,*) ;; *) fail "does not depend on $m ($deps)"; return 1 ;; esac
	done
	echo "  depends: $(field depends)"
}

selftest_param() {
	field parm | grep -q '^selftest:' || fail "no selftest parameter"
}

subtest version version_matches_package
subtest license license_gpl
subtest firmware firmware_declared
subtest aliases aliases_cover_compatibles
subtest vermagic vermagic_matches_kernel
subtest depends depends_on_drm_helpers
subtest selftest-param selftest_param
prc_done
