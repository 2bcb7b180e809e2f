/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * The vGPU's guest-visible interface: BAR layout, MMIO registers and the
 * PVINFO page through which a guest learns its share of the GPU.
 * Documentation/vgpu.rst is the specification.
 */
#ifndef _UAPI_MVGPU_VGPU_H
#define _UAPI_MVGPU_VGPU_H

#include <linux/const.h>
#include <linux/types.h>

/*
 * BAR0 (64-bit memory): MMIO registers in the first MVGPU_MMIO_SIZE bytes,
 * then the GTT: one 64-bit entry per 4 KiB page of GM.
 * BAR2 (64-bit prefetchable memory): the vGPU's slice of the aperture
 *	(its low GM), mappable.
 * BAR4 (I/O, 8 bytes): a 32-bit index register at 0 and a data register
 *	at 4 that reach BAR0's MMIO registers.
 */
#define MVGPU_MMIO_SIZE			_AC(0x800000, UL)	/* 8 MiB */
#define MVGPU_GTT_OFFSET		MVGPU_MMIO_SIZE
#define MVGPU_PIO_INDEX			0
#define MVGPU_PIO_DATA			4
#define MVGPU_PIO_SIZE			8

/* A GTT entry as the guest writes it: a guest physical page | valid. */
#define MVGPU_GTT_VALID			_BITULL(0)
#define MVGPU_GTT_ADDR_MASK		_AC(0x0000fffffffff000, ULL)

/* Interrupts: IIR (write 1 to clear), IMR (1 masks), IER (1 enables). */
#define MVGPU_REG_IIR			0x44000
#define MVGPU_REG_IMR			0x44004
#define MVGPU_REG_IER			0x44008
#define MVGPU_IRQ_RENDER_COMPLETE	_BITUL(0)
#define MVGPU_IRQ_COPY_COMPLETE		_BITUL(1)
#define MVGPU_IRQ_USER			_BITUL(2)
#define MVGPU_IRQ_FAULT			_BITUL(3)
#define MVGPU_IRQ_HANG			_BITUL(4)
#define MVGPU_IRQ_ERROR			_BITUL(5)
#define MVGPU_IRQ_G2V_ACK		_BITUL(6)	/* a notification was handled */
#define MVGPU_IRQ_VBLANK		_BITUL(7)	/* the pipe started a frame */
#define MVGPU_IRQ_FLIP_DONE		_BITUL(8)	/* an armed plane update took effect */
#define MVGPU_IRQ_HOTPLUG		_BITUL(9)	/* the connector or its EDID changed */
#define MVGPU_IRQ_ALL			0x3ff

/*
 * Submission, execlist style: one port per engine (SIMGPU_ENGINE_*). The
 * guest writes a context descriptor to SUBMIT (low dword, then the high
 * dword, which submits; or one 8-byte write). The workload is the ring
 * commands of that context image from its head to its tail. Progress is
 * reported in the engine's context status buffer (CSB): entry
 * (CSB_COUNT - 1) % MVGPU_CSB_ENTRIES is the newest.
 */
#define MVGPU_NUM_ENGINES		2	/* render and copy, SIMGPU_ENGINE_* */
#define MVGPU_ENGINE_BASE(e)		(0x2000 + 0x1000 * (e))
#define MVGPU_ENGINE_SUBMIT		0x00	/* u64 (two u32 halves), write only */
#define MVGPU_ENGINE_STATUS		0x08	/* u32 MVGPU_ENGINE_* */
#define MVGPU_ENGINE_PENDING		0x0c	/* u32 workloads queued or running */
#define MVGPU_ENGINE_CSB_COUNT		0x10	/* u32 CSB entries ever written */
#define MVGPU_ENGINE_CSB(n)		(0x100 + 8 * (n))	/* u32 event, u32 context id */
#define MVGPU_CSB_ENTRIES		32
#define MVGPU_MAX_PENDING		8	/* per engine */

#define MVGPU_ENGINE_BUSY		_BITUL(0)	/* workloads pending */
#define MVGPU_ENGINE_FAILSAFE		_BITUL(1)	/* the vGPU accepts no work */

/* A context descriptor: the GM address of a context image, and a tag. */
#define MVGPU_DESC_VALID		_BITULL(0)
#define MVGPU_DESC_ADDR_MASK		_AC(0x0000fffffffff000, ULL)
#define MVGPU_DESC_ID(d)		((__u32)((d) >> 48))	/* echoed in the CSB */

