#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fail if a guest console log holds a kernel problem report: oops, BUG,
# WARN, panic, KASAN/UBSAN, lockdep, hung task, kmemleak, or an ACPI error.
#
# One report is excused, on kernels without the project's fix only:
# lockdep's circular-dependency report between vfio_iommu_type1's own
# iommu->lock and device_list_lock when a driver unpins pages in its
# dma_unmap callback. It is a real upstream bug, a lock inversion in
# vfio_iommu_type1.c since 8cfc5b60751b ("vfio: Replace the iommu
# notifier with a device list", 6.0): two threads unmapping pinned
# ranges on one container deadlock (tests/vfio/vfio_unmap_race.c).
# Every driver that pins guest pages triggers the report, and no driver
# can avoid it. The test kernel carries the fix
# (patches/vfio/0001-vfio-type1-Take-device_list_lock-before-iommu-lock.patch),
# so on it (a "-mvgpu-" kernel release in the log: the banner or the
# job's first line) nothing is excused.
# Elsewhere (Debian's stock kernel) only a report naming those two locks
# alone, through vfio_iommu_type1_unpin_pages, is; lockdep turns itself
# off after any report, so a run that shows it checks nothing afterwards.
# Usage: scan-log.sh CONSOLE_LOG
set -u
log=$1
pattern='BUG:|WARNING:|Oops|Kernel panic|general protection fault|KASAN:|UBSAN:'
pattern+='|possible circular locking|possible recursive locking|inconsistent lock state'
pattern+='|suspicious RCU usage|INFO: task .* blocked|new suspected memory leak|Call Trace:'
pattern+='|unreferenced object 0x|kernel BUG at'
# firmware the kernel could not use, such as interrupt routing (_PRT)
pattern+='|ACPI Error:|ACPI BIOS Error'

[ -r "$log" ] || { echo "scan-log: cannot read $log"; exit 1; }

# Drop the excused report: from its WARNING line to the end of its stack.
excuse=1
grep -E -q '(Linux version|mvgpu-job: start on) [^ ]*-mvgpu-' "$log" && excuse=0
filtered=$(tr -d '\r' <"$log" | awk -v excuse=$excuse '
function flush(   i, ok) {
	ok = blk ~ /is trying to acquire lock:\n[^\n]*\(&iommu->lock\)/ &&
	     blk ~ /already holding lock:\n[^\n]*\(&iommu->device_list_lock\)/ &&
	     blk ~ /vfio_iommu_type1_unpin_pages/ && blk !~ /-> #2/ && excuse
	if (!ok)
		printf "%s", blk
	blk = ""; inblk = 0
}
/WARNING: possible circular locking dependency detected/ { if (inblk) flush(); inblk = 1 }
{ if (inblk) blk = blk $0 "\n"; else print }
inblk && /<\/TASK>/ { flush() }
END { if (inblk) flush() }')

if grep -E -n "$pattern" <<<"$filtered" >/dev/null 2>&1; then
	grep -E -n "$pattern" <<<"$filtered" | head -n 20
	exit 1
fi
exit 0
