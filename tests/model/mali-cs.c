/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model: command stream groups (CSG), command streams (CS) and
 * the command-stream instruction interpreter.
 *
 * The host drives groups and streams through the CSG/CS input pages of the
 * firmware interface (found from the control pages in the SHARED section)
 * and rings doorbells; the model answers on the output pages and with
 * JOB_IRQ bit <group>. A started stream executes its ring buffer from the
 * extract to the insert pointer, in the group's address space (CSG config
 * selects the AS), each time its doorbell rings or a sync object changes.
 *
 * Instructions (opcode in bits 63:56, Mesa's genxml/v10.xml): all the
 * register, memory, control-flow and sync-object ones are executed; the ones
 * that need shader cores or the tiler (RUN_*, FINISH_*, HEAP_OPERATION)
 * complete at once without effect, since the model does no shading. WAIT
 * never waits: every asynchronous operation of the model completes when it
 * is issued. A SYNC_WAIT whose condition does not hold parks the stream until
 * a later doorbell or sync update, and the stream's status page says what it
 * waits for. An unknown opcode stops the stream with a CS fatal error; a GPU
 * page fault is reported through the MMU (fault registers and MMU IRQ) and
 * then stops the stream with a CS fatal error carrying the fault's exception
 * type. A group whose streams all ran dry or wait raises CSG_IDLE.
 *
 * Tiler heap mode (property idvs-heap-bytes = N > 0): each RUN_IDVS of a
 * stream with a heap context (HEAP_SET) takes N bytes of the heap's current
 * chunk and writes its sequence number at the end of them, as a stand-in for
 * the polygon lists a real tiler writes. When the chunk is full the stream
 * stalls and raises TILER_OOM with the heap statistics of the CS output page;
 * the host answers with a new chunk in HEAP_START (its size is read from the
 * link in the chunk header, as panthor writes it), or with 0, in which case
 * the model pretends an incremental render flushed the heap and reuses the
 * current chunk. The firmware keeps its per-heap state in the heap context
 * (zeroed by the host at creation), so tests can read it back; the layout is
 * the model's own:
 *   0x00 u64 current chunk VA (0: none yet, the first RUN_IDVS asks for one)
 *   0x08 u32 bytes used in it (the 64-byte chunk header included)
 *   0x0c u32 its size
 *   0x10 u32 RUN_IDVS completed
 *   0x14 u32 chunks received from the host
 *   0x18 u32 incremental renders (TILER_OOM answered with no chunk)
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "exec/address-spaces.h"
#include "hw/irq.h"
#include "mali.h"
#include "mali-cs.h"
#include "mali-fw.h"
#include "mali-mmu.h"
#include "trace.h"

#define MCU_AS 0

/* CSG input/output page offsets */
#define CSG_IN_REQ              0x00
#define CSG_IN_ACK_IRQ_MASK     0x04
#define CSG_IN_DOORBELL_REQ     0x08
#define CSG_IN_CS_IRQ_ACK       0x0c
#define CSG_IN_SUSPEND_BUF      0x40
#define CSG_IN_CONFIG           0x50
#define CSG_OUT_ACK             0x00
#define CSG_OUT_DOORBELL_ACK    0x08
#define CSG_OUT_CS_IRQ_REQ      0x0c
#define CSG_OUT_STATUS_STATE    0x18
#define   CSG_STATE_MASK        0x7
#define   CSG_STATE_TERMINATE   0
#define   CSG_STATE_START       1
#define   CSG_STATE_SUSPEND     2
#define   CSG_STATE_RESUME      3
#define   CSG_REQ_TOGGLES       (0x3u << 4)     /* ENDPOINT_CONFIG, STATUS_UPDATE */
#define   CSG_SYNC_UPDATE       (1u << 28)
#define   CSG_IDLE              (1u << 29)
#define   CSG_STATUS_IDLE       (1u << 0)

/* CS input/output page offsets */
#define CS_IN_REQ               0x00
#define CS_IN_CONFIG            0x04
#define CS_IN_RINGBUF_BASE      0x10
#define CS_IN_RINGBUF_SIZE      0x18
#define CS_IN_HEAP_START        0x20
#define CS_IN_RINGBUF_INPUT     0x30
#define CS_IN_RINGBUF_OUTPUT    0x38
#define CS_OUT_ACK              0x00
#define CS_OUT_STATUS_CMD_PTR   0x40
#define CS_OUT_STATUS_WAIT      0x48
#define   CS_WAIT_SYNC_64B      (1u << 30)
#define   CS_WAIT_SYNC          (1u << 31)
#define CS_OUT_WAIT_SYNC_PTR    0x50
#define CS_OUT_WAIT_SYNC_VALUE  0x58
#define CS_OUT_BLOCKED_REASON   0x60
#define   CS_BLOCKED_SYNC_WAIT  3
#define CS_OUT_WAIT_SYNC_HI     0x64
#define CS_OUT_FATAL            0x84
#define CS_OUT_HEAP_VT_START    0xc0
#define CS_OUT_HEAP_VT_END      0xc4
#define CS_OUT_HEAP_FRAG_END    0xcc
#define CS_OUT_HEAP_ADDRESS     0xd0
#define   CS_STATE_MASK         0x7
#define   CS_STATE_START        1
#define   CS_REQ_MASK           (0x7u | (1u << 4) | (0xfu << 8))
#define   CS_TILER_OOM          (1u << 26)
#define   CS_FATAL              (1u << 30)
#define   CS_EXC_INVALID_OPCODE 0x49            /* CS_INSTR_INVALID_OPCODE */

/* Ring buffer input/output (MCU VAs given in the CS input page) */
#define RING_IN_INSERT          0x00
#define RING_OUT_EXTRACT        0x00

/* Instructions */
enum {
    OP_NOP = 0, OP_MOVE48 = 1, OP_MOVE32 = 2, OP_WAIT = 3,
    OP_RUN_COMPUTE = 4, OP_RUN_TILING, OP_RUN_IDVS, OP_RUN_FRAGMENT, OP_RUN_FULLSCREEN,
    OP_FINISH_TILING = 9, OP_FINISH_FRAGMENT = 11,
    OP_ADD_IMM32 = 16, OP_ADD_IMM64 = 17, OP_UMIN32 = 18,
    OP_LOAD_MULTIPLE = 20, OP_STORE_MULTIPLE = 21, OP_BRANCH = 22, OP_SET_SB_ENTRY = 23,
    OP_PROGRESS_WAIT = 24, OP_SET_EXCEPTION_HANDLER = 25,
    OP_CALL = 32, OP_JUMP = 33, OP_REQ_RESOURCE = 34, OP_FLUSH_CACHE2 = 36,
    OP_SYNC_ADD32 = 37, OP_SYNC_SET32 = 38, OP_SYNC_WAIT32 = 39, OP_STORE_STATE = 40,
    OP_PROT_REGION = 41, OP_PROGRESS_STORE = 42, OP_PROGRESS_LOAD = 43,
    OP_RUN_COMPUTE_INDIRECT = 44, OP_ERROR_BARRIER = 47, OP_HEAP_SET = 48,
    OP_HEAP_OPERATION = 49, OP_TRACE_POINT = 50,
    OP_SYNC_ADD64 = 51, OP_SYNC_SET64 = 52, OP_SYNC_WAIT64 = 53,
};

/* Heap context layout (the model's own, see above) and chunk header size */
#define HCTX_CHUNK              0x00
#define HCTX_USED               0x08
#define HCTX_SIZE               0x0c
#define HCTX_VT                 0x10
#define HCTX_GROWS              0x14
#define HCTX_INCREMENTAL        0x18
#define HEAP_CHUNK_HDR          64

/* Instructions run per doorbell before the model yields (a looping stream
 * then hangs like on hardware, and the driver's job timeout deals with it). */
#define CS_BUDGET 100000

typedef struct CsCtx {
    MaliState *s;
    unsigned int g, n, as;
    uint64_t in, out;           /* CS input/output page MCU VAs */
    bool sync_update;
    uint32_t fault;             /* last GPU page fault (AS_FAULTSTATUS type) */
} CsCtx;

static uint32_t mcu_rd32(MaliState *s, uint64_t va)
{
    uint32_t v = 0;

    mali_mmu_read32(s, MCU_AS, va, &v);
    return v;
}

static uint64_t mcu_rd64(MaliState *s, uint64_t va)
{
    return mcu_rd32(s, va) | (uint64_t)mcu_rd32(s, va + 4) << 32;
}

static void mcu_wr32(MaliState *s, uint64_t va, uint32_t v)
{
    mali_mmu_write32(s, MCU_AS, va, v);
}

static void mcu_wr64(MaliState *s, uint64_t va, uint64_t v)
{
    mcu_wr32(s, va, v);
    mcu_wr32(s, va + 4, v >> 32);
}

static uint64_t csg_ctrl(MaliState *s, unsigned int g)
{
    return MALI_FW_SHARED_VA + MALI_CSG_CONTROL_OFFSET + (uint64_t)g * s->csg_stride;
}

static uint64_t cs_ctrl(MaliState *s, unsigned int g, unsigned int n)
{
    uint64_t csg = csg_ctrl(s, g);

    return csg + MALI_CS_CONTROL_OFFSET +
           (uint64_t)n * mcu_rd32(s, csg + MALI_CSG_CONTROL_STREAM_STRIDE);
}

static void raise_csg_irq(MaliState *s, unsigned int g)
{
    s->job_irq_raw |= 1u << g;
    qemu_set_irq(s->irq_job, !!(s->job_irq_raw & s->job_irq_mask));
}

static uint64_t reg64(MaliStream *st, unsigned int r)
{
    return st->regs[r % MALI_CS_REGS] | (uint64_t)st->regs[(r + 1) % MALI_CS_REGS] << 32;
}

static void set_reg64(MaliStream *st, unsigned int r, uint64_t v)
{
    st->regs[r % MALI_CS_REGS] = v;
    st->regs[(r + 1) % MALI_CS_REGS] = v >> 32;
}

/*
 * GPU-side memory access in the group's address space. A translation or
 * permission fault is reported through the MMU like hardware does; the
 * caller then stops the stream.
 */
static bool gpu_access(CsCtx *c, uint64_t va, MaliAccess access, hwaddr *pa)
{
    uint64_t hook = c->s->hook_fault_va;

    if (hook && (va >> 12) == (hook >> 12)) {
        c->fault = 0xc3;        /* hook: translation fault, level 3 */
    } else if (mali_mmu_translate(c->s, c->as, va, access, pa, &c->fault)) {
        return true;
    }
    mali_mmu_fault(c->s, c->as, va, c->fault, access);
    return false;
}

static bool gpu_rd32(CsCtx *c, uint64_t va, uint32_t *v)
{
    hwaddr pa;

    if (!gpu_access(c, va, MALI_ACCESS_READ, &pa)) {
        return false;
    }
    *v = address_space_ldl_le(&address_space_memory, pa, MEMTXATTRS_UNSPECIFIED, NULL);
    return true;
}

static bool gpu_wr32(CsCtx *c, uint64_t va, uint32_t v)
{
    hwaddr pa;

    if (!gpu_access(c, va, MALI_ACCESS_WRITE, &pa)) {
        return false;
    }
    address_space_stl_le(&address_space_memory, pa, v, MEMTXATTRS_UNSPECIFIED, NULL);
    return true;
}

static bool gpu_rd64(CsCtx *c, uint64_t va, uint64_t *v)
{
    uint32_t lo, hi;

    if (!gpu_rd32(c, va, &lo) || !gpu_rd32(c, va + 4, &hi)) {
        return false;
    }
    *v = lo | (uint64_t)hi << 32;
    return true;
}

static bool gpu_wr64(CsCtx *c, uint64_t va, uint64_t v)
{
    return gpu_wr32(c, va, v) && gpu_wr32(c, va + 4, v >> 32);
}

/* Stop the stream with a fatal error the driver sees as CS_FATAL. */
/*
 * Signal event @bit to the host: the acknowledge bit is made to differ from
 * the request bit (a plain toggle would cancel an event the host has not
 * seen yet), and the group's CS_IRQ_REQ says which stream has news.
 */
static void cs_event(CsCtx *c, uint32_t bit)
{
    uint64_t csg_ctl = csg_ctrl(c->s, c->g);
    uint64_t csg_in = mcu_rd32(c->s, csg_ctl + 4), csg_out = mcu_rd32(c->s, csg_ctl + 8);
    uint32_t req = mcu_rd32(c->s, c->in + CS_IN_REQ), ack = mcu_rd32(c->s, c->out + CS_OUT_ACK);
    uint32_t irq_ack = mcu_rd32(c->s, csg_in + CSG_IN_CS_IRQ_ACK);
    uint32_t irq_req = mcu_rd32(c->s, csg_out + CSG_OUT_CS_IRQ_REQ), me = 1u << c->n;

    mcu_wr32(c->s, c->out + CS_OUT_ACK, (ack & ~bit) | (~req & bit));
    mcu_wr32(c->s, csg_out + CSG_OUT_CS_IRQ_REQ, (irq_req & ~me) | (~irq_ack & me));
    raise_csg_irq(c->s, c->g);
}

static void cs_fatal(CsCtx *c, MaliStream *st, uint32_t exception, uint64_t insn)
{
    trace_mali_cs_fatal(c->g, c->n, exception, insn);
    st->fatal = true;
    st->running = false;
    mcu_wr32(c->s, c->out + CS_OUT_FATAL, exception);
    cs_event(c, CS_FATAL);
}

/*
 * RUN_IDVS in tiler heap mode: take idvs-heap-bytes from the current chunk,
 * or stall the stream and ask the host for memory with TILER_OOM.
 */
static bool heap_idvs(CsCtx *c, MaliStream *st, uint64_t insn, bool *rewind)
{
    uint32_t need = MAX(c->s->idvs_heap_bytes, 8), used, size, vt;
    uint64_t ctx = st->heap_ctx, chunk;

    if (!gpu_rd64(c, ctx + HCTX_CHUNK, &chunk) || !gpu_rd32(c, ctx + HCTX_USED, &used) ||
        !gpu_rd32(c, ctx + HCTX_SIZE, &size) || !gpu_rd32(c, ctx + HCTX_VT, &vt)) {
        cs_fatal(c, st, c->fault, insn);
        return false;
    }
    if (chunk && need > size - MIN(size, HEAP_CHUNK_HDR)) {
        return true;    /* larger than any chunk: draws nothing, needs nothing */
    }
    if (!chunk || used + need > size) {
        /* One render pass in flight (this one), none pending fragment. */
        mcu_wr32(c->s, c->out + CS_OUT_HEAP_VT_START, vt + 1);
        mcu_wr32(c->s, c->out + CS_OUT_HEAP_VT_END, vt);
        mcu_wr32(c->s, c->out + CS_OUT_HEAP_FRAG_END, vt);
        mcu_wr64(c->s, c->out + CS_OUT_HEAP_ADDRESS, ctx);
        trace_mali_cs_tiler_oom(c->g, c->n, ctx, vt);
        st->oom = true;
        *rewind = true;         /* RUN_IDVS again once the host answered */
        cs_event(c, CS_TILER_OOM);
        return false;
    }
    if (!gpu_wr64(c, chunk + used + need - 8, vt) ||
        !gpu_wr32(c, ctx + HCTX_USED, used + need) || !gpu_wr32(c, ctx + HCTX_VT, vt + 1)) {
        cs_fatal(c, st, c->fault, insn);
        return false;
    }
    return true;
}

/*
 * The host answered a TILER_OOM (HEAP_START: a new chunk, or 0 for "render
 * what you have"). Chunk pointers, in HEAP_START as in the chunk headers'
 * links, are (4 KiB-aligned VA | size >> 12).
 */
static void heap_grown(CsCtx *c, MaliStream *st)
{
    uint64_t start = mcu_rd64(c->s, c->in + CS_IN_HEAP_START), ctx = st->heap_ctx;
    uint64_t chunk = start & ~0xfffULL;
    uint32_t count, size = (start & 0xfff) << 12;
    bool ok = true;

    st->oom = false;
    if (chunk) {
        ok = size || gpu_rd32(c, ctx + HCTX_SIZE, &size);
        ok = ok && gpu_wr64(c, ctx + HCTX_CHUNK, chunk) && gpu_wr32(c, ctx + HCTX_SIZE, size) &&
             gpu_rd32(c, ctx + HCTX_GROWS, &count) && gpu_wr32(c, ctx + HCTX_GROWS, count + 1);
    } else {
        ok = gpu_rd32(c, ctx + HCTX_INCREMENTAL, &count) &&
             gpu_wr32(c, ctx + HCTX_INCREMENTAL, count + 1);
    }
    ok = ok && gpu_wr32(c, ctx + HCTX_USED, HEAP_CHUNK_HDR);
    trace_mali_cs_heap_grown(c->g, c->n, ctx, chunk);
    if (!ok) {
        cs_fatal(c, st, c->fault, chunk);
    }
}

static bool cond_holds(unsigned int cond, int64_t a, int64_t b)
{
    switch (cond) {
    case 0: return a <= b;      /* Lequal */
    case 1: return a > b;       /* Greater */
    case 2: return a == b;      /* Equal */
    case 3: return a != b;      /* Nequal */
    case 4: return a < b;       /* Less */
    case 5: return a >= b;      /* Gequal */
    default: return true;       /* Always */
    }
}

/*
 * Execute one instruction. Returns false when the stream must stop
 * (fault, blocked wait); *next may be redirected by control flow.
 */
static bool cs_exec(CsCtx *c, MaliStream *st, uint64_t insn, bool *rewind)
{
    unsigned int op = insn >> 56;
    unsigned int d = (insn >> 48) & 0xff, a = (insn >> 40) & 0xff, b = (insn >> 32) & 0xff;
    uint64_t addr = reg64(st, a), v64;
    uint32_t v32;
    unsigned int i;

    trace_mali_cs_insn(c->g, c->n, insn);
    switch (op) {
    case OP_NOP: case OP_WAIT: case OP_SET_SB_ENTRY: case OP_PROGRESS_WAIT:
    case OP_SET_EXCEPTION_HANDLER: case OP_REQ_RESOURCE: case OP_PROT_REGION:
    case OP_PROGRESS_STORE: case OP_ERROR_BARRIER: case OP_TRACE_POINT:
    case OP_RUN_COMPUTE: case OP_RUN_TILING: case OP_RUN_FRAGMENT:
    case OP_RUN_FULLSCREEN: case OP_FINISH_TILING: case OP_FINISH_FRAGMENT:
    case OP_RUN_COMPUTE_INDIRECT: case OP_HEAP_OPERATION:
        return true;
    case OP_HEAP_SET:
        st->heap_ctx = addr;
        return true;
    case OP_RUN_IDVS:
        if (c->s->idvs_heap_bytes && st->heap_ctx) {
            return heap_idvs(c, st, insn, rewind);
        }
        return true;
    case OP_MOVE48:
        set_reg64(st, d, insn & 0xffffffffffffULL);
        return true;
    case OP_MOVE32:
        st->regs[d % MALI_CS_REGS] = insn;
        return true;
    case OP_ADD_IMM32:
        st->regs[d % MALI_CS_REGS] = st->regs[a % MALI_CS_REGS] + (int32_t)insn;
        return true;
    case OP_ADD_IMM64:
        set_reg64(st, d, reg64(st, a) + (int64_t)(int32_t)insn);
        return true;
    case OP_UMIN32:
        st->regs[d % MALI_CS_REGS] = MIN(st->regs[a % MALI_CS_REGS], st->regs[b % MALI_CS_REGS]);
        return true;
    case OP_PROGRESS_LOAD:
        set_reg64(st, d, 0);
        return true;
    case OP_LOAD_MULTIPLE:
    case OP_STORE_MULTIPLE:
        for (i = 0; i < 16; i++) {
            uint64_t va = addr + (int16_t)insn + 4 * i;

            if (!((insn >> 16) & (1u << i))) {
                continue;
            }
            if (op == OP_LOAD_MULTIPLE ? !gpu_rd32(c, va, &st->regs[(d + i) % MALI_CS_REGS]) :
                !gpu_wr32(c, va, st->regs[(d + i) % MALI_CS_REGS])) {
                cs_fatal(c, st, c->fault, insn);
                return false;
            }
        }
        return true;
    case OP_BRANCH:
        if (cond_holds((insn >> 28) & 7, (int32_t)st->regs[a % MALI_CS_REGS], 0)) {
            int64_t off = (int16_t)insn * 8;

            if (st->depth) {
                st->pc += off;
            } else {
                st->extract += off;
            }
        }
        return true;
    case OP_CALL:
    case OP_JUMP:
        if (!st->regs[b % MALI_CS_REGS]) {
            return true;
        }
        if (op == OP_CALL || !st->depth) {
            if (st->depth == MALI_CS_CALL_DEPTH) {
                cs_fatal(c, st, CS_EXC_INVALID_OPCODE, insn);
                return false;
            }
            st->call_pc[st->depth] = st->pc;
            st->call_end[st->depth] = st->end;
            st->depth++;
        }
        st->pc = addr;
        st->end = addr + st->regs[b % MALI_CS_REGS];
        return true;
    case OP_FLUSH_CACHE2:
        c->s->latest_flush_id++;
        return true;
    case OP_SYNC_ADD32:
    case OP_SYNC_SET32:
        if (!gpu_rd32(c, addr, &v32) ||
            !gpu_wr32(c, addr, (op == OP_SYNC_ADD32 ? v32 : 0) + st->regs[b % MALI_CS_REGS]) ||
            !gpu_wr32(c, addr + 4, 0)) {
            cs_fatal(c, st, c->fault, insn);
            return false;
        }
        c->sync_update = true;
        return true;
    case OP_SYNC_ADD64:
    case OP_SYNC_SET64:
        if (!gpu_rd64(c, addr, &v64) ||
            !gpu_wr64(c, addr, (op == OP_SYNC_ADD64 ? v64 : 0) + reg64(st, b)) ||
            !gpu_wr32(c, addr + 8, 0)) {
            cs_fatal(c, st, c->fault, insn);
            return false;
        }
        c->sync_update = true;
        return true;
    case OP_SYNC_WAIT32:
    case OP_SYNC_WAIT64:
        if (op == OP_SYNC_WAIT32 ? !gpu_rd32(c, addr, &v32) : !gpu_rd64(c, addr, &v64)) {
            cs_fatal(c, st, c->fault, insn);
            return false;
        }
        if (op == OP_SYNC_WAIT32 ? !cond_holds((insn >> 28) & 0xf, v32, st->regs[b % MALI_CS_REGS]) :
            !cond_holds((insn >> 28) & 0xf, v64, reg64(st, b))) {
            st->blocked = true;
            st->wait_ptr = addr;
            st->wait_64 = op == OP_SYNC_WAIT64;
            st->wait_value = st->wait_64 ? reg64(st, b) : st->regs[b % MALI_CS_REGS];
            st->wait_cond = (insn >> 28) & 0xf;
            *rewind = true;     /* re-execute once the value changes */
            return false;
        }
        return true;
    case OP_STORE_STATE:
        v64 = ((insn >> 32) & 3) == 1 ?
              muldiv64(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), MALI_GPU_CLOCK_HZ,
                       NANOSECONDS_PER_SECOND) :
              muldiv64(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), MALI_TIMESTAMP_HZ,
                       NANOSECONDS_PER_SECOND) + c->s->timestamp_offset;
        if (!gpu_wr64(c, addr + (int16_t)insn, v64)) {
            cs_fatal(c, st, c->fault, insn);
            return false;
        }
        return true;
    default:
        cs_fatal(c, st, CS_EXC_INVALID_OPCODE, insn);
        return false;
    }
}

