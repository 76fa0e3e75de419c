/* tool.h - what every yvm-* command shares: option conventions
 * (--help, --version, exit 2 on usage errors), reading a module in either
 * form, and writing output files ("-" is stdout). */
#ifndef YVM_TOOL_H
#define YVM_TOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "ir.h"

enum { EXIT_INPUT_ERROR = 1, EXIT_USAGE = 2 };

typedef struct ToolInfo {
    const char *name;  /* "yvm-as" */
    const char *usage; /* "in.yvm -o out.yvmb" */
    const char *help;  /* the rest of --help, options one per line */
} ToolInfo;

/* Handles --help and --version (prints, exits 0); true if argv[i] was one. */
bool tool_std_option(const ToolInfo *t, const char *arg);
/* Prints "name: error: ..." and a hint to stderr; returns EXIT_USAGE. */
int tool_usage_error(const ToolInfo *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A context that echoes diagnostics to stderr. */
IrCtx *tool_ctx(void);
/* Load `path` ("-": stdin), read it as text or binary by its magic, and
 * verify it. NULL after printing errors. `src` keeps the bytes alive
 * (release with ir_source_release after the module is freed). */
IrModule *tool_read_module(IrCtx *ctx, const char *path, IrSource *src);
/* Write bytes to `path` ("-": stdout); false after printing an error. */
bool tool_write_file(const ToolInfo *t, const char *path, const void *buf, size_t len);

#endif
