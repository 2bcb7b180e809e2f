// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the display's planes as dma-bufs (VFIO_GFX_PLANE_TYPE_DMABUF),
 * for a VMM that shows them without a copy (QEMU with OpenGL).
 *
 * A plane query names the guest pages the plane scans out, through the
 * vGPU's GTT: the same format, size, GM address and pages as a buffer the
 * VMM already knows give its dmabuf_id back, anything else makes a new
 * buffer. A buffer holds a reference on each of its pages, so a dma-buf
 * outlives whatever the guest does next, the device's close and its
 * removal; it holds nothing of the vGPU. The vGPU keeps its last
 * MVGPU_FB_CACHE buffers for VFIO_DEVICE_GET_GFX_DMABUF.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <mvgpu/compat.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "mvgpu.h"
#include "mvgpu_vfio.h"

/* dma-bufs are CPU pages: a GM page must be one */
static_assert(SIMGPU_PAGE_SHIFT == PAGE_SHIFT);

/* buffers a vGPU remembers: QEMU keeps a few for the primary and the cursor */
#define MVGPU_FB_CACHE	8

/**
 * struct mvgpu_fb - guest pages a plane scans out, exported as dma-bufs
 * @ref: one for the vGPU's cache, one for each dma-buf
 * @node: in the vGPU's cache, most recent first (under the vGPU's lock)
 * @id: the dmabuf_id VFIO reports for it
 * @plane: what the plane showed
 * @nr_pages: pages from the first byte of the surface to its last
 * @pages: the pages, a reference held on each
 */
struct mvgpu_fb {
	struct kref ref;
	struct list_head node;
	u32 id;
	struct mvgpu_plane plane;
	unsigned int nr_pages;
	struct page *pages[];
};

static void mvgpu_fb_free(struct kref *ref)
{
	struct mvgpu_fb *fb = container_of(ref, struct mvgpu_fb, ref);
	unsigned int i;

	for (i = 0; i < fb->nr_pages; i++)
		put_page(fb->pages[i]);
	kvfree(fb);
}

static void mvgpu_fb_put(struct mvgpu_fb *fb)
{
	kref_put(&fb->ref, mvgpu_fb_free);
}

