#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# vgpu-doctor against the fixture hosts of tests/tools/fixtures (and
# variants of them made in a temporary directory): the verdicts, the exit
# status, --device, the JSON output (checked with jq) and bad arguments.
# TAP on stdout.
#
# Usage: vgpu-doctor.sh [BINARY]
#   BINARY defaults to $MVGPU_OUT/tools/vgpu-doctor (make -C tools).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/env.sh"
. "$here/../lib/tap.sh"

doctor=${1:-$MVGPU_OUT/tools/vgpu-doctor}
fx=$here/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$doctor" ]; then
	tap_not_ok "vgpu-doctor is built ($doctor)"
	tap_done
	exit 1
fi
if ! command -v jq >/dev/null; then
	tap_not_ok "jq is installed (scripts/deps.sh)"
	tap_done
	exit 1
fi

# run DIR [ARGS...]: run against the host tree DIR; sets out, err and rc
run() {
	local dir=$1
	shift
	out=$("$doctor" --sysfs-root "$dir/sys" --proc-root "$dir/proc" \
		--dmesg "$dir/dmesg.txt" "$@" 2>"$tmp/stderr")
	rc=$?
	err=$(cat "$tmp/stderr")
}

# raw ARGS...: run with exactly these arguments; sets out, err and rc
raw() {
	out=$("$doctor" "$@" 2>"$tmp/stderr")
	rc=$?
	err=$(cat "$tmp/stderr")
}

# "name=verdict ..." of every check line of the human output in $out
verdicts() {
	printf '%s\n' "$out" | awk '$1 ~ /^(ok|warn|FAIL|skip)$/ { printf "%s%s=%s", sep, $2, $1; sep = " " }'
}

# line NAME: the check line of NAME; fix NAME: its fix line
line() {
	printf '%s\n' "$out" | awk -v n="$1" '$2 == n && $1 ~ /^(ok|warn|FAIL|skip)$/'
}
fix() {
	printf '%s\n' "$out" | awk -v n="$1" '
		found && $1 == "fix:" { sub(/^ *fix: /, ""); print; exit }
		{ found = ($2 == n && $1 ~ /^(ok|warn|FAIL|skip)$/) }'
}

# verdict_of NAME: the verdict of check NAME
verdict_of() {
	line "$1" | awk '{ print $1 }'
}

# variant NAME FROM: a writable copy of fixture FROM in $tmp/NAME
variant() {
	rm -rf "${tmp:?}/$1"
	cp -a "$fx/$2" "$tmp/$1"
	echo "$tmp/$1"
}

# --- the fixture hosts, as they are

run "$fx/intel-vfio"
tap_is "intel-vfio: verdicts" "$(verdicts)" \
	"cpu-virt=ok kvm=ok iommu-cmdline=ok iommu-log=ok iommu-sysfs=ok iommu-groups=ok vfio-pci-ids=ok vfio-groups=ok module-vfio=ok module-vfio_iommu_type1=ok module-vfio_pci=ok module-mdev=warn vfio-backend=warn mdev-parents=skip hugepages=ok memlock=ok"
tap_is "intel-vfio: exit status 0 (warnings and skips only)" "$rc" 0
tap_like "intel-vfio: VT-d seen in the kernel log, with interrupt remapping" \
	"$(line iommu-log)" 'Intel VT-d initialised .*interrupt remapping enabled; 11 devices'
tap_like "intel-vfio: both vfio-pci.ids entries are on vfio-pci" "$(line vfio-pci-ids)" \
	'10de:1b80 -> 0000:01:00.0, 10de:10f0 -> 0000:01:00.1'
tap_like "intel-vfio: group 1 listed with class, IDs and driver" "$out" \
	'0000:01:00.0  \[0300\] 10de:1b80  vfio-pci'
tap_like "intel-vfio: hugepages counted from sysfs" "$(line hugepages)" \
	'16 GiB reserved, 16 GiB free'
tap_like "intel-vfio: the summary line counts the verdicts" "$(printf '%s\n' "$out" | tail -n 1)" \
	'^13 ok, 2 warn, 0 FAIL, 1 skip$'
run "$fx/intel-vfio" --device 01:00.0
tap_like "intel-vfio --device 01:00.0: viable, the bridge on pcieport allowed" \
	"$(line device:0000:01:00.0)" \
	'^ok .*IOMMU group 1 is viable: 0000:00:01.0 pcieport \(bridge\), 0000:01:00.0 vfio-pci, 0000:01:00.1 vfio-pci'
tap_is "intel-vfio --device 01:00.0: exit status 0" "$rc" 0
run "$fx/intel-vfio" --device 0000:01:00.0 --device 00:1f.3
tap_like "intel-vfio: a second --device in a group of host devices fails" \
	"$(line device:0000:00:1f.3)" \
	'^FAIL .*group 5 .*not viable: 0000:00:1f.3 \(8086:a348\) on snd_hda_intel, 0000:00:1f.4 \(8086:a323\) on i801_smbus, 0000:00:1f.6 \(8086:15bc\) on e1000e'
tap_like "intel-vfio: ... while the first one still passes" "$(line device:0000:01:00.0)" '^ok'
tap_is "intel-vfio: ... and the exit status is 1" "$rc" 1

