/* dce.c - dead code elimination by liveness from the roots.
 *
 * Roots are the instructions that matter whatever their result: those
 * with effects (stores, calls, terminators) and those that may trap
 * (edit_may_trap: a division by a non-constant, checked arithmetic,
 * fptosi/fptoui, every load). A value is live when a live instruction uses
 * it; a block parameter is live when used, and then the matching argument
 * of every branch to it is a use. Everything else is deleted: unused pure
 * instructions, unused allocas, and block parameters that only feed each
 * other (a loop counter nobody reads). */
#include <stdlib.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

typedef struct Dce {
    IrFunc *f;
    bool *live;          /* per value */
    uint32_t *stack, nstack;
    uint32_t *def_block, *def_inst; /* def_inst IR_NONE: a parameter */
    uint32_t *def_param;            /* position among the block's params */
    uint32_t *in_off, *in_blk, *in_tgt; /* branches into each block */
} Dce;

static void mark(Dce *d, const IrOperand *o)
{
    if (o->kind == IR_OPD_VALUE && o->index < d->f->nvals && !d->live[o->index]) {
        d->live[o->index] = true;
        d->stack[d->nstack++] = o->index;
    }
}

static void mark_inst(Dce *d, IrInst *in)
{
    for (uint32_t k = 0; k < in->nopd; k++)
        mark(d, &in->opd[k]);
}

static bool is_root(const IrInst *in)
{
    return edit_may_trap(in) || edit_has_side_effects(in);
}

bool opt_dce(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    Dce d = {.f = f};
    uint32_t nv = f->nvals, nb = f->nblocks;
    d.live = xcalloc((size_t)nv + 1, sizeof *d.live);
    d.stack = xmalloc(((size_t)nv + 1) * sizeof *d.stack);
    d.def_block = xmalloc(((size_t)nv + 1) * sizeof *d.def_block);
    d.def_inst = xmalloc(((size_t)nv + 1) * sizeof *d.def_inst);
    d.def_param = xmalloc(((size_t)nv + 1) * sizeof *d.def_param);
    for (uint32_t v = 0; v < nv; v++)
        d.def_block[v] = IR_NONE;
    d.in_off = xcalloc((size_t)nb + 2, sizeof *d.in_off);
    uint32_t nedges = 0;
    for (uint32_t b = 0; b < nb; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t p = 0; p < blk->nparams; p++) {
            d.def_block[blk->params[p]] = b;
            d.def_inst[blk->params[p]] = IR_NONE;
            d.def_param[blk->params[p]] = p;
        }
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            if (in->result != IR_NONE && in->result < nv) {
                d.def_block[in->result] = b;
                d.def_inst[in->result] = i;
            }
        }
        IrInst *t = edit_term(blk);
        for (uint32_t k = 0; t && k < t->ntgt; k++)
            if (t->tgt[k].block < nb) {
                d.in_off[t->tgt[k].block + 1]++;
                nedges++;
            }
    }
    for (uint32_t b = 0; b < nb; b++)
        d.in_off[b + 1] += d.in_off[b];
    d.in_blk = xmalloc(((size_t)nedges + 1) * sizeof *d.in_blk);
    d.in_tgt = xmalloc(((size_t)nedges + 1) * sizeof *d.in_tgt);
    uint32_t *fill = xcalloc((size_t)nb + 1, sizeof *fill);
    for (uint32_t b = 0; b < nb; b++) {
        IrInst *t = edit_term(f->blocks[b]);
        for (uint32_t k = 0; t && k < t->ntgt; k++) {
            uint32_t to = t->tgt[k].block;
            if (to >= nb)
                continue;
            uint32_t at = d.in_off[to] + fill[to]++;
            d.in_blk[at] = b;
            d.in_tgt[at] = k;
        }
    }
    free(fill);

    /* Roots; also the conditions `false` obligations speak of, so that
     * the proof of a removed branch stays in the module (the code
     * generator computes no value nothing uses). */
    uint32_t item = ir_item_of_func(m, f);
    for (uint32_t i = 0; i < m->nobligs; i++)
        if (m->obligs[i].item == item && m->obligs[i].op == IR_CLAIM_FALSE &&
            m->obligs[i].value < nv)
            mark(&d, &(IrOperand){.kind = IR_OPD_VALUE, .index = m->obligs[i].value});
    for (uint32_t b = 0; b < nb; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++)
            if (is_root(&blk->insts[i]))
                mark_inst(&d, &blk->insts[i]);
    }
    /* Propagate. */
    while (d.nstack) {
        uint32_t v = d.stack[--d.nstack];
        uint32_t b = d.def_block[v];
        if (b == IR_NONE)
            continue; /* a function parameter */
        if (d.def_inst[v] != IR_NONE) {
            mark_inst(&d, &f->blocks[b]->insts[d.def_inst[v]]);
            continue;
        }
        uint32_t p = d.def_param[v];
        for (uint32_t e = d.in_off[b]; e < d.in_off[b + 1]; e++) {
            IrTarget *tg = &edit_term(f->blocks[d.in_blk[e]])->tgt[d.in_tgt[e]];
            if (p < tg->nargs)
                mark(&d, &tg->args[p]);
        }
    }

    /* Delete. */
    bool changed = false;
    for (uint32_t b = 0; b < nb; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            if (is_root(in) || in->result == IR_NONE || d.live[in->result])
                continue;
            if (edit_is_removable(in) || (in->op == IR_ALLOCA && in->imm <= EDIT_SMALL_ALLOCA)) {
                edit_kill(in);
                changed = true;
            }
        }
        if (b == 0 || !blk->nparams)
            continue;
        bool *dead = xcalloc(blk->nparams, sizeof *dead);
        bool any = false;
        for (uint32_t p = 0; p < blk->nparams; p++)
            if (!d.live[blk->params[p]])
                dead[p] = any = true;
        if (any) {
            edit_remove_block_params(f, b, dead);
            changed = true;
        }
        free(dead);
    }
    edit_sweep(f);
    free(d.live);
    free(d.stack);
    free(d.def_block);
    free(d.def_inst);
    free(d.def_param);
    free(d.in_off);
    free(d.in_blk);
    free(d.in_tgt);
    return changed;
}
