# SPDX-License-Identifier: GPL-2.0-only
# Runs in the L2 guest (busybox sh) with a vGPU that QEMU shows
# (display=on): the guest driver (mvgpu_drm.ko, in /bin) binds to it and
# brings up its display through KMS and fbdev emulation, lets go of it
# when unbound and takes it back when bound again; the
# test pattern (fbfill) is drawn through /dev/fb0, and /init keeps it up
# for L1's screenshot, which tests/vm/ppmcheck.py compares with the
# pattern. Prints TAP lines, no plan.
. /lib/tap.sh
rd() { pcimem "$dev" 0 "$1"; }

dev=$(pci_dev 0x1234:0x6d67)
check "the vGPU is visible in L2" [ -n "$dev" ]
[ -n "$dev" ] || exit 1
insmod /bin/mvgpu_drm.ko
check "the guest driver loads" [ -d /sys/module/mvgpu_drm ]
check "it binds to the vGPU: '$(basename "$(readlink "$dev/driver")")'" \
	[ "$(basename "$(readlink "$dev/driver")")" = mvgpu_drm ]
# unbound and bound again: it lets go of the device and takes it back
bdf=$(basename "$dev")
echo "$bdf" >/sys/bus/pci/drivers/mvgpu_drm/unbind
check "unbound: the vGPU has no driver, fb0 is gone" \
	sh -c '[ ! -e "$1/driver" ] && [ ! -e /sys/class/graphics/fb0 ]' _ "$dev"
echo "$bdf" >/sys/bus/pci/drivers/mvgpu_drm/bind
check "bound again: '$(basename "$(readlink "$dev/driver")")'" \
	[ "$(basename "$(readlink "$dev/driver")")" = mvgpu_drm ]
dmesg | grep -E 'mvgpu_drm' | sed 's/^/# /'
# its card (vgem may be another): the one below the vGPU's PCI device
card=$(basename "$(ls -d "$dev"/drm/card* 2>/dev/null | head -n 1)")
con=/sys/class/drm/$card-Virtual-1
st=$(cat $con/status 2>&1)
check "a DRM device ($card) with a connected monitor: $st" \
	sh -c '[ -c "$1" ] && [ "$2" = connected ]' _ "/dev/dri/$card" "$st"
check "its modes come from the EDID: $(head -n 1 $con/modes 2>&1) first" \
	[ "$(head -n 1 $con/modes 2>&1)" = 1024x768 ]
fb=/sys/class/graphics/fb0
name=$(cat $fb/name 2>&1) size=$(cat $fb/virtual_size 2>&1)
check "fbdev emulation: fb0 is '$name', $size" \
	sh -c '[ -c /dev/fb0 ] && [ "$1" = mvgpu_drmdrmfb ] && [ "$2" = 1024,768 ]' _ "$name" "$size"
check "the pipe is on (PIPE_CONF $(rd 0x70000))" [ "$(rd 0x70000)" = 0xc0000000 ]
# the console's cursor must not blink over the picture
echo 0 >/sys/class/graphics/fbcon/cursor_blink 2>/dev/null
fbfill /dev/fb0 - 0 1024 768 "$(cat $fb/stride)"
check "the pattern drawn through /dev/fb0" [ $? = 0 ]
f0=$(rd 0x70008)
sleep 1
check "frames go by ($f0, then $(rd 0x70008))" [ "$(($(rd 0x70008)))" -gt "$((f0))" ]
# L1 takes the screenshot once the results are out
: >/hold-for-screendump
exit $fail
