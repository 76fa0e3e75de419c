/* lower_expr.c - expressions to IR: constants, variables, memory,
 * arithmetic with its checks, conversions, calls, error unions,
 * interpolation and shell commands. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lower.h"

static const char R_OVERFLOW[] = "integer overflow";
static const char R_DIVZERO[] = "division by zero";
static const char R_BOUNDS[] = "out of bounds access";
static const char R_CONV[] = "invalid conversion";
static const char R_SHIFT[] = "shift amount out of range";
static const char R_ALLOC[] = "invalid allocation size";
static const char R_NOMEM[] = "out of memory";

static Val val1(IrOperand a)
{
    Val v = {.n = 1};
    v.v[0] = a;
    return v;
}

static Val val2(IrOperand a, IrOperand b)
{
    Val v = {.n = 2};
    v.v[0] = a;
    v.v[1] = b;
    return v;
}

/* ---- instruction shorthands in the current block ---- */

static IrOperand bin(Lower *L, IrOpcode op, IrType t, IrOperand a, IrOperand b)
{
    return V(L, ir_build_binary(L->m, L->f, L->cur->b, op, t, a, b, NULL));
}

/* Constant operands fold, so that checks the compiler can decide leave
 * nothing behind (check_trap drops a constant false). */
static IrOperand icmp(Lower *L, IrICond c, IrType t, IrOperand a, IrOperand b)
{
    if (a.kind == IR_OPD_CONST && b.kind == IR_OPD_CONST && t != IR_PTR)
        return ir_opd_int(IR_I1, ir_icmp_eval(c, t, a.bits, b.bits));
    return V(L, ir_build_icmp(L->m, L->f, L->cur->b, c, t, a, b, NULL));
}

static IrOperand fcmp(Lower *L, IrFCond c, IrType t, IrOperand a, IrOperand b)
{
    return V(L, ir_build_fcmp(L->m, L->f, L->cur->b, c, t, a, b, NULL));
}

static IrOperand conv(Lower *L, IrOpcode op, IrType from, IrOperand a, IrType to)
{
    return V(L, ir_build_conv(L->m, L->f, L->cur->b, op, from, a, to, NULL));
}

static IrOperand select_(Lower *L, IrType t, IrOperand c, IrOperand a, IrOperand b)
{
    if (c.kind == IR_OPD_CONST)
        return c.bits ? a : b;
    return V(L, ir_build_select(L->m, L->f, L->cur->b, t, c, a, b, NULL));
}

static IrOperand ptradd(Lower *L, IrOperand p, IrOperand off)
{
    if (off.kind == IR_OPD_CONST && off.bits == 0)
        return p;
    return V(L, ir_build_ptradd(L->m, L->f, L->cur->b, p, off, NULL));
}

static IrOperand or1(Lower *L, IrOperand a, IrOperand b)
{
    if (a.kind == IR_OPD_CONST)
        return a.bits ? a : b;
    if (b.kind == IR_OPD_CONST)
        return b.bits ? b : a;
    return bin(L, IR_OR, IR_I1, a, b);
}

static IrOperand and1(Lower *L, IrOperand a, IrOperand b)
{
    if (a.kind == IR_OPD_CONST)
        return a.bits ? b : a;
    if (b.kind == IR_OPD_CONST)
        return b.bits ? a : b;
    return bin(L, IR_AND, IR_I1, a, b);
}

static IrOperand icst(IrType t, int64_t v)
{
    return ir_opd_int(t, (uint64_t)v);
}

static bool is_const_opd(IrOperand o)
{
    return o.kind == IR_OPD_CONST;
}

/* The constant's value read with the type's sign. */
static int64_t const_sval(IrOperand o, unsigned bits)
{
    uint64_t b = o.bits;
    if (bits < 64 && (b >> (bits - 1)) & 1)
        b |= ~UINT64_C(0) << bits;
    return (int64_t)b;
}

/* ---- memory ---- */

Val load_val(Lower *L, const Type *t, IrOperand p)
{
    if (type_is_aggregate(t)) {
        Val v = val1(p);
        v.fresh = false;
        return v;
    }
    if (type_ncomp(t) == 2) {
        IrOperand ptr = V(L, ir_build_load(L->m, L->f, L->cur->b, IR_PTR, p, NULL));
        IrOperand len = V(L, ir_build_load(L->m, L->f, L->cur->b, IR_I64, ptradd(L, p, I64(8)), NULL));
        return val2(ptr, len);
    }
    return val1(V(L, ir_build_load(L->m, L->f, L->cur->b, type_ir(t), p, NULL)));
}

void store_val(Lower *L, const Type *t, Val v, IrOperand p)
{
    if (type_is_aggregate(t)) {
        if (type_size(t))
            ir_build_memcpy(L->m, L->cur->b, p, v.v[0], I64((int64_t)type_size(t)));
        return;
    }
    if (type_ncomp(t) == 2) {
        ir_build_store(L->m, L->cur->b, IR_PTR, v.v[0], p);
        ir_build_store(L->m, L->cur->b, IR_I64, v.v[1], ptradd(L, p, I64(8)));
        return;
    }
    ir_build_store(L->m, L->cur->b, type_ir(t), v.v[0], p);
}

Val copy_agg(Lower *L, const Type *t, Val v)
{
    IrOperand tmp = tmp_alloca(L, type_size(t), type_align(t), NULL);
    store_val(L, t, v, tmp);
    Val r = val1(tmp);
    r.fresh = true;
    return r;
}

/* ---- constants ---- */

static Val const_val(Lower *L, Expr *e)
{
    const Type *t = e->type;
    ConstVal *c = &e->cval;
    if (c->is_str)
        return str_literal(L, c->s, c->ns);
    if (t->kind == TY_BOOL)
        return val1(ir_opd_int(IR_I1, c->i ? 1 : 0));
    if (t->kind == TY_F32)
        return val1(ir_opd_f32((float)(c->is_float ? c->f : (double)c->i)));
    if (t->kind == TY_F64 || t->kind == TY_FLOATLIT)
        return val1(ir_opd_f64(c->is_float ? c->f : (double)c->i));
    return val1(ir_opd_int(type_ir(t), (uint64_t)(unsigned __int128)c->i));
}

/* ---- integers: index values, arithmetic, checks ---- */

IrOperand to_i64(Lower *L, const Type *t, IrOperand v)
{
    IrType it = type_ir(t);
    if (it == IR_I64)
        return v;
    return conv(L, type_is_signed(t) ? IR_SEXT : IR_ZEXT, it, v, IR_I64);
}

