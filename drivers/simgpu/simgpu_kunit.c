// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of simgpu: command decoding, blits checked against a
 * reference, GGTT and per-process translation, contexts and batches, the
 * watchdog, and random command streams.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/stdarg.h>
#include <linux/vmalloc.h>

#include "simgpu.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define T_GM_SIZE	SZ_16M
#define T_GM_PAGES	(T_GM_SIZE / SZ_4K)
#define T_MAX_PAGES	2048
#define T_MAX_CTX	4
#define T_RING(n)	((u64)(n) * SZ_4K)		/* context n's ring */
#define T_SCRATCH	((u64)SZ_64K)			/* stores and semaphores */
#define T_BATCH(n)	(SZ_128K + (u64)(n) * SZ_4K)
#define T_WIN		((u64)SZ_1M)			/* blit window */
#define T_WIN_SIZE	SZ_256K
#define T_BIG		((u64)SZ_4M)			/* window of the big blits */
#define T_BIG_SIZE	(7 * SZ_1M)
#define T_VA		0x7f0000000000ULL		/* per-process data */
#define T_VA_BB		0x100000ULL			/* per-process batch */
#define T_END_EVENTS	(SIMGPU_EVENT_COMPLETE | SIMGPU_EVENT_FAULT | \
			 SIMGPU_EVENT_HANG | SIMGPU_EVENT_ERROR)

#define T_SEM_HDR(len)	SIMGPU_MI_LEN(SIMGPU_MI_SEMAPHORE_WAIT, len)
#define T_SDI_HDR(len)	SIMGPU_MI_LEN(SIMGPU_MI_STORE_DATA_IMM, len)
#define T_LRI_HDR(len)	SIMGPU_MI_LEN(SIMGPU_MI_LOAD_REGISTER_IMM, len)
#define T_SRM_HDR(len)	SIMGPU_MI_LEN(SIMGPU_MI_STORE_REGISTER_MEM, len)
#define T_BB_HDR(len)	SIMGPU_MI_LEN(SIMGPU_MI_BATCH_BUFFER_START, len)

struct t_ctx {
	struct simgpu_ctx *ctx;
	struct completion done;
	atomic_t events;
	u32 *ring;
	u32 tail;
};

/* One GPU per test case, and everything to free after it. */
struct t_env {
	struct simgpu *gpu;
	u64 watchdog_ns;
	struct page **pages;
	unsigned int *orders;
	unsigned int nr_pages;
	struct page **gm;		/* the page behind each GM page */
	struct t_ctx ctx[T_MAX_CTX];
	unsigned int nr_ctx;
	void *shadow;
};

static u32 t_rand(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static int t_env_init(struct kunit *test, unsigned int watchdog_ms)
{
	struct simgpu_params p = {
		.gm_size = T_GM_SIZE,
		.aperture_size = SZ_4M,
		.nr_fences = 4,
		.watchdog_ns = (u64)watchdog_ms * NSEC_PER_MSEC,
	};
	struct t_env *env;
	struct simgpu *gpu;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->pages = kunit_kcalloc(test, T_MAX_PAGES, sizeof(*env->pages), GFP_KERNEL);
	env->orders = kunit_kcalloc(test, T_MAX_PAGES, sizeof(*env->orders), GFP_KERNEL);
	env->gm = kunit_kcalloc(test, T_GM_PAGES, sizeof(*env->gm), GFP_KERNEL);
	if (!env->pages || !env->orders || !env->gm)
		return -ENOMEM;
	gpu = simgpu_create(&p, "simgpu-kunit");
	if (IS_ERR(gpu))
		return PTR_ERR(gpu);
	env->gpu = gpu;
	env->watchdog_ns = p.watchdog_ns;
	test->priv = env;
	return 0;
}

static int t_init(struct kunit *test)
{
	return t_env_init(test, 1000);
}

static int t_init_watchdog(struct kunit *test)
{
	return t_env_init(test, 200);
}

static int t_init_fast(struct kunit *test)
{
	return t_env_init(test, 20);
}

static void t_exit(struct kunit *test)
{
	struct t_env *env = test->priv;
	unsigned int i;

	if (!env)
		return;
	for (i = 0; i < env->nr_ctx; i++)
		simgpu_ctx_destroy(env->ctx[i].ctx);
	simgpu_destroy(env->gpu);
	for (i = 0; i < env->nr_pages; i++)
		__free_pages(env->pages[i], env->orders[i]);
	vfree(env->shadow);
}

static struct page *t_alloc(struct kunit *test, unsigned int order)
{
	struct t_env *env = test->priv;
	struct page *page;

	KUNIT_ASSERT_LT(test, env->nr_pages, T_MAX_PAGES);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	KUNIT_ASSERT_NOT_NULL(test, page);
	env->pages[env->nr_pages] = page;
	env->orders[env->nr_pages++] = order;
	return page;
}

static void t_map(struct kunit *test, u64 gm, struct page *page)
{
	struct t_env *env = test->priv;

	KUNIT_ASSERT_EQ(test, simgpu_ggtt_write(env->gpu, gm >> PAGE_SHIFT,
						page_to_phys(page) | SIMGPU_PTE_VALID), 0);
	env->gm[gm >> PAGE_SHIFT] = page;
}

static void t_map_new(struct kunit *test, u64 gm, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += SZ_4K)
		t_map(test, gm + off, t_alloc(test, 0));
}

/* The CPU's view of mapped GM, independent of simgpu's translation. */
static void *t_gm(struct kunit *test, u64 gm)
{
	struct t_env *env = test->priv;
	struct page *page;

	KUNIT_ASSERT_LT(test, gm, (u64)T_GM_SIZE);
	page = env->gm[gm >> PAGE_SHIFT];
	KUNIT_ASSERT_NOT_NULL(test, page);
	return page_address(page) + offset_in_page(gm);
}

static u32 t_rd(struct kunit *test, u64 gm)
{
	return READ_ONCE(*(u32 *)t_gm(test, gm));
}

/* Map len bytes of GM at gm, with the same random bytes as a new shadow. */
static u8 *t_window(struct kunit *test, u64 gm, size_t len, u32 seed)
{
	struct t_env *env = test->priv;
	u32 *shadow;
	size_t i;

	env->shadow = vmalloc(len);
	KUNIT_ASSERT_NOT_NULL(test, env->shadow);
	shadow = env->shadow;
	seed |= 1;
	for (i = 0; i < len / 4; i++)
		shadow[i] = t_rand(&seed);
	t_map_new(test, gm, len);
	for (i = 0; i < len; i += SZ_4K)
		memcpy(t_gm(test, gm + i), env->shadow + i, SZ_4K);
	return env->shadow;
}

/* GM (whole pages) must equal the reference. */
static void t_expect_mem(struct kunit *test, u64 gm, const u8 *ref, size_t len)
{
	size_t off, i;
	const u8 *p;

	for (off = 0; off < len; off += SZ_4K) {
		p = t_gm(test, gm + off);
		if (!memcmp(p, ref + off, SZ_4K))
			continue;
		for (i = 0; p[i] == ref[off + i]; i++)
			;
		KUNIT_FAIL(test, "GM %#llx is %#x, expected %#x", gm + off + i, p[i], ref[off + i]);
		return;
	}
}

static void t_event(struct pgpu_ctx *ctx, u32 events, void *data)
{
	struct t_ctx *c = data;

	atomic_or(events, &c->events);
	if (events & ~SIMGPU_EVENT_USER)
		complete(&c->done);
}

