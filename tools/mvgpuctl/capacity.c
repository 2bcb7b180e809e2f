// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl: why a type has no room on a parent.
 *
 * sysfs does not show how much of each resource a parent has, only what
 * each type takes (its description), how many more of each type fit
 * (available_instances) and what each vGPU holds (mvgpu/resources). Bounds
 * on a parent's total of each resource follow from those:
 *
 * - at least n * size for a type "V1_n", which splits the total in n parts,
 *   and at least what is in use plus available_instances * size;
 * - below V1_1's size plus its rounding: high GM is rounded down to 1 MiB,
 *   low GM to a power of two (it is BAR2), fences are exact.
 *
 * A resource whose lower bound leaves room for the type is not what ran
 * out; one where even the upper bound leaves none certainly is. Between the
 * two it may be.
 */
#include <stdio.h>
#include <string.h>

#include "mvgpuctl.h"

enum verdict { FITS, MAYBE, SHORT };

struct res_view {
	uint64_t used, need, lower, upper;	/* upper: exclusive, 0 = unknown */
	enum verdict verdict;
};

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void bounds(const struct mparent *p, enum res_kind r, struct res_view *v)
{
	const struct mtype *u;
	int i;

	v->lower = v->used;
	v->upper = 0;
	for (i = 0; i < p->nr_types; i++) {
		u = &p->types[i];
		if (!u->mvgpu)
			continue;
		if (u->split)
			v->lower = max_u64(v->lower, u->split * u->size[r]);
		if (u->available > 0)
			v->lower = max_u64(v->lower, v->used + u->available * u->size[r]);
		if (u->split != 1)
			continue;
		if (r == RES_LOW)
			v->upper = 2 * u->size[r];
		else if (r == RES_HIGH)
			v->upper = u->size[r] + MB;
		else
			v->upper = u->size[r] + 1;
	}
	if (v->lower >= v->used + v->need)
		v->verdict = FITS;
	else if (v->upper && v->used + v->need >= v->upper)
		v->verdict = SHORT;
	else
		v->verdict = MAYBE;
}

static void say(const struct mtype *t, enum res_kind r, const struct res_view *v, int nr)
{
	char need[32], used[32], total[32];

	fmt_size(need, sizeof(need), r, v->need);
	if (r == RES_FENCE)
		snprintf(used, sizeof(used), "%llu", (unsigned long long)v->used);
	else
		fmt_size(used, sizeof(used), r, v->used);
	if (r == RES_FENCE)
		snprintf(total, sizeof(total), "%llu", (unsigned long long)v->lower);
	else
		fmt_size(total, sizeof(total), r, v->lower);
	err("%s %s exhausted: %s needs %s; in use: %s of %s%s, by %d vGPU%s", res_names[r],
	    v->verdict == SHORT ? "is" : "may be", t->name, need, used,
	    v->verdict == SHORT ? "" : "at least ", total, nr, nr == 1 ? "" : "s");
}

/* What the other types of @p still allow, as a hint. */
static void suggest(const struct mparent *p, const struct mtype *t)
{
	char list[512] = "";
	size_t len = 0;
	int i, n;

	for (i = 0; i < p->nr_types; i++) {
		if (&p->types[i] == t || p->types[i].available <= 0)
			continue;
		n = snprintf(list + len, sizeof(list) - len, "%s%s (%ld)", len ? ", " : "",
			     p->types[i].name, p->types[i].available);
		if (n < 0 || (size_t)n >= sizeof(list) - len)
			break;
		len += n;
	}
	if (len)
		err("remove a vGPU (mvgpuctl remove UUID) or use a type that still fits on %s: %s",
		    p->name, list);
	else
		err("remove a vGPU on %s first (mvgpuctl list shows them)", p->name);
}

/**
 * capacity_explain() - say that @t has no room on @p, and why if we can tell
 * @st: every device, for what the vGPUs on @p hold
 * @p: the parent
 * @t: one of its types, with available_instances 0
 */
void capacity_explain(const struct mdev_state *st, const struct mparent *p,
		      const struct mtype *t)
{
	struct res_view v[RES_COUNT];
	int i, r, nr = 0, shorts = 0, maybes = 0;

	err("no capacity on %s: available_instances is 0 for %s", p->name, t->name);
	if (!t->mvgpu) {
		suggest(p, t);
		return;
	}
	memset(v, 0, sizeof(v));
	for (i = 0; i < st->nr_insts; i++) {
		if (strcmp(st->insts[i].parent, p->name) || !st->insts[i].has_res)
			continue;
		nr++;
		for (r = 0; r < RES_COUNT; r++)
			v[r].used += st->insts[i].size[r];
	}
	for (r = 0; r < RES_COUNT; r++) {
		v[r].need = t->size[r];
		bounds(p, r, &v[r]);
		shorts += v[r].verdict == SHORT;
		maybes += v[r].verdict == MAYBE;
	}
	/* the certain ones are the answer; the uncertain ones only without them */
	for (r = 0; r < RES_COUNT; r++) {
		if (v[r].verdict == SHORT || (!shorts && v[r].verdict == MAYBE))
			say(t, r, &v[r], nr);
	}
	if (!shorts && !maybes)
		err("every resource has room for %s in total: %s, or %s holds all the vGPUs it can",
		    t->name, "the free space is in pieces too small", p->name);
	suggest(p, t);
}
