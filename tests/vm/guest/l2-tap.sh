# SPDX-License-Identifier: GPL-2.0-only
# TAP for scripts run in L2 guests (busybox sh): run-l2.sh puts this file
# at /lib/tap.sh. Lines only, no plan: the L1 side adds the plan. Each
# check also leaves a line in /l2-checks, which /init counts for
# run-l2.sh: a check line the console lost is then noticed.
n=0
fail=0
check() {	# check DESCRIPTION TEST-ARGS...
	desc=$1
	shift
	n=$((n + 1))
	echo "$n" >>/l2-checks
	if "$@"; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fail=1; fi
}

# pci_dev VENDOR:DEVICE: the sysfs directory of that PCI device (the last
# one), or nothing
pci_dev() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = "$1" ] && echo "$d"
	done | tail -n 1
}
