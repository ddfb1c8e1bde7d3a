// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: page-table self-tests
 *
 * pgtable.c is checked against two references that share no code with it:
 * a shadow array holding, for every 4 KiB page of a test window, the output
 * address and protection it should map to, and a reference walker written
 * here from the architecture (the walk tests/model/mali-mmu.c performs) that
 * decodes the raw descriptors, starting from the AS_TRANSTAB value. Output
 * addresses are made up: only the two walkers read them, never the CPU or a
 * device. The table pages themselves are real, and most cases map them for
 * streaming DMA on a non-coherent device so that the cache maintenance runs.
 *
 * Besides translations, a census of the whole tree checks its shape: blocks
 * only at level 2, no empty level-3 table left linked, invalid entries all
 * zero, and every table page accounted for (tree + reserve + stale list =
 * allocated - freed); after prc_pgtable_fini() every allocated page must have
 * been freed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "pgtable.h"
#include "selftest.h"

/* The descriptor format as the reference walker reads it (VMSAv8-64, 4 KiB granule). */
#define ST_DESC_VALID		BIT_ULL(0)
#define ST_DESC_TYPE(d)		((d) & 3)
#define ST_DESC_OA(d)		((d) & GENMASK_ULL(47, 12))
#define ST_DESC_ATTRINDX(d)	(((d) >> 2) & 7)
#define ST_DESC_AP1		BIT_ULL(6)
#define ST_DESC_AP2		BIT_ULL(7)	/* the model's DESC_AP_RO */
#define ST_DESC_SH(d)		(((d) >> 8) & 3)
#define ST_DESC_AF		BIT_ULL(10)
#define ST_DESC_PXN		BIT_ULL(53)
#define ST_DESC_UXN		BIT_ULL(54)
#define ST_DESC_XN		(ST_DESC_PXN | ST_DESC_UXN)	/* the model's DESC_XN */
/* Bits our descriptors leave clear: NS, nG, the upper attributes but XN, RES0. */
#define ST_DESC_CLEAR		(BIT_ULL(5) | BIT_ULL(11) | GENMASK_ULL(52, 48) | \
				 GENMASK_ULL(63, 55))
#define ST_SH_OUTER		2
#define ST_SH_INNER		3

#define ST_PAGE			SZ_4K
#define ST_BLOCK		SZ_2M
#define ST_PAGES_PER_BLOCK	(ST_BLOCK / ST_PAGE)
#define ST_512G			BIT_ULL(39)
/* Fake output addresses live in [4 GiB, 128 TiB): never 0, which means unmapped. */
#define ST_PA_MIN		SZ_4G
#define ST_PA_MAX		BIT_ULL(47)

#define st_fail(fmt, ...) ({						\
	pr_info("# %s: " fmt "\n", __func__, ##__VA_ARGS__);		\
	-EINVAL;							\
})

/**
 * struct st_pt - page tables under test and what they should contain
 * @pt: the page tables under test
 * @rnd: PRNG state
 * @base: start of the test window, the only VA range the tests map
 * @pages: size of the window in 4 KiB pages
 * @shadow: per page of the window, output address | PRC_PGTABLE_PROT_* flags, 0 if unmapped
 * @mapped: pages mapped according to @shadow
 * @splits: unmaps that cut a 2 MiB block
 * @blocks: 2 MiB blocks seen by the last census
 */
struct st_pt {
	struct prc_pgtable pt;
	struct rnd_state rnd;
	u64 base;
	unsigned long pages;
	u64 *shadow;
	unsigned long mapped;
	unsigned long splits;
	unsigned long blocks;
};

static u64 st_rand(struct st_pt *s, u64 n)
{
	u64 r = (u64)prandom_u32_state(&s->rnd) << 32 | prandom_u32_state(&s->rnd);

	return n ? r % n : 0;
}

static u64 st_rand_pa(struct st_pt *s, u64 align)
{
	return round_down(ST_PA_MIN + st_rand(s, ST_PA_MAX - ST_PA_MIN), align);
}

static u64 st_end(const struct st_pt *s)
{
	return s->base + (u64)s->pages * ST_PAGE;
}

static int st_init(struct st_pt *s, struct device *dev, u64 base, u64 size, u64 seed)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->base = base;
	s->pages = size / ST_PAGE;
	prandom_seed_state(&s->rnd, seed);
	s->shadow = vzalloc(array_size(s->pages, sizeof(*s->shadow)));
	if (!s->shadow)
		return -ENOMEM;
	ret = prc_pgtable_init(&s->pt, dev, false);
	if (ret) {
		vfree(s->shadow);
		s->shadow = NULL;
	}
	return ret;
}

/* Tear down and check that every table page ever allocated was freed. */
static int st_fini(struct st_pt *s)
{
	long allocated, freed;

	prc_pgtable_fini(&s->pt);
	vfree(s->shadow);
	s->shadow = NULL;
	allocated = atomic_long_read(&s->pt.pages_allocated);
	freed = atomic_long_read(&s->pt.pages_freed);
	if (allocated != freed)
		return st_fail("%ld table pages allocated, %ld freed", allocated, freed);
	return 0;
}

static const __le64 *st_table(u64 addr)
{
	return phys_to_virt(addr);
}

/* One leaf found by the reference walker. */
struct st_leaf {
	u64 desc;
	unsigned int level;
	u64 pa;
};

/*
 * Translate @va the way the GPU model does: level-0 entries must be tables,
 * level-3 entries pages, anything else invalid faults.
 */
static bool st_ref_walk(const struct prc_pgtable *pt, u64 va, struct st_leaf *leaf)
{
	u64 table = pt->transtab, desc, mask;
	unsigned int level, shift;

	for (level = 0; level < 4; level++) {
		shift = 39 - 9 * level;
		desc = le64_to_cpu(st_table(table)[(va >> shift) & 511]);
		if (!(desc & ST_DESC_VALID) ||
		    ((level == 0 || level == 3) && ST_DESC_TYPE(desc) != 3))
			return false;
		if (level < 3 && ST_DESC_TYPE(desc) == 3) {
			table = ST_DESC_OA(desc);
			continue;
		}
		mask = BIT_ULL(shift) - 1;
		leaf->desc = desc;
		leaf->level = level;
		leaf->pa = (ST_DESC_OA(desc) & ~mask) | (va & mask);
		return true;
	}
	return false;
}

/* The raw level-@level descriptor on the walk for @va, 0 if the walk ends above it. */
static u64 st_ref_desc(const struct prc_pgtable *pt, u64 va, unsigned int level)
{
	u64 table = pt->transtab, desc = 0;
	unsigned int l;

	for (l = 0; l <= level; l++) {
		desc = le64_to_cpu(st_table(table)[(va >> (39 - 9 * l)) & 511]);
		if (l < level && (!(desc & ST_DESC_VALID) || ST_DESC_TYPE(desc) != 3))
			return 0;
		table = ST_DESC_OA(desc);
	}
	return desc;
}

/* The PRC_PGTABLE_PROT_* flags a leaf encodes, or -EINVAL if it is not one we write. */
static int st_leaf_prot(u64 desc)
{
	bool nc = ST_DESC_ATTRINDX(desc) == PRC_PGTABLE_ATTR_NC;
	int prot = 0;

	if (!(desc & ST_DESC_AF) || !(desc & ST_DESC_AP1) || (desc & ST_DESC_CLEAR))
		return -EINVAL;
	if (!nc && ST_DESC_ATTRINDX(desc) != PRC_PGTABLE_ATTR_WB)
		return -EINVAL;
	if (ST_DESC_SH(desc) != (nc ? ST_SH_OUTER : ST_SH_INNER))
		return -EINVAL;
	if (!(desc & ST_DESC_PXN) != !(desc & ST_DESC_UXN))
		return -EINVAL;
	if (nc)
		prot |= PRC_PGTABLE_PROT_UNCACHED;
	if (desc & ST_DESC_AP2)
		prot |= PRC_PGTABLE_PROT_READONLY;
	if (desc & ST_DESC_XN)
		prot |= PRC_PGTABLE_PROT_NOEXEC;
	return prot;
}

