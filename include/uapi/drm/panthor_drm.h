/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#ifndef _PANTHOR_DRM_H_
#define _PANTHOR_DRM_H_

/**
 * DOC: panthor uAPI
 *
 * The userspace interface of Arm Mali CSF GPU drivers named "panthor".
 * panthor-reclaim implements it byte for byte, so that Mesa (panvk,
 * panfrost) and IGT run unchanged; this header is written from the
 * documented layout and checked field by field against the kernel's own
 * header by tests/abi. Every structure is naturally aligned, padded to a
 * multiple of 8 bytes, and every pad field must be zero.
 *
 * Arrays passed to the driver are described by struct drm_panthor_obj_array:
 * userspace states the element size it was built with, so that elements can
 * grow at the end in later versions without breaking older binaries.
 */

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/*
 * The mmap offsets of the USER MMIO page (holding LATEST_FLUSH_ID): far
 * above any GEM mmap offset, and different for 32-bit processes, whose
 * off_t cannot reach the 64-bit one.
 */
#define DRM_PANTHOR_USER_MMIO_OFFSET_32BIT	(1ull << 43)
#define DRM_PANTHOR_USER_MMIO_OFFSET_64BIT	(1ull << 56)
#define DRM_PANTHOR_USER_MMIO_OFFSET		(sizeof(unsigned long) < 8 ? \
						 DRM_PANTHOR_USER_MMIO_OFFSET_32BIT : \
						 DRM_PANTHOR_USER_MMIO_OFFSET_64BIT)
#define DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET	(DRM_PANTHOR_USER_MMIO_OFFSET | 0)

/**
 * enum drm_panthor_ioctl_id - driver-specific ioctl numbers, offsets from
 * DRM_COMMAND_BASE
 */
enum drm_panthor_ioctl_id {
	/** @DRM_PANTHOR_DEV_QUERY: query GPU and firmware-interface properties */
	DRM_PANTHOR_DEV_QUERY = 0,
	/** @DRM_PANTHOR_VM_CREATE: create a GPU address space */
	DRM_PANTHOR_VM_CREATE,
	/** @DRM_PANTHOR_VM_DESTROY: destroy a GPU address space */
	DRM_PANTHOR_VM_DESTROY,
	/** @DRM_PANTHOR_VM_BIND: map, unmap or synchronize in a GPU address space */
	DRM_PANTHOR_VM_BIND,
	/** @DRM_PANTHOR_VM_GET_STATE: is the address space still usable */
	DRM_PANTHOR_VM_GET_STATE,
	/** @DRM_PANTHOR_BO_CREATE: create a buffer object */
	DRM_PANTHOR_BO_CREATE,
	/** @DRM_PANTHOR_BO_MMAP_OFFSET: get the fake offset to mmap a buffer object */
	DRM_PANTHOR_BO_MMAP_OFFSET,
	/** @DRM_PANTHOR_GROUP_CREATE: create a scheduling group of queues */
	DRM_PANTHOR_GROUP_CREATE,
	/** @DRM_PANTHOR_GROUP_DESTROY: destroy a scheduling group */
	DRM_PANTHOR_GROUP_DESTROY,
	/** @DRM_PANTHOR_GROUP_SUBMIT: submit command streams to a group's queues */
	DRM_PANTHOR_GROUP_SUBMIT,
	/** @DRM_PANTHOR_GROUP_GET_STATE: has the group timed out or faulted */
	DRM_PANTHOR_GROUP_GET_STATE,
	/** @DRM_PANTHOR_TILER_HEAP_CREATE: create a growable tiler heap */
	DRM_PANTHOR_TILER_HEAP_CREATE,
	/** @DRM_PANTHOR_TILER_HEAP_DESTROY: destroy a tiler heap */
	DRM_PANTHOR_TILER_HEAP_DESTROY,
	/** @DRM_PANTHOR_BO_SET_LABEL: name a buffer object (1.4) */
	DRM_PANTHOR_BO_SET_LABEL,
	/**
	 * @DRM_PANTHOR_SET_USER_MMIO_OFFSET: choose the mmap offset of the
	 * USER page for this file (1.5), for emulators whose guest's word
	 * size differs from the emulator's
	 */
	DRM_PANTHOR_SET_USER_MMIO_OFFSET,
	/** @DRM_PANTHOR_BO_SYNC: CPU cache maintenance on BO ranges (1.7) */
	DRM_PANTHOR_BO_SYNC,
	/** @DRM_PANTHOR_BO_QUERY_INFO: creation flags and origin of a BO (1.7) */
	DRM_PANTHOR_BO_QUERY_INFO,
};

