/* ssa.c - on-the-fly SSA construction with block parameters (ssa.h). */
#include "ssa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Growable arrays in the module arena: SSA bookkeeping lives exactly as
 * long as the function being built, and the arena is freed with it. */
#define PUSH(s, arr, n, cap, x) ARENA_PUSH(&(s)->m->arena, arr, n, cap, x)

void ssa_init(Ssa *s, IrModule *m, IrFunc *f)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->f = f;
}

void ssa_free(Ssa *s)
{
    for (uint32_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i]);
    free(s->blocks);
    free(s->defs);
    memset(s, 0, sizeof *s);
}

SsaBlock *ssa_block(Ssa *s, const char *name)
{
    SsaBlock *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    b->b = ir_block_new(s->m, s->f, name);
    b->index = s->f->nblocks - 1;
    if (s->nblocks == s->capblocks) {
        s->capblocks = s->capblocks ? s->capblocks * 2 : 16;
        s->blocks = realloc(s->blocks, sizeof *s->blocks * s->capblocks);
        if (!s->blocks)
            abort();
    }
    s->blocks[s->nblocks++] = b;
    return b;
}

uint32_t ssa_var(Ssa *s, IrType t, const char *name)
{
    SsaVarInfo v = {.type = t, .name = name};
    PUSH(s, s->vars, s->nvars, s->capvars, v);
    return s->nvars - 1;
}

/* ---- current definitions: (block, var) -> operand ---- */

static uint64_t def_key(uint32_t block, uint32_t var)
{
    return (((uint64_t)block << 32) | var) + 1;
}

static uint32_t def_index(const Ssa *s, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    uint32_t i = (uint32_t)(h >> 32) & (s->capdefs - 1);
    while (s->defs[i].key && s->defs[i].key != key)
        i = (i + 1) & (s->capdefs - 1);
    return i;
}

void ssa_write(Ssa *s, uint32_t var, SsaBlock *b, IrOperand v)
{
    if (2 * (s->ndefs + 1) > s->capdefs) {
        uint32_t oldcap = s->capdefs;
        SsaDef *old = s->defs;
        s->capdefs = oldcap ? oldcap * 2 : 256;
        s->defs = calloc(s->capdefs, sizeof *s->defs);
        if (!s->defs)
            abort();
        for (uint32_t i = 0; i < oldcap; i++)
            if (old[i].key)
                s->defs[def_index(s, old[i].key)] = old[i];
        free(old);
    }
    uint64_t key = def_key(b->index, var);
    uint32_t i = def_index(s, key);
    if (!s->defs[i].key)
        s->ndefs++;
    s->defs[i].key = key;
    s->defs[i].val = v;
}

static bool def_get(const Ssa *s, uint32_t var, const SsaBlock *b, IrOperand *out)
{
    if (!s->capdefs)
        return false;
    uint32_t i = def_index(s, def_key(b->index, var));
    if (!s->defs[i].key)
        return false;
    *out = s->defs[i].val;
    return true;
}

/* ---- parameters and edges ---- */

static IrInst *terminator(SsaBlock *b)
{
    return &b->b->insts[b->b->ninsts - 1];
}

static void edge_add_arg(Ssa *s, SsaEdge e, IrOperand v)
{
    IrTarget *t = &terminator(e.from)->tgt[e.slot];
    t->args = arena_grow(&s->m->arena, t->args, sizeof *t->args * t->nargs,
                         sizeof *t->args * (t->nargs + 1));
    t->args[t->nargs++] = v;
}

static uint32_t new_phi(Ssa *s, uint32_t var, SsaBlock *b)
{
    SsaVarInfo *vi = &s->vars[var];
    uint32_t v = ir_block_add_param(s->m, s->f, b->b, vi->type, vi->name);
    SsaPhi p = {.value = v, .block = b, .var = var};
    PUSH(s, s->phis, s->nphis, s->capphis, p);
    return v;
}

static IrOperand zero_of(IrType t)
{
    if (t == IR_F32)
        return ir_opd_f32(0);
    if (t == IR_F64)
        return ir_opd_f64(0);
    return ir_opd_int(t, 0);
}

