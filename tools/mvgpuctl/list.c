// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl list: parents, their types with availability, and the devices.
 */
#include <stdio.h>
#include <string.h>

#include "mvgpuctl.h"

static bool shown(const struct opts *o, const struct mparent *p)
{
	return o->all || mdev_is_mvgpu_parent(p);
}

/* the description on one line: "low_gm_size: 64MB, high_gm_size: 783MB, ..." */
static void print_oneline(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputs(", ", stdout);
		else
			putchar(*s);
	}
}

static void list_text(const struct opts *o, const struct mdev_state *st)
{
	const struct mparent *p;
	const struct mtype *t;
	const struct minst *in;
	int i, k, n = 0;

	printf("%-10s %-14s %5s  %s\n", "PARENT", "TYPE", "AVAIL", "DESCRIPTION");
	for (i = 0; i < st->nr_parents; i++) {
		p = &st->parents[i];
		if (!shown(o, p))
			continue;
		for (k = 0; k < p->nr_types; k++) {
			t = &p->types[k];
			printf("%-10s %-14s ", p->name, t->name);
			if (t->available >= 0)
				printf("%5ld  ", t->available);
			else
				printf("%5s  ", "?");
			print_oneline(t->description);
			putchar('\n');
		}
	}
	putchar('\n');
	for (i = 0; i < st->nr_insts; i++) {
		in = &st->insts[i];
		p = mdev_parent(st, in->parent);
		if (!o->all && (!p || !shown(o, p)))
			continue;
		if (!n++)
			printf("%-36s  %-10s %s\n", "UUID", "PARENT", "TYPE");
		printf("%-36s  %-10s %s\n", in->uuid, in->parent, in->type);
	}
	if (!n)
		printf("no %s devices\n", o->all ? "mdev" : "mvgpu");
}

static void type_json(struct json_out *j, const struct mtype *t)
{
	json_obj_begin(j, NULL);
	json_str(j, "type", t->name);
	json_str(j, "name", t->pretty);
	if (t->available >= 0)
		json_int(j, "available_instances", t->available);
	else
		json_str(j, "available_instances", NULL);
	json_str(j, "device_api", t->device_api);
	json_str(j, "description", t->description);
	if (t->mvgpu) {
		json_uint(j, "low_gm_size", t->size[RES_LOW]);
		json_uint(j, "high_gm_size", t->size[RES_HIGH]);
		json_uint(j, "fences", t->size[RES_FENCE]);
		json_str(j, "resolution", t->resolution);
		json_uint(j, "weight", t->weight);
	}
	json_obj_end(j);
}

static void list_json(const struct opts *o, const struct mdev_state *st)
{
	const struct mparent *p;
	const struct minst *in;
	struct json_out j;
	int i, k;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_arr_begin(&j, "parents");
	for (i = 0; i < st->nr_parents; i++) {
		p = &st->parents[i];
		if (!shown(o, p))
			continue;
		json_obj_begin(&j, NULL);
		json_str(&j, "name", p->name);
		json_bool(&j, "mvgpu", mdev_is_mvgpu_parent(p));
		json_arr_begin(&j, "types");
		for (k = 0; k < p->nr_types; k++)
			type_json(&j, &p->types[k]);
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_arr_begin(&j, "instances");
	for (i = 0; i < st->nr_insts; i++) {
		in = &st->insts[i];
		p = mdev_parent(st, in->parent);
		if (!o->all && (!p || !shown(o, p)))
			continue;
		json_obj_begin(&j, NULL);
		json_str(&j, "uuid", in->uuid);
		json_str(&j, "parent", in->parent);
		json_str(&j, "type", in->type);
		json_bool(&j, "vgpu", in->vgpu);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

int cmd_list(const struct opts *o, int argc, char **argv)
{
	struct mdev_state st;
	int i, n = 0;

	if (argc > 0)
		return usage_error("list", "unexpected argument '%s'", argv[0]);
	if (mdev_scan(o->root, &st))
		return 1;
	if (!st.nr_parents) {
		mdev_free(&st);
		return no_parents_error(o->root);
	}
	for (i = 0; i < st.nr_parents; i++)
		n += shown(o, &st.parents[i]);
	if (!n) {
		err("no mvgpu parent among the mdev parents in %s/class/mdev_bus", o->root);
		err("load mvgpu (modprobe mvgpu), or see every parent with: mvgpuctl list --all");
		mdev_free(&st);
		return 1;
	}
	if (o->json)
		list_json(o, &st);
	else
		list_text(o, &st);
	mdev_free(&st);
	return 0;
}
