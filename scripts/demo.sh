#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo: boot a guest host (L1) on the stock Debian kernel, load the
# modules, create mediated devices through sysfs as users do, and start a
# nested guest (L2) that uses one through QEMU's vfio-pci.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

echo "demo: building the modules, the test programs and (first time only, a few"
echo "      minutes) the small kernel the nested guest boots"
"$here/build-kmod.sh" debian "$(mvgpu_kdir_612)" >/dev/null
make -s -C "$MVGPU_TOP/tests/l2" OUT="$MVGPU_OUT/l2bin" >/dev/null
make -s -C "$MVGPU_TOP/tests/bench" OUT="$MVGPU_OUT/tests" >/dev/null
make -s -C "$MVGPU_TOP/tools" OUT="$MVGPU_OUT/tools" >/dev/null
testk=$("$MVGPU_TOP/tests/vm/kernel/build.sh")
# the guest driver, for the nested guest's kernel
"$here/build-kmod.sh" test "$testk/build" CONFIG_MVGPU_KUNIT_TEST=m W=1 >/dev/null
MVGPU_NEED_L2=1 "$MVGPU_TOP/tests/vm/run-l1.sh" --show --name demo --timeout 900 \
	-- bash scripts/demo-guest.sh
for png in vgpu-screen vgpu-console; do
	png=$MVGPU_OUT/results/demo/$png.png
	if [ -f "$png" ]; then
		echo "demo: a vGPU's screen as QEMU showed it: $png"
	fi
done
