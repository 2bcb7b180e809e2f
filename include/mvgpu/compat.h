/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between the supported kernels (6.1 and later),
 * decided by the compile-time probes in scripts/compat.mk.
 */
#ifndef _MVGPU_COMPAT_H
#define _MVGPU_COMPAT_H

#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/vfio.h>

static inline void mvgpu_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef MVGPU_HAVE_EVENTFD_SIGNAL_NOCOUNT
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

static inline void mvgpu_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef MVGPU_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * The address space all of a VFIO device's fds map, for unmapping pages of
 * a region from every user mapping; NULL where devices have no inode of
 * their own (before 6.9), and then regions that need it are not mappable.
 */
static inline void mvgpu_vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef MVGPU_HAVE_VM_FLAGS_SET
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

static inline struct address_space *mvgpu_vfio_mapping(struct vfio_device *vdev)
{
#ifdef MVGPU_HAVE_VFIO_DEVICE_INODE
	return vdev->inode->i_mapping;
#else
	return NULL;
#endif
}

/*
 * Initialisers for the iommufd callbacks of an emulated-IOMMU device; put
 * last in a struct vfio_device_ops initialiser, after a trailing comma.
 */
#ifdef MVGPU_HAVE_VFIO_IOMMUFD_OPS
#define MVGPU_VFIO_EMULATED_IOMMUFD_OPS				\
	.bind_iommufd = vfio_iommufd_emulated_bind,		\
	.unbind_iommufd = vfio_iommufd_emulated_unbind,		\
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,	\
	.detach_ioas = vfio_iommufd_emulated_detach_ioas
#else
#define MVGPU_VFIO_EMULATED_IOMMUFD_OPS
#endif

#endif /* _MVGPU_COMPAT_H */
