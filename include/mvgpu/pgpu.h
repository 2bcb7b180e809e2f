/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical-GPU interface the mediator uses: graphics memory and its
 * GGTT, fence registers, the CPU aperture, and hardware contexts that run
 * command streams on engines. A backend embeds struct pgpu in its GPU
 * and struct pgpu_ctx in its contexts and implements struct pgpu_ops:
 * simgpu does, so does the fake GPU of mvgpu's KUnit tests, and a hardware
 * backend would (Documentation/design.rst says what each call must do).
 */
#ifndef _MVGPU_PGPU_H
#define _MVGPU_PGPU_H

#include <linux/bits.h>
#include <linux/types.h>

struct pgpu;
struct pgpu_ctx;

/* GGTT entries and the entries of page tables the engines walk */
#define PGPU_PTE_VALID		BIT_ULL(0)
#define PGPU_PTE_ADDR_MASK	GENMASK_ULL(47, 12)	/* DMA address of a 4 KiB page */

/* Engines: a vGPU's engine N runs on the GPU's engine N */
#define PGPU_ENGINE_RENDER	0
#define PGPU_ENGINE_COPY	1

/* What a context's event callback is told (pgpu_event_fn) */
#define PGPU_EVENT_COMPLETE	BIT(0)	/* its ring is drained: head == tail */
#define PGPU_EVENT_USER		BIT(1)	/* a user interrupt command ran */
#define PGPU_EVENT_FAULT	BIT(2)	/* stopped at an address with no translation */
#define PGPU_EVENT_HANG		BIT(3)	/* stopped by the watchdog */
#define PGPU_EVENT_ERROR	BIT(4)	/* stopped at a malformed command */

/**
 * struct pgpu_info - what a physical GPU offers
 * @name: device name
 * @gm_size: graphics memory (GM) size in bytes
 * @aperture_size: low GM, visible to the CPU through the aperture
 * @nr_fences: fence registers
 * @nr_engines: engines (PGPU_ENGINE_* and maybe more)
 */
struct pgpu_info {
	const char *name;
	u64 gm_size;
	u64 aperture_size;
	u32 nr_fences;
	u32 nr_engines;
};

/**
 * struct pgpu_fence - a fence register: a tiled range of GM
 * @start: first byte, 4 KiB aligned
 * @end: one past the last byte, 4 KiB aligned, above @start
 * @pitch: row pitch in bytes, a multiple of 128
 * @tiling: PGPU_TILING_NONE (register unused), _X or _Y
 */
struct pgpu_fence {
	u64 start;
	u64 end;
	u32 pitch;
	u32 tiling;
};

#define PGPU_TILING_NONE	0
#define PGPU_TILING_X		1
#define PGPU_TILING_Y		2
#define PGPU_FENCE_MAX_PITCH	(128 * 1024)

/**
 * pgpu_fence_valid() - whether a fence is one a backend must accept
 * @f: the fence
 * @gm_size: the GPU's GM size
 *
 * Return: true for PGPU_TILING_NONE, or an X or Y tiled, non-empty, 4 KiB
 * aligned range inside GM with a pitch that is a non-zero multiple of 128
 * up to PGPU_FENCE_MAX_PITCH.
 */
static inline bool pgpu_fence_valid(const struct pgpu_fence *f, u64 gm_size)
{
	if (f->tiling == PGPU_TILING_NONE)
		return true;
	if (f->tiling != PGPU_TILING_X && f->tiling != PGPU_TILING_Y)
		return false;
	if ((f->start | f->end) & 4095 || f->start >= f->end || f->end > gm_size)
		return false;
	return f->pitch && !(f->pitch % 128) && f->pitch <= PGPU_FENCE_MAX_PITCH;
}

typedef void (*pgpu_event_fn)(struct pgpu_ctx *ctx, u32 events, void *data);

/**
 * struct pgpu_ctx_desc - how to create a hardware context
 * @engine: engine index
 * @ring_start: GM address of the ring buffer, 4 KiB aligned
 * @ring_size: ring size in bytes: a power of two, 4 KiB to 2 MiB
 * @ppgtt_root: DMA address of the top-level page table, 0 for none
 * @event: called (in process context) with PGPU_EVENT_* bits
 * @data: passed to @event
 */
