#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The test runner behind `make check` (and `make lint`, `make check-vm`, ...).
#
#   run.sh [GROUP...]    groups: build lint vm model pkg (default: all)
#
# Every test prints one line "PASS|FAIL|SKIP <name>: <what it checked>";
# details of failures follow, indented. The last line is
# "N passed, N failed, N skipped"; the exit status is 1 when anything failed.
# Logs of every step are kept in build/logs/.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PR_CACHE:-$top/.cache}
logs=$top/build/logs
mkdir -p "$logs"
cd "$top" || exit 1

passed=0 failed=0 skipped=0
result() {	# result PASS|FAIL|SKIP NAME MESSAGE [LOGFILE]
	echo "$1 $2: $3"
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*)
		failed=$((failed + 1))
		[ -n "${4:-}" ] && [ -f "$4" ] && tail -n 25 "$4" | sed 's/^/    | /'
		;;
	esac
}

envval() { cat "$cache"/env*.mk | sed -n "s/^$1 := //p"; }
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
kver=$(envval PR_KVER)
kdir_amd64=$(envval PR_KDIR_AMD64)
kver_amd64=$(cat "$kdir_amd64/include/config/kernel.release" 2>/dev/null)

# --- build: both architectures and the newest trixie-backports kernel, W=1,
# not a single warning
# build_one NAME KDIR: the module in build/check-NAME; fails (status 1) when
# it did not build at all, warnings only make the result a FAIL.
build_one() {
	local log=$logs/$1.log dir=$top/build/check-$1
	# A fresh build directory: an incremental build would hide warnings.
	rm -rf "$dir"
	if ! make -s module KDIR="$2" BUILDDIR="$dir" KBUILD_ARGS=W=1 >"$log" 2>&1; then
		result FAIL "$1" "module build with W=1 failed" "$log"
		return 1
	elif grep -q 'warning:' "$log"; then
		grep 'warning:' "$log" | sed 's/^/    | /'
		result FAIL "$1" "$(grep -c 'warning:' "$log") compiler/kernel-doc warnings with W=1"
	else
		result PASS "$1" "panthor_reclaim.ko for $(cat "$2/include/config/kernel.release") with W=1, no warnings"
	fi
}

# matrix_kernel NAME: set kimg, kver, kdir and note for kernel NAME of the
# matrix (env-kernels.mk); "default" is trixie's, run.sh's own (empty kimg).
matrix_kernel() {
	if [ "$1" = default ]; then
		kimg='' kver=$(envval PR_KVER) kdir=$(envval PR_KDIR_ARM64) note=''
		return
	fi
	kimg=$(envval "PR_MATRIX_${1}_KIMG")
	kver=$(envval "PR_MATRIX_${1}_KVER")
	kdir=$(envval "PR_MATRIX_${1}_KDIR")
	note=$(envval "PR_MATRIX_${1}_NOTE")
}
# reclaim_val KEY: a value of a guest's "PRC-... key=value..." line in $line
# (the pressure workload's and the integrity matrix's).
reclaim_val() {
	echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"
}
group_build() {
	build_one build-arm64 "$(envval PR_KDIR_ARM64)"
	build_one build-amd64 "$kdir_amd64"
	# The newest trixie-backports kernel: the other end of the supported range.
	build_one build-bpo-amd64 "$(envval PR_KDIR_BPO)"

	# Our uAPI header against the one of the kernel we test on.
	local log=$logs/abi.log ref=/usr/src/linux-headers-${kver%-arm64}-common/include/uapi/drm
	if bash tests/abi/check.sh "$ref" >"$log" 2>&1; then
		result PASS uapi-abi "$(tail -n1 "$log")"
	else
		result FAIL uapi-abi "include/uapi/drm/panthor_drm.h differs from the kernel's" "$log"
	fi
	# What we implement of the later minors, against the backports kernel's header.
	local bpo
	bpo=$(envval PR_KDIR_BPO)
	log=$logs/abi-minors.log ref=${bpo%-amd64}-common/include/uapi/drm
	if bash tests/abi/check.sh -m "$ref" >"$log" 2>&1; then
		result PASS uapi-abi-minors "uAPI 1.1-1.9 additions: $(tail -n1 "$log" | sed 's/ to the kernel.s/ to the backports kernel'"'"'s/')"
	else
		result FAIL uapi-abi-minors "our uAPI 1.1-1.9 additions differ from $ref" "$log"
	fi
}

