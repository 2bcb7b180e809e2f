// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: a fake physical GPU for the KUnit tests, and the proof that a
 * backend other than simgpu fits include/mvgpu/pgpu.h. It implements every
 * call of struct pgpu_ops, but runs nothing: a submitted context counts as
 * running until it is held or the test ends it with mvgpu_fake_end().
 */
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>
#include <mvgpu/simgpu.h>

#include "mvgpu_fake_pgpu.h"

static struct mvgpu_fake_gpu *to_fake(struct pgpu *gpu)
{
	return container_of(gpu, struct mvgpu_fake_gpu, base);
}

static struct mvgpu_fake_ctx *to_fake_ctx(struct pgpu_ctx *ctx)
{
	return container_of(ctx, struct mvgpu_fake_ctx, base);
}

static void fake_get_info(struct pgpu *gpu, struct pgpu_info *info)
{
	*info = to_fake(gpu)->info;
}

static int fake_ggtt_write(struct pgpu *gpu, u64 index, u64 pte)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);

	if (index >= fake->info.gm_size >> SIMGPU_PAGE_SHIFT)
		return -EINVAL;
	WRITE_ONCE(fake->ggtt[index], pte);
	return 0;
}

static u64 fake_ggtt_read(struct pgpu *gpu, u64 index)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);

	return index < fake->info.gm_size >> SIMGPU_PAGE_SHIFT ? READ_ONCE(fake->ggtt[index]) : 0;
}

static int fake_fence_write(struct pgpu *gpu, u32 n, const struct pgpu_fence *fence)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);

	if (n >= fake->info.nr_fences || !pgpu_fence_valid(fence, fake->info.gm_size))
		return -EINVAL;
	spin_lock(&fake->lock);
	fake->fences[n] = *fence;
	if (fence->tiling == PGPU_TILING_NONE)
		memset(&fake->fences[n], 0, sizeof(fake->fences[n]));
	spin_unlock(&fake->lock);
	return 0;
}

static int fake_fence_read(struct pgpu *gpu, u32 n, struct pgpu_fence *fence)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);

	if (n >= fake->info.nr_fences)
		return -EINVAL;
	spin_lock(&fake->lock);
	*fence = fake->fences[n];
	spin_unlock(&fake->lock);
	return 0;
}

/* The page behind GM or per-process address @addr, or NULL. */
static struct page *fake_translate(struct mvgpu_fake_gpu *fake, u64 root, u64 addr)
{
	u64 entry, *table;
	int level;

	if (!root) {
		entry = fake_ggtt_read(&fake->base, addr >> SIMGPU_PAGE_SHIFT);
	} else {
		if (addr >> SIMGPU_PPGTT_VA_BITS)
			return NULL;
		entry = root | PGPU_PTE_VALID;
		for (level = SIMGPU_PPGTT_LEVELS - 1; level >= 0; level--) {
			table = kmap_local_page(pfn_to_page((entry & PGPU_PTE_ADDR_MASK) >>
							    PAGE_SHIFT));
			entry = table[(addr >> (SIMGPU_PAGE_SHIFT + 9 * level)) %
				      SIMGPU_PPGTT_ENTRIES];
			kunmap_local(table);
			if (!(entry & PGPU_PTE_VALID))
				return NULL;
		}
	}
	if (!(entry & PGPU_PTE_VALID))
		return NULL;
	return pfn_to_page((entry & PGPU_PTE_ADDR_MASK) >> PAGE_SHIFT);
}

static int fake_gm_rw(struct pgpu *gpu, u64 root, u64 addr, void *buf, size_t len, bool write)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);
	struct page *page;
	size_t n;
	void *va;

	while (len) {
		page = fake_translate(fake, root, addr);
		if (!page)
			return -EFAULT;
		n = min_t(size_t, len, SIMGPU_PAGE_SIZE - addr % SIMGPU_PAGE_SIZE);
		va = kmap_local_page(page);
		if (write)
			memcpy(va + addr % SIMGPU_PAGE_SIZE, buf, n);
		else
			memcpy(buf, va + addr % SIMGPU_PAGE_SIZE, n);
		kunmap_local(va);
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Low GM through the GGTT. */
static int fake_aperture_rw(struct pgpu *gpu, u64 offset, void *buf, size_t len, bool write)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);

	if (offset >= fake->info.aperture_size || len > fake->info.aperture_size - offset)
		return -EINVAL;
	return fake_gm_rw(gpu, 0, offset, buf, len, write);
}

static void fake_sync(struct pgpu *gpu)
{
}

/* Nothing runs on the fake GPU by itself: there is nothing to stop. */
static int fake_suspend(struct pgpu *gpu)
{
	return 0;
}

