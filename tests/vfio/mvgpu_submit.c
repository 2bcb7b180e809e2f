// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPU work through vGPUs, done the way guests do it through QEMU: each
 * vGPU gets "guest memory" mapped with VFIO, GTT entries pointing at it,
 * context images and rings in its GM, and submits through its ports.
 * Results are checked byte for byte in guest memory; hostile workloads
 * must be refused or killed without touching the other vGPUs. Prints TAP.
 *
 * Usage: mvgpu_submit UUID UUID UUID   (three vGPUs of one GPU)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

#define IOVA		0x100000000ULL
#define PAGES		128
#define NR_GUESTS	3

/* GM layout from the vGPU's high GM base, one GM page per guest page */
#define P_CTX(e)	(e)		/* context images */
#define P_RING(e)	(2 + (e))	/* 4 KiB rings */
#define P_BATCH		4		/* 4 pages of batches */
#define P_SCRATCH	8
#define P_DATA		16		/* up to the end: blit surfaces */
#define RING_SIZE	4096
#define ENGINES		SIMGPU_NUM_ENGINES
#define TIMEOUT_MS	20000

struct guest {
	struct vfio_dev d;
	struct vgpu_res r;
	const char *uuid;
	uint8_t *mem;
	int efd;
	uint32_t seen[ENGINES];		/* CSB entries read so far */
	uint32_t events[ENGINES][64];	/* CSB events of the last run */
	unsigned int nr_events[ENGINES];
};

static struct guest guests[NR_GUESTS];

static uint64_t gm(struct guest *g, unsigned int page)
{
	return g->r.high_base + (uint64_t)page * 4096;
}

