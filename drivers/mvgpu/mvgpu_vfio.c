// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: all of the mdev and VFIO glue. Each physical GPU becomes an mdev
 * parent offering the types of mvgpu_res.c; each instance is a VFIO device
 * whose regions and interrupts are served by the device model.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/highmem.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/mdev.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <mvgpu/compat.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>
#include <mvgpu/vpci.h>

#include "mvgpu.h"
#include "mvgpu_vfio.h"

#define MVGPU_NAME		"mvgpu"
#define MVGPU_MAX_PARENTS	8

/**
 * struct mvgpu_type - an mdev type of a parent
 * @type: the mdev core's type
 * @name: its sysfs name, V1_n
 * @res: what an instance gets
 */
struct mvgpu_type {
	struct mdev_type type;
	char name[16];
	struct mvgpu_type_res res;
};

/**
 * struct mvgpu_parent - a physical GPU shared through mdev
 * @dev: the parent device (class mvgpu)
 * @mdev: the mdev core's parent
 * @gpu: the GPU
 * @types: its types
 * @mtypes: the same, as the mdev core wants them
 * @nr_types: how many
 * @lock: protects @res and @ids
 * @res: resources not yet handed to vGPUs
 * @ids: vGPU numbers in use
 * @dispatch: the dispatcher of each engine
 */
struct mvgpu_parent {
	struct device dev;
	struct mdev_parent mdev;
	struct pgpu *gpu;
	struct mvgpu_type types[MVGPU_MAX_TYPES];
	struct mdev_type *mtypes[MVGPU_MAX_TYPES];
	unsigned int nr_types;
	struct mutex lock;	/* see above */
	struct mvgpu_res res;
	struct ida ids;
	struct mvgpu_dispatch *dispatch[MVGPU_NUM_ENGINES];
};

/*
 * System sleep: the dispatchers stop handing out the engines, charging
 * what ran until now, then the GPU stops at a command boundary with every
 * context's state and pending work kept. Guests are frozen meanwhile, so
 * nothing is submitted; on resume the same workloads go on where they
 * stopped and the time asleep is charged to nobody.
 */
static int mvgpu_parent_suspend(struct device *dev)
{
	struct mvgpu_parent *p = container_of(dev, struct mvgpu_parent, dev);
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_dispatch_suspend(p->dispatch[i]);
	return pgpu_suspend(p->gpu);
}

