// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_fuzz: a structured fuzzer for the project's VFIO devices, acting as
 * a hostile guest and a hostile VMM at once. Every operation is drawn from
 * a seeded generator, so a seed reproduces a run operation by operation.
 *
 * mvgpu mode (the default): process memory DMA-mapped as guest memory, GTT
 * entries (valid, unmapped IOVAs, outside the vGPU's GM, odd sizes),
 * mutated command streams in rings and batches (bad lengths, huge blits,
 * foreign addresses, nested and looping batches, per-process page tables
 * of random content), floods past MVGPU_MAX_PENDING, DMA unmaps while work
 * uses the memory, resets, SET_IRQS, aperture mmap stores, config space and
 * random region accesses and VFIO ioctls, display planes programmed and
 * queried, dma-bufs of them mapped. With --isolation UUID a second
 * vGPU runs known-good work throughout, and any wrong result fails the run.
 * At the end the fuzzed vGPU must run good work again after a reset.
 *
 * --mvtty: the generic part (regions, config space, SET_IRQS, ioctls,
 * resets) against an mvtty instance; at the end it must still answer.
 *
 * Kernel reports (oops, KASAN, lockdep...) are found by the harness in the
 * console; this program checks isolation, recovery, and that no operation
 * blocks: an operation that takes more than 60 s ends the run with the
 * seed and the last operations.
 *
 * Usage: vfio_fuzz [--seed N] [--ops N] [--mvtty] [--isolation UUID2] UUID
 * Prints TAP.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

#define IOVA		0x100000000ULL
#define PAGES		256		/* guest memory: 1 MiB */
#define GOOD_EVERY	250		/* operations between two isolation checks */
#define OP_LIMIT_S	60
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define TIMEOUT_MS	30000

/* ---- the generator: xorshift64*, seeded through splitmix64 ---- */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rng_state = (z ^ (z >> 31)) | 1;
}

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* uniform in [0, n) */
static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* a size that is usually sane and sometimes not */
static size_t odd_size(void)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 5, 7, 8, 12, 16, 64, 256, 257, 4096 };

	return sizes[below(ARRAY_SIZE(sizes))];
}

/* ---- the log of the last operations, printed when something fails ---- */

#define LOG_SIZE	32
static char op_log[LOG_SIZE][128];
static uint64_t op_nr, seed;

static void logop(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logop(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(op_log[op_nr % LOG_SIZE], sizeof(op_log[0]), fmt, ap);
	va_end(ap);
}

static void dump_log(void)
{
	uint64_t i = op_nr >= LOG_SIZE ? op_nr - LOG_SIZE + 1 : 0;

	tap_diag("seed %" PRIu64 ", operation %" PRIu64 "; the last operations:", seed, op_nr);
	for (; i <= op_nr; i++)
		tap_diag("  %" PRIu64 ": %s", i, op_log[i % LOG_SIZE]);
}

static void on_alarm(int sig)
{
	(void)sig;
	tap_check(false, "operation %" PRIu64 " did not finish within %d s", op_nr, OP_LIMIT_S);
	dump_log();
	tap_done();
	_exit(1);
}

/* ---- a vGPU as the fuzzer holds it ---- */

struct target {
	struct vfio_dev d;
	struct vgpu_res r;
	const char *uuid;
	uint8_t *mem;
	uint8_t *aperture;	/* BAR2 mmap, or NULL */
	bool mapped;		/* mem is DMA-mapped at IOVA */
	int efd;
};

static uint64_t hgm(const struct target *t, unsigned int page)
{
	return t->r.high_base + (uint64_t)page * 4096;
}

static uint32_t *tmem32(struct target *t, unsigned int page)
{
	return (uint32_t *)(t->mem + (size_t)page * 4096);
}

/* high GM pages [0, PAGES) point at guest memory; returns 0 or -1 */
static int map_guest(struct target *t)
{
	if (!t->mapped && vfio_dma_map(&t->d, t->mem, IOVA, PAGES * 4096))
		return -1;
	t->mapped = true;
	return gtt_map_pages(&t->d, t->r.high_base / 4096, IOVA, PAGES) == PAGES ? 0 : -1;
}

/* @dmabuf: the vGPU offers its display's planes as dma-bufs (op_plane) */
static int target_open(struct target *t, const char *uuid, bool dmabuf)
{
	t->uuid = uuid;
	vgpu_attr_write(uuid, "plane_type", dmabuf ? "dmabuf" : "region");
	if (read_resources(uuid, &t->r) || vfio_dev_open(&t->d, uuid))
		return -1;
	t->mem = guest_memory(PAGES * 4096);
	t->efd = efd_new();
	if (!t->mem || map_guest(t))
		return -1;
	t->aperture = mmap(NULL, t->r.low_size, PROT_READ | PROT_WRITE, MAP_SHARED, t->d.fd,
			   (uint64_t)BAR2 << 40);
	if (t->aperture == MAP_FAILED)
		t->aperture = NULL;	/* kernels before 6.9: no aperture mmap */
	return 0;
}

/* Wait until engine @e of @t has nothing pending, at most @ms. */
static bool wait_idle(struct target *t, unsigned int e, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; waited < ms; waited += 2) {
		if (!mmio_rd32(&t->d, MVGPU_ENGINE_BASE(e) + MVGPU_ENGINE_PENDING))
			return true;
		usleep(2000);
	}
	return false;
}

