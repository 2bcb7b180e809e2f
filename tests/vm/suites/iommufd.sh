#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on the test kernel, which carries the project's VFIO fix
# (patches/vfio) and has iommufd and the VFIO device cdev: the unmap race
# that deadlocks stock kernels passes through VFIO type1 and through
# iommufd, and then every sysfs and VFIO suite of l1.sh runs again with
# the devices opened through iommufd (QEMU's -object iommufd).
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
race=$MVGPU_OUT/tests/vfio_unmap_race
rc=0

guest_load_vfio || exit 1
guest_insmod simgpu || exit 1
guest_insmod mvgpu || exit 1
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >/sys/class/mdev_bus/simgpu0/mdev_supported_types/mvgpu-V1_4/create || exit 1
guest_suite unmap_race_type1 "$race" "$u" || rc=1
MVGPU_VFIO_BACKEND=iommufd guest_suite unmap_race_iommufd "$race" "$u" || rc=1
echo 1 >"/sys/bus/mdev/devices/$u/remove" || rc=1
rmmod mvgpu || rc=1
rmmod simgpu || rc=1

MVGPU_VFIO_BACKEND=iommufd MVGPU_SUITE_SUFFIX=_iommufd bash tests/vm/suites/l1.sh || rc=1
exit $rc
