/* oblig.c - proof obligations of IR modules (oblig.h, docs/ir.md "Proof
 * obligations"): the text item's reader and the checks that each fact
 * holds where the instruction it justifies runs.
 *
 * Why the facts are sound. SSA values are immutable, but a value defined
 * in a loop has one instance per iteration; a fact relates the latest
 * instances of its values. `edge a -> b` holds at instruction I when b's
 * only incoming edge is a's condbr arm to b and b dominates I: every path
 * to I crosses that edge, and no path from the condition's definition (it
 * dominates a) reaches I without crossing it again, so the condition's
 * latest value when I runs is the one the branch tested. `def %v` holds
 * when v's definition dominates I: its operands' latest values are those
 * it was computed from, for the same reason, and it did not trap. */
#include "oblig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

IrOpcode ir_oblig_plain_op(IrOpcode op)
{
    switch (op) {
    case IR_ADDC: case IR_ADDCU: return IR_ADD;
    case IR_SUBC: case IR_SUBCU: return IR_SUB;
    case IR_MULC: case IR_MULCU: return IR_MUL;
    default: return IR_OPCODE_COUNT;
    }
}

bool ir_oblig_op_ok(unsigned op)
{
    return op == IR_CLAIM_FALSE || op == IR_CLAIM_NONNEG ||
           (op < IR_OPCODE_COUNT && ir_oblig_plain_op((IrOpcode)op) != IR_OPCODE_COUNT);
}

const char *ir_oblig_op_name(unsigned op)
{
    if (op == IR_CLAIM_FALSE)
        return "false";
    if (op == IR_CLAIM_NONNEG)
        return "nonneg";
    return op < IR_OPCODE_COUNT ? ir_op_info[op].name : "?";
}

uint32_t ir_oblig_param_block(const IrFunc *f, uint32_t v)
{
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t k = 0; k < f->blocks[b]->nparams; k++)
            if (f->blocks[b]->params[k] == v)
                return b;
    return IR_NONE;
}

bool ir_module_has_nonneg(const IrModule *m, uint32_t item, uint32_t v)
{
    for (uint32_t i = 0; i < m->nobligs; i++)
        if (m->obligs[i].item == item && m->obligs[i].value == v &&
            m->obligs[i].op == IR_CLAIM_NONNEG)
            return true;
    return false;
}

bool ir_oblig_def_op_ok(const IrInst *in)
{
    const IrOpInfo *info = &ir_op_info[in->op];
    if (in->result == IR_NONE)
        return false;
    switch (info->form) {
    case IR_FORM_BINARY:
    case IR_FORM_ICMP:
    case IR_FORM_SELECT:
        return ir_type_is_int((IrType)in->type) && info->tclass != IR_TC_FLOAT;
    case IR_FORM_CONV:
        return (in->op == IR_ZEXT || in->op == IR_SEXT || in->op == IR_TRUNC) &&
               ir_type_is_int((IrType)in->type) && ir_type_is_int((IrType)in->type2);
    default:
        return false;
    }
}

const IrInst *ir_oblig_def(const IrFunc *f, uint32_t v, uint32_t *block, uint32_t *pos)
{
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t i = 0; i < f->blocks[b]->ninsts; i++)
            if (f->blocks[b]->insts[i].result == v) {
                *block = b;
                *pos = i;
                return &f->blocks[b]->insts[i];
            }
    return NULL;
}

IrOblig *ir_module_add_oblig(IrModule *m, uint32_t item, uint32_t value, unsigned op,
                             uint32_t nfacts, const IrFact *facts)
{
    IrOblig o = {.item = item, .value = value, .op = (uint16_t)op, .nfacts = nfacts};
    if (nfacts)
        o.facts = arena_memdup(&m->arena, facts, sizeof *facts * nfacts);
    ARENA_PUSH(&m->arena, m->obligs, m->nobligs, m->capobligs, o);
    return &m->obligs[m->nobligs - 1];
}

/* ---- messages ---- */

static char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *msgf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* ---- the text form ---- */

