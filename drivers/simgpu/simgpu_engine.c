// SPDX-License-Identifier: GPL-2.0-only
/*
 * simgpu: engines and hardware contexts. Each engine runs one context at a
 * time on a worker, in slices: contexts with work take turns, a switch
 * saves the engine's registers into the old context and loads the new
 * one's, and a watchdog stops a submission that uses too much engine time.
 */
#include <linux/export.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>

#include "simgpu.h"

/* Budget of one slice before the next context gets its turn. */
#define SIMGPU_SLICE_CMDS	4096
#define SIMGPU_SLICE_BYTES	SZ_1M
/* How long a context waiting on a semaphore sleeps before it looks again. */
#define SIMGPU_WAIT_RETRY	1	/* jiffies */

static bool simgpu_ring_ok(const struct pgpu_ctx_desc *desc, u64 gm_size)
{
	u32 size = desc->ring_size;

	return size >= SZ_4K && size <= SZ_2M && is_power_of_2(size) &&
	       IS_ALIGNED(desc->ring_start, SIMGPU_PAGE_SIZE) &&
	       desc->ring_start < gm_size && size <= gm_size - desc->ring_start;
}

/**
 * simgpu_ctx_create() - create a hardware context
 * @gpu: the GPU
 * @desc: engine, ring and address space
 *
 * Return: the context, or ERR_PTR(-EINVAL) for a bad engine, ring or page
 * table address, ERR_PTR(-ENOMEM).
 */
struct simgpu_ctx *simgpu_ctx_create(struct simgpu *gpu, const struct pgpu_ctx_desc *desc)
{
	struct simgpu_ctx *ctx;

	if (desc->engine >= SIMGPU_NUM_ENGINES || !simgpu_ring_ok(desc, gpu->params.gm_size) ||
	    (desc->ppgtt_root & ~SIMGPU_PTE_ADDR_MASK))
		return ERR_PTR(-EINVAL);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->base.gpu = &gpu->base;
	ctx->gpu = gpu;
	ctx->engine = &gpu->engines[desc->engine];
	ctx->ppgtt_root = desc->ppgtt_root;
	ctx->event = desc->event;
	ctx->data = desc->data;
	ctx->saved.ring_start = desc->ring_start;
	ctx->saved.ring_size = desc->ring_size;
	ctx->status = PGPU_CTX_IDLE;
	INIT_LIST_HEAD(&ctx->node);
	return ctx;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_create);

static bool simgpu_slices_since(struct simgpu_engine *e, u64 seq)
{
	bool ended;

	spin_lock(&e->lock);
	ended = e->slices != seq;
	spin_unlock(&e->lock);
	return ended;
}

/* No slice runs @ctx any more; the engine forgets it was loaded. */
static bool simgpu_ctx_released(struct simgpu_ctx *ctx)
{
	struct simgpu_engine *e = ctx->engine;
	bool busy;

	spin_lock(&e->lock);
	busy = e->running && e->current_ctx == ctx;
	if (!busy && e->current_ctx == ctx)
		e->current_ctx = NULL;	/* its registers need no saving */
	spin_unlock(&e->lock);
	return !busy;
}

/*
 * Take @ctx off the engine and wait until no slice runs it. Not from the
 * context's own event callback, which runs inside a slice.
 */
static void simgpu_ctx_stop(struct simgpu_ctx *ctx)
{
	struct simgpu_engine *e = ctx->engine;

	spin_lock(&e->lock);
	if (ctx->queued) {
		list_del_init(&ctx->node);
		ctx->queued = false;
	}
	spin_unlock(&e->lock);
	wait_event(e->idle, simgpu_ctx_released(ctx));
}

/**
 * simgpu_ctx_destroy() - stop a context and free it
 * @ctx: the context; no event callback runs once this returns
 */
void simgpu_ctx_destroy(struct simgpu_ctx *ctx)
{
	simgpu_ctx_stop(ctx);
	kfree(ctx);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_destroy);

/**
 * simgpu_ctx_submit() - run the ring up to a new tail
 * @ctx: the context
 * @tail: new tail: a dword-aligned ring offset
 *
 * Return: 0, -EINVAL for a bad tail, -EIO if the context stopped on a
 * fault, hang or error and must be reset first.
 */
int simgpu_ctx_submit(struct simgpu_ctx *ctx, u32 tail)
{
	struct simgpu_engine *e = ctx->engine;
	int ret = 0;

	if (tail >= ctx->saved.ring_size || tail & 3)
		return -EINVAL;
	spin_lock(&e->lock);
	if (ctx->status >= PGPU_CTX_FAULTED) {
		ret = -EIO;
	} else {
		if (ctx->status != PGPU_CTX_QUEUED) {	/* a new submission */
			ctx->submit_ns = 0;
			ctx->wait_start = 0;
			ctx->start_ns = 0;
		}
		if (!ctx->queued && !ctx->held) {
			list_add_tail(&ctx->node, &e->queue);
			ctx->queued = true;
		}
		ctx->pending_tail = tail;
		ctx->status = PGPU_CTX_QUEUED;
	}
	spin_unlock(&e->lock);
	if (!ret)
		mod_delayed_work(simgpu_wq(), &e->work, 0);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_submit);

