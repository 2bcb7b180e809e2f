#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The harness must fail when it should: kernel reports in a console log,
# failed or missing TAP results, result directories left empty or missing,
# a run-l1.sh that stops before or during a guest run (with a stand-in for
# QEMU), KUnit modules and suites that are missing or cut short (kunit.sh
# with stand-ins for insmod and rmmod). Runs on the host; prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../../scripts/env.sh"
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
	"UBSAN: array-index-out-of-bounds in samples/mtty/mvtty_main.c:12:3" \
	"ACPI Error: Aborting method \\_SB.PCI0._PRT due to previous error (AE_AML_LOOP_TIMEOUT)"; do
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
# the test kernels carry the fix (patches/vfio): there the report is a bug
{ echo "[    0.000000] Linux version 6.12.118-mvgpu-debug (root@vm) #1 SMP"
  printf '%s\n' "$clean"; lockdep_report '&iommu->device_list_lock' '&iommu->lock' \
	vfio_iommu_type1_unpin_pages ''; } >"$tmp/fixed.log"
tap_fails "scan-log does not excuse the VFIO report on a kernel with the fix" \
	"$vm/scan-log.sh" "$tmp/fixed.log"
{ printf '%s\n' "$clean"; echo "mvgpu-job: start on 6.12.118-mvgpu-test"
  lockdep_report '&iommu->device_list_lock' '&iommu->lock' \
	vfio_iommu_type1_unpin_pages ''; } >"$tmp/fixed2.log"
tap_fails "nor when only the job's first line names the kernel" \
	"$vm/scan-log.sh" "$tmp/fixed2.log"

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

# --- a stage that was meant to run and left nothing to count fails

mkdir -p "$tmp/r/empty"
out=$(bash "$here/../summary.sh" "$tmp/r/good" "$tmp/r/empty")
tap_is "summary counts an empty results directory as a failure" \
	"$(tail -n 1 <<<"$out")" "2 passed, 1 failed"
tap_like "... and says so" "$out" "empty: no results, no \*\.tap, \*\.ktap or vm-failed in"
out=$(bash "$here/../summary.sh" "$tmp/r/good" "$tmp/r/nonexistent")
tap_is "summary counts a missing results directory as a failure" \
	"$(tail -n 1 <<<"$out")" "2 passed, 1 failed"
tap_like "... and says so" "$out" "nonexistent: no results, .* does not exist"
mkdir -p "$tmp/r/other"
printf 'not a TAP file\n' >"$tmp/r/other/console.log"
tap_fails "summary fails a directory with logs but no TAP file" \
	bash "$here/../summary.sh" "$tmp/r/good" "$tmp/r/other"
tap_fails "summary fails when it is given no directory at all" bash "$here/../summary.sh"
printf 'the job failed with status 3\n' >"$tmp/r/vm/vm-failed"
out=$(bash "$here/../summary.sh" "$tmp/r/vm")
tap_like "summary tells why a guest failed, from its vm-failed marker" "$out" \
	"vm: the guest failed: the job failed with status 3"

# --- run-l1.sh: every way out that is not a finished run leaves vm-failed.
# A stand-in for QEMU, first in PATH, plays the guest's side: it writes
# the console log and the results a guest would, as $MVGPU_STUB says, and
# records that it was started. Never the test kernel here (run-l1.sh would
# build it) and never L2.
mkdir -p "$tmp/bin" "$tmp/out/vm"
cat >"$tmp/bin/qemu-system-x86_64" <<'EOT'
#!/bin/bash
# QEMU's stand-in for tests/host/harness.sh: boots nothing
for a; do
	case $a in
	file:*) console=${a#file:} ;;
	*mvgpu.job=*) job=${a#*mvgpu.job=}; job=${job%% *} ;;
	esac
done
res=$(dirname "$job")
echo $$ >"$STUB_STARTED"
log() { printf '[    1.000000] %s\n' "$@" >>"$console"; }
log "Linux version 6.12.0-stub" "mvgpu-job: start on 6.12.0-stub"
case $MVGPU_STUB in
pass|oops|jobfail)
	printf 'ok 1 - a\nok 2 - b\n1..2\n' >"$res/s.tap"
	[ "$MVGPU_STUB" = oops ] && log "BUG: kernel NULL pointer dereference, address: 0000000000000008"
	st=0
	[ "$MVGPU_STUB" = jobfail ] && st=3
	echo $st >"$res/exit-status"
	log "mvgpu-job: exit $st" ;;
