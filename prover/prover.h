/* prover.h - proving rewrite rules with Z3.
 *
 * A rule is correct at a width combination when, for every input that
 * meets its precondition, the target traps exactly when the source traps,
 * with the same trap (division by zero, integer overflow), and otherwise
 * computes the same value; and the target's constant expressions are
 * defined. That is one quantifier-free bit-vector query per combination:
 *
 *     pre ∧ ¬(defined_t ∧ kind_s = kind_t ∧ (kind_s = none ⇒ v_s = v_t))
 *
 * which must be unsatisfiable. A sequence traps with the kind of its first
 * trapping instruction; the target counts the source instructions it
 * reuses. A proved rule whose precondition can never hold is rejected as
 * vacuous at that width. `unknown` (resource limit, timeout, crash) never
 * counts as proved.
 *
 * prover_check_combo runs one query in the calling process, under a
 * deterministic Z3 resource limit (rlimit); prover_check_rule runs a
 * rule's combinations in one fresh Z3 context (deleted at the end, so
 * memory stays bounded by one rule). prover_check_set proves whole
 * rules in forked workers, each killed after a hard wall-clock timeout,
 * and keeps proved combinations in a cache (cache.h).
 */
#ifndef YVM_PROVER_H
#define YVM_PROVER_H

#include <stdbool.h>
#include <stdint.h>

#include "rule.h"

/* The default resource limit per Z3 check (a combination may spend twice
 * that over all its checks) and the default wall-clock backstop per
 * combination, in seconds (docs/performance.md says how they were
 * chosen). */
#define PROVER_DEFAULT_RLIMIT UINT64_C(40000000)
#define PROVER_DEFAULT_TIMEOUT 60

typedef enum ProofStatus {
    PROOF_PROVED,
    PROOF_WRONG,   /* a counterexample */
    PROOF_VACUOUS, /* correct, but the precondition never holds */
    PROOF_UNKNOWN, /* resource limit, timeout, crash, Z3 error */
} ProofStatus;

const char *proof_status_name(ProofStatus s); /* "proved", "wrong", ... */

/* Statistics of one combination's proof. */
typedef struct ProofStats {
    unsigned queries;     /* Z3 checks made */
    unsigned splits;      /* sub-queries from case splits on constants */
    uint64_t max_rlimit;  /* the largest resource count of one check */
} ProofStats;

/* Prove `r` at one width combination (one of r->combos) in this process.
 * *msg (malloc'd, NULL when proved) says why not: "wrong at i8: x = 166,
 * C1 = 5, C2 = 115: source 0, target 2". stats may be NULL. */
ProofStatus prover_check_combo(const Rule *r, const uint8_t *combo, uint64_t rlimit,
                               char **msg, ProofStats *stats);

/* Prove `r` at r->combos[combos[i]] for i in order, in one Z3 context,
 * until one is not proved; done() hears of each (msg NULL when proved).
 * Returns the last status. */
typedef void ProofDone(void *user, uint32_t combo, ProofStatus s, const char *msg,
                       const ProofStats *stats);
ProofStatus prover_check_rule(const Rule *r, const uint32_t *combos, uint32_t n,
                              uint64_t rlimit, ProofDone *done, void *user);

typedef struct ProverOptions {
    uint64_t rlimit;       /* per query; 0: PROVER_DEFAULT_RLIMIT */
    unsigned timeout;      /* seconds per combination (hard); 0: the default */
    unsigned jobs;         /* workers at once; 0: the online CPUs */
    const char *cache_dir; /* NULL: no cache */
    unsigned widths;       /* check only combinations whose widths are all in
                              this mask (rule_width_list bits); 0: all */
} ProverOptions;

typedef struct RuleVerdict {
    ProofStatus status;
    char *text;          /* "proved at i1 i8 ...", or the failure (malloc'd) */
    unsigned nchecked;   /* combinations checked ... */
    unsigned ncached;    /* ... of which the cache knew */
    double seconds;      /* wall-clock time of the worker */
    ProofStats stats;    /* summed over the worker's combinations */
} RuleVerdict;

/* Called once per rule, in the set's order, as soon as its verdict and
 * every earlier one are known. */
typedef void ProverReport(void *user, const Rule *r, const RuleVerdict *v);

/* Prove every rule of the set; verdicts[i] is for set->rules[i] (free
 * each with prover_verdict_free). True when every rule was proved. */
bool prover_check_set(const RuleSet *set, const ProverOptions *opt, RuleVerdict *verdicts,
                      ProverReport *report, void *user);
void prover_verdict_free(RuleVerdict *v);

/* Prove one rule at every width it claims (prove_one.c), through the
 * cache in cache_dir (NULL: none). False with *why (malloc'd) the
 * verdict, e.g. "wrong at i8: x = 166, C1 = 5, C2 = 115: source 0,
 * target 2", when it is not proven. */
bool prover_prove_one(const Rule *r, const char *cache_dir, char **why);
/* $YVM_PROVER_CACHE, else $XDG_CACHE_HOME/yvm/prover, else
 * ~/.cache/yvm/prover (malloc'd), or NULL. */
char *prover_default_cache_dir(void);

#endif
