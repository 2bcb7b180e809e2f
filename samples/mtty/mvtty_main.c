// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvtty: a mediated PCI serial device, the smallest complete example of
 * mvgpu's mdev/VFIO glue. Each instance is a PCI serial controller with one
 * or two 16550A ports in BAR0 (I/O), taken from a pool shared by the parent.
 */
#include <linux/device.h>
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci_regs.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <mvgpu/compat.h>
#include <mvgpu/vpci.h>

#include "mvtty.h"

#define MVTTY_NAME		"mvtty"

static unsigned int max_ports = 24;
module_param(max_ports, uint, 0444);
MODULE_PARM_DESC(max_ports, "Ports shared by all instances (1-4096, default 24)");

/**
 * struct mvtty_type - an mdev type: how many ports an instance gets
 * @type: the mdev core's type
 * @nr_ports: ports per instance
 */
struct mvtty_type {
	struct mdev_type type;
	unsigned int nr_ports;
};

/**
 * struct mvtty_state - one instance
 * @vdev: the VFIO device, first (mvgpu_vpci_probe()); the instance lives as
 *	long as it does
 * @nr_ports: ports of this instance
 * @lock: serialises every access below (regions, ioctls, close)
 * @cfg: PCI config space
 * @uart: the ports' registers
 * @vpci: regions, and INTx, MSI and request interrupts
 */
struct mvtty_state {
	struct vfio_device vdev;
	unsigned int nr_ports;
	struct mutex lock;	/* protects the instance state below */
	struct mvgpu_vpci_cfg cfg;
	struct mvtty_uart uart[MVTTY_MAX_PORTS];
	struct mvgpu_vpci vpci;
};

/* mvtty_pool_lock protects mvtty_ports_free, the ports no instance holds. */
static DEFINE_MUTEX(mvtty_pool_lock);
static unsigned int mvtty_ports_free;

static struct class mvtty_class = {
	.name = MVTTY_NAME,
};

static struct device mvtty_parent_dev;
static struct mdev_parent mvtty_parent;

static struct mvtty_type mvtty_types[] = {
	{ .type = { .sysfs_name = "1", .pretty_name = "Single port 16550A" },
	  .nr_ports = 1 },
	{ .type = { .sysfs_name = "2", .pretty_name = "Dual port 16550A" },
	  .nr_ports = 2 },
};

static struct mdev_type *mvtty_mdev_types[] = {
	&mvtty_types[0].type,
	&mvtty_types[1].type,
};

/* mvgpu_vpci_probe() allocates it, the mdev's driver data points at it */
static_assert(offsetof(struct mvtty_state, vdev) == 0);

static struct mvtty_state *to_mvtty(struct vfio_device *vdev)
{
	return container_of(vdev, struct mvtty_state, vdev);
}

/* Re-evaluate the interrupt output after anything that may change it. */
static void mvtty_update_irq(struct mvtty_state *s)
{
	bool line = false;
	unsigned int i;

	lockdep_assert_held(&s->lock);
	for (i = 0; i < s->nr_ports; i++)
		line |= mvtty_uart_irq_pending(&s->uart[i]);
	mvgpu_vpci_cfg_set_intx_status(&s->cfg, line);
	mvgpu_vpci_irqs_update(&s->vpci.irqs, line,
			       mvgpu_vpci_cfg_command(&s->cfg) & PCI_COMMAND_INTX_DISABLE);
}

static void mvtty_reset(struct mvtty_state *s)
{
	unsigned int i;

	lockdep_assert_held(&s->lock);
	mvtty_cfg_init(&s->cfg, s->nr_ports);
	for (i = 0; i < s->nr_ports; i++)
		mvtty_uart_reset(&s->uart[i]);
	mvgpu_vpci_irqs_reset(&s->vpci.irqs);
}

/* Access @count bytes of @buf at @off of region @index, holding the lock. */
static int mvtty_access(struct mvtty_state *s, u64 index, u64 off, u8 *buf, size_t count,
			bool write)
{
	size_t i;
	int ret;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		ret = mvgpu_vpci_cfg_access(&s->cfg, off, buf, count, write);
		if (ret)
			return ret;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX:
		if (off >= s->nr_ports * MVTTY_PORT_SIZE ||
		    count > s->nr_ports * MVTTY_PORT_SIZE - off)
			return -EINVAL;
		/* wider accesses reach consecutive byte registers in order */
		for (i = 0; i < count; i++) {
			struct mvtty_uart *uart = &s->uart[(off + i) / MVTTY_PORT_SIZE];
			unsigned int reg = (off + i) % MVTTY_PORT_SIZE;

			if (write)
				mvtty_uart_write(uart, reg, buf[i]);
			else
				buf[i] = mvtty_uart_read(uart, reg);
		}
		break;
	default:
		return -EINVAL;
	}
	mvtty_update_irq(s);
	return 0;
}