static void add_operands(Ssa *s, uint32_t var, SsaBlock *b, uint32_t phi)
{
    (void)phi;
    for (uint32_t i = 0; i < b->npreds; i++) {
        SsaEdge e = b->preds[i];
        edge_add_arg(s, e, ssa_read(s, var, e.from));
    }
}

IrOperand ssa_read(Ssa *s, uint32_t var, SsaBlock *b)
{
    IrOperand v;
    if (def_get(s, var, b, &v))
        return v;
    /* Follow single-predecessor chains without recursion. */
    SsaBlock *cur = b;
    for (uint32_t steps = 0;; steps++) {
        if (cur != b && def_get(s, var, cur, &v))
            break;
        if (steps > s->nblocks) { /* a cycle of unreachable blocks */
            v = zero_of(s->vars[var].type);
            ssa_write(s, var, b, v);
            return v;
        }
        if (!cur->sealed) {
            uint32_t p = new_phi(s, var, cur);
            SsaIncomplete inc = {.var = var, .value = p};
            PUSH(s, cur->incomplete, cur->nincomplete, cur->capincomplete, inc);
            v = ir_opd_value(s->f, p);
            ssa_write(s, var, cur, v);
            break;
        }
        if (cur->npreds == 0) {
            v = zero_of(s->vars[var].type); /* unreachable code */
            ssa_write(s, var, cur, v);
            break;
        }
        if (cur->npreds == 1) {
            cur = cur->preds[0].from;
            continue;
        }
        uint32_t p = new_phi(s, var, cur);
        v = ir_opd_value(s->f, p);
        ssa_write(s, var, cur, v); /* before the operands: breaks cycles */
        add_operands(s, var, cur, p);
        break;
    }
    for (SsaBlock *x = b; x != cur; x = x->preds[0].from)
        ssa_write(s, var, x, v);
    return v;
}

void ssa_seal(Ssa *s, SsaBlock *b)
{
    if (b->sealed)
        return;
    for (uint32_t i = 0; i < b->nincomplete; i++)
        add_operands(s, b->incomplete[i].var, b, b->incomplete[i].value);
    b->sealed = true;
}

static void add_edge(Ssa *s, SsaBlock *from, uint32_t slot, SsaBlock *to)
{
    SsaEdge e = {.from = from, .slot = slot};
    PUSH(s, to->preds, to->npreds, to->cappreds, e);
}

void ssa_br(Ssa *s, SsaBlock *from, SsaBlock *to, uint32_t nargs, const IrOperand *args)
{
    ir_build_br(s->m, from->b, ir_target(s->m, to->index, nargs, args));
    from->terminated = true;
    add_edge(s, from, 0, to);
}

void ssa_condbr(Ssa *s, SsaBlock *from, IrOperand cond, SsaBlock *t, uint32_t nt,
                const IrOperand *targs, SsaBlock *e, uint32_t ne, const IrOperand *eargs)
{
    ir_build_condbr(s->m, from->b, cond, ir_target(s->m, t->index, nt, targs),
                    ir_target(s->m, e->index, ne, eargs));
    from->terminated = true;
    add_edge(s, from, 0, t);
    add_edge(s, from, 1, e);
}

void ssa_ret(Ssa *s, SsaBlock *from, const IrOperand *v)
{
    ir_build_ret(s->m, from->b, v);
    from->terminated = true;
}

void ssa_trap(Ssa *s, SsaBlock *from, const char *reason, uint32_t len)
{
    ir_build_trap(s->m, from->b, reason, len);
    from->terminated = true;
}

void ssa_edge_later(Ssa *s, SsaBlock *from, SsaBlock *to)
{
    add_edge(s, from, 0, to);
}

/* ---- finishing ---- */

static bool opd_equal(IrOperand a, IrOperand b)
{
    return a.kind == b.kind && a.type == b.type && a.index == b.index && a.bits == b.bits;
}

typedef struct Repl {
    bool set;
    IrOperand to;
} Repl;

static IrOperand resolve(const Repl *r, IrOperand o)
{
    for (int guard = 0; o.kind == IR_OPD_VALUE && r[o.index].set && guard < 1 << 20; guard++)
        o = r[o.index].to;
    return o;
}

