// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: GEM object self-tests
 *
 * The cases below drive gem.c through the paths the rest of the driver and
 * userspace use: pins and DMA addresses, kernel mappings, CPU mappings made
 * through a dma-buf file in the address space of the task loading the module
 * (its mmap() reaches our mmap callback exactly as a user's would, and
 * copy_to_user() and copy_from_user() take the faults), eviction and
 * restore, shared reservation objects, and PRIME export and import, both
 * into the exporting device and into a second one (a foreign import with a
 * real dma-buf attachment). Each case states in the log what it checked, and
 * checks that every BO it made was freed and every page returned, using the
 * module-wide counters of gem.c.
 *
 * Eviction is checked to keep data, not just to free pages: after eviction
 * the clean pages of the BO's shmem file are dropped with
 * invalidate_mapping_pages() as memory reclaim would drop them; only pages
 * given back dirty survive that.
 *
 * File references: a file released by the loading task is only torn down
 * when the task returns to userspace, that is after the checks (and, should
 * loading fail, after the module is gone). The last references to dma-bufs
 * and to imported BOs are therefore dropped from a kernel worker, whose file
 * releases go through the delayed-fput list, which is then flushed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-buf.h>
#include <linux/dma-direct.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>

#include "drv.h"
#include "gem.h"
#include "selftest.h"

/* What a BO looks like, read under its resv. */
struct st_snap {
	bool pages;
	bool sgt;
	unsigned int pins;
	unsigned int vmaps;
	int mmaps;
	int gpu_maps;
	unsigned int refs;
	enum prc_gem_reclaim_state state;
};

static void st_snap(struct prc_gem_object *bo, struct st_snap *s)
{
	dma_resv_lock(bo->base.resv, NULL);
	s->pages = bo->pages;
	s->sgt = bo->sgt;
	s->pins = bo->pin_count;
	s->vmaps = bo->vmap_count;
	s->mmaps = atomic_read(&bo->mmap_count);
	s->gpu_maps = atomic_read(&bo->gpu_map_count);
	s->refs = kref_read(&bo->base.refcount);
	s->state = prc_gem_reclaim_state_locked(bo);
	dma_resv_unlock(bo->base.resv);
}

static int st_pin(struct prc_gem_object *bo)
{
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = prc_gem_pin_pages(bo);
	dma_resv_unlock(bo->base.resv);
	return ret;
}

static void st_unpin(struct prc_gem_object *bo)
{
	dma_resv_lock(bo->base.resv, NULL);
	prc_gem_unpin_pages(bo);
	dma_resv_unlock(bo->base.resv);
}

/* @fn (a prc_gem_*_locked() reclaim step) on @bo, its resv taken for it. */
static int st_locked(struct prc_gem_object *bo, int (*fn)(struct prc_gem_object *bo))
{
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = fn(bo);
	dma_resv_unlock(bo->base.resv);
	return ret;
}

static int st_evict(struct prc_gem_object *bo)
{
	return st_locked(bo, prc_gem_evict_locked);
}

/* Counter snapshot, to check a case gave back everything it took. */
struct st_counters {
	long objects;
	long pages;
};

static void st_counters(struct st_counters *c)
{
	c->objects = prc_gem_stat_objects();
	c->pages = prc_gem_stat_resident_pages();
}

static int st_counters_back(const struct st_counters *before, const char *who)
{
	struct st_counters now;
	int tries = 50;

	/*
	 * The kernel may still be finishing a release the case started (a
	 * file or dma-buf put racing with its worker): give it up to a second
	 * to settle. A real leak never comes back.
	 */
	st_counters(&now);
	while (tries-- && (now.objects != before->objects || now.pages != before->pages)) {
		flush_delayed_fput();
		msleep(20);
		st_counters(&now);
	}
	if (now.objects != before->objects || now.pages != before->pages) {
		pr_info("# %s: leak: %ld BOs and %ld pages more than before the case\n", who,
			now.objects - before->objects, now.pages - before->pages);
		return -EINVAL;
	}
	return 0;
}

/* The word at index @i of the test pattern of seed @seed. */
static u32 st_word(u32 seed, size_t i)
{
	return (u32)i * 0x9e3779b1u ^ seed;
}

static void st_fill(void *vaddr, size_t size, u32 seed)
{
	u32 *w = vaddr;
	size_t i;

	for (i = 0; i < size / sizeof(*w); i++)
		w[i] = st_word(seed, i);
}

/* Index of the first word that differs from the pattern, or -1. */
static long st_compare(const void *vaddr, size_t size, u32 seed)
{
	const u32 *w = vaddr;
	size_t i;

	for (i = 0; i < size / sizeof(*w); i++)
		if (w[i] != st_word(seed, i))
			return i;
	return -1;
}

struct st_release {
	struct work_struct work;
	struct dma_buf *dmabuf;
	struct drm_gem_object *obj;
};

static void st_release_fn(struct work_struct *work)
{
	struct st_release *r = container_of(work, struct st_release, work);

	if (r->dmabuf)
		dma_buf_put(r->dmabuf);
	drm_gem_object_put(r->obj);
}

/*
 * Drop a dma-buf reference and a GEM reference (either may be NULL) so that
 * everything they free is freed when this returns (see the DOC: section).
 */
static void st_release_sync(struct dma_buf *dmabuf, struct drm_gem_object *obj)
{
	struct st_release r = { .dmabuf = dmabuf, .obj = obj };

	INIT_WORK_ONSTACK(&r.work, st_release_fn);
	queue_work(system_unbound_wq, &r.work);
	flush_work(&r.work);
	destroy_work_on_stack(&r.work);
	flush_delayed_fput();
}

