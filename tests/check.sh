#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The project's test run: what `make check` and CI do.
# Usage: check.sh all|host|tools|lint|kunit|vm|l2
# Stages run in order and go on after a failure, so the closing summary
# counts every test of every suite; the exit status is non-zero if any
# test failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/env.sh"

what=${1:-all}
variant=test dbg=()
if [ "${DEBUG:-0}" = 1 ]; then
	variant=debug dbg=(--debug)
fi
results=$MVGPU_OUT/results
dirs=()
start=$(date +%s)

stage() {
	echo
	echo "=== $1 ($(($(date +%s) - start))s)"
}

# A stage that cannot even start leaves a failed TAP file of its own.
stage_failed() {	# NAME REASON
	mkdir -p "$results/$1"
	printf 'not ok 1 - %s\n1..1\n' "$2" >"$results/$1/$1-setup.tap"
	echo "$1: $2"
}

build_kmod() {	# TAG KDIR [args]: build the modules, or fail the stage
	"$MVGPU_TOP/scripts/build-kmod.sh" "$@" >/dev/null
}

# Every build for a test kernel has the KUnit modules, so that the stages
# sharing one (build/kmod/test or debug) do not rebuild it each time.
build_kmod_testk() {	# VARIANT KDIR
	build_kmod "$1" "$2" CONFIG_MVGPU_KUNIT_TEST=m W=1
}

run_lint() {
	stage "lint: W=1, sparse, checkpatch, 6.1 compile check"
	dirs+=("$results/lint")
	rm -rf "$results/lint"
	bash "$here/host/lint.sh"
}

run_host() {
	local t
	stage "host: harness self-tests, make/install"
	dirs+=("$results/host")
	rm -rf "$results/host"
	mkdir -p "$results/host"
	for t in harness install dkms compat; do
		bash "$here/host/$t.sh" >"$results/host/$t.tap" 2>&1
		grep -c '^ok' "$results/host/$t.tap" | xargs printf '  %s: %s ok\n' "$t"
		grep '^not ok' "$results/host/$t.tap"
	done
}

