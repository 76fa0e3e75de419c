/* yao.h - what the parts of the Yao front end share: tokens, the typed
 * AST, types, modules and the compiler context.
 *
 * Pipeline (docs/yao.md, "Implementation"):
 *   lexer.re   bytes -> tokens (modes for strings, interpolation, shell)
 *   parse.c    feeds tokens to the lemon grammar (parser.y) -> AST
 *   module.c   files and imports -> modules
 *   check.c    name resolution, types, mutability, lifetimes -> typed AST
 *   lower.c    typed AST -> Yvm IR through the builder, SSA built on the
 *              fly by ssa.c (Braun et al.), checks through one function
 *
 * Memory: every node, name and list lives in the compiler's arena
 * (Compiler.arena) and is released at once; nothing is freed per node.
 */
#ifndef YAO_H
#define YAO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

typedef struct Compiler Compiler;
typedef struct Module Module;
typedef struct Type Type;
typedef struct Expr Expr;
typedef struct Stmt Stmt;
typedef struct FnDecl FnDecl;
typedef struct StructDecl StructDecl;
typedef struct ConstDecl ConstDecl;
typedef struct Local Local;

/* An arena-backed growable array of T. */
#define VEC(T) struct { T *v; uint32_t n, cap; }
#define VEC_PUSH(arena, vec, elem) ARENA_PUSH((arena), (vec).v, (vec).n, (vec).cap, (elem))

/* ---- tokens ---- */

/* One token. Codes are lemon's TK_* from parser.h (0: end of input). */
typedef struct Token {
    int kind;
    IrLoc loc;
    const char *text;      /* as written (into the source buffer) */
    uint32_t len;
    uint64_t ival;         /* TK_INT: the value (too_big when > u64) */
    bool too_big;
    bool is_char;          /* TK_INT written as 'c' */
    double fval;           /* TK_FLOAT */
    const uint8_t *bytes;  /* strings, shell text, format specs: decoded */
    uint32_t nbytes;
} Token;

/* Lexer modes: code, inside "...", inside {expr} of a string or shell
 * word, inside a `$` command. */
typedef enum LexMode { LM_CODE, LM_STRING, LM_INTERP, LM_SHELL } LexMode;

typedef struct LexFrame {
    LexMode mode;
    uint32_t depth;        /* LM_INTERP: open braces of the expression */
    bool in_shell;         /* LM_INTERP / LM_STRING: opened inside a command */
    bool after_piece;      /* LM_SHELL: the last token was part of a word */
    bool space;            /* LM_SHELL: white space since that piece */
    IrLoc open;            /* where the string or command began */
} LexFrame;

#define LEX_MAX_DEPTH 64

typedef struct Lexer {
    const unsigned char *start, *cur, *end, *line_start, *tok;
    uint32_t line;
    Arena *arena;          /* decoded string bytes */
    LexFrame stack[LEX_MAX_DEPTH];
    uint32_t sp;           /* stack[sp - 1] is the current mode */
    /* Set when yao_lexer_next returns -1. */
    char err[200];
    IrLoc err_loc;
} Lexer;

void yao_lexer_init(Lexer *lx, const uint8_t *buf, size_t len, Arena *arena);
/* The next token's code (0 at the end), or -1 on a lexical error. */
int yao_lexer_next(Lexer *lx, Token *tok);

/* ---- types ---- */

typedef enum TypeKind {
    TY_ERROR,   /* after an error: compatible with everything, no cascade */
    TY_VOID,
    TY_BOOL,
    TY_I8, TY_I16, TY_I32, TY_I64,
    TY_U8, TY_U16, TY_U32, TY_U64,
    TY_F32, TY_F64,
    TY_STR,
    TY_ARRAY,   /* [T; N] */
    TY_SLICE,   /* []T, []mut T */
    TY_HEAP,    /* what `alloc [T; n]` makes: an owned run-time array */
    TY_STRUCT,
    TY_ERRUNION,/* !T */
    TY_INTLIT,  /* an integer constant not yet given a type */
    TY_FLOATLIT,/* a float constant not yet given a type */
    TY_COUNT
} TypeKind;

struct Type {
    TypeKind kind;
    Type *elem;          /* array, slice, heap, error union */
    int64_t len;         /* array */
    bool mut;            /* slice: []mut T */
    StructDecl *sd;      /* struct */
    Type *next;          /* interning chain */
};

