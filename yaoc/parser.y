/* parser.y - the grammar of Yao (lemon), see docs/yao.md.
 *
 * Actions build the AST through the ps_* helpers of parse.c. Lists travel
 * on the parser stack as arena vectors, so strings nested inside
 * interpolations nest naturally. One error production (`stmt ::= error
 * SEMI`) lets the parser report several syntax errors in one run.
 *
 * Struct literals: `Name {` is a struct literal only where an expression
 * may be one; the token feeder (parse.c) turns that brace into SLBRACE,
 * except directly in the head of `if`, `while`, `for` and after `->`,
 * where the brace opens the block (write `(S { .. })` there). */

%name YaoParser
%token_prefix TK_
%token_type {Token}
%extra_argument {Parser *ps}
%start_symbol file
%stack_size 1000

%include {
#include <assert.h>
#include <string.h>

#include "parse.h"
}

%syntax_error {
    ps_syntax_error(ps, &TOKEN);
}

%stack_overflow {
    ps_stack_overflow(ps);
}

%parse_failure {
    ps->stop = true;
}

/* Every terminal, declared up front so that the codes are stable. */
%token FN STRUCT MUT CONST IF ELSE WHILE FOR IN BREAK CONTINUE RETURN IMPORT
       TRUE FALSE TRY CATCH ERROR ALLOC EXTERN
       IDENT INT FLOAT STRING ISTR_BEGIN ISTR_MID ISTR_END ISPEC
       LPAREN RPAREN LBRACKET RBRACKET LBRACE SLBRACE RBRACE COMMA SEMI COLON
       COLONEQ DOT DOTDOT ARROW
       PLUS MINUS STAR SLASH PERCENT PLUSW MINUSW STARW SHL SHR AMP PIPE CARET
       TILDE BANG ANDAND OROR EQEQ NE LT LE GT GE
       ASSIGN ADDEQ SUBEQ MULEQ DIVEQ REMEQ ADDWEQ SUBWEQ MULWEQ ANDEQ OREQ
       XOREQ SHLEQ SHREQ
       DOLLAR SHTEXT SHSP SHPIPE SHLT SHGT SHAPPEND SHERR SHLBRACE SHRBRACE
       UMINUS.

%right CATCH.
%left OROR.
%left ANDAND.
%nonassoc EQEQ NE LT LE GT GE.
%left PIPE.
%left CARET.
%left AMP.
%left SHL SHR.
%left PLUS MINUS PLUSW MINUSW.
%left STAR SLASH PERCENT STARW.
%right BANG TILDE TRY UMINUS.
%left DOT LBRACKET LPAREN.

%type expr {Expr *}
%type cond {Expr *}
%type type {TypeExpr *}
%type ret_opt {TypeExpr *}
%type stmt {Stmt *}
%type if_stmt {Stmt *}
%type stmts {StmtList *}
%type block {Block *}
%type params {ParamVec *}
%type param_list {ParamVec *}
%type param {Param}
%type fields {FieldVec *}
%type field_list {FieldVec *}
%type field {FieldDecl}
%type args {ExprVec *}
%type elist {ExprVec *}
%type inits {InitVec *}
%type init_list {InitVec *}
%type init {FieldInit}
%type strlit {StrParts *}
%type interps {StrParts *}
%type spec_opt {Token}
%type import_path {const char *}
%type assign_op {Token}
%type const_decl {ConstDecl *}
%type shitems {ShellVec *}
%type shword {StrParts *}
%type shpiece {StrParts *}
%type shop {Token}

/* ---- the file ---- */

file ::= items.

items ::= .
items ::= items item.

item ::= IMPORT(K) import_path(P) SEMI.         { ps_import(ps, P, K.loc); }
item ::= FN IDENT(N) LPAREN params(P) RPAREN ret_opt(R) block(B).
                                                { ps_fn(ps, &N, P, R, B, false); }
item ::= EXTERN FN IDENT(N) LPAREN params(P) RPAREN ret_opt(R) SEMI.
                                                { ps_fn(ps, &N, P, R, NULL, true); }
