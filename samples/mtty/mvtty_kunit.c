// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of mvtty's 16550A register model and PCI config space.
 */
#include <kunit/test.h>
#include <linux/pci_regs.h>
#include <mvgpu/pci_ids.h>
#include <mvgpu/vpci.h>

#include "mvtty.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(MVGPU_VPCI);

static u8 rd(struct mvtty_uart *u, unsigned int reg)
{
	return mvtty_uart_read(u, reg);
}

static void wr(struct mvtty_uart *u, unsigned int reg, u8 val)
{
	mvtty_uart_write(u, reg, val);
}

static void mvtty_uart_power_on_state(struct kunit *test)
{
	struct mvtty_uart u;

	memset(&u, 0xa5, sizeof(u));
	mvtty_uart_reset(&u);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IER), 0);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IIR), MVTTY_IIR_NO_INT);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_LCR), 0);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MCR), 0);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_LSR), MVTTY_LSR_THRE | MVTTY_LSR_TEMT);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR), 0);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_SCR), 0);
	KUNIT_EXPECT_FALSE(test, mvtty_uart_irq_pending(&u));
}

static void mvtty_uart_register_widths(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_SCR, 0x5a);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_SCR), 0x5a);
	/* IER keeps four bits, MCR five: what 8250 autoconfig probes */
	wr(&u, MVTTY_IER, 0xff);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IER), 0x0f);
	wr(&u, MVTTY_IER, 0);
	wr(&u, MVTTY_MCR, 0xff);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MCR), 0x1f);
	/* LSR and MSR writes change nothing */
	wr(&u, MVTTY_MCR, 0);
	rd(&u, MVTTY_MSR);
	wr(&u, MVTTY_LSR, 0xff);
	wr(&u, MVTTY_MSR, 0xff);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_LSR), MVTTY_LSR_THRE | MVTTY_LSR_TEMT);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR), 0);
}

static void mvtty_uart_divisor_latch(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_IER, MVTTY_IER_RDI);
	wr(&u, MVTTY_LCR, MVTTY_LCR_DLAB | 0x03);
	wr(&u, MVTTY_DLL, 0x0c);
	wr(&u, MVTTY_DLM, 0x01);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_DLL), 0x0c);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_DLM), 0x01);
	wr(&u, MVTTY_LCR, 0x03);
	/* the latch did not touch IER, and DLL writes sent nothing */
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IER), MVTTY_IER_RDI);
	KUNIT_EXPECT_EQ(test, u.tx_bytes, 0);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_LCR), 0x03);
}

static void mvtty_uart_loopback_data(struct kunit *test)
{
	static const u8 msg[] = "mvtty loop";
	struct mvtty_uart u;
	unsigned int i;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_FCR, MVTTY_FCR_ENABLE);
	wr(&u, MVTTY_MCR, MVTTY_MCR_LOOP);
	for (i = 0; i < sizeof(msg); i++)
		wr(&u, MVTTY_THR, msg[i]);
	for (i = 0; i < sizeof(msg); i++) {
		KUNIT_ASSERT_TRUE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
		KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_RBR), msg[i]);
	}
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
	KUNIT_EXPECT_EQ(test, u.tx_dropped, 0);
}

static void mvtty_uart_disconnected_line(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_THR, 'x');
	wr(&u, MVTTY_THR, 'y');
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
	KUNIT_EXPECT_EQ(test, u.tx_bytes, 2);
	KUNIT_EXPECT_EQ(test, u.tx_dropped, 2);
}

static void mvtty_uart_loopback_modem_lines(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	/* the check 8250 autoconfig does: LOOP|OUT2|RTS reads DCD|CTS */
	wr(&u, MVTTY_MCR, MVTTY_MCR_LOOP | MVTTY_MCR_OUT2 | MVTTY_MCR_RTS);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR) & 0xf0, MVTTY_MSR_DCD | MVTTY_MSR_CTS);
	/* deltas were cleared by that read */
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR) & 0x0f, 0);
	wr(&u, MVTTY_MCR, MVTTY_MCR_LOOP | MVTTY_MCR_DTR | MVTTY_MCR_OUT1);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR),
			MVTTY_MSR_DSR | MVTTY_MSR_RI | MVTTY_MSR_DCTS |
			MVTTY_MSR_DDSR | MVTTY_MSR_DDCD);
	/* RI reports only its trailing edge */
	wr(&u, MVTTY_MCR, MVTTY_MCR_LOOP | MVTTY_MCR_DTR);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR), MVTTY_MSR_DSR | MVTTY_MSR_TERI);
	/* leaving loopback disconnects the inputs */
	wr(&u, MVTTY_MCR, MVTTY_MCR_DTR);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_MSR), MVTTY_MSR_DDSR);
}