static void fake_resume(struct pgpu *gpu)
{
}

static struct pgpu_ctx *fake_ctx_create(struct pgpu *gpu, const struct pgpu_ctx_desc *desc)
{
	struct mvgpu_fake_gpu *fake = to_fake(gpu);
	struct mvgpu_fake_ctx *ctx;

	if (desc->engine >= fake->info.nr_engines)
		return ERR_PTR(-EINVAL);
	spin_lock(&fake->lock);
	if (fake->fail_create) {
		fake->fail_create--;
		spin_unlock(&fake->lock);
		return ERR_PTR(-ENOMEM);
	}
	spin_unlock(&fake->lock);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->base.gpu = gpu;
	ctx->desc = *desc;
	ctx->status = PGPU_CTX_IDLE;
	spin_lock(&fake->lock);
	list_add_tail(&ctx->node, &fake->ctxs);
	fake->created++;
	spin_unlock(&fake->lock);
	return &ctx->base;
}

static void fake_ctx_destroy(struct pgpu_ctx *pctx)
{
	struct mvgpu_fake_gpu *fake = to_fake(pctx->gpu);
	struct mvgpu_fake_ctx *ctx = to_fake_ctx(pctx);

	spin_lock(&fake->lock);
	list_del(&ctx->node);
	fake->destroyed++;
	spin_unlock(&fake->lock);
	kfree(ctx);
}

/* It runs from now, unless held or not queued (lock held). */
static void fake_ctx_start(struct mvgpu_fake_ctx *ctx)
{
	if (ctx->status == PGPU_CTX_QUEUED && !ctx->held && !ctx->start_ns)
		ctx->start_ns = ktime_get_ns();
}

/* It stops running now (lock held). */
static void fake_ctx_stop(struct mvgpu_fake_ctx *ctx)
{
	if (!ctx->start_ns)
		return;
	ctx->end_ns = ktime_get_ns();
	ctx->busy_ns += ctx->end_ns - ctx->start_ns;
	ctx->start_ns = 0;
}

static int fake_ctx_submit(struct pgpu_ctx *pctx, u32 tail)
{
	struct mvgpu_fake_gpu *fake = to_fake(pctx->gpu);
	struct mvgpu_fake_ctx *ctx = to_fake_ctx(pctx);
	int ret = 0;

	if (tail >= ctx->desc.ring_size || tail & 3)
		return -EINVAL;
	spin_lock(&fake->lock);
	if (ctx->status >= PGPU_CTX_FAULTED) {
		ret = -EIO;
	} else {
		ctx->tail = tail;
		ctx->status = PGPU_CTX_QUEUED;
		ctx->submits++;
		fake_ctx_start(ctx);
	}
	spin_unlock(&fake->lock);
	return ret;
}

static int fake_ctx_reset(struct pgpu_ctx *pctx)
{
	struct mvgpu_fake_gpu *fake = to_fake(pctx->gpu);
	struct mvgpu_fake_ctx *ctx = to_fake_ctx(pctx);

	spin_lock(&fake->lock);
	fake_ctx_stop(ctx);
	ctx->status = PGPU_CTX_IDLE;
	ctx->held = false;
	spin_unlock(&fake->lock);
	return 0;
}

static void fake_ctx_hold(struct pgpu_ctx *pctx)
{
	struct mvgpu_fake_gpu *fake = to_fake(pctx->gpu);
	struct mvgpu_fake_ctx *ctx = to_fake_ctx(pctx);

	spin_lock(&fake->lock);
	fake_ctx_stop(ctx);
	ctx->held = true;
	ctx->holds++;
	spin_unlock(&fake->lock);
}

static void fake_ctx_resume(struct pgpu_ctx *pctx)
{
	struct mvgpu_fake_gpu *fake = to_fake(pctx->gpu);
	struct mvgpu_fake_ctx *ctx = to_fake_ctx(pctx);

	spin_lock(&fake->lock);
	ctx->held = false;
	ctx->resumes++;
	fake_ctx_start(ctx);
	spin_unlock(&fake->lock);
}

static void fake_ctx_get_stats(struct pgpu_ctx *pctx, struct pgpu_ctx_stats *stats)
{
	struct mvgpu_fake_gpu *fake = to_fake(pctx->gpu);
	struct mvgpu_fake_ctx *ctx = to_fake_ctx(pctx);
	u64 now = ktime_get_ns();

	memset(stats, 0, sizeof(*stats));
	spin_lock(&fake->lock);
	stats->status = ctx->status;
	stats->tail = ctx->tail;
	stats->head = ctx->status == PGPU_CTX_IDLE ? ctx->tail : 0;
	stats->busy_ns = ctx->busy_ns + (ctx->start_ns ? now - ctx->start_ns : 0);
	stats->switches = ctx->submits + ctx->resumes;
	stats->start_ns = ctx->start_ns;
	stats->end_ns = ctx->end_ns;
	spin_unlock(&fake->lock);
}