# --- lint: checkpatch --strict on every source file, sparse on both builds,
# the include graph's layering
group_lint() {
	local log=$logs/checkpatch.log files n
	files=$(git ls-files -co --exclude-standard 'src/*.[ch]' 'include/*.h' 'tests/vm/*.[ch]' 'tests/abi/*.c' 'tests/bench/*.c' \
		'tests/uapi/*.c')
	n=$(echo "$files" | wc -l)
	# shellcheck disable=SC2086
	if perl "$(envval PR_CHECKPATCH)" --strict --no-tree --terse --show-types \
		--max-line-length=100 -f $files >"$log" 2>&1 && [ ! -s "$log" ]; then
		result PASS checkpatch "checkpatch.pl --strict: $n files clean"
	else
		result FAIL checkpatch "checkpatch.pl --strict complains" "$log"
	fi
	# The Vulkan client: kernel style but Vulkan's names and types.
	log=$logs/checkpatch-clients.log
	files=$(git ls-files -co --exclude-standard 'tests/clients/*.c')
	# shellcheck disable=SC2086
	if perl "$(envval PR_CHECKPATCH)" --strict --no-tree --terse --show-types \
		--max-line-length=100 --ignore CAMELCASE,PREFER_KERNEL_TYPES -f $files >"$log" 2>&1 &&
		[ ! -s "$log" ]; then
		result PASS checkpatch-clients "checkpatch.pl --strict on tests/clients (Vulkan's CamelCase names and C types allowed): clean"
	else
		result FAIL checkpatch-clients "checkpatch.pl --strict complains" "$log"
	fi

	local kd name
	for kd in "$(envval PR_KDIR_ARM64)" "$kdir_amd64"; do
		name=sparse-$(sed 's/.*-//' "$kd/include/config/kernel.release")
		log=$logs/$name.log
		if ! make module KDIR="$kd" KBUILD_ARGS=C=2 >"$log" 2>&1; then
			result FAIL "$name" "build with C=2 failed" "$log"
		elif ! grep -q '^  CHECK ' "$log"; then
			result FAIL "$name" "sparse did not run" "$log"
		elif grep -E '(warning|error):' "$log" | grep -q "$top/build/"; then
			grep -E '(warning|error):' "$log" | grep "$top/build/" | sed 's/^/    | /'
			result FAIL "$name" "sparse reports problems in our sources"
		else
			result PASS "$name" "sparse (C=2) on $(grep -c '^  CHECK ' "$log") files, clean"
		fi
	done

	# Layering: ioctl handlers depend on the layers below, never the reverse.
	# At most 3 files of src/ may depend on one another through their includes.
	log=$logs/include-graph.log
	if python3 tests/lint/include-graph.py --max 3 >"$log" 2>&1; then
		result PASS include-graph "src/ include graph: $(tail -n1 "$log")"
	else
		result FAIL include-graph "src/ files depend on one another in a circle of more than 3" "$log"
	fi
}

# --- vm: one boot of the stock arm64 kernel on Debian's QEMU (no GPU model:
# the device tree carries the refuse-to-bind test nodes) runs every guest
# test program
guest_tests="load_unload modinfo refuse_bind selftest"
group_vm() {
	local log=$logs/vm-serial.log out=$logs/vm.log t r rc
	if ! make -s module >"$logs/vm-build.log" 2>&1; then
		result FAIL vm "module build failed" "$logs/vm-build.log"
		return
	fi
	bash tests/vm/run.sh --no-model --timeout 600 --log "$log" \
		--cmd "run-tests.sh $guest_tests" >"$out" 2>&1
	rc=$?
	for t in $guest_tests; do
		r=$(sed -n "s/^PRC-RESULT $t //p" "$log")
		# What each subtest checked, as the guest printed it.
		sed -n "/^=== $t\$/,/^PRC-RESULT $t /p" "$log" |
			grep -E '^(Subtest|  )' | sed 's/^/    /'
		case $r in
		PASS) result PASS "vm-$t" "$(grep -c "^Subtest" <(sed -n "/^=== $t\$/,/^PRC-RESULT $t /p" "$log")) subtests in the guest" ;;
		SKIP) result SKIP "vm-$t" "skipped in the guest" ;;
		*) result FAIL "vm-$t" "${r:-did not run} (serial log: $log)" ;;
		esac
	done
	if grep -q '^vm: ' "$out"; then
		result FAIL vm-kernel-log "guest kernel log or VM run not clean (exit $rc)" "$out"
	else
		result PASS vm-kernel-log "no WARNING/BUG/Oops/KFENCE/lockdep/hung task in the guest kernel's log"
	fi
	group_harness
}

