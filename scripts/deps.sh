#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install what mvgpu's build and tests need from Debian's packages.
# Idempotent: does nothing when everything is present.
set -euo pipefail

pkgs=(
	linux-headers-6.12-amd64 linux-image-6.12-amd64 linux-source-6.12
	linux-headers-amd64
	qemu-system-x86 busybox-static cpio xz-utils zstd kmod
	build-essential bc bison flex libelf-dev libssl-dev dwarves rsync
	sparse perl patch mdevctl dkms libc6-dev
	jq libxml2-utils python3
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