item ::= STRUCT IDENT(N) LBRACE fields(F) RBRACE.
                                                { ps_struct(ps, &N, F); }
item ::= const_decl(C).                         { ps_top_const(ps, C); }

import_path(P) ::= IDENT(I).                    { P = ps_path(ps, NULL, &I); }
import_path(P) ::= import_path(Q) DOT IDENT(I). { P = ps_path(ps, Q, &I); }

ret_opt(R) ::= .                                { R = NULL; }
ret_opt(R) ::= ARROW type(T).                   { R = T; }

params(P) ::= .                                 { P = ps_new(ps, sizeof *P); }
params(P) ::= param_list(L).                    { P = L; }
params(P) ::= param_list(L) COMMA.              { P = L; }
param_list(P) ::= param(X).                     { P = ps_new(ps, sizeof *P); VEC_PUSH(ps->a, *P, X); }
param_list(P) ::= param_list(L) COMMA param(X). { P = L; VEC_PUSH(ps->a, *P, X); }
param(P) ::= IDENT(N) COLON type(T).
    { memset(&P, 0, sizeof P); P.name = ps_name(ps, &N); P.loc = N.loc; P.texpr = T; }
param(P) ::= MUT IDENT(N) COLON type(T).
    { memset(&P, 0, sizeof P); P.name = ps_name(ps, &N); P.loc = N.loc; P.texpr = T; P.mut = true; }

fields(F) ::= .                                 { F = ps_new(ps, sizeof *F); }
fields(F) ::= field_list(L).                    { F = L; }
fields(F) ::= field_list(L) COMMA.              { F = L; }
field_list(F) ::= field(X).                     { F = ps_new(ps, sizeof *F); VEC_PUSH(ps->a, *F, X); }
field_list(F) ::= field_list(L) COMMA field(X). { F = L; VEC_PUSH(ps->a, *F, X); }
field(F) ::= IDENT(N) COLON type(T).
    { memset(&F, 0, sizeof F); F.name = ps_name(ps, &N); F.loc = N.loc; F.texpr = T; }

const_decl(C) ::= CONST IDENT(N) COLON type(T) ASSIGN expr(E) SEMI.
                                                { C = ps_const(ps, &N, T, E); }
const_decl(C) ::= CONST IDENT(N) ASSIGN expr(E) SEMI.
                                                { C = ps_const(ps, &N, NULL, E); }

/* ---- types ---- */

type(T) ::= IDENT(N).
    { T = ps_type(ps, TE_NAME, N.loc); T->name = ps_name(ps, &N); }
type(T) ::= IDENT(Q) DOT IDENT(N).
    { T = ps_type(ps, TE_QUAL, Q.loc); T->qual = ps_name(ps, &Q); T->name = ps_name(ps, &N); }
type(T) ::= LBRACKET(L) RBRACKET type(E).
    { T = ps_type(ps, TE_SLICE, L.loc); T->elem = E; }
type(T) ::= LBRACKET(L) RBRACKET MUT type(E).
    { T = ps_type(ps, TE_SLICE, L.loc); T->elem = E; T->mut = true; }
type(T) ::= LBRACKET(L) type(E) SEMI expr(N) RBRACKET.
    { T = ps_type(ps, TE_ARRAY, L.loc); T->elem = E; T->len = N; }
type(T) ::= BANG(B) type(E).
    { T = ps_type(ps, TE_ERRUNION, B.loc); T->elem = E; }

/* ---- statements ---- */

block(B) ::= LBRACE(L) stmts(S) RBRACE(R).
    { B = ps_new(ps, sizeof *B); B->stmts = *S; B->loc = L.loc; B->end = R.loc; }

stmts(S) ::= .                                  { S = ps_new(ps, sizeof *S); }
stmts(S) ::= stmts(T) stmt(X).                  { S = T; if (X) VEC_PUSH(ps->a, *S, X); }

