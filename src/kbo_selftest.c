// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: kernel BO and kernel VA self-tests
 *
 * The cases below drive the kernel VA allocator of vm.c, kernel mappings
 * and kbo.c on a user VM (created through the VM_CREATE path, so its kernel
 * range is the one userspace is told about) and on the MCU's VM, with the
 * firmware helpers the scheduler uses on top. They need a &struct
 * prc_device: each case makes one of its own, with a DRM device on a
 * platform device of its own (48-bit streaming DMA like the GPU's, no
 * IOMMU) and the Mali-G610's MMU features, but no hardware behind it; its
 * VMs are never bound to an address-space slot, so nothing touches
 * registers.
 *
 * Mappings are checked by translating every 4 KiB page of the VA range
 * through our page tables (prc_pgtable_iova_to_phys()) and comparing with
 * the BO's DMA addresses. Each case ends by checking that every BO, every
 * resident page and every VM it made was freed, and that freed VMs had
 * given back all their page-table pages.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>

#include "compat/compat.h"
#include "device.h"
#include "fw.h"
#include "gem.h"
#include "kbo.h"
#include "regs.h"
#include "selftest.h"
#include "vm.h"
#include "vm_pool.h"

/* Mali-G610 MMU_FEATURES: 48-bit VAs, 40-bit PAs. */
#define ST_KBO_MMU_FEATURES	0x2830
#define ST_KBO_FULL_VA		BIT_ULL(48)

/* A device of our own per case, on a platform device of its own. */
struct st_kbo_fix {
	struct platform_device *plat;
	void *group;
	struct prc_device *pdev;
};

/* Never registered nor opened; the fops only name the owner module. */
static const struct file_operations st_kbo_fops = {
	.owner = THIS_MODULE,
};

static const struct drm_driver st_kbo_driver = {
	.driver_features = DRIVER_GEM | PRC_DRIVER_GEM_GPUVA,
	.fops = &st_kbo_fops,
	.name = "prc-kbo-selftest",
	.desc = "panthor-reclaim kernel BO self-tests",
};

/*
 * The platform device is set up like the self-test one of selftest.c (a
 * second DRM device on that one would collide with the first in debugfs).
 * The DRM device is device-managed: it is allocated in a devres group,
 * whose release drops it although no driver is bound.
 */
static int st_kbo_fix_init(struct st_kbo_fix *f)
{
	struct device *dev;
	int ret;

	f->plat = platform_device_register_simple("panthor-reclaim-selftest-kbo",
						  PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(f->plat))
		return PTR_ERR(f->plat);
	dev = &f->plat->dev;
	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(48));
	if (ret)
		goto err_unregister;
	f->group = devres_open_group(dev, NULL, GFP_KERNEL);
	if (!f->group) {
		ret = -ENOMEM;
		goto err_unregister;
	}
	f->pdev = devm_drm_dev_alloc(dev, &st_kbo_driver, struct prc_device, base);
	devres_close_group(dev, f->group);
	if (IS_ERR(f->pdev)) {
		ret = PTR_ERR(f->pdev);
		goto err_release;
	}
	f->pdev->props.mmu_features = ST_KBO_MMU_FEATURES;
	f->pdev->coherent = device_get_dma_attr(dev) == DEV_DMA_COHERENT;
	return 0;

err_release:
	devres_release_group(dev, f->group);
err_unregister:
	platform_device_unregister(f->plat);
	return ret;
}

static void st_kbo_fix_fini(struct st_kbo_fix *f)
{
	devres_release_group(&f->plat->dev, f->group);
	platform_device_unregister(f->plat);
}

/* Counter snapshot, to check a case gave back everything it took. */
struct st_kbo_counters {
	long objects;
	long pages;
	long vms;
	long leaked_pt;
};

static void st_kbo_counters(struct st_kbo_counters *c)
{
	c->objects = prc_gem_stat_objects();
	c->pages = prc_gem_stat_resident_pages();
	c->vms = prc_vm_stat_live();
	c->leaked_pt = prc_vm_stat_leaked_pt_pages();
}

static int st_kbo_counters_back(const struct st_kbo_counters *before, const char *who)
{
	struct st_kbo_counters now;

	st_kbo_counters(&now);
	if (now.objects != before->objects || now.pages != before->pages ||
	    now.vms != before->vms || now.leaked_pt != before->leaked_pt) {
		pr_info("# %s: leak: %ld BOs, %ld pages, %ld VMs, %ld page-table pages more than before\n",
			who, now.objects - before->objects, now.pages - before->pages,
			now.vms - before->vms, now.leaked_pt - before->leaked_pt);
		return -EINVAL;
	}
	return 0;
}

