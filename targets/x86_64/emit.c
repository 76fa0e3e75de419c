/* emit.c - machine IR after register allocation and frame layout to
 * X86Func: physical registers for virtual ones, spill code through the
 * scratch registers (r11, r10, xmm15, xmm14), frame slots as [rbp+off],
 * prologue and epilogue, the out-of-line trap stubs and bounds-check slow
 * paths; then backend-asm's x86_assemble_func or x86_print_func.
 *
 * Blocks are laid out by MBlock.group and index, cold blocks last; a
 * jump to the block laid out next is dropped.
 *
 * Bounds checks (X86P_CHECK): one shadow load tests every granule the
 * access can touch (the first and the next); when they are not all
 * wholly addressable (0x08, or 0x48 read-only for a read) a stub at the
 * end of the function tests the first and last byte's shadow and then
 * calls the module's register-preserving helper (__yvmcc_check, emitted
 * once per module), which calls the runtime's exact check and returns if
 * the access is fine after all (foreign memory in an `unsafe` function,
 * a partial granule, ...).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/yvmrt.h"
#include "targets/x86_64/x86_mir.h"

#define NREASONS 16

typedef struct CheckStub { uint32_t slow, back, size; bool write, unsafe; } CheckStub;

typedef struct Em {
    CgModule *cg;
    MFunc *f;
    X86Func xf;
    size_t cap;
    uint32_t block;              /* the block being emitted */
    uint32_t next;               /* the block laid out after it, or MIR_NOREG */
    int32_t trap_label[NREASONS];
    CheckStub *stubs;
    uint32_t nstubs, capstubs;
} Em;

static X86Inst *out(Em *e, uint16_t op, uint8_t size)
{
    if (e->xf.n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->xf.insts = realloc(e->xf.insts, e->cap * sizeof *e->xf.insts);
        if (!e->xf.insts)
            exit(1);
    }
    X86Inst *x = &e->xf.insts[e->xf.n++];
    memset(x, 0, sizeof *x);
    x->op = op;
    x->size = size;
    return x;
}

static X86Operand xreg(int r) { return (X86Operand){.kind = X86_OPD_REG, .reg = (int8_t)r, .index = X86_NOREG}; }
static X86Operand ximm(int64_t v) { return (X86Operand){.kind = X86_OPD_IMM, .imm = v, .reg = X86_NOREG, .index = X86_NOREG}; }
static X86Operand xmem(int base, int index, unsigned scale, int32_t disp)
{
    return (X86Operand){.kind = X86_OPD_MEM, .reg = (int8_t)base, .index = (int8_t)index,
                        .scale = (uint8_t)scale, .disp = disp};
}
static X86Operand xlabel(uint32_t l) { return (X86Operand){.kind = X86_OPD_LABEL, .label = l, .reg = X86_NOREG, .index = X86_NOREG}; }
static X86Operand xsym(const char *s) { return (X86Operand){.kind = X86_OPD_SYM, .sym = s, .reg = X86_NOREG, .index = X86_NOREG}; }

static X86Inst *o1(Em *e, uint16_t op, uint8_t size, X86Operand a)
{
    X86Inst *x = out(e, op, size);
    x->nops = 1;
    x->ops[0] = a;
    return x;
}
static X86Inst *o2(Em *e, uint16_t op, uint8_t size, X86Operand a, X86Operand b)
{
    X86Inst *x = out(e, op, size);
    x->nops = 2;
    x->ops[0] = a;
    x->ops[1] = b;
    return x;
}

static uint32_t new_label(Em *e) { return e->xf.nlabels++; }
static void place(Em *e, uint32_t l) { o1(e, X86_LABEL, 0, xlabel(l)); }

static X86Operand slot_mem(Em *e, uint32_t slot, int64_t disp)
{
    return xmem(X86_RBP, X86_NOREG, 1, (int32_t)(e->f->slots[slot].offset + disp));
}

typedef struct Scratch { int intp[2], fltp[2]; unsigned ni, nf; } Scratch;

