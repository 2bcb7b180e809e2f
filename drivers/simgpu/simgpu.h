/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * simgpu: a simulated GPU that executes command streams, modelled on the
 * Intel GPUs GVT-g shares. Implements include/mvgpu/pgpu.h.
 *
 * simgpu_mem.c     GGTT, per-process page tables, aperture, fences
 * simgpu_cmd.c     command decoding and execution
 * simgpu_engine.c  engines, contexts, switching, watchdog, events
 * simgpu_pgpu.c    the pgpu_ops table: what mvgpu calls
 * simgpu_main.c    GPU instances, module parameters
 * simgpu_debugfs.c state dumps and the native workload runner
 */
#ifndef _SIMGPU_H
#define _SIMGPU_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <mvgpu/pgpu.h>
#include <mvgpu/simgpu.h>

#define SIMGPU_MAX_CMD_DWORDS	128
#define SIMGPU_FAULT_LOG	16
/* GM at the top kept for the native workload runner (simgpu_debugfs.c) */
#define SIMGPU_NATIVE_GM	(65ULL << 20)

/**
 * struct simgpu_params - the shape of a GPU
 * @gm_size: graphics memory in bytes (multiple of 4 KiB)
 * @aperture_size: low GM in bytes, at most @gm_size
 * @nr_fences: fence registers
 * @watchdog_ns: engine time one submission may use before it is killed
 * @cost_ns_per_cmd: deterministic cost model: ns charged per command
 *	(0: measure real time instead)
 * @cost_ns_per_kib: deterministic cost model: ns charged per KiB moved
 */
struct simgpu_params {
	u64 gm_size;
	u64 aperture_size;
	u32 nr_fences;
	u64 watchdog_ns;
	u32 cost_ns_per_cmd;
	u32 cost_ns_per_kib;
};

/**
 * struct simgpu_regs - an engine's register state: what a context switch
 * saves and restores
 * @ring_start: GM address of the ring
 * @ring_size: ring size in bytes
 * @head: offset of the next command in the ring
 * @tail: end of submitted work
 * @depth: 0 in the ring, 1 in a first-level batch, 2 in a second-level one
 * @bb_addr: instruction pointer of each batch level (index 1 and 2)
 * @bb_ggtt: whether that batch level is in the GGTT
 * @blit_row: rows of the current blit already done (resumable blits)
 * @gpr: general purpose registers
 */
struct simgpu_regs {
	u64 ring_start;
	u32 ring_size;
	u32 head;
	u32 tail;
	u32 depth;
	u64 bb_addr[SIMGPU_BB_MAX_DEPTH + 1];
	bool bb_ggtt[SIMGPU_BB_MAX_DEPTH + 1];
	u32 blit_row;
	u32 gpr[SIMGPU_NUM_GPR];
};

struct simgpu_engine;

/**
 * struct simgpu_ctx - a hardware context
 * @base: what the owner holds (pgpu.h)
 * @gpu: its GPU
 * @engine: the engine it runs on
 * @saved: register state while switched out
 * @ppgtt_root: DMA address of its top-level page table, 0 for none
 * @event: owner's event callback
 * @data: its argument
 * @node: on the engine's run queue (engine->lock)
 * @queued: on the run queue (engine->lock)
 * @status: enum pgpu_ctx_status (engine->lock)
 * @pending_tail: tail from the last submission (engine->lock)
 * @submit_ns: engine time used since the last submission started (engine->lock)
 * @wait_start: when it started waiting on a semaphore, or 0 (engine->lock)
 * @waiting: stopped on an unsatisfied semaphore in its last slice (engine->lock)
 * @head: ring head at the end of its last slice (engine->lock)
 * @start_ns: first slice since the last new submission or resume, or 0
 *	(engine->lock)
 * @end_ns: end of its last slice (engine->lock)
 * @held: kept off the engine by simgpu_ctx_hold(), work stays pending
 *	(engine->lock)
 * @preempt: a slice running it stops at the next command boundary
 *	(READ_ONCE/WRITE_ONCE: read by the slice without the lock)
 * @stats: counters (engine->lock)
 */