# The userspace tools (tools/), built on the host and tested against the
# fixture trees of tests/tools/fixtures.
run_tools() {
	local t name
	stage "tools: vgpu-doctor and mvgpuctl on fixture trees"
	dirs+=("$results/tools")
	rm -rf "$results/tools"
	mkdir -p "$results/tools"
	if ! make -s -C "$MVGPU_TOP/tools" OUT="$MVGPU_OUT/tools" >"$results/tools/build.log" 2>&1
	then
		stage_failed tools "build the tools (see $results/tools/build.log)"
		return
	fi
	for t in "$here"/tools/*.sh; do
		name=$(basename "$t" .sh)
		MVGPU_OUT=$MVGPU_OUT bash "$t" >"$results/tools/$name.tap" 2>&1
		grep -c '^ok' "$results/tools/$name.tap" | xargs printf '  %s: %s ok\n' "$name"
		grep '^not ok' "$results/tools/$name.tap"
	done
}

run_kunit() {
	local testk
	stage "kunit: KUnit suites on the test kernel"
	dirs+=("$results/kunit")
	rm -rf "$results/kunit"
	if ! testk=$("$here/vm/kernel/build.sh" "$variant"); then
		stage_failed kunit "build the test kernel"
		return
	fi
	if ! build_kmod_testk "$variant" "$testk/build"; then
		stage_failed kunit "build the modules for the test kernel"
		return
	fi
	dirs+=("$results/kunit-build")
	rm -rf "$results/kunit-build"
	mkdir -p "$results/kunit-build"
	if grep -E -q '(warning|error):' "$MVGPU_OUT/kmod/$variant.log"; then
		{ echo "not ok 1 - the KUnit modules build with W=1 and no warnings"
		  grep -E '(warning|error):' "$MVGPU_OUT/kmod/$variant.log" | sed 's/^/# /'
		} >"$results/kunit-build/kunit-build.tap"
	else
		echo "ok 1 - the KUnit modules build with W=1 and no warnings" \
			>"$results/kunit-build/kunit-build.tap"
	fi
	echo "1..1" >>"$results/kunit-build/kunit-build.tap"
	bash "$here/vm/run-l1.sh" --kernel test "${dbg[@]}" \
		--name kunit --timeout 600 -- bash tests/vm/suites/kunit.sh
}

build_guest_tools() {
	make -s -C "$here/vfio" OUT="$MVGPU_OUT/tests" >/dev/null &&
		make -s -C "$here/fuzz" OUT="$MVGPU_OUT/tests" >/dev/null &&
		make -s -C "$here/l2" OUT="$MVGPU_OUT/l2bin" >/dev/null
}

run_vm() {
	local kernel=debian tag=debian kdir limit=900
	# DEBUG=1 runs these suites on the debug test kernel instead, slower
	[ "$variant" = debug ] && kernel=test tag=debug limit=2400
	stage "vm: sysfs, VFIO, fuzz and churn suites in L1 guests ($kernel kernel, then $variant kernel through iommufd)"
	# every guest run of the stage is expected: one that never ran fails
	dirs+=("$results/l1" "$results/tools-l1" "$results/l1-iommufd" "$results/l1-suspend")
	[ "$kernel" = debian ] && dirs+=("$results/l1-race")
	rm -rf "$results/l1" "$results/tools-l1" "$results/l1-iommufd" "$results/l1-race" \
		"$results/l1-suspend"
	if [ "$kernel" = test ]; then
		kdir=$("$here/vm/kernel/build.sh" "$variant") &&
			build_kmod_testk "$tag" "$kdir/build"
	else
		build_kmod "$tag" "$(mvgpu_kdir_612)"
	fi
	if [ $? -ne 0 ] || ! build_guest_tools; then
		stage_failed l1 "build the modules and test programs"
		return
	fi
	bash "$here/vm/run-l1.sh" --kernel "$kernel" "${dbg[@]}" --name l1 --timeout "$limit" \
		-- bash tests/vm/suites/l1.sh
	# the tools for real: vgpu-doctor, mvgpuctl and Debian's mdevctl
	if ! make -s -C "$MVGPU_TOP/tools" OUT="$MVGPU_OUT/tools" >/dev/null; then
		stage_failed tools-l1 "build the tools"
		return
	fi
	bash "$here/vm/run-l1.sh" --kernel "$kernel" "${dbg[@]}" --name tools-l1 --timeout 900 \
		-- bash tests/vm/suites/tools.sh
	# Stock kernels deadlock when two threads unmap pinned memory at once:
	# reported as the known upstream bug, in a guest of its own.
	if [ "$kernel" = debian ]; then
		bash "$here/vm/run-l1.sh" --kernel debian --name l1-race --timeout 300 \
			-- bash tests/vm/suites/unmap_race.sh
	fi
	# System sleep with busy vGPUs; it ends its guest (9p does not come back).
	bash "$here/vm/run-l1.sh" --kernel "$kernel" "${dbg[@]}" --name l1-suspend --timeout 300 \
		-- bash tests/vm/suites/suspend.sh
	# The test kernel has the fix, and iommufd: the race and every VFIO
	# suite through iommufd.
	if ! kdir=$("$here/vm/kernel/build.sh" "$variant") ||
		! build_kmod_testk "$variant" "$kdir/build"; then
		stage_failed l1-iommufd "build the test kernel and the modules for it"
		return
	fi
	bash "$here/vm/run-l1.sh" --kernel test "${dbg[@]}" --name l1-iommufd --timeout "$limit" \
		-- bash tests/vm/suites/iommufd.sh
}

run_l2() {
	stage "l2: nested guests using mdev devices through QEMU"
	dirs+=("$results/l2")
	rm -rf "$results/l2"
	local kdir
	# L1 runs Debian's kernel with its modules; L2 the test kernel, with the
	# guest driver built for it
	if ! kdir=$("$here/vm/kernel/build.sh" "$variant") ||
		! build_kmod_testk "$variant" "$kdir/build" ||
		! build_kmod debian "$(mvgpu_kdir_612)" || ! build_guest_tools; then
		stage_failed l2 "build the kernels, modules and test programs"
		return
	fi
	MVGPU_NEED_L2=1 bash "$here/vm/run-l1.sh" --kernel debian "${dbg[@]}" --name l2 \
		--timeout 1200 -- bash tests/vm/suites/l2.sh
}

case $what in
all) run_host; run_tools; run_lint; run_kunit; run_vm; run_l2 ;;
host) run_host ;;
tools) run_tools ;;
lint) run_lint ;;
kunit) run_kunit ;;
vm) run_vm ;;
l2) run_l2 ;;
*) mvgpu_die "check: unknown stage '$what' (all, host, tools, lint, kunit, vm, l2)" ;;
esac

stage "summary"
bash "$here/summary.sh" "${dirs[@]}"