/* What the stream waits for, in the CS status the host reads on suspend. */
static void cs_status(CsCtx *c, MaliStream *st, uint64_t cmd_ptr)
{
    uint32_t wait = 0;

    if (st->blocked) {
        wait = CS_WAIT_SYNC | (st->wait_64 ? CS_WAIT_SYNC_64B : 0) |
               (uint32_t)st->wait_cond << 24;
    }
    mcu_wr64(c->s, c->out + CS_OUT_STATUS_CMD_PTR, cmd_ptr);
    mcu_wr32(c->s, c->out + CS_OUT_STATUS_WAIT, wait);
    mcu_wr64(c->s, c->out + CS_OUT_WAIT_SYNC_PTR, st->blocked ? st->wait_ptr : 0);
    mcu_wr32(c->s, c->out + CS_OUT_WAIT_SYNC_VALUE, st->blocked ? st->wait_value : 0);
    mcu_wr32(c->s, c->out + CS_OUT_WAIT_SYNC_HI, st->blocked ? st->wait_value >> 32 : 0);
    mcu_wr32(c->s, c->out + CS_OUT_BLOCKED_REASON, st->blocked ? CS_BLOCKED_SYNC_WAIT : 0);
}

/* Run one stream until its ring is empty, it blocks, faults or yields. */
static void cs_run(CsCtx *c)
{
    MaliStream *st = &c->s->cs[c->g][c->n];
    uint64_t base = mcu_rd64(c->s, c->in + CS_IN_RINGBUF_BASE);
    uint32_t size = mcu_rd32(c->s, c->in + CS_IN_RINGBUF_SIZE);
    uint64_t ring_in = mcu_rd64(c->s, c->in + CS_IN_RINGBUF_INPUT);
    uint64_t ring_out = mcu_rd64(c->s, c->in + CS_IN_RINGBUF_OUTPUT);
    uint64_t insert = mcu_rd64(c->s, ring_in + RING_IN_INSERT);
    unsigned int budget = CS_BUDGET;

    if (!st->running || st->fatal || st->oom || !size || c->s->hook_hang_streams) {
        return;
    }
    st->blocked = false;
    while (budget--) {
        bool rewind = false;
        uint64_t insn;
        uint64_t va;

        while (st->depth && st->pc >= st->end) {
            st->depth--;
            st->pc = st->call_pc[st->depth];
            st->end = st->call_end[st->depth];
        }
        if (st->depth) {
            va = st->pc;
            st->pc += 8;
        } else {
            if (st->extract >= insert) {
                break;
            }
            va = base + (st->extract % size);
            st->extract += 8;
        }
        if (!gpu_rd64(c, va, &insn)) {
            cs_fatal(c, st, c->fault, va);
            break;
        }
        if (!cs_exec(c, st, insn, &rewind)) {
            if (rewind) {
                if (st->depth) {
                    st->pc -= 8;
                } else {
                    st->extract -= 8;
                }
            }
            break;
        }
        c->s->csg_idle[c->g] = false;  /* progress: becoming idle is news again */
    }
    mcu_wr64(c->s, ring_out + RING_OUT_EXTRACT, st->extract);
    cs_status(c, st, st->depth ? st->pc : base + (st->extract % size));
}