/* @va translates identically through the API, the reference walker and the shadow. */
static int st_check_va(struct st_pt *s, u64 va)
{
	u64 want = 0, entry = 0, got, ref = 0;
	struct st_leaf leaf;

	if (va >= s->base && va < st_end(s))
		entry = s->shadow[(va - s->base) / ST_PAGE];
	if (entry)
		want = (entry & ~(u64)(ST_PAGE - 1)) | (va & (ST_PAGE - 1));
	got = prc_pgtable_iova_to_phys(&s->pt, va);
	/* Beyond the 48-bit VA space the GPU never looks; the API must say unmapped. */
	if (va >= BIT_ULL(PRC_PGTABLE_VA_BITS))
		return got ? st_fail("va %#llx: iova_to_phys %#llx", va, got) : 0;
	if (st_ref_walk(&s->pt, va, &leaf)) {
		ref = leaf.pa;
		if (st_leaf_prot(leaf.desc) != (int)(entry & (ST_PAGE - 1)))
			return st_fail("va %#llx: descriptor %#llx, want prot %#llx", va, leaf.desc,
				       entry & (ST_PAGE - 1));
	}
	if (got != want || ref != want)
		return st_fail("va %#llx: iova_to_phys %#llx, reference walk %#llx, shadow %#llx",
			       va, got, ref, want);
	return 0;
}