static IrOperand mul_checked(Lower *L, const Type *t, IrOperand a, IrOperand b, IrLoc loc)
{
    IrType it = type_ir(t);
    unsigned bits = type_bits(t);
    bool sg = type_is_signed(t);
    if (bits <= 32) {
        IrOperand wa = conv(L, sg ? IR_SEXT : IR_ZEXT, it, a, IR_I64);
        IrOperand wb = conv(L, sg ? IR_SEXT : IR_ZEXT, it, b, IR_I64);
        IrOperand p = bin(L, IR_MUL, IR_I64, wa, wb);
        IrOperand r = conv(L, IR_TRUNC, IR_I64, p, it);
        IrOperand back = conv(L, sg ? IR_SEXT : IR_ZEXT, it, r, IR_I64);
        check_trap(L, icmp(L, IR_ICMP_NE, IR_I64, p, back), R_OVERFLOW, loc);
        return r;
    }
    IrOperand r = bin(L, IR_MUL, IR_I64, a, b);
    if (is_const_opd(a) && !is_const_opd(b)) {
        IrOperand x = a;
        a = b;
        b = x;
    }
    if (is_const_opd(b)) {
        int64_t c = (int64_t)b.bits;
        IrOperand fail;
        if (!sg) {
            uint64_t uc = b.bits;
            if (uc <= 1)
                return r;
            fail = icmp(L, IR_ICMP_UGT, IR_I64, a, I64((int64_t)(UINT64_MAX / uc)));
        } else if (c == 0 || c == 1) {
            return r;
        } else if (c == -1) {
            fail = icmp(L, IR_ICMP_EQ, IR_I64, a, I64(INT64_MIN));
        } else if (c > 1) {
            fail = or1(L, icmp(L, IR_ICMP_SGT, IR_I64, a, I64(INT64_MAX / c)),
                       icmp(L, IR_ICMP_SLT, IR_I64, a, I64(INT64_MIN / c)));
        } else {
            fail = or1(L, icmp(L, IR_ICMP_SLT, IR_I64, a, I64(INT64_MAX / c)),
                       icmp(L, IR_ICMP_SGT, IR_I64, a, I64(INT64_MIN / c)));
        }
        check_trap(L, fail, R_OVERFLOW, loc);
        return r;
    }
    /* Neither constant. Both factors within 32 bits (signed: -2^31 to
     * 2^31 - 1) cannot overflow: one compare each, and only otherwise
     * the exact test, r / a must give b back (a division). */
    IrOperand small =
        sg ? and1(L, icmp(L, IR_ICMP_ULT, IR_I64, bin(L, IR_ADD, IR_I64, a, I64(INT64_C(1) << 31)),
                          I64(INT64_C(1) << 32)),
                  icmp(L, IR_ICMP_ULT, IR_I64, bin(L, IR_ADD, IR_I64, b, I64(INT64_C(1) << 31)),
                       I64(INT64_C(1) << 32)))
           : icmp(L, IR_ICMP_ULT, IR_I64, bin(L, IR_OR, IR_I64, a, b), I64(INT64_C(1) << 32));
    SsaBlock *exact = new_block(L, "mulcheck"), *done = new_block(L, "mulok");
    ssa_condbr(&L->ssa, L->cur, small, done, 0, NULL, exact, 0, NULL);
    ssa_seal(&L->ssa, exact);
    L->cur = exact;
    IrOperand az = icmp(L, IR_ICMP_EQ, IR_I64, a, I64(0));
    IrOperand fail;
    if (sg) {
        IrOperand am1 = icmp(L, IR_ICMP_EQ, IR_I64, a, I64(-1));
        IrOperand special = or1(L, az, am1);
        IrOperand d = select_(L, IR_I64, special, I64(1), a);
        IrOperand q = bin(L, IR_SDIV, IR_I64, r, d);
        IrOperand general = and1(L, bin(L, IR_XOR, IR_I1, special, ir_opd_int(IR_I1, 1)),
                                 icmp(L, IR_ICMP_NE, IR_I64, q, b));
        IrOperand minus = and1(L, am1, icmp(L, IR_ICMP_EQ, IR_I64, b, I64(INT64_MIN)));
        fail = or1(L, general, minus);
    } else {
        IrOperand d = select_(L, IR_I64, az, I64(1), a);
        IrOperand q = bin(L, IR_UDIV, IR_I64, r, d);
        fail = and1(L, bin(L, IR_XOR, IR_I1, az, ir_opd_int(IR_I1, 1)),
                    icmp(L, IR_ICMP_NE, IR_I64, q, b));
    }
    check_trap(L, fail, R_OVERFLOW, loc);
    ssa_br(&L->ssa, L->cur, done, 0, NULL);
    ssa_seal(&L->ssa, done);
    L->cur = done;
    return r;
}

static IrOperand compare(Lower *L, Op op, const Type *t, IrOperand a, IrOperand b,
                         IrOperand a2, IrOperand b2)
{
    if (type_is_float(t)) {
        static const IrFCond fc[] = {
            [OP_EQ] = IR_FCMP_OEQ, [OP_NE] = IR_FCMP_UNE, [OP_LT] = IR_FCMP_OLT,
            [OP_LE] = IR_FCMP_OLE, [OP_GT] = IR_FCMP_OGT, [OP_GE] = IR_FCMP_OGE,
        };
        return fcmp(L, fc[op], type_ir(t), a, b);
    }
    if (t->kind == TY_STR) {
        IrOperand eq = call_ext(L, X_STR_EQ, 4, (IrOperand[]){a, a2, b, b2});
        return icmp(L, op == OP_EQ ? IR_ICMP_NE : IR_ICMP_EQ, IR_I32, eq, I32(0));
    }
    bool sg = type_is_signed(t);
    IrICond c;
    switch (op) {
    case OP_EQ: c = IR_ICMP_EQ; break;
    case OP_NE: c = IR_ICMP_NE; break;
    case OP_LT: c = sg ? IR_ICMP_SLT : IR_ICMP_ULT; break;
    case OP_LE: c = sg ? IR_ICMP_SLE : IR_ICMP_ULE; break;
    case OP_GT: c = sg ? IR_ICMP_SGT : IR_ICMP_UGT; break;
    default: c = sg ? IR_ICMP_SGE : IR_ICMP_UGE; break;
    }
    return icmp(L, c, type_ir(t), a, b);
}

/* a + c or a - c for a constant c overflows exactly when a is beyond one
 * bound: a single compare the code generator fuses with its branch (the
 * general test needs two xors, an and and a sign test). */
