/* asm.c - x86-64 functions as GNU assembler text (`.intel_syntax
 * noprefix`), for yvm-cc -S. The printed text assembles, with `as`, to
 * exactly the bytes encode.c produces (testsuite/suites/42-x86-encode.sh
 * checks that): the immediates are printed as the instruction sees them,
 * movabs is spelled out, and pseudo forms go through x86_canonical.
 */
#include "targets/x86_64/x86.h"

#include <inttypes.h>

#include "codegen/data.h"

static const char *const reg64[] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const reg32[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const reg16[] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const reg8[] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                   "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *const xmm[] = {"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                                  "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"};
static const char *const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};

const char *x86_reg_name(int reg, unsigned size)
{
    if (reg >= X86_XMM0 && reg <= X86_XMM15)
        return xmm[reg - X86_XMM0];
    if (reg == X86_RIP)
        return "rip";
    if (reg < X86_RAX || reg > X86_R15)
        return "?";
    switch (size) {
    case 1: return reg8[reg];
    case 2: return reg16[reg];
    case 4: return reg32[reg];
    default: return reg64[reg];
    }
}

void x86_print_prologue(FILE *out)
{
    fputs("\t.intel_syntax noprefix\n"
          "\t.section .note.GNU-stack,\"\",@progbits\n", out);
}

static const char *ptr_name(unsigned size)
{
    switch (size) {
    case 1: return "BYTE PTR ";
    case 2: return "WORD PTR ";
    case 4: return "DWORD PTR ";
    case 8: return "QWORD PTR ";
    case 16: return "XMMWORD PTR ";
    default: return "";
    }
}

static void print_disp(FILE *out, int32_t disp, bool first)
{
    if (disp < 0)
        fprintf(out, "-%" PRIu32, (uint32_t)0 - (uint32_t)disp);
    else if (disp > 0 || first)
        fprintf(out, first ? "%" PRId32 : "+%" PRId32, disp);
}

static void print_mem(FILE *out, const X86Inst *in, int i)
{
    const X86Operand *m = &in->ops[i];
    if (in->op != X86_LEA)
        fputs(ptr_name(x86_operand_size(in, i)), out);
    if (m->reg == X86_RIP) {
        if (m->sym)
            asm_print_sym_ref(out, m->sym);
        fputs("[rip", out);
        print_disp(out, m->disp, false);
        fputc(']', out);
        return;
    }
    bool first = true;
    fputc('[', out);
    if (m->reg != X86_NOREG) {
        fputs(x86_reg_name(m->reg, 8), out);
        first = false;
    }
    if (m->index != X86_NOREG) {
        fprintf(out, "%s%s*%u", first ? "" : "+", x86_reg_name(m->index, 8), m->scale);
        first = false;
    }
    print_disp(out, m->disp, first);
    fputc(']', out);
}

