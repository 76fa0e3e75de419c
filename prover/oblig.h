/* oblig.h - discharging proof obligations (IrOblig, docs/ir.md "Proof
 * obligations") with Z3.
 *
 * An obligation claims that the plain add/sub/mul defining a value cannot
 * overflow as its checked form would, given facts that hold where it
 * runs. Every IR value the facts and the instruction mention is one
 * bit-vector variable of its type's width; each fact is a formula over
 * them (an edge: the branch condition is 1 or 0; `def %v`: v equals its
 * instruction applied to its operands, which did not trap). The claim is
 * proven when
 *
 *     facts ∧ overflows(op, operands)
 *
 * is unsatisfiable (QF_BV, under a deterministic resource limit); a model
 * is a counterexample, and `unknown` never proves. That the facts hold
 * where they are claimed is the verifier's check (ir/oblig.c), made here
 * first as well. */
#ifndef YVM_PROVER_OBLIG_H
#define YVM_PROVER_OBLIG_H

#include <stdint.h>

#include "ir.h"
#include "prover.h"

/* Resource limit per query when the optimiser makes an obligation (far
 * below a rule's: these queries are small, and it asks many), and when
 * one is checked. The checker allows ten times more, so that what the
 * optimiser proved is proven again although the checker's Z3 context has
 * a different history. */
#define PROVER_OBLIG_RLIMIT UINT64_C(2000000)
#define PROVER_OBLIG_CHECK_RLIMIT UINT64_C(20000000)

typedef struct ObligProver ObligProver;

/* One Z3 context for many obligations; NULL when out of memory. */
ObligProver *oblig_prover_new(uint64_t rlimit); /* 0: PROVER_OBLIG_RLIMIT */
void oblig_prover_free(ObligProver *p);

/* Prove obligation o of module m. PROOF_PROVED, or PROOF_WRONG with *msg
 * (malloc'd) a counterexample ("'%i2' can overflow ('addc i64'): %i =
 * 9223372036854775807") or the fact that does not hold, or PROOF_UNKNOWN
 * with *msg the reason. With `shrink`, a proof also drops from o->facts
 * (in place) every fact the proof did not need, and the smaller set is
 * proven again before PROOF_PROVED is returned. */
ProofStatus oblig_prove(ObligProver *p, const IrModule *m, IrOblig *o, bool shrink, char **msg);

/* For a branch to a trap: given o's facts (`def` facts only, which hold
 * at the branch), does the i1 value cond being `want` imply that o's
 * operation overflows as its checked form? PROOF_PROVED when it does:
 * then a proof of o itself shows that the branch never goes that way. */
ProofStatus oblig_prove_link(ObligProver *p, const IrModule *m, const IrOblig *o,
                             uint32_t cond, bool want, char **msg);

/* The optimiser's callbacks (opt/opt.h OptObligProver, OptLinkProver)
 * with an ObligProver as `user`: oblig_prove with shrinking, and
 * oblig_prove_link; the reason a query failed goes to stderr when
 * YVM_OPT_DEBUG is set. */
bool oblig_prove_cb(void *prover, const IrModule *m, IrOblig *o);
bool oblig_prove_link_cb(void *prover, const IrModule *m, const IrOblig *o, uint32_t cond,
                         bool want);

#endif
