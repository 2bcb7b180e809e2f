// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: the vGPU device model's figures, each printed next to a
 * baseline measured in the same run (see tests/bench/vgpu.sh and
 * Documentation/benchmarks.rst). No time is asserted: a command fails only
 * when an operation it measures fails or does not do what it should.
 *
 * Usage:
 *   vgpu_bench mmio VGPU MTTY MVTTY	   MMIO trap round trips, against the
 *					   kernel's mtty sample and mvtty
 *   vgpu_bench aperture VGPU MIB	   BAR2 mmap writes against memcpy()
 *   vgpu_bench gtt VGPU ENTRIES	   GTT entry updates per second
 *   vgpu_bench lifecycle ROUNDS TYPE_DIR... create+remove latency; the
 *					   last type is the baseline
 *   vgpu_bench instances TYPE_DIR	   instances until the parent is full,
 *					   and their memory
 *   vgpu_bench display VGPU		   plane queries and the framebuffer
 *					   region's refresh against memcpy(),
 *					   vblank intervals
 * VGPU, MTTY and MVTTY are UUIDs of existing instances; TYPE_DIR is a
 * /sys/class/mdev_bus/PARENT/mdev_supported_types/TYPE directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <mvgpu/vgpu.h>

#include "bench_util.h"
#include "mvgpu_util.h"

#define IOVA		0x100000000ULL	/* where "guest memory" is mapped */
#define PAGE		((uint64_t)4096)
#define MIB		(1024.0 * 1024.0)
#define MAX_ROUNDS	64
#define MAX_INSTANCES	256
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* the median of @n (at most MAX_ROUNDS) values */
static double median(const uint64_t *v, unsigned int n)
{
	double d[MAX_ROUNDS];
	unsigned int i;

	for (i = 0; i < n; i++)
		d[i] = v[i];
	return bench_median(d, n);
}

/* the median of the ratios @a[i] / @b[i] */
static double ratio_median(const uint64_t *a, const uint64_t *b, unsigned int n)
{
	double d[MAX_ROUNDS];
	unsigned int i;

	for (i = 0; i < n; i++)
		d[i] = (double)a[i] / b[i];
	return bench_median(d, n);
}

/* Write @s to sysfs file @path: 0 or -errno. */
static int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EIO;
	close(fd);
	return ret;
}

static long sysfs_read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void new_uuid(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/uuid", "r");

	if (!f || !fgets(buf, len, f))
		bench_die("cannot read a new UUID");
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Create an instance of @type_dir named @uuid: 0 or -errno. */
static int mdev_create(const char *type_dir, const char *uuid)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/create", type_dir);
	return sysfs_write(path, uuid);
}

static int mdev_remove(const char *uuid)
{
	char path[512];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%.63s/remove", uuid);
	return sysfs_write(path, "1");
}

static void open_or_die(struct vfio_dev *d, const char *uuid)
{
	if (vfio_dev_open(d, uuid))
		bench_die("cannot open %s through VFIO", uuid);
}

/* ---- MMIO trap round trip ---- */

struct mmio_dev {
	const char *name;
	const char *reg;	/* the register's name */
	struct vfio_dev d;
	uint64_t off;		/* the BAR0 register */
	uint32_t val;		/* what is written to it */
	/* ns per access in each round: register read and write, config read */
	uint64_t rd[MAX_ROUNDS], wr[MAX_ROUNDS], cfg[MAX_ROUNDS];
};

/*
 * What QEMU does before a guest touches BAR0: ask for the region, give the
 * BAR an address and turn decoding on (mtty looks the address up on its
 * first BAR access until it has one).
 */