/* Translate @va through @vm's page tables, under the page-table lock. */
static dma_addr_t st_kbo_xlate(struct prc_vm *vm, u64 va)
{
	dma_addr_t pa;

	mutex_lock(&vm->op_lock);
	pa = prc_pgtable_iova_to_phys(&vm->pt, va);
	mutex_unlock(&vm->op_lock);
	return pa;
}

/*
 * [@offset, @offset + @size) of @bo is what the GPU sees at @va: every
 * 4 KiB page translates to the BO's DMA address. The BO is GPU-mapped, so
 * resident, and its sg_table stable without the resv.
 */
static bool st_kbo_maps(struct prc_vm *vm, struct prc_gem_object *bo, u64 offset, u64 va,
			u64 size)
{
	struct sg_dma_page_iter it;
	struct sg_table *sgt;
	u64 pos = 0, sub;

	dma_resv_lock(bo->base.resv, NULL);
	sgt = bo->sgt;
	dma_resv_unlock(bo->base.resv);
	if (!sgt)
		return false;
	for_each_sgtable_dma_page(sgt, &it, 0) {
		dma_addr_t want = sg_page_iter_dma_address(&it);

		if (pos >= offset && pos < offset + size) {
			for (sub = 0; sub < PAGE_SIZE; sub += SZ_4K) {
				if (st_kbo_xlate(vm, va + pos - offset + sub) != want + sub)
					return false;
			}
		}
		pos += PAGE_SIZE;
	}
	return pos >= offset + size;
}

/* Nothing is mapped in [@va, @va + @size). */
static bool st_kbo_unmapped(struct prc_vm *vm, u64 va, u64 size)
{
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		if (st_kbo_xlate(vm, va + off))
			return false;
	return true;
}

static bool st_kbo_in(u64 va, u64 size, u64 start, u64 end)
{
	return va >= start && va < end && size <= end - va;
}

static bool st_kbo_disjoint(const struct prc_kbo *a, const struct prc_kbo *b)
{
	return prc_kbo_va(a) + prc_kbo_size(a) <= prc_kbo_va(b) ||
	       prc_kbo_va(b) + prc_kbo_size(b) <= prc_kbo_va(a);
}

/* A fixed or automatic VA request gives @want (0 or a negative errno). */
static bool st_kbo_va_gives(struct prc_vm *vm, u64 va, u64 size, int want)
{
	struct drm_mm_node node = {};
	int ret = prc_vm_alloc_va(vm, va, size, &node);

	if (!ret)
		prc_vm_free_va(vm, &node);
	if (ret != want)
		pr_info("# alloc_va(0x%llx, 0x%llx) gave %d, not %d\n", va, size, ret, want);
	return ret == want;
}

/* A kbo at an automatic VA, the GPU access @gpu, no CPU view. */
static struct prc_kbo *st_kbo_auto(struct prc_vm *vm, size_t size, u32 gpu)
{
	return prc_kbo_new(vm, &(struct prc_kbo_desc){
		.purpose = "self-test", .size = size, .gpu = gpu,
	});
}

/* A kbo at the fixed VA @va, the GPU access @gpu, no CPU view. */
static struct prc_kbo *st_kbo_at(struct prc_vm *vm, size_t size, u32 gpu, u64 va)
{
	return prc_kbo_new(vm, &(struct prc_kbo_desc){
		.purpose = "self-test", .size = size, .gpu = gpu, .fixed = true, .va = va,
	});
}

/* A user VM as VM_CREATE makes it; @vm gets a reference of its own. */
static int st_kbo_user_vm(struct prc_device *pdev, struct prc_vm_pool *pool, u32 *id,
			  struct prc_vm **vm)
{
	struct drm_panthor_vm_create args = {};
	int ret;

	prc_vm_pool_init(pool);
	ret = prc_vm_pool_create(pdev, pool, &args);
	if (ret < 0) {
		prc_vm_pool_fini(pool);
		return ret;
	}
	*id = ret;
	*vm = prc_vm_pool_get(pool, *id);
	if (!*vm || (*vm)->kernel_va_start != args.user_va_range ||
	    (*vm)->kernel_va_end != ST_KBO_FULL_VA) {
		pr_info("# user VM: kernel range not [user_va_range 0x%llx, 2^48)\n",
			args.user_va_range);
		prc_vm_put(*vm);
		prc_vm_pool_fini(pool);
		return -EINVAL;
	}
	return 0;
}

