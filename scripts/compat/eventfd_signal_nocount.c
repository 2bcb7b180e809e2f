// SPDX-License-Identifier: GPL-2.0-only
/* Probe: eventfd_signal() takes only the context (since 6.8). */
#include <linux/eventfd.h>

void mvgpu_probe(struct eventfd_ctx *ctx);
void mvgpu_probe(struct eventfd_ctx *ctx)
{
#ifndef MVGPU_PROBE_CONTROL
	eventfd_signal(ctx);
#endif
}
