/* verify.c - the IR verifier: every rule a module must keep before any
 * tool, interpreter or backend may use it (docs/ir.md, "Verifier rules").
 *
 * It reports every violation, each as a located error (the instruction's,
 * block's, value's or item's loc); a module built through the API or read
 * from binary has no line numbers, so its messages name the function and
 * block instead ("in '@f', block 'loop': ..."). To keep the list readable
 * and free of cascades, each instruction, block header and item gets at
 * most one error, and a use is always checked against the type its value
 * was declared with, so one bad definition does not poison its uses.
 *
 * Items are checked in written order, each function's body right after
 * its header. Per function, a first pass records where every value is
 * defined (so uses may come before definitions in the text); the second
 * pass checks parameters, blocks and instructions in written order.
 * Dominance comes from dominators.c. */
#include "dominators.h"
#include "ir.h"
#include "oblig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small string-keyed hash map (names -> numbers) ---- */

typedef struct NameMap {
    uint32_t cap; /* power of two, or 0 when allocation failed */
    const char **keys;
    uint32_t *vals;
} NameMap;

static bool map_init(NameMap *s, size_t n)
{
    uint32_t cap = 16;
    while (cap < 2 * n + 1 && cap < (UINT32_C(1) << 31))
        cap *= 2;
    s->keys = calloc(cap, sizeof *s->keys);
    s->vals = calloc(cap, sizeof *s->vals);
    s->cap = s->keys && s->vals ? cap : 0;
    return s->cap != 0;
}

static void map_free(NameMap *s)
{
    free(s->keys);
    free(s->vals);
    s->keys = NULL;
    s->vals = NULL;
    s->cap = 0;
}

