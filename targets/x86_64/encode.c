/* encode.c - the x86-64 encoder: one generic routine that matches an
 * X86Inst against its opcode's rows in insns.def (the encodings as data)
 * and emits prefixes, REX, opcode, ModRM/SIB/displacement and immediate;
 * and x86_assemble_func, which lays out a function with branch
 * relaxation and records relocations in the ObjWriter.
 */
#include "targets/x86_64/x86.h"
#include "targets/x86_64/encode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef X86EncRow EncRow;

const X86EncRow x86_enc_rows[] = {
#define X86_ENC(op, sz, sz2, k0, k1, k2, pfx, nopc, b0, b1, b2, enc, digit, imm, w, fl) \
    {X86_##op, sz, sz2, {k0, k1, k2}, pfx, nopc, {b0, b1, b2}, enc, digit, imm, w, fl},
#include "insns.def"
#undef X86_ENC
};
const size_t x86_enc_nrows = sizeof x86_enc_rows / sizeof x86_enc_rows[0];

static const char *const mnemonics[X86_OP_COUNT] = {
#define X86_INSN(name, mnemonic) mnemonic,
#include "insns_list.def"
#undef X86_INSN
};

static bool is_gpr(int r) { return r >= X86_RAX && r <= X86_R15; }
static bool is_xmm(int r) { return r >= X86_XMM0 && r <= X86_XMM15; }
static int regnum(int r) { return is_xmm(r) ? r - X86_XMM0 : r; }

bool x86_imm_canon(int64_t v, unsigned size, int64_t *out)
{
    if (size >= 8 || size == 0) {
        *out = v;
        return true;
    }
    unsigned bits = 8 * size;
    int64_t lo = -((int64_t)1 << (bits - 1)), hi = ((int64_t)1 << bits) - 1;
    if (v < lo || v > hi)
        return false;
    uint64_t u = (uint64_t)v & (((uint64_t)1 << bits) - 1);
    if (u >> (bits - 1))
        u |= ~(uint64_t)0 << bits;
    *out = (int64_t)u;
    return true;
}

const X86Inst *x86_canonical(const X86Inst *in, X86Inst *tmp)
{
    if (in->op == X86_MOVZX && in->size == 8 && in->size2 == 4) {
        *tmp = *in;
        tmp->op = X86_MOV;
        tmp->size = 4;
        tmp->size2 = 0;
        return tmp;
    }
    return in;
}

unsigned x86_operand_size(const X86Inst *in, int i)
{
    switch (in->op) {
    case X86_MOVZX: case X86_MOVSX: case X86_CVTSI2S: case X86_CVTTS2SI:
    case X86_CVTS2S:
        return i == 1 ? in->size2 : in->size;
    case X86_SHL: case X86_SHR: case X86_SAR:
        return i == 1 ? 1 : in->size;
    case X86_MOVAPS: case X86_XORPS: case X86_ANDPS:
        return 16;
    case X86_PUSH: case X86_POP: case X86_JMP: case X86_CALL:
        return 8;
    case X86_SETCC:
        return 1;
    default:
        return in->size;
    }
}

static bool fits8(int64_t v) { return v >= -128 && v <= 127; }
static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* The immediate's value for ROW, or false if it does not fit. */
static bool row_imm(const EncRow *row, const X86Inst *in, int64_t v, int64_t *out)
{
    int64_t c;
    switch (row->imm) {
    case I_CNT:
        *out = v;
        return v >= 0 && v <= 255;
    case I_8:
        if (!x86_imm_canon(v, in->size, &c))
            return false;
        *out = c;
        return in->size == 1 || fits8(c);
    case I_Z:
        if (!x86_imm_canon(v, in->size, &c))
            return false;
        *out = c;
        return fits32(c);
    case I_32:
        *out = v;
        return fits32(v);
    case I_64:
        *out = v;
        return true;
    default:
        return false;
    }
}

static bool class_ok(int k, const X86Inst *in, const X86Operand *p, const EncRow *row)
{
    int64_t c;
    switch (k) {
    case K_NONE: return p->kind == X86_OPD_NONE;
    case K_R: return p->kind == X86_OPD_REG && is_gpr(p->reg);
    case K_X: return p->kind == X86_OPD_REG && is_xmm(p->reg);
    case K_M: return p->kind == X86_OPD_MEM;
    case K_RM: return p->kind == X86_OPD_MEM || (p->kind == X86_OPD_REG && is_gpr(p->reg));
    case K_XM: return p->kind == X86_OPD_MEM || (p->kind == X86_OPD_REG && is_xmm(p->reg));
    case K_ACC: return p->kind == X86_OPD_REG && p->reg == X86_RAX;
    case K_CL: return p->kind == X86_OPD_REG && p->reg == X86_RCX;
    case K_I: return p->kind == X86_OPD_IMM && row_imm(row, in, p->imm, &c);
    case K_I8:
        return p->kind == X86_OPD_IMM && x86_imm_canon(p->imm, in->size, &c) && fits8(c);
    case K_ONE:
        return p->kind == X86_OPD_IMM && p->imm == 1;
    case K_L: return p->kind == X86_OPD_LABEL;
    case K_S: return p->kind == X86_OPD_SYM && p->sym;
    default: return false;
    }
}

static bool row_matches(const EncRow *row, const X86Inst *in, bool short_branch)
{
    if (row->sizes && (in->size > 8 || (in->size & (in->size - 1)) || !(row->sizes & in->size)))
        return false;
    if (row->sizes2 && (in->size2 > 8 || !(row->sizes2 & in->size2)))
        return false;
    if (row->enc == E_REL8 && !short_branch)
        return false;
    if (row->enc == E_REL32 && short_branch && row->k[0] == K_L)
        return false;
    unsigned nk = 0;
    while (nk < 3 && row->k[nk] != K_NONE)
        nk++;
    if (in->nops != nk)
        return false;
    for (unsigned i = 0; i < nk; i++)
        if (!class_ok(row->k[i], in, &in->ops[i], row))
            return false;
    return true;
}

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return false;
}