/*
 * Known-good work: fill a 64x64 surface at data page @page with a colour,
 * on engine @e, and check every byte of guest memory it should and should
 * not touch. Returns true when the result is exact.
 */
static bool good_fill(struct target *t, unsigned int e, unsigned int page, uint32_t colour,
		      uint32_t id)
{
	uint32_t *img = tmem32(t, e), cmd[16], *p;
	unsigned int waited;

	if (!wait_idle(t, e, TIMEOUT_MS))
		return false;
	memset(t->mem + (size_t)page * 4096, 0, 5 * 4096);
	p = emit_fill(cmd, hgm(t, page), 256, 64, 64, colour);	/* 16 KiB */
	memcpy(tmem32(t, 2 + e), cmd, 4 * (p - cmd));
	memset(img, 0, 4096);
	ctx_set_ring(img, hgm(t, 2 + e), 4096, 4 * (p - cmd));
	engine_submit(&t->d, e, hgm(t, e), id);
	for (waited = 0; waited < TIMEOUT_MS; waited += 2) {
		if (img[MVGPU_CTX_STATUS / 4] & (MVGPU_CSB_COMPLETE | MVGPU_CSB_ERROR))
			break;
		usleep(2000);
	}
	return img[MVGPU_CTX_STATUS / 4] == MVGPU_CSB_COMPLETE &&
	       mem_all32(tmem32(t, page), 16384, colour) && mem_all32(tmem32(t, page + 4), 4096, 0);
}

/* ---- operations ---- */

static void op_mmio(struct target *t, bool mvtty)
{
	static const uint64_t hot[] = {
		MVGPU_REG_IIR, MVGPU_REG_IMR, MVGPU_REG_IER,
		MVGPU_ENGINE_BASE(0), MVGPU_ENGINE_BASE(1), MVGPU_ENGINE_BASE(2),
		MVGPU_ENGINE_BASE(0) + MVGPU_ENGINE_CSB(31), MVGPU_REG_FENCE(0),
		MVGPU_REG_FENCE(31), MVGPU_PVINFO_PAGE, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_G2V_NOTIFY,
		MVGPU_MMIO_SIZE - 4, MVGPU_GTT_OFFSET,
	};
	uint8_t buf[4096];
	uint64_t off = chance(60) ? hot[below(ARRAY_SIZE(hot))] + below(64) :
		       below(2 * MVGPU_MMIO_SIZE + 4096);
	size_t len = odd_size();
	bool write = chance(50);
	unsigned int i;

	/* submissions are op_submit's: a random descriptor here is noise */
	if (write && off >= MVGPU_ENGINE_BASE(0) && off < MVGPU_ENGINE_BASE(2) &&
	    (off & 0xfff) < 8)
		off += 8;
	for (i = 0; i < len; i++)
		buf[i] = rnd();
	logop("mmio %s 0x%" PRIx64 " len %zu", write ? "write" : "read", off, len);
	if (write)
		vfio_region_write(&t->d, BAR0, off, buf, len);
	else
		vfio_region_read(&t->d, BAR0, off, buf, len);
}