/* The kernel VA allocator of a user VM: fixed and automatic VAs, refusals. */
static int st_kbo_va_user(struct prc_st_ctx *ctx)
{
	struct drm_mm_node a = {}, b = {}, c = {};
	struct st_kbo_counters before;
	struct prc_vm_pool pool;
	struct st_kbo_fix fix;
	struct prc_vm *vm;
	u64 ks, fixed;
	int ret;
	u32 id;

	st_kbo_counters(&before);
	ret = st_kbo_fix_init(&fix);
	if (ret)
		return ret;
	ret = st_kbo_user_vm(fix.pdev, &pool, &id, &vm);
	if (ret)
		goto out_fix;
	ks = vm->kernel_va_start;
	fixed = ks + SZ_4G;

	ret = -EINVAL;
	if (st_bad(!prc_vm_alloc_va(vm, PRC_VM_KERNEL_AUTO_VA, SZ_64K, &a), "auto 64 KiB") ||
	    st_bad(st_kbo_in(a.start, a.size, ks, ST_KBO_FULL_VA) && IS_ALIGNED(a.start, PAGE_SIZE),
		   "auto VA 0x%llx outside the kernel range", a.start) ||
	    st_bad(!prc_vm_alloc_va(vm, PRC_VM_KERNEL_AUTO_VA, SZ_4M, &b), "auto 4 MiB") ||
	    st_bad(st_kbo_in(b.start, b.size, ks, ST_KBO_FULL_VA) && IS_ALIGNED(b.start, SZ_2M),
		   "auto 4 MiB VA 0x%llx not 2 MiB aligned in the kernel range", b.start) ||
	    st_bad(a.start + a.size <= b.start || b.start + b.size <= a.start,
		   "automatic ranges overlap") ||
	    st_bad(!prc_vm_alloc_va(vm, fixed, 3 * PAGE_SIZE, &c) && c.start == fixed,
		   "fixed VA 0x%llx", fixed))
		goto out_free;
	st_note("kernel range [0x%llx, 2^48); auto 0x%llx (64 KiB), 0x%llx (4 MiB); fixed 0x%llx",
		ks, a.start, b.start, fixed);

	if (st_bad(st_kbo_va_gives(vm, fixed + PAGE_SIZE, PAGE_SIZE, -ENOSPC), "overlap inside") ||
	    st_bad(st_kbo_va_gives(vm, fixed - PAGE_SIZE, 2 * PAGE_SIZE, -ENOSPC),
		   "overlap at the start") ||
	    st_bad(st_kbo_va_gives(vm, fixed + 3 * PAGE_SIZE, PAGE_SIZE, 0), "right after") ||
	    st_bad(st_kbo_va_gives(vm, ks - 2 * PAGE_SIZE, PAGE_SIZE, -EINVAL), "user range") ||
	    st_bad(st_kbo_va_gives(vm, ks - PAGE_SIZE, 2 * PAGE_SIZE, -EINVAL),
		   "straddling the user/kernel boundary") ||
	    st_bad(st_kbo_va_gives(vm, ST_KBO_FULL_VA - PAGE_SIZE, PAGE_SIZE, 0), "last page") ||
	    st_bad(st_kbo_va_gives(vm, ST_KBO_FULL_VA - PAGE_SIZE, 2 * PAGE_SIZE, -EINVAL),
		   "past the end") ||
	    st_bad(st_kbo_va_gives(vm, ST_KBO_FULL_VA, PAGE_SIZE, -EINVAL), "at the end") ||
	    st_bad(st_kbo_va_gives(vm, fixed + SZ_1M + 1, PAGE_SIZE, -EINVAL), "misaligned VA") ||
	    st_bad(st_kbo_va_gives(vm, fixed + SZ_1M, 100, -EINVAL), "misaligned size") ||
	    st_bad(st_kbo_va_gives(vm, fixed + SZ_1M, 0, -EINVAL), "empty range") ||
	    st_bad(st_kbo_va_gives(vm, PRC_VM_KERNEL_AUTO_VA, 0, -EINVAL), "empty auto range"))
		goto out_free;
	st_note("overlaps -ENOSPC; user range, boundary, end, misalignment -EINVAL");

	prc_vm_free_va(vm, &c);
	if (st_bad(!prc_vm_alloc_va(vm, fixed + PAGE_SIZE, PAGE_SIZE, &c), "reuse after free"))
		goto out_free;
	st_note("a freed range can be allocated again");
	ret = 0;
out_free:
	prc_vm_free_va(vm, &a);
	prc_vm_free_va(vm, &b);
	prc_vm_free_va(vm, &c);
	prc_vm_put(vm);
	prc_vm_pool_fini(&pool);
out_fix:
	st_kbo_fix_fini(&fix);
	return ret ?: st_kbo_counters_back(&before, __func__);
}