static void print_mnemonic(FILE *out, const X86Inst *in)
{
    const char *sd = in->size == 8 ? "d" : "s";
    switch (in->op) {
    case X86_JCC: fprintf(out, "j%s", cc_names[in->cc & 15]); return;
    case X86_SETCC: fprintf(out, "set%s", cc_names[in->cc & 15]); return;
    case X86_CMOVCC: fprintf(out, "cmov%s", cc_names[in->cc & 15]); return;
    case X86_MOVSS_SD: fprintf(out, "movs%s", sd); return;
    case X86_ADDS: fprintf(out, "adds%s", sd); return;
    case X86_SUBS: fprintf(out, "subs%s", sd); return;
    case X86_MULS: fprintf(out, "muls%s", sd); return;
    case X86_DIVS: fprintf(out, "divs%s", sd); return;
    case X86_SQRTS: fprintf(out, "sqrts%s", sd); return;
    case X86_UCOMIS: fprintf(out, "ucomis%s", sd); return;
    case X86_CVTSI2S: fprintf(out, "cvtsi2s%s", sd); return;
    case X86_CVTTS2SI: fprintf(out, "cvtts%s2si", in->size2 == 8 ? "d" : "s"); return;
    case X86_CVTS2S: fputs(in->size2 == 4 ? "cvtss2sd" : "cvtsd2ss", out); return;
    case X86_MOVQ: fputs(in->size == 4 ? "movd" : "movq", out); return;
    case X86_CDQ_CQO: fputs(in->size == 2 ? "cwd" : in->size == 4 ? "cdq" : "cqo", out); return;
    case X86_MOVSX: fputs(in->size2 == 4 ? "movsxd" : "movsx", out); return;
    case X86_MUL1: fputs("mul", out); return;
    case X86_IMUL1: fputs("imul", out); return;
    case X86_MOV:
        if (in->size == 8 && in->nops == 2 && in->ops[0].kind == X86_OPD_REG &&
            in->ops[1].kind == X86_OPD_IMM &&
            (in->ops[1].imm < INT32_MIN || in->ops[1].imm > INT32_MAX)) {
            fputs("movabs", out);
            return;
        }
        fputs("mov", out);
        return;
    default: break;
    }
    static const char *const names[X86_OP_COUNT] = {
#define X86_INSN(name, mnemonic) mnemonic,
#include "insns_list.def"
#undef X86_INSN
    };
    fputs(in->op < X86_OP_COUNT ? names[in->op] : "?", out);
}

static void print_label(FILE *out, const X86Func *f, uint32_t label)
{
    char buf[32];
    snprintf(buf, sizeof buf, "_%" PRIu32, label);
    fprintf(out, ".L%s%s", f->name, buf);
}

static void print_inst(FILE *out, const X86Func *f, const X86Inst *orig)
{
    X86Inst tmp;
    const X86Inst *in = x86_canonical(orig, &tmp);
    if (in->op == X86_LABEL) {
        print_label(out, f, in->ops[0].label);
        fputs(":\n", out);
        return;
    }
    for (unsigned i = 0; i < in->nops && i < 3; i++)
        if ((in->ops[i].kind == X86_OPD_SYM || in->ops[i].kind == X86_OPD_MEM) && in->ops[i].sym)
            asm_sym_prepare(out, in->ops[i].sym);
    fputc('\t', out);
    print_mnemonic(out, in);
    for (unsigned i = 0; i < in->nops && i < 3; i++) {
        const X86Operand *p = &in->ops[i];
        fputs(i ? ", " : " ", out);
        switch (p->kind) {
        case X86_OPD_REG:
            fputs(x86_reg_name(p->reg, x86_operand_size(in, (int)i)), out);
            break;
        case X86_OPD_IMM: {
            int64_t v = p->imm;
            if (in->op != X86_SHL && in->op != X86_SHR && in->op != X86_SAR)
                x86_imm_canon(p->imm, in->size, &v);
            fprintf(out, "%" PRId64, v);
            break;
        }
        case X86_OPD_MEM:
            print_mem(out, in, (int)i);
            break;
        case X86_OPD_LABEL:
            print_label(out, f, p->label);
            break;
        case X86_OPD_SYM:
            asm_print_sym_ref(out, p->sym);
            break;
        default:
            fputs("?", out);
            break;
        }
    }
    fputc('\n', out);
}

void x86_print_func(FILE *out, const X86Func *f)
{
    fputs("\t.text\n\t.p2align 4\n", out);
    if (f->global) {
        fputs("\t.globl ", out);
        asm_print_sym(out, f->name);
        fputc('\n', out);
    }
    fputs("\t.type ", out);
    asm_print_sym(out, f->name);
    fputs(", @function\n", out);
    asm_print_sym(out, f->name);
    fputs(":\n", out);
    for (size_t i = 0; i < f->n; i++)
        print_inst(out, f, &f->insts[i]);
    asm_sym_prepare(out, f->name);
    fputs("\t.size ", out);
    asm_print_sym(out, f->name);
    fputs(", .-", out);
    asm_print_sym_ref(out, f->name);
    fputc('\n', out);
}