struct pgpu_ctx_desc {
	u32 engine;
	u64 ring_start;
	u32 ring_size;
	u64 ppgtt_root;
	pgpu_event_fn event;
	void *data;
};

/* Context states reported by pgpu_ctx_get_stats() */
enum pgpu_ctx_status {
	PGPU_CTX_IDLE,		/* nothing to run */
	PGPU_CTX_QUEUED,	/* work submitted, waiting for or on the engine */
	PGPU_CTX_FAULTED,	/* stopped on an untranslatable address */
	PGPU_CTX_HUNG,		/* stopped by the watchdog */
	PGPU_CTX_ERROR,		/* stopped on a malformed command */
};

/**
 * struct pgpu_ctx_stats - a context's state and counters
 * @status: enum pgpu_ctx_status
 * @head: ring offset of the next command
 * @tail: ring offset where the submitted work ends
 * @busy_ns: engine time used
 * @commands: commands executed
 * @bytes: bytes written by blits and stores
 * @switches: times the context was switched in
 * @fault_addr: the address of the last fault
 * @start_ns: when the engine first ran it after its last submission to an
 *	idle context or its last resume (ktime_get_ns()), 0 if it has not yet
 * @end_ns: when its last slice ended, 0 if none has
 */
struct pgpu_ctx_stats {
	u32 status;
	u32 head;
	u32 tail;
	u64 busy_ns;
	u64 commands;
	u64 bytes;
	u64 switches;
	u64 fault_addr;
	u64 start_ns;
	u64 end_ns;
};

/**
 * struct pgpu_ops - what a physical-GPU backend implements
 * @get_info: what the GPU offers
 * @ggtt_write: set GGTT entry @index to @pte (PGPU_PTE_* format): 0 or
 *	-EINVAL past the end
 * @ggtt_read: GGTT entry @index, 0 past the end
 * @fence_write: program fence register @n: 0, -EINVAL for a bad register
 *	or range
 * @fence_read: read it back: 0 or -EINVAL
 * @aperture_rw: CPU access to low GM through the aperture: 0 or -EINVAL
 * @gm_rw: access GPU memory as the engines do, through the GGTT (@ppgtt_root
 *	0) or the page tables at DMA address @ppgtt_root: 0, or -EFAULT at the
 *	first address with no translation (nothing past it is accessed)
 * @sync: wait until slices running now have ended (they may keep old
 *	translations until then)
 * @suspend: stop the engines for system sleep, keeping every context's
 *	state and pending work: 0 or -errno
 * @resume: let them run again
 * @ctx_create: a hardware context on an engine: the context, or an ERR_PTR
 * @ctx_destroy: stop it and free it; no event callback runs afterwards
 * @ctx_submit: run the ring up to a new tail: 0, -EINVAL, -EIO if it
 *	stopped on a fault, hang or error and must be reset
 * @ctx_reset: back to an empty ring and clean state: 0
 * @ctx_hold: preempt it at a command boundary and keep it off its engine
 *	until @ctx_resume; waits for the slice running it to stop
 * @ctx_resume: let a held context run its pending work again
 * @ctx_get_stats: its state and counters
 *
 * Every call may sleep, except @ggtt_read and @ctx_get_stats, and none
 * is made from a context's own event callback but @ctx_get_stats.
 */
struct pgpu_ops {
	void (*get_info)(struct pgpu *gpu, struct pgpu_info *info);
	int (*ggtt_write)(struct pgpu *gpu, u64 index, u64 pte);
	u64 (*ggtt_read)(struct pgpu *gpu, u64 index);
	int (*fence_write)(struct pgpu *gpu, u32 n, const struct pgpu_fence *fence);
	int (*fence_read)(struct pgpu *gpu, u32 n, struct pgpu_fence *fence);
	int (*aperture_rw)(struct pgpu *gpu, u64 offset, void *buf, size_t len, bool write);
	int (*gm_rw)(struct pgpu *gpu, u64 ppgtt_root, u64 addr, void *buf, size_t len,
		     bool write);
	void (*sync)(struct pgpu *gpu);
	int (*suspend)(struct pgpu *gpu);
	void (*resume)(struct pgpu *gpu);
	struct pgpu_ctx *(*ctx_create)(struct pgpu *gpu, const struct pgpu_ctx_desc *desc);
	void (*ctx_destroy)(struct pgpu_ctx *ctx);
	int (*ctx_submit)(struct pgpu_ctx *ctx, u32 tail);
	int (*ctx_reset)(struct pgpu_ctx *ctx);
	void (*ctx_hold)(struct pgpu_ctx *ctx);
	void (*ctx_resume)(struct pgpu_ctx *ctx);
	void (*ctx_get_stats)(struct pgpu_ctx *ctx, struct pgpu_ctx_stats *stats);
};

