#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make fuzz: the VFIO fuzzer (tests/fuzz/vfio_fuzz.c) at length, on the
# stock Debian kernel and on the debug test kernel (KASAN, lockdep,
# kmemleak): 10^6 operations against a vGPU while another one runs
# known-good work, half as many against mvtty, and 1000 cycles of
# lifecycle churn (tests/vm/suites/churn.sh), on each.
#   MVGPU_FUZZ_SEED=N  reproduces a run (every run prints its seed)
#   MVGPU_FUZZ_OPS=N   operations against the vGPU (default 1000000)
#   MVGPU_CHURN_CYCLES=N  churn cycles (default 1000)
# Results: build/results/fuzz/ and build/results/fuzz-debug/; ends with
# the summary line of tests/summary.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

seed=${MVGPU_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
ops=${MVGPU_FUZZ_OPS:-1000000}
cycles=${MVGPU_CHURN_CYCLES:-1000}
echo "fuzz: seed $seed, $ops operations; to repeat: make fuzz MVGPU_FUZZ_SEED=$seed"
export MVGPU_FUZZ_SEED=$seed MVGPU_FUZZ_OPS=$ops

make -s -C "$MVGPU_TOP/tests/vfio" OUT="$MVGPU_OUT/tests"
make -s -C "$MVGPU_TOP/tests/fuzz" OUT="$MVGPU_OUT/tests"
"$here/build-kmod.sh" debian "$(mvgpu_kdir_612)" >/dev/null
debugk=$("$MVGPU_TOP/tests/vm/kernel/build.sh" debug)
"$here/build-kmod.sh" debug "$debugk/build" CONFIG_MVGPU_KUNIT_TEST=m W=1 >/dev/null

limit=$((3600 + ops / 100))
set +e
"$MVGPU_TOP/tests/vm/run-l1.sh" --kernel debian --name fuzz --timeout "$limit" \
	-- env MVGPU_FUZZ_SEED="$seed" MVGPU_FUZZ_OPS="$ops" MVGPU_CHURN_CYCLES="$cycles" \
	bash tests/vm/suites/fuzz-all.sh
"$MVGPU_TOP/tests/vm/run-l1.sh" --kernel test --debug --name fuzz-debug \
	--timeout $((limit * 4)) \
	-- env MVGPU_FUZZ_SEED="$seed" MVGPU_FUZZ_OPS="$ops" MVGPU_CHURN_CYCLES="$cycles" \
	bash tests/vm/suites/fuzz-all.sh
bash "$MVGPU_TOP/tests/summary.sh" "$MVGPU_OUT/results/fuzz" "$MVGPU_OUT/results/fuzz-debug"
