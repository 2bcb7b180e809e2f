// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: what a guest sees of GPU work. Each engine has a submission port:
 * a descriptor written there names a context image in the vGPU's GM; its
 * ring from head to tail is read, scanned and copied into a workload that
 * the engine's dispatcher runs. Progress comes back in the engine's
 * context status buffer (CSB), in order per engine, and as interrupts.
 * Repeated violations (workloads the scanner refused, page tables that
 * could not be shadowed) put the vGPU in failsafe mode until a reset.
 *
 * Everything here runs with the glue's vGPU lock held.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "mvgpu.h"

/* LRI of every GPR: header, then (register, value) pairs */
#define MVGPU_PROLOGUE_DWORDS	(1 + 2 * SIMGPU_NUM_GPR)
/* an SRM per GPR */
#define MVGPU_EPILOGUE_DWORDS	(4 * SIMGPU_NUM_GPR)
#define MVGPU_RING_DWORDS	(MVGPU_MAX_RING_BYTES / 4)

static_assert(4 * (MVGPU_PROLOGUE_DWORDS + MVGPU_RING_DWORDS + MVGPU_EPILOGUE_DWORDS) <
	      MVGPU_SHADOW_RING);

/**
 * mvgpu_csb_push() - write the next entry of an engine's CSB
 * @ve: the vGPU's side of the engine
 * @event: MVGPU_CSB_* and an error code
 * @ctx_id: the workload's context id
 */
void mvgpu_csb_push(struct mvgpu_vgpu_engine *ve, u32 event, u32 ctx_id)
{
	u32 *e = ve->csb[ve->csb_count % MVGPU_CSB_ENTRIES];

	e[0] = event;
	e[1] = ctx_id;
	ve->csb_count++;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_csb_push);

static u32 mvgpu_engine_irq(unsigned int engine)
{
	return engine == SIMGPU_ENGINE_RENDER ? MVGPU_IRQ_RENDER_COMPLETE :
						MVGPU_IRQ_COPY_COMPLETE;
}

/* A submission refused before it was queued. */
static void mvgpu_submit_refuse(struct mvgpu_vgpu_engine *ve, u32 ctx_id, u32 err)
{
	mvgpu_csb_push(ve, MVGPU_CSB_ERROR | err << 8, ctx_id);
	mvgpu_raise(ve->vgpu, mvgpu_engine_irq(ve->id) | MVGPU_IRQ_ERROR);
}

/* What the scanner reads batches through */
struct mvgpu_scan_mem {
	struct mvgpu_vgpu *vgpu;
	struct mvgpu_ppgtt *ppgtt;
};

static int mvgpu_scan_read(struct mvgpu_scan *sc, u64 addr, bool ggtt, u32 *buf, u32 dwords)
{
	struct mvgpu_scan_mem *mem = sc->priv;

	if (ggtt)
		return mvgpu_gm_rw(mem->vgpu, addr, buf, 4 * dwords, false);
	if (!mem->ppgtt)
		return -EFAULT;
	return mvgpu_ppgtt_read(mem->vgpu, mem->ppgtt, addr, buf, 4 * dwords);
}

/* The context image's ring and registers, checked. */
struct mvgpu_image {
	u64 ring_start;
	u32 ring_size;
	u32 head;
	u32 tail;
	u32 flags;
	u64 ppgtt_root;
	u32 gpr[SIMGPU_NUM_GPR];
};

static int mvgpu_image_read(struct mvgpu_vgpu *vgpu, u64 addr, struct mvgpu_image *im)
{
	u32 raw[MVGPU_CTX_GPR(SIMGPU_NUM_GPR) / 4];
	u64 size;

	if (mvgpu_gm_rw(vgpu, addr, raw, sizeof(raw), false))
		return -EFAULT;
	im->ring_start = (u64)raw[MVGPU_CTX_RING_START / 4 + 1] << 32 |
			 raw[MVGPU_CTX_RING_START / 4];
	im->ring_size = raw[MVGPU_CTX_RING_SIZE / 4];
	im->head = raw[MVGPU_CTX_RING_HEAD / 4];
	im->tail = raw[MVGPU_CTX_RING_TAIL / 4];
	im->flags = raw[MVGPU_CTX_FLAGS / 4];
	im->ppgtt_root = (u64)raw[MVGPU_CTX_PPGTT_ROOT / 4 + 1] << 32 |
			 raw[MVGPU_CTX_PPGTT_ROOT / 4];
	memcpy(im->gpr, &raw[MVGPU_CTX_GPR(0) / 4], sizeof(im->gpr));
	size = im->ring_size;
	if (size < SZ_4K || size > SZ_2M || !is_power_of_2(size) ||
	    im->ring_start & (SIMGPU_PAGE_SIZE - 1) || im->head >= size || im->tail >= size ||
	    (im->head | im->tail) & 3 || im->flags & ~MVGPU_CTX_F_PPGTT)
		return -EINVAL;
	return 0;
}

