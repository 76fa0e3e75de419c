/* regalloc.c - linear-scan register allocation with live-range splitting
 * (Poletto & Sarkar's scan, with the fixed ranges, splitting and
 * resolution of Wimmer & Franz) driven by spill costs:
 *
 *  - every virtual register gets a live interval: the ranges of linear
 *    positions (liveness.c) where it is live, with the holes between
 *    them, so a loop's block parameter and the value passed back to it
 *    can share a register; its use positions; and a spill cost: its uses
 *    and definitions, each weighted by 8 to the power of its block's loop
 *    depth (loops.c);
 *  - physical registers that instruction selection names (argument and
 *    result registers, division's rax/rdx, shift counts in rcx) become
 *    fixed ranges that an interval never overlaps;
 *  - calls are kept apart from those ranges: a value live across calls
 *    takes a free callee-saved register if there is one, else a
 *    caller-saved register that is stored before and reloaded after each
 *    call it lives across, when those saves cost less than spilling it;
 *  - move hints: an interval first tries the register of the value it is
 *    copied from or to, so most copies (block arguments, call set-up)
 *    become `mov r, r` that the emitter drops;
 *  - positions follow the emitter's block layout (liveness.c), so a
 *    loop's blocks are contiguous and its cold paths lie after it;
 *  - intervals are taken from a work list by start position. One that
 *    fits a free register for its whole life gets it. Otherwise each
 *    register has a price: the saves around calls (a caller-saved one)
 *    plus what its occupants lose, each split where it meets the
 *    interval and spilled from there; the cheapest wins if it costs less
 *    than spilling the interval. Otherwise, if some register is free up
 *    to a position past one of its uses, the interval gets that register
 *    up to a split position before the conflict and the rest goes back
 *    on the work list; else it is spilled. Split positions are placed at
 *    the least loop depth in reach (a block start counts at the depth of
 *    the edges into it from earlier blocks: a loop header at its
 *    preheader's), so values are split around loops, not inside them;
 *  - a spilled interval keeps a stack slot (one per virtual register,
 *    shared by all its pieces); where two or more instructions of one
 *    block use it, that stretch is split off and tries for a register
 *    of its own, so they share one load;
 *  - afterwards each piece becomes a virtual register of its own, and
 *    connecting moves are added (parallel moves, ordered, a cycle broken
 *    through a stack temporary): at split positions inside blocks, and on
 *    control-flow edges where the value is in different places at the end
 *    of the predecessor and the start of the successor - at the end of a
 *    predecessor with one successor, at the start of a successor with one
 *    predecessor, or in a new block on the edge. A value with one
 *    definition is stored once after it; its later stack pieces need no
 *    stores. Register-to-stack copies become plain stores and loads.
 *    Intervals are only split where every exit of the block comes after
 *    the split (before its first branch, or at its start), so the place
 *    at a block's end is the place on all its out edges;
 *  - the emitter loads and stores what stays spilled around each use
 *    through the target's scratch registers, which are never allocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/mir.h"

typedef struct Range { uint32_t a, b; } Range;  /* positions, both ends in */
/* Ranges in ascending order (built descending, then reversed). */
typedef struct RangeList { Range *r; uint32_t n, cap; } RangeList;
typedef struct UsePos { uint32_t pos; double w; } UsePos;
/* A piece of a virtual register's life: it owns positions [from, to]
 * (its siblings own the rest) and is live on RL within them. */
typedef struct Interval {
    uint32_t vreg, start, end;
    uint32_t from, to;
    RangeList rl;
    double cost;        /* weighted uses and definitions */
    uint32_t preg;      /* its register, or MIR_NOREG */
    uint32_t out;       /* the virtual register it becomes */
    bool seen, spilled, saved, no_split;
} Interval;
/* Per virtual register: its use positions (ascending) and pieces. */
typedef struct VInfo {
    UsePos *up;
    uint32_t nup, capup, ndefs;
    uint32_t *kids;     /* interval indices, ascending by from */
    uint32_t nkids, capkids;
    uint32_t last_preg; /* register of the piece allocated last (hints) */
} VInfo;
typedef struct Call { uint32_t pos; double weight; } Call;
typedef struct Occupants { uint32_t *iv; uint32_t n, cap; } Occupants;

typedef struct Alloc {
    MFunc *f;
    const Target *t;
    const MLiveness *lv;
    const uint8_t *depth;
    uint32_t *first_branch; /* per block: index of its first branch */
    /* Per block: the loop depth of a split at its start, where the moves
     * go on the edges from the blocks before it (the deepest of those,
     * at most its own depth). */
    uint8_t *entry_depth;
    RangeList *fx;      /* per physical register: its fixed ranges */
    Call *calls;        /* by position */
    double *call_prefix; /* call_prefix[k]: weight of calls[0..k) */
    uint32_t ncalls;
    Interval *iv;       /* pieces; [0, nvregs) are the whole intervals */
    uint32_t niv, capiv;
    VInfo *vi;
    uint32_t *heap;     /* work list: interval indices by start */
    uint32_t nheap, capheap;
    Occupants *occ;
    bool split;         /* the target can make connecting moves */
} Alloc;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        exit(1);
    return p;
}

static void rl_push(RangeList *rl, uint32_t a, uint32_t b)
{
    if (rl->n == rl->cap) {
        rl->cap = rl->cap ? 2 * rl->cap : 4;
        rl->r = xrealloc(rl->r, rl->cap * sizeof *rl->r);
    }
    rl->r[rl->n++] = (Range){a, b};
}

/* While building (descending): add [a, b], merging with the lowest range
 * when they touch. */
static void rl_add(RangeList *rl, uint32_t a, uint32_t b)
{
    Range *lo = rl->n ? &rl->r[rl->n - 1] : NULL;
    if (lo && lo->a <= b + 1 && a <= lo->b + 1) {
        if (a < lo->a) lo->a = a;
        if (b > lo->b) lo->b = b;
        return;
    }
    rl_push(rl, a, b);
}

/* While building: a definition at POS starts the lowest range there. */
static void rl_def(RangeList *rl, uint32_t pos)
{
    Range *lo = rl->n ? &rl->r[rl->n - 1] : NULL;
    if (lo && lo->a <= pos && pos <= lo->b)
        lo->a = pos;
    else
        rl_add(rl, pos, pos);
}

static void rl_reverse(RangeList *rl)
{
    for (uint32_t i = 0, j = rl->n ? rl->n - 1 : 0; i < j; i++, j--) {
        Range t = rl->r[i];
        rl->r[i] = rl->r[j];
        rl->r[j] = t;
    }
}

static int by_range_start(const void *x, const void *y)
{
    const Range *a = x, *b = y;
    return a->a < b->a ? -1 : a->a > b->a;
}

