// SPDX-License-Identifier: GPL-2.0-only
/*
 * ttyloop: checks a serial port through the guest's tty layer. With --loop
 * it sets the UART's internal loopback (TIOCM_LOOP, MCR bit 4) and expects
 * every byte written to come back; without, it expects nothing back.
 * Prints TAP lines (no plan); exits non-zero on a failure.
 *
 * Usage: ttyloop [--loop] /dev/ttySn BYTES
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCM_LOOP
#define TIOCM_LOOP 0x8000	/* asm-generic/termios.h: the UART's loopback */
#endif

static int failed, n;

static void check(int ok, const char *what)
{
	n++;
	printf("%sok %d - %s\n", ok ? "" : "not ", n, what);
	if (!ok)
		failed = 1;
}

/* Read up to len bytes, waiting at most ms for each new chunk. */
static size_t read_all(int fd, unsigned char *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;

	while (got < len && poll(&p, 1, ms) == 1) {
		r = read(fd, buf + got, len - got);
		if (r <= 0)
			break;
		got += r;
	}
	return got;
}

int main(int argc, char **argv)
{
	unsigned char *out, *in;
	struct termios t;
	int loop = 0, fd, bits;
	size_t len, i, got;
	char what[128];

	if (argc > 1 && !strcmp(argv[1], "--loop")) {
		loop = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: ttyloop [--loop] TTY BYTES\n");
		return 2;
	}
	len = strtoul(argv[2], NULL, 0);
	fd = open(argv[1], O_RDWR | O_NOCTTY);
	check(fd >= 0, "open the tty");
	if (fd < 0)
		return 1;

	tcgetattr(fd, &t);
	cfmakeraw(&t);
	cfsetispeed(&t, B115200);
	cfsetospeed(&t, B115200);
	t.c_cflag |= CLOCAL | CREAD;
	check(tcsetattr(fd, TCSANOW, &t) == 0, "raw mode at 115200 baud");

	ioctl(fd, TIOCMGET, &bits);
	if (loop)
		bits |= TIOCM_LOOP;
	else
		bits &= ~TIOCM_LOOP;
	check(ioctl(fd, TIOCMSET, &bits) == 0, "set the modem control lines");
	tcflush(fd, TCIOFLUSH);

	out = malloc(len);
	in = calloc(1, len);
	for (i = 0; i < len; i++)
		out[i] = (unsigned char)(i * 7 + 3);
	snprintf(what, sizeof(what), "write %zu bytes", len);
	check(write(fd, out, len) == (ssize_t)len, what);
	got = read_all(fd, in, len, 2000);
	if (loop) {
		snprintf(what, sizeof(what), "loopback: %zu of %zu bytes came back", got, len);
		check(got == len, what);
		check(!memcmp(in, out, len), "loopback: the same bytes, in order");
	} else {
		snprintf(what, sizeof(what), "no loopback: nothing came back (%zu bytes)", got);
		check(got == 0, what);
	}
	close(fd);
	return failed;
}
