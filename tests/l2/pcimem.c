// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcimem: read or write a PCI BAR from inside a guest through sysfs
 * (resourceN), the way a driver would reach its registers.
 *
 * Usage: pcimem DEVICE_DIR BAR OFFSET           prints the 32-bit value
 *        pcimem DEVICE_DIR BAR OFFSET VALUE     writes a 32-bit value
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long off, page;
	char path[512];
	uint32_t *reg;
	void *map;
	int fd;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: pcimem DEVICE_DIR BAR OFFSET [VALUE]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/resource%s", argv[1], argv[2]);
	off = strtoul(argv[3], NULL, 0);
	page = off & ~4095UL;
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* one 32-bit access each, as a device register wants */
	reg = (uint32_t *)((char *)map + (off - page));
	if (argc == 5)
		__atomic_store_n(reg, (uint32_t)strtoul(argv[4], NULL, 0), __ATOMIC_SEQ_CST);
	else
		printf("0x%08x\n", __atomic_load_n(reg, __ATOMIC_SEQ_CST));
	munmap(map, 4096);
	close(fd);
	return 0;
}
