/* yvm-cc.c - the native compiler driver:
 *
 *     yvm-cc IN [-o OUT] [-c | -S] [-O0 | -O1 | -O2] [-l LIB] [-L DIR]
 *
 * IN (.yvm text or .yvmb binary) is read and verified, then compiled for
 * x86-64: with -S to GNU assembler text, with -c to an ELF object (names
 * kept; exported functions are global symbols), else to an executable
 * (the module's @main runs under the runtime's main; linked with the
 * system `cc`, libyvmrt.a and -lm, plus -l/-L). Verifier errors are the
 * verifier's located messages (exit 1); constructs the backend cannot
 * compile give `IN: error: ...` (exit 1); usage errors exit 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/codegen.h"
#include "opt/opt.h"
#include "tool.h"
#include "tool_opt.h"

static const ToolInfo info = {
    "yvm-cc", "IN [-o OUT] [-c | -S] [-O0 | -O1 | -O2] [-l LIB] [-L DIR]",
    "Compile a Yvm IR module (text or binary) to native x86-64 code.\n"
    "  -o OUT    output file (default: a.out, IN.o with -c, IN.s with -S;\n"
    "            '-' is stdout for -S)\n"
    "  -c        write an ELF object (link it with C; exported functions\n"
    "            are global symbols)\n"
    "  -S        write GNU assembler text\n"
    "  -O0, -O1  code generator level (default -O1)\n"
    "  -O2       the IR optimiser's -O2 (yvm-opt) first, then -O1\n"
    "  -l LIB, -L DIR  passed to the linker\n"
    "Executables link libyvmrt.a found through $YVM_RUNTIME_DIR, next to\n"
    "yvm-cc in a build tree, or in the installed library directory.\n",
};

static char *derive(const char *in, const char *ext)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    char *s = malloc(n + strlen(ext) + 1);
    if (!s)
        exit(1);
    memcpy(s, base, n);
    strcpy(s + n, ext);
    return s;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *outp = NULL;
    bool obj = false, asm_text = false, options = true;
    int opt = 1;
    char **link = calloc((size_t)argc * 2 + 1, sizeof *link);
    int nlink = 0;
    if (!link)
        return 1;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (options && a[0] == '-' && a[1]) {
            if (tool_std_option(&info, a))
                continue;
            if (strcmp(a, "--") == 0) {
                options = false;
            } else if (strcmp(a, "-o") == 0) {
                if (i + 1 >= argc) {
                    status = tool_usage_error(&info, "'-o' needs a file name");
                    goto done;
                }
                outp = argv[++i];
            } else if (strcmp(a, "-c") == 0) {
                obj = true;
            } else if (strcmp(a, "-S") == 0) {
                asm_text = true;
            } else if (strcmp(a, "-O0") == 0) {
                opt = 0;
            } else if (strcmp(a, "-O1") == 0 || strcmp(a, "-O") == 0) {
                opt = 1;
            } else if (strcmp(a, "-O2") == 0) {
                opt = 2;
            } else if ((a[1] == 'l' || a[1] == 'L')) {
                if (a[2]) {
                    link[nlink++] = a;
                } else if (i + 1 < argc) {
                    link[nlink++] = a;
                    link[nlink++] = argv[++i];
                } else {
                    status = tool_usage_error(&info, "'%s' needs an argument", a);
                    goto done;
                }
            } else {
                status = tool_usage_error(&info, "unknown option '%s'", a);
                goto done;
            }
            continue;
        }
        if (in) {
            status = tool_usage_error(&info, "more than one input file");
            goto done;
        }
        in = a;
    }
    if (!in) {
        status = tool_usage_error(&info, "no input file");
        goto done;
    }
    if (obj && asm_text) {
        status = tool_usage_error(&info, "'-c' and '-S' exclude each other");
        goto done;
    }

    IrCtx *ctx = tool_ctx();
    IrSource src;
    IrModule *m = tool_read_module(ctx, in, &src);
    if (!m) {
        status = EXIT_INPUT_ERROR;
    } else if (opt >= 2 && !tool_optimise(m, 2)) {
        fprintf(stderr, "yvm-cc: internal error: the optimiser broke the module\n");
        status = EXIT_INPUT_ERROR;
    } else {
        CgOptions co = {.opt = opt > 0, .exe = false};
        char err[600] = "";
        bool ok;
        char *owned = NULL;
        if (obj || asm_text) {
            const char *path = outp ? outp : (owned = derive(in, obj ? ".o" : ".s"));
            FILE *f = strcmp(path, "-") == 0 && asm_text ? stdout : fopen(path, obj ? "wb" : "w");
            if (!f) {
                fprintf(stderr, "yvm-cc: error: cannot open '%s': %s\n", path, strerror(errno));
                status = EXIT_INPUT_ERROR;
            } else {
                ok = obj ? cg_compile_object(m, &co, f, err, sizeof err)
                         : cg_compile_asm(m, &co, f, err, sizeof err);
                if (f != stdout && fclose(f) != 0 && ok) {
                    snprintf(err, sizeof err, "cannot write '%s'", path);
                    ok = false;
                }
                if (!ok) {
                    fprintf(stderr, "%s: error: %s\n", in, err);
                    if (f != stdout)
                        remove(path);
                    status = EXIT_INPUT_ERROR;
                }
            }
        } else {
            char *rt = cg_find_runtime(argv[0]);
            ok = cg_build_executable(m, &co, outp ? outp : "a.out", rt, link, nlink, err,
                                     sizeof err);
            free(rt);
            if (!ok) {
                fprintf(stderr, "%s: error: %s\n", in, err);
                status = EXIT_INPUT_ERROR;
            }
        }
        free(owned);
    }
    ir_module_free(m);
    ir_source_release(&src);
    ir_ctx_free(ctx);
done:
    free(link);
    return status;
}
