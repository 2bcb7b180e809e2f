#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job (or a part of one): lifecycle churn. MVGPU_CHURN_CYCLES cycles
# (default 1000) of: two to four instances of random mvgpu and mvtty types
# created at once; each opened, used and closed (tests/fuzz/vfio_fuzz.c:
# a few hostile operations, a reset, known-good work) through VFIO; every
# 10th cycle one removed while it is open and busy (the removal waits for
# the user); every 100th cycle and the last the modules unloaded with
# instances present (which removes them) and loaded again. At the end
# every type has all its instances available again and no device is left.
# MVGPU_CHURN_SEED seeds the choices (types, counts, fuzzer seeds; the
# order of concurrent creates is the kernel's). TAP: churn.tap, named with
# MVGPU_SUITE_SUFFIX.
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
fuzz=$MVGPU_OUT/tests/vfio_fuzz
cycles=${MVGPU_CHURN_CYCLES:-1000}
seed=${MVGPU_CHURN_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
gpu=/sys/class/mdev_bus/simgpu0/mdev_supported_types
tty=/sys/class/mdev_bus/mvtty/mdev_supported_types
devs=/sys/bus/mdev/devices
types=("$gpu/mvgpu-V1_1" "$gpu/mvgpu-V1_2" "$gpu/mvgpu-V1_4" "$gpu/mvgpu-V1_8"
	"$tty/mvtty-1" "$tty/mvtty-2")
created=0 create_failed=0 used=0 use_failed=0 busy_removed=0 busy_failed=0 unloads=0
unload_failed=0

load() {
	guest_insmod simgpu watchdog_ms=1000 && guest_insmod mvgpu && guest_insmod mvtty
}

available() {	# every type's available_instances, in one line
	local t
	for t in "${types[@]}"; do printf '%s ' "$(cat "$t/available_instances")"; done
}

out= shown=0
# The output of a failed vfio_fuzz run as TAP comments, for the first
# five failures (a run is 20 to 2000 operations; its log says which).
explain() {	# WHAT
	shown=$((shown + 1))
	[ "$shown" -le 5 ] || return 0
	echo "# $1 failed; vfio_fuzz said:"
	sed 's/^/#   /' "$out" | tail -n 40
}

# open, use and close one instance; $1 the uuid, $2 its type directory
use() {
	local mode=()
	case $2 in */mvtty-*) mode=(--mvtty) ;; esac
	"$fuzz" "${mode[@]}" --seed "$RANDOM" --ops 20 "$1" >"$out" 2>&1 ||
		{ explain "using $1 ($(basename "$2"))"; return 1; }
}

run() {
	local i j n u pid before mode uuids=() tdirs=()

	out=$(mktemp) || return 1
	trap 'rm -f "$out"' EXIT
	guest_load_vfio && load || { echo "not ok 1 - load the modules"; echo "1..1"; return 1; }
	before=$(available)
	echo "# churn: $cycles cycles, seed $seed (MVGPU_CHURN_SEED)"
	RANDOM=$seed
	for ((i = 0; i < cycles; i++)); do
		uuids=() tdirs=()
		n=$((2 + RANDOM % 3))
		for ((j = 0; j < n; j++)); do
			uuids+=("$(cat /proc/sys/kernel/random/uuid)")
			tdirs+=("${types[RANDOM % ${#types[@]}]}")
		done
		# concurrent creates; a type can run out, which is fine
		for ((j = 0; j < n; j++)); do
			echo "${uuids[j]}" >"${tdirs[j]}/create" 2>/dev/null &
		done
		wait
		for ((j = 0; j < n; j++)); do
			if [ -d "$devs/${uuids[j]}" ]; then
				created=$((created + 1))
			elif [ "$(cat "${tdirs[j]}/available_instances")" -gt 0 ]; then
				create_failed=$((create_failed + 1))	# room, yet no device
			fi
		done
		for ((j = 0; j < n; j++)); do
			[ -d "$devs/${uuids[j]}" ] || continue
			if use "${uuids[j]}" "${tdirs[j]}"; then
				used=$((used + 1))
			else
				use_failed=$((use_failed + 1))
			fi
		done
		# removal while open and busy: it waits for the user to close
		if ((i % 10 == 9)) && [ -d "$devs/${uuids[0]}" ]; then
			u=${uuids[0]}
			case ${tdirs[0]} in */mvtty-*) mode=(--mvtty) ;; *) mode=() ;; esac
			"$fuzz" "${mode[@]}" --seed "$i" --ops 2000 "$u" >"$out" 2>&1 &
			pid=$!
			sleep 0.2
			if echo 1 >"$devs/$u/remove" && wait "$pid" && [ ! -e "$devs/$u" ]; then
				busy_removed=$((busy_removed + 1))
			else
				busy_failed=$((busy_failed + 1))
				wait "$pid"
				explain "removing $u ($(basename "${tdirs[0]}")) while open, cycle $i"
			fi
		fi
		# unloading with instances present removes them
		if ((i % 100 == 99 || i == cycles - 1)); then
			if rmmod mvtty && rmmod mvgpu && rmmod simgpu && [ -z "$(ls $devs)" ] &&
				load; then
				unloads=$((unloads + 1))
			else
				unload_failed=$((unload_failed + 1))
				load 2>/dev/null
			fi
			continue
		fi
		for u in "${uuids[@]}"; do
			[ ! -d "$devs/$u" ] || echo 1 >"$devs/$u/remove"
		done
	done

	n=0
	check() {	# check STATUS DESCRIPTION: STATUS 0 passes
		n=$((n + 1))
		if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
	}
	check $((created == 0)) "$cycles cycles created $created instances, two to four at once"
	check "$create_failed" "no create failed while its type had room ($create_failed did)"
	check "$use_failed" "$used opened, used through VFIO and closed ($use_failed failed)"
	check $((busy_failed + (cycles >= 10 && busy_removed == 0))) \
		"$busy_removed removed while open and busy, each once its user closed it ($busy_failed failed)"
	check $((unload_failed + (cycles > 0 && unloads == 0))) \
		"$unloads module unloads with instances present removed them ($unload_failed failed)"
	check $(([ -z "$(ls $devs)" ] && echo 0) || echo 1) "no device is left"
	check $(([ "$(available)" = "$before" ] && echo 0) || echo 1) \
		"every type has all its instances available again ($(available))"
	echo "1..$n"
	rmmod mvtty && rmmod mvgpu && rmmod simgpu
}

# the suite runs this script again with --run, under guest_suite's limit
if [ "${1:-}" = --run ]; then
	run
	exit
fi
# a second per cycle, four on the debug kernel (KASAN, lockdep, kmemleak)
s_per_cycle=1
case $(uname -r) in *-debug) s_per_cycle=4 ;; esac
MVGPU_SUITE_TIMEOUT=$((300 + cycles * s_per_cycle)) guest_suite "churn${MVGPU_SUITE_SUFFIX:-}" \
	bash "$0" --run
