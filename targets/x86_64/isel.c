/* isel.c - instruction selection: Yvm IR to x86-64 machine IR.
 *
 * Invariant: an integer value in a register is zero-extended from its
 * type's width to 64 bits (i1 is 0 or 1), so zext is a copy, compares and
 * stores need no extension, and every narrow result is re-normalised.
 * Operations on i1..i32 run at 32 bits, i64/ptr at 64.
 *
 * Semantics follow the interpreter (docs/ir.md): shifts modulo the width,
 * division traps, checked arithmetic computed at full precision and
 * range-checked, float-to-int range checks done in the float domain,
 * canonical NaNs wherever a float's bits can be seen (below), bounds
 * checks before every load and store (emit.c expands X86P_CHECK).
 * Control flow inside one IR instruction (NaN canonicalisation, uitofp
 * of u64, fptoui to u64) uses extra machine blocks of the same layout
 * group; the rare paths among them are cold (laid out last). An access
 * through a statically known object (alloca or symbol plus offsets) is
 * checked by comparing its offset with the object's size. Checks, memcpy
 * and memset of `unsafe` functions let foreign (C) memory through. An
 * alloca whose address escapes the function lives on the runtime's fake
 * stack, so a dangling pointer to it keeps trapping after the return.
 *
 * NaNs: the IR's float operations give the canonical NaN, x86's give the
 * default NaN (sign set) or a propagated payload. Only the bits can tell
 * them apart, so the result of an arithmetic operation or a float
 * conversion is fixed up where its bits are seen, not where it is made:
 * at a store, a bitcast, a call argument, a return and fneg's operand (a
 * NaN in arithmetic, compares and float-to-int checks behaves the same
 * whatever its bits). A block parameter that only ever receives such
 * results (a loop-carried sum) defers too; an argument reaching any other
 * parameter is fixed up on the edge. A select operand is fixed up at
 * once. Every value not deferred holds exactly the interpreter's bits.
 */
#include <stdlib.h>
#include <string.h>

#include "ir/strbuf.h"
#include "runtime/yvmrt.h"
#include "targets/x86_64/x86_mir.h"

typedef struct Isel {
    CgModule *cg;
    const IrModule *m;
    const IrFunc *f;
    MFunc *mf;
    uint32_t cur;        /* current machine block */
    uint32_t *vreg;      /* IR value -> vreg */
    uint32_t *nuses;     /* IR value -> use count */
    uint32_t *addr_uses; /* IR value -> uses as a load/store address */
    uint32_t group;      /* IR block being selected (MBlock.group of new blocks) */
    const IrInst **def;  /* IR value -> defining instruction (or NULL) */
    bool has_allocas;    /* allocas on the machine stack */
    bool has_fake;       /* allocas on the fake stack (escaping) */
    bool *escapes;       /* IR value (an alloca's result) -> on the fake stack */
    uint32_t fake_mark;  /* vreg: __yvm_fake_enter's mark */
    bool checks;         /* bounds checks on loads and stores */
    bool unsafe;         /* an `unsafe` function: foreign memory is fine */
    bool *nan_eager;     /* IR value -> its NaN fix-up cannot wait (see top) */
    bool *nan_raw_param; /* IR block parameter -> holds only deferred results */
    bool *at_branch;     /* IR value -> computed by the block's condbr (see pair_cond) */
} Isel;

static bool is_fl(IrType t) { return t == IR_F32 || t == IR_F64; }
static uint8_t isz(IrType t) { return (t == IR_I64 || t == IR_PTR || t == IR_F64) ? 8 : 4; }
static MRegClass cls(IrType t) { return is_fl(t) ? MRC_FLOAT : MRC_INT; }

static MInst *E(Isel *S, uint16_t op, uint8_t size, unsigned nops, MOperand a, MOperand b)
{
    MInst *in = mir_append(S->mf, S->cur, op, size);
    in->nops = (uint8_t)nops;
    if (nops > 0) in->ops[0] = a;
    if (nops > 1) in->ops[1] = b;
    return in;
}
static MInst *E0(Isel *S, uint16_t op, uint8_t size) { return E(S, op, size, 0, mo_imm(0), mo_imm(0)); }
static MInst *E1(Isel *S, uint16_t op, uint8_t size, MOperand a) { return E(S, op, size, 1, a, mo_imm(0)); }
static MInst *E2(Isel *S, uint16_t op, uint8_t size, MOperand a, MOperand b) { return E(S, op, size, 2, a, b); }

static void call_rt(Isel *S, const char *sym, unsigned n, const uint32_t *regs);
static uint32_t newv(Isel *S, MRegClass c) { return mir_vreg_new(S->mf, c); }

/* A machine block inside the IR block being selected; COLD ones (rare
 * paths) are laid out at the end of the function. */
static uint32_t new_block(Isel *S, bool cold)
{
    uint32_t b = mir_block_new(S->mf);
    S->mf->blocks[b].group = S->group;
    S->mf->blocks[b].cold = cold;
    return b;
}
static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static void trapif(Isel *S, X86Cond cc, int reason)
{
    MInst *in = E0(S, X86P_TRAPIF, 0);
    in->cc = (uint8_t)cc;
    in->aux = reason;
}

/* Load a 64-bit constant into a new int vreg. */
static uint32_t int_const(Isel *S, uint64_t bits)
{
    uint32_t r = newv(S, MRC_INT);
    if (bits <= 0xffffffffu)
        E2(S, X86_MOV, 4, mo_reg(r), mo_imm((int32_t)(uint32_t)bits));
    else if (fits32((int64_t)bits))
        E2(S, X86_MOV, 8, mo_reg(r), mo_imm((int64_t)bits));
    else
        E2(S, X86_MOV, 8, mo_reg(r), mo_imm((int64_t)bits));
    return r;
}

static uint32_t float_const(Isel *S, IrType t, uint64_t bits)
{
    uint32_t g = int_const(S, bits);
    uint32_t r = newv(S, MRC_FLOAT);
    E2(S, X86_MOVQ, t == IR_F32 ? 4 : 8, mo_reg(r), mo_reg(g));
    return r;
}

/* The operand in a register (a new vreg for constants and symbols). */
static uint32_t reg_of(Isel *S, const IrOperand *o)
{
    IrType t = (IrType)o->type;
    switch (o->kind) {
    case IR_OPD_VALUE:
        return S->vreg[o->index];
    case IR_OPD_SYMBOL: {
        uint32_t r = newv(S, MRC_INT);
        E2(S, X86_LEA, 8, mo_reg(r), mo_symmem(cg_sym(S->cg, o->index), 0));
        return r;
    }
    default:
        if (is_fl(t))
            return float_const(S, t, o->bits);
        return int_const(S, o->bits);
    }
}

/* The operand as an immediate when it is an integer constant that the
 * instruction (of SIZE bytes) can take, else a register. */
static MOperand rm_of(Isel *S, const IrOperand *o, uint8_t size)
{
    if (o->kind == IR_OPD_CONST && !is_fl((IrType)o->type)) {
        if (size == 4)
            return mo_imm((int32_t)(uint32_t)o->bits);
        if (fits32((int64_t)o->bits))
            return mo_imm((int64_t)o->bits);
    }
    return mo_reg(reg_of(S, o));
}

/* Re-establish the zero-extension invariant of R holding a T. */
static void normalize(Isel *S, uint32_t r, IrType t)
{
    switch (t) {
    case IR_I1: E2(S, X86_AND, 4, mo_reg(r), mo_imm(1)); break;
    case IR_I8: E2(S, X86_MOVZX, 4, mo_reg(r), mo_reg(r))->size2 = 1; break;
    case IR_I16: E2(S, X86_MOVZX, 4, mo_reg(r), mo_reg(r))->size2 = 2; break;
    case IR_I32: E2(S, X86_MOV, 4, mo_reg(r), mo_reg(r)); break;
    default: break;
    }
}

/* A new vreg holding the operand sign-extended from T to 64 bits. */
static uint32_t sext64(Isel *S, const IrOperand *o, IrType t)
{
    uint32_t r = newv(S, MRC_INT);
    if (o->kind == IR_OPD_CONST) {
        unsigned bits = ir_type_bits(t);
        uint64_t v = o->bits;
        if (bits < 64 && ((v >> (bits - 1)) & 1))
            v |= ~0ull << bits;
        E2(S, X86_MOV, 8, mo_reg(r), mo_imm((int64_t)v));
        return r;
    }
    uint32_t s = reg_of(S, o);
    switch (t) {
    case IR_I1:
        E2(S, X86_MOV, 8, mo_reg(r), mo_reg(s));
        E1(S, X86_NEG, 8, mo_reg(r));
        break;
    case IR_I8: E2(S, X86_MOVSX, 8, mo_reg(r), mo_reg(s))->size2 = 1; break;
    case IR_I16: E2(S, X86_MOVSX, 8, mo_reg(r), mo_reg(s))->size2 = 2; break;
    case IR_I32: E2(S, X86_MOVSX, 8, mo_reg(r), mo_reg(s))->size2 = 4; break;
    default: E2(S, X86_MOV, 8, mo_reg(r), mo_reg(s)); break;
    }
    return r;
}

static void cmp_imm64(Isel *S, uint32_t r, int64_t v)
{
    if (fits32(v))
        E2(S, X86_CMP, 8, mo_reg(r), mo_imm(v));
    else
        E2(S, X86_CMP, 8, mo_reg(r), mo_reg(int_const(S, (uint64_t)v)));
}

/* ---- NaN canonicalisation (a branch around a constant load) ---- */