# The harness itself must be able to fail, on the kernel's log only: a real
# kernel WARNING (tests/vm/warn, a module that WARNs on load, built against
# the test kernel's headers and brought in on a --disk) and a kernel panic
# before the guest's dmesg dump both fail the run, a hung guest is killed,
# and a client that prints "WARNING:" or "BUG:" lines itself does not fail
# it. Stock kernel, Debian's QEMU, no build of ours: only the harness counts.
group_harness() {
	local dir=$top/build/harness img=$top/build/harness/disk.img log rc
	local vm=(bash tests/vm/run.sh --no-model --ko none --disk "$img")
	mkdir -p "$dir/warn" "$dir/disk"
	cp -p tests/vm/warn/Kbuild tests/vm/warn/*.c "$dir/warn/"
	log=$logs/harness-warn-build.log
	if ! make -C "$(envval PR_KDIR_ARM64)" M="$dir/warn" modules >"$log" 2>&1 ||
	   ! cp -p "$dir/warn/prc_warn.ko" "$dir/disk/" ||
	   ! bash tests/vm/mkdisk.sh "$dir/disk" "$img" >>"$log" 2>&1; then
		result FAIL vm-harness-warning "the WARNing test module or its disk did not build" "$log"
	else
		log=$logs/harness-warn.log
		"${vm[@]}" --timeout 300 --log "$log.serial" \
			--cmd 'insmod /mnt/disk/prc_warn.ko && echo "harness: prc_warn loaded"' >"$log" 2>&1
		rc=$?
		if [ $rc = 1 ] && grep -q '^harness: prc_warn loaded' "$log" &&
		   grep -q 'kernel problem reported' "$log" && grep -q 'WARNING: .*prc_warn' "$log"; then
			result PASS vm-harness-warning "a real kernel WARNING (WARN() in a module's init, in the dmesg dump only) fails the run although the command succeeded"
		else
			result FAIL vm-harness-warning "kernel WARNING not detected (exit $rc)" "$log"
		fi
	fi

	log=$logs/harness-client.log
	"${vm[@]}" --timeout 300 --log "$log.serial" --cmd 'echo "WARNING: client: CPU: 0 PID: 1 at x.c:1"
		echo "DEBUG: client: kernel BUG: at y.c:2"' >"$log" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q '^WARNING: client: CPU' "$log" && grep -q '^DEBUG: client: kernel BUG:' "$log" &&
	   ! grep -q '^vm: ' "$log"; then
		result PASS vm-harness-client "a client printing WARNING: and BUG: lines on the console does not fail the run"
	else
		result FAIL vm-harness-client "a client's own WARNING:/BUG: lines failed the run (exit $rc)" "$log"
	fi

	log=$logs/harness-panic.log
	"${vm[@]}" --timeout 300 --log "$log.serial" --cmd 'echo c >/proc/sysrq-trigger' >"$log" 2>&1
	rc=$?
	if [ $rc = 1 ] && ! grep -q '^PRC-VM-DMESG-BEGIN' "$log.serial" &&
	   grep -q 'kernel problem reported' "$log" && grep -q 'Kernel panic' "$log"; then
		result PASS vm-harness-panic "a kernel panic before the guest's dmesg dump is seen on the console and fails the run (exit $rc)"
	else
		result FAIL vm-harness-panic "kernel panic not reported (exit $rc)" "$log"
	fi

	log=$logs/harness-timeout.log
	"${vm[@]}" --timeout 25 --cmd 'sleep 600' >"$log" 2>&1
	rc=$?
	if [ $rc = 124 ]; then
		result PASS vm-harness-timeout "a hung guest is killed after --timeout and fails with 124"
	else
		result FAIL vm-harness-timeout "hung guest gave exit $rc" "$log"
	fi
}

# --- model: the Mali-G610 model in our QEMU build, judged by stock panthor
group_model() {
	local log=$logs/model-build.log
	if ! bash tests/model/build.sh >"$log" 2>&1; then
		result FAIL model-build "QEMU with the Mali-G610 model did not build" "$log"
		return
	fi
	result PASS model-build "qemu-system-aarch64 $(sed 's/.*qemu_\(.*\)+ds.*/\1/' "$cache/qemu/src.stamp") with the Mali-G610 model"
	make -s module >"$logs/model-module.log" 2>&1
	model_run vm-model-real-fw "$(envval PR_FIRMWARE)" "real mali_csffw.bin"
	# The model must not depend on the non-free image: same tests, our own.
	mkdir -p build/ownfw/arm/mali/arch10.8
	python3 tests/model/mkfw.py build/ownfw/arm/mali/arch10.8/mali_csffw.bin
	model_run vm-model-own-fw "$top/build/ownfw" "the model's own firmware image"

	# The test hooks: each failure the model can inject, and what the stock
	# driver must make of it (its own words in the guest log), cleanly.
	local boot='modprobe fixed; modprobe panthor'
	hook_run vm-model-hook-l2 fail-l2-power=1 "$boot; test \$(drm-nodes -c panthor) = 0" \
		"timeout waiting on L2:1 readiness" "L2 never powers up: probe fails, no render node"
	hook_run vm-model-hook-fault fault-va=0x1001000 "$boot; panthor-job -x fatal" \
		"Unhandled Page fault in AS[0-9] at VA 0x0000000001001000" \
		"injected fault on a mapped page: MMU fault, group fatal"
	hook_run vm-model-hook-hang hang-streams=1 "$boot; panthor-job -x timeout" \
		"job timeout" "streams make no progress: job timeout, group timed out"
	hook_run vm-model-hook-delay ack-delay-ms=20 "$boot; panthor-basic && panthor-job -b 20" \
		"Initialized panthor" "MCU answers 20 ms late: uAPI and 20 jobs still work"
	hook_run vm-model-heap idvs-heap-bytes=65536 "$boot; panthor-job -t 65536" \
		"Initialized panthor" "RUN_IDVS takes tiler heap: TILER_OOM, heap growth to max_chunks, then incremental renders"
	hook_run vm-model-hook-acks drop-acks=1 \
		"$boot; sleep 3; grep -qx suspended /sys/bus/platform/devices/9800000.gpu/power/runtime_status" \
		"Failed to cleanly suspend MCU" "MCU ignores doorbells: halt unacknowledged, slow suspend"
}