/* A context with a 4 KiB ring at T_RING(n), mapped here unless it is. */
static struct t_ctx *t_ctx_new(struct kunit *test, u32 engine, u64 ppgtt_root)
{
	struct t_env *env = test->priv;
	struct pgpu_ctx_desc desc = {
		.engine = engine,
		.ring_start = T_RING(env->nr_ctx),
		.ring_size = SZ_4K,
		.ppgtt_root = ppgtt_root,
		.event = t_event,
	};
	struct simgpu_ctx *ctx;
	struct t_ctx *c;

	KUNIT_ASSERT_LT(test, env->nr_ctx, T_MAX_CTX);
	c = &env->ctx[env->nr_ctx];
	if (!env->gm[desc.ring_start >> PAGE_SHIFT])
		t_map_new(test, desc.ring_start, SZ_4K);
	c->ring = t_gm(test, desc.ring_start);
	init_completion(&c->done);
	desc.data = c;
	ctx = simgpu_ctx_create(env->gpu, &desc);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	c->ctx = ctx;
	env->nr_ctx++;
	return c;
}

static void t_emit(struct t_ctx *c, const u32 *dw, const u32 *end)
{
	while (dw < end) {
		c->ring[c->tail / 4] = *dw++;
		c->tail = (c->tail + 4) % SZ_4K;
	}
}

static int t_submit(struct t_ctx *c)
{
	reinit_completion(&c->done);
	atomic_set(&c->events, 0);
	return simgpu_ctx_submit(c->ctx, c->tail);
}

/* The events of a submission once it ended, 0 if it did not in time. */
static u32 t_wait(struct t_ctx *c)
{
	if (!wait_for_completion_timeout(&c->done, 5 * HZ))
		return 0;
	return atomic_read(&c->events);
}

/* Append cmd..end to the ring, submit, wait: the events. */
static u32 t_run(struct kunit *test, struct t_ctx *c, const u32 *cmd, const u32 *end)
{
	t_emit(c, cmd, end);
	KUNIT_ASSERT_EQ(test, t_submit(c), 0);
	return t_wait(c);
}

static void t_reset(struct kunit *test, struct t_ctx *c)
{
	KUNIT_ASSERT_EQ(test, simgpu_ctx_reset(c->ctx), 0);
	c->tail = 0;
}

static struct pgpu_ctx_stats t_stats(struct t_ctx *c)
{
	struct pgpu_ctx_stats st;

	simgpu_ctx_get_stats(c->ctx, &st);
	return st;
}

/* Command builders: each writes one command at p and returns its end. */
static u32 *t_put(u32 *p, unsigned int n, ...)
{
	va_list ap;

	va_start(ap, n);
	while (n--)
		*p++ = va_arg(ap, u32);
	va_end(ap);
	return p;
}

static u32 *t_mi(u32 *p, u32 opcode)
{
	return t_put(p, 1, SIMGPU_MI(opcode));
}

static u32 *t_sdi(u32 *p, u64 addr, u32 val, u32 flags)
{
	return t_put(p, 4, T_SDI_HDR(4) | flags, lower_32_bits(addr), upper_32_bits(addr), val);
}

static u32 *t_bb(u32 *p, u64 addr, u32 flags)
{
	return t_put(p, 3, T_BB_HDR(3) | flags, lower_32_bits(addr), upper_32_bits(addr));
}

static u32 *t_srm(u32 *p, unsigned int gpr, u64 addr)
{
	return t_put(p, 4, T_SRM_HDR(4), SIMGPU_REG_GPR(gpr), lower_32_bits(addr),
		     upper_32_bits(addr));
}

static u32 *t_sem(u32 *p, u32 op, u32 val, u64 addr)
{
	return t_put(p, 4, T_SEM_HDR(4) | op << 12, val, lower_32_bits(addr),
		     upper_32_bits(addr));
}

/* ---- simgpu_decode ---- */

struct t_decode {
	const char *desc;
	u32 header;
	const char *name;	/* NULL: the header is rejected */
	u32 len;
};

static const struct t_decode t_decode_cases[] = {
	{ "noop", SIMGPU_MI(SIMGPU_MI_NOOP), "MI_NOOP", 1 },
	{ "noop ignores bits 7:0", SIMGPU_MI(SIMGPU_MI_NOOP) | 0x3f, "MI_NOOP", 1 },
	{ "user interrupt", SIMGPU_MI(SIMGPU_MI_USER_INTERRUPT), "MI_USER_INTERRUPT", 1 },
	{ "flush", SIMGPU_MI(SIMGPU_MI_FLUSH), "MI_FLUSH", 1 },
	{ "bb end", SIMGPU_MI(SIMGPU_MI_BATCH_BUFFER_END), "MI_BATCH_BUFFER_END", 1 },
	{ "semaphore", T_SEM_HDR(4), "MI_SEMAPHORE_WAIT", 4 },
	{ "semaphore neq ggtt", T_SEM_HDR(4) | SIMGPU_SEM_NEQ << 12 | SIMGPU_MI_USE_GGTT,
	  "MI_SEMAPHORE_WAIT", 4 },
	{ "sdi dword", T_SDI_HDR(4), "MI_STORE_DATA_IMM", 4 },
	{ "sdi qword ggtt", T_SDI_HDR(5) | SIMGPU_MI_USE_GGTT, "MI_STORE_DATA_IMM", 5 },
	{ "lri one", T_LRI_HDR(3), "MI_LOAD_REGISTER_IMM", 3 },
	{ "lri sixteen", T_LRI_HDR(33), "MI_LOAD_REGISTER_IMM", 33 },
	{ "srm", T_SRM_HDR(4), "MI_STORE_REGISTER_MEM", 4 },
	{ "bb start", T_BB_HDR(3), "MI_BATCH_BUFFER_START", 3 },
	{ "bb start second level", T_BB_HDR(3) | SIMGPU_BB_SECOND_LEVEL,
	  "MI_BATCH_BUFFER_START", 3 },
	{ "fill", SIMGPU_BLT(SIMGPU_BLT_FILL, 7), "XY_COLOR_BLT", 7 },
	{ "copy", SIMGPU_BLT(SIMGPU_BLT_COPY, 10), "XY_SRC_COPY_BLT", 10 },
	{ "semaphore length 3", T_SEM_HDR(3) },
	{ "semaphore length 5", T_SEM_HDR(5) },
	{ "sdi length 3", T_SDI_HDR(3) },
	{ "sdi length 6", T_SDI_HDR(6) },
	{ "lri length 2", T_LRI_HDR(2) },
	{ "lri length 35", T_LRI_HDR(35) },
	{ "lri length 257", T_LRI_HDR(257) },
	{ "srm length 5", T_SRM_HDR(5) },
	{ "bb start length 2", T_BB_HDR(2) },
	{ "bb start length 4", T_BB_HDR(4) },
	{ "fill length 6", SIMGPU_BLT(SIMGPU_BLT_FILL, 6) },
	{ "fill length 8", SIMGPU_BLT(SIMGPU_BLT_FILL, 8) },
	{ "copy length 9", SIMGPU_BLT(SIMGPU_BLT_COPY, 9) },
	{ "copy length 11", SIMGPU_BLT(SIMGPU_BLT_COPY, 11) },
	{ "mi opcode 0x01", SIMGPU_MI(0x01) },
	{ "mi opcode 0x3f", SIMGPU_MI_LEN(0x3f, 3) },
	{ "blt opcode 0x51", SIMGPU_BLT(0x51, 7) },
	{ "client 1", 1u << 29 | SIMGPU_MI(SIMGPU_MI_NOOP) },
	{ "client 3", 3u << 29 | SIMGPU_BLT_FILL << 22 | 5 },
	{ "client 7", 7u << 29 | T_SDI_HDR(4) },
};

