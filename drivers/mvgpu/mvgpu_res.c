// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: vGPU types and the partitioning of a GPU. Each vGPU gets one
 * contiguous piece of low GM (the aperture), one of high GM and a run of
 * fence registers, after the host has kept its own. No locking here: the
 * parent serialises.
 */
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

#define MVGPU_GM_ALIGN	SZ_1M

static void mvgpu_space_init(struct mvgpu_space *s, u64 start, u64 end)
{
	s->start = start;
	s->end = end;
	s->nr_used = 0;
}

/* Start of the gap before piece @i (or before the end, i == nr_used). */
static u64 mvgpu_gap_start(const struct mvgpu_space *s, unsigned int i)
{
	return i ? s->used[i - 1].start + s->used[i - 1].size : s->start;
}

static u64 mvgpu_gap_end(const struct mvgpu_space *s, unsigned int i)
{
	return i < s->nr_used ? s->used[i].start : s->end;
}

/* First fit: the piece goes into the first gap that holds it. */
static int mvgpu_space_alloc(struct mvgpu_space *s, u64 size, u64 align, u64 *start)
{
	unsigned int i;
	u64 at;

	if (!size || s->nr_used == MVGPU_MAX_VGPUS)
		return -ENOSPC;
	for (i = 0; i <= s->nr_used; i++) {
		at = round_up(mvgpu_gap_start(s, i), align);
		if (at >= mvgpu_gap_end(s, i) || mvgpu_gap_end(s, i) - at < size)
			continue;
		memmove(&s->used[i + 1], &s->used[i], (s->nr_used - i) * sizeof(s->used[0]));
		s->used[i].start = at;
		s->used[i].size = size;
		s->nr_used++;
		*start = at;
		return 0;
	}
	return -ENOSPC;
}

static void mvgpu_space_free(struct mvgpu_space *s, u64 start)
{
	unsigned int i;

	for (i = 0; i < s->nr_used; i++) {
		if (s->used[i].start != start)
			continue;
		memmove(&s->used[i], &s->used[i + 1], (s->nr_used - i - 1) * sizeof(s->used[0]));
		s->nr_used--;
		return;
	}
}

/* How many more pieces of @size fit, gaps as they are. */
static u64 mvgpu_space_fit(const struct mvgpu_space *s, u64 size, u64 align)
{
	u64 n = 0, at, end;
	unsigned int i;

	for (i = 0; i <= s->nr_used; i++) {
		at = round_up(mvgpu_gap_start(s, i), align);
		end = mvgpu_gap_end(s, i);
		if (at < end)
			n += div64_u64(end - at, size);
	}
	return min_t(u64, n, MVGPU_MAX_VGPUS - s->nr_used);
}

/**
 * mvgpu_res_init() - what a GPU has for vGPUs, after the host's share
 * @res: filled in
 * @info: the GPU
 *
 * Return: 0, or -ENOSPC when the GPU is too small to share.
 */
int mvgpu_res_init(struct mvgpu_res *res, const struct pgpu_info *info)
{
	if (info->gm_size < info->aperture_size || info->aperture_size <= MVGPU_HOST_LOW ||
	    info->gm_size - info->aperture_size <= MVGPU_HOST_HIGH ||
	    info->nr_fences <= MVGPU_HOST_FENCES)
		return -ENOSPC;
	mvgpu_space_init(&res->low, MVGPU_HOST_LOW, info->aperture_size);
	mvgpu_space_init(&res->high, info->aperture_size + MVGPU_HOST_HIGH, info->gm_size);
	mvgpu_space_init(&res->fence, MVGPU_HOST_FENCES, info->nr_fences);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_res_init);

/**
 * mvgpu_types_init() - the types a GPU offers: V1_n splits it in n
 * @info: the GPU
 * @types: MVGPU_MAX_TYPES entries, filled in from the largest share down
 * @nr_types: how many were filled in
 *
 * Low GM is a power of two (it is BAR2), high GM a multiple of 1 MiB.
 *
 * Return: 0, or -ENOSPC when no type fits.
 */
