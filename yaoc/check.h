/* check.h - what the parts of the checker share (check.c: declarations
 * and statements; check_expr.c: expressions, constants, lifetimes). */
#ifndef YAO_CHECK_H
#define YAO_CHECK_H

#include "yao.h"

typedef struct ScopeEntry {
    const char *name;
    Sym sym;
} ScopeEntry;

/* A type's name for a message, in one of the checker's four buffers
 * (kept out of the recursive functions' frames). */
typedef struct TypeNames {
    char buf[4][160];
} TypeNames;
#define TN(unused, i, t) type_name((t), k->tn.buf[i], sizeof k->tn.buf[i])

typedef struct Checker {
    Compiler *c;
    Module *m;          /* the module whose source is being checked */
    FnDecl *fn;         /* the function whose body is being checked */
    VEC(ScopeEntry) scope;
    VEC(uint32_t) marks;
    unsigned depth;     /* 1: parameters, 2: the body, deeper blocks more */
    unsigned loops;     /* enclosing loops */
    bool alloc_ok;      /* the next expression may be `alloc [T; n]` */
    unsigned expr_depth;/* nesting of check_expr, bounded (MAX_EXPR_DEPTH) */
    TypeNames tn;       /* for TN() */
    bool too_deep;      /* reported once */
} Checker;

/* Deeper expressions are rejected: the checker and the lowering recurse
 * on expressions, and a left-leaning chain such as 1 + 1 + ... + 1
 * costs lemon no stack at all. */
#define MAX_EXPR_DEPTH 1000

/* The largest array or struct, in bytes. */
#define MAX_OBJECT_SIZE (UINT64_C(1) << 31)

#define ERR(k, loc, ...) yao_error((k)->c, (k)->m, (loc), __VA_ARGS__)


/* check.c */
Sym lookup(Checker *k, const char *name);
/* ", did you mean 'x'?" or "" for an unknown name (scope, module, types). */
const char *suggest_name(Checker *k, const char *name, char *buf, size_t n);
const char *suggest_in(SymTab *t, const char *name, char *buf, size_t n);
Type *resolve_type(Checker *k, TypeExpr *te);
void resolve_struct(Checker *k, StructDecl *sd);
void resolve_sig(Checker *k, FnDecl *fn);
void check_const(Checker *k, ConstDecl *cd);
bool has_borrows(const Type *t);

/* check_expr.c */
Type *check_expr(Checker *k, Expr *e, Type *want);
/* An array, slice or heap array to index, slice, measure or loop over:
 * the one place a heap array's name may stand alone. */
Type *check_obj(Checker *k, Expr *e);
/* Make e's value of type want: untyped constants take the type (range
 * checked), []mut T becomes []T; anything else must match. */
bool coerce(Checker *k, Expr *e, Type *want);
/* Untyped constants take their default type (i64, f64). */
Type *finalize(Checker *k, Expr *e);
bool const_fits(const Type *t, __int128 v);

typedef struct Place {
    bool is_place;
    bool writable;
    Local *root;        /* the variable the place is in, if any */
    unsigned home;      /* region that values stored here must not exceed */
    const char *why;    /* why not writable */
} Place;
Place analyze_place(Checker *k, Expr *e);

/* Interpolated pieces and shell words. */
void check_parts(Checker *k, StrParts *parts);

#endif
