# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the build and test scripts: discovers the installed Debian
# kernels and sources instead of hard-coding point releases.

MVGPU_TOP=${MVGPU_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
MVGPU_CACHE=${MVGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mvgpu}
MVGPU_OUT=${MVGPU_OUT:-$MVGPU_TOP/build}

# newest installed path matching a glob (by version order), or nothing
mvgpu_newest() {
	local d
	for d in $1; do
		[ -e "$d" ] && printf '%s\n' "$d"
	done | sort -V | tail -n 1
}

# The 6.12 headers (the default KDIR) and the 6.1 headers (compile check).
mvgpu_kdir_612() { mvgpu_newest '/usr/src/linux-headers-6.12.*-amd64'; }
mvgpu_kdir_61() { mvgpu_newest '/usr/src/linux-headers-6.1.*-amd64'; }

# The stock Debian 6.12 kernel: release string, image and module tree.
mvgpu_debian_release() {
	local k
	k=$(mvgpu_newest '/boot/vmlinuz-6.12.*-amd64')
	[ -n "$k" ] && basename "$k" | sed 's/^vmlinuz-//'
	return 0
}

mvgpu_die() {
	echo "mvgpu: $*" >&2
	exit 1
}
