/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model: GPU MMU page-table walker.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef HW_MISC_MALI_MMU_H
#define HW_MISC_MALI_MMU_H

#include "mali.h"

typedef enum MaliAccess {
    MALI_ACCESS_READ,
    MALI_ACCESS_WRITE,
    MALI_ACCESS_EXEC,
} MaliAccess;

/*
 * Translate @va in address space @as_nr for @access. On success store the
 * physical address in @pa; on failure store the AS_FAULTSTATUS exception
 * type in @fault.
 */
bool mali_mmu_translate(MaliState *s, unsigned int as_nr, uint64_t va, MaliAccess access,
                        hwaddr *pa, uint32_t *fault);

/*
 * Report a GPU page fault to the driver: AS_FAULTSTATUS (exception type and
 * access type), AS_FAULTADDRESS and the AS's bit in MMU_IRQ_RAWSTAT.
 */
void mali_mmu_fault(MaliState *s, unsigned int as_nr, uint64_t va, uint32_t fault,
                    MaliAccess access);

/* 32-bit GPU-side accesses through address space @as_nr; false on a fault. */
bool mali_mmu_read32(MaliState *s, unsigned int as_nr, uint64_t va, uint32_t *val);
bool mali_mmu_write32(MaliState *s, unsigned int as_nr, uint64_t va, uint32_t val);

#endif /* HW_MISC_MALI_MMU_H */
