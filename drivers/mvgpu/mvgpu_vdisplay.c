// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the vGPU's display as VFIO exports it to the VMM.
 *
 *  - The EDID region (VFIO_REGION_TYPE_GFX, VFIO_REGION_SUBTYPE_GFX_EDID):
 *    the VMM sets the monitor's EDID and link state; the guest sees a
 *    hot-plug with the new EDID when the link comes up.
 *  - VFIO_DEVICE_QUERY_GFX_PLANE with VFIO_GFX_PLANE_TYPE_REGION: each
 *    query of the primary plane copies what the guest scans out into the
 *    framebuffer region, which the VMM reads or maps (as the kernel's mdpy
 *    sample offers it). Nothing of it needs OpenGL in the VMM.
 *  - With VFIO_GFX_PLANE_TYPE_DMABUF, if the vGPU's plane_type says so:
 *    the primary and cursor planes as dma-bufs of the guest's own pages
 *    (mvgpu_dmabuf.c). QEMU takes DMABUF when it is offered, and then
 *    needs OpenGL, so it is not offered by default.
 *
 * Whatever the guest programs, a plane that is not entirely in its own GM
 * is reported disabled (and counted), never read.
 */
#include <drm/drm_fourcc.h>
#include <drm/drm_plane.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vmalloc.h>
#include <mvgpu/compat.h>
#include <mvgpu/vgpu.h>
#include <mvgpu/vpci.h>

#include "mvgpu.h"
#include "mvgpu_vfio.h"

static char *plane_type = "region";
module_param(plane_type, charp, 0444);
MODULE_PARM_DESC(plane_type,
		 "what new vGPUs offer the VMM: region (default; no OpenGL needed) or dmabuf");

/**
 * mvgpu_vdisplay_check_params() - refuse a plane_type nobody knows
 *
 * Return: 0, or -EINVAL (and the module does not load).
 */
int mvgpu_vdisplay_check_params(void)
{
	if (sysfs_streq(plane_type, "region") || sysfs_streq(plane_type, "dmabuf"))
		return 0;
	pr_err("mvgpu: plane_type=%s: want region or dmabuf\n", plane_type);
	return -EINVAL;
}

/* The EDID region: the header, then the blob at EDID_BLOB */
#define EDID_BLOB		0x100
#define EDID_REGION_SIZE	(EDID_BLOB + MVGPU_DISP_EDID_MAX)

/**
 * mvgpu_vdisplay_init() - add the display's regions to the device
 * @s: the vGPU, before it is registered
 */
void mvgpu_vdisplay_init(struct mvgpu_state *s)
{
	const struct mvgpu_type_res *t = s->vgpu.type;
	struct mvgpu_vpci_region *r = s->vpci.regions;

	s->vpci.nr_regions = MVGPU_FB_REGION_INDEX + 1;
	r[MVGPU_EDID_REGION_INDEX] = (struct mvgpu_vpci_region){
		.size = EDID_REGION_SIZE, .flags = MVGPU_VPCI_RW,
		.type = VFIO_REGION_TYPE_GFX, .subtype = VFIO_REGION_SUBTYPE_GFX_EDID,
	};
	s->vdisplay.fb_size = PAGE_ALIGN((u64)t->max_xres * t->max_yres * 4);
	/* not a VFIO_REGION_TYPE_GFX subtype: the plane query names its index */
	r[MVGPU_FB_REGION_INDEX] = (struct mvgpu_vpci_region){
		.size = s->vdisplay.fb_size,
		.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_MMAP,
	};
	INIT_LIST_HEAD(&s->vdisplay.fbs);
	s->vdisplay.dmabuf = sysfs_streq(plane_type, "dmabuf");
}