static uint32_t map_slot(const NameMap *s, const char *k)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        h = (h ^ *p) * 16777619u;
    uint32_t i = h & (s->cap - 1);
    while (s->keys[i] && strcmp(s->keys[i], k) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

/* The number stored under k, or IR_NONE after storing v there. */
static uint32_t map_put(NameMap *s, const char *k, uint32_t v)
{
    uint32_t i = map_slot(s, k);
    if (s->keys[i])
        return s->vals[i];
    s->keys[i] = k;
    s->vals[i] = v;
    return IR_NONE;
}

static uint32_t map_get(const NameMap *s, const char *k)
{
    uint32_t i = map_slot(s, k);
    return s->keys[i] ? s->vals[i] : IR_NONE;
}

/* ---- verifier state ---- */

typedef struct Verifier {
    const IrModule *m;
    bool ok;
    NameMap items;          /* name -> first non-variant item with it */
    /* the function being checked */
    const IrItem *item;
    const IrFunc *f;
    uint32_t bi;            /* current block, or IR_NONE */
    uint64_t pos;           /* current instruction's place (POS_INST) */
    IrDom *dom;
    uint32_t *def_block;    /* per value: defining block, IR_NONE if none */
    uint64_t *def_pos;      /* per value: place in that block (see POS_*) */
} Verifier;

typedef struct Str {
    char s[200];
} Str;

/* 'name' or #N for a value / block without a name. */
static Str value_str(const Verifier *V, uint32_t v)
{
    Str r;
    if (v < V->f->nvals && V->f->vals[v].name)
        snprintf(r.s, sizeof r.s, "'%%%.120s'", V->f->vals[v].name);
    else
        snprintf(r.s, sizeof r.s, "#%u", (unsigned)v);
    return r;
}

static Str block_str(const Verifier *V, uint32_t b)
{
    Str r;
    if (b < V->f->nblocks && V->f->blocks[b]->name)
        snprintf(r.s, sizeof r.s, "'%.120s'", V->f->blocks[b]->name);
    else
        snprintf(r.s, sizeof r.s, "#%u", (unsigned)b);
    return r;
}

static Str item_str(const Verifier *V, uint32_t i)
{
    Str r;
    if (i < V->m->nitems && V->m->items[i].name)
        snprintf(r.s, sizeof r.s, "'@%.120s'", V->m->items[i].name);
    else
        snprintf(r.s, sizeof r.s, "#%u", (unsigned)i);
    return r;
}

/* Where an error is: the whole module/item, the current function, or the
 * current block; decides the "in '@f', block 'b': " prefix used when the
 * error has no line. */
enum { AT_ITEM, AT_FUNC, AT_BLOCK };

static void vreport(Verifier *V, IrLoc loc, int level, const char *fmt, va_list ap)
{
    char msg[768], where[400] = "";
    vsnprintf(msg, sizeof msg, fmt, ap);
    V->ok = false;
    if (loc.line) {
        ir_error(V->m->ctx, V->m->src, loc, "%s", msg);
        return;
    }
    if (level != AT_ITEM && V->item) {
        const char *name = V->item->name ? V->item->name : "?";
        if (V->f && V->f->target)
            snprintf(where, sizeof where, "in '@%.120s' (target %.40s)", name, V->f->target);
        else
            snprintf(where, sizeof where, "in '@%.120s'", name);
        if (level == AT_BLOCK && V->bi != IR_NONE) {
            size_t n = strlen(where);
            snprintf(where + n, sizeof where - n, ", block %s", block_str(V, V->bi).s);
        }
    }
    if (where[0])
        ir_error_plain(V->m->ctx, V->m->src, "%s: %s", where, msg);
    else
        ir_error_plain(V->m->ctx, V->m->src, "%s", msg);
}

__attribute__((format(printf, 3, 4)))
static bool err_item(Verifier *V, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(V, loc, AT_ITEM, fmt, ap);
    va_end(ap);
    return false;
}

__attribute__((format(printf, 3, 4)))
static bool err_func(Verifier *V, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(V, loc, AT_FUNC, fmt, ap);
    va_end(ap);
    return false;
}

__attribute__((format(printf, 3, 4)))
static bool err_inst(Verifier *V, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(V, loc, AT_BLOCK, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- small facts ---- */

/* Symbol names as the text form spells them: [A-Za-z_.$][A-Za-z0-9_.$]*
 * or a decimal number. They are the module's interface (linking, C
 * functions, @main), so they are checked; the names of values and blocks
 * are only for people, and the printer renames unusable or repeated ones. */
static bool valid_name(const char *s)
{
    if (!s || !*s)
        return false;
    bool digits = true;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            digits = false;
    if (digits)
        return true;
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     c == '_' || c == '.' || c == '$';
        if (!alpha && (p == s || c < '0' || c > '9'))
            return false;
    }
    return true;
}

/* Target names are words only, like block labels. */
static bool valid_word(const char *s)
{
    return valid_name(s) && !(*s >= '0' && *s <= '9');
}

static bool is_value_type(unsigned t) { return t >= IR_I1 && t <= IR_PTR; }

static bool in_class(unsigned t, IrTypeClass tc)
{
    switch (tc) {
    case IR_TC_INT: return ir_type_is_int((IrType)t);
    case IR_TC_FLOAT: return ir_type_is_float((IrType)t);
    case IR_TC_INTPTR: return ir_type_is_int((IrType)t) || t == IR_PTR;
    case IR_TC_NUM: return ir_type_is_int((IrType)t) || ir_type_is_float((IrType)t);
    case IR_TC_PTR: return t == IR_PTR;
    case IR_TC_ANY: return is_value_type(t);
    default: return true;
    }
}

static const char *class_text(IrTypeClass tc)
{
    switch (tc) {
    case IR_TC_INT: return "an integer type";
    case IR_TC_FLOAT: return "a float type";
    case IR_TC_INTPTR: return "an integer or ptr type";
    case IR_TC_NUM: return "an integer or float type";
    case IR_TC_PTR: return "ptr";
    default: return "a value type";
    }
}

/* Constant bits must be zero above the type's width. */
static bool const_fits(unsigned t, uint64_t bits)
{
    return (bits & ~ir_type_mask((IrType)t)) == 0;
}

static bool is_variant(const IrModule *m, uint32_t item)
{
    return m->items[item].kind == IR_ITEM_FUNC && m->items[item].func->target;
}

static bool same_signature(const IrFunc *a, const IrFunc *b)
{
    if (a->ret != b->ret || a->nparams != b->nparams ||
        (a->attrs & IR_ATTR_VARIADIC) != (b->attrs & IR_ATTR_VARIADIC))
        return false;
    for (uint32_t i = 0; i < a->nparams; i++)
        if (a->ptypes[i] != b->ptypes[i])
            return false;
    return true;
}

static const char *plural(uint64_t n, const char *word, char *buf, size_t size)
{
    snprintf(buf, size, "%llu %s%s", (unsigned long long)n, word, n == 1 ? "" : "s");
    return buf;
}

/* Extra arguments of a variadic call: the C default argument promotions
 * leave only these, so the call is exactly what a C caller would pass. */
static bool variadic_type_ok(unsigned t)
{
    return t == IR_I32 || t == IR_I64 || t == IR_F64 || t == IR_PTR;
}

/* ---- definitions ---- */

/* Places of definitions and uses inside a block, in execution order, each
 * definition site distinct: function parameter i, block parameter i, and
 * instruction i (its result, or the place where it uses operands). */
#define POS_FPARAM(i) ((uint64_t)(i))
#define POS_BPARAM(i) ((UINT64_C(1) << 32) + (i))
#define POS_INST(i) (((uint64_t)(i) + 2) << 32)

/* A definition of value v at (block, pos); the first one recorded by
 * record_defs() is the definition, any other is a second one. */
static bool check_def(Verifier *V, uint32_t v, IrLoc loc, const char *what,
                      uint32_t block, uint64_t pos)
{
    const IrFunc *f = V->f;
    if (v >= f->nvals)
        return err_inst(V, loc, "%s refers to value #%u, which does not exist", what,
                        (unsigned)v);
    const IrValue *val = &f->vals[v];
    if (V->def_block[v] != block || V->def_pos[v] != pos)
        return err_inst(V, loc, "value %s is already defined", value_str(V, v).s);
    if (!is_value_type(val->type))
        return err_inst(V, loc, "value %s has invalid type %s", value_str(V, v).s,
                        ir_type_name((IrType)val->type));
    return true;
}

/* Pass one: record the first definition of every value, in written order. */
static void record_def(Verifier *V, uint32_t v, uint32_t block, uint64_t pos)
{
    if (v < V->f->nvals && V->def_block[v] == IR_NONE) {
        V->def_block[v] = block;
        V->def_pos[v] = pos;
    }
}

static void record_defs(Verifier *V)
{
    const IrFunc *f = V->f;
    for (uint32_t v = 0; v < f->nvals; v++)
        V->def_block[v] = IR_NONE;
    for (uint32_t i = 0; f->params && i < f->nparams; i++)
        record_def(V, f->params[i], 0, POS_FPARAM(i));
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->nparams; i++)
            record_def(V, blk->params[i], b, POS_BPARAM(i));
        for (uint32_t i = 0; i < blk->ninsts; i++)
            if (blk->insts[i].result != IR_NONE)
                record_def(V, blk->insts[i].result, b, POS_INST(i));
    }
}

