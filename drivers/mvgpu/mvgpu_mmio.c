// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the MMIO register file in BAR0 (also reached through BAR4).
 * Registers are 32 bits wide and described by a table of ranges with a
 * read and a write handler. Narrower accesses read or merge into the
 * register that holds them, 64-bit accesses are two 32-bit ones.
 * Unimplemented registers read as 0, ignore writes and are counted.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <mvgpu/vgpu.h>

#include "mvgpu.h"

struct mvgpu_reg_range {
	u32 start;
	u32 end;
	/* return false for an unimplemented register */
	bool (*read)(struct mvgpu_vgpu *vgpu, u32 off, u32 *val);
	bool (*write)(struct mvgpu_vgpu *vgpu, u32 off, u32 val);
};

/**
 * mvgpu_irq_pending() - whether the vGPU asserts its interrupt
 * @vgpu: the vGPU
 *
 * Return: true if an unmasked, enabled interrupt is pending in IIR.
 */
bool mvgpu_irq_pending(const struct mvgpu_vgpu *vgpu)
{
	return vgpu->iir & vgpu->ier & ~vgpu->imr;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_irq_pending);

/**
 * mvgpu_raise() - record interrupt events and update the interrupt line
 * @vgpu: the vGPU
 * @bits: MVGPU_IRQ_* events
 */
void mvgpu_raise(struct mvgpu_vgpu *vgpu, u32 bits)
{
	vgpu->iir |= bits & MVGPU_IRQ_ALL;
	vgpu->ops->update_irq(vgpu);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_raise);

static bool mvgpu_irq_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val)
{
	switch (off) {
	case MVGPU_REG_IIR:
		*val = vgpu->iir;
		return true;
	case MVGPU_REG_IMR:
		*val = vgpu->imr;
		return true;
	case MVGPU_REG_IER:
		*val = vgpu->ier;
		return true;
	}
	return false;
}

static bool mvgpu_irq_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val)
{
	switch (off) {
	case MVGPU_REG_IIR:
		vgpu->iir &= ~val;
		break;
	case MVGPU_REG_IMR:
		vgpu->imr = val & MVGPU_IRQ_ALL;
		break;
	case MVGPU_REG_IER:
		vgpu->ier = val & MVGPU_IRQ_ALL;
		break;
	default:
		return false;
	}
	vgpu->ops->update_irq(vgpu);
	return true;
}

static u64 mvgpu_pvinfo_u64(struct mvgpu_vgpu *vgpu, u32 field)
{
	struct pgpu_info info;

	switch (field) {
	case MVGPU_PVINFO_MAGIC:
		return MVGPU_MAGIC;
	case MVGPU_PVINFO_LOW_GM_BASE:
		return vgpu->alloc.low_base;
	case MVGPU_PVINFO_LOW_GM_SIZE:
		return vgpu->alloc.low_size;
	case MVGPU_PVINFO_HIGH_GM_BASE:
		return vgpu->alloc.high_base;
	case MVGPU_PVINFO_HIGH_GM_SIZE:
		return vgpu->alloc.high_size;
	case MVGPU_PVINFO_GM_SIZE:
		pgpu_get_info(vgpu->gpu, &info);
		return info.gm_size;
	}
	return 0;
}

static bool mvgpu_pvinfo_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val)
{
	u32 field = off - MVGPU_PVINFO_PAGE;

	switch (field) {
	case MVGPU_PVINFO_VERSION:
		*val = MVGPU_VERSION_MINOR << 16 | MVGPU_VERSION_MAJOR;
		return true;
	case MVGPU_PVINFO_VGPU_ID:
		*val = vgpu->id;
		return true;
	case MVGPU_PVINFO_FENCE_BASE:
		*val = vgpu->alloc.fence_base;
		return true;
	case MVGPU_PVINFO_FENCE_COUNT:
		*val = vgpu->alloc.fence_count;
		return true;
	case MVGPU_PVINFO_XRES:
		*val = vgpu->type->xres;
		return true;
	case MVGPU_PVINFO_YRES:
		*val = vgpu->type->yres;
		return true;
	case MVGPU_PVINFO_G2V_NOTIFY:
		*val = 0;
		return true;
	case MVGPU_PVINFO_G2V_COUNT:
		*val = vgpu->counters.g2v;
		return true;
	}
	if (field <= MVGPU_PVINFO_GM_SIZE + 4) {
		/* the 64-bit fields, low then high half */
		*val = mvgpu_pvinfo_u64(vgpu, field & ~7) >> (field & 4 ? 32 : 0);
		return true;
	}
	*val = 0;	/* the rest of the page is reserved and reads 0 */
	return true;
}

static bool mvgpu_pvinfo_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val)
{
	if (off - MVGPU_PVINFO_PAGE != MVGPU_PVINFO_G2V_NOTIFY)
		return false;	/* read-only */
	if (val != MVGPU_G2V_PING)
		return false;	/* unknown notification: counted, ignored */
	vgpu->counters.g2v++;
	mvgpu_raise(vgpu, MVGPU_IRQ_G2V_ACK);
	return true;
}

/* Whether [start, end) of GM lies in one of the vGPU's own ranges. */
static bool mvgpu_fence_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val)
{
	u32 n = (off - MVGPU_REG_FENCE(0)) / 16;

	if (n >= vgpu->alloc.fence_count)
		return false;
	*val = vgpu->fences[n][(off % 16) / 4];
	return true;
}

