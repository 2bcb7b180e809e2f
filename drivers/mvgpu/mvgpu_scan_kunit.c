// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the command scanner (mvgpu_scan.c), table driven, against
 * a fake guest memory, and against simgpu's decoder, and of the scheduling policy (mvgpu_sched.c),
 * simulated with a fake clock.
 */
#include <kunit/test.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>

#include "mvgpu.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* ---- the scanner ---- */

/* The vGPU's GM, its neighbour's and the host's */
#define T_LOW		0x8000000ULL
#define T_LOW_SIZE	((u64)SZ_64M)
#define T_LOW_END	(T_LOW + T_LOW_SIZE)
#define T_HIGH		0x40000000ULL
#define T_HIGH_SIZE	((u64)SZ_128M)
#define T_HIGH_END	(T_HIGH + T_HIGH_SIZE)
#define T_OTHER_LOW	(T_LOW_END + SZ_1M)	/* the next vGPU's */
#define T_OTHER_HIGH	(T_HIGH_END + SZ_1M)
#define T_HOST		0x10000ULL		/* the host's */
#define T_GAP		0x20000000ULL		/* between low and high GM */
/* Guest batches, a page apart so that the pages between are unreadable */
#define T_BB0		(T_LOW + SZ_1M)
#define T_BB1		(T_BB0 + 0x2000)
#define T_BB2		(T_BB0 + 0x4000)
#define T_BBH		(T_HIGH + SZ_2M)
#define T_VA		0x7f0000000000ULL	/* a per-process address */
#define T_VA_END	BIT_ULL(SIMGPU_PPGTT_VA_BITS)
#define T_SHADOW_GM	0x3000000ULL		/* where the shadow batches run */

#define T_RING_DW	256	/* ring_max unless a case says */
#define T_BATCH_DW	1024	/* batch_max unless a case says */
#define T_CMD_DW	40	/* longest command a case writes */
#define T_MAX_CMDS	8
#define T_MAX_BATCHES	3
#define T_MAX_PAGES	8
#define T_PAGE_DW	(SIMGPU_PAGE_SIZE / 4)
#define T_MAX_DEPTH	8

#define T_GGTT		SIMGPU_MI_USE_GGTT
#define T_L2		SIMGPU_BB_SECOND_LEVEL
#define T_8		SIMGPU_BLT_BPP_8
#define T_16		SIMGPU_BLT_BPP_16
#define T_32		SIMGPU_BLT_BPP_32
#define T_RENDER	SIMGPU_ENGINE_RENDER
#define T_COPY_ENG	SIMGPU_ENGINE_COPY

enum t_op {
	T_STOP,		/* end of a list */
	T_RAW,		/* the dword .val */
	T_NOOP,
	T_UINT,
	T_FLUSH,
	T_BBE,
	T_SEM,		/* .reg: compare, .val, .addr */
	T_SDI,		/* .addr, .val (.len 5: 8 bytes) */
	T_LRI,		/* registers .reg, .reg + 4, ..., values .val + 1, ... */
	T_SRM,		/* .reg, .addr */
	T_BB,		/* .addr; .flags T_L2 for a second-level call */
	T_FILL,		/* .blt, destination .addr, colour .val */
	T_COPY,		/* .blt, destination .addr */
};

/* A blit's geometry; the source for copies only */
struct t_blt {
	u8 bpp;
	u16 pitch, x1, y1, x2, y2;
	u16 sx, sy, spitch;
	u64 src;
};

#define T_GEO(...)	(&(const struct t_blt){ __VA_ARGS__ })

/* One command, repeated .rep times; .len and .cut make bad ones. */
struct t_cmd {
	u8 op;
	u8 len;		/* dwords, if not the command's own length */
	u8 rep;
	u8 cut;		/* write only this many of its dwords */
	u32 flags;	/* or'ed into the header */
	u32 reg;
	u32 val;
	u64 addr;
	const struct t_blt *blt;
};

/* A batch in guest memory: GM, or per-process memory if .ppgtt */
struct t_batch {
	u64 addr;
	bool ppgtt;
	struct t_cmd cmd[T_MAX_CMDS];
};

struct t_scan_case {
	const char *name;
	unsigned int engine;
	bool ppgtt;
	u32 ring_max;		/* 0: T_RING_DW */
	u32 batch_max;		/* 0: T_BATCH_DW */
	struct t_cmd ring[T_MAX_CMDS];
	struct t_batch bb[T_MAX_BATCHES];
	const char *reason;	/* NULL: accepted */
	u64 bad;		/* bad_offset when refused */
};

#define T_OUT		"address outside the vGPU's memory"
#define T_MISALIGNED	"misaligned address"
#define T_BLIT_OUT	"blit outside the vGPU's memory"
#define T_PIXELS	"blit not in whole pixels"
#define T_UNKNOWN	"unknown command"
#define T_LENGTH	"bad command length"
#define T_NOT_LOADABLE	"register not loadable"
#define T_ENGINE	"command not allowed on this engine"
#define T_DEEP		"batch nesting too deep"
#define T_BB_OUT	"batch outside the vGPU's memory"
#define T_UNREADABLE	"batch not readable"
#define T_TOO_LONG	"batches too long"

