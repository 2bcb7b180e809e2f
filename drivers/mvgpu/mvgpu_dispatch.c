// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the dispatcher of one physical engine. A kernel thread asks the
 * policy (mvgpu_sched.c) which vGPU owns the engine next, runs the oldest
 * workload of that vGPU on a hardware context of its own, and when the
 * slice is over either lets it go on or preempts it at a command boundary
 * for another vGPU. The owner is charged the wall time its workload held
 * the engine, from the engine's first slice of it to its last, so a vGPU
 * whose work waits on a semaphore pays for the engine it holds, and none
 * pays for the latency of handing the engine over.
 *
 * The dispatcher never takes a vGPU's lock: what the guest must see is
 * left on the vGPU's lists and reported by mvgpu_submit_retire(), which
 * the vGPU's glue runs with its lock held (vgpu->ops->kick_retire).
 *
 * Two locks: the engine lock serialises what is done to the workloads'
 * hardware contexts and to the shadow pages, and is held across the long
 * parts (copying a workload into its shadow, waiting for a preempted or
 * destroyed context's slice to end). The dispatcher's lock protects the
 * bookkeeping that every vGPU on the engine reads (queues, statistics,
 * the policy) and is only held for that: it is dropped around each long
 * part, so one vGPU's register reads, submissions and sysfs files never
 * wait for another vGPU's workload to be copied or preempted.
 */
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

static unsigned int sched_slice_us = 1000;
module_param(sched_slice_us, uint, 0444);
MODULE_PARM_DESC(sched_slice_us, "scheduling time slice in microseconds (100-100000, default 1000)");

static unsigned int sched_period_ms = 100;
module_param(sched_period_ms, uint, 0444);
MODULE_PARM_DESC(sched_period_ms, "balance period for caps and shares in ms (10-10000, default 100)");

#define MVGPU_END_EVENTS	(PGPU_EVENT_COMPLETE | PGPU_EVENT_FAULT | \
				 PGPU_EVENT_HANG | PGPU_EVENT_ERROR)

/**
 * struct mvgpu_dispatch - the dispatcher of one engine of a GPU
 * @gpu: the GPU
 * @engine: PGPU_ENGINE_*
 * @engine_lock: serialises starting, preempting, resuming, ending, killing
 *	and cancelling workloads: what is done to their hardware contexts
 *	and the shadow pages. Held across waits for the engine; taken after
 *	a vGPU's lock and before @lock
 * @lock: protects @sched, @running, @owner, @run_start, every attached
 *	vGPU's queues, stats and entity, and each workload's @ctx pointer
 *	and states; held only for bookkeeping, never across a wait for the
 *	engine or a copy; taken after a vGPU's lock
 * @sched: the policy
 * @running: the workload that owns the engine, or NULL
 * @owner: the vGPU that ran last
 * @run_start: when @running last got the engine
 * @thread: the dispatcher thread
 * @wq: where it sleeps
 * @kicked: something changed: look again (set without @lock)
 * @suspended: system sleep: no workload is started, resumed or preempted
 *	(@lock)
 */
struct mvgpu_dispatch {
	struct pgpu *gpu;
	unsigned int engine;
	struct mutex engine_lock;	/* see above */
	struct mutex lock;	/* see above */
	struct mvgpu_sched sched;
	struct mvgpu_workload *running;
	struct mvgpu_vgpu_engine *owner;
	u64 run_start;
	struct task_struct *thread;
	wait_queue_head_t wq;
	bool kicked;
	bool suspended;
};

static void mvgpu_dispatch_kick(struct mvgpu_dispatch *d)
{
	WRITE_ONCE(d->kicked, true);
	wake_up(&d->wq);
}

/* Called by simgpu inside a slice: record, and let the thread act. */
static void mvgpu_workload_event(struct pgpu_ctx *ctx, u32 events, void *data)
{
	struct mvgpu_workload *w = data;

	atomic_or(events, &w->events);
	mvgpu_dispatch_kick(w->ve->d);
}