static int take(Em *e, Scratch *s, MRegClass c)
{
    if (c == MRC_FLOAT) {
        if (s->nf < 2)
            return s->fltp[s->nf++];
    } else if (s->ni < 2) {
        return s->intp[s->ni++];
    }
    cg_error(e->cg, "internal error: out of spill scratch registers in '%s'", e->f->name);
    return X86_R11;
}

static void load_spill(Em *e, int reg, MRegClass c, uint32_t slot)
{
    o2(e, c == MRC_FLOAT ? X86_MOVSS_SD : X86_MOV, 8, xreg(reg), slot_mem(e, slot, 0));
}
static void store_spill(Em *e, int reg, MRegClass c, uint32_t slot)
{
    o2(e, c == MRC_FLOAT ? X86_MOVSS_SD : X86_MOV, 8, slot_mem(e, slot, 0), xreg(reg));
}

/* A register operand's physical register; spilled: MIR_NOREG. */
static uint32_t phys(const MFunc *f, uint32_t r)
{
    if (!mir_is_vreg(r))
        return r;
    return f->assign[r - MIR_FIRST_VREG];
}
static uint32_t spill_slot(const MFunc *f, uint32_t r)
{
    return mir_is_vreg(r) ? f->spill[r - MIR_FIRST_VREG] : MIR_NOREG;
}

/* Convert a memory operand, loading spilled base/index into scratch. */
static X86Operand conv_mem(Em *e, Scratch *s, const MOperand *m)
{
    const MFunc *f = e->f;
    X86Operand x = xmem(X86_NOREG, X86_NOREG, m->scale ? m->scale : 1, (int32_t)m->imm);
    if (m->base_kind == MB_SLOT)
        return slot_mem(e, m->reg, m->imm);
    if (m->base_kind == MB_SYM) {
        x.reg = X86_RIP;
        x.sym = m->sym;
        return x;
    }
    if (m->base_kind == MB_REG) {
        uint32_t p = phys(f, m->reg);
        if (p == MIR_NOREG) {
            int sr = take(e, s, MRC_INT);
            load_spill(e, sr, MRC_INT, spill_slot(f, m->reg));
            p = (uint32_t)sr;
        }
        x.reg = (int8_t)p;
    }
    if (m->index != MIR_NOREG) {
        uint32_t p = phys(f, m->index);
        if (p == MIR_NOREG) {
            int sr = take(e, s, MRC_INT);
            load_spill(e, sr, MRC_INT, spill_slot(f, m->index));
            p = (uint32_t)sr;
        }
        x.index = (int8_t)p;
    }
    return x;
}

static void trap_jump(Em *e, uint8_t cc, int reason)
{
    if (reason < 0 || reason >= NREASONS)
        reason = YVMRT_TRAP_BOUNDS;
    if (e->trap_label[reason] < 0)
        e->trap_label[reason] = (int32_t)new_label(e);
    o1(e, X86_JCC, 0, xlabel((uint32_t)e->trap_label[reason]))->cc = cc;
}

/* Shadow values of a granule an access may pass inline without the
 * runtime: wholly addressable, or (reads) wholly read-only. */
#define SHADOW_PASS YVMRT_SHADOW_RW
#define SHADOW_PASS2 (YVMRT_SHADOW_RW | YVMRT_SHADOW_RW << 8)
#define SHADOW_RO_MASK ((int32_t) ~(uint32_t)YVMRT_SHADOW_RO_BIT)    /* 0xffffffbf */
#define SHADOW_RO_MASK2 (0xffff & ~(YVMRT_SHADOW_RO_BIT | YVMRT_SHADOW_RO_BIT << 8))

/* Compare the shadow byte SH with the pass value (r10 is clobbered for a
 * read, which ignores the read-only bit); ZF set when it passes. */
static void shadow_byte_cmp(Em *e, X86Operand sh, bool write)
{
    if (write) {
        o2(e, X86_CMP, 1, sh, ximm(SHADOW_PASS));
    } else {
        o2(e, X86_MOVZX, 4, xreg(X86_R10), sh)->size2 = 1;
        o2(e, X86_AND, 4, xreg(X86_R10), ximm(SHADOW_RO_MASK));
        o2(e, X86_CMP, 4, xreg(X86_R10), ximm(SHADOW_PASS));
    }
}