static int mvgpu_parent_resume(struct device *dev)
{
	struct mvgpu_parent *p = container_of(dev, struct mvgpu_parent, dev);
	unsigned int i;

	pgpu_resume(p->gpu);
	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		mvgpu_dispatch_resume(p->dispatch[i]);
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(mvgpu_parent_pm, mvgpu_parent_suspend, mvgpu_parent_resume);

static struct class mvgpu_class = {
	.name = MVGPU_NAME,
	.pm = pm_sleep_ptr(&mvgpu_parent_pm),
};

static struct mvgpu_parent *mvgpu_parents[MVGPU_MAX_PARENTS];
static struct dentry *mvgpu_debugfs_root;

static struct mvgpu_type *to_type(struct mdev_type *mtype)
{
	return container_of(mtype, struct mvgpu_type, type);
}

static struct mvgpu_parent *to_parent(struct mdev_type *mtype)
{
	return container_of(mtype->parent, struct mvgpu_parent, mdev);
}

static void mvgpu_update_irq(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_state *s = container_of(vgpu, struct mvgpu_state, vgpu);
	bool line = mvgpu_irq_pending(vgpu);

	lockdep_assert_held(&s->lock);
	mvgpu_vpci_cfg_set_intx_status(&vgpu->cfg, line);
	mvgpu_vpci_irqs_update(&s->vpci.irqs, line,
			       mvgpu_vpci_cfg_command(&vgpu->cfg) & PCI_COMMAND_INTX_DISABLE);
}

/**
 * mvgpu_unlock() - drop the vGPU's lock, then unpin what the model let go
 * @s: the vGPU, its lock held
 *
 * VFIO's locks rank above ours (dma_unmap runs under them), so pinning
 * and unpinning never happen under the vGPU's lock.
 */
void mvgpu_unlock(struct mvgpu_state *s)
{
	LIST_HEAD(dead);

	list_splice_init(&s->vgpu.dead_pins, &dead);
	if (list_empty(&dead)) {
		mutex_unlock(&s->lock);
		return;
	}
	s->releasing++;		/* dma_unmap waits for these unpins */
	mutex_unlock(&s->lock);
	pgpu_sync(s->vgpu.gpu);	/* no engine still uses them */
	mvgpu_gtt_release_pins(&s->vgpu, &dead);
	mutex_lock(&s->lock);
	s->releasing--;
	mutex_unlock(&s->lock);
	wake_up_all(&s->pin_done);
}

/* No pin in flight in [gfn, gfn + count), no unpin under way elsewhere. */
static bool mvgpu_pins_settled(struct mvgpu_state *s, u64 gfn, u64 count)
{
	lockdep_assert_held(&s->lock);
	return s->pin_inflight - gfn >= count && !s->releasing;
}

/*
 * Holes in the aperture map the vGPU's scratch page, and a store through
 * a mapping cannot be dropped: a read-only page would only turn the
 * guest's store into a SIGBUS for its VMM. So the store lands in the
 * scratch page, which is this vGPU's own (never the GPU's or another
 * vGPU's) and is cleared here on open, reset and close: what a guest
 * stores into a hole is seen by that guest alone, and only until its
 * next reset, never by the next user of the device. Writes to a hole
 * through write() are dropped and reads return zeroes, as before.
 */
static void mvgpu_scratch_clear(struct mvgpu_state *s)
{
	clear_highpage(s->scratch);
}

/* Power-on state: config space, registers, interrupts, scratch page. */
static void mvgpu_reset(struct mvgpu_state *s)
{
	lockdep_assert_held(&s->lock);
	mvgpu_scratch_clear(s);
	mvgpu_cfg_init(&s->vgpu.cfg, s->vpci.regions[VFIO_PCI_BAR0_REGION_INDEX].size,
		       s->vgpu.alloc.low_size);
	mvgpu_submit_reset(&s->vgpu);	/* before the GTT its work uses */
	mvgpu_mmio_reset(&s->vgpu);
	mvgpu_display_reset(&s->vgpu);
	mvgpu_gtt_reset(&s->vgpu);
	s->pio_index = 0;
	mvgpu_vpci_irqs_reset(&s->vpci.irqs);
	mvgpu_update_irq(&s->vgpu);
}

static int mvgpu_cfg_access(struct mvgpu_state *s, u64 off, u8 *buf, size_t len, bool write)
{
	bool flr = write && mvgpu_cfg_flr(off, buf, len);
	int ret;

	ret = mvgpu_vpci_cfg_access(&s->vgpu.cfg, off, buf, len, write);
	if (ret)
		return ret;
	if (flr)
		mvgpu_reset(s);
	else if (write)
		mvgpu_update_irq(&s->vgpu);	/* INTx disable may have changed */
	return 0;
}

/* One entry, half of one, or several whole ones in one access */
static int mvgpu_gtt_access(struct mvgpu_state *s, u64 off, u8 *buf, size_t len, bool write)
{
	size_t n = len > 8 && !(len % 8) ? 8 : len, done;
	int ret = 0;

	for (done = 0; !ret && done < len; done += n)
		ret = write ? mvgpu_gtt_write(&s->vgpu, off + done, buf + done, n) :
			      mvgpu_gtt_read(&s->vgpu, off + done, buf + done, n);
	return ret;
}

static int mvgpu_bar0_access(struct mvgpu_state *s, u64 off, u8 *buf, size_t len, bool write)
{
	u64 size = s->vpci.regions[VFIO_PCI_BAR0_REGION_INDEX].size;

	if (off >= size || len > size - off)
		return -EINVAL;
	if (off >= MVGPU_GTT_OFFSET)
		return mvgpu_gtt_access(s, off - MVGPU_GTT_OFFSET, buf, len, write);
	return write ? mvgpu_mmio_write(&s->vgpu, off, buf, len) :
		       mvgpu_mmio_read(&s->vgpu, off, buf, len);
}

static int mvgpu_bar2_access(struct mvgpu_state *s, u64 off, u8 *buf, size_t len, bool write)
{
	if (off >= s->vgpu.alloc.low_size || len > s->vgpu.alloc.low_size - off)
		return -EINVAL;
	/* the aperture reaches GM through the GGTT; a hole reads as 0 */
	if (pgpu_aperture_rw(s->vgpu.gpu, s->vgpu.alloc.low_base + off, buf, len, write) &&
	    !write)
		memset(buf, 0, len);
	return 0;
}

/* BAR4: a 32-bit index register and a 32-bit data register into MMIO. */
static int mvgpu_bar4_access(struct mvgpu_state *s, u64 off, u8 *buf, size_t len, bool write)
{
	if (len != 4 || (off != MVGPU_PIO_INDEX && off != MVGPU_PIO_DATA))
		return -EINVAL;
	if (off == MVGPU_PIO_INDEX) {
		if (write)
			memcpy(&s->pio_index, buf, 4);
		else
			memcpy(buf, &s->pio_index, 4);
		return 0;
	}
	return write ? mvgpu_mmio_write(&s->vgpu, s->pio_index, buf, 4) :
		       mvgpu_mmio_read(&s->vgpu, s->pio_index, buf, 4);
}

/* One access through @buf, which holds @count bytes. */
static ssize_t mvgpu_rw_buf(struct mvgpu_state *s, char __user *ubuf, u8 *buf, size_t count,
			    loff_t *ppos, bool write)
{
	u64 index = mvgpu_vpci_pos_index(*ppos);
	u64 off = mvgpu_vpci_pos_offset(*ppos);
	bool gtt_write;
	int ret;

	if (write && copy_from_user(buf, ubuf, count))
		return -EFAULT;

	/* GTT writes and submissions pin guest pages, dropping s->lock */
	gtt_write = write && ((index == VFIO_PCI_BAR0_REGION_INDEX &&
			       (off >= MVGPU_GTT_OFFSET ||
				(off >= MVGPU_ENGINE_BASE(0) &&
				 off < MVGPU_ENGINE_BASE(MVGPU_NUM_ENGINES)))) ||
			      index == VFIO_PCI_BAR4_REGION_INDEX);
	if (gtt_write)
		mutex_lock(&s->gtt_lock);
	mutex_lock(&s->lock);
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mvgpu_cfg_access(s, off, buf, count, write);
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		ret = mvgpu_bar0_access(s, off, buf, count, write);
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		ret = mvgpu_bar2_access(s, off, buf, count, write);
		break;
	case VFIO_PCI_BAR4_REGION_INDEX:
		ret = mvgpu_bar4_access(s, off, buf, count, write);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mvgpu_unlock(s);
	if (gtt_write)
		mutex_unlock(&s->gtt_lock);
	if (ret)
		return ret;
	if (!write && copy_to_user(ubuf, buf, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

/* Kept out of line: the kernel may zero every stack buffer on entry. */
static noinline ssize_t mvgpu_rw_large(struct mvgpu_state *s, char __user *ubuf, size_t count,
				       loff_t *ppos, bool write)
{
	u8 buf[PCI_CFG_SPACE_SIZE];

	return mvgpu_rw_buf(s, ubuf, buf, count, ppos, write);
}

/* Accesses of up to 8 bytes, what guests do, take the short way. */
static ssize_t mvgpu_rw(struct vfio_device *vdev, char __user *ubuf, size_t count,
			loff_t *ppos, bool write)
{
	struct mvgpu_state *s = to_state(vdev);
	u64 small;

	if (!count)
		return 0;
	if (*ppos < 0)
		return -EINVAL;
	if (mvgpu_vpci_pos_index(*ppos) >= VFIO_PCI_NUM_REGIONS)
		return mvgpu_vdisplay_rw(s, ubuf, count, ppos, write);
	if (count > PCI_CFG_SPACE_SIZE)
		return -EINVAL;
	if (count > sizeof(small))
		return mvgpu_rw_large(s, ubuf, count, ppos, write);
	return mvgpu_rw_buf(s, ubuf, (u8 *)&small, count, ppos, write);
}

static ssize_t mvgpu_read(struct vfio_device *vdev, char __user *buf, size_t count,
			  loff_t *ppos)
{
	return mvgpu_rw(vdev, buf, count, ppos, false);
}

static ssize_t mvgpu_write(struct vfio_device *vdev, const char __user *buf, size_t count,
			   loff_t *ppos)
{
	return mvgpu_rw(vdev, (char __user *)buf, count, ppos, true);
}

/*
 * The aperture maps the pages the GGTT entries of the vGPU's low GM point
 * at, one fault at a time; a changed entry unmaps its page again.
 */
static vm_fault_t mvgpu_aperture_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mvgpu_state *s = vma->vm_private_data;
	u64 off = mvgpu_vpci_pos_offset((u64)vma->vm_pgoff << PAGE_SHIFT) +
		  (vmf->address - vma->vm_start);
	unsigned long pfn;
	vm_fault_t ret;
	u64 pte;

	if (off >= s->vgpu.alloc.low_size)
		return VM_FAULT_SIGBUS;
	/* a GGTT change after our read zaps what we insert: it waits for us */
	mutex_lock(&s->aperture_lock);
	pte = pgpu_ggtt_read(s->vgpu.gpu, (s->vgpu.alloc.low_base + off) >> PAGE_SHIFT);
	if (pte & PGPU_PTE_VALID)
		pfn = (pte & PGPU_PTE_ADDR_MASK) >> PAGE_SHIFT;
	else
		pfn = page_to_pfn(s->scratch);
	ret = vmf_insert_pfn(vma, vmf->address, pfn);
	mutex_unlock(&s->aperture_lock);
	return ret;
}

static const struct vm_operations_struct mvgpu_aperture_vm_ops = {
	.fault = mvgpu_aperture_fault,
};

/*
 * The GGTT entry behind aperture page @slot changed: unmap that page from
 * every mapping of the device (the next access faults the new one in).
 */
static void mvgpu_aperture_changed(struct mvgpu_vgpu *vgpu, u64 slot)
{
	struct mvgpu_state *s = container_of(vgpu, struct mvgpu_state, vgpu);
	struct address_space *mapping = mvgpu_vfio_mapping(&s->vdev);

	lockdep_assert_held(&s->lock);
	if (!mapping)
		return;
	mutex_lock(&s->aperture_lock);
	unmap_mapping_range(mapping, mvgpu_vpci_region_start(VFIO_PCI_BAR2_REGION_INDEX) +
			    (slot << PAGE_SHIFT), PAGE_SIZE, 1);
	mutex_unlock(&s->aperture_lock);
}

static int mvgpu_mmap(struct vfio_device *vdev, struct vm_area_struct *vma)
{
	struct mvgpu_state *s = to_state(vdev);
	u64 index = mvgpu_vpci_pos_index((u64)vma->vm_pgoff << PAGE_SHIFT);
	u64 off = mvgpu_vpci_pos_offset((u64)vma->vm_pgoff << PAGE_SHIFT);
	u64 len = vma->vm_end - vma->vm_start;

	if (index == MVGPU_FB_REGION_INDEX)
		return mvgpu_vdisplay_mmap(s, vma);
	if (index != VFIO_PCI_BAR2_REGION_INDEX || off >= s->vgpu.alloc.low_size ||
	    len > s->vgpu.alloc.low_size - off || !mvgpu_vfio_mapping(vdev))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;	/* a private copy of device memory makes no sense */
	vma->vm_private_data = s;
	vma->vm_ops = &mvgpu_aperture_vm_ops;
	mvgpu_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

/* Called with the vGPU's lock held; pins without it (see mvgpu_unlock()). */
static int mvgpu_pin(struct mvgpu_vgpu *vgpu, u64 gfn, struct page **page)
{
	struct mvgpu_state *s = container_of(vgpu, struct mvgpu_state, vgpu);
	int ret;

	lockdep_assert_held(&s->lock);
	lockdep_assert_held(&s->gtt_lock);
	WRITE_ONCE(s->pin_inflight, gfn);	/* dma_unmap waits for it */
	mutex_unlock(&s->lock);
	ret = vfio_pin_pages(&s->vdev, gfn << PAGE_SHIFT, 1, IOMMU_READ | IOMMU_WRITE, page);
	mutex_lock(&s->lock);
	/* the caller puts the page in the cache before it drops the lock */
	WRITE_ONCE(s->pin_inflight, ~0ULL);
	wake_up_all(&s->pin_done);
	return ret == 1 ? 0 : (ret < 0 ? ret : -EFAULT);
}

static void mvgpu_unpin(struct mvgpu_vgpu *vgpu, u64 gfn)
{
	struct mvgpu_state *s = container_of(vgpu, struct mvgpu_state, vgpu);

	vfio_unpin_pages(&s->vdev, gfn << PAGE_SHIFT, 1);
}

/*
 * The user unmapped guest memory: nothing may point into it any more, and
 * VFIO expects its pages unpinned before this returns (it retries a few
 * times, then BUG()s). The unpinning happens without the vGPU's lock.
 */
static void mvgpu_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct mvgpu_state *s = to_state(vdev);

	u64 gfn = iova >> PAGE_SHIFT;
	u64 count = DIV_ROUND_UP(length + (iova & ~PAGE_MASK), PAGE_SIZE);

	mutex_lock(&s->lock);
	/*
	 * VFIO retries only a few times: a pin of this memory in flight must
	 * be in the cache, and unpins under way must be done, before we look.
	 */
	while (!mvgpu_pins_settled(s, gfn, count)) {
		mutex_unlock(&s->lock);
		wait_event(s->pin_done, READ_ONCE(s->pin_inflight) - gfn >= count &&
			   !READ_ONCE(s->releasing));
		mutex_lock(&s->lock);
	}
	mvgpu_gtt_unmap_gfns(&s->vgpu, gfn, count);
	mvgpu_submit_unmap(&s->vgpu, gfn, count);	/* and page tables' shadows */
	mvgpu_unlock(s);
}

static long mvgpu_ioctl(struct vfio_device *vdev, unsigned int cmd, unsigned long arg)
{
	struct mvgpu_state *s = to_state(vdev);

	if (cmd == VFIO_DEVICE_RESET) {
		mutex_lock(&s->lock);
		mvgpu_reset(s);
		mvgpu_unlock(s);
		return 0;
	}
	if (cmd == VFIO_DEVICE_QUERY_GFX_PLANE)
		return mvgpu_vdisplay_query_plane(s, (void __user *)arg);
	if (cmd == VFIO_DEVICE_GET_GFX_DMABUF)
		return mvgpu_dmabuf_get(s, (void __user *)arg);
	return mvgpu_vpci_ioctl(&s->vpci, cmd, (void __user *)arg);
}

static int mvgpu_open_device(struct vfio_device *vdev)
{
	struct mvgpu_state *s = to_state(vdev);
	int ret;

	ret = mvgpu_vdisplay_open(s);
	if (ret)
		return ret;
	mutex_lock(&s->lock);
	mvgpu_reset(s);
	mvgpu_unlock(s);
	return 0;
}

static void mvgpu_close_device(struct vfio_device *vdev)
{
	struct mvgpu_state *s = to_state(vdev);

	mutex_lock(&s->lock);
	mvgpu_vpci_irqs_release(&s->vpci.irqs);
	mvgpu_submit_reset(&s->vgpu);	/* its work stops */
	mvgpu_mmio_reset(&s->vgpu);	/* the physical fences go back to unused */
	mvgpu_display_reset(&s->vgpu);	/* the pipe and its timer stop */
	mvgpu_display_monitor_reset(&s->vgpu);	/* the next user's monitor */
	mvgpu_gtt_reset(&s->vgpu);	/* every guest page unpinned */
	mvgpu_scratch_clear(s);		/* nothing of this user is left */
	mvgpu_vdisplay_close(s);
	mvgpu_unlock(s);
}

static void mvgpu_request(struct vfio_device *vdev, unsigned int count)
{
	struct mvgpu_state *s = to_state(vdev);

	mutex_lock(&s->lock);
	mvgpu_vpci_irqs_request(&s->vpci.irqs, vdev->dev, count);
	mutex_unlock(&s->lock);
}

static int mvgpu_counters_show(struct seq_file *m, void *v)
{
	struct mvgpu_state *s = m->private;
	struct mvgpu_counters c;

	mutex_lock(&s->lock);
	c = s->vgpu.counters;
	mutex_unlock(&s->lock);
	seq_printf(m, "mmio_reads: %llu\nmmio_writes: %llu\nunknown_reads: %llu\n",
		   c.mmio_reads, c.mmio_writes, c.unknown_reads);
	seq_printf(m, "unknown_writes: %llu\nbad_fences: %llu\ng2v: %llu\n",
		   c.unknown_writes, c.bad_fences, c.g2v);
	seq_printf(m, "gtt_writes: %llu\ngtt_dropped: %llu\ngtt_pin_failed: %llu\npins: %llu\n",
		   c.gtt_writes, c.gtt_dropped, c.gtt_pin_failed, c.pins);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mvgpu_counters);

static void mvgpu_retire_work(struct work_struct *work)
{
	struct mvgpu_state *s = container_of(work, struct mvgpu_state, retire_work);

	mutex_lock(&s->lock);
	mvgpu_submit_retire(&s->vgpu);
	mvgpu_unlock(s);
}

static void mvgpu_kick_retire(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_state *s = container_of(vgpu, struct mvgpu_state, vgpu);

	/* completions wait on it: the high-priority pool wakes sooner */
	queue_work(system_highpri_wq, &s->retire_work);
}

static u64 mvgpu_now(struct mvgpu_vgpu *vgpu)
{
	return ktime_get_ns();
}

static void mvgpu_display_timer(struct mvgpu_vgpu *vgpu, u64 at_ns)
{
	struct mvgpu_state *s = container_of(vgpu, struct mvgpu_state, vgpu);

	lockdep_assert_held(&s->lock);
	/* a callback already running only queues work that finds the pipe off */
	if (!at_ns)
		hrtimer_try_to_cancel(&s->vblank_timer);
	else
		hrtimer_start(&s->vblank_timer, ns_to_ktime(at_ns), HRTIMER_MODE_ABS);
}

/* Interrupt context: the model runs under the vGPU's mutex, in a work. */
static enum hrtimer_restart mvgpu_vblank_fire(struct hrtimer *timer)
{
	struct mvgpu_state *s = container_of(timer, struct mvgpu_state, vblank_timer);

	queue_work(system_highpri_wq, &s->vblank_work);
	return HRTIMER_NORESTART;
}

static void mvgpu_vblank_work(struct work_struct *work)
{
	struct mvgpu_state *s = container_of(work, struct mvgpu_state, vblank_work);

	mutex_lock(&s->lock);
	mvgpu_display_vblank(&s->vgpu);
	mvgpu_unlock(s);
}

static const struct mvgpu_vgpu_ops mvgpu_vgpu_glue = {
	.update_irq = mvgpu_update_irq,
	.pin = mvgpu_pin,
	.unpin = mvgpu_unpin,
	.aperture_changed = mvgpu_aperture_changed,
	.kick_retire = mvgpu_kick_retire,
	.now = mvgpu_now,
	.display_timer = mvgpu_display_timer,
};

/* What VFIO_DEVICE_GET_REGION_INFO reports; the irqs start unset. */
static void mvgpu_regions_init(struct mvgpu_state *s)
{
	struct mvgpu_vpci_region *r = s->vpci.regions;

	mvgpu_vpci_init(&s->vpci, &s->lock);
	r[VFIO_PCI_CONFIG_REGION_INDEX].size = PCI_CFG_SPACE_SIZE;
	r[VFIO_PCI_BAR0_REGION_INDEX].size = mvgpu_bar0_size(s->vgpu.gpu);
	r[VFIO_PCI_BAR2_REGION_INDEX].size = s->vgpu.alloc.low_size;
	r[VFIO_PCI_BAR4_REGION_INDEX].size = MVGPU_PIO_SIZE;
	r[VFIO_PCI_CONFIG_REGION_INDEX].flags = MVGPU_VPCI_RW;
	r[VFIO_PCI_BAR0_REGION_INDEX].flags = MVGPU_VPCI_RW;
	r[VFIO_PCI_BAR2_REGION_INDEX].flags = MVGPU_VPCI_RW;
	r[VFIO_PCI_BAR4_REGION_INDEX].flags = MVGPU_VPCI_RW;
	/* the aperture is mapped where the device's fds share one mapping */
	if (mvgpu_vfio_mapping(&s->vdev))
		r[VFIO_PCI_BAR2_REGION_INDEX].flags |= VFIO_REGION_INFO_FLAG_MMAP;
	mvgpu_vdisplay_init(s);
}

static int mvgpu_init_dev(struct vfio_device *vdev)
{
	struct mvgpu_state *s = to_state(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mvgpu_parent *p = to_parent(mdev->type);
	struct mvgpu_type *t = to_type(mdev->type);
	int ret, id;

	mutex_lock(&p->lock);
	ret = mvgpu_res_reserve(&p->res, &t->res, &s->vgpu.alloc);
	id = ret ? -ENOSPC : ida_alloc_max(&p->ids, MVGPU_MAX_VGPUS - 1, GFP_KERNEL);
	if (!ret && id < 0)
		mvgpu_res_release(&p->res, &s->vgpu.alloc);
	mutex_unlock(&p->lock);
	if (id < 0) {
		dev_info(vdev->dev, "no room on %s for another %s (available_instances says why)\n",
			 dev_name(&p->dev), t->name);
		return id;
	}
	/* all the glue's state, before the dispatchers can call back into it */
	mutex_init(&s->lock);
	mutex_init(&s->aperture_lock);
	mutex_init(&s->gtt_lock);
	mutex_init(&s->sched_lock);
	s->pin_inflight = ~0ULL;
	init_waitqueue_head(&s->pin_done);
	INIT_WORK(&s->retire_work, mvgpu_retire_work);
	INIT_WORK(&s->vblank_work, mvgpu_vblank_work);
	hrtimer_init(&s->vblank_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	s->vblank_timer.function = mvgpu_vblank_fire;
	s->parent = p;
	s->vgpu.gpu = p->gpu;
	s->vgpu.id = id;
	s->vgpu.type = &t->res;
	s->vgpu.ops = &mvgpu_vgpu_glue;
	mvgpu_regions_init(s);

	ret = -ENOMEM;
	s->vgpu.fences = kcalloc(t->res.fences, sizeof(*s->vgpu.fences), GFP_KERNEL);
	if (!s->vgpu.fences)
		goto err_locks;
	s->scratch = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!s->scratch)
		goto err_fences;
	ret = mvgpu_gtt_init(&s->vgpu);
	if (ret)
		goto err_scratch;
	ret = mvgpu_submit_init(&s->vgpu, p->dispatch);
	if (ret)
		goto err_gtt;
	mutex_lock(&s->lock);
	mvgpu_display_monitor_reset(&s->vgpu);
	mvgpu_reset(s);
	mutex_unlock(&s->lock);
	s->debugfs = debugfs_create_dir(dev_name(vdev->dev), mvgpu_debugfs_root);
	debugfs_create_file("counters", 0444, s->debugfs, s, &mvgpu_counters_fops);
	return 0;

err_gtt:
	mvgpu_gtt_fini(&s->vgpu);
err_scratch:
	__free_page(s->scratch);
err_fences:
	kfree(s->vgpu.fences);
err_locks:
	mutex_destroy(&s->sched_lock);
	mutex_destroy(&s->gtt_lock);
	mutex_destroy(&s->aperture_lock);
	mutex_destroy(&s->lock);
	mutex_lock(&p->lock);
	mvgpu_res_release(&p->res, &s->vgpu.alloc);
	ida_free(&p->ids, id);
	mutex_unlock(&p->lock);
	return ret;
}

static void mvgpu_release_dev(struct vfio_device *vdev)
{
	struct mvgpu_state *s = to_state(vdev);
	struct mvgpu_parent *p = s->parent;

	debugfs_remove_recursive(s->debugfs);
	mvgpu_submit_fini(&s->vgpu);	/* no more retire work after this */
	cancel_work_sync(&s->retire_work);
	/* closed: the pipe is off, so nothing rearms the timer */
	hrtimer_cancel(&s->vblank_timer);
	cancel_work_sync(&s->vblank_work);
	mutex_lock(&s->lock);
	mvgpu_mmio_reset(&s->vgpu);
	mutex_unlock(&s->lock);
	mutex_destroy(&s->lock);
	mutex_destroy(&s->aperture_lock);
	mutex_destroy(&s->gtt_lock);
	mutex_destroy(&s->sched_lock);
	mvgpu_gtt_fini(&s->vgpu);
	__free_page(s->scratch);
	kfree(s->vgpu.fences);
	mutex_lock(&p->lock);
	mvgpu_res_release(&p->res, &s->vgpu.alloc);
	ida_free(&p->ids, s->vgpu.id);
	mutex_unlock(&p->lock);
}

static const struct vfio_device_ops mvgpu_vfio_ops = {
	.name = MVGPU_NAME,
	.init = mvgpu_init_dev,
	.release = mvgpu_release_dev,
	.open_device = mvgpu_open_device,
	.close_device = mvgpu_close_device,
	.read = mvgpu_read,
	.write = mvgpu_write,
	.ioctl = mvgpu_ioctl,
	.mmap = mvgpu_mmap,
	.request = mvgpu_request,
	.dma_unmap = mvgpu_dma_unmap,
	MVGPU_VFIO_EMULATED_IOMMUFD_OPS
};

static int mvgpu_probe(struct mdev_device *mdev)
{
	return mvgpu_vpci_probe(mdev, sizeof(struct mvgpu_state), &mvgpu_vfio_ops);
}

static unsigned int mvgpu_get_available(struct mdev_type *mtype)
{
	struct mvgpu_parent *p = to_parent(mtype);
	unsigned int n;

	mutex_lock(&p->lock);
	n = mvgpu_res_available(&p->res, &to_type(mtype)->res);
	mutex_unlock(&p->lock);
	return n;
}

static ssize_t mvgpu_show_description(struct mdev_type *mtype, char *buf)
{
	const struct mvgpu_type_res *t = &to_type(mtype)->res;

	return sysfs_emit(buf, "low_gm_size: %lluMB\nhigh_gm_size: %lluMB\nfence: %u\n"
			  "resolution: %ux%u\nweight: %u\nmax_resolution: %ux%u\n",
			  t->low >> 20, t->high >> 20, t->fences, t->xres, t->yres, t->weight,
			  t->max_xres, t->max_yres);
}

static ssize_t vgpu_id_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", s->vgpu.id);
}
static DEVICE_ATTR_RO(vgpu_id);

static ssize_t resources_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);
	const struct mvgpu_alloc *a = &s->vgpu.alloc;

	return sysfs_emit(buf, "low_gm: 0x%llx 0x%llx\nhigh_gm: 0x%llx 0x%llx\nfence: %u %u\n",
			  a->low_base, a->low_size, a->high_base, a->high_size,
			  a->fence_base, a->fence_count);
}
static DEVICE_ATTR_RO(resources);

static struct device_attribute dev_attr_cap;

static ssize_t weight_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);
	u32 pending, share, weight, cap;
	struct mvgpu_engine_stats st;

	mvgpu_dispatch_get(&s->vgpu.engines[0], &st, &pending, &share, &weight, &cap);
	return sysfs_emit(buf, "%u\n", attr == &dev_attr_cap ? cap : weight);
}