static void canon_nan(Isel *S, uint32_t r, IrType t)
{
    uint8_t sz = t == IR_F32 ? 4 : 8;
    uint32_t fix = new_block(S, true), done = new_block(S, false);
    E2(S, X86_UCOMIS, sz, mo_reg(r), mo_reg(r));
    MInst *j = E1(S, X86_JCC, 0, mo_label(fix));
    j->cc = X86_CC_P;
    E1(S, X86_JMP, 0, mo_label(done));
    S->cur = fix;
    uint32_t g = int_const(S, t == IR_F32 ? 0x7fc00000u : 0x7ff8000000000000ull);
    E2(S, X86_MOVQ, sz, mo_reg(r), mo_reg(g));
    E1(S, X86_JMP, 0, mo_label(done));
    S->cur = done;
}

/* Float operations whose result may be a NaN with other bits than the
 * canonical one. */
static bool makes_raw_nan(const IrInst *in)
{
    switch (in->op) {
    case IR_FADD: case IR_FSUB: case IR_FMUL: case IR_FDIV: case IR_FSQRT:
    case IR_FPEXT: case IR_FPTRUNC:
        return true;
    default:
        return false;
    }
}

/* Whether IR value v's NaN fix-up waits for a use that sees its bits. */
static bool nan_deferred(const Isel *S, uint32_t v)
{
    if (!S->def[v])
        return S->nan_raw_param[v];
    return makes_raw_nan(S->def[v]) && !S->nan_eager[v];
}

/* Whether block argument A may flow into a parameter whose fix-up waits:
 * a deferred result, or a constant whose fix-up would change nothing. */
static bool arg_may_defer(const Isel *S, const IrOperand *a)
{
    if (a->kind == IR_OPD_VALUE)
        return nan_deferred(S, a->index);
    if (a->kind != IR_OPD_CONST)
        return false;
    uint64_t exp = a->type == IR_F32 ? 0x7f800000u : 0x7ff0000000000000ull;
    uint64_t frac = a->type == IR_F32 ? 0x007fffffu : 0x000fffffffffffffull;
    return (a->bits & exp) != exp || (a->bits & frac) == 0; /* not a NaN */
}

/* Block parameters whose fix-up waits: the largest set of float
 * parameters that receive, on every edge, only deferred results,
 * fixed-up-free constants or parameters of the set (a loop-carried sum,
 * say). Any other parameter holds exact bits; a deferred argument
 * reaching it is fixed up on that edge (edge_moves). */
static void plan_nan_params(Isel *S)
{
    const IrFunc *f = S->f;
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t i = 0; i < f->blocks[b]->nparams; i++) {
            uint32_t p = f->blocks[b]->params[i];
            /* A select's operands keep exact bits (count_uses). */
            S->nan_raw_param[p] = is_fl((IrType)f->vals[p].type) && !S->nan_eager[p];
        }
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t b = 0; b < f->nblocks; b++) {
            const IrBlock *bl = f->blocks[b];
            for (uint32_t j = 0; j < bl->ninsts; j++) {
                const IrInst *in = &bl->insts[j];
                for (uint32_t k = 0; k < in->ntgt; k++) {
                    const IrBlock *to = f->blocks[in->tgt[k].block];
                    for (uint32_t a = 0; a < in->tgt[k].nargs; a++) {
                        uint32_t p = to->params[a];
                        if (S->nan_raw_param[p] && !arg_may_defer(S, &in->tgt[k].args[a])) {
                            S->nan_raw_param[p] = false;
                            changed = true;
                        }
                    }
                }
            }
        }
    }
}

/* The result of IN, fixed up now unless that can wait. */
static void canon_result(Isel *S, const IrInst *in, uint32_t d, IrType t)
{
    if (!nan_deferred(S, in->result))
        canon_nan(S, d, t);
}

/* A register holding float operand O with its exact IR bits: a deferred
 * result is fixed up in a copy. */
static uint32_t float_bits(Isel *S, const IrOperand *o)
{
    uint32_t r = reg_of(S, o);
    if (o->kind != IR_OPD_VALUE || !nan_deferred(S, o->index))
        return r;
    uint32_t c = newv(S, MRC_FLOAT);
    E2(S, X86_MOVAPS, 8, mo_reg(c), mo_reg(r));
    canon_nan(S, c, (IrType)o->type);
    return c;
}

/* ---- integer arithmetic ---- */

static X86Op alu_op(IrOpcode op)
{
    switch (op) {
    case IR_ADD: case IR_ADDC: case IR_ADDCU: return X86_ADD;
    case IR_SUB: case IR_SUBC: case IR_SUBCU: return X86_SUB;
    case IR_AND: return X86_AND;
    case IR_OR: return X86_OR;
    case IR_XOR: return X86_XOR;
    default: return X86_IMUL;
    }
}

static void sel_binary_int(Isel *S, const IrInst *in)
{
    IrType t = (IrType)in->type;
    uint8_t sz = isz(t);
    uint32_t d = S->vreg[in->result];
    const IrOperand *a = &in->opd[0], *b = &in->opd[1];
    IrOpcode op = (IrOpcode)in->op;
    switch (op) {
    case IR_ADD: case IR_SUB: case IR_AND: case IR_OR: case IR_XOR: {
        uint32_t ra = reg_of(S, a);
        MOperand mb = rm_of(S, b, sz);
        if (op == IR_ADD && S->mf->opt > 0 && t == IR_I64 && a->kind == IR_OPD_VALUE) {
            if (mb.kind == MO_IMM)
                E2(S, X86_LEA, 8, mo_reg(d), mo_mem(ra, MIR_NOREG, 1, mb.imm));
            else
                E2(S, X86_LEA, 8, mo_reg(d), mo_mem(ra, mb.reg, 1, 0));
            return;
        }
        if (op == IR_SUB && S->mf->opt > 0 && t == IR_I64 && a->kind == IR_OPD_VALUE &&
            mb.kind == MO_IMM && mb.imm != INT32_MIN) {
            E2(S, X86_LEA, 8, mo_reg(d), mo_mem(ra, MIR_NOREG, 1, -mb.imm));
            return;
        }
        /* A whole-register copy: ra is zero-extended already, and a copy
         * the allocator coalesces then disappears (a 32-bit one would
         * stay, as it also clears the upper half). */
        E2(S, X86_MOV, 8, mo_reg(d), mo_reg(ra));
        E2(S, alu_op(op), sz, mo_reg(d), mb);
        if (op == IR_ADD || op == IR_SUB)
            normalize(S, d, t == IR_I32 ? IR_I64 : t);
        return;
    }
    case IR_MUL: {
        MOperand mb = rm_of(S, b, sz);
        uint32_t ra = reg_of(S, a);
        if (mb.kind == MO_IMM) {
            MInst *m3 = E2(S, X86_IMUL, sz, mo_reg(d), mo_reg(ra));
            m3->nops = 3;
            m3->ops[2] = mb;
        } else {
            E2(S, X86_MOV, 8, mo_reg(d), mo_reg(ra)); /* as in add */
            E2(S, X86_IMUL, sz, mo_reg(d), mb);
        }
        normalize(S, d, t == IR_I32 ? IR_I64 : t);
        return;
    }
    case IR_SHL: case IR_LSHR: case IR_ASHR: {
        X86Op xo = op == IR_SHL ? X86_SHL : op == IR_LSHR ? X86_SHR : X86_SAR;
        unsigned bits = ir_type_bits(t);
        if (t == IR_I1) {
            E2(S, X86_MOV, 4, mo_reg(d), rm_of(S, a, 4));
            return;
        }
        if (op == IR_ASHR && bits < 32) {
            uint32_t s = sext64(S, a, t);
            E2(S, X86_MOV, 8, mo_reg(d), mo_reg(s));
        } else {
            E2(S, X86_MOV, sz, mo_reg(d), mo_reg(reg_of(S, a)));
        }
        uint8_t osz = (op == IR_ASHR && bits < 32) ? 8 : sz;
        if (b->kind == IR_OPD_CONST) {
            E2(S, xo, osz, mo_reg(d), mo_imm((int64_t)(b->bits % bits)));
        } else {
            MInst *mv = E2(S, X86_MOV, 4, mo_reg(XR(X86_RCX)), mo_reg(reg_of(S, b)));
            (void)mv;
            if (bits < 32)
                E2(S, X86_AND, 4, mo_reg(XR(X86_RCX)), mo_imm(bits - 1));
            MInst *sh = E2(S, xo, osz, mo_reg(d), mo_reg(XR(X86_RCX)));
            (void)sh;
        }
        if (bits < 32)
            normalize(S, d, t);
        return;
    }
    case IR_SDIV: case IR_SREM: case IR_UDIV: case IR_UREM: {
        bool sgn = op == IR_SDIV || op == IR_SREM;
        bool rem = op == IR_SREM || op == IR_UREM;
        unsigned bits = ir_type_bits(t);
        uint64_t mask = ir_type_mask(t);
        bool bconst = b->kind == IR_OPD_CONST;
        uint64_t bv = b->bits & mask;
        uint32_t rb, ra;
        uint8_t dsz = t == IR_I64 ? 8 : 4;
        if (sgn) {
            ra = sext64(S, a, t);
            rb = sext64(S, b, t);
            if (t != IR_I64)
                dsz = 8; /* sign-extended operands: 64-bit division */
        } else {
            ra = reg_of(S, a);
            rb = bconst ? int_const(S, bv) : reg_of(S, b);
        }
        if (!bconst || bv == 0) {
            E2(S, X86_TEST, 8, mo_reg(rb), mo_reg(rb));
            trapif(S, X86_CC_E, YVMRT_TRAP_DIV_ZERO);
        }
        if (sgn && (!bconst || bv == mask)) {
            /* MIN / -1 at this width. */
            int64_t min = bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
            uint32_t ok = new_block(S, false), chk = new_block(S, true);
            E2(S, X86_CMP, 8, mo_reg(rb), mo_imm(-1));
            MInst *j = E1(S, X86_JCC, 0, mo_label(ok));
            j->cc = X86_CC_NE;
            E1(S, X86_JMP, 0, mo_label(chk));
            S->cur = chk;
            cmp_imm64(S, ra, min);
            trapif(S, X86_CC_E, YVMRT_TRAP_OVERFLOW);
            E1(S, X86_JMP, 0, mo_label(ok));
            S->cur = ok;
        }
        E2(S, X86_MOV, dsz, mo_reg(XR(X86_RAX)), mo_reg(ra));
        if (sgn) {
            MInst *c = E0(S, X86_CDQ_CQO, dsz);
            c->imp_use = XBIT(X86_RAX);
            c->imp_def = XBIT(X86_RDX);
        } else {
            E2(S, X86_MOV, 4, mo_reg(XR(X86_RDX)), mo_imm(0));
        }
        MInst *dv = E1(S, sgn ? X86_IDIV : X86_DIV, dsz, mo_reg(rb));
        dv->imp_use = XBIT(X86_RAX) | XBIT(X86_RDX);
        dv->imp_def = XBIT(X86_RAX) | XBIT(X86_RDX);
        E2(S, X86_MOV, dsz, mo_reg(d), mo_reg(XR(rem ? X86_RDX : X86_RAX)));
        if (t != IR_I64)
            normalize(S, d, t == IR_I32 ? IR_I32 : t);
        return;
    }
    case IR_ADDC: case IR_SUBC: case IR_MULC: case IR_ADDCU: case IR_SUBCU: case IR_MULCU: {
        bool sgn = op == IR_ADDC || op == IR_SUBC || op == IR_MULC;
        if (t == IR_I64) {
            if (op == IR_MULCU) {
                E2(S, X86_MOV, 8, mo_reg(XR(X86_RAX)), mo_reg(reg_of(S, a)));
                uint32_t rb = reg_of(S, b);
                MInst *mm = E1(S, X86_MUL1, 8, mo_reg(rb));
                mm->imp_use = XBIT(X86_RAX);
                mm->imp_def = XBIT(X86_RAX) | XBIT(X86_RDX);
                trapif(S, X86_CC_O, YVMRT_TRAP_OVERFLOW);
                E2(S, X86_MOV, 8, mo_reg(d), mo_reg(XR(X86_RAX)));
                return;
            }
            E2(S, X86_MOV, 8, mo_reg(d), mo_reg(reg_of(S, a)));
            E2(S, alu_op(op), 8, mo_reg(d),
               op == IR_MULC ? mo_reg(reg_of(S, b)) : rm_of(S, b, 8));
            trapif(S, sgn ? X86_CC_O : X86_CC_B, YVMRT_TRAP_OVERFLOW);
            return;
        }
        /* Narrow: exact in 64 bits, then a range check. */
        unsigned bits = ir_type_bits(t);
        uint32_t ra, rb;
        if (sgn) {
            ra = sext64(S, a, t);
            rb = sext64(S, b, t);
        } else {
            ra = newv(S, MRC_INT);
            E2(S, X86_MOV, 4, mo_reg(ra), rm_of(S, a, 4));
            rb = newv(S, MRC_INT);
            E2(S, X86_MOV, 4, mo_reg(rb), rm_of(S, b, 4));
        }
        uint32_t w = newv(S, MRC_INT);
        E2(S, X86_MOV, 8, mo_reg(w), mo_reg(ra));
        E2(S, alu_op(op), 8, mo_reg(w), mo_reg(rb));
        if (sgn) {
            int64_t mx = ((int64_t)1 << (bits - 1)) - 1, mn = -mx - 1;
            cmp_imm64(S, w, mx);
            trapif(S, X86_CC_G, YVMRT_TRAP_OVERFLOW);
            cmp_imm64(S, w, mn);
            trapif(S, X86_CC_L, YVMRT_TRAP_OVERFLOW);
        } else {
            cmp_imm64(S, w, (int64_t)ir_type_mask(t));
            trapif(S, X86_CC_A, YVMRT_TRAP_OVERFLOW);
        }
        E2(S, X86_MOV, 8, mo_reg(d), mo_reg(w));
        normalize(S, d, t);
        return;
    }
    default:
        cg_error(S->cg, "unsupported integer operation '%s'", ir_op_info[op].name);
    }
}

