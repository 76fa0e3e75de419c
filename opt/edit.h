/* edit.h - the IR-mutation toolkit every pass is built on: what an
 * instruction may do (trap, side effects), walking the uses of an
 * instruction, substituting values, deleting instructions, blocks and
 * block parameters, inserting instructions and adding block arguments.
 *
 * The IR lives in the module's arena, which never frees: edits compact
 * arrays in place when they shrink and build fresh arena arrays when they
 * grow (the old copy is abandoned, as ARENA_PUSH does). */
#ifndef YVM_OPT_EDIT_H
#define YVM_OPT_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "dominators.h"
#include "ir.h"

/* An instruction marked for deletion by edit_kill; edit_sweep removes it. */
#define EDIT_DEAD_OP IR_OPCODE_COUNT

/* ---- what an instruction may do ---- */

/* It may stop the program with a trap (division by a value that may be 0
 * or MIN/-1, checked arithmetic, fptosi/fptoui, any memory access, calls;
 * terminators other than trap are not counted). */
bool edit_may_trap(const IrInst *in);
/* It writes memory, calls, or is a terminator. */
bool edit_has_side_effects(const IrInst *in);
/* Its result depends only on its operands (no memory, no call): two
 * copies with equal operands give equal results or trap alike. */
bool edit_is_pure_op(const IrInst *in);
/* Pure and cannot trap: may be deleted when unused and moved freely. */
bool edit_is_removable(const IrInst *in);
/* Allocas up to this size may be promoted or deleted; bigger ones stay,
 * so an alloca too big for the frame space still traps (docs/opt.md). */
#define EDIT_SMALL_ALLOCA 4096

/* Commutative binary operation (operands may be swapped). */
bool edit_is_commutative(IrOpcode op);

/* ---- uses ---- */

/* The uses of an instruction: its operands, then each target's args. */
uint32_t edit_nuses(const IrInst *in);
IrOperand *edit_use(IrInst *in, uint32_t k);

/* Number of uses of each value (malloc'd, f->nvals entries). */
uint32_t *edit_use_counts(const IrFunc *f);

/* The block defining each value (malloc'd): IR_NONE for the function's
 * parameters and for numbers nothing defines. */
uint32_t *edit_def_blocks(const IrFunc *f);

/* The terminator of b (its last instruction), or NULL. */
IrInst *edit_term(IrBlock *b);

/* ---- substitution ---- */

/* A map from value numbers to operands, identity at first. */
typedef struct EditSubst {
    uint32_t n;
    IrOperand *to;
    bool any;
} EditSubst;

void edit_subst_init(EditSubst *s, const IrFunc *f);
void edit_subst_free(EditSubst *s);
void edit_subst_set(EditSubst *s, uint32_t v, IrOperand to);
/* The operand v finally maps to (chains followed). */
IrOperand edit_subst_get(EditSubst *s, uint32_t v);
/* Rewrite every use in f through the map; true when anything changed. */
bool edit_subst_apply(EditSubst *s, IrFunc *f);

/* ---- deletion ---- */

void edit_kill(IrInst *in);
/* Drop every killed instruction; true when any was dropped. */
bool edit_sweep(IrFunc *f);
/* Remove the blocks with dead[b] (never the entry), renumbering targets.
 * No remaining branch may target a removed block. */
void edit_remove_blocks(IrFunc *f, const bool *dead);
/* Remove the blocks no path from the entry reaches; true when any. */
bool edit_remove_unreachable(IrFunc *f);
/* Remove the parameters of block b with dead[i] (indexed by position),
 * with the matching argument of every branch to b. */
void edit_remove_block_params(IrFunc *f, uint32_t b, const bool *dead);

/* ---- insertion ---- */

/* Insert a copy of *in before position pos of block b; returns it. */
IrInst *edit_insert(IrModule *m, IrBlock *b, uint32_t pos, const IrInst *in);
/* Append an argument to a branch target. */
void edit_target_add_arg(IrModule *m, IrTarget *t, IrOperand a);
/* A copy of n operands in the arena. */
IrOperand *edit_copy_opds(IrModule *m, uint32_t n, const IrOperand *o);

/* The constant 0 of type t as an operand (t not ptr). */
IrOperand edit_zero(IrType t);
/* Are two operands the same value, symbol or constant? */
bool edit_same_opd(const IrOperand *a, const IrOperand *b);

#endif
