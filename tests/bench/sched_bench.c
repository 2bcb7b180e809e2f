// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: the scheduler's shares and the cost of GPU work submitted
 * through vGPUs (see tests/bench/sched.sh and Documentation/benchmarks.rst).
 * Work goes in the way a guest driver sends it through QEMU: guest memory
 * mapped with VFIO, GTT entries pointing at it, context images and rings in
 * the vGPU's high GM, descriptors written to the engine's port. A workload
 * is done when the vGPU writes its status back into the context image.
 *
 * Every figure is printed next to a baseline measured in the same run; no
 * time is asserted. A command fails when work fails or never ends, or when
 * guest memory or the vGPU's stats do not show the work that was done.
 *
 * Usage:
 *   sched_bench shares SECONDS UUID...	 vGPUs of one GPU keep their render
 *					 queues full: shares against weights
 *   sched_bench scale SECONDS UUID...	 the same for the first one alone, the
 *					 first 8 and all: equal shares, switch
 *					 overhead, aggregate throughput
 *   sched_bench cap SECONDS PERCENT UUID one vGPU alone, uncapped then capped
 *   sched_bench tiny ROUNDS ITERS UUID 1-command workloads against the
 *					 native runner's
 *   sched_bench blit ROUNDS UUID	 copy and fill blits against the native
 *					 runner's
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "bench_util.h"
#include "mvgpu_util.h"

#define IOVA		0x100000000ULL	/* where "guest memory" is mapped */
#define PAGE		((uint64_t)4096)
#define MIB		(1024.0 * 1024.0)
#define NSEC		((uint64_t)1000000000)
#define SLOTS		MVGPU_MAX_PENDING	/* workloads in flight per engine */
#define ENGINES		SIMGPU_NUM_ENGINES
#define RENDER		SIMGPU_ENGINE_RENDER
#define COPY		SIMGPU_ENGINE_COPY
#define RING_SIZE	4096
#define ROW		4096	/* bytes per blit row: 1024 px of 32 bpp, as the native runner */
/* GM layout from the vGPU's high GM base, in pages (one guest page each) */
#define P_IMAGE(e, s)	((e) * 2 * SLOTS + (s))		/* a context image per slot */
#define P_RING(e, s)	((e) * 2 * SLOTS + SLOTS + (s))	/* and its ring */
#define P_DATA		64				/* blit surfaces */
#define SAT_BYTES	(4ULL << 20)	/* one fill of this per saturating workload */
#define BLIT_MAX	(8ULL << 20)
#define WARM_NS		NSEC	/* saturation before the measurement starts */
#define STUCK_NS	(30 * NSEC)	/* a workload not done by then is stuck */
#define MAX_VGPUS	64
#define MAX_GPUS	8
#define MAX_ROUNDS	32
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct vgpu {
	struct vfio_dev d;
	struct vgpu_res r;
	const char *uuid;
	char gpu[32];		/* the parent: simgpuN */
	char type[32];		/* mvgpu-V1_N */
	uint8_t *mem;		/* guest memory, at IOVA, behind the first pages of high GM */
	uint64_t pages;
	int efd;		/* MSI */
	uint32_t colour;	/* of its fills */
	uint64_t sent[ENGINES][SLOTS];	/* when each slot was submitted, 0: free */
	uint64_t submitted, done;	/* workloads */
};

static struct vgpu vgpus[MAX_VGPUS];

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / NSEC, .tv_nsec = ns % NSEC };

	nanosleep(&ts, NULL);
}

static uint64_t gm(const struct vgpu *v, uint64_t page)
{
	return v->r.high_base + page * PAGE;
}

static uint32_t *mem32(struct vgpu *v, uint64_t page)
{
	return (uint32_t *)(v->mem + page * PAGE);
}

static void print_file(const char *path, const char *prefix)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "%s%s", prefix, line);
	fclose(f);
}

/* What the vGPU and its GPU say, for a failure report. */
static void diagnose(struct vgpu *v)
{
	uint32_t base, count, i, off;
	char path[256];
	unsigned int e;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/stats", v->uuid);
	fprintf(stderr, "  %s stats:\n", v->uuid);
	print_file(path, "    ");
	for (e = 0; e < ENGINES; e++) {
		base = MVGPU_ENGINE_BASE(e);
		count = mmio_rd32(&v->d, base + MVGPU_ENGINE_CSB_COUNT);
		fprintf(stderr, "  engine %u: status 0x%x pending %u, %u CSB entries, the last:", e,
			mmio_rd32(&v->d, base + MVGPU_ENGINE_STATUS),
			mmio_rd32(&v->d, base + MVGPU_ENGINE_PENDING), count);
		for (i = count > 6 ? count - 6 : 0; i < count; i++) {
			off = MVGPU_ENGINE_CSB(i % MVGPU_CSB_ENTRIES);
			fprintf(stderr, " 0x%x/%u", mmio_rd32(&v->d, base + off),
				mmio_rd32(&v->d, base + off + 4));
		}
		fprintf(stderr, "\n  engine %u slots (image status, ms since submitted):", e);
		for (i = 0; i < SLOTS; i++)
			fprintf(stderr, " 0x%x/%.0f", mem32(v, P_IMAGE(e, i))[MVGPU_CTX_STATUS / 4],
				v->sent[e][i] ? (bench_now_ns() - v->sent[e][i]) / 1e6 : -1.0);
		fprintf(stderr, "\n");
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/simgpu/%s/engines", v->gpu);
	fprintf(stderr, "  %s engines:\n", v->gpu);
	print_file(path, "    ");
}

static void __attribute__((noreturn, format(printf, 2, 3)))
fail(struct vgpu *v, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!v)
		bench_die("%s", msg);
	bench_error("vGPU %s: %s", v->uuid, msg);
	diagnose(v);
	exit(1);
}