bool type_is_int(const Type *t);      /* i8..u64 (not literals) */
bool type_is_signed(const Type *t);
bool type_is_float(const Type *t);
bool type_is_numeric(const Type *t);
bool type_is_aggregate(const Type *t); /* lives in memory: array, struct */
unsigned type_bits(const Type *t);     /* integer width */
IrType type_ir(const Type *t);         /* scalar IR type (ptr for aggregates) */
uint64_t type_size(const Type *t);     /* bytes in memory */
uint64_t type_align(const Type *t);
/* Its name as written in Yao, into buf. */
const char *type_name(const Type *t, char *buf, size_t n);
/* How many IR values carry one value of this type (0 void, 1, 2). */
unsigned type_ncomp(const Type *t);
/* Does a value of this type hold a reference to memory (slices, str,
 * structs or arrays containing them)? */
bool type_has_refs(const Type *t);

Type *type_prim(Compiler *c, TypeKind k);
Type *type_array(Compiler *c, Type *elem, int64_t len);
Type *type_slice(Compiler *c, Type *elem, bool mut);
Type *type_heap(Compiler *c, Type *elem);
Type *type_errunion(Compiler *c, Type *elem);
Type *type_struct(Compiler *c, StructDecl *sd);

/* ---- syntax of types ---- */

typedef enum TypeExprKind { TE_NAME, TE_QUAL, TE_ARRAY, TE_SLICE, TE_ERRUNION } TypeExprKind;

typedef struct TypeExpr {
    TypeExprKind kind;
    IrLoc loc;
    const char *name;    /* TE_NAME, TE_QUAL (member) */
    const char *qual;    /* TE_QUAL: module alias */
    struct TypeExpr *elem;
    Expr *len;           /* TE_ARRAY */
    bool mut;            /* TE_SLICE */
} TypeExpr;

/* ---- expressions ---- */

typedef enum ExprKind {
    E_INT, E_FLOAT, E_BOOL, E_STR, E_NAME, E_FIELD, E_INDEX, E_SLICE, E_CALL,
    E_UNARY, E_BINARY, E_STRUCTLIT, E_ARRAYLIT, E_ARRAYREP, E_ALLOC, E_TRY,
    E_CATCH, E_ERROR, E_SHELL, E_PAREN,
} ExprKind;

typedef enum Op {
    OP_NONE,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM, OP_ADDW, OP_SUBW, OP_MULW,
    OP_SHL, OP_SHR, OP_AND, OP_OR, OP_XOR,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_ANDAND, OP_OROR,
    OP_NEG, OP_NOT, OP_BITNOT,
} Op;

const char *op_text(Op op);

/* One piece of an interpolated string or shell word. */
typedef struct StrPart {
    IrLoc loc;            /* where the piece begins */
    const uint8_t *bytes; /* literal piece (expr == NULL) */
    uint32_t nbytes;
    Expr *expr;           /* {expr} or {expr:spec} */
    const uint8_t *spec;  /* NULL when no spec */
    uint32_t nspec;
    IrLoc spec_loc;
    /* the parsed spec (check.c) */
    int width;            /* -1: none */
    int prec;             /* -1: none */
    char conv;            /* 0, 'x', 'X', 'b' */
    bool zero;            /* pad with zeros */
} StrPart;

typedef VEC(StrPart) StrParts;

typedef enum ShellItemKind {
    SH_WORD, SH_PIPE, SH_IN, SH_OUT, SH_APPEND, SH_ERR,
} ShellItemKind;

typedef struct ShellItem {
    ShellItemKind kind;
    IrLoc loc;
    StrParts parts;       /* SH_WORD */
} ShellItem;

typedef struct FieldInit {
    const char *name;
    IrLoc loc;
    Expr *value;
    int index;            /* field number (check.c) */
} FieldInit;

/* What a name refers to once resolved. */
typedef enum SymKind {
    SYM_NONE, SYM_LOCAL, SYM_FN, SYM_CONST, SYM_STRUCT, SYM_MODULE, SYM_TYPE,
    SYM_BUILTIN,
} SymKind;

