// SPDX-License-Identifier: GPL-2.0-only
/*
 * The display of a vGPU through VFIO. As a guest driver sees it: the
 * registers at power-on and the EDID, vblank interrupts and the frame
 * counter while the pipe is on (and not while it is off, nor after the
 * device is closed), double-buffered surface updates with FLIP_DONE,
 * modes the pipe refuses, and a second vGPU whose display nothing of this
 * reaches. As the VMM sees it: the EDID region (its header, the update
 * protocol, the hot-plug the guest gets, bad writes), plane queries of the
 * REGION type in every state, the framebuffer region's pixels (read and
 * mapped) against what the guest wrote, and invalid planes reported
 * disabled and counted. Prints TAP.
 *
 * Usage: mvgpu_display UUID OTHER-UUID
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

#define EDID_INDEX	VFIO_PCI_NUM_REGIONS
#define FB_INDEX	(VFIO_PCI_NUM_REGIONS + 1)
#define IOVA		0x100000000ULL
#define FB_W		1024
#define FB_H		768
#define FB_PAGES	(FB_W * FB_H * 4 / 4096)
#define DRM_XRGB8888	0x34325258	/* fourcc 'XR24' */
#define PLANE_PRIMARY	1		/* enum drm_plane_type */
#define PLANE_CURSOR	2

static struct vfio_dev dev, other;
static const char *uuid, *other_uuid;
static struct vgpu_res res;
static int efd;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* The type's resolutions, from its description: "WxH" after @key */
static uint32_t type_xy(const char *id, const char *key)
{
	char path[256], line[128];
	unsigned int w = 0, h = 0;
	size_t n = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/mdev_type/description", id);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			sscanf(line + n + 1, " %ux%u", &w, &h);
	fclose(f);
	return MVGPU_DISP_XY(w, h);
}

/* Wait for @bits in IIR, taking interrupts from the MSI eventfd: 0 or -1. */
static int wait_iir(uint32_t bits, int ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end) {
		if ((mmio_rd32(&dev, MVGPU_REG_IIR) & bits) == bits)
			return 0;
		efd_wait(efd, 50);
	}
	return -1;
}

static void test_power_on(void)
{
	static const uint8_t header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	uint32_t size = mmio_rd32(&dev, MVGPU_DISP_EDID_SIZE), v, i;
	uint8_t edid[128], sum = 0;

	tap_check(mmio_rd32(&dev, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_VERSION) ==
		  (1 << 16 | MVGPU_VERSION_MAJOR), "PVINFO: version 1.1 (a display engine)");
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_CONF) == 0, "power-on: the pipe is off");
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_SRC) == type_xy(uuid, "resolution"),
		  "power-on: the mode is the type's resolution (%#x)",
		  mmio_rd32(&dev, MVGPU_DISP_PIPE_SRC));
	tap_check(mmio_rd32(&dev, MVGPU_DISP_MAX_SRC) == type_xy(uuid, "max_resolution"),
		  "MAX_SRC is the type's max_resolution (%#x)",
		  mmio_rd32(&dev, MVGPU_DISP_MAX_SRC));
	tap_check(mmio_rd32(&dev, MVGPU_DISP_REFRESH) == MVGPU_REFRESH_MHZ, "refresh: 60 Hz");
	tap_check(mmio_rd32(&dev, MVGPU_DISP_HOTPLUG) == MVGPU_HOTPLUG_CONNECTED,
		  "a monitor is connected");
	tap_check(size == sizeof(edid), "EDID: one 128-byte block (%u)", size);
	for (i = 0; i < sizeof(edid); i += 4) {
		v = mmio_rd32(&dev, MVGPU_DISP_EDID + i);
		memcpy(edid + i, &v, 4);
	}
	for (i = 0; i < sizeof(edid); i++)
		sum += edid[i];
	tap_check(!memcmp(edid, header, sizeof(header)) && !sum,
		  "EDID: header and checksum are right");
	v = edid[56] | (edid[58] >> 4) << 8;
	tap_check(v == (type_xy(uuid, "resolution") & 0xffff),
		  "EDID: the preferred mode is the type's width");
}

