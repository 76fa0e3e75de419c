/* yvm.h - libyvm, the embedding API of the Yvm toolchain.
 *
 * Build Yvm IR modules or load them (text `.yvm` or binary `.yvmb`, from
 * a file or from memory), verify, print and write them, and run their
 * functions in the reference interpreter. IR can call the host: functions
 * registered with yvm_add_symbol() (and the C library, and libraries
 * added with yvm_add_library()) satisfy `extern func` declarations and are
 * called through libffi.
 *
 * Rules of the API:
 * - A yvm_ctx owns everything made through it (modules, the interpreter's
 *   memory); yvm_ctx_free() releases it all. There is no global state:
 *   separate contexts are independent (but one context is not meant to
 *   be used from two threads at once).
 * - No call aborts or exits the host. Each call that can fail returns a
 *   yvm_status; after a failure yvm_last_error() gives the first error
 *   message of that call, with its location when it has one
 *   ("file:line:col: error: ..."). A call that succeeds clears it.
 * - A module is verified before it runs; a module that fails to verify
 *   never runs. A trap inside IR returns YVM_TRAP and the message
 *   "trap: <reason>"; a program calling exit() returns YVM_EXIT.
 *
 * The header is self-contained: it needs only the C standard library.
 */
#ifndef YVM_H
#define YVM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define YVM_VERSION_MAJOR 0
#define YVM_VERSION_MINOR 1
const char *yvm_version(void); /* "0.1.0" */

/* ---- status ---- */

typedef enum yvm_status {
    YVM_OK = 0,
    YVM_INVALID,    /* malformed module, or it failed verification */
    YVM_IO,         /* a file could not be read or a library loaded */
    YVM_NOT_FOUND,  /* no defined function of that name */
    YVM_BAD_ARGS,   /* arguments do not match the function's signature */
    YVM_UNRESOLVED, /* an extern function has no definition anywhere */
    YVM_TRAP,       /* the program trapped: yvm_last_error() says why */
    YVM_EXIT,       /* the program called exit(): see yvm_exit_status() */
    YVM_NOMEM,
} yvm_status;

const char *yvm_status_name(yvm_status s); /* "ok", "trap", ... */

/* ---- context ---- */

typedef struct yvm_ctx yvm_ctx;
typedef struct yvm_module yvm_module;

yvm_ctx *yvm_ctx_new(void); /* NULL when out of memory */
void yvm_ctx_free(yvm_ctx *ctx);
/* The first error message of the last call that failed ("" if none). */
const char *yvm_last_error(const yvm_ctx *ctx);
/* Also print every error (with the source line and a caret) to stream;
 * NULL (the default) prints nothing. */
void yvm_set_diagnostics(yvm_ctx *ctx, FILE *stream);
/* The call-depth limit: deeper recursion traps with "stack overflow".
 * Default 1000000. */
yvm_status yvm_set_max_depth(yvm_ctx *ctx, uint32_t depth);
/* The status passed to exit() by the last run that returned YVM_EXIT. */
int yvm_exit_status(const yvm_ctx *ctx);

/* ---- host functions and libraries ---- */

typedef void (*yvm_host_fn)(void);
/* Make `fn` the definition of `extern func @name` for modules of this
 * context (before the C library). Cast any C function: its real
 * signature must be the one the IR declares. */
yvm_status yvm_add_symbol(yvm_ctx *ctx, const char *name, yvm_host_fn fn);
/* Search directory for yvm_add_library (like -L). */
yvm_status yvm_add_library_dir(yvm_ctx *ctx, const char *dir);
/* Load libNAME.so from the directories added so far, then the system's
 * (like -l); a name with a '/' is opened as a path. */
yvm_status yvm_add_library(yvm_ctx *ctx, const char *name);
/* Let IR access host memory [p, p+n) through pointers passed to it (it is
 * otherwise the C world's, which only `unsafe` functions may touch). */
yvm_status yvm_register_memory(yvm_ctx *ctx, void *p, size_t n, int writable);
yvm_status yvm_unregister_memory(yvm_ctx *ctx, void *p);

/* ---- modules ---- */

/* Read (text or binary, by magic) and verify. *out is NULL on failure. */
yvm_status yvm_load_file(yvm_ctx *ctx, const char *path, yvm_module **out);
/* `name` is used in error messages; the bytes are copied. */
yvm_status yvm_load_memory(yvm_ctx *ctx, const char *name, const void *data,
                           size_t len, yvm_module **out);
/* An empty module to build into (name may be NULL). */
yvm_module *yvm_module_new(yvm_ctx *ctx, const char *name);
/* Optional: the context frees its modules too. */
void yvm_module_free(yvm_module *m);
yvm_status yvm_verify(yvm_module *m);
/* Canonical text / binary form, in a buffer to release with yvm_free. */
yvm_status yvm_print(yvm_module *m, char **text, size_t *len);
yvm_status yvm_write_binary(yvm_module *m, void **bytes, size_t *len);
void yvm_free(void *p);

