/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DRM API differences between the kernels the guest driver supports (6.1
 * and later), decided by the compile-time probes in scripts/compat.mk.
 */
#ifndef _MVGPU_DRM_COMPAT_H
#define _MVGPU_DRM_COMPAT_H

#include <drm/drm_connector.h>
#include <drm/drm_edid.h>
#include <linux/slab.h>
#ifdef MVGPU_HAVE_DRM_FBDEV_SHMEM
#include <drm/drm_fbdev_shmem.h>
#else
#include <drm/drm_fb_helper.h>
#endif

/* fbdev emulation on shmem buffers, the console's framebuffer */
static inline void mvgpu_drm_fbdev_setup(struct drm_device *drm, unsigned int bpp)
{
#ifdef MVGPU_HAVE_DRM_FBDEV_SHMEM
	drm_fbdev_shmem_setup(drm, bpp);
#else
	drm_fbdev_generic_setup(drm, bpp);
#endif
}

/*
 * Read the EDID with @read_block, set it on @connector and add its modes.
 * Return: the number of modes added.
 */
static inline int mvgpu_drm_edid_modes(struct drm_connector *connector,
				       int (*read_block)(void *data, u8 *buf, unsigned int block,
							 size_t len),
				       void *data)
{
	int n;
#ifdef MVGPU_HAVE_DRM_EDID_ADD_MODES
	const struct drm_edid *edid = drm_edid_read_custom(connector, read_block, data);

	drm_edid_connector_update(connector, edid);
	n = drm_edid_connector_add_modes(connector);
	drm_edid_free(edid);
#else
	struct edid *edid = drm_do_get_edid(connector, read_block, data);

	drm_connector_update_edid_property(connector, edid);
	n = edid ? drm_add_edid_modes(connector, edid) : 0;
	kfree(edid);
#endif
	return n;
}

#endif /* _MVGPU_DRM_COMPAT_H */
