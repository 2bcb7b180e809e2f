/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu: mediated vGPUs on a physical GPU (include/mvgpu/pgpu.h).
 *
 * mvgpu_res.c   vGPU types and the partitioning of GM and fences
 * mvgpu_cfg.c   PCI config space
 * mvgpu_mmio.c  the MMIO register file and the PVINFO page
 * mvgpu_gtt.c   GTT shadowing and the cache of pinned guest pages
 * mvgpu_ppgtt.c shadows of guest contexts' per-process page tables
 * mvgpu_scan.c  the command scanner and the shadow copies of workloads
 * mvgpu_sched.c the scheduling policy of an engine (weights, caps)
 * mvgpu_submit.c the guest's submission ports, status buffers, failsafe
 * mvgpu_dispatch.c the engines' dispatchers: run workloads on the GPU
 * mvgpu_vfio.c  the mdev parent and the VFIO device (all vfio/mdev glue)
 * mvgpu_main.c  module init: one mdev parent per physical GPU
 */
#ifndef _MVGPU_H
#define _MVGPU_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <mvgpu/pgpu.h>
#include <mvgpu/simgpu.h>
#include <mvgpu/vgpu.h>
#include <mvgpu/vpci.h>

#define MVGPU_MAX_TYPES		4
#define MVGPU_MAX_VGPUS		64

/**
 * struct mvgpu_space - a range of a resource, handed out in pieces
 * @start: first unit
 * @end: one past the last unit
 * @nr_used: pieces in @used
 * @used: handed-out pieces, sorted by start: { start, size }
 */
struct mvgpu_space {
	u64 start;
	u64 end;
	unsigned int nr_used;
	struct { u64 start, size; } used[MVGPU_MAX_VGPUS];
};

/**
 * struct mvgpu_type_res - what one vGPU of a type gets
 * @low: low GM (aperture) bytes, a power of two
 * @high: high GM bytes
 * @fences: fence registers
 * @weight: scheduling weight
 * @xres: display width at power-on (the EDID's preferred mode)
 * @yres: display height at power-on
 * @max_xres: widest mode the pipe scans out
 * @max_yres: tallest mode the pipe scans out
 */
struct mvgpu_type_res {
	u64 low;
	u64 high;
	u32 fences;
	u32 weight;
	u32 xres;
	u32 yres;
	u32 max_xres;
	u32 max_yres;
};

/**
 * struct mvgpu_alloc - the resources one vGPU holds
 * @low_base: GM address of its low GM
 * @low_size: bytes
 * @high_base: GM address of its high GM
 * @high_size: bytes
 * @fence_base: first physical fence register
 * @fence_count: fence registers
 */
struct mvgpu_alloc {
	u64 low_base;
	u64 low_size;
	u64 high_base;
	u64 high_size;
	u32 fence_base;
	u32 fence_count;
};

/**
 * struct mvgpu_res - a GPU's resources left for vGPUs, after the host's
 * @low: low GM addresses
 * @high: high GM addresses
 * @fence: fence register numbers
 */
struct mvgpu_res {
	struct mvgpu_space low;
	struct mvgpu_space high;
	struct mvgpu_space fence;
};

/* The host keeps this much for itself, as GVT-g does. */
#define MVGPU_HOST_LOW		(128ULL << 20)
#define MVGPU_HOST_HIGH		(384ULL << 20)
#define MVGPU_HOST_FENCES	4

/**
 * struct mvgpu_counters - what a vGPU's guest did, for debugfs
 * @mmio_reads: MMIO reads (BAR0 and BAR4)
 * @mmio_writes: MMIO writes
 * @unknown_reads: reads of unimplemented registers
 * @unknown_writes: writes to unimplemented or read-only registers
 * @bad_fences: fence programs refused
 * @g2v: guest-to-host notifications handled
 * @gtt_writes: GTT entry writes
 * @gtt_dropped: GTT entry writes for GM the vGPU does not own
 * @gtt_pin_failed: GTT entries whose guest page could not be pinned
 * @pins: guest pages pinned now
 */
struct mvgpu_counters {
	u64 mmio_reads;
	u64 mmio_writes;
	u64 unknown_reads;
	u64 unknown_writes;
	u64 bad_fences;
	u64 g2v;
	u64 gtt_writes;
	u64 gtt_dropped;
	u64 gtt_pin_failed;
	u64 pins;
};

