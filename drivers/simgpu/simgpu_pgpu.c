// SPDX-License-Identifier: GPL-2.0-only
/*
 * simgpu: the pgpu_ops table, the only way mvgpu reaches a simulated GPU.
 * Each call turns the embedded pgpu and pgpu_ctx back into simgpu's own.
 */
#include <linux/container_of.h>
#include <linux/build_bug.h>
#include <linux/err.h>

#include "simgpu.h"

/* simgpu speaks the interface's formats natively: nothing to translate */
static_assert(SIMGPU_PTE_VALID == PGPU_PTE_VALID && SIMGPU_PTE_ADDR_MASK == PGPU_PTE_ADDR_MASK);
static_assert(SIMGPU_ENGINE_RENDER == PGPU_ENGINE_RENDER && SIMGPU_ENGINE_COPY == PGPU_ENGINE_COPY);
static_assert(SIMGPU_EVENT_COMPLETE == PGPU_EVENT_COMPLETE && SIMGPU_EVENT_USER == PGPU_EVENT_USER);
static_assert(SIMGPU_EVENT_FAULT == PGPU_EVENT_FAULT && SIMGPU_EVENT_HANG == PGPU_EVENT_HANG);
static_assert(SIMGPU_EVENT_ERROR == PGPU_EVENT_ERROR);

static struct simgpu *to_simgpu(struct pgpu *gpu)
{
	return container_of(gpu, struct simgpu, base);
}

static struct simgpu_ctx *to_simgpu_ctx(struct pgpu_ctx *ctx)
{
	return container_of(ctx, struct simgpu_ctx, base);
}

static void simgpu_op_get_info(struct pgpu *gpu, struct pgpu_info *info)
{
	simgpu_get_info(to_simgpu(gpu), info);
}

static int simgpu_op_ggtt_write(struct pgpu *gpu, u64 index, u64 pte)
{
	return simgpu_ggtt_write(to_simgpu(gpu), index, pte);
}

static u64 simgpu_op_ggtt_read(struct pgpu *gpu, u64 index)
{
	return simgpu_ggtt_read(to_simgpu(gpu), index);
}

static int simgpu_op_fence_write(struct pgpu *gpu, u32 n, const struct pgpu_fence *fence)
{
	return simgpu_fence_write(to_simgpu(gpu), n, fence);
}

static int simgpu_op_fence_read(struct pgpu *gpu, u32 n, struct pgpu_fence *fence)
{
	return simgpu_fence_read(to_simgpu(gpu), n, fence);
}

static int simgpu_op_aperture_rw(struct pgpu *gpu, u64 offset, void *buf, size_t len,
				 bool write)
{
	return simgpu_aperture_rw(to_simgpu(gpu), offset, buf, len, write);
}

static int simgpu_op_gm_rw(struct pgpu *gpu, u64 ppgtt_root, u64 addr, void *buf, size_t len,
			   bool write)
{
	return simgpu_gm_rw(to_simgpu(gpu), ppgtt_root, addr, buf, len, write);
}

static void simgpu_op_sync(struct pgpu *gpu)
{
	simgpu_sync(to_simgpu(gpu));
}

static int simgpu_op_suspend(struct pgpu *gpu)
{
	return simgpu_suspend(to_simgpu(gpu));
}

static void simgpu_op_resume(struct pgpu *gpu)
{
	simgpu_resume(to_simgpu(gpu));
}

static struct pgpu_ctx *simgpu_op_ctx_create(struct pgpu *gpu,
					     const struct pgpu_ctx_desc *desc)
{
	struct simgpu_ctx *ctx = simgpu_ctx_create(to_simgpu(gpu), desc);

	return IS_ERR(ctx) ? ERR_CAST(ctx) : &ctx->base;
}

static void simgpu_op_ctx_destroy(struct pgpu_ctx *ctx)
{
	simgpu_ctx_destroy(to_simgpu_ctx(ctx));
}

static int simgpu_op_ctx_submit(struct pgpu_ctx *ctx, u32 tail)
{
	return simgpu_ctx_submit(to_simgpu_ctx(ctx), tail);
}

static int simgpu_op_ctx_reset(struct pgpu_ctx *ctx)
{
	return simgpu_ctx_reset(to_simgpu_ctx(ctx));
}

static void simgpu_op_ctx_hold(struct pgpu_ctx *ctx)
{
	simgpu_ctx_hold(to_simgpu_ctx(ctx));
}

static void simgpu_op_ctx_resume(struct pgpu_ctx *ctx)
{
	simgpu_ctx_resume(to_simgpu_ctx(ctx));
}

static void simgpu_op_ctx_get_stats(struct pgpu_ctx *ctx, struct pgpu_ctx_stats *stats)
{
	simgpu_ctx_get_stats(to_simgpu_ctx(ctx), stats);
}

const struct pgpu_ops simgpu_pgpu_ops = {
	.get_info = simgpu_op_get_info,
	.ggtt_write = simgpu_op_ggtt_write,
	.ggtt_read = simgpu_op_ggtt_read,
	.fence_write = simgpu_op_fence_write,
	.fence_read = simgpu_op_fence_read,
	.aperture_rw = simgpu_op_aperture_rw,
	.gm_rw = simgpu_op_gm_rw,
	.sync = simgpu_op_sync,
	.suspend = simgpu_op_suspend,
	.resume = simgpu_op_resume,
	.ctx_create = simgpu_op_ctx_create,
	.ctx_destroy = simgpu_op_ctx_destroy,
	.ctx_submit = simgpu_op_ctx_submit,
	.ctx_reset = simgpu_op_ctx_reset,
	.ctx_hold = simgpu_op_ctx_hold,
	.ctx_resume = simgpu_op_ctx_resume,
	.ctx_get_stats = simgpu_op_ctx_get_stats,
};