static void cs_ctx(MaliState *s, unsigned int g, unsigned int n, CsCtx *c)
{
    uint64_t csg_in = mcu_rd32(s, csg_ctrl(s, g) + 4);
    uint64_t ctrl = cs_ctrl(s, g, n);

    c->s = s;
    c->g = g;
    c->n = n;
    c->as = mcu_rd32(s, csg_in + CSG_IN_CONFIG) % MALI_AS_COUNT;
    c->in = mcu_rd32(s, ctrl + 4);
    c->out = mcu_rd32(s, ctrl + 8);
    c->sync_update = false;
    c->fault = 0;
}

/* Signal group event @bit (ack made to differ from req, as in cs_event()). */
static void csg_event(MaliState *s, unsigned int g, uint32_t bit)
{
    uint64_t ctrl = csg_ctrl(s, g);
    uint64_t in = mcu_rd32(s, ctrl + 4), out = mcu_rd32(s, ctrl + 8);
    uint32_t req = mcu_rd32(s, in + CSG_IN_REQ), ack = mcu_rd32(s, out + CSG_OUT_ACK);

    mcu_wr32(s, out + CSG_OUT_ACK, (ack & ~bit) | (~req & bit));
    if (mcu_rd32(s, in + CSG_IN_ACK_IRQ_MASK) & bit) {
        raise_csg_irq(s, g);
    }
}

