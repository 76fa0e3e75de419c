/* tool_opt.c - the IR optimiser with its obligation prover, for the
 * drivers (tool_opt.h). The prover runs at -O2 only: its queries cost
 * far more than the other passes (docs/performance.md), and -O1 is the
 * fast default. Without a Z3 context (out of memory) the passes still
 * run and checkelim removes nothing. */
#include "tool_opt.h"

#include "opt/opt.h"
#include "prover/oblig.h"

bool tool_optimise(IrModule *m, int level)
{
    ObligProver *p = level >= 2 ? oblig_prover_new(PROVER_OBLIG_RLIMIT) : NULL;
    bool ok = p ? opt_module_proving(m, level, oblig_prove_cb, oblig_prove_link_cb, p)
                : opt_module(m, level);
    oblig_prover_free(p);
    return ok;
}