run "$fx/intel-nommu"
tap_is "intel-nommu: verdicts" "$(verdicts)" \
	"cpu-virt=ok kvm=ok iommu-cmdline=FAIL iommu-log=FAIL iommu-sysfs=FAIL iommu-groups=FAIL vfio-pci-ids=skip vfio-groups=skip module-vfio=ok module-vfio_iommu_type1=ok module-vfio_pci=warn module-mdev=warn vfio-backend=warn mdev-parents=skip hugepages=warn memlock=warn"
tap_is "intel-nommu: exit status 1" "$rc" 1
tap_is "intel-nommu: the fix says where intel_iommu=on goes" "$(fix iommu-cmdline)" \
	"add intel_iommu=on to the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub)"
tap_like "intel-nommu: the DMAR table without VT-d, interrupt remapping only" \
	"$(line iommu-log)" "firmware describes VT-d .*did not turn it on; only interrupt remapping is on"
tap_like "intel-nommu: memlock read from proc/self/limits" "$(line memlock)" \
	'8 MiB \(.*intel-nommu/proc/self/limits\)'
tap_like "intel-nommu: no groups listed" \
	"$(printf '%s\n' "$out" | grep -A1 '^IOMMU groups' | tr '\n' '|')" '^IOMMU groups \([^)]*\):\|  none\|$'
run "$fx/intel-nommu" --device 01:00.0
tap_like "intel-nommu --device: the GPU is in no IOMMU group" "$(line device:0000:01:00.0)" \
	'^FAIL .*0000:01:00.0 \(10de:1b80\) is in no IOMMU group'
tap_like "intel-nommu --device: vfio_pci is now required" "$(line module-vfio_pci)" '^FAIL'

run "$fx/amd-partial"
tap_is "amd-partial: verdicts" "$(verdicts)" \
	"cpu-virt=ok kvm=ok iommu-cmdline=warn iommu-log=ok iommu-sysfs=ok iommu-groups=ok vfio-pci-ids=ok vfio-groups=FAIL module-vfio=ok module-vfio_iommu_type1=ok module-vfio_pci=ok module-mdev=warn vfio-backend=warn mdev-parents=skip hugepages=warn memlock=warn"
tap_is "amd-partial: exit status 1" "$rc" 1
tap_like "amd-partial: amd_iommu=on is called out as no kernel option" "$(line iommu-cmdline)" \
	"amd_iommu=on is not a kernel option"
tap_like "amd-partial: group 17 is only partly on vfio-pci, and why" "$(line vfio-groups)" \
	'group 17 is only partly given to VFIO: 0000:0a:00.0 is on vfio-pci, but 0000:0a:00.1 \(10de:10f0\) on snd_hda_intel'
tap_like "amd-partial: the fix names the missing ID and the device" "$(fix vfio-groups)" \
	'add 10de:10f0 to vfio-pci.ids=.*devices/0000:0a:00.1/driver_override'
tap_like "amd-partial: AMD-Vi seen in the kernel log" "$(line iommu-log)" '^ok +iommu-log +AMD-Vi initialised'
run "$fx/amd-partial" --device 0a:00.0
tap_like "amd-partial --device 0a:00.0: the partly bound group fails, saying why" \
	"$(line device:0000:0a:00.0)" \
	'^FAIL .*group 17 of 0000:0a:00.0 is not viable: 0000:0a:00.1 \(10de:10f0\) on snd_hda_intel'
tap_is "amd-partial --device 0a:00.0: exit status 1" "$rc" 1
run "$fx/amd-partial" --device 0000:0b:00.0
tap_like "amd-partial --device of an unknown BDF fails" "$(line device:0000:0b:00.0)" \
	'^FAIL .*no PCI device 0000:0b:00.0'
tap_is "amd-partial --device of an unknown BDF: exit status 1" "$rc" 1
run "$fx/amd-partial" --device 00:00.2
tap_like "amd-partial --device of the IOMMU itself: in no group" "$(line device:0000:00:00.2)" \
	'^FAIL .*is in no IOMMU group'
run "$fx/amd-partial" --device 01:00.0
tap_like "amd-partial --device of a device on a host driver fails" "$(line device:0000:01:00.0)" \
	'^FAIL .*0000:01:00.0 \(144d:a808\) on nvme'
run "$fx/amd-partial" --device 00:03.1
tap_like "amd-partial --device of an unbound-but-viable bridge warns" "$(line device:0000:00:03.1)" \
	'^warn .*not bound to vfio-pci yet; group 6 is otherwise ready'

run "$fx/mvgpu"
tap_is "mvgpu: verdicts" "$(verdicts)" \
	"cpu-virt=ok kvm=ok iommu-cmdline=warn iommu-log=ok iommu-sysfs=ok iommu-groups=ok vfio-pci-ids=skip vfio-groups=skip module-vfio=ok module-vfio_iommu_type1=ok module-vfio_pci=warn module-mdev=ok vfio-backend=ok mdev-parents=ok hugepages=ok memlock=warn"
tap_is "mvgpu: exit status 0" "$rc" 0
tap_like "mvgpu: simgpu0 and its four types" "$(line mdev-parents)" \
	'simgpu0: 4 types \(mvgpu-V1_1 0 available, mvgpu-V1_2 1 available, mvgpu-V1_4 3 available, mvgpu-V1_8 6 available\)'