static void mmio_prepare(struct mmio_dev *m)
{
	struct vfio_region_info ri;
	uint32_t bar;

	if (vfio_region_info(&m->d, BAR0, &ri) || ri.size < m->off + 4)
		bench_die("%s: BAR0 is missing or too small", m->name);
	bar = cfg_read32(&m->d, PCI_BASE_ADDRESS_0);
	cfg_write32(&m->d, PCI_BASE_ADDRESS_0,
		    bar & PCI_BASE_ADDRESS_SPACE_IO ? 0xc000 : 0xf0000000);
	cfg_write16(&m->d, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
}

/* @n 4-byte reads of @off in region @index: ns per read */
static uint64_t mmio_reads(struct mmio_dev *m, unsigned int index, uint64_t off, unsigned int n)
{
	uint64_t t = bench_now_ns();
	uint32_t v;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (vfio_region_read(&m->d, index, off, &v, 4) != 4)
			bench_die("%s: 4-byte read of region %u + 0x%" PRIx64 " failed",
				  m->name, index, off);
	return (bench_now_ns() - t) / n;
}

static uint64_t mmio_writes(struct mmio_dev *m, unsigned int n)
{
	uint64_t t = bench_now_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		if (vfio_region_write(&m->d, BAR0, m->off, &m->val, 4) != 4)
			bench_die("%s: 4-byte write of BAR0 + 0x%" PRIx64 " failed", m->name,
				  m->off);
	return (bench_now_ns() - t) / n;
}

static int cmd_mmio(int argc, char **argv)
{
	struct mmio_dev m[3] = {
		{ .name = "mvgpu", .reg = "IMR", .off = MVGPU_REG_IMR, .val = MVGPU_IRQ_ALL },
		{ .name = "mtty", .reg = "MCR", .off = 4, .val = 0 },
		{ .name = "mvtty", .reg = "MCR", .off = 4, .val = 0 },
	};
	unsigned int rounds = 50, per = 2000, r, i;

	if (argc < 3 || argc > 4)
		bench_die("usage: mmio VGPU MTTY MVTTY [ROUNDS]");
	if (argc == 4)
		rounds = bench_parse_uint(argv[3], 1, MAX_ROUNDS);
	for (i = 0; i < 3; i++) {
		open_or_die(&m[i].d, argv[i]);
		mmio_prepare(&m[i]);
		mmio_reads(&m[i], BAR0, m[i].off, 100);	/* warm up */
		mmio_writes(&m[i], 100);
	}
	/* interleaved, so that a busy host slows all three alike */
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < 3; i++) {
			m[i].rd[r] = mmio_reads(&m[i], BAR0, m[i].off, per);
			m[i].wr[r] = mmio_writes(&m[i], per);
			m[i].cfg[r] = mmio_reads(&m[i], CFG, PCI_VENDOR_ID, per);
		}
	}
	printf("  MMIO trap round trip: 4-byte pread/pwrite of a BAR0 register on the VFIO\n"
	       "  device fd; medians of %u rounds of %u (ratios: of the rounds' ratios):\n",
	       rounds, per);
	for (i = 0; i < 3; i++) {
		printf("    %-5s %s  read %6.2f us   write %6.2f us   (config read %6.2f us)\n",
		       m[i].name, m[i].reg, median(m[i].rd, rounds) / 1e3,
		       median(m[i].wr, rounds) / 1e3, median(m[i].cfg, rounds) / 1e3);
		vfio_dev_close(&m[i].d);
	}
	for (i = 1; i < 3; i++)
		printf("    mvgpu / %-5s read %.2fx  write %.2fx%s   config %.2fx\n",
		       m[i].name,
		       ratio_median(m[0].rd, m[i].rd, rounds),
		       ratio_median(m[0].wr, m[i].wr, rounds),
		       i == 1 ? " (goal <= 1.10x)" : "                ",
		       ratio_median(m[0].cfg, m[i].cfg, rounds));
	return 0;
}

/* ---- guest memory and GTT helpers ---- */

struct vgpu {
	struct vfio_dev d;
	struct vgpu_res r;
	uint8_t *mem;		/* "guest memory", mapped for DMA at IOVA */
	uint64_t mem_size;
};

static void vgpu_open(struct vgpu *v, const char *uuid, uint64_t mem_size)
{
	int ret;

	if (read_resources(uuid, &v->r))
		bench_die("%s: cannot read its resources (mvgpu/resources)", uuid);
	open_or_die(&v->d, uuid);
	v->mem_size = mem_size;
	v->mem = guest_memory(mem_size);
	if (!v->mem)
		bench_die("mmap of %" PRIu64 " bytes: %s", mem_size, strerror(errno));
	ret = vfio_dma_map(&v->d, v->mem, IOVA, mem_size);
	if (ret)
		bench_die("VFIO_IOMMU_MAP_DMA of %" PRIu64 " bytes: %s", mem_size, strerror(-ret));
}