/**
 * struct mvgpu_sched_entity - a vGPU as the policy of one engine sees it
 * @node: on the policy's list
 * @weight: share relative to the others, 1..MVGPU_MAX_WEIGHT
 * @cap: most percent of each balance period it may use, 0 for no cap
 * @busy: it has work
 * @vtime: weighted virtual time: engine time * scale / weight
 * @period_used: engine time used in the current balance period
 * @used_ns: engine time charged in all
 * @share_permille: its share of the last balance period
 */
struct mvgpu_sched_entity {
	struct list_head node;
	u32 weight;
	u32 cap;
	bool busy;
	u64 vtime;
	u64 period_used;
	u64 used_ns;
	u32 share_permille;
};

#define MVGPU_MAX_WEIGHT	100

/**
 * struct mvgpu_sched - the scheduling policy of one engine
 * @entities: the vGPUs
 * @slice_ns: longest run between two decisions
 * @period_ns: balance period
 * @period_start: when the current balance period started
 * @min_vtime: the least virtual time of the runnable vGPUs, as last seen;
 *	it only moves forward
 */
struct mvgpu_sched {
	struct list_head entities;
	u64 slice_ns;
	u64 period_ns;
	u64 period_start;
	u64 min_vtime;
};

void mvgpu_sched_init(struct mvgpu_sched *s, u64 slice_ns, u64 period_ns, u64 now);
void mvgpu_sched_add(struct mvgpu_sched *s, struct mvgpu_sched_entity *e, u32 weight);
void mvgpu_sched_remove(struct mvgpu_sched *s, struct mvgpu_sched_entity *e);
void mvgpu_sched_set_busy(struct mvgpu_sched *s, struct mvgpu_sched_entity *e, bool busy);
void mvgpu_sched_set_weight(struct mvgpu_sched_entity *e, u32 weight);
struct mvgpu_sched_entity *mvgpu_sched_pick(struct mvgpu_sched *s, u64 now);
u64 mvgpu_sched_budget(const struct mvgpu_sched *s, const struct mvgpu_sched_entity *e);
u64 mvgpu_sched_next_period(const struct mvgpu_sched *s);
void mvgpu_sched_charge(struct mvgpu_sched *s, struct mvgpu_sched_entity *e, u64 ns);

/**
 * struct mvgpu_scan_segment - a batch reached by a workload
 * @addr: its guest address
 * @ggtt: whether that is a GM address (else per-process)
 * @level: 1 or 2
 * @patch: the shadow batch start command to point at its shadow copy
 */
struct mvgpu_scan_segment {
	u64 addr;
	bool ggtt;
	unsigned int level;
	u32 *patch;
};

/**
 * struct mvgpu_scan - a workload to check, and its shadow
 * @engine: the engine it is for
 * @ppgtt: its context has per-process page tables
 * @gm: the vGPU's GM: GGTT operands must lie in it
 * @read: reads @dwords of guest memory at @addr (GM if @ggtt), or fails
 * @priv: for @read
 * @ring: the shadow ring commands
 * @ring_max: room in @ring, dwords
 * @batch: the shadow batches
 * @batch_max: room in @batch, dwords
 * @batch_gm: the GM address @batch will be at when the engine runs it
 * @ring_len: dwords of @ring used
 * @batch_len: dwords of @batch used
 * @segments: batches found
 * @nr_segments: how many
 * @reason: why the workload was refused
 * @bad_offset: where: ring byte offset, or guest address in a batch
 */
struct mvgpu_scan {
	unsigned int engine;
	bool ppgtt;
	const struct mvgpu_alloc *gm;
	int (*read)(struct mvgpu_scan *sc, u64 addr, bool ggtt, u32 *buf, u32 dwords);
	void *priv;
	u32 *ring;
	u32 ring_max;
	u32 *batch;
	u32 batch_max;
	u64 batch_gm;
	u32 ring_len;
	u32 batch_len;
	struct mvgpu_scan_segment segments[MVGPU_MAX_BATCH_SEGMENTS];
	unsigned int nr_segments;
	const char *reason;
	u64 bad_offset;
};

bool mvgpu_scan_knows(u32 header);
int mvgpu_scan_workload(struct mvgpu_scan *sc, const u32 *cmds, u32 n);

struct mvgpu_dispatch;
struct mvgpu_workload;

