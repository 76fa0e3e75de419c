/* print.c - the canonical IR text (docs/ir.md "Canonical printing").
 *
 * One form per module: items in module order, one instruction per line
 * indented two spaces, attributes in a fixed order, constants in one
 * spelling each (integers signed decimal, floats the shortest decimal
 * that reads back to the same bits). Names are kept as written; a value,
 * block or item without a usable name (built through the API, a name the
 * lexer would not read back, or a second use of a name) gets a fresh
 * number that collides with no other name, so the text always reads back
 * to the same module. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "oblig.h"

/* ---- output buffer ---- */

typedef struct Out {
    char *p;
    size_t n, cap;
    bool failed; /* out of memory */
} Out;

static void put_mem(Out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (o->n + n + 1 > cap)
            cap *= 2;
        char *p = realloc(o->p, cap);
        if (!p) {
            o->failed = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = 0;
}

static void put(Out *o, const char *s) { put_mem(o, s, strlen(s)); }

static void putf(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(Out *o, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) {
        o->failed = true;
        return;
    }
    if ((size_t)n < sizeof buf) {
        put_mem(o, buf, (size_t)n);
        return;
    }
    /* Names have no length limit: format the long case on the heap. */
    char *big = malloc((size_t)n + 1);
    if (!big) {
        o->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    put_mem(o, big, (size_t)n);
    free(big);
}

/* ---- constants ---- */

/* Integers: signed decimal for the type; i1 as 0 or 1; ptr unsigned. */
static void put_int(Out *o, IrType t, uint64_t bits)
{
    bits &= ir_type_mask(t);
    if (t == IR_I1 || t == IR_PTR || !ir_type_is_int(t)) {
        putf(o, "%" PRIu64, bits);
        return;
    }
    unsigned w = ir_type_bits(t);
    int64_t v = w < 64 && (bits >> (w - 1)) & 1 ? (int64_t)(bits | ~ir_type_mask(t))
                                                 : (int64_t)bits;
    putf(o, "%" PRId64, v);
}

static bool reads_back(const char *s, bool f32, uint64_t bits)
{
    if (f32) {
        float f = strtof(s, NULL);
        uint32_t u;
        memcpy(&u, &f, 4);
        return u == bits;
    }
    double d = strtod(s, NULL);
    uint64_t u;
    memcpy(&u, &d, 8);
    return u == bits;
}

/* The shortest decimal that reads back to the same bits: positional for
 * decimal exponents -5..15 ("100.0", "0.001"), else scientific ("1e300",
 * "4.5e-10"); always with a '.' or an 'e', so it reads as a float. */
static void put_float(Out *o, IrType t, uint64_t bits)
{
    bool f32 = t == IR_F32;
    double d;
    if (f32) {
        uint32_t u = (uint32_t)bits;
        float f;
        memcpy(&f, &u, 4);
        d = f;
        bits = u;
    } else {
        memcpy(&d, &bits, 8);
    }
    if (isnan(d)) {
        if (bits == (f32 ? 0x7fc00000u : UINT64_C(0x7ff8000000000000)))
            put(o, "nan");
        else if (f32)
            putf(o, "0x%08" PRIx64, bits);
        else
            putf(o, "0x%016" PRIx64, bits);
        return;
    }
    if (isinf(d)) {
        put(o, d < 0 ? "-inf" : "inf");
        return;
    }
    if (d == 0) {
        put(o, signbit(d) ? "-0.0" : "0.0");
        return;
    }
    char sci[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec - 1, d);
        if (reads_back(sci, f32, bits))
            break;
    }
    /* sci is "-d.ddde+XX": split into sign, digits and exponent. */
    char digits[32];
    size_t nd = 0;
    const char *p = sci;
    bool neg = *p == '-';
    p += neg;
    for (; *p && *p != 'e'; p++)
        if (*p != '.' && nd < sizeof digits - 1)
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = 0;
    int exp = *p == 'e' ? atoi(p + 1) : 0;
    if (neg)
        put(o, "-");
    if (exp >= -5 && exp < 16) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++)
                put_mem(o, (size_t)i < nd ? &digits[i] : "0", 1);
            put(o, ".");
            put(o, (size_t)exp + 1 < nd ? digits + exp + 1 : "0");
        } else {
            put(o, "0.");
            for (int i = 0; i < -exp - 1; i++)
                put(o, "0");
            put(o, digits);
        }
        return;
    }
    put_mem(o, digits, 1);
    if (nd > 1) {
        put(o, ".");
        put(o, digits + 1);
    }
    putf(o, "e%d", exp);
}

