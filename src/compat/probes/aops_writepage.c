// SPDX-License-Identifier: GPL-2.0-only
/* Probe: address_space_operations still has writepage (6.12 yes, 7.x no). */
#include <linux/fs.h>

int prc_probe(struct address_space *mapping, struct page *page, struct writeback_control *wbc);
int prc_probe(struct address_space *mapping, struct page *page, struct writeback_control *wbc)
{
	return mapping->a_ops->writepage(page, wbc);
}
