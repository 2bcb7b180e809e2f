# SPDX-License-Identifier: GPL-2.0-only
# The demo, inside the nested guest (busybox sh).
echo "PCI devices of this guest (vendor:device class driver):"
for d in /sys/bus/pci/devices/*; do
	drv=$(basename "$(readlink "$d/driver" 2>/dev/null)" 2>/dev/null)
	echo "  $(basename "$d") $(cat "$d/vendor"):$(cat "$d/device") $(cat "$d/class") ${drv:--}"
done
dmesg | grep -E 'ttyS[1-9]' | sed 's/^/  /'
echo "Writing through the guest's stock 8250 driver, UART in loopback mode:"
ttyloop --loop /dev/ttyS1 64 | sed 's/^/  /'
