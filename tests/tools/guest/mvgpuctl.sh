#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# mvgpuctl against the real mdev sysfs (simgpu0 with default module
# parameters, mvtty, no devices) and against fake trees (--sysfs-root) for
# what the real one cannot show on demand. Run as root in an L1 guest.
# Usage: mvgpuctl.sh [PATH-TO-MVGPUCTL]. Prints TAP; leaves no devices.
set -u
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

M=${1:-$MVGPU_OUT/tools/mvgpuctl}
types=/sys/class/mdev_bus/simgpu0/mdev_supported_types
devs=/sys/bus/mdev/devices
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
avail() { cat "$types/mvgpu-$1/available_instances"; }
desc() {	# desc TYPE KEY: a number from the type's description
	sed -n "s/^$2: \([0-9]*\).*/\1/p" "$types/mvgpu-$1/description"
}
ndevs() { ls "$devs" | wc -l; }
# lines joined with "~", for regular expressions over several lines
oneline() { printf '%s' "$1" | tr '\n' '~'; }

# run CMD...: OUT (stdout), ERR (stderr) and RC (status) of CMD
run() {
	OUT=$("$@" 2>"$tmp/err")
	RC=$?
	ERR=$(cat "$tmp/err")
}

# expect STATUS REGEX DESC CMD...: CMD exits with STATUS and its stderr
# matches the extended REGEX (on any line)
expect() {
	local status=$1 re=$2 desc=$3
	shift 3
	run "$@"
	if [ "$RC" = "$status" ] && printf '%s\n' "$ERR" | grep -E -q -- "$re"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
		tap_diag "command: $*" "status $RC, want $status; stderr must match: $re" \
			"stdout: $OUT" "stderr: $ERR"
	fi
}

# A fake sysfs tree with the kernel's layout: parent simgpu0 with two
# types, a full parent mvtty, and one vGPU whose module has the scheduler.
fake_tree() {
	local r=$1 p=$1/devices/virtual/mvgpu/simgpu0 u=$2 d e n
	mkdir -p "$r/class/mdev_bus" "$r/bus/mdev/devices" "$r/devices/virtual/mvtty/mvtty"
	ln -s ../../devices/virtual/mvgpu/simgpu0 "$r/class/mdev_bus/simgpu0"
	for n in 1 2; do
		mkdir -p "$p/mdev_supported_types/mvgpu-V1_$n"
		printf 'low_gm_size: %dMB\nhigh_gm_size: %dMB\nfence: %d\nresolution: 1920x1200\nweight: %d\n' \
			$((128 / n)) $((1024 / n)) $((8 / n)) $((16 / n)) \
			>"$p/mdev_supported_types/mvgpu-V1_$n/description"
		echo "V1_$n" >"$p/mdev_supported_types/mvgpu-V1_$n/name"
		echo vfio-pci >"$p/mdev_supported_types/mvgpu-V1_$n/device_api"
		: >"$p/mdev_supported_types/mvgpu-V1_$n/create"
	done
	echo 0 >"$p/mdev_supported_types/mvgpu-V1_1/available_instances"
	echo 1 >"$p/mdev_supported_types/mvgpu-V1_2/available_instances"
	d=$p/$u
	mkdir -p "$d/mvgpu"
	ln -s ../mdev_supported_types/mvgpu-V1_2 "$d/mdev_type"
	ln -s "../../../devices/virtual/mvgpu/simgpu0/$u" "$r/bus/mdev/devices/$u"
	: >"$d/remove"
	echo 3 >"$d/mvgpu/vgpu_id"
	printf 'low_gm: 0x8000000 0x4000000\nhigh_gm: 0x20000000 0x20000000\nfence: 4 4\n' \
		>"$d/mvgpu/resources"
	echo 8 >"$d/mvgpu/weight"
	echo 25 >"$d/mvgpu/cap"
	printf 'state: failsafe\nfailsafe_reason: scan_violations\nscan_rejects: 12\n' >"$d/mvgpu/stats"
	for e in render copy; do
		printf '%s.busy_ns: 5000\n%s.share_permille: 250\n%s.workloads: 9\n' $e $e $e
		printf '%s.switches: 4\n%s.queue: 1\n%s.hangs: 0\n' $e $e $e
	done >>"$d/mvgpu/stats"
}