notap)
	echo 0 >"$res/exit-status"
	log "mvgpu-job: exit 0" ;;
killed)	# in the middle of a suite
	log "mvgpu-suite: s"
	printf 'ok 1 - a\nok 2 - b\n' >"$res/s.tap"
	kill -KILL $$ ;;
console|consolecut)	# a job that lost 9p: results on the console only
	printf 'mvgpu-tap c: ok 1 - a\r\n' >>"$console"
	log "PM: suspend exit"
	printf 'mvgpu-tap c: not ok 2 - b\nmvgpu-tap c: 1..2\n' >>"$console"
	[ "$MVGPU_STUB" = consolecut ] || echo "mvgpu-console-exit: 0" >>"$console" ;;
hang) exec sleep 60 ;;
fail)
	echo "qemu-system-x86_64: -kernel: cannot load" >&2
	exit 1 ;;
esac
EOT
chmod +x "$tmp/bin/qemu-system-x86_64"
export STUB_STARTED=$tmp/qemu-started
# run_l1 [ARGS...]: run-l1.sh with the stand-in and its own output tree; sets out, rc
run_l1() {
	rm -f "$STUB_STARTED"
	out=$(env -u MVGPU_NEED_L2 -u MVGPU_KMOD_TAG PATH="$tmp/bin:$PATH" \
		MVGPU_OUT="$tmp/out" MVGPU_CACHE="$tmp/cache" \
		bash "$vm/run-l1.sh" "$@" 2>&1)
	rc=$?
}
res=$tmp/out/results
summary_of() { bash "$here/../summary.sh" "$res/$1" | tail -n 1; }
marker() { cat "$res/$1/vm-failed" 2>/dev/null; }
started() { [ -e "$STUB_STARTED" ] && echo "QEMU started" || echo "QEMU not started"; }

run_l1 --name early --kernel bogus -- true
tap_is "run-l1 with a bad option: fails, QEMU not started" "$rc $(started)" "1 QEMU not started"
tap_is "... and leaves vm-failed saying why" "$(marker early)" \
	"run-l1 stopped while reading the options: --kernel is debian or test, not 'bogus'"
tap_is "... which summary counts as a failure" "$(summary_of early)" "0 passed, 1 failed"
run_l1 --name nocmd --timeout 10
tap_is "run-l1 without a command: vm-failed saying why" "$rc $(marker nocmd)" \
	"1 run-l1 stopped while reading the options: no command"
mkdir -p "$res/l1"
echo 'ok 1 - kept' >"$res/l1/keep.tap"
run_l1 --nmae l1-typo -- true
tap_is "run-l1 with a mistyped --name fails and leaves the default l1/ alone" \
	"$rc $(ls "$res/l1")" "1 keep.tap"

rel=$(mvgpu_debian_release)
if [ -z "$rel" ] || ! MVGPU_CACHE=$tmp/cache "$vm/kernel/build.sh" --if-built test >/dev/null 2>&1
then
	why="needs the Debian 6.12 kernel and linux-source-6.12 (make deps)"
	for t in "QEMU not started: the initramfs step failed" "a passing guest" \
		"a guest killed in a suite" "a guest that left no TAP file" "a timeout" \
		"QEMU that fails" "a kernel report" "a failed job" "SIGTERM stops the guest" \
		"results on the console" "results on the console, no exit status"; do
		tap_skip "run-l1 and summary: $t" "$why"
	done
