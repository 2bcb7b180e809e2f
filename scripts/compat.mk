# SPDX-License-Identifier: GPL-2.0-only
# Included by each module's Kbuild: compile-time probes of the kernel API
# (compile a snippet against the target kernel's headers) that turn into
# -DMVGPU_HAVE_* flags for include/mvgpu/compat.h. No version numbers.
#
# A probe that fails for any reason but the missing feature stops the
# build (compat/probe.sh says how it tells): silently building without a
# feature the kernel has, such as the aperture's mmap, is worse.

mvgpu_compat_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
mvgpu_top := $(abspath $(mvgpu_compat_dir)/..)

mvgpu_probe_cc = $(CC) $(KBUILD_CPPFLAGS) $(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
	$(KBUILD_CFLAGS) -Werror -fsyntax-only
# $(call mvgpu_probe,FILE,MACRO,IDENTIFIERS THE FEATURE BRINGS)
mvgpu_probe_result = $(if $(filter MVGPU_PROBE_BROKEN,$(2)),$(error mvgpu: compat probe \
	$(1) is broken (see above); the build stops rather than go on without \
	MVGPU_HAVE_$(3)),$(2))
mvgpu_probe = $(call mvgpu_probe_result,$(1),$(shell $(CONFIG_SHELL) \
	$(mvgpu_compat_dir)/compat/probe.sh $(1) $(2) '$(3)' $(mvgpu_probe_cc)),$(2))

ccflags-y += -I$(mvgpu_top)/include -I$(mvgpu_top)/include/uapi
# the release, from the one place it is kept (also read by dkms.conf)
ccflags-y += -DMVGPU_VERSION='"$(shell cat $(mvgpu_top)/VERSION)"'
ccflags-y += $(call mvgpu_probe,eventfd_signal_nocount,EVENTFD_SIGNAL_NOCOUNT,eventfd_signal)
ccflags-y += $(call mvgpu_probe,vfio_iommufd_ops,VFIO_IOMMUFD_OPS,bind_iommufd \
	unbind_iommufd attach_ioas detach_ioas vfio_iommufd_emulated_bind \
	vfio_iommufd_emulated_unbind vfio_iommufd_emulated_attach_ioas \
	vfio_iommufd_emulated_detach_ioas)
ccflags-y += $(call mvgpu_probe,vm_flags_set,VM_FLAGS_SET,vm_flags_set)
ccflags-y += $(call mvgpu_probe,vfio_device_inode,VFIO_DEVICE_INODE,inode)
ccflags-y += $(call mvgpu_probe,drm_fbdev_shmem,DRM_FBDEV_SHMEM,drm_fbdev_shmem_setup)
ccflags-y += $(call mvgpu_probe,drm_edid_add_modes,DRM_EDID_ADD_MODES,drm_edid_connector_add_modes)