static void vgpu_close(struct vgpu *v)
{
	int ret;

	if (ioctl(v->d.fd, VFIO_DEVICE_RESET))	/* drops the entries and their pins */
		bench_die("VFIO_DEVICE_RESET: %s", strerror(errno));
	ret = vfio_dma_unmap(&v->d, IOVA, v->mem_size);
	if (ret)
		bench_die("VFIO_IOMMU_UNMAP_DMA: %s", strerror(-ret));
	munmap(v->mem, v->mem_size);
	vfio_dev_close(&v->d);
}

/* its pinned guest pages (the debugfs counter "pins"), or -1 if it cannot be read */
static long long pins_of(struct vgpu *v)
{
	return (long long)counter(v->d.uuid, "pins");
}

/* The number of guest pages pinned must be @want (when debugfs shows it). */
static void check_pins(struct vgpu *v, long long want, const char *when)
{
	long long pins = pins_of(v);

	if (pins >= 0 && pins != want)
		bench_die("%s: %lld guest pages pinned, not %lld", when, pins, want);
}

/*
 * Write @n GTT entries of low GM from entry @first, @batch entries per
 * pwrite; entry i points at guest page (i % @pages), or is 0 if @pages is
 * 0. Returns 0 or the -errno of the first failed pwrite.
 */
static int gtt_fill(struct vgpu *v, uint64_t first, unsigned int n, unsigned int batch,
		    unsigned int pages)
{
	uint64_t base = MVGPU_GTT_OFFSET + ((v->r.low_base / PAGE) + first) * 8;
	uint64_t buf[32];
	unsigned int i, j, k;
	ssize_t ret;

	if (!batch || batch > ARRAY_SIZE(buf))
		bench_die("batches of 1 to %zu entries only", ARRAY_SIZE(buf));
	for (i = 0; i < n; i += k) {
		k = n - i < batch ? n - i : batch;
		for (j = 0; j < k; j++) {
			buf[j] = pages ? IOVA + (first + i + j) % pages * PAGE : 0;
			buf[j] |= pages ? MVGPU_GTT_VALID : 0;
		}
		ret = vfio_region_write(&v->d, BAR0, base + i * 8, buf, k * 8);
		if (ret != (ssize_t)(k * 8))
			return ret < 0 ? ret : -EIO;
	}
	return 0;
}

/* ---- aperture mmap write bandwidth ---- */

static int cmd_aperture(int argc, char **argv)
{
	unsigned int mib = 16, passes = 20, p;
	uint64_t size, t, first, i, ap_ns[MAX_ROUNDS], cp_ns[MAX_ROUNDS];
	uint8_t *ap, *src, *dst;
	struct vgpu v;
	int ret;

	if (argc < 1 || argc > 2)
		bench_die("usage: aperture VGPU [MIB]");
	if (argc == 2)
		mib = bench_parse_uint(argv[1], 1, 1024);
	size = (uint64_t)mib << 20;
	vgpu_open(&v, argv[0], size);
	if (size > v.r.low_size)
		bench_die("%u MiB is more than the vGPU's aperture (%" PRIu64 " MiB)", mib,
			  v.r.low_size >> 20);
	ret = gtt_fill(&v, 0, size / PAGE, 1, size / PAGE);
	if (ret)
		bench_die("GTT write: %s", strerror(-ret));
	check_pins(&v, size / PAGE, "after the GTT writes");
	ap = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v.d.fd, (uint64_t)BAR2 << 40);
	if (ap == MAP_FAILED)
		bench_die("mmap of BAR2: %s", strerror(errno));
	src = malloc(size);
	dst = malloc(size);
	if (!src || !dst)
		bench_die("out of memory");
	for (i = 0; i < size; i++)
		src[i] = i * 7 + (i >> 12);
	memset(dst, 0, size);

	t = bench_now_ns();
	memcpy(ap, src, size);		/* faults every page in */
	first = bench_now_ns() - t;
	if (memcmp(v.mem, src, size))
		bench_die("stores through the aperture did not reach guest memory");
	for (p = 0; p < passes; p++) {
		t = bench_now_ns();
		memcpy(ap, src, size);
		ap_ns[p] = bench_now_ns() - t;
		t = bench_now_ns();
		memcpy(dst, src, size);
		cp_ns[p] = bench_now_ns() - t;
	}
	if (memcmp(dst, src, size) || memcmp(v.mem, src, size))
		bench_die("a copy went wrong");
	printf("  aperture: memcpy() into the BAR2 mmap, %u MiB of GTT entries pointing at\n"
	       "  DMA-mapped memory, median of %u passes:\n", mib, passes);
	printf("    first pass (faults in %" PRIu64 " pages): %8.0f MiB/s\n", size / PAGE,
	       size / MIB / (first / 1e9));
	printf("    aperture: %8.0f MiB/s   memcpy() between buffers: %8.0f MiB/s\n",
	       size / MIB / (median(ap_ns, passes) / 1e9),
	       size / MIB / (median(cp_ns, passes) / 1e9));
	printf("    ratio %.2fx (goal >= 0.90x; median of the passes' ratios)\n",
	       ratio_median(cp_ns, ap_ns, passes));
	munmap(ap, size);
	free(src);
	free(dst);
	vgpu_close(&v);
	return 0;
}

