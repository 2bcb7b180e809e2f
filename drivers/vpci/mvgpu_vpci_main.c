// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_vpci: the VFIO ioctls every emulated PCI device answers the same
 * way, and probe/remove of its mdev. The regions and interrupts are the
 * driver's; this file only reports them.
 */
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <mvgpu/vpci.h>

#include "mvgpu_vpci.h"

/**
 * mvgpu_vpci_init() - no regions, no interrupts
 * @vpci: the VFIO side of a device; the driver then sets its regions
 * @lock: the driver's lock of the device
 */
void mvgpu_vpci_init(struct mvgpu_vpci *vpci, struct mutex *lock)
{
	memset(vpci->regions, 0, sizeof(vpci->regions));
	vpci->nr_regions = VFIO_PCI_NUM_REGIONS;
	mvgpu_vpci_irqs_init(&vpci->irqs);
	vpci->lock = lock;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_init, MVGPU_VPCI);

static int mvgpu_vpci_device_info(const struct mvgpu_vpci *vpci, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = vpci->nr_regions;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/*
 * A device-specific region says what it is in a type capability, right
 * after the info, if the user's buffer has room; otherwise argsz tells
 * the user how much room it needs.
 */
static int mvgpu_vpci_region_type(const struct mvgpu_vpci_region *r,
				  struct vfio_region_info *info, void __user *arg)
{
	struct vfio_region_info_cap_type cap = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
		.type = r->type,
		.subtype = r->subtype,
	};
	u32 need = sizeof(*info) + sizeof(cap);

	info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
	if (info->argsz < need) {
		info->argsz = need;
		return 0;
	}
	info->cap_offset = sizeof(*info);
	return copy_to_user(arg + sizeof(*info), &cap, sizeof(cap)) ? -EFAULT : 0;
}

static int mvgpu_vpci_region_info(const struct mvgpu_vpci *vpci, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	const struct mvgpu_vpci_region *r;
	struct vfio_region_info info;
	int ret = 0;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= vpci->nr_regions)
		return -EINVAL;
	r = &vpci->regions[info.index];
	info.offset = mvgpu_vpci_region_start(info.index);
	info.size = r->size;
	info.flags = info.size ? r->flags : 0;
	info.cap_offset = 0;
	if (info.size && r->type)
		ret = mvgpu_vpci_region_type(r, &info, arg);
	if (ret)
		return ret;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/**
 * mvgpu_vpci_ioctl() - the ioctls the library answers for the device
 * @vpci: the device
 * @cmd: the ioctl
 * @arg: its argument, in user memory
 *
 * VFIO_DEVICE_GET_INFO (a PCI device that can be reset), GET_REGION_INFO
 * (from @vpci's regions, with a type capability for a device-specific
 * region), GET_IRQ_INFO and SET_IRQS. The driver handles
 * VFIO_DEVICE_RESET and anything else of its own first.
 *
 * Return: the ioctl's result, or -ENOTTY for any other ioctl.
 */
long mvgpu_vpci_ioctl(struct mvgpu_vpci *vpci, unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return mvgpu_vpci_device_info(vpci, arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return mvgpu_vpci_region_info(vpci, arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return mvgpu_vpci_irqs_get_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return mvgpu_vpci_irqs_set(&vpci->irqs, arg, vpci->lock);
	}
	return -ENOTTY;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_ioctl, MVGPU_VPCI);

/**
 * mvgpu_vpci_probe() - make an mdev a VFIO device with emulated IOMMU
 * @mdev: the mdev being probed
 * @size: size of the driver's device structure, whose first member is its
 *	struct vfio_device
 * @ops: the driver's VFIO callbacks; ->init sets the device up
 *
 * The driver's structure becomes the mdev's driver data.
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vpci_probe(struct mdev_device *mdev, size_t size, const struct vfio_device_ops *ops)
{
	struct vfio_device *vdev;
	int ret;

	vdev = _vfio_alloc_device(size, &mdev->dev, ops);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	ret = vfio_register_emulated_iommu_dev(vdev);
	if (ret) {
		vfio_put_device(vdev);
		return ret;
	}
	dev_set_drvdata(&mdev->dev, vdev);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_probe, MVGPU_VPCI);

/**
 * mvgpu_vpci_remove() - undo mvgpu_vpci_probe()
 * @mdev: the mdev being removed
 *
 * Waits until the user has closed the device, then drops the last
 * reference (the driver's ->release frees what ->init set up).
 */
void mvgpu_vpci_remove(struct mdev_device *mdev)
{
	struct vfio_device *vdev = dev_get_drvdata(&mdev->dev);

	vfio_unregister_group_dev(vdev);
	vfio_put_device(vdev);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_remove, MVGPU_VPCI);

MODULE_LICENSE("GPL");
MODULE_VERSION(MVGPU_VERSION);
MODULE_DESCRIPTION("mvgpu_vpci: VFIO glue shared by mvgpu's emulated PCI devices");
MODULE_AUTHOR("The mvgpu developers");
