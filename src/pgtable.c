// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GPU page tables
 *
 * Mali CSF GPUs translate through AArch64 (VMSAv8) stage-1 long descriptors;
 * the driver selects the 4 KiB granule with AS_TRANSCFG ADRMODE_AARCH64_4K.
 * A 48-bit GPU VA is resolved in four levels of 512 eight-byte entries, each
 * level consuming 9 VA bits (level 0: bits 47:39, ..., level 3: bits 20:12).
 * AS_TRANSTAB holds the bus address of the level-0 table. Descriptors:
 *
 * - bits[1:0] = 0b00 (bit 0 clear): invalid, the GPU faults;
 * - 0b11 at levels 0-2: table descriptor, bits 47:12 address the next table;
 * - 0b01 at level 2: 2 MiB block, bits 47:21 are the output address;
 * - 0b11 at level 3: 4 KiB page, bits 47:12 are the output address.
 *
 * Leaf attributes: AttrIndx[4:2] selects a byte of AS_MEMATTR (the indices are
 * the PRC_PGTABLE_ATTR_* values, prc_pgtable_memattr() builds the register),
 * AP[1] (bit 6) marks the page as accessible to unprivileged accesses, which
 * is what the GPU performs, AP[2] (bit 7) makes it read-only, SH[9:8] is
 * inner-shareable for cacheable and outer-shareable for non-cacheable memory,
 * AF (bit 10) is always set because the GPU does not manage the access flag,
 * and PXN/UXN (bits 53 and 54) forbid instruction fetches. We create blocks
 * only at level 2 (never 1 GiB blocks at level 1): a mapping uses a block
 * wherever the IOVA and the output address are both 2 MiB aligned and 2 MiB
 * remain, 4 KiB pages elsewhere. An unmap that covers part of a block first
 * replaces it with a level-3 table of the same pages, then clears those.
 *
 * Table pages are ordinary kernel pages (the first 4 KiB of one, whatever the
 * CPU's page size), streaming-DMA-mapped to the GPU once for their lifetime.
 * Descriptors hold their physical address, so the GPU must reach them
 * untranslated, as io-pgtable-arm also requires; a mapping whose bus address
 * differs is refused. On a non-coherent GPU every batch of descriptor writes
 * is followed by dma_sync_single_for_device() on exactly the entries written,
 * and a new table is fully written and synced before the descriptor pointing
 * to it is.
 *
 * The reserve. map and unmap run from the dma-fence signalling path (a
 * VM_BIND job's run, reclaim), where a blocking allocation could wait on the
 * very fence being signalled, so they never allocate: every table page they
 * need comes from a per-address-space reserve of zeroed, DMA-mapped pages.
 * prc_pgtable_reserve(), called where blocking is allowed and before the
 * fence is published, promises the worst case for a range
 * (prc_pgtable_pages_needed(): one new table at each of levels 1-3 for every
 * slot the range touches, which also covers the two blocks an unmap may
 * split) and allocates until the reserve holds everything promised;
 * prc_pgtable_unreserve() drops the promise once the operation is done or
 * abandoned. A reservation is for its whole range, whether that range is then
 * mapped at once or piece by piece. map refuses to start (-ENOMEM, nothing
 * changed) unless the reserve holds the tables its range still lacks; unmap
 * refuses unless it holds the pages its splits need. Either is a caller bug,
 * but one that userspace may be able to provoke, so it is reported without a
 * WARN.
 *
 * Flush ordering. The caller owns TLB maintenance (AS LOCK, FLUSH, UNLOCK in
 * mmu.c). For a map or unmap of [iova, iova + size), it locks and flushes
 * prc_pgtable_flush_extent() of that range, which contains every translation
 * the operation can change. Tables that unmap empties are unlinked but not
 * reused at once: the GPU may still hold walk-cache entries pointing into
 * them, so they wait on a stale list, all entries invalid, until the caller
 * has flushed every range it changed and calls prc_pgtable_flush_done(). Only
 * then do they go back to the reserve (or, beyond PRC_PGTABLE_RESERVE_SLACK
 * spare pages, back to the page allocator). An address space that no GPU slot
 * currently uses needs no flush and may call prc_pgtable_flush_done() right
 * away. To keep the extent predictable, unmap only unlinks a table whose
 * whole span lies inside it: level-3 tables always qualify, an emptied level-1
 * or level-2 table stays linked until an unmap covering its span, or fini.
 *
 * Locking. Everything but the reserve is serialised by the caller's
 * page-table lock, which is taken in the signalling path and so must never
 * be held across prc_pgtable_reserve(); the reserve, the promises and the
 * stale list have a spinlock of their own (see struct prc_pgtable).
 */

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "pgtable.h"

#define PRC_PT_LEVELS		4
#define PRC_PT_ENTRIES		512
#define PRC_PT_TABLE_SIZE	(PRC_PT_ENTRIES * sizeof(u64))

#define PRC_PTE_VALID		BIT_ULL(0)
#define PRC_PTE_TYPE_MASK	GENMASK_ULL(1, 0)
#define PRC_PTE_TYPE_BLOCK	0x1ULL	/* levels 1 and 2 */
#define PRC_PTE_TYPE_TABLE	0x3ULL	/* levels 0 to 2 */
#define PRC_PTE_TYPE_PAGE	0x3ULL	/* level 3 */
#define PRC_PTE_ATTRINDX(i)	((u64)(i) << 2)
#define PRC_PTE_AP_UNPRIV	BIT_ULL(6)
#define PRC_PTE_AP_RDONLY	BIT_ULL(7)
#define PRC_PTE_SH_OS		(2ULL << 8)
#define PRC_PTE_SH_IS		(3ULL << 8)
#define PRC_PTE_AF		BIT_ULL(10)
#define PRC_PTE_PXN		BIT_ULL(53)
#define PRC_PTE_UXN		BIT_ULL(54)
#define PRC_PTE_ADDR_MASK	GENMASK_ULL(47, 12)
/* Everything a leaf carries besides its address and type, kept when a block is split. */
#define PRC_PTE_ATTR_MASK	(GENMASK_ULL(11, 2) | GENMASK_ULL(63, 52))

/*
 * One byte of AS_MEMATTR per attribute index: allocation policy in bits 1:0,
 * allocation mode in bits 3:2 (0b11: explicit, bit 0 = write-allocate,
 * bit 1 = read-allocate), shareability mode in bits 5:4, memory type in bits
 * 7:6. Kept here rather than in regs.h because only the encoding of our own
 * attribute indices uses them.
 */
#define PRC_MEMATTR_ALLOC_EXPL(w, r)	((3 << 2) | ((w) ? BIT(0) : 0) | ((r) ? BIT(1) : 0))
#define PRC_MEMATTR_SH_MIDGARD_INNER	0		/* mode 0: GPU-internal */
#define PRC_MEMATTR_SH_CPU_INNER	BIT(4)		/* mode 1: the CPU's inner domain */
#define PRC_MEMATTR_TYPE_NC		BIT(6)		/* type 1 */
#define PRC_MEMATTR_TYPE_WB		(2 << 6)
#define PRC_MEMATTR_TYPE_FAULT		(3 << 6)

static_assert(PRC_PT_TABLE_SIZE == PRC_PGTABLE_PAGE_SIZE);
static_assert(PAGE_SIZE >= PRC_PT_TABLE_SIZE);

static unsigned int prc_pt_shift(unsigned int lvl)
{
	return 39 - 9 * lvl;
}

/* Bytes of VA one entry of a level-@lvl table translates. */
static u64 prc_pt_span(unsigned int lvl)
{
	return BIT_ULL(prc_pt_shift(lvl));
}

static unsigned int prc_pt_index(u64 iova, unsigned int lvl)
{
	return (iova >> prc_pt_shift(lvl)) & (PRC_PT_ENTRIES - 1);
}

static u64 prc_pt_read(const __le64 *tbl, unsigned int idx)
{
	return le64_to_cpu(READ_ONCE(tbl[idx]));
}

/* One 64-bit store: the GPU may walk the table while it changes. */
static void prc_pt_write(__le64 *tbl, unsigned int idx, u64 desc)
{
	WRITE_ONCE(tbl[idx], cpu_to_le64(desc));
}

static bool prc_pt_is_table(u64 desc, unsigned int lvl)
{
	return lvl < PRC_PT_LEVELS - 1 && (desc & PRC_PTE_TYPE_MASK) == PRC_PTE_TYPE_TABLE;
}

static __le64 *prc_pt_child(u64 desc)
{
	return phys_to_virt(desc & PRC_PTE_ADDR_MASK);
}

static bool prc_pt_range_valid(u64 iova, u64 size)
{
	const u64 top = BIT_ULL(PRC_PGTABLE_VA_BITS);

	return size && IS_ALIGNED(iova | size, PRC_PGTABLE_PAGE_SIZE) && size <= top &&
	       iova <= top - size;
}

static bool prc_pt_addr_valid(u64 addr, u64 size)
{
	const u64 top = BIT_ULL(PRC_PGTABLE_PA_BITS);

	return IS_ALIGNED(addr | size, PRC_PGTABLE_PAGE_SIZE) && size <= top && addr <= top - size;
}

/* Make @count entries from @idx visible to a non-coherent GPU. */
static void prc_pt_sync(struct prc_pgtable *pt, __le64 *tbl, unsigned int idx, unsigned int count)
{
	if (!pt->dev || pt->coherent || !count)
		return;
	dma_sync_single_for_device(pt->dev, virt_to_phys(tbl) + idx * sizeof(*tbl),
				   count * sizeof(*tbl), DMA_TO_DEVICE);
}

static struct page *prc_pt_page_alloc(struct prc_pgtable *pt, gfp_t gfp)
{
	struct page *page;
	dma_addr_t dma;

	page = alloc_page((gfp & ~__GFP_HIGHMEM) | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	if (pt->dev) {
		/* Mapping cleans the zeroed page out of the CPU caches on a non-coherent GPU. */
		dma = dma_map_page(pt->dev, page, 0, PRC_PT_TABLE_SIZE, DMA_TO_DEVICE);
		if (dma_mapping_error(pt->dev, dma)) {
			__free_page(page);
			return ERR_PTR(-ENOMEM);
		}
		if (dma != page_to_phys(page)) {
			/* Bounced or translated: descriptors could not point at it. */
			dma_unmap_page(pt->dev, dma, PRC_PT_TABLE_SIZE, DMA_TO_DEVICE);
			__free_page(page);
			dev_err_once(pt->dev, "page tables need untranslated DMA addresses\n");
			return ERR_PTR(-EINVAL);
		}
	}
	atomic_long_inc(&pt->pages_allocated);
	return page;
}

static void prc_pt_page_free(struct prc_pgtable *pt, struct page *page)
{
	if (pt->dev)
		dma_unmap_page(pt->dev, page_to_phys(page), PRC_PT_TABLE_SIZE, DMA_TO_DEVICE);
	__free_page(page);
	atomic_long_inc(&pt->pages_freed);
}

static void prc_pt_page_free_list(struct prc_pgtable *pt, struct list_head *list)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, list, lru) {
		list_del(&page->lru);
		prc_pt_page_free(pt, page);
	}
}

/*
 * Move reserve pages beyond the outstanding promises plus the slack to
 * @excess, for the caller to free outside the lock.
 */
static void prc_pt_reserve_trim(struct prc_pgtable *pt, struct list_head *excess)
{
	lockdep_assert_held(&pt->reserve_lock);
	while (pt->reserve_count > pt->promised + PRC_PGTABLE_RESERVE_SLACK) {
		list_move(pt->reserve.next, excess);
		pt->reserve_count--;
	}
}

static struct page *prc_pt_reserve_take(struct prc_pgtable *pt)
{
	struct page *page;

	spin_lock(&pt->reserve_lock);
	page = list_first_entry_or_null(&pt->reserve, struct page, lru);
	if (page) {
		list_del(&page->lru);
		pt->reserve_count--;
	}
	spin_unlock(&pt->reserve_lock);
	return page;
}

static bool prc_pt_reserve_holds(struct prc_pgtable *pt, unsigned long count)
{
	bool ret;

	spin_lock(&pt->reserve_lock);
	ret = pt->reserve_count >= count;
	spin_unlock(&pt->reserve_lock);
	return ret;
}

/**
 * prc_pgtable_init() - set up an empty address space
 * @pt: the page tables to initialise
 * @dev: device that walks the tables (streaming DMA mappings and syncs), or
 *	NULL when only the CPU reads them, as in the self-tests
 * @coherent: @dev is I/O-coherent, table updates need no cache maintenance
 *
 * Allocates the level-0 table; may sleep.
 *
 * Return: 0, -ENOMEM, or -EINVAL when @dev cannot see a table page at its
 * physical address.
 */
int prc_pgtable_init(struct prc_pgtable *pt, struct device *dev, bool coherent)
{
	struct page *root;

	pt->dev = dev;
	pt->coherent = coherent;
	spin_lock_init(&pt->reserve_lock);
	INIT_LIST_HEAD(&pt->reserve);
	INIT_LIST_HEAD(&pt->stale);
	pt->reserve_count = 0;
	pt->promised = 0;
	atomic_long_set(&pt->pages_allocated, 0);
	atomic_long_set(&pt->pages_freed, 0);

	root = prc_pt_page_alloc(pt, GFP_KERNEL);
	if (IS_ERR(root)) {
		pt->root = NULL;
		return PTR_ERR(root);
	}
	pt->root = root;
	pt->transtab = page_to_phys(root);
	return 0;
}

/* Free @tbl, a level-@lvl table, and every table below it. */
static void prc_pt_free_table(struct prc_pgtable *pt, __le64 *tbl, unsigned int lvl)
{
	unsigned int i;
	u64 desc;

	for (i = 0; i < PRC_PT_ENTRIES; i++) {
		desc = prc_pt_read(tbl, i);
		if ((desc & PRC_PTE_VALID) && prc_pt_is_table(desc, lvl))
			prc_pt_free_table(pt, prc_pt_child(desc), lvl + 1);
	}
	prc_pt_page_free(pt, virt_to_page(tbl));
}

/**
 * prc_pgtable_fini() - free every table page of an address space
 * @pt: the page tables
 *
 * Frees the tables, the reserve and the stale list, whatever state they are
 * in. The GPU must no longer use @pt (its address-space slot released and
 * flushed). Calling it again, or after a failed prc_pgtable_init(), is a no-op.
 */
void prc_pgtable_fini(struct prc_pgtable *pt)
{
	if (!pt->root)
		return;
	prc_pt_free_table(pt, page_address(pt->root), 0);
	pt->root = NULL;
	pt->transtab = 0;
	prc_pt_page_free_list(pt, &pt->reserve);
	pt->reserve_count = 0;
	pt->promised = 0;
	prc_pt_page_free_list(pt, &pt->stale);
}

/*
 * The tables at levels @first to 3 that a map of [@iova, @last] links when
 * none of them exists yet: one for every level-(n - 1) slot the range
 * touches, at each level n.
 */
static unsigned long prc_pt_tables_spanned(u64 iova, u64 last, unsigned int first)
{
	unsigned long count = 0;
	unsigned int lvl, shift;

	for (lvl = first; lvl < PRC_PT_LEVELS; lvl++) {
		shift = prc_pt_shift(lvl - 1);
		count += (last >> shift) - (iova >> shift) + 1;
	}
	return count;
}

/**
 * prc_pgtable_pages_needed() - worst-case table pages for a map or unmap
 * @iova: start of the range, 4 KiB aligned
 * @size: its size, a non-zero multiple of 4 KiB
 *
 * A map may need a new table at each of levels 1, 2 and 3 for every level-0,
 * level-1 and level-2 slot the range touches (if it has to use 4 KiB pages
 * all along). An unmap needs at most one level-3 table for each end of the
 * range that splits a 2 MiB block, which the map count always covers.
 *
 * Return: the number of pages, 0 for an invalid range.
 */
unsigned long prc_pgtable_pages_needed(u64 iova, u64 size)
{
	if (!prc_pt_range_valid(iova, size))
		return 0;
	return prc_pt_tables_spanned(iova, iova + size - 1, 1);
}

/**
 * prc_pgtable_reserve() - promise and pre-allocate table pages for a range
 * @pt: the page tables
 * @iova: start of the range a later map or unmap will cover
 * @size: its size
 * @gfp: allocation flags; GFP_KERNEL where blocking is allowed
 *
 * Adds prc_pgtable_pages_needed(@iova, @size) to the pages promised to
 * outstanding operations and fills the reserve up to all of them, so the
 * map or unmap of that range that follows cannot run short, whatever other
 * reservations are consumed first. Must be paired with prc_pgtable_unreserve()
 * of the same range after that operation (or when it is abandoned). Call it
 * without the page-table lock: it allocates, and that lock is taken in the
 * fence signalling path.
 *
 * Return: 0, -EINVAL for a bad range, -ENOMEM (nothing stays promised).
 */
int prc_pgtable_reserve(struct prc_pgtable *pt, u64 iova, u64 size, gfp_t gfp)
{
	unsigned long need = prc_pgtable_pages_needed(iova, size);
	struct page *page;
	bool done;

	if (!need)
		return -EINVAL;
	might_alloc(gfp);

	spin_lock(&pt->reserve_lock);
	pt->promised += need;
	spin_unlock(&pt->reserve_lock);

	for (;;) {
		spin_lock(&pt->reserve_lock);
		done = pt->reserve_count >= pt->promised;
		spin_unlock(&pt->reserve_lock);
		if (done)
			return 0;

		page = prc_pt_page_alloc(pt, gfp);
		if (IS_ERR(page)) {
			prc_pgtable_unreserve(pt, iova, size);
			return PTR_ERR(page);
		}
		spin_lock(&pt->reserve_lock);
		list_add(&page->lru, &pt->reserve);
		pt->reserve_count++;
		spin_unlock(&pt->reserve_lock);
	}
}

/**
 * prc_pgtable_unreserve() - release a reservation made by prc_pgtable_reserve()
 * @pt: the page tables
 * @iova: the range given to prc_pgtable_reserve()
 * @size: its size
 *
 * Pages the operation did not use stay in the reserve up to
 * PRC_PGTABLE_RESERVE_SLACK beyond the remaining promises; the rest are freed.
 * Does not allocate or sleep: callable from the fence signalling path.
 */
void prc_pgtable_unreserve(struct prc_pgtable *pt, u64 iova, u64 size)
{
	unsigned long need = prc_pgtable_pages_needed(iova, size);
	LIST_HEAD(excess);

	spin_lock(&pt->reserve_lock);
	pt->promised -= min(need, pt->promised);
	prc_pt_reserve_trim(pt, &excess);
	spin_unlock(&pt->reserve_lock);
	prc_pt_page_free_list(pt, &excess);
}

/**
 * prc_pgtable_flush_done() - recycle the tables unlinked before the last flush
 * @pt: the page tables
 *
 * Call once the GPU's TLBs have been flushed for every range changed by map
 * or unmap since the previous call (or when no GPU slot uses @pt): the GPU can
 * then no longer reach the tables unmap unlinked, and they return to the
 * reserve, or are freed beyond PRC_PGTABLE_RESERVE_SLACK spare pages.
 */
void prc_pgtable_flush_done(struct prc_pgtable *pt)
{
	LIST_HEAD(excess);

	spin_lock(&pt->reserve_lock);
	/* Unlinked tables are all-zero (only empty ones are unlinked): reusable as they are. */
	pt->reserve_count += list_count_nodes(&pt->stale);
	list_splice_init(&pt->stale, &pt->reserve);
	prc_pt_reserve_trim(pt, &excess);
	spin_unlock(&pt->reserve_lock);
	prc_pt_page_free_list(pt, &excess);
}

static u64 prc_pt_attrs(u32 prot)
{
	u64 attrs = PRC_PTE_AF | PRC_PTE_AP_UNPRIV;

	if (prot & PRC_PGTABLE_PROT_UNCACHED)
		attrs |= PRC_PTE_ATTRINDX(PRC_PGTABLE_ATTR_NC) | PRC_PTE_SH_OS;
	else
		attrs |= PRC_PTE_ATTRINDX(PRC_PGTABLE_ATTR_WB) | PRC_PTE_SH_IS;
	if (prot & PRC_PGTABLE_PROT_READONLY)
		attrs |= PRC_PTE_AP_RDONLY;
	if (prot & PRC_PGTABLE_PROT_NOEXEC)
		attrs |= PRC_PTE_PXN | PRC_PTE_UXN;
	return attrs;
}

/* No valid leaf translates any address of [start, end) below @tbl. */
static bool prc_pt_range_empty(const __le64 *tbl, unsigned int lvl, u64 start, u64 end)
{
	u64 span = prc_pt_span(lvl), addr = start, next, desc;

	for (; addr < end; addr = next) {
		next = min(end, round_down(addr, span) + span);
		desc = prc_pt_read(tbl, prc_pt_index(addr, lvl));
		if (!(desc & PRC_PTE_VALID))
			continue;
		if (!prc_pt_is_table(desc, lvl) ||
		    !prc_pt_range_empty(prc_pt_child(desc), lvl + 1, addr, next))
			return false;
	}
	return true;
}

/* The leaf descriptor translating @iova and its level, or 0 when unmapped. */
static u64 prc_pt_lookup(struct prc_pgtable *pt, u64 iova, unsigned int *level)
{
	const __le64 *tbl = page_address(pt->root);
	unsigned int lvl;
	u64 desc;

	for (lvl = 0; lvl < PRC_PT_LEVELS; lvl++) {
		desc = prc_pt_read(tbl, prc_pt_index(iova, lvl));
		if (!(desc & PRC_PTE_VALID))
			return 0;
		if (!prc_pt_is_table(desc, lvl)) {
			*level = lvl;
			return desc;
		}
		tbl = prc_pt_child(desc);
	}
	return 0;
}

/*
 * The level-@target table translating @iova, linking new tables from the
 * reserve on the way down where none exist yet.
 */
static int prc_pt_walk_alloc(struct prc_pgtable *pt, u64 iova, unsigned int target,
			     __le64 **out)
{
	__le64 *tbl = page_address(pt->root);
	unsigned int lvl, idx;
	struct page *page;
	u64 desc;

	for (lvl = 0; lvl < target; lvl++) {
		idx = prc_pt_index(iova, lvl);
		desc = prc_pt_read(tbl, idx);
		if (!(desc & PRC_PTE_VALID)) {
			page = prc_pt_reserve_take(pt);
			if (!page)
				return -ENOMEM;
			desc = page_to_phys(page) | PRC_PTE_TYPE_TABLE;
			/* Reserve pages are zero and synced: order that before the link. */
			dma_wmb();
			prc_pt_write(tbl, idx, desc);
			prc_pt_sync(pt, tbl, idx, 1);
		} else if (!prc_pt_is_table(desc, lvl)) {
			return -EEXIST;
		}
		tbl = prc_pt_child(desc);
	}
	*out = tbl;
	return 0;
}

/* Map [iova, iova + size) to [addr, addr + size) with leaf attributes @attrs. */
static int prc_pt_map_run(struct prc_pgtable *pt, u64 iova, u64 addr, u64 size, u64 attrs)
{
	unsigned int lvl, idx, n, i;
	u64 span, type;
	__le64 *tbl;
	int ret;

	while (size) {
		if (size >= PRC_PGTABLE_BLOCK_SIZE &&
		    IS_ALIGNED(iova | addr, PRC_PGTABLE_BLOCK_SIZE)) {
			lvl = 2;
			type = PRC_PTE_TYPE_BLOCK;
		} else {
			lvl = 3;
			type = PRC_PTE_TYPE_PAGE;
		}
		span = prc_pt_span(lvl);
		ret = prc_pt_walk_alloc(pt, iova, lvl, &tbl);
		if (ret)
			return ret;

		/*
		 * Fill this table as far as it goes. In a level-3 table the IOVA
		 * only meets a 2 MiB boundary at the table's end, so no block
		 * opportunity is missed.
		 */
		idx = prc_pt_index(iova, lvl);
		n = min_t(u64, PRC_PT_ENTRIES - idx, size >> prc_pt_shift(lvl));
		for (i = 0; i < n; i++) {
			if (prc_pt_read(tbl, idx + i)) {
				prc_pt_sync(pt, tbl, idx, i);
				return -EEXIST;
			}
			prc_pt_write(tbl, idx + i, (addr + i * span) | attrs | type);
		}
		prc_pt_sync(pt, tbl, idx, n);
		iova += n * span;
		addr += n * span;
		size -= n * span;
	}
	return 0;
}

/*
 * A level-(@lvl + 1) table translating exactly what the block @desc at level
 * @lvl translates, written and synced, not yet linked; NULL if the reserve is
 * empty.
 */
static struct page *prc_pt_split(struct prc_pgtable *pt, u64 desc, unsigned int lvl)
{
	u64 base = desc & PRC_PTE_ADDR_MASK & ~(prc_pt_span(lvl) - 1);
	u64 attrs = desc & PRC_PTE_ATTR_MASK, step = prc_pt_span(lvl + 1), type;
	struct page *page;
	unsigned int i;
	__le64 *tbl;

	page = prc_pt_reserve_take(pt);
	if (!page)
		return NULL;
	type = lvl + 1 == PRC_PT_LEVELS - 1 ? PRC_PTE_TYPE_PAGE : PRC_PTE_TYPE_BLOCK;
	tbl = page_address(page);
	for (i = 0; i < PRC_PT_ENTRIES; i++)
		prc_pt_write(tbl, i, (base + i * step) | attrs | type);
	prc_pt_sync(pt, tbl, 0, PRC_PT_ENTRIES);
	return page;
}

struct prc_pt_unmap_state {
	/* Tables whose span lies inside [ext_start, ext_end) may be unlinked. */
	u64 ext_start, ext_end;
	/* Bytes of the range that were mapped. */
	u64 unmapped;
};

static int prc_pt_unmap_level(struct prc_pgtable *pt, __le64 *tbl, unsigned int lvl,
			      u64 start, u64 end, struct prc_pt_unmap_state *st)
{
	unsigned int idx, first = PRC_PT_ENTRIES, last = 0;
	u64 span = prc_pt_span(lvl), addr, es, next, desc;
	struct page *page;
	__le64 *child;
	int ret = 0;

	for (addr = start; addr < end; addr = next) {
		es = round_down(addr, span);
		next = min(end, es + span);
		idx = prc_pt_index(addr, lvl);
		desc = prc_pt_read(tbl, idx);
		if (!(desc & PRC_PTE_VALID))
			continue;

		if (!prc_pt_is_table(desc, lvl)) {
			if (addr == es && next == es + span) {
				prc_pt_write(tbl, idx, 0);
				first = min(first, idx);
				last = max(last, idx);
				st->unmapped += span;
				continue;
			}
			/* Part of a block: same translation one level down, then unmap there. */
			page = prc_pt_split(pt, desc, lvl);
			if (!page) {
				ret = -ENOMEM;
				break;
			}
			desc = page_to_phys(page) | PRC_PTE_TYPE_TABLE;
			dma_wmb();
			prc_pt_write(tbl, idx, desc);
			first = min(first, idx);
			last = max(last, idx);
		}

		child = prc_pt_child(desc);
		ret = prc_pt_unmap_level(pt, child, lvl + 1, addr, next, st);
		if (es >= st->ext_start && es + span <= st->ext_end &&
		    !memchr_inv(child, 0, PRC_PT_TABLE_SIZE)) {
			prc_pt_write(tbl, idx, 0);
			first = min(first, idx);
			last = max(last, idx);
			spin_lock(&pt->reserve_lock);
			list_add_tail(&virt_to_page(child)->lru, &pt->stale);
			spin_unlock(&pt->reserve_lock);
		}
		if (ret)
			break;
	}
	if (first <= last)
		prc_pt_sync(pt, tbl, first, last - first + 1);
	return ret;
}

static int prc_pt_unmap_range(struct prc_pgtable *pt, u64 iova, u64 size, u64 *unmapped)
{
	struct prc_pt_unmap_state st = {};
	int ret;

	prc_pgtable_flush_extent(iova, size, &st.ext_start, &st.ext_end);
	ret = prc_pt_unmap_level(pt, page_address(pt->root), 0, iova, iova + size, &st);
	*unmapped = st.unmapped;
	return ret;
}

/*
 * The tables a map of [@start, @end), which translates nothing yet, still has
 * to link below @tbl (a level-@lvl table): the worst case of
 * prc_pgtable_pages_needed() without the tables that exist already. This,
 * not the worst case of the whole range, is what the map takes from the
 * reserve. It is also why a reservation covers every piece of its range
 * mapped in turn (a heap chunk mapped a page at a time): each table counted
 * here is one the reservation counted too and no earlier piece linked.
 */
static unsigned long prc_pt_tables_missing(const __le64 *tbl, unsigned int lvl, u64 start,
					   u64 end)
{
	u64 span = prc_pt_span(lvl), addr, next, desc;
	unsigned long count = 0;

	if (lvl == PRC_PT_LEVELS - 1)
		return 0;
	for (addr = start; addr < end; addr = next) {
		next = min(end, round_down(addr, span) + span);
		desc = prc_pt_read(tbl, prc_pt_index(addr, lvl));
		if (!(desc & PRC_PTE_VALID))
			count += prc_pt_tables_spanned(addr, next - 1, lvl + 1);
		else if (prc_pt_is_table(desc, lvl))
			count += prc_pt_tables_missing(prc_pt_child(desc), lvl + 1, addr, next);
	}
	return count;
}

/*
 * Checks shared by both map variants: a valid range, nothing mapped in it
 * yet, and a reserve holding every table the map has to link, so that it
 * cannot fail half-way.
 */
static int prc_pt_map_prepare(struct prc_pgtable *pt, u64 iova, u64 size, u32 prot)
{
	const __le64 *root = page_address(pt->root);

	if (!prc_pt_range_valid(iova, size) || (prot & ~PRC_PGTABLE_PROT_MASK))
		return -EINVAL;
	if (!prc_pt_range_empty(root, 0, iova, iova + size))
		return -EEXIST;
	if (!prc_pt_reserve_holds(pt, prc_pt_tables_missing(root, 0, iova, iova + size)))
		return -ENOMEM;
	return 0;
}

/*
 * Undo a map that failed half-way: the range was empty before, so unmapping
 * all of it removes exactly what the map wrote. It splits nothing, so it
 * cannot fail.
 */
static void prc_pt_map_rollback(struct prc_pgtable *pt, u64 iova, u64 size)
{
	u64 unmapped;

	prc_pt_unmap_range(pt, iova, size, &unmapped);
}

/**
 * prc_pgtable_map() - map a physically contiguous range
 * @pt: the page tables
 * @iova: GPU VA, 4 KiB aligned
 * @addr: GPU physical (bus) address, 4 KiB aligned, below 2^48
 * @size: bytes, a non-zero multiple of 4 KiB
 * @prot: PRC_PGTABLE_PROT_* flags
 *
 * Uses 2 MiB blocks wherever @iova and @addr are both 2 MiB aligned with
 * 2 MiB left, 4 KiB pages elsewhere. Takes table pages only from the reserve
 * (prc_pgtable_reserve() of this range beforehand) and never allocates or
 * sleeps: callable from the fence signalling path, with the page-table lock
 * held. The caller then flushes prc_pgtable_flush_extent() of the range.
 *
 * Return: 0; -EINVAL for bad arguments; -EEXIST if anything in the range is
 * already mapped; -ENOMEM if the reserve does not hold the tables the range
 * still lacks. On error no translation has changed.
 */
int prc_pgtable_map(struct prc_pgtable *pt, u64 iova, dma_addr_t addr, u64 size, u32 prot)
{
	int ret;

	if (!prc_pt_addr_valid(addr, size))
		return -EINVAL;
	ret = prc_pt_map_prepare(pt, iova, size, prot);
	if (ret)
		return ret;
	ret = prc_pt_map_run(pt, iova, addr, size, prc_pt_attrs(prot));
	if (ret)
		prc_pt_map_rollback(pt, iova, size);
	return ret;
}

/*
 * The part of DMA segment @sg that a walk starting @*offset bytes into the
 * table uses, at most @left bytes: false (and @*offset reduced) when the
 * walk has not reached @sg yet, else its bus address and length.
 */
static bool prc_pt_sg_piece(struct scatterlist *sg, u64 *offset, u64 left, u64 *addr, u64 *len)
{
	u64 seg = sg_dma_len(sg);

	if (*offset >= seg) {
		*offset -= seg;
		return false;
	}
	*addr = sg_dma_address(sg) + *offset;
	*len = min(seg - *offset, left);
	*offset = 0;
	return true;
}

/* Every DMA segment used for [offset, offset + size) of @sgt is mappable. */
static bool prc_pt_sgt_valid(struct sg_table *sgt, u64 offset, u64 size)
{
	struct scatterlist *sg;
	u64 addr, len;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (!prc_pt_sg_piece(sg, &offset, size, &addr, &len))
			continue;
		if (!prc_pt_addr_valid(addr, len))
			return false;
		size -= len;
		if (!size)
			return true;
	}
	return false;
}

