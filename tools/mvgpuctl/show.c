// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl show and top: one device in detail, and the engine time every
 * vGPU gets, sampled from its scheduler statistics.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mvgpuctl.h"

struct vgpu_view {
	long vgpu_id, weight, cap;	/* -1 if absent */
	char plane_type[16];		/* "" if absent */
	bool has_stats;
	struct stats stats;
};

static void read_view(const char *root, const struct minst *in, struct vgpu_view *v)
{
	if (vgpu_attr_long(root, in->uuid, "vgpu_id", &v->vgpu_id))
		v->vgpu_id = -1;
	if (vgpu_attr_long(root, in->uuid, "weight", &v->weight))
		v->weight = -1;
	if (vgpu_attr_long(root, in->uuid, "cap", &v->cap))
		v->cap = -1;
	if (vgpu_attr_str(root, in->uuid, "plane_type", v->plane_type, sizeof(v->plane_type)))
		v->plane_type[0] = 0;
	v->has_stats = !stats_read(root, in->uuid, &v->stats);
}

static void json_long_or_null(struct json_out *j, const char *key, long v)
{
	if (v >= 0)
		json_int(j, key, v);
	else
		json_str(j, key, NULL);
}

static void show_json(const struct minst *in, const struct vgpu_view *v)
{
	struct json_out j;
	int r;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_str(&j, "uuid", in->uuid);
	json_str(&j, "parent", in->parent);
	json_str(&j, "type", in->type);
	json_bool(&j, "vgpu", in->vgpu);
	if (in->vgpu) {
		json_long_or_null(&j, "vgpu_id", v->vgpu_id);
		if (in->has_res) {
			json_obj_begin(&j, "resources");
			for (r = 0; r < RES_COUNT; r++) {
				json_obj_begin(&j, res_names[r]);
				json_uint(&j, "base", in->base[r]);
				json_uint(&j, r == RES_FENCE ? "count" : "size", in->size[r]);
				json_obj_end(&j);
			}
			json_obj_end(&j);
		} else {
			json_str(&j, "resources", NULL);
		}
		json_long_or_null(&j, "weight", v->weight);
		json_long_or_null(&j, "cap", v->cap);
		json_str(&j, "plane_type", v->plane_type[0] ? v->plane_type : NULL);
		if (v->has_stats)
			stats_json(&j, "stats", &v->stats);
		else
			json_str(&j, "stats", NULL);
	}
	json_obj_end(&j);
	json_finish(&j);
}

static void show_text(const struct minst *in, const struct vgpu_view *v)
{
	char size[32], key[72];
	int i, r;

	printf("%-18s %s\n", "uuid:", in->uuid);
	printf("%-18s %s\n", "parent:", in->parent);
	printf("%-18s %s\n", "type:", in->type);
	if (!in->vgpu)
		return;
	if (v->vgpu_id >= 0)
		printf("%-18s %ld\n", "vgpu_id:", v->vgpu_id);
	for (r = 0; in->has_res && r < RES_COUNT; r++) {
		snprintf(key, sizeof(key), "%s:", res_names[r]);
		fmt_size(size, sizeof(size), r, in->size[r]);
		if (r == RES_FENCE && in->size[r])
			printf("%-18s %s (registers %llu-%llu)\n", key, size,
			       (unsigned long long)in->base[r],
			       (unsigned long long)(in->base[r] + in->size[r] - 1));
		else
			printf("%-18s %s at 0x%llx\n", key, size, (unsigned long long)in->base[r]);
	}
	if (v->weight >= 0)
		printf("%-18s %ld\n", "weight:", v->weight);
	if (v->cap >= 0)
		printf("%-18s %ld%s\n", "cap:", v->cap, v->cap ? "%" : " (none)");
	if (v->plane_type[0])
		printf("%-18s %s\n", "plane_type:", v->plane_type);
	for (i = 0; v->has_stats && i < v->stats.n; i++) {
		snprintf(key, sizeof(key), "%s:", v->stats.kv[i].key);
		printf("%-18s %s\n", key, v->stats.kv[i].val);
	}
}

int cmd_show(const struct opts *o, int argc, char **argv)
{
	struct vgpu_view v;
	struct mdev_state st;
	struct minst *in;
	int ret;

	if (argc != 1)
		return usage_error("show", argc ? "too many arguments" : "no UUID given");
	ret = lookup_uuid(o, argv[0], &st, &in);
	if (ret)
		return ret;
	memset(&v, 0, sizeof(v));
	if (in->vgpu)
		read_view(o->root, in, &v);
	if (o->json)
		show_json(in, &v);
	else
		show_text(in, &v);
	mdev_free(&st);
	return 0;
}

/* ---- top ---- */

static const char *const engines[] = { "render", "copy" };
#define NR_ENGINES	2

struct sample {
	char uuid[UUID_LEN + 1];
	char parent[NAME_LEN];
	char type[NAME_LEN];
	char state[32];
	long weight, cap;
	bool has_busy[NR_ENGINES];
	uint64_t busy[NR_ENGINES];
	/* the deltas since the previous sample; valid when prev is set */
	bool prev;
	uint64_t delta[NR_ENGINES];
	bool has_delta[NR_ENGINES];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* One sample of every vGPU with stats; deltas against @old where it was seen. */
static int take_sample(const struct opts *o, const struct sample *old, int nr_old,
		       struct sample **out, int *nr_vgpus)
{
	struct mdev_state st;
	struct sample *s, *smp;
	struct stats stats;
	int i, k, e, n = 0;
	char key[64];

