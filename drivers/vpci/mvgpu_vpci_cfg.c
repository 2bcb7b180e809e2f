// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_vpci: PCI config space from a table. Each field has a power-on
 * value, the bits a write may change and the bits a write of 1 clears;
 * what no field names reads 0 and ignores writes. Guests write byte by
 * byte, so masks are kept per byte.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <mvgpu/vpci.h>

#include "mvgpu_vpci.h"

static void mvgpu_vpci_put(u8 *bytes, unsigned int off, unsigned int size, u32 val)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		bytes[off + i] = val >> (8 * i);
}

static u32 mvgpu_vpci_get32(const u8 *bytes, unsigned int off)
{
	return bytes[off] | bytes[off + 1] << 8 | bytes[off + 2] << 16 | (u32)bytes[off + 3] << 24;
}

/**
 * mvgpu_vpci_cfg_init() - config space at power-on
 * @cfg: filled in
 * @fields: every field that reads other than 0 or takes writes
 * @nr_fields: how many
 *
 * BARs are listed with their type bits and no write mask: their masks
 * follow their sizes (mvgpu_vpci_cfg_bar()).
 */
void mvgpu_vpci_cfg_init(struct mvgpu_vpci_cfg *cfg, const struct mvgpu_vpci_cfg_field *fields,
			 unsigned int nr_fields)
{
	const struct mvgpu_vpci_cfg_field *f;

	memset(cfg, 0, sizeof(*cfg));
	for (f = fields; f < fields + nr_fields; f++) {
		if (WARN_ON(f->size > 4 || f->off + f->size > PCI_CFG_SPACE_SIZE))
			continue;
		mvgpu_vpci_put(cfg->data, f->off, f->size, f->val);
		mvgpu_vpci_put(cfg->wmask, f->off, f->size, f->wmask);
		mvgpu_vpci_put(cfg->w1c, f->off, f->size, f->w1c);
	}
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_cfg_init, MVGPU_VPCI);

/**
 * mvgpu_vpci_cfg_bar() - size a BAR
 * @cfg: config space, its BAR's type bits already set
 * @bar: the BAR's number, 0-5
 * @size: its size in bytes, a power of two
 *
 * A BAR decodes the address bits above its size: those are the bits a
 * write may change, so that writing all ones reads back the size. A
 * 64-bit memory BAR takes the next BAR's dword as its upper half.
 */
void mvgpu_vpci_cfg_bar(struct mvgpu_vpci_cfg *cfg, unsigned int bar, u64 size)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * bar;
	u32 type;
	u64 mask;

	if (WARN_ON(bar > 5 || !is_power_of_2(size)))
		return;
	mask = ~(size - 1);
	type = mvgpu_vpci_get32(cfg->data, off);
	if (type & PCI_BASE_ADDRESS_SPACE_IO) {
		mvgpu_vpci_put(cfg->wmask, off, 4, (u32)mask & PCI_BASE_ADDRESS_IO_MASK);
		return;
	}
	mvgpu_vpci_put(cfg->wmask, off, 4, (u32)mask & PCI_BASE_ADDRESS_MEM_MASK);
	if ((type & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64 &&
	    !WARN_ON(bar == 5))
		mvgpu_vpci_put(cfg->wmask, off + 4, 4, mask >> 32);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_cfg_bar, MVGPU_VPCI);

/**
 * mvgpu_vpci_cfg_write() - a guest write of one config-space byte
 * @cfg: config space
 * @off: offset, below PCI_CFG_SPACE_SIZE
 * @val: the byte
 *
 * Read-only bits keep their value; write-1-to-clear bits clear where @val
 * has a 1.
 */
void mvgpu_vpci_cfg_write(struct mvgpu_vpci_cfg *cfg, unsigned int off, u8 val)
{
	cfg->data[off] = (cfg->data[off] & ~cfg->wmask[off]) | (val & cfg->wmask[off]);
	cfg->data[off] &= ~(val & cfg->w1c[off]);
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_cfg_write, MVGPU_VPCI);

/**
 * mvgpu_vpci_cfg_access() - a read or write of the config region
 * @cfg: config space
 * @off: offset in the region
 * @buf: the bytes written, or filled with the bytes read
 * @len: how many
 * @write: write, or read
 *
 * Return: 0, or -EINVAL for an access not inside config space.
 */
int mvgpu_vpci_cfg_access(struct mvgpu_vpci_cfg *cfg, u64 off, u8 *buf, size_t len, bool write)
{
	size_t i;

	if (off >= PCI_CFG_SPACE_SIZE || len > PCI_CFG_SPACE_SIZE - off)
		return -EINVAL;
	if (!write) {
		memcpy(buf, cfg->data + off, len);
		return 0;
	}
	for (i = 0; i < len; i++)
		mvgpu_vpci_cfg_write(cfg, off + i, buf[i]);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_cfg_access, MVGPU_VPCI);

/**
 * mvgpu_vpci_cfg_command() - the command register
 * @cfg: config space
 *
 * Return: its value.
 */
u16 mvgpu_vpci_cfg_command(const struct mvgpu_vpci_cfg *cfg)
{
	return cfg->data[PCI_COMMAND] | cfg->data[PCI_COMMAND + 1] << 8;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_cfg_command, MVGPU_VPCI);

/**
 * mvgpu_vpci_cfg_set_intx_status() - show the INTx line in the status register
 * @cfg: config space
 * @pending: whether the device asserts its interrupt
 */
void mvgpu_vpci_cfg_set_intx_status(struct mvgpu_vpci_cfg *cfg, bool pending)
{
	if (pending)
		cfg->data[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	else
		cfg->data[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
}
EXPORT_SYMBOL_NS_GPL(mvgpu_vpci_cfg_set_intx_status, MVGPU_VPCI);
