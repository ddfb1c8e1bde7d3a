// SPDX-License-Identifier: GPL-2.0-only
/* Probe: vma_is_cow_mapping() replaces is_cow_mapping() (7.3 yes, 7.2 no). */
#include <linux/mm.h>

bool prc_probe(const struct vm_area_struct *vma);
bool prc_probe(const struct vm_area_struct *vma)
{
	return vma_is_cow_mapping(vma);
}
