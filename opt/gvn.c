/* gvn.c - global value numbering by a walk of the dominator tree (CSE
 * over dominating definitions).
 *
 * Two pure instructions (edit_is_pure_op: arithmetic, compares, select,
 * conversions, ptradd — never memory or calls) with the same opcode,
 * types, predicate and operands compute the same bits. When one dominates
 * the other, the later one is replaced by the earlier's result. This is
 * also right for instructions that may trap (sdiv, addc, fptosi): the
 * dominating copy ran first with the same operands, so had it trapped the
 * later one would never run; if it did not, the later one would not
 * either. Commutative operands are put in a canonical order first.
 *
 * After that, a `condbr c` whose block lies below one arm of an earlier
 * `condbr c` (the arm's block has that branch as its only predecessor and
 * dominates it) already knows c, and becomes a `br` to the arm c selects:
 * merging two equal checks leaves such pairs.
 *
 * Last, a load that repeats an earlier load (same type, same address
 * value) on the only path to it reuses that load's value, when no store,
 * memcpy, memset or call lies between (see cse_loads). */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

typedef struct Entry {
    const IrInst *in; /* operands already rewritten */
    uint32_t hash, next;
} Entry;

typedef struct Gvn {
    uint32_t *bucket, mask; /* heads: entry index + 1, 0 = empty */
    Entry *e;
    uint32_t ne, cap;
} Gvn;

static int opd_cmp(const IrOperand *a, const IrOperand *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == IR_OPD_CONST)
        return a->bits < b->bits ? -1 : a->bits > b->bits;
    return a->index < b->index ? -1 : a->index > b->index;
}

static uint32_t hash_inst(const IrInst *in)
{
    uint64_t h = in->op * 0x9e3779b97f4a7c15u ^ ((uint64_t)in->type << 8)
                 ^ ((uint64_t)in->type2 << 16) ^ ((uint64_t)in->cond << 24);
    for (uint32_t k = 0; k < in->nopd; k++) {
        const IrOperand *o = &in->opd[k];
        h = (h ^ o->kind ^ ((uint64_t)o->index << 3) ^ (o->bits * 31)) * 0x100000001b3u;
    }
    return (uint32_t)(h ^ (h >> 32));
}

static bool same_inst(const IrInst *a, const IrInst *b)
{
    if (a->op != b->op || a->type != b->type || a->type2 != b->type2 || a->cond != b->cond
        || a->nopd != b->nopd)
        return false;
    for (uint32_t k = 0; k < a->nopd; k++)
        if (a->opd[k].type != b->opd[k].type || opd_cmp(&a->opd[k], &b->opd[k]))
            return false;
    return true;
}

/* The arm (0 or 1) that `condbr c` at the end of block b must take
 * because every path to b passed one arm of another `condbr c`; -1 when
 * unknown. */
static int known_arm(const IrFunc *f, const IrDom *d, uint32_t b, const IrOperand *c)
{
    for (uint32_t x = b; x != 0 && x != IR_NONE; x = ir_dom_idom(d, x)) {
        uint32_t np;
        const uint32_t *pr = ir_dom_preds(d, x, &np);
        if (np != 1)
            continue;
        const IrBlock *p = f->blocks[pr[0]];
        const IrInst *t = &p->insts[p->ninsts - 1];
        if (t->op == IR_CONDBR && t->opd[0].kind == IR_OPD_VALUE &&
            t->opd[0].index == c->index && t->tgt[0].block != t->tgt[1].block)
            return t->tgt[0].block == x ? 0 : 1;
    }
    return -1;
}

static bool fold_known_branches(IrFunc *f, const IrDom *d)
{
    bool changed = false;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        IrInst *t = blk->ninsts ? &blk->insts[blk->ninsts - 1] : NULL;
        if (!t || t->op != IR_CONDBR || t->opd[0].kind != IR_OPD_VALUE ||
            !ir_dom_reachable(d, b))
            continue;
        int arm = known_arm(f, d, b, &t->opd[0]);
        if (arm < 0)
            continue;
        t->op = IR_BR;
        t->nopd = 0;
        t->tgt = &t->tgt[arm];
        t->ntgt = 1;
        changed = true;
    }
    return changed;
}

enum { LOAD_SEARCH = 64 }; /* instructions looked back per load */

/* The address operand of a load, through the substitution so far. */
static IrOperand load_addr(EditSubst *s, const IrInst *in)
{
    IrOperand a = in->opd[0];
    if (a.kind == IR_OPD_VALUE)
        a = edit_subst_get(s, a.index);
    return a;
}

/* Loads that repeat an earlier load. The earlier one is looked for
 * backwards in the same block and on up through predecessors while a
 * block has exactly one (then the only path here runs through it), and
 * the search stops at anything that may write memory or free it: store,
 * memcpy, memset, call. With nothing between, the same bytes of the same
 * object are read again: the value is the same, and the earlier load
 * did not trap, so this one would not either. Blocks go in reverse
 * postorder, so an earlier load is settled before a later one. */
