// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO-level tests of an mvtty instance, done the way QEMU drives a
 * device: container, group, device fd, regions, interrupts, reset, and
 * what happens on bad input. Prints TAP.
 *
 * Usage: mvtty_vfio UUID_OF_2_PORT_INSTANCE UUID_OF_1_PORT_INSTANCE
 * The 1-port instance is removed by the last test (removal while open).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <mvgpu/pci_ids.h>

#include "vfio_util.h"

#define BAR0 VFIO_PCI_BAR0_REGION_INDEX
#define CFG VFIO_PCI_CONFIG_REGION_INDEX

/* 16550A registers and bits used below */
enum {
	THR = 0, RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4,
	LSR = 5, MSR = 6, SCR = 7,
};

static uint8_t port_rd(struct vfio_dev *d, unsigned int port, unsigned int reg)
{
	uint8_t v = 0xee;

	if (vfio_region_read(d, BAR0, port * 8 + reg, &v, 1) != 1)
		tap_diag("BAR0 read of port %u reg %u failed", port, reg);
	return v;
}

static void port_wr(struct vfio_dev *d, unsigned int port, unsigned int reg, uint8_t v)
{
	if (vfio_region_write(d, BAR0, port * 8 + reg, &v, 1) != 1)
		tap_diag("BAR0 write of port %u reg %u failed", port, reg);
}

static void test_info(struct vfio_dev *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_region_info r;
	struct vfio_irq_info irq;
	unsigned int i;
	int ret;

	ret = ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info);
	tap_check(!ret && (info.flags & VFIO_DEVICE_FLAGS_PCI) &&
		  (info.flags & VFIO_DEVICE_FLAGS_RESET),
		  "DEVICE_GET_INFO: a PCI device that can reset (flags 0x%x)", info.flags);
	tap_check(info.num_regions == VFIO_PCI_NUM_REGIONS && info.num_irqs == VFIO_PCI_NUM_IRQS,
		  "DEVICE_GET_INFO: %u regions, %u irqs", info.num_regions, info.num_irqs);
	info.argsz = 4;
	ret = ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info);
	tap_check(ret && errno == EINVAL, "DEVICE_GET_INFO with a short argsz is EINVAL");

	ret = vfio_region_info(d, CFG, &r);
	tap_check(!ret && r.size == 256 && r.offset == (uint64_t)CFG << 40 &&
		  r.flags == (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE),
		  "config region: 256 bytes, read/write (size %llu)", (unsigned long long)r.size);
	ret = vfio_region_info(d, BAR0, &r);
	tap_check(!ret && r.size == 16 && !(r.flags & VFIO_REGION_INFO_FLAG_MMAP),
		  "BAR0: 16 bytes of I/O for two ports, not mmappable");
	for (i = VFIO_PCI_BAR1_REGION_INDEX, ret = 0; i < CFG; i++) {
		if (vfio_region_info(d, i, &r) || r.size || r.flags)
			ret = 1;
	}
	tap_check(!ret, "BAR1-5, the ROM are empty");
	ret = vfio_region_info(d, VFIO_PCI_NUM_REGIONS, &r);
	tap_check(ret == -EINVAL, "REGION_INFO past the last region is EINVAL (%d)", ret);

	ret = vfio_irq_info(d, VFIO_PCI_INTX_IRQ_INDEX, &irq);
	tap_check(!ret && irq.count == 1 &&
		  irq.flags == (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
				VFIO_IRQ_INFO_AUTOMASKED),
		  "INTx: one automasked, maskable eventfd interrupt");
	ret = vfio_irq_info(d, VFIO_PCI_MSI_IRQ_INDEX, &irq);
	tap_check(!ret && irq.count == 1 && (irq.flags & VFIO_IRQ_INFO_EVENTFD),
		  "MSI: one vector");
	ret = vfio_irq_info(d, VFIO_PCI_MSIX_IRQ_INDEX, &irq);
	tap_check(!ret && irq.count == 0, "no MSI-X");
	ret = vfio_irq_info(d, VFIO_PCI_REQ_IRQ_INDEX, &irq);
	tap_check(!ret && irq.count == 1, "a device request interrupt");
	ret = vfio_irq_info(d, VFIO_PCI_NUM_IRQS, &irq);
	tap_check(ret == -EINVAL, "IRQ_INFO past the last index is EINVAL");
}

