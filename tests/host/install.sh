#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# What a user does on a host: make, make modules_install (into a staging
# root here), on a copy of the tree. Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../../scripts/env.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rsync -a --exclude=/build --exclude=/.git "$MVGPU_TOP/" "$tmp/src/"
kdir=$(mvgpu_kdir_612)
tap_run "make builds the modules against the default KDIR" make -j"$(nproc)" -C "$tmp/src" -s
tap_run "mvtty.ko was built" test -f "$tmp/src/samples/mtty/mvtty.ko"
tap_run "the guest driver mvgpu_drm.ko was built" test -f "$tmp/src/drivers/guest/mvgpu_drm.ko"
tap_run "make modules_install installs into INSTALL_MOD_PATH" \
	make -C "$tmp/src" -s modules_install INSTALL_MOD_PATH="$tmp/root"
rel=$(basename "$kdir" | sed 's/^linux-headers-//')
found=$(cd "$tmp/root" && find . -name 'mvtty.ko*' | head -n 1)
tap_is "mvtty.ko is installed under lib/modules/$rel" "${found:0:$((15 + ${#rel}))}" \
	"./lib/modules/$rel/"
tap_run "make clean removes the build products" make -C "$tmp/src" -s clean
tap_run "no objects are left" test -z "$(find "$tmp/src" -name '*.o' -o -name '*.ko')"
tap_fails "a KDIR that does not exist is an error" make -C "$tmp/src" -s KDIR=/nonexistent
tap_done
