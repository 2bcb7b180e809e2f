#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on the Debian kernel: the scheduler's shares and the cost of GPU
# work submitted through vGPUs, each figure next to a baseline measured in
# the same run (sched_bench, built from tests/bench/sched_bench.c into
# $MVGPU_OUT/tests). simgpu runs with gpus=4, its default shape (so the
# vGPU types are the default ones) and a 10 s watchdog: the engines charge
# real time, and under emulation a guest CPU can stall for seconds, which
# the default 500 ms would report as a hang. Writes $MVGPU_RESULTS/sched.txt.
# Usage: sched.sh [SECONDS]	measurement time of each saturation run
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
bench=$MVGPU_OUT/tests/sched_bench
out=$MVGPU_RESULTS/sched.txt
secs=${1:-8}
rc=0
uuids=()

[ -x "$bench" ] || { echo "sched.sh: $bench is not built"; exit 1; }
guest_load_vfio || exit 1
guest_insmod simgpu gpus=4 watchdog_ms=10000 || exit 1
guest_insmod mvgpu || exit 1

create() {	# GPU TYPE: a new instance, its UUID into $new and uuids
	new=$(cat /proc/sys/kernel/random/uuid)
	echo "$new" >"/sys/class/mdev_bus/simgpu$1/mdev_supported_types/mvgpu-$2/create" || {
		echo "sched.sh: cannot create a $2 on simgpu$1"
		return 1
	}
	uuids+=("$new")
}
remove_all() {
	local u
	for u in "${uuids[@]}"; do
		echo 1 >"/sys/bus/mdev/devices/$u/remove" || rc=1
	done
	uuids=()
}
part() {	# run one sched_bench command, its figures into sched.txt
	echo | tee -a "$out"
	timeout -k 5 300 "$bench" "$@" | tee -a "$out"
	[ "${PIPESTATUS[0]}" = 0 ] || { echo "sched.sh: sched_bench $1 failed"; rc=1; }
}

p=/sys/module/mvgpu/parameters
echo "mvgpu scheduler and submission, kernel $(uname -r), $(nproc) CPUs;" \
	"sched_slice_us=$(cat $p/sched_slice_us) sched_period_ms=$(cat $p/sched_period_ms);" \
	"simgpu gpus=4 watchdog_ms=10000" | tee "$out"

# weights 2, 4 and 8 on one GPU
if create 0 V1_8 && create 0 V1_4 && create 0 V1_2; then
	part shares "$((secs + 2))" "${uuids[@]}"
else
	rc=1
fi
remove_all

# 8 V1_8 on each of the 4 GPUs
for g in 0 1 2 3; do
	for _ in 1 2 3 4 5 6 7 8; do
		create $g V1_8 || { rc=1; break 2; }
	done
done
if [ ${#uuids[@]} = 32 ]; then
	part tiny 20 50 "${uuids[0]}"
	part blit 9 "${uuids[0]}"
	part scale "$secs" "${uuids[@]}"
	part cap "$secs" 25 "${uuids[0]}"
fi
remove_all

rmmod mvgpu || rc=1
rmmod simgpu || rc=1
exit $rc