/**
 * prc_pgtable_map_sgt() - map part of a DMA-mapped scatter-gather table
 * @pt: the page tables
 * @iova: GPU VA, 4 KiB aligned
 * @sgt: DMA-mapped table (sg_dma_address() and sg_dma_len() are used)
 * @offset: byte offset into @sgt's DMA segments where the mapping starts
 * @size: bytes to map, a non-zero multiple of 4 KiB
 * @prot: PRC_PGTABLE_PROT_* flags
 *
 * Like prc_pgtable_map() for each piece of @sgt in turn; blocks are used where
 * a piece is suitably aligned. Every piece must start at a 4 KiB aligned bus
 * address and have a length in multiples of 4 KiB.
 *
 * Return: as prc_pgtable_map(); -EINVAL also when @sgt is shorter than
 * @offset + @size or a piece is misaligned. On error nothing has changed.
 */
int prc_pgtable_map_sgt(struct prc_pgtable *pt, u64 iova, struct sg_table *sgt, u64 offset,
			u64 size, u32 prot)
{
	u64 attrs = prc_pt_attrs(prot), cur = iova, left = size, addr, len;
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	if (!prc_pt_sgt_valid(sgt, offset, size))
		return -EINVAL;
	ret = prc_pt_map_prepare(pt, iova, size, prot);
	if (ret)
		return ret;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (!prc_pt_sg_piece(sg, &offset, left, &addr, &len))
			continue;
		ret = prc_pt_map_run(pt, cur, addr, len, attrs);
		if (ret) {
			prc_pt_map_rollback(pt, iova, size);
			return ret;
		}
		cur += len;
		left -= len;
		if (!left)
			break;
	}
	return 0;
}

