# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# shellcheck disable=SC2154 # top, cache, logs: tests/run.sh's
#
# Group "clients" (make check-clients), sourced by tests/run.sh: Debian's own
# arm64 Mesa, unchanged, on the GPU model, under stock panthor and under
# panthor-reclaim, with the results side by side.
#
# Mesa: trixie's and trixie-backports' (tests/clients/setup-clients.sh puts
# both trees and our vk-check on one read-only disk image). Kernels: trixie's
# 6.12 first, then the matrix kernels of env-kernels.mk. Drivers: that
# kernel's own panthor.ko, and ours built against its headers where it can
# be. One boot per (kernel, driver) runs, for each Mesa, in a chroot of its
# tree (tests/clients/guest-clients.sh):
#   vulkaninfo --summary         names the Mali-G610 and panvk
#   vulkaninfo                   the whole report of the device
#   vk-check                     tests/clients/vk-check.c: device with every
#                                queue family, memory of every type up to
#                                256 MiB with CPU-side checks, submit, fence,
#                                pipeline barrier, timeline semaphore
#   eglinfo -B -p surfaceless    names Panfrost
#   peglgears                    draws for 5 s: at least 100 frames, no error
# A cell (Mesa x kernel x driver) passes when every client did; a pair of
# cells (stock, ours) passes when what they print matches line for line:
# vulkaninfo's device summary and its whole report of the device (with its
# heaps, memory types and queue families), every line of vk-check,
# eglinfo's output, peglgears' verdict. A difference is allowed
# only as an extension: a feature ours reports and that kernel's stock
# lacks in its uAPI (clients_extension below), and it is listed.
#
# Then, on each kernel ours runs on, the clients under reclaim pressure
# (clients_pressure below, tests/clients/guest-clients-pressure.sh): one
# more boot per driver, in a 768 MiB guest with zram swap, where a
# background workload's 768 MiB of GPU-mapped BOs idle while vk-check and
# peglgears run for each Mesa. Ours must pass every client, the workload
# must read back every byte it wrote, and the driver's reclaim counters
# must show evicted pages; stock's results are shown beside ours when
# PRC_CLIENTS_PRESSURE_STOCK=1 asks for its boot (last seen: stock 6.12
# lost a worker to the OOM killer and in another run failed vkCreateDevice
# there; stock 7.3 passed, slower).

clients_min_frames=100
# instance physical-device queue-families device memory submit-empty-fence
# barrier-timeline-semaphore teardown
clients_vk_subtests=8

# What ours may print and a kernel's stock may not: a uAPI feature stock
# lacks, which Mesa uses when the driver reports it. One per line:
#   MINOR;ERE;feature: a line only one driver prints that matches ERE is
#   an extension when stock's uAPI minor is below MINOR (a value that
#   differs is a line of each).
clients_extensions='1;[[:space:]](timestampPeriod|shaderDeviceClock)[[:space:]]+= ;the GPU timestamp frequency, and the device clock in shaders (DEV_QUERY_TIMESTAMP_INFO, uAPI 1.1)
2;QUEUE_GLOBAL_PRIORITY_(HIGH|REALTIME)$;queue priorities HIGH and REALTIME (DEV_QUERY_GROUP_PRIORITIES_INFO, uAPI 1.2)
7;HOST_CACHED;a HOST_CACHED memory type (cached CPU mappings: BO_CREATE WB_MMAP and BO_SYNC, uAPI 1.7)'

# clients_extension LINE STOCK_MINOR: the feature LINE shows, if it is one
# of the extensions above that stock's uAPI 1.STOCK_MINOR lacks.
clients_extension() {
	local minor ere what
	while IFS=';' read -r minor ere what; do
		if [ "${2:-0}" -lt "$minor" ] && grep -Eq "$ere" <<<"$1"; then
			echo "$what"
			return 0
		fi
	done <<<"$clients_extensions"
	return 1
}

