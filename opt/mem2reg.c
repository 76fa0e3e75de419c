/* mem2reg.c - promote allocas to SSA values (block parameters where
 * definitions meet; Cytron et al. with pruned placement by liveness).
 *
 * An alloca is promoted only when its address never escapes: every use
 * of it is the address of a load, the address of a store (not the value
 * stored), or `ptradd` by a constant whose result is itself only so used.
 * Every access must be wholly inside the alloca at a constant offset, and
 * accesses at overlapping bytes must be of the same type at the same
 * offset: each (offset, type) is then one variable. An access that would
 * be out of bounds keeps the alloca in memory, so it still traps.
 *
 * Each execution of the alloca yields fresh zeroed memory, so the alloca
 * itself defines every variable as 0 (and a loop re-executing it resets
 * them). A `ptr` variable has no zero constant: if its zero could be read
 * the alloca is left alone. The promoted loads cannot trap (in bounds of a
 * live object), so deleting them keeps the behaviour. */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

typedef struct Vec {
    uint32_t n, cap;
    uint32_t *v;
} Vec;

static void vec_push(Vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4;
        v->v = xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = x;
}

typedef struct Slot {
    uint64_t off;
    IrType type;
} Slot;

typedef struct Alloca {
    uint32_t block, inst, value;
    uint64_t size;
    bool ok;
    Slot *slots;
    uint32_t nslots, capslots;
    uint32_t first_var;
} Alloca;

/* A pointer into a tracked alloca: the alloca itself or a constant ptradd. */
typedef struct Ptr {
    uint32_t alloca; /* IR_NONE: not tracked */
    uint64_t off;
} Ptr;

typedef struct M2r {
    IrModule *m;
    IrFunc *f;
    IrDom *d;
    uint32_t nalloca;
    Alloca *a;
    Ptr *ptr; /* per value that existed before the pass */
    uint32_t nptr;
} M2r;

static void reject(M2r *s, uint32_t ai)
{
    s->a[ai].ok = false;
}

static Ptr ptr_of(const M2r *s, const IrOperand *o)
{
    if (o->kind == IR_OPD_VALUE && o->index < s->nptr)
        return s->ptr[o->index];
    return (Ptr){.alloca = IR_NONE};
}

/* Record an access of type t at p; false if it must stay in memory. */
static void add_access(M2r *s, Ptr p, IrType t)
{
    Alloca *a = &s->a[p.alloca];
    uint64_t sz = ir_type_size(t);
    if ((int64_t)p.off < 0 || p.off > a->size || sz > a->size - p.off) {
        reject(s, p.alloca);
        return;
    }
    for (uint32_t i = 0; i < a->nslots; i++) {
        Slot *o = &a->slots[i];
        if (o->off == p.off && o->type == t)
            return;
        if (p.off < o->off + ir_type_size(o->type) && o->off < p.off + sz) {
            reject(s, p.alloca);
            return;
        }
    }
    if (a->nslots == a->capslots) {
        a->capslots = a->capslots ? 2 * a->capslots : 4;
        a->slots = xrealloc(a->slots, a->capslots * sizeof *a->slots);
    }
    a->slots[a->nslots++] = (Slot){p.off, t};
}

static uint32_t var_of(const M2r *s, Ptr p, IrType t)
{
    const Alloca *a = &s->a[p.alloca];
    for (uint32_t i = 0; i < a->nslots; i++)
        if (a->slots[i].off == p.off && a->slots[i].type == t)
            return a->first_var + i;
    return IR_NONE;
}