KUNIT_ARRAY_PARAM_DESC(t_decode, t_decode_cases, desc);

static void simgpu_decode_header(struct kunit *test)
{
	const struct t_decode *d = test->param_value;
	u32 len = 0xdead;
	const char *name = simgpu_decode(d->header, &len);

	if (!d->name) {
		KUNIT_EXPECT_NULL(test, name);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_EXPECT_STREQ(test, name, d->name);
	KUNIT_EXPECT_EQ(test, len, d->len);
}

/* Every opcode outside the command table, at any length, is unknown. */
static void simgpu_decode_unknown(struct kunit *test)
{
	static const u8 mi[] = { 0x00, 0x02, 0x04, 0x0a, 0x1c, 0x20, 0x22, 0x24, 0x31 };
	u32 op, n, len, h;

	for (op = 0; op < 64; op++)
		for (n = 2; n < 40 && !memchr(mi, op, sizeof(mi)); n += 3)
			KUNIT_EXPECT_NULL_MSG(test, simgpu_decode(SIMGPU_MI_LEN(op, n), &len),
					      "MI opcode %#x", op);
	for (op = 0; op < 128; op++)
		if (op != SIMGPU_BLT_FILL && op != SIMGPU_BLT_COPY)
			KUNIT_EXPECT_NULL_MSG(test, simgpu_decode(SIMGPU_BLT(op, 7), &len),
					      "BLT opcode %#x", op);
	for (op = 0; op < 1024; op++) {	/* bits 31:22: clients 1 and 3-7 */
		h = op << 22 | 5;
		n = SIMGPU_CMD_CLIENT(h);
		if (n != SIMGPU_CLIENT_MI && n != SIMGPU_CLIENT_BLT)
			KUNIT_EXPECT_NULL_MSG(test, simgpu_decode(h, &len), "header %#x", h);
	}
}

/* ---- simgpu_blit ---- */

struct t_blit {
	const char *desc;
	bool copy;
	u8 bpp;
	u16 x1, y1, x2, y2;
	u32 pitch;
	u32 dst;		/* offsets from the window's start */
	u16 sx, sy;
	u32 spitch;
	u32 src;
	u32 color;
	bool err;		/* a malformed blit: an error, nothing written */
};

static u32 *t_blt(u32 *p, const struct t_blit *b, u64 base)
{
	u64 dst = base + b->dst, src = base + b->src;

	p = t_put(p, 6, b->copy ? SIMGPU_BLT(SIMGPU_BLT_COPY, 10) : SIMGPU_BLT(SIMGPU_BLT_FILL, 7),
		  (u32)b->bpp << 24 | b->pitch, SIMGPU_BLT_XY(b->x1, b->y1),
		  SIMGPU_BLT_XY(b->x2, b->y2), lower_32_bits(dst), upper_32_bits(dst));
	if (!b->copy)
		return t_put(p, 1, b->color);
	return t_put(p, 4, SIMGPU_BLT_XY(b->sx, b->sy), b->spitch, lower_32_bits(src),
		     upper_32_bits(src));
}

/* The reference blit on a plain buffer; returns the bytes written. */
static u64 t_blit_ref(struct kunit *test, u8 *mem, size_t size, const struct t_blit *b)
{
	unsigned int cpp = b->bpp == SIMGPU_BLT_BPP_8 ? 1 : b->bpp == SIMGPU_BLT_BPP_16 ? 2 : 4;
	unsigned int w = (b->x2 - b->x1) * cpp, rows = b->y2 - b->y1, row, i;
	u8 *d;

	if (b->x2 <= b->x1 || b->y2 <= b->y1)
		return 0;
	KUNIT_ASSERT_LE(test, b->dst + (size_t)(b->y2 - 1) * b->pitch + b->x2 * cpp, size);
	KUNIT_ASSERT_LE(test, b->src + (size_t)(b->sy + rows - 1) * b->spitch + b->sx * cpp + w,
			size);
	for (row = 0; row < rows; row++) {
		d = mem + b->dst + (size_t)(b->y1 + row) * b->pitch + b->x1 * cpp;
		if (b->copy) {
			memmove(d, mem + b->src + (size_t)(b->sy + row) * b->spitch +
				b->sx * cpp, w);
		} else {
			for (i = 0; i < w; i++)
				d[i] = b->color >> (8 * (i % cpp));
		}
	}
	return (u64)w * rows;
}

#define T_B8	SIMGPU_BLT_BPP_8
#define T_B16	SIMGPU_BLT_BPP_16
#define T_B32	SIMGPU_BLT_BPP_32

static const struct t_blit t_blit_cases[] = {
	{ "fill 8bpp", false, T_B8, 0, 0, 64, 16, 64, 0, .color = 0x5a },
	{ "fill 8bpp odd x wide pitch", false, T_B8, 3, 5, 1003, 25, 4429, 7, .color = 0x1ee7 },
	{ "fill 8bpp odd pitch", false, T_B8, 1, 1, 300, 99, 333, 0, .color = 0x81 },
	{ "fill 16bpp", false, T_B16, 1, 1, 100, 50, 256, 0, .color = 0x1234beef },
	{ "fill 16bpp across pages", false, T_B16, 7, 2, 2000, 20, 4100, 6, .color = 0xa55a },
	{ "fill 32bpp rows of a page", false, T_B32, 0, 0, 1024, 16, 4096, 0,
	  .color = 0xdeadbeef },
	{ "fill 32bpp odd x pitch > row", false, T_B32, 5, 3, 300, 60, 1300, 0,
	  .color = 0x01020304 },
	{ "fill 32bpp across pages", false, T_B32, 1, 0, 1500, 30, 4100, 4,
	  .color = 0xcafef00d },
	{ "fill 32bpp black", false, T_B32, 2, 2, 50, 50, 256, 0, .color = 0 },
	{ "fill empty width", false, T_B32, 10, 0, 10, 10, 64, 0, .color = ~0u },
	{ "fill empty height", false, T_B8, 0, 5, 10, 5, 64, 0, .color = ~0u },
	{ "fill inverted", false, T_B16, 20, 20, 10, 10, 64, 0, .color = ~0u },
	{ "copy 8bpp", true, T_B8, 0, 0, 64, 64, 64, 0, 0, 0, 64, SZ_128K },
	{ "copy 8bpp offsets", true, T_B8, 13, 7, 333, 90, 700, 3, 5, 11, 1000, SZ_128K + 1 },
	{ "copy 16bpp", true, T_B16, 3, 3, 1203, 20, 4106, 0, 1, 2, 2600, SZ_128K + 2 },
	{ "copy 32bpp across pages", true, T_B32, 0, 0, 1500, 20, 6004, 4, 3, 1, 6100,
	  SZ_128K },
	{ "copy 32bpp one pixel", true, T_B32, 7, 9, 8, 10, 64, 0, 31, 0, 200, SZ_128K },
	{ "copy within a surface", true, T_B8, 0, 0, 1000, 30, 1024, 0, 0, 40, 1024, 0 },
	{ "copy empty", true, T_B32, 9, 0, 3, 10, 64, 0, 0, 0, 64, SZ_128K },
	{ "fill bpp code 2", false, 2, 0, 0, 16, 4, 64, 0, .color = ~0u, .err = true },
	{ "copy bpp code 2", true, 2, 0, 0, 16, 4, 64, 0, 0, 0, 64, SZ_128K, .err = true },
	{ "fill 16bpp odd address", false, T_B16, 0, 0, 30, 4, 64, 1, .err = true },
	{ "fill 32bpp pitch 4098", false, T_B32, 0, 0, 30, 4, 4098, 0, .err = true },
	{ "copy 32bpp source +2", true, T_B32, 0, 0, 8, 8, 64, 0, 0, 0, 64, SZ_128K + 2,
	  .err = true },
	{ "copy 16bpp source pitch 65", true, T_B16, 0, 0, 8, 8, 64, 0, 0, 0, 65, SZ_128K,
	  .err = true },
};

KUNIT_ARRAY_PARAM_DESC(t_blit, t_blit_cases, desc);

static void simgpu_blit_rect(struct kunit *test)
{
	const struct t_blit *b = test->param_value;
	u8 *shadow = t_window(test, T_WIN, T_WIN_SIZE, b->pitch ^ b->x2 << 16);
	struct pgpu_ctx_stats st;
	struct t_ctx *c;
	u32 cmd[16], *p;
	u64 bytes;

	c = t_ctx_new(test, b->copy ? SIMGPU_ENGINE_COPY : SIMGPU_ENGINE_RENDER, 0);
	bytes = b->err ? 0 : t_blit_ref(test, shadow, T_WIN_SIZE, b);
	p = t_blt(cmd, b, T_WIN);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p),
			b->err ? SIMGPU_EVENT_ERROR : SIMGPU_EVENT_COMPLETE);
	t_expect_mem(test, T_WIN, shadow, T_WIN_SIZE);
	st = t_stats(c);
	KUNIT_EXPECT_EQ(test, st.status, b->err ? PGPU_CTX_ERROR : PGPU_CTX_IDLE);
	KUNIT_EXPECT_EQ(test, st.bytes, bytes);
	KUNIT_EXPECT_EQ(test, st.commands, b->err ? 0 : 1);
}

