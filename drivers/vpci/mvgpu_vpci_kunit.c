// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of mvgpu_vpci: config space from a table (values, write
 * masks, write-1-to-clear, BAR sizing of each BAR type, accesses at the
 * edges), the region offset encoding and the interrupt line's state with
 * no eventfd. The ioctls and eventfds are tested through VFIO by the
 * suites in tests/vfio/, on both drivers.
 */
#include <kunit/test.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <mvgpu/vpci.h>

MODULE_IMPORT_NS(MVGPU_VPCI);

#define T_CAP	0x48

/* A device with one BAR of each kind and a 3-byte field. */
static const struct mvgpu_vpci_cfg_field t_fields[] = {
	{ PCI_VENDOR_ID, 2, 0x1af4, 0, 0 },
	{ PCI_COMMAND, 2, 0, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE, 0 },
	{ PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0,
	  PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_DETECTED_PARITY },
	{ PCI_CLASS_PROG, 3, 0x030000, 0, 0 },
	{ PCI_BASE_ADDRESS_0, 4, PCI_BASE_ADDRESS_SPACE_IO, 0, 0 },
	{ PCI_BASE_ADDRESS_1, 4, PCI_BASE_ADDRESS_MEM_TYPE_32, 0, 0 },
	{ PCI_BASE_ADDRESS_2, 4, PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
	  0, 0 },
	{ PCI_CAPABILITY_LIST, 1, T_CAP, 0, 0 },
	{ T_CAP, 2, PCI_CAP_ID_MSI, 0, 0 },
	{ T_CAP + PCI_MSI_FLAGS, 2, 0, PCI_MSI_FLAGS_ENABLE, 0 },
	{ T_CAP + PCI_MSI_ADDRESS_LO, 4, 0, 0xfffffffc, 0 },
};

static u32 t_read(struct mvgpu_vpci_cfg *cfg, unsigned int off, unsigned int len)
{
	u8 b[4] = {};

	if (mvgpu_vpci_cfg_access(cfg, off, b, len, false))
		return 0xdeadbeef;
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static int t_write(struct mvgpu_vpci_cfg *cfg, unsigned int off, unsigned int len, u32 val)
{
	u8 b[4] = { val, val >> 8, val >> 16, val >> 24 };

	return mvgpu_vpci_cfg_access(cfg, off, b, len, true);
}

static struct mvgpu_vpci_cfg *t_cfg(struct kunit *test)
{
	struct mvgpu_vpci_cfg *cfg = kunit_kmalloc(test, sizeof(*cfg), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	memset(cfg, 0xa5, sizeof(*cfg));	/* init must not leave any of this */
	mvgpu_vpci_cfg_init(cfg, t_fields, ARRAY_SIZE(t_fields));
	mvgpu_vpci_cfg_bar(cfg, 0, 32);
	mvgpu_vpci_cfg_bar(cfg, 1, SZ_4K);
	mvgpu_vpci_cfg_bar(cfg, 2, 4ULL * SZ_1G * 4);	/* 16 GiB: above 4 GiB */
	return cfg;
}

static void mvgpu_vpci_cfg_fields(struct kunit *test)
{
	struct mvgpu_vpci_cfg *cfg = t_cfg(test);
	unsigned int off;

	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_VENDOR_ID, 2), 0x1af4);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_CLASS_REVISION, 4), 0x03000000);
	KUNIT_EXPECT_EQ(test, t_read(cfg, T_CAP, 2), PCI_CAP_ID_MSI);
	/* read-only fields keep their value, the 3-byte one included */
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_VENDOR_ID, 4, 0), 0);
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_CLASS_REVISION, 4, ~0U), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_VENDOR_ID, 2), 0x1af4);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_CLASS_REVISION, 4), 0x03000000);
	/* writable bits only */
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_COMMAND, 2, 0xffff), 0);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_command(cfg),
			PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE);
	KUNIT_EXPECT_EQ(test, t_write(cfg, T_CAP + PCI_MSI_ADDRESS_LO, 4, 0xfee00fff), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, T_CAP + PCI_MSI_ADDRESS_LO, 4), 0xfee00ffc);
	/* what no field names reads 0 and keeps 0 */
	for (off = 0x80; off < PCI_CFG_SPACE_SIZE; off += 4) {
		KUNIT_EXPECT_EQ(test, t_write(cfg, off, 4, ~0U), 0);
		KUNIT_EXPECT_EQ(test, t_read(cfg, off, 4), 0);
	}
}

static void mvgpu_vpci_cfg_status(struct kunit *test)
{
	struct mvgpu_vpci_cfg *cfg = t_cfg(test);
	u16 err = PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_DETECTED_PARITY;

	/* as the device model sets them */
	cfg->data[PCI_STATUS + 1] |= err >> 8;
	mvgpu_vpci_cfg_set_intx_status(cfg, true);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_INTERRUPT | err);
	/* 0 clears nothing; 1 clears an error bit, never the others */
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_STATUS, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_INTERRUPT | err);
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_STATUS, 2, PCI_STATUS_REC_MASTER_ABORT |
				     PCI_STATUS_INTERRUPT | PCI_STATUS_CAP_LIST), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_INTERRUPT | PCI_STATUS_DETECTED_PARITY);
	mvgpu_vpci_cfg_set_intx_status(cfg, false);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_DETECTED_PARITY);
}