#define DRM_IOCTL_PANTHOR(__access, __id, __type) \
	DRM_IO ## __access(DRM_COMMAND_BASE + DRM_PANTHOR_ ## __id, \
			   struct drm_panthor_ ## __type)

#define DRM_IOCTL_PANTHOR_DEV_QUERY		DRM_IOCTL_PANTHOR(WR, DEV_QUERY, dev_query)
#define DRM_IOCTL_PANTHOR_VM_CREATE		DRM_IOCTL_PANTHOR(WR, VM_CREATE, vm_create)
#define DRM_IOCTL_PANTHOR_VM_DESTROY		DRM_IOCTL_PANTHOR(WR, VM_DESTROY, vm_destroy)
#define DRM_IOCTL_PANTHOR_VM_BIND		DRM_IOCTL_PANTHOR(WR, VM_BIND, vm_bind)
#define DRM_IOCTL_PANTHOR_VM_GET_STATE		DRM_IOCTL_PANTHOR(WR, VM_GET_STATE, vm_get_state)
#define DRM_IOCTL_PANTHOR_BO_CREATE		DRM_IOCTL_PANTHOR(WR, BO_CREATE, bo_create)
#define DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET \
	DRM_IOCTL_PANTHOR(WR, BO_MMAP_OFFSET, bo_mmap_offset)
#define DRM_IOCTL_PANTHOR_GROUP_CREATE		DRM_IOCTL_PANTHOR(WR, GROUP_CREATE, group_create)
#define DRM_IOCTL_PANTHOR_GROUP_DESTROY		DRM_IOCTL_PANTHOR(WR, GROUP_DESTROY, group_destroy)
#define DRM_IOCTL_PANTHOR_GROUP_SUBMIT		DRM_IOCTL_PANTHOR(WR, GROUP_SUBMIT, group_submit)
#define DRM_IOCTL_PANTHOR_GROUP_GET_STATE \
	DRM_IOCTL_PANTHOR(WR, GROUP_GET_STATE, group_get_state)
#define DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE \
	DRM_IOCTL_PANTHOR(WR, TILER_HEAP_CREATE, tiler_heap_create)
#define DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY \
	DRM_IOCTL_PANTHOR(WR, TILER_HEAP_DESTROY, tiler_heap_destroy)
#define DRM_IOCTL_PANTHOR_BO_SET_LABEL		DRM_IOCTL_PANTHOR(WR, BO_SET_LABEL, bo_set_label)
#define DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET \
	DRM_IOCTL_PANTHOR(WR, SET_USER_MMIO_OFFSET, set_user_mmio_offset)
#define DRM_IOCTL_PANTHOR_BO_SYNC		DRM_IOCTL_PANTHOR(WR, BO_SYNC, bo_sync)
#define DRM_IOCTL_PANTHOR_BO_QUERY_INFO		DRM_IOCTL_PANTHOR(WR, BO_QUERY_INFO, bo_query_info)

/**
 * struct drm_panthor_obj_array - an array of objects passed to the driver
 */
struct drm_panthor_obj_array {
	/** @stride: size of one element as userspace knows it */
	__u32 stride;
	/** @count: number of elements */
	__u32 count;
	/** @array: user pointer to the first element */
	__u64 array;
};

/* Initialize a struct drm_panthor_obj_array from a C array. */
#define DRM_PANTHOR_OBJ_ARRAY(cnt, ptr) \
	{ .stride = sizeof((ptr)[0]), .count = (cnt), .array = (__u64)(uintptr_t)(ptr) }

/**
 * enum drm_panthor_sync_op_flags - what a struct drm_panthor_sync_op does
 */
enum drm_panthor_sync_op_flags {
	/** @DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK: bits holding the handle type */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK = 0xff,
	/** @DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ: binary syncobj */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ = 0,
	/** @DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ: timeline syncobj point */
	DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ = 1,
	/** @DRM_PANTHOR_SYNC_OP_WAIT: wait before the operation starts */
	DRM_PANTHOR_SYNC_OP_WAIT = 0 << 31,
	/** @DRM_PANTHOR_SYNC_OP_SIGNAL: signal when the operation is done */
	DRM_PANTHOR_SYNC_OP_SIGNAL = (int)(1u << 31),
};

