// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal streaming JSON writer for the mvgpu tools; see json.h.
 *
 * Output is pretty-printed with two spaces per level. Containers nested
 * deeper than JSON_MAX_DEPTH - 1 still balance their brackets but lose the
 * comma bookkeeping, so callers must stay within the limit.
 */
#include <string.h>

#include "json.h"

void json_init(struct json_out *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void json_indent(struct json_out *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not valid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values above U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value at the current depth. */
static void json_member(struct json_out *j, const char *key)
{
	if (j->depth > 0 && j->depth < JSON_MAX_DEPTH) {
		if (j->need_comma[j->depth])
			fputc(',', j->f);
		j->need_comma[j->depth] = true;
	}
	if (j->depth > 0) {
		fputc('\n', j->f);
		json_indent(j);
	}
	if (key) {
		json_string(j->f, key);
		fputs(": ", j->f);
	}
}

static void json_open(struct json_out *j, const char *key, char bracket)
{
	json_member(j, key);
	fputc(bracket, j->f);
	j->depth++;
	if (j->depth < JSON_MAX_DEPTH)
		j->need_comma[j->depth] = false;
}

static void json_close(struct json_out *j, char bracket)
{
	bool empty = j->depth < JSON_MAX_DEPTH && !j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		fputc('\n', j->f);
		json_indent(j);
	}
	fputc(bracket, j->f);
}

void json_obj_begin(struct json_out *j, const char *key)
{
	json_open(j, key, '{');
}

void json_obj_end(struct json_out *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json_out *j, const char *key)
{
	json_open(j, key, '[');
}

void json_arr_end(struct json_out *j)
{
	json_close(j, ']');
}

void json_str(struct json_out *j, const char *key, const char *val)
{
	json_member(j, key);
	if (val)
		json_string(j->f, val);
	else
		fputs("null", j->f);
}

void json_int(struct json_out *j, const char *key, long long val)
{
	json_member(j, key);
	fprintf(j->f, "%lld", val);
}

void json_uint(struct json_out *j, const char *key, unsigned long long val)
{
	json_member(j, key);
	fprintf(j->f, "%llu", val);
}

void json_bool(struct json_out *j, const char *key, bool val)
{
	json_member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_finish(struct json_out *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