/* No slice runs @ctx any more; its registers are saved in it. */
static bool simgpu_ctx_saved(struct simgpu_ctx *ctx)
{
	struct simgpu_engine *e = ctx->engine;
	bool busy;

	spin_lock(&e->lock);
	busy = e->running && e->current_ctx == ctx;
	if (!busy && e->current_ctx == ctx) {
		ctx->saved = e->regs;
		e->current_ctx = NULL;
	}
	spin_unlock(&e->lock);
	return !busy;
}

/**
 * simgpu_ctx_hold() - preempt a context and keep it off its engine
 * @ctx: the context
 *
 * A slice running @ctx stops at the next command boundary (between rows
 * of a blit); its state and pending work are kept for simgpu_ctx_resume().
 * Submitting to a held context records the new tail without running it.
 * Waits for the slice to end, so not from the context's own event callback.
 */
void simgpu_ctx_hold(struct simgpu_ctx *ctx)
{
	struct simgpu_engine *e = ctx->engine;

	spin_lock(&e->lock);
	ctx->held = true;
	WRITE_ONCE(ctx->preempt, true);
	if (ctx->queued) {
		list_del_init(&ctx->node);
		ctx->queued = false;
	}
	spin_unlock(&e->lock);
	wait_event(e->idle, simgpu_ctx_saved(ctx));
	WRITE_ONCE(ctx->preempt, false);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_hold);

/**
 * simgpu_ctx_resume() - let a held context run its pending work again
 * @ctx: the context
 *
 * The watchdog goes on counting from where the context was held.
 */
void simgpu_ctx_resume(struct simgpu_ctx *ctx)
{
	struct simgpu_engine *e = ctx->engine;
	bool kick = false;

	spin_lock(&e->lock);
	ctx->held = false;
	ctx->start_ns = 0;
	if (ctx->status == PGPU_CTX_QUEUED && !ctx->queued) {
		ctx->waiting = false;
		list_add_tail(&ctx->node, &e->queue);
		ctx->queued = true;
		kick = true;
	}
	spin_unlock(&e->lock);
	if (kick)
		mod_delayed_work(simgpu_wq(), &e->work, 0);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_resume);

/**
 * simgpu_ctx_reset() - put a context back to an empty ring and clean state
 * @ctx: the context
 *
 * Return: 0.
 */
