#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job on the test kernel: load vfio, mdev, mvtty, simgpu and mvgpu, then
# each KUnit module of the project in turn (KUnit runs its suites while it
# loads), save the KTAP of every suite it registers
# ($MVGPU_RESULTS/SUITE.ktap) and unload it.
# The modules and suites are listed below (tests/host/harness.sh checks the
# list against the *_kunit.c files). kunit-modules.tap has a result for
# every module (built, loaded, unloaded) and every suite (registered, and
# its KTAP has a plan, as many results and the suite's own result line); a
# module or suite that is missing, unexpected or cut short fails there.
# The test cases themselves are counted from the .ktap files.
#   kunit.sh --list   print the list: one line per module, then its suites
set -u

# module, then the suites it registers (kunit_test_suites() in its *_kunit.c)
expected=(
	"mvgpu_kunit mvgpu_res mvgpu_cfg mvgpu_mmio mvgpu_csb mvgpu_gtt mvgpu_ppgtt mvgpu_dispatch mvgpu_display"
	"mvgpu_scan_kunit mvgpu_scan mvgpu_sched"
	"mvtty_kunit mvtty_uart mvtty_cfg"
	"mvgpu_vpci_kunit mvgpu_vpci"
	"simgpu_kunit simgpu_decode simgpu_blit simgpu_translate simgpu_context simgpu_watchdog simgpu_robustness"
	"mvgpu_drm_kunit mvgpu_drm_gm"
)
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${expected[@]}"
	exit 0
fi

. "$MVGPU_TOP/tests/vm/guest/lib.sh"
. "$MVGPU_TOP/tests/lib/tap.sh"
# MVGPU_KUNIT_DEBUGFS: another place for KUnit's debugfs directory, for the
# harness's own tests of this script
kunit=${MVGPU_KUNIT_DEBUGFS:-/sys/kernel/debug/kunit}

# ktap_problem FILE SUITE: what is wrong with a suite's KTAP, or nothing
ktap_problem() {
	awk -v suite="$2" '
	/^    1\.\.[0-9]+/ { plan = substr($0, 8) + 0; planned = 1 }
	/^    (not )?ok [0-9]+/ { n++ }
	$0 ~ "^(not )?ok [0-9]+ " suite "( |$)" { done = 1 }
	END {
		if (!NR) print "its KTAP is empty"
		else if (!planned) print "its KTAP has no plan"
		else if (!plan || n != plan) printf "its KTAP has a plan of %d but %d results\n", plan, n
		else if (!done) print "it did not finish (no result line of the suite)"
	}' "$1"
}

not_run() {	# REASON SUITE...: a failure for each suite that could not run
	local why=$1 s
	shift
	for s; do
		tap_not_ok "suite $s: not run, $why"
	done
}

run_modules() {
	local entry m want s before new out problem cases
	if [ -d "$kunit" ]; then
		tap_ok "KUnit's debugfs directory is there ($kunit)"
	else
		tap_not_ok "KUnit's debugfs directory is there ($kunit)"
	fi
	if out=$({ guest_load_vfio && guest_insmod mvtty && guest_insmod simgpu &&
		guest_insmod mvgpu; } 2>&1); then
		tap_ok "vfio, mdev, mvtty, simgpu and mvgpu load"
	else
		tap_not_ok "vfio, mdev, mvtty, simgpu and mvgpu load"
		tap_diag "$out"
		for entry in "${expected[@]}"; do
			# shellcheck disable=SC2086 # the list splits into words
			not_run "the modules under test did not load" ${entry#* }
		done
		return
	fi
	for entry in "${expected[@]}"; do
		m=${entry%% *} want=" ${entry#* } "
		if [ ! -e "$MVGPU_KMOD/$m.ko" ]; then
			tap_not_ok "$m.ko is built (in $MVGPU_KMOD)"
			# shellcheck disable=SC2086
			not_run "$m.ko is missing" $want
			continue
		fi
		before=" $(ls "$kunit" 2>/dev/null | tr '\n' ' ') "
		# with the project's modules it needs (mvgpu_drm for its own)
		if ! out=$(guest_insmod "$m" 2>&1); then
			tap_not_ok "insmod $m"
			tap_diag "$out"
			# shellcheck disable=SC2086
			not_run "$m did not load" $want
			continue
		fi
		tap_ok "insmod $m"
		new=' '
		for s in "$kunit"/*; do
			s=${s##*/}
			[ "$s" != '*' ] && [ "${before/ $s /}" = "$before" ] && new+="$s "
		done
		for s in $want; do
			case $new in
			*" $s "*) ;;
			*)
				tap_not_ok "suite $s: registered by $m (no $kunit/$s)"
				continue ;;
			esac
			if ! cp "$kunit/$s/results" "$MVGPU_RESULTS/$s.ktap"; then
				tap_not_ok "suite $s: its results can be read"
				continue
			fi
			cat "$MVGPU_RESULTS/$s.ktap" >&2
			problem=$(ktap_problem "$MVGPU_RESULTS/$s.ktap" "$s")
			if [ -n "$problem" ]; then
				tap_not_ok "suite $s: ran to its end: $problem"
			else
				cases=$(grep -c -E '^    (not )?ok [0-9]+' "$MVGPU_RESULTS/$s.ktap")
				tap_ok "suite $s: ran to its end, $cases cases in its KTAP"
			fi
		done
		for s in $new; do
			case $want in *" $s "*) continue ;; esac
			cp "$kunit/$s/results" "$MVGPU_RESULTS/$s.ktap"
			tap_not_ok "suite $s: registered by $m, but not listed in kunit.sh"
		done
		if out=$(rmmod "$m" 2>&1); then
			tap_ok "rmmod $m"
		else
			tap_not_ok "rmmod $m"
			tap_diag "$out"
		fi
	done
	if out=$({ rmmod mvgpu && rmmod simgpu && rmmod mvtty && rmmod mvgpu_vpci; } 2>&1); then
		tap_ok "mvgpu, simgpu, mvtty and mvgpu_vpci unload"
	else
		tap_not_ok "mvgpu, simgpu, mvtty and mvgpu_vpci unload"
		tap_diag "$out"
	fi
}

run_modules_tap() {
	run_modules
	tap_done
}
echo "mvgpu-suite: kunit-modules"
run_modules_tap | tee "$MVGPU_RESULTS/kunit-modules.tap"
exit "${PIPESTATUS[0]}"
