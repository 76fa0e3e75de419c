/* ssa.h - SSA construction while lowering (Braun et al., "Simple and
 * Efficient Construction of Static Single Assignment Form", CC 2013),
 * with Yvm block parameters in place of phi nodes.
 *
 * The lowering writes and reads source variables per block; a read with
 * no definition in its block looks through the predecessors, adding a
 * block parameter where paths join (and the matching argument to every
 * incoming branch). A block is sealed once all its predecessors are
 * known; reads in an unsealed block leave an incomplete parameter that
 * sealing completes. ssa_finish removes trivial parameters (all incoming
 * values the same), unreachable blocks and unused value numbers.
 *
 * Every branch the lowering emits goes through ssa_br / ssa_condbr so
 * that the predecessor lists are exact. A block may also have explicit
 * parameters (added before any branch to it), which the lowering passes
 * arguments for itself; SSA parameters always come after them. */
#ifndef YAO_SSA_H
#define YAO_SSA_H

#include "ir.h"

typedef struct SsaBlock SsaBlock;

typedef struct SsaEdge {
    SsaBlock *from;
    uint32_t slot;       /* which target of from's terminator */
} SsaEdge;

typedef struct SsaIncomplete {
    uint32_t var;
    uint32_t value;      /* the parameter */
} SsaIncomplete;

struct SsaBlock {
    IrBlock *b;
    uint32_t index;      /* in IrFunc.blocks */
    bool sealed;
    bool terminated;
    uint32_t npreds, cappreds;
    SsaEdge *preds;
    uint32_t nincomplete, capincomplete;
    SsaIncomplete *incomplete;
};

typedef struct SsaVarInfo {
    IrType type;
    const char *name;
} SsaVarInfo;

typedef struct SsaDef {
    uint64_t key;        /* block index << 32 | var, +1 (0: empty slot) */
    IrOperand val;
} SsaDef;

typedef struct SsaPhi {
    uint32_t value;
    SsaBlock *block;
    uint32_t var;
} SsaPhi;

typedef struct Ssa {
    IrModule *m;
    IrFunc *f;
    uint32_t nblocks, capblocks;
    SsaBlock **blocks;   /* by IR block index */
    uint32_t nvars, capvars;
    SsaVarInfo *vars;
    uint32_t ndefs, capdefs; /* open addressing; capdefs a power of two */
    SsaDef *defs;
    uint32_t nphis, capphis;
    SsaPhi *phis;
} Ssa;

void ssa_init(Ssa *s, IrModule *m, IrFunc *f);
void ssa_free(Ssa *s);
SsaBlock *ssa_block(Ssa *s, const char *name);
uint32_t ssa_var(Ssa *s, IrType t, const char *name);
void ssa_write(Ssa *s, uint32_t var, SsaBlock *b, IrOperand v);
IrOperand ssa_read(Ssa *s, uint32_t var, SsaBlock *b);
void ssa_seal(Ssa *s, SsaBlock *b);

/* Terminators (they record the edges). */
void ssa_br(Ssa *s, SsaBlock *from, SsaBlock *to, uint32_t nargs, const IrOperand *args);
void ssa_condbr(Ssa *s, SsaBlock *from, IrOperand cond, SsaBlock *t, uint32_t nt,
                const IrOperand *targs, SsaBlock *e, uint32_t ne, const IrOperand *eargs);
void ssa_ret(Ssa *s, SsaBlock *from, const IrOperand *v);
void ssa_trap(Ssa *s, SsaBlock *from, const char *reason, uint32_t len);
/* An edge whose branch instruction is emitted later by the caller (the
 * entry block's jump to the body): the target must get no parameters. */
void ssa_edge_later(Ssa *s, SsaBlock *from, SsaBlock *to);

/* Simplify and compact the function (see above). */
void ssa_finish(Ssa *s);

#endif