/* Find the allocas and decide which can be promoted. */
static void analyse(M2r *s)
{
    IrFunc *f = s->f;
    for (uint32_t v = 0; v < f->nvals; v++)
        s->ptr[v].alloca = IR_NONE;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            if (in->op != IR_ALLOCA || in->result == IR_NONE)
                continue;
            s->a = xrealloc(s->a, (s->nalloca + 1) * sizeof *s->a);
            s->a[s->nalloca] = (Alloca){.block = b, .inst = i, .value = in->result,
                                        .size = in->imm,
                                        .ok = in->imm <= EDIT_SMALL_ALLOCA};
            s->ptr[in->result] = (Ptr){s->nalloca, 0};
            s->nalloca++;
        }
    }
    /* Constant ptradds of an alloca (not of each other). */
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            if (in->op != IR_PTRADD || in->opd[1].kind != IR_OPD_CONST)
                continue;
            Ptr p = ptr_of(s, &in->opd[0]);
            if (p.alloca != IR_NONE && p.off == 0 && s->a[p.alloca].value == in->opd[0].index)
                s->ptr[in->result] = (Ptr){p.alloca, in->opd[1].bits};
        }
    }
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            uint32_t nu = edit_nuses(in);
            for (uint32_t k = 0; k < nu; k++) {
                Ptr p = ptr_of(s, edit_use(in, k));
                if (p.alloca == IR_NONE)
                    continue;
                if (in->op == IR_LOAD && k == 0)
                    add_access(s, p, (IrType)in->type);
                else if (in->op == IR_STORE && k == 1)
                    add_access(s, p, (IrType)in->type);
                else if (in->op == IR_PTRADD && k == 0 && in->result != IR_NONE
                         && s->ptr[in->result].alloca == p.alloca)
                    ; /* a tracked constant offset */
                else
                    reject(s, p.alloca);
            }
        }
    }
}

/* ---- placement and renaming ---- */

typedef struct Param {
    uint32_t var, value;
} Param;

typedef struct Rename {
    uint32_t nvars;
    IrType *vtype;
    uint32_t *valloca;
    Param **bparams; /* per block */
    uint32_t *nbparams, *capbparams;
    Vec *stack;     /* per var: operand indices into ops */
    IrOperand *ops;
    uint32_t nops, capops;
    bool *failed;   /* per alloca: its ptr zero would be read */
    IrOperand ***args; /* per block, per target: args for the target's new params */
} Rename;

static uint32_t push_op(Rename *r, IrOperand o)
{
    if (r->nops == r->capops) {
        r->capops = r->capops ? 2 * r->capops : 64;
        r->ops = xrealloc(r->ops, r->capops * sizeof *r->ops);
    }
    r->ops[r->nops] = o;
    return r->nops++;
}

static IrOperand current(Rename *r, uint32_t var)
{
    Vec *st = &r->stack[var];
    IrOperand o = st->n ? r->ops[st->v[st->n - 1]] : edit_zero(r->vtype[var]);
    /* A ptr has no zero constant: needing one means leaving the alloca. */
    if (o.kind == IR_OPD_CONST && o.type == IR_PTR)
        r->failed[r->valloca[var]] = true;
    return o;
}

static void add_bparam(M2r *s, Rename *r, uint32_t b, uint32_t var)
{
    if (r->nbparams[b] == r->capbparams[b]) {
        r->capbparams[b] = r->capbparams[b] ? 2 * r->capbparams[b] : 4;
        r->bparams[b] = xrealloc(r->bparams[b], r->capbparams[b] * sizeof **r->bparams);
    }
    uint32_t v = ir_func_new_value(s->m, s->f, r->vtype[var], NULL);
    r->bparams[b][r->nbparams[b]++] = (Param){var, v};
}

