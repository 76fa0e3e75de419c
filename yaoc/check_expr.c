/* check_expr.c - types of expressions, constant folding, places and
 * lifetimes (regions), interpolation specs and shell commands.
 *
 * Integer and float literals start untyped (TY_INTLIT, TY_FLOATLIT) and
 * are folded exactly (128-bit); they take a type where one is needed
 * (the other operand, the declared type, the parameter), and are then
 * range checked: `x: u8 = 300` and `i8(200)` are compile errors. Typed
 * constant expressions fold with their type's rules: an overflow that
 * would trap at run time is a compile error instead. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static Type *err_type(Checker *k)
{
    return type_prim(k->c, TY_ERROR);
}

static bool is_untyped(const Type *t)
{
    return t->kind == TY_INTLIT || t->kind == TY_FLOATLIT;
}

/* ---- constants ---- */

bool const_fits(const Type *t, __int128 v)
{
    switch (t->kind) {
    case TY_I8: return v >= INT8_MIN && v <= INT8_MAX;
    case TY_I16: return v >= INT16_MIN && v <= INT16_MAX;
    case TY_I32: return v >= INT32_MIN && v <= INT32_MAX;
    case TY_I64: return v >= INT64_MIN && v <= INT64_MAX;
    case TY_U8: return v >= 0 && v <= UINT8_MAX;
    case TY_U16: return v >= 0 && v <= UINT16_MAX;
    case TY_U32: return v >= 0 && v <= UINT32_MAX;
    case TY_U64: return v >= 0 && v <= (__int128)UINT64_MAX;
    default: return true;
    }
}

/* v wrapped to t's width (two's complement, then read with t's sign). */
static __int128 wrap(const Type *t, __int128 v)
{
    unsigned bits = type_bits(t);
    unsigned __int128 u = (unsigned __int128)v & (((unsigned __int128)1 << bits) - 1);
    if (type_is_signed(t) && (u >> (bits - 1)) & 1)
        return (__int128)u - ((__int128)1 << bits);
    return (__int128)u;
}

static void set_int(Expr *e, __int128 v)
{
    e->is_const = true;
    memset(&e->cval, 0, sizeof e->cval);
    e->cval.ok = true;
    e->cval.i = v;
}

static void set_float(Expr *e, double v)
{
    e->is_const = true;
    memset(&e->cval, 0, sizeof e->cval);
    e->cval.ok = true;
    e->cval.is_float = true;
    e->cval.f = v;
}

static void set_bool(Expr *e, bool v)
{
    e->is_const = true;
    memset(&e->cval, 0, sizeof e->cval);
    e->cval.ok = true;
    e->cval.is_bool = true;
    e->cval.i = v;
}

/* A constant integer shown in a message. */
static const char *show_int(__int128 v, char *buf, size_t n)
{
    if (v >= INT64_MIN && v <= INT64_MAX)
        snprintf(buf, n, "%lld", (long long)v);
    else if (v > 0 && v <= (__int128)UINT64_MAX)
        snprintf(buf, n, "%llu", (unsigned long long)v);
    else { /* beyond 64 bits: the digits of the 128-bit value */
        char rev[48];
        size_t k = 0;
        unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
        do {
            rev[k++] = (char)('0' + (int)(u % 10));
            u /= 10;
        } while (u && k < sizeof rev);
        size_t j = 0;
        if (v < 0 && j + 1 < n)
            buf[j++] = '-';
        while (k && j + 1 < n)
            buf[j++] = rev[--k];
        buf[j] = 0;
    }
    return buf;
}

static const __int128 LIMIT = (__int128)1 << 100;

/* ---- coercion ---- */

bool coerce(Checker *k, Expr *e, Type *want)
{
    char nb[64];
    Type *t = e->type;
    if (!t || t == want || t->kind == TY_ERROR || want->kind == TY_ERROR)
        return true;
    if (t->kind == TY_INTLIT && type_is_int(want)) {
        if (!const_fits(want, e->cval.i)) {
            const Expr *x = e;
            while (x->kind == E_PAREN)
                x = x->paren;
            if (x->kind == E_UNARY && x->unary.op == OP_NEG)
                x = x->unary.e;
            ERR(k, e->loc, "%s %s does not fit in '%s'",
                x->kind == E_INT ? "integer literal" : "constant",
                show_int(e->cval.i, nb, sizeof nb), TN(tn, 0, want));
            return false;
        }
        e->type = want;
        return true;
    }
    if (t->kind == TY_INTLIT && type_is_float(want)) {
        /* An integer constant where a float is wanted: `x: f64 = 1`. */
        e->cval.f = (double)e->cval.i;
        e->cval.is_float = true;
        t = e->type = type_prim(k->c, TY_FLOATLIT);
    }
    if (t->kind == TY_FLOATLIT && type_is_float(want)) {
        e->type = want;
        if (want->kind == TY_F32)
            e->cval.f = (float)e->cval.f;
        return true;
    }
    if (t->kind == TY_SLICE && want->kind == TY_SLICE && t->elem == want->elem && t->mut &&
        !want->mut)
        return true;
    if (t->kind == TY_ERRUNION) {
        ERR(k, e->loc, "the value may be an error ('%s'); handle it with 'try' or 'catch'",
            TN(tn, 0, t));
        return false;
    }
    if (t->kind == TY_VOID) {
        ERR(k, e->loc, "this expression has no value (expected '%s')", TN(tn, 0, want));
        return false;
    }
    if (t->kind == TY_HEAP && want->kind == TY_SLICE && t->elem == want->elem) {
        ERR(k, e->loc, "mismatched types: expected '%s', found a heap array; "
                       "pass a slice of it with '[..]'", TN(tn, 0, want));
        return false;
    }
    if (t->kind == TY_ARRAY && want->kind == TY_SLICE && t->elem == want->elem) {
        ERR(k, e->loc, "mismatched types: expected '%s', found '%s'; "
                       "pass a slice of the array with '[..]'", TN(tn, 0, want), TN(tn, 1, t));
        return false;
    }
    ERR(k, e->loc, "mismatched types: expected '%s', found '%s'", TN(tn, 0, want),
        TN(tn, 1, t));
    return false;
}

Type *finalize(Checker *k, Expr *e)
{
    if (e->type->kind == TY_INTLIT)
        coerce(k, e, type_prim(k->c, TY_I64));
    else if (e->type->kind == TY_FLOATLIT)
        coerce(k, e, type_prim(k->c, TY_F64));
    return e->type;
}

/* Operands that are never values: functions, types, modules. */
static bool no_value(Checker *k, Expr *e)
{
    if (e->type->kind == TY_VOID) {
        ERR(k, e->loc, "this expression has no value");
        return true;
    }
    if (e->type->kind == TY_ERRUNION) {
        ERR(k, e->loc, "the value may be an error ('%s'); handle it with 'try' or 'catch'",
            TN(tn, 0, e->type));
        return true;
    }
    return false;
}