static void test_vblank(void)
{
	uint32_t f0, f1, live;
	uint64_t t0, t1;
	int n = 0;

	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	mmio_wr32(&dev, MVGPU_REG_IMR, 0);
	mmio_wr32(&dev, MVGPU_REG_IER, MVGPU_IRQ_VBLANK | MVGPU_IRQ_FLIP_DONE);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SURF, res.low_base);
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PLANE_SURFLIVE) == res.low_base,
		  "pipe off: a surface is live at once");
	t0 = now_ms();
	mmio_wr32(&dev, MVGPU_DISP_PIPE_CONF, MVGPU_PIPE_ENABLE);
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_CONF) == (MVGPU_PIPE_ENABLE | MVGPU_PIPE_ACTIVE),
		  "pipe on: PIPE_CONF reads enabled and active");
	/* ten vblank interrupts, each cleared in IIR */
	while (n < 10 && !wait_iir(MVGPU_IRQ_VBLANK, 2000)) {
		mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_VBLANK);
		n++;
	}
	tap_check(n == 10, "pipe on: vblank interrupts keep coming (%d of 10)", n);
	sleep(1);
	f1 = mmio_rd32(&dev, MVGPU_DISP_FRAME);
	/* loose bounds: the counter follows the clock, not the timer's promptness */
	t1 = now_ms() - t0;
	tap_check(f1 * 1000ULL >= t1 * 60 / 2 && f1 * 1000ULL <= t1 * 60 * 2,
		  "the frame counter keeps 60 Hz time (%u frames in %" PRIu64 " ms)", f1, t1);

	/* a flip while on waits for the vblank, and says so */
	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SURF, res.low_base + 0x100000);
	live = mmio_rd32(&dev, MVGPU_DISP_PLANE_SURFLIVE);
	tap_check(live == res.low_base || live == res.low_base + 0x100000,
		  "a flip: SURFLIVE is the old or, after a vblank, the new surface");
	tap_check(!wait_iir(MVGPU_IRQ_FLIP_DONE, 2000) &&
		  mmio_rd32(&dev, MVGPU_DISP_PLANE_SURFLIVE) == res.low_base + 0x100000,
		  "a flip: FLIP_DONE, then SURFLIVE is the new surface");

	/* the other vGPU's display saw none of it */
	tap_check(mmio_rd32(&other, MVGPU_DISP_PIPE_CONF) == 0 &&
		  mmio_rd32(&other, MVGPU_DISP_FRAME) == 0 &&
		  !(mmio_rd32(&other, MVGPU_REG_IIR) & (MVGPU_IRQ_VBLANK | MVGPU_IRQ_FLIP_DONE)),
		  "the other vGPU's pipe is off and got no display interrupt");

	/* off: no more frames, no more vblanks */
	mmio_wr32(&dev, MVGPU_DISP_PIPE_CONF, 0);
	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	f0 = mmio_rd32(&dev, MVGPU_DISP_FRAME);
	usleep(200 * 1000);
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_CONF) == 0 &&
		  mmio_rd32(&dev, MVGPU_DISP_FRAME) == f0 &&
		  !(mmio_rd32(&dev, MVGPU_REG_IIR) & MVGPU_IRQ_VBLANK),
		  "pipe off: the frame counter stops and no vblank comes");
}

static void test_modes(void)
{
	uint32_t max = mmio_rd32(&dev, MVGPU_DISP_MAX_SRC);
	uint32_t mode = mmio_rd32(&dev, MVGPU_DISP_PIPE_SRC);
	uint64_t unknown = counter(uuid, "unknown_writes");

	mmio_wr32(&dev, MVGPU_DISP_PIPE_SRC, max + 8);
	mmio_wr32(&dev, MVGPU_DISP_PIPE_SRC, max + (8 << 16));
	mmio_wr32(&dev, MVGPU_DISP_PIPE_SRC, 0);
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_SRC) == mode &&
		  counter(uuid, "unknown_writes") == unknown + 3,
		  "modes beyond MAX_SRC or empty are refused and counted");
	mmio_wr32(&dev, MVGPU_DISP_PIPE_SRC, max);
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_SRC) == max, "the largest mode is taken");
	mmio_wr32(&dev, MVGPU_DISP_FRAME, 1234);
	mmio_wr32(&dev, MVGPU_DISP_EDID, 0);
	tap_check(mmio_rd32(&dev, MVGPU_DISP_EDID) == 0xffffff00 &&
		  counter(uuid, "unknown_writes") == unknown + 5,
		  "FRAME and the EDID are read-only");
}

