/* encode.c - Yvm integer semantics and rule expressions in Z3's
 * bit-vector theory (encode.h).
 *
 * The meaning of each instruction, from spec/yvm-ir.md and the brief:
 *   add sub mul        wrap (two's complement)
 *   udiv urem          trap (division by zero) when b == 0
 *   sdiv srem          trap (division by zero) when b == 0, and
 *                      (integer overflow) when a == MIN and b == -1;
 *                      sdiv truncates, srem takes the dividend's sign
 *   and or xor         bitwise
 *   shl lshr ashr      the amount is b modulo the width (i1: always 0)
 *   addc subc mulc     trap (integer overflow) on signed overflow
 *   addcu subcu mulcu  trap (integer overflow) on unsigned overflow
 *   icmp               i1 result, all ten predicates
 *   select             c ? a : b (c is i1)
 *   zext sext trunc    widen / narrow
 * Nothing else exists: no undef, no poison.
 */
#include "encode.h"

#include <stdio.h>
#include <string.h>

const char *trap_kind_reason(TrapKind k)
{
    switch (k) {
    case TRAP_DIV_ZERO: return "division by zero";
    case TRAP_OVERFLOW: return "integer overflow";
    default: return "none";
    }
}

/* Z3 must never exit the process: errors are recorded by smt_ok. */
static void ignore_z3_error(Z3_context c, Z3_error_code e)
{
    (void)c;
    (void)e;
}

bool smt_init(Smt *s)
{
    memset(s, 0, sizeof *s);
    Z3_config cfg = Z3_mk_config();
    if (!cfg)
        return false;
    s->c = Z3_mk_context(cfg);
    Z3_del_config(cfg);
    if (!s->c)
        return false;
    Z3_set_error_handler(s->c, ignore_z3_error);
    return true;
}

void smt_fini(Smt *s)
{
    if (s && s->c)
        Z3_del_context(s->c);
    s->c = NULL;
}

Z3_ast smt_ok(Smt *s, Z3_ast a)
{
    Z3_error_code e = Z3_get_error_code(s->c);
    if (e == Z3_OK && a)
        return a;
    if (!s->failed) {
        s->failed = true;
        const char *msg = e == Z3_OK ? "a Z3 call returned nothing" : Z3_get_error_msg(s->c, e);
        snprintf(s->why, sizeof s->why, "%s", msg ? msg : "unknown Z3 error");
    }
    return NULL;
}

static Z3_sort bv_sort(Smt *s, unsigned bits)
{
    if (s->failed)
        return NULL;
    Z3_sort t = Z3_mk_bv_sort(s->c, bits);
    return smt_ok(s, (Z3_ast)t) ? t : NULL;
}

Z3_ast smt_bv(Smt *s, uint64_t v, unsigned bits)
{
    if (bits < 64)
        v &= (UINT64_C(1) << bits) - 1;
    Z3_sort t = bv_sort(s, bits);
    return SMT(s, Z3_mk_unsigned_int64(s->c, v, t));
}

Z3_ast smt_var(Smt *s, const char *name, unsigned bits)
{
    Z3_sort t = bv_sort(s, bits);
    Z3_symbol sym = s->failed ? NULL : Z3_mk_string_symbol(s->c, name);
    return SMT(s, Z3_mk_const(s->c, sym, t));
}

/* ---- small term builders (each checked) ---- */

static Z3_ast eq(Smt *s, Z3_ast a, Z3_ast b) { return SMT(s, Z3_mk_eq(s->c, a, b)); }
static Z3_ast not_(Smt *s, Z3_ast a) { return SMT(s, Z3_mk_not(s->c, a)); }
static Z3_ast ite(Smt *s, Z3_ast c, Z3_ast a, Z3_ast b) { return SMT(s, Z3_mk_ite(s->c, c, a, b)); }
static Z3_ast implies(Smt *s, Z3_ast a, Z3_ast b) { return SMT(s, Z3_mk_implies(s->c, a, b)); }
static Z3_ast true_(Smt *s) { return SMT(s, Z3_mk_true(s->c)); }
static Z3_ast false_(Smt *s) { return SMT(s, Z3_mk_false(s->c)); }

static Z3_ast and2(Smt *s, Z3_ast a, Z3_ast b)
{
    if (s->failed)
        return NULL;
    Z3_ast args[2] = {a, b};
    return smt_ok(s, Z3_mk_and(s->c, 2, args));
}

static Z3_ast or2(Smt *s, Z3_ast a, Z3_ast b)
{
    if (s->failed)
        return NULL;
    Z3_ast args[2] = {a, b};
    return smt_ok(s, Z3_mk_or(s->c, 2, args));
}