static void const_overflow_check(Lower *L, IrType it, unsigned bits, bool sg, IrOperand a,
                                 IrOperand c, bool sub, IrLoc loc)
{
    int64_t smax = bits == 64 ? INT64_MAX : ((int64_t)1 << (bits - 1)) - 1, smin = -smax - 1;
    uint64_t umax = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    IrOperand fail;
    if (!sg) {
        uint64_t uc = c.bits & umax; /* only additions come here */
        if (uc == 0)
            return;
        fail = icmp(L, IR_ICMP_UGT, it, a, icst(it, (int64_t)(umax - uc)));
    } else {
        int64_t v = const_sval(c, bits);
        if (v == 0)
            return;
        if (sub)
            fail = v > 0 ? icmp(L, IR_ICMP_SLT, it, a, icst(it, smin + v))
                         : icmp(L, IR_ICMP_SGT, it, a, icst(it, smax + v));
        else
            fail = v > 0 ? icmp(L, IR_ICMP_SGT, it, a, icst(it, smax - v))
                         : icmp(L, IR_ICMP_SLT, it, a, icst(it, smin - v));
    }
    check_trap(L, fail, R_OVERFLOW, loc);
}

IrOperand binop(Lower *L, Op op, const Type *t, IrOperand a, IrOperand b, IrLoc loc)
{
    IrType it = type_ir(t);
    if (type_is_float(t)) {
        IrOpcode fo = op == OP_ADD ? IR_FADD : op == OP_SUB ? IR_FSUB : op == OP_MUL ? IR_FMUL : IR_FDIV;
        return bin(L, fo, it, a, b);
    }
    bool sg = type_is_signed(t);
    unsigned bits = type_bits(t);
    switch (op) {
    case OP_AND: return bin(L, IR_AND, it, a, b);
    case OP_OR: return bin(L, IR_OR, it, a, b);
    case OP_XOR: return bin(L, IR_XOR, it, a, b);
    case OP_ADDW: return bin(L, IR_ADD, it, a, b);
    case OP_SUBW: return bin(L, IR_SUB, it, a, b);
    case OP_MULW: return bin(L, IR_MUL, it, a, b);
    case OP_ADD: {
        if (is_const_opd(a) && !is_const_opd(b)) {
            IrOperand x = a;
            a = b;
            b = x;
        }
        IrOperand r = bin(L, IR_ADD, it, a, b);
        if (is_const_opd(b) && !is_const_opd(a)) {
            const_overflow_check(L, it, bits, sg, a, b, false, loc);
            return r;
        }
        IrOperand fail = sg ? icmp(L, IR_ICMP_SLT, it,
                                   bin(L, IR_AND, it, bin(L, IR_XOR, it, a, r),
                                       bin(L, IR_XOR, it, b, r)), icst(it, 0))
                            : icmp(L, IR_ICMP_ULT, it, r, a);
        check_trap(L, fail, R_OVERFLOW, loc);
        return r;
    }
    case OP_SUB: {
        IrOperand r = bin(L, IR_SUB, it, a, b);
        if (sg && is_const_opd(b) && !is_const_opd(a)) {
            const_overflow_check(L, it, bits, sg, a, b, true, loc);
            return r;
        }
        IrOperand fail = sg ? icmp(L, IR_ICMP_SLT, it,
                                   bin(L, IR_AND, it, bin(L, IR_XOR, it, a, b),
                                       bin(L, IR_XOR, it, a, r)), icst(it, 0))
                            : icmp(L, IR_ICMP_ULT, it, a, b);
        check_trap(L, fail, R_OVERFLOW, loc);
        return r;
    }
    case OP_MUL:
        return mul_checked(L, t, a, b, loc);
    case OP_DIV:
    case OP_REM: {
        if (!(is_const_opd(b) && b.bits != 0))
            check_trap(L, icmp(L, IR_ICMP_EQ, it, b, icst(it, 0)), R_DIVZERO, loc);
        if (sg && !(is_const_opd(b) && const_sval(b, bits) != -1)) {
            int64_t min = bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
            check_trap(L, and1(L, icmp(L, IR_ICMP_EQ, it, a, icst(it, min)),
                               icmp(L, IR_ICMP_EQ, it, b, icst(it, -1))),
                       R_OVERFLOW, loc);
        }
        IrOpcode o = op == OP_DIV ? (sg ? IR_SDIV : IR_UDIV) : (sg ? IR_SREM : IR_UREM);
        return bin(L, o, it, a, b);
    }
    default:
        return a;
    }
}

IrOperand shift(Lower *L, Op op, const Type *lt, IrOperand a, const Type *rt, IrOperand b,
                IrLoc loc)
{
    IrType it = type_ir(lt), rit = type_ir(rt);
    unsigned width = type_bits(lt);
    if (!is_const_opd(b)) {
        IrOperand b64 = to_i64(L, rt, b);
        check_trap(L, icmp(L, IR_ICMP_UGE, IR_I64, b64, I64(width)), R_SHIFT, loc);
    }
    IrOperand amt = b;
    if (type_bits(rt) > width)
        amt = conv(L, IR_TRUNC, rit, b, it);
    else if (type_bits(rt) < width)
        amt = conv(L, IR_ZEXT, rit, b, it);
    if (is_const_opd(b))
        amt = ir_opd_int(it, b.bits);
    IrOpcode o = op == OP_SHL ? IR_SHL : type_is_signed(lt) ? IR_ASHR : IR_LSHR;
    return bin(L, o, it, a, amt);
}