/**
 * mvgpu_vdisplay_open() - the user opens the device
 * @s: the vGPU
 *
 * The framebuffer region exists while the device is open, so that its
 * mappings and reads need no lock (mmap runs under mmap_lock, which
 * faults take under the vGPU's lock). Under the vGPU's lock, it is
 * there exactly while the device is open.
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_vdisplay_open(struct mvgpu_state *s)
{
	void *fb = vmalloc_user(s->vdisplay.fb_size);

	if (!fb)
		return -ENOMEM;
	mutex_lock(&s->lock);
	s->vdisplay.fb = fb;
	mutex_unlock(&s->lock);
	return 0;
}

/**
 * mvgpu_vdisplay_close() - the user closed the device
 * @s: the vGPU, its lock held
 *
 * Frees the framebuffer (nothing maps it any more: a mapping holds the
 * device open), forgets the dma-bufs' buffers (those the VMM holds stay)
 * and the EDID the VMM set.
 */
void mvgpu_vdisplay_close(struct mvgpu_state *s)
{
	lockdep_assert_held(&s->lock);
	mvgpu_dmabuf_forget(s);
	vfree(s->vdisplay.fb);
	s->vdisplay.fb = NULL;
	s->vdisplay.edid_size = 0;
}

/* Copy the scanout into the framebuffer, lines packed: 0 or -errno. */
static int mvgpu_fb_refresh(struct mvgpu_state *s, const struct mvgpu_plane *p, u32 line)
{
	u8 *dst = s->vdisplay.fb;
	u32 y;
	int ret;

	for (y = 0; y < p->height; y++, dst += line) {
		/* a page with no GTT entry: the plane is not all there */
		ret = mvgpu_gm_rw(&s->vgpu, p->gm + (u64)y * p->stride, dst, line, false);
		if (ret)
			return ret;
	}
	return 0;
}

static int mvgpu_query_region(struct mvgpu_state *s, struct vfio_device_gfx_plane_info *info)
{
	struct mvgpu_plane p;
	u32 line;

	/* the cursor has no region of its own: QEMU's region display draws none */
	if (info->drm_plane_type == DRM_PLANE_TYPE_CURSOR ||
	    mvgpu_display_plane(&s->vgpu, false, &p))
		return 0;
	line = p.width * p.cpp;
	if (mvgpu_fb_refresh(s, &p, line)) {
		s->vgpu.display.plane_errors++;
		return 0;
	}
	info->drm_format = p.drm_format;
	info->width = p.width;
	info->height = p.height;
	info->stride = line;
	info->size = PAGE_ALIGN(line * p.height);
	info->region_index = MVGPU_FB_REGION_INDEX;
	return 0;
}

static int mvgpu_query_dmabuf(struct mvgpu_state *s, struct vfio_device_gfx_plane_info *info)
{
	bool cursor = info->drm_plane_type == DRM_PLANE_TYPE_CURSOR;
	struct mvgpu_plane p;
	u32 id;
	int ret;

	if (mvgpu_display_plane(&s->vgpu, cursor, &p))
		return 0;
	ret = mvgpu_dmabuf_find(s, &p, &id);
	if (ret == -EFAULT) {	/* not page aligned, or a page without an entry */
		s->vgpu.display.plane_errors++;
		return 0;
	}
	if (ret)
		return ret;
	info->drm_format = p.drm_format;
	info->width = p.width;
	info->height = p.height;
	info->stride = p.stride;
	info->size = PAGE_ALIGN((u64)p.stride * (p.height - 1) + (u64)p.width * p.cpp);
	if (cursor) {
		info->x_pos = p.x;
		info->y_pos = p.y;
		info->x_hot = p.hot_x;
		info->y_hot = p.hot_y;
	}
	info->dmabuf_id = id;
	return 0;
}

