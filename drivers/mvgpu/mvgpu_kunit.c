// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the vGPU device model: vGPU types and the partitioning of
 * a GPU (mvgpu_res.c), PCI config space (mvgpu_cfg.c), the MMIO register
 * file of a vGPU on a simulated GPU (mvgpu_mmio.c), the context status
 * buffer, the pin cache and GTT shadowing (mvgpu_gtt.c) and page table
 * shadows (mvgpu_ppgtt.c).
 */
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <drm/drm_fourcc.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/byteorder.h>
#include <mvgpu/pci_ids.h>
#include <mvgpu/vgpu.h>

#include "mvgpu.h"
#include "mvgpu_fake_pgpu.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(MVGPU_VPCI);

#define T_MIB(n)	((u64)(n) * SZ_1M)
#define T_PV(field)	(MVGPU_PVINFO_PAGE + (field))

/* ---- vGPU types ---- */

struct t_types_case {
	const char *desc;
	struct pgpu_info info;
	int ret;
	unsigned int nr;
	struct mvgpu_type_res types[MVGPU_MAX_TYPES];
};

/*
 * By hand: low = largest power of two <= (aperture - 128 MiB) / n,
 * high = (gm - aperture - 384 MiB) / n in whole MiB, fences = (nr - 4) / n.
 */
static const struct t_types_case t_types_cases[] = {
	{ "default GPU: 384 MiB low, 3135 MiB high, 28 fences",
	  { .gm_size = T_MIB(4096 - 65), .aperture_size = T_MIB(512), .nr_fences = 32 }, 0, 4,
	  { { T_MIB(256), T_MIB(3135), 28, 16, 1920, 1200, 3840, 2160 },
	    { T_MIB(128), T_MIB(1567), 14, 8, 1920, 1200, 3840, 2160 },
	    { T_MIB(64), T_MIB(783), 7, 4, 1920, 1200, 2560, 1600 },
	    { T_MIB(32), T_MIB(391), 3, 2, 1024, 768, 1920, 1200 } } },
	{ "8 fences: no V1_8",
	  { .gm_size = T_MIB(4031), .aperture_size = T_MIB(512), .nr_fences = 8 }, 0, 3,
	  { { T_MIB(256), T_MIB(3135), 4, 16, 1920, 1200, 3840, 2160 },
	    { T_MIB(128), T_MIB(1567), 2, 8, 1920, 1200, 3840, 2160 },
	    { T_MIB(64), T_MIB(783), 1, 4, 1920, 1200, 2560, 1600 } } },
	{ "2 MiB high GM: V1_1 and V1_2",
	  { .gm_size = T_MIB(898), .aperture_size = T_MIB(512), .nr_fences = 32 }, 0, 2,
	  { { T_MIB(256), T_MIB(2), 28, 16, 1920, 1200, 3840, 2160 },
	    { T_MIB(128), T_MIB(1), 14, 8, 1920, 1200, 3840, 2160 } } },
	{ "1 MiB low GM: V1_1 only",
	  { .gm_size = T_MIB(4031), .aperture_size = T_MIB(129), .nr_fences = 32 }, 0, 1,
	  { { T_MIB(1), T_MIB(3518), 28, 16, 1920, 1200, 3840, 2160 } } },
	{ "no low GM left for vGPUs",
	  { .gm_size = T_MIB(4031), .aperture_size = T_MIB(128), .nr_fences = 32 }, -ENOSPC },
	{ "no high GM left for vGPUs",
	  { .gm_size = T_MIB(1024), .aperture_size = T_MIB(640), .nr_fences = 32 }, -ENOSPC },
	{ "no fences left for vGPUs",
	  { .gm_size = T_MIB(4031), .aperture_size = T_MIB(512), .nr_fences = 4 }, -ENOSPC },
	{ "half a MiB of low GM",
	  { .gm_size = T_MIB(4031), .aperture_size = T_MIB(128) + SZ_512K, .nr_fences = 32 },
	  -ENOSPC },
};

KUNIT_ARRAY_PARAM_DESC(t_types, t_types_cases, desc);

static void mvgpu_types_table(struct kunit *test)
{
	const struct t_types_case *c = test->param_value;
	struct mvgpu_type_res types[MVGPU_MAX_TYPES];
	unsigned int i, nr = 99;

	memset(types, 0xa5, sizeof(types));
	KUNIT_EXPECT_EQ(test, mvgpu_types_init(&c->info, types, &nr), c->ret);
	KUNIT_ASSERT_EQ(test, nr, c->nr);
	/* low, high, fences, weight, xres, yres */
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_MEMEQ_MSG(test, &types[i], &c->types[i], sizeof(types[i]),
				       "type V1_%u", 1 << i);
}

/* ---- the allocator, on the default GPU ---- */

static const unsigned int t_initial[MVGPU_MAX_TYPES] = { 1, 2, 4, 8 };

struct t_res {
	struct mvgpu_res res;
	const struct pgpu_info *info;
	struct mvgpu_type_res types[MVGPU_MAX_TYPES];
};

static struct t_res *t_res_new(struct kunit *test)
{
	struct t_res *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int nr;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->info = &t_types_cases[0].info;
	KUNIT_ASSERT_EQ(test, mvgpu_types_init(r->info, r->types, &nr), 0);
	KUNIT_ASSERT_EQ(test, nr, MVGPU_MAX_TYPES);
	KUNIT_ASSERT_EQ(test, mvgpu_res_init(&r->res, r->info), 0);
	return r;
}

static void mvgpu_res_empty(struct kunit *test)
{
	struct t_res *r = t_res_new(test);
	struct pgpu_info small = *r->info;
	unsigned int i;

	for (i = 0; i < MVGPU_MAX_TYPES; i++)
		KUNIT_EXPECT_EQ(test, mvgpu_res_available(&r->res, &r->types[i]), t_initial[i]);
	small.aperture_size = MVGPU_HOST_LOW;
	KUNIT_EXPECT_EQ(test, mvgpu_res_init(&r->res, &small), -ENOSPC);
}

/* Reserve a type (an index in t_res.types) or release step T_REL(i)'s vGPU. */
#define T_REL(i)	(MVGPU_MAX_TYPES + (i))

struct t_step {
	unsigned int type;
	int ret;
	u64 low_mib;
	u64 high_mib;
	u32 fence;
	unsigned int avail[MVGPU_MAX_TYPES];	/* afterwards */
};

static void t_steps(struct kunit *test, struct t_res *r, const struct t_step *s,
		    unsigned int n)
{
	struct mvgpu_alloc *a = kunit_kcalloc(test, n, sizeof(*a), GFP_KERNEL);
	const struct mvgpu_type_res *t;
	unsigned int i, j;

	KUNIT_ASSERT_NOT_NULL(test, a);
	for (i = 0; i < n; i++, s++) {
		if (s->type >= T_REL(0)) {
			mvgpu_res_release(&r->res, &a[s->type - T_REL(0)]);
		} else {
			t = &r->types[s->type];
			KUNIT_ASSERT_EQ_MSG(test, mvgpu_res_reserve(&r->res, t, &a[i]), s->ret,
					    "step %u", i);
			if (!s->ret) {
				struct mvgpu_alloc want = { T_MIB(s->low_mib), t->low,
					T_MIB(s->high_mib), t->high, s->fence, t->fences };

				KUNIT_EXPECT_MEMEQ_MSG(test, &a[i], &want, sizeof(want),
						       "step %u", i);
			}
		}
		for (j = 0; j < MVGPU_MAX_TYPES; j++)
			KUNIT_EXPECT_EQ_MSG(test, mvgpu_res_available(&r->res, &r->types[j]),
					    s->avail[j], "step %u, V1_%u", i, 1 << j);
	}
}

static void mvgpu_res_mixed_types(struct kunit *test)
{
	static const struct t_step steps[] = {
		{ 1, 0, 128, 896, 4, { 0, 1, 2, 4 } },
		{ 2, 0, 256, 2463, 18, { 0, 0, 1, 2 } },
		{ 3, 0, 320, 3246, 25, { 0, 0, 0, 1 } },
		{ 3, 0, 352, 3637, 28, { 0, 0, 0, 0 } },
		{ 3, -ENOSPC, .avail = { 0, 0, 0, 0 } },
		{ 0, -ENOSPC, .avail = { 0, 0, 0, 0 } },
		{ T_REL(0), .avail = { 0, 1, 2, 4 } },
		{ T_REL(1), .avail = { 0, 1, 3, 6 } },
		{ T_REL(2), .avail = { 0, 1, 3, 7 } },
		{ T_REL(3), .avail = { 1, 2, 4, 8 } },
	};

	t_steps(test, t_res_new(test), steps, ARRAY_SIZE(steps));
}

/*
 * V1_8 A, B and C, then B goes: 32 + 288 MiB of low GM, 391 + 1962 MiB of
 * high GM and 3 + 19 fences are free, three V1_4 in total; but only two
 * fit, after C. A V1_8 fits in B's hole.
 */
static void mvgpu_res_fragmentation(struct kunit *test)
{
	static const struct t_step steps[] = {
		{ 3, 0, 128, 896, 4, { 0, 1, 3, 7 } },
		{ 3, 0, 160, 1287, 7, { 0, 1, 3, 6 } },
		{ 3, 0, 192, 1678, 10, { 0, 1, 2, 5 } },
		{ T_REL(1), .avail = { 0, 1, 2, 6 } },
		{ 3, 0, 160, 1287, 7, { 0, 1, 2, 5 } },
		{ T_REL(4), .avail = { 0, 1, 2, 6 } },
		{ 2, 0, 224, 2069, 13, { 0, 0, 1, 4 } },
		{ 2, 0, 288, 2852, 20, { 0, 0, 0, 2 } },
		{ 2, -ENOSPC, .avail = { 0, 0, 0, 2 } },
		{ T_REL(6), .avail = { 0, 0, 1, 4 } },
		{ T_REL(7), .avail = { 0, 1, 2, 6 } },
		/* 782 MiB of high GM before B's hole, one short of a V1_4 */
		{ T_REL(0), .avail = { 0, 1, 2, 7 } },
		{ T_REL(2), .avail = { 1, 2, 4, 8 } },
	};

	t_steps(test, t_res_new(test), steps, ARRAY_SIZE(steps));
}

static bool t_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

static bool t_disjoint(const struct mvgpu_alloc *a, const struct mvgpu_alloc *b)
{
	return !t_overlap(a->low_base, a->low_size, b->low_base, b->low_size) &&
	       !t_overlap(a->high_base, a->high_size, b->high_base, b->high_size) &&
	       !t_overlap(a->fence_base, a->fence_count, b->fence_base, b->fence_count);
}

/* Within what the host left, and sized as the type says. */
static bool t_fits(const struct mvgpu_alloc *a, const struct mvgpu_type_res *t,
		   const struct pgpu_info *info)
{
	return a->low_size == t->low && a->high_size == t->high &&
	       a->fence_count == t->fences && IS_ALIGNED(a->low_base | a->high_base, SZ_1M) &&
	       a->low_base >= MVGPU_HOST_LOW && a->low_base + a->low_size <= info->aperture_size &&
	       a->high_base >= info->aperture_size + MVGPU_HOST_HIGH &&
	       a->high_base + a->high_size <= info->gm_size &&
	       a->fence_base >= MVGPU_HOST_FENCES &&
	       a->fence_base + a->fence_count <= info->nr_fences;
}

static bool t_space_eq(const struct mvgpu_space *a, const struct mvgpu_space *b)
{
	return a->nr_used == b->nr_used &&
	       !memcmp(a->used, b->used, a->nr_used * sizeof(a->used[0]));
}

/* Reserve one type until it fails, checking every reservation. */
static void t_fill(struct kunit *test, const struct mvgpu_type_res *t, unsigned int expect)
{
	struct t_res *r = t_res_new(test);
	struct mvgpu_alloc *a;
	struct mvgpu_res *before;
	unsigned int n, i, avail;
	int ret;

	a = kunit_kcalloc(test, MVGPU_MAX_VGPUS + 1, sizeof(*a), GFP_KERNEL);
	before = kunit_kzalloc(test, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, before);
	for (n = 0; n <= MVGPU_MAX_VGPUS; n++) {
		avail = mvgpu_res_available(&r->res, t);
		*before = r->res;
		ret = mvgpu_res_reserve(&r->res, t, &a[n]);
		if (!avail) {
			/* all or nothing: a failure leaves every resource as it was */
			KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
			KUNIT_EXPECT_TRUE(test, t_space_eq(&r->res.low, &before->low));
			KUNIT_EXPECT_TRUE(test, t_space_eq(&r->res.high, &before->high));
			KUNIT_EXPECT_TRUE(test, t_space_eq(&r->res.fence, &before->fence));
			break;
		}
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "vGPU %u of %u", n, avail);
		KUNIT_EXPECT_EQ(test, mvgpu_res_available(&r->res, t), avail - 1);
		KUNIT_EXPECT_TRUE_MSG(test, t_fits(&a[n], t, r->info), "vGPU %u", n);
		for (i = 0; i < n; i++)
			KUNIT_EXPECT_TRUE_MSG(test, t_disjoint(&a[i], &a[n]), "vGPUs %u, %u", i, n);
	}
	KUNIT_EXPECT_EQ(test, n, expect);
	/* give them back, every other one first */
	for (i = 0; i < n; i += 2)
		mvgpu_res_release(&r->res, &a[i]);
	for (i = 1; i < n; i += 2)
		mvgpu_res_release(&r->res, &a[i]);
	KUNIT_EXPECT_EQ(test, mvgpu_res_available(&r->res, t), expect);
	KUNIT_EXPECT_EQ(test, r->res.low.nr_used + r->res.high.nr_used + r->res.fence.nr_used, 0);
}

static void mvgpu_res_fill(struct kunit *test)
{
	/* types that run out of fences, or high GM, while low GM is left */
	static const struct mvgpu_type_res fence_hungry = { SZ_1M, SZ_1M, 10, 1, 640, 480 };
	static const struct mvgpu_type_res high_hungry = { SZ_1M, T_MIB(2000), 1, 1, 640, 480 };
	const struct mvgpu_type_res *types = t_types_cases[0].types;
	unsigned int i;

	for (i = 0; i < MVGPU_MAX_TYPES; i++)
		t_fill(test, &types[i], t_initial[i]);
	t_fill(test, &fence_hungry, 2);
	t_fill(test, &high_hungry, 1);
}

/* ---- PCI config space: one write, then its register and the rest ---- */

