/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vgpu-doctor: host readiness checks for PCI passthrough and mediated
 * vGPUs. Shared state and helpers of the checks.
 */
#ifndef VGPU_DOCTOR_H
#define VGPU_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

#define DOCTOR_NAME "vgpu-doctor"
#define DOCTOR_VERSION "1.0"
#define MAX_DEVICES 16

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define fallthrough __attribute__((__fallthrough__))

enum verdict {
	V_OK,
	V_WARN,
	V_FAIL,
	V_SKIP,
};

struct check {
	char *name;
	enum verdict verdict;
	char *detail;
	char *fix;		/* NULL when there is nothing to do */
};

/* One member of an IOMMU group. Strings are empty when unknown. */
struct gdev {
	char name[64];		/* PCI address or mdev UUID */
	char bus[32];		/* pci, mdev, platform... */
	char vendor[16];	/* "10de", PCI only */
	char device[16];
	char class_code[16];	/* "030000", PCI only */
	char driver[64];	/* bound driver, "" if none */
	char mdev_type[64];	/* mdev only */
};

struct iommu_group {
	int id;
	char name[64];		/* optional "name" attribute (vfio-noiommu) */
	char type[32];		/* default domain type, "" if absent */
	struct gdev *devs;
	size_t ndevs;
};

struct mdev_type {
	char id[128];		/* directory name: <driver>-<type> */
	char name[128];
	char device_api[32];
	char *description;	/* may be NULL */
	long available;		/* -1 if unreadable */
	int created;
};

struct mdev_parent {
	char name[128];
	struct mdev_type *types;
	size_t ntypes;
};

struct doctor {
	/* options */
	const char *sysfs;	/* sysfs root, default /sys */
	const char *proc;	/* procfs root, default /proc */
	bool custom_root;	/* --sysfs-root or --proc-root given */
	const char *dmesg;	/* --dmesg FILE, NULL: live kernel log */
	const char *devices[MAX_DEVICES];
	int ndevices;
	bool memlock_set;
	bool memlock_unlimited;
	unsigned long long memlock;
	bool json;

	/* facts gathered once and shared by the checks */
	char *cmdline;
	char *cpuinfo;
	char *modules;		/* /proc/modules */
	char cpu_vendor[32];	/* vendor_id: GenuineIntel, AuthenticAMD... */
	bool hypervisor;	/* cpuinfo has the hypervisor flag */
	int hw_iommus;		/* entries in <sysfs>/class/iommu */
	char iommu_kind[16];	/* "intel", "amd" or "" from sysfs names */
	struct iommu_group *groups;
	size_t ngroups;
	struct mdev_parent *parents;
	size_t nparents;
	bool have_mdev_class;
	char **klog;		/* kernel log lines, NULL if unavailable */
	size_t nklog;
	char *klog_source;	/* where they came from, or why there are none */

	/* results */
	struct check *checks;
	size_t nchecks;
};

/* util.c */
char *read_text(const char *path);
bool read_line(const char *path, char *buf, size_t size);
bool read_link_base(const char *path, char *buf, size_t size);
bool read_attr(const char *dir, const char *name, char *buf, size_t size);
bool read_attr_link(const char *dir, const char *name, char *buf, size_t size);
bool path_exists(const char *path);
bool is_dir(const char *path);
char *sys_path(const struct doctor *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *proc_path(const struct doctor *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *cmdline_next(const char *cmdline, const char *name, const char **val, size_t *len,
			 const char *from);
bool has_word(const char *list, const char *word);
bool module_loaded(const struct doctor *d, const char *name, bool *builtin);
char *fmt_bytes(unsigned long long bytes);
bool parse_bdf(const char *in, char *out, size_t size);

/* cpu.c: --memlock */
bool parse_memlock(const char *arg, bool *unlimited, unsigned long long *val);

/* report.c */
struct check *check_add(struct doctor *d, const char *name, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void check_fix(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *verdict_str(enum verdict v);
void report_human(const struct doctor *d, FILE *f);
void report_json(const struct doctor *d, FILE *f);
int report_status(const struct doctor *d);

/* klog.c */
void klog_load(struct doctor *d);

/* cpu.c */
void check_cpu(struct doctor *d);
void check_kvm(struct doctor *d);
void check_hugepages(struct doctor *d);
void check_memlock(struct doctor *d);

/* iommu.c */
void gather_iommu(struct doctor *d);
void check_iommu_cmdline(struct doctor *d);
void check_iommu_log(struct doctor *d);
void check_iommu_sysfs(struct doctor *d);
void check_iommu_groups(struct doctor *d);

/* groups.c */
void gather_groups(struct doctor *d);
void check_vfio_groups(struct doctor *d);
void check_device(struct doctor *d, const char *bdf);
bool driver_is_vfio(const char *driver);

/* vfio.c */
void check_vfio_ids(struct doctor *d);
void check_modules(struct doctor *d);
void check_vfio_backend(struct doctor *d);
void gather_mdev(struct doctor *d);
void check_mdev(struct doctor *d);

#endif /* VGPU_DOCTOR_H */
