/* dominators.h - the control-flow graph of one function and its dominator
 * tree: successors, predecessors, reverse postorder, immediate dominators
 * and O(1) "does a dominate b" queries.
 *
 * Built once from an IrFunc into one malloc'd structure (the function is
 * not kept or changed); rebuild after changing the function's blocks. The
 * verifier uses it for the SSA rule, the optimiser for everything else.
 *
 * Edges come from the terminator that ends a block (its last instruction,
 * if that is a terminator), one edge per branch target in written order:
 * a condbr whose two arms name the same block gives two edges. Targets
 * that name no block are ignored (the verifier reports them), so the
 * structure can be built from any function, valid or not.
 *
 * Blocks are numbered as in IrFunc.blocks; block 0 is the entry. */
#ifndef YVM_DOMINATORS_H
#define YVM_DOMINATORS_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

typedef struct IrDom {
    uint32_t nblocks;
    /* CSR edge lists: the successors of block b are
     * succ[succ_off[b] .. succ_off[b+1]), likewise for pred. */
    uint32_t *succ_off, *succ;
    uint32_t *pred_off, *pred;
    /* Blocks reachable from the entry, in reverse postorder (rpo[0] is
     * the entry when the function has blocks); rpo_num[b] is b's position
     * there, IR_NONE for an unreachable block. */
    uint32_t nreach;
    uint32_t *rpo, *rpo_num;
    /* Immediate dominator of each block; IR_NONE for the entry and for
     * unreachable blocks. */
    uint32_t *idom;
    /* Dominator-tree children of block b: kids[kid_off[b] .. kid_off[b+1]),
     * in reverse postorder. */
    uint32_t *kid_off, *kids;
    /* Entry and exit times of a depth-first walk of the dominator tree:
     * a dominates b iff pre[a] <= pre[b] and post[b] <= post[a]. */
    uint32_t *pre, *post;
} IrDom;

/* Build the CFG and dominator tree of f (Cooper, Harvey and Kennedy's
 * iterative algorithm over reverse postorder). NULL when out of memory. */
IrDom *ir_dom_build(const IrFunc *f);
void ir_dom_free(IrDom *d);

/* True when block b can be reached from the entry. */
bool ir_dom_reachable(const IrDom *d, uint32_t b);

/* True when every path from the entry to b passes through a (a block
 * dominates itself). An unreachable b is dominated by every block (no
 * path reaches it); an unreachable a dominates no reachable block.
 * Out-of-range block numbers give false. */
bool ir_dom_dominates(const IrDom *d, uint32_t a, uint32_t b);

/* Immediate dominator of b, IR_NONE for the entry or an unreachable b. */
uint32_t ir_dom_idom(const IrDom *d, uint32_t b);

/* Successors / predecessors of b as a pointer and a count. */
const uint32_t *ir_dom_succs(const IrDom *d, uint32_t b, uint32_t *n);
const uint32_t *ir_dom_preds(const IrDom *d, uint32_t b, uint32_t *n);

#endif
