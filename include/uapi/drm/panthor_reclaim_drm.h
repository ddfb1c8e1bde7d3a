/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef _PANTHOR_RECLAIM_DRM_H_
#define _PANTHOR_RECLAIM_DRM_H_

/**
 * DOC: panthor-reclaim uAPI extensions
 *
 * What panthor-reclaim adds to the panthor uAPI (panthor_drm.h), for
 * userspace that knows it: every number here is far from upstream's, so
 * that no upstream addition can ever collide with one, and nothing here
 * changes the uAPI minor the driver reports (a minor upstream has not
 * defined would promise features userspace cannot know). Userspace finds
 * the extensions with DEV_QUERY of type
 * %DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS, which stock panthor refuses with
 * -EINVAL.
 *
 * Memory that may go away. Reclaim never loses a byte userspace may read
 * back, except where userspace said it may: a BO advised
 * %DRM_PANTHOR_PRC_MADV_DONTNEED (purgeable) or created with
 * %DRM_PANTHOR_PRC_BO_DISCARDABLE may lose its content under memory
 * pressure instead of being swapped out, unless it was exported through
 * dma-buf. It then reads back as zeroes (CPU and GPU alike, it stays
 * usable) and the next BO_MADVISE reports it as not retained.
 */

#include "panthor_drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * enum drm_panthor_prc_ioctl_id - ioctl numbers of the extensions, offsets
 * from DRM_COMMAND_BASE (upstream's start at 0)
 */
enum drm_panthor_prc_ioctl_id {
	/** @DRM_PANTHOR_PRC_BO_MADVISE: advise whether a BO's content is needed */
	DRM_PANTHOR_PRC_BO_MADVISE = 0x50,
};

#define DRM_IOCTL_PANTHOR_PRC_BO_MADVISE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_PANTHOR_PRC_BO_MADVISE, struct drm_panthor_prc_bo_madvise)

/**
 * define DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS - DEV_QUERY type returning
 * struct drm_panthor_prc_extensions; far above upstream's types
 */
#define DRM_PANTHOR_PRC_DEV_QUERY_EXTENSIONS	0x70720000

/**
 * enum drm_panthor_prc_extension - bits of &drm_panthor_prc_extensions.mask
 */
enum drm_panthor_prc_extension {
	/** @DRM_PANTHOR_PRC_EXT_RECLAIM: idle BOs are swapped out under pressure */
	DRM_PANTHOR_PRC_EXT_RECLAIM = (1 << 0),
	/** @DRM_PANTHOR_PRC_EXT_BO_MADVISE: DRM_IOCTL_PANTHOR_PRC_BO_MADVISE */
	DRM_PANTHOR_PRC_EXT_BO_MADVISE = (1 << 1),
	/** @DRM_PANTHOR_PRC_EXT_BO_DISCARDABLE: BO_CREATE's %DRM_PANTHOR_PRC_BO_DISCARDABLE */
	DRM_PANTHOR_PRC_EXT_BO_DISCARDABLE = (1 << 2),
};

/**
 * struct drm_panthor_prc_extensions - the extensions this driver has
 */
struct drm_panthor_prc_extensions {
	/** @mask: enum drm_panthor_prc_extension bits */
	__u64 mask;
	/**
	 * @reclaim_enabled: 1 when reclaim currently swaps idle BOs out (the
	 * module parameter "reclaim"), else 0
	 */
	__u32 reclaim_enabled;
	/** @pad: zero */
	__u32 pad;
};

/**
 * define DRM_PANTHOR_PRC_BO_DISCARDABLE - BO_CREATE flag: under memory
 * pressure the content may be dropped instead of swapped out (scratch
 * memory, caches userspace can rebuild); it then reads back as zeroes and
 * BO_MADVISE reports it as not retained. Far above upstream's flags.
 */
#define DRM_PANTHOR_PRC_BO_DISCARDABLE		(1u << 24)

/**
 * enum drm_panthor_prc_madv - advice of DRM_IOCTL_PANTHOR_PRC_BO_MADVISE
 */
enum drm_panthor_prc_madv {
	/**
	 * @DRM_PANTHOR_PRC_MADV_WILLNEED: the content is needed again; from
	 * now on it is kept (swapped out, never dropped) unless the BO was
	 * created discardable
	 */
	DRM_PANTHOR_PRC_MADV_WILLNEED = 0,
	/**
	 * @DRM_PANTHOR_PRC_MADV_DONTNEED: the content may be dropped (the BO
	 * is purgeable): reclaim drops it before anything else
	 */
	DRM_PANTHOR_PRC_MADV_DONTNEED = 1,
};

/**
 * struct drm_panthor_prc_bo_madvise - DRM_IOCTL_PANTHOR_PRC_BO_MADVISE argument
 *
 * Errors: -ENOENT for an unknown handle; -EINVAL for an unknown advice, a
 * non-zero @pad, or a BO that is imported or not purgeable by nature. A
 * BO that is pinned (shared with another device) takes the advice but
 * keeps its pages while it is pinned. A BO exported through dma-buf takes
 * it too, but its content is never dropped from then on (its other users
 * did not say it is disposable): it is swapped out like any other BO. The
 * same holds for a discardable BO once exported.
 */
struct drm_panthor_prc_bo_madvise {
	/** @handle: the BO */
	__u32 handle;
	/** @advice: enum drm_panthor_prc_madv */
	__u32 advice;
	/**
	 * @retained: out: 1 when the content is still the one userspace left
	 * there, 0 when reclaim dropped it since the BO was advised DONTNEED
	 * (or, for a discardable BO, since the last BO_MADVISE); then it reads
	 * as zeroes. Each call reports a loss once.
	 */
	__u32 retained;
	/** @pad: zero */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _PANTHOR_RECLAIM_DRM_H_ */