/* ---- running ---- */

typedef enum yvm_type {
    YVM_VOID, YVM_I1, YVM_I8, YVM_I16, YVM_I32, YVM_I64, YVM_F32, YVM_F64, YVM_PTR,
} yvm_type;

/* An argument or result. Integers: `i` holds the bits (arguments are
 * truncated to the type; results come zero-extended, so cast them:
 * (int32_t)r.as.i). */
typedef struct yvm_value {
    yvm_type type;
    union {
        uint64_t i;
        float f32;
        double f64;
        void *ptr;
    } as;
} yvm_value;

static inline yvm_value yvm_int(yvm_type t, uint64_t bits)
{
    yvm_value v;
    v.type = t;
    v.as.i = bits;
    return v;
}
static inline yvm_value yvm_f32(float f)
{
    yvm_value v;
    v.type = YVM_F32;
    v.as.i = 0;
    v.as.f32 = f;
    return v;
}
static inline yvm_value yvm_f64(double f)
{
    yvm_value v;
    v.type = YVM_F64;
    v.as.f64 = f;
    return v;
}
static inline yvm_value yvm_ptr(void *p)
{
    yvm_value v;
    v.type = YVM_PTR;
    v.as.ptr = p;
    return v;
}

/* Run the defined function @func with arguments of exactly its parameter
 * types; *result (may be NULL) gets the return value (type YVM_VOID for
 * none). Globals keep their values from one run to the next. */
yvm_status yvm_run(yvm_module *m, const char *func, const yvm_value *args,
                   size_t nargs, yvm_value *result);
/* Run @main with argv (argc strings) as a program: *exit_status is main's
 * return value & 0xff, or the exit() status. */
yvm_status yvm_run_main(yvm_module *m, int argc, char *const *argv, int *exit_status);

/* ---- building (mirrors the text form; the verifier checks the result) ---- */

typedef struct yvm_func yvm_func;   /* a function of a module */
typedef struct yvm_block yvm_block; /* a block of a function */
typedef struct yvm_data yvm_data;   /* a data or global item */

#define YVM_NONE UINT32_MAX /* "no value" */

/* Opcodes, in the order of the IR's opcode table. */
typedef enum yvm_opcode {
    YVM_OP_ADD, YVM_OP_SUB, YVM_OP_MUL, YVM_OP_SDIV, YVM_OP_UDIV, YVM_OP_SREM,
    YVM_OP_UREM, YVM_OP_AND, YVM_OP_OR, YVM_OP_XOR, YVM_OP_SHL, YVM_OP_LSHR,
    YVM_OP_ASHR, YVM_OP_ADDC, YVM_OP_SUBC, YVM_OP_MULC, YVM_OP_ADDCU,
    YVM_OP_SUBCU, YVM_OP_MULCU, YVM_OP_ICMP, YVM_OP_SELECT, YVM_OP_FADD,
    YVM_OP_FSUB, YVM_OP_FMUL, YVM_OP_FDIV, YVM_OP_FNEG, YVM_OP_FSQRT,
    YVM_OP_FCMP, YVM_OP_ZEXT, YVM_OP_SEXT, YVM_OP_TRUNC, YVM_OP_SITOFP,
    YVM_OP_UITOFP, YVM_OP_FPTOSI, YVM_OP_FPTOUI, YVM_OP_FPEXT, YVM_OP_FPTRUNC,
    YVM_OP_BITCAST, YVM_OP_PTRTOINT, YVM_OP_INTTOPTR, YVM_OP_ALLOCA,
    YVM_OP_LOAD, YVM_OP_STORE, YVM_OP_PTRADD, YVM_OP_MEMCPY, YVM_OP_MEMSET,
    YVM_OP_CALL, YVM_OP_CALLIND, YVM_OP_BR, YVM_OP_CONDBR, YVM_OP_SWITCH,
    YVM_OP_RET, YVM_OP_TRAP,
} yvm_opcode;

typedef enum yvm_icond {
    YVM_ICMP_EQ, YVM_ICMP_NE, YVM_ICMP_SLT, YVM_ICMP_SLE, YVM_ICMP_SGT,
    YVM_ICMP_SGE, YVM_ICMP_ULT, YVM_ICMP_ULE, YVM_ICMP_UGT, YVM_ICMP_UGE,
} yvm_icond;

typedef enum yvm_fcond {
    YVM_FCMP_OEQ, YVM_FCMP_ONE, YVM_FCMP_OLT, YVM_FCMP_OLE, YVM_FCMP_OGT,
    YVM_FCMP_OGE, YVM_FCMP_ORD, YVM_FCMP_UNO, YVM_FCMP_UEQ, YVM_FCMP_UNE,
    YVM_FCMP_ULT, YVM_FCMP_ULE, YVM_FCMP_UGT, YVM_FCMP_UGE,
} yvm_fcond;

enum {
    YVM_ATTR_EXPORT = 1u << 0,
    YVM_ATTR_UNSAFE = 1u << 1,
    YVM_ATTR_CT = 1u << 2,
    YVM_ATTR_NOINLINE = 1u << 3,
};