stmt(S) ::= IDENT(N) COLONEQ expr(E) SEMI.
    { S = ps_stmt(ps, S_LET, N.loc); S->let.name = ps_name(ps, &N); S->let.nloc = N.loc; S->let.init = E; }
stmt(S) ::= MUT(M) IDENT(N) COLONEQ expr(E) SEMI.
    { S = ps_stmt(ps, S_LET, M.loc); S->let.name = ps_name(ps, &N); S->let.nloc = N.loc; S->let.init = E; S->let.mut = true; }
stmt(S) ::= IDENT(N) COLON type(T) ASSIGN expr(E) SEMI.
    { S = ps_stmt(ps, S_LET, N.loc); S->let.name = ps_name(ps, &N); S->let.nloc = N.loc; S->let.init = E; S->let.type = T; }
stmt(S) ::= MUT(M) IDENT(N) COLON type(T) ASSIGN expr(E) SEMI.
    { S = ps_stmt(ps, S_LET, M.loc); S->let.name = ps_name(ps, &N); S->let.nloc = N.loc; S->let.init = E; S->let.type = T; S->let.mut = true; }
stmt(S) ::= const_decl(C).
    { S = ps_stmt(ps, S_CONST, C->loc); S->cnst = C; }
stmt(S) ::= expr(L) assign_op(O) expr(R) SEMI.
    { S = ps_stmt(ps, S_ASSIGN, L->loc); S->assign.op = (Op)O.ival; S->assign.lhs = L; S->assign.rhs = R; S->assign.oploc = O.loc; }
stmt(S) ::= expr(E) SEMI.
    { S = ps_stmt(ps, S_EXPR, E->loc); S->expr = E; }
stmt(S) ::= if_stmt(I).                         { S = I; }
stmt(S) ::= WHILE(W) cond(C) block(B).
    { S = ps_stmt(ps, S_WHILE, W.loc); S->while_.cond = C; S->while_.body = *B; }
stmt(S) ::= FOR(F) IDENT(N) IN expr(L) DOTDOT expr(H) block(B).
    { S = ps_stmt(ps, S_FOR_RANGE, F.loc); S->for_.name = ps_name(ps, &N); S->for_.nloc = N.loc;
      S->for_.lo = L; S->for_.hi = H; S->for_.body = *B; }
stmt(S) ::= FOR(F) IDENT(N) IN expr(E) block(B).
    { S = ps_stmt(ps, S_FOR_EACH, F.loc); S->for_.name = ps_name(ps, &N); S->for_.nloc = N.loc;
      S->for_.seq = E; S->for_.body = *B; }
stmt(S) ::= BREAK(K) SEMI.                      { S = ps_stmt(ps, S_BREAK, K.loc); }
stmt(S) ::= CONTINUE(K) SEMI.                   { S = ps_stmt(ps, S_CONTINUE, K.loc); }
stmt(S) ::= RETURN(K) SEMI.                     { S = ps_stmt(ps, S_RETURN, K.loc); }
stmt(S) ::= RETURN(K) expr(E) SEMI.             { S = ps_stmt(ps, S_RETURN, K.loc); S->ret.value = E; }
stmt(S) ::= block(B).                           { S = ps_stmt(ps, S_BLOCK, B->loc); S->block = *B; }
stmt(S) ::= error SEMI.                         { S = NULL; }

if_stmt(S) ::= IF(K) cond(C) block(B).
    { S = ps_stmt(ps, S_IF, K.loc); S->if_.cond = C; S->if_.then = *B; }
if_stmt(S) ::= IF(K) cond(C) block(B) ELSE block(E).
    { S = ps_stmt(ps, S_IF, K.loc); S->if_.cond = C; S->if_.then = *B;
      Stmt *b = ps_stmt(ps, S_BLOCK, E->loc); b->block = *E; S->if_.els = b; }
if_stmt(S) ::= IF(K) cond(C) block(B) ELSE if_stmt(E).
    { S = ps_stmt(ps, S_IF, K.loc); S->if_.cond = C; S->if_.then = *B; S->if_.els = E; }

