// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: the display engine of a vGPU. One pipe scans out a primary plane
 * and a 64x64 cursor at MVGPU_REFRESH_MHZ; one connector carries an EDID.
 * Plane registers are double buffered: writing PLANE_SURF arms them and
 * the next vblank makes them live (at once while the pipe is off). The
 * glue keeps time: it calls mvgpu_display_vblank() when the timer the
 * model asks for (ops->display_timer) expires, and the model reads the
 * clock through ops->now, so KUnit drives it with a fake clock.
 */
#include <drm/drm_fourcc.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <mvgpu/vgpu.h>

#include "mvgpu.h"

/* one frame at the refresh rate, 16.67 ms */
#define MVGPU_FRAME_NS	(1000000000000ULL / MVGPU_REFRESH_MHZ)

static u32 mvgpu_xy_x(u32 xy)
{
	return xy & 0xffff;
}

static u32 mvgpu_xy_y(u32 xy)
{
	return xy >> 16;
}

/* A mode the pipe can scan out: at least 64x64, at most the type's largest. */
static bool mvgpu_mode_ok(const struct mvgpu_vgpu *vgpu, u32 src)
{
	u32 w = mvgpu_xy_x(src), h = mvgpu_xy_y(src);

	return w >= MVGPU_CURSOR_SIZE && h >= MVGPU_CURSOR_SIZE &&
	       w <= vgpu->type->max_xres && h <= vgpu->type->max_yres;
}

/* Start or stop the pipe's frames to follow PIPE_CONF. */
static void mvgpu_pipe_update(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_display *disp = &vgpu->display;
	bool on = disp->pipe_conf & MVGPU_PIPE_ENABLE;

	if (on == disp->active)
		return;
	disp->active = on;
	disp->frame = 0;
	if (on) {
		disp->start_ns = vgpu->ops->now(vgpu);
		vgpu->ops->display_timer(vgpu, disp->start_ns + MVGPU_FRAME_NS);
	} else {
		vgpu->ops->display_timer(vgpu, 0);
	}
	/* an armed update waits for no vblank while the pipe is off */
	if (!on && disp->flip_armed) {
		disp->live = disp->plane;
		disp->flip_armed = false;
	}
}

/**
 * mvgpu_display_vblank() - the display timer expired
 * @vgpu: the vGPU
 *
 * Counts the frames that began since the last call, makes an armed plane
 * update live and raises VBLANK (and FLIP_DONE for the update), then asks
 * for the timer again at the next frame.
 */
void mvgpu_display_vblank(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_display *disp = &vgpu->display;
	u32 bits = MVGPU_IRQ_VBLANK;
	u64 now, frames;

	if (!disp->active)
		return;
	now = vgpu->ops->now(vgpu);
	frames = div64_u64(now - disp->start_ns, MVGPU_FRAME_NS);
	if (frames > disp->frame) {
		disp->vblanks += frames - disp->frame;
		disp->frame = frames;
		if (disp->flip_armed) {
			disp->live = disp->plane;
			disp->flip_armed = false;
			bits |= MVGPU_IRQ_FLIP_DONE;
		}
		mvgpu_raise(vgpu, bits);
	}
	vgpu->ops->display_timer(vgpu, disp->start_ns + (disp->frame + 1) * MVGPU_FRAME_NS);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_vblank);

static bool mvgpu_edid_read(struct mvgpu_display *disp, u32 off, u32 *val)
{
	u32 i = off - MVGPU_DISP_EDID, b;

	*val = 0;
	for (b = 0; b < 4; b++)
		if (i + b < disp->edid_size)
			*val |= (u32)disp->edid[i + b] << (8 * b);
	return true;
}

/**
 * mvgpu_display_reg_read() - read a display register
 * @vgpu: the vGPU
 * @off: its offset, in [MVGPU_DISP_PIPE_CONF, MVGPU_DISP_EDID + MVGPU_DISP_EDID_MAX)
 * @val: its value
 *
 * Return: false for an unimplemented register.
 */