hook_run() {	# hook_run NAME PROPERTY=VALUE CMD LOG_PATTERN DESCRIPTION
	local serial=$logs/$1-serial.log out=$logs/$1.log rc
	QEMU_ARGS="-global mali-g610.$2" bash tests/vm/run.sh --timeout 300 \
		--log "$serial" --cmd "$3" >"$out" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q "$4" "$serial"; then
		result PASS "$1" "$5"
	else
		result FAIL "$1" "exit $rc, or no '$4' in the guest log" "$out"
	fi
}

model_run() {	# model_run NAME FIRMWARE_DIR DESCRIPTION
	local serial=$logs/$1-serial.log out=$logs/$1.log r
	bash tests/vm/run.sh --firmware "$2" --timeout 300 --log "$serial" \
		--cmd "run-tests.sh model_identify" >"$out" 2>&1
	sed -n '/^=== model_identify$/,/^PRC-RESULT/p' "$serial" | grep -E '^(Subtest|  )' | sed 's/^/    /'
	r=$(sed -n 's/^PRC-RESULT model_identify //p' "$serial")
	if [ "$r" = PASS ] && ! grep -q '^vm: ' "$out"; then
		result PASS "$1" "stock panthor with $3: probe, uAPI, jobs, MMU fault, bad opcode, timeout and recovery, system sleep, suspend/resume, unbind under a live client, ping; panthor-reclaim boots the same firmware"
	else
		result FAIL "$1" "${r:-did not run}" "$out"
	fi
}