static const char *kind_name(const X86Operand *p)
{
    switch (p->kind) {
    case X86_OPD_REG: return is_xmm(p->reg) ? "xmm" : is_gpr(p->reg) ? "reg" : "bad-reg";
    case X86_OPD_IMM: return "imm";
    case X86_OPD_MEM: return "mem";
    case X86_OPD_LABEL: return "label";
    case X86_OPD_SYM: return "sym";
    default: return "none";
    }
}

/* Checks that a memory operand is addressable at all. */
static bool mem_ok(const X86Operand *m, char *err, size_t errlen)
{
    if (m->reg == X86_RIP) {
        if (m->index != X86_NOREG)
            return fail(err, errlen, "rip-relative operand with an index");
        return true;
    }
    if (m->sym)
        return fail(err, errlen, "symbol '%s' in a non-rip-relative operand", m->sym);
    if (m->reg != X86_NOREG && !is_gpr(m->reg))
        return fail(err, errlen, "bad base register %d", m->reg);
    if (m->index != X86_NOREG) {
        if (!is_gpr(m->index) || m->index == X86_RSP)
            return fail(err, errlen, "bad index register %d", m->index);
        if (m->scale != 1 && m->scale != 2 && m->scale != 4 && m->scale != 8)
            return fail(err, errlen, "bad scale %u", m->scale);
    }
    return true;
}

static void put(X86Code *c, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        c->bytes[c->len++] = (uint8_t)(v >> (8 * i));
}

