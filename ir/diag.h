/* diag.h - located diagnostics, kept by the context.
 *
 * Every reader and the verifier report through ir_error*(); the context
 * counts errors, keeps the first message for library callers, and (when
 * asked) prints each one to a stream with the source line and a caret. */
#ifndef YVM_DIAG_H
#define YVM_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A place in text: 1-based line and column (bytes). line 0: unknown. */
typedef struct IrLoc {
    uint32_t line, col;
} IrLoc;

/* A named input buffer: a file's contents, stdin, or memory. */
typedef struct IrSource {
    const char *name;    /* file name as the user wrote it; "-" is "<stdin>" */
    const uint8_t *data;
    size_t len;
} IrSource;

typedef struct IrCtx IrCtx;

struct IrCtx {
    unsigned nerrors;
    char *first_error;   /* malloc'd first message line, without newline */
    FILE *echo;          /* when set, every diagnostic is printed here */
    unsigned max_errors; /* stop recording past this many (0: unlimited) */
};

/* file:line:col: error: msg, then the source line and a caret. */
void ir_error(IrCtx *ctx, const IrSource *src, IrLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ir_verror(IrCtx *ctx, const IrSource *src, IrLoc loc, const char *fmt,
               va_list ap);
/* file:byte N: error: msg, for binary input. */
void ir_error_at_byte(IrCtx *ctx, const IrSource *src, size_t offset,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* file: error: msg, when there is no better place. */
void ir_error_plain(IrCtx *ctx, const IrSource *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ir_ctx_clear_errors(IrCtx *ctx);

/* Read a whole file ("-" is stdin) into a malloc'd source. Returns false
 * and reports "name: error: cannot read: reason" on failure. */
bool ir_source_load(IrCtx *ctx, const char *path, IrSource *out);
void ir_source_release(IrSource *src);

#endif