/* ---- operands ---- */

/* Check operand o, used at position pos of the current block, against the
 * type `want`. `what` names it in messages ("argument 2 of call to '@f'");
 * NULL names it by itself ("operand '%x'"). */
static bool check_opd(Verifier *V, const IrInst *in, const IrOperand *o,
                      IrType want, const char *what, uint64_t pos)
{
    const IrModule *m = V->m;
    const IrFunc *f = V->f;
    char subj[300];
    switch (o->kind) {
    case IR_OPD_CONST:
        if (!what)
            what = "constant operand";
        if (want == IR_PTR)
            return err_inst(V, in->loc, "%s must be a ptr value, not a constant", what);
        if (o->type != want)
            return err_inst(V, in->loc, "%s has type %s, expected %s", what,
                            ir_type_name((IrType)o->type), ir_type_name(want));
        if (!const_fits(o->type, o->bits))
            return err_inst(V, in->loc, "constant 0x%llx does not fit in %s",
                            (unsigned long long)o->bits, ir_type_name(want));
        return true;
    case IR_OPD_SYMBOL:
        if (o->index >= m->nitems)
            return err_inst(V, in->loc, "%s refers to symbol #%u, which does not exist",
                            what ? what : "operand", (unsigned)o->index);
        if (!what) {
            snprintf(subj, sizeof subj, "operand %s", item_str(V, o->index).s);
            what = subj;
        }
        if (is_variant(m, o->index))
            return err_inst(V, in->loc, "%s refers to the target variant '%.40s' of %s",
                            what, m->items[o->index].func->target,
                            item_str(V, o->index).s);
        if (want != IR_PTR)
            return err_inst(V, in->loc, "%s has type ptr, expected %s", what,
                            ir_type_name(want));
        if (o->type != IR_PTR)
            return err_inst(V, in->loc, "%s is written as %s, but symbols are ptr", what,
                            ir_type_name((IrType)o->type));
        return true;
    case IR_OPD_VALUE:
        break;
    default:
        return err_inst(V, in->loc, "invalid operand kind %u", (unsigned)o->kind);
    }
    uint32_t v = o->index;
    if (v >= f->nvals)
        return err_inst(V, in->loc, "%s refers to value #%u, which does not exist",
                        what ? what : "operand", (unsigned)v);
    Str vs = value_str(V, v);
    if (!what) {
        snprintf(subj, sizeof subj, "operand %s", vs.s);
        what = subj;
    }
    if (V->def_block[v] == IR_NONE)
        return err_inst(V, in->loc, "use of undefined value %s", vs.s);
    IrType have = (IrType)f->vals[v].type;
    if (have != want)
        return err_inst(V, in->loc, "%s has type %s, expected %s", what,
                        ir_type_name(have), ir_type_name(want));
    if (o->type != have)
        return err_inst(V, in->loc, "%s is written as %s, but has type %s", what,
                        ir_type_name((IrType)o->type), ir_type_name(have));
    /* Definitions dominate uses: earlier in the same block (in every
     * block), or in a dominating block (checked for reachable uses). */
    uint32_t db = V->def_block[v];
    if (db == V->bi) {
        if (V->def_pos[v] >= pos)
            return err_inst(V, in->loc, "%s is used before its definition", vs.s);
    } else if (ir_dom_reachable(V->dom, V->bi) && !ir_dom_dominates(V->dom, db, V->bi)) {
        return err_inst(V, in->loc, "definition of %s in block %s does not dominate this use",
                        vs.s, block_str(V, db).s);
    }
    return true;
}

/* ---- instructions ---- */

static bool want_nopd(Verifier *V, const IrInst *in, uint32_t n)
{
    if (in->nopd == n)
        return true;
    char a[40], b[40];
    return err_inst(V, in->loc, "'%s' has %s, expected %s", ir_op_info[in->op].name,
                    plural(in->nopd, "operand", a, sizeof a),
                    plural(n, "operand", b, sizeof b));
}

/* The result of in: none when rt is void, else a new value of type rt. */
static bool check_result(Verifier *V, const IrInst *in, IrType rt)
{
    const char *name = ir_op_info[in->op].name;
    if (rt == IR_VOID) {
        if (in->result != IR_NONE)
            return err_inst(V, in->loc, "'%s' cannot have a result", name);
        return true;
    }
    if (in->result == IR_NONE)
        return err_inst(V, in->loc, "'%s' needs a result", name);
    if (!check_def(V, in->result, in->loc, "the result", V->bi, V->pos))
        return false;
    IrType have = (IrType)V->f->vals[in->result].type;
    if (have != rt)
        return err_inst(V, in->loc, "result %s of '%s' has type %s, expected %s",
                        value_str(V, in->result).s, name, ir_type_name(have),
                        ir_type_name(rt));
    return true;
}

