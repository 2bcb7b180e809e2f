#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on the test kernel: load each *_kunit.ko module of the project and
# save the KTAP of every suite it registers ($MVGPU_RESULTS/SUITE.ktap).
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"

guest_load_vfio || exit 1
guest_insmod mvtty || exit 1
guest_insmod simgpu || exit 1
guest_insmod mvgpu || exit 1
kunit=/sys/kernel/debug/kunit
rc=0
for ko in "$MVGPU_KMOD"/*_kunit.ko; do
	[ -e "$ko" ] || { echo "kunit: no KUnit modules in $MVGPU_KMOD"; exit 1; }
	before=$(ls "$kunit" 2>/dev/null)
	insmod "$ko" || { echo "kunit: insmod $ko failed"; rc=1; continue; }
	suites=$(ls "$kunit" | grep -vxF "$before")
	if [ -z "$suites" ]; then
		echo "kunit: $ko registered no suite"
		rc=1
	fi
	for s in $suites; do
		cp "$kunit/$s/results" "$MVGPU_RESULTS/$s.ktap"
		cat "$MVGPU_RESULTS/$s.ktap"
	done
	rmmod "$(basename "$ko" .ko)" || rc=1
done
rmmod mvgpu || rc=1
rmmod simgpu || rc=1
rmmod mvtty || rc=1
exit $rc
