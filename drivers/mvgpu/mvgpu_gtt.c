// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: GTT shadowing. The guest writes GTT entries holding guest page
 * numbers; an entry for GM the vGPU owns gets the guest page pinned (once
 * per page, however many entries use it) and the host page written to the
 * physical GGTT. Entries for other GM are dropped and counted. Reads give
 * the guest's own view back.
 *
 * Pinning and unpinning go through VFIO, whose locks rank above the
 * vGPU's: the pin hook may drop the vGPU's lock while it pins, and pages
 * to unpin are queued on vgpu->dead_pins for the glue to unpin once it has
 * dropped the lock (mvgpu_gtt_release_pins()).
 */
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "mvgpu.h"

/**
 * struct mvgpu_pin - a pinned guest page
 * @gfn: the guest page number
 * @page: the host page
 * @refs: GTT entries that point at it
 * @dead: on vgpu->dead_pins once no entry does
 */
struct mvgpu_pin {
	u64 gfn;
	struct page *page;
	unsigned int refs;
	struct list_head dead;
};

static u64 mvgpu_low_pages(const struct mvgpu_vgpu *vgpu)
{
	return vgpu->alloc.low_size >> SIMGPU_PAGE_SHIFT;
}

/* Slot of GM page @index in the guest view, or -1 if the vGPU does not own it. */
static s64 mvgpu_gtt_slot(const struct mvgpu_vgpu *vgpu, u64 index)
{
	const struct mvgpu_alloc *a = &vgpu->alloc;
	u64 low = a->low_base >> SIMGPU_PAGE_SHIFT, high = a->high_base >> SIMGPU_PAGE_SHIFT;

	if (index >= low && index < low + mvgpu_low_pages(vgpu))
		return index - low;
	if (index >= high && index < high + (a->high_size >> SIMGPU_PAGE_SHIFT))
		return mvgpu_low_pages(vgpu) + index - high;
	return -1;
}

static u64 mvgpu_slot_index(const struct mvgpu_vgpu *vgpu, u64 slot)
{
	const struct mvgpu_alloc *a = &vgpu->alloc;

	if (slot < mvgpu_low_pages(vgpu))
		return (a->low_base >> SIMGPU_PAGE_SHIFT) + slot;
	return (a->high_base >> SIMGPU_PAGE_SHIFT) + slot - mvgpu_low_pages(vgpu);
}

/**
 * mvgpu_gtt_init() - allocate the guest view of the vGPU's GTT entries
 * @vgpu: the vGPU, with its resources
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_gtt_init(struct mvgpu_vgpu *vgpu)
{
	u64 n = (vgpu->alloc.low_size + vgpu->alloc.high_size) >> SIMGPU_PAGE_SHIFT;

	vgpu->gtt = vzalloc(array_size(n, sizeof(u64)));
	if (!vgpu->gtt)
		return -ENOMEM;
	xa_init(&vgpu->pins);
	INIT_LIST_HEAD(&vgpu->dead_pins);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_init);

/**
 * mvgpu_pin_get() - a reference to a guest page, pinning it if it is the first
 * @vgpu: the vGPU; its lock and the glue's GTT lock held
 * @gfn: the guest page
 *
 * The pin hook may drop the vGPU's lock: someone else may have pinned the
 * same page meanwhile, and then ours is the one to give back.
 *
 * Return: the host page, or NULL if it could not be pinned.
 */
struct page *mvgpu_pin_get(struct mvgpu_vgpu *vgpu, u64 gfn)
{
	struct mvgpu_pin *pin = xa_load(&vgpu->pins, gfn), *other;

	if (pin) {
		pin->refs++;
		return pin->page;
	}
	pin = kzalloc(sizeof(*pin), GFP_KERNEL);
	if (!pin)
		return NULL;
	pin->gfn = gfn;
	if (vgpu->ops->pin(vgpu, gfn, &pin->page)) {
		kfree(pin);
		return NULL;
	}
	other = xa_load(&vgpu->pins, gfn);
	if (other) {
		list_add_tail(&pin->dead, &vgpu->dead_pins);
		other->refs++;
		return other->page;
	}
	if (xa_err(xa_store(&vgpu->pins, gfn, pin, GFP_KERNEL))) {
		list_add_tail(&pin->dead, &vgpu->dead_pins);
		return NULL;
	}
	pin->refs = 1;
	vgpu->counters.pins++;
	return pin->page;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_pin_get);

/**
 * mvgpu_pin_put() - drop a reference to a pinned guest page
 * @vgpu: the vGPU
 * @gfn: the guest page
 *
 * After the last one the page waits on vgpu->dead_pins to be unpinned.
 */
void mvgpu_pin_put(struct mvgpu_vgpu *vgpu, u64 gfn)
{
	struct mvgpu_pin *pin = xa_load(&vgpu->pins, gfn);

	if (WARN_ON_ONCE(!pin) || --pin->refs)
		return;
	xa_erase(&vgpu->pins, gfn);
	list_add_tail(&pin->dead, &vgpu->dead_pins);
	vgpu->counters.pins--;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_pin_put);