static uint32_t param_index(const IrBlock *b, uint32_t value)
{
    for (uint32_t i = 0; i < b->nparams; i++)
        if (b->params[i] == value)
            return i;
    return IR_NONE;
}

static void rewrite_opd(const Repl *r, IrOperand *o)
{
    if (o->kind == IR_OPD_VALUE)
        *o = resolve(r, *o);
}

/* ---- value names: one per value in a function (x, x.1, x.2, ...) ---- */

typedef struct NameSet {
    uint32_t cap;
    const char **slots;
} NameSet;

static uint32_t name_slot(const NameSet *ns, const char *name)
{
    uint32_t h = 2166136261u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    uint32_t i = h & (ns->cap - 1);
    while (ns->slots[i] && strcmp(ns->slots[i], name) != 0)
        i = (i + 1) & (ns->cap - 1);
    return i;
}

static void unique_names(Ssa *s)
{
    IrFunc *f = s->f;
    NameSet ns = {.cap = 16};
    while (ns.cap < 2 * f->nvals + 2)
        ns.cap *= 2;
    ns.slots = calloc(ns.cap, sizeof *ns.slots);
    if (!ns.slots)
        abort();
    for (uint32_t v = 0; v < f->nvals; v++) {
        const char *name = f->vals[v].name;
        if (!name)
            continue;
        uint32_t i = name_slot(&ns, name);
        if (ns.slots[i]) {
            size_t n = strlen(name) + 12;
            char *alt = arena_alloc(&s->m->arena, n);
            for (unsigned k = 1;; k++) {
                snprintf(alt, n, "%s.%u", name, k);
                i = name_slot(&ns, alt);
                if (!ns.slots[i])
                    break;
            }
            f->vals[v].name = alt;
        }
        ns.slots[i] = f->vals[v].name;
    }
    free(ns.slots);
}