/* The first position two ascending lists share, or UINT32_MAX. (Y may
 * overlap itself.) */
static uint32_t rl_first_common(const RangeList *x, const RangeList *y)
{
    uint32_t i = 0, j = 0;
    while (i < x->n && j < y->n) {
        if (x->r[i].b < y->r[j].a)
            i++;
        else if (y->r[j].b < x->r[i].a)
            j++;
        else
            return x->r[i].a > y->r[j].a ? x->r[i].a : y->r[j].a;
    }
    return UINT32_MAX;
}

static bool rl_intersect(const RangeList *x, const RangeList *y)
{
    return rl_first_common(x, y) != UINT32_MAX;
}

static bool rl_covers(const RangeList *x, uint32_t pos)
{
    for (uint32_t i = 0; i < x->n && x->r[i].a <= pos; i++)
        if (pos <= x->r[i].b)
            return true;
    return false;
}

/* A call: an instruction that clobbers every caller-saved register. */
static bool is_call(const Target *t, const MInst *in)
{
    return t->caller_saved && (in->imp_def & t->caller_saved) == t->caller_saved;
}

static void set_hints(MFunc *f)
{
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t i = 0; i < f->blocks[b].n; i++) {
            const MInst *in = &f->blocks[b].insts[i];
            if (!f->target->is_move(in->op) || in->nops != 2 || in->ops[0].kind != MO_REG ||
                in->ops[1].kind != MO_REG)
                continue;
            uint32_t d = in->ops[0].reg, s = in->ops[1].reg;
            if (mir_reg_class(f, d) != mir_reg_class(f, s))
                continue;
            if (mir_is_vreg(d) && f->hint[d - MIR_FIRST_VREG] == MIR_NOREG)
                f->hint[d - MIR_FIRST_VREG] = s;
            if (mir_is_vreg(s) && f->hint[s - MIR_FIRST_VREG] == MIR_NOREG)
                f->hint[s - MIR_FIRST_VREG] = d;
        }
}

static double block_weight(uint8_t depth)
{
    double w = 1;
    for (unsigned d = 0; d < depth && d < 6; d++)
        w *= 8;
    return w;
}

static void up_add(VInfo *vi, uint32_t pos, double w, bool def)
{
    if (vi->nup == vi->capup) {
        vi->capup = vi->capup ? 2 * vi->capup : 4;
        vi->up = xrealloc(vi->up, vi->capup * sizeof *vi->up);
    }
    vi->up[vi->nup++] = (UsePos){pos, w};
    vi->ndefs += def;
}

/* Intervals (Wimmer's BuildIntervals: blocks and instructions backwards),
 * use positions, spill costs, fixed ranges and calls, from liveness. */
static void build(Alloc *A)
{
    MFunc *f = A->f;
    const Target *t = A->t;
    const MLiveness *lv = A->lv;
    Interval *iv = A->iv;
    uint32_t nv = f->nvregs, np = t->npregs, W = lv->nwords;
    uint32_t *live_end = xrealloc(NULL, np * sizeof *live_end);
    uint32_t capcalls = 16;
    A->calls = xrealloc(NULL, capcalls * sizeof *A->calls);
    uint32_t use[MIR_MAX_DU], def[MIR_MAX_DU];
    unsigned nuse, ndef;
    for (uint32_t rank = f->nblocks; rank-- > 0;) {
        uint32_t b = lv->order[rank];
        const MBlock *bl = &f->blocks[b];
        double w = block_weight(A->depth[b]);
        uint32_t bs = lv->block_start[b], be = lv->block_end[b];
        const uint64_t *lout = lv->live_out + (size_t)b * W;
        for (uint32_t v = 0; v < nv; v++)
            if (mlive_has(lout, MIR_FIRST_VREG + v)) {
                iv[v].seen = true;
                rl_add(&iv[v].rl, bs, be);
            }
        /* Physical registers: ranges from def to last use. */
        for (uint32_t p = 0; p < np; p++)
            live_end[p] = mlive_has(lout, p) ? be : UINT32_MAX;
        for (uint32_t i = bl->n; i-- > 0;) {
            const MInst *in = &bl->insts[i];
            uint32_t upos = bs + 2 * i, dpos = upos + 1;
            bool call = is_call(t, in);
            if (call) {
                if (A->ncalls == capcalls) {
                    capcalls *= 2;
                    A->calls = xrealloc(A->calls, capcalls * sizeof *A->calls);
                }
                A->calls[A->ncalls++] = (Call){dpos, w};
            }
            mir_def_use(f, in, use, &nuse, def, &ndef);
            for (unsigned j = 0; j < ndef; j++) {
                uint32_t r = def[j];
                if (mir_is_vreg(r)) {
                    Interval *x = &iv[r - MIR_FIRST_VREG];
                    x->seen = true;
                    x->cost += w;
                    rl_def(&x->rl, dpos);
                    up_add(&A->vi[r - MIR_FIRST_VREG], dpos, w, true);
                } else if (r < np) {
                    /* A call's clobber that nothing reads is not a fixed
                     * range: values may live across it (saved). */
                    if (!(call && live_end[r] == UINT32_MAX && ((t->caller_saved >> r) & 1)))
                        rl_push(&A->fx[r], dpos, live_end[r] == UINT32_MAX ? dpos : live_end[r]);
                    live_end[r] = UINT32_MAX;
                }
            }
            for (unsigned j = 0; j < nuse; j++) {
                uint32_t r = use[j];
                if (mir_is_vreg(r)) {
                    Interval *x = &iv[r - MIR_FIRST_VREG];
                    x->seen = true;
                    x->cost += w;
                    rl_add(&x->rl, bs, upos);
                    up_add(&A->vi[r - MIR_FIRST_VREG], upos, w, false);
                } else if (r < np && live_end[r] == UINT32_MAX) {
                    live_end[r] = upos;
                }
            }
        }
        for (uint32_t p = 0; p < np; p++)
            if (live_end[p] != UINT32_MAX)
                rl_push(&A->fx[p], bs, live_end[p]);
    }
    free(live_end);
    for (uint32_t v = 0; v < nv; v++) {
        Interval *x = &iv[v];
        rl_reverse(&x->rl);
        if (x->rl.n) {
            x->start = x->rl.r[0].a;
            x->end = x->rl.r[x->rl.n - 1].b;
        }
        VInfo *vi = &A->vi[v];
        for (uint32_t i = 0, j = vi->nup ? vi->nup - 1 : 0; i < j; i++, j--) {
            UsePos u = vi->up[i];
            vi->up[i] = vi->up[j];
            vi->up[j] = u;
        }
    }
    for (uint32_t p = 0; p < np; p++)
        if (A->fx[p].n > 1)
            qsort(A->fx[p].r, A->fx[p].n, sizeof *A->fx[p].r, by_range_start);
    /* Calls were found backwards: reverse into position order. */
    for (uint32_t i = 0, j = A->ncalls ? A->ncalls - 1 : 0; i < j; i++, j--) {
        Call c = A->calls[i];
        A->calls[i] = A->calls[j];
        A->calls[j] = c;
    }
    A->call_prefix = xrealloc(NULL, (A->ncalls + 1) * sizeof *A->call_prefix);
    A->call_prefix[0] = 0;
    for (uint32_t k = 0; k < A->ncalls; k++)
        A->call_prefix[k + 1] = A->call_prefix[k] + A->calls[k].weight;
}

