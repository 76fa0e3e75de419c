/* diag.c - formatting and recording of located errors (see diag.h). */
#include "diag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *display_name(const IrSource *src)
{
    if (!src || !src->name)
        return "<input>";
    return strcmp(src->name, "-") == 0 ? "<stdin>" : src->name;
}

/* Record one message; `head` is "file:...: error: ". */
static void record(IrCtx *ctx, const char *head, const char *msg,
                   const IrSource *src, IrLoc loc)
{
    ctx->nerrors++;
    if (!ctx->first_error) {
        size_t n = strlen(head) + strlen(msg) + 1;
        ctx->first_error = malloc(n);
        if (ctx->first_error)
            snprintf(ctx->first_error, n, "%s%s", head, msg);
    }
    if (!ctx->echo || (ctx->max_errors && ctx->nerrors > ctx->max_errors))
        return;
    fprintf(ctx->echo, "%s%s\n", head, msg);
    if (!src || !src->data || loc.line == 0)
        return;
    /* Find the line, print it and a caret under the column. */
    const char *p = (const char *)src->data, *end = p + src->len;
    for (uint32_t l = 1; l < loc.line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *e = p;
    while (e < end && *e != '\n')
        e++;
    fprintf(ctx->echo, "  %.*s\n  ", (int)(e - p), p);
    for (uint32_t c = 1; c < loc.col && p + c - 1 < e; c++)
        fputc(p[c - 1] == '\t' ? '\t' : ' ', ctx->echo);
    fputs("^\n", ctx->echo);
}

void ir_verror(IrCtx *ctx, const IrSource *src, IrLoc loc, const char *fmt,
               va_list ap)
{
    char msg[1024], head[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (loc.line)
        snprintf(head, sizeof head, "%s:%u:%u: error: ", display_name(src),
                 (unsigned)loc.line, (unsigned)loc.col);
    else
        snprintf(head, sizeof head, "%s: error: ", display_name(src));
    record(ctx, head, msg, src, loc);
}

void ir_error(IrCtx *ctx, const IrSource *src, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ir_verror(ctx, src, loc, fmt, ap);
    va_end(ap);
}

void ir_error_at_byte(IrCtx *ctx, const IrSource *src, size_t offset,
                      const char *fmt, ...)
{
    char msg[1024], head[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(head, sizeof head, "%s:byte %zu: error: ", display_name(src), offset);
    record(ctx, head, msg, NULL, (IrLoc){0, 0});
}

void ir_error_plain(IrCtx *ctx, const IrSource *src, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ir_verror(ctx, src, (IrLoc){0, 0}, fmt, ap);
    va_end(ap);
}

void ir_ctx_clear_errors(IrCtx *ctx)
{
    free(ctx->first_error);
    ctx->first_error = NULL;
    ctx->nerrors = 0;
}

bool ir_source_load(IrCtx *ctx, const char *path, IrSource *out)
{
    memset(out, 0, sizeof *out);
    out->name = path;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        ir_error_plain(ctx, out, "cannot open: %s", strerror(errno));
        return false;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap + 1);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += n;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    const char *why = !buf ? "out of memory" : ferror(f) ? strerror(errno) : NULL;
    if (f != stdin)
        fclose(f);
    if (why) {
        free(buf);
        ir_error_plain(ctx, out, "cannot read: %s", why);
        return false;
    }
    buf[len] = 0; /* a terminator for lexers; not part of len */
    out->data = buf;
    out->len = len;
    return true;
}

void ir_source_release(IrSource *src)
{
    free((void *)src->data);
    src->data = NULL;
    src->len = 0;
}