static bool cse_loads(IrFunc *f, const IrDom *d)
{
    EditSubst s;
    edit_subst_init(&s, f);
    bool changed = false;
    for (uint32_t r = 0; r < d->nreach; r++) {
        uint32_t b = d->rpo[r];
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            if (in->op != IR_LOAD || in->result == IR_NONE)
                continue;
            IrOperand a = load_addr(&s, in);
            uint32_t xb = b, xi = i, budget = LOAD_SEARCH;
            const IrInst *found = NULL;
            while (!found && budget) {
                if (xi == 0) {
                    uint32_t np;
                    const uint32_t *pr = ir_dom_preds(d, xb, &np);
                    if (np != 1 || pr[0] == xb || xb == 0)
                        break;
                    xb = pr[0];
                    xi = f->blocks[xb]->ninsts;
                    continue;
                }
                const IrInst *p = &f->blocks[xb]->insts[--xi];
                budget--;
                if (p->op == IR_STORE || p->op == IR_MEMCPY || p->op == IR_MEMSET ||
                    p->op == IR_CALL || p->op == IR_CALLIND)
                    break;
                if (p->op == IR_LOAD && p->result != IR_NONE && p->type == in->type) {
                    IrOperand pa = load_addr(&s, p);
                    if (edit_same_opd(&pa, &a))
                        found = p;
                }
            }
            if (found) {
                edit_subst_set(&s, in->result, ir_opd_value(f, found->result));
                edit_kill(in);
                changed = true;
            }
        }
    }
    edit_subst_apply(&s, f);
    edit_subst_free(&s);
    return changed;
}

bool opt_gvn(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    (void)m;
    edit_remove_unreachable(f);
    IrDom *d = ir_dom_build(f);
    if (!d)
        xalloc_fail();
    uint32_t ninst = 0;
    for (uint32_t b = 0; b < f->nblocks; b++)
        ninst += f->blocks[b]->ninsts;
    Gvn g = {0};
    uint32_t size = 16;
    while (size < 2 * ninst)
        size *= 2;
    g.bucket = xcalloc(size, sizeof *g.bucket);
    g.mask = size - 1;
    g.cap = ninst + 1;
    g.e = xmalloc(g.cap * sizeof *g.e);
    EditSubst s;
    edit_subst_init(&s, f);
    bool changed = false;

    /* Explicit DFS stack over the dominator tree: (block, entry mark). */
    uint32_t *stk = xmalloc(((size_t)f->nblocks + 1) * 2 * sizeof *stk);
    uint32_t *kid = xcalloc((size_t)f->nblocks + 1, sizeof *kid);
    uint32_t sp = 0;
    if (f->nblocks) {
        stk[0] = 0;
        stk[1] = 0;
        sp = 1;
    }
    bool *entered = xcalloc((size_t)f->nblocks + 1, sizeof *entered);
    while (sp) {
        uint32_t b = stk[2 * (sp - 1)];
        if (!entered[b]) {
            entered[b] = true;
            stk[2 * (sp - 1) + 1] = g.ne;
            IrBlock *blk = f->blocks[b];
            for (uint32_t i = 0; i < blk->ninsts; i++) {
                IrInst *in = &blk->insts[i];
                for (uint32_t k = 0; k < in->nopd; k++)
                    if (in->opd[k].kind == IR_OPD_VALUE) {
                        IrOperand r = edit_subst_get(&s, in->opd[k].index);
                        r.type = in->opd[k].type;
                        in->opd[k] = r;
                    }
                if (!edit_is_pure_op(in))
                    continue;
                if (edit_is_commutative((IrOpcode)in->op) && opd_cmp(&in->opd[0], &in->opd[1]) > 0) {
                    IrOperand t = in->opd[0];
                    in->opd[0] = in->opd[1];
                    in->opd[1] = t;
                }
                uint32_t h = hash_inst(in), found = IR_NONE;
                for (uint32_t x = g.bucket[h & g.mask]; x; x = g.e[x - 1].next)
                    if (g.e[x - 1].hash == h && same_inst(g.e[x - 1].in, in)) {
                        found = x - 1;
                        break;
                    }
                if (found != IR_NONE) {
                    edit_subst_set(&s, in->result,
                                   ir_opd_value(f, g.e[found].in->result));
                    edit_kill(in);
                    changed = true;
                    continue;
                }
                g.e[g.ne] = (Entry){.in = in, .hash = h, .next = g.bucket[h & g.mask]};
                g.bucket[h & g.mask] = ++g.ne;
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
        /* Leave b: drop its entries (the newest, so at their buckets' heads). */
        uint32_t mark = stk[2 * (sp - 1) + 1];
        while (g.ne > mark) {
            Entry *e = &g.e[g.ne - 1];
            g.bucket[e->hash & g.mask] = e->next;
            g.ne--;
        }
        sp--;
    }
    edit_subst_apply(&s, f);
    changed |= fold_known_branches(f, d);
    changed |= cse_loads(f, d);
    edit_sweep(f);
    edit_subst_free(&s);
    free(stk);
    free(kid);
    free(entered);
    free(g.bucket);
    free(g.e);
    ir_dom_free(d);
    return changed;
}