/* CSB events: bits 4:0; for errors, MVGPU_ERR_* in bits 15:8. */
#define MVGPU_CSB_SUBMITTED		_BITUL(0)	/* accepted and queued */
#define MVGPU_CSB_RUNNING		_BITUL(1)	/* first time on the engine */
#define MVGPU_CSB_PREEMPTED		_BITUL(2)	/* first time switched out */
#define MVGPU_CSB_COMPLETE		_BITUL(3)
#define MVGPU_CSB_ERROR			_BITUL(4)
#define MVGPU_CSB_ERR(ev)		(((ev) >> 8) & 0xff)

#define MVGPU_ERR_QUEUE_FULL		1	/* MVGPU_MAX_PENDING already pending */
#define MVGPU_ERR_CONTEXT		2	/* bad descriptor, image or ring */
#define MVGPU_ERR_SCAN			3	/* a command was refused (see stats) */
#define MVGPU_ERR_FAULT			4	/* an address did not translate */
#define MVGPU_ERR_HANG			5	/* the watchdog stopped it */
#define MVGPU_ERR_EXEC			6	/* the engine refused a command */
#define MVGPU_ERR_FAILSAFE		7	/* the vGPU is in failsafe mode */
#define MVGPU_ERR_RESOURCES		8	/* the host ran out of memory */

/*
 * A context image: one 4 KiB page of the vGPU's GM. The guest fills in
 * the ring and its GPRs; the vGPU restores the GPRs before the workload,
 * saves them after it, and writes back the head and the status.
 */
#define MVGPU_CTX_RING_START		0x00	/* u64 GM address, 4 KiB aligned */
#define MVGPU_CTX_RING_SIZE		0x08	/* u32 power of two, 4 KiB..2 MiB */
#define MVGPU_CTX_RING_HEAD		0x0c	/* u32 */
#define MVGPU_CTX_RING_TAIL		0x10	/* u32 */
#define MVGPU_CTX_FLAGS			0x14	/* u32 MVGPU_CTX_F_* */
#define MVGPU_CTX_PPGTT_ROOT		0x18	/* u64 guest physical address */
#define MVGPU_CTX_STATUS		0x20	/* u32 last CSB event, written back */
#define MVGPU_CTX_GPR(n)		(0x40 + 4 * (n))	/* n < SIMGPU_NUM_GPR */
#define MVGPU_CTX_F_PPGTT		_BITUL(0)	/* uses per-process page tables */

/* Limits of one workload */
#define MVGPU_MAX_RING_BYTES		_AC(0xf000, UL)	/* commands from the ring */
#define MVGPU_MAX_BATCH_BYTES		_AC(0x40000, UL)	/* all its batches */
#define MVGPU_MAX_BATCH_SEGMENTS	64	/* batches and chain links */
#define MVGPU_PPGTT_MAX_TABLES		64	/* page tables of a context, all levels */
#define MVGPU_PPGTT_MAX_PAGES		4096	/* pages those map */

/* Fence registers: 16 bytes each, programmed within the vGPU's GM. */
#define MVGPU_REG_FENCE(n)		(0x100000 + 16 * (n))
#define MVGPU_FENCE_START		0x0	/* u32 GM page number */
#define MVGPU_FENCE_END			0x4	/* u32 GM page number, exclusive */
#define MVGPU_FENCE_PITCH		0x8	/* u32 bytes */
#define MVGPU_FENCE_TILING		0xc	/* u32; writing it applies the fence */

