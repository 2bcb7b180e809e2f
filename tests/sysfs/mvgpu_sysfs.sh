#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The mdev sysfs ABI of mvgpu on simgpu0 (default module parameters, no
# instances), as users, mdevctl and libvirt see it. Prints TAP.
set -u
. "$(dirname "$0")/../lib/tap.sh"

parent=/sys/class/mdev_bus/simgpu0
types=$parent/mdev_supported_types
devs=/sys/bus/mdev/devices

avail() { cat "$types/mvgpu-$1/available_instances"; }
all_avail() { echo "$(avail V1_1) $(avail V1_2) $(avail V1_4) $(avail V1_8)"; }
create() { echo "$2" >"$types/mvgpu-$1/create"; }
remove() { echo 1 >"$devs/$1/remove"; }
newuuid() { cat /proc/sys/kernel/random/uuid; }
tmp_w=$(mktemp)
tmp_c=$(mktemp)
trap 'rm -f "$tmp_w" "$tmp_c"' EXIT

tap_run "simgpu0 is an mdev parent" test -d "$types"
tap_is "four types" "$(ls "$types" | tr '\n' ' ')" "mvgpu-V1_1 mvgpu-V1_2 mvgpu-V1_4 mvgpu-V1_8 "
tap_is "V1_4 name" "$(cat "$types/mvgpu-V1_4/name")" "V1_4"
tap_is "V1_4 description, one field per line" "$(cat "$types/mvgpu-V1_4/description")" \
"low_gm_size: 64MB
high_gm_size: 783MB
fence: 7
resolution: 1920x1200
weight: 4
max_resolution: 2560x1600"
tap_is "V1_8 description" "$(cat "$types/mvgpu-V1_8/description")" \
"low_gm_size: 32MB
high_gm_size: 391MB
fence: 3
resolution: 1024x768
weight: 2
max_resolution: 1920x1200"
tap_is "device_api is vfio-pci" "$(cat "$types/mvgpu-V1_1/device_api")" vfio-pci
tap_is "availability of an empty GPU" "$(all_avail)" "1 2 4 8"

u1=$(newuuid)
tap_run "create a V1_4" create V1_4 "$u1"
tap_is "its resources" "$(cat "$devs/$u1/mvgpu/resources")" \
"low_gm: 0x8000000 0x4000000
high_gm: 0x38000000 0x30f00000
fence: 4 7"
tap_is "its vGPU id" "$(cat "$devs/$u1/mvgpu/vgpu_id")" 0
tap_is "availability after one V1_4, each resource counted" "$(all_avail)" "0 1 3 6"
tap_run "its debugfs counters exist" test -f "/sys/kernel/debug/mvgpu/$u1/counters"

before=$(all_avail)
tap_fails "a duplicate UUID is refused" create V1_8 "$u1"
tap_fails "a malformed UUID is refused" create V1_8 "0000-not-a-uuid"
tap_is "refusals changed nothing" "$(all_avail)" "$before"
tap_run "remove it" remove "$u1"
tap_is "availability is back" "$(all_avail)" "1 2 4 8"
tap_fails "removing it again fails" remove "$u1"

# Fill with the smallest type, then fragment: free every other one.
uuids=()
for i in $(seq 8); do
	u=$(newuuid)
	create V1_8 "$u" && uuids+=("$u")
done
tap_is "eight V1_8 fill the GPU" "${#uuids[@]} $(all_avail)" "8 0 0 0 0"
err=$(create V1_8 "$(newuuid)" 2>&1)
tap_like "a ninth is refused with ENOSPC" "$err" "No space left"
tap_is "the refusal leaves eight" "$(ls "$devs" | wc -l)" 8
for i in 0 2 4 6; do remove "${uuids[$i]}"; done
# four holes, none adjacent: high GM has no room for a 783 MiB V1_4 and the
# fences no run of 7, although the total free would hold larger types
tap_is "fragmented: four V1_8 fit again, no V1_4 or larger" "$(all_avail)" "0 0 0 4"
for i in 1 3 5 7; do remove "${uuids[$i]}"; done
tap_is "all removed: the whole GPU is back" "$(all_avail)" "1 2 4 8"

# Concurrent creates never over-commit.
for i in $(seq 12); do
	(create V1_4 "$(newuuid)" 2>/dev/null) &
done
wait
tap_is "12 concurrent V1_4 creates: exactly 4 succeed" "$(ls "$devs" | wc -l) $(avail V1_4)" "4 0"
ids=$(cat "$devs"/*/mvgpu/vgpu_id | sort -n | tr '\n' ' ')
tap_is "their vGPU ids are distinct" "$ids" "0 1 2 3 "
lows=$(sed -n 's/^low_gm: \(0x[0-9a-f]*\).*/\1/p' "$devs"/*/mvgpu/resources | sort -u | wc -l)
tap_is "their low GM ranges are distinct" "$lows" 4
for u in $(ls "$devs"); do remove "$u"; done
tap_is "all removed" "$(ls "$devs" | wc -l) $(all_avail)" "0 1 2 4 8"

# weight and cap: concurrent writers never lose an update, and every
# engine's policy (render.* and copy.* in stats) has the last value
u=$(newuuid)
create V1_4 "$u"
a=$devs/$u/mvgpu
stat() { sed -n "s/^$1: //p" "$a/stats"; }
rounds=2000
# writer ATTR MUL: writes ATTR $rounds times, value (i * MUL) % 100 + 1, and
# reads each back; prints how often it did not read its own value (lost)
writer() {
	local i v got lost=0
	for ((i = 0; i < rounds; i++)); do
		v=$(( (i * $2) % 100 + 1 ))
		echo "$v" >"$a/$1"
		read -r got <"$a/$1"
		[ "$got" = "$v" ] || lost=$((lost + 1))
	done
	echo "$lost"
}
last() { echo $(( ((rounds - 1) * $1) % 100 + 1 )); }
writer weight 7 >"$tmp_w" &
writer cap 13 >"$tmp_c" &
wait
tap_is "$rounds writes of weight and of cap at once: none undid the other" \
	"$(cat "$tmp_w") $(cat "$tmp_c")" "0 0"
tap_is "the last weight and cap written stick" "$(cat "$a/weight") $(cat "$a/cap")" \
	"$(last 7) $(last 13)"
tap_is "both engines' policies have them" \
	"$(stat render.weight) $(stat copy.weight) $(stat render.cap) $(stat copy.cap)" \
	"$(last 7) $(last 7) $(last 13) $(last 13)"
# two writers of the same attribute: whichever wrote last, all agree
samewriter() {
	local i
	for ((i = 0; i < rounds; i++)); do
		echo "$1" >"$a/weight"
	done
}
samewriter 3 &
samewriter 9 &
wait
w=$(cat "$a/weight")
tap_like "two weight writers at once: one of their values is left" "$w" '^(3|9)$'
tap_is "both engines' policies have that one" "$(stat render.weight) $(stat copy.weight)" "$w $w"
echo 50 >"$a/weight"
echo 0 >"$a/cap"
tap_is "a write after them sticks everywhere" \
	"$(cat "$a/weight") $(stat render.weight) $(stat copy.weight) $(stat copy.cap)" \
	"50 50 50 0"
remove "$u"

tap_done