bool x86_encode_one(const X86Inst *orig, bool short_branch, X86Code *c,
                    char *err, size_t errlen)
{
    X86Inst tmp;
    const X86Inst *in = x86_canonical(orig, &tmp);
    memset(c, 0, sizeof *c);
    c->rel_at = c->reloc_at = -1;
    c->row = -1;
    if (in->op >= X86_OP_COUNT)
        return fail(err, errlen, "bad x86 opcode %u", in->op);
    if (in->op == X86_LABEL)
        return true;
    if (in->nops > 3)
        return fail(err, errlen, "'%s' with %u operands", mnemonics[in->op], in->nops);
    for (unsigned i = 0; i < in->nops; i++)
        if (in->ops[i].kind == X86_OPD_MEM && !mem_ok(&in->ops[i], err, errlen))
            return false;
    if ((in->op == X86_JCC || in->op == X86_SETCC || in->op == X86_CMOVCC) && in->cc > 15)
        return fail(err, errlen, "bad condition code %u", in->cc);

    const EncRow *row = NULL;
    for (size_t r = 0; r < x86_enc_nrows; r++)
        if (x86_enc_rows[r].op == in->op && row_matches(&x86_enc_rows[r], in, short_branch)) {
            row = &x86_enc_rows[r];
            c->row = (int16_t)r;
            break;
        }
    if (!row)
        return fail(err, errlen, "cannot encode '%s' size %u/%u with operands (%s, %s, %s)",
                    mnemonics[in->op], in->size, in->size2,
                    in->nops > 0 ? kind_name(&in->ops[0]) : "-",
                    in->nops > 1 ? kind_name(&in->ops[1]) : "-",
                    in->nops > 2 ? kind_name(&in->ops[2]) : "-");

    /* Which operand goes in ModRM.reg, ModRM.rm, the opcode, the imm. */
    const X86Operand *regop = NULL, *rmop = NULL, *immop = NULL, *oreg = NULL;
    switch (row->enc) {
    case E_RM: regop = &in->ops[0]; rmop = &in->ops[1]; break;
    case E_MR: rmop = &in->ops[0]; regop = &in->ops[1]; break;
    case E_M: rmop = &in->ops[0]; break;
    case E_O: oreg = &in->ops[0]; break;
    default: break;
    }
    for (unsigned i = 0; i < in->nops; i++)
        if (in->ops[i].kind == X86_OPD_IMM && row->imm != I_NO)
            immop = &in->ops[i];
    int64_t imm = 0;
    int immlen = 0;
    if (immop) {
        if (!row_imm(row, in, immop->imm, &imm))
            return fail(err, errlen, "immediate out of range"); /* not reached */
        switch (row->imm) {
        case I_8: case I_CNT: immlen = 1; break;
        case I_Z: immlen = in->size == 1 ? 1 : in->size == 2 ? 2 : 4; break;
        case I_32: immlen = 4; break;
        case I_64: immlen = 8; break;
        default: break;
        }
    }

    /* REX */
    unsigned rex = 0;
    bool force_rex = false;
    if (row->rexw == W_YES || (row->rexw == W_SIZE && in->size == 8) ||
        (row->rexw == W_SIZE2 && in->size2 == 8))
        rex |= 8;
    if (regop && regnum(regop->reg) >= 8)
        rex |= 4;
    if (rmop && rmop->kind == X86_OPD_REG && regnum(rmop->reg) >= 8)
        rex |= 1;
    if (rmop && rmop->kind == X86_OPD_MEM) {
        if (rmop->reg != X86_NOREG && rmop->reg != X86_RIP && rmop->reg >= 8)
            rex |= 1;
        if (rmop->index != X86_NOREG && rmop->index >= 8)
            rex |= 2;
    }
    if (oreg && regnum(oreg->reg) >= 8)
        rex |= 1;
    /* spl, bpl, sil, dil exist only with a REX prefix (else ah..bh). */
    for (unsigned i = 0; i < in->nops; i++) {
        const X86Operand *p = &in->ops[i];
        if (p->kind == X86_OPD_REG && is_gpr(p->reg) && p->reg >= X86_RSP &&
            p->reg <= X86_RDI && x86_operand_size(in, (int)i) == 1)
            force_rex = true;
    }

    /* Prefixes, REX, opcode. */
    if (row->prefix)
        put(c, row->prefix, 1);
    else if (in->size == 2 && (row->sizes & Z2))
        put(c, 0x66, 1); /* operand size: only GPR rows accept size 2 */
    if (rex || force_rex)
        put(c, 0x40 | rex, 1);
    for (unsigned i = 0; i < row->nopc; i++) {
        uint8_t b = row->opc[i];
        if (i + 1 == row->nopc) {
            if (row->flags & F_CC)
                b = (uint8_t)(b + in->cc);
            if (oreg)
                b = (uint8_t)(b + (regnum(oreg->reg) & 7));
        }
        put(c, b, 1);
    }

    if (row->enc == E_REL8 || row->enc == E_REL32) {
        int n = row->enc == E_REL8 ? 1 : 4;
        if (in->ops[0].kind == X86_OPD_SYM) {
            c->reloc_at = (int8_t)c->len;
            c->reloc_type = X86_R_PLT32;
            c->reloc_sym = in->ops[0].sym;
            c->reloc_addend = -4;
        } else {
            c->rel_at = (int8_t)c->len;
            c->rel_size = (int8_t)n;
        }
        put(c, 0, n);
        return true;
    }

    if (rmop) {
        unsigned reg = regop ? (unsigned)regnum(regop->reg) & 7 : row->digit;
        if (rmop->kind == X86_OPD_REG) {
            put(c, 0xC0 | reg << 3 | ((unsigned)regnum(rmop->reg) & 7), 1);
        } else if (rmop->reg == X86_RIP) {
            put(c, 0x05 | reg << 3, 1);
            if (rmop->sym) {
                c->reloc_at = (int8_t)c->len;
                c->reloc_type = X86_R_PC32;
                c->reloc_sym = rmop->sym;
                /* The CPU adds the displacement to the address of the NEXT
                 * instruction: 4 bytes of disp32 and the immediate follow. */
                c->reloc_addend = (int64_t)rmop->disp - 4 - immlen;
                put(c, 0, 4);
            } else {
                put(c, (uint32_t)rmop->disp, 4);
            }
        } else if (rmop->reg == X86_NOREG) {
            /* No base: SIB with base 101 and mod 00 means disp32 only. */
            unsigned idx = rmop->index == X86_NOREG ? 4 : (unsigned)rmop->index & 7;
            unsigned ss = rmop->index == X86_NOREG ? 0 : rmop->scale == 8 ? 3 : rmop->scale == 4 ? 2 : rmop->scale == 2 ? 1 : 0;
            put(c, 0x04 | reg << 3, 1);
            put(c, ss << 6 | idx << 3 | 5, 1);
            put(c, (uint32_t)rmop->disp, 4);
        } else {
            unsigned base = (unsigned)rmop->reg & 7;
            unsigned mod = rmop->disp == 0 && base != 5 ? 0 : fits8(rmop->disp) ? 1 : 2;
            bool sib = rmop->index != X86_NOREG || base == 4;
            put(c, mod << 6 | reg << 3 | (sib ? 4 : base), 1);
            if (sib) {
                unsigned idx = rmop->index == X86_NOREG ? 4 : (unsigned)rmop->index & 7;
                unsigned ss = rmop->index == X86_NOREG ? 0 : rmop->scale == 8 ? 3 : rmop->scale == 4 ? 2 : rmop->scale == 2 ? 1 : 0;
                put(c, ss << 6 | idx << 3 | base, 1);
            }
            if (mod == 1)
                put(c, (uint8_t)rmop->disp, 1);
            else if (mod == 2)
                put(c, (uint32_t)rmop->disp, 4);
        }
    }
    if (immop)
        put(c, (uint64_t)imm, immlen);
    return true;
}

