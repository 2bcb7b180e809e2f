// SPDX-License-Identifier: GPL-2.0-only
/* Probe: vfio_device_ops has the iommufd callbacks (since 6.2). */
#include <linux/vfio.h>

const struct vfio_device_ops mvgpu_probe_ops;
const struct vfio_device_ops mvgpu_probe_ops = {
#ifndef MVGPU_PROBE_CONTROL
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
#endif
	.name = "mvgpu-probe",
};
