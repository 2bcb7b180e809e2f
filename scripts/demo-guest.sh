#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The demo, inside the L1 guest (see demo.sh).
set -eu
. "$MVGPU_TOP/tests/vm/guest/lib.sh"

step() {
	echo
	echo "### $*"
}
show() {	# print a command, then run it
	echo "+ $*"
	"$@"
}

step "Load VFIO, the mdev core and mvtty (and mvgpu_vpci, the VFIO glue it needs)"
guest_load_vfio
guest_insmod mvtty
show ls /sys/class/mdev_bus/

types=/sys/class/mdev_bus/mvtty/mdev_supported_types
step "The types a parent offers ($types)"
for t in "$types"/*; do
	echo "$(basename "$t"): name \"$(cat "$t/name")\", device_api $(cat "$t/device_api")," \
		"available_instances $(cat "$t/available_instances")"
	sed 's/^/    /' "$t/description"
done

step "Create instances the way users do"
u1=$(cat /proc/sys/kernel/random/uuid)
u2=$(cat /proc/sys/kernel/random/uuid)
echo "+ echo $u1 > $types/mvtty-1/create"
echo "$u1" >"$types/mvtty-1/create"
echo "+ echo $u2 > $types/mvtty-2/create"
echo "$u2" >"$types/mvtty-2/create"
for t in "$types"/*; do
	echo "$(basename "$t"): available_instances $(cat "$t/available_instances")"
done
show ls -l /sys/bus/mdev/devices/
show ls "/sys/bus/mdev/devices/$u1"
echo "+ mdevctl list"
mdevctl list || true

step "Start a nested guest: qemu-system-x86_64 ... -device vfio-pci,sysfsdev=/sys/bus/mdev/devices/$u1"
"$MVGPU_TOP/tests/vm/run-l2.sh" --name demo-l2 --device "$u1" --timeout 600 \
	scripts/demo-l2.sh "$MVGPU_OUT/l2bin/ttyloop"
sed 's/^/  L2| /' "$MVGPU_RESULTS/demo-l2.out"

step "Share the simulated GPU: modprobe mvgpu (simgpu comes with it)"
guest_insmod simgpu
guest_insmod mvgpu
gtypes=/sys/class/mdev_bus/simgpu0/mdev_supported_types
for t in "$gtypes"/*; do
	echo "$(basename "$t"): available_instances $(cat "$t/available_instances")"
	sed 's/^/    /' "$t/description"
done
g1=$(cat /proc/sys/kernel/random/uuid)
g2=$(cat /proc/sys/kernel/random/uuid)
echo "+ echo $g1 > $gtypes/mvgpu-V1_4/create"
echo "$g1" >"$gtypes/mvgpu-V1_4/create"
echo "+ echo $g2 > $gtypes/mvgpu-V1_8/create"
echo "$g2" >"$gtypes/mvgpu-V1_8/create"
for g in "$g1" "$g2"; do
	echo "$g ($(basename "$(readlink "/sys/bus/mdev/devices/$g/mdev_type")")):"
	sed 's/^/    /' "/sys/bus/mdev/devices/$g/mvgpu/resources"
done
for t in "$gtypes"/*; do
	echo "$(basename "$t"): available_instances $(cat "$t/available_instances")"
done

step "A nested guest with the V1_4 vGPU: it reads PVINFO, uses the aperture, draws"
params=/tmp/mvgpu-params
sed -n 's/^low_gm: \(0x[0-9a-f]*\) \(0x[0-9a-f]*\)$/LOW_BASE=\1 LOW_SIZE=\2/p;
	s/^high_gm: \(0x[0-9a-f]*\) \(0x[0-9a-f]*\)$/HIGH_BASE=\1 HIGH_SIZE=\2/p' \
	"/sys/bus/mdev/devices/$g1/mvgpu/resources" >$params
echo "RESERVED=0x8000000" >>$params
echo "QEMU shows the vGPU's display (display=on); the guest draws a test pattern"
shot=$MVGPU_RESULTS/vgpu-screen.ppm
"$MVGPU_TOP/tests/vm/run-l2.sh" --name demo-l2-vgpu --device "$g1" --timeout 600 \
	--append 'memmap=1M$0x8000000' --screendump "$shot" tests/l2/mvgpu_l2.sh \
	tests/l2/mvgpu_pci.sh tests/l2/mvgpu_display.sh "$MVGPU_OUT/l2bin/pcimem" \
	"$MVGPU_OUT/l2bin/fbfill" $params
sed 's/^/  L2| /' "$MVGPU_RESULTS/demo-l2-vgpu.out" | tr -d '\0'
echo "The screenshot QEMU took of the vGPU's screen (QMP screendump):"
python3 tests/vm/ppmcheck.py "$shot" 256 256 1 "$MVGPU_RESULTS/vgpu-screen.png" | sed 's/^/  /'
if [ -f "$MVGPU_RESULTS/vgpu-screen.png" ]; then
	echo "  saved as $MVGPU_RESULTS/vgpu-screen.png"
fi
show sh -c "echo 1 > /sys/bus/mdev/devices/$g1/remove"

step "A nested guest with the V1_8 vGPU and the guest driver: its console on the vGPU"
shot=$MVGPU_RESULTS/vgpu-console.ppm
case $MVGPU_KERNEL in */debug-*) kv=debug ;; *) kv=test ;; esac
"$MVGPU_TOP/tests/vm/run-l2.sh" --name demo-l2-fbcon --device "$g2" --timeout 600 \
	--screendump "$shot" scripts/demo-l2-console.sh "$MVGPU_OUT/kmod/$kv/mvgpu_drm.ko"
sed 's/^/  L2| /' "$MVGPU_RESULTS/demo-l2-fbcon.out" | tr -d '\0'
if size=$(python3 tests/vm/ppmcheck.py --png "$shot" "$MVGPU_RESULTS/vgpu-console.png"); then
	echo "  QEMU's screenshot of it ($size): $MVGPU_RESULTS/vgpu-console.png"
fi

step "GPU work: vGPUs of weights 8, 4 and 2 share the render engine"
g3=$(cat /proc/sys/kernel/random/uuid)
g4=$(cat /proc/sys/kernel/random/uuid)
echo "$g3" >"$gtypes/mvgpu-V1_2/create"
echo "$g4" >"$gtypes/mvgpu-V1_4/create"
echo "Each vGPU keeps its render queue full of fills (tests/bench/sched_bench),"
echo "as a guest driver would through QEMU; meanwhile:"
"$MVGPU_OUT/tests/sched_bench" shares 6 "$g2" "$g4" "$g3" >/tmp/mvgpu-shares.txt &
sleep 2
show "$MVGPU_OUT/tools/mvgpuctl" top --interval 1 --count 3
wait
sed 's/^/  /' /tmp/mvgpu-shares.txt
show "$MVGPU_OUT/tools/mvgpuctl" show "$g3"
for g in "$g2" "$g3" "$g4"; do
	show sh -c "echo 1 > /sys/bus/mdev/devices/$g/remove"
done
rmmod mvgpu
rmmod simgpu

step "Remove the instances"
show sh -c "echo 1 > /sys/bus/mdev/devices/$u1/remove"
show sh -c "echo 1 > /sys/bus/mdev/devices/$u2/remove"
for t in "$types"/*; do
	echo "$(basename "$t"): available_instances $(cat "$t/available_instances")"
done
rmmod mvtty
rmmod mvgpu_vpci
echo
echo "demo: done"