/**
 * mvgpu_vdisplay_query_plane() - VFIO_DEVICE_QUERY_GFX_PLANE
 * @s: the vGPU
 * @arg: the user's struct vfio_device_gfx_plane_info
 *
 * A plane that is off or invalid is reported with a zero format, size,
 * width and height. The REGION type is offered, DMABUF if the vGPU's
 * plane_type is "dmabuf".
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vdisplay_query_plane(struct mvgpu_state *s, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info, region_index);
	struct vfio_device_gfx_plane_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	switch (info.flags & ~VFIO_GFX_PLANE_TYPE_PROBE) {
	case VFIO_GFX_PLANE_TYPE_REGION:
		break;
	case VFIO_GFX_PLANE_TYPE_DMABUF:
		/* changed only while the device is closed */
		if (!READ_ONCE(s->vdisplay.dmabuf))
			return -EINVAL;
		break;
	default:	/* one type at a time */
		return -EINVAL;
	}
	if (info.flags & VFIO_GFX_PLANE_TYPE_PROBE)
		return 0;
	/*
	 * QEMU's region display leaves the plane type 0 (overlay) and means
	 * the primary plane, as the mdpy sample takes it
	 */
	if (info.drm_plane_type != DRM_PLANE_TYPE_OVERLAY &&
	    info.drm_plane_type != DRM_PLANE_TYPE_PRIMARY &&
	    info.drm_plane_type != DRM_PLANE_TYPE_CURSOR)
		return -EINVAL;
	info.drm_format = 0;
	info.drm_format_mod = 0;
	info.width = 0;
	info.height = 0;
	info.stride = 0;
	info.size = 0;
	info.x_pos = 0;
	info.y_pos = 0;
	info.x_hot = ~0U;	/* no hotspot */
	info.y_hot = ~0U;
	info.region_index = 0;
	mutex_lock(&s->lock);
	if (info.flags & VFIO_GFX_PLANE_TYPE_DMABUF)
		ret = mvgpu_query_dmabuf(s, &info);
	else
		ret = mvgpu_query_region(s, &info);
	mutex_unlock(&s->lock);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* A header field of the EDID region: 4 bytes, aligned. */
static int mvgpu_edid_field(struct mvgpu_state *s, u64 off, u32 *val, bool write)
{
	struct mvgpu_vdisplay *vd = &s->vdisplay;
	const struct mvgpu_type_res *t = s->vgpu.type;
	/* the link is the display's monitor, which the VMM plugs and unplugs */
	u32 link = s->vgpu.display.hotplug & MVGPU_HOTPLUG_CONNECTED ?
		   VFIO_DEVICE_GFX_LINK_STATE_UP : VFIO_DEVICE_GFX_LINK_STATE_DOWN;

	switch (off) {
	case offsetof(struct vfio_region_gfx_edid, edid_size):
		if (!write) {
			*val = vd->edid_size;
			return 0;
		}
		if (*val > MVGPU_DISP_EDID_MAX || *val % MVGPU_EDID_BLOCK)
			return -EINVAL;
		vd->edid_size = *val;
		return 0;
	case offsetof(struct vfio_region_gfx_edid, link_state):
		if (!write) {
			*val = link;
			return 0;
		}
		if (*val == VFIO_DEVICE_GFX_LINK_STATE_UP) {
			if (!vd->edid_size)
				return -EINVAL;	/* no monitor without an EDID */
			mvgpu_display_set_edid(&s->vgpu, vd->edid, vd->edid_size, true);
		} else if (*val == VFIO_DEVICE_GFX_LINK_STATE_DOWN) {
			mvgpu_display_set_edid(&s->vgpu, NULL, 0, false);
		} else {
			return -EINVAL;
		}
		return 0;
	}
	if (write)
		return -EINVAL;	/* the rest of the header is read-only */
	switch (off) {
	case offsetof(struct vfio_region_gfx_edid, edid_offset):
		*val = EDID_BLOB;
		return 0;
	case offsetof(struct vfio_region_gfx_edid, edid_max_size):
		*val = MVGPU_DISP_EDID_MAX;
		return 0;
	case offsetof(struct vfio_region_gfx_edid, max_xres):
		*val = t->max_xres;
		return 0;
	case offsetof(struct vfio_region_gfx_edid, max_yres):
		*val = t->max_yres;
		return 0;
	}
	*val = 0;	/* between the header and the blob */
	return 0;
}