# ---- usage and help ----
run "$M" --help
tap_like "--help lists every command" "$RC $(oneline "$OUT")" \
	'^0 .*list.*create.*remove.*show.*top.*set.*qemu-args.*libvirt-xml'
run "$M" create --help
tap_like "create --help describes create" "$RC $OUT" '^0 usage: mvgpuctl create TYPE'
run "$M" help top
tap_like "help top describes top" "$RC $OUT" '^0 usage: mvgpuctl top .*--count'
expect 2 'usage' "no command is a usage error" "$M"
expect 2 "unknown command 'frobnicate'" "an unknown command is a usage error" "$M" frobnicate
expect 2 'unknown option --bogus' "an unknown option is a usage error" "$M" list --bogus
expect 2 '--parent is not an option of list' "another command's option is a usage error" \
	"$M" list --parent simgpu0
expect 2 'no TYPE given' "create without a type is a usage error" "$M" create
expect 2 '--count wants a whole number' "top --count 0 is a usage error" "$M" top --count 0

# ---- no module ----
mkdir -p "$tmp/empty"
expect 1 'modprobe mvgpu' "no mdev parents: list says to load the module" \
	"$M" --sysfs-root "$tmp/empty" list
expect 1 'modprobe mvgpu' "no mdev parents: create says to load the module" \
	"$M" --sysfs-root "$tmp/empty" create V1_4

# ---- list ----
a4=$(avail V1_4)
run "$M" list
tap_like "list shows simgpu0's V1_4 with its availability" "$OUT" \
	"simgpu0 +mvgpu-V1_4 +$a4 +low_gm_size: 64MB, high_gm_size: 783MB, fence: 7"
tap_is "list shows the four types and no mvtty type" \
	"$(printf '%s\n' "$OUT" | grep -E -o 'mvgpu-V1_[0-9]|mvtty-[0-9]' | tr '\n' ' ')" \
	"mvgpu-V1_1 mvgpu-V1_2 mvgpu-V1_4 mvgpu-V1_8 "
run "$M" list --all
tap_like "list --all shows mvtty's types too" "$OUT" 'mvtty +mvtty-2 +[0-9]+ +ports: 2'
run "$M" list --json
jq_is "list --json: simgpu0's types and their availability" "$OUT" \
	'[.parents[] | .name + ":" + (.types | map(.type + "=" + (.available_instances | tostring)) | join(","))] | join(" ")' \
	"simgpu0:mvgpu-V1_1=$(avail V1_1),mvgpu-V1_2=$(avail V1_2),mvgpu-V1_4=$a4,mvgpu-V1_8=$(avail V1_8)"
jq_is "list --json: V1_4's sizes in bytes" "$OUT" \
	'.parents[0].types[] | select(.type == "mvgpu-V1_4") | [.low_gm_size, .high_gm_size, .fences, .weight] | join(" ")' \
	"$((64 << 20)) $((783 << 20)) 7 4"
run "$M" list --json --all
jq_is "list --json --all: both parents" "$OUT" '[.parents[].name] | join(" ")' "mvtty simgpu0"

# ---- create, show, remove ----
U2=$(tr a-f A-F </proc/sys/kernel/random/uuid)
u2=$(printf '%s' "$U2" | tr A-F a-f)
run "$M" create V1_4
c1=$OUT
tap_like "create V1_4 prints a new UUID" "$RC $c1" '^0 [0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
tap_is "it is a mvgpu-V1_4 in sysfs" "$(basename "$(readlink "$devs/$c1/mdev_type")")" \
	mvgpu-V1_4
