/* regalloc.c - linear-scan register allocation (Poletto & Sarkar, with
 * the fixed-interval treatment of Wimmer's variant) driven by spill
 * costs:
 *
 *  - every virtual register gets a live interval: the ranges of linear
 *    positions (liveness.c) where it is live, with the holes between
 *    them, so a loop's block parameter and the value passed back to it
 *    can share a register; and a spill cost: its uses and definitions,
 *    each weighted by 8 to the power of its block's loop depth (loops.c);
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
 *  - each register has a price for the current interval: the saves
 *    around calls (caller-saved ones) plus the spill costs of the
 *    intervals already on it that overlap; the cheapest register wins
 *    unless spilling the current interval is cheaper. A spilled interval
 *    lives in a stack slot for its whole life; the emitter loads and
 *    stores it around each use through the target's scratch registers,
 *    which are never allocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/mir.h"

typedef struct Range { uint32_t a, b; } Range;  /* positions, both ends in */
/* Ranges in ascending order (built descending, then reversed). */
typedef struct RangeList { Range *r; uint32_t n, cap; } RangeList;
typedef struct Interval {
    uint32_t vreg, start, end;
    RangeList rl;
    double cost;        /* weighted uses and definitions */
    bool seen;
} Interval;
typedef struct Call { uint32_t pos; double weight; } Call;
typedef struct Occupants { uint32_t *iv; uint32_t n, cap; } Occupants;

typedef struct Alloc {
    MFunc *f;
    const Target *t;
    RangeList *fx;      /* per physical register: its fixed ranges */
    Call *calls;        /* by position */
    double *call_prefix; /* call_prefix[k]: weight of calls[0..k) */
    uint32_t ncalls;
    bool *saved;        /* per vreg: caller-saved register kept across calls */
} Alloc;

