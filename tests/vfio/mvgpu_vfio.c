// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO-level tests of mvgpu vGPUs, done the way QEMU drives a device.
 * Prints TAP.
 *
 * Usage: mvgpu_vfio UUID_OF_A_V1_4 UUID_OF_A_V1_8
 * The V1_8 vGPU is removed by the last test (removal while open).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <mvgpu/pci_ids.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

static uint64_t pow2_up(uint64_t v)
{
	uint64_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

static void test_regions(struct vfio_dev *d, const struct vgpu_res *r)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info ri;
	uint64_t gm = mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_GM_SIZE);
	int ret;

	tap_check(!ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info) &&
		  info.flags == (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET) &&
		  info.num_regions == VFIO_PCI_NUM_REGIONS + 2 &&
		  info.num_irqs == VFIO_PCI_NUM_IRQS,
		  "DEVICE_GET_INFO: a resettable PCI device, two display regions");
	ret = vfio_region_info(d, BAR0, &ri);
	tap_check(!ret && ri.size == pow2_up(MVGPU_MMIO_SIZE + gm / 4096 * 8),
		  "BAR0 holds the MMIO registers and a GTT entry per GM page (%llu MiB)",
		  (unsigned long long)ri.size >> 20);
	ret = vfio_region_info(d, BAR2, &ri);
	tap_check(!ret && ri.size == r->low_size && (ri.flags & VFIO_REGION_INFO_FLAG_MMAP),
		  "BAR2 is the vGPU's aperture slice, mappable (%llu MiB)",
		  (unsigned long long)ri.size >> 20);
	tap_check(!vfio_region_info(d, BAR4, &ri) && ri.size == MVGPU_PIO_SIZE,
		  "BAR4 is 8 bytes of I/O");
	tap_check(!vfio_region_info(d, VFIO_PCI_BAR1_REGION_INDEX, &ri) && !ri.size &&
		  !vfio_region_info(d, VFIO_PCI_BAR3_REGION_INDEX, &ri) && !ri.size &&
		  !vfio_region_info(d, VFIO_PCI_ROM_REGION_INDEX, &ri) && !ri.size,
		  "BAR1, BAR3 and the ROM are empty (upper halves of 64-bit BARs)");
}