/* ---- GTT entry updates ---- */

/* Time setting @n entries (to @pages distinct pages) and clearing them. */
static void gtt_round(struct vgpu *v, unsigned int n, unsigned int batch, unsigned int pages,
		      uint64_t *set_ns, uint64_t *clear_ns)
{
	uint64_t t = bench_now_ns();
	int ret;

	ret = gtt_fill(v, 0, n, batch, pages);
	*set_ns = bench_now_ns() - t;
	if (ret)
		bench_die("GTT write of %u-entry batches: %s", batch, strerror(-ret));
	check_pins(v, pages < n ? pages : n, "after setting the entries");
	t = bench_now_ns();
	ret = gtt_fill(v, 0, n, batch, 0);
	*clear_ns = bench_now_ns() - t;
	if (ret)
		bench_die("GTT clear of %u-entry batches: %s", batch, strerror(-ret));
	check_pins(v, 0, "after clearing the entries");
}

static void gtt_report(struct vgpu *v, const char *what, unsigned int n, unsigned int batch,
		       unsigned int pages, unsigned int rounds)
{
	uint64_t set[MAX_ROUNDS], clear[MAX_ROUNDS];
	double s, c;
	unsigned int r;

	for (r = 0; r < rounds; r++)
		gtt_round(v, n, batch, pages, &set[r], &clear[r]);
	s = median(set, rounds);
	c = median(clear, rounds);
	printf("    %-34s set %8.0f/s (%5.1f us)   clear %8.0f/s (%5.1f us)\n", what,
	       n / (s / 1e9), s / 1e3 / n, n / (c / 1e9), c / 1e3 / n);
}

static int cmd_gtt(int argc, char **argv)
{
	unsigned int n = 4096, rounds = 5, batch = 32;
	long long pins;
	struct vgpu v;
	char what[64];
	int ret;

	if (argc < 1 || argc > 2)
		bench_die("usage: gtt VGPU [ENTRIES]");
	if (argc == 2)
		n = bench_parse_uint(argv[1], 64, 1 << 20);
	vgpu_open(&v, argv[0], (uint64_t)n * PAGE);
	if (n > v.r.low_size / PAGE)
		bench_die("%u entries are more than the vGPU's low GM holds", n);
	pins = pins_of(&v);
	printf("  GTT entry updates: %u entries of low GM, 8-byte entries, median of %u rounds%s\n",
	       n, rounds, pins < 0 ? " (no debugfs: pins unchecked)" : "");
	gtt_report(&v, "one entry per pwrite, distinct pages", n, 1, n, rounds);
	gtt_report(&v, "one entry per pwrite, 16 pages", n, 1, 16, rounds);
	ret = gtt_fill(&v, 0, batch, batch, batch);
	if (ret == -EINVAL) {
		printf("    %u entries per pwrite: refused (EINVAL), the GTT takes 4- and 8-byte\n"
		       "    accesses only\n", batch);
	} else if (ret) {
		bench_die("GTT write of %u entries: %s", batch, strerror(-ret));
	} else {
		if (gtt_fill(&v, 0, batch, batch, 0))
			bench_die("GTT clear of %u entries failed", batch);
		snprintf(what, sizeof(what), "%u entries per pwrite, distinct pages", batch);
		gtt_report(&v, what, n, batch, n, rounds);
		snprintf(what, sizeof(what), "%u entries per pwrite, 16 pages", batch);
		gtt_report(&v, what, n, batch, 16, rounds);
	}
	vgpu_close(&v);
	return 0;
}