/*
 * The same weight and cap on every engine. Each engine's policy holds
 * both, and a write changes one of them: without the vGPU's sched_lock
 * around reading the other one and setting both on every engine, a
 * concurrent write of the other attribute could be undone, or the
 * engines could end up with different values.
 */
static ssize_t weight_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);
	u32 pending, share, weight, cap, val;
	struct mvgpu_engine_stats st;
	unsigned int e;
	int ret;

	ret = kstrtou32(buf, 0, &val);
	if (ret)
		return ret;
	if (attr == &dev_attr_cap ? val > 100 : val < 1 || val > MVGPU_MAX_WEIGHT)
		return -ERANGE;
	mutex_lock(&s->sched_lock);
	/* under sched_lock every engine has the same values */
	mvgpu_dispatch_get(&s->vgpu.engines[0], &st, &pending, &share, &weight, &cap);
	if (attr == &dev_attr_cap)
		cap = val;
	else
		weight = val;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_dispatch_set(&s->vgpu.engines[e], weight, cap);
	mutex_unlock(&s->sched_lock);
	return count;
}

static struct device_attribute dev_attr_weight = __ATTR(weight, 0644, weight_show, weight_store);
static struct device_attribute dev_attr_cap = __ATTR(cap, 0644, weight_show, weight_store);