/**
 * mvgpu_gtt_release_pins() - unpin pages no entry uses any more
 * @vgpu: the vGPU
 * @dead: pins taken from vgpu->dead_pins under the vGPU's lock
 *
 * Called without the vGPU's lock, after pgpu_sync(): no engine can be
 * using the pages through a translation made before their entries went.
 */
void mvgpu_gtt_release_pins(struct mvgpu_vgpu *vgpu, struct list_head *dead)
{
	struct mvgpu_pin *pin, *next;

	list_for_each_entry_safe(pin, next, dead, dead) {
		list_del(&pin->dead);
		vgpu->ops->unpin(vgpu, pin->gfn);
		kfree(pin);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_release_pins);

/* Point GM page @index (slot @slot) at guest entry @pte. */
static void mvgpu_gtt_set(struct mvgpu_vgpu *vgpu, u64 index, s64 slot, u64 pte)
{
	struct page *page = NULL;
	bool was_mapped;
	u64 old;

	/* pin first: the lock may be dropped meanwhile, so read the entry after */
	if (pte & MVGPU_GTT_VALID) {
		page = mvgpu_pin_get(vgpu, (pte & MVGPU_GTT_ADDR_MASK) >> SIMGPU_PAGE_SHIFT);
		if (!page)
			vgpu->counters.gtt_pin_failed++;
	}
	old = vgpu->gtt[slot];
	was_mapped = pgpu_ggtt_read(vgpu->gpu, index) & PGPU_PTE_VALID;
	vgpu->gtt[slot] = pte;
	pgpu_ggtt_write(vgpu->gpu, index, page ? page_to_phys(page) | PGPU_PTE_VALID : 0);
	if (slot < mvgpu_low_pages(vgpu) && vgpu->ops->aperture_changed)
		vgpu->ops->aperture_changed(vgpu, slot);
	if (was_mapped)
		mvgpu_pin_put(vgpu, (old & MVGPU_GTT_ADDR_MASK) >> SIMGPU_PAGE_SHIFT);
}

/**
 * mvgpu_gtt_write() - a guest write of GTT entries
 * @vgpu: the vGPU
 * @off: byte offset in the GTT range, aligned to @len
 * @buf: little-endian data
 * @len: 4 (half an entry) or 8
 *
 * Return: 0, or -EINVAL for a bad size or alignment.
 */
int mvgpu_gtt_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf, unsigned int len)
{
	u64 index = off / 8, pte;
	s64 slot;

	if ((len != 4 && len != 8) || off & (len - 1))
		return -EINVAL;
	vgpu->counters.gtt_writes++;
	slot = mvgpu_gtt_slot(vgpu, index);
	if (slot < 0) {
		vgpu->counters.gtt_dropped++;	/* not this vGPU's GM */
		return 0;
	}
	pte = vgpu->gtt[slot];
	memcpy((u8 *)&pte + (off & 7), buf, len);
	/* rewriting a valid entry retries a pin that failed before */
	if (pte != vgpu->gtt[slot] || (pte & MVGPU_GTT_VALID))
		mvgpu_gtt_set(vgpu, index, slot, pte);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_write);

/**
 * mvgpu_gtt_read() - a guest read of GTT entries: its own view
 * @vgpu: the vGPU
 * @off: byte offset in the GTT range, aligned to @len
 * @buf: little-endian data
 * @len: 4 or 8
 *
 * Return: 0, or -EINVAL for a bad size or alignment.
 */
int mvgpu_gtt_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf, unsigned int len)
{
	s64 slot = mvgpu_gtt_slot(vgpu, off / 8);
	u64 pte = slot < 0 ? 0 : vgpu->gtt[slot];

	if ((len != 4 && len != 8) || off & (len - 1))
		return -EINVAL;
	memcpy(buf, (u8 *)&pte + (off & 7), len);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_read);

/**
 * mvgpu_gm_owned() - whether a range of GM is the vGPU's
 * @vgpu: the vGPU
 * @start: first byte
 * @end: one past the last byte
 *
 * Return: true if [@start, @end) lies in its low or in its high GM.
 */
bool mvgpu_gm_owned(const struct mvgpu_vgpu *vgpu, u64 start, u64 end)
{
	const struct mvgpu_alloc *a = &vgpu->alloc;

	return (start >= a->low_base && end <= a->low_base + a->low_size) ||
	       (start >= a->high_base && end <= a->high_base + a->high_size);
}

/**
 * mvgpu_gm_rw() - access the vGPU's GM as its engines would
 * @vgpu: the vGPU
 * @addr: GM address
 * @buf: the data
 * @len: bytes
 * @write: write instead of read
 *
 * Through the physical GGTT entries, which point at pinned guest pages;
 * pages are only unpinned after the vGPU's lock is dropped.
 *
 * Return: 0, or -EFAULT if a byte is outside the vGPU's GM or its page has
 * no valid entry.
 */
