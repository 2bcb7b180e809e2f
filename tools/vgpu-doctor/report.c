// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor results: the list of checks and its human and JSON forms.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "json.h"

static const char * const verdict_names[] = {
	[V_OK] = "ok",
	[V_WARN] = "warn",
	[V_FAIL] = "FAIL",
	[V_SKIP] = "skip",
};

const char *verdict_str(enum verdict v)
{
	return verdict_names[v];
}

struct check *check_add(struct doctor *d, const char *name, enum verdict v, const char *fmt, ...)
{
	struct check *c;
	va_list ap;

	d->checks = xreallocarray(d->checks, d->nchecks + 1, sizeof(*d->checks));
	c = &d->checks[d->nchecks++];
	c->name = xstrdup(name);
	c->verdict = v;
	c->fix = NULL;
	va_start(ap, fmt);
	if (vasprintf(&c->detail, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return c;
}

void check_fix(struct check *c, const char *fmt, ...)
{
	va_list ap;

	free(c->fix);
	va_start(ap, fmt);
	if (vasprintf(&c->fix, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
}

int report_status(const struct doctor *d)
{
	size_t i;

	for (i = 0; i < d->nchecks; i++)
		if (d->checks[i].verdict == V_FAIL)
			return 1;
	return 0;
}

static void human_groups(const struct doctor *d, FILE *f)
{
	size_t i, k;

	fprintf(f, "\nIOMMU groups (%s/kernel/iommu_groups):\n", d->sysfs);
	if (!d->ngroups)
		fprintf(f, "  none\n");
	for (i = 0; i < d->ngroups; i++) {
		const struct iommu_group *g = &d->groups[i];

		fprintf(f, "  group %d", g->id);
		if (g->type[0])
			fprintf(f, " [%s]", g->type);
		if (g->name[0])
			fprintf(f, " \"%s\"", g->name);
		fputc('\n', f);
		for (k = 0; k < g->ndevs; k++) {
			const struct gdev *v = &g->devs[k];

			if (!strcmp(v->bus, "pci"))
				fprintf(f, "    %s  [%.4s] %s:%s", v->name, v->class_code,
					v->vendor, v->device);
			else
				fprintf(f, "    %s  (%s)", v->name, v->bus[0] ? v->bus : "?");
			if (v->mdev_type[0])
				fprintf(f, " type %s", v->mdev_type);
			fprintf(f, "  %s\n", v->driver[0] ? v->driver : "(no driver)");
		}
	}
}

static void human_mdev(const struct doctor *d, FILE *f)
{
	size_t i, k;

	fprintf(f, "\nmdev parents (%s/class/mdev_bus):\n", d->sysfs);
	if (!d->nparents)
		fprintf(f, "  none\n");
	for (i = 0; i < d->nparents; i++) {
		const struct mdev_parent *p = &d->parents[i];

		fprintf(f, "  %s\n", p->name);
		for (k = 0; k < p->ntypes; k++) {
			const struct mdev_type *t = &p->types[k];

			fprintf(f, "    %-24s %-12s %-10s ", t->id, t->name[0] ? t->name : "-",
				t->device_api[0] ? t->device_api : "-");
			if (t->available >= 0)
				fprintf(f, "%ld available", t->available);
			else
				fprintf(f, "? available");
			fprintf(f, ", %d created\n", t->created);
		}
	}
}

void report_human(const struct doctor *d, FILE *f)
{
	int width = 12, count[4] = { 0 };
	size_t i;

	for (i = 0; i < d->nchecks; i++)
		if ((int)strlen(d->checks[i].name) > width)
			width = strlen(d->checks[i].name);
	for (i = 0; i < d->nchecks; i++) {
		const struct check *c = &d->checks[i];

		count[c->verdict]++;
		fprintf(f, "%-4s  %-*s  %s\n", verdict_str(c->verdict), width, c->name, c->detail);
		if (c->fix && c->verdict != V_OK)
			fprintf(f, "%-4s  %-*s  fix: %s\n", "", width, "", c->fix);
	}
	human_groups(d, f);
	human_mdev(d, f);
	fprintf(f, "\n%d ok, %d warn, %d FAIL, %d skip\n", count[V_OK], count[V_WARN],
		count[V_FAIL], count[V_SKIP]);
}

static void json_hex_or_null(struct json_out *j, const char *key, const char *val)
{
	json_str(j, key, val[0] ? val : NULL);
}

static void json_groups(const struct doctor *d, struct json_out *j)
{
	size_t i, k;

	json_arr_begin(j, "groups");
	for (i = 0; i < d->ngroups; i++) {
		const struct iommu_group *g = &d->groups[i];

		json_obj_begin(j, NULL);
		json_int(j, "id", g->id);
		json_hex_or_null(j, "name", g->name);
		json_hex_or_null(j, "type", g->type);
		json_arr_begin(j, "devices");
		for (k = 0; k < g->ndevs; k++) {
			const struct gdev *v = &g->devs[k];

			json_obj_begin(j, NULL);
			json_str(j, "name", v->name);
			json_hex_or_null(j, "bus", v->bus);
			json_hex_or_null(j, "vendor", v->vendor);
			json_hex_or_null(j, "device", v->device);
			json_hex_or_null(j, "class", v->class_code);
			json_hex_or_null(j, "driver", v->driver);
			if (v->mdev_type[0])
				json_str(j, "mdev_type", v->mdev_type);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_mdev(const struct doctor *d, struct json_out *j)
{
	size_t i, k;

	json_arr_begin(j, "mdev_parents");
	for (i = 0; i < d->nparents; i++) {
		const struct mdev_parent *p = &d->parents[i];

		json_obj_begin(j, NULL);
		json_str(j, "name", p->name);
		json_arr_begin(j, "types");
		for (k = 0; k < p->ntypes; k++) {
			const struct mdev_type *t = &p->types[k];

			json_obj_begin(j, NULL);
			json_str(j, "id", t->id);
			json_hex_or_null(j, "name", t->name);
			json_hex_or_null(j, "device_api", t->device_api);
			if (t->available >= 0)
				json_int(j, "available_instances", t->available);
			else
				json_str(j, "available_instances", NULL);
			json_int(j, "instances", t->created);
			json_str(j, "description", t->description);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void report_json(const struct doctor *d, FILE *f)
{
	int count[4] = { 0 };
	struct json_out j;
	size_t i;

	for (i = 0; i < d->nchecks; i++)
		count[d->checks[i].verdict]++;
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "tool", DOCTOR_NAME);
	json_str(&j, "version", DOCTOR_VERSION);
	json_str(&j, "sysfs_root", d->sysfs);
	json_str(&j, "proc_root", d->proc);
	json_int(&j, "exit_status", report_status(d));
	json_obj_begin(&j, "summary");
	for (i = 0; i < 4; i++)
		json_int(&j, verdict_str(i), count[i]);
	json_obj_end(&j);
	json_arr_begin(&j, "checks");
	for (i = 0; i < d->nchecks; i++) {
		const struct check *c = &d->checks[i];

		json_obj_begin(&j, NULL);
		json_str(&j, "name", c->name);
		json_str(&j, "verdict", verdict_str(c->verdict));
		json_str(&j, "detail", c->detail);
		json_str(&j, "fix", c->verdict == V_OK ? NULL : c->fix);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_groups(d, &j);
	json_mdev(d, &j);
	json_obj_end(&j);
	json_finish(&j);
}