static void test_config(struct vfio_dev *d)
{
	uint16_t cmd;

	tap_check(cfg_read16(d, PCI_VENDOR_ID) == MVGPU_PCI_VENDOR_ID &&
		  cfg_read16(d, PCI_DEVICE_ID) == MVTTY_PCI_DEVICE_ID,
		  "config: vendor and device IDs");
	tap_check(cfg_read32(d, PCI_CLASS_REVISION) >> 8 == MVTTY_PCI_CLASS,
		  "config: class is a 16550-compatible serial controller");
	tap_check(cfg_read16(d, PCI_SUBSYSTEM_ID) == 2, "config: subsystem ID is the port count");
	tap_check((cfg_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST) &&
		  cfg_read8(d, cfg_read8(d, PCI_CAPABILITY_LIST)) == PCI_CAP_ID_MSI,
		  "config: the capability list holds MSI");
	tap_check(cfg_read8(d, PCI_INTERRUPT_PIN) == 1, "config: interrupt pin INTA");

	cfg_write16(d, PCI_VENDOR_ID, 0xbeef);
	tap_check(cfg_read16(d, PCI_VENDOR_ID) == MVGPU_PCI_VENDOR_ID,
		  "config: the vendor ID is read-only");

	cfg_write32(d, PCI_BASE_ADDRESS_0, 0xffffffff);
	tap_check(cfg_read32(d, PCI_BASE_ADDRESS_0) == 0xfffffff1,
		  "config: BAR0 sizes as 16 bytes of I/O (0x%08x)",
		  cfg_read32(d, PCI_BASE_ADDRESS_0));
	cfg_write32(d, PCI_BASE_ADDRESS_0, 0xc040);
	tap_check(cfg_read32(d, PCI_BASE_ADDRESS_0) == 0xc041, "config: BAR0 takes an address");
	cfg_write32(d, PCI_BASE_ADDRESS_1, 0xffffffff);
	cfg_write32(d, PCI_ROM_ADDRESS, 0xffffffff);
	tap_check(!cfg_read32(d, PCI_BASE_ADDRESS_1) && !cfg_read32(d, PCI_ROM_ADDRESS),
		  "config: BAR1 and the expansion ROM are not implemented");

	cfg_write16(d, PCI_COMMAND, 0xffff);
	cmd = cfg_read16(d, PCI_COMMAND);
	tap_check(cmd == (PCI_COMMAND_IO | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
			  PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE),
		  "config: only the implemented command bits are writable (0x%04x)", cmd);
	cfg_write16(d, PCI_COMMAND, PCI_COMMAND_IO);
}

static void test_bad_access(struct vfio_dev *d)
{
	uint8_t buf[512] = { 0 };

	tap_check(vfio_region_read(d, CFG, 256, buf, 1) == -EINVAL,
		  "config read at offset 256 is EINVAL");
	tap_check(vfio_region_read(d, CFG, 254, buf, 4) == -EINVAL,
		  "config read crossing the end is EINVAL");
	tap_check(vfio_region_write(d, CFG, 0, buf, 512) == -EINVAL,
		  "config write larger than the region is EINVAL");
	tap_check(vfio_region_read(d, BAR0, 16, buf, 1) == -EINVAL,
		  "BAR0 read past its 16 bytes is EINVAL");
	tap_check(vfio_region_read(d, VFIO_PCI_BAR2_REGION_INDEX, 0, buf, 1) == -EINVAL,
		  "read of an empty region is EINVAL");
	tap_check(vfio_region_read(d, 20, 0, buf, 1) == -EINVAL,
		  "read of a region index that does not exist is EINVAL");
	tap_check(vfio_region_read(d, CFG, 0xffffffffffULL, buf, 1) == -EINVAL,
		  "read at a huge offset is EINVAL");
	tap_check(vfio_region_read(d, CFG, 0, buf, 0) == 0, "a zero-length read is 0");
	tap_check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd, 0) == MAP_FAILED,
		  "mmap of the device fails: nothing is mappable");
	tap_check(ioctl(d->fd, _IO(VFIO_TYPE, VFIO_BASE + 60)) == -1 && errno == ENOTTY,
		  "an unknown ioctl is ENOTTY");
	tap_check(cfg_read16(d, PCI_VENDOR_ID) == MVGPU_PCI_VENDOR_ID,
		  "the device still answers after the bad accesses");
}

