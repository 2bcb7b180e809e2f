/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * simgpu: the simulated GPU's memory-translation and command encodings.
 * Documentation/simgpu.rst is the specification; this header is its
 * machine-readable part, shared by the simulator, the mediator, guests
 * and tests.
 */
#ifndef _UAPI_MVGPU_SIMGPU_H
#define _UAPI_MVGPU_SIMGPU_H

#include <linux/const.h>
#include <linux/types.h>

#define SIMGPU_PAGE_SHIFT		12
#define SIMGPU_PAGE_SIZE		(_AC(1, UL) << SIMGPU_PAGE_SHIFT)

/*
 * A GGTT entry or a page-table entry (64 bits): the DMA address of a 4 KiB
 * page in bits 47:12, and flags.
 */
#define SIMGPU_PTE_VALID		_BITULL(0)
#define SIMGPU_PTE_ADDR_MASK		_AC(0x0000fffffffff000, ULL)

/* Per-process address spaces: 4 levels of 512 entries, 48-bit addresses. */
#define SIMGPU_PPGTT_LEVELS		4
#define SIMGPU_PPGTT_ENTRIES		512
#define SIMGPU_PPGTT_VA_BITS		48

/*
 * Commands: a header dword, then operands. Bits 31:29 name the client.
 * MI commands: opcode in bits 28:23; commands longer than one dword give
 * their length minus two in bits 7:0. Blitter commands: opcode in bits
 * 28:22, length minus two in bits 7:0, colour depth in bits 25:24 of the
 * first operand.
 */
#define SIMGPU_CMD_CLIENT(h)		(((h) >> 29) & 0x7)
#define SIMGPU_CLIENT_MI		0
#define SIMGPU_CLIENT_BLT		2
#define SIMGPU_MI_OPCODE(h)		(((h) >> 23) & 0x3f)
#define SIMGPU_BLT_OPCODE(h)		(((h) >> 22) & 0x7f)
#define SIMGPU_CMD_LEN(h)		(((h) & 0xff) + 2)

/* A command's opcode within its client; -1 for a client with no commands. */
static inline int simgpu_cmd_opcode(__u32 header)
{
	switch (SIMGPU_CMD_CLIENT(header)) {
	case SIMGPU_CLIENT_MI:
		return SIMGPU_MI_OPCODE(header);
	case SIMGPU_CLIENT_BLT:
		return SIMGPU_BLT_OPCODE(header);
	}
	return -1;
}

#define SIMGPU_MI(op)			((op) << 23)
#define SIMGPU_MI_LEN(op, len)		(SIMGPU_MI(op) | ((len) - 2))
#define SIMGPU_BLT(op, len)		((SIMGPU_CLIENT_BLT << 29) | ((op) << 22) | ((len) - 2))

/* MI opcodes */
#define SIMGPU_MI_NOOP			0x00
#define SIMGPU_MI_USER_INTERRUPT	0x02
#define SIMGPU_MI_FLUSH			0x04
#define SIMGPU_MI_BATCH_BUFFER_END	0x0a
#define SIMGPU_MI_SEMAPHORE_WAIT	0x1c	/* 4 dwords */
#define SIMGPU_MI_STORE_DATA_IMM	0x20	/* 4 or 5 dwords */
#define SIMGPU_MI_LOAD_REGISTER_IMM	0x22	/* 1 + 2n dwords */
#define SIMGPU_MI_STORE_REGISTER_MEM	0x24	/* 4 dwords */
#define SIMGPU_MI_BATCH_BUFFER_START	0x31	/* 3 dwords */

/*
 * Memory operands (batch starts, stores, semaphores, blits) use the
 * context's per-process address space if it has one, else the GGTT. MI
 * commands with this header bit use the GGTT regardless.
 */
#define SIMGPU_MI_USE_GGTT		(1u << 22)

/* MI_BATCH_BUFFER_START: a call that returns on BB_END, instead of a jump */
#define SIMGPU_BB_SECOND_LEVEL		(1u << 8)
#define SIMGPU_BB_MAX_DEPTH		2		/* ring -> first -> second */

/* MI_SEMAPHORE_WAIT header bits 14:12: how memory compares to the value */
#define SIMGPU_SEM_OP(h)		(((h) >> 12) & 0x7)
#define SIMGPU_SEM_GTE			0
#define SIMGPU_SEM_EQ			1
#define SIMGPU_SEM_NEQ			2

