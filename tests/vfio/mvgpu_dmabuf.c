// SPDX-License-Identifier: GPL-2.0-only
/*
 * The display's planes as dma-bufs (VFIO_GFX_PLANE_TYPE_DMABUF), as a VMM
 * with OpenGL uses them. The plane_type attribute (its default, bad
 * values, no change while open, per vGPU); probes; queries of the primary
 * and the cursor plane; VFIO_DEVICE_GET_GFX_DMABUF and the dma-buf's
 * pixels, which are the guest's own pages (a new frame shows without a new
 * query); dmabuf_ids that stay for the same buffer and change with the
 * surface or its pages; bad surfaces reported off and counted; bad ids;
 * a read-only mapping; another driver importing it (vgem, if there is
 * one); and a dma-buf that outlives the guest's memory, the device's
 * close and its removal. Prints TAP.
 *
 * Usage: mvgpu_dmabuf UUID OTHER-UUID
 *   UUID is removed at the end (its dma-buf still held); OTHER-UUID stays.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

#define IOVA		0x100000000ULL
#define FB_W		1024
#define FB_H		768
#define FB_PAGES	(FB_W * FB_H * 4 / 4096)
#define FB_BYTES	(FB_PAGES * 4096)
#define CUR_PAGES	4		/* 64x64 ARGB8888 */
#define MEM_PAGES	(2 * FB_PAGES + CUR_PAGES)
#define DRM_XRGB8888	0x34325258	/* fourcc 'XR24' */
#define DRM_ARGB8888	0x34325241	/* fourcc 'AR24' */
#define PLANE_PRIMARY	1		/* enum drm_plane_type */
#define PLANE_CURSOR	2

/* the DRM uAPI's PRIME import, as <drm/drm.h> has it */
struct drm_prime_handle {
	uint32_t handle;
	uint32_t flags;
	int32_t fd;
};

struct drm_gem_close {
	uint32_t handle;
	uint32_t pad;
};

#define DRM_IOCTL_GEM_CLOSE		_IOW('d', 0x09, struct drm_gem_close)
#define DRM_IOCTL_PRIME_FD_TO_HANDLE	_IOWR('d', 0x2e, struct drm_prime_handle)

static struct vfio_dev dev, other;
static const char *uuid, *other_uuid;
static struct vgpu_res res;
static uint8_t *mem;

static int query(struct vfio_dev *d, uint32_t flags, uint32_t type,
		 struct vfio_device_gfx_plane_info *p)
{
	memset(p, 0xa5, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = flags;
	p->drm_plane_type = type;
	return ioctl(d->fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) ? -errno : 0;
}

/* the primary plane's dmabuf_id, 0 if it is reported off */
static uint32_t primary_id(void)
{
	struct vfio_device_gfx_plane_info p;

	if (query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_PRIMARY, &p) || !p.size)
		return 0;
	return p.dmabuf_id;
}

static int get_dmabuf(uint32_t id)
{
	int fd = ioctl(dev.fd, VFIO_DEVICE_GET_GFX_DMABUF, &id);

	return fd < 0 ? -errno : fd;
}

static uint32_t pixel(unsigned int x, unsigned int y, unsigned int frame)
{
	return 0xff000000u | (x * 251 + y * 13 + frame * 101) % 0xffffff;
}

static void draw(uint8_t *fb, unsigned int frame)
{
	unsigned int x, y;

	for (y = 0; y < FB_H; y++)
		for (x = 0; x < FB_W; x++)
			((uint32_t *)fb)[y * FB_W + x] = pixel(x, y, frame);
}

static unsigned int diff(const uint32_t *img, unsigned int frame)
{
	unsigned int x, y, n = 0;

	for (y = 0; y < FB_H; y++)
		for (x = 0; x < FB_W; x++)
			n += img[y * FB_W + x] != pixel(x, y, frame);
	return n;
}

static void flip(uint64_t gm)
{
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SURF, gm);
	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_FLIP_DONE);
	/* the armed surface becomes live at the next vblank */
	for (int i = 0; i < 200 && mmio_rd32(&dev, MVGPU_DISP_PLANE_SURFLIVE) != gm; i++)
		usleep(5000);
}

