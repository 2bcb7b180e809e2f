// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers every tool uses: messages, allocation, directory listings.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void verr(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", tool_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	exit(tool_fail_status);
}

static void *check_alloc(void *p)
{
	if (!p)
		die("out of memory");
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check_alloc(calloc(n && size ? n : 1, size ? size : 1));
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		die("out of memory");
	return check_alloc(realloc(p, n && size ? n * size : 1));
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		die("out of memory");
	return s;
}

static int cmp_names(const void *a, const void *b)
{
	return strverscmp(*(const char * const *)a, *(const char * const *)b);
}

char **list_dir(const char *path, size_t *n)
{
	char **names = NULL;
	struct dirent *de;
	size_t cap = 0;
	DIR *dir;

	*n = 0;
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT || errno == ENOTDIR ? xmalloc(sizeof(char *)) : NULL;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof(char *));
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (!names)
		names = xmalloc(sizeof(char *));
	qsort(names, *n, sizeof(char *), cmp_names);
	return names;
}

void free_list(char **names, size_t n)
{
	size_t i;

	if (!names)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