tap_like "mvgpu: the vGPU's vfio-noiommu group is listed with its type" \
	"$(printf '%s\n' "$out" | grep -A1 '^  group 6 ' | tr '\n' '|')" \
	'^  group 6 \[unknown\] "vfio-noiommu"\|    0dd8ebdc-1877-46c4-8ec0-11e9e83ec581  \(mdev\) type mvgpu-V1_4  mvgpu\|$'
tap_like "mvgpu: ... and does not count as a hardware group" "$(line iommu-groups)" \
	'6 IOMMU groups with 11 devices \(and groups of mediated devices\)'
tap_like "mvgpu: the type table shows the created instance" "$out" \
	'mvgpu-V1_4 +V1_4 +vfio-pci +3 available, 1 created'
tap_like "mvgpu: VT-d on by default, intel_iommu=on still advised" "$(line iommu-cmdline)" \
	'intel_iommu=on is not set: the kernel turned VT-d on by default'

run "$fx/novfio"
tap_is "novfio: verdicts" "$(verdicts)" \
	"cpu-virt=ok kvm=ok iommu-cmdline=ok iommu-log=ok iommu-sysfs=ok iommu-groups=ok vfio-pci-ids=skip vfio-groups=skip module-vfio=FAIL module-vfio_iommu_type1=FAIL module-vfio_pci=warn module-mdev=warn vfio-backend=skip mdev-parents=skip hugepages=warn memlock=ok"
tap_is "novfio: exit status 1" "$rc" 1
tap_is "novfio: the fix loads vfio" "$(fix module-vfio)" \
	"modprobe vfio; to load it at every boot, list it in /etc/modules-load.d/vfio.conf"

# --- JSON: valid, and the same results as the human output

for host in intel-vfio intel-nommu amd-partial mvgpu novfio; do
	run "$fx/$host"
	human=$(verdicts)
	human_rc=$rc
	run "$fx/$host" --json
	if ! printf '%s' "$out" | jq -e . >/dev/null 2>&1; then
		tap_not_ok "$host --json: valid JSON"
		tap_diag "$out"
		continue
	fi
	tap_is "$host --json: the checks and verdicts of the human output, exit status $human_rc" \
		"$(printf '%s' "$out" | jq -r '[.checks[] | "\(.name)=\(.verdict)"] | join(" ")') $(printf '%s' "$out" | jq .exit_status) $rc" \
		"$human $human_rc $human_rc"
	tap_is "$host --json: the summary adds up, warn and FAIL come with a fix, ok and skip not" \
		"$(printf '%s' "$out" | jq '(.summary | add) == (.checks | length) and all(.checks[]; (.verdict == "ok" or .verdict == "skip") == (.fix == null)) and all(.checks[]; .detail | length > 0)')" \
		true
done

run "$fx/amd-partial" --json --device 0a:00.0
tap_is "amd-partial --json: group 17 with both functions and their drivers" \
	"$(printf '%s' "$out" | jq -c '.groups[] | select(.id == 17) | [.devices[] | [.name, .vendor, .device, .class, .driver]]')" \
	'[["0000:0a:00.0","10de","1b80","030000","vfio-pci"],["0000:0a:00.1","10de","10f0","040300","snd_hda_intel"]]'
tap_is "amd-partial --json: the --device check and its fix" \
	"$(printf '%s' "$out" | jq -r '.checks[] | select(.name == "device:0000:0a:00.0") | "\(.verdict) \(.fix | test("10de:10f0"))"')" \
	"FAIL true"
tap_is "amd-partial --json: the device without a group is not in any" \
	"$(printf '%s' "$out" | jq '[.groups[].devices[].name] | index("0000:00:00.2")')" null
run "$fx/mvgpu" --json
tap_is "mvgpu --json: simgpu0's types, availability and instances" \
	"$(printf '%s' "$out" | jq -c '.mdev_parents | map({name, types: [.types[] | [.id, .name, .device_api, .available_instances, .instances]]})')" \
	'[{"name":"simgpu0","types":[["mvgpu-V1_1","V1_1","vfio-pci",0,0],["mvgpu-V1_2","V1_2","vfio-pci",1,0],["mvgpu-V1_4","V1_4","vfio-pci",3,1],["mvgpu-V1_8","V1_8","vfio-pci",6,0]]}]'
tap_is "mvgpu --json: a type's description is passed on" \
	"$(printf '%s' "$out" | jq -r '.mdev_parents[0].types[2].description')" \
	"$(printf 'low_gm_size: 64MB\nhigh_gm_size: 783MB\nfence: 7\nresolution: 1920x1200\nweight: 4')"
tap_is "mvgpu --json: the mdev's group: name, type, bus, driver, mdev type" \
	"$(printf '%s' "$out" | jq -c '.groups[] | select(.name == "vfio-noiommu") | [.id, .type, .devices[0].bus, .devices[0].vendor, .devices[0].driver, .devices[0].mdev_type]')" \
	'[6,"unknown","mdev",null,"mvgpu","mvgpu-V1_4"]'
tap_is "mvgpu --json: the roots are reported" \
	"$(printf '%s' "$out" | jq -r '"\(.tool) \(.sysfs_root) \(.proc_root)"')" \
	"vgpu-doctor $fx/mvgpu/sys $fx/mvgpu/proc"

