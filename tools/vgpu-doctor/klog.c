// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel log for the IOMMU checks: from --dmesg FILE (dmesg output,
 * "-" for standard input), or live from /dev/kmsg, or through syslog(2)
 * as dmesg(1) reads it when /dev/kmsg cannot be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "doctor.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

static void add_line(struct doctor *d, const char *s, size_t len, size_t *cap)
{
	if (d->nklog == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		d->klog = xreallocarray(d->klog, *cap, sizeof(char *));
	}
	d->klog[d->nklog++] = strndup(s, len);
	if (!d->klog[d->nklog - 1])
		die("out of memory");
}

/*
 * One line of dmesg(1) or syslog(2) output without its "<6>" priority and
 * "[    1.234567] " time stamp.
 */
static void add_dmesg_line(struct doctor *d, const char *s, size_t len, size_t *cap)
{
	const char *end = s + len, *p;

	if (s < end && *s == '<') {
		p = memchr(s, '>', end - s);
		if (p && p - s <= 4)
			s = p + 1;
	}
	if (s < end && *s == '[') {
		p = memchr(s, ']', end - s);
		if (p) {
			s = p + 1;
			if (s < end && *s == ' ')
				s++;
		}
	}
	add_line(d, s, end - s, cap);
}

static void split_lines(struct doctor *d, const char *text, size_t *cap)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		add_dmesg_line(d, p, nl - p, cap);
		p = *nl ? nl + 1 : nl;
	}
}

static char *read_stream(FILE *f)
{
	size_t len = 0, cap = 65536, r;
	char *buf = xmalloc(cap);

	while ((r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (cap - len < 2) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
	}
	buf[len] = '\0';
	return buf;
}

/* Records of /dev/kmsg are "prio,seq,usec,flags;text\n" plus " KEY=value" lines. */
static bool read_kmsg(struct doctor *d, size_t *cap, int *err)
{
	char rec[8192];
	const char *text, *nl;
	ssize_t n;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return false;
	}
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;	/* records were overwritten while reading */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		add_line(d, text, nl ? (size_t)(nl - text) : strlen(text), cap);
	}
	*err = n < 0 && errno != EAGAIN ? errno : 0;
	close(fd);
	return *err == 0;
}

static bool read_syslog(struct doctor *d, size_t *cap, int *err)
{
	int size, n;
	char *buf;

	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size <= 0) {
		*err = size < 0 ? errno : ENODATA;
		return false;
	}
	buf = xmalloc((size_t)size + 1);
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		*err = errno;
		free(buf);
		return false;
	}
	buf[n] = '\0';
	split_lines(d, buf, cap);
	free(buf);
	return true;
}

void klog_load(struct doctor *d)
{
	size_t cap = 0;
	int err1, err2;
	char *text;
	FILE *f;

	if (d->dmesg) {
		f = strcmp(d->dmesg, "-") ? fopen(d->dmesg, "re") : stdin;
		if (!f)
			die("cannot read the kernel log '%s': %s", d->dmesg, strerror(errno));
		text = read_stream(f);
		if (ferror(f))
			die("cannot read the kernel log '%s': %s", d->dmesg, strerror(errno));
		if (f != stdin)
			fclose(f);
		split_lines(d, text, &cap);
		free(text);
		d->klog_source = xstrdup(strcmp(d->dmesg, "-") ? d->dmesg : "standard input");
		if (!d->klog)
			d->klog = xmalloc(sizeof(char *));
		return;
	}
	if (d->custom_root) {
		d->klog_source = xstrdup("no kernel log for another root (use --dmesg FILE)");
		return;
	}
	if (read_kmsg(d, &cap, &err1)) {
		d->klog_source = xstrdup("/dev/kmsg");
	} else {
		/* start again from the other source */
		free_list(d->klog, d->nklog);
		d->klog = NULL;
		d->nklog = 0;
		cap = 0;
		if (!read_syslog(d, &cap, &err2)) {
			d->klog_source = xasprintf("cannot read the kernel log (%s%s; %s%s): %s",
						   "/dev/kmsg: ", strerror(err1),
						   "syslog: ", strerror(err2),
						   "run as root, or pass --dmesg FILE");
			return;
		}
		d->klog_source = xstrdup("syslog(2)");
	}
	if (!d->klog)
		d->klog = xmalloc(sizeof(char *));
}