static ssize_t plane_type_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", READ_ONCE(s->vdisplay.dmabuf) ? "dmabuf" : "region");
}

/* What the VMM may ask for; the open device keeps what it started with. */
static ssize_t plane_type_store(struct device *dev, struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);
	bool dmabuf;
	ssize_t ret = count;

	if (sysfs_streq(buf, "dmabuf"))
		dmabuf = true;
	else if (sysfs_streq(buf, "region"))
		dmabuf = false;
	else
		return -EINVAL;
	mutex_lock(&s->lock);
	if (s->vdisplay.fb)	/* open */
		ret = -EBUSY;
	else
		WRITE_ONCE(s->vdisplay.dmabuf, dmabuf);
	mutex_unlock(&s->lock);
	return ret;
}
static DEVICE_ATTR_RW(plane_type);

static const char * const mvgpu_engine_names[MVGPU_NUM_ENGINES] = { "render", "copy" };

static ssize_t stats_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mvgpu_state *s = dev_get_drvdata(dev);
	u32 pending, share, weight, cap;
	struct mvgpu_engine_stats st;
	const char *reason = "none";
	u64 rejects, ppgtt_rejects, vblanks, plane_errors;
	bool failsafe;
	unsigned int e;
	int n;

	mutex_lock(&s->lock);
	failsafe = s->vgpu.failsafe;
	rejects = s->vgpu.scan_rejects;
	ppgtt_rejects = s->vgpu.ppgtt_rejects;
	vblanks = s->vgpu.display.vblanks;
	plane_errors = s->vgpu.display.plane_errors;
	if (failsafe)
		reason = s->vgpu.failsafe_ppgtt ? "ppgtt_violations" : "scan_violations";
	mutex_unlock(&s->lock);
	n = sysfs_emit(buf, "state: %s\nfailsafe_reason: %s\nscan_rejects: %llu\n",
		       failsafe ? "failsafe" : "active", reason, rejects);
	n += sysfs_emit_at(buf, n, "ppgtt_rejects: %llu\n", ppgtt_rejects);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		const char *name = mvgpu_engine_names[e];

		mvgpu_dispatch_get(&s->vgpu.engines[e], &st, &pending, &share, &weight, &cap);
		n += sysfs_emit_at(buf, n, "%s.busy_ns: %llu\n%s.share_permille: %u\n",
				   name, st.busy_ns, name, share);
		n += sysfs_emit_at(buf, n, "%s.workloads: %llu\n%s.switches: %llu\n",
				   name, st.workloads, name, st.switches);
		n += sysfs_emit_at(buf, n, "%s.queue: %u\n%s.hangs: %llu\n",
				   name, pending, name, st.hangs);
		/* what the engine's policy uses, for checking the attributes */
		n += sysfs_emit_at(buf, n, "%s.weight: %u\n%s.cap: %u\n", name, weight, name, cap);
	}
	n += sysfs_emit_at(buf, n, "display.vblanks: %llu\ndisplay.plane_errors: %llu\n",
			   vblanks, plane_errors);
	return n;
}
static DEVICE_ATTR_RO(stats);