/* PVINFO: read-only but for the notification register. */
#define MVGPU_PVINFO_PAGE		0x78000
#define MVGPU_PVINFO_MAGIC		0x00	/* u64 MVGPU_MAGIC */
#define MVGPU_PVINFO_VERSION		0x08	/* u16 major, u16 minor */
#define MVGPU_PVINFO_VGPU_ID		0x0c	/* u32 */
#define MVGPU_PVINFO_LOW_GM_BASE	0x10	/* u64 GM address of the aperture slice */
#define MVGPU_PVINFO_LOW_GM_SIZE	0x18	/* u64 */
#define MVGPU_PVINFO_HIGH_GM_BASE	0x20	/* u64 */
#define MVGPU_PVINFO_HIGH_GM_SIZE	0x28	/* u64 */
#define MVGPU_PVINFO_FENCE_BASE		0x30	/* u32 first physical fence */
#define MVGPU_PVINFO_FENCE_COUNT	0x34	/* u32 */
#define MVGPU_PVINFO_XRES		0x38	/* u32 display width */
#define MVGPU_PVINFO_YRES		0x3c	/* u32 display height */
#define MVGPU_PVINFO_GM_SIZE		0x40	/* u64 GM of the whole GPU */
#define MVGPU_PVINFO_G2V_NOTIFY		0x48	/* u32, write: MVGPU_G2V_* */
#define MVGPU_PVINFO_G2V_COUNT		0x4c	/* u32 notifications handled */

#define MVGPU_MAGIC			_AC(0x000000757067766d, ULL)	/* "mvgpu" */
#define MVGPU_VERSION_MAJOR		1
#define MVGPU_VERSION_MINOR		1	/* 1: the display engine */

#define MVGPU_G2V_PING			1	/* answered with MVGPU_IRQ_G2V_ACK */

/*
 * Display: one pipe, a primary plane and a 64x64 ARGB8888 cursor, one
 * connector with an EDID. Plane registers are double buffered: a write of
 * PLANE_SURF arms the plane's registers, which take effect at the next
 * vblank (at once while the pipe is off). GM addresses are the vGPU's own.
 */
#define MVGPU_DISP_PIPE_CONF		0x70000	/* MVGPU_PIPE_* */
#define MVGPU_DISP_PIPE_SRC		0x70004	/* width 15:0, height 31:16 */
#define MVGPU_DISP_FRAME		0x70008	/* vblanks since the pipe came on */
#define MVGPU_DISP_REFRESH		0x7000c	/* refresh rate, mHz */
#define MVGPU_DISP_HOTPLUG		0x70010	/* MVGPU_HOTPLUG_* */
#define MVGPU_DISP_EDID_SIZE		0x70014	/* bytes of EDID */
#define MVGPU_DISP_MAX_SRC		0x70018	/* largest mode: width 15:0, height 31:16 */
#define MVGPU_DISP_CUR_CTL		0x70080	/* MVGPU_PLANE_ENABLE */
#define MVGPU_DISP_CUR_BASE		0x70084	/* GM address, 4 KiB aligned */
#define MVGPU_DISP_CUR_POS		0x70088	/* x 15:0, y 31:16, signed */
#define MVGPU_DISP_CUR_HOT		0x7008c	/* hotspot x 15:0, y 31:16 */
#define MVGPU_DISP_PLANE_CTL		0x70180	/* MVGPU_PLANE_ENABLE | MVGPU_FMT_* */
#define MVGPU_DISP_PLANE_STRIDE		0x70184	/* bytes from one line to the next */
#define MVGPU_DISP_PLANE_SIZE		0x70188	/* width 15:0, height 31:16 */
#define MVGPU_DISP_PLANE_SURF		0x7018c	/* GM address, 4 KiB aligned; arms */
#define MVGPU_DISP_PLANE_SURFLIVE	0x70190	/* the surface scanned out */
#define MVGPU_DISP_EDID			0x71000	/* the EDID bytes */
#define MVGPU_DISP_EDID_MAX		1024

#define MVGPU_PIPE_ENABLE		_BITUL(31)
#define MVGPU_PIPE_ACTIVE		_BITUL(30)	/* read only: scanning out */
#define MVGPU_PLANE_ENABLE		_BITUL(31)
#define MVGPU_PLANE_FORMAT(ctl)		((ctl) & 0xf)
#define MVGPU_FMT_XRGB8888		1
#define MVGPU_FMT_ARGB8888		2
#define MVGPU_FMT_RGB565		3
#define MVGPU_HOTPLUG_CONNECTED		_BITUL(0)	/* read only */
#define MVGPU_HOTPLUG_CHANGED		_BITUL(1)	/* write 1 to clear */
#define MVGPU_CURSOR_SIZE		64
#define MVGPU_REFRESH_MHZ		60000

#define MVGPU_DISP_XY(x, y)		((__u32)(x) | (__u32)(y) << 16)

#endif /* _UAPI_MVGPU_VGPU_H */
