#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Count the results of every TAP (*.tap) and KTAP (*.ktap) file under the
# given result directories, per suite and in total. A VM that failed
# (vm-failed marker, which says why) or a TAP file whose plan does not
# match counts as a failed test. So does every directory given that is
# missing, or holds neither a TAP file nor a vm-failed marker: each one is
# a stage that was meant to run and left nothing to count. The last line
# is "N passed, N failed".
# Usage: summary.sh DIR...
set -u
total_pass=0 total_fail=0 total_skip=0

count() {	# FILE INDENT: prints "pass fail skip planned"
	awk -v ind="$2" '
	function strip(s) { return substr(s, length(ind) + 1) }
	index($0, ind) == 1 {
		l = strip($0)
		if (l ~ /^ /) next
		if (l ~ /^ok [0-9]+/) { if (l ~ /# SKIP/) s++; else p++ }
		else if (l ~ /^not ok [0-9]+/) { if (l ~ /# SKIP/) s++; else f++ }
		else if (l ~ /^1\.\.[0-9]+/) plan += substr(l, 4) + 0
	}
	END { printf "%d %d %d %d\n", p, f, s, plan }' "$1"
}

if [ $# -eq 0 ]; then
	echo "  summary: no result directory given: nothing ran"
	total_fail=1
fi
for dir in "$@"; do
	if [ ! -d "$dir" ]; then
		echo "  $(basename "$dir"): no results, $dir does not exist"
		total_fail=$((total_fail + 1))
		continue
	fi
	found=0
	while IFS= read -r f; do
		found=$((found + 1))
		case $f in
		*.ktap) read -r p fl s plan < <(count "$f" "    ") ;;
		*) read -r p fl s plan < <(count "$f" "") ;;
		esac
		if [ $((p + fl + s)) -ne "$plan" ] || [ "$plan" -eq 0 ]; then
			echo "  $f: plan of $plan but $((p + fl + s)) results"
			fl=$((fl + 1))
		fi
		printf '  %-40s %3d passed, %d failed%s\n' "$(basename "${f%.*}")" "$p" "$fl" \
			"$([ "$s" -gt 0 ] && echo ", $s skipped")"
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + fl))
		total_skip=$((total_skip + s))
	done < <(find "$dir" -name '*.tap' -o -name '*.ktap' | sort)
	while IFS= read -r m; do
		found=$((found + 1))
		# run-l1.sh writes why; older markers hold just "1"
		why=$(head -c 1000 "$m" | tr -s '\n' ' ' | sed 's/ $//')
		case $why in
		''|1) why="timeout, kernel report or job error" ;;
		esac
		echo "  $(basename "$(dirname "$m")"): the guest failed: $why"
		total_fail=$((total_fail + 1))
	done < <(find "$dir" -name vm-failed | sort)
	if [ $found -eq 0 ]; then
		echo "  $(basename "$dir"): no results, no *.tap, *.ktap or vm-failed in $dir"
		total_fail=$((total_fail + 1))
	fi
done

if [ $total_skip -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ $total_fail -eq 0 ]
