// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvtty: emulated PCI configuration space. Power-on values and which bits
 * a write may change are data (tables below), applied byte by byte.
 */
#include <linux/export.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <mvgpu/pci_ids.h>

#include "mvtty.h"

/**
 * struct mvtty_cfg_field - how writes affect one config-space field
 * @off: offset of the field
 * @size: size in bytes (1, 2 or 4)
 * @wmask: bits a write sets or clears
 * @w1c: bits a write of 1 clears
 */
struct mvtty_cfg_field {
	u8 off;
	u8 size;
	u32 wmask;
	u32 w1c;
};

/* Every field not listed is read-only. BAR0's mask depends on its size. */
static const struct mvtty_cfg_field mvtty_cfg_fields[] = {
	{ PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MASTER |
			  PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
			  PCI_COMMAND_INTX_DISABLE, 0 },
	{ PCI_STATUS, 2, 0, PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
			    PCI_STATUS_REC_TARGET_ABORT |
			    PCI_STATUS_REC_MASTER_ABORT |
			    PCI_STATUS_SIG_SYSTEM_ERROR |
			    PCI_STATUS_DETECTED_PARITY },
	{ PCI_CACHE_LINE_SIZE, 1, 0xff, 0 },
	{ PCI_LATENCY_TIMER, 1, 0xff, 0 },
	{ PCI_INTERRUPT_LINE, 1, 0xff, 0 },
	{ MVTTY_MSI_CAP + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE, 0 },
	{ MVTTY_MSI_CAP + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc, 0 },
	{ MVTTY_MSI_CAP + PCI_MSI_DATA_32, 2, 0xffff, 0 },
};

static void mvtty_put(u8 *cfg, unsigned int off, unsigned int size, u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		cfg[off + i] = val >> (8 * i);
}

/**
 * mvtty_cfg_init() - fill config space with its power-on values
 * @cfg: MVTTY_CFG_SIZE bytes
 * @nr_ports: ports of the device (BAR0 holds 8 bytes per port)
 */
void mvtty_cfg_init(u8 *cfg, unsigned int nr_ports)
{
	memset(cfg, 0, MVTTY_CFG_SIZE);
	mvtty_put(cfg, PCI_VENDOR_ID, 2, MVGPU_PCI_VENDOR_ID);
	mvtty_put(cfg, PCI_DEVICE_ID, 2, MVTTY_PCI_DEVICE_ID);
	mvtty_put(cfg, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	mvtty_put(cfg, PCI_REVISION_ID, 1, 1);
	mvtty_put(cfg, PCI_CLASS_PROG, 3, MVTTY_PCI_CLASS);
	mvtty_put(cfg, PCI_HEADER_TYPE, 1, PCI_HEADER_TYPE_NORMAL);
	mvtty_put(cfg, PCI_BASE_ADDRESS_0, 4, PCI_BASE_ADDRESS_SPACE_IO);
	mvtty_put(cfg, PCI_SUBSYSTEM_VENDOR_ID, 2, MVGPU_PCI_VENDOR_ID);
	mvtty_put(cfg, PCI_SUBSYSTEM_ID, 2, nr_ports);
	mvtty_put(cfg, PCI_CAPABILITY_LIST, 1, MVTTY_MSI_CAP);
	mvtty_put(cfg, PCI_INTERRUPT_PIN, 1, 1);	/* INTA# */
	/* MSI: one vector, 32-bit address, next capability none */
	mvtty_put(cfg, MVTTY_MSI_CAP + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_MSI);
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_cfg_init);

static void mvtty_cfg_field_mask(const struct mvtty_cfg_field *f,
				 unsigned int byte, u8 *wmask, u8 *w1c)
{
	*wmask = f->wmask >> (8 * byte);
	*w1c = f->w1c >> (8 * byte);
}

/* Write masks of the byte at @off: none for bytes in no table entry. */
static void mvtty_cfg_byte_mask(unsigned int nr_ports, unsigned int off,
				u8 *wmask, u8 *w1c)
{
	const struct mvtty_cfg_field *f;
	u32 bar0_mask;

	*wmask = 0;
	*w1c = 0;
	if (off >= PCI_BASE_ADDRESS_0 && off < PCI_BASE_ADDRESS_0 + 4) {
		/* an I/O BAR decodes the address bits above its size */
		bar0_mask = ~(nr_ports * MVTTY_PORT_SIZE - 1) & PCI_BASE_ADDRESS_IO_MASK;
		*wmask = bar0_mask >> (8 * (off - PCI_BASE_ADDRESS_0));
		return;
	}
	for (f = mvtty_cfg_fields; f < mvtty_cfg_fields + ARRAY_SIZE(mvtty_cfg_fields); f++) {
		if (off >= f->off && off < f->off + f->size) {
			mvtty_cfg_field_mask(f, off - f->off, wmask, w1c);
			return;
		}
	}
}

/**
 * mvtty_cfg_write() - apply a guest write of one config-space byte
 * @cfg: config space
 * @nr_ports: ports of the device
 * @off: offset, below MVTTY_CFG_SIZE
 * @val: the byte written
 *
 * Read-only bits keep their value, write-1-to-clear bits clear where
 * @val has a 1.
 */
void mvtty_cfg_write(u8 *cfg, unsigned int nr_ports, unsigned int off, u8 val)
{
	u8 wmask, w1c;

	mvtty_cfg_byte_mask(nr_ports, off, &wmask, &w1c);
	cfg[off] = (cfg[off] & ~wmask) | (val & wmask);
	cfg[off] &= ~(val & w1c);
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_cfg_write);

/**
 * mvtty_cfg_command() - the command register
 * @cfg: config space
 *
 * Return: the PCI command register's value.
 */
u16 mvtty_cfg_command(const u8 *cfg)
{
	return cfg[PCI_COMMAND] | cfg[PCI_COMMAND + 1] << 8;
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_cfg_command);

/**
 * mvtty_cfg_set_intx_status() - reflect the INTx line in the status register
 * @cfg: config space
 * @pending: whether the device asserts INTx
 */
void mvtty_cfg_set_intx_status(u8 *cfg, bool pending)
{
	if (pending)
		cfg[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	else
		cfg[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_cfg_set_intx_status);