/* ---- compares ---- */

static X86Cond icond_cc(IrICond c)
{
    switch (c) {
    case IR_ICMP_EQ: return X86_CC_E;
    case IR_ICMP_NE: return X86_CC_NE;
    case IR_ICMP_SLT: return X86_CC_L;
    case IR_ICMP_SLE: return X86_CC_LE;
    case IR_ICMP_SGT: return X86_CC_G;
    case IR_ICMP_SGE: return X86_CC_GE;
    case IR_ICMP_ULT: return X86_CC_B;
    case IR_ICMP_ULE: return X86_CC_BE;
    case IR_ICMP_UGT: return X86_CC_A;
    default: return X86_CC_AE;
    }
}

/* Emit the compare of an icmp; returns the condition that holds. */
static X86Cond emit_icmp(Isel *S, const IrInst *in)
{
    IrType t = (IrType)in->type;
    IrICond c = (IrICond)in->cond;
    bool sgn = c >= IR_ICMP_SLT && c <= IR_ICMP_SGE;
    if (sgn && ir_type_bits(t) < 32) {
        uint32_t ra = sext64(S, &in->opd[0], t), rb = sext64(S, &in->opd[1], t);
        E2(S, X86_CMP, 8, mo_reg(ra), mo_reg(rb));
    } else if (in->opd[1].kind == IR_OPD_CONST && in->opd[1].bits == 0) {
        /* test r,r sets the flags every condition reads as cmp r,0 does. */
        uint32_t ra = reg_of(S, &in->opd[0]);
        E2(S, X86_TEST, isz(t), mo_reg(ra), mo_reg(ra));
    } else {
        uint8_t sz = isz(t);
        E2(S, X86_CMP, sz, mo_reg(reg_of(S, &in->opd[0])), rm_of(S, &in->opd[1], sz));
    }
    return icond_cc(c);
}

static void setcc(Isel *S, uint32_t d, X86Cond cc)
{
    MInst *s = E1(S, X86_SETCC, 1, mo_reg(d));
    s->cc = (uint8_t)cc;
    E2(S, X86_MOVZX, 4, mo_reg(d), mo_reg(d))->size2 = 1;
}

static void sel_fcmp(Isel *S, const IrInst *in, uint32_t d)
{
    IrType t = (IrType)in->type;
    uint8_t sz = t == IR_F32 ? 4 : 8;
    uint32_t a = reg_of(S, &in->opd[0]), b = reg_of(S, &in->opd[1]);
    IrFCond c = (IrFCond)in->cond;
    bool swap = c == IR_FCMP_OLT || c == IR_FCMP_OLE || c == IR_FCMP_UGT || c == IR_FCMP_UGE;
    E2(S, X86_UCOMIS, sz, mo_reg(swap ? b : a), mo_reg(swap ? a : b));
    X86Cond cc;
    switch (c) {
    case IR_FCMP_OEQ: case IR_FCMP_UNE: {
        uint32_t t2 = newv(S, MRC_INT);
        bool eq = c == IR_FCMP_OEQ;
        setcc(S, d, eq ? X86_CC_E : X86_CC_NE);
        setcc(S, t2, eq ? X86_CC_NP : X86_CC_P);
        E2(S, eq ? X86_AND : X86_OR, 4, mo_reg(d), mo_reg(t2));
        return;
    }
    case IR_FCMP_OGT: case IR_FCMP_OLT: cc = X86_CC_A; break;
    case IR_FCMP_OGE: case IR_FCMP_OLE: cc = X86_CC_AE; break;
    case IR_FCMP_UGT: case IR_FCMP_ULT: cc = X86_CC_B; break;
    case IR_FCMP_UGE: case IR_FCMP_ULE: cc = X86_CC_BE; break;
    case IR_FCMP_ONE: cc = X86_CC_NE; break;
    case IR_FCMP_UEQ: cc = X86_CC_E; break;
    case IR_FCMP_ORD: cc = X86_CC_NP; break;
    default: cc = X86_CC_P; break;
    }
    setcc(S, d, cc);
}

/* ---- conversions ---- */

static long double pow2(int k)
{
    long double v = 1.0L;
    while (k-- > 0)
        v *= 2.0L;
    return v;
}

static void fp_range_trap(Isel *S, uint32_t x, IrType ft, long double lo, bool lo_incl, long double hi)
{
    uint8_t sz = ft == IR_F32 ? 4 : 8;
    uint64_t lob, hib;
    if (ft == IR_F32) {
        float l = (float)lo, h = (float)hi;
        uint32_t u;
        memcpy(&u, &l, 4); lob = u;
        memcpy(&u, &h, 4); hib = u;
    } else {
        double l = (double)lo, h = (double)hi;
        memcpy(&lob, &l, 8);
        memcpy(&hib, &h, 8);
    }
    uint32_t rl = float_const(S, ft, lob), rh = float_const(S, ft, hib);
    E2(S, X86_UCOMIS, sz, mo_reg(x), mo_reg(rl));
    trapif(S, lo_incl ? X86_CC_B : X86_CC_BE, YVMRT_TRAP_CONVERSION);
    E2(S, X86_UCOMIS, sz, mo_reg(rh), mo_reg(x));
    trapif(S, X86_CC_BE, YVMRT_TRAP_CONVERSION);
}