static void put_const(Out *o, IrType t, uint64_t bits)
{
    if (ir_type_is_float(t))
        put_float(o, t, bits);
    else
        put_int(o, t, bits);
}

static void put_string(Out *o, const uint8_t *s, uint64_t n)
{
    put(o, "\"");
    for (uint64_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        switch (c) {
        case '\n': put(o, "\\n"); break;
        case '\t': put(o, "\\t"); break;
        case '\r': put(o, "\\r"); break;
        case '\\': put(o, "\\\\"); break;
        case '"': put(o, "\\\""); break;
        case 0: put(o, "\\0"); break;
        default:
            if (c >= 0x20 && c < 0x7f)
                put_mem(o, (const char *)&c, 1);
            else
                putf(o, "\\x%02x", c);
        }
    }
    put(o, "\"");
}

/* ---- names ---- */

/* A set of strings (open addressing), for collision checks. */
typedef struct NameSet {
    const char **slots;
    size_t cap, n;
} NameSet;

static size_t set_index(const NameSet *s, const char *name)
{
    size_t h = 5381;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    size_t i = h & (s->cap - 1);
    while (s->slots[i] && strcmp(s->slots[i], name) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static bool set_has(const NameSet *s, const char *name)
{
    return s->cap && s->slots[set_index(s, name)];
}

static void set_add(Arena *a, NameSet *s, const char *name)
{
    if (2 * (s->n + 1) > s->cap) {
        NameSet big = {.cap = s->cap ? s->cap * 2 : 64};
        big.slots = arena_alloc(a, sizeof *big.slots * big.cap);
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                big.slots[set_index(&big, s->slots[i])] = s->slots[i];
        big.n = s->n;
        *s = big;
    }
    size_t i = set_index(s, name);
    if (!s->slots[i]) {
        s->slots[i] = name;
        s->n++;
    }
}

static bool is_word_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' ||
           c == '$' || (!first && c >= '0' && c <= '9');
}

/* A name the lexer reads back: a word, or (after a sigil) a number. */
static bool usable_name(const char *s, bool numbers)
{
    if (!s || !*s)
        return false;
    if (numbers && s[0] >= '0' && s[0] <= '9') {
        for (const char *p = s; *p; p++)
            if (*p < '0' || *p > '9')
                return false;
        return true;
    }
    if (strcmp(s, "...") == 0)
        return false;
    for (const char *p = s; *p; p++)
        if (!is_word_char(*p, p == s))
            return false;
    return true;
}

/* Names for n things: the usable ones as given, then fresh prefix+number
 * for the rest. A thing with `share[i]` set (a target variant) keeps its
 * usable name even when another thing has it; the others take a name
 * only while it is free, in order. */
static const char **assign_names(Arena *a, uint32_t n, const char *const *names,
                                 const bool *share, bool numbers, const char *prefix)
{
    const char **out = arena_alloc(a, sizeof *out * (n + 1));
    NameSet used = {0};
    for (uint32_t i = 0; i < n; i++) {
        if (!usable_name(names[i], numbers) || (share && share[i]) ||
            set_has(&used, names[i]))
            continue;
        out[i] = names[i];
        set_add(a, &used, names[i]);
    }
    for (uint32_t i = 0; share && i < n; i++)
        if (share[i] && usable_name(names[i], numbers)) {
            out[i] = names[i];
            set_add(a, &used, names[i]);
        }
    uint32_t next = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (out[i])
            continue;
        char buf[32];
        do
            snprintf(buf, sizeof buf, "%s%" PRIu32, prefix, next++);
        while (set_has(&used, buf));
        out[i] = arena_strdup(a, buf);
        set_add(a, &used, out[i]);
    }
    return out;
}

const char **ir_print_value_names(Arena *a, const IrFunc *f)
{
    const char **vn = arena_alloc(a, sizeof *vn * (f->nvals + 1));
    for (uint32_t i = 0; i < f->nvals; i++)
        vn[i] = f->vals[i].name;
    return assign_names(a, f->nvals, vn, NULL, true, "");
}

