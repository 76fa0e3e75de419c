/* fold.h - evaluate one instruction on constant operands, exactly as the
 * interpreter would; never folds an evaluation that traps. */
#ifndef YVM_OPT_FOLD_H
#define YVM_OPT_FOLD_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

/* v[i] are the bits of in->opd[i]; true with *out the result's bits, or
 * false when the instruction traps on them or is not foldable. */
bool opt_fold(const IrInst *in, const uint64_t *v, uint64_t *out);

#endif
