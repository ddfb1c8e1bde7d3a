// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: tiler heaps
 *
 * The tiler writes its polygon lists into a *heap*: a chain of chunks in
 * the group's VM that the firmware asks the host to extend (TILER_OOM)
 * while a render pass runs. A VM has up to 128 heaps; each has a 64-byte
 * context the firmware keeps its state in, all of them in one kernel BO.
 *
 * Growing a heap is in the dma-fence signalling path: the job cannot finish
 * until the firmware gets its answer, and reclaim may be waiting for that
 * job's fence. So growth must not wait for memory: every allocation there
 * is GFP_NOWAIT (no direct reclaim, no I/O, no waiting for fences; kswapd is
 * woken) with __GFP_NOWARN, and when it fails the answer is "no chunk", on
 * which the firmware falls back to incremental rendering (it flushes what
 * it has to the framebuffer and reuses the heap), exactly as when the heap
 * reached max_chunks. That is also why chunks are not GEM objects: a shmem
 * file cannot be created without blocking. A chunk is zeroed pages (the GPU
 * must never see stale kernel data), DMA-mapped one by one and mapped in
 * the VM's kernel range with page-table pages reserved GFP_NOWAIT too.
 *
 * Reclaim. Between jobs a heap holds nothing anyone reads again: the
 * tiler's polygon lists live from a render pass's tiling to its fragment
 * pass, both inside one job. So while no job of the VM is queued or running
 * (every fence in the VM's reservation object signalled), reclaim may
 * discard a chunk: it unmaps and frees every page but the first, which
 * holds the header the firmware links chunks by, and the chunk stays in
 * its heap, at its place in the VA range. The next GROUP_SUBMIT to the VM
 * gives it zeroed pages again (prc_heap_restore()) before any job is
 * queued, as it brings back evicted BOs; a failure fails the submission
 * with -ENOMEM. Discarded chunks free memory without swap, so they count
 * with purgeable BOs.
 *
 * Locking: &prc_vm.heaps_lock protects &prc_vm.heaps and everything in the
 * pool. It is taken under &prc_sched.lock (growth), so nothing under it may
 * allocate with a blocking flag; creation allocates before taking it.
 * Whether a chunk is discarded, and its pages but the first while it is,
 * are under the VM's reservation object (its root object's), which reclaim
 * trylocks and a submission holds from restore until its fences are in; so
 * that restore may allocate without &prc_vm.heaps_lock, freeing a heap
 * (TILER_HEAP_DESTROY, VM_DESTROY) holds that reservation too. Lock order:
 * the VM's resv, then &prc_vm.heaps_lock.
 */

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <drm/drm_print.h>

#include "device.h"
#include "gem.h"
#include "heap.h"
#include "kbo.h"
#include "pgtable.h"
#include "regs.h"
#include "trace.h"
#include "vm.h"
#include "vm_op.h"
#include "../include/uapi/drm/panthor_drm.h"

#define PRC_HEAP_MAX_PER_VM	128
#define PRC_HEAP_CTX_SIZE	32
#define PRC_HEAP_CHUNK_MIN	SZ_128K
#define PRC_HEAP_CHUNK_MAX	SZ_8M
/* The chunk header's first word links to the next chunk: VA | size in pages. */
#define PRC_HEAP_LINK(va, size)	(((va) & GENMASK_ULL(63, 12)) | ((size) >> 12))
#define PRC_HEAP_GROW_GFP	(GFP_NOWAIT | __GFP_NOWARN)

/**
 * struct prc_heap_chunk - one chunk of a heap
 * @node: in &prc_heap.chunks, newest first
 * @va: its place in the VM's kernel range
 * @npages: pages in it
 * @pages: the pages
 * @dma: their DMA addresses
 * @counted: its pages but the first count as discardable (allocated in
 *	full once)
 * @discarded: reclaim freed its pages but the first; under the VM's resv
 * @restore_node: on prc_heap_restore()'s or prc_heap_discard()'s own list
 */
struct prc_heap_chunk {
	struct list_head node;
	struct drm_mm_node va;
	u32 npages;
	struct page **pages;
	dma_addr_t *dma;
	bool counted;
	bool discarded;
	struct list_head restore_node;
};

