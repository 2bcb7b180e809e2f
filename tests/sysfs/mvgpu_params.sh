#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# mvgpu's module parameters as users set them at load: plane_type, the
# display's plane type new vGPUs offer (Documentation/vgpu.rst,
# "Per-instance attributes"). Runs with simgpu loaded and mvgpu not;
# leaves mvgpu unloaded. MVGPU_KMOD is the directory of the modules.
# Prints TAP.
set -u
. "$(dirname "$0")/../lib/tap.sh"

types=/sys/class/mdev_bus/simgpu0/mdev_supported_types
u=$(cat /proc/sys/kernel/random/uuid)
msg=$(mktemp)
trap 'rm -f "$msg"' EXIT

tap_fails "plane_type=bogus: the module does not load" \
	insmod "$MVGPU_KMOD/mvgpu.ko" plane_type=bogus
tap_like "... and the kernel log says why" "$(dmesg | tail -n 5)" \
	'plane_type=bogus: want region or dmabuf'
tap_run "plane_type=dmabuf: the module loads" insmod "$MVGPU_KMOD/mvgpu.ko" plane_type=dmabuf
tap_is "... its parameter reads back" "$(cat /sys/module/mvgpu/parameters/plane_type)" dmabuf
echo "$u" >"$types/mvgpu-V1_2/create"
tap_is "... and a new vGPU starts with plane_type dmabuf" \
	"$(cat "/sys/bus/mdev/devices/$u/mvgpu/plane_type" 2>"$msg")" dmabuf
tap_run "... which its attribute can change" \
	sh -c "echo region >/sys/bus/mdev/devices/$u/mvgpu/plane_type"
tap_is "... to region" "$(cat "/sys/bus/mdev/devices/$u/mvgpu/plane_type" 2>"$msg")" region
echo 1 >"/sys/bus/mdev/devices/$u/remove"
tap_run "unloading it" rmmod mvgpu
tap_run "without the parameter it loads" insmod "$MVGPU_KMOD/mvgpu.ko"
echo "$u" >"$types/mvgpu-V1_2/create"
tap_is "... and a new vGPU starts with plane_type region" \
	"$(cat "/sys/bus/mdev/devices/$u/mvgpu/plane_type" 2>"$msg")" region
echo 1 >"/sys/bus/mdev/devices/$u/remove"
rmmod mvgpu
tap_done