struct simgpu_ctx {
	struct pgpu_ctx base;
	struct simgpu *gpu;
	struct simgpu_engine *engine;
	struct simgpu_regs saved;
	u64 ppgtt_root;
	pgpu_event_fn event;
	void *data;
	struct list_head node;
	bool queued;
	u32 status;
	u32 pending_tail;
	u64 submit_ns;
	u64 wait_start;
	bool waiting;
	u32 head;
	u64 start_ns;
	u64 end_ns;
	bool held;
	bool preempt;
	struct pgpu_ctx_stats stats;
};

/**
 * struct simgpu_engine - one engine and its worker
 * @gpu: its GPU
 * @id: SIMGPU_ENGINE_*
 * @lock: protects @queue, @current_ctx and each context's queue state
 * @queue: contexts with work, in round-robin order
 * @current_ctx: the context whose registers are loaded, or NULL
 * @regs: the live registers; only the worker touches them
 * @work: the worker: runs queued contexts slice by slice
 * @idle: woken when the worker finishes a slice
 * @running: a slice is executing (engine->lock)
 * @slices: slices ended (@lock)
 * @busy_ns: engine time used (@lock)
 * @switches: context switches (@lock)
 * @switch_ns: time spent saving and restoring contexts (@lock)
 * @suspended: stopped for system sleep: no slice starts (@lock)
 * @suspends: times it was stopped for system sleep (@lock)
 */
struct simgpu_engine {
	struct simgpu *gpu;
	unsigned int id;
	spinlock_t lock;	/* queue state; see above */
	struct list_head queue;
	struct simgpu_ctx *current_ctx;
	struct simgpu_regs regs;
	struct delayed_work work;
	wait_queue_head_t idle;
	bool running;
	u64 slices;
	u64 busy_ns;
	u64 switches;
	u64 switch_ns;
	bool suspended;
	u64 suspends;
};

/**
 * struct simgpu_fault - one entry of the fault log
 * @addr: the address that did not translate
 * @engine: engine of the faulting context
 * @ggtt: whether it was a GGTT address
 */
struct simgpu_fault {
	u64 addr;
	u32 engine;
	bool ggtt;
};

/**
 * struct simgpu - one simulated GPU
 * @base: what the owner holds (pgpu.h): simgpu's pgpu_ops
 * @name: its name (simgpuN)
 * @params: its shape
 * @ggtt: one entry per GM page (READ_ONCE/WRITE_ONCE: the owner writes
 *	while engines read)
 * @fences: fence registers (@fence_lock)
 * @fence_lock: protects @fences
 * @engines: its engines
 * @fault_lock: protects @faults and @nr_faults
 * @faults: the last SIMGPU_FAULT_LOG faults, a ring
 * @nr_faults: faults ever logged
 * @native_base: GM from here up is the native runner's, not the owner's
 * @debugfs: its debugfs directory
 * @native: the native workload runner's state (simgpu_debugfs.c)
 */
struct simgpu {
	struct pgpu base;
	char name[16];
	struct simgpu_params params;
	u64 *ggtt;
	struct pgpu_fence *fences;
	struct mutex fence_lock;	/* protects @fences */
	struct simgpu_engine engines[SIMGPU_NUM_ENGINES];
	spinlock_t fault_lock;	/* protects the fault log */
	struct simgpu_fault faults[SIMGPU_FAULT_LOG];
	u64 nr_faults;
	u64 native_base;
	struct dentry *debugfs;
	void *native;
};

/* simgpu_mem.c */

/**
 * struct simgpu_as - an address space as one command sees it, with a
 * one-entry translation cache
 * @gpu: the GPU
 * @ppgtt_root: top-level page table, 0 for the GGTT
 * @tlb_va: cached page address, or ~0
 * @tlb_pa: its translation
 */
struct simgpu_as {
	struct simgpu *gpu;
	u64 ppgtt_root;
	u64 tlb_va;
	u64 tlb_pa;
};

void simgpu_as_init(struct simgpu_as *as, struct simgpu *gpu, u64 ppgtt_root);
int simgpu_translate(struct simgpu_as *as, u64 addr, u64 *pa);
int simgpu_mem_rw(struct simgpu_as *as, u64 addr, void *buf, size_t len, bool write);
int simgpu_mem_fill(struct simgpu_as *as, u64 addr, u32 pattern, unsigned int cpp,
		    size_t len);
