/* SPDX-License-Identifier: GPL-2.0-only */
/* mvgpu_vpci: what its files share and the drivers do not call. */
#ifndef _MVGPU_VPCI_PRIV_H
#define _MVGPU_VPCI_PRIV_H

#include <mvgpu/vpci.h>

void mvgpu_vpci_irqs_init(struct mvgpu_vpci_irqs *irqs);
int mvgpu_vpci_irqs_get_info(void __user *arg);
int mvgpu_vpci_irqs_set(struct mvgpu_vpci_irqs *irqs, void __user *arg, struct mutex *lock);

#endif /* _MVGPU_VPCI_PRIV_H */