static Z3_ast extract(Smt *s, unsigned hi, unsigned lo, Z3_ast a)
{
    return SMT(s, Z3_mk_extract(s->c, hi, lo, a));
}

static Z3_ast zext(Smt *s, unsigned extra, Z3_ast a)
{
    return extra ? SMT(s, Z3_mk_zero_ext(s->c, extra, a)) : a;
}

static Z3_ast sext(Smt *s, unsigned extra, Z3_ast a)
{
    return extra ? SMT(s, Z3_mk_sign_ext(s->c, extra, a)) : a;
}

/* 1 when the Bool holds, else 0, as an i1. */
static Z3_ast bool_to_i1(Smt *s, Z3_ast b)
{
    return ite(s, b, smt_bv(s, 1, 1), smt_bv(s, 0, 1));
}

static Z3_ast min_of(Smt *s, unsigned bits)
{
    return smt_bv(s, UINT64_C(1) << (bits - 1), bits);
}

static Z3_ast all_ones(Smt *s, unsigned bits)
{
    return smt_bv(s, UINT64_MAX, bits);
}

/* a, b as signed (or unsigned) values one bit wider; the sum or difference
 * overflows when it does not fit back in `bits`. */
static Z3_ast add_overflows(Smt *s, Z3_ast a, Z3_ast b, unsigned bits, bool is_signed,
                            bool subtract)
{
    Z3_ast wa = is_signed ? sext(s, 1, a) : zext(s, 1, a);
    Z3_ast wb = is_signed ? sext(s, 1, b) : zext(s, 1, b);
    Z3_ast r = subtract ? SMT(s, Z3_mk_bvsub(s->c, wa, wb)) : SMT(s, Z3_mk_bvadd(s->c, wa, wb));
    if (is_signed) /* the two top bits differ */
        return not_(s, eq(s, extract(s, bits, bits, r), extract(s, bits - 1, bits - 1, r)));
    return eq(s, extract(s, bits, bits, r), smt_bv(s, 1, 1)); /* a borrow or a carry */
}

/* The product at double width overflows when it does not fit back in
 * `bits`. (Z3 4.8.12's own bvmul_no_overflow / no_underflow are wrong on
 * numerals: its rewriter folds the signed forms as unsigned, and at i1 it
 * finds no overflow in -1 * -1. They are not used.) */
static Z3_ast mul_overflows(Smt *s, Z3_ast a, Z3_ast b, unsigned bits, bool is_signed)
{
    /* Operands in a fixed order: the overflow of a*b is that of b*a, and
     * one term for both spares the solver a multiplier equivalence. */
    if (!s->failed && Z3_get_ast_id(s->c, a) > Z3_get_ast_id(s->c, b)) {
        Z3_ast t = a;
        a = b;
        b = t;
    }
    Z3_ast wa = is_signed ? sext(s, bits, a) : zext(s, bits, a);
    Z3_ast wb = is_signed ? sext(s, bits, b) : zext(s, bits, b);
    Z3_ast p = SMT(s, Z3_mk_bvmul(s->c, wa, wb));
    Z3_ast low = extract(s, bits - 1, 0, p);
    Z3_ast back = is_signed ? sext(s, bits, low) : zext(s, bits, low);
    return not_(s, eq(s, p, back));
}

static Z3_ast icmp(Smt *s, IrICond cond, Z3_ast a, Z3_ast b)
{
    switch (cond) {
    case IR_ICMP_EQ: return eq(s, a, b);
    case IR_ICMP_NE: return not_(s, eq(s, a, b));
    case IR_ICMP_SLT: return SMT(s, Z3_mk_bvslt(s->c, a, b));
    case IR_ICMP_SLE: return SMT(s, Z3_mk_bvsle(s->c, a, b));
    case IR_ICMP_SGT: return SMT(s, Z3_mk_bvsgt(s->c, a, b));
    case IR_ICMP_SGE: return SMT(s, Z3_mk_bvsge(s->c, a, b));
    case IR_ICMP_ULT: return SMT(s, Z3_mk_bvult(s->c, a, b));
    case IR_ICMP_ULE: return SMT(s, Z3_mk_bvule(s->c, a, b));
    case IR_ICMP_UGT: return SMT(s, Z3_mk_bvugt(s->c, a, b));
    case IR_ICMP_UGE: return SMT(s, Z3_mk_bvuge(s->c, a, b));
    default: return NULL;
    }
}