/*
 * A group is idle when none of its streams can make progress: stopped,
 * failed, blocked on a sync object, or done with its ring. Waiting for a
 * TILER_OOM answer is not idle: the host owes the stream memory. A group
 * with no running stream at all is not reported (it is stopped, not idle).
 */
static bool csg_is_idle(MaliState *s, unsigned int g)
{
    bool active = false;
    unsigned int n;

    for (n = 0; n < MALI_CS_MAX; n++) {
        MaliStream *st = &s->cs[g][n];
        uint64_t insert;
        CsCtx c;

        active |= st->running;
        if (!st->running || st->fatal || st->blocked) {
            continue;
        }
        if (st->oom) {
            return false;
        }
        cs_ctx(s, g, n, &c);
        insert = mcu_rd64(s, mcu_rd64(s, c.in + CS_IN_RINGBUF_INPUT) + RING_IN_INSERT);
        if (st->extract < insert || st->depth) {
            return false;
        }
    }
    return active;
}

/* Run every runnable stream; repeat while sync objects change (waits). */
static void cs_run_all(MaliState *s)
{
    bool again = true;
    unsigned int g, n, rounds = 0;

    while (again && rounds++ < 16) {
        again = false;
        for (g = 0; g < MIN(s->csg_count, MALI_CSG_MAX); g++) {
            bool updated = false;

            for (n = 0; n < MALI_CS_MAX; n++) {
                CsCtx c;

                if (!s->cs[g][n].running) {
                    continue;
                }
                cs_ctx(s, g, n, &c);
                cs_run(&c);
                updated |= c.sync_update;
            }
            if (updated) {
                csg_event(s, g, CSG_SYNC_UPDATE);
                again = true;
            }
        }
    }
    for (g = 0; g < MIN(s->csg_count, MALI_CSG_MAX); g++) {
        bool idle = csg_is_idle(s, g);

        if (idle && !s->csg_idle[g]) {     /* became idle: tell the host once */
            trace_mali_csg_idle(g);
            csg_event(s, g, CSG_IDLE);
        }
        s->csg_idle[g] = idle;
    }
}