/**
 * struct drm_panthor_sync_op - a syncobj to wait on or to signal
 */
struct drm_panthor_sync_op {
	/** @flags: enum drm_panthor_sync_op_flags */
	__u32 flags;
	/** @handle: syncobj handle */
	__u32 handle;
	/** @timeline_value: timeline point; must be zero for binary syncobjs */
	__u64 timeline_value;
};

/**
 * enum drm_panthor_dev_query_type - what DEV_QUERY returns
 */
enum drm_panthor_dev_query_type {
	/** @DRM_PANTHOR_DEV_QUERY_GPU_INFO: struct drm_panthor_gpu_info */
	DRM_PANTHOR_DEV_QUERY_GPU_INFO = 0,
	/** @DRM_PANTHOR_DEV_QUERY_CSIF_INFO: struct drm_panthor_csif_info */
	DRM_PANTHOR_DEV_QUERY_CSIF_INFO,
	/** @DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO: struct drm_panthor_timestamp_info (1.1) */
	DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
	/**
	 * @DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO: struct
	 * drm_panthor_group_priorities_info (1.2)
	 */
	DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO,
	/** @DRM_PANTHOR_DEV_QUERY_MMU_INFO: struct drm_panthor_mmu_info (1.9) */
	DRM_PANTHOR_DEV_QUERY_MMU_INFO,
};

/**
 * enum drm_panthor_gpu_coherency - how the GPU keeps coherent with CPU caches
 */
enum drm_panthor_gpu_coherency {
	/** @DRM_PANTHOR_GPU_COHERENCY_ACE_LITE: the GPU snoops CPU caches (ACE-Lite) */
	DRM_PANTHOR_GPU_COHERENCY_ACE_LITE = 0,
	/** @DRM_PANTHOR_GPU_COHERENCY_ACE: fully coherent both ways (ACE) */
	DRM_PANTHOR_GPU_COHERENCY_ACE = 1,
	/** @DRM_PANTHOR_GPU_COHERENCY_NONE: not coherent: CPU caches need maintenance */
	DRM_PANTHOR_GPU_COHERENCY_NONE = 31,
};

/**
 * struct drm_panthor_gpu_info - GPU identity and feature registers
 *
 * Raw register values; the macros decode the fields userspace needs.
 */
struct drm_panthor_gpu_info {
	/** @gpu_id: GPU_ID */
	__u32 gpu_id;
#define DRM_PANTHOR_ARCH_MAJOR(x)		((x) >> 28)
#define DRM_PANTHOR_ARCH_MINOR(x)		(((x) >> 24) & 0xf)
#define DRM_PANTHOR_ARCH_REV(x)			(((x) >> 20) & 0xf)
#define DRM_PANTHOR_PRODUCT_MAJOR(x)		(((x) >> 16) & 0xf)
#define DRM_PANTHOR_VERSION_MAJOR(x)		(((x) >> 12) & 0xf)
#define DRM_PANTHOR_VERSION_MINOR(x)		(((x) >> 4) & 0xff)
#define DRM_PANTHOR_VERSION_STATUS(x)		((x) & 0xf)
	/** @gpu_rev: GPU_REVID */
	__u32 gpu_rev;
	/** @csf_id: CSF_ID (command-stream hardware and MCU versions) */
	__u32 csf_id;
#define DRM_PANTHOR_CSHW_MAJOR(x)		(((x) >> 26) & 0x3f)
#define DRM_PANTHOR_CSHW_MINOR(x)		(((x) >> 20) & 0x3f)
#define DRM_PANTHOR_CSHW_REV(x)			(((x) >> 16) & 0xf)
#define DRM_PANTHOR_MCU_MAJOR(x)		(((x) >> 10) & 0x3f)
#define DRM_PANTHOR_MCU_MINOR(x)		(((x) >> 4) & 0x3f)
#define DRM_PANTHOR_MCU_REV(x)			((x) & 0xf)
	/** @l2_features: L2_FEATURES */
	__u32 l2_features;
	/** @tiler_features: TILER_FEATURES */
	__u32 tiler_features;
	/** @mem_features: MEM_FEATURES */
	__u32 mem_features;
	/** @mmu_features: MMU_FEATURES */
	__u32 mmu_features;
#define DRM_PANTHOR_MMU_VA_BITS(x)		((x) & 0xff)
	/** @thread_features: THREAD_FEATURES */
	__u32 thread_features;
	/** @max_threads: THREAD_MAX_THREADS */
	__u32 max_threads;
	/** @thread_max_workgroup_size: THREAD_MAX_WORKGROUP_SIZE */
	__u32 thread_max_workgroup_size;
	/** @thread_max_barrier_size: THREAD_MAX_BARRIER_SIZE */
	__u32 thread_max_barrier_size;
	/** @coherency_features: COHERENCY_FEATURES */
	__u32 coherency_features;
	/** @texture_features: TEXTURE_FEATURES_0..3 */
	__u32 texture_features[4];
	/** @as_present: AS_PRESENT */
	__u32 as_present;
	/**
	 * @selected_coherency: enum drm_panthor_gpu_coherency in use on this
	 * system (1.7; zero before, where this was padding)
	 */
	__u32 selected_coherency;
	/** @shader_present: SHADER_PRESENT */
	__u64 shader_present;
	/** @l2_present: L2_PRESENT */
	__u64 l2_present;
	/** @tiler_present: TILER_PRESENT */
	__u64 tiler_present;
	/** @core_features: CORE_FEATURES */
	__u32 core_features;
	/** @pad: zero */
	__u32 pad;
	/** @gpu_features: GPU_FEATURES (architecture 11 and later; zero before) */
	__u64 gpu_features;
};

