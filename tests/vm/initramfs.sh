#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the L1 guest's initramfs: static busybox, an /init that mounts the
# machine's root (read-only) and the work tree (writable) over 9p, chroots
# and runs the job named on the kernel command line.
# Usage: initramfs.sh OUTPUT.cpio.gz [MODULE_TREE]
# MODULE_TREE (lib/modules/<release>) is given for kernels with 9p as
# modules (Debian's); the 9p modules and their dependencies are packed.
set -euo pipefail
out=$1
modtree=${2:-}
here=$(cd "$(dirname "$0")" && pwd)

busybox=$(command -v busybox || true)
[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	busybox=/bin/busybox
[ -x "$busybox" ] || { echo "initramfs: busybox-static is missing" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,root,lib/mods}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

# Modules in load order: a depth-first walk of modules.dep.
: >"$root/lib/mods/order"
if [ -n "$modtree" ]; then
	declare -A seen=()
	add() {
		local m=$1 dep
		[ -n "${seen[$m]:-}" ] && return
		seen[$m]=1
		for dep in $(awk -F': ' -v m="$m" '$1 == m { print $2 }' "$modtree/modules.dep"); do
			add "$dep"
		done
		local base
		base=$(basename "$m")
		base=${base%.xz}
		base=${base%.zst}
		case $m in
		*.xz) xz -dc "$modtree/$m" >"$root/lib/mods/$base" ;;
		*.zst) zstd -qdc "$modtree/$m" >"$root/lib/mods/$base" ;;
		*) cp "$modtree/$m" "$root/lib/mods/$base" ;;
		esac
		echo "$base" >>"$root/lib/mods/order"
	}
	for want in fs/9p/9p net/9p/9pnet_virtio; do
		m=$(awk -F: -v w="kernel/$want.ko" 'index($1, w) == 1 { print $1; exit }' \
			"$modtree/modules.dep")
		[ -n "$m" ] || { echo "initramfs: no $want module in $modtree" >&2; exit 1; }
		add "$m"
	done
fi

cp "$here/guest/init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