/* Creation allocates no page; sizes round up to pages; flags are checked. */
static int st_gem_create_lazy(struct prc_st_ctx *ctx)
{
	static const size_t sizes[] = { 1, PAGE_SIZE, PAGE_SIZE + 1, SZ_1M, SZ_4G };
	struct prc_gem_object *bo;
	struct st_counters before;
	struct st_snap s;
	unsigned int i;
	int ret = 0;

	st_counters(&before);
	for (i = 0; i < ARRAY_SIZE(sizes) && !ret; i++) {
		bo = prc_gem_create(ctx->drm, sizes[i], DRM_PANTHOR_BO_NO_MMAP, NULL);
		if (IS_ERR(bo)) {
			st_bad(false, "create(%zu): %ld", sizes[i], PTR_ERR(bo));
			return PTR_ERR(bo);
		}
		st_snap(bo, &s);
		if (st_bad(bo->base.size == PAGE_ALIGN(sizes[i]), "size %zu for %zu",
			   bo->base.size, sizes[i]) ||
		    st_bad(!s.pages && !s.sgt && !s.pins && !s.vmaps && !s.mmaps && !s.gpu_maps,
			   "fresh BO of %zu bytes not empty", sizes[i]) ||
		    st_bad(prc_gem_stat_resident_pages() == before.pages,
			   "pages allocated by creation") ||
		    st_bad(s.state == PRC_GEM_UNRECLAIMABLE, "state %d without pages", s.state) ||
		    st_bad(bo->base.resv == &bo->base._resv, "not its own resv") ||
		    st_bad(bo->base.filp, "no shmem file") ||
		    st_bad(!prc_gem_mmap_allowed(bo), "NO_MMAP BO mappable") ||
		    st_bad(!st_evict(bo), "evicting a non-resident BO failed"))
			ret = -EINVAL;
		drm_gem_object_put(&bo->base);
	}
	if (ret)
		return ret;
	st_note("BOs of 1 B, 4 KiB, 4 KiB + 1 B, 1 MiB, 4 GiB: sizes page-rounded, own resv,");
	st_note("shmem file, no page until first use, evicting them is a no-op");

	bo = prc_gem_create(ctx->drm, PAGE_SIZE, BIT(2), NULL);
	if (st_bad(IS_ERR(bo) && PTR_ERR(bo) == -EINVAL, "unknown uAPI flag accepted")) {
		if (!IS_ERR(bo))
			drm_gem_object_put(&bo->base);
		return -EINVAL;
	}
	bo = prc_gem_create(ctx->drm, PAGE_SIZE, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	if (st_bad(prc_gem_mmap_allowed(bo), "plain BO not mappable"))
		ret = -EINVAL;
	drm_gem_object_put(&bo->base);
	bo = prc_gem_create(ctx->drm, PAGE_SIZE, PRC_GEM_KERNEL, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	if (st_bad(!prc_gem_mmap_allowed(bo), "kernel BO mappable"))
		ret = -EINVAL;
	drm_gem_object_put(&bo->base);
	if (!ret)
		st_note("unknown flag refused; mmap allowed for plain BOs, not NO_MMAP or kernel");
	return ret ?: st_counters_back(&before, __func__);
}

/* Size 0, sizes that overflow when rounded up, and beyond the page-array limit are refused. */
static int st_gem_size_limits(struct prc_st_ctx *ctx)
{
	static const size_t bad[] = {
		0, SIZE_MAX, SIZE_MAX - PAGE_SIZE + 2, PRC_GEM_MAX_SIZE + 1,
		(size_t)U32_MAX << PAGE_SHIFT,
	};
	struct prc_gem_object *bo;
	struct st_counters before;
	unsigned int i;

	st_counters(&before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bo = prc_gem_create(ctx->drm, bad[i], 0, NULL);
		if (st_bad(IS_ERR(bo) && PTR_ERR(bo) == -EINVAL, "size %#zx: %s", bad[i],
			   IS_ERR(bo) ? "wrong errno" : "accepted")) {
			if (!IS_ERR(bo))
				drm_gem_object_put(&bo->base);
			return -EINVAL;
		}
	}
	/* The largest size is fine: nothing is allocated before use. */
	bo = prc_gem_create(ctx->drm, PRC_GEM_MAX_SIZE, 0, NULL);
	if (st_bad(!IS_ERR(bo), "max size %#zx refused: %ld", PRC_GEM_MAX_SIZE, PTR_ERR(bo)))
		return -EINVAL;
	drm_gem_object_put(&bo->base);
	st_note("sizes 0, SIZE_MAX, SIZE_MAX - PAGE_SIZE + 2 (rounding overflow), max + 1,");
	st_note("2^32 pages: -EINVAL; max %#zx accepted (nothing allocated)", PRC_GEM_MAX_SIZE);
	return st_counters_back(&before, __func__);
}

/* Pinning allocates; the sg_table is DMA-mapped, covers the BO, is cached and kept. */
static int st_gem_pin_sgt(struct prc_st_ctx *ctx)
{
	const size_t size = SZ_64K;
	struct prc_gem_object *bo;
	struct sg_dma_page_iter it;
	struct st_counters before;
	struct sg_table *sgt, *again;
	struct scatterlist *sg;
	unsigned int i, nents, n = 0;
	u64 covered = 0;
	struct st_snap s;
	int ret = -EINVAL;

	st_counters(&before);
	bo = prc_gem_create(ctx->drm, size, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	dma_resv_lock(bo->base.resv, NULL);
	sgt = prc_gem_get_sgt_locked(bo);
	if (IS_ERR(sgt)) {
		dma_resv_unlock(bo->base.resv);
		st_bad(false, "get_sgt: %ld", PTR_ERR(sgt));
		goto out_put;
	}
	again = prc_gem_get_sgt_locked(bo);
	if (!IS_ERR(again))
		n = bo->pin_count;
	if (st_bad(again == sgt, "second get_sgt gave another table") ||
	    st_bad(bo->pages && n == 2, "pin count %u after two get_sgt", n)) {
		if (!IS_ERR(again))
			prc_gem_unpin_pages(bo);
		prc_gem_unpin_pages(bo);
		dma_resv_unlock(bo->base.resv);
		goto out_put;
	}
	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (st_bad(sg_dma_address(sg) && PAGE_ALIGNED(sg_dma_address(sg)) &&
			   PAGE_ALIGNED(sg_dma_len(sg)), "segment %u: %pad + %#x", i,
			   &sg_dma_address(sg), sg_dma_len(sg)))
			goto out_unpin;
		covered += sg_dma_len(sg);
	}
	n = 0;
	/* No IOMMU: the GPU sees each page at its physical address. */
	for_each_sgtable_dma_page(sgt, &it, 0) {
		dma_addr_t addr = sg_page_iter_dma_address(&it);
		dma_addr_t want;

		if (st_bad(n < size >> PAGE_SHIFT, "more DMA pages than BO pages"))
			goto out_unpin;
		want = phys_to_dma(ctx->drm->dev, page_to_phys(bo->pages[n]));
		if (st_bad(addr == want, "page %u at %pad, expected %pad", n, &addr, &want))
			goto out_unpin;
		n++;
	}
	if (st_bad(covered == size && n == size >> PAGE_SHIFT,
		   "%llu bytes, %u pages DMA-mapped for a %zu-byte BO", covered, n, size))
		goto out_unpin;
	nents = sgt->nents;	/* the table goes with the pages */
	ret = 0;
out_unpin:
	prc_gem_unpin_pages(bo);
	prc_gem_unpin_pages(bo);
	dma_resv_unlock(bo->base.resv);
	if (ret)
		goto out_put;

	ret = -EINVAL;
	st_snap(bo, &s);
	if (st_bad(s.pages && s.sgt && !s.pins, "after the last unpin: pages %d sgt %d pins %u",
		   s.pages, s.sgt, s.pins) ||
	    st_bad(prc_gem_stat_resident_pages() == before.pages + (long)(size >> PAGE_SHIFT),
		   "resident pages %ld, expected %ld", prc_gem_stat_resident_pages(),
		   before.pages + (long)(size >> PAGE_SHIFT)) ||
	    st_bad(s.state == PRC_GEM_UNUSED, "state %d, expected unused", s.state) ||
	    st_bad(!st_evict(bo), "evict failed"))
		goto out_put;
	st_snap(bo, &s);
	if (st_bad(!s.pages && !s.sgt, "evict left pages %d sgt %d", s.pages, s.sgt) ||
	    st_bad(prc_gem_stat_resident_pages() == before.pages, "evict returned no pages"))
		goto out_put;
	st_note("64 KiB BO: get_sgt pins and allocates; %u DMA segments cover it,", nents);
	st_note("each page at its bus address; table cached (2 pins); pages kept after the");
	st_note("last unpin (state unused); evict returns them");
	ret = 0;
out_put:
	drm_gem_object_put(&bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/*
 * With transparent huge pages, a BO of 4 MiB sits on 2 MiB folios: its DMA
 * table has 2 MiB-aligned segments of 2 MiB or more, which the page tables
 * map as blocks.
 */
static int st_gem_huge_pages(struct prc_st_ctx *ctx)
{
	const size_t size = SZ_4M;
	struct prc_gem_object *bo;
	struct st_counters before;
	struct scatterlist *sg;
	struct sg_table *sgt;
	unsigned int i, nents, huge = 0;
	int ret = -EINVAL;

	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) || !prc_transparent_hugepage) {
		st_note("transparent huge pages off: nothing to check");
		return 0;
	}
	st_counters(&before);
	bo = prc_gem_create(ctx->drm, size, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	dma_resv_lock(bo->base.resv, NULL);
	sgt = prc_gem_get_sgt_locked(bo);
	if (IS_ERR(sgt)) {
		dma_resv_unlock(bo->base.resv);
		st_bad(false, "get_sgt: %ld", PTR_ERR(sgt));
		goto out_put;
	}
	for_each_sgtable_dma_sg(sgt, sg, i)
		if (sg_dma_len(sg) >= SZ_2M && IS_ALIGNED(sg_dma_address(sg), SZ_2M))
			huge++;
	nents = sgt->nents;
	prc_gem_unpin_pages(bo);
	dma_resv_unlock(bo->base.resv);
	if (st_bad(huge, "no 2 MiB-aligned 2 MiB segment in %u", nents))
		goto out_put;
	st_note("4 MiB BO: %u of its DMA segments are 2 MiB-aligned and 2 MiB or more", huge);
	ret = 0;
out_put:
	drm_gem_object_put(&bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* vmap writes, a later vmap reads the same bytes; nested vmaps share one mapping. */
static int st_gem_vmap(struct prc_st_ctx *ctx)
{
	const size_t size = 3 * PAGE_SIZE + 1;
	struct prc_gem_object *bo;
	struct st_counters before;
	void *vaddr, *nested;
	struct st_snap s;
	int ret = -EINVAL;
	long bad;

	st_counters(&before);
	bo = prc_gem_create(ctx->drm, size, DRM_PANTHOR_BO_NO_MMAP, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	vaddr = prc_gem_vmap(bo);
	if (st_bad(!IS_ERR(vaddr), "vmap: %ld", PTR_ERR(vaddr)))
		goto out_put;
	st_fill(vaddr, bo->base.size, 0x5eed);
	nested = prc_gem_vmap(bo);
	st_snap(bo, &s);
	if (!IS_ERR(nested))
		prc_gem_vunmap(bo);
	prc_gem_vunmap(bo);
	if (st_bad(nested == vaddr, "nested vmap at %p, first at %p", nested, vaddr) ||
	    st_bad(s.pages && s.vmaps == 2 && !s.pins, "pages %d vmaps %u pins %u", s.pages,
		   s.vmaps, s.pins) ||
	    st_bad(s.state == PRC_GEM_UNRECLAIMABLE, "vmapped BO reclaimable (%d)", s.state))
		goto out_put;
	st_snap(bo, &s);
	if (st_bad(s.pages && !s.vmaps && !bo->vaddr, "after vunmap: pages %d vmaps %u",
		   s.pages, s.vmaps))
		goto out_put;

	vaddr = prc_gem_vmap(bo);
	if (st_bad(!IS_ERR(vaddr), "second vmap: %ld", PTR_ERR(vaddr)))
		goto out_put;
	bad = st_compare(vaddr, bo->base.size, 0x5eed);
	prc_gem_vunmap(bo);
	if (st_bad(bad < 0, "word %ld differs after re-vmap", bad))
		goto out_put;
	st_note("NO_MMAP BO of 3 pages + 1 B: vmap allocates, pattern written; nested vmap");
	st_note("shares the mapping (count 2, unreclaimable); a new vmap reads the pattern back");
	ret = 0;
out_put:
	drm_gem_object_put(&bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* Evicted pages go to shmem dirty: the data survives reclaim of clean page cache. */
static int st_gem_evict_restore(struct prc_st_ctx *ctx)
{
	const size_t size = SZ_1M;
	const u32 seed = lower_32_bits(ctx->seed);
	struct prc_gem_object *bo;
	struct st_counters before;
	unsigned long dropped;
	struct st_snap s;
	int ret = -EINVAL;
	void *vaddr;
	long bad;

	st_counters(&before);
	bo = prc_gem_create(ctx->drm, size, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = st_pin(bo);
	if (ret)
		goto out_put;
	ret = -EINVAL;
	vaddr = prc_gem_vmap(bo);
	if (st_bad(!IS_ERR(vaddr), "vmap: %ld", PTR_ERR(vaddr))) {
		st_unpin(bo);
		goto out_put;
	}
	st_fill(vaddr, size, seed);
	prc_gem_vunmap(bo);
	st_unpin(bo);

	if (st_bad(!st_evict(bo), "evict of an idle BO failed"))
		goto out_put;
	st_snap(bo, &s);
	if (st_bad(!s.pages && !s.sgt && prc_gem_stat_resident_pages() == before.pages,
		   "evict kept pages"))
		goto out_put;
	/* What reclaim does to clean page cache. */
	dropped = invalidate_mapping_pages(bo->base.filp->f_mapping, 0, -1);

	ret = st_pin(bo);
	if (ret)
		goto out_put;
	ret = -EINVAL;
	vaddr = prc_gem_vmap(bo);
	if (st_bad(!IS_ERR(vaddr), "vmap after restore: %ld", PTR_ERR(vaddr))) {
		st_unpin(bo);
		goto out_put;
	}
	bad = st_compare(vaddr, size, seed);
	prc_gem_vunmap(bo);
	st_unpin(bo);
	if (st_bad(bad < 0, "word %ld (page %ld) lost in eviction; %lu clean pages dropped",
		   bad, bad * 4 / (long)PAGE_SIZE, dropped))
		goto out_put;
	st_note("1 MiB BO written through vmap while pinned, unpinned, evicted (pages returned),");
	st_note("%lu clean shmem pages dropped, pinned again: all %zu bytes back", dropped, size);
	ret = 0;
out_put:
	drm_gem_object_put(&bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* Eviction waits for the last pin, vmap and GPU mapping; the reclaim state follows. */
static int st_gem_evict_refused(struct prc_st_ctx *ctx)
{
	struct prc_gem_object *bo, *kbo;
	struct st_counters before;
	enum prc_gem_reclaim_state state;
	struct st_snap s;
	int ret = -EINVAL, err;
	void *vaddr;

	st_counters(&before);
	bo = prc_gem_create(ctx->drm, 4 * PAGE_SIZE, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	/* Pinned. */
	err = st_pin(bo);
	if (err) {
		ret = err;
		goto out_put;
	}
	err = st_evict(bo);
	st_snap(bo, &s);
	st_unpin(bo);
	if (st_bad(err == -EBUSY && s.pages, "evict of a pinned BO: %d, pages %d", err, s.pages) ||
	    st_bad(s.state == PRC_GEM_UNRECLAIMABLE, "pinned BO in state %d", s.state))
		goto out_put;
	st_snap(bo, &s);
	if (st_bad(s.state == PRC_GEM_UNUSED, "unpinned idle BO in state %d", s.state))
		goto out_put;

	/* Vmapped. */
	vaddr = prc_gem_vmap(bo);
	if (st_bad(!IS_ERR(vaddr), "vmap: %ld", PTR_ERR(vaddr)))
		goto out_put;
	err = st_evict(bo);
	st_snap(bo, &s);
	prc_gem_vunmap(bo);
	if (st_bad(err == -EBUSY && s.pages, "evict of a vmapped BO: %d, pages %d", err, s.pages) ||
	    st_bad(s.state == PRC_GEM_UNRECLAIMABLE, "vmapped BO in state %d", s.state))
		goto out_put;

	/* GPU-mapped (its own resv: tracked individually). */
	dma_resv_lock(bo->base.resv, NULL);
	prc_gem_gpu_map_get(bo);
	state = prc_gem_reclaim_state_locked(bo);
	err = prc_gem_evict_locked(bo);
	prc_gem_gpu_map_put(bo);
	dma_resv_unlock(bo->base.resv);
	st_snap(bo, &s);
	if (st_bad(err == -EBUSY && s.pages, "evict of a GPU-mapped BO: %d, pages %d", err,
		   s.pages) ||
	    st_bad(state == PRC_GEM_SHARED, "GPU-mapped BO with own resv in state %d", state) ||
	    st_bad(!s.gpu_maps && s.state == PRC_GEM_UNUSED, "after gpu_map_put: %d maps, state %d",
		   s.gpu_maps, s.state))
		goto out_put;

	/* All gone: evicted. */
	err = st_evict(bo);
	st_snap(bo, &s);
	if (st_bad(!err && !s.pages && !s.sgt, "evict of an idle BO: %d, pages %d", err,
		   s.pages) ||
	    st_bad(s.state == PRC_GEM_UNRECLAIMABLE, "evicted BO in state %d", s.state))
		goto out_put;

	/* Kernel BOs are never reclaimable, even idle. */
	kbo = prc_gem_create(ctx->drm, PAGE_SIZE, PRC_GEM_KERNEL, NULL);
	if (IS_ERR(kbo)) {
		ret = PTR_ERR(kbo);
		goto out_put;
	}
	vaddr = prc_gem_vmap(kbo);
	if (!IS_ERR(vaddr))
		prc_gem_vunmap(kbo);
	st_snap(kbo, &s);
	drm_gem_object_put(&kbo->base);
	if (st_bad(!IS_ERR(vaddr) && s.pages && s.state == PRC_GEM_UNRECLAIMABLE,
		   "idle resident kernel BO in state %d", s.state))
		goto out_put;

	st_note("evict refused (-EBUSY, pages kept) while pinned, vmapped, GPU-mapped;");
	st_note("states unreclaimable / unused / shared follow; idle BO evicted (unreclaimable");
	st_note("without pages); an idle resident kernel BO is unreclaimable");
	ret = 0;
out_put:
	drm_gem_object_put(&bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* Whether an LRU counts these pages (none mmapped, none GPU-mapped in one VM). */
static bool st_lru_is(struct prc_gem_lru *lru, const char *when, unsigned long unrecl,
		      unsigned long unused, unsigned long shared)
{
	unsigned long n[PRC_GEM_NR_RECLAIM_STATES];
	int i;

	for (i = 0; i < PRC_GEM_NR_RECLAIM_STATES; i++)
		n[i] = prc_gem_lru_pages(lru, i);
	return !st_bad(n[PRC_GEM_UNRECLAIMABLE] == unrecl && n[PRC_GEM_UNUSED] == unused &&
		       n[PRC_GEM_MMAPPED] == 0 && n[PRC_GEM_GPU_MAPPED] == 0 &&
		       n[PRC_GEM_SHARED] == shared,
		       "%s: pages unreclaimable %lu unused %lu mmapped %lu gpu %lu shared %lu",
		       when,
		       n[PRC_GEM_UNRECLAIMABLE], n[PRC_GEM_UNUSED], n[PRC_GEM_MMAPPED],
		       n[PRC_GEM_GPU_MAPPED], n[PRC_GEM_SHARED]);
}

/* The reclaim LRU follows every change of state: counts in pages, oldest change first. */
static int st_gem_lru(struct prc_st_ctx *ctx)
{
	struct prc_gem_object *big, *small, *kbo;
	struct prc_gem_lru lru;
	struct st_counters before;
	int ret = -EINVAL, err;
	void *vaddr;

	st_counters(&before);
	prc_gem_lru_init(&lru);
	big = prc_gem_create(ctx->drm, 4 * PAGE_SIZE, 0, NULL);
	if (IS_ERR(big))
		return PTR_ERR(big);
	small = prc_gem_create(ctx->drm, PAGE_SIZE, 0, NULL);
	if (IS_ERR(small)) {
		drm_gem_object_put(&big->base);
		return PTR_ERR(small);
	}
	kbo = prc_gem_create(ctx->drm, PAGE_SIZE, PRC_GEM_KERNEL, NULL);
	if (IS_ERR(kbo)) {
		ret = PTR_ERR(kbo);
		kbo = NULL;
		goto out;
	}
	prc_gem_lru_track(big, &lru);
	prc_gem_lru_track(small, &lru);
	vaddr = prc_gem_vmap(kbo);
	if (!IS_ERR(vaddr))
		prc_gem_vunmap(kbo);
	if (!st_lru_is(&lru, "not resident (kernel BO resident, not tracked)", 0, 0, 0))
		goto out;

	err = st_pin(big);
	if (st_bad(!err, "pin: %d", err) || !st_lru_is(&lru, "pinned", 4, 0, 0))
		goto out;
	st_unpin(big);
	if (!st_lru_is(&lru, "unpinned", 0, 4, 0))
		goto out;
	vaddr = prc_gem_vmap(small);
	if (st_bad(!IS_ERR(vaddr), "vmap: %ld", PTR_ERR(vaddr)))
		goto out;
	err = !st_lru_is(&lru, "vmapped", 1, 4, 0);
	prc_gem_vunmap(small);
	if (err || !st_lru_is(&lru, "vunmapped", 0, 5, 0))
		goto out;
	/* GPU-mapped with its own resv: shared; the put may come without any lock. */
	dma_resv_lock(big->base.resv, NULL);
	prc_gem_gpu_map_get(big);
	dma_resv_unlock(big->base.resv);
	err = !st_lru_is(&lru, "GPU-mapped", 0, 1, 4);
	prc_gem_gpu_map_put(big);
	if (err || !st_lru_is(&lru, "GPU mapping gone", 0, 5, 0))
		goto out;
	/* Least recently changed first: small (vunmap), then big (GPU unmap). */
	if (st_bad(list_first_entry(&lru.lists[PRC_GEM_UNUSED], struct prc_gem_object,
				    lru_node) == small, "LRU order: last BO changed comes first"))
		goto out;
	err = st_evict(big);
	if (st_bad(!err, "evict: %d", err) || !st_lru_is(&lru, "big evicted", 0, 1, 0))
		goto out;

	st_note("a tracked BO joins the list of its state with its pages: pinned and vmapped");
	st_note("unreclaimable, idle unused, GPU-mapped with its own resv shared; counts in");
	st_note("pages follow each change, oldest change first; eviction and free leave it");
	ret = 0;
out:
	drm_gem_object_put(&big->base);
	drm_gem_object_put(&small->base);
	if (kbo)
		drm_gem_object_put(&kbo->base);
	if (!ret && !st_lru_is(&lru, "all freed", 0, 0, 0))
		ret = -EINVAL;
	return ret ?: st_counters_back(&before, __func__);
}

static int st_drop(struct prc_gem_object *bo)
{
	return st_locked(bo, prc_gem_drop_locked);
}

/*
 * Write @fill into every byte of @bo through a vmap, or (@fill < 0) check
 * that it reads back as zeroes. Return: 0, or -EINVAL (or the vmap's error).
 */
static int st_bytes(struct prc_gem_object *bo, int fill)
{
	void *vaddr = prc_gem_vmap(bo);
	int ret = 0;

	if (IS_ERR(vaddr))
		return PTR_ERR(vaddr);
	if (fill >= 0)
		memset(vaddr, fill, bo->base.size);
	else if (memchr_inv(vaddr, 0, bo->base.size))
		ret = -EINVAL;
	prc_gem_vunmap(bo);
	return ret;
}

/*
 * Disposable content: a DONTNEED BO is purgeable and a discardable one
 * discardable; dropping them frees the pages and the content (zeroes on the
 * next use), which the next madvise reports once. A plain BO cannot be
 * dropped, a pinned one is not dropped and reports its content retained.
 */
static int st_gem_drop(struct prc_st_ctx *ctx)
{
	struct prc_gem_object *bo, *disc, *plain;
	unsigned long purged, discarded;
	struct st_counters before;
	struct prc_gem_lru lru;
	bool kept1 = false, kept2 = false, kept3 = false;
	int ret = -EINVAL, err;

	st_counters(&before);
	prc_gem_lru_init(&lru);
	bo = prc_gem_create(ctx->drm, 2 * PAGE_SIZE, 0, NULL);
	disc = prc_gem_create(ctx->drm, PAGE_SIZE, DRM_PANTHOR_PRC_BO_DISCARDABLE, NULL);
	plain = prc_gem_create(ctx->drm, PAGE_SIZE, 0, NULL);
	if (IS_ERR(bo) || IS_ERR(disc) || IS_ERR(plain)) {
		ret = -ENOMEM;
		goto out;
	}
	prc_gem_lru_track(bo, &lru);
	prc_gem_lru_track(disc, &lru);
	prc_gem_lru_track(plain, &lru);
	if (st_bytes(bo, 0x5a) || st_bytes(disc, 0xa5) || st_bytes(plain, 0x11))
		goto out;
	err = prc_gem_madvise(bo, DRM_PANTHOR_PRC_MADV_DONTNEED, &kept1);
	if (st_bad(!err && kept1, "DONTNEED: %d, retained %d", err, kept1) ||
	    st_bad(prc_gem_lru_pages(&lru, PRC_GEM_PURGEABLE) == 2 &&
		   prc_gem_lru_pages(&lru, PRC_GEM_DISCARDABLE) == 1,
		   "purgeable %lu discardable %lu pages",
		   prc_gem_lru_pages(&lru, PRC_GEM_PURGEABLE),
		   prc_gem_lru_pages(&lru, PRC_GEM_DISCARDABLE)))
		goto out;
	err = st_drop(plain);
	if (st_bad(err == -EINVAL, "drop of a plain BO: %d", err))
		goto out;
	/* Pinned: not dropped, content kept. */
	err = st_pin(bo);
	if (st_bad(!err, "pin: %d", err))
		goto out;
	err = st_drop(bo);
	st_unpin(bo);
	if (st_bad(err == -EBUSY, "drop of a pinned BO: %d", err))
		goto out;
	err = st_drop(bo);
	err = err ?: st_drop(disc);
	purged = atomic_long_read(&lru.purged);
	discarded = atomic_long_read(&lru.discarded);
	if (st_bad(!err && !bo->pages && !disc->pages, "drop: %d", err) ||
	    st_bad(purged == 2 && discarded == 1, "purged %lu discarded %lu", purged, discarded) ||
	    st_bad(!st_bytes(bo, -1) && !st_bytes(disc, -1), "dropped content not zero"))
		goto out;
	err = prc_gem_madvise(bo, DRM_PANTHOR_PRC_MADV_WILLNEED, &kept1);
	err = err ?: prc_gem_madvise(bo, DRM_PANTHOR_PRC_MADV_WILLNEED, &kept2);
	err = err ?: prc_gem_madvise(disc, DRM_PANTHOR_PRC_MADV_WILLNEED, &kept3);
	if (st_bad(!err && !kept1 && kept2 && !kept3,
		   "madvise after the drop: %d, retained %d %d %d", err, kept1, kept2, kept3) ||
	    st_bad(prc_gem_lru_pages(&lru, PRC_GEM_PURGEABLE) == 0 &&
		   prc_gem_lru_pages(&lru, PRC_GEM_DISCARDABLE) == 1,
		   "WILLNEED BO still purgeable, or discardable BO not"))
		goto out;
	st_note("DONTNEED and discardable BOs are listed apart; dropping frees their pages");
	st_note("and content (zeroes after), reported once by madvise; plain BOs cannot be");
	st_note("dropped, a pinned one is not");
	ret = 0;
out:
	if (!IS_ERR(bo))
		drm_gem_object_put(&bo->base);
	if (!IS_ERR(disc))
		drm_gem_object_put(&disc->base);
	if (!IS_ERR(plain))
		drm_gem_object_put(&plain->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* VM-private BOs share their VM's resv and hold its root object until freed. */
static int st_gem_shared_resv(struct prc_st_ctx *ctx)
{
	struct prc_gem_object *bo[2] = {}, *plain = NULL;
	struct drm_gem_object *root, *other = NULL;
	enum prc_gem_reclaim_state state = PRC_GEM_UNRECLAIMABLE;
	struct st_counters before;
	struct dma_buf *dmabuf;
	unsigned int i, refs;
	int ret = -EINVAL, err = 0;

	st_counters(&before);
	root = prc_gem_vm_root_new(ctx->drm);
	if (!root)
		return -ENOMEM;
	other = prc_gem_vm_root_new(ctx->drm);
	if (!other)
		goto out;
	for (i = 0; i < ARRAY_SIZE(bo); i++) {
		bo[i] = prc_gem_create(ctx->drm, PAGE_SIZE, 0, root);
		if (IS_ERR(bo[i])) {
			ret = PTR_ERR(bo[i]);
			bo[i] = NULL;
			goto out;
		}
	}
	plain = prc_gem_create(ctx->drm, PAGE_SIZE, 0, NULL);
	if (IS_ERR(plain)) {
		ret = PTR_ERR(plain);
		plain = NULL;
		goto out;
	}
	refs = kref_read(&root->refcount);
	if (st_bad(bo[0]->base.resv == root->resv && bo[1]->base.resv == root->resv,
		   "private BOs do not share the root's resv") ||
	    st_bad(refs == 3, "root refcount %u with two private BOs", refs) ||
	    st_bad(prc_gem_can_map_in(bo[0], root) && !prc_gem_can_map_in(bo[0], other) &&
		   prc_gem_can_map_in(plain, root) && prc_gem_can_map_in(plain, other),
		   "can_map_in wrong"))
		goto out;

	/* One lock for both: pin both, map one on the GPU, all under the root's resv. */
	dma_resv_lock(root->resv, NULL);
	if (!dma_resv_is_locked(bo[1]->base.resv)) {
		dma_resv_unlock(root->resv);
		st_bad(false, "locking the root does not lock the private BO");
		goto out;
	}
	err = prc_gem_pin_pages(bo[0]);
	if (!err) {
		err = prc_gem_pin_pages(bo[1]);
		if (!err) {
			prc_gem_gpu_map_get(bo[1]);
			prc_gem_unpin_pages(bo[1]);
			state = prc_gem_reclaim_state_locked(bo[1]);
			prc_gem_gpu_map_put(bo[1]);
		}
		prc_gem_unpin_pages(bo[0]);
	}
	dma_resv_unlock(root->resv);
	if (err) {
		ret = err;
		goto out;
	}
	if (st_bad(state == PRC_GEM_GPU_MAPPED, "GPU-mapped private BO in state %d", state))
		goto out;

	dmabuf = prc_gem_prime_export(&bo[0]->base, O_RDWR);
	if (st_bad(IS_ERR(dmabuf) && PTR_ERR(dmabuf) == -EINVAL, "private BO exported")) {
		if (!IS_ERR(dmabuf))
			st_release_sync(dmabuf, NULL);
		goto out;
	}

	drm_gem_object_put(&bo[0]->base);
	bo[0] = NULL;
	refs = kref_read(&root->refcount);
	if (st_bad(refs == 2, "root refcount %u after freeing one private BO", refs))
		goto out;
	drm_gem_object_put(&bo[1]->base);
	bo[1] = NULL;
	refs = kref_read(&root->refcount);
	if (st_bad(refs == 1, "root refcount %u after freeing both", refs))
		goto out;
	st_note("2 BOs private to a VM root: same resv, root referenced (3 -> 2 -> 1 as they");
	st_note("go), both pinned under one lock, GPU-mapped one in state gpu-mapped, export");
	st_note("refused, mappable in their VM only");
	ret = 0;
out:
	for (i = 0; i < ARRAY_SIZE(bo); i++)
		if (bo[i])
			drm_gem_object_put(&bo[i]->base);
	if (plain)
		drm_gem_object_put(&plain->base);
	drm_gem_object_put(other);
	drm_gem_object_put(root);
	return ret ?: st_counters_back(&before, __func__);
}

/*
 * CPU mappings through a dma-buf file: lazy faults, mmap count, eviction zaps
 * them and the next access faults the same bytes back, also in a piece of a
 * split mapping; private mappings and NO_MMAP BOs are refused.
 */
static int st_gem_mmap_fault(struct prc_st_ctx *ctx)
{
	const size_t size = 4 * PAGE_SIZE;
	struct prc_gem_object *bo = NULL, *nomap = NULL;
	struct dma_buf *dmabuf = NULL, *nomap_buf = NULL;
	unsigned long addr = 0, res;
	struct st_counters before;
	void __user *uptr;
	u8 *buf = NULL;
	struct st_snap s;
	int ret = -EINVAL;
	unsigned int i;
	void *vaddr;
	long bad;

	if (!current->mm) {
		st_note("no user address space to map into: skipped");
		return 0;
	}
	st_counters(&before);
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	bo = prc_gem_create(ctx->drm, size, 0, NULL);
	if (IS_ERR(bo)) {
		ret = PTR_ERR(bo);
		bo = NULL;
		goto out;
	}
	dmabuf = prc_gem_prime_export(&bo->base, O_RDWR);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		dmabuf = NULL;
		goto out;
	}
	addr = vm_mmap(dmabuf->file, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (st_bad(!IS_ERR_VALUE(addr), "mmap: %ld", (long)addr)) {
		addr = 0;
		goto out;
	}
	uptr = (void __user *)addr;
	st_snap(bo, &s);
	/* References: ours, the dma-buf's, the VMA's. */
	if (st_bad(s.mmaps == 1 && s.refs == 3, "after mmap: %d mappings, %u references",
		   s.mmaps, s.refs) ||
	    st_bad(!s.pages, "mmap allocated pages"))
		goto out;

	for (i = 0; i < size / PAGE_SIZE; i++)
		memset(buf + i * PAGE_SIZE, 0xa0 + i, PAGE_SIZE);
	if (st_bad(!copy_to_user(uptr, buf, size), "writing through the mapping faulted"))
		goto out;
	st_snap(bo, &s);
	if (st_bad(s.pages && s.state == PRC_GEM_SHARED, "after CPU writes: pages %d, state %d",
		   s.pages, s.state))
		goto out;
	vaddr = prc_gem_vmap(bo);
	if (st_bad(!IS_ERR(vaddr), "vmap: %ld", PTR_ERR(vaddr)))
		goto out;
	bad = memcmp(vaddr, buf, size);
	prc_gem_vunmap(bo);
	if (st_bad(!bad, "kernel mapping does not see the CPU writes"))
		goto out;

	if (st_bad(!st_evict(bo), "evict of an mmapped BO failed"))
		goto out;
	st_snap(bo, &s);
	if (st_bad(!s.pages, "evict kept the pages"))
		goto out;
	invalidate_mapping_pages(bo->base.filp->f_mapping, 0, -1);

	/* Split the mapping: the open callback counts the new piece. */
	if (st_bad(!vm_munmap(addr + PAGE_SIZE, PAGE_SIZE), "partial munmap failed"))
		goto out;
	st_snap(bo, &s);
	if (st_bad(s.mmaps == 2 && s.refs == 4, "after split: %d mappings, %u references",
		   s.mmaps, s.refs))
		goto out;
	memset(buf, 0, size);
	if (st_bad(!copy_from_user(buf, uptr, PAGE_SIZE) &&
		   !copy_from_user(buf + 2 * PAGE_SIZE, uptr + 2 * PAGE_SIZE, 2 * PAGE_SIZE),
		   "reading through the mappings faulted"))
		goto out;
	for (i = 0; i < size / PAGE_SIZE; i++) {
		if (i == 1)
			continue;
		if (st_bad(!memchr_inv(buf + i * PAGE_SIZE, 0xa0 + i, PAGE_SIZE),
			   "page %u reads %#x after eviction, expected %#x", i,
			   buf[i * PAGE_SIZE], 0xa0 + i))
			goto out;
	}
	st_snap(bo, &s);
	if (st_bad(s.pages, "no fault after eviction: the CPU mapping was not zapped"))
		goto out;
	vm_munmap(addr, size);
	addr = 0;
	st_snap(bo, &s);
	if (st_bad(!s.mmaps && s.refs == 2, "after munmap: %d mappings, %u references",
		   s.mmaps, s.refs))
		goto out;

	res = vm_mmap(dmabuf->file, 0, size, PROT_READ, MAP_PRIVATE, 0);
	if (st_bad(res == (unsigned long)-EINVAL, "private mapping: %ld", (long)res)) {
		if (!IS_ERR_VALUE(res))
			vm_munmap(res, size);
		goto out;
	}

	nomap = prc_gem_create(ctx->drm, size, DRM_PANTHOR_BO_NO_MMAP, NULL);
	if (IS_ERR(nomap)) {
		ret = PTR_ERR(nomap);
		nomap = NULL;
		goto out;
	}
	nomap_buf = prc_gem_prime_export(&nomap->base, O_RDWR);
	if (IS_ERR(nomap_buf)) {
		ret = PTR_ERR(nomap_buf);
		nomap_buf = NULL;
		goto out;
	}
	res = vm_mmap(nomap_buf->file, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (st_bad(res == (unsigned long)-EINVAL, "mmap of a NO_MMAP BO: %ld", (long)res)) {
		if (!IS_ERR_VALUE(res))
			vm_munmap(res, size);
		goto out;
	}
	st_snap(nomap, &s);
	if (st_bad(!s.mmaps && s.refs == 2, "refused mmap left %d mappings, %u references",
		   s.mmaps, s.refs))
		goto out;

	st_note("dma-buf mmap of a 4-page BO: no page until the first write fault; 1 mapping");
	st_note("and 1 BO reference per VMA; vmap sees the CPU writes; evict zaps; split (2");
	st_note("mappings); every page faults back with its bytes; munmap drops all;");
	st_note("MAP_PRIVATE and NO_MMAP BO: -EINVAL");
	ret = 0;
out:
	if (addr)
		vm_munmap(addr, size);
	if (nomap)
		st_release_sync(nomap_buf, &nomap->base);
	if (bo)
		st_release_sync(dmabuf, &bo->base);
	kfree(buf);
	return ret ?: st_counters_back(&before, __func__);
}

/* A dma-buf of ours imported into the same device is the same object. */
static int st_gem_prime_self(struct prc_st_ctx *ctx)
{
	struct prc_gem_object *bo, *kbo;
	struct dma_buf *dmabuf, *kbuf;
	struct drm_gem_object *obj;
	struct st_counters before;
	struct st_snap s;
	int ret = -EINVAL;
	bool refused;

	st_counters(&before);
	bo = prc_gem_create(ctx->drm, 2 * PAGE_SIZE, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	/* What drm_gem_prime_handle_to_dmabuf() calls. */
	dmabuf = bo->base.funcs->export(&bo->base, O_RDWR);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		drm_gem_object_put(&bo->base);
		return ret;
	}
	if (st_bad(dmabuf->priv == &bo->base && dmabuf->resv == bo->base.resv &&
		   dmabuf->size == bo->base.size, "dma-buf does not describe the BO") ||
	    st_bad(drm_vma_node_size(&bo->base.vma_node), "exported BO has no mmap offset"))
		goto out;

	obj = drm_gem_prime_import(ctx->drm, dmabuf);
	if (st_bad(!IS_ERR(obj), "import: %ld", PTR_ERR(obj)))
		goto out;
	st_snap(bo, &s);
	drm_gem_object_put(obj);
	if (st_bad(obj == &bo->base, "import gave another object") ||
	    st_bad(s.refs == 3 && !s.pins, "while imported: %u references, %u pins", s.refs,
		   s.pins))
		goto out;

	if (st_bad(!IS_ERR(prc_gem_vmap(bo)), "vmap failed"))
		goto out;
	prc_gem_vunmap(bo);
	st_snap(bo, &s);
	if (st_bad(s.refs == 2 && s.state == PRC_GEM_SHARED, "%u references, state %d", s.refs,
		   s.state))
		goto out;

	kbo = prc_gem_create(ctx->drm, PAGE_SIZE, PRC_GEM_KERNEL, NULL);
	if (IS_ERR(kbo)) {
		ret = PTR_ERR(kbo);
		goto out;
	}
	kbuf = prc_gem_prime_export(&kbo->base, O_RDWR);
	refused = IS_ERR(kbuf) && PTR_ERR(kbuf) == -EINVAL;
	st_release_sync(IS_ERR(kbuf) ? NULL : kbuf, &kbo->base);
	if (st_bad(refused, "kernel BO exported"))
		goto out;
	st_note("export: dma-buf with the BO's size and resv, mmap offset made; import into");
	st_note("the same device: same object, +1 reference, no pin; exported BO in state");
	st_note("shared; kernel BO export refused");
	ret = 0;
out:
	st_release_sync(dmabuf, &bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* Collect the per-page DMA addresses of @sgt; return how many pages it has. */
static unsigned int st_dma_pages(struct sg_table *sgt, dma_addr_t *addrs, unsigned int max)
{
	struct sg_dma_page_iter it;
	unsigned int n = 0;

	for_each_sgtable_dma_page(sgt, &it, 0) {
		if (n < max)
			addrs[n] = sg_page_iter_dma_address(&it);
		n++;
	}
	return n;
}

/* A dma-buf of ours imported into another device: attachment, pin, same memory. */
static int st_gem_prime_foreign(struct prc_st_ctx *ctx)
{
	const unsigned int npages = 8;
	const u32 seed = 0xf0e1;
	dma_addr_t exp_addr[8], imp_addr[8];
	struct prc_gem_object *bo, *imp = NULL;
	struct st_counters before;
	struct sg_table *sgt;
	struct dma_buf *dmabuf;
	struct drm_gem_object *obj;
	unsigned int n_exp = 0, n_imp = 0;
	struct st_snap s, si;
	int ret = -EINVAL, err;
	void *vaddr;
	long bad;

	st_counters(&before);
	bo = prc_gem_create(ctx->drm, npages * PAGE_SIZE, 0, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	vaddr = prc_gem_vmap(bo);
	if (IS_ERR(vaddr)) {
		drm_gem_object_put(&bo->base);
		return PTR_ERR(vaddr);
	}
	st_fill(vaddr, bo->base.size, seed);
	prc_gem_vunmap(bo);
	dmabuf = prc_gem_prime_export(&bo->base, O_RDWR);
	if (IS_ERR(dmabuf)) {
		drm_gem_object_put(&bo->base);
		return PTR_ERR(dmabuf);
	}

	obj = drm_gem_prime_import(ctx->peer_drm, dmabuf);
	if (st_bad(!IS_ERR(obj), "foreign import: %ld", PTR_ERR(obj)))
		goto out;
	imp = to_prc_gem(obj);
	st_snap(bo, &s);
	if (st_bad(obj != &bo->base && obj->dev == ctx->peer_drm, "import is not a new object") ||
	    st_bad(prc_gem_is_imported(imp) && obj->import_attach->dmabuf == dmabuf,
		   "import has no attachment to the dma-buf") ||
	    st_bad(obj->resv == bo->base.resv, "import does not share the exporter's resv") ||
	    st_bad(!obj->filp && !imp->pages && obj->size == bo->base.size,
		   "import has shmem, pages or another size") ||
	    st_bad(s.pins == 1, "exporter has %u pins while attached, expected 1", s.pins))
		goto out;

	/* Exporter pinned by the attachment; import not evictable; same bus addresses. */
	dma_resv_lock(obj->resv, NULL);
	err = prc_gem_evict_locked(bo);
	if (st_bad(err == -EBUSY, "evict of an attached exporter: %d", err) ||
	    st_bad(prc_gem_evict_locked(imp) == -EINVAL, "evict of an import not refused") ||
	    st_bad(prc_gem_reclaim_state_locked(imp) == PRC_GEM_UNRECLAIMABLE,
		   "import reclaimable")) {
		dma_resv_unlock(obj->resv);
		goto out;
	}
	sgt = prc_gem_get_sgt_locked(imp);
	if (!IS_ERR(sgt)) {
		n_imp = st_dma_pages(sgt, imp_addr, ARRAY_SIZE(imp_addr));
		prc_gem_unpin_pages(imp);
		n_exp = st_dma_pages(bo->sgt, exp_addr, ARRAY_SIZE(exp_addr));
	}
	dma_resv_unlock(obj->resv);
	if (st_bad(!IS_ERR(sgt) && sgt == imp->sgt, "get_sgt of the import: %d",
		   PTR_ERR_OR_ZERO(sgt)) ||
	    st_bad(n_imp == npages && n_exp == npages, "%u and %u DMA pages, expected %u", n_imp,
		   n_exp, npages) ||
	    st_bad(!memcmp(imp_addr, exp_addr, sizeof(exp_addr)),
		   "importer and exporter see different bus addresses"))
		goto out;

	/* Kernel mapping of the import: the exporter's, with the exporter's bytes. */
	vaddr = prc_gem_vmap(imp);
	if (st_bad(!IS_ERR(vaddr), "vmap of the import: %ld", PTR_ERR(vaddr)))
		goto out;
	bad = st_compare(vaddr, obj->size, seed);
	st_snap(bo, &s);
	prc_gem_vunmap(imp);
	st_snap(imp, &si);
	if (st_bad(bad < 0, "import reads word %ld wrong", bad) ||
	    st_bad(s.vmaps == 1 && !si.vmaps, "exporter vmaps %u while the import is mapped",
		   s.vmaps))
		goto out;

	st_release_sync(NULL, obj);
	imp = NULL;
	st_snap(bo, &s);
	if (st_bad(!s.pins && s.refs == 2, "after freeing the import: %u pins, %u references",
		   s.pins, s.refs))
		goto out;
	st_note("import into a second device: new object, attached, exporter's resv, no shmem;");
	st_note("exporter pinned (evict -EBUSY), import not evictable; same %u bus addresses;",
		npages);
	st_note("vmap reads the exporter's bytes; freeing the import unpins the exporter");
	ret = 0;
out:
	if (imp)
		st_release_sync(NULL, &imp->base);
	st_release_sync(dmabuf, &bo->base);
	return ret ?: st_counters_back(&before, __func__);
}

/* BOs in every state are freed at their last put and return every page. */
static int st_gem_leaks(struct prc_st_ctx *ctx)
{
	struct prc_gem_object *bo[8] = {};
	struct st_counters before, now;
	long resident = 0, expected;
	struct dma_buf *dmabuf;
	struct sg_table *sgt;
	unsigned int i;
	void *vaddr;
	int ret = 0;

	st_counters(&before);
	for (i = 0; i < ARRAY_SIZE(bo) && !ret; i++) {
		bo[i] = prc_gem_create(ctx->drm, (i + 1) * PAGE_SIZE, 0, NULL);
		if (IS_ERR(bo[i])) {
			ret = PTR_ERR(bo[i]);
			bo[i] = NULL;
			break;
		}
		switch (i % 4) {
		case 0:		/* pinned and unpinned */
			ret = st_pin(bo[i]);
			if (!ret)
				st_unpin(bo[i]);
			break;
		case 1:		/* vmapped and unmapped */
			vaddr = prc_gem_vmap(bo[i]);
			if (IS_ERR(vaddr))
				ret = PTR_ERR(vaddr);
			else
				prc_gem_vunmap(bo[i]);
			break;
		case 2:		/* GPU-mapped and unmapped */
			dma_resv_lock(bo[i]->base.resv, NULL);
			sgt = prc_gem_get_sgt_locked(bo[i]);
			if (IS_ERR(sgt)) {
				ret = PTR_ERR(sgt);
			} else {
				prc_gem_gpu_map_get(bo[i]);
				prc_gem_unpin_pages(bo[i]);
				prc_gem_gpu_map_put(bo[i]);
			}
			dma_resv_unlock(bo[i]->base.resv);
			break;
		default:	/* never used */
			continue;
		}
		resident += i + 1;
	}
	if (ret)
		goto out;

	/* One of them exported too; its dma-buf holds a reference until released. */
	dmabuf = prc_gem_prime_export(&bo[0]->base, O_RDWR);
	if (IS_ERR(dmabuf)) {
		ret = PTR_ERR(dmabuf);
		goto out;
	}
	st_release_sync(dmabuf, NULL);

	st_counters(&now);
	ret = -EINVAL;
	if (st_bad(now.objects == before.objects + (long)ARRAY_SIZE(bo) &&
		   now.pages == before.pages + resident,
		   "%ld BOs and %ld pages, expected %zu and %ld", now.objects - before.objects,
		   now.pages - before.pages, ARRAY_SIZE(bo), resident))
		goto out;

	/* A second reference keeps bo[1] alive past the first put. */
	drm_gem_object_get(&bo[1]->base);
	for (i = 0; i < ARRAY_SIZE(bo); i++) {
		drm_gem_object_put(&bo[i]->base);
		if (i != 1)
			bo[i] = NULL;
	}
	st_counters(&now);
	expected = before.pages + 2;
	if (st_bad(now.objects == before.objects + 1 && now.pages == expected,
		   "after the puts: %ld BOs and %ld pages left, expected 1 and 2",
		   now.objects - before.objects, now.pages - before.pages))
		goto out;
	drm_gem_object_put(&bo[1]->base);
	bo[1] = NULL;
	st_note("8 BOs (pinned, vmapped, GPU-mapped, never used; one exported): %ld pages",
		resident);
	st_note("resident as expected; each freed at its last put, not before; all returned");
	ret = 0;
out:
	for (i = 0; i < ARRAY_SIZE(bo); i++)
		if (bo[i])
			drm_gem_object_put(&bo[i]->base);
	return ret ?: st_counters_back(&before, __func__);
}

const struct prc_st_case prc_gem_st_cases[] = {
	{ "gem_create_lazy", st_gem_create_lazy },
	{ "gem_size_limits", st_gem_size_limits },
	{ "gem_pin_sgt", st_gem_pin_sgt },
	{ "gem_huge_pages", st_gem_huge_pages },
	{ "gem_vmap", st_gem_vmap },
	{ "gem_evict_restore", st_gem_evict_restore },
	{ "gem_evict_refused", st_gem_evict_refused },
	{ "gem_lru", st_gem_lru },
	{ "gem_drop", st_gem_drop },
	{ "gem_shared_resv", st_gem_shared_resv },
	{ "gem_mmap_fault", st_gem_mmap_fault },
	{ "gem_prime_self", st_gem_prime_self },
	{ "gem_prime_foreign", st_gem_prime_foreign },
	{ "gem_leaks", st_gem_leaks },
};

const unsigned int prc_gem_st_nr_cases = ARRAY_SIZE(prc_gem_st_cases);