typedef struct Scan {
    const char *p, *end;
    IrLoc loc;        /* of *p */
    /* the current token */
    const char *tok;
    size_t len;
    IrLoc tloc;
} Scan;

static void advance(Scan *s, size_t n)
{
    for (size_t i = 0; i < n && s->p < s->end; i++, s->p++) {
        if (*s->p == '\n') {
            s->loc.line++;
            s->loc.col = 1;
        } else {
            s->loc.col++;
        }
    }
}

static bool word_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '$';
}

/* The next token: a word (sigils included), '->', '{', '}' or another
 * single byte; len 0 at the end. */
static void next(Scan *s)
{
    for (;;) {
        while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' ||
                                 *s->p == '\n'))
            advance(s, 1);
        if (s->p < s->end && *s->p == ';') {
            while (s->p < s->end && *s->p != '\n')
                advance(s, 1);
            continue;
        }
        break;
    }
    s->tok = s->p;
    s->tloc = s->loc;
    size_t n = 0;
    if (s->p >= s->end)
        n = 0;
    else if (*s->p == '-' && s->p + 1 < s->end && s->p[1] == '>')
        n = 2;
    else if (*s->p == '@' || *s->p == '%' || word_char(*s->p)) {
        n = 1;
        while (s->p + n < s->end && word_char(s->p[n]))
            n++;
    } else
        n = 1;
    s->len = n;
    advance(s, n);
}

static bool is(const Scan *s, const char *w)
{
    return s->len == strlen(w) && memcmp(s->tok, w, s->len) == 0;
}

static char *found(const Scan *s, const char *want)
{
    if (!s->len)
        return msgf("expected %s, found end of item", want);
    return msgf("expected %s, found '%.*s'", want, (int)s->len, s->tok);
}

static uint32_t find_value(const IrFunc *f, const char *name, size_t len)
{
    for (uint32_t v = 0; v < f->nvals; v++)
        if (f->vals[v].name && strlen(f->vals[v].name) == len &&
            memcmp(f->vals[v].name, name, len) == 0)
            return v;
    return IR_NONE;
}

static uint32_t find_block(const IrFunc *f, const char *name, size_t len)
{
    for (uint32_t b = 0; b < f->nblocks; b++)
        if (f->blocks[b]->name && strlen(f->blocks[b]->name) == len &&
            memcmp(f->blocks[b]->name, name, len) == 0)
            return b;
    return IR_NONE;
}

#define FAIL(s_, ...) do { *err_loc = (s_)->tloc; *err = msgf(__VA_ARGS__); goto out; } while (0)
#define EXPECT_FAIL(s_, want) do { *err_loc = (s_)->tloc; *err = found((s_), (want)); goto out; } while (0)