int simgpu_mem_copy(struct simgpu_as *dst_as, u64 dst, struct simgpu_as *src_as,
		    u64 src, size_t len);
void simgpu_log_fault(struct simgpu *gpu, u32 engine, u64 addr, bool ggtt);

/* simgpu_cmd.c */

/**
 * enum simgpu_slice_end - why a slice stopped
 * @SIMGPU_SLICE_DONE: the ring drained
 * @SIMGPU_SLICE_YIELD: the budget ran out; more work remains
 * @SIMGPU_SLICE_WAIT: a semaphore is not satisfied yet
 * @SIMGPU_SLICE_FAULT: an address did not translate
 * @SIMGPU_SLICE_ERROR: a malformed command
 */
enum simgpu_slice_end {
	SIMGPU_SLICE_DONE,
	SIMGPU_SLICE_YIELD,
	SIMGPU_SLICE_WAIT,
	SIMGPU_SLICE_FAULT,
	SIMGPU_SLICE_ERROR,
};

/**
 * struct simgpu_slice - one slice of execution on an engine
 * @engine: the engine (its registers are the context's)
 * @ctx: the context
 * @max_cmds: command budget
 * @max_bytes: byte budget
 * @cmds: commands executed
 * @bytes: bytes moved
 * @events: SIMGPU_EVENT_* raised
 * @fault_addr: the failing address on SIMGPU_SLICE_FAULT
 */
struct simgpu_slice {
	struct simgpu_engine *engine;
	struct simgpu_ctx *ctx;
	u64 max_cmds;
	u64 max_bytes;
	u64 cmds;
	u64 bytes;
	u32 events;
	u64 fault_addr;
};

enum simgpu_slice_end simgpu_run_slice(struct simgpu_slice *slice);
const char *simgpu_decode(u32 header, u32 *len);

/* simgpu_mem.c: the memory side of pgpu_ops */
int simgpu_ggtt_write(struct simgpu *gpu, u64 index, u64 pte);
u64 simgpu_ggtt_read(struct simgpu *gpu, u64 index);
int simgpu_fence_write(struct simgpu *gpu, u32 n, const struct pgpu_fence *fence);
int simgpu_fence_read(struct simgpu *gpu, u32 n, struct pgpu_fence *fence);
int simgpu_aperture_rw(struct simgpu *gpu, u64 offset, void *buf, size_t len, bool write);
int simgpu_gm_rw(struct simgpu *gpu, u64 ppgtt_root, u64 addr, void *buf, size_t len, bool write);

/* simgpu_engine.c: contexts, the engine side of pgpu_ops */
struct simgpu_ctx *simgpu_ctx_create(struct simgpu *gpu, const struct pgpu_ctx_desc *desc);
void simgpu_ctx_destroy(struct simgpu_ctx *ctx);
int simgpu_ctx_submit(struct simgpu_ctx *ctx, u32 tail);
int simgpu_ctx_reset(struct simgpu_ctx *ctx);
void simgpu_ctx_hold(struct simgpu_ctx *ctx);
void simgpu_ctx_resume(struct simgpu_ctx *ctx);
void simgpu_ctx_get_stats(struct simgpu_ctx *ctx, struct pgpu_ctx_stats *stats);
void simgpu_sync(struct simgpu *gpu);
int simgpu_suspend(struct simgpu *gpu);
void simgpu_resume(struct simgpu *gpu);
void simgpu_engine_init(struct simgpu *gpu, unsigned int id);
void simgpu_engine_fini(struct simgpu_engine *engine);
bool simgpu_engine_idle(struct simgpu_engine *engine);

/* simgpu_pgpu.c */
extern const struct pgpu_ops simgpu_pgpu_ops;

/* simgpu_main.c */
struct simgpu *simgpu_create(const struct simgpu_params *params, const char *name);
void simgpu_destroy(struct simgpu *gpu);
struct workqueue_struct *simgpu_wq(void);
void simgpu_get_info(struct simgpu *gpu, struct pgpu_info *info);

/* simgpu_debugfs.c */
void simgpu_debugfs_init(struct simgpu *gpu, struct dentry *root);
void simgpu_debugfs_fini(struct simgpu *gpu);

#endif /* _SIMGPU_H */