/**
 * struct drm_panthor_csif_info - firmware command-stream interface limits
 */
struct drm_panthor_csif_info {
	/** @csg_slot_count: command stream group slots */
	__u32 csg_slot_count;
	/** @cs_slot_count: command stream slots per group */
	__u32 cs_slot_count;
	/** @cs_reg_count: registers per command stream */
	__u32 cs_reg_count;
	/** @scoreboard_slot_count: scoreboard entries per command stream */
	__u32 scoreboard_slot_count;
	/** @unpreserved_cs_reg_count: registers the kernel may clobber between jobs */
	__u32 unpreserved_cs_reg_count;
	/** @pad: zero */
	__u32 pad;
};

/**
 * enum drm_panthor_timestamp_info_flags - what a TIMESTAMP_INFO query samples (1.8)
 *
 * At most one CPU clock can be asked for. Zero means what 1.1 to 1.7
 * returned: GPU | GPU_OFFSET | FREQ.
 */
enum drm_panthor_timestamp_info_flags {
	/** @DRM_PANTHOR_TIMESTAMP_GPU: read the GPU timestamp counter */
	DRM_PANTHOR_TIMESTAMP_GPU = 1 << 0,
	/** @DRM_PANTHOR_TIMESTAMP_CPU_NONE: sample no CPU clock */
	DRM_PANTHOR_TIMESTAMP_CPU_NONE = 0 << 1,
	/** @DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC: sample CLOCK_MONOTONIC */
	DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC = 1 << 1,
	/** @DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW: sample CLOCK_MONOTONIC_RAW */
	DRM_PANTHOR_TIMESTAMP_CPU_MONOTONIC_RAW = 2 << 1,
	/** @DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK: the bits naming the CPU clock */
	DRM_PANTHOR_TIMESTAMP_CPU_TYPE_MASK = 7 << 1,
	/** @DRM_PANTHOR_TIMESTAMP_GPU_OFFSET: read the GPU timestamp offset */
	DRM_PANTHOR_TIMESTAMP_GPU_OFFSET = 1 << 4,
	/** @DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT: read the GPU cycle counter */
	DRM_PANTHOR_TIMESTAMP_GPU_CYCLE_COUNT = 1 << 5,
	/** @DRM_PANTHOR_TIMESTAMP_FREQ: report the timestamp frequency */
	DRM_PANTHOR_TIMESTAMP_FREQ = 1 << 6,
	/** @DRM_PANTHOR_TIMESTAMP_DURATION: report how long the sampling took */
	DRM_PANTHOR_TIMESTAMP_DURATION = 1 << 7,
};

/**
 * struct drm_panthor_timestamp_info - the GPU's timestamp counter (uAPI 1.1)
 *
 * In 1.1 the object ends at @timestamp_offset and is output only; from 1.8
 * the driver also reads @flags from it, and what was not asked for is zero.
 */
