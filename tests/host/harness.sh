#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The harness must fail when it should: kernel reports in a console log,
# failed or missing TAP results. Runs on the host; prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
vm=$here/../vm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

clean='[    1.000000] mvtty: loading out-of-tree module taints kernel.
[    1.100000] mvtty 1f0e: no room for 2 more port(s) in the pool of 24
[    1.200000] mdev: probe of 1f0e failed with error -28'
printf '%s\n' "$clean" >"$tmp/clean.log"
tap_run "scan-log accepts a clean console log" "$vm/scan-log.sh" "$tmp/clean.log"

for report in \
	"WARNING: CPU: 1 PID: 42 at drivers/vfio/vfio_main.c:123 foo+0x1/0x2" \
	"BUG: kernel NULL pointer dereference, address: 0000000000000008" \
	"BUG: KASAN: slab-use-after-free in mvtty_rw+0x10/0x20" \
	"WARNING: possible circular locking dependency detected" \
	"Oops: general protection fault, probably for non-canonical address" \
	"Kernel panic - not syncing: Fatal exception" \
	"INFO: task bash:77 blocked for more than 120 seconds." \
	"kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)" \
	"unreferenced object 0xffff888003a1c000 (size 64):" \
	"UBSAN: array-index-out-of-bounds in samples/mtty/mvtty_main.c:12:3"; do
	{ printf '%s\n' "$clean"; echo "[    2.000000] $report"; } >"$tmp/bad.log"
	tap_fails "scan-log rejects: ${report:0:48}" "$vm/scan-log.sh" "$tmp/bad.log"
done

lockdep_report() {	# HELD_LOCK ACQUIRED_LOCK FUNCTION EXTRA_CHAIN
	cat <<EOT
[  141.266079] WARNING: possible circular locking dependency detected
[  141.267117] mvgpu_vfio/333 is trying to acquire lock:
[  141.267118] ff11000102437888 ($2){+.+.}-{3:3}, at: $3+0x61/0x250 [vfio_iommu_type1]
[  141.273174] but task is already holding lock:
[  141.273175] ff11000102437930 ($1){+.+.}-{3:3}, at: vfio_iommu_type1_ioctl+0x209a/0x3d30
[  141.273826] -> #1 ($1){+.+.}-{3:3}:
$4
[  141.275585] -> #0 ($2){+.+.}-{3:3}:
[  141.284247] Call Trace:
[  141.284248]  <TASK>
[  141.284249]  $3+0x61/0x250
[  141.284250]  </TASK>
EOT
}
{ printf '%s\n' "$clean"; lockdep_report '&iommu->device_list_lock' '&iommu->lock' \
	vfio_iommu_type1_unpin_pages ''; echo "[  150.0] mvgpu-job: exit 0"; } >"$tmp/vfio.log"
tap_run "scan-log excuses VFIO's own unpin-in-dma_unmap lockdep report" \
	"$vm/scan-log.sh" "$tmp/vfio.log"
{ printf '%s\n' "$clean"; lockdep_report '&iommu->device_list_lock' '&s->lock' \
	mvgpu_dma_unmap ''; } >"$tmp/ours.log"
tap_fails "scan-log rejects a lockdep report with one of our locks" \
	"$vm/scan-log.sh" "$tmp/ours.log"
{ printf '%s\n' "$clean"; lockdep_report '&iommu->device_list_lock' '&iommu->lock' \
	vfio_iommu_type1_unpin_pages '[  141.27] -> #2 (&s->lock){+.+.}-{3:3}:'; } >"$tmp/long.log"
tap_fails "scan-log rejects the VFIO report when another lock is in the chain" \
	"$vm/scan-log.sh" "$tmp/long.log"
{ printf '%s\n' "$clean"; lockdep_report '&iommu->device_list_lock' '&iommu->lock' \
	vfio_iommu_type1_unpin_pages ''; echo "[  151.0] BUG: unable to handle page fault"; } \
	>"$tmp/after.log"
tap_fails "scan-log still sees a report after the excused one" "$vm/scan-log.sh" "$tmp/after.log"

tap_fails "scan-log fails on a log it cannot read" "$vm/scan-log.sh" "$tmp/missing.log"
printf '[    1.0] ok\r\n[    2.0] WARNING: CPU: 0 PID: 1 at x.c:1 f\r\n' >"$tmp/crlf.log"
tap_fails "scan-log reads serial logs with CR LF line ends" "$vm/scan-log.sh" "$tmp/crlf.log"

mkdir -p "$tmp/r/good" "$tmp/r/bad" "$tmp/r/plan" "$tmp/r/vm" "$tmp/r/kunit"
printf 'ok 1 - a\nok 2 - b\n1..2\n' >"$tmp/r/good/a.tap"
printf '    ok 1 x\n    not ok 2 y\n        ok 1 param\n    1..2\nnot ok 1 s\n' \
	>"$tmp/r/kunit/s.ktap"
out=$(bash "$here/../summary.sh" "$tmp/r/good")
tap_is "summary counts a passing suite" "$(tail -n 1 <<<"$out")" "2 passed, 0 failed"
out=$(bash "$here/../summary.sh" "$tmp/r/kunit")
tap_is "summary counts KTAP cases, not parameters or suites" \
	"$(tail -n 1 <<<"$out")" "1 passed, 1 failed"
printf 'ok 1 - a\nnot ok 2 - b\n1..2\n' >"$tmp/r/bad/b.tap"
tap_fails "summary fails on a failed test" bash "$here/../summary.sh" "$tmp/r/bad"
printf 'ok 1 - a\n1..3\n' >"$tmp/r/plan/c.tap"
out=$(bash "$here/../summary.sh" "$tmp/r/plan")
tap_is "summary counts a short plan as a failure" "$(tail -n 1 <<<"$out")" "1 passed, 1 failed"
printf 'ok 1 - a\n' >"$tmp/r/plan/d.tap"
tap_fails "summary fails a TAP file without a plan" bash "$here/../summary.sh" "$tmp/r/plan"
touch "$tmp/r/vm/vm-failed"
out=$(bash "$here/../summary.sh" "$tmp/r/good" "$tmp/r/vm")
tap_is "summary counts a failed guest" "$(tail -n 1 <<<"$out")" "2 passed, 1 failed"

tap_done