bool ir_oblig_text_read(IrModule *m, const char *text, size_t len, IrLoc at,
                        IrLoc *err_loc, char **err)
{
    Scan s = {.p = text, .end = text + len, .loc = at};
    *err = NULL;
    *err_loc = at;
    uint32_t nfacts = 0, capfacts = 0;
    IrFact *facts = NULL;
    bool ok = false;

    next(&s); /* `obligation` */
    next(&s);
    if (!s.len || s.tok[0] != '@' || s.len < 2)
        EXPECT_FAIL(&s, "a function name '@f'");
    const char *fname = s.tok + 1;
    size_t flen = s.len - 1;
    IrLoc floc = s.tloc;
    next(&s);
    const char *target = NULL;
    size_t tlen = 0;
    if (is(&s, "target")) {
        next(&s);
        if (!s.len || !word_char(s.tok[0]) || s.tok[0] == '@' || s.tok[0] == '%')
            EXPECT_FAIL(&s, "a target name");
        target = s.tok;
        tlen = s.len;
        next(&s);
    }
    uint32_t item = IR_NONE;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_FUNC || !it->name || strlen(it->name) != flen ||
            memcmp(it->name, fname, flen) != 0)
            continue;
        const char *t = it->func->target;
        if (target ? t && strlen(t) == tlen && memcmp(t, target, tlen) == 0 : !t) {
            item = i;
            break;
        }
    }
    if (item == IR_NONE) {
        *err_loc = floc;
        if (target)
            *err = msgf("undefined symbol '@%.*s' for target '%.*s'", (int)flen, fname,
                        (int)tlen, target);
        else
            *err = msgf("undefined symbol '@%.*s'", (int)flen, fname);
        goto out;
    }
    const IrFunc *f = m->items[item].func;
    if (f->is_extern) {
        *err_loc = floc;
        *err = msgf("obligation for '@%.*s', which has no body", (int)flen, fname);
        goto out;
    }
    if (!s.len || s.tok[0] != '%' || s.len < 2)
        EXPECT_FAIL(&s, "a value '%name'");
    uint32_t value = find_value(f, s.tok + 1, s.len - 1);
    if (value == IR_NONE)
        FAIL(&s, "undefined value '%.*s' in '@%.*s'", (int)s.len, s.tok, (int)flen, fname);
    next(&s);
    unsigned op = IR_OPCODE_COUNT;
    for (unsigned k = 0; k < IR_OPCODE_COUNT; k++)
        if (ir_oblig_plain_op((IrOpcode)k) != IR_OPCODE_COUNT && is(&s, ir_op_info[k].name))
            op = k;
    if (is(&s, "false"))
        op = IR_CLAIM_FALSE;
    else if (is(&s, "nonneg"))
        op = IR_CLAIM_NONNEG;
    if (op == IR_OPCODE_COUNT)
        EXPECT_FAIL(&s, "a checked operation (addc subc mulc addcu subcu mulcu), 'false' or "
                        "'nonneg'");
    next(&s);
    if (!is(&s, "{"))
        EXPECT_FAIL(&s, "'{'");
    for (;;) {
        next(&s);
        IrFact fact = {.loc = s.tloc};
        if (is(&s, "}"))
            break;
        if (is(&s, "edge")) {
            uint32_t bl[2];
            for (int k = 0; k < 2; k++) {
                next(&s);
                if (k == 1) {
                    if (!is(&s, "->"))
                        EXPECT_FAIL(&s, "'->'");
                    next(&s);
                }
                if (!s.len || !word_char(s.tok[0]))
                    EXPECT_FAIL(&s, "a block label");
                bl[k] = find_block(f, s.tok, s.len);
                if (bl[k] == IR_NONE)
                    FAIL(&s, "undefined block '%.*s' in '@%.*s'", (int)s.len, s.tok, (int)flen,
                         fname);
            }
            fact.kind = IR_FACT_EDGE;
            fact.a = bl[0];
            fact.b = bl[1];
        } else if (is(&s, "def") || is(&s, "nonneg")) {
            fact.kind = is(&s, "def") ? IR_FACT_DEF : IR_FACT_NONNEG;
            next(&s);
            if (!s.len || s.tok[0] != '%' || s.len < 2)
                EXPECT_FAIL(&s, "a value '%name'");
            fact.a = find_value(f, s.tok + 1, s.len - 1);
            if (fact.a == IR_NONE)
                FAIL(&s, "undefined value '%.*s' in '@%.*s'", (int)s.len, s.tok, (int)flen,
                     fname);
        } else {
            EXPECT_FAIL(&s, "'edge', 'def', 'nonneg' or '}'");
        }
        if (nfacts == capfacts) {
            capfacts = capfacts ? 2 * capfacts : 4;
            IrFact *bigger = realloc(facts, sizeof *facts * capfacts);
            if (!bigger) {
                *err = msgf("out of memory");
                goto out;
            }
            facts = bigger;
        }
        facts[nfacts++] = fact;
    }
    ir_module_add_oblig(m, item, value, op, nfacts, facts)->loc = at;
    ok = true;
out:
    free(facts);
    return ok;
}

/* ---- the checks ---- */

/* Does the definition of v (block db, position dp) come before position
 * ip of block ib on every path? */
