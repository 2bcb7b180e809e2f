// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduling end to end, through VFIO as guests use vGPUs: two vGPUs of
 * one GPU keep the render engine saturated, and the engine time they get
 * must follow their weights (2 and 8), with preemptions reported in their
 * CSBs and their switch counters rising; a cap of 25 % must keep a lone
 * vGPU well below its uncapped share; and a vGPU whose workload never ends
 * (a semaphore nobody releases) must not stop the other's work. The
 * checks are functional, with wide margins: no timing goal is asserted
 * (make bench measures the shares). Prints TAP.
 *
 * Usage: mvgpu_shares UUID UUID   (two vGPUs of one GPU)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

#define IOVA		0x100000000ULL
#define SLOTS		4		/* workloads kept queued per vGPU */
#define P_CTX(s)	(s)		/* context images */
#define P_RING(s)	(SLOTS + (s))	/* their rings */
#define P_SEM		(2 * SLOTS)
#define P_DATA		16		/* 1 MiB filled by every workload */
#define DATA_PAGES	256
#define PAGES		(P_DATA + DATA_PAGES)
#define RING_SIZE	4096
#define RENDER		SIMGPU_ENGINE_RENDER
#define STUCK_MS	30000

struct guest {
	struct vfio_dev d;
	struct vgpu_res r;
	const char *uuid;
	uint8_t *mem;
	bool busy[SLOTS];		/* submitted, not seen ended */
	uint64_t done;			/* workloads seen complete */
	uint64_t failed;		/* workloads seen ending otherwise */
	uint32_t csb_seen;
	uint64_t preempted;		/* PREEMPTED events in its CSB */
};

static struct guest guests[2];

static uint64_t gm(struct guest *g, unsigned int page)
{
	return g->r.high_base + (uint64_t)page * 4096;
}