/**
 * mvgpu_workload_free() - free a workload no list or engine holds
 * @w: the workload
 */
void mvgpu_workload_free(struct mvgpu_workload *w)
{
	if (w->ppgtt)
		mvgpu_ppgtt_free(w->ve->vgpu, w->ppgtt);
	kvfree(w->ring);
	kvfree(w->batch);
	kfree(w);
}

static void mvgpu_workload_account_stats(struct mvgpu_workload *w,
					 const struct pgpu_ctx_stats *st)
{
	w->ve->stats.busy_ns += st->busy_ns - w->busy_ns;
	w->busy_ns = st->busy_ns;
}

static void mvgpu_workload_account(struct mvgpu_workload *w)
{
	struct pgpu_ctx_stats st;

	if (!w->ctx)
		return;
	pgpu_ctx_get_stats(w->ctx, &st);
	mvgpu_workload_account_stats(w, &st);
}

/*
 * Take the workload's hardware context off the engine and destroy it,
 * after a last look at its engine time. Destroying waits for a slice
 * that runs it to end, so @d->lock is dropped meanwhile; the engine lock
 * keeps the workload where it is.
 */
static void mvgpu_workload_stop(struct mvgpu_dispatch *d, struct mvgpu_workload *w)
{
	struct pgpu_ctx *ctx = w->ctx;

	lockdep_assert_held(&d->engine_lock);
	lockdep_assert_held(&d->lock);
	if (d->running == w)
		d->running = NULL;
	if (!ctx)
		return;
	mvgpu_workload_account(w);
	w->ctx = NULL;		/* readers under @d->lock no longer look at it */
	mutex_unlock(&d->lock);
	pgpu_ctx_destroy(ctx);	/* no event callback after this */
	mutex_lock(&d->lock);
}

/* The workload ended: hand it over to be reported. */
static void mvgpu_workload_end(struct mvgpu_dispatch *d, struct mvgpu_workload *w, u32 events)
{
	struct mvgpu_vgpu_engine *ve = w->ve;

	mvgpu_workload_stop(d, w);
	if (events & PGPU_EVENT_FAULT)
		w->error = MVGPU_ERR_FAULT;
	else if (events & PGPU_EVENT_HANG)
		w->error = MVGPU_ERR_HANG;
	else if (events & PGPU_EVENT_ERROR)
		w->error = MVGPU_ERR_EXEC;
	if (w->error) {
		w->state |= MVGPU_CSB_ERROR;
		ve->stats.errors++;
		if (w->error == MVGPU_ERR_HANG)
			ve->stats.hangs++;
	} else {
		w->state |= MVGPU_CSB_COMPLETE;
	}
	ve->stats.workloads++;
	list_move_tail(&w->node, &ve->done);
	ve->pending--;
	mvgpu_sched_set_busy(&d->sched, &ve->ent, !list_empty(&ve->queue));
	ve->vgpu->ops->kick_retire(ve->vgpu);
}

/*
 * Put the workload's shadow where the engine reads it, and start it.
 * Copying up to MVGPU_SHADOW_SIZE bytes and creating the context happen
 * without @d->lock: the engine lock keeps the workload first in its queue
 * and its vGPU's shadow pages to it.
 */
static int mvgpu_workload_start(struct mvgpu_dispatch *d, struct mvgpu_workload *w)
{
	struct mvgpu_vgpu_engine *ve = w->ve;
	struct pgpu_ctx_desc desc = {
		.engine = d->engine,
		.ring_start = ve->shadow_gm,
		.ring_size = MVGPU_SHADOW_RING,
		.ppgtt_root = w->ppgtt ? mvgpu_ppgtt_root(w->ppgtt) : 0,
		.event = mvgpu_workload_event,
		.data = w,
	};
	struct pgpu_ctx *ctx;
	int ret;

	lockdep_assert_held(&d->engine_lock);
	mutex_unlock(&d->lock);
	memcpy(ve->shadow, w->ring, 4 * w->ring_len);
	memcpy(ve->shadow + MVGPU_SHADOW_RING / 4, w->batch, 4 * w->batch_len);
	ctx = pgpu_ctx_create(d->gpu, &desc);
	ret = PTR_ERR_OR_ZERO(ctx);
	if (!ret) {
		ret = pgpu_ctx_submit(ctx, 4 * w->ring_len);
		if (ret)
			pgpu_ctx_destroy(ctx);
	}
	mutex_lock(&d->lock);
	if (!ret)
		w->ctx = ctx;
	return ret;
}

