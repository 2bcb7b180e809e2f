// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers for the test programs that drive mvgpu vGPUs (mvgpu_util.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

int read_resources(const char *uuid, struct vgpu_res *r)
{
	char path[256];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/resources", uuid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "low_gm: %" SCNx64 " %" SCNx64 " high_gm: %" SCNx64 " %" SCNx64
		   " fence: %u %u", &r->low_base, &r->low_size, &r->high_base, &r->high_size,
		   &r->fence_base, &r->fence_count);
	fclose(f);
	return n == 6 ? 0 : -1;
}

static uint64_t key_value(const char *path, const char *name)
{
	char key[64];
	unsigned long long v;
	FILE *f = fopen(path, "r");
	int n;

	if (!f)
		return ~0ULL;
	while ((n = fscanf(f, "%63[^:]: %llu\n", key, &v)) != EOF) {
		if (n == 2 && !strcmp(key, name)) {
			fclose(f);
			return v;
		}
		if (n != 2 && fscanf(f, "%*[^\n]\n") == EOF)
			break;		/* a value that is not a number */
	}
	fclose(f);
	return ~0ULL;
}

uint64_t counter(const char *uuid, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/debug/mvgpu/%s/counters", uuid);
	return key_value(path, name);
}

uint64_t stat_value(const char *uuid, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/stats", uuid);
	return key_value(path, name);
}

const char *vgpu_attr(const char *uuid, const char *name)
{
	static char line[256];
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/%s", uuid, name);
	line[0] = 0;
	f = fopen(path, "r");
	if (!f)
		return line;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	return line;
}

int vgpu_attr_write(const char *uuid, const char *name, const char *value)
{
	char path[256];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mvgpu/%s", uuid, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IONBF, 0);
	if (fputs(value, f) == EOF)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

uint32_t mmio_rd32(struct vfio_dev *d, uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	if (vfio_region_read(d, BAR0, off, &v, 4) != 4)
		tap_diag("MMIO read at 0x%" PRIx64 " failed", off);
	return v;
}

uint64_t mmio_rd64(struct vfio_dev *d, uint64_t off)
{
	uint64_t v = 0;

	if (vfio_region_read(d, BAR0, off, &v, 8) != 8)
		tap_diag("MMIO 64-bit read at 0x%" PRIx64 " failed", off);
	return v;
}

void mmio_wr32(struct vfio_dev *d, uint64_t off, uint32_t v)
{
	if (vfio_region_write(d, BAR0, off, &v, 4) != 4)
		tap_diag("MMIO write at 0x%" PRIx64 " failed", off);
}

void mmio_wr64(struct vfio_dev *d, uint64_t off, uint64_t v)
{
	if (vfio_region_write(d, BAR0, off, &v, 8) != 8)
		tap_diag("MMIO 64-bit write at 0x%" PRIx64 " failed", off);
}

void *guest_memory(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int dma_map(struct vfio_dev *d, void *buf, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf,
		.iova = iova,
		.size = size,
	};

	return ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map) ? -errno : 0;
}

int dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	return ioctl(d->container, VFIO_IOMMU_UNMAP_DMA, &unmap) ? -errno : 0;
}

int gtt_set(struct vfio_dev *d, uint64_t gm_page, uint64_t pte)
{
	return vfio_region_write(d, BAR0, MVGPU_GTT_OFFSET + gm_page * 8, &pte, 8) == 8 ? 0 : -1;
}

uint64_t gtt_get(struct vfio_dev *d, uint64_t gm_page)
{
	uint64_t pte = ~0ULL;

	vfio_region_read(d, BAR0, MVGPU_GTT_OFFSET + gm_page * 8, &pte, 8);
	return pte;
}
