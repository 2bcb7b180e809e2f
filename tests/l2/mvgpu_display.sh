# SPDX-License-Identifier: GPL-2.0-only
# Runs in the L2 guest (busybox sh) with a vGPU that QEMU shows
# (display=on): draws the test pattern (fbfill) into a 256x256 XRGB8888
# framebuffer in the aperture, backed through GTT entries by the reserved
# guest page range, scans it out, and asks L1 for a screenshot, which
# tests/vm/ppmcheck.py compares with the pattern. /bin/mvgpu-params as in
# mvgpu_pci.sh. Prints TAP lines, no plan.
. /bin/mvgpu-params
. /lib/tap.sh
rd() { pcimem "$dev" 0 "$1"; }
wr() { pcimem "$dev" 0 "$1" "$2"; }

dev=$(pci_dev 0x1234:0x6d67)
check "the vGPU is visible in L2" [ -n "$dev" ]
[ -n "$dev" ] || exit 1
echo 1 >"$dev/enable"
check "PVINFO version 1.1: it has a display" [ "$(rd 0x78008)" = 0x00010001 ]

# 64 aperture pages (256 KiB) on the reserved guest pages
gtt=$((0x800000 + (LOW_BASE >> 12) * 8))
i=0
while [ $i -lt 64 ]; do
	wr $((gtt + 8 * i)) $(((RESERVED + 4096 * i) | 1))
	wr $((gtt + 8 * i + 4)) 0
	i=$((i + 1))
done
check "GTT entries for the framebuffer" [ "$(($(rd $((gtt + 8 * 63)))))" = "$(((RESERVED + 4096 * 63) | 1))" ]
fbfill "$dev" 2 0 256 256 1024
# pixel (3, 255): red 3, green 255, blue 3 ^ 255
check "the pattern is in the aperture" [ "$(pcimem "$dev" 2 $((1024 * 255 + 4 * 3)))" = 0x0003fffc ]
# plane: XRGB8888, 256x256, 1 KiB stride, at the start of the aperture
wr 0x70180 0x80000001
wr 0x70184 1024
wr 0x70188 $((256 | 256 << 16))
wr 0x7018c $((LOW_BASE & 0xffffffff))
wr 0x70000 0x80000000
check "the pipe is active" [ "$(rd 0x70000)" = 0xc0000000 ]
check "the surface is live" [ "$(($(rd 0x70190)))" = "$((LOW_BASE & 0xffffffff))" ]
f0=$(rd 0x70008)
sleep 1
check "frames go by ($f0, then $(rd 0x70008))" [ "$(($(rd 0x70008)))" -gt "$((f0))" ]
# L1 takes the screenshot once the results are out (/init keeps the
# picture up until then)
: >/hold-for-screendump
exit $fail
