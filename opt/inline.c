/* inline.c - inline direct calls of small functions.
 *
 * A call `%r = call @g(args)` in block B is replaced by a copy of g's
 * body: B keeps the instructions before the call and ends in `br` to the
 * copy of g's entry; the instructions after the call move to a new block
 * C whose one parameter is %r itself (so no use of %r changes); each
 * `ret v` of the copy becomes `br C(v)`; traps stay traps.
 *
 * A callee is inlined only when that keeps the semantics exactly:
 *  - it has a body, is not the caller, is not `noinline`, and no
 *    per-target body exists for it (a backend may pick that one);
 *  - neither side is `ct` or `deadline`: their timing contracts are
 *    checked per function, and moving code across would change what is
 *    checked (docs/opt.md);
 *  - both are `unsafe` or neither: unsafe code may touch C memory
 *    unchecked and use ptrtoint, which a safe function may not;
 *  - it has no alloca: an alloca dies when its function returns, and a
 *    pointer kept past that must still trap; inlined, it would live on;
 *  - its size is within the budget (instructions), and the caller stays
 *    under its own growth limit.
 * What inlining does change is the call depth, so a program that hit the
 * `stack overflow` limit may get further (docs/opt.md). */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

/* Callee budgets in instructions. A call on a cycle of the caller's CFG
 * runs once per iteration, so the call's own cost (saves, frame, argument
 * moves, and no optimisation across it) weighs more there: at -O2 such a
 * callee may be three times larger. */
enum { CALLEE_BUDGET_O1 = 12, CALLEE_BUDGET_O2 = 40, CALLEE_BUDGET_O2_LOOP = 120,
       CALLER_LIMIT = 4000 };

static uint32_t func_size(const IrFunc *g)
{
    uint32_t n = 0;
    for (uint32_t b = 0; b < g->nblocks; b++)
        n += g->blocks[b]->ninsts;
    return n;
}

static bool has_target_body(const IrModule *m, const char *name)
{
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind == IR_ITEM_FUNC && it->func->target && strcmp(it->name, name) == 0)
            return true;
    }
    return false;
}

static bool can_inline(const IrModule *m, const IrFunc *f, uint32_t item, uint32_t budget)
{
    if (item >= m->nitems || m->items[item].kind != IR_ITEM_FUNC)
        return false;
    const IrFunc *g = m->items[item].func;
    unsigned timing = IR_ATTR_CT | IR_ATTR_DEADLINE;
    if (g == f || g->is_extern || !g->nblocks || g->target || f->target)
        return false;
    if ((g->attrs & (IR_ATTR_NOINLINE | timing)) || (f->attrs & timing))
        return false;
    if ((g->attrs & IR_ATTR_UNSAFE) != (f->attrs & IR_ATTR_UNSAFE))
        return false;
    if (func_size(g) > budget || has_target_body(m, m->items[item].name))
        return false;
    for (uint32_t b = 0; b < g->nblocks; b++)
        for (uint32_t i = 0; i < g->blocks[b]->ninsts; i++) {
            const IrInst *in = &g->blocks[b]->insts[i];
            if (in->op == IR_ALLOCA)
                return false;
            if (in->op == IR_CALL && in->opd[0].kind == IR_OPD_SYMBOL && in->opd[0].index == item)
                return false; /* directly recursive */
        }
    return true;
}

static IrOperand map_opd(const IrOperand *o, const IrOperand *vmap)
{
    if (o->kind != IR_OPD_VALUE)
        return *o;
    IrOperand r = vmap[o->index];
    r.type = o->type;
    return r;
}