static void test_config(struct vfio_dev *d, const struct vgpu_res *r)
{
	uint8_t pm, msi, af;
	uint32_t lo, hi;

	tap_check(cfg_read16(d, PCI_VENDOR_ID) == MVGPU_PCI_VENDOR_ID &&
		  cfg_read16(d, PCI_DEVICE_ID) == MVGPU_PCI_DEVICE_ID, "config: IDs");
	tap_check(cfg_read32(d, PCI_CLASS_REVISION) >> 8 == MVGPU_PCI_CLASS,
		  "config: a display controller");
	cfg_write32(d, PCI_BASE_ADDRESS_0, 0xffffffff);
	cfg_write32(d, PCI_BASE_ADDRESS_1, 0xffffffff);
	lo = cfg_read32(d, PCI_BASE_ADDRESS_0);
	hi = cfg_read32(d, PCI_BASE_ADDRESS_1);
	tap_check((lo & 0xf) == PCI_BASE_ADDRESS_MEM_TYPE_64 && hi == 0xffffffff && lo > 0xff000000,
		  "config: BAR0 is 64-bit memory and sizes (0x%08x%08x)", hi, lo);
	cfg_write32(d, PCI_BASE_ADDRESS_2, 0xffffffff);
	cfg_write32(d, PCI_BASE_ADDRESS_3, 0xffffffff);
	lo = cfg_read32(d, PCI_BASE_ADDRESS_2);
	tap_check(lo == ((uint32_t)~(r->low_size - 1) | PCI_BASE_ADDRESS_MEM_TYPE_64 |
			 PCI_BASE_ADDRESS_MEM_PREFETCH),
		  "config: BAR2 is prefetchable 64-bit memory of the aperture's size (0x%08x)", lo);
	cfg_write32(d, PCI_BASE_ADDRESS_4, 0xffffffff);
	tap_check(cfg_read32(d, PCI_BASE_ADDRESS_4) == 0xfffffff9,
		  "config: BAR4 is 8 bytes of I/O");
	cfg_write32(d, PCI_ROM_ADDRESS, 0xffffffff);
	tap_check(cfg_read32(d, PCI_ROM_ADDRESS) == 0, "config: no expansion ROM");
	pm = cfg_read8(d, PCI_CAPABILITY_LIST);
	msi = cfg_read8(d, pm + 1);
	af = cfg_read8(d, msi + 1);
	tap_check(cfg_read8(d, pm) == PCI_CAP_ID_PM && cfg_read8(d, msi) == PCI_CAP_ID_MSI &&
		  cfg_read8(d, af) == PCI_CAP_ID_AF && cfg_read8(d, af + 1) == 0,
		  "config: capabilities PM, MSI, AF (FLR)");
	tap_check(cfg_read16(d, msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_64BIT,
		  "config: MSI takes 64-bit addresses");
}

static void test_pvinfo(struct vfio_dev *d, const struct vgpu_res *r)
{
	uint32_t pio;

	tap_check(mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_MAGIC) == MVGPU_MAGIC,
		  "PVINFO: magic");
	tap_check(mmio_rd32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_VERSION) ==
		  (MVGPU_VERSION_MINOR << 16 | MVGPU_VERSION_MAJOR), "PVINFO: version");
	tap_check(mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_LOW_GM_BASE) == r->low_base &&
		  mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_LOW_GM_SIZE) == r->low_size,
		  "PVINFO: low GM range as sysfs reports it");
	tap_check(mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_HIGH_GM_BASE) == r->high_base &&
		  mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_HIGH_GM_SIZE) == r->high_size,
		  "PVINFO: high GM range");
	tap_check(mmio_rd32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_FENCE_BASE) == r->fence_base &&
		  mmio_rd32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_FENCE_COUNT) == r->fence_count,
		  "PVINFO: fences");
	tap_check(mmio_rd32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_XRES) == 1920 &&
		  mmio_rd32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_YRES) == 1200,
		  "PVINFO: the type's resolution");
	mmio_wr32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_LOW_GM_BASE, 0);
	tap_check(mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_LOW_GM_BASE) == r->low_base,
		  "PVINFO: read-only");

	pio = MVGPU_PVINFO_PAGE + MVGPU_PVINFO_MAGIC;
	vfio_region_write(d, BAR4, MVGPU_PIO_INDEX, &pio, 4);
	pio = 0;
	tap_check(vfio_region_read(d, BAR4, MVGPU_PIO_DATA, &pio, 4) == 4 &&
		  pio == (uint32_t)MVGPU_MAGIC, "BAR4: index/data reach the same registers");
	tap_check(mmio_rd32(d, 0x1230) == 0, "an unimplemented register reads 0");
}

static void test_bad_access(struct vfio_dev *d, const struct vgpu_res *r)
{
	uint8_t buf[16] = { 0 };

	tap_check(vfio_region_read(d, BAR0, MVGPU_PVINFO_PAGE + 1, buf, 4) == -EINVAL,
		  "MMIO: a misaligned read is EINVAL");
	tap_check(vfio_region_read(d, BAR0, MVGPU_PVINFO_PAGE, buf, 3) == -EINVAL,
		  "MMIO: a 3-byte read is EINVAL");
	tap_check(vfio_region_read(d, BAR0, MVGPU_PVINFO_PAGE, buf, 16) == -EINVAL,
		  "MMIO: a 16-byte read is EINVAL");
	tap_check(vfio_region_read(d, BAR0, 1ULL << 36, buf, 4) == -EINVAL,
		  "MMIO: an offset past BAR0 is EINVAL");
	tap_check(vfio_region_read(d, BAR2, r->low_size, buf, 1) == -EINVAL,
		  "aperture: an offset past BAR2 is EINVAL");
	tap_check(vfio_region_read(d, BAR4, 1, buf, 1) == -EINVAL,
		  "BAR4: a byte access is EINVAL");
	tap_check(vfio_region_read(d, VFIO_PCI_BAR3_REGION_INDEX, 0, buf, 4) == -EINVAL,
		  "an empty region is EINVAL");
	tap_check(mmio_rd64(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_MAGIC) == MVGPU_MAGIC,
		  "the device still answers after the bad accesses");
}

