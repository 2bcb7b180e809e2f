#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job of make fuzz: the fuzzer (fuzz.sh) and lifecycle churn (churn.sh)
# with the settings make fuzz passes in their variables.
set -u
rc=0
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
guest_load_vfio || exit 1
bash tests/vm/suites/fuzz.sh || rc=1
MVGPU_CHURN_SEED=${MVGPU_FUZZ_SEED:-} bash tests/vm/suites/churn.sh || rc=1
exit $rc