# clients_section SERIAL MESA STEP: a client's output in the guest log,
# without the kernel's console lines that interleave with it.
clients_section() {
	sed -n "/^PRC-CLIENT-BEGIN $2 $3\$/,/^PRC-CLIENT-END $2 $3 /p" "$1" | sed '1d;$d' |
		grep -Ev '^\[ *[0-9]+\.[0-9]{6}\]' || true
}

clients_rc() {	# clients_rc SERIAL MESA STEP: its exit status, "none" if it never ran
	local rc
	rc=$(sed -n "s/^PRC-CLIENT-END $2 $3 \([0-9]*\)$/\1/p" "$1")
	echo "${rc:-none}"
}

# clients_cell SERIAL MESA OUT: judge one cell; write the lines to compare
# to OUT, one "step: line" each; print the verdict of each client as
# "ok|FAIL step: summary" lines.
clients_cell() {
	local serial=$1 m=$2 out=$3 rc s name drv api n
	: >"$out"

	s=$(clients_section "$serial" "$m" vulkaninfo-summary)
	rc=$(clients_rc "$serial" "$m" vulkaninfo-summary)
	# The device section: everything after "Devices:" (the instance part
	# lists the loader and layers, not the driver).
	echo "$s" | sed -n '/^Devices:/,$p' | sed 's/^/vulkaninfo: /' >>"$out"
	name=$(echo "$s" | sed -n 's/^[[:space:]]*deviceName *= *//p' | head -n1)
	drv=$(echo "$s" | sed -n 's/^[[:space:]]*driverName *= *//p' | head -n1)
	api=$(echo "$s" | sed -n 's/^[[:space:]]*apiVersion *= *//p' | head -n1)
	if [ "$rc" = 0 ] && [[ $name == *Mali-G610* ]] && [ "$drv" = panvk ]; then
		echo "ok vulkaninfo: $name, $drv, Vulkan $api"
	else
		echo "FAIL vulkaninfo: exit $rc, device '${name:-none}', driver '${drv:-none}':"
		echo "$s" | grep -iE 'error|fail' | head -n 5 | sed 's/^/    /'
	fi

	# The full report of the device: properties, limits, extensions, queue
	# families, memory heaps and types, features, formats. Each heap and each
	# memory type becomes one line without its index, and list lengths go
	# (their items follow), so that a type or a priority one driver adds is
	# one line of its own in the comparison.
	s=$(clients_section "$serial" "$m" vulkaninfo)
	rc=$(clients_rc "$serial" "$m" vulkaninfo)
	echo "$s" | awk '
		function flush() { if (block != "") print block; block = "" }
		/^Device Properties and Extensions:$/ { keep = 1 }
		/^[A-Za-z].*:$/ { flush() }
		!keep || /^[[:space:]]*[-=]+$/ || /^[[:space:]]*$/ { next }
		/^\tmemory(Heaps|Types)\[[0-9]+\]:$/ {
			flush(); block = ($0 ~ /Heaps/) ? "memory heap:" : "memory type:"; next
		}
		# A heap'"'"'s budget and usage are the free memory of the moment.
		block != "" && /^\t\t(budget|usage) / { next }
		block != "" && /^\t\t/ {
			l = $0; gsub(/^[[:space:]]+/, "", l); sub(/: count = [0-9]+$/, "", l)
			block = block " " l; next
		}
		{ flush() }
		/: count = [0-9]+$/ || /priorityCount/ { next }
		{ print }
		END { flush() }' | sed 's/^/vulkaninfo: /' >>"$out"
	n=$(grep -c '^vulkaninfo: memory type:' "$out" || true)
	if [ "$rc" = 0 ] && [ "$n" -gt 0 ]; then
		echo "ok vulkaninfo-device: $(grep -c '^vulkaninfo: ' "$out") lines; heaps $(grep -c '^vulkaninfo: memory heap:' "$out" || true), types $n, queue families $(grep -c 'queueProperties\[' "$out" || true)"
	else
		echo "FAIL vulkaninfo-device: exit $rc, no memory types listed"
	fi

	clients_vk_check "$serial" "$m" "$out"

	s=$(clients_section "$serial" "$m" eglinfo)
	rc=$(clients_rc "$serial" "$m" eglinfo)
	# shellcheck disable=SC2001 # a prefix on every line
	echo "$s" | sed 's/^/eglinfo: /' >>"$out"
	name=$(echo "$s" | sed -n 's/^OpenGL ES profile renderer: //p')
	api=$(echo "$s" | sed -n 's/^OpenGL ES profile version: OpenGL ES \([0-9.]*\).*/GLES \1/p')
	if [ "$rc" = 0 ] && [[ $name == *Panfrost* ]]; then
		echo "ok eglinfo: $name, $api"
	else
		echo "FAIL eglinfo: exit $rc, GLES renderer '${name:-none}':"
		echo "$s" | grep -iE 'error|fail' | head -n 5 | sed 's/^/    /'
	fi

	clients_peglgears "$serial" "$m" "$out"
}

