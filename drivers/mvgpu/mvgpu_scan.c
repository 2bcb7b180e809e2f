// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the command scanner. Every command of a workload, in its ring and
 * in every batch it reaches, is parsed against a table before anything
 * runs: known commands of sane length, loadable registers, memory operands
 * within the vGPU's own GM. What passes is copied into host-owned shadow
 * buffers, batch addresses pointed at their shadow copies, so the engine
 * only ever runs what was checked, whatever the guest writes afterwards.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

/* the vGPU's engines are those of the command set its guests use */
static_assert(MVGPU_NUM_ENGINES == SIMGPU_NUM_ENGINES);
#define MVGPU_ENGINES_ALL	(BIT(SIMGPU_ENGINE_RENDER) | BIT(SIMGPU_ENGINE_COPY))
#define MVGPU_ENGINE_RCS	BIT(SIMGPU_ENGINE_RENDER)

/* One command being scanned, copied to its place in the shadow */
struct mvgpu_scan_cmd {
	u32 *dw;	/* the shadow copy */
	u32 len;
	unsigned int level;	/* 0: ring, 1, 2: batch levels */
};

struct mvgpu_scan_rule {
	u8 client;
	u8 opcode;
	u8 engines;
	int (*check)(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c);
};

static int mvgpu_scan_refuse(struct mvgpu_scan *sc, const char *reason)
{
	if (!sc->reason)
		sc->reason = reason;
	return -EINVAL;
}

static u64 mvgpu_scan_addr(const u32 *lo_hi)
{
	return (u64)lo_hi[1] << 32 | lo_hi[0];
}

/* Whether [addr, addr + len) may be touched through the given space. */
static bool mvgpu_scan_range_ok(const struct mvgpu_scan *sc, u64 addr, u64 len, bool ggtt)
{
	const struct mvgpu_alloc *a = sc->gm;

	if (addr >> SIMGPU_PPGTT_VA_BITS || len > BIT_ULL(SIMGPU_PPGTT_VA_BITS) - addr)
		return false;
	if (!ggtt)
		return true;	/* the shadow page tables map only the guest's pages */
	return (addr >= a->low_base && addr + len <= a->low_base + a->low_size) ||
	       (addr >= a->high_base && addr + len <= a->high_base + a->high_size);
}

/* MI commands address the GGTT with USE_GGTT or in a context without PPGTT */
static bool mvgpu_scan_mi_ggtt(const struct mvgpu_scan *sc, u32 header)
{
	return (header & SIMGPU_MI_USE_GGTT) || !sc->ppgtt;
}

static int mvgpu_scan_operand(struct mvgpu_scan *sc, u32 header, u64 addr, u64 len)
{
	if (addr & (min_t(u64, len, 8) - 1))
		return mvgpu_scan_refuse(sc, "misaligned address");
	if (!mvgpu_scan_range_ok(sc, addr, len, mvgpu_scan_mi_ggtt(sc, header)))
		return mvgpu_scan_refuse(sc, "address outside the vGPU's memory");
	return 0;
}

static int mvgpu_scan_semaphore(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	if (SIMGPU_SEM_OP(c->dw[0]) > SIMGPU_SEM_NEQ)
		return mvgpu_scan_refuse(sc, "unknown semaphore compare");
	return mvgpu_scan_operand(sc, c->dw[0], mvgpu_scan_addr(&c->dw[2]), 4);
}

static int mvgpu_scan_store(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	return mvgpu_scan_operand(sc, c->dw[0], mvgpu_scan_addr(&c->dw[1]), 4 * (c->len - 3));
}

/* Registers a guest may load: its general purpose registers, nothing else. */
static bool mvgpu_scan_reg_loadable(u32 reg)
{
	return reg >= SIMGPU_REG_GPR(0) && reg < SIMGPU_REG_GPR(SIMGPU_NUM_GPR) && !(reg & 3);
}

