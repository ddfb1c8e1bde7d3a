# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Group "reclaim" (make check-reclaim), sourced by tests/run.sh: the same
# pressure workload (tests/vm/progs/panthor-pressure.c, 4 processes x 256
# MiB of BOs, every one GPU-mapped, filled by CPU and GPU, then read back;
# one process at a time fills and one at a time reads back, the others idle
# like background applications: -E) in a 512 MiB guest on the model with
# zram swap and the workload in a cgroup (tests/vm/guest/pressure.sh),
# under each driver, side by side:
#   stock panthor on 6.12  pins every BO: expected to fail allocations with
#                          -ENOMEM or to be OOM-killed;
#   stock panthor on 7.3   (trixie-backports, the kernel matrix's "bpo") has
#                          upstream's shrinker;
#   panthor-reclaim        on 6.12 and on 7.3: must complete, every process.
# A row passes when the workload reported its outcome and not one byte it
# read back differed from what it wrote; what a stock driver survived is
# reported, not asserted (stock drivers are what they are), ours must
# complete. Each row is one boot.
#
# Then, on each kernel ours runs on, one boot of the reclaim integrity
# matrix (integrity_row below): BOs of every shape evicted through debugfs
# and through real reclaim, then read back by every reader, which must
# find every byte; imported, pinned and busy BOs stay; nothing is left.
# The same boot then checks that a memory cgroup's own reclaim reaches our
# BOs (tests/vm/guest/memcg.sh: memory.reclaim and memory.max of a child
# cgroup), a result of its own.

# The workload, the same for every row.
reclaim_args="-n 4 -m 256 -E"

# reclaim_row NAME LABEL DRIVER [RUN_ARGS...]: one boot running the workload
# under module DRIVER, one result line; the row's values in reclaim_rows for
# the table. RUN_ARGS go to tests/vm/run.sh after "--ko none" (a later --ko
# PATH brings our build). Rows of panthor_reclaim must complete.
reclaim_rows=
reclaim_row() {
	local name=$1 label=$2 drv=$3 serial=$logs/reclaim-$1-serial.log out=$logs/reclaim-$1.log
	local line r rc t0 t1 note=''
	shift 3
	t0=$(date +%s)
	bash tests/vm/run.sh --ko none "$@" --mem 512M --timeout 420 --log "$serial" \
		--cmd "PRC_PRESSURE_ARGS='$reclaim_args' PRC_PRESSURE_DRIVER=$drv run-tests.sh pressure" >"$out" 2>&1
	rc=$?
	t1=$(date +%s)
	sed -n '/^=== pressure$/,/^PRC-RESULT/p' "$serial" | grep -E '^  ' | sed 's/^/    /'
	line=$(grep -m1 '^PRC-PRESSURE ' "$serial")
	r=$(sed -n 's/^PRC-RESULT pressure //p' "$serial")
	# A stock driver's kernel warnings under pressure are a finding about
	# it, shown in the row; a hang or crash leaves no report and fails.
	grep -q '^vm: kernel problem' "$out" && note=" (guest kernel log: $(grep -A1 '^vm: kernel problem' "$out" | tail -n1 | cut -c1-100))"
	if [ -z "$line" ]; then
		result FAIL "reclaim-$name" "$label: no report from the workload (run exit $rc, $((t1 - t0)) s)" "$out"
		reclaim_rows+="$label|no report|-|-|-|-|-|$((t1 - t0))"$'\n'
		return
	fi
	if [ "$drv" = panthor_reclaim ] && [ "$(reclaim_val completed)" != "$(reclaim_val procs)" ]; then
		result FAIL "reclaim-$name" "$label: $(reclaim_val outcome): panthor-reclaim must complete" "$out"
	elif [ "$r" = PASS ] && [ "$(reclaim_val lost)" = 0 ]; then
		result PASS "reclaim-$name" "$label: $(reclaim_val outcome), $(reclaim_val verified_mib) MiB verified, 0 bytes lost, $(reclaim_val oom_kills) OOM kills, boot $((t1 - t0)) s$note"
	else
		result FAIL "reclaim-$name" "$label: $(reclaim_val outcome), $(reclaim_val lost) bytes lost (guest result ${r:-none})" "$out"
	fi
	reclaim_rows+="$label|$(reclaim_val outcome)|$(reclaim_val verified_mib)|$(reclaim_val lost)|$(reclaim_val swap_peak_mib)|$(reclaim_val oom_kills)"
	reclaim_rows+="|$(reclaim_val gems_filled_mib)->$(reclaim_val gems_reclaimed_mib) (shmem $(reclaim_val shmem_filled_mib)->$(reclaim_val shmem_reclaimed_mib))|$((t1 - t0))"$'\n'
}

