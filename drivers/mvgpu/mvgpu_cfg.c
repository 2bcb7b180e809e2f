// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: PCI config space, as data for mvgpu_vpci: power-on values and
 * write masks of every field; the BAR masks follow the BAR sizes.
 */
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/pci_regs.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <mvgpu/pci_ids.h>
#include <mvgpu/vgpu.h>
#include <mvgpu/vpci.h>

#include "mvgpu.h"

#define MVGPU_CAP_PM	0x40
#define MVGPU_CAP_MSI	0x50
#define MVGPU_CAP_AF	0x60

static const struct mvgpu_vpci_cfg_field mvgpu_cfg_fields[] = {
	{ PCI_VENDOR_ID, 2, MVGPU_PCI_VENDOR_ID, 0, 0 },
	{ PCI_DEVICE_ID, 2, MVGPU_PCI_DEVICE_ID, 0, 0 },
	{ PCI_COMMAND, 2, 0, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			     PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
			     PCI_COMMAND_INTX_DISABLE, 0 },
	{ PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0,
	  PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | PCI_STATUS_REC_TARGET_ABORT |
	  PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR |
	  PCI_STATUS_DETECTED_PARITY },
	{ PCI_CLASS_REVISION, 4, MVGPU_PCI_CLASS << 8 | 1, 0, 0 },
	{ PCI_CACHE_LINE_SIZE, 1, 0, 0xff, 0 },
	{ PCI_LATENCY_TIMER, 1, 0, 0xff, 0 },
	{ PCI_BASE_ADDRESS_0, 4, PCI_BASE_ADDRESS_MEM_TYPE_64, 0, 0 },
	{ PCI_BASE_ADDRESS_2, 4, PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
	  0, 0 },
	{ PCI_BASE_ADDRESS_4, 4, PCI_BASE_ADDRESS_SPACE_IO, 0, 0 },
	{ PCI_SUBSYSTEM_VENDOR_ID, 2, MVGPU_PCI_VENDOR_ID, 0, 0 },
	{ PCI_SUBSYSTEM_ID, 2, 1, 0, 0 },
	{ PCI_CAPABILITY_LIST, 1, MVGPU_CAP_PM, 0, 0 },
	{ PCI_INTERRUPT_LINE, 1, 0, 0xff, 0 },
	{ PCI_INTERRUPT_PIN, 1, 1, 0, 0 },
	/* power management: D0 and D3hot, no soft reset on D3hot -> D0 */
	{ MVGPU_CAP_PM, 2, MVGPU_CAP_MSI << 8 | PCI_CAP_ID_PM, 0, 0 },
	{ MVGPU_CAP_PM + PCI_PM_PMC, 2, 3, 0, 0 },
	{ MVGPU_CAP_PM + PCI_PM_CTRL, 2, PCI_PM_CTRL_NO_SOFT_RESET, PCI_PM_CTRL_STATE_MASK, 0 },
	/* MSI: one vector, 64-bit addresses */
	{ MVGPU_CAP_MSI, 2, MVGPU_CAP_AF << 8 | PCI_CAP_ID_MSI, 0, 0 },
	{ MVGPU_CAP_MSI + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_64BIT, PCI_MSI_FLAGS_ENABLE, 0 },
	{ MVGPU_CAP_MSI + PCI_MSI_ADDRESS_LO, 4, 0, 0xfffffffc, 0 },
	{ MVGPU_CAP_MSI + PCI_MSI_ADDRESS_HI, 4, 0, 0xffffffff, 0 },
	{ MVGPU_CAP_MSI + PCI_MSI_DATA_64, 2, 0, 0xffff, 0 },
	/* advanced features: function-level reset */
	{ MVGPU_CAP_AF, 2, PCI_CAP_ID_AF, 0, 0 },
	{ MVGPU_CAP_AF + PCI_AF_LENGTH, 1, PCI_CAP_AF_SIZEOF, 0, 0 },
	{ MVGPU_CAP_AF + PCI_AF_CAP, 1, PCI_AF_CAP_TP | PCI_AF_CAP_FLR, 0, 0 },
	/* FLR: a write of 1 resets the device (mvgpu_cfg_flr()); reads 0 */
	{ MVGPU_CAP_AF + PCI_AF_CTRL, 1, 0, 0, 0 },
};

/**
 * mvgpu_bar0_size() - BAR0's size: MMIO registers, then the GTT
 * @gpu: the GPU
 *
 * Return: a power of two holding MVGPU_MMIO_SIZE and one 8-byte GTT
 * entry per 4 KiB page of the GPU's GM.
 */
u64 mvgpu_bar0_size(struct pgpu *gpu)
{
	struct pgpu_info info;

	pgpu_get_info(gpu, &info);
	return roundup_pow_of_two(MVGPU_MMIO_SIZE + (info.gm_size >> 12) * 8);
}

/**
 * mvgpu_cfg_init() - config space at power-on
 * @cfg: filled in
 * @bar0_size: BAR0 bytes, a power of two
 * @bar2_size: BAR2 (aperture) bytes, a power of two
 */
void mvgpu_cfg_init(struct mvgpu_vpci_cfg *cfg, u64 bar0_size, u64 bar2_size)
{
	mvgpu_vpci_cfg_init(cfg, mvgpu_cfg_fields, ARRAY_SIZE(mvgpu_cfg_fields));
	mvgpu_vpci_cfg_bar(cfg, 0, bar0_size);
	mvgpu_vpci_cfg_bar(cfg, 2, bar2_size);
	mvgpu_vpci_cfg_bar(cfg, 4, MVGPU_PIO_SIZE);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_cfg_init);

/**
 * mvgpu_cfg_flr() - does a config-space write ask for a function-level reset
 * @off: offset of the write
 * @buf: the bytes written
 * @len: how many
 *
 * Return: true if the write sets the FLR bit of the advanced features
 * capability's control register.
 */
bool mvgpu_cfg_flr(u64 off, const u8 *buf, size_t len)
{
	u64 ctrl = MVGPU_CAP_AF + PCI_AF_CTRL;

	return off <= ctrl && ctrl - off < len && (buf[ctrl - off] & PCI_AF_CTRL_FLR);
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_cfg_flr);
