// SPDX-License-Identifier: GPL-2.0-only
/*
 * System sleep with vGPUs open and busy: two vGPUs of one GPU have work
 * queued and running on both engines (one workload waits on a semaphore,
 * so it is certainly in the middle of its run), then the program puts the
 * machine to sleep by writing /sys/power/state itself. After the resume,
 * every workload must complete with exact results, the GPU's engines must
 * have been stopped for the sleep (simgpu's debugfs "suspends" count), and
 * both vGPUs must run new work and raise interrupts. Prints TAP.
 *
 * Usage: mvgpu_suspend [--pm-test LEVEL] [--rtc SECONDS] STATE UUID UUID
 *   STATE       what to write to /sys/power/state (freeze, mem)
 *   --pm-test   write LEVEL to /sys/power/pm_test first (devices: the
 *               kernel suspends every device, waits 5 s and resumes;
 *               what QEMU guests use, see Documentation/testing.rst)
 *   --rtc       wake up by an RTC alarm SECONDS from now
 *
 * Run it from memory only (a static binary on tmpfs): in a QEMU guest,
 * virtio-9p does not come back from a sleep.
 */
#include <errno.h>
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
#define PAGES		320
#define NR_GUESTS	2
#define RENDER		SIMGPU_ENGINE_RENDER
#define COPY		SIMGPU_ENGINE_COPY
#define SLOTS		4	/* workloads queued on the render engine */
#define RING_SIZE	4096
#define TIMEOUT_MS	60000

/* GM layout from the vGPU's high GM base, one GM page per guest page */
#define P_CTX(s)	(s)		/* render slots 0..SLOTS-1, the copy engine's SLOTS */
#define P_RING(s)	(8 + (s))
#define P_SEM		16
#define P_DATA		32		/* 256 KiB per render slot */
#define P_COPY_SRC	(P_DATA + SLOTS * 64)	/* 32 KiB copied by the copy engine */
#define P_COPY_DST	(P_COPY_SRC + 8)

struct guest {
	struct vfio_dev d;
	struct vgpu_res r;
	const char *uuid;
	uint8_t *mem;
	int efd;
};

static struct guest guests[NR_GUESTS];

static uint64_t gm(struct guest *g, unsigned int page)
{
	return g->r.high_base + (uint64_t)page * 4096;
}