static bool check_target(Verifier *V, const IrInst *in, const IrTarget *t, uint64_t pos)
{
    const IrFunc *f = V->f;
    if (t->block >= f->nblocks)
        return err_inst(V, in->loc, "branch to block #%u, which does not exist",
                        (unsigned)t->block);
    if (t->block == 0)
        return err_inst(V, in->loc, "branch to the entry block %s", block_str(V, 0).s);
    const IrBlock *to = f->blocks[t->block];
    Str bs = block_str(V, t->block);
    if (t->nargs != to->nparams) {
        char a[40];
        return err_inst(V, in->loc, "branch to block %s passes %s, expected %u", bs.s,
                        plural(t->nargs, "argument", a, sizeof a), (unsigned)to->nparams);
    }
    for (uint32_t i = 0; i < t->nargs; i++) {
        char what[300];
        snprintf(what, sizeof what, "argument %u of branch to block %s", (unsigned)i + 1, bs.s);
        uint32_t p = to->params[i];
        /* A broken parameter is reported at its block; type by the operand. */
        IrType want = p < f->nvals && is_value_type(f->vals[p].type)
                          ? (IrType)f->vals[p].type : (IrType)t->args[i].type;
        if (!is_value_type(want))
            return err_inst(V, in->loc, "%s has invalid type %s", what, ir_type_name(want));
        if (!check_opd(V, in, &t->args[i], want, what, pos))
            return false;
    }
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Keys as a signed number of type t, as most people write them. */
static long long key_signed(IrType t, uint64_t k)
{
    unsigned bits = ir_type_bits(t);
    if (bits < 64 && bits > 0 && (k >> (bits - 1)) & 1)
        k |= ~ir_type_mask(t);
    return (long long)k;
}

static bool check_switch(Verifier *V, const IrInst *in, uint64_t pos)
{
    IrType t = (IrType)in->type;
    if (!want_nopd(V, in, 1) || !check_opd(V, in, &in->opd[0], t, NULL, pos))
        return false;
    if (in->ntgt < 1)
        return err_inst(V, in->loc, "'switch' has no default target");
    uint32_t nk = in->ntgt - 1;
    if (nk && !in->keys)
        return err_inst(V, in->loc, "'switch' has no case keys");
    for (uint32_t i = 0; i < nk; i++)
        if (!const_fits(t, in->keys[i]))
            return err_inst(V, in->loc, "switch key 0x%llx does not fit in %s",
                            (unsigned long long)in->keys[i], ir_type_name(t));
    if (nk > 1) {
        uint64_t *k = malloc(sizeof *k * nk);
        if (!k)
            return err_inst(V, in->loc, "out of memory");
        memcpy(k, in->keys, sizeof *k * nk);
        qsort(k, nk, sizeof *k, cmp_u64);
        for (uint32_t i = 1; i < nk; i++)
            if (k[i] == k[i - 1]) {
                uint64_t dup = k[i];
                free(k);
                return err_inst(V, in->loc, "duplicate switch key %lld", key_signed(t, dup));
            }
        free(k);
    }
    for (uint32_t i = 0; i < in->ntgt; i++)
        if (!check_target(V, in, &in->tgt[i], pos))
            return false;
    return true;
}

static bool check_conv(Verifier *V, const IrInst *in, uint64_t pos)
{
    const IrOpInfo *info = &ir_op_info[in->op];
    unsigned a = in->type, b = in->type2;
    bool ia = ir_type_is_int((IrType)a), ib = ir_type_is_int((IrType)b);
    bool fa = ir_type_is_float((IrType)a), fb = ir_type_is_float((IrType)b);
    bool ok = false;
    const char *why = "";
    switch (info->conv) {
    case IR_CV_INT_WIDEN:
        ok = ia && ib && ir_type_bits((IrType)b) > ir_type_bits((IrType)a);
        why = "the result must be a wider integer type";
        break;
    case IR_CV_INT_NARROW:
        ok = ia && ib && ir_type_bits((IrType)b) < ir_type_bits((IrType)a);
        why = "the result must be a narrower integer type";
        break;
    case IR_CV_INT_TO_FLOAT:
        ok = ia && fb;
        why = "it converts an integer to a float";
        break;
    case IR_CV_FLOAT_TO_INT:
        ok = fa && ib;
        why = "it converts a float to an integer";
        break;
    case IR_CV_FLOAT_WIDEN:
        ok = a == IR_F32 && b == IR_F64;
        why = "it converts f32 to f64";
        break;
    case IR_CV_FLOAT_NARROW:
        ok = a == IR_F64 && b == IR_F32;
        why = "it converts f64 to f32";
        break;
    case IR_CV_SAME_SIZE:
        ok = (ia || fa) && (ib || fb) && ir_type_bits((IrType)a) == ir_type_bits((IrType)b);
        why = "both types must be integer or float types of the same size";
        break;
    case IR_CV_PTR_TO_INT:
        ok = a == IR_PTR && b == IR_I64;
        why = "it converts ptr to i64";
        break;
    case IR_CV_INT_TO_PTR:
        ok = a == IR_I64 && b == IR_PTR;
        why = "it converts i64 to ptr";
        break;
    default:
        break;
    }
    if ((info->conv == IR_CV_PTR_TO_INT || info->conv == IR_CV_INT_TO_PTR) &&
        !(V->f->attrs & IR_ATTR_UNSAFE))
        return err_inst(V, in->loc, "'%s' is only allowed in unsafe functions", info->name);
    if (!ok)
        return err_inst(V, in->loc, "invalid '%s' from %s to %s: %s", info->name,
                        ir_type_name((IrType)a), ir_type_name((IrType)b), why);
    return check_result(V, in, (IrType)b) && want_nopd(V, in, 1) &&
           check_opd(V, in, &in->opd[0], (IrType)a, NULL, pos);
}

static bool check_call(Verifier *V, const IrInst *in, uint64_t pos)
{
    const IrModule *m = V->m;
    if (in->nopd < 1)
        return err_inst(V, in->loc, "'call' has no callee");
    const IrOperand *c = &in->opd[0];
    if (c->kind != IR_OPD_SYMBOL)
        return err_inst(V, in->loc, "the callee of 'call' must be a function symbol");
    if (c->index >= m->nitems)
        return err_inst(V, in->loc, "call to symbol #%u, which does not exist",
                        (unsigned)c->index);
    Str cs = item_str(V, c->index);
    if (m->items[c->index].kind != IR_ITEM_FUNC)
        return err_inst(V, in->loc, "call to %s, which is not a function", cs.s);
    const IrFunc *g = m->items[c->index].func;
    if (g->target)
        return err_inst(V, in->loc, "call to the target variant '%.40s' of %s", g->target,
                        cs.s);
    if (!is_value_type(g->ret) && g->ret != IR_VOID)
        return err_inst(V, in->loc, "call to %s, which has an invalid return type", cs.s);
    /* A non-void result may be discarded (no result value); a void callee
     * gives nothing to name. */
    if (g->ret == IR_VOID && in->result != IR_NONE)
        return err_inst(V, in->loc, "call to %s cannot have a result: %s returns nothing",
                        cs.s, cs.s);
    if (in->result != IR_NONE && !check_result(V, in, g->ret))
        return false;
    uint32_t nargs = in->nopd - 1;
    bool variadic = (g->attrs & IR_ATTR_VARIADIC) != 0;
    if (nargs < g->nparams || (!variadic && nargs > g->nparams)) {
        char a[40];
        return err_inst(V, in->loc, "call to %s passes %s, expected %s%u", cs.s,
                        plural(nargs, "argument", a, sizeof a), variadic ? "at least " : "",
                        (unsigned)g->nparams);
    }
    for (uint32_t i = 0; i < nargs; i++) {
        const IrOperand *o = &in->opd[i + 1];
        char what[300];
        snprintf(what, sizeof what, "argument %u of call to %s", (unsigned)i + 1, cs.s);
        IrType want;
        if (i < g->nparams) {
            want = (IrType)g->ptypes[i];
            if (!is_value_type(want))
                return err_inst(V, in->loc, "call to %s, which has an invalid parameter type",
                                cs.s);
        } else {
            want = (IrType)o->type; /* as written: `T a` */
            if (!variadic_type_ok(want))
                return err_inst(V, in->loc,
                                "variadic argument %u of call to %s has type %s; only i32, "
                                "i64, f64 and ptr can be passed",
                                (unsigned)i + 1, cs.s, ir_type_name(want));
        }
        if (!check_opd(V, in, o, want, what, pos))
            return false;
    }
    return true;
}

static bool check_call_ind(Verifier *V, const IrInst *in, uint64_t pos)
{
    if (in->nopd < 1)
        return err_inst(V, in->loc, "'call.ind' has no callee");
    IrType rt = (IrType)in->type;
    if (rt != IR_VOID && !is_value_type(rt))
        return err_inst(V, in->loc, "'call.ind' has invalid return type %s", ir_type_name(rt));
    if (rt == IR_VOID && in->result != IR_NONE)
        return err_inst(V, in->loc, "'call.ind' without a return type cannot have a result");
    if (in->result != IR_NONE && !check_result(V, in, rt))
        return false;
    if (!check_opd(V, in, &in->opd[0], IR_PTR, "the callee of 'call.ind'", pos))
        return false;
    for (uint32_t i = 1; i < in->nopd; i++) {
        const IrOperand *o = &in->opd[i];
        char what[100];
        snprintf(what, sizeof what, "argument %u of 'call.ind'", (unsigned)i);
        if (!is_value_type(o->type))
            return err_inst(V, in->loc, "%s has invalid type %s", what,
                            ir_type_name((IrType)o->type));
        if (!check_opd(V, in, o, (IrType)o->type, what, pos))
            return false;
    }
    return true;
}

static bool check_ret(Verifier *V, const IrInst *in, uint64_t pos)
{
    const IrFunc *f = V->f;
    if (f->ret == IR_VOID) {
        if (in->nopd != 0)
            return err_inst(V, in->loc, "'ret' with a value in a function that returns nothing");
        return true;
    }
    if (in->nopd != 1)
        return err_inst(V, in->loc, "'ret' needs a value of type %s", ir_type_name(f->ret));
    return check_opd(V, in, &in->opd[0], f->ret, "the return value", pos);
}

/* Everything about one instruction; at most one error. */
static bool check_inst(Verifier *V, const IrInst *in, uint32_t index)
{
    const IrBlock *blk = V->f->blocks[V->bi];
    uint64_t pos = POS_INST(index);
    V->pos = pos;
    if (in->op >= IR_OPCODE_COUNT)
        return err_inst(V, in->loc, "invalid opcode %u", (unsigned)in->op);
    const IrOpInfo *info = &ir_op_info[in->op];
    bool term = ir_op_is_terminator((IrOpcode)in->op);
    if (term && index + 1 != blk->ninsts)
        return err_inst(V, in->loc, "'%s' must be the last instruction of block %s",
                        info->name, block_str(V, V->bi).s);
    if (!term && in->ntgt != 0)
        return err_inst(V, in->loc, "'%s' cannot have branch targets", info->name);
    /* A type class that does not fit is reported before anything else. */
    IrType t = (IrType)in->type;
    bool typed = info->form == IR_FORM_BINARY || info->form == IR_FORM_UNARY ||
                 info->form == IR_FORM_ICMP || info->form == IR_FORM_FCMP ||
                 info->form == IR_FORM_SELECT || info->form == IR_FORM_LOAD ||
                 info->form == IR_FORM_STORE || info->form == IR_FORM_SWITCH;
    if (typed && !in_class(t, info->tclass))
        return err_inst(V, in->loc, "'%s' requires %s, got %s", info->name,
                        class_text(info->tclass), ir_type_name(t));
    const IrOperand *o = in->opd;
    switch (info->form) {
    case IR_FORM_BINARY:
        return check_result(V, in, t) && want_nopd(V, in, 2) &&
               check_opd(V, in, &o[0], t, NULL, pos) && check_opd(V, in, &o[1], t, NULL, pos);
    case IR_FORM_UNARY:
        return check_result(V, in, t) && want_nopd(V, in, 1) &&
               check_opd(V, in, &o[0], t, NULL, pos);
    case IR_FORM_ICMP:
    case IR_FORM_FCMP: {
        unsigned n = info->form == IR_FORM_ICMP ? IR_ICMP_COUNT : IR_FCMP_COUNT;
        if (in->cond >= n)
            return err_inst(V, in->loc, "invalid '%s' condition %u", info->name,
                            (unsigned)in->cond);
        return check_result(V, in, IR_I1) && want_nopd(V, in, 2) &&
               check_opd(V, in, &o[0], t, NULL, pos) && check_opd(V, in, &o[1], t, NULL, pos);
    }
    case IR_FORM_SELECT:
        return check_result(V, in, t) && want_nopd(V, in, 3) &&
               check_opd(V, in, &o[0], IR_I1, "the condition of 'select'", pos) &&
               check_opd(V, in, &o[1], t, NULL, pos) && check_opd(V, in, &o[2], t, NULL, pos);
    case IR_FORM_CONV:
        return check_conv(V, in, pos);
    case IR_FORM_ALLOCA:
        if (!check_result(V, in, IR_PTR) || !want_nopd(V, in, 0))
            return false;
        if (in->imm2 < 1 || in->imm2 > 4096 || (in->imm2 & (in->imm2 - 1)))
            return err_inst(V, in->loc,
                            "alloca alignment %llu is not a power of two from 1 to 4096",
                            (unsigned long long)in->imm2);
        return true;
    case IR_FORM_LOAD:
        return check_result(V, in, t) && want_nopd(V, in, 1) &&
               check_opd(V, in, &o[0], IR_PTR, NULL, pos);
    case IR_FORM_STORE:
        return check_result(V, in, IR_VOID) && want_nopd(V, in, 2) &&
               check_opd(V, in, &o[0], t, NULL, pos) && check_opd(V, in, &o[1], IR_PTR, NULL, pos);
    case IR_FORM_PTRADD:
        return check_result(V, in, IR_PTR) && want_nopd(V, in, 2) &&
               check_opd(V, in, &o[0], IR_PTR, NULL, pos) &&
               check_opd(V, in, &o[1], IR_I64, NULL, pos);
    case IR_FORM_MEMCPY:
    case IR_FORM_MEMSET:
        return check_result(V, in, IR_VOID) && want_nopd(V, in, 3) &&
               check_opd(V, in, &o[0], IR_PTR, NULL, pos) &&
               check_opd(V, in, &o[1], info->form == IR_FORM_MEMCPY ? IR_PTR : IR_I8, NULL, pos) &&
               check_opd(V, in, &o[2], IR_I64, NULL, pos);
    case IR_FORM_CALL:
        return check_call(V, in, pos);
    case IR_FORM_CALLIND:
        return check_call_ind(V, in, pos);
    case IR_FORM_BR:
        if (in->ntgt != 1)
            return err_inst(V, in->loc, "'br' needs exactly one target");
        return check_result(V, in, IR_VOID) && want_nopd(V, in, 0) &&
               check_target(V, in, &in->tgt[0], pos);
    case IR_FORM_CONDBR:
        if (in->ntgt != 2)
            return err_inst(V, in->loc, "'condbr' needs exactly two targets");
        return check_result(V, in, IR_VOID) && want_nopd(V, in, 1) &&
               check_opd(V, in, &o[0], IR_I1, "the condition of 'condbr'", pos) &&
               check_target(V, in, &in->tgt[0], pos) && check_target(V, in, &in->tgt[1], pos);
    case IR_FORM_SWITCH:
        return check_result(V, in, IR_VOID) && check_switch(V, in, pos);
    case IR_FORM_RET:
        return check_result(V, in, IR_VOID) && check_ret(V, in, pos);
    case IR_FORM_TRAP:
        if (!check_result(V, in, IR_VOID) || !want_nopd(V, in, 0))
            return false;
        if (!in->str)
            return err_inst(V, in->loc, "'trap' has no reason");
        return true;
    }
    return err_inst(V, in->loc, "invalid opcode %u", (unsigned)in->op);
}

/* ---- blocks and function bodies ---- */

static bool is_terminator(const IrInst *in)
{
    return in->op < IR_OPCODE_COUNT && ir_op_is_terminator((IrOpcode)in->op);
}

static void check_block(Verifier *V, uint32_t b)
{
    const IrFunc *f = V->f;
    const IrBlock *blk = f->blocks[b];
    V->bi = b;
    Str bs = block_str(V, b);
    /* The header: at most one error. */
    bool early_term = false;
    for (uint32_t i = 0; i + 1 < blk->ninsts; i++)
        early_term |= is_terminator(&blk->insts[i]);
    if (b == 0 && blk->nparams)
        err_func(V, blk->loc, "the entry block %s cannot have parameters", bs.s);
    else if (blk->ninsts == 0)
        err_func(V, blk->loc, "block %s is empty", bs.s);
    else if (!is_terminator(&blk->insts[blk->ninsts - 1]) && !early_term)
        err_func(V, blk->loc, "block %s does not end in a terminator", bs.s);

    for (uint32_t i = 0; i < blk->nparams; i++) {
        uint32_t v = blk->params[i];
        IrLoc loc = v < f->nvals && f->vals[v].loc.line ? f->vals[v].loc : blk->loc;
        char what[80];
        snprintf(what, sizeof what, "parameter %u of the block", (unsigned)i + 1);
        check_def(V, v, loc, what, b, POS_BPARAM(i));
    }
    for (uint32_t i = 0; i < blk->ninsts; i++)
        check_inst(V, &blk->insts[i], i);
}

static void check_body(Verifier *V)
{
    const IrFunc *f = V->f;
    size_t nv = (size_t)f->nvals + 1;
    V->def_block = malloc(nv * sizeof *V->def_block);
    V->def_pos = malloc(nv * sizeof *V->def_pos);
    V->dom = ir_dom_build(f);
    if (!V->def_block || !V->def_pos || !V->dom) {
        err_func(V, V->item->loc, "out of memory");
        goto done;
    }
    record_defs(V);

    V->bi = IR_NONE;
    if (f->nparams && !f->params) {
        err_func(V, V->item->loc, "%s has parameter types but no parameter values",
                 item_str(V, (uint32_t)(V->item - V->m->items)).s);
    } else {
        for (uint32_t i = 0; i < f->nparams; i++) {
            uint32_t v = f->params[i];
            IrLoc loc = v < f->nvals && f->vals[v].loc.line ? f->vals[v].loc : V->item->loc;
            char what[80];
            snprintf(what, sizeof what, "parameter %u", (unsigned)i + 1);
            if (check_def(V, v, loc, what, 0, POS_FPARAM(i)) && f->vals[v].type != f->ptypes[i])
                err_func(V, loc, "parameter %s has type %s, but the signature says %s",
                         value_str(V, v).s, ir_type_name((IrType)f->vals[v].type),
                         ir_type_name((IrType)f->ptypes[i]));
        }
    }
    for (uint32_t b = 0; b < f->nblocks; b++)
        check_block(V, b);
    V->bi = IR_NONE;
done:
    free(V->def_block);
    free(V->def_pos);
    ir_dom_free(V->dom);
    V->def_block = NULL;
    V->def_pos = NULL;
    V->dom = NULL;
}

/* ---- items ---- */

#define KNOWN_ATTRS (IR_ATTR_EXPORT | IR_ATTR_UNSAFE | IR_ATTR_CT | IR_ATTR_NOINLINE | \
                     IR_ATTR_DEADLINE | IR_ATTR_VARIADIC)

