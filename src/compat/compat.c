// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/*
 * Kernel differences that take more than an inline: where BOs get their
 * shmem files. BOs of 2 MiB and more should sit on transparent huge pages,
 * so that the GPU maps them with 2 MiB blocks (one descriptor and one TLB
 * entry instead of 512). That needs a tmpfs mounted with huge=within_size:
 * 7.x kernels keep one per DRM device (drm_gem_huge_mnt_create()), and
 * drm_gem_object_init() uses it; before, the module mounts its own at load
 * and creates the files there itself.
 */

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/printk.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <linux/writeback.h>
#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "compat.h"

#ifndef PRC_HAVE_DRM_GEM_HUGE_MNT
/* The module's huge tmpfs, or NULL for the kernel's shmem mount. */
static struct vfsmount *prc_huge_mnt;
#endif

/**
 * prc_compat_init() - module-wide set-up of the compatibility layer
 * @huge: put BOs on transparent huge pages where they are big enough
 *
 * Failing to mount the huge tmpfs only costs the huge pages.
 */
void prc_compat_init(bool huge)
{
#if !defined(PRC_HAVE_DRM_GEM_HUGE_MNT) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	/* Writable: the legacy option parser splits it in place. */
	char opts[] = "huge=within_size";
	struct file_system_type *type;
	struct vfsmount *mnt;

	if (!huge)
		return;
	type = get_fs_type("tmpfs");
	if (!type)
		return;
	mnt = vfs_kern_mount(type, SB_KERNMOUNT, type->name, opts);
	/* put_filesystem(), which is not exported: drop get_fs_type()'s reference. */
	module_put(type->owner);
	if (IS_ERR(mnt)) {
		pr_warn("panthor_reclaim: no huge tmpfs (%pe): BOs use 4 KiB pages\n", mnt);
		return;
	}
	prc_huge_mnt = mnt;
#endif
}

/** prc_compat_exit() - undo prc_compat_init() at module unload */
void prc_compat_exit(void)
{
#ifndef PRC_HAVE_DRM_GEM_HUGE_MNT
	if (prc_huge_mnt)
		kern_unmount(prc_huge_mnt);
	prc_huge_mnt = NULL;
#endif
}

/**
 * prc_gem_huge_mnt_init() - give a DRM device's BOs huge pages
 * @drm: the device, before it creates any BO
 * @huge: as for prc_compat_init()
 *
 * Where the DRM core keeps the mount per device. Failing only costs the huge
 * pages.
 */
void prc_gem_huge_mnt_init(struct drm_device *drm, bool huge)
{
#ifdef PRC_HAVE_DRM_GEM_HUGE_MNT
	int ret;

	if (!huge)
		return;
	ret = drm_gem_huge_mnt_create(drm, "within_size");
	if (ret)
		drm_warn(drm, "no huge tmpfs (%d): BOs use 4 KiB pages\n", ret);
#endif
}

/**
 * prc_gem_object_init() - drm_gem_object_init() on the huge tmpfs if any
 * @drm: the device
 * @obj: the GEM object to initialize, with a shmem file of @size bytes
 * @size: page-aligned size
 *
 * Return: 0 or a negative errno; as drm_gem_object_init(), the object is
 * initialized as a private one even on failure.
 */
int prc_gem_object_init(struct drm_device *drm, struct drm_gem_object *obj, size_t size)
{
#ifndef PRC_HAVE_DRM_GEM_HUGE_MNT
	struct file *filp;

	if (prc_huge_mnt) {
		drm_gem_private_object_init(drm, obj, size);
		filp = shmem_file_setup_with_mnt(prc_huge_mnt, "drm mm object", size,
						 VM_NORESERVE);
		if (IS_ERR(filp))
			return PTR_ERR(filp);
		obj->filp = filp;
		return 0;
	}
#endif
	return drm_gem_object_init(drm, obj, size);
}

/**
 * prc_shmem_writeout() - write one shmem folio to swap now
 * @folio: a shmem folio, referenced and locked, mapped nowhere, its dirty
 *	bit cleared for I/O (folio_clear_dirty_for_io())
 *
 * What reclaim does to a shmem folio at the end of the inactive list, done
 * at once: the folio moves to the swap cache with its write started, and
 * is freed as soon as the write completes (at once for zram). 6.12 reaches
 * shmem's ->writepage() as a reclaim-time writeback; 7.x exports
 * shmem_write_folio() for it. A large folio may be split first, in which
 * case only its first page is written.
 *
 * Return: true when the write started (the folio is unlocked), false when
 * shmem kept the folio (no swap, no swap slot: it is dirty again and still
 * locked) or the kernel offers no way.
 */
bool prc_shmem_writeout(struct folio *folio)
{
	int ret;

#if defined(PRC_HAVE_SHMEM_WRITE_FOLIO)
	ret = shmem_write_folio(folio);
#elif defined(PRC_HAVE_AOPS_WRITEPAGE)
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = SWAP_CLUSTER_MAX,
		.range_start = 0,
		.range_end = LLONG_MAX,
		/* shmem writes to swap only for reclaim. */
		.for_reclaim = 1,
	};

	ret = folio->mapping->a_ops->writepage(&folio->page, &wbc);
#else
	folio_mark_dirty(folio);
	ret = AOP_WRITEPAGE_ACTIVATE;
#endif
	/* Kept: returned locked. Anything else: unlocked by the write path. */
	return ret != AOP_WRITEPAGE_ACTIVATE;
}