void ssa_finish(Ssa *s)
{
    IrFunc *f = s->f;
    uint32_t nb = f->nblocks;
    /* Reachability from the entry. */
    bool *live = calloc(nb + 1, 1);
    uint32_t *work = malloc(sizeof *work * (nb + 1));
    if (!live || !work)
        abort();
    uint32_t nwork = 0;
    live[0] = true;
    work[nwork++] = 0;
    while (nwork) {
        IrBlock *b = f->blocks[work[--nwork]];
        if (!b->ninsts)
            continue;
        IrInst *t = &b->insts[b->ninsts - 1];
        for (uint32_t i = 0; i < t->ntgt; i++) {
            uint32_t to = t->tgt[i].block;
            if (!live[to]) {
                live[to] = true;
                work[nwork++] = to;
            }
        }
    }
    free(work);

    /* Trivial parameters: every live incoming value is the parameter
     * itself or one other value. Iterate to a fixed point. */
    Repl *repl = calloc(f->nvals + 1, sizeof *repl);
    bool *dead = calloc(s->nphis + 1, 1);
    if (!repl || !dead)
        abort();
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 0; i < s->nphis; i++) {
            SsaPhi *p = &s->phis[i];
            if (dead[i] || !live[p->block->index])
                continue;
            uint32_t pi = param_index(p->block->b, p->value);
            IrOperand self = ir_opd_value(f, p->value), same = {0};
            bool have = false, trivial = true;
            for (uint32_t k = 0; k < p->block->npreds && trivial; k++) {
                SsaEdge e = p->block->preds[k];
                if (!live[e.from->index])
                    continue;
                IrTarget *t = &terminator(e.from)->tgt[e.slot];
                if (pi >= t->nargs)
                    continue;
                IrOperand a = resolve(repl, t->args[pi]);
                if (opd_equal(a, self) || (have && opd_equal(a, same)))
                    continue;
                if (have)
                    trivial = false;
                same = a;
                have = true;
            }
            if (trivial && have) {
                repl[p->value].set = true;
                repl[p->value].to = same;
                dead[i] = true;
                changed = true;
            }
        }
    }

    /* Drop the dead parameters and their arguments on every edge. */
    for (uint32_t i = 0; i < s->nblocks; i++) {
        SsaBlock *sb = s->blocks[i];
        IrBlock *b = sb->b;
        bool any = false;
        bool *drop = calloc(b->nparams + 1, 1);
        if (!drop)
            abort();
        for (uint32_t k = 0; k < b->nparams; k++)
            if (repl[b->params[k]].set)
                drop[k] = any = true;
        if (any) {
            for (uint32_t e = 0; e < sb->npreds; e++) {
                IrTarget *t = &terminator(sb->preds[e].from)->tgt[sb->preds[e].slot];
                uint32_t n = 0;
                for (uint32_t k = 0; k < t->nargs; k++)
                    if (k >= b->nparams || !drop[k])
                        t->args[n++] = t->args[k];
                t->nargs = n;
            }
            uint32_t n = 0;
            for (uint32_t k = 0; k < b->nparams; k++)
                if (!drop[k])
                    b->params[n++] = b->params[k];
            b->nparams = n;
        }
        free(drop);
    }

    /* Rewrite uses. */
    for (uint32_t i = 0; i < nb; i++) {
        IrBlock *b = f->blocks[i];
        for (uint32_t j = 0; j < b->ninsts; j++) {
            IrInst *in = &b->insts[j];
            for (uint32_t k = 0; k < in->nopd; k++)
                rewrite_opd(repl, &in->opd[k]);
            for (uint32_t t = 0; t < in->ntgt; t++)
                for (uint32_t k = 0; k < in->tgt[t].nargs; k++)
                    rewrite_opd(repl, &in->tgt[t].args[k]);
        }
    }
    free(repl);
    free(dead);

    /* Remove unreachable blocks. */
    uint32_t *newidx = malloc(sizeof *newidx * (nb + 1));
    if (!newidx)
        abort();
    uint32_t n = 0;
    for (uint32_t i = 0; i < nb; i++) {
        newidx[i] = live[i] ? n : IR_NONE;
        if (live[i])
            f->blocks[n++] = f->blocks[i];
    }
    f->nblocks = n;
    for (uint32_t i = 0; i < n; i++) {
        IrBlock *b = f->blocks[i];
        if (!b->ninsts)
            continue;
        IrInst *t = &b->insts[b->ninsts - 1];
        for (uint32_t k = 0; k < t->ntgt; k++)
            t->tgt[k].block = newidx[t->tgt[k].block];
    }
    free(newidx);
    free(live);

    /* Renumber values densely, in definition order. */
    uint32_t *vmap = malloc(sizeof *vmap * (f->nvals + 1));
    if (!vmap)
        abort();
    for (uint32_t i = 0; i < f->nvals; i++)
        vmap[i] = IR_NONE;
    uint32_t nv = 0;
    IrValue *vals = arena_alloc(&s->m->arena, sizeof *vals * (f->nvals + 1));
#define DEF(v) do { vals[nv] = f->vals[v]; vmap[v] = nv; (v) = nv++; } while (0)
    for (uint32_t i = 0; i < f->nparams; i++)
        DEF(f->params[i]);
    for (uint32_t i = 0; i < f->nblocks; i++) {
        IrBlock *b = f->blocks[i];
        for (uint32_t k = 0; k < b->nparams; k++)
            DEF(b->params[k]);
        for (uint32_t j = 0; j < b->ninsts; j++)
            if (b->insts[j].result != IR_NONE)
                DEF(b->insts[j].result);
    }
#undef DEF
    for (uint32_t i = 0; i < f->nblocks; i++) {
        IrBlock *b = f->blocks[i];
        for (uint32_t j = 0; j < b->ninsts; j++) {
            IrInst *in = &b->insts[j];
            for (uint32_t k = 0; k < in->nopd; k++)
                if (in->opd[k].kind == IR_OPD_VALUE)
                    in->opd[k].index = vmap[in->opd[k].index];
            for (uint32_t t = 0; t < in->ntgt; t++)
                for (uint32_t k = 0; k < in->tgt[t].nargs; k++)
                    if (in->tgt[t].args[k].kind == IR_OPD_VALUE)
                        in->tgt[t].args[k].index = vmap[in->tgt[t].args[k].index];
        }
    }
    free(vmap);
    f->vals = vals;
    f->nvals = nv;
    f->capvals = nv + 1;
    unique_names(s);
}