static void rl_push(RangeList *rl, uint32_t a, uint32_t b)
{
    if (rl->n == rl->cap) {
        rl->cap = rl->cap ? 2 * rl->cap : 4;
        rl->r = realloc(rl->r, rl->cap * sizeof *rl->r);
        if (!rl->r)
            exit(1);
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

/* Do two ascending lists share a position? (Y may overlap itself.) */
static bool rl_intersect(const RangeList *x, const RangeList *y)
{
    uint32_t i = 0, j = 0;
    while (i < x->n && j < y->n) {
        if (x->r[i].b < y->r[j].a)
            i++;
        else if (y->r[j].b < x->r[i].a)
            j++;
        else
            return true;
    }
    return false;
}

static int by_start(const void *x, const void *y)
{
    const Interval *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->vreg < b->vreg ? -1 : a->vreg > b->vreg;
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

/* Intervals (Wimmer's BuildIntervals: blocks and instructions backwards),
 * spill costs, fixed ranges and calls, from liveness. */
static void build(Alloc *A, const MLiveness *lv, const uint8_t *depth, Interval *iv)
{
    MFunc *f = A->f;
    const Target *t = A->t;
    uint32_t nv = f->nvregs, np = t->npregs, W = lv->nwords;
    uint32_t *live_end = malloc(np * sizeof *live_end);
    uint32_t capcalls = 16;
    A->calls = malloc(capcalls * sizeof *A->calls);
    if (!live_end || !A->calls)
        exit(1);
    uint32_t use[MIR_MAX_DU], def[MIR_MAX_DU];
    unsigned nuse, ndef;
    for (uint32_t b = f->nblocks; b-- > 0;) {
        const MBlock *bl = &f->blocks[b];
        double w = block_weight(depth[b]);
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
                    A->calls = realloc(A->calls, capcalls * sizeof *A->calls);
                    if (!A->calls)
                        exit(1);
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
    A->call_prefix = malloc((A->ncalls + 1) * sizeof *A->call_prefix);
    if (!A->call_prefix)
        exit(1);
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

static bool reg_allowed(const Target *t, MRegClass c, uint32_t p)
{
    if (p >= t->npregs || t->preg_class[p] != c)
        return false;
    for (unsigned k = 0; k < t->nalloc[c]; k++)
        if (t->alloc_order[c][k] == p)
            return true;
    return false;
}

static void spill(MFunc *f, uint32_t v)
{
    f->assign[v] = MIR_NOREG;
    f->spill[v] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
}

static void occ_add(Occupants *o, uint32_t i)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 8;
        o->iv = realloc(o->iv, o->cap * sizeof *o->iv);
        if (!o->iv)
            exit(1);
    }
    o->iv[o->n++] = i;
}

/* After allocation: a store before and a load after each call for every
 * value in a caller-saved register that is live across it. */
static void insert_saves(Alloc *A, const MLiveness *lv)
{
    MFunc *f = A->f;
    const Target *t = A->t;
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
                    if (A->saved[v] && f->assign[v] != MIR_NOREG &&
                        mlive_has(live, MIR_FIRST_VREG + v))
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

bool regalloc(MFunc *f, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    const Target *t = f->target;
    Alloc A = {.f = f, .t = t};
    MLiveness lv;
    mir_liveness(f, &lv);
    uint32_t nv = f->nvregs, np = t->npregs;
    uint8_t *depth = malloc(f->nblocks + 1);
    Interval *iv = calloc(nv + 1, sizeof *iv);
    A.fx = calloc(np, sizeof *A.fx);
    A.saved = calloc(nv + 1, sizeof *A.saved);
    Occupants *occ = calloc(np, sizeof *occ);
    f->assign = malloc((nv + 1) * sizeof *f->assign);
    f->spill = malloc((nv + 1) * sizeof *f->spill);
    f->save_slot = malloc(np * sizeof *f->save_slot);
    if (!depth || !iv || !A.fx || !A.saved || !occ || !f->assign || !f->spill || !f->save_slot)
        exit(1);
    mir_loop_depth(f, depth);
    for (uint32_t v = 0; v < nv; v++) {
        iv[v].vreg = MIR_FIRST_VREG + v;
        f->assign[v] = f->spill[v] = MIR_NOREG;
    }
    for (uint32_t p = 0; p < np; p++)
        f->save_slot[p] = MIR_NOREG;
    set_hints(f);
    build(&A, &lv, depth, iv);

    uint32_t n = 0;
    for (uint32_t v = 0; v < nv; v++) {
        if (iv[v].seen && iv[v].rl.n)
            iv[n++] = iv[v];
        else
            free(iv[v].rl.r);
    }
    qsort(iv, n, sizeof *iv, by_start);
    for (uint32_t i = 0; i < n; i++) {
        Interval *cur = &iv[i];
        uint32_t cv = cur->vreg - MIR_FIRST_VREG;
        MRegClass c = (MRegClass)f->vclass[cv];
        const uint8_t *order = t->alloc_order[c];
        double saves = save_cost(&A, cur);
        /* Without a way to save around calls, a caller-saved register
         * cannot hold a value across one. */
        bool no_caller = !t->spill_inst && saves > 0;
        /* Forget intervals that ended before this one starts. */
        for (unsigned k = 0; k < t->nalloc[c]; k++) {
            Occupants *o = &occ[order[k]];
            for (uint32_t j = 0; j < o->n;)
                if (iv[o->iv[j]].end < cur->start)
                    o->iv[j] = o->iv[--o->n];
                else
                    j++;
        }
        /* Each register's price: the saves around calls for a
         * caller-saved one, plus the spill costs of the intervals on it
         * that overlap this one. The hint wins a tie at zero. */
        uint32_t pick = MIR_NOREG;
        double best = 0;
        uint32_t h = f->hint[cv];
        uint32_t hp = h == MIR_NOREG ? MIR_NOREG : mir_is_vreg(h) ? f->assign[h - MIR_FIRST_VREG] : h;
        for (int pass = 0; pass < 2; pass++)
            for (unsigned k = 0; k < t->nalloc[c]; k++) {
                uint32_t p = order[k];
                if (pass == 0 && (p != hp || !reg_allowed(t, c, hp)))
                    continue;
                bool caller = (t->caller_saved >> p) & 1;
                if ((no_caller && caller) || rl_intersect(&cur->rl, &A.fx[p]))
                    continue;
                double price = caller ? saves : 0;
                const Occupants *o = &occ[p];
                for (uint32_t j = 0; j < o->n; j++)
                    if (rl_intersect(&cur->rl, &iv[o->iv[j]].rl))
                        price += iv[o->iv[j]].cost;
                if (pick == MIR_NOREG || price < best) {
                    pick = p;
                    best = price;
                }
                if (pass == 0 && price > 0)
                    pick = MIR_NOREG;
            }
        if (pick == MIR_NOREG || (best > 0 && best >= cur->cost)) {
            spill(f, cv);
            continue;
        }
        /* Evict what overlaps on the chosen register. */
        Occupants *o = &occ[pick];
        for (uint32_t j = 0; j < o->n;)
            if (rl_intersect(&cur->rl, &iv[o->iv[j]].rl)) {
                uint32_t av = iv[o->iv[j]].vreg - MIR_FIRST_VREG;
                spill(f, av);
                A.saved[av] = false;
                o->iv[j] = o->iv[--o->n];
            } else {
                j++;
            }
        f->assign[cv] = pick;
        A.saved[cv] = ((t->caller_saved >> pick) & 1) && saves > 0;
        occ_add(o, i);
        if ((t->callee_saved >> pick) & 1)
            f->used_callee_saved |= 1ull << pick;
    }
    /* Vregs never seen (defined nowhere, used nowhere) need nothing, but
     * give them a harmless home so the emitter never meets NOREG. */
    for (uint32_t v = 0; v < nv; v++)
        if (f->assign[v] == MIR_NOREG && f->spill[v] == MIR_NOREG)
            f->spill[v] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
    if (t->spill_inst && A.ncalls)
        insert_saves(&A, &lv);
    for (uint32_t p = 0; p < np; p++)
        if ((f->used_callee_saved >> p) & 1)
            f->save_slot[p] = mir_slot_new(f, MSLOT_SAVE, 8, 8);
    for (uint32_t p = 0; p < np; p++) {
        free(A.fx[p].r);
        free(occ[p].iv);
    }
    for (uint32_t i = 0; i < n; i++)
        free(iv[i].rl.r);
    free(occ);
    free(A.fx);
    free(A.calls);
    free(A.call_prefix);
    free(A.saved);
    free(iv);
    free(depth);
    mir_liveness_free(&lv);
    return true;
}