typedef enum Builtin {
    BI_NONE, BI_LEN, BI_PARSE_I64, BI_PARSE_F64, BI_READ_ALL,
} Builtin;

typedef struct Sym {
    SymKind kind;
    union {
        Local *local;
        FnDecl *fn;
        ConstDecl *cnst;
        StructDecl *sd;
        Module *mod;
        Type *type;
        Builtin builtin;
    };
} Sym;

/* A compile-time constant's value. */
typedef struct ConstVal {
    bool ok;
    bool is_float;
    bool is_bool;
    bool is_str;
    __int128 i;           /* integers, exactly (literals may exceed i64) */
    double f;
    const uint8_t *s;     /* str constants */
    uint32_t ns;
} ConstVal;

struct Expr {
    ExprKind kind;
    IrLoc loc;
    Type *type;           /* set by check.c */
    bool is_const;        /* folded: see cval */
    ConstVal cval;
    /* Lifetimes (check.c): the deepest scope whose storage a value with
     * slices in it may point into (0: none; 1: the caller's), and the
     * variable that scope belongs to, for messages. */
    unsigned region;
    Local *root;
    union {
        struct { uint64_t v; bool too_big; bool is_char; } ilit;
        double flit;
        bool blit;
        StrParts str;
        struct { const char *name; Sym sym; } name;
        struct { Expr *obj; const char *name; IrLoc nloc; int index; Sym sym; } field;
        struct { Expr *obj, *idx; } index;
        struct { Expr *obj, *lo, *hi; } slice;
        struct {
            Expr *callee;
            VEC(Expr *) args;
            /* resolved */
            FnDecl *fn;
            Builtin builtin;
            Type *conv;   /* a conversion T(x) */
        } call;
        struct { Op op; Expr *e; } unary;
        struct { Op op; Expr *l, *r; IrLoc oploc; } binary;
        struct {
            const char *qual, *name;
            VEC(FieldInit) inits;
            StructDecl *sd;
        } slit;
        VEC(Expr *) alit;
        struct { Expr *val, *count; int64_t n; } arep;
        struct { TypeExpr *elem; Expr *count; } alloc;
        struct { Expr *e; } try_;
        struct { Expr *e, *dflt; } catch_;
        struct { const char *name; int code; } err;
        VEC(ShellItem) shell;
        Expr *paren;
    };
};

/* ---- statements ---- */

typedef enum StmtKind {
    S_LET, S_CONST, S_ASSIGN, S_EXPR, S_IF, S_WHILE, S_FOR_RANGE, S_FOR_EACH,
    S_BREAK, S_CONTINUE, S_RETURN, S_BLOCK,
} StmtKind;

typedef VEC(Stmt *) StmtList;

typedef struct Block {
    StmtList stmts;
    IrLoc loc, end;       /* the braces */
} Block;

/* A local variable or parameter. */
struct Local {
    const char *name;
    IrLoc loc;
    Type *type;
    bool mut;
    bool is_param;
    unsigned depth;       /* scope depth: 1 = parameters, 2 = function body */
    unsigned region;      /* for values with references: the deepest scope
                             whose storage they may point into (0: none) */
    bool used;
    /* lowering */
    uint32_t var[2];      /* SSA variables (scalars, str, slices, heap) */
    IrOperand storage;    /* aggregates: the pointer to their memory */
};

struct Stmt {
    StmtKind kind;
    IrLoc loc;
    union {
        struct {
            const char *name;
            IrLoc nloc;
            bool mut;
            TypeExpr *type;
            Expr *init;
            Local *local;
        } let;
        ConstDecl *cnst;
        struct { Op op; Expr *lhs, *rhs; IrLoc oploc; } assign;
        Expr *expr;
        struct { Expr *cond; Block then; Stmt *els; } if_; /* els: S_IF / S_BLOCK */
        struct { Expr *cond; Block body; } while_;
        struct {
            const char *name;
            IrLoc nloc;
            Expr *lo, *hi;     /* range form */
            Expr *seq;         /* each form */
            Block body;
            Local *local;
        } for_;
        struct { Expr *value; } ret;
        Block block;
    };
};

/* ---- declarations ---- */

typedef struct Param {
    const char *name;
    IrLoc loc;
    bool mut;
    TypeExpr *texpr;
    Type *type;
    Local *local;
} Param;