# --- uapi: the differential uAPI suite (tests/uapi), stock panthor against
# panthor-reclaim on the model, outcome by outcome
group_uapi() {
	local serial=$logs/uapi-serial.log out=$logs/uapi.log r
	if ! bash tests/model/build.sh >"$logs/uapi-model.log" 2>&1 ||
		! make -s module >"$logs/uapi-module.log" 2>&1; then
		result FAIL uapi-diff "model or module build failed" "$logs/uapi-module.log"
		return
	fi
	# The model in tiler heap mode: the suite grows a heap of 2 MiB chunks.
	QEMU_ARGS="-global mali-g610.idvs-heap-bytes=65536" bash tests/vm/run.sh --timeout 300 \
		--log "$serial" --cmd "run-tests.sh uapi_diff" >"$out" 2>&1
	sed -n '/^=== uapi_diff$/,/^PRC-RESULT/p' "$serial" | grep -E '^(Subtest|  )' | sed 's/^/    /'
	r=$(sed -n 's/^PRC-RESULT uapi_diff //p' "$serial")
	if [ "$r" = PASS ] && ! grep -q '^vm: ' "$out"; then
		result PASS uapi-diff "$(sed -n 's/^  all \([0-9]*\) outcomes identical.*/\1/p' "$serial") uAPI cases give identical outcomes under stock panthor and panthor-reclaim"
	else
		result FAIL uapi-diff "${r:-did not run}" "$out"
	fi
	guest_run uapi-jobs reclaim_jobs \
		"panthor-reclaim runs jobs: 1/3 queues, async VM_BIND, tiler heap, system sleep, uAPI minors, sparse, reclaim of idle BOs (GPU-mapped too), purge and discard, MMU fault, bad opcode, timeout, recovery"
	# The model's failure hooks, as for stock panthor in the model group.
	local ours='modprobe fixed; modprobe panthor_reclaim'
	hook_run uapi-heap idvs-heap-bytes=65536 "$ours; panthor-job -t 65536" \
		"Initialized panthor" "panthor-reclaim grows tiler heaps on TILER_OOM up to max_chunks, then incremental renders"
	hook_run uapi-hook-fault fault-va=0x1001000 "$ours; panthor-job -x fatal" \
		"GPU page fault in AS[0-9] at 0x0000000001001000" \
		"panthor-reclaim: injected fault on a mapped page: MMU fault, group fatal"
	hook_run uapi-hook-hang hang-streams=1 "$ours; panthor-job -x timeout" \
		"job timed out" "panthor-reclaim: streams make no progress: job timeout, group timed out"
	if make -s demo >"$logs/demo.log" 2>&1 && grep -q "The demo worked" "$logs/demo.log"; then
		result PASS demo "make demo: $(grep -o 'ran [0-9]* jobs on the [^;]*' "$logs/demo.log"), results checked"
	else
		result FAIL demo "make demo failed" "$logs/demo.log"
	fi
}

guest_run() {	# guest_run NAME SCRIPT DESCRIPTION [QEMU_ARGS]
	local serial=$logs/$1-serial.log out=$logs/$1.log r
	QEMU_ARGS="${4:-}" bash tests/vm/run.sh --timeout 300 --log "$serial" \
		--cmd "run-tests.sh $2" >"$out" 2>&1
	sed -n "/^=== $2\$/,/^PRC-RESULT/p" "$serial" | grep -E '^(Subtest|  )' | sed 's/^/    /'
	r=$(sed -n "s/^PRC-RESULT $2 //p" "$serial")
	if [ "$r" = PASS ] && ! grep -q '^vm: ' "$out"; then
		result PASS "$1" "$3"
	else
		result FAIL "$1" "${r:-did not run}" "$out"
	fi
}

# --- pkg: DKMS from the checkout, then the .deb: build, lintian, install, purge
pkg_cleanup() {
	dpkg-query -W -f='${Status}' panthor-reclaim-dkms 2>/dev/null | grep -q installed &&
		dpkg --purge panthor-reclaim-dkms >/dev/null 2>&1
	make -s dkms-uninstall >/dev/null 2>&1
	return 0
}

module_file() {	# module_file KVER -> path of the DKMS-installed module, if any
	ls /lib/modules/"$1"/updates/dkms/panthor_reclaim.ko* 2>/dev/null | head -n1
}

