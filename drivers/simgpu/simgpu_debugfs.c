// SPDX-License-Identifier: GPL-2.0-only
/*
 * simgpu: debugfs. Per GPU: info, engines, ggtt, faults, and "native", a
 * runner of workloads submitted straight to simgpu with no mediation (the
 * baseline later measurements of virtualization overhead compare against).
 *
 * native: write "OP SIZE ITERS", read the result of the last run:
 *   fill BYTES ITERS   XY_COLOR_BLT of BYTES, 32 bpp, on the copy engine
 *   copy BYTES ITERS   XY_SRC_COPY_BLT of BYTES, 32 bpp, on the copy engine
 *   nop COUNT ITERS    ITERS submissions of COUNT MI_NOOPs, render engine
 *   memset BYTES ITERS the CPU doing the fill, on the same pages
 *   memcpy BYTES ITERS the CPU doing the copy, on the same pages
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "simgpu.h"

#define NATIVE_MAX_BYTES	SZ_32M
#define NATIVE_PAGES		(2 * NATIVE_MAX_BYTES / PAGE_SIZE + 1)
#define NATIVE_ROW		4096	/* bytes per blit row: 1024 px of 32 bpp */
#define NATIVE_TIMEOUT		(30 * HZ)

/**
 * struct simgpu_native - the native workload runner of one GPU
 * @lock: serialises runs and protects everything below
 * @pages: buffer A, buffer B and the ring, mapped at the top of GM
 * @vaddr: buffers A and B, contiguous in kernel memory
 * @ring: the ring page
 * @gm_base: GM address of buffer A; B follows, then the ring
 * @render: context on the render engine
 * @copy: context on the copy engine
 * @done: completed by the event callback
 * @events: events of the last run
 * @result: the last result line
 */
struct simgpu_native {
	struct mutex lock;	/* see above */
	struct page **pages;
	void *vaddr;
	u32 *ring;
	u64 gm_base;
	struct simgpu_ctx *render;
	struct simgpu_ctx *copy;
	struct completion done;
	u32 events;
	char result[160];
};

static void simgpu_native_event(struct pgpu_ctx *ctx, u32 events, void *data)
{
	struct simgpu_native *n = data;

	n->events |= events;
	if (events & ~SIMGPU_EVENT_USER)
		complete(&n->done);
}

static void simgpu_native_free(struct simgpu *gpu, struct simgpu_native *n)
{
	unsigned int i;

	if (n->render)
		simgpu_ctx_destroy(n->render);
	if (n->copy)
		simgpu_ctx_destroy(n->copy);
	for (i = 0; i < NATIVE_PAGES && n->pages; i++)
		simgpu_ggtt_write(gpu, (n->gm_base >> PAGE_SHIFT) + i, 0);
	if (n->vaddr)
		vunmap(n->vaddr);
	for (i = 0; i < NATIVE_PAGES && n->pages; i++)
		if (n->pages[i])
			__free_page(n->pages[i]);
	kvfree(n->pages);
	kfree(n);
}

/* simgpu_native_setup protects the creation of every GPU's runner. */
static DEFINE_MUTEX(simgpu_native_setup);

/*
 * Allocate the buffers on first use and map them in the GM kept for the
 * runner, which the GPU's owner never sees (simgpu_get_info()).
 */
static struct simgpu_native *simgpu_native_create(struct simgpu *gpu)
{
	struct pgpu_ctx_desc desc = { .ring_size = SZ_4K, .event = simgpu_native_event };
	struct simgpu_native *n;
	unsigned int i;

	if (gpu->params.gm_size - gpu->native_base < (u64)NATIVE_PAGES * PAGE_SIZE)
		return NULL;	/* a GPU too small to keep GM for the runner */
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	mutex_init(&n->lock);
	init_completion(&n->done);
	n->gm_base = gpu->native_base;
	n->pages = kvcalloc(NATIVE_PAGES, sizeof(*n->pages), GFP_KERNEL);
	if (!n->pages)
		goto fail;
	for (i = 0; i < NATIVE_PAGES; i++) {
		n->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!n->pages[i])
			goto fail;
		simgpu_ggtt_write(gpu, (n->gm_base >> PAGE_SHIFT) + i,
				  page_to_phys(n->pages[i]) | SIMGPU_PTE_VALID);
	}
	n->vaddr = vmap(n->pages, NATIVE_PAGES - 1, VM_MAP, PAGE_KERNEL);
	n->ring = page_address(n->pages[NATIVE_PAGES - 1]);
	desc.ring_start = n->gm_base + 2 * NATIVE_MAX_BYTES;
	desc.data = n;
	desc.engine = SIMGPU_ENGINE_RENDER;
	n->render = simgpu_ctx_create(gpu, &desc);
	desc.engine = SIMGPU_ENGINE_COPY;
	n->copy = simgpu_ctx_create(gpu, &desc);
	if (!n->vaddr || IS_ERR(n->render) || IS_ERR(n->copy)) {
		if (IS_ERR(n->render))
			n->render = NULL;
		if (IS_ERR(n->copy))
			n->copy = NULL;
		goto fail;
	}
	return n;