static void test_interrupts(struct vfio_dev *d)
{
	int efd = efd_new();
	uint32_t g2v = MVGPU_PVINFO_PAGE + MVGPU_PVINFO_G2V_NOTIFY;

	mmio_wr32(d, MVGPU_REG_IMR, 0);
	mmio_wr32(d, MVGPU_REG_IER, MVGPU_IRQ_G2V_ACK);
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, efd) == 0, "MSI: enable");
	mmio_wr32(d, g2v, MVGPU_G2V_PING);
	tap_check(efd_wait(efd, 1000) == 1, "MSI: a G2V ping is answered with an interrupt");
	tap_check(mmio_rd32(d, MVGPU_REG_IIR) == MVGPU_IRQ_G2V_ACK &&
		  mmio_rd32(d, MVGPU_PVINFO_PAGE + MVGPU_PVINFO_G2V_COUNT) == 1,
		  "IIR names the ping's answer; the ping was counted");
	mmio_wr32(d, MVGPU_REG_IIR, MVGPU_IRQ_G2V_ACK);
	tap_check(mmio_rd32(d, MVGPU_REG_IIR) == 0, "IIR is write-1-to-clear");
	mmio_wr32(d, MVGPU_REG_IMR, MVGPU_IRQ_G2V_ACK);
	mmio_wr32(d, g2v, MVGPU_G2V_PING);
	tap_check(efd_wait(efd, 100) == 0 && mmio_rd32(d, MVGPU_REG_IIR) == MVGPU_IRQ_G2V_ACK,
		  "IMR masks the interrupt but IIR still records it");
	mmio_wr32(d, MVGPU_REG_IMR, 0);
	tap_check(efd_wait(efd, 1000) == 1, "unmasking a pending interrupt raises it");
	mmio_wr32(d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	vfio_irq_set_none(d, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0);

	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, efd) == 0, "INTx: enable");
	mmio_wr32(d, g2v, MVGPU_G2V_PING);
	tap_check(efd_wait(efd, 1000) == 1 && (cfg_read16(d, PCI_STATUS) & PCI_STATUS_INTERRUPT),
		  "INTx: a ping asserts INTx");
	mmio_wr32(d, g2v, MVGPU_G2V_PING);
	tap_check(efd_wait(efd, 100) == 0, "INTx: automasked until unmasked");
	vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 1);
	tap_check(efd_wait(efd, 1000) == 1, "INTx: unmasked while asserted, it fires again");
	mmio_wr32(d, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	tap_check(!(cfg_read16(d, PCI_STATUS) & PCI_STATUS_INTERRUPT),
		  "INTx: IIR cleared, deasserted");
	vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0);
	close(efd);
}

static void fence_write(struct vfio_dev *d, unsigned int n, uint32_t start, uint32_t end,
			uint32_t pitch, uint32_t tiling)
{
	mmio_wr32(d, MVGPU_REG_FENCE(n) + MVGPU_FENCE_START, start);
	mmio_wr32(d, MVGPU_REG_FENCE(n) + MVGPU_FENCE_END, end);
	mmio_wr32(d, MVGPU_REG_FENCE(n) + MVGPU_FENCE_PITCH, pitch);
	mmio_wr32(d, MVGPU_REG_FENCE(n) + MVGPU_FENCE_TILING, tiling);
}

static void test_fences(struct vfio_dev *d, const struct vgpu_res *r, const struct vgpu_res *other)
{
	uint32_t lo = r->low_base >> 12, olo = other->low_base >> 12;

	fence_write(d, 0, lo, lo + 16, 512, 1);
	tap_check(mmio_rd32(d, MVGPU_REG_FENCE(0) + MVGPU_FENCE_TILING) == 1 &&
		  mmio_rd32(d, MVGPU_REG_FENCE(0) + MVGPU_FENCE_END) == lo + 16,
		  "fence: a tiled range in the vGPU's own GM is applied");
	fence_write(d, 1, olo, olo + 16, 512, 1);
	tap_check(mmio_rd32(d, MVGPU_REG_FENCE(1) + MVGPU_FENCE_TILING) == 0,
		  "fence: a range in another vGPU's GM is refused");
	fence_write(d, 1, lo + (r->low_size >> 12) - 1, lo + (r->low_size >> 12) + 1, 512, 1);
	tap_check(mmio_rd32(d, MVGPU_REG_FENCE(1) + MVGPU_FENCE_TILING) == 0,
		  "fence: a range straddling the end of the vGPU's GM is refused");
	fence_write(d, 1, lo, lo + 16, 100, 1);
	tap_check(mmio_rd32(d, MVGPU_REG_FENCE(1) + MVGPU_FENCE_TILING) == 0,
		  "fence: a pitch that is not a multiple of 128 is refused");
	fence_write(d, r->fence_count, lo, lo + 16, 512, 1);
	tap_check(mmio_rd32(d, MVGPU_REG_FENCE(r->fence_count) + MVGPU_FENCE_TILING) == 0,
		  "fence: registers past the vGPU's count do not exist");
}