bool mvgpu_display_reg_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val)
{
	struct mvgpu_display *disp = &vgpu->display;

	if (off >= MVGPU_DISP_EDID)
		return mvgpu_edid_read(disp, off, val);
	switch (off) {
	case MVGPU_DISP_PIPE_CONF:
		*val = disp->pipe_conf | (disp->active ? MVGPU_PIPE_ACTIVE : 0);
		return true;
	case MVGPU_DISP_PIPE_SRC:
		*val = disp->pipe_src;
		return true;
	case MVGPU_DISP_FRAME:
		*val = disp->frame;
		return true;
	case MVGPU_DISP_REFRESH:
		*val = MVGPU_REFRESH_MHZ;
		return true;
	case MVGPU_DISP_HOTPLUG:
		*val = disp->hotplug;
		return true;
	case MVGPU_DISP_EDID_SIZE:
		*val = disp->edid_size;
		return true;
	case MVGPU_DISP_MAX_SRC:
		*val = MVGPU_DISP_XY(vgpu->type->max_xres, vgpu->type->max_yres);
		return true;
	case MVGPU_DISP_CUR_CTL:
		*val = disp->cur_ctl;
		return true;
	case MVGPU_DISP_CUR_BASE:
		*val = disp->cur_base;
		return true;
	case MVGPU_DISP_CUR_POS:
		*val = disp->cur_pos;
		return true;
	case MVGPU_DISP_CUR_HOT:
		*val = disp->cur_hot;
		return true;
	case MVGPU_DISP_PLANE_CTL:
		*val = disp->plane.ctl;
		return true;
	case MVGPU_DISP_PLANE_STRIDE:
		*val = disp->plane.stride;
		return true;
	case MVGPU_DISP_PLANE_SIZE:
		*val = disp->plane.size;
		return true;
	case MVGPU_DISP_PLANE_SURF:
		*val = disp->plane.surf;
		return true;
	case MVGPU_DISP_PLANE_SURFLIVE:
		*val = disp->live.surf;
		return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_reg_read);

/**
 * mvgpu_display_reg_write() - write a display register
 * @vgpu: the vGPU
 * @off: its offset, as for mvgpu_display_reg_read()
 * @val: the value
 *
 * Return: false for an unimplemented or read-only register, or a value
 * the register refuses (a mode the pipe cannot scan out); the register
 * then keeps its value.
 */
bool mvgpu_display_reg_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val)
{
	struct mvgpu_display *disp = &vgpu->display;

	switch (off) {
	case MVGPU_DISP_PIPE_CONF:
		disp->pipe_conf = val & MVGPU_PIPE_ENABLE;
		mvgpu_pipe_update(vgpu);
		return true;
	case MVGPU_DISP_PIPE_SRC:
		if (!mvgpu_mode_ok(vgpu, val))
			return false;
		disp->pipe_src = val;
		return true;
	case MVGPU_DISP_HOTPLUG:
		if (val & MVGPU_HOTPLUG_CHANGED)
			disp->hotplug &= ~MVGPU_HOTPLUG_CHANGED;
		return true;
	case MVGPU_DISP_CUR_CTL:
		disp->cur_ctl = val & MVGPU_PLANE_ENABLE;
		return true;
	case MVGPU_DISP_CUR_BASE:
		disp->cur_base = val & ~0xfffU;
		return true;
	case MVGPU_DISP_CUR_POS:
		disp->cur_pos = val;
		return true;
	case MVGPU_DISP_CUR_HOT:
		disp->cur_hot = val & MVGPU_DISP_XY(MVGPU_CURSOR_SIZE - 1, MVGPU_CURSOR_SIZE - 1);
		return true;
	case MVGPU_DISP_PLANE_CTL:
		disp->plane.ctl = val & (MVGPU_PLANE_ENABLE | 0xf);
		return true;
	case MVGPU_DISP_PLANE_STRIDE:
		disp->plane.stride = val;
		return true;
	case MVGPU_DISP_PLANE_SIZE:
		disp->plane.size = val;
		return true;
	case MVGPU_DISP_PLANE_SURF:
		disp->plane.surf = val & ~0xfffU;
		if (disp->active) {
			disp->flip_armed = true;
		} else {
			disp->live = disp->plane;
			disp->flip_armed = false;
		}
		return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_reg_write);

/* Bytes per pixel and DRM format of a plane format, or 0. */
static u32 mvgpu_format(u32 fmt, u32 *drm)
{
	switch (fmt) {
	case MVGPU_FMT_XRGB8888:
		*drm = DRM_FORMAT_XRGB8888;
		return 4;
	case MVGPU_FMT_ARGB8888:
		*drm = DRM_FORMAT_ARGB8888;
		return 4;
	case MVGPU_FMT_RGB565:
		*drm = DRM_FORMAT_RGB565;
		return 2;
	}
	return 0;
}

/*
 * Whether a surface of @stride x @height bytes at @gm, with lines of
 * @line bytes, lies in one of the vGPU's GM ranges, nothing overflowing.
 */
static bool mvgpu_surface_ok(const struct mvgpu_vgpu *vgpu, u64 gm, u32 stride, u32 line,
			     u32 height)
{
	u64 size;

	if (!height || !line || stride < line || stride % 4)
		return false;
	size = (u64)stride * (height - 1) + line;
	return mvgpu_gm_owned(vgpu, gm, gm + size);
}

static int mvgpu_primary(struct mvgpu_vgpu *vgpu, struct mvgpu_plane *p)
{
	const struct mvgpu_plane_regs *r = &vgpu->display.live;
	u32 cpp, w = mvgpu_xy_x(r->size), h = mvgpu_xy_y(r->size);

	if (!(r->ctl & MVGPU_PLANE_ENABLE))
		return -ENOENT;
	cpp = mvgpu_format(MVGPU_PLANE_FORMAT(r->ctl), &p->drm_format);
	if (!cpp || !w || !h || w > mvgpu_xy_x(vgpu->display.pipe_src) ||
	    h > mvgpu_xy_y(vgpu->display.pipe_src) ||
	    !mvgpu_surface_ok(vgpu, r->surf, r->stride, w * cpp, h))
		return -EINVAL;
	p->cpp = cpp;
	p->gm = r->surf;
	p->width = w;
	p->height = h;
	p->stride = r->stride;
	p->size = (u64)r->stride * h;
	p->x = 0;
	p->y = 0;
	p->hot_x = 0;
	p->hot_y = 0;
	return 0;
}

static int mvgpu_cursor(struct mvgpu_vgpu *vgpu, struct mvgpu_plane *p)
{
	const struct mvgpu_display *disp = &vgpu->display;
	u32 line = MVGPU_CURSOR_SIZE * 4;

	if (!(disp->cur_ctl & MVGPU_PLANE_ENABLE))
		return -ENOENT;
	if (!mvgpu_surface_ok(vgpu, disp->cur_base, line, line, MVGPU_CURSOR_SIZE))
		return -EINVAL;
	p->drm_format = DRM_FORMAT_ARGB8888;
	p->cpp = 4;
	p->gm = disp->cur_base;
	p->width = MVGPU_CURSOR_SIZE;
	p->height = MVGPU_CURSOR_SIZE;
	p->stride = line;
	p->size = line * MVGPU_CURSOR_SIZE;
	p->x = (s16)mvgpu_xy_x(disp->cur_pos);
	p->y = (s16)mvgpu_xy_y(disp->cur_pos);
	p->hot_x = mvgpu_xy_x(disp->cur_hot);
	p->hot_y = mvgpu_xy_y(disp->cur_hot);
	return 0;
}

/**
 * mvgpu_display_plane() - what a plane scans out, checked
 * @vgpu: the vGPU
 * @cursor: the cursor plane, or the primary plane
 * @p: filled in for an enabled, valid plane
 *
 * A plane is valid if its format is known, it fits the pipe's mode, its
 * stride holds a line and all of its surface lies in one of the vGPU's
 * own GM ranges. An invalid plane is counted in plane_errors.
 *
 * Return: 0; -ENOENT if the pipe or the plane is off; -EINVAL for an
 * invalid plane.
 */
int mvgpu_display_plane(struct mvgpu_vgpu *vgpu, bool cursor, struct mvgpu_plane *p)
{
	int ret;

	if (!vgpu->display.active)
		return -ENOENT;
	ret = cursor ? mvgpu_cursor(vgpu, p) : mvgpu_primary(vgpu, p);
	if (ret == -EINVAL)
		vgpu->display.plane_errors++;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_plane);

/**
 * mvgpu_display_set_edid() - the monitor changed: a new EDID or link state
 * @vgpu: the vGPU
 * @edid: the EDID, @size bytes, at most MVGPU_DISP_EDID_MAX
 * @size: its size; 0 keeps the current EDID
 * @connected: whether a monitor is connected
 *
 * Raises HOTPLUG, as plugging a monitor in or out would.
 */
void mvgpu_display_set_edid(struct mvgpu_vgpu *vgpu, const u8 *edid, u32 size, bool connected)
{
	struct mvgpu_display *disp = &vgpu->display;

	if (size) {
		memcpy(disp->edid, edid, size);
		disp->edid_size = size;
	}
	disp->hotplug = MVGPU_HOTPLUG_CHANGED | (connected ? MVGPU_HOTPLUG_CONNECTED : 0);
	mvgpu_raise(vgpu, MVGPU_IRQ_HOTPLUG);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_set_edid);

/**
 * mvgpu_display_monitor_reset() - the monitor a new user starts with
 * @vgpu: the vGPU
 *
 * Connected, with the default EDID of the vGPU's type; no interrupt.
 */
void mvgpu_display_monitor_reset(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_display *disp = &vgpu->display;
	const struct mvgpu_type_res *t = vgpu->type;

	mvgpu_edid_build(disp->edid, t->xres, t->yres, t->max_xres, t->max_yres);
	disp->edid_size = MVGPU_EDID_BLOCK;
	disp->hotplug = MVGPU_HOTPLUG_CONNECTED;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_monitor_reset);

/**
 * mvgpu_display_reset() - the display engine at power-on
 * @vgpu: the vGPU
 *
 * The pipe is off in the type's mode, the planes are off; the monitor
 * (EDID, connection) is not part of the device and stays.
 */
void mvgpu_display_reset(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_display *disp = &vgpu->display;

	disp->pipe_conf = 0;
	mvgpu_pipe_update(vgpu);
	disp->pipe_src = MVGPU_DISP_XY(vgpu->type->xres, vgpu->type->yres);
	memset(&disp->plane, 0, sizeof(disp->plane));
	memset(&disp->live, 0, sizeof(disp->live));
	disp->flip_armed = false;
	disp->cur_ctl = 0;
	disp->cur_base = 0;
	disp->cur_pos = 0;
	disp->cur_hot = 0;
	disp->hotplug &= ~MVGPU_HOTPLUG_CHANGED;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_display_reset);