/* Name rules: one symbol per name, except per-target variants, which sit
 * beside their portable function (one per target, same signature). */
static bool check_item_name(Verifier *V, uint32_t i)
{
    const IrModule *m = V->m;
    const IrItem *it = &m->items[i];
    Str is = item_str(V, i);
    if (!valid_name(it->name))
        return err_item(V, it->loc, "invalid symbol name '@%.120s'",
                        it->name ? it->name : "");
    if (it->kind != IR_ITEM_FUNC || !it->func->target)
        return map_get(&V->items, it->name) == i
                   ? true : err_item(V, it->loc, "duplicate symbol %s", is.s);
    const IrFunc *f = it->func;
    if (!valid_word(f->target))
        return err_item(V, it->loc, "invalid target name '%.40s'", f->target);
    if (f->is_extern)
        return err_item(V, it->loc, "extern function %s cannot be a target variant", is.s);
    uint32_t p = map_get(&V->items, it->name);
    if (p == IR_NONE || m->items[p].kind != IR_ITEM_FUNC)
        return err_item(V, it->loc, "target variant '%.40s' of %s has no portable function",
                        f->target, is.s);
    if (!same_signature(f, m->items[p].func))
        return err_item(V, it->loc,
                        "target variant '%.40s' of %s has a different signature", f->target,
                        is.s);
    for (uint32_t j = 0; j < i; j++) {
        const IrItem *prev = &m->items[j];
        if (prev->kind == IR_ITEM_FUNC && prev->func->target && prev->name &&
            strcmp(prev->name, it->name) == 0 && strcmp(prev->func->target, f->target) == 0)
            return err_item(V, it->loc, "duplicate target variant '%.40s' of %s", f->target,
                            is.s);
    }
    return true;
}

