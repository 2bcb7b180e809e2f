# SPDX-License-Identifier: GPL-2.0-only
# Helpers for scripts that run inside an L1 guest (see run-l1.sh).

# modprobe for the running kernel: the test kernel's modules live in the
# cache, the Debian kernel's in /lib/modules of the shared root.
guest_modprobe() {
	if [ -n "${MVGPU_MODDIR:-}" ]; then
		modprobe -d "$MVGPU_MODDIR" "$@"
	else
		modprobe "$@"
	fi
}

# Load VFIO, the emulated IOMMU backend and the mdev core.
guest_load_vfio() {
	guest_modprobe vfio &&
		guest_modprobe vfio_iommu_type1 &&
		guest_modprobe mdev
}

# insmod one of the project's modules built for this kernel, after those
# of the project's modules it needs that are not loaded yet (as modprobe
# would, from modinfo's depends; the kernel's own come from guest_load_vfio)
guest_insmod() {
	local m=$1 dep deps
	shift
	deps=$(modinfo -F depends "$MVGPU_KMOD/$m.ko") || return
	for dep in ${deps//,/ }; do
		if [ -e "$MVGPU_KMOD/$dep.ko" ] && [ ! -d "/sys/module/$dep" ]; then
			guest_insmod "$dep" || return
		fi
	done
	insmod "$MVGPU_KMOD/$m.ko" "$@"
}

# Run one suite (at most MVGPU_SUITE_TIMEOUT seconds, default 300), TAP
# into $MVGPU_RESULTS/NAME.tap, echoed to the console.
guest_suite() {
	local name=$1 rc
	shift
	echo "mvgpu-suite: $name"
	timeout -k 5 "${MVGPU_SUITE_TIMEOUT:-300}" "$@" 2>&1 | tee "$MVGPU_RESULTS/$name.tap"
	rc=${PIPESTATUS[0]}
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "not ok 9999 - $name: timed out" | tee -a "$MVGPU_RESULTS/$name.tap"
	fi
	return "$rc"
}
