/* fuzz_yao.c - libFuzzer harness for the Yao front end (`make fuzz-yao`):
 * any bytes as a main.yao through the lexer, parser, checker and, when
 * the program is valid, the lowering and the IR verifier. A crash, a hang,
 * a leak or IR that does not verify (an abort here) is a bug. */
#include <stdlib.h>
#include <string.h>

#include "yao.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    IrCtx *ctx = ir_ctx_new();
    if (!ctx)
        return 0;
    Compiler c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    arena_init(&c.arena);
    uint8_t *copy = malloc(size + 1);
    if (copy) {
        memcpy(copy, data, size);
        copy[size] = 0; /* the lexer's sentinel */
        Module *m = module_load_source(&c, "fuzz.yao", "/nonexistent", copy, size);
        if (m && !ctx->nerrors && !c.syntax_errors && yao_check(&c) && !ctx->nerrors) {
            IrModule *ir = yao_lower(&c);
            if (!ir_verify(ir))
                abort();
            ir_module_free(ir);
        }
    }
    for (uint32_t i = 0; i < c.mods.n; i++)
        if (!c.mods.v[i]->embedded && c.mods.v[i] != c.main)
            ir_source_release(&c.mods.v[i]->src);
    free(copy);
    arena_free(&c.arena);
    ir_ctx_free(ctx);
    return 0;
}