cond(C) ::= expr(E).                            { C = E; }
/* `if x = 5`: assignment is a statement; say what was meant. */
cond(C) ::= expr(L) ASSIGN(A) expr(R).
    { ps_error(ps, A.loc, "'=' assigns and is not allowed in a condition; use '==' to compare");
      C = ps_binary(ps, OP_EQ, L, R, &A); }

assign_op(O) ::= ASSIGN(T).  { O = T; O.ival = OP_NONE; }
assign_op(O) ::= ADDEQ(T).   { O = T; O.ival = OP_ADD; }
assign_op(O) ::= SUBEQ(T).   { O = T; O.ival = OP_SUB; }
assign_op(O) ::= MULEQ(T).   { O = T; O.ival = OP_MUL; }
assign_op(O) ::= DIVEQ(T).   { O = T; O.ival = OP_DIV; }
assign_op(O) ::= REMEQ(T).   { O = T; O.ival = OP_REM; }
assign_op(O) ::= ADDWEQ(T).  { O = T; O.ival = OP_ADDW; }
assign_op(O) ::= SUBWEQ(T).  { O = T; O.ival = OP_SUBW; }
assign_op(O) ::= MULWEQ(T).  { O = T; O.ival = OP_MULW; }
assign_op(O) ::= ANDEQ(T).   { O = T; O.ival = OP_AND; }
assign_op(O) ::= OREQ(T).    { O = T; O.ival = OP_OR; }
assign_op(O) ::= XOREQ(T).   { O = T; O.ival = OP_XOR; }
assign_op(O) ::= SHLEQ(T).   { O = T; O.ival = OP_SHL; }
assign_op(O) ::= SHREQ(T).   { O = T; O.ival = OP_SHR; }

/* ---- expressions ---- */

expr(E) ::= expr(L) OROR(O) expr(R).     { E = ps_binary(ps, OP_OROR, L, R, &O); }
expr(E) ::= expr(L) ANDAND(O) expr(R).   { E = ps_binary(ps, OP_ANDAND, L, R, &O); }
expr(E) ::= expr(L) EQEQ(O) expr(R).     { E = ps_binary(ps, OP_EQ, L, R, &O); }
expr(E) ::= expr(L) NE(O) expr(R).       { E = ps_binary(ps, OP_NE, L, R, &O); }
expr(E) ::= expr(L) LT(O) expr(R).       { E = ps_binary(ps, OP_LT, L, R, &O); }
expr(E) ::= expr(L) LE(O) expr(R).       { E = ps_binary(ps, OP_LE, L, R, &O); }
expr(E) ::= expr(L) GT(O) expr(R).       { E = ps_binary(ps, OP_GT, L, R, &O); }
expr(E) ::= expr(L) GE(O) expr(R).       { E = ps_binary(ps, OP_GE, L, R, &O); }
expr(E) ::= expr(L) PIPE(O) expr(R).     { E = ps_binary(ps, OP_OR, L, R, &O); }
expr(E) ::= expr(L) CARET(O) expr(R).    { E = ps_binary(ps, OP_XOR, L, R, &O); }
expr(E) ::= expr(L) AMP(O) expr(R).      { E = ps_binary(ps, OP_AND, L, R, &O); }
expr(E) ::= expr(L) SHL(O) expr(R).      { E = ps_binary(ps, OP_SHL, L, R, &O); }
expr(E) ::= expr(L) SHR(O) expr(R).      { E = ps_binary(ps, OP_SHR, L, R, &O); }
expr(E) ::= expr(L) PLUS(O) expr(R).     { E = ps_binary(ps, OP_ADD, L, R, &O); }
expr(E) ::= expr(L) MINUS(O) expr(R).    { E = ps_binary(ps, OP_SUB, L, R, &O); }
expr(E) ::= expr(L) PLUSW(O) expr(R).    { E = ps_binary(ps, OP_ADDW, L, R, &O); }
expr(E) ::= expr(L) MINUSW(O) expr(R).   { E = ps_binary(ps, OP_SUBW, L, R, &O); }
expr(E) ::= expr(L) STAR(O) expr(R).     { E = ps_binary(ps, OP_MUL, L, R, &O); }
expr(E) ::= expr(L) SLASH(O) expr(R).    { E = ps_binary(ps, OP_DIV, L, R, &O); }
expr(E) ::= expr(L) PERCENT(O) expr(R).  { E = ps_binary(ps, OP_REM, L, R, &O); }
expr(E) ::= expr(L) STARW(O) expr(R).    { E = ps_binary(ps, OP_MULW, L, R, &O); }
expr(E) ::= MINUS(O) expr(X). [UMINUS]   { E = ps_unary(ps, OP_NEG, X, &O); }
expr(E) ::= BANG(O) expr(X).             { E = ps_unary(ps, OP_NOT, X, &O); }
expr(E) ::= TILDE(O) expr(X).            { E = ps_unary(ps, OP_BITNOT, X, &O); }
expr(E) ::= TRY(K) expr(X).              { E = ps_expr(ps, E_TRY, K.loc); E->try_.e = X; }
expr(E) ::= expr(X) CATCH(K) expr(D).
    { E = ps_expr(ps, E_CATCH, K.loc); E->catch_.e = X; E->catch_.dflt = D; }