/* T(x) with the checks that make it total. */
static IrOperand convert(Lower *L, const Type *from, const Type *to, IrOperand v, IrLoc loc)
{
    if (from == to)
        return v;
    IrType fi = type_ir(from), ti = type_ir(to);
    if (type_is_int(from) && type_is_int(to)) {
        unsigned fb = type_bits(from), tb = type_bits(to);
        bool fs = type_is_signed(from), ts = type_is_signed(to);
        IrOperand fail = ir_opd_int(IR_I1, 0);
        if (fs) {
            if (!ts || tb < fb) {
                int64_t lo = ts ? -((int64_t)1 << (tb - 1)) : 0;
                fail = icmp(L, IR_ICMP_SLT, fi, v, icst(fi, lo));
            }
            if (tb < fb || (!ts && tb < fb)) {
                int64_t hi = ts ? (int64_t)((UINT64_C(1) << (tb - 1)) - 1)
                                : (int64_t)((UINT64_C(1) << tb) - 1);
                fail = or1(L, fail, icmp(L, IR_ICMP_SGT, fi, v, icst(fi, hi)));
            }
        } else if (ts ? tb <= fb : tb < fb) {
            uint64_t hi = ts ? (UINT64_C(1) << (tb - 1)) - 1 : (UINT64_C(1) << tb) - 1;
            fail = icmp(L, IR_ICMP_UGT, fi, v, ir_opd_int(fi, hi));
        }
        check_trap(L, fail, R_CONV, loc);
        if (tb < fb)
            return conv(L, IR_TRUNC, fi, v, ti);
        if (tb > fb)
            return conv(L, fs ? IR_SEXT : IR_ZEXT, fi, v, ti);
        return v;
    }
    if (type_is_int(from))
        return conv(L, type_is_signed(from) ? IR_SITOFP : IR_UITOFP, fi, v, ti);
    if (type_is_float(from) && type_is_int(to)) {
        IrOperand d = fi == IR_F32 ? conv(L, IR_FPEXT, IR_F32, v, IR_F64) : v;
        unsigned tb = type_bits(to);
        IrOperand lo_ok, hi_ok;
        if (type_is_signed(to)) {
            double half = ldexp(1.0, (int)tb - 1);
            lo_ok = tb == 64 ? fcmp(L, IR_FCMP_OGE, IR_F64, d, ir_opd_f64(-half))
                             : fcmp(L, IR_FCMP_OGT, IR_F64, d, ir_opd_f64(-half - 1));
            hi_ok = fcmp(L, IR_FCMP_OLT, IR_F64, d, ir_opd_f64(half));
        } else {
            lo_ok = fcmp(L, IR_FCMP_OGT, IR_F64, d, ir_opd_f64(-1.0));
            hi_ok = fcmp(L, IR_FCMP_OLT, IR_F64, d, ir_opd_f64(ldexp(1.0, (int)tb)));
        }
        IrOperand ok = and1(L, lo_ok, hi_ok);
        check_trap(L, bin(L, IR_XOR, IR_I1, ok, ir_opd_int(IR_I1, 1)), R_CONV, loc);
        return conv(L, type_is_signed(to) ? IR_FPTOSI : IR_FPTOUI, IR_F64, d, ti);
    }
    if (fi == IR_F32 && ti == IR_F64)
        return conv(L, IR_FPEXT, fi, v, ti);
    if (fi == IR_F64 && ti == IR_F32)
        return conv(L, IR_FPTRUNC, fi, v, ti);
    return v;
}

/* ---- places ---- */

static const Expr *strip(const Expr *e)
{
    while (e->kind == E_PAREN)
        e = e->paren;
    return e;
}

/* The element address of a[i], after the bounds check. */
static IrOperand elem_addr(Lower *L, Expr *e)
{
    Expr *obj = e->index.obj;
    Type *t = obj->type;
    Val o = lower_expr(L, obj);
    IrOperand base = o.v[0];
    IrOperand len = t->kind == TY_ARRAY ? I64(t->len) : o.v[1];
    Val iv = lower_expr(L, e->index.idx);
    IrOperand i = to_i64(L, e->index.idx->type, iv.v[0]);
    bool known = is_const_opd(i) && t->kind == TY_ARRAY && (int64_t)i.bits >= 0 &&
                 (int64_t)i.bits < t->len;
    if (!known)
        check_trap(L, icmp(L, IR_ICMP_UGE, IR_I64, i, len), R_BOUNDS, e->loc);
    uint64_t es = t->kind == TY_STR ? 1 : type_size(t->elem);
    IrOperand off = es == 1 ? i : is_const_opd(i) ? I64((int64_t)(i.bits * es))
                                                  : bin(L, IR_MUL, IR_I64, i, I64((int64_t)es));
    return ptradd(L, base, off);
}

IrOperand addr_of(Lower *L, Expr *e)
{
    while (e->kind == E_PAREN)
        e = e->paren;
    if (e->kind == E_FIELD) {
        Val o = lower_expr(L, e->field.obj);
        const StructDecl *sd = e->field.obj->type->sd;
        return ptradd(L, o.v[0], I64((int64_t)sd->fields.v[e->field.index].offset));
    }
    if (e->kind == E_INDEX)
        return elem_addr(L, e);
    /* An aggregate value: its memory. */
    return lower_expr(L, e).v[0];
}

static Val lower_slice(Lower *L, Expr *e)
{
    Expr *obj = e->slice.obj;
    Type *t = obj->type;
    Val o = lower_expr(L, obj);
    IrOperand base = o.v[0];
    IrOperand len = t->kind == TY_ARRAY ? I64(t->len) : o.v[1];
    IrOperand lo = I64(0), hi = len;
    if (e->slice.lo)
        lo = to_i64(L, e->slice.lo->type, lower_expr(L, e->slice.lo).v[0]);
    if (e->slice.hi)
        hi = to_i64(L, e->slice.hi->type, lower_expr(L, e->slice.hi).v[0]);
    if (e->slice.lo || e->slice.hi) {
        IrOperand fail = or1(L, icmp(L, IR_ICMP_UGT, IR_I64, hi, len),
                             icmp(L, IR_ICMP_UGT, IR_I64, lo, hi));
        check_trap(L, fail, R_BOUNDS, e->loc);
    }
    uint64_t es = t->kind == TY_STR ? 1 : type_size(t->elem);
    IrOperand off = es == 1 ? lo : bin(L, IR_MUL, IR_I64, lo, I64((int64_t)es));
    IrOperand p = ptradd(L, base, off);
    IrOperand n = e->slice.lo ? bin(L, IR_SUB, IR_I64, hi, lo) : hi;
    return val2(p, n);
}

/* ---- strings ---- */

/* The values of a string's {expr} pieces, computed before any runtime
 * buffer exists: an expression may trap, and no C object must be live
 * then (it would never be freed). */
static Val *part_values(Lower *L, StrParts *parts)
{
    Val *vals = arena_alloc(&L->c->arena, sizeof *vals * (parts->n + 1));
    for (uint32_t i = 0; i < parts->n; i++)
        if (parts->v[i].expr)
            vals[i] = lower_expr(L, parts->v[i].expr);
    return vals;
}

