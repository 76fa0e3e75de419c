/* licm.c - loop-invariant code motion.
 *
 * A natural loop is found from each back edge (a branch to a block that
 * dominates the branching block). Its preheader is the header's only
 * predecessor outside the loop, and only when that block ends in a plain
 * `br` to the header (so it runs exactly once before every entry into
 * the loop); loops without one are left alone.
 *
 * An instruction moves to the end of the preheader when it cannot trap
 * and has no effects (edit_is_removable: arithmetic that cannot trap,
 * compares, select, non-trapping conversions, ptradd) and every operand is
 * defined outside the loop or by an instruction already moved. Because it
 * cannot trap and reads no memory, running it once before the loop — even
 * when the loop body would not have run it — changes nothing observable.
 * Instructions that may trap are never moved (this pass does not prove
 * them guaranteed to execute). Inner loops are done first. */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

typedef struct Loop {
    uint32_t header, size;
    bool *in; /* per block */
} Loop;

static int by_size(const void *a, const void *b)
{
    const Loop *x = a, *y = b;
    return x->size < y->size ? -1 : x->size > y->size;
}

bool opt_licm(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    edit_remove_unreachable(f);
    IrDom *d = ir_dom_build(f);
    if (!d)
        xalloc_fail();
    uint32_t nb = f->nblocks;
    Loop *loops = NULL;
    uint32_t nloops = 0;
    uint32_t *work = xmalloc((nb + 1) * sizeof *work);
    for (uint32_t h = 0; h < nb; h++) {
        uint32_t np;
        const uint32_t *pr = ir_dom_preds(d, h, &np);
        bool *in = NULL;
        for (uint32_t k = 0; k < np; k++) {
            uint32_t t = pr[k];
            if (!ir_dom_dominates(d, h, t))
                continue;
            if (!in) {
                in = xcalloc(nb + 1, sizeof *in);
                in[h] = true;
            }
            uint32_t nw = 0;
            if (!in[t]) {
                in[t] = true;
                work[nw++] = t;
            }
            while (nw) {
                uint32_t x = work[--nw];
                uint32_t nq;
                const uint32_t *q = ir_dom_preds(d, x, &nq);
                for (uint32_t j = 0; j < nq; j++)
                    if (!in[q[j]]) {
                        in[q[j]] = true;
                        work[nw++] = q[j];
                    }
            }
        }
        if (!in)
            continue;
        uint32_t size = 0;
        for (uint32_t b = 0; b < nb; b++)
            size += in[b];
        loops = xrealloc(loops, (nloops + 1) * sizeof *loops);
        loops[nloops++] = (Loop){h, size, in};
    }
    if (nloops > 1)
        qsort(loops, nloops, sizeof *loops, by_size);

    uint32_t *def = edit_def_blocks(f);
    uint32_t *hoisted = xcalloc((size_t)f->nvals + 1, sizeof *hoisted); /* loop + 1 */
    bool changed = false;
    for (uint32_t l = 0; l < nloops; l++) {
        Loop *lp = &loops[l];
        uint32_t np, pre = IR_NONE, outside = 0;
        const uint32_t *pr = ir_dom_preds(d, lp->header, &np);
        for (uint32_t k = 0; k < np; k++)
            if (!lp->in[pr[k]]) {
                outside++;
                pre = pr[k];
            }
        if (outside != 1 || edit_term(f->blocks[pre])->op != IR_BR)
            continue;
        IrBlock *pb = f->blocks[pre];
        /* Blocks of the loop in reverse postorder: definitions come first. */
        for (uint32_t r = 0; r < d->nreach; r++) {
            uint32_t b = d->rpo[r];
            if (!lp->in[b])
                continue;
            IrBlock *blk = f->blocks[b];
            for (uint32_t i = 0; i < blk->ninsts; i++) {
                IrInst *in = &blk->insts[i];
                if (!edit_is_removable(in))
                    continue;
                bool inv = true;
                for (uint32_t k = 0; k < in->nopd && inv; k++) {
                    const IrOperand *o = &in->opd[k];
                    if (o->kind != IR_OPD_VALUE)
                        continue;
                    uint32_t db = def[o->index];
                    inv = (db == IR_NONE || !lp->in[db]) || hoisted[o->index] == l + 1;
                }
                if (!inv)
                    continue;
                IrInst copy = *in;
                edit_kill(in);
                hoisted[copy.result] = l + 1;
                def[copy.result] = pre;
                edit_insert(m, pb, pb->ninsts - 1, &copy);
                changed = true;
            }
        }
        edit_sweep(f);
    }
    for (uint32_t l = 0; l < nloops; l++)
        free(loops[l].in);
    free(loops);
    free(work);
    free(def);
    free(hoisted);
    ir_dom_free(d);
    return changed;
}