# strings that need escaping come out as valid JSON
v=$(variant escape mvgpu)
printf 'tab\there "quoted" back\\slash \001ctl\n' >"$v/sys/devices/virtual/mvgpu/simgpu0/mdev_supported_types/mvgpu-V1_2/description"
run "$v" --json
tap_is "JSON: quotes, backslashes and control characters are escaped" \
	"$(printf '%s' "$out" | jq -r '.mdev_parents[0].types[1].description')" \
	"$(printf 'tab\there "quoted" back\\slash \001ctl')"

# --- variants: each check's other verdicts

v=$(variant backend-nocdev mvgpu)
sed -i '/ vfio-dev$/d' "$v/proc/devices"
run "$v"
tap_like "iommufd without the VFIO device cdev: vfio-backend warns, names the missing cdev" \
	"$(line vfio-backend) / $(fix vfio-backend)" \
	'^warn .*iommufd is loaded but this kernel has no VFIO device cdev.*deadlocks.* / use a kernel built with CONFIG_VFIO_DEVICE_CDEV=y.*patches/vfio'
sed -i '/^iommufd /d' "$v/proc/modules"
run "$v"
tap_like "no iommufd: vfio-backend warns about type1 and says how to get iommufd" \
	"$(line vfio-backend) / $(fix vfio-backend)" \
	'^warn .*only the VFIO type1 container: this kernel has no iommufd.* / modprobe iommufd'
run "$fx/mvgpu"
tap_like "iommufd and the cdev: vfio-backend is ok and gives QEMU's iommufd options" \
	"$(line vfio-backend)" \
	'^ok .*through iommufd, -object iommufd,id=iommufd0 -device vfio-pci,sysfsdev=\.\.\.,iommufd=iommufd0'

v=$(variant intel-off intel-vfio)
sed -i 's/intel_iommu=on/intel_iommu=off/' "$v/proc/cmdline"
sed -i 's/DMAR: IOMMU enabled/DMAR: IOMMU disabled/; /Virtualization Technology/d' "$v/dmesg.txt"
run "$v"
tap_like "intel_iommu=off fails iommu-cmdline" "$(line iommu-cmdline)" '^FAIL .*intel_iommu=off turns VT-d off'
tap_like "DMAR: IOMMU disabled in the log fails iommu-log" "$(line iommu-log)" \
	'^FAIL .*VT-d was turned off: "DMAR: IOMMU disabled"'

v=$(variant iommu-off intel-vfio)
sed -i 's/iommu=pt/iommu=off/' "$v/proc/cmdline"
run "$v"
tap_like "iommu=off fails iommu-cmdline" "$(line iommu-cmdline)" '^FAIL .*iommu=off turns every IOMMU off'

v=$(variant amd-off amd-partial)
sed -i 's/amd_iommu=on/amd_iommu=off/' "$v/proc/cmdline"
sed -i '/AMD-Vi\|amd_iommu\|Adding to iommu group/d' "$v/dmesg.txt"
rm -rf "$v/sys/class/iommu" "$v/sys/kernel/iommu_groups"
run "$v"
tap_like "amd_iommu=off fails iommu-cmdline" "$(line iommu-cmdline)" '^FAIL .*amd_iommu=off turns AMD-Vi off'
tap_like "an IVRS table without AMD-Vi messages fails iommu-log" "$(line iommu-log)" \
	'^FAIL .*firmware describes AMD-Vi \("ACPI: IVRS'
tap_like "no registered IOMMU fails iommu-sysfs, with the AMD fix" \
	"$(line iommu-sysfs) / $(fix iommu-sysfs)" \
	'^FAIL .*/ enable the IOMMU \(AMD-Vi\) in the firmware setup'
tap_like "no IOMMU groups fail iommu-groups" "$(line iommu-groups)" '^FAIL .*no IOMMU groups'

v=$(variant amd-plain amd-partial)
sed -i 's/ amd_iommu=on iommu=pt//' "$v/proc/cmdline"
run "$v"
tap_like "AMD without any IOMMU option is fine" "$(line iommu-cmdline)" \
	'^ok .*nothing turns AMD-Vi off.*iommu=pt is not set'

v=$(variant novt intel-vfio)
sed -i 's/ vmx / /' "$v/proc/cpuinfo"
run "$v"
tap_like "no vmx flag on bare metal: FAIL, enable it in the firmware" \
	"$(line cpu-virt) / $(fix cpu-virt)" '^FAIL .*/ enable Intel VT-x or AMD-V'
sed -i 's/^flags\t\t: /&hypervisor /' "$v/proc/cpuinfo"
run "$v"
tap_like "no vmx flag in a VM: FAIL, enable nested virtualization" \
	"$(line cpu-virt) / $(fix cpu-virt)" '^FAIL .*this is a virtual machine / enable nested virtualization'
printf 'processor\t: 0\nvendor_id\t: ARM\n' >"$v/proc/cpuinfo"
run "$v"
tap_like "no x86 flags at all: cpu-virt is skipped" "$(line cpu-virt)" '^skip .*no x86 CPU flags'