/**
 * struct prc_heap - one tiler heap
 * @chunks: its chunks, newest first
 * @chunk_count: how many
 * @chunk_size: bytes per chunk
 * @max_chunks: most chunks it may have
 * @target_in_flight: render passes in flight beyond which growth is refused
 */
struct prc_heap {
	struct list_head chunks;
	u32 chunk_count;
	u32 chunk_size;
	u32 max_chunks;
	u32 target_in_flight;
};

/**
 * struct prc_heap_pool - the heaps of a VM
 * @ctx: the heap contexts, PRC_HEAP_MAX_PER_VM of them
 * @ctx_map: CPU view of @ctx
 * @ctx_stride: bytes between contexts (a GPU cache line at least)
 * @heaps: heap by id, NULL when free
 */
struct prc_heap_pool {
	struct prc_kbo *ctx;
	void *ctx_map;
	u32 ctx_stride;
	struct prc_heap *heaps[PRC_HEAP_MAX_PER_VM];
};

/* Count @chunk's pages but the first as discardable (@add) or not any more. */
static void prc_heap_chunk_count(struct prc_vm *vm, struct prc_heap_chunk *chunk, bool add)
{
	long body = chunk->npages - 1;

	prc_gem_lru_heap_pages(&vm->pdev->gem_lru, prc_vm_root_obj(vm), add ? body : -body);
}

