/* binary_write.c - writes a module in the binary form `.yvmb`.
 *
 * The layout is in docs/ir.md ("Binary form") and the shared constants in
 * binary.h. The encoding is canonical: one module gives one byte string.
 * That holds because every integer has a single (shortest) LEB128 form,
 * every field is written in a fixed order, and the string table lists each
 * distinct string once, in the order the items section first refers to it.
 * So the items section is encoded first (interning strings as it goes) and
 * the file is then header + strings + items.
 *
 * The writer expects a verified module; it never checks indices. Source
 * locations are not written. */
#include "binary.h"
#include "ir.h"

#include <stdlib.h>
#include <string.h>

typedef struct Buf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} Buf;

static void buf_put(Buf *b, const void *p, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) {
            b->oom = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_uleb(Buf *b, uint64_t v)
{
    uint8_t tmp[YVMB_LEB_MAX];
    buf_put(b, tmp, yvmb_put_uleb(tmp, v));
}

static void put_sleb(Buf *b, int64_t v)
{
    uint8_t tmp[YVMB_LEB_MAX];
    buf_put(b, tmp, yvmb_put_sleb(tmp, v));
}

/* ---- the string table: distinct byte strings in first-use order ---- */

typedef struct Str {
    const uint8_t *bytes;
    size_t len;
} Str;

typedef struct Strings {
    Str *list;      /* in first-use order: the index written to the file */
    uint32_t n, cap;
    uint32_t *slot; /* open-addressing hash: index + 1, 0 = empty */
    uint32_t nslots;
    bool oom;
} Strings;

static uint32_t hash_bytes(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static bool strings_rehash(Strings *t)
{
    uint32_t ns = t->nslots ? t->nslots * 2 : 64;
    uint32_t *slot = calloc(ns, sizeof *slot);
    if (!slot)
        return false;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t h = hash_bytes(t->list[i].bytes, t->list[i].len) & (ns - 1);
        while (slot[h])
            h = (h + 1) & (ns - 1);
        slot[h] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslots = ns;
    return true;
}

/* The table index of a string, adding it on first use. */
static uint32_t intern(Strings *t, const void *p, size_t n)
{
    const uint8_t *bytes = n ? p : (const uint8_t *)"";
    if (t->oom)
        return 0;
    if ((t->n + 1) * 2 > t->nslots && !strings_rehash(t)) {
        t->oom = true;
        return 0;
    }
    uint32_t h = hash_bytes(bytes, n) & (t->nslots - 1);
    for (; t->slot[h]; h = (h + 1) & (t->nslots - 1)) {
        const Str *s = &t->list[t->slot[h] - 1];
        if (s->len == n && memcmp(s->bytes, bytes, n) == 0)
            return t->slot[h] - 1;
    }
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 64;
        Str *l = realloc(t->list, sizeof *l * cap);
        if (!l) {
            t->oom = true;
            return 0;
        }
        t->list = l;
        t->cap = cap;
    }
    t->list[t->n] = (Str){bytes, n};
    t->slot[h] = t->n + 1;
    return t->n++;
}

typedef struct Writer {
    Buf out;       /* the items section's payload */
    Strings strs;
} Writer;

static void put_str(Writer *w, const void *p, size_t n)
{
    put_uleb(&w->out, intern(&w->strs, p, n));
}

/* An optional name: 0 for none, else string index + 1. */
static void put_opt_name(Writer *w, const char *name)
{
    if (!name)
        put_uleb(&w->out, 0);
    else
        put_uleb(&w->out, (uint64_t)intern(&w->strs, name, strlen(name)) + 1);
}

/* A constant of type t: integers and ptr as the signed LEB128 of their
 * bits sign-extended from the type's width, floats as little-endian bytes. */
static void put_const(Writer *w, uint8_t t, uint64_t bits)
{
    if (t == IR_F32 || t == IR_F64) {
        uint8_t b[8];
        unsigned n = t == IR_F32 ? 4 : 8;
        for (unsigned i = 0; i < n; i++)
            b[i] = (uint8_t)(bits >> (8 * i));
        buf_put(&w->out, b, n);
        return;
    }
    unsigned width = ir_type_bits((IrType)t);
    if (width == 0) {
        put_sleb(&w->out, 0);
        return;
    }
    uint64_t mask = ir_type_mask((IrType)t);
    bits &= mask;
    if (width < 64 && (bits >> (width - 1)) & 1)
        bits |= ~mask;
    put_sleb(&w->out, (int64_t)bits);
}

static void put_operand(Writer *w, const IrOperand *o)
{
    put_uleb(&w->out, o->kind);
    put_uleb(&w->out, o->type);
    if (o->kind == IR_OPD_CONST)
        put_const(w, o->type, o->bits);
    else
        put_uleb(&w->out, o->index);
}

static void put_target(Writer *w, const IrTarget *t)
{
    put_uleb(&w->out, t->block);
    put_uleb(&w->out, t->nargs);
    for (uint32_t i = 0; i < t->nargs; i++)
        put_operand(w, &t->args[i]);
}

static void put_inst(Writer *w, const IrInst *in)
{
    /* An opcode out of the table (never in a verified module) is written
     * as it is, without form-specific fields; the reader rejects it. */
    IrForm form = in->op < IR_OPCODE_COUNT ? ir_op_info[in->op].form : IR_FORM_BINARY;
    put_uleb(&w->out, in->op);
    put_uleb(&w->out, in->type);
    if (form == IR_FORM_CONV)
        put_uleb(&w->out, in->type2);
    if (form == IR_FORM_ICMP || form == IR_FORM_FCMP)
        put_uleb(&w->out, in->cond);
    put_uleb(&w->out, in->result == IR_NONE ? 0 : (uint64_t)in->result + 1);
    put_uleb(&w->out, in->nopd);
    for (uint32_t i = 0; i < in->nopd; i++)
        put_operand(w, &in->opd[i]);
    put_uleb(&w->out, in->ntgt);
    for (uint32_t i = 0; i < in->ntgt; i++)
        put_target(w, &in->tgt[i]);
    if (form == IR_FORM_SWITCH)
        for (uint32_t i = 0; i + 1 < in->ntgt; i++)
            put_const(w, in->type, in->keys[i]);
    if (form == IR_FORM_ALLOCA) {
        put_uleb(&w->out, in->imm);
        put_uleb(&w->out, in->imm2);
    }
    if (form == IR_FORM_TRAP)
        put_str(w, in->str, in->strlen);
}

static void put_func(Writer *w, const IrFunc *f)
{
    put_uleb(&w->out, f->ret);
    put_uleb(&w->out, f->attrs);
    if (f->attrs & IR_ATTR_DEADLINE)
        put_uleb(&w->out, f->deadline);
    put_opt_name(w, f->target);
    put_uleb(&w->out, f->nparams);
    for (uint32_t i = 0; i < f->nparams; i++)
        put_uleb(&w->out, f->ptypes[i]);
    if (f->is_extern)
        return;
    put_uleb(&w->out, f->nvals);
    for (uint32_t i = 0; i < f->nvals; i++) {
        put_uleb(&w->out, f->vals[i].type);
        put_opt_name(w, f->vals[i].name);
    }
    for (uint32_t i = 0; i < f->nparams; i++)
        put_uleb(&w->out, f->params[i]);
    put_uleb(&w->out, f->nblocks);
    for (uint32_t i = 0; i < f->nblocks; i++) {
        const IrBlock *b = f->blocks[i];
        put_opt_name(w, b->name);
        put_uleb(&w->out, b->nparams);
        for (uint32_t j = 0; j < b->nparams; j++)
            put_uleb(&w->out, b->params[j]);
        put_uleb(&w->out, b->ninsts);
        for (uint32_t j = 0; j < b->ninsts; j++)
            put_inst(w, &b->insts[j]);
    }
}

static void put_data(Writer *w, const IrData *d)
{
    put_uleb(&w->out, d->brace_form ? 1 : 0);
    put_uleb(&w->out, d->nfields);
    for (uint32_t i = 0; i < d->nfields; i++) {
        const IrField *f = &d->fields[i];
        put_uleb(&w->out, f->kind);
        switch (f->kind) {
        case IR_FIELD_BYTES:
            put_str(w, f->bytes, f->len);
            break;
        case IR_FIELD_CONST:
            put_uleb(&w->out, f->type);
            put_const(w, f->type, f->bits);
            break;
        case IR_FIELD_SYMREF:
            put_uleb(&w->out, f->sym);
            break;
        case IR_FIELD_ZERO:
            put_uleb(&w->out, f->len);
            break;
        }
    }
}

static void put_section(Buf *file, unsigned id, const uint8_t *payload, size_t len)
{
    put_uleb(file, id);
    put_uleb(file, len);
    buf_put(file, payload, len);
}

uint8_t *ir_write_binary(const IrModule *m, size_t *len)
{
    Writer w = {0};
    Buf file = {0}, strs = {0};

    /* Items section first: it decides the string table's order. */
    put_opt_name(&w, m->name);
    put_uleb(&w.out, m->nitems);
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        unsigned kind = it->kind == IR_ITEM_FUNC
            ? (it->func->is_extern ? YVMB_ITEM_EXTERN : YVMB_ITEM_FUNC)
            : (it->data->is_global ? YVMB_ITEM_GLOBAL : YVMB_ITEM_DATA);
        put_uleb(&w.out, kind);
        put_str(&w, it->name, strlen(it->name));
        if (it->kind == IR_ITEM_FUNC)
            put_func(&w, it->func);
        else
            put_data(&w, it->data);
    }

    put_uleb(&strs, w.strs.n);
    for (uint32_t i = 0; i < w.strs.n; i++) {
        put_uleb(&strs, w.strs.list[i].len);
        buf_put(&strs, w.strs.list[i].bytes, w.strs.list[i].len);
    }

    /* Rule items (version 2 only): count, then each canonical text. */
    Buf rules = {0};
    put_uleb(&rules, m->nrules);
    for (uint32_t i = 0; i < m->nrules; i++) {
        put_uleb(&rules, m->rules[i].len);
        buf_put(&rules, m->rules[i].text, m->rules[i].len);
    }

    /* Proof obligations (version 3 only): numbers, no names. */
    Buf obligs = {0};
    put_uleb(&obligs, m->nobligs);
    for (uint32_t i = 0; i < m->nobligs; i++) {
        const IrOblig *o = &m->obligs[i];
        put_uleb(&obligs, o->item);
        put_uleb(&obligs, o->value);
        put_uleb(&obligs, o->op);
        put_uleb(&obligs, o->nfacts);
        for (uint32_t k = 0; k < o->nfacts; k++) {
            put_uleb(&obligs, o->facts[k].kind);
            put_uleb(&obligs, o->facts[k].a);
            if (o->facts[k].kind == IR_FACT_EDGE)
                put_uleb(&obligs, o->facts[k].b);
        }
    }

    buf_put(&file, YVMB_MAGIC, YVMB_MAGIC_LEN);
    put_uleb(&file, m->nobligs ? YVMB_VERSION_OBLIGS
                    : m->nrules ? YVMB_VERSION_RULES : YVMB_VERSION);
    put_section(&file, YVMB_SEC_STRINGS, strs.data, strs.len);
    put_section(&file, YVMB_SEC_ITEMS, w.out.data, w.out.len);
    if (m->nrules)
        put_section(&file, YVMB_SEC_RULES, rules.data, rules.len);
    if (m->nobligs)
        put_section(&file, YVMB_SEC_OBLIGS, obligs.data, obligs.len);

    bool oom = w.out.oom || w.strs.oom || strs.oom || file.oom || rules.oom || obligs.oom;
    free(rules.data);
    free(obligs.data);
    free(w.out.data);
    free(w.strs.list);
    free(w.strs.slot);
    free(strs.data);
    if (oom) {
        free(file.data);
        *len = 0;
        return NULL;
    }
    *len = file.len;
    return file.data;
}