static void place(M2r *s, Rename *r, Vec *df)
{
    IrFunc *f = s->f;
    uint32_t nb = f->nblocks;
    uint8_t *first = xmalloc(nb + 1); /* 0 none, 1 load first, 2 def first */
    bool *def = xcalloc(nb + 1, sizeof *def);
    bool *livein = xcalloc(nb + 1, sizeof *livein);
    bool *placed = xcalloc(nb + 1, sizeof *placed);
    bool *queued = xcalloc(nb + 1, sizeof *queued);
    uint32_t *work = xmalloc((nb + 1) * sizeof *work);
    for (uint32_t var = 0; var < r->nvars; var++) {
        uint32_t ai = r->valloca[var];
        memset(first, 0, nb + 1);
        memset(def, 0, nb + 1);
        memset(livein, 0, nb + 1);
        memset(placed, 0, nb + 1);
        memset(queued, 0, nb + 1);
        const Alloca *a = &s->a[ai];
        for (uint32_t b = 0; b < nb; b++) {
            IrBlock *blk = f->blocks[b];
            for (uint32_t i = 0; i < blk->ninsts; i++) {
                IrInst *in = &blk->insts[i];
                bool is_def = false, is_use = false;
                if (b == a->block && i == a->inst)
                    is_def = true;
                else if (in->op == IR_LOAD || in->op == IR_STORE) {
                    Ptr p = ptr_of(s, &in->opd[in->op == IR_LOAD ? 0 : 1]);
                    if (p.alloca != ai || var_of(s, p, (IrType)in->type) != var)
                        continue;
                    is_def = in->op == IR_STORE;
                    is_use = !is_def;
                }
                if (!first[b] && (is_def || is_use))
                    first[b] = is_def ? 2 : 1;
                def[b] |= is_def;
            }
        }
        uint32_t nw = 0;
        for (uint32_t b = 0; b < nb; b++)
            if (first[b] == 1) {
                livein[b] = true;
                work[nw++] = b;
            }
        while (nw) {
            uint32_t b = work[--nw];
            uint32_t np;
            const uint32_t *pr = ir_dom_preds(s->d, b, &np);
            for (uint32_t k = 0; k < np; k++)
                if (!livein[pr[k]] && !def[pr[k]]) {
                    livein[pr[k]] = true;
                    work[nw++] = pr[k];
                }
        }
        nw = 0;
        for (uint32_t b = 0; b < nb; b++)
            if (def[b]) {
                queued[b] = true;
                work[nw++] = b;
            }
        while (nw) {
            uint32_t x = work[--nw];
            for (uint32_t k = 0; k < df[x].n; k++) {
                uint32_t y = df[x].v[k];
                if (!placed[y] && livein[y]) {
                    placed[y] = true;
                    add_bparam(s, r, y, var);
                    if (!queued[y]) {
                        queued[y] = true;
                        work[nw++] = y;
                    }
                }
            }
        }
    }
    free(first);
    free(def);
    free(livein);
    free(placed);
    free(queued);
    free(work);
}

/* Walk the dominator tree; records replacements in sub, kills nothing. */
static void rename_vars(M2r *s, Rename *r, EditSubst *sub)
{
    IrFunc *f = s->f;
    IrDom *d = s->d;
    uint32_t nb = f->nblocks;
    Vec log = {0};
    uint32_t *stk = xmalloc((nb + 1) * 2 * sizeof *stk);
    uint32_t *kid = xcalloc(nb + 1, sizeof *kid);
    bool *entered = xcalloc(nb + 1, sizeof *entered);
    uint32_t sp = 1;
    stk[0] = 0;
    stk[1] = 0;
    while (sp) {
        uint32_t b = stk[2 * (sp - 1)];
        if (!entered[b]) {
            entered[b] = true;
            stk[2 * (sp - 1) + 1] = log.n;
            for (uint32_t p = 0; p < r->nbparams[b]; p++) {
                Param *pa = &r->bparams[b][p];
                vec_push(&r->stack[pa->var], push_op(r, ir_opd_value(f, pa->value)));
                vec_push(&log, pa->var);
            }
            IrBlock *blk = f->blocks[b];
            for (uint32_t i = 0; i < blk->ninsts; i++) {
                IrInst *in = &blk->insts[i];
                if (in->op == IR_ALLOCA && in->result < s->nptr) {
                    Ptr p = s->ptr[in->result];
                    if (p.alloca == IR_NONE || !s->a[p.alloca].ok)
                        continue;
                    const Alloca *a = &s->a[p.alloca];
                    for (uint32_t k = 0; k < a->nslots; k++) {
                        IrType t = a->slots[k].type;
                        uint32_t var = a->first_var + k;
                        vec_push(&r->stack[var], push_op(r, edit_zero(t)));
                        vec_push(&log, var);
                    }
                    continue;
                }
                if (in->op != IR_LOAD && in->op != IR_STORE)
                    continue;
                Ptr p = ptr_of(s, &in->opd[in->op == IR_LOAD ? 0 : 1]);
                if (p.alloca == IR_NONE || !s->a[p.alloca].ok)
                    continue;
                uint32_t var = var_of(s, p, (IrType)in->type);
                if (in->op == IR_LOAD) {
                    edit_subst_set(sub, in->result, current(r, var));
                } else {
                    IrOperand v = in->opd[0];
                    if (v.kind == IR_OPD_VALUE) {
                        IrOperand x = edit_subst_get(sub, v.index);
                        x.type = v.type;
                        v = x;
                    }
                    vec_push(&r->stack[var], push_op(r, v));
                    vec_push(&log, var);
                }
            }
            IrInst *t = edit_term(blk);
            for (uint32_t k = 0; t && k < t->ntgt; k++) {
                uint32_t to = t->tgt[k].block;
                if (to >= nb || !r->nbparams[to])
                    continue;
                IrOperand *args = xmalloc(r->nbparams[to] * sizeof *args);
                for (uint32_t p = 0; p < r->nbparams[to]; p++) {
                    IrOperand v = current(r, r->bparams[to][p].var);
                    if (v.kind == IR_OPD_VALUE) {
                        IrOperand x = edit_subst_get(sub, v.index);
                        x.type = v.type;
                        v = x;
                    }
                    args[p] = v;
                }
                if (!r->args[b])
                    r->args[b] = xcalloc(t->ntgt, sizeof *r->args[b]);
                r->args[b][k] = args;
            }
        }
        uint32_t nk = d->kid_off[b + 1] - d->kid_off[b];
        if (kid[b] < nk) {
            uint32_t c = d->kids[d->kid_off[b] + kid[b]++];
            stk[2 * sp] = c;
            stk[2 * sp + 1] = 0;
            sp++;
            continue;
        }
        uint32_t mark = stk[2 * (sp - 1) + 1];
        while (log.n > mark) {
            uint32_t var = log.v[--log.n];
            if (r->stack[var].n)
                r->stack[var].n--;
        }
        sp--;
    }
    free(log.v);
    free(stk);
    free(kid);
    free(entered);
}