const char **ir_print_block_names(Arena *a, const IrFunc *f)
{
    const char **bn = arena_alloc(a, sizeof *bn * (f->nblocks + 1));
    for (uint32_t i = 0; i < f->nblocks; i++)
        bn[i] = f->blocks[i]->name;
    return assign_names(a, f->nblocks, bn, NULL, false, "bb");
}

typedef struct Printer {
    Out out;
    Arena names;
    const IrModule *m;
    const char **items;      /* item names */
    const IrFunc *f;
    const char **vals;       /* the function's value names */
    const char **blocks;     /* the function's block labels */
} Printer;

/* ---- operands and instructions ---- */

static void put_operand(Printer *pr, const IrOperand *o)
{
    switch (o->kind) {
    case IR_OPD_VALUE:
        put(&pr->out, "%");
        put(&pr->out, o->index < pr->f->nvals ? pr->vals[o->index] : "?");
        break;
    case IR_OPD_SYMBOL:
        put(&pr->out, "@");
        put(&pr->out, o->index < pr->m->nitems ? pr->items[o->index] : "?");
        break;
    default:
        put_const(&pr->out, (IrType)o->type, o->bits);
    }
}

static void put_typed_operand(Printer *pr, const IrOperand *o)
{
    put(&pr->out, ir_type_name((IrType)o->type));
    put(&pr->out, " ");
    put_operand(pr, o);
}

static void put_target(Printer *pr, const IrTarget *t)
{
    put(&pr->out, t->block < pr->f->nblocks ? pr->blocks[t->block] : "?");
    if (!t->nargs)
        return;
    put(&pr->out, "(");
    for (uint32_t i = 0; i < t->nargs; i++) {
        if (i)
            put(&pr->out, ", ");
        put_operand(pr, &t->args[i]);
    }
    put(&pr->out, ")");
}

/* Operands i.. of an instruction, comma-separated. */
static void put_operands(Printer *pr, const IrInst *in, uint32_t from)
{
    for (uint32_t i = from; i < in->nopd; i++) {
        if (i > from)
            put(&pr->out, ", ");
        put_operand(pr, &in->opd[i]);
    }
}

static void put_inst(Printer *pr, const IrInst *in)
{
    Out *o = &pr->out;
    const IrOpInfo *info = &ir_op_info[in->op < IR_OPCODE_COUNT ? in->op : 0];
    const char *ty = ir_type_name((IrType)in->type);
    put(o, "  ");
    if (in->result != IR_NONE) {
        put(o, "%");
        put(o, in->result < pr->f->nvals ? pr->vals[in->result] : "?");
        put(o, " = ");
    }
    put(o, info->name);
    switch (info->form) {
    case IR_FORM_BINARY:
    case IR_FORM_UNARY:
    case IR_FORM_SELECT:
        putf(o, " %s ", ty);
        put_operands(pr, in, 0);
        break;
    case IR_FORM_ICMP:
    case IR_FORM_FCMP:
        putf(o, " %s %s ",
             info->form == IR_FORM_ICMP ? ir_icond_name((IrICond)in->cond)
                                        : ir_fcond_name((IrFCond)in->cond), ty);
        put_operands(pr, in, 0);
        break;
    case IR_FORM_CONV:
        putf(o, " %s ", ty);
        put_operands(pr, in, 0);
        putf(o, " to %s", ir_type_name((IrType)in->type2));
        break;
    case IR_FORM_ALLOCA:
        putf(o, " %" PRIu64 ", align %" PRIu64, in->imm, in->imm2);
        break;
    case IR_FORM_LOAD:
        putf(o, " %s, ", ty);
        put_operands(pr, in, 0);
        break;
    case IR_FORM_STORE:
        putf(o, " %s ", ty);
        put_operands(pr, in, 0);
        break;
    case IR_FORM_PTRADD:
    case IR_FORM_MEMCPY:
    case IR_FORM_MEMSET:
        put(o, " ");
        put_operands(pr, in, 0);
        break;
    case IR_FORM_CALL:
    case IR_FORM_CALLIND:
        put(o, " ");
        if (in->nopd)
            put_operand(pr, &in->opd[0]);
        put(o, "(");
        for (uint32_t i = 1; i < in->nopd; i++) {
            if (i > 1)
                put(o, ", ");
            put_typed_operand(pr, &in->opd[i]);
        }
        put(o, ")");
        if (info->form == IR_FORM_CALLIND && in->type != IR_VOID)
            putf(o, " -> %s", ty);
        break;
    case IR_FORM_BR:
        put(o, " ");
        if (in->ntgt)
            put_target(pr, &in->tgt[0]);
        break;
    case IR_FORM_CONDBR:
        put(o, " ");
        put_operands(pr, in, 0);
        for (uint32_t i = 0; i < in->ntgt; i++) {
            put(o, ", ");
            put_target(pr, &in->tgt[i]);
        }
        break;
    case IR_FORM_SWITCH:
        putf(o, " %s ", ty);
        put_operands(pr, in, 0);
        if (in->ntgt) {
            put(o, ", ");
            put_target(pr, &in->tgt[0]);
        }
        put(o, " [");
        for (uint32_t i = 1; i < in->ntgt; i++) {
            if (i > 1)
                put(o, ", ");
            put_int(o, (IrType)in->type, in->keys ? in->keys[i - 1] : 0);
            put(o, ": ");
            put_target(pr, &in->tgt[i]);
        }
        put(o, "]");
        break;
    case IR_FORM_RET:
        if (in->nopd) {
            put(o, " ");
            put_operands(pr, in, 0);
        }
        break;
    case IR_FORM_TRAP:
        put(o, " ");
        put_string(o, (const uint8_t *)(in->str ? in->str : ""), in->str ? in->strlen : 0);
        break;
    }
    put(o, "\n");
}

