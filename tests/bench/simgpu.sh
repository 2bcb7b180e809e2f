#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job: simgpu's bandwidth and per-command cost, each as a ratio of a
# baseline measured in the same run on the same pages (memcpy, memset).
# Writes $MVGPU_RESULTS/simgpu.txt.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"

# under TCG a 32 MiB blit can take longer than the default watchdog
guest_insmod simgpu watchdog_ms=60000 || exit 1
native=/sys/kernel/debug/simgpu/simgpu0/native
size=$((32 << 20))
iters=20

run() {	# OP SIZE ITERS: prints the ns the run took
	if ! echo "$1 $2 $3" >"$native"; then
		cat "$native" /sys/kernel/debug/simgpu/simgpu0/{engines,faults} >&2
		return 1
	fi
	sed -n 's/.* ns=\([0-9]*\)$/\1/p' "$native"
}

# warm up: first use allocates and maps the buffers
run copy "$size" 1 >/dev/null || exit 1
run memcpy "$size" 1 >/dev/null

copy=$(run copy "$size" "$iters")
memcpy=$(run memcpy "$size" "$iters")
fill=$(run fill "$size" "$iters")
memset=$(run memset "$size" "$iters")
nop1=$(run nop 1 2000)
nop256=$(run nop 256 200)

awk -v size="$size" -v iters="$iters" -v copy="$copy" -v memcpy="$memcpy" \
    -v fill="$fill" -v memset="$memset" -v nop1="$nop1" -v nop256="$nop256" \
    -v krel="$(uname -r)" '
function mbps(ns) { return size * iters / ns * 1e9 / 1048576 }
BEGIN {
	printf "simgpu native submission, %d MiB x %d, kernel %s\n", size / 1048576, iters, krel
	printf "  copy blit:  %8.0f MiB/s   memcpy: %8.0f MiB/s   ratio %.2fx (goal >= 0.80x)\n", \
		mbps(copy), mbps(memcpy), memcpy / copy
	printf "  fill blit:  %8.0f MiB/s   memset: %8.0f MiB/s   ratio %.2fx\n", \
		mbps(fill), mbps(memset), memset / fill
	printf "  tiny work:  %8.0f submissions/s of 1 MI_NOOP (%.1f us each)\n", \
		2000 / nop1 * 1e9, nop1 / 2000 / 1000
	printf "  per command: %.0f ns (256 MI_NOOPs per submission, %.1f us per submission)\n", \
		(nop256 - nop1 / 10) / (200 * 255), nop256 / 200 / 1000
}' | tee "$MVGPU_RESULTS/simgpu.txt"
rmmod simgpu
