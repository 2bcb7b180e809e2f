// SPDX-License-Identifier: GPL-2.0-only
/*
 * simgpu: command decoding and execution. A slice runs commands of one
 * context from its ring and batches until the ring drains, the budget runs
 * out (blits stop between rows and resume), or something stops it.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "simgpu.h"

enum simgpu_cmd_result {
	SIMGPU_CMD_NEXT,	/* done: advance past the command */
	SIMGPU_CMD_JUMPED,	/* done: the command moved the IP itself */
	SIMGPU_CMD_YIELD,	/* budget spent part way: run it again later */
	SIMGPU_CMD_WAIT,	/* semaphore not satisfied */
	SIMGPU_CMD_FAULT,
	SIMGPU_CMD_ERROR,
};

struct simgpu_exec {
	struct simgpu_slice *s;
	struct simgpu_regs *r;
	struct simgpu_as ggtt;		/* rings, and MI commands with USE_GGTT */
	struct simgpu_as ctx;		/* the context's own address space */
	struct simgpu_as src;		/* blit sources */
	u32 cmd[SIMGPU_MAX_CMD_DWORDS];
	u32 len;
};

struct simgpu_cmd_desc {
	const char *name;
	u8 client;
	u8 opcode;
	enum simgpu_cmd_result (*exec)(struct simgpu_exec *x);
};

static u64 simgpu_addr(const u32 *lo_hi)
{
	return (u64)lo_hi[1] << 32 | lo_hi[0];
}

static struct simgpu_as *simgpu_mi_as(struct simgpu_exec *x)
{
	return (x->cmd[0] & SIMGPU_MI_USE_GGTT) ? &x->ggtt : &x->ctx;
}

static enum simgpu_cmd_result simgpu_fault(struct simgpu_exec *x, u64 addr)
{
	x->s->fault_addr = addr;
	return SIMGPU_CMD_FAULT;
}

static enum simgpu_cmd_result simgpu_cmd_nop(struct simgpu_exec *x)
{
	return SIMGPU_CMD_NEXT;
}

static enum simgpu_cmd_result simgpu_cmd_user_interrupt(struct simgpu_exec *x)
{
	x->s->events |= SIMGPU_EVENT_USER;
	return SIMGPU_CMD_NEXT;
}

static void simgpu_advance(struct simgpu_regs *r, u32 dwords)
{
	if (r->depth)
		r->bb_addr[r->depth] += 4 * dwords;
	else
		r->head = (r->head + 4 * dwords) & (r->ring_size - 1);
}

static enum simgpu_cmd_result simgpu_cmd_bb_start(struct simgpu_exec *x)
{
	struct simgpu_regs *r = x->r;
	u64 addr = simgpu_addr(&x->cmd[1]);
	bool second = x->cmd[0] & SIMGPU_BB_SECOND_LEVEL;
	unsigned int depth;

	if (addr & 3)
		return SIMGPU_CMD_ERROR;
	if (r->depth == 0)
		depth = second ? 0 : 1;	/* the ring can only call a first level */
	else if (second)
		depth = r->depth == 1 ? 2 : 0;	/* no third level */
	else
		depth = r->depth;		/* a chain: jump within the level */
	if (!depth)
		return SIMGPU_CMD_ERROR;

	simgpu_advance(r, x->len);	/* where BB_END returns to */
	r->depth = depth;
	r->bb_addr[depth] = addr;
	r->bb_ggtt[depth] = (x->cmd[0] & SIMGPU_MI_USE_GGTT) || !x->ctx.ppgtt_root;
	return SIMGPU_CMD_JUMPED;
}

static enum simgpu_cmd_result simgpu_cmd_bb_end(struct simgpu_exec *x)
{
	if (!x->r->depth)
		return SIMGPU_CMD_ERROR;	/* not in a batch */
	x->r->depth--;
	return SIMGPU_CMD_JUMPED;
}

static enum simgpu_cmd_result simgpu_cmd_store_data(struct simgpu_exec *x)
{
	u64 addr = simgpu_addr(&x->cmd[1]);
	size_t n = 4 * (x->len - 3);

