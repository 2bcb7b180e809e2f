#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot an L1 guest under QEMU TCG and run a command in it.
#
# Usage: run-l1.sh [options] -- COMMAND...
#   --kernel debian|test   stock Debian 6.12 kernel (default) or the test kernel
#   --debug                the debug variant of the test kernel
#   --name NAME            results go to build/results/NAME (default: l1)
#   --timeout SECONDS      whole-run limit (default: 600)
#   --mem SIZE             guest memory (default: 4G)
#   --show                 also print the guest console (kernel messages quiet)
#
# The guest sees the machine's root read-only and the work tree writable at
# the same path. COMMAND runs with bash in the work tree with these set:
#   MVGPU_TOP       the work tree
#   MVGPU_OUT       build outputs (inside the work tree: guests write there)
#   MVGPU_RESULTS   where to put TAP/KTAP files (*.tap)
#   MVGPU_KMOD      the project's modules built for the running kernel
#   MVGPU_KERNEL    the test kernel directory (for L2 and its modules)
#   MVGPU_MODDIR    modprobe -d argument for the running kernel ("" = /)
# MVGPU_KMOD_TAG picks another build of the modules (scripts/build-kmod.sh TAG).
# Fails on a non-zero exit of COMMAND, a timeout, a QEMU error, or any
# kernel oops, WARN, BUG, KASAN, lockdep or kmemleak report in the console
# log. Every failure, also one before QEMU starts (a kernel that is not
# built, an initramfs that does not build, a bad option), leaves
# build/results/NAME/vm-failed saying why, which tests/summary.sh counts.
# A job that loses the 9p share before it ends (tests/vm/suites/suspend.sh)
# prints its TAP as "mvgpu-tap NAME: LINE" and its exit status as
# "mvgpu-console-exit: RC" on the console; they are collected from there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/env.sh"

# Whatever ends this script early (set -e, die, a signal) must still leave
# the vm-failed marker: a run that never booted has no TAP file to fail.
results='' name=l1 step="reading the options" failed_cmd='' why='' qemu_pid=''
on_exit() {
	local rc=$1
	if [ -n "$qemu_pid" ]; then
		kill "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	[ "$rc" -ne 0 ] || return 0
	# the checks after a guest run write their own reasons
	[ -n "$results" ] && [ -e "$results/vm-failed" ] && return 0
	[ -n "$why" ] || why="exit status $rc${failed_cmd:+ at $failed_cmd}"
	if [ -z "$results" ]; then
		echo "run-l1: FAILED while $step: $why" >&2
		return 0
	fi
	echo "vm: $name: FAILED while $step: $why" >&2
	[ -d "$results" ] || return 0
	echo "run-l1 stopped while $step: $why" >"$results/vm-failed"
}
trap 'failed_cmd="line $LINENO: $BASH_COMMAND"' ERR
trap 'on_exit $?' EXIT
trap 'why="interrupted (SIGHUP)"; exit 129' HUP
trap 'why="interrupted (SIGINT)"; exit 130' INT
trap 'why="interrupted (SIGTERM)"; exit 143' TERM
die() {
	why=$*
	exit 1
}

kernel=debian variant=test timeout=600 mem=4G show=0 bad='' named=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel|--name|--timeout|--mem)
		if [ $# -lt 2 ]; then
			bad="option $1 needs an argument"
			break
		fi
		case $1 in
		--kernel) kernel=$2 ;;
		--name) name=$2 named=1 ;;
		--timeout) timeout=$2 ;;
		--mem) mem=$2 ;;
		esac
		shift 2 ;;
	--debug) variant=debug; shift ;;
	--show) show=1; shift ;;
	--) shift; break ;;
	# read on: a --name further on still tells where to record this
	*) bad=${bad:-"unknown option $1"}; shift ;;
	esac