/* a GTT entry value: a mapped guest page, an unmapped IOVA, or garbage */
static uint64_t rnd_pte(void)
{
	switch (below(4)) {
	case 0:
		return (IOVA + below(PAGES) * 4096) | MVGPU_GTT_VALID;
	case 1:
		return ((IOVA + (PAGES + below(1 << 20)) * 4096) & MVGPU_GTT_ADDR_MASK) |
		       MVGPU_GTT_VALID;
	case 2:
		return 0;
	default:
		return rnd();
	}
}

static void op_gtt(struct target *t, bool mvtty)
{
	uint64_t pte[64], page;
	unsigned int n = chance(70) ? 1 : 1 + below(64), i;
	size_t len = n * 8;

	/* mostly its own GM, the data pages spared so work stays meaningful */
	switch (below(4)) {
	case 0:
		page = t->r.low_base / 4096 + below(t->r.low_size / 4096);
		break;
	case 1:
		page = t->r.high_base / 4096 + 16 + below(t->r.high_size / 4096 - 16);
		break;
	case 2:
		page = below(1 << 20);	/* anywhere, mostly not its own */
		break;
	default:
		page = (t->r.high_base + t->r.high_size) / 4096 + below(16);
		break;
	}
	for (i = 0; i < n; i++)
		pte[i] = rnd_pte();
	if (chance(5))
		len = odd_size();
	if (len > sizeof(pte))
		len = sizeof(pte);
	logop("gtt page 0x%" PRIx64 " x%u len %zu pte 0x%" PRIx64, page, n, len, pte[0]);
	vfio_region_write(&t->d, BAR0, MVGPU_GTT_OFFSET + page * 8 + (chance(3) ? 4 : 0), pte,
			  len);
	if (chance(20))
		vfio_region_read(&t->d, BAR0, MVGPU_GTT_OFFSET + page * 8, pte, len);
}

/* an address for a command: its own memory, near it, or anywhere */
static uint64_t rnd_addr(struct target *t)
{
	switch (below(5)) {
	case 0:
	case 1:
		return hgm(t, 16 + below(PAGES - 16)) + (below(4096) & ~3ULL);
	case 2:
		return t->r.low_base + below(t->r.low_size);
	case 3:
		return hgm(t, 0) + t->r.high_size - below(8192);
	default:
		return rnd() & 0xffffffffffffULL;
	}
}

/* One command, valid in shape or mutated, at @p (room for 16 dwords). */
static uint32_t *rnd_command(struct target *t, uint32_t *p, unsigned int batch_page)
{
	uint32_t w = 1 + below(1024), h = 1 + below(256);
	uint32_t *start = p;

	switch (below(10)) {
	case 0:
		p = emit_fill(p, rnd_addr(t), chance(80) ? 4 * w : rnd() & 0xffff, w, h, rnd());
		break;
	case 1:
		p = emit_copy(p, rnd_addr(t), rnd_addr(t), chance(80) ? 4 * w : rnd() & 0xffff, w,
			      h);
		break;
	case 2:
		p = emit_sdi(p, rnd_addr(t), rnd());
		break;
	case 3:
		p = emit_lri(p, chance(70) ? SIMGPU_REG_GPR(below(20)) : rnd() & 0xffff, rnd());
		break;
	case 4:
		p = emit_srm(p, chance(70) ? SIMGPU_REG_GPR(below(16)) : rnd() & 0xffff,
			     rnd_addr(t));
		break;
	case 5:	/* a batch: its own, another one, itself (a loop), or anywhere */
		p = emit_bb(p, chance(60) ? hgm(t, batch_page + below(4)) : rnd_addr(t),
			    chance(50) ? SIMGPU_BB_SECOND_LEVEL : 0);
		break;
	case 6:
		p = emit_sem(p, below(4), rnd() & 3, rnd_addr(t));
		break;
	case 7:
		p = emit_mi(p, below(64));
		break;
	case 8:
		p = emit_mi(p, SIMGPU_MI_USER_INTERRUPT);
		break;
	default:	/* garbage of a random claimed length */
		*p++ = rnd();
		*p++ = rnd();
		break;
	}
	/* a mutation: any dword of it flipped */
	if (chance(10))
		start[below(p - start)] ^= 1u << below(32);
	return p;
}

