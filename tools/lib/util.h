/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers every tool uses: messages, allocation that cannot fail, and
 * sorted directory listings.
 */
#ifndef TOOLS_LIB_UTIL_H
#define TOOLS_LIB_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Defined by each tool: its name, in messages, and its exit status on a fatal error. */
extern const char tool_name[];
extern const int tool_fail_status;

/* A message on stderr: "NAME: ..." and a newline. */
void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void verr(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* err(), then exit with tool_fail_status */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* These die on out of memory; a zero size still gives a pointer to free(). */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The entries of a directory without those starting with a dot, in
 * version order (numbers by value). A missing directory is an empty list;
 * NULL only on other errors. free_list() frees it.
 */
char **list_dir(const char *path, size_t *n);
void free_list(char **names, size_t n);

#endif /* TOOLS_LIB_UTIL_H */