v=$(variant nokvm intel-vfio)
rm -rf "$v/sys/class/misc" "$v/sys/devices/virtual/misc"
run "$v"
tap_like "no KVM device with kvm_intel loaded: FAIL, look at the log" \
	"$(line kvm) / $(fix kvm)" '^FAIL .*class/misc/kvm does not exist / kvm_intel is loaded but registered no /dev/kvm'
sed -i '/^kvm/d' "$v/proc/modules"
rm -rf "$v/sys/module/kvm_intel"
run "$v"
tap_like "no KVM device and no KVM module: FAIL, load it" "$(fix kvm)" '^modprobe kvm_intel'

v=$(variant oldlog intel-nommu)
sed -i '/Linux version\|Command line\|DMAR\|ACPI: DMAR/d' "$v/dmesg.txt"
run "$v"
tap_like "a kernel log that no longer reaches boot: iommu-log is skipped" "$(line iommu-log)" \
	'^skip .*no longer reaches back to boot'
printf '[    0.000000] Linux version 6.12.43+deb13-amd64\n' >>"$v/dmesg.txt"
run "$v"
tap_like "a boot log without any DMAR or AMD-Vi message fails iommu-log" "$(line iommu-log)" \
	'^FAIL .*no DMAR or AMD-Vi messages since boot'
raw --sysfs-root "$fx/intel-vfio/sys" --proc-root "$fx/intel-vfio/proc"
tap_like "another root without --dmesg: iommu-log is skipped, not read live" "$(line iommu-log)" \
	'^skip .*no kernel log for another root'
out=$("$doctor" --sysfs-root "$fx/amd-partial/sys" --proc-root "$fx/amd-partial/proc" \
	--dmesg - <"$fx/amd-partial/dmesg.txt" 2>/dev/null)
tap_like "--dmesg - reads the kernel log from standard input" "$(line iommu-log)" \
	'^ok .*AMD-Vi initialised.*\(standard input\)'

v=$(variant ids amd-partial)
sed -i 's/vfio-pci.ids=10de:1b80/vfio-pci.ids=10de:1b80,10de:10f0/' "$v/proc/cmdline"
run "$v"
tap_like "vfio-pci.ids= with a device another driver claimed: FAIL" "$(line vfio-pci-ids)" \
	'^FAIL .*claimed first: 0000:0a:00.1 \(10de:10f0\) is on snd_hda_intel'
tap_like "... and the fix orders the modules" "$(fix vfio-pci-ids)" \
	'softdep snd_hda_intel pre: vfio-pci'
sed -i 's/vfio-pci.ids=[^ ]*/vfio-pci.ids=10de:1b81/' "$v/proc/cmdline"
run "$v"
tap_like "vfio-pci.ids= with an ID that matches no device: warn" "$(line vfio-pci-ids)" \
	'^warn .*match no device: 10de:1b81'
sed -i 's/vfio-pci.ids=[^ ]*/vfio_pci.ids=10de:zz/' "$v/proc/cmdline"
run "$v"
tap_like "vfio_pci.ids= (underscore) with an invalid entry: FAIL" "$(line vfio-pci-ids)" \
	"^FAIL .*invalid entry '10de:zz'"
sed -i 's/vfio_pci.ids=[^ ]*/vfio-pci.ids=10de:1b80:1458:3702/' "$v/proc/cmdline"
run "$v"
tap_like "vfio-pci.ids= with a matching subsystem ID: ok" "$(line vfio-pci-ids)" \
	'^ok .*10de:1b80:1458:3702 -> 0000:0a:00.0'
sed -i 's/vfio-pci.ids=[^ ]*/vfio-pci.ids=10de:1b80:1043:8591/' "$v/proc/cmdline"
run "$v"
tap_like "vfio-pci.ids= with another subsystem ID matches nothing" "$(line vfio-pci-ids)" \
	'^warn .*match no device: 10de:1b80:1043:8591'

v=$(variant unbound intel-vfio)
rm "$v/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.1/driver"
run "$v" --device 01:00.1
tap_like "a vfio-pci.ids= device without a driver: warn" "$(line vfio-pci-ids)" \
	'^warn .*have no driver: 0000:01:00.1 \(10de:10f0\)'
tap_like "an unbound device keeps its group viable" "$(line vfio-groups)" '^ok'
tap_like "--device of the unbound device: warn, not bound yet" "$(line device:0000:01:00.1)" \
	'^warn .*not bound to vfio-pci yet; group 1 is otherwise ready'

v=$(variant hpfull intel-vfio)
echo 0 >"$v/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages"
run "$v"
tap_like "all hugepages in use: warn" "$(line hugepages)" '^warn .*all 16 GiB of hugepages are in use'
rm -rf "$v/sys/kernel/mm"
run "$v"
tap_like "hugepages from meminfo when sysfs has none" "$(line hugepages)" \
	'^ok .*16 GiB reserved, 16 GiB free: 1 GiB pages: 16 \(16 free\)$'
sed -i '/Huge/d' "$v/proc/meminfo"
run "$v"
tap_like "no hugepage support at all: skip" "$(line hugepages)" '^skip'

