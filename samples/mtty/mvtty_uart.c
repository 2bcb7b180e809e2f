// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvtty: register model of a 16550A UART, written from the register
 * description of the 16550A data sheet. No locking: the caller serialises.
 */
#include <linux/export.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "mvtty.h"

static const u8 mvtty_trigger_levels[4] = { 1, 4, 8, 14 };

static bool mvtty_fifo_enabled(const struct mvtty_uart *uart)
{
	return uart->fcr & MVTTY_FCR_ENABLE;
}

static unsigned int mvtty_rx_capacity(const struct mvtty_uart *uart)
{
	return mvtty_fifo_enabled(uart) ? MVTTY_FIFO_SIZE : 1;
}

static void mvtty_rx_clear(struct mvtty_uart *uart)
{
	uart->rx_head = 0;
	uart->rx_count = 0;
}

static u8 mvtty_rx_pop(struct mvtty_uart *uart)
{
	u8 byte;

	if (!uart->rx_count)
		return 0;
	byte = uart->rx[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % MVTTY_FIFO_SIZE;
	uart->rx_count--;
	return byte;
}

/* Modem status inputs: in loopback they follow the modem outputs. */
static u8 mvtty_msr_inputs(u8 mcr)
{
	u8 msr = 0;

	if (!(mcr & MVTTY_MCR_LOOP))
		return 0;	/* nothing is attached to the line */
	if (mcr & MVTTY_MCR_RTS)
		msr |= MVTTY_MSR_CTS;
	if (mcr & MVTTY_MCR_DTR)
		msr |= MVTTY_MSR_DSR;
	if (mcr & MVTTY_MCR_OUT1)
		msr |= MVTTY_MSR_RI;
	if (mcr & MVTTY_MCR_OUT2)
		msr |= MVTTY_MSR_DCD;
	return msr;
}

static u8 mvtty_msr_changes(u8 old, u8 new)
{
	u8 delta = 0, diff = old ^ new;

	if (diff & MVTTY_MSR_CTS)
		delta |= MVTTY_MSR_DCTS;
	if (diff & MVTTY_MSR_DSR)
		delta |= MVTTY_MSR_DDSR;
	if ((old & MVTTY_MSR_RI) && !(new & MVTTY_MSR_RI))
		delta |= MVTTY_MSR_TERI;	/* trailing edge only */
	if (diff & MVTTY_MSR_DCD)
		delta |= MVTTY_MSR_DDCD;
	return delta;
}

/* The highest-priority pending interrupt, as IIR bits 0-3. */
static u8 mvtty_uart_iir(const struct mvtty_uart *uart)
{
	unsigned int trigger = 1;

	if (mvtty_fifo_enabled(uart))
		trigger = mvtty_trigger_levels[uart->fcr >> 6];

	if ((uart->ier & MVTTY_IER_RLSI) && uart->overrun)
		return MVTTY_IIR_RLSI;
	if ((uart->ier & MVTTY_IER_RDI) && uart->rx_count >= trigger)
		return MVTTY_IIR_RDI;
	/*
	 * A real UART reports the character timeout after four idle
	 * character times; the emulated line is never busy, so at once.
	 */
	if ((uart->ier & MVTTY_IER_RDI) && uart->rx_count)
		return MVTTY_IIR_TIMEOUT;
	if ((uart->ier & MVTTY_IER_THRI) && uart->thre_pending)
		return MVTTY_IIR_THRI;
	if ((uart->ier & MVTTY_IER_MSI) && uart->msr_delta)
		return MVTTY_IIR_MSI;
	return MVTTY_IIR_NO_INT;
}

/**
 * mvtty_uart_reset() - put a port in its power-on state
 * @uart: the port
 */
void mvtty_uart_reset(struct mvtty_uart *uart)
{
	memset(uart, 0, sizeof(*uart));
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_uart_reset);

/**
 * mvtty_uart_irq_pending() - whether the port asserts its interrupt
 * @uart: the port
 *
 * Return: true while IIR reports a pending interrupt.
 */
bool mvtty_uart_irq_pending(const struct mvtty_uart *uart)
{
	return mvtty_uart_iir(uart) != MVTTY_IIR_NO_INT;
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_uart_irq_pending);

/**
 * mvtty_uart_receive() - a byte arrives on the port's receiver
 * @uart: the port
 * @byte: the byte
 *
 * A full FIFO loses the new byte; without FIFOs the new byte replaces the
 * unread one. Either way the overrun is reported in LSR.
 */
void mvtty_uart_receive(struct mvtty_uart *uart, u8 byte)
{
	if (uart->rx_count == mvtty_rx_capacity(uart)) {
		uart->overrun = true;
		if (!mvtty_fifo_enabled(uart))
			uart->rx[uart->rx_head] = byte;
		return;
	}
	uart->rx[(uart->rx_head + uart->rx_count) % MVTTY_FIFO_SIZE] = byte;
	uart->rx_count++;
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_uart_receive);

/**
 * mvtty_uart_read() - read a port register, with the read's side effects
 * @uart: the port
 * @reg: register offset, 0-7
 *
 * Return: the register value.
 */
u8 mvtty_uart_read(struct mvtty_uart *uart, unsigned int reg)
{
	bool dlab = uart->lcr & MVTTY_LCR_DLAB;
	u8 val;

	switch (reg) {
	case MVTTY_RBR:
		return dlab ? uart->dll : mvtty_rx_pop(uart);
	case MVTTY_IER:
		return dlab ? uart->dlm : uart->ier;
	case MVTTY_IIR:
		val = mvtty_uart_iir(uart);
		/* reading IIR acknowledges a transmitter-empty interrupt */
		if (val == MVTTY_IIR_THRI)
			uart->thre_pending = false;
		if (mvtty_fifo_enabled(uart))
			val |= MVTTY_IIR_FIFOS;
		return val;
	case MVTTY_LCR:
		return uart->lcr;
	case MVTTY_MCR:
		return uart->mcr;
	case MVTTY_LSR:
		val = MVTTY_LSR_THRE | MVTTY_LSR_TEMT;
		if (uart->rx_count)
			val |= MVTTY_LSR_DR;
		if (uart->overrun)
			val |= MVTTY_LSR_OE;
		uart->overrun = false;
		return val;
	case MVTTY_MSR:
		val = mvtty_msr_inputs(uart->mcr) | uart->msr_delta;
		uart->msr_delta = 0;
		return val;
	case MVTTY_SCR:
		return uart->scr;
	default:
		return 0xff;
	}
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_uart_read);

static void mvtty_uart_transmit(struct mvtty_uart *uart, u8 byte)
{
	uart->tx_bytes++;
	if (uart->mcr & MVTTY_MCR_LOOP)
		mvtty_uart_receive(uart, byte);
	else
		uart->tx_dropped++;
	/* the byte left at once: THR is empty again */
	uart->thre_pending = true;
}

static void mvtty_uart_write_fcr(struct mvtty_uart *uart, u8 val)
{
	/* toggling the FIFO enable clears both FIFOs */
	if ((val ^ uart->fcr) & MVTTY_FCR_ENABLE)
		mvtty_rx_clear(uart);
	if (val & MVTTY_FCR_CLEAR_RX)
		mvtty_rx_clear(uart);
	/* the transmitter holds nothing, so CLEAR_TX has nothing to do */
	uart->fcr = val & (MVTTY_FCR_ENABLE | MVTTY_FCR_TRIGGER);
}

/**
 * mvtty_uart_write() - write a port register, with the write's effects
 * @uart: the port
 * @reg: register offset, 0-7
 * @val: the value
 */
void mvtty_uart_write(struct mvtty_uart *uart, unsigned int reg, u8 val)
{
	bool dlab = uart->lcr & MVTTY_LCR_DLAB;
	u8 old;

	switch (reg) {
	case MVTTY_THR:
		if (dlab)
			uart->dll = val;
		else
			mvtty_uart_transmit(uart, val);
		break;
	case MVTTY_IER:
		if (dlab) {
			uart->dlm = val;
			break;
		}
		/* enabling THRI while the transmitter is empty raises it */
		if ((val & ~uart->ier) & MVTTY_IER_THRI)
			uart->thre_pending = true;
		uart->ier = val & 0x0f;
		break;
	case MVTTY_FCR:
		mvtty_uart_write_fcr(uart, val);
		break;
	case MVTTY_LCR:
		uart->lcr = val;
		break;
	case MVTTY_MCR:
		old = mvtty_msr_inputs(uart->mcr);
		uart->mcr = val & 0x1f;
		uart->msr_delta |= mvtty_msr_changes(old, mvtty_msr_inputs(uart->mcr));
		break;
	case MVTTY_SCR:
		uart->scr = val;
		break;
	default:
		/* LSR and MSR writes are for factory testing: ignored */
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(mvtty_uart_write);