expr(E) ::= expr(F) LPAREN args(A) RPAREN.
    { E = ps_expr(ps, E_CALL, F->loc); E->call.callee = F; E->call.args.v = A->v; E->call.args.n = A->n; E->call.args.cap = A->cap; }
expr(E) ::= expr(X) LBRACKET(L) expr(I) RBRACKET.
    { E = ps_expr(ps, E_INDEX, X->loc); E->index.obj = X; E->index.idx = I; (void)L; }
expr(E) ::= expr(X) LBRACKET(L) expr(A) DOTDOT expr(B) RBRACKET.
    { E = ps_expr(ps, E_SLICE, X->loc); E->slice.obj = X; E->slice.lo = A; E->slice.hi = B; (void)L; }
expr(E) ::= expr(X) LBRACKET(L) expr(A) DOTDOT RBRACKET.
    { E = ps_expr(ps, E_SLICE, X->loc); E->slice.obj = X; E->slice.lo = A; (void)L; }
expr(E) ::= expr(X) LBRACKET(L) DOTDOT expr(B) RBRACKET.
    { E = ps_expr(ps, E_SLICE, X->loc); E->slice.obj = X; E->slice.hi = B; (void)L; }
expr(E) ::= expr(X) LBRACKET(L) DOTDOT RBRACKET.
    { E = ps_expr(ps, E_SLICE, X->loc); E->slice.obj = X; (void)L; }
expr(E) ::= expr(X) DOT IDENT(N).
    { E = ps_expr(ps, E_FIELD, X->loc); E->field.obj = X; E->field.name = ps_name(ps, &N); E->field.nloc = N.loc; }

expr(E) ::= IDENT(N).
    { E = ps_expr(ps, E_NAME, N.loc); E->name.name = ps_name(ps, &N); }
expr(E) ::= INT(T).
    { E = ps_expr(ps, E_INT, T.loc); E->ilit.v = T.ival; E->ilit.too_big = T.too_big; E->ilit.is_char = T.is_char; }
expr(E) ::= FLOAT(T).                    { E = ps_expr(ps, E_FLOAT, T.loc); E->flit = T.fval; }
expr(E) ::= TRUE(T).                     { E = ps_expr(ps, E_BOOL, T.loc); E->blit = true; }
expr(E) ::= FALSE(T).                    { E = ps_expr(ps, E_BOOL, T.loc); E->blit = false; }
expr(E) ::= strlit(S).
    { E = ps_expr(ps, E_STR, S->v[0].loc); E->str = *S; }
