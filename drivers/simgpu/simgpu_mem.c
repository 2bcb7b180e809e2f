// SPDX-License-Identifier: GPL-2.0-only
/*
 * simgpu: graphics memory. GM addresses translate through the GGTT (one
 * entry per 4 KiB page) or through a context's 4-level page tables to DMA
 * addresses of host pages. An address that does not translate is a fault
 * reported to the caller, never an access.
 */
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "simgpu.h"

#define SIMGPU_NO_PAGE	(~0ULL)

/**
 * simgpu_as_init() - start using an address space
 * @as: the address space
 * @gpu: the GPU
 * @ppgtt_root: DMA address of the top-level page table, or 0 for the GGTT
 */
void simgpu_as_init(struct simgpu_as *as, struct simgpu *gpu, u64 ppgtt_root)
{
	as->gpu = gpu;
	as->ppgtt_root = ppgtt_root;
	as->tlb_va = SIMGPU_NO_PAGE;
	as->tlb_pa = 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_as_init);

/* The host page behind a DMA address, if it is memory the kernel manages. */
static struct page *simgpu_dma_page(u64 pa)
{
	unsigned long pfn = pa >> PAGE_SHIFT;

	if (!pfn_valid(pfn))
		return NULL;
	return pfn_to_page(pfn);
}

static int simgpu_read_pte(u64 table, unsigned int index, u64 *pte)
{
	struct page *page = simgpu_dma_page(table);
	u64 *entries;

	if (!page)
		return -EFAULT;
	entries = kmap_local_page(page);
	*pte = READ_ONCE(entries[index]);
	kunmap_local(entries);
	return 0;
}

static int simgpu_walk_ppgtt(u64 root, u64 va, u64 *pa)
{
	u64 table = root, pte;
	int level;

	if (va >> SIMGPU_PPGTT_VA_BITS)
		return -EFAULT;
	for (level = SIMGPU_PPGTT_LEVELS - 1; level >= 0; level--) {
		unsigned int shift = SIMGPU_PAGE_SHIFT + 9 * level;

		if (simgpu_read_pte(table, (va >> shift) % SIMGPU_PPGTT_ENTRIES, &pte))
			return -EFAULT;
		if (!(pte & SIMGPU_PTE_VALID))
			return -EFAULT;
		table = pte & SIMGPU_PTE_ADDR_MASK;
	}
	*pa = table;
	return 0;
}

/**
 * simgpu_translate() - translate a GM or per-process address
 * @as: the address space
 * @addr: the address
 * @pa: the DMA address of the page holding @addr, plus its offset
 *
 * Return: 0, or -EFAULT if @addr is outside the address space or a table
 * entry on the way is not valid.
 */
int simgpu_translate(struct simgpu_as *as, u64 addr, u64 *pa)
{
	u64 page = addr & ~(SIMGPU_PAGE_SIZE - 1);
	u64 pte;

	if (page == as->tlb_va) {
		*pa = as->tlb_pa | (addr & (SIMGPU_PAGE_SIZE - 1));
		return 0;
	}
	if (as->ppgtt_root) {
		if (simgpu_walk_ppgtt(as->ppgtt_root, page, &pte))
			return -EFAULT;
	} else {
		if (addr >= as->gpu->params.gm_size)
			return -EFAULT;
		pte = READ_ONCE(as->gpu->ggtt[addr >> SIMGPU_PAGE_SHIFT]);
		if (!(pte & SIMGPU_PTE_VALID))
			return -EFAULT;
		pte &= SIMGPU_PTE_ADDR_MASK;
	}
	if (!simgpu_dma_page(pte))
		return -EFAULT;
	as->tlb_va = page;
	as->tlb_pa = pte;
	*pa = pte | (addr & (SIMGPU_PAGE_SIZE - 1));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_translate);

/*
 * Map the page holding @addr; *@room is how many bytes of it from @addr on
 * (at most @len). Unmap with kunmap_local().
 */
static void *simgpu_map(struct simgpu_as *as, u64 addr, size_t len, size_t *room)
{
	u64 pa;
	size_t off = addr & (SIMGPU_PAGE_SIZE - 1);

	if (simgpu_translate(as, addr, &pa))
		return NULL;
	*room = min_t(size_t, len, SIMGPU_PAGE_SIZE - off);
	return kmap_local_page(simgpu_dma_page(pa)) + off;
}