/* Test the shadow byte of the address ADDR_DISP (r10 is clobbered);
 * not passing: jump to FAIL. */
static void shadow_test(Em *e, X86Operand addr_disp, bool write, uint32_t fail)
{
    o2(e, X86_LEA, 8, xreg(X86_R10), addr_disp);
    o2(e, X86_SHR, 8, xreg(X86_R10), ximm(YVMRT_SHADOW_SCALE));
    shadow_byte_cmp(e, xmem(X86_R10, X86_NOREG, 1, (int32_t)YVMRT_SHADOW_OFFSET), write);
    o1(e, X86_JCC, 0, xlabel(fail))->cc = X86_CC_NE;
}

/* The inline check: one shadow load. A 1-byte access tests its granule's
 * shadow byte; a 2..8-byte access (at most two granules) tests the
 * shadow bytes of its first granule and the next one together, so any
 * access whose granules are all clear passes. Anything else (and an
 * address at or beyond 2^47, which has no shadow) goes to the slow
 * stub, which handles the common spurious case inline (a one-granule
 * access next to a non-clear granule: the end of an object) before
 * calling the exact check. */
static void emit_check(Em *e, Scratch *s, const MInst *in)
{
    X86Operand m = conv_mem(e, s, &in->ops[0]);
    uint32_t size = (uint32_t)(in->aux & 0xffffffff);
    bool write = (in->aux >> 32) & 1, unsafe = (in->aux >> 33) & 1;
    if (size == 0)
        return;
    o2(e, X86_LEA, 8, xreg(X86_R11), m);
    if (e->nstubs == e->capstubs) {
        e->capstubs = e->capstubs ? 2 * e->capstubs : 16;
        e->stubs = realloc(e->stubs, e->capstubs * sizeof *e->stubs);
        if (!e->stubs)
            exit(1);
    }
    CheckStub *st = &e->stubs[e->nstubs++];
    st->slow = new_label(e);
    st->back = new_label(e);
    st->size = size;
    st->write = write;
    st->unsafe = unsafe;
    /* Beyond the user address space (no shadow there): the slow path. */
    o2(e, X86_MOV, 8, xreg(X86_R10), xreg(X86_R11));
    o2(e, X86_SHR, 8, xreg(X86_R10), ximm(47));
    o1(e, X86_JCC, 0, xlabel(st->slow))->cc = X86_CC_NE;
    o2(e, X86_MOV, 8, xreg(X86_R10), xreg(X86_R11));
    o2(e, X86_SHR, 8, xreg(X86_R10), ximm(YVMRT_SHADOW_SCALE));
    X86Operand sh = xmem(X86_R10, X86_NOREG, 1, (int32_t)YVMRT_SHADOW_OFFSET);
    if (size == 1) {
        shadow_byte_cmp(e, sh, write);
    } else {
        o2(e, X86_MOVZX, 4, xreg(X86_R10), sh)->size2 = 2;
        if (!write)
            o2(e, X86_AND, 4, xreg(X86_R10), ximm(SHADOW_RO_MASK2));
        o2(e, X86_CMP, 4, xreg(X86_R10), ximm(SHADOW_PASS2));
    }
    o1(e, X86_JCC, 0, xlabel(st->slow))->cc = X86_CC_NE;
    place(e, st->back);
    e->cg->used_check_helpers = true;
}

/* The out-of-line part of a check (address in r11). For 2..8 bytes the
 * shadow of the first and the last byte are tested first: when both are
 * clear the access is fine (the inline test failed only because of the
 * other granule). Otherwise the register-preserving helper decides and
 * returns when the access is fine after all. */
