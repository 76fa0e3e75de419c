/* edit.c - the IR-mutation toolkit (see edit.h): instruction facts, uses,
 * substitution, deletion and insertion for the passes. */
#include "edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* ---- what an instruction may do ---- */

/* A constant divisor that is neither 0 nor -1 (all ones) cannot trap. */
static bool safe_divisor(const IrInst *in)
{
    const IrOperand *b = &in->opd[1];
    if (b->kind != IR_OPD_CONST || b->bits == 0)
        return false;
    if (in->op == IR_UDIV || in->op == IR_UREM)
        return true;
    return b->bits != ir_type_mask((IrType)in->type);
}

bool edit_may_trap(const IrInst *in)
{
    switch ((IrOpcode)in->op) {
    case IR_SDIV: case IR_UDIV: case IR_SREM: case IR_UREM:
        return !safe_divisor(in);
    case IR_ADDC: case IR_SUBC: case IR_MULC:
    case IR_ADDCU: case IR_SUBCU: case IR_MULCU:
    case IR_FPTOSI: case IR_FPTOUI:
    case IR_LOAD: case IR_STORE: case IR_MEMCPY: case IR_MEMSET:
    case IR_CALL: case IR_CALLIND: case IR_TRAP:
        return true;
    case IR_ALLOCA: /* only by exhausting frame space (docs/opt.md) */
    default:
        return false;
    }
}

bool edit_has_side_effects(const IrInst *in)
{
    switch ((IrOpcode)in->op) {
    case IR_STORE: case IR_MEMCPY: case IR_MEMSET:
    case IR_CALL: case IR_CALLIND:
        return true;
    default:
        return ir_op_is_terminator((IrOpcode)in->op);
    }
}

bool edit_is_pure_op(const IrInst *in)
{
    if (in->op >= IR_OPCODE_COUNT || in->result == IR_NONE)
        return false;
    switch (ir_op_info[in->op].form) {
    case IR_FORM_BINARY: case IR_FORM_UNARY: case IR_FORM_ICMP:
    case IR_FORM_FCMP: case IR_FORM_SELECT: case IR_FORM_CONV:
    case IR_FORM_PTRADD:
        return true;
    default:
        return false;
    }
}

bool edit_is_removable(const IrInst *in)
{
    return edit_is_pure_op(in) && !edit_may_trap(in);
}

bool edit_is_commutative(IrOpcode op)
{
    switch (op) {
    case IR_ADD: case IR_MUL: case IR_AND: case IR_OR: case IR_XOR:
    case IR_ADDC: case IR_MULC: case IR_ADDCU: case IR_MULCU:
    case IR_FADD: case IR_FMUL:
        return true;
    default:
        return false;
    }
}

/* ---- uses ---- */

uint32_t edit_nuses(const IrInst *in)
{
    uint32_t n = in->nopd;
    for (uint32_t t = 0; t < in->ntgt; t++)
        n += in->tgt[t].nargs;
    return n;
}

IrOperand *edit_use(IrInst *in, uint32_t k)
{
    if (k < in->nopd)
        return &in->opd[k];
    k -= in->nopd;
    for (uint32_t t = 0; t < in->ntgt; t++) {
        if (k < in->tgt[t].nargs)
            return &in->tgt[t].args[k];
        k -= in->tgt[t].nargs;
    }
    return NULL;
}

uint32_t *edit_use_counts(const IrFunc *f)
{
    uint32_t *n = xcalloc((size_t)f->nvals + 1, sizeof *n);
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            uint32_t nu = edit_nuses(in);
            for (uint32_t k = 0; k < nu; k++) {
                IrOperand *o = edit_use(in, k);
                if (o->kind == IR_OPD_VALUE && o->index < f->nvals)
                    n[o->index]++;
            }
        }
    }
    return n;
}

uint32_t *edit_def_blocks(const IrFunc *f)
{
    uint32_t *d = xmalloc(((size_t)f->nvals + 1) * sizeof *d);
    for (uint32_t v = 0; v <= f->nvals; v++)
        d[v] = IR_NONE;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t p = 0; p < blk->nparams; p++)
            d[blk->params[p]] = b;
        for (uint32_t i = 0; i < blk->ninsts; i++)
            if (blk->insts[i].result != IR_NONE)
                d[blk->insts[i].result] = b;
    }
    return d;
}

IrInst *edit_term(IrBlock *b)
{
    return b->ninsts ? &b->insts[b->ninsts - 1] : NULL;
}

/* ---- substitution ---- */

void edit_subst_init(EditSubst *s, const IrFunc *f)
{
    s->n = f->nvals;
    s->any = false;
    s->to = xmalloc(((size_t)s->n + 1) * sizeof *s->to);
    for (uint32_t v = 0; v < s->n; v++)
        s->to[v] = (IrOperand){.kind = IR_OPD_VALUE, .type = f->vals[v].type, .index = v};
}

void edit_subst_free(EditSubst *s)
{
    free(s->to);
    s->to = NULL;
}

void edit_subst_set(EditSubst *s, uint32_t v, IrOperand to)
{
    if (v >= s->n)
        return;
    if (to.kind == IR_OPD_VALUE && to.index == v)
        return;
    s->to[v] = to;
    s->any = true;
}