else
	# run-l1 builds no initramfs when there is one
	touch "$tmp/out/vm/initramfs-vmlinuz-$rel.cpio.gz"
	mv "$tmp/out/vm" "$tmp/out/vm.keep"
	touch "$tmp/out/vm"
	run_l1 --name noinitrd -- true
	rm "$tmp/out/vm"
	mv "$tmp/out/vm.keep" "$tmp/out/vm"
	tap_like "run-l1 stopped by set -e before QEMU: vm-failed names the command, QEMU not started" \
		"$rc $(started), $(marker noinitrd)" \
		'^1 QEMU not started, run-l1 stopped while building the initramfs: exit status 1 at line [0-9]+: mkdir '
	tap_is "... which summary counts as a failure" "$(summary_of noinitrd)" "0 passed, 1 failed"

	MVGPU_STUB=pass run_l1 --name pass -- true
	tap_is "run-l1 and summary: a passing guest passes (no vm-failed)" \
		"$rc $(marker pass) $(summary_of pass)" "0  2 passed, 0 failed"
	MVGPU_STUB=killed run_l1 --name killed -- true
	tap_is "run-l1 and summary: a guest killed in a suite fails (a plan short, vm-failed)" \
		"$rc $(summary_of killed)" "1 2 passed, 2 failed"
	tap_is "... vm-failed says why" "$(marker killed | tr '\n' '|')" \
		"QEMU was killed (SIGKILL: 600s timeout, or from outside)|the job did not finish|"
	MVGPU_STUB=notap run_l1 --name notap -- true
	tap_is "run-l1 and summary: a guest that finished but left no TAP file fails" \
		"$rc $(summary_of notap)" "0 0 passed, 1 failed"
	MVGPU_STUB=hang run_l1 --name hang --timeout 1 -- true
	tap_is "run-l1 and summary: a timeout fails" "$rc $(summary_of hang)" "1 0 passed, 1 failed"
	tap_is "... vm-failed says why" "$(marker hang | tr '\n' '|')" \
		"TIMEOUT after 1s|the job did not finish|"
	MVGPU_STUB=fail run_l1 --name qfail -- true
	tap_is "run-l1 and summary: QEMU that fails fails" "$rc $(marker qfail | head -n 1)" \
		"1 QEMU failed with status 1"
	MVGPU_STUB=oops run_l1 --name oops -- true
	tap_is "run-l1 and summary: a kernel report fails the run, its tests passed" \
		"$rc $(summary_of oops) $(marker oops)" \
		"1 2 passed, 1 failed the guest kernel reported a problem, first: '[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008' (see $res/oops/console.log)"
	MVGPU_STUB=jobfail run_l1 --name jobfail -- true
	tap_is "run-l1 and summary: a failed job fails" "$rc $(summary_of jobfail) $(marker jobfail)" \
		"1 2 passed, 1 failed the job failed with status 3"
	MVGPU_STUB=console run_l1 --name console -- true
	tap_is "run-l1 and summary: results on the console are collected, their failure counted" \
		"$rc $(summary_of console) $(cat "$res/console/c.tap" | tr '\n' '|')" \
		"0 1 passed, 1 failed ok 1 - a|not ok 2 - b|1..2|"
	MVGPU_STUB=consolecut run_l1 --name consolecut -- true
	tap_is "run-l1 and summary: results on the console without an exit status fail" \
		"$rc $(summary_of consolecut) $(marker consolecut)" \
		"1 1 passed, 2 failed the job did not finish"

	rm -f "$STUB_STARTED"
	MVGPU_STUB=hang env -u MVGPU_NEED_L2 -u MVGPU_KMOD_TAG PATH="$tmp/bin:$PATH" \
		MVGPU_OUT="$tmp/out" MVGPU_CACHE="$tmp/cache" \
		bash "$vm/run-l1.sh" --name term --timeout 60 -- true >"$tmp/term.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ -s "$STUB_STARTED" ] && break
		sleep 0.1
	done
	qpid=$(cat "$STUB_STARTED" 2>/dev/null)
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	if [ -z "$qpid" ]; then
		state="QEMU not started"
	elif kill -0 "$qpid" 2>/dev/null; then
		state="QEMU still running"
		kill "$qpid"
	else
		state="QEMU stopped"
	fi
	tap_is "run-l1 and summary: SIGTERM stops the guest and leaves vm-failed" \
		"$rc $state, $(marker term)" \
		"143 QEMU stopped, run-l1 stopped while running the guest: interrupted (SIGTERM)"
fi