static const struct t_scan_case t_scan_cases[] = {
	/* accepted */
	{ "empty workload" },
	{ "MI_NOOP, MI_USER_INTERRUPT, MI_FLUSH on the render engine",
	  .ring = { { T_NOOP }, { T_UINT }, { T_FLUSH } } },
	{ "MI_NOOP, MI_USER_INTERRUPT, MI_FLUSH on the copy engine", T_COPY_ENG,
	  .ring = { { T_NOOP }, { T_UINT }, { T_FLUSH } } },
	{ "one-dword commands ignore bits 7:0",
	  .ring = { { T_NOOP, .flags = 0xff }, { T_FLUSH, .flags = 3 }, { T_UINT, .flags = 1 },
		    { T_NOOP } } },
	{ "stores at the edges of low GM",
	  .ring = { { T_SDI, .addr = T_LOW }, { T_SDI, .addr = T_LOW_END - 4 },
		    { T_SDI, .len = 5, .addr = T_LOW_END - 8 },
		    { T_SDI, .flags = T_GGTT, .addr = T_LOW + 0x40 } } },
	{ "stores at the edges of high GM",
	  .ring = { { T_SDI, .addr = T_HIGH }, { T_SDI, .addr = T_HIGH_END - 4 },
		    { T_SDI, .len = 5, .addr = T_HIGH } } },
	{ "stores on the copy engine", T_COPY_ENG,
	  .ring = { { T_SDI, .addr = T_LOW }, { T_SDI, .len = 5, .addr = T_HIGH_END - 8 } } },
	{ "semaphores: every compare, low and high GM",
	  .ring = { { T_SEM, .reg = SIMGPU_SEM_GTE, .addr = T_LOW },
		    { T_SEM, .reg = SIMGPU_SEM_EQ, .addr = T_HIGH_END - 4 },
		    { T_SEM, .flags = T_GGTT, .reg = SIMGPU_SEM_NEQ, .addr = T_HIGH } } },
	{ "LRI of the first GPR, the last, two, and all 16",
	  .ring = { { T_LRI, .reg = SIMGPU_REG_GPR(0) },
		    { T_LRI, .reg = SIMGPU_REG_GPR(SIMGPU_NUM_GPR - 1) },
		    { T_LRI, .len = 5, .reg = SIMGPU_REG_GPR(3) },
		    { T_LRI, .len = 1 + 2 * SIMGPU_NUM_GPR, .reg = SIMGPU_REG_GPR(0) } } },
	{ "SRM of a GPR and of TIMESTAMP",
	  .ring = { { T_SRM, .reg = SIMGPU_REG_GPR(1), .addr = T_LOW },
		    { T_SRM, .reg = SIMGPU_REG_TIMESTAMP, .addr = T_HIGH_END - 4 } } },
	{ "fills at 8, 16 and 32 bpp in low GM",
	  .ring = { { T_FILL, .addr = T_LOW + 1, .blt = T_GEO(T_8, 1000, 0, 0, 1000, 10) },
		    { T_FILL, .addr = T_LOW + 2, .blt = T_GEO(T_16, 2048, 1, 1, 100, 50) },
		    { T_FILL, .addr = T_LOW, .blt = T_GEO(T_32, 4096, 0, 0, 1024, 16) } } },
	{ "fills ending at the end of high GM",
	  .ring = { { T_FILL, .addr = T_HIGH_END - 3 * 4096,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1024, 3) },
		    { T_FILL, .addr = T_HIGH_END - 4096,
		      .blt = T_GEO(T_32, 4096, 1, 0, 1024, 1) } } },
	{ "fill whose rectangle starts a row past its base",
	  .ring = { { T_FILL, .addr = T_LOW - 4096, .blt = T_GEO(T_32, 4096, 0, 1, 16, 2) } } },
	{ "copies between low and high GM", T_COPY_ENG,
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_32, 4096, 0, 0, 256, 8, 0, 0, 4096, T_HIGH) },
		    { T_COPY, .addr = T_HIGH + 0x1000,
		      .blt = T_GEO(T_16, 512, 0, 0, 10, 10, 5, 3, 1024, T_LOW + 0x2000) } } },
	{ "copy whose source ends at the end of low GM",
	  .ring = { { T_COPY, .addr = T_HIGH,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1024, 2, 0, 1, 4096,
				   T_LOW_END - 3 * 4096) } } },
	{ "empty blits touch nothing",
	  .ring = { { T_FILL, .addr = T_HOST, .blt = T_GEO(T_32, 4096, 5, 0, 5, 10) },
		    { T_FILL, .addr = T_OTHER_LOW, .blt = T_GEO(T_32, 4096, 0, 7, 10, 3) },
		    { T_COPY, .addr = T_HOST,
		      .blt = T_GEO(T_32, 4096, 3, 0, 1, 1, 0, 0, 4096, T_OTHER_HIGH) } } },
	{ "ring calls a first-level batch",
	  .ring = { { T_NOOP }, { T_BB, .addr = T_BB0 }, { T_FLUSH } },
	  .bb = { { T_BB0, .cmd = { { T_SDI, .addr = T_LOW }, { T_UINT }, { T_BBE } } } } },
	{ "batch in high GM",
	  .ring = { { T_BB, .addr = T_BBH } },
	  .bb = { { T_BBH, .cmd = { { T_SEM, .addr = T_HIGH }, { T_BBE } } } } },
	{ "first-level batch calls a second-level batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_BB, .flags = T_L2, .addr = T_BB1 },
				    { T_FLUSH }, { T_BBE } } },
		  { T_BB1, .cmd = { { T_SDI, .addr = T_HIGH }, { T_BBE } } } } },
	{ "chain within the first level",
	  .ring = { { T_BB, .addr = T_BB0 }, { T_NOOP } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_BB, .addr = T_BB1 } } },
		  { T_BB1, .cmd = { { T_UINT }, { T_BBE } } } } },
	{ "chain within the second level",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BB, .flags = T_L2, .addr = T_BB1 }, { T_BBE } } },
		  { T_BB1, .cmd = { { T_NOOP }, { T_BB, .addr = T_BB2 } } },
		  { T_BB2, .cmd = { { T_FLUSH }, { T_BBE } } } } },
	{ "two calls of the same batch",
	  .ring = { { T_BB, .addr = T_BB0 }, { T_NOOP }, { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_SDI, .addr = T_LOW + 8 }, { T_BBE } } } } },
	{ "64 batch starts",
	  .ring = { { T_BB, .rep = MVGPU_MAX_BATCH_SEGMENTS, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_BBE } } } } },
	{ "every render command in a batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = {
		{ T_SEM, .reg = SIMGPU_SEM_EQ, .addr = T_LOW },
		{ T_LRI, .reg = SIMGPU_REG_GPR(2) },
		{ T_SRM, .reg = SIMGPU_REG_GPR(0), .addr = T_HIGH },
		{ T_SDI, .len = 5, .addr = T_LOW + 8 },
		{ T_FILL, .addr = T_LOW, .blt = T_GEO(T_32, 4096, 0, 0, 64, 64) },
		{ T_COPY, .addr = T_HIGH,
		  .blt = T_GEO(T_32, 4096, 0, 0, 64, 64, 0, 0, 4096, T_LOW) },
		{ T_UINT }, { T_BBE } } } } },
	{ "every copy-engine command in a batch", T_COPY_ENG,
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = {
		{ T_NOOP }, { T_SDI, .addr = T_HIGH },
		{ T_FILL, .addr = T_LOW, .blt = T_GEO(T_8, 64, 0, 0, 64, 64) },
		{ T_COPY, .addr = T_HIGH,
		  .blt = T_GEO(T_16, 128, 0, 0, 64, 64, 0, 0, 128, T_LOW) },
		{ T_FLUSH }, { T_UINT }, { T_BBE } } } } },
	{ "batch in the last dwords of low GM",
	  .ring = { { T_BB, .addr = T_LOW_END - 8 } },
	  .bb = { { T_LOW_END - 8, .cmd = { { T_NOOP }, { T_BBE } } } } },
	{ "batches fill batch_max exactly", .batch_max = 6,
	  .ring = { { T_BB, .addr = T_BB0 }, { T_BB, .addr = T_BB1 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP, .rep = 3 }, { T_BBE } } },
		  { T_BB1, .cmd = { { T_NOOP }, { T_BBE } } } } },
	{ "ring of ring_max dwords", .ring_max = 8, .ring = { { T_NOOP, .rep = 8 } } },
	{ "batch start with USE_GGTT",
	  .ring = { { T_BB, .flags = T_GGTT, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BBE } } } } },
	{ "ppgtt: operands below 2^48 are not range checked", .ppgtt = true,
	  .ring = { { T_SDI, .addr = T_VA }, { T_SDI, .addr = T_HOST },
		    { T_SDI, .addr = T_VA_END - 4 }, { T_SDI, .len = 5, .addr = T_VA_END - 8 },
		    { T_SEM, .addr = T_OTHER_LOW },
		    { T_SRM, .reg = SIMGPU_REG_GPR(0), .addr = T_VA } } },
	{ "ppgtt: USE_GGTT operands in the vGPU's GM", .ppgtt = true,
	  .ring = { { T_SDI, .flags = T_GGTT, .addr = T_LOW },
		    { T_SEM, .flags = T_GGTT, .addr = T_HIGH },
		    { T_SRM, .flags = T_GGTT, .reg = SIMGPU_REG_TIMESTAMP,
		      .addr = T_LOW_END - 4 } } },
	{ "ppgtt: blits below 2^48", .ppgtt = true,
	  .ring = { { T_FILL, .addr = T_VA, .blt = T_GEO(T_32, 4096, 0, 0, 1024, 4) },
		    { T_COPY, .addr = T_HOST,
		      .blt = T_GEO(T_32, 4096, 0, 0, 16, 16, 0, 0, 4096, T_VA) },
		    { T_FILL, .addr = T_VA_END - 4096,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1024, 1) } } },
	{ "ppgtt: per-process batch calling per-process and GGTT batches", .ppgtt = true,
	  .ring = { { T_BB, .addr = T_VA + 0x1000 } },
	  .bb = { { T_VA + 0x1000, true, .cmd = {
			{ T_SDI, .addr = T_VA },
			{ T_BB, .flags = T_L2 | T_GGTT, .addr = T_BB0 },
			{ T_BB, .flags = T_L2, .addr = T_VA + 0x3000 }, { T_BBE } } },
		  { T_BB0, .cmd = { { T_NOOP }, { T_BBE } } },
		  { T_VA + 0x3000, true, .cmd = { { T_FLUSH }, { T_BBE } } } } },
	{ "ppgtt: GGTT batch from the ring", .ppgtt = true,
	  .ring = { { T_BB, .flags = T_GGTT, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_SDI, .flags = T_GGTT, .addr = T_LOW },
				    { T_SDI, .addr = T_VA }, { T_BBE } } } } },

	/* refused: commands */
	{ "unknown MI opcode", .ring = { { T_NOOP }, { T_RAW, .val = SIMGPU_MI(0x01) } },
	  .reason = T_UNKNOWN, .bad = 4 },
	{ "unknown MI opcode with a length",
	  .ring = { { T_RAW, .val = SIMGPU_MI_LEN(0x3f, 3) }, { T_NOOP, .rep = 2 } },
	  .reason = T_UNKNOWN, .bad = 0 },
	{ "unknown blitter opcode",
	  .ring = { { T_NOOP, .rep = 2 }, { T_RAW, .val = SIMGPU_BLT(0x51, 7) } },
	  .reason = T_UNKNOWN, .bad = 8 },
	{ "unknown client 1", .ring = { { T_RAW, .val = 1u << 29 } },
	  .reason = T_UNKNOWN, .bad = 0 },
	{ "unknown client 3",
	  .ring = { { T_NOOP }, { T_RAW, .val = 3u << 29 | SIMGPU_BLT_FILL << 22 | 5 } },
	  .reason = T_UNKNOWN, .bad = 4 },
	{ "unknown client 7", .ring = { { T_RAW, .val = 0xffffffff } },
	  .reason = T_UNKNOWN, .bad = 0 },
	{ "MI_STORE_DATA_IMM of 3 dwords", .ring = { { T_NOOP }, { T_SDI, .len = 3 } },
	  .reason = T_LENGTH, .bad = 4 },
	{ "MI_STORE_DATA_IMM of 6 dwords", .ring = { { T_SDI, .len = 6, .addr = T_LOW } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "MI_SEMAPHORE_WAIT of 5 dwords", .ring = { { T_SEM, .len = 5, .addr = T_LOW } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "MI_LOAD_REGISTER_IMM of 2 dwords", .ring = { { T_LRI, .len = 2 } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "MI_LOAD_REGISTER_IMM of 35 dwords",
	  .ring = { { T_LRI, .len = 35, .reg = SIMGPU_REG_GPR(0) } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "MI_STORE_REGISTER_MEM of 5 dwords",
	  .ring = { { T_SRM, .len = 5, .reg = SIMGPU_REG_GPR(0), .addr = T_LOW } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "MI_BATCH_BUFFER_START of 4 dwords",
	  .ring = { { T_BB, .len = 4, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BBE } } } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "XY_COLOR_BLT of 8 dwords",
	  .ring = { { T_FILL, .len = 8, .addr = T_LOW, .blt = T_GEO(T_32, 64, 0, 0, 1, 1) } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "XY_SRC_COPY_BLT of 9 dwords",
	  .ring = { { T_COPY, .len = 9, .addr = T_LOW,
		      .blt = T_GEO(T_32, 64, 0, 0, 1, 1, 0, 0, 64, T_LOW) } },
	  .reason = T_LENGTH, .bad = 0 },
	{ "command runs past the end of the ring",
	  .ring = { { T_NOOP }, { T_SDI, .cut = 3, .addr = T_LOW } },
	  .reason = "command runs past the end of the workload", .bad = 4 },
	{ "blit runs past the end of the ring",
	  .ring = { { T_COPY, .cut = 9, .addr = T_LOW,
		      .blt = T_GEO(T_32, 64, 0, 0, 1, 1, 0, 0, 64, T_LOW) } },
	  .reason = "command runs past the end of the workload", .bad = 0 },
	{ "LRI of TIMESTAMP", .ring = { { T_LRI, .reg = SIMGPU_REG_TIMESTAMP } },
	  .reason = T_NOT_LOADABLE, .bad = 0 },
	{ "LRI of 0x2000", .ring = { { T_NOOP }, { T_LRI, .reg = 0x2000 } },
	  .reason = T_NOT_LOADABLE, .bad = 4 },
	{ "LRI just past the GPRs",
	  .ring = { { T_LRI, .reg = SIMGPU_REG_GPR(SIMGPU_NUM_GPR) } },
	  .reason = T_NOT_LOADABLE, .bad = 0 },
	{ "LRI just below the GPRs", .ring = { { T_LRI, .reg = SIMGPU_REG_GPR(0) - 4 } },
	  .reason = T_NOT_LOADABLE, .bad = 0 },
	{ "LRI of a misaligned GPR offset", .ring = { { T_LRI, .reg = SIMGPU_REG_GPR(0) + 2 } },
	  .reason = T_NOT_LOADABLE, .bad = 0 },
	{ "LRI whose second register is not a GPR",
	  .ring = { { T_LRI, .len = 5, .reg = SIMGPU_REG_GPR(SIMGPU_NUM_GPR - 1) } },
	  .reason = T_NOT_LOADABLE, .bad = 0 },
	{ "LRI without a value", .ring = { { T_LRI, .len = 4, .reg = SIMGPU_REG_GPR(0) } },
	  .reason = "register load without a value", .bad = 0 },
	{ "SRM of 0x2000", .ring = { { T_SRM, .reg = 0x2000, .addr = T_LOW } },
	  .reason = "register not readable", .bad = 0 },
	{ "SRM just past the GPRs",
	  .ring = { { T_NOOP }, { T_SRM, .reg = SIMGPU_REG_GPR(SIMGPU_NUM_GPR), .addr = T_LOW } },
	  .reason = "register not readable", .bad = 4 },
	{ "semaphore compare 3", .ring = { { T_SEM, .reg = 3, .addr = T_LOW } },
	  .reason = "unknown semaphore compare", .bad = 0 },
	{ "semaphore compare 7", .ring = { { T_SEM, .reg = 7, .addr = T_LOW } },
	  .reason = "unknown semaphore compare", .bad = 0 },

	/* refused: memory operands */
	{ "store just below low GM", .ring = { { T_SDI, .addr = T_LOW - 4 } },
	  .reason = T_OUT, .bad = 0 },
	{ "store just above low GM", .ring = { { T_NOOP }, { T_SDI, .addr = T_LOW_END } },
	  .reason = T_OUT, .bad = 4 },
	{ "store just below high GM", .ring = { { T_SDI, .addr = T_HIGH - 4 } },
	  .reason = T_OUT, .bad = 0 },
	{ "8-byte store just above high GM",
	  .ring = { { T_SDI, .len = 5, .addr = T_HIGH_END } },
	  .reason = T_OUT, .bad = 0 },
	{ "store in the other vGPU's low GM", .ring = { { T_SDI, .addr = T_OTHER_LOW } },
	  .reason = T_OUT, .bad = 0 },
	{ "store in the other vGPU's high GM", .ring = { { T_SDI, .addr = T_OTHER_HIGH } },
	  .reason = T_OUT, .bad = 0 },
	{ "store in the host's GM", .ring = { { T_SDI, .addr = T_HOST } },
	  .reason = T_OUT, .bad = 0 },
	{ "store between low and high GM", .ring = { { T_SDI, .addr = T_GAP } },
	  .reason = T_OUT, .bad = 0 },
	{ "store with bit 32 set", .ring = { { T_SDI, .addr = (1ULL << 32) | T_LOW } },
	  .reason = T_OUT, .bad = 0 },
	{ "store with bit 48 set", .ring = { { T_SDI, .addr = T_VA_END | T_LOW } },
	  .reason = T_OUT, .bad = 0 },
	{ "USE_GGTT store in the host's GM",
	  .ring = { { T_SDI, .flags = T_GGTT, .addr = T_HOST } },
	  .reason = T_OUT, .bad = 0 },
	{ "semaphore just above high GM",
	  .ring = { { T_SDI, .addr = T_LOW }, { T_SEM, .addr = T_HIGH_END } },
	  .reason = T_OUT, .bad = 16 },
	{ "SRM just below low GM",
	  .ring = { { T_SRM, .reg = SIMGPU_REG_GPR(0), .addr = T_LOW - 4 } },
	  .reason = T_OUT, .bad = 0 },
	{ "store at an odd address", .ring = { { T_SDI, .addr = T_LOW + 2 } },
	  .reason = T_MISALIGNED, .bad = 0 },
	{ "8-byte store at a 4-byte boundary",
	  .ring = { { T_SDI, .len = 5, .addr = T_LOW + 4 } },
	  .reason = T_MISALIGNED, .bad = 0 },
	{ "semaphore at an odd address", .ring = { { T_SEM, .addr = T_HIGH + 1 } },
	  .reason = T_MISALIGNED, .bad = 0 },
	{ "SRM at an odd address",
	  .ring = { { T_SRM, .reg = SIMGPU_REG_GPR(0), .addr = T_LOW + 6 } },
	  .reason = T_MISALIGNED, .bad = 0 },

	/* refused: blits */
	{ "fill whose last row leaves low GM",
	  .ring = { { T_FILL, .addr = T_LOW_END - 3 * 4096,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1024, 4) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "fill straddling the end of high GM by a pixel",
	  .ring = { { T_FILL, .addr = T_HIGH_END - 4096,
		      .blt = T_GEO(T_32, 4096, 1, 0, 1025, 1) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "fill starting just below low GM",
	  .ring = { { T_FILL, .addr = T_LOW - 4096, .blt = T_GEO(T_32, 4096, 0, 0, 16, 2) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "fill in the other vGPU's low GM",
	  .ring = { { T_FILL, .addr = T_OTHER_LOW, .blt = T_GEO(T_32, 4096, 0, 0, 16, 2) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "fill in the host's GM",
	  .ring = { { T_NOOP }, { T_FILL, .addr = T_HOST, .blt = T_GEO(T_8, 16, 0, 0, 1, 1) } },
	  .reason = T_BLIT_OUT, .bad = 4 },
	{ "copy from the other vGPU's high GM", T_COPY_ENG,
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_32, 4096, 0, 0, 16, 16, 0, 0, 4096, T_OTHER_HIGH) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "copy whose source starts just below high GM",
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_32, 4096, 0, 0, 16, 16, 0, 0, 4096, T_HIGH - 4) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "copy whose source's last row leaves low GM",
	  .ring = { { T_COPY, .addr = T_HIGH,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1024, 3, 0, 0, 4096,
				   T_LOW_END - 2 * 4096) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "copy from the host's GM",
	  .ring = { { T_COPY, .addr = T_HIGH,
		      .blt = T_GEO(T_32, 4096, 0, 0, 16, 16, 0, 0, 4096, T_HOST) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "fill beyond 48 bits",
	  .ring = { { T_FILL, .addr = T_VA_END | T_LOW, .blt = T_GEO(T_32, 4096, 0, 0, 1, 1) } },
	  .reason = T_OUT, .bad = 0 },
	{ "copy from beyond 48 bits",
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1, 1, 0, 0, 4096, T_VA_END | T_HIGH) } },
	  .reason = T_OUT, .bad = 0 },
	{ "fill of unknown colour depth",
	  .ring = { { T_FILL, .addr = T_LOW, .blt = T_GEO(2, 4096, 0, 0, 16, 16) } },
	  .reason = "unknown colour depth", .bad = 0 },
	{ "empty copy of unknown colour depth",
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(2, 4096, 0, 0, 0, 0, 0, 0, 4096, T_LOW) } },
	  .reason = "unknown colour depth", .bad = 0 },
	{ "32 bpp fill with a pitch of 4098",
	  .ring = { { T_FILL, .addr = T_LOW, .blt = T_GEO(T_32, 4098, 0, 0, 16, 16) } },
	  .reason = T_PIXELS, .bad = 0 },
	{ "16 bpp fill with an odd pitch",
	  .ring = { { T_FILL, .addr = T_LOW, .blt = T_GEO(T_16, 4095, 0, 0, 16, 16) } },
	  .reason = T_PIXELS, .bad = 0 },
	{ "32 bpp fill at an address not in pixels",
	  .ring = { { T_FILL, .addr = T_LOW + 2, .blt = T_GEO(T_32, 4096, 0, 0, 16, 16) } },
	  .reason = T_PIXELS, .bad = 0 },
	{ "copy with a source pitch not in pixels",
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_32, 4096, 0, 0, 16, 16, 0, 0, 4097, T_HIGH) } },
	  .reason = T_PIXELS, .bad = 0 },
	{ "copy from an address not in pixels",
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_16, 4096, 0, 0, 16, 16, 0, 0, 4096, T_HIGH + 1) } },
	  .reason = T_PIXELS, .bad = 0 },
	{ "empty copy with a source pitch not in pixels",
	  .ring = { { T_COPY, .addr = T_LOW,
		      .blt = T_GEO(T_32, 4096, 4, 4, 4, 4, 0, 0, 2, T_HIGH) } },
	  .reason = T_PIXELS, .bad = 0 },

	/* refused: batches */
	{ "MI_BATCH_BUFFER_END in the ring", .ring = { { T_NOOP }, { T_BBE } },
	  .reason = "batch end in the ring", .bad = 4 },
	{ "second-level batch from the ring",
	  .ring = { { T_NOOP }, { T_BB, .flags = T_L2, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BBE } } } },
	  .reason = T_DEEP, .bad = 4 },
	{ "third-level batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BB, .flags = T_L2, .addr = T_BB1 }, { T_BBE } } },
		  { T_BB1, .cmd = { { T_NOOP }, { T_BB, .flags = T_L2, .addr = T_BB2 },
				    { T_BBE } } },
		  { T_BB2, .cmd = { { T_BBE } } } },
	  .reason = T_DEEP, .bad = T_BB1 + 4 },
	{ "misaligned batch", .ring = { { T_BB, .addr = T_BB0 + 2 } },
	  .reason = "misaligned batch", .bad = 0 },
	{ "misaligned chain",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_BB, .addr = T_BB1 + 1 } } },
		  { T_BB1, .cmd = { { T_BBE } } } },
	  .reason = "misaligned batch", .bad = T_BB0 + 4 },
	{ "batch in the host's GM", .ring = { { T_NOOP }, { T_BB, .addr = T_HOST } },
	  .reason = T_BB_OUT, .bad = 4 },
	{ "batch just above low GM", .ring = { { T_BB, .addr = T_LOW_END } },
	  .reason = T_BB_OUT, .bad = 0 },
	{ "batch in the other vGPU's high GM", .ring = { { T_BB, .addr = T_OTHER_HIGH } },
	  .reason = T_BB_OUT, .bad = 0 },
	{ "second-level batch in the host's GM",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP, .rep = 2 }, { T_BB, .flags = T_L2, .addr = T_HOST },
				    { T_BBE } } } },
	  .reason = T_BB_OUT, .bad = T_BB0 + 8 },
	{ "unreadable batch", .ring = { { T_BB, .addr = T_BB2 } },
	  .reason = T_UNREADABLE, .bad = T_BB2 },
	{ "batch command whose operands are unreadable",
	  .ring = { { T_BB, .addr = T_BB0 + 4092 } },
	  .bb = { { T_BB0 + 4092, .cmd = { { T_SDI, .cut = 1, .addr = T_LOW } } } },
	  .reason = T_UNREADABLE, .bad = T_BB0 + 4092 },
	{ "batch without an end runs into unreadable memory",
	  .ring = { { T_BB, .addr = T_BB0 + 4088 } },
	  .bb = { { T_BB0 + 4088, .cmd = { { T_NOOP } } } },
	  .reason = T_UNREADABLE, .bad = T_BB0 + 4096 },
	{ "batch without an end runs past batch_max", .batch_max = 64,
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP } } } },
	  .reason = T_TOO_LONG, .bad = T_BB0 + 4 * 64 },
	{ "batch command past batch_max", .batch_max = 8,
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP, .rep = 6 }, { T_SDI, .addr = T_LOW }, { T_BBE } } } },
	  .reason = T_TOO_LONG, .bad = T_BB0 + 24 },
	{ "second batch starts at batch_max", .batch_max = 4,
	  .ring = { { T_BB, .addr = T_BB0 }, { T_BB, .addr = T_BB1 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP, .rep = 3 }, { T_BBE } } },
		  { T_BB1, .cmd = { { T_BBE } } } },
	  .reason = T_TOO_LONG, .bad = T_BB1 },
	{ "self-chaining batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_BB, .addr = T_BB0 } } } },
	  .reason = "too many batches", .bad = T_BB0 + 4 },
	{ "65 batch starts",
	  .ring = { { T_BB, .rep = MVGPU_MAX_BATCH_SEGMENTS + 1, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BBE } } } },
	  .reason = "too many batches", .bad = 12 * MVGPU_MAX_BATCH_SEGMENTS },
	{ "unknown command in a batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_RAW, .val = 0xffffffff }, { T_BBE } } } },
	  .reason = T_UNKNOWN, .bad = T_BB0 + 4 },
	{ "bad length in a batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_SDI, .len = 6, .addr = T_LOW }, { T_BBE } } } },
	  .reason = T_LENGTH, .bad = T_BB0 },
	{ "store in the host's GM in a batch",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP }, { T_SDI, .addr = T_HOST }, { T_BBE } } } },
	  .reason = T_OUT, .bad = T_BB0 + 4 },
	{ "blit in the other vGPU's GM in the second of two batches",
	  .ring = { { T_BB, .addr = T_BB0 }, { T_BB, .addr = T_BB1 } },
	  .bb = { { T_BB0, .cmd = { { T_SDI, .addr = T_LOW }, { T_BBE } } },
		  { T_BB1, .cmd = { { T_FLUSH }, { T_NOOP },
				    { T_FILL, .addr = T_OTHER_LOW,
				      .blt = T_GEO(T_32, 4096, 0, 0, 16, 2) },
				    { T_BBE } } } },
	  .reason = T_BLIT_OUT, .bad = T_BB1 + 8 },
	{ "bad store in the ring after a batch start",
	  .ring = { { T_BB, .addr = T_BB0 }, { T_SDI, .addr = T_HOST } },
	  .bb = { { T_BB0, .cmd = { { T_BBE } } } },
	  .reason = T_OUT, .bad = 12 },
	{ "semaphore on the copy engine", T_COPY_ENG,
	  .ring = { { T_NOOP }, { T_SEM, .addr = T_LOW } },
	  .reason = T_ENGINE, .bad = 4 },
	{ "LRI on the copy engine", T_COPY_ENG,
	  .ring = { { T_LRI, .reg = SIMGPU_REG_GPR(0) } },
	  .reason = T_ENGINE, .bad = 0 },
	{ "SRM on the copy engine", T_COPY_ENG,
	  .ring = { { T_SRM, .reg = SIMGPU_REG_GPR(0), .addr = T_LOW } },
	  .reason = T_ENGINE, .bad = 0 },
	{ "SRM in a batch on the copy engine", T_COPY_ENG,
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_NOOP },
				    { T_SRM, .reg = SIMGPU_REG_GPR(0), .addr = T_LOW },
				    { T_BBE } } } },
	  .reason = T_ENGINE, .bad = T_BB0 + 4 },
	{ "workload longer than ring_max", .ring_max = 8, .ring = { { T_NOOP, .rep = 9 } },
	  .reason = "workload too long", .bad = 0 },

	/* refused: per-process contexts */
	{ "ppgtt: store at 2^48", .ppgtt = true, .ring = { { T_SDI, .addr = T_VA_END } },
	  .reason = T_OUT, .bad = 0 },
	{ "ppgtt: store with the top address bits set", .ppgtt = true,
	  .ring = { { T_NOOP }, { T_SDI, .addr = 0xffff800000000000ULL } },
	  .reason = T_OUT, .bad = 4 },
	{ "ppgtt: 8-byte store at a 4-byte boundary", .ppgtt = true,
	  .ring = { { T_SDI, .len = 5, .addr = T_VA_END - 4 } },
	  .reason = T_MISALIGNED, .bad = 0 },
	{ "ppgtt: USE_GGTT store at a per-process address", .ppgtt = true,
	  .ring = { { T_SDI, .flags = T_GGTT, .addr = T_VA } },
	  .reason = T_OUT, .bad = 0 },
	{ "ppgtt: USE_GGTT semaphore in the host's GM", .ppgtt = true,
	  .ring = { { T_SEM, .flags = T_GGTT, .addr = T_HOST } },
	  .reason = T_OUT, .bad = 0 },
	{ "ppgtt: USE_GGTT SRM in the other vGPU's GM", .ppgtt = true,
	  .ring = { { T_SRM, .flags = T_GGTT, .reg = SIMGPU_REG_GPR(0), .addr = T_OTHER_LOW } },
	  .reason = T_OUT, .bad = 0 },
	{ "ppgtt: fill across 2^48", .ppgtt = true,
	  .ring = { { T_FILL, .addr = T_VA_END - 4096,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1024, 2) } },
	  .reason = T_BLIT_OUT, .bad = 0 },
	{ "ppgtt: copy from 2^48", .ppgtt = true,
	  .ring = { { T_COPY, .addr = T_VA,
		      .blt = T_GEO(T_32, 4096, 0, 0, 1, 1, 0, 0, 4096, T_VA_END) } },
	  .reason = T_OUT, .bad = 0 },
	{ "ppgtt: batch at 2^48", .ppgtt = true, .ring = { { T_BB, .addr = T_VA_END } },
	  .reason = T_BB_OUT, .bad = 0 },
	{ "ppgtt: USE_GGTT batch at a per-process address", .ppgtt = true,
	  .ring = { { T_BB, .flags = T_GGTT, .addr = T_VA } },
	  .reason = T_BB_OUT, .bad = 0 },
	{ "ppgtt: USE_GGTT batch is read through the GGTT", .ppgtt = true,
	  .ring = { { T_BB, .flags = T_GGTT, .addr = T_BB0 } },
	  .bb = { { T_BB0, true, .cmd = { { T_BBE } } } },
	  .reason = T_UNREADABLE, .bad = T_BB0 },
	{ "ppgtt: batch is read through the context's space", .ppgtt = true,
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, .cmd = { { T_BBE } } } },
	  .reason = T_UNREADABLE, .bad = T_BB0 },
	{ "no ppgtt: batch is read through the GGTT",
	  .ring = { { T_BB, .addr = T_BB0 } },
	  .bb = { { T_BB0, true, .cmd = { { T_BBE } } } },
	  .reason = T_UNREADABLE, .bad = T_BB0 },
};

