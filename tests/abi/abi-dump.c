// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi-dump: print the layout of the panthor uAPI as compiled from one
 * header: size of every structure, offset of every member, every ioctl
 * number, enum value and macro constant. Built once against our
 * include/uapi/drm/panthor_drm.h and once against the kernel's; the two
 * outputs must be identical (tests/abi/check.sh). A member or constant
 * missing from either header fails the build, which fails the test. With
 * PRC_ABI_MINORS it prints only the later minors' additions we implement.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "panthor_drm.h"

#define S(type) printf("sizeof %s = %zu\n", #type, sizeof(struct type))
/*
 * Offsets only: a member whose size changes moves the next member or, for
 * the last one, the structure size (every structure is explicitly padded).
 */
#define M(type, member) printf("%s.%s @ %zu\n", #type, #member, offsetof(struct type, member))
#define C(name) printf("%s = 0x%llx\n", #name, (unsigned long long)(name))

int main(void)
{
#ifndef PRC_ABI_MINORS
	/* uAPI 1.0, checked against the target kernel's header. */
	M(drm_panthor_obj_array, stride);
	M(drm_panthor_obj_array, count);
	M(drm_panthor_obj_array, array);

	M(drm_panthor_sync_op, flags);
	M(drm_panthor_sync_op, handle);
	M(drm_panthor_sync_op, timeline_value);

	M(drm_panthor_gpu_info, gpu_id);
	M(drm_panthor_gpu_info, gpu_rev);
	M(drm_panthor_gpu_info, csf_id);
	M(drm_panthor_gpu_info, l2_features);
	M(drm_panthor_gpu_info, tiler_features);
	M(drm_panthor_gpu_info, mem_features);
	M(drm_panthor_gpu_info, mmu_features);
	M(drm_panthor_gpu_info, thread_features);
	M(drm_panthor_gpu_info, max_threads);
	M(drm_panthor_gpu_info, thread_max_workgroup_size);
	M(drm_panthor_gpu_info, thread_max_barrier_size);
	M(drm_panthor_gpu_info, coherency_features);
	M(drm_panthor_gpu_info, texture_features);
	M(drm_panthor_gpu_info, as_present);
	/* At 0x54: pad0 in 1.0, selected_coherency from 1.7 (checked below). */
	M(drm_panthor_gpu_info, shader_present);
	M(drm_panthor_gpu_info, l2_present);
	M(drm_panthor_gpu_info, tiler_present);
	M(drm_panthor_gpu_info, core_features);
	M(drm_panthor_gpu_info, pad);

	M(drm_panthor_csif_info, csg_slot_count);
	M(drm_panthor_csif_info, cs_slot_count);
	M(drm_panthor_csif_info, cs_reg_count);
	M(drm_panthor_csif_info, scoreboard_slot_count);
	M(drm_panthor_csif_info, unpreserved_cs_reg_count);
	M(drm_panthor_csif_info, pad);

	M(drm_panthor_dev_query, type);
	M(drm_panthor_dev_query, size);
	M(drm_panthor_dev_query, pointer);

	M(drm_panthor_vm_create, flags);
	M(drm_panthor_vm_create, id);
	M(drm_panthor_vm_create, user_va_range);

	M(drm_panthor_vm_destroy, id);
	M(drm_panthor_vm_destroy, pad);

	M(drm_panthor_vm_bind_op, flags);
	M(drm_panthor_vm_bind_op, bo_handle);
	M(drm_panthor_vm_bind_op, bo_offset);
	M(drm_panthor_vm_bind_op, va);
	M(drm_panthor_vm_bind_op, size);
	M(drm_panthor_vm_bind_op, syncs);

	M(drm_panthor_vm_bind, vm_id);
	M(drm_panthor_vm_bind, flags);
	M(drm_panthor_vm_bind, ops);

	M(drm_panthor_vm_get_state, vm_id);
	M(drm_panthor_vm_get_state, state);

	M(drm_panthor_bo_create, size);
	M(drm_panthor_bo_create, flags);
	M(drm_panthor_bo_create, exclusive_vm_id);
	M(drm_panthor_bo_create, handle);
	M(drm_panthor_bo_create, pad);

	M(drm_panthor_bo_mmap_offset, handle);
	M(drm_panthor_bo_mmap_offset, pad);
	M(drm_panthor_bo_mmap_offset, offset);

	M(drm_panthor_queue_create, priority);
	M(drm_panthor_queue_create, pad);
	M(drm_panthor_queue_create, ringbuf_size);

	M(drm_panthor_group_create, queues);
	M(drm_panthor_group_create, max_compute_cores);
	M(drm_panthor_group_create, max_fragment_cores);
	M(drm_panthor_group_create, max_tiler_cores);
	M(drm_panthor_group_create, priority);
	M(drm_panthor_group_create, pad);
	M(drm_panthor_group_create, compute_core_mask);
	M(drm_panthor_group_create, fragment_core_mask);
	M(drm_panthor_group_create, tiler_core_mask);
	M(drm_panthor_group_create, vm_id);
	M(drm_panthor_group_create, group_handle);

	M(drm_panthor_group_destroy, group_handle);
	M(drm_panthor_group_destroy, pad);

	M(drm_panthor_queue_submit, queue_index);
	M(drm_panthor_queue_submit, stream_size);
	M(drm_panthor_queue_submit, stream_addr);
	M(drm_panthor_queue_submit, latest_flush);
	M(drm_panthor_queue_submit, pad);
	M(drm_panthor_queue_submit, syncs);

	M(drm_panthor_group_submit, group_handle);
	M(drm_panthor_group_submit, pad);
	M(drm_panthor_group_submit, queue_submits);

	M(drm_panthor_group_get_state, group_handle);
	M(drm_panthor_group_get_state, state);
	M(drm_panthor_group_get_state, fatal_queues);
	M(drm_panthor_group_get_state, pad);

	M(drm_panthor_tiler_heap_create, vm_id);
	M(drm_panthor_tiler_heap_create, initial_chunk_count);
	M(drm_panthor_tiler_heap_create, chunk_size);
	M(drm_panthor_tiler_heap_create, max_chunks);
	M(drm_panthor_tiler_heap_create, target_in_flight);
	M(drm_panthor_tiler_heap_create, handle);
	M(drm_panthor_tiler_heap_create, tiler_heap_ctx_gpu_va);
	M(drm_panthor_tiler_heap_create, first_heap_chunk_gpu_va);

	M(drm_panthor_tiler_heap_destroy, handle);
	M(drm_panthor_tiler_heap_destroy, pad);

	S(drm_panthor_obj_array);

	S(drm_panthor_sync_op);

	/* Its size grew in 1.7 (gpu_features after pad): checked with the minors. */

	S(drm_panthor_csif_info);

	S(drm_panthor_dev_query);

	S(drm_panthor_vm_create);

	S(drm_panthor_vm_destroy);

	S(drm_panthor_vm_bind_op);

	S(drm_panthor_vm_bind);

	S(drm_panthor_vm_get_state);

	S(drm_panthor_bo_create);

	S(drm_panthor_bo_mmap_offset);

	S(drm_panthor_queue_create);

	S(drm_panthor_group_create);

	S(drm_panthor_group_destroy);

	S(drm_panthor_queue_submit);

	S(drm_panthor_group_submit);

	S(drm_panthor_group_get_state);

	S(drm_panthor_tiler_heap_create);

	S(drm_panthor_tiler_heap_destroy);

	C(DRM_IOCTL_PANTHOR_DEV_QUERY);
	C(DRM_IOCTL_PANTHOR_VM_CREATE);
	C(DRM_IOCTL_PANTHOR_VM_DESTROY);
	C(DRM_IOCTL_PANTHOR_VM_BIND);
	C(DRM_IOCTL_PANTHOR_VM_GET_STATE);
	C(DRM_IOCTL_PANTHOR_BO_CREATE);
	C(DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET);
	C(DRM_IOCTL_PANTHOR_GROUP_CREATE);
	C(DRM_IOCTL_PANTHOR_GROUP_DESTROY);
	C(DRM_IOCTL_PANTHOR_GROUP_SUBMIT);
	C(DRM_IOCTL_PANTHOR_GROUP_GET_STATE);
	C(DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE);
	C(DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY);

	C(DRM_PANTHOR_USER_MMIO_OFFSET_32BIT);
	C(DRM_PANTHOR_USER_MMIO_OFFSET_64BIT);
	C(DRM_PANTHOR_USER_MMIO_OFFSET);
	C(DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
	C(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK);
	C(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ);
	C(DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ);
	C(DRM_PANTHOR_SYNC_OP_WAIT);
	C(DRM_PANTHOR_SYNC_OP_SIGNAL);
	C(DRM_PANTHOR_DEV_QUERY_GPU_INFO);
	C(DRM_PANTHOR_DEV_QUERY_CSIF_INFO);
	C(DRM_PANTHOR_VM_BIND_OP_MAP_READONLY);
	C(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC);
	C(DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED);
	C(DRM_PANTHOR_VM_BIND_OP_TYPE_MASK);
	C(DRM_PANTHOR_VM_BIND_OP_TYPE_MAP);
	C(DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP);
	C(DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY);
	C(DRM_PANTHOR_VM_BIND_ASYNC);
	C(DRM_PANTHOR_VM_STATE_USABLE);
	C(DRM_PANTHOR_VM_STATE_UNUSABLE);
	C(DRM_PANTHOR_BO_NO_MMAP);
	C(PANTHOR_GROUP_PRIORITY_LOW);
	C(PANTHOR_GROUP_PRIORITY_MEDIUM);
	C(PANTHOR_GROUP_PRIORITY_HIGH);
	C(DRM_PANTHOR_GROUP_STATE_TIMEDOUT);
	C(DRM_PANTHOR_GROUP_STATE_FATAL_FAULT);
	/* Decoding macros, applied to the G610's GPU_ID and CSF_ID. */
	C(DRM_PANTHOR_ARCH_MAJOR(0xa8670005u));
	C(DRM_PANTHOR_ARCH_MINOR(0xa8670005u));
	C(DRM_PANTHOR_ARCH_REV(0xa8670005u));
	C(DRM_PANTHOR_PRODUCT_MAJOR(0xa8670005u));
	C(DRM_PANTHOR_VERSION_MAJOR(0xa8670005u));
	C(DRM_PANTHOR_VERSION_MINOR(0xa8670005u));
	C(DRM_PANTHOR_VERSION_STATUS(0xa8670005u));
	C(DRM_PANTHOR_CSHW_MAJOR(0x40a0412u));
	C(DRM_PANTHOR_CSHW_MINOR(0x40a0412u));
	C(DRM_PANTHOR_CSHW_REV(0x40a0412u));
	C(DRM_PANTHOR_MCU_MAJOR(0x40a0412u));
	C(DRM_PANTHOR_MCU_MINOR(0x40a0412u));
	C(DRM_PANTHOR_MCU_REV(0x40a0412u));
	C(DRM_PANTHOR_MMU_VA_BITS(0x2830u));
#else
	/*
	 * uAPI 1.1-1.9, checked against a newer kernel's header (check.sh -m):
	 * there the 1.0 objects have grown, so only what we add is compared.
	 */
	C(DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO);
	C(DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO);
	M(drm_panthor_timestamp_info, timestamp_frequency);
	M(drm_panthor_timestamp_info, current_timestamp);
	M(drm_panthor_timestamp_info, timestamp_offset);
	M(drm_panthor_timestamp_info, flags);
	M(drm_panthor_timestamp_info, duration_nsec);
	M(drm_panthor_timestamp_info, cycle_count);
	M(drm_panthor_timestamp_info, cpu_timestamp_sec);
	M(drm_panthor_timestamp_info, cpu_timestamp_nsec);
	S(drm_panthor_timestamp_info);
	C(DRM_PANTHOR_TIMESTAMP_GPU);
	C(DRM_PANTHOR_TIMESTAMP_CPU_NONE);
	C(DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC);
	C(DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW);
	C(DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK);
	C(DRM_PANTHOR_TIMESTAMP_GPU_OFFSET);
	C(DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT);
	C(DRM_PANTHOR_TIMESTAMP_FREQ);
	C(DRM_PANTHOR_TIMESTAMP_DURATION);
	S(drm_panthor_group_priorities_info);
	M(drm_panthor_group_priorities_info, allowed_mask);
	M(drm_panthor_group_priorities_info, pad);
	C(PANTHOR_GROUP_PRIORITY_REALTIME);
	C(DRM_PANTHOR_GROUP_STATE_INNOCENT);

	/* 1.4 and 1.5 */
	C(DRM_IOCTL_PANTHOR_BO_SET_LABEL);
	M(drm_panthor_bo_set_label, handle);
	M(drm_panthor_bo_set_label, pad);
	M(drm_panthor_bo_set_label, label);
	S(drm_panthor_bo_set_label);
	C(DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET);
	M(drm_panthor_set_user_mmio_offset, offset);
	S(drm_panthor_set_user_mmio_offset);

	/* 1.7 */
	C(DRM_PANTHOR_BO_WB_MMAP);
	M(drm_panthor_gpu_info, selected_coherency);
	M(drm_panthor_gpu_info, gpu_features);
	S(drm_panthor_gpu_info);
	C(DRM_PANTHOR_GPU_COHERENCY_ACE_LITE);
	C(DRM_PANTHOR_GPU_COHERENCY_ACE);
	C(DRM_PANTHOR_GPU_COHERENCY_NONE);
	C(DRM_IOCTL_PANTHOR_BO_SYNC);
	C(DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH);
	C(DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE);
	M(drm_panthor_bo_sync_op, handle);
	M(drm_panthor_bo_sync_op, type);
	M(drm_panthor_bo_sync_op, offset);
	M(drm_panthor_bo_sync_op, size);
	S(drm_panthor_bo_sync_op);
	M(drm_panthor_bo_sync, ops);
	S(drm_panthor_bo_sync);
	C(DRM_IOCTL_PANTHOR_BO_QUERY_INFO);
	C(DRM_PANTHOR_BO_IS_IMPORTED);
	M(drm_panthor_bo_query_info, handle);
	M(drm_panthor_bo_query_info, extra_flags);
	M(drm_panthor_bo_query_info, create_flags);
	M(drm_panthor_bo_query_info, pad);
	S(drm_panthor_bo_query_info);

	/* 1.9 */
	C(DRM_PANTHOR_DEV_QUERY_MMU_INFO);
	M(drm_panthor_mmu_info, page_size_bitmap);
	S(drm_panthor_mmu_info);
	C(DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE);
#endif
	return 0;
}