	if (addr & (n - 1))
		return SIMGPU_CMD_ERROR;	/* dword or qword aligned */
	if (simgpu_mem_rw(simgpu_mi_as(x), addr, &x->cmd[3], n, true))
		return simgpu_fault(x, addr);
	x->s->bytes += n;
	return SIMGPU_CMD_NEXT;
}

static int simgpu_gpr_index(u32 reg)
{
	if (reg < SIMGPU_REG_GPR(0) || reg >= SIMGPU_REG_GPR(SIMGPU_NUM_GPR) || reg & 3)
		return -1;
	return (reg - SIMGPU_REG_GPR(0)) / 4;
}

static enum simgpu_cmd_result simgpu_cmd_lri(struct simgpu_exec *x)
{
	u32 i;

	if (!(x->len & 1))
		return SIMGPU_CMD_ERROR;	/* header + (register, value) pairs */
	for (i = 1; i < x->len; i += 2)
		if (simgpu_gpr_index(x->cmd[i]) < 0)
			return SIMGPU_CMD_ERROR;	/* only GPRs are loadable */
	for (i = 1; i < x->len; i += 2)
		x->r->gpr[simgpu_gpr_index(x->cmd[i])] = x->cmd[i + 1];
	return SIMGPU_CMD_NEXT;
}

static enum simgpu_cmd_result simgpu_cmd_srm(struct simgpu_exec *x)
{
	u64 addr = simgpu_addr(&x->cmd[2]);
	int gpr = simgpu_gpr_index(x->cmd[1]);
	u32 val;

	if (gpr >= 0)
		val = x->r->gpr[gpr];
	else if (x->cmd[1] == SIMGPU_REG_TIMESTAMP)
		val = (u32)ktime_get_ns();
	else
		return SIMGPU_CMD_ERROR;
	if (addr & 3)
		return SIMGPU_CMD_ERROR;
	if (simgpu_mem_rw(simgpu_mi_as(x), addr, &val, 4, true))
		return simgpu_fault(x, addr);
	x->s->bytes += 4;
	return SIMGPU_CMD_NEXT;
}

static enum simgpu_cmd_result simgpu_cmd_semaphore(struct simgpu_exec *x)
{
	u64 addr = simgpu_addr(&x->cmd[2]);
	u32 want = x->cmd[1], val;
	bool ok;

	if (addr & 3)
		return SIMGPU_CMD_ERROR;
	if (simgpu_mem_rw(simgpu_mi_as(x), addr, &val, 4, false))
		return simgpu_fault(x, addr);
	switch (SIMGPU_SEM_OP(x->cmd[0])) {
	case SIMGPU_SEM_GTE:
		ok = val >= want;
		break;
	case SIMGPU_SEM_EQ:
		ok = val == want;
		break;
	case SIMGPU_SEM_NEQ:
		ok = val != want;
		break;
	default:
		return SIMGPU_CMD_ERROR;
	}
	return ok ? SIMGPU_CMD_NEXT : SIMGPU_CMD_WAIT;
}

/*
 * Rows of a blit run one at a time; between rows the byte budget may end
 * the slice, and r->blit_row remembers where to resume.
 */
static enum simgpu_cmd_result simgpu_blit(struct simgpu_exec *x, bool copy)
{
	const u32 *c = x->cmd;
	unsigned int cpp = simgpu_blt_cpp(c[1]);
	u32 x1 = c[2] & 0xffff, y1 = c[2] >> 16, x2 = c[3] & 0xffff, y2 = c[3] >> 16;
	u64 dst = simgpu_addr(&c[4]), src = 0, row_bytes, d, s;
	u32 dpitch = SIMGPU_BLT_PITCH(c[1]), spitch = 0, sx = 0, sy = 0;
	struct simgpu_regs *r = x->r;

	if (!cpp)
		return SIMGPU_CMD_ERROR;
	if (copy) {
		sx = c[6] & 0xffff;
		sy = c[6] >> 16;
		spitch = c[7] & 0xffff;
		src = simgpu_addr(&c[8]);
	}
	/* whole pixels only: surfaces and pitches are multiples of the depth */
	if ((dst | dpitch | src | spitch) % cpp)
		return SIMGPU_CMD_ERROR;
	if (x2 <= x1 || y2 <= y1)
		return SIMGPU_CMD_NEXT;		/* an empty rectangle */
	row_bytes = (u64)(x2 - x1) * cpp;