/*
 * One command the scanner accepts: blits, stores and register moves inside
 * the vGPU's own data pages, sized to fit. Workloads of these run on the
 * engine and do not count towards failsafe, so the run exercises execution
 * and scheduling as well as refusals.
 */
static uint32_t *clean_command(struct target *t, uint32_t *p, unsigned int e)
{
	uint32_t w = 1 + below(256), h = 1 + below(16);
	uint64_t dst = hgm(t, 16 + below(PAGES - 32)), src = hgm(t, 16 + below(PAGES - 32));

	switch (below(e == SIMGPU_ENGINE_RENDER ? 6 : 3)) {
	case 0:
		return emit_fill(p, dst, 1024, w, h, rnd());
	case 1:
		return emit_copy(p, dst, src, 1024, w, h);
	case 2:
		return emit_mi(p, chance(50) ? SIMGPU_MI_NOOP : SIMGPU_MI_USER_INTERRUPT);
	case 3:
		return emit_sdi(p, dst + (below(1024) & ~3ULL), rnd());
	case 4:
		return emit_lri(p, SIMGPU_REG_GPR(below(SIMGPU_NUM_GPR)), rnd());
	default:
		return emit_srm(p, SIMGPU_REG_GPR(below(SIMGPU_NUM_GPR)),
				dst + (below(1024) & ~3ULL));
	}
}

/* a random 4-level page table for a per-process context, in guest memory */
static uint64_t rnd_ppgtt(struct target *t)
{
	unsigned int lvl, i, first = 8 + below(4);
	uint64_t *table;

	for (lvl = 0; lvl < 4; lvl++) {
		table = (uint64_t *)tmem32(t, first + lvl);
		for (i = 0; i < 512; i++)
			table[i] = chance(70) ? 0 : (chance(70) ?
				   (IOVA + (first + lvl + 1 + below(3)) * 4096) | SIMGPU_PTE_VALID :
				   rnd_pte());
	}
	return IOVA + (uint64_t)first * 4096;
}

static void op_submit(struct target *t, bool mvtty)
{
	unsigned int e = below(SIMGPU_NUM_ENGINES + 1), n = below(40), i;
	unsigned int batch_page = 4;
	uint32_t *ring, *p, *img, ring_pages;
	uint64_t desc;

	if (e >= SIMGPU_NUM_ENGINES)
		e = below(SIMGPU_NUM_ENGINES);
	img = tmem32(t, e);
	ring = tmem32(t, 2 + e);
	if (chance(40)) {
		for (p = ring, i = 0; i < n; i++)
			p = clean_command(t, p, e);
		memset(img, 0, 256);
		ctx_set_ring(img, hgm(t, 2 + e), 4096, 4 * (p - ring));
		logop("submit engine %u, %u clean commands", e, n);
		engine_submit(&t->d, e, hgm(t, e), below(65536));
		return;
	}
	/* the batches */
	for (i = 0; i < 4; i++) {
		p = tmem32(t, batch_page + i);
		while (p < tmem32(t, batch_page + i) + 900 && chance(90))
			p = rnd_command(t, p, batch_page);
		if (chance(90))
			emit_mi(p, SIMGPU_MI_BATCH_BUFFER_END);
		else
			*p = rnd();
	}
	/* the ring */
	for (p = ring, i = 0; i < n; i++)
		p = rnd_command(t, p, batch_page);
	memset(img, 0, 256);
	ring_pages = chance(90) ? 1 : below(1024);
	ctx_set_ring(img, chance(90) ? hgm(t, 2 + e) : rnd_addr(t), ring_pages * 4096,
		     chance(90) ? (uint32_t)(4 * (p - ring)) : (uint32_t)rnd());
	if (chance(5))
		img[MVGPU_CTX_RING_HEAD / 4] = rnd();
	if (chance(20)) {
		uint64_t root = rnd_ppgtt(t);

		img[MVGPU_CTX_FLAGS / 4] = MVGPU_CTX_F_PPGTT;
		img[MVGPU_CTX_PPGTT_ROOT / 4] = root;
		img[MVGPU_CTX_PPGTT_ROOT / 4 + 1] = root >> 32;
	} else if (chance(5)) {
		img[MVGPU_CTX_FLAGS / 4] = rnd();
	}
	desc = chance(90) ? hgm(t, e) | MVGPU_DESC_VALID : rnd();
	desc |= (uint64_t)below(65536) << 48;
	logop("submit engine %u, %u commands, desc 0x%" PRIx64, e, n, desc);
	mmio_wr64(&t->d, MVGPU_ENGINE_BASE(e) + MVGPU_ENGINE_SUBMIT, desc);
}