static bool defined_before(const IrDom *d, uint32_t db, uint32_t dp, uint32_t ib, uint32_t ip)
{
    if (db == ib)
        return dp < ip;
    return ir_dom_dominates(d, db, ib);
}

static const char *vname(const IrFunc *f, uint32_t v, char *buf, size_t n)
{
    if (v < f->nvals && f->vals[v].name)
        return f->vals[v].name;
    snprintf(buf, n, "#%u", (unsigned)v);
    return buf;
}

static const char *bname(const IrFunc *f, uint32_t b, char *buf, size_t n)
{
    if (b < f->nblocks && f->blocks[b]->name)
        return f->blocks[b]->name;
    snprintf(buf, n, "#%u", (unsigned)b);
    return buf;
}

/* Does fact fa hold at position ip of block ib, for obligation o? NULL
 * when it does; else why not, naming the obligation's value vn. */
static char *fact_check(const IrModule *m, const IrOblig *o, const IrDom *d, const IrFact *fa,
                        uint32_t ib, uint32_t ip, const char *vn)
{
    const IrFunc *f = m->items[o->item].func;
    char b2[24], b3[24];
    if (fa->kind == IR_FACT_EDGE) {
        if (fa->a >= f->nblocks || fa->b >= f->nblocks)
            return msgf("obligation for '%%%s': block number out of range", vn);
        const char *an = bname(f, fa->a, b2, sizeof b2);
        const char *bn = bname(f, fa->b, b3, sizeof b3);
        const IrBlock *a = f->blocks[fa->a];
        const IrInst *t = a->ninsts ? &a->insts[a->ninsts - 1] : NULL;
        uint32_t np;
        ir_dom_preds(d, fa->b, &np);
        if (!t || t->op != IR_CONDBR || t->ntgt != 2)
            return msgf("edge '%s' -> '%s': '%s' does not end in condbr", an, bn, an);
        if ((t->tgt[0].block == fa->b) == (t->tgt[1].block == fa->b))
            return msgf("edge '%s' -> '%s': exactly one arm of the condbr in '%s' must go to "
                        "'%s'", an, bn, an, bn);
        if (np != 1)
            return msgf("edge '%s' -> '%s': '%s' must have no other predecessor", an, bn, bn);
        if (!ir_dom_reachable(d, fa->a) || !ir_dom_dominates(d, fa->b, ib))
            return msgf("edge '%s' -> '%s' does not dominate '%%%s'", an, bn, vn);
        return NULL;
    }
    if (fa->kind == IR_FACT_DEF || fa->kind == IR_FACT_NONNEG) {
        if (fa->a >= f->nvals)
            return msgf("obligation for '%%%s': value number out of range", vn);
        const char *dn = vname(f, fa->a, b2, sizeof b2);
        if (fa->kind == IR_FACT_NONNEG) {
            uint32_t pb = ir_oblig_param_block(f, fa->a);
            if (pb == IR_NONE || !ir_type_is_int((IrType)f->vals[fa->a].type))
                return msgf("nonneg '%%%s': it is not an integer block parameter", dn);
            if (!(o->op == IR_CLAIM_NONNEG && o->value == fa->a) &&
                !ir_module_has_nonneg(m, o->item, fa->a))
                return msgf("nonneg '%%%s': the module has no 'nonneg' obligation for it", dn);
            if (!ir_dom_reachable(d, pb) || !ir_dom_dominates(d, pb, ib))
                return msgf("nonneg '%%%s' does not dominate '%%%s'", dn, vn);
            return NULL;
        }
        uint32_t db, dp;
        const IrInst *di = ir_oblig_def(f, fa->a, &db, &dp);
        if (!di)
            return msgf("def '%%%s': it is not defined by an instruction", dn);
        if (!ir_oblig_def_op_ok(di))
            return msgf("def '%%%s': '%s' is not an integer operation", dn,
                        ir_op_info[di->op].name);
        if (!defined_before(d, db, dp, ib, ip))
            return msgf("def '%%%s' does not dominate '%%%s'", dn, vn);
        return NULL;
    }
    return msgf("obligation for '%%%s': unknown fact kind %u", vn, (unsigned)fa->kind);
}

