/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu_vpci: the glue every emulated VFIO PCI device of the project needs
 * (mvgpu's vGPUs, the mvtty sample), in module mvgpu_vpci.ko:
 *
 *  - where each region sits in the device fd (region offset encoding);
 *  - the device, region and interrupt info ioctls, from a region table;
 *  - INTx (level triggered, automasked), one MSI vector and the device
 *    request interrupt, driven by the device's interrupt line;
 *  - config space built from a table of fields with write masks;
 *  - probe and remove of an mdev whose driver data is the VFIO device.
 *
 * The device model stays the driver's: it reads and writes its registers
 * and tells the library its interrupt line.
 */
#ifndef _MVGPU_VPCI_H
#define _MVGPU_VPCI_H

#include <linux/mutex.h>
#include <linux/pci_regs.h>
#include <linux/types.h>
#include <linux/vfio.h>

struct device;
struct eventfd_ctx;
struct mdev_device;

/*
 * Region N of the device fd starts at N << MVGPU_VPCI_OFFSET_SHIFT: room
 * for 1 TiB per region, far above any BAR of ours.
 */
#define MVGPU_VPCI_OFFSET_SHIFT	40
#define MVGPU_VPCI_OFFSET_MASK	((1ULL << MVGPU_VPCI_OFFSET_SHIFT) - 1)

/* The region a file position of the device fd falls in. */
static inline u64 mvgpu_vpci_pos_index(u64 pos)
{
	return pos >> MVGPU_VPCI_OFFSET_SHIFT;
}

/* The offset within its region of a file position of the device fd. */
static inline u64 mvgpu_vpci_pos_offset(u64 pos)
{
	return pos & MVGPU_VPCI_OFFSET_MASK;
}

/* Where region @index starts in the device fd. */
static inline u64 mvgpu_vpci_region_start(unsigned int index)
{
	return (u64)index << MVGPU_VPCI_OFFSET_SHIFT;
}

/* Device-specific regions after the VFIO_PCI_NUM_REGIONS standard ones */
#define MVGPU_VPCI_MAX_REGIONS	(VFIO_PCI_NUM_REGIONS + 2)

/**
 * struct mvgpu_vpci_region - one region of the device fd
 * @size: its size in bytes; 0 for a region the device does not have
 * @flags: VFIO_REGION_INFO_FLAG_*
 * @type: for a device-specific region, its VFIO_REGION_TYPE_*
 * @subtype: and its subtype (VFIO_REGION_SUBTYPE_*)
 */
struct mvgpu_vpci_region {
	u64 size;
	u32 flags;
	u32 type;
	u32 subtype;
};

/* A region the user reads and writes through the device fd. */
#define MVGPU_VPCI_RW	(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)

/**
 * struct mvgpu_vpci_irqs - interrupt state of one device
 * @type: VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX, or -1 for none
 * @intx: eventfd of INTx
 * @msi: eventfd of MSI
 * @req: eventfd asking the user to release the device
 * @intx_masked: INTx fired and waits for an unmask, or the user masked it
 * @line: the device's interrupt output, as last reported
 * @intx_disabled: the command register's INTx disable bit, as last reported
 */
struct mvgpu_vpci_irqs {
	int type;
	struct eventfd_ctx *intx;
	struct eventfd_ctx *msi;
	struct eventfd_ctx *req;
	bool intx_masked;
	bool line;
	bool intx_disabled;
};

/**
 * struct mvgpu_vpci - the VFIO side of one emulated PCI device
 * @regions: what VFIO_DEVICE_GET_REGION_INFO reports, by region index;
 *	set before the device is registered and constant afterwards
 * @nr_regions: VFIO_PCI_NUM_REGIONS, plus the device-specific regions
 *	the device has (from index VFIO_PCI_NUM_REGIONS on, with a type)
 * @irqs: its interrupts
 * @lock: the driver's lock of the device; serialises @irqs (the driver
 *	holds it to call mvgpu_vpci_irqs_update() and the other irqs calls)
 */
struct mvgpu_vpci {
	struct mvgpu_vpci_region regions[MVGPU_VPCI_MAX_REGIONS];
	unsigned int nr_regions;
	struct mvgpu_vpci_irqs irqs;
	struct mutex *lock;	/* the driver's; see above */
};

void mvgpu_vpci_init(struct mvgpu_vpci *vpci, struct mutex *lock);
long mvgpu_vpci_ioctl(struct mvgpu_vpci *vpci, unsigned int cmd, void __user *arg);

void mvgpu_vpci_irqs_update(struct mvgpu_vpci_irqs *irqs, bool line, bool intx_disabled);
void mvgpu_vpci_irqs_reset(struct mvgpu_vpci_irqs *irqs);
void mvgpu_vpci_irqs_release(struct mvgpu_vpci_irqs *irqs);
void mvgpu_vpci_irqs_request(struct mvgpu_vpci_irqs *irqs, struct device *dev,
			     unsigned int count);

/**
 * struct mvgpu_vpci_cfg - PCI config space and what guest writes may change
 * @data: the registers
 * @wmask: bits a write sets or clears
 * @w1c: bits a write of 1 clears
 */
struct mvgpu_vpci_cfg {
	u8 data[PCI_CFG_SPACE_SIZE];
	u8 wmask[PCI_CFG_SPACE_SIZE];
	u8 w1c[PCI_CFG_SPACE_SIZE];
};

/**
 * struct mvgpu_vpci_cfg_field - one config-space field at power-on
 * @off: its offset
 * @size: its size in bytes (1, 2, 3 or 4)
 * @val: power-on value
 * @wmask: bits a write sets or clears
 * @w1c: bits a write of 1 clears
 */
struct mvgpu_vpci_cfg_field {
	u8 off;
	u8 size;
	u32 val;
	u32 wmask;
	u32 w1c;
};

void mvgpu_vpci_cfg_init(struct mvgpu_vpci_cfg *cfg, const struct mvgpu_vpci_cfg_field *fields,
			 unsigned int nr_fields);
void mvgpu_vpci_cfg_bar(struct mvgpu_vpci_cfg *cfg, unsigned int bar, u64 size);
void mvgpu_vpci_cfg_write(struct mvgpu_vpci_cfg *cfg, unsigned int off, u8 val);
int mvgpu_vpci_cfg_access(struct mvgpu_vpci_cfg *cfg, u64 off, u8 *buf, size_t len, bool write);
u16 mvgpu_vpci_cfg_command(const struct mvgpu_vpci_cfg *cfg);
void mvgpu_vpci_cfg_set_intx_status(struct mvgpu_vpci_cfg *cfg, bool pending);

int mvgpu_vpci_probe(struct mdev_device *mdev, size_t size, const struct vfio_device_ops *ops);
void mvgpu_vpci_remove(struct mdev_device *mdev);

#endif /* _MVGPU_VPCI_H */
