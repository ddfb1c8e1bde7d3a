#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest-side runner: run-tests.sh NAME... runs /tests/NAME.sh each with a
# time limit and prints "PRC-RESULT NAME PASS|FAIL|SKIP" for the host.
rc=0
for t in "$@"; do
	echo "=== $t"
	timeout 300 sh "/tests/$t.sh"
	case $? in
	0) r=PASS ;;
	77) r=SKIP ;;
	*) r=FAIL; rc=1 ;;
	esac
	echo "PRC-RESULT $t $r"
done
exit $rc