done
case $name in
''|.|..|*/*) die "--name '$name' is not a directory name" ;;
esac
# a mistyped --name must not clear another run's results
[ -z "$bad" ] || [ $named = 1 ] || die "$bad"

results=$MVGPU_OUT/results/$name
rm -rf "$results"
mkdir -p "$results"
[ -z "$bad" ] || die "$bad"
[ $# -gt 0 ] || die "no command"
case $kernel in
debian|test) ;;
*) die "--kernel is debian or test, not '$kernel'" ;;
esac
case $timeout in
''|*[!0-9]*|0) die "--timeout '$timeout' is not a number of seconds" ;;
esac

step="finding the kernel"
# The test kernel boots L1 for --kernel test, and is L2's kernel otherwise.
if [ "$kernel" = test ] || [ -n "${MVGPU_NEED_L2:-}" ]; then
	testk=$("$here/kernel/build.sh" "$variant")
else
	testk=$("$here/kernel/build.sh" --if-built "$variant")
fi
case $kernel in
debian)
	rel=$(mvgpu_debian_release)
	[ -n "$rel" ] || die "the Debian 6.12 kernel image is not installed (make deps)"
	vmlinuz=/boot/vmlinuz-$rel
	modtree=/lib/modules/$rel
	kmod=$MVGPU_OUT/kmod/${MVGPU_KMOD_TAG:-debian}
	moddir=
	;;
test)
	vmlinuz=$testk/bzImage
	modtree=
	kmod=$MVGPU_OUT/kmod/${MVGPU_KMOD_TAG:-$variant}
	moddir=$testk/modules
	;;
esac
[ -f "$vmlinuz" ] || die "no kernel image $vmlinuz"

step="building the initramfs"
# keyed by the kernel release: its 9p modules are packed
initrd=$MVGPU_OUT/vm/initramfs-$(basename "$vmlinuz").cpio.gz
mkdir -p "$(dirname "$initrd")"
if [ ! -f "$initrd" ] || [ "$here/guest/init" -nt "$initrd" ] ||
	[ "$here/initramfs.sh" -nt "$initrd" ]; then
	"$here/initramfs.sh" "$initrd" "$modtree"
fi

step="writing the job"
job=$results/job
{
	echo "export MVGPU_TOP=$(printf %q "$MVGPU_TOP")"
	echo "export MVGPU_OUT=$(printf %q "$MVGPU_OUT")"
	echo "export MVGPU_RESULTS=$(printf %q "$results")"
	echo "export MVGPU_KMOD=$(printf %q "$kmod")"
	echo "export MVGPU_KERNEL=$(printf %q "$testk")"
	echo "export MVGPU_MODDIR=$(printf %q "$moddir")"
	echo "cd \"\$MVGPU_TOP\""
	printf '%q ' "$@"
	echo
} >"$job"

console=$results/console.log
echo "vm: $name: booting $kernel kernel (log: $console)"
serial=(-serial "file:$console")
# Under emulation (more so with KASAN and lockdep) a CPU can look stalled
# for longer than RCU's default 21 s while the host is busy.
append="console=ttyS0 panic=-1 rcupdate.rcu_cpu_stall_timeout=300"
append+=" mvgpu.job=$job mvgpu.top=$MVGPU_TOP"
if [ $show = 1 ]; then
	serial=(-chardev "stdio,id=con,signal=off,logfile=$console" -serial chardev:con)
	append+=" loglevel=4"
fi
step="running the guest"
# q35, as L2: on pc, a debug kernel can take longer than ACPICA's 30 s to
# run the AML loop that builds the PCI interrupt routing (an ACPI error)
# in the background: a signal then stops the guest too (on_exit) instead
# of waiting for it to end
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg,thread=multi -cpu max -smp 2 -m "$mem" \
	-display none -monitor none -no-reboot \
	"${serial[@]}" \
	-kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$MVGPU_TOP,mount_tag=work,security_model=none,multidevs=remap" \
	</dev/null &
qemu_pid=$!
wait "$qemu_pid"
qrc=$?
qemu_pid=
set -e

step="checking the results"
reasons=()
failed() {	# REASON
	echo "vm: $name: $*"
	reasons+=("$*")
}
case $qrc in
0) ;;
124) failed "TIMEOUT after ${timeout}s" ;;
137) failed "QEMU was killed (SIGKILL: ${timeout}s timeout, or from outside)" ;;
*) failed "QEMU failed with status $qrc" ;;
esac
# A job that loses the 9p share before its end (tests/vm/suites/suspend.sh)
# reports on the console: "mvgpu-tap NAME: LINE" and "mvgpu-console-exit: RC".
if [ -s "$console" ] && [ ! -f "$results/exit-status" ] &&
	grep -q '^mvgpu-\(tap [^ ]*\|console-exit\): ' "$console"; then
	tr -d '\r' <"$console" | awk -v dir="$results" '
		/^mvgpu-tap [A-Za-z0-9_.-]+: / {
			n = $2
			sub(/:$/, "", n)
			line = $0
			sub(/^mvgpu-tap [^ ]+ /, "", line)
			print line >(dir "/" n ".tap")
		}
		/^mvgpu-console-exit: [0-9]/ { rc = $2 }
		END { if (rc != "") print rc >(dir "/exit-status") }'
fi
if [ ! -s "$console" ]; then
	failed "the guest wrote nothing to its console ($console)"
elif ! report=$("$here/scan-log.sh" "$console"); then
	# the first line of the report: CI logs may show only the summary
	failed "the guest kernel reported a problem, first: '$(head -n 1 <<<"$report" |
		sed 's/^[0-9]*://' | cut -c 1-200)' (see $console)"
fi
if [ ! -f "$results/exit-status" ]; then
	failed "the job did not finish"
elif [ "$(cat "$results/exit-status")" != 0 ]; then
	failed "the job failed with status $(cat "$results/exit-status")"
fi
if [ ${#reasons[@]} -ne 0 ]; then
	echo "---- last lines of $console ----"
	tail -n 40 "$console" 2>/dev/null
	echo "----"
	printf '%s\n' "${reasons[@]}" >"$results/vm-failed"
	exit 1
fi
exit 0