static void mvtty_uart_fifo_overrun(struct kunit *test)
{
	struct mvtty_uart u;
	unsigned int i;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_FCR, MVTTY_FCR_ENABLE);
	for (i = 0; i < MVTTY_FIFO_SIZE + 1; i++)
		mvtty_uart_receive(&u, i);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_LSR), MVTTY_LSR_DR | MVTTY_LSR_OE |
			MVTTY_LSR_THRE | MVTTY_LSR_TEMT);
	/* OE clears on read; the FIFO kept the first sixteen bytes */
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_OE);
	for (i = 0; i < MVTTY_FIFO_SIZE; i++)
		KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_RBR), i);
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
}

static void mvtty_uart_holding_register_overrun(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	/* without FIFOs a new byte replaces the unread one */
	mvtty_uart_receive(&u, 'a');
	mvtty_uart_receive(&u, 'b');
	KUNIT_EXPECT_TRUE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_OE);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_RBR), 'b');
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
}

static void mvtty_uart_fifo_control(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_FCR, MVTTY_FCR_ENABLE);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IIR), MVTTY_IIR_FIFOS | MVTTY_IIR_NO_INT);
	mvtty_uart_receive(&u, 1);
	mvtty_uart_receive(&u, 2);
	wr(&u, MVTTY_FCR, MVTTY_FCR_ENABLE | MVTTY_FCR_CLEAR_RX);
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
	mvtty_uart_receive(&u, 3);
	/* turning FIFOs off empties them */
	wr(&u, MVTTY_FCR, 0);
	KUNIT_EXPECT_FALSE(test, rd(&u, MVTTY_LSR) & MVTTY_LSR_DR);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IIR), MVTTY_IIR_NO_INT);
}

static void mvtty_uart_thre_interrupt(struct kunit *test)
{
	struct mvtty_uart u;

	mvtty_uart_reset(&u);
	/* the sequence 8250's THRE test runs: it must fire both times */
	wr(&u, MVTTY_IER, MVTTY_IER_THRI);
	KUNIT_EXPECT_TRUE(test, mvtty_uart_irq_pending(&u));
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IIR), MVTTY_IIR_THRI);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IIR), MVTTY_IIR_NO_INT);
	wr(&u, MVTTY_IER, 0);
	wr(&u, MVTTY_IER, MVTTY_IER_THRI);
	KUNIT_EXPECT_EQ(test, rd(&u, MVTTY_IIR), MVTTY_IIR_THRI);
	/* a transmitted byte empties THR again */
	wr(&u, MVTTY_THR, 'z');
	KUNIT_EXPECT_TRUE(test, mvtty_uart_irq_pending(&u));
	/* with THRI disabled nothing is reported */
	wr(&u, MVTTY_IER, 0);
	KUNIT_EXPECT_FALSE(test, mvtty_uart_irq_pending(&u));
}

/* IIR priority: one case per combination of pending sources. */
struct mvtty_iir_case {
	const char *name;
	u8 ier;
	u8 fcr;
	unsigned int rx_bytes;
	bool overrun;
	bool thre;
	bool modem_delta;
	u8 iir;
};

static const struct mvtty_iir_case mvtty_iir_cases[] = {
	{ "nothing enabled", 0, 0, 3, true, true, true, MVTTY_IIR_NO_INT },
	{ "line status first", 0x0f, 0, 1, true, true, true, MVTTY_IIR_RLSI },
	{ "data before thre", 0x0f, 0, 1, false, true, true, MVTTY_IIR_RDI },
	{ "thre before modem", 0x0f, 0, 0, false, true, true, MVTTY_IIR_THRI },
	{ "modem status last", 0x0f, 0, 0, false, false, true, MVTTY_IIR_MSI },
	{ "overrun needs RLSI", 0x0b, 0, 0, true, false, false, MVTTY_IIR_NO_INT },
	{ "below trigger 4 is timeout", 0x01, 0x41, 3, false, false, false, MVTTY_IIR_TIMEOUT },
	{ "at trigger 4 is data", 0x01, 0x41, 4, false, false, false, MVTTY_IIR_RDI },
	{ "trigger 14", 0x01, 0xc1, 14, false, false, false, MVTTY_IIR_RDI },
	{ "trigger 8 not reached", 0x01, 0x81, 7, false, false, false, MVTTY_IIR_TIMEOUT },
};

static void mvtty_iir_case_desc(const struct mvtty_iir_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mvtty_iir, mvtty_iir_cases, mvtty_iir_case_desc);

