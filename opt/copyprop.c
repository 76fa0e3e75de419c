/* copyprop.c - copy propagation: uses of a value that is only a copy of
 * another operand are replaced by that operand.
 *
 * Copies in this IR are
 *  - a block parameter whose every incoming argument is the same operand
 *    x (or the parameter itself, around a loop): it is x. x is available
 *    at the end of every predecessor, so its definition dominates the
 *    block (checked anyway);
 *  - identities that hold for every input and cannot trap: x+0, x-0,
 *    x|0, x^0, x&-1, x*1, shifts by a multiple of the width, udiv/sdiv by
 *    1, x&x, x|x, the checked forms of +0/-0/times 1 (no overflow possible),
 *    select c, x, x and select on a constant condition.
 * The copies are then deleted (they cannot trap). */
#include <stdlib.h>

#include "edit.h"
#include "opt.h"
#include "xalloc.h"

static bool is_const(const IrOperand *o, uint64_t bits)
{
    return o->kind == IR_OPD_CONST && o->bits == bits;
}

/* The operand an instruction always copies, or NULL. */
static const IrOperand *copy_of(const IrInst *in)
{
    if (in->result == IR_NONE)
        return NULL;
    const IrOperand *a = &in->opd[0], *b = in->nopd > 1 ? &in->opd[1] : NULL;
    IrType t = (IrType)in->type;
    uint64_t ones = ir_type_is_int(t) ? ir_type_mask(t) : 0;
    switch ((IrOpcode)in->op) {
    case IR_ADD: case IR_OR: case IR_XOR: case IR_ADDC: case IR_ADDCU:
        if (is_const(b, 0))
            return a;
        if (is_const(a, 0))
            return b;
        if ((in->op == IR_OR) && edit_same_opd(a, b))
            return a;
        return NULL;
    case IR_SUB: case IR_SUBC: case IR_SUBCU:
        return is_const(b, 0) ? a : NULL;
    case IR_MUL: case IR_MULC: case IR_MULCU:
        if (is_const(b, 1))
            return a;
        if (is_const(a, 1))
            return b;
        return NULL;
    case IR_AND:
        if (is_const(b, ones))
            return a;
        if (is_const(a, ones))
            return b;
        if (edit_same_opd(a, b))
            return a;
        return NULL;
    case IR_SHL: case IR_LSHR: case IR_ASHR:
        return b->kind == IR_OPD_CONST && b->bits % ir_type_bits(t) == 0 ? a : NULL;
    case IR_UDIV: case IR_SDIV:
        return is_const(b, 1) ? a : NULL;
    case IR_SELECT:
        if (edit_same_opd(&in->opd[1], &in->opd[2]))
            return &in->opd[1];
        if (a->kind == IR_OPD_CONST)
            return (a->bits & 1) ? &in->opd[1] : &in->opd[2];
        return NULL;
    default:
        return NULL;
    }
}

bool opt_copyprop(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    (void)m;
    edit_remove_unreachable(f);
    IrDom *d = ir_dom_build(f);
    if (!d)
        xalloc_fail();
    uint32_t *def = edit_def_blocks(f);
    EditSubst s;
    edit_subst_init(&s, f);
    bool changed = false;

    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            const IrOperand *c = copy_of(in);
            if (!c)
                continue;
            edit_subst_set(&s, in->result, *c);
            edit_kill(in);
            changed = true;
        }
    }

    /* Block parameters: the one operand every incoming argument gives. */
    for (uint32_t b = 1; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t p = 0; p < blk->nparams; p++) {
            uint32_t pv = blk->params[p];
            IrOperand one = {.kind = IR_OPD_VALUE, .index = IR_NONE};
            bool ok = true, seen = false;
            for (uint32_t x = 0; x < f->nblocks && ok; x++) {
                IrInst *t = edit_term(f->blocks[x]);
                for (uint32_t k = 0; t && k < t->ntgt && ok; k++) {
                    if (t->tgt[k].block != b || p >= t->tgt[k].nargs)
                        continue;
                    IrOperand a = t->tgt[k].args[p];
                    if (a.kind == IR_OPD_VALUE) {
                        IrOperand r = edit_subst_get(&s, a.index);
                        r.type = a.type;
                        a = r;
                    }
                    if (a.kind == IR_OPD_VALUE && a.index == pv)
                        continue;
                    if (!seen) {
                        one = a;
                        seen = true;
                    } else if (!edit_same_opd(&one, &a)) {
                        ok = false;
                    }
                }
            }
            if (!ok || !seen)
                continue;
            if (one.kind == IR_OPD_VALUE) {
                uint32_t db = def[one.index];
                if (db != IR_NONE && (db == b || !ir_dom_dominates(d, db, b)))
                    continue;
            }
            edit_subst_set(&s, pv, one);
            changed = true;
        }
    }
    edit_subst_apply(&s, f);
    edit_sweep(f);
    edit_subst_free(&s);
    free(def);
    ir_dom_free(d);
    return changed;
}
