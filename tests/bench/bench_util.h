/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the benchmark programs share: the clock, medians, argument parsing,
 * failing, and main()'s dispatch to a subcommand.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>

#define BENCH_MAX_VALUES	64	/* the most values bench_median() takes */

/* one subcommand: NAME ARGS... runs fn(number of ARGS, ARGS) */
struct bench_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

/* CLOCK_MONOTONIC in ns */
uint64_t bench_now_ns(void);
/* the median of @n (1 to BENCH_MAX_VALUES) values; @v is left as it was */
double bench_median(const double *v, unsigned int n);
/* @s as a number from @min to @max, or a usage error: a message and exit 2 */
unsigned int bench_parse_uint(const char *s, unsigned int min, unsigned int max);
/* "PROGRAM: message" on stderr, after what stdout holds */
void __attribute__((format(printf, 1, 2))) bench_error(const char *fmt, ...);
/* bench_error(), then exit 1 */
void __attribute__((noreturn, format(printf, 1, 2))) bench_die(const char *fmt, ...);
/*
 * main(): stdout line-buffered, then the subcommand of @cmds named by
 * argv[1] with the arguments after it; a usage message and 2 if none is.
 */
int bench_main(int argc, char **argv, const struct bench_cmd *cmds, unsigned int n);

#endif /* BENCH_UTIL_H */
