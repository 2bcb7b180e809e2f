#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# L1 job: the userspace tools (tools/) against the real modules, in make
# check's vm stage (results in tools-l1/) on the stock Debian kernel, or on
# the debug test kernel with DEBUG=1. Three suites: vgpu-doctor (below),
# mvgpuctl and mdevctl (tests/tools/guest/). The test kernels build no
# vfio_pci: the vgpu-doctor checks that need it are reported as skipped
# (# SKIP) there, and run on the Debian kernel.
# Needs the tools built into $MVGPU_OUT/tools; by hand, with the Debian
# modules built:
#   make -C tools OUT=$PWD/build/tools &&
#   tests/vm/run-l1.sh --name tools -- bash tests/vm/suites/tools.sh
set -u
. "$MVGPU_TOP/tests/vm/guest/lib.sh"
rc=0

# ---- vgpu-doctor (TAP: vgpu-doctor.tap) ----
# vgpu-doctor in this guest, which has no IOMMU, with vfio, mdev, simgpu and
# mvgpu loaded: the verdicts must match what the guest really has. Modules
# loaded here (and vfio_pci, loaded halfway) are unloaded at the end of the
# block; it leaves no mdev device behind.
vgpu_doctor_suite() {
	. tests/lib/tap.sh
	local doc=$MVGPU_OUT/tools/vgpu-doctor out json rc want flags u t dev lim
	local types=/sys/class/mdev_bus/simgpu0/mdev_supported_types
	verdict() { printf '%s\n' "$out" | awk -v n="$1" '$2 == n { print $1; exit }'; }
	line() { printf '%s\n' "$out" | awk -v n="$1" '$2 == n { print; exit }'; }
	doctor() { out=$("$doc" "$@" 2>&1); rc=$?; }

	doctor
	tap_is "vgpu-doctor exits 1: the guest has no IOMMU" "$rc" 1
	json=$("$doc" --json)
	tap_is "the JSON agrees on the exit status" "$(printf '%s' "$json" | jq .exit_status)" 1
	tap_is "the JSON has the same checks and verdicts" \
		"$(printf '%s' "$json" | jq -r '.checks[] | "\(.name)=\(.verdict)"' | tr '\n' ' ')" \
		"$(printf '%s\n' "$out" | awk '$1 ~ /^(ok|warn|FAIL|skip)$/ { printf "%s=%s ", $2, $1 }')"

	# the IOMMU checks, against the guest's own state
	tap_is "the guest really has no IOMMU" "$(ls /sys/class/iommu | wc -l)" 0
	tap_like "iommu-sysfs fails, with the virtual machine's fix" \
		"$(line iommu-sysfs) / $(printf '%s\n' "$out" | grep -A1 ' iommu-sysfs ' | tail -n 1)" \
		'^FAIL .*/ +fix: this is a virtual machine: give it a virtual IOMMU'
	if [ -n "$(ls /sys/kernel/iommu_groups)" ]; then
		tap_not_ok "no IOMMU group before any mdev exists ($(ls /sys/kernel/iommu_groups))"
	else
		tap_is "iommu-groups fails: there are no groups" "$(verdict iommu-groups)" FAIL
	fi
	if dmesg | grep -q 'Linux version'; then
		want='^FAIL .*no DMAR or AMD-Vi messages since boot.*\(/dev/kmsg\)$'
	else
		want='^skip .*no longer reaches back to boot'
	fi
	tap_like "iommu-log matches the guest's kernel log" "$(line iommu-log)" "$want"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$doc" 2>&1)
	if [ "$(cat /proc/sys/kernel/dmesg_restrict)" = 1 ]; then
		want='^skip .*cannot read the kernel log \(/dev/kmsg: Operation not permitted; syslog: Operation not permitted\): run as root'
	else
		want='^FAIL .*\(/dev/kmsg\)$'
	fi
	tap_like "as nobody, iommu-log follows kernel.dmesg_restrict" "$(line iommu-log)" "$want"
	doctor
	case $(sed -n 's/^vendor_id\t*: //p' /proc/cpuinfo | head -n 1) in
	GenuineIntel) want='^FAIL .*intel_iommu=on is not on the kernel command line and VT-d is off' ;;
	AuthenticAMD|HygonGenuine) want='^ok .*nothing turns AMD-Vi off' ;;
	*) want='^skip ' ;;
	esac
	tap_like "iommu-cmdline matches the CPU vendor and the command line" \
		"$(line iommu-cmdline)" "$want"

	# CPU, KVM, hugepages, memlock: as the guest has them
	flags=$(grep -m1 '^flags' /proc/cpuinfo)
	if printf '%s' "$flags" | grep -q -w -e vmx -e svm; then want=ok; else want=FAIL; fi
	tap_is "cpu-virt matches the CPU flags" "$(verdict cpu-virt)" "$want"
	if [ -e /sys/class/misc/kvm ]; then want='^(ok|warn) '; else want='^FAIL .*class/misc/kvm does not exist'; fi
	tap_like "kvm matches /sys/class/misc/kvm" "$(line kvm)" "$want"
	case $(awk '/^HugePages_Total/ { print $2 }' /proc/meminfo) in
	'') want=skip ;;	# a kernel without hugetlbfs (the test kernels)
	0) want=warn ;;
	*) want=ok ;;
	esac
	tap_is "hugepages matches /proc/meminfo" "$(verdict hugepages)" "$want"
	lim=$(ulimit -l)
	if [ "$lim" = unlimited ] || [ "$lim" -ge 1048576 ]; then want=ok; else want=warn; fi
	tap_is "memlock matches ulimit -l ($lim KiB)" "$(verdict memlock)" "$want"
	tap_is "nothing is on vfio-pci: vfio-pci-ids and vfio-groups are skipped" \
		"$(verdict vfio-pci-ids) $(verdict vfio-groups)" "skip skip"

	# the modules, before and after vfio_pci
	tap_is "vfio, vfio_iommu_type1 and mdev are loaded, vfio_pci not yet" \
		"$(verdict module-vfio) $(verdict module-vfio_iommu_type1) $(verdict module-mdev) $(verdict module-vfio_pci)" \
		"ok ok ok warn"
	if ! guest_modprobe -n vfio_pci 2>/dev/null; then
		# the test kernels build no vfio_pci; the Debian kernel's run covers it
		tap_skip "with vfio_pci loaded every module check is ok" \
			"this kernel ($(uname -r)) has no vfio_pci module"
		tap_skip "--device: a device in no IOMMU group cannot be passed through" \
			"this kernel ($(uname -r)) has no vfio_pci module"
	elif guest_modprobe vfio_pci; then
		doctor
		tap_is "with vfio_pci loaded every module check is ok" \
			"$(verdict module-vfio) $(verdict module-vfio_iommu_type1) $(verdict module-mdev) $(verdict module-vfio_pci)" \
			"ok ok ok ok"
		dev=$(ls /sys/bus/pci/devices | head -n 1)
		doctor --device "$dev"
		tap_like "--device $dev: in no IOMMU group, so it cannot be passed through" \
			"$(line "device:$dev")" '^FAIL .*is in no IOMMU group'
		guest_modprobe -r vfio_pci || tap_not_ok "modprobe -r vfio_pci"
	else
		tap_not_ok "modprobe vfio_pci"
	fi

	# mdev: simgpu0 with its four types, as sysfs has them
	doctor
	tap_like "mdev-parents lists simgpu0 with 4 types" "$(line mdev-parents)" \
		'^ok .*simgpu0: 4 types \(mvgpu-V1_1 [0-9]+ available, mvgpu-V1_2 [0-9]+ available, mvgpu-V1_4 [0-9]+ available, mvgpu-V1_8 [0-9]+ available\)'
	want=$(for t in "$types"/*; do
		printf '%s,%s,%s,%s,0 ' "${t##*/}" "$(cat "$t/name")" "$(cat "$t/device_api")" \
			"$(cat "$t/available_instances")"
	done)
	tap_is "the JSON types match sysfs (id, name, device_api, available, instances)" \
		"$("$doc" --json | jq -r '.mdev_parents[] | select(.name == "simgpu0") | .types[] | "\(.id),\(.name),\(.device_api),\(.available_instances),\(.instances)"' | tr '\n' ' ')" \
		"$want"
	tap_like "the human output lists the types" "$out" '    mvgpu-V1_8 +V1_8 +vfio-pci +[0-9]+ available, 0 created'

	# a vGPU: its vfio-noiommu group is listed but is no IOMMU group
	u=$(cat /proc/sys/kernel/random/uuid)
	if echo "$u" >"$types/mvgpu-V1_4/create"; then
		json=$("$doc" --json)
		tap_is "the vGPU's group: vfio-noiommu, bus mdev, driver mvgpu, type mvgpu-V1_4" \
			"$(printf '%s' "$json" | jq -c --arg u "$u" '.groups[] | select(.devices[].name == $u) | [.name, .devices[0].bus, .devices[0].driver, .devices[0].mdev_type]')" \
			'["vfio-noiommu","mdev","mvgpu","mvgpu-V1_4"]'
		tap_like "iommu-groups still fails: an mdev's group needs no IOMMU" \
			"$(printf '%s' "$json" | jq -r '.checks[] | select(.name == "iommu-groups") | "\(.verdict) \(.detail)"')" \
			'^FAIL .*vfio-noiommu groups of mediated devices'
		tap_is "V1_4 shows the instance and the availability sysfs has" \
			"$(printf '%s' "$json" | jq -r '.mdev_parents[0].types[] | select(.id == "mvgpu-V1_4") | "\(.instances) \(.available_instances)"')" \
			"1 $(cat "$types/mvgpu-V1_4/available_instances")"
		echo 1 >"/sys/bus/mdev/devices/$u/remove" || tap_not_ok "remove the vGPU"
	else
		tap_not_ok "create a V1_4 vGPU"
	fi
	tap_done
}
doctor_loaded=()
guest_load_vfio || exit 1
for m in simgpu mvgpu; do
	[ -d "/sys/module/$m" ] && continue
	guest_insmod "$m" || exit 1
	doctor_loaded=("$m" "${doctor_loaded[@]}")