/* Dominance frontiers (Cooper, Harvey and Kennedy). */
static Vec *frontiers(const IrDom *d, uint32_t nb)
{
    Vec *df = xcalloc(nb + 1, sizeof *df);
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t np;
        const uint32_t *pr = ir_dom_preds(d, b, &np);
        if (np < 2 || !ir_dom_reachable(d, b))
            continue;
        for (uint32_t k = 0; k < np; k++) {
            uint32_t x = pr[k];
            if (!ir_dom_reachable(d, x))
                continue;
            while (x != IR_NONE && x != ir_dom_idom(d, b)) {
                if (!df[x].n || df[x].v[df[x].n - 1] != b)
                    vec_push(&df[x], b);
                x = ir_dom_idom(d, x);
            }
        }
    }
    return df;
}

static void rename_free(Rename *r, uint32_t nb)
{
    for (uint32_t b = 0; b < nb; b++)
        free(r->bparams[b]);
    for (uint32_t v = 0; v < r->nvars; v++)
        free(r->stack[v].v);
    free(r->bparams);
    free(r->nbparams);
    free(r->capbparams);
    free(r->stack);
    free(r->ops);
    free(r->vtype);
    free(r->valloca);
}

/* One attempt over the allocas still marked ok; false (nothing changed)
 * when a ptr variable's zero would be read: that alloca is then
 * rejected and the caller tries again. */