static void op_flood(struct target *t, bool mvtty)
{
	unsigned int e = below(SIMGPU_NUM_ENGINES), i, n = MVGPU_MAX_PENDING + 1 + below(8);
	uint32_t *img = tmem32(t, e), *ring = tmem32(t, 2 + e), *p;

	p = emit_sdi(ring, hgm(t, 16 + below(PAGES - 16)), rnd());
	memset(img, 0, 256);
	ctx_set_ring(img, hgm(t, 2 + e), 4096, 4 * (p - ring));
	logop("flood engine %u with %u submissions", e, n);
	for (i = 0; i < n; i++)
		engine_submit(&t->d, e, hgm(t, e), 1000 + i);
}

/* take the guest memory away while work may use it, then give it back */
static void op_unmap(struct target *t, bool mvtty)
{
	logop("unmap guest memory%s", t->mapped ? "" : " (not mapped)");
	vfio_dma_unmap(&t->d, IOVA, PAGES * 4096);
	t->mapped = false;
	if (chance(80))
		map_guest(t);
}

static void op_reset(struct target *t, bool mvtty)
{
	logop("VFIO_DEVICE_RESET");
	ioctl(t->d.fd, VFIO_DEVICE_RESET);
	if (t->mapped)
		gtt_map_pages(&t->d, t->r.high_base / 4096, IOVA, PAGES);
}

static void op_irqs(struct target *t, bool mvtty)
{
	uint8_t buf[sizeof(struct vfio_irq_set) + 16];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int fd = chance(70) ? t->efd : (int)below(64) - 2;

	set->argsz = chance(90) ? sizeof(*set) + (chance(50) ? 4 : 0) : rnd() & 0xff;
	set->flags = chance(80) ? (1u << below(3)) | (1u << (5 + below(3))) : rnd();
	set->index = chance(90) ? below(6) : rnd();
	set->start = chance(90) ? 0 : rnd();
	set->count = chance(80) ? below(2) : rnd();
	memcpy(set->data, &fd, sizeof(fd));
	if (chance(30))
		set->data[0] = rnd();
	logop("SET_IRQS flags 0x%x index %u count %u argsz %u", set->flags, set->index,
	      set->count, set->argsz);
	ioctl(t->d.fd, VFIO_DEVICE_SET_IRQS, set);
}

static void op_cfg(struct target *t, bool mvtty)
{
	uint8_t buf[300];
	uint64_t off = chance(90) ? below(256) : below(4096);
	size_t len = odd_size();
	bool write = chance(40);
	unsigned int i;

	if (len > sizeof(buf))
		len = sizeof(buf);
	for (i = 0; i < len; i++)
		buf[i] = rnd();
	/* keep memory and I/O decoding on, mostly: the rest of the run needs them */
	if (write && off <= PCI_COMMAND && off + len > PCI_COMMAND && chance(90))
		buf[PCI_COMMAND - off] |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	logop("config %s 0x%" PRIx64 " len %zu", write ? "write" : "read", off, len);
	if (write)
		vfio_region_write(&t->d, CFG, off, buf, len);
	else
		vfio_region_read(&t->d, CFG, off, buf, len);
}

/* An aperture access must never fault: holes are backed, not SIGBUS. */
static sigjmp_buf aperture_jmp;
static uint64_t aperture_faults;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(aperture_jmp, 1);
}