static void emit_check_stub(Em *e, const CheckStub *st)
{
    place(e, st->slow);
    if (st->size > 1) {
        uint32_t call = new_label(e);
        o2(e, X86_MOV, 8, xreg(X86_R10), xreg(X86_R11));
        o2(e, X86_SHR, 8, xreg(X86_R10), ximm(47));
        o1(e, X86_JCC, 0, xlabel(call))->cc = X86_CC_NE;
        shadow_test(e, xmem(X86_R11, X86_NOREG, 1, 0), st->write, call);
        shadow_test(e, xmem(X86_R11, X86_NOREG, 1, (int32_t)st->size - 1), st->write, call);
        o1(e, X86_JMP, 0, xlabel(st->back));
        place(e, call);
    }
    int flags = (st->write ? YVMRT_CHECK_WRITE : 0) | (st->unsafe ? YVMRT_CHECK_UNSAFE : 0);
    o2(e, X86_MOV, 4, xreg(X86_R10), ximm((int64_t)st->size | (int64_t)flags << 16));
    o1(e, X86_CALL, 8, xsym("__yvmcc_check"));
    o1(e, X86_JMP, 0, xlabel(st->back));
}

static void epilogue(Em *e)
{
    const MFunc *f = e->f;
    for (uint32_t p = 0; p < f->target->npregs; p++)
        if ((f->used_callee_saved >> p) & 1)
            o2(e, X86_MOV, 8, xreg((int)p), slot_mem(e, f->save_slot[p], 0));
    o2(e, X86_MOV, 8, xreg(X86_RSP), xreg(X86_RBP));
    o1(e, X86_POP, 8, xreg(X86_RBP));
    out(e, X86_RET, 8);
}

static void lower(Em *e, const MInst *in)
{
    const MFunc *f = e->f;
    Scratch s = {{X86_R11, X86_R10}, {X86_XMM15, X86_XMM14}, 0, 0};
    switch (in->op) {
    case X86P_RET:
        epilogue(e);
        return;
    case X86P_TRAPIF:
        trap_jump(e, in->cc, (int)in->aux);
        return;
    case X86P_CHECK:
        emit_check(e, &s, in);
        return;
    case X86_JMP:
        if (in->ops[0].kind == MO_LABEL && (uint32_t)in->ops[0].imm == e->next)
            return;
        break;
    default:
        break;
    }
    if ((in->op == X86_MOV && in->size == 8) || in->op == X86_MOVAPS) {
        if (in->ops[0].kind == MO_REG && in->ops[1].kind == MO_REG) {
            uint32_t a = phys(f, in->ops[0].reg), b = phys(f, in->ops[1].reg);
            if (a != MIR_NOREG && a == b)
                return;
            uint32_t sa = spill_slot(f, in->ops[0].reg), sb = spill_slot(f, in->ops[1].reg);
            if (a == MIR_NOREG && b == MIR_NOREG && sa == sb)
                return;
        }
    }
    MOpShape sh = f->target->shape(f, in->op, in->nops);
    X86Inst x = {.op = in->op, .size = in->size, .size2 = in->size2, .cc = in->cc,
                 .nops = in->nops};
    int stores_reg[3];
    uint32_t stores_slot[3];
    MRegClass stores_cls[3];
    unsigned nstores = 0;
    /* Memory operands first: they may need two scratch registers. */
    for (unsigned i = 0; i < in->nops; i++)
        if (in->ops[i].kind == MO_MEM) {
            x.ops[i] = conv_mem(e, &s, &in->ops[i]);
            bool other_spilled = false;
            for (unsigned k = 0; k < in->nops; k++)
                if (k != i && in->ops[k].kind == MO_REG && phys(f, in->ops[k].reg) == MIR_NOREG &&
                    mir_reg_class(f, in->ops[k].reg) == MRC_INT)
                    other_spilled = true;
            if (s.ni == 2 && other_spilled) {
                o2(e, X86_LEA, 8, xreg(X86_R11), x.ops[i]);
                x.ops[i] = xmem(X86_R11, X86_NOREG, 1, 0);
                s.ni = 1;
            }
        }
    for (unsigned i = 0; i < in->nops; i++) {
        const MOperand *m = &in->ops[i];
        switch (m->kind) {
        case MO_REG: {
            uint32_t p = phys(f, m->reg);
            if (p == MIR_NOREG) {
                MRegClass c = mir_reg_class(f, m->reg);
                int sr = take(e, &s, c);
                uint32_t slot = spill_slot(f, m->reg);
                bool def = i == 0 && sh != MSHAPE_USE;
                bool use = !(i == 0 && sh == MSHAPE_DEF);
                if (use)
                    load_spill(e, sr, c, slot);
                if (def) {
                    stores_reg[nstores] = sr;
                    stores_slot[nstores] = slot;
                    stores_cls[nstores++] = c;
                }
                p = (uint32_t)sr;
            }
            x.ops[i] = xreg((int)p);
            break;
        }
        case MO_IMM: x.ops[i] = ximm(m->imm); break;
        case MO_LABEL: x.ops[i] = xlabel((uint32_t)m->imm); break;
        case MO_SYM: x.ops[i] = xsym(m->sym); break;
        case MO_MEM: break;
        default: x.ops[i] = ximm(0); break;
        }
    }
    *out(e, in->op, in->size) = x;
    for (unsigned k = 0; k < nstores; k++)
        store_spill(e, stores_reg[k], stores_cls[k], stores_slot[k]);
}