struct t_cfg_case {
	const char *desc;
	u8 off;
	u8 size;
	u32 preset;	/* bits set before the write, as the device would */
	u32 val;
	u32 expect;
	bool flr;
	u64 bar2_size;	/* 0: 256 MiB */
};

#define T_STATUS_ERR	(PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |		\
			 PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |	\
			 PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY)

static const struct t_cfg_case t_cfg_cases[] = {
	{ "vendor ID", PCI_VENDOR_ID, 2, 0, 0xffff, MVGPU_PCI_VENDOR_ID },
	{ "device ID", PCI_DEVICE_ID, 2, 0, 0xffff, MVGPU_PCI_DEVICE_ID },
	{ "class, revision 1", PCI_CLASS_REVISION, 4, 0, ~0U, MVGPU_PCI_CLASS << 8 | 1 },
	{ "subsystem IDs", PCI_SUBSYSTEM_VENDOR_ID, 4, 0, ~0U, 1 << 16 | MVGPU_PCI_VENDOR_ID },
	{ "capability pointer", PCI_CAPABILITY_LIST, 1, 0, 0, 0x40 },
	{ "interrupt pin", PCI_INTERRUPT_PIN, 1, 0, 0xff, 1 },
	{ "command: writable bits", PCI_COMMAND, 2, 0, 0xffff,
	  PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
	  PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE },
	{ "status: a write sets nothing", PCI_STATUS, 2, 0, 0xffff, PCI_STATUS_CAP_LIST },
	{ "status: 0 clears nothing", PCI_STATUS, 2, T_STATUS_ERR | PCI_STATUS_INTERRUPT, 0,
	  T_STATUS_ERR | PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST },
	{ "status: write 1 to clear", PCI_STATUS, 2, T_STATUS_ERR | PCI_STATUS_INTERRUPT,
	  PCI_STATUS_PARITY | PCI_STATUS_REC_MASTER_ABORT,
	  (T_STATUS_ERR & ~(PCI_STATUS_PARITY | PCI_STATUS_REC_MASTER_ABORT)) |
	  PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST },
	{ "status: INTx is read-only", PCI_STATUS, 2, T_STATUS_ERR | PCI_STATUS_INTERRUPT, 0xffff,
	  PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST },
	{ "BAR0: sizing 16 MiB", PCI_BASE_ADDRESS_0, 4, 0, ~0U, 0xff000004 },
	{ "BAR0: sizing, upper", PCI_BASE_ADDRESS_1, 4, 0, ~0U, ~0U },
	{ "BAR0: address", PCI_BASE_ADDRESS_0, 4, 0, 0xfe123450, 0xfe000004 },
	{ "BAR2: sizing 256 MiB", PCI_BASE_ADDRESS_2, 4, 0, ~0U, 0xf000000c },
	{ "BAR2: sizing, upper", PCI_BASE_ADDRESS_3, 4, 0, ~0U, ~0U },
	{ "BAR2: sizing 8 GiB", PCI_BASE_ADDRESS_2, 4, 0, ~0U, 0xc, false, 8ULL * SZ_1G },
	{ "BAR2: 8 GiB, upper", PCI_BASE_ADDRESS_3, 4, 0, ~0U, 0xfffffffe, false, 8ULL * SZ_1G },
	{ "BAR4: sizing 8 bytes of I/O", PCI_BASE_ADDRESS_4, 4, 0, ~0U, 0xfffffff9 },
	{ "BAR4: address", PCI_BASE_ADDRESS_4, 4, 0, 0xc00f, 0xc009 },
	{ "expansion ROM: none", PCI_ROM_ADDRESS, 4, 0, ~0U, 0 },
	{ "PM: power state", 0x40 + PCI_PM_CTRL, 2, 0, 0xffff,
	  PCI_PM_CTRL_NO_SOFT_RESET | PCI_PM_CTRL_STATE_MASK },
	{ "MSI: enable; 64-bit is read-only", 0x50 + PCI_MSI_FLAGS, 2, 0, 0xffff,
	  PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_ENABLE },
	{ "MSI: disable", 0x50 + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE, 0, PCI_MSI_FLAGS_64BIT },
	{ "MSI: address", 0x50 + PCI_MSI_ADDRESS_LO, 4, 0, ~0U, 0xfffffffc },
	{ "MSI: data", 0x50 + PCI_MSI_DATA_64, 4, 0, ~0U, 0xffff },
	{ "AF: length, TP and FLR", 0x60 + PCI_AF_LENGTH, 2, 0, 0xffff,
	  (PCI_AF_CAP_TP | PCI_AF_CAP_FLR) << 8 | 6 },
	{ "AF: FLR does not stick", 0x60 + PCI_AF_CTRL, 1, 0, PCI_AF_CTRL_FLR, 0, true },
	{ "AF: FLR with every bit", 0x60 + PCI_AF_CTRL, 1, 0, 0xff, 0, true },
	{ "AF: other control bits", 0x60 + PCI_AF_CTRL, 1, 0, 0xfe, 0 },
	{ "AF: FLR in a wider write", 0x60 + PCI_AF_CAP, 2, 0, PCI_AF_CTRL_FLR << 8,
	  (PCI_AF_CAP_TP | PCI_AF_CAP_FLR), true },
	{ "AF: FLR bit in status", 0x60 + PCI_AF_STATUS, 1, 0, PCI_AF_CTRL_FLR, 0 },
};

KUNIT_ARRAY_PARAM_DESC(t_cfg, t_cfg_cases, desc);

static void mvgpu_cfg_write_one(struct kunit *test)
{
	const struct t_cfg_case *c = test->param_value;
	struct mvgpu_vpci_cfg *cfg = kunit_kmalloc(test, sizeof(*cfg), GFP_KERNEL);
	u8 before[PCI_CFG_SPACE_SIZE], bytes[4];
	unsigned int i;
	u32 val = 0;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	memset(cfg, 0xa5, sizeof(*cfg));
	mvgpu_cfg_init(cfg, SZ_16M, c->bar2_size ?: SZ_256M);
	for (i = 0; i < c->size; i++)
		cfg->data[c->off + i] |= c->preset >> (8 * i);
	memcpy(before, cfg->data, sizeof(before));
	for (i = 0; i < c->size; i++)
		bytes[i] = c->val >> (8 * i);
	/* one access, as through the config region */
	KUNIT_EXPECT_EQ(test, mvgpu_cfg_flr(c->off, bytes, c->size), c->flr);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, c->off, bytes, c->size, true), 0);
	for (i = c->size; i--;)
		val = val << 8 | cfg->data[c->off + i];
	KUNIT_EXPECT_EQ(test, val, c->expect);
	for (i = 0; i < PCI_CFG_SPACE_SIZE; i++)
		if ((i < c->off || i >= c->off + c->size) && cfg->data[i] != before[i])
			KUNIT_FAIL(test, "byte %#x changed from %#x to %#x", i, before[i],
				   cfg->data[i]);
}

static void mvgpu_cfg_capabilities(struct kunit *test)
{
	static const u8 chain[][2] = {
		{ 0x40, PCI_CAP_ID_PM }, { 0x50, PCI_CAP_ID_MSI }, { 0x60, PCI_CAP_ID_AF },
	};
	struct mvgpu_vpci_cfg *cfg = kunit_kmalloc(test, sizeof(*cfg), GFP_KERNEL);
	unsigned int i, pos;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	mvgpu_cfg_init(cfg, SZ_16M, SZ_256M);
	KUNIT_EXPECT_TRUE(test, cfg->data[PCI_STATUS] & PCI_STATUS_CAP_LIST);
	pos = cfg->data[PCI_CAPABILITY_LIST];
	for (i = 0; i < ARRAY_SIZE(chain); i++) {
		KUNIT_ASSERT_EQ(test, pos, chain[i][0]);
		KUNIT_EXPECT_EQ(test, cfg->data[pos + PCI_CAP_LIST_ID], chain[i][1]);
		pos = cfg->data[pos + PCI_CAP_LIST_NEXT];
	}
	KUNIT_EXPECT_EQ(test, pos, 0);
}

/*
 * ---- MMIO: the 3rd type on a fake GPU shaped like a 1 GiB simgpu (65 MiB
 * of its GM kept for simgpu's own runner), after another vGPU ----
 */

struct t_mmio {
	struct mvgpu_vgpu vgpu;
	struct mvgpu_fake_gpu *fake;
	struct pgpu *gpu;
	struct pgpu_info info;
	struct mvgpu_res res;
	struct mvgpu_type_res types[MVGPU_MAX_TYPES];
	struct mvgpu_alloc other;
	unsigned int irq_updates;
	bool line;	/* mvgpu_irq_pending() when update_irq was called */
	u64 now;	/* the display's fake clock */
	u64 timer_at;	/* what the model last asked of its timer */
	unsigned int timer_calls;
};

static void t_update_irq(struct mvgpu_vgpu *vgpu)
{
	struct t_mmio *m = container_of(vgpu, struct t_mmio, vgpu);

	m->irq_updates++;
	m->line = mvgpu_irq_pending(vgpu);
}

static u64 t_now(struct mvgpu_vgpu *vgpu)
{
	return container_of(vgpu, struct t_mmio, vgpu)->now;
}

static void t_display_timer(struct mvgpu_vgpu *vgpu, u64 at_ns)
{
	struct t_mmio *m = container_of(vgpu, struct t_mmio, vgpu);

	m->timer_at = at_ns;
	m->timer_calls++;
}

static const struct mvgpu_vgpu_ops t_mmio_ops = {
	.update_irq = t_update_irq,
	.now = t_now,
	.display_timer = t_display_timer,
};

static int t_mmio_init(struct kunit *test)
{
	static const struct mvgpu_alloc want = {
		T_MIB(160), T_MIB(32), T_MIB(256 + 384 + 79), T_MIB(79), 7, 3,
	};
	struct t_mmio *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct mvgpu_vgpu *v;
	unsigned int nr;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->fake = mvgpu_fake_create(T_MIB(1024 - 65), SZ_256M, 16, MVGPU_NUM_ENGINES);
	KUNIT_ASSERT_NOT_NULL(test, m->fake);
	m->gpu = &m->fake->base;
	test->priv = m;
	v = &m->vgpu;
	pgpu_get_info(m->gpu, &m->info);
	KUNIT_ASSERT_EQ(test, mvgpu_types_init(&m->info, m->types, &nr), 0);
	KUNIT_ASSERT_EQ(test, mvgpu_res_init(&m->res, &m->info), 0);
	KUNIT_ASSERT_EQ(test, mvgpu_res_reserve(&m->res, &m->types[2], &m->other), 0);
	KUNIT_ASSERT_EQ(test, mvgpu_res_reserve(&m->res, &m->types[2], &v->alloc), 0);
	/* the share PVINFO must show, computed by hand */
	KUNIT_ASSERT_MEMEQ(test, &v->alloc, &want, sizeof(want));
	v->gpu = m->gpu;
	v->id = 3;
	v->type = &m->types[2];
	v->fences = kunit_kcalloc(test, v->alloc.fence_count, sizeof(*v->fences), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v->fences);
	v->ops = &t_mmio_ops;
	mvgpu_mmio_reset(v);
	mvgpu_display_monitor_reset(v);
	mvgpu_display_reset(v);
	return 0;
}

static void t_mmio_exit(struct kunit *test)
{
	struct t_mmio *m = test->priv;

	if (m)
		mvgpu_fake_destroy(m->fake);
}

static u64 t_rd(struct kunit *test, u64 off, unsigned int len)
{
	struct t_mmio *m = test->priv;
	__le64 buf = 0;

	KUNIT_ASSERT_EQ_MSG(test, mvgpu_mmio_read(&m->vgpu, off, &buf, len), 0,
			    "read %u at %#llx", len, off);
	return le64_to_cpu(buf);
}

static void t_wr(struct kunit *test, u64 off, unsigned int len, u64 val)
{
	struct t_mmio *m = test->priv;
	__le64 buf = cpu_to_le64(val);

	KUNIT_ASSERT_EQ_MSG(test, mvgpu_mmio_write(&m->vgpu, off, &buf, len), 0,
			    "write %u at %#llx", len, off);
}

struct t_pv_case {
	const char *desc;
	u32 field;
	unsigned int len;
	u64 val;
};

static const struct t_pv_case t_pv_cases[] = {
	{ "magic", MVGPU_PVINFO_MAGIC, 8, MVGPU_MAGIC },
	{ "magic, low half", MVGPU_PVINFO_MAGIC, 4, 0x7067766d },
	{ "magic, high half", MVGPU_PVINFO_MAGIC + 4, 4, 0x75 },
	{ "magic, 2nd byte", MVGPU_PVINFO_MAGIC + 1, 1, 'v' },
	{ "version", MVGPU_PVINFO_VERSION, 4, 1 << 16 | 1 },
	{ "version, minor", MVGPU_PVINFO_VERSION + 2, 2, MVGPU_VERSION_MINOR },
	{ "vGPU ID", MVGPU_PVINFO_VGPU_ID, 4, 3 },
	{ "low GM base", MVGPU_PVINFO_LOW_GM_BASE, 8, T_MIB(160) },
	{ "low GM size", MVGPU_PVINFO_LOW_GM_SIZE, 8, T_MIB(32) },
	{ "high GM base", MVGPU_PVINFO_HIGH_GM_BASE, 8, T_MIB(719) },
	{ "high GM base, high half", MVGPU_PVINFO_HIGH_GM_BASE + 4, 4, 0 },
	{ "high GM size", MVGPU_PVINFO_HIGH_GM_SIZE, 8, T_MIB(79) },
	{ "fence base", MVGPU_PVINFO_FENCE_BASE, 4, 7 },
	{ "fence count", MVGPU_PVINFO_FENCE_COUNT, 4, 3 },
	{ "fence base and count", MVGPU_PVINFO_FENCE_BASE, 8, 3ULL << 32 | 7 },
	{ "width", MVGPU_PVINFO_XRES, 4, 1920 },
	{ "height", MVGPU_PVINFO_YRES, 4, 1200 },
	{ "GM size", MVGPU_PVINFO_GM_SIZE, 8, T_MIB(1024 - 65) },
	{ "G2V notify reads 0", MVGPU_PVINFO_G2V_NOTIFY, 4, 0 },
	{ "G2V count", MVGPU_PVINFO_G2V_COUNT, 4, 0 },
	{ "reserved", 0x50, 4, 0 },
	{ "end of the page", 0xff8, 8, 0 },
};

