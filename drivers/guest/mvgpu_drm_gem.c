// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_drm: buffer objects and GM. Buffers are shmem GEM objects; one the
 * display shows is bound into GM: given a range of this vGPU's GM, whose
 * GTT entries (BAR0, after the registers) point at its pages. The vGPU
 * owns only the ranges PVINFO gives it, so the allocator covers the whole
 * GM with everything else reserved, as i915 balloons under GVT-g.
 */
#include <drm/drm_drv.h>
#include <drm/drm_gem_shmem_helper.h>
#include <kunit/visibility.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_drm.h"

/**
 * mvgpu_gm_init() - the GM allocator, ballooned to the vGPU's own ranges
 * @m: the vGPU, its PVINFO ranges read
 *
 * Return: 0, or -ENOSPC if the ranges do not fit the GM.
 */
int mvgpu_gm_init(struct mvgpu_drm *m)
{
	u64 low_end = m->low_base + m->low_size, high_end = m->high_base + m->high_size;
	int ret = 0;

	if (low_end > m->high_base || high_end > m->gm_size)
		return -ENOSPC;
	drm_mm_init(&m->gm, 0, m->gm_size);
	m->balloon[0].start = 0;
	m->balloon[0].size = m->low_base;
	m->balloon[1].start = low_end;
	m->balloon[1].size = m->high_base - low_end;
	m->balloon[2].start = high_end;
	m->balloon[2].size = m->gm_size - high_end;
	for (int i = 0; i < ARRAY_SIZE(m->balloon) && !ret; i++)
		if (m->balloon[i].size)
			ret = drm_mm_reserve_node(&m->gm, &m->balloon[i]);
	if (ret)
		mvgpu_gm_fini(m);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gm_init);

/**
 * mvgpu_gm_fini() - tear the allocator down, every buffer unbound
 * @m: the vGPU
 */
void mvgpu_gm_fini(struct mvgpu_drm *m)
{
	for (int i = 0; i < ARRAY_SIZE(m->balloon); i++)
		if (drm_mm_node_allocated(&m->balloon[i]))
			drm_mm_remove_node(&m->balloon[i]);
	drm_mm_takedown(&m->gm);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gm_fini);

static void mvgpu_gtt_write(struct mvgpu_drm *m, u64 gm, u64 pte)
{
	void __iomem *entry = m->mmio + MVGPU_GTT_OFFSET + (gm >> PAGE_SHIFT) * 8;

	writel(lower_32_bits(pte), entry);
	writel(upper_32_bits(pte), entry + 4);
}

static void mvgpu_bo_free(struct drm_gem_object *obj)
{
	struct mvgpu_bo *bo = to_mvgpu_bo(obj);
	struct mvgpu_drm *m = to_mvgpu_drm(obj->dev);
	u64 off;
	int idx;

	mutex_lock(&m->gm_lock);
	if (drm_mm_node_allocated(&bo->gm)) {
		/*
		 * Nothing shows it any more: the display let go of it first.
		 * After an unplug the registers are gone, and so is the GTT.
		 */
		if (drm_dev_enter(obj->dev, &idx)) {
			for (off = 0; off < bo->gm.size; off += PAGE_SIZE)
				mvgpu_gtt_write(m, bo->gm.start + off, 0);
			drm_dev_exit(idx);
		}
		drm_mm_remove_node(&bo->gm);
	}
	mutex_unlock(&m->gm_lock);
	drm_gem_shmem_free(&bo->base);
}

static const struct drm_gem_object_funcs mvgpu_bo_funcs = {
	.free = mvgpu_bo_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * mvgpu_bo_create_object() - drm_driver.gem_create_object
 * @drm: the device
 * @size: bytes
 *
 * Return: the new object's GEM object, or an ERR_PTR().
 */
struct drm_gem_object *mvgpu_bo_create_object(struct drm_device *drm, size_t size)
{
	struct mvgpu_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	/* the display reads it while the CPU writes it: no caching games */
	bo->base.map_wc = false;
	bo->base.base.funcs = &mvgpu_bo_funcs;
	return &bo->base.base;
}

/**
 * mvgpu_bo_bind() - give a buffer a place in GM, for the display
 * @bo: the buffer
 * @gm: its GM address
 *
 * The first call pins its pages (they stay until the buffer is freed) and
 * points GTT entries of a free GM range at them; later calls only say
 * where it is.
 *
 * Return: 0, -ENOSPC if this vGPU's GM is full, -ENODEV once the device is
 * gone, or another negative errno.
 */
int mvgpu_bo_bind(struct mvgpu_bo *bo, u64 *gm)
{
	struct mvgpu_drm *m = to_mvgpu_drm(bo->base.base.dev);
	struct sg_dma_page_iter it;
	struct sg_table *sgt;
	u64 off = 0;
	int ret, idx;

	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (IS_ERR(sgt))
		return PTR_ERR(sgt);
	if (!drm_dev_enter(&m->drm, &idx))
		return -ENODEV;
	mutex_lock(&m->gm_lock);
	ret = 0;
	if (!drm_mm_node_allocated(&bo->gm)) {
		ret = drm_mm_insert_node_generic(&m->gm, &bo->gm, bo->base.base.size, PAGE_SIZE,
						 0, DRM_MM_INSERT_BEST);
		if (!ret) {
			for_each_sgtable_dma_page(sgt, &it, 0) {
				mvgpu_gtt_write(m, bo->gm.start + off,
						sg_page_iter_dma_address(&it) | MVGPU_GTT_VALID);
				off += PAGE_SIZE;
			}
		}
	}
	if (!ret)
		*gm = bo->gm.start;
	mutex_unlock(&m->gm_lock);
	drm_dev_exit(idx);
	return ret;
}