bool smt_inst(Smt *s, IrOpcode op, IrICond cond, unsigned bits, unsigned bits2,
              const Z3_ast *args, SmtInst *out)
{
    Z3_context c = s->c;
    bool unary = op == IR_ZEXT || op == IR_SEXT || op == IR_TRUNC;
    Z3_ast a = args[0], b = unary ? NULL : args[1];
    Z3_ast no = false_(s);
    out->div_zero = no;
    out->overflow = no;
    out->value = NULL;
    switch (op) {
    case IR_ADD: case IR_ADDC: case IR_ADDCU:
        out->value = SMT(s, Z3_mk_bvadd(c, a, b));
        if (op != IR_ADD)
            out->overflow = add_overflows(s, a, b, bits, op == IR_ADDC, false);
        break;
    case IR_SUB: case IR_SUBC: case IR_SUBCU:
        out->value = SMT(s, Z3_mk_bvsub(c, a, b));
        if (op == IR_SUBC)
            out->overflow = add_overflows(s, a, b, bits, true, true);
        else if (op == IR_SUBCU)
            out->overflow = SMT(s, Z3_mk_bvult(c, a, b));
        break;
    case IR_MUL: case IR_MULC: case IR_MULCU:
        out->value = SMT(s, Z3_mk_bvmul(c, a, b));
        if (op != IR_MUL)
            out->overflow = mul_overflows(s, a, b, bits, op == IR_MULC);
        break;
    case IR_UDIV: case IR_UREM: case IR_SDIV: case IR_SREM:
        out->div_zero = eq(s, b, smt_bv(s, 0, bits));
        if (op == IR_SDIV || op == IR_SREM)
            out->overflow = and2(s, eq(s, a, min_of(s, bits)), eq(s, b, all_ones(s, bits)));
        out->value = op == IR_UDIV ? SMT(s, Z3_mk_bvudiv(c, a, b))
                   : op == IR_UREM ? SMT(s, Z3_mk_bvurem(c, a, b))
                   : op == IR_SDIV ? SMT(s, Z3_mk_bvsdiv(c, a, b))
                                   : SMT(s, Z3_mk_bvsrem(c, a, b));
        break;
    case IR_AND: out->value = SMT(s, Z3_mk_bvand(c, a, b)); break;
    case IR_OR: out->value = SMT(s, Z3_mk_bvor(c, a, b)); break;
    case IR_XOR: out->value = SMT(s, Z3_mk_bvxor(c, a, b)); break;
    case IR_SHL: case IR_LSHR: case IR_ASHR: {
        Z3_ast amount = SMT(s, Z3_mk_bvurem(c, b, smt_bv(s, bits, bits)));
        out->value = op == IR_SHL ? SMT(s, Z3_mk_bvshl(c, a, amount))
                   : op == IR_LSHR ? SMT(s, Z3_mk_bvlshr(c, a, amount))
                                   : SMT(s, Z3_mk_bvashr(c, a, amount));
        break;
    }
    case IR_ICMP: out->value = bool_to_i1(s, icmp(s, cond, a, b)); break;
    case IR_SELECT:
        out->value = ite(s, eq(s, a, smt_bv(s, 1, 1)), b, args[2]);
        break;
    case IR_ZEXT: out->value = zext(s, bits2 - bits, a); break;
    case IR_SEXT: out->value = sext(s, bits2 - bits, a); break;
    case IR_TRUNC: out->value = extract(s, bits2 - 1, 0, a); break;
    default:
        if (!s->failed) {
            s->failed = true;
            snprintf(s->why, sizeof s->why, "'%s' has no SMT encoding", ir_op_info[op].name);
        }
        return false;
    }
    return !s->failed;
}

/* ---- rule expressions ---- */

static unsigned type_bits(const SmtEnv *env, RuleType t)
{
    return rule_type_bits(env->rule, t, env->combo);
}

static Z3_ast is_pow2_or_zero(Smt *s, Z3_ast x, unsigned w)
{
    Z3_ast m1 = SMT(s, Z3_mk_bvsub(s->c, x, smt_bv(s, 1, w)));
    return eq(s, SMT(s, Z3_mk_bvand(s->c, x, m1)), smt_bv(s, 0, w));
}

static Z3_ast is_mask(Smt *s, Z3_ast x, unsigned w)
{
    Z3_ast p1 = SMT(s, Z3_mk_bvadd(s->c, x, smt_bv(s, 1, w)));
    return eq(s, SMT(s, Z3_mk_bvand(s->c, x, p1)), smt_bv(s, 0, w));
}

static Z3_ast nonzero(Smt *s, Z3_ast x, unsigned w)
{
    return not_(s, eq(s, x, smt_bv(s, 0, w)));
}