/* ---- places ---- */

Place analyze_place(Checker *k, Expr *e)
{
    Place p = {0};
    switch (e->kind) {
    case E_PAREN:
        return analyze_place(k, e->paren);
    case E_NAME:
        if (e->name.sym.kind != SYM_LOCAL)
            return p;
        p.is_place = true;
        p.root = e->name.sym.local;
        p.writable = p.root->mut;
        p.home = p.root->depth;
        if (!p.writable) {
            char *why = arena_alloc(&k->c->arena, 160);
            snprintf(why, 160, "cannot assign to '%s': it is not declared 'mut'", p.root->name);
            p.why = why;
        }
        return p;
    case E_FIELD:
        if (e->field.sym.kind != SYM_NONE)
            return p; /* a module member */
        return analyze_place(k, e->field.obj);
    case E_INDEX: {
        Type *ot = e->index.obj->type;
        if (ot->kind == TY_ARRAY || ot->kind == TY_HEAP)
            return analyze_place(k, e->index.obj);
        if (ot->kind == TY_SLICE) {
            Place q = analyze_place(k, e->index.obj);
            p.is_place = true;
            p.root = q.root;
            p.writable = ot->mut;
            p.home = e->index.obj->region;
            if (!ot->mut)
                p.why = "cannot assign through a '[]T' slice: it is read-only (use '[]mut T')";
            return p;
        }
        if (ot->kind == TY_STR) {
            p.is_place = true;
            p.why = "cannot assign to a byte of a 'str': strings are immutable";
        }
        return p;
    }
    default:
        return p;
    }
}

/* The larger region of two expressions, with its root. */
static void join_region(Expr *e, const Expr *x)
{
    if (x && x->region > e->region) {
        e->region = x->region;
        e->root = x->root;
    }
}

/* ---- interpolation specs ---- */

static bool formattable(const Type *t)
{
    return type_is_numeric(t) || t->kind == TY_BOOL || t->kind == TY_STR ||
           is_untyped(t);
}

/* [0][W][.N][x|X|b] */
static void parse_spec(Checker *k, StrPart *p)
{
    const uint8_t *s = p->spec, *e = p->spec + p->nspec;
    Type *t = p->expr->type;
    if (s < e && *s == '0' && s + 1 < e && s[1] >= '0' && s[1] <= '9') {
        p->zero = true;
        s++;
    }
    if (s < e && *s >= '0' && *s <= '9') {
        int w = 0;
        while (s < e && *s >= '0' && *s <= '9' && w < 10000)
            w = w * 10 + (*s++ - '0');
        p->width = w;
    }
    if (s < e && *s == '.') {
        s++;
        if (s >= e || *s < '0' || *s > '9')
            goto bad;
        int n = 0;
        while (s < e && *s >= '0' && *s <= '9' && n < 10000)
            n = n * 10 + (*s++ - '0');
        p->prec = n;
    }
    if (s < e && (*s == 'x' || *s == 'X' || *s == 'b'))
        p->conv = (char)*s++;
    if (s != e || (p->width > 1000) || p->prec > 1000)
        goto bad;
    if (p->prec >= 0 && !type_is_float(t)) {
        ERR(k, p->spec_loc, "'.%d' is for floats, but the value is '%s'", p->prec, TN(tn, 0, t));
        return;
    }
    if (p->conv && !type_is_int(t)) {
        ERR(k, p->spec_loc, "'%c' is for integers, but the value is '%s'", p->conv, TN(tn, 0, t));
        return;
    }
    if (p->zero && !type_is_numeric(t)) {
        ERR(k, p->spec_loc, "zero padding is for numbers, but the value is '%s'", TN(tn, 0, t));
        return;
    }
    return;
bad:
    ERR(k, p->spec_loc, "invalid format spec '%.*s' (expected [0][width][.digits][x|X|b])",
        (int)(p->nspec > 40 ? 40 : p->nspec), (const char *)p->spec);
}

void check_parts(Checker *k, StrParts *parts)
{
    for (uint32_t i = 0; i < parts->n; i++) {
        StrPart *p = &parts->v[i];
        if (!p->expr)
            continue;
        Type *t = check_expr(k, p->expr, NULL);
        if (t->kind == TY_ERROR || no_value(k, p->expr))
            continue;
        t = finalize(k, p->expr);
        if (!formattable(t)) {
            ERR(k, p->expr->loc, "cannot format '%s' in a string (integers, floats, bool "
                                 "and str can be)", TN(tn, 0, t));
            continue;
        }
        if (p->spec)
            parse_spec(k, p);
    }
}

/* ---- expression kinds ---- */

static Type *check_binary(Checker *k, Expr *e, Type *want);

static bool is_arith(Op op)
{
    return op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_REM ||
           op == OP_ADDW || op == OP_SUBW || op == OP_MULW;
}

static bool is_cmp(Op op)
{
    return op >= OP_EQ && op <= OP_GE;
}

/* Fold an integer operation; false (after an error) when it overflows
 * its type or divides by zero. t is the operands' type (maybe untyped). */
static bool fold_int(Checker *k, Expr *e, Op op, const Type *t, __int128 a, __int128 b,
                     __int128 *out)
{
    __int128 r = 0;
    bool wraps = op == OP_ADDW || op == OP_SUBW || op == OP_MULW;
    bool ovf = false;
    switch (op) {
    case OP_ADD: case OP_ADDW: ovf = __builtin_add_overflow(a, b, &r); break;
    case OP_SUB: case OP_SUBW: ovf = __builtin_sub_overflow(a, b, &r); break;
    case OP_MUL: case OP_MULW: ovf = __builtin_mul_overflow(a, b, &r); break;
    case OP_DIV: case OP_REM:
        if (b == 0) {
            ERR(k, e->binary.r->loc, "division by zero");
            return false;
        }
        r = op == OP_DIV ? a / b : a % b;
        break;
    case OP_AND: r = a & b; break;
    case OP_OR: r = a | b; break;
    case OP_XOR: r = a ^ b; break;
    case OP_SHL:
        if (t->kind == TY_INTLIT) {
            if (b > 100 || (a != 0 && (a >= LIMIT || a <= -LIMIT || (a << b) / ((__int128)1 << b) != a)))
                ovf = true;
            else
                r = a << b;
        } else {
            r = (__int128)((unsigned __int128)a << b);
        }
        break;
    case OP_SHR:
        if (t->kind != TY_INTLIT && !type_is_signed(t))
            r = (__int128)((unsigned __int128)wrap(t, a) >> b);
        else
            r = a >> b;
        break;
    default:
        return false;
    }
    if (t->kind == TY_INTLIT) {
        if (ovf || r >= LIMIT || r <= -LIMIT) {
            ERR(k, e->loc, "constant expression is too large");
            return false;
        }
    } else if (wraps || op == OP_SHL || op == OP_AND || op == OP_OR || op == OP_XOR) {
        r = wrap(t, r);
    } else if (ovf || !const_fits(t, r)) {
        ERR(k, e->loc, "constant expression overflows '%s'", TN(tn, 0, t));
        return false;
    }
    *out = r;
    return true;
}

