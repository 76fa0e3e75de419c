/* target.h - what a code generator target supplies to the shared machine
 * layer (mir.c, liveness.c, regalloc.c, frame.c, codegen.c): its register
 * file, the def/use shape of its opcodes, and the passes that are its own
 * (instruction selection, post-allocation emission, assembling, printing).
 *
 * One folder per target (targets/x86_64/, later targets/rv64/, ...) holds
 * the same file names: target.c (the Target value), isel.c, abi.c, emit.c.
 * Shared code never names a target's registers or opcodes.
 */
#ifndef YVM_TARGET_H
#define YVM_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "codegen/obj.h"
#include "ir.h"

struct MFunc;
struct MInst;
struct CgModule;

/* Register classes: every virtual and physical register is in one. */
typedef enum MRegClass { MRC_INT, MRC_FLOAT, MRC_COUNT } MRegClass;

/* How an opcode treats its explicit operands (the target's table):
 * operand 0 may be defined, defined and used, or only used; the others
 * are used. Registers inside memory operands are always used. Implicit
 * physical registers are in MInst.imp_use / imp_def. */
typedef enum MOpShape {
    MSHAPE_USE,     /* every operand is read (cmp, test, jumps, stores) */
    MSHAPE_DEF,     /* op 0 written, the rest read (mov, lea, movzx) */
    MSHAPE_DEFUSE,  /* op 0 read and written, the rest read (add) */
} MOpShape;

typedef struct Target {
    const char *name;           /* "x86_64" */
    uint16_t elf_machine;       /* EM_X86_64 */
    uint32_t elf_flags;
    /* Register file: physical registers 0..npregs-1 (< MIR_FIRST_VREG). */
    unsigned npregs;
    const uint8_t *preg_class;  /* MRegClass of each */
    const char *const *preg_name;
    /* Allocation order per class (callee-saved last for INT so that
     * short-lived values prefer scratch registers). */
    const uint8_t *const *alloc_order;
    const unsigned *nalloc;
    uint64_t caller_saved;      /* mask: clobbered by a call */
    uint64_t callee_saved;      /* mask: the function must preserve */
    unsigned nscratch;          /* per class: registers kept for spill code */
    /* Opcode facts. */
    MOpShape (*shape)(const struct MFunc *f, uint16_t op, unsigned nops);
    bool (*is_move)(uint16_t op);   /* a plain register copy (for hints) */
    bool (*is_jump)(uint16_t op);   /* an unconditional jump to its label */
    /* OUT becomes a store of physical register PREG (of class C) to frame
     * slot SLOT, or a load from it: the register allocator saves values
     * kept in caller-saved registers around the calls they live across. */
    void (*spill_inst)(struct MInst *out, bool store, MRegClass c, uint32_t preg, uint32_t slot);
    /* OUT becomes a full-width copy of register SRC to DST (class C), or
     * an unconditional jump to BLOCK: the connecting moves of split live
     * intervals, and the blocks that hold them on critical edges. A
     * target without them gets no splitting. */
    void (*copy_inst)(struct MInst *out, MRegClass c, uint32_t dst, uint32_t src);
    void (*jump_inst)(struct MInst *out, uint32_t block);
    /* Passes. */
    bool (*isel)(struct CgModule *cg, uint32_t item, struct MFunc *out);
    bool (*emit)(struct CgModule *cg, struct MFunc *f); /* after RA + frame */
    bool (*emit_module_end)(struct CgModule *cg);       /* module-level helpers */
    void (*asm_prologue)(FILE *out);                    /* -S: first lines */
} Target;

extern const Target x86_64_target;

#endif