static Z3_ast bit_set(Smt *s, Z3_ast x, unsigned i)
{
    return eq(s, extract(s, i, i, x), smt_bv(s, 1, 1));
}

/* The position of the lowest (ctz) or highest (for clz, counted from the
 * top) set bit, or w when x is 0. */
static Z3_ast count_zeros(Smt *s, Z3_ast x, unsigned w, bool leading)
{
    Z3_ast r = smt_bv(s, w, w);
    for (unsigned k = w; k-- > 0;) {
        unsigned bit = leading ? w - 1 - k : k;
        r = ite(s, bit_set(s, x, bit), smt_bv(s, k, w), r);
    }
    return r;
}

static bool smt_call(Smt *s, const SmtEnv *env, const RuleExpr *e, Z3_ast *value, Z3_ast *def)
{
    Z3_context c = s->c;
    Z3_ast x, y = NULL, dx, dy = NULL;
    if (!smt_expr(s, env, e->args[0], &x, &dx))
        return false;
    if (e->nargs == 2 && !smt_expr(s, env, e->args[1], &y, &dy))
        return false;
    Z3_ast d = dy ? and2(s, dx, dy) : dx;
    unsigned w = e->is_bool ? 0 : type_bits(env, e->type);
    unsigned aw = type_bits(env, e->args[0]->type);
    Z3_ast v = NULL;
    switch ((RuleFunc)e->op) {
    case RF_UDIV: case RF_UREM:
        d = and2(s, d, nonzero(s, y, w));
        v = e->op == RF_UDIV ? SMT(s, Z3_mk_bvudiv(c, x, y)) : SMT(s, Z3_mk_bvurem(c, x, y));
        break;
    case RF_SDIV: case RF_SREM:
        d = and2(s, d, and2(s, nonzero(s, y, w),
                            not_(s, and2(s, eq(s, x, min_of(s, w)), eq(s, y, all_ones(s, w))))));
        v = e->op == RF_SDIV ? SMT(s, Z3_mk_bvsdiv(c, x, y)) : SMT(s, Z3_mk_bvsrem(c, x, y));
        break;
    case RF_SHL: case RF_LSHR: case RF_ASHR:
        d = and2(s, d, SMT(s, Z3_mk_bvult(c, y, smt_bv(s, w, w))));
        v = e->op == RF_SHL ? SMT(s, Z3_mk_bvshl(c, x, y))
          : e->op == RF_LSHR ? SMT(s, Z3_mk_bvlshr(c, x, y)) : SMT(s, Z3_mk_bvashr(c, x, y));
        break;
    case RF_LOG2:
        d = and2(s, d, and2(s, nonzero(s, x, w), is_pow2_or_zero(s, x, w)));
        v = count_zeros(s, x, w, false);
        break;
    case RF_ABS:
        v = ite(s, SMT(s, Z3_mk_bvslt(c, x, smt_bv(s, 0, w))), SMT(s, Z3_mk_bvneg(c, x)), x);
        break;
    case RF_UMIN: v = ite(s, SMT(s, Z3_mk_bvult(c, x, y)), x, y); break;
    case RF_UMAX: v = ite(s, SMT(s, Z3_mk_bvugt(c, x, y)), x, y); break;
    case RF_SMIN: v = ite(s, SMT(s, Z3_mk_bvslt(c, x, y)), x, y); break;
    case RF_SMAX: v = ite(s, SMT(s, Z3_mk_bvsgt(c, x, y)), x, y); break;
    case RF_CTZ: v = count_zeros(s, x, w, false); break;
    case RF_CLZ: v = count_zeros(s, x, w, true); break;
    case RF_POPCOUNT:
        v = smt_bv(s, 0, w);
        for (unsigned i = 0; i < w; i++)
            v = SMT(s, Z3_mk_bvadd(c, v, zext(s, w - 1, extract(s, i, i, x))));
        break;
    case RF_ZEXT: v = zext(s, w - aw, x); break;
    case RF_SEXT: v = sext(s, w - aw, x); break;
    case RF_TRUNC: v = w == aw ? x : extract(s, w - 1, 0, x); break;
    case RF_ISPOW2: v = and2(s, nonzero(s, x, aw), is_pow2_or_zero(s, x, aw)); break;
    case RF_ISPOW2Z: v = is_pow2_or_zero(s, x, aw); break;
    case RF_ISMASK: v = is_mask(s, x, aw); break;
    case RF_ISSHMASK: {
        Z3_ast filled = SMT(s, Z3_mk_bvor(c, x, SMT(s, Z3_mk_bvsub(c, x, smt_bv(s, 1, aw)))));
        v = and2(s, nonzero(s, x, aw), is_mask(s, filled, aw));
        break;
    }
    case RF_ADDNSW: v = not_(s, add_overflows(s, x, y, aw, true, false)); break;
    case RF_ADDNUW: v = not_(s, add_overflows(s, x, y, aw, false, false)); break;
    case RF_SUBNSW: v = not_(s, add_overflows(s, x, y, aw, true, true)); break;
    case RF_SUBNUW: v = SMT(s, Z3_mk_bvuge(c, x, y)); break;
    case RF_MULNSW: v = not_(s, mul_overflows(s, x, y, aw, true)); break;
    case RF_MULNUW: v = not_(s, mul_overflows(s, x, y, aw, false)); break;
    default: break;
    }
    *value = v;
    *def = d;
    return !s->failed && v && d;
}