static double round_to(const Type *t, double v)
{
    return t->kind == TY_F32 ? (double)(float)v : v;
}

static void fold_binary(Checker *k, Expr *e, const Type *t)
{
    Expr *l = e->binary.l, *r = e->binary.r;
    Op op = e->binary.op;
    if (!l->is_const || !r->is_const || l->cval.is_str || r->cval.is_str)
        return;
    if (l->cval.is_bool) {
        bool a = l->cval.i, b = r->cval.i, v;
        switch (op) {
        case OP_ANDAND: case OP_AND: v = a && b; break;
        case OP_OROR: case OP_OR: v = a || b; break;
        case OP_XOR: case OP_NE: v = a != b; break;
        case OP_EQ: v = a == b; break;
        default: return;
        }
        set_bool(e, v);
        return;
    }
    if (l->cval.is_float) {
        double a = l->cval.f, b = r->cval.f;
        switch (op) {
        case OP_ADD: set_float(e, round_to(t, a + b)); return;
        case OP_SUB: set_float(e, round_to(t, a - b)); return;
        case OP_MUL: set_float(e, round_to(t, a * b)); return;
        case OP_DIV: set_float(e, round_to(t, a / b)); return;
        case OP_EQ: set_bool(e, a == b); return;
        case OP_NE: set_bool(e, a != b); return;
        case OP_LT: set_bool(e, a < b); return;
        case OP_LE: set_bool(e, a <= b); return;
        case OP_GT: set_bool(e, a > b); return;
        case OP_GE: set_bool(e, a >= b); return;
        default: return;
        }
    }
    __int128 a = l->cval.i, b = r->cval.i, v;
    switch (op) {
    case OP_EQ: set_bool(e, a == b); return;
    case OP_NE: set_bool(e, a != b); return;
    case OP_LT: set_bool(e, a < b); return;
    case OP_LE: set_bool(e, a <= b); return;
    case OP_GT: set_bool(e, a > b); return;
    case OP_GE: set_bool(e, a >= b); return;
    default: break;
    }
    if (op == OP_SHL || op == OP_SHR) {
        if (b < 0 || (t->kind != TY_INTLIT && b >= type_bits(t)))
            return; /* reported by the caller */
    }
    if (fold_int(k, e, op, t, a, b, &v))
        set_int(e, v);
    else
        e->type = err_type(k);
}

static Type *check_binary(Checker *k, Expr *e, Type *want)
{
    Op op = e->binary.op;
    Expr *l = e->binary.l, *r = e->binary.r;
    Type *boolt = type_prim(k->c, TY_BOOL);
    if (op == OP_ANDAND || op == OP_OROR) {
        Type *lt = check_expr(k, l, boolt), *rt = check_expr(k, r, boolt);
        bool ok = true;
        if (lt->kind != TY_ERROR && lt->kind != TY_BOOL) {
            ERR(k, l->loc, "'%s' needs 'bool' operands, found '%s'", op_text(op), TN(tn, 0, lt));
            ok = false;
        }
        if (rt->kind != TY_ERROR && rt->kind != TY_BOOL) {
            ERR(k, r->loc, "'%s' needs 'bool' operands, found '%s'", op_text(op), TN(tn, 0, rt));
            ok = false;
        }
        if (!ok || lt->kind == TY_ERROR || rt->kind == TY_ERROR)
            return err_type(k);
        fold_binary(k, e, boolt);
        return boolt;
    }
    Type *hint = is_arith(op) || op == OP_AND || op == OP_OR || op == OP_XOR ? want : NULL;
    Type *lt = check_expr(k, l, hint);
    Type *rt = check_expr(k, r, is_untyped(lt) || op == OP_SHL || op == OP_SHR ? hint : lt);
    if (lt->kind == TY_ERROR || rt->kind == TY_ERROR)
        return err_type(k);
    if (no_value(k, l) || no_value(k, r))
        return err_type(k);

    if (op == OP_SHL || op == OP_SHR) {
        if (!type_is_int(lt) && lt->kind != TY_INTLIT) {
            ERR(k, l->loc, "'%s' needs an integer on the left, found '%s'", op_text(op),
                TN(tn, 0, lt));
            return err_type(k);
        }
        if (!type_is_int(rt) && rt->kind != TY_INTLIT) {
            ERR(k, r->loc, "a shift amount must be an integer, found '%s'", TN(tn, 0, rt));
            return err_type(k);
        }
        if (lt->kind == TY_INTLIT && (!r->is_const)) {
            /* `1 << n`: the left side takes the expected type, else i64 */
            if (!coerce(k, l, want && type_is_int(want) ? want : type_prim(k->c, TY_I64)))
                return err_type(k);
            lt = l->type;
        }
        if (rt->kind == TY_INTLIT && lt->kind != TY_INTLIT) {
            if (r->cval.i < 0 || r->cval.i >= type_bits(lt)) {
                char nb[64];
                ERR(k, r->loc, "shift amount %s is out of range for '%s'",
                    show_int(r->cval.i, nb, sizeof nb), TN(tn, 0, lt));
                return err_type(k);
            }
            coerce(k, r, lt);
        } else if (r->is_const && type_is_int(lt) &&
                   (r->cval.i < 0 || r->cval.i >= type_bits(lt))) {
            char nb[64];
            ERR(k, r->loc, "shift amount %s is out of range for '%s'",
                show_int(r->cval.i, nb, sizeof nb), TN(tn, 0, lt));
            return err_type(k);
        } else if (rt->kind == TY_INTLIT && (r->cval.i < 0 || r->cval.i > 100)) {
            ERR(k, r->loc, "constant shift amount is out of range");
            return err_type(k);
        }
        e->type = lt;
        fold_binary(k, e, lt);
        return e->type;
    }

    /* Both sides must have one type; untyped constants take the other's
     * (an integer constant beside a float constant is a float). */
    if (lt->kind == TY_INTLIT && rt->kind == TY_FLOATLIT) {
        l->cval.f = (double)l->cval.i;
        l->cval.is_float = true;
        lt = l->type = rt;
    } else if (rt->kind == TY_INTLIT && lt->kind == TY_FLOATLIT) {
        r->cval.f = (double)r->cval.i;
        r->cval.is_float = true;
        rt = r->type = lt;
    }
    if (is_untyped(lt) && !is_untyped(rt)) {
        if (!coerce(k, l, rt))
            return err_type(k);
        lt = rt;
    } else if (is_untyped(rt) && !is_untyped(lt)) {
        if (!coerce(k, r, lt))
            return err_type(k);
        rt = lt;
    } else if (lt != rt && !(lt->kind == TY_SLICE && rt->kind == TY_SLICE)) {
        ERR(k, e->binary.oploc, "mismatched types '%s' and '%s' in '%s'", TN(tn, 0, lt),
            TN(tn, 1, rt), op_text(op));
        return err_type(k);
    }
    Type *t = lt;
    bool ok;
    const char *need;
    switch (op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
        ok = type_is_numeric(t) || is_untyped(t);
        need = "numbers";
        break;
    case OP_REM: case OP_ADDW: case OP_SUBW: case OP_MULW:
        ok = type_is_int(t) || t->kind == TY_INTLIT;
        need = "integers";
        break;
    case OP_AND: case OP_OR: case OP_XOR:
        ok = type_is_int(t) || t->kind == TY_INTLIT || t->kind == TY_BOOL;
        need = "integers or bools";
        break;
    case OP_EQ: case OP_NE:
        ok = type_is_numeric(t) || is_untyped(t) || t->kind == TY_BOOL || t->kind == TY_STR;
        need = "numbers, bools or strings";
        break;
    default: /* < <= > >= */
        ok = type_is_numeric(t) || is_untyped(t);
        need = "numbers";
        break;
    }
    if (!ok) {
        ERR(k, e->binary.oploc, "'%s' needs %s, found '%s'", op_text(op), need, TN(tn, 0, t));
        return err_type(k);
    }
    if (op == OP_REM && type_is_float(t)) {
        ERR(k, e->binary.oploc, "'%%' needs integers, found '%s'", TN(tn, 0, t));
        return err_type(k);
    }
    if ((op == OP_DIV || op == OP_REM) && (type_is_int(t) || t->kind == TY_INTLIT) &&
        r->is_const && r->cval.i == 0 && !l->is_const) {
        ERR(k, r->loc, "division by zero");
        return err_type(k);
    }
    e->type = is_cmp(op) ? type_prim(k->c, TY_BOOL) : t;
    fold_binary(k, e, t);
    return e->type;
}

