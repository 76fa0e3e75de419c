/* simplifycfg.c - control-flow cleanup, repeated until nothing changes:
 *
 *  - a condbr/switch on a constant, or whose targets are all the same
 *    block with the same arguments, becomes a br;
 *  - blocks no path from the entry reaches are deleted;
 *  - a branch to a block that holds only `br T(args)` goes to T directly
 *    (the arguments substituted);
 *  - a block whose only predecessor ends in `br` to it is merged into it;
 *  - block parameters nothing uses are dropped with their arguments.
 *
 * None of this touches an instruction that can trap or has an effect: it
 * only removes branches whose outcome is fixed and blocks that are not
 * executed, so every path executes the same non-branch instructions. */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

static void make_br(IrInst *in, uint32_t k)
{
    IrTarget *t = &in->tgt[k];
    in->op = IR_BR;
    in->nopd = 0;
    in->ntgt = 1;
    in->tgt = t;
    in->keys = NULL;
    in->type = 0;
}

static bool same_target(const IrTarget *a, const IrTarget *b)
{
    if (a->block != b->block || a->nargs != b->nargs)
        return false;
    for (uint32_t i = 0; i < a->nargs; i++)
        if (!edit_same_opd(&a->args[i], &b->args[i]))
            return false;
    return true;
}

static bool fold_branches(IrFunc *f)
{
    bool changed = false;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrInst *in = edit_term(f->blocks[b]);
        if (!in || (in->op != IR_CONDBR && in->op != IR_SWITCH))
            continue;
        bool all_same = true;
        for (uint32_t k = 1; k < in->ntgt; k++)
            if (!same_target(&in->tgt[0], &in->tgt[k]))
                all_same = false;
        uint32_t pick = IR_NONE;
        if (all_same)
            pick = 0;
        else if (in->opd[0].kind == IR_OPD_CONST) {
            uint64_t v = in->opd[0].bits;
            if (in->op == IR_CONDBR)
                pick = (v & 1) ? 0 : 1;
            else {
                pick = 0;
                for (uint32_t k = 1; k < in->ntgt; k++)
                    if (in->keys[k - 1] == v)
                        pick = k;
            }
        }
        if (pick != IR_NONE) {
            make_br(in, pick);
            changed = true;
        }
    }
    return changed;
}

/* Branches to a block holding only `br T(args)` go to T directly. */
static bool thread_empty(IrModule *m, IrFunc *f)
{
    bool changed = false;
    uint32_t *uses = edit_use_counts(f);
    for (uint32_t e = 1; e < f->nblocks; e++) {
        IrBlock *eb = f->blocks[e];
        IrInst *eb_br = edit_term(eb);
        if (eb->ninsts != 1 || eb_br->op != IR_BR || eb_br->tgt[0].block == e
            || eb_br->tgt[0].block == 0)
            continue;
        IrTarget *out = &eb_br->tgt[0];
        /* E's parameters must be used only by its own branch (E goes away). */
        bool local = true;
        for (uint32_t j = 0; j < eb->nparams && local; j++) {
            uint32_t here = 0;
            for (uint32_t a = 0; a < out->nargs; a++)
                here += out->args[a].kind == IR_OPD_VALUE && out->args[a].index == eb->params[j];
            local = uses[eb->params[j]] == here;
        }
        if (!local)
            continue;
        for (uint32_t p = 0; p < f->nblocks; p++) {
            if (p == e)
                continue;
            IrInst *t = edit_term(f->blocks[p]);
            if (!t)
                continue;
            for (uint32_t k = 0; k < t->ntgt; k++) {
                IrTarget *tg = &t->tgt[k];
                if (tg->block != e || tg->nargs != eb->nparams)
                    continue;
                IrOperand *args = out->nargs ? arena_alloc(&m->arena, sizeof *args * out->nargs)
                                             : NULL;
                for (uint32_t a = 0; a < out->nargs; a++) {
                    args[a] = out->args[a];
                    if (args[a].kind != IR_OPD_VALUE)
                        continue;
                    for (uint32_t j = 0; j < eb->nparams; j++)
                        if (eb->params[j] == args[a].index) {
                            IrOperand r = tg->args[j];
                            r.type = args[a].type;
                            args[a] = r;
                            break;
                        }
                }
                tg->block = out->block;
                tg->nargs = out->nargs;
                tg->args = args;
                changed = true;
            }
        }
    }
    free(uses);
    return changed;
}

/* Merge a block into its only predecessor when that ends in br to it. */
static bool merge_blocks(IrModule *m, IrFunc *f)
{
    uint32_t n = f->nblocks;
    uint32_t *npred = xcalloc((size_t)n + 1, sizeof *npred);
    for (uint32_t b = 0; b < n; b++) {
        IrInst *t = edit_term(f->blocks[b]);
        for (uint32_t k = 0; t && k < t->ntgt; k++)
            if (t->tgt[k].block < n)
                npred[t->tgt[k].block]++;
    }
    bool *dead = xcalloc((size_t)n + 1, sizeof *dead);
    EditSubst s;
    edit_subst_init(&s, f);
    bool changed = false;
    for (uint32_t b = 0; b < n; b++) {
        while (!dead[b]) {
            IrBlock *bb = f->blocks[b];
            IrInst *t = edit_term(bb);
            if (!t || t->op != IR_BR)
                break;
            uint32_t c = t->tgt[0].block;
            if (c == b || c == 0 || c >= n || npred[c] != 1 || dead[c])
                break;
            IrBlock *cb = f->blocks[c];
            for (uint32_t j = 0; j < cb->nparams && j < t->tgt[0].nargs; j++)
                edit_subst_set(&s, cb->params[j], t->tgt[0].args[j]);
            uint32_t total = bb->ninsts - 1 + cb->ninsts;
            IrInst *insts = arena_alloc(&m->arena, sizeof *insts * total);
            memcpy(insts, bb->insts, sizeof *insts * (bb->ninsts - 1));
            memcpy(insts + bb->ninsts - 1, cb->insts, sizeof *insts * cb->ninsts);
            bb->insts = insts;
            bb->ninsts = bb->capinsts = total;
            cb->ninsts = 0;
            cb->nparams = 0;
            dead[c] = true;
            changed = true;
        }
    }
    if (changed) {
        edit_remove_blocks(f, dead);
        edit_subst_apply(&s, f);
    }
    edit_subst_free(&s);
    free(dead);
    free(npred);
    return changed;
}

static bool drop_unused_params(IrFunc *f)
{
    uint32_t *uses = edit_use_counts(f);
    bool changed = false;
    for (uint32_t b = 1; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        if (!blk->nparams)
            continue;
        bool *dead = xcalloc(blk->nparams, sizeof *dead);
        bool any = false;
        for (uint32_t p = 0; p < blk->nparams; p++)
            if (!uses[blk->params[p]])
                dead[p] = any = true;
        if (any) {
            edit_remove_block_params(f, b, dead);
            changed = true;
        }
        free(dead);
    }
    free(uses);
    return changed;
}

bool opt_simplifycfg(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    bool changed = false;
    for (int round = 0; round < 100; round++) {
        bool c = fold_branches(f);
        c |= edit_remove_unreachable(f);
        c |= thread_empty(m, f);
        c |= edit_remove_unreachable(f);
        c |= merge_blocks(m, f);
        c |= drop_unused_params(f);
        if (!c)
            break;
        changed = true;
    }
    return changed;
}
