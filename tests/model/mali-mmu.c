/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model: GPU MMU page-table walker.
 *
 * Address spaces use the AArch64 stage-1 long-descriptor format with a 4 KiB
 * granule and 48-bit input addresses: four levels of 512 entries, table
 * descriptors at levels 0-2, 2 MiB and 1 GiB blocks at levels 2 and 1, 4 KiB
 * pages at level 3.  Tables live in guest memory and are read on every
 * translation (the model keeps no TLB, so a driver that forgets a flush is
 * not caught here; that check belongs with the LOCK/FLUSH bookkeeping).
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#include "qemu/osdep.h"
#include "exec/address-spaces.h"
#include "mali.h"
#include "mali-mmu.h"
#include "trace.h"

#define DESC_VALID      (1ULL << 0)
#define DESC_TABLE      (1ULL << 1)     /* table (levels 0-2) or page (level 3) */
#define DESC_AP_RO      (1ULL << 7)     /* AP[2]: read-only */
#define DESC_AF         (1ULL << 10)
#define DESC_XN         (3ULL << 53)    /* PXN | UXN */
#define DESC_ADDR_MASK  0x0000fffffffff000ULL

/* Fault status codes, in the AS_FAULTSTATUS exception-type field. */
#define FAULT_TRANSLATION(level)        (0xc0 | (level))
#define FAULT_PERMISSION(level)         (0xc8 | (level))

bool mali_mmu_translate(MaliState *s, unsigned int as_nr, uint64_t va, MaliAccess access,
                        hwaddr *pa, uint32_t *fault)
{
    uint64_t table = s->as[as_nr].transtab & DESC_ADDR_MASK;
    unsigned int level;

    for (level = 0; level < 4; level++) {
        unsigned int shift = 39 - 9 * level;
        hwaddr entry = table + ((va >> shift) & 0x1ff) * 8;
        MemTxResult res;
        uint64_t desc;

        desc = address_space_ldq_le(&address_space_memory, entry, MEMTXATTRS_UNSPECIFIED,
                                    &res);
        if (res != MEMTX_OK || !(desc & DESC_VALID) ||
            (level == 0 && !(desc & DESC_TABLE)) || (level == 3 && !(desc & DESC_TABLE))) {
            *fault = FAULT_TRANSLATION(level);
            trace_mali_mmu_fault(as_nr, va, *fault);
            return false;
        }
        if (level < 3 && (desc & DESC_TABLE)) {
            table = desc & DESC_ADDR_MASK;
            continue;
        }
        if ((access == MALI_ACCESS_WRITE && (desc & DESC_AP_RO)) ||
            (access == MALI_ACCESS_EXEC && (desc & DESC_XN))) {
            *fault = FAULT_PERMISSION(level);
            trace_mali_mmu_fault(as_nr, va, *fault);
            return false;
        }
        *pa = (desc & DESC_ADDR_MASK & ~((1ULL << shift) - 1)) | (va & ((1ULL << shift) - 1));
        trace_mali_mmu_walk(as_nr, va, *pa, level);
        return true;
    }
    g_assert_not_reached();
}

void mali_mmu_fault(MaliState *s, unsigned int as_nr, uint64_t va, uint32_t fault,
                    MaliAccess access)
{
    static const uint32_t access_type[] = {
        [MALI_ACCESS_READ] = 2, [MALI_ACCESS_WRITE] = 3, [MALI_ACCESS_EXEC] = 1,
    };
    MaliAddressSpace *as = &s->as[as_nr];

    as->faultstatus = fault | access_type[access] << 8;
    as->faultaddress = va;
    s->mmu_irq_raw |= 1u << as_nr;      /* page fault bit of this AS */
    mali_irq_update(s);
}

bool mali_mmu_read32(MaliState *s, unsigned int as_nr, uint64_t va, uint32_t *val)
{
    uint32_t fault;
    hwaddr pa;

    if (!mali_mmu_translate(s, as_nr, va, MALI_ACCESS_READ, &pa, &fault)) {
        return false;
    }
    *val = address_space_ldl_le(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED, NULL);
    return true;
}

bool mali_mmu_write32(MaliState *s, unsigned int as_nr, uint64_t va, uint32_t val)
{
    uint32_t fault;
    hwaddr pa;

    if (!mali_mmu_translate(s, as_nr, va, MALI_ACCESS_WRITE, &pa, &fault)) {
        return false;
    }
    address_space_stl_le(&address_space_memory, pa, val, MEMTXATTRS_UNSPECIFIED, NULL);
    return true;
}
