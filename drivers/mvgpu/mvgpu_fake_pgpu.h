/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake physical GPU for mvgpu's KUnit tests (mvgpu_fake_pgpu.c): the
 * whole of struct pgpu_ops with no engine behind it. Memory calls keep a
 * GGTT array and fence registers; contexts only record what is done to
 * them, and the test decides when a workload ends (mvgpu_fake_end()).
 * Built into mvgpu only with CONFIG_MVGPU_KUNIT_TEST.
 */
#ifndef _MVGPU_FAKE_PGPU_H
#define _MVGPU_FAKE_PGPU_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <mvgpu/pgpu.h>

/**
 * struct mvgpu_fake_ctx - a context of the fake GPU
 * @base: what mvgpu holds
 * @node: on the GPU's @ctxs (its lock)
 * @desc: how it was created
 * @tail: the last tail submitted
 * @status: enum pgpu_ctx_status
 * @held: preempted, kept off its engine
 * @submits: ctx_submit calls
 * @holds: ctx_hold calls
 * @resumes: ctx_resume calls
 * @start_ns: when it last began to run (submitted or resumed), 0 if not
 * @end_ns: when it last stopped (held or ended)
 * @busy_ns: time it ran
 *
 * All but @base, @node and @desc under the GPU's lock.
 */
struct mvgpu_fake_ctx {
	struct pgpu_ctx base;
	struct list_head node;
	struct pgpu_ctx_desc desc;
	u32 tail;
	u32 status;
	bool held;
	unsigned int submits;
	unsigned int holds;
	unsigned int resumes;
	u64 start_ns;
	u64 end_ns;
	u64 busy_ns;
};

/**
 * struct mvgpu_fake_gpu - the fake GPU
 * @base: what mvgpu holds
 * @info: what it offers
 * @ggtt: its GGTT, one entry per GM page
 * @fences: its fence registers (@lock)
 * @lock: protects @fences, @ctxs, the counters and each context's state
 * @ctxs: live contexts
 * @created: contexts created
 * @destroyed: contexts destroyed
 * @fail_create: the next ctx_create calls that fail with -ENOMEM
 */
struct mvgpu_fake_gpu {
	struct pgpu base;
	struct pgpu_info info;
	u64 *ggtt;
	struct pgpu_fence *fences;
	spinlock_t lock;	/* see above */
	struct list_head ctxs;
	unsigned int created;
	unsigned int destroyed;
	unsigned int fail_create;
};

struct mvgpu_fake_gpu *mvgpu_fake_create(u64 gm_size, u64 aperture_size, u32 nr_fences,
					 u32 nr_engines);
void mvgpu_fake_destroy(struct mvgpu_fake_gpu *fake);
struct mvgpu_fake_ctx *mvgpu_fake_running(struct mvgpu_fake_gpu *fake, u32 engine);
void mvgpu_fake_end(struct mvgpu_fake_ctx *ctx, u32 events);

#endif /* _MVGPU_FAKE_PGPU_H */