static void append_part(Lower *L, IrOperand sb, StrPart *p, Val v)
{
    if (!p->expr) {
        if (!p->nbytes)
            return;
        Val s = str_literal(L, p->bytes, p->nbytes);
        call_ext(L, X_FMT_STR, 4, (IrOperand[]){sb, s.v[0], s.v[1], I32(-1)});
        return;
    }
    Type *t = p->expr->type;
    IrOperand w = I32(p->width);
    if (t->kind == TY_STR) {
        call_ext(L, X_FMT_STR, 4, (IrOperand[]){sb, v.v[0], v.v[1], w});
    } else if (t->kind == TY_BOOL) {
        IrOperand b = conv(L, IR_ZEXT, IR_I1, v.v[0], IR_I32);
        call_ext(L, X_FMT_BOOL, 3, (IrOperand[]){sb, b, w});
    } else if (type_is_float(t)) {
        IrOperand d = t->kind == TY_F32 ? conv(L, IR_FPEXT, IR_F32, v.v[0], IR_F64) : v.v[0];
        int32_t flags = (t->kind == TY_F32 ? 4 : 0) | (p->zero ? 2 : 0);
        call_ext(L, X_FMT_FLOAT, 5, (IrOperand[]){sb, d, I32(p->prec), w, I32(flags)});
    } else {
        IrOperand x = to_i64(L, t, v.v[0]);
        int32_t flags = (type_is_signed(t) ? 0 : 1) | (p->zero ? 2 : 0) |
                        (int32_t)(type_bits(t) << 8) | ((int32_t)(unsigned char)p->conv << 16);
        call_ext(L, X_FMT_INT, 4, (IrOperand[]){sb, x, I32(flags), w});
    }
}

static IrOperand fill_buf(Lower *L, StrParts *parts, const Val *vals)
{
    IrOperand sb = call_ext(L, X_BUF_NEW, 0, NULL);
    for (uint32_t i = 0; i < parts->n; i++)
        append_part(L, sb, &parts->v[i], vals[i]);
    return sb;
}

static IrOperand build_buf(Lower *L, StrParts *parts)
{
    return fill_buf(L, parts, part_values(L, parts));
}

/* The buffer's bytes as a new str in the program's own memory. */
static Val buf_to_str(Lower *L, IrOperand sb)
{
    IrOperand n = call_ext(L, X_BUF_LEN, 1, &sb);
    IrOperand n1 = bin(L, IR_ADD, IR_I64, n, I64(1));
    IrOperand p = call_ext(L, X_MALLOC, 1, &n1);
    call_ext(L, X_BUF_FINISH, 2, (IrOperand[]){sb, p});
    return val2(p, n);
}

void free_temps(Lower *L, uint32_t mark)
{
    for (uint32_t i = mark; i < L->temps.n; i++) {
        IrOperand p = V(L, L->temps.v[i]);
        call_ext(L, X_FREE, 1, &p);
    }
    L->temps.n = mark;
}

/* ---- shell commands ---- */

Val lower_shell(Lower *L, Expr *e, bool capture)
{
    Val **vals = arena_alloc(&L->c->arena, sizeof *vals * (e->shell.n + 1));
    for (uint32_t i = 0; i < e->shell.n; i++)
        if (e->shell.v[i].kind == SH_WORD)
            vals[i] = part_values(L, &e->shell.v[i].parts);
    IrOperand h = call_ext(L, X_SH_NEW, 0, NULL);
    for (uint32_t i = 0; i < e->shell.n; i++) {
        ShellItem *it = &e->shell.v[i];
        if (it->kind == SH_WORD) {
            IrOperand sb = fill_buf(L, &it->parts, vals[i]);
            call_ext(L, X_SH_WORD, 2, (IrOperand[]){h, sb});
        } else {
            call_ext(L, X_SH_OP, 2, (IrOperand[]){h, I32((int32_t)it->kind)});
        }
    }
    IrOperand rc = call_ext(L, X_SH_RUN, 2, (IrOperand[]){h, I32(capture)});
    Val r = {0};
    if (capture) {
        IrOperand tmp = tmp_alloca(L, 40, 8, "proc");
        for (int which = 1; which <= 2; which++) {
            IrOperand n = call_ext(L, X_SH_OUT_LEN, 2, (IrOperand[]){h, I32(which)});
            IrOperand n1 = bin(L, IR_ADD, IR_I64, n, I64(1));
            IrOperand p = call_ext(L, X_MALLOC, 1, &n1);
            call_ext(L, X_SH_OUT_COPY, 3, (IrOperand[]){h, I32(which), p});
            store_val(L, type_prim(L->c, TY_STR), val2(p, n), ptradd(L, tmp, I64(16 * (which - 1))));
        }
        ir_build_store(L->m, L->cur->b, IR_I32, rc, ptradd(L, tmp, I64(32)));
        r = val1(tmp);
        r.fresh = true;
    }
    call_ext(L, X_SH_FREE, 1, &h);
    return r;
}

/* ---- calls ---- */

/* Does fn keep its str parameter `param` beyond the call (store it,
 * return it, slice it)? If not, an interpolated string passed to it can
 * be freed right after the call. Conservative: unknown means yes. */
static bool expr_keeps(Lower *L, const Expr *e, const Local *p);

static bool keeps_in_parts(Lower *L, const StrParts *parts, const Local *p)
{
    for (uint32_t i = 0; i < parts->n; i++) {
        const Expr *x = parts->v[i].expr;
        if (x && strip(x)->kind != E_NAME && expr_keeps(L, x, p))
            return true;
    }
    return false;
}

static bool is_param_ref(const Expr *e, const Local *p)
{
    e = strip(e);
    return e->kind == E_NAME && e->name.sym.kind == SYM_LOCAL && e->name.sym.local == p;
}

static bool fn_keeps(Lower *L, FnDecl *fn, uint32_t i);