/**
 * struct mvgpu_engine_stats - a vGPU's use of one engine
 * @busy_ns: engine time its workloads used
 * @workloads: workloads that ended (completed or failed)
 * @switches: times it got the engine from another vGPU or idle
 * @hangs: workloads the watchdog stopped
 * @errors: workloads that ended in an error
 */
struct mvgpu_engine_stats {
	u64 busy_ns;
	u64 workloads;
	u64 switches;
	u64 hangs;
	u64 errors;
};

/**
 * struct mvgpu_vgpu_engine - one vGPU's side of one engine
 * @vgpu: the vGPU
 * @d: the engine's dispatcher
 * @id: SIMGPU_ENGINE_*
 * @ent: the vGPU in the engine's policy (d->lock)
 * @queue: workloads not finished, oldest first (d->lock)
 * @done: finished workloads not yet reported (d->lock)
 * @pending: workloads on @queue (d->lock)
 * @stats: counters (d->lock)
 * @shadow_gm: host GM of its shadow ring and batches
 * @shadow: their memory, mapped
 * @shadow_pages: its pages
 * @user_irq: a workload raised MI_USER_INTERRUPT (d->lock)
 * @csb: the context status buffer (vGPU lock)
 * @csb_count: entries ever written (vGPU lock)
 * @submit_lo: low half of a descriptor being written (vGPU lock)
 */
struct mvgpu_vgpu_engine {
	struct mvgpu_vgpu *vgpu;
	struct mvgpu_dispatch *d;
	unsigned int id;
	struct mvgpu_sched_entity ent;
	struct list_head queue;
	struct list_head done;
	unsigned int pending;
	struct mvgpu_engine_stats stats;
	u64 shadow_gm;
	u32 *shadow;
	struct page **shadow_pages;
	bool user_irq;
	u32 csb[MVGPU_CSB_ENTRIES][2];
	u32 csb_count;
	u32 submit_lo;
};

/**
 * struct mvgpu_workload - one submission of a guest context
 * @node: on ve->queue, then on ve->done (d->lock)
 * @ve: the vGPU's side of the engine
 * @ctx_id: the descriptor's tag, for the CSB
 * @image: GM address of the context image
 * @tail: the ring tail: the head once it completes
 * @ring: the shadow ring: checked commands between a prologue that
 *	restores the context's registers and an epilogue that saves them
 * @ring_len: dwords of @ring
 * @batch: the shadow batches
 * @batch_len: dwords of @batch
 * @ppgtt: the shadow of its page tables, or NULL
 * @ctx: the hardware context running it, once started (d->lock)
 * @events: PGPU_EVENT_* not yet handled (set by the event callback)
 * @state: MVGPU_CSB_* it reached (d->lock)
 * @reported: MVGPU_CSB_* written to the CSB (d->lock)
 * @error: MVGPU_ERR_* when it failed (d->lock)
 * @busy_ns: engine time it used (d->lock)
 */
struct mvgpu_workload {
	struct list_head node;
	struct mvgpu_vgpu_engine *ve;
	u32 ctx_id;
	u64 image;
	u32 tail;
	u32 *ring;
	u32 ring_len;
	u32 *batch;
	u32 batch_len;
	struct mvgpu_ppgtt *ppgtt;
	struct pgpu_ctx *ctx;
	atomic_t events;
	u32 state;
	u32 reported;
	u32 error;
	u64 busy_ns;
};

/* A vGPU's shadow area per engine: the ring, then the batches */
#define MVGPU_SHADOW_RING	SZ_64K
#define MVGPU_SHADOW_SIZE	(MVGPU_SHADOW_RING + MVGPU_MAX_BATCH_BYTES)
#define MVGPU_SHADOW_SLOT	SZ_512K
/* violations (refused workloads) after which a vGPU goes into failsafe mode */
#define MVGPU_FAILSAFE_VIOLATIONS	3

/**
 * struct mvgpu_plane_regs - a display plane's double-buffered registers
 * @ctl: MVGPU_PLANE_ENABLE | MVGPU_FMT_*
 * @stride: bytes from one line to the next
 * @size: width 15:0, height 31:16
 * @surf: GM address of the surface
 */
struct mvgpu_plane_regs {
	u32 ctl;
	u32 stride;
	u32 size;
	u32 surf;
};

#define MVGPU_EDID_BLOCK	128

