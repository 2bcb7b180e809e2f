// SPDX-License-Identifier: GPL-2.0-only
/* Probe: VMA flags change through vm_flags_set() (since 6.3). */
#include <linux/mm.h>

void mvgpu_probe(struct vm_area_struct *vma);
void mvgpu_probe(struct vm_area_struct *vma)
{
#ifndef MVGPU_PROBE_CONTROL
	vm_flags_set(vma, VM_IO);
#endif
}
