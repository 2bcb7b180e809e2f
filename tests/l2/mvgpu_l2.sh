# SPDX-License-Identifier: GPL-2.0-only
# One L2 boot for a vGPU (make check's l2.sh and make demo): its PCI
# identity, PVINFO and aperture (mvgpu_pci.sh), then a picture on its
# display for L1 to take a screenshot of (mvgpu_display.sh). Both come in
# /bin; each numbers its TAP lines from 1 (l2.sh renumbers them).
sh /bin/mvgpu_pci.sh
pci=$?
sh /bin/mvgpu_display.sh
exit $((pci | $?))