/* ---- create and remove latency ---- */

static int cmd_lifecycle(int argc, char **argv)
{
	unsigned int rounds, ntypes = argc - 1, r, i;
	uint64_t t, *create, *remove;
	double base = 0, total;
	char uuid[64];
	int ret;

	if (argc < 2)
		bench_die("usage: lifecycle ROUNDS TYPE_DIR...");
	rounds = bench_parse_uint(argv[0], 1, 10000);
	create = calloc(ntypes, sizeof(*create));
	remove = calloc(ntypes, sizeof(*remove));
	if (!create || !remove)
		bench_die("out of memory");
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ntypes; i++) {
			new_uuid(uuid, sizeof(uuid));
			t = bench_now_ns();
			ret = mdev_create(argv[i + 1], uuid);
			create[i] += bench_now_ns() - t;
			if (ret)
				bench_die("create in %s: %s", argv[i + 1], strerror(-ret));
			t = bench_now_ns();
			ret = mdev_remove(uuid);
			remove[i] += bench_now_ns() - t;
			if (ret)
				bench_die("remove of %s: %s", uuid, strerror(-ret));
		}
	}
	printf("  create + remove through sysfs, mean of %u rounds:\n", rounds);
	base = (double)(create[ntypes - 1] + remove[ntypes - 1]) / rounds;
	for (i = 0; i < ntypes; i++) {
		total = (double)(create[i] + remove[i]) / rounds;
		printf("    %-12s create %7.2f ms   remove %7.2f ms   total %7.2f ms   %5.2fx %s\n",
		       base_name(argv[i + 1]), create[i] / 1e6 / rounds, remove[i] / 1e6 / rounds,
		       total / 1e6, total / base, base_name(argv[ntypes]));
	}
	free(create);
	free(remove);
	return 0;
}

/* ---- instances per parent and their memory ---- */

struct meminfo {
	long long avail, slab, sunreclaim, vmalloc;	/* KiB */
	bool unfolded;		/* per-CPU deltas may be missing */
};

static void mem_snapshot(struct meminfo *m)
{
	char key[64];
	long long v;
	glob_t g;
	size_t i;
	FILE *f;

	/*
	 * Steady figures: no page cache filled meanwhile (by the 9p root), no
	 * empty slabs kept by SLUB, no page counts still in per-CPU deltas.
	 */
	sync();
	sysfs_write("/proc/sys/vm/drop_caches", "3");
	if (!glob("/sys/kernel/slab/*/shrink", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++)
			sysfs_write(g.gl_pathv[i], "1");
		globfree(&g);
	}
	sleep(1);	/* for frees deferred past an RCU grace period */
	m->unfolded = sysfs_write("/proc/sys/vm/stat_refresh", "1") != 0;
	f = fopen("/proc/meminfo", "r");
	if (!f)
		bench_die("/proc/meminfo: %s", strerror(errno));
	m->avail = -1;
	m->slab = -1;
	m->sunreclaim = -1;
	m->vmalloc = -1;
	while (fscanf(f, "%63[^:]: %lld%*[^\n]\n", key, &v) == 2) {
		if (!strcmp(key, "MemAvailable"))
			m->avail = v;
		else if (!strcmp(key, "Slab"))
			m->slab = v;
		else if (!strcmp(key, "SUnreclaim"))
			m->sunreclaim = v;
		else if (!strcmp(key, "VmallocUsed"))
			m->vmalloc = v;
	}
	fclose(f);
	if (m->avail < 0 || m->slab < 0 || m->sunreclaim < 0 || m->vmalloc < 0)
		bench_die("/proc/meminfo lacks MemAvailable, Slab, SUnreclaim or VmallocUsed");
}