static void sel_conv(Isel *S, const IrInst *in)
{
    IrType from = (IrType)in->type, to = (IrType)in->type2;
    uint32_t d = S->vreg[in->result];
    const IrOperand *a = &in->opd[0];
    switch ((IrOpcode)in->op) {
    case IR_ZEXT: case IR_PTRTOINT: case IR_INTTOPTR:
        E2(S, X86_MOV, 8, mo_reg(d), rm_of(S, a, 8));
        return;
    case IR_TRUNC:
        E2(S, X86_MOV, 8, mo_reg(d), rm_of(S, a, 8));
        normalize(S, d, to);
        return;
    case IR_SEXT: {
        uint32_t s = sext64(S, a, from);
        E2(S, X86_MOV, 8, mo_reg(d), mo_reg(s));
        normalize(S, d, to);
        return;
    }
    case IR_SITOFP: case IR_UITOFP: {
        uint8_t fsz = to == IR_F32 ? 4 : 8;
        if (in->op == IR_UITOFP && from == IR_I64) {
            uint32_t x = reg_of(S, a);
            uint32_t big = new_block(S, true), small = new_block(S, false),
                     done = new_block(S, false);
            E2(S, X86_TEST, 8, mo_reg(x), mo_reg(x));
            MInst *j = E1(S, X86_JCC, 0, mo_label(big));
            j->cc = X86_CC_S;
            E1(S, X86_JMP, 0, mo_label(small));
            S->cur = small;
            E2(S, X86_CVTSI2S, fsz, mo_reg(d), mo_reg(x))->size2 = 8;
            E1(S, X86_JMP, 0, mo_label(done));
            S->cur = big;
            uint32_t h = newv(S, MRC_INT), lo = newv(S, MRC_INT);
            E2(S, X86_MOV, 8, mo_reg(h), mo_reg(x));
            E2(S, X86_SHR, 8, mo_reg(h), mo_imm(1));
            E2(S, X86_MOV, 8, mo_reg(lo), mo_reg(x));
            E2(S, X86_AND, 8, mo_reg(lo), mo_imm(1));
            E2(S, X86_OR, 8, mo_reg(h), mo_reg(lo));
            E2(S, X86_CVTSI2S, fsz, mo_reg(d), mo_reg(h))->size2 = 8;
            E2(S, X86_ADDS, fsz, mo_reg(d), mo_reg(d));
            E1(S, X86_JMP, 0, mo_label(done));
            S->cur = done;
            return;
        }
        uint32_t x = in->op == IR_SITOFP ? sext64(S, a, from) : reg_of(S, a);
        E2(S, X86_CVTSI2S, fsz, mo_reg(d), mo_reg(x))->size2 = 8;
        return;
    }
    case IR_FPTOSI: case IR_FPTOUI: {
        uint32_t x = reg_of(S, a);
        unsigned bits = ir_type_bits(to);
        uint8_t fsz = from == IR_F32 ? 4 : 8;
        bool sgn = in->op == IR_FPTOSI;
        long double lo, hi;
        bool incl = false;
        if (sgn) {
            long double mn = -pow2((int)bits - 1);
            hi = pow2((int)bits - 1);
            lo = mn - 1.0L;
            /* MIN - 1 exactly representable in the float type? */
            if ((from == IR_F32 && bits > 24) || (from == IR_F64 && bits > 53)) {
                lo = mn;
                incl = true;
            }
        } else {
            lo = -1.0L;
            hi = pow2((int)bits);
        }
        fp_range_trap(S, x, from, lo, incl, hi);
        if (!sgn && bits == 64) {
            uint32_t big = new_block(S, true), small = new_block(S, false),
                     done = new_block(S, false);
            uint64_t twop63 = from == IR_F32 ? 0x5f000000u : 0x43e0000000000000ull;
            uint32_t c = float_const(S, from, twop63);
            E2(S, X86_UCOMIS, fsz, mo_reg(x), mo_reg(c));
            MInst *j = E1(S, X86_JCC, 0, mo_label(big));
            j->cc = X86_CC_AE;
            E1(S, X86_JMP, 0, mo_label(small));
            S->cur = small;
            E2(S, X86_CVTTS2SI, 8, mo_reg(d), mo_reg(x))->size2 = fsz;
            E1(S, X86_JMP, 0, mo_label(done));
            S->cur = big;
            uint32_t y = newv(S, MRC_FLOAT);
            E2(S, X86_MOVAPS, 8, mo_reg(y), mo_reg(x));
            E2(S, X86_SUBS, fsz, mo_reg(y), mo_reg(c));
            E2(S, X86_CVTTS2SI, 8, mo_reg(d), mo_reg(y))->size2 = fsz;
            uint32_t k = int_const(S, 0x8000000000000000ull);
            E2(S, X86_XOR, 8, mo_reg(d), mo_reg(k));
            E1(S, X86_JMP, 0, mo_label(done));
            S->cur = done;
            return;
        }
        E2(S, X86_CVTTS2SI, 8, mo_reg(d), mo_reg(x))->size2 = fsz;
        normalize(S, d, to == IR_I64 ? IR_I64 : to);
        return;
    }
    case IR_FPEXT: case IR_FPTRUNC:
        E2(S, X86_CVTS2S, to == IR_F32 ? 4 : 8, mo_reg(d), mo_reg(reg_of(S, a)))->size2 =
            from == IR_F32 ? 4 : 8;
        canon_result(S, in, d, to);
        return;
    case IR_BITCAST:
        if (is_fl(from) == is_fl(to)) {
            if (is_fl(to))
                E2(S, X86_MOVAPS, 8, mo_reg(d), mo_reg(float_bits(S, a)));
            else
                E2(S, X86_MOV, 8, mo_reg(d), rm_of(S, a, 8));
        } else {
            E2(S, X86_MOVQ, isz(to == IR_F32 || from == IR_F32 ? IR_I32 : IR_I64),
               mo_reg(d), mo_reg(is_fl(from) ? float_bits(S, a) : reg_of(S, a)));
        }
        return;
    default:
        cg_error(S->cg, "unsupported conversion '%s'", ir_op_info[in->op].name);
    }
}

/* ---- memory ---- */

/* True when a load or store through the result of the ptradd D becomes
 * an addressing mode (addr_of below), so the pointer itself need not be
 * computed for it. */
static bool folds_into_address(const Isel *S, const IrInst *d)
{
    if (S->mf->opt == 0 || !d || d->op != IR_PTRADD)
        return false;
    if (d->opd[1].kind == IR_OPD_CONST)
        return fits32((int64_t)d->opd[1].bits) &&
               (d->opd[0].kind == IR_OPD_SYMBOL || d->opd[0].kind == IR_OPD_VALUE);
    return d->opd[1].kind == IR_OPD_VALUE && d->opd[0].kind == IR_OPD_VALUE;
}

/* The address of an IR pointer operand as a memory operand (folding a
 * ptradd with a constant offset at -O1). */
static MOperand addr_of(Isel *S, const IrOperand *p, int64_t extra)
{
    if (p->kind == IR_OPD_SYMBOL)
        return mo_symmem(cg_sym(S->cg, p->index), extra);
    if (p->kind == IR_OPD_VALUE && S->mf->opt > 0) {
        const IrInst *d = S->def[p->index];
        if (d && d->op == IR_PTRADD && d->opd[1].kind == IR_OPD_CONST &&
            fits32((int64_t)d->opd[1].bits + extra) && fits32((int64_t)d->opd[1].bits)) {
            int64_t off = (int64_t)d->opd[1].bits + extra;
            if (d->opd[0].kind == IR_OPD_SYMBOL)
                return mo_symmem(cg_sym(S->cg, d->opd[0].index), off);
            if (d->opd[0].kind == IR_OPD_VALUE)
                return mo_mem(S->vreg[d->opd[0].index], MIR_NOREG, 1, off);
        }
        if (d && d->op == IR_PTRADD && d->opd[1].kind == IR_OPD_VALUE &&
            d->opd[0].kind == IR_OPD_VALUE && extra == 0)
            return mo_mem(S->vreg[d->opd[0].index], S->vreg[d->opd[1].index], 1, 0);
    }
    return mo_mem(reg_of(S, p), MIR_NOREG, 1, extra);
}

/* The object a pointer is known to point into: P is a ptradd chain
 * (constant offsets adding up to OFF, at most one dynamic offset DYN)
 * from an alloca of this function or a data/global symbol. A pointer
 * never leaves the object it came from, so an access through P is in
 * bounds exactly when OFF + DYN lies in [0, size - access size]. */
typedef struct KnownBase {
    bool known;
    bool readonly;          /* a `data` item */
    uint64_t size;          /* the object's size */
    int64_t off;
    const IrOperand *dyn;   /* an IR value, or NULL */
} KnownBase;

static KnownBase known_base(const Isel *S, const IrOperand *p)
{
    KnownBase k = {.known = false};
    for (int depth = 0; depth < 64; depth++) {
        if (p->kind == IR_OPD_SYMBOL) {
            const IrItem *it = &S->m->items[p->index];
            if (it->kind != IR_ITEM_DATA)
                return (KnownBase){.known = false};
            k.known = true;
            k.readonly = !it->data->is_global;
            k.size = ir_data_size(it->data);
            return k;
        }
        if (p->kind != IR_OPD_VALUE)
            return (KnownBase){.known = false};
        const IrInst *d = S->def[p->index];
        if (d && d->op == IR_ALLOCA && d->imm <= ((uint64_t)1 << 36)) {
            k.known = true;
            k.size = d->imm;
            return k;
        }
        if (!d || d->op != IR_PTRADD)
            return (KnownBase){.known = false};
        const IrOperand *o = &d->opd[1];
        if (o->kind == IR_OPD_CONST) {
            int64_t c = (int64_t)o->bits;
            if (c > ((int64_t)1 << 40) || c < -((int64_t)1 << 40))
                return (KnownBase){.known = false};
            k.off += c;
        } else if (o->kind == IR_OPD_VALUE && !k.dyn) {
            k.dyn = o;
        } else {
            return (KnownBase){.known = false};
        }
        p = &d->opd[0];
    }
    return (KnownBase){.known = false};
}