/*
 * Two blits over the 1 MiB slice budget on one engine, released together
 * by a semaphore so that they take turns: each resumes where it stopped.
 */
static void simgpu_blit_big(struct kunit *test)
{
	static const struct t_blit big[] = {
		{ "fill", false, T_B32, 0, 0, 1000, 520, 4032, 0, .color = 0x600df00d },
		{ "copy", true, T_B8, 0, 0, 4000, 520, 4032, SZ_2M + SZ_256K, 8, 3, 4096,
		  SZ_4M + SZ_512K },
	};
	u8 *shadow = t_window(test, T_BIG, T_BIG_SIZE, 42);
	struct t_ctx *c[2];
	u32 cmd[16], *p;
	u64 bytes[2];
	int i;

	t_map_new(test, T_SCRATCH, SZ_4K);
	for (i = 0; i < 2; i++) {
		bytes[i] = t_blit_ref(test, shadow, T_BIG_SIZE, &big[i]);
		KUNIT_ASSERT_GT(test, bytes[i], (u64)SZ_1M);
		c[i] = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
		p = t_sem(cmd, SIMGPU_SEM_EQ, 1, T_SCRATCH);
		t_emit(c[i], cmd, t_blt(p, &big[i], T_BIG));
		KUNIT_ASSERT_EQ(test, t_submit(c[i]), 0);
	}
	msleep(20);
	WRITE_ONCE(*(u32 *)t_gm(test, T_SCRATCH), 1);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, t_wait(c[i]), SIMGPU_EVENT_COMPLETE);
		KUNIT_EXPECT_EQ(test, t_stats(c[i]).bytes, bytes[i]);
	}
	t_expect_mem(test, T_BIG, shadow, T_BIG_SIZE);
}

/* ---- simgpu_translate ---- */

static u64 t_table(struct kunit *test)
{
	return page_to_phys(t_alloc(test, 0));
}

static u64 *t_pte(u64 table, u64 va, int level)
{
	return (u64 *)phys_to_virt(table) + ((va >> (PAGE_SHIFT + 9 * level)) & 511);
}

/* Map va to pa in the 4-level tables at root, adding tables as needed. */
static void t_ppgtt_map(struct kunit *test, u64 root, u64 va, u64 pa)
{
	u64 table = root, *e;
	int level;

	for (level = SIMGPU_PPGTT_LEVELS - 1; level > 0; level--) {
		e = t_pte(table, va, level);
		if (!(*e & SIMGPU_PTE_VALID))
			*e = t_table(test) | SIMGPU_PTE_VALID;
		table = *e & SIMGPU_PTE_ADDR_MASK;
	}
	*t_pte(table, va, 0) = pa | SIMGPU_PTE_VALID;
}

/* With an empty translation cache, addr translates to pa, or faults if pa is 0. */
static void t_expect_xlate(struct kunit *test, u64 root, u64 addr, u64 pa)
{
	struct t_env *env = test->priv;
	struct simgpu_as as;
	u64 out = 0;

	simgpu_as_init(&as, env->gpu, root);
	KUNIT_EXPECT_EQ_MSG(test, simgpu_translate(&as, addr, &out), pa ? 0 : -EFAULT,
			    "address %#llx", addr);
	KUNIT_EXPECT_EQ_MSG(test, out, pa, "address %#llx", addr);
}

static void simgpu_translate_ggtt(struct kunit *test)
{
	struct t_env *env = test->priv;
	struct page *a = t_alloc(test, 0), *b = t_alloc(test, 0);
	u64 pa, last = T_GM_SIZE - SZ_4K, pte = page_to_phys(a) | SIMGPU_PTE_VALID;
	struct simgpu_as as;
	u32 v = 0x01020304;

	t_map(test, 5 * SZ_4K, a);
	t_map(test, last, b);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_read(env->gpu, 5), pte);
	t_expect_xlate(test, 0, 5 * SZ_4K + 0x123, page_to_phys(a) + 0x123);
	t_expect_xlate(test, 0, T_GM_SIZE - 1, page_to_phys(b) + 0xfff);
	/* a second page through the same cache */
	simgpu_as_init(&as, env->gpu, 0);
	KUNIT_EXPECT_EQ(test, simgpu_translate(&as, 5 * SZ_4K + 4, &pa), 0);
	KUNIT_EXPECT_EQ(test, simgpu_translate(&as, last + 8, &pa), 0);
	KUNIT_EXPECT_EQ(test, pa, page_to_phys(b) + 8);
	/* past GM, no entry, no valid bit, a page outside RAM */
	t_expect_xlate(test, 0, T_GM_SIZE, 0);
	t_expect_xlate(test, 0, ~0ULL, 0);
	t_expect_xlate(test, 0, 6 * SZ_4K, 0);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_write(env->gpu, 7, page_to_phys(a)), 0);
	t_expect_xlate(test, 0, 7 * SZ_4K + 8, 0);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_write(env->gpu, 8, BIT_ULL(46) | SIMGPU_PTE_VALID), 0);
	t_expect_xlate(test, 0, 8 * SZ_4K, 0);
	/* bad entries are refused and change nothing */
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_write(env->gpu, T_GM_PAGES, pte), -EINVAL);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_write(env->gpu, 5, page_to_phys(b) | 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_read(env->gpu, 5), pte);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_read(env->gpu, T_GM_PAGES), 0);
	/* an access across two pages, with the first one unmapped, then mapped */
	KUNIT_EXPECT_EQ(test, simgpu_mem_rw(&as, last - 2, &v, 4, true), -EFAULT);
	t_map(test, last - SZ_4K, a);
	simgpu_as_init(&as, env->gpu, 0);
	KUNIT_EXPECT_EQ(test, simgpu_mem_rw(&as, last - 2, &v, 4, true), 0);
	KUNIT_EXPECT_EQ(test, *(u16 *)(page_address(a) + SZ_4K - 2), 0x0304);
	KUNIT_EXPECT_EQ(test, *(u16 *)page_address(b), 0x0102);
	KUNIT_EXPECT_EQ(test, simgpu_ggtt_write(env->gpu, 5, 0), 0);
	t_expect_xlate(test, 0, 5 * SZ_4K, 0);
}