static const char *trap_fn = "__yvm_trap";

/* The emission order of F's blocks: each IR block followed by the blocks
 * instruction selection made inside it, cold blocks last. Block 0 stays
 * first (it follows the prologue). */
static uint32_t *layout_order(const MFunc *f)
{
    uint32_t *order = malloc((f->nblocks + 1) * sizeof *order);
    if (!order)
        exit(1);
    mir_layout_order(f, order);
    return order;
}

bool x86_emit(CgModule *cg, MFunc *f)
{
    Em e = {.cg = cg, .f = f};
    for (int i = 0; i < NREASONS; i++)
        e.trap_label[i] = -1;
    e.xf.name = f->name;
    e.xf.global = f->global;
    e.xf.nlabels = f->nblocks;
    /* Prologue. */
    o1(&e, X86_PUSH, 8, xreg(X86_RBP));
    o2(&e, X86_MOV, 8, xreg(X86_RBP), xreg(X86_RSP));
    uint64_t fs = f->frame_size;
    if (fs >= 4096) {
        /* Probe page by page so a big frame cannot jump the guard page. */
        uint32_t loop = new_label(&e);
        o2(&e, X86_MOV, 8, xreg(X86_R11), ximm((int64_t)(fs / 4096)));
        place(&e, loop);
        o2(&e, X86_SUB, 8, xreg(X86_RSP), ximm(4096));
        o2(&e, X86_MOV, 8, xmem(X86_RSP, X86_NOREG, 1, 0), xreg(X86_R11));
        o2(&e, X86_SUB, 8, xreg(X86_R11), ximm(1));
        o1(&e, X86_JCC, 0, xlabel(loop))->cc = X86_CC_NE;
        fs %= 4096;
    }
    if (fs)
        o2(&e, X86_SUB, 8, xreg(X86_RSP), ximm((int64_t)fs));
    for (uint32_t p = 0; p < f->target->npregs; p++)
        if ((f->used_callee_saved >> p) & 1)
            o2(&e, X86_MOV, 8, slot_mem(&e, f->save_slot[p], 0), xreg((int)p));
    uint32_t *order = layout_order(f);
    for (uint32_t k = 0; k < f->nblocks && !cg->failed; k++) {
        uint32_t b = order[k];
        e.block = b;
        e.next = k + 1 < f->nblocks ? order[k + 1] : MIR_NOREG;
        place(&e, b);
        const MBlock *bl = &f->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++) {
            const MInst *in = &bl->insts[i], *nx = i + 1 < bl->n ? &bl->insts[i + 1] : NULL;
            /* `jcc next; jmp X` -> `j!cc X` (falls through to next). */
            if (in->op == X86_JCC && nx && nx->op == X86_JMP && in->ops[0].kind == MO_LABEL &&
                (uint32_t)in->ops[0].imm == e.next && nx->ops[0].kind == MO_LABEL) {
                o1(&e, X86_JCC, 0, xlabel((uint32_t)nx->ops[0].imm))->cc = in->cc ^ 1;
                i++;
                continue;
            }
            lower(&e, in);
        }
    }
    /* Out-of-line paths. */
    for (uint32_t k = 0; k < e.nstubs; k++)
        emit_check_stub(&e, &e.stubs[k]);
    for (int r = 0; r < NREASONS; r++)
        if (e.trap_label[r] >= 0) {
            place(&e, (uint32_t)e.trap_label[r]);
            o2(&e, X86_MOV, 4, xreg(X86_RDI), ximm(r));
            o1(&e, X86_CALL, 8, xsym(trap_fn));
            out(&e, X86_UD2, 0);
        }
    bool ok = !cg->failed;
    if (ok) {
        if (cg->obj) {
            char err[256] = "";
            if (!x86_assemble_func(cg->obj, &e.xf, err, sizeof err))
                ok = cg_error(cg, "cannot assemble '%s': %s", f->name, err);
        } else {
            x86_print_func(cg->asm_out, &e.xf);
        }
    }
    free(order);
    free(e.xf.insts);
    free(e.stubs);
    return ok;
}

