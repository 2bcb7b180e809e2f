/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical-GPU interface the mediator uses: graphics memory and its
 * GGTT, fence registers, the CPU aperture, and hardware contexts that run
 * command streams on engines. simgpu implements it today; a hardware
 * backend would implement the same calls.
 */
#ifndef _MVGPU_PGPU_H
#define _MVGPU_PGPU_H

#include <linux/types.h>

struct pgpu;
struct pgpu_ctx;

/**
 * struct pgpu_info - what a physical GPU offers
 * @name: device name
 * @gm_size: graphics memory (GM) size in bytes
 * @aperture_size: low GM, visible to the CPU through the aperture
 * @nr_fences: fence registers
 * @nr_engines: engines (SIMGPU_ENGINE_*)
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

typedef void (*pgpu_event_fn)(struct pgpu_ctx *ctx, u32 events, void *data);

/**
 * struct pgpu_ctx_desc - how to create a hardware context
 * @engine: engine index
 * @ring_start: GM address of the ring buffer, 4 KiB aligned
 * @ring_size: ring size in bytes: a power of two, 4 KiB to 2 MiB
 * @ppgtt_root: DMA address of the top-level page table, 0 for none
 * @event: called (in process context) with SIMGPU_EVENT_* bits
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

unsigned int pgpu_count(void);
struct pgpu *pgpu_get(unsigned int index);
void pgpu_get_info(struct pgpu *gpu, struct pgpu_info *info);
int pgpu_ggtt_write(struct pgpu *gpu, u64 index, u64 pte);
u64 pgpu_ggtt_read(struct pgpu *gpu, u64 index);
int pgpu_fence_write(struct pgpu *gpu, u32 n, const struct pgpu_fence *fence);
int pgpu_fence_read(struct pgpu *gpu, u32 n, struct pgpu_fence *fence);
int pgpu_aperture_rw(struct pgpu *gpu, u64 offset, void *buf, size_t len, bool write);
void pgpu_sync(struct pgpu *gpu);
int pgpu_suspend(struct pgpu *gpu);
void pgpu_resume(struct pgpu *gpu);

struct pgpu_ctx *pgpu_ctx_create(struct pgpu *gpu, const struct pgpu_ctx_desc *desc);
void pgpu_ctx_destroy(struct pgpu_ctx *ctx);
int pgpu_ctx_submit(struct pgpu_ctx *ctx, u32 tail);
int pgpu_ctx_reset(struct pgpu_ctx *ctx);
void pgpu_ctx_hold(struct pgpu_ctx *ctx);
void pgpu_ctx_resume(struct pgpu_ctx *ctx);
void pgpu_ctx_get_stats(struct pgpu_ctx *ctx, struct pgpu_ctx_stats *stats);

#endif /* _MVGPU_PGPU_H */
