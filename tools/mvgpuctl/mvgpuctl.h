/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpuctl: manage mvgpu vGPUs (and other mdev devices) through sysfs.
 *
 * Everything is read from sysfs each time a command runs; nothing is cached
 * between runs. The sysfs root is "/sys" unless --sysfs-root names a fake
 * tree with the same layout (tests use that).
 */
#ifndef MVGPUCTL_H
#define MVGPUCTL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "util.h"

#define PROG		"mvgpuctl"
#define EXIT_USAGE	2
#define UUID_LEN	36
#define NAME_LEN	128
#define MB		0x100000ULL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The resources a vGPU type takes from its parent, in description order. */
enum res_kind {
	RES_LOW,	/* low GM (the aperture), bytes */
	RES_HIGH,	/* high GM, bytes */
	RES_FENCE,	/* fence registers, a count */
	RES_COUNT
};

extern const char *const res_names[RES_COUNT];

struct opts {
	const char *root;	/* sysfs root, "/sys" by default */
	bool json;
	bool all;		/* list: every mdev parent, not only mvgpu's */
	const char *parent;	/* create --parent */
	const char *uuid;	/* create --uuid */
	double interval;	/* top --interval, seconds */
	long count;		/* top --count, 0 = forever */
	bool iommufd;		/* qemu-args --iommufd */
};

struct mtype {
	char name[NAME_LEN];		/* directory name, e.g. mvgpu-V1_4 */
	char pretty[NAME_LEN];		/* the "name" attribute */
	char description[512];
	char device_api[32];
	long available;			/* available_instances, -1 if unreadable */
	bool mvgpu;			/* the description parsed as an mvgpu type's */
	unsigned int split;		/* n of "V1_n", 0 if the name has none */
	uint64_t size[RES_COUNT];	/* bytes, bytes, fences */
	char resolution[32];
	unsigned int weight;
};

struct mparent {
	char name[NAME_LEN];
	struct mtype *types;
	int nr_types;
};

struct minst {
	char uuid[UUID_LEN + 1];
	char parent[NAME_LEN];
	char type[NAME_LEN];
	bool vgpu;			/* has the mvgpu/ attribute directory */
	bool has_res;			/* mvgpu/resources was read and parsed */
	uint64_t base[RES_COUNT];
	uint64_t size[RES_COUNT];
};

struct mdev_state {
	struct mparent *parents;
	int nr_parents;
	struct minst *insts;
	int nr_insts;
};

/* util.c */
int path_fmt(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool uuid_valid(const char *s);
void uuid_lower(char *dst, const char *src);
int uuid_generate(char *buf);
bool parse_u64(const char *s, uint64_t *v);
void fmt_size(char *buf, size_t size, enum res_kind r, uint64_t v);

/* sysfs.c */
int sysfs_read(const char *path, char *buf, size_t size);
int sysfs_write(const char *path, const char *val);
int mdev_scan(const char *root, struct mdev_state *st);
void mdev_free(struct mdev_state *st);
struct mparent *mdev_parent(const struct mdev_state *st, const char *name);
struct mtype *mdev_type(const struct mparent *p, const char *name);
struct minst *mdev_inst(const struct mdev_state *st, const char *uuid);
bool mdev_is_mvgpu_parent(const struct mparent *p);
int inst_path(char *buf, const char *root, const char *uuid, const char *attr);
int type_path(char *buf, const char *root, const char *parent, const char *type,
	      const char *attr);
int no_parents_error(const char *root);

/* capacity.c */
void capacity_explain(const struct mdev_state *st, const struct mparent *p,
		      const struct mtype *t);

/* stats.c */
#define STATS_MAX	64

struct stats {
	int n;
	struct {
		char key[64];
		char val[64];
	} kv[STATS_MAX];
};

int stats_read(const char *root, const char *uuid, struct stats *s);
const char *stats_get(const struct stats *s, const char *key);
bool stats_u64(const struct stats *s, const char *key, uint64_t *v);
void stats_json(struct json_out *j, const char *key, const struct stats *s);
int vgpu_attr_str(const char *root, const char *uuid, const char *attr, char *buf, size_t size);
int vgpu_attr_long(const char *root, const char *uuid, const char *attr, long *v);

/* commands */
int cmd_list(const struct opts *o, int argc, char **argv);
int cmd_create(const struct opts *o, int argc, char **argv);
int cmd_remove(const struct opts *o, int argc, char **argv);
int cmd_set(const struct opts *o, int argc, char **argv);
int cmd_show(const struct opts *o, int argc, char **argv);
int cmd_top(const struct opts *o, int argc, char **argv);
int cmd_qemu_args(const struct opts *o, int argc, char **argv);
int cmd_libvirt_xml(const struct opts *o, int argc, char **argv);

/* main.c */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lookup_uuid(const struct opts *o, const char *arg, struct mdev_state *st,
		struct minst **inst);

#endif /* MVGPUCTL_H */