/* First call at a position > POS. */
static uint32_t call_after(const Alloc *A, uint32_t pos)
{
    uint32_t lo = 0, hi = A->ncalls;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (A->calls[mid].pos > pos)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* What keeping interval X in a caller-saved register costs: a store and
 * a load around each call strictly inside one of its ranges. */
static double save_cost(const Alloc *A, const Interval *x)
{
    double c = 0;
    for (uint32_t k = 0; k < x->rl.n; k++) {
        const Range *r = &x->rl.r[k];
        if (r->b <= r->a)
            continue;
        uint32_t a = call_after(A, r->a), b = call_after(A, r->b - 1);
        if (b > a)
            c += 2 * (A->call_prefix[b] - A->call_prefix[a]);
    }
    return c;
}

/* The first call X lives across, or UINT32_MAX. */
static uint32_t first_call_across(const Alloc *A, const Interval *x)
{
    for (uint32_t k = 0; k < x->rl.n; k++) {
        const Range *r = &x->rl.r[k];
        if (r->b <= r->a)
            continue;
        uint32_t a = call_after(A, r->a);
        if (a < A->ncalls && A->calls[a].pos < r->b)
            return A->calls[a].pos;
    }
    return UINT32_MAX;
}

static bool reg_allowed(const Target *t, MRegClass c, uint32_t p)
{
    if (p >= t->npregs || t->preg_class[p] != c)
        return false;
    for (unsigned k = 0; k < t->nalloc[c]; k++)
        if (t->alloc_order[c][k] == p)
            return true;
    return false;
}

static void occ_add(Occupants *o, uint32_t i)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 8;
        o->iv = xrealloc(o->iv, o->cap * sizeof *o->iv);
    }
    o->iv[o->n++] = i;
}

/* ---- the work list: a binary heap of interval indices by start ---- */

static bool heap_less(const Alloc *A, uint32_t x, uint32_t y)
{
    const Interval *a = &A->iv[x], *b = &A->iv[y];
    if (a->start != b->start)
        return a->start < b->start;
    if (a->vreg != b->vreg)
        return a->vreg < b->vreg;
    return x < y;
}

