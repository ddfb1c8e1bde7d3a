/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef PRC_UOBJ_H
#define PRC_UOBJ_H

#include <linux/stddef.h>
#include <linux/types.h>

struct drm_panthor_obj_array;

/**
 * struct prc_uobj_kind - how big one kind of extensible uAPI object is
 * @size: its size as this driver knows it (the newest uAPI version)
 * @base_size: its size in the uAPI version that introduced it; userspace
 *	never passes less
 *
 * panthor's objects grow at their end from one uAPI minor to the next, so
 * old userspace passes short ones and new userspace long ones; these two
 * sizes are all a copy needs to know to accept both.
 */
struct prc_uobj_kind {
	u32 size;
	u32 base_size;
};

/*
 * PRC_UOBJ_KIND(type, field): the kind of struct @type, whose first uAPI
 * version ended with @field.
 */
#define PRC_UOBJ_KIND(type, field) \
	((struct prc_uobj_kind){ sizeof(type), offsetofend(type, field) })

/* PRC_UOBJ_FIXED(type): the kind of struct @type, unchanged since its first version. */
#define PRC_UOBJ_FIXED(type) \
	((struct prc_uobj_kind){ sizeof(type), sizeof(type) })

void *prc_uobj_read_array(const struct drm_panthor_obj_array *arr,
			  const struct prc_uobj_kind kind);
int prc_uobj_write(u64 uptr, u32 usize, const void *obj, const struct prc_uobj_kind kind);

#endif /* PRC_UOBJ_H */