/* An operand: a value, a symbol's address, or a constant. */
typedef struct yvm_operand {
    uint8_t kind; /* 0 value, 1 symbol, 2 constant */
    uint8_t type; /* yvm_type */
    uint32_t index;
    uint64_t bits;
} yvm_operand;

yvm_operand yvm_op_value(const yvm_func *f, uint32_t value);
yvm_operand yvm_op_int(yvm_type t, uint64_t bits);
yvm_operand yvm_op_f32(float v);
yvm_operand yvm_op_f64(double v);
/* The address of an item declared before (an error for the verifier
 * otherwise). */
yvm_operand yvm_op_symbol(const yvm_module *m, const char *name);

/* A branch destination with its block arguments. */
typedef struct yvm_target {
    yvm_block *block;
    uint32_t nargs;
    const yvm_operand *args;
} yvm_target;

yvm_func *yvm_func_new(yvm_module *m, const char *name, yvm_type ret, unsigned attrs);
yvm_func *yvm_extern_new(yvm_module *m, const char *name, yvm_type ret,
                         uint32_t nparams, const yvm_type *ptypes, int variadic);
uint32_t yvm_func_param(yvm_module *m, yvm_func *f, yvm_type t, const char *name);
yvm_block *yvm_block_new(yvm_module *m, yvm_func *f, const char *name);
uint32_t yvm_block_param(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t,
                         const char *name);

yvm_data *yvm_data_new(yvm_module *m, const char *name, int is_global);
void yvm_data_bytes(yvm_module *m, yvm_data *d, const void *bytes, uint64_t len);
void yvm_data_const(yvm_module *m, yvm_data *d, yvm_type t, uint64_t bits);
void yvm_data_symbol(yvm_module *m, yvm_data *d, const char *name);
void yvm_data_zero(yvm_module *m, yvm_data *d, uint64_t n);

/* Instructions append to block b and return the result's value number
 * (YVM_NONE when there is none); `name` may be NULL. */
uint32_t yvm_binary(yvm_module *m, yvm_func *f, yvm_block *b, yvm_opcode op,
                    yvm_type t, yvm_operand x, yvm_operand y, const char *name);
uint32_t yvm_unary(yvm_module *m, yvm_func *f, yvm_block *b, yvm_opcode op,
                   yvm_type t, yvm_operand x, const char *name);
uint32_t yvm_icmp(yvm_module *m, yvm_func *f, yvm_block *b, yvm_icond c, yvm_type t,
                  yvm_operand x, yvm_operand y, const char *name);
uint32_t yvm_fcmp(yvm_module *m, yvm_func *f, yvm_block *b, yvm_fcond c, yvm_type t,
                  yvm_operand x, yvm_operand y, const char *name);
uint32_t yvm_select(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t,
                    yvm_operand cond, yvm_operand x, yvm_operand y, const char *name);
uint32_t yvm_conv(yvm_module *m, yvm_func *f, yvm_block *b, yvm_opcode op,
                  yvm_type from, yvm_operand x, yvm_type to, const char *name);
uint32_t yvm_alloca(yvm_module *m, yvm_func *f, yvm_block *b, uint64_t size,
                    uint64_t align, const char *name);
uint32_t yvm_load(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t, yvm_operand p,
                  const char *name);
void yvm_store(yvm_module *m, yvm_block *b, yvm_type t, yvm_operand v, yvm_operand p);
uint32_t yvm_ptradd(yvm_module *m, yvm_func *f, yvm_block *b, yvm_operand p,
                    yvm_operand off, const char *name);
void yvm_memcpy(yvm_module *m, yvm_block *b, yvm_operand dst, yvm_operand src,
                yvm_operand n);
void yvm_memset(yvm_module *m, yvm_block *b, yvm_operand dst, yvm_operand byte,
                yvm_operand n);
/* Direct call of a function declared before. */
uint32_t yvm_call(yvm_module *m, yvm_func *f, yvm_block *b, const char *callee,
                  uint32_t nargs, const yvm_operand *args, const char *name);
uint32_t yvm_call_ind(yvm_module *m, yvm_func *f, yvm_block *b, yvm_operand fp,
                      uint32_t nargs, const yvm_operand *args, yvm_type ret,
                      const char *name);
void yvm_br(yvm_module *m, yvm_func *f, yvm_block *b, yvm_target to);
void yvm_condbr(yvm_module *m, yvm_func *f, yvm_block *b, yvm_operand cond,
                yvm_target then, yvm_target otherwise);
void yvm_switch(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t, yvm_operand v,
                yvm_target dflt, uint32_t ncases, const uint64_t *keys,
                const yvm_target *cases);
void yvm_ret(yvm_module *m, yvm_block *b, const yvm_operand *v); /* NULL: ret */
void yvm_trap(yvm_module *m, yvm_block *b, const char *reason);

#ifdef __cplusplus
}
#endif

#endif
