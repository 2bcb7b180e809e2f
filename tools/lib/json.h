/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal streaming JSON writer for the mvgpu tools.
 *
 * Values are written as they are produced; the writer only keeps the
 * nesting depth and whether the current container already has a member.
 * Keys are NULL inside arrays and for the top-level value. Strings are
 * escaped (quotes, backslash, control characters as \uXXXX) and invalid
 * UTF-8 bytes are replaced by U+FFFD, so the output is always valid JSON
 * as long as begin/end calls are balanced and the nesting stays below
 * JSON_MAX_DEPTH.
 */
#ifndef MVGPU_TOOLS_JSON_H
#define MVGPU_TOOLS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_out {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json_out *j, FILE *f);
void json_obj_begin(struct json_out *j, const char *key);
void json_obj_end(struct json_out *j);
void json_arr_begin(struct json_out *j, const char *key);
void json_arr_end(struct json_out *j);
void json_str(struct json_out *j, const char *key, const char *val); /* NULL val -> null */
void json_int(struct json_out *j, const char *key, long long val);
void json_uint(struct json_out *j, const char *key, unsigned long long val);
void json_bool(struct json_out *j, const char *key, bool val);
void json_finish(struct json_out *j); /* prints the final newline */

#endif /* MVGPU_TOOLS_JSON_H */