group_pkg() {
	local log ko deb
	pkg_cleanup

	log=$logs/dkms-install.log
	if make dkms-install >"$log" 2>&1 && ko=$(module_file "$kver_amd64") && [ -n "$ko" ] &&
	   [ "$(modinfo -F version "$ko")" = "$version" ] &&
	   dkms status panthor-reclaim/"$version" 2>/dev/null | grep -q "$kver_amd64.*installed"; then
		result PASS dkms-install "make dkms-install built and installed $version for $kver_amd64 ($ko)"
	else
		result FAIL dkms-install "make dkms-install did not install the module for $kver_amd64" "$log"
	fi
	log=$logs/dkms-uninstall.log
	if make dkms-uninstall >"$log" 2>&1 && [ -z "$(module_file "$kver_amd64")" ] &&
	   [ ! -e /usr/src/panthor-reclaim-"$version" ] && [ -z "$(dkms status panthor-reclaim 2>/dev/null)" ]; then
		result PASS dkms-uninstall "make dkms-uninstall removed module, sources and DKMS entry"
	else
		result FAIL dkms-uninstall "leftovers after make dkms-uninstall" "$log"
	fi

	log=$logs/deb-build.log
	if deb=$(bash tests/deb.sh 2>"$log" | tail -n1) && [ -f "$deb" ] &&
	   [ "$(basename "$deb")" = "panthor-reclaim-dkms_${version}_all.deb" ]; then
		result PASS deb-build "dpkg-buildpackage produced $(basename "$deb")"
	else
		result FAIL deb-build "no .deb" "$log"
		return
	fi

	log=$logs/lintian.log
	if lintian --fail-on error "$deb" >"$log" 2>&1; then
		result PASS deb-lintian "lintian: no errors ($(grep -c '^W:' "$log") warnings)"
	else
		result FAIL deb-lintian "lintian reports errors" "$log"
	fi

	log=$logs/deb-install.log
	local conf=/usr/lib/modprobe.d/panthor-reclaim.conf
	if dpkg -i "$deb" >"$log" 2>&1 && ko=$(module_file "$kver_amd64") && [ -n "$ko" ] &&
	   [ -f /usr/src/panthor-reclaim-"$version"/dkms.conf ] &&
	   grep -qx 'blacklist panthor' "$conf" && grep -qx 'install panthor /bin/false' "$conf" &&
	   modprobe -c | grep -qx 'blacklist panthor'; then
		result PASS deb-install "dpkg -i: DKMS built $ko, sources in /usr/src, $conf active"
	else
		result FAIL deb-install "install did not build the module or set up modprobe.d" "$log"
	fi

	log=$logs/deb-purge.log
	if dpkg --purge panthor-reclaim-dkms >"$log" 2>&1 && [ -z "$(module_file "$kver_amd64")" ] &&
	   [ ! -e /usr/src/panthor-reclaim-"$version" ] && [ ! -e "$conf" ] &&
	   [ -z "$(dkms status panthor-reclaim 2>/dev/null)" ] && ! modprobe -c | grep -qx 'blacklist panthor'; then
		result PASS deb-purge "dpkg --purge removed module, sources, DKMS entry and modprobe.d file"
	else
		result FAIL deb-purge "leftovers after purge" "$log"
	fi
	pkg_cleanup
}