static void test_aperture(struct vfio_dev *d, const struct vgpu_res *r)
{
	static uint8_t buf[4096];
	size_t i;
	int zero = 1;

	memset(buf, 0xa5, sizeof(buf));
	tap_check(vfio_region_write(d, BAR2, 0, buf, 256) == 256,
		  "aperture: a write where the GTT maps no page is accepted");
	memset(buf, 0xee, sizeof(buf));
	tap_check(vfio_region_read(d, BAR2, 0, buf, 256) == 256, "aperture: read it back");
	for (i = 0; i < 256; i++)
		zero &= buf[i] == 0;
	tap_check(zero, "aperture: a page the GTT does not map reads as zeroes");
	tap_check(vfio_region_read(d, BAR2, r->low_size - 256, buf, 256) == 256,
		  "aperture: the last bytes of the slice are reachable");
}

#define IOVA		0x100000000ULL	/* where the test maps "guest memory" */
#define TEST_PAGES	64

static void test_gtt(struct vfio_dev *a, const struct vgpu_res *ra,
		     struct vfio_dev *b, const struct vgpu_res *rb)
{
	uint8_t *mem_a = guest_memory(TEST_PAGES * 4096), *mem_b = guest_memory(TEST_PAGES * 4096);
	uint64_t lo = ra->low_base >> 12, blo = rb->low_base >> 12, i, bulk[32], back[32];
	uint8_t *ap, buf[64];
	int ok, mapped_a, mapped_b;

	if (!mem_a || !mem_b) {
		tap_check(false, "GTT: allocate test memory");
		return;
	}
	mapped_a = vfio_dma_map(a, mem_a, IOVA, TEST_PAGES * 4096);
	mapped_b = vfio_dma_map(b, mem_b, IOVA, TEST_PAGES * 4096);
	tap_check(!mapped_a && !mapped_b, "MAP_DMA: guest memory for both vGPUs at the same IOVA");

	for (i = 0, ok = 1; i < 16; i++)
		ok &= !gtt_set(a, lo + i, (IOVA + i * 4096) | MVGPU_GTT_VALID);
	tap_check(ok, "GTT: 16 entries of low GM point at guest pages");
	tap_check(gtt_get(a, lo + 3) == ((IOVA + 3 * 4096) | MVGPU_GTT_VALID),
		  "GTT: reads give the guest's own entries back");
	tap_check(counter(a->uuid, "pins") == 16, "GTT: 16 guest pages pinned");
	for (i = 16, ok = 1; i < 48; i++)
		ok &= !gtt_set(a, lo + i, IOVA | MVGPU_GTT_VALID);
	tap_check(ok && counter(a->uuid, "pins") == 16,
		  "GTT: 32 more entries on an already pinned page pin nothing new");
	for (i = 0; i < 32; i++)
		bulk[i] = (IOVA + (i % 16) * 4096) | MVGPU_GTT_VALID;
	tap_check(vfio_region_write(a, BAR0, MVGPU_GTT_OFFSET + (lo + 16) * 8, bulk,
				    sizeof(bulk)) == sizeof(bulk) &&
		  vfio_region_read(a, BAR0, MVGPU_GTT_OFFSET + (lo + 16) * 8, back,
				   sizeof(back)) == sizeof(back) &&
		  !memcmp(bulk, back, sizeof(bulk)) && counter(a->uuid, "pins") == 16,
		  "GTT: 32 entries written and read back in one access each");
	tap_check(vfio_region_write(a, BAR0, MVGPU_GTT_OFFSET + (lo + 16) * 8, bulk, 12) ==
		  -EINVAL &&
		  vfio_region_write(a, BAR0, MVGPU_GTT_OFFSET + (lo + 16) * 8 + 4, bulk, 16) ==
		  -EINVAL && gtt_get(a, lo + 16) == bulk[0],
		  "GTT: bulk accesses of part entries or misaligned are refused, changing nothing");

