// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probe: the drm_edid API is complete, with drm_edid_connector_add_modes()
 * (since 6.3) beside drm_edid_read_custom() and drm_edid_connector_update().
 */
#include <drm/drm_connector.h>
#include <drm/drm_edid.h>

int mvgpu_probe(struct drm_connector *connector);
int mvgpu_probe(struct drm_connector *connector)
{
#ifndef MVGPU_PROBE_CONTROL
	return drm_edid_connector_add_modes(connector);
#else
	return 0;
#endif
}