/* ---- items ---- */

static void put_func(Printer *pr, uint32_t item)
{
    Out *o = &pr->out;
    const IrFunc *f = pr->m->items[item].func;
    pr->f = f;
    if (f->is_extern) {
        putf(o, "extern func @%s(", pr->items[item]);
        for (uint32_t i = 0; i < f->nparams; i++)
            putf(o, "%s%s", i ? ", " : "", ir_type_name((IrType)f->ptypes[i]));
        if (f->attrs & IR_ATTR_VARIADIC)
            put(o, f->nparams ? ", ..." : "...");
        put(o, ")");
        if (f->ret != IR_VOID)
            putf(o, " -> %s", ir_type_name(f->ret));
        put(o, "\n");
        return;
    }
    /* Value and block names for this function. */
    pr->vals = ir_print_value_names(&pr->names, f);
    pr->blocks = ir_print_block_names(&pr->names, f);

    putf(o, "%sfunc @%s(", f->attrs & IR_ATTR_EXPORT ? "export " : "", pr->items[item]);
    for (uint32_t i = 0; i < f->nparams; i++) {
        putf(o, "%s%s %%", i ? ", " : "", ir_type_name((IrType)f->ptypes[i]));
        put(o, f->params && f->params[i] < f->nvals ? pr->vals[f->params[i]] : "?");
    }
    put(o, ")");
    if (f->ret != IR_VOID)
        putf(o, " -> %s", ir_type_name(f->ret));
    if (f->attrs & IR_ATTR_UNSAFE)
        put(o, " unsafe");
    if (f->attrs & IR_ATTR_CT)
        put(o, " ct");
    if (f->attrs & IR_ATTR_NOINLINE)
        put(o, " noinline");
    if (f->attrs & IR_ATTR_DEADLINE)
        putf(o, " deadline %" PRIu64, f->deadline);
    if (f->target)
        putf(o, " target %s", f->target);
    put(o, " {\n");
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        put(o, pr->blocks[b]);
        if (blk->nparams) {
            put(o, "(");
            for (uint32_t i = 0; i < blk->nparams; i++) {
                uint32_t v = blk->params[i];
                putf(o, "%s%s %%", i ? ", " : "",
                     ir_type_name(v < f->nvals ? (IrType)f->vals[v].type : IR_VOID));
                put(o, v < f->nvals ? pr->vals[v] : "?");
            }
            put(o, ")");
        }
        put(o, ":\n");
        for (uint32_t i = 0; i < blk->ninsts; i++)
            put_inst(pr, &blk->insts[i]);
    }
    put(o, "}\n");
}

static void put_field(Printer *pr, const IrField *fl)
{
    Out *o = &pr->out;
    switch (fl->kind) {
    case IR_FIELD_BYTES:
        put_string(o, fl->bytes, fl->len);
        break;
    case IR_FIELD_CONST:
        putf(o, "%s ", ir_type_name((IrType)fl->type));
        put_const(o, (IrType)fl->type, fl->bits);
        break;
    case IR_FIELD_SYMREF:
        putf(o, "ptr @%s", fl->sym < pr->m->nitems ? pr->items[fl->sym] : "?");
        break;
    case IR_FIELD_ZERO:
        putf(o, "zero %" PRIu64, fl->len);
        break;
    }
}

