/* main.c - the yaoc driver: options, then parse, check and lower the
 * program and write what was asked for.
 *
 *   yaoc main.yao --emit-ir -o main.yvm     Yvm IR text (run: yvm-run)
 *   yaoc main.yao -o main                   an executable (x86-64 backend,
 *                                           linked with libyaocrt.a and
 *                                           libyvmrt.a)
 *   yaoc main.yao -c -o main.o              an ELF object
 *
 * Exit status: 0 on success, 1 when the program has errors (reported as
 * file:line:col: error: ...), 2 for usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "config.h"
#include "opt/opt.h"
#include "tool.h"
#include "tool_opt.h"
#include "yao.h"

static const ToolInfo yaoc_info = {
    .name = "yaoc",
    .usage = "[options] main.yao [module.yao...]",
    .help = "Compile a Yao program (imports are found beside it or among the further\n"
            "source files, `import NAME;` for NAME.yao; std.* is built in).\n"
            "  --emit-ir      write Yvm IR text (default output: main.yvm)\n"
            "  -o FILE        write the output to FILE ('-': standard output)\n"
            "  (default)      build a native executable (default output: main)\n"
            "  -c             compile to an ELF object file (default output: main.o)\n"
            "  -O0 -O1 -O2    optimisation level: the IR optimiser's, then the code\n"
            "                 generator's (default -O1 for native code; --emit-ir\n"
            "                 writes the IR unoptimised unless a level is given)\n"
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

/* The native object or executable: the code generator (codegen.h), then
 * `cc obj libyaocrt.a libyvmrt.a -lm`. True on success. */
static bool build_native(IrModule *m, const char *argv0, const char *output, bool object,
                         int opt)
{
    char err[600] = "";
    CgOptions co = {.opt = opt > 0 ? 1 : 0, .exe = !object};
    bool ok = false;
    if (object) {
        FILE *f = fopen(output, "wb");
        if (!f) {
            fprintf(stderr, "yaoc: error: cannot write '%s'\n", output);
            return false;
        }
        ok = cg_compile_object(m, &co, f, err, sizeof err);
        if (fclose(f) != 0 && ok) {
            snprintf(err, sizeof err, "cannot write '%s'", output);
            ok = false;
        }
        if (!ok)
            unlink(output);
    } else {
        char *rt = cg_find_runtime(argv0);
        char lib[4200];
        if (rt)
            snprintf(lib, sizeof lib, "%s/libyaocrt.a", rt);
        if (rt && access(lib, R_OK) != 0) {
            snprintf(err, sizeof err, "cannot find the Yao runtime '%s'", lib);
        } else {
            char *link[] = {lib};
            ok = cg_build_executable(m, &co, output, rt, link, 1, err, sizeof err);
        }
        free(rt);
    }
    if (!ok)
        fprintf(stderr, "yaoc: error: %s\n", err);
    return ok;
}

int main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL, *stdlib_dir = NULL;
    bool emit_ir = false, object = false, check_only = false;
    int opt = -1; /* not given */
    char **extra = calloc((size_t)argc, sizeof *extra);
    int nextra = 0;
    if (!extra)
        return 1;
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
            opt = a[2] - '0';
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--stdlib") == 0) {
            if (i + 1 >= argc) {
                free(extra);
                return tool_usage_error(&yaoc_info, "option '%s' needs a value", a);
            }
            if (a[1] == 'o')
                output = argv[++i];
            else
                stdlib_dir = argv[++i];
        } else if (strncmp(a, "-o", 2) == 0) {
            output = a + 2;
        } else if (a[0] == '-' && a[1]) {
            free(extra);
            return tool_usage_error(&yaoc_info, "unknown option '%s'", a);
        } else if (input) {
            extra[nextra++] = argv[i]; /* more modules: import NAME; */
        } else {
            input = a;
        }
    }
    if (!input) {
        free(extra);
        return tool_usage_error(&yaoc_info, "no source file given");
    }

    IrCtx *ctx = tool_ctx();
    Compiler c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.stdlib_dir = stdlib_dir;
    arena_init(&c.arena);

    int status = 1;
    IrModule *m = NULL;
    char *out_name = NULL;
    if (!module_load_main(&c, input, extra, nextra) || ctx->nerrors || c.syntax_errors)
        goto done;
    if (!yao_check(&c) || ctx->nerrors)
        goto done;
    if (check_only) {
        status = 0;
        goto done;
    }
    m = yao_lower(&c);
    if (!ir_verify(m)) {
        fprintf(stderr, "yaoc: internal error: the generated IR does not verify "
                        "(a compiler bug; please report it)\n");
        goto done;
    }
    /* The IR optimiser first (-O2 runs the code generator's -O1). */
    int level = opt >= 0 ? opt : emit_ir ? 0 : 1;
    if (level > 0 && !tool_optimise(m, level)) {
        fprintf(stderr, "yaoc: internal error: the optimiser broke the IR "
                        "(a compiler bug; please report it)\n");
        goto done;
    }
    if (!emit_ir) {
        if (!output)
            output = out_name = default_output(input, object ? ".o" : "");
        if (output && build_native(m, argv[0], output, object, level))
            status = 0;
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
    free(extra);
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