static void op_aperture(struct target *t, bool mvtty)
{
	uint64_t off = below(t->r.low_size) & ~7ULL;
	bool store = chance(50);
	uint64_t *p;

	if (!t->aperture) {
		logop("aperture (not mapped): pwrite instead");
		vfio_region_write(&t->d, BAR2, off, &off, 8);
		return;
	}
	p = (uint64_t *)(t->aperture + off);
	logop("aperture %s 0x%" PRIx64, store ? "store" : "load", off);
	if (sigsetjmp(aperture_jmp, 1)) {
		if (!aperture_faults++)
			dump_log();
		return;
	}
	/* atomics: one 8-byte access the compiler may not drop or split */
	if (store)
		__atomic_store_n(p, rnd(), __ATOMIC_RELAXED);
	else
		(void)__atomic_load_n(p, __ATOMIC_RELAXED);
}

static void op_region(struct target *t, bool mvtty)
{
	uint8_t buf[4096];
	unsigned int index = chance(80) ? (mvtty ? 0 : below(6)) : below(16);
	uint64_t off = chance(80) ? below(mvtty ? 16 : 1 << 24) : rnd() & ((1ULL << 40) - 1);
	size_t len = odd_size();
	bool write = chance(50);

	if (!mvtty && index == 2 && chance(90))
		off %= t->r.low_size;
	memset(buf, rnd(), len);
	logop("region %u %s 0x%" PRIx64 " len %zu", index, write ? "write" : "read", off, len);
	if (write)
		vfio_region_write(&t->d, index, off, buf, len);
	else
		vfio_region_read(&t->d, index, off, buf, len);
}

static void op_ioctl(struct target *t, bool mvtty)
{
	/*
	 * The device's own ioctls (GET_INFO .. FEATURE) and some beyond, but
	 * not SET_IRQS and RESET (op_irqs' and op_reset's) nor the iommufd
	 * bind/attach/detach ones: a VMM detaching its own address space
	 * hurts only itself, and ends the meaningful part of the run.
	 */
	static const unsigned int nrs[] = { 0, 1, 5, 7, 8, 9, 12, 13, 14, 15, 16, 17, 21, 22, 30 };
	unsigned int nr = nrs[below(ARRAY_SIZE(nrs))], i;
	uint32_t arg[64];
	int ret;

	for (i = 0; i < 64; i++)
		arg[i] = chance(50) ? below(16) : rnd();
	arg[0] = chance(80) ? 16 + below(64) : rnd();	/* argsz */
	logop("ioctl VFIO_BASE+%u argsz %u", nr, arg[0]);
	ret = ioctl(t->d.fd, _IO(VFIO_TYPE, VFIO_BASE + nr), arg);
	if (nr == 15 && ret >= 0)	/* GET_GFX_DMABUF gave a dma-buf */
		close(ret);
}

/*
 * The display as guest and VMM use it: a plane and a cursor the guest
 * programs (in its GM, mapped or not, or anywhere), the pipe on or off;
 * plane queries of every kind; a dma-buf of what a query found, mapped
 * and read, then closed.
 */
static uint64_t dmabufs_read;	/* op_plane's dma-bufs that were mapped and read */