/* An unconditional trap (the code after it is never reached). */
static void trap_now(Isel *S, int reason)
{
    uint32_t r = int_const(S, (uint64_t)reason);
    call_rt(S, "__yvm_trap", 1, &r);
}

static void shadow_check(Isel *S, MOperand addr, unsigned size, bool write)
{
    MInst *c = E1(S, X86P_CHECK, 8, addr);
    c->aux = (int64_t)size | ((int64_t)write << 32) | ((int64_t)S->unsafe << 33);
}

/* The bounds check of an access of SIZE bytes through P (at ADDR).
 * Through a known object: nothing when a constant offset is inside it
 * (-O1), one unsigned compare of a dynamic offset against its size, or
 * an unconditional trap; a write into `data` traps after the bounds
 * test (out of bounds wins). Otherwise: the shadow check (X86P_CHECK). */
static void check(Isel *S, const IrOperand *p, MOperand addr, unsigned size, bool write)
{
    if (!S->checks)
        return;
    KnownBase k = known_base(S, p);
    if (!k.known) {
        shadow_check(S, addr, size, write);
        return;
    }
    if (k.size < size) {
        trap_now(S, YVMRT_TRAP_BOUNDS);
        return;
    }
    uint64_t last = k.size - size; /* the largest valid offset */
    if (!k.dyn) {
        if (k.off < 0 || (uint64_t)k.off > last)
            trap_now(S, YVMRT_TRAP_BOUNDS);
        else if (write && k.readonly)
            trap_now(S, YVMRT_TRAP_READONLY);
        else if (S->mf->opt == 0)
            shadow_check(S, addr, size, write);
        return;
    }
    uint32_t x = reg_of(S, k.dyn);
    if (k.off != 0) {
        uint32_t t = newv(S, MRC_INT);
        if (fits32(k.off)) {
            E2(S, X86_LEA, 8, mo_reg(t), mo_mem(x, MIR_NOREG, 1, k.off));
        } else {
            E2(S, X86_MOV, 8, mo_reg(t), mo_reg(int_const(S, (uint64_t)k.off)));
            E2(S, X86_ADD, 8, mo_reg(t), mo_reg(x));
        }
        x = t;
    }
    cmp_imm64(S, x, (int64_t)last);
    trapif(S, X86_CC_A, YVMRT_TRAP_BOUNDS);
    if (write && k.readonly)
        trap_now(S, YVMRT_TRAP_READONLY);
}

static void sel_load(Isel *S, const IrInst *in)
{
    IrType t = (IrType)in->type;
    uint32_t d = S->vreg[in->result];
    MOperand m = addr_of(S, &in->opd[0], 0);
    check(S, &in->opd[0], m, ir_type_size(t), false);
    switch (t) {
    case IR_I1: E2(S, X86_MOVZX, 4, mo_reg(d), m)->size2 = 1; E2(S, X86_AND, 4, mo_reg(d), mo_imm(1)); break;
    case IR_I8: E2(S, X86_MOVZX, 4, mo_reg(d), m)->size2 = 1; break;
    case IR_I16: E2(S, X86_MOVZX, 4, mo_reg(d), m)->size2 = 2; break;
    case IR_I32: E2(S, X86_MOV, 4, mo_reg(d), m); break;
    case IR_F32: E2(S, X86_MOVSS_SD, 4, mo_reg(d), m); break;
    case IR_F64: E2(S, X86_MOVSS_SD, 8, mo_reg(d), m); break;
    default: E2(S, X86_MOV, 8, mo_reg(d), m); break;
    }
}

static void sel_store(Isel *S, const IrInst *in)
{
    IrType t = (IrType)in->type;
    const IrOperand *v = &in->opd[0];
    MOperand val;
    unsigned size = ir_type_size(t);
    if (v->kind == IR_OPD_CONST && (size < 8 || fits32((int64_t)v->bits)))
        val = mo_imm(size == 1 ? (int8_t)v->bits : size == 2 ? (int16_t)v->bits
                     : size == 4 ? (int32_t)v->bits : (int64_t)v->bits);
    else
        val = mo_reg(is_fl(t) ? float_bits(S, v) : reg_of(S, v));
    MOperand m = addr_of(S, &in->opd[1], 0);
    check(S, &in->opd[1], m, size, true);
    if (is_fl(t) && val.kind == MO_REG)
        E2(S, X86_MOVSS_SD, (uint8_t)size, m, val);
    else
        E2(S, X86_MOV, (uint8_t)size, m, val);
}

/* ---- calls ---- */

static bool is_variadic(const IrFunc *f) { return f && (f->attrs & IR_ATTR_VARIADIC); }

/* Pass ARGS (IrOperand with types), call TARGET (sym or reg), move the
 * result into RESULT (vreg or MIR_NOREG). C_CALLEE: sign-extend narrow
 * ints as C expects; NFIXED: fixed parameters of a variadic callee
 * (args beyond get C's default promotions), or UINT32_MAX. */
static void emit_call(Isel *S, MOperand target, uint32_t nargs, const IrOperand *args,
                      IrType rt, uint32_t result, bool c_callee, uint32_t nfixed)
{
    uint8_t *types = calloc(nargs + 1, 1);
    X86ArgLoc *locs = malloc((nargs + 1) * sizeof *locs);
    uint32_t *vals = malloc((nargs + 1) * sizeof *vals);
    if (!types || !locs || !vals)
        exit(1);
    for (uint32_t i = 0; i < nargs; i++) {
        IrType t = (IrType)args[i].type;
        bool vararg = i >= nfixed;
        if (vararg && t == IR_F32)
            t = IR_F64;
        types[i] = (uint8_t)t;
    }
    unsigned nvec;
    uint32_t stack = x86_abi_args(nargs, types, locs, &nvec);
    /* Values first (they may need instructions), then the moves. */
    for (uint32_t i = 0; i < nargs; i++) {
        IrType t = (IrType)args[i].type;
        bool vararg = i >= nfixed;
        if (vararg && t == IR_F32) {
            uint32_t r = newv(S, MRC_FLOAT);
            E2(S, X86_CVTS2S, 8, mo_reg(r), mo_reg(float_bits(S, &args[i])))->size2 = 4;
            vals[i] = r;
        } else if ((c_callee || vararg) && (t == IR_I8 || t == IR_I16)) {
            uint32_t r = newv(S, MRC_INT);
            if (args[i].kind == IR_OPD_CONST) {
                int64_t v = t == IR_I8 ? (int8_t)args[i].bits : (int16_t)args[i].bits;
                E2(S, X86_MOV, 4, mo_reg(r), mo_imm((int32_t)v));
            } else {
                E2(S, X86_MOVSX, 4, mo_reg(r), mo_reg(reg_of(S, &args[i])))->size2 =
                    t == IR_I8 ? 1 : 2;
            }
            vals[i] = r;
        } else {
            vals[i] = is_fl(t) ? float_bits(S, &args[i]) : reg_of(S, &args[i]);
        }
    }
    uint32_t area = (stack + 15) & ~15u;
    if (area)
        E2(S, X86_SUB, 8, mo_reg(XR(X86_RSP)), mo_imm(area));
    uint64_t uses = 0;
    for (uint32_t i = 0; i < nargs; i++) {
        bool fl = ir_type_is_float((IrType)types[i]);
        if (locs[i].reg == X86_NOREG) {
            MOperand m = mo_mem(XR(X86_RSP), MIR_NOREG, 1, locs[i].stack);
            if (fl)
                E2(S, X86_MOVSS_SD, 8, m, mo_reg(vals[i]));
            else
                E2(S, X86_MOV, 8, m, mo_reg(vals[i]));
        }
    }
    for (uint32_t i = 0; i < nargs; i++) {
        if (locs[i].reg == X86_NOREG)
            continue;
        bool fl = ir_type_is_float((IrType)types[i]);
        E2(S, fl ? X86_MOVAPS : X86_MOV, 8, mo_reg(XR(locs[i].reg)), mo_reg(vals[i]));
        uses |= XBIT(locs[i].reg);
    }
    if (nfixed != UINT32_MAX) {
        E2(S, X86_MOV, 4, mo_reg(XR(X86_RAX)), mo_imm(nvec));
        uses |= XBIT(X86_RAX);
    }
    MInst *c = E1(S, X86_CALL, 8, target);
    c->imp_use = uses;
    c->imp_def = S->mf->target->caller_saved;
    S->mf->has_calls = true;
    if (area)
        E2(S, X86_ADD, 8, mo_reg(XR(X86_RSP)), mo_imm(area));
    if (result != MIR_NOREG && rt != IR_VOID) {
        if (is_fl(rt)) {
            E2(S, X86_MOVAPS, 8, mo_reg(result), mo_reg(XR(X86_XMM0)));
        } else {
            E2(S, X86_MOV, 8, mo_reg(result), mo_reg(XR(X86_RAX)));
            if (c_callee)
                normalize(S, result, rt);
        }
    }
    free(types);
    free(locs);
    free(vals);
}

/* A runtime helper call with integer arguments already in vregs. */
static void call_rt(Isel *S, const char *sym, unsigned n, const uint32_t *regs)
{
    for (unsigned i = 0; i < n; i++)
        E2(S, X86_MOV, 8, mo_reg(XR(x86_int_arg_regs[i])), mo_reg(regs[i]));
    MInst *c = E1(S, X86_CALL, 8, mo_sym(sym));
    for (unsigned i = 0; i < n; i++)
        c->imp_use |= XBIT(x86_int_arg_regs[i]);
    c->imp_def = S->mf->target->caller_saved;
    S->mf->has_calls = true;
}

