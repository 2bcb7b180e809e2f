# SPDX-License-Identifier: GPL-2.0-only
# Included by each module's Kbuild: compile-time probes of the kernel API
# (compile a snippet against the target kernel's headers) that turn into
# -DMVGPU_HAVE_* flags for include/mvgpu/compat.h. No version numbers.

mvgpu_compat_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
mvgpu_top := $(abspath $(mvgpu_compat_dir)/..)

mvgpu_probe_cc = $(CC) $(KBUILD_CPPFLAGS) $(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
	$(KBUILD_CFLAGS) -Werror -fsyntax-only
mvgpu_probe = $(call try-run,$(mvgpu_probe_cc) $(mvgpu_compat_dir)/compat/$(1).c,-DMVGPU_HAVE_$(2))

ccflags-y += -I$(mvgpu_top)/include -I$(mvgpu_top)/include/uapi
# the release, from the one place it is kept (also read by dkms.conf)
ccflags-y += -DMVGPU_VERSION='"$(shell cat $(mvgpu_top)/VERSION)"'
ccflags-y += $(call mvgpu_probe,eventfd_signal_nocount,EVENTFD_SIGNAL_NOCOUNT)
ccflags-y += $(call mvgpu_probe,vfio_iommufd_ops,VFIO_IOMMUFD_OPS)
ccflags-y += $(call mvgpu_probe,vm_flags_set,VM_FLAGS_SET)
ccflags-y += $(call mvgpu_probe,vfio_device_inode,VFIO_DEVICE_INODE)