static void test_attribute(void)
{
	struct vfio_device_gfx_plane_info p;

	tap_check(!strcmp(vgpu_attr(uuid, "plane_type"), "region"),
		  "plane_type: 'region' by default ('%s')", vgpu_attr(uuid, "plane_type"));
	tap_check(vgpu_attr_write(uuid, "plane_type", "dma-buf") == -EINVAL &&
		  vgpu_attr_write(uuid, "plane_type", "regions") == -EINVAL &&
		  !strcmp(vgpu_attr(uuid, "plane_type"), "region"),
		  "plane_type: other values are refused, nothing changes");
	tap_check(!vgpu_attr_write(uuid, "plane_type", "dmabuf\n") &&
		  !strcmp(vgpu_attr(uuid, "plane_type"), "dmabuf"),
		  "plane_type: 'dmabuf' is taken while the device is closed");
	if (vfio_dev_open(&dev, uuid) || vfio_dev_open(&other, other_uuid)) {
		tap_check(false, "open both vGPUs");
		exit(tap_done());
	}
	tap_check(vgpu_attr_write(uuid, "plane_type", "region") == -EBUSY &&
		  !strcmp(vgpu_attr(uuid, "plane_type"), "dmabuf"),
		  "plane_type: no change while the device is open (EBUSY)");
	tap_check(query(&dev, VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF, 0, &p) == 0 &&
		  query(&dev, VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION, 0, &p) == 0,
		  "probe: DMABUF and REGION planes are offered");
	tap_check(query(&other, VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF, 0,
			&p) == -EINVAL,
		  "the other vGPU, plane_type 'region', offers no DMABUF planes");
	tap_check(query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF | VFIO_GFX_PLANE_TYPE_REGION,
			PLANE_PRIMARY, &p) == -EINVAL &&
		  query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, 3, &p) == -EINVAL,
		  "DMABUF with REGION, or of an unknown plane type, is refused");
	tap_check(!query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_PRIMARY, &p) && !p.size &&
		  !p.drm_format && !p.width,
		  "pipe off: the primary plane is reported off");
}