/**
 * struct pgpu - a physical GPU, embedded in its backend's own structure
 * @ops: its backend
 */
struct pgpu {
	const struct pgpu_ops *ops;
};

/**
 * struct pgpu_ctx - a hardware context, embedded in its backend's own
 * @gpu: its GPU
 */
struct pgpu_ctx {
	struct pgpu *gpu;
};

/* The GPUs there are: simgpu's today. */
unsigned int pgpu_count(void);
struct pgpu *pgpu_get(unsigned int index);

static inline void pgpu_get_info(struct pgpu *gpu, struct pgpu_info *info)
{
	gpu->ops->get_info(gpu, info);
}

static inline int pgpu_ggtt_write(struct pgpu *gpu, u64 index, u64 pte)
{
	return gpu->ops->ggtt_write(gpu, index, pte);
}

static inline u64 pgpu_ggtt_read(struct pgpu *gpu, u64 index)
{
	return gpu->ops->ggtt_read(gpu, index);
}

static inline int pgpu_fence_write(struct pgpu *gpu, u32 n, const struct pgpu_fence *fence)
{
	return gpu->ops->fence_write(gpu, n, fence);
}

static inline int pgpu_fence_read(struct pgpu *gpu, u32 n, struct pgpu_fence *fence)
{
	return gpu->ops->fence_read(gpu, n, fence);
}

static inline int pgpu_aperture_rw(struct pgpu *gpu, u64 offset, void *buf, size_t len,
				   bool write)
{
	return gpu->ops->aperture_rw(gpu, offset, buf, len, write);
}

static inline int pgpu_gm_rw(struct pgpu *gpu, u64 ppgtt_root, u64 addr, void *buf, size_t len,
			     bool write)
{
	return gpu->ops->gm_rw(gpu, ppgtt_root, addr, buf, len, write);
}

static inline void pgpu_sync(struct pgpu *gpu)
{
	gpu->ops->sync(gpu);
}

static inline int pgpu_suspend(struct pgpu *gpu)
{
	return gpu->ops->suspend(gpu);
}

static inline void pgpu_resume(struct pgpu *gpu)
{
	gpu->ops->resume(gpu);
}

static inline struct pgpu_ctx *pgpu_ctx_create(struct pgpu *gpu,
					       const struct pgpu_ctx_desc *desc)
{
	return gpu->ops->ctx_create(gpu, desc);
}

static inline void pgpu_ctx_destroy(struct pgpu_ctx *ctx)
{
	ctx->gpu->ops->ctx_destroy(ctx);
}

static inline int pgpu_ctx_submit(struct pgpu_ctx *ctx, u32 tail)
{
	return ctx->gpu->ops->ctx_submit(ctx, tail);
}

static inline int pgpu_ctx_reset(struct pgpu_ctx *ctx)
{
	return ctx->gpu->ops->ctx_reset(ctx);
}

static inline void pgpu_ctx_hold(struct pgpu_ctx *ctx)
{
	ctx->gpu->ops->ctx_hold(ctx);
}

static inline void pgpu_ctx_resume(struct pgpu_ctx *ctx)
{
	ctx->gpu->ops->ctx_resume(ctx);
}

static inline void pgpu_ctx_get_stats(struct pgpu_ctx *ctx, struct pgpu_ctx_stats *stats)
{
	ctx->gpu->ops->ctx_get_stats(ctx, stats);
}

#endif /* _MVGPU_PGPU_H */