/*
 * Charge the owner for the engine time since the last charge: wall time
 * from when the engine first ran its workload after it got the engine (not
 * from when the dispatcher handed it over) to now, or to the end of its
 * last slice if it is off the engine (@stopped, or it ended). Waiting on
 * a semaphore counts: the engine is the owner's meanwhile.
 */
static void mvgpu_dispatch_charge(struct mvgpu_dispatch *d, u64 now, bool stopped)
{
	struct mvgpu_workload *w = d->running;
	struct pgpu_ctx_stats st;
	u64 from, to;

	if (!w)
		return;
	pgpu_ctx_get_stats(w->ctx, &st);
	from = max(d->run_start, st.start_ns);
	to = now;
	if ((stopped || st.status != PGPU_CTX_QUEUED) && st.end_ns)
		to = min(to, st.end_ns);
	if (st.start_ns && to > from)
		mvgpu_sched_charge(&d->sched, &w->ve->ent, to - from);
	d->run_start = now;
	mvgpu_workload_account_stats(w, &st);
}

/* Events of a workload that owns or owned the engine: user interrupts, its end. */
static void mvgpu_dispatch_events(struct mvgpu_dispatch *d, struct mvgpu_workload *w)
{
	u32 events;

	if (!w)
		return;
	events = atomic_xchg(&w->events, 0);
	if (events & PGPU_EVENT_USER) {
		w->ve->user_irq = true;
		w->ve->vgpu->ops->kick_retire(w->ve->vgpu);
	}
	if (events & MVGPU_END_EVENTS)
		mvgpu_workload_end(d, w, events);
}

/*
 * Preempt the running workload at a command boundary; it stays first in
 * its vGPU's queue. The wait for its slice to stop happens without
 * @d->lock. Returns the time the engine was free.
 */
static u64 mvgpu_dispatch_preempt(struct mvgpu_dispatch *d, struct mvgpu_workload *w)
{
	u64 now;

	lockdep_assert_held(&d->engine_lock);
	mutex_unlock(&d->lock);
	pgpu_ctx_hold(w->ctx);
	mutex_lock(&d->lock);
	/* the engine was its until the slice stopped, not the next one's */
	now = ktime_get_ns();
	mvgpu_dispatch_charge(d, now, true);
	d->running = NULL;
	/* its last slice may have ended it: then it was not preempted */
	if (!(atomic_read(&w->events) & MVGPU_END_EVENTS) &&
	    !(w->state & MVGPU_CSB_PREEMPTED)) {
		w->state |= MVGPU_CSB_PREEMPTED;
		w->ve->vgpu->ops->kick_retire(w->ve->vgpu);
	}
	mvgpu_dispatch_events(d, w);
	return now;
}

/*
 * One decision. Returns how long the thread may sleep before the next
 * one (it is woken earlier by events), 0 for as long as nothing happens.
 */