/* ---- the render or copy engine of a vGPU, driven like a guest driver ---- */

/* The last directory of the real path of @path, or of its parent. */
static void path_part(const char *path, bool parent, char *buf, size_t len)
{
	char real[PATH_MAX], *s;

	buf[0] = 0;
	if (!realpath(path, real))
		return;
	s = strrchr(real, '/');
	if (parent && s) {
		*s = 0;
		s = strrchr(real, '/');
	}
	snprintf(buf, len, "%.*s", (int)len - 1, s ? s + 1 : real);
}

/*
 * Open @uuid through VFIO with guest memory behind the GTT entries of its
 * first pages of high GM: images, rings and @data_bytes of surfaces.
 */
static void vgpu_open(struct vgpu *v, const char *uuid, uint64_t data_bytes, unsigned int index)
{
	char path[256];
	uint64_t i;

	v->uuid = uuid;
	v->pages = P_DATA + data_bytes / PAGE;
	v->colour = 0x12340000 | (index + 1);	/* not one repeated byte, as the native runner */
	if (read_resources(uuid, &v->r))
		fail(NULL, "%s: cannot read its resources", uuid);
	if (v->pages * PAGE > v->r.high_size)
		fail(NULL, "%s: %" PRIu64 " MiB of high GM is too small", uuid,
		     v->r.high_size >> 20);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	path_part(path, true, v->gpu, sizeof(v->gpu));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mdev_type", uuid);
	path_part(path, false, v->type, sizeof(v->type));
	if (vfio_dev_open(&v->d, uuid))
		fail(NULL, "%s: cannot open it through VFIO", uuid);
	v->mem = guest_memory(v->pages * PAGE);
	if (!v->mem || vfio_dma_map(&v->d, v->mem, IOVA, v->pages * PAGE))
		fail(v, "cannot map %" PRIu64 " KiB of guest memory", v->pages * PAGE / 1024);
	i = gtt_map_pages(&v->d, v->r.high_base / PAGE, IOVA, v->pages);
	if (i < v->pages)
		fail(v, "GTT entry %" PRIu64 " of high GM cannot be written", i);
	mmio_wr32(&v->d, MVGPU_REG_IMR, 0);
	mmio_wr32(&v->d, MVGPU_REG_IER, MVGPU_IRQ_ALL);
	v->efd = efd_new();
	if (vfio_irq_set_eventfd(&v->d, VFIO_PCI_MSI_IRQ_INDEX, v->efd))
		fail(v, "cannot set an MSI eventfd");
}

static void vgpu_close(struct vgpu *v)
{
	vfio_dev_close(&v->d);	/* the container goes: its mappings and pins with it */
	munmap(v->mem, v->pages * PAGE);
	close(v->efd);
}

/* Slot @s of engine @e runs @n commands: its ring and context image. */
static void put_work(struct vgpu *v, unsigned int e, unsigned int s, const uint32_t *cmds,
		     unsigned int n)
{
	uint32_t *img = mem32(v, P_IMAGE(e, s));
	uint64_t ring = gm(v, P_RING(e, s));

	memcpy(mem32(v, P_RING(e, s)), cmds, 4 * n);
	memset(img, 0, PAGE);
	ctx_set_ring(img, ring, RING_SIZE, 4 * n);
}

/* The same work in every slot of the engine. */
static void put_work_all(struct vgpu *v, unsigned int e, const uint32_t *cmds, unsigned int n)
{
	unsigned int s;

	for (s = 0; s < SLOTS; s++)
		put_work(v, e, s, cmds, n);
}

static void submit(struct vgpu *v, unsigned int e, unsigned int s)
{
	uint32_t *img = mem32(v, P_IMAGE(e, s));

	/* the vGPU wrote the last run's tail as head, and its status */
	img[MVGPU_CTX_RING_HEAD / 4] = 0;
	__atomic_store_n(&img[MVGPU_CTX_STATUS / 4], 0, __ATOMIC_RELEASE);
	v->sent[e][s] = bench_now_ns();
	v->submitted++;
	engine_submit(&v->d, e, gm(v, P_IMAGE(e, s)), e * SLOTS + s + 1);
}

