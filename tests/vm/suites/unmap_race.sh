#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on a kernel without the project's VFIO fix (Debian's stock
# kernel): two threads unmapping pinned guest memory at once
# (tests/vfio/vfio_unmap_race.c). Such kernels deadlock in
# vfio_iommu_type1; the result is reported as that known upstream bug.
# A deadlocked guest cannot release its vGPU, so this job boots alone.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
bug="known upstream bug, vfio_iommu_type1 lock inversion since 8cfc5b60751b (6.0),"
bug+=" fixed by patches/vfio/0001-vfio-type1-Take-device_list_lock-before-iommu-lock.patch"

guest_load_vfio || exit 1
guest_insmod simgpu || exit 1
guest_insmod mvgpu || exit 1
# blocked threads are the expected outcome here, not a hung-task report
echo 0 >/proc/sys/kernel/hung_task_timeout_secs
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >/sys/class/mdev_bus/simgpu0/mdev_supported_types/mvgpu-V1_4/create || exit 1
guest_suite unmap_race_stock "$MVGPU_OUT/tests/vfio_unmap_race" --known-bug "$bug" "$u" ||
	exit 1
# the blocked threads hold the vGPU for good: nothing to clean up then
grep -q 'reproduced' "$MVGPU_RESULTS/unmap_race_stock.tap" && exit 0
echo 1 >"/sys/bus/mdev/devices/$u/remove" && rmmod mvgpu && rmmod simgpu