fail:
	simgpu_native_free(gpu, n);
	return NULL;
}

static struct simgpu_native *simgpu_native_get(struct simgpu *gpu)
{
	mutex_lock(&simgpu_native_setup);
	if (!gpu->native)
		gpu->native = simgpu_native_create(gpu);
	mutex_unlock(&simgpu_native_setup);
	return gpu->native;
}

/* Append @len dwords to the ring at *@tail, submit, wait. */
static int simgpu_native_submit(struct simgpu_native *n, struct simgpu_ctx *ctx,
				const u32 *cmds, unsigned int len)
{
	struct pgpu_ctx_stats st;
	unsigned int i;

	simgpu_ctx_get_stats(ctx, &st);
	for (i = 0; i < len; i++)
		n->ring[((st.tail >> 2) + i) % (SZ_4K / 4)] = cmds[i];
	reinit_completion(&n->done);
	n->events = 0;
	if (simgpu_ctx_submit(ctx, (st.tail + 4 * len) % SZ_4K))
		return -EIO;
	if (wait_for_completion_timeout(&n->done, NATIVE_TIMEOUT) &&
	    n->events == SIMGPU_EVENT_COMPLETE)
		return 0;
	simgpu_ctx_reset(ctx);	/* ready for the next run */
	return -EIO;
}

static int simgpu_native_blit(struct simgpu_native *n, bool copy, u64 bytes)
{
	u32 rows = bytes / NATIVE_ROW;
	u64 a = n->gm_base, b = n->gm_base + NATIVE_MAX_BYTES;
	u32 cmd[10] = {
		SIMGPU_BLT(copy ? SIMGPU_BLT_COPY : SIMGPU_BLT_FILL, copy ? 10 : 7),
		SIMGPU_BLT_BPP_32 << 24 | NATIVE_ROW,
		0, SIMGPU_BLT_XY(NATIVE_ROW / 4, rows),
		lower_32_bits(b), upper_32_bits(b),
	};

	if (copy) {
		cmd[6] = 0;
		cmd[7] = NATIVE_ROW;
		cmd[8] = lower_32_bits(a);
		cmd[9] = upper_32_bits(a);
	} else {
		cmd[6] = 0x12345678;
	}
	return simgpu_native_submit(n, n->copy, cmd, copy ? 10 : 7);
}

static int simgpu_native_nops(struct simgpu_native *n, u64 count)
{
	static const u32 nops[256];	/* MI_NOOP is all zeroes */

	return simgpu_native_submit(n, n->render, nops, count);
}

struct simgpu_native_cpu_work {
	struct work_struct work;
	struct simgpu_native *n;
	bool copy;
	u64 bytes;
};

static void simgpu_native_cpu_fn(struct work_struct *work)
{
	struct simgpu_native_cpu_work *w = container_of(work, struct simgpu_native_cpu_work, work);

	if (w->copy)
		memcpy(w->n->vaddr + NATIVE_MAX_BYTES, w->n->vaddr, w->bytes);
	else
		memset(w->n->vaddr + NATIVE_MAX_BYTES, 0x5a, w->bytes);
}

/*
 * The CPU baseline: memcpy or memset of the same pages (mapped contiguously),
 * on a worker of the engines' workqueue, as the engines run.
 */
static void simgpu_native_cpu(struct simgpu_native *n, bool copy, u64 bytes)
{
	struct simgpu_native_cpu_work w = { .n = n, .copy = copy, .bytes = bytes };

	INIT_WORK_ONSTACK(&w.work, simgpu_native_cpu_fn);
	queue_work(simgpu_wq(), &w.work);
	flush_work(&w.work);
	destroy_work_on_stack(&w.work);
}

static int simgpu_native_run(struct simgpu *gpu, const char *op, u64 size, u64 iters)
{
	struct simgpu_native *n;
	u64 i, t0, ns;
	int ret = 0;

	if (!iters || iters > 100000)
		return -EINVAL;
	if (strcmp(op, "nop") ? (!size || size > NATIVE_MAX_BYTES || size % NATIVE_ROW) :
	    (!size || size > 256))
		return -EINVAL;
	n = simgpu_native_get(gpu);
	if (!n)
		return -ENOSPC;

	mutex_lock(&n->lock);
	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++) {
		if (!strcmp(op, "fill"))
			ret = simgpu_native_blit(n, false, size);
		else if (!strcmp(op, "copy"))
			ret = simgpu_native_blit(n, true, size);
		else if (!strcmp(op, "nop"))
			ret = simgpu_native_nops(n, size);
		else if (!strcmp(op, "memset") || !strcmp(op, "memcpy"))
			simgpu_native_cpu(n, op[3] == 'c', size);
		else
			ret = -EINVAL;
	}
	ns = ktime_get_ns() - t0;
	if (!ret)
		snprintf(n->result, sizeof(n->result), "op=%s size=%llu iters=%llu ns=%llu\n",
			 op, size, iters, ns);
	else
		snprintf(n->result, sizeof(n->result), "op=%s failed: %d, events 0x%x\n",
			 op, ret, n->events);
	mutex_unlock(&n->lock);
	return ret;
}