static bool signature_types_ok(const IrFunc *f)
{
    if (f->ret != IR_VOID && !is_value_type(f->ret))
        return false;
    for (uint32_t k = 0; k < f->nparams; k++)
        if (!is_value_type(f->ptypes[k]))
            return false;
    return true;
}

static bool check_func_item(Verifier *V, uint32_t i)
{
    const IrItem *it = &V->m->items[i];
    const IrFunc *f = it->func;
    Str is = item_str(V, i);
    if (f->attrs & ~(unsigned)KNOWN_ATTRS)
        return err_item(V, it->loc, "%s has unknown attributes 0x%x", is.s,
                        f->attrs & ~(unsigned)KNOWN_ATTRS);
    if ((f->attrs & IR_ATTR_VARIADIC) && !f->is_extern)
        return err_item(V, it->loc, "%s is variadic, but only extern functions can be",
                        is.s);
    if ((f->attrs & IR_ATTR_DEADLINE) && f->deadline == 0)
        return err_item(V, it->loc, "the deadline of %s must be at least 1 cycle", is.s);
    if (!(f->attrs & IR_ATTR_DEADLINE) && f->deadline != 0)
        return err_item(V, it->loc, "%s has a deadline value but no deadline attribute",
                        is.s);
    if (f->ret != IR_VOID && !is_value_type(f->ret))
        return err_item(V, it->loc, "%s has invalid return type %s", is.s,
                        ir_type_name(f->ret));
    for (uint32_t k = 0; k < f->nparams; k++)
        if (!is_value_type(f->ptypes[k]))
            return err_item(V, it->loc, "parameter %u of %s has invalid type %s",
                            (unsigned)k + 1, is.s, ir_type_name((IrType)f->ptypes[k]));
    if (!f->target && it->name && strcmp(it->name, "main") == 0) {
        bool ok = f->ret == IR_I32 &&
                  (f->nparams == 0 ||
                   (f->nparams == 2 && f->ptypes[0] == IR_I32 && f->ptypes[1] == IR_PTR));
        if (!ok || (f->attrs & IR_ATTR_VARIADIC))
            return err_item(V, it->loc,
                            "'@main' must have type () -> i32 or (i32, ptr) -> i32");
    }
    if (f->is_extern && f->nblocks)
        return err_item(V, it->loc, "extern function %s has a body", is.s);
    if (!f->is_extern && f->nblocks == 0)
        return err_item(V, it->loc, "function %s has no blocks", is.s);
    return true;
}

