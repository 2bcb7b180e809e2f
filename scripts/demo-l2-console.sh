# SPDX-License-Identifier: GPL-2.0-only
# The demo, inside the nested guest (busybox sh): the guest driver takes
# the vGPU, and the guest's console (fbcon on fbdev emulation) is on the
# screen QEMU shows; L1 takes its picture.
insmod /bin/mvgpu_drm.ko || exit 1
echo 0 >/sys/class/graphics/fbcon/cursor_blink 2>/dev/null
{
	printf '\033[2J\033[H'
	echo "A nested guest's console, on its vGPU"
	echo
	echo "mvgpu_drm drives the vGPU's display: KMS and fbdev emulation;"
	echo "fbcon draws this text into the framebuffer the vGPU scans out,"
	echo "and QEMU (display=on) shows it, as it shows any graphics card."
	echo
	uname -a
	echo
	grep -E '^(MemTotal)' /proc/meminfo
	echo "vGPU: $(cat /sys/class/graphics/fb0/name) $(cat /sys/class/graphics/fb0/virtual_size)"
} >/dev/tty1
: >/hold-for-screendump
