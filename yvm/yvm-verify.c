/* yvm-verify.c - check that a module reads and verifies:
 *
 *     yvm-verify IN
 *
 * IN ('-': stdin) is read as text or binary by its magic. Nothing is
 * printed when it is valid (exit 0); otherwise the located errors go to
 * stderr (exit 1). Usage errors exit 2. */
#include <stdio.h>
#include <string.h>

#include "tool.h"

static const ToolInfo info = {
    "yvm-verify", "IN",
    "Read a Yvm IR module (text or binary, '-' for stdin) and verify it.\n"
    "Prints nothing and exits 0 when it is valid; prints the errors and\n"
    "exits 1 when it is not.\n",
};

int main(int argc, char **argv)
{
    const char *in = NULL;
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
            return tool_usage_error(&info, "unknown option '%s'", a);
        }
        if (in)
            return tool_usage_error(&info, "more than one input file");
        in = a;
    }
    if (!in)
        return tool_usage_error(&info, "no input file");

    IrCtx *ctx = tool_ctx();
    IrSource src;
    IrModule *m = tool_read_module(ctx, in, &src);
    int status = m ? 0 : EXIT_INPUT_ERROR;
    ir_module_free(m);
    ir_source_release(&src);
    ir_ctx_free(ctx);
    return status;
}