KUNIT_ARRAY_PARAM_DESC(t_scan, t_scan_cases, name);

/* A page of fake guest memory: GM, or per-process if !ggtt */
struct t_page {
	u64 addr;
	bool ggtt;
	u32 dw[T_PAGE_DW];
};

struct t_scan_env {
	struct kunit *test;
	bool ppgtt;
	struct mvgpu_alloc gm;
	struct mvgpu_scan *sc;
	struct t_page *page[T_MAX_PAGES];
	unsigned int nr_pages;
	u64 reads;		/* dwords the scanner read */
	u32 *guest;		/* the ring commands as the guest wrote them */
	u32 *guest_copy;
	u32 n;
	u8 *covered;		/* shadow batch dwords accounted for */
};

static struct t_page *t_page_find(struct t_scan_env *env, u64 addr, bool ggtt)
{
	unsigned int i;

	for (i = 0; i < env->nr_pages; i++)
		if (env->page[i]->addr == (addr & ~(u64)(SIMGPU_PAGE_SIZE - 1)) &&
		    env->page[i]->ggtt == ggtt)
			return env->page[i];
	return NULL;
}

static void t_poke(struct t_scan_env *env, u64 addr, bool ggtt, u32 val)
{
	struct kunit *test = env->test;
	struct t_page *p = t_page_find(env, addr, ggtt);

	if (!p) {
		KUNIT_ASSERT_LT(test, env->nr_pages, T_MAX_PAGES);
		p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		p->addr = addr & ~(u64)(SIMGPU_PAGE_SIZE - 1);
		p->ggtt = ggtt;
		env->page[env->nr_pages++] = p;
	}
	p->dw[(addr & (SIMGPU_PAGE_SIZE - 1)) / 4] = val;
}

