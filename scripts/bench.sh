#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: run the benchmarks in an L1 guest on the stock Debian kernel
# and print each figure as a ratio of a baseline measured in the same run.
# Results: build/results/bench/*.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

"$here/build-kmod.sh" debian "$(mvgpu_kdir_612)" >/dev/null
"$MVGPU_TOP/tests/vm/run-l1.sh" --name bench --timeout 1200 \
	-- bash tests/bench/simgpu.sh
echo
cat "$MVGPU_OUT"/results/bench/*.txt
