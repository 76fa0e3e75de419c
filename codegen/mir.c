/* mir.c - machine IR containers, operand constructors, def/use facts and
 * a debug dump (mir.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/mir.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("yvm: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

MFunc *mir_func_new(const Target *t, const char *name)
{
    MFunc *f = calloc(1, sizeof *f);
    if (!f)
        exit(1);
    f->target = t;
    f->name = name;
    return f;
}

void mir_func_free(MFunc *f)
{
    if (!f)
        return;
    for (uint32_t b = 0; b < f->nblocks; b++)
        free(f->blocks[b].insts);
    free(f->blocks);
    free(f->vclass);
    free(f->hint);
    free(f->slots);
    free(f->assign);
    free(f->spill);
    free(f->save_slot);
    free(f);
}

uint32_t mir_block_new(MFunc *f)
{
    if (f->nblocks == f->capblocks) {
        f->capblocks = f->capblocks ? 2 * f->capblocks : 16;
        f->blocks = xrealloc(f->blocks, f->capblocks * sizeof *f->blocks);
    }
    MBlock *b = &f->blocks[f->nblocks];
    memset(b, 0, sizeof *b);
    b->label = f->nblocks;
    return f->nblocks++;
}

uint32_t mir_vreg_new(MFunc *f, MRegClass c)
{
    if (f->nvregs == f->capvregs) {
        f->capvregs = f->capvregs ? 2 * f->capvregs : 64;
        f->vclass = xrealloc(f->vclass, f->capvregs);
        f->hint = xrealloc(f->hint, f->capvregs * sizeof *f->hint);
    }
    f->vclass[f->nvregs] = (uint8_t)c;
    f->hint[f->nvregs] = MIR_NOREG;
    return MIR_FIRST_VREG + f->nvregs++;
}

uint32_t mir_slot_new(MFunc *f, MSlotKind kind, uint64_t size, uint64_t align)
{
    if (f->nslots == f->capslots) {
        f->capslots = f->capslots ? 2 * f->capslots : 16;
        f->slots = xrealloc(f->slots, f->capslots * sizeof *f->slots);
    }
    f->slots[f->nslots] = (MSlot){.kind = (uint8_t)kind, .size = size,
                                  .align = align ? align : 1};
    return f->nslots++;
}

MInst *mir_append(MFunc *f, uint32_t block, uint16_t op, uint8_t size)
{
    MBlock *b = &f->blocks[block];
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 16;
        b->insts = xrealloc(b->insts, b->cap * sizeof *b->insts);
    }
    MInst *in = &b->insts[b->n++];
    memset(in, 0, sizeof *in);
    in->op = op;
    in->size = size;
    return in;
}

MRegClass mir_reg_class(const MFunc *f, uint32_t r)
{
    if (mir_is_vreg(r))
        return (MRegClass)f->vclass[r - MIR_FIRST_VREG];
    return (MRegClass)f->target->preg_class[r];
}

MOperand mo_reg(uint32_t r) { return (MOperand){.kind = MO_REG, .reg = r, .index = MIR_NOREG}; }
MOperand mo_imm(int64_t v) { return (MOperand){.kind = MO_IMM, .imm = v, .index = MIR_NOREG}; }
MOperand mo_mem(uint32_t base, uint32_t index, unsigned scale, int64_t disp)
{
    return (MOperand){.kind = MO_MEM, .base_kind = base == MIR_NOREG ? MB_NONE : MB_REG,
                      .reg = base, .index = index, .scale = (uint8_t)(scale ? scale : 1),
                      .imm = disp};
}
MOperand mo_slot(uint32_t slot, int64_t disp)
{
    return (MOperand){.kind = MO_MEM, .base_kind = MB_SLOT, .reg = slot,
                      .index = MIR_NOREG, .scale = 1, .imm = disp};
}
MOperand mo_symmem(const char *sym, int64_t disp)
{
    return (MOperand){.kind = MO_MEM, .base_kind = MB_SYM, .sym = sym,
                      .index = MIR_NOREG, .scale = 1, .imm = disp};
}
MOperand mo_label(uint32_t block) { return (MOperand){.kind = MO_LABEL, .imm = block, .index = MIR_NOREG}; }
MOperand mo_sym(const char *sym) { return (MOperand){.kind = MO_SYM, .sym = sym, .index = MIR_NOREG}; }

static void add_reg(uint32_t *a, unsigned *n, uint32_t r)
{
    for (unsigned i = 0; i < *n; i++)
        if (a[i] == r)
            return;
    if (*n < MIR_MAX_DU)
        a[(*n)++] = r;
}

static void add_mask(uint32_t *a, unsigned *n, uint64_t mask)
{
    for (unsigned r = 0; mask; r++, mask >>= 1)
        if (mask & 1)
            add_reg(a, n, r);
}

void mir_def_use(const MFunc *f, const MInst *in, uint32_t *use, unsigned *nuse,
                 uint32_t *def, unsigned *ndef)
{
    *nuse = *ndef = 0;
    MOpShape sh = f->target->shape(f, in->op, in->nops);
    for (unsigned i = 0; i < in->nops; i++) {
        const MOperand *o = &in->ops[i];
        if (o->kind == MO_MEM) {
            if (o->base_kind == MB_REG)
                add_reg(use, nuse, o->reg);
            if (o->index != MIR_NOREG)
                add_reg(use, nuse, o->index);
        } else if (o->kind == MO_REG) {
            if (i == 0 && sh != MSHAPE_USE) {
                add_reg(def, ndef, o->reg);
                if (sh == MSHAPE_DEFUSE)
                    add_reg(use, nuse, o->reg);
            } else {
                add_reg(use, nuse, o->reg);
            }
        }
    }
    add_mask(use, nuse, in->imp_use);
    add_mask(def, ndef, in->imp_def);
}

unsigned mir_succs(const MFunc *f, uint32_t b, uint32_t *out, unsigned max)
{
    unsigned n = 0;
    const MBlock *bl = &f->blocks[b];
    for (uint32_t i = 0; i < bl->n; i++)
        for (unsigned k = 0; k < bl->insts[i].nops; k++)
            if (bl->insts[i].ops[k].kind == MO_LABEL) {
                uint32_t s = (uint32_t)bl->insts[i].ops[k].imm;
                bool dup = false;
                for (unsigned j = 0; j < n; j++)
                    dup |= out[j] == s;
                if (!dup && n < max)
                    out[n++] = s;
            }
    return n;
}

static void dump_reg(FILE *out, const MFunc *f, uint32_t r)
{
    if (mir_is_vreg(r))
        fprintf(out, "%%%c%u", f->vclass[r - MIR_FIRST_VREG] == MRC_FLOAT ? 'f' : 'v',
                r - MIR_FIRST_VREG);
    else if (r == MIR_NOREG)
        fputs("-", out);
    else
        fputs(f->target->preg_name[r], out);
}

void mir_dump(FILE *out, const MFunc *f)
{
    fprintf(out, "mfunc %s\n", f->name);
    for (uint32_t b = 0; b < f->nblocks; b++) {
        fprintf(out, ".B%u:\n", b);
        const MBlock *bl = &f->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++) {
            const MInst *in = &bl->insts[i];
            fprintf(out, "  op%u/%u", in->op, in->size);
            for (unsigned k = 0; k < in->nops; k++) {
                const MOperand *o = &in->ops[k];
                fputs(k ? ", " : " ", out);
                switch (o->kind) {
                case MO_REG: dump_reg(out, f, o->reg); break;
                case MO_IMM: fprintf(out, "%" PRId64, o->imm); break;
                case MO_LABEL: fprintf(out, ".B%" PRId64, o->imm); break;
                case MO_SYM: fputs(o->sym, out); break;
                case MO_MEM:
                    fputs("[", out);
                    if (o->base_kind == MB_REG)
                        dump_reg(out, f, o->reg);
                    else if (o->base_kind == MB_SLOT)
                        fprintf(out, "slot%u", o->reg);
                    else if (o->base_kind == MB_SYM)
                        fputs(o->sym, out);
                    if (o->index != MIR_NOREG) {
                        fputs("+", out);
                        dump_reg(out, f, o->index);
                        fprintf(out, "*%u", o->scale);
                    }
                    fprintf(out, "%+" PRId64 "]", o->imm);
                    break;
                default: fputs("?", out);
                }
            }
            fputc('\n', out);
        }
    }
}

static int cmp_layout(const void *pa, const void *pb, void *arg)
{
    const MFunc *f = arg;
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    const MBlock *x = &f->blocks[a], *y = &f->blocks[b];
    if (x->cold != y->cold)
        return x->cold ? 1 : -1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return a < b ? -1 : a > b;
}

void mir_layout_order(const MFunc *f, uint32_t *order)
{
    for (uint32_t b = 0; b < f->nblocks; b++)
        order[b] = b;
    if (f->nblocks > 1)
        qsort_r(order + 1, f->nblocks - 1, sizeof *order, cmp_layout, (void *)f);
}