/* The ring's commands from head to tail, which may wrap. */
static int mvgpu_ring_read(struct mvgpu_vgpu *vgpu, const struct mvgpu_image *im, u32 *buf,
			   u32 bytes)
{
	u32 first = min(bytes, im->ring_size - im->head);
	int ret;

	ret = mvgpu_gm_rw(vgpu, im->ring_start + im->head, buf, first, false);
	if (!ret && bytes > first)
		ret = mvgpu_gm_rw(vgpu, im->ring_start, (u8 *)buf + first, bytes - first, false);
	return ret;
}

/*
 * A workload refused for what the guest put in it. Refusing is not free
 * for the host (a scan reads up to 316 KiB of guest memory, a page table
 * build pins and unpins up to 4096 pages), so a guest that keeps doing it
 * is stopped: failsafe mode until a reset.
 */
static void mvgpu_violation(struct mvgpu_vgpu *vgpu, const char *reason, bool ppgtt)
{
	if (ppgtt)
		vgpu->ppgtt_rejects++;
	else
		vgpu->scan_rejects++;
	vgpu->last_reject = reason;
	if (++vgpu->violations >= MVGPU_FAILSAFE_VIOLATIONS && !vgpu->failsafe) {
		vgpu->failsafe = true;
		vgpu->failsafe_ppgtt = ppgtt;
		pr_info_ratelimited("mvgpu: vGPU %u in failsafe mode after %u refused workloads (last: %s)\n",
				    vgpu->id, vgpu->violations, reason);
	}
}

/*
 * A page table build failed. The guest's tables are its own doing, except
 * when the host ran out of memory or the guest's memory map changed under
 * the build (QEMU's unmap, a reset): those are not held against it.
 */
static u32 mvgpu_ppgtt_refused(struct mvgpu_vgpu *vgpu, int ret)
{
	switch (ret) {
	case -ENOMEM:
		return MVGPU_ERR_RESOURCES;
	case -ESTALE:
		return MVGPU_ERR_FAULT;
	case -E2BIG:
		mvgpu_violation(vgpu, "page tables: too many tables or pages", true);
		break;
	case -EINVAL:
		mvgpu_violation(vgpu, "page tables: misaligned root", true);
		break;
	default:
		mvgpu_violation(vgpu, "page tables: a table is not in guest memory", true);
		break;
	}
	return MVGPU_ERR_CONTEXT;
}

/* Registers restored before the guest's commands, saved after them. */
static u32 mvgpu_put_prologue(u32 *p, const struct mvgpu_image *im)
{
	unsigned int i;

	*p++ = SIMGPU_MI_LEN(SIMGPU_MI_LOAD_REGISTER_IMM, MVGPU_PROLOGUE_DWORDS);
	for (i = 0; i < SIMGPU_NUM_GPR; i++) {
		*p++ = SIMGPU_REG_GPR(i);
		*p++ = im->gpr[i];
	}
	return MVGPU_PROLOGUE_DWORDS;
}

static u32 mvgpu_put_epilogue(u32 *p, u64 image)
{
	unsigned int i;

	for (i = 0; i < SIMGPU_NUM_GPR; i++) {
		*p++ = SIMGPU_MI_LEN(SIMGPU_MI_STORE_REGISTER_MEM, 4) | SIMGPU_MI_USE_GGTT;
		*p++ = SIMGPU_REG_GPR(i);
		*p++ = lower_32_bits(image + MVGPU_CTX_GPR(i));
		*p++ = upper_32_bits(image + MVGPU_CTX_GPR(i));
	}
	return MVGPU_EPILOGUE_DWORDS;
}

