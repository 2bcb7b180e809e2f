#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fail if a guest console log holds a kernel problem report: oops, BUG,
# WARN, panic, KASAN/UBSAN, lockdep, hung task or kmemleak.
# Usage: scan-log.sh CONSOLE_LOG
set -u
log=$1
pattern='BUG:|WARNING:|Oops|Kernel panic|general protection fault|KASAN:|UBSAN:'
pattern+='|possible circular locking|possible recursive locking|inconsistent lock state'
pattern+='|suspicious RCU usage|INFO: task .* blocked|new suspected memory leak|Call Trace:'
if grep -E -n "$pattern" "$log" >/dev/null 2>&1; then
	grep -E -n "$pattern" "$log" | head -n 20
	exit 1
fi
exit 0
