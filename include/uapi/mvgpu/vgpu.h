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
#define MVGPU_IRQ_ALL			0x7f

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
#define MVGPU_VERSION_MINOR		0

#define MVGPU_G2V_PING			1	/* answered with MVGPU_IRQ_G2V_ACK */

#endif /* _UAPI_MVGPU_VGPU_H */