static int mvgpu_scan_lri(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	u32 i;

	if (!(c->len & 1))
		return mvgpu_scan_refuse(sc, "register load without a value");
	for (i = 1; i < c->len; i += 2)
		if (!mvgpu_scan_reg_loadable(c->dw[i]))
			return mvgpu_scan_refuse(sc, "register not loadable");
	return 0;
}

static int mvgpu_scan_srm(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	if (!mvgpu_scan_reg_loadable(c->dw[1]) && c->dw[1] != SIMGPU_REG_TIMESTAMP)
		return mvgpu_scan_refuse(sc, "register not readable");
	return mvgpu_scan_operand(sc, c->dw[0], mvgpu_scan_addr(&c->dw[2]), 4);
}

/* A batch start: queue its target for scanning; patched when it is placed. */
static int mvgpu_scan_bb_start(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	bool second = c->dw[0] & SIMGPU_BB_SECOND_LEVEL;
	u64 addr = mvgpu_scan_addr(&c->dw[1]);
	struct mvgpu_scan_segment *seg;
	unsigned int level;

	if (c->level == 0)
		level = second ? 0 : 1;
	else if (second)
		level = c->level == 1 ? 2 : 0;
	else
		level = c->level;	/* a chain */
	if (!level)
		return mvgpu_scan_refuse(sc, "batch nesting too deep");
	if (addr & 3)
		return mvgpu_scan_refuse(sc, "misaligned batch");
	if (sc->nr_segments >= MVGPU_MAX_BATCH_SEGMENTS)
		return mvgpu_scan_refuse(sc, "too many batches");
	seg = &sc->segments[sc->nr_segments++];
	seg->addr = addr;
	seg->ggtt = mvgpu_scan_mi_ggtt(sc, c->dw[0]);
	seg->level = level;
	seg->patch = c->dw;
	if (!mvgpu_scan_range_ok(sc, addr, 4, seg->ggtt))
		return mvgpu_scan_refuse(sc, "batch outside the vGPU's memory");
	/* the shadow batch is in host GM, reached through the GGTT */
	c->dw[0] |= SIMGPU_MI_USE_GGTT;
	return 0;
}

static int mvgpu_scan_bb_end(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	if (!c->level)
		return mvgpu_scan_refuse(sc, "batch end in the ring");
	return 0;
}

/* The bytes a rectangle of a surface spans, first row to last. */
static int mvgpu_scan_surface(struct mvgpu_scan *sc, u64 base, u32 pitch, u32 x, u32 y,
			      u32 w, u32 h, unsigned int cpp)
{
	u64 first = (u64)y * pitch + (u64)x * cpp;
	u64 end = (u64)(y + h - 1) * pitch + (u64)(x + w) * cpp;

	if (base >> SIMGPU_PPGTT_VA_BITS)
		return mvgpu_scan_refuse(sc, "address outside the vGPU's memory");
	if (!mvgpu_scan_range_ok(sc, base + first, end - first, !sc->ppgtt))
		return mvgpu_scan_refuse(sc, "blit outside the vGPU's memory");
	return 0;
}

static int mvgpu_scan_blit(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c)
{
	const u32 *d = c->dw;
	unsigned int cpp = simgpu_blt_cpp(d[1]);
	u32 x1 = d[2] & 0xffff, y1 = d[2] >> 16, x2 = d[3] & 0xffff, y2 = d[3] >> 16;
	u64 dst = mvgpu_scan_addr(&d[4]), src = 0;
	u32 dpitch = SIMGPU_BLT_PITCH(d[1]), spitch = 0;
	bool copy = c->len == 10;
	int ret;

	if (!cpp)
		return mvgpu_scan_refuse(sc, "unknown colour depth");
	if (copy) {
		spitch = d[7] & 0xffff;
		src = mvgpu_scan_addr(&d[8]);
	}
	if ((dst | dpitch | src | spitch) % cpp)
		return mvgpu_scan_refuse(sc, "blit not in whole pixels");
	if (x2 <= x1 || y2 <= y1)
		return 0;	/* empty: touches nothing */
	ret = mvgpu_scan_surface(sc, dst, dpitch, x1, y1, x2 - x1, y2 - y1, cpp);
	if (!ret && copy)
		ret = mvgpu_scan_surface(sc, src, spitch, d[6] & 0xffff, d[6] >> 16,
					 x2 - x1, y2 - y1, cpp);
	return ret;
}