expr(E) ::= LPAREN(L) expr(X) RPAREN.    { E = ps_expr(ps, E_PAREN, L.loc); E->paren = X; }
expr(E) ::= IDENT(N) SLBRACE inits(I) RBRACE.
    { E = ps_expr(ps, E_STRUCTLIT, N.loc); E->slit.name = ps_name(ps, &N);
      E->slit.inits.v = I->v; E->slit.inits.n = I->n; E->slit.inits.cap = I->cap; }
expr(E) ::= expr(Q) DOT IDENT(N) SLBRACE inits(I) RBRACE.
    { E = ps_expr(ps, E_STRUCTLIT, Q->loc); E->slit.name = ps_name(ps, &N);
      if (Q->kind == E_NAME) E->slit.qual = Q->name.name;
      else ps_error(ps, Q->loc, "expected a module name before '.%s'", E->slit.name);
      E->slit.inits.v = I->v; E->slit.inits.n = I->n; E->slit.inits.cap = I->cap; }
expr(E) ::= LBRACKET(L) args(A) RBRACKET.
    { E = ps_expr(ps, E_ARRAYLIT, L.loc); E->alit.v = A->v; E->alit.n = A->n; E->alit.cap = A->cap; }
expr(E) ::= LBRACKET(L) expr(V) SEMI expr(N) RBRACKET.
    { E = ps_expr(ps, E_ARRAYREP, L.loc); E->arep.val = V; E->arep.count = N; }
expr(E) ::= ALLOC(K) LBRACKET type(T) SEMI expr(N) RBRACKET.
    { E = ps_expr(ps, E_ALLOC, K.loc); E->alloc.elem = T; E->alloc.count = N; }
expr(E) ::= ERROR(K) DOT IDENT(N).
    { E = ps_expr(ps, E_ERROR, K.loc); E->err.name = ps_name(ps, &N); }
expr(E) ::= DOLLAR(D) shitems(I).
    { E = ps_expr(ps, E_SHELL, D.loc); E->shell.v = I->v; E->shell.n = I->n; E->shell.cap = I->cap; }

args(A) ::= .                            { A = ps_new(ps, sizeof *A); }
args(A) ::= elist(L).                    { A = L; }
args(A) ::= elist(L) COMMA.              { A = L; }
elist(L) ::= expr(X).                    { L = ps_new(ps, sizeof *L); VEC_PUSH(ps->a, *L, X); }
elist(L) ::= elist(M) COMMA expr(X).     { L = M; VEC_PUSH(ps->a, *L, X); }

inits(I) ::= .                           { I = ps_new(ps, sizeof *I); }
inits(I) ::= init_list(L).               { I = L; }
inits(I) ::= init_list(L) COMMA.         { I = L; }
init_list(L) ::= init(X).                { L = ps_new(ps, sizeof *L); VEC_PUSH(ps->a, *L, X); }
init_list(L) ::= init_list(M) COMMA init(X). { L = M; VEC_PUSH(ps->a, *L, X); }
init(I) ::= IDENT(N) COLON expr(X).
    { memset(&I, 0, sizeof I); I.name = ps_name(ps, &N); I.loc = N.loc; I.value = X; I.index = -1; }

/* Strings: literal pieces and {expr[:spec]} in order. */
strlit(S) ::= STRING(T).                 { S = ps_parts_new(ps); ps_parts_lit(ps, S, &T); }
strlit(S) ::= interps(I) ISTR_END(T).    { S = I; ps_parts_lit(ps, S, &T); }
interps(I) ::= ISTR_BEGIN(T) expr(X) spec_opt(P).
    { I = ps_parts_new(ps); ps_parts_lit(ps, I, &T); ps_parts_expr(ps, I, X, &P); }
interps(I) ::= interps(J) ISTR_MID(T) expr(X) spec_opt(P).
    { I = J; ps_parts_lit(ps, I, &T); ps_parts_expr(ps, I, X, &P); }
spec_opt(P) ::= .                        { memset(&P, 0, sizeof P); }
spec_opt(P) ::= ISPEC(T).                { P = T; }

