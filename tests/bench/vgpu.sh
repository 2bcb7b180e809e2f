#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on the test kernel (it has the kernel's mtty sample, mtty.ko): the
# vGPU device model's figures, each next to a baseline measured in the same
# run (vgpu_bench, built from tests/bench/vgpu_bench.c into
# $MVGPU_OUT/tests). Writes $MVGPU_RESULTS/vgpu.txt.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
bench=$MVGPU_OUT/tests/vgpu_bench
out=$MVGPU_RESULTS/vgpu.txt
gpu=/sys/class/mdev_bus/simgpu0/mdev_supported_types
rc=0

[ -x "$bench" ] || { echo "vgpu.sh: $bench is not built"; exit 1; }
guest_load_vfio || exit 1
guest_modprobe mtty || { echo "vgpu.sh: no mtty.ko for $(uname -r)"; exit 1; }
guest_insmod mvtty || exit 1
guest_insmod simgpu || exit 1
guest_insmod mvgpu || exit 1

uuid() { cat /proc/sys/kernel/random/uuid; }
part() {	# run one vgpu_bench command, its figures into vgpu.txt
	timeout -k 5 600 "$bench" "$@" | tee -a "$out"
	[ "${PIPESTATUS[0]}" = 0 ] || { echo "vgpu.sh: vgpu_bench $1 failed"; rc=1; }
}

echo "mvgpu vGPU device model, kernel $(uname -r)" | tee "$out"
# first, while nothing has yet churned the allocators
part instances $gpu/mvgpu-V1_8
v=$(uuid) m=$(uuid) t=$(uuid)
if echo "$v" >$gpu/mvgpu-V1_4/create &&
	echo "$m" >/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1/create &&
	echo "$t" >/sys/class/mdev_bus/mvtty/mdev_supported_types/mvtty-1/create; then
	part mmio "$v" "$m" "$t"
	part aperture "$v" 16
	part gtt "$v" 4096
	part display "$v"
else
	echo "vgpu.sh: creating the instances failed"
	rc=1
fi
for u in $v $m $t; do
	[ ! -e "/sys/bus/mdev/devices/$u" ] || echo 1 >"/sys/bus/mdev/devices/$u/remove" || rc=1
done

part lifecycle 50 $gpu/mvgpu-V1_1 $gpu/mvgpu-V1_8 \
	/sys/class/mdev_bus/mvtty/mdev_supported_types/mvtty-1 \
	/sys/class/mdev_bus/mtty/mdev_supported_types/mtty-1

rmmod mvgpu || rc=1
rmmod simgpu || rc=1
rmmod mvtty || rc=1
rmmod mtty || rc=1
exit $rc
