/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_GEM_H
#define PRC_GEM_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <drm/drm_gem.h>

#include "../include/uapi/drm/panthor_reclaim_drm.h"

struct dma_buf;
struct dma_buf_attachment;
struct list_lru;
struct prc_gem_lru;
struct prc_memcg;
struct prc_vm;
struct drm_device;
struct page;
struct sg_table;

/*
 * BO_CREATE flags userspace may pass (NO_MMAP: uAPI 1.0, WB_MMAP: 1.7,
 * DISCARDABLE: ours, panthor_reclaim_drm.h).
 */
#define PRC_GEM_UAPI_FLAGS	(DRM_PANTHOR_BO_NO_MMAP | DRM_PANTHOR_BO_WB_MMAP | \
				 DRM_PANTHOR_PRC_BO_DISCARDABLE)

/*
 * Kernel-internal flags, far above the uAPI ones; userspace can never set
 * them (BO_CREATE must reject anything outside PRC_GEM_UAPI_FLAGS).
 *
 * PRC_GEM_KERNEL: a BO the driver itself uses (ring buffers, firmware
 * sections, heap contexts): never CPU-mapped for userspace, never exported,
 * and reported unreclaimable whatever its counts say.
 */
#define PRC_GEM_KERNEL		BIT(31)
#define PRC_GEM_VALID_FLAGS	(PRC_GEM_UAPI_FLAGS | PRC_GEM_KERNEL)

/*
 * Largest BO: its page array (one pointer per page) must stay below the
 * INT_MAX bytes kvmalloc() accepts without a warning; about 1 TiB.
 */
#define PRC_GEM_MAX_SIZE	((size_t)(INT_MAX / sizeof(struct page *)) << PAGE_SHIFT)

/**
 * struct prc_gem_object - a buffer object: shmem-backed, or an imported dma-buf
 *
 * See the DOC: section of gem.c for the page lifetime and the lock order.
 * "resv" below is @base.resv: the object's own reservation object, the one
 * of the VM it is private to (@resv_owner), or the exporter's for imports.
 */
struct prc_gem_object {
	/** @base: the GEM object; @base.resv is the lock of the page state below */
	struct drm_gem_object base;

	/**
	 * @flags: DRM_PANTHOR_BO_* uAPI flags and PRC_GEM_* kernel flags the
	 * BO was created with; 0 for imports. Immutable.
	 */
	u32 flags;
	/**
	 * @map_wc: CPU mappings (user mmap and vmap) are write-combined
	 * because the device does not snoop CPU caches and the BO was not
	 * created with DRM_PANTHOR_BO_WB_MMAP; cached otherwise. Immutable.
	 */
	bool map_wc;
	/**
	 * @exported: the BO was exported as a dma-buf at least once (set by
	 * prc_gem_prime_export(), never cleared). Written and read with
	 * WRITE_ONCE()/READ_ONCE(), no lock: only a reclaim hint.
	 */
	bool exported;
	/**
	 * @resv_owner: the GEM object whose reservation object this BO
	 * shares (a VM's root object, for BOs private to that VM), with a
	 * reference dropped when the BO is freed; NULL otherwise. Immutable.
	 */
	struct drm_gem_object *resv_owner;

	/**
	 * @pages: the shmem pages backing the BO, all or none, NULL while not
	 * resident (before first use, after eviction) and for imports.
	 * Protected by resv.
	 */
	struct page **pages;
	/**
	 * @sgt: while @pages is set, the pages as one sg_table DMA-mapped for
	 * @base.dev->dev (bidirectional), created and destroyed with @pages.
	 * For imports: the importer's mapping of the dma-buf, set at import
	 * and immutable. Protected by resv.
	 */
	struct sg_table *sgt;
	/**
	 * @pin_count: pins taken by prc_gem_pin_pages() and
	 * prc_gem_get_sgt_locked() (dma-buf attachments included); the pages
	 * cannot be evicted while it is non-zero. Protected by resv.
	 */
	unsigned int pin_count;
	/**
	 * @vaddr: kernel virtual address of the whole BO while @vmap_count is
	 * non-zero, else NULL. Protected by resv.
	 */
	void *vaddr;
	/** @vmap_count: users of @vaddr. Protected by resv. */
	unsigned int vmap_count;
	/**
	 * @mmap_count: live CPU mappings (VMAs) of the BO, through the DRM file
	 * or a dma-buf. Atomic, no lock: changed by mmap and the VMA open and
	 * close callbacks, which cannot take resv.
	 */
	atomic_t mmap_count;
	/**
	 * @gpu_map_count: GPU mappings of the BO, counted by the VM code with
	 * prc_gem_gpu_map_get() and prc_gem_gpu_map_put(). Atomic. Rule: a
	 * get must happen with resv held, while the caller holds a pin, or
	 * while the count is already non-zero, so an evictor (resv held,
	 * @pin_count and this count zero) can never miss a mapping being
	 * created; a put needs no lock at all (it may run where dma-fences
	 * are signalled).
	 */
	atomic_t gpu_map_count;