/**
 * simgpu_mem_rw() - copy between a kernel buffer and GPU memory
 * @as: the address space
 * @addr: GPU address
 * @buf: kernel buffer
 * @len: bytes
 * @write: true to write GPU memory
 *
 * Return: 0, or -EFAULT with nothing done past the first untranslatable
 * page.
 */
int simgpu_mem_rw(struct simgpu_as *as, u64 addr, void *buf, size_t len, bool write)
{
	size_t room;
	void *p;

	while (len) {
		p = simgpu_map(as, addr, len, &room);
		if (!p)
			return -EFAULT;
		if (write)
			memcpy(p, buf, room);
		else
			memcpy(buf, p, room);
		kunmap_local(p);
		addr += room;
		buf += room;
		len -= room;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_mem_rw);

/*
 * @p and @n are multiples of @cpp: pixels never straddle a page. A few
 * pixels are stored one by one, then the filled part is doubled with
 * memcpy: faster than a store per pixel, even more so under emulation.
 */
static void simgpu_fill_chunk(void *p, u32 pattern, unsigned int cpp, size_t n)
{
	size_t i, done, step;

	if (cpp == 1 || pattern == 0) {
		memset(p, pattern, n);
		return;
	}
	done = min_t(size_t, n, 64);
	for (i = 0; i < done; i += cpp) {
		if (cpp == 2)
			*(u16 *)(p + i) = pattern;
		else
			*(u32 *)(p + i) = pattern;
	}
	for (; done < n; done += step) {
		step = min(done, n - done);
		memcpy(p + done, p, step);
	}
}

/**
 * simgpu_mem_fill() - fill GPU memory with a pixel value
 * @as: the address space
 * @addr: GPU address, a multiple of @cpp
 * @pattern: the pixel value
 * @cpp: bytes per pixel: 1, 2 or 4
 * @len: bytes, a multiple of @cpp
 *
 * Return: 0, -EINVAL for a misaligned @addr or @len, or -EFAULT.
 */
int simgpu_mem_fill(struct simgpu_as *as, u64 addr, u32 pattern, unsigned int cpp,
		    size_t len)
{
	size_t room;
	void *p;

	if (addr % cpp || len % cpp)
		return -EINVAL;
	while (len) {
		p = simgpu_map(as, addr, len, &room);
		if (!p)
			return -EFAULT;
		simgpu_fill_chunk(p, pattern, cpp, room);
		kunmap_local(p);
		addr += room;
		len -= room;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_mem_fill);

/**
 * simgpu_mem_copy() - copy GPU memory to GPU memory
 * @dst_as: destination address space
 * @dst: destination address
 * @src_as: source address space
 * @src: source address
 * @len: bytes
 *
 * Return: 0 or -EFAULT.
 */
int simgpu_mem_copy(struct simgpu_as *dst_as, u64 dst, struct simgpu_as *src_as,
		    u64 src, size_t len)
{
	size_t droom, sroom, n;
	void *d, *s;

	while (len) {
		s = simgpu_map(src_as, src, len, &sroom);
		if (!s)
			return -EFAULT;
		d = simgpu_map(dst_as, dst, sroom, &droom);
		if (!d) {
			kunmap_local(s);
			return -EFAULT;
		}
		n = droom;
		/* distinct pages never overlap; within one page they may */
		if (d + n <= s || s + n <= d)
			memcpy(d, s, n);
		else
			memmove(d, s, n);
		kunmap_local(d);
		kunmap_local(s);
		src += n;
		dst += n;
		len -= n;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_mem_copy);

/**
 * simgpu_log_fault() - remember a fault for debugfs
 * @gpu: the GPU
 * @engine: engine of the faulting context
 * @addr: the address
 * @ggtt: whether it was a GGTT address
 */
void simgpu_log_fault(struct simgpu *gpu, u32 engine, u64 addr, bool ggtt)
{
	struct simgpu_fault *f;

	spin_lock(&gpu->fault_lock);
	f = &gpu->faults[gpu->nr_faults++ % SIMGPU_FAULT_LOG];
	f->addr = addr;
	f->engine = engine;
	f->ggtt = ggtt;
	spin_unlock(&gpu->fault_lock);
}

/**
 * simgpu_ggtt_write() - write a GGTT entry
 * @gpu: the GPU
 * @index: entry index (GM address / 4 KiB)
 * @pte: DMA address of a page | SIMGPU_PTE_VALID, or 0
 *
 * Return: 0, or -EINVAL for an index past GM or reserved bits set.
 */
int simgpu_ggtt_write(struct simgpu *gpu, u64 index, u64 pte)
{
	if (index >= gpu->params.gm_size >> SIMGPU_PAGE_SHIFT)
		return -EINVAL;
	if (pte & ~(SIMGPU_PTE_ADDR_MASK | SIMGPU_PTE_VALID))
		return -EINVAL;
	WRITE_ONCE(gpu->ggtt[index], pte);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ggtt_write);

/**
 * simgpu_ggtt_read() - read a GGTT entry
 * @gpu: the GPU
 * @index: entry index
 *
 * Return: the entry, 0 for an index past GM.
 */
u64 simgpu_ggtt_read(struct simgpu *gpu, u64 index)
{
	if (index >= gpu->params.gm_size >> SIMGPU_PAGE_SHIFT)
		return 0;
	return READ_ONCE(gpu->ggtt[index]);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ggtt_read);

/**
 * simgpu_gm_rw() - access GPU memory as the engines do
 * @gpu: the GPU
 * @ppgtt_root: DMA address of a top-level page table, or 0 for the GGTT
 * @addr: GM or per-process address
 * @buf: kernel buffer
 * @len: bytes
 * @write: true to write
 *
 * Return: 0, or -EFAULT at the first untranslatable page.
 */
int simgpu_gm_rw(struct simgpu *gpu, u64 ppgtt_root, u64 addr, void *buf, size_t len, bool write)
{
	struct simgpu_as as;

	simgpu_as_init(&as, gpu, ppgtt_root);
	return simgpu_mem_rw(&as, addr, buf, len, write);
}

/**
 * simgpu_aperture_rw() - CPU access to low GM through the aperture
 * @gpu: the GPU
 * @offset: offset in the aperture (= GM address)
 * @buf: kernel buffer
 * @len: bytes
 * @write: true to write
 *
 * Return: 0, -EINVAL outside the aperture, -EFAULT where the GGTT has no
 * page (nothing past it is accessed).
 */
int simgpu_aperture_rw(struct simgpu *gpu, u64 offset, void *buf, size_t len, bool write)
{
	struct simgpu_as as;

	if (offset > gpu->params.aperture_size || len > gpu->params.aperture_size - offset)
		return -EINVAL;
	simgpu_as_init(&as, gpu, 0);
	return simgpu_mem_rw(&as, offset, buf, len, write);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_aperture_rw);

/**
 * simgpu_fence_write() - program a fence register
 * @gpu: the GPU
 * @n: register index
 * @fence: the tiled range; tiling PGPU_TILING_NONE clears the register
 *
 * Return: 0, or -EINVAL for a bad index or range (the register keeps its
 * value).
 */
int simgpu_fence_write(struct simgpu *gpu, u32 n, const struct pgpu_fence *fence)
{
	if (n >= gpu->params.nr_fences || !pgpu_fence_valid(fence, gpu->params.gm_size))
		return -EINVAL;
	mutex_lock(&gpu->fence_lock);
	if (fence->tiling == PGPU_TILING_NONE)
		memset(&gpu->fences[n], 0, sizeof(gpu->fences[n]));
	else
		gpu->fences[n] = *fence;
	mutex_unlock(&gpu->fence_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_fence_write);

/**
 * simgpu_fence_read() - read a fence register
 * @gpu: the GPU
 * @n: register index
 * @fence: the register's value
 *
 * Return: 0 or -EINVAL for a bad index.
 */
int simgpu_fence_read(struct simgpu *gpu, u32 n, struct pgpu_fence *fence)
{
	if (n >= gpu->params.nr_fences)
		return -EINVAL;
	mutex_lock(&gpu->fence_lock);
	*fence = gpu->fences[n];
	mutex_unlock(&gpu->fence_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_fence_read);