IrOperand edit_subst_get(EditSubst *s, uint32_t v)
{
    if (v >= s->n)
        return (IrOperand){.kind = IR_OPD_VALUE, .index = v};
    /* Follow the chain, then point every link at its end. */
    uint32_t r = v, steps = 0;
    while (s->to[r].kind == IR_OPD_VALUE && s->to[r].index != r && s->to[r].index < s->n
           && steps++ <= s->n)
        r = s->to[r].index;
    IrOperand end = s->to[r];
    uint32_t c = v;
    while (c != r && s->to[c].kind == IR_OPD_VALUE && s->to[c].index < s->n) {
        uint32_t next = s->to[c].index;
        s->to[c] = end;
        c = next;
    }
    return end;
}

bool edit_subst_apply(EditSubst *s, IrFunc *f)
{
    if (!s->any)
        return false;
    bool changed = false;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            uint32_t nu = edit_nuses(in);
            for (uint32_t k = 0; k < nu; k++) {
                IrOperand *o = edit_use(in, k);
                if (o->kind != IR_OPD_VALUE)
                    continue;
                IrOperand r = edit_subst_get(s, o->index);
                if (r.kind == IR_OPD_VALUE && r.index == o->index)
                    continue;
                r.type = o->type;
                *o = r;
                changed = true;
            }
        }
    }
    return changed;
}

/* ---- deletion ---- */

void edit_kill(IrInst *in)
{
    in->op = EDIT_DEAD_OP;
}

bool edit_sweep(IrFunc *f)
{
    bool any = false;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        uint32_t w = 0;
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            if (blk->insts[i].op == EDIT_DEAD_OP) {
                any = true;
                continue;
            }
            if (w != i)
                blk->insts[w] = blk->insts[i];
            w++;
        }
        blk->ninsts = w;
    }
    return any;
}

void edit_remove_blocks(IrFunc *f, const bool *dead)
{
    uint32_t *map = xmalloc(((size_t)f->nblocks + 1) * sizeof *map);
    uint32_t w = 0, old = f->nblocks;
    for (uint32_t b = 0; b < old; b++) {
        if (dead[b] && b != 0) {
            map[b] = IR_NONE;
            continue;
        }
        map[b] = w;
        f->blocks[w++] = f->blocks[b];
    }
    f->nblocks = w;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrInst *t = edit_term(f->blocks[b]);
        if (!t)
            continue;
        for (uint32_t k = 0; k < t->ntgt; k++)
            if (t->tgt[k].block < old && map[t->tgt[k].block] != IR_NONE)
                t->tgt[k].block = map[t->tgt[k].block];
    }
    free(map);
}

bool edit_remove_unreachable(IrFunc *f)
{
    IrDom *d = ir_dom_build(f);
    if (!d)
        xalloc_fail();
    bool any = false;
    bool *dead = xcalloc((size_t)f->nblocks + 1, sizeof *dead);
    for (uint32_t b = 1; b < f->nblocks; b++)
        if (!ir_dom_reachable(d, b))
            dead[b] = any = true;
    ir_dom_free(d);
    if (any)
        edit_remove_blocks(f, dead);
    free(dead);
    return any;
}

void edit_remove_block_params(IrFunc *f, uint32_t b, const bool *dead)
{
    IrBlock *blk = f->blocks[b];
    uint32_t np = blk->nparams, w = 0;
    for (uint32_t p = 0; p < np; p++)
        if (!dead[p])
            blk->params[w++] = blk->params[p];
    blk->nparams = w;
    for (uint32_t x = 0; x < f->nblocks; x++) {
        IrInst *t = edit_term(f->blocks[x]);
        if (!t)
            continue;
        for (uint32_t k = 0; k < t->ntgt; k++) {
            IrTarget *tg = &t->tgt[k];
            if (tg->block != b || tg->nargs != np)
                continue;
            uint32_t a = 0;
            for (uint32_t p = 0; p < np; p++)
                if (!dead[p])
                    tg->args[a++] = tg->args[p];
            tg->nargs = a;
        }
    }
}

/* ---- insertion ---- */

IrInst *edit_insert(IrModule *m, IrBlock *b, uint32_t pos, const IrInst *in)
{
    if (pos > b->ninsts)
        pos = b->ninsts;
    if (b->ninsts == b->capinsts) {
        uint32_t cap = b->capinsts ? 2 * b->capinsts : 4;
        IrInst *n = arena_alloc(&m->arena, sizeof *n * cap);
        if (b->ninsts)
            memcpy(n, b->insts, sizeof *n * b->ninsts);
        b->insts = n;
        b->capinsts = cap;
    }
    memmove(&b->insts[pos + 1], &b->insts[pos], sizeof *b->insts * (b->ninsts - pos));
    b->insts[pos] = *in;
    b->ninsts++;
    return &b->insts[pos];
}

IrOperand *edit_copy_opds(IrModule *m, uint32_t n, const IrOperand *o)
{
    if (!n)
        return NULL;
    IrOperand *c = arena_alloc(&m->arena, sizeof *c * n);
    memcpy(c, o, sizeof *c * n);
    return c;
}

void edit_target_add_arg(IrModule *m, IrTarget *t, IrOperand a)
{
    IrOperand *n = arena_alloc(&m->arena, sizeof *n * (t->nargs + 1));
    if (t->nargs)
        memcpy(n, t->args, sizeof *n * t->nargs);
    n[t->nargs++] = a;
    t->args = n;
}

IrOperand edit_zero(IrType t)
{
    return (IrOperand){.kind = IR_OPD_CONST, .type = (uint8_t)t, .bits = 0};
}

bool edit_same_opd(const IrOperand *a, const IrOperand *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case IR_OPD_VALUE:
    case IR_OPD_SYMBOL:
        return a->index == b->index;
    default:
        return a->type == b->type && a->bits == b->bits;
    }
}
