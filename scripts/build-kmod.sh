#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the project's modules for one kernel in a copy of the tree
# (build/kmod/TAG), so builds for several kernels never mix objects.
# Usage: build-kmod.sh TAG KDIR [make arguments...]
# Prints the build log to build/kmod/TAG.log; fails on a build error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"

tag=$1 kdir=$2
shift 2
[ -d "$kdir" ] || mvgpu_die "build-kmod: no kernel build tree at '$kdir'"
dst=$MVGPU_OUT/kmod/$tag
mkdir -p "$dst"
# Content, not times, decides what changed: a changed file gets a new mtime
# here, so make rebuilds its object even if the file went back in time.
rsync -rlpD --checksum --delete --exclude=/build --exclude=/.git --exclude='*.o' \
	--exclude='*.ko' --exclude='*.mod*' --exclude='.*.cmd' \
	--exclude=Module.symvers --exclude=modules.order \
	--exclude='/tests/vfio/*.bin' \
	"$MVGPU_TOP/" "$dst/src/"
make -j"$(nproc)" -C "$kdir" M="$dst/src" CONFIG_MVGPU_VPCI=m CONFIG_MVGPU_SAMPLE_MTTY=m \
	CONFIG_MVGPU_SIMGPU=m CONFIG_MVGPU=m CONFIG_MVGPU_DRM=m "$@" modules \
	>"$dst.log" 2>&1 || { cat "$dst.log"; exit 1; }
# the modules, flat, for insmod in guests
find "$dst/src" -name '*.ko' -exec cp {} "$dst/" \;
