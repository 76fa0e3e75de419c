/* fold.c - constant folding with the exact semantics of docs/ir.md (the
 * interpreter's, yvm/interp_exec.c): wrapping integers, shift amounts
 * modulo the width, canonical NaN results, fptosi/fptoui range rules.
 * An instruction that would trap on these operands is never folded: the
 * trap must stay in the program. */
#include "fold.h"

#include <math.h>
#include <string.h>

static int64_t sx(uint64_t v, unsigned w)
{
    return w >= 64 ? (int64_t)v : (int64_t)(v << (64 - w)) >> (64 - w);
}

static float f32_of(uint64_t w)
{
    uint32_t u = (uint32_t)w;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static double f64_of(uint64_t w)
{
    double d;
    memcpy(&d, &w, 8);
    return d;
}

static uint64_t canon32(float f)
{
    uint32_t u;
    if (f != f)
        return 0x7fc00000u;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t canon64(double d)
{
    uint64_t u;
    if (d != d)
        return UINT64_C(0x7ff8000000000000);
    memcpy(&u, &d, 8);
    return u;
}

static bool fold_int(IrOpcode op, IrType t, uint64_t a, uint64_t b, uint64_t *r)
{
    unsigned w = ir_type_bits(t);
    uint64_t mask = ir_type_mask(t);
    int64_t sa = sx(a, w), sb = sx(b, w);
    int64_t smin = w >= 64 ? INT64_MIN : -((int64_t)1 << (w - 1));
    int64_t smax = w >= 64 ? INT64_MAX : ((int64_t)1 << (w - 1)) - 1;
    uint64_t x;
    int64_t s;
    switch (op) {
    case IR_ADD: x = a + b; break;
    case IR_SUB: x = a - b; break;
    case IR_MUL: x = a * b; break;
    case IR_AND: x = a & b; break;
    case IR_OR: x = a | b; break;
    case IR_XOR: x = a ^ b; break;
    case IR_SHL: x = a << (b % w); break;
    case IR_LSHR: x = a >> (b % w); break;
    case IR_ASHR: x = (uint64_t)(sa >> (b % w)); break;
    case IR_UDIV:
        if (b == 0)
            return false;
        x = a / b;
        break;
    case IR_UREM:
        if (b == 0)
            return false;
        x = a % b;
        break;
    case IR_SDIV:
    case IR_SREM:
        if (b == 0 || (sa == smin && sb == -1))
            return false;
        x = (uint64_t)(op == IR_SDIV ? sa / sb : sa % sb);
        break;
    case IR_ADDC:
        if (__builtin_add_overflow(sa, sb, &s) || s < smin || s > smax)
            return false;
        x = (uint64_t)s;
        break;
    case IR_SUBC:
        if (__builtin_sub_overflow(sa, sb, &s) || s < smin || s > smax)
            return false;
        x = (uint64_t)s;
        break;
    case IR_MULC:
        if (__builtin_mul_overflow(sa, sb, &s) || s < smin || s > smax)
            return false;
        x = (uint64_t)s;
        break;
    case IR_ADDCU:
        if (__builtin_add_overflow(a, b, &x) || x > mask)
            return false;
        break;
    case IR_SUBCU:
        if (a < b)
            return false;
        x = a - b;
        break;
    case IR_MULCU:
        if (__builtin_mul_overflow(a, b, &x) || x > mask)
            return false;
        break;
    default:
        return false;
    }
    *r = x & mask;
    return true;
}


static bool fcmp_of(IrFCond c, double x, double y)
{
    switch (c) {
    case IR_FCMP_OEQ: return x == y;
    case IR_FCMP_ONE: return x < y || x > y;
    case IR_FCMP_OLT: return x < y;
    case IR_FCMP_OLE: return x <= y;
    case IR_FCMP_OGT: return x > y;
    case IR_FCMP_OGE: return x >= y;
    case IR_FCMP_ORD: return x == x && y == y;
    case IR_FCMP_UNO: return x != x || y != y;
    case IR_FCMP_UEQ: return !(x < y || x > y);
    case IR_FCMP_UNE: return x != y;
    case IR_FCMP_ULT: return !(x >= y);
    case IR_FCMP_ULE: return !(x > y);
    case IR_FCMP_UGT: return !(x <= y);
    default: return !(x < y);
    }
}

static bool fold_float(IrOpcode op, IrType t, uint64_t a, uint64_t b, uint64_t *r)
{
    if (t == IR_F32) {
        float x = f32_of(a), y = f32_of(b);
        switch (op) {
        case IR_FADD: *r = canon32(x + y); return true;
        case IR_FSUB: *r = canon32(x - y); return true;
        case IR_FMUL: *r = canon32(x * y); return true;
        case IR_FDIV: *r = canon32(x / y); return true;
        case IR_FNEG: *r = (a ^ UINT64_C(0x80000000)) & 0xffffffffu; return true;
        case IR_FSQRT: *r = canon32(sqrtf(x)); return true;
        default: return false;
        }
    }
    double x = f64_of(a), y = f64_of(b);
    switch (op) {
    case IR_FADD: *r = canon64(x + y); return true;
    case IR_FSUB: *r = canon64(x - y); return true;
    case IR_FMUL: *r = canon64(x * y); return true;
    case IR_FDIV: *r = canon64(x / y); return true;
    case IR_FNEG: *r = a ^ (UINT64_C(1) << 63); return true;
    case IR_FSQRT: *r = canon64(sqrt(x)); return true;
    default: return false;
    }
}

static bool fold_conv(IrOpcode op, IrType from, IrType to, uint64_t a, uint64_t *r)
{
    unsigned wf = ir_type_bits(from), wt = ir_type_bits(to);
    switch (op) {
    case IR_ZEXT: *r = a; return true;
    case IR_SEXT: *r = (uint64_t)sx(a, wf) & ir_type_mask(to); return true;
    case IR_TRUNC: *r = a & ir_type_mask(to); return true;
    case IR_SITOFP:
        *r = to == IR_F32 ? canon32((float)sx(a, wf)) : canon64((double)sx(a, wf));
        return true;
    case IR_UITOFP:
        *r = to == IR_F32 ? canon32((float)a) : canon64((double)a);
        return true;
    case IR_FPEXT: *r = canon64((double)f32_of(a)); return true;
    case IR_FPTRUNC: *r = canon32((float)f64_of(a)); return true;
    case IR_BITCAST: *r = a; return true;
    case IR_FPTOSI:
    case IR_FPTOUI: {
        double t = trunc(from == IR_F32 ? (double)f32_of(a) : f64_of(a));
        if (op == IR_FPTOSI) {
            double lim = ldexp(1.0, (int)wt - 1);
            if (!(t >= -lim && t < lim))
                return false;
            *r = (uint64_t)(int64_t)t & ir_type_mask(to);
        } else {
            double lim = ldexp(1.0, (int)wt);
            if (!(t > -1.0 && t < lim))
                return false;
            *r = (uint64_t)t;
        }
        return true;
    }
    default:
        return false; /* ptrtoint, inttoptr: addresses are not constants */
    }
}

bool opt_fold(const IrInst *in, const uint64_t *v, uint64_t *out)
{
    IrOpcode op = (IrOpcode)in->op;
    IrType t = (IrType)in->type;
    switch (ir_op_info[op].form) {
    case IR_FORM_BINARY:
        if (ir_type_is_int(t))
            return fold_int(op, t, v[0], v[1], out);
        return fold_float(op, t, v[0], v[1], out);
    case IR_FORM_UNARY:
        return fold_float(op, t, v[0], 0, out);
    case IR_FORM_ICMP:
        if (!ir_type_is_int(t))
            return false;
        *out = ir_icmp_eval((IrICond)in->cond, t, v[0], v[1]);
        return true;
    case IR_FORM_FCMP:
        if (t == IR_F32)
            *out = fcmp_of((IrFCond)in->cond, (double)f32_of(v[0]), (double)f32_of(v[1]));
        else
            *out = fcmp_of((IrFCond)in->cond, f64_of(v[0]), f64_of(v[1]));
        return true;
    case IR_FORM_SELECT:
        if (t == IR_PTR)
            return false;
        *out = (v[0] & 1) ? v[1] : v[2];
        return true;
    case IR_FORM_CONV:
        return fold_conv(op, t, (IrType)in->type2, v[0], out);
    default:
        return false;
    }
}
