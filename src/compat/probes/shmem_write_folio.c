// SPDX-License-Identifier: GPL-2.0-only
/* Probe: shmem_write_folio() writes one shmem folio to swap (7.3 yes, 6.12 no). */
#include <linux/shmem_fs.h>

int prc_probe(struct folio *folio);
int prc_probe(struct folio *folio)
{
	return shmem_write_folio(folio);
}
