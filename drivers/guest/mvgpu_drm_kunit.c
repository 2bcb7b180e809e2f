// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of mvgpu_drm's GM allocator: ballooned to the ranges PVINFO
 * gives, it hands out GM only inside them, all of it, and refuses ranges
 * that do not fit the GPU's GM. The display and the GTT writes are tested
 * in a nested guest (tests/l2/mvgpu_drm.sh).
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "mvgpu_drm.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define T_CHUNK	SZ_16M

/* A V1_4 of simgpu's default GPU, as PVINFO reports it. */
static struct mvgpu_drm *t_vgpu(struct kunit *test)
{
	struct mvgpu_drm *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->low_base = 0x8000000;
	m->low_size = 0x2000000;
	m->high_base = 0x38000000;
	m->high_size = 0x18700000;
	m->gm_size = 0xfbf00000;
	return m;
}

static bool t_inside(const struct mvgpu_drm *m, const struct drm_mm_node *n)
{
	u64 end = n->start + n->size;

	return (n->start >= m->low_base && end <= m->low_base + m->low_size) ||
	       (n->start >= m->high_base && end <= m->high_base + m->high_size);
}

/* Every chunk it hands out is the vGPU's own, until its GM is used up. */
static void mvgpu_drm_gm_balloon(struct kunit *test)
{
	struct mvgpu_drm *m = t_vgpu(test);
	unsigned int n = 0, max = 64, want;
	struct drm_mm_node *nodes;

	nodes = kunit_kcalloc(test, max, sizeof(*nodes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nodes);
	KUNIT_ASSERT_EQ(test, mvgpu_gm_init(m), 0);
	while (n < max && !drm_mm_insert_node_generic(&m->gm, &nodes[n], T_CHUNK, PAGE_SIZE, 0,
						      DRM_MM_INSERT_BEST)) {
		KUNIT_EXPECT_TRUE_MSG(test, t_inside(m, &nodes[n]), "chunk at 0x%llx",
				      nodes[n].start);
		n++;
	}
	want = m->low_size / T_CHUNK + m->high_size / T_CHUNK;
	KUNIT_EXPECT_EQ(test, n, want);
	while (n--)
		drm_mm_remove_node(&nodes[n]);
	mvgpu_gm_fini(m);
}

/* A vGPU at the start and at the end of GM: no empty balloon. */
static void mvgpu_drm_gm_edges(struct kunit *test)
{
	struct mvgpu_drm *m = t_vgpu(test);
	struct drm_mm_node node = {};

	m->low_base = 0;
	m->high_base = m->gm_size - m->high_size;
	KUNIT_ASSERT_EQ(test, mvgpu_gm_init(m), 0);
	KUNIT_EXPECT_EQ(test, drm_mm_insert_node_generic(&m->gm, &node, m->high_size, PAGE_SIZE,
							 0, DRM_MM_INSERT_BEST), 0);
	KUNIT_EXPECT_EQ(test, node.start, m->high_base);
	drm_mm_remove_node(&node);
	mvgpu_gm_fini(m);
}

/* PVINFO ranges that overlap or run past the GM are refused. */
static void mvgpu_drm_gm_bad_ranges(struct kunit *test)
{
	struct mvgpu_drm *m = t_vgpu(test);

	m->high_base = m->low_base + SZ_4K;
	KUNIT_EXPECT_EQ(test, mvgpu_gm_init(m), -ENOSPC);
	m = t_vgpu(test);
	m->high_size = m->gm_size;
	KUNIT_EXPECT_EQ(test, mvgpu_gm_init(m), -ENOSPC);
}

static struct kunit_case mvgpu_drm_gm_cases[] = {
	KUNIT_CASE(mvgpu_drm_gm_balloon),
	KUNIT_CASE(mvgpu_drm_gm_edges),
	KUNIT_CASE(mvgpu_drm_gm_bad_ranges),
	{}
};

static struct kunit_suite mvgpu_drm_gm_suite = {
	.name = "mvgpu_drm_gm",
	.test_cases = mvgpu_drm_gm_cases,
};

kunit_test_suite(mvgpu_drm_gm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of mvgpu_drm");