/* Free the slots of engine @e whose work ended; how many did. */
static unsigned int reap(struct vgpu *v, unsigned int e)
{
	uint32_t status;
	unsigned int s, n = 0;

	for (s = 0; s < SLOTS; s++) {
		if (!v->sent[e][s])
			continue;
		status = __atomic_load_n(&mem32(v, P_IMAGE(e, s))[MVGPU_CTX_STATUS / 4],
					 __ATOMIC_ACQUIRE);
		if (!status) {
			if (bench_now_ns() - v->sent[e][s] > STUCK_NS)
				fail(v, "engine %u: a workload is not done after %" PRIu64 " s", e,
				     STUCK_NS / NSEC);
			continue;
		}
		if (status != MVGPU_CSB_COMPLETE)
			fail(v, "engine %u: a workload ended with CSB event 0x%x", e, status);
		v->sent[e][s] = 0;
		v->done++;
		n++;
	}
	return n;
}

/*
 * Run @iters workloads from the prepared slots of engine @e, at most @depth
 * in flight, waiting by polling the images (yielding the CPU) or for the
 * MSI. Returns the ns it took.
 */
static uint64_t stream(struct vgpu *v, unsigned int e, uint64_t iters, unsigned int depth,
		       bool irq)
{
	uint64_t t0 = bench_now_ns(), issued = 0, done = 0;
	unsigned int s, n;

	while (done < iters) {
		for (s = 0; s < depth && issued < iters; s++) {
			if (!v->sent[e][s]) {
				submit(v, e, s);
				issued++;
			}
		}
		for (;;) {
			n = reap(v, e);
			if (!n && irq) {
				/* an edge only comes after IIR was cleared */
				mmio_wr32(&v->d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
				n = reap(v, e);
				if (!n)
					efd_wait(v->efd, 100);
			} else if (!n) {
				sched_yield();
			}
			if (n)
				break;
		}
		done += n;
	}
	return bench_now_ns() - t0;
}

/* ---- stats ---- */

/* What /sys/bus/mdev/devices/UUID/mvgpu/stats says of the render engine. */
struct vstats {
	uint64_t busy_ns, switches, workloads, queue, hangs, share_permille;
	bool active;
};

static void read_stats(struct vgpu *v, struct vstats *st)
{
	char path[256], key[64], val[64];
	unsigned long long n;
	FILE *f;
	int found = 0;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/stats", v->uuid);
	f = fopen(path, "r");
	if (!f)
		fail(v, "cannot read %s", path);
	while (fscanf(f, " %63[^:]: %63s", key, val) == 2) {
		n = strtoull(val, NULL, 10);
		if (!strcmp(key, "state"))
			st->active = !strcmp(val, "active");
		else if (!strcmp(key, "render.busy_ns"))
			st->busy_ns = n;
		else if (!strcmp(key, "render.switches"))
			st->switches = n;
		else if (!strcmp(key, "render.workloads"))
			st->workloads = n;
		else if (!strcmp(key, "render.queue"))
			st->queue = n;
		else if (!strcmp(key, "render.hangs"))
			st->hangs = n;
		else if (!strcmp(key, "render.share_permille"))
			st->share_permille = n;
		else
			continue;
		found++;
	}
	fclose(f);
	if (found != 7)
		fail(v, "%s lacks some of the render keys", path);
}

/* simgpu's own counters of an engine (debugfs engines) */
struct estats {
	uint64_t busy_ns, switches, switch_ns;
};

static void read_engine(const char *gpu, unsigned int engine, struct estats *st)
{
	unsigned long long busy, sw, sw_ns;
	char path[256], line[256];
	unsigned int e;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/simgpu/%s/engines", gpu);
	f = fopen(path, "r");
	if (!f)
		fail(NULL, "cannot read %s", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "engine %u: %*s busy_ns=%llu switches=%llu switch_ns=%llu", &e,
			   &busy, &sw, &sw_ns) == 4 && e == engine) {
			st->busy_ns = busy;
			st->switches = sw;
			st->switch_ns = sw_ns;
			found = true;
		}
	fclose(f);
	if (!found)
		fail(NULL, "%s: no line for engine %u", path, engine);
}

/* ---- saturation: every vGPU keeps SLOTS fills pending on its render engine ---- */

struct sample {
	uint64_t t;
	struct vstats st[MAX_VGPUS];
	uint64_t done[MAX_VGPUS];
	struct estats eng[MAX_GPUS];
	/*
	 * the driver's own view, in the sample ending a run: the mean of
	 * render.share_permille (the vGPU's part of the time charged in the
	 * last balance period) read once a period, in percent
	 */
	double charged[MAX_VGPUS];
};

/* the GPUs the vGPUs are on, in order of appearance */
static char gpus[MAX_GPUS][32];
static unsigned int nr_gpus;

static unsigned int gpu_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_gpus; i++)
		if (!strcmp(gpus[i], name))
			return i;
	if (nr_gpus == MAX_GPUS)
		fail(NULL, "more than %d GPUs", MAX_GPUS);
	snprintf(gpus[nr_gpus], sizeof(gpus[0]), "%s", name);
	return nr_gpus++;
}