/**
 * struct mvgpu_display - a vGPU's display engine and its monitor
 * @pipe_conf: PIPE_CONF as written (MVGPU_PIPE_ENABLE)
 * @pipe_src: the mode, width 15:0, height 31:16
 * @active: the pipe scans out: frames count and the timer runs
 * @start_ns: when it came on; frame n begins at start_ns + n frames
 * @frame: frames begun since then (vblanks)
 * @plane: the primary plane's registers as written (armed)
 * @live: the primary plane's registers scanned out
 * @flip_armed: @plane waits for the next vblank to become @live
 * @cur_ctl: cursor control
 * @cur_base: cursor GM address
 * @cur_pos: cursor position, signed x 15:0, y 31:16
 * @cur_hot: cursor hotspot
 * @hotplug: MVGPU_HOTPLUG_*
 * @edid: the monitor's EDID
 * @edid_size: its bytes
 * @plane_errors: plane queries that found an invalid plane
 * @vblanks: frames scanned out since the vGPU was created
 */
struct mvgpu_display {
	u32 pipe_conf;
	u32 pipe_src;
	bool active;
	u64 start_ns;
	u64 frame;
	struct mvgpu_plane_regs plane;
	struct mvgpu_plane_regs live;
	bool flip_armed;
	u32 cur_ctl;
	u32 cur_base;
	u32 cur_pos;
	u32 cur_hot;
	u32 hotplug;
	u8 edid[MVGPU_DISP_EDID_MAX];
	u32 edid_size;
	u64 plane_errors;
	u64 vblanks;
};

/**
 * struct mvgpu_plane - what a display plane scans out, checked
 * @drm_format: DRM_FORMAT_*
 * @cpp: bytes per pixel of @drm_format
 * @width: pixels
 * @height: lines
 * @stride: bytes from one line to the next
 * @size: bytes of the surface (@stride * @height)
 * @gm: GM address of the surface, in the vGPU's own GM
 * @x: cursor position (0 for the primary plane)
 * @y: cursor position
 * @hot_x: cursor hotspot
 * @hot_y: cursor hotspot
 */
struct mvgpu_plane {
	u32 drm_format;
	u32 cpp;
	u32 width;
	u32 height;
	u32 stride;
	u64 size;
	u64 gm;
	s32 x;
	s32 y;
	u32 hot_x;
	u32 hot_y;
};

/**
 * struct mvgpu_timing - a display mode's timing
 * @clock_khz: pixel clock
 * @hactive: visible pixels of a line
 * @htotal: pixels of a line, blanking included
 * @hfront: front porch
 * @hsync: sync width
 * @vactive: visible lines
 * @vtotal: lines, blanking included
 * @vfront: front porch, lines
 * @vsync: sync width, lines
 */
struct mvgpu_timing {
	u32 clock_khz;
	u32 hactive;
	u32 htotal;
	u32 hfront;
	u32 hsync;
	u32 vactive;
	u32 vtotal;
	u32 vfront;
	u32 vsync;
};

struct mvgpu_vgpu;

/**
 * struct mvgpu_vgpu_ops - what the device model calls back in its glue
 * @update_irq: the interrupt line may have changed
 * @pin: pin a guest page: 0 or -errno; may drop and retake the glue's lock
 * @unpin: unpin it; called without the glue's lock
 * @aperture_changed: the GGTT entry behind aperture page @slot changed
 *	(optional)
 * @kick_retire: call mvgpu_submit_retire() soon, with the glue's lock
 *	held; called by dispatchers, which hold no vGPU lock
 * @now: the clock of the display, in ns
 * @display_timer: call mvgpu_display_vblank() at @at_ns on @now's clock,
 *	instead of any earlier request; 0 cancels
 */
struct mvgpu_vgpu_ops {
	void (*update_irq)(struct mvgpu_vgpu *vgpu);
	int (*pin)(struct mvgpu_vgpu *vgpu, u64 gfn, struct page **page);
	void (*unpin)(struct mvgpu_vgpu *vgpu, u64 gfn);
	void (*aperture_changed)(struct mvgpu_vgpu *vgpu, u64 slot);
	void (*kick_retire)(struct mvgpu_vgpu *vgpu);
	u64 (*now)(struct mvgpu_vgpu *vgpu);
	void (*display_timer)(struct mvgpu_vgpu *vgpu, u64 at_ns);
};