KUNIT_ARRAY_PARAM_DESC(t_pv, t_pv_cases, desc);

/* Each PVINFO field reads as expected, and ignores (and counts) writes. */
static void mvgpu_mmio_pvinfo(struct kunit *test)
{
	const struct t_pv_case *c = test->param_value;
	struct t_mmio *m = test->priv;
	const struct mvgpu_counters *n = &m->vgpu.counters;

	KUNIT_EXPECT_EQ(test, t_rd(test, T_PV(c->field), c->len), c->val);
	t_wr(test, T_PV(c->field), c->len, ~0ULL);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_PV(c->field), c->len), c->val);
	KUNIT_EXPECT_EQ(test, n->unknown_writes, c->len == 8 ? 2 : 1);
	KUNIT_EXPECT_EQ(test, n->unknown_reads, 0);
	KUNIT_EXPECT_EQ(test, n->mmio_reads, 2);
	KUNIT_EXPECT_EQ(test, n->mmio_writes, 1);
	KUNIT_EXPECT_EQ(test, n->g2v, 0);
	KUNIT_EXPECT_EQ(test, m->irq_updates, 0);
}

static void mvgpu_mmio_g2v(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	const struct mvgpu_counters *n = &m->vgpu.counters;

	t_wr(test, MVGPU_REG_IER, 4, MVGPU_IRQ_G2V_ACK);
	t_wr(test, MVGPU_REG_IMR, 4, 0);
	KUNIT_EXPECT_FALSE(test, m->line);
	t_wr(test, T_PV(MVGPU_PVINFO_G2V_NOTIFY), 4, MVGPU_G2V_PING);
	KUNIT_EXPECT_EQ(test, n->g2v, 1);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4), MVGPU_IRQ_G2V_ACK);
	KUNIT_EXPECT_EQ(test, m->irq_updates, 3);
	KUNIT_EXPECT_TRUE(test, m->line);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_PV(MVGPU_PVINFO_G2V_COUNT), 4), 1);
	t_wr(test, MVGPU_REG_IIR, 4, MVGPU_IRQ_G2V_ACK);
	KUNIT_EXPECT_FALSE(test, m->line);
	t_wr(test, T_PV(MVGPU_PVINFO_G2V_NOTIFY), 1, MVGPU_G2V_PING);
	KUNIT_EXPECT_EQ(test, n->g2v, 2);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_PV(MVGPU_PVINFO_G2V_COUNT), 4), 2);
	KUNIT_EXPECT_TRUE(test, m->line);
	/* an unknown notification is counted and ignored */
	t_wr(test, MVGPU_REG_IIR, 4, ~0U);
	t_wr(test, T_PV(MVGPU_PVINFO_G2V_NOTIFY), 4, MVGPU_G2V_PING + 1);
	KUNIT_EXPECT_EQ(test, n->g2v, 2);
	KUNIT_EXPECT_EQ(test, n->unknown_writes, 1);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4), 0);
	KUNIT_EXPECT_EQ(test, m->irq_updates, 6);
}

/* A script of accesses: write, read and expect, or raise events. */
enum { T_W, T_R, T_RAISE };

struct t_op {
	u8 op;
	u8 len;
	u32 off;
	u64 val;
};

static const struct t_op t_irq_script[] = {
	{ T_RAISE, 0, 0, MVGPU_IRQ_RENDER_COMPLETE | MVGPU_IRQ_USER | MVGPU_IRQ_G2V_ACK |
			 BIT(10) | BIT(31) },
	{ T_R, 4, MVGPU_REG_IIR, 0x45 },
	/* write 1 to clear: a 0 clears nothing, and nothing is ever set */
	{ T_W, 4, MVGPU_REG_IIR, 0 },
	{ T_R, 4, MVGPU_REG_IIR, 0x45 },
	{ T_W, 4, MVGPU_REG_IIR, MVGPU_IRQ_USER | MVGPU_IRQ_COPY_COMPLETE },
	{ T_R, 4, MVGPU_REG_IIR, 0x41 },
	/* narrow writes clear only their own ones */
	{ T_RAISE, 0, 0, MVGPU_IRQ_USER },
	{ T_W, 1, MVGPU_REG_IIR, MVGPU_IRQ_USER },
	{ T_R, 4, MVGPU_REG_IIR, 0x41 },
	{ T_W, 1, MVGPU_REG_IIR + 1, 0xff },
	{ T_W, 2, MVGPU_REG_IIR + 2, 0xffff },
	{ T_R, 4, MVGPU_REG_IIR, 0x41 },
	{ T_W, 2, MVGPU_REG_IIR, MVGPU_IRQ_G2V_ACK },
	{ T_R, 4, MVGPU_REG_IIR, MVGPU_IRQ_RENDER_COMPLETE },
	{ T_W, 4, MVGPU_REG_IIR, ~0U },
	{ T_R, 4, MVGPU_REG_IIR, 0 },
	/* IMR and IER keep the defined bits; narrow writes merge */
	{ T_W, 4, MVGPU_REG_IMR, 0xfffffc81 },
	{ T_W, 4, MVGPU_REG_IER, ~0U },
	{ T_R, 4, MVGPU_REG_IMR, 0x81 },
	{ T_R, 4, MVGPU_REG_IER, MVGPU_IRQ_ALL },
	{ T_W, 1, MVGPU_REG_IMR, 0x3c },
	{ T_W, 1, MVGPU_REG_IER + 1, 0 },
	{ T_R, 4, MVGPU_REG_IMR, 0x3c },
	{ T_R, 2, MVGPU_REG_IER, MVGPU_IRQ_ALL & 0xff },
	/* 8 bytes are two registers: IIR and IMR */
	{ T_RAISE, 0, 0, MVGPU_IRQ_USER | MVGPU_IRQ_COPY_COMPLETE },
	{ T_W, 8, MVGPU_REG_IIR, 0x55ULL << 32 | MVGPU_IRQ_COPY_COMPLETE },
	{ T_R, 8, MVGPU_REG_IIR, 0x55ULL << 32 | MVGPU_IRQ_USER },
	{ T_R, 1, MVGPU_REG_IMR, 0x55 },
};

static void mvgpu_mmio_irq_regs(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	const struct t_op *o;

	for (o = t_irq_script; o < t_irq_script + ARRAY_SIZE(t_irq_script); o++) {
		if (o->op == T_W)
			t_wr(test, o->off, o->len, o->val);
		else if (o->op == T_RAISE)
			mvgpu_raise(&m->vgpu, o->val);
		else
			KUNIT_EXPECT_EQ_MSG(test, t_rd(test, o->off, o->len), o->val, "step %td",
					    o - t_irq_script);
	}
	/* the hook ran for every event and every interrupt register write */
	KUNIT_EXPECT_EQ(test, m->irq_updates, 16);
	KUNIT_EXPECT_EQ(test, m->vgpu.counters.unknown_writes, 0);
	KUNIT_EXPECT_EQ(test, m->vgpu.counters.unknown_reads, 0);
}

struct t_irq_case {
	const char *desc;
	u32 iir, ier, imr;
	bool pending;
};

static const struct t_irq_case t_irq_cases[] = {
	{ "nothing pending", 0, MVGPU_IRQ_ALL, 0, false },
	{ "pending, enabled, unmasked", MVGPU_IRQ_USER, MVGPU_IRQ_USER, 0, true },
	{ "pending but masked", MVGPU_IRQ_USER, MVGPU_IRQ_USER, MVGPU_IRQ_USER, false },
	{ "pending but disabled", MVGPU_IRQ_USER, 0, 0, false },
	{ "another event enabled", MVGPU_IRQ_USER, MVGPU_IRQ_FAULT, 0, false },
	{ "one of two masked", MVGPU_IRQ_USER | MVGPU_IRQ_HANG, MVGPU_IRQ_ALL, MVGPU_IRQ_USER,
	  true },
	{ "all masked", MVGPU_IRQ_ALL, MVGPU_IRQ_ALL, MVGPU_IRQ_ALL, false },
	{ "G2V_ACK alone unmasked", MVGPU_IRQ_ALL, MVGPU_IRQ_ALL,
	  MVGPU_IRQ_ALL & ~MVGPU_IRQ_G2V_ACK, true },
	{ "power-on masks", MVGPU_IRQ_ALL, 0, MVGPU_IRQ_ALL, false },
};

KUNIT_ARRAY_PARAM_DESC(t_irq, t_irq_cases, desc);

static void mvgpu_mmio_irq_pending(struct kunit *test)
{
	const struct t_irq_case *c = test->param_value;
	struct t_mmio *m = test->priv;

	t_wr(test, MVGPU_REG_IMR, 4, c->imr);
	t_wr(test, MVGPU_REG_IER, 4, c->ier);
	mvgpu_raise(&m->vgpu, c->iir);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4), c->iir);
	KUNIT_EXPECT_EQ(test, mvgpu_irq_pending(&m->vgpu), c->pending);
	KUNIT_EXPECT_EQ(test, m->line, c->pending);
}

static void mvgpu_mmio_unknown(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	const struct mvgpu_counters *n = &m->vgpu.counters;

	KUNIT_EXPECT_EQ(test, t_rd(test, 0, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IER + 4, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_MMIO_SIZE - 1, 1), 0);
	KUNIT_EXPECT_EQ(test, n->unknown_reads, 3);
	t_wr(test, 0, 4, ~0U);
	KUNIT_EXPECT_EQ(test, t_rd(test, 0, 4), 0);
	/* a narrow write merges into the register, but the guest read nothing */
	t_wr(test, MVGPU_REG_IER + 5, 1, 0xff);
	t_wr(test, MVGPU_MMIO_SIZE - 8, 8, ~0ULL);
	KUNIT_EXPECT_EQ(test, n->unknown_writes, 4);
	KUNIT_EXPECT_EQ(test, n->unknown_reads, 4);
	KUNIT_EXPECT_EQ(test, n->mmio_reads, 4);
	KUNIT_EXPECT_EQ(test, n->mmio_writes, 3);
}

struct t_access_case {
	const char *desc;
	u64 off;
	unsigned int len;
	int ret;
};

static const struct t_access_case t_access_cases[] = {
	{ "1 byte", MVGPU_REG_IMR + 3, 1, 0 },
	{ "2 bytes", MVGPU_REG_IMR + 2, 2, 0 },
	{ "4 bytes", MVGPU_REG_IMR, 4, 0 },
	{ "8 bytes", MVGPU_REG_IER, 8, 0 },
	{ "last dword", MVGPU_MMIO_SIZE - 4, 4, 0 },
	{ "last qword", MVGPU_MMIO_SIZE - 8, 8, 0 },
	{ "misaligned 2 bytes", MVGPU_REG_IMR + 1, 2, -EINVAL },
	{ "misaligned 4 bytes", MVGPU_REG_IMR + 2, 4, -EINVAL },
	{ "misaligned 8 bytes", MVGPU_REG_IMR, 8, -EINVAL },
	{ "0 bytes", MVGPU_REG_IMR, 0, -EINVAL },
	{ "3 bytes", MVGPU_REG_IMR, 3, -EINVAL },
	{ "16 bytes", MVGPU_REG_IIR, 16, -EINVAL },
	{ "at the end", MVGPU_MMIO_SIZE, 4, -EINVAL },
	{ "in the GTT", MVGPU_GTT_OFFSET + 8, 8, -EINVAL },
	{ "IMR + 4 GiB", MVGPU_REG_IMR + SZ_4G, 4, -EINVAL },
	{ "offset wraps around", ~3ULL, 4, -EINVAL },
	{ "8 bytes wrap around", ~7ULL, 8, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(t_access, t_access_cases, desc);

static void mvgpu_mmio_access(struct kunit *test)
{
	const struct t_access_case *c = test->param_value;
	struct t_mmio *m = test->priv;
	struct mvgpu_vgpu *v = &m->vgpu;
	u8 buf[16], ones[16];

	memset(buf, 0x5a, sizeof(buf));
	memset(ones, 0xff, sizeof(ones));
	KUNIT_EXPECT_EQ(test, mvgpu_mmio_read(v, c->off, buf, c->len), c->ret);
	KUNIT_EXPECT_EQ(test, v->counters.mmio_reads, c->ret ? 0 : 1);
	if (c->ret)
		KUNIT_EXPECT_EQ(test, buf[0], 0x5a);
	else if (c->off - MVGPU_REG_IMR < 4)	/* IMR is all masked */
		KUNIT_EXPECT_EQ(test, buf[0], (u8)(MVGPU_IRQ_ALL >> (8 * (c->off & 3))));
	KUNIT_EXPECT_EQ(test, mvgpu_mmio_write(v, c->off, ones, c->len), c->ret);
	KUNIT_EXPECT_EQ(test, v->counters.mmio_writes, c->ret ? 0 : 1);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, v->imr, MVGPU_IRQ_ALL);
		KUNIT_EXPECT_EQ(test, v->ier, 0);
		KUNIT_EXPECT_EQ(test, v->counters.unknown_reads + v->counters.unknown_writes, 0);
		KUNIT_EXPECT_EQ(test, m->irq_updates, 0);
	}
}

/* ---- fences: the vGPU's are 0-2, physical 7-9 ---- */

static void t_expect_phys(struct kunit *test, u32 n, const struct pgpu_fence *want)
{
	struct t_mmio *m = test->priv;
	struct pgpu_fence f;

	memset(&f, 0xa5, sizeof(f));
	KUNIT_ASSERT_EQ(test, pgpu_fence_read(m->gpu, n, &f), 0);
	KUNIT_EXPECT_EQ_MSG(test, f.start, want->start, "fence %u", n);
	KUNIT_EXPECT_EQ_MSG(test, f.end, want->end, "fence %u", n);
	KUNIT_EXPECT_EQ_MSG(test, f.pitch, want->pitch, "fence %u", n);
	KUNIT_EXPECT_EQ_MSG(test, f.tiling, want->tiling, "fence %u", n);
}

/* Program the vGPU's fence @n: start and end by one 8-byte write. */
static void t_fence(struct kunit *test, u32 n, const struct pgpu_fence *f)
{
	t_wr(test, MVGPU_REG_FENCE(n), 8, (f->end >> 12) << 32 | f->start >> 12);
	t_wr(test, MVGPU_REG_FENCE(n) + MVGPU_FENCE_PITCH, 4, f->pitch);
	t_wr(test, MVGPU_REG_FENCE(n) + MVGPU_FENCE_TILING, 4, f->tiling);
}

