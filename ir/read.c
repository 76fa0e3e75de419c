/* read.c - the one entry for reading a module: text or binary by magic,
 * then the verifier, so no tool ever sees an unverified module. */
#include "ir.h"

IrModule *ir_read(IrCtx *ctx, const IrSource *src)
{
    IrModule *m = ir_is_binary(src->data, src->len) ? ir_read_binary(ctx, src)
                                                    : ir_read_text(ctx, src);
    if (m && !ir_verify(m)) {
        ir_module_free(m);
        return NULL;
    }
    return m;
}
