// SPDX-License-Identifier: GPL-2.0-only
/*
 * simgpu: module parameters and GPU instances.
 */
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "simgpu.h"

static unsigned int gpus = 1;
module_param(gpus, uint, 0444);
MODULE_PARM_DESC(gpus, "Simulated GPUs to create (0-8, default 1)");

static unsigned int gm_size_mb = 4096;
module_param(gm_size_mb, uint, 0444);
MODULE_PARM_DESC(gm_size_mb, "Graphics memory per GPU in MiB (256-65536, default 4096)");

static unsigned int aperture_mb = 512;
module_param(aperture_mb, uint, 0444);
MODULE_PARM_DESC(aperture_mb, "Low GM (CPU aperture) in MiB, at most gm_size_mb (default 512)");

static unsigned int fences = 32;
module_param(fences, uint, 0444);
MODULE_PARM_DESC(fences, "Fence registers per GPU (1-64, default 32)");

static unsigned int watchdog_ms = 500;
module_param(watchdog_ms, uint, 0444);
MODULE_PARM_DESC(watchdog_ms, "Engine time one submission may use (10-60000 ms, default 500)");

static unsigned int cost_ns_per_cmd;
module_param(cost_ns_per_cmd, uint, 0444);
MODULE_PARM_DESC(cost_ns_per_cmd, "Deterministic cost model: ns per command (0: measure time)");

static unsigned int cost_ns_per_kib;
module_param(cost_ns_per_kib, uint, 0444);
MODULE_PARM_DESC(cost_ns_per_kib, "Deterministic cost model: ns per KiB moved");

#define SIMGPU_MAX_GPUS 8

static struct workqueue_struct *simgpu_workqueue;
static struct dentry *simgpu_debugfs_root;
static struct simgpu *simgpu_gpus[SIMGPU_MAX_GPUS];

/**
 * simgpu_wq() - the workqueue engine workers run on
 *
 * Return: the workqueue.
 */
struct workqueue_struct *simgpu_wq(void)
{
	return simgpu_workqueue;
}

/**
 * simgpu_create() - create a simulated GPU
 * @params: its shape; sizes must be multiples of 4 KiB
 * @name: its name
 *
 * Return: the GPU, or ERR_PTR(-EINVAL) for a bad shape, ERR_PTR(-ENOMEM).
 */
struct simgpu *simgpu_create(const struct simgpu_params *params, const char *name)
{
	struct simgpu *gpu;
	unsigned int i;

	if (!params->gm_size || !IS_ALIGNED(params->gm_size, SIMGPU_PAGE_SIZE) ||
	    !IS_ALIGNED(params->aperture_size, SIMGPU_PAGE_SIZE) ||
	    params->aperture_size > params->gm_size || !params->nr_fences ||
	    !params->watchdog_ns)
		return ERR_PTR(-EINVAL);
	gpu = kzalloc(sizeof(*gpu), GFP_KERNEL);
	if (!gpu)
		return ERR_PTR(-ENOMEM);
	gpu->base.ops = &simgpu_pgpu_ops;
	gpu->params = *params;
	strscpy(gpu->name, name, sizeof(gpu->name));
	/* big GPUs keep their top for the native runner; small ones have none */
	gpu->native_base = params->gm_size;
	if (params->gm_size - params->aperture_size >= 2 * SIMGPU_NATIVE_GM)
		gpu->native_base -= SIMGPU_NATIVE_GM;
	gpu->ggtt = vzalloc(array_size(params->gm_size >> SIMGPU_PAGE_SHIFT, sizeof(u64)));
	gpu->fences = kcalloc(params->nr_fences, sizeof(*gpu->fences), GFP_KERNEL);
	if (!gpu->ggtt || !gpu->fences) {
		vfree(gpu->ggtt);
		kfree(gpu->fences);
		kfree(gpu);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&gpu->fence_lock);
	spin_lock_init(&gpu->fault_lock);
	for (i = 0; i < SIMGPU_NUM_ENGINES; i++)
		simgpu_engine_init(gpu, i);
	return gpu;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_create);

/**
 * simgpu_destroy() - free a GPU whose contexts are all destroyed
 * @gpu: the GPU
 */
void simgpu_destroy(struct simgpu *gpu)
{
	unsigned int i;

	for (i = 0; i < SIMGPU_NUM_ENGINES; i++)
		simgpu_engine_fini(&gpu->engines[i]);
	mutex_destroy(&gpu->fence_lock);
	kfree(gpu->fences);
	vfree(gpu->ggtt);
	kfree(gpu);
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_destroy);

