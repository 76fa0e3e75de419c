/* main.c - the yaoc driver: options, then parse, check and lower the
 * program and write what was asked for.
 *
 *   yaoc main.yao --emit-ir -o main.yvm     Yvm IR text (run: yvm-run)
 *   yaoc main.yao -o main                   an executable (x86-64 backend)
 *
 * Exit status: 0 on success, 1 when the program has errors (reported as
 * file:line:col: error: ...), 2 for usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tool.h"
#include "yao.h"

static const ToolInfo yaoc_info = {
    .name = "yaoc",
    .usage = "[options] main.yao",
    .help = "Compile a Yao program (imports are found beside it; std.* is built in).\n"
            "  --emit-ir      write Yvm IR text (default output: main.yvm)\n"
            "  -o FILE        write the output to FILE ('-': standard output)\n"
            "  -c             compile to an object file (needs the x86-64 backend)\n"
            "  -O0 -O1 -O2    optimisation level (no optimiser yet: all the same)\n"
            "  --check        only check the program\n"
            "  --stdlib DIR   read std.* modules from DIR instead of the built-in copy\n",
};

static char *default_output(const char *in, const char *ext)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".yao") == 0)
        n -= 4;
    char *out = malloc(n + strlen(ext) + 1);
    if (!out)
        return NULL;
    memcpy(out, base, n);
    strcpy(out + n, ext);
    return out;
}

int main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *stdlib_dir = NULL;
    bool emit_ir = false, object = false, check_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (tool_std_option(&yaoc_info, a))
            continue;
        if (strcmp(a, "--emit-ir") == 0) {
            emit_ir = true;
        } else if (strcmp(a, "-c") == 0) {
            object = true;
        } else if (strcmp(a, "--check") == 0) {
            check_only = true;
        } else if (strcmp(a, "-O0") == 0 || strcmp(a, "-O1") == 0 || strcmp(a, "-O2") == 0) {
            /* accepted: there is no optimiser yet */
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--stdlib") == 0) {
            if (i + 1 >= argc)
                return tool_usage_error(&yaoc_info, "option '%s' needs a value", a);
            if (a[1] == 'o')
                output = argv[++i];
            else
                stdlib_dir = argv[++i];
        } else if (strncmp(a, "-o", 2) == 0) {
            output = a + 2;
        } else if (a[0] == '-' && a[1]) {
            return tool_usage_error(&yaoc_info, "unknown option '%s'", a);
        } else if (input) {
            return tool_usage_error(&yaoc_info, "more than one source file ('%s'); "
                                                "other modules are found by 'import'", a);
        } else {
            input = a;
        }
    }
    if (!input)
        return tool_usage_error(&yaoc_info, "no source file given");

    IrCtx *ctx = tool_ctx();
    Compiler c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.stdlib_dir = stdlib_dir;
    arena_init(&c.arena);

    int status = 1;
    IrModule *m = NULL;
    char *out_name = NULL;
    if (!module_load_main(&c, input) || ctx->nerrors || c.syntax_errors)
        goto done;
    if (!yao_check(&c) || ctx->nerrors)
        goto done;
    if (check_only) {
        status = 0;
        goto done;
    }
    if (!emit_ir) {
        fprintf(stderr, "yaoc: error: %s need the x86-64 backend, which is not built yet; "
                        "use --emit-ir and run the result with yvm-run\n",
                object ? "object files" : "native executables");
        goto done;
    }
    m = yao_lower(&c);
    if (!ir_verify(m)) {
        fprintf(stderr, "yaoc: internal error: the generated IR does not verify "
                        "(a compiler bug; please report it)\n");
        goto done;
    }
    size_t len;
    char *text = ir_print_module(m, &len);
    if (!text) {
        fputs("yaoc: error: out of memory\n", stderr);
        goto done;
    }
    if (!output)
        output = out_name = default_output(input, ".yvm");
    if (output && tool_write_file(&yaoc_info, output, text, len))
        status = 0;
    free(text);
done:
    free(out_name);
    if (m)
        ir_module_free(m);
    for (uint32_t i = 0; i < c.mods.n; i++)
        if (!c.mods.v[i]->embedded)
            ir_source_release(&c.mods.v[i]->src);
    arena_free(&c.arena);
    ir_ctx_free(ctx);
    return status;
}