static void sel_call(Isel *S, const IrInst *in)
{
    uint32_t result = in->result == IR_NONE ? MIR_NOREG : S->vreg[in->result];
    if (in->op == IR_CALL) {
        uint32_t item = in->opd[0].index;
        const IrFunc *callee = S->m->items[item].func;
        const char *sym = cg_sym(S->cg, item);
        if (S->unsafe && callee->is_extern && strcmp(sym, "__yvm_memcpy") == 0)
            sym = "__yvm_memcpy_unsafe";
        else if (S->unsafe && callee->is_extern && strcmp(sym, "__yvm_memset") == 0)
            sym = "__yvm_memset_unsafe";
        emit_call(S, mo_sym(sym), in->nopd - 1, in->opd + 1,
                  (IrType)in->type, result, callee->is_extern,
                  is_variadic(callee) ? callee->nparams : UINT32_MAX);
        return;
    }
    /* call.ind: check the pointer and the signature first. */
    uint32_t p = reg_of(S, &in->opd[0]);
    /* The call site's signature, spelled as data_sig_text spells a
     * function's; any number of arguments. */
    StrBuf sig = {0};
    sb_puts(&sig, "(");
    for (uint32_t i = 1; i < in->nopd; i++)
        sb_printf(&sig, "%s%s", i > 1 ? "," : "", ir_type_name((IrType)in->opd[i].type));
    sb_printf(&sig, ")->%s", ir_type_name((IrType)in->type));
    uint32_t regs[2] = {p, int_const(S, yvmrt_sig_hash(sig.s))};
    sb_free(&sig);
    call_rt(S, "__yvm_check_call", 2, regs);
    emit_call(S, mo_reg(p), in->nopd - 1, in->opd + 1, (IrType)in->type, result, true,
              UINT32_MAX);
}

/* ---- control ---- */

typedef struct PMove { uint32_t dst; const IrOperand *src; uint32_t srcreg; } PMove;

/* Block arguments: a parallel assignment to the target's parameters. */
static void edge_moves(Isel *S, const IrTarget *tg)
{
    const IrBlock *b = S->f->blocks[tg->block];
    uint32_t n = tg->nargs;
    if (!n)
        return;
    PMove *mv = calloc(n, sizeof *mv);
    bool *done = calloc(n, sizeof *done);
    if (!mv || !done)
        exit(1);
    for (uint32_t i = 0; i < n; i++) {
        mv[i].dst = S->vreg[b->params[i]];
        mv[i].src = &tg->args[i];
        mv[i].srcreg = tg->args[i].kind == IR_OPD_VALUE ? S->vreg[tg->args[i].index] : MIR_NOREG;
        /* A deferred NaN fix-up happens here when the parameter holds
         * exact bits (plan_nan_params). */
        if (mv[i].srcreg != MIR_NOREG && nan_deferred(S, tg->args[i].index) &&
            !nan_deferred(S, b->params[i]))
            mv[i].srcreg = float_bits(S, &tg->args[i]);
        if (mv[i].srcreg == mv[i].dst)
            done[i] = true;
    }
    for (;;) {
        bool progress = false, left = false;
        for (uint32_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            left = true;
            bool blocked = false;
            for (uint32_t j = 0; j < n && !blocked; j++)
                blocked = !done[j] && j != i && mv[j].srcreg == mv[i].dst;
            if (blocked)
                continue;
            IrType t = (IrType)S->f->vals[b->params[i]].type;
            if (is_fl(t))
                E2(S, X86_MOVAPS, 8, mo_reg(mv[i].dst), mo_reg(mv[i].srcreg != MIR_NOREG ? mv[i].srcreg : reg_of(S, mv[i].src)));
            else if (mv[i].srcreg != MIR_NOREG)
                E2(S, X86_MOV, 8, mo_reg(mv[i].dst), mo_reg(mv[i].srcreg));
            else
                E2(S, X86_MOV, 8, mo_reg(mv[i].dst), rm_of(S, mv[i].src, 8));
            done[i] = true;
            progress = true;
        }
        if (!left)
            break;
        if (!progress) {
            /* A cycle: move one pending source aside into a temporary. */
            for (uint32_t i = 0; i < n; i++) {
                if (done[i])
                    continue;
                uint32_t old = mv[i].srcreg;
                uint32_t tmp = newv(S, mir_reg_class(S->mf, old));
                if (mir_reg_class(S->mf, old) == MRC_FLOAT)
                    E2(S, X86_MOVAPS, 8, mo_reg(tmp), mo_reg(old));
                else
                    E2(S, X86_MOV, 8, mo_reg(tmp), mo_reg(old));
                for (uint32_t j = 0; j < n; j++)
                    if (!done[j] && mv[j].srcreg == old)
                        mv[j].srcreg = tmp;
                break;
            }
        }
    }
    free(mv);
    free(done);
}

/* Layout group of blocks placed after every IR block's own (not cold). */
#define FAR_GROUP (UINT32_MAX - 1)

/* The machine block to jump to for TG: the target itself, or a new edge
 * block holding the argument moves, laid out after the current IR block
 * or (FAR) after all of them. */
static uint32_t edge_block(Isel *S, const IrTarget *tg, bool far)
{
    if (!tg->nargs)
        return tg->block;
    uint32_t save = S->cur, e = new_block(S, false);
    if (far)
        S->mf->blocks[e].group = FAR_GROUP;
    S->cur = e;
    edge_moves(S, tg);
    E1(S, X86_JMP, 0, mo_label(tg->block));
    S->cur = save;
    return e;
}

static void frame_leave(Isel *S)
{
    if (S->has_fake)
        call_rt(S, "__yvm_fake_leave", 1, &S->fake_mark);
    if (!S->has_allocas)
        return;
    uint32_t lo = newv(S, MRC_INT), hi = newv(S, MRC_INT);
    E2(S, X86_MOV, 8, mo_reg(lo), mo_reg(XR(X86_RSP)));
    E2(S, X86_MOV, 8, mo_reg(hi), mo_reg(XR(X86_RBP)));
    uint32_t regs[2] = {lo, hi};
    call_rt(S, "__yvm_frame_leave", 2, regs);
}

/* The block's condbr tests `and/or i1 x, y` of two compares that nothing
 * else uses: when the and/or comes right before the condbr, returns it
 * (and marks the three values at_branch), so the compares become two
 * conditional jumps instead of two setcc, an `and` and a test. */
static const IrInst *pair_cond(Isel *S, const IrBlock *bl)
{
    if (bl->ninsts < 2)
        return NULL;
    const IrInst *t = &bl->insts[bl->ninsts - 1], *c = &bl->insts[bl->ninsts - 2];
    if (t->op != IR_CONDBR || t->opd[0].kind != IR_OPD_VALUE || t->opd[0].index != c->result ||
        (c->op != IR_AND && c->op != IR_OR) || c->type != IR_I1 || S->nuses[c->result] != 1)
        return NULL;
    for (int k = 0; k < 2; k++) {
        const IrOperand *o = &c->opd[k];
        if (o->kind != IR_OPD_VALUE || !S->def[o->index] || S->def[o->index]->op != IR_ICMP ||
            S->nuses[o->index] != 1)
            return NULL;
        bool here = false;
        for (uint32_t i = 0; i + 2 < bl->ninsts && !here; i++)
            here = &bl->insts[i] == S->def[o->index];
        if (!here)
            return NULL;
    }
    S->at_branch[c->result] = true;
    S->at_branch[c->opd[0].index] = true;
    S->at_branch[c->opd[1].index] = true;
    return c;
}

