/* x86_mir.h - the x86-64 target's private view of machine IR: its
 * register numbering (= X86Reg), pseudo instructions that emit.c expands
 * after register allocation, and the helpers the target's files share. */
#ifndef YVM_X86_MIR_H
#define YVM_X86_MIR_H

#include "codegen/codegen.h"
#include "codegen/mir.h"
#include "targets/x86_64/x86.h"

enum {
    /* ops[0]: MEM address; aux = size | (write << 32): inline shadow test,
     * out-of-line call to the check helper. */
    X86P_CHECK = X86_OP_COUNT,
    /* cc: condition; aux: YvmTrap reason: jcc to the function's trap stub. */
    X86P_TRAPIF,
    /* return: the epilogue (imp_use = result registers). */
    X86P_RET,
    /* mov reg, rsp (reads the stack pointer; size 8). */
    X86P_COUNT
};

#define XR(r) ((uint32_t)(r))
#define XBIT(r) (1ull << (r))

/* abi.c */
typedef struct X86ArgLoc {
    int reg;          /* X86Reg, or X86_NOREG: on the stack */
    uint32_t stack;   /* byte offset in the argument area */
} X86ArgLoc;
/* Locations of NARGS arguments of TYPES; returns the stack bytes used
 * (not rounded) and the vector register count through *nvec. */
uint32_t x86_abi_args(uint32_t nargs, const uint8_t *types, X86ArgLoc *locs, unsigned *nvec);
extern const int x86_int_arg_regs[6];

/* isel.c / emit.c */
bool x86_isel(CgModule *cg, uint32_t item, MFunc *out);
bool x86_emit(CgModule *cg, MFunc *f);
bool x86_emit_module_end(CgModule *cg);
MOpShape x86_shape(const MFunc *f, uint16_t op, unsigned nops);
bool x86_is_move(uint16_t op);

#endif