enum { T_APPLIED, T_REFUSED, T_UNKNOWN };

struct t_fence_case {
	const char *desc;
	u32 n;
	struct pgpu_fence f;
	int result;
};

#define T_LOW	T_MIB(160)	/* the vGPU's low GM: 32 MiB */
#define T_HIGH	T_MIB(719)	/* its high GM: 79 MiB */

static const struct t_fence_case t_fence_cases[] = {
	{ "all of low GM", 0, { T_LOW, T_LOW + SZ_32M, 4096, PGPU_TILING_Y }, T_APPLIED },
	{ "in low GM", 1, { T_LOW + SZ_1M, T_LOW + SZ_2M, 512, PGPU_TILING_X }, T_APPLIED },
	{ "end of high GM", 2, { T_HIGH + T_MIB(77), T_HIGH + T_MIB(79), 128, PGPU_TILING_X },
	  T_APPLIED },
	{ "tiling none clears", 1, { 0, 0, 0, PGPU_TILING_NONE }, T_APPLIED },
	{ "another vGPU's low GM", 1, { SZ_128M, SZ_128M + SZ_1M, 512, PGPU_TILING_X },
	  T_REFUSED },
	{ "another vGPU's high GM", 1, { T_MIB(640), T_MIB(641), 512, PGPU_TILING_X },
	  T_REFUSED },
	{ "the host's GM", 0, { 0, SZ_1M, 512, PGPU_TILING_X }, T_REFUSED },
	{ "across the start of low GM", 0, { T_LOW - SZ_4K, T_LOW + SZ_4K, 512, PGPU_TILING_Y },
	  T_REFUSED },
	{ "across the end of low GM", 1, { T_LOW + T_MIB(31), T_LOW + T_MIB(33), 512,
					   PGPU_TILING_X }, T_REFUSED },
	{ "across the end of high GM", 2, { T_HIGH + T_MIB(79) - SZ_4K, T_HIGH + T_MIB(79) + SZ_4K,
					    512, PGPU_TILING_Y }, T_REFUSED },
	{ "from low to high GM", 2, { T_LOW, T_HIGH + SZ_1M, 512, PGPU_TILING_X }, T_REFUSED },
	{ "past GM", 2, { T_MIB(959), T_MIB(960), 512, PGPU_TILING_X }, T_REFUSED },
	{ "bad pitch", 1, { T_LOW, T_LOW + SZ_1M, 100, PGPU_TILING_X }, T_REFUSED },
	{ "bad tiling", 1, { T_LOW, T_LOW + SZ_1M, 512, 3 }, T_REFUSED },
	{ "empty", 1, { T_LOW + SZ_1M, T_LOW, 512, PGPU_TILING_X }, T_REFUSED },
	{ "fence 3: past the count", 3, { T_LOW, T_LOW + SZ_1M, 512, PGPU_TILING_X }, T_UNKNOWN },
	{ "fence 63", 63, { T_LOW, T_LOW + SZ_1M, 512, PGPU_TILING_X }, T_UNKNOWN },
	{ "fence 64", 64, { T_LOW, T_LOW + SZ_1M, 512, PGPU_TILING_X }, T_UNKNOWN },
};

KUNIT_ARRAY_PARAM_DESC(t_fence, t_fence_cases, desc);

static void mvgpu_mmio_fence(struct kunit *test)
{
	static const struct pgpu_fence none, first = {
		T_HIGH, T_HIGH + SZ_1M, 256, PGPU_TILING_Y,
	};
	const struct t_fence_case *c = test->param_value;
	struct t_mmio *m = test->priv;
	const struct mvgpu_counters *cnt = &m->vgpu.counters;
	const struct pgpu_fence *f = &c->f;
	unsigned int i;

	/* a fence applied before, which a refused one must take away */
	if (c->result != T_UNKNOWN) {
		t_fence(test, c->n, &first);
		t_expect_phys(test, 7 + c->n, &first);
	}
	t_fence(test, c->n, f);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_FENCE(c->n) + MVGPU_FENCE_TILING, 4),
			c->result == T_APPLIED ? f->tiling : 0);
	if (c->result == T_APPLIED)
		KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_FENCE(c->n), 8),
				(f->end >> 12) << 32 | f->start >> 12);
	KUNIT_EXPECT_EQ(test, cnt->bad_fences, c->result == T_REFUSED);
	KUNIT_EXPECT_EQ(test, cnt->unknown_writes, c->result == T_UNKNOWN ? 4 : 0);
	KUNIT_EXPECT_EQ(test, cnt->unknown_reads, c->result == T_UNKNOWN ? 1 : 0);
	/* the physical fence has it or nothing; no other fence changed */
	for (i = 0; i < m->info.nr_fences; i++)
		t_expect_phys(test, i, i == 7 + c->n && c->result == T_APPLIED ? f : &none);
}

static void mvgpu_mmio_reset_state(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	const struct mvgpu_alloc *a = &m->vgpu.alloc;
	static const struct pgpu_fence none, other = {
		SZ_128M, SZ_128M + SZ_1M, 512, PGPU_TILING_X,
	};
	struct pgpu_fence f = { T_HIGH, T_HIGH + SZ_1M, 512, PGPU_TILING_Y };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pgpu_fence_write(m->gpu, m->other.fence_base, &other), 0);
	t_wr(test, MVGPU_REG_IMR, 4, 0);
	t_wr(test, MVGPU_REG_IER, 4, MVGPU_IRQ_ALL);
	mvgpu_raise(&m->vgpu, MVGPU_IRQ_ALL);
	for (i = 0; i < a->fence_count; i++) {
		t_fence(test, i, &f);
		t_expect_phys(test, a->fence_base + i, &f);
	}
	KUNIT_ASSERT_TRUE(test, mvgpu_irq_pending(&m->vgpu));

	mvgpu_mmio_reset(&m->vgpu);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 8), (u64)MVGPU_IRQ_ALL << 32);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IER, 4), 0);
	KUNIT_EXPECT_FALSE(test, mvgpu_irq_pending(&m->vgpu));
	for (i = 0; i < a->fence_count; i++) {
		KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_FENCE(i), 8), 0);
		KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_FENCE(i) + 8, 8), 0);
		t_expect_phys(test, a->fence_base + i, &none);
	}
	/* another vGPU's fence is none of its business */
	t_expect_phys(test, m->other.fence_base, &other);
}

static struct kunit_case mvgpu_res_cases[] = {
	KUNIT_CASE_PARAM(mvgpu_types_table, t_types_gen_params),
	KUNIT_CASE(mvgpu_res_empty),
	KUNIT_CASE(mvgpu_res_mixed_types),
	KUNIT_CASE(mvgpu_res_fill),
	KUNIT_CASE(mvgpu_res_fragmentation),
	{}
};

static struct kunit_suite mvgpu_res_suite = {
	.name = "mvgpu_res",
	.test_cases = mvgpu_res_cases,
};

static struct kunit_case mvgpu_cfg_cases[] = {
	KUNIT_CASE_PARAM(mvgpu_cfg_write_one, t_cfg_gen_params),
	KUNIT_CASE(mvgpu_cfg_capabilities),
	{}
};

static struct kunit_suite mvgpu_cfg_suite = {
	.name = "mvgpu_cfg",
	.test_cases = mvgpu_cfg_cases,
};

static struct kunit_case mvgpu_mmio_cases[] = {
	KUNIT_CASE_PARAM(mvgpu_mmio_pvinfo, t_pv_gen_params),
	KUNIT_CASE(mvgpu_mmio_g2v),
	KUNIT_CASE(mvgpu_mmio_irq_regs),
	KUNIT_CASE_PARAM(mvgpu_mmio_irq_pending, t_irq_gen_params),
	KUNIT_CASE(mvgpu_mmio_unknown),
	KUNIT_CASE_PARAM(mvgpu_mmio_access, t_access_gen_params),
	KUNIT_CASE_PARAM(mvgpu_mmio_fence, t_fence_gen_params),
	KUNIT_CASE(mvgpu_mmio_reset_state),
	{}
};

static struct kunit_suite mvgpu_mmio_suite = {
	.name = "mvgpu_mmio",
	.init = t_mmio_init,
	.exit = t_mmio_exit,
	.test_cases = mvgpu_mmio_cases,
};

/* ---- mvgpu_csb: the context status buffer's state machine ---- */

#define T_RUN	MVGPU_CSB_RUNNING
#define T_PRE	MVGPU_CSB_PREEMPTED
#define T_END	MVGPU_CSB_COMPLETE
#define T_ERR	MVGPU_CSB_ERROR
#define T_SUB	MVGPU_CSB_SUBMITTED

struct t_csb {
	const char *name;
	u32 state;
	u32 reported;
	u32 error;
	unsigned int n;
	u32 events[3];
};

static const struct t_csb t_csbs[] = {
	{ "queued, not run yet", T_SUB, T_SUB, 0, 0, {} },
	{ "started", T_SUB | T_RUN, T_SUB, 0, 1, { T_RUN } },
	{ "started, reported", T_SUB | T_RUN, T_SUB | T_RUN, 0, 0, {} },
	{ "ran and completed at once", T_SUB | T_RUN | T_END, T_SUB, 0, 2, { T_RUN, T_END } },
	{ "preempted, then completed", T_SUB | T_RUN | T_PRE | T_END, T_SUB | T_RUN, 0, 2,
	  { T_PRE, T_END } },
	{ "everything at once", T_SUB | T_RUN | T_PRE | T_END, T_SUB, 0, 3,
	  { T_RUN, T_PRE, T_END } },
	{ "hung after a preemption", T_SUB | T_RUN | T_PRE | T_ERR, T_SUB | T_RUN | T_PRE,
	  MVGPU_ERR_HANG, 1, { T_ERR | MVGPU_ERR_HANG << 8 } },
	{ "killed before it ran", T_SUB | T_ERR, T_SUB, MVGPU_ERR_FAULT, 1,
	  { T_ERR | MVGPU_ERR_FAULT << 8 } },
	{ "an error wins over complete", T_SUB | T_RUN | T_END | T_ERR, T_SUB | T_RUN,
	  MVGPU_ERR_EXEC, 1, { T_ERR | MVGPU_ERR_EXEC << 8 } },
	{ "all reported", T_SUB | T_RUN | T_END, T_SUB | T_RUN | T_END, 0, 0, {} },
};

static void t_csb_desc(const struct t_csb *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_csb, t_csbs, t_csb_desc);

static void mvgpu_csb_owed_events(struct kunit *test)
{
	const struct t_csb *t = test->param_value;
	u32 events[3] = { 0 };
	unsigned int i, n;

	n = mvgpu_csb_owed(t->state, t->reported, t->error, events);
	KUNIT_ASSERT_EQ(test, n, t->n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, events[i], t->events[i], "event %u", i);
}

/* Every order of reporting ends with the same entries, each once. */
static void mvgpu_csb_owed_once(struct kunit *test)
{
	static const u32 path[] = { T_SUB, T_RUN, T_PRE, T_END };
	u32 state = 0, reported = 0, events[3], seen = 0;
	unsigned int step, i, n;

	for (step = 0; step < ARRAY_SIZE(path); step++) {
		state |= path[step];
		n = mvgpu_csb_owed(state, reported, 0, events);
		for (i = 0; i < n; i++) {
			KUNIT_EXPECT_FALSE(test, seen & events[i]);
			KUNIT_EXPECT_TRUE(test, events[i] > (seen & ~T_SUB));
			seen |= events[i];
		}
		reported |= state;
	}
	KUNIT_EXPECT_EQ(test, seen, T_RUN | T_PRE | T_END);
}

static void mvgpu_csb_ring(struct kunit *test)
{
	struct mvgpu_vgpu_engine *ve = kunit_kzalloc(test, sizeof(*ve), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, ve);
	for (i = 0; i < MVGPU_CSB_ENTRIES + 8; i++)
		mvgpu_csb_push(ve, T_SUB, 1000 + i);
	KUNIT_EXPECT_EQ(test, ve->csb_count, MVGPU_CSB_ENTRIES + 8);
	/* the newest is at (count - 1) % entries; the oldest kept right after */
	KUNIT_EXPECT_EQ(test, ve->csb[(ve->csb_count - 1) % MVGPU_CSB_ENTRIES][1],
			1000 + MVGPU_CSB_ENTRIES + 7);
	KUNIT_EXPECT_EQ(test, ve->csb[ve->csb_count % MVGPU_CSB_ENTRIES][1], 1008);
	KUNIT_EXPECT_EQ(test, ve->csb[0][1], 1000 + MVGPU_CSB_ENTRIES);
	KUNIT_EXPECT_EQ(test, ve->csb[7][0], T_SUB);
}

static struct kunit_case mvgpu_csb_cases[] = {
	KUNIT_CASE_PARAM(mvgpu_csb_owed_events, t_csb_gen_params),
	KUNIT_CASE(mvgpu_csb_owed_once),
	KUNIT_CASE(mvgpu_csb_ring),
	{}
};

static struct kunit_suite mvgpu_csb_suite = {
	.name = "mvgpu_csb",
	.test_cases = mvgpu_csb_cases,
};

/*
 * ---- mvgpu_gtt and mvgpu_ppgtt: the pin cache, GTT shadowing and page
 * table shadows, on the mmio fixture's vGPU with pin hooks that pin from
 * a small fake guest memory and count every pin and unpin ----
 */

#define T_GFN0		0x100	/* the first guest page of the fake guest memory */
#define T_GPAGES	64
/* a guest's GTT or page table entry */
#define T_PTE(gfn)	(((u64)(gfn) << SIMGPU_PAGE_SHIFT) | SIMGPU_PTE_VALID)

struct t_guest {
	struct t_mmio m;
	struct page *pages[T_GPAGES];
	unsigned int pinned[T_GPAGES];	/* pin hook calls that succeeded */
	unsigned int unpinned[T_GPAGES];
	DECLARE_BITMAP(fail, T_GPAGES);	/* the pin hook refuses these */
	u64 race_gfn;	/* its first pin: "another thread" pins it meanwhile */
	u64 unmap_at;	/* its first pin: unmap_gfn leaves the guest's memory map */
	u64 unmap_gfn;
	bool reset_on_pin;	/* the first pin: a reset happens meanwhile */
};

static struct t_guest *t_guest_of(struct mvgpu_vgpu *vgpu)
{
	return container_of(vgpu, struct t_guest, m.vgpu);
}

