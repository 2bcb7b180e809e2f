# SPDX-License-Identifier: GPL-2.0-only
# Runs in the L2 guest (busybox sh): the guest's stock 8250_pci driver must
# bind to the mvtty device, and its tty must work. Prints TAP lines
# without a plan: the L1 side adds its own checks and the plan.
. /lib/tap.sh

dev=$(pci_dev 0x1234:0x6d74)
check "the mvtty PCI device is visible in L2" [ -n "$dev" ]
[ -n "$dev" ] || exit 1
check "its class is a 16550 serial controller" [ "$(cat "$dev/class")" = 0x070002 ]
drv=$(basename "$(readlink "$dev/driver")")
check "the stock 8250_pci driver (serial) bound to it: '$drv'" [ "$drv" = serial ]
# the tty sits below the PCI device (deeper since the serial core's ports
# became devices of their own)
tty=
devpath=$(readlink -f "$dev")
for t in /sys/class/tty/ttyS*; do
	case $(readlink -f "$t") in "$devpath"/*) tty=$(basename "$t") ;; esac
done
check "it registered a tty: '$tty'" [ -n "$tty" ]
if [ -z "$tty" ]; then
	dmesg | grep -i -E 'serial|tty|8250' | sed 's/^/# /'
	cat /proc/tty/driver/serial | sed 's/^/# /'
fi
irq=$(cat "$dev/irq")
exec 3<>"/dev/$tty"	# keep the port open: its IRQ is requested while open
before=$(awk -v irq="$irq:" '$1 == irq { s = 0; for (i = 2; $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts)

out=$(ttyloop --loop "/dev/$tty" 4096)
st=$?
echo "$out" | sed 's/^/# /'
check "4096 bytes written in loopback mode are read back" [ $st = 0 ]
out=$(ttyloop "/dev/$tty" 64)
st=$?
echo "$out" | sed 's/^/# /'
check "without loopback nothing comes back" [ $st = 0 ]
after=$(awk -v irq="$irq:" '$1 == irq { s = 0; for (i = 2; $i ~ /^[0-9]+$/; i++) s += $i; print s }' /proc/interrupts)
exec 3<&-
check "the device's interrupt $irq fired (${before:-0} -> ${after:-0})" [ "${after:-0}" -gt "${before:-0}" ]
[ "${after:-0}" -gt "${before:-0}" ] || sed 's/^/# /' /proc/interrupts
exit $fail
