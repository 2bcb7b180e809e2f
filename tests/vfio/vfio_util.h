/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What QEMU does with a VFIO mdev device, as small helpers for the test
 * programs: container, group, device fd (or iommufd and the device cdev),
 * DMA mappings, regions, interrupts; plus TAP.
 */
#ifndef VFIO_UTIL_H
#define VFIO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

/*
 * An open device. With the type1 backend it lives in a container of its
 * own (@container, @group); with iommufd, the device cdev is bound to an
 * iommufd of its own and attached to one IO address space (@iommufd, @ioas).
 */
struct vfio_dev {
	int container;
	int group;
	int iommufd;
	uint32_t ioas;
	int fd;
	char uuid[64];
};

/* TAP */
void tap_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a check that cannot run here, and why */
void tap_skip(const char *what, const char *why);
int tap_done(void);

/*
 * The IOMMU interface vfio_dev_open() uses: "type1" (a VFIO container, the
 * default) or "iommufd" (/dev/iommu and /dev/vfio/devices/vfioN, QEMU's
 * -object iommufd), chosen by the environment variable MVGPU_VFIO_BACKEND.
 */
const char *vfio_backend(void);

/* Open the mdev UUID like QEMU: returns 0 or -errno (and says why). */
int vfio_dev_open(struct vfio_dev *d, const char *uuid);
void vfio_dev_close(struct vfio_dev *d);

/* Map @size bytes of process memory at @buf to @iova, or unmap: 0 or -errno. */
int vfio_dma_map(struct vfio_dev *d, void *buf, uint64_t iova, uint64_t size);
int vfio_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size);

/* Region access at @off of region @index; return bytes done or -errno. */
ssize_t vfio_region_read(struct vfio_dev *d, unsigned int index, uint64_t off,
			 void *buf, size_t len);
ssize_t vfio_region_write(struct vfio_dev *d, unsigned int index, uint64_t off,
			  const void *buf, size_t len);
int vfio_region_info(struct vfio_dev *d, unsigned int index,
		     struct vfio_region_info *info);
int vfio_irq_info(struct vfio_dev *d, unsigned int index, struct vfio_irq_info *info);

uint8_t cfg_read8(struct vfio_dev *d, unsigned int off);
uint16_t cfg_read16(struct vfio_dev *d, unsigned int off);
uint32_t cfg_read32(struct vfio_dev *d, unsigned int off);
void cfg_write16(struct vfio_dev *d, unsigned int off, uint16_t val);
void cfg_write32(struct vfio_dev *d, unsigned int off, uint32_t val);

/*
 * VFIO_DEVICE_SET_IRQS with one eventfd (fd, or -1 to drop it), with no
 * data (count 0 disables, 1 fires) or with a bool. Return 0 or -errno.
 */
int vfio_irq_set_eventfd(struct vfio_dev *d, unsigned int index, int fd);
int vfio_irq_set_none(struct vfio_dev *d, unsigned int index, uint32_t action,
		      uint32_t count);
int vfio_irq_set_raw(struct vfio_dev *d, struct vfio_irq_set *set);

/* eventfd helpers: new eventfd; count of signals within @ms (0 = none) */
int efd_new(void);
uint64_t efd_wait(int efd, int ms);

/*
 * TAP checks: removing the open instance @uuid (of the type whose sysfs
 * directory is @type_dir) asks the user through the request interrupt,
 * waits with the resources held, and completes once the device is closed.
 */
void vfio_test_remove_while_open(const char *uuid, const char *type_dir);

#endif /* VFIO_UTIL_H */