static int t_pin(struct mvgpu_vgpu *vgpu, u64 gfn, struct page **page)
{
	struct t_guest *g = t_guest_of(vgpu);
	u64 i = gfn - T_GFN0;

	if (gfn < T_GFN0 || i >= T_GPAGES || test_bit(i, g->fail))
		return -EFAULT;
	/* what a concurrent thread can do while the glue's lock is dropped */
	if (g->race_gfn == gfn) {
		g->race_gfn = 0;
		KUNIT_EXPECT_NOT_NULL(kunit_get_current_test(), mvgpu_pin_get(vgpu, gfn));
	}
	if (g->unmap_at == gfn) {
		g->unmap_at = 0;
		mvgpu_ppgtt_unmap_gfns(vgpu, g->unmap_gfn, 1);
	}
	if (g->reset_on_pin) {
		g->reset_on_pin = false;
		vgpu->reset_seq++;
	}
	g->pinned[i]++;
	*page = g->pages[i];
	return 0;
}

static void t_unpin(struct mvgpu_vgpu *vgpu, u64 gfn)
{
	struct t_guest *g = t_guest_of(vgpu);

	g->unpinned[gfn - T_GFN0]++;
}

static const struct mvgpu_vgpu_ops t_guest_ops = {
	.update_irq = t_update_irq,
	.pin = t_pin,
	.unpin = t_unpin,
};

static int t_guest_init(struct kunit *test)
{
	struct t_guest *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	struct mvgpu_vgpu *v;
	unsigned int i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, g);
	/* the mmio fixture, in place: its vGPU is the first member of ours */
	ret = t_mmio_init(test);
	KUNIT_ASSERT_EQ(test, ret, 0);
	g->m = *(struct t_mmio *)test->priv;
	test->priv = g;
	v = &g->m.vgpu;
	for (i = 0; i < T_GPAGES; i++) {
		g->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, g->pages[i]);
	}
	v->ops = &t_guest_ops;
	INIT_LIST_HEAD(&v->ppgtts);
	return mvgpu_gtt_init(v);
}

/* Unpin what waits on dead_pins, as the glue does once its lock is dropped. */
static void t_release(struct t_guest *g)
{
	LIST_HEAD(dead);

	list_splice_init(&g->m.vgpu.dead_pins, &dead);
	mvgpu_gtt_release_pins(&g->m.vgpu, &dead);
}

static void t_guest_exit(struct kunit *test)
{
	struct t_guest *g = test->priv;
	unsigned int i;

	if (!g)
		return;
	if (g->m.vgpu.gtt) {
		/* a failed case may leave entries: clear them, then look for leaks */
		mvgpu_gtt_reset(&g->m.vgpu);
		t_release(g);
		if (xa_empty(&g->m.vgpu.pins))
			mvgpu_gtt_fini(&g->m.vgpu);
		else
			vfree(g->m.vgpu.gtt);
	}
	for (i = 0; i < T_GPAGES; i++)
		if (g->pages[i])
			__free_page(g->pages[i]);
	mvgpu_fake_destroy(g->m.fake);
}

/* Every pin was given back exactly once, and the cache is empty. */
static void t_expect_balanced(struct kunit *test, struct t_guest *g)
{
	unsigned int i;

	t_release(g);
	for (i = 0; i < T_GPAGES; i++)
		KUNIT_EXPECT_EQ_MSG(test, g->pinned[i], g->unpinned[i], "guest page %u", i);
	KUNIT_EXPECT_TRUE(test, xa_empty(&g->m.vgpu.pins));
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.pins, 0);
}

static u64 t_index(struct t_guest *g, u64 slot)	/* GM page of a slot of high GM */
{
	return (g->m.vgpu.alloc.high_base >> SIMGPU_PAGE_SHIFT) + slot;
}

static void t_gtt_set(struct kunit *test, struct t_guest *g, u64 index, u64 pte)
{
	__le64 buf = cpu_to_le64(pte);

	KUNIT_ASSERT_EQ(test, mvgpu_gtt_write(&g->m.vgpu, index * 8, &buf, 8), 0);
}

static u64 t_ggtt(struct t_guest *g, u64 index)
{
	return pgpu_ggtt_read(g->m.gpu, index);
}

/* One pin per guest page, however many entries use it; the last one out unpins. */
static void mvgpu_gtt_pin_refs(struct kunit *test)
{
	struct t_guest *g = test->priv;
	u64 a = t_index(g, 0), b = t_index(g, 1), host = page_to_phys(g->pages[5]);

	t_gtt_set(test, g, a, T_PTE(T_GFN0 + 5));
	t_gtt_set(test, g, b, T_PTE(T_GFN0 + 5));
	KUNIT_EXPECT_EQ(test, g->pinned[5], 1);
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.pins, 1);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, a), host | PGPU_PTE_VALID);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, b), host | PGPU_PTE_VALID);
	/* the same entry written again takes no second reference */
	t_gtt_set(test, g, a, T_PTE(T_GFN0 + 5));
	t_gtt_set(test, g, a, 0);
	t_release(g);
	KUNIT_EXPECT_EQ(test, g->unpinned[5], 0);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, a), 0);
	t_gtt_set(test, g, b, T_PTE(T_GFN0 + 6));
	t_release(g);
	KUNIT_EXPECT_EQ(test, g->unpinned[5], 1);
	KUNIT_EXPECT_EQ(test, g->pinned[6], 1);
	mvgpu_gtt_reset(&g->m.vgpu);
	t_expect_balanced(test, g);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, b), 0);
}

/*
 * The pin hook drops the glue's lock: another thread may pin the same page
 * meanwhile. The cache keeps one pin and gives the second one back.
 */
static void mvgpu_gtt_pinned_meanwhile(struct kunit *test)
{
	struct t_guest *g = test->priv;
	u64 a = t_index(g, 3);

	g->race_gfn = T_GFN0 + 9;
	t_gtt_set(test, g, a, T_PTE(T_GFN0 + 9));
	KUNIT_EXPECT_EQ(test, g->pinned[9], 2);
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.pins, 1);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&g->m.vgpu.dead_pins));
	KUNIT_EXPECT_EQ(test, t_ggtt(g, a), page_to_phys(g->pages[9]) | PGPU_PTE_VALID);
	t_release(g);
	KUNIT_EXPECT_EQ(test, g->unpinned[9], 1);
	/* two references now: the entry's and the other thread's */
	t_gtt_set(test, g, a, 0);
	t_release(g);
	KUNIT_EXPECT_EQ(test, g->unpinned[9], 1);
	mvgpu_pin_put(&g->m.vgpu, T_GFN0 + 9);
	t_expect_balanced(test, g);
}

/*
 * A page that cannot be pinned leaves the physical entry invalid and is
 * counted; the guest still reads its own entry, and writing it again
 * retries the pin.
 */
static void mvgpu_gtt_pin_failure(struct kunit *test)
{
	struct t_guest *g = test->priv;
	u64 a = t_index(g, 7), pte = T_PTE(T_GFN0 + 12);
	__le64 buf;

	set_bit(12, g->fail);
	t_gtt_set(test, g, a, pte);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, a), 0);
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.gtt_pin_failed, 1);
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.pins, 0);
	KUNIT_ASSERT_EQ(test, mvgpu_gtt_read(&g->m.vgpu, a * 8, &buf, 8), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(buf), pte);
	/* outside the guest's memory: the same */
	t_gtt_set(test, g, a + 1, T_PTE(T_GFN0 + T_GPAGES + 1));
	KUNIT_EXPECT_EQ(test, t_ggtt(g, a + 1), 0);
	clear_bit(12, g->fail);
	t_gtt_set(test, g, a, pte);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, a), page_to_phys(g->pages[12]) | PGPU_PTE_VALID);
	mvgpu_gtt_reset(&g->m.vgpu);
	t_expect_balanced(test, g);
}

/* Entries outside the vGPU's GM change nothing and are counted. */
static void mvgpu_gtt_foreign(struct kunit *test)
{
	struct t_guest *g = test->priv;
	u64 other = g->m.other.high_base >> SIMGPU_PAGE_SHIFT, before = t_ggtt(g, other);
	__le64 buf = cpu_to_le64(0x1234);

	t_gtt_set(test, g, other, T_PTE(T_GFN0 + 1));
	t_gtt_set(test, g, 0, T_PTE(T_GFN0 + 1));
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.gtt_dropped, 2);
	KUNIT_EXPECT_EQ(test, g->pinned[1], 0);
	KUNIT_EXPECT_EQ(test, t_ggtt(g, other), before);
	KUNIT_ASSERT_EQ(test, mvgpu_gtt_read(&g->m.vgpu, other * 8, &buf, 8), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(buf), 0);
	KUNIT_EXPECT_EQ(test, mvgpu_gtt_write(&g->m.vgpu, 4, &buf, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, mvgpu_gtt_write(&g->m.vgpu, 0, &buf, 2), -EINVAL);
}

/* Unmapped guest pages: their physical entries go and they are unpinned. */
static void mvgpu_gtt_unmap(struct kunit *test)
{
	struct t_guest *g = test->priv;
	unsigned int i;
	__le64 buf;

	for (i = 0; i < 8; i++)
		t_gtt_set(test, g, t_index(g, i), T_PTE(T_GFN0 + 20 + i));
	mvgpu_gtt_unmap_gfns(&g->m.vgpu, T_GFN0 + 22, 3);
	t_release(g);
	for (i = 0; i < 8; i++) {
		bool gone = i >= 2 && i < 5;

		KUNIT_EXPECT_EQ_MSG(test, g->unpinned[20 + i], gone, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, !t_ggtt(g, t_index(g, i)), gone, "entry %u", i);
		/* the guest's own view keeps the entry */
		KUNIT_ASSERT_EQ(test, mvgpu_gtt_read(&g->m.vgpu, t_index(g, i) * 8, &buf, 8), 0);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(buf), T_PTE(T_GFN0 + 20 + i));
	}
	/* a range nothing is pinned in */
	mvgpu_gtt_unmap_gfns(&g->m.vgpu, T_GFN0 + 40, 8);
	KUNIT_EXPECT_EQ(test, g->m.vgpu.counters.pins, 5);
	mvgpu_gtt_reset(&g->m.vgpu);
	t_expect_balanced(test, g);
}

/* GM as the engines see it: through the entries, only the vGPU's own. */
static void mvgpu_gtt_gm_access(struct kunit *test)
{
	struct t_guest *g = test->priv;
	struct mvgpu_vgpu *v = &g->m.vgpu;
	u64 a = t_index(g, 10) << SIMGPU_PAGE_SHIFT;
	u8 buf[64], *p;

	t_gtt_set(test, g, t_index(g, 10), T_PTE(T_GFN0 + 30));
	t_gtt_set(test, g, t_index(g, 11), T_PTE(T_GFN0 + 31));
	memset(buf, 0x5c, sizeof(buf));
	/* across the page boundary, into two guest pages */
	KUNIT_ASSERT_EQ(test, mvgpu_gm_rw(v, a + SIMGPU_PAGE_SIZE - 32, buf, 64, true), 0);
	p = kmap_local_page(g->pages[30]);
	KUNIT_EXPECT_EQ(test, p[SIMGPU_PAGE_SIZE - 1], 0x5c);
	KUNIT_EXPECT_EQ(test, p[SIMGPU_PAGE_SIZE - 33], 0);
	kunmap_local(p);
	p = kmap_local_page(g->pages[31]);
	KUNIT_EXPECT_EQ(test, p[31], 0x5c);
	KUNIT_EXPECT_EQ(test, p[32], 0);
	kunmap_local(p);
	memset(buf, 0, sizeof(buf));
	KUNIT_ASSERT_EQ(test, mvgpu_gm_rw(v, a + SIMGPU_PAGE_SIZE - 8, buf, 16, false), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0x5c);
	KUNIT_EXPECT_EQ(test, buf[15], 0x5c);
	/* a page with no entry, another vGPU's GM, past the end of the address space */
	KUNIT_EXPECT_EQ(test, mvgpu_gm_rw(v, a + 2 * SIMGPU_PAGE_SIZE - 8, buf, 16, false),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_gm_rw(v, g->m.other.high_base, buf, 4, false), -EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_gm_rw(v, ~0ULL - 2, buf, 4, false), -EFAULT);
	mvgpu_gtt_reset(v);
	t_expect_balanced(test, g);
}

/* The pages behind GM for dma-bufs: referenced, only whole and valid ones. */
static void mvgpu_gtt_gm_pages(struct kunit *test)
{
	struct t_guest *g = test->priv;
	struct mvgpu_vgpu *v = &g->m.vgpu;
	u64 a = t_index(g, 10) << SIMGPU_PAGE_SHIFT;
	struct page *pages[3];
	int before[3], i;

	for (i = 0; i < 3; i++) {
		t_gtt_set(test, g, t_index(g, 10 + i), T_PTE(T_GFN0 + 40 + i));
		before[i] = page_count(g->pages[40 + i]);
	}
	KUNIT_ASSERT_EQ(test, mvgpu_gm_pages(v, a, 3, pages), 0);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_PTR_EQ(test, pages[i], g->pages[40 + i]);
		KUNIT_EXPECT_EQ(test, page_count(pages[i]), before[i] + 1);
		put_page(pages[i]);
	}
	/* not page aligned, no page, past the vGPU's GM, an entry that is off */
	KUNIT_EXPECT_EQ(test, mvgpu_gm_pages(v, a + 64, 1, pages), -EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_gm_pages(v, a, 0, pages), -EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_gm_pages(v, g->m.other.high_base, 1, pages), -EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_gm_pages(v, a, UINT_MAX, pages), -EFAULT);
	mvgpu_gtt_unmap_gfns(v, T_GFN0 + 41, 1);
	t_release(g);
	KUNIT_EXPECT_EQ(test, mvgpu_gm_pages(v, a, 3, pages), -EFAULT);
	/* a failure holds nothing */
	KUNIT_EXPECT_EQ(test, page_count(g->pages[40]), before[0]);
	mvgpu_gtt_reset(v);
	t_expect_balanced(test, g);
}

static struct kunit_case mvgpu_gtt_cases[] = {
	KUNIT_CASE(mvgpu_gtt_gm_access),
	KUNIT_CASE(mvgpu_gtt_gm_pages),
	KUNIT_CASE(mvgpu_gtt_pin_refs),
	KUNIT_CASE(mvgpu_gtt_pinned_meanwhile),
	KUNIT_CASE(mvgpu_gtt_pin_failure),
	KUNIT_CASE(mvgpu_gtt_foreign),
	KUNIT_CASE(mvgpu_gtt_unmap),
	{}
};

