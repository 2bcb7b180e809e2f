#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One compile-time probe of the kernel API, for scripts/compat.mk.
#
# Usage: probe.sh NAME MACRO 'IDENTIFIERS' COMPILER [FLAGS...]
#
# Compiles scripts/compat/NAME.c with the compiler command. If it builds,
# prints -DMVGPU_HAVE_MACRO: the kernel has the feature. If it does not,
# the feature may be missing, or the probe may be broken (a new warning
# under -Werror, a header that moved, a typo), and a broken probe must not
# quietly turn a feature off. So the probe is taken as "feature missing"
# only when both hold:
#
# - its control compiles: the same file with -DMVGPU_PROBE_CONTROL, where
#   the use of the feature is left out, so everything else in the probe is
#   known to build with these flags (headers, prototypes, warnings);
# - every error of the probe is what a missing declaration or member gives
#   (undeclared, implicit declaration, no such member or field, wrong
#   number of arguments) and names one of IDENTIFIERS, the names the
#   feature brings.
#
# Then it prints nothing. Otherwise it prints the compiler's output and why
# on standard error and MVGPU_PROBE_BROKEN on standard output, for
# compat.mk to stop the build.
set -u
name=$1 macro=$2 idents=$3
shift 3
src=$(dirname "$0")/$name.c
out=$(mktemp) && ctl=$(mktemp) || exit 1
trap 'rm -f "$out" "$ctl"' EXIT
# ASCII quotes around identifiers in the messages
LC_ALL=C
export LC_ALL

broken() {	# WHY [OUTPUT]
	{
		echo "mvgpu: compat probe $name ($src) is broken: $1."
		echo "mvgpu: it decides MVGPU_HAVE_$macro; fix the probe rather than lose the feature."
		echo "mvgpu: compiler output:"
		sed 's/^/    /' "${2:-$out}"
	} >&2
	echo MVGPU_PROBE_BROKEN
	exit 0
}

if "$@" "$src" >"$out" 2>&1; then
	echo "-DMVGPU_HAVE_$macro"
	exit 0
fi
"$@" -DMVGPU_PROBE_CONTROL "$src" >"$ctl" 2>&1 ||
	broken "even its control (-DMVGPU_PROBE_CONTROL: the feature's use left out) does not compile" "$ctl"
grep -q 'error:' "$out" || broken "it failed without an error message"
kinds="undeclared|implicit declaration of function|has no member named|no member named"
kinds="$kinds|unknown field|too few arguments to function|too many arguments to function"
named=
for id in $idents; do
	named="$named${named:+|}'$id'"
done
# a suggestion ("did you mean 'inode'?") is not what the error is about;
# clang's argument count errors name no function
unexpected=$(grep 'error:' "$out" | sed 's/; did you mean .*//' | grep -v -E "($kinds).*($named)|($named).*($kinds)" |
	     grep -v -E 'too (few|many) arguments to function call')
[ -z "$unexpected" ] ||
	broken "it has errors that a missing $(echo "$idents" | sed 's/ / or /g') does not explain"
exit 0
