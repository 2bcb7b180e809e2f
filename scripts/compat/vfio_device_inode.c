// SPDX-License-Identifier: GPL-2.0-only
/* Probe: each VFIO device has an inode whose mapping its fds share (6.9). */
#include <linux/fs.h>
#include <linux/vfio.h>

struct address_space *mvgpu_probe(struct vfio_device *vdev);
struct address_space *mvgpu_probe(struct vfio_device *vdev)
{
#ifndef MVGPU_PROBE_CONTROL
	return vdev->inode->i_mapping;
#else
	return NULL;
#endif
}