static const struct pgpu_ops mvgpu_fake_ops = {
	.get_info = fake_get_info,
	.ggtt_write = fake_ggtt_write,
	.ggtt_read = fake_ggtt_read,
	.fence_write = fake_fence_write,
	.fence_read = fake_fence_read,
	.aperture_rw = fake_aperture_rw,
	.gm_rw = fake_gm_rw,
	.sync = fake_sync,
	.suspend = fake_suspend,
	.resume = fake_resume,
	.ctx_create = fake_ctx_create,
	.ctx_destroy = fake_ctx_destroy,
	.ctx_submit = fake_ctx_submit,
	.ctx_reset = fake_ctx_reset,
	.ctx_hold = fake_ctx_hold,
	.ctx_resume = fake_ctx_resume,
	.ctx_get_stats = fake_ctx_get_stats,
};

/**
 * mvgpu_fake_create() - a fake GPU
 * @gm_size: GM in bytes, a multiple of 4 KiB
 * @aperture_size: low GM, at most @gm_size
 * @nr_fences: fence registers
 * @nr_engines: engines
 *
 * Return: the GPU or NULL.
 */
struct mvgpu_fake_gpu *mvgpu_fake_create(u64 gm_size, u64 aperture_size, u32 nr_fences,
					 u32 nr_engines)
{
	struct mvgpu_fake_gpu *fake = kzalloc(sizeof(*fake), GFP_KERNEL);

	if (!fake)
		return NULL;
	fake->base.ops = &mvgpu_fake_ops;
	fake->info = (struct pgpu_info) {
		.name = "fake", .gm_size = gm_size, .aperture_size = aperture_size,
		.nr_fences = nr_fences, .nr_engines = nr_engines,
	};
	fake->ggtt = vzalloc(array_size(gm_size >> SIMGPU_PAGE_SHIFT, sizeof(u64)));
	fake->fences = kcalloc(nr_fences, sizeof(*fake->fences), GFP_KERNEL);
	spin_lock_init(&fake->lock);
	INIT_LIST_HEAD(&fake->ctxs);
	if (!fake->ggtt || !fake->fences) {
		mvgpu_fake_destroy(fake);
		return NULL;
	}
	return fake;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_fake_create);

/**
 * mvgpu_fake_destroy() - free a fake GPU whose contexts are all destroyed
 * @fake: the GPU
 */
void mvgpu_fake_destroy(struct mvgpu_fake_gpu *fake)
{
	WARN_ON(!list_empty(&fake->ctxs));
	vfree(fake->ggtt);
	kfree(fake->fences);
	kfree(fake);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_fake_destroy);

/**
 * mvgpu_fake_running() - the context that runs on an engine
 * @fake: the GPU
 * @engine: the engine
 *
 * Return: the first context on @engine that is queued and not held, or NULL.
 */
struct mvgpu_fake_ctx *mvgpu_fake_running(struct mvgpu_fake_gpu *fake, u32 engine)
{
	struct mvgpu_fake_ctx *ctx, *found = NULL;

	spin_lock(&fake->lock);
	list_for_each_entry(ctx, &fake->ctxs, node) {
		if (ctx->desc.engine == engine && ctx->status == PGPU_CTX_QUEUED && !ctx->held) {
			found = ctx;
			break;
		}
	}
	spin_unlock(&fake->lock);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_fake_running);

/**
 * mvgpu_fake_end() - the engine ends a context's work, as hardware would
 * @ctx: a context its owner does not destroy meanwhile
 * @events: PGPU_EVENT_COMPLETE, _FAULT, _HANG or _ERROR, maybe with _USER
 *
 * Calls the owner's event callback, as a slice would.
 */
void mvgpu_fake_end(struct mvgpu_fake_ctx *ctx, u32 events)
{
	struct mvgpu_fake_gpu *fake = to_fake(ctx->base.gpu);

	spin_lock(&fake->lock);
	fake_ctx_stop(ctx);
	ctx->status = events & PGPU_EVENT_FAULT ? PGPU_CTX_FAULTED :
		      events & PGPU_EVENT_HANG ? PGPU_CTX_HUNG :
		      events & PGPU_EVENT_ERROR ? PGPU_CTX_ERROR : PGPU_CTX_IDLE;
	spin_unlock(&fake->lock);
	if (ctx->desc.event)
		ctx->desc.event(&ctx->base, events, ctx->desc.data);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_fake_end);
