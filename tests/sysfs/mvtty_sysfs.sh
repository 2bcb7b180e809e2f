#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The mdev sysfs ABI of mvtty, as users and mdevctl see it. Prints TAP.
# Needs mvtty loaded with the default pool of 24 ports and no instances.
set -u
. "$(dirname "$0")/../lib/tap.sh"

parent=/sys/class/mdev_bus/mvtty
types=$parent/mdev_supported_types
t1=$types/mvtty-1
t2=$types/mvtty-2
devs=/sys/bus/mdev/devices

avail() { cat "$1/available_instances"; }
create() { echo "$2" >"$1/create"; }
remove() { echo 1 >"$devs/$1/remove"; }
newuuid() { cat /proc/sys/kernel/random/uuid; }

tap_run "the parent is registered under mdev_bus" test -d "$types"
tap_is "two types: mvtty-1 and mvtty-2" "$(ls "$types" | tr '\n' ' ')" "mvtty-1 mvtty-2 "
tap_is "mvtty-1 name" "$(cat "$t1/name")" "Single port 16550A"
tap_is "mvtty-2 name" "$(cat "$t2/name")" "Dual port 16550A"
tap_is "mvtty-2 description" "$(cat "$t2/description")" "ports: 2
uart: 16550A"
tap_is "device_api is vfio-pci" "$(cat "$t1/device_api") $(cat "$t2/device_api")" \
	"vfio-pci vfio-pci"
tap_is "available instances of an empty pool of 24 ports" "$(avail "$t1") $(avail "$t2")" "24 12"

u1=$(newuuid)
tap_run "create a 1-port instance" create "$t1" "$u1"
tap_run "it appears on the mdev bus" test -d "$devs/$u1"
tap_is "its type link" "$(basename "$(readlink "$devs/$u1/mdev_type")")" mvtty-1
tap_run "it has an IOMMU group" test -e "$devs/$u1/iommu_group"
tap_is "its ports attribute" "$(cat "$devs/$u1/mvtty/ports")" 1
tap_is "availability drops for both types" "$(avail "$t1") $(avail "$t2")" "23 11"
tap_run "it is listed under its type" test -e "$t1/devices/$u1"

before="$(avail "$t1") $(avail "$t2")"
tap_fails "a duplicate UUID is refused" create "$t2" "$u1"
tap_is "the refusal changed nothing" "$(avail "$t1") $(avail "$t2")" "$before"
for bad in not-a-uuid 1234 "$u1-extra" "" "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"; do
	tap_fails "a malformed UUID '$bad' is refused" create "$t1" "$bad"
done
tap_is "malformed UUIDs changed nothing" "$(avail "$t1") $(avail "$t2")" "$before"
err=$(create "$t1" "not-a-uuid" 2>&1)
tap_like "the malformed UUID error is EINVAL" "$err" "Invalid argument"

tap_run "remove with 0 is a no-op" sh -c "echo 0 > $devs/$u1/remove"
tap_run "the instance is still there" test -d "$devs/$u1"
tap_run "remove the instance" remove "$u1"
tap_run "it is gone from the bus" test ! -e "$devs/$u1"
tap_is "availability is back" "$(avail "$t1") $(avail "$t2")" "24 12"
tap_fails "removing it again fails" remove "$u1"
tap_is "the second remove changed nothing" "$(avail "$t1") $(avail "$t2")" "24 12"

# Fill the pool with mixed types: 11 dual-port + 2 single-port = 24 ports.
uuids=()
ok=1
for i in $(seq 11); do
	u=$(newuuid)
	create "$t2" "$u" || ok=0
	uuids+=("$u")
done
tap_is "eleven 2-port instances created" "$ok $(avail "$t1") $(avail "$t2")" "1 2 1"
u=$(newuuid)
create "$t1" "$u" && uuids+=("$u")
tap_is "a 1-port instance leaves room for one more port" "$(avail "$t1") $(avail "$t2")" "1 0"
err=$(create "$t2" "$(newuuid)" 2>&1)
tap_like "a 2-port instance does not fit in one port (ENOSPC)" "$err" "No space left"
u=$(newuuid)
create "$t1" "$u" && uuids+=("$u")
tap_is "the last port taken" "$(avail "$t1") $(avail "$t2")" "0 0"
tap_fails "creating past capacity fails" create "$t1" "$(newuuid)"
tap_is "the pool still has ${#uuids[@]} instances" "$(ls "$devs" | wc -l)" "${#uuids[@]}"
for u in "${uuids[@]}"; do remove "$u"; done
tap_is "removing them all frees the pool" "$(avail "$t1") $(avail "$t2")" "24 12"

# Concurrent creates never over-commit: 20 racing 2-port creates, 12 fit.
for i in $(seq 20); do
	(create "$t2" "$(newuuid)" 2>/dev/null) &
done
wait
tap_is "20 concurrent creates: exactly 12 succeed" "$(ls "$devs" | wc -l) $(avail "$t2")" "12 0"
for u in $(ls "$devs"); do remove "$u"; done
tap_is "all removed" "$(ls "$devs" | wc -l) $(avail "$t1")" "0 24"

tap_done
