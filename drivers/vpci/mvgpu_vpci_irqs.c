// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_vpci: the interrupts of an emulated VFIO PCI device. INTx is level
 * triggered and automasked until the user unmasks it; MSI (one vector) is
 * signalled on each new assertion of the line; the request interrupt asks
 * the user to release the device. The device reports its interrupt line
 * with mvgpu_vpci_irqs_update(); the caller serialises all calls (the
 * device's lock).
 */
#include <linux/eventfd.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <mvgpu/compat.h>
#include <mvgpu/vpci.h>

#include "mvgpu_vpci.h"

static void mvgpu_vpci_irqs_put(struct eventfd_ctx **trigger)
{
	if (*trigger)
		eventfd_ctx_put(*trigger);
	*trigger = NULL;
}

/**
 * mvgpu_vpci_irqs_init() - no interrupt type chosen, no eventfds
 * @irqs: the device's interrupts
 */
void mvgpu_vpci_irqs_init(struct mvgpu_vpci_irqs *irqs)
{
	memset(irqs, 0, sizeof(*irqs));
	irqs->type = -1;
}

/**
 * mvgpu_vpci_irqs_update() - the device's interrupt line may have changed
 * @irqs: the device's interrupts
 * @line: whether the device asserts its interrupt
 * @intx_disabled: the command register's INTx disable bit
 *
 * Signals what the new level calls for: INTx while the line is asserted
 * and INTx is neither masked nor disabled, MSI on a rising line. Called
 * with the device's lock held.
 */
void mvgpu_vpci_irqs_update(struct mvgpu_vpci_irqs *irqs, bool line, bool intx_disabled)
{
	bool rising = line && !irqs->line;

	irqs->line = line;
	irqs->intx_disabled = intx_disabled;
	if (irqs->type == VFIO_PCI_INTX_IRQ_INDEX) {
		if (line && !irqs->intx_masked && !intx_disabled) {
			irqs->intx_masked = true;
			mvgpu_eventfd_signal(irqs->intx);
		}
	} else if (irqs->type == VFIO_PCI_MSI_IRQ_INDEX && rising) {
		mvgpu_eventfd_signal(irqs->msi);
	}
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_irqs_update, MVGPU_VPCI);

/**
 * mvgpu_vpci_irqs_reset() - the device was reset
 * @irqs: the device's interrupts
 *
 * INTx is unmasked and a line still asserted is seen anew by the next
 * mvgpu_vpci_irqs_update(). The eventfds stay. Called with the device's
 * lock held.
 */
void mvgpu_vpci_irqs_reset(struct mvgpu_vpci_irqs *irqs)
{
	irqs->intx_masked = false;
	irqs->line = false;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_irqs_reset, MVGPU_VPCI);

/**
 * mvgpu_vpci_irqs_release() - the user closed the device
 * @irqs: the device's interrupts
 *
 * Drops every eventfd. Called with the device's lock held.
 */
void mvgpu_vpci_irqs_release(struct mvgpu_vpci_irqs *irqs)
{
	mvgpu_vpci_irqs_put(&irqs->intx);
	mvgpu_vpci_irqs_put(&irqs->msi);
	mvgpu_vpci_irqs_put(&irqs->req);
	irqs->type = -1;
	irqs->intx_masked = false;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_irqs_release, MVGPU_VPCI);

/**
 * mvgpu_vpci_irqs_get_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @arg: the user's struct vfio_irq_info
 *
 * INTx, MSI and REQ have one vector each; the other indexes none.
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vpci_irqs_get_info(void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	switch (info.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			     VFIO_IRQ_INFO_AUTOMASKED;
		info.count = 1;
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE;
		info.count = 1;
		break;
	default:
		info.flags = 0;
		info.count = 0;
		break;
	}
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* Replace *@trigger by the eventfd @fd, or drop it for fd -1. */
static int mvgpu_vpci_irqs_set_trigger(struct eventfd_ctx **trigger, s32 fd)
{
	struct eventfd_ctx *ctx;

	if (fd < -1)
		return -EINVAL;
	if (fd == -1) {
		mvgpu_vpci_irqs_put(trigger);
		return 0;
	}
	ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mvgpu_vpci_irqs_put(trigger);
	*trigger = ctx;
	return 0;
}

/* The value of a one-vector DATA_BOOL or DATA_EVENTFD payload. */
static s32 mvgpu_vpci_irqs_data(const struct vfio_irq_set *hdr, const u8 *data)
{
	s32 fd;

	if (hdr->flags & VFIO_IRQ_SET_DATA_BOOL)
		return data[0];
	memcpy(&fd, data, sizeof(fd));
	return fd;
}

/* TRIGGER on INTx or MSI: enable with an eventfd, disable, or fire a test. */
static int mvgpu_vpci_irqs_trigger(struct mvgpu_vpci_irqs *irqs,
				   const struct vfio_irq_set *hdr, const u8 *data)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
	struct eventfd_ctx **ctx = hdr->index == VFIO_PCI_INTX_IRQ_INDEX ? &irqs->intx : &irqs->msi;
	bool active = irqs->type == (int)hdr->index;
	int ret;

	if (dtype == VFIO_IRQ_SET_DATA_NONE && !hdr->count) {
		if (active) {
			mvgpu_vpci_irqs_put(ctx);
			irqs->type = -1;
			irqs->intx_masked = false;
		}
		return 0;
	}
	if (dtype == VFIO_IRQ_SET_DATA_EVENTFD) {
		if (irqs->type != -1 && !active)
			return -EINVAL;	/* one interrupt type at a time */
		ret = mvgpu_vpci_irqs_set_trigger(ctx, mvgpu_vpci_irqs_data(hdr, data));
		if (ret)
			return ret;
		irqs->type = *ctx ? (int)hdr->index : -1;
		irqs->intx_masked = false;
		/* an asserted line fires at once on the new eventfd */
		if (irqs->line) {
			irqs->line = false;
			mvgpu_vpci_irqs_update(irqs, true, irqs->intx_disabled);
		}
		return 0;
	}
	if (!active)
		return -EINVAL;
	if (dtype == VFIO_IRQ_SET_DATA_NONE || mvgpu_vpci_irqs_data(hdr, data))
		mvgpu_eventfd_signal(*ctx);
	return 0;
}

