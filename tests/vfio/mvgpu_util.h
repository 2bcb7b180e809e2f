/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the test programs that drive mvgpu vGPUs: their sysfs and
 * debugfs files, MMIO through BAR0, guest memory mapped with VFIO and GTT
 * entries pointing at it.
 */
#ifndef MVGPU_UTIL_H
#define MVGPU_UTIL_H

#include <stdbool.h>
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
/* the GTT entry of GM page @gm_page */
int gtt_set(struct vfio_dev *d, uint64_t gm_page, uint64_t pte);
uint64_t gtt_get(struct vfio_dev *d, uint64_t gm_page);
/*
 * Point @n GTT entries from GM page @first at guest memory from @iova:
 * how many were written, @n unless one failed.
 */
uint64_t gtt_map_pages(struct vfio_dev *d, uint64_t first, uint64_t iova, uint64_t n);

/* ---- submitting work, as a guest driver does ---- */

/* Point context image @img at the ring at GM @ring of @size bytes, @tail bytes filled. */
void ctx_set_ring(uint32_t *img, uint64_t ring, uint32_t size, uint32_t tail);
/* Write the descriptor of the image at GM @image, context @id, to engine @e's port. */
void engine_submit(struct vfio_dev *d, unsigned int e, uint64_t image, uint32_t id);
/* Whether @bytes at @p all hold @colour. */
bool mem_all32(const void *p, uint64_t bytes, uint32_t colour);

/*
 * Command builders: each writes one command at @p and returns the dword
 * after it. Blits are 32 bpp, (0, 0) to (@w, @h), rows @pitch bytes apart.
 */
uint32_t *emit_fill(uint32_t *p, uint64_t dst, uint32_t pitch, uint32_t w, uint32_t h,
		    uint32_t colour);
uint32_t *emit_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t pitch, uint32_t w,
		    uint32_t h);
/* MI_STORE_DATA_IMM of @val at GM @addr */
uint32_t *emit_sdi(uint32_t *p, uint64_t addr, uint32_t val);
/* a 1-dword MI command, such as MI_NOOP or MI_BATCH_BUFFER_END */
uint32_t *emit_mi(uint32_t *p, uint32_t op);
/* MI_BATCH_BUFFER_START of the batch at @addr, @flags such as SIMGPU_BB_SECOND_LEVEL */
uint32_t *emit_bb(uint32_t *p, uint64_t addr, uint32_t flags);
/* MI_SEMAPHORE_WAIT until the dword at @addr compares (@op) true with @val */
uint32_t *emit_sem(uint32_t *p, uint32_t op, uint32_t val, uint64_t addr);
/* MI_LOAD_REGISTER_IMM of @val into @reg */
uint32_t *emit_lri(uint32_t *p, uint32_t reg, uint32_t val);
/* MI_STORE_REGISTER_MEM of @reg at @addr */
uint32_t *emit_srm(uint32_t *p, uint32_t reg, uint64_t addr);

#endif /* MVGPU_UTIL_H */