static void take_sample(unsigned int n, struct sample *sa)
{
	unsigned int i;

	sa->t = bench_now_ns();
	for (i = 0; i < n; i++) {
		read_stats(&vgpus[i], &sa->st[i]);
		sa->done[i] = vgpus[i].done;
	}
	for (i = 0; i < nr_gpus; i++)
		read_engine(gpus[i], RENDER, &sa->eng[i]);
	sa->t = (sa->t + bench_now_ns()) / 2;
}

/* Reap and, while @refill, resubmit; returns the workloads still pending. */
static unsigned int service(unsigned int n, bool refill)
{
	unsigned int i, s, pending = 0;

	for (i = 0; i < n; i++) {
		reap(&vgpus[i], RENDER);
		for (s = 0; s < SLOTS; s++) {
			if (!vgpus[i].sent[RENDER][s] && refill)
				submit(&vgpus[i], RENDER, s);
			pending += !!vgpus[i].sent[RENDER][s];
		}
	}
	return pending;
}

/* mvgpu's balance period */
static uint64_t period_ns(void)
{
	FILE *f = fopen("/sys/module/mvgpu/parameters/sched_period_ms", "r");
	unsigned int ms = 0;

	if (f) {
		if (fscanf(f, "%u", &ms) != 1)
			ms = 0;
		fclose(f);
	}
	return (ms ? ms : 100) * (NSEC / 1000);
}

/*
 * The first @n vGPUs fill their surface over and over, SLOTS workloads of
 * one fill each always pending, for WARM_NS and then @run_ns between
 * samples @a and @b. Then they drain, and their memory and stats must show
 * all of it done.
 */
static void saturate(unsigned int n, uint64_t run_ns, struct sample *a, struct sample *b)
{
	struct vstats st0[MAX_VGPUS], st1;
	uint64_t end, next, share_sum[MAX_VGPUS] = { 0 };
	unsigned int i, share_reads = 0;
	uint32_t cmd[8];

	for (i = 0; i < n; i++) {
		struct vgpu *v = &vgpus[i];
		uint32_t *tail = emit_fill(cmd, gm(v, P_DATA), ROW, ROW / 4, SAT_BYTES / ROW,
					   v->colour);

		put_work_all(v, RENDER, cmd, tail - cmd);
		memset(mem32(v, P_DATA), 0, SAT_BYTES);
		read_stats(v, &st0[i]);
		v->submitted = 0;
		v->done = 0;
	}
	service(n, true);
	end = bench_now_ns() + WARM_NS;
	while (bench_now_ns() < end) {
		service(n, true);
		sleep_ns(NSEC / 1000);
	}
	take_sample(n, a);
	end = a->t + run_ns;
	next = a->t;
	while (bench_now_ns() < end) {
		service(n, true);
		if (bench_now_ns() >= next) {
			for (i = 0; i < n; i++) {
				read_stats(&vgpus[i], &st1);
				share_sum[i] += st1.share_permille;
			}
			share_reads++;
			next += period_ns();
		}
		sleep_ns(NSEC / 1000);
	}
	take_sample(n, b);
	for (i = 0; i < n; i++)
		b->charged[i] = share_reads ? share_sum[i] / 10.0 / share_reads : 0;
	while (service(n, false))
		sleep_ns(NSEC / 1000);

	for (i = 0; i < n; i++) {
		struct vgpu *v = &vgpus[i];

		read_stats(v, &st1);
		if (st1.workloads - st0[i].workloads != v->submitted)
			fail(v, "stats count %" PRIu64 " workloads, %" PRIu64 " were done",
			     st1.workloads - st0[i].workloads, v->submitted);
		if (st1.queue || st1.hangs != st0[i].hangs || !st1.active)
			fail(v, "stats after draining: queue %" PRIu64 ", hangs %" PRIu64 ", %s",
			     st1.queue, st1.hangs, st1.active ? "active" : "not active");
		if (b->st[i].busy_ns <= a->st[i].busy_ns)
			fail(v, "render.busy_ns did not grow while it was saturated");
		if (!mem_all32(mem32(v, P_DATA), SAT_BYTES, v->colour))
			fail(v, "its surface does not hold the colour it was filled with");
	}
}

static double secs(const struct sample *a, const struct sample *b)
{
	return (b->t - a->t) / 1e9;
}

static uint64_t dbusy(const struct sample *a, const struct sample *b, unsigned int i)
{
	return b->st[i].busy_ns - a->st[i].busy_ns;
}

/* the sum of busy time of the first @n vGPUs that are on GPU @g */
static uint64_t gpu_busy(const struct sample *a, const struct sample *b, unsigned int n,
			 unsigned int g)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(vgpus[i].gpu, gpus[g]))
			sum += dbusy(a, b, i);
	return sum;
}

/* the busy time of the first @n vGPUs, in all */
static uint64_t busy_all(const struct sample *a, const struct sample *b, unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += dbusy(a, b, i);
	return sum;
}

