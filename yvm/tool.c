/* tool.c - shared command-line conventions of the yvm-* tools. */
#include "tool.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

bool tool_std_option(const ToolInfo *t, const char *arg)
{
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        printf("usage: %s %s\n%s", t->name, t->usage, t->help);
        printf("  --help       print this help and exit\n"
               "  --version    print the version and exit\n");
        exit(0);
    }
    if (strcmp(arg, "--version") == 0) {
        printf("%s (yvm) %s\n", t->name, PACKAGE_VERSION);
        exit(0);
    }
    return false;
}

int tool_usage_error(const ToolInfo *t, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", t->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s %s\nTry '%s --help' for more.\n", t->name, t->usage,
            t->name);
    return EXIT_USAGE;
}

IrCtx *tool_ctx(void)
{
    IrCtx *ctx = ir_ctx_new();
    if (!ctx) {
        fputs("yvm: out of memory\n", stderr);
        exit(EXIT_INPUT_ERROR);
    }
    ctx->echo = stderr;
    ctx->max_errors = 50;
    return ctx;
}

IrModule *tool_read_module(IrCtx *ctx, const char *path, IrSource *src)
{
    if (!ir_source_load(ctx, path, src))
        return NULL;
    return ir_read(ctx, src);
}

bool tool_write_file(const ToolInfo *t, const char *path, const void *buf, size_t len)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "%s: error: cannot open %s: %s\n", t->name, path, strerror(errno));
        return false;
    }
    bool ok = fwrite(buf, 1, len, f) == len;
    ok = (to_stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok)
        fprintf(stderr, "%s: error: cannot write %s: %s\n", t->name, path, strerror(errno));
    return ok;
}
