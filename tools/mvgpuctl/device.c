// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl create, remove and set: the commands that write to sysfs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mvgpuctl.h"

/* Say why a write failed; root and existence get their own advice. */
static void write_error(const char *path, int ret, const char *what)
{
	if (ret == -EACCES || ret == -EPERM)
		err("cannot %s: %s: %s; run as root", what, path, strerror(-ret));
	else
		err("cannot %s: %s: %s", what, path, strerror(-ret));
}

static bool has_type(const struct mdev_state *st, const char *parent, const char *name)
{
	int i;

	for (i = 0; i < st->nr_parents; i++) {
		if (parent && strcmp(st->parents[i].name, parent))
			continue;
		if (mdev_type(&st->parents[i], name))
			return true;
	}
	return false;
}

/* TYPE as given ("mvtty-1", "mvgpu-V1_4"), or with "mvgpu-" in front ("V1_4"). */
static bool resolve_type(const struct mdev_state *st, const char *parent, const char *arg,
			 char *name)
{
	snprintf(name, NAME_LEN, "%s", arg);
	if (has_type(st, parent, name))
		return true;
	snprintf(name, NAME_LEN, "mvgpu-%s", arg);
	return has_type(st, parent, name);
}

/* whether @name is one of the ", "-separated names in @list */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(list, name); p; p = strstr(p + 1, name)) {
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ','))
			return true;
	}
	return false;
}

/* Append the type names of @parent (or every parent) of mvgpu or not to @list. */
static void append_types(const struct mdev_state *st, const char *parent, bool mvgpu,
			 char *list, size_t size, size_t *len)
{
	const char *name;
	int i, k, n;

	for (i = 0; i < st->nr_parents; i++) {
		if ((parent && strcmp(st->parents[i].name, parent)) ||
		    mdev_is_mvgpu_parent(&st->parents[i]) != mvgpu)
			continue;
		for (k = 0; k < st->parents[i].nr_types; k++) {
			name = st->parents[i].types[k].name;
			if (listed(list, name))	/* another parent with the same types */
				continue;
			n = snprintf(list + *len, size - *len, "%s%s", *len ? ", " : "", name);
			if (n < 0 || (size_t)n >= size - *len)
				return;
			*len += n;
		}
	}
}

static void no_type_error(const struct mdev_state *st, const char *parent, const char *arg)
{
	char list[1024] = "";
	size_t len = 0;

	append_types(st, parent, true, list, sizeof(list), &len);
	append_types(st, parent, false, list, sizeof(list), &len);
	if (parent)
		err("%s has no type '%s'; its types are: %s", parent, arg, list);
	else
		err("no type '%s'; valid types are: %s", arg, list);
	err("mvgpu types can be given without the mvgpu- prefix (V1_4 for mvgpu-V1_4)");
}

static void parent_names(const struct mdev_state *st, char *list, size_t size)
{
	size_t len = 0;
	int i, n;

	list[0] = '\0';
	for (i = 0; i < st->nr_parents; i++) {
		n = snprintf(list + len, size - len, "%s%s", len ? ", " : "", st->parents[i].name);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += n;
	}
}

/* the parent to create on: the one asked for, or the first with room */
static int pick_parent(const struct opts *o, const struct mdev_state *st, const char *type,
		       const struct mparent **out)
{
	const struct mparent *p;
	const struct mtype *t;
	int i;

	if (o->parent) {
		p = mdev_parent(st, o->parent);
		t = mdev_type(p, type);
		if (t->available == 0) {
			capacity_explain(st, p, t);
			return 1;
		}
		*out = p;
		return 0;
	}
	for (i = 0; i < st->nr_parents; i++) {
		t = mdev_type(&st->parents[i], type);
		if (t && t->available != 0) {
			*out = &st->parents[i];
			return 0;
		}
	}
	for (i = 0; i < st->nr_parents; i++) {
		t = mdev_type(&st->parents[i], type);
		if (t)
			capacity_explain(st, &st->parents[i], t);
	}
	return 1;
}

static int do_create(const struct opts *o, const struct mparent *p, const char *type,
		     const char *uuid)
{
	char path[PATH_MAX];
	struct mdev_state st;
	struct mparent *np;
	struct mtype *nt;
	int ret;

	if (type_path(path, o->root, p->name, type, "create"))
		return 1;
	ret = sysfs_write(path, uuid);
	if (!ret) {
		printf("%s\n", uuid);
		return 0;
	}
	if (ret == -EEXIST) {
		err("UUID %s already exists", uuid);
		return 1;
	}
	if (ret == -EACCES || ret == -EPERM) {
		write_error(path, ret, "create a device");
		return 1;
	}
	/* a race with another creator, or a failure the kernel log explains */
	if (!mdev_scan(o->root, &st)) {
		np = mdev_parent(&st, p->name);
		nt = np ? mdev_type(np, type) : NULL;
		if (nt && nt->available == 0) {
			capacity_explain(&st, np, nt);
			mdev_free(&st);
			return 1;
		}
		mdev_free(&st);
	}
	err("creating %s of type %s on %s failed: %s; the kernel log (dmesg) may say why",
	    uuid, type, p->name, strerror(-ret));
	return 1;
}

