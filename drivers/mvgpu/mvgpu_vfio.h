/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu: what the VFIO glue's files share (mvgpu_vfio.c, the device and
 * its parent; mvgpu_vdisplay.c, the display as VFIO exports it).
 */
#ifndef _MVGPU_VFIO_H
#define _MVGPU_VFIO_H

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/vfio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <mvgpu/vpci.h>

#include "mvgpu.h"

/* Device-specific regions of a vGPU */
#define MVGPU_EDID_REGION_INDEX	VFIO_PCI_NUM_REGIONS
#define MVGPU_FB_REGION_INDEX	(VFIO_PCI_NUM_REGIONS + 1)

/**
 * struct mvgpu_vdisplay - the display as VFIO exports it
 * @edid: the EDID region's blob, as the VMM wrote it
 * @edid_size: the EDID region's edid_size
 * @fb: the framebuffer region (vmalloc_user(), MVGPU_FB_REGION_INDEX),
 *	there while the device is open
 * @fb_size: its bytes: the largest mode at 4 bytes a pixel
 * @dmabuf: plane queries answer VFIO_GFX_PLANE_TYPE_DMABUF too (the
 *	plane_type attribute; changed only while the device is closed)
 * @fbs: the last buffers plane queries found (mvgpu_dmabuf.c)
 * @nr_fbs: how many
 * @next_fb_id: the dmabuf_id of the newest buffer
 */
struct mvgpu_vdisplay {
	u8 edid[MVGPU_DISP_EDID_MAX];
	u32 edid_size;
	void *fb;
	u64 fb_size;
	bool dmabuf;
	struct list_head fbs;
	unsigned int nr_fbs;
	u32 next_fb_id;
};

struct mvgpu_parent;

/**
 * struct mvgpu_state - one vGPU instance
 * @vdev: the VFIO device, first (mvgpu_vpci_probe())
 * @parent: its parent
 * @lock: serialises the device model and @vpci (regions, ioctls, close);
 *	dropped while a guest page is pinned (mvgpu_pin())
 * @gtt_lock: serialises guest GTT writes and submissions (BAR0 engine
 *	registers, BAR4), across the pins that drop @lock;
 *	taken before @lock
 * @pin_inflight: the guest page being pinned with @lock dropped, or ~0
 *	(under @lock)
 * @releasing: unpins under way outside @lock (under @lock)
 * @pin_done: woken when a pin is in the cache or unpins are done
 * @vgpu: the device model
 * @vpci: its regions and interrupts
 * @pio_index: BAR4's index register
 * @scratch: what aperture pages with no GGTT entry map to; this vGPU's
 *	own, cleared on open, reset and close (mvgpu_scratch_clear())
 * @aperture_lock: orders aperture faults against the unmapping of pages
 *	whose GGTT entry changed. Taken under mmap_lock and under @lock, so
 *	it takes neither.
 * @debugfs: its debugfs directory
 * @retire_work: reports what the engines did (mvgpu_submit_retire())
 * @sched_lock: serialises writes of the weight and cap attributes, so
 *	that every engine ends with the last value written and a write of
 *	one never puts back an old value of the other
 * @vblank_timer: fires at the display's next vblank (hrtimer core's lock)
 * @vblank_work: runs mvgpu_display_vblank() for the timer, under @lock
 * @vdisplay: the display as VFIO exports it (under @lock)
 */
struct mvgpu_state {
	struct vfio_device vdev;
	struct mvgpu_parent *parent;
	struct mutex lock;	/* see above */
	struct mutex gtt_lock;	/* see above */
	u64 pin_inflight;
	unsigned int releasing;
	wait_queue_head_t pin_done;
	struct mvgpu_vgpu vgpu;
	struct mvgpu_vpci vpci;
	u32 pio_index;
	struct page *scratch;
	struct mutex aperture_lock;	/* see above */
	struct dentry *debugfs;
	struct work_struct retire_work;
	struct mutex sched_lock;	/* see above */
	struct hrtimer vblank_timer;
	struct work_struct vblank_work;
	struct mvgpu_vdisplay vdisplay;
};

/* mvgpu_vpci_probe() allocates it, the mdev's driver data points at it */
static_assert(offsetof(struct mvgpu_state, vdev) == 0);

static inline struct mvgpu_state *to_state(struct vfio_device *vdev)
{
	return container_of(vdev, struct mvgpu_state, vdev);
}

void mvgpu_unlock(struct mvgpu_state *s);

/* mvgpu_vdisplay.c */
void mvgpu_vdisplay_init(struct mvgpu_state *s);
int mvgpu_vdisplay_open(struct mvgpu_state *s);
void mvgpu_vdisplay_close(struct mvgpu_state *s);
int mvgpu_vdisplay_query_plane(struct mvgpu_state *s, void __user *arg);
ssize_t mvgpu_vdisplay_rw(struct mvgpu_state *s, char __user *ubuf, size_t count, loff_t *ppos,
			  bool write);
int mvgpu_vdisplay_mmap(struct mvgpu_state *s, struct vm_area_struct *vma);

/* mvgpu_dmabuf.c */
int mvgpu_dmabuf_find(struct mvgpu_state *s, const struct mvgpu_plane *p, u32 *id);
int mvgpu_dmabuf_get(struct mvgpu_state *s, void __user *arg);
void mvgpu_dmabuf_forget(struct mvgpu_state *s);

#endif /* _MVGPU_VFIO_H */