tap_is "V1_4's availability went down by one" "$(avail V1_4)" "$((a4 - 1))"
run "$M" create mvgpu-V1_8 --parent simgpu0 --uuid "$U2"
tap_is "create with --parent and an upper-case --uuid prints it in lower case" "$RC $OUT" "0 $u2"
tap_is "it is a mvgpu-V1_8 on simgpu0" \
	"$(basename "$(readlink "$devs/$u2/mdev_type")") $(basename "$(dirname "$(readlink -f "$devs/$u2")")")" \
	"mvgpu-V1_8 simgpu0"
run "$M" list
tap_like "list shows the new devices" "$OUT" "$c1 +simgpu0 +mvgpu-V1_4"
run "$M" list --json
jq_is "list --json has both devices with their types" "$OUT" \
	"[.instances[] | select(.uuid == \"$c1\" or .uuid == \"$u2\") | .type] | sort | join(\" \")" \
	"mvgpu-V1_4 mvgpu-V1_8"

res=$(cat "$devs/$c1/mvgpu/resources")
low_base=$(printf '%s\n' "$res" | sed -n 's/^low_gm: \(0x[0-9a-f]*\) .*/\1/p')
fence=$(printf '%s\n' "$res" | sed -n 's/^fence: //p')
run "$M" show "$c1"
tap_like "show: parent and type" "$(oneline "$OUT")" "parent: +simgpu0~type: +mvgpu-V1_4~"
tap_like "show: the low GM range from mvgpu/resources" "$OUT" "low_gm: +64MB at $low_base"
run "$M" show --json "$c1"
jq_is "show --json: uuid, parent, type" "$OUT" '[.uuid, .parent, .type] | join(" ")' \
	"$c1 simgpu0 mvgpu-V1_4"
jq_is "show --json: resources as in sysfs" "$OUT" \
	'[.resources.low_gm.base, .resources.low_gm.size, .resources.fence.base, .resources.fence.count] | join(" ")' \
	"$((low_base)) $((64 << 20)) $fence"

run "$M" qemu-args "$c1"
tap_is "qemu-args" "$RC $OUT" "0 -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$c1"
tap_run "the sysfsdev path is the device" test -d "${OUT#*sysfsdev=}/mvgpu"
run "$M" qemu-args --iommufd "$c1"
tap_is "qemu-args --iommufd: an iommufd object and the device on it" "$RC $OUT" \
	"0 -object iommufd,id=iommufd0 -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$c1,iommufd=iommufd0"
expect 2 '--iommufd is not an option of libvirt-xml' "--iommufd belongs to qemu-args only" \
	"$M" libvirt-xml --iommufd "$c1"
run "$M" libvirt-xml "$u2"
printf '%s\n' "$OUT" >"$tmp/hostdev.xml"
tap_run "libvirt-xml is well-formed XML" xmllint --noout "$tmp/hostdev.xml"
tap_is "libvirt-xml: an mdev vfio-pci hostdev with the UUID" \
	"$(xmllint --xpath 'concat(/hostdev/@mode, " ", /hostdev/@type, " ", /hostdev/@model, " ", /hostdev/source/address/@uuid)' "$tmp/hostdev.xml")" \
	"subsystem mdev vfio-pci $u2"

# ---- errors ----
expect 1 "no type 'V1_3'; valid types are: mvgpu-V1_1, mvgpu-V1_2, mvgpu-V1_4, mvgpu-V1_8" \
	"an unknown type lists the valid ones" "$M" create V1_3
expect 1 "no mdev parent 'gpu9'; parents: .*simgpu0" "an unknown parent lists the parents" \
	"$M" create V1_4 --parent gpu9
expect 1 "mvtty has no type 'V1_4'; its types are: mvtty-1, mvtty-2" \
	"a parent without the type lists its types" "$M" create V1_4 --parent mvtty
expect 2 "malformed UUID '1234-5678'" "create --uuid with a malformed UUID" \
	"$M" create V1_8 --uuid 1234-5678
