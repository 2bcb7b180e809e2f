// SPDX-License-Identifier: GPL-2.0-only
/* Probe: fbdev emulation on shmem buffers is drm_fbdev_shmem_setup() (since 6.11). */
#include <drm/drm_fb_helper.h>
/* a kernel without the feature has no such header either */
#if __has_include("drm/drm_fbdev_shmem.h")
#include <drm/drm_fbdev_shmem.h>
#endif

void mvgpu_probe(struct drm_device *drm);
void mvgpu_probe(struct drm_device *drm)
{
#ifndef MVGPU_PROBE_CONTROL
	drm_fbdev_shmem_setup(drm, 32);
#endif
}