static Type *check_unary(Checker *k, Expr *e, Type *want)
{
    Expr *x = e->unary.e;
    Type *t = check_expr(k, x, e->unary.op == OP_NOT ? type_prim(k->c, TY_BOOL) : want);
    if (t->kind == TY_ERROR || no_value(k, x))
        return err_type(k);
    switch (e->unary.op) {
    case OP_NEG:
        if (!type_is_numeric(t) && !is_untyped(t)) {
            ERR(k, e->loc, "'-' needs a number, found '%s'", TN(tn, 0, t));
            return err_type(k);
        }
        if (type_is_int(t) && !type_is_signed(t)) {
            ERR(k, e->loc, "cannot negate a value of the unsigned type '%s'", TN(tn, 0, t));
            return err_type(k);
        }
        if (x->is_const) {
            if (x->cval.is_float) {
                set_float(e, -x->cval.f);
            } else {
                __int128 v = -x->cval.i;
                if (type_is_int(t) && !const_fits(t, v)) {
                    ERR(k, e->loc, "constant expression overflows '%s'", TN(tn, 0, t));
                    return err_type(k);
                }
                set_int(e, v);
            }
        }
        return t;
    case OP_NOT:
        if (t->kind != TY_BOOL) {
            ERR(k, e->loc, "'!' needs a 'bool', found '%s'", TN(tn, 0, t));
            return err_type(k);
        }
        if (x->is_const)
            set_bool(e, !x->cval.i);
        return t;
    default: /* ~ */
        if (!type_is_int(t) && t->kind != TY_INTLIT) {
            ERR(k, e->loc, "'~' needs an integer, found '%s'", TN(tn, 0, t));
            return err_type(k);
        }
        if (x->is_const)
            set_int(e, t->kind == TY_INTLIT ? ~x->cval.i : wrap(t, ~x->cval.i));
        return t;
    }
}

/* T(x): numeric conversions, checked (run time: trap; constants: error). */
static Type *check_conversion(Checker *k, Expr *e, Type *to)
{
    char nb[64];
    e->call.conv = to;
    if (e->call.args.n != 1) {
        ERR(k, e->loc, "a conversion to '%s' takes one value", TN(tn, 0, to));
        for (uint32_t i = 0; i < e->call.args.n; i++)
            check_expr(k, e->call.args.v[i], NULL);
        return err_type(k);
    }
    Expr *x = e->call.args.v[0];
    Type *t = check_expr(k, x, to);
    if (t->kind == TY_ERROR || no_value(k, x))
        return err_type(k);
    if (!type_is_numeric(to)) {
        if (t == to)
            return to;
        ERR(k, e->loc, "cannot convert '%s' to '%s' (conversions are between numbers)",
            TN(tn, 0, t), TN(tn, 1, to));
        return err_type(k);
    }
    if (!type_is_numeric(t) && !is_untyped(t)) {
        ERR(k, x->loc, "cannot convert '%s' to '%s' (conversions are between numbers)",
            TN(tn, 0, t), TN(tn, 1, to));
        return err_type(k);
    }
    if (x->is_const) {
        if (x->cval.is_float) {
            double v = x->cval.f;
            if (type_is_float(to)) {
                set_float(e, round_to(to, v));
            } else {
                double tv = trunc(v);
                if (isnan(v) || tv <= -1.8e19 || tv >= 1.9e19 || !const_fits(to, (__int128)tv)) {
                    ERR(k, x->loc, "constant %g does not fit in '%s'", v, TN(tn, 0, to));
                    return err_type(k);
                }
                set_int(e, (__int128)tv);
            }
        } else {
            __int128 v = x->cval.i;
            if (type_is_float(to)) {
                set_float(e, round_to(to, (double)v));
            } else {
                if (!const_fits(to, v)) {
                    ERR(k, x->loc, "constant %s does not fit in '%s'",
                        show_int(v, nb, sizeof nb), TN(tn, 0, to));
                    return err_type(k);
                }
                set_int(e, v);
            }
        }
    }
    if (is_untyped(t)) {
        /* A literal takes the target's type when it can: u64(2^64 - 1). */
        if ((t->kind == TY_INTLIT && type_is_int(to)) || type_is_float(to))
            coerce(k, x, to);
        else
            finalize(k, x);
    }
    return to;
}

