/* rule_eval.c - concrete evaluation of constant expressions and
 * preconditions (rule.h), with the same meaning as their SMT encoding in
 * encode.c: wrapping + - * and bit operations at the expression's type;
 * division, log2 of a non-power of two and shifts by the width or more are
 * undefined (the prover requires target constants to be defined wherever
 * the precondition holds). */
#include "rule.h"

static uint64_t mask_of(unsigned w)
{
    return w >= 64 ? UINT64_MAX : (UINT64_C(1) << w) - 1;
}

static int64_t sext_of(uint64_t v, unsigned w)
{
    if (w >= 64)
        return (int64_t)v;
    uint64_t sign = UINT64_C(1) << (w - 1);
    return (int64_t)((v ^ sign) - sign);
}

static bool eval(const Rule *r, const RuleExpr *e, const RuleBinding *b, uint64_t *out);

/* Both arguments, at their own types. */
static bool eval2(const Rule *r, const RuleExpr *e, const RuleBinding *b, uint64_t *x,
                  uint64_t *y)
{
    return eval(r, e->args[0], b, x) && eval(r, e->args[1], b, y);
}

static bool compare(RuleBinop op, uint64_t x, uint64_t y, unsigned w)
{
    int64_t sx = sext_of(x, w), sy = sext_of(y, w);
    switch (op) {
    case RB_EQ: return x == y;
    case RB_NE: return x != y;
    case RB_ULT: return x < y;
    case RB_ULE: return x <= y;
    case RB_UGT: return x > y;
    case RB_UGE: return x >= y;
    case RB_SLT: return sx < sy;
    case RB_SLE: return sx <= sy;
    case RB_SGT: return sx > sy;
    case RB_SGE: return sx >= sy;
    default: return false;
    }
}

static bool call(const Rule *r, const RuleExpr *e, const RuleBinding *b, unsigned w,
                 uint64_t *out)
{
    uint64_t m = mask_of(w), x = 0, y = 0;
    uint64_t min = UINT64_C(1) << (w - 1);
    if (e->nargs == 2 ? !eval2(r, e, b, &x, &y) : !eval(r, e->args[0], b, &x))
        return false;
    unsigned aw = rule_type_bits(r, e->args[0]->type, b->combo);
    __int128 sx = sext_of(x, aw), sy = sext_of(y, aw), wide;
    switch ((RuleFunc)e->op) {
    case RF_UDIV: case RF_UREM:
        if (y == 0)
            return false;
        *out = e->op == RF_UDIV ? x / y : x % y;
        return true;
    case RF_SDIV: case RF_SREM:
        if (y == 0 || (x == min && y == m))
            return false;
        *out = (uint64_t)(e->op == RF_SDIV ? sx / sy : sx % sy) & m;
        return true;
    case RF_SHL: case RF_LSHR: case RF_ASHR:
        if (y >= w)
            return false;
        *out = e->op == RF_SHL ? (x << y) & m : e->op == RF_LSHR ? x >> y
                                                                 : (uint64_t)(sx >> y) & m;
        return true;
    case RF_LOG2:
        if (x == 0 || (x & (x - 1)))
            return false;
        *out = (uint64_t)__builtin_ctzll(x);
        return true;
    case RF_ABS: *out = (uint64_t)(sx < 0 ? -sx : sx) & m; return true;
    case RF_UMIN: *out = x < y ? x : y; return true;
    case RF_UMAX: *out = x > y ? x : y; return true;
    case RF_SMIN: *out = sx < sy ? x : y; return true;
    case RF_SMAX: *out = sx > sy ? x : y; return true;
    case RF_CTZ: *out = x ? (uint64_t)__builtin_ctzll(x) : w; return true;
    case RF_CLZ: *out = x ? (uint64_t)(__builtin_clzll(x) - (64 - (int)w)) : w; return true;
    case RF_POPCOUNT: *out = (uint64_t)__builtin_popcountll(x); return true;
    case RF_ZEXT: *out = x; return true;
    case RF_SEXT: *out = (uint64_t)sx & m; return true;
    case RF_TRUNC: *out = x & m; return true;
    /* Predicates: at the arguments' width. */
    case RF_ISPOW2: *out = x != 0 && !(x & (x - 1)); return true;
    case RF_ISPOW2Z: *out = !(x & (x - 1)); return true;
    case RF_ISMASK: *out = !(x & ((x + 1) & mask_of(aw))); return true;
    case RF_ISSHMASK: {
        uint64_t filled = (x | (x - 1)) & mask_of(aw);
        *out = x != 0 && !(filled & ((filled + 1) & mask_of(aw)));
        return true;
    }
    case RF_ADDNSW: case RF_SUBNSW: case RF_MULNSW:
        wide = e->op == RF_ADDNSW ? sx + sy : e->op == RF_SUBNSW ? sx - sy : sx * sy;
        *out = wide >= -(__int128)((UINT64_C(1) << (aw - 1))) &&
               wide <= (__int128)(mask_of(aw) >> 1);
        return true;
    case RF_ADDNUW: *out = (unsigned __int128)x + y <= mask_of(aw); return true;
    case RF_SUBNUW: *out = x >= y; return true;
    case RF_MULNUW: *out = (unsigned __int128)x * y <= mask_of(aw); return true;
    default: return false;
    }
}

static bool eval(const Rule *r, const RuleExpr *e, const RuleBinding *b, uint64_t *out)
{
    unsigned w = e->is_bool ? 1 : rule_type_bits(r, e->type, b->combo);
    uint64_t m = mask_of(w), x, y;
    switch (e->kind) {
    case RX_LIT: *out = (e->neg ? 0 - e->mag : e->mag) & m; return true;
    case RX_CONST: *out = b->consts[e->index] & m; return true;
    case RX_VALUE:
        if (!b->values)
            return false;
        *out = b->values[e->index] & m;
        return true;
    case RX_WIDTH:
        *out = (e->has_wtype ? rule_type_bits(r, e->wtype, b->combo) : w) & m;
        return true;
    case RX_INTMIN: *out = UINT64_C(1) << (w - 1); return true;
    case RX_INTMAX: *out = m >> 1; return true;
    case RX_UNARY:
        if (!eval(r, e->args[0], b, &x))
            return false;
        *out = e->op == '-' ? (0 - x) & m : e->op == '~' ? ~x & m : !x;
        return true;
    case RX_BINARY:
        if (e->op == RB_LAND || e->op == RB_LOR) {
            if (!eval(r, e->args[0], b, &x))
                return false;
            if (x == (e->op == RB_LOR)) { /* decided by the left side */
                *out = x;
                return true;
            }
            return eval(r, e->args[1], b, out);
        }
        if (!eval2(r, e, b, &x, &y))
            return false;
        switch ((RuleBinop)e->op) {
        case RB_ADD: *out = (x + y) & m; return true;
        case RB_SUB: *out = (x - y) & m; return true;
        case RB_MUL: *out = (x * y) & m; return true;
        case RB_AND: *out = x & y; return true;
        case RB_OR: *out = x | y; return true;
        case RB_XOR: *out = x ^ y; return true;
        case RB_SHL:
            if (y >= w)
                return false;
            *out = (x << y) & m;
            return true;
        default:
            *out = compare((RuleBinop)e->op, x, y,
                           rule_type_bits(r, e->args[0]->type, b->combo));
            return true;
        }
    case RX_CALL: return call(r, e, b, w, out);
    default: return false;
    }
}

bool rule_eval_expr(const Rule *r, const RuleExpr *e, const RuleBinding *b, uint64_t *out)
{
    return eval(r, e, b, out);
}