static struct attribute *mvgpu_dev_attrs[] = {
	&dev_attr_vgpu_id.attr,
	&dev_attr_resources.attr,
	&dev_attr_weight.attr,
	&dev_attr_cap.attr,
	&dev_attr_stats.attr,
	&dev_attr_plane_type.attr,
	NULL,
};

static const struct attribute_group mvgpu_dev_group = {
	.name = MVGPU_NAME,
	.attrs = mvgpu_dev_attrs,
};

static const struct attribute_group *mvgpu_dev_groups[] = {
	&mvgpu_dev_group,
	NULL,
};

static struct mdev_driver mvgpu_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MVGPU_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = mvgpu_dev_groups,
	},
	.probe = mvgpu_probe,
	.remove = mvgpu_vpci_remove,
	.get_available = mvgpu_get_available,
	.show_description = mvgpu_show_description,
};

static void mvgpu_parent_release(struct device *dev)
{
	struct mvgpu_parent *p = container_of(dev, struct mvgpu_parent, dev);
	unsigned int i;

	for (i = 0; i < MVGPU_NUM_ENGINES; i++)
		if (p->dispatch[i])
			mvgpu_dispatch_destroy(p->dispatch[i]);
	ida_destroy(&p->ids);
	mutex_destroy(&p->lock);
	kfree(p);
}