static const struct mvgpu_scan_rule mvgpu_scan_rules[] = {
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_NOOP, MVGPU_ENGINES_ALL, NULL },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_USER_INTERRUPT, MVGPU_ENGINES_ALL, NULL },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_FLUSH, MVGPU_ENGINES_ALL, NULL },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_BATCH_BUFFER_END, MVGPU_ENGINES_ALL, mvgpu_scan_bb_end },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_SEMAPHORE_WAIT, MVGPU_ENGINE_RCS, mvgpu_scan_semaphore },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_STORE_DATA_IMM, MVGPU_ENGINES_ALL, mvgpu_scan_store },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_LOAD_REGISTER_IMM, MVGPU_ENGINE_RCS, mvgpu_scan_lri },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_STORE_REGISTER_MEM, MVGPU_ENGINE_RCS, mvgpu_scan_srm },
	{ SIMGPU_CLIENT_MI, SIMGPU_MI_BATCH_BUFFER_START, MVGPU_ENGINES_ALL, mvgpu_scan_bb_start },
	{ SIMGPU_CLIENT_BLT, SIMGPU_BLT_FILL, MVGPU_ENGINES_ALL, mvgpu_scan_blit },
	{ SIMGPU_CLIENT_BLT, SIMGPU_BLT_COPY, MVGPU_ENGINES_ALL, mvgpu_scan_blit },
};

static bool mvgpu_scan_len_ok(u32 header, u32 len)
{
	u32 min_len, max_len;

	simgpu_cmd_lengths(header, &min_len, &max_len);
	return len >= min_len && len <= max_len;
}

static const struct mvgpu_scan_rule *mvgpu_scan_find(u32 header, u32 *len)
{
	const struct mvgpu_scan_rule *r;
	u32 client = SIMGPU_CMD_CLIENT(header);
	int opcode = simgpu_cmd_opcode(header);

	if (opcode < 0)
		return NULL;
	for (r = mvgpu_scan_rules; r < mvgpu_scan_rules + ARRAY_SIZE(mvgpu_scan_rules); r++) {
		if (r->client == client && r->opcode == opcode) {
			*len = simgpu_cmd_len(header);
			return r;
		}
	}
	return NULL;
}

/**
 * mvgpu_scan_knows() - whether the scanner has a rule for a command
 * @header: the command's first dword
 *
 * Return: true if the command's client and opcode have a rule.
 */
bool mvgpu_scan_knows(u32 header)
{
	u32 len;

	return mvgpu_scan_find(header, &len);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_scan_knows);

/*
 * Check one command already copied to @c->dw (the header and as much as
 * @room dwords allow); fills in @c->len.
 */
static int mvgpu_scan_one(struct mvgpu_scan *sc, struct mvgpu_scan_cmd *c, u32 room)
{
	const struct mvgpu_scan_rule *r = mvgpu_scan_find(c->dw[0], &c->len);

	if (!r)
		return mvgpu_scan_refuse(sc, "unknown command");
	if (!(r->engines & BIT(sc->engine)))
		return mvgpu_scan_refuse(sc, "command not allowed on this engine");
	if (!mvgpu_scan_len_ok(c->dw[0], c->len))
		return mvgpu_scan_refuse(sc, "bad command length");
	if (c->len > room)
		return mvgpu_scan_refuse(sc, "command runs past the end of the workload");
	return r->check ? r->check(sc, c) : 0;
}

