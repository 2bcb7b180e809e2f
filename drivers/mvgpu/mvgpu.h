/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvgpu: mediated vGPUs on a physical GPU (include/mvgpu/pgpu.h).
 *
 * mvgpu_res.c   vGPU types and the partitioning of GM and fences
 * mvgpu_cfg.c   PCI config space
 * mvgpu_mmio.c  the MMIO register file and the PVINFO page
 * mvgpu_gtt.c   GTT shadowing and the cache of pinned guest pages
 * mvgpu_vfio.c  the mdev parent and the VFIO device (all vfio/mdev glue)
 * mvgpu_main.c  module init: one mdev parent per physical GPU
 */
#ifndef _MVGPU_H
#define _MVGPU_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <mvgpu/pgpu.h>

#define MVGPU_MAX_TYPES		4
#define MVGPU_MAX_VGPUS		64
#define MVGPU_CFG_SIZE		256

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
 * @xres: display width
 * @yres: display height
 */
struct mvgpu_type_res {
	u64 low;
	u64 high;
	u32 fences;
	u32 weight;
	u32 xres;
	u32 yres;
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
 * struct mvgpu_cfg - PCI config space and what writes may change
 * @data: the registers
 * @wmask: bits a write sets or clears
 * @w1c: bits a write of 1 clears
 */
struct mvgpu_cfg {
	u8 data[MVGPU_CFG_SIZE];
	u8 wmask[MVGPU_CFG_SIZE];
	u8 w1c[MVGPU_CFG_SIZE];
};

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
 * @counters: counters
 * @gtt: the guest's view of its GTT entries: low GM pages, then high
 * @pins: pinned guest pages by guest page number (struct mvgpu_pin)
 * @dead_pins: pins no entry uses, to unpin (mvgpu_gtt_release_pins())
 * @update_irq: the glue's hook, called when the interrupt line may change
 * @pin: the glue's hook to pin a guest page (returns 0 or -errno); it
 *	may drop and retake the glue's lock
 * @unpin: the glue's hook to unpin it, called without the glue's lock
 * @aperture_changed: the glue's hook, called when the GGTT entry behind
 *	aperture page @slot changed
 *
 * The vfio glue serialises every call into the device model.
 */
struct mvgpu_vgpu {
	struct pgpu *gpu;
	unsigned int id;
	const struct mvgpu_type_res *type;
	struct mvgpu_alloc alloc;
	struct mvgpu_cfg cfg;
	u32 iir;
	u32 imr;
	u32 ier;
	u32 (*fences)[4];
	struct mvgpu_counters counters;
	u64 *gtt;
	struct xarray pins;
	struct list_head dead_pins;
	void (*update_irq)(struct mvgpu_vgpu *vgpu);
	int (*pin)(struct mvgpu_vgpu *vgpu, u64 gfn, struct page **page);
	void (*unpin)(struct mvgpu_vgpu *vgpu, u64 gfn);
	void (*aperture_changed)(struct mvgpu_vgpu *vgpu, u64 slot);
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
void mvgpu_cfg_init(struct mvgpu_cfg *cfg, u64 bar0_size, u64 bar2_size);
bool mvgpu_cfg_write(struct mvgpu_cfg *cfg, unsigned int off, u8 val);
u16 mvgpu_cfg_command(const struct mvgpu_cfg *cfg);
void mvgpu_cfg_set_intx_status(struct mvgpu_cfg *cfg, bool pending);

/* mvgpu_mmio.c */
void mvgpu_mmio_reset(struct mvgpu_vgpu *vgpu);
int mvgpu_mmio_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf, unsigned int len);
int mvgpu_mmio_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf, unsigned int len);
bool mvgpu_irq_pending(const struct mvgpu_vgpu *vgpu);
void mvgpu_raise(struct mvgpu_vgpu *vgpu, u32 bits);

/* mvgpu_gtt.c */
int mvgpu_gtt_init(struct mvgpu_vgpu *vgpu);
int mvgpu_gtt_write(struct mvgpu_vgpu *vgpu, u64 off, const void *buf, unsigned int len);
int mvgpu_gtt_read(struct mvgpu_vgpu *vgpu, u64 off, void *buf, unsigned int len);
void mvgpu_gtt_unmap_gfns(struct mvgpu_vgpu *vgpu, u64 gfn, u64 count);
void mvgpu_gtt_release_pins(struct mvgpu_vgpu *vgpu, struct list_head *dead);
void mvgpu_gtt_reset(struct mvgpu_vgpu *vgpu);
void mvgpu_gtt_fini(struct mvgpu_vgpu *vgpu);

/* mvgpu_vfio.c */
int mvgpu_vfio_init(void);
void mvgpu_vfio_exit(void);

#endif /* _MVGPU_H */
