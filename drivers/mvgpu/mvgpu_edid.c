// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the EDID of a vGPU's connector when no VMM supplies one. One
 * 128-byte EDID 1.4 block: the type's resolution as the preferred detailed
 * timing, its largest resolution as a second one, range limits and a
 * monitor name. Timings follow VESA CVT with reduced blanking at 60 Hz.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

/* CVT reduced blanking (v1): fixed horizontal blanking, minimum vblank */
#define CVT_RB_HBLANK		160
#define CVT_RB_HFRONT		48
#define CVT_RB_HSYNC		32
#define CVT_RB_VFRONT		3
#define CVT_RB_VBACK_MIN	6
#define CVT_RB_VBLANK_MIN_US	460
#define CVT_CLOCK_STEP_KHZ	250
#define MVGPU_EDID_HZ		60

/* "MVG" in the EDID's 5-bit letters (A is 1) */
#define MVGPU_EDID_VENDOR	((('M' - '@') << 10) | (('V' - '@') << 5) | ('G' - '@'))

/* The vertical sync width CVT gives each aspect ratio. */
static u32 mvgpu_cvt_vsync(u32 w, u32 h)
{
	if (w * 3 == h * 4)
		return 4;
	if (w * 9 == h * 16)
		return 5;
	if (w * 10 == h * 16)
		return 6;
	if (w * 4 == h * 5)
		return 7;
	return 10;
}

/**
 * mvgpu_cvt_rb() - the CVT reduced-blanking timing of a mode at 60 Hz
 * @w: width in pixels, a multiple of 8
 * @h: height in lines
 * @t: filled in
 */
void mvgpu_cvt_rb(u32 w, u32 h, struct mvgpu_timing *t)
{
	/* the line period estimate, in ns, from the frame minus the vblank */
	u64 line_ns = div_u64(1000000000ULL / MVGPU_EDID_HZ - CVT_RB_VBLANK_MIN_US * 1000ULL, h);
	u32 vsync = mvgpu_cvt_vsync(w, h);
	u32 vblank = div64_u64(CVT_RB_VBLANK_MIN_US * 1000ULL, line_ns) + 1;
	u64 khz;

	vblank = max(vblank, CVT_RB_VFRONT + vsync + CVT_RB_VBACK_MIN);
	t->hactive = w;
	t->htotal = w + CVT_RB_HBLANK;
	t->hfront = CVT_RB_HFRONT;
	t->hsync = CVT_RB_HSYNC;
	t->vactive = h;
	t->vtotal = h + vblank;
	t->vfront = CVT_RB_VFRONT;
	t->vsync = vsync;
	khz = (u64)t->htotal * t->vtotal * MVGPU_EDID_HZ / 1000;
	t->clock_khz = rounddown(khz, CVT_CLOCK_STEP_KHZ);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_cvt_rb);

/* A detailed timing descriptor: 18 bytes. */
static void mvgpu_edid_dtd(u8 *d, const struct mvgpu_timing *t)
{
	u32 hblank = t->htotal - t->hactive, vblank = t->vtotal - t->vactive;
	/* the image size in mm at about 96 dots per inch */
	u32 wmm = t->hactive * 254 / 960, hmm = t->vactive * 254 / 960;

	d[0] = (t->clock_khz / 10) & 0xff;
	d[1] = (t->clock_khz / 10) >> 8;
	d[2] = t->hactive & 0xff;
	d[3] = hblank & 0xff;
	d[4] = (t->hactive >> 8) << 4 | hblank >> 8;
	d[5] = t->vactive & 0xff;
	d[6] = vblank & 0xff;
	d[7] = (t->vactive >> 8) << 4 | vblank >> 8;
	d[8] = t->hfront & 0xff;
	d[9] = t->hsync & 0xff;
	d[10] = (t->vfront & 0xf) << 4 | (t->vsync & 0xf);
	d[11] = (t->hfront >> 8) << 6 | (t->hsync >> 8) << 4 | (t->vfront >> 4) << 2 |
		t->vsync >> 4;
	d[12] = wmm & 0xff;
	d[13] = hmm & 0xff;
	d[14] = (wmm >> 8) << 4 | hmm >> 8;
	d[15] = 0;
	d[16] = 0;
	d[17] = 0x1a;	/* digital separate sync, hsync +, vsync - (CVT-RB) */
}

/* A display descriptor of @tag with text, or an empty one (tag 0x10). */
static void mvgpu_edid_text(u8 *d, u8 tag, const char *text)
{
	size_t n = strlen(text);

	memset(d, 0, 5);
	d[3] = tag;
	memset(d + 5, ' ', 13);
	memcpy(d + 5, text, min_t(size_t, n, 13));
	if (n < 13)
		d[5 + n] = '\n';
}

/**
 * mvgpu_edid_build() - the default EDID of a vGPU's connector
 * @edid: MVGPU_EDID_BLOCK bytes, filled in
 * @w: preferred width, a multiple of 8, at most 4095
 * @h: preferred height, at most 4095
 * @max_w: largest width, at least @w
 * @max_h: largest height, at least @h
 */
void mvgpu_edid_build(u8 *edid, u32 w, u32 h, u32 max_w, u32 max_h)
{
	static const u8 header[8] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
	/* sRGB primaries and white point, as EDID encodes them */
	static const u8 srgb[10] = { 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26, 0x0f, 0x50, 0x54 };
	struct mvgpu_timing pref, big;
	unsigned int i;
	u8 sum = 0;
	u8 *d;

	mvgpu_cvt_rb(w, h, &pref);
	mvgpu_cvt_rb(max_w, max_h, &big);
	memset(edid, 0, MVGPU_EDID_BLOCK);
	memcpy(edid, header, sizeof(header));
	edid[8] = MVGPU_EDID_VENDOR >> 8;
	edid[9] = MVGPU_EDID_VENDOR & 0xff;
	edid[10] = 0x01;		/* product code 1 */
	edid[17] = 2026 - 1990;		/* year of manufacture */
	edid[18] = 1;			/* EDID 1.4 */
	edid[19] = 4;
	edid[20] = 0xa0;		/* digital, 8 bits per colour */
	edid[21] = DIV_ROUND_UP(max_w * 254, 9600);	/* cm at 96 dpi */
	edid[22] = DIV_ROUND_UP(max_h * 254, 9600);
	edid[23] = 120;			/* gamma 2.2 */
	edid[24] = 0x06;		/* sRGB, the preferred timing is native */
	memcpy(edid + 25, srgb, sizeof(srgb));
	memset(edid + 38, 0x01, 16);	/* no standard timings */

	d = edid + 54;
	mvgpu_edid_dtd(d, &pref);
	d += 18;
	if (max_w != w || max_h != h)
		mvgpu_edid_dtd(d, &big);
	else
		mvgpu_edid_text(d, 0x10, "");
	d += 18;
	/* range limits: 50-75 Hz, the horizontal rates and clock both modes need */
	memset(d, 0, 18);
	d[3] = 0xfd;
	d[5] = 50;
	d[6] = 75;
	d[7] = 30;
	d[8] = DIV_ROUND_UP(big.clock_khz, big.htotal) + 1;
	d[9] = DIV_ROUND_UP(big.clock_khz, 10000);
	d[10] = 0x01;			/* range limits only */
	d[11] = '\n';
	memset(d + 12, ' ', 6);
	d += 18;
	mvgpu_edid_text(d, 0xfc, "mvgpu");

	for (i = 0; i < MVGPU_EDID_BLOCK - 1; i++)
		sum += edid[i];
	edid[MVGPU_EDID_BLOCK - 1] = -sum;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_edid_build);