static int region_rw(unsigned int index, uint64_t off, void *buf, size_t len, bool write)
{
	ssize_t n = write ? vfio_region_write(&dev, index, off, buf, len) :
			    vfio_region_read(&dev, index, off, buf, len);

	return n == (ssize_t)len ? 0 : -1;
}

static uint32_t edid_rd(uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	region_rw(EDID_INDEX, off, &v, 4, false);
	return v;
}

static int edid_wr(uint32_t off, uint32_t v)
{
	return region_rw(EDID_INDEX, off, &v, 4, true);
}

static void test_regions(void)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct {
		struct vfio_region_info info;
		struct vfio_region_info_cap_type cap;
	} r = { .info = { .argsz = sizeof(r.info), .index = EDID_INDEX } };
	struct vfio_region_info fb = { .argsz = sizeof(fb), .index = FB_INDEX };
	uint32_t max = type_xy(uuid, "max_resolution");
	uint64_t fb_size = (uint64_t)(max & 0xffff) * (max >> 16) * 4;

	tap_check(!ioctl(dev.fd, VFIO_DEVICE_GET_INFO, &di) &&
		  di.num_regions == VFIO_PCI_NUM_REGIONS + 2,
		  "GET_INFO: two regions after the PCI ones (%u in all)", di.num_regions);
	/* too small for the capability: told how much room it needs */
	tap_check(!ioctl(dev.fd, VFIO_DEVICE_GET_REGION_INFO, &r.info) &&
		  r.info.argsz == sizeof(r) && (r.info.flags & VFIO_REGION_INFO_FLAG_CAPS) &&
		  !r.info.cap_offset,
		  "EDID region info with no room for its capability asks for %zu bytes (%u)",
		  sizeof(r), r.info.argsz);
	tap_check(!ioctl(dev.fd, VFIO_DEVICE_GET_REGION_INFO, &r) &&
		  r.info.cap_offset == sizeof(r.info) &&
		  r.cap.header.id == VFIO_REGION_INFO_CAP_TYPE &&
		  r.cap.type == VFIO_REGION_TYPE_GFX &&
		  r.cap.subtype == VFIO_REGION_SUBTYPE_GFX_EDID &&
		  (r.info.flags & VFIO_REGION_INFO_FLAG_READ) &&
		  (r.info.flags & VFIO_REGION_INFO_FLAG_WRITE) && r.info.size >= 0x100 + 1024,
		  "EDID region: type GFX, subtype EDID, read/write");
	tap_check(!ioctl(dev.fd, VFIO_DEVICE_GET_REGION_INFO, &fb) &&
		  fb.size >= fb_size && fb.size < fb_size + 4096 &&
		  fb.flags == (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_MMAP),
		  "framebuffer region: the largest mode at 32 bpp, read-only, mappable");
	fb.index = FB_INDEX + 1;
	tap_check(ioctl(dev.fd, VFIO_DEVICE_GET_REGION_INFO, &fb) && errno == EINVAL,
		  "no region after them");
}

/* A 2-block EDID, checksums right, with a mark to recognise it by. */
static void make_edid(uint8_t *e, uint8_t mark)
{
	static const uint8_t header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	unsigned int b, i;
	uint8_t sum;

	memset(e, 0, 256);
	memcpy(e, header, 8);
	e[18] = 1;
	e[19] = 4;
	e[126] = 1;
	for (i = 128; i < 255; i++)
		e[i] = mark + i;
	for (b = 0; b < 2; b++) {
		sum = 0;
		for (i = 0; i < 127; i++)
			sum += e[128 * b + i];
		e[128 * b + 127] = -sum;
	}
}

