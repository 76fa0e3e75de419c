/* x86.h - x86-64 machine instructions after register allocation: the one
 * form that the encoder (encode.c, table-driven by insns.def), the GNU
 * assembler printer (asm.c) and instruction selection's final emission
 * share.
 *
 * Operands are in Intel order: destination first. `size` is the operand
 * size in bytes (1, 2, 4, 8); for scalar SSE it is 4 (ss) or 8 (sd); for
 * conversions and extensions it is the DESTINATION size and `size2` the
 * source size.
 */
#ifndef YVM_X86_H
#define YVM_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codegen/obj.h"

typedef enum X86Reg {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_XMM0, X86_XMM1, X86_XMM2, X86_XMM3, X86_XMM4, X86_XMM5, X86_XMM6,
    X86_XMM7, X86_XMM8, X86_XMM9, X86_XMM10, X86_XMM11, X86_XMM12,
    X86_XMM13, X86_XMM14, X86_XMM15,
    X86_RIP,        /* only as a memory base: rip-relative */
    X86_NOREG = -1,
} X86Reg;

/* Condition codes in the hardware's encoding order (jcc = 0x70 + cc). */
typedef enum X86Cond {
    X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE,
    X86_CC_A, X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE,
    X86_CC_LE, X86_CC_G,
} X86Cond;

/* The opcodes; insns.def says, per opcode, its mnemonic and encodings. */
typedef enum X86Op {
#define X86_INSN(name, mnemonic) X86_##name,
#include "insns_list.def"
#undef X86_INSN
    X86_OP_COUNT
} X86Op;

typedef enum X86OpdKind {
    X86_OPD_NONE,
    X86_OPD_REG,    /* reg */
    X86_OPD_IMM,    /* imm (sign-extended per encoding; mov 8-byte: imm64) */
    X86_OPD_MEM,    /* [base + index*scale + disp] or [rip + sym + disp] */
    X86_OPD_LABEL,  /* a label of the same function (jmp/jcc target) */
    X86_OPD_SYM,    /* a symbol: call/jmp target (rel32, PLT32) */
} X86OpdKind;

typedef struct X86Operand {
    uint8_t kind;       /* X86OpdKind */
    int8_t reg;         /* REG; MEM base (X86_RIP with sym) */
    int8_t index;       /* MEM index or X86_NOREG */
    uint8_t scale;      /* MEM: 1, 2, 4, 8 */
    int32_t disp;       /* MEM displacement (added to sym for rip) */
    int64_t imm;        /* IMM value */
    uint32_t label;     /* LABEL id */
    const char *sym;    /* SYM, or MEM rip-relative symbol (else NULL) */
} X86Operand;

typedef struct X86Inst {
    uint16_t op;        /* X86Op */
    uint8_t size;       /* operand size in bytes */
    uint8_t size2;      /* source size for movzx/movsx/cvt*, else 0 */
    uint8_t cc;         /* X86Cond for jcc/setcc/cmovcc */
    uint8_t nops;
    X86Operand ops[3];
} X86Inst;

/* One function's code. X86_LABEL pseudo-instructions (ops[0] = LABEL)
 * mark where labels are; label ids are 0..nlabels-1. */
typedef struct X86Func {
    const char *name;
    bool global;        /* exported */
    X86Inst *insts;
    size_t n;
    uint32_t nlabels;
} X86Func;

/* Encode F at the end of .text in O: defines F's symbol, resolves labels
 * (short branches where they reach), records relocations
 * (R_X86_64_PLT32 for calls, R_X86_64_PC32 for rip-relative memory).
 * False, with a message in ERR, for an instruction form it cannot encode
 * (a bug in instruction selection, never silently wrong bytes). */
bool x86_assemble_func(ObjWriter *o, const X86Func *f, char *err, size_t errlen);

/* Print F as GNU assembler text (`.intel_syntax noprefix` is printed by
 * x86_print_prologue) that `as` accepts and assembles to the same code. */
void x86_print_prologue(FILE *out);
void x86_print_func(FILE *out, const X86Func *f);

const char *x86_reg_name(int reg, unsigned size); /* "eax", "r10b", "xmm3" */

/* One instruction's machine code (encode.c). REL_AT/REL_SIZE locate the
 * pc-relative field of a LABEL branch (left 0; the layout fills it in),
 * RELOC_* the relocation of a SYM call/jmp or a rip-relative MEM+sym
 * (RELOC_AT -1 when none). */
typedef struct X86Code {
    uint8_t bytes[16];
    uint8_t len;
    int8_t rel_at, rel_size;
    int8_t reloc_at;
    uint32_t reloc_type;     /* R_X86_64_PLT32 or R_X86_64_PC32 */
    const char *reloc_sym;
    int64_t reloc_addend;
    int16_t row;             /* the insns.def row used (-1: none) */
} X86Code;

/* ELF numbers (named apart from <elf.h>'s macros, which may be included too). */
enum { X86_R_64 = 1, X86_R_PC32 = 2, X86_R_PLT32 = 4, X86_EM_X86_64 = 62 };

/* Encode IN (SHORT_BRANCH: rel8 form of a LABEL jmp/jcc). False, with a
 * message in ERR, when no encoding in insns.def fits. LABEL is 0 bytes. */
bool x86_encode_one(const X86Inst *in, bool short_branch, X86Code *out,
                    char *err, size_t errlen);

/* The byte size of operand I of IN (register name / PTR size): the
 * source of movzx/movsx/cvt* is size2, cl of a shift 1, xmm/m128 of
 * movaps/xorps/andps 16, push/pop/jmp/call 8. */
unsigned x86_operand_size(const X86Inst *in, int i);
/* IN with pseudo forms replaced by the real instruction (movzx 8<-4 ->
 * 32-bit mov); returns IN itself or TMP. */
const X86Inst *x86_canonical(const X86Inst *in, X86Inst *tmp);
/* The sign-extended value of an immediate as the instruction sees it
 * (SIZE < 8: the low SIZE bytes); false when out of both the signed and
 * unsigned range of SIZE. */
bool x86_imm_canon(int64_t v, unsigned size, int64_t *out);

#endif