static void sel_term(Isel *S, const IrInst *in, const IrInst *prev, bool fuse)
{
    switch ((IrOpcode)in->op) {
    case IR_BR:
        edge_moves(S, &in->tgt[0]);
        E1(S, X86_JMP, 0, mo_label(in->tgt[0].block));
        return;
    case IR_CONDBR: {
        /* When one side is the next IR block without arguments, it falls
         * through and an edge block of the other side goes far, unless
         * that edge is this block's own loop back edge (falling into its
         * moves then saves a taken jump per iteration). */
        uint32_t here = S->group;
        bool pair = fuse && prev->op != IR_ICMP;
        uint32_t second = pair ? new_block(S, false) : 0; /* laid out next */
        bool t_next = in->tgt[0].block == here + 1 && !in->tgt[0].nargs;
        bool f_next = in->tgt[1].block == here + 1 && !in->tgt[1].nargs;
        uint32_t tb = edge_block(S, &in->tgt[0], f_next && in->tgt[0].block != here);
        uint32_t fb = edge_block(S, &in->tgt[1], t_next && in->tgt[1].block != here);
        X86Cond cc;
        if (pair) {
            /* or: either compare jumps to the true side; and: the first
             * failing jumps to the false side. */
            bool is_or = prev->op == IR_OR;
            cc = emit_icmp(S, S->def[prev->opd[0].index]);
            MInst *j1 = E1(S, X86_JCC, 0, mo_label(is_or ? tb : fb));
            j1->cc = (uint8_t)(is_or ? cc : cc ^ 1);
            E1(S, X86_JMP, 0, mo_label(second));
            S->cur = second;
            cc = emit_icmp(S, S->def[prev->opd[1].index]);
        } else if (fuse) {
            cc = emit_icmp(S, prev);
        } else if (in->opd[0].kind == IR_OPD_CONST) {
            E1(S, X86_JMP, 0, mo_label((in->opd[0].bits & 1) ? tb : fb));
            return;
        } else {
            uint32_t c = reg_of(S, &in->opd[0]);
            E2(S, X86_TEST, 4, mo_reg(c), mo_reg(c));
            cc = X86_CC_NE;
        }
        MInst *j = E1(S, X86_JCC, 0, mo_label(tb));
        j->cc = (uint8_t)cc;
        E1(S, X86_JMP, 0, mo_label(fb));
        return;
    }
    case IR_SWITCH: {
        IrType t = (IrType)in->type;
        uint8_t sz = isz(t);
        uint32_t v = reg_of(S, &in->opd[0]);
        for (uint32_t k = 1; k < in->ntgt; k++) {
            uint64_t key = in->keys[k - 1] & ir_type_mask(t);
            uint32_t tb = edge_block(S, &in->tgt[k], false);
            if (sz == 4 || fits32((int64_t)key))
                E2(S, X86_CMP, sz, mo_reg(v), mo_imm(sz == 4 ? (int32_t)(uint32_t)key : (int64_t)key));
            else
                E2(S, X86_CMP, 8, mo_reg(v), mo_reg(int_const(S, key)));
            MInst *j = E1(S, X86_JCC, 0, mo_label(tb));
            j->cc = X86_CC_E;
        }
        edge_moves(S, &in->tgt[0]);
        E1(S, X86_JMP, 0, mo_label(in->tgt[0].block));
        return;
    }
    case IR_RET: {
        uint32_t rv = MIR_NOREG;
        IrType rt = S->f->ret;
        if (in->nopd)
            rv = is_fl(rt) ? float_bits(S, &in->opd[0]) : reg_of(S, &in->opd[0]);
        frame_leave(S);
        MInst *r;
        if (rv != MIR_NOREG && is_fl(rt)) {
            E2(S, X86_MOVAPS, 8, mo_reg(XR(X86_XMM0)), mo_reg(rv));
            r = E0(S, X86P_RET, 8);
            r->imp_use = XBIT(X86_XMM0);
        } else if (rv != MIR_NOREG) {
            E2(S, X86_MOV, 8, mo_reg(XR(X86_RAX)), mo_reg(rv));
            r = E0(S, X86P_RET, 8);
            r->imp_use = XBIT(X86_RAX);
        } else {
            E0(S, X86P_RET, 8);
        }
        return;
    }
    case IR_TRAP: {
        uint32_t r = newv(S, MRC_INT);
        E2(S, X86_LEA, 8, mo_reg(r), mo_symmem(cg_string(S->cg, in->str, in->strlen), 0));
        call_rt(S, "__yvm_trap_msg", 1, &r);
        E0(S, X86_UD2, 0);
        return;
    }
    default:
        cg_error(S->cg, "unsupported terminator");
    }
}

/* ---- instructions ---- */

static void sel_alloca(Isel *S, const IrInst *in, bool entry)
{
    uint32_t d = S->vreg[in->result];
    uint64_t n = in->imm, align = in->imm2 ? in->imm2 : 1;
    uint64_t span = ((n + 7) & ~7ull) + YVMRT_REDZONE;
    if (n > ((uint64_t)1 << 36)) {
        /* Never fits a stack: the interpreter's frame space runs out. */
        uint32_t r = int_const(S, YVMRT_TRAP_STACK_OVERFLOW);
        call_rt(S, "__yvm_trap", 1, &r);
        E2(S, X86_MOV, 8, mo_reg(d), mo_imm(0));
        return;
    }
    if (S->escapes[in->result]) {
        /* Its address escapes: from the fake stack, so that it stays dead
         * (and a dangling pointer traps) after the function returns. */
        uint32_t regs[2] = {int_const(S, n), int_const(S, align)};
        call_rt(S, "__yvm_fake_alloca", 2, regs);
        E2(S, X86_MOV, 8, mo_reg(d), mo_reg(XR(X86_RAX)));
        return;
    }
    if (entry && align <= 16) {
        uint32_t slot = mir_slot_new(S->mf, MSLOT_ALLOCA, span, align);
        E2(S, X86_LEA, 8, mo_reg(d), mo_slot(slot, 0));
    } else {
        uint64_t a = align < 16 ? 16 : align;
        uint64_t sz = (span + 15) & ~15ull;
        if (sz > INT32_MAX) {
            cg_error(S->cg, "alloca of %llu bytes is too large", (unsigned long long)n);
            return;
        }
        if (sz >= 4096) {
            /* Touch every page on the way down so the guard page traps. */
            uint32_t cnt = int_const(S, sz / 4096);
            uint32_t loop = new_block(S, false), after = new_block(S, false);
            E1(S, X86_JMP, 0, mo_label(loop));
            S->cur = loop;
            E2(S, X86_SUB, 8, mo_reg(XR(X86_RSP)), mo_imm(4096));
            E2(S, X86_MOV, 8, mo_mem(XR(X86_RSP), MIR_NOREG, 1, 0), mo_imm(0));
            E2(S, X86_SUB, 8, mo_reg(cnt), mo_imm(1));
            MInst *j = E1(S, X86_JCC, 0, mo_label(loop));
            j->cc = X86_CC_NE;
            E1(S, X86_JMP, 0, mo_label(after));
            S->cur = after;
            sz %= 4096;
        }
        if (sz)
            E2(S, X86_SUB, 8, mo_reg(XR(X86_RSP)), mo_imm((int64_t)sz));
        if (a > 16)
            E2(S, X86_AND, 8, mo_reg(XR(X86_RSP)), mo_imm(-(int64_t)a));
        E2(S, X86_MOV, 8, mo_reg(d), mo_reg(XR(X86_RSP)));
    }
    if (span > INT32_MAX) {
        cg_error(S->cg, "alloca of %llu bytes is too large", (unsigned long long)n);
        return;
    }
    uint32_t regs[3] = {d, int_const(S, n), int_const(S, span)};
    call_rt(S, "__yvm_alloca_enter", 3, regs);
}

static void sel_inst(Isel *S, const IrInst *in, bool entry)
{
    IrType t = (IrType)in->type;
    uint32_t d = in->result != IR_NONE ? S->vreg[in->result] : MIR_NOREG;
    switch (ir_op_info[in->op].form) {
    case IR_FORM_BINARY:
        if (is_fl(t)) {
            uint8_t sz = t == IR_F32 ? 4 : 8;
            X86Op xo = in->op == IR_FADD ? X86_ADDS : in->op == IR_FSUB ? X86_SUBS
                     : in->op == IR_FMUL ? X86_MULS : X86_DIVS;
            uint32_t a = reg_of(S, &in->opd[0]), b = reg_of(S, &in->opd[1]);
            E2(S, X86_MOVAPS, 8, mo_reg(d), mo_reg(a));
            E2(S, xo, sz, mo_reg(d), mo_reg(b));
            canon_result(S, in, d, t);
        } else {
            sel_binary_int(S, in);
        }
        return;
    case IR_FORM_UNARY: {
        uint8_t sz = t == IR_F32 ? 4 : 8;
        uint32_t a = in->op == IR_FNEG ? float_bits(S, &in->opd[0]) : reg_of(S, &in->opd[0]);
        if (in->op == IR_FNEG) {
            uint32_t g = int_const(S, t == IR_F32 ? 0x80000000u : 0x8000000000000000ull);
            uint32_t mk = newv(S, MRC_FLOAT);
            E2(S, X86_MOVQ, sz, mo_reg(mk), mo_reg(g));
            E2(S, X86_MOVAPS, 8, mo_reg(d), mo_reg(a));
            E2(S, X86_XORPS, 8, mo_reg(d), mo_reg(mk));
        } else {
            E2(S, X86_SQRTS, sz, mo_reg(d), mo_reg(a));
            canon_result(S, in, d, t);
        }
        return;
    }
    case IR_FORM_ICMP:
        /* A comparison nothing uses (one a proof obligation keeps in the
         * IR, docs/opt.md) costs nothing. */
        if (in->result != IR_NONE && S->nuses[in->result] == 0)
            return;
        setcc(S, d, emit_icmp(S, in));
        return;
    case IR_FORM_FCMP:
        sel_fcmp(S, in, d);
        return;
    case IR_FORM_SELECT: {
        uint32_t c = reg_of(S, &in->opd[0]);
        if (is_fl(t)) {
            uint32_t ga = newv(S, MRC_INT), gb = newv(S, MRC_INT);
            E2(S, X86_MOVQ, 8, mo_reg(ga), mo_reg(reg_of(S, &in->opd[1])));
            E2(S, X86_MOVQ, 8, mo_reg(gb), mo_reg(reg_of(S, &in->opd[2])));
            E2(S, X86_TEST, 4, mo_reg(c), mo_reg(c));
            MInst *cm = E2(S, X86_CMOVCC, 8, mo_reg(gb), mo_reg(ga));
            cm->cc = X86_CC_NE;
            E2(S, X86_MOVQ, 8, mo_reg(d), mo_reg(gb));
        } else {
            uint32_t a = reg_of(S, &in->opd[1]);
            E2(S, X86_MOV, 8, mo_reg(d), rm_of(S, &in->opd[2], 8));
            E2(S, X86_TEST, 4, mo_reg(c), mo_reg(c));
            MInst *cm = E2(S, X86_CMOVCC, 8, mo_reg(d), mo_reg(a));
            cm->cc = X86_CC_NE;
        }
        return;
    }
    case IR_FORM_CONV:
        sel_conv(S, in);
        return;
    case IR_FORM_ALLOCA:
        sel_alloca(S, in, entry);
        return;
    case IR_FORM_LOAD:
        sel_load(S, in);
        return;
    case IR_FORM_STORE:
        sel_store(S, in);
        return;
    case IR_FORM_PTRADD: {
        const IrOperand *p = &in->opd[0], *off = &in->opd[1];
        /* Only used as the address of loads and stores, which fold it. */
        if (S->addr_uses[in->result] == S->nuses[in->result] && folds_into_address(S, in))
            return;
        if (off->kind == IR_OPD_CONST && fits32((int64_t)off->bits)) {
            E2(S, X86_LEA, 8, mo_reg(d), addr_of(S, p, (int64_t)off->bits));
        } else {
            E2(S, X86_MOV, 8, mo_reg(d), mo_reg(reg_of(S, p)));
            E2(S, X86_ADD, 8, mo_reg(d), rm_of(S, off, 8));
        }
        return;
    }
    case IR_FORM_MEMCPY: case IR_FORM_MEMSET: {
        uint32_t regs[3];
        for (int i = 0; i < 3; i++)
            regs[i] = reg_of(S, &in->opd[i]);
        if (in->op == IR_MEMCPY)
            call_rt(S, S->unsafe ? "__yvm_memcpy_unsafe" : "__yvm_memcpy", 3, regs);
        else
            call_rt(S, S->unsafe ? "__yvm_memset_unsafe" : "__yvm_memset", 3, regs);
        return;
    }
    case IR_FORM_CALL: case IR_FORM_CALLIND:
        sel_call(S, in);
        return;
    default:
        cg_error(S->cg, "unsupported instruction '%s'", ir_op_info[in->op].name);
    }
}