/* Inline the call at f->blocks[bi]->insts[ii] (a direct call of g). */
static void inline_call(IrModule *m, IrFunc *f, uint32_t bi, uint32_t ii, const IrFunc *g)
{
    IrBlock *b = f->blocks[bi];
    IrInst call = b->insts[ii];
    uint32_t base = f->nblocks; /* g's block k becomes f's block base + k */

    /* Values of g in f: parameters are the arguments, the rest fresh. */
    IrOperand *vmap = xmalloc(((size_t)g->nvals + 1) * sizeof *vmap);
    for (uint32_t v = 0; v < g->nvals; v++)
        vmap[v] = (IrOperand){.kind = IR_OPD_VALUE, .index = IR_NONE};
    for (uint32_t p = 0; p < g->nparams; p++)
        vmap[g->params[p]] = call.opd[1 + p];
    for (uint32_t k = 0; k < g->nblocks; k++) {
        const IrBlock *gb = g->blocks[k];
        for (uint32_t p = 0; p < gb->nparams; p++)
            vmap[gb->params[p]] = ir_opd_value(f, ir_func_new_value(m, f, g->vals[gb->params[p]].type, NULL));
        for (uint32_t i = 0; i < gb->ninsts; i++)
            if (gb->insts[i].result != IR_NONE) {
                uint32_t r = gb->insts[i].result;
                vmap[r] = ir_opd_value(f, ir_func_new_value(m, f, g->vals[r].type, NULL));
            }
    }

    /* The continuation: the instructions after the call. */
    for (uint32_t k = 0; k < g->nblocks; k++)
        ir_block_new(m, f, NULL);
    IrBlock *cont = ir_block_new(m, f, NULL);
    uint32_t ci = f->nblocks - 1;
    b = f->blocks[bi];
    cont->ninsts = cont->capinsts = b->ninsts - ii - 1;
    cont->insts = arena_alloc(&m->arena, sizeof *cont->insts * (cont->ninsts + 1));
    memcpy(cont->insts, b->insts + ii + 1, sizeof *cont->insts * cont->ninsts);
    if (call.result != IR_NONE) {
        cont->params = arena_alloc(&m->arena, sizeof *cont->params);
        cont->params[0] = call.result;
        cont->nparams = cont->capparams = 1;
    }

    /* The caller's block now jumps into the copy of g's entry. */
    IrInst br = {.op = IR_BR, .result = IR_NONE, .ntgt = 1, .loc = call.loc};
    br.tgt = arena_alloc(&m->arena, sizeof *br.tgt);
    br.tgt->block = base;
    b->insts[ii] = br;
    b->ninsts = ii + 1;

    for (uint32_t k = 0; k < g->nblocks; k++) {
        const IrBlock *gb = g->blocks[k];
        IrBlock *nb = f->blocks[base + k];
        nb->nparams = nb->capparams = gb->nparams;
        nb->params = gb->nparams ? arena_alloc(&m->arena, sizeof *nb->params * gb->nparams) : NULL;
        for (uint32_t p = 0; p < gb->nparams; p++)
            nb->params[p] = vmap[gb->params[p]].index;
        nb->ninsts = nb->capinsts = gb->ninsts;
        nb->insts = arena_alloc(&m->arena, sizeof *nb->insts * (gb->ninsts + 1));
        for (uint32_t i = 0; i < gb->ninsts; i++) {
            const IrInst *gi = &gb->insts[i];
            IrInst *ni = &nb->insts[i];
            *ni = *gi;
            if (gi->result != IR_NONE)
                ni->result = vmap[gi->result].index;
            if (gi->op == IR_RET) {
                /* ret [v] -> br C(v) (the value dropped if the call has none) */
                *ni = br;
                ni->loc = gi->loc;
                ni->tgt = arena_alloc(&m->arena, sizeof *ni->tgt);
                ni->tgt->block = ci;
                if (call.result != IR_NONE && gi->nopd) {
                    IrOperand a = map_opd(&gi->opd[0], vmap);
                    ni->tgt->nargs = 1;
                    ni->tgt->args = edit_copy_opds(m, 1, &a);
                }
                continue;
            }
            ni->opd = gi->nopd ? arena_alloc(&m->arena, sizeof *ni->opd * gi->nopd) : NULL;
            for (uint32_t o = 0; o < gi->nopd; o++)
                ni->opd[o] = map_opd(&gi->opd[o], vmap);
            if (gi->ntgt) {
                ni->tgt = arena_alloc(&m->arena, sizeof *ni->tgt * gi->ntgt);
                for (uint32_t t = 0; t < gi->ntgt; t++) {
                    const IrTarget *gt = &gi->tgt[t];
                    ni->tgt[t].block = base + gt->block;
                    ni->tgt[t].nargs = gt->nargs;
                    ni->tgt[t].args = gt->nargs ? arena_alloc(&m->arena, sizeof *gt->args * gt->nargs)
                                                : NULL;
                    for (uint32_t a = 0; a < gt->nargs; a++)
                        ni->tgt[t].args[a] = map_opd(&gt->args[a], vmap);
                }
            }
            if (gi->keys && gi->ntgt > 1)
                ni->keys = arena_memdup(&m->arena, gi->keys, sizeof *gi->keys * (gi->ntgt - 1));
        }
    }
    free(vmap);
}