expect 1 "UUID $u2 already exists" "create --uuid with an existing UUID" \
	"$M" create V1_8 --uuid "$u2"
expect 2 "malformed UUID 'zz'" "remove with a malformed UUID" "$M" remove zz
gone=$(cat /proc/sys/kernel/random/uuid)
expect 1 "no mdev device $gone" "show of a UUID that does not exist" "$M" show "$gone"
expect 1 "no mdev device $gone" "remove of a UUID that does not exist" "$M" remove "$gone"
expect 1 "no mdev device $gone" "qemu-args of a UUID that does not exist" "$M" qemu-args "$gone"
n=$(ndevs)
expect 1 'Permission denied; run as root' "create as a user says to run as root" \
	nobody "$M" create V1_8
tap_is "and created nothing" "$(ndevs)" "$n"
expect 1 'Permission denied; run as root' "remove as a user says to run as root" \
	nobody "$M" remove "$u2"
tap_run "and removed nothing" test -d "$devs/$u2"

# ---- capacity: fill simgpu0 with V1_8 ----
tap_run "remove" "$M" remove "$c1"
tap_run "remove with an upper-case UUID" "$M" remove "$U2"
tap_is "no devices left" "$(ndevs)" 0
a8=$(avail V1_8)
made=()
for _ in $(seq 20); do
	run "$M" create V1_8
	[ "$RC" = 0 ] || break
	made+=("$OUT")
done
tap_is "create made as many V1_8 as were available, then failed" "${#made[@]} $RC" "$a8 1"
tap_like "it says there is no capacity on simgpu0" "$ERR" \
	'no capacity on simgpu0: available_instances is 0 for mvgpu-V1_8'
