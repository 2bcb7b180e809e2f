// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: shadows of a guest context's per-process page tables (PPGTT).
 *
 * The guest's tables hold guest physical addresses; simgpu walks host
 * physical ones. When a workload whose context uses a PPGTT is submitted,
 * the guest's four levels are read once and a shadow is built in host
 * pages: each valid leaf names a guest page that is pinned through VFIO
 * (through the same cache as GTT entries) and stays pinned until the
 * workload is retired. The shadow belongs to that one workload and is
 * never updated: what the guest writes to its tables afterwards does not
 * reach it, and it cannot go stale, because a guest page it maps can only
 * leave the guest's memory map through dma_unmap, which first kills the
 * workload (mvgpu_ppgtt_unmap_gfns()).
 */
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

/**
 * struct mvgpu_ppgtt - the shadow of one context's page tables
 * @node: on vgpu->ppgtts (vGPU lock)
 * @root: the top-level host table
 * @tables: every host table, @root first
 * @nr_tables: how many
 * @gfns: guest pages its leaves map, each pinned once
 * @nr_gfns: how many
 * @invalid: a page it maps left the guest's memory map
 */
struct mvgpu_ppgtt {
	struct list_head node;
	struct page *root;
	struct page *tables[MVGPU_PPGTT_MAX_TABLES];
	unsigned int nr_tables;
	u64 *gfns;
	unsigned int nr_gfns;
	bool invalid;
};

static struct page *mvgpu_ppgtt_table(struct mvgpu_ppgtt *pt)
{
	struct page *page;

	if (pt->nr_tables >= MVGPU_PPGTT_MAX_TABLES)
		return NULL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (page)
		pt->tables[pt->nr_tables++] = page;
	return page;
}

/* Copy a guest table page: pinned only for as long as it is read. */
static int mvgpu_ppgtt_read_guest(struct mvgpu_vgpu *vgpu, u64 gfn, u64 *entries)
{
	struct page *page = mvgpu_pin_get(vgpu, gfn);
	void *va;

	if (!page)
		return -EFAULT;
	va = kmap_local_page(page);
	memcpy(entries, va, SIMGPU_PAGE_SIZE);
	kunmap_local(va);
	mvgpu_pin_put(vgpu, gfn);
	return 0;
}

/* Shadow the guest table at @gfn, of level @level (3 = top), into @host. */
static int mvgpu_ppgtt_walk(struct mvgpu_vgpu *vgpu, struct mvgpu_ppgtt *pt, u64 gfn,
			    struct page *host, int level)
{
	u64 *guest, *shadow, e;
	struct page *child;
	unsigned int i;
	int ret;

	guest = kmalloc(SIMGPU_PAGE_SIZE, GFP_KERNEL);
	if (!guest)
		return -ENOMEM;
	ret = mvgpu_ppgtt_read_guest(vgpu, gfn, guest);
	for (i = 0; !ret && i < SIMGPU_PPGTT_ENTRIES; i++) {
		e = guest[i];	/* the guest's format, SIMGPU_PTE_*; the shadow's is PGPU_PTE_* */
		if (!(e & SIMGPU_PTE_VALID))
			continue;
		gfn = (e & SIMGPU_PTE_ADDR_MASK) >> SIMGPU_PAGE_SHIFT;
		if (level) {
			child = mvgpu_ppgtt_table(pt);
			if (!child) {
				ret = -E2BIG;
				break;
			}
			ret = mvgpu_ppgtt_walk(vgpu, pt, gfn, child, level - 1);
			e = page_to_phys(child) | PGPU_PTE_VALID;
		} else {
			if (pt->nr_gfns >= MVGPU_PPGTT_MAX_PAGES) {
				ret = -E2BIG;
				break;
			}
			child = mvgpu_pin_get(vgpu, gfn);
			if (!child) {
				vgpu->counters.gtt_pin_failed++;
				continue;	/* a hole: the engine faults there */
			}
			pt->gfns[pt->nr_gfns++] = gfn;
			e = page_to_phys(child) | PGPU_PTE_VALID;
		}
		shadow = kmap_local_page(host);
		shadow[i] = e;
		kunmap_local(shadow);
	}
	kfree(guest);
	return ret;
}

/**
 * mvgpu_ppgtt_free() - unpin a shadow's pages and free it
 * @vgpu: the vGPU
 * @pt: the shadow; no engine may use it any more
 *
 * Called with the vGPU's lock held; the pages are unpinned once it is
 * dropped (vgpu->dead_pins).
 */