static int mvgpu_edid_access(struct mvgpu_state *s, u64 off, u8 *buf, size_t len, bool write)
{
	u8 *blob = s->vdisplay.edid;
	u32 val;
	int ret;

	if (off >= EDID_BLOB) {
		off -= EDID_BLOB;
		if (off >= MVGPU_DISP_EDID_MAX || len > MVGPU_DISP_EDID_MAX - off)
			return -EINVAL;
		if (write)
			memcpy(blob + off, buf, len);
		else
			memcpy(buf, blob + off, len);
		return 0;
	}
	if (len != 4 || off % 4)
		return -EINVAL;
	memcpy(&val, buf, 4);
	ret = mvgpu_edid_field(s, off, &val, write);
	if (!ret && !write)
		memcpy(buf, &val, 4);
	return ret;
}

/**
 * mvgpu_vdisplay_rw() - read() or write() of the display's regions
 * @s: the vGPU, open
 * @ubuf: the user's buffer
 * @count: bytes
 * @ppos: the file position, in MVGPU_EDID_REGION_INDEX or MVGPU_FB_REGION_INDEX
 * @write: write, or read
 *
 * The EDID region's header takes 4-byte accesses of its fields, its blob
 * any; the framebuffer region is read-only.
 *
 * Return: bytes done, or -EINVAL for an access outside the region, a write
 * of a read-only field or of a value the field refuses; -EFAULT.
 */
ssize_t mvgpu_vdisplay_rw(struct mvgpu_state *s, char __user *ubuf, size_t count, loff_t *ppos,
			  bool write)
{
	u64 index = mvgpu_vpci_pos_index(*ppos), off = mvgpu_vpci_pos_offset(*ppos);
	u8 *buf;
	int ret;

	if (index == MVGPU_FB_REGION_INDEX) {
		if (write || off >= s->vdisplay.fb_size || count > s->vdisplay.fb_size - off)
			return -EINVAL;
		/* a frame being refreshed may read torn, never out of bounds */
		if (copy_to_user(ubuf, (u8 *)s->vdisplay.fb + off, count))
			return -EFAULT;
		*ppos += count;
		return count;
	}
	if (index != MVGPU_EDID_REGION_INDEX || off >= EDID_REGION_SIZE ||
	    count > EDID_REGION_SIZE - off)
		return -EINVAL;
	buf = write ? memdup_user(ubuf, count) : kzalloc(count, GFP_KERNEL);
	if (IS_ERR_OR_NULL(buf))
		return buf ? PTR_ERR(buf) : -ENOMEM;
	mutex_lock(&s->lock);
	ret = mvgpu_edid_access(s, off, buf, count, write);
	mvgpu_unlock(s);
	if (!ret && !write && copy_to_user(ubuf, buf, count))
		ret = -EFAULT;
	kfree(buf);
	if (ret)
		return ret;
	*ppos += count;
	return count;
}

/**
 * mvgpu_vdisplay_mmap() - map the framebuffer region
 * @s: the vGPU, open
 * @vma: the mapping, inside the region, not writable
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vdisplay_mmap(struct mvgpu_state *s, struct vm_area_struct *vma)
{
	u64 off = mvgpu_vpci_pos_offset((u64)vma->vm_pgoff << PAGE_SHIFT);
	u64 len = vma->vm_end - vma->vm_start;

	if (off >= s->vdisplay.fb_size || len > s->vdisplay.fb_size - off ||
	    (vma->vm_flags & VM_WRITE))
		return -EINVAL;
	mvgpu_vm_flags_clear(vma, VM_MAYWRITE);
	return remap_vmalloc_range(vma, s->vdisplay.fb, off >> PAGE_SHIFT);
}