# clients_vk_check SERIAL MESA OUT, clients_peglgears SERIAL MESA OUT: the
# verdict of one client, as clients_cell: lines to compare appended to OUT,
# "ok|FAIL step: summary" printed (also for the pressure boots below).
clients_vk_check() {
	local serial=$1 m=$2 out=$3 s rc n bad
	s=$(clients_section "$serial" "$m" vk-check)
	rc=$(clients_rc "$serial" "$m" vk-check)
	# Memory types without their index (see vulkaninfo above).
	echo "$s" | sed -E 's/^  type [0-9]+ \(/  type (/; s/^/vk-check: /' >>"$out"
	n=$(echo "$s" | grep -c '^Subtest .*: SUCCESS$' || true)
	bad=$(echo "$s" | grep '^Subtest .*: FAIL$' | sed 's/^Subtest \(.*\): FAIL$/\1/' | tr '\n' ' ')
	# All of its subtests, up to the last: a crash half-way is a failure.
	if [ "$rc" = 0 ] && [ "$(echo "$s" | grep -c '^Subtest ')" = $clients_vk_subtests ] &&
	   [ -z "$bad" ] && echo "$s" | grep -q '^Subtest teardown: SUCCESS$'; then
		echo "ok vk-check: $n subtests SUCCESS$(echo "$s" | grep -q ': SKIP$' && echo ", $(echo "$s" | grep -c ': SKIP$') SKIP")"
	else
		echo "FAIL vk-check: exit $rc, $n SUCCESS, failed: ${bad:-none}"
		echo "$s" | grep -E 'failed|FAIL|differ|ERROR|error' | head -n 5 | sed 's/^/    /'
	fi
}

clients_peglgears() {
	local serial=$1 m=$2 out=$3 s rc frames err
	# Frames drawn depend on the host's speed: compared is the verdict.
	s=$(clients_section "$serial" "$m" peglgears)
	rc=$(clients_rc "$serial" "$m" peglgears)
	frames=$(echo "$s" | sed -n 's/^\([0-9][0-9]*\) frames in .*/\1/p' | tail -n1)
	err=$(echo "$s" | grep -iE 'error|fail|abort|assert' | head -n 3)
	if [ "$rc" = 0 ] && [ "${frames:-0}" -ge $clients_min_frames ] && [ -z "$err" ]; then
		echo "peglgears: at least $clients_min_frames frames, no error" >>"$out"
		echo "ok peglgears: $(echo "$s" | grep ' frames in ' | tail -n1)"
	else
		echo "peglgears: FAILED" >>"$out"
		echo "FAIL peglgears: exit $rc, ${frames:-no} frames (at least $clients_min_frames wanted):"
		echo "$s" | grep -v '^peglgears: EGL' | head -n 4 | sed 's/^/    /'
	fi
}

