/* oblig.h - proof obligations of IR modules (IrOblig in ir.h, docs/ir.md
 * "Proof obligations"): reading their text form, and the checks every
 * tool makes through the verifier (names exist, the instruction is the
 * plain form of the claimed checked operation, and each fact really holds
 * where the instruction runs). Proving the claim is the prover's
 * (prover/oblig.c); the optimiser makes obligations (opt/checkelim.c).
 * ir/oblig.c. */
#ifndef YVM_OBLIG_H
#define YVM_OBLIG_H

#include "dominators.h"
#include "ir.h"

/* The plain opcode of a checked one (addc, addcu -> add, ...), or
 * IR_OPCODE_COUNT when op is not checked arithmetic. */
IrOpcode ir_oblig_plain_op(IrOpcode op);
/* Is op a valid IrOblig.op (a checked opcode or an IR_CLAIM_*)? Its
 * text name ("addc", "false", "nonneg"). */
bool ir_oblig_op_ok(unsigned op);
const char *ir_oblig_op_name(unsigned op);

/* The block whose parameter v is, or IR_NONE. */
uint32_t ir_oblig_param_block(const IrFunc *f, uint32_t v);
/* Does m have a `nonneg` obligation for value v of function `item`? */
bool ir_module_has_nonneg(const IrModule *m, uint32_t item, uint32_t v);

/* An edge into a block: the block `pred` ends in a terminator whose
 * target number `target` goes there. */
typedef struct IrEntry {
    uint32_t pred, target;
} IrEntry;
/* The edges into block h, in block order: how many there are; the first
 * `max` are stored in out. */
uint32_t ir_oblig_entries(const IrFunc *f, uint32_t h, IrEntry *out, uint32_t max);
/* Does fact fa of obligation o hold at position ip of block ib? */
bool ir_oblig_fact_holds(const IrModule *m, const IrOblig *o, const IrDom *d, const IrFact *fa,
                         uint32_t ib, uint32_t ip);

/* Whether `def %v` may name an instruction with this opcode: the integer
 * operations whose value the prover encodes. */
bool ir_oblig_def_op_ok(const IrInst *in);

/* The instruction defining value v in f (block in *block, position in
 * *pos), or NULL when v is a parameter or defined by nothing. */
const IrInst *ir_oblig_def(const IrFunc *f, uint32_t v, uint32_t *block, uint32_t *pos);

/* Read the text item in bytes [0, len) of `text` (the `obligation`
 * keyword to its closing brace; `at` is the keyword's place) and append
 * it to m->obligs, resolving names against m's functions. On failure:
 * false, *err_loc and *err (malloc'd message, no location). */
bool ir_oblig_text_read(IrModule *m, const char *text, size_t len, IrLoc at,
                        IrLoc *err_loc, char **err);

/* Check obligation o of m against the function it names (dominators d of
 * that function, or NULL to build them). NULL when every check passes;
 * else a malloc'd message, and *where the place to report it (the fact's
 * or the obligation's). ir_verify calls this for every obligation. */
char *ir_oblig_check(const IrModule *m, const IrOblig *o, const IrDom *d, IrLoc *where);

/* Names as the printer prints them, for messages (arena-allocated arrays
 * of f->nvals value names without '%' and f->nblocks labels). print.c. */
const char **ir_print_value_names(Arena *a, const IrFunc *f);
const char **ir_print_block_names(Arena *a, const IrFunc *f);

#endif