struct drm_panthor_timestamp_info {
	/** @timestamp_frequency: ticks per second of the timestamp counter, 0 if unknown */
	__u64 timestamp_frequency;
	/** @current_timestamp: the counter when the query ran (offset included) */
	__u64 current_timestamp;
	/** @timestamp_offset: what the GPU adds to the system counter */
	__u64 timestamp_offset;
	/** @flags: input, enum drm_panthor_timestamp_info_flags (1.8) */
	__u32 flags;
	/** @duration_nsec: time the sampling took (1.8) */
	__u32 duration_nsec;
	/** @cycle_count: the GPU cycle counter (1.8) */
	__u64 cycle_count;
	/** @cpu_timestamp_sec: seconds of the CPU clock sample (1.8) */
	__u64 cpu_timestamp_sec;
	/** @cpu_timestamp_nsec: nanoseconds of the CPU clock sample (1.8) */
	__u64 cpu_timestamp_nsec;
};

/**
 * struct drm_panthor_mmu_info - GPU MMU properties (uAPI 1.9)
 */
struct drm_panthor_mmu_info {
	/** @page_size_bitmap: every page and block size mappings can use */
	__u64 page_size_bitmap;
};

/**
 * struct drm_panthor_group_priorities_info - group priorities the caller may use (uAPI 1.2)
 */
struct drm_panthor_group_priorities_info {
	/** @allowed_mask: bit N set when priority N (enum drm_panthor_group_priority) is allowed */
	__u8 allowed_mask;
	/** @pad: zero */
	__u8 pad[3];
};

/**
 * struct drm_panthor_dev_query - DRM_IOCTL_PANTHOR_DEV_QUERY argument
 *
 * With @pointer zero, the driver returns the size of the object in @size.
 */
struct drm_panthor_dev_query {
	/** @type: enum drm_panthor_dev_query_type */
	__u32 type;
	/** @size: size of the buffer at @pointer, or the size returned */
	__u32 size;
	/** @pointer: user pointer to the buffer to fill, or zero */
	__u64 pointer;
};

/**
 * struct drm_panthor_vm_create - DRM_IOCTL_PANTHOR_VM_CREATE argument
 */
struct drm_panthor_vm_create {
	/** @flags: none defined, must be zero */
	__u32 flags;
	/** @id: returned VM id */
	__u32 id;
	/**
	 * @user_va_range: size of the range userspace manages, from GPU VA 0;
	 * zero lets the driver choose. The rest is kept for the kernel.
	 */
	__u64 user_va_range;
};

/**
 * struct drm_panthor_vm_destroy - DRM_IOCTL_PANTHOR_VM_DESTROY argument
 */
struct drm_panthor_vm_destroy {
	/** @id: VM id */
	__u32 id;
	/** @pad: zero */
	__u32 pad;
};

/**
 * enum drm_panthor_vm_bind_op_flags - flags of one VM_BIND operation
 */
enum drm_panthor_vm_bind_op_flags {
	/** @DRM_PANTHOR_VM_BIND_OP_MAP_READONLY: GPU may not write the mapping */
	DRM_PANTHOR_VM_BIND_OP_MAP_READONLY = 1 << 0,
	/** @DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC: GPU may not execute from the mapping */
	DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC = 1 << 1,
	/** @DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED: map uncached */
	DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED = 1 << 2,
	/**
	 * @DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE: back the range with a dummy
	 * page instead of the BO's pages (1.9)
	 */
	DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE = 1 << 3,
	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_MASK: bits holding the operation type */
	DRM_PANTHOR_VM_BIND_OP_TYPE_MASK = (int)(0xfu << 28),
	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_MAP: map a BO range */
	DRM_PANTHOR_VM_BIND_OP_TYPE_MAP = 0 << 28,
	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP: unmap a VA range */
	DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP = 1 << 28,
	/** @DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY: only wait and signal syncobjs */
	DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY = 2 << 28,
};

/**
 * struct drm_panthor_vm_bind_op - one VM_BIND operation
 */