static void mvtty_uart_iir_priority(struct kunit *test)
{
	const struct mvtty_iir_case *c = test->param_value;
	struct mvtty_uart u;
	unsigned int i;
	bool pending;
	u8 iir;

	mvtty_uart_reset(&u);
	wr(&u, MVTTY_FCR, c->fcr);
	for (i = 0; i < c->rx_bytes; i++)
		mvtty_uart_receive(&u, i);
	u.overrun = c->overrun;
	u.thre_pending = c->thre;
	u.msr_delta = c->modem_delta ? MVTTY_MSR_DDCD : 0;
	u.ier = c->ier;
	pending = mvtty_uart_irq_pending(&u);
	iir = rd(&u, MVTTY_IIR) & 0x0f;
	KUNIT_EXPECT_EQ(test, iir, c->iir);
	KUNIT_EXPECT_EQ(test, pending, c->iir != MVTTY_IIR_NO_INT);
}

static u32 cfg32(const struct mvgpu_vpci_cfg *cfg, unsigned int off)
{
	const u8 *b = cfg->data + off;

	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

/* As a guest does it: a 4-byte write through the config region */
static void cfg_write32(struct mvgpu_vpci_cfg *cfg, unsigned int off, u32 val)
{
	u8 bytes[4] = { val, val >> 8, val >> 16, val >> 24 };

	mvgpu_vpci_cfg_access(cfg, off, bytes, 4, true);
}

static void mvtty_cfg_identity(struct kunit *test)
{
	struct mvgpu_vpci_cfg cfg_space, *cfg = &cfg_space;

	mvtty_cfg_init(cfg, 2);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_VENDOR_ID),
			MVGPU_PCI_VENDOR_ID | MVTTY_PCI_DEVICE_ID << 16);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_CLASS_REVISION) >> 8, MVTTY_PCI_CLASS);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_SUBSYSTEM_VENDOR_ID),
			MVGPU_PCI_VENDOR_ID | 2 << 16);
	KUNIT_EXPECT_EQ(test, cfg->data[PCI_INTERRUPT_PIN], 1);
	KUNIT_EXPECT_EQ(test, cfg->data[PCI_CAPABILITY_LIST], MVTTY_MSI_CAP);
	KUNIT_EXPECT_EQ(test, cfg->data[MVTTY_MSI_CAP], PCI_CAP_ID_MSI);
	KUNIT_EXPECT_EQ(test, cfg->data[MVTTY_MSI_CAP + 1], 0);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_ROM_ADDRESS), 0);

	/* identity is read-only */
	cfg_write32(cfg, PCI_VENDOR_ID, 0);
	cfg_write32(cfg, PCI_CLASS_REVISION, 0);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_VENDOR_ID),
			MVGPU_PCI_VENDOR_ID | MVTTY_PCI_DEVICE_ID << 16);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_CLASS_REVISION) >> 8, MVTTY_PCI_CLASS);
}

static void mvtty_cfg_bar_sizing(struct kunit *test)
{
	struct mvgpu_vpci_cfg cfg_space, *cfg = &cfg_space;
	unsigned int ports, bar;

	for (ports = 1; ports <= MVTTY_MAX_PORTS; ports++) {
		mvtty_cfg_init(cfg, ports);
		cfg_write32(cfg, PCI_BASE_ADDRESS_0, 0xffffffff);
		/* the size reads back as the complement of its mask; I/O bit stays */
		KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_BASE_ADDRESS_0),
				~(ports * MVTTY_PORT_SIZE - 1) | PCI_BASE_ADDRESS_SPACE_IO);
		cfg_write32(cfg, PCI_BASE_ADDRESS_0, 0xc050);
		KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_BASE_ADDRESS_0),
				0xc050 | PCI_BASE_ADDRESS_SPACE_IO);
		/* the other BARs and the ROM BAR are not implemented */
		for (bar = PCI_BASE_ADDRESS_1; bar <= PCI_BASE_ADDRESS_5; bar += 4) {
			cfg_write32(cfg, bar, 0xffffffff);
			KUNIT_EXPECT_EQ(test, cfg32(cfg, bar), 0);
		}
		cfg_write32(cfg, PCI_ROM_ADDRESS, 0xffffffff);
		KUNIT_EXPECT_EQ(test, cfg32(cfg, PCI_ROM_ADDRESS), 0);
	}
}

