/* regalloc.c - linear-scan register allocation (Poletto & Sarkar, with
 * the fixed-interval treatment of Wimmer's variant):
 *
 *  - every virtual register gets one live interval [start, end] over the
 *    linear positions of liveness.c (holes are not tracked: conservative);
 *  - physical registers that instruction selection names (argument and
 *    result registers, division's rax/rdx, shift counts in rcx) and the
 *    registers a call clobbers become fixed ranges; an interval never
 *    gets a register whose fixed ranges it overlaps, so values live
 *    across a call land in callee-saved registers or are spilled;
 *  - move hints: an interval first tries the register of the value it is
 *    copied from or to, so most copies (block arguments, call set-up)
 *    become `mov r, r` that the emitter drops;
 *  - when no register is free, the interval that ends last (the current
 *    one or an active one whose register it could use) is spilled to a
 *    stack slot for its whole life; the emitter then loads and stores it
 *    around each use through the target's scratch registers, which are
 *    never allocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/mir.h"

typedef struct Range { uint32_t a, b; } Range;
typedef struct Fixed { Range *r; uint32_t n, cap; } Fixed;
typedef struct Interval { uint32_t vreg, start, end; bool seen; } Interval;

static void fixed_add(Fixed *fx, uint32_t a, uint32_t b)
{
    if (fx->n == fx->cap) {
        fx->cap = fx->cap ? 2 * fx->cap : 16;
        fx->r = realloc(fx->r, fx->cap * sizeof *fx->r);
        if (!fx->r)
            exit(1);
    }
    fx->r[fx->n++] = (Range){a, b};
}

static bool fixed_conflict(const Fixed *fx, uint32_t s, uint32_t e)
{
    for (uint32_t i = 0; i < fx->n; i++)
        if (fx->r[i].a <= e && s <= fx->r[i].b)
            return true;
    return false;
}

static int by_start(const void *x, const void *y)
{
    const Interval *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->vreg < b->vreg ? -1 : a->vreg > b->vreg;
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

bool regalloc(MFunc *f, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    const Target *t = f->target;
    MLiveness lv;
    mir_liveness(f, &lv);
    uint32_t nv = f->nvregs, np = t->npregs;
    Interval *iv = calloc(nv + 1, sizeof *iv);
    Fixed *fx = calloc(np, sizeof *fx);
    uint32_t *live_end = malloc(np * sizeof *live_end);
    f->assign = malloc((nv + 1) * sizeof *f->assign);
    f->spill = malloc((nv + 1) * sizeof *f->spill);
    f->save_slot = malloc(np * sizeof *f->save_slot);
    if (!iv || !fx || !live_end || !f->assign || !f->spill || !f->save_slot)
        exit(1);
    for (uint32_t v = 0; v < nv; v++) {
        iv[v] = (Interval){MIR_FIRST_VREG + v, UINT32_MAX, 0, false};
        f->assign[v] = f->spill[v] = MIR_NOREG;
    }
    for (uint32_t p = 0; p < np; p++)
        f->save_slot[p] = MIR_NOREG;
    set_hints(f);

    uint32_t use[MIR_MAX_DU], def[MIR_MAX_DU];
    unsigned nuse, ndef;
    uint32_t W = lv.nwords;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const MBlock *bl = &f->blocks[b];
        uint32_t bs = lv.block_start[b], be = lv.block_end[b];
        const uint64_t *lin = lv.live_in + (size_t)b * W, *lout = lv.live_out + (size_t)b * W;
        for (uint32_t v = 0; v < nv; v++) {
            uint32_t r = MIR_FIRST_VREG + v;
            Interval *x = &iv[v];
            if (mlive_has(lin, r)) {
                x->seen = true;
                if (bs < x->start) x->start = bs;
                if (bs > x->end) x->end = bs;
            }
            if (mlive_has(lout, r)) {
                x->seen = true;
                if (be > x->end) x->end = be;
                if (be < x->start) x->start = be;
            }
        }
        /* Physical registers: backward, ranges from def to last use. */
        for (uint32_t p = 0; p < np; p++)
            live_end[p] = mlive_has(lout, p) ? be : UINT32_MAX;
        for (uint32_t i = bl->n; i-- > 0;) {
            uint32_t upos = bs + 2 * i, dpos = upos + 1;
            mir_def_use(f, &bl->insts[i], use, &nuse, def, &ndef);
            for (unsigned j = 0; j < ndef; j++) {
                uint32_t r = def[j];
                if (mir_is_vreg(r)) {
                    Interval *x = &iv[r - MIR_FIRST_VREG];
                    x->seen = true;
                    if (dpos < x->start) x->start = dpos;
                    if (dpos > x->end) x->end = dpos;
                } else if (r < np) {
                    fixed_add(&fx[r], dpos, live_end[r] == UINT32_MAX ? dpos : live_end[r]);
                    live_end[r] = UINT32_MAX;
                }
            }
            for (unsigned j = 0; j < nuse; j++) {
                uint32_t r = use[j];
                if (mir_is_vreg(r)) {
                    Interval *x = &iv[r - MIR_FIRST_VREG];
                    x->seen = true;
                    if (upos < x->start) x->start = upos;
                    if (upos > x->end) x->end = upos;
                } else if (r < np && live_end[r] == UINT32_MAX) {
                    live_end[r] = upos;
                }
            }
        }
        for (uint32_t p = 0; p < np; p++)
            if (live_end[p] != UINT32_MAX)
                fixed_add(&fx[p], bs, live_end[p]);
    }

    uint32_t n = 0;
    for (uint32_t v = 0; v < nv; v++)
        if (iv[v].seen)
            iv[n++] = iv[v];
    qsort(iv, n, sizeof *iv, by_start);
    int64_t *occupant = malloc(np * sizeof *occupant); /* interval index */
    uint32_t *active = malloc((n + 1) * sizeof *active);
    if (!occupant || !active)
        exit(1);
    for (uint32_t p = 0; p < np; p++)
        occupant[p] = -1;
    uint32_t nactive = 0;
    for (uint32_t i = 0; i < n; i++) {
        Interval *cur = &iv[i];
        uint32_t cv = cur->vreg - MIR_FIRST_VREG;
        /* Expire. */
        for (uint32_t k = 0; k < nactive;) {
            Interval *a = &iv[active[k]];
            if (a->end < cur->start) {
                occupant[f->assign[a->vreg - MIR_FIRST_VREG]] = -1;
                active[k] = active[--nactive];
            } else {
                k++;
            }
        }
        MRegClass c = (MRegClass)f->vclass[cv];
        const uint8_t *order = t->alloc_order[c];
        uint32_t pick = MIR_NOREG;
        /* The hint first. */
        uint32_t h = f->hint[cv];
        if (h != MIR_NOREG) {
            uint32_t hp = mir_is_vreg(h) ? f->assign[h - MIR_FIRST_VREG] : h;
            if (hp != MIR_NOREG && hp < np && t->preg_class[hp] == c) {
                bool allowed = false;
                for (unsigned k = 0; k < t->nalloc[c]; k++)
                    allowed |= order[k] == hp;
                if (allowed && occupant[hp] < 0 && !fixed_conflict(&fx[hp], cur->start, cur->end))
                    pick = hp;
            }
        }
        for (unsigned k = 0; pick == MIR_NOREG && k < t->nalloc[c]; k++) {
            uint32_t p = order[k];
            if (occupant[p] < 0 && !fixed_conflict(&fx[p], cur->start, cur->end))
                pick = p;
        }
        if (pick == MIR_NOREG) {
            /* Spill the interval ending last among cur and the active
             * ones whose register cur could take. */
            int32_t victim = -1;
            uint32_t vend = cur->end;
            for (uint32_t k = 0; k < nactive; k++) {
                Interval *a = &iv[active[k]];
                uint32_t p = f->assign[a->vreg - MIR_FIRST_VREG];
                if (t->preg_class[p] != c || a->end <= vend ||
                    fixed_conflict(&fx[p], cur->start, cur->end))
                    continue;
                victim = (int32_t)k;
                vend = a->end;
            }
            if (victim >= 0) {
                Interval *a = &iv[active[victim]];
                uint32_t av = a->vreg - MIR_FIRST_VREG;
                pick = f->assign[av];
                f->assign[av] = MIR_NOREG;
                f->spill[av] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
                active[victim] = active[--nactive];
            } else {
                f->spill[cv] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
                continue;
            }
        }
        f->assign[cv] = pick;
        occupant[pick] = i;
        active[nactive++] = i;
        if ((t->callee_saved >> pick) & 1)
            f->used_callee_saved |= 1ull << pick;
    }
    /* Vregs never seen (defined nowhere, used nowhere) need nothing, but
     * give them a harmless home so the emitter never meets NOREG. */
    for (uint32_t v = 0; v < nv; v++)
        if (f->assign[v] == MIR_NOREG && f->spill[v] == MIR_NOREG)
            f->spill[v] = mir_slot_new(f, MSLOT_SPILL, 8, 8);
    for (uint32_t p = 0; p < np; p++)
        if ((f->used_callee_saved >> p) & 1)
            f->save_slot[p] = mir_slot_new(f, MSLOT_SAVE, 8, 8);
    for (uint32_t p = 0; p < np; p++)
        free(fx[p].r);
    free(fx);
    free(iv);
    free(occupant);
    free(active);
    free(live_end);
    mir_liveness_free(&lv);
    return true;
}