static uint64_t dswitches(const struct sample *a, const struct sample *b, unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += b->st[i].switches - a->st[i].switches;
	return sum;
}

/* MiB/s filled by the first @n vGPUs between the samples */
static double fill_rate(const struct sample *a, const struct sample *b, unsigned int n)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += b->done[i] - a->done[i];
	return sum * (SAT_BYTES / MIB) / secs(a, b);
}

/* The GPUs the first @n vGPUs are on, counted. */
static unsigned int gpus_used(unsigned int n)
{
	bool used[MAX_GPUS] = { false };
	unsigned int i, count = 0;

	for (i = 0; i < n; i++)
		used[gpu_index(vgpus[i].gpu)] = true;
	for (i = 0; i < nr_gpus; i++)
		count += used[i];
	return count;
}

/* Engine idle share of the first @n vGPUs' GPUs, averaged over those GPUs. */
static double idle_share(const struct sample *a, const struct sample *b, unsigned int n)
{
	double idle = 0;
	unsigned int g, used = 0;
	uint64_t busy;

	for (g = 0; g < nr_gpus; g++) {
		busy = gpu_busy(a, b, n, g);
		if (!busy)
			continue;
		idle += 1 - busy / 1e9 / secs(a, b);
		used++;
	}
	return used ? idle / used : 1;
}

static unsigned int weight_of(struct vgpu *v)
{
	const char *w = vgpu_attr(v->uuid, "weight");

	if (!*w)
		fail(v, "no weight in sysfs");
	return atoi(w);
}

static void open_all(int argc, char **argv, uint64_t data_bytes)
{
	int i;

	if (argc > MAX_VGPUS)
		fail(NULL, "at most %d vGPUs", MAX_VGPUS);
	for (i = 0; i < argc; i++) {
		vgpu_open(&vgpus[i], argv[i], data_bytes, i);
		gpu_index(vgpus[i].gpu);
	}
}

static void close_all(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		vgpu_close(&vgpus[i]);
}

static void print_saturation(unsigned int seconds)
{
	printf("    (each vGPU keeps %d render workloads of one %llu MiB fill pending; %u s\n"
	       "    measured after %.1f s of warm-up; shares are of render.busy_ns)\n",
	       SLOTS, SAT_BYTES >> 20, seconds, (double)WARM_NS / NSEC);
}

static int cmd_shares(int argc, char **argv)
{
	static struct sample a, b;
	unsigned int seconds, weight[MAX_VGPUS], wsum = 0;
	uint64_t total;
	double target, got, err, maxerr = 0;
	int i, n;

	if (argc < 3)
		fail(NULL, "usage: shares SECONDS UUID UUID...");
	seconds = bench_parse_uint(argv[0], 1, 600);
	n = argc - 1;
	open_all(n, argv + 1, SAT_BYTES);
	if (nr_gpus != 1)
		fail(NULL, "shares: the vGPUs must be on one GPU");
	for (i = 0; i < n; i++) {
		weight[i] = weight_of(&vgpus[i]);
		wsum += weight[i];
	}
	saturate(n, seconds * NSEC, &a, &b);
	total = gpu_busy(&a, &b, n, 0);

	printf("  shares: %d vGPUs of %s with their types' weights\n", n, gpus[0]);
	print_saturation(seconds);
	printf("    type         weight   target  measured     error   charged (driver)\n");
	for (i = 0; i < n; i++) {
		target = 100.0 * weight[i] / wsum;
		got = 100.0 * dbusy(&a, &b, i) / total;
		err = got - target;
		if (err * err > maxerr * maxerr)
			maxerr = err;
		printf("    %-12s %6u  %5.1f %%   %5.1f %%  %+5.1f pp   %5.1f %%\n", vgpus[i].type,
		       weight[i], target, got, err, b.charged[i]);
	}
	printf("    largest error %+.1f pp; engine idle %.1f %% of the time, %.0f switches/s,\n"
	       "    %.0f MiB/s filled in all\n", maxerr, 100 * idle_share(&a, &b, n),
	       dswitches(&a, &b, n) / secs(&a, &b), fill_rate(&a, &b, n));
	close_all(n);
	return 0;
}