static void test_edid_region(void)
{
	uint32_t max = type_xy(uuid, "max_resolution"), off, v, i;
	uint8_t edid[256], got[256];
	int bad = 0;

	off = edid_rd(0);
	tap_check(off >= 24 && edid_rd(4) == 1024 && edid_rd(16 - 4) == (max & 0xffff) &&
		  edid_rd(16) == max >> 16,
		  "EDID region header: blob at %#x, 1 KiB at most, max_xres/yres of the type",
		  off);
	tap_check(edid_rd(20) == VFIO_DEVICE_GFX_LINK_STATE_UP && edid_rd(8) == 0,
		  "EDID region at open: link up, no EDID from the VMM yet");
	/* bad writes are refused and change nothing */
	bad += !edid_wr(0, 0x200);
	bad += !edid_wr(4, 4096);
	bad += !edid_wr(12, 8000);
	bad += !edid_wr(8, 1025);
	bad += !edid_wr(8, 100);
	bad += !edid_wr(20, 3);
	bad += !edid_wr(20, VFIO_DEVICE_GFX_LINK_STATE_UP);	/* no EDID yet */
	v = 2;
	bad += !region_rw(EDID_INDEX, 9, &v, 2, true);		/* not a whole field */
	bad += !region_rw(EDID_INDEX, off + 1020, edid, 8, true);	/* past the blob */
	tap_check(bad == 0 && edid_rd(0) == off && edid_rd(8) == 0,
		  "EDID region: bad writes are refused (%d accepted)", bad);

	/* the protocol: link down, blob and size, link up */
	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	mmio_wr32(&dev, MVGPU_REG_IMR, 0);
	mmio_wr32(&dev, MVGPU_REG_IER, MVGPU_IRQ_HOTPLUG);
	efd_wait(efd, 0);
	tap_check(!edid_wr(20, VFIO_DEVICE_GFX_LINK_STATE_DOWN) &&
		  mmio_rd32(&dev, MVGPU_DISP_HOTPLUG) == MVGPU_HOTPLUG_CHANGED &&
		  (mmio_rd32(&dev, MVGPU_REG_IIR) & MVGPU_IRQ_HOTPLUG) && efd_wait(efd, 2000),
		  "link down: the guest sees the monitor unplugged, with an interrupt");
	mmio_wr32(&dev, MVGPU_DISP_HOTPLUG, MVGPU_HOTPLUG_CHANGED);
	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	make_edid(edid, 0x40);
	tap_check(!region_rw(EDID_INDEX, off, edid, sizeof(edid), true) &&
		  !edid_wr(8, sizeof(edid)) && !edid_wr(20, VFIO_DEVICE_GFX_LINK_STATE_UP),
		  "a 256-byte EDID written, then link up");
	for (i = 0; i < sizeof(got); i += 4) {
		v = mmio_rd32(&dev, MVGPU_DISP_EDID + i);
		memcpy(got + i, &v, 4);
	}
	tap_check(mmio_rd32(&dev, MVGPU_DISP_EDID_SIZE) == sizeof(edid) &&
		  !memcmp(got, edid, sizeof(edid)) &&
		  mmio_rd32(&dev, MVGPU_DISP_HOTPLUG) ==
		  (MVGPU_HOTPLUG_CONNECTED | MVGPU_HOTPLUG_CHANGED) &&
		  (mmio_rd32(&dev, MVGPU_REG_IIR) & MVGPU_IRQ_HOTPLUG),
		  "link up: the guest reads the new EDID and gets a hot-plug");
	tap_check(mmio_rd32(&other, MVGPU_DISP_EDID_SIZE) == 128 &&
		  mmio_rd32(&other, MVGPU_DISP_HOTPLUG) == MVGPU_HOTPLUG_CONNECTED,
		  "the other vGPU's monitor did not change");
	memset(got, 0, sizeof(got));
	tap_check(!region_rw(EDID_INDEX, off, got, sizeof(got), false) &&
		  !memcmp(got, edid, sizeof(edid)), "the blob reads back from the region");
	mmio_wr32(&dev, MVGPU_REG_IER, 0);
	mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
}

static int query(uint32_t flags, uint32_t type, struct vfio_device_gfx_plane_info *p)
{
	memset(p, 0xa5, sizeof(*p));
	p->argsz = sizeof(*p);
	p->flags = flags;
	p->drm_plane_type = type;
	return ioctl(dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, p) ? -errno : 0;
}

static bool plane_off(const struct vfio_device_gfx_plane_info *p)
{
	return !p->drm_format && !p->size && !p->width && !p->height;
}

static uint32_t pixel(unsigned int x, unsigned int y, unsigned int frame)
{
	return 0xff000000u | (x * 251 + y * 13 + frame * 101) % 0xffffff;
}

/* The guest's frame: @h lines at @fbmem, @stride bytes apart */
static void draw(uint8_t *fbmem, uint32_t stride, unsigned int h, unsigned int frame)
{
	unsigned int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < FB_W; x++)
			((uint32_t *)(fbmem + (size_t)y * stride))[x] = pixel(x, y, frame);
}