static uint32_t *mem32(struct guest *g, unsigned int page)
{
	return (uint32_t *)(g->mem + page * 4096);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static uint32_t colour(unsigned int guest, unsigned int slot)
{
	return 0x51000000u | guest << 16 | slot << 8 | 0x5a;
}

static int guest_setup(struct guest *g)
{
	g->efd = efd_new();
	if (read_resources(g->uuid, &g->r) || vfio_dev_open(&g->d, g->uuid))
		return -1;
	g->mem = guest_memory(PAGES * 4096);
	if (!g->mem || vfio_dma_map(&g->d, g->mem, IOVA, PAGES * 4096) ||
	    gtt_map_pages(&g->d, gm(g, 0) / 4096, IOVA, PAGES) != PAGES)
		return -1;
	mmio_wr32(&g->d, MVGPU_REG_IMR, 0);
	mmio_wr32(&g->d, MVGPU_REG_IER, MVGPU_IRQ_ALL);
	return vfio_irq_set_eventfd(&g->d, VFIO_PCI_MSI_IRQ_INDEX, g->efd);
}

/* Slot @s runs @n commands on engine @e; its status word is cleared. */
static void submit(struct guest *g, unsigned int e, unsigned int s, const uint32_t *cmds,
		   unsigned int n)
{
	uint32_t *img = mem32(g, P_CTX(s));

	memset(img, 0, 4096);
	memcpy(mem32(g, P_RING(s)), cmds, 4 * n);
	ctx_set_ring(img, gm(g, P_RING(s)), RING_SIZE, 4 * n);
	engine_submit(&g->d, e, gm(g, P_CTX(s)), 100 + s);
}

static uint32_t status(struct guest *g, unsigned int s)
{
	return __atomic_load_n(&mem32(g, P_CTX(s))[MVGPU_CTX_STATUS / 4], __ATOMIC_ACQUIRE);
}

/* Wait until slots 0..@n-1 all ended; whether they all completed. */
static bool wait_slots(struct guest *g, unsigned int n)
{
	uint64_t deadline = now_ms() + TIMEOUT_MS;
	unsigned int s, ended;

	do {
		for (s = 0, ended = 0; s < n; s++)
			ended += status(g, s) != 0;
		if (ended == n)
			break;
		usleep(2000);
	} while (now_ms() < deadline);
	for (s = 0; s < n; s++)
		if (status(g, s) != MVGPU_CSB_COMPLETE) {
			tap_diag("%s: slot %u ended with 0x%x", g->uuid, s, status(g, s));
			return false;
		}
	return true;
}

/*
 * Render: SLOTS workloads of 16 fills of 256 KiB each; the first also
 * waits for the semaphore before its last fill. Copy: a 32 KiB copy.
 */
static void queue_work(struct guest *g, unsigned int gi)
{
	uint32_t cmd[256], *p, *src = mem32(g, P_COPY_SRC);
	unsigned int s, i;

	*mem32(g, P_SEM) = 0;
	memset(g->mem + P_DATA * 4096, 0, (P_COPY_SRC - P_DATA) * 4096);
	for (s = 0; s < SLOTS; s++) {
		p = cmd;
		for (i = 0; i < 15; i++)
			p = emit_fill(p, gm(g, P_DATA + 64 * s), 1024, 256, 256, i);
		if (s == 0)
			p = emit_sem(p, SIMGPU_SEM_EQ, 1, gm(g, P_SEM));
		p = emit_fill(p, gm(g, P_DATA + 64 * s), 1024, 256, 256, colour(gi, s));
		submit(g, RENDER, s, cmd, p - cmd);
	}
	for (i = 0; i < 8192; i++)
		src[i] = i * 2654435761u ^ gi;
	memset(mem32(g, P_COPY_DST), 0, 8 * 4096);
	p = emit_copy(cmd, gm(g, P_COPY_DST), gm(g, P_COPY_SRC), 512, 128, 64);
	submit(g, COPY, SLOTS, cmd, p - cmd);
}

static bool results_right(struct guest *g, unsigned int gi)
{
	unsigned int s;
	bool ok = true;

	for (s = 0; s < SLOTS; s++)
		ok &= mem_all32(mem32(g, P_DATA + 64 * s), 256 * 1024, colour(gi, s));
	return ok && !memcmp(mem32(g, P_COPY_SRC), mem32(g, P_COPY_DST), 32768);
}

/* The "suspends=N" of the render engine's line in simgpu's debugfs, or -1. */
static long long engine_suspends(const char *gpu)
{
	char path[256], line[512], *s;
	long long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/simgpu/%s/engines", gpu);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		s = strstr(line, " suspends=");
		if (!strncmp(line, "engine 0:", 9) && s)
			n = strtoll(s + 10, NULL, 10);
	}
	fclose(f);
	return n;
}

