// SPDX-License-Identifier: GPL-2.0-only
/*
 * fbfill: draw the display test pattern into a PCI BAR from inside a guest
 * (through sysfs resourceN), as a driver fills its framebuffer. Pixel
 * (x, y) is XRGB8888 with red x, green y and blue x ^ y (low 8 bits each);
 * tests/vm/ppmcheck.py checks a screenshot against the same pattern.
 *
 * Usage: fbfill DEVICE_DIR BAR OFFSET WIDTH HEIGHT STRIDE
 *        fbfill FILE - OFFSET WIDTH HEIGHT STRIDE
 *   the second draws into a framebuffer device such as /dev/fb0
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long off, w, h, stride, len, x, y;
	char path[512];
	uint8_t *map;
	int fd;

	if (argc != 7) {
		fprintf(stderr, "usage: fbfill DEVICE_DIR BAR OFFSET WIDTH HEIGHT STRIDE\n");
		return 2;
	}
	if (!strcmp(argv[2], "-"))
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		snprintf(path, sizeof(path), "%s/resource%s", argv[1], argv[2]);
	off = strtoul(argv[3], NULL, 0);
	w = strtoul(argv[4], NULL, 0);
	h = strtoul(argv[5], NULL, 0);
	stride = strtoul(argv[6], NULL, 0);
	if ((off & 4095) || !w || !h || stride < 4 * w) {
		fprintf(stderr, "fbfill: bad geometry\n");
		return 2;
	}
	len = (stride * h + 4095) & ~4095UL;
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			((uint32_t *)(map + y * stride))[x] =
				(x & 0xff) << 16 | (y & 0xff) << 8 | ((x ^ y) & 0xff);
	munmap(map, len);
	close(fd);
	return 0;
}
