/* mir.h - machine IR: a function as blocks of target instructions whose
 * register operands are virtual registers (numbers >= MIR_FIRST_VREG, in
 * an int or float class) or the target's physical registers (numbers
 * below it). Instruction selection makes it, the register allocator
 * rewrites every virtual register to a physical one or a spill slot,
 * frame layout gives slots offsets and the target's emitter prints it.
 *
 * Operand kinds: register, immediate, memory (base register, frame slot
 * or symbol; index register; scale; displacement), block label, symbol.
 * Which explicit operands an opcode defines comes from Target.shape;
 * implicit physical registers are in MInst.imp_use / imp_def.
 */
#ifndef YVM_MIR_H
#define YVM_MIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codegen/target.h"

#define MIR_FIRST_VREG 64u
#define MIR_NOREG UINT32_MAX

typedef enum MOpdKind { MO_NONE, MO_REG, MO_IMM, MO_MEM, MO_LABEL, MO_SYM } MOpdKind;
typedef enum MMemBase { MB_NONE, MB_REG, MB_SLOT, MB_SYM } MMemBase;

typedef struct MOperand {
    uint8_t kind;      /* MOpdKind */
    uint8_t base_kind; /* MEM: MMemBase */
    uint8_t scale;     /* MEM: 1, 2, 4, 8 */
    uint32_t reg;      /* REG: register; MEM: base register or slot id */
    uint32_t index;    /* MEM: index register or MIR_NOREG */
    int64_t imm;       /* IMM: value; MEM: displacement; LABEL: block */
    const char *sym;   /* SYM, MEM with MB_SYM */
} MOperand;

typedef struct MInst {
    uint16_t op;       /* the target's opcode */
    uint8_t size;      /* operand size in bytes */
    uint8_t size2;     /* source size (extensions, conversions) */
    uint8_t cc;        /* condition code */
    uint8_t nops;
    MOperand ops[3];
    uint64_t imp_use;  /* physical registers read implicitly */
    uint64_t imp_def;  /* physical registers written (or clobbered) */
    int64_t aux;       /* pseudo instructions: their parameter */
} MInst;

typedef struct MBlock {
    MInst *insts;
    uint32_t n, cap;
    uint32_t label;    /* the emitter's label id (= block index) */
    /* Layout (the emitter's block order): blocks are placed by group (the
     * IR block they were selected from), then by index; cold blocks (rare
     * paths such as NaN fix-ups) after all others. */
    uint32_t group;
    bool cold;
} MBlock;

typedef enum MSlotKind { MSLOT_ALLOCA, MSLOT_SPILL, MSLOT_SAVE, MSLOT_TEMP } MSlotKind;

typedef struct MSlot {
    uint8_t kind;      /* MSlotKind */
    uint64_t size, align;
    int64_t offset;    /* from the frame pointer, set by frame_layout */
} MSlot;

typedef struct MFunc {
    const Target *target;
    const char *name;      /* its symbol */
    bool global;
    MBlock *blocks;
    uint32_t nblocks, capblocks;
    uint32_t nvregs, capvregs;   /* vreg v is MIR_FIRST_VREG + i */
    uint8_t *vclass;             /* MRegClass per vreg */
    uint32_t *hint;              /* preferred vreg/preg to share with, or MIR_NOREG */
    MSlot *slots;
    uint32_t nslots, capslots;
    /* Filled by the register allocator. */
    uint32_t *assign;            /* per vreg: physical register or MIR_NOREG */
    uint32_t *spill;             /* per vreg: slot id when spilled, else MIR_NOREG */
    uint64_t used_callee_saved;
    uint32_t *save_slot;         /* per physical register: its save slot */
    /* Filled by frame_layout. */
    uint64_t frame_size;         /* bytes below the frame pointer */
    uint64_t alloca_area;        /* bytes of entry-block allocas at the top */
    bool has_allocas;
    bool has_calls;
    int opt;                     /* -O level */
} MFunc;

MFunc *mir_func_new(const Target *t, const char *name);
void mir_func_free(MFunc *f);
uint32_t mir_block_new(MFunc *f);
uint32_t mir_vreg_new(MFunc *f, MRegClass c);
uint32_t mir_slot_new(MFunc *f, MSlotKind kind, uint64_t size, uint64_t align);
/* The order blocks are emitted in, into order[0..nblocks): block 0 first
 * (it follows the prologue), then each IR block followed by the blocks
 * instruction selection made inside it (MBlock.group), cold blocks last.
 * Liveness numbers positions in the same order. */
void mir_layout_order(const MFunc *f, uint32_t *order);
MInst *mir_append(MFunc *f, uint32_t block, uint16_t op, uint8_t size);
static inline bool mir_is_vreg(uint32_t r) { return r != MIR_NOREG && r >= MIR_FIRST_VREG; }
MRegClass mir_reg_class(const MFunc *f, uint32_t r);

/* Operand constructors. */
MOperand mo_reg(uint32_t r);
MOperand mo_imm(int64_t v);
MOperand mo_mem(uint32_t base, uint32_t index, unsigned scale, int64_t disp);
MOperand mo_slot(uint32_t slot, int64_t disp);
MOperand mo_symmem(const char *sym, int64_t disp);
MOperand mo_label(uint32_t block);
MOperand mo_sym(const char *sym);

/* Registers an instruction reads and writes (explicit and implicit).
 * USE and DEF hold MIR_MAX_DU entries each; counts via *nuse / *ndef. */
#define MIR_MAX_DU 64
void mir_def_use(const MFunc *f, const MInst *in, uint32_t *use, unsigned *nuse,
                 uint32_t *def, unsigned *ndef);
/* Successor blocks: every label operand of the block's instructions. */
unsigned mir_succs(const MFunc *f, uint32_t b, uint32_t *out, unsigned max);

/* A readable dump (for -S comments and debugging). */
void mir_dump(FILE *out, const MFunc *f);

/* ---- liveness.c ---- */
typedef struct MLiveness {
    uint32_t nwords;          /* per set, over all registers (pregs first) */
    uint64_t *live_in, *live_out;   /* nblocks * nwords */
    uint32_t *block_start, *block_end; /* linear positions */
    uint32_t *order;          /* blocks in position order (the layout) */
    uint32_t npos;
} MLiveness;
void mir_liveness(const MFunc *f, MLiveness *lv);
void mir_liveness_free(MLiveness *lv);
static inline bool mlive_has(const uint64_t *set, uint32_t r)
{ return (set[r >> 6] >> (r & 63)) & 1; }

/* ---- loops.c ---- */
/* DEPTH[b] (nblocks entries): how many loops hold block b. */
void mir_loop_depth(const MFunc *f, uint8_t *depth);

/* ---- regalloc.c ---- */
/* Linear scan over live intervals with move hints; fixed physical
 * register ranges (argument set-up, results, division, calls' clobbers)
 * are respected; values live across a call only get callee-saved
 * registers. Afterwards every vreg has `assign` or `spill`. */
bool regalloc(MFunc *f, char *err, size_t errlen);

/* ---- jumps.c ---- */
/* After allocation: branches to blocks that only jump on go straight on. */
void mir_thread_jumps(MFunc *f);

/* ---- frame.c ---- */
void frame_layout(MFunc *f);

#endif