	memset(buf, 0x5a, sizeof(buf));
	vfio_region_write(a, BAR2, 2 * 4096 + 100, buf, sizeof(buf));
	tap_check(!memcmp(mem_a + 2 * 4096 + 100, buf, sizeof(buf)),
		  "aperture write lands in the guest page its GTT entry names");
	memcpy(mem_a + 5 * 4096, "guest data", 10);
	vfio_region_read(a, BAR2, 5 * 4096, buf, 10);
	tap_check(!memcmp(buf, "guest data", 10), "aperture read returns the guest page");

	ap = mmap(NULL, ra->low_size, PROT_READ | PROT_WRITE, MAP_SHARED, a->fd,
		  (uint64_t)BAR2 << 40);
	tap_check(ap != MAP_FAILED, "mmap of the whole aperture");
	if (ap != MAP_FAILED) {
		memcpy(ap + 7 * 4096, "through the mapping", 20);
		tap_check(!memcmp(mem_a + 7 * 4096, "through the mapping", 20),
			  "mmap: a store through the aperture reaches guest memory");
		memcpy(mem_a + 8 * 4096, "from the guest", 15);
		tap_check(!memcmp(ap + 8 * 4096, "from the guest", 15),
			  "mmap: guest memory shows through the aperture");
		memcpy(mem_a + 9 * 4096, "page nine", 10);
		tap_check(memcmp(ap + 4096, "page nine", 10),
			  "mmap: aperture page 1 shows guest page 1 first");
		gtt_set(a, lo + 1, (IOVA + 9 * 4096) | MVGPU_GTT_VALID);
		tap_check(!memcmp(ap + 4096, "page nine", 10),
			  "mmap: a changed GTT entry remaps its aperture page");
		tap_check(ap[100 * 4096] == 0,
			  "mmap: an aperture page with no GTT entry reads 0 (scratch page)");
	}

	tap_check(!gtt_set(a, blo, IOVA | MVGPU_GTT_VALID) && gtt_get(a, blo) == 0 &&
		  counter(a->uuid, "gtt_dropped") == 1,
		  "GTT: an entry for another vGPU's GM is dropped and counted");
	tap_check(gtt_get(b, blo) == 0, "GTT: the other vGPU's entry is untouched");
	tap_check(!gtt_set(a, lo + 60, 0x200000000ULL | MVGPU_GTT_VALID) &&
		  counter(a->uuid, "gtt_pin_failed") == 1,
		  "GTT: an entry naming unmapped guest memory fails to pin, counted");
	vfio_region_read(a, BAR2, 60 * 4096, buf, 8);
	tap_check(!memcmp(buf, "\0\0\0\0\0\0\0\0", 8), "GTT: that page reads as a hole");

	gtt_set(b, blo, (IOVA + 2 * 4096) | MVGPU_GTT_VALID);
	memset(buf, 0, sizeof(buf));
	vfio_region_read(b, BAR2, 100, buf, sizeof(buf));
	tap_check(buf[0] == 0 && mem_a[2 * 4096 + 100] == 0x5a,
		  "isolation: the same IOVA in another vGPU is that vGPU's own memory");

	tap_check(vfio_region_read(a, BAR0, MVGPU_GTT_OFFSET + 2, buf, 2) == -EINVAL &&
		  vfio_region_write(a, BAR0, MVGPU_GTT_OFFSET + 4, buf, 8) == -EINVAL,
		  "GTT: 2-byte and misaligned 8-byte accesses are EINVAL");
	tap_check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, a->fd, 0) == MAP_FAILED,
		  "mmap of BAR0 fails: registers are trapped");
	tap_check(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, a->fd, (uint64_t)BAR2 << 40) ==
		  MAP_FAILED, "a private mmap of the aperture fails");
	tap_check(mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, a->fd,
		       ((uint64_t)BAR2 << 40) + ra->low_size - 4096) == MAP_FAILED,
		  "mmap past the end of the aperture fails");

	tap_check(!vfio_dma_unmap(a, IOVA, TEST_PAGES * 4096) && counter(a->uuid, "pins") == 0,
		  "UNMAP_DMA: every pin of that memory is dropped");
	tap_check(gtt_get(a, lo + 3) == ((IOVA + 3 * 4096) | MVGPU_GTT_VALID),
		  "UNMAP_DMA: the guest still reads its entries");
	memset(buf, 0xff, sizeof(buf));
	vfio_region_read(a, BAR2, 3 * 4096, buf, 8);
	tap_check(!memcmp(buf, "\0\0\0\0\0\0\0\0", 8),
		  "UNMAP_DMA: the aperture no longer reaches that memory");
	if (ap != MAP_FAILED) {
		tap_check(ap[7 * 4096] == 0,
			  "UNMAP_DMA: nor does the mapping");
		munmap(ap, ra->low_size);
	}
	ioctl(b->fd, VFIO_DEVICE_RESET);
	tap_check(gtt_get(b, blo) == 0 && counter(b->uuid, "pins") == 0,
		  "DEVICE_RESET drops the GTT entries and their pins");
	vfio_dma_unmap(b, IOVA, TEST_PAGES * 4096);
	munmap(mem_a, TEST_PAGES * 4096);
	munmap(mem_b, TEST_PAGES * 4096);
}

