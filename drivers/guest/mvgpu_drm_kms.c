// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_drm: the display (Documentation/vgpu.rst, "Display"). One pipe
 * with its primary plane, as a simple display pipe; a connector whose
 * modes come from the EDID the vGPU gives through MMIO. Plane updates are
 * double buffered by the vGPU: a new surface takes effect at the next
 * vblank, which is when the commit's event goes out.
 */
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_simple_kms_helper.h>
#include <drm/drm_vblank.h>
#include <mvgpu/drm_compat.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_drm.h"

static const u32 mvgpu_formats[] = {
	DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_RGB565,
};

static u32 mvgpu_plane_format(u32 fourcc)
{
	switch (fourcc) {
	case DRM_FORMAT_ARGB8888:
		return MVGPU_FMT_ARGB8888;
	case DRM_FORMAT_RGB565:
		return MVGPU_FMT_RGB565;
	}
	return MVGPU_FMT_XRGB8888;
}

/* One EDID block from the vGPU's EDID registers. */
static int mvgpu_edid_block(void *data, u8 *buf, unsigned int block, size_t len)
{
	struct mvgpu_drm *m = data;
	size_t off = (size_t)block * EDID_LENGTH, i;

	if (off + len > mvgpu_rd(m, MVGPU_DISP_EDID_SIZE) || off + len > MVGPU_DISP_EDID_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		buf[i] = readb(m->mmio + MVGPU_DISP_EDID + off + i);
	return 0;
}

static int mvgpu_connector_get_modes(struct drm_connector *connector)
{
	struct mvgpu_drm *m = to_mvgpu_drm(connector->dev);

	return mvgpu_drm_edid_modes(connector, mvgpu_edid_block, m);
}

static enum drm_mode_status
mvgpu_connector_mode_valid(struct drm_connector *connector, struct drm_display_mode *mode)
{
	struct mvgpu_drm *m = to_mvgpu_drm(connector->dev);

	if (mode->hdisplay > m->max_w || mode->vdisplay > m->max_h)
		return MODE_BAD;
	return MODE_OK;
}

static int mvgpu_connector_detect(struct drm_connector *connector,
				  struct drm_modeset_acquire_ctx *ctx, bool force)
{
	struct mvgpu_drm *m = to_mvgpu_drm(connector->dev);

	return mvgpu_rd(m, MVGPU_DISP_HOTPLUG) & MVGPU_HOTPLUG_CONNECTED ?
	       connector_status_connected : connector_status_disconnected;
}

static const struct drm_connector_helper_funcs mvgpu_connector_helper_funcs = {
	.get_modes = mvgpu_connector_get_modes,
	.mode_valid = mvgpu_connector_mode_valid,
	.detect_ctx = mvgpu_connector_detect,
};

static const struct drm_connector_funcs mvgpu_connector_funcs = {
	.reset = drm_atomic_helper_connector_reset,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/* Point the primary plane at a framebuffer: armed until the next vblank. */
static void mvgpu_plane_show(struct mvgpu_drm *m, struct drm_framebuffer *fb)
{
	struct mvgpu_bo *bo = to_mvgpu_bo(fb->obj[0]);
	u64 gm;

	/* prepare_fb bound it, so this only reads where */
	if (mvgpu_bo_bind(bo, &gm))
		return;
	mvgpu_wr(m, MVGPU_DISP_PLANE_CTL,
		 MVGPU_PLANE_ENABLE | mvgpu_plane_format(fb->format->format));
	mvgpu_wr(m, MVGPU_DISP_PLANE_STRIDE, fb->pitches[0]);
	mvgpu_wr(m, MVGPU_DISP_PLANE_SIZE, MVGPU_DISP_XY(fb->width, fb->height));
	mvgpu_wr(m, MVGPU_DISP_PLANE_SURF, gm + fb->offsets[0]);
}

static void mvgpu_send_event(struct drm_crtc *crtc)
{
	struct drm_pending_vblank_event *event = crtc->state->event;

	if (!event)
		return;
	crtc->state->event = NULL;
	spin_lock_irq(&crtc->dev->event_lock);
	if (drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static enum drm_mode_status mvgpu_pipe_mode_valid(struct drm_simple_display_pipe *pipe,
						  const struct drm_display_mode *mode)
{
	struct mvgpu_drm *m = to_mvgpu_drm(pipe->crtc.dev);

	if (mode->hdisplay > m->max_w || mode->vdisplay > m->max_h)
		return MODE_BAD;
	return MODE_OK;
}

static int mvgpu_pipe_check(struct drm_simple_display_pipe *pipe,
			    struct drm_plane_state *plane_state,
			    struct drm_crtc_state *crtc_state)
{
	struct drm_framebuffer *fb = plane_state->fb;

	/* the plane scans the whole framebuffer from a page boundary */
	if (fb && (fb->offsets[0] % PAGE_SIZE || plane_state->src_x || plane_state->src_y))
		return -EINVAL;
	return 0;
}

static void mvgpu_pipe_enable(struct drm_simple_display_pipe *pipe,
			      struct drm_crtc_state *crtc_state,
			      struct drm_plane_state *plane_state)
{
	struct mvgpu_drm *m = to_mvgpu_drm(pipe->crtc.dev);
	struct drm_display_mode *mode = &crtc_state->mode;
	int idx;

	if (!drm_dev_enter(&m->drm, &idx))
		return;
	mvgpu_wr(m, MVGPU_DISP_PIPE_SRC, MVGPU_DISP_XY(mode->hdisplay, mode->vdisplay));
	/* with the pipe off, the plane takes the surface at once */
	if (plane_state->fb)
		mvgpu_plane_show(m, plane_state->fb);
	mvgpu_wr(m, MVGPU_DISP_PIPE_CONF, MVGPU_PIPE_ENABLE);
	drm_crtc_vblank_on(&pipe->crtc);
	drm_dev_exit(idx);
}

static void mvgpu_pipe_disable(struct drm_simple_display_pipe *pipe)
{
	struct mvgpu_drm *m = to_mvgpu_drm(pipe->crtc.dev);
	int idx;

	drm_crtc_vblank_off(&pipe->crtc);
	if (!drm_dev_enter(&m->drm, &idx))
		return;
	mvgpu_wr(m, MVGPU_DISP_PIPE_CONF, 0);
	mvgpu_wr(m, MVGPU_DISP_PLANE_CTL, 0);
	mvgpu_wr(m, MVGPU_DISP_PLANE_SURF, 0);
	drm_dev_exit(idx);
}

static void mvgpu_pipe_update(struct drm_simple_display_pipe *pipe,
			      struct drm_plane_state *old_state)
{
	struct mvgpu_drm *m = to_mvgpu_drm(pipe->crtc.dev);
	struct drm_plane_state *state = pipe->plane.state;
	int idx;

	if (drm_dev_enter(&m->drm, &idx)) {
		if (state->fb && state->fb != old_state->fb && state->crtc &&
		    state->crtc->state->active)
			mvgpu_plane_show(m, state->fb);
		drm_dev_exit(idx);
	}
	mvgpu_send_event(&pipe->crtc);
}

static int mvgpu_pipe_prepare_fb(struct drm_simple_display_pipe *pipe,
				 struct drm_plane_state *plane_state)
{
	u64 gm;

	if (!plane_state->fb)
		return 0;
	return mvgpu_bo_bind(to_mvgpu_bo(plane_state->fb->obj[0]), &gm);
}

static int mvgpu_pipe_enable_vblank(struct drm_simple_display_pipe *pipe)
{
	struct mvgpu_drm *m = to_mvgpu_drm(pipe->crtc.dev);

	mvgpu_wr(m, MVGPU_REG_IMR, mvgpu_rd(m, MVGPU_REG_IMR) & ~MVGPU_IRQ_VBLANK);
	return 0;
}

static void mvgpu_pipe_disable_vblank(struct drm_simple_display_pipe *pipe)
{
	struct mvgpu_drm *m = to_mvgpu_drm(pipe->crtc.dev);

	mvgpu_wr(m, MVGPU_REG_IMR, mvgpu_rd(m, MVGPU_REG_IMR) | MVGPU_IRQ_VBLANK);
}

static const struct drm_simple_display_pipe_funcs mvgpu_pipe_funcs = {
	.mode_valid = mvgpu_pipe_mode_valid,
	.check = mvgpu_pipe_check,
	.enable = mvgpu_pipe_enable,
	.disable = mvgpu_pipe_disable,
	.update = mvgpu_pipe_update,
	.prepare_fb = mvgpu_pipe_prepare_fb,
	.enable_vblank = mvgpu_pipe_enable_vblank,
	.disable_vblank = mvgpu_pipe_disable_vblank,
};

static const struct drm_mode_config_funcs mvgpu_mode_config_funcs = {
	.fb_create = drm_gem_fb_create,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
};

static void mvgpu_hotplug_work(struct work_struct *work)
{
	struct mvgpu_drm *m = container_of(work, struct mvgpu_drm, hotplug_work);

	drm_kms_helper_hotplug_event(&m->drm);
}

/**
 * mvgpu_kms_irq() - the display's interrupts
 * @m: the vGPU
 * @iir: the events, already cleared in IIR
 */
void mvgpu_kms_irq(struct mvgpu_drm *m, u32 iir)
{
	if (iir & MVGPU_IRQ_VBLANK)
		drm_crtc_handle_vblank(&m->pipe.crtc);
	if (iir & MVGPU_IRQ_HOTPLUG) {
		mvgpu_wr(m, MVGPU_DISP_HOTPLUG, MVGPU_HOTPLUG_CHANGED);
		schedule_work(&m->hotplug_work);
	}
}

/**
 * mvgpu_kms_init() - mode setting: the pipe, the connector, vblanks
 * @m: the vGPU, its registers mapped
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_kms_init(struct mvgpu_drm *m)
{
	struct drm_device *drm = &m->drm;
	u32 max = mvgpu_rd(m, MVGPU_DISP_MAX_SRC);
	int ret;

	m->max_w = max & 0xffff;
	m->max_h = max >> 16;
	INIT_WORK(&m->hotplug_work, mvgpu_hotplug_work);
	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = m->max_w;
	drm->mode_config.max_height = m->max_h;
	drm->mode_config.preferred_depth = 24;
	drm->mode_config.funcs = &mvgpu_mode_config_funcs;

	drm_connector_helper_add(&m->connector, &mvgpu_connector_helper_funcs);
	ret = drm_connector_init(drm, &m->connector, &mvgpu_connector_funcs,
				 DRM_MODE_CONNECTOR_VIRTUAL);
	if (ret)
		return ret;
	m->connector.polled = DRM_CONNECTOR_POLL_HPD;
	ret = drm_simple_display_pipe_init(drm, &m->pipe, &mvgpu_pipe_funcs, mvgpu_formats,
					   ARRAY_SIZE(mvgpu_formats), NULL, &m->connector);
	if (ret)
		return ret;
	ret = drm_vblank_init(drm, 1);
	if (ret)
		return ret;
	drm_mode_config_reset(drm);
	return 0;
}
