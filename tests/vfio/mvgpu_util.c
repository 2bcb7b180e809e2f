// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers for the test programs that drive mvgpu vGPUs (mvgpu_util.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <mvgpu/simgpu.h>
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

uint64_t gtt_map_pages(struct vfio_dev *d, uint64_t first, uint64_t iova, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (gtt_set(d, first + i, (iova + i * 4096) | MVGPU_GTT_VALID))
			break;
	return i;
}

void ctx_set_ring(uint32_t *img, uint64_t ring, uint32_t size, uint32_t tail)
{
	img[MVGPU_CTX_RING_START / 4] = (uint32_t)ring;
	img[MVGPU_CTX_RING_START / 4 + 1] = ring >> 32;
	img[MVGPU_CTX_RING_SIZE / 4] = size;
	img[MVGPU_CTX_RING_TAIL / 4] = tail;
}

void engine_submit(struct vfio_dev *d, unsigned int e, uint64_t image, uint32_t id)
{
	mmio_wr64(d, MVGPU_ENGINE_BASE(e) + MVGPU_ENGINE_SUBMIT,
		  image | MVGPU_DESC_VALID | (uint64_t)id << 48);
}

bool mem_all32(const void *p, uint64_t bytes, uint32_t colour)
{
	const uint32_t *q = p;
	uint64_t i;

	for (i = 0; i < bytes / 4; i++)
		if (q[i] != colour)
			return false;
	return true;
}

uint32_t *emit_fill(uint32_t *p, uint64_t dst, uint32_t pitch, uint32_t w, uint32_t h,
		    uint32_t colour)
{
	*p++ = SIMGPU_BLT(SIMGPU_BLT_FILL, 7);
	*p++ = SIMGPU_BLT_BPP_32 << 24 | pitch;
	*p++ = SIMGPU_BLT_XY(0, 0);
	*p++ = SIMGPU_BLT_XY(w, h);
	*p++ = (uint32_t)dst;
	*p++ = dst >> 32;
	*p++ = colour;
	return p;
}

uint32_t *emit_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t pitch, uint32_t w,
		    uint32_t h)
{
	*p++ = SIMGPU_BLT(SIMGPU_BLT_COPY, 10);
	*p++ = SIMGPU_BLT_BPP_32 << 24 | pitch;
	*p++ = SIMGPU_BLT_XY(0, 0);
	*p++ = SIMGPU_BLT_XY(w, h);
	*p++ = (uint32_t)dst;
	*p++ = dst >> 32;
	*p++ = SIMGPU_BLT_XY(0, 0);
	*p++ = pitch;
	*p++ = (uint32_t)src;
	*p++ = src >> 32;
	return p;
}

uint32_t *emit_sdi(uint32_t *p, uint64_t addr, uint32_t val)
{
	*p++ = SIMGPU_MI_LEN(SIMGPU_MI_STORE_DATA_IMM, 4);
	*p++ = (uint32_t)addr;
	*p++ = addr >> 32;
	*p++ = val;
	return p;
}

uint32_t *emit_mi(uint32_t *p, uint32_t op)
{
	*p++ = SIMGPU_MI(op);
	return p;
}

uint32_t *emit_bb(uint32_t *p, uint64_t addr, uint32_t flags)
{
	*p++ = SIMGPU_MI_LEN(SIMGPU_MI_BATCH_BUFFER_START, 3) | flags;
	*p++ = (uint32_t)addr;
	*p++ = addr >> 32;
	return p;
}

uint32_t *emit_sem(uint32_t *p, uint32_t op, uint32_t val, uint64_t addr)
{
	*p++ = SIMGPU_MI_LEN(SIMGPU_MI_SEMAPHORE_WAIT, 4) | op << 12;
	*p++ = val;
	*p++ = (uint32_t)addr;
	*p++ = addr >> 32;
	return p;
}

uint32_t *emit_lri(uint32_t *p, uint32_t reg, uint32_t val)
{
	*p++ = SIMGPU_MI_LEN(SIMGPU_MI_LOAD_REGISTER_IMM, 3);
	*p++ = reg;
	*p++ = val;
	return p;
}

uint32_t *emit_srm(uint32_t *p, uint32_t reg, uint64_t addr)
{
	*p++ = SIMGPU_MI_LEN(SIMGPU_MI_STORE_REGISTER_MEM, 4);
	*p++ = reg;
	*p++ = (uint32_t)addr;
	*p++ = addr >> 32;
	return p;
}