/* Free @chunk's pages from @first on, up to the first it does not have. */
static void prc_heap_pages_free(struct device *dev, struct prc_heap_chunk *chunk, u32 first)
{
	u32 i;

	for (i = first; i < chunk->npages && chunk->pages[i]; i++) {
		dma_unmap_page(dev, chunk->dma[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
		__free_page(chunk->pages[i]);
		chunk->pages[i] = NULL;
	}
}

/*
 * Zeroed, DMA-mapped pages for @chunk from @first on. On failure the pages
 * it got stay, for prc_heap_pages_free() from @first.
 */
static int prc_heap_pages_alloc(struct device *dev, struct prc_heap_chunk *chunk, u32 first,
				gfp_t gfp)
{
	u32 i;

	for (i = first; i < chunk->npages; i++) {
		chunk->pages[i] = alloc_page(gfp | __GFP_ZERO);
		if (!chunk->pages[i])
			return -ENOMEM;
		chunk->dma[i] = dma_map_page(dev, chunk->pages[i], 0, PAGE_SIZE,
					     DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, chunk->dma[i])) {
			__free_page(chunk->pages[i]);
			chunk->pages[i] = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void prc_heap_chunk_free(struct prc_vm *vm, struct prc_heap_chunk *chunk)
{
	if (chunk->counted && !chunk->discarded)
		prc_heap_chunk_count(vm, chunk, false);
	if (drm_mm_node_allocated(&chunk->va)) {
		/* GPU accesses fault from here on instead of hitting freed pages. */
		prc_vm_unmap_pages(vm, chunk->va.start, chunk->va.size);
		prc_vm_free_va(vm, &chunk->va);
	}
	/* A discarded chunk has only its first page. */
	if (chunk->pages)
		prc_heap_pages_free(vm->pdev->base.dev, chunk, 0);
	kfree(chunk->dma);
	kfree(chunk->pages);
	kfree(chunk);
}

/*
 * A zeroed chunk of @size bytes mapped in @vm, its header linking to
 * @next_link (0: none). @gfp is GFP_KERNEL at creation, PRC_HEAP_GROW_GFP
 * when growing. The caller may hold &prc_vm.heaps_lock only with the latter.
 */
static struct prc_heap_chunk *prc_heap_chunk_alloc(struct prc_vm *vm, u32 size, u64 next_link,
						   gfp_t gfp)
{
	struct device *dev = vm->pdev->base.dev;
	struct prc_heap_chunk *chunk;
	u64 *hdr;
	int ret = -ENOMEM;

	chunk = kzalloc(sizeof(*chunk), gfp);
	if (!chunk)
		return ERR_PTR(-ENOMEM);
	chunk->npages = size >> PAGE_SHIFT;
	chunk->pages = kcalloc(chunk->npages, sizeof(*chunk->pages), gfp);
	chunk->dma = kcalloc(chunk->npages, sizeof(*chunk->dma), gfp);
	if (!chunk->pages || !chunk->dma) {
		chunk->npages = 0;
		goto err;
	}
	if (prc_heap_pages_alloc(dev, chunk, 0, gfp))
		goto err;
	hdr = kmap_local_page(chunk->pages[0]);
	hdr[0] = next_link;
	kunmap_local(hdr);
	dma_sync_single_for_device(dev, chunk->dma[0], PAGE_SIZE, DMA_BIDIRECTIONAL);

	ret = prc_vm_alloc_va(vm, PRC_VM_KERNEL_AUTO_VA, size, &chunk->va);
	if (ret)
		goto err;
	ret = prc_pgtable_reserve(&vm->pt, chunk->va.start, size, gfp);
	if (ret)
		goto err;
	ret = prc_vm_map_pages(vm, chunk->va.start, chunk->dma, chunk->npages,
			       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	prc_pgtable_unreserve(&vm->pt, chunk->va.start, size);
	if (ret)
		goto err;
	chunk->counted = true;
	prc_heap_chunk_count(vm, chunk, true);
	return chunk;

err:
	prc_heap_chunk_free(vm, chunk);
	return ERR_PTR(ret);
}

static void prc_heap_free(struct prc_vm *vm, struct prc_heap *heap)
{
	struct prc_heap_chunk *chunk, *tmp;

	list_for_each_entry_safe(chunk, tmp, &heap->chunks, node)
		prc_heap_chunk_free(vm, chunk);
	kfree(heap);
}

static u64 prc_heap_ctx_va(struct prc_heap_pool *pool, u32 id)
{
	return prc_kbo_va(pool->ctx) + (u64)id * pool->ctx_stride;
}

/* The VM's heap pool, created on first use. */
static struct prc_heap_pool *prc_heap_pool_get(struct prc_device *pdev, struct prc_vm *vm)
{
	u32 line = 1u << PRC_L2_LINE_LOG2(pdev->props.l2_features);
	struct prc_heap_pool *pool, *old;
	struct prc_kbo *ctx;

	mutex_lock(&vm->heaps_lock);
	pool = vm->heaps;
	mutex_unlock(&vm->heaps_lock);
	if (pool)
		return pool;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	pool->ctx_stride = ALIGN(PRC_HEAP_CTX_SIZE, line);
	/*
	 * The firmware keeps a heap's state in its context, through its
	 * caches; the CPU only zeroes a context before the heap exists.
	 */
	ctx = prc_kbo_new(vm, &(struct prc_kbo_desc){
		.purpose = "heap contexts",
		.size = PRC_HEAP_MAX_PER_VM * pool->ctx_stride,
		.gpu = PRC_KBO_GPU_WRITE | PRC_KBO_GPU_CACHED,
		.cpu_view = true,
	});
	if (IS_ERR(ctx)) {
		kfree(pool);
		return ERR_CAST(ctx);
	}
	pool->ctx = ctx;
	pool->ctx_map = prc_kbo_cpu(ctx);

	mutex_lock(&vm->heaps_lock);
	old = vm->heaps_gone ? ERR_PTR(-EINVAL) : vm->heaps;
	if (!old) {
		vm->heaps = pool;
		prc_gem_vm_root_set_heap_vm(prc_vm_root_obj(vm), vm);
	}
	mutex_unlock(&vm->heaps_lock);
	if (old) {
		/* Lost a race with another creator, or the VM was destroyed. */
		prc_kbo_free(pool->ctx);
		kfree(pool);
		return old;
	}
	return pool;
}

/**
 * prc_heap_create() - TILER_HEAP_CREATE
 * @pdev: the device
 * @vm: the VM (referenced by the caller)
 * @args: the ioctl arguments; tiler_heap_ctx_gpu_va and
 *	first_heap_chunk_gpu_va are filled in
 *
 * Return: the heap's id in the VM (0..127), or -EINVAL for bad arguments,
 * -ENOMEM (also when the VM has 128 heaps, as panthor says), -ENOSPC.
 */
int prc_heap_create(struct prc_device *pdev, struct prc_vm *vm,
		    struct drm_panthor_tiler_heap_create *args)
{
	struct prc_heap_chunk *chunk;
	struct prc_heap_pool *pool;
	struct prc_heap *heap;
	u64 link = 0;
	u32 i, id;
	int ret;

	pool = prc_heap_pool_get(pdev, vm);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	if (!args->initial_chunk_count || args->initial_chunk_count > args->max_chunks ||
	    !IS_ALIGNED(args->chunk_size, PAGE_SIZE) || args->chunk_size < PRC_HEAP_CHUNK_MIN ||
	    args->chunk_size > PRC_HEAP_CHUNK_MAX)
		return -EINVAL;

	heap = kzalloc(sizeof(*heap), GFP_KERNEL);
	if (!heap)
		return -ENOMEM;
	INIT_LIST_HEAD(&heap->chunks);
	heap->chunk_size = args->chunk_size;
	heap->max_chunks = args->max_chunks;
	heap->target_in_flight = args->target_in_flight;
	/* The initial chunks are linked: the newest is the first the tiler uses. */
	for (i = 0; i < args->initial_chunk_count; i++) {
		chunk = prc_heap_chunk_alloc(vm, heap->chunk_size, link, GFP_KERNEL);
		if (IS_ERR(chunk)) {
			prc_heap_free(vm, heap);
			return PTR_ERR(chunk);
		}
		list_add(&chunk->node, &heap->chunks);
		heap->chunk_count++;
		link = PRC_HEAP_LINK(chunk->va.start, heap->chunk_size);
	}

	ret = -ENOMEM;
	mutex_lock(&vm->heaps_lock);
	if (vm->heaps == pool) {
		for (id = 0; id < PRC_HEAP_MAX_PER_VM; id++) {
			if (!pool->heaps[id]) {
				memset(pool->ctx_map + id * pool->ctx_stride, 0, pool->ctx_stride);
				pool->heaps[id] = heap;
				ret = id;
				break;
			}
		}
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&vm->heaps_lock);
	if (ret < 0) {
		prc_heap_free(vm, heap);
		return ret;
	}
	args->tiler_heap_ctx_gpu_va = prc_heap_ctx_va(pool, ret);
	args->first_heap_chunk_gpu_va = list_first_entry(&heap->chunks, struct prc_heap_chunk,
							 node)->va.start;
	return ret;
}

/**
 * prc_heap_destroy() - TILER_HEAP_DESTROY
 * @vm: the VM
 * @id: the heap's id in the VM
 *
 * Return: 0, -ENOENT when the VM never had a heap, -EINVAL for an unknown id.
 */
int prc_heap_destroy(struct prc_vm *vm, u32 id)
{
	struct dma_resv *resv = prc_vm_root_obj(vm)->resv;
	struct prc_heap *heap = NULL;
	int ret = 0;

	/* Not while a submission restores its chunks (see the DOC section). */
	dma_resv_lock(resv, NULL);
	mutex_lock(&vm->heaps_lock);
	if (!vm->heaps)
		ret = -ENOENT;
	else if (id >= PRC_HEAP_MAX_PER_VM || !vm->heaps->heaps[id])
		ret = -EINVAL;
	else
		swap(heap, vm->heaps->heaps[id]);
	mutex_unlock(&vm->heaps_lock);
	if (heap)
		prc_heap_free(vm, heap);
	dma_resv_unlock(resv);
	return ret;
}

/**
 * prc_heap_pool_destroy() - free every heap of a VM being destroyed
 * @vm: the VM
 *
 * Later TILER_HEAP_CREATE calls on the VM fail with -EINVAL.
 */
void prc_heap_pool_destroy(struct prc_vm *vm)
{
	struct drm_gem_object *root = prc_vm_root_obj(vm);
	struct prc_heap_pool *pool;
	u32 id;

	/* Reclaim reaches the VM through its root until this resv is let go. */
	dma_resv_lock(root->resv, NULL);
	mutex_lock(&vm->heaps_lock);
	pool = vm->heaps;
	vm->heaps = NULL;
	vm->heaps_gone = true;
	prc_gem_vm_root_set_heap_vm(root, NULL);
	mutex_unlock(&vm->heaps_lock);
	if (pool) {
		for (id = 0; id < PRC_HEAP_MAX_PER_VM; id++)
			if (pool->heaps[id])
				prc_heap_free(vm, pool->heaps[id]);
	}
	dma_resv_unlock(root->resv);
	if (!pool)
		return;
	prc_kbo_free(pool->ctx);
	kfree(pool);
}

/**
 * prc_heap_discard() - free the heap chunks of an idle VM, for reclaim
 * @vm: the VM; its resv held, every fence in it signalled (the caller
 *	tested them)
 *
 * Every chunk loses its pages but the first (see the DOC section).
 * Trylocks only, allocates nothing, never waits for the GPU: the TLB flush
 * touches the hardware only for a VM on an address-space slot.
 *
 * Return: the pages freed; 0 also when a lock was held.
 */
unsigned long prc_heap_discard(struct prc_vm *vm)
{
	struct prc_heap_chunk *chunk, *tmp;
	u64 start = U64_MAX, end = 0;
	unsigned long freed = 0;
	struct prc_heap *heap;
	LIST_HEAD(gone);
	u32 id, chunks = 0;

	dma_resv_assert_held(prc_vm_root_obj(vm)->resv);
	if (!mutex_trylock(&vm->heaps_lock))
		return 0;
	if (!vm->heaps || !mutex_trylock(&vm->op_lock)) {
		mutex_unlock(&vm->heaps_lock);
		return 0;
	}
	for (id = 0; id < PRC_HEAP_MAX_PER_VM; id++) {
		heap = vm->heaps->heaps[id];
		if (!heap)
			continue;
		list_for_each_entry(chunk, &heap->chunks, node) {
			u64 va = chunk->va.start + PAGE_SIZE, size = chunk->va.size - PAGE_SIZE;

			if (chunk->discarded)
				continue;
			/* Mapped page by page: no block to split. */
			if (drm_WARN_ON_ONCE(&vm->pdev->base,
					     prc_pgtable_unmap(&vm->pt, va, size) != size)) {
				vm->unusable = true;
				break;
			}
			start = min(start, va);
			end = max(end, va + size);
			list_add_tail(&chunk->restore_node, &gone);
		}
	}
	if (end > start)
		prc_vm_flush(vm, start, end - start);
	mutex_unlock(&vm->op_lock);
	/* Only now is the GPU unable to reach the pages. */
	list_for_each_entry_safe(chunk, tmp, &gone, restore_node) {
		list_del(&chunk->restore_node);
		prc_heap_pages_free(vm->pdev->base.dev, chunk, 1);
		chunk->discarded = true;
		prc_heap_chunk_count(vm, chunk, false);
		freed += chunk->npages - 1;
		chunks++;
	}
	mutex_unlock(&vm->heaps_lock);
	if (freed) {
		atomic_long_add(freed, &vm->pdev->gem_lru.heap_discarded);
		trace_prc_heap_discard(vm, chunks, freed);
	}
	return freed;
}

/* Zeroed pages for a discarded chunk again, mapped where they were. */
static int prc_heap_chunk_restore(struct prc_vm *vm, struct prc_heap_chunk *chunk)
{
	u64 va = chunk->va.start + PAGE_SIZE, size = chunk->va.size - PAGE_SIZE;
	struct device *dev = vm->pdev->base.dev;
	int ret;

	ret = prc_heap_pages_alloc(dev, chunk, 1, GFP_KERNEL);
	if (!ret)
		ret = prc_pgtable_reserve(&vm->pt, va, size, GFP_KERNEL);
	if (!ret) {
		ret = prc_vm_map_pages(vm, va, chunk->dma + 1, chunk->npages - 1,
				       DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
		prc_pgtable_unreserve(&vm->pt, va, size);
	}
	if (ret) {
		prc_heap_pages_free(dev, chunk, 1);
		return -ENOMEM;
	}
	chunk->discarded = false;
	prc_heap_chunk_count(vm, chunk, true);
	return 0;
}

/**
 * prc_heap_restore() - give a VM's discarded heap chunks their pages back
 * @vm: the VM, its resv held, before a job of it is queued
 *
 * Allocates (GFP_KERNEL): never from the fence-signalling path.
 *
 * Return: 0, or -ENOMEM (the chunks not restored stay discarded; the
 * submission fails and no job runs on them).
 */
int prc_heap_restore(struct prc_vm *vm)
{
	struct prc_heap_chunk *chunk, *tmp;
	unsigned long pages = 0;
	struct prc_heap *heap;
	LIST_HEAD(todo);
	u32 id, chunks = 0;
	int ret = 0;

	dma_resv_assert_held(prc_vm_root_obj(vm)->resv);
	/*
	 * The list is taken under the lock, the chunks restored without it:
	 * they stay, as freeing a heap needs the resv held here.
	 */
	mutex_lock(&vm->heaps_lock);
	for (id = 0; vm->heaps && id < PRC_HEAP_MAX_PER_VM; id++) {
		heap = vm->heaps->heaps[id];
		if (!heap)
			continue;
		list_for_each_entry(chunk, &heap->chunks, node)
			if (chunk->discarded)
				list_add_tail(&chunk->restore_node, &todo);
	}
	mutex_unlock(&vm->heaps_lock);
	list_for_each_entry_safe(chunk, tmp, &todo, restore_node) {
		list_del(&chunk->restore_node);
		if (!ret)
			ret = prc_heap_chunk_restore(vm, chunk);
		if (!ret) {
			pages += chunk->npages - 1;
			chunks++;
		}
	}
	if (pages) {
		atomic_long_add(pages, &vm->pdev->gem_lru.heap_restored);
		trace_prc_heap_restore(vm, chunks, pages);
	}
	return ret;
}

/**
 * prc_heap_grow() - a new chunk for a heap the tiler ran out of
 * @vm: the VM of the group whose stream reported TILER_OOM
 * @ctx_va: the heap context's GPU VA (from the stream's output page)
 * @in_flight: render passes started and not finished
 * @link: set to the new chunk's link (VA | size in pages) on success
 *
 * Runs in the dma-fence signalling path, under &prc_sched.lock: allocates
 * only GFP_NOWAIT (see the DOC: section above).
 *
 * Return: 0; -ENOMEM when the heap may not or cannot grow now (max_chunks,
 * target_in_flight, or no memory without waiting): the firmware then
 * renders incrementally; -EINVAL when @ctx_va names no heap.
 */
int prc_heap_grow(struct prc_vm *vm, u64 ctx_va, u32 in_flight, u64 *link)
{
	struct prc_heap_chunk *chunk;
	struct prc_heap_pool *pool;
	struct prc_heap *heap = NULL;
	u64 off;
	int ret;

	mutex_lock(&vm->heaps_lock);
	pool = vm->heaps;
	if (pool && ctx_va >= prc_kbo_va(pool->ctx)) {
		off = ctx_va - prc_kbo_va(pool->ctx);
		if (!(off % pool->ctx_stride) && off / pool->ctx_stride < PRC_HEAP_MAX_PER_VM)
			heap = pool->heaps[off / pool->ctx_stride];
	}
	if (!heap) {
		ret = -EINVAL;
	} else if (in_flight > heap->target_in_flight || heap->chunk_count >= heap->max_chunks) {
		ret = -ENOMEM;
	} else {
		chunk = prc_heap_chunk_alloc(vm, heap->chunk_size, 0, PRC_HEAP_GROW_GFP);
		ret = PTR_ERR_OR_ZERO(chunk);
		if (!ret) {
			list_add(&chunk->node, &heap->chunks);
			heap->chunk_count++;
			*link = PRC_HEAP_LINK(chunk->va.start, heap->chunk_size);
		}
	}
	mutex_unlock(&vm->heaps_lock);
	return ret;
}