done
export -f vgpu_doctor_suite guest_modprobe
guest_suite vgpu-doctor bash -c vgpu_doctor_suite || rc=1
for m in "${doctor_loaded[@]}"; do
	rmmod "$m" || rc=1
done
# ---- end of vgpu-doctor ----

# ---- mvgpuctl and mdevctl (tests/tools/guest/mvgpuctl.sh, tests/tools/guest/mdevctl.sh) ----
# Both need vfio, mdev, simgpu, mvgpu and mvtty loaded and no devices; the
# modules loaded here are unloaded at the end of the block.
tools_loaded=()
for m in simgpu mvgpu mvtty; do
	[ -d "/sys/module/$m" ] && continue
	if [ ${#tools_loaded[@]} = 0 ]; then
		guest_load_vfio || exit 1
	fi
	guest_insmod "$m" || exit 1
	tools_loaded=("$m" "${tools_loaded[@]}")
done
guest_suite mvgpuctl bash tests/tools/guest/mvgpuctl.sh "$MVGPU_OUT/tools/mvgpuctl" || rc=1
guest_suite mdevctl bash tests/tools/guest/mdevctl.sh || rc=1
for m in "${tools_loaded[@]}"; do
	rmmod "$m" || rc=1
done
# ---- end of mvgpuctl and mdevctl ----

exit $rc
