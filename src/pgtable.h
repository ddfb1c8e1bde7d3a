/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_PGTABLE_H
#define PRC_PGTABLE_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>

struct device;
struct page;
struct sg_table;

/* GPU virtual addresses are 48 bits wide (4 levels of 512 entries, 4 KiB granule). */
#define PRC_PGTABLE_VA_BITS		48
/* Output (GPU physical) addresses handled by the descriptors, at most 48 bits. */
#define PRC_PGTABLE_PA_BITS		48
/* Smallest mapping: one level-3 page. Independent of the CPU's PAGE_SIZE. */
#define PRC_PGTABLE_PAGE_SIZE		SZ_4K
/* Level-2 block mapping, used whenever the IOVA and the address are both aligned. */
#define PRC_PGTABLE_BLOCK_SIZE		SZ_2M

/*
 * Memory attribute indices: the AttrIndx field (descriptor bits [4:2]) picks
 * one byte of AS_MEMATTR, which prc_pgtable_memattr() builds to match.
 *
 * PRC_PGTABLE_ATTR_WB: normal memory, inner and outer write-back, read and
 *	write allocate; shareability follows the device's coherency (see
 *	prc_pgtable_memattr()). Descriptors using it are inner-shareable.
 * PRC_PGTABLE_ATTR_NC: normal memory, non-cacheable in the GPU's caches.
 *	Descriptors using it are outer-shareable.
 *
 * The other six AS_MEMATTR slots are programmed with the "fault" memory
 * type, so a descriptor carrying a stray index faults instead of guessing.
 */
#define PRC_PGTABLE_ATTR_WB		0
#define PRC_PGTABLE_ATTR_NC		1

/* Protection flags for prc_pgtable_map(); 0 means cached, read-write, executable. */
#define PRC_PGTABLE_PROT_READONLY	BIT(0)	/* AP[2]: GPU writes fault */
#define PRC_PGTABLE_PROT_NOEXEC		BIT(1)	/* PXN and UXN: GPU instruction fetches fault */
#define PRC_PGTABLE_PROT_UNCACHED	BIT(2)	/* PRC_PGTABLE_ATTR_NC instead of _WB */
#define PRC_PGTABLE_PROT_MASK		GENMASK(2, 0)

/* Table pages kept in the reserve beyond what outstanding reservations promise. */
#define PRC_PGTABLE_RESERVE_SLACK	16

/**
 * struct prc_pgtable - one GPU address space's page tables
 *
 * Locking: the tables themselves (@root and everything below it) are not
 * locked here. The caller serialises prc_pgtable_map(), prc_pgtable_map_sgt(),
 * prc_pgtable_unmap(), prc_pgtable_iova_to_phys(), prc_pgtable_flush_done()
 * and prc_pgtable_fini() with its own page-table lock (the VM's). Because
 * map and unmap run in the dma-fence signalling path, that lock must never be
 * held across a blocking allocation: prc_pgtable_reserve() is therefore called
 * without it, and the reserve (@reserve_lock and the members it protects) is
 * the one internally locked part of this structure.
 */
struct prc_pgtable {
	/**
	 * @dev: device that walks the tables, for the DMA API; NULL when
	 * nothing but the CPU reads them (the load-time self-tests). Table
	 * pages must be visible to it at their physical address. Immutable.
	 */
	struct device *dev;
	/**
	 * @coherent: @dev snoops CPU caches, so table updates need no
	 * dma_sync_single_for_device(). Immutable.
	 */
	bool coherent;
	/** @root: the level-0 table page. Immutable until prc_pgtable_fini(). */
	struct page *root;
	/** @transtab: bus address of @root, the value for AS_TRANSTAB. Immutable. */
	u64 transtab;

	/** @reserve_lock: protects @reserve, @reserve_count, @promised, @stale. */
	spinlock_t reserve_lock;
	/** @reserve: zeroed, DMA-mapped table pages ready for map and unmap. */
	struct list_head reserve;
	/** @reserve_count: number of pages on @reserve. */
	unsigned long reserve_count;
	/**
	 * @promised: sum of prc_pgtable_pages_needed() over the reservations
	 * not yet released by prc_pgtable_unreserve().
	 */
	unsigned long promised;
	/**
	 * @stale: table pages unlinked by unmap, all entries invalid, that the
	 * GPU may still reach through stale TLB or walk-cache entries until the
	 * caller's next TLB flush; prc_pgtable_flush_done() recycles them.
	 */
	struct list_head stale;

	/** @pages_allocated: table pages ever allocated (statistics, self-tests). */
	atomic_long_t pages_allocated;
	/** @pages_freed: table pages ever freed; equals @pages_allocated after fini. */
	atomic_long_t pages_freed;
};

int prc_pgtable_init(struct prc_pgtable *pt, struct device *dev, bool coherent);
void prc_pgtable_fini(struct prc_pgtable *pt);

unsigned long prc_pgtable_pages_needed(u64 iova, u64 size);
int prc_pgtable_reserve(struct prc_pgtable *pt, u64 iova, u64 size, gfp_t gfp);
void prc_pgtable_unreserve(struct prc_pgtable *pt, u64 iova, u64 size);

int prc_pgtable_map(struct prc_pgtable *pt, u64 iova, dma_addr_t addr, u64 size, u32 prot);
int prc_pgtable_map_sgt(struct prc_pgtable *pt, u64 iova, struct sg_table *sgt, u64 offset,
			u64 size, u32 prot);
s64 prc_pgtable_unmap(struct prc_pgtable *pt, u64 iova, u64 size);
void prc_pgtable_flush_done(struct prc_pgtable *pt);

dma_addr_t prc_pgtable_iova_to_phys(struct prc_pgtable *pt, u64 iova);
u64 prc_pgtable_memattr(bool coherent);

/**
 * prc_pgtable_flush_extent() - IOVA range to lock and flush around a map or unmap
 * @iova: start of the range passed to map or unmap
 * @size: its size
 * @start: where the range to lock and flush starts
 * @end: where it ends (exclusive)
 *
 * A map or unmap of [@iova, @iova + @size) changes translations only inside
 * [@start, @end), which is the range rounded out to 2 MiB: a partially
 * unmapped block and a freed level-3 table both lie inside it, and unmap
 * frees no higher-level table whose span reaches outside it. Depends only on
 * the arguments, so the caller can compute it before it locks the region.
 */
static inline void prc_pgtable_flush_extent(u64 iova, u64 size, u64 *start, u64 *end)
{
	*start = round_down(iova, PRC_PGTABLE_BLOCK_SIZE);
	*end = min_t(u64, round_up(iova + size, PRC_PGTABLE_BLOCK_SIZE),
		     BIT_ULL(PRC_PGTABLE_VA_BITS));
}

#endif /* PRC_PGTABLE_H */