static uint32_t *mem32(struct guest *g, unsigned int page, unsigned int off)
{
	return (uint32_t *)(g->mem + page * 4096 + off);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Map guest memory and point the first PAGES pages of high GM at it. */
static int guest_setup(struct guest *g)
{
	if (!g->mem) {
		g->mem = guest_memory(PAGES * 4096);
		if (!g->mem || vfio_dma_map(&g->d, g->mem, IOVA, PAGES * 4096))
			return -1;
	}
	if (gtt_map_pages(&g->d, gm(g, 0) / 4096, IOVA, PAGES) != PAGES)
		return -1;
	memset(g->seen, 0, sizeof(g->seen));
	mmio_wr32(&g->d, MVGPU_REG_IMR, 0);
	mmio_wr32(&g->d, MVGPU_REG_IER, MVGPU_IRQ_ALL);
	return vfio_irq_set_eventfd(&g->d, VFIO_PCI_MSI_IRQ_INDEX, g->efd);
}

/* Point engine @e's context at @n commands written at the start of its ring. */
static void put_work(struct guest *g, unsigned int e, const uint32_t *cmds, unsigned int n)
{
	uint32_t *img = mem32(g, P_CTX(e), 0);

	memcpy(mem32(g, P_RING(e), 0), cmds, 4 * n);
	ctx_set_ring(img, gm(g, P_RING(e)), RING_SIZE, 4 * n);
	img[MVGPU_CTX_RING_HEAD / 4] = 0;
	img[MVGPU_CTX_FLAGS / 4] = 0;
	img[MVGPU_CTX_STATUS / 4] = 0;
}

/*
 * Read new CSB entries of engine @e until one ends context @id (complete
 * or error); returns that event, 0 on timeout. Events go to g->events.
 */
static uint32_t wait_end(struct guest *g, unsigned int e, uint32_t id)
{
	uint64_t deadline = now_ms() + TIMEOUT_MS;
	uint32_t base = MVGPU_ENGINE_BASE(e), count, ev, cid;

	g->nr_events[e] = 0;
	while (now_ms() < deadline) {
		count = mmio_rd32(&g->d, base + MVGPU_ENGINE_CSB_COUNT);
		if (count - g->seen[e] > MVGPU_CSB_ENTRIES)
			tap_diag("CSB overflowed: %u entries unread", count - g->seen[e]);
		for (; g->seen[e] != count; g->seen[e]++) {
			uint32_t off = MVGPU_ENGINE_CSB(g->seen[e] % MVGPU_CSB_ENTRIES);

			ev = mmio_rd32(&g->d, base + off);
			cid = mmio_rd32(&g->d, base + off + 4);
			if (cid == id && g->nr_events[e] < 64)
				g->events[e][g->nr_events[e]++] = ev;
			if (cid == id && ev & (MVGPU_CSB_COMPLETE | MVGPU_CSB_ERROR)) {
				g->seen[e]++;
				return ev;
			}
		}
		usleep(1000);
	}
	return 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Whether the stats line KEY of a vGPU reads exactly VALUE. */
static bool key_is(const char *uuid, const char *key, const char *value)
{
	char path[256], line[256], want[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/stats", uuid);
	snprintf(want, sizeof(want), "%s: %s\n", key, value);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, want);
	fclose(f);
	return found;
}

static uint32_t run(struct guest *g, unsigned int e, const uint32_t *cmds, unsigned int n,
		    uint32_t id)
{
	put_work(g, e, cmds, n);
	engine_submit(&g->d, e, gm(g, P_CTX(e)), id);
	return wait_end(g, e, id);
}

static bool is_error(uint32_t ev, unsigned int err)
{
	return (ev & MVGPU_CSB_ERROR) && MVGPU_CSB_ERR(ev) == err;
}

static void test_basic(struct guest *g)
{
	uint32_t cmd[64], *p, ev, *img = mem32(g, P_CTX(0), 0);
	uint64_t irqs;

	memset(g->mem + P_DATA * 4096, 0, 16 * 4096);
	p = emit_fill(cmd, gm(g, P_DATA), 256, 64, 64, 0x11223344);	/* 16 KiB */
	p = emit_sdi(p, gm(g, P_SCRATCH), 0x600d);
	p = emit_mi(p, SIMGPU_MI_USER_INTERRUPT);
	ev = run(g, SIMGPU_ENGINE_RENDER, cmd, p - cmd, 7);
	tap_check(ev == MVGPU_CSB_COMPLETE, "render: a fill and a store complete (CSB 0x%x)", ev);
	tap_check(g->nr_events[0] >= 3 && g->events[0][0] == MVGPU_CSB_SUBMITTED &&
		  g->events[0][1] == MVGPU_CSB_RUNNING,
		  "CSB: submitted, running, complete, in order (%u events)", g->nr_events[0]);
	tap_check(mem_all32(mem32(g, P_DATA, 0), 16384, 0x11223344) &&
		  mem_all32(mem32(g, P_DATA + 4, 0), 4096, 0),
		  "the fill wrote exactly its 16 KiB of guest memory");
	tap_check(*mem32(g, P_SCRATCH, 0) == 0x600d, "the store reached guest memory");
	tap_check(img[MVGPU_CTX_RING_HEAD / 4] == img[MVGPU_CTX_RING_TAIL / 4] &&
		  img[MVGPU_CTX_STATUS / 4] == MVGPU_CSB_COMPLETE,
		  "context image: head moved to the tail, status written back");
	irqs = efd_wait(g->efd, 2000);
	tap_check(irqs >= 1, "MSI: the completion interrupt arrived");
	tap_check((mmio_rd32(&g->d, MVGPU_REG_IIR) &
		   (MVGPU_IRQ_RENDER_COMPLETE | MVGPU_IRQ_USER)) ==
		  (MVGPU_IRQ_RENDER_COMPLETE | MVGPU_IRQ_USER),
		  "IIR: render complete and the user interrupt");
	mmio_wr32(&g->d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	tap_check(mmio_rd32(&g->d, MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_PENDING) == 0 &&
		  mmio_rd32(&g->d, MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_STATUS) == 0,
		  "engine idle afterwards");
}

/* GPRs live in the context image across workloads. */
static void test_registers(struct guest *g)
{
	uint32_t cmd[16], *p, ev1, ev2, *img = mem32(g, P_CTX(0), 0);

	p = emit_lri(cmd, SIMGPU_REG_GPR(3), 0xabc123);
	ev1 = run(g, SIMGPU_ENGINE_RENDER, cmd, p - cmd, 8);
	tap_check(ev1 == MVGPU_CSB_COMPLETE && img[MVGPU_CTX_GPR(3) / 4] == 0xabc123,
		  "a register load is saved in the context image");
	img[MVGPU_CTX_GPR(4) / 4] = 0x4444;
	p = emit_srm(cmd, SIMGPU_REG_GPR(3), gm(g, P_SCRATCH) + 16);
	p = emit_srm(p, SIMGPU_REG_GPR(4), gm(g, P_SCRATCH) + 20);
	ev2 = run(g, SIMGPU_ENGINE_RENDER, cmd, p - cmd, 9);
	tap_check(ev2 == MVGPU_CSB_COMPLETE && *mem32(g, P_SCRATCH, 16) == 0xabc123 &&
		  *mem32(g, P_SCRATCH, 20) == 0x4444,
		  "the next workload starts with the registers of the image");
}

static void test_copy_engine(struct guest *g)
{
	uint32_t cmd[16], *p, ev, *src = mem32(g, P_DATA, 0), *dst = mem32(g, P_DATA + 8, 0);
	unsigned int i;
	bool same;

	for (i = 0; i < 8192; i++)
		src[i] = i * 2654435761u;
	memset(dst, 0, 8 * 4096);
	p = emit_copy(cmd, gm(g, P_DATA + 8), gm(g, P_DATA), 512, 128, 64);
	ev = run(g, SIMGPU_ENGINE_COPY, cmd, p - cmd, 3);
	same = !memcmp(src, dst, 32768);
	tap_check(ev == MVGPU_CSB_COMPLETE && same,
		  "copy engine: a 32 KiB copy blit arrives byte for byte");
	tap_check(mmio_rd32(&g->d, MVGPU_REG_IIR) & MVGPU_IRQ_COPY_COMPLETE,
		  "IIR: copy complete");
	mmio_wr32(&g->d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	p = emit_lri(cmd, SIMGPU_REG_GPR(0), 1);
	ev = run(g, SIMGPU_ENGINE_COPY, cmd, p - cmd, 4);
	tap_check(is_error(ev, MVGPU_ERR_SCAN), "copy engine: register loads are refused");
}

/* ring -> batch -> second-level batch, and the guest changing them after */
static void test_batches(struct guest *g)
{
	uint32_t cmd[16], *p, ev;
	uint32_t *b1 = mem32(g, P_BATCH, 0), *b2 = mem32(g, P_BATCH + 1, 0);

	memset(g->mem + P_SCRATCH * 4096, 0, 4096);
	p = emit_sdi(b1, gm(g, P_SCRATCH) + 32, 0xb1);
	p = emit_bb(p, gm(g, P_BATCH + 1), SIMGPU_BB_SECOND_LEVEL);
	p = emit_fill(p, gm(g, P_DATA), 256, 64, 4, 0xb1b1b1b1);
	emit_mi(p, SIMGPU_MI_BATCH_BUFFER_END);
	emit_mi(emit_sdi(b2, gm(g, P_SCRATCH) + 36, 0xb2), SIMGPU_MI_BATCH_BUFFER_END);
	p = emit_bb(cmd, gm(g, P_BATCH), 0);
	p = emit_sdi(p, gm(g, P_SCRATCH) + 40, 0xe0);
	ev = run(g, SIMGPU_ENGINE_RENDER, cmd, p - cmd, 10);
	tap_check(ev == MVGPU_CSB_COMPLETE && *mem32(g, P_SCRATCH, 32) == 0xb1 &&
		  *mem32(g, P_SCRATCH, 36) == 0xb2 && *mem32(g, P_SCRATCH, 40) == 0xe0 &&
		  mem_all32(mem32(g, P_DATA, 0), 1024, 0xb1b1b1b1),
		  "batches: ring, first and second level all ran");
	tap_check(stat_value(g->uuid, "render.workloads") >= 4,
		  "stats: render.workloads counts them (%" PRIu64 ")",
		  stat_value(g->uuid, "render.workloads"));
}

/* All vGPUs at once, each into its own memory. */
static void test_concurrent(void)
{
	uint32_t cmd[NR_GUESTS][16], ev[NR_GUESTS], *p;
	unsigned int i, round;
	bool ok = true, done = true;

	for (round = 0; round < 4; round++) {
		for (i = 0; i < NR_GUESTS; i++) {
			struct guest *g = &guests[i];

			memset(g->mem + P_DATA * 4096, 0, 64 * 4096);
			p = emit_fill(cmd[i], gm(g, P_DATA), 1024, 256, 256,
				      0x01010101u * (16 * round + i + 1));
			put_work(g, 0, cmd[i], p - cmd[i]);
			engine_submit(&g->d, 0, gm(g, P_CTX(0)), 100 + round);
		}
		for (i = 0; i < NR_GUESTS; i++) {
			ev[i] = wait_end(&guests[i], 0, 100 + round);
			done &= ev[i] == MVGPU_CSB_COMPLETE;
			ok &= mem_all32(mem32(&guests[i], P_DATA, 0), 256 * 1024,
					0x01010101u * (16 * round + i + 1));
		}
	}
	tap_check(done, "%d vGPUs, 4 rounds of 256 KiB fills at once: all complete",
		  NR_GUESTS);
	tap_check(ok, "every vGPU's memory holds exactly its own pattern");
}

/* A hostile vGPU: refused, then failsafe; the others' work stays right. */
static void test_hostile(struct guest *bad, struct guest *good)
{
	uint32_t cmd[16], *p, ev[4], evg, *b = mem32(bad, P_BATCH, 0);
	uint8_t before[4096];
	bool refused;

	memcpy(before, good->mem + P_DATA * 4096, sizeof(before));
	p = emit_fill(cmd, gm(good, P_DATA), 256, 64, 16, 0xbadbad);
	ev[0] = run(bad, 0, cmd, p - cmd, 20);
	p = emit_lri(cmd, SIMGPU_REG_TIMESTAMP, 0);
	ev[1] = run(bad, 0, cmd, p - cmd, 21);
	emit_bb(b, gm(bad, P_BATCH), 0);			/* a batch that jumps to itself */
	p = emit_bb(cmd, gm(bad, P_BATCH), 0);
	ev[2] = run(bad, 0, cmd, p - cmd, 22);
	refused = is_error(ev[0], MVGPU_ERR_SCAN) && is_error(ev[1], MVGPU_ERR_SCAN) &&
		  is_error(ev[2], MVGPU_ERR_SCAN);
	tap_check(refused, "scanner: refuses a fill at another vGPU, a register load, %s",
		  "a self-looping batch");
	tap_diag("their CSB events: 0x%x 0x%x 0x%x", ev[0], ev[1], ev[2]);
	tap_check(!memcmp(before, good->mem + P_DATA * 4096, sizeof(before)),
		  "the other vGPU's memory is untouched");
	tap_check(stat_value(bad->uuid, "scan_rejects") == 3 &&
		  !strcmp(vgpu_attr(bad->uuid, "stats"), "state: failsafe"),
		  "stats: three rejects put the vGPU in failsafe");
	tap_check(mmio_rd32(&bad->d, MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_STATUS) &
		  MVGPU_ENGINE_FAILSAFE, "engine status shows failsafe");
	p = emit_sdi(cmd, gm(bad, P_SCRATCH), 1);
	ev[3] = run(bad, 0, cmd, p - cmd, 23);
	tap_check(is_error(ev[3], MVGPU_ERR_FAILSAFE), "failsafe: good work is refused too");
	p = emit_fill(cmd, gm(good, P_DATA), 256, 64, 16, 0x5a5a5a5a);
	evg = run(good, 0, cmd, p - cmd, 24);
	tap_check(evg == MVGPU_CSB_COMPLETE && mem_all32(mem32(good, P_DATA, 0), 4096, 0x5a5a5a5a),
		  "the other vGPU goes on working");

	tap_check(!ioctl(bad->d.fd, VFIO_DEVICE_RESET) && !guest_setup(bad) &&
		  !strcmp(vgpu_attr(bad->uuid, "stats"), "state: active"),
		  "reset leaves failsafe");
	p = emit_sdi(cmd, gm(bad, P_SCRATCH), 0x77);
	ev[3] = run(bad, 0, cmd, p - cmd, 25);
	tap_check(ev[3] == MVGPU_CSB_COMPLETE && *mem32(bad, P_SCRATCH, 0) == 0x77,
		  "after the reset it runs work again");
}

/* Garbage of every kind: each refused, none reaches the engine. */
static void test_bad_streams(struct guest *g)
{
	static const uint32_t garbage[][4] = {
		{ 0xffffffff, 0, 0, 0 },				/* unknown client */
		{ SIMGPU_MI(0x3f), 0, 0, 0 },				/* unknown MI */
		{ SIMGPU_MI(SIMGPU_MI_BATCH_BUFFER_END), 0, 0, 0 },	/* end in the ring */
		{ SIMGPU_MI_LEN(SIMGPU_MI_STORE_DATA_IMM, 4), 0, 0, 0 },/* GM address 0 */
	};
	uint32_t cmd[16], ev;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < 4; i++) {
		memcpy(cmd, garbage[i], sizeof(garbage[i]));
		ev = run(g, 0, cmd, i == 3 ? 4 : 1, 40 + i);
		ok &= is_error(ev, MVGPU_ERR_SCAN);
		if (i == 1) {	/* stay out of failsafe for the rest */
			ioctl(g->d.fd, VFIO_DEVICE_RESET);
			guest_setup(g);
		}
	}
	tap_check(ok, "garbage, unknown commands, a ring batch end, a store to GM 0: refused");
	ioctl(g->d.fd, VFIO_DEVICE_RESET);
	guest_setup(g);
}

/* Bad descriptors and images: a context error, not a violation. */
static void test_bad_contexts(struct guest *g)
{
	uint32_t cmd[8], *p, ev[6], *img = mem32(g, P_CTX(0), 0);
	uint64_t rejects = stat_value(g->uuid, "scan_rejects");
	uint64_t ppgtt_rejects = stat_value(g->uuid, "ppgtt_rejects");

	p = emit_sdi(cmd, gm(g, P_SCRATCH), 1);
	put_work(g, 0, cmd, p - cmd);
	mmio_wr64(&g->d, MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_SUBMIT, gm(g, P_CTX(0)) | 50ULL << 48);
	ev[0] = wait_end(g, 0, 50);
	engine_submit(&g->d, 0, 0, 51);			/* GM the vGPU does not own */
	ev[1] = wait_end(g, 0, 51);
	img[MVGPU_CTX_RING_SIZE / 4] = 1000;
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 52);
	ev[2] = wait_end(g, 0, 52);
	put_work(g, 0, cmd, p - cmd);
	img[MVGPU_CTX_RING_START / 4] = (uint32_t)(g->r.low_base - 4096);
	img[MVGPU_CTX_RING_START / 4 + 1] = (g->r.low_base - 4096) >> 32;
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 53);
	ev[3] = wait_end(g, 0, 53);
	put_work(g, 0, cmd, p - cmd);
	img[MVGPU_CTX_FLAGS / 4] = MVGPU_CTX_F_PPGTT;
	img[MVGPU_CTX_PPGTT_ROOT / 4] = 0x10000;	/* no guest memory there */
	img[MVGPU_CTX_PPGTT_ROOT / 4 + 1] = 0;
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 54);
	ev[4] = wait_end(g, 0, 54);
	put_work(g, 0, cmd, p - cmd);
	img[MVGPU_CTX_RING_TAIL / 4] = 2;
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 55);
	ev[5] = wait_end(g, 0, 55);
	tap_check(is_error(ev[0], MVGPU_ERR_CONTEXT), "a descriptor without the valid bit");
	tap_check(is_error(ev[1], MVGPU_ERR_CONTEXT), "an image outside the vGPU's GM");
	tap_check(is_error(ev[2], MVGPU_ERR_CONTEXT), "a ring size that is no power of two");
	tap_check(is_error(ev[3], MVGPU_ERR_CONTEXT), "a ring outside the vGPU's GM");
	tap_check(is_error(ev[4], MVGPU_ERR_CONTEXT) &&
		  stat_value(g->uuid, "ppgtt_rejects") == ppgtt_rejects + 1,
		  "page tables at a guest address with no memory (a violation)");
	tap_check(is_error(ev[5], MVGPU_ERR_CONTEXT), "a misaligned tail");
	tap_check(stat_value(g->uuid, "scan_rejects") == rejects,
		  "bad contexts are not counted as scan violations");
	ioctl(g->d.fd, VFIO_DEVICE_RESET);	/* forget the page tables' violation */
	guest_setup(g);
}

