/* jumps.c - jump threading after register allocation: a branch to a
 * block that does nothing but jump on (its block-argument copies all
 * became `mov r, r` or moved nothing) goes straight to where that block
 * goes. The emptied block stays (the emitter's layout is by block
 * number) but nothing jumps to it any more, so a loop's back edge costs
 * one taken branch instead of a fall-through and a jump.
 */
#include <stdlib.h>

#include "codegen/mir.h"

/* Does the instruction do nothing once registers are assigned? (A
 * full-width copy to where the value already is; a narrower one may
 * clear the register's upper bits.) */
static bool is_noop(const MFunc *f, const MInst *in)
{
    if (!f->target->is_move(in->op) || in->size != 8 || in->nops != 2 || in->ops[0].kind != MO_REG ||
        in->ops[1].kind != MO_REG)
        return false;
    uint32_t a = in->ops[0].reg, b = in->ops[1].reg;
    if (a == b)
        return true;
    if (!mir_is_vreg(a) || !mir_is_vreg(b))
        return false;
    uint32_t va = a - MIR_FIRST_VREG, vb = b - MIR_FIRST_VREG;
    if (f->assign[va] != MIR_NOREG)
        return f->assign[va] == f->assign[vb];
    return f->assign[vb] == MIR_NOREG && f->spill[va] == f->spill[vb];
}

/* The block B jumps on to unconditionally when it does nothing else, or
 * B itself. */
static uint32_t forward_of(const MFunc *f, uint32_t b)
{
    const MBlock *bl = &f->blocks[b];
    if (bl->n == 0)
        return b;
    const MInst *last = &bl->insts[bl->n - 1];
    if (!f->target->is_jump(last->op) || last->nops != 1 || last->ops[0].kind != MO_LABEL)
        return b;
    for (uint32_t i = 0; i + 1 < bl->n; i++)
        if (!is_noop(f, &bl->insts[i]))
            return b;
    return (uint32_t)last->ops[0].imm;
}

void mir_thread_jumps(MFunc *f)
{
    if (!f->target->is_jump)
        return;
    uint32_t nb = f->nblocks;
    uint32_t *to = malloc((nb + 1) * sizeof *to);
    if (!to)
        exit(1);
    for (uint32_t b = 0; b < nb; b++)
        to[b] = forward_of(f, b);
    /* Follow chains; a cycle of empty blocks (an endless loop) stays. */
    for (uint32_t b = 0; b < nb; b++) {
        uint32_t t = to[b];
        for (uint32_t steps = 0; steps < nb && to[t] != t; steps++)
            t = to[t];
        if (to[t] == t)
            to[b] = t;
    }
    for (uint32_t b = 0; b < nb; b++) {
        MBlock *bl = &f->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++)
            for (unsigned k = 0; k < bl->insts[i].nops; k++) {
                MOperand *o = &bl->insts[i].ops[k];
                if (o->kind == MO_LABEL && (uint32_t)o->imm < nb && to[(uint32_t)o->imm] != (uint32_t)o->imm)
                    o->imm = to[(uint32_t)o->imm];
            }
    }
    free(to);
}