# --- lockdep: the Debian 6.12 source built with PROVE_LOCKING (tests/lockdep),
# our module built against it, and the self-tests and the module's job tests
# run under it on the model: any lockdep report fails the VM run.
group_lockdep() {
	local log=$logs/lockdep-build.log img kver serial=$logs/lockdep-serial.log out=$logs/lockdep.log r
	local t0
	t0=$(date +%s)
	if ! bash tests/lockdep/build.sh >"$log" 2>&1; then
		result FAIL lockdep-build "the lockdep kernel did not build" "$log"
		return
	fi
	img=$(tail -n1 "$log")
	kver=$(cat "$img/kver")
	result PASS lockdep-build "kernel $kver (Debian's 6.12 source, PROVE_LOCKING) in $(($(date +%s) - t0)) s"
	if ! make -s module KDIR="$cache/lockdep/out" KBUILD_ARGS=W=1 >"$logs/lockdep-module.log" 2>&1 ||
	   grep -q 'warning:' "$logs/lockdep-module.log"; then
		result FAIL lockdep-module "module build against $kver failed or warned" \
			"$logs/lockdep-module.log"
		return
	fi
	result PASS lockdep-module "panthor_reclaim.ko for $kver with W=1, no warnings"
	bash tests/model/build.sh >/dev/null 2>&1 || true
	# In a guest smaller than the pressure workload's BOs (with zram swap):
	# the kernel's own reclaim must call our shrinker while lockdep watches.
	bash tests/vm/run.sh --kernel "$img" --mem $lockdep_mem --timeout 600 --log "$serial" \
		--cmd "PRC_PRESSURE_DRIVER=panthor_reclaim PRC_PRESSURE_ARGS='$lockdep_pressure' PRC_PRESSURE_ZRAM=512 PRC_PRESSURE_COMP=lzo-rle run-tests.sh selftest reclaim_jobs pressure memcg lockdep_check" \
		>"$out" 2>&1
	r=$(sed -n 's/^PRC-RESULT \([a-z_]*\) FAIL$/\1/p' "$serial" | tr '\n' ' ')
	sed -n '/^=== lockdep_check$/,/^PRC-RESULT/p' "$serial" | grep -E '^  ' | sed 's/^/    /'
	if [ "$(grep -c '^PRC-RESULT .* PASS$' "$serial")" = 5 ] && ! grep -q '^vm: ' "$out"; then
		result PASS vm-lockdep "self-tests, job tests, the pressure workload and cgroup reclaim under lockdep, no report"
	else
		result FAIL vm-lockdep "${r:-lockdep report or no result}" "$out"
	fi
	local line
	line=$(grep -m1 '^PRC-PRESSURE ' "$serial")
	# What this proves is the locking under real reclaim, and that no byte
	# is lost; whether the workload completes is the reclaim group's to
	# require (on the kernels users run: the lockdep kernel is tinyconfig,
	# and a worker may meet the OOM killer here), so it is only reported.
	if [ -n "$line" ] && [ "$(reclaim_val lost)" = 0 ] &&
	   [ "$(reclaim_val evicted_fill_pages)" -gt 0 ] 2>/dev/null; then
		result PASS vm-lockdep-pressure "panthor-pressure $lockdep_pressure in a $lockdep_mem guest under lockdep: the kernel's reclaim evicted $(reclaim_val evicted_fill_pages) pages through our shrinker while the workload filled, 0 bytes lost, $(reclaim_val verified_mib) MiB verified (outcome $(reclaim_val outcome), $(reclaim_val oom_kills) OOM kills)"
	else
		result FAIL vm-lockdep-pressure "panthor-pressure under lockdep: outcome ${line:+$(reclaim_val outcome)}, lost ${line:+$(reclaim_val lost)}, pages evicted by the kernel's reclaim while filling ${line:+$(reclaim_val evicted_fill_pages)}" "$out"
	fi
}
lockdep_mem=384M
lockdep_pressure="-n 3 -m 112 -E"

# Groups kept in files of their own (tests/*/group-NAME.sh define group_NAME
# and may use everything above); they run after the groups above.
extra_groups=
for f in tests/*/group-*.sh; do
	[ -f "$f" ] || continue
	# shellcheck disable=SC1090
	. "$f"
	f=${f##*/group-}
	extra_groups+=" ${f%.sh}"
done
groups=${*:-build lint vm model uapi lockdep pkg$extra_groups}
start=$(date +%s)
if [ ! -f "$cache/env.mk" ]; then
	echo "run.sh: not set up, run 'make setup' (or 'make check')" >&2
	exit 2
fi
# Prebuilds: on a cold cache the GPU model's QEMU and the lockdep kernel
# take minutes of compiling each, while the build, lint and vm groups that
# come first leave a core mostly idle (module builds and sparse run one job,
# checkpatch one process, a guest often waits). A full run builds them at
# once, one after the other in the background, at the lowest priority; a
# group that needs one waits for it on the build script's lock, then finds
# it up to date (or reports the failure of its own build).
prebuild=
if [ $# = 0 ]; then
	(nice -n 19 bash tests/model/build.sh >"$logs/prebuild-model.log" 2>&1
	 nice -n 19 bash tests/lockdep/build.sh >"$logs/prebuild-lockdep.log" 2>&1) &
	prebuild=$!
fi
for g in $groups; do
	echo "== $g"
	t=$(date +%s)
	"group_$g"
	echo "== $g took $(($(date +%s) - t)) s"
done
[ -z "$prebuild" ] || wait "$prebuild"
echo "== done in $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