static void simgpu_translate_ppgtt(struct kunit *test)
{
	static const u64 va[] = { 0x1000, 0x7f1234567000, 0x7f1234568000, 0xfffffffff000 };
	static const u64 holes[] = {
		0x0, 0x2000, 0x200000, 0x40000000, 0x400000000000, 0x7f1234569000,
		BIT_ULL(48), BIT_ULL(48) | 0x1000, ~0ULL,
	};
	u64 root = t_table(test), pa[ARRAY_SIZE(va)], *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(va); i++) {
		pa[i] = t_table(test);
		t_ppgtt_map(test, root, va[i], pa[i]);
	}
	t_map_new(test, 0, SZ_4K);	/* the GGTT does not matter */
	for (i = 0; i < ARRAY_SIZE(va); i++) {
		t_expect_xlate(test, root, va[i] + 8 * i, pa[i] + 8 * i);
		t_expect_xlate(test, root, va[i] + 0xfff, pa[i] + 0xfff);
	}
	/* missing tables at each level, addresses of 49 bits and more */
	for (i = 0; i < ARRAY_SIZE(holes); i++)
		t_expect_xlate(test, root, holes[i], 0);
	/* a directory entry loses its valid bit: its part of the space goes */
	e = t_pte(*t_pte(root, va[1], 3) & SIMGPU_PTE_ADDR_MASK, va[1], 2);
	*e &= ~SIMGPU_PTE_VALID;
	t_expect_xlate(test, root, va[1], 0);
	t_expect_xlate(test, root, va[2], 0);
	t_expect_xlate(test, root, va[3], pa[3]);
}

/* Stores, a batch and blits of a context with its own address space. */
static void simgpu_translate_ppgtt_context(struct kunit *test)
{
	static const struct t_blit fill = { "", false, T_B32, 0, 0, 128, 1, 512, 0xf00,
					    .color = 0xa1b2c3d4 };
	static const struct t_blit copy = { "", true, T_B32, 0, 0, 5, 1, 64, 0x1800,
					    0, 0, 64, 0x10 };
	static const u32 copied[] = { 0xdeadbeef, 0, 0, 0, 0x11111111, 0 };
	struct page *p0 = t_alloc(test, 0), *p1 = t_alloc(test, 0), *pb = t_alloc(test, 0);
	u32 *d0 = page_address(p0), *d1 = page_address(p1), cmd[48], *p;
	u64 root = t_table(test);
	struct t_ctx *c;
	unsigned int i;

	t_ppgtt_map(test, root, T_VA, page_to_phys(p0));
	t_ppgtt_map(test, root, T_VA + SZ_4K, page_to_phys(p1));
	t_ppgtt_map(test, root, T_VA_BB, page_to_phys(pb));
	t_map_new(test, T_SCRATCH, SZ_4K);
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, root);

	p = t_sdi(page_address(pb), T_VA + 0x20, 0x11111111, 0);
	p = t_sdi(p, T_SCRATCH + 8, 0x22, SIMGPU_MI_USE_GGTT);
	t_mi(p, SIMGPU_MI_BATCH_BUFFER_END);
	p = t_sdi(cmd, T_VA + 0x10, 0xdeadbeef, 0);
	p = t_bb(p, T_VA_BB, 0);
	p = t_blt(p, &fill, T_VA);
	p = t_blt(p, &copy, T_VA);
	p = t_sdi(p, T_SCRATCH, 0x33, SIMGPU_MI_USE_GGTT);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_stats(c).commands, 8);
	KUNIT_EXPECT_EQ(test, d0[0x10 / 4], 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, d0[0x20 / 4], 0x11111111);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 8), 0x22);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH), 0x33);
	/* the fill crosses from p0 into p1 */
	for (i = 0xf00 / 4; i < SZ_4K / 4 + 0x100 / 4; i++)
		KUNIT_EXPECT_EQ(test, i < SZ_4K / 4 ? d0[i] : d1[i - SZ_4K / 4], 0xa1b2c3d4);
	KUNIT_EXPECT_EQ(test, d1[0x100 / 4], 0);
	for (i = 0; i < ARRAY_SIZE(copied); i++)
		KUNIT_EXPECT_EQ(test, d1[0x800 / 4 + i], copied[i]);
}

static void t_expect_fault(struct kunit *test, struct t_ctx *c, u64 addr, u32 head)
{
	struct pgpu_ctx_stats st = t_stats(c);

	KUNIT_EXPECT_EQ(test, st.status, PGPU_CTX_FAULTED);
	KUNIT_EXPECT_EQ(test, st.fault_addr, addr);
	KUNIT_EXPECT_EQ(test, st.head, head);
	KUNIT_EXPECT_EQ(test, simgpu_ctx_submit(c->ctx, c->tail), -EIO);
	KUNIT_EXPECT_EQ(test, simgpu_ctx_submit(c->ctx, 0), -EIO);
	t_reset(test, c);
	KUNIT_EXPECT_EQ(test, t_stats(c).status, PGPU_CTX_IDLE);
}

static void simgpu_translate_fault(struct kunit *test)
{
	struct page *p0 = t_alloc(test, 0);
	u32 *d0 = page_address(p0), cmd[16], *p;
	u64 root = t_table(test);
	struct t_ctx *c, *g;

	t_ppgtt_map(test, root, T_VA, page_to_phys(p0));
	t_map_new(test, T_SCRATCH, SZ_4K);
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, root);
	g = t_ctx_new(test, SIMGPU_ENGINE_COPY, 0);

	/* T_SCRATCH is in the GGTT, not in the context's space */
	p = t_sdi(cmd, T_VA, 1, 0);
	p = t_sdi(p, T_SCRATCH + 0x40, 2, 0);
	p = t_sdi(p, T_VA + 4, 3, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_FAULT);
	t_expect_fault(test, c, T_SCRATCH + 0x40, 16);
	KUNIT_EXPECT_EQ(test, d0[0], 1);
	KUNIT_EXPECT_EQ(test, d0[1], 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 0x40), 0);
	p = t_sdi(cmd, T_VA + 8, 4, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, d0[2], 4);

	/* GGTT: a GM page without an entry, past GM, a batch without a page */
	p = t_sdi(cmd, T_SCRATCH + SZ_4K + 4, 5, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, g, cmd, p), SIMGPU_EVENT_FAULT);
	t_expect_fault(test, g, T_SCRATCH + SZ_4K + 4, 0);
	p = t_sdi(cmd, T_SCRATCH, 6, 0);
	p = t_sdi(p, T_GM_SIZE + 8, 6, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, g, cmd, p), SIMGPU_EVENT_FAULT);
	t_expect_fault(test, g, T_GM_SIZE + 8, 16);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH), 6);
	p = t_bb(cmd, 2 * SZ_1M, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, g, cmd, p), SIMGPU_EVENT_FAULT);
	t_expect_fault(test, g, 2 * SZ_1M, 12);
}

/* ---- simgpu_context ---- */