v=$(variant mdevfull mvgpu)
for t in "$v"/sys/devices/virtual/mvgpu/simgpu0/mdev_supported_types/*; do
	echo 0 >"$t/available_instances"
done
run "$v"
tap_like "no type can create an instance: warn" "$(line mdev-parents)" \
	'^warn .*no type can create another instance'
rm "$v/sys/class/mdev_bus/simgpu0"
run "$v"
tap_like "mdev loaded without parents: warn" "$(line mdev-parents) / $(fix mdev-parents)" \
	'^warn .*no mdev parent device is registered / load a parent driver'

v=$(variant mdevonly mvgpu)
rm -rf "$v/sys/class/iommu" "$v"/sys/kernel/iommu_groups/[0-5]
run "$v"
tap_like "only the vfio-noiommu group of a vGPU: iommu-groups fails, saying why" \
	"$(line iommu-groups)" \
	'^FAIL .*has only the vfio-noiommu groups of mediated devices \(1\), which need no IOMMU'

v=$(variant mods novfio)
mkdir -p "$v/sys/module/vfio/parameters"
echo 'iommufd 98304 0 - Live 0x0000000000000000' >>"$v/proc/modules"
run "$v"
tap_like "vfio only in /sys/module: built in" "$(line module-vfio)" '^ok .*vfio is built in'
tap_like "iommufd instead of vfio_iommu_type1 is fine" "$(line module-vfio_iommu_type1)" \
	'^ok .*but iommufd is'

run "$fx/amd-partial" --memlock 64M
tap_like "--memlock 64M: warn" "$(line memlock)" '^warn .*64 MiB \(--memlock\).*can pin 64 MiB at most'
run "$fx/amd-partial" --memlock 1073741823
tap_like "--memlock just under 1 GiB: warn" "$(line memlock)" '^warn .*1024.0 MiB'
run "$fx/amd-partial" --memlock 1073741824
tap_like "--memlock 1 GiB in bytes: ok" "$(line memlock)" '^ok .*is 1 GiB \(--memlock\)'
run "$fx/intel-nommu" --memlock unlimited
tap_like "--memlock unlimited overrides the limits file" "$(line memlock)" '^ok .*unlimited \(--memlock\)'
v=$(variant nolimits novfio)
rm "$v/proc/self/limits"
run "$v"
tap_like "no limits file under another proc root: memlock is skipped" "$(line memlock)" '^skip'

v=$(variant noproc intel-vfio)
rm "$v/proc/cmdline" "$v/proc/cpuinfo" "$v/proc/modules"
run "$v"
tap_is "missing cmdline, cpuinfo and modules: those checks are skipped" \
	"$(verdict_of cpu-virt) $(verdict_of iommu-cmdline) $(verdict_of vfio-pci-ids) $(verdict_of modules)" \
	"skip skip skip skip"

v=$(variant nogroupdir intel-vfio)
rm -rf "$v/sys/kernel/iommu_groups/1"
run "$v" --device 01:00.0
tap_like "--device whose iommu_group link leads nowhere: FAIL" "$(line device:0000:01:00.0)" \
	"^FAIL .*links to IOMMU group '1', which .* does not have"

v=$(variant notypes mvgpu)
rm -rf "$v/sys/devices/virtual/mvgpu/simgpu0/mdev_supported_types"
run "$v"
tap_like "a parent without types: warn" "$(line mdev-parents)" \
	'^warn .*a parent offers no types: simgpu0: 0 types \(none\)'

v=$(variant somecpus intel-vfio)
sed -i '0,/ vmx / s/ vmx / /' "$v/proc/cpuinfo"
run "$v"
tap_like "vmx on some CPUs only: warn" "$(line cpu-virt)" '^warn .*\(vmx\) on 1 of 2 CPUs'

v=$(variant amderr amd-partial)
sed -i '/AMD-Vi: Extended\|AMD-Vi: Interrupt\|AMD-Vi: IOMMU perf\|perf\/amd_iommu/d' "$v/dmesg.txt"
echo '[    0.301500] AMD-Vi: [Firmware Bug]: IVRS table error: Invalid IVHD' >>"$v/dmesg.txt"
run "$v"
tap_like "an AMD-Vi table error in the log: FAIL, quoting it" "$(line iommu-log)" \
	'^FAIL .*AMD-Vi failed: ".*IVRS table error: Invalid IVHD"'
sed -i '/^kvm/d; /ccp/d' "$v/proc/modules"
rm -rf "$v/sys/class/misc" "$v/sys/module/kvm_amd"
run "$v"
tap_like "no KVM on an AMD host: the fix loads kvm_amd" "$(fix kvm)" '^modprobe kvm_amd'
sed -i 's/vfio-pci.ids=10de:1b80/vfio-pci.ids=/' "$v/proc/cmdline"
run "$v"
tap_like "an empty vfio-pci.ids=: warn" "$(line vfio-pci-ids)" '^warn .*vfio-pci.ids= is empty'

v=$(variant via intel-nommu)
sed -i 's/GenuineIntel/CentaurHauls/' "$v/proc/cpuinfo"
run "$v"
tap_like "a CPU vendor without known IOMMU options: iommu-cmdline skipped" "$(line iommu-cmdline)" \
	"^skip .*CPU vendor 'CentaurHauls'"

v=$(variant logformats intel-vfio)
sed -i 's/^/<6>/' "$v/dmesg.txt"
run "$v"
tap_like "a kernel log with syslog priorities is understood" "$(line iommu-log)" '^ok .*11 devices'
sed -i 's/^<6>\[[^]]*\] //' "$v/dmesg.txt"
run "$v"
tap_like "a kernel log without time stamps is understood" "$(line iommu-log)" '^ok .*11 devices'

# --- the live system: every verdict that this host's /proc and /sys decide
# plainly is worked out here from them, and the rest must agree with the
# exit status and the JSON

# live_checks: the checks vgpu-doctor runs here, in order
live_checks() {
	printf '%s' "cpu-virt kvm iommu-cmdline iommu-log iommu-sysfs iommu-groups vfio-pci-ids vfio-groups"
	if [ -r /proc/modules ]; then
		printf '%s' " module-vfio module-vfio_iommu_type1 module-vfio_pci module-mdev"
	else
		printf '%s' " modules"	# a kernel without loadable modules
	fi
	printf '%s\n' " vfio-backend mdev-parents hugepages memlock"
}

# live_verdicts: "name=verdict ..." of the checks judged from the host itself
live_verdicts() {
	local n v f total=0 free=0 seen=0 h lim p t avail
	# cpu-virt: vmx or svm on every CPU, some, none; no flags at all
	n=$(grep -c '^flags' /proc/cpuinfo)
	f=$(grep '^flags' /proc/cpuinfo | grep -c -w -e vmx -e svm)
	if [ "$n" = 0 ]; then v=skip; elif [ "$f" = 0 ]; then v=FAIL
	elif [ "$f" = "$n" ]; then v=ok; else v=warn; fi
	printf 'cpu-virt=%s' "$v"
	# kvm: registered, and /dev/kvm usable
	if [ ! -e /sys/class/misc/kvm/dev ]; then v=FAIL
	elif [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then v=ok; else v=warn; fi
	printf ' kvm=%s' "$v"
	# iommu-sysfs: any IOMMU registered
	if [ -n "$(ls -A /sys/class/iommu 2>/dev/null)" ]; then v=ok; else v=FAIL; fi
	printf ' iommu-sysfs=%s' "$v"
	# vfio-backend: skipped without vfio; ok with iommufd and the VFIO device
	# cdev (a vfio-dev region in /proc/devices); else only type1, a warning
	if [ ! -d /sys/module/vfio ]; then v=skip
	elif [ -d /sys/module/iommufd ] && grep -q ' vfio-dev$' /proc/devices; then v=ok
	else v=warn; fi
	printf ' vfio-backend=%s' "$v"
	# mdev-parents: mdev loaded, parents, types, room for an instance
	if [ ! -d /sys/class/mdev_bus ] && [ ! -d /sys/module/mdev ]; then v=skip
	elif [ -z "$(ls -A /sys/class/mdev_bus 2>/dev/null)" ]; then v=warn
	else
		v=ok avail=0
		for p in /sys/class/mdev_bus/*; do
			[ -n "$(ls -A "$p/mdev_supported_types" 2>/dev/null)" ] || v=warn
			for t in "$p"/mdev_supported_types/*/available_instances; do
				[ -r "$t" ] && [ "$(cat "$t")" -gt 0 ] && avail=1
			done
		done
		[ $avail = 1 ] || v=warn
	fi
	printf ' mdev-parents=%s' "$v"
	# hugepages: reserved and some free, from sysfs or else meminfo
	for h in /sys/kernel/mm/hugepages/hugepages-*; do
		[ -r "$h/nr_hugepages" ] || continue
		seen=1
		total=$((total + $(cat "$h/nr_hugepages")))
		free=$((free + $(cat "$h/free_hugepages" 2>/dev/null || echo 0)))
	done
	if [ $seen = 0 ] && grep -q '^Hugepagesize:' /proc/meminfo; then
		seen=1
		total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)
		free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
	fi
	if [ $seen = 0 ]; then v=skip; elif [ "${total:-0}" -gt 0 ] && [ "${free:-0}" -gt 0 ]; then v=ok
	else v=warn; fi
	printf ' hugepages=%s' "$v"
	# memlock: at least 1 GiB (ulimit -l counts KiB), as vgpu-doctor inherits it
	lim=$(ulimit -l)
	if [ "$lim" = unlimited ] || [ "$lim" -ge 1048576 ]; then v=ok; else v=warn; fi
	printf ' memlock=%s\n' "$v"
}

