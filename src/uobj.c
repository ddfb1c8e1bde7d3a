// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: extensible uAPI objects
 *
 * Every array in panthor's uAPI is a &struct drm_panthor_obj_array (count,
 * stride, pointer), and every query result is an object whose size the
 * caller states. Both rules come from the uAPI header: an object may be
 * shorter than ours (older userspace: we see zeroes past its end) or longer
 * (newer userspace: what we do not know must be zero on the way in, and
 * reads as zero on the way out), but never shorter than the object's first
 * uAPI version. The two helpers here are the only places that apply them.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uobj.h"
#include "../include/uapi/drm/panthor_drm.h"

/**
 * prc_uobj_read_array() - copy in a user array of extensible objects
 * @arr: the array as the ioctl describes it
 * @kind: the objects' sizes
 *
 * The result holds @arr->count objects of @kind.size bytes each, whatever
 * the user's stride: shorter user objects are zero-extended, longer ones
 * must be zero past what we know (copy_struct_from_user()'s rule).
 *
 * Return: a kvmalloc()ed array to kvfree(), NULL for an empty array, or an
 * ERR_PTR(): -EINVAL for a stride below the object's first version,
 * -E2BIG for non-zero bytes we do not know, -EFAULT, -ENOMEM.
 */
void *prc_uobj_read_array(const struct drm_panthor_obj_array *arr,
			  const struct prc_uobj_kind kind)
{
	const u8 __user *src = u64_to_user_ptr(arr->array);
	u8 *objs;
	u32 n;

	if (!arr->count)
		return NULL;
	if (arr->stride < kind.base_size)
		return ERR_PTR(-EINVAL);
	objs = kvmalloc_array(arr->count, kind.size, GFP_KERNEL);
	if (!objs)
		return ERR_PTR(-ENOMEM);
	for (n = 0; n < arr->count; n++) {
		int err = copy_struct_from_user(objs + (size_t)n * kind.size, kind.size,
						src + (size_t)n * arr->stride, arr->stride);

		if (err) {
			kvfree(objs);
			return ERR_PTR(err);
		}
	}
	return objs;
}

/**
 * prc_uobj_write() - copy a query result out to a user object
 * @uptr: where the user object is
 * @usize: its size, as the caller states it
 * @obj: our object, @kind.size bytes
 * @kind: its sizes
 *
 * A user object longer than ours has its tail cleared, so fields of later
 * uAPI versions read as zero, as the uAPI promises for fields a kernel
 * does not know.
 *
 * Return: 0, -EINVAL when @usize is below the object's first version,
 * -EFAULT.
 */
int prc_uobj_write(u64 uptr, u32 usize, const void *obj, const struct prc_uobj_kind kind)
{
	u8 __user *dst = u64_to_user_ptr(uptr);
	u32 known = min(usize, kind.size);

	if (usize < kind.base_size)
		return -EINVAL;
	if (copy_to_user(dst, obj, known))
		return -EFAULT;
	if (known < usize && clear_user(dst + known, usize - known))
		return -EFAULT;
	return 0;
}
