# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Group "kernels" (make check-kernels), sourced by tests/run.sh: the other
# kernels of the compatibility matrix (tests/kernels/setup-kernels.sh puts
# them in env-kernels.mk). For each: our module built against its arm64
# headers with W=1, not a single warning, where its compiler can be had; then
# two boots on the model (TCG is slow). The first runs, in this order,
#   stock panthor: probe, panthor-basic and panthor-job, as the model group
#                  checks 6.12's;
#   ours:          probe and panthor-basic, the load-time self-tests, the job tests
#                  (tests/vm/guest/reclaim_jobs.sh);
# the second, with the model in tiler heap mode, the differential uAPI suite
# (tests/vm/guest/uapi_diff.sh), both drivers. (After uapi_diff, ours loaded
# again in the same boot never runtime-suspends, on 6.12 and 7.3 alike.)
# Where ours cannot be built, the boot runs stock only (probe, jobs, the uAPI
# suite's cases) and every cell of ours is a SKIP line with the reason.

# Steps of tests/kernels/guest-kernels.sh; the last, the uAPI suite, gets a
# boot of its own.
kernels_steps_ours="stock_probe stock_jobs ours_probe selftest reclaim_jobs uapi_diff"
kernels_steps_stock="stock_probe stock_jobs stock_uapi"

kernels_desc() {	# kernels_desc STEP KVER: what a step's PASS means
	case $1 in
	stock_probe) echo "stock panthor of $2 probes the G610 on the model, card and render node" ;;
	stock_jobs) echo "stock panthor of $2: panthor-basic, panthor-job (stores, async VM_BIND, heap, suspend, system sleep, fault, bad opcode, timeout, recovery)" ;;
	stock_uapi) echo "the differential suite's cases run under stock panthor of $2" ;;
	uapi_diff) echo "differential uAPI suite on $2: stock panthor against panthor-reclaim" ;;
	ours_probe) echo "panthor-reclaim loads on $2 (GPU_ID, firmware booted, card and render node), panthor-basic, unloads" ;;
	selftest) echo "panthor-reclaim's load-time self-tests on $2" ;;
	reclaim_jobs) echo "panthor-reclaim runs jobs on $2 (as in the uapi group on 6.12)" ;;
	esac
}

group_kernels() {
	local name kimg kver kdir note dir ko steps log
	local matrix
	matrix=$(envval PR_MATRIX)
	if [ -z "$matrix" ]; then
		result FAIL kernels "no matrix in $cache/env-kernels.mk (run make setup)"
		return
	fi
	if ! bash tests/model/build.sh >"$logs/kernels-model.log" 2>&1; then
		result FAIL kernels "QEMU with the GPU model did not build" "$logs/kernels-model.log"
		return
	fi
	for name in $matrix; do
		matrix_kernel "$name"
		if [ -z "$kimg" ]; then
			result SKIP "kernels-$name" "$note"
			continue
		fi

		ko=none
		steps=$kernels_steps_stock
		if [ -n "$kdir" ]; then
			dir=$top/build/check-kernels-$name-build
			build_one "kernels-$name-build" "$kdir"
			if [ -f "$dir/panthor_reclaim.ko" ]; then
				ko=$dir/panthor_reclaim.ko
				steps=$kernels_steps_ours
			fi
		else
			result SKIP "kernels-$name-ours" "panthor-reclaim not built or run on $kver: $note"
		fi

		kernels_boot "$name" "$kimg" "$kver" "$ko" "" "${steps% *}"
		# The differential suite wants the model's tiler heap mode, which
		# would change what panthor-job's heap test expects: a boot of its own.
		kernels_boot "$name" "$kimg" "$kver" "$ko" "-global mali-g610.idvs-heap-bytes=65536" \
			"${steps##* }"
	done
}

# kernels_boot NAME KIMG KVER KO QEMU_ARGS STEPS: one boot of a matrix kernel
# on the model running the guest steps, each a result line, then the boot's
# own (kernel log, hang, time).
kernels_boot() {
	local name=$1 kimg=$2 kver=$3 ko=$4 qargs=$5 steps=$6 tag serial out rc t0 t1 step r
	tag=$name-${steps##* }
	tag=${tag//_/-}
	serial=$logs/kernels-$tag-serial.log out=$logs/kernels-$tag.log
	t0=$(date +%s)
	QEMU_ARGS=$qargs bash tests/vm/run.sh --kernel "$kimg" --ko "$ko" --timeout 1200 \
		--log "$serial" --cmd "$(echo "set -- $steps"; cat tests/kernels/guest-kernels.sh)" \
		>"$out" 2>&1
	rc=$?
	t1=$(date +%s)
	for step in $steps; do
		# What each step checked, as the guest printed it.
		sed -n "/^=== $step\$/,/^PRC-RESULT $step /p" "$serial" |
			grep -E '^(Subtest|  )' | sed 's/^/    /'
		r=$(sed -n "s/^PRC-RESULT $step //p" "$serial")
		case $r in
		PASS) result PASS "kernels-$name-${step//_/-}" "$(kernels_desc "$step" "$kver")" ;;
		SKIP) result SKIP "kernels-$name-${step//_/-}" "skipped in the guest" ;;
		*) result FAIL "kernels-$name-${step//_/-}" "${r:-did not run} (serial log: $serial)" ;;
		esac
	done
	# A failed step fails the guest command (exit 1) and is counted above;
	# the harness's own complaints (a kernel WARNING, a hang, a guest that
	# died) are counted here.
	if ! grep -q '^vm: ' "$out" && [ "$rc" -le 1 ]; then
		result PASS "kernels-$tag-boot" "$kver booted${qargs:+ ($qargs)}, $(echo "$steps" | wc -w) steps in $((t1 - t0)) s, kernel log clean"
	else
		result FAIL "kernels-$tag-boot" "boot of $kver: exit $rc after $((t1 - t0)) s" "$out"
	fi
}
