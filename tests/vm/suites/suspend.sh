#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job (its own guest, l1-suspend): system sleep with two vGPUs open and
# busy (tests/vfio/mvgpu_suspend.c). Must be the whole job, and it ends
# the guest itself:
# virtio-9p has no power management, so after the sleep the shared root
# and work tree are gone for good. The test program runs from a tmpfs
# root with a static busybox; its TAP and exit status reach the host on
# the console ("mvgpu-tap NAME:" and "mvgpu-console-exit:" lines, which
# run-l1.sh collects), and the guest powers off without syncing.
#
# QEMU cannot wake a suspend-to-idle guest with its RTC alarm (the alarm
# only wakes a VM in S3), so the sleep is "freeze" with pm_test=devices:
# user space frozen, every device suspended (mvgpu's parents included),
# 5 s, then resumed. A kernel without CONFIG_PM_SLEEP skips the suite.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
name=mvgpu_suspend${MVGPU_SUITE_SUFFIX:-}

console_end() {	# RC: report on the console and power off, never touching 9p
	echo "mvgpu-console-exit: $1"
	exec "$ram/bin/busybox" poweroff -n -f
}

ram=/run/suspend-root
mkdir -p "$ram/bin" "$ram/proc" "$ram/sys" "$ram/dev" || exit 1
cp "$(command -v busybox)" "$ram/bin/busybox" || exit 1

if ! grep -qw freeze /sys/power/state 2>/dev/null || [ ! -w /sys/power/pm_test ]; then
	{
		. "$MVGPU_TOP/tests/lib/tap.sh"
		tap_skip "system sleep with busy vGPUs" \
			"this kernel has no suspend-to-idle or pm_test (CONFIG_PM_SLEEP, CONFIG_PM_DEBUG)"
		tap_done
	} | tee "$MVGPU_RESULTS/$name.tap"
	exit 0
fi

guest_load_vfio || exit 1
# the semaphore wait spans the 5 s sleep: a watchdog well above it
guest_insmod simgpu watchdog_ms=30000 || exit 1
guest_insmod mvgpu || exit 1
t=/sys/class/mdev_bus/simgpu0/mdev_supported_types
u1=$(cat /proc/sys/kernel/random/uuid)
u2=$(cat /proc/sys/kernel/random/uuid)
echo "$u1" >$t/mvgpu-V1_4/create && echo "$u2" >$t/mvgpu-V1_8/create || exit 1

cp "$MVGPU_OUT/tests/mvgpu_suspend" "$ram/bin/" || exit 1
for d in proc sys dev; do
	mount --bind "/$d" "$ram/$d" || exit 1
done
mount --bind /sys/kernel/debug "$ram/sys/kernel/debug" 2>/dev/null
# everything the host will not get later is on the 9p share now
sync
echo "mvgpu-suite: $name (results on the console)"
# the last command that touches 9p: from here on only $ram is used
chroot "$ram" /bin/busybox sh -c '
	/bin/mvgpu_suspend --pm-test devices freeze "$1" "$2" >/tmp.out 2>&1
	rc=$?
	/bin/busybox sed "s/^/mvgpu-tap $3: /" /tmp.out
	echo "mvgpu-console-exit: $rc"
	/bin/busybox poweroff -n -f
' sh "$u1" "$u2" "$name"
console_end 1
