/* rewrite.h - applying proven rewrite rules (docs/rules.md) to IR.
 *
 * A rule set holds only rules that were proven at every width they claim:
 *   - the built-in rules (codegen/rules/NAME.yvmr), which the build proves
 *     with yvm-prove before it embeds them (opt/embed-rules.sh): a build
 *     whose rules are not all proven fails, so no Z3 runs at optimisation
 *     time for them;
 *   - rules shipped in a module (`rule NAME { ... }` items), which the
 *     caller's prover callback proves when the module is optimised; a rule
 *     it rejects is an error that names the counterexample, and never runs.
 * A tool linked without the prover (no callback) leaves module rules out.
 *
 * opt_rewrite matches each rule's source pattern against the function's
 * instructions (root last, operands followed to their defining
 * instructions), checks the widths against those proven, evaluates the
 * precondition and the target's constants, and replaces the root by the
 * target. The source's other instructions stay where they are (DCE drops
 * the unused ones that cannot trap), so every trap keeps its place. */
#ifndef YVM_OPT_REWRITE_H
#define YVM_OPT_REWRITE_H

#include <stdbool.h>

#include "ir.h"
#include "opt.h"

typedef struct Rule Rule;
typedef struct OptRules OptRules;

/* A new set with the built-in rules; NULL (with an error reported to ctx)
 * if they cannot be read, which a correct build never sees. */
OptRules *opt_rules_builtin(IrCtx *ctx);
/* An empty set (tests). */
OptRules *opt_rules_new(void);
void opt_rules_free(OptRules *rs);
unsigned opt_rules_count(const OptRules *rs);

/* Prove one rule: true when proven at every width it claims; otherwise
 * false with *why (malloc'd) the prover's line, e.g. "wrong at i8: x = 166,
 * C1 = 5, C2 = 115: source 0, target 2". */
typedef bool OptRuleProver(void *user, const Rule *r, char **why);

/* Read m's rule items, prove each with `prove`, and add the proven ones.
 * Each rejected rule is reported to m->ctx as
 *     FILE:LINE:COL: error: rule 'NAME' is wrong at i8: ...
 * (located at the item in text input); returns false if any was. */
bool opt_rules_add_module(OptRules *rs, IrModule *m, OptRuleProver *prove, void *user);

/* Apply the rules of oc->rules (nothing when NULL) to f; true when it
 * changed f. The pipeline's "rewrite" pass. */
bool opt_rewrite(OptCtx *oc, IrModule *m, IrFunc *f);

/* Rewrites made by the set so far (all functions). */
unsigned long opt_rules_applied(const OptRules *rs);

#endif