static u64 mvgpu_dispatch_step(struct mvgpu_dispatch *d)
{
	struct mvgpu_sched_entity *next;
	struct mvgpu_vgpu_engine *ve;
	struct mvgpu_workload *w;
	u64 now, sleep;

	mutex_lock(&d->engine_lock);
	mutex_lock(&d->lock);
	now = ktime_get_ns();
	if (!d->suspended)	/* asleep, nobody pays */
		mvgpu_dispatch_charge(d, now, false);
	mvgpu_dispatch_events(d, d->running);
	if (d->suspended) {
		mutex_unlock(&d->lock);
		mutex_unlock(&d->engine_lock);
		return 0;
	}
	for (;;) {
		next = mvgpu_sched_pick(&d->sched, now);
		w = d->running;
		if (w && next == &w->ve->ent)
			break;		/* it goes on */
		if (w) {
			now = mvgpu_dispatch_preempt(d, w);
			continue;
		}
		if (!next)
			break;
		ve = container_of(next, struct mvgpu_vgpu_engine, ent);
		w = list_first_entry(&ve->queue, struct mvgpu_workload, node);
		if (w->ctx) {
			pgpu_ctx_resume(w->ctx);
		} else if (mvgpu_workload_start(d, w)) {
			w->error = MVGPU_ERR_RESOURCES;
			mvgpu_workload_end(d, w, 0);
			continue;
		}
		if (d->owner != ve)
			ve->stats.switches++;
		d->owner = ve;
		d->running = w;
		d->run_start = now;
		if (!(w->state & MVGPU_CSB_RUNNING)) {
			w->state |= MVGPU_CSB_RUNNING;
			ve->vgpu->ops->kick_retire(ve->vgpu);
		}
		break;
	}
	sleep = 0;
	if (next) {
		sleep = mvgpu_sched_budget(&d->sched, next);
	} else {
		/* busy but capped vGPUs wait for the next period */
		list_for_each_entry(ve, &d->sched.entities, ent.node)
			if (ve->ent.busy)
				sleep = max_t(s64, mvgpu_sched_next_period(&d->sched) - now, 1);
	}
	mutex_unlock(&d->lock);
	mutex_unlock(&d->engine_lock);
	return sleep;
}

static int mvgpu_dispatch_thread(void *arg)
{
	struct mvgpu_dispatch *d = arg;
	u64 sleep;

	while (!kthread_should_stop()) {
		WRITE_ONCE(d->kicked, false);
		sleep = mvgpu_dispatch_step(d);
		if (sleep)
			wait_event_interruptible_hrtimeout(d->wq, READ_ONCE(d->kicked) ||
							   kthread_should_stop(),
							   ns_to_ktime(sleep));
		else
			wait_event_interruptible(d->wq, READ_ONCE(d->kicked) ||
						 kthread_should_stop());
	}
	return 0;
}

/**
 * mvgpu_dispatch_create() - start the dispatcher of an engine
 * @gpu: the GPU
 * @engine: PGPU_ENGINE_*
 *
 * Return: the dispatcher, or an ERR_PTR.
 */
struct mvgpu_dispatch *mvgpu_dispatch_create(struct pgpu *gpu, unsigned int engine)
{
	u64 slice = (u64)clamp(sched_slice_us, 100U, 100000U) * NSEC_PER_USEC;
	u64 period = (u64)clamp(sched_period_ms, 10U, 10000U) * NSEC_PER_MSEC;
	struct mvgpu_dispatch *d;
	struct pgpu_info info;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->gpu = gpu;
	d->engine = engine;
	mutex_init(&d->engine_lock);
	mutex_init(&d->lock);
	init_waitqueue_head(&d->wq);
	mvgpu_sched_init(&d->sched, slice, max(period, slice), ktime_get_ns());
	pgpu_get_info(gpu, &info);
	d->thread = kthread_run(mvgpu_dispatch_thread, d, "mvgpu/%s.%u", info.name, engine);
	if (IS_ERR(d->thread)) {
		struct task_struct *t = d->thread;

		kfree(d);
		return ERR_CAST(t);
	}
	return d;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_create);

/**
 * mvgpu_dispatch_destroy() - stop a dispatcher; no vGPU may be attached
 * @d: the dispatcher
 */