uint32_t ir_oblig_entries(const IrFunc *f, uint32_t h, IrEntry *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        const IrInst *t = blk->ninsts ? &blk->insts[blk->ninsts - 1] : NULL;
        for (uint32_t k = 0; t && k < t->ntgt; k++)
            if (t->tgt[k].block == h) {
                if (n < max)
                    out[n] = (IrEntry){.pred = b, .target = k};
                n++;
            }
    }
    return n;
}

bool ir_oblig_fact_holds(const IrModule *m, const IrOblig *o, const IrDom *d, const IrFact *fa,
                         uint32_t ib, uint32_t ip)
{
    char *msg = fact_check(m, o, d, fa, ib, ip, "");
    free(msg);
    return msg == NULL;
}

char *ir_oblig_check(const IrModule *m, const IrOblig *o, const IrDom *d, IrLoc *where)
{
    *where = o->loc;
    if (o->item >= m->nitems || m->items[o->item].kind != IR_ITEM_FUNC ||
        m->items[o->item].func->is_extern)
        return msgf("obligation for item %u, which is not a function with a body",
                    (unsigned)o->item);
    const IrFunc *f = m->items[o->item].func;
    char b1[24];
    if (o->value >= f->nvals)
        return msgf("obligation for value %u, which '@%s' does not have", (unsigned)o->value,
                    m->items[o->item].name);
    const char *vn = vname(f, o->value, b1, sizeof b1);
    if (!ir_oblig_op_ok(o->op))
        return msgf("obligation for '%%%s': opcode %u is not checked arithmetic", vn,
                    (unsigned)o->op);
    uint32_t ib = IR_NONE, ip = 0;
    const IrInst *in = ir_oblig_def(f, o->value, &ib, &ip);
    if (o->op == IR_CLAIM_FALSE) {
        if (!in || !ir_oblig_def_op_ok(in) || f->vals[o->value].type != IR_I1)
            return msgf("obligation for '%%%s': 'false' needs an i1 integer operation", vn);
    } else if (o->op == IR_CLAIM_NONNEG) {
        ib = ir_oblig_param_block(f, o->value);
        if (ib == IR_NONE || !ir_type_is_int((IrType)f->vals[o->value].type))
            return msgf("obligation for '%%%s': 'nonneg' needs an integer block parameter", vn);
        if (ib == 0)
            return msgf("obligation for '%%%s': the entry block has no incoming edges", vn);
    } else {
        IrOpcode plain = ir_oblig_plain_op((IrOpcode)o->op);
        if (!in || in->op != plain)
            return msgf("obligation for '%%%s': it must be defined by '%s' (the plain form of "
                        "'%s')", vn, ir_op_info[plain].name, ir_op_info[o->op].name);
    }
    IrDom *own = NULL;
    if (!d) {
        own = ir_dom_build(f);
        if (!own)
            return msgf("out of memory");
        d = own;
    }
    char *msg = NULL;
    for (uint32_t k = 0; k < o->nfacts && !msg; k++) {
        const IrFact *fa = &o->facts[k];
        *where = fa->loc.line ? fa->loc : o->loc;
        if (o->op != IR_CLAIM_NONNEG) {
            msg = fact_check(m, o, d, fa, ib, ip, vn);
            continue;
        }
        /* A fact of an induction holds at the end of some predecessor
         * (the step that uses it). */
        IrEntry e[64];
        uint32_t ne = ir_oblig_entries(f, ib, e, 64);
        for (uint32_t j = 0; j < ne && j < 64 && !msg; j++) {
            const IrBlock *pb = f->blocks[e[j].pred];
            msg = fact_check(m, o, d, fa, e[j].pred, pb->ninsts - 1, vn);
            if (msg && j + 1 < ne && j + 1 < 64) {
                free(msg);
                msg = NULL;
            } else {
                break;
            }
        }
    }
    if (!msg)
        *where = o->loc;
    ir_dom_free(own);
    return msg;
}