static void heap_push(Alloc *A, uint32_t i)
{
    if (A->nheap == A->capheap) {
        A->capheap = A->capheap ? 2 * A->capheap : 64;
        A->heap = xrealloc(A->heap, A->capheap * sizeof *A->heap);
    }
    uint32_t k = A->nheap++;
    while (k && heap_less(A, i, A->heap[(k - 1) / 2])) {
        A->heap[k] = A->heap[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    A->heap[k] = i;
}

static uint32_t heap_pop(Alloc *A)
{
    uint32_t top = A->heap[0], last = A->heap[--A->nheap], k = 0;
    for (;;) {
        uint32_t c = 2 * k + 1;
        if (c >= A->nheap)
            break;
        if (c + 1 < A->nheap && heap_less(A, A->heap[c + 1], A->heap[c]))
            c++;
        if (!heap_less(A, A->heap[c], last))
            break;
        A->heap[k] = A->heap[c];
        k = c;
    }
    if (A->nheap)
        A->heap[k] = last;
    return top;
}

/* ---- positions and splitting ---- */

/* The rank (place in position order) of the block holding position POS:
 * the last block starting at or before POS that has instructions. */
static uint32_t rank_of(const Alloc *A, uint32_t pos)
{
    const MLiveness *lv = A->lv;
    uint32_t lo = 0, hi = A->f->nblocks;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (lv->block_start[lv->order[mid]] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    while (lo > 0 && A->f->blocks[lv->order[lo]].n == 0)
        lo--;
    return lo;
}

static uint32_t block_of(const Alloc *A, uint32_t pos) { return A->lv->order[rank_of(A, pos)]; }

/* The latest position at or before the even position S where an
 * interval may be split: a block's start, or an instruction boundary
 * before the block's first branch. */
static uint32_t clean_split(const Alloc *A, uint32_t s)
{
    uint32_t b = block_of(A, s);
    uint32_t bs = A->lv->block_start[b], lim = bs + 2 * A->first_branch[b];
    return s > lim ? lim : s;
}

static bool is_block_start(const Alloc *A, uint32_t pos)
{
    return A->lv->block_start[block_of(A, pos)] == pos;
}

static double cost_in(const VInfo *vi, uint32_t from, uint32_t to)
{
    double c = 0;
    for (uint32_t k = 0; k < vi->nup; k++)
        if (vi->up[k].pos >= from && vi->up[k].pos <= to)
            c += vi->up[k].w;
    return c;
}

/* Where to split interval X (index I) so that the part before keeps its
 * uses below LIMIT: a position after the last of them and at or before
 * LIMIT, in the block of least loop depth (the latest of those), so the
 * moves stay out of loops. 0 when there is no such position. */
static uint32_t best_split(const Alloc *A, uint32_t i, uint32_t limit)
{
    const Interval *x = &A->iv[i];
    const VInfo *vi = &A->vi[x->vreg - MIR_FIRST_VREG];
    uint32_t last_use = UINT32_MAX;
    for (uint32_t k = 0; k < vi->nup && vi->up[k].pos < limit; k++)
        if (vi->up[k].pos >= x->from)
            last_use = vi->up[k].pos;
    if (last_use == UINT32_MAX)
        return 0;
    uint32_t smin = (last_use & ~1u) + 2, smax = clean_split(A, limit & ~1u);
    if (smax < smin || smax <= x->from || smax > x->to)
        return 0;
    uint32_t s = smax, rmax = rank_of(A, smax);
    uint32_t bm = A->lv->order[rmax];
    unsigned dmin = A->lv->block_start[bm] == smax ? A->entry_depth[bm] : A->depth[bm];
    for (uint32_t r = rmax + 1; r-- > 0;) {
        uint32_t b = A->lv->order[r], bs = A->lv->block_start[b];
        if (bs < smin)
            break;
        if (A->f->blocks[b].n && A->entry_depth[b] < dmin) {
            dmin = A->entry_depth[b];
            s = bs;
        }
    }
    if (clean_split(A, smin) == smin && A->depth[block_of(A, smin)] < dmin)
        s = smin;
    return s;
}

static uint32_t new_interval(Alloc *A)
{
    if (A->niv == A->capiv) {
        A->capiv = 2 * A->capiv + 16;
        A->iv = xrealloc(A->iv, A->capiv * sizeof *A->iv);
    }
    memset(&A->iv[A->niv], 0, sizeof A->iv[A->niv]);
    return A->niv++;
}

static void refresh(Alloc *A, uint32_t i)
{
    Interval *x = &A->iv[i];
    if (x->rl.n) {
        x->start = x->rl.r[0].a;
        x->end = x->rl.r[x->rl.n - 1].b;
    } else {
        x->start = x->end = x->from;
    }
    x->cost = cost_in(&A->vi[x->vreg - MIR_FIRST_VREG], x->from, x->to);
}

/* Split interval I before the even position S (from < S <= to): I keeps
 * the positions below S, the new interval (returned) the rest. */
static uint32_t split_at(Alloc *A, uint32_t i, uint32_t s)
{
    uint32_t j = new_interval(A);
    Interval *x = &A->iv[i], *y = &A->iv[j];
    y->vreg = x->vreg;
    y->seen = true;
    y->from = s;
    y->to = x->to;
    y->preg = MIR_NOREG;
    x->to = s - 1;
    uint32_t k = 0;
    while (k < x->rl.n && x->rl.r[k].b < s)
        k++;
    for (uint32_t m = k; m < x->rl.n; m++)
        rl_push(&y->rl, x->rl.r[m].a < s ? s : x->rl.r[m].a, x->rl.r[m].b);
    if (k < x->rl.n && x->rl.r[k].a < s) {
        x->rl.r[k].b = s - 1;
        k++;
    }
    x->rl.n = k;
    refresh(A, i);
    refresh(A, j);
    VInfo *vi = &A->vi[x->vreg - MIR_FIRST_VREG];
    if (vi->nkids == vi->capkids) {
        vi->capkids = vi->capkids ? 2 * vi->capkids : 4;
        vi->kids = xrealloc(vi->kids, vi->capkids * sizeof *vi->kids);
    }
    uint32_t at = 0;
    while (at < vi->nkids && vi->kids[at] != i)
        at++;
    memmove(vi->kids + at + 2, vi->kids + at + 1, (vi->nkids - at - 1) * sizeof *vi->kids);
    vi->kids[at + 1] = j;
    vi->nkids++;
    return j;
}

static void assign_reg(Alloc *A, uint32_t i, uint32_t p)
{
    Interval *x = &A->iv[i];
    x->preg = p;
    x->spilled = false;
    x->saved = ((A->t->caller_saved >> p) & 1) && save_cost(A, x) > 0;
    A->vi[x->vreg - MIR_FIRST_VREG].last_preg = p;
    occ_add(&A->occ[p], i);
    if ((A->t->callee_saved >> p) & 1)
        A->f->used_callee_saved |= 1ull << p;
}

/* Interval I goes to the stack. Where two or more instructions of one
 * block use it (at or after MIN_START), that stretch is split off and
 * goes back on the work list to try for a register, once. */
static void spill_iv(Alloc *A, uint32_t i, uint32_t min_start)
{
    A->iv[i].spilled = true;
    A->iv[i].preg = MIR_NOREG;
    if (!A->split || A->iv[i].no_split)
        return;
    uint32_t vr = A->iv[i].vreg - MIR_FIRST_VREG;
    const VInfo *vi = &A->vi[vr];
    uint32_t cur = i;
    uint32_t k = 0;
    while (k < vi->nup && vi->up[k].pos < A->iv[cur].from)
        k++;
    while (k < vi->nup && vi->up[k].pos <= A->iv[cur].to) {
        /* The uses in K's block (before its first branch ends them). */
        uint32_t p0 = vi->up[k].pos & ~1u;
        uint32_t b = block_of(A, p0);
        uint32_t bs = A->lv->block_start[b], n = A->f->blocks[b].n;
        uint32_t lim = bs + 2 * A->first_branch[b];
        uint32_t last = p0, ninst = 1, m = k + 1;
        while (m < vi->nup && vi->up[m].pos <= A->iv[cur].to && vi->up[m].pos < bs + 2 * n) {
            uint32_t q = vi->up[m].pos & ~1u;
            if (q + 2 > lim && q + 2 != bs + 2 * n)
                break;
            if (q != last)
                ninst++;
            last = q;
            m++;
        }
        uint32_t s1 = p0, e = last + 2;
        if (ninst >= 2 && s1 <= lim && s1 >= min_start && s1 >= A->iv[cur].from &&
            e <= A->iv[cur].to) {
            uint32_t mid = s1 > A->iv[cur].from ? split_at(A, cur, s1) : cur;
            uint32_t tail = split_at(A, mid, e);
            A->iv[mid].spilled = false;
            A->iv[mid].no_split = true;
            A->iv[tail].spilled = true;
            A->iv[tail].preg = MIR_NOREG;
            heap_push(A, mid);
            cur = tail;
        }
        k = m > k ? m : k + 1;
    }
}

/* Hand interval I a register, a part of one, or the stack. */
static void allocate(Alloc *A, uint32_t i)
{
    MFunc *f = A->f;
    const Target *t = A->t;
    Interval *cur = &A->iv[i];
    uint32_t cv = cur->vreg - MIR_FIRST_VREG;
    MRegClass c = (MRegClass)f->vclass[cv];
    const uint8_t *order = t->alloc_order[c];
    Occupants *occ = A->occ;
    double saves = save_cost(A, cur);
    /* Without a way to save around calls, a caller-saved register
     * cannot hold a value across one. */
    bool no_caller = !t->spill_inst && saves > 0;
    /* Forget intervals that ended before this one starts. */
    for (unsigned k = 0; k < t->nalloc[c]; k++) {
        Occupants *o = &occ[order[k]];
        for (uint32_t j = 0; j < o->n;)
            if (A->iv[o->iv[j]].end < cur->start)
                o->iv[j] = o->iv[--o->n];
            else
                j++;
    }
    /* A register free for the whole interval (a caller-saved one at the
     * price of saves around calls); the hint wins a tie. */
    uint32_t pick = MIR_NOREG;
    double best = 0;
    uint32_t h = f->hint[cv];
    uint32_t hp = h == MIR_NOREG ? MIR_NOREG
                  : mir_is_vreg(h) ? A->vi[h - MIR_FIRST_VREG].last_preg : h;
    /* And the register free longest (FREE_UNTIL: first conflict). */
    uint32_t far = MIR_NOREG, far_until = 0;
    uint32_t call_pos = first_call_across(A, cur);
    for (int pass = 0; pass < 2; pass++)
        for (unsigned k = 0; k < t->nalloc[c]; k++) {
            uint32_t p = order[k];
            if (pass == 0 && (p != hp || !reg_allowed(t, c, hp)))
                continue;
            bool caller = (t->caller_saved >> p) & 1;
            uint32_t until = rl_first_common(&cur->rl, &A->fx[p]);
            const Occupants *o = &occ[p];
            for (uint32_t j = 0; j < o->n; j++) {
                uint32_t x = rl_first_common(&cur->rl, &A->iv[o->iv[j]].rl);
                if (x < until)
                    until = x;
            }
            if (pass == 1 && !(no_caller && caller)) {
                uint32_t u = caller && call_pos < until ? call_pos : until;
                if (far == MIR_NOREG || u > far_until) {
                    far = p;
                    far_until = u;
                }
            }
            if (until != UINT32_MAX || (no_caller && caller))
                continue;
            double price = caller ? saves : 0;
            if (pick == MIR_NOREG || price < best) {
                pick = p;
                best = price;
            }
            if (pass == 0 && price > 0)
                pick = MIR_NOREG;
        }
    if (pick != MIR_NOREG && best == 0) {
        assign_reg(A, i, pick);
        return;
    }
    /* The cheapest register to take: its saves around calls (a
     * caller-saved one) plus what its occupants lose, each split where it
     * meets this interval and spilled from there. */
    uint32_t evict = MIR_NOREG;
    double evict_price = 0;
    for (unsigned k = 0; k < t->nalloc[c]; k++) {
        uint32_t p = order[k];
        bool caller = (t->caller_saved >> p) & 1;
        if ((no_caller && caller) || rl_intersect(&cur->rl, &A->fx[p]))
            continue;
        double price = caller ? saves : 0;
        const Occupants *o = &occ[p];
        for (uint32_t j = 0; j < o->n; j++) {
            const Interval *x = &A->iv[o->iv[j]];
            uint32_t at = rl_first_common(&cur->rl, &x->rl);
            if (at == UINT32_MAX)
                continue;
            uint32_t s = A->split ? best_split(A, o->iv[j], at) : 0;
            price += s > x->from ? cost_in(&A->vi[x->vreg - MIR_FIRST_VREG], s, x->to) : x->cost;
        }
        if (evict == MIR_NOREG || price < evict_price || (price == evict_price && p == pick)) {
            evict = p;
            evict_price = price;
        }
    }
    if (evict == MIR_NOREG || evict_price >= cur->cost) {
        /* Part of a register: up to a split position past a use. */
        if (A->split && !cur->no_split && far != MIR_NOREG && far_until != UINT32_MAX &&
            far_until > cur->start) {
            uint32_t s = best_split(A, i, far_until);
            if (s) {
                uint32_t rest = split_at(A, i, s);
                assign_reg(A, i, far);
                heap_push(A, rest);
                return;
            }
        }
        spill_iv(A, i, cur->start);
        return;
    }
    pick = evict;
    uint32_t start = cur->start;
    Occupants *o = &occ[pick];
    for (uint32_t j = 0; j < o->n;) {
        uint32_t x = o->iv[j];
        uint32_t at = rl_first_common(&A->iv[i].rl, &A->iv[x].rl);
        if (at == UINT32_MAX) {
            j++;
            continue;
        }
        uint32_t s = A->split ? best_split(A, x, at) : 0;
        if (s > A->iv[x].from) {
            uint32_t rest = split_at(A, x, s);
            spill_iv(A, rest, start);
            j++;
        } else {
            spill_iv(A, x, start);
            o->iv[j] = o->iv[--o->n];
        }
    }
    assign_reg(A, i, pick);
}

/* ---- connecting moves ---- */

/* The piece of virtual register V (index) that owns position POS. */
static uint32_t kid_at(const Alloc *A, uint32_t v, uint32_t pos)
{
    const VInfo *vi = &A->vi[v];
    uint32_t lo = 0, hi = vi->nkids;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (A->iv[vi->kids[mid]].from <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return vi->kids[lo];
}

typedef struct Move { uint32_t dst, src; } Move;  /* virtual registers */
/* Moves to insert in block B before instruction AT (AT = n: at the
 * end), in order of PHASE: 0 edge moves at a block's start, 1 moves at
 * split positions, 2 edge moves before the closing jump. */
typedef struct MoveSet {
    uint32_t b, at, phase;
    Move *m;
    uint32_t n, cap;
} MoveSet;
typedef struct Moves { MoveSet *s; uint32_t n, cap; } Moves;

static MoveSet *moveset(Moves *M, uint32_t b, uint32_t at, uint32_t phase)
{
    for (uint32_t k = M->n; k-- > 0;)
        if (M->s[k].b == b && M->s[k].at == at && M->s[k].phase == phase)
            return &M->s[k];
    if (M->n == M->cap) {
        M->cap = M->cap ? 2 * M->cap : 16;
        M->s = xrealloc(M->s, M->cap * sizeof *M->s);
    }
    MoveSet *s = &M->s[M->n++];
    *s = (MoveSet){.b = b, .at = at, .phase = phase};
    return s;
}

static void move_add(MoveSet *s, uint32_t dst, uint32_t src)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4;
        s->m = xrealloc(s->m, s->cap * sizeof *s->m);
    }
    s->m[s->n++] = (Move){dst, src};
}

static int by_place(const void *x, const void *y)
{
    const MoveSet *a = x, *b = y;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->phase < b->phase ? -1 : a->phase > b->phase;
}

/* Where a virtual register lives: its register, or its slot offset past
 * the registers. */
static uint64_t where(const MFunc *f, uint32_t r)
{
    uint32_t v = r - MIR_FIRST_VREG;
    return f->assign[v] != MIR_NOREG ? f->assign[v] : (uint64_t)MIR_FIRST_VREG + f->spill[v];
}

/* The moves of S as copies read all before any is written: each copy is
 * emitted once nothing still pending reads its destination; a cycle is
 * broken by copying one source to a stack temporary. */
static uint32_t sequence(MFunc *f, MoveSet *s, MInst *out)
{
    const Target *t = f->target;
    uint32_t n = 0, left = s->n;
    bool *done = calloc(s->n + 1, sizeof *done);
    if (!done)
        exit(1);
    for (uint32_t k = 0; k < s->n; k++)
        if (where(f, s->m[k].dst) == where(f, s->m[k].src)) {
            done[k] = true;
            left--;
        }
    while (left) {
        bool progress = false;
        for (uint32_t k = 0; k < s->n; k++) {
            if (done[k])
                continue;
            uint64_t d = where(f, s->m[k].dst);
            bool blocked = false;
            for (uint32_t j = 0; j < s->n && !blocked; j++)
                blocked = j != k && !done[j] && where(f, s->m[j].src) == d;
            if (blocked)
                continue;
            t->copy_inst(&out[n++], (MRegClass)f->vclass[s->m[k].dst - MIR_FIRST_VREG], s->m[k].dst,
                         s->m[k].src);
            done[k] = true;
            left--;
            progress = true;
        }
        if (!progress) {
            for (uint32_t k = 0; k < s->n; k++)
                if (!done[k]) {
                    MRegClass c = (MRegClass)f->vclass[s->m[k].src - MIR_FIRST_VREG];
                    uint32_t tmp = mir_vreg_new(f, c);
                    uint32_t tv = tmp - MIR_FIRST_VREG;
                    f->assign = xrealloc(f->assign, (f->nvregs + 1) * sizeof *f->assign);
                    f->spill = xrealloc(f->spill, (f->nvregs + 1) * sizeof *f->spill);
                    f->assign[tv] = MIR_NOREG;
                    f->spill[tv] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
                    t->copy_inst(&out[n++], c, tmp, s->m[k].src);
                    s->m[k].src = tmp;
                    break;
                }
        }
    }
    free(done);
    return n;
}

/* Every piece becomes a virtual register (the first keeps the original
 * number); operands are renamed to the piece owning their position; the
 * moves between pieces are inserted. F->assign and F->spill grow to the
 * new registers. Returns the per-register "saved across calls" flags. */
static bool *resolve(Alloc *A)
{
    MFunc *f = A->f;
    const Target *t = A->t;
    const MLiveness *lv = A->lv;
    uint32_t nv0 = f->nvregs, nb0 = f->nblocks, W = lv->nwords;
    for (uint32_t v = 0; v < nv0; v++) {
        VInfo *vi = &A->vi[v];
        for (uint32_t k = 0; k < vi->nkids; k++)
            A->iv[vi->kids[k]].out = k == 0 ? MIR_FIRST_VREG + v
                                            : mir_vreg_new(f, (MRegClass)f->vclass[v]);
    }
    uint32_t nv = f->nvregs;
    f->assign = xrealloc(f->assign, (nv + 1) * sizeof *f->assign);
    f->spill = xrealloc(f->spill, (nv + 1) * sizeof *f->spill);
    bool *saved = calloc(nv + 1, sizeof *saved);
    uint32_t *slot = malloc((nv0 + 1) * sizeof *slot);
    if (!saved || !slot)
        exit(1);
    for (uint32_t v = 0; v < nv0; v++) {
        slot[v] = MIR_NOREG;
        VInfo *vi = &A->vi[v];
        for (uint32_t k = 0; k < vi->nkids; k++) {
            const Interval *x = &A->iv[vi->kids[k]];
            uint32_t o = x->out - MIR_FIRST_VREG;
            f->assign[o] = x->preg;
            f->spill[o] = MIR_NOREG;
            saved[o] = x->saved;
            if (x->preg == MIR_NOREG) {
                if (slot[v] == MIR_NOREG)
                    slot[v] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
                f->spill[o] = slot[v];
            }
        }
        if (!vi->nkids) {
            f->assign[v] = MIR_NOREG;
            f->spill[v] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
        }
    }
    /* Rename operands. */
    for (uint32_t b = 0; b < nb0; b++) {
        MBlock *bl = &f->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++) {
            uint32_t pos = lv->block_start[b] + 2 * i;
            MInst *in = &bl->insts[i];
            for (unsigned k = 0; k < in->nops; k++) {
                MOperand *o = &in->ops[k];
                uint32_t *regs[2] = {NULL, NULL};
                if (o->kind == MO_REG)
                    regs[0] = &o->reg;
                else if (o->kind == MO_MEM) {
                    if (o->base_kind == MB_REG)
                        regs[0] = &o->reg;
                    regs[1] = &o->index;
                }
                for (unsigned r = 0; r < 2; r++)
                    if (regs[r] && mir_is_vreg(*regs[r]) && *regs[r] - MIR_FIRST_VREG < nv0 &&
                        A->vi[*regs[r] - MIR_FIRST_VREG].nkids > 1)
                        *regs[r] = A->iv[kid_at(A, *regs[r] - MIR_FIRST_VREG, pos)].out;
            }
        }
    }
    Moves M = {0};
    for (uint32_t v = 0; v < nv0; v++) {
        const VInfo *vi = &A->vi[v];
        if (vi->nkids < 2)
            continue;
        bool one_def = vi->ndefs == 1 && slot[v] != MIR_NOREG;
        /* A value defined once is stored once, after its definition. */
        if (one_def) {
            uint32_t dpos = 0;
            for (uint32_t k = 0; k < vi->nup; k++)
                if (vi->up[k].pos & 1) {
                    dpos = vi->up[k].pos;
                    break;
                }
            uint32_t dk = kid_at(A, v, dpos);
            if (A->iv[dk].preg != MIR_NOREG) {
                uint32_t b = block_of(A, dpos);
                uint32_t tmp = mir_vreg_new(f, (MRegClass)f->vclass[v]);
                f->assign = xrealloc(f->assign, (f->nvregs + 1) * sizeof *f->assign);
                f->spill = xrealloc(f->spill, (f->nvregs + 1) * sizeof *f->spill);
                f->assign[tmp - MIR_FIRST_VREG] = MIR_NOREG;
                f->spill[tmp - MIR_FIRST_VREG] = slot[v];
                move_add(moveset(&M, b, (dpos - lv->block_start[b]) / 2 + 1, 1), tmp, A->iv[dk].out);
            }
        }
        /* Split positions inside blocks where the value lives on. */
        for (uint32_t k = 0; k + 1 < vi->nkids; k++) {
            const Interval *x = &A->iv[vi->kids[k]], *y = &A->iv[vi->kids[k + 1]];
            uint32_t s = y->from;
            if (is_block_start(A, s) || !rl_covers(&x->rl, s - 1) || !rl_covers(&y->rl, s))
                continue;
            if (one_def && y->preg == MIR_NOREG)
                continue;
            uint32_t b = block_of(A, s);
            move_add(moveset(&M, b, (s - lv->block_start[b]) / 2, 1), y->out, x->out);
        }
    }
    /* Control-flow edges. */
    uint32_t succ[64];
    uint32_t *npred = calloc(nb0 + 1, sizeof *npred);
    if (!npred)
        exit(1);
    for (uint32_t b = 0; b < nb0; b++) {
        unsigned ns = mir_succs(f, b, succ, 64);
        for (unsigned k = 0; k < ns; k++)
            npred[succ[k]]++;
    }
    /* Only registers that were split need edge moves. */
    uint32_t *split_v = malloc((nv0 + 1) * sizeof *split_v), nsplit = 0;
    if (!split_v)
        exit(1);
    for (uint32_t v = 0; v < nv0; v++)
        if (A->vi[v].nkids > 1)
            split_v[nsplit++] = v;
    MoveSet edge = {0};
    for (uint32_t b = 0; b < nb0 && nsplit; b++) {
        unsigned ns = mir_succs(f, b, succ, 64);
        for (unsigned k = 0; k < ns; k++) {
            uint32_t s = succ[k];
            const uint64_t *in = lv->live_in + (size_t)s * W;
            edge.n = 0;
            for (uint32_t sv = 0; sv < nsplit; sv++) {
                uint32_t v = split_v[sv];
                if (!mlive_has(in, MIR_FIRST_VREG + v))
                    continue;
                uint32_t x = kid_at(A, v, lv->block_end[b]), y = kid_at(A, v, lv->block_start[s]);
                if (x == y || (A->vi[v].ndefs == 1 && slot[v] != MIR_NOREG && A->iv[y].preg == MIR_NOREG))
                    continue;
                if (where(f, A->iv[x].out) != where(f, A->iv[y].out))
                    move_add(&edge, A->iv[y].out, A->iv[x].out);
            }
            if (!edge.n)
                continue;
            /* Where the edge's moves go. */
            MBlock *bl = &f->blocks[b];
            uint32_t nlabels = 0;
            for (uint32_t i = 0; i < bl->n; i++)
                for (unsigned o = 0; o < bl->insts[i].nops; o++)
                    nlabels += bl->insts[i].ops[o].kind == MO_LABEL;
            MoveSet *dst;
            if (ns == 1 && nlabels == 1 && bl->n && t->is_jump(bl->insts[bl->n - 1].op)) {
                dst = moveset(&M, b, bl->n - 1, 2);
            } else if (npred[s] == 1 && s != 0) {
                dst = moveset(&M, s, 0, 0);
            } else {
                uint32_t e = mir_block_new(f);
                bl = &f->blocks[b];
                f->blocks[e].group = bl->group;
                f->blocks[e].cold = bl->cold || f->blocks[s].cold;
                t->jump_inst(mir_append(f, e, 0, 0), s);
                for (uint32_t i = 0; i < bl->n; i++)
                    for (unsigned o = 0; o < bl->insts[i].nops; o++)
                        if (bl->insts[i].ops[o].kind == MO_LABEL && (uint32_t)bl->insts[i].ops[o].imm == s)
                            bl->insts[i].ops[o].imm = e;
                dst = moveset(&M, e, 0, 0);
            }
            for (uint32_t m = 0; m < edge.n; m++)
                move_add(dst, edge.m[m].dst, edge.m[m].src);
        }
    }
    free(edge.m);
    free(npred);
    free(split_v);
    /* Insert, block by block. */
    if (M.n > 1)
        qsort(M.s, M.n, sizeof *M.s, by_place);
    for (uint32_t k = 0; k < M.n;) {
        uint32_t b = M.s[k].b, k2 = k, extra = 0;
        while (k2 < M.n && M.s[k2].b == b)
            extra += 2 * M.s[k2++].n + 1;
        MBlock *bl = &f->blocks[b];
        MInst *ni = malloc((bl->n + extra) * sizeof *ni);
        if (!ni)
            exit(1);
        uint32_t n = 0, j = k;
        for (uint32_t i = 0; i <= bl->n; i++) {
            for (; j < k2 && M.s[j].at == i; j++)
                n += sequence(f, &M.s[j], ni + n);
            if (i < bl->n)
                ni[n++] = bl->insts[i];
        }
        free(bl->insts);
        bl->insts = ni;
        bl->n = bl->cap = n;
        k = k2;
    }
    /* The temporaries of cycles are new registers too. */
    saved = xrealloc(saved, (f->nvregs + 1) * sizeof *saved);
    for (uint32_t v = nv; v < f->nvregs; v++)
        saved[v] = false;
    for (uint32_t k = 0; k < M.n; k++)
        free(M.s[k].m);
    free(M.s);
    free(slot);
    return saved;
}

/* After allocation: a store before and a load after each call for every
 * value in a caller-saved register that is live across it. */
static void insert_saves(MFunc *f, const bool *saved, const MLiveness *lv)
{
    const Target *t = f->target;
    uint32_t nv = f->nvregs, W = lv->nwords;
    uint32_t *home = malloc((nv + 1) * sizeof *home);
    uint64_t *live = malloc((W + 1) * sizeof *live);
    if (!home || !live)
        exit(1);
    for (uint32_t v = 0; v < nv; v++)
        home[v] = MIR_NOREG;
    uint32_t use[MIR_MAX_DU], def[MIR_MAX_DU];
    unsigned nuse, ndef;
    uint32_t *across = malloc((nv + 1) * sizeof *across);
    if (!across)
        exit(1);
    for (uint32_t b = 0; b < f->nblocks; b++) {
        MBlock *bl = &f->blocks[b];
        bool any = false;
        for (uint32_t i = 0; i < bl->n && !any; i++)
            any = is_call(t, &bl->insts[i]);
        if (!any)
            continue;
        /* Walk backwards to learn what is live after each call, then
         * rebuild the block with the saves around it. */
        memcpy(live, lv->live_out + (size_t)b * W, W * sizeof *live);
        uint32_t nlists = bl->n, total = 0;
        uint32_t *nacross = calloc(nlists + 1, sizeof *nacross);
        uint32_t **lists = calloc(nlists + 1, sizeof *lists);
        if (!nacross || !lists)
            exit(1);
        for (uint32_t i = bl->n; i-- > 0;) {
            const MInst *in = &bl->insts[i];
            if (is_call(t, in)) {
                uint32_t n = 0;
                for (uint32_t v = 0; v < nv; v++)
                    if (saved[v] && f->assign[v] != MIR_NOREG && mlive_has(live, MIR_FIRST_VREG + v))
                        across[n++] = v;
                if (n) {
                    lists[i] = malloc(n * sizeof **lists);
                    if (!lists[i])
                        exit(1);
                    memcpy(lists[i], across, n * sizeof *across);
                    nacross[i] = n;
                    total += n;
                }
            }
            mir_def_use(f, in, use, &nuse, def, &ndef);
            for (unsigned j = 0; j < ndef; j++)
                live[def[j] >> 6] &= ~(1ull << (def[j] & 63));
            for (unsigned j = 0; j < nuse; j++)
                live[use[j] >> 6] |= 1ull << (use[j] & 63);
        }
        if (total) {
            MInst *ni = malloc((bl->n + 2 * total) * sizeof *ni);
            if (!ni)
                exit(1);
            uint32_t n = 0;
            for (uint32_t i = 0; i < bl->n; i++) {
                for (uint32_t k = 0; k < nacross[i]; k++) {
                    uint32_t v = lists[i][k];
                    if (home[v] == MIR_NOREG)
                        home[v] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
                    t->spill_inst(&ni[n++], true, (MRegClass)f->vclass[v], f->assign[v], home[v]);
                }
                ni[n++] = bl->insts[i];
                for (uint32_t k = 0; k < nacross[i]; k++) {
                    uint32_t v = lists[i][k];
                    t->spill_inst(&ni[n++], false, (MRegClass)f->vclass[v], f->assign[v], home[v]);
                }
            }
            free(bl->insts);
            bl->insts = ni;
            bl->n = bl->cap = n;
        }
        for (uint32_t i = 0; i < nlists; i++)
            free(lists[i]);
        free(nacross);
        free(lists);
    }
    free(across);
    free(home);
    free(live);
}

/* Full-width copies between a register and a spilled value become a
 * plain store or load of the register. */
static void lower_spill_copies(MFunc *f)
{
    const Target *t = f->target;
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t i = 0; i < f->blocks[b].n; i++) {
            MInst *in = &f->blocks[b].insts[i];
            if (!t->is_move(in->op) || in->size != 8 || in->nops != 2 || in->ops[0].kind != MO_REG ||
                in->ops[1].kind != MO_REG)
                continue;
            uint32_t d = in->ops[0].reg, s = in->ops[1].reg;
            uint32_t pd = mir_is_vreg(d) ? f->assign[d - MIR_FIRST_VREG] : d;
            uint32_t ps = mir_is_vreg(s) ? f->assign[s - MIR_FIRST_VREG] : s;
            MRegClass c = mir_reg_class(f, d);
            if (c != mir_reg_class(f, s))
                continue;
            if (pd == MIR_NOREG && ps != MIR_NOREG)
                t->spill_inst(in, true, c, ps, f->spill[d - MIR_FIRST_VREG]);
            else if (pd != MIR_NOREG && ps == MIR_NOREG)
                t->spill_inst(in, false, c, pd, f->spill[s - MIR_FIRST_VREG]);
        }
}

