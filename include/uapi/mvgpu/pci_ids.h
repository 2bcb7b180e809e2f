/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * PCI identifiers of the devices mvgpu emulates.
 *
 * 0x1234 is the vendor ID QEMU and many emulated devices use; it is not
 * assigned to this project. A hardware product would need its own ID.
 */
#ifndef _UAPI_MVGPU_PCI_IDS_H
#define _UAPI_MVGPU_PCI_IDS_H

#define MVGPU_PCI_VENDOR_ID		0x1234

/* samples/mtty: a 16550A-compatible serial port (class 0x070002) */
#define MVTTY_PCI_DEVICE_ID		0x6d74
#define MVTTY_PCI_CLASS			0x070002
/* the subsystem ID of an mvtty device is its number of ports */

/* drivers/mvgpu: a vGPU, a display controller (class 0x038000) */
#define MVGPU_PCI_DEVICE_ID		0x6d67
#define MVGPU_PCI_CLASS			0x038000

#endif /* _UAPI_MVGPU_PCI_IDS_H */
