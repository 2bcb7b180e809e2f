// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl: paths, UUIDs and numbers (messages and allocation: tools/lib/util.c).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvgpuctl.h"

const char *const res_names[RES_COUNT] = { "low_gm", "high_gm", "fence" };

/* Format a path into a PATH_MAX buffer; -1 (and a message) if too long. */
int path_fmt(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		err("path too long: %.60s...", buf);
		return -1;
	}
	return 0;
}

/* 8-4-4-4-12 hexadecimal digits, either case. */
bool uuid_valid(const char *s)
{
	int i;

	if (strlen(s) != UUID_LEN)
		return false;
	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* The kernel names mdev devices in lower case. */
void uuid_lower(char *dst, const char *src)
{
	int i;

	for (i = 0; i < UUID_LEN && src[i]; i++)
		dst[i] = tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

/* A random UUID from the kernel, in lower case. */
int uuid_generate(char *buf)
{
	char tmp[64];
	int ret;

	ret = sysfs_read("/proc/sys/kernel/random/uuid", tmp, sizeof(tmp));
	if (ret < 0 || !uuid_valid(tmp)) {
		err("cannot read a UUID from %s: %s; give one with --uuid",
		    "/proc/sys/kernel/random/uuid", ret < 0 ? strerror(-ret) : "malformed");
		return -1;
	}
	uuid_lower(buf, tmp);
	return 0;
}

/* A whole decimal (or 0x hexadecimal) number, nothing after it. */
bool parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*v = n;
	return true;
}

/* A resource amount for people: "64MB" for GM, "7 fences" for fences. */
void fmt_size(char *buf, size_t size, enum res_kind r, uint64_t v)
{
	if (r == RES_FENCE)
		snprintf(buf, size, "%llu fence%s", (unsigned long long)v, v == 1 ? "" : "s");
	else if (v % MB == 0)
		snprintf(buf, size, "%lluMB", (unsigned long long)(v / MB));
	else
		snprintf(buf, size, "%.1fMB", (double)v / MB);
}