/* Pixels of the first @h lines that differ from frame @frame, in a packed image */
static unsigned int diff(const uint32_t *img, unsigned int h, unsigned int frame)
{
	unsigned int x, y, n = 0;

	for (y = 0; y < h; y++)
		for (x = 0; x < FB_W; x++)
			n += img[y * FB_W + x] != pixel(x, y, frame);
	return n;
}

static void set_plane(uint32_t ctl, uint32_t stride, uint32_t w, uint32_t h, uint64_t gm)
{
	mmio_wr32(&dev, MVGPU_DISP_PLANE_CTL, ctl);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_STRIDE, stride);
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SIZE, MVGPU_DISP_XY(w, h));
	mmio_wr32(&dev, MVGPU_DISP_PLANE_SURF, gm);
	/* let an armed update become live */
	if (mmio_rd32(&dev, MVGPU_DISP_PIPE_CONF) & MVGPU_PIPE_ACTIVE) {
		mmio_wr32(&dev, MVGPU_REG_IIR, MVGPU_IRQ_FLIP_DONE);
		wait_iir(MVGPU_IRQ_FLIP_DONE, 2000);
	}
}

/* A plane the guest got wrong: reported off, counted in the stats. */
static void bad_plane(const char *what, uint32_t ctl, uint32_t stride, uint32_t w, uint32_t h,
		      uint64_t gm)
{
	struct vfio_device_gfx_plane_info p;
	uint64_t errors = stat_value(uuid, "display.plane_errors");

	set_plane(ctl, stride, w, h, gm);
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, PLANE_PRIMARY, &p) && plane_off(&p) &&
		  stat_value(uuid, "display.plane_errors") == errors + 1,
		  "bad plane, %s: reported off, counted", what);
}

static void test_planes(void)
{
	uint32_t on = MVGPU_PLANE_ENABLE | MVGPU_FMT_XRGB8888, stride = FB_W * 4;
	struct vfio_device_gfx_plane_info p;
	uint64_t gm = res.low_base, size;
	uint32_t *img, *map;
	uint8_t *mem;

	tap_check(query(VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION, 0, &p) == 0,
		  "probe: REGION planes are offered");
	tap_check(query(VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF, 0, &p) == -EINVAL,
		  "probe: DMABUF planes are not, by default (plane_type 'region')");
	tap_check(query(0, PLANE_PRIMARY, &p) == -EINVAL &&
		  query(VFIO_GFX_PLANE_TYPE_REGION | VFIO_GFX_PLANE_TYPE_DMABUF, PLANE_PRIMARY,
			&p) == -EINVAL && query(1u << 7 | VFIO_GFX_PLANE_TYPE_REGION,
						PLANE_PRIMARY, &p) == -EINVAL,
		  "queries with no type, two types or unknown flags are refused");
	tap_check(query(VFIO_GFX_PLANE_TYPE_REGION, 3, &p) == -EINVAL &&
		  query(VFIO_GFX_PLANE_TYPE_REGION, ~0U, &p) == -EINVAL,
		  "queries of unknown plane types are refused");
	p.argsz = 8;
	tap_check(ioctl(dev.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &p) && errno == EINVAL,
		  "a query with a short argsz is refused");
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, PLANE_PRIMARY, &p) && plane_off(&p),
		  "pipe off: the primary plane is reported off");

	/* the guest's framebuffer: guest memory behind its low GM */
	mem = guest_memory(FB_PAGES * 4096);
	if (!mem || vfio_dma_map(&dev, mem, IOVA, FB_PAGES * 4096) ||
	    gtt_map_pages(&dev, gm / 4096, IOVA, FB_PAGES) != FB_PAGES) {
		tap_check(false, "a 1024x768 framebuffer in guest memory behind the GTT");
		return;
	}
	draw(mem, stride, FB_H, 0);
	set_plane(on, stride, FB_W, FB_H, gm);
	mmio_wr32(&dev, MVGPU_DISP_PIPE_CONF, MVGPU_PIPE_ENABLE);
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, PLANE_PRIMARY, &p) &&
		  p.drm_format == DRM_XRGB8888 && p.width == FB_W && p.height == FB_H &&
		  p.stride == stride && p.size >= FB_W * FB_H * 4 && p.region_index == FB_INDEX &&
		  p.x_hot == ~0U,
		  "primary plane: XRGB8888 1024x768, in the framebuffer region");
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, 0, &p) && p.width == FB_W &&
		  p.region_index == FB_INDEX,
		  "plane type 0, as QEMU's region display asks: the primary plane");
	size = p.size;
	img = malloc(size);
	tap_check(img && !region_rw(FB_INDEX, 0, img, size, false) && diff(img, FB_H, 0) == 0,
		  "the framebuffer region holds what the guest drew (read)");
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, dev.fd, (uint64_t)FB_INDEX << 40);
	tap_check(map != MAP_FAILED && diff(map, FB_H, 0) == 0,
		  "the framebuffer region holds what the guest drew (mapped)");
	/* the next frame: each query refreshes the region */
	draw(mem, stride, FB_H, 1);
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, PLANE_PRIMARY, &p) && map != MAP_FAILED &&
		  diff(map, FB_H, 1) == 0, "a new frame, a new query: the mapping shows it");
	/* a padded stride comes out packed */
	draw(mem, 8192, FB_H / 2, 2);
	set_plane(on, 8192, FB_W, FB_H / 2, gm);
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, PLANE_PRIMARY, &p) && p.stride == stride &&
		  p.height == FB_H / 2 && map != MAP_FAILED && diff(map, FB_H / 2, 2) == 0,
		  "a 8 KiB stride: lines packed in the region");
	tap_check(!query(VFIO_GFX_PLANE_TYPE_REGION, PLANE_CURSOR, &p) && plane_off(&p),
		  "the cursor has no region: reported off");
	tap_check(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, dev.fd,
		       (uint64_t)FB_INDEX << 40) == MAP_FAILED,
		  "the framebuffer region cannot be mapped writable");
	tap_check(vfio_region_write(&dev, FB_INDEX, 0, img, 4) < 0,
		  "nor written");

	bad_plane("unknown format", MVGPU_PLANE_ENABLE | 7, stride, FB_W, FB_H, gm);
	bad_plane("stride shorter than a line", on, stride - 4, FB_W, FB_H, gm);
	bad_plane("larger than the mode", on, 65536, 4096, 16, gm);
	bad_plane("another vGPU's GM", on, stride, FB_W, FB_H, gm - res.low_size);
	bad_plane("running past its GM", on, 0x100000, FB_W, FB_H, gm);
	gtt_set(&dev, gm / 4096 + FB_PAGES / 2, 0);
	bad_plane("a page with no GTT entry", on, stride, FB_W, FB_H, gm);

	mmio_wr32(&dev, MVGPU_DISP_PIPE_CONF, 0);
	if (map != MAP_FAILED)
		munmap(map, size);
	free(img);
}