/* The ring's commands, copied into the shadow ring. */
static int mvgpu_scan_ring(struct mvgpu_scan *sc, const u32 *cmds, u32 n)
{
	struct mvgpu_scan_cmd c = { .level = 0 };
	u32 i;
	int ret;

	if (n > sc->ring_max)
		return mvgpu_scan_refuse(sc, "workload too long");
	if (cmds != sc->ring)
		memcpy(sc->ring, cmds, 4 * n);
	for (i = 0; i < n; i += c.len) {
		c.dw = &sc->ring[i];
		ret = mvgpu_scan_one(sc, &c, n - i);
		if (ret) {
			sc->bad_offset = 4 * i;
			return ret;
		}
	}
	sc->ring_len = n;
	return 0;
}

/*
 * One batch segment: from its start to its end or a chain onwards, read
 * from guest memory into the shadow batch area.
 */
static int mvgpu_scan_segment(struct mvgpu_scan *sc, struct mvgpu_scan_segment *seg)
{
	struct mvgpu_scan_cmd c = { .level = seg->level };
	const struct mvgpu_scan_rule *rule;
	u32 start = sc->batch_len, pos = start, end;
	u64 addr = seg->addr;
	int ret;

	for (;;) {
		sc->bad_offset = addr;
		if (pos >= sc->batch_max)
			return mvgpu_scan_refuse(sc, "batches too long");
		c.dw = &sc->batch[pos];
		if (sc->read(sc, addr, seg->ggtt, c.dw, 1))
			return mvgpu_scan_refuse(sc, "batch not readable");
		/* the header alone says how long the command is */
		rule = mvgpu_scan_find(c.dw[0], &c.len);
		if (!rule)
			return mvgpu_scan_refuse(sc, "unknown command");
		if (!mvgpu_scan_len_ok(c.dw[0], c.len))
			return mvgpu_scan_refuse(sc, "bad command length");
		if (c.len > sc->batch_max - pos)
			return mvgpu_scan_refuse(sc, "batches too long");
		if (c.len > 1 && sc->read(sc, addr + 4, seg->ggtt, c.dw + 1, c.len - 1))
			return mvgpu_scan_refuse(sc, "batch not readable");
		ret = mvgpu_scan_one(sc, &c, sc->batch_max - pos);
		if (ret)
			return ret;
		pos += c.len;
		addr += 4 * c.len;
		if (SIMGPU_CMD_CLIENT(c.dw[0]) != SIMGPU_CLIENT_MI)
			continue;
		if (SIMGPU_MI_OPCODE(c.dw[0]) == SIMGPU_MI_BATCH_BUFFER_END)
			break;
		/* a chain leaves this segment for good */
		if (SIMGPU_MI_OPCODE(c.dw[0]) == SIMGPU_MI_BATCH_BUFFER_START &&
		    !(c.dw[0] & SIMGPU_BB_SECOND_LEVEL))
			break;
	}
	end = pos;
	sc->batch_len = end;
	/* point the command that starts this segment at its shadow */
	seg->patch[1] = lower_32_bits(sc->batch_gm + 4 * start);
	seg->patch[2] = upper_32_bits(sc->batch_gm + 4 * start);
	return 0;
}

/**
 * mvgpu_scan_workload() - check a workload and build its shadow
 * @sc: what to check against and where to put the shadow; sc->read
 *	reads guest memory for batches
 * @cmds: the ring commands of the workload
 * @n: their number of dwords
 *
 * On success the shadow ring holds sc->ring_len dwords and the shadow
 * batch area sc->batch_len, with every batch start pointing into the
 * shadow batch area at sc->batch_gm.
 *
 * Return: 0, or -EINVAL with sc->reason and sc->bad_offset (ring offset
 * or guest address) saying what was refused.
 */
int mvgpu_scan_workload(struct mvgpu_scan *sc, const u32 *cmds, u32 n)
{
	unsigned int i;
	int ret;

	sc->reason = NULL;
	sc->ring_len = 0;
	sc->batch_len = 0;
	sc->nr_segments = 0;
	sc->bad_offset = 0;
	ret = mvgpu_scan_ring(sc, cmds, n);
	/* segments found on the way are appended while this walks them */
	for (i = 0; !ret && i < sc->nr_segments; i++)
		ret = mvgpu_scan_segment(sc, &sc->segments[i]);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_scan_workload);