# klog_want [PREFIX...]: the iommu-log line that vgpu-doctor run with
# PREFIX (setpriv, as another user) must print: the log from /dev/kmsg if
# that user may read it, else from syslog(2) (dmesg -S), else skipped; the
# verdict from what the log holds
klog_want() {
	local src log
	if "$@" dd if=/dev/kmsg of=/dev/null bs=8192 count=1 iflag=nonblock 2>/dev/null; then
		src='/dev/kmsg' log=$("$@" dmesg 2>/dev/null)
	elif "$@" dmesg -S >/dev/null 2>&1; then
		src='syslog\(2\)' log=$("$@" dmesg -S 2>/dev/null)
	else
		echo '^skip +iommu-log +cannot read the kernel log \(/dev/kmsg: [^;]+; syslog: [^)]+\): run as root, or pass --dmesg FILE$'
		return
	fi
	if grep -q -e 'DMAR: Intel(R) Virtualization Technology for Directed I/O' \
		-e 'AMD-Vi: Extended features' -e 'AMD-Vi: Interrupt remapping enabled' \
		-e 'AMD-Vi: Found IOMMU' -e 'AMD-Vi: IOMMU performance counters supported' \
		-e 'perf/amd_iommu: Detected AMD IOMMU' <<<"$log"; then
		echo "^ok +iommu-log +.* initialised .*\($src\)$"
	elif grep -q -E -e 'AMD-Vi:.*(IVRS table error|Failed to initialize)' \
		-e 'DMAR: (IOMMU disabled|Host address width|DRHD base)' -e 'ACPI: (DMAR|IVRS) ' \
		-e 'Linux version |Command line: ' <<<"$log"; then
		echo "^FAIL +iommu-log +.*\($src\)$"
	else
		echo "^skip +iommu-log +.*\($src\) no longer reaches back to boot$"
	fi
}

