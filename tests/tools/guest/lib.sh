# SPDX-License-Identifier: GPL-2.0-only
# What the guest tests of the tools share; sourced after tests/lib/tap.sh.

# jq_is DESC JSON FILTER WANT: FILTER of the JSON is WANT (and it parses)
jq_is() {
	local got
	if ! got=$(printf '%s' "$2" | jq -r "$3" 2>&1); then
		tap_not_ok "$1"
		tap_diag "not valid JSON or bad filter $3: $got" "$2"
		return
	fi
	tap_is "$1" "$got" "$4"
}