static int mvgpu_parent_add(struct pgpu *gpu, unsigned int index)
{
	struct mvgpu_type_res res[MVGPU_MAX_TYPES];
	struct mvgpu_parent *p;
	struct pgpu_info info;
	unsigned int i, n;
	int ret;

	pgpu_get_info(gpu, &info);
	/* a vGPU's engine N runs on the GPU's engine N */
	if (info.nr_engines < MVGPU_NUM_ENGINES) {
		pr_info("mvgpu: %s has %u engines, a vGPU needs %u\n", info.name,
			info.nr_engines, MVGPU_NUM_ENGINES);
		return 0;
	}
	if (mvgpu_types_init(&info, res, &n)) {
		pr_info("mvgpu: %s is too small to share\n", info.name);
		return 0;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->gpu = gpu;
	mutex_init(&p->lock);
	ida_init(&p->ids);
	mvgpu_res_init(&p->res, &info);
	for (i = 0; i < n; i++) {
		struct mvgpu_type *t = &p->types[i];

		t->res = res[i];
		snprintf(t->name, sizeof(t->name), "V1_%u", 1u << i);
		t->type.sysfs_name = t->name;
		t->type.pretty_name = t->name;
		p->mtypes[i] = &t->type;
	}
	p->nr_types = n;
	/* from here on the device's release frees everything */
	device_initialize(&p->dev);
	p->dev.class = &mvgpu_class;
	p->dev.release = mvgpu_parent_release;
	for (i = 0; i < MVGPU_NUM_ENGINES; i++) {
		p->dispatch[i] = mvgpu_dispatch_create(gpu, i);
		if (IS_ERR(p->dispatch[i])) {
			ret = PTR_ERR(p->dispatch[i]);
			p->dispatch[i] = NULL;
			goto err_put;
		}
	}
	ret = dev_set_name(&p->dev, "%s", info.name);
	if (ret)
		goto err_put;
	ret = device_add(&p->dev);
	if (ret)
		goto err_put;
	ret = mdev_register_parent(&p->mdev, &p->dev, &mvgpu_driver, p->mtypes, p->nr_types);
	if (ret)
		goto err_del;
	mvgpu_parents[index] = p;
	dev_info(&p->dev, "sharing %llu MiB of GM in %u types\n", info.gm_size >> 20, n);
	return 0;

err_del:
	device_del(&p->dev);
err_put:
	put_device(&p->dev);
	return ret;
}

static void mvgpu_parents_remove(void)
{
	unsigned int i;

	for (i = 0; i < MVGPU_MAX_PARENTS; i++) {
		if (!mvgpu_parents[i])
			continue;
		/* removes every instance, waiting for users to release them */
		mdev_unregister_parent(&mvgpu_parents[i]->mdev);
		device_unregister(&mvgpu_parents[i]->dev);
		mvgpu_parents[i] = NULL;
	}
}

/**
 * mvgpu_vfio_init() - register the mdev driver and a parent per GPU
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vfio_init(void)
{
	unsigned int i;
	int ret;

	ret = mdev_register_driver(&mvgpu_driver);
	if (ret)
		return ret;
	ret = class_register(&mvgpu_class);
	if (ret) {
		mdev_unregister_driver(&mvgpu_driver);
		return ret;
	}
	mvgpu_debugfs_root = debugfs_create_dir(MVGPU_NAME, NULL);
	for (i = 0; i < pgpu_count() && i < MVGPU_MAX_PARENTS && !ret; i++)
		ret = mvgpu_parent_add(pgpu_get(i), i);
	if (ret)
		mvgpu_vfio_exit();
	return ret;
}

/**
 * mvgpu_vfio_exit() - remove every parent and instance
 */
void mvgpu_vfio_exit(void)
{
	mvgpu_parents_remove();
	debugfs_remove_recursive(mvgpu_debugfs_root);
	class_unregister(&mvgpu_class);
	mdev_unregister_driver(&mvgpu_driver);
}