static void check_data_item(Verifier *V, uint32_t i)
{
    const IrModule *m = V->m;
    const IrItem *it = &m->items[i];
    const IrData *d = it->data;
    Str is = item_str(V, i);
    if (it->name && strcmp(it->name, "main") == 0) {
        err_item(V, it->loc, "'@main' must be a function");
        return;
    }
    for (uint32_t k = 0; k < d->nfields; k++) {
        const IrField *fl = &d->fields[k];
        IrLoc loc = fl->loc.line ? fl->loc : it->loc;
        unsigned n = (unsigned)k + 1;
        switch (fl->kind) {
        case IR_FIELD_CONST:
            if (!ir_type_is_int((IrType)fl->type) && !ir_type_is_float((IrType)fl->type))
                err_item(V, loc, "field %u of %s is a constant of type %s; constants must "
                         "have an integer or float type", n, is.s,
                         ir_type_name((IrType)fl->type));
            else if (!const_fits(fl->type, fl->bits))
                err_item(V, loc, "field %u of %s: constant 0x%llx does not fit in %s", n,
                         is.s, (unsigned long long)fl->bits, ir_type_name((IrType)fl->type));
            break;
        case IR_FIELD_SYMREF:
            if (fl->sym >= m->nitems)
                err_item(V, loc, "field %u of %s refers to symbol #%u, which does not exist",
                         n, is.s, (unsigned)fl->sym);
            else if (is_variant(m, fl->sym))
                err_item(V, loc, "field %u of %s refers to the target variant '%.40s' of %s",
                         n, is.s, m->items[fl->sym].func->target, item_str(V, fl->sym).s);
            break;
        case IR_FIELD_BYTES:
            if (fl->len && !fl->bytes)
                err_item(V, loc, "field %u of %s has no bytes", n, is.s);
            break;
        case IR_FIELD_ZERO:
            break;
        default:
            err_item(V, loc, "field %u of %s has invalid kind %u", n, is.s, (unsigned)fl->kind);
            break;
        }
    }
}

