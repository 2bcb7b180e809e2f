// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl: reading the mdev parents, types and devices from sysfs.
 *
 *   ROOT/class/mdev_bus/PARENT/mdev_supported_types/TYPE/{name,description,...}
 *   ROOT/bus/mdev/devices/UUID -> .../PARENT/UUID, with mdev_type -> .../TYPE
 *   ROOT/bus/mdev/devices/UUID/mvgpu/{vgpu_id,resources,weight,cap,stats}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mvgpuctl.h"

/*
 * Read a small attribute into @buf, without the trailing newline(s).
 * Return: its length, or a negative errno.
 */
int sysfs_read(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return len;
}

/* Write "@val\n" to an attribute, as echo does. Return: 0 or a negative errno. */
int sysfs_write(const char *path, const char *val)
{
	char buf[256];
	ssize_t n;
	int fd, len;

	len = snprintf(buf, sizeof(buf), "%s\n", val);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EINVAL;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	if (close(fd) < 0)
		return -errno;
	return n == len ? 0 : -EIO;
}

int inst_path(char *buf, const char *root, const char *uuid, const char *attr)
{
	if (attr)
		return path_fmt(buf, "%s/bus/mdev/devices/%s/%s", root, uuid, attr);
	return path_fmt(buf, "%s/bus/mdev/devices/%s", root, uuid);
}

int type_path(char *buf, const char *root, const char *parent, const char *type,
	      const char *attr)
{
	return path_fmt(buf, "%s/class/mdev_bus/%s/mdev_supported_types/%s/%s", root, parent,
			type, attr);
}

/* "64MB" -> 64 MiB in bytes; a bare number is taken as is. */
static bool parse_amount(const char *s, enum res_kind r, uint64_t *v)
{
	char num[32];
	size_t n = strspn(s, "0123456789");

	if (!n || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	if (!parse_u64(num, v))
		return false;
	if (r != RES_FENCE && (!strcmp(s + n, "MB") || !strcmp(s + n, "MiB")))
		*v *= MB;
	else if (s[n])
		return false;
	return true;
}

/* mvgpu's description: "low_gm_size: 64MB\nhigh_gm_size: 783MB\nfence: 7\n..." */
static void parse_description(struct mtype *t)
{
	static const char *const keys[RES_COUNT] = { "low_gm_size", "high_gm_size", "fence" };
	char desc[sizeof(t->description)], *line, *save, *val;
	unsigned int found = 0;
	uint64_t v;
	int r;

	snprintf(desc, sizeof(desc), "%s", t->description);
	for (line = strtok_r(desc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		val = strstr(line, ": ");
		if (!val)
			continue;
		*val = '\0';
		val += 2;
		for (r = 0; r < RES_COUNT; r++) {
			if (!strcmp(line, keys[r]) && parse_amount(val, r, &t->size[r]))
				found |= 1u << r;
		}
		if (!strcmp(line, "resolution"))
			snprintf(t->resolution, sizeof(t->resolution), "%s", val);
		if (!strcmp(line, "weight") && parse_u64(val, &v) && v <= 1000)
			t->weight = v;
	}
	t->mvgpu = found == (1u << RES_COUNT) - 1;
}

/* n of a "...V1_n" type name, 0 if there is none */
static unsigned int type_split(const char *name)
{
	const char *p = strstr(name, "V1_");
	uint64_t n;

	if (!p || !parse_u64(p + 3, &n) || !n || n > 1024)
		return 0;
	return n;
}

static void read_type(const char *root, const char *parent, struct mtype *t)
{
	char path[PATH_MAX], buf[64];
	uint64_t v;

	t->available = -1;
	if (!type_path(path, root, parent, t->name, "name"))
		sysfs_read(path, t->pretty, sizeof(t->pretty));
	if (!type_path(path, root, parent, t->name, "description"))
		sysfs_read(path, t->description, sizeof(t->description));
	if (!type_path(path, root, parent, t->name, "device_api"))
		sysfs_read(path, t->device_api, sizeof(t->device_api));
	if (!type_path(path, root, parent, t->name, "available_instances") &&
	    sysfs_read(path, buf, sizeof(buf)) > 0 && parse_u64(buf, &v) && v < LONG_MAX)
		t->available = v;
	t->split = type_split(t->name);
	parse_description(t);
}

static void read_parent(const char *root, struct mparent *p)
{
	char path[PATH_MAX], **names;
	size_t i, n;

	if (path_fmt(path, "%s/class/mdev_bus/%s/mdev_supported_types", root, p->name))
		return;
	names = list_dir(path, &n);
	if (!names)
		return;
	p->types = xcalloc(n, sizeof(*p->types));
	for (i = 0; i < n; i++) {
		snprintf(p->types[i].name, NAME_LEN, "%s", names[i]);
		read_type(root, p->name, &p->types[i]);
	}
	p->nr_types = n;
	free_list(names, n);
}

/* "low_gm: 0xBASE 0xSIZE\nhigh_gm: 0xBASE 0xSIZE\nfence: BASE COUNT\n" */
static bool parse_resources(char *text, struct minst *in)
{
	char *line, *save, *rest, *tok, *save2;
	unsigned int found = 0;
	uint64_t v[2];
	int r, i;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		rest = strstr(line, ": ");
		if (!rest)
			continue;
		*rest = '\0';
		rest += 2;
		for (r = 0; r < RES_COUNT; r++) {
			if (strcmp(line, res_names[r]))
				continue;
			tok = strtok_r(rest, " ", &save2);
			for (i = 0; i < 2 && tok && parse_u64(tok, &v[i]); i++)
				tok = strtok_r(NULL, " ", &save2);
			if (i < 2)
				continue;
			in->base[r] = v[0];
			in->size[r] = v[1];
			found |= 1u << r;
		}
	}
	return found == (1u << RES_COUNT) - 1;
}

static void read_inst(const char *root, struct minst *in)
{
	char path[PATH_MAX], real[PATH_MAX], link[PATH_MAX], text[512];
	struct stat sb;
	ssize_t n;

	/* the device lives under its parent's device directory */
	if (!inst_path(path, root, in->uuid, NULL) && realpath(path, real))
		snprintf(in->parent, NAME_LEN, "%s", basename(dirname(real)));
	if (!inst_path(path, root, in->uuid, "mdev_type")) {
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			snprintf(in->type, NAME_LEN, "%s", basename(link));
		}
	}
	if (!inst_path(path, root, in->uuid, "mvgpu") && !stat(path, &sb) && S_ISDIR(sb.st_mode))
		in->vgpu = true;
	if (in->vgpu && !inst_path(path, root, in->uuid, "mvgpu/resources") &&
	    sysfs_read(path, text, sizeof(text)) > 0)
		in->has_res = parse_resources(text, in);
}

