// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers for the VFIO test programs: the container/group/device sequence
 * QEMU runs (or its iommufd one), DMA mappings, region and interrupt
 * access, and TAP output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iommufd_uapi.h"
#include "vfio_util.h"

static int tap_n, tap_failed;

void tap_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tap_skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, what, why);
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

const char *vfio_backend(void)
{
	const char *b = getenv("MVGPU_VFIO_BACKEND");

	return b && !strcmp(b, "iommufd") ? "iommufd" : "type1";
}

/* A container with the device's group in it, as QEMU's default vfio-pci. */
static int open_type1(struct vfio_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group", d->uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';

	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0)
		return -1;
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	d->group = open(path, O_RDWR);
	if (d->group < 0)
		return -1;
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status))
		return -1;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EINVAL;
		return -1;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -1;
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->uuid);
	return d->fd < 0 ? -1 : 0;
}

/* The device cdev bound to an iommufd, attached to a new IO address space. */
static int open_iommufd(struct vfio_dev *d)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char path[PATH_MAX];
	struct dirent *e;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/vfio-dev", d->uuid);
	dir = opendir(path);
	if (!dir)
		return -1;
	path[0] = '\0';
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "vfio", 4))
			snprintf(path, sizeof(path), "/dev/vfio/devices/%s", e->d_name);
	closedir(dir);
	if (!path[0]) {
		errno = ENODEV;
		return -1;
	}
	d->fd = open(path, O_RDWR);
	if (d->fd < 0)
		return -1;
	d->iommufd = open("/dev/iommu", O_RDWR);
	if (d->iommufd < 0)
		return -1;
	bind.iommufd = d->iommufd;
	if (ioctl(d->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) ||
	    ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return -1;
	d->ioas = alloc.out_ioas_id;
	attach.pt_id = d->ioas;
	return ioctl(d->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) ? -1 : 0;
}

int vfio_dev_open(struct vfio_dev *d, const char *uuid)
{
	char name[sizeof(d->uuid)];
	int ret, err;

	snprintf(name, sizeof(name), "%s", uuid);	/* @uuid may be d->uuid */
	memset(d, 0, sizeof(*d));
	d->container = -1;
	d->group = -1;
	d->iommufd = -1;
	d->fd = -1;
	memcpy(d->uuid, name, sizeof(d->uuid));

	errno = 0;
	ret = strcmp(vfio_backend(), "iommufd") ? open_type1(d) : open_iommufd(d);
	if (!ret)
		return 0;
	err = errno ? -errno : -EINVAL;
	tap_diag("opening %s through VFIO (%s) failed: %s", d->uuid, vfio_backend(),
		 strerror(-err));
	vfio_dev_close(d);
	return err;
}

void vfio_dev_close(struct vfio_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	if (d->iommufd >= 0)
		close(d->iommufd);
	d->fd = -1;
	d->group = -1;
	d->container = -1;
	d->iommufd = -1;
}

int vfio_dma_map(struct vfio_dev *d, void *buf, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf,
		.iova = iova,
		.size = size,
	};
	struct iommu_ioas_map ioas_map = {
		.size = sizeof(ioas_map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = d->ioas,
		.user_va = (uintptr_t)buf,
		.length = size,
		.iova = iova,
	};

	if (d->iommufd >= 0)
		return ioctl(d->iommufd, IOMMU_IOAS_MAP, &ioas_map) ? -errno : 0;
	return ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

int vfio_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};
	struct iommu_ioas_unmap ioas_unmap = {
		.size = sizeof(ioas_unmap),
		.ioas_id = d->ioas,
		.iova = iova,
		.length = size,
	};

	if (d->iommufd >= 0)
		return ioctl(d->iommufd, IOMMU_IOAS_UNMAP, &ioas_unmap) ? -errno : 0;
	return ioctl(d->container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : 0;
}

static uint64_t region_offset(unsigned int index)
{
	return (uint64_t)index << 40;	/* vfio-pci's fixed region layout */
}

ssize_t vfio_region_read(struct vfio_dev *d, unsigned int index, uint64_t off,
			 void *buf, size_t len)
{
	ssize_t n = pread(d->fd, buf, len, region_offset(index) + off);

	return n < 0 ? -errno : n;
}

