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
	"UBSAN: array-index-out-of-bounds in samples/mtty/mvtty_main.c:12:3"; do
	{ printf '%s\n' "$clean"; echo "[    2.000000] $report"; } >"$tmp/bad.log"
	tap_fails "scan-log rejects: ${report:0:48}" "$vm/scan-log.sh" "$tmp/bad.log"
done

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