/* Per-process page tables: 4 levels in guest memory map VA to guest pages. */
#define P_PT		100		/* 4 table pages */
#define VA		0x7f0000000000ULL
#define EXTRA_IOVA	(IOVA + (1ULL << 30))

static uint64_t *pt_page(struct guest *g, unsigned int level)
{
	return (uint64_t *)(g->mem + (P_PT + level) * 4096);
}

/* VA + i * 4096 -> guest physical @gpa(i) for i < n; tables at P_PT.. */
static void pt_build(struct guest *g, unsigned int n, uint64_t (*gpa)(unsigned int))
{
	unsigned int level, i;

	for (level = 0; level < 4; level++)
		memset(pt_page(g, level), 0, 4096);
	for (level = 3; level > 0; level--)
		pt_page(g, level)[(VA >> (12 + 9 * level)) & 511] =
			(IOVA + (P_PT + level - 1) * 4096ULL) | SIMGPU_PTE_VALID;
	for (i = 0; i < n; i++)
		pt_page(g, 0)[((VA >> 12) & 511) + i] = gpa(i) | SIMGPU_PTE_VALID;
}

static uint64_t data_page(unsigned int i)
{
	return IOVA + (P_DATA + 32 + i) * 4096ULL;	/* guest pages 48.. */
}