/* One proof obligation (ir/oblig.c has the checks; docs/ir.md "Proof
 * obligations"): without a line, the message names the function. */
static void check_oblig(Verifier *V, const IrOblig *o)
{
    IrLoc where;
    char *msg = ir_oblig_check(V->m, o, NULL, &where);
    if (!msg)
        return;
    if (!where.line && o->item < V->m->nitems)
        V->item = &V->m->items[o->item];
    V->f = V->item ? V->item->func : NULL;
    err_func(V, where, "%s", msg);
    V->item = NULL;
    V->f = NULL;
    free(msg);
}

bool ir_verify(const IrModule *m)
{
    Verifier V = {.m = m, .ok = true, .bi = IR_NONE};
    if (!map_init(&V.items, m->nitems)) {
        err_item(&V, (IrLoc){0, 0}, "out of memory");
        return false;
    }
    /* Each name maps to its first non-variant item. */
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->name && !(it->kind == IR_ITEM_FUNC && it->func->target))
            map_put(&V.items, it->name, i);
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        bool ok = check_item_name(&V, i);
        if (it->kind == IR_ITEM_DATA) {
            if (ok)
                check_data_item(&V, i);
            continue;
        }
        if (ok)
            check_func_item(&V, i);
        /* The body is checked whenever its signature can be trusted. */
        const IrFunc *f = it->func;
        if (f->is_extern || f->nblocks == 0 || !signature_types_ok(f))
            continue;
        V.item = it;
        V.f = f;
        check_body(&V);
        V.item = NULL;
        V.f = NULL;
    }
    map_free(&V.items);
    /* Proof obligations, once the functions they name are known valid. */
    for (uint32_t i = 0, funcs_ok = V.ok; funcs_ok && i < m->nobligs; i++)
        check_oblig(&V, &m->obligs[i]);
    return V.ok;
}