/* The test's own look at guest memory: not counted as a read */
static bool t_peek(struct t_scan_env *env, u64 addr, bool ggtt, u32 *val)
{
	struct t_page *p = t_page_find(env, addr, ggtt);

	if (!p || addr & 3)
		return false;
	*val = p->dw[(addr & (SIMGPU_PAGE_SIZE - 1)) / 4];
	return true;
}

/* The scanner's read callback: fails outside the pages a case wrote */
static int t_read(struct mvgpu_scan *sc, u64 addr, bool ggtt, u32 *buf, u32 dwords)
{
	struct t_scan_env *env = sc->priv;
	u32 i;

	if (addr & 3) {
		KUNIT_FAIL(env->test, "read of %u dwords at misaligned %#llx", dwords, addr);
		return -EINVAL;
	}
	for (i = 0; i < dwords; i++) {
		if (!t_peek(env, addr + 4 * i, ggtt, &buf[i]))
			return -EFAULT;
		env->reads++;
	}
	return 0;
}

static u32 t_lo(u64 a)
{
	return lower_32_bits(a);
}

static u32 t_hi(u64 a)
{
	return upper_32_bits(a);
}

/* Write one command at dw; returns the dwords written. */
static u32 t_encode(const struct t_cmd *c, u32 *dw)
{
	static const u8 one[] = {
		[T_NOOP] = SIMGPU_MI_NOOP, [T_UINT] = SIMGPU_MI_USER_INTERRUPT,
		[T_FLUSH] = SIMGPU_MI_FLUSH, [T_BBE] = SIMGPU_MI_BATCH_BUFFER_END,
	};
	const struct t_blt *b = c->blt;
	u32 ops[T_CMD_DW] = {};
	u32 hdr, len, nat, i;

	switch (c->op) {
	case T_RAW:
		dw[0] = c->val;
		return 1;
	case T_NOOP:
	case T_UINT:
	case T_FLUSH:
	case T_BBE:
		dw[0] = SIMGPU_MI(one[c->op]) | c->flags;
		return 1;
	case T_SEM:
		hdr = SIMGPU_MI(SIMGPU_MI_SEMAPHORE_WAIT) | c->reg << 12;
		nat = 4;
		ops[0] = c->val;
		ops[1] = t_lo(c->addr);
		ops[2] = t_hi(c->addr);
		break;
	case T_SDI:
		hdr = SIMGPU_MI(SIMGPU_MI_STORE_DATA_IMM);
		nat = 4;
		ops[0] = t_lo(c->addr);
		ops[1] = t_hi(c->addr);
		ops[2] = c->val;
		ops[3] = c->val + 1;
		break;
	case T_LRI:
		hdr = SIMGPU_MI(SIMGPU_MI_LOAD_REGISTER_IMM);
		nat = 3;
		for (i = 1; i < T_CMD_DW; i++)
			ops[i - 1] = (i & 1) ? c->reg + 4 * (i / 2) : c->val + i / 2;
		break;
	case T_SRM:
		hdr = SIMGPU_MI(SIMGPU_MI_STORE_REGISTER_MEM);
		nat = 4;
		ops[0] = c->reg;
		ops[1] = t_lo(c->addr);
		ops[2] = t_hi(c->addr);
		break;
	case T_BB:
		hdr = SIMGPU_MI(SIMGPU_MI_BATCH_BUFFER_START);
		nat = 3;
		ops[0] = t_lo(c->addr);
		ops[1] = t_hi(c->addr);
		break;
	case T_FILL:
	case T_COPY:
		hdr = SIMGPU_CLIENT_BLT << 29 |
		      (c->op == T_FILL ? SIMGPU_BLT_FILL : SIMGPU_BLT_COPY) << 22;
		nat = c->op == T_FILL ? 7 : 10;
		ops[0] = (u32)b->bpp << 24 | b->pitch;
		ops[1] = SIMGPU_BLT_XY(b->x1, b->y1);
		ops[2] = SIMGPU_BLT_XY(b->x2, b->y2);
		ops[3] = t_lo(c->addr);
		ops[4] = t_hi(c->addr);
		ops[5] = c->op == T_FILL ? c->val : SIMGPU_BLT_XY(b->sx, b->sy);
		ops[6] = b->spitch;
		ops[7] = t_lo(b->src);
		ops[8] = t_hi(b->src);
		break;
	default:
		return 0;
	}
	len = c->len ? c->len : nat;
	dw[0] = hdr | ((len - 2) & 0xff) | c->flags;
	for (i = 1; i < len && i < T_CMD_DW; i++)
		dw[i] = ops[i - 1];
	return c->cut ? c->cut : len;
}