/* Scan the ring and batches of a checked image into a new workload. */
static int mvgpu_workload_scan(struct mvgpu_vgpu_engine *ve, const struct mvgpu_image *im,
			       u64 image, struct mvgpu_scan_mem *mem, struct mvgpu_workload **out)
{
	struct mvgpu_vgpu *vgpu = ve->vgpu;
	struct mvgpu_scan *sc = vgpu->scan;
	bool regs = ve->id == SIMGPU_ENGINE_RENDER;
	u32 pro = regs ? MVGPU_PROLOGUE_DWORDS : 0, bytes, n;
	struct mvgpu_workload *w;
	int ret;

	bytes = (im->tail - im->head) & (im->ring_size - 1);
	if (bytes > MVGPU_MAX_RING_BYTES) {
		mvgpu_violation(vgpu, "workload too long", false);
		return MVGPU_ERR_SCAN;
	}
	/* read straight into the shadow ring, after the prologue */
	if (mvgpu_ring_read(vgpu, im, sc->ring + pro, bytes))
		return MVGPU_ERR_CONTEXT;
	sc->engine = ve->id;
	sc->ppgtt = mem->ppgtt;
	sc->gm = &vgpu->alloc;
	sc->read = mvgpu_scan_read;
	sc->priv = mem;
	sc->batch_gm = ve->shadow_gm + MVGPU_SHADOW_RING;
	n = bytes / 4;
	sc->ring += pro;
	ret = mvgpu_scan_workload(sc, sc->ring, n);
	sc->ring -= pro;
	if (ret) {
		mvgpu_violation(vgpu, sc->reason, false);
		return MVGPU_ERR_SCAN;
	}

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return MVGPU_ERR_RESOURCES;
	w->ve = ve;
	w->image = image;
	w->ppgtt = mem->ppgtt;
	w->tail = im->tail;
	w->ring_len = sc->ring_len + (regs ? MVGPU_PROLOGUE_DWORDS + MVGPU_EPILOGUE_DWORDS : 0);
	w->ring = kvmalloc_array(w->ring_len, 4, GFP_KERNEL);
	w->batch_len = sc->batch_len;
	w->batch = sc->batch_len ? kvmalloc_array(sc->batch_len, 4, GFP_KERNEL) : NULL;
	if (!w->ring || (sc->batch_len && !w->batch)) {
		w->ppgtt = NULL;	/* the caller frees it */
		mvgpu_workload_free(w);
		return MVGPU_ERR_RESOURCES;
	}
	if (regs) {
		mvgpu_put_prologue(sc->ring, im);
		mvgpu_put_epilogue(sc->ring + pro + sc->ring_len, image);
	}
	memcpy(w->ring, sc->ring, 4 * w->ring_len);
	memcpy(w->batch, sc->batch, 4 * w->batch_len);
	*out = w;
	return 0;
}

/* Read the context image, shadow its page tables, scan its work. */
static int mvgpu_workload_build(struct mvgpu_vgpu_engine *ve, u64 desc,
				struct mvgpu_workload **out)
{
	struct mvgpu_vgpu *vgpu = ve->vgpu;
	struct mvgpu_scan_mem mem = { .vgpu = vgpu };
	struct mvgpu_image im;
	u64 image = desc & MVGPU_DESC_ADDR_MASK;
	int ret, err;

	ret = mvgpu_image_read(vgpu, image, &im);
	if (ret)
		return MVGPU_ERR_CONTEXT;
	/* the shadow first: building it may drop the vGPU's lock */
	if (im.flags & MVGPU_CTX_F_PPGTT) {
		ret = mvgpu_ppgtt_build(vgpu, im.ppgtt_root, &mem.ppgtt);
		if (ret)
			return mvgpu_ppgtt_refused(vgpu, ret);
	}
	err = mvgpu_workload_scan(ve, &im, image, &mem, out);
	if (err && mem.ppgtt)
		mvgpu_ppgtt_free(vgpu, mem.ppgtt);
	return err;
}

static void mvgpu_submit(struct mvgpu_vgpu_engine *ve, u64 desc)
{
	struct mvgpu_vgpu *vgpu = ve->vgpu;
	u32 ctx_id = MVGPU_DESC_ID(desc), pending, share, weight, cap;
	struct mvgpu_engine_stats st;
	struct mvgpu_workload *w;
	int err;

	mvgpu_dispatch_get(ve, &st, &pending, &share, &weight, &cap);
	if (vgpu->failsafe)
		err = MVGPU_ERR_FAILSAFE;
	else if (!(desc & MVGPU_DESC_VALID))
		err = MVGPU_ERR_CONTEXT;
	else if (pending >= MVGPU_MAX_PENDING)
		err = MVGPU_ERR_QUEUE_FULL;
	else
		err = mvgpu_workload_build(ve, desc, &w);
	if (!err)
		w->ctx_id = ctx_id;
	if (err) {
		mvgpu_submit_refuse(ve, ctx_id, err);
		return;
	}
	mvgpu_csb_push(ve, MVGPU_CSB_SUBMITTED, ctx_id);
	w->state = MVGPU_CSB_SUBMITTED;
	w->reported = MVGPU_CSB_SUBMITTED;
	mvgpu_dispatch_queue(w);
}