/* Around an operation's range, and at random in and out of the window. */
static int st_sample(struct st_pt *s, u64 iova, u64 size)
{
	u64 probes[8] = {
		iova, iova + size - 1, iova - 1, iova + size, iova + size / 2,
		s->base - 1, st_end(s), st_rand(s, BIT_ULL(PRC_PGTABLE_VA_BITS)),
	};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		ret = st_check_va(s, probes[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < 16; i++) {
		ret = st_check_va(s, s->base + st_rand(s, st_end(s) - s->base));
		if (ret)
			return ret;
	}
	return 0;
}

/* What a walk over the whole tree found. */
struct st_census {
	unsigned long tables;
	unsigned long pages;
	unsigned long blocks;
	u64 hash;
	int err;
};

static int st_census_leaf(struct st_pt *s, struct st_census *c, u64 desc, unsigned int level,
			  u64 va)
{
	u64 span = BIT_ULL(39 - 9 * level), pa = ST_DESC_OA(desc), k, want;
	int prot = st_leaf_prot(desc);

	if (!(level == 2 && ST_DESC_TYPE(desc) == 1) && !(level == 3 && ST_DESC_TYPE(desc) == 3))
		return st_fail("va %#llx: leaf %#llx at level %u", va, desc, level);
	if (prot < 0 || (pa & (span - 1)))
		return st_fail("va %#llx: malformed leaf %#llx", va, desc);
	if (va < s->base || va + span > st_end(s))
		return st_fail("va %#llx: leaf %#llx outside the test window", va, desc);
	for (k = 0; k < span; k += ST_PAGE) {
		want = s->shadow[(va + k - s->base) / ST_PAGE];
		if (want != ((pa + k) | prot))
			return st_fail("va %#llx: leaf %#llx, shadow %#llx", va + k, desc, want);
	}
	c->pages += span / ST_PAGE;
	c->blocks += level == 2;
	return 0;
}

static void st_census_table(struct st_pt *s, struct st_census *c, u64 table, unsigned int level,
			    u64 va)
{
	const __le64 *tbl = st_table(table);
	unsigned int i, shift = 39 - 9 * level, live = 0;
	u64 desc, eva;

	c->tables++;
	for (i = 0; i < 512 && !c->err; i++) {
		desc = le64_to_cpu(tbl[i]);
		eva = va + ((u64)i << shift);
		/* FNV-1a over every entry and its position. */
		c->hash = (c->hash ^ desc ^ ((u64)level << 60) ^ ((u64)i << 48)) * 0x100000001b3ULL;
		if (!(desc & ST_DESC_VALID)) {
			if (desc)
				c->err = st_fail("va %#llx: invalid entry %#llx", eva, desc);
			continue;
		}
		live++;
		if (level < 3 && ST_DESC_TYPE(desc) == 3)
			st_census_table(s, c, ST_DESC_OA(desc), level + 1, eva);
		else
			c->err = st_census_leaf(s, c, desc, level, eva);
	}
	if (!c->err && level == 3 && !live)
		c->err = st_fail("va %#llx: empty level-3 table left linked", va);
}

static int st_census(struct st_pt *s, struct st_census *c)
{
	memset(c, 0, sizeof(*c));
	c->hash = 0xcbf29ce484222325ULL;
	st_census_table(s, c, s->pt.transtab, 0, 0);
	return c->err;
}

static unsigned long st_stale_count(struct prc_pgtable *pt)
{
	unsigned long n;

	spin_lock(&pt->reserve_lock);
	n = list_count_nodes(&pt->stale);
	spin_unlock(&pt->reserve_lock);
	return n;
}

/*
 * The whole tree against the shadow, and every table page accounted for:
 * linked, in the reserve or waiting on the stale list.
 */
static int st_check_all(struct st_pt *s)
{
	long owned = atomic_long_read(&s->pt.pages_allocated) -
		     atomic_long_read(&s->pt.pages_freed);
	unsigned long stale = st_stale_count(&s->pt);
	struct st_census c;
	int ret;

	ret = st_census(s, &c);
	if (ret)
		return ret;
	s->blocks = c.blocks;
	if (c.pages != s->mapped)
		return st_fail("tree maps %lu pages, shadow %lu", c.pages, s->mapped);
	if (owned != c.tables + s->pt.reserve_count + stale)
		return st_fail("%ld pages owned, %lu tables + %lu reserve + %lu stale", owned,
			       c.tables, s->pt.reserve_count, stale);
	if (s->pt.promised)
		return st_fail("%lu pages still promised", s->pt.promised);
	return 0;
}

static bool st_shadow_empty(struct st_pt *s, u64 iova, u64 size)
{
	unsigned long i, first = (iova - s->base) / ST_PAGE;

	for (i = 0; i < size / ST_PAGE; i++)
		if (s->shadow[first + i])
			return false;
	return true;
}

/* Map through the API like a caller would (reserve, map, unreserve); follow it in the shadow. */
static int st_map(struct st_pt *s, u64 iova, u64 pa, u64 size, u32 prot, int *result)
{
	int want = st_shadow_empty(s, iova, size) ? 0 : -EEXIST;
	unsigned long i, first = (iova - s->base) / ST_PAGE;
	int ret;

	ret = prc_pgtable_reserve(&s->pt, iova, size, GFP_KERNEL);
	if (ret)
		return st_fail("reserve %#llx+%#llx: %d", iova, size, ret);
	ret = prc_pgtable_map(&s->pt, iova, pa, size, prot);
	prc_pgtable_unreserve(&s->pt, iova, size);
	if (result)
		*result = ret;
	if (ret != want)
		return st_fail("map %#llx+%#llx -> %#llx prot %#x: %d, expected %d", iova, size,
			       pa, prot, ret, want);
	if (ret)
		return 0;
	for (i = 0; i < size / ST_PAGE; i++)
		s->shadow[first + i] = (pa + i * ST_PAGE) | prot;
	s->mapped += size / ST_PAGE;
	return 0;
}

/* Whether an unmap of [iova, iova + size) cuts the block translating @va. */
static bool st_cuts_block(struct st_pt *s, u64 va, u64 iova, u64 size)
{
	struct st_leaf leaf;
	u64 start;

	if (!st_ref_walk(&s->pt, va, &leaf) || leaf.level != 2)
		return false;
	start = round_down(va, ST_BLOCK);
	return start < iova || start + ST_BLOCK > iova + size;
}

static int st_unmap(struct st_pt *s, u64 iova, u64 size)
{
	unsigned long i, first = (iova - s->base) / ST_PAGE, count = 0;
	s64 ret;

	for (i = 0; i < size / ST_PAGE; i++)
		count += !!s->shadow[first + i];
	s->splits += st_cuts_block(s, iova, iova, size) || st_cuts_block(s, iova + size - 1,
									  iova, size);
	ret = prc_pgtable_reserve(&s->pt, iova, size, GFP_KERNEL);
	if (ret)
		return st_fail("reserve %#llx+%#llx: %lld", iova, size, ret);
	ret = prc_pgtable_unmap(&s->pt, iova, size);
	prc_pgtable_unreserve(&s->pt, iova, size);
	if (ret != (s64)count * ST_PAGE)
		return st_fail("unmap %#llx+%#llx: %lld, expected %#lx", iova, size, ret,
			       count * ST_PAGE);
	memset(&s->shadow[first], 0, size / ST_PAGE * sizeof(*s->shadow));
	s->mapped -= count;
	return 0;
}

/* One random map: 4 KiB runs, whole blocks, blocks with a tail, unaligned runs. */
static int st_random_map(struct st_pt *s, u64 *iova, u64 *size, int *result)
{
	unsigned long blocks = s->pages / ST_PAGES_PER_BLOCK, npages, first;
	u32 prot = st_rand(s, PRC_PGTABLE_PROT_MASK + 1);
	u64 pa;

	switch (st_rand(s, 4)) {
	case 0:
		npages = 1 + st_rand(s, 64);
		first = st_rand(s, s->pages - npages + 1);
		pa = st_rand_pa(s, ST_PAGE);
		break;
	case 1:
		npages = (1 + st_rand(s, 8)) * ST_PAGES_PER_BLOCK;
		first = st_rand(s, blocks - npages / ST_PAGES_PER_BLOCK + 1) * ST_PAGES_PER_BLOCK;
		pa = st_rand_pa(s, ST_BLOCK);
		break;
	case 2:
		npages = (1 + st_rand(s, 4)) * ST_PAGES_PER_BLOCK + 1 + st_rand(s, 511);
		first = st_rand(s, blocks - 5) * ST_PAGES_PER_BLOCK;
		pa = st_rand_pa(s, ST_BLOCK);
		break;
	default:
		/* Same offset within 2 MiB on both sides: pages, then blocks, then pages. */
		npages = 1 + st_rand(s, 3 * ST_PAGES_PER_BLOCK);
		first = st_rand(s, s->pages - npages + 1);
		pa = st_rand_pa(s, ST_BLOCK) + (first * ST_PAGE) % ST_BLOCK;
		if (st_rand(s, 4) == 0)
			pa += ST_PAGE;	/* off by one page: no block possible */
		break;
	}
	*iova = s->base + first * ST_PAGE;
	*size = npages * ST_PAGE;
	return st_map(s, *iova, pa, *size, prot, result);
}

/* One random unmap: a few pages, up to a few MiB, across a block boundary, or large. */
static int st_random_unmap(struct st_pt *s, u64 *iova, u64 *size)
{
	unsigned long npages, first;

	switch (st_rand(s, 8)) {
	case 0:
	case 1:
	case 2:
		npages = 1 + st_rand(s, 16);
		break;
	case 3:
	case 4:
		npages = 1 + st_rand(s, 4 * ST_PAGES_PER_BLOCK);
		break;
	case 5:
	case 6:
		npages = ST_PAGES_PER_BLOCK * (1 + st_rand(s, 4));
		break;
	default:
		npages = 1 + st_rand(s, SZ_256M / ST_PAGE);
		break;
	}
	first = st_rand(s, s->pages - npages + 1);
	*iova = s->base + first * ST_PAGE;
	*size = npages * ST_PAGE;
	return st_unmap(s, *iova, *size);
}

/*
 * Random map/unmap/flush sequences over 4 GiB of VA straddling a 512 GiB
 * (level-0) boundary, checked against the shadow and the reference walker
 * after every operation, and by a full census regularly.
 */
static int st_random(struct prc_st_ctx *ctx, struct device *dev, unsigned int nr_ops)
{
	unsigned int op, maps = 0, eexist = 0, unmaps = 0, flushes = 0;
	unsigned long max_blocks = 0;
	struct st_pt *s;
	u64 iova, size;
	int ret, result;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	ret = st_init(s, dev, ST_512G - SZ_2G, SZ_4G, ctx->seed);
	if (ret)
		goto out_free;
	pr_info("# seed %#llx, %u operations over [%#llx, %#llx), %s\n", ctx->seed, nr_ops,
		s->base, st_end(s), dev ? "non-coherent DMA device" : "no DMA device");

	for (op = 0; op < nr_ops && !ret; op++) {
		switch (st_rand(s, 100)) {
		case 0 ... 54:
			ret = st_random_map(s, &iova, &size, &result);
			maps++;
			eexist += result == -EEXIST;
			break;
		case 55 ... 93:
			ret = st_random_unmap(s, &iova, &size);
			unmaps++;
			break;
		case 94 ... 98:
			prc_pgtable_flush_done(&s->pt);
			flushes++;
			iova = s->base + st_rand(s, st_end(s) - s->base) / ST_PAGE * ST_PAGE;
			size = ST_PAGE;
			break;
		default:
			iova = s->base;
			size = st_end(s) - s->base;
			ret = st_unmap(s, iova, size);
			unmaps++;
			break;
		}
		if (!ret)
			ret = st_sample(s, iova, size);
		if (!ret && op % 256 == 0) {
			ret = st_check_all(s);
			max_blocks = max(max_blocks, s->blocks);
		}
		cond_resched();
	}
	if (ret) {
		pr_info("# failed at operation %u\n", op - 1);
		goto out_fini;
	}
	ret = st_check_all(s);
	if (ret)
		goto out_fini;
	pr_info("# %u maps (%u -EEXIST), %u unmaps (%lu split a block), %u flushes, %lu pages mapped, up to %lu blocks\n",
		maps, eexist, unmaps, s->splits, flushes, s->mapped, max(max_blocks, s->blocks));
	if (!eexist || !s->splits || !max(max_blocks, s->blocks)) {
		ret = st_fail("sequence missed a case: -EEXIST, block splits or blocks");
		goto out_fini;
	}

	/* Unmapping everything leaves only the tables whose span reaches outside. */
	ret = st_unmap(s, s->base, st_end(s) - s->base);
	if (!ret) {
		prc_pgtable_flush_done(&s->pt);
		ret = st_check_all(s);
	}
out_fini:
	if (st_fini(s) && !ret)
		ret = -EINVAL;
out_free:
	kfree(s);
	return ret;
}

static int st_pt_random_cpu(struct prc_st_ctx *ctx)
{
	return st_random(ctx, NULL, 8000);
}

static int st_pt_random_dma(struct prc_st_ctx *ctx)
{
	return st_random(ctx, ctx->dma_dev, 2000);
}

/* The level of the leaf translating @va, 0 when none. */
static unsigned int st_leaf_level(struct st_pt *s, u64 va)
{
	struct st_leaf leaf;

	return st_ref_walk(&s->pt, va, &leaf) ? leaf.level : 0;
}

/* Every 4 KiB of [va, va + size) is translated by a leaf at @level. */
static int st_expect_level(struct st_pt *s, u64 va, u64 size, unsigned int level)
{
	u64 off;

	for (off = 0; off < size; off += ST_PAGE)
		if (st_leaf_level(s, va + off) != level)
			return st_fail("va %#llx: leaf at level %u, expected %u", va + off,
				       st_leaf_level(s, va + off), level);
	return 0;
}

static struct st_pt *st_new(struct prc_st_ctx *ctx, struct device *dev, u64 base, u64 size)
{
	struct st_pt *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (s && st_init(s, dev, base, size, ctx->seed)) {
		kfree(s);
		s = NULL;
	}
	return s;
}

static int st_done(struct st_pt *s, int ret)
{
	if (!ret)
		ret = st_check_all(s);
	if (st_fini(s) && !ret)
		ret = -EINVAL;
	kfree(s);
	return ret;
}

/*
 * 2 MiB blocks exactly where the IOVA and the address are both aligned, and
 * block splits keeping everything but the unmapped part.
 */
static int st_pt_blocks(struct prc_st_ctx *ctx)
{
	const u64 pa = SZ_8G;
	struct st_leaf before, after;
	struct st_pt *s;
	u64 base, va;
	int ret;

	/* 64 MiB window across the 1 GiB boundary: two level-2 tables. */
	s = st_new(ctx, ctx->dma_dev, SZ_1G - SZ_16M, SZ_64M);
	if (!s)
		return -ENOMEM;
	base = s->base;

	/* Both aligned: four blocks. */
	ret = st_map(s, base, pa, SZ_8M, 0, NULL) ?:
	      st_expect_level(s, base, SZ_8M, 2);
	/* Aligned IOVA, address off by 4 KiB: pages only. */
	ret = ret ?: st_map(s, base + SZ_8M, pa + SZ_16M + ST_PAGE, SZ_4M, 0, NULL) ?:
	      st_expect_level(s, base + SZ_8M, SZ_4M, 3);
	/* Same offset in 2 MiB on both sides, across 1 GiB: a page, two blocks, two pages. */
	va = base + SZ_16M - ST_BLOCK - ST_PAGE;
	ret = ret ?: st_map(s, va, pa + SZ_64M - ST_PAGE, ST_PAGE + SZ_4M + 2 * ST_PAGE, 0,
			    NULL) ?:
	      st_expect_level(s, va, ST_PAGE, 3) ?:
	      st_expect_level(s, va + ST_PAGE, SZ_4M, 2) ?:
	      st_expect_level(s, va + ST_PAGE + SZ_4M, 2 * ST_PAGE, 3);
	/* Less than 2 MiB left at an aligned IOVA: pages. */
	ret = ret ?: st_map(s, base + SZ_32M, pa + SZ_128M, ST_BLOCK - ST_PAGE, 0, NULL) ?:
	      st_expect_level(s, base + SZ_32M, ST_BLOCK - ST_PAGE, 3);
	if (ret)
		return st_done(s, ret);

	/* Unmap one page inside the second block: the other 511 stay, as they were. */
	va = base + ST_BLOCK + 2 * ST_PAGE;
	if (!st_ref_walk(&s->pt, va + ST_PAGE, &before))
		return st_done(s, st_fail("no block at %#llx", va));
	ret = st_unmap(s, va, ST_PAGE) ?: st_check_all(s) ?:
	      st_expect_level(s, base + ST_BLOCK, 2 * ST_PAGE, 3) ?:
	      st_expect_level(s, va + ST_PAGE, ST_BLOCK - 3 * ST_PAGE, 3);
	if (!ret && st_ref_walk(&s->pt, va, &after))
		ret = st_fail("%#llx still mapped after unmap", va);
	if (!ret && (!st_ref_walk(&s->pt, va + ST_PAGE, &after) ||
		     (after.desc & ~GENMASK_ULL(47, 0)) != (before.desc & ~GENMASK_ULL(47, 0)) ||
		     (after.desc & GENMASK_ULL(11, 2)) != (before.desc & GENMASK_ULL(11, 2)) ||
		     after.pa != before.pa))
		ret = st_fail("split changed %#llx: %#llx -> %#llx", va + ST_PAGE, before.desc,
			      after.desc);
	/* One range cutting two blocks (third and fourth) in part. */
	ret = ret ?: st_unmap(s, base + SZ_4M + SZ_1M, ST_BLOCK) ?: st_check_all(s) ?:
	      st_expect_level(s, base + SZ_4M, SZ_1M, 3) ?:
	      st_expect_level(s, base + SZ_4M + SZ_1M + ST_BLOCK, SZ_1M, 3);
	if (!ret && s->splits != 2)
		ret = st_fail("%lu block splits, expected 2", s->splits);

	/*
	 * Everything unmapped: every level-3 table goes, the two level-2
	 * tables (span 1 GiB, wider than the window) and the level-1 table stay.
	 */
	ret = ret ?: st_unmap(s, base, SZ_64M);
	if (!ret) {
		struct st_census c;

		prc_pgtable_flush_done(&s->pt);
		ret = st_census(s, &c);
		if (!ret && c.tables != 4)
			ret = st_fail("%lu tables left, expected root, 1 level-1, 2 level-2",
				      c.tables);
	}
	return st_done(s, ret);
}

/* A fake DMA-mapped scatter-gather table: {bus address, length} pairs. */
static int st_sgt_build(struct sg_table *sgt, const u64 (*segs)[2], unsigned int n)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	ret = sg_alloc_table(sgt, n, GFP_KERNEL);
	if (ret)
		return ret;
	for_each_sgtable_sg(sgt, sg, i) {
		sg_dma_address(sg) = segs[i][0];
		sg_dma_len(sg) = segs[i][1];
	}
	return 0;
}

