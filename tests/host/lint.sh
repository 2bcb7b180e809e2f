#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Static checks as TAP: a W=1 build with sparse (C=2), checkpatch --strict,
# and a compile check against the 6.1 headers. Writes
# build/results/lint/lint.tap.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/env.sh"

res=$MVGPU_OUT/results/lint
mkdir -p "$res"
tap=$res/lint.tap
: >"$tap"
n=0 failed=0

result() {	# result OK|FAIL DESCRIPTION [DETAIL_FILE]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2" | tee -a "$tap"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2" | tee -a "$tap"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3" | head -n 60 | tee -a "$tap"
	fi
}

# A build is clean when its log has no diagnostics.
build_clean() {	# TAG KDIR DESCRIPTION [make args]
	local tag=$1 kdir=$2 desc=$3 log
	shift 3
	log=$MVGPU_OUT/kmod/$tag.log
	if [ -z "$kdir" ]; then
		echo "no kernel tree for $tag" >"$res/$tag.err"
		result FAIL "$desc" "$res/$tag.err"
	elif ! "$MVGPU_TOP/scripts/build-kmod.sh" "$tag" "$kdir" "$@" >/dev/null 2>&1; then
		result FAIL "$desc (build failed)" "$log"
	elif grep -E -q '(warning|error):' "$log"; then
		grep -E '(warning|error):' "$log" >"$res/$tag.err"
		result FAIL "$desc" "$res/$tag.err"
	else
		result OK "$desc"
	fi
}

k612=$(mvgpu_kdir_612)
k61=$(mvgpu_kdir_61)
# one build for both: the compiler's W=1 warnings and sparse's reports
build_clean lint-w1 "$k612" \
	"W=1 build and sparse (C=2) against $(basename "$k612"): no warnings, no reports" \
	W=1 C=2 CHECK="sparse -Wno-unknown-attribute"
build_clean lint-6.1 "$k61" "compiles without warnings against $(basename "${k61:-6.1}")" W=1

# checkpatch.pl and its data files come from Debian's linux-source tarball.
cp_dir=$MVGPU_CACHE/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	src_tar=$(mvgpu_newest '/usr/src/linux-source-6.12.tar.*')
	mkdir -p "$cp_dir"
	tar -C "$cp_dir" --strip-components=1 -xf "$src_tar" \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi
checkpatch() {	# DESCRIPTION CHECKPATCH-OPTIONS -- PATHSPECS
	local desc=$1 opts=() files
	shift
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	mapfile -t files < <(cd "$MVGPU_TOP" && git ls-files -co --exclude-standard "$@" | sort -u)
	if (cd "$MVGPU_TOP" && perl "$cp_dir/scripts/checkpatch.pl" --no-tree --strict \
		--quiet --show-types "${opts[@]}" -f "${files[@]}") >"$res/checkpatch-$n.out" 2>&1; then
		result OK "checkpatch --strict is clean on ${#files[@]} $desc"
	else
		result FAIL "checkpatch --strict on $desc" "$res/checkpatch-$n.out"
	fi
}
checkpatch "kernel source files" -- 'drivers/*.[ch]' 'samples/*.[ch]' 'include/*.h' \
	'scripts/compat/*.c'
# Userspace programs use the C library's types, format macros (PRIx64) and
# attribute syntax.
checkpatch "userspace source files" \
	--ignore PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO,CAMELCASE \
	-- 'tests/*.[ch]' 'tools/*.[ch]'

# The kernel patches the test kernel carries, as patches (commit messages
# too); commit ids cannot be looked up without the kernel's history. Each
# goes in on standard input: given the name of a file git tracks,
# checkpatch checks it as a source file instead.
mapfile -t kpatches < <(cd "$MVGPU_TOP" && git ls-files -co --exclude-standard 'patches/*.patch')
kp_ok=1
for p in "${kpatches[@]}"; do
	echo "$p:"
	(cd "$MVGPU_TOP" && perl "$cp_dir/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--show-types --ignore UNKNOWN_COMMIT_ID - <"$p") || kp_ok=0
done >"$res/checkpatch-patches.out" 2>&1
if [ $kp_ok = 1 ] && [ ${#kpatches[@]} -gt 0 ]; then
	result OK "checkpatch --strict is clean on ${#kpatches[@]} kernel patches"
else
	result FAIL "checkpatch --strict on the kernel patches" "$res/checkpatch-patches.out"
fi

echo "1..$n" >>"$tap"
[ $failed -eq 0 ]