static int cmd_scale(int argc, char **argv)
{
	static struct sample a[3], b[3];
	static const char *const what[3] = { "1 vGPU", "8 vGPUs", "all vGPUs" };
	unsigned int seconds, counts[3], phases = 0, p, i, n8, weight[8], wsum = 0;
	double target, got, err, maxerr = 0, lo = 100, hi = 0;
	struct estats *e0, *e1;
	uint64_t total, dsw;
	int n;

	if (argc < 2)
		fail(NULL, "usage: scale SECONDS UUID...");
	seconds = bench_parse_uint(argv[0], 1, 600);
	n = argc - 1;
	open_all(n, argv + 1, SAT_BYTES);
	counts[phases++] = 1;
	if (n >= 8)
		counts[phases++] = 8;
	if (n > 8)
		counts[phases++] = n;
	for (p = 0; p < phases; p++)
		saturate(counts[p], seconds * NSEC, &a[p], &b[p]);

	if (n >= 8) {
		n8 = 8;
		p = 1;
		if (gpus_used(8) != 1)
			fail(NULL, "scale: the first 8 vGPUs must be on one GPU");
		total = gpu_busy(&a[p], &b[p], n8, 0);
		printf("  equal shares: the first 8 vGPUs (%s of %s, weights", vgpus[0].type,
		       gpus[0]);
		for (i = 0; i < n8; i++) {
			weight[i] = weight_of(&vgpus[i]);
			wsum += weight[i];
			printf(" %u", weight[i]);
		}
		printf(")\n");
		for (i = 0; i < n8; i++)
			if (weight[i] != weight[0])
				fail(NULL, "scale: the first 8 vGPUs must have one weight");
		print_saturation(seconds);
		printf("    shares:");
		for (i = 0; i < n8; i++) {
			target = 100.0 * weight[i] / wsum;
			got = 100.0 * dbusy(&a[p], &b[p], i) / total;
			err = got - target;
			if (err * err > maxerr * maxerr)
				maxerr = err;
			lo = got < lo ? got : lo;
			hi = got > hi ? got : hi;
			printf(" %.1f", got);
		}
		printf(" %%\n    target %.1f %% each: from %.1f to %.1f %%,", 100.0 / n8, lo, hi);
		printf(" largest error %+.1f pp\n", maxerr);
		lo = 100;
		hi = 0;
		for (i = 0; i < n8; i++) {
			lo = b[p].charged[i] < lo ? b[p].charged[i] : lo;
			hi = b[p].charged[i] > hi ? b[p].charged[i] : hi;
		}
		printf("    charged (driver): from %.1f to %.1f %%\n", lo, hi);

		printf("  context switches: the run above against the first vGPU alone\n");
		printf("                 vGPU switches/s  engine idle");
		printf("  simgpu context loads/s  idle per load\n");
		for (p = 0; p < 2; p++) {
			e0 = &a[p].eng[0];
			e1 = &b[p].eng[0];
			dsw = e1->switches - e0->switches;
			printf("    %-12s %14.0f  %9.1f %%  %22.0f  %10.2f ms\n", what[p],
			       dswitches(&a[p], &b[p], counts[p]) / secs(&a[p], &b[p]),
			       100 * idle_share(&a[p], &b[p], counts[p]), dsw / secs(&a[p], &b[p]),
			       dsw ? 1e3 * idle_share(&a[p], &b[p], counts[p]) *
			       secs(&a[p], &b[p]) / dsw : 0.0);
		}
		printf("    idle: %+.1f pp with 8 vGPUs over 1 alone\n",
		       100 * (idle_share(&a[1], &b[1], 8) - idle_share(&a[0], &b[0], 1)));
		e0 = &a[1].eng[0];
		e1 = &b[1].eng[0];
		dsw = e1->switches - e0->switches;
		printf("    simgpu's own switch (registers saved and loaded, debugfs engines):\n"
		       "    %.2f us each, %.4f %% of the engine's time\n",
		       dsw ? (e1->switch_ns - e0->switch_ns) / 1e3 / dsw : 0.0,
		       100.0 * (e1->switch_ns - e0->switch_ns) / (b[1].t - a[1].t));
	}

	printf("  scaling: aggregate fill throughput of saturating vGPUs (%ld CPUs)\n",
	       sysconf(_SC_NPROCESSORS_ONLN));
	print_saturation(seconds);
	printf("                               filled   of 1  engine idle  per busy engine s\n");
	for (p = 0; p < phases; p++) {
		unsigned int ng = gpus_used(counts[p]);
		char label[64];

		if (ng > 1)
			snprintf(label, sizeof(label), "%u vGPUs, %u GPUs x %u", counts[p], ng,
				 counts[p] / ng);
		else
			snprintf(label, sizeof(label), "%u vGPU%s, 1 GPU", counts[p],
				 counts[p] > 1 ? "s" : "");
		printf("    %-22s %6.0f MiB/s  %5.2fx  %9.1f %%  %10.0f MiB/s\n", label,
		       fill_rate(&a[p], &b[p], counts[p]),
		       fill_rate(&a[p], &b[p], counts[p]) / fill_rate(&a[0], &b[0], 1),
		       100 * idle_share(&a[p], &b[p], counts[p]),
		       fill_rate(&a[p], &b[p], counts[p]) * secs(&a[p], &b[p]) /
		       (busy_all(&a[p], &b[p], counts[p]) / 1e9));
	}
	close_all(n);
	return 0;
}