# clients_keep NAME DRIVER: keep the serial log of a boot with a failed
# client out of the next run's way (an intermittent failure must stay
# readable); print its path.
clients_keep() {
	local serial=$logs/clients-$1-$2-serial.log
	cp "$serial" "${serial%.log}.failed.log"
	echo "${serial%.log}.failed.log"
}

# clients_boot NAME KIMG KVER KO DRIVER: one boot of kernel KVER with DRIVER
# loaded that runs every Mesa's clients; SERIAL is its log. Returns run.sh's
# status.
clients_boot() {
	local serial=$logs/clients-$1-$5-serial.log out=$logs/clients-$1-$5.log kargs=()
	[ -z "$2" ] || kargs=(--kernel "$2")
	bash tests/vm/run.sh "${kargs[@]}" --ko "$4" --mem 2G --disk "$clients_disk" \
		--timeout 900 --log "$serial" \
		--cmd "$(echo "set -- $5 $clients_mesa"; cat tests/clients/guest-clients-lib.sh tests/clients/guest-clients.sh)" \
		>"$out" 2>&1
}

# The pressure boots: per kernel ours runs on, one boot per driver in a
# guest whose RAM the GPU memory in use exceeds, the clients with data
# checks running while a background workload's idle GPU-mapped BOs must
# leave RAM (tests/clients/guest-clients-pressure.sh). The guest's RAM, the
# workload (panthor-pressure: processes x MiB of BOs, one process at a time
# fills), how long its BOs idle (the clients' window: they take ~45 s), and
# the zram swap (MiB).
clients_pressure_mem=768M
clients_pressure_args="-n 3 -m 256 -E"
clients_pressure_idle=60
clients_pressure_zram=1536

# clients_pressure_boot NAME KIMG KO DRIVER: one pressure boot; returns
# run.sh's status.
clients_pressure_boot() {
	local serial=$logs/clients-$1-pressure-$4-serial.log out=$logs/clients-$1-pressure-$4.log kargs=()
	[ -z "$2" ] || kargs=(--kernel "$2")
	bash tests/vm/run.sh "${kargs[@]}" --ko "$3" --mem $clients_pressure_mem --disk "$clients_disk" \
		--timeout 360 --log "$serial" \
		--cmd "$(echo "PRC_CP_ARGS='$clients_pressure_args' PRC_CP_IDLE=$clients_pressure_idle PRC_CP_ZRAM=$clients_pressure_zram"
			echo "set -- $4 $clients_mesa"
			cat tests/clients/guest-clients-lib.sh tests/clients/guest-clients-pressure.sh)" \
		>"$out" 2>&1
}