ssize_t vfio_region_write(struct vfio_dev *d, unsigned int index, uint64_t off,
			  const void *buf, size_t len)
{
	ssize_t n = pwrite(d->fd, buf, len, region_offset(index) + off);

	return n < 0 ? -errno : n;
}

int vfio_region_info(struct vfio_dev *d, unsigned int index,
		     struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

int vfio_irq_info(struct vfio_dev *d, unsigned int index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
}

static uint32_t cfg_read(struct vfio_dev *d, unsigned int off, size_t len)
{
	uint32_t val = 0;

	if (vfio_region_read(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, len) != (ssize_t)len)
		tap_diag("config read of %zu at 0x%x failed", len, off);
	return val;	/* little-endian host */
}

uint8_t cfg_read8(struct vfio_dev *d, unsigned int off)
{
	return cfg_read(d, off, 1);
}

uint16_t cfg_read16(struct vfio_dev *d, unsigned int off)
{
	return cfg_read(d, off, 2);
}

uint32_t cfg_read32(struct vfio_dev *d, unsigned int off)
{
	return cfg_read(d, off, 4);
}

void cfg_write16(struct vfio_dev *d, unsigned int off, uint16_t val)
{
	if (vfio_region_write(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, 2) != 2)
		tap_diag("config write at 0x%x failed", off);
}

void cfg_write32(struct vfio_dev *d, unsigned int off, uint32_t val)
{
	if (vfio_region_write(d, VFIO_PCI_CONFIG_REGION_INDEX, off, &val, 4) != 4)
		tap_diag("config write at 0x%x failed", off);
}

int vfio_irq_set_raw(struct vfio_dev *d, struct vfio_irq_set *set)
{
	return ioctl(d->fd, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

int vfio_irq_set_eventfd(struct vfio_dev *d, unsigned int index, int fd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = index;
	set->start = 0;
	set->count = 1;
	memcpy(set->data, &fd, sizeof(fd));
	return vfio_irq_set_raw(d, set);
}

int vfio_irq_set_none(struct vfio_dev *d, unsigned int index, uint32_t action,
		      uint32_t count)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | action,
		.index = index,
		.count = count,
	};

	return vfio_irq_set_raw(d, &set);
}

int efd_new(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0) {
		perror("eventfd");
		exit(2);
	}
	return fd;
}

uint64_t efd_wait(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t v = 0;

	if (poll(&p, 1, ms) == 1 && read(efd, &v, sizeof(v)) != sizeof(v))
		v = 0;
	return v;
}

/* available_instances of the mdev type in directory @type_dir, or -1 */
static int type_available(const char *type_dir)
{
	char path[PATH_MAX];
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "%s/available_instances", type_dir);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

void vfio_test_remove_while_open(const char *uuid, const char *type_dir)
{
	int efd, avail, status = -1, fd;
	char path[PATH_MAX];
	struct vfio_dev d;
	struct stat st;
	pid_t pid;

	if (vfio_dev_open(&d, uuid)) {
		tap_check(false, "remove while open: open the instance");
		return;
	}
	avail = type_available(type_dir);
	efd = efd_new();
	tap_check(vfio_irq_set_eventfd(&d, VFIO_PCI_REQ_IRQ_INDEX, efd) == 0,
		  "request interrupt: set an eventfd");
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
	pid = fork();
	if (pid == 0) {
		vfio_dev_close(&d);	/* only the parent holds the device */
		fd = open(path, O_WRONLY);
		_exit(fd >= 0 && write(fd, "1", 1) == 1 ? 0 : 1);
	}
	tap_check(efd_wait(efd, 10000) >= 1, "remove while open: the user is asked to release");
	usleep(200 * 1000);
	tap_check(waitpid(pid, &status, WNOHANG) == 0,
		  "remove while open: the remove write waits for the user");
	tap_check(type_available(type_dir) == avail,
		  "remove while open: the instance keeps its resources meanwhile");
	vfio_dev_close(&d);
	waitpid(pid, &status, 0);
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", uuid);
	tap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && stat(path, &st) != 0,
		  "remove while open: done once the device is closed");
	tap_check(type_available(type_dir) == avail + 1,
		  "remove while open: its resources are free again");
	close(efd);
}
