/* codegen.h - the native code generator's entry points: compile a
 * verified module to an ELF object, to assembler text, or (through the
 * system C compiler as linker, with the runtime library libyvmrt.a) to an
 * executable. yvm-cc and yaoc both use this. */
#ifndef YVM_CODEGEN_H
#define YVM_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "codegen/data.h"
#include "codegen/obj.h"
#include "codegen/target.h"
#include "ir.h"

typedef struct CgOptions {
    int opt;          /* 0 or 1 */
    bool exe;         /* @main becomes __yvm_main (the runtime's main runs it) */
    const char *target; /* NULL: x86_64 */
} CgOptions;

/* Module-wide state of one compilation (targets use it). */
typedef struct CgString { char *sym; const char *bytes; uint32_t len; } CgString;

typedef struct CgModule {
    const IrModule *m;
    const Target *t;
    CgOptions opt;
    ObjWriter *obj;       /* writing an object, or */
    FILE *asm_out;        /* printing assembler text */
    DataNames names;
    char **symnames;      /* per item: its symbol */
    CgString *strs;       /* read-only strings (trap messages) */
    uint32_t nstrs, capstrs;
    bool used_check_helpers;
    char err[512];
    bool failed;
} CgModule;

/* The ELF symbol of item I. */
const char *cg_sym(const CgModule *cg, uint32_t item);
/* A new read-only NUL-terminated string; returns its local symbol. */
const char *cg_string(CgModule *cg, const char *bytes, uint32_t len);
/* Report an error (first one wins); returns false. */
bool cg_error(CgModule *cg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Compile M. OUT receives the ELF object (cg_compile_object) or GNU as
 * text (cg_compile_asm). False with a message in ERR ("cannot compile
 * ...: ...") when the module uses something the target cannot do. */
bool cg_compile_object(const IrModule *m, const CgOptions *o, FILE *out,
                       char *err, size_t errlen);
bool cg_compile_asm(const IrModule *m, const CgOptions *o, FILE *out,
                    char *err, size_t errlen);

/* Where libyvmrt.a lives: $YVM_RUNTIME_DIR, else next to the build tree
 * (EXE_PATH's directory), else the installed pkglibdir. Returns a malloc'd
 * path to the directory holding libyvmrt.a, or NULL. */
char *cg_find_runtime(const char *exe_path);

/* Compile M to an executable at OUT_PATH: object in a temporary file,
 * then `cc -no-pie obj libyvmrt.a LINK_ARGS... -lm -o OUT_PATH`. */
bool cg_build_executable(const IrModule *m, const CgOptions *o, const char *out_path,
                         const char *runtime_dir, char *const *link_args, int nlink,
                         char *err, size_t errlen);

#endif