/*
 * Read every parent, type and device. A tree without mdev (module not
 * loaded) gives no parents, which is not an error here.
 * Return: 0, or -1 after a message.
 */
int mdev_scan(const char *root, struct mdev_state *st)
{
	char path[PATH_MAX], **names;
	size_t i, n;

	memset(st, 0, sizeof(*st));
	if (path_fmt(path, "%s/class/mdev_bus", root))
		return -1;
	names = list_dir(path, &n);
	if (names) {
		st->parents = xcalloc(n, sizeof(*st->parents));
		for (i = 0; i < n; i++) {
			snprintf(st->parents[i].name, NAME_LEN, "%s", names[i]);
			read_parent(root, &st->parents[i]);
		}
		st->nr_parents = n;
		free_list(names, n);
	}
	if (path_fmt(path, "%s/bus/mdev/devices", root))
		return -1;
	names = list_dir(path, &n);
	if (names) {
		st->insts = xcalloc(n, sizeof(*st->insts));
		for (i = 0; i < n; i++) {
			if (!uuid_valid(names[i]))
				continue;
			uuid_lower(st->insts[st->nr_insts].uuid, names[i]);
			read_inst(root, &st->insts[st->nr_insts++]);
		}
		free_list(names, n);
	}
	return 0;
}

void mdev_free(struct mdev_state *st)
{
	int i;

	for (i = 0; i < st->nr_parents; i++)
		free(st->parents[i].types);
	free(st->parents);
	free(st->insts);
	memset(st, 0, sizeof(*st));
}

struct mparent *mdev_parent(const struct mdev_state *st, const char *name)
{
	int i;

	for (i = 0; i < st->nr_parents; i++) {
		if (!strcmp(st->parents[i].name, name))
			return &st->parents[i];
	}
	return NULL;
}

struct mtype *mdev_type(const struct mparent *p, const char *name)
{
	int i;

	for (i = 0; i < p->nr_types; i++) {
		if (!strcmp(p->types[i].name, name))
			return &p->types[i];
	}
	return NULL;
}

struct minst *mdev_inst(const struct mdev_state *st, const char *uuid)
{
	int i;

	for (i = 0; i < st->nr_insts; i++) {
		if (!strcmp(st->insts[i].uuid, uuid))
			return &st->insts[i];
	}
	return NULL;
}

/* A parent of mvgpu's: its types are named "mvgpu-..." */
bool mdev_is_mvgpu_parent(const struct mparent *p)
{
	int i;

	for (i = 0; i < p->nr_types; i++) {
		if (!strncmp(p->types[i].name, "mvgpu-", 6))
			return true;
	}
	return false;
}

/* Return: 1, after saying that nothing registers mdev parents. */
int no_parents_error(const char *root)
{
	err("no mdev parents in %s/class/mdev_bus: the mvgpu module is not loaded", root);
	err("load it with: modprobe mvgpu (it needs vfio, vfio_iommu_type1 and mdev)");
	return 1;
}