static void mvtty_cfg_command_status(struct kunit *test)
{
	struct mvgpu_vpci_cfg cfg_space, *cfg = &cfg_space;

	mvtty_cfg_init(cfg, 1);
	mvgpu_vpci_cfg_write(cfg, PCI_COMMAND, 0xff);
	mvgpu_vpci_cfg_write(cfg, PCI_COMMAND + 1, 0xff);
	KUNIT_EXPECT_EQ(test, mvgpu_vpci_cfg_command(cfg),
			PCI_COMMAND_IO | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
			PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);

	/* status: error bits are write-1-to-clear, the rest read-only */
	cfg->data[PCI_STATUS + 1] = (PCI_STATUS_REC_MASTER_ABORT | PCI_STATUS_PARITY) >> 8;
	mvgpu_vpci_cfg_write(cfg, PCI_STATUS + 1, PCI_STATUS_REC_MASTER_ABORT >> 8);
	KUNIT_EXPECT_EQ(test, cfg->data[PCI_STATUS + 1], PCI_STATUS_PARITY >> 8);
	mvgpu_vpci_cfg_write(cfg, PCI_STATUS, 0xff);
	KUNIT_EXPECT_EQ(test, cfg->data[PCI_STATUS], PCI_STATUS_CAP_LIST);
	mvgpu_vpci_cfg_set_intx_status(cfg, true);
	KUNIT_EXPECT_EQ(test, cfg->data[PCI_STATUS], PCI_STATUS_CAP_LIST | PCI_STATUS_INTERRUPT);
	mvgpu_vpci_cfg_set_intx_status(cfg, false);
	KUNIT_EXPECT_EQ(test, cfg->data[PCI_STATUS], PCI_STATUS_CAP_LIST);
}

static void mvtty_cfg_msi_capability(struct kunit *test)
{
	struct mvgpu_vpci_cfg cfg_space, *cfg = &cfg_space;
	unsigned int flags = MVTTY_MSI_CAP + PCI_MSI_FLAGS;

	mvtty_cfg_init(cfg, 1);
	/* only the enable bit is writable: one vector, 32-bit addresses */
	mvgpu_vpci_cfg_write(cfg, flags, 0xff);
	mvgpu_vpci_cfg_write(cfg, flags + 1, 0xff);
	KUNIT_EXPECT_EQ(test, cfg->data[flags], PCI_MSI_FLAGS_ENABLE);
	KUNIT_EXPECT_EQ(test, cfg->data[flags + 1], 0);
	cfg_write32(cfg, MVTTY_MSI_CAP + PCI_MSI_ADDRESS_LO, 0xfee00003);
	KUNIT_EXPECT_EQ(test, cfg32(cfg, MVTTY_MSI_CAP + PCI_MSI_ADDRESS_LO), 0xfee00000);
	mvgpu_vpci_cfg_write(cfg, MVTTY_MSI_CAP + PCI_MSI_DATA_32, 0x41);
	KUNIT_EXPECT_EQ(test, cfg->data[MVTTY_MSI_CAP + PCI_MSI_DATA_32], 0x41);
	/* the capability header itself is read-only */
	mvgpu_vpci_cfg_write(cfg, MVTTY_MSI_CAP + PCI_CAP_LIST_NEXT, 0x80);
	KUNIT_EXPECT_EQ(test, cfg->data[MVTTY_MSI_CAP + PCI_CAP_LIST_NEXT], 0);
}

static struct kunit_case mvtty_uart_cases[] = {
	KUNIT_CASE(mvtty_uart_power_on_state),
	KUNIT_CASE(mvtty_uart_register_widths),
	KUNIT_CASE(mvtty_uart_divisor_latch),
	KUNIT_CASE(mvtty_uart_loopback_data),
	KUNIT_CASE(mvtty_uart_disconnected_line),
	KUNIT_CASE(mvtty_uart_loopback_modem_lines),
	KUNIT_CASE(mvtty_uart_fifo_overrun),
	KUNIT_CASE(mvtty_uart_holding_register_overrun),
	KUNIT_CASE(mvtty_uart_fifo_control),
	KUNIT_CASE(mvtty_uart_thre_interrupt),
	KUNIT_CASE_PARAM(mvtty_uart_iir_priority, mvtty_iir_gen_params),
	{}
};

static struct kunit_suite mvtty_uart_suite = {
	.name = "mvtty_uart",
	.test_cases = mvtty_uart_cases,
};

static struct kunit_case mvtty_cfg_cases[] = {
	KUNIT_CASE(mvtty_cfg_identity),
	KUNIT_CASE(mvtty_cfg_bar_sizing),
	KUNIT_CASE(mvtty_cfg_command_status),
	KUNIT_CASE(mvtty_cfg_msi_capability),
	{}
};

static struct kunit_suite mvtty_cfg_suite = {
	.name = "mvtty_cfg",
	.test_cases = mvtty_cfg_cases,
};

kunit_test_suites(&mvtty_uart_suite, &mvtty_cfg_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for mvtty");