static bool mvgpu_fence_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val)
{
	u32 n = (off - MVGPU_REG_FENCE(0)) / 16, *reg;
	struct pgpu_fence f;

	if (n >= vgpu->alloc.fence_count)
		return false;
	reg = vgpu->fences[n];
	reg[(off % 16) / 4] = val;
	if (off % 16 != MVGPU_FENCE_TILING)
		return true;

	/* writing the tiling mode applies the fence, if it is the vGPU's own GM */
	f.start = (u64)reg[0] << 12;
	f.end = (u64)reg[1] << 12;
	f.pitch = reg[2];
	f.tiling = reg[3];
	if ((f.tiling != PGPU_TILING_NONE && !mvgpu_gm_owned(vgpu, f.start, f.end)) ||
	    pgpu_fence_write(vgpu->gpu, vgpu->alloc.fence_base + n, &f)) {
		vgpu->counters.bad_fences++;
		reg[3] = PGPU_TILING_NONE;	/* not applied */
		f.tiling = PGPU_TILING_NONE;
		pgpu_fence_write(vgpu->gpu, vgpu->alloc.fence_base + n, &f);
	}
	return true;
}

static const struct mvgpu_reg_range mvgpu_regs[] = {
	{ MVGPU_ENGINE_BASE(0), MVGPU_ENGINE_BASE(MVGPU_NUM_ENGINES), mvgpu_submit_reg_read,
	  mvgpu_submit_reg_write },
	{ MVGPU_REG_IIR, MVGPU_REG_IER + 4, mvgpu_irq_read, mvgpu_irq_write },
	{ MVGPU_PVINFO_PAGE, MVGPU_PVINFO_PAGE + 0x1000, mvgpu_pvinfo_read, mvgpu_pvinfo_write },
	{ MVGPU_REG_FENCE(0), MVGPU_REG_FENCE(64), mvgpu_fence_read, mvgpu_fence_write },
	{ MVGPU_DISP_PIPE_CONF, MVGPU_DISP_EDID + MVGPU_DISP_EDID_MAX, mvgpu_display_reg_read,
	  mvgpu_display_reg_write },
};

static const struct mvgpu_reg_range *mvgpu_find_reg(u32 off)
{
	const struct mvgpu_reg_range *r;

	for (r = mvgpu_regs; r < mvgpu_regs + ARRAY_SIZE(mvgpu_regs); r++)
		if (off >= r->start && off < r->end)
			return r;
	return NULL;
}

/* A register's value (0 if unimplemented), without counting a guest read. */
static bool mvgpu_reg_get(struct mvgpu_vgpu *vgpu, u32 off, u32 *val)
{
	const struct mvgpu_reg_range *r = mvgpu_find_reg(off);

	*val = 0;
	return r && r->read(vgpu, off, val);
}

static u32 mvgpu_reg_read(struct mvgpu_vgpu *vgpu, u32 off)
{
	u32 val;

	if (!mvgpu_reg_get(vgpu, off, &val)) {
		vgpu->counters.unknown_reads++;
		return 0;
	}
	return val;
}

static void mvgpu_reg_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val)
{
	const struct mvgpu_reg_range *r = mvgpu_find_reg(off);

	if (!r || !r->write(vgpu, off, val))
		vgpu->counters.unknown_writes++;
}

static bool mvgpu_mmio_access_ok(u64 off, unsigned int len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) && !(off & (len - 1)) &&
	       off <= MVGPU_MMIO_SIZE - len;
}

/**
 * mvgpu_mmio_read() - a guest read of MMIO registers
 * @vgpu: the vGPU
 * @off: offset in BAR0, aligned to @len
 * @buf: the value, little-endian
 * @len: 1, 2, 4 or 8
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf, unsigned int len)
{
	u32 val[2];

	if (!mvgpu_mmio_access_ok(off, len))
		return -EINVAL;
	vgpu->counters.mmio_reads++;
	val[0] = mvgpu_reg_read(vgpu, off & ~3ULL);
	if (len == 8)
		val[1] = mvgpu_reg_read(vgpu, off + 4);
	memcpy(buf, (u8 *)val + (off & 3), len);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_mmio_read);

/**
 * mvgpu_mmio_write() - a guest write of MMIO registers
 * @vgpu: the vGPU
 * @off: offset in BAR0, aligned to @len
 * @buf: the value, little-endian
 * @len: 1, 2, 4 or 8
 *
 * Return: 0, or -EINVAL for a bad size, alignment or offset.
 */
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf, unsigned int len)
{
	u32 val[2];

	if (!mvgpu_mmio_access_ok(off, len))
		return -EINVAL;
	vgpu->counters.mmio_writes++;
	/* merge into the register that holds it; IIR's other bytes clear nothing */
	val[0] = 0;
	if (len < 4 && (off & ~3ULL) != MVGPU_REG_IIR)
		mvgpu_reg_get(vgpu, off & ~3ULL, &val[0]);
	memcpy((u8 *)val + (off & 3), buf, len);
	mvgpu_reg_write(vgpu, off & ~3ULL, val[0]);
	if (len == 8)
		mvgpu_reg_write(vgpu, off + 4, val[1]);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_mmio_write);

/**
 * mvgpu_mmio_reset() - registers at power-on; also clears the vGPU's
 * physical fences
 * @vgpu: the vGPU
 */
void mvgpu_mmio_reset(struct mvgpu_vgpu *vgpu)
{
	struct pgpu_fence none = { .tiling = PGPU_TILING_NONE };
	u32 n;

	vgpu->iir = 0;
	vgpu->imr = MVGPU_IRQ_ALL;
	vgpu->ier = 0;
	for (n = 0; n < vgpu->alloc.fence_count; n++) {
		memset(vgpu->fences[n], 0, sizeof(vgpu->fences[n]));
		pgpu_fence_write(vgpu->gpu, vgpu->alloc.fence_base + n, &none);
	}
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_mmio_reset);
