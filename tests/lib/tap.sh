# SPDX-License-Identifier: GPL-2.0-only
# TAP output for shell test suites. Source it, call the checks, end with
# tap_done. Output goes to stdout; diagnostics are "# " lines.

TAP_N=0
TAP_FAILED=0

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

tap_diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# tap_skip DESC REASON: a check that is not run here, and why
tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# tap_run DESC CMD...: passes when CMD exits 0
tap_run() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
		tap_diag "command: $*" "$out"
	fi
}

# tap_fails DESC CMD...: passes when CMD exits non-zero
tap_fails() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_not_ok "$desc"
		tap_diag "command succeeded but should have failed: $*" "$out"
	else
		tap_ok "$desc"
	fi
}

# tap_is DESC GOT WANT
tap_is() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1"
		tap_diag "got:  '$2'" "want: '$3'"
	fi
}

# tap_like DESC GOT REGEX (extended regular expression)
tap_like() {
	if printf '%s' "$2" | grep -E -q -- "$3"; then
		tap_ok "$1"
	else
		tap_not_ok "$1"
		tap_diag "got:  '$2'" "want match: '$3'"
	fi
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