bool smt_expr(Smt *s, const SmtEnv *env, const RuleExpr *e, Z3_ast *value, Z3_ast *def)
{
    Z3_context c = s->c;
    unsigned w = e->is_bool ? 0 : type_bits(env, e->type);
    Z3_ast a, b, da, db;
    *def = true_(s);
    *value = NULL;
    switch (e->kind) {
    case RX_LIT: *value = smt_bv(s, e->neg ? 0 - e->mag : e->mag, w); break;
    case RX_CONST: *value = env->consts[e->index]; break;
    case RX_VALUE: *value = env->values[e->index]; break;
    case RX_WIDTH:
        *value = smt_bv(s, e->has_wtype ? type_bits(env, e->wtype) : w, w);
        break;
    case RX_INTMIN: *value = min_of(s, w); break;
    case RX_INTMAX: *value = smt_bv(s, w > 1 ? UINT64_MAX >> (65 - w) : 0, w); break;
    case RX_UNARY:
        if (!smt_expr(s, env, e->args[0], &a, def))
            return false;
        *value = e->op == '-' ? SMT(s, Z3_mk_bvneg(c, a))
               : e->op == '~' ? SMT(s, Z3_mk_bvnot(c, a)) : not_(s, a);
        break;
    case RX_BINARY:
        if (!smt_expr(s, env, e->args[0], &a, &da) || !smt_expr(s, env, e->args[1], &b, &db))
            return false;
        *def = and2(s, da, db);
        switch ((RuleBinop)e->op) {
        case RB_ADD: *value = SMT(s, Z3_mk_bvadd(c, a, b)); break;
        case RB_SUB: *value = SMT(s, Z3_mk_bvsub(c, a, b)); break;
        case RB_MUL: *value = SMT(s, Z3_mk_bvmul(c, a, b)); break;
        case RB_AND: *value = SMT(s, Z3_mk_bvand(c, a, b)); break;
        case RB_OR: *value = SMT(s, Z3_mk_bvor(c, a, b)); break;
        case RB_XOR: *value = SMT(s, Z3_mk_bvxor(c, a, b)); break;
        case RB_SHL:
            *def = and2(s, *def, SMT(s, Z3_mk_bvult(c, b, smt_bv(s, w, w))));
            *value = SMT(s, Z3_mk_bvshl(c, a, b));
            break;
        case RB_EQ: *value = eq(s, a, b); break;
        case RB_NE: *value = not_(s, eq(s, a, b)); break;
        case RB_ULT: *value = SMT(s, Z3_mk_bvult(c, a, b)); break;
        case RB_ULE: *value = SMT(s, Z3_mk_bvule(c, a, b)); break;
        case RB_UGT: *value = SMT(s, Z3_mk_bvugt(c, a, b)); break;
        case RB_UGE: *value = SMT(s, Z3_mk_bvuge(c, a, b)); break;
        case RB_SLT: *value = SMT(s, Z3_mk_bvslt(c, a, b)); break;
        case RB_SLE: *value = SMT(s, Z3_mk_bvsle(c, a, b)); break;
        case RB_SGT: *value = SMT(s, Z3_mk_bvsgt(c, a, b)); break;
        case RB_SGE: *value = SMT(s, Z3_mk_bvsge(c, a, b)); break;
        /* C's short circuit: the right side matters only when the left
         * side does not decide. */
        case RB_LAND:
            *value = and2(s, a, b);
            *def = and2(s, da, implies(s, a, db));
            break;
        case RB_LOR:
            *value = or2(s, a, b);
            *def = and2(s, da, implies(s, not_(s, a), db));
            break;
        default: break;
        }
        break;
    case RX_CALL: return smt_call(s, env, e, value, def);
    default: break;
    }
    return !s->failed && *value && *def;
}