struct drm_panthor_vm_bind_op {
	/** @flags: enum drm_panthor_vm_bind_op_flags */
	__u32 flags;
	/** @bo_handle: BO to map (MAP only, zero otherwise) */
	__u32 bo_handle;
	/** @bo_offset: page-aligned offset in the BO (MAP only) */
	__u64 bo_offset;
	/** @va: page-aligned GPU VA */
	__u64 va;
	/** @size: page-aligned size */
	__u64 size;
	/** @syncs: struct drm_panthor_sync_op array; asynchronous binds only */
	struct drm_panthor_obj_array syncs;
};

/**
 * enum drm_panthor_vm_bind_flags - flags of a VM_BIND call
 */
enum drm_panthor_vm_bind_flags {
	/** @DRM_PANTHOR_VM_BIND_ASYNC: queue the operations, signal syncobjs when done */
	DRM_PANTHOR_VM_BIND_ASYNC = 1 << 0,
};

/**
 * struct drm_panthor_vm_bind - DRM_IOCTL_PANTHOR_VM_BIND argument
 */
struct drm_panthor_vm_bind {
	/** @vm_id: VM id */
	__u32 vm_id;
	/** @flags: enum drm_panthor_vm_bind_flags */
	__u32 flags;
	/** @ops: struct drm_panthor_vm_bind_op array */
	struct drm_panthor_obj_array ops;
};

/**
 * enum drm_panthor_vm_state - state returned by VM_GET_STATE
 */
enum drm_panthor_vm_state {
	/** @DRM_PANTHOR_VM_STATE_USABLE: the VM can take binds and jobs */
	DRM_PANTHOR_VM_STATE_USABLE,
	/** @DRM_PANTHOR_VM_STATE_UNUSABLE: an asynchronous bind failed; destroy it */
	DRM_PANTHOR_VM_STATE_UNUSABLE,
};

/**
 * struct drm_panthor_vm_get_state - DRM_IOCTL_PANTHOR_VM_GET_STATE argument
 */
struct drm_panthor_vm_get_state {
	/** @vm_id: VM id */
	__u32 vm_id;
	/** @state: returned enum drm_panthor_vm_state */
	__u32 state;
};

/**
 * enum drm_panthor_bo_flags - BO_CREATE flags
 */
enum drm_panthor_bo_flags {
	/** @DRM_PANTHOR_BO_NO_MMAP: the BO can never be mapped by the CPU */
	DRM_PANTHOR_BO_NO_MMAP = (1 << 0),
	/**
	 * @DRM_PANTHOR_BO_WB_MMAP: CPU mappings are write-back cached even
	 * when the GPU does not snoop CPU caches; userspace then keeps the
	 * caches coherent, with BO_SYNC (1.7)
	 */
	DRM_PANTHOR_BO_WB_MMAP = (1 << 1),
};

/**
 * struct drm_panthor_bo_create - DRM_IOCTL_PANTHOR_BO_CREATE argument
 */
struct drm_panthor_bo_create {
	/** @size: requested size; returns the page-aligned size */
	__u64 size;
	/** @flags: enum drm_panthor_bo_flags */
	__u32 flags;
	/** @exclusive_vm_id: VM the BO is private to (shares its reservation), or zero */
	__u32 exclusive_vm_id;
	/** @handle: returned GEM handle */
	__u32 handle;
	/** @pad: zero */
	__u32 pad;
};

/**
 * struct drm_panthor_bo_mmap_offset - DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET argument
 */
struct drm_panthor_bo_mmap_offset {
	/** @handle: GEM handle */
	__u32 handle;
	/** @pad: zero */
	__u32 pad;
	/** @offset: returned offset to pass to mmap() */
	__u64 offset;
};

/**
 * struct drm_panthor_queue_create - one queue of GROUP_CREATE
 */
struct drm_panthor_queue_create {
	/** @priority: priority inside the group, 0 (lowest) to 15 */
	__u8 priority;
	/** @pad: zero */
	__u8 pad[3];
	/** @ringbuf_size: ring buffer size, power of two, at least 4 KiB */
	__u32 ringbuf_size;
};

/**
 * enum drm_panthor_group_priority - scheduling priority of a group
 */
