/* dominators.c - CFG edges, reverse postorder and the dominator tree of a
 * function (see dominators.h).
 *
 * The dominator tree is computed with the iterative algorithm of Cooper,
 * Harvey and Kennedy, "A Simple, Fast Dominance Algorithm" (2001): walk
 * the reachable blocks in reverse postorder, setting each block's idom to
 * the nearest common dominator of its processed predecessors, until
 * nothing changes. Every walk is iterative (explicit stacks), so deep
 * CFGs cannot overflow the C stack. */
#include "dominators.h"

#include <stdlib.h>

/* The terminator that ends block b, or NULL. */
static const IrInst *block_terminator(const IrBlock *b)
{
    if (b->ninsts == 0)
        return NULL;
    const IrInst *in = &b->insts[b->ninsts - 1];
    if (in->op >= IR_OPCODE_COUNT || !ir_op_is_terminator((IrOpcode)in->op))
        return NULL;
    return in;
}

/* Fill the CSR successor and predecessor lists. */
static bool build_edges(IrDom *d, const IrFunc *f)
{
    uint32_t n = d->nblocks, nedges = 0;
    d->succ_off = calloc((size_t)n + 1, sizeof *d->succ_off);
    d->pred_off = calloc((size_t)n + 1, sizeof *d->pred_off);
    if (!d->succ_off || !d->pred_off)
        return false;
    for (uint32_t b = 0; b < n; b++) {
        const IrInst *t = block_terminator(f->blocks[b]);
        for (uint32_t i = 0; t && i < t->ntgt; i++)
            if (t->tgt[i].block < n) {
                nedges++;
                d->pred_off[t->tgt[i].block + 1]++;
            }
        d->succ_off[b + 1] = nedges;
    }
    for (uint32_t b = 0; b < n; b++)
        d->pred_off[b + 1] += d->pred_off[b];
    d->succ = calloc((size_t)nedges + 1, sizeof *d->succ);
    d->pred = calloc((size_t)nedges + 1, sizeof *d->pred);
    uint32_t *fill = calloc((size_t)n + 1, sizeof *fill);
    if (!d->succ || !d->pred || !fill) {
        free(fill);
        return false;
    }
    uint32_t e = 0;
    for (uint32_t b = 0; b < n; b++) {
        const IrInst *t = block_terminator(f->blocks[b]);
        for (uint32_t i = 0; t && i < t->ntgt; i++) {
            uint32_t s = t->tgt[i].block;
            if (s < n) {
                d->succ[e++] = s;
                d->pred[d->pred_off[s] + fill[s]++] = b;
            }
        }
    }
    free(fill);
    return true;
}

/* Depth-first walk from the entry; blocks in reverse postorder. */
static bool build_rpo(IrDom *d)
{
    uint32_t n = d->nblocks;
    d->rpo = calloc((size_t)n + 1, sizeof *d->rpo);
    d->rpo_num = malloc(((size_t)n + 1) * sizeof *d->rpo_num);
    uint32_t *post = calloc((size_t)n + 1, sizeof *post);
    uint32_t *stack = calloc((size_t)n + 1, sizeof *stack);  /* blocks */
    uint32_t *next = calloc((size_t)n + 1, sizeof *next);    /* edge cursor */
    bool ok = d->rpo && d->rpo_num && post && stack && next;
    if (ok && n > 0) {
        /* rpo_num doubles as the "visited" mark until the walk ends. */
        for (uint32_t b = 0; b < n; b++)
            d->rpo_num[b] = IR_NONE;
        uint32_t sp = 0, npost = 0;
        stack[sp++] = 0;
        d->rpo_num[0] = 0;
        next[0] = d->succ_off[0];
        while (sp > 0) {
            uint32_t b = stack[sp - 1];
            if (next[b] < d->succ_off[b + 1]) {
                uint32_t s = d->succ[next[b]++];
                if (d->rpo_num[s] == IR_NONE) {
                    d->rpo_num[s] = 0;
                    next[s] = d->succ_off[s];
                    stack[sp++] = s;
                }
            } else {
                post[npost++] = b;
                sp--;
            }
        }
        d->nreach = npost;
        for (uint32_t i = 0; i < npost; i++) {
            uint32_t b = post[npost - 1 - i];
            d->rpo[i] = b;
            d->rpo_num[b] = i;
        }
    }
    free(post);
    free(stack);
    free(next);
    return ok;
}