/* prc_pgtable_map_sgt() of a fake table, followed in the shadow. */
static int st_map_sgt(struct st_pt *s, u64 iova, const u64 (*segs)[2], unsigned int n,
		      u64 offset, u64 size, u32 prot, int want)
{
	unsigned long page = (iova - s->base) / ST_PAGE;
	struct sg_table sgt;
	u64 left = size, len, k;
	unsigned int i;
	int ret;

	ret = st_sgt_build(&sgt, segs, n);
	if (ret)
		return ret;
	ret = prc_pgtable_reserve(&s->pt, iova, size, GFP_KERNEL);
	if (!ret) {
		ret = prc_pgtable_map_sgt(&s->pt, iova, &sgt, offset, size, prot);
		prc_pgtable_unreserve(&s->pt, iova, size);
	}
	sg_free_table(&sgt);
	if (ret != want)
		return st_fail("map_sgt %#llx+%#llx offset %#llx: %d, expected %d", iova, size,
			       offset, ret, want);
	for (i = 0; !ret && i < n && left; i++) {
		if (offset >= segs[i][1]) {
			offset -= segs[i][1];
			continue;
		}
		len = min(segs[i][1] - offset, left);
		for (k = 0; k < len; k += ST_PAGE)
			s->shadow[page++] = (segs[i][0] + offset + k) | prot;
		s->mapped += len / ST_PAGE;
		left -= len;
		offset = 0;
	}
	return 0;
}