enum drm_panthor_group_priority {
	/** @PANTHOR_GROUP_PRIORITY_LOW: low */
	PANTHOR_GROUP_PRIORITY_LOW = 0,
	/** @PANTHOR_GROUP_PRIORITY_MEDIUM: medium */
	PANTHOR_GROUP_PRIORITY_MEDIUM,
	/** @PANTHOR_GROUP_PRIORITY_HIGH: high (needs CAP_SYS_NICE or DRM master) */
	PANTHOR_GROUP_PRIORITY_HIGH,
	/** @PANTHOR_GROUP_PRIORITY_REALTIME: above high, same permission (uAPI 1.2) */
	PANTHOR_GROUP_PRIORITY_REALTIME,
};

/**
 * struct drm_panthor_group_create - DRM_IOCTL_PANTHOR_GROUP_CREATE argument
 */
struct drm_panthor_group_create {
	/** @queues: struct drm_panthor_queue_create array */
	struct drm_panthor_obj_array queues;
	/** @max_compute_cores: compute cores the group may use at once */
	__u8 max_compute_cores;
	/** @max_fragment_cores: fragment cores the group may use at once */
	__u8 max_fragment_cores;
	/** @max_tiler_cores: tiler units the group may use at once */
	__u8 max_tiler_cores;
	/** @priority: enum drm_panthor_group_priority */
	__u8 priority;
	/** @pad: zero */
	__u32 pad;
	/** @compute_core_mask: cores allowed for compute, subset of shader_present */
	__u64 compute_core_mask;
	/** @fragment_core_mask: cores allowed for fragment, subset of shader_present */
	__u64 fragment_core_mask;
	/** @tiler_core_mask: tilers allowed, subset of tiler_present */
	__u64 tiler_core_mask;
	/** @vm_id: VM the group's jobs run in */
	__u32 vm_id;
	/** @group_handle: returned group handle */
	__u32 group_handle;
};

/**
 * struct drm_panthor_group_destroy - DRM_IOCTL_PANTHOR_GROUP_DESTROY argument
 */
struct drm_panthor_group_destroy {
	/** @group_handle: group handle */
	__u32 group_handle;
	/** @pad: zero */
	__u32 pad;
};

/**
 * struct drm_panthor_queue_submit - one job for one queue of a group
 */
struct drm_panthor_queue_submit {
	/** @queue_index: queue of the group */
	__u32 queue_index;
	/** @stream_size: size of the command stream in bytes, multiple of 8 */
	__u32 stream_size;
	/** @stream_addr: GPU VA of the command stream, 64-byte aligned */
	__u64 stream_addr;
	/** @latest_flush: LATEST_FLUSH_ID read when the stream was written */
	__u32 latest_flush;
	/** @pad: zero */
	__u32 pad;
	/** @syncs: struct drm_panthor_sync_op array */
	struct drm_panthor_obj_array syncs;
};

/**
 * struct drm_panthor_group_submit - DRM_IOCTL_PANTHOR_GROUP_SUBMIT argument
 */
struct drm_panthor_group_submit {
	/** @group_handle: group handle */
	__u32 group_handle;
	/** @pad: zero */
	__u32 pad;
	/** @queue_submits: struct drm_panthor_queue_submit array */
	struct drm_panthor_obj_array queue_submits;
};

/**
 * enum drm_panthor_group_state_flags - GROUP_GET_STATE result bits
 */
enum drm_panthor_group_state_flags {
	/** @DRM_PANTHOR_GROUP_STATE_TIMEDOUT: a job of the group timed out */
	DRM_PANTHOR_GROUP_STATE_TIMEDOUT = 1 << 0,
	/** @DRM_PANTHOR_GROUP_STATE_FATAL_FAULT: a queue hit a fatal fault */
	DRM_PANTHOR_GROUP_STATE_FATAL_FAULT = 1 << 1,
	/**
	 * @DRM_PANTHOR_GROUP_STATE_INNOCENT: the group was lost in a GPU reset
	 * it did not cause; only with TIMEDOUT (uAPI 1.3)
	 */
	DRM_PANTHOR_GROUP_STATE_INNOCENT = 1 << 2,
};

/**
 * struct drm_panthor_group_get_state - DRM_IOCTL_PANTHOR_GROUP_GET_STATE argument
 */
struct drm_panthor_group_get_state {
	/** @group_handle: group handle */
	__u32 group_handle;
	/** @state: returned enum drm_panthor_group_state_flags */
	__u32 state;
	/** @fatal_queues: returned bitmask of the queues that faulted */
	__u32 fatal_queues;
	/** @pad: zero */
	__u32 pad;
};