	/**
	 * @gpuva_lock: protects @base.gpuva (the drm_gpuva list of the
	 * object) for the VM code. Taken inside resv, and nothing is taken
	 * inside it.
	 */
	struct mutex gpuva_lock;

	/**
	 * @label: NUL-terminated name userspace gave the BO with
	 * BO_SET_LABEL, owned by the BO; NULL when it has none. Replaced and
	 * read under @label_lock.
	 */
	const char *label;
	/** @label_lock: protects @label; nothing is taken inside it. */
	spinlock_t label_lock;

	/**
	 * @lru: the reclaim LRU the BO is tracked on (prc_gem_lru_track()),
	 * or NULL for BOs reclaim never takes (kernel BOs, imports). Set
	 * before the BO has pages, then immutable.
	 */
	struct prc_gem_lru *lru;
	/** @lru_node: on &prc_gem_lru.lists while resident; under &prc_gem_lru.lock */
	struct list_head lru_node;
	/**
	 * @lru_state: the list @lru_node is on (&enum prc_gem_reclaim_state),
	 * or -1 on none (not resident); under &prc_gem_lru.lock
	 */
	int lru_state;
	/**
	 * @memcg: the memory cgroup that paid for the BO's pages when they
	 * last came in (memcg.c), or NULL (the root cgroup's, or none yet).
	 * Set under resv and &prc_gem_lru.lock, read under either.
	 */
	struct prc_memcg *memcg;
	/** @memcg_node: on &prc_memcg.bos while resident; under &prc_gem_lru.lock */
	struct list_head memcg_node;
	/**
	 * @evicted: the content is in shmem since an eviction; written under
	 * resv, read without it by fdinfo (READ_ONCE())
	 */
	bool evicted;
	/** @evictions: times the BO was evicted; under resv, read by debugfs */
	unsigned int evictions;
	/**
	 * @dontneed: userspace advised DRM_PANTHOR_PRC_MADV_DONTNEED: the
	 * content may be dropped. Written under resv, read without it by the
	 * LRU moves and fdinfo (READ_ONCE()).
	 */
	bool dontneed;
	/**
	 * @lost: reclaim dropped the content (purge or discard) since the last
	 * BO_MADVISE, which reports it and clears it. Under resv.
	 */
	bool lost;
};

/**
 * enum prc_gem_reclaim_state - what reclaim could do with a BO now
 * @PRC_GEM_UNRECLAIMABLE: nothing to take (not resident, imported) or must
 *	stay (pinned, vmapped, kernel BO)
 * @PRC_GEM_PURGEABLE: userspace advised DONTNEED: the content is dropped,
 *	nothing is written to swap; whatever maps it
 * @PRC_GEM_DISCARDABLE: created DRM_PANTHOR_PRC_BO_DISCARDABLE: dropped
 *	like a purgeable BO, after them
 * @PRC_GEM_UNUSED: resident, no CPU or GPU mapping: cheapest to evict
 * @PRC_GEM_MMAPPED: resident, mapped by the CPU only: eviction zaps the
 *	mappings and the next access faults the pages back in
 * @PRC_GEM_GPU_MAPPED: resident and GPU-mapped in the one VM whose
 *	reservation object it shares: reclaimed together with that VM, listed
 *	in its VM's &struct prc_gem_vm_root rather than on &prc_gem_lru.lists
 * @PRC_GEM_SHARED: resident and exported through dma-buf, or GPU-mapped
 *	with a reservation object of its own (possibly in several VMs):
 *	tracked individually
 *
 * The states of DESIGN.md §3, ordered from cheapest to most expensive to
 * reclaim after the unreclaimable one.
 */
