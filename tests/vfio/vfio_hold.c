// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hold an mdev device open through VFIO, as a VM would, until stdin
 * closes: for tests of what users may do to a device in use. Prints
 * "open" once it is (or why not, and exits 1).
 *
 * Usage: vfio_hold UUID
 */
#include <stdio.h>
#include <unistd.h>

#include "vfio_util.h"

int main(int argc, char **argv)
{
	struct vfio_dev d;
	char c;

	if (argc != 2) {
		fprintf(stderr, "usage: vfio_hold UUID\n");
		return 2;
	}
	if (vfio_dev_open(&d, argv[1]))
		return 1;
	printf("open\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	vfio_dev_close(&d);
	return 0;
}