int cmd_create(const struct opts *o, int argc, char **argv)
{
	char type[NAME_LEN], uuid[UUID_LEN + 1], list[512];
	const struct mparent *p = NULL;
	struct mdev_state st;
	struct minst *in;
	int ret;

	if (argc != 1)
		return usage_error("create", argc ? "too many arguments" : "no TYPE given");
	if (o->uuid && !uuid_valid(o->uuid))
		return usage_error("create", "malformed UUID '%s': want 8-4-4-4-12 hex digits",
				   o->uuid);
	if (mdev_scan(o->root, &st))
		return 1;
	if (!st.nr_parents) {
		mdev_free(&st);
		return no_parents_error(o->root);
	}
	ret = 1;
	if (o->parent && !mdev_parent(&st, o->parent)) {
		parent_names(&st, list, sizeof(list));
		err("no mdev parent '%s'; parents: %s", o->parent, list);
		goto out;
	}
	if (!resolve_type(&st, o->parent, argv[0], type)) {
		no_type_error(&st, o->parent, argv[0]);
		goto out;
	}
	if (o->uuid) {
		uuid_lower(uuid, o->uuid);
		in = mdev_inst(&st, uuid);
		if (in) {
			err("UUID %s already exists (type %s on %s); use another or no --uuid",
			    uuid, in->type, in->parent);
			goto out;
		}
	} else if (uuid_generate(uuid)) {
		goto out;
	}
	ret = pick_parent(o, &st, type, &p);
	if (!ret)
		ret = do_create(o, p, type, uuid);
out:
	mdev_free(&st);
	return ret;
}

int cmd_remove(const struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX];
	struct mdev_state st;
	struct minst *in;
	int ret;

	if (argc != 1)
		return usage_error("remove", argc ? "too many arguments" : "no UUID given");
	ret = lookup_uuid(o, argv[0], &st, &in);
	if (ret)
		return ret;
	ret = inst_path(path, o->root, in->uuid, "remove");
	if (!ret) {
		ret = sysfs_write(path, "1");
		if (ret)
			write_error(path, ret, "remove the device");
	}
	mdev_free(&st);
	return ret ? 1 : 0;
}

/* The value to write for a setting, or a usage error. */
static int parse_setting(const char *attr, const char *val, char *out, size_t size)
{
	long lo = !strcmp(attr, "weight") ? 1 : 0;
	uint64_t v;

	if (!strcmp(attr, "plane_type")) {
		if (strcmp(val, "region") && strcmp(val, "dmabuf"))
			return usage_error("set", "plane_type must be region or dmabuf, not '%s'",
					   val);
		snprintf(out, size, "%s", val);
		return 0;
	}
	if (strcmp(attr, "weight") && strcmp(attr, "cap"))
		return usage_error("set", "unknown setting '%s': want weight, cap or plane_type",
				   attr);
	if (!parse_u64(val, &v) || v < (uint64_t)lo || v > 100)
		return usage_error("set", "%s must be a whole number from %ld to 100, not '%s'",
				   attr, lo, val);
	snprintf(out, size, "%llu", (unsigned long long)v);
	return 0;
}

int cmd_set(const struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX], rel[32], val[32];
	struct mdev_state st;
	struct minst *in;
	struct stat sb;
	int ret;

	if (argc != 3)
		return usage_error("set",
				   "want: set UUID weight|cap N, or set UUID plane_type region|dmabuf");
	ret = parse_setting(argv[1], argv[2], val, sizeof(val));
	if (ret)
		return ret;
	ret = lookup_uuid(o, argv[0], &st, &in);
	if (ret)
		return ret;
	ret = 1;
	snprintf(rel, sizeof(rel), "mvgpu/%s", argv[1]);
	if (inst_path(path, o->root, in->uuid, rel))
		goto out;
	if (!in->vgpu) {
		err("%s is not a vGPU (its type is %s): it has no %s", in->uuid, in->type, argv[1]);
		goto out;
	}
	if (stat(path, &sb)) {
		err("%s has no %s: the loaded mvgpu is older than this mvgpuctl", in->uuid, rel);
		goto out;
	}
	ret = sysfs_write(path, val);
	if (ret == -EBUSY)
		err("%s is open (a VM uses it): its %s changes only while it is closed", in->uuid,
		    argv[1]);
	else if (ret == -EINVAL || ret == -ERANGE)
		err("the kernel rejected %s %s for %s: %s", argv[1], val, in->uuid, strerror(-ret));
	else if (ret)
		write_error(path, ret, "change the setting");
	ret = ret ? 1 : 0;
out:
	mdev_free(&st);
	return ret;
}