static void mvgpu_vpci_cfg_bars(struct kunit *test)
{
	struct mvgpu_vpci_cfg *cfg = t_cfg(test);
	unsigned int bar;

	/* all ones reads back the size, the type bits stay */
	for (bar = PCI_BASE_ADDRESS_0; bar <= PCI_BASE_ADDRESS_5; bar += 4)
		KUNIT_EXPECT_EQ(test, t_write(cfg, bar, 4, ~0U), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_0, 4), 0xffffffe1);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_1, 4), 0xfffff000);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_2, 4), 0x0000000c);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_3, 4), 0xfffffffc);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_4, 4), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_5, 4), 0);
	/* an address keeps the bits the BAR decodes */
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_BASE_ADDRESS_0, 4, 0xc01f), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_0, 4), 0xc001);
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_BASE_ADDRESS_1, 4, 0xfebf1234), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_1, 4), 0xfebf1000);
	KUNIT_EXPECT_EQ(test, t_write(cfg, PCI_BASE_ADDRESS_3, 4, 0x7), 0);
	KUNIT_EXPECT_EQ(test, t_read(cfg, PCI_BASE_ADDRESS_3, 4), 0x4);
}

static void mvgpu_vpci_cfg_edges(struct kunit *test)
{
	struct mvgpu_vpci_cfg *cfg = t_cfg(test);
	struct mvgpu_vpci_cfg *copy = kunit_kmalloc(test, sizeof(*copy), GFP_KERNEL);
	u8 buf[8] = {};

	KUNIT_ASSERT_NOT_NULL(test, copy);
	*copy = *cfg;
	/* outside config space, or running past its end: refused, nothing changes */
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, PCI_CFG_SPACE_SIZE, buf, 1, true),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, PCI_CFG_SPACE_SIZE - 4, buf, 8, true),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, 1ULL << 32, buf, 1, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, 0, buf, PCI_CFG_SPACE_SIZE + 1, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, memcmp(copy, cfg, sizeof(*cfg)), 0);
	/* the last byte, and all of it at once */
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, PCI_CFG_SPACE_SIZE - 1, buf, 1, true), 0);
	memset(copy->data, 0xa5, PCI_CFG_SPACE_SIZE);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_access(cfg, 0, copy->data, PCI_CFG_SPACE_SIZE, false),
			0);
	KUNIT_EXPECT_EQ(test, copy->data[PCI_VENDOR_ID], 0xf4);
	KUNIT_EXPECT_EQ(test, copy->data[PCI_CAPABILITY_LIST], T_CAP);
	KUNIT_EXPECT_EQ(test, copy->data[PCI_CFG_SPACE_SIZE - 1], 0);
}

static void mvgpu_vpci_offsets(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		u64 pos = mvgpu_vpci_region_start(i) + 0x1234;

		KUNIT_EXPECT_EQ(test, mvgpu_vpci_pos_index(pos), i);
		KUNIT_EXPECT_EQ(test, mvgpu_vpci_pos_offset(pos), 0x1234);
	}
	/* a region has room for the largest BAR we make (a 64 GiB aperture) */
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_pos_index(mvgpu_vpci_region_start(2) + SZ_64G - 1), 2);
}

static void mvgpu_vpci_line_without_eventfd(struct kunit *test)
{
	struct mutex lock;	/* stands for the driver's device lock */
	struct mvgpu_vpci vpci;

	mutex_init(&lock);
	memset(&vpci, 0xa5, sizeof(vpci));
	mvgpu_vpci_init(&vpci, &lock);
	KUNIT_EXPECT_PTR_EQ(test, vpci.lock, &lock);
	KUNIT_EXPECT_EQ(test, vpci.irqs.type, -1);
	KUNIT_EXPECT_NULL(test, vpci.irqs.intx);
	KUNIT_EXPECT_NULL(test, vpci.irqs.msi);
	KUNIT_EXPECT_NULL(test, vpci.irqs.req);
	KUNIT_EXPECT_EQ(test, vpci.regions[VFIO_PCI_BAR0_REGION_INDEX].size, 0);
	/* no interrupt chosen: the line is tracked, nothing is signalled */
	mutex_lock(&lock);
	mvgpu_vpci_irqs_update(&vpci.irqs, true, false);
	KUNIT_EXPECT_TRUE(test, vpci.irqs.line);
	KUNIT_EXPECT_FALSE(test, vpci.irqs.intx_masked);
	mvgpu_vpci_irqs_reset(&vpci.irqs);
	KUNIT_EXPECT_FALSE(test, vpci.irqs.line);
	mvgpu_vpci_irqs_release(&vpci.irqs);
	KUNIT_EXPECT_EQ(test, vpci.irqs.type, -1);
	mutex_unlock(&lock);
	mutex_destroy(&lock);
}

static struct kunit_case mvgpu_vpci_cases[] = {
	KUNIT_CASE(mvgpu_vpci_cfg_fields),
	KUNIT_CASE(mvgpu_vpci_cfg_status),
	KUNIT_CASE(mvgpu_vpci_cfg_bars),
	KUNIT_CASE(mvgpu_vpci_cfg_edges),
	KUNIT_CASE(mvgpu_vpci_offsets),
	KUNIT_CASE(mvgpu_vpci_line_without_eventfd),
	{}
};

static struct kunit_suite mvgpu_vpci_suite = {
	.name = "mvgpu_vpci",
	.test_cases = mvgpu_vpci_cases,
};

kunit_test_suites(&mvgpu_vpci_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for mvgpu_vpci");