/* Shell commands: words of pieces, separated by SHSP or operators. */
shitems(I) ::= shword(W).
    { I = ps_new(ps, sizeof *I); ShellItem it = {.kind = SH_WORD, .parts = *W, .loc = W->v[0].loc};
      VEC_PUSH(ps->a, *I, it); }
shitems(I) ::= shitems(J) SHSP shword(W).
    { I = J; ShellItem it = {.kind = SH_WORD, .parts = *W, .loc = W->v[0].loc}; VEC_PUSH(ps->a, *I, it); }
shitems(I) ::= shitems(J) shop(O) shword(W).
    { I = J; ShellItem op = {.kind = (ShellItemKind)O.ival, .loc = O.loc}; VEC_PUSH(ps->a, *I, op);
      ShellItem it = {.kind = SH_WORD, .parts = *W, .loc = W->v[0].loc}; VEC_PUSH(ps->a, *I, it); }
shop(O) ::= SHPIPE(T).                   { O = T; O.ival = SH_PIPE; }
shop(O) ::= SHLT(T).                     { O = T; O.ival = SH_IN; }
shop(O) ::= SHGT(T).                     { O = T; O.ival = SH_OUT; }
shop(O) ::= SHAPPEND(T).                 { O = T; O.ival = SH_APPEND; }
shop(O) ::= SHERR(T).                    { O = T; O.ival = SH_ERR; }
shword(W) ::= shpiece(P).                { W = P; }
shword(W) ::= shword(V) shpiece(P).      { W = V; ps_parts_cat(ps, W, P); }
shpiece(P) ::= SHTEXT(T).                { P = ps_parts_new(ps); ps_parts_lit(ps, P, &T); }
shpiece(P) ::= strlit(S).                { P = S; }
shpiece(P) ::= SHLBRACE expr(X) spec_opt(S) SHRBRACE.
    { P = ps_parts_new(ps); ps_parts_expr(ps, P, X, &S); }

%code {
/* The terminals the parser could shift from a saved state stack (the
 * technique of ir/parser.y): each is tried on a copy of the stack,
 * through the reductions it would cause. */
static int expected_action(int state, int token)
{
    if (state > YY_MAX_SHIFT)
        return state;
    int i = yy_shift_ofst[state] + token;
    if (yy_lookahead[i] != token)
        return yy_default[state];
    return yy_action[i];
}

static bool token_acceptable(const int *stack, int depth, int token)
{
    enum { EXTRA = 64 };
    int states[YYSTACKDEPTH + EXTRA];
    if (depth < 1 || depth > YYSTACKDEPTH)
        return false;
    memcpy(states, stack, sizeof *states * (size_t)depth);
    int top = depth - 1;
    for (int steps = 0; steps < 1000; steps++) {
        int act = expected_action(states[top], token);
        if (act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION)
            return true;
        if (act < YY_MIN_REDUCE || act > YY_MAX_REDUCE)
            return false;
        int rule = act - YY_MIN_REDUCE;
        top += yyRuleInfoNRhs[rule];
        if (top < 0 || top + 1 >= YYSTACKDEPTH + EXTRA)
            return false;
        int next = yy_find_reduce_action((YYACTIONTYPE)states[top],
                                         (YYCODETYPE)yyRuleInfoLhs[rule]);
        states[++top] = next;
    }
    return false;
}

int yao_parser_save(void *parser, int *states, int max)
{
    const yyParser *p = parser;
    int depth = (int)(p->yytos - p->yystack) + 1;
    if (depth > max)
        return 0;
    for (int i = 0; i < depth; i++)
        states[i] = p->yystack[i].stateno;
    return depth;
}

void yao_parser_expected(const int *states, int depth, unsigned char *set, int ntokens)
{
    for (int t = 0; t < ntokens && t < YYNTOKEN; t++)
        set[t] = token_acceptable(states, depth, t);
}

int yao_parser_ntokens(void) { return YYNTOKEN; }
}