static long long read_number(const char *path)
{
	long long n = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static int write_file(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(value, f) < 0)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* The machine sleeps and wakes up: 0 or -errno. */
static int sleep_machine(const char *state, const char *pm_test, const char *rtc)
{
	char alarm[32];
	int ret;

	if (pm_test && write_file("/sys/power/pm_test", pm_test))
		return -EINVAL;
	if (rtc) {
		snprintf(alarm, sizeof(alarm), "+%s", rtc);
		write_file("/sys/class/rtc/rtc0/wakealarm", "0");
		if (write_file("/sys/class/rtc/rtc0/wakealarm", alarm))
			return -EINVAL;
	}
	ret = write_file("/sys/power/state", state);
	if (pm_test)
		write_file("/sys/power/pm_test", "none");
	return ret;
}

int main(int argc, char **argv)
{
	const char *pm_test = NULL, *rtc = NULL, *state;
	long long suspends0, suspends1, slept0, slept1;
	char gpu[64] = "simgpu0";
	uint32_t cmd[32], *p;
	unsigned int i;
	bool ok = true;
	int ret;

	for (; argc > 2 && !strncmp(argv[1], "--", 2); argc -= 2, argv += 2) {
		if (!strcmp(argv[1], "--pm-test"))
			pm_test = argv[2];
		else if (!strcmp(argv[1], "--rtc"))
			rtc = argv[2];
		else
			break;
	}
	if (argc != 2 + NR_GUESTS) {
		fprintf(stderr,
			"usage: mvgpu_suspend [--pm-test LEVEL] [--rtc SECONDS] STATE UUID UUID\n");
		return 2;
	}
	state = argv[1];
	for (i = 0; i < NR_GUESTS; i++) {
		guests[i].uuid = argv[2 + i];
		ok &= !guest_setup(&guests[i]);
	}
	tap_check(ok, "two vGPUs open, with guest memory behind their GTTs");
	if (!ok)
		return tap_done();

	for (i = 0; i < NR_GUESTS; i++)
		queue_work(&guests[i], i);
	/* the first workloads have begun: their semaphores hold them */
	usleep(300000);
	for (i = 0; i < NR_GUESTS; i++) {
		struct guest *g = &guests[i];
		uint32_t base = MVGPU_ENGINE_BASE(RENDER);

		ok &= mmio_rd32(&g->d, base + MVGPU_ENGINE_PENDING) > 0 && status(g, 0) == 0;
	}
	tap_check(ok, "both vGPUs have render work running or queued before the sleep");

	suspends0 = engine_suspends(gpu);
	slept0 = read_number("/sys/power/suspend_stats/success");
	ret = sleep_machine(state, pm_test, rtc);
	suspends1 = engine_suspends(gpu);
	slept1 = read_number("/sys/power/suspend_stats/success");
	tap_check(!ret && slept1 == slept0 + 1, "'%s' > /sys/power/state%s%s: slept and woke (%s)",
		  state, pm_test ? " with pm_test " : "", pm_test ? pm_test : "",
		  strerror(-ret));
	tap_check(suspends0 >= 0 && suspends1 == suspends0 + 1,
		  "%s's engines were stopped for the sleep (suspends %lld -> %lld)", gpu,
		  suspends0, suspends1);

	for (i = 0; i < NR_GUESTS; i++)
		*mem32(&guests[i], P_SEM) = 1;
	for (i = 0, ok = true; i < NR_GUESTS; i++)
		ok &= wait_slots(&guests[i], SLOTS + 1) && results_right(&guests[i], i);
	tap_check(ok, "every workload of both vGPUs completed after the resume, results exact");
	for (i = 0, ok = true; i < NR_GUESTS; i++)
		ok &= stat_value(guests[i].uuid, "render.hangs") == 0 &&
		      stat_value(guests[i].uuid, "render.workloads") == SLOTS &&
		      stat_value(guests[i].uuid, "copy.workloads") == 1;
	tap_check(ok, "stats: %d render and 1 copy workloads each, no hang", SLOTS);

	/* new work, and its interrupt */
	for (i = 0, ok = true; i < NR_GUESTS; i++) {
		struct guest *g = &guests[i];

		mmio_wr32(&g->d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
		efd_wait(g->efd, 0);
		memset(mem32(g, P_DATA), 0, 4096);
		p = emit_fill(cmd, gm(g, P_DATA), 1024, 256, 1, 0xa5a5a5a5);
		submit(g, RENDER, 0, cmd, p - cmd);
		ok &= wait_slots(g, 1) && mem_all32(mem32(g, P_DATA), 1024, 0xa5a5a5a5) &&
		      efd_wait(g->efd, 5000) >= 1;
	}
	tap_check(ok, "both vGPUs run new work after the resume and raise its interrupt");
	for (i = 0; i < NR_GUESTS; i++)
		vfio_dev_close(&guests[i].d);
	return tap_done();
}