# The totals are V1_1's sizes: see what is left of each after the V1_8s.
short=
for r in high_gm:high_gm_size fence:fence; do
	left=$(($(desc V1_1 "${r#*:}") - ${#made[@]} * $(desc V1_8 "${r#*:}")))
	[ "$left" -lt "$(desc V1_8 "${r#*:}")" ] && short="$short ${r%%:*}"
done
tap_is "what is exhausted, by the descriptions" "${short:-none}" " high_gm"
tap_like "the message names it" "$ERR" \
	"high_gm is exhausted: mvgpu-V1_8 needs $(desc V1_8 high_gm_size)MB; in use: $((${#made[@]} * $(desc V1_8 high_gm_size)))MB of $(desc V1_1 high_gm_size)MB, by ${#made[@]} vGPUs"
tap_fails "and not the fences, of which some are left" \
	grep -q 'fence .*exhausted' <<<"$ERR"
expect 1 'no capacity on simgpu0: available_instances is 0 for mvgpu-V1_1' \
	"create --parent of a type that does not fit says so" "$M" create V1_1 --parent simgpu0
tap_like "and names every resource V1_1 cannot get" "$(oneline "$ERR")" \
	'low_gm is exhausted[^~]*~[^~]*high_gm is exhausted[^~]*~[^~]*fence is exhausted'
tap_is "failed creates left no device behind" "$(ndevs)" "${#made[@]}"

# ---- scheduler settings and statistics ----
u=${made[0]}
# this tree's mvgpu always has the scheduler
tap_run "the vGPU has scheduler statistics (mvgpu/stats)" test -e "$devs/$u/mvgpu/stats"
run "$M" set "$u" weight 9
tap_is "set weight" "$RC $(cat "$devs/$u/mvgpu/weight")" "0 9"
run "$M" set "$u" cap 40
tap_is "set cap" "$RC $(cat "$devs/$u/mvgpu/cap")" "0 40"
run "$M" show --json "$u"
jq_is "show --json has weight, cap and the stats" "$OUT" \
	'[.weight, .cap, .stats.state, (.stats.engines.render.busy_ns | type)] | join(" ")' \
	"9 40 $(sed -n 's/^state: //p' "$devs/$u/mvgpu/stats") number"
run "$M" show "$u"
tap_like "show has the stats" "$OUT" 'render\.busy_ns: +[0-9]+'
expect 1 'Permission denied; run as root' "set as a user says to run as root" \
	nobody "$M" set "$u" weight 3
tap_is "and changed nothing" "$(cat "$devs/$u/mvgpu/weight")" 9
tap_run "set cap 0 lifts the cap" "$M" set "$u" cap 0
# the display's plane type, which changes only while no VM has the vGPU
run "$M" set "$u" plane_type dmabuf
tap_is "set plane_type dmabuf" "$RC $(cat "$devs/$u/mvgpu/plane_type")" "0 dmabuf"
run "$M" show "$u"
tap_like "show has plane_type" "$OUT" 'plane_type: +dmabuf'
run "$M" show --json "$u"
jq_is "show --json has plane_type" "$OUT" '.plane_type' dmabuf
coproc HOLD { "$MVGPU_OUT/tests/vfio_hold" "$u"; }
held=
read -r -t 60 -u "${HOLD[0]}" held
expect 1 'is open \(a VM uses it\): its plane_type changes only while it is closed' \
	"set plane_type while a VM holds the vGPU says why it cannot" \
	"$M" set "$u" plane_type region
tap_is "... and changed nothing" "$held $(cat "$devs/$u/mvgpu/plane_type")" "open dmabuf"
eval "exec ${HOLD[1]}>&-"
wait "$HOLD_PID"
run "$M" set "$u" plane_type region
tap_is "set plane_type region once it is closed" \
	"$RC $(cat "$devs/$u/mvgpu/plane_type")" "0 region"
expect 2 "plane_type must be region or dmabuf, not 'gl'" "set plane_type gl is a usage error" \
	"$M" set "$u" plane_type gl
run "$M" top --count 2 --interval 0.5
tap_is "top --count 2: two tables" "$RC $(printf '%s\n' "$OUT" | grep -c '^UUID ')" "0 2"
tap_is "each has a row per vGPU with numeric shares" \
	"$(printf '%s\n' "$OUT" | grep -c -E "^[0-9a-f-]{36} +simgpu0 +mvgpu-V1_8 +[a-z]+ +[0-9]+ +[0-9]+ +[0-9]+\.[0-9] +[0-9]+\.[0-9]$")" \
	"$((2 * ${#made[@]}))"
run "$M" top --count 2 --interval 0.5 --json
jq_is "top --json: two samples of every vGPU with engine shares" "$OUT" \
	'[.vgpus | length, (map(.engines.render.busy_permille, .engines.copy.busy_permille | type) | unique | join(","))] | join(" ")' \
	"${#made[@]} number
${#made[@]} number"
expect 2 'weight must be a whole number from 1 to 100' "set weight 0 is a usage error" \
	"$M" set "$u" weight 0
expect 2 'cap must be a whole number from 0 to 100' "set cap 101 is a usage error" \
	"$M" set "$u" cap 101
expect 2 "unknown setting 'speed': want weight, cap or plane_type" \
	"an unknown setting is a usage error" "$M" set "$u" speed 1

rc=0
for u in "${made[@]}"; do
	"$M" remove "$u" || rc=1
done
tap_is "remove every V1_8" "$rc $(ndevs) $(avail V1_8)" "0 0 $a8"

# ---- an mvtty device ----
run "$M" create mvtty-1
t=$OUT
tap_is "create mvtty-1 by its full name" "$RC $(basename "$(readlink "$devs/$t/mdev_type")")" \
	"0 mvtty-1"
run "$M" show --json "$t"
jq_is "show --json of a non-vGPU" "$OUT" '[.parent, .type, .vgpu] | map(tostring) | join(" ")' \
	"mvtty mvtty-1 false"
expect 1 'is not a vGPU' "set on a non-vGPU says so" "$M" set "$t" weight 5
run "$M" list
tap_fails "list leaves out mvtty devices" grep -q "$t" <<<"$OUT"
run "$M" list --all --json
jq_is "list --all --json has it" "$OUT" ".instances[] | select(.uuid == \"$t\") | .type" mvtty-1
tap_run "remove it" "$M" remove "$t"

# ---- a fake tree: a module with the scheduler, and a full parent ----
f=$tmp/fake
fu=0a0b0c0d-1111-2222-3333-444455556666
fake_tree "$f" "$fu"
run "$M" --sysfs-root "$f" show "$fu"
tap_like "fake: show lists the stats as key: value" "$(oneline "$OUT")" \
	'~state: +failsafe~failsafe_reason: +scan_violations~'
tap_like "fake: show has weight and cap" "$(oneline "$OUT")" '~weight: +8~cap: +25%~'
run "$M" --sysfs-root "$f" show --json "$fu"
jq_is "fake: show --json groups the engines' counters" "$OUT" \
	'[.vgpu_id, .weight, .cap, .stats.state, .stats.scan_rejects, .stats.engines.render.busy_ns, .stats.engines.copy.queue] | map(tostring) | join(" ")' \
	"3 8 25 failsafe 12 5000 1"
run "$M" --sysfs-root "$f" top --count 2 --interval 0.1
tap_is "fake: top prints two tables" "$RC $(printf '%s\n' "$OUT" | grep -c '^UUID ')" "0 2"
tap_is "fake: unchanged busy time is 0.0%, with weight and cap" \
	"$(printf '%s\n' "$OUT" | grep "^$fu" | tr -s ' ' | sort -u)" \
	"$fu simgpu0 mvgpu-V1_2 failsafe 8 25 0.0 0.0"
run "$M" --sysfs-root "$f" top --count 3 --interval 0.1 --json
jq_is "fake: top --json prints a document per sample" "$(printf '%s' "$OUT" | jq -s -c .)" \
	'map(.sample, .vgpus[0].engines.render.busy_ns) | join(" ")' "1 0 2 0 3 0"
run "$M" --sysfs-root "$f" set "$fu" weight 12
tap_is "fake: set weight writes mvgpu/weight" \
	"$RC $(cat "$f/devices/virtual/mvgpu/simgpu0/$fu/mvgpu/weight")" "0 12"
run "$M" --sysfs-root "$f" set "$fu" cap 0
tap_is "fake: set cap 0 writes mvgpu/cap" \
	"$RC $(cat "$f/devices/virtual/mvgpu/simgpu0/$fu/mvgpu/cap")" "0 0"
run "$M" --sysfs-root "$f" qemu-args "$fu"
tap_is "fake: qemu-args uses the tree's path" "$OUT" \
	"-device vfio-pci,sysfsdev=$f/bus/mdev/devices/$fu"
run "$M" --sysfs-root "$f" create V1_2
tap_like "fake: create picks the parent with room" "$RC $OUT" '^0 [0-9a-f-]{36}$'
tap_is "fake: by writing the UUID to its create file" \
	"$(cat "$f/devices/virtual/mvgpu/simgpu0/mdev_supported_types/mvgpu-V1_2/create")" "$OUT"
expect 1 'no capacity on simgpu0: available_instances is 0 for mvgpu-V1_1' \
	"fake: a type with no room" "$M" --sysfs-root "$f" create V1_1
tap_like "fake: names the exhausted resources and a type that fits" "$(oneline "$ERR")" \
	'high_gm is exhausted: mvgpu-V1_1 needs 1024MB; in use: 512MB of 1024MB, by 1 vGPU~[^~]*fence is exhausted: mvgpu-V1_1 needs 8 fences; in use: 4 of 8, by 1 vGPU~[^~]*use a type that still fits on simgpu0: mvgpu-V1_2 \(1\)'
rm "$f/class/mdev_bus/simgpu0"
ln -s ../../devices/virtual/mvtty/mvtty "$f/class/mdev_bus/mvtty"
expect 1 'see every parent with: mvgpuctl list --all' "fake: only other mdev parents: list says so" \
	"$M" --sysfs-root "$f" list

tap_done