void mvgpu_dispatch_destroy(struct mvgpu_dispatch *d)
{
	kthread_stop(d->thread);
	WARN_ON_ONCE(!list_empty(&d->sched.entities));
	mutex_destroy(&d->lock);
	mutex_destroy(&d->engine_lock);
	kfree(d);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_destroy);

/**
 * mvgpu_dispatch_suspend() - stop handing out the engine, for system sleep
 * @d: the dispatcher
 *
 * The running workload is charged up to now and keeps the engine; the GPU
 * is stopped next (pgpu_suspend()), which holds it where it is.
 */
void mvgpu_dispatch_suspend(struct mvgpu_dispatch *d)
{
	mutex_lock(&d->engine_lock);
	mutex_lock(&d->lock);
	mvgpu_dispatch_charge(d, ktime_get_ns(), false);
	d->suspended = true;
	mutex_unlock(&d->lock);
	mutex_unlock(&d->engine_lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_suspend);

/**
 * mvgpu_dispatch_resume() - hand out the engine again after system sleep
 * @d: the dispatcher
 *
 * The time asleep is charged to nobody: the running workload's owner pays
 * again from now.
 */
void mvgpu_dispatch_resume(struct mvgpu_dispatch *d)
{
	mutex_lock(&d->lock);
	d->suspended = false;
	d->run_start = ktime_get_ns();
	mutex_unlock(&d->lock);
	mvgpu_dispatch_kick(d);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_resume);

/**
 * mvgpu_dispatch_attach() - a vGPU joins an engine, with nothing queued
 * @ve: its side of the engine; ve->d set
 * @weight: its weight
 */
void mvgpu_dispatch_attach(struct mvgpu_vgpu_engine *ve, u32 weight)
{
	struct mvgpu_dispatch *d = ve->d;

	INIT_LIST_HEAD(&ve->queue);
	INIT_LIST_HEAD(&ve->done);
	mutex_lock(&d->lock);
	mvgpu_sched_add(&d->sched, &ve->ent, weight);
	mutex_unlock(&d->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_attach);

/**
 * mvgpu_dispatch_cancel() - drop a vGPU's workloads, stopping a running one
 * @ve: its side of the engine
 *
 * Nothing of them is reported. Called with the vGPU's lock held.
 */
void mvgpu_dispatch_cancel(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_dispatch *d = ve->d;
	struct mvgpu_workload *w, *next;
	LIST_HEAD(dropped);

	mutex_lock(&d->engine_lock);
	mutex_lock(&d->lock);
	if (d->running && d->running->ve == ve)
		d->running = NULL;
	if (d->owner == ve)
		d->owner = NULL;
	list_splice_tail_init(&ve->queue, &dropped);
	list_splice_tail_init(&ve->done, &dropped);
	ve->pending = 0;
	ve->user_irq = false;
	mvgpu_sched_set_busy(&d->sched, &ve->ent, false);
	mutex_unlock(&d->lock);
	/* off every list: only the engine lock still keeps others from them */
	list_for_each_entry_safe(w, next, &dropped, node) {
		list_del(&w->node);
		if (w->ctx)
			pgpu_ctx_destroy(w->ctx);	/* no callback after this */
		mvgpu_workload_free(w);
	}
	mutex_unlock(&d->engine_lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_cancel);

/**
 * mvgpu_dispatch_kill() - end the workloads whose page tables map some pages
 * @ve: a vGPU's side of the engine
 * @gfn: first guest page leaving the guest's memory map
 * @count: pages
 *
 * They end with MVGPU_ERR_FAULT once no engine runs them, and their
 * shadows are freed, so the pages can be unpinned. Called with the vGPU's
 * lock held, which keeps its queue as it is while the dispatcher's lock
 * is dropped to stop a workload.
 */
void mvgpu_dispatch_kill(struct mvgpu_vgpu_engine *ve, u64 gfn, u64 count)
{
	struct mvgpu_dispatch *d = ve->d;
	struct mvgpu_workload *w, *next;

	mutex_lock(&d->engine_lock);
	mutex_lock(&d->lock);
	list_for_each_entry_safe(w, next, &ve->queue, node) {
		if (!w->ppgtt || !mvgpu_ppgtt_uses(w->ppgtt, gfn, count))
			continue;
		mvgpu_workload_stop(d, w);	/* no engine walks its tables now */
		mvgpu_ppgtt_free(ve->vgpu, w->ppgtt);
		w->ppgtt = NULL;
		w->error = MVGPU_ERR_FAULT;
		mvgpu_workload_end(d, w, 0);
	}
	mutex_unlock(&d->lock);
	mutex_unlock(&d->engine_lock);
	mvgpu_dispatch_kick(d);
}

/**
 * mvgpu_dispatch_detach() - a vGPU leaves an engine
 * @ve: its side of the engine, its workloads cancelled
 */
void mvgpu_dispatch_detach(struct mvgpu_vgpu_engine *ve)
{
	struct mvgpu_dispatch *d = ve->d;

	mvgpu_dispatch_cancel(ve);
	mutex_lock(&d->lock);
	mvgpu_sched_remove(&d->sched, &ve->ent);
	mutex_unlock(&d->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_detach);

/**
 * mvgpu_dispatch_lock() - lock a dispatcher's queues, after a vGPU's lock
 * @d: the dispatcher
 *
 * Never held for long by the dispatcher, whatever the engine does.
 */
void mvgpu_dispatch_lock(struct mvgpu_dispatch *d)
{
	mutex_lock(&d->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_lock);

/**
 * mvgpu_dispatch_unlock() - unlock them
 * @d: the dispatcher
 */
void mvgpu_dispatch_unlock(struct mvgpu_dispatch *d)
{
	mutex_unlock(&d->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_unlock);

/**
 * mvgpu_dispatch_queue() - queue a checked workload to run
 * @w: the workload, w->ve set
 */
void mvgpu_dispatch_queue(struct mvgpu_workload *w)
{
	struct mvgpu_vgpu_engine *ve = w->ve;
	struct mvgpu_dispatch *d = ve->d;

	mutex_lock(&d->lock);
	list_add_tail(&w->node, &ve->queue);
	ve->pending++;
	mvgpu_sched_set_busy(&d->sched, &ve->ent, true);
	mutex_unlock(&d->lock);
	mvgpu_dispatch_kick(d);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_queue);

/**
 * mvgpu_dispatch_set() - change a vGPU's weight and cap on an engine
 * @ve: its side of the engine
 * @weight: 1..MVGPU_MAX_WEIGHT
 * @cap: percent, 0 for none
 */
void mvgpu_dispatch_set(struct mvgpu_vgpu_engine *ve, u32 weight, u32 cap)
{
	struct mvgpu_dispatch *d = ve->d;

	mutex_lock(&d->lock);
	mvgpu_sched_set_weight(&ve->ent, weight);
	ve->ent.cap = min(cap, 100U);
	mutex_unlock(&d->lock);
	mvgpu_dispatch_kick(d);
}

/**
 * mvgpu_dispatch_get() - a vGPU's scheduling state on an engine
 * @ve: its side of the engine
 * @stats: its counters
 * @pending: workloads queued or running
 * @share_permille: its share of the last balance period
 * @weight: its weight
 * @cap: its cap
 */
void mvgpu_dispatch_get(struct mvgpu_vgpu_engine *ve, struct mvgpu_engine_stats *stats,
			u32 *pending, u32 *share_permille, u32 *weight, u32 *cap)
{
	struct mvgpu_dispatch *d = ve->d;

	mutex_lock(&d->lock);
	if (d->running && d->running->ve == ve)
		mvgpu_workload_account(d->running);
	*stats = ve->stats;
	*pending = ve->pending;
	*share_permille = ve->ent.share_permille;
	*weight = ve->ent.weight;
	*cap = ve->ent.cap;
	mutex_unlock(&d->lock);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_dispatch_get);
