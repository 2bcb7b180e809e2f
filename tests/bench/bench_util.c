// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the benchmark programs share (bench_util.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

/* the program's name in messages: argv[0] without its directory */
static const char *prog = "bench";

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(const double *v, unsigned int n)
{
	double d[BENCH_MAX_VALUES];

	if (!n || n > BENCH_MAX_VALUES)
		bench_die("the median of %u values: 1 to %u only", n, BENCH_MAX_VALUES);
	memcpy(d, v, n * sizeof(*d));
	qsort(d, n, sizeof(*d), cmp_double);
	return n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
}

unsigned int bench_parse_uint(const char *s, unsigned int min, unsigned int max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < min || v > max) {
		bench_error("'%s' is not a number from %u to %u", s, min, max);
		exit(2);
	}
	return v;
}

static void verror(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
}

void bench_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

void bench_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	exit(1);
}

int bench_main(int argc, char **argv, const struct bench_cmd *cmds, unsigned int n)
{
	const char *slash = argc ? strrchr(argv[0], '/') : NULL;
	unsigned int i;

	if (argc)
		prog = slash ? slash + 1 : argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc > 1 && i < n; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "usage: %s ", argc ? argv[0] : prog);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%s", i ? "|" : "", cmds[i].name);
	fprintf(stderr, " ARGS...\n");
	return 2;
}