bool regalloc(MFunc *f, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    const Target *t = f->target;
    Alloc A = {.f = f, .t = t};
    MLiveness lv;
    mir_liveness(f, &lv);
    A.lv = &lv;
    A.split = t->copy_inst && t->jump_inst && t->spill_inst;
    uint32_t nv = f->nvregs, np = t->npregs;
    uint8_t *depth = malloc(f->nblocks + 1);
    A.capiv = nv + 16;
    A.niv = nv;
    A.iv = calloc(A.capiv, sizeof *A.iv);
    A.vi = calloc(nv + 1, sizeof *A.vi);
    A.fx = calloc(np, sizeof *A.fx);
    A.occ = calloc(np, sizeof *A.occ);
    A.first_branch = malloc((f->nblocks + 1) * sizeof *A.first_branch);
    f->assign = malloc((nv + 1) * sizeof *f->assign);
    f->spill = malloc((nv + 1) * sizeof *f->spill);
    f->save_slot = malloc(np * sizeof *f->save_slot);
    if (!depth || !A.iv || !A.vi || !A.fx || !A.occ || !A.first_branch || !f->assign || !f->spill ||
        !f->save_slot)
        exit(1);
    mir_loop_depth(f, depth);
    A.depth = depth;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const MBlock *bl = &f->blocks[b];
        uint32_t i = 0;
        for (bool lab = false; i < bl->n; i++) {
            for (unsigned k = 0; k < bl->insts[i].nops; k++)
                lab |= bl->insts[i].ops[k].kind == MO_LABEL;
            if (lab)
                break;
        }
        A.first_branch[b] = i;
    }
    A.entry_depth = malloc(f->nblocks + 1);
    uint32_t *rank = malloc((f->nblocks + 1) * sizeof *rank);
    if (!A.entry_depth || !rank)
        exit(1);
    for (uint32_t k = 0; k < f->nblocks; k++)
        rank[lv.order[k]] = k;
    for (uint32_t b = 0; b < f->nblocks; b++)
        A.entry_depth[b] = 0;
    uint32_t succ[64];
    for (uint32_t b = 0; b < f->nblocks; b++) {
        unsigned ns = mir_succs(f, b, succ, 64);
        for (unsigned k = 0; k < ns; k++)
            if (rank[b] < rank[succ[k]] && depth[b] > A.entry_depth[succ[k]])
                A.entry_depth[succ[k]] = depth[b];
    }
    for (uint32_t b = 0; b < f->nblocks; b++)
        if (A.entry_depth[b] > depth[b])
            A.entry_depth[b] = depth[b];
    free(rank);
    for (uint32_t v = 0; v < nv; v++) {
        A.iv[v].vreg = MIR_FIRST_VREG + v;
        A.iv[v].preg = MIR_NOREG;
        A.vi[v].last_preg = MIR_NOREG;
        f->assign[v] = f->spill[v] = MIR_NOREG;
    }
    for (uint32_t p = 0; p < np; p++)
        f->save_slot[p] = MIR_NOREG;
    set_hints(f);
    build(&A);
    for (uint32_t v = 0; v < nv; v++) {
        Interval *x = &A.iv[v];
        if (!x->seen || !x->rl.n)
            continue;
        x->from = 0;
        x->to = UINT32_MAX - 1;
        VInfo *vi = &A.vi[v];
        vi->capkids = 4;
        vi->kids = xrealloc(NULL, vi->capkids * sizeof *vi->kids);
        vi->kids[vi->nkids++] = v;
        heap_push(&A, v);
    }
    while (A.nheap)
        allocate(&A, heap_pop(&A));
    bool *saved = resolve(&A);
    bool any_saved = false;
    for (uint32_t v = 0; v < f->nvregs; v++)
        any_saved |= saved[v];
    if (t->spill_inst && A.ncalls && any_saved) {
        MLiveness lv2;
        mir_liveness(f, &lv2);
        insert_saves(f, saved, &lv2);
        mir_liveness_free(&lv2);
    }
    if (t->spill_inst)
        lower_spill_copies(f);
    for (uint32_t p = 0; p < np; p++)
        if ((f->used_callee_saved >> p) & 1)
            f->save_slot[p] = mir_slot_new(f, MSLOT_SAVE, 8, 8);
    for (uint32_t p = 0; p < np; p++) {
        free(A.fx[p].r);
        free(A.occ[p].iv);
    }
    for (uint32_t i = 0; i < A.niv; i++)
        free(A.iv[i].rl.r);
    for (uint32_t v = 0; v < nv; v++) {
        free(A.vi[v].up);
        free(A.vi[v].kids);
    }
    free(saved);
    free(A.occ);
    free(A.fx);
    free(A.calls);
    free(A.call_prefix);
    free(A.iv);
    free(A.vi);
    free(A.heap);
    free(A.first_branch);
    free(A.entry_depth);
    free(depth);
    mir_liveness_free(&lv);
    return true;
}
