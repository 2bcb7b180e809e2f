// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio_unmap_race: two threads of one process unmap guest memory that a
 * vGPU holds pins in, at the same time, round after round. On a kernel
 * with the vfio_iommu_type1 lock inversion that
 * patches/vfio/0001-vfio-type1-Take-device_list_lock-before-iommu-lock.patch
 * fixes, both threads end up blocked for good in the kernel (D state).
 *
 * The race runs in a child process whose only output is a pipe to the
 * parent; the parent reports progress as TAP and gives up on the child
 * when it stops making progress, without waiting for it (a task blocked
 * in the kernel cannot be killed or reaped), so a hang is a failed check
 * and never a stuck suite.
 *
 * Usage: vfio_unmap_race [--known-bug WHY] [--rounds N] UUID
 *   --known-bug  a hang is the known upstream bug WHY on this kernel:
 *                reported as a skip that says whether it was reproduced
 * MVGPU_VFIO_BACKEND=iommufd runs it through iommufd (see vfio_util.h).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_util.h"

#define PAGES		64		/* pinned pages in each range */
#define IOVA(t)		(0x100000000ULL + (uint64_t)(t) * 0x10000000ULL)
#define STALL_MS	30000		/* no round done for this long: a hang */

struct racer {
	struct vfio_dev *d;
	pthread_barrier_t *start, *done;
	unsigned int t;
	int failed;		/* errno of a failed unmap; the barriers order it */
};

static int rounds = 400;

static void *unmapper(void *arg)
{
	struct racer *r = arg;
	int i, ret;

	for (i = 0; i < rounds; i++) {
		pthread_barrier_wait(r->start);
		ret = vfio_dma_unmap(r->d, IOVA(r->t), PAGES * 4096);
		if (ret)
			r->failed = -ret;
		pthread_barrier_wait(r->done);
	}
	return NULL;
}

/* Point the GTT entries of low GM pages [first, first + PAGES) at @iova. */
static int pin_range(struct vfio_dev *d, uint64_t first, uint64_t iova)
{
	uint64_t pte[32];
	unsigned int i, j;

	for (i = 0; i < PAGES; i += 32) {
		for (j = 0; j < 32; j++)
			pte[j] = (iova + (i + j) * 4096ULL) | MVGPU_GTT_VALID;
		if (vfio_region_write(d, BAR0, MVGPU_GTT_OFFSET + (first + i) * 8, pte,
				      sizeof(pte)) != sizeof(pte))
			return -1;
	}
	return 0;
}

/* The child: runs the race, writes "round N" lines and a verdict to @out. */
static int race(const char *uuid, FILE *out)
{
	pthread_barrier_t start, done;
	struct racer r[2];
	pthread_t th[2];
	struct vgpu_res res;
	struct vfio_dev d;
	uint8_t *mem[2];
	uint64_t first;
	int i, t;

	if (read_resources(uuid, &res) || vfio_dev_open(&d, uuid)) {
		fprintf(out, "error cannot open %s\n", uuid);
		return 1;
	}
	first = res.low_base >> 12;
	pthread_barrier_init(&start, NULL, 3);
	pthread_barrier_init(&done, NULL, 3);
	for (t = 0; t < 2; t++) {
		mem[t] = guest_memory(PAGES * 4096);
		if (!mem[t]) {
			fprintf(out, "error out of memory\n");
			return 1;
		}
		memset(mem[t], t + 1, PAGES * 4096);
		r[t] = (struct racer){ .d = &d, .start = &start, .done = &done, .t = t };
		pthread_create(&th[t], NULL, unmapper, &r[t]);
	}
	for (i = 0; i < rounds; i++) {
		for (t = 0; t < 2; t++) {
			if (vfio_dma_map(&d, mem[t], IOVA(t), PAGES * 4096) ||
			    pin_range(&d, first + t * PAGES, IOVA(t))) {
				fprintf(out, "error round %d: map and pin range %d: %s\n", i, t,
					strerror(errno));
				return 1;
			}
		}
		if (i == 0)
			fprintf(out, "pins %lld\n", (long long)counter(uuid, "pins"));
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		for (t = 0; t < 2; t++) {
			if (r[t].failed) {
				fprintf(out, "error round %d: unmap %d: %s\n", i, t,
					strerror(r[t].failed));
				return 1;
			}
		}
		fprintf(out, "round %d pins %lld\n", i + 1, (long long)counter(uuid, "pins"));
	}
	for (t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	vfio_dev_close(&d);
	fprintf(out, "done\n");
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *what = "two threads unmapping pinned ranges at once";
	const char *known_bug = NULL, *uuid;
	int fds[2], done = 0, pins_first = -1, round = 0, pins_left = -1;
	long long last;
	char line[256];
	FILE *in, *out;
	pid_t pid;

	while (argc > 3 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--known-bug"))
			known_bug = argv[2];
		else if (!strcmp(argv[1], "--rounds"))
			rounds = atoi(argv[2]);
		else
			break;
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || rounds < 1) {
		fprintf(stderr, "usage: vfio_unmap_race [--known-bug WHY] [--rounds N] UUID\n");
		return 2;
	}
	uuid = argv[1];
	tap_diag("backend %s, %d rounds of two concurrent unmaps of %d pinned pages each",
		 vfio_backend(), rounds, PAGES);

	if (pipe(fds))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		/* nothing of ours may keep the caller's stdout open if we hang */
		close(fds[0]);
		out = fdopen(fds[1], "w");
		setvbuf(out, NULL, _IOLBF, 0);
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(2);
		_exit(race(uuid, out));
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	last = now_ms();
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		int left = STALL_MS - (int)(now_ms() - last);

		if (left <= 0 || poll(&p, 1, left) != 1)
			break;		/* no progress: the child hangs */
		if (!fgets(line, sizeof(line), in))
			break;		/* the child is gone */
		last = now_ms();
		if (sscanf(line, "pins %d", &pins_first) == 1)
			continue;
		if (sscanf(line, "round %d pins %d", &round, &pins_left) == 2)
			continue;
		if (!strcmp(line, "done\n")) {
			done = 1;
			break;
		}
		tap_diag("child: %s", strtok(line, "\n"));
	}

	tap_check(pins_first == 2 * PAGES,
		  "the vGPU pinned the %d pages of both ranges before the first unmaps (%d)",
		  2 * PAGES, pins_first);
	if (known_bug && !done)
		tap_check(true,
			  "%s # SKIP %s: reproduced, the threads are blocked after %d of %d rounds",
			  what, known_bug, round, rounds);
	else if (known_bug)
		tap_check(true, "%s # SKIP %s: not hit in %d rounds", what, known_bug, rounds);
	else
		tap_check(done, "%s: %d of %d rounds finished%s", what, round, rounds,
			  done ? "" : ", then they hung");
	if (done)
		tap_check(pins_left == 0, "every round ends with nothing pinned (%d)", pins_left);
	if (done) {
		waitpid(pid, NULL, 0);
	} else {
		kill(pid, SIGKILL);	/* what can still die, dies; nobody waits */
		tap_diag("left process %d behind (blocked in the kernel)", (int)pid);
	}
	return tap_done();
}