# integrity_row NAME LABEL [RUN_ARGS...]: one boot of the integrity matrix
# (tests/vm/progs/panthor-integrity.c, run by tests/vm/guest/integrity.sh)
# under panthor-reclaim: every row of the matrix checks that its BOs left
# memory (debugfs gems, per BO) and reads them back word by word, by every
# reader its shape has; then no BO may be left once the clients exited, the
# module must unload and the guest kernel log must stay clean. RUN_ARGS as
# for reclaim_row; the rows' own lines are shown.
integrity_row() {
	local name=$1 label=$2 serial=$logs/reclaim-$1-serial.log out=$logs/reclaim-$1.log
	local line r rc t0 t1 m mname mlabel
	shift 2
	t0=$(date +%s)
	bash tests/vm/run.sh --ko none "$@" --mem 512M --timeout 360 --log "$serial" \
		--cmd "run-tests.sh integrity memcg" >"$out" 2>&1
	rc=$?
	t1=$(date +%s)
	m=$(sed -n 's/^PRC-RESULT memcg //p' "$serial")
	# run.sh's status carries memcg's verdict too, which has a result of its own.
	[ $rc = 1 ] && [ "$m" = FAIL ] && ! grep -q '^vm: ' "$out" && rc=0
	# Each row's time only where a row failed (below).
	sed -n '/^=== integrity$/,/^PRC-RESULT/p' "$serial" | grep -E '^  ' |
		grep -Ev '^  [a-z0-9-]+ took [0-9.]+ s$' | sed 's/^/    /'
	line=$(grep -m1 '^PRC-INTEGRITY ' "$serial")
	r=$(sed -n 's/^PRC-RESULT integrity //p' "$serial")
	if [ -z "$line" ]; then
		result FAIL "reclaim-$name" "$label: no report from the integrity matrix (run exit $rc, $((t1 - t0)) s)" "$out"
	elif [ "$r" = PASS ] && [ $rc = 0 ]; then
		result PASS "reclaim-$name" "$label: $(reclaim_val passed)/$(reclaim_val rows) rows, every BO evicted and read back intact, no BO left, module unloaded, kernel log clean, boot $((t1 - t0)) s"
	else
		result FAIL "reclaim-$name" "$label: $(reclaim_val failed) of $(reclaim_val rows) rows failed ($(reclaim_val failed_rows)), unload $(reclaim_val unload), kernel log $(reclaim_val klog) (guest result ${r:-none}, run exit $rc)"
		# What each failed row printed, right under the verdict (a log's
		# tail may be all that a reader of the result sees).
		sed -n '/^=== integrity$/,/^PRC-RESULT/p' "$serial" | awk '
			/^  Subtest / { if ($0 ~ /: FAIL$/) { printf "%s", rows; print }; rows = ""; next }
			/^  / { rows = rows $0 "\n" }' | tail -n 30 | sed 's/^/    | /'
	fi
	# The same boot's memcg subtests (tests/vm/guest/memcg.sh).
	sed -n '/^=== memcg$/,/^PRC-RESULT/p' "$serial" | grep -E '^  |^Subtest ' | sed 's/^/    /'
	mname=reclaim-memcg-${name#integrity-} mlabel=${label/integrity matrix/cgroup reclaim}
	case $m in
	PASS) result PASS "$mname" "$mlabel: memory.reclaim of one cgroup evicted its BOs only, its memory.max was met by evicting, every byte read back" ;;
	"") result FAIL "$mname" "$mlabel: no result (run exit $rc)" "$out" ;;
	*) result FAIL "$mname" "$mlabel: $(grep -c '^Subtest .*: FAIL' "$serial") subtests failed" "$out" ;;
	esac
}

group_reclaim() {
	# matrix_kernel sets all four.
	# shellcheck disable=SC2034
	local kimg kver kdir note
	if ! bash tests/model/build.sh >"$logs/reclaim-model.log" 2>&1; then
		result FAIL reclaim "QEMU with the GPU model did not build" "$logs/reclaim-model.log"
		return
	fi
	reclaim_rows=
	reclaim_row stock-6.12 "stock panthor, $(envval PR_KVER)" panthor
	if make -s module >"$logs/reclaim-module.log" 2>&1; then
		reclaim_row ours-6.12 "panthor-reclaim, $(envval PR_KVER)" panthor_reclaim \
			--ko "$top/build/$(envval PR_KVER)/panthor_reclaim.ko"
		integrity_row integrity-6.12 "integrity matrix, panthor-reclaim, $(envval PR_KVER)" \
			--ko "$top/build/$(envval PR_KVER)/panthor_reclaim.ko"
	else
		result FAIL reclaim-ours-6.12 "module build failed" "$logs/reclaim-module.log"
	fi
	matrix_kernel bpo
	if [ -n "$kimg" ]; then
		reclaim_row stock-7.3 "stock panthor, $kver" panthor --kernel "$kimg"
		if make -s module KDIR="$kdir" BUILDDIR="$top/build/reclaim-bpo" \
			>"$logs/reclaim-module-bpo.log" 2>&1; then
			reclaim_row ours-7.3 "panthor-reclaim, $kver" panthor_reclaim --kernel "$kimg" \
				--ko "$top/build/reclaim-bpo/panthor_reclaim.ko"
			integrity_row integrity-7.3 "integrity matrix, panthor-reclaim, $kver" \
				--kernel "$kimg" --ko "$top/build/reclaim-bpo/panthor_reclaim.ko"
		else
			result FAIL reclaim-ours-7.3 "module build for $kver failed" "$logs/reclaim-module-bpo.log"
		fi
	else
		result SKIP reclaim-stock-7.3 "no trixie-backports kernel in the matrix: ${note:-run make setup}"
	fi
	echo "    pressure workload ($reclaim_args), 512 MiB guest, 4 x 256 MiB of BOs, zram 1536 MiB lz4:"
	{
		echo "driver|outcome|verified MiB|lost bytes|swap peak MiB|OOM kills|GPU MiB resident*|boot s"
		printf '%s' "$reclaim_rows"
	} | column -t -s '|' | sed 's/^/    /'
	echo "    * when filled -> after the driver's shrink and the cgroup's memory.reclaim: debugfs gems"
	echo "      resident (n/a: the driver has no gems file), and the workload cgroup's shmem"
}