static int cmd_cap(int argc, char **argv)
{
	static struct sample a[2], b[2];
	unsigned int seconds, percent;
	char val[16];
	double share[2];
	int p, ret;

	if (argc != 3)
		fail(NULL, "usage: cap SECONDS PERCENT UUID");
	seconds = bench_parse_uint(argv[0], 1, 600);
	percent = bench_parse_uint(argv[1], 1, 100);
	open_all(1, argv + 2, SAT_BYTES);
	for (p = 0; p < 2; p++) {
		snprintf(val, sizeof(val), "%u", p ? percent : 0);
		ret = vgpu_attr_write(vgpus[0].uuid, "cap", val);
		if (ret || strcmp(vgpu_attr(vgpus[0].uuid, "cap"), val))
			fail(&vgpus[0], "cap %s cannot be set: %s", val, strerror(-ret));
		saturate(1, seconds * NSEC, &a[p], &b[p]);
		share[p] = 100.0 * dbusy(&a[p], &b[p], 0) / (b[p].t - a[p].t);
	}
	if (vgpu_attr_write(vgpus[0].uuid, "cap", "0"))
		fail(&vgpus[0], "the cap cannot be removed");
	printf("  cap: one vGPU (%s) alone on %s, uncapped then capped at %u %%\n",
	       vgpus[0].type, gpus[0], percent);
	print_saturation(seconds);
	printf("    uncapped:     busy %5.1f %% of wall time\n", share[0]);
	printf("    cap %3u %%:    busy %5.1f %% of wall time (%.2fx of uncapped), %.0f MiB/s\n",
	       percent, share[1], share[1] / share[0], fill_rate(&a[1], &b[1], 1));
	close_all(1);
	return 0;
}

/* ---- the native runner (debugfs simgpu/GPU/native) ---- */

/* Run "OP SIZE ITERS" on @gpu's native runner: the ns it took. */
static uint64_t native_run(const char *gpu, const char *op, uint64_t size, uint64_t iters)
{
	char path[256], cmd[64], res[200] = "";
	unsigned long long ns;
	const char *s;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/simgpu/%s/native", gpu);
	fd = open(path, O_RDWR);
	if (fd < 0)
		fail(NULL, "%s: %s", path, strerror(errno));
	len = snprintf(cmd, sizeof(cmd), "%s %" PRIu64 " %" PRIu64, op, size, iters);
	if (write(fd, cmd, len) != len) {
		if (pread(fd, res, sizeof(res) - 1, 0) < 0)
			res[0] = 0;
		fail(NULL, "the native runner failed '%s': %s (%s)", cmd, strerror(errno), res);
	}
	len = pread(fd, res, sizeof(res) - 1, 0);
	close(fd);
	res[len > 0 ? len : 0] = 0;
	s = strstr(res, " ns=");
	if (!s || sscanf(s, " ns=%llu", &ns) != 1 || !ns)
		fail(NULL, "the native runner's '%s' gave '%s'", cmd, res);
	return ns;
}

/* Workloads the render engine's stats gained since @before; must be @want. */
static void check_workloads(struct vgpu *v, const struct vstats *before, uint64_t want)
{
	struct vstats st;

	read_stats(v, &st);
	if (st.workloads - before->workloads != want)
		fail(v, "stats count %" PRIu64 " render workloads, %" PRIu64 " were done",
		     st.workloads - before->workloads, want);
}

static int cmd_tiny(int argc, char **argv)
{
	enum { NATIVE, POLL, IRQ, QUEUED, MODES };
	static const char *const name[MODES] = {
		"native runner (nop 1 N)", "vGPU, polling the image", "vGPU, waiting for the MSI",
		"vGPU, 8 in flight (polling)",
	};
	double rate[MODES][MAX_ROUNDS], ratio[MODES][MAX_ROUNDS], r;
	unsigned int iters, rounds, i, m;
	struct vstats before;
	struct vgpu *v = &vgpus[0];
	uint32_t nop = 0;	/* MI_NOOP */

	if (argc != 3)
		fail(NULL, "usage: tiny ROUNDS ITERS UUID");
	rounds = bench_parse_uint(argv[0], 1, MAX_ROUNDS);
	iters = bench_parse_uint(argv[1], 1, 100000);
	open_all(1, argv + 2, 0);
	put_work_all(v, RENDER, &nop, 1);
	read_stats(v, &before);
	native_run(v->gpu, "nop", 1, 100);	/* warm up */
	stream(v, RENDER, 100, 1, false);
	for (i = 0; i < rounds; i++) {
		rate[NATIVE][i] = iters * 1e9 / native_run(v->gpu, "nop", 1, iters);
		rate[POLL][i] = iters * 1e9 / stream(v, RENDER, iters, 1, false);
		rate[IRQ][i] = iters * 1e9 / stream(v, RENDER, iters, 1, true);
		rate[QUEUED][i] = iters * 1e9 / stream(v, RENDER, iters, SLOTS, false);
		for (m = 0; m < MODES; m++)
			ratio[m][i] = rate[m][i] / rate[NATIVE][i];
	}
	check_workloads(v, &before, 100 + 3ULL * rounds * iters);

	printf("  tiny workloads: 1 MI_NOOP per workload on the render engine, submitted and\n"
	       "  waited for one by one (or %d in flight); %u rounds of %u of each kind,\n"
	       "  interleaved; medians of the rounds (ratios: of the rounds' ratios)\n",
	       SLOTS, rounds, iters);
	for (m = 0; m < MODES; m++) {
		r = bench_median(rate[m], rounds);
		printf("    %-30s %7.0f /s  %7.1f us each", name[m], r, 1e6 / r);
		if (m != NATIVE)
			printf("   %.2fx native", bench_median(ratio[m], rounds));
		printf("\n");
	}
	close_all(1);
	return 0;
}