static struct sg_table *mvgpu_dmabuf_map(struct dma_buf_attachment *at,
					 enum dma_data_direction dir)
{
	struct mvgpu_fb *fb = at->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sgt, fb->pages, fb->nr_pages, 0,
					(size_t)fb->nr_pages << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(at->dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void mvgpu_dmabuf_unmap(struct dma_buf_attachment *at, struct sg_table *sgt,
			       enum dma_data_direction dir)
{
	dma_unmap_sgtable(at->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

static void mvgpu_dmabuf_release(struct dma_buf *buf)
{
	mvgpu_fb_put(buf->priv);
}

/*
 * Read-only, and by PFN: the pages are the guest's memory, anonymous
 * pages of the VMM, which cannot be inserted as pages of another mapping.
 * The mapping holds the dma-buf's file, so the pages stay.
 */
static int mvgpu_dmabuf_mmap(struct dma_buf *buf, struct vm_area_struct *vma)
{
	struct mvgpu_fb *fb = buf->priv;
	unsigned long addr = vma->vm_start, i;
	int ret;

	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	if (vma->vm_pgoff > fb->nr_pages ||
	    vma_pages(vma) > fb->nr_pages - vma->vm_pgoff)
		return -EINVAL;
	mvgpu_vm_flags_clear(vma, VM_MAYWRITE);
	for (i = vma->vm_pgoff; addr < vma->vm_end; i++, addr += PAGE_SIZE) {
		ret = remap_pfn_range(vma, addr, page_to_pfn(fb->pages[i]), PAGE_SIZE,
				      vma->vm_page_prot);
		if (ret)
			return ret;
	}
	return 0;
}

static int mvgpu_dmabuf_vmap(struct dma_buf *buf, struct iosys_map *map)
{
	struct mvgpu_fb *fb = buf->priv;
	void *vaddr = vmap(fb->pages, fb->nr_pages, VM_MAP, PAGE_KERNEL);

	if (!vaddr)
		return -ENOMEM;
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void mvgpu_dmabuf_vunmap(struct dma_buf *buf, struct iosys_map *map)
{
	vunmap(map->vaddr);
}

static const struct dma_buf_ops mvgpu_dmabuf_ops = {
	.map_dma_buf = mvgpu_dmabuf_map,
	.unmap_dma_buf = mvgpu_dmabuf_unmap,
	.release = mvgpu_dmabuf_release,
	.mmap = mvgpu_dmabuf_mmap,
	.vmap = mvgpu_dmabuf_vmap,
	.vunmap = mvgpu_dmabuf_vunmap,
};

static bool mvgpu_fb_same(const struct mvgpu_fb *fb, const struct mvgpu_plane *p,
			  struct page **pages, unsigned int nr)
{
	const struct mvgpu_plane *q = &fb->plane;

	return q->drm_format == p->drm_format && q->width == p->width &&
	       q->height == p->height && q->stride == p->stride && q->gm == p->gm &&
	       fb->nr_pages == nr && !memcmp(fb->pages, pages, nr * sizeof(*pages));
}

/**
 * mvgpu_dmabuf_find() - the buffer of what a plane scans out
 * @s: the vGPU, its lock held
 * @p: the plane (mvgpu_display_plane())
 * @id: its dmabuf_id
 *
 * Return: 0, -EFAULT if the surface is not page aligned or one of its
 * pages has no valid entry, or -ENOMEM.
 */
int mvgpu_dmabuf_find(struct mvgpu_state *s, const struct mvgpu_plane *p, u32 *id)
{
	struct mvgpu_vdisplay *vd = &s->vdisplay;
	u64 bytes = (u64)p->stride * (p->height - 1) + (u64)p->width * p->cpp;
	unsigned int nr = DIV_ROUND_UP(bytes, PAGE_SIZE);
	struct mvgpu_fb *fb, *old;
	int ret;

	lockdep_assert_held(&s->lock);
	fb = kvzalloc(struct_size(fb, pages, nr), GFP_KERNEL);
	if (!fb)
		return -ENOMEM;
	kref_init(&fb->ref);
	fb->nr_pages = nr;
	ret = mvgpu_gm_pages(&s->vgpu, p->gm, nr, fb->pages);
	if (ret) {
		kvfree(fb);
		return ret;
	}
	list_for_each_entry(old, &vd->fbs, node) {
		if (mvgpu_fb_same(old, p, fb->pages, nr)) {
			list_move(&old->node, &vd->fbs);
			*id = old->id;
			mvgpu_fb_put(fb);
			return 0;
		}
	}
	fb->plane = *p;
	if (!++vd->next_fb_id)	/* 0 is no buffer to QEMU */
		vd->next_fb_id = 1;
	fb->id = vd->next_fb_id;
	list_add(&fb->node, &vd->fbs);
	if (++vd->nr_fbs > MVGPU_FB_CACHE) {
		old = list_last_entry(&vd->fbs, struct mvgpu_fb, node);
		list_del(&old->node);
		vd->nr_fbs--;
		mvgpu_fb_put(old);
	}
	*id = fb->id;
	return 0;
}

/**
 * mvgpu_dmabuf_get() - VFIO_DEVICE_GET_GFX_DMABUF
 * @s: the vGPU
 * @arg: the user's u32 dmabuf_id, from a plane query
 *
 * Return: a new dma-buf file descriptor, -ENOENT for an id the vGPU does
 * not remember (too old, or from before the last close), or another
 * negative errno.
 */
int mvgpu_dmabuf_get(struct mvgpu_state *s, void __user *arg)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct mvgpu_fb *fb, *found = NULL;
	struct dma_buf *buf;
	u32 id;
	int fd;

	if (get_user(id, (u32 __user *)arg))
		return -EFAULT;
	mutex_lock(&s->lock);
	list_for_each_entry(fb, &s->vdisplay.fbs, node) {
		if (fb->id == id) {
			found = fb;
			kref_get(&found->ref);
			break;
		}
	}
	mutex_unlock(&s->lock);
	if (!found)
		return -ENOENT;
	info.ops = &mvgpu_dmabuf_ops;
	info.size = (size_t)found->nr_pages << PAGE_SHIFT;
	info.flags = O_RDWR;	/* as importers expect; mmap() is read-only */
	info.priv = found;
	buf = dma_buf_export(&info);
	if (IS_ERR(buf)) {
		mvgpu_fb_put(found);
		return PTR_ERR(buf);
	}
	fd = dma_buf_fd(buf, O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(buf);	/* its release drops the buffer */
	return fd;
}

/**
 * mvgpu_dmabuf_forget() - forget every buffer, at close
 * @s: the vGPU, its lock held
 *
 * dma-bufs the VMM still holds keep their pages.
 */
void mvgpu_dmabuf_forget(struct mvgpu_state *s)
{
	struct mvgpu_fb *fb, *next;

	lockdep_assert_held(&s->lock);
	list_for_each_entry_safe(fb, next, &s->vdisplay.fbs, node) {
		list_del(&fb->node);
		mvgpu_fb_put(fb);
	}
	s->vdisplay.nr_fbs = 0;
}