static void simgpu_context_save_restore(struct kunit *test)
{
	struct t_ctx *a, *b;
	u32 cmd[16], *p;

	t_map_new(test, T_SCRATCH, SZ_4K);
	a = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	b = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	p = t_put(cmd, 5, T_LRI_HDR(5), SIMGPU_REG_GPR(3), 0xaaaa0003, SIMGPU_REG_GPR(15),
		  0xaaaa000f);
	KUNIT_EXPECT_EQ(test, t_run(test, a, cmd, p), SIMGPU_EVENT_COMPLETE);
	p = t_put(cmd, 3, T_LRI_HDR(3), SIMGPU_REG_GPR(3), 0xbbbb0003);
	KUNIT_EXPECT_EQ(test, t_run(test, b, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_stats(a).switches, 1);

	/* each stores its registers after the other one ran */
	p = t_srm(t_srm(cmd, 3, T_SCRATCH), 15, T_SCRATCH + 4);
	KUNIT_EXPECT_EQ(test, t_run(test, a, cmd, p), SIMGPU_EVENT_COMPLETE);
	p = t_srm(t_srm(cmd, 3, T_SCRATCH + 8), 15, T_SCRATCH + 12);
	KUNIT_EXPECT_EQ(test, t_run(test, b, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH), 0xaaaa0003);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4), 0xaaaa000f);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 8), 0xbbbb0003);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 12), 0);
	KUNIT_EXPECT_EQ(test, t_stats(a).switches, 2);
	KUNIT_EXPECT_EQ(test, t_stats(b).switches, 2);
	/* only (GPR, value) pairs can be loaded */
	p = t_put(cmd, 4, T_LRI_HDR(4), SIMGPU_REG_GPR(0), 1, SIMGPU_REG_GPR(1));
	KUNIT_EXPECT_EQ(test, t_run(test, a, cmd, p), SIMGPU_EVENT_ERROR);
	p = t_put(cmd, 5, T_LRI_HDR(5), SIMGPU_REG_GPR(0), 1, SIMGPU_REG_TIMESTAMP, 2);
	KUNIT_EXPECT_EQ(test, t_run(test, b, cmd, p), SIMGPU_EVENT_ERROR);
}

static void simgpu_context_batches(struct kunit *test)
{
	u32 cmd[16], *p, *b1, *b2, *b3;
	struct t_ctx *c;
	unsigned int i;

	t_map_new(test, T_SCRATCH, SZ_4K);
	t_map_new(test, T_BATCH(0), 3 * SZ_4K);
	b1 = t_gm(test, T_BATCH(0));
	b2 = t_gm(test, T_BATCH(1));
	b3 = t_gm(test, T_BATCH(2));
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);

	/* ring -> first level -> second level, and back */
	p = t_sdi(b1, T_SCRATCH + 4, 0x11, 0);
	p = t_bb(p, T_BATCH(1), SIMGPU_BB_SECOND_LEVEL);
	p = t_sdi(p, T_SCRATCH + 12, 0x13, 0);
	t_mi(p, SIMGPU_MI_BATCH_BUFFER_END);
	t_mi(t_sdi(b2, T_SCRATCH + 8, 0x12, 0), SIMGPU_MI_BATCH_BUFFER_END);
	p = t_sdi(cmd, T_SCRATCH, 0x10, 0);
	p = t_bb(p, T_BATCH(0), 0);
	p = t_sdi(p, T_SCRATCH + 16, 0x14, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4 * i), 0x10 + i);
	KUNIT_EXPECT_EQ(test, t_stats(c).commands, 9);

	/* a second level cannot call a third */
	p = t_sdi(b2, T_SCRATCH + 20, 0x15, 0);
	t_mi(t_bb(p, T_BATCH(2), SIMGPU_BB_SECOND_LEVEL), SIMGPU_MI_BATCH_BUFFER_END);
	t_mi(t_sdi(b3, T_SCRATCH + 24, 0x16, 0), SIMGPU_MI_BATCH_BUFFER_END);
	p = t_bb(cmd, T_BATCH(0), 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_ERROR);
	KUNIT_EXPECT_EQ(test, t_stats(c).status, PGPU_CTX_ERROR);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 20), 0x15);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 24), 0);

	/* the ring can neither call a second level nor end a batch */
	t_reset(test, c);
	p = t_bb(cmd, T_BATCH(2), SIMGPU_BB_SECOND_LEVEL);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_ERROR);
	t_reset(test, c);
	p = t_mi(cmd, SIMGPU_MI_BATCH_BUFFER_END);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_ERROR);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 24), 0);
}

/* USER with COMPLETE, commands across the ring's end, past the tail. */
static void simgpu_context_ring(struct kunit *test)
{
	struct t_ctx *c = t_ctx_new(test, SIMGPU_ENGINE_COPY, 0);
	u32 cmd[8], *p, nop = SIMGPU_MI(SIMGPU_MI_NOOP);
	unsigned int i;

	t_map_new(test, T_SCRATCH, SZ_4K);
	p = t_sdi(t_mi(cmd, SIMGPU_MI_USER_INTERRUPT), T_SCRATCH, 7, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_USER | SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH), 7);
	for (i = 5; i < SZ_4K / 4 - 3; i++)
		t_emit(c, &nop, &nop + 1);
	p = t_mi(cmd, SIMGPU_MI_FLUSH);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_stats(c).head, SZ_4K - 8);
	p = t_sdi(cmd, T_SCRATCH + 4, 8, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4), 8);
	KUNIT_EXPECT_EQ(test, t_stats(c).head, 8);
	KUNIT_EXPECT_EQ(test, t_stats(c).commands, 2 + (SZ_4K / 4 - 7) + 1);
	/* the first half of a store */
	p = t_sdi(cmd, T_SCRATCH + 8, 9, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p - 2), SIMGPU_EVENT_ERROR);
	KUNIT_EXPECT_EQ(test, t_stats(c).head, 8);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 8), 0);
}

static void simgpu_context_semaphore(struct kunit *test)
{
	struct t_ctx *r, *k;
	u32 cmd[32], *p;

	t_map_new(test, T_SCRATCH, SZ_4K);
	r = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	k = t_ctx_new(test, SIMGPU_ENGINE_COPY, 0);

	/* render waits for the copy engine's store */
	p = t_sdi(t_sem(cmd, SIMGPU_SEM_EQ, 5, T_SCRATCH), T_SCRATCH + 4, 0x77, 0);
	t_emit(r, cmd, p);
	KUNIT_ASSERT_EQ(test, t_submit(r), 0);
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&r->done));
	KUNIT_EXPECT_EQ(test, t_stats(r).status, PGPU_CTX_QUEUED);
	KUNIT_EXPECT_EQ(test, t_stats(r).head, 0);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4), 0);
	p = t_sdi(cmd, T_SCRATCH, 5, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, k, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_wait(r), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4), 0x77);

	/* satisfied comparisons pass at once; an unknown one is an error */
	p = t_sem(cmd, SIMGPU_SEM_GTE, 5, T_SCRATCH);
	p = t_sem(p, SIMGPU_SEM_GTE, 4, T_SCRATCH);
	p = t_sem(p, SIMGPU_SEM_NEQ, 6, T_SCRATCH);
	p = t_sdi(p, T_SCRATCH + 8, 0x78, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, r, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 8), 0x78);
	p = t_sem(cmd, 3, 5, T_SCRATCH);
	KUNIT_EXPECT_EQ(test, t_run(test, r, cmd, p), SIMGPU_EVENT_ERROR);
}

/* ---- simgpu_watchdog ---- */