/* Scatter-gather mappings: offsets, blocks inside segments, bad tables refused. */
static int st_pt_sgt(struct prc_st_ctx *ctx)
{
	static const u64 segs[][2] = {
		{ SZ_8G, SZ_4M },			/* 2 MiB aligned */
		{ SZ_8G + SZ_64M + ST_PAGE, 3 * ST_PAGE },	/* unaligned, 12 KiB */
		{ SZ_16G, SZ_2M },		/* aligned, but reached at an unaligned IOVA */
		{ SZ_16G + SZ_8M, SZ_4M },
	};
	static const u64 bad[][2] = {
		{ SZ_8G, SZ_2M },
		{ SZ_8G + SZ_64M + 0x800, ST_PAGE },	/* not page aligned */
	};
	struct st_pt *s;
	u64 base;
	int ret;

	s = st_new(ctx, ctx->dma_dev, SZ_4G, SZ_64M);
	if (!s)
		return -ENOMEM;
	base = s->base;

	/* From 2 MiB into the first segment: one block, 3 pages, then 2 MiB + 4 MiB of pages. */
	ret = st_map_sgt(s, base, segs, ARRAY_SIZE(segs), SZ_2M, SZ_2M + 3 * ST_PAGE + SZ_2M +
			 SZ_4M, PRC_PGTABLE_PROT_NOEXEC, 0) ?:
	      st_expect_level(s, base, SZ_2M, 2) ?:
	      st_expect_level(s, base + SZ_2M, 3 * ST_PAGE + SZ_2M + SZ_4M, 3) ?:
	      st_check_all(s);
	/* Part of a segment only, at an aligned IOVA: 1 MiB of pages. */
	ret = ret ?: st_map_sgt(s, base + SZ_32M, segs, ARRAY_SIZE(segs), SZ_1M, SZ_1M, 0, 0) ?:
	      st_check_all(s);
	/* Bad tables change nothing: too short, misaligned piece, overlap. */
	ret = ret ?: st_map_sgt(s, base + SZ_64M - SZ_16M, segs, ARRAY_SIZE(segs), SZ_4M, SZ_16M,
				0, -EINVAL) ?:
	      st_map_sgt(s, base + SZ_64M - SZ_16M, bad, ARRAY_SIZE(bad), 0, SZ_2M + ST_PAGE, 0,
			 -EINVAL) ?:
	      st_map_sgt(s, base + SZ_32M - SZ_1M, segs, ARRAY_SIZE(segs), 0, SZ_4M, 0,
			 -EEXIST) ?:
	      st_check_all(s);
	return st_done(s, ret);
}

/* Table contents, reserve and stale list, to show an operation changed nothing. */
struct st_snapshot {
	u64 hash;
	unsigned long tables, reserve, stale, promised;
};

static int st_snap(struct st_pt *s, struct st_snapshot *snap)
{
	struct st_census c;
	int ret = st_census(s, &c);

	snap->hash = c.hash;
	snap->tables = c.tables;
	snap->reserve = s->pt.reserve_count;
	snap->stale = st_stale_count(&s->pt);
	snap->promised = s->pt.promised;
	return ret;
}

static int st_unchanged(struct st_pt *s, const struct st_snapshot *before, const char *what)
{
	struct st_snapshot now;
	int ret = st_snap(s, &now);

	if (ret)
		return ret;
	if (now.hash != before->hash)
		return st_fail("%s changed table entries", what);
	if (memcmp(&now, before, sizeof(now)))
		/* Tables, reserve, stale, promised: now and before. */
		return st_fail("%s changed: %lu %lu %lu %lu, were %lu %lu %lu %lu",
			       what, now.tables, now.reserve, now.stale, now.promised,
			       before->tables, before->reserve, before->stale, before->promised);
	return 0;
}

/* A map overlapping anything mapped fails with -EEXIST and writes nothing. */
static int st_pt_eexist(struct prc_st_ctx *ctx)
{
	static const u64 one[][2] = { { SZ_16G, SZ_2M } };
	static const struct {
		u64 off, size;
		const char *what;
	} overlaps[] = {
		{ 0, SZ_2M, "the same block" },
		{ SZ_2M - ST_PAGE, 2 * ST_PAGE, "the last page of a block, then a hole" },
		{ SZ_1M, ST_PAGE, "one page inside a block" },
		{ SZ_4M, SZ_2M, "a block over pages" },
		{ SZ_4M + SZ_1M, SZ_8M, "a hole, then a page" },
		{ SZ_16M - ST_PAGE, 2 * ST_PAGE, "a hole, then a read-only page" },
		{ 0, SZ_32M, "everything" },
	};
	struct st_snapshot snap;
	struct st_pt *s;
	unsigned int i;
	u64 base;
	int ret;

	s = st_new(ctx, ctx->dma_dev, SZ_2G, SZ_32M);
	if (!s)
		return -ENOMEM;
	base = s->base;
	ret = st_map(s, base, SZ_8G, SZ_2M, 0, NULL) ?:
	      st_map(s, base + SZ_4M, SZ_8G + SZ_4M + ST_PAGE, SZ_1M, 0, NULL) ?:
	      st_map(s, base + SZ_8M, SZ_8G + SZ_8M, ST_PAGE, 0, NULL) ?:
	      st_map(s, base + SZ_16M, SZ_8G + SZ_16M, ST_PAGE, PRC_PGTABLE_PROT_READONLY, NULL);
	/* A standing reservation for all of it: a failed map must not consume it. */
	ret = ret ?: prc_pgtable_reserve(&s->pt, base, SZ_32M, GFP_KERNEL);
	if (ret)
		return st_done(s, ret);
	ret = st_snap(s, &snap);
	for (i = 0; !ret && i < ARRAY_SIZE(overlaps); i++) {
		ret = prc_pgtable_map(&s->pt, base + overlaps[i].off, SZ_32G, overlaps[i].size, 0);
		if (ret != -EEXIST) {
			ret = st_fail("map over %s: %d", overlaps[i].what, ret);
			break;
		}
		ret = st_unchanged(s, &snap, overlaps[i].what) ?:
		      st_sample(s, base + overlaps[i].off, overlaps[i].size);
	}
	if (!ret) {
		struct sg_table sgt;

		ret = st_sgt_build(&sgt, one, ARRAY_SIZE(one));
		if (!ret) {
			ret = prc_pgtable_map_sgt(&s->pt, base + SZ_1M, &sgt, 0, SZ_2M, 0);
			sg_free_table(&sgt);
			ret = ret == -EEXIST ? st_unchanged(s, &snap, "map_sgt over a block") :
			      st_fail("map_sgt over a block: %d", ret);
		}
	}
	/* Right next to existing mappings is fine. */
	ret = ret ?: prc_pgtable_map(&s->pt, base + SZ_2M, SZ_32G, ST_PAGE, 0);
	if (!ret) {
		s->shadow[SZ_2M / ST_PAGE] = SZ_32G;
		s->mapped++;
	}
	prc_pgtable_unreserve(&s->pt, base, SZ_32M);
	return st_done(s, ret);
}