static int mvgpu_vpci_irqs_intx_mask(struct mvgpu_vpci_irqs *irqs,
				     const struct vfio_irq_set *hdr, const u8 *data)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	if (irqs->type != VFIO_PCI_INTX_IRQ_INDEX || dtype == VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;	/* no irqfd-style (un)masking */
	if (dtype == VFIO_IRQ_SET_DATA_BOOL && !mvgpu_vpci_irqs_data(hdr, data))
		return 0;
	if ((hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) == VFIO_IRQ_SET_ACTION_MASK) {
		irqs->intx_masked = true;
	} else {
		irqs->intx_masked = false;
		/* still asserted: fire again */
		mvgpu_vpci_irqs_update(irqs, irqs->line, irqs->intx_disabled);
	}
	return 0;
}

static int mvgpu_vpci_irqs_set_req(struct mvgpu_vpci_irqs *irqs,
				   const struct vfio_irq_set *hdr, const u8 *data)
{
	u32 dtype = hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

	if ((hdr->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -ENOTTY;
	if (dtype == VFIO_IRQ_SET_DATA_NONE && !hdr->count) {
		mvgpu_vpci_irqs_put(&irqs->req);
		return 0;
	}
	if (dtype != VFIO_IRQ_SET_DATA_EVENTFD)
		return -EINVAL;
	return mvgpu_vpci_irqs_set_trigger(&irqs->req, mvgpu_vpci_irqs_data(hdr, data));
}

/**
 * mvgpu_vpci_irqs_set() - VFIO_DEVICE_SET_IRQS
 * @irqs: the device's interrupts
 * @arg: the user's struct vfio_irq_set
 * @lock: the device's lock, taken around the change
 *
 * Return: 0 or a negative errno.
 */
int mvgpu_vpci_irqs_set(struct mvgpu_vpci_irqs *irqs, void __user *arg, struct mutex *lock)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	u32 action;
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	/* every interrupt has at most one vector */
	ret = vfio_set_irqs_validate_and_prepare(&hdr, 1, VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	/* one action; data for the vector unless it is a DATA_NONE request */
	action = hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	if (action != VFIO_IRQ_SET_ACTION_MASK && action != VFIO_IRQ_SET_ACTION_UNMASK &&
	    action != VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	if (action != VFIO_IRQ_SET_ACTION_TRIGGER && hdr.count != 1)
		return -EINVAL;
	if (!data_size && !(hdr.flags & VFIO_IRQ_SET_DATA_NONE))
		return -EINVAL;
	if (data_size) {
		data = memdup_user(arg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(lock);
	switch (hdr.index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			ret = mvgpu_vpci_irqs_trigger(irqs, &hdr, data);
		else
			ret = mvgpu_vpci_irqs_intx_mask(irqs, &hdr, data);
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
		/* MSI has no mask bit on these devices */
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			ret = mvgpu_vpci_irqs_trigger(irqs, &hdr, data);
		else
			ret = -ENOTTY;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		ret = mvgpu_vpci_irqs_set_req(irqs, &hdr, data);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(lock);
	kfree(data);
	return ret;
}

/**
 * mvgpu_vpci_irqs_request() - removal waits for the user to close the device
 * @irqs: the device's interrupts
 * @dev: the device, for the log
 * @count: how many times removal asked before
 *
 * Signals the request interrupt, if the user set one, and says once in
 * the log what removal waits for. Called with the device's lock held.
 */
void mvgpu_vpci_irqs_request(struct mvgpu_vpci_irqs *irqs, struct device *dev,
			     unsigned int count)
{
	if (irqs->req) {
		if (!count)
			dev_notice(dev, "asking the user to release the device\n");
		mvgpu_eventfd_signal(irqs->req);
	} else if (!count) {
		dev_notice(dev, "removal waits for the user to release the device\n");
	}
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_irqs_request, MVGPU_VPCI);