/**
 * struct mvgpu_vgpu - the device model of one vGPU
 * @gpu: the physical GPU
 * @id: its number on the parent
 * @type: its type's resources
 * @alloc: the resources it holds
 * @cfg: config space
 * @iir: interrupt identity (write 1 to clear)
 * @imr: interrupt mask
 * @ier: interrupt enable
 * @fences: the guest's fence registers, MVGPU_FENCE_* u32 words each
 * @display: the display engine
 * @counters: counters
 * @gtt: the guest's view of its GTT entries: low GM pages, then high
 * @pins: pinned guest pages by guest page number (struct mvgpu_pin)
 * @dead_pins: pins no entry uses, to unpin (mvgpu_gtt_release_pins())
 * @ops: the glue's hooks
 * @engines: its side of each engine
 * @scan: the scanner's state and buffers for its next workload
 * @ppgtts: shadows of page tables, built or being built (vGPU lock)
 * @reset_seq: counts resets of its submission state
 * @failsafe: it accepts no more work until reset
 * @failsafe_ppgtt: the violation that put it there was its page tables'
 * @violations: violations (workloads refused by the scanner or for their
 *	page tables) since the last reset
 * @scan_rejects: workloads the scanner refused
 * @ppgtt_rejects: workloads refused because their page tables could not
 *	be shadowed
 * @last_reject: why the last one was refused
 *
 * The vfio glue serialises every call into the device model.
 */
struct mvgpu_vgpu {
	struct pgpu *gpu;
	unsigned int id;
	const struct mvgpu_type_res *type;
	struct mvgpu_alloc alloc;
	struct mvgpu_vpci_cfg cfg;
	u32 iir;
	u32 imr;
	u32 ier;
	u32 (*fences)[4];
	struct mvgpu_display display;
	struct mvgpu_counters counters;
	u64 *gtt;
	struct xarray pins;
	struct list_head dead_pins;
	const struct mvgpu_vgpu_ops *ops;
	struct mvgpu_vgpu_engine engines[MVGPU_NUM_ENGINES];
	struct mvgpu_scan *scan;
	struct list_head ppgtts;
	u32 reset_seq;
	bool failsafe;
	bool failsafe_ppgtt;
	u32 violations;
	u64 scan_rejects;
	u64 ppgtt_rejects;
	const char *last_reject;
};

int mvgpu_res_init(struct mvgpu_res *res, const struct pgpu_info *info);
int mvgpu_types_init(const struct pgpu_info *info, struct mvgpu_type_res *types,
		     unsigned int *nr_types);
int mvgpu_res_reserve(struct mvgpu_res *res, const struct mvgpu_type_res *t,
		      struct mvgpu_alloc *a);
void mvgpu_res_release(struct mvgpu_res *res, const struct mvgpu_alloc *a);
unsigned int mvgpu_res_available(const struct mvgpu_res *res, const struct mvgpu_type_res *t);

/* mvgpu_cfg.c */
u64 mvgpu_bar0_size(struct pgpu *gpu);
void mvgpu_cfg_init(struct mvgpu_vpci_cfg *cfg, u64 bar0_size, u64 bar2_size);
bool mvgpu_cfg_flr(u64 off, const u8 *buf, size_t len);

/* mvgpu_mmio.c */
void mvgpu_mmio_reset(struct mvgpu_vgpu *vgpu);
int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf, unsigned int len);
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf, unsigned int len);
bool mvgpu_irq_pending(const struct mvgpu_vgpu *vgpu);
void mvgpu_raise(struct mvgpu_vgpu *vgpu, u32 bits);

/* mvgpu_display.c, mvgpu_edid.c */
void mvgpu_display_reset(struct mvgpu_vgpu *vgpu);
void mvgpu_display_monitor_reset(struct mvgpu_vgpu *vgpu);
bool mvgpu_display_reg_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val);
bool mvgpu_display_reg_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val);
void mvgpu_display_vblank(struct mvgpu_vgpu *vgpu);
int mvgpu_display_plane(struct mvgpu_vgpu *vgpu, bool cursor, struct mvgpu_plane *p);
void mvgpu_display_set_edid(struct mvgpu_vgpu *vgpu, const u8 *edid, u32 size, bool connected);
void mvgpu_cvt_rb(u32 w, u32 h, struct mvgpu_timing *t);
void mvgpu_edid_build(u8 *edid, u32 w, u32 h, u32 max_w, u32 max_h);