static struct kunit_suite mvgpu_gtt_suite = {
	.name = "mvgpu_gtt",
	.init = t_guest_init,
	.exit = t_guest_exit,
	.test_cases = mvgpu_gtt_cases,
};

/* Guest page @i's entry @n of a page table */
static void t_entry(struct t_guest *g, unsigned int i, unsigned int n, u64 e)
{
	u64 *t = kmap_local_page(g->pages[i]);

	t[n] = e;
	kunmap_local(t);
}

static void t_fill_page(struct t_guest *g, unsigned int i, u8 val)
{
	void *p = kmap_local_page(g->pages[i]);

	memset(p, val, SIMGPU_PAGE_SIZE);
	kunmap_local(p);
}

/*
 * Four levels in guest pages 0..3 (root 0); leaves of table 3 map data
 * pages 10.. at per-process page 0.. (and one more at page 511 + 512 * 2
 * through a second branch in page 4).
 */
static void t_tables(struct t_guest *g, unsigned int data)
{
	unsigned int i;

	t_entry(g, 0, 0, T_PTE(T_GFN0 + 1));
	t_entry(g, 1, 0, T_PTE(T_GFN0 + 2));
	t_entry(g, 2, 0, T_PTE(T_GFN0 + 3));
	for (i = 0; i < data; i++) {
		t_entry(g, 3, i, T_PTE(T_GFN0 + 10 + i));
		t_fill_page(g, 10 + i, 0xd0 + i);
	}
	t_entry(g, 2, 2, T_PTE(T_GFN0 + 4));
	t_entry(g, 4, 511, T_PTE(T_GFN0 + 10));
}

static void mvgpu_ppgtt_shadow(struct kunit *test)
{
	struct t_guest *g = test->priv;
	struct mvgpu_vgpu *v = &g->m.vgpu;
	struct mvgpu_ppgtt *pt;
	u8 buf[16];
	unsigned int i;

	t_tables(g, 4);
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_build(v, T_GFN0 << SIMGPU_PAGE_SHIFT, &pt), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_read(v, pt, i * SIMGPU_PAGE_SIZE + 8, buf, 16),
				0);
		KUNIT_EXPECT_EQ_MSG(test, buf[0], 0xd0 + i, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, buf[15], 0xd0 + i, "page %u", i);
	}
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_read(v, pt, (2 * 512 + 511) * SIMGPU_PAGE_SIZE, buf, 1),
			0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xd0);
	/* across a page boundary, and holes */
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_read(v, pt, SIMGPU_PAGE_SIZE - 8, buf, 16), 0);
	KUNIT_EXPECT_EQ(test, buf[7], 0xd0);
	KUNIT_EXPECT_EQ(test, buf[8], 0xd1);
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_read(v, pt, 4 * SIMGPU_PAGE_SIZE, buf, 1), -EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_read(v, pt, 1ULL << 48, buf, 1), -EFAULT);
	/* data pages stay pinned with the shadow (page 10 once, for two leaves) */
	KUNIT_EXPECT_EQ(test, g->pinned[10], 1);
	KUNIT_EXPECT_EQ(test, v->counters.pins, 4);
	KUNIT_EXPECT_TRUE(test, mvgpu_ppgtt_uses(pt, T_GFN0 + 13, 1));
	KUNIT_EXPECT_FALSE(test, mvgpu_ppgtt_uses(pt, T_GFN0 + 14, 100));
	/* tables only while they are read */
	t_release(g);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ_MSG(test, g->pinned[i], g->unpinned[i], "table %u", i);
	/* the guest's later changes do not reach the shadow */
	t_entry(g, 3, 0, 0);
	t_fill_page(g, 11, 0xee);
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_read(v, pt, 0, buf, 1), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0xd0);
	mvgpu_ppgtt_free(v, pt);
	t_expect_balanced(test, g);
	KUNIT_EXPECT_TRUE(test, list_empty(&v->ppgtts));
}

/* A table that points at itself at every level: bounded, and nothing leaks. */
static void mvgpu_ppgtt_cycles(struct kunit *test)
{
	struct t_guest *g = test->priv;
	struct mvgpu_vgpu *v = &g->m.vgpu;
	struct mvgpu_ppgtt *pt;
	u8 buf[8];
	unsigned int i;

	/* one self-reference: four levels of the same page, a finite shadow */
	t_entry(g, 0, 0, T_PTE(T_GFN0));
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_build(v, T_GFN0 << SIMGPU_PAGE_SHIFT, &pt), 0);
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_read(v, pt, 0, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, *(u64 *)buf, T_PTE(T_GFN0));
	mvgpu_ppgtt_free(v, pt);
	t_expect_balanced(test, g);
	/* every entry: 512^3 tables if followed, refused at the table limit */
	for (i = 0; i < SIMGPU_PPGTT_ENTRIES; i++)
		t_entry(g, 0, i, T_PTE(T_GFN0));
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_build(v, T_GFN0 << SIMGPU_PAGE_SHIFT, &pt), -E2BIG);
	t_expect_balanced(test, g);
	KUNIT_EXPECT_TRUE(test, list_empty(&v->ppgtts));
}

/* More leaves than MVGPU_PPGTT_MAX_PAGES: refused, nothing leaks. */
static void mvgpu_ppgtt_limits(struct kunit *test)
{
	struct t_guest *g = test->priv;
	struct mvgpu_vgpu *v = &g->m.vgpu;
	unsigned int i, t, leaf_tables = MVGPU_PPGTT_MAX_PAGES / SIMGPU_PPGTT_ENTRIES + 1;
	struct mvgpu_ppgtt *pt;

	t_entry(g, 0, 0, T_PTE(T_GFN0 + 1));
	t_entry(g, 1, 0, T_PTE(T_GFN0 + 2));
	for (t = 0; t < leaf_tables; t++) {
		t_entry(g, 2, t, T_PTE(T_GFN0 + 3 + t));
		for (i = 0; i < SIMGPU_PPGTT_ENTRIES; i++)
			t_entry(g, 3 + t, i, T_PTE(T_GFN0 + 40));
	}
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_build(v, T_GFN0 << SIMGPU_PAGE_SHIFT, &pt), -E2BIG);
	t_expect_balanced(test, g);
	/* one leaf table fewer is within the limit */
	t_entry(g, 2, leaf_tables - 1, 0);
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_build(v, T_GFN0 << SIMGPU_PAGE_SHIFT, &pt), 0);
	KUNIT_EXPECT_EQ(test, v->counters.pins, 1);	/* 4096 leaves, one page */
	mvgpu_ppgtt_free(v, pt);
	t_expect_balanced(test, g);
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_build(v, (T_GFN0 << SIMGPU_PAGE_SHIFT) + 8, &pt),
			-EINVAL);
}

/*
 * A table that cannot be read fails the build; a leaf that cannot be
 * pinned is a hole; a reset or an unmap during the build makes it stale.
 */
static void mvgpu_ppgtt_bad(struct kunit *test)
{
	struct t_guest *g = test->priv;
	struct mvgpu_vgpu *v = &g->m.vgpu;
	u64 root = T_GFN0 << SIMGPU_PAGE_SHIFT;
	struct mvgpu_ppgtt *pt;
	u8 buf[1];

	t_tables(g, 4);
	set_bit(2, g->fail);
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_build(v, root, &pt), -EFAULT);
	t_expect_balanced(test, g);
	clear_bit(2, g->fail);

	set_bit(11, g->fail);
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_build(v, root, &pt), 0);
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_read(v, pt, SIMGPU_PAGE_SIZE, buf, 1), -EFAULT);
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_read(v, pt, 2 * SIMGPU_PAGE_SIZE, buf, 1), 0);
	KUNIT_EXPECT_EQ(test, v->counters.gtt_pin_failed, 1);
	mvgpu_ppgtt_free(v, pt);
	t_expect_balanced(test, g);
	clear_bit(11, g->fail);

	g->reset_on_pin = true;
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_build(v, root, &pt), -ESTALE);
	t_expect_balanced(test, g);

	/* a page not in the shadow yet: no matter */
	g->unmap_at = T_GFN0 + 12;
	g->unmap_gfn = T_GFN0 + 30;
	KUNIT_ASSERT_EQ(test, mvgpu_ppgtt_build(v, root, &pt), 0);
	mvgpu_ppgtt_free(v, pt);
	t_expect_balanced(test, g);
	/* one it maps already (11, pinned before 13) */
	g->unmap_at = T_GFN0 + 13;
	g->unmap_gfn = T_GFN0 + 11;
	KUNIT_EXPECT_EQ(test, mvgpu_ppgtt_build(v, root, &pt), -ESTALE);
	t_expect_balanced(test, g);
	KUNIT_EXPECT_TRUE(test, list_empty(&v->ppgtts));
}

static struct kunit_case mvgpu_ppgtt_cases[] = {
	KUNIT_CASE(mvgpu_ppgtt_shadow),
	KUNIT_CASE(mvgpu_ppgtt_cycles),
	KUNIT_CASE(mvgpu_ppgtt_limits),
	KUNIT_CASE(mvgpu_ppgtt_bad),
	{}
};

static struct kunit_suite mvgpu_ppgtt_suite = {
	.name = "mvgpu_ppgtt",
	.init = t_guest_init,
	.exit = t_guest_exit,
	.test_cases = mvgpu_ppgtt_cases,
};

/*
 * ---- mvgpu_dispatch: one engine's dispatcher on the fake GPU, with two
 * vGPUs; the test ends workloads when it wants, as the engine would ----
 */

#define T_VGPUS		2
#define T_WAIT_MS	2000

struct t_disp {
	struct mvgpu_fake_gpu *fake;
	struct mvgpu_dispatch *d;
	struct mvgpu_type_res types[T_VGPUS];
	struct mvgpu_vgpu vgpus[T_VGPUS];
	atomic_t kicks[T_VGPUS];
};

/* called by the dispatcher's thread */
static void t_kick_retire(struct mvgpu_vgpu *vgpu)
{
	struct t_disp *t = container_of(vgpu - vgpu->id, struct t_disp, vgpus[0]);

	atomic_inc(&t->kicks[vgpu->id]);
}

static const struct mvgpu_vgpu_ops t_disp_ops = {
	.kick_retire = t_kick_retire,
};

static struct mvgpu_vgpu_engine *t_ve(struct t_disp *t, unsigned int i)
{
	return &t->vgpus[i].engines[SIMGPU_ENGINE_RENDER];
}

static int t_disp_init(struct kunit *test)
{
	struct t_disp *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->fake = mvgpu_fake_create(SZ_64M, SZ_16M, 4, MVGPU_NUM_ENGINES);
	KUNIT_ASSERT_NOT_NULL(test, t->fake);
	t->d = mvgpu_dispatch_create(&t->fake->base, SIMGPU_ENGINE_RENDER);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->d);
	for (i = 0; i < T_VGPUS; i++) {
		struct mvgpu_vgpu_engine *ve = t_ve(t, i);

		t->types[i].weight = 4;
		t->vgpus[i].id = i;
		t->vgpus[i].gpu = &t->fake->base;
		t->vgpus[i].type = &t->types[i];
		t->vgpus[i].ops = &t_disp_ops;
		ve->vgpu = &t->vgpus[i];
		ve->d = t->d;
		ve->id = SIMGPU_ENGINE_RENDER;
		ve->shadow_gm = SZ_32M + i * MVGPU_SHADOW_SLOT;
		ve->shadow = kvzalloc(MVGPU_SHADOW_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, ve->shadow);
		mvgpu_dispatch_attach(ve, t->types[i].weight);
	}
	return 0;
}

static void t_disp_exit(struct kunit *test)
{
	struct t_disp *t = test->priv;
	unsigned int i;

	if (!t || IS_ERR_OR_NULL(t->d))
		goto fake;
	for (i = 0; i < T_VGPUS; i++) {
		if (!t_ve(t, i)->shadow)
			continue;
		mvgpu_dispatch_detach(t_ve(t, i));
		kvfree(t_ve(t, i)->shadow);
	}
	mvgpu_dispatch_destroy(t->d);
	/* every context the dispatcher created, it destroyed */
	KUNIT_EXPECT_EQ(test, t->fake->created, t->fake->destroyed);
fake:
	if (t && t->fake)
		mvgpu_fake_destroy(t->fake);
}

/* Queue a workload of 4 dwords (@id * 16 + i) on vGPU @i. */
static struct mvgpu_workload *t_queue(struct kunit *test, unsigned int i, u32 id)
{
	struct t_disp *t = test->priv;
	struct mvgpu_workload *w = kzalloc(sizeof(*w), GFP_KERNEL);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->ring = kvmalloc_array(4, sizeof(u32), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w->ring);
	for (n = 0; n < 4; n++)
		w->ring[n] = id * 16 + n;
	w->ring_len = 4;
	w->ve = t_ve(t, i);
	w->ctx_id = id;
	w->state = MVGPU_CSB_SUBMITTED;
	mvgpu_dispatch_queue(w);
	return w;
}

static u32 t_state(struct t_disp *t, struct mvgpu_workload *w)
{
	u32 state;

	mvgpu_dispatch_lock(t->d);
	state = w->state;
	mvgpu_dispatch_unlock(t->d);
	return state;
}

/* The fake context running @w: its ring holds @w's first dword. */
static struct mvgpu_fake_ctx *t_ctx_of(struct t_disp *t, struct mvgpu_workload *w)
{
	struct mvgpu_fake_ctx *ctx = mvgpu_fake_running(t->fake, SIMGPU_ENGINE_RENDER);

	return ctx && ctx->desc.data == w ? ctx : NULL;
}

/* Whether @cond came true within T_WAIT_MS: the dispatcher is a thread. */
#define T_WAIT(cond) ({								\
	unsigned long __end = jiffies + msecs_to_jiffies(T_WAIT_MS);		\
	bool __ok;								\
										\
	for (;;) {								\
		__ok = (cond);							\
		if (__ok || time_after(jiffies, __end))				\
			break;							\
		usleep_range(1000, 2000);					\
	}									\
	__ok;									\
})

