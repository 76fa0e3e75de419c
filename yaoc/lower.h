/* lower.h - what the parts of the lowering share (lower.c: functions,
 * statements, the program; lower_expr.c: expressions and checks).
 *
 * Values. A Yao value is carried by 0, 1 or 2 IR operands (Val):
 *   scalars (integers, bool as i1, floats)   one operand
 *   str, slices, heap arrays                 (ptr, i64 length)
 *   structs and fixed arrays                 a ptr to their memory
 * Scalars, strings and slices held in variables are SSA values (ssa.c);
 * structs and arrays live in frame memory (allocas, all in the entry
 * block) and are copied on assignment, binding and passing by value.
 *
 * Calls. A Yao function `fn f(a: A, s: str) -> R` becomes
 *   func @<module>.f([ptr %ret,] <A's operands>, ptr %s, i64 %s.len) -> R'
 * where results that are not one scalar (str, slices, structs, arrays)
 * and the payload of an error union `!T` are written through the hidden
 * first parameter; an error union returns its error code as i32 (0: no
 * error). Structs and arrays are passed as a pointer to a copy the
 * caller owns. */
#ifndef YAO_LOWER_H
#define YAO_LOWER_H

#include "ssa.h"
#include "yao.h"

typedef struct Val {
    uint8_t n;
    bool fresh;          /* aggregates: a temporary nobody else sees */
    IrOperand v[2];
} Val;

/* Runtime and C library functions, declared on first use. */
typedef enum Ext {
    X_MALLOC, X_CALLOC, X_FREE, X_STRLEN, X_WRITE, X_STR_EQ, X_READ_ALL,
    X_BUF_NEW, X_BUF_LEN, X_BUF_FAILED, X_BUF_FINISH, X_BUF_FREE, X_BUF_WRITE,
    X_FMT_STR, X_FMT_BOOL, X_FMT_INT, X_FMT_FLOAT, X_PARSE_I64, X_PARSE_F64,
    X_SH_NEW, X_SH_WORD, X_SH_OP, X_SH_RUN, X_SH_OUT_LEN, X_SH_OUT_COPY, X_SH_FREE,
    X_NONNULL, X_COUNT
} Ext;

typedef struct LoopCtx {
    SsaBlock *brk, *cont;
    uint32_t heaps;      /* heap arrays live outside the loop */
} LoopCtx;

typedef struct TrapSite {
    const char *reason;
    IrLoc loc;
    SsaBlock *block;
} TrapSite;

typedef struct StrLit {
    const uint8_t *bytes;
    uint32_t n;
    uint32_t item;
} StrLit;

typedef struct Lower {
    Compiler *c;
    IrModule *m;
    /* the function being lowered */
    FnDecl *fn;
    Module *mod;
    IrFunc *f;
    Ssa ssa;
    SsaBlock *cur, *entry;
    IrOperand out;       /* the hidden result pointer */
    bool has_out;
    VEC(Local *) heaps;  /* heap arrays in scope, innermost last */
    VEC(uint32_t) scopes;/* heaps.n at each scope entry */
    VEC(LoopCtx) loops;
    VEC(TrapSite) traps;
    VEC(uint32_t) temps; /* interpolated strings to free after a call */
    uint32_t nlabels;
    /* the module */
    uint32_t ext[X_COUNT];
    VEC(StrLit) strs;
} Lower;

/* lower.c */
IrOperand V(Lower *L, uint32_t v);
IrOperand I64(int64_t v);
IrOperand I32(int32_t v);
uint32_t ext_item(Lower *L, Ext x);
IrOperand call_ext(Lower *L, Ext x, uint32_t n, const IrOperand *args);
SsaBlock *new_block(Lower *L, const char *what);
void jump(Lower *L, SsaBlock *to);
void dead_block(Lower *L);
IrOperand tmp_alloca(Lower *L, uint64_t size, uint64_t align, const char *name);
Val str_literal(Lower *L, const uint8_t *bytes, uint32_t n);
void emit_frees(Lower *L, uint32_t down_to);
bool ret_in_memory(const Type *t);
/* The one way every run-time check is emitted: trap with
 * "<reason> at <file>:<line>:<col>" when `fail` (an i1) is true. */
void check_trap(Lower *L, IrOperand fail, const char *reason, IrLoc loc);

/* lower_expr.c */
Val lower_expr(Lower *L, Expr *e);
Val load_val(Lower *L, const Type *t, IrOperand p);
void store_val(Lower *L, const Type *t, Val v, IrOperand p);
Val copy_agg(Lower *L, const Type *t, Val v);
IrOperand addr_of(Lower *L, Expr *e);  /* a field or element's address */
IrOperand binop(Lower *L, Op op, const Type *t, IrOperand a, IrOperand b, IrLoc loc);
IrOperand shift(Lower *L, Op op, const Type *lt, IrOperand a, const Type *rt,
                IrOperand b, IrLoc loc);
IrOperand to_i64(Lower *L, const Type *t, IrOperand v);
/* An error-union expression: the error code (i32, 0 = none) and where
 * the payload was written (into `slot` when given). */
typedef struct ErrVal {
    IrOperand code;
    IrOperand slot;
} ErrVal;
ErrVal lower_errunion(Lower *L, Expr *e, const IrOperand *slot);
Val lower_shell(Lower *L, Expr *e, bool capture);
void free_temps(Lower *L, uint32_t mark);

#endif