void mvgpu_ppgtt_free(struct mvgpu_vgpu *vgpu, struct mvgpu_ppgtt *pt)
{
	unsigned int i;

	for (i = 0; i < pt->nr_gfns; i++)
		mvgpu_pin_put(vgpu, pt->gfns[i]);
	for (i = 0; i < pt->nr_tables; i++)
		__free_page(pt->tables[i]);
	list_del(&pt->node);
	kvfree(pt->gfns);
	kfree(pt);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_ppgtt_free);

/**
 * mvgpu_ppgtt_build() - shadow a guest's page tables
 * @vgpu: the vGPU; its lock and GTT lock held (pinning may drop the first)
 * @root: guest physical address of the guest's top-level table
 * @out: the shadow
 *
 * Return: 0, -EINVAL for a misaligned root, -EFAULT if a guest table could
 * not be read, -E2BIG past MVGPU_PPGTT_MAX_TABLES tables or
 * MVGPU_PPGTT_MAX_PAGES pages, -ESTALE if the guest's memory map or the
 * vGPU changed meanwhile, -ENOMEM.
 */
int mvgpu_ppgtt_build(struct mvgpu_vgpu *vgpu, u64 root, struct mvgpu_ppgtt **out)
{
	u32 seq = vgpu->reset_seq;
	struct mvgpu_ppgtt *pt;
	int ret;

	if (root & ~SIMGPU_PTE_ADDR_MASK)
		return -EINVAL;
	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return -ENOMEM;
	pt->gfns = kvmalloc_array(MVGPU_PPGTT_MAX_PAGES, sizeof(*pt->gfns), GFP_KERNEL);
	/* on the list while it is built: dma_unmap marks it */
	list_add(&pt->node, &vgpu->ppgtts);
	pt->root = pt->gfns ? mvgpu_ppgtt_table(pt) : NULL;
	ret = pt->root ? mvgpu_ppgtt_walk(vgpu, pt, root >> SIMGPU_PAGE_SHIFT, pt->root,
					  SIMGPU_PPGTT_LEVELS - 1) : -ENOMEM;
	if (!ret && (pt->invalid || seq != vgpu->reset_seq))
		ret = -ESTALE;
	if (ret) {
		mvgpu_ppgtt_free(vgpu, pt);
		return ret;
	}
	*out = pt;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_ppgtt_build);

/**
 * mvgpu_ppgtt_root() - the DMA address of a shadow's top-level table
 * @pt: the shadow
 *
 * Return: the address, for pgpu_ctx_desc.ppgtt_root.
 */
u64 mvgpu_ppgtt_root(const struct mvgpu_ppgtt *pt)
{
	return page_to_phys(pt->root);
}

/**
 * mvgpu_ppgtt_read() - read through a shadow, as the engine would
 * @vgpu: the vGPU
 * @pt: the shadow
 * @va: per-process address
 * @buf: the data
 * @len: bytes
 *
 * Return: 0, or -EFAULT at an address the shadow does not map.
 */
int mvgpu_ppgtt_read(struct mvgpu_vgpu *vgpu, const struct mvgpu_ppgtt *pt, u64 va, void *buf,
		     size_t len)
{
	if (va >> SIMGPU_PPGTT_VA_BITS || len > BIT_ULL(SIMGPU_PPGTT_VA_BITS) - va)
		return -EFAULT;
	return pgpu_gm_rw(vgpu->gpu, mvgpu_ppgtt_root(pt), va, buf, len, false);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_ppgtt_read);

/**
 * mvgpu_ppgtt_uses() - whether a shadow maps any of some guest pages
 * @pt: the shadow
 * @gfn: first guest page
 * @count: pages
 *
 * Return: true if it does.
 */
bool mvgpu_ppgtt_uses(const struct mvgpu_ppgtt *pt, u64 gfn, u64 count)
{
	unsigned int i;

	for (i = 0; i < pt->nr_gfns; i++)
		if (pt->gfns[i] - gfn < count)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_ppgtt_uses);

/**
 * mvgpu_ppgtt_unmap_gfns() - mark shadows being built that map some pages
 * @vgpu: the vGPU
 * @gfn: first guest page leaving the guest's memory map
 * @count: pages
 *
 * Shadows that belong to workloads are freed with them first
 * (mvgpu_dispatch_kill()); what is left here is being built, and its
 * builder gives it up when it sees the mark.
 */
void mvgpu_ppgtt_unmap_gfns(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count)
{
	struct mvgpu_ppgtt *pt;

	list_for_each_entry(pt, &vgpu->ppgtts, node)
		if (mvgpu_ppgtt_uses(pt, gfn, count))
			pt->invalid = true;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_ppgtt_unmap_gfns);