static void test_uart(struct vfio_dev *d)
{
	static const char msg[] = "hello, mvtty";
	char got[sizeof(msg)] = { 0 };
	unsigned int i;

	port_wr(d, 0, SCR, 0x5a);
	port_wr(d, 1, SCR, 0xa5);
	tap_check(port_rd(d, 0, SCR) == 0x5a && port_rd(d, 1, SCR) == 0xa5,
		  "I/O BAR: each port has its own scratch register");
	tap_check(port_rd(d, 0, LSR) == 0x60 && port_rd(d, 0, IIR) == 0x01,
		  "I/O BAR: an idle port: transmitter empty, no interrupt");

	port_wr(d, 0, FCR, 0x01);
	tap_check((port_rd(d, 0, IIR) & 0xc0) == 0xc0, "FIFOs enable (IIR reads 0xc_)");
	port_wr(d, 0, MCR, 0x10);
	for (i = 0; i < sizeof(msg); i++)
		port_wr(d, 0, THR, msg[i]);
	tap_check(port_rd(d, 0, LSR) & 0x01, "loopback: data ready after sending");
	tap_check(!(port_rd(d, 1, LSR) & 0x01), "loopback: the other port received nothing");
	for (i = 0; i < sizeof(msg); i++)
		got[i] = port_rd(d, 0, RBR);
	tap_check(!memcmp(got, msg, sizeof(msg)), "loopback: the bytes come back in order");
	port_wr(d, 0, MCR, 0);
	port_wr(d, 0, THR, 'x');
	tap_check(!(port_rd(d, 0, LSR) & 0x01), "no loopback: sent bytes leave on the line");
	tap_check(port_rd(d, 0, MSR) == 0, "no loopback: no modem lines");

	/* a 4-byte access reaches four registers in turn */
	{
		uint32_t v = 0;

		port_wr(d, 1, LCR, 0x03);
		tap_check(vfio_region_read(d, BAR0, 8 + 4, &v, 4) == 4 &&
			  ((v >> 24) & 0xff) == 0xa5,
			  "a 4-byte BAR0 read covers MCR, LSR, MSR, SCR (0x%08x)", v);
	}
}