/* The leaf for @va carries @prot the way the GPU model reads it. */
static int st_check_prot(struct st_pt *s, u64 va, u32 prot)
{
	struct st_leaf leaf;
	u64 want;

	if (!st_ref_walk(&s->pt, va, &leaf))
		return st_fail("%#llx not mapped", va);
	if (!(leaf.desc & ST_DESC_AF) || !(leaf.desc & ST_DESC_AP1))
		return st_fail("%#llx: AF or AP[1] clear in %#llx", va, leaf.desc);
	if (!(leaf.desc & ST_DESC_AP2) != !(prot & PRC_PGTABLE_PROT_READONLY))
		return st_fail("%#llx: AP[2] wrong in %#llx", va, leaf.desc);
	want = prot & PRC_PGTABLE_PROT_NOEXEC ? ST_DESC_XN : 0;
	if ((leaf.desc & ST_DESC_XN) != want)
		return st_fail("%#llx: XN wrong in %#llx", va, leaf.desc);
	want = prot & PRC_PGTABLE_PROT_UNCACHED ? PRC_PGTABLE_ATTR_NC : PRC_PGTABLE_ATTR_WB;
	if (ST_DESC_ATTRINDX(leaf.desc) != want)
		return st_fail("%#llx: AttrIndx wrong in %#llx", va, leaf.desc);
	want = prot & PRC_PGTABLE_PROT_UNCACHED ? ST_SH_OUTER : ST_SH_INNER;
	if (ST_DESC_SH(leaf.desc) != want)
		return st_fail("%#llx: SH wrong in %#llx", va, leaf.desc);
	if (st_leaf_prot(leaf.desc) != prot)
		return st_fail("%#llx: %#llx decodes as prot %d, mapped %#x", va, leaf.desc,
			       st_leaf_prot(leaf.desc), prot);
	return 0;
}

/*
 * The protection flags land where the GPU model looks for them, and
 * AS_MEMATTR matches the attribute indices.
 */
static int st_pt_prot_bits(struct prc_st_ctx *ctx)
{
	/*
	 * Byte 0 (WB): type 2 (write-back), explicit allocation (0b11) with
	 * read and write allocate, shareability Midgard-inner (0) or CPU-inner
	 * (1) on a coherent GPU. Byte 1 (NC): type 1, explicit, no allocation.
	 * Bytes 2-7: type 3, fault.
	 */
	static const u64 memattr[2] = { 0xc0c0c0c0c0c04c8fULL, 0xc0c0c0c0c0c04c9fULL };
	struct st_pt *s;
	unsigned int i;
	int ret = 0;
	u32 prot;

	for (i = 0; i < ARRAY_SIZE(memattr); i++)
		if (prc_pgtable_memattr(i) != memattr[i])
			return st_fail("memattr(coherent=%u) %#llx, expected %#llx", i,
				       prc_pgtable_memattr(i), memattr[i]);

	s = st_new(ctx, ctx->dma_dev, SZ_1G, SZ_64M);
	if (!s)
		return -ENOMEM;
	if (s->pt.transtab != (u64)page_to_phys(s->pt.root) || (s->pt.transtab & (ST_PAGE - 1)))
		ret = st_fail("AS_TRANSTAB %#llx for a root at %#llx", s->pt.transtab,
			      (u64)page_to_phys(s->pt.root));

	/* A page and a block with each combination. */
	for (prot = 0; !ret && prot <= PRC_PGTABLE_PROT_MASK; prot++)
		ret = st_map(s, s->base + prot * ST_PAGE, SZ_8G + prot * ST_PAGE, ST_PAGE, prot,
			     NULL) ?:
		      st_map(s, s->base + (1 + prot) * ST_BLOCK, SZ_16G + prot * ST_BLOCK,
			     ST_BLOCK, prot, NULL) ?:
		      st_check_prot(s, s->base + prot * ST_PAGE, prot) ?:
		      st_check_prot(s, s->base + (1 + prot) * ST_BLOCK + SZ_1M, prot) ?:
		      st_expect_level(s, s->base + (1 + prot) * ST_BLOCK, ST_BLOCK, 2);
	/* Flags we do not know are refused. */
	if (!ret && prc_pgtable_map(&s->pt, s->base + SZ_32M, SZ_8G, ST_PAGE,
				    PRC_PGTABLE_PROT_MASK + 1) != -EINVAL)
		ret = st_fail("unknown prot flag accepted");
	return st_done(s, ret);
}

/* Misaligned, empty, overflowing and out-of-range arguments are -EINVAL, with no effect. */
static int st_pt_bad_args(struct prc_st_ctx *ctx)
{
	static const struct {
		u64 iova, size;
	} ranges[] = {
		{ SZ_1G + 0x800, ST_PAGE },
		{ SZ_1G, ST_PAGE + 1 },
		{ SZ_1G, 0 },
		{ BIT_ULL(48) - ST_PAGE, 2 * ST_PAGE },
		{ BIT_ULL(48), ST_PAGE },
		{ SZ_1G, U64_MAX - ST_PAGE + 1 },
		{ U64_MAX - ST_PAGE + 1, ST_PAGE },
	};
	static const struct {
		u64 pa, size;
	} addrs[] = {
		{ SZ_8G + 0x800, ST_PAGE },
		{ BIT_ULL(48) - ST_PAGE, 2 * ST_PAGE },
		{ BIT_ULL(48), ST_PAGE },
		{ SZ_8G, ST_PAGE + 1 },
	};
	struct st_snapshot snap;
	struct st_pt *s;
	unsigned int i;
	int ret;

	s = st_new(ctx, NULL, SZ_1G, SZ_4M);
	if (!s)
		return -ENOMEM;
	ret = st_map(s, s->base + SZ_2M, SZ_8G, SZ_2M, 0, NULL) ?:
	      prc_pgtable_reserve(&s->pt, s->base, SZ_4M, GFP_KERNEL);
	if (ret)
		return st_done(s, ret);
	ret = st_snap(s, &snap);
	for (i = 0; !ret && i < ARRAY_SIZE(ranges); i++) {
		if (prc_pgtable_pages_needed(ranges[i].iova, ranges[i].size))
			ret = st_fail("pages_needed accepts bad range %u", i);
		else if (prc_pgtable_reserve(&s->pt, ranges[i].iova, ranges[i].size,
					     GFP_KERNEL) != -EINVAL)
			ret = st_fail("reserve accepts bad range %u", i);
		else if (prc_pgtable_map(&s->pt, ranges[i].iova, SZ_8G, ranges[i].size, 0) !=
			 -EINVAL)
			ret = st_fail("map accepts bad range %u", i);
		else if (prc_pgtable_unmap(&s->pt, ranges[i].iova, ranges[i].size) != -EINVAL)
			ret = st_fail("unmap accepts bad range %u", i);
		else
			ret = st_unchanged(s, &snap, "a bad range");
	}
	for (i = 0; !ret && i < ARRAY_SIZE(addrs); i++) {
		if (prc_pgtable_map(&s->pt, s->base, addrs[i].pa, addrs[i].size, 0) != -EINVAL)
			ret = st_fail("map accepts bad address %u", i);
		else
			ret = st_unchanged(s, &snap, "a bad address");
	}
	prc_pgtable_unreserve(&s->pt, s->base, SZ_4M);
	return st_done(s, ret);
}

/* Take every page out of the reserve, to run with an empty one. */
static void st_reserve_take(struct prc_pgtable *pt, struct list_head *stash,
			    unsigned long *stashed)
{
	spin_lock(&pt->reserve_lock);
	list_splice_init(&pt->reserve, stash);
	*stashed += pt->reserve_count;
	pt->reserve_count = 0;
	spin_unlock(&pt->reserve_lock);
}

/* Give @n stashed pages back to the reserve. */
static void st_reserve_give(struct prc_pgtable *pt, struct list_head *stash,
			    unsigned long *stashed, unsigned long n)
{
	spin_lock(&pt->reserve_lock);
	for (; n && !list_empty(stash); n--) {
		list_move(stash->next, &pt->reserve);
		pt->reserve_count++;
		(*stashed)--;
	}
	spin_unlock(&pt->reserve_lock);
}