/* Kernel BOs and kernel mappings in a user VM. */
static int st_kbo_user(struct prc_st_ctx *ctx)
{
	struct prc_kbo *k1 = NULL, *k2 = NULL, *k3 = NULL, *bad;
	struct drm_mm_node extra = {};
	struct st_kbo_counters before;
	long objects, pages;
	struct prc_vm_pool pool;
	struct st_kbo_fix fix;
	struct prc_vm *vm;
	u64 ks, va1, va2;
	u32 *w, *again;
	size_t n;
	int ret;
	u32 id;

	st_kbo_counters(&before);
	ret = st_kbo_fix_init(&fix);
	if (ret)
		return ret;
	ret = st_kbo_user_vm(fix.pdev, &pool, &id, &vm);
	if (ret)
		goto out_fix;
	ks = vm->kernel_va_start;

	ret = -EINVAL;
	k1 = prc_kbo_new(vm, &(struct prc_kbo_desc){
		.purpose = "self-test", .size = 3 * PAGE_SIZE - 100,
		.gpu = PRC_KBO_GPU_WRITE, .cpu_view = true,
	});
	k2 = st_kbo_at(vm, SZ_2M + PAGE_SIZE, PRC_KBO_GPU_ALL, ks + SZ_16M);
	if (st_bad(!IS_ERR(k1), "auto kbo: %ld", PTR_ERR(k1)) ||
	    st_bad(!IS_ERR(k2), "fixed kbo: %ld", PTR_ERR(k2)))
		goto out;
	va1 = prc_kbo_va(k1);
	va2 = prc_kbo_va(k2);
	if (st_bad(prc_kbo_size(k1) == 3 * PAGE_SIZE && k1->mem->base.size == 3 * PAGE_SIZE,
		   "size not rounded up to pages") ||
	    st_bad(st_kbo_in(va1, prc_kbo_size(k1), ks, ST_KBO_FULL_VA), "auto VA 0x%llx", va1) ||
	    st_bad(va2 == ks + SZ_16M, "fixed VA 0x%llx", va2) ||
	    st_bad(st_kbo_disjoint(k1, k2), "kbos overlap") ||
	    st_bad(k1->vm == vm && kref_read(&vm->base.kref) >= 3, "kbos hold no VM reference") ||
	    st_bad(st_kbo_maps(vm, k1->mem, 0, va1, prc_kbo_size(k1)), "auto kbo not mapped") ||
	    st_bad(st_kbo_maps(vm, k2->mem, 0, va2, prc_kbo_size(k2)), "fixed kbo not mapped"))
		goto out;
	st_note("auto kbo at 0x%llx (3 pages), fixed at 0x%llx (2 MiB + 1 page): both translated",
		va1, va2);

	dma_resv_lock(k1->mem->base.resv, NULL);
	ret = (k1->mem->flags & (PRC_GEM_KERNEL | DRM_PANTHOR_BO_NO_MMAP)) ==
	      (PRC_GEM_KERNEL | DRM_PANTHOR_BO_NO_MMAP) &&
	      k1->mem->resv_owner == prc_vm_root_obj(vm) &&
	      k1->mem->base.resv == prc_vm_root_obj(vm)->resv &&
	      !prc_gem_mmap_allowed(k1->mem) &&
	      atomic_read(&k1->mem->gpu_map_count) == 1 && !k1->mem->pin_count &&
	      k1->mem->vmap_count == 1 && !k2->mem->vmap_count &&
	      prc_gem_reclaim_state_locked(k1->mem) == PRC_GEM_UNRECLAIMABLE ? 0 : -EINVAL;
	dma_resv_unlock(k1->mem->base.resv);
	if (st_bad(!ret, "BO not a VM-private, unmappable, unreclaimable kernel BO mapped once"))
		goto out;
	st_note("BO: kernel, NO_MMAP, VM's resv, mapped once, unpinned, unreclaimable, CPU view");

	ret = -EINVAL;
	objects = prc_gem_stat_objects();
	pages = prc_gem_stat_resident_pages();
	bad = st_kbo_at(vm, PAGE_SIZE, 0, va2 + SZ_1M);
	if (st_bad(PTR_ERR_OR_ZERO(bad) == -ENOSPC, "overlapping kbo: %ld", PTR_ERR(bad)))
		goto out_bad;
	bad = st_kbo_at(vm, PAGE_SIZE, 0, ks - SZ_1M);
	if (st_bad(PTR_ERR_OR_ZERO(bad) == -EINVAL, "kbo in the user range: %ld", PTR_ERR(bad)))
		goto out_bad;
	bad = st_kbo_auto(vm, PAGE_SIZE, BIT(7));
	if (st_bad(PTR_ERR_OR_ZERO(bad) == -EINVAL, "unknown access bits: %ld", PTR_ERR(bad)))
		goto out_bad;
	bad = st_kbo_auto(vm, 0, 0);
	if (st_bad(PTR_ERR_OR_ZERO(bad) == -EINVAL, "empty kbo: %ld", PTR_ERR(bad)))
		goto out_bad;
	bad = prc_kbo_new(vm, &(struct prc_kbo_desc){
		.purpose = "self-test", .size = PAGE_SIZE, .cpu_view = true, .fixed = true,
		.va = va1,
	});
	if (st_bad(PTR_ERR_OR_ZERO(bad) == -ENOSPC, "CPU-viewed kbo over k1: %ld", PTR_ERR(bad)))
		goto out_bad;
	/* A range free for the allocator but mapped: the map step fails, after the BO exists. */
	if (st_bad(!prc_vm_map_bo_range(vm, k2->mem, 0, PAGE_SIZE, ks + SZ_1G, 0), "stray map"))
		goto out;
	bad = st_kbo_at(vm, PAGE_SIZE, 0, ks + SZ_1G);
	prc_vm_unmap_range(vm, ks + SZ_1G, PAGE_SIZE);
	if (st_bad(PTR_ERR_OR_ZERO(bad) == -EEXIST, "kbo over a stray mapping: %ld", PTR_ERR(bad)))
		goto out_bad;
	if (st_bad(prc_gem_stat_objects() == objects && prc_gem_stat_resident_pages() == pages,
		   "failed creations left BOs or pages behind") ||
	    st_bad(st_kbo_maps(vm, k2->mem, 0, va2, prc_kbo_size(k2)), "fixed kbo damaged"))
		goto out;
	st_note("overlap -ENOSPC; user range, access, size 0 -EINVAL; map -EEXIST; no leak");

	if (st_bad(prc_vm_map_bo_range(vm, k1->mem, 0, PAGE_SIZE, ks - SZ_1M, 0) == -EINVAL,
		   "kernel map in the user range") ||
	    st_bad(prc_vm_map_bo_range(vm, k1->mem, 0, PAGE_SIZE, va2 + PAGE_SIZE, 0) == -EEXIST,
		   "kernel map over a mapping") ||
	    st_bad(prc_vm_map_bo_range(vm, k1->mem, 0, 4 * PAGE_SIZE, ks + SZ_1G, 0) == -EINVAL,
		   "kernel map past the BO") ||
	    st_bad(prc_vm_unmap_range(vm, ks - SZ_1M, PAGE_SIZE) == -EINVAL,
		   "kernel unmap in the user range") ||
	    st_bad(!READ_ONCE(vm->unusable), "refusals made the VM unusable") ||
	    st_bad(st_kbo_maps(vm, k2->mem, 0, va2, prc_kbo_size(k2)), "fixed kbo damaged"))
		goto out;
	st_note("kernel maps and unmaps refused in the user range, over a mapping, past the BO");

	/* A second mapping of one page of k1, through the lower-level API. */
	if (st_bad(!prc_vm_alloc_va(vm, PRC_VM_KERNEL_AUTO_VA, PAGE_SIZE, &extra), "extra VA") ||
	    st_bad(!prc_vm_map_bo_range(vm, k1->mem, PAGE_SIZE, PAGE_SIZE, extra.start,
					DRM_PANTHOR_VM_BIND_OP_MAP_READONLY), "extra map") ||
	    st_bad(st_kbo_maps(vm, k1->mem, PAGE_SIZE, extra.start, PAGE_SIZE),
		   "extra mapping does not show page 1") ||
	    st_bad(atomic_read(&k1->mem->gpu_map_count) == 2, "second mapping not counted") ||
	    st_bad(!prc_vm_unmap_range(vm, extra.start, PAGE_SIZE), "extra unmap") ||
	    st_bad(st_kbo_unmapped(vm, extra.start, PAGE_SIZE), "extra mapping left") ||
	    st_bad(atomic_read(&k1->mem->gpu_map_count) == 1, "unmap not counted") ||
	    st_bad(st_kbo_maps(vm, k1->mem, 0, va1, prc_kbo_size(k1)), "auto kbo damaged"))
		goto out;
	prc_vm_free_va(vm, &extra);
	st_note("page 1 mapped again at 0x%llx and unmapped through map_bo_range/unmap_range",
		extra.start);

	w = prc_kbo_cpu(k1);
	if (st_bad(w && !prc_kbo_cpu(k2), "CPU view: k1 %p, k2 %p", w, prc_kbo_cpu(k2)))
		goto out;
	for (n = 0; n < prc_kbo_size(k1) / sizeof(*w); n++)
		if (st_bad(!w[n], "CPU view not zeroed at word %zu", n))
			goto out;
	w[0] = 0x600dcafe;
	w[prc_kbo_size(k1) / sizeof(*w) - 1] = 0xfeedf00d;
	again = prc_gem_vmap(k1->mem);
	if (st_bad(!IS_ERR(again), "vmap: %ld", PTR_ERR(again)))
		goto out;
	ret = again == w && again[0] == 0x600dcafe &&
	      again[prc_kbo_size(k1) / sizeof(*w) - 1] == 0xfeedf00d ? 0 : -EINVAL;
	prc_gem_vunmap(k1->mem);
	if (st_bad(!ret, "CPU view is not the BO's kernel mapping"))
		goto out;
	ret = -EINVAL;
	st_note("CPU view zeroed, the BO's kernel mapping; none without cpu_view");

	prc_kbo_free(k1);
	k1 = NULL;
	if (st_bad(st_kbo_unmapped(vm, va1, 3 * PAGE_SIZE), "destroyed kbo still mapped") ||
	    st_bad(st_kbo_va_gives(vm, va1, 3 * PAGE_SIZE, 0), "destroyed kbo's VA not free"))
		goto out;
	prc_kbo_free(NULL);
	prc_kbo_free(ERR_PTR(-ENOMEM));
	st_note("free unmaps and frees the VA; NULL and ERR_PTR() ignored");

	/* VM_DESTROY unmaps the user range only: kernel mappings stay with their kbo. */
	k3 = st_kbo_auto(vm, PAGE_SIZE, 0);
	if (st_bad(!IS_ERR(k3), "kbo: %ld", PTR_ERR(k3)) ||
	    st_bad(!prc_vm_pool_destroy(&pool, id), "VM_DESTROY") ||
	    st_bad(st_kbo_maps(vm, k3->mem, 0, prc_kbo_va(k3), PAGE_SIZE),
		   "VM_DESTROY unmapped a kernel BO") ||
	    st_bad(st_kbo_maps(vm, k2->mem, 0, va2, prc_kbo_size(k2)), "fixed kbo damaged"))
		goto out;
	st_note("VM_DESTROY leaves the kernel mappings to their kbos");
	ret = 0;
	goto out;

out_bad:
	prc_kbo_free(bad);
out:
	if (drm_mm_node_allocated(&extra)) {
		prc_vm_unmap_range(vm, extra.start, extra.size);
		prc_vm_free_va(vm, &extra);
	}
	prc_kbo_free(k1);
	prc_kbo_free(k2);
	prc_kbo_free(k3);
	prc_vm_put(vm);
	prc_vm_pool_fini(&pool);
out_fix:
	st_kbo_fix_fini(&fix);
	return ret ?: st_kbo_counters_back(&before, __func__);
}

