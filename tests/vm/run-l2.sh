#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs inside an L1 guest: boot an L2 guest with QEMU (TCG) on the test
# kernel, with mdev devices given to it the way users do
# (-device vfio-pci,sysfsdev=...), run a script in it and bring its output
# back.
#
# Usage: run-l2.sh --name NAME [--device UUID]... [--timeout S] [--append ARGS]
#                  [--hog N] [--screendump FILE] SCRIPT [FILE]...
#   --hog N  keep N busy loops running in L1 while L2 runs: a host that
#            is slower and busier than usual (the harness's own tests)
#   --screendump FILE  QEMU shows the devices (display=on); when L2's /init
#            prints @@MVGPU-L2-SCREENDUMP@@ (the script asked for it, see
#            guest/l2-init), QMP screendump writes FILE (PPM) and QMP quit
#            ends L2
#   SCRIPT runs as /job.sh in L2 (busybox sh); FILEs are copied to L2's /bin;
#   /lib/tap.sh gives it check() for TAP lines and pci_dev() to find a device.
#   Its output (between markers) goes to $MVGPU_RESULTS/NAME.out, the L2
#   console to $MVGPU_RESULTS/NAME-console.log.
# Fails if L2 does not finish in time, the script fails, a check line it
# printed did not arrive whole, or the L2 kernel reports a problem.
set -u
here=$(cd "$(dirname "$0")" && pwd)
name= timeout=300 uuids=() append= hog=0 shot=
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift 2 ;;
	--device) uuids+=("$2"); shift 2 ;;
	--screendump) shot=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--hog) hog=$2; shift 2 ;;
	*) break ;;
	esac
done
[ -n "$name" ] && [ $# -ge 1 ] || { echo "usage: run-l2.sh --name NAME ... SCRIPT" >&2; exit 2; }
script=$1
shift
devs=() qmp=()
for u in "${uuids[@]}"; do
	devs+=(-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$u${shot:+,display=on}")
done

work=$(mktemp -d)
hogs=()
trap 'rm -rf "$work"; [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null' EXIT
mkdir -p "$work/root/bin" "$work/root/lib" "$work/root/proc" "$work/root/sys" "$work/root/dev"
cp "$here/guest/l2-tap.sh" "$work/root/lib/tap.sh"
cp /bin/busybox "$work/root/bin/busybox"
ln -s busybox "$work/root/bin/sh"
for f in "$@"; do cp "$f" "$work/root/bin/"; done
cp "$here/guest/l2-init" "$work/root/init"
cp "$script" "$work/root/job.sh"
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

# QEMU writes the console to L1's memory: written straight to the 9p
# share while another process reads it, the file got holes of NULs where
# lines had been. It is copied to the results when L2 has ended.
console=$work/console.log
out=$MVGPU_RESULTS/$name.out
for ((i = 0; i < hog; i++)); do
	bash -c 'while :; do :; done' &
	hogs+=($!)
done
echo "l2: $name: booting (console: $MVGPU_RESULTS/$name-console.log)${hogs[*]:+, $hog busy loops beside it}"
# the screenshot, when the script asks for it: QMP from beside QEMU
watcher=
if [ -n "$shot" ]; then
	rm -f "$shot"
	qmp=(-qmp "unix:$work/qmp,server=on,wait=off")
	(
		for ((i = 0; i < 2 * timeout; i++)); do
			if grep -a -q 'MVGPU-L2-SCREENDUMP' "$console" 2>/dev/null; then
				python3 "$here/qmp.py" "$work/qmp" screendump \
					"{\"filename\": \"$shot\"}" >"$MVGPU_RESULTS/$name-qmp.log" 2>&1
				python3 "$here/qmp.py" "$work/qmp" quit >>"$MVGPU_RESULTS/$name-qmp.log" 2>&1
				exit
			fi
			sleep 0.5
		done
	) &
	watcher=$!
fi
# Under nested emulation (more so with a debug kernel or a busy host) a
# CPU can look stalled for longer than RCU's default 21 s, as in L1.
# q35, not pc: pc's ACPI builds its PCI interrupt routing (_PRT) in an AML
# loop, which ACPICA aborts after 30 s; in a guest that slow the kernel
# then cannot route the devices' INTx and they never interrupt. q35's
# routing table is a static package.
timeout -k 5 "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu qemu64,-cx16 -m 256M -smp 1 \
	-nodefaults -display none -monitor none -no-reboot \
	-serial "file:$console" \
	-kernel "$MVGPU_KERNEL/bzImage" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 loglevel=7 rcupdate.rcu_cpu_stall_timeout=300 $append" \
	"${devs[@]}" "${qmp[@]}" </dev/null
qrc=$?
cp "$console" "$MVGPU_RESULTS/$name-console.log" 2>/dev/null
console=$MVGPU_RESULTS/$name-console.log
[ -z "$watcher" ] || { kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null; }
[ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null
hogs=()

sed -n '/@@MVGPU-L2-BEGIN@@/,/@@MVGPU-L2-END@@/p' "$console" |
	sed '1d;$d' | tr -d '\r' >"$out"
status=$(sed -n 's/.*@@MVGPU-L2-END@@ \([0-9]*\).*/\1/p' "$console" | tr -d '\r')
checks=$(sed -n 's/.*@@MVGPU-L2-END@@ [0-9]* \([0-9]*\).*/\1/p' "$console" | tr -d '\r')
rc=0
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "l2: $name: TIMEOUT after ${timeout}s"
	rc=1
elif [ "$qrc" != 0 ]; then
	echo "l2: $name: QEMU failed with status $qrc"
	rc=1
fi
if [ -z "$status" ]; then
	echo "l2: $name: the script did not finish"
	rc=1
elif [ "$status" != 0 ]; then
	echo "l2: $name: the script exited with $status"
	rc=1
fi
if [ -n "$status" ] && [ "$(grep -a -c -E '^(not )?ok ' "$out")" != "${checks:-?}" ]; then
	echo "l2: $name: L2 ran ${checks:-?} checks, but $(grep -a -c -E '^(not )?ok ' "$out") arrived whole"
	rc=1
fi
if ! "$here/scan-log.sh" "$console"; then
	echo "l2: $name: the L2 kernel reported a problem"
	rc=1
fi
# The L2 console stays out of L1's, whose log is scanned on its own.
[ $rc = 0 ] || echo "l2: $name: see $console"
exit $rc
