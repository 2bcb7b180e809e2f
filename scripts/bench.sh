#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: run the benchmarks in an L1 guest on the stock Debian kernel
# and print each figure as a ratio of a baseline measured in the same run.
# Results: build/results/bench/*.txt
# The vGPU figures run in a second guest, on the test kernel (it has the
# kernel's mtty sample): build/results/bench-vgpu/*.txt
# The scheduler and submission figures run in a third, on the Debian
# kernel: build/results/bench-sched/*.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

"$here/build-kmod.sh" debian "$(mvgpu_kdir_612)" >/dev/null
"$MVGPU_TOP/tests/vm/run-l1.sh" --name bench --timeout 1200 \
	-- bash tests/bench/simgpu.sh
echo
cat "$MVGPU_OUT"/results/bench/*.txt

# vGPU device model: tests/bench/vgpu.sh and vgpu_bench
testk=$("$MVGPU_TOP/tests/vm/kernel/build.sh" test)
# the same flags as make check's builds for the test kernel: no rebuild between them
"$here/build-kmod.sh" test "$testk/build" CONFIG_MVGPU_KUNIT_TEST=m W=1 >/dev/null
make -s -C "$MVGPU_TOP/tests/bench" OUT="$MVGPU_OUT/tests"
"$MVGPU_TOP/tests/vm/run-l1.sh" --kernel test --name bench-vgpu --timeout 1200 \
	-- bash tests/bench/vgpu.sh
echo
cat "$MVGPU_OUT"/results/bench-vgpu/*.txt

# scheduler and submission: tests/bench/sched.sh and sched_bench (built
# above), with the Debian kernel's modules (built first)
"$MVGPU_TOP/tests/vm/run-l1.sh" --name bench-sched --timeout 900 \
	-- bash tests/bench/sched.sh
echo
cat "$MVGPU_OUT"/results/bench-sched/*.txt
