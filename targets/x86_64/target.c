/* target.c - the x86-64 Target: register file, opcode shapes and passes
 * (codegen/target.h). Physical register numbers are X86Reg values. */
#include <elf.h>

#include "targets/x86_64/x86_mir.h"

static const uint8_t preg_class[32] = {
    [X86_RAX ... X86_R15] = MRC_INT, [X86_XMM0 ... X86_XMM15] = MRC_FLOAT,
};

static const char *const preg_name[32] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
    "r11", "r12", "r13", "r14", "r15", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
    "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
    "xmm14", "xmm15",
};

/* r10, r11, xmm14 and xmm15 are the spill scratch registers; rsp and rbp
 * hold the frame. Scratch registers first, callee-saved last. */
static const uint8_t int_order[] = {
    X86_RAX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_R8, X86_R9,
    X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15,
};
static const uint8_t float_order[] = {
    X86_XMM0, X86_XMM1, X86_XMM2, X86_XMM3, X86_XMM4, X86_XMM5, X86_XMM6,
    X86_XMM7, X86_XMM8, X86_XMM9, X86_XMM10, X86_XMM11, X86_XMM12, X86_XMM13,
};
static const uint8_t *const alloc_order[MRC_COUNT] = {int_order, float_order};
static const unsigned nalloc[MRC_COUNT] = {sizeof int_order, sizeof float_order};

MOpShape x86_shape(const MFunc *f, uint16_t op, unsigned nops)
{
    (void)f;
    switch (op) {
    case X86_MOV: case X86_MOVZX: case X86_MOVSX: case X86_LEA: case X86_SETCC:
    case X86_MOVSS_SD: case X86_MOVAPS: case X86_MOVQ: case X86_CVTSI2S:
    case X86_CVTTS2SI: case X86_CVTS2S: case X86_SQRTS:
        return MSHAPE_DEF;
    case X86_IMUL:
        return nops == 3 ? MSHAPE_DEF : MSHAPE_DEFUSE;
    case X86_ADD: case X86_SUB: case X86_AND: case X86_OR: case X86_XOR:
    case X86_NEG: case X86_NOT: case X86_SHL: case X86_SHR: case X86_SAR:
    case X86_CMOVCC: case X86_ADDS: case X86_SUBS: case X86_MULS: case X86_DIVS:
    case X86_XORPS: case X86_ANDPS:
        return MSHAPE_DEFUSE;
    default:
        return MSHAPE_USE;
    }
}

bool x86_is_move(uint16_t op) { return op == X86_MOV || op == X86_MOVAPS; }
static bool x86_is_jump(uint16_t op) { return op == X86_JMP; }

static void x86_spill_inst(MInst *out, bool store, MRegClass c, uint32_t preg, uint32_t slot)
{
    *out = (MInst){.op = c == MRC_FLOAT ? X86_MOVSS_SD : X86_MOV, .size = 8, .nops = 2};
    out->ops[store ? 0 : 1] = mo_slot(slot, 0);
    out->ops[store ? 1 : 0] = mo_reg(preg);
}

static void x86_copy_inst(MInst *out, MRegClass c, uint32_t dst, uint32_t src)
{
    *out = (MInst){.op = c == MRC_FLOAT ? X86_MOVAPS : X86_MOV, .size = 8, .nops = 2};
    out->ops[0] = mo_reg(dst);
    out->ops[1] = mo_reg(src);
}

static void x86_jump_inst(MInst *out, uint32_t block)
{
    *out = (MInst){.op = X86_JMP, .size = 0, .nops = 1};
    out->ops[0] = mo_label(block);
}

#define GPR_CALLER (XBIT(X86_RAX) | XBIT(X86_RCX) | XBIT(X86_RDX) | XBIT(X86_RSI) | \
                    XBIT(X86_RDI) | XBIT(X86_R8) | XBIT(X86_R9) | XBIT(X86_R10) | XBIT(X86_R11))
#define XMM_ALL (0xffffull << X86_XMM0)

const Target x86_64_target = {
    .name = "x86_64",
    .elf_machine = EM_X86_64,
    .elf_flags = 0,
    .npregs = 32,
    .preg_class = preg_class,
    .preg_name = preg_name,
    .alloc_order = alloc_order,
    .nalloc = nalloc,
    .caller_saved = GPR_CALLER | XMM_ALL,
    .callee_saved = XBIT(X86_RBX) | XBIT(X86_R12) | XBIT(X86_R13) | XBIT(X86_R14) |
                    XBIT(X86_R15),
    .nscratch = 2,
    .shape = x86_shape,
    .is_move = x86_is_move,
    .is_jump = x86_is_jump,
    .spill_inst = x86_spill_inst,
    .copy_inst = x86_copy_inst,
    .jump_inst = x86_jump_inst,
    .isel = x86_isel,
    .emit = x86_emit,
    .emit_module_end = x86_emit_module_end,
    .asm_prologue = x86_print_prologue,
};