static uint64_t extra_page(unsigned int i)
{
	return i ? data_page(i) : EXTRA_IOVA;
}

static void put_ppgtt(struct guest *g, unsigned int e)
{
	uint32_t *img = mem32(g, P_CTX(e), 0);

	img[MVGPU_CTX_FLAGS / 4] = MVGPU_CTX_F_PPGTT;
	img[MVGPU_CTX_PPGTT_ROOT / 4] = (uint32_t)(IOVA + (P_PT + 3) * 4096ULL);
	img[MVGPU_CTX_PPGTT_ROOT / 4 + 1] = (IOVA + (P_PT + 3) * 4096ULL) >> 32;
}

static void test_ppgtt(struct guest *g)
{
	uint32_t cmd[32], *p, ev, *batch = mem32(g, P_DATA + 32 + 7, 0);
	uint8_t *extra;

	pt_build(g, 8, data_page);
	memset(g->mem + (P_DATA + 32) * 4096, 0, 8 * 4096);
	/* a batch in the per-process space: a fill and a store there */
	p = emit_fill(batch, VA, 1024, 256, 4, 0x0badcafe);		/* 4 KiB at VA */
	p = emit_sdi(p, VA + 4096 + 8, 0x5afe);
	emit_mi(p, SIMGPU_MI_BATCH_BUFFER_END);
	p = emit_bb(cmd, VA + 7 * 4096, 0);
	p = emit_copy(p, VA + 2 * 4096, VA, 1024, 256, 4);		/* VA -> VA + 8 KiB */
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 200);
	ev = wait_end(g, 0, 200);
	tap_check(ev == MVGPU_CSB_COMPLETE &&
		  mem_all32(mem32(g, P_DATA + 32, 0), 4096, 0x0badcafe) &&
		  mem_all32(mem32(g, P_DATA + 34, 0), 4096, 0x0badcafe) &&
		  *mem32(g, P_DATA + 33, 8) == 0x5afe,
		  "PPGTT: a batch, a fill, a store and a copy through the guest's page tables");

	/* the tables are read at submission: changing them later changes nothing */
	p = emit_sdi(cmd, VA + 4096 + 12, 0x1234);
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 201);
	pt_page(g, 0)[((VA >> 12) & 511) + 1] = 0;
	ev = wait_end(g, 0, 201);
	tap_check(ev == MVGPU_CSB_COMPLETE && *mem32(g, P_DATA + 33, 12) == 0x1234,
		  "PPGTT: a workload keeps the tables it was submitted with");
	p = emit_sdi(cmd, VA + 4096 + 16, 0x1);
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 202);
	ev = wait_end(g, 0, 202);
	tap_check(is_error(ev, MVGPU_ERR_FAULT) && *mem32(g, P_DATA + 33, 16) == 0,
		  "PPGTT: an address the tables do not map faults (0x%x)", ev);
	p = emit_sdi(cmd, gm(g, P_SCRATCH) + 200, 0x77);
	cmd[0] |= SIMGPU_MI_USE_GGTT;
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 203);
	ev = wait_end(g, 0, 203);
	tap_check(ev == MVGPU_CSB_COMPLETE && *mem32(g, P_SCRATCH, 200) == 0x77,
		  "PPGTT: commands with USE_GGTT still reach the vGPU's GM");
	p = emit_sdi(cmd, 0, 0x77);			/* GM the host keeps */
	cmd[0] |= SIMGPU_MI_USE_GGTT;
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 204);
	ev = wait_end(g, 0, 204);
	tap_check(is_error(ev, MVGPU_ERR_SCAN), "PPGTT: USE_GGTT outside the vGPU's GM is refused");
	ioctl(g->d.fd, VFIO_DEVICE_RESET);
	guest_setup(g);

	/* memory that leaves the guest's map kills the work that maps it */
	extra = guest_memory(4096);
	tap_check(extra && !vfio_dma_map(&g->d, extra, EXTRA_IOVA, 4096), "MAP_DMA one more page");
	memset(extra, 0, 4096);
	pt_build(g, 2, extra_page);
	p = emit_sem(cmd, SIMGPU_SEM_EQ, 1, VA);
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 205);
	usleep(20000);
	tap_check(counter(g->uuid, "pins") >= PAGES + 1 &&
		  vfio_dma_unmap(&g->d, EXTRA_IOVA, 4096) == 0,
		  "UNMAP_DMA of a page a running workload maps (%" PRIu64 " pins)",
		  counter(g->uuid, "pins"));
	ev = wait_end(g, 0, 205);
	tap_check(is_error(ev, MVGPU_ERR_FAULT), "that workload ended with a fault (0x%x)", ev);
	tap_check(counter(g->uuid, "pins") == PAGES, "its pages are unpinned (%" PRIu64 ")",
		  counter(g->uuid, "pins"));
	munmap(extra, 4096);
	p = emit_sdi(cmd, VA + 4096, 0x99);
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 206);
	ev = wait_end(g, 0, 206);
	tap_check(ev == MVGPU_CSB_COMPLETE && *mem32(g, P_DATA + 33, 0) == 0x99,
		  "the vGPU goes on with PPGTT work");
}

