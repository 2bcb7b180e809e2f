/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the test programs that drive mvgpu vGPUs: their sysfs and
 * debugfs files, MMIO through BAR0, guest memory mapped with VFIO and GTT
 * entries pointing at it.
 */
#ifndef MVGPU_UTIL_H
#define MVGPU_UTIL_H

#include <stdint.h>

#include "vfio_util.h"

#define BAR0 VFIO_PCI_BAR0_REGION_INDEX
#define BAR2 VFIO_PCI_BAR2_REGION_INDEX
#define BAR4 VFIO_PCI_BAR4_REGION_INDEX
#define CFG VFIO_PCI_CONFIG_REGION_INDEX

/* what /sys/bus/mdev/devices/UUID/mvgpu/resources says */
struct vgpu_res {
	uint64_t low_base, low_size, high_base, high_size;
	unsigned int fence_base, fence_count;
};

int read_resources(const char *uuid, struct vgpu_res *r);
/* a "key: value" number of a vGPU file: debugfs counters or sysfs stats */
uint64_t counter(const char *uuid, const char *name);
uint64_t stat_value(const char *uuid, const char *name);
/* the first line of /sys/bus/mdev/devices/UUID/mvgpu/NAME, or "" */
const char *vgpu_attr(const char *uuid, const char *name);
/* write VALUE to it: 0 or -errno */
int vgpu_attr_write(const char *uuid, const char *name, const char *value);

uint32_t mmio_rd32(struct vfio_dev *d, uint64_t off);
uint64_t mmio_rd64(struct vfio_dev *d, uint64_t off);
void mmio_wr32(struct vfio_dev *d, uint64_t off, uint32_t v);
void mmio_wr64(struct vfio_dev *d, uint64_t off, uint64_t v);

/* anonymous memory to play guest memory; NULL on failure */
void *guest_memory(size_t bytes);
int dma_map(struct vfio_dev *d, void *buf, uint64_t iova, uint64_t size);
int dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size);
/* the GTT entry of GM page @gm_page */
int gtt_set(struct vfio_dev *d, uint64_t gm_page, uint64_t pte);
uint64_t gtt_get(struct vfio_dev *d, uint64_t gm_page);

#endif /* MVGPU_UTIL_H */
