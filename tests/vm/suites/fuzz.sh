#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job (or a part of one): the VFIO fuzzer (tests/fuzz/vfio_fuzz.c)
# against a vGPU while a second vGPU runs known-good work throughout, then
# against an mvtty instance. Loads and unloads the modules itself.
#   MVGPU_FUZZ_OPS   operations against the vGPU (default 1000000); mvtty
#                    gets half as many
#   MVGPU_FUZZ_SEED  the seed (default: random); mvtty's is the seed + 1.
#                    Every run prints its seeds: one reproduces a failure.
# Suites: mvgpu_fuzz and mvtty_fuzz, named with MVGPU_SUITE_SUFFIX.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
fuzz=$MVGPU_OUT/tests/vfio_fuzz
ops=${MVGPU_FUZZ_OPS:-1000000}
seed=${MVGPU_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
sfx=${MVGPU_SUITE_SUFFIX:-}
# allow 2 ms per operation, 8 on the debug kernel (KASAN, lockdep,
# kmemleak): a full make fuzz there ran past 2600 s for 10^6 operations
ms_per_op=2
case $(uname -r) in *-debug) ms_per_op=8 ;; esac
export MVGPU_SUITE_TIMEOUT=$((600 + ops * ms_per_op / 1000))
rc=0
echo "fuzz: seed $seed, $ops operations (MVGPU_FUZZ_SEED=$seed MVGPU_FUZZ_OPS=$ops)"

guest_load_vfio || exit 1
# a hung workload holds an engine for a second, not the default half
guest_insmod simgpu watchdog_ms=1000 || exit 1
guest_insmod mvgpu || exit 1
t=/sys/class/mdev_bus/simgpu0/mdev_supported_types
u1=$(cat /proc/sys/kernel/random/uuid)
u2=$(cat /proc/sys/kernel/random/uuid)
echo "$u1" >$t/mvgpu-V1_4/create && echo "$u2" >$t/mvgpu-V1_8/create || exit 1
guest_suite "mvgpu_fuzz$sfx" "$fuzz" --seed "$seed" --ops "$ops" --isolation "$u2" "$u1" ||
	rc=1
echo 1 >"/sys/bus/mdev/devices/$u1/remove" && echo 1 >"/sys/bus/mdev/devices/$u2/remove" ||
	rc=1
rmmod mvgpu && rmmod simgpu || rc=1

guest_insmod mvtty || exit 1
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >/sys/class/mdev_bus/mvtty/mdev_supported_types/mvtty-2/create || exit 1
guest_suite "mvtty_fuzz$sfx" "$fuzz" --mvtty --seed $((seed + 1)) --ops $((ops / 2)) "$u" ||
	rc=1
echo 1 >"/sys/bus/mdev/devices/$u/remove" || rc=1
rmmod mvtty || rc=1
exit $rc