static struct mvgpu_vgpu_engine *mvgpu_reg_engine(struct mvgpu_vgpu *vgpu, u32 off, u32 *reg)
{
	unsigned int e = (off - MVGPU_ENGINE_BASE(0)) / 0x1000;

	*reg = (off - MVGPU_ENGINE_BASE(0)) % 0x1000;
	return &vgpu->engines[e];
}

/**
 * mvgpu_submit_reg_read() - read an engine register
 * @vgpu: the vGPU
 * @off: the register, in the engines' range
 * @val: its value
 *
 * Return: false for an unimplemented register.
 */
bool mvgpu_submit_reg_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val)
{
	u32 reg, pending, share, weight, cap;
	struct mvgpu_vgpu_engine *ve = mvgpu_reg_engine(vgpu, off, &reg);
	struct mvgpu_engine_stats st;

	switch (reg) {
	case MVGPU_ENGINE_SUBMIT:
	case MVGPU_ENGINE_SUBMIT + 4:
		*val = 0;	/* write only */
		return true;
	case MVGPU_ENGINE_STATUS:
	case MVGPU_ENGINE_PENDING:
		mvgpu_dispatch_get(ve, &st, &pending, &share, &weight, &cap);
		if (reg == MVGPU_ENGINE_PENDING)
			*val = pending;
		else
			*val = (pending ? MVGPU_ENGINE_BUSY : 0) |
			       (vgpu->failsafe ? MVGPU_ENGINE_FAILSAFE : 0);
		return true;
	case MVGPU_ENGINE_CSB_COUNT:
		*val = ve->csb_count;
		return true;
	}
	if (reg >= MVGPU_ENGINE_CSB(0) && reg < MVGPU_ENGINE_CSB(MVGPU_CSB_ENTRIES)) {
		reg -= MVGPU_ENGINE_CSB(0);
		*val = ve->csb[reg / 8][reg % 8 / 4];
		return true;
	}
	return false;
}

/**
 * mvgpu_submit_reg_write() - write an engine register
 * @vgpu: the vGPU
 * @off: the register, in the engines' range
 * @val: the value
 *
 * Return: false for an unimplemented or read-only register.
 */
bool mvgpu_submit_reg_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val)
{
	u32 reg;
	struct mvgpu_vgpu_engine *ve = mvgpu_reg_engine(vgpu, off, &reg);

	switch (reg) {
	case MVGPU_ENGINE_SUBMIT:
		ve->submit_lo = val;
		return true;
	case MVGPU_ENGINE_SUBMIT + 4:
		mvgpu_submit(ve, (u64)val << 32 | ve->submit_lo);
		ve->submit_lo = 0;
		return true;
	}
	return false;
}

/* Write back the image of a finished workload; its interrupts. */
static u32 mvgpu_retire_one(struct mvgpu_vgpu_engine *ve, struct mvgpu_workload *w, u32 event)
{
	u32 irq = mvgpu_engine_irq(ve->id);

	if (!(event & MVGPU_CSB_ERROR)) {
		mvgpu_gm_rw(ve->vgpu, w->image + MVGPU_CTX_RING_HEAD, &w->tail, 4, true);
	} else {
		irq |= MVGPU_IRQ_ERROR;
		if (w->error == MVGPU_ERR_FAULT)
			irq |= MVGPU_IRQ_FAULT;
		if (w->error == MVGPU_ERR_HANG)
			irq |= MVGPU_IRQ_HANG;
	}
	/* the image may be gone from the guest's GTT by now: then it keeps none */
	mvgpu_gm_rw(ve->vgpu, w->image + MVGPU_CTX_STATUS, &event, 4, true);
	return irq;
}

/**
 * mvgpu_csb_owed() - the CSB events a workload owes its guest, in order
 * @state: MVGPU_CSB_* it reached
 * @reported: MVGPU_CSB_* already written
 * @error: its MVGPU_ERR_* if it failed
 * @events: filled with up to 3 events
 *
 * Running and preempted are reported once each, in that order, then how
 * it ended; a workload that never ran reports only its end.
 *
 * Return: how many events.
 */