/* Whether pointer value V (an alloca's result, or a ptradd from it) may
 * be used after its function returns: any use but the address of a load
 * or store, the base of a ptradd whose result does not escape either, a
 * pointer operand of memcpy/memset, or an icmp. Stored as a value,
 * passed to a call, returned, passed to a block, converted or selected:
 * it escapes. */
static bool escapes(const Isel *S, uint32_t v, int depth)
{
    const IrFunc *f = S->f;
    if (depth > 16)
        return true;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *bl = f->blocks[b];
        for (uint32_t i = 0; i < bl->ninsts; i++) {
            const IrInst *in = &bl->insts[i];
            for (uint32_t k = 0; k < in->ntgt; k++)
                for (uint32_t a = 0; a < in->tgt[k].nargs; a++)
                    if (in->tgt[k].args[a].kind == IR_OPD_VALUE && in->tgt[k].args[a].index == v)
                        return true;
            for (uint32_t k = 0; k < in->nopd; k++) {
                if (in->opd[k].kind != IR_OPD_VALUE || in->opd[k].index != v)
                    continue;
                switch ((IrOpcode)in->op) {
                case IR_LOAD:
                case IR_MEMCPY:
                case IR_MEMSET:
                case IR_ICMP:
                    continue;
                case IR_STORE:
                    if (k == 1)
                        continue;
                    return true;
                case IR_PTRADD:
                    if (k == 0 && !escapes(S, in->result, depth + 1))
                        continue;
                    return true;
                default:
                    return true;
                }
            }
        }
    }
    return false;
}

static void count_uses(Isel *S)
{
    const IrFunc *f = S->f;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *bl = f->blocks[b];
        for (uint32_t i = 0; i < bl->ninsts; i++) {
            const IrInst *in = &bl->insts[i];
            if (in->result != IR_NONE)
                S->def[in->result] = in;
            if (in->op == IR_ALLOCA) {
                S->escapes[in->result] = escapes(S, in->result, 0);
                if (S->escapes[in->result])
                    S->has_fake = true;
                else
                    S->has_allocas = true;
            }
            for (uint32_t k = 0; k < in->nopd; k++)
                if (in->opd[k].kind == IR_OPD_VALUE)
                    S->nuses[in->opd[k].index]++;
            unsigned ap = in->op == IR_LOAD ? 0 : in->op == IR_STORE ? 1 : UINT32_MAX;
            if (ap < in->nopd && in->opd[ap].kind == IR_OPD_VALUE)
                S->addr_uses[in->opd[ap].index]++;
            for (uint32_t k = 0; k < in->ntgt; k++)
                for (uint32_t a = 0; a < in->tgt[k].nargs; a++)
                    if (in->tgt[k].args[a].kind == IR_OPD_VALUE) {
                        S->nuses[in->tgt[k].args[a].index]++;
                    }
            for (uint32_t k = 0; in->op == IR_SELECT && k < in->nopd; k++)
                if (in->opd[k].kind == IR_OPD_VALUE)
                    S->nan_eager[in->opd[k].index] = true;
        }
    }
}

bool x86_isel(CgModule *cg, uint32_t item, MFunc *mf)
{
    const IrFunc *f = cg->m->items[item].func;
    Isel S = {.cg = cg, .m = cg->m, .f = f, .mf = mf};
    S.vreg = malloc((f->nvals + 1) * sizeof *S.vreg);
    S.nuses = calloc(f->nvals + 1, sizeof *S.nuses);
    S.def = calloc(f->nvals + 1, sizeof *S.def);
    S.addr_uses = calloc(f->nvals + 1, sizeof *S.addr_uses);
    S.escapes = calloc(f->nvals + 1, sizeof *S.escapes);
    S.nan_eager = calloc(f->nvals + 1, sizeof *S.nan_eager);
    S.nan_raw_param = calloc(f->nvals + 1, sizeof *S.nan_raw_param);
    S.at_branch = calloc(f->nvals + 1, sizeof *S.at_branch);
    if (!S.vreg || !S.nuses || !S.def || !S.addr_uses || !S.escapes || !S.nan_eager || !S.nan_raw_param ||
        !S.at_branch)
        exit(1);
    S.checks = true;
    S.unsafe = (f->attrs & IR_ATTR_UNSAFE) != 0;
    for (uint32_t v = 0; v < f->nvals; v++)
        S.vreg[v] = mir_vreg_new(mf, cls((IrType)f->vals[v].type));
    count_uses(&S);
    plan_nan_params(&S);
    mf->has_allocas = S.has_allocas;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        uint32_t mb = mir_block_new(mf);
        mf->blocks[mb].group = b;
    }
    /* Parameters. */
    S.cur = 0;
    X86ArgLoc *locs = malloc((f->nparams + 1) * sizeof *locs);
    if (!locs)
        exit(1);
    unsigned nvec;
    x86_abi_args(f->nparams, f->ptypes, locs, &nvec);
    for (uint32_t i = 0; i < f->nparams; i++) {
        IrType t = (IrType)f->ptypes[i];
        uint32_t d = S.vreg[f->params[i]];
        if (locs[i].reg != X86_NOREG)
            E2(&S, is_fl(t) ? X86_MOVAPS : X86_MOV, 8, mo_reg(d), mo_reg(XR(locs[i].reg)));
        else
            E2(&S, is_fl(t) ? X86_MOVSS_SD : X86_MOV, 8, mo_reg(d),
               mo_mem(XR(X86_RBP), MIR_NOREG, 1, 16 + locs[i].stack));
        if (!is_fl(t) && t != IR_I64 && t != IR_PTR)
            normalize(&S, d, t);
    }
    free(locs);
    if (S.has_fake) {
        S.fake_mark = newv(&S, MRC_INT);
        call_rt(&S, "__yvm_fake_enter", 0, NULL);
        E2(&S, X86_MOV, 8, mo_reg(S.fake_mark), mo_reg(XR(X86_RAX)));
    }
    if (S.has_allocas) {
        /* A red zone below the lowest entry alloca (frame.c lays alloca
         * slots out top-down in reverse order, so this one is lowest). */
        uint32_t g = mir_slot_new(mf, MSLOT_ALLOCA, YVMRT_REDZONE, 16);
        uint32_t regs[3] = {newv(&S, MRC_INT), int_const(&S, 0), int_const(&S, YVMRT_REDZONE)};
        E2(&S, X86_LEA, 8, mo_reg(regs[0]), mo_slot(g, 0));
        call_rt(&S, "__yvm_alloca_enter", 3, regs);
    }
    for (uint32_t b = 0; b < f->nblocks && !cg->failed; b++) {
        const IrBlock *bl = f->blocks[b];
        if (b > 0)
            S.cur = b; /* block 0 continues after the parameter code */
        S.group = b;
        const IrInst *pair = mf->opt > 0 ? pair_cond(&S, bl) : NULL;
        for (uint32_t i = 0; i < bl->ninsts && !cg->failed; i++) {
            const IrInst *in = &bl->insts[i];
            if (ir_op_is_terminator((IrOpcode)in->op)) {
                const IrInst *prev = i > 0 ? &bl->insts[i - 1] : NULL;
                bool fuse = in->op == IR_CONDBR && prev && prev->op == IR_ICMP && mf->opt > 0 &&
                            in->opd[0].kind == IR_OPD_VALUE && in->opd[0].index == prev->result &&
                            S.nuses[prev->result] == 1;
                sel_term(&S, in, pair ? pair : prev, fuse || pair);
            } else if (in->result != IR_NONE && S.at_branch[in->result]) {
                continue; /* computed by the condbr (pair_cond) */
            } else {
                bool skip = false;
                if (in->op == IR_ICMP && mf->opt > 0 && i + 1 < bl->ninsts) {
                    const IrInst *nx = &bl->insts[i + 1];
                    skip = nx->op == IR_CONDBR && nx->opd[0].kind == IR_OPD_VALUE &&
                           nx->opd[0].index == in->result && S.nuses[in->result] == 1;
                }
                if (!skip)
                    sel_inst(&S, in, b == 0);
            }
        }
    }
    free(S.vreg);
    free(S.nuses);
    free(S.addr_uses);
    free(S.def);
    free(S.nan_eager);
    free(S.nan_raw_param);
    free(S.at_branch);
    free(S.escapes);
    return !cg->failed;
}