static void mem_delta(const char *what, const struct meminfo *a, const struct meminfo *b,
		      unsigned int n)
{
	printf("    %-21s %+8.1f %+8.1f %+8.1f %+8.1f\n", what,
	       (double)(b->avail - a->avail) / n, (double)(b->slab - a->slab) / n,
	       (double)(b->sunreclaim - a->sunreclaim) / n, (double)(b->vmalloc - a->vmalloc) / n);
}

static int cmd_instances(int argc, char **argv)
{
	static char uuids[MAX_INSTANCES][64];
	static struct vfio_dev devs[MAX_INSTANCES];
	struct meminfo before, created, opened, after;
	const char *type_dir;
	unsigned int n, i;
	char path[512];
	long avail;
	int ret = 0;

	if (argc != 1)
		bench_die("usage: instances TYPE_DIR");
	type_dir = argv[0];
	snprintf(path, sizeof(path), "%s/available_instances", type_dir);
	avail = sysfs_read_long(path);
	if (avail < 0)
		bench_die("%s: cannot read it", path);
	mem_snapshot(&before);
	for (n = 0; n < MAX_INSTANCES; n++) {
		new_uuid(uuids[n], sizeof(uuids[n]));
		ret = mdev_create(type_dir, uuids[n]);
		if (ret)
			break;
	}
	if (n == MAX_INSTANCES)
		bench_die("%u instances created and the parent is not full", n);
	if (!n)
		bench_die("no instance could be created: %s", strerror(-ret));
	mem_snapshot(&created);
	for (i = 0; i < n; i++)
		open_or_die(&devs[i], uuids[i]);
	mem_snapshot(&opened);
	for (i = 0; i < n; i++)
		vfio_dev_close(&devs[i]);
	for (i = 0; i < n; i++)
		if (mdev_remove(uuids[i]))
			bench_die("remove of %s failed", uuids[i]);
	mem_snapshot(&after);
	printf("  instances per parent: %s created until a create failed\n", base_name(type_dir));
	printf("    %u instances (available_instances said %ld); the next create: %s\n",
	       n, avail, strerror(-ret));
	printf("    KiB per instance (/proc/meminfo):  MemAvail     Slab SUnrecl. Vmalloc\n");
	mem_delta("created:", &before, &created, n);
	mem_delta("then opened (VFIO):", &created, &opened, n);
	mem_delta("all removed, in all:", &before, &after, 1);
	if (before.unfolded || created.unfolded || opened.unfolded || after.unfolded)
		printf("    (/proc/sys/vm/stat_refresh failed: per-CPU counts not folded in)\n");
	if (ret != -ENOSPC)
		bench_die("the create after %u instances failed with %s, not ENOSPC", n,
			  strerror(-ret));
	return 0;
}

/* ---- display: plane queries, the framebuffer region's refresh, vblanks ---- */