/*
 * Apply the CS requests of group @g. Stream state is a value, not a toggle:
 * when the group itself starts or resumes (@group_state), every stream whose
 * request says START runs, whatever the stale acknowledge says; otherwise a
 * stream changes state only when its request differs from its acknowledge.
 * A START from scratch clears the registers; a RESUME keeps them (the model
 * loads the suspended state back from the suspend buffer, csg_suspend_buf()).
 */
static void cs_requests(MaliState *s, unsigned int g, int group_state)
{
    uint32_t streams = mcu_rd32(s, csg_ctrl(s, g) + MALI_CSG_CONTROL_STREAM_NUM);
    unsigned int n;

    for (n = 0; n < MIN(streams, MALI_CS_MAX); n++) {
        MaliStream *st = &s->cs[g][n];
        uint32_t req, ack;
        bool start;
        CsCtx c;

        cs_ctx(s, g, n, &c);
        req = mcu_rd32(s, c.in + CS_IN_REQ);
        ack = mcu_rd32(s, c.out + CS_OUT_ACK);
        start = (req & CS_STATE_MASK) == CS_STATE_START;
        if (group_state >= 0 || ((req ^ ack) & CS_STATE_MASK)) {
            if (start && group_state != CSG_STATE_RESUME) {
                memset(st, 0, sizeof(*st));
            }
            if (start) {
                st->running = true;
                st->fatal = false;
                st->oom = false;        /* a resumed stream asks again */
                st->extract = mcu_rd64(s, mcu_rd64(s, c.in + CS_IN_RINGBUF_OUTPUT) +
                                       RING_OUT_EXTRACT);
            } else {
                st->running = false;
            }
            trace_mali_cs_state(g, n, req & CS_STATE_MASK);
        }
        mcu_wr32(s, c.out + CS_OUT_ACK, (ack & ~CS_REQ_MASK) | (req & CS_REQ_MASK));
        if (st->oom && !((req ^ ack) & CS_TILER_OOM)) {
            heap_grown(&c, st);
        }
    }
}