static bool expr_keeps(Lower *L, const Expr *e, const Local *p)
{
    if (!e)
        return false;
    switch (e->kind) {
    case E_NAME:
        return is_param_ref(e, p);
    case E_PAREN:
        return expr_keeps(L, e->paren, p);
    case E_STR:
        return keeps_in_parts(L, &e->str, p);
    case E_FIELD:
        return expr_keeps(L, e->field.obj, p);
    case E_INDEX:
        return (!is_param_ref(e->index.obj, p) && expr_keeps(L, e->index.obj, p)) ||
               expr_keeps(L, e->index.idx, p);
    case E_SLICE:
        return expr_keeps(L, e->slice.obj, p) || expr_keeps(L, e->slice.lo, p) ||
               expr_keeps(L, e->slice.hi, p);
    case E_CALL:
        for (uint32_t i = 0; i < e->call.args.n; i++) {
            const Expr *a = e->call.args.v[i];
            if (is_param_ref(a, p)) {
                if (e->call.builtin != BI_NONE)
                    continue;
                if (e->call.fn && !fn_keeps(L, e->call.fn, i))
                    continue;
                return true;
            }
            if (expr_keeps(L, a, p))
                return true;
        }
        return false;
    case E_UNARY:
        return expr_keeps(L, e->unary.e, p);
    case E_BINARY:
        if ((e->binary.op == OP_EQ || e->binary.op == OP_NE) &&
            (is_param_ref(e->binary.l, p) || is_param_ref(e->binary.r, p)))
            return (!is_param_ref(e->binary.l, p) && expr_keeps(L, e->binary.l, p)) ||
                   (!is_param_ref(e->binary.r, p) && expr_keeps(L, e->binary.r, p));
        return expr_keeps(L, e->binary.l, p) || expr_keeps(L, e->binary.r, p);
    case E_STRUCTLIT:
        for (uint32_t i = 0; i < e->slit.inits.n; i++)
            if (expr_keeps(L, e->slit.inits.v[i].value, p))
                return true;
        return false;
    case E_ARRAYLIT:
        for (uint32_t i = 0; i < e->alit.n; i++)
            if (expr_keeps(L, e->alit.v[i], p))
                return true;
        return false;
    case E_ARRAYREP:
        return expr_keeps(L, e->arep.val, p);
    case E_ALLOC:
        return expr_keeps(L, e->alloc.count, p);
    case E_TRY:
        return expr_keeps(L, e->try_.e, p);
    case E_CATCH:
        return expr_keeps(L, e->catch_.e, p) || expr_keeps(L, e->catch_.dflt, p);
    case E_SHELL:
        for (uint32_t i = 0; i < e->shell.n; i++)
            if (keeps_in_parts(L, &e->shell.v[i].parts, p))
                return true;
        return false;
    default:
        return false;
    }
}

static bool block_keeps(Lower *L, const Block *b, const Local *p);

static bool stmt_keeps(Lower *L, const Stmt *s, const Local *p)
{
    switch (s->kind) {
    case S_LET: return expr_keeps(L, s->let.init, p);
    case S_ASSIGN: return expr_keeps(L, s->assign.lhs, p) || expr_keeps(L, s->assign.rhs, p);
    case S_EXPR: return expr_keeps(L, s->expr, p);
    case S_IF:
        return expr_keeps(L, s->if_.cond, p) || block_keeps(L, &s->if_.then, p) ||
               (s->if_.els && stmt_keeps(L, s->if_.els, p));
    case S_WHILE: return expr_keeps(L, s->while_.cond, p) || block_keeps(L, &s->while_.body, p);
    case S_FOR_RANGE:
        return expr_keeps(L, s->for_.lo, p) || expr_keeps(L, s->for_.hi, p) ||
               block_keeps(L, &s->for_.body, p);
    case S_FOR_EACH:
        return (!is_param_ref(s->for_.seq, p) && expr_keeps(L, s->for_.seq, p)) ||
               block_keeps(L, &s->for_.body, p);
    case S_RETURN: return expr_keeps(L, s->ret.value, p);
    case S_BLOCK: return block_keeps(L, &s->block, p);
    default: return false;
    }
}

static bool block_keeps(Lower *L, const Block *b, const Local *p)
{
    for (uint32_t i = 0; i < b->stmts.n; i++)
        if (stmt_keeps(L, b->stmts.v[i], p))
            return true;
    return false;
}

static bool fn_keeps(Lower *L, FnDecl *fn, uint32_t i)
{
    if (fn->is_extern)
        return false;
    if (!fn->keeps) {
        fn->keeps = arena_alloc(&L->c->arena, fn->params.n + 1);
    }
    uint8_t *st = &fn->keeps[i];
    if (*st == 1 || *st == 3)
        return true;
    if (*st == 2)
        return false;
    *st = 1; /* in progress: a recursive use counts as keeping */
    bool k = block_keeps(L, &fn->body, fn->params.v[i].local);
    *st = k ? 3 : 2;
    return k;
}

static uint32_t push_args(Lower *L, FnDecl *fn, Expr *e, IrOperand *ops, uint32_t n)
{
    for (uint32_t i = 0; i < e->call.args.n; i++) {
        Expr *a = e->call.args.v[i];
        Type *pt = fn->params.v[i].type;
        Val v = lower_expr(L, a);
        if (type_is_aggregate(pt)) {
            if (!v.fresh)
                v = copy_agg(L, pt, v);
            ops[n++] = v.v[0];
        } else if (type_ncomp(pt) == 2) {
            ops[n++] = v.v[0];
            ops[n++] = v.v[1];
            const Expr *s = strip(a);
            if (pt->kind == TY_STR && s->kind == E_STR && !s->is_const &&
                v.v[0].kind == IR_OPD_VALUE && !fn_keeps(L, fn, i))
                VEC_PUSH(&L->c->arena, L->temps, v.v[0].index);
        } else {
            ops[n++] = v.v[0];
        }
    }
    return n;
}

static uint32_t nargs_of(FnDecl *fn)
{
    uint32_t n = 1;
    for (uint32_t i = 0; i < fn->params.n; i++)
        n += type_ncomp(fn->params.v[i].type) == 2 ? 2 : 1;
    return n;
}

/* std.math's sqrt is the IR's `fsqrt`: correctly rounded as C's sqrt,
 * with no call, so float values live across it stay in registers (every
 * SSE register is caller-saved). A NaN result is the canonical NaN. */
static bool is_math_sqrt(const FnDecl *fn)
{
    return fn->is_extern && fn->mod && fn->mod->is_std && fn->mod->path &&
           strcmp(fn->mod->path, "std.math") == 0 && strcmp(fn->name, "sqrt") == 0;
}

static Val lower_call(Lower *L, Expr *e)
{
    if (e->call.conv) {
        Expr *x = e->call.args.v[0];
        Val v = lower_expr(L, x);
        return val1(convert(L, x->type, e->call.conv, v.v[0], e->loc));
    }
    if (e->call.builtin == BI_LEN) {
        Expr *x = e->call.args.v[0];
        Val v = lower_expr(L, x);
        if (x->type->kind == TY_ARRAY)
            return val1(I64(x->type->len));
        return val1(v.v[1]);
    }
    FnDecl *fn = e->call.fn;
    if (is_math_sqrt(fn)) {
        Val v = lower_expr(L, e->call.args.v[0]);
        return val1(V(L, ir_build_unary(L->m, L->f, L->cur->b, IR_FSQRT, IR_F64, v.v[0], NULL)));
    }
    IrOperand *ops = arena_alloc(&L->c->arena, sizeof *ops * (nargs_of(fn) + 1));
    uint32_t n = 0;
    IrOperand out = {0};
    bool mem = !fn->is_extern && ret_in_memory(fn->ret);
    if (mem) {
        out = tmp_alloca(L, type_size(fn->ret), type_align(fn->ret), NULL);
        ops[n++] = out;
    }
    uint32_t mark = L->temps.n;
    n = push_args(L, fn, e, ops, n);
    uint32_t r = ir_build_call(L->m, L->f, L->cur->b, fn->item, n, ops, NULL);
    free_temps(L, mark);
    if (fn->ret->kind == TY_VOID)
        return (Val){0};
    if (!mem)
        return val1(V(L, r));
    Val v = load_val(L, fn->ret, out);
    v.fresh = type_is_aggregate(fn->ret);
    return v;
}

