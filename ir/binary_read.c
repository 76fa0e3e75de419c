/* placeholder */
#include "ir.h"
IrModule *ir_read_binary(IrCtx *ctx, const IrSource *src) { ir_error_plain(ctx, src, "not yet"); return NULL; }
bool ir_is_binary(const uint8_t *data, size_t len) { return len >= 4 && data[0] == 0x7f && data[1] == 'Y'; }