/* A list of commands into dw, at most max dwords; returns the dwords. */
static u32 t_encode_list(struct kunit *test, const struct t_cmd *c, u32 *dw, u32 max)
{
	unsigned int k, j;
	u32 n = 0;

	for (k = 0; k < T_MAX_CMDS && c[k].op != T_STOP; k++) {
		for (j = 0; j < max_t(unsigned int, c[k].rep, 1); j++) {
			KUNIT_ASSERT_LE(test, n + T_CMD_DW, max);
			n += t_encode(&c[k], dw + n);
		}
	}
	return n;
}

/* Put a case's batches into guest memory and its ring into env->guest. */
static void t_scan_load(struct t_scan_env *env, const struct t_scan_case *c)
{
	struct kunit *test = env->test;
	const u32 max = T_MAX_CMDS * T_CMD_DW;
	u32 *buf = kunit_kmalloc_array(test, max, 4, GFP_KERNEL);
	const struct t_batch *b;
	u32 n, i, j;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	env->n = t_encode_list(test, c->ring, env->guest, T_RING_DW);
	memcpy(env->guest_copy, env->guest, 4 * env->n);
	for (i = 0; i < T_MAX_BATCHES; i++) {
		b = &c->bb[i];
		if (!b->addr)
			continue;
		n = t_encode_list(test, b->cmd, buf, max);
		for (j = 0; j < n; j++)
			t_poke(env, b->addr + 4 * j, !b->ppgtt, buf[j]);
	}
}

static struct t_scan_env *t_scan_env_new(struct kunit *test, const struct t_scan_case *c)
{
	struct t_scan_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	struct mvgpu_scan *sc;

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->test = test;
	env->ppgtt = c->ppgtt;
	env->gm = (struct mvgpu_alloc){ T_LOW, T_LOW_SIZE, T_HIGH, T_HIGH_SIZE, 4, 2 };
	sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	env->sc = sc;
	sc->engine = c->engine;
	sc->ppgtt = c->ppgtt;
	sc->gm = &env->gm;
	sc->read = t_read;
	sc->priv = env;
	sc->ring_max = c->ring_max ? c->ring_max : T_RING_DW;
	sc->batch_max = c->batch_max ? c->batch_max : T_BATCH_DW;
	sc->batch_gm = T_SHADOW_GM;
	sc->ring = kunit_kmalloc_array(test, sc->ring_max, 4, GFP_KERNEL);
	sc->batch = kunit_kmalloc_array(test, sc->batch_max, 4, GFP_KERNEL);
	env->guest = kunit_kmalloc_array(test, T_RING_DW, 4, GFP_KERNEL);
	env->guest_copy = kunit_kmalloc_array(test, T_RING_DW, 4, GFP_KERNEL);
	env->covered = kunit_kzalloc(test, sc->batch_max, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, sc->ring && sc->batch && env->guest && env->guest_copy &&
			  env->covered);

	t_scan_load(env, c);
	return env;
}

static u64 t_addr(const u32 *lo_hi)
{
	return (u64)lo_hi[1] << 32 | lo_hi[0];
}

/* A command's length, from the specification's table */
static u32 t_len(u32 h)
{
	if (SIMGPU_CMD_CLIENT(h) == SIMGPU_CLIENT_MI) {
		switch (SIMGPU_MI_OPCODE(h)) {
		case SIMGPU_MI_NOOP:
		case SIMGPU_MI_USER_INTERRUPT:
		case SIMGPU_MI_FLUSH:
		case SIMGPU_MI_BATCH_BUFFER_END:
			return 1;
		}
	}
	return SIMGPU_CMD_LEN(h);
}

static bool t_is_mi(u32 h, u32 opcode)
{
	return SIMGPU_CMD_CLIENT(h) == SIMGPU_CLIENT_MI && SIMGPU_MI_OPCODE(h) == opcode;
}

static void t_check_segment(struct t_scan_env *env, u32 off, u64 addr, bool ggtt,
			    unsigned int depth);

/*
 * A shadow batch start s for the guest's g: USE_GGTT added, pointing at a
 * shadow copy of g's target.
 */
static void t_check_bb(struct t_scan_env *env, const u32 *g, const u32 *s, unsigned int depth)
{
	struct kunit *test = env->test;
	struct mvgpu_scan *sc = env->sc;
	u64 target = t_addr(&g[1]), ptr = t_addr(&s[1]);
	bool ggtt = (g[0] & SIMGPU_MI_USE_GGTT) || !env->ppgtt;

	KUNIT_EXPECT_EQ_MSG(test, s[0], g[0] | SIMGPU_MI_USE_GGTT,
			    "header of the batch start to %#llx", target);
	if (ptr < sc->batch_gm || (ptr - sc->batch_gm) % 4 ||
	    (ptr - sc->batch_gm) / 4 >= sc->batch_len) {
		KUNIT_FAIL(test, "batch start to %#llx points at %#llx, outside the shadow",
			   target, ptr);
		return;
	}
	t_check_segment(env, (ptr - sc->batch_gm) / 4, target, ggtt, depth + 1);
}