static uint32_t *mem32(struct guest *g, unsigned int page)
{
	return (uint32_t *)(g->mem + (size_t)page * 4096);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static int guest_open(struct guest *g, const char *uuid)
{
	g->uuid = uuid;
	if (read_resources(uuid, &g->r) || vfio_dev_open(&g->d, uuid))
		return -1;
	g->mem = guest_memory(PAGES * 4096);
	if (!g->mem || vfio_dma_map(&g->d, g->mem, IOVA, PAGES * 4096))
		return -1;
	return gtt_map_pages(&g->d, gm(g, 0) / 4096, IOVA, PAGES) == PAGES ? 0 : -1;
}

static uint32_t slot_status(struct guest *g, unsigned int s)
{
	return __atomic_load_n(&mem32(g, P_CTX(s))[MVGPU_CTX_STATUS / 4], __ATOMIC_ACQUIRE);
}

/* Slot @s runs @n commands. */
static void submit(struct guest *g, unsigned int s, const uint32_t *cmds, unsigned int n)
{
	uint32_t *img = mem32(g, P_CTX(s));

	memset(img, 0, 4096);
	memcpy(mem32(g, P_RING(s)), cmds, 4 * n);
	ctx_set_ring(img, gm(g, P_RING(s)), RING_SIZE, 4 * n);
	g->busy[s] = true;
	engine_submit(&g->d, RENDER, gm(g, P_CTX(s)), 1 + s);
}

/* 16 fills of the vGPU's 1 MiB: several ms of engine time. */
static void submit_fills(struct guest *g, unsigned int s)
{
	uint32_t cmd[160], *p = cmd;
	unsigned int i;

	for (i = 0; i < 16; i++)
		p = emit_fill(p, gm(g, P_DATA), 4096, 1024, DATA_PAGES, 0x01010101u * (s + 1));
	submit(g, s, cmd, p - cmd);
}

/* Read the CSB entries written since last time; count preemptions. */
static void read_csb(struct guest *g)
{
	uint32_t base = MVGPU_ENGINE_BASE(RENDER);
	uint32_t count = mmio_rd32(&g->d, base + MVGPU_ENGINE_CSB_COUNT);

	if (count - g->csb_seen > MVGPU_CSB_ENTRIES)
		g->csb_seen = count - MVGPU_CSB_ENTRIES;
	for (; g->csb_seen != count; g->csb_seen++)
		if (mmio_rd32(&g->d, base + MVGPU_ENGINE_CSB(g->csb_seen % MVGPU_CSB_ENTRIES)) ==
		    MVGPU_CSB_PREEMPTED)
			g->preempted++;
}

/* Collect ended slots; resubmit them while @refill. Returns slots still busy. */
static unsigned int service(struct guest *g, bool refill)
{
	unsigned int s, busy = 0;
	uint32_t st;

	for (s = 0; s < SLOTS; s++) {
		if (g->busy[s]) {
			st = slot_status(g, s);
			if (!st) {
				busy++;
				continue;
			}
			g->busy[s] = false;
			if (st == MVGPU_CSB_COMPLETE)
				g->done++;
			else
				g->failed++;
		}
		if (refill) {
			submit_fills(g, s);
			busy++;
		}
	}
	read_csb(g);
	return busy;
}

/* The first @n guests keep their slots full for @ms, then drain. False if stuck. */
static bool saturate(unsigned int n, uint64_t ms)
{
	uint64_t end = now_ms() + ms, stuck;
	unsigned int i, busy;

	while (now_ms() < end) {
		for (i = 0; i < n; i++)
			service(&guests[i], true);
		usleep(1000);
	}
	stuck = now_ms() + STUCK_MS;
	do {
		for (i = 0, busy = 0; i < n; i++)
			busy += service(&guests[i], false);
		usleep(1000);
	} while (busy && now_ms() < stuck);
	return !busy;
}

static bool surface_is(struct guest *g, uint32_t colour)
{
	return mem_all32(mem32(g, P_DATA), DATA_PAGES * 4096, colour);
}

/* Whether @g's surface holds, whole, the colour of one of its slots' fills. */
static bool surface_ok(struct guest *g)
{
	unsigned int s;

	for (s = 0; s < SLOTS; s++)
		if (surface_is(g, 0x01010101u * (s + 1)))
			return true;
	return false;
}

static double busy_s(struct guest *g)
{
	return stat_value(g->uuid, "render.busy_ns") / 1e9;
}

static void test_weights(struct guest *lo, struct guest *hi)
{
	uint64_t sw_lo = stat_value(lo->uuid, "render.switches");
	uint64_t sw_hi = stat_value(hi->uuid, "render.switches");
	double b_lo, b_hi, d_lo, d_hi;
	uint64_t w_lo, w_hi, n_lo, n_hi;
	bool drained;

	tap_check(!vgpu_attr_write(lo->uuid, "weight", "2") &&
		  !vgpu_attr_write(hi->uuid, "weight", "8"), "weights 2 and 8 set");
	saturate(2, 500);	/* warm up */
	b_lo = busy_s(lo);
	b_hi = busy_s(hi);
	lo->preempted = 0;
	hi->preempted = 0;
	w_lo = stat_value(lo->uuid, "render.workloads");
	w_hi = stat_value(hi->uuid, "render.workloads");
	n_lo = lo->done + lo->failed;
	n_hi = hi->done + hi->failed;
	drained = saturate(2, 3000);
	d_lo = busy_s(lo) - b_lo;
	d_hi = busy_s(hi) - b_hi;
	w_lo = stat_value(lo->uuid, "render.workloads") - w_lo;
	w_hi = stat_value(hi->uuid, "render.workloads") - w_hi;
	n_lo = lo->done + lo->failed - n_lo;
	n_hi = hi->done + hi->failed - n_hi;
	tap_diag("engine time over 3 s: weight 2 %.3f s, weight 8 %.3f s (ratio %.2f, target 4)",
		 d_lo, d_hi, d_lo > 0 ? d_hi / d_lo : 0);
	tap_check(drained && !lo->failed && !hi->failed && lo->done && hi->done,
		  "both vGPUs' workloads completed (%" PRIu64 " and %" PRIu64 ")", lo->done,
		  hi->done);
	tap_check(w_lo == n_lo && w_hi == n_hi && surface_ok(lo) && surface_ok(hi),
		  "render.workloads counted them (%" PRIu64 " and %" PRIu64
		  "), the surfaces hold their fills", w_lo, w_hi);
	tap_check(d_lo > 0 && d_hi >= 2 * d_lo,
		  "the weight-8 vGPU got clearly more engine time than the weight-2 one");
	tap_check(lo->preempted + hi->preempted > 0,
		  "PREEMPTED events in the CSBs (%" PRIu64 " and %" PRIu64 ")", lo->preempted,
		  hi->preempted);
	tap_check(stat_value(lo->uuid, "render.switches") > sw_lo &&
		  stat_value(hi->uuid, "render.switches") > sw_hi,
		  "render.switches rose for both vGPUs");
}

static void test_cap(struct guest *g)
{
	double b, share_free, share_cap;
	uint64_t t;

	b = busy_s(g);
	t = now_ms();
	saturate(1, 2000);
	share_free = (busy_s(g) - b) / ((now_ms() - t) / 1e3);
	tap_check(!vgpu_attr_write(g->uuid, "cap", "25"), "cap 25 set");
	saturate(1, 300);	/* into the next balance period */
	b = busy_s(g);
	t = now_ms();
	saturate(1, 2000);
	share_cap = (busy_s(g) - b) / ((now_ms() - t) / 1e3);
	vgpu_attr_write(g->uuid, "cap", "0");
	tap_diag("alone: %.0f %% of the engine uncapped, %.0f %% with cap 25", 100 * share_free,
		 100 * share_cap);
	/* busy_ns is at most the wall time charged; a loaded host lowers both shares */
	tap_check(share_cap > 0.02 && share_cap <= 0.35 && share_cap < 0.8 * share_free,
		  "a cap of 25 %% keeps a lone vGPU well below its uncapped share");
}

static void test_endless(struct guest *bad, struct guest *good)
{
	uint32_t cmd[16], *p, base = MVGPU_ENGINE_BASE(RENDER);
	unsigned int i;
	uint64_t start;
	bool ok = true;

	*mem32(bad, P_SEM) = 0;
	p = emit_sem(cmd, SIMGPU_SEM_EQ, 1, gm(bad, P_SEM));
	submit(bad, 0, cmd, p - cmd);
	usleep(20000);
	start = now_ms();
	for (i = 0; i < 5 && ok; i++) {
		submit_fills(good, 0);
		while (!slot_status(good, 0) && now_ms() - start < STUCK_MS)
			usleep(1000);
		ok = slot_status(good, 0) == MVGPU_CSB_COMPLETE;
		good->busy[0] = false;
	}
	tap_check(ok && mmio_rd32(&bad->d, base + MVGPU_ENGINE_PENDING) == 1 &&
		  !slot_status(bad, 0),
		  "5 workloads of one vGPU completed while the other's endless one still ran");
	tap_diag("they took %" PRIu64 " ms", now_ms() - start);
	*mem32(bad, P_SEM) = 1;
	start = now_ms();
	while (!slot_status(bad, 0) && now_ms() - start < STUCK_MS)
		usleep(1000);
	tap_check(slot_status(bad, 0) == MVGPU_CSB_COMPLETE,
		  "released, the endless workload completes (0x%x)", slot_status(bad, 0));
	bad->busy[0] = false;
	/* the engine still serves both: one more workload each */
	submit_fills(bad, 1);
	submit_fills(good, 1);
	tap_check(saturate(2, 0) && !bad->failed && !good->failed &&
		  surface_is(bad, 0x02020202u) && surface_is(good, 0x02020202u),
		  "then both vGPUs' work completes, and their surfaces hold it");
}

int main(int argc, char **argv)
{
	char weight[2][16];
	unsigned int i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s UUID UUID\n", argv[0]);
		return 2;
	}
	for (i = 0; i < 2; i++)
		snprintf(weight[i], sizeof(weight[i]), "%s", vgpu_attr(argv[1 + i], "weight"));
	if (guest_open(&guests[0], argv[1]) || guest_open(&guests[1], argv[2])) {
		tap_check(false, "two vGPUs open, with guest memory behind their GTTs");
		return tap_done();
	}
	tap_check(true, "two vGPUs open, with guest memory behind their GTTs");
	test_weights(&guests[0], &guests[1]);
	test_cap(&guests[0]);
	test_endless(&guests[0], &guests[1]);
	for (i = 0; i < 2; i++) {
		vgpu_attr_write(argv[1 + i], "weight", weight[i]);
		vfio_dev_close(&guests[i].d);
	}
	return tap_done();
}