static Type *check_call(Checker *k, Expr *e)
{
    char sb[128];
    Expr *callee = e->call.callee;
    Sym s = {.kind = SYM_NONE};
    const char *shown = "this expression";
    if (callee->kind == E_NAME) {
        s = lookup(k, callee->name.name);
        callee->name.sym = s;
        shown = callee->name.name;
        if (s.kind == SYM_NONE) {
            ERR(k, callee->loc, "unknown function '%s'%s", callee->name.name,
                suggest_name(k, callee->name.name, sb, sizeof sb));
            for (uint32_t i = 0; i < e->call.args.n; i++)
                check_expr(k, e->call.args.v[i], NULL);
            return err_type(k);
        }
    } else if (callee->kind == E_FIELD && callee->field.obj->kind == E_NAME) {
        Sym ms = lookup(k, callee->field.obj->name.name);
        if (ms.kind == SYM_MODULE) {
            Sym *m = symtab_get(&ms.mod->syms, callee->field.name);
            if (!m) {
                ERR(k, callee->field.nloc, "module '%s' has no function '%s'%s",
                    callee->field.obj->name.name, callee->field.name,
                    suggest_in(&ms.mod->syms, callee->field.name, sb, sizeof sb));
                for (uint32_t i = 0; i < e->call.args.n; i++)
                    check_expr(k, e->call.args.v[i], NULL);
                return err_type(k);
            }
            s = *m;
            callee->field.sym = s;
            shown = callee->field.name;
        }
    }
    switch (s.kind) {
    case SYM_TYPE:
        return check_conversion(k, e, s.type);
    case SYM_BUILTIN: {
        e->call.builtin = s.builtin;
        uint32_t want_n = s.builtin == BI_READ_ALL ? 0 : 1;
        if (e->call.args.n != want_n) {
            ERR(k, e->loc, "'%s' takes %u argument%s, found %u", shown, want_n,
                want_n == 1 ? "" : "s", e->call.args.n);
            for (uint32_t i = 0; i < e->call.args.n; i++)
                check_expr(k, e->call.args.v[i], NULL);
            return err_type(k);
        }
        switch (s.builtin) {
        case BI_LEN: {
            Expr *x = e->call.args.v[0];
            Type *t = check_obj(k, x);
            if (t->kind == TY_ERROR)
                return err_type(k);
            if (t->kind == TY_ARRAY && x->kind == E_NAME)
                set_int(e, t->len);
            else if (t->kind == TY_ARRAY)
                ;
            else if (x->is_const && x->cval.is_str)
                set_int(e, x->cval.ns);
            else if (t->kind != TY_SLICE && t->kind != TY_STR && t->kind != TY_HEAP) {
                ERR(k, x->loc, "'len' needs an array, slice or str, found '%s'", TN(tn, 0, t));
                return err_type(k);
            }
            return type_prim(k->c, TY_I64);
        }
        case BI_PARSE_I64:
        case BI_PARSE_F64: {
            Expr *x = e->call.args.v[0];
            Type *t = check_expr(k, x, type_prim(k->c, TY_STR));
            if (t->kind != TY_ERROR)
                coerce(k, x, type_prim(k->c, TY_STR));
            return type_errunion(k->c, type_prim(k->c, s.builtin == BI_PARSE_I64 ? TY_I64 : TY_F64));
        }
        case BI_READ_ALL:
            return type_errunion(k->c, type_prim(k->c, TY_STR));
        default:
            return err_type(k);
        }
    }
    case SYM_FN: {
        FnDecl *fn = s.fn;
        resolve_sig(k, fn);
        e->call.fn = fn;
        if (e->call.args.n != fn->params.n) {
            ERR(k, e->loc, "'%s' takes %u argument%s, found %u", fn->name, fn->params.n,
                fn->params.n == 1 ? "" : "s", e->call.args.n);
            for (uint32_t i = 0; i < e->call.args.n; i++)
                check_expr(k, e->call.args.v[i], NULL);
            return err_type(k);
        }
        for (uint32_t i = 0; i < e->call.args.n; i++) {
            Expr *a = e->call.args.v[i];
            Type *pt = fn->params.v[i].type;
            Type *t = check_expr(k, a, pt);
            if (t->kind != TY_ERROR && pt->kind != TY_ERROR)
                coerce(k, a, pt);
            if (has_borrows(pt))
                join_region(e, a);
        }
        if (fn->is_main) {
            ERR(k, e->loc, "'main' cannot be called");
            return err_type(k);
        }
        return fn->ret;
    }
    case SYM_NONE:
        if (check_expr(k, callee, NULL)->kind != TY_ERROR)
            ERR(k, callee->loc, "%s is not a function", shown);
        for (uint32_t i = 0; i < e->call.args.n; i++)
            check_expr(k, e->call.args.v[i], NULL);
        return err_type(k);
    case SYM_STRUCT:
        ERR(k, callee->loc, "'%s' is a struct; make one with '%s { field: value, ... }'",
            shown, shown);
        break;
    default:
        ERR(k, callee->loc, "'%s' is not a function", shown);
        break;
    }
    if (s.kind == SYM_NONE)
        check_expr(k, callee, NULL);
    for (uint32_t i = 0; i < e->call.args.n; i++)
        check_expr(k, e->call.args.v[i], NULL);
    return err_type(k);
}

static Type *check_name(Checker *k, Expr *e, bool heap_ok)
{
    char sb[128];
    Sym s = lookup(k, e->name.name);
    e->name.sym = s;
    switch (s.kind) {
    case SYM_LOCAL: {
        Local *l = s.local;
        l->used = true;
        if (l->type->kind == TY_HEAP && !heap_ok) {
            ERR(k, e->loc, "the heap array '%s' cannot be copied or moved; use a slice of "
                           "it, '%s[..]'", l->name, l->name);
            return err_type(k);
        }
        e->region = l->region;
        e->root = l;
        if (l->type->kind == TY_HEAP) {
            e->region = l->depth;
        }
        return l->type;
    }
    case SYM_CONST:
        check_const(k, s.cnst);
        if (s.cnst->type->kind == TY_ERROR)
            return s.cnst->type;
        e->is_const = true;
        e->cval = s.cnst->val;
        return s.cnst->type;
    case SYM_NONE: {
        char rel[80];
        size_t n;
        snprintf(rel, sizeof rel, "std/%s.yao", e->name.name);
        if (stdlib_find(rel, &n))
            ERR(k, e->loc, "unknown name '%s' (add 'import std.%s;')", e->name.name,
                e->name.name);
        else
            ERR(k, e->loc, "unknown name '%s'%s", e->name.name,
                suggest_name(k, e->name.name, sb, sizeof sb));
        return err_type(k);
    }
    case SYM_FN:
    case SYM_BUILTIN:
        ERR(k, e->loc, "'%s' is a function; call it with '%s(...)'", e->name.name,
            e->name.name);
        return err_type(k);
    case SYM_MODULE:
        ERR(k, e->loc, "'%s' is a module; use one of its names, as in '%s.name'",
            e->name.name, e->name.name);
        return err_type(k);
    default:
        ERR(k, e->loc, "'%s' is a type, not a value", e->name.name);
        return err_type(k);
    }
}