/* Shadow batch dwords from off hold the guest's batch at addr, up to its end. */
static void t_check_segment(struct t_scan_env *env, u32 off, u64 addr, bool ggtt,
			    unsigned int depth)
{
	struct kunit *test = env->test;
	struct mvgpu_scan *sc = env->sc;
	u32 g[T_CMD_DW], len, i;

	if (depth > T_MAX_DEPTH) {
		KUNIT_FAIL(test, "batches nest deeper than any case does");
		return;
	}
	for (;;) {
		for (i = 0, len = 1; i < len; i++) {
			if (!t_peek(env, addr + 4 * i, ggtt, &g[i])) {
				KUNIT_FAIL(test, "no guest memory at %#llx", addr + 4 * i);
				return;
			}
			if (!i)
				len = min(t_len(g[0]), (u32)T_CMD_DW);
		}
		if (off + len > sc->batch_len) {
			KUNIT_FAIL(test, "copy of %#llx runs past the %u shadow dwords", addr,
				   sc->batch_len);
			return;
		}
		for (i = 0; i < len; i++) {
			if (env->covered[off + i]++) {
				KUNIT_FAIL(test, "shadow dword %u is a copy of two guest dwords",
					   off + i);
				return;
			}
		}
		if (t_is_mi(g[0], SIMGPU_MI_BATCH_BUFFER_START))
			t_check_bb(env, g, &sc->batch[off], depth);
		else
			KUNIT_EXPECT_MEMEQ_MSG(test, &sc->batch[off], g, 4 * len,
					       "shadow dword %u, guest %#llx", off, addr);
		off += len;
		addr += 4 * len;
		/* a segment ends at its end or at a chain */
		if (t_is_mi(g[0], SIMGPU_MI_BATCH_BUFFER_END) ||
		    (t_is_mi(g[0], SIMGPU_MI_BATCH_BUFFER_START) && !(g[0] & T_L2)))
			return;
	}
}

/* An accepted workload: the shadow ring and batches are right. */
static void t_check_shadow(struct t_scan_env *env)
{
	struct kunit *test = env->test;
	struct mvgpu_scan *sc = env->sc;
	u32 i, len, uncovered = 0;

	KUNIT_ASSERT_EQ(test, sc->ring_len, env->n);
	memset(env->covered, 0, sc->batch_max);
	for (i = 0; i < env->n; i += len) {
		len = t_len(env->guest[i]);
		KUNIT_ASSERT_LE(test, i + len, env->n);
		if (t_is_mi(env->guest[i], SIMGPU_MI_BATCH_BUFFER_START))
			t_check_bb(env, &env->guest[i], &sc->ring[i], 0);
		else
			KUNIT_EXPECT_MEMEQ_MSG(test, &sc->ring[i], &env->guest[i], 4 * len,
					       "ring dword %u", i);
	}
	KUNIT_ASSERT_LE(test, sc->batch_len, sc->batch_max);
	for (i = 0; i < sc->batch_len; i++)
		uncovered += !env->covered[i];
	KUNIT_EXPECT_EQ_MSG(test, uncovered, 0, "shadow batch dwords that copy nothing");
	/* every guest batch dword was read once: no second fetch */
	KUNIT_EXPECT_EQ(test, env->reads, (u64)sc->batch_len);
}

static void t_scan_once(struct t_scan_env *env, const struct t_scan_case *c, bool in_place)
{
	struct kunit *test = env->test;
	struct mvgpu_scan *sc = env->sc;
	const u32 *cmds = env->guest;
	int ret;

	memset(sc->ring, 0xa5, 4 * sc->ring_max);
	memset(sc->batch, 0xa5, 4 * sc->batch_max);
	env->reads = 0;
	if (in_place) {
		memcpy(sc->ring, env->guest, 4 * env->n);
		cmds = sc->ring;
	}
	ret = mvgpu_scan_workload(sc, cmds, env->n);
	if (c->reason) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_STREQ(test, sc->reason ? sc->reason : "(none)", c->reason);
		KUNIT_EXPECT_EQ(test, sc->bad_offset, c->bad);
	} else {
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_NULL_MSG(test, sc->reason, "refused: %s at %#llx", sc->reason,
				      sc->bad_offset);
		if (!ret)
			t_check_shadow(env);
	}
	if (!in_place)
		KUNIT_EXPECT_MEMEQ_MSG(test, env->guest, env->guest_copy, 4 * env->n,
				       "the guest's ring changed");
}

/* Each case from a separate buffer, and in place in sc->ring as submission does. */
static void mvgpu_scan_stream(struct kunit *test)
{
	const struct t_scan_case *c = test->param_value;
	struct t_scan_env *env = t_scan_env_new(test, c);

	t_scan_once(env, c, false);
	if (env->n <= env->sc->ring_max)
		t_scan_once(env, c, true);
}

/* Nothing of a workload refused in its second batch is left for the next one. */
static void mvgpu_scan_reuse(struct kunit *test)
{
	static const struct t_scan_case bad = {
		"refused in the second batch",
		.ring = { { T_BB, .addr = T_BB0 }, { T_BB, .addr = T_BB1 } },
		.bb = { { T_BB0, .cmd = { { T_SDI, .addr = T_LOW }, { T_BBE } } },
			{ T_BB1, .cmd = { { T_NOOP }, { T_SDI, .addr = T_HOST }, { T_BBE } } } },
		.reason = T_OUT, .bad = T_BB1 + 4,
	};
	static const struct t_scan_case good = {
		"the first batch alone",
		.ring = { { T_NOOP }, { T_BB, .addr = T_BB0 } },
	};
	struct t_scan_env *env = t_scan_env_new(test, &bad);

	t_scan_once(env, &bad, false);
	KUNIT_EXPECT_EQ(test, env->sc->nr_segments, 2U);
	KUNIT_EXPECT_EQ(test, env->sc->batch_len, 5U);
	/* the same scanner state and guest memory, another ring */
	t_scan_load(env, &good);
	t_scan_once(env, &good, false);
	KUNIT_EXPECT_EQ(test, env->sc->nr_segments, 1U);
	KUNIT_EXPECT_EQ(test, env->sc->batch_len, 5U);
	KUNIT_EXPECT_EQ(test, env->sc->ring_len, 4U);
}

/* ---- the scheduling policy ---- */

#define T_MS		NSEC_PER_MSEC
#define T_SLICE		(1 * T_MS)
#define T_PERIOD	(100 * T_MS)
#define T_T0		(5 * NSEC_PER_SEC + 123)	/* the fake clock's start */
#define T_MAX_ENTS	8
#define T_MAX_PERIODS	400
#define T_NONE		(~0ULL)

struct t_ent {
	struct mvgpu_sched_entity e;
	char name;
	u64 job_ns;	/* a run also ends when a job of this size ends (0: none) */
	u64 job_left;
	u64 used;	/* engine time it got */
	u64 mark;	/* used at the start of a measurement */
	u64 *period;	/* engine time per period, by when it was picked */
	u32 short_budgets;
	bool removed;
};

struct t_sim {
	struct kunit *test;
	struct mvgpu_sched s;
	struct t_ent ent[T_MAX_ENTS];
	unsigned int n;
	u64 now;
	u64 idle;		/* engine time nobody was picked for */
	u64 last_period;	/* of the last pick, T_NONE before the first */
	u32 share_checks;	/* period rolls whose shares were checked */
};

static u64 t_period_of(u64 now)
{
	return div64_u64(now - T_T0, T_PERIOD);
}

static u64 t_cap_ns(const struct t_ent *t)
{
	return div_u64(T_PERIOD * t->e.cap, 100);
}

static struct t_sim *t_sim_new(struct kunit *test, unsigned int n, const u32 *weights)
{
	struct t_sim *sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sim);
	KUNIT_ASSERT_LE(test, n, T_MAX_ENTS);
	sim->test = test;
	sim->n = n;
	sim->now = T_T0;
	sim->last_period = T_NONE;
	mvgpu_sched_init(&sim->s, T_SLICE, T_PERIOD, T_T0);
	for (i = 0; i < n; i++) {
		sim->ent[i].name = 'A' + i;
		sim->ent[i].period = kunit_kcalloc(test, T_MAX_PERIODS, sizeof(u64), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, sim->ent[i].period);
		mvgpu_sched_add(&sim->s, &sim->ent[i].e, weights[i]);
		KUNIT_ASSERT_EQ(test, sim->ent[i].e.weight, weights[i]);
	}
	return sim;
}

static void t_busy(struct t_sim *sim, unsigned int i, bool busy)
{
	mvgpu_sched_set_busy(&sim->s, &sim->ent[i].e, busy);
}

static void t_all_busy(struct t_sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->n; i++)
		t_busy(sim, i, true);
}

/* Shares reported at a roll into period k: those of period k - 1 */
static void t_check_roll(struct t_sim *sim, u64 k)
{
	struct kunit *test = sim->test;
	u64 j = sim->last_period, total = 0, want;
	struct t_ent *t;
	unsigned int i;

	for (i = 0; i < sim->n; i++)
		if (!sim->ent[i].removed && k == j + 1)
			total += sim->ent[i].period[j];
	for (i = 0; i < sim->n; i++) {
		t = &sim->ent[i];
		if (t->removed)
			continue;
		want = total ? div64_u64(t->period[j] * 1000, total) : 0;
		KUNIT_ASSERT_LE_MSG(test, abs_diff((u64)t->e.share_permille, want), 1ULL,
				    "%c: share %u permille of period %llu, expected %llu",
				    t->name, t->e.share_permille, k - 1, want);
	}
	sim->share_checks++;
}

static struct t_ent *t_pick(struct t_sim *sim)
{
	struct kunit *test = sim->test;
	struct mvgpu_sched_entity *e = mvgpu_sched_pick(&sim->s, sim->now);
	u64 k = t_period_of(sim->now);

	KUNIT_ASSERT_LT(test, k, (u64)T_MAX_PERIODS);
	if (sim->last_period != T_NONE && k != sim->last_period)
		t_check_roll(sim, k);
	sim->last_period = k;
	return e ? container_of(e, struct t_ent, e) : NULL;
}

/* Nobody picked: every vGPU with work must have used its cap. */
static void t_sim_idle(struct t_sim *sim, u64 end)
{
	struct kunit *test = sim->test;
	u64 k = t_period_of(sim->now), next = mvgpu_sched_next_period(&sim->s);
	struct t_ent *t;
	unsigned int i;

	for (i = 0; i < sim->n; i++) {
		t = &sim->ent[i];
		if (t->removed || !t->e.busy)
			continue;
		KUNIT_ASSERT_NE_MSG(test, t->e.cap, 0U, "%c has work, no cap, and waits", t->name);
		KUNIT_ASSERT_GE_MSG(test, t->period[k], t_cap_ns(t),
				    "%c has work, is below its cap and waits", t->name);
	}
	KUNIT_ASSERT_EQ_MSG(test, next, T_T0 + (k + 1) * T_PERIOD,
			    "periods are not aligned to the start");
	next = min(next, end);
	sim->idle += next - sim->now;
	sim->now = next;
}