/* A workload is copied to its vGPU's shadow, runs, ends and is reported. */
static void mvgpu_dispatch_runs(struct kunit *test)
{
	struct t_disp *t = test->priv;
	struct mvgpu_vgpu_engine *ve = t_ve(t, 0);
	struct mvgpu_workload *w = t_queue(test, 0, 1);
	struct mvgpu_fake_ctx *ctx;
	struct mvgpu_engine_stats st;
	u32 pending, share, weight, cap;

	KUNIT_ASSERT_TRUE(test, T_WAIT((ctx = t_ctx_of(t, w)) != NULL));
	KUNIT_EXPECT_EQ(test, ctx->desc.ring_start, ve->shadow_gm);
	KUNIT_EXPECT_EQ(test, ctx->desc.ring_size, MVGPU_SHADOW_RING);
	KUNIT_EXPECT_EQ(test, ctx->desc.ppgtt_root, 0);
	KUNIT_EXPECT_EQ(test, ctx->tail, 16);
	KUNIT_EXPECT_EQ(test, ve->shadow[0], 16);
	KUNIT_EXPECT_EQ(test, ve->shadow[3], 19);
	KUNIT_EXPECT_TRUE(test, T_WAIT(t_state(t, w) & MVGPU_CSB_RUNNING));
	usleep_range(5000, 6000);
	mvgpu_fake_end(ctx, PGPU_EVENT_COMPLETE);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_state(t, w) & MVGPU_CSB_COMPLETE));
	KUNIT_EXPECT_FALSE(test, t_state(t, w) & (MVGPU_CSB_ERROR | MVGPU_CSB_PREEMPTED));
	KUNIT_EXPECT_TRUE(test, T_WAIT(t->fake->destroyed == 1));
	mvgpu_dispatch_get(ve, &st, &pending, &share, &weight, &cap);
	KUNIT_EXPECT_EQ(test, pending, 0);
	KUNIT_EXPECT_EQ(test, st.workloads, 1);
	KUNIT_EXPECT_EQ(test, st.switches, 1);
	KUNIT_EXPECT_GE(test, st.busy_ns, 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, weight, 4);
	mvgpu_dispatch_lock(t->d);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&ve->done) && list_empty(&ve->queue));
	mvgpu_dispatch_unlock(t->d);
	KUNIT_EXPECT_GE(test, atomic_read(&t->kicks[0]), 2);	/* running, complete */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->kicks[1]), 0);
}

/*
 * A workload that does not end is preempted at the end of its slice for
 * another vGPU's, and resumed (not restarted) after it.
 */
static void mvgpu_dispatch_preempts(struct kunit *test)
{
	struct t_disp *t = test->priv;
	struct mvgpu_workload *a = t_queue(test, 0, 1), *b;
	struct mvgpu_fake_ctx *ca, *cb;
	struct mvgpu_engine_stats st;
	u32 pending, share, weight, cap;

	KUNIT_ASSERT_TRUE(test, T_WAIT((ca = t_ctx_of(t, a)) != NULL));
	b = t_queue(test, 1, 2);
	KUNIT_ASSERT_TRUE(test, T_WAIT((cb = t_ctx_of(t, b)) != NULL));
	KUNIT_EXPECT_TRUE(test, ca->held);
	KUNIT_EXPECT_GE(test, ca->holds, 1);
	KUNIT_EXPECT_TRUE(test, t_state(t, a) & MVGPU_CSB_PREEMPTED);
	KUNIT_EXPECT_FALSE(test, t_state(t, a) & MVGPU_CSB_COMPLETE);
	mvgpu_fake_end(cb, PGPU_EVENT_COMPLETE);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_ctx_of(t, a) == ca));
	KUNIT_EXPECT_GE(test, ca->resumes, 1);
	KUNIT_EXPECT_EQ(test, ca->submits, 1);
	/* the dispatcher may hand a the engine before it records b as done */
	KUNIT_EXPECT_TRUE(test, T_WAIT(t_state(t, b) & MVGPU_CSB_COMPLETE));
	mvgpu_fake_end(ca, PGPU_EVENT_COMPLETE);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_state(t, a) & MVGPU_CSB_COMPLETE));
	mvgpu_dispatch_get(t_ve(t, 0), &st, &pending, &share, &weight, &cap);
	KUNIT_EXPECT_GE(test, st.switches, 2);
	KUNIT_EXPECT_EQ(test, st.workloads, 1);
	KUNIT_EXPECT_TRUE(test, T_WAIT(t->fake->destroyed == 2));
}

/* Faults, hangs and contexts that cannot be created end workloads with an error. */
static void mvgpu_dispatch_errors(struct kunit *test)
{
	struct t_disp *t = test->priv;
	struct mvgpu_workload *w;
	struct mvgpu_fake_ctx *ctx;
	struct mvgpu_engine_stats st;
	u32 pending, share, weight, cap;

	w = t_queue(test, 0, 1);
	KUNIT_ASSERT_TRUE(test, T_WAIT((ctx = t_ctx_of(t, w)) != NULL));
	mvgpu_fake_end(ctx, PGPU_EVENT_FAULT);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_state(t, w) & MVGPU_CSB_ERROR));
	KUNIT_EXPECT_EQ(test, w->error, MVGPU_ERR_FAULT);
	w = t_queue(test, 0, 2);
	KUNIT_ASSERT_TRUE(test, T_WAIT((ctx = t_ctx_of(t, w)) != NULL));
	mvgpu_fake_end(ctx, PGPU_EVENT_HANG);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_state(t, w) & MVGPU_CSB_ERROR));
	KUNIT_EXPECT_EQ(test, w->error, MVGPU_ERR_HANG);
	spin_lock(&t->fake->lock);
	t->fake->fail_create = 1;
	spin_unlock(&t->fake->lock);
	w = t_queue(test, 0, 3);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_state(t, w) & MVGPU_CSB_ERROR));
	KUNIT_EXPECT_EQ(test, w->error, MVGPU_ERR_RESOURCES);
	mvgpu_dispatch_get(t_ve(t, 0), &st, &pending, &share, &weight, &cap);
	KUNIT_EXPECT_EQ(test, st.errors, 3);
	KUNIT_EXPECT_EQ(test, st.hangs, 1);
	KUNIT_EXPECT_EQ(test, st.workloads, 3);
	KUNIT_EXPECT_EQ(test, pending, 0);
	/* and the engine goes on */
	w = t_queue(test, 0, 4);
	KUNIT_ASSERT_TRUE(test, T_WAIT((ctx = t_ctx_of(t, w)) != NULL));
	mvgpu_fake_end(ctx, PGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_TRUE(test, T_WAIT(t_state(t, w) & MVGPU_CSB_COMPLETE));
}

/*
 * Suspended, the dispatcher starts, preempts and resumes nothing: the
 * running workload keeps the engine and a new one waits for the resume.
 */
static void mvgpu_dispatch_sleep(struct kunit *test)
{
	struct t_disp *t = test->priv;
	struct mvgpu_workload *a = t_queue(test, 0, 1), *b;
	struct mvgpu_fake_ctx *ca, *cb;

	KUNIT_ASSERT_TRUE(test, T_WAIT((ca = t_ctx_of(t, a)) != NULL));
	mvgpu_dispatch_suspend(t->d);
	b = t_queue(test, 1, 2);
	msleep(50);	/* fifty slices */
	KUNIT_EXPECT_EQ(test, t->fake->created, 1);
	KUNIT_EXPECT_EQ(test, ca->holds, 0);
	KUNIT_EXPECT_FALSE(test, t_state(t, b) & MVGPU_CSB_RUNNING);
	mvgpu_dispatch_resume(t->d);
	KUNIT_ASSERT_TRUE(test, T_WAIT((cb = t_ctx_of(t, b)) != NULL));
	KUNIT_EXPECT_TRUE(test, ca->held);
	mvgpu_fake_end(cb, PGPU_EVENT_COMPLETE);
	KUNIT_ASSERT_TRUE(test, T_WAIT(t_ctx_of(t, a) == ca));
	mvgpu_fake_end(ca, PGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_TRUE(test, T_WAIT(t_state(t, a) & MVGPU_CSB_COMPLETE));
}

/* Cancelling a vGPU's work destroys its contexts and reports nothing. */
static void mvgpu_dispatch_cancels(struct kunit *test)
{
	struct t_disp *t = test->priv;
	struct mvgpu_vgpu_engine *ve = t_ve(t, 0);
	struct mvgpu_workload *a = t_queue(test, 0, 1);
	struct mvgpu_fake_ctx *ca;
	int kicks;

	KUNIT_ASSERT_TRUE(test, T_WAIT((ca = t_ctx_of(t, a)) != NULL));
	t_queue(test, 0, 2);
	kicks = atomic_read(&t->kicks[0]);
	mvgpu_dispatch_cancel(ve);
	KUNIT_EXPECT_EQ(test, t->fake->created, t->fake->destroyed);
	mvgpu_dispatch_lock(t->d);
	KUNIT_EXPECT_TRUE(test, list_empty(&ve->queue) && list_empty(&ve->done));
	KUNIT_EXPECT_EQ(test, ve->pending, 0);
	mvgpu_dispatch_unlock(t->d);
	usleep_range(10000, 11000);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->kicks[0]), kicks);
	KUNIT_EXPECT_EQ(test, t->fake->created, 1);
}

static struct kunit_case mvgpu_dispatch_cases[] = {
	KUNIT_CASE(mvgpu_dispatch_runs),
	KUNIT_CASE(mvgpu_dispatch_preempts),
	KUNIT_CASE(mvgpu_dispatch_errors),
	KUNIT_CASE(mvgpu_dispatch_sleep),
	KUNIT_CASE(mvgpu_dispatch_cancels),
	{}
};

static struct kunit_suite mvgpu_dispatch_suite = {
	.name = "mvgpu_dispatch",
	.init = t_disp_init,
	.exit = t_disp_exit,
	.test_cases = mvgpu_dispatch_cases,
};

/* ---- mvgpu_display: the pipe, its planes and the monitor, on a fake clock ---- */

#define T_FRAME	16666666ULL	/* ns at 60 Hz */

struct t_cvt_case {
	const char *desc;
	u32 w, h, clock_khz, htotal, vtotal;
};

/* VESA CVT reduced-blanking figures for these modes */
static const struct t_cvt_case t_cvt_cases[] = {
	{ "1024x768", 1024, 768, 56000, 1184, 790 },
	{ "1920x1200", 1920, 1200, 154000, 2080, 1235 },
	{ "2560x1600", 2560, 1600, 268500, 2720, 1646 },
	{ "3840x2160", 3840, 2160, 533250, 4000, 2222 },
};

KUNIT_ARRAY_PARAM_DESC(t_cvt, t_cvt_cases, desc);

static void mvgpu_display_cvt(struct kunit *test)
{
	const struct t_cvt_case *c = test->param_value;
	struct mvgpu_timing t;

	mvgpu_cvt_rb(c->w, c->h, &t);
	KUNIT_EXPECT_EQ(test, t.clock_khz, c->clock_khz);
	KUNIT_EXPECT_EQ(test, t.htotal, c->htotal);
	KUNIT_EXPECT_EQ(test, t.vtotal, c->vtotal);
	KUNIT_EXPECT_EQ(test, t.hactive, c->w);
	KUNIT_EXPECT_EQ(test, t.vactive, c->h);
}

/* The EDID as a guest reads it, 4 bytes at a time. */
static void t_read_edid(struct kunit *test, u8 *edid, u32 size)
{
	u32 i, v;

	for (i = 0; i < size; i += 4) {
		v = t_rd(test, MVGPU_DISP_EDID + i, 4);
		memcpy(edid + i, &v, min(4U, size - i));
	}
}

static void mvgpu_display_power_on(struct kunit *test)
{
	static const u8 header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	u8 edid[MVGPU_EDID_BLOCK], sum = 0;
	u32 i, hactive, vactive;

	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_CONF, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_SRC, 4), MVGPU_DISP_XY(1920, 1200));
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_MAX_SRC, 4), MVGPU_DISP_XY(2560, 1600));
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_REFRESH, 4), 60000);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4), MVGPU_HOTPLUG_CONNECTED);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PLANE_SURFLIVE, 4), 0);
	KUNIT_ASSERT_EQ(test, t_rd(test, MVGPU_DISP_EDID_SIZE, 4), MVGPU_EDID_BLOCK);
	t_read_edid(test, edid, sizeof(edid));
	KUNIT_EXPECT_MEMEQ(test, edid, header, sizeof(header));
	for (i = 0; i < sizeof(edid); i++)
		sum += edid[i];
	KUNIT_EXPECT_EQ(test, sum, 0);
	KUNIT_EXPECT_EQ(test, edid[18], 1);	/* EDID 1.4 */
	KUNIT_EXPECT_EQ(test, edid[19], 4);
	/* the preferred timing is the type's mode, the second its largest */
	KUNIT_EXPECT_EQ(test, edid[54] | edid[55] << 8, 15400);
	hactive = edid[56] | (edid[58] >> 4) << 8;
	vactive = edid[59] | (edid[61] >> 4) << 8;
	KUNIT_EXPECT_EQ(test, hactive, 1920);
	KUNIT_EXPECT_EQ(test, vactive, 1200);
	hactive = edid[74] | (edid[76] >> 4) << 8;
	vactive = edid[77] | (edid[79] >> 4) << 8;
	KUNIT_EXPECT_EQ(test, hactive, 2560);
	KUNIT_EXPECT_EQ(test, vactive, 1600);
	KUNIT_EXPECT_EQ(test, edid[90 + 3], 0xfd);	/* range limits */
	KUNIT_EXPECT_EQ(test, edid[108 + 3], 0xfc);	/* monitor name */
	KUNIT_EXPECT_MEMEQ(test, &edid[108 + 5], "mvgpu\n", 6);
	/* nothing past the EDID */
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_EDID + MVGPU_EDID_BLOCK, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_EDID + MVGPU_DISP_EDID_MAX - 4, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_VERSION, 4),
			1 << 16 | 1);
}

static void t_irq_clear(struct kunit *test)
{
	t_wr(test, MVGPU_REG_IIR, 4, MVGPU_IRQ_ALL);
}

