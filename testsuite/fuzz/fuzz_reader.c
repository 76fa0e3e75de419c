/* fuzz_reader.c - libFuzzer harness for the IR readers.
 *
 * Built twice (make fuzz): with FUZZ_BINARY the input is prefixed with the
 * binary magic so the binary reader sees it; otherwise it goes to the
 * text reader. Beyond "no crash, no leak", every module that reads and
 * verifies must survive print -> re-read and write -> re-read, and both
 * copies must print identically: a failed round trip aborts. */
#include <stdlib.h>
#include <string.h>

#include "binary.h"
#include "ir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static IrModule *read_buffer(IrCtx *ctx, const uint8_t *data, size_t len)
{
    IrSource src = {.name = "fuzz", .data = data, .len = len};
    return ir_read(ctx, &src);
}

static void check_round_trip(IrModule *m)
{
    size_t tlen, blen, t2len;
    char *text = ir_print_module(m, &tlen);
    uint8_t *bin = ir_write_binary(m, &blen);
    if (!text || !bin)
        abort();
    IrCtx *ctx = ir_ctx_new();
    IrModule *from_text = read_buffer(ctx, (const uint8_t *)text, tlen);
    IrModule *from_bin = read_buffer(ctx, bin, blen);
    if (!from_text || !from_bin)
        abort(); /* the printer or writer produced something unreadable */
    char *text2 = ir_print_module(from_bin, &t2len);
    if (!text2 || t2len != tlen || memcmp(text, text2, tlen) != 0)
        abort(); /* binary lost or changed something */
    free(text2);
    ir_module_free(from_text);
    ir_module_free(from_bin);
    ir_ctx_free(ctx);
    free(text);
    free(bin);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *input = data;
    uint8_t *owned = NULL;
#ifdef FUZZ_BINARY
    /* Keep the fuzzer's effort on what follows the magic. */
    if (!ir_is_binary(data, size)) {
        owned = malloc(size + YVMB_MAGIC_LEN);
        memcpy(owned, YVMB_MAGIC, YVMB_MAGIC_LEN);
        memcpy(owned + YVMB_MAGIC_LEN, data, size);
        input = owned;
        size += YVMB_MAGIC_LEN;
    }
#endif
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = read_buffer(ctx, input, size);
    if (m) {
        check_round_trip(m);
        ir_module_free(m);
    }
    ir_ctx_free(ctx);
    free(owned);
    return 0;
}