static void test_reset(struct vfio_dev *d)
{
	uint8_t af = 0x60;

	mmio_wr32(d, MVGPU_REG_IER, MVGPU_IRQ_ALL);
	cfg_write32(d, PCI_BASE_ADDRESS_0, 0xf0000000);
	tap_check(ioctl(d->fd, VFIO_DEVICE_RESET) == 0 && mmio_rd32(d, MVGPU_REG_IER) == 0 &&
		  mmio_rd32(d, MVGPU_REG_IMR) == MVGPU_IRQ_ALL &&
		  cfg_read32(d, PCI_BASE_ADDRESS_0) == PCI_BASE_ADDRESS_MEM_TYPE_64 &&
		  mmio_rd32(d, MVGPU_REG_FENCE(0) + MVGPU_FENCE_TILING) == 0,
		  "DEVICE_RESET: registers, BARs and fences at power-on values");
	mmio_wr32(d, MVGPU_REG_IER, MVGPU_IRQ_ALL);
	cfg_write16(d, af + PCI_AF_CTRL - 1, PCI_AF_CTRL_FLR << 8);
	tap_check(mmio_rd32(d, MVGPU_REG_IER) == 0 && !(cfg_read8(d, af + PCI_AF_CTRL) & 1),
		  "function-level reset through the AF capability");
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

#define HOLE	200	/* an aperture page the tests never give a GTT entry */

/* BAR2 of @d mapped, or NULL */
static uint8_t *map_aperture(struct vfio_dev *d, const struct vgpu_res *r)
{
	uint8_t *ap = mmap(NULL, r->low_size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
			   (uint64_t)BAR2 << 40);

	return ap == MAP_FAILED ? NULL : ap;
}

/*
 * Holes in the aperture never carry data from one user of the device to
 * the next, nor from one vGPU to another: not what was written through
 * write(), nor what was stored through a mapping (which lands in the
 * scratch page behind every hole).
 */
static void test_scratch(struct vfio_dev *a, const struct vgpu_res *ra,
			 struct vfio_dev *b, const struct vgpu_res *rb)
{
	static const char secret[] = "the previous guest's secret";
	static uint8_t buf[4096];
	uint8_t *ap, *bp;
	bool ok;

	ap = map_aperture(a, ra);
	tap_check(ap && gtt_get(a, (ra->low_base >> 12) + HOLE) == 0,
		  "scratch: the aperture mapped, page %d a hole", HOLE);
	if (!ap)
		return;
	memset(buf, 0x3c, sizeof(buf));
	vfio_region_write(a, BAR2, (HOLE + 1) * 4096ULL, buf, 256);
	tap_check(all_zero(ap + (HOLE + 1) * 4096, 4096) && all_zero(ap + HOLE * 4096, 4096),
		  "scratch: a write() to a hole is dropped, also for the mapping");
	memcpy(ap + HOLE * 4096, secret, sizeof(secret));
	tap_diag("a store into a hole through the mapping reads back as '%.8s...' there",
		 (const char *)ap + HOLE * 4096);
	ok = vfio_region_read(a, BAR2, HOLE * 4096ULL, buf, 256) == 256 && all_zero(buf, 256);
	tap_check(ok, "scratch: read() of that hole still returns zeroes");

	tap_check(!ioctl(a->fd, VFIO_DEVICE_RESET) && all_zero(ap + HOLE * 4096, 4096) &&
		  all_zero(ap + (HOLE + 7) * 4096, 4096),
		  "scratch: after DEVICE_RESET every hole of the mapping reads zeroes");

	bp = map_aperture(b, rb);
	ok = bp && all_zero(bp + HOLE * 4096, 4096) && all_zero(bp + 3 * 4096, 4096) &&
	     vfio_region_read(b, BAR2, HOLE * 4096ULL, buf, 256) == 256 && all_zero(buf, 256);
	tap_check(ok, "scratch: another vGPU's holes read zeroes, mapped or not");
	if (bp) {
		memcpy(bp + HOLE * 4096, "vgpu b", 7);
		tap_check(memcmp(ap + HOLE * 4096, "vgpu b", 7) &&
			  memcmp(ap + (HOLE + 1) * 4096, "vgpu b", 7),
			  "scratch: a store into another vGPU's hole does not show in this one's");
		munmap(bp, rb->low_size);
	}

	memcpy(ap + HOLE * 4096, secret, sizeof(secret));
	munmap(ap, ra->low_size);
	vfio_dev_close(a);
	tap_check(!vfio_dev_open(a, a->uuid), "scratch: close and open the device again");
	ap = map_aperture(a, ra);
	tap_check(ap && all_zero(ap + HOLE * 4096, 4096) && all_zero(ap, 4096),
		  "scratch: the next user of the device reads zeroes in every hole");
	if (ap)
		munmap(ap, ra->low_size);
}

static void test_bad_irqs(struct vfio_dev *d)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int efd = efd_new(), devnull = open("/dev/null", O_RDONLY);

	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, 1000) == -EBADF,
		  "SET_IRQS: a closed fd is EBADF");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, devnull) == -EINVAL,
		  "SET_IRQS: an fd that is not an eventfd is EINVAL");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSIX_IRQ_INDEX, efd) == -EINVAL &&
		  vfio_irq_set_eventfd(d, 9, efd) == -EINVAL,
		  "SET_IRQS: MSI-X and indexes past the last are EINVAL");
	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_INTX_IRQ_INDEX;
	set->count = 0;
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL,
		  "SET_IRQS: an eventfd request for no vectors is EINVAL");
	tap_check(vfio_irq_set_none(d, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK, 1) ==
		  -ENOTTY, "SET_IRQS: masking MSI is ENOTTY");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, efd) == 0 &&
		  vfio_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, efd) == -EINVAL &&
		  vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, -1) == 0,
		  "SET_IRQS: one interrupt type at a time; INTx still works after bad requests");
	close(devnull);
	close(efd);
}

