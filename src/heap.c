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
 * Locking: &prc_vm.heaps_lock protects &prc_vm.heaps and everything in the
 * pool. It is taken under &prc_sched.lock (growth), so nothing under it may
 * allocate with a blocking flag; creation allocates before taking it.
 */

#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/slab.h>

#include "device.h"
#include "heap.h"
#include "kbo.h"
#include "regs.h"
#include "vm.h"
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
 */
struct prc_heap_chunk {
	struct list_head node;
	struct drm_mm_node va;
	u32 npages;
	struct page **pages;
	dma_addr_t *dma;
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

static void prc_heap_chunk_free(struct prc_vm *vm, struct prc_heap_chunk *chunk)
{
	struct device *dev = vm->pdev->base.dev;
	u32 i;

	if (drm_mm_node_allocated(&chunk->va)) {
		/* GPU accesses fault from here on instead of hitting freed pages. */
		prc_vm_unmap_pages(vm, chunk->va.start, chunk->va.size);
		prc_vm_free_va(vm, &chunk->va);
	}
	for (i = 0; i < chunk->npages; i++) {
		if (!chunk->pages[i])
			break;
		dma_unmap_page(dev, chunk->dma[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
		__free_page(chunk->pages[i]);
	}
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
	u32 i;
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
	for (i = 0; i < chunk->npages; i++) {
		chunk->pages[i] = alloc_page(gfp | __GFP_ZERO);
		if (!chunk->pages[i])
			goto err;
		chunk->dma[i] = dma_map_page(dev, chunk->pages[i], 0, PAGE_SIZE,
					     DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, chunk->dma[i])) {
			__free_page(chunk->pages[i]);
			chunk->pages[i] = NULL;
			goto err;
		}
	}
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
	if (!old)
		vm->heaps = pool;
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
	struct prc_heap *heap = NULL;
	int ret = 0;

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
	struct prc_heap_pool *pool;
	u32 id;

	mutex_lock(&vm->heaps_lock);
	pool = vm->heaps;
	vm->heaps = NULL;
	vm->heaps_gone = true;
	mutex_unlock(&vm->heaps_lock);
	if (!pool)
		return;
	for (id = 0; id < PRC_HEAP_MAX_PER_VM; id++)
		if (pool->heaps[id])
			prc_heap_free(vm, pool->heaps[id]);
	prc_kbo_free(pool->ctx);
	kfree(pool);
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
