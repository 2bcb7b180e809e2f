// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the scheduling policy of one physical engine, apart from any
 * clock or thread so that tests can drive it with a fake clock.
 *
 * Shares follow weighted virtual time: a vGPU that used the engine for t
 * ns advances by t / weight, and the busy vGPU furthest behind runs next,
 * for at most a slice. The policy remembers the level of the runnable
 * vGPUs (the least virtual time among them, which only moves forward); a
 * vGPU that was idle comes back no further behind than that, so idling
 * earns no credit and costs the others nothing (work conserving). Caps are
 * counted per balance period: a capped vGPU that used its percentage of
 * the period waits for the next one, even if the engine would be idle,
 * and is brought up to the level when the period ends, so waiting earns
 * no credit either.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

/* Virtual time is kept in ns * MVGPU_VTIME_SCALE / weight. */
#define MVGPU_VTIME_SCALE	1024

/**
 * mvgpu_sched_init() - start a policy with no vGPUs
 * @s: the policy
 * @slice_ns: longest run before the policy is asked again
 * @period_ns: balance period: caps and reported shares are per period
 * @now: the current time
 */
void mvgpu_sched_init(struct mvgpu_sched *s, u64 slice_ns, u64 period_ns, u64 now)
{
	INIT_LIST_HEAD(&s->entities);
	s->slice_ns = slice_ns;
	s->period_ns = period_ns;
	s->period_start = now;
	s->min_vtime = 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_init);

/**
 * mvgpu_sched_add() - add an idle vGPU
 * @s: the policy
 * @e: its entity, zeroed by the caller
 * @weight: its weight, 1..MVGPU_MAX_WEIGHT
 */
void mvgpu_sched_add(struct mvgpu_sched *s, struct mvgpu_sched_entity *e, u32 weight)
{
	e->weight = clamp_t(u32, weight, 1, MVGPU_MAX_WEIGHT);
	list_add_tail(&e->node, &s->entities);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_add);

/**
 * mvgpu_sched_remove() - remove a vGPU
 * @s: the policy
 * @e: its entity
 */
void mvgpu_sched_remove(struct mvgpu_sched *s, struct mvgpu_sched_entity *e)
{
	list_del_init(&e->node);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_remove);

/* Virtual times wrap; compare them by their difference. */
static bool mvgpu_vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

/* Bring @e level with the vGPUs that kept running, if it is behind. */
static void mvgpu_sched_level(struct mvgpu_sched *s, struct mvgpu_sched_entity *e)
{
	if (mvgpu_vtime_before(e->vtime, s->min_vtime))
		e->vtime = s->min_vtime;
}

/**
 * mvgpu_sched_set_busy() - a vGPU got work, or has none left
 * @s: the policy
 * @e: its entity
 * @busy: whether it has work
 */
void mvgpu_sched_set_busy(struct mvgpu_sched *s, struct mvgpu_sched_entity *e, bool busy)
{
	if (busy && !e->busy)
		mvgpu_sched_level(s, e);	/* no credit for idling */
	e->busy = busy;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_set_busy);

/**
 * mvgpu_sched_set_weight() - change a vGPU's weight from now on
 * @e: its entity
 * @weight: 1..MVGPU_MAX_WEIGHT
 */
void mvgpu_sched_set_weight(struct mvgpu_sched_entity *e, u32 weight)
{
	e->weight = clamp_t(u32, weight, 1, MVGPU_MAX_WEIGHT);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_set_weight);

static bool mvgpu_sched_capped(const struct mvgpu_sched *s, const struct mvgpu_sched_entity *e)
{
	return e->cap && e->period_used >= div_u64(s->period_ns * e->cap, 100);
}

/* Start a new balance period if the current one is over. */
static void mvgpu_sched_roll(struct mvgpu_sched *s, u64 now)
{
	struct mvgpu_sched_entity *e;
	u64 total = 0;

	if (now - s->period_start < s->period_ns)
		return;
	/* if more than one period went by, the last one was idle */
	if (now - s->period_start < 2 * s->period_ns)
		list_for_each_entry(e, &s->entities, node)
			total += e->period_used;
	list_for_each_entry(e, &s->entities, node) {
		e->share_permille = total ? div64_u64(e->period_used * 1000, total) : 0;
		e->period_used = 0;
		/* a capped vGPU fell behind while it waited: no credit for that */
		mvgpu_sched_level(s, e);
	}
	/* periods stay aligned to the start, however late this runs */
	s->period_start = now - (now - s->period_start) % s->period_ns;
}

/**
 * mvgpu_sched_pick() - the vGPU to run next
 * @s: the policy
 * @now: the current time
 *
 * Return: the busy, uncapped vGPU with the least virtual time, or NULL.
 * It may run until mvgpu_sched_budget() runs out.
 */
struct mvgpu_sched_entity *mvgpu_sched_pick(struct mvgpu_sched *s, u64 now)
{
	struct mvgpu_sched_entity *e, *best = NULL;

	mvgpu_sched_roll(s, now);
	list_for_each_entry(e, &s->entities, node) {
		if (!e->busy || mvgpu_sched_capped(s, e))
			continue;
		if (!best || mvgpu_vtime_before(e->vtime, best->vtime))
			best = e;
	}
	/* the level of the runnable vGPUs only ever moves forward */
	if (best && mvgpu_vtime_before(s->min_vtime, best->vtime))
		s->min_vtime = best->vtime;
	return best;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_pick);

/**
 * mvgpu_sched_budget() - how long a picked vGPU may run now
 * @s: the policy
 * @e: the vGPU
 *
 * Return: a slice, or less if its cap runs out sooner.
 */
u64 mvgpu_sched_budget(const struct mvgpu_sched *s, const struct mvgpu_sched_entity *e)
{
	u64 left;

	if (!e->cap)
		return s->slice_ns;
	left = div_u64(s->period_ns * e->cap, 100);
	left = left > e->period_used ? left - e->period_used : 0;
	return min(left, s->slice_ns);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_budget);

/**
 * mvgpu_sched_next_period() - when the current balance period ends
 * @s: the policy
 *
 * Return: the time; capped vGPUs may run again from then.
 */
u64 mvgpu_sched_next_period(const struct mvgpu_sched *s)
{
	return s->period_start + s->period_ns;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_next_period);

/**
 * mvgpu_sched_charge() - account engine time a vGPU used
 * @s: the policy
 * @e: the vGPU
 * @ns: the time
 */
void mvgpu_sched_charge(struct mvgpu_sched *s, struct mvgpu_sched_entity *e, u64 ns)
{
	e->vtime += div_u64(ns * MVGPU_VTIME_SCALE, e->weight);
	e->period_used += ns;
	e->used_ns += ns;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_sched_charge);