int simgpu_ctx_reset(struct simgpu_ctx *ctx)
{
	u64 start = ctx->saved.ring_start;
	u32 size = ctx->saved.ring_size;

	simgpu_ctx_stop(ctx);
	spin_lock(&ctx->engine->lock);
	memset(&ctx->saved, 0, sizeof(ctx->saved));
	ctx->saved.ring_start = start;
	ctx->saved.ring_size = size;
	ctx->pending_tail = 0;
	ctx->head = 0;
	ctx->waiting = false;
	ctx->held = false;
	ctx->status = PGPU_CTX_IDLE;
	spin_unlock(&ctx->engine->lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_reset);

/**
 * simgpu_ctx_get_stats() - a context's state and counters
 * @ctx: the context
 * @stats: filled in
 */
void simgpu_ctx_get_stats(struct simgpu_ctx *ctx, struct pgpu_ctx_stats *stats)
{
	struct simgpu_engine *e = ctx->engine;

	spin_lock(&e->lock);
	*stats = ctx->stats;
	stats->status = ctx->status;
	stats->tail = ctx->pending_tail;
	stats->head = ctx->head;
	stats->start_ns = ctx->start_ns;
	stats->end_ns = ctx->end_ns;
	spin_unlock(&e->lock);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_ctx_get_stats);

/**
 * simgpu_sync() - wait for the slices running now to end
 * @gpu: the GPU
 *
 * A slice may keep translations it made; after changing GGTT entries or
 * page tables, the owner calls this before it frees the pages the old
 * entries pointed at. Slices that start later see the new entries.
 */
void simgpu_sync(struct simgpu *gpu)
{
	unsigned int i;
	u64 seq;

	for (i = 0; i < SIMGPU_NUM_ENGINES; i++) {
		struct simgpu_engine *e = &gpu->engines[i];
		bool running;

		spin_lock(&e->lock);
		running = e->running;
		seq = e->slices;
		spin_unlock(&e->lock);
		if (running)
			wait_event(e->idle, simgpu_slices_since(e, seq));
	}
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_sync);

static bool simgpu_engine_stopped(struct simgpu_engine *e)
{
	bool stopped;

	spin_lock(&e->lock);
	stopped = !e->running;
	spin_unlock(&e->lock);
	return stopped;
}

/**
 * simgpu_suspend() - stop the engines for system sleep
 * @gpu: the GPU
 *
 * Slices that run now end at their next budget or command boundary and
 * no new one starts; contexts keep their state and pending work, and
 * submissions are recorded, until simgpu_resume(). The owner stops asking
 * for work first, so nothing waits on the engines meanwhile.
 *
 * Return: 0.
 */
int simgpu_suspend(struct simgpu *gpu)
{
	unsigned int i;

	for (i = 0; i < SIMGPU_NUM_ENGINES; i++) {
		struct simgpu_engine *e = &gpu->engines[i];

		spin_lock(&e->lock);
		e->suspended = true;
		e->suspends++;
		spin_unlock(&e->lock);
		wait_event(e->idle, simgpu_engine_stopped(e));
		cancel_delayed_work_sync(&e->work);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_suspend);

/**
 * simgpu_resume() - let the engines run again after system sleep
 * @gpu: the GPU
 */
void simgpu_resume(struct simgpu *gpu)
{
	unsigned int i;

	for (i = 0; i < SIMGPU_NUM_ENGINES; i++) {
		struct simgpu_engine *e = &gpu->engines[i];
		struct simgpu_ctx *ctx;

		spin_lock(&e->lock);
		e->suspended = false;
		/* semaphore waiters look again now */
		list_for_each_entry(ctx, &e->queue, node)
			ctx->waiting = false;
		spin_unlock(&e->lock);
		mod_delayed_work(simgpu_wq(), &e->work, 0);
	}
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_resume);

/* Next context with work after the current one, round-robin. */
static struct simgpu_ctx *simgpu_pick(struct simgpu_engine *e)
{
	struct simgpu_ctx *ctx;

	lockdep_assert_held(&e->lock);
	if (e->suspended)
		return NULL;
	list_for_each_entry(ctx, &e->queue, node) {
		if (!ctx->waiting) {
			list_move_tail(&ctx->node, &e->queue);
			return ctx;
		}
	}
	return NULL;
}

static void simgpu_switch(struct simgpu_engine *e, struct simgpu_ctx *ctx)
{
	struct simgpu_ctx *old = e->current_ctx;
	u64 t0 = ktime_get_ns();

	if (old)
		old->saved = e->regs;
	e->regs = ctx->saved;
	e->current_ctx = ctx;
	e->switches++;
	ctx->stats.switches++;
	e->switch_ns += ktime_get_ns() - t0;
}

/* Engine time a slice used: measured, or the deterministic cost model. */
static u64 simgpu_slice_cost(struct simgpu *gpu, const struct simgpu_slice *s, u64 real_ns)
{
	const struct simgpu_params *p = &gpu->params;

	if (!p->cost_ns_per_cmd && !p->cost_ns_per_kib)
		return real_ns;
	/* every command costs something, or a loop of them would never hang */
	return s->cmds * max(p->cost_ns_per_cmd, 1U) + (s->bytes * p->cost_ns_per_kib) / 1024;
}

static u32 simgpu_slice_events(struct simgpu_ctx *ctx, enum simgpu_slice_end end,
			       const struct simgpu_slice *s)
{
	u32 events = s->events;

	if (end != SIMGPU_SLICE_WAIT)
		ctx->wait_start = 0;
	switch (end) {
	case SIMGPU_SLICE_DONE:
		events |= SIMGPU_EVENT_COMPLETE;
		break;
	case SIMGPU_SLICE_FAULT:
		events |= SIMGPU_EVENT_FAULT;
		break;
	case SIMGPU_SLICE_ERROR:
		events |= SIMGPU_EVENT_ERROR;
		break;
	default:
		break;
	}
	if (events & ~SIMGPU_EVENT_USER)
		return events;		/* the submission ended anyway */

	/* the watchdog: engine time, or wall time spent on a semaphore */
	if (end == SIMGPU_SLICE_WAIT) {
		if (!ctx->wait_start)
			ctx->wait_start = ktime_get_ns();
		else if (ktime_get_ns() - ctx->wait_start > ctx->gpu->params.watchdog_ns)
			events |= SIMGPU_EVENT_HANG;
	}
	if (ctx->submit_ns > ctx->gpu->params.watchdog_ns)
		events |= SIMGPU_EVENT_HANG;
	return events;
}

/* Run one slice of the next context; false when nothing is runnable. */
static bool simgpu_engine_step(struct simgpu_engine *e, bool *waiting)
{
	struct simgpu_slice s = { .engine = e, .max_cmds = SIMGPU_SLICE_CMDS,
				  .max_bytes = SIMGPU_SLICE_BYTES };
	struct simgpu *gpu = e->gpu;
	enum simgpu_slice_end end;
	struct simgpu_ctx *ctx;
	u64 t0, cost;
	u32 events;

	spin_lock(&e->lock);
	ctx = simgpu_pick(e);
	*waiting = !list_empty(&e->queue);
	if (!ctx) {
		spin_unlock(&e->lock);
		return false;
	}
	if (e->current_ctx != ctx)
		simgpu_switch(e, ctx);
	e->regs.tail = ctx->pending_tail;
	e->running = true;
	t0 = ktime_get_ns();
	if (!ctx->start_ns)
		ctx->start_ns = t0;
	spin_unlock(&e->lock);

	s.ctx = ctx;
	end = simgpu_run_slice(&s);
	cost = simgpu_slice_cost(gpu, &s, ktime_get_ns() - t0);
	if (end == SIMGPU_SLICE_FAULT)
		simgpu_log_fault(gpu, e->id, s.fault_addr, !ctx->ppgtt_root);

	spin_lock(&e->lock);
	ctx->stats.busy_ns += cost;
	ctx->stats.commands += s.cmds;
	ctx->stats.bytes += s.bytes;
	if (end == SIMGPU_SLICE_FAULT)
		ctx->stats.fault_addr = s.fault_addr;
	ctx->submit_ns += cost;
	ctx->head = e->regs.head;
	ctx->end_ns = ktime_get_ns();
	e->busy_ns += cost;
	events = simgpu_slice_events(ctx, end, &s);
	ctx->waiting = end == SIMGPU_SLICE_WAIT;
	if (events & SIMGPU_EVENT_COMPLETE && e->regs.tail != ctx->pending_tail) {
		events &= ~SIMGPU_EVENT_COMPLETE;	/* more was submitted meanwhile */
	} else if (events & (SIMGPU_EVENT_COMPLETE | SIMGPU_EVENT_FAULT |
			     SIMGPU_EVENT_ERROR | SIMGPU_EVENT_HANG)) {
		list_del_init(&ctx->node);
		ctx->queued = false;
		ctx->waiting = false;
		ctx->status = events & SIMGPU_EVENT_FAULT ? PGPU_CTX_FAULTED :
			      events & SIMGPU_EVENT_ERROR ? PGPU_CTX_ERROR :
			      events & SIMGPU_EVENT_HANG ? PGPU_CTX_HUNG : PGPU_CTX_IDLE;
	}
	spin_unlock(&e->lock);

	/* the callback runs while the engine still counts as running */
	if (events && ctx->event)
		ctx->event(&ctx->base, events, ctx->data);

	spin_lock(&e->lock);
	e->running = false;
	e->slices++;
	spin_unlock(&e->lock);
	wake_up_all(&e->idle);
	return true;
}

static void simgpu_engine_work(struct work_struct *work)
{
	struct simgpu_engine *e = container_of(to_delayed_work(work),
					       struct simgpu_engine, work);
	bool waiting = false;
	struct simgpu_ctx *ctx;

	while (simgpu_engine_step(e, &waiting))
		cond_resched();
	if (!waiting)
		return;
	/* only semaphore waiters are left: look again a little later */
	spin_lock(&e->lock);
	if (e->suspended) {		/* simgpu_resume() looks again */
		spin_unlock(&e->lock);
		return;
	}
	list_for_each_entry(ctx, &e->queue, node)
		ctx->waiting = false;
	spin_unlock(&e->lock);
	mod_delayed_work(simgpu_wq(), &e->work, SIMGPU_WAIT_RETRY);
}

/**
 * simgpu_engine_init() - set up an engine of a GPU
 * @gpu: the GPU
 * @id: SIMGPU_ENGINE_*
 */
void simgpu_engine_init(struct simgpu *gpu, unsigned int id)
{
	struct simgpu_engine *e = &gpu->engines[id];

	e->gpu = gpu;
	e->id = id;
	spin_lock_init(&e->lock);
	INIT_LIST_HEAD(&e->queue);
	INIT_DELAYED_WORK(&e->work, simgpu_engine_work);
	init_waitqueue_head(&e->idle);
}

/**
 * simgpu_engine_fini() - stop an engine; its contexts must be destroyed
 * @e: the engine
 */
void simgpu_engine_fini(struct simgpu_engine *e)
{
	cancel_delayed_work_sync(&e->work);
}

/**
 * simgpu_engine_idle() - whether an engine has nothing queued or running
 * @e: the engine
 *
 * Return: true when idle.
 */
bool simgpu_engine_idle(struct simgpu_engine *e)
{
	bool idle;

	spin_lock(&e->lock);
	idle = list_empty(&e->queue) && !e->running;
	spin_unlock(&e->lock);
	return idle;
}