/* mvgpu_gtt.c */
int mvgpu_gtt_init(struct mvgpu_vgpu *vgpu);
int mvgpu_gtt_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf, unsigned int len);
int mvgpu_gtt_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf, unsigned int len);
void mvgpu_gtt_unmap_gfns(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count);
void mvgpu_gtt_release_pins(struct mvgpu_vgpu *vgpu, struct list_head *dead);
void mvgpu_gtt_reset(struct mvgpu_vgpu *vgpu);
void mvgpu_gtt_fini(struct mvgpu_vgpu *vgpu);

bool mvgpu_gm_owned(const struct mvgpu_vgpu *vgpu, u64 start, u64 end);
int mvgpu_gm_rw(struct mvgpu_vgpu *vgpu, u64 addr, void *buf, size_t len, bool write);
int mvgpu_gm_pages(struct mvgpu_vgpu *vgpu, u64 gm, unsigned int nr, struct page **pages);
struct page *mvgpu_pin_get(struct mvgpu_vgpu *vgpu, u64 gfn);
void mvgpu_pin_put(struct mvgpu_vgpu *vgpu, u64 gfn);

/* mvgpu_ppgtt.c */
struct mvgpu_ppgtt;
int mvgpu_ppgtt_build(struct mvgpu_vgpu *vgpu, u64 root, struct mvgpu_ppgtt **out);
void mvgpu_ppgtt_free(struct mvgpu_vgpu *vgpu, struct mvgpu_ppgtt *pt);
u64 mvgpu_ppgtt_root(const struct mvgpu_ppgtt *pt);
int mvgpu_ppgtt_read(struct mvgpu_vgpu *vgpu, const struct mvgpu_ppgtt *pt, u64 va, void *buf,
		     size_t len);
bool mvgpu_ppgtt_uses(const struct mvgpu_ppgtt *pt, u64 gfn, u64 count);
void mvgpu_ppgtt_unmap_gfns(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count);

/* mvgpu_submit.c */
int mvgpu_submit_init(struct mvgpu_vgpu *vgpu, struct mvgpu_dispatch **d);
void mvgpu_submit_fini(struct mvgpu_vgpu *vgpu);
void mvgpu_submit_reset(struct mvgpu_vgpu *vgpu);
bool mvgpu_submit_reg_read(struct mvgpu_vgpu *vgpu, u32 off, u32 *val);
bool mvgpu_submit_reg_write(struct mvgpu_vgpu *vgpu, u32 off, u32 val);
void mvgpu_submit_retire(struct mvgpu_vgpu *vgpu);
void mvgpu_submit_unmap(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count);
void mvgpu_csb_push(struct mvgpu_vgpu_engine *ve, u32 event, u32 ctx_id);
unsigned int mvgpu_csb_owed(u32 state, u32 reported, u32 error, u32 *events);

/* mvgpu_dispatch.c */
struct mvgpu_dispatch *mvgpu_dispatch_create(struct pgpu *gpu, unsigned int engine);
void mvgpu_dispatch_destroy(struct mvgpu_dispatch *d);
void mvgpu_dispatch_suspend(struct mvgpu_dispatch *d);
void mvgpu_dispatch_resume(struct mvgpu_dispatch *d);
void mvgpu_dispatch_attach(struct mvgpu_vgpu_engine *ve, u32 weight);
void mvgpu_dispatch_detach(struct mvgpu_vgpu_engine *ve);
void mvgpu_dispatch_queue(struct mvgpu_workload *w);
void mvgpu_dispatch_lock(struct mvgpu_dispatch *d);
void mvgpu_dispatch_unlock(struct mvgpu_dispatch *d);
void mvgpu_workload_free(struct mvgpu_workload *w);
void mvgpu_dispatch_cancel(struct mvgpu_vgpu_engine *ve);
void mvgpu_dispatch_kill(struct mvgpu_vgpu_engine *ve, u64 gfn, u64 count);
void mvgpu_dispatch_set(struct mvgpu_vgpu_engine *ve, u32 weight, u32 cap);
void mvgpu_dispatch_get(struct mvgpu_vgpu_engine *ve, struct mvgpu_engine_stats *stats,
			u32 *pending, u32 *share_permille, u32 *weight, u32 *cap);

/* mvgpu_vfio.c */
int mvgpu_vdisplay_check_params(void);
int mvgpu_vfio_init(void);
void mvgpu_vfio_exit(void);

#endif /* _MVGPU_H */