struct FnDecl {
    const char *name;
    IrLoc loc;
    Module *mod;
    VEC(Param) params;
    TypeExpr *ret_texpr;   /* NULL: returns nothing */
    Type *ret;
    Block body;
    bool is_extern;        /* extern fn: a C function (params: scalars, str) */
    bool sig_done;
    bool is_main;
    /* lowering */
    uint8_t *keeps;        /* per parameter: does the body keep it (lower_expr.c) */
    uint32_t item;         /* IR item index, IR_NONE before lowering */
    const char *ir_name;
};

typedef struct FieldDecl {
    const char *name;
    IrLoc loc;
    TypeExpr *texpr;
    Type *type;
    uint64_t offset;
} FieldDecl;

struct StructDecl {
    const char *name;
    IrLoc loc;
    Module *mod;
    VEC(FieldDecl) fields;
    int state;             /* 0 unresolved, 1 resolving, 2 done */
    uint64_t size, align;
    Type *type;
};

struct ConstDecl {
    const char *name;
    IrLoc loc;
    Module *mod;
    TypeExpr *texpr;
    Expr *init;
    int state;             /* 0 unchecked, 1 checking, 2 done */
    Type *type;
    ConstVal val;
    Local *shadow;         /* block consts: the scope entry */
};

typedef struct Import {
    const char *path;      /* "std.io" */
    const char *alias;     /* "io" */
    IrLoc loc;
    Module *mod;
} Import;

typedef enum DeclKind { D_FN, D_STRUCT, D_CONST } DeclKind;

typedef struct Decl {
    DeclKind kind;
    union { FnDecl *fn; StructDecl *sd; ConstDecl *cnst; };
} Decl;

/* A symbol table: name -> Sym, open addressing in the arena. */
typedef struct SymTab {
    uint32_t cap, n;
    const char **keys;
    Sym *vals;
} SymTab;

void symtab_put(Arena *a, SymTab *t, const char *name, Sym s);
Sym *symtab_get(const SymTab *t, const char *name);

struct Module {
    const char *name;      /* "main", "io", ... (used in IR names) */
    const char *path;      /* "std.io" */
    IrSource src;
    bool is_std;
    bool embedded;         /* src.data is the built-in copy: not freed */
    VEC(Import) imports;
    VEC(Decl) decls;
    SymTab syms;           /* top-level names */
    bool checked;
};

/* ---- the compiler ---- */

typedef struct ErrorName {
    const char *name;
} ErrorName;

struct Compiler {
    IrCtx *ctx;
    Arena arena;
    Module *main;
    VEC(Module *) mods;
    const char *main_dir;  /* where imports are looked for */
    const char *stdlib_dir;/* override for std.* (NULL: the embedded copy) */
    Type *prims[TY_COUNT];
    Type *interned;        /* composite types */
    VEC(ErrorName) errors; /* error.Name codes: index + 1 */
    StructDecl *proc_sd;   /* the type of `$ cmd` captures */
    bool syntax_errors;
};

/* Report an error at loc in module m's source. */
void yao_error(Compiler *c, const Module *m, IrLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

const char *cstrdup(Compiler *c, const char *s);
const char *cstrndup(Compiler *c, const char *s, size_t n);

/* parse.c: parse one source into m (decls, imports); false on errors. */
bool yao_parse(Compiler *c, Module *m);

/* module.c */
/* The main file, and EXTRA source files imported by their base name. */
Module *module_load_main(Compiler *c, const char *path, char *const *extra, int nextra);
/* The main module from memory (data[len] must be 0); imports from dir. */
Module *module_load_source(Compiler *c, const char *name, const char *dir,
                           const uint8_t *data, size_t len);
Module *module_import(Compiler *c, Module *from, Import *imp);
/* The embedded standard library (stdlib_data.c, generated). */
const char *stdlib_find(const char *relpath, size_t *len);

/* check.c: resolve and type-check every module; false on errors. */
bool yao_check(Compiler *c);
int error_code(Compiler *c, const char *name);

/* lower.c: the checked program as an IR module. */
IrModule *yao_lower(Compiler *c);

/* Levenshtein distance, capped (for "did you mean"). */
unsigned edit_distance(const char *a, const char *b, unsigned cap);

#endif