static Type *check_field(Checker *k, Expr *e)
{
    char sb[128];
    Expr *obj = e->field.obj;
    if (obj->kind == E_NAME) {
        Sym ms = lookup(k, obj->name.name);
        if (ms.kind == SYM_MODULE) {
            Sym *s = symtab_get(&ms.mod->syms, e->field.name);
            if (!s) {
                ERR(k, e->field.nloc, "module '%s' has no '%s'%s", obj->name.name,
                    e->field.name, suggest_in(&ms.mod->syms, e->field.name, sb, sizeof sb));
                return err_type(k);
            }
            e->field.sym = *s;
            if (s->kind == SYM_CONST) {
                check_const(k, s->cnst);
                if (s->cnst->type->kind == TY_ERROR)
                    return s->cnst->type;
                e->is_const = true;
                e->cval = s->cnst->val;
                return s->cnst->type;
            }
            if (s->kind == SYM_FN)
                ERR(k, e->loc, "'%s.%s' is a function; call it", obj->name.name, e->field.name);
            else
                ERR(k, e->loc, "'%s.%s' is not a value", obj->name.name, e->field.name);
            return err_type(k);
        }
    }
    Type *t = check_expr(k, obj, NULL);
    if (t->kind == TY_ERROR || no_value(k, obj))
        return err_type(k);
    e->region = obj->region;
    e->root = obj->root;
    if (t->kind == TY_STRUCT) {
        StructDecl *sd = t->sd;
        for (uint32_t i = 0; i < sd->fields.n; i++) {
            if (strcmp(sd->fields.v[i].name, e->field.name) == 0) {
                e->field.index = (int)i;
                return sd->fields.v[i].type;
            }
        }
        SymTab fields = {0};
        for (uint32_t i = 0; i < sd->fields.n; i++)
            symtab_put(&k->c->arena, &fields, sd->fields.v[i].name, (Sym){0});
        ERR(k, e->field.nloc, "'%s' has no field '%s'%s", sd->name, e->field.name,
            suggest_in(&fields, e->field.name, sb, sizeof sb));
        return err_type(k);
    }
    if (strcmp(e->field.name, "len") == 0 &&
        (t->kind == TY_SLICE || t->kind == TY_ARRAY || t->kind == TY_STR)) {
        ERR(k, e->field.nloc, "'%s' has no field 'len'; use 'len(x)'", TN(tn, 0, t));
        return err_type(k);
    }
    ERR(k, e->field.nloc, "'%s' has no fields", TN(tn, 0, t));
    return err_type(k);
}

/* An index or slice bound: any integer type (untyped becomes i64). */
static bool check_index_value(Checker *k, Expr *x)
{
    Type *t = check_expr(k, x, type_prim(k->c, TY_I64));
    if (t->kind == TY_ERROR || no_value(k, x))
        return false;
    if (t->kind == TY_INTLIT)
        return coerce(k, x, type_prim(k->c, TY_I64));
    if (!type_is_int(t)) {
        ERR(k, x->loc, "an index must be an integer, found '%s'", TN(tn, 0, t));
        return false;
    }
    return true;
}

Type *check_obj(Checker *k, Expr *e)
{
    if (e->kind == E_NAME)
        return e->type = check_name(k, e, true);
    if (e->kind == E_PAREN) {
        Type *t = check_obj(k, e->paren);
        e->region = e->paren->region;
        e->root = e->paren->root;
        e->is_const = e->paren->is_const;
        e->cval = e->paren->cval;
        return e->type = t;
    }
    return check_expr(k, e, NULL);
}

static Type *check_index(Checker *k, Expr *e)
{
    Type *t = check_obj(k, e->index.obj);
    bool ok = check_index_value(k, e->index.idx);
    if (t->kind == TY_ERROR || !ok)
        return err_type(k);
    e->region = e->index.obj->region;
    e->root = e->index.obj->root;
    Expr *i = e->index.idx;
    Type *elem;
    switch (t->kind) {
    case TY_ARRAY: case TY_SLICE: case TY_HEAP: elem = t->elem; break;
    case TY_STR: elem = type_prim(k->c, TY_U8); break;
    default:
        ERR(k, e->loc, "cannot index '%s'", TN(tn, 0, t));
        return err_type(k);
    }
    if (i->is_const && (i->cval.i < 0 || (t->kind == TY_ARRAY && i->cval.i >= t->len))) {
        char nb[64];
        ERR(k, i->loc, "index %s is out of bounds for '%s'", show_int(i->cval.i, nb, sizeof nb),
            TN(tn, 0, t));
        return err_type(k);
    }
    if (t->kind == TY_STR && e->index.obj->is_const && e->index.obj->cval.is_str &&
        i->is_const) {
        if (i->cval.i >= e->index.obj->cval.ns) {
            char nb[64];
            ERR(k, i->loc, "index %s is out of bounds for a string of length %u",
                show_int(i->cval.i, nb, sizeof nb), e->index.obj->cval.ns);
            return err_type(k);
        }
    }
    return elem;
}

static Type *check_slice(Checker *k, Expr *e)
{
    Expr *obj = e->slice.obj;
    Type *t = check_obj(k, obj);
    bool ok = true;
    if (e->slice.lo)
        ok &= check_index_value(k, e->slice.lo);
    if (e->slice.hi)
        ok &= check_index_value(k, e->slice.hi);
    if (t->kind == TY_ERROR || !ok)
        return err_type(k);
    Expr *lo = e->slice.lo, *hi = e->slice.hi;
    if (lo && lo->is_const && lo->cval.i < 0) {
        ERR(k, lo->loc, "a slice cannot start before 0");
        return err_type(k);
    }
    if (t->kind == TY_ARRAY && hi && hi->is_const && hi->cval.i > t->len) {
        ERR(k, hi->loc, "the slice ends past the end of '%s'", TN(tn, 0, t));
        return err_type(k);
    }
    if (lo && hi && lo->is_const && hi->is_const && lo->cval.i > hi->cval.i) {
        ERR(k, lo->loc, "the slice starts after it ends");
        return err_type(k);
    }
    e->region = obj->region;
    e->root = obj->root;
    switch (t->kind) {
    case TY_STR:
        return t;
    case TY_SLICE:
        return t;
    case TY_HEAP: {
        Local *l = obj->root;
        return type_slice(k->c, t->elem, l && l->mut);
    }
    case TY_ARRAY: {
        Place p = analyze_place(k, obj);
        if (p.is_place && p.root) {
            if (p.root->depth > e->region || !p.is_place) {
                e->region = p.root->depth;
                e->root = p.root;
            }
        } else if (!p.is_place || !p.root) {
            if (p.home > e->region)
                e->region = p.home;
            if (!p.is_place) { /* a temporary array: lives in this frame */
                e->region = k->depth;
                e->root = NULL;
            }
        }
        /* Through a slice the array's storage is the slice's. */
        return type_slice(k->c, t->elem, p.is_place && p.writable);
    }
    default:
        ERR(k, e->loc, "cannot slice '%s'", TN(tn, 0, t));
        return err_type(k);
    }
}