/* Whether the leaf translating @iova is a block that [start, end) covers only in part. */
static bool prc_pt_splits_at(struct prc_pgtable *pt, u64 iova, u64 start, u64 end,
			     unsigned int *lvl, u64 *base)
{
	u64 desc = prc_pt_lookup(pt, iova, lvl), span;

	if (!desc || *lvl == PRC_PT_LEVELS - 1)
		return false;
	span = prc_pt_span(*lvl);
	*base = round_down(iova, span);
	return *base < start || *base + span > end;
}

/*
 * Table pages an unmap of [start, end) takes from the reserve: one per level
 * below a block cut at either end, one less when both ends cut the same block.
 */
static unsigned int prc_pt_split_need(struct prc_pgtable *pt, u64 start, u64 end)
{
	unsigned int need = 0, la, lb;
	bool sa, sb;
	u64 ba, bb;

	sa = prc_pt_splits_at(pt, start, start, end, &la, &ba);
	sb = prc_pt_splits_at(pt, end - 1, start, end, &lb, &bb);
	if (sa)
		need += PRC_PT_LEVELS - 1 - la;
	if (sb)
		need += PRC_PT_LEVELS - 1 - lb;
	if (sa && sb && la == lb && ba == bb)
		need--;
	return need;
}

/**
 * prc_pgtable_unmap() - unmap a range
 * @pt: the page tables
 * @iova: GPU VA, 4 KiB aligned
 * @size: bytes, a non-zero multiple of 4 KiB
 *
 * Unmapped holes inside the range are skipped. A 2 MiB block the range
 * covers only in part is first split into a level-3 table taken from the
 * reserve (prc_pgtable_reserve() of this range beforehand, or any reserve of
 * two pages). Tables left empty are unlinked and parked until
 * prc_pgtable_flush_done(). Never allocates or sleeps: callable from the fence
 * signalling path, with the page-table lock held. The caller then flushes
 * prc_pgtable_flush_extent() of the range.
 *
 * Return: the number of bytes that were mapped in the range and no longer
 * are; -EINVAL for a bad range; -ENOMEM, with nothing changed, if a block
 * must be split and the reserve is short.
 */