int mvgpu_types_init(const struct pgpu_info *info, struct mvgpu_type_res *types,
		     unsigned int *nr_types)
{
	static const unsigned int splits[MVGPU_MAX_TYPES] = { 1, 2, 4, 8 };
	u64 low, high, low_all, high_all;
	unsigned int i;
	u32 fences;

	*nr_types = 0;
	if (info->gm_size < info->aperture_size || info->aperture_size <= MVGPU_HOST_LOW ||
	    info->gm_size - info->aperture_size <= MVGPU_HOST_HIGH ||
	    info->nr_fences <= MVGPU_HOST_FENCES)
		return -ENOSPC;
	low_all = info->aperture_size - MVGPU_HOST_LOW;
	high_all = info->gm_size - info->aperture_size - MVGPU_HOST_HIGH;
	for (i = 0; i < MVGPU_MAX_TYPES; i++) {
		low = div64_u64(low_all, splits[i]);
		high = round_down(div64_u64(high_all, splits[i]), MVGPU_GM_ALIGN);
		fences = (info->nr_fences - MVGPU_HOST_FENCES) / splits[i];
		if (low < MVGPU_GM_ALIGN || !high || !fences)
			break;
		types[i].low = rounddown_pow_of_two(low);
		types[i].high = high;
		types[i].fences = fences;
		types[i].weight = 16 / splits[i];
		types[i].xres = splits[i] >= 8 ? 1024 : 1920;
		types[i].yres = splits[i] >= 8 ? 768 : 1200;
		/* what fits each type's share of GM many times over */
		types[i].max_xres = splits[i] <= 2 ? 3840 : splits[i] <= 4 ? 2560 : 1920;
		types[i].max_yres = splits[i] <= 2 ? 2160 : splits[i] <= 4 ? 1600 : 1200;
		(*nr_types)++;
	}
	return *nr_types ? 0 : -ENOSPC;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_types_init);

/**
 * mvgpu_res_reserve() - take a type's resources, all or none
 * @res: the GPU's resources
 * @t: the type
 * @a: what was taken
 *
 * Return: 0, or -ENOSPC naming no resource (mvgpu_res_available() tells).
 */
int mvgpu_res_reserve(struct mvgpu_res *res, const struct mvgpu_type_res *t,
		      struct mvgpu_alloc *a)
{
	u64 fence;

	if (mvgpu_space_alloc(&res->low, t->low, MVGPU_GM_ALIGN, &a->low_base))
		return -ENOSPC;
	if (mvgpu_space_alloc(&res->high, t->high, MVGPU_GM_ALIGN, &a->high_base)) {
		mvgpu_space_free(&res->low, a->low_base);
		return -ENOSPC;
	}
	if (mvgpu_space_alloc(&res->fence, t->fences, 1, &fence)) {
		mvgpu_space_free(&res->high, a->high_base);
		mvgpu_space_free(&res->low, a->low_base);
		return -ENOSPC;
	}
	a->low_size = t->low;
	a->high_size = t->high;
	a->fence_base = fence;
	a->fence_count = t->fences;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_res_reserve);

/**
 * mvgpu_res_release() - give a vGPU's resources back
 * @res: the GPU's resources
 * @a: what mvgpu_res_reserve() took
 */
void mvgpu_res_release(struct mvgpu_res *res, const struct mvgpu_alloc *a)
{
	mvgpu_space_free(&res->low, a->low_base);
	mvgpu_space_free(&res->high, a->high_base);
	mvgpu_space_free(&res->fence, a->fence_base);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_res_release);

/**
 * mvgpu_res_available() - how many more vGPUs of a type fit now
 * @res: the GPU's resources, with the gaps other vGPUs left
 * @t: the type
 *
 * Return: the smallest of the counts each resource allows.
 */
unsigned int mvgpu_res_available(const struct mvgpu_res *res, const struct mvgpu_type_res *t)
{
	u64 n = mvgpu_space_fit(&res->low, t->low, MVGPU_GM_ALIGN);

	n = min(n, mvgpu_space_fit(&res->high, t->high, MVGPU_GM_ALIGN));
	n = min(n, mvgpu_space_fit(&res->fence, t->fences, 1));
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_res_available);