static void op_plane(struct target *t, bool mvtty)
{
	static const uint32_t flags[] = {
		VFIO_GFX_PLANE_TYPE_REGION, VFIO_GFX_PLANE_TYPE_DMABUF,
		VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF, 0,
	};
	struct vfio_device_gfx_plane_info p = { .argsz = sizeof(p) };
	uint64_t gm = chance(80) ? t->r.low_base + below(t->r.low_size / 4096) * 4096ULL :
		      chance(50) ? hgm(t, below(PAGES)) : rnd();
	uint32_t *map, word;
	int fd;

	if (chance(50)) {
		logop("plane at 0x%" PRIx64, gm);
		mmio_wr32(&t->d, MVGPU_DISP_PLANE_CTL, MVGPU_PLANE_ENABLE | below(4));
		mmio_wr32(&t->d, MVGPU_DISP_PLANE_STRIDE, chance(80) ? 4096 : rnd());
		mmio_wr32(&t->d, MVGPU_DISP_PLANE_SIZE, chance(80) ?
			  MVGPU_DISP_XY(1 + below(1024), 1 + below(768)) : rnd());
		mmio_wr32(&t->d, MVGPU_DISP_PLANE_SURF, gm);
		mmio_wr32(&t->d, MVGPU_DISP_CUR_BASE, gm + 4096 * below(4));
		mmio_wr32(&t->d, MVGPU_DISP_CUR_POS, rnd());
		mmio_wr32(&t->d, MVGPU_DISP_CUR_CTL, rnd());
		mmio_wr32(&t->d, MVGPU_DISP_PIPE_CONF, chance(70) ? MVGPU_PIPE_ENABLE : 0);
	}
	p.flags = chance(90) ? flags[below(ARRAY_SIZE(flags))] : rnd();
	p.drm_plane_type = chance(90) ? below(3) : rnd();
	logop("query plane flags 0x%x type %u", p.flags, p.drm_plane_type);
	if (ioctl(t->d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p) ||
	    p.flags != VFIO_GFX_PLANE_TYPE_DMABUF || !p.size)
		return;
	logop("dma-buf %u of %u bytes", p.dmabuf_id, (unsigned int)p.size);
	fd = ioctl(t->d.fd, VFIO_DEVICE_GET_GFX_DMABUF, &p.dmabuf_id);
	if (fd < 0)
		return;
	map = mmap(NULL, p.size, PROT_READ, MAP_SHARED, fd, 0);
	if (map != MAP_FAILED) {
		memcpy(&word, &map[below(p.size / 4)], sizeof(word));
		logop("dma-buf %u read 0x%08x", p.dmabuf_id, word);
		dmabufs_read++;
		munmap(map, p.size);
	}
	close(fd);
}

static void op_wait(struct target *t, bool mvtty)
{
	logop("wait for the engines");
	wait_idle(t, 0, 2000);
	wait_idle(t, 1, 2000);
}

/* Each operation with its weight in mvgpu and in mvtty mode. */
static const struct op {
	const char *name;
	void (*run)(struct target *t, bool mvtty);
	unsigned int weight[2];
} ops_table[] = {
	{ "mmio", op_mmio, { 300, 0 } },
	{ "gtt", op_gtt, { 150, 0 } },
	{ "submit", op_submit, { 200, 0 } },
	{ "flood", op_flood, { 10, 0 } },
	{ "unmap", op_unmap, { 8, 0 } },
	{ "reset", op_reset, { 15, 10 } },
	{ "set_irqs", op_irqs, { 40, 150 } },
	{ "config", op_cfg, { 60, 300 } },
	{ "aperture", op_aperture, { 80, 0 } },
	{ "region", op_region, { 60, 400 } },
	{ "ioctl", op_ioctl, { 40, 150 } },
	{ "plane", op_plane, { 30, 0 } },
	{ "wait", op_wait, { 5, 0 } },
};

#define NR_OPS	ARRAY_SIZE(ops_table)
static uint64_t op_count[NR_OPS];

/* ---- the run ---- */