/* Closing with the pipe on stops its timer; the next user finds it off. */
static void test_close(void)
{
	uint64_t f0;

	mmio_wr32(&dev, MVGPU_DISP_PIPE_CONF, MVGPU_PIPE_ENABLE);
	usleep(100 * 1000);
	vfio_dev_close(&dev);
	f0 = stat_value(uuid, "display.vblanks");
	usleep(300 * 1000);
	tap_check(f0 && stat_value(uuid, "display.vblanks") == f0,
		  "closed with the pipe on: its vblanks stop (stats display.vblanks %" PRIu64 ")",
		  f0);
	if (vfio_dev_open(&dev, uuid)) {
		tap_check(false, "reopen");
		return;
	}
	tap_check(mmio_rd32(&dev, MVGPU_DISP_PIPE_CONF) == 0 &&
		  mmio_rd32(&dev, MVGPU_DISP_FRAME) == 0 &&
		  mmio_rd32(&dev, MVGPU_DISP_PIPE_SRC) == type_xy(uuid, "resolution"),
		  "reopened: the pipe is off, in the type's mode");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s UUID OTHER-UUID\n", argv[0]);
		return 2;
	}
	uuid = argv[1];
	other_uuid = argv[2];
	efd = efd_new();
	if (read_resources(uuid, &res) || vfio_dev_open(&dev, uuid) ||
	    vfio_dev_open(&other, other_uuid) ||
	    vfio_irq_set_eventfd(&dev, VFIO_PCI_MSI_IRQ_INDEX, efd)) {
		tap_check(false, "two vGPUs open, MSI on an eventfd");
		return tap_done();
	}
	tap_check(true, "two vGPUs open, MSI on an eventfd");
	test_power_on();
	test_vblank();
	test_modes();
	test_regions();
	test_edid_region();
	test_planes();
	test_close();
	vfio_dev_close(&dev);
	vfio_dev_close(&other);
	return tap_done();
}