/* Cooper-Harvey-Kennedy, on reverse-postorder numbers. */
static bool build_idom(IrDom *d)
{
    uint32_t n = d->nblocks, nr = d->nreach;
    d->idom = malloc(((size_t)n + 1) * sizeof *d->idom);
    uint32_t *doms = malloc(((size_t)nr + 1) * sizeof *doms); /* by rpo number */
    if (!d->idom || !doms) {
        free(doms);
        return false;
    }
    for (uint32_t i = 0; i < nr; i++)
        doms[i] = IR_NONE;
    if (nr > 0)
        doms[0] = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = 1; i < nr; i++) {
            uint32_t b = d->rpo[i], nd = IR_NONE;
            for (uint32_t e = d->pred_off[b]; e < d->pred_off[b + 1]; e++) {
                uint32_t p = d->rpo_num[d->pred[e]];
                if (p == IR_NONE || doms[p] == IR_NONE)
                    continue; /* unreachable or not processed yet */
                if (nd == IR_NONE) {
                    nd = p;
                    continue;
                }
                /* intersect: climb both fingers to their common dominator */
                uint32_t x = p, y = nd;
                while (x != y) {
                    while (x > y)
                        x = doms[x];
                    while (y > x)
                        y = doms[y];
                }
                nd = x;
            }
            if (doms[i] != nd) {
                doms[i] = nd;
                changed = true;
            }
        }
    }
    for (uint32_t b = 0; b < n; b++)
        d->idom[b] = IR_NONE;
    for (uint32_t i = 1; i < nr; i++)
        d->idom[d->rpo[i]] = d->rpo[doms[i]];
    free(doms);
    return true;
}

/* Children lists and the pre/post numbering of the dominator tree. */
static bool build_tree(IrDom *d)
{
    uint32_t n = d->nblocks;
    d->kid_off = calloc((size_t)n + 1, sizeof *d->kid_off);
    d->kids = calloc((size_t)n + 1, sizeof *d->kids);
    d->pre = malloc(((size_t)n + 1) * sizeof *d->pre);
    d->post = malloc(((size_t)n + 1) * sizeof *d->post);
    uint32_t *fill = calloc((size_t)n + 1, sizeof *fill);
    uint32_t *stack = calloc((size_t)n + 1, sizeof *stack);
    uint32_t *next = calloc((size_t)n + 1, sizeof *next);
    bool ok = d->kid_off && d->kids && d->pre && d->post && fill && stack && next;
    if (ok) {
        for (uint32_t b = 0; b < n; b++) {
            d->pre[b] = d->post[b] = IR_NONE;
            if (d->idom[b] != IR_NONE)
                d->kid_off[d->idom[b] + 1]++;
        }
        for (uint32_t b = 0; b < n; b++)
            d->kid_off[b + 1] += d->kid_off[b];
        for (uint32_t i = 1; i < d->nreach; i++) { /* rpo order */
            uint32_t b = d->rpo[i], p = d->idom[b];
            d->kids[d->kid_off[p] + fill[p]++] = b;
        }
    }
    if (ok && d->nreach > 0) {
        uint32_t sp = 0, clock = 0;
        stack[sp++] = 0;
        d->pre[0] = clock++;
        next[0] = d->kid_off[0];
        while (sp > 0) {
            uint32_t b = stack[sp - 1];
            if (next[b] < d->kid_off[b + 1]) {
                uint32_t k = d->kids[next[b]++];
                d->pre[k] = clock++;
                next[k] = d->kid_off[k];
                stack[sp++] = k;
            } else {
                d->post[b] = clock++;
                sp--;
            }
        }
    }
    free(fill);
    free(stack);
    free(next);
    return ok;
}

IrDom *ir_dom_build(const IrFunc *f)
{
    IrDom *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->nblocks = f->nblocks;
    if (!build_edges(d, f) || !build_rpo(d) || !build_idom(d) || !build_tree(d)) {
        ir_dom_free(d);
        return NULL;
    }
    return d;
}

void ir_dom_free(IrDom *d)
{
    if (!d)
        return;
    free(d->succ_off);
    free(d->succ);
    free(d->pred_off);
    free(d->pred);
    free(d->rpo);
    free(d->rpo_num);
    free(d->idom);
    free(d->kid_off);
    free(d->kids);
    free(d->pre);
    free(d->post);
    free(d);
}

bool ir_dom_reachable(const IrDom *d, uint32_t b)
{
    return b < d->nblocks && d->rpo_num[b] != IR_NONE;
}

bool ir_dom_dominates(const IrDom *d, uint32_t a, uint32_t b)
{
    if (a >= d->nblocks || b >= d->nblocks)
        return false;
    if (!ir_dom_reachable(d, b))
        return true;
    if (!ir_dom_reachable(d, a))
        return false;
    return d->pre[a] <= d->pre[b] && d->post[b] <= d->post[a];
}

uint32_t ir_dom_idom(const IrDom *d, uint32_t b)
{
    return b < d->nblocks ? d->idom[b] : IR_NONE;
}

const uint32_t *ir_dom_succs(const IrDom *d, uint32_t b, uint32_t *n)
{
    if (b >= d->nblocks) {
        *n = 0;
        return NULL;
    }
    *n = d->succ_off[b + 1] - d->succ_off[b];
    return d->succ + d->succ_off[b];
}

const uint32_t *ir_dom_preds(const IrDom *d, uint32_t b, uint32_t *n)
{
    if (b >= d->nblocks) {
        *n = 0;
        return NULL;
    }
    *n = d->pred_off[b + 1] - d->pred_off[b];
    return d->pred + d->pred_off[b];
}
