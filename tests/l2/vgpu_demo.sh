# SPDX-License-Identifier: GPL-2.0-only
# L2 job of make demo: the vGPU's PCI identity, PVINFO and aperture
# (mvgpu_pci.sh), then a picture on its display for L1 to take a
# screenshot of (mvgpu_display.sh). Both come in /bin.
sh /bin/mvgpu_pci.sh || exit
sh /bin/mvgpu_display.sh