# clients_pressure NAME KIMG KVER KO: the pressure boots of one kernel, stock
# panthor then ours, side by side. Every line of a driver's verdict file is
# "ok|FAIL what: ..." or a plain report line, the same lines for both. Ours
# passes when every client passed (the verdicts of the normal boots), the
# workload completed and read back every byte it wrote, the driver evicted
# pages (debugfs reclaim counters: the pressure was real) and the boot was
# clean; what stock does is shown, not asserted.
clients_pressure() {
	local ser=$1 kver=$3 drv rc t0 secs serial out verdict line m why
	local outcome lost evicted ev_c procs done_ ver_ v stock_out ours_out drivers=panthor_reclaim
	# Stock under pressure is context, not a verdict: a boot only on request
	# (about 90 s each), to keep make check within its time.
	[ -n "${PRC_CLIENTS_PRESSURE_STOCK:-}" ] && drivers="panthor panthor_reclaim"
	echo "not run: set PRC_CLIENTS_PRESSURE_STOCK=1 (make bench-style context, never asserted)" \
		>"$logs/clients-$ser-pressure-panthor.verdict"
	for drv in $drivers; do
		serial=$logs/clients-$ser-pressure-$drv-serial.log out=$logs/clients-$ser-pressure-$drv.log
		verdict=$logs/clients-$ser-pressure-$drv.verdict
		t0=$(date +%s)
		clients_pressure_boot "$ser" "$2" "$4" "$drv"
		rc=$?
		secs=$(($(date +%s) - t0))
		line=$(grep -m1 '^PRC-CLIENTS-PRESSURE ' "$serial")
		pv() { v=$(sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"); echo "${v:--}"; }
		outcome=$(pv outcome) lost=$(pv lost) evicted=$(pv evicted) ev_c=$(pv evicted_clients)
		procs=$(pv procs) done_=$(pv completed) ver_=$(pv verified_mib)
		{
			for m in $clients_mesa; do
				{
					clients_vk_check "$serial" "$m" /dev/null
					clients_peglgears "$serial" "$m" /dev/null
				} | sed -E "s/^(ok|FAIL) /\1 $m /"
			done
			if [ -n "$line" ] && [ "$lost" = 0 ] && [ "$done_" = "$procs" ]; then
				echo "ok workload: $outcome, $ver_ MiB read back, 0 bytes lost"
			else
				echo "FAIL workload: $([ -n "$line" ] && echo "$outcome, $ver_ MiB read back, $lost bytes lost" || echo "no report")"
			fi
			if [[ $evicted =~ ^[0-9]+$ ]] && [ "$evicted" -gt 0 ]; then
				echo "ok evicted: $evicted pages, $ev_c of them while the clients ran"
			elif [ "$drv" = panthor_reclaim ]; then
				echo "FAIL evicted: $evicted pages (debugfs reclaim; n/a: no such file)"
			else
				echo "evicted: $evicted (no reclaim counters; swap below)"
			fi
			echo "restored: $(pv restored) pages, $(pv restored_clients) while the clients ran"
			echo "heap chunks: $(pv heap_discarded) pages discarded, $(pv heap_restored) restored"
			echo "swap: peak $(pv swap_peak_mib) MiB, $(pv swap_clients_mib) MiB as the clients ended; OOM kills $(pv oom_kills)"
			echo "clients: $(pv clients_s) s, $(pv window) the workload's idle window"
			if [ $rc = 0 ] && ! grep -q '^vm: ' "$out" && ! grep -q '^PRC-CLIENTS-LOAD FAIL' "$serial"; then
				echo "ok boot: $secs s, kernel log clean"
			else
				echo "FAIL boot: $secs s, exit $rc: $(grep -m1 -A1 '^vm: ' "$out" | tr '\n' ' ' | cut -c1-100)"
			fi
		} >"$verdict"
	done
	stock_out=$logs/clients-$ser-pressure-panthor.verdict
	ours_out=$logs/clients-$ser-pressure-panthor_reclaim.verdict
	echo "    under reclaim pressure: $clients_pressure_mem guest, panthor-pressure $clients_pressure_args (idle $clients_pressure_idle s) in the background, zram $clients_pressure_zram MiB:"
	clients_side_by_side "$stock_out" "$ours_out" "stock panthor, $kver (reported, not asserted)" \
		"panthor-reclaim" "$4"
	if grep -q '^FAIL' "$ours_out"; then
		why=$(grep '^FAIL' "$ours_out" | sed 's/^FAIL //' | cut -c1-80 | paste -sd'|' | sed 's/|/; /g')
		result FAIL "clients-$ser-pressure-ours" "Mesa $clients_mesa on panthor-reclaim of $kver under reclaim pressure: $why (serial log: $(clients_keep "$ser-pressure" panthor_reclaim))"
	else
		result PASS "clients-$ser-pressure-ours" "Mesa $clients_mesa on panthor-reclaim of $kver under reclaim pressure: $(grep -c '^ok mesa' "$ours_out") clients passed (vk-check, peglgears), workload $(sed -n 's/^ok workload: //p' "$ours_out"), evicted $(sed -n 's/^ok evicted: //p' "$ours_out"), restored $(sed -n 's/^restored: //p' "$ours_out"), $(sed -n 's/^swap: //p' "$ours_out" | cut -d';' -f1 | sed 's/^/swap /')"
	fi
}

group_clients() {
	local kernels name kimg kver kdir note ser ko drv rc t0 m cell
	local stock_v ours_v stock_out ours_out ext diffs line what stock_minor
	if ! PR_CACHE=$cache bash tests/clients/setup-clients.sh >"$logs/clients-setup.log" 2>&1; then
		result FAIL clients-setup "Mesa and vk-check disk image" "$logs/clients-setup.log"
		return
	fi
	clients_disk=$(envval PR_CLIENTS_DISK)
	clients_mesa=$(envval PR_CLIENTS_MESA)
	if ! bash tests/model/build.sh >"$logs/clients-model.log" 2>&1; then
		result FAIL clients "QEMU with the GPU model did not build" "$logs/clients-model.log"
		return
	fi
	# trixie's 6.12 first (empty name: run.sh's default kernel), then the matrix.
	kernels="default $(envval PR_MATRIX)"
	for name in $kernels; do
		matrix_kernel "$name"
		if [ "$name" != default ] && [ -z "$kimg" ]; then
			result SKIP "clients-$name" "$note"
			continue
		fi
		ser=$(echo "$kver" | cut -d. -f1,2)
		ko=none
		if [ -n "$kdir" ]; then
			if make -s module KDIR="$kdir" >"$logs/clients-$ser-module.log" 2>&1; then
				ko=$top/build/$kver/panthor_reclaim.ko
			else
				result FAIL "clients-$ser-module" "panthor_reclaim.ko did not build for $kver" \
					"$logs/clients-$ser-module.log"
			fi
		fi
		for drv in panthor panthor_reclaim; do
			if [ "$drv" = panthor_reclaim ] && [ "$ko" = none ]; then
				for m in $clients_mesa; do
					result SKIP "clients-$ser-$m-ours" "panthor-reclaim not run on $kver: ${note:-no module}"
				done
				continue
			fi
			t0=$(date +%s)
			clients_boot "$ser" "$kimg" "$kver" "$ko" "$drv"
			rc=$?
			if [ $rc -le 1 ] && ! grep -q '^vm: ' "$logs/clients-$ser-$drv.log" &&
			   ! grep -q '^PRC-CLIENTS-LOAD FAIL' "$logs/clients-$ser-$drv-serial.log"; then
				result PASS "clients-$ser-$drv-boot" "$kver with $drv, $clients_mesa: one boot in $(($(date +%s) - t0)) s, kernel log clean"
			else
				result FAIL "clients-$ser-$drv-boot" "$kver with $drv: exit $rc after $(($(date +%s) - t0)) s (serial log: $logs/clients-$ser-$drv-serial.log)" \
					"$logs/clients-$ser-$drv.log"
			fi
		done
		stock_v=$(sed -n 's/^PRC-CLIENTS-DRIVER panthor //p' "$logs/clients-$ser-panthor-serial.log" 2>/dev/null)
		ours_v=$(sed -n 's/^PRC-CLIENTS-DRIVER panthor_reclaim //p' "$logs/clients-$ser-panthor_reclaim-serial.log" 2>/dev/null)
		for m in $clients_mesa; do
			# Each driver's cell, then the two side by side.
			for drv in panthor panthor_reclaim; do
				cell=$logs/clients-$ser-$m-$drv
				if [ ! -f "$logs/clients-$ser-$drv-serial.log" ] || [ "$drv:$ko" = panthor_reclaim:none ]; then
					continue
				fi
				clients_cell "$logs/clients-$ser-$drv-serial.log" "$m" "$cell.cmp" >"$cell.verdict"
			done
			stock_out=$logs/clients-$ser-$m-panthor ours_out=$logs/clients-$ser-$m-panthor_reclaim
			clients_side_by_side "$stock_out.verdict" "$ours_out.verdict" \
				"$m, $kver: stock panthor ${stock_v:-(no version)}" \
				"panthor-reclaim $([ "$ko" = none ] && echo "(not run)" || echo "${ours_v:-(no version)}")" "$ko"
			if grep -q '^FAIL' "$stock_out.verdict"; then
				result FAIL "clients-$ser-$m-stock" "Mesa $m on stock panthor of $kver: $(grep -c '^FAIL' "$stock_out.verdict") of 5 clients failed (serial log: $(clients_keep "$ser" panthor))"
			else
				result PASS "clients-$ser-$m-stock" "Mesa $m on stock panthor of $kver: vulkaninfo, vk-check, eglinfo, peglgears"
			fi
			[ "$ko" != none ] || continue
			if grep -q '^FAIL' "$ours_out.verdict"; then
				result FAIL "clients-$ser-$m-ours" "Mesa $m on panthor-reclaim on $kver: $(grep -c '^FAIL' "$ours_out.verdict") of 5 clients failed (serial log: $(clients_keep "$ser" panthor_reclaim))"
			else
				result PASS "clients-$ser-$m-ours" "Mesa $m on panthor-reclaim on $kver: vulkaninfo, vk-check, eglinfo, peglgears"
			fi
			# Line by line: what only one driver printed.
			ext='' diffs=''
			stock_minor=$(echo "$stock_v" | cut -d. -f2)
			while IFS= read -r line; do
				case $line in
				'> '*)
					if what=$(clients_extension "${line#> }" "$stock_minor"); then
						ext+="$what: ours: ${line#> }"$'\n'
					else
						diffs+="  ours only:  ${line#> }"$'\n'
					fi ;;
				'< '*)
					if what=$(clients_extension "${line#< }" "$stock_minor"); then
						ext+="$what: stock: ${line#< }"$'\n'
					else
						diffs+="  stock only: ${line#< }"$'\n'
					fi ;;
				esac
			done < <(diff "$stock_out.cmp" "$ours_out.cmp" | grep -E '^[<>] ')
			[ -z "$ext" ] || echo -n "$ext" | cut -c1-200 |
				sed "s/^/    extension, not in stock's uAPI $stock_v: /"
			if [ -n "$diffs" ]; then
				echo -n "$diffs" | head -n 30 | sed 's/^/  /'
				result FAIL "clients-$ser-$m-match" "Mesa $m on $kver: stock and ours differ in $(echo -n "$diffs" | wc -l) of $(wc -l <"$stock_out.cmp") lines"
			else
				result PASS "clients-$ser-$m-match" "Mesa $m on $kver: stock and ours print the same $(wc -l <"$stock_out.cmp") lines (vulkaninfo's device summary and report; vk-check; eglinfo; peglgears)${ext:+, $(echo -n "$ext" | wc -l) extension lines}"
			fi
		done
		clients_memcg "$ser" "$kver" "$ko"
		# Where ours runs: the clients again, under reclaim pressure.
		[ "$ko" = none ] || clients_pressure "$ser" "$kimg" "$kver" "$ko"
	done
}