unsigned int mvgpu_csb_owed(u32 state, u32 reported, u32 error, u32 *events)
{
	u32 news = state & ~reported;
	unsigned int n = 0;

	if (news & MVGPU_CSB_RUNNING)
		events[n++] = MVGPU_CSB_RUNNING;
	if (news & MVGPU_CSB_PREEMPTED)
		events[n++] = MVGPU_CSB_PREEMPTED;
	if (news & MVGPU_CSB_ERROR)
		events[n++] = MVGPU_CSB_ERROR | error << 8;
	else if (news & MVGPU_CSB_COMPLETE)
		events[n++] = MVGPU_CSB_COMPLETE;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(mvgpu_csb_owed);

/* Write the events @w owes into the CSB; returns its last one. */
static u32 mvgpu_csb_report(struct mvgpu_vgpu_engine *ve, struct mvgpu_workload *w)
{
	u32 events[3], last = 0;
	unsigned int i, n;

	n = mvgpu_csb_owed(w->state, w->reported, w->error, events);
	for (i = 0; i < n; i++)
		mvgpu_csb_push(ve, events[i], w->ctx_id);
	if (n)
		last = events[n - 1];
	w->reported |= w->state;
	return last;
}

/* Report what the dispatcher did since the last time, in order. */
static u32 mvgpu_retire_engine(struct mvgpu_vgpu_engine *ve, struct list_head *freed)
{
	struct mvgpu_dispatch *d = ve->d;
	struct mvgpu_workload *w, *next;
	u32 irq = 0;

	/* the mutex is the dispatcher's; the order is vGPU lock, then it */
	mvgpu_dispatch_lock(d);
	list_for_each_entry_safe(w, next, &ve->done, node) {
		irq |= mvgpu_retire_one(ve, w, mvgpu_csb_report(ve, w));
		list_move_tail(&w->node, freed);
	}
	list_for_each_entry(w, &ve->queue, node)
		mvgpu_csb_report(ve, w);
	if (ve->user_irq)
		irq |= MVGPU_IRQ_USER;
	ve->user_irq = false;
	mvgpu_dispatch_unlock(d);
	return irq;
}

/**
 * mvgpu_submit_retire() - report finished and started workloads
 * @vgpu: the vGPU
 *
 * CSB entries in the order things happened per engine, context images
 * written back, then the interrupts.
 */
void mvgpu_submit_retire(struct mvgpu_vgpu *vgpu)
{
	struct mvgpu_workload *w, *next;
	unsigned int e;
	LIST_HEAD(freed);
	u32 irq = 0;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		irq |= mvgpu_retire_engine(&vgpu->engines[e], &freed);
	list_for_each_entry_safe(w, next, &freed, node)
		mvgpu_workload_free(w);
	if (irq)
		mvgpu_raise(vgpu, irq);
}

/**
 * mvgpu_submit_reset() - drop all work, clear the CSBs, leave failsafe
 * @vgpu: the vGPU
 */
void mvgpu_submit_reset(struct mvgpu_vgpu *vgpu)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct mvgpu_vgpu_engine *ve = &vgpu->engines[e];

		mvgpu_dispatch_cancel(ve);
		memset(ve->csb, 0, sizeof(ve->csb));
		ve->csb_count = 0;
		ve->submit_lo = 0;
	}
	vgpu->failsafe = false;
	vgpu->failsafe_ppgtt = false;
	vgpu->violations = 0;
	vgpu->reset_seq++;	/* a shadow being built is stale */
}

/**
 * mvgpu_submit_unmap() - guest pages leave the guest's memory map
 * @vgpu: the vGPU
 * @gfn: first guest page
 * @count: pages
 *
 * Workloads whose page tables map them end with MVGPU_ERR_FAULT and give
 * their pins back; a shadow being built is marked stale.
 */
void mvgpu_submit_unmap(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_dispatch_kill(&vgpu->engines[e], gfn, count);
	mvgpu_ppgtt_unmap_gfns(vgpu, gfn, count);
}

