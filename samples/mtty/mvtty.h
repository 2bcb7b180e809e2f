/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvtty: a mediated PCI serial device with 16550A-compatible ports.
 *
 * The UART and config-space models (mvtty_uart.c, mvtty_pci.c) are plain
 * state machines with no locking and no VFIO: mvtty_main.c owns the
 * locking and the VFIO/mdev glue.
 */
#ifndef _MVTTY_H
#define _MVTTY_H

#include <linux/types.h>

struct mvgpu_vpci_cfg;

#define MVTTY_FIFO_SIZE		16
#define MVTTY_PORT_SIZE		8	/* I/O bytes per port in BAR0 */
#define MVTTY_MAX_PORTS		2	/* ports per device */
#define MVTTY_MSI_CAP		0x40

/* 16550A register offsets within a port and the bits the model uses */
#define MVTTY_RBR		0	/* read, DLAB=0 */
#define MVTTY_THR		0	/* write, DLAB=0 */
#define MVTTY_DLL		0	/* DLAB=1 */
#define MVTTY_IER		1	/* DLAB=0 */
#define MVTTY_DLM		1	/* DLAB=1 */
#define MVTTY_IIR		2	/* read */
#define MVTTY_FCR		2	/* write */
#define MVTTY_LCR		3
#define MVTTY_MCR		4
#define MVTTY_LSR		5
#define MVTTY_MSR		6
#define MVTTY_SCR		7

#define MVTTY_IER_RDI		0x01
#define MVTTY_IER_THRI		0x02
#define MVTTY_IER_RLSI		0x04
#define MVTTY_IER_MSI		0x08

#define MVTTY_IIR_NO_INT	0x01
#define MVTTY_IIR_MSI		0x00
#define MVTTY_IIR_THRI		0x02
#define MVTTY_IIR_RDI		0x04
#define MVTTY_IIR_RLSI		0x06
#define MVTTY_IIR_TIMEOUT	0x0c
#define MVTTY_IIR_FIFOS		0xc0

#define MVTTY_FCR_ENABLE	0x01
#define MVTTY_FCR_CLEAR_RX	0x02
#define MVTTY_FCR_CLEAR_TX	0x04
#define MVTTY_FCR_TRIGGER	0xc0

#define MVTTY_LCR_DLAB		0x80

#define MVTTY_MCR_DTR		0x01
#define MVTTY_MCR_RTS		0x02
#define MVTTY_MCR_OUT1		0x04
#define MVTTY_MCR_OUT2		0x08
#define MVTTY_MCR_LOOP		0x10

#define MVTTY_LSR_DR		0x01
#define MVTTY_LSR_OE		0x02
#define MVTTY_LSR_THRE		0x20
#define MVTTY_LSR_TEMT		0x40

#define MVTTY_MSR_DCTS		0x01
#define MVTTY_MSR_DDSR		0x02
#define MVTTY_MSR_TERI		0x04
#define MVTTY_MSR_DDCD		0x08
#define MVTTY_MSR_CTS		0x10
#define MVTTY_MSR_DSR		0x20
#define MVTTY_MSR_RI		0x40
#define MVTTY_MSR_DCD		0x80

/**
 * struct mvtty_uart - register state of one emulated 16550A port
 * @ier: interrupt enable register (low four bits)
 * @lcr: line control register
 * @mcr: modem control register (low five bits)
 * @scr: scratch register
 * @dll: divisor latch, low byte
 * @dlm: divisor latch, high byte
 * @fcr: FIFO control: enable and trigger-level bits as last written
 * @overrun: a received byte was lost; reported in LSR until LSR is read
 * @thre_pending: the transmitter-empty interrupt is latched
 * @msr_delta: MSR change bits (0-3), cleared when MSR is read
 * @rx: receive FIFO (a single holding byte when FIFOs are disabled)
 * @rx_head: index of the oldest byte in @rx
 * @rx_count: bytes in @rx
 * @tx_bytes: bytes written to THR
 * @tx_dropped: bytes sent to the disconnected line (not in loopback)
 *
 * The line has nothing attached: transmitted bytes are dropped unless
 * MCR.LOOP connects the transmitter to the receiver, as on a real 16550A.
 * Transmission is instantaneous, so THR and the shifter are always empty.
 */
struct mvtty_uart {
	u8 ier;
	u8 lcr;
	u8 mcr;
	u8 scr;
	u8 dll;
	u8 dlm;
	u8 fcr;
	bool overrun;
	bool thre_pending;
	u8 msr_delta;
	u8 rx[MVTTY_FIFO_SIZE];
	u8 rx_head;
	u8 rx_count;
	u64 tx_bytes;
	u64 tx_dropped;
};

void mvtty_uart_reset(struct mvtty_uart *uart);
u8 mvtty_uart_read(struct mvtty_uart *uart, unsigned int reg);
void mvtty_uart_write(struct mvtty_uart *uart, unsigned int reg, u8 val);
bool mvtty_uart_irq_pending(const struct mvtty_uart *uart);
void mvtty_uart_receive(struct mvtty_uart *uart, u8 byte);

void mvtty_cfg_init(struct mvgpu_vpci_cfg *cfg, unsigned int nr_ports);

#endif /* _MVTTY_H */
