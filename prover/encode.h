/* encode.h - the SMT (Z3, bit-vector) meaning of Yvm's integer
 * instructions and of rule expressions.
 *
 * Every instruction is encoded exactly as spec/yvm-ir.md and the brief
 * define it: its value, and the two conditions under which it traps
 * (division by zero; integer overflow). SMT-LIB division is total and its
 * shifts saturate, so the trap conditions and the modulo-width shift
 * amounts are explicit here.
 *
 * Z3 errors never exit the process: the context's error handler does
 * nothing, and every call goes through a check that records the first
 * error in the Smt and turns every later call into a no-op returning NULL.
 * Callers test `failed` once at the end of building a query.
 */
#ifndef YVM_ENCODE_H
#define YVM_ENCODE_H

#include <stdbool.h>
#include <stdint.h>
#include <z3.h>

#include "ir.h"
#include "rule.h"

typedef struct Smt {
    Z3_context c;
    bool failed;
    char why[256];       /* the first Z3 error */
    uint64_t rlimit_seen; /* the context's resource count after the last
                             check (Z3 counts per context, cumulatively) */
} Smt;

/* How an instruction or a sequence ends: trap kinds in the order the
 * spec lists them (the value of a trap-kind bit-vector term). */
typedef enum TrapKind { TRAP_NONE = 0, TRAP_DIV_ZERO = 1, TRAP_OVERFLOW = 2 } TrapKind;
const char *trap_kind_reason(TrapKind k); /* "division by zero", ... */

/* A fresh, non-reference-counted context: every term lives until
 * smt_fini, which keeps one rule's memory bounded and needs no inc_ref
 * bookkeeping. (Solvers, models and params are counted all the same.) */
bool smt_init(Smt *s);
void smt_fini(Smt *s);

/* Record a Z3 error after a call; returns `a`, or NULL after an error. */
Z3_ast smt_ok(Smt *s, Z3_ast a);
#define SMT(s, call) ((s)->failed ? NULL : smt_ok((s), (call)))

Z3_ast smt_bv(Smt *s, uint64_t v, unsigned bits);        /* numeral, v truncated */
Z3_ast smt_var(Smt *s, const char *name, unsigned bits); /* uninterpreted constant */

typedef struct SmtInst {
    Z3_ast value;    /* bit-vector of the result width */
    Z3_ast div_zero; /* Bool: the instruction traps: division by zero */
    Z3_ast overflow; /* Bool: the instruction traps: integer overflow */
} SmtInst;

/* One integer instruction (binary op, icmp, select, zext/sext/trunc) on
 * operand terms: `bits` is the written type T, `bits2` a conversion's
 * result type; args holds 2 operands, 3 for select (cond, a, b), 1 for a
 * conversion. False after a Z3 error or for an opcode rules do not
 * support. */
bool smt_inst(Smt *s, IrOpcode op, IrICond cond, unsigned bits, unsigned bits2,
              const Z3_ast *args, SmtInst *out);

/* Terms for the inputs of one rule at one width combination. */
typedef struct SmtEnv {
    const Rule *rule;
    const uint8_t *combo;
    Z3_ast *consts; /* per Rule.consts */
    Z3_ast *values; /* per Rule.values (inputs; other entries as computed) */
} SmtEnv;

/* A constant expression or precondition: its value (a bit-vector, or a
 * Bool for conditions) and when it is defined (Bool). */
bool smt_expr(Smt *s, const SmtEnv *env, const RuleExpr *e, Z3_ast *value, Z3_ast *defined);

#endif
