/* parse.h - what the Yao grammar (parser.y) and its driver (parse.c)
 * share: the parser state passed to every action, and the helpers the
 * actions use to build the AST. */
#ifndef YAO_PARSE_H
#define YAO_PARSE_H

#include "yao.h"

typedef struct Parser {
    Compiler *c;
    Module *m;
    Arena *a;
    /* The state stack before the current token, for "expected" lists. */
    int states[128];
    int nstates;
    Token prev;
    bool failed;       /* a syntax error was reported */
    bool stop;         /* recovery failed: feed no more tokens */
} Parser;

typedef VEC(Expr *) ExprVec;
typedef VEC(Param) ParamVec;
typedef VEC(FieldDecl) FieldVec;
typedef VEC(FieldInit) InitVec;
typedef VEC(ShellItem) ShellVec;

/* Lemon's entry points (parser.c). */
void *YaoParserAlloc(void *(*alloc)(size_t));
void YaoParserFree(void *parser, void (*dealloc)(void *));
void YaoParser(void *parser, int major, Token minor, Parser *ps);
int yao_parser_save(void *parser, int *states, int max);
void yao_parser_expected(const int *states, int depth, unsigned char *set, int ntokens);
int yao_parser_ntokens(void);

void ps_syntax_error(Parser *ps, const Token *found);
void ps_stack_overflow(Parser *ps);
void ps_error(Parser *ps, IrLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const char *ps_name(Parser *ps, const Token *t);
Expr *ps_expr(Parser *ps, ExprKind k, IrLoc loc);
Expr *ps_binary(Parser *ps, Op op, Expr *l, Expr *r, const Token *optok);
Expr *ps_unary(Parser *ps, Op op, Expr *e, const Token *optok);
Stmt *ps_stmt(Parser *ps, StmtKind k, IrLoc loc);
TypeExpr *ps_type(Parser *ps, TypeExprKind k, IrLoc loc);
void *ps_new(Parser *ps, size_t size);

/* Pieces of strings and shell words. */
StrParts *ps_parts_new(Parser *ps);
void ps_parts_lit(Parser *ps, StrParts *p, const Token *t);
void ps_parts_expr(Parser *ps, StrParts *p, Expr *e, const Token *spec);
void ps_parts_cat(Parser *ps, StrParts *dst, const StrParts *src);

void ps_import(Parser *ps, const char *path, IrLoc loc);
const char *ps_path(Parser *ps, const char *prefix, const Token *t);
void ps_fn(Parser *ps, const Token *name, ParamVec *params, TypeExpr *ret,
           Block *body, bool is_extern);
void ps_struct(Parser *ps, const Token *name, FieldVec *fields);
ConstDecl *ps_const(Parser *ps, const Token *name, TypeExpr *t, Expr *init);
void ps_top_const(Parser *ps, ConstDecl *c);

#endif