/* A full queue, and work waiting on a semaphore the guest releases. */
static void test_queue(struct guest *g)
{
	uint32_t cmd[16], *p, ev = 0, pending;
	unsigned int i;
	bool ok = true;

	*mem32(g, P_SCRATCH, 64) = 0;
	*mem32(g, P_SCRATCH, 68) = 0;
	p = emit_sem(cmd, SIMGPU_SEM_EQ, 1, gm(g, P_SCRATCH) + 64);
	p = emit_sdi(p, gm(g, P_SCRATCH) + 68, 0x99);
	put_work(g, 0, cmd, p - cmd);
	for (i = 0; i < MVGPU_MAX_PENDING; i++)
		engine_submit(&g->d, 0, gm(g, P_CTX(0)), 60 + i);
	pending = mmio_rd32(&g->d, MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_PENDING);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 70);
	*mem32(g, P_SCRATCH, 64) = 1;		/* release them */
	tap_check(pending == MVGPU_MAX_PENDING, "PENDING counts %u queued workloads", pending);
	for (i = 0; i < MVGPU_MAX_PENDING; i++) {
		ev = wait_end(g, 0, 60 + i);
		ok &= ev == MVGPU_CSB_COMPLETE;
	}
	tap_check(ok && *mem32(g, P_SCRATCH, 68) == 0x99,
		  "once the semaphore is released all complete, in order (last 0x%x)", ev);
	tap_check(stat_value(g->uuid, "render.queue") == 0, "stats: render.queue drained");
}