static void test_intx(struct vfio_dev *d)
{
	int efd = efd_new();

	port_wr(d, 0, IER, 0);
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, efd) == 0,
		  "INTx: enable with an eventfd");
	tap_check(efd_wait(efd, 50) == 0, "INTx: nothing pending, nothing signalled");

	port_wr(d, 0, IER, 0x02);	/* THRE: fires at once */
	tap_check(efd_wait(efd, 1000) == 1, "INTx: enabling THRE signals the eventfd");
	tap_check(cfg_read16(d, PCI_STATUS) & PCI_STATUS_INTERRUPT,
		  "INTx: the status register shows the pending interrupt");
	port_rd(d, 0, IIR);		/* acknowledge */
	port_wr(d, 0, THR, 'a');	/* THRE again, but INTx is automasked */
	tap_check(efd_wait(efd, 100) == 0, "INTx: automasked until unmasked");
	tap_check(vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX,
				    VFIO_IRQ_SET_ACTION_UNMASK, 1) == 0 &&
		  efd_wait(efd, 1000) == 1,
		  "INTx: unmask with the line still asserted signals again");
	port_rd(d, 0, IIR);
	tap_check(!(cfg_read16(d, PCI_STATUS) & PCI_STATUS_INTERRUPT),
		  "INTx: acknowledged, the status bit clears");

	cfg_write16(d, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_INTX_DISABLE);
	vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 1);
	port_wr(d, 0, THR, 'b');
	tap_check(efd_wait(efd, 100) == 0, "INTx: the command register's disable bit holds it");
	cfg_write16(d, PCI_COMMAND, PCI_COMMAND_IO);
	port_wr(d, 0, THR, 'c');
	tap_check(efd_wait(efd, 1000) == 1, "INTx: re-enabled in the command register, it fires");
	port_rd(d, 0, IIR);
	vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK, 1);

	tap_check(vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX,
				    VFIO_IRQ_SET_ACTION_TRIGGER, 1) == 0 &&
		  efd_wait(efd, 1000) == 1,
		  "INTx: a DATA_NONE trigger fires the eventfd (loopback test)");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, efd) == -EINVAL,
		  "MSI cannot be enabled while INTx is");
	tap_check(vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX,
				    VFIO_IRQ_SET_ACTION_TRIGGER, 0) == 0,
		  "INTx: disable (DATA_NONE, count 0)");
	port_wr(d, 0, IER, 0);
	close(efd);
}

static void test_msi(struct vfio_dev *d)
{
	int efd = efd_new();

	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSI_IRQ_INDEX, efd) == 0,
		  "MSI: enable with an eventfd");
	port_wr(d, 1, FCR, 0x01);
	port_wr(d, 1, IER, 0x01);	/* received data */
	port_wr(d, 1, MCR, 0x10);
	port_wr(d, 1, THR, 'm');
	tap_check(efd_wait(efd, 1000) == 1, "MSI: received data on port 1 signals");
	tap_check(port_rd(d, 1, IIR) == 0xc4 && port_rd(d, 1, RBR) == 'm',
		  "MSI: IIR names received data, RBR has the byte");
	port_wr(d, 1, THR, 'n');
	tap_check(efd_wait(efd, 1000) == 1, "MSI: each new interrupt signals again");
	port_rd(d, 1, RBR);
	tap_check(vfio_irq_set_none(d, VFIO_PCI_MSI_IRQ_INDEX,
				    VFIO_IRQ_SET_ACTION_MASK, 1) == -ENOTTY,
		  "MSI: masking is not supported (ENOTTY)");
	tap_check(vfio_irq_set_none(d, VFIO_PCI_MSI_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER, 0) == 0,
		  "MSI: disable");
	port_wr(d, 1, THR, 'o');
	tap_check(efd_wait(efd, 100) == 0, "MSI: disabled, nothing signals");
	port_wr(d, 1, IER, 0);
	port_wr(d, 1, MCR, 0);
	close(efd);
}

