// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu: mediated vGPUs. Loading it shares every physical GPU (today the
 * simulated ones of simgpu, which it loads) between virtual machines.
 */
#include <linux/module.h>

#include "mvgpu.h"

static int __init mvgpu_init(void)
{
	int ret = mvgpu_vdisplay_check_params();

	return ret ?: mvgpu_vfio_init();
}

static void __exit mvgpu_exit(void)
{
	mvgpu_vfio_exit();
}

module_init(mvgpu_init);
module_exit(mvgpu_exit);

/* pgpu_count() and pgpu_get(), which the GPU backend exports for mvgpu alone */
MODULE_IMPORT_NS(MVGPU_PGPU);
MODULE_IMPORT_NS(MVGPU_VPCI);
/* dma-bufs of the display's planes */
MODULE_IMPORT_NS(DMA_BUF);
MODULE_LICENSE("GPL");
MODULE_VERSION(MVGPU_VERSION);
MODULE_DESCRIPTION("mvgpu: mediated virtual GPUs");
MODULE_AUTHOR("The mvgpu developers");