/* Host pages for the engine's shadow ring and batches, in the host's GM. */
static int mvgpu_shadow_init(struct mvgpu_vgpu_engine *ve, u64 gm)
{
	unsigned int i, n = MVGPU_SHADOW_SIZE >> PAGE_SHIFT;

	ve->shadow_pages = kcalloc(n, sizeof(*ve->shadow_pages), GFP_KERNEL);
	if (!ve->shadow_pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ve->shadow_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!ve->shadow_pages[i])
			return -ENOMEM;
	}
	ve->shadow = vmap(ve->shadow_pages, n, VM_MAP, PAGE_KERNEL);
	if (!ve->shadow)
		return -ENOMEM;
	ve->shadow_gm = gm;
	for (i = 0; i < n; i++)
		pgpu_ggtt_write(ve->vgpu->gpu, (gm >> SIMGPU_PAGE_SHIFT) + i,
				page_to_phys(ve->shadow_pages[i]) | PGPU_PTE_VALID);
	return 0;
}

static void mvgpu_shadow_unmap(struct mvgpu_vgpu_engine *ve)
{
	unsigned int i, n = MVGPU_SHADOW_SIZE >> PAGE_SHIFT;

	if (!ve->shadow)
		return;
	for (i = 0; i < n; i++)
		pgpu_ggtt_write(ve->vgpu->gpu, (ve->shadow_gm >> SIMGPU_PAGE_SHIFT) + i, 0);
	vunmap(ve->shadow);
	ve->shadow = NULL;
}

/* After pgpu_sync(): no engine reads the pages through old entries. */
static void mvgpu_shadow_free(struct mvgpu_vgpu_engine *ve)
{
	unsigned int i, n = MVGPU_SHADOW_SIZE >> PAGE_SHIFT;

	if (!ve->shadow_pages)
		return;
	for (i = 0; i < n && ve->shadow_pages[i]; i++)
		__free_page(ve->shadow_pages[i]);
	kfree(ve->shadow_pages);
	ve->shadow_pages = NULL;
}

/**
 * mvgpu_submit_init() - set up a vGPU's engines: shadow memory, dispatch
 * @vgpu: the vGPU, with its id, type and GPU
 * @d: the GPU's dispatchers, one per engine
 *
 * Return: 0 or -ENOMEM.
 */
int mvgpu_submit_init(struct mvgpu_vgpu *vgpu, struct mvgpu_dispatch **d)
{
	struct pgpu_info info;
	unsigned int e;
	int ret = -ENOMEM;

	pgpu_get_info(vgpu->gpu, &info);
	INIT_LIST_HEAD(&vgpu->ppgtts);
	vgpu->scan = kvzalloc(sizeof(*vgpu->scan), GFP_KERNEL);
	if (!vgpu->scan)
		return -ENOMEM;
	vgpu->scan->ring_max = MVGPU_RING_DWORDS;
	vgpu->scan->batch_max = MVGPU_MAX_BATCH_BYTES / 4;
	vgpu->scan->ring = kvmalloc(MVGPU_SHADOW_RING, GFP_KERNEL);
	vgpu->scan->batch = kvmalloc(MVGPU_MAX_BATCH_BYTES, GFP_KERNEL);
	if (!vgpu->scan->ring || !vgpu->scan->batch)
		goto err;
	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct mvgpu_vgpu_engine *ve = &vgpu->engines[e];

		ve->vgpu = vgpu;
		ve->id = e;
		ve->d = d[e];
		/* the host's high GM: one slot per vGPU and engine */
		ret = mvgpu_shadow_init(ve, info.aperture_size +
					(u64)(vgpu->id * MVGPU_NUM_ENGINES + e) *
					MVGPU_SHADOW_SLOT);
		if (ret)
			goto err;
		mvgpu_dispatch_attach(ve, vgpu->type->weight);
	}
	return 0;
err:
	mvgpu_submit_fini(vgpu);
	return ret;
}

/**
 * mvgpu_submit_fini() - the vGPU leaves the engines; its work is dropped
 * @vgpu: the vGPU
 *
 * Called without the vGPU's lock: it waits for the engines.
 */
void mvgpu_submit_fini(struct mvgpu_vgpu *vgpu)
{
	unsigned int e;

	for (e = 0; e < MVGPU_NUM_ENGINES; e++) {
		struct mvgpu_vgpu_engine *ve = &vgpu->engines[e];

		if (ve->d && ve->ent.node.next)
			mvgpu_dispatch_detach(ve);
		mvgpu_shadow_unmap(ve);
	}
	pgpu_sync(vgpu->gpu);
	for (e = 0; e < MVGPU_NUM_ENGINES; e++)
		mvgpu_shadow_free(&vgpu->engines[e]);
	if (vgpu->scan) {
		kvfree(vgpu->scan->ring);
		kvfree(vgpu->scan->batch);
		kvfree(vgpu->scan);
		vgpu->scan = NULL;
	}
}
