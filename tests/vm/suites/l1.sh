#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job: the sysfs and VFIO suites, short runs of the VFIO fuzzer and of
# lifecycle churn, on
# the stock Debian kernel (or the debug test kernel with DEBUG=1).
# iommufd.sh runs it again through iommufd (MVGPU_VFIO_BACKEND), its
# suites named with MVGPU_SUITE_SUFFIX.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
bin=$MVGPU_OUT/tests
rc=0

guest_load_vfio || exit 1
guest_insmod mvtty || exit 1
guest_suite mvtty_sysfs${MVGPU_SUITE_SUFFIX:-} bash tests/sysfs/mvtty_sysfs.sh || rc=1

t=/sys/class/mdev_bus/mvtty/mdev_supported_types
u2=$(cat /proc/sys/kernel/random/uuid)
u1=$(cat /proc/sys/kernel/random/uuid)
echo "$u2" >$t/mvtty-2/create && echo "$u1" >$t/mvtty-1/create || rc=1
guest_suite mvtty_vfio${MVGPU_SUITE_SUFFIX:-} "$bin/mvtty_vfio" "$u2" "$u1" || rc=1
echo 1 >/sys/bus/mdev/devices/$u2/remove || rc=1

# Unloading the module with a live instance removes the instance.
echo "$u2" >$t/mvtty-2/create || rc=1
rmmod mvtty || rc=1
[ ! -e "/sys/bus/mdev/devices/$u2" ] || rc=1

# mvgpu on simgpu
# a semaphore waiter in mvgpu_submit must outlive a few steps of the test
guest_insmod simgpu watchdog_ms=3000 || exit 1
guest_insmod mvgpu || exit 1
guest_suite mvgpu_sysfs${MVGPU_SUITE_SUFFIX:-} bash tests/sysfs/mvgpu_sysfs.sh || rc=1
t=/sys/class/mdev_bus/simgpu0/mdev_supported_types
u1=$(cat /proc/sys/kernel/random/uuid)
u2=$(cat /proc/sys/kernel/random/uuid)
echo "$u1" >$t/mvgpu-V1_4/create && echo "$u2" >$t/mvgpu-V1_8/create || rc=1
guest_suite mvgpu_vfio${MVGPU_SUITE_SUFFIX:-} "$bin/mvgpu_vfio" "$u1" "$u2" || rc=1
# the display engine: registers, EDID, vblanks, flips, close; VFIO's
# display interface (on two instances of their own)
d1=$(cat /proc/sys/kernel/random/uuid)
d2=$(cat /proc/sys/kernel/random/uuid)
echo "$d1" >$t/mvgpu-V1_4/create && echo "$d2" >$t/mvgpu-V1_8/create || rc=1
guest_suite mvgpu_display${MVGPU_SUITE_SUFFIX:-} "$bin/mvgpu_display" "$d1" "$d2" || rc=1
# the planes as dma-bufs, imported by vgem (a module on Debian's kernel);
# the test removes its vGPU itself, with a dma-buf of it held
modprobe vgem 2>/dev/null
d3=$(cat /proc/sys/kernel/random/uuid)
echo "$d3" >$t/mvgpu-V1_4/create || rc=1
guest_suite mvgpu_dmabuf${MVGPU_SUITE_SUFFIX:-} "$bin/mvgpu_dmabuf" "$d3" "$d2" || rc=1
[ ! -e "/sys/bus/mdev/devices/$d3" ] || { echo 1 >"/sys/bus/mdev/devices/$d3/remove"; rc=1; }
echo 1 >"/sys/bus/mdev/devices/$d1/remove" && echo 1 >"/sys/bus/mdev/devices/$d2/remove" ||
	rc=1
# GPU work from three vGPUs of weights 8, 4 and 2
u2=$(cat /proc/sys/kernel/random/uuid)
u3=$(cat /proc/sys/kernel/random/uuid)
echo "$u2" >$t/mvgpu-V1_2/create && echo "$u3" >$t/mvgpu-V1_8/create || rc=1
guest_suite mvgpu_submit${MVGPU_SUITE_SUFFIX:-} "$bin/mvgpu_submit" "$u2" "$u1" "$u3" || rc=1
# scheduling end to end: weights, preemption, a cap, an endless workload
guest_suite mvgpu_shares${MVGPU_SUITE_SUFFIX:-} "$bin/mvgpu_shares" "$u1" "$u3" || rc=1
# unloading with live instances removes them
rmmod mvgpu || rc=1
[ ! -e "/sys/bus/mdev/devices/$u1" ] || rc=1
# mvgpu's module parameters (it loads and unloads mvgpu itself)
guest_suite mvgpu_params${MVGPU_SUITE_SUFFIX:-} bash tests/sysfs/mvgpu_params.sh || rc=1
rmmod simgpu || rc=1

# the VFIO fuzzer and lifecycle churn, short and with fixed seeds (make
# fuzz runs them at length)
MVGPU_FUZZ_SEED=1 MVGPU_FUZZ_OPS=70000 bash tests/vm/suites/fuzz.sh || rc=1
MVGPU_CHURN_SEED=1 MVGPU_CHURN_CYCLES=40 bash tests/vm/suites/churn.sh || rc=1
exit $rc