/* Run the engine for ns: pick, run for the budget or to a job's end, charge. */
static void t_sim_run(struct t_sim *sim, u64 ns)
{
	struct kunit *test = sim->test;
	u64 end = sim->now + ns, budget, run, k;
	struct t_ent *t;

	while (sim->now < end) {
		t = t_pick(sim);
		if (!t) {
			t_sim_idle(sim, end);
			continue;
		}
		KUNIT_ASSERT_FALSE_MSG(test, t->removed, "%c was removed", t->name);
		KUNIT_ASSERT_TRUE_MSG(test, t->e.busy, "%c has no work", t->name);
		k = t_period_of(sim->now);
		budget = mvgpu_sched_budget(&sim->s, &t->e);
		KUNIT_ASSERT_GT(test, budget, 0ULL);
		KUNIT_ASSERT_LE(test, budget, (u64)T_SLICE);
		if (t->e.cap) {
			KUNIT_ASSERT_LT_MSG(test, t->period[k], t_cap_ns(t),
					    "%c picked over its cap", t->name);
			KUNIT_ASSERT_LE_MSG(test, budget, t_cap_ns(t) - t->period[k],
					    "%c's budget is more than its cap leaves", t->name);
		}
		if (budget < T_SLICE)
			t->short_budgets++;
		run = budget;
		if (t->job_ns) {
			if (!t->job_left)
				t->job_left = t->job_ns;
			run = min(run, t->job_left);
			t->job_left -= run;
		}
		mvgpu_sched_charge(&sim->s, &t->e, run);
		t->used += run;
		t->period[k] += run;
		sim->now += run;
	}
}

static void t_mark(struct t_sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->n; i++)
		sim->ent[i].mark = sim->ent[i].used;
	sim->idle = 0;
}

static u64 t_since_mark(const struct t_sim *sim)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < sim->n; i++)
		total += sim->ent[i].used - sim->ent[i].mark;
	return total;
}

/* Its share of the engine time since the mark is num/den, within tol permille. */
static void t_expect_share(struct t_sim *sim, unsigned int i, u64 num, u64 den, u64 tol)
{
	const struct t_ent *t = &sim->ent[i];
	u64 total = t_since_mark(sim), used = t->used - t->mark;
	u64 error = abs_diff(used * den * 1000, num * total * 1000), allowed = tol * total * den;

	KUNIT_EXPECT_LE_MSG(sim->test, error, allowed,
			    "%c: %llu of %llu ns (%llu permille), expected %llu/%llu within %llu permille",
			    t->name, used, total, total ? div64_u64(used * 1000, total) : 0,
			    num, den, tol);
}

static void mvgpu_sched_weights(struct kunit *test)
{
	static const u32 w[] = { 2, 4, 8 };
	struct t_sim *sim = t_sim_new(test, 3, w);
	unsigned int i;

	t_all_busy(sim);
	t_mark(sim);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	for (i = 0; i < 3; i++) {
		t_expect_share(sim, i, w[i], 14, 10);
		KUNIT_EXPECT_EQ(test, sim->ent[i].e.used_ns, sim->ent[i].used);
	}
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);
	KUNIT_EXPECT_EQ(test, t_since_mark(sim), 10 * NSEC_PER_SEC);
	KUNIT_EXPECT_GE(test, sim->share_checks, 99U);
}

static void mvgpu_sched_equal(struct kunit *test)
{
	static const u32 w[T_MAX_ENTS] = { 4, 4, 4, 4, 4, 4, 4, 4 };
	struct t_sim *sim = t_sim_new(test, T_MAX_ENTS, w);
	unsigned int i;

	t_all_busy(sim);
	t_mark(sim);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	for (i = 0; i < T_MAX_ENTS; i++)
		t_expect_share(sim, i, 1, T_MAX_ENTS, 10);
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);
}

/*
 * An idle vGPU takes nothing from the busy ones, and when it gets work
 * after a long idle it gets its fair share, not a burst.
 */
static void mvgpu_sched_idle(struct kunit *test)
{
	static const u32 w[] = { 2, 4, 8 };
	struct t_sim *sim = t_sim_new(test, 3, w);

	t_busy(sim, 0, true);
	t_busy(sim, 1, true);
	t_mark(sim);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	t_expect_share(sim, 0, 1, 3, 10);
	t_expect_share(sim, 1, 2, 3, 10);
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);
	KUNIT_EXPECT_EQ(test, sim->ent[2].used, 0ULL);
	KUNIT_EXPECT_EQ(test, sim->ent[2].e.share_permille, 0U);

	t_busy(sim, 2, true);
	t_mark(sim);
	t_sim_run(sim, T_PERIOD);
	t_expect_share(sim, 2, 8, 14, 20);
	t_mark(sim);
	t_sim_run(sim, 5 * NSEC_PER_SEC);
	t_expect_share(sim, 0, 2, 14, 10);
	t_expect_share(sim, 1, 4, 14, 10);
	t_expect_share(sim, 2, 8, 14, 10);
}

/*
 * Idling earns no credit either when nobody else had work at the time:
 * A runs alone, pauses, B gets work in the pause, A gets work again. From
 * then on they share the engine.
 */
static void mvgpu_sched_idle_engine(struct kunit *test)
{
	static const u32 w[] = { 4, 4 };
	struct t_sim *sim = t_sim_new(test, 2, w);

	t_busy(sim, 0, true);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	t_busy(sim, 0, false);
	t_busy(sim, 1, true);
	t_busy(sim, 0, true);
	t_mark(sim);
	t_sim_run(sim, T_PERIOD);
	t_expect_share(sim, 0, 1, 2, 20);
	t_expect_share(sim, 1, 1, 2, 20);
}

/* A capped vGPU gets its cap per period, no more, while the others are busy. */
static void mvgpu_sched_cap(struct kunit *test)
{
	static const u32 w[] = { 2, 4, 8 };
	struct t_sim *sim = t_sim_new(test, 3, w);
	struct t_ent *c = &sim->ent[2];
	u64 k, k0;

	c->e.cap = 25;
	t_all_busy(sim);
	t_mark(sim);
	k0 = t_period_of(sim->now);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	for (k = k0; k < t_period_of(sim->now); k++) {
		KUNIT_EXPECT_LE_MSG(test, c->period[k], 25 * T_MS, "period %llu", k);
		KUNIT_EXPECT_GE_MSG(test, c->period[k], 25 * T_MS - T_SLICE, "period %llu", k);
	}
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);
	t_expect_share(sim, 0, 1, 4, 10);
	t_expect_share(sim, 1, 2, 4, 10);
	t_expect_share(sim, 2, 1, 4, 10);
}

/* Alone, a capped vGPU leaves the engine idle until the next period. */
static void mvgpu_sched_cap_alone(struct kunit *test)
{
	static const u32 w[] = { 8 };
	struct t_sim *sim = t_sim_new(test, 1, w);
	struct t_ent *a = &sim->ent[0];
	u64 k;

	a->e.cap = 25;
	t_busy(sim, 0, true);
	t_sim_run(sim, 25 * T_MS);
	KUNIT_EXPECT_EQ(test, a->used, 25 * T_MS);
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&sim->s, sim->now));
	KUNIT_EXPECT_EQ(test, mvgpu_sched_next_period(&sim->s), T_T0 + T_PERIOD);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&sim->s, T_T0 + T_PERIOD - 1));
	KUNIT_EXPECT_PTR_EQ(test, mvgpu_sched_pick(&sim->s, T_T0 + T_PERIOD), &a->e);
	KUNIT_EXPECT_EQ(test, mvgpu_sched_budget(&sim->s, &a->e), (u64)T_SLICE);

	sim->now = T_T0 + T_PERIOD;
	t_mark(sim);
	t_sim_run(sim, NSEC_PER_SEC);
	for (k = 1; k < t_period_of(sim->now); k++)
		KUNIT_EXPECT_EQ_MSG(test, a->period[k], 25 * T_MS, "period %llu", k);
	KUNIT_EXPECT_EQ(test, sim->idle, 750 * T_MS);
	KUNIT_EXPECT_EQ(test, a->e.share_permille, 1000U);
}

/*
 * Runs that end early (jobs of 0.7 and 0.3 ms): a budget never exceeds
 * what the cap leaves (checked in t_sim_run), and the cap holds.
 */
static void mvgpu_sched_cap_budget(struct kunit *test)
{
	static const u32 w[] = { 4, 4 };
	struct t_sim *sim = t_sim_new(test, 2, w);
	struct t_ent *a = &sim->ent[0];
	u64 k;

	a->e.cap = 33;
	a->job_ns = 700 * NSEC_PER_USEC;
	sim->ent[1].job_ns = 300 * NSEC_PER_USEC;
	t_all_busy(sim);
	t_sim_run(sim, 5 * NSEC_PER_SEC);
	KUNIT_EXPECT_GT(test, a->short_budgets, 0U);
	for (k = 0; k < t_period_of(sim->now); k++) {
		KUNIT_EXPECT_LE_MSG(test, a->period[k], 33 * T_MS, "period %llu", k);
		KUNIT_EXPECT_GE_MSG(test, a->period[k], 33 * T_MS - T_SLICE, "period %llu", k);
	}
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);
}

/* Lifting a cap gives the vGPU its weight's share, not the time it was held back. */
static void mvgpu_sched_cap_lifted(struct kunit *test)
{
	static const u32 w[] = { 2, 4, 8 };
	struct t_sim *sim = t_sim_new(test, 3, w);

	sim->ent[2].e.cap = 25;
	t_all_busy(sim);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	sim->ent[2].e.cap = 0;
	t_mark(sim);
	t_sim_run(sim, T_PERIOD);
	t_expect_share(sim, 2, 8, 14, 20);
}

/*
 * A vGPU that gets work while another is held back by its cap comes back
 * level with the vGPUs that run, not with the one held back.
 */
