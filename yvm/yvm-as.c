/* yvm-as.c - assemble IR into the binary form:
 *
 *     yvm-as [-o OUT] IN
 *
 * IN is read as text or binary (by its magic), verified, and written as
 * `.yvmb`. Without -o the output goes beside the input: IN with its
 * `.yvm` suffix replaced by `.yvmb` (or `.yvmb` appended when IN does not
 * end in `.yvm`); when IN is `-` (stdin) it goes to stdout. `-o -` writes
 * to stdout too. Exit status: 0 done, 1 input or output error, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const ToolInfo info = {
    "yvm-as", "[-o OUT.yvmb] IN.yvm",
    "Assemble a Yvm IR module (text or binary) into the binary form.\n"
    "IN '-' reads stdin. The module is verified first.\n"
    "  -o FILE      write to FILE ('-': stdout); default: IN with its .yvm\n"
    "               suffix replaced by .yvmb (stdout when IN is '-')\n",
};

/* The default output name: x.yvm -> x.yvmb, anything else gets .yvmb. */
static char *default_output(const char *in)
{
    size_t n = strlen(in);
    if (n > 4 && strcmp(in + n - 4, ".yvm") == 0)
        n -= 4;
    char *out = malloc(n + 6);
    if (out) {
        memcpy(out, in, n);
        memcpy(out + n, ".yvmb", 6);
    }
    return out;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    bool options = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && a[0] == '-' && a[1]) {
            if (tool_std_option(&info, a))
                continue;
            if (strcmp(a, "--") == 0) {
                options = false;
                continue;
            }
            if (strcmp(a, "-o") == 0) {
                if (i + 1 >= argc)
                    return tool_usage_error(&info, "option '-o' needs a file name");
                if (out)
                    return tool_usage_error(&info, "option '-o' given twice");
                out = argv[++i];
                continue;
            }
            return tool_usage_error(&info, "unknown option '%s'", a);
        }
        if (in)
            return tool_usage_error(&info, "more than one input file");
        in = a;
    }
    if (!in)
        return tool_usage_error(&info, "no input file");

    char *def = NULL;
    if (!out) {
        if (strcmp(in, "-") == 0)
            out = "-";
        else if (!(out = def = default_output(in))) {
            fputs("yvm-as: error: out of memory\n", stderr);
            return EXIT_INPUT_ERROR;
        }
    }

    int status = EXIT_INPUT_ERROR;
    IrCtx *ctx = tool_ctx();
    IrSource src;
    IrModule *m = tool_read_module(ctx, in, &src);
    if (m) {
        size_t len;
        uint8_t *bytes = ir_write_binary(m, &len);
        if (!bytes)
            fputs("yvm-as: error: out of memory\n", stderr);
        else if (tool_write_file(&info, out, bytes, len))
            status = 0;
        free(bytes);
        ir_module_free(m);
    }
    ir_source_release(&src);
    ir_ctx_free(ctx);
    free(def);
    return status;
}
