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
# Fails on a non-zero exit of COMMAND, a timeout, or any kernel oops, WARN,
# BUG, KASAN, lockdep or kmemleak report in the console log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/env.sh"

kernel=debian variant=test name=l1 timeout=600 mem=4G show=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--debug) variant=debug; shift ;;
	--name) name=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--show) show=1; shift ;;
	--) shift; break ;;
	*) mvgpu_die "run-l1: unknown option $1" ;;
	esac
done
[ $# -gt 0 ] || mvgpu_die "run-l1: no command"

results=$MVGPU_OUT/results/$name
rm -rf "$results"
mkdir -p "$results"

# The test kernel boots L1 for --kernel test, and is L2's kernel otherwise.
if [ "$kernel" = test ] || [ -n "${MVGPU_NEED_L2:-}" ]; then
	testk=$("$here/kernel/build.sh" "$variant")
else
	testk=$("$here/kernel/build.sh" --if-built "$variant")
fi
case $kernel in
debian)
	rel=$(mvgpu_debian_release)
	[ -n "$rel" ] || mvgpu_die "the Debian 6.12 kernel image is not installed (make deps)"
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
*) mvgpu_die "run-l1: --kernel is debian or test" ;;
esac

# keyed by the kernel release: its 9p modules are packed
initrd=$MVGPU_OUT/vm/initramfs-$(basename "$vmlinuz").cpio.gz
mkdir -p "$(dirname "$initrd")"
if [ ! -f "$initrd" ] || [ "$here/guest/init" -nt "$initrd" ] ||
	[ "$here/initramfs.sh" -nt "$initrd" ]; then
	"$here/initramfs.sh" "$initrd" "$modtree"
fi

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
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 \
	-accel tcg,thread=multi -cpu max -smp 2 -m "$mem" \
	-display none -monitor none -no-reboot \
	"${serial[@]}" \
	-kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$MVGPU_TOP,mount_tag=work,security_model=none,multidevs=remap" \
	</dev/null
qrc=$?
set -e

fail=0
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	echo "vm: $name: TIMEOUT after ${timeout}s"
	fail=1
fi
if ! "$here/scan-log.sh" "$console"; then
	echo "vm: $name: the guest kernel reported a problem (see $console)"
	fail=1
fi
if [ ! -f "$results/exit-status" ]; then
	echo "vm: $name: the job did not finish"
	fail=1
elif [ "$(cat "$results/exit-status")" != 0 ]; then
	echo "vm: $name: the job failed with status $(cat "$results/exit-status")"
	fail=1
fi
if [ $fail -ne 0 ]; then
	echo "---- last lines of $console ----"
	tail -n 40 "$console"
	echo "----"
	echo 1 >"$results/vm-failed"
fi
exit $fail