/*
 * The reserve: worst-case counts, map and unmap refusing to start without
 * the pages they may need, and no page leaked on any of these paths.
 */
static int st_pt_reserve(struct prc_st_ctx *ctx)
{
	static const struct {
		u64 iova, size;
		unsigned long pages;
	} needed[] = {
		{ 0, ST_PAGE, 3 },
		{ SZ_2M - ST_PAGE, 2 * ST_PAGE, 4 },
		{ SZ_1G - ST_PAGE, 2 * ST_PAGE, 5 },
		{ ST_512G - ST_PAGE, 2 * ST_PAGE, 6 },
		{ 0, SZ_1G, 1 + 1 + 512 },
		{ SZ_1G, 0, 0 },
		{ SZ_1G + 1, ST_PAGE, 0 },
	};
	unsigned long stashed = 0, i;
	struct st_snapshot snap;
	LIST_HEAD(stash);
	struct st_pt *s;
	s64 unmapped;
	int ret;

	for (i = 0; i < ARRAY_SIZE(needed); i++)
		if (prc_pgtable_pages_needed(needed[i].iova, needed[i].size) != needed[i].pages)
			return st_fail("pages_needed(%#llx, %#llx) = %lu, expected %lu",
				       needed[i].iova, needed[i].size,
				       prc_pgtable_pages_needed(needed[i].iova, needed[i].size),
				       needed[i].pages);

	/* 8 MiB across the 1 GiB boundary. */
	s = st_new(ctx, ctx->dma_dev, SZ_1G - SZ_4M, SZ_8M);
	if (!s)
		return -ENOMEM;

	/* Empty reserve: the map does nothing and allocates nothing. */
	ret = st_snap(s, &snap);
	if (!ret && prc_pgtable_map(&s->pt, s->base, SZ_8G, ST_PAGE, 0) != -ENOMEM)
		ret = st_fail("map with an empty reserve did not fail");
	ret = ret ?: st_unchanged(s, &snap, "map with an empty reserve");
	if (!ret && atomic_long_read(&s->pt.pages_allocated) != 1)
		ret = st_fail("%ld pages allocated, expected the root only",
			      atomic_long_read(&s->pt.pages_allocated));
	/* An unmap that splits nothing needs no reserve. */
	if (!ret && prc_pgtable_unmap(&s->pt, s->base, SZ_8M) != 0)
		ret = st_fail("unmap of nothing with an empty reserve");

	/* A reserve for a smaller range is not enough for a larger one. */
	ret = ret ?: prc_pgtable_reserve(&s->pt, s->base, ST_PAGE, GFP_KERNEL);
	if (ret)
		return st_done(s, ret);
	if (s->pt.reserve_count != 3)
		ret = st_fail("reserve holds %lu pages, expected 3", s->pt.reserve_count);
	ret = ret ?: st_snap(s, &snap);
	if (!ret && prc_pgtable_map(&s->pt, s->base + SZ_2M - ST_PAGE, SZ_8G, 2 * ST_PAGE, 0) !=
	    -ENOMEM)
		ret = st_fail("map beyond the reserve's worst case did not fail");
	ret = ret ?: st_unchanged(s, &snap, "map beyond the reserve");
	prc_pgtable_unreserve(&s->pt, s->base, ST_PAGE);

	/* Non-blocking top-up, as a fault handler would do it; failing is allowed. */
	if (!ret && !prc_pgtable_reserve(&s->pt, s->base, SZ_8M, GFP_NOWAIT | __GFP_NOWARN))
		prc_pgtable_unreserve(&s->pt, s->base, SZ_8M);

	/* Two blocks, then an empty reserve: cutting one is refused, unmapping one whole is not. */
	ret = ret ?: st_map(s, s->base, SZ_8G, SZ_4M, 0, NULL) ?: st_check_all(s);
	if (ret)
		return st_done(s, ret);
	st_reserve_take(&s->pt, &stash, &stashed);
	ret = st_snap(s, &snap);
	if (!ret && prc_pgtable_unmap(&s->pt, s->base + ST_PAGE, ST_PAGE) != -ENOMEM)
		ret = st_fail("block split with an empty reserve did not fail");
	ret = ret ?: st_unchanged(s, &snap, "block split with an empty reserve") ?:
	      st_sample(s, s->base, ST_BLOCK);
	/* The same when the cut comes only after a whole block: checked before any change. */
	if (!ret && prc_pgtable_unmap(&s->pt, s->base, ST_BLOCK + ST_PAGE) != -ENOMEM)
		ret = st_fail("block split at the end with an empty reserve did not fail");
	ret = ret ?: st_unchanged(s, &snap, "block split at the end with an empty reserve") ?:
	      st_sample(s, s->base, SZ_4M);
	if (!ret && prc_pgtable_unmap(&s->pt, s->base, ST_BLOCK) != ST_BLOCK)
		ret = st_fail("whole-block unmap with an empty reserve failed");
	if (!ret) {
		memset(s->shadow, 0, ST_PAGES_PER_BLOCK * sizeof(*s->shadow));
		s->mapped -= ST_PAGES_PER_BLOCK;
	}

	/* Both ends inside one block: one page is enough, and it is used. */
	if (!ret && !stashed)
		ret = st_fail("no reserve page to give back");
	if (!ret) {
		st_reserve_give(&s->pt, &stash, &stashed, 1);
		unmapped = prc_pgtable_unmap(&s->pt, s->base + SZ_2M + ST_PAGE, 2 * ST_PAGE);
		if (unmapped != 2 * ST_PAGE || s->pt.reserve_count)
			ret = st_fail("unmap inside a block with one reserve page: %lld, %lu left",
				      unmapped, s->pt.reserve_count);
		s->shadow[ST_PAGES_PER_BLOCK + 1] = 0;
		s->shadow[ST_PAGES_PER_BLOCK + 2] = 0;
		s->mapped -= 2;
	}
	st_reserve_give(&s->pt, &stash, &stashed, ULONG_MAX);
	ret = ret ?: st_check_all(s) ?: st_sample(s, s->base, SZ_4M);
	/* Without reservations only the slack stays. */
	if (!ret && s->pt.reserve_count > PRC_PGTABLE_RESERVE_SLACK)
		ret = st_fail("%lu pages kept in the reserve", s->pt.reserve_count);
	return st_done(s, ret);
}

/*
 * Tables unlinked by unmap are not reused before prc_pgtable_flush_done(),
 * then recycled up to the slack and freed beyond it.
 */
