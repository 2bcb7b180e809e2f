/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu_drm: the guest's DRM driver for an mvgpu vGPU. What its files
 * share: the device, its buffer objects and their place in GM.
 */
#ifndef _MVGPU_DRM_H
#define _MVGPU_DRM_H

#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_mm.h>
#include <drm/drm_simple_kms_helper.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#define MVGPU_DRM_NAME	"mvgpu_drm"

/**
 * struct mvgpu_drm - one vGPU
 * @drm: the DRM device
 * @mmio: BAR0: the registers, then the GTT
 * @low_base: GM of the aperture slice PVINFO gives this vGPU
 * @low_size: its bytes
 * @high_base: the rest of its GM
 * @high_size: its bytes
 * @gm_size: GM of the whole GPU
 * @max_w: the largest mode's width (MAX_SRC)
 * @max_h: its height
 * @gm_lock: serialises @gm and GTT writes
 * @gm: this vGPU's GM; what is not its own is reserved ("ballooned")
 * @balloon: the reserved ranges below, between and above its two ranges
 * @pipe: the display pipe: primary plane, CRTC and encoder
 * @connector: the monitor
 * @hotplug_work: tells user space the monitor changed (not in the IRQ)
 */
struct mvgpu_drm {
	struct drm_device drm;
	void __iomem *mmio;
	u64 low_base;
	u64 low_size;
	u64 high_base;
	u64 high_size;
	u64 gm_size;
	u32 max_w;
	u32 max_h;
	struct mutex gm_lock;	/* see above */
	struct drm_mm gm;
	struct drm_mm_node balloon[3];
	struct drm_simple_display_pipe pipe;
	struct drm_connector connector;
	struct work_struct hotplug_work;
};

static inline struct mvgpu_drm *to_mvgpu_drm(struct drm_device *drm)
{
	return container_of(drm, struct mvgpu_drm, drm);
}

static inline u32 mvgpu_rd(struct mvgpu_drm *m, u32 off)
{
	return readl(m->mmio + off);
}

static inline void mvgpu_wr(struct mvgpu_drm *m, u32 off, u32 val)
{
	writel(val, m->mmio + off);
}

/**
 * struct mvgpu_bo - a buffer object: shmem pages, bound into GM when shown
 * @base: the shmem GEM object
 * @gm: where it is in GM, once bound (under mvgpu_drm.gm_lock)
 */
struct mvgpu_bo {
	struct drm_gem_shmem_object base;
	struct drm_mm_node gm;
};

static inline struct mvgpu_bo *to_mvgpu_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct mvgpu_bo, base);
}

/* mvgpu_drm_gem.c */
int mvgpu_gm_init(struct mvgpu_drm *m);
void mvgpu_gm_fini(struct mvgpu_drm *m);
struct drm_gem_object *mvgpu_bo_create_object(struct drm_device *drm, size_t size);
int mvgpu_bo_bind(struct mvgpu_bo *bo, u64 *gm);

/* mvgpu_drm_kms.c */
int mvgpu_kms_init(struct mvgpu_drm *m);
void mvgpu_kms_irq(struct mvgpu_drm *m, u32 iir);

#endif /* _MVGPU_DRM_H */