int mvgpu_gm_rw(struct mvgpu_vgpu *vgpu, u64 addr, void *buf, size_t len, bool write)
{
	if (len > U64_MAX - addr || !mvgpu_gm_owned(vgpu, addr, addr + len))
		return -EFAULT;
	return pgpu_gm_rw(vgpu->gpu, 0, addr, buf, len, write);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gm_rw);

/**
 * mvgpu_gm_pages() - the host pages behind a range of the vGPU's GM
 * @vgpu: the vGPU, its lock held
 * @gm: GM address of the first page, page aligned
 * @nr: pages
 * @pages: filled with the pages, a reference taken on each
 *
 * For a VMM that shows guest memory without copying it (dma-bufs of the
 * display's planes). The references are not pins: they keep the pages
 * after the guest changes the entries or unmaps its memory.
 *
 * Return: 0, or -EFAULT if a page is outside the vGPU's GM or has no valid
 * physical entry (then no reference is held).
 */
int mvgpu_gm_pages(struct mvgpu_vgpu *vgpu, u64 gm, unsigned int nr, struct page **pages)
{
	unsigned int i;

	if (!IS_ALIGNED(gm, SIMGPU_PAGE_SIZE) || !nr ||
	    nr > (U64_MAX - gm) >> SIMGPU_PAGE_SHIFT ||
	    !mvgpu_gm_owned(vgpu, gm, gm + ((u64)nr << SIMGPU_PAGE_SHIFT)))
		return -EFAULT;
	for (i = 0; i < nr; i++) {
		u64 index = (gm >> SIMGPU_PAGE_SHIFT) + i;
		u64 pte = vgpu->gtt[mvgpu_gtt_slot(vgpu, index)];
		u64 gfn = (pte & MVGPU_GTT_ADDR_MASK) >> SIMGPU_PAGE_SHIFT;
		struct mvgpu_pin *pin = NULL;

		/* an entry whose page could not be pinned, or was unmapped, is off */
		if ((pte & MVGPU_GTT_VALID) && (pgpu_ggtt_read(vgpu->gpu, index) & PGPU_PTE_VALID))
			pin = xa_load(&vgpu->pins, gfn);
		if (!pin) {
			while (i--)
				put_page(pages[i]);
			return -EFAULT;
		}
		pages[i] = pin->page;
		get_page(pages[i]);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gm_pages);

/**
 * mvgpu_gtt_unmap_gfns() - guest pages leave the guest's memory map
 * @vgpu: the vGPU
 * @gfn: first guest page
 * @count: pages
 *
 * Entries pointing at them become invalid in the physical GGTT (the guest
 * view keeps them) and the pages are unpinned.
 */
void mvgpu_gtt_unmap_gfns(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count)
{
	u64 slot, n = (vgpu->alloc.low_size + vgpu->alloc.high_size) >> SIMGPU_PAGE_SHIFT;
	unsigned long first = gfn;

	if (!xa_find(&vgpu->pins, &first, gfn + count - 1, XA_PRESENT))
		return;	/* nothing of that range is pinned */
	for (slot = 0; slot < n; slot++) {
		u64 pte = vgpu->gtt[slot], g = (pte & MVGPU_GTT_ADDR_MASK) >> SIMGPU_PAGE_SHIFT;
		u64 index = mvgpu_slot_index(vgpu, slot);

		if (!(pte & MVGPU_GTT_VALID) || g < gfn || g >= gfn + count ||
		    !(pgpu_ggtt_read(vgpu->gpu, index) & PGPU_PTE_VALID))
			continue;
		pgpu_ggtt_write(vgpu->gpu, index, 0);
		if (slot < mvgpu_low_pages(vgpu) && vgpu->ops->aperture_changed)
			vgpu->ops->aperture_changed(vgpu, slot);
		mvgpu_pin_put(vgpu, g);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_unmap_gfns);

/**
 * mvgpu_gtt_reset() - clear every entry and unpin every page
 * @vgpu: the vGPU
 */
void mvgpu_gtt_reset(struct mvgpu_vgpu *vgpu)
{
	u64 slot, n = (vgpu->alloc.low_size + vgpu->alloc.high_size) >> SIMGPU_PAGE_SHIFT;

	for (slot = 0; slot < n; slot++) {
		if (!vgpu->gtt[slot])
			continue;
		mvgpu_gtt_set(vgpu, mvgpu_slot_index(vgpu, slot), slot, 0);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_reset);

/**
 * mvgpu_gtt_fini() - free the guest view; entries must be reset
 * @vgpu: the vGPU
 */
void mvgpu_gtt_fini(struct mvgpu_vgpu *vgpu)
{
	WARN_ON_ONCE(!xa_empty(&vgpu->pins) || !list_empty(&vgpu->dead_pins));
	xa_destroy(&vgpu->pins);
	vfree(vgpu->gtt);
	vgpu->gtt = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_gtt_fini);
