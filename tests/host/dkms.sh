#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DKMS: the top-level dkms.conf adds, builds, installs and removes the three
# modules for the installed Debian 6.12 kernel, on a clean export of the
# tree. Prints TAP. Needs root (dkms does) and the 6.12 headers.
#
# dkms runs with private trees (--dkmstree, --sourcetree, --installtree in a
# temporary directory) and --no-depmod, so the host's DKMS state and its
# /lib/modules are never changed; everything goes with the temporary
# directory, even after a failure. The one thing dkms writes outside them
# is its module-signing key (/var/lib/dkms/mok.*), created on first use: a
# key this test made is removed again.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
. "$here/../../scripts/env.sh"

ver=$(cat "$MVGPU_TOP/VERSION")
rel=$(mvgpu_debian_release)
re_quote() { printf '%s' "$1" | sed 's/[].[^$*+?(){}|\\]/\\&/g'; }
rel_re=$(re_quote "$rel") ver_re=$(re_quote "$ver")
nokernel=0.0.0-mvgpu-no-such-kernel
mods="simgpu mvgpu mvtty mvgpu_vpci"
vfio_mdev=',vfio,(.*,)?mdev,|,mdev,(.*,)?vfio,'

if [ "$(id -u)" != 0 ] || [ -z "$rel" ] || ! command -v dkms >/dev/null; then
	tap_not_ok "dkms, root and the Debian 6.12 kernel are there (uid $(id -u), kernel '$rel')"
	tap_done
	exit 1
fi

tmp=$(mktemp -d)
keys=()
for k in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$k" ] || keys+=("$k")
done
cleanup() {
	local k
	rm -rf "$tmp"
	for k in "${keys[@]}"; do
		rm -f "$k"
	done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

inst=$tmp/root/lib/modules
dk() {
	dkms --dkmstree "$tmp/dkms" --sourcetree "$tmp/src" --installtree "$inst" \
		--no-depmod "$@"
}
status() {	# the dkms status lines of mvgpu (its warnings go)
	dk status -m mvgpu 2>/dev/null
}

# a clean export: no build outputs, no git metadata
mkdir -p "$tmp/src" "$tmp/dkms" "$inst/$rel"
rsync -a --exclude=/build --exclude=/.git --exclude='*.o' --exclude='*.ko' \
	--exclude='*.mod*' --exclude='.*.cmd' --exclude=Module.symvers \
	--exclude=modules.order "$MVGPU_TOP/" "$tmp/src/mvgpu-$ver/"

tap_like "VERSION holds a version" "$ver" '^[0-9]+\.[0-9]+\.[0-9]+$'
tap_run "dkms add registers mvgpu/$ver" dk add -m mvgpu -v "$ver"
tap_like "dkms status: added" "$(status)" "^mvgpu/$ver_re: added$"

if ! out=$(dk build -m mvgpu -v "$ver" -k "$rel" -j 2 2>&1); then
	tap_not_ok "dkms build for $rel"
	tap_diag "$out"
	log=$tmp/dkms/mvgpu/$ver/build/make.log
	[ -f "$log" ] && tap_diag "$(tail -n 30 "$log")"
else
	tap_ok "dkms build for $rel"
fi
tap_like "dkms status: built for $rel" "$(status)" "^mvgpu/$ver_re, $rel_re, [^:]*: built$"

tap_run "dkms install for $rel" dk install -m mvgpu -v "$ver" -k "$rel"
tap_like "dkms status: installed for $rel" "$(status)" "^mvgpu/$ver_re, $rel_re, [^:]*: installed$"
for m in $mods; do
	ko=$(find "$inst/$rel" -name "$m.ko*" 2>/dev/null)
	tap_like "$m is installed in updates/dkms" "${ko#"$inst/"}" \
		"^$rel_re/updates/dkms/$m\.ko(\.xz|\.gz|\.zst)?$"
	[ -n "$ko" ] || continue
	tap_is "modinfo $m: license GPL" "$(modinfo -F license "$ko")" GPL
	tap_like "modinfo $m: built for $rel" "$(modinfo -F vermagic "$ko")" "^$rel_re "
	tap_is "modinfo $m: version $ver, from VERSION" "$(modinfo -F version "$ko")" "$ver"
	deps=,$(modinfo -F depends "$ko"),
	case $m in
	mvgpu)
		tap_like "modinfo mvgpu: depends on simgpu" "$deps" ',simgpu,'
		tap_like "modinfo mvgpu: depends on mvgpu_vpci" "$deps" ',mvgpu_vpci,'
		tap_like "modinfo mvgpu: depends on vfio and mdev" "$deps" "$vfio_mdev" ;;
	simgpu)
		tap_fails "modinfo simgpu: depends on neither mvgpu nor mvtty" \
			grep -E -q ',(mvgpu|mvtty),' <<<"$deps" ;;
	mvtty)
		tap_like "modinfo mvtty: depends on mvgpu_vpci" "$deps" ',mvgpu_vpci,'
		tap_like "modinfo mvtty: depends on mdev" "$deps" ',mdev,' ;;
	mvgpu_vpci)
		tap_like "modinfo mvgpu_vpci: depends on vfio" "$deps" ',vfio,'
		tap_fails "modinfo mvgpu_vpci: depends on none of the drivers" \
			grep -E -q ',(mvgpu|mvtty|simgpu),' <<<"$deps" ;;
	esac
done

# bad input: a kernel without headers
out=$(dk build -m mvgpu -v "$ver" -k "$nokernel" 2>&1)
rc=$?
tap_is "dkms build for a kernel without headers fails (exit status 1)" "$rc" 1
tap_like "... and says the headers are missing" "$out" \
	"headers for kernel $nokernel cannot be found"
tap_run "... and leaves nothing built for it" test ! -e "$tmp/dkms/mvgpu/$ver/$nokernel"
tap_like "... and the install for $rel stays" "$(status)" \
	"^mvgpu/$ver_re, $rel_re, [^:]*: installed$"

tap_run "dkms remove --all" dk remove -m mvgpu -v "$ver" --all
tap_is "dkms status lists nothing" "$(status)" ""
tap_is "no module is left in the install tree" \
	"$(find "$inst" -name '*.ko*' | sed "s|^$inst/||")" ""
tap_run "the DKMS tree has no mvgpu left" test ! -e "$tmp/dkms/mvgpu"
tap_done