/* ---- function layout ---- */

bool x86_assemble_func(ObjWriter *o, const X86Func *f, char *err, size_t errlen)
{
    size_t n = f->n;
    bool ok = true;
    uint64_t *off = calloc(n + 1, sizeof *off);
    uint8_t *len = calloc(n + 1, 1);
    bool *is_short = calloc(n + 1, sizeof *is_short);
    uint64_t *label_off = calloc(f->nlabels + 1, sizeof *label_off);
    bool *label_set = calloc(f->nlabels + 1, sizeof *label_set);
    if (!off || !len || !is_short || !label_off || !label_set) {
        ok = fail(err, errlen, "out of memory");
        goto done;
    }

    /* Check every instruction and label once; branches start short. */
    for (size_t i = 0; i < n && ok; i++) {
        const X86Inst *in = &f->insts[i];
        X86Code code;
        for (unsigned k = 0; k < in->nops && k < 3; k++)
            if (in->ops[k].kind == X86_OPD_LABEL && in->ops[k].label >= f->nlabels)
                ok = fail(err, errlen, "%s: label %u out of range", f->name, in->ops[k].label);
        if (!ok)
            break;
        if (in->op == X86_LABEL) {
            if (in->nops != 1 || in->ops[0].kind != X86_OPD_LABEL) {
                ok = fail(err, errlen, "%s: malformed label pseudo-instruction", f->name);
                break;
            }
            if (label_set[in->ops[0].label]) {
                ok = fail(err, errlen, "%s: label %u defined twice", f->name, in->ops[0].label);
                break;
            }
            label_set[in->ops[0].label] = true;
            continue;
        }
        if (!x86_encode_one(in, false, &code, err, errlen)) {
            ok = false;
            break;
        }
        len[i] = code.len;
        if (code.rel_at >= 0) {
            X86Code s;
            is_short[i] = x86_encode_one(in, true, &s, NULL, 0);
            if (is_short[i])
                len[i] = s.len;
        }
    }
    for (size_t i = 0; i < n && ok; i++) {
        const X86Inst *in = &f->insts[i];
        if (in->op != X86_LABEL && in->nops >= 1 && in->ops[0].kind == X86_OPD_LABEL &&
            !label_set[in->ops[0].label])
            ok = fail(err, errlen, "%s: branch to undefined label %u", f->name, in->ops[0].label);
    }
    if (!ok)
        goto done;

    /* Relax: lengthen every short branch that does not reach until none
     * changes (lengths only grow, so this ends). */
    for (bool changed = true; changed;) {
        changed = false;
        uint64_t pc = 0;
        for (size_t i = 0; i < n; i++) {
            off[i] = pc;
            if (f->insts[i].op == X86_LABEL)
                label_off[f->insts[i].ops[0].label] = pc;
            pc += len[i];
        }
        off[n] = pc;
        for (size_t i = 0; i < n; i++) {
            if (!is_short[i])
                continue;
            int64_t rel = (int64_t)label_off[f->insts[i].ops[0].label] - (int64_t)(off[i] + len[i]);
            if (!fits8(rel)) {
                X86Code code;
                x86_encode_one(&f->insts[i], false, &code, NULL, 0);
                is_short[i] = false;
                len[i] = code.len;
                changed = true;
            }
        }
    }
    if (off[n] > INT32_MAX) {
        ok = fail(err, errlen, "%s: function too large", f->name);
        goto done;
    }

    obj_align(o, OBJ_TEXT, 16);
    uint32_t sym = obj_define(o, f->name, OBJ_TEXT, f->global, true);
    uint64_t base = o->sec[OBJ_TEXT].size;
    for (size_t i = 0; i < n; i++) {
        const X86Inst *in = &f->insts[i];
        if (in->op == X86_LABEL)
            continue;
        X86Code code;
        x86_encode_one(in, is_short[i], &code, NULL, 0);
        if (code.rel_at >= 0) {
            int64_t rel = (int64_t)label_off[in->ops[0].label] - (int64_t)(off[i] + code.len);
            for (int b = 0; b < code.rel_size; b++)
                code.bytes[code.rel_at + b] = (uint8_t)((uint64_t)rel >> (8 * b));
        }
        uint64_t at = obj_emit(o, OBJ_TEXT, code.bytes, code.len);
        if (code.reloc_at >= 0)
            obj_reloc(o, OBJ_TEXT, at + (uint64_t)code.reloc_at, code.reloc_type,
                      obj_symbol(o, code.reloc_sym), code.reloc_addend);
    }
    obj_set_size(o, sym, o->sec[OBJ_TEXT].size - base);

done:
    free(off);
    free(len);
    free(is_short);
    free(label_off);
    free(label_set);
    return ok;
}