/* The register-preserving slow path of bounds checks: address in r11,
 * r10 = size | YVMRT_CHECK_* flags << 16; every other register survives. */
static bool check_helper(CgModule *cg, const char *name)
{
    static const int gprs[] = {X86_RAX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R11};
    Em e = {.cg = cg};
    e.xf.name = name;
    e.xf.global = false;
    o1(&e, X86_PUSH, 8, xreg(X86_RBP));
    o2(&e, X86_MOV, 8, xreg(X86_RBP), xreg(X86_RSP));
    for (unsigned i = 0; i < 8; i++)
        o1(&e, X86_PUSH, 8, xreg(gprs[i]));
    o2(&e, X86_AND, 8, xreg(X86_RSP), ximm(-16));
    o2(&e, X86_SUB, 8, xreg(X86_RSP), ximm(256));
    for (int i = 0; i < 16; i++)
        o2(&e, X86_MOVSS_SD, 8, xmem(X86_RSP, X86_NOREG, 1, 16 * i), xreg(X86_XMM0 + i));
    /* yvmrt_check_range(addr, size, flags, sp): sp is the checking
     * function's stack pointer (dead-frame decisions depend on it). */
    o2(&e, X86_MOV, 8, xreg(X86_RDI), xreg(X86_R11));
    o2(&e, X86_MOVZX, 4, xreg(X86_RSI), xreg(X86_R10))->size2 = 2;
    o2(&e, X86_MOV, 4, xreg(X86_RDX), xreg(X86_R10));
    o2(&e, X86_SHR, 4, xreg(X86_RDX), ximm(16));
    o2(&e, X86_LEA, 8, xreg(X86_RCX), xmem(X86_RBP, X86_NOREG, 1, 16));
    o1(&e, X86_CALL, 8, xsym("yvmrt_check_range"));
    for (int i = 0; i < 16; i++)
        o2(&e, X86_MOVSS_SD, 8, xreg(X86_XMM0 + i), xmem(X86_RSP, X86_NOREG, 1, 16 * i));
    o2(&e, X86_LEA, 8, xreg(X86_RSP), xmem(X86_RBP, X86_NOREG, 1, -64));
    for (unsigned i = 8; i-- > 0;)
        o1(&e, X86_POP, 8, xreg(gprs[i]));
    o1(&e, X86_POP, 8, xreg(X86_RBP));
    out(&e, X86_RET, 8);
    bool ok = true;
    if (cg->obj) {
        char err[256] = "";
        if (!x86_assemble_func(cg->obj, &e.xf, err, sizeof err))
            ok = cg_error(cg, "cannot assemble '%s': %s", name, err);
    } else {
        x86_print_func(cg->asm_out, &e.xf);
    }
    free(e.xf.insts);
    return ok;
}

bool x86_emit_module_end(CgModule *cg)
{
    if (!cg->used_check_helpers)
        return true;
    return check_helper(cg, "__yvmcc_check");
}