static void mvgpu_display_vblank_flip(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	u64 start = 1000000;

	m->now = start;
	t_wr(test, MVGPU_DISP_PLANE_SURF, 4, T_LOW);
	/* the pipe is off: the surface is live at once, no vblank, no timer */
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PLANE_SURFLIVE, 4), T_LOW);
	KUNIT_EXPECT_EQ(test, m->timer_calls, 0);

	t_wr(test, MVGPU_DISP_PIPE_CONF, 4, ~0U);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_CONF, 4),
			MVGPU_PIPE_ENABLE | MVGPU_PIPE_ACTIVE);
	KUNIT_EXPECT_EQ(test, m->timer_at, start + T_FRAME);

	/* armed: the new surface waits for the vblank */
	t_wr(test, MVGPU_DISP_PLANE_SURF, 4, T_LOW + SZ_16M + 0xfff);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PLANE_SURF, 4), T_LOW + SZ_16M);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PLANE_SURFLIVE, 4), T_LOW);
	/* an early timer changes nothing but asks again */
	m->now = start + T_FRAME - 1;
	mvgpu_display_vblank(&m->vgpu);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_FRAME, 4), 0);
	KUNIT_EXPECT_EQ(test, m->timer_at, start + T_FRAME);

	m->now = start + T_FRAME;
	mvgpu_display_vblank(&m->vgpu);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_FRAME, 4), 1);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4),
			MVGPU_IRQ_VBLANK | MVGPU_IRQ_FLIP_DONE);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PLANE_SURFLIVE, 4), T_LOW + SZ_16M);
	KUNIT_EXPECT_EQ(test, m->timer_at, start + 2 * T_FRAME);

	/* late by three frames: the counter keeps time, one interrupt */
	t_irq_clear(test);
	m->now = start + 4 * T_FRAME + 5;
	mvgpu_display_vblank(&m->vgpu);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_FRAME, 4), 4);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4), MVGPU_IRQ_VBLANK);
	KUNIT_EXPECT_EQ(test, m->timer_at, start + 5 * T_FRAME);

	/* off: the timer is cancelled and an armed surface goes live at once */
	t_wr(test, MVGPU_DISP_PLANE_SURF, 4, T_LOW);
	t_wr(test, MVGPU_DISP_PIPE_CONF, 4, 0);
	KUNIT_EXPECT_EQ(test, m->timer_at, 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_CONF, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PLANE_SURFLIVE, 4), T_LOW);
	t_irq_clear(test);
	mvgpu_display_vblank(&m->vgpu);	/* a timer that fired anyway */
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_REG_IIR, 4), 0);
	KUNIT_EXPECT_EQ(test, m->timer_at, 0);
	/* the frame counter starts again, the vGPU's count of vblanks goes on */
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_FRAME, 4), 0);
	KUNIT_EXPECT_EQ(test, m->vgpu.display.vblanks, 4);
}

struct t_plane_case {
	const char *desc;
	u32 ctl, stride, size, surf;
	int ret;
};

#define T_ON(fmt)	(MVGPU_PLANE_ENABLE | (fmt))

static const struct t_plane_case t_plane_cases[] = {
	{ "XRGB8888 in low GM", T_ON(MVGPU_FMT_XRGB8888), 7680, MVGPU_DISP_XY(1920, 1200),
	  T_LOW, 0 },
	{ "ARGB8888, padded stride", T_ON(MVGPU_FMT_ARGB8888), 8192, MVGPU_DISP_XY(1920, 1200),
	  T_LOW, 0 },
	{ "RGB565 in high GM", T_ON(MVGPU_FMT_RGB565), 3840, MVGPU_DISP_XY(1920, 1200),
	  T_HIGH, 0 },
	{ "smaller than the mode", T_ON(MVGPU_FMT_XRGB8888), 4096, MVGPU_DISP_XY(1024, 768),
	  T_LOW, 0 },
	{ "ends at the end of low GM", T_ON(MVGPU_FMT_XRGB8888), 4096, MVGPU_DISP_XY(1024, 2),
	  T_LOW + T_MIB(32) - 8192, 0 },
	{ "disabled", MVGPU_FMT_XRGB8888, 7680, MVGPU_DISP_XY(1920, 1200), T_LOW, -ENOENT },
	{ "unknown format", T_ON(0), 7680, MVGPU_DISP_XY(1920, 1200), T_LOW, -EINVAL },
	{ "format 15", T_ON(15), 7680, MVGPU_DISP_XY(1920, 1200), T_LOW, -EINVAL },
	{ "stride shorter than a line", T_ON(MVGPU_FMT_XRGB8888), 7676,
	  MVGPU_DISP_XY(1920, 1200), T_LOW, -EINVAL },
	{ "unaligned stride", T_ON(MVGPU_FMT_XRGB8888), 7682, MVGPU_DISP_XY(1920, 1200),
	  T_LOW, -EINVAL },
	{ "wider than the mode", T_ON(MVGPU_FMT_XRGB8888), 8192, MVGPU_DISP_XY(1928, 1200),
	  T_LOW, -EINVAL },
	{ "zero height", T_ON(MVGPU_FMT_XRGB8888), 7680, MVGPU_DISP_XY(1920, 0), T_LOW,
	  -EINVAL },
	{ "a page past low GM", T_ON(MVGPU_FMT_XRGB8888), 4096, MVGPU_DISP_XY(1024, 2),
	  T_LOW + T_MIB(32) - 4096, -EINVAL },
	{ "another vGPU's GM", T_ON(MVGPU_FMT_XRGB8888), 7680, MVGPU_DISP_XY(1920, 1200),
	  T_LOW - T_MIB(32), -EINVAL },
	{ "huge stride runs past GM", T_ON(MVGPU_FMT_XRGB8888), 0xfffff000,
	  MVGPU_DISP_XY(1920, 1200), T_LOW, -EINVAL },
	{ "GM address 0", T_ON(MVGPU_FMT_XRGB8888), 7680, MVGPU_DISP_XY(1920, 1200), 0,
	  -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(t_plane, t_plane_cases, desc);

static void mvgpu_display_primary(struct kunit *test)
{
	const struct t_plane_case *c = test->param_value;
	struct t_mmio *m = test->priv;
	struct mvgpu_plane p = {};
	int ret;

	t_wr(test, MVGPU_DISP_PLANE_CTL, 4, c->ctl);
	t_wr(test, MVGPU_DISP_PLANE_STRIDE, 4, c->stride);
	t_wr(test, MVGPU_DISP_PLANE_SIZE, 4, c->size);
	t_wr(test, MVGPU_DISP_PLANE_SURF, 4, c->surf);
	/* the pipe is off: nothing is scanned out */
	KUNIT_EXPECT_EQ(test, mvgpu_display_plane(&m->vgpu, false, &p), -ENOENT);
	t_wr(test, MVGPU_DISP_PIPE_CONF, 4, MVGPU_PIPE_ENABLE);
	ret = mvgpu_display_plane(&m->vgpu, false, &p);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_EQ(test, m->vgpu.display.plane_errors, c->ret == -EINVAL ? 1 : 0);
	if (ret)
		return;
	KUNIT_EXPECT_EQ(test, p.gm, c->surf);
	KUNIT_EXPECT_EQ(test, p.width, c->size & 0xffff);
	KUNIT_EXPECT_EQ(test, p.height, c->size >> 16);
	KUNIT_EXPECT_EQ(test, p.stride, c->stride);
	KUNIT_EXPECT_EQ(test, p.size, (u64)c->stride * (c->size >> 16));
	KUNIT_EXPECT_EQ(test, p.drm_format,
			MVGPU_PLANE_FORMAT(c->ctl) == MVGPU_FMT_RGB565 ? DRM_FORMAT_RGB565 :
			MVGPU_PLANE_FORMAT(c->ctl) == MVGPU_FMT_ARGB8888 ? DRM_FORMAT_ARGB8888 :
			DRM_FORMAT_XRGB8888);
}

static void mvgpu_display_cursor(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	struct mvgpu_plane p = {};

	t_wr(test, MVGPU_DISP_PIPE_CONF, 4, MVGPU_PIPE_ENABLE);
	t_wr(test, MVGPU_DISP_CUR_BASE, 4, T_HIGH + SZ_4K);
	t_wr(test, MVGPU_DISP_CUR_POS, 4, MVGPU_DISP_XY((u16)-10, 700));
	t_wr(test, MVGPU_DISP_CUR_HOT, 4, MVGPU_DISP_XY(70, 5));
	KUNIT_EXPECT_EQ(test, mvgpu_display_plane(&m->vgpu, true, &p), -ENOENT);
	t_wr(test, MVGPU_DISP_CUR_CTL, 4, ~0U);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_CUR_CTL, 4), MVGPU_PLANE_ENABLE);
	KUNIT_ASSERT_EQ(test, mvgpu_display_plane(&m->vgpu, true, &p), 0);
	KUNIT_EXPECT_EQ(test, p.gm, T_HIGH + SZ_4K);
	KUNIT_EXPECT_EQ(test, p.drm_format, DRM_FORMAT_ARGB8888);
	KUNIT_EXPECT_EQ(test, p.width, 64);
	KUNIT_EXPECT_EQ(test, p.height, 64);
	KUNIT_EXPECT_EQ(test, p.x, -10);
	KUNIT_EXPECT_EQ(test, p.y, 700);
	KUNIT_EXPECT_EQ(test, p.hot_x, 70 & 63);	/* inside the 64x64 image */
	KUNIT_EXPECT_EQ(test, p.hot_y, 5);
	/* the last 16 KiB of high GM, and a page further */
	t_wr(test, MVGPU_DISP_CUR_BASE, 4, T_HIGH + T_MIB(79) - SZ_16K);
	KUNIT_EXPECT_EQ(test, mvgpu_display_plane(&m->vgpu, true, &p), 0);
	t_wr(test, MVGPU_DISP_CUR_BASE, 4, T_HIGH + T_MIB(79) - SZ_16K + SZ_4K);
	KUNIT_EXPECT_EQ(test, mvgpu_display_plane(&m->vgpu, true, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, m->vgpu.display.plane_errors, 1);
}

static void mvgpu_display_mode_and_monitor(struct kunit *test)
{
	struct t_mmio *m = test->priv;
	const struct mvgpu_counters *n = &m->vgpu.counters;
	u8 edid[256], got[256];
	u32 i;

	/* modes the pipe cannot scan out are refused and counted */
	t_wr(test, MVGPU_DISP_PIPE_SRC, 4, 0);
	t_wr(test, MVGPU_DISP_PIPE_SRC, 4, MVGPU_DISP_XY(63, 480));
	t_wr(test, MVGPU_DISP_PIPE_SRC, 4, MVGPU_DISP_XY(2568, 1600));
	t_wr(test, MVGPU_DISP_PIPE_SRC, 4, MVGPU_DISP_XY(2560, 1608));
	KUNIT_EXPECT_EQ(test, n->unknown_writes, 4);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_SRC, 4), MVGPU_DISP_XY(1920, 1200));
	t_wr(test, MVGPU_DISP_PIPE_SRC, 4, MVGPU_DISP_XY(2560, 1600));
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_SRC, 4), MVGPU_DISP_XY(2560, 1600));
	/* read-only registers */
	t_wr(test, MVGPU_DISP_FRAME, 4, 5);
	t_wr(test, MVGPU_DISP_EDID, 4, 5);
	t_wr(test, MVGPU_DISP_PLANE_SURFLIVE, 4, T_LOW);
	KUNIT_EXPECT_EQ(test, n->unknown_writes, 7);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_EDID, 4), 0xffffff00);

	/* a new monitor: its EDID, a hot-plug event */
	for (i = 0; i < sizeof(edid); i++)
		edid[i] = i * 7 + 1;
	t_wr(test, MVGPU_REG_IMR, 4, 0);
	t_wr(test, MVGPU_REG_IER, 4, MVGPU_IRQ_HOTPLUG);
	mvgpu_display_set_edid(&m->vgpu, edid, sizeof(edid), true);
	KUNIT_EXPECT_TRUE(test, m->line);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4),
			MVGPU_HOTPLUG_CONNECTED | MVGPU_HOTPLUG_CHANGED);
	KUNIT_ASSERT_EQ(test, t_rd(test, MVGPU_DISP_EDID_SIZE, 4), sizeof(edid));
	t_read_edid(test, got, sizeof(got));
	KUNIT_EXPECT_MEMEQ(test, got, edid, sizeof(edid));
	/* CHANGED is write-1-to-clear, CONNECTED read-only */
	t_wr(test, MVGPU_DISP_HOTPLUG, 4, 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4),
			MVGPU_HOTPLUG_CONNECTED | MVGPU_HOTPLUG_CHANGED);
	t_wr(test, MVGPU_DISP_HOTPLUG, 4, ~0U);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4), MVGPU_HOTPLUG_CONNECTED);
	/* unplugged, the EDID kept */
	mvgpu_display_set_edid(&m->vgpu, NULL, 0, false);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4), MVGPU_HOTPLUG_CHANGED);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_EDID_SIZE, 4), sizeof(edid));

	/* a device reset: the pipe off in the type's mode, the monitor stays */
	t_wr(test, MVGPU_DISP_PIPE_CONF, 4, MVGPU_PIPE_ENABLE);
	t_wr(test, MVGPU_DISP_CUR_CTL, 4, MVGPU_PLANE_ENABLE);
	mvgpu_display_reset(&m->vgpu);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_CONF, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_CUR_CTL, 4), 0);
	KUNIT_EXPECT_EQ(test, m->timer_at, 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_PIPE_SRC, 4), MVGPU_DISP_XY(1920, 1200));
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4), 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_EDID_SIZE, 4), sizeof(edid));
	/* the next user's monitor: connected, the type's EDID */
	mvgpu_display_monitor_reset(&m->vgpu);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_HOTPLUG, 4), MVGPU_HOTPLUG_CONNECTED);
	KUNIT_EXPECT_EQ(test, t_rd(test, MVGPU_DISP_EDID_SIZE, 4), MVGPU_EDID_BLOCK);
}

static struct kunit_case mvgpu_display_cases[] = {
	KUNIT_CASE_PARAM(mvgpu_display_cvt, t_cvt_gen_params),
	KUNIT_CASE(mvgpu_display_power_on),
	KUNIT_CASE(mvgpu_display_vblank_flip),
	KUNIT_CASE_PARAM(mvgpu_display_primary, t_plane_gen_params),
	KUNIT_CASE(mvgpu_display_cursor),
	KUNIT_CASE(mvgpu_display_mode_and_monitor),
	{}
};

static struct kunit_suite mvgpu_display_suite = {
	.name = "mvgpu_display",
	.init = t_mmio_init,
	.exit = t_mmio_exit,
	.test_cases = mvgpu_display_cases,
};

kunit_test_suites(&mvgpu_res_suite, &mvgpu_cfg_suite, &mvgpu_mmio_suite, &mvgpu_csb_suite,
		  &mvgpu_gtt_suite, &mvgpu_ppgtt_suite, &mvgpu_dispatch_suite,
		  &mvgpu_display_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for mvgpu");
