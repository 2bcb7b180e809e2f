// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvtty: emulated PCI configuration space, as data: power-on values and
 * which bits a write may change, for mvgpu_vpci to apply byte by byte.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/pci_regs.h>
#include <kunit/visibility.h>
#include <mvgpu/pci_ids.h>
#include <mvgpu/vpci.h>

#include "mvtty.h"

/* Every field not listed reads 0 and is read-only. */
static const struct mvgpu_vpci_cfg_field mvtty_cfg_fields[] = {
	{ PCI_VENDOR_ID, 2, MVGPU_PCI_VENDOR_ID, 0, 0 },
	{ PCI_DEVICE_ID, 2, MVTTY_PCI_DEVICE_ID, 0, 0 },
	{ PCI_COMMAND, 2, 0, PCI_COMMAND_IO | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
			     PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE, 0 },
	{ PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0,
	  PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | PCI_STATUS_REC_TARGET_ABORT |
	  PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_SIG_SYSTEM_ERROR |
	  PCI_STATUS_DETECTED_PARITY },
	{ PCI_REVISION_ID, 1, 1, 0, 0 },
	{ PCI_CLASS_PROG, 3, MVTTY_PCI_CLASS, 0, 0 },
	{ PCI_CACHE_LINE_SIZE, 1, 0, 0xff, 0 },
	{ PCI_LATENCY_TIMER, 1, 0, 0xff, 0 },
	{ PCI_BASE_ADDRESS_0, 4, PCI_BASE_ADDRESS_SPACE_IO, 0, 0 },
	{ PCI_SUBSYSTEM_VENDOR_ID, 2, MVGPU_PCI_VENDOR_ID, 0, 0 },
	{ PCI_CAPABILITY_LIST, 1, MVTTY_MSI_CAP, 0, 0 },
	{ PCI_INTERRUPT_LINE, 1, 0, 0xff, 0 },
	{ PCI_INTERRUPT_PIN, 1, 1, 0, 0 },	/* INTA# */
	/* MSI: one vector, 32-bit address, no next capability */
	{ MVTTY_MSI_CAP + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_MSI, 0, 0 },
	{ MVTTY_MSI_CAP + PCI_MSI_FLAGS, 2, 0, PCI_MSI_FLAGS_ENABLE, 0 },
	{ MVTTY_MSI_CAP + PCI_MSI_ADDRESS_LO, 4, 0, 0xfffffffc, 0 },
	{ MVTTY_MSI_CAP + PCI_MSI_DATA_32, 2, 0, 0xffff, 0 },
};

/**
 * mvtty_cfg_init() - config space at power-on
 * @cfg: filled in
 * @nr_ports: ports of the device (BAR0 holds 8 I/O bytes per port)
 */
void mvtty_cfg_init(struct mvgpu_vpci_cfg *cfg, unsigned int nr_ports)
{
	mvgpu_vpci_cfg_init(cfg, mvtty_cfg_fields, ARRAY_SIZE(mvtty_cfg_fields));
	cfg->data[PCI_SUBSYSTEM_ID] = nr_ports;	/* tells the types apart */
	mvgpu_vpci_cfg_bar(cfg, 0, nr_ports * MVTTY_PORT_SIZE);
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_cfg_init);
