#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the L1 guest's chroot: runs the job file written by
# run-l1.sh and records its exit status beside it.
job=$1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp
echo "mvgpu-job: start on $(uname -r)"
bash "$job"
rc=$?
# on a kmemleak kernel, look for leaks now rather than at the next scan
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
echo "$rc" >"$(dirname "$job")/exit-status"
sync
echo "mvgpu-job: exit $rc"