/* The MCU's VM: 32-bit kernel range, firmware-like fixed sections, automatic VAs. */
static int st_kbo_mcu(struct prc_st_ctx *ctx)
{
	const u64 astart = PRC_VM_MCU_AUTO_VA_START;
	const u64 aend = PRC_VM_MCU_AUTO_VA_START + PRC_VM_MCU_AUTO_VA_SIZE;
	struct prc_kbo *code = NULL, *shared = NULL, *top = NULL, *big = NULL;
	struct prc_kbo *small[4] = {};
	struct st_kbo_counters before;
	struct st_kbo_fix fix;
	struct prc_vm *vm;
	unsigned int i, j;
	int ret;

	st_kbo_counters(&before);
	ret = st_kbo_fix_init(&fix);
	if (ret)
		return ret;
	vm = prc_vm_create_mcu(fix.pdev);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto out_fix;
	}
	ret = -EINVAL;
	if (st_bad(vm->user_va_range == 0 && vm->kernel_va_start == 0 &&
		   vm->kernel_va_end == SZ_4G && vm->as == -1,
		   "MCU VM: no user range, kernel range [0, 4 GiB), no slot"))
		goto out;

	code = st_kbo_at(vm, SZ_64K, PRC_KBO_GPU_EXEC | PRC_KBO_GPU_CACHED, 0);
	shared = st_kbo_at(vm, SZ_256K, PRC_KBO_GPU_WRITE, PRC_FW_SHARED_VA);
	top = st_kbo_at(vm, PAGE_SIZE, PRC_KBO_GPU_ALL, SZ_4G - PAGE_SIZE);
	if (st_bad(!IS_ERR(code) && prc_kbo_va(code) == 0, "kbo at 0: %ld", PTR_ERR(code)) ||
	    st_bad(!IS_ERR(shared) && prc_kbo_va(shared) == PRC_FW_SHARED_VA,
		   "kbo at the shared VA: %ld", PTR_ERR(shared)) ||
	    st_bad(!IS_ERR(top) && prc_kbo_va(top) == SZ_4G - PAGE_SIZE,
		   "kbo in the last page: %ld", PTR_ERR(top)))
		goto out;
	if (st_bad(st_kbo_va_gives(vm, SZ_4G, PAGE_SIZE, -EINVAL), "VA at 4 GiB") ||
	    st_bad(st_kbo_va_gives(vm, SZ_4G - PAGE_SIZE, 2 * PAGE_SIZE, -EINVAL),
		   "range across 4 GiB") ||
	    st_bad(st_kbo_va_gives(vm, PRC_FW_SHARED_VA + SZ_128K, PAGE_SIZE, -ENOSPC),
		   "overlap with the shared section") ||
	    st_bad(st_kbo_va_gives(vm, SZ_64K - PAGE_SIZE, 2 * PAGE_SIZE, -ENOSPC),
		   "overlap with the code section"))
		goto out;
	st_note("fixed kbos at 0, 0x%x and 4 GiB - 1 page; beyond 4 GiB -EINVAL, overlaps -ENOSPC",
		PRC_FW_SHARED_VA);

	for (i = 0; i < ARRAY_SIZE(small); i++) {
		small[i] = st_kbo_auto(vm, SZ_8K, PRC_KBO_GPU_WRITE);
		if (st_bad(!IS_ERR(small[i]), "auto kbo %u: %ld", i, PTR_ERR(small[i])) ||
		    st_bad(st_kbo_in(prc_kbo_va(small[i]), SZ_8K, astart, aend),
			   "auto VA 0x%llx outside [0x%llx, 0x%llx)", prc_kbo_va(small[i]),
			   astart, aend) ||
		    st_bad(st_kbo_disjoint(small[i], shared), "auto VA over the shared section") ||
		    st_bad(st_kbo_maps(vm, small[i]->mem, 0, prc_kbo_va(small[i]), SZ_8K),
			   "auto kbo %u not mapped", i))
			goto out;
		for (j = 0; j < i; j++)
			if (st_bad(st_kbo_disjoint(small[i], small[j]), "auto kbos overlap"))
				goto out;
	}
	big = st_kbo_auto(vm, SZ_2M, PRC_KBO_GPU_ALL);
	if (st_bad(!IS_ERR(big), "2 MiB auto kbo: %ld", PTR_ERR(big)) ||
	    st_bad(st_kbo_in(prc_kbo_va(big), SZ_2M, astart, aend) &&
		   IS_ALIGNED(prc_kbo_va(big), SZ_2M), "2 MiB auto VA 0x%llx", prc_kbo_va(big)) ||
	    st_bad(st_kbo_maps(vm, big->mem, 0, prc_kbo_va(big), SZ_2M), "2 MiB kbo not mapped") ||
	    st_bad(st_kbo_maps(vm, code->mem, 0, 0, SZ_64K), "code kbo not mapped") ||
	    st_bad(st_kbo_maps(vm, shared->mem, 0, PRC_FW_SHARED_VA, SZ_256K),
		   "shared kbo not mapped") ||
	    st_bad(st_kbo_maps(vm, top->mem, 0, SZ_4G - PAGE_SIZE, PAGE_SIZE),
		   "top kbo not mapped"))
		goto out;
	st_note("auto VAs 0x%llx.., 2 MiB-aligned 0x%llx, in [0x%llx, 0x%llx), all translated",
		prc_kbo_va(small[0]), prc_kbo_va(big), astart, aend);
	ret = 0;