/* Whether block b lies on a cycle of f's CFG: a search from its
 * successors comes back to it. */
static bool on_cycle(const IrFunc *f, uint32_t b)
{
    bool *seen = xcalloc(f->nblocks + 1, sizeof *seen);
    uint32_t *work = xmalloc((f->nblocks + 1) * sizeof *work);
    uint32_t nw = 0;
    bool found = false;
    work[nw++] = b;
    while (nw && !found) {
        const IrBlock *x = f->blocks[work[--nw]];
        const IrInst *t = x->ninsts ? &x->insts[x->ninsts - 1] : NULL;
        for (uint32_t k = 0; t && k < t->ntgt && !found; k++) {
            uint32_t s = t->tgt[k].block;
            if (s == b)
                found = true;
            else if (s < f->nblocks && !seen[s]) {
                seen[s] = true;
                work[nw++] = s;
            }
        }
    }
    free(seen);
    free(work);
    return found;
}

bool opt_inline(OptCtx *oc, IrModule *m, IrFunc *f)
{
    uint32_t budget = oc->level == 1 ? CALLEE_BUDGET_O1 : CALLEE_BUDGET_O2;
    uint32_t loop_budget = oc->level == 1 ? CALLEE_BUDGET_O1 : CALLEE_BUDGET_O2_LOOP;
    bool changed = false;
    uint32_t size = func_size(f);
    /* Calls inside an inlined copy are not inlined in the same run, so
     * mutual recursion cannot unfold; the continuation blocks (the
     * caller's own code) are visited. */
    bool *copy = NULL;
    uint32_t ncopy = 0;
    for (uint32_t bi = 0; bi < f->nblocks && size < CALLER_LIMIT; bi++) {
        if (bi < ncopy && copy[bi])
            continue;
        for (uint32_t ii = 0; ii < f->blocks[bi]->ninsts; ii++) {
            IrInst *in = &f->blocks[bi]->insts[ii];
            if (in->op != IR_CALL || in->opd[0].kind != IR_OPD_SYMBOL)
                continue;
            uint32_t item = in->opd[0].index;
            if (!can_inline(m, f, item, loop_budget) ||
                (!can_inline(m, f, item, budget) && !on_cycle(f, bi)))
                continue;
            const IrFunc *g = m->items[item].func;
            if (in->nopd != g->nparams + 1)
                continue;
            size += func_size(g);
            uint32_t base = f->nblocks;
            inline_call(m, f, bi, ii, g);
            copy = xrealloc(copy, f->nblocks * sizeof *copy);
            for (uint32_t k = ncopy; k < f->nblocks; k++)
                copy[k] = k >= base && k < f->nblocks - 1;
            ncopy = f->nblocks;
            changed = true;
            break; /* the rest of this block moved to the continuation */
        }
    }
    free(copy);
    return changed;
}