int main(int argc, char **argv)
{
	struct target t = { 0 }, iso = { 0 };
	const char *iso_uuid = NULL;
	uint64_t ops = 10000, total = 0, good = 0, bad = 0;
	unsigned int k, mode = 0, w, sum = 0;
	bool recovered;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while (argc > 2 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--mvtty")) {
			mode = 1;
			argv++;
			argc--;
			continue;
		}
		if (argc < 4)
			break;
		if (!strcmp(argv[1], "--seed"))
			seed = strtoull(argv[2], NULL, 0);
		else if (!strcmp(argv[1], "--ops"))
			ops = strtoull(argv[2], NULL, 0);
		else if (!strcmp(argv[1], "--isolation"))
			iso_uuid = argv[2];
		else
			break;
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr,
			"usage: vfio_fuzz [--seed N] [--ops N] [--mvtty] [--isolation UUID2] UUID\n");
		return 2;
	}
	rng_seed(seed);
	tap_diag("vfio_fuzz --seed %" PRIu64 " --ops %" PRIu64 "%s%s%s %s (backend %s)", seed,
		 ops, mode ? " --mvtty" : "", iso_uuid ? " --isolation " : "",
		 iso_uuid ? iso_uuid : "", argv[1], vfio_backend());
	signal(SIGALRM, on_alarm);
	signal(SIGBUS, on_sigbus);

	/* odd seeds (make check's 1) fuzz the dma-buf planes, even ones REGION */
	if (mode == 0 ? target_open(&t, argv[1], seed & 1) : vfio_dev_open(&t.d, argv[1])) {
		tap_check(false, "open the device to fuzz");
		return tap_done();
	}
	if (iso_uuid && target_open(&iso, iso_uuid, false)) {
		tap_check(false, "open the vGPU that runs known-good work");
		return tap_done();
	}
	for (k = 0; k < NR_OPS; k++)
		sum += ops_table[k].weight[mode];

	for (op_nr = 0; op_nr < ops; op_nr++) {
		alarm(OP_LIMIT_S);
		w = below(sum);
		for (k = 0; w >= ops_table[k].weight[mode]; k++)
			w -= ops_table[k].weight[mode];
		op_count[k]++;
		ops_table[k].run(&t, mode == 1);
		total++;
		if (iso_uuid && op_nr % GOOD_EVERY == GOOD_EVERY - 1) {
			uint32_t colour = rnd() | 1;

			logop("isolation: known-good fill 0x%08x on %s", colour, iso_uuid);
			if (good_fill(&iso, below(SIMGPU_NUM_ENGINES), 16 + below(PAGES - 24),
				      colour, 7)) {
				good++;
			} else if (!bad++) {
				tap_diag("isolation: a known-good workload failed");
				dump_log();
			}
		}
	}
	alarm(0);
	for (k = 0; k < NR_OPS; k++)
		if (op_count[k])
			tap_diag("%-9s %" PRIu64, ops_table[k].name, op_count[k]);
	if (mode == 0)
		tap_diag("the engines ran %" PRIu64 " + %" PRIu64 " of its workloads, %" PRIu64
			 " hung; the scanner refused %" PRIu64,
			 stat_value(t.uuid, "render.workloads"),
			 stat_value(t.uuid, "copy.workloads"),
			 stat_value(t.uuid, "render.hangs") + stat_value(t.uuid, "copy.hangs"),
			 stat_value(t.uuid, "scan_rejects"));
	if (mode == 0)
		tap_diag("display: %" PRIu64 " dma-bufs of planes mapped and read, %" PRIu64
			 " planes refused", dmabufs_read,
			 stat_value(t.uuid, "display.plane_errors"));
	tap_check(total == ops, "%" PRIu64 " operations with seed %" PRIu64, total, seed);
	if (mode == 0)
		tap_check(!aperture_faults, "no aperture access faulted (%" PRIu64 " did)",
			  aperture_faults);
	if (iso_uuid)
		tap_check(good && !bad,
			  "isolation: %" PRIu64 " known-good workloads on the other vGPU, %" PRIu64
			  " wrong", good, bad);

	/* the device must still be usable: a guest may hurt only itself */
	alarm(OP_LIMIT_S);
	op_nr++;
	logop("recovery: reset, remap, a known-good fill");
	ioctl(t.d.fd, VFIO_DEVICE_RESET);
	if (mode == 0) {
		vfio_dma_unmap(&t.d, IOVA, PAGES * 4096);
		t.mapped = false;
		recovered = !map_guest(&t) && good_fill(&t, 0, 32, 0x5eed600d, 9) &&
			    good_fill(&t, 1, 40, 0x0dd5eed5, 10);
		tap_check(recovered,
			  "after a reset the fuzzed vGPU runs good work on both engines");
	} else {
		recovered = cfg_read16(&t.d, 0) == 0x1234;
		tap_check(recovered,
			  "after a reset the fuzzed device still answers (vendor 0x%04x)",
			  cfg_read16(&t.d, 0));
	}
	alarm(0);
	if (!recovered)
		dump_log();
	vfio_dev_close(&t.d);
	if (iso_uuid)
		vfio_dev_close(&iso.d);
	return tap_done();
}
