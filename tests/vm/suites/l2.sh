#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on the stock Debian kernel: nested guests that use mdev devices
# through QEMU's vfio-pci, the way users run them.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
rc=0

guest_load_vfio || exit 1
guest_insmod mvtty || exit 1
t=/sys/class/mdev_bus/mvtty/mdev_supported_types
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >$t/mvtty-1/create || exit 1

# A busy loop runs in L1 beside this L2 guest: the harness checks that
# nested suites hold up on a machine slower and busier than usual (a
# debug kernel or a loaded CI host once broke the interrupt routing of L2).
# A debug kernel as L2 (DEBUG=1) is that slow already.
hog=1
case $MVGPU_KERNEL in */debug-*) hog=0 ;; esac
MVGPU_SUITE_TIMEOUT=600 guest_suite l2_mvtty_tty bash -c '
	tests/vm/run-l2.sh --name l2-mvtty --device "$1" --timeout 540 --hog "$2" \
		tests/l2/mvtty_tty.sh "$MVGPU_OUT/l2bin/ttyloop" >&2
	l2=$?
	grep -E "^(not )?ok |^#" "$MVGPU_RESULTS/l2-mvtty.out"
	n=$(grep -c -E "^(not )?ok " "$MVGPU_RESULTS/l2-mvtty.out")
	n=$((n + 1))
	# seen from the host side: the bytes sent without loopback
	dropped=$(cat /sys/bus/mdev/devices/$1/mvtty/tx_dropped)
	if [ "$l2" = 0 ] && [ "$dropped" -ge 64 ]; then
		echo "ok $n - L2 finished cleanly; L1 saw the $dropped bytes it sent unlooped"
	else
		echo "not ok $n - L2 finished cleanly and L1 saw its bytes (status $l2, dropped $dropped)"
	fi
	echo "1..$n"
' _ "$u" "$hog" || rc=1

echo 1 >/sys/bus/mdev/devices/$u/remove || rc=1
rmmod mvtty || rc=1

# A vGPU in a nested guest
guest_insmod simgpu || exit 1
guest_insmod mvgpu || exit 1
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >/sys/class/mdev_bus/simgpu0/mdev_supported_types/mvgpu-V1_4/create || exit 1
params=/tmp/mvgpu-params
sed -n 's/^low_gm: \(0x[0-9a-f]*\) \(0x[0-9a-f]*\)$/LOW_BASE=\1 LOW_SIZE=\2/p;
	s/^high_gm: \(0x[0-9a-f]*\) \(0x[0-9a-f]*\)$/HIGH_BASE=\1 HIGH_SIZE=\2/p' \
	"/sys/bus/mdev/devices/$u/mvgpu/resources" >$params
echo "RESERVED=0x8000000" >>$params
# One L2 boot: the vGPU's PCI identity, PVINFO and aperture, then what
# the guest draws on QEMU's display (display=on, no OpenGL): the
# screenshot must be the pattern, pixel for pixel
MVGPU_SUITE_TIMEOUT=600 guest_suite l2_mvgpu bash -c '
	shot=$MVGPU_RESULTS/l2-display.ppm
	tests/vm/run-l2.sh --name l2-mvgpu --device "$1" --timeout 540 \
		--append "memmap=1M\$0x8000000" --screendump "$shot" tests/l2/mvgpu_l2.sh \
		tests/l2/mvgpu_pci.sh tests/l2/mvgpu_display.sh "$MVGPU_OUT/l2bin/pcimem" \
		"$MVGPU_OUT/l2bin/fbfill" "$2" >&2
	l2=$?
	# both scripts number from 1: one sequence here (-a: a stray NUL on
	# the serial console must not hide the lines)
	grep -a -E "^(not )?ok |^#" "$MVGPU_RESULTS/l2-mvgpu.out" |
		awk "/^(not )?ok [0-9]+/ { n++; sub(/ok [0-9]+/, \"ok \" n) } { print }"
	n=$(grep -a -c -E "^(not )?ok " "$MVGPU_RESULTS/l2-mvgpu.out")
	if [ "$l2" = 0 ]; then
		echo "ok $((n + 1)) - L2 finished cleanly"
	else
		echo "not ok $((n + 1)) - L2 finished cleanly (status $l2)"
	fi
	python3 tests/vm/ppmcheck.py "$shot" 256 256 $((n + 2)) "$MVGPU_RESULTS/l2-display.png"
	echo "1..$((n + 3))"
' _ "$u" "$params" || rc=1
echo 1 >/sys/bus/mdev/devices/$u/remove || rc=1

# The guest driver in a nested guest (the L2 kernel's build of it): KMS
# and fbdev on a V1_8 (1024x768), the pattern drawn through /dev/fb0,
# and QEMU's screenshot of it compared pixel by pixel
case $MVGPU_KERNEL in */debug-*) kv=debug ;; *) kv=test ;; esac
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >/sys/class/mdev_bus/simgpu0/mdev_supported_types/mvgpu-V1_8/create || exit 1
MVGPU_SUITE_TIMEOUT=600 guest_suite l2_mvgpu_drm bash -c '
	shot=$MVGPU_RESULTS/l2-drm.ppm
	tests/vm/run-l2.sh --name l2-drm --device "$1" --timeout 540 --screendump "$shot" \
		tests/l2/mvgpu_drm.sh "$2" "$MVGPU_OUT/l2bin/pcimem" "$MVGPU_OUT/l2bin/fbfill" >&2
	l2=$?
	grep -a -E "^(not )?ok |^#" "$MVGPU_RESULTS/l2-drm.out"
	n=$(grep -a -c -E "^(not )?ok " "$MVGPU_RESULTS/l2-drm.out")
	if [ "$l2" = 0 ]; then
		echo "ok $((n + 1)) - L2 finished cleanly"
	else
		echo "not ok $((n + 1)) - L2 finished cleanly (status $l2)"
	fi
	python3 tests/vm/ppmcheck.py "$shot" 1024 768 $((n + 2)) "$MVGPU_RESULTS/l2-drm.png"
	echo "1..$((n + 3))"
' _ "$u" "$MVGPU_OUT/kmod/$kv/mvgpu_drm.ko" || rc=1
echo 1 >/sys/bus/mdev/devices/$u/remove || rc=1
rmmod mvgpu || rc=1
rmmod simgpu || rc=1
exit $rc