static StructDecl *find_struct(Checker *k, Expr *e)
{
    char sb[128];
    if (e->slit.qual) {
        Sym ms = lookup(k, e->slit.qual);
        if (ms.kind != SYM_MODULE) {
            ERR(k, e->loc, "unknown module '%s'", e->slit.qual);
            return NULL;
        }
        Sym *s = symtab_get(&ms.mod->syms, e->slit.name);
        if (!s || s->kind != SYM_STRUCT) {
            ERR(k, e->loc, "module '%s' has no struct '%s'%s", e->slit.qual, e->slit.name,
                suggest_in(&ms.mod->syms, e->slit.name, sb, sizeof sb));
            return NULL;
        }
        return s->sd;
    }
    Sym s = lookup(k, e->slit.name);
    if (s.kind == SYM_STRUCT)
        return s.sd;
    if (s.kind == SYM_NONE)
        ERR(k, e->loc, "unknown struct '%s'%s", e->slit.name,
            suggest_name(k, e->slit.name, sb, sizeof sb));
    else
        ERR(k, e->loc, "'%s' is not a struct", e->slit.name);
    return NULL;
}

static Type *check_structlit(Checker *k, Expr *e)
{
    char sb[128];
    StructDecl *sd = find_struct(k, e);
    if (!sd) {
        for (uint32_t i = 0; i < e->slit.inits.n; i++)
            check_expr(k, e->slit.inits.v[i].value, NULL);
        return err_type(k);
    }
    resolve_struct(k, sd);
    e->slit.sd = sd;
    bool ok = true;
    bool *given = arena_alloc(&k->c->arena, sd->fields.n + 1);
    for (uint32_t i = 0; i < e->slit.inits.n; i++) {
        FieldInit *fi = &e->slit.inits.v[i];
        int idx = -1;
        for (uint32_t j = 0; j < sd->fields.n; j++)
            if (strcmp(sd->fields.v[j].name, fi->name) == 0)
                idx = (int)j;
        if (idx < 0) {
            SymTab fields = {0};
            for (uint32_t j = 0; j < sd->fields.n; j++)
                symtab_put(&k->c->arena, &fields, sd->fields.v[j].name, (Sym){0});
            ERR(k, fi->loc, "'%s' has no field '%s'%s", sd->name, fi->name,
                suggest_in(&fields, fi->name, sb, sizeof sb));
            check_expr(k, fi->value, NULL);
            ok = false;
            continue;
        }
        if (given[idx]) {
            ERR(k, fi->loc, "field '%s' is given twice", fi->name);
            ok = false;
        }
        given[idx] = true;
        fi->index = idx;
        Type *ft = sd->fields.v[idx].type;
        Type *t = check_expr(k, fi->value, ft);
        if (t->kind == TY_ERROR || !coerce(k, fi->value, ft))
            ok = false;
        join_region(e, fi->value);
    }
    for (uint32_t j = 0; j < sd->fields.n; j++) {
        if (!given[j]) {
            ERR(k, e->loc, "missing field '%s' in '%s'", sd->fields.v[j].name, sd->name);
            ok = false;
        }
    }
    return ok ? type_struct(k->c, sd) : err_type(k);
}

static Type *check_arraylit(Checker *k, Expr *e, Type *want)
{
    Type *ew = want && want->kind == TY_ARRAY ? want->elem : NULL;
    if (e->alit.n == 0) {
        if (want && want->kind == TY_ARRAY && want->len == 0)
            return want;
        ERR(k, e->loc, "an empty array literal needs a declared type such as '[i64; 0]'");
        return err_type(k);
    }
    Type *et = ew;
    bool ok = true;
    for (uint32_t i = 0; i < e->alit.n; i++) {
        Type *t = check_expr(k, e->alit.v[i], et ? et : ew);
        if (t->kind == TY_ERROR) {
            ok = false;
            continue;
        }
        if (!et && !is_untyped(t))
            et = t;
    }
    if (!ok)
        return err_type(k);
    if (!et)
        et = finalize(k, e->alit.v[0]);
    for (uint32_t i = 0; i < e->alit.n; i++) {
        if (!coerce(k, e->alit.v[i], et))
            ok = false;
        else if (no_value(k, e->alit.v[i]))
            ok = false;
        join_region(e, e->alit.v[i]);
    }
    if (!ok)
        return err_type(k);
    return type_array(k->c, et, e->alit.n);
}

static Type *check_arrayrep(Checker *k, Expr *e, Type *want)
{
    Type *ew = want && want->kind == TY_ARRAY ? want->elem : NULL;
    Type *t = check_expr(k, e->arep.val, ew);
    Type *nt = check_expr(k, e->arep.count, NULL);
    if (t->kind == TY_ERROR || nt->kind == TY_ERROR || no_value(k, e->arep.val))
        return err_type(k);
    Expr *n = e->arep.count;
    if (!n->is_const || n->cval.is_float || n->cval.is_bool || n->cval.is_str) {
        ERR(k, n->loc, "the count in '[value; count]' must be a constant integer "
                       "(for a run-time size use 'alloc [T; n]')");
        return err_type(k);
    }
    if (n->cval.i < 0) {
        ERR(k, n->loc, "array length %lld is negative", (long long)n->cval.i);
        return err_type(k);
    }
    if (ew) {
        if (!coerce(k, e->arep.val, ew))
            return err_type(k);
        t = ew;
    } else {
        t = finalize(k, e->arep.val);
    }
    if (n->cval.i > (__int128)MAX_OBJECT_SIZE ||
        (n->cval.i && type_size(t) > MAX_OBJECT_SIZE / (uint64_t)n->cval.i)) {
        ERR(k, e->loc, "array '[%s; %lld]' is too large", TN(tn, 0, t), (long long)n->cval.i);
        return err_type(k);
    }
    e->arep.n = (int64_t)n->cval.i;
    join_region(e, e->arep.val);
    return type_array(k->c, t, e->arep.n);
}

static Type *check_alloc(Checker *k, Expr *e)
{
    Type *t = resolve_type(k, e->alloc.elem);
    bool ok = check_index_value(k, e->alloc.count);
    if (t->kind == TY_ERROR || !ok)
        return err_type(k);
    if (t->kind == TY_ERRUNION) {
        ERR(k, e->alloc.elem->loc, "a heap array cannot hold '%s'", TN(tn, 0, t));
        return err_type(k);
    }
    if (e->alloc.count->is_const && e->alloc.count->cval.i < 0) {
        ERR(k, e->alloc.count->loc, "a heap array cannot have a negative length");
        return err_type(k);
    }
    return type_heap(k->c, t);
}