ErrVal lower_errunion(Lower *L, Expr *e, const IrOperand *slot)
{
    while (e->kind == E_PAREN)
        e = e->paren;
    ErrVal ev = {0};
    const Type *elem = e->type->elem;
    ev.slot = slot ? *slot : tmp_alloca(L, type_size(elem), type_align(elem), NULL);
    if (e->call.builtin == BI_PARSE_I64 || e->call.builtin == BI_PARSE_F64) {
        Val s = lower_expr(L, e->call.args.v[0]);
        bool i64 = e->call.builtin == BI_PARSE_I64;
        IrOperand rc = call_ext(L, i64 ? X_PARSE_I64 : X_PARSE_F64, 3,
                                (IrOperand[]){s.v[0], s.v[1], ev.slot});
        IrOperand inv = I32(error_code(L->c, "InvalidNumber"));
        IrOperand bad = inv;
        if (i64)
            bad = select_(L, IR_I32, icmp(L, IR_ICMP_EQ, IR_I32, rc, I32(2)),
                          I32(error_code(L->c, "Overflow")), inv);
        ev.code = select_(L, IR_I32, icmp(L, IR_ICMP_EQ, IR_I32, rc, I32(0)), I32(0), bad);
        return ev;
    }
    if (e->call.builtin == BI_READ_ALL) {
        IrOperand h = call_ext(L, X_READ_ALL, 0, NULL);
        IrOperand failed = call_ext(L, X_BUF_FAILED, 1, &h);
        Val s = buf_to_str(L, h);
        store_val(L, type_prim(L->c, TY_STR), s, ev.slot);
        ev.code = select_(L, IR_I32, icmp(L, IR_ICMP_NE, IR_I32, failed, I32(0)),
                          I32(error_code(L->c, "ReadFailed")), I32(0));
        return ev;
    }
    FnDecl *fn = e->call.fn;
    IrOperand *ops = arena_alloc(&L->c->arena, sizeof *ops * (nargs_of(fn) + 1));
    uint32_t n = 0;
    ops[n++] = ev.slot;
    uint32_t mark = L->temps.n;
    n = push_args(L, fn, e, ops, n);
    ev.code = V(L, ir_build_call(L->m, L->f, L->cur->b, fn->item, n, ops, NULL));
    free_temps(L, mark);
    return ev;
}

static Val lower_try(Lower *L, Expr *e)
{
    ErrVal ev = lower_errunion(L, e->try_.e, NULL);
    SsaBlock *ok = new_block(L, "try.ok");
    SsaBlock *fail = new_block(L, "try.fail");
    IrOperand isok = icmp(L, IR_ICMP_EQ, IR_I32, ev.code, I32(0));
    ssa_condbr(&L->ssa, L->cur, isok, ok, 0, NULL, fail, 0, NULL);
    ssa_seal(&L->ssa, ok);
    ssa_seal(&L->ssa, fail);
    L->cur = fail;
    emit_frees(L, 0);
    ssa_ret(&L->ssa, fail, &ev.code);
    L->cur = ok;
    Val v = load_val(L, e->type, ev.slot);
    v.fresh = type_is_aggregate(e->type);
    return v;
}

static void comp_types(const Type *t, IrType out[2])
{
    if (type_is_aggregate(t)) {
        out[0] = IR_PTR;
    } else if (type_ncomp(t) == 2) {
        out[0] = IR_PTR;
        out[1] = IR_I64;
    } else {
        out[0] = type_ir(t);
    }
}

static Val lower_catch(Lower *L, Expr *e)
{
    const Type *t = e->type;
    ErrVal ev = lower_errunion(L, e->catch_.e, NULL);
    SsaBlock *ok = new_block(L, "catch.ok");
    SsaBlock *bad = new_block(L, "catch.err");
    SsaBlock *join = new_block(L, "catch.end");
    IrType ct[2];
    comp_types(t, ct);
    unsigned nc = type_is_aggregate(t) ? 1 : type_ncomp(t);
    Val r = {.n = (uint8_t)nc};
    for (unsigned i = 0; i < nc; i++)
        r.v[i] = V(L, ir_block_add_param(L->m, L->f, join->b, ct[i], NULL));
    IrOperand isok = icmp(L, IR_ICMP_EQ, IR_I32, ev.code, I32(0));
    ssa_condbr(&L->ssa, L->cur, isok, ok, 0, NULL, bad, 0, NULL);
    ssa_seal(&L->ssa, ok);
    ssa_seal(&L->ssa, bad);
    L->cur = ok;
    Val v1 = load_val(L, t, ev.slot);
    ssa_br(&L->ssa, L->cur, join, nc, v1.v);
    L->cur = bad;
    Val v2 = lower_expr(L, e->catch_.dflt);
    ssa_br(&L->ssa, L->cur, join, nc, v2.v);
    ssa_seal(&L->ssa, join);
    L->cur = join;
    return r;
}

static Val lower_logic(Lower *L, Expr *e)
{
    bool is_and = e->binary.op == OP_ANDAND;
    Val a = lower_expr(L, e->binary.l);
    SsaBlock *rhs = new_block(L, is_and ? "and" : "or");
    SsaBlock *join = new_block(L, is_and ? "and.end" : "or.end");
    IrOperand r = V(L, ir_block_add_param(L->m, L->f, join->b, IR_I1, NULL));
    IrOperand shortv = ir_opd_int(IR_I1, is_and ? 0 : 1);
    if (is_and)
        ssa_condbr(&L->ssa, L->cur, a.v[0], rhs, 0, NULL, join, 1, &shortv);
    else
        ssa_condbr(&L->ssa, L->cur, a.v[0], join, 1, &shortv, rhs, 0, NULL);
    ssa_seal(&L->ssa, rhs);
    L->cur = rhs;
    Val b = lower_expr(L, e->binary.r);
    ssa_br(&L->ssa, L->cur, join, 1, b.v);
    ssa_seal(&L->ssa, join);
    L->cur = join;
    return val1(r);
}