/*
 * Page tables that cannot be shadowed make the host pin and unpin pages
 * for nothing: 9 entries of the level-1 table point at one leaf table of
 * 512 valid leaves, 4608 pages, past MVGPU_PPGTT_MAX_PAGES (4096). Each
 * submission pins 4096 before it is refused; it counts as a violation,
 * and failsafe comes after as many of them as of scanner refusals.
 */
#define FAILSAFE_AFTER	3	/* the driver's MVGPU_FAILSAFE_VIOLATIONS */

static void test_ppgtt_failsafe(struct guest *g)
{
	uint32_t cmd[8], *p, ev[FAILSAFE_AFTER + 1], *img = mem32(g, P_CTX(0), 0);
	uint64_t rejects = stat_value(g->uuid, "ppgtt_rejects");
	unsigned int level, i;
	bool refused = true, active_before = true;

	ioctl(g->d.fd, VFIO_DEVICE_RESET);	/* no violations yet */
	guest_setup(g);
	for (level = 0; level < 4; level++)
		memset(pt_page(g, level), 0, 4096);
	for (level = 3; level > 1; level--)
		pt_page(g, level)[(VA >> (12 + 9 * level)) & 511] =
			(IOVA + (P_PT + level - 1) * 4096ULL) | SIMGPU_PTE_VALID;
	for (i = 0; i < 9; i++)
		pt_page(g, 1)[((VA >> 21) & 511) + i] = (IOVA + P_PT * 4096ULL) | SIMGPU_PTE_VALID;
	for (i = 0; i < 512; i++)
		pt_page(g, 0)[i] = (IOVA + (P_DATA + i % 64) * 4096ULL) | SIMGPU_PTE_VALID;
	p = emit_sdi(cmd, gm(g, P_SCRATCH) + 300, 0x55);
	cmd[0] |= SIMGPU_MI_USE_GGTT;
	for (i = 0; i < FAILSAFE_AFTER; i++) {
		if (strcmp(vgpu_attr(g->uuid, "stats"), "state: active"))
			active_before = false;
		put_work(g, 0, cmd, p - cmd);
		put_ppgtt(g, 0);
		engine_submit(&g->d, 0, gm(g, P_CTX(0)), 300 + i);
		ev[i] = wait_end(g, 0, 300 + i);
		refused &= is_error(ev[i], MVGPU_ERR_CONTEXT);
	}
	tap_check(refused && active_before,
		  "PPGTT: %d submissions with 4608 leaves are refused, the vGPU active until the last",
		  FAILSAFE_AFTER);
	tap_check(stat_value(g->uuid, "ppgtt_rejects") == rejects + FAILSAFE_AFTER,
		  "stats: ppgtt_rejects counts them (%" PRIu64 ")",
		  stat_value(g->uuid, "ppgtt_rejects"));
	tap_check(!strcmp(vgpu_attr(g->uuid, "stats"), "state: failsafe") &&
		  mmio_rd32(&g->d, MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_STATUS) &
		  MVGPU_ENGINE_FAILSAFE,
		  "PPGTT: after %d refusals, as many as the scanner's, the vGPU is in failsafe",
		  FAILSAFE_AFTER);
	tap_check(key_is(g->uuid, "failsafe_reason", "ppgtt_violations"),
		  "stats: failsafe_reason says ppgtt_violations");
	put_work(g, 0, cmd, p - cmd);
	put_ppgtt(g, 0);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 300 + FAILSAFE_AFTER);
	ev[FAILSAFE_AFTER] = wait_end(g, 0, 300 + FAILSAFE_AFTER);
	tap_check(is_error(ev[FAILSAFE_AFTER], MVGPU_ERR_FAILSAFE),
		  "failsafe: the next submission is refused at once (0x%x)", ev[FAILSAFE_AFTER]);
	tap_check(counter(g->uuid, "pins") == PAGES,
		  "the refused builds left no pins behind (%" PRIu64 ")", counter(g->uuid, "pins"));
	img[MVGPU_CTX_FLAGS / 4] = 0;
	tap_check(!ioctl(g->d.fd, VFIO_DEVICE_RESET) && !guest_setup(g) &&
		  !strcmp(vgpu_attr(g->uuid, "stats"), "state: active") &&
		  run(g, 0, cmd, p - cmd, 310) == MVGPU_CSB_COMPLETE,
		  "reset leaves failsafe; the vGPU runs work again");
}