static void test_bad_irqs(struct vfio_dev *d)
{
	char buf[sizeof(struct vfio_irq_set) + 2 * sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int fds[2] = { -1, -1 };
	int efd = efd_new();
	int devnull = open("/dev/null", O_RDONLY);

	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, 1000) == -EBADF,
		  "SET_IRQS: a closed fd is EBADF");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, devnull) == -EINVAL,
		  "SET_IRQS: an fd that is not an eventfd is EINVAL");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, -2) == -EINVAL,
		  "SET_IRQS: fd -2 is EINVAL");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_MSIX_IRQ_INDEX, efd) == -EINVAL,
		  "SET_IRQS: MSI-X (no vectors) is EINVAL");
	tap_check(vfio_irq_set_eventfd(d, 9, efd) == -EINVAL,
		  "SET_IRQS: an index past the last is EINVAL");

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->count = 2;
	memcpy(set->data, fds, sizeof(fds));
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL, "SET_IRQS: two vectors of MSI is EINVAL");
	set->count = 1;
	set->start = 1;
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL,
		  "SET_IRQS: start past the vectors is EINVAL");
	set->start = 0;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_DATA_BOOL |
		     VFIO_IRQ_SET_ACTION_TRIGGER;
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL, "SET_IRQS: two data types is EINVAL");
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->argsz = sizeof(struct vfio_irq_set);
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL,
		  "SET_IRQS: argsz without the data is EINVAL");
	set->argsz = sizeof(buf);
	set->count = 0;
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL,
		  "SET_IRQS: an eventfd request for no vectors is EINVAL");
	set->flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL,
		  "SET_IRQS: a bool request for no vectors is EINVAL");
	set->flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK |
		     VFIO_IRQ_SET_ACTION_UNMASK;
	set->index = VFIO_PCI_INTX_IRQ_INDEX;
	set->count = 1;
	tap_check(vfio_irq_set_raw(d, set) == -EINVAL, "SET_IRQS: two actions at once is EINVAL");
	tap_check(vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX,
				    VFIO_IRQ_SET_ACTION_MASK, 0) == -EINVAL,
		  "SET_IRQS: masking no vectors is EINVAL");
	tap_check(vfio_irq_set_none(d, VFIO_PCI_INTX_IRQ_INDEX,
				    VFIO_IRQ_SET_ACTION_UNMASK, 1) == -EINVAL,
		  "SET_IRQS: unmasking INTx that is not enabled is EINVAL");
	tap_check(vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, efd) == 0 &&
		  vfio_irq_set_eventfd(d, VFIO_PCI_INTX_IRQ_INDEX, -1) == 0,
		  "SET_IRQS: after the bad requests INTx still enables and disables");
	close(devnull);
	close(efd);
}

static void test_reset(struct vfio_dev *d)
{
	port_wr(d, 0, SCR, 0x33);
	port_wr(d, 1, MCR, 0x13);
	cfg_write32(d, PCI_BASE_ADDRESS_0, 0xc080);
	tap_check(ioctl(d->fd, VFIO_DEVICE_RESET) == 0, "DEVICE_RESET succeeds");
	tap_check(port_rd(d, 0, SCR) == 0 && port_rd(d, 1, MCR) == 0 &&
		  port_rd(d, 0, LSR) == 0x60 && port_rd(d, 1, IIR) == 0x01,
		  "reset: the UART registers are back to power-on values");
	tap_check(cfg_read32(d, PCI_BASE_ADDRESS_0) == 0x1 && cfg_read16(d, PCI_COMMAND) == 0,
		  "reset: BAR0 and the command register are cleared");
}

static void test_reopen(struct vfio_dev *d)
{
	port_wr(d, 0, SCR, 0x77);
	vfio_dev_close(d);
	tap_check(vfio_dev_open(d, d->uuid) == 0, "the device opens again after close");
	tap_check(port_rd(d, 0, SCR) == 0, "a new open starts from power-on state");
}

int main(int argc, char **argv)
{
	struct vfio_dev d;

	if (argc != 3) {
		fprintf(stderr, "usage: %s UUID_2_PORT UUID_1_PORT\n", argv[0]);
		return 2;
	}
	tap_check(vfio_dev_open(&d, argv[1]) == 0,
		  "open the 2-port instance: container, group, TYPE1v2, device fd");
	if (d.fd < 0)
		return tap_done();
	test_info(&d);
	test_config(&d);
	test_bad_access(&d);
	test_uart(&d);
	test_intx(&d);
	test_msi(&d);
	test_bad_irqs(&d);
	test_reset(&d);
	test_reopen(&d);
	vfio_dev_close(&d);
	vfio_test_remove_while_open(argv[2],
				    "/sys/class/mdev_bus/mvtty/mdev_supported_types/mvtty-1");
	return tap_done();
}
