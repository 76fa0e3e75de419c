/* abi.c - the System V AMD64 calling convention, both ways: integer and
 * pointer arguments in rdi rsi rdx rcx r8 r9, floats in xmm0-7, the rest
 * on the stack in 8-byte slots in order; results in rax / xmm0. Variadic
 * calls put the number of vector registers used in al. Narrow integers
 * (docs/backend.md): the callee never trusts the upper bits of an i1/i8/
 * i16 argument or of a narrow result from C; calls to C pass i8/i16
 * sign-extended and i1 zero-extended to 32 bits, as clang expects. */
#include "targets/x86_64/x86_mir.h"

const int x86_int_arg_regs[6] = {X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9};

uint32_t x86_abi_args(uint32_t nargs, const uint8_t *types, X86ArgLoc *locs, unsigned *nvec)
{
    unsigned ni = 0, nf = 0;
    uint32_t stack = 0;
    for (uint32_t i = 0; i < nargs; i++) {
        bool fl = ir_type_is_float((IrType)types[i]);
        if (fl && nf < 8) {
            locs[i] = (X86ArgLoc){X86_XMM0 + (int)nf++, 0};
        } else if (!fl && ni < 6) {
            locs[i] = (X86ArgLoc){x86_int_arg_regs[ni++], 0};
        } else {
            locs[i] = (X86ArgLoc){X86_NOREG, stack};
            stack += 8;
        }
    }
    *nvec = nf;
    return stack;
}