# --- kunit.sh knows its suites: the list matches the sources, and a
# missing module or suite, or a suite's KTAP without a plan or results,
# fails. kunit.sh runs here with stand-ins for modprobe, insmod and rmmod
# first in PATH: loading a fake KUnit module "registers" its suites in a
# fake debugfs directory, as listed in $KFAKE/MODULE.suites.
top=$here/../..
src_list=$(for f in "$top"/drivers/*/*_kunit.c "$top"/samples/*/*_kunit.c; do
	awk -v m="$(basename "$f" .c)" '
	/struct kunit_suite .*=/ { in_suite = 1 }
	in_suite {
		s = $0
		while (match(s, /\.name = "[^"]*"/)) {
			print m, substr(s, RSTART + 9, RLENGTH - 10)
			s = substr(s, RSTART + RLENGTH)
		}
	}
	/^};/ { in_suite = 0 }' "$f"
done | sort)
list=$(bash "$vm/suites/kunit.sh" --list | awk '{ for (i = 2; i <= NF; i++) print $1, $i }' | sort)
tap_is "kunit.sh lists every KUnit module and suite of drivers/ and samples/" "$list" "$src_list"
tap_like "... which are not none" "$(wc -l <<<"$list")" '^[1-9]'

kf=$tmp/kunit
mkdir -p "$kf/bin"
cat >"$kf/bin/insmod" <<'EOT'
#!/bin/bash
# insmod's stand-in for kunit.sh's tests
m=$(basename "$1" .ko)
[ -e "$KFAKE/$m.fail" ] && { echo "insmod: ERROR: could not insert module $1" >&2; exit 1; }
for s in $(cat "$KFAKE/$m.suites" 2>/dev/null); do
	mkdir -p "$MVGPU_KUNIT_DEBUGFS/$s"
	cp "$KFAKE/$s.ktap" "$MVGPU_KUNIT_DEBUGFS/$s/results"
done
EOT
cat >"$kf/bin/rmmod" <<'EOT'
#!/bin/bash
# rmmod's stand-in for kunit.sh's tests
for s in $(cat "$KFAKE/$1.suites" 2>/dev/null); do
	rm -rf "${MVGPU_KUNIT_DEBUGFS:?}/$s"
done
EOT
printf '#!/bin/sh\n# modprobe'"'"'s stand-in for kunit.sh'"'"'s tests\nexit 0\n' >"$kf/bin/modprobe"
# the fake modules depend on nothing
printf '#!/bin/sh\n# modinfo'"'"'s stand-in for kunit.sh'"'"'s tests\nexit 0\n' >"$kf/bin/modinfo"
chmod +x "$kf/bin/"*

# ktap SUITE: a suite's debugfs results, two cases that pass
ktap() {
	printf 'KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: %s\n    1..2\n' "$1"
	printf '    ok 1 %s_one\n    ok 2 %s_two\n' "$1" "$1"
	printf '# %s: pass:2 fail:0 skip:0 total:2\nok 1 %s\n' "$1" "$1"
}
# kunit_fake: a build of every module with every suite it should register
kunit_fake() {
	local m s
	rm -rf "$kf/kmod" "$kf/fake" "$kf/debugfs" "$kf/results"
	mkdir -p "$kf/kmod" "$kf/fake" "$kf/debugfs/builtin_suite" "$kf/results"
	for m in mvgpu_vpci mvtty simgpu mvgpu; do
		: >"$kf/kmod/$m.ko"
	done
	while read -r m s; do
		: >"$kf/kmod/$m.ko"
		echo "$s" >>"$kf/fake/$m.suites"
		ktap "$s" >"$kf/fake/$s.ktap"
	done <<<"$list"
}
# run_kunit: kunit.sh on the fake build; sets out (its TAP), rc and sum
# (the summary's last line)
run_kunit() {
	env PATH="$kf/bin:$PATH" KFAKE="$kf/fake" MVGPU_KUNIT_DEBUGFS="$kf/debugfs" \
		MVGPU_TOP="$top" MVGPU_KMOD="$kf/kmod" MVGPU_RESULTS="$kf/results" \
		MVGPU_MODDIR="" bash "$vm/suites/kunit.sh" >/dev/null 2>&1
	rc=$?
	out=$(cat "$kf/results/kunit-modules.tap" 2>/dev/null)
	sum=$(bash "$here/../summary.sh" "$kf/results" | tail -n 1)
}
read -r nmod nsuites < <(bash "$vm/suites/kunit.sh" --list | awk '{ m++; s += NF - 1 } END { print m, s }')
# one result for debugfs, the modules under test, each module's insmod and
# rmmod, each suite, and the unload; two cases per suite in its KTAP
kunit_fake
run_kunit
tap_is "kunit.sh: every module and suite there: passes" "$rc $sum" \
	"0 $((3 + 2 * nmod + nsuites + 2 * nsuites)) passed, 0 failed"