/* one blit of @bytes as 1024-pixel rows: a copy from surface A to B, or a fill of B */
static unsigned int blit_cmd(struct vgpu *v, uint32_t *p, bool copy, uint64_t bytes)
{
	uint64_t a = gm(v, P_DATA), b = gm(v, P_DATA + BLIT_MAX / PAGE);

	if (copy)
		return emit_copy(p, b, a, ROW, ROW / 4, bytes / ROW) - p;
	return emit_fill(p, b, ROW, ROW / 4, bytes / ROW, v->colour) - p;
}

static int cmd_blit(int argc, char **argv)
{
	enum { NAT, SERIAL, QUEUED, MODES };
	static const uint64_t sizes[] = { 64 << 10, 1 << 20, BLIT_MAX };
	double mibs[MODES][MAX_ROUNDS], ratio[MODES][MAX_ROUNDS];
	unsigned int rounds, i, op, z, m, n;
	uint64_t iters, bytes, ns, k;
	uint32_t cmd[16], *src, *dst;
	struct vgpu *v = &vgpus[0];
	bool copy;

	if (argc != 2)
		fail(NULL, "usage: blit ROUNDS UUID");
	rounds = bench_parse_uint(argv[0], 1, MAX_ROUNDS);
	open_all(1, argv + 1, 2 * BLIT_MAX);
	src = mem32(v, P_DATA);
	dst = mem32(v, P_DATA + BLIT_MAX / PAGE);
	for (k = 0; k < BLIT_MAX / 4; k++)
		src[k] = k * 2654435761u;

	printf("  blits on the copy engine: 1024-pixel rows of 32 bpp, from and to the vGPU's\n"
	       "  high GM backed by guest memory; the native runner's buffers are host pages.\n"
	       "  vGPU: submit and wait for the MSI, or keep %d in flight. %u rounds, each of\n"
	       "  64 MiB (64 KiB: 256 blits) of each kind, interleaved; medians of the rounds\n"
	       "  (ratios: of the rounds' ratios)\n", SLOTS, rounds);
	printf("    op    size      native        vGPU  ratio      %d in flight  ratio\n",
	       SLOTS);
	for (op = 0; op < 2; op++) {
		copy = op == 0;
		for (z = 0; z < ARRAY_SIZE(sizes); z++) {
			bytes = sizes[z];
			iters = 8 * (BLIT_MAX / bytes);
			iters = iters > 256 ? 256 : iters;
			n = blit_cmd(v, cmd, copy, bytes);
			put_work_all(v, COPY, cmd, n);
			native_run(v->gpu, copy ? "copy" : "fill", bytes, 1);	/* warm up */
			stream(v, COPY, 2, 1, true);
			for (i = 0; i < rounds; i++) {
				ns = native_run(v->gpu, copy ? "copy" : "fill", bytes, iters);
				mibs[NAT][i] = iters * bytes / MIB * 1e9 / ns;
				memset(dst, 0, bytes);
				ns = stream(v, COPY, iters, 1, true);
				mibs[SERIAL][i] = iters * bytes / MIB * 1e9 / ns;
				if (copy ? memcmp(src, dst, bytes) :
					   !mem_all32(dst, bytes, v->colour))
					fail(v, "the %s of %" PRIu64 " KiB is not in guest memory",
					     copy ? "copy" : "fill", bytes >> 10);
				ns = stream(v, COPY, iters, SLOTS, true);
				mibs[QUEUED][i] = iters * bytes / MIB * 1e9 / ns;
				for (m = 0; m < MODES; m++)
					ratio[m][i] = mibs[m][i] / mibs[NAT][i];
			}
			printf("    %-4s %5" PRIu64 " KiB %6.0f MiB/s %6.0f MiB/s",
			       copy ? "copy" : "fill", bytes >> 10, bench_median(mibs[NAT], rounds),
			       bench_median(mibs[SERIAL], rounds));
			printf(" %5.2fx %8.0f MiB/s %5.2fx%s\n",
			       bench_median(ratio[SERIAL], rounds),
			       bench_median(mibs[QUEUED], rounds),
			       bench_median(ratio[QUEUED], rounds),
			       bytes == BLIT_MAX ? "  (goal >= 0.90x)" : "");
		}
	}
	close_all(1);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct bench_cmd cmds[] = {
		{ "shares", cmd_shares },
		{ "scale", cmd_scale },
		{ "cap", cmd_cap },
		{ "tiny", cmd_tiny },
		{ "blit", cmd_blit },
	};

	return bench_main(argc, argv, cmds, ARRAY_SIZE(cmds));
}