enum prc_gem_reclaim_state {
	PRC_GEM_UNRECLAIMABLE,
	PRC_GEM_PURGEABLE,
	PRC_GEM_DISCARDABLE,
	PRC_GEM_UNUSED,
	PRC_GEM_MMAPPED,
	PRC_GEM_GPU_MAPPED,
	PRC_GEM_SHARED,
	PRC_GEM_NR_RECLAIM_STATES
};

/* Whether reclaim drops the content of a BO in @state rather than swap it out. */
static inline bool prc_gem_state_droppable(int state)
{
	return state == PRC_GEM_PURGEABLE || state == PRC_GEM_DISCARDABLE;
}

/**
 * struct prc_gem_lru - a device's resident BOs by reclaim state
 *
 * The shrinker's counts and lists. A tracked BO is on the list of its
 * state while it has pages, on none otherwise; every change of what the
 * state depends on (pages, pins, kernel mappings, CPU and GPU mappings,
 * export) moves it to the tail of the list of its new state, so each list
 * runs from the BO that changed least recently. The change and the move are
 * not atomic together, but each change is followed by a move that reads
 * the BO after it, so the last move puts the BO where its state says.
 */
struct prc_gem_lru {
	/**
	 * @lock: protects @lists, @pages, and &prc_gem_object.lru_node and
	 * .lru_state of the BOs tracked here. A spinlock, because BOs move
	 * where sleeping is not allowed (a GPU mapping dropped in the
	 * fence-signalling path, a VMA closed); nothing is taken inside it and
	 * nothing allocates under it.
	 */
	spinlock_t lock;
	/**
	 * @lists: per &enum prc_gem_reclaim_state, the resident BOs in it;
	 * for %PRC_GEM_GPU_MAPPED, see @vms
	 */
	struct list_head lists[PRC_GEM_NR_RECLAIM_STATES];
	/**
	 * @vms: the VMs with BOs in %PRC_GEM_GPU_MAPPED (&prc_gem_vm_root.node),
	 * least recently submitted to first: activity is tracked per VM, one
	 * move per submission (prc_gem_lru_touch_vm()), not one per BO
	 */
	struct list_head vms;
	/** @pages: per state, the pages of the BOs on @lists (O(1) counts) */
	unsigned long pages[PRC_GEM_NR_RECLAIM_STATES];
	/** @evicted: pages of tracked BOs given back to shmem by eviction */
	atomic_long_t evicted;
	/** @restored: pages of evicted BOs brought back (fault, vmap, pin) */
	atomic_long_t restored;
	/** @size_pages: pages of all the BOs tracked here, resident or not */
	atomic_long_t size_pages;
	/** @out_pages: pages of the tracked BOs that are evicted now */
	atomic_long_t out_pages;
	/** @purged: pages of DONTNEED BOs whose content reclaim dropped */
	atomic_long_t purged;
	/** @discarded: pages of discardable BOs whose content reclaim dropped */
	atomic_long_t discarded;
	/**
	 * @heap_vms: the VMs with tiler-heap chunk pages reclaim could discard
	 * (&prc_gem_vm_root.heap_node), least recently submitted to first;
	 * under @lock
	 */
	struct list_head heap_vms;
	/** @heap_pages: those pages, all VMs (heap.c); under @lock */
	unsigned long heap_pages;
	/** @heap_discarded: heap chunk pages reclaim freed */
	atomic_long_t heap_discarded;
	/** @heap_restored: heap chunk pages allocated again before a job */
	atomic_long_t heap_restored;
	/**
	 * @memcgs: the &struct prc_memcg of the cgroups paying for BOs of this
	 * device (memcg.c); under @lock
	 */
	struct list_head memcgs;
	/**
	 * @memcg_lru: the shrinker's memcg-aware list (reclaim.c), which
	 * carries one &prc_memcg.lru_item per cgroup; NULL until the shrinker
	 * is registered, then immutable
	 */
	struct list_lru *memcg_lru;
};

/**
 * struct prc_gem_vm_root - the GEM object whose reservation object a VM's
 * private BOs share, and their place on the reclaim LRU
 *
 * Made by prc_gem_vm_root_new() for every VM; the VM and each of its
 * private BOs hold a reference, so it outlives them all.
 */
