/* yvm-run.c - run a program's @main in the reference interpreter.
 *
 *   yvm-run [options] prog.yvm|prog.yvmb [args...]
 *
 * A thin client of libyvm (yvm.h): load and verify, resolve externs from
 * the C library and -l libraries, run @main with argv, and exit with its
 * status. A trap prints `trap: <reason>` on stderr (after flushing
 * stdout) and exits 134; input errors exit 1, usage errors 2.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "yvm.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_TRAP = 134 };

static const char usage_line[] = "[options] prog.yvm|prog.yvmb [args...]";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("yvm-run: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: yvm-run %s\nTry 'yvm-run --help' for more.\n", usage_line);
    return EXIT_USAGE;
}

static void help(void)
{
    printf("usage: yvm-run %s\n"
           "Run @main of a Yvm module (text or binary) in the reference interpreter.\n"
           "Options come before the program; what follows it is the program's argv.\n"
           "  -l NAME          resolve extern functions from libNAME.so too\n"
           "  -L DIR           search DIR for -l libraries first\n"
           "  --max-depth N    trap with 'stack overflow' beyond N nested calls\n"
           "                   (default 1000000)\n"
           "  --help           print this help and exit\n"
           "  --version        print the version and exit\n"
           "Exit status: main's return value & 0xff; 134 after a trap (printed as\n"
           "'trap: <reason>' on stderr); 1 for input errors; 2 for usage errors.\n",
           usage_line);
}

/* The value of an option given as "-lNAME" or "-l NAME". */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n])
        return argv[*i] + n + (argv[*i][n] == '=');
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

int main(int argc, char **argv)
{
    const char **libs = calloc((size_t)argc, sizeof *libs);
    const char **dirs = calloc((size_t)argc, sizeof *dirs);
    int nlibs = 0, ndirs = 0, i = 1, status = EXIT_INPUT;
    unsigned long depth = 0;
    if (!libs || !dirs) {
        fputs("yvm-run: error: out of memory\n", stderr);
        free(libs);
        free(dirs);
        return EXIT_INPUT;
    }
    for (; i < argc; i++) {
        const char *a = argv[i], *v;
        if (a[0] != '-' || strcmp(a, "-") == 0)
            break;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help();
            status = 0;
            goto out;
        }
        if (strcmp(a, "--version") == 0) {
            printf("yvm-run (yvm) %s\n", PACKAGE_VERSION);
            status = 0;
            goto out;
        }
        if (strncmp(a, "-l", 2) == 0 || strncmp(a, "-L", 2) == 0) {
            if (!(v = opt_value(argc, argv, &i, a[1] == 'l' ? "-l" : "-L")) || !*v) {
                status = usage_error("option '%s' needs a value", a);
                goto out;
            }
            if (a[1] == 'l')
                libs[nlibs++] = v;
            else
                dirs[ndirs++] = v;
            continue;
        }
        if (strncmp(a, "--max-depth", 11) == 0 && (a[11] == 0 || a[11] == '=')) {
            char *end;
            if (!(v = opt_value(argc, argv, &i, "--max-depth"))) {
                status = usage_error("option '%s' needs a value", a);
                goto out;
            }
            errno = 0;
            depth = strtoul(v, &end, 10);
            if (errno || *end || !*v || depth == 0 || depth > UINT32_MAX || v[0] == '-') {
                status = usage_error("bad call-depth limit '%s'", v);
                goto out;
            }
            continue;
        }
        status = usage_error("unknown option '%s'", a);
        goto out;
    }
    if (i >= argc) {
        status = usage_error("%s", "no program given");
        goto out;
    }

    yvm_ctx *ctx = yvm_ctx_new();
    if (!ctx) {
        fputs("yvm-run: error: out of memory\n", stderr);
        goto out;
    }
    yvm_set_diagnostics(ctx, stderr);
    yvm_module *m = NULL;
    bool ok = !depth || yvm_set_max_depth(ctx, (uint32_t)depth) == YVM_OK;
    for (int k = 0; ok && k < ndirs; k++)
        ok = yvm_add_library_dir(ctx, dirs[k]) == YVM_OK;
    for (int k = 0; ok && k < nlibs; k++)
        ok = yvm_add_library(ctx, libs[k]) == YVM_OK;
    if (ok && yvm_load_file(ctx, argv[i], &m) == YVM_OK) {
        int code = 0;
        yvm_status st = yvm_run_main(m, argc - i, argv + i, &code);
        fflush(stdout); /* the program's C stdio output comes first */
        if (st == YVM_OK) {
            status = code;
        } else if (st == YVM_TRAP) {
            fprintf(stderr, "%s\n", yvm_last_error(ctx));
            status = EXIT_TRAP;
        }
    }
    yvm_ctx_free(ctx);
out:
    free(libs);
    free(dirs);
    return status;
}