/*
 * While one vGPU's long workload is preempted again and again for
 * another's (each switch a wait for the engine to stop, each new
 * workload a copy into the shadow pages), a third vGPU's engine
 * registers and stats keep answering: many times, all before the long
 * workload ends.
 */
static void test_responsive(struct guest *busy, struct guest *other, struct guest *reader)
{
	uint32_t cmd[64], *p, ev, base = MVGPU_ENGINE_BASE(0), *b = mem32(other, P_BATCH, 0);
	uint64_t start, worst = 0, t, reads = 0, stats = 0, others = 0, pending_left;
	unsigned int i;
	bool ok = true;

	/* the long one: fills, then a semaphore the test releases at the end */
	*mem32(busy, P_SCRATCH, 256) = 0;
	p = cmd;
	for (i = 0; i < 8; i++)
		p = emit_fill(p, gm(busy, P_DATA), 1024, 256, 64, 0x10101010 * (i + 1));
	p = emit_sem(p, SIMGPU_SEM_EQ, 1, gm(busy, P_SCRATCH) + 256);
	put_work(busy, 0, cmd, p - cmd);
	engine_submit(&busy->d, 0, gm(busy, P_CTX(0)), 400);
	/* the other: a batch of 16 KiB of commands to copy into its shadow */
	p = b;
	for (i = 0; i < 4000; i++)
		p = emit_mi(p, SIMGPU_MI_NOOP);
	p = emit_fill(p, gm(other, P_DATA), 1024, 256, 16, 0x0e0e0e0e);
	emit_mi(p, SIMGPU_MI_BATCH_BUFFER_END);
	start = now_ms();
	/* well within the semaphore's watchdog (3 s in the L1 suite) */
	while (now_ms() - start < 1000) {
		if (!others || wait_end(other, 0, 500 + others - 1)) {
			p = emit_bb(cmd, gm(other, P_BATCH), 0);
			put_work(other, 0, cmd, p - cmd);
			engine_submit(&other->d, 0, gm(other, P_CTX(0)), 500 + others);
			others++;
		}
		for (i = 0; i < 20; i++) {
			t = now_ms();
			ok &= mmio_rd32(&reader->d, base + MVGPU_ENGINE_PENDING) == 0 &&
			      !(mmio_rd32(&reader->d, base + MVGPU_ENGINE_STATUS) &
				MVGPU_ENGINE_BUSY);
			reads += 2;
			if (i == 0) {
				ok &= stat_value(reader->uuid, "render.queue") == 0;
				stats++;
			}
			worst = max_u64(worst, now_ms() - t);
		}
	}
	pending_left = mmio_rd32(&busy->d, base + MVGPU_ENGINE_PENDING);
	tap_check(ok && reads >= 40 && pending_left == 1,
		  "%" PRIu64 " register and %" PRIu64 " stats reads of a third vGPU answered, %s",
		  reads, stats, "all while the long workload was still running");
	tap_diag("slowest of those reads: %" PRIu64 " ms; %" PRIu64 " workloads of the other vGPU",
		 worst, others);
	*mem32(busy, P_SCRATCH, 256) = 1;
	ev = wait_end(busy, 0, 400);
	wait_end(other, 0, 500 + others - 1);
	for (i = 0; i < busy->nr_events[0] && busy->events[0][i] != MVGPU_CSB_PREEMPTED; i++)
		;
	tap_check(ev == MVGPU_CSB_COMPLETE && i < busy->nr_events[0] && others > 1,
		  "the long workload was preempted for the other vGPU's and then completed (0x%x)",
		  ev);
}

