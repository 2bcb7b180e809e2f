#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The compile-time compat probes (scripts/compat.mk, scripts/compat/): on
# the 6.12 headers every probe finds its feature, on the 6.1 headers none
# does and the build goes on; a probe broken for any other reason (a
# warning under -Werror, a misspelt name, a missing header) stops the
# build with a message naming it, instead of quietly building without the
# feature. Prints TAP. Needs the Debian 6.12 and 6.1 headers (make deps).
#
# Each case builds a one-file module whose Kbuild includes a copy of
# compat.mk and the probes, one of them broken on purpose.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../../scripts/env.sh"

k612=$(mvgpu_kdir_612)
k61=$(mvgpu_kdir_61)
if [ -z "$k612" ] || [ -z "$k61" ]; then
	tap_not_ok "the Debian 6.12 and 6.1 headers are there (make deps)"
	tap_done
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
all="-DMVGPU_HAVE_EVENTFD_SIGNAL_NOCOUNT -DMVGPU_HAVE_VFIO_IOMMUFD_OPS"
all="$all -DMVGPU_HAVE_VM_FLAGS_SET -DMVGPU_HAVE_VFIO_DEVICE_INODE"
all="$all -DMVGPU_HAVE_DRM_FBDEV_SHMEM -DMVGPU_HAVE_DRM_EDID_ADD_MODES"

# A fresh copy of the probes and a module that uses them, in $tmp/t.
setup() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t/scripts" "$tmp/t/m" "$tmp/t/include/uapi"
	cp -r "$MVGPU_TOP/scripts/compat.mk" "$MVGPU_TOP/scripts/compat" "$tmp/t/scripts/"
	cp "$MVGPU_TOP/VERSION" "$tmp/t/"
	cat >"$tmp/t/m/Kbuild" <<-'EOF'
		include $(src)/../scripts/compat.mk
		$(info mvgpu-compat-flags:$(filter -DMVGPU_HAVE_%,$(ccflags-y)))
		obj-m += compat_test.o
	EOF
	cat >"$tmp/t/m/compat_test.c" <<-'EOF'
		// SPDX-License-Identifier: GPL-2.0-only
		#include <linux/module.h>
		MODULE_LICENSE("GPL");
		MODULE_DESCRIPTION("compat probe test");
	EOF
}

# build KDIR: the module's build log in $tmp/log; exit status of make
build() {
	make -C "$1" M="$tmp/t/m" W=1 modules >"$tmp/log" 2>&1
}

flags() {	# the MVGPU_HAVE_* flags the probes gave, from the last build
	sed -n 's/^mvgpu-compat-flags: *//p' "$tmp/log" | head -n 1 | xargs
}

# broken_case DESC PROBE SED-EXPRESSION: that edit of PROBE stops the build
broken_case() {
	local desc=$1 probe=$2 expr=$3
	setup
	sed -i -e "$expr" "$tmp/t/scripts/compat/$probe.c"
	if cmp -s "$tmp/t/scripts/compat/$probe.c" "$MVGPU_TOP/scripts/compat/$probe.c"; then
		tap_not_ok "$desc (the edit changed nothing: fix the test)"
		return
	fi
	if build "$k612"; then
		tap_not_ok "$desc: the build went on"
		tap_diag "flags: $(flags)" "$(diff "$MVGPU_TOP/scripts/compat/$probe.c" \
			"$tmp/t/scripts/compat/$probe.c")"
	elif grep -q "compat probe $probe is broken" "$tmp/log" &&
	     grep -q "compat probe $probe (.*) is broken: " "$tmp/log"; then
		tap_ok "$desc: the build stops and names the probe"
		tap_diag "$(grep "compat probe $probe (.*) is broken: " "$tmp/log" | head -n 1)"
	else
		tap_not_ok "$desc: the build failed, but not with the probe's message"
		tap_diag "$(tail -n 20 "$tmp/log")"
	fi
}

setup
tap_run "intact probes: the module builds against $(basename "$k612")" build "$k612"
tap_is "intact probes: all six features found on 6.12" "$(flags)" "$all"
tap_run "intact probes: the module builds against $(basename "$k61")" build "$k61"
tap_is "intact probes: none found on 6.1, which has none of them" "$(flags)" ""
tap_is "6.1: no probe complained" "$(grep -c 'compat probe' "$tmp/log")" 0

broken_case "a -Werror warning beside the feature's use (unused variable)" \
	vm_flags_set 's/^{$/{\n\tint mvgpu_unused;\n/'
broken_case "a -Werror warning in the feature's use (the aperture's mmap probe)" \
	vfio_device_inode 's/^\treturn vdev->inode->i_mapping;$/\tint mvgpu_unused;\n\n&/'
broken_case "a misspelt member in the feature's use" \
	vfio_device_inode 's/vdev->inode->/vdev->inod->/'
broken_case "a header that does not exist" \
	eventfd_signal_nocount 's|#include <linux/eventfd.h>|#include <linux/no_such_header.h>|'
broken_case "a syntax error in the probe" \
	vfio_iommufd_ops 's/^};$/}/'
tap_done
