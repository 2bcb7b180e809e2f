// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl: a vGPU's scheduler attributes, mvgpu/{weight,cap,stats}.
 *
 * stats holds "key: value" lines; engine counters are "ENGINE.counter"
 * (render.busy_ns, copy.queue, ...). Keys are kept in the kernel's order
 * and unknown ones are passed on, so a newer module's keys still show.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mvgpuctl.h"

/* Return: 0, or a negative errno (-ENOENT: no scheduler, or not a vGPU). */
int stats_read(const char *root, const char *uuid, struct stats *s)
{
	char path[PATH_MAX], text[4096], *line, *save, *val;
	int ret;

	s->n = 0;
	if (inst_path(path, root, uuid, "mvgpu/stats"))
		return -ENAMETOOLONG;
	ret = sysfs_read(path, text, sizeof(text));
	if (ret < 0)
		return ret;
	for (line = strtok_r(text, "\n", &save); line && s->n < STATS_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, ':');
		if (!val)
			continue;
		*val++ = '\0';
		val += strspn(val, " \t");
		snprintf(s->kv[s->n].key, sizeof(s->kv[0].key), "%s", line);
		snprintf(s->kv[s->n].val, sizeof(s->kv[0].val), "%s", val);
		s->n++;
	}
	return 0;
}

const char *stats_get(const struct stats *s, const char *key)
{
	int i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->kv[i].key, key))
			return s->kv[i].val;
	}
	return NULL;
}

bool stats_u64(const struct stats *s, const char *key, uint64_t *v)
{
	const char *val = stats_get(s, key);

	return val && parse_u64(val, v);
}

static void json_value(struct json_out *j, const char *key, const char *val)
{
	uint64_t v;

	if (parse_u64(val, &v))
		json_uint(j, key, v);
	else
		json_str(j, key, val);
}

/*
 * The stats as one object: plain keys as members, "ENGINE.counter" keys
 * grouped in an "engines" object with one object per engine.
 */
void stats_json(struct json_out *j, const char *key, const struct stats *s)
{
	char engine[64], seen[STATS_MAX][64];
	int i, k, nr_seen = 0;
	const char *dot;
	size_t len;

	json_obj_begin(j, key);
	for (i = 0; i < s->n; i++) {
		if (!strchr(s->kv[i].key, '.'))
			json_value(j, s->kv[i].key, s->kv[i].val);
	}
	json_obj_begin(j, "engines");
	for (i = 0; i < s->n; i++) {
		dot = strchr(s->kv[i].key, '.');
		if (!dot)
			continue;
		len = dot - s->kv[i].key;
		snprintf(engine, sizeof(engine), "%.*s", (int)len, s->kv[i].key);
		for (k = 0; k < nr_seen && strcmp(seen[k], engine); k++)
			;
		if (k < nr_seen)
			continue;
		snprintf(seen[nr_seen++], sizeof(seen[0]), "%s", engine);
		json_obj_begin(j, engine);
		for (k = i; k < s->n; k++) {
			if (!strncmp(s->kv[k].key, engine, len) && s->kv[k].key[len] == '.')
				json_value(j, s->kv[k].key + len + 1, s->kv[k].val);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

/* mvgpu/ATTR's first line. Return: 0, or a negative errno. */
int vgpu_attr_str(const char *root, const char *uuid, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX], rel[64];
	int ret;

	snprintf(rel, sizeof(rel), "mvgpu/%s", attr);
	if (inst_path(path, root, uuid, rel))
		return -ENAMETOOLONG;
	ret = sysfs_read(path, buf, size);
	return ret < 0 ? ret : 0;
}

/* mvgpu/weight or mvgpu/cap. Return: 0, or a negative errno. */
int vgpu_attr_long(const char *root, const char *uuid, const char *attr, long *v)
{
	char buf[64];
	uint64_t n;
	int ret;

	ret = vgpu_attr_str(root, uuid, attr, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (!parse_u64(buf, &n) || n > LONG_MAX)
		return -EINVAL;
	*v = n;
	return 0;
}