int main(int argc, char **argv)
{
	struct vgpu_res ra, rb;
	struct vfio_dev a, b;

	if (argc != 3) {
		fprintf(stderr, "usage: %s UUID_V1_4 UUID_V1_8\n", argv[0]);
		return 2;
	}
	tap_check(!read_resources(argv[1], &ra) && !read_resources(argv[2], &rb),
		  "sysfs: both vGPUs report their resources");
	tap_check(vfio_dev_open(&a, argv[1]) == 0, "open the V1_4 vGPU through VFIO");
	tap_check(vfio_dev_open(&b, argv[2]) == 0, "open the V1_8 vGPU through VFIO");
	if (a.fd < 0 || b.fd < 0)
		return tap_done();
	tap_check(ra.low_base + ra.low_size <= rb.low_base ||
		  rb.low_base + rb.low_size <= ra.low_base,
		  "the two vGPUs' low GM ranges do not overlap");
	test_regions(&a, &ra);
	test_config(&a, &ra);
	test_pvinfo(&a, &ra);
	test_bad_access(&a, &ra);
	test_interrupts(&a);
	test_fences(&a, &ra, &rb);
	test_fences(&b, &rb, &ra);
	test_aperture(&a, &ra);
	test_gtt(&a, &ra, &b, &rb);
	test_bad_irqs(&a);
	test_reset(&a);
	test_scratch(&a, &ra, &b, &rb);
	vfio_dev_close(&b);
	vfio_dev_close(&a);
	vfio_test_remove_while_open(argv[2],
				    "/sys/class/mdev_bus/simgpu0/mdev_supported_types/mvgpu-V1_8");
	return tap_done();
}
