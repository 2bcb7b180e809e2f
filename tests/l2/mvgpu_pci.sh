# SPDX-License-Identifier: GPL-2.0-only
# Runs in the L2 guest (busybox sh) with a vGPU: its PCI identity and BARs,
# the PVINFO page read through BAR0, and the aperture reaching guest memory
# through GTT entries the guest writes. /bin/mvgpu-params (from L1) gives
# LOW_BASE, LOW_SIZE, HIGH_BASE, HIGH_SIZE and RESERVED (a guest-physical
# page kept from the kernel with memmap=). Prints TAP lines, no plan.
. /bin/mvgpu-params
. /lib/tap.sh
rd() { pcimem "$dev" "$1" "$2"; }
wr() { pcimem "$dev" "$1" "$2" "$3"; }
size() {	# BAR size from the resource file
	sed -n "$(($1 + 1))p" "$dev/resource" |
		{ read -r start end flags; printf '%d' $((end - start + 1)); }
}

dev=$(pci_dev 0x1234:0x6d67)
check "the vGPU is visible in L2 (vendor 0x1234, device 0x6d67)" [ -n "$dev" ]
[ -n "$dev" ] || exit 1
check "it is a display controller" [ "$(cat "$dev/class")" = 0x038000 ]
check "BAR2 is the aperture slice: $(size 2) bytes" [ "$(size 2)" = "$((LOW_SIZE))" ]
check "BAR4 is 8 bytes of I/O" [ "$(size 4)" = 8 ]
echo 1 >"$dev/enable"

check "PVINFO magic read through BAR0" [ "$(rd 0 0x78000) $(rd 0 0x78004)" = "0x7067766d 0x00000075" ]
check "PVINFO version 1.1" [ "$(rd 0 0x78008)" = 0x00010001 ]
low=$(printf '0x%08x%08x' "$(rd 0 0x78014)" "$(rd 0 0x78010)")
check "PVINFO low GM base as L1 sees it ($low)" [ "$((low))" = "$((LOW_BASE))" ]
check "PVINFO low GM size" [ "$(($(rd 0 0x78018)))" = "$((LOW_SIZE))" ]
high=$(printf '0x%08x%08x' "$(rd 0 0x78024)" "$(rd 0 0x78020)")
check "PVINFO high GM base" [ "$((high))" = "$((HIGH_BASE))" ]

# GTT entries for the first two aperture pages, both on the reserved page
gtt=$((0x800000 + (LOW_BASE >> 12) * 8))
wr 0 $gtt $((RESERVED | 1)) && wr 0 $((gtt + 4)) 0
wr 0 $((gtt + 8)) $((RESERVED | 1)) && wr 0 $((gtt + 12)) 0
check "the guest reads its GTT entry back" [ "$(($(rd 0 $gtt)))" = "$((RESERVED | 1))" ]
wr 2 0x10 0x5a5aa5a5
check "aperture write and read back" [ "$(rd 2 0x10)" = 0x5a5aa5a5 ]
check "the same guest page through the second GTT entry" [ "$(rd 2 0x1010)" = 0x5a5aa5a5 ]
check "an aperture page with no GTT entry reads 0" [ "$(rd 2 0x2010)" = 0x00000000 ]
exit $fail