	for (; r->blit_row < y2 - y1; r->blit_row++) {
		if (x->s->bytes >= x->s->max_bytes || READ_ONCE(x->s->ctx->preempt))
			return SIMGPU_CMD_YIELD;
		d = dst + (u64)(y1 + r->blit_row) * dpitch + (u64)x1 * cpp;
		if (copy) {
			s = src + (u64)(sy + r->blit_row) * spitch + (u64)sx * cpp;
			if (simgpu_mem_copy(&x->ctx, d, &x->src, s, row_bytes))
				return simgpu_fault(x, d);
		} else if (simgpu_mem_fill(&x->ctx, d, c[6], cpp, row_bytes)) {
			return simgpu_fault(x, d);
		}
		x->s->bytes += row_bytes;
	}
	r->blit_row = 0;
	return SIMGPU_CMD_NEXT;
}

static enum simgpu_cmd_result simgpu_cmd_fill(struct simgpu_exec *x)
{
	return simgpu_blit(x, false);
}

static enum simgpu_cmd_result simgpu_cmd_copy(struct simgpu_exec *x)
{
	return simgpu_blit(x, true);
}

static const struct simgpu_cmd_desc simgpu_cmds[] = {
	{ "MI_NOOP", SIMGPU_CLIENT_MI, SIMGPU_MI_NOOP, simgpu_cmd_nop },
	{ "MI_USER_INTERRUPT", SIMGPU_CLIENT_MI, SIMGPU_MI_USER_INTERRUPT,
	  simgpu_cmd_user_interrupt },
	{ "MI_FLUSH", SIMGPU_CLIENT_MI, SIMGPU_MI_FLUSH, simgpu_cmd_nop },
	{ "MI_BATCH_BUFFER_END", SIMGPU_CLIENT_MI, SIMGPU_MI_BATCH_BUFFER_END, simgpu_cmd_bb_end },
	{ "MI_SEMAPHORE_WAIT", SIMGPU_CLIENT_MI, SIMGPU_MI_SEMAPHORE_WAIT, simgpu_cmd_semaphore },
	{ "MI_STORE_DATA_IMM", SIMGPU_CLIENT_MI, SIMGPU_MI_STORE_DATA_IMM, simgpu_cmd_store_data },
	{ "MI_LOAD_REGISTER_IMM", SIMGPU_CLIENT_MI, SIMGPU_MI_LOAD_REGISTER_IMM, simgpu_cmd_lri },
	{ "MI_STORE_REGISTER_MEM", SIMGPU_CLIENT_MI, SIMGPU_MI_STORE_REGISTER_MEM, simgpu_cmd_srm },
	{ "MI_BATCH_BUFFER_START", SIMGPU_CLIENT_MI, SIMGPU_MI_BATCH_BUFFER_START,
	  simgpu_cmd_bb_start },
	{ "XY_COLOR_BLT", SIMGPU_CLIENT_BLT, SIMGPU_BLT_FILL, simgpu_cmd_fill },
	{ "XY_SRC_COPY_BLT", SIMGPU_CLIENT_BLT, SIMGPU_BLT_COPY, simgpu_cmd_copy },
};

/**
 * simgpu_decode() - identify a command from its header
 * @header: the first dword
 * @len: the command's length in dwords
 *
 * Return: the command's name, or NULL for an unknown command or a length
 * the command cannot have.
 */