struct prc_gem_vm_root {
	/** @base: a GEM object of size 0: only its resv is used */
	struct drm_gem_object base;
	/**
	 * @node: on &prc_gem_lru.vms while @bos is not empty, else empty.
	 * Under &prc_gem_lru.lock, as the two members below.
	 */
	struct list_head node;
	/** @bos: the VM's private BOs in %PRC_GEM_GPU_MAPPED, oldest change first */
	struct list_head bos;
	/** @pages: their pages */
	unsigned long pages;
	/**
	 * @heap_node: on &prc_gem_lru.heap_vms while @heap_pages is not 0;
	 * under &prc_gem_lru.lock, as @heap_pages
	 */
	struct list_head heap_node;
	/** @heap_pages: the VM's tiler-heap pages reclaim could discard */
	unsigned long heap_pages;
	/**
	 * @heap_vm: the VM, while it has a heap pool (heap.c sets it when the
	 * pool is made and clears it, with @base's resv held, before the VM
	 * can go): reclaim reaches the heaps through it, with that resv held
	 */
	struct prc_vm *heap_vm;
};

/**
 * to_prc_gem() - our BO from its GEM object
 * @obj: a GEM object created by this driver
 *
 * Return: the containing &struct prc_gem_object.
 */
static inline struct prc_gem_object *to_prc_gem(struct drm_gem_object *obj)
{
	return container_of(obj, struct prc_gem_object, base);
}

/**
 * prc_gem_is_imported() - whether a BO wraps a dma-buf of another device
 * @bo: the BO
 *
 * Return: true for imports (no shmem, no page array).
 */
static inline bool prc_gem_is_imported(const struct prc_gem_object *bo)
{
	return bo->base.import_attach;
}

extern const struct drm_gem_object_funcs prc_gem_object_funcs;

struct prc_gem_object *prc_gem_create(struct drm_device *drm, size_t size, u32 flags,
				      struct drm_gem_object *resv_owner);

int prc_gem_pin_pages(struct prc_gem_object *bo);
void prc_gem_unpin_pages(struct prc_gem_object *bo);
struct sg_table *prc_gem_get_sgt_locked(struct prc_gem_object *bo);
int prc_gem_evict_locked(struct prc_gem_object *bo);
int prc_gem_drop_locked(struct prc_gem_object *bo);
unsigned long prc_gem_write_out(struct prc_gem_object *bo);
int prc_gem_madvise(struct prc_gem_object *bo, u32 advice, bool *retained);

void *prc_gem_vmap(struct prc_gem_object *bo);
void prc_gem_vunmap(struct prc_gem_object *bo);

void prc_gem_gpu_map_get(struct prc_gem_object *bo);
void prc_gem_gpu_map_put(struct prc_gem_object *bo);
enum prc_gem_reclaim_state prc_gem_reclaim_state_locked(struct prc_gem_object *bo);

struct drm_gem_object *prc_gem_vm_root_new(struct drm_device *drm);
void prc_gem_lru_touch_vm(struct prc_gem_lru *lru, struct drm_gem_object *root);
void prc_gem_lru_heap_pages(struct prc_gem_lru *lru, struct drm_gem_object *root, long delta);
void prc_gem_vm_root_set_heap_vm(struct drm_gem_object *root, struct prc_vm *vm);
struct prc_vm *prc_gem_vm_root_heap_vm(struct drm_gem_object *root);

void prc_gem_lru_init(struct prc_gem_lru *lru);
void prc_gem_lru_track(struct prc_gem_object *bo, struct prc_gem_lru *lru);
unsigned long prc_gem_lru_pages(struct prc_gem_lru *lru, enum prc_gem_reclaim_state state);

int prc_gem_sync(struct prc_gem_object *bo, u32 type, u64 offset, u64 size);
void prc_gem_set_label(struct prc_gem_object *bo, const char *label);
bool prc_gem_mmap_allowed(const struct prc_gem_object *bo);
int prc_gem_mmap_guard_init(struct drm_device *drm);
bool prc_gem_can_map_in(const struct prc_gem_object *bo, const struct drm_gem_object *vm_root);

struct dma_buf *prc_gem_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *prc_gem_prime_import_sg_table(struct drm_device *drm,
						     struct dma_buf_attachment *attach,
						     struct sg_table *sgt);

long prc_gem_stat_objects(void);
long prc_gem_stat_resident_pages(void);

#endif /* PRC_GEM_H */