/**
 * pgpu_count() - how many GPUs there are
 *
 * Return: the number of GPUs; they stay until simgpu is unloaded, which
 * its users (mvgpu) prevent by holding symbols of it.
 */
unsigned int pgpu_count(void)
{
	unsigned int n = 0;

	while (n < SIMGPU_MAX_GPUS && simgpu_gpus[n])
		n++;
	return n;
}
EXPORT_SYMBOL_NS_GPL(pgpu_count, MVGPU_PGPU);

/**
 * pgpu_get() - a GPU by index
 * @index: below pgpu_count()
 *
 * Return: the GPU, or NULL.
 */
struct pgpu *pgpu_get(unsigned int index)
{
	return index < SIMGPU_MAX_GPUS && simgpu_gpus[index] ? &simgpu_gpus[index]->base : NULL;
}
EXPORT_SYMBOL_NS_GPL(pgpu_get, MVGPU_PGPU);

/**
 * simgpu_get_info() - what a GPU offers
 * @gpu: the GPU
 * @info: filled in
 */
void simgpu_get_info(struct simgpu *gpu, struct pgpu_info *info)
{
	info->name = gpu->name;
	info->gm_size = gpu->native_base;
	info->aperture_size = gpu->params.aperture_size;
	info->nr_fences = gpu->params.nr_fences;
	info->nr_engines = SIMGPU_NUM_ENGINES;
}
EXPORT_SYMBOL_IF_KUNIT(simgpu_get_info);

static int simgpu_check_params(void)
{
	/* GM addresses are in 4 KiB pages, and so are the host's here */
	BUILD_BUG_ON(PAGE_SIZE != SIMGPU_PAGE_SIZE);
	if (gpus > SIMGPU_MAX_GPUS || gm_size_mb < 256 || gm_size_mb > 65536 ||
	    aperture_mb > gm_size_mb || !fences || fences > 64 ||
	    watchdog_ms < 10 || watchdog_ms > 60000) {
		pr_err("simgpu: a module parameter is out of range (see modinfo simgpu)\n");
		return -EINVAL;
	}
	return 0;
}

static void simgpu_remove_all(void)
{
	unsigned int i;

	for (i = 0; i < SIMGPU_MAX_GPUS; i++) {
		if (!simgpu_gpus[i])
			continue;
		simgpu_debugfs_fini(simgpu_gpus[i]);
		simgpu_destroy(simgpu_gpus[i]);
		simgpu_gpus[i] = NULL;
	}
}

static int __init simgpu_init(void)
{
	struct simgpu_params p = {
		.gm_size = (u64)gm_size_mb << 20,
		.aperture_size = (u64)aperture_mb << 20,
		.nr_fences = fences,
		.watchdog_ns = (u64)watchdog_ms * NSEC_PER_MSEC,
		.cost_ns_per_cmd = cost_ns_per_cmd,
		.cost_ns_per_kib = cost_ns_per_kib,
	};
	char name[24];
	unsigned int i;
	int ret;

	ret = simgpu_check_params();
	if (ret)
		return ret;
	simgpu_workqueue = alloc_workqueue("simgpu", WQ_UNBOUND, 0);
	if (!simgpu_workqueue)
		return -ENOMEM;
	simgpu_debugfs_root = debugfs_create_dir("simgpu", NULL);

	for (i = 0; i < gpus; i++) {
		snprintf(name, sizeof(name), "simgpu%u", i);
		simgpu_gpus[i] = simgpu_create(&p, name);
		if (IS_ERR(simgpu_gpus[i])) {
			ret = PTR_ERR(simgpu_gpus[i]);
			simgpu_gpus[i] = NULL;
			goto err_gpus;
		}
		simgpu_debugfs_init(simgpu_gpus[i], simgpu_debugfs_root);
		pr_info("simgpu: %s: %u MiB GM, %u MiB aperture, %u fences, %u engines\n",
			name, gm_size_mb, aperture_mb, fences, SIMGPU_NUM_ENGINES);
	}
	return 0;

err_gpus:
	simgpu_remove_all();
	debugfs_remove_recursive(simgpu_debugfs_root);
	destroy_workqueue(simgpu_workqueue);
	return ret;
}

static void __exit simgpu_exit(void)
{
	simgpu_remove_all();
	debugfs_remove_recursive(simgpu_debugfs_root);
	destroy_workqueue(simgpu_workqueue);
}

module_init(simgpu_init);
module_exit(simgpu_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(MVGPU_VERSION);
MODULE_DESCRIPTION("simgpu: a simulated GPU that executes command streams");
MODULE_AUTHOR("The mvgpu developers");