/* A workload that never ends is killed; only its vGPU notices. */
static void test_hang(struct guest *bad, struct guest *good)
{
	uint32_t cmd[16], *p, ev, evg;

	*mem32(bad, P_SCRATCH, 128) = 0;
	p = emit_sem(cmd, SIMGPU_SEM_EQ, 1, gm(bad, P_SCRATCH) + 128);
	put_work(bad, 0, cmd, p - cmd);
	engine_submit(&bad->d, 0, gm(bad, P_CTX(0)), 80);
	p = emit_fill(cmd, gm(good, P_DATA), 256, 64, 16, 0x0f0f0f0f);
	evg = run(good, 0, cmd, p - cmd, 81);
	ev = wait_end(bad, 0, 80);
	tap_check(is_error(ev, MVGPU_ERR_HANG), "the watchdog kills a workload that hangs (0x%x)",
		  ev);
	tap_check(evg == MVGPU_CSB_COMPLETE && mem_all32(mem32(good, P_DATA, 0), 4096, 0x0f0f0f0f),
		  "another vGPU's work completed meanwhile");
	tap_check(stat_value(bad->uuid, "render.hangs") == 1, "stats: render.hangs is 1");
	p = emit_sdi(cmd, gm(bad, P_SCRATCH), 0x42);
	ev = run(bad, 0, cmd, p - cmd, 82);
	tap_check(ev == MVGPU_CSB_COMPLETE && *mem32(bad, P_SCRATCH, 0) == 0x42,
		  "the hung vGPU runs new work without a reset");
}

static void test_sysfs(struct guest *g, unsigned int type_weight)
{
	char want[16];

	snprintf(want, sizeof(want), "%u", type_weight);
	tap_check(!strcmp(vgpu_attr(g->uuid, "weight"), want),
		  "weight starts as the type's (%s)", vgpu_attr(g->uuid, "weight"));
	tap_check(!vgpu_attr_write(g->uuid, "weight", "5") &&
		  !strcmp(vgpu_attr(g->uuid, "weight"), "5"), "weight can be changed");
	tap_check(vgpu_attr_write(g->uuid, "weight", "0") == -ERANGE &&
		  vgpu_attr_write(g->uuid, "weight", "101") == -ERANGE &&
		  vgpu_attr_write(g->uuid, "weight", "x") == -EINVAL &&
		  !strcmp(vgpu_attr(g->uuid, "weight"), "5"),
		  "bad weights are refused and change nothing");
	tap_check(!vgpu_attr_write(g->uuid, "cap", "50") &&
		  !strcmp(vgpu_attr(g->uuid, "cap"), "50") &&
		  vgpu_attr_write(g->uuid, "cap", "101") == -ERANGE &&
		  !vgpu_attr_write(g->uuid, "cap", "0"), "cap: 0..100");
	vgpu_attr_write(g->uuid, "weight", want);
	tap_check(stat_value(g->uuid, "copy.busy_ns") != ~0ULL &&
		  stat_value(g->uuid, "render.switches") != ~0ULL &&
		  stat_value(g->uuid, "render.share_permille") <= 1000,
		  "stats: per-engine keys are there");
}

/* Closing with work still running stops it. */
static void test_close_busy(struct guest *g)
{
	uint32_t cmd[16], *p;

	*mem32(g, P_SCRATCH, 128) = 0;
	p = emit_sem(cmd, SIMGPU_SEM_EQ, 1, gm(g, P_SCRATCH) + 128);
	put_work(g, 0, cmd, p - cmd);
	engine_submit(&g->d, 0, gm(g, P_CTX(0)), 90);
	usleep(20000);
	vfio_dev_close(&g->d);
	tap_check(vfio_dev_open(&g->d, g->uuid) == 0 &&
		  stat_value(g->uuid, "render.queue") == 0,
		  "closing a vGPU with work running drops the work; it opens again");
}

int main(int argc, char **argv)
{
	static const unsigned int weights[NR_GUESTS] = { 8, 4, 2 };
	unsigned int i;
	bool ok = true;

	if (argc != NR_GUESTS + 1) {
		fprintf(stderr, "usage: %s UUID_V1_2 UUID_V1_4 UUID_V1_8\n", argv[0]);
		return 2;
	}
	for (i = 0; i < NR_GUESTS; i++) {
		struct guest *g = &guests[i];

		g->uuid = argv[i + 1];
		g->efd = efd_new();
		ok &= !read_resources(g->uuid, &g->r) && !vfio_dev_open(&g->d, g->uuid) &&
		      !guest_setup(g);
	}
	tap_check(ok, "three vGPUs open, with guest memory behind their GTTs");
	if (!ok)
		return tap_done();
	test_sysfs(&guests[0], weights[0]);
	test_basic(&guests[0]);
	test_registers(&guests[0]);
	test_copy_engine(&guests[1]);
	test_batches(&guests[0]);
	test_concurrent();
	test_bad_contexts(&guests[1]);
	test_ppgtt(&guests[1]);
	test_queue(&guests[1]);
	test_ppgtt_failsafe(&guests[1]);
	test_responsive(&guests[0], &guests[1], &guests[2]);
	test_hostile(&guests[2], &guests[0]);
	test_bad_streams(&guests[2]);
	test_hang(&guests[2], &guests[1]);
	test_close_busy(&guests[2]);
	for (i = 0; i < NR_GUESTS; i++)
		vfio_dev_close(&guests[i].d);
	return tap_done();
}
