#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's mdevctl against mvgpu (simgpu0) and mvtty, as a user manages
# mediated devices: types, start/stop of transient devices, and persistent
# ones (define, start, stop, undefine). Run as root in an L1 guest whose
# root is read-only: the persistent configuration under /etc/mdevctl.d goes
# to a tmpfs mounted over it for the run. Prints TAP; leaves no devices.
set -u
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

types=/sys/class/mdev_bus/simgpu0/mdev_supported_types
devs=/sys/bus/mdev/devices
conf=/etc/mdevctl.d
tmp=$(mktemp -d)
cleanup() {
	mountpoint -q "$conf" && umount "$conf"
	rm -rf "$tmp"
}
trap cleanup EXIT
type_of() { basename "$(readlink "$devs/$1/mdev_type")"; }
parent_of() { basename "$(dirname "$(readlink -f "$devs/$1")")"; }

# mdevctl needs its directory tree (scripts.d/callouts, notifiers) under
# /etc/mdevctl.d: copy it onto the tmpfs.
cp -a "$conf/." "$tmp/" 2>/dev/null
mount -t tmpfs -o mode=0755 mdevctl "$conf" && cp -a "$tmp/." "$conf/"
tap_run "a writable $conf with mdevctl's directories" test -w "$conf" -a -d "$conf/scripts.d/callouts"

# ---- types ----
out=$(mdevctl types 2>&1)
tap_like "types lists simgpu0 and mvgpu-V1_4 with its availability" \
	"$(printf '%s' "$out" | tr '\n' '~')" \
	"~?simgpu0~ +mvgpu-V1_1~.*~ +mvgpu-V1_4~ +Available instances: $(cat "$types/mvgpu-V1_4/available_instances")~"
tap_like "types shows V1_4's description" "$out" \
	'Description: low_gm_size: 64MB, high_gm_size: 783MB, fence: 7, resolution: 1920x1200, weight: 4'
out=$(mdevctl types --dumpjson 2>&1)
jq_is "types --dumpjson: simgpu0's types" "$out" \
	'[.[0].simgpu0[] | keys[]] | join(" ")' "mvgpu-V1_1 mvgpu-V1_2 mvgpu-V1_4 mvgpu-V1_8"
jq_is "types --dumpjson: V1_8's availability and device API" "$out" \
	'.[0].simgpu0[] | select(has("mvgpu-V1_8")) | .["mvgpu-V1_8"] | "\(.available_instances) \(.device_api)"' \
	"$(cat "$types/mvgpu-V1_8/available_instances") vfio-pci"
out=$(mdevctl types -p mvtty 2>&1)
tap_like "types -p mvtty lists the mvtty types" "$(printf '%s' "$out" | tr '\n' '~')" \
	'mvtty-1~.*Name: Single port 16550A~.*mvtty-2~.*Name: Dual port 16550A'

# ---- a transient vGPU ----
u1=$(mdevctl start -p simgpu0 -t mvgpu-V1_4 2>&1)
tap_like "start -p simgpu0 -t mvgpu-V1_4 prints the new UUID" "$u1" \
	'^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
tap_is "the vGPU is in sysfs, a V1_4 on simgpu0" "$(type_of "$u1") $(parent_of "$u1")" \
	"mvgpu-V1_4 simgpu0"
tap_run "it has mvgpu's attributes" test -r "$devs/$u1/mvgpu/resources"
tap_like "list shows it" "$(mdevctl list 2>&1)" "^$u1 simgpu0 mvgpu-V1_4 manual$"
out=$(mdevctl list --dumpjson 2>&1)
jq_is "list --dumpjson shows it" "$out" \
	".[0].simgpu0[] | select(has(\"$u1\")) | .[\"$u1\"] | \"\(.mdev_type) \(.start)\"" \
	"mvgpu-V1_4 manual"
tap_fails "start of a type simgpu0 does not have fails" \
	mdevctl start -p simgpu0 -t mvgpu-V1_3