/* A batch at T_BATCH(0) that jumps to itself forever. */
static void t_loop_batch(struct kunit *test)
{
	t_map_new(test, T_BATCH(0), SZ_4K);
	t_bb(t_gm(test, T_BATCH(0)), T_BATCH(0), 0);
}

/* Run cmd..end on c: it must hang after the watchdog time, not much later. */
static void t_expect_hang(struct kunit *test, struct t_ctx *c, const u32 *cmd, const u32 *end)
{
	struct t_env *env = test->priv;
	s64 wd = div_u64(env->watchdog_ns, NSEC_PER_MSEC), ms;
	ktime_t t0 = ktime_get();

	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, end), SIMGPU_EVENT_HANG);
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_GE(test, ms, wd);
	KUNIT_EXPECT_LT(test, ms, 10 * wd);
	KUNIT_EXPECT_EQ(test, t_stats(c).status, PGPU_CTX_HUNG);
}

static void simgpu_watchdog_loop(struct kunit *test)
{
	struct t_env *env = test->priv;
	struct pgpu_ctx_stats st;
	struct t_ctx *c;
	u32 cmd[8], *p;

	t_loop_batch(test);
	t_map_new(test, T_SCRATCH, SZ_4K);
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	p = t_bb(cmd, T_BATCH(0), 0);
	t_expect_hang(test, c, cmd, p);
	st = t_stats(c);
	KUNIT_EXPECT_GT(test, st.busy_ns, env->watchdog_ns);
	KUNIT_EXPECT_GT(test, st.commands, 4096);
	KUNIT_EXPECT_EQ(test, simgpu_ctx_submit(c->ctx, c->tail), -EIO);
	t_reset(test, c);
	p = t_sdi(cmd, T_SCRATCH, 1, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH), 1);
}

/*
 * A looping context does not keep another context on its engine from
 * running; a semaphore waiter there stays parked until the loop hangs.
 */
static void simgpu_watchdog_fairness(struct kunit *test)
{
	struct t_ctx *loop, *c, *w, *k;
	u32 cmd[8], *p;
	unsigned int i;

	t_loop_batch(test);
	t_map_new(test, T_SCRATCH, SZ_4K);
	loop = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	w = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	k = t_ctx_new(test, SIMGPU_ENGINE_COPY, 0);
	t_emit(loop, cmd, t_bb(cmd, T_BATCH(0), 0));
	KUNIT_ASSERT_EQ(test, t_submit(loop), 0);
	for (i = 0; i < 1000 && !t_stats(loop).switches; i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_EQ(test, t_stats(loop).switches, 1);
	t_emit(w, cmd, t_sdi(t_sem(cmd, SIMGPU_SEM_EQ, 1, T_SCRATCH + 64), T_SCRATCH + 68, 2, 0));
	KUNIT_ASSERT_EQ(test, t_submit(w), 0);
	for (i = 0; i < 3; i++) {
		p = t_sdi(cmd, T_SCRATCH + 4 * i, i + 1, 0);
		KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
		KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4 * i), i + 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&loop->events), 0);
	/*
	 * The copy engine releases the waiter, but a parked waiter is only
	 * looked at again once nothing else on its engine can run.
	 */
	p = t_sdi(cmd, T_SCRATCH + 64, 1, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, k, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_wait(w), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, atomic_read(&loop->events), SIMGPU_EVENT_HANG);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 68), 2);
	KUNIT_EXPECT_GE(test, t_stats(loop).switches, 2);
}

/*
 * A held context stops at a command boundary, keeps its pending work and
 * its watchdog time, and goes on from there when resumed.
 */
static void simgpu_watchdog_hold(struct kunit *test)
{
	struct t_env *env = test->priv;
	struct pgpu_ctx_stats st, st2;
	struct t_ctx *loop, *c;
	u32 cmd[8], *p;
	unsigned int i;

	t_loop_batch(test);
	t_map_new(test, T_SCRATCH, SZ_4K);
	loop = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	t_emit(loop, cmd, t_bb(cmd, T_BATCH(0), 0));
	KUNIT_ASSERT_EQ(test, t_submit(loop), 0);
	/* a quarter of its watchdog time, so what comes after is counted on */
	for (i = 0; i < 1000 && t_stats(loop).busy_ns < env->watchdog_ns / 4; i++)
		usleep_range(1000, 2000);
	simgpu_ctx_hold(loop->ctx);
	st = t_stats(loop);
	KUNIT_EXPECT_EQ(test, st.status, PGPU_CTX_QUEUED);
	KUNIT_EXPECT_GE(test, st.busy_ns, env->watchdog_ns / 4);
	/* the engine is free for others, and the held one does not move */
	p = t_sdi(cmd, T_SCRATCH, 7, 0);
	KUNIT_EXPECT_EQ(test, t_run(test, c, cmd, p), SIMGPU_EVENT_COMPLETE);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH), 7);
	KUNIT_EXPECT_EQ(test, simgpu_ctx_submit(loop->ctx, loop->tail), 0);
	usleep_range(20000, 30000);
	st2 = t_stats(loop);
	KUNIT_EXPECT_EQ(test, st2.commands, st.commands);
	KUNIT_EXPECT_EQ(test, st2.busy_ns, st.busy_ns);
	KUNIT_EXPECT_EQ(test, atomic_read(&loop->events), 0);
	/* resumed, it runs on until the watchdog, which counted on */
	simgpu_ctx_resume(loop->ctx);
	KUNIT_EXPECT_EQ(test, t_wait(loop), SIMGPU_EVENT_HANG);
	st2 = t_stats(loop);
	KUNIT_EXPECT_GT(test, st2.commands, st.commands);
	KUNIT_EXPECT_LT(test, st2.busy_ns - st.busy_ns, env->watchdog_ns);
	KUNIT_EXPECT_GE(test, st2.switches, 2);
}

static void simgpu_watchdog_semaphore(struct kunit *test)
{
	struct t_ctx *c;
	u32 cmd[16], *p;

	t_map_new(test, T_SCRATCH, SZ_4K);
	c = t_ctx_new(test, SIMGPU_ENGINE_COPY, 0);
	p = t_sdi(cmd, T_SCRATCH + 4, 9, 0);
	p = t_sem(p, SIMGPU_SEM_EQ, 1, T_SCRATCH);
	p = t_sdi(p, T_SCRATCH + 8, 10, 0);
	t_expect_hang(test, c, cmd, p);
	KUNIT_EXPECT_EQ(test, t_stats(c).head, 16);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 4), 9);
	KUNIT_EXPECT_EQ(test, t_rd(test, T_SCRATCH + 8), 0);
}

/* ---- simgpu_robustness ---- */

struct t_cmd {
	u32 header;
	const char *ops;	/* operands: address low, high, register, pitch, corners, value */
};

static const struct t_cmd t_cmds[] = {
	{ SIMGPU_MI(SIMGPU_MI_NOOP), "" },
	{ SIMGPU_MI(SIMGPU_MI_USER_INTERRUPT), "" },
	{ SIMGPU_MI(SIMGPU_MI_FLUSH), "" },
	{ T_SEM_HDR(4), "vah" },
	{ T_SDI_HDR(4), "ahv" },
	{ T_SDI_HDR(5), "ahvv" },
	{ T_LRI_HDR(3), "rv" },
	{ T_LRI_HDR(7), "rvrvrv" },
	{ T_SRM_HDR(4), "rah" },
	{ T_BB_HDR(3), "ah" },
	{ SIMGPU_BLT(SIMGPU_BLT_FILL, 7), "pxXahv" },
	{ SIMGPU_BLT(SIMGPU_BLT_COPY, 10), "pxXahxpah" },
};