const char *simgpu_decode(u32 header, u32 *len)
{
	const struct simgpu_cmd_desc *d;
	u32 client = SIMGPU_CMD_CLIENT(header), min_len, max_len;
	int opcode = simgpu_cmd_opcode(header);

	if (opcode < 0)
		return NULL;
	for (d = simgpu_cmds; d < simgpu_cmds + ARRAY_SIZE(simgpu_cmds); d++) {
		if (d->client != client || d->opcode != opcode)
			continue;
		simgpu_cmd_lengths(header, &min_len, &max_len);
		*len = simgpu_cmd_len(header);
		if (*len < min_len || *len > max_len)
			return NULL;
		return d->name;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_decode);

static const struct simgpu_cmd_desc *simgpu_find(u32 header, u32 *len)
{
	const char *name = simgpu_decode(header, len);
	const struct simgpu_cmd_desc *d;

	if (!name)
		return NULL;
	for (d = simgpu_cmds; d->name != name; d++)
		;
	return d;
}

/* Read dwords of the current command: from the ring or the current batch. */
static int simgpu_fetch(struct simgpu_exec *x, u32 first, u32 count)
{
	struct simgpu_regs *r = x->r;
	u32 i, off;

	if (r->depth) {
		u64 addr = r->bb_addr[r->depth] + 4 * first;
		struct simgpu_as *as = r->bb_ggtt[r->depth] ? &x->ggtt : &x->ctx;

		if (simgpu_mem_rw(as, addr, &x->cmd[first], 4 * count, false)) {
			x->s->fault_addr = addr;
			return -EFAULT;
		}
		return 0;
	}
	/* the ring: the command must lie within the submitted work */
	if (first + count > ((r->tail - r->head) & (r->ring_size - 1)) / 4)
		return -EINVAL;
	for (i = first; i < first + count; i++) {
		off = (r->head + 4 * i) & (r->ring_size - 1);
		if (simgpu_mem_rw(&x->ggtt, r->ring_start + off, &x->cmd[i], 4, false)) {
			x->s->fault_addr = r->ring_start + off;
			return -EFAULT;
		}
	}
	return 0;
}

static enum simgpu_cmd_result simgpu_step(struct simgpu_exec *x)
{
	const struct simgpu_cmd_desc *d = NULL;
	int ret;

	ret = simgpu_fetch(x, 0, 1);
	if (!ret) {
		d = simgpu_find(x->cmd[0], &x->len);
		if (!d)
			return SIMGPU_CMD_ERROR;
		ret = simgpu_fetch(x, 1, x->len - 1);
	}
	if (ret)
		return ret == -EFAULT ? SIMGPU_CMD_FAULT : SIMGPU_CMD_ERROR;
	return d->exec(x);
}

/**
 * simgpu_run_slice() - run a context's commands on its engine
 * @slice: the engine, context and budget; counters come back in it
 *
 * The engine's registers must hold the context's state.
 *
 * Return: why the slice stopped.
 */
enum simgpu_slice_end simgpu_run_slice(struct simgpu_slice *slice)
{
	struct simgpu_exec *x;
	enum simgpu_cmd_result res;
	enum simgpu_slice_end end;
	struct simgpu_regs *r = &slice->engine->regs;
	struct simgpu *gpu = slice->engine->gpu;

	x = kmalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return SIMGPU_SLICE_YIELD;	/* try again later */
	x->s = slice;
	x->r = r;
	simgpu_as_init(&x->ggtt, gpu, 0);
	simgpu_as_init(&x->ctx, gpu, slice->ctx->ppgtt_root);
	simgpu_as_init(&x->src, gpu, slice->ctx->ppgtt_root);

	for (;;) {
		if (!r->depth && r->head == r->tail) {
			end = SIMGPU_SLICE_DONE;
			break;
		}
		if (slice->cmds >= slice->max_cmds || slice->bytes >= slice->max_bytes ||
		    READ_ONCE(slice->ctx->preempt)) {
			end = SIMGPU_SLICE_YIELD;
			break;
		}
		res = simgpu_step(x);
		if (res == SIMGPU_CMD_NEXT)
			simgpu_advance(r, x->len);
		if (res == SIMGPU_CMD_NEXT || res == SIMGPU_CMD_JUMPED) {
			slice->cmds++;
			continue;
		}
		end = res == SIMGPU_CMD_YIELD ? SIMGPU_SLICE_YIELD :
		      res == SIMGPU_CMD_WAIT ? SIMGPU_SLICE_WAIT :
		      res == SIMGPU_CMD_FAULT ? SIMGPU_SLICE_FAULT : SIMGPU_SLICE_ERROR;
		break;
	}
	kfree(x);
	return end;
}