static void mvgpu_sched_cap_idle(struct kunit *test)
{
	static const u32 w[] = { 2, 4, 8 };
	struct t_sim *sim = t_sim_new(test, 3, w);

	sim->ent[2].e.cap = 25;
	t_busy(sim, 1, true);
	t_busy(sim, 2, true);
	t_sim_run(sim, 10 * NSEC_PER_SEC);
	t_busy(sim, 0, true);
	t_mark(sim);
	t_sim_run(sim, T_PERIOD);
	/* C takes its 25%, A and B split the rest 2:4 */
	t_expect_share(sim, 0, 1, 4, 20);
	t_expect_share(sim, 1, 2, 4, 20);
}

static void mvgpu_sched_weight_change(struct kunit *test)
{
	static const u32 w[] = { 2, 8 };
	struct t_sim *sim = t_sim_new(test, 2, w);
	struct mvgpu_sched_entity e = {};

	t_all_busy(sim);
	t_mark(sim);
	t_sim_run(sim, 2 * NSEC_PER_SEC);
	t_expect_share(sim, 0, 1, 5, 10);

	mvgpu_sched_set_weight(&sim->ent[0].e, 8);
	KUNIT_EXPECT_EQ(test, sim->ent[0].e.weight, 8U);
	t_sim_run(sim, NSEC_PER_SEC);
	t_mark(sim);
	t_sim_run(sim, 5 * NSEC_PER_SEC);
	t_expect_share(sim, 0, 1, 2, 10);

	mvgpu_sched_set_weight(&sim->ent[1].e, 2);
	t_sim_run(sim, NSEC_PER_SEC);
	t_mark(sim);
	t_sim_run(sim, 5 * NSEC_PER_SEC);
	t_expect_share(sim, 0, 4, 5, 10);

	/* weights are 1..MVGPU_MAX_WEIGHT */
	mvgpu_sched_set_weight(&sim->ent[0].e, 0);
	KUNIT_EXPECT_EQ(test, sim->ent[0].e.weight, 1U);
	mvgpu_sched_set_weight(&sim->ent[0].e, MVGPU_MAX_WEIGHT + 1);
	KUNIT_EXPECT_EQ(test, sim->ent[0].e.weight, (u32)MVGPU_MAX_WEIGHT);
	mvgpu_sched_add(&sim->s, &e, 0);
	KUNIT_EXPECT_EQ(test, e.weight, 1U);
	mvgpu_sched_remove(&sim->s, &e);
}

/* share_permille after each roll (also checked at every roll of t_sim_run) */
static void mvgpu_sched_shares(struct kunit *test)
{
	static const u32 w[] = { 1, 3 };
	struct t_sim *sim = t_sim_new(test, 2, w);
	struct mvgpu_sched_entity *a = &sim->ent[0].e, *b = &sim->ent[1].e;

	t_all_busy(sim);
	t_sim_run(sim, NSEC_PER_SEC);
	KUNIT_ASSERT_EQ(test, sim->now, T_T0 + 10 * T_PERIOD);
	/* the roll into period 10 reports period 9 */
	KUNIT_EXPECT_NOT_NULL(test, t_pick(sim));
	KUNIT_EXPECT_EQ(test, a->share_permille + b->share_permille, 1000U);
	KUNIT_EXPECT_LE(test, abs_diff(a->share_permille, 250U), 10U);

	/* period 10 has no work: reported as 0 at the roll into 11 */
	t_busy(sim, 0, false);
	t_busy(sim, 1, false);
	KUNIT_EXPECT_NULL(test, t_pick(sim));
	KUNIT_EXPECT_LE(test, abs_diff(a->share_permille, 250U), 10U);
	sim->now = T_T0 + 11 * T_PERIOD;
	KUNIT_EXPECT_NULL(test, t_pick(sim));
	KUNIT_EXPECT_EQ(test, a->share_permille, 0U);
	KUNIT_EXPECT_EQ(test, b->share_permille, 0U);

	/* A alone in periods 11 and 12, and for a slice of 13 */
	t_busy(sim, 0, true);
	t_sim_run(sim, 2 * T_PERIOD + T_SLICE);
	KUNIT_EXPECT_EQ(test, a->share_permille, 1000U);
	KUNIT_EXPECT_EQ(test, b->share_permille, 0U);

	/* no roll for more than a period: the last one had no work */
	t_busy(sim, 0, false);
	sim->now = T_T0 + 16 * T_PERIOD + T_PERIOD / 2;
	t_busy(sim, 0, true);
	KUNIT_EXPECT_PTR_EQ(test, t_pick(sim), &sim->ent[0]);
	KUNIT_EXPECT_EQ(test, a->share_permille, 0U);
	KUNIT_EXPECT_EQ(test, mvgpu_sched_next_period(&sim->s), T_T0 + 17 * T_PERIOD);
}

static void mvgpu_sched_remove_busy(struct kunit *test)
{
	static const u32 w[] = { 4, 4, 4 };
	struct t_sim *sim = t_sim_new(test, 3, w);
	struct t_ent *b = &sim->ent[1];
	u64 used;

	t_all_busy(sim);
	t_sim_run(sim, NSEC_PER_SEC);
	KUNIT_EXPECT_GT(test, b->used, 0ULL);
	mvgpu_sched_remove(&sim->s, &b->e);
	b->removed = true;
	used = b->e.used_ns;
	t_mark(sim);
	t_sim_run(sim, 2 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, b->e.used_ns, used);
	t_expect_share(sim, 0, 1, 2, 10);
	t_expect_share(sim, 2, 1, 2, 10);
	KUNIT_EXPECT_EQ(test, sim->idle, 0ULL);

	mvgpu_sched_remove(&sim->s, &sim->ent[0].e);
	mvgpu_sched_remove(&sim->s, &sim->ent[2].e);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&sim->s, sim->now));
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&sim->s, sim->now + 3 * T_PERIOD));
}

static void mvgpu_sched_empty(struct kunit *test)
{
	struct mvgpu_sched s;
	struct mvgpu_sched_entity e = {};

	mvgpu_sched_init(&s, T_SLICE, T_PERIOD, T_T0);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&s, T_T0));
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&s, T_T0 + 5 * T_PERIOD));
	KUNIT_EXPECT_EQ(test, mvgpu_sched_next_period(&s), T_T0 + 6 * T_PERIOD);
	mvgpu_sched_add(&s, &e, 4);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&s, T_T0 + 6 * T_PERIOD));
	mvgpu_sched_set_busy(&s, &e, true);
	KUNIT_EXPECT_PTR_EQ(test, mvgpu_sched_pick(&s, T_T0 + 6 * T_PERIOD), &e);
	KUNIT_EXPECT_EQ(test, mvgpu_sched_budget(&s, &e), (u64)T_SLICE);
	mvgpu_sched_set_busy(&s, &e, false);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&s, T_T0 + 6 * T_PERIOD));
	mvgpu_sched_set_busy(&s, &e, true);
	mvgpu_sched_remove(&s, &e);
	KUNIT_EXPECT_NULL(test, mvgpu_sched_pick(&s, T_T0 + 6 * T_PERIOD));
}

/* simgpu's decoder (simgpu_cmd.c), exported for KUnit */
const char *simgpu_decode(u32 header, u32 *len);

/*
 * The scanner and the engine agree on the command set: every header of
 * every client and opcode, at a length the command may have, is known to
 * both or to neither, with the same length.
 */
static void mvgpu_scan_matches_engine(struct kunit *test)
{
	u32 client, opcode, header, min_len, max_len, len, known = 0;

	for (client = 0; client < 8; client++) {
		for (opcode = 0; opcode < 128; opcode++) {
			header = client << 29 | opcode << (client == SIMGPU_CLIENT_BLT ? 22 : 23);
			if (client != SIMGPU_CLIENT_BLT && opcode >= 64)
				break;
			simgpu_cmd_lengths(header, &min_len, &max_len);
			if (max_len > 1)
				header |= min_len - 2;
			len = 0;
			KUNIT_EXPECT_EQ_MSG(test, mvgpu_scan_knows(header),
					    !!simgpu_decode(header, &len), "header %#x", header);
			if (!mvgpu_scan_knows(header))
				continue;
			KUNIT_EXPECT_EQ_MSG(test, len, simgpu_cmd_len(header), "header %#x",
					    header);
			KUNIT_EXPECT_GE_MSG(test, len, 1, "header %#x", header);
			known++;
		}
	}
	/* every command of include/uapi/mvgpu/simgpu.h */
	KUNIT_EXPECT_EQ(test, known, 11);
}

static struct kunit_case mvgpu_scan_cases[] = {
	KUNIT_CASE_PARAM(mvgpu_scan_stream, t_scan_gen_params),
	KUNIT_CASE(mvgpu_scan_reuse),
	KUNIT_CASE(mvgpu_scan_matches_engine),
	{}
};

static struct kunit_suite mvgpu_scan_suite = {
	.name = "mvgpu_scan",
	.test_cases = mvgpu_scan_cases,
};

static struct kunit_case mvgpu_sched_cases[] = {
	KUNIT_CASE(mvgpu_sched_weights),
	KUNIT_CASE(mvgpu_sched_equal),
	KUNIT_CASE(mvgpu_sched_idle),
	KUNIT_CASE(mvgpu_sched_idle_engine),
	KUNIT_CASE(mvgpu_sched_cap),
	KUNIT_CASE(mvgpu_sched_cap_alone),
	KUNIT_CASE(mvgpu_sched_cap_budget),
	KUNIT_CASE(mvgpu_sched_cap_lifted),
	KUNIT_CASE(mvgpu_sched_cap_idle),
	KUNIT_CASE(mvgpu_sched_weight_change),
	KUNIT_CASE(mvgpu_sched_shares),
	KUNIT_CASE(mvgpu_sched_remove_busy),
	KUNIT_CASE(mvgpu_sched_empty),
	{}
};

static struct kunit_suite mvgpu_sched_suite = {
	.name = "mvgpu_sched",
	.test_cases = mvgpu_sched_cases,
};

kunit_test_suites(&mvgpu_scan_suite, &mvgpu_sched_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for mvgpu's command scanner and scheduling policy");