static void put_data(Printer *pr, uint32_t item)
{
    Out *o = &pr->out;
    const IrData *d = pr->m->items[item].data;
    putf(o, "%s @%s = ", d->is_global ? "global" : "data", pr->items[item]);
    bool lone = !d->brace_form && d->nfields == 1 &&
                (d->fields[0].kind == IR_FIELD_BYTES || d->fields[0].kind == IR_FIELD_ZERO);
    if (lone) {
        put_field(pr, &d->fields[0]);
    } else {
        put(o, "{");
        for (uint32_t i = 0; i < d->nfields; i++) {
            put(o, i ? ", " : " ");
            put_field(pr, &d->fields[i]);
        }
        put(o, " }");
    }
    put(o, "\n");
}

char *ir_print_module(const IrModule *m, size_t *len)
{
    Printer pr = {.m = m};
    arena_init(&pr.names);
    /* Item names: target variants share their function's name. */
    const char **in = arena_alloc(&pr.names, sizeof *in * (m->nitems + 1));
    bool *share = arena_alloc(&pr.names, m->nitems + 1);
    for (uint32_t i = 0; i < m->nitems; i++) {
        in[i] = m->items[i].name;
        share[i] = m->items[i].kind == IR_ITEM_FUNC && m->items[i].func->target;
    }
    pr.items = assign_names(&pr.names, m->nitems, in, share, true, "");

    bool any = false, after_body = false;
    if (m->name) {
        put(&pr.out, "module ");
        put_string(&pr.out, (const uint8_t *)m->name, strlen(m->name));
        put(&pr.out, "\n");
        any = after_body = true;
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        bool body = it->kind == IR_ITEM_FUNC && !it->func->is_extern;
        if (any && (body || after_body))
            put(&pr.out, "\n");
        if (it->kind == IR_ITEM_FUNC)
            put_func(&pr, i);
        else
            put_data(&pr, i);
        any = true;
        after_body = body;
    }
    /* Proof obligations, each after a blank line, with the names the
     * functions were printed with. */
    const IrFunc *named = NULL;
    for (uint32_t i = 0; i < m->nobligs; i++) {
        const IrOblig *ob = &m->obligs[i];
        if (ob->item >= m->nitems || m->items[ob->item].kind != IR_ITEM_FUNC)
            continue;
        const IrFunc *f = m->items[ob->item].func;
        if (f->is_extern || ob->value >= f->nvals || !ir_oblig_op_ok(ob->op))
            continue;
        if (f != named) {
            pr.vals = ir_print_value_names(&pr.names, f);
            pr.blocks = ir_print_block_names(&pr.names, f);
            named = f;
        }
        if (any)
            put(&pr.out, "\n");
        putf(&pr.out, "obligation @%s", pr.items[ob->item]);
        if (f->target)
            putf(&pr.out, " target %s", f->target);
        putf(&pr.out, " %%%s %s {\n", pr.vals[ob->value], ir_oblig_op_name(ob->op));
        for (uint32_t k = 0; k < ob->nfacts; k++) {
            const IrFact *fa = &ob->facts[k];
            if (fa->kind == IR_FACT_EDGE && fa->a < f->nblocks && fa->b < f->nblocks)
                putf(&pr.out, "  edge %s -> %s\n", pr.blocks[fa->a], pr.blocks[fa->b]);
            else if ((fa->kind == IR_FACT_DEF || fa->kind == IR_FACT_NONNEG) && fa->a < f->nvals)
                putf(&pr.out, "  %s %%%s\n", fa->kind == IR_FACT_DEF ? "def" : "nonneg",
                     pr.vals[fa->a]);
        }
        put(&pr.out, "}\n");
        any = true;
    }
    /* Rule items last, each after a blank line, as canonical braced text. */
    for (uint32_t i = 0; i < m->nrules; i++) {
        if (any)
            put(&pr.out, "\n");
        put(&pr.out, m->rules[i].text);
        any = true;
    }
    if (!pr.out.p)
        put(&pr.out, "");
    arena_free(&pr.names);
    if (pr.out.failed) {
        free(pr.out.p);
        *len = 0;
        return NULL;
    }
    *len = pr.out.n;
    return pr.out.p;
}