static void check_shell(Checker *k, Expr *e)
{
    uint32_t n = e->shell.n;
    bool first_cmd = true;
    for (uint32_t i = 0; i < n; i++) {
        ShellItem *it = &e->shell.v[i];
        switch (it->kind) {
        case SH_WORD:
            check_parts(k, &it->parts);
            break;
        case SH_PIPE:
            first_cmd = false;
            break;
        case SH_IN:
            if (!first_cmd)
                ERR(k, it->loc, "'<' is only allowed on the first command of a pipeline");
            break;
        case SH_OUT:
        case SH_APPEND: {
            for (uint32_t j = i + 1; j < n; j++)
                if (e->shell.v[j].kind == SH_PIPE) {
                    ERR(k, it->loc, "'%s' is only allowed on the last command of a pipeline",
                        it->kind == SH_OUT ? ">" : ">>");
                    break;
                }
            break;
        }
        case SH_ERR:
            break;
        }
    }
    /* Every command of a pipeline needs a program name. */
    bool have_word = false;
    for (uint32_t i = 0; i < n; i++) {
        ShellItem *it = &e->shell.v[i];
        if (it->kind == SH_WORD) {
            have_word = true;
        } else if (it->kind == SH_PIPE) {
            if (!have_word)
                ERR(k, it->loc, "a command is missing before '|'");
            have_word = false;
        } else {
            i++; /* the file name */
        }
    }
    if (!have_word)
        ERR(k, e->loc, "the command has no program name");
}

static Type *check_kind(Checker *k, Expr *e, Type *want, bool alloc_ok)
{
    switch (e->kind) {
    case E_INT:
        if (e->ilit.too_big) {
            ERR(k, e->loc, "integer literal is too large for any integer type");
            return err_type(k);
        }
        set_int(e, e->ilit.v);
        return type_prim(k->c, e->ilit.is_char ? TY_U8 : TY_INTLIT);
    case E_FLOAT:
        set_float(e, e->flit);
        if (isinf(e->flit)) {
            ERR(k, e->loc, "float literal is too large for 'f64'");
            return err_type(k);
        }
        return type_prim(k->c, TY_FLOATLIT);
    case E_BOOL:
        set_bool(e, e->blit);
        return type_prim(k->c, TY_BOOL);
    case E_STR:
        check_parts(k, &e->str);
        if (e->str.n == 1 && !e->str.v[0].expr) {
            e->is_const = true;
            memset(&e->cval, 0, sizeof e->cval);
            e->cval.ok = true;
            e->cval.is_str = true;
            e->cval.s = e->str.v[0].bytes;
            e->cval.ns = e->str.v[0].nbytes;
        }
        return type_prim(k->c, TY_STR);
    case E_NAME:
        return check_name(k, e, false);
    case E_FIELD:
        return check_field(k, e);
    case E_INDEX:
        return check_index(k, e);
    case E_SLICE:
        return check_slice(k, e);
    case E_CALL:
        return check_call(k, e);
    case E_UNARY:
        return check_unary(k, e, want);
    case E_BINARY:
        return check_binary(k, e, want);
    case E_STRUCTLIT:
        return check_structlit(k, e);
    case E_ARRAYLIT:
        return check_arraylit(k, e, want);
    case E_ARRAYREP:
        return check_arrayrep(k, e, want);
    case E_ALLOC:
        if (!alloc_ok) {
            ERR(k, e->loc, "'alloc' makes a heap array owned by a variable: write "
                           "'v := alloc [T; n];'");
            check_alloc(k, e);
            return err_type(k);
        }
        return check_alloc(k, e);
    case E_TRY: {
        Type *t = check_expr(k, e->try_.e, NULL);
        if (t->kind == TY_ERROR)
            return t;
        if (t->kind != TY_ERRUNION) {
            ERR(k, e->loc, "'try' needs a value that may be an error, found '%s'", TN(tn, 0, t));
            return err_type(k);
        }
        Type *fr = k->fn ? k->fn->ret : NULL;
        if (!fr || (fr->kind != TY_ERRUNION && fr->kind != TY_ERROR)) {
            ERR(k, e->loc, "'try' passes the error on to the caller, so '%s' must return "
                           "an error union (such as '!%s')",
                k->fn ? k->fn->name : "this function",
                fr ? TN(tn, 0, fr->kind == TY_VOID ? type_prim(k->c, TY_I32) : fr) : "i32");
            return err_type(k);
        }
        e->region = e->try_.e->region;
        e->root = e->try_.e->root;
        return t->elem;
    }
    case E_CATCH: {
        Type *t = check_expr(k, e->catch_.e, NULL);
        if (t->kind == TY_ERROR) {
            check_expr(k, e->catch_.dflt, NULL);
            return t;
        }
        if (t->kind != TY_ERRUNION) {
            ERR(k, e->loc, "'catch' needs a value that may be an error, found '%s'",
                TN(tn, 0, t));
            check_expr(k, e->catch_.dflt, NULL);
            return err_type(k);
        }
        Type *d = check_expr(k, e->catch_.dflt, t->elem);
        if (d->kind == TY_ERROR || !coerce(k, e->catch_.dflt, t->elem))
            return err_type(k);
        e->region = e->catch_.e->region;
        e->root = e->catch_.e->root;
        join_region(e, e->catch_.dflt);
        return t->elem;
    }
    case E_ERROR:
        ERR(k, e->loc, "'error.%s' can only be returned ('return error.%s;')", e->err.name,
            e->err.name);
        return err_type(k);
    case E_SHELL:
        check_shell(k, e);
        return type_struct(k->c, k->c->proc_sd);
    case E_PAREN: {
        Type *t = check_expr(k, e->paren, want);
        e->is_const = e->paren->is_const;
        e->cval = e->paren->cval;
        e->region = e->paren->region;
        e->root = e->paren->root;
        return t;
    }
    }
    return err_type(k);
}

Type *check_expr(Checker *k, Expr *e, Type *want)
{
    bool alloc_ok = k->alloc_ok;
    k->alloc_ok = false;
    if (k->expr_depth >= MAX_EXPR_DEPTH) {
        if (!k->too_deep)
            ERR(k, e->loc, "expression nested too deeply (more than %d levels)", MAX_EXPR_DEPTH);
        k->too_deep = true;
        return e->type = err_type(k);
    }
    k->expr_depth++;
    Type *t = check_kind(k, e, want, alloc_ok);
    k->expr_depth--;
    e->type = t;
    if (t->kind == TY_STR) /* string bytes never live in local storage */
        e->region = 0, e->root = NULL;
    if (e->kind == E_PAREN && e->paren->type != t)
        e->paren->type = t;
    return t;
}