/* Blitter opcodes */
#define SIMGPU_BLT_FILL			0x50	/* 7 dwords */
#define SIMGPU_BLT_COPY			0x53	/* 10 dwords */
#define SIMGPU_BLT_BPP(dw1)		(((dw1) >> 24) & 0x3)
#define SIMGPU_BLT_BPP_8		0
#define SIMGPU_BLT_BPP_16		1
#define SIMGPU_BLT_BPP_32		3
#define SIMGPU_BLT_PITCH(dw1)		((dw1) & 0xffff)	/* bytes */
#define SIMGPU_BLT_XY(x, y)		(((y) << 16) | (x))

/* Engine registers (offsets in the engine's register file) */
#define SIMGPU_REG_GPR(n)		(0x600 + 4 * (n))	/* n < 16, LRI-writable */
#define SIMGPU_NUM_GPR			16
#define SIMGPU_REG_TIMESTAMP		0x358			/* read-only, ns */

/* Engines */
#define SIMGPU_ENGINE_RENDER		0
#define SIMGPU_ENGINE_COPY		1
#define SIMGPU_NUM_ENGINES		2

/* Events a context raises to the GPU's owner */
#define SIMGPU_EVENT_COMPLETE		_BITUL(0)	/* ring drained: head == tail */
#define SIMGPU_EVENT_USER		_BITUL(1)	/* MI_USER_INTERRUPT */
#define SIMGPU_EVENT_FAULT		_BITUL(2)	/* untranslatable address */
#define SIMGPU_EVENT_HANG		_BITUL(3)	/* watchdog expired */
#define SIMGPU_EVENT_ERROR		_BITUL(4)	/* malformed command */

/*
 * The one description of command lengths and colour depths that the
 * engine (simgpu), mvgpu's command scanner and guest drivers share.
 */

/* The lengths in dwords a command may have; 0 and 0 for no such command. */
static inline void simgpu_cmd_lengths(__u32 header, __u32 *min_len, __u32 *max_len)
{
	__u32 min = 0, max = 0;

	switch (SIMGPU_CMD_CLIENT(header)) {
	case SIMGPU_CLIENT_MI:
		switch (SIMGPU_MI_OPCODE(header)) {
		case SIMGPU_MI_NOOP:
		case SIMGPU_MI_USER_INTERRUPT:
		case SIMGPU_MI_FLUSH:
		case SIMGPU_MI_BATCH_BUFFER_END:
			min = 1;
			max = 1;
			break;
		case SIMGPU_MI_SEMAPHORE_WAIT:
		case SIMGPU_MI_STORE_REGISTER_MEM:
			min = 4;
			max = 4;
			break;
		case SIMGPU_MI_STORE_DATA_IMM:
			min = 4;
			max = 5;
			break;
		case SIMGPU_MI_LOAD_REGISTER_IMM:
			min = 3;
			max = 1 + 2 * SIMGPU_NUM_GPR;
			break;
		case SIMGPU_MI_BATCH_BUFFER_START:
			min = 3;
			max = 3;
			break;
		}
		break;
	case SIMGPU_CLIENT_BLT:
		switch (SIMGPU_BLT_OPCODE(header)) {
		case SIMGPU_BLT_FILL:
			min = 7;
			max = 7;
			break;
		case SIMGPU_BLT_COPY:
			min = 10;
			max = 10;
			break;
		}
		break;
	}
	*min_len = min;
	*max_len = max;
}

/* A command's length in dwords as its header says: 1 for one-dword commands. */
static inline __u32 simgpu_cmd_len(__u32 header)
{
	__u32 min_len, max_len;

	simgpu_cmd_lengths(header, &min_len, &max_len);
	return max_len == 1 ? 1 : SIMGPU_CMD_LEN(header);
}

/* Bytes per pixel of a blit, from its first operand: 1, 2 or 4, 0 if invalid. */
static inline unsigned int simgpu_blt_cpp(__u32 dw1)
{
	switch (SIMGPU_BLT_BPP(dw1)) {
	case SIMGPU_BLT_BPP_8:
		return 1;
	case SIMGPU_BLT_BPP_16:
		return 2;
	case SIMGPU_BLT_BPP_32:
		return 4;
	}
	return 0;
}

#endif /* _UAPI_MVGPU_SIMGPU_H */
