/* yvm-dis.c - print a module as canonical IR text:
 *
 *     yvm-dis [-o OUT] IN
 *
 * IN is read as binary or text (by its magic) and verified; the text goes
 * to stdout unless -o names a file. Printing a text input gives its
 * canonical form, the same text its assembled binary disassembles to.
 * Exit status: 0 done, 1 input or output error, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const ToolInfo info = {
    "yvm-dis", "[-o OUT.yvm] IN.yvmb",
    "Print a Yvm IR module (binary or text) as canonical text.\n"
    "IN '-' reads stdin. The module is verified first.\n"
    "  -o FILE      write to FILE instead of stdout ('-': stdout)\n",
};

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
    if (!out)
        out = "-";

    int status = EXIT_INPUT_ERROR;
    IrCtx *ctx = tool_ctx();
    IrSource src;
    IrModule *m = tool_read_module(ctx, in, &src);
    if (m) {
        size_t len;
        char *text = ir_print_module(m, &len);
        if (!text)
            fputs("yvm-dis: error: cannot print the module\n", stderr);
        else if (tool_write_file(&info, out, text, len))
            status = 0;
        free(text);
        ir_module_free(m);
    }
    ir_source_release(&src);
    ir_ctx_free(ctx);
    return status;
}