# clients_memcg NAME KVER KO: the first Mesa's vk-check in a cgroup of its
# own, holding 64 MiB of Vulkan memory while memory.reclaim asks the cgroup
# for all it has (tests/clients/guest-clients.sh, memcg_client), under both
# drivers side by side. Ours must hand the memory to swap and have it back
# intact: the driver's debugfs lists at least 64 MiB fewer of the cgroup's
# GPU pages in RAM, at least 48 MiB of the cgroup is in swap, and vk-check
# read its memory back and submitted again. Stock's numbers are context
# (its BOs stay pinned, and it must still pass vk-check).
clients_memcg() {
	local ser=$1 kver=$2 ko=$3 m drv serial s rc line ok why msg=''
	m=${clients_mesa%% *}
	for drv in panthor panthor_reclaim; do
		serial=$logs/clients-$ser-$drv-serial.log
		if [ ! -f "$serial" ] || [ "$drv:$ko" = panthor_reclaim:none ]; then
			continue
		fi
		s=$(clients_section "$serial" "$m" vk-check-memcg)
		rc=$(clients_rc "$serial" "$m" vk-check-memcg)
		line=$(grep -m1 "^PRC-CLIENT-MEMCG driver=$drv " "$serial")
		ok=1 why=''
		if [ "$rc" != 0 ] || ! echo "$s" | grep -q '^Subtest memory-kept: SUCCESS$' ||
		   ! echo "$s" | grep -q '^Subtest submit-empty-fence: SUCCESS$' ||
		   ! echo "$s" | grep -q '^Subtest teardown: SUCCESS$'; then
			ok=0 why="vk-check -k 64 exit $rc: $(echo "$s" | grep -E '^Subtest|differ|failed' | tr '\n' ' ')"
		fi
		echo "    $drv: cgroup RAM $(reclaim_val ram_before_mib) -> $(reclaim_val ram_after_mib) MiB after memory.reclaim, $(reclaim_val swap_mib) MiB in swap, GPU pages in RAM $(reclaim_val gpu_pages_before) -> $(reclaim_val gpu_pages_after); $(echo "$s" | sed -n 's/^  \(type .*read back.*\)/\1/p')"
		if [ "$drv" = panthor ]; then
			if [ $ok = 1 ]; then
				result PASS "clients-$ser-memcg-stock" "Mesa $m on stock panthor of $kver in a cgroup: vk-check read its 64 MiB back intact; memory.reclaim put $(reclaim_val swap_mib) MiB of the cgroup in swap"
			else
				result FAIL "clients-$ser-memcg-stock" "Mesa $m on stock panthor of $kver in a cgroup: $why (serial log: $(clients_keep "$ser" panthor))"
			fi
			msg="stock: $(reclaim_val swap_mib) MiB in swap"
			continue
		fi
		if [ $ok = 1 ] && ! { [ "$(reclaim_val gpu_pages_before)" -ge 16384 ] &&
			[ "$(reclaim_val gpu_pages_after)" -le $(($(reclaim_val gpu_pages_before) - 16384)) ] &&
			[ "$(reclaim_val swap_mib)" -ge 48 ]; } 2>/dev/null; then
			ok=0 why="memory.reclaim did not take the 64 MiB ($line)"
		fi
		if [ $ok = 1 ]; then
			result PASS "clients-$ser-memcg-ours" "Mesa $m on panthor-reclaim of $kver in a cgroup: memory.reclaim took $(($(reclaim_val gpu_pages_before) - $(reclaim_val gpu_pages_after))) GPU pages to swap ($(reclaim_val swap_mib) MiB of the cgroup in swap; ${msg:-stock not run}), vk-check read its 64 MiB back intact and submitted again"
		else
			result FAIL "clients-$ser-memcg-ours" "Mesa $m on panthor-reclaim of $kver in a cgroup: $why (serial log: $(clients_keep "$ser" panthor_reclaim))"
		fi
	done
}

# clients_side_by_side STOCK_VERDICT OURS_VERDICT STOCK_TITLE OURS_TITLE KO:
# the clients' verdicts of both drivers, one line per client.
clients_side_by_side() {
	local l r
	printf '    %-62s | %s\n' "$3" "$4"
	paste -d '\n' <(grep -v '^    ' "$1") <(if [ "$5" = none ] || [ ! -f "$2" ]; then
		grep -v '^    ' "$1" | sed 's/.*/(not run)/'; else grep -v '^    ' "$2"; fi) |
		while IFS= read -r l && IFS= read -r r; do
			printf '    %-62.62s | %s\n' "$l" "$r"
		done
	# The details of failures, under the table.
	grep -h '^    ' "$1" "$2" 2>/dev/null | head -n 20 | sed 's/^/  /'
}