/*
 * Suspend saves the group's stream state (registers, ring and call-stack
 * positions, waits, heap) to the suspend buffer the host gave in
 * SUSPEND_BUF, in a layout of the model's own, and forgets it; resume loads
 * it back. A host that loses or mixes up suspend buffers thus sees its
 * streams resume with the wrong state, as on hardware. A buffer the MCU
 * cannot reach leaves the state lost (all zero).
 */
static void csg_suspend_buf(MaliState *s, unsigned int g, uint64_t in, bool save)
{
    uint64_t buf = mcu_rd64(s, in + CSG_IN_SUSPEND_BUF);
    uint32_t *words = (uint32_t *)s->cs[g];
    unsigned int i;
    bool ok = true;

    QEMU_BUILD_BUG_ON(sizeof(s->cs[g]) % 4 || sizeof(s->cs[g]) > MALI_FW_CSG_SUSPEND_SIZE);
    for (i = 0; ok && i < sizeof(s->cs[g]) / 4; i++) {
        ok = save ? mali_mmu_write32(s, MCU_AS, buf + i * 4, words[i]) :
                    mali_mmu_read32(s, MCU_AS, buf + i * 4, &words[i]);
    }
    if (save || !ok) {
        memset(s->cs[g], 0, sizeof(s->cs[g]));
    }
    if (!ok) {
        trace_mali_fw_error(save ? "suspend buffer write fault" : "suspend buffer read fault",
                            buf + i * 4);
    }
}

