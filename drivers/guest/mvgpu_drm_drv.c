// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpu_drm: the guest's DRM driver for an mvgpu vGPU (PCI 1234:6d67).
 * It checks PVINFO (Documentation/vgpu.rst), uses only the GM PVINFO
 * gives it, and drives the display: KMS with dumb buffers and PRIME, and
 * fbdev emulation for the console.
 */
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_probe_helper.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <mvgpu/drm_compat.h>
#include <mvgpu/vgpu.h>

#include "mvgpu_drm.h"

#define MVGPU_PCI_VENDOR	0x1234
#define MVGPU_PCI_DEVICE	0x6d67

/* the display's events; the GPU work's come with the submission uAPI */
#define MVGPU_DRM_IRQS		(MVGPU_IRQ_VBLANK | MVGPU_IRQ_HOTPLUG)

DEFINE_DRM_GEM_FOPS(mvgpu_drm_fops);

static const struct drm_driver mvgpu_drm_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_GEM | DRIVER_ATOMIC,
	.fops = &mvgpu_drm_fops,
	.gem_create_object = mvgpu_bo_create_object,
	DRM_GEM_SHMEM_DRIVER_OPS,
	.name = MVGPU_DRM_NAME,
	.desc = "mvgpu vGPU",
	.date = "20261205",
	.major = 1,
	.minor = 0,
};

static irqreturn_t mvgpu_drm_irq(int irq, void *arg)
{
	struct mvgpu_drm *m = arg;
	u32 iir = mvgpu_rd(m, MVGPU_REG_IIR) & MVGPU_DRM_IRQS;

	if (!iir)
		return IRQ_NONE;
	mvgpu_wr(m, MVGPU_REG_IIR, iir);
	mvgpu_kms_irq(m, iir);
	return IRQ_HANDLED;
}

/* PVINFO: this is a vGPU of a version we know; its share of GM. */
static int mvgpu_drm_pvinfo(struct mvgpu_drm *m, struct device *dev)
{
	void __iomem *pv = m->mmio + MVGPU_PVINFO_PAGE;
	u32 version = readl(pv + MVGPU_PVINFO_VERSION);

	if (lo_hi_readq(pv + MVGPU_PVINFO_MAGIC) != MVGPU_MAGIC) {
		dev_err(dev, "no PVINFO magic: not an mvgpu vGPU\n");
		return -ENODEV;
	}
	/* minor 1 brought the display */
	if ((version & 0xffff) != MVGPU_VERSION_MAJOR || (version >> 16) < 1) {
		dev_err(dev, "PVINFO version %u.%u: want %u.1 or later\n", version & 0xffff,
			version >> 16, MVGPU_VERSION_MAJOR);
		return -ENODEV;
	}
	m->low_base = lo_hi_readq(pv + MVGPU_PVINFO_LOW_GM_BASE);
	m->low_size = lo_hi_readq(pv + MVGPU_PVINFO_LOW_GM_SIZE);
	m->high_base = lo_hi_readq(pv + MVGPU_PVINFO_HIGH_GM_BASE);
	m->high_size = lo_hi_readq(pv + MVGPU_PVINFO_HIGH_GM_SIZE);
	m->gm_size = lo_hi_readq(pv + MVGPU_PVINFO_GM_SIZE);
	dev_info(dev, "vGPU %u: GM 0x%llx+0x%llx and 0x%llx+0x%llx of 0x%llx\n",
		 readl(pv + MVGPU_PVINFO_VGPU_ID), m->low_base, m->low_size, m->high_base,
		 m->high_size, m->gm_size);
	return 0;
}

static void mvgpu_drm_gm_release(struct drm_device *drm, void *data)
{
	mvgpu_gm_fini(data);
}

static int mvgpu_drm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mvgpu_drm *m;
	int ret, irq;

	m = devm_drm_dev_alloc(&pdev->dev, &mvgpu_drm_driver, struct mvgpu_drm, drm);
	if (IS_ERR(m))
		return PTR_ERR(m);
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(48));
	if (ret)
		return ret;
	m->mmio = pcim_iomap(pdev, 0, 0);
	if (!m->mmio)
		return -ENOMEM;
	ret = mvgpu_drm_pvinfo(m, &pdev->dev);
	if (ret)
		return ret;
	ret = drmm_mutex_init(&m->drm, &m->gm_lock);
	if (ret)
		return ret;
	ret = mvgpu_gm_init(m);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(&m->drm, mvgpu_drm_gm_release, m);
	if (ret)
		return ret;

	/* no events until the display asks for them */
	mvgpu_wr(m, MVGPU_REG_IMR, MVGPU_IRQ_ALL);
	mvgpu_wr(m, MVGPU_REG_IER, MVGPU_DRM_IRQS);
	mvgpu_wr(m, MVGPU_REG_IIR, MVGPU_IRQ_ALL);
	/* a managed device's vectors go with it (pcim_enable_device()) */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (ret < 0)
		return ret;
	irq = pci_irq_vector(pdev, 0);
	ret = devm_request_irq(&pdev->dev, irq, mvgpu_drm_irq, IRQF_SHARED, MVGPU_DRM_NAME, m);
	if (ret)
		return ret;

	ret = mvgpu_kms_init(m);
	if (ret)
		return ret;
	mvgpu_wr(m, MVGPU_REG_IMR, MVGPU_IRQ_ALL & ~MVGPU_IRQ_HOTPLUG);
	pci_set_drvdata(pdev, m);
	ret = drm_dev_register(&m->drm, 0);
	if (ret)
		return ret;
	mvgpu_drm_fbdev_setup(&m->drm, 32);
	return 0;
}

static void mvgpu_drm_remove(struct pci_dev *pdev)
{
	struct mvgpu_drm *m = pci_get_drvdata(pdev);

	drm_dev_unplug(&m->drm);
	drm_atomic_helper_shutdown(&m->drm);
	/* no more events; the IRQ and its vectors go with the device */
	mvgpu_wr(m, MVGPU_REG_IER, 0);
	synchronize_irq(pci_irq_vector(pdev, 0));
	cancel_work_sync(&m->hotplug_work);
}

static void mvgpu_drm_shutdown(struct pci_dev *pdev)
{
	struct mvgpu_drm *m = pci_get_drvdata(pdev);

	drm_atomic_helper_shutdown(&m->drm);
}

static const struct pci_device_id mvgpu_drm_ids[] = {
	{ PCI_DEVICE(MVGPU_PCI_VENDOR, MVGPU_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, mvgpu_drm_ids);

static struct pci_driver mvgpu_drm_pci_driver = {
	.name = MVGPU_DRM_NAME,
	.id_table = mvgpu_drm_ids,
	.probe = mvgpu_drm_probe,
	.remove = mvgpu_drm_remove,
	.shutdown = mvgpu_drm_shutdown,
};
module_pci_driver(mvgpu_drm_pci_driver);

MODULE_LICENSE("GPL");
MODULE_VERSION(MVGPU_VERSION);
MODULE_DESCRIPTION("mvgpu_drm: DRM driver for mvgpu vGPUs, in guests");
MODULE_AUTHOR("The mvgpu developers");
