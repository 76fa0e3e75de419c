/* tool_opt.h - the IR optimiser for the compiling drivers (yaoc, yvm-cc),
 * with the prover behind checkelim so that checks are removed under
 * proof there as in yvm-opt. yvm/tool_opt.c. */
#ifndef YVM_TOOL_OPT_H
#define YVM_TOOL_OPT_H

#include "ir/ir.h"

/* Optimise m at level 1 or 2; at 2 with an obligation prover, so that
 * checkelim removes checks (opt_module_proving). False when the
 * optimiser broke the module. */
bool tool_optimise(IrModule *m, int level);

#endif