/* Mostly a plausible operand of its kind, sometimes any value. */
static u32 t_operand(u32 *rng, char kind)
{
	u32 r = t_rand(rng), v = t_rand(rng);

	if (!(r % 8))
		return v;
	switch (kind) {
	case 'a':
		return (r & 8 ? T_SCRATCH : T_RING(0)) + (v & 0xffc);
	case 'h':
		return 0;
	case 'r':
		return SIMGPU_REG_GPR(v % SIMGPU_NUM_GPR);
	case 'p':
		return (v & 3) << 24 | ((v >> 8) & 0x3fc);
	case 'x':
		return SIMGPU_BLT_XY(v & 0xf, (v >> 8) & 0xf);
	case 'X':
		return SIMGPU_BLT_XY(8 + (v & 0x3f), 8 + ((v >> 8) & 0x3f));
	default:
		return r & 16 ? v : v & 1;
	}
}

static u32 *t_random_cmd(u32 *p, u32 *rng)
{
	const struct t_cmd *cmd = &t_cmds[t_rand(rng) % ARRAY_SIZE(t_cmds)];
	u32 h = cmd->header;
	const char *op;

	if (SIMGPU_CMD_CLIENT(h) == SIMGPU_CLIENT_MI && !(t_rand(rng) % 4))
		h |= t_rand(rng) & 0x007fff00;	/* GGTT, second level, comparison */
	*p++ = h;
	for (op = cmd->ops; *op; op++)
		*p++ = t_operand(rng, *op);
	return p;
}

/*
 * Fill a ring with random dwords (mode 0), or start it with up to 16
 * random commands (mode 1), some dwords of which are then replaced by
 * random ones (mode 2). Returns the tail in dwords.
 */
static unsigned int t_random_ring(u32 *ring, u32 *rng, unsigned int mode)
{
	unsigned int i, n, cmds;
	u32 *p = ring;

	for (i = 0; i < SZ_4K / 4; i++)
		ring[i] = t_rand(rng);
	if (!mode)
		return 1 + t_rand(rng) % (SZ_4K / 4 - 1);
	cmds = 1 + t_rand(rng) % 16;
	for (i = 0; i < cmds; i++)
		p = t_random_cmd(p, rng);
	n = p - ring;
	for (i = 0; mode == 2 && i < n; i++)
		if (!(t_rand(rng) % 16))
			ring[i] = t_rand(rng);
	return n;
}

static u32 t_end_status(u32 events)
{
	return events & SIMGPU_EVENT_FAULT ? PGPU_CTX_FAULTED :
	       events & SIMGPU_EVENT_ERROR ? PGPU_CTX_ERROR :
	       events & SIMGPU_EVENT_HANG ? PGPU_CTX_HUNG : PGPU_CTX_IDLE;
}

/*
 * Only the ring and a scratch page are in GM. Host pages that are not
 * (two of them physically right after those) must keep their contents.
 */
static void simgpu_robustness_random(struct kunit *test)
{
	struct page *blk = t_alloc(test, 2), *lone = t_alloc(test, 0);
	struct page *guards[] = { blk + 1, blk + 3, lone };
	unsigned int seed, i, ends[5] = {};
	struct t_ctx *c;
	u32 rng, events;

	t_map(test, T_SCRATCH, blk);
	t_map(test, T_RING(0), blk + 2);
	for (i = 0; i < ARRAY_SIZE(guards); i++)
		memset(page_address(guards[i]), 0xa5, PAGE_SIZE);
	c = t_ctx_new(test, SIMGPU_ENGINE_RENDER, 0);
	for (seed = 1; seed <= 200; seed++) {
		rng = seed * 2654435761u | 1;
		c->tail = 4 * t_random_ring(c->ring, &rng, seed % 3);
		KUNIT_ASSERT_EQ(test, t_submit(c), 0);
		events = t_wait(c) & T_END_EVENTS;
		KUNIT_ASSERT_EQ_MSG(test, hweight32(events), 1, "seed %u: %#x", seed, events);
		KUNIT_EXPECT_EQ_MSG(test, t_stats(c).status, t_end_status(events), "seed %u",
				    seed);
		for (i = 0; i < ARRAY_SIZE(guards); i++)
			KUNIT_ASSERT_NULL_MSG(test, memchr_inv(page_address(guards[i]), 0xa5,
							       PAGE_SIZE),
					      "seed %u: host page %u changed", seed, i);
		ends[ffs(events) - 1]++;
		t_reset(test, c);
	}
	kunit_info(test, "%u complete, %u faults, %u hangs, %u errors\n",
		   ends[0], ends[2], ends[3], ends[4]);
	KUNIT_EXPECT_GT(test, ends[0], 0);
	KUNIT_EXPECT_GT(test, ends[2], 0);
	KUNIT_EXPECT_GT(test, ends[4], 0);
}

static struct kunit_case simgpu_decode_test_cases[] = {
	KUNIT_CASE_PARAM(simgpu_decode_header, t_decode_gen_params),
	KUNIT_CASE(simgpu_decode_unknown),
	{}
};

static struct kunit_case simgpu_blit_test_cases[] = {
	KUNIT_CASE_PARAM(simgpu_blit_rect, t_blit_gen_params),
	KUNIT_CASE(simgpu_blit_big),
	{}
};

static struct kunit_case simgpu_translate_test_cases[] = {
	KUNIT_CASE(simgpu_translate_ggtt),
	KUNIT_CASE(simgpu_translate_ppgtt),
	KUNIT_CASE(simgpu_translate_ppgtt_context),
	KUNIT_CASE(simgpu_translate_fault),
	{}
};

static struct kunit_case simgpu_context_test_cases[] = {
	KUNIT_CASE(simgpu_context_save_restore),
	KUNIT_CASE(simgpu_context_batches),
	KUNIT_CASE(simgpu_context_ring),
	KUNIT_CASE(simgpu_context_semaphore),
	{}
};

static struct kunit_case simgpu_watchdog_test_cases[] = {
	KUNIT_CASE(simgpu_watchdog_loop),
	KUNIT_CASE(simgpu_watchdog_fairness),
	KUNIT_CASE(simgpu_watchdog_semaphore),
	KUNIT_CASE(simgpu_watchdog_hold),
	{}
};

static struct kunit_case simgpu_robustness_test_cases[] = {
	KUNIT_CASE(simgpu_robustness_random),
	{}
};

static struct kunit_suite simgpu_suites[] = {
	{ .name = "simgpu_decode", .test_cases = simgpu_decode_test_cases },
	{ .name = "simgpu_blit", .init = t_init, .exit = t_exit,
	  .test_cases = simgpu_blit_test_cases },
	{ .name = "simgpu_translate", .init = t_init, .exit = t_exit,
	  .test_cases = simgpu_translate_test_cases },
	{ .name = "simgpu_context", .init = t_init, .exit = t_exit,
	  .test_cases = simgpu_context_test_cases },
	{ .name = "simgpu_watchdog", .init = t_init_watchdog, .exit = t_exit,
	  .test_cases = simgpu_watchdog_test_cases },
	{ .name = "simgpu_robustness", .init = t_init_fast, .exit = t_exit,
	  .test_cases = simgpu_robustness_test_cases },
};

kunit_test_suites(&simgpu_suites[0], &simgpu_suites[1], &simgpu_suites[2], &simgpu_suites[3],
		  &simgpu_suites[4], &simgpu_suites[5]);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for simgpu");