out:
	for (i = 0; i < ARRAY_SIZE(small); i++)
		prc_kbo_free(small[i]);
	prc_kbo_free(big);
	prc_kbo_free(top);
	prc_kbo_free(shared);
	prc_kbo_free(code);
	if (!ret && st_bad(st_kbo_unmapped(vm, 0, SZ_64K) &&
			   st_kbo_unmapped(vm, PRC_FW_SHARED_VA, SZ_256K), "kbos left mappings"))
		ret = -EINVAL;
	prc_vm_put(vm);
out_fix:
	st_kbo_fix_fini(&fix);
	return ret ?: st_kbo_counters_back(&before, __func__);
}

/* The scheduler's helpers in fw.c, on an MCU VM standing in for the firmware's. */
static int st_kbo_fw_helpers(struct prc_st_ctx *ctx)
{
	const u64 astart = PRC_VM_MCU_AUTO_VA_START;
	const u64 aend = PRC_VM_MCU_AUTO_VA_START + PRC_VM_MCU_AUTO_VA_SIZE;
	struct prc_kbo *q1 = NULL, *q2 = NULL, *susp = NULL;
	u32 in_va = 0, out_va = 0, in2_va, out2_va;
	void *in = NULL, *out = NULL, *in2, *out2;
	struct st_kbo_counters before;
	struct st_kbo_fix fix;
	struct prc_vm *vm;
	size_t i;
	int ret;

	st_kbo_counters(&before);
	ret = st_kbo_fix_init(&fix);
	if (ret)
		return ret;
	vm = prc_vm_create_mcu(fix.pdev);
	if (IS_ERR(vm)) {
		ret = PTR_ERR(vm);
		goto out_fix;
	}
	ret = -EINVAL;
	if (st_bad(PTR_ERR_OR_ZERO(prc_fw_alloc_suspend_buf(fix.pdev, PAGE_SIZE)) == -ENODEV &&
		   PTR_ERR_OR_ZERO(prc_fw_alloc_queue_iface(fix.pdev, &in, &out, &in_va,
							    &out_va)) == -ENODEV,
		   "helpers without a firmware VM"))
		goto out;
	fix.pdev->fw.vm = vm;

	q1 = prc_fw_alloc_queue_iface(fix.pdev, &in, &out, &in_va, &out_va);
	q2 = prc_fw_alloc_queue_iface(fix.pdev, &in2, &out2, &in2_va, &out2_va);
	susp = prc_fw_alloc_suspend_buf(fix.pdev, 3 * PAGE_SIZE + 1);
	if (st_bad(prc_fw_vm(fix.pdev) == vm, "prc_fw_vm()") ||
	    st_bad(!IS_ERR(q1) && !IS_ERR(q2), "queue interfaces: %ld, %ld", PTR_ERR(q1),
		   PTR_ERR(q2)) ||
	    st_bad(!IS_ERR(susp), "suspend buffer: %ld", PTR_ERR(susp)))
		goto out;
	if (st_bad(prc_kbo_size(q1) == SZ_8K && in == prc_kbo_cpu(q1) && out == in + SZ_4K,
		   "queue interface layout") ||
	    st_bad(in_va == prc_kbo_va(q1) && out_va == in_va + SZ_4K,
		   "queue interface VAs 0x%x/0x%x", in_va, out_va) ||
	    st_bad(st_kbo_in(in_va, SZ_8K, astart, aend), "queue interface VA 0x%x", in_va) ||
	    st_bad(st_kbo_disjoint(q1, q2) && st_kbo_disjoint(q1, susp) &&
		   st_kbo_disjoint(q2, susp), "objects overlap"))
		goto out;
	for (i = 0; i < SZ_8K; i++)
		if (st_bad(!((u8 *)in)[i], "queue interface not zeroed at %zu", i))
			goto out;
	if (st_bad(st_kbo_maps(vm, q1->mem, 0, in_va, SZ_4K), "input page not at input VA") ||
	    st_bad(st_kbo_maps(vm, q1->mem, SZ_4K, out_va, SZ_4K), "output page not at output VA"))
		goto out;
	st_note("queue interfaces at 0x%x and 0x%x: zeroed CPU view, input then output page",
		in_va, in2_va);

	if (st_bad(prc_kbo_size(susp) == 4 * PAGE_SIZE && !prc_kbo_cpu(susp),
		   "suspend buffer: size %zu, CPU view %p", prc_kbo_size(susp),
		   prc_kbo_cpu(susp)) ||
	    st_bad(st_kbo_in(prc_kbo_va(susp), prc_kbo_size(susp), astart, aend),
		   "suspend buffer VA 0x%llx", prc_kbo_va(susp)) ||
	    st_bad(st_kbo_maps(vm, susp->mem, 0, prc_kbo_va(susp), prc_kbo_size(susp)),
		   "suspend buffer not mapped"))
		goto out;
	st_note("suspend buffer at 0x%llx: rounded up to pages, mapped, no CPU view",
		prc_kbo_va(susp));
	ret = 0;
out:
	prc_kbo_free(q1);
	prc_kbo_free(q2);
	prc_kbo_free(susp);
	fix.pdev->fw.vm = NULL;
	prc_vm_put(vm);
out_fix:
	st_kbo_fix_fini(&fix);
	return ret ?: st_kbo_counters_back(&before, __func__);
}

const struct prc_st_case prc_kbo_st_cases[] = {
	{ "kbo_va_alloc_user_vm", st_kbo_va_user },
	{ "kbo_user_vm", st_kbo_user },
	{ "kbo_mcu_vm", st_kbo_mcu },
	{ "kbo_fw_helpers", st_kbo_fw_helpers },
};

const unsigned int prc_kbo_st_nr_cases = ARRAY_SIZE(prc_kbo_st_cases);