raw --json
json=$out json_rc=$rc
raw
tap_is "the live host: every check, in order" \
	"$(verdicts | sed -E 's/=[A-Za-z]+//g')" "$(live_checks)"
nfail=$(printf '%s\n' "$out" | grep -c '^FAIL ')
want=$([ "$nfail" = 0 ] && echo 0 || echo 1)
tap_is "the live host: exit status $want, as $nfail checks FAIL" "$rc" "$want"
tap_is "the live host --json: the checks, verdicts and exit status of the human output" \
	"$(printf '%s' "$json" | jq -r '[.checks[] | "\(.name)=\(.verdict)"] | join(" ")' 2>&1) $(printf '%s' "$json" | jq .exit_status 2>&1) $json_rc" \
	"$(verdicts) $rc $rc"
want=$(live_verdicts)
tap_is "the live host: the verdicts its /proc and /sys decide" \
	"$(for c in $want; do printf '%s=%s ' "${c%%=*}" "$(verdict_of "${c%%=*}")"; done)" \
	"$want "
tap_like "the live host as $(id -un): iommu-log reads the kernel log it may read, and judges it" \
	"$(line iommu-log)" "$(klog_want)"
# as nobody, when run as root: the log only if dmesg_restrict lets nobody read it
if [ "$(id -u)" = 0 ]; then
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	out=$("${as[@]}" "$doctor" 2>&1)
	tap_like "the live host as nobody: iommu-log reads the kernel log it may read, and judges it" \
		"$(line iommu-log)" "$(klog_want "${as[@]}")"
else
	tap_skip "the live host as nobody: iommu-log reads the kernel log it may read" \
		"not run as root, so not as another user"
fi

# --- bad arguments: exit status 2, a message on stderr, nothing on stdout

# usage DESC REGEX ARGS...
usage() {
	local desc=$1 re=$2
	shift 2
	raw "$@"
	if [ "$rc" = 2 ] && [ -z "$out" ] && printf '%s' "$err" | grep -E -q -- "$re"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
		tap_diag "args: $*" "exit status: $rc" "stdout: $out" "stderr: $err"
	fi
}
usage "unknown long option" "unknown option '--frobnicate'" --frobnicate
usage "unknown short option" "unknown option '-x'" -x
usage "missing argument of --device" "option '--device' needs an argument" --device
usage "missing argument of --sysfs-root" "option '--sysfs-root' needs an argument" --sysfs-root
usage "missing argument of --memlock" "option '--memlock' needs an argument" --json --memlock
usage "nonexistent --sysfs-root" "--sysfs-root '/nonexistent/sys': No such file" \
	--sysfs-root /nonexistent/sys
usage "nonexistent --proc-root" "--proc-root '/nonexistent/proc': No such file" \
	--proc-root /nonexistent/proc
usage "--proc-root that is a file" "not a directory" --proc-root "$fx/mvgpu/proc/cmdline"
usage "empty --sysfs-root" "needs a directory" --sysfs-root ""
usage "nonexistent --dmesg file" "cannot read the kernel log '/nonexistent/dmesg'" \
	--sysfs-root "$fx/mvgpu/sys" --dmesg /nonexistent/dmesg
for bad in abc -1 12X 1T5 "" 99999999999999999999 17179869184T 1.5G; do
	usage "bad --memlock '$bad'" "--memlock '$bad': not a byte count" --memlock "$bad"
done
for bad in 01:00 zz:00.0 01:20.0 01:00.8 0000:001:00.0 1:2:3:4.0 "" 01:00.0x; do
	usage "bad --device '$bad'" "--device '$bad': not a PCI address" --device "$bad"
done
many=()
for i in $(seq 0 16); do
	many+=(--device "00:$(printf %02x "$i").0")
done
usage "more than 16 --device" "at most 16 devices" "${many[@]}"
usage "a stray argument" "unexpected argument 'extra'" --json extra

raw --help
tap_is "--help: exit status 0" "$rc" 0
missing=
for word in --device --json --dmesg --memlock --proc-root --sysfs-root cpu-virt kvm \
	iommu-cmdline iommu-log iommu-sysfs iommu-groups vfio-pci-ids vfio-groups device:BDF \
	module-NAME mdev-parents hugepages memlock "Exit status"; do
	grep -q -- "$word" <<<"$out" || missing+=" $word"	# no pipe: grep -q may close it early
done
tap_is "--help: documents every option, check and the exit status" "${missing:-none}" none
raw --version
tap_like "--version: prints the version" "$rc $out" '^0 vgpu-doctor [0-9]'

tap_done
