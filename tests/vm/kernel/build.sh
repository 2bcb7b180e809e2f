#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build (once per machine) the minimal test kernel from Debian's
# linux-source-6.12 and print the directory that holds it:
#   <dir>/build     the O= build tree (KDIR for the KUnit modules)
#   <dir>/bzImage   the kernel image
#   <dir>/modules   modules_install tree (lib/modules/<release>)
#   <dir>/release   the kernel release string
# The kernel carries the project's fixes of upstream bugs
# (patches/*/*.patch, applied in name order). The cache key covers the
# Debian source version, the config fragments, the patches and this
# script, so any change to them builds a new kernel.
# Usage: build.sh [--if-built] [test|debug]
#   --if-built  print the directory only if that kernel is already built
set -euo pipefail
if_built=0
if [ "${1:-}" = --if-built ]; then
	if_built=1
	shift
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../../scripts/env.sh"

variant=${1:-test}
frags=("$here/test.config")
[ "$variant" = debug ] && frags+=("$here/debug.config")

src_tar=$(mvgpu_newest '/usr/src/linux-source-6.12.tar.*')
[ -n "$src_tar" ] || mvgpu_die "linux-source-6.12 is not installed (make deps)"
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
patches=("$MVGPU_TOP"/patches/*/*.patch)
key=$( { echo "$src_ver $variant"; cat "${frags[@]}" "${patches[@]}" "$0"; } |
	sha256sum | cut -c1-16)
dir=$MVGPU_CACHE/kernel/$variant-$key

if [ -f "$dir/release" ]; then
	echo "$dir"
	exit 0
fi
[ $if_built -eq 0 ] || exit 0

mkdir -p "$MVGPU_CACHE/kernel"
exec 9>"$MVGPU_CACHE/kernel/.lock"
flock 9
if [ -f "$dir/release" ]; then
	echo "$dir"
	exit 0
fi

apply_patches() {	# SRC
	local p
	for p in "${patches[@]}"; do
		echo "applying $p"
		patch -d "$1" -p1 --forward --batch <"$p" || return 1
	done
}

log=$MVGPU_CACHE/kernel/$variant-$key.log
echo "test kernel: building $variant ($src_ver), log in $log" >&2
# Built in place (the O= tree records absolute paths); "release" is written
# last and marks a complete build.
tmp=$dir
rm -rf "$tmp"
mkdir -p "$tmp"
{
	tar -C "$tmp" -xf "$src_tar" &&
	mv "$tmp"/linux-source-6.12 "$tmp/src" &&
	apply_patches "$tmp/src" &&
	mkdir -p "$tmp/build" &&
	make -C "$tmp/src" O="$tmp/build" tinyconfig &&
	"$tmp/src/scripts/kconfig/merge_config.sh" -m -O "$tmp/build" \
		"$tmp/build/.config" "${frags[@]}" &&
	make -C "$tmp/src" O="$tmp/build" olddefconfig &&
	make -C "$tmp/build" LOCALVERSION=-mvgpu-$variant -j"$(($(nproc) + 1))" bzImage modules &&
	make -C "$tmp/build" LOCALVERSION=-mvgpu-$variant INSTALL_MOD_PATH="$tmp/modules" \
		INSTALL_MOD_STRIP=1 modules_install
} >"$log" 2>&1 || mvgpu_die "test kernel build failed; see $log"

# Every option of the fragments must have survived olddefconfig.
bad=0
for f in "${frags[@]}"; do
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		if ! grep -qx "$line" "$tmp/build/.config"; then
			echo "test kernel: $line did not take effect" >&2
			bad=1
		fi
	done <"$f"
done
[ $bad -eq 0 ] || mvgpu_die "test kernel config is incomplete"

cp "$tmp/build/arch/x86/boot/bzImage" "$tmp/bzImage"
make -s -C "$tmp/build" LOCALVERSION=-mvgpu-$variant kernelrelease >"$tmp/release.new"
mv "$tmp/release.new" "$tmp/release"
echo "$dir"