#define DISP_W		1920
#define DISP_H		1200
#define VBLANKS		121

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t query_ns(struct vgpu *v, uint32_t type, struct vfio_device_gfx_plane_info *p)
{
	uint64_t t;

	memset(p, 0, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = VFIO_GFX_PLANE_TYPE_REGION;
	p->drm_plane_type = type;
	t = bench_now_ns();
	if (ioctl(v->d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, p))
		bench_die("VFIO_DEVICE_QUERY_GFX_PLANE: %s", strerror(errno));
	return bench_now_ns() - t;
}

static int cmd_display(int argc, char **argv)
{
	uint64_t size = (uint64_t)DISP_W * DISP_H * 4, q_ns[MAX_ROUNDS], c_ns[MAX_ROUNDS];
	uint64_t off_ns[MAX_ROUNDS], t, last = 0, gaps[VBLANKS];
	unsigned int rounds = 30, r, n = 0;
	struct vfio_device_gfx_plane_info p;
	uint8_t *dst;
	struct vgpu v;
	int efd;

	if (argc != 1)
		bench_die("usage: display VGPU");
	vgpu_open(&v, argv[0], size);
	if (gtt_fill(&v, 0, size / PAGE, 32, size / PAGE))
		bench_die("GTT write: %s", strerror(errno));
	memset(v.mem, 0x5a, size);
	dst = malloc(size);
	if (!dst)
		bench_die("out of memory");
	mmio_wr32(&v.d, MVGPU_DISP_PLANE_CTL, MVGPU_PLANE_ENABLE | MVGPU_FMT_XRGB8888);
	mmio_wr32(&v.d, MVGPU_DISP_PLANE_STRIDE, DISP_W * 4);
	mmio_wr32(&v.d, MVGPU_DISP_PLANE_SIZE, MVGPU_DISP_XY(DISP_W, DISP_H));
	mmio_wr32(&v.d, MVGPU_DISP_PLANE_SURF, v.r.low_base);
	for (r = 0; r < rounds; r++)	/* pipe off: a query finds nothing to copy */
		off_ns[r] = query_ns(&v, 1, &p);
	mmio_wr32(&v.d, MVGPU_DISP_PIPE_CONF, MVGPU_PIPE_ENABLE);
	query_ns(&v, 1, &p);
	if (p.width != DISP_W || p.height != DISP_H)
		bench_die("the plane is not the %ux%u one set up", DISP_W, DISP_H);
	for (r = 0; r < rounds; r++) {
		q_ns[r] = query_ns(&v, 1, &p);
		t = bench_now_ns();
		memcpy(dst, v.mem, size);
		c_ns[r] = bench_now_ns() - t;
	}
	printf("  display: a %ux%u XRGB8888 plane in guest memory behind the GTT,\n"
	       "  VFIO_DEVICE_QUERY_GFX_PLANE (REGION), medians of %u rounds:\n",
	       DISP_W, DISP_H, rounds);
	printf("    query, pipe off:            %8.1f us\n", median(off_ns, rounds) / 1e3);
	printf("    query and frame refresh:    %8.1f us   memcpy() of the frame: %8.1f us\n",
	       median(q_ns, rounds) / 1e3, median(c_ns, rounds) / 1e3);
	printf("    refresh / memcpy %.2fx (each frame QEMU shows costs one refresh)\n",
	       ratio_median(q_ns, c_ns, rounds));

	/* vblank interrupts as the VMM's MSI eventfd sees them */
	efd = efd_new();
	if (efd < 0 || vfio_irq_set_eventfd(&v.d, VFIO_PCI_MSI_IRQ_INDEX, efd))
		bench_die("MSI on an eventfd: %s", strerror(errno));
	mmio_wr32(&v.d, MVGPU_REG_IMR, 0);
	mmio_wr32(&v.d, MVGPU_REG_IER, MVGPU_IRQ_VBLANK);
	mmio_wr32(&v.d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	while (n < VBLANKS) {
		if (!efd_wait(efd, 1000))
			bench_die("no vblank interrupt for 1 s");
		t = bench_now_ns();
		mmio_wr32(&v.d, MVGPU_REG_IIR, MVGPU_IRQ_VBLANK);
		if (last)
			gaps[n - 1] = t - last;
		last = t;
		n++;
	}
	qsort(gaps, VBLANKS - 1, sizeof(gaps[0]), cmp_u64);
	printf("  vblank interrupts: %u intervals at the VMM's eventfd (16.67 ms at 60 Hz):\n"
	       "    median %.2f ms, 1st percentile %.2f ms, 99th %.2f ms, largest %.2f ms\n",
	       VBLANKS - 1, gaps[(VBLANKS - 1) / 2] / 1e6, gaps[(VBLANKS - 1) / 100] / 1e6,
	       gaps[(VBLANKS - 1) * 99 / 100] / 1e6, gaps[VBLANKS - 2] / 1e6);
	mmio_wr32(&v.d, MVGPU_DISP_PIPE_CONF, 0);
	close(efd);
	free(dst);
	vgpu_close(&v);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct bench_cmd cmds[] = {
		{ "mmio", cmd_mmio },
		{ "aperture", cmd_aperture },
		{ "gtt", cmd_gtt },
		{ "lifecycle", cmd_lifecycle },
		{ "instances", cmd_instances },
		{ "display", cmd_display },
	};

	return bench_main(argc, argv, cmds, ARRAY_SIZE(cmds));
}
