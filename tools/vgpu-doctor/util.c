// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor helpers: files and links under the sysfs and procfs roots,
 * the kernel command line (allocation and listings: tools/lib/util.c).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doctor.h"

static char *root_path(const char *root, const char *fmt, va_list ap)
{
	char *rel, *p;

	if (vasprintf(&rel, fmt, ap) < 0)
		die("out of memory");
	p = xasprintf("%s/%s", root, rel);
	free(rel);
	return p;
}

char *sys_path(const struct doctor *d, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = root_path(d->sysfs, fmt, ap);
	va_end(ap);
	return p;
}

char *proc_path(const struct doctor *d, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = root_path(d->proc, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * The whole of a (small, text) file, NUL-terminated, or NULL with errno
 * set. Files in procfs and sysfs report a size of 0 or 4096, so read
 * until EOF.
 */
char *read_text(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t r;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		if (cap - len < 2) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += r;
	}
	err = errno;
	close(fd);
	if (r < 0) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The first line of a file, without its newline. */
bool read_line(const char *path, char *buf, size_t size)
{
	char *text = read_text(path);

	if (!text)
		return false;
	text[strcspn(text, "\n")] = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
	return true;
}

/* The last component of a symbolic link's target: the driver of "driver". */
bool read_link_base(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, size, "%s", base ? base + 1 : target);
	return true;
}

/* read_line() of the file @name in directory @dir (a sysfs attribute). */
bool read_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char *path = xasprintf("%s/%s", dir, name);
	bool ok = read_line(path, buf, size);

	free(path);
	return ok;
}

/* read_link_base() of the link @name in directory @dir: "driver", "iommu_group". */
bool read_attr_link(const char *dir, const char *name, char *buf, size_t size)
{
	char *path = xasprintf("%s/%s", dir, name);
	bool ok = read_link_base(path, buf, size);

	free(path);
	return ok;
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Kernel parameter names treat '-' and '_' alike. */
static bool param_eq(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (strlen(b) != alen)
		return false;
	for (i = 0; i < alen; i++) {
		char x = a[i] == '-' ? '_' : a[i];
		char y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return true;
}

/*
 * Find the next parameter NAME on a kernel command line, after FROM (NULL:
 * from the start). Returns where the search can go on, or NULL when there
 * is no further occurrence. *val and *len give the value without quotes (NULL
 * and 0 for a bare "name"). Parsing stops at "--", after which arguments
 * belong to init.
 */
const char *cmdline_next(const char *cmdline, const char *name, const char **val, size_t *len,
			 const char *from)
{
	const char *p = from ? from : cmdline;

	while (*p) {
		const char *start, *end, *eq;
		bool quoted = false;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && (quoted || !isspace((unsigned char)*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		end = p;
		if (end - start == 2 && !strncmp(start, "--", 2))
			break;
		if (*start == '"')
			start++;
		eq = memchr(start, '=', end - start);
		if (!param_eq(start, (eq ? eq : end) - start, name))
			continue;
		if (!eq) {
			*val = NULL;
			*len = 0;
			return p;
		}
		eq++;
		if (*eq == '"')
			eq++;
		if (end > eq && end[-1] == '"')
			end--;
		*val = eq;
		*len = end - eq;
		return p;
	}
	return NULL;
}

/* WORD is one of the space separated words of LIST. */
bool has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		bool start = p == list || isspace((unsigned char)p[-1]);
		bool end = !p[wl] || isspace((unsigned char)p[wl]);

		if (start && end)
			return true;
		p += wl;
	}
	return false;
}

/*
 * A module is loaded when /proc/modules lists it, or built in when only
 * /sys/module has it (built-in code with parameters shows up there).
 */
bool module_loaded(const struct doctor *d, const char *name, bool *builtin)
{
	size_t nl = strlen(name);
	const char *line;
	char *path;
	bool found;

	*builtin = false;
	for (line = d->modules; line && *line; ) {
		if (!strncmp(line, name, nl) && line[nl] == ' ')
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	path = sys_path(d, "module/%s", name);
	found = is_dir(path);
	free(path);
	*builtin = found;
	return found;
}

/* "8 MiB", "1.5 GiB", "512 bytes" */
char *fmt_bytes(unsigned long long bytes)
{
	static const char * const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned long long unit = 1024;
	int i;

	if (bytes < 1024)
		return xasprintf("%llu bytes", bytes);
	for (i = 0; i < 4 && bytes >= unit * 1024; i++)
		unit *= 1024;
	if (bytes % unit == 0)
		return xasprintf("%llu %s", bytes / unit, units[i]);
	return xasprintf("%.1f %s", (double)bytes / (double)unit, units[i]);
}

static bool hex_field(const char **p, char stop, unsigned int max_digits, unsigned long *out)
{
	const char *s = *p;
	unsigned int n = 0;

	*out = 0;
	while (isxdigit((unsigned char)*s) && n < max_digits) {
		int c = tolower((unsigned char)*s);

		*out = *out * 16 + (unsigned long)(isdigit(c) ? c - '0' : c - 'a' + 10);
		s++;
		n++;
	}
	if (!n || *s != stop)
		return false;
	*p = s + 1;
	return true;
}

/* [DOMAIN:]BUS:DEV.FN in hex, normalised to 0000:01:00.0 */
bool parse_bdf(const char *in, char *out, size_t size)
{
	unsigned long dom = 0, bus, dev, fn;
	const char *p = in;
	int colons = 0;

	for (; *p; p++)
		colons += *p == ':';
	p = in;
	if (colons == 2 && !hex_field(&p, ':', 8, &dom))
		return false;
	if (colons < 1 || colons > 2 || !hex_field(&p, ':', 2, &bus) ||
	    !hex_field(&p, '.', 2, &dev) || !hex_field(&p, '\0', 1, &fn))
		return false;
	if (dom > 0xffffffff || dev > 0x1f || fn > 7)
		return false;
	snprintf(out, size, "%04lx:%02lx:%02lx.%lx", dom, bus, dev, fn);
	return true;
}