	if (mdev_scan(o->root, &st))
		return -1;
	if (!st.nr_parents) {
		mdev_free(&st);
		no_parents_error(o->root);
		return -1;
	}
	smp = xcalloc(st.nr_insts, sizeof(*smp));
	*nr_vgpus = 0;
	for (i = 0; i < st.nr_insts; i++) {
		if (!st.insts[i].vgpu)
			continue;
		(*nr_vgpus)++;
		if (stats_read(o->root, st.insts[i].uuid, &stats))
			continue;
		s = &smp[n++];
		snprintf(s->uuid, sizeof(s->uuid), "%s", st.insts[i].uuid);
		snprintf(s->parent, sizeof(s->parent), "%s", st.insts[i].parent);
		snprintf(s->type, sizeof(s->type), "%s", st.insts[i].type);
		snprintf(s->state, sizeof(s->state), "%s",
			 stats_get(&stats, "state") ? stats_get(&stats, "state") : "?");
		if (vgpu_attr_long(o->root, s->uuid, "weight", &s->weight))
			s->weight = -1;
		if (vgpu_attr_long(o->root, s->uuid, "cap", &s->cap))
			s->cap = -1;
		for (e = 0; e < NR_ENGINES; e++) {
			snprintf(key, sizeof(key), "%s.busy_ns", engines[e]);
			s->has_busy[e] = stats_u64(&stats, key, &s->busy[e]);
		}
		for (k = 0; k < nr_old && strcmp(old[k].uuid, s->uuid); k++)
			;
		if (k == nr_old)
			continue;
		s->prev = true;
		for (e = 0; e < NR_ENGINES; e++) {
			s->has_delta[e] = s->has_busy[e] && old[k].has_busy[e] &&
					  s->busy[e] >= old[k].busy[e];
			if (s->has_delta[e])
				s->delta[e] = s->busy[e] - old[k].busy[e];
		}
	}
	mdev_free(&st);
	*out = smp;
	return n;
}

/* busy time per elapsed time, in permille of one engine */
static uint64_t permille(uint64_t busy, uint64_t elapsed)
{
	return elapsed ? (busy * 1000 + elapsed / 2) / elapsed : 0;
}

static void top_text(const struct sample *smp, int n, uint64_t elapsed)
{
	const struct sample *s;
	char w[16], c[16];
	uint64_t pm;
	int i, e;

	printf("%-36s  %-10s %-12s %-9s %6s %4s %8s %8s\n", "UUID", "PARENT", "TYPE", "STATE",
	       "WEIGHT", "CAP", "RENDER%", "COPY%");
	for (i = 0; i < n; i++) {
		s = &smp[i];
		snprintf(w, sizeof(w), "%ld", s->weight);
		snprintf(c, sizeof(c), "%ld", s->cap);
		printf("%-36s  %-10s %-12s %-9s %6s %4s", s->uuid, s->parent, s->type, s->state,
		       s->weight >= 0 ? w : "-", s->cap >= 0 ? c : "-");
		for (e = 0; e < NR_ENGINES; e++) {
			if (!s->has_delta[e]) {
				printf(" %8s", "-");
				continue;
			}
			pm = permille(s->delta[e], elapsed);
			printf(" %6llu.%llu", (unsigned long long)(pm / 10),
			       (unsigned long long)(pm % 10));
		}
		putchar('\n');
	}
	fflush(stdout);
}

static void top_json(const struct sample *smp, int n, uint64_t elapsed, long iteration)
{
	const struct sample *s;
	struct json_out j;
	int i, e;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_int(&j, "sample", iteration);
	json_uint(&j, "interval_ns", elapsed);
	json_arr_begin(&j, "vgpus");
	for (i = 0; i < n; i++) {
		s = &smp[i];
		json_obj_begin(&j, NULL);
		json_str(&j, "uuid", s->uuid);
		json_str(&j, "parent", s->parent);
		json_str(&j, "type", s->type);
		json_str(&j, "state", s->state);
		json_long_or_null(&j, "weight", s->weight);
		json_long_or_null(&j, "cap", s->cap);
		json_obj_begin(&j, "engines");
		for (e = 0; e < NR_ENGINES; e++) {
			json_obj_begin(&j, engines[e]);
			if (s->has_delta[e]) {
				json_uint(&j, "busy_ns", s->delta[e]);
				json_uint(&j, "busy_permille", permille(s->delta[e], elapsed));
			} else {
				json_str(&j, "busy_ns", NULL);
				json_str(&j, "busy_permille", NULL);
			}
			json_obj_end(&j);
		}
		json_obj_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

static void sleep_s(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int cmd_top(const struct opts *o, int argc, char **argv)
{
	struct sample *old = NULL, *cur;
	int nr_old, nr_cur, nr_vgpus;
	uint64_t t_old, t_cur;
	long i;

	if (argc > 0)
		return usage_error("top", "unexpected argument '%s'", argv[0]);
	t_old = now_ns();
	nr_old = take_sample(o, NULL, 0, &old, &nr_vgpus);
	if (nr_old < 0)
		return 1;
	if (nr_vgpus && !nr_old) {
		err("no vGPU has scheduler statistics (mvgpu/stats): %s",
		    "the loaded mvgpu has no scheduler");
		free(old);
		return 1;
	}
	for (i = 1; !o->count || i <= o->count; i++) {
		sleep_s(o->interval);
		t_cur = now_ns();
		nr_cur = take_sample(o, old, nr_old, &cur, &nr_vgpus);
		if (nr_cur < 0) {
			free(old);
			return 1;
		}
		if (o->json) {
			top_json(cur, nr_cur, t_cur - t_old, i);
		} else {
			if (i > 1)
				putchar('\n');
			top_text(cur, nr_cur, t_cur - t_old);
		}
		free(old);
		old = cur;
		nr_old = nr_cur;
		t_old = t_cur;
	}
	free(old);
	return 0;
}