# kunit_fails DESC REGEX...: kunit.sh failed, its TAP has a line matching
# each REGEX, and the summary counts a failure
kunit_fails() {
	local desc=$1 re miss=
	shift
	for re; do
		grep -E -q -- "$re" <<<"$out" || miss+=" '$re'"
	done
	if [ "$rc" != 0 ] && [ -z "$miss" ] && ! grep -q ' 0 failed' <<<"$sum"; then
		tap_ok "kunit.sh: $desc"
	else
		tap_not_ok "kunit.sh: $desc"
		tap_diag "exit status $rc, summary '$sum', no TAP line matches:$miss" "$out"
	fi
}
# one run with a fault in every module, each fault reported on its own
kunit_fake
rm "$kf/kmod/mvtty_kunit.ko"
sed -i '/^mvgpu_csb$/d' "$kf/fake/mvgpu_kunit.suites"
sed -i '/^    1\.\./d' "$kf/fake/mvgpu_cfg.ktap"
echo mvgpu_extra >>"$kf/fake/mvgpu_kunit.suites"
ktap mvgpu_extra >"$kf/fake/mvgpu_extra.ktap"
touch "$kf/fake/mvgpu_scan_kunit.fail"
: >"$kf/fake/simgpu_blit.ktap"
printf 'KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: simgpu_context\n    1..0\nok 1 simgpu_context\n' \
	>"$kf/fake/simgpu_context.ktap"
head -n 6 "$kf/fake/simgpu_watchdog.ktap" >"$kf/fake/cut"
mv "$kf/fake/cut" "$kf/fake/simgpu_watchdog.ktap"
run_kunit
kunit_fails "a module that was not built fails, and so do its suites" \
	'^not ok [0-9]+ - mvtty_kunit\.ko is built' \
	'^not ok [0-9]+ - suite mvtty_uart: not run, mvtty_kunit\.ko is missing' \
	'^not ok [0-9]+ - suite mvtty_cfg: not run, mvtty_kunit\.ko is missing'
kunit_fails "a module that does not load fails, and so do its suites" \
	'^not ok [0-9]+ - insmod mvgpu_scan_kunit$' \
	'^not ok [0-9]+ - suite mvgpu_scan: not run, mvgpu_scan_kunit did not load' \
	'^not ok [0-9]+ - suite mvgpu_sched: not run, mvgpu_scan_kunit did not load'
kunit_fails "a suite that is not registered fails" \
	'^not ok [0-9]+ - suite mvgpu_csb: registered by mvgpu_kunit \(no '
kunit_fails "a suite that is not in the list fails" \
	'^not ok [0-9]+ - suite mvgpu_extra: registered by mvgpu_kunit, but not listed in kunit\.sh'
kunit_fails "a suite whose KTAP has no plan fails" \
	'^not ok [0-9]+ - suite mvgpu_cfg: ran to its end: its KTAP has no plan'
kunit_fails "a suite with an empty KTAP fails" \
	'^not ok [0-9]+ - suite simgpu_blit: ran to its end: its KTAP is empty'
kunit_fails "a suite without results fails" \
	'^not ok [0-9]+ - suite simgpu_context: ran to its end: its KTAP has a plan of 0 but 0 results'
kunit_fails "a suite cut short fails" \
	'^not ok [0-9]+ - suite simgpu_watchdog: ran to its end: its KTAP has a plan of 2 but 1 results'
tap_is "kunit.sh: ... and the suites without a fault pass" \
	"$(grep -E '^(not )?ok [0-9]+ - suite ' <<<"$out" | grep -c ' - suite [a-z_]*: ran to its end, 2 cases')" \
	$((nsuites - 9))
kunit_fake
touch "$kf/fake/mvgpu.fail"
run_kunit
kunit_fails "the modules under test not loading fails every suite" \
	"^not ok [0-9]+ - vfio, mdev, mvtty, simgpu and mvgpu load"
tap_is "... $nsuites suites not run" \
	"$(grep -c '^not ok [0-9]* - suite .*: not run, the modules under test did not load' <<<"$out")" \
	"$nsuites"

tap_done