# ---- a persistent vGPU ----
u2=$(cat /proc/sys/kernel/random/uuid)
tap_run "define -u UUID -p simgpu0 -t mvgpu-V1_8" \
	mdevctl define -u "$u2" -p simgpu0 -t mvgpu-V1_8
jq_is "its config is in $conf/simgpu0/UUID" "$(cat "$conf/simgpu0/$u2" 2>&1)" \
	'"\(.mdev_type) \(.start)"' "mvgpu-V1_8 manual"
tap_run "defining does not create it" test ! -e "$devs/$u2"
tap_like "list --defined shows it" "$(mdevctl list --defined 2>&1)" \
	"^$u2 simgpu0 mvgpu-V1_8 manual"
out=$(mdevctl list --defined --dumpjson 2>&1)
jq_is "list --defined --dumpjson shows it" "$out" \
	".[0].simgpu0[] | select(has(\"$u2\")) | .[\"$u2\"].mdev_type" mvgpu-V1_8
# an attribute mdevctl writes when it starts the device: the display's
# plane type (Documentation/vgpu.rst)
tap_run "modify --addattr=mvgpu/plane_type --value=dmabuf" \
	mdevctl modify -u "$u2" --addattr=mvgpu/plane_type --value=dmabuf
tap_run "start -u UUID starts the defined vGPU" mdevctl start -u "$u2"
tap_is "it is in sysfs, a V1_8 on simgpu0" "$(type_of "$u2") $(parent_of "$u2")" \
	"mvgpu-V1_8 simgpu0"
tap_is "mdevctl set its plane_type" "$(cat "$devs/$u2/mvgpu/plane_type" 2>&1)" dmabuf
tap_like "list shows it as defined and running" "$(mdevctl list 2>&1)" \
	"^$u2 simgpu0 mvgpu-V1_8 manual \(defined\)$"
tap_run "stop -u UUID" mdevctl stop -u "$u2"
tap_run "it is gone from sysfs" test ! -e "$devs/$u2"
tap_run "and still defined" test -f "$conf/simgpu0/$u2"
tap_run "undefine -u UUID" mdevctl undefine -u "$u2"
tap_run "its config is gone" test ! -e "$conf/simgpu0/$u2"
tap_fails "list --defined no longer shows it" grep -q "$u2" <<<"$(mdevctl list --defined 2>&1)"

# A running device defined as it is, to start with its parent.
tap_run "define --auto of the running transient vGPU" mdevctl define --auto -u "$u1"
jq_is "its config says V1_4, start auto" "$(cat "$conf/simgpu0/$u1" 2>&1)" \
	'"\(.mdev_type) \(.start)"' "mvgpu-V1_4 auto"
tap_run "undefine it" mdevctl undefine -u "$u1"
tap_run "stop it" mdevctl stop -u "$u1"
tap_run "it is gone from sysfs" test ! -e "$devs/$u1"

# ---- mvtty ----
t1=$(mdevctl start -p mvtty -t mvtty-2 2>&1)
tap_is "start -p mvtty -t mvtty-2 creates one" "$(type_of "$t1") $(parent_of "$t1")" \
	"mvtty-2 mvtty"
tap_like "list shows it" "$(mdevctl list 2>&1)" "^$t1 mvtty mvtty-2 manual$"
t2=$(cat /proc/sys/kernel/random/uuid)
tap_run "define an mvtty-1" mdevctl define -u "$t2" -p mvtty -t mvtty-1
tap_run "start it" mdevctl start -u "$t2"
tap_is "it is an mvtty-1 in sysfs" "$(type_of "$t2")" mvtty-1
out=$(mdevctl list --dumpjson 2>&1)
jq_is "list --dumpjson has both mvtty devices" "$out" \
	"[.[0].mvtty[] | to_entries[] | .value.mdev_type] | sort | join(\" \")" "mvtty-1 mvtty-2"
tap_run "stop both" bash -c 'mdevctl stop -u "$1" && mdevctl stop -u "$2"' _ "$t2" "$t1"
tap_run "undefine the mvtty-1" mdevctl undefine -u "$t2"
tap_is "no devices are left" "$(ls "$devs" | wc -l)" 0

tap_done