static void csg_request(MaliState *s, unsigned int g)
{
    uint64_t ctrl = csg_ctrl(s, g);
    uint64_t in = mcu_rd32(s, ctrl + 4), out = mcu_rd32(s, ctrl + 8);
    uint32_t req = mcu_rd32(s, in + CSG_IN_REQ), ack = mcu_rd32(s, out + CSG_OUT_ACK);
    uint32_t mask = mcu_rd32(s, in + CSG_IN_ACK_IRQ_MASK), new_ack;
    int group_state = -1;       /* START or RESUME when the group (re)starts */
    unsigned int n;

    new_ack = (ack & ~(CSG_STATE_MASK | CSG_REQ_TOGGLES)) |
              (req & (CSG_STATE_MASK | CSG_REQ_TOGGLES));
    if ((req ^ ack) & CSG_STATE_MASK) {
        uint32_t state = req & CSG_STATE_MASK;

        trace_mali_csg_state(g, state);
        if (state == CSG_STATE_TERMINATE || state == CSG_STATE_SUSPEND) {
            for (n = 0; n < MALI_CS_MAX; n++) {
                s->cs[g][n].running = false;
            }
            if (state == CSG_STATE_SUSPEND) {
                csg_suspend_buf(s, g, in, true);
            }
        } else {
            if (state == CSG_STATE_RESUME) {
                csg_suspend_buf(s, g, in, false);
            }
            group_state = state;
            s->csg_idle[g] = false;
        }
    }
    /* Stream requests ride on the group's doorbell requests and state. */
    if (group_state >= 0 || !((req & CSG_STATE_MASK) == CSG_STATE_TERMINATE ||
                              (req & CSG_STATE_MASK) == CSG_STATE_SUSPEND)) {
        cs_requests(s, g, group_state);
    }
    mcu_wr32(s, out + CSG_OUT_DOORBELL_ACK, mcu_rd32(s, in + CSG_IN_DOORBELL_REQ));
    mcu_wr32(s, out + CSG_OUT_STATUS_STATE, s->csg_idle[g] ? CSG_STATUS_IDLE : 0);
    mcu_wr32(s, out + CSG_OUT_ACK, new_ack);
    if ((ack ^ new_ack) & mask) {
        raise_csg_irq(s, g);
    }
}

void mali_cs_csg_doorbells(MaliState *s, uint32_t csg_mask)
{
    unsigned int g;

    for (g = 0; g < MIN(s->csg_count, MALI_CSG_MAX); g++) {
        if (csg_mask & (1u << g)) {
            csg_request(s, g);
        }
    }
    cs_run_all(s);
}

void mali_cs_doorbell(MaliState *s, unsigned int n)
{
    /* Any stream may be waiting on a sync object another one changed. */
    if (s->fw_booted) {
        cs_run_all(s);
    }
}

void mali_cs_reset(MaliState *s)
{
    memset(s->cs, 0, sizeof(s->cs));
    memset(s->csg_idle, 0, sizeof(s->csg_idle));
}