static int vgem_import(int buf)
{
	struct drm_prime_handle h = { .fd = buf };
	struct drm_gem_close c = { 0 };
	char path[PATH_MAX], link[PATH_MAX];
	struct dirent *e;
	int card = -1, ret;
	ssize_t n;
	DIR *d;

	d = opendir("/sys/class/drm");
	for (e = d ? readdir(d) : NULL; e; e = readdir(d)) {
		if (strncmp(e->d_name, "card", 4) || strchr(e->d_name, '-'))
			continue;
		snprintf(path, sizeof(path), "/sys/class/drm/%s/device", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (!strcmp(basename(link), "vgem")) {
			snprintf(path, sizeof(path), "/dev/dri/%s", e->d_name);
			card = open(path, O_RDWR);
			break;
		}
	}
	if (d)
		closedir(d);
	if (card < 0)
		return -ENODEV;
	ret = ioctl(card, DRM_IOCTL_PRIME_FD_TO_HANDLE, &h) ? -errno : 0;
	if (!ret) {
		c.handle = h.handle;
		ret = ioctl(card, DRM_IOCTL_GEM_CLOSE, &c) ? -errno : 0;
	}
	close(card);
	return ret;
}

static void test_planes(void)
{
	uint32_t on = MVGPU_PLANE_ENABLE | MVGPU_FMT_XRGB8888, id, id2, id3, cur_id;
	uint64_t gm = res.low_base, gm2 = gm + FB_BYTES, cur = gm2 + FB_BYTES, errors;
	struct vfio_device_gfx_plane_info p;
	uint32_t *map, *cmap;
	int fd, fd2, cfd, ret;
	off_t size;

	mem = guest_memory(MEM_PAGES * 4096);
	if (!mem || vfio_dma_map(&dev, mem, IOVA, MEM_PAGES * 4096) ||
	    gtt_map_pages(&dev, gm / 4096, IOVA, MEM_PAGES) != MEM_PAGES) {
		tap_check(false, "two framebuffers and a cursor in guest memory behind the GTT");
		exit(tap_done());
	}
	draw(mem, 0);
	draw(mem + FB_BYTES, 5);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_CTL, on);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_STRIDE, FB_W * 4);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SIZE, MVGPU_DISP_XY(FB_W, FB_H));
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SURF, gm);
	mmio_wr32(&dev, MVGPU_DISP_PIPE_CONF, MVGPU_PIPE_ENABLE);

	ret = query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_PRIMARY, &p);
	tap_check(!ret && p.drm_format == DRM_XRGB8888 && p.drm_format_mod == 0 &&
		  p.width == FB_W && p.height == FB_H && p.stride == FB_W * 4 &&
		  p.size == FB_BYTES && p.dmabuf_id,
		  "primary plane: XRGB8888 1024x768, linear, stride 4096, dmabuf_id %u",
		  p.dmabuf_id);
	id = p.dmabuf_id;
	tap_check(primary_id() == id, "the same plane queried again: the same dmabuf_id");

	fd = get_dmabuf(id);
	size = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	tap_check(fd >= 0 && size == FB_BYTES, "GET_GFX_DMABUF: a dma-buf of %lld bytes",
		  (long long)size);
	map = fd >= 0 ? mmap(NULL, FB_BYTES, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
	tap_check(map != MAP_FAILED && diff(map, 0) == 0,
		  "its mapping shows what the guest drew");
	draw(mem, 1);
	tap_check(map != MAP_FAILED && diff(map, 1) == 0,
		  "it is the guest's memory: a new frame shows without a new query");
	tap_check(fd >= 0 && mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
		  MAP_FAILED, "the dma-buf cannot be mapped writable");
	ret = fd >= 0 ? vgem_import(fd) : -EBADF;
	if (ret == -ENODEV)
		tap_skip("another driver imports it", "no vgem device (CONFIG_DRM_VGEM)");
	else
		tap_check(!ret, "another driver (vgem) imports it and lets it go (%s)",
			  strerror(-ret));

	tap_check(get_dmabuf(id + 1000) == -ENOENT && get_dmabuf(0) == -ENOENT,
		  "GET_GFX_DMABUF of an id never given out: ENOENT");
	tap_check(ioctl(dev.fd, VFIO_DEVICE_GET_GFX_DMABUF, (void *)8) < 0 && errno == EFAULT,
		  "GET_GFX_DMABUF with a bad pointer: EFAULT");

	flip(gm2);
	id2 = primary_id();
	fd2 = id2 ? get_dmabuf(id2) : -1;
	cmap = fd2 >= 0 ? mmap(NULL, FB_BYTES, PROT_READ, MAP_SHARED, fd2, 0) : MAP_FAILED;
	tap_check(id2 && id2 != id && cmap != MAP_FAILED && diff(cmap, 5) == 0,
		  "a flip to the second framebuffer: a new dmabuf_id (%u), its pixels", id2);
	if (cmap != MAP_FAILED)
		munmap(cmap, FB_BYTES);
	if (fd2 >= 0)
		close(fd2);
	flip(gm);
	tap_check(primary_id() == id, "and back: the first dmabuf_id again");

	/* the guest points one page of the surface elsewhere */
	gtt_set(&dev, gm / 4096 + 7, gtt_get(&dev, gm2 / 4096 + 7));
	id3 = primary_id();
	tap_check(id3 && id3 != id && id3 != id2,
		  "a GTT entry of the surface changed: a new dmabuf_id (%u)", id3);
	gtt_map_pages(&dev, gm / 4096 + 7, IOVA + 7 * 4096, 1);
	tap_check(primary_id() == id, "the entry back as it was: the first dmabuf_id again");

	errors = stat_value(uuid, "display.plane_errors");
	gtt_set(&dev, gm / 4096 + 100, 0);
	tap_check(!query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_PRIMARY, &p) && !p.size &&
		  stat_value(uuid, "display.plane_errors") == errors + 1,
		  "a page with no GTT entry: reported off, counted");
	gtt_map_pages(&dev, gm / 4096 + 100, IOVA + 100 * 4096, 1);

	/* the cursor: 64x64 ARGB8888 at (100, -20), hotspot (3, 4) */
	tap_check(!query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_CURSOR, &p) && !p.size,
		  "cursor off: reported off");
	for (int i = 0; i < 64 * 64; i++)
		((uint32_t *)(mem + 2 * FB_BYTES))[i] = 0x80000000u | i;
	mmio_wr32(&dev, MVGPU_DISP_CUR_BASE, cur);
	mmio_wr32(&dev, MVGPU_DISP_CUR_POS, MVGPU_DISP_XY(100, (uint16_t)-20));
	mmio_wr32(&dev, MVGPU_DISP_CUR_HOT, MVGPU_DISP_XY(3, 4));
	mmio_wr32(&dev, MVGPU_DISP_CUR_CTL, MVGPU_PLANE_ENABLE);
	ret = query(&dev, VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_CURSOR, &p);
	tap_check(!ret && p.drm_format == DRM_ARGB8888 && p.width == 64 && p.height == 64 &&
		  p.stride == 256 && p.size == CUR_PAGES * 4096 && p.x_pos == 100 &&
		  (int32_t)p.y_pos == -20 && p.x_hot == 3 && p.y_hot == 4 && p.dmabuf_id &&
		  p.dmabuf_id != id,
		  "cursor: ARGB8888 64x64 at (%d, %d), hotspot (%u, %u), dmabuf_id %u",
		  (int)p.x_pos, (int)p.y_pos, p.x_hot, p.y_hot, p.dmabuf_id);
	cur_id = p.dmabuf_id;
	cfd = get_dmabuf(cur_id);
	cmap = cfd >= 0 ? mmap(NULL, CUR_PAGES * 4096, PROT_READ, MAP_SHARED, cfd, 0) :
			  MAP_FAILED;
	tap_check(cmap != MAP_FAILED && cmap[0] == 0x80000000u && cmap[4095] == 0x80000fffu,
		  "the cursor's dma-buf shows its pixels");
	if (cmap != MAP_FAILED)
		munmap(cmap, CUR_PAGES * 4096);
	if (cfd >= 0)
		close(cfd);

	/*
	 * Lifetime: the guest's memory goes (unmapped from the device, freed
	 * by the process), then the device closes and is removed; the
	 * dma-buf keeps the pages it shows
	 */
	vfio_dma_unmap(&dev, IOVA, MEM_PAGES * 4096);
	munmap(mem, MEM_PAGES * 4096);
	tap_check(map != MAP_FAILED && diff(map, 1) == 0,
		  "guest memory unmapped and freed: the dma-buf still shows the last frame");
	vfio_dev_close(&dev);
	tap_check(map != MAP_FAILED && diff(map, 1) == 0,
		  "the device closed: the dma-buf still shows it");
	if (vfio_dev_open(&dev, uuid)) {
		tap_check(false, "reopen");
	} else {
		tap_check(get_dmabuf(id) == -ENOENT,
			  "reopened: the ids of before the close are gone (ENOENT)");
		vfio_dev_close(&dev);
	}
	tap_check(!vgpu_attr_write(uuid, "plane_type", "region") &&
		  !strcmp(vgpu_attr(uuid, "plane_type"), "region"),
		  "plane_type: back to 'region' once closed");
	{
		char path[128];
		FILE *f;

		snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove", uuid);
		f = fopen(path, "w");
		tap_check(f && fputs("1", f) >= 0 && !fclose(f) && access(path, F_OK),
			  "the vGPU removed while its dma-buf is held");
	}
	tap_check(map != MAP_FAILED && diff(map, 1) == 0,
		  "the vGPU removed: the dma-buf still shows the last frame");
	if (map != MAP_FAILED)
		munmap(map, FB_BYTES);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s UUID OTHER-UUID\n", argv[0]);
		return 2;
	}
	uuid = argv[1];
	other_uuid = argv[2];
	if (read_resources(uuid, &res)) {
		tap_check(false, "read the vGPU's resources");
		return tap_done();
	}
	test_attribute();
	test_planes();
	vfio_dev_close(&other);
	return tap_done();
}