/**
 * struct drm_panthor_tiler_heap_create - DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE argument
 */
struct drm_panthor_tiler_heap_create {
	/** @vm_id: VM the heap lives in */
	__u32 vm_id;
	/** @initial_chunk_count: chunks allocated at creation */
	__u32 initial_chunk_count;
	/** @chunk_size: chunk size, power of two between 256 KiB and 2 MiB */
	__u32 chunk_size;
	/** @max_chunks: most chunks the heap may grow to */
	__u32 max_chunks;
	/** @target_in_flight: render passes in flight before falling back */
	__u32 target_in_flight;
	/** @handle: returned heap handle */
	__u32 handle;
	/** @tiler_heap_ctx_gpu_va: returned GPU VA of the heap context */
	__u64 tiler_heap_ctx_gpu_va;
	/** @first_heap_chunk_gpu_va: returned GPU VA of the first chunk */
	__u64 first_heap_chunk_gpu_va;
};

/**
 * struct drm_panthor_tiler_heap_destroy - DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY argument
 */
struct drm_panthor_tiler_heap_destroy {
	/** @handle: heap handle */
	__u32 handle;
	/** @pad: zero */
	__u32 pad;
};

/**
 * struct drm_panthor_bo_set_label - DRM_IOCTL_PANTHOR_BO_SET_LABEL argument (1.4)
 */
struct drm_panthor_bo_set_label {
	/** @handle: GEM handle */
	__u32 handle;
	/** @pad: zero */
	__u32 pad;
	/**
	 * @label: user pointer to a NUL-terminated string of at most 4095
	 * characters, or 0 to remove the label
	 */
	__u64 label;
};

/**
 * struct drm_panthor_set_user_mmio_offset - DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET
 * argument (1.5)
 */
struct drm_panthor_set_user_mmio_offset {
	/**
	 * @offset: DRM_PANTHOR_USER_MMIO_OFFSET_32BIT or _64BIT; the file's
	 * default is the one for the word size of the process that opened it
	 */
	__u64 offset;
};

/**
 * enum drm_panthor_bo_sync_op_type - cache maintenance of one BO_SYNC operation (1.7)
 */
enum drm_panthor_bo_sync_op_type {
	/** @DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH: write CPU caches back, for the GPU to read */
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH = 0,
	/**
	 * @DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE: write back and
	 * drop CPU cache lines, for the CPU to read what the GPU wrote
	 */
	DRM_PANTHOR_BO_SYNC_CPU_CACHE_FLUSH_AND_INVALIDATE = 1,
};

/**
 * struct drm_panthor_bo_sync_op - one range of a BO_SYNC call (1.7)
 */
struct drm_panthor_bo_sync_op {
	/** @handle: GEM handle */
	__u32 handle;
	/** @type: enum drm_panthor_bo_sync_op_type */
	__u32 type;
	/** @offset: start in the BO, rounded down to a cache line */
	__u64 offset;
	/** @size: length; the end is rounded up to a cache line */
	__u64 size;
};

/**
 * struct drm_panthor_bo_sync - DRM_IOCTL_PANTHOR_BO_SYNC argument (1.7)
 */
struct drm_panthor_bo_sync {
	/** @ops: struct drm_panthor_bo_sync_op array */
	struct drm_panthor_obj_array ops;
};

/**
 * enum drm_panthor_bo_extra_flags - BO properties BO_QUERY_INFO adds (1.7)
 */
enum drm_panthor_bo_extra_flags {
	/**
	 * @DRM_PANTHOR_BO_IS_IMPORTED: the BO is a dma-buf of another driver
	 * (not one of this device's own BOs re-imported); its CPU mappings
	 * are cached and only BO_SYNC keeps them coherent
	 */
	DRM_PANTHOR_BO_IS_IMPORTED = (1 << 0),
};

/**
 * struct drm_panthor_bo_query_info - DRM_IOCTL_PANTHOR_BO_QUERY_INFO argument (1.7)
 */
struct drm_panthor_bo_query_info {
	/** @handle: GEM handle */
	__u32 handle;
	/** @extra_flags: returned enum drm_panthor_bo_extra_flags */
	__u32 extra_flags;
	/** @create_flags: returned BO_CREATE flags; zero for imports */
	__u32 create_flags;
	/** @pad: returned zero */
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _PANTHOR_DRM_H_ */