static bool attempt(M2r *s, bool *changed)
{
    IrFunc *f = s->f;
    uint32_t nb = f->nblocks;
    Rename r = {0};
    for (uint32_t i = 0; i < s->nalloca; i++) {
        s->a[i].first_var = r.nvars;
        if (s->a[i].ok)
            r.nvars += s->a[i].nslots;
    }
    bool any = false;
    for (uint32_t i = 0; i < s->nalloca; i++)
        any |= s->a[i].ok;
    if (!any)
        return true;
    r.vtype = xcalloc(r.nvars + 1, sizeof *r.vtype);
    r.valloca = xcalloc(r.nvars + 1, sizeof *r.valloca);
    for (uint32_t i = 0; i < s->nalloca; i++)
        if (s->a[i].ok)
            for (uint32_t k = 0; k < s->a[i].nslots; k++) {
                r.vtype[s->a[i].first_var + k] = s->a[i].slots[k].type;
                r.valloca[s->a[i].first_var + k] = i;
            }
    r.bparams = xcalloc(nb + 1, sizeof *r.bparams);
    r.nbparams = xcalloc(nb + 1, sizeof *r.nbparams);
    r.capbparams = xcalloc(nb + 1, sizeof *r.capbparams);
    r.stack = xcalloc(r.nvars + 1, sizeof *r.stack);
    r.failed = xcalloc(s->nalloca + 1, sizeof *r.failed);
    r.args = xcalloc(nb + 1, sizeof *r.args);
    Vec *df = frontiers(s->d, nb);
    place(s, &r, df);
    EditSubst sub;
    edit_subst_init(&sub, f); /* after place(): it made new values */
    rename_vars(s, &r, &sub);

    bool ok = true;
    for (uint32_t i = 0; i < s->nalloca; i++)
        if (r.failed[i]) {
            s->a[i].ok = false;
            ok = false;
        }
    if (ok) {
        /* Commit: parameters, arguments, replacements, deletions. */
        for (uint32_t b = 0; b < nb; b++) {
            IrBlock *blk = f->blocks[b];
            for (uint32_t p = 0; p < r.nbparams[b]; p++) {
                uint32_t *np = arena_alloc(&s->m->arena, sizeof *np * (blk->nparams + 1));
                if (blk->nparams)
                    memcpy(np, blk->params, sizeof *np * blk->nparams);
                np[blk->nparams++] = r.bparams[b][p].value;
                blk->params = np;
                blk->capparams = blk->nparams;
            }
            IrInst *t = edit_term(blk);
            for (uint32_t k = 0; t && r.args[b] && k < t->ntgt; k++) {
                uint32_t to = t->tgt[k].block;
                for (uint32_t p = 0; r.args[b][k] && p < r.nbparams[to]; p++) {
                    IrOperand a = r.args[b][k][p];
                    if (a.kind == IR_OPD_VALUE) {
                        IrOperand x = edit_subst_get(&sub, a.index);
                        x.type = a.type;
                        a = x;
                    }
                    edit_target_add_arg(s->m, &t->tgt[k], a);
                }
            }
        }
        for (uint32_t b = 0; b < nb; b++) {
            IrBlock *blk = f->blocks[b];
            for (uint32_t i = 0; i < blk->ninsts; i++) {
                IrInst *in = &blk->insts[i];
                Ptr p = {.alloca = IR_NONE};
                if ((in->op == IR_ALLOCA || in->op == IR_PTRADD) && in->result < s->nptr)
                    p = s->ptr[in->result];
                else if (in->op == IR_LOAD)
                    p = ptr_of(s, &in->opd[0]);
                else if (in->op == IR_STORE)
                    p = ptr_of(s, &in->opd[1]);
                if (p.alloca == IR_NONE || !s->a[p.alloca].ok)
                    continue;
                edit_kill(in);
                *changed = true;
            }
        }
        edit_subst_apply(&sub, f);
        edit_sweep(f);
    }
    for (uint32_t b = 0; b < nb; b++) {
        if (r.args[b]) {
            IrInst *t = edit_term(f->blocks[b]);
            for (uint32_t k = 0; t && k < t->ntgt; k++)
                free(r.args[b][k]);
            free(r.args[b]);
        }
        free(df[b].v);
    }
    free(df);
    free(r.args);
    free(r.failed);
    edit_subst_free(&sub);
    rename_free(&r, nb);
    return ok;
}

bool opt_mem2reg(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    bool changed = edit_remove_unreachable(f);
    M2r s = {.m = m, .f = f};
    s.nptr = f->nvals;
    s.ptr = xmalloc(((size_t)f->nvals + 1) * sizeof *s.ptr);
    analyse(&s);
    s.d = ir_dom_build(f);
    if (!s.d)
        xalloc_fail();
    for (uint32_t tries = 0; tries <= s.nalloca; tries++)
        if (attempt(&s, &changed))
            break;
    ir_dom_free(s.d);
    for (uint32_t i = 0; i < s.nalloca; i++)
        free(s.a[i].slots);
    free(s.a);
    free(s.ptr);
    return changed;
}