static Val lower_alloc(Lower *L, Expr *e)
{
    Expr *cnt = e->alloc.count;
    const Type *et = e->type->elem;
    uint64_t es = type_size(et);
    IrOperand n = to_i64(L, cnt->type, lower_expr(L, cnt).v[0]);
    IrOperand fail = type_is_signed(cnt->type) || type_bits(cnt->type) == 64
                         ? icmp(L, IR_ICMP_SLT, IR_I64, n, I64(0))
                         : ir_opd_int(IR_I1, 0);
    if (es > 1)
        fail = or1(L, fail, icmp(L, IR_ICMP_SGT, IR_I64, n, I64((int64_t)(INT64_MAX / (int64_t)es))));
    check_trap(L, fail, R_ALLOC, e->loc);
    IrOperand n1 = select_(L, IR_I64, icmp(L, IR_ICMP_EQ, IR_I64, n, I64(0)), I64(1), n);
    IrOperand p = call_ext(L, X_CALLOC, 2, (IrOperand[]){n1, I64(es ? (int64_t)es : 1)});
    IrOperand ok = call_ext(L, X_NONNULL, 1, &p);
    check_trap(L, icmp(L, IR_ICMP_EQ, IR_I32, ok, I32(0)), R_NOMEM, e->loc);
    return val2(p, n);
}

static Val lower_arrayrep(Lower *L, Expr *e)
{
    const Type *t = e->type, *et = t->elem;
    uint64_t es = type_size(et), n = (uint64_t)e->arep.n;
    IrOperand tmp = tmp_alloca(L, type_size(t), type_align(t), NULL);
    Val v = lower_expr(L, e->arep.val);
    Val r = val1(tmp);
    r.fresh = true;
    if (n == 0 || es == 0)
        return r;
    if (!type_is_aggregate(et) && type_ncomp(et) == 1 && is_const_opd(v.v[0]) &&
        (v.v[0].bits == 0 || es == 1)) {
        ir_build_memset(L->m, L->cur->b, tmp, ir_opd_int(IR_I8, v.v[0].bits & 0xff),
                        I64((int64_t)(n * es)));
        return r;
    }
    store_val(L, et, v, tmp);
    for (uint64_t done = 1; done < n;) {
        uint64_t k = done < n - done ? done : n - done;
        ir_build_memcpy(L->m, L->cur->b, ptradd(L, tmp, I64((int64_t)(done * es))), tmp,
                        I64((int64_t)(k * es)));
        done += k;
    }
    return r;
}

Val lower_expr(Lower *L, Expr *e)
{
    Type *t = e->type;
    if (e->is_const && !type_is_aggregate(t))
        return const_val(L, e);
    switch (e->kind) {
    case E_PAREN:
        return lower_expr(L, e->paren);
    case E_NAME: {
        Local *l = e->name.sym.local;
        if (type_is_aggregate(l->type))
            return val1(l->storage);
        Val v = {.n = (uint8_t)type_ncomp(l->type)};
        for (unsigned i = 0; i < v.n; i++)
            v.v[i] = ssa_read(&L->ssa, l->var[i], L->cur);
        return v;
    }
    case E_FIELD:
    case E_INDEX: {
        IrOperand p = addr_of(L, e);
        if (e->kind == E_INDEX && e->index.obj->type->kind == TY_STR)
            return val1(V(L, ir_build_load(L->m, L->f, L->cur->b, IR_I8, p, NULL)));
        return load_val(L, t, p);
    }
    case E_SLICE:
        return lower_slice(L, e);
    case E_CALL:
        return lower_call(L, e);
    case E_UNARY: {
        Val x = lower_expr(L, e->unary.e);
        IrType it = type_ir(t);
        switch (e->unary.op) {
        case OP_NEG:
            if (type_is_float(t))
                return val1(V(L, ir_build_unary(L->m, L->f, L->cur->b, IR_FNEG, it, x.v[0], NULL)));
            return val1(binop(L, OP_SUB, t, icst(it, 0), x.v[0], e->loc));
        case OP_NOT:
            return val1(bin(L, IR_XOR, IR_I1, x.v[0], ir_opd_int(IR_I1, 1)));
        default:
            return val1(bin(L, IR_XOR, it, x.v[0], icst(it, -1)));
        }
    }
    case E_BINARY: {
        Op op = e->binary.op;
        if (op == OP_ANDAND || op == OP_OROR)
            return lower_logic(L, e);
        Val a = lower_expr(L, e->binary.l);
        Val b = lower_expr(L, e->binary.r);
        const Type *ot = e->binary.l->type;
        if (op == OP_SHL || op == OP_SHR)
            return val1(shift(L, op, ot, a.v[0], e->binary.r->type, b.v[0], e->loc));
        if (op >= OP_EQ && op <= OP_GE)
            return val1(compare(L, op, ot, a.v[0], b.v[0], a.v[1], b.v[1]));
        return val1(binop(L, op, ot, a.v[0], b.v[0], e->loc));
    }
    case E_STRUCTLIT: {
        StructDecl *sd = e->slit.sd;
        IrOperand tmp = tmp_alloca(L, sd->size, sd->align, NULL);
        for (uint32_t i = 0; i < e->slit.inits.n; i++) {
            FieldInit *fi = &e->slit.inits.v[i];
            FieldDecl *fd = &sd->fields.v[fi->index];
            Val v = lower_expr(L, fi->value);
            store_val(L, fd->type, v, ptradd(L, tmp, I64((int64_t)fd->offset)));
        }
        Val r = val1(tmp);
        r.fresh = true;
        return r;
    }
    case E_ARRAYLIT: {
        IrOperand tmp = tmp_alloca(L, type_size(t), type_align(t), NULL);
        uint64_t es = type_size(t->elem);
        for (uint32_t i = 0; i < e->alit.n; i++) {
            Val v = lower_expr(L, e->alit.v[i]);
            store_val(L, t->elem, v, ptradd(L, tmp, I64((int64_t)(i * es))));
        }
        Val r = val1(tmp);
        r.fresh = true;
        return r;
    }
    case E_ARRAYREP:
        return lower_arrayrep(L, e);
    case E_STR:
        return buf_to_str(L, build_buf(L, &e->str));
    case E_TRY:
        return lower_try(L, e);
    case E_CATCH:
        return lower_catch(L, e);
    case E_SHELL:
        return lower_shell(L, e, true);
    case E_ALLOC:
        return lower_alloc(L, e);
    default:
        return (Val){0};
    }
}
