/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright 2026 The panthor-reclaim authors
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM panthor_reclaim

#if !defined(PRC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define PRC_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "gem.h"

/*
 * Tracepoints (trace-cmd record -e panthor_reclaim): a job put on its ring
 * and its completion, identified by the queue's fence context and the
 * job's sequence number (the same pair its dma-fence carries), GPU page
 * faults as the MMU reported them, and reclaim: a BO's pages given back to
 * shmem and brought back, or its content dropped (the BO named by its
 * object's address, as debugfs gems lists it too), a VM's tiler-heap
 * chunks discarded and restored, and each scan and each of its stages (one
 * reclaim state) with what it looked at and freed.
 */
TRACE_EVENT(prc_job_run,
	    TP_PROTO(u64 ctx, u64 seqno, u64 stream_va, u32 stream_size),
	    TP_ARGS(ctx, seqno, stream_va, stream_size),
	    TP_STRUCT__entry(__field(u64, ctx)
			     __field(u64, seqno)
			     __field(u64, stream_va)
			     __field(u32, stream_size)),
	    TP_fast_assign(__entry->ctx = ctx;
			   __entry->seqno = seqno;
			   __entry->stream_va = stream_va;
			   __entry->stream_size = stream_size;),
	    TP_printk("ctx=%llu seqno=%llu stream=0x%llx+%u", __entry->ctx, __entry->seqno,
		      __entry->stream_va, __entry->stream_size)
);

TRACE_EVENT(prc_job_done,
	    TP_PROTO(u64 ctx, u64 seqno, int error),
	    TP_ARGS(ctx, seqno, error),
	    TP_STRUCT__entry(__field(u64, ctx)
			     __field(u64, seqno)
			     __field(int, error)),
	    TP_fast_assign(__entry->ctx = ctx;
			   __entry->seqno = seqno;
			   __entry->error = error;),
	    TP_printk("ctx=%llu seqno=%llu error=%d", __entry->ctx, __entry->seqno,
		      __entry->error)
);

TRACE_EVENT(prc_mmu_fault,
	    TP_PROTO(u32 as, u64 addr, u32 status),
	    TP_ARGS(as, addr, status),
	    TP_STRUCT__entry(__field(u32, as)
			     __field(u64, addr)
			     __field(u32, status)),
	    TP_fast_assign(__entry->as = as;
			   __entry->addr = addr;
			   __entry->status = status;),
	    TP_printk("as=%u addr=0x%llx status=0x%x", __entry->as, __entry->addr,
		      __entry->status)
);

DECLARE_EVENT_CLASS(prc_bo_pages,
		    TP_PROTO(const void *bo, unsigned long pages),
		    TP_ARGS(bo, pages),
		    TP_STRUCT__entry(__field(const void *, bo)
				     __field(unsigned long, pages)),
		    TP_fast_assign(__entry->bo = bo;
				   __entry->pages = pages;),
		    TP_printk("bo=%p pages=%lu", __entry->bo, __entry->pages)
);

DEFINE_EVENT(prc_bo_pages, prc_evict,
	     TP_PROTO(const void *bo, unsigned long pages),
	     TP_ARGS(bo, pages)
);

DEFINE_EVENT(prc_bo_pages, prc_restore,
	     TP_PROTO(const void *bo, unsigned long pages),
	     TP_ARGS(bo, pages)
);

DEFINE_EVENT(prc_bo_pages, prc_purge,
	     TP_PROTO(const void *bo, unsigned long pages),
	     TP_ARGS(bo, pages)
);

DEFINE_EVENT(prc_bo_pages, prc_discard,
	     TP_PROTO(const void *bo, unsigned long pages),
	     TP_ARGS(bo, pages)
);

DECLARE_EVENT_CLASS(prc_heap_pages,
		    TP_PROTO(const void *vm, u32 chunks, unsigned long pages),
		    TP_ARGS(vm, chunks, pages),
		    TP_STRUCT__entry(__field(const void *, vm)
				     __field(u32, chunks)
				     __field(unsigned long, pages)),
		    TP_fast_assign(__entry->vm = vm;
				   __entry->chunks = chunks;
				   __entry->pages = pages;),
		    TP_printk("vm=%p chunks=%u pages=%lu", __entry->vm, __entry->chunks,
			      __entry->pages)
);

DEFINE_EVENT(prc_heap_pages, prc_heap_discard,
	     TP_PROTO(const void *vm, u32 chunks, unsigned long pages),
	     TP_ARGS(vm, chunks, pages)
);

DEFINE_EVENT(prc_heap_pages, prc_heap_restore,
	     TP_PROTO(const void *vm, u32 chunks, unsigned long pages),
	     TP_ARGS(vm, chunks, pages)
);

/* The states' values, for tools that read the format file. */
TRACE_DEFINE_ENUM(PRC_GEM_PURGEABLE);
TRACE_DEFINE_ENUM(PRC_GEM_DISCARDABLE);
TRACE_DEFINE_ENUM(PRC_GEM_UNUSED);
TRACE_DEFINE_ENUM(PRC_GEM_MMAPPED);
TRACE_DEFINE_ENUM(PRC_GEM_GPU_MAPPED);
TRACE_DEFINE_ENUM(PRC_GEM_SHARED);

TRACE_EVENT(prc_reclaim_stage,
	    TP_PROTO(int state, unsigned long looked, unsigned long freed, u64 ns),
	    TP_ARGS(state, looked, freed, ns),
	    TP_STRUCT__entry(__field(int, state)
			     __field(unsigned long, looked)
			     __field(unsigned long, freed)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->state = state;
			   __entry->looked = looked;
			   __entry->freed = freed;
			   __entry->ns = ns;),
	    TP_printk("state=%s looked=%lu freed=%lu ns=%llu",
		      __print_symbolic(__entry->state,
				       { PRC_GEM_PURGEABLE, "purgeable" },
				       { PRC_GEM_DISCARDABLE, "discardable" },
				       { PRC_GEM_UNUSED, "unused" },
				       { PRC_GEM_MMAPPED, "mmapped" },
				       { PRC_GEM_GPU_MAPPED, "gpu" },
				       { PRC_GEM_SHARED, "shared" }),
		      __entry->looked, __entry->freed, __entry->ns)
);

TRACE_EVENT(prc_reclaim_scan,
	    TP_PROTO(unsigned long to_scan, unsigned long scanned, unsigned long freed, u64 ns),
	    TP_ARGS(to_scan, scanned, freed, ns),
	    TP_STRUCT__entry(__field(unsigned long, to_scan)
			     __field(unsigned long, scanned)
			     __field(unsigned long, freed)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->to_scan = to_scan;
			   __entry->scanned = scanned;
			   __entry->freed = freed;
			   __entry->ns = ns;),
	    TP_printk("to_scan=%lu scanned=%lu freed=%lu ns=%llu", __entry->to_scan,
		      __entry->scanned, __entry->freed, __entry->ns)
);

#endif /* PRC_TRACE_H */

/* This part must be outside the multi-read protection. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