static ssize_t mvtty_rw(struct vfio_device *vdev, char __user *ubuf,
			size_t count, loff_t *ppos, bool write)
{
	struct mvtty_state *s = to_mvtty(vdev);
	u64 index = mvgpu_vpci_pos_index(*ppos);
	u64 off = mvgpu_vpci_pos_offset(*ppos);
	u8 buf[PCI_CFG_SPACE_SIZE];
	int ret;

	if (!count)
		return 0;
	/* no region is larger than config space */
	if (*ppos < 0 || off >= PCI_CFG_SPACE_SIZE || count > PCI_CFG_SPACE_SIZE - off)
		return -EINVAL;
	if (write && copy_from_user(buf, ubuf, count))
		return -EFAULT;

	mutex_lock(&s->lock);
	ret = mvtty_access(s, index, off, buf, count, write);
	mutex_unlock(&s->lock);
	if (ret)
		return ret;

	if (!write && copy_to_user(ubuf, buf, count))
		return -EFAULT;
	*ppos += count;
	return count;
}

static ssize_t mvtty_read(struct vfio_device *vdev, char __user *buf,
			  size_t count, loff_t *ppos)
{
	return mvtty_rw(vdev, buf, count, ppos, false);
}

static ssize_t mvtty_write(struct vfio_device *vdev, const char __user *buf,
			   size_t count, loff_t *ppos)
{
	return mvtty_rw(vdev, (char __user *)buf, count, ppos, true);
}

static long mvtty_ioctl(struct vfio_device *vdev, unsigned int cmd,
			unsigned long arg)
{
	struct mvtty_state *s = to_mvtty(vdev);

	if (cmd == VFIO_DEVICE_RESET) {
		mutex_lock(&s->lock);
		mvtty_reset(s);
		mutex_unlock(&s->lock);
		return 0;
	}
	return mvgpu_vpci_ioctl(&s->vpci, cmd, (void __user *)arg);
}

static int mvtty_open_device(struct vfio_device *vdev)
{
	struct mvtty_state *s = to_mvtty(vdev);

	mutex_lock(&s->lock);
	mvtty_reset(s);
	mutex_unlock(&s->lock);
	return 0;
}

static void mvtty_close_device(struct vfio_device *vdev)
{
	struct mvtty_state *s = to_mvtty(vdev);

	mutex_lock(&s->lock);
	mvgpu_vpci_irqs_release(&s->vpci.irqs);
	mutex_unlock(&s->lock);
}

/* Called while removal waits for the user to close the device. */
static void mvtty_request(struct vfio_device *vdev, unsigned int count)
{
	struct mvtty_state *s = to_mvtty(vdev);

	mutex_lock(&s->lock);
	mvgpu_vpci_irqs_request(&s->vpci.irqs, vdev->dev, count);
	mutex_unlock(&s->lock);
}

/* Take @n ports from the pool, all or none. */
static int mvtty_reserve_ports(unsigned int n)
{
	int ret = -ENOSPC;

	mutex_lock(&mvtty_pool_lock);
	if (mvtty_ports_free >= n) {
		mvtty_ports_free -= n;
		ret = 0;
	}
	mutex_unlock(&mvtty_pool_lock);
	return ret;
}

static void mvtty_release_ports(unsigned int n)
{
	mutex_lock(&mvtty_pool_lock);
	mvtty_ports_free += n;
	mutex_unlock(&mvtty_pool_lock);
}