static ssize_t native_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct simgpu *gpu = file_inode(file)->i_private;
	char buf[64], op[8];
	u64 size, iters;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%7s %llu %llu", op, &size, &iters) != 3)
		return -EINVAL;
	ret = simgpu_native_run(gpu, op, size, iters);
	return ret ? ret : len;
}

static ssize_t native_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	struct simgpu *gpu = file_inode(file)->i_private;
	struct simgpu_native *n = gpu->native;
	char buf[sizeof(n->result)] = "";

	if (n) {
		mutex_lock(&n->lock);
		strscpy(buf, n->result, sizeof(buf));
		mutex_unlock(&n->lock);
	}
	return simple_read_from_buffer(ubuf, len, ppos, buf, strlen(buf));
}

static const struct file_operations native_fops = {
	.owner = THIS_MODULE,
	.read = native_read,
	.write = native_write,
	.llseek = default_llseek,
};

static int info_show(struct seq_file *m, void *v)
{
	struct simgpu *gpu = m->private;
	const struct simgpu_params *p = &gpu->params;

	seq_printf(m, "gm_size: %llu\naperture_size: %llu\nfences: %u\nengines: %u\n",
		   p->gm_size, p->aperture_size, p->nr_fences, SIMGPU_NUM_ENGINES);
	seq_printf(m, "watchdog_ns: %llu\ncost_ns_per_cmd: %u\ncost_ns_per_kib: %u\n",
		   p->watchdog_ns, p->cost_ns_per_cmd, p->cost_ns_per_kib);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static int engines_show(struct seq_file *m, void *v)
{
	struct simgpu *gpu = m->private;
	struct simgpu_ctx *ctx;
	unsigned int i, queued;

	for (i = 0; i < SIMGPU_NUM_ENGINES; i++) {
		struct simgpu_engine *e = &gpu->engines[i];

		spin_lock(&e->lock);
		queued = 0;
		list_for_each_entry(ctx, &e->queue, node)
			queued++;
		seq_printf(m, "engine %u: %s busy_ns=%llu switches=%llu switch_ns=%llu queued=%u current=%s suspends=%llu%s\n",
			   i, i == SIMGPU_ENGINE_RENDER ? "render" : "copy", e->busy_ns,
			   e->switches, e->switch_ns, queued,
			   e->current_ctx ? (e->running ? "running" : "loaded") : "none",
			   e->suspends, e->suspended ? " suspended" : "");
		spin_unlock(&e->lock);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(engines);

static int ggtt_show(struct seq_file *m, void *v)
{
	struct simgpu *gpu = m->private;
	u64 i, n = gpu->params.gm_size >> SIMGPU_PAGE_SHIFT, valid = 0;

	for (i = 0; i < n; i++)
		if (READ_ONCE(gpu->ggtt[i]) & SIMGPU_PTE_VALID)
			valid++;
	seq_printf(m, "entries: %llu\nvalid: %llu\n", n, valid);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ggtt);

static int faults_show(struct seq_file *m, void *v)
{
	struct simgpu *gpu = m->private;
	u64 i, total;

	spin_lock(&gpu->fault_lock);
	total = gpu->nr_faults;
	seq_printf(m, "faults: %llu\n", total);
	for (i = total > SIMGPU_FAULT_LOG ? total - SIMGPU_FAULT_LOG : 0; i < total; i++) {
		struct simgpu_fault *f = &gpu->faults[i % SIMGPU_FAULT_LOG];

		seq_printf(m, "engine %u %s 0x%llx\n", f->engine, f->ggtt ? "ggtt" : "ppgtt",
			   f->addr);
	}
	spin_unlock(&gpu->fault_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(faults);

/**
 * simgpu_debugfs_init() - create a GPU's debugfs directory
 * @gpu: the GPU
 * @root: the module's directory
 */
void simgpu_debugfs_init(struct simgpu *gpu, struct dentry *root)
{
	gpu->debugfs = debugfs_create_dir(gpu->name, root);
	debugfs_create_file("info", 0444, gpu->debugfs, gpu, &info_fops);
	debugfs_create_file("engines", 0444, gpu->debugfs, gpu, &engines_fops);
	debugfs_create_file("ggtt", 0444, gpu->debugfs, gpu, &ggtt_fops);
	debugfs_create_file("faults", 0444, gpu->debugfs, gpu, &faults_fops);
	debugfs_create_file("native", 0600, gpu->debugfs, gpu, &native_fops);
}

/**
 * simgpu_debugfs_fini() - remove it, and free the native runner
 * @gpu: the GPU
 */
void simgpu_debugfs_fini(struct simgpu *gpu)
{
	debugfs_remove_recursive(gpu->debugfs);
	if (gpu->native)
		simgpu_native_free(gpu, gpu->native);
	gpu->native = NULL;
}