s64 prc_pgtable_unmap(struct prc_pgtable *pt, u64 iova, u64 size)
{
	u64 unmapped;
	int ret;

	if (!prc_pt_range_valid(iova, size))
		return -EINVAL;
	if (!prc_pt_reserve_holds(pt, prc_pt_split_need(pt, iova, iova + size)))
		return -ENOMEM;
	ret = prc_pt_unmap_range(pt, iova, size, &unmapped);
	if (ret)
		return ret;
	return unmapped;
}

/**
 * prc_pgtable_iova_to_phys() - translate a GPU VA as the GPU would
 * @pt: the page tables
 * @iova: any GPU VA
 *
 * Return: the GPU physical (bus) address @iova maps to, or 0 if it is not
 * mapped.
 */
dma_addr_t prc_pgtable_iova_to_phys(struct prc_pgtable *pt, u64 iova)
{
	unsigned int lvl;
	u64 desc, mask;

	if (iova >= BIT_ULL(PRC_PGTABLE_VA_BITS))
		return 0;
	desc = prc_pt_lookup(pt, iova, &lvl);
	if (!desc)
		return 0;
	mask = prc_pt_span(lvl) - 1;
	return (desc & PRC_PTE_ADDR_MASK & ~mask) | (iova & mask);
}

/**
 * prc_pgtable_memattr() - the AS_MEMATTR value for our attribute indices
 * @coherent: the GPU is I/O-coherent with the CPU (ACE-Lite or ACE)
 *
 * Slot PRC_PGTABLE_ATTR_WB: write-back, read- and write-allocate. Its
 * shareability mode is the CPU's inner-shareable domain on a coherent GPU;
 * on a non-coherent one, write-back memory may not be inner/outer-shareable
 * in the CPU's sense, so the GPU-internal ("Midgard inner") mode is used,
 * which still keeps the shader cores coherent with each other. Slot
 * PRC_PGTABLE_ATTR_NC: non-cacheable, no allocation. Other slots: the
 * memory type that faults every access.
 *
 * Return: the 64-bit register value, one byte per index.
 */
u64 prc_pgtable_memattr(bool coherent)
{
	u64 memattr = 0;
	unsigned int i;
	u8 attr;

	for (i = 0; i < 8; i++) {
		switch (i) {
		case PRC_PGTABLE_ATTR_WB:
			attr = PRC_MEMATTR_TYPE_WB | PRC_MEMATTR_ALLOC_EXPL(true, true) |
			       (coherent ? PRC_MEMATTR_SH_CPU_INNER : PRC_MEMATTR_SH_MIDGARD_INNER);
			break;
		case PRC_PGTABLE_ATTR_NC:
			attr = PRC_MEMATTR_TYPE_NC | PRC_MEMATTR_ALLOC_EXPL(false, false) |
			       PRC_MEMATTR_SH_MIDGARD_INNER;
			break;
		default:
			attr = PRC_MEMATTR_TYPE_FAULT;
			break;
		}
		memattr |= (u64)attr << (8 * i);
	}
	return memattr;
}