static int st_pt_flush_done(struct prc_st_ctx *ctx)
{
	struct page *stale;
	struct st_pt *s;
	u64 base, l2;
	int ret;

	s = st_new(ctx, ctx->dma_dev, SZ_2G, SZ_128M);
	if (!s)
		return -ENOMEM;
	base = s->base;

	/* A page alone in its level-3 table, then unmapped: that table goes stale. */
	ret = st_map(s, base, SZ_8G, ST_PAGE, 0, NULL) ?:
	      st_map(s, base + SZ_2M, SZ_8G + SZ_2M, ST_PAGE, 0, NULL);
	l2 = st_ref_desc(&s->pt, base, 2);
	ret = ret ?: st_unmap(s, base, ST_PAGE);
	if (!ret && st_stale_count(&s->pt) != 1)
		ret = st_fail("%lu stale tables, expected 1", st_stale_count(&s->pt));
	if (ret)
		return st_done(s, ret);
	stale = list_first_entry(&s->pt.stale, struct page, lru);
	if (page_to_phys(stale) != ST_DESC_OA(l2))
		return st_done(s, st_fail("stale page is not the unlinked table"));

	/* New level-3 tables come from the reserve, never from the stale list. */
	ret = st_map(s, base, SZ_8G, ST_PAGE, 0, NULL) ?:
	      st_map(s, base + SZ_4M, SZ_8G + SZ_4M, ST_PAGE, 0, NULL);
	if (!ret && (st_stale_count(&s->pt) != 1 ||
		     list_first_entry(&s->pt.stale, struct page, lru) != stale))
		ret = st_fail("a map changed the stale list");
	if (!ret && (ST_DESC_OA(st_ref_desc(&s->pt, base, 2)) == page_to_phys(stale) ||
		     ST_DESC_OA(st_ref_desc(&s->pt, base + SZ_4M, 2)) == page_to_phys(stale)))
		ret = st_fail("stale table reused before flush_done");
	ret = ret ?: st_check_all(s);
	if (ret)
		return st_done(s, ret);
	prc_pgtable_flush_done(&s->pt);
	if (st_stale_count(&s->pt))
		return st_done(s, st_fail("flush_done left stale tables"));

	/* 64 MiB of pages (32 level-3 tables) unmapped: most are freed, not kept. */
	ret = st_map(s, base + SZ_64M, SZ_16G + ST_PAGE, SZ_64M, 0, NULL) ?:
	      st_unmap(s, base + SZ_64M, SZ_64M);
	if (!ret && st_stale_count(&s->pt) != SZ_64M / SZ_2M)
		ret = st_fail("%lu stale tables, expected 32", st_stale_count(&s->pt));
	ret = ret ?: st_check_all(s);
	if (!ret) {
		prc_pgtable_flush_done(&s->pt);
		if (s->pt.reserve_count > PRC_PGTABLE_RESERVE_SLACK)
			ret = st_fail("reserve holds %lu pages", s->pt.reserve_count);
	}
	return st_done(s, ret);
}

/* prc_pgtable_fini() frees everything whatever the state: promises, stale tables, splits. */
static int st_pt_fini_mess(struct prc_st_ctx *ctx)
{
	long allocated, freed;
	unsigned int i;
	struct st_pt *s;
	u64 iova, size;
	int ret;

	s = st_new(ctx, ctx->dma_dev, ST_512G - SZ_1G, SZ_2G);
	if (!s)
		return -ENOMEM;
	/* At least one stale table, whatever the seed. */
	ret = st_map(s, s->base, SZ_8G, ST_PAGE, 0, NULL) ?: st_unmap(s, s->base, ST_PAGE);
	for (i = 0; !ret && i < 300; i++) {
		ret = i % 3 ? st_random_map(s, &iova, &size, NULL) :
		      st_random_unmap(s, &iova, &size);
		cond_resched();
	}
	ret = ret ?: st_check_all(s);
	/* An outstanding promise, with its pages in the reserve. */
	ret = ret ?: prc_pgtable_reserve(&s->pt, s->base, SZ_2G, GFP_KERNEL);
	pr_info("# fini with %lu pages mapped, %lu splits, %lu reserve pages, %lu stale tables, %ld pages owned\n",
		s->mapped, s->splits, s->pt.reserve_count, st_stale_count(&s->pt),
		atomic_long_read(&s->pt.pages_allocated) - atomic_long_read(&s->pt.pages_freed));
	if (st_fini(s) && !ret)
		ret = -EINVAL;
	/* A second fini is harmless. */
	prc_pgtable_fini(&s->pt);
	allocated = atomic_long_read(&s->pt.pages_allocated);
	freed = atomic_long_read(&s->pt.pages_freed);
	if (!ret && (s->pt.root || allocated != freed))
		ret = st_fail("second fini: root %p, %ld allocated, %ld freed", s->pt.root,
			      allocated, freed);
	kfree(s);
	return ret;
}

/*
 * A reservation covers its whole range mapped a page at a time, as tiler heap
 * chunks are: with nothing in the reserve but what the range promised, every
 * page maps, and the tables used are exactly the promise. The ranges start a
 * new table at every level, sit inside one 2 MiB slot, and cross a 1 GiB
 * boundary.
 */
static int st_pt_reserve_pieces(struct prc_st_ctx *ctx)
{
	static const struct {
		u64 off, size;
	} ranges[] = {
		{ 0, SZ_2M },
		{ SZ_4M, SZ_128K },
		{ SZ_4M - SZ_1M, SZ_2M },
		{ SZ_8M - SZ_4M, SZ_8M },
	};
	unsigned long stashed = 0, need, i, p;
	LIST_HEAD(stash);
	struct st_pt *s;
	u64 iova, pa;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(ranges) && !ret; i++) {
		/* Fresh tables, the last range across the 1 GiB boundary at base + 8 MiB. */
		s = st_new(ctx, ctx->dma_dev, SZ_1G - SZ_8M, SZ_16M);
		if (!s)
			return -ENOMEM;
		iova = s->base + ranges[i].off;
		need = prc_pgtable_pages_needed(iova, ranges[i].size);
		st_reserve_take(&s->pt, &stash, &stashed);
		ret = prc_pgtable_reserve(&s->pt, iova, ranges[i].size, GFP_KERNEL);
		if (ret) {
			st_reserve_give(&s->pt, &stash, &stashed, ULONG_MAX);
			return st_done(s, ret);
		}
		if (s->pt.reserve_count != need)
			ret = st_fail("reserve holds %lu pages, expected %lu", s->pt.reserve_count,
				      need);
		pa = SZ_8G + SZ_2M * i + ST_PAGE;	/* never block-aligned */
		for (p = 0; p < ranges[i].size / ST_PAGE && !ret; p++) {
			ret = prc_pgtable_map(&s->pt, iova + p * ST_PAGE, pa + p * ST_PAGE,
					      ST_PAGE, 0);
			if (ret) {
				ret = st_fail("page %lu of %#llx+%#llx: %d", p, iova,
					      ranges[i].size, ret);
				break;
			}
			s->shadow[(iova - s->base) / ST_PAGE + p] = pa + p * ST_PAGE;
			s->mapped++;
		}
		if (!ret && s->pt.reserve_count)
			ret = st_fail("%lu of %lu reserved pages unused by %#llx+%#llx",
				      s->pt.reserve_count, need, iova, ranges[i].size);
		prc_pgtable_unreserve(&s->pt, iova, ranges[i].size);
		st_reserve_give(&s->pt, &stash, &stashed, ULONG_MAX);
		ret = ret ?: st_check_all(s) ?: st_unmap(s, iova, ranges[i].size);
		ret = st_done(s, ret);
	}
	return ret;
}

const struct prc_st_case prc_pgtable_st_cases[] = {
	{ "pgtable_random_cpu", st_pt_random_cpu },
	{ "pgtable_random_dma", st_pt_random_dma },
	{ "pgtable_blocks", st_pt_blocks },
	{ "pgtable_sgt", st_pt_sgt },
	{ "pgtable_eexist", st_pt_eexist },
	{ "pgtable_prot_bits", st_pt_prot_bits },
	{ "pgtable_bad_args", st_pt_bad_args },
	{ "pgtable_reserve", st_pt_reserve },
	{ "pgtable_reserve_pieces", st_pt_reserve_pieces },
	{ "pgtable_flush_done", st_pt_flush_done },
	{ "pgtable_fini_mess", st_pt_fini_mess },
};

const unsigned int prc_pgtable_st_nr_cases = ARRAY_SIZE(prc_pgtable_st_cases);