static int mvtty_init_dev(struct vfio_device *vdev)
{
	struct mvtty_state *s = to_mvtty(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct mvtty_type *type = container_of(mdev->type, struct mvtty_type, type);
	int ret;

	ret = mvtty_reserve_ports(type->nr_ports);
	if (ret) {
		dev_info(vdev->dev, "no room for %u more port(s) in the pool of %u\n",
			 type->nr_ports, max_ports);
		return ret;
	}
	s->nr_ports = type->nr_ports;
	mutex_init(&s->lock);
	mvgpu_vpci_init(&s->vpci, &s->lock);
	s->vpci.regions[VFIO_PCI_CONFIG_REGION_INDEX] =
		(struct mvgpu_vpci_region){ PCI_CFG_SPACE_SIZE, MVGPU_VPCI_RW };
	s->vpci.regions[VFIO_PCI_BAR0_REGION_INDEX] =
		(struct mvgpu_vpci_region){ s->nr_ports * MVTTY_PORT_SIZE, MVGPU_VPCI_RW };
	mutex_lock(&s->lock);
	mvtty_reset(s);
	mutex_unlock(&s->lock);
	return 0;
}

static void mvtty_release_dev(struct vfio_device *vdev)
{
	struct mvtty_state *s = to_mvtty(vdev);

	mutex_destroy(&s->lock);
	mvtty_release_ports(s->nr_ports);
}

static const struct vfio_device_ops mvtty_vfio_ops = {
	.name = MVTTY_NAME,
	.init = mvtty_init_dev,
	.release = mvtty_release_dev,
	.open_device = mvtty_open_device,
	.close_device = mvtty_close_device,
	.read = mvtty_read,
	.write = mvtty_write,
	.ioctl = mvtty_ioctl,
	.request = mvtty_request,
	MVGPU_VFIO_EMULATED_IOMMUFD_OPS
};

static int mvtty_probe(struct mdev_device *mdev)
{
	return mvgpu_vpci_probe(mdev, sizeof(struct mvtty_state), &mvtty_vfio_ops);
}

static unsigned int mvtty_get_available(struct mdev_type *mtype)
{
	struct mvtty_type *type = container_of(mtype, struct mvtty_type, type);
	unsigned int n;

	mutex_lock(&mvtty_pool_lock);
	n = mvtty_ports_free / type->nr_ports;
	mutex_unlock(&mvtty_pool_lock);
	return n;
}

static ssize_t mvtty_show_description(struct mdev_type *mtype, char *buf)
{
	struct mvtty_type *type = container_of(mtype, struct mvtty_type, type);

	return sysfs_emit(buf, "ports: %u\nuart: 16550A\n", type->nr_ports);
}

static ssize_t ports_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct mvtty_state *s = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", s->nr_ports);
}
static DEVICE_ATTR_RO(ports);

static ssize_t tx_dropped_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct mvtty_state *s = dev_get_drvdata(dev);
	u64 dropped = 0;
	unsigned int i;

	mutex_lock(&s->lock);
	for (i = 0; i < s->nr_ports; i++)
		dropped += s->uart[i].tx_dropped;
	mutex_unlock(&s->lock);
	return sysfs_emit(buf, "%llu\n", dropped);
}
static DEVICE_ATTR_RO(tx_dropped);

static struct attribute *mvtty_dev_attrs[] = {
	&dev_attr_ports.attr,
	&dev_attr_tx_dropped.attr,
	NULL,
};

static const struct attribute_group mvtty_dev_group = {
	.name = MVTTY_NAME,
	.attrs = mvtty_dev_attrs,
};

static const struct attribute_group *mvtty_dev_groups[] = {
	&mvtty_dev_group,
	NULL,
};

static struct mdev_driver mvtty_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = MVTTY_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = mvtty_dev_groups,
	},
	.probe = mvtty_probe,
	.remove = mvgpu_vpci_remove,
	.get_available = mvtty_get_available,
	.show_description = mvtty_show_description,
};

static void mvtty_parent_release(struct device *dev)
{
}

static int __init mvtty_init(void)
{
	int ret;

	if (!max_ports || max_ports > 4096) {
		pr_err("mvtty: max_ports must be 1-4096, not %u\n", max_ports);
		return -EINVAL;
	}
	mvtty_ports_free = max_ports;

	ret = mdev_register_driver(&mvtty_driver);
	if (ret)
		return ret;
	ret = class_register(&mvtty_class);
	if (ret)
		goto err_driver;

	mvtty_parent_dev.class = &mvtty_class;
	mvtty_parent_dev.release = mvtty_parent_release;
	device_initialize(&mvtty_parent_dev);
	ret = dev_set_name(&mvtty_parent_dev, MVTTY_NAME);
	if (ret)
		goto err_put;
	ret = device_add(&mvtty_parent_dev);
	if (ret)
		goto err_put;

	ret = mdev_register_parent(&mvtty_parent, &mvtty_parent_dev, &mvtty_driver,
				   mvtty_mdev_types, ARRAY_SIZE(mvtty_mdev_types));
	if (ret)
		goto err_del;
	return 0;

err_del:
	device_del(&mvtty_parent_dev);
err_put:
	put_device(&mvtty_parent_dev);
	class_unregister(&mvtty_class);
err_driver:
	mdev_unregister_driver(&mvtty_driver);
	return ret;
}

static void __exit mvtty_exit(void)
{
	/* removes every instance, waiting for users to release them */
	mdev_unregister_parent(&mvtty_parent);
	device_unregister(&mvtty_parent_dev);
	class_unregister(&mvtty_class);
	mdev_unregister_driver(&mvtty_driver);
}

module_init(mvtty_init);
module_exit(mvtty_exit);

MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(MVGPU_VPCI);
MODULE_VERSION(MVGPU_VERSION);
MODULE_DESCRIPTION("mvtty: mediated PCI serial device with 16550A ports");
MODULE_AUTHOR("The mvgpu developers");
