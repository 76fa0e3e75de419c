/* placeholder */
#include "ir.h"
IrModule *ir_read_text(IrCtx *ctx, const IrSource *src) { ir_error_plain(ctx, src, "not yet"); return NULL; }
