/* parser.y - the grammar of the IR text form (lemon), see docs/ir.md.
 *
 * The grammar only recognises the shape of the text; every action hands
 * its tokens to an rd_* function of read_text.c, which builds the module.
 * Lists (parameters, call arguments, block arguments, switch cases) are
 * gathered by the reader as their elements are reduced, so no list value
 * travels through the parser stack. The reader stops feeding tokens at
 * the first syntax error: there is no error recovery and no cascade. */

%name IrParser
%token_prefix TK_
%token_type {Token}
%extra_argument {Reader *rd}
%start_symbol file

%include {
#include <assert.h>
#include <string.h>

#include "read_text.h"
}

%syntax_error {
    rd_syntax_error(rd, &TOKEN);
}

%stack_overflow {
    rd_stack_overflow(rd);
}

/* Every terminal, declared up front so that the codes are stable. */
%token MODULE EXTERN FUNC EXPORT DATA GLOBALKW ZERO
       UNSAFE CT NOINLINE DEADLINE TARGET INF NAN ALIGN TO TYPE
       BINOP UNOP ICMP FCMP SELECT CONV ALLOCA LOAD STORE PTRADD MEMCPY MEMSET
       CALL CALLIND BR CONDBR SWITCH RET TRAP
       IDENT GLOBAL LOCAL INT FLOAT NEGINF STRING
       COMMA LPAREN RPAREN LBRACE RBRACE LBRACKET RBRACKET COLON EQ ARROW ELLIPSIS
       RULE OBLIG.

%type ret_opt {int}
%type target {int}
%type operand {Token}
%type label {Token}
%type constant {Token}

/* ---- the module ---- */

file ::= module_opt items.

module_opt ::= .
module_opt ::= MODULE STRING(S).                { rd_module_name(rd, &S); }

items ::= .
items ::= items item.

item ::= extern_decl.
item ::= func_def.
item ::= data_def.
item ::= RULE(R).                               { rd_rule(rd, &R); }
item ::= OBLIG(O).                              { rd_oblig(rd, &O); }

ret_opt(R) ::= .                                { R = IR_VOID; }
ret_opt(R) ::= ARROW TYPE(T).                   { R = (int)T.val; }

/* extern func @puts(ptr) -> i32 ; extern func @printf(ptr, ...) -> i32 */
extern_decl ::= EXTERN FUNC GLOBAL(N) LPAREN ext_params RPAREN ret_opt(R).
                                                { rd_extern(rd, &N, R); }
ext_params ::= .
ext_params ::= ELLIPSIS.                        { rd_variadic(rd); }
ext_params ::= ext_types.
ext_params ::= ext_types COMMA ELLIPSIS.        { rd_variadic(rd); }
ext_types ::= TYPE(T).                          { rd_param(rd, &T, NULL); }
ext_types ::= ext_types COMMA TYPE(T).          { rd_param(rd, &T, NULL); }

/* [export] func @f(T %a, ...) [-> T] attributes { blocks } */
func_def ::= func_head LBRACE blocks RBRACE.    { rd_func_end(rd); }
func_head ::= func_start LPAREN params RPAREN ret_opt(R) attrs.
                                                { rd_func_header(rd, R); }
func_start ::= FUNC GLOBAL(N).                  { rd_func_begin(rd, &N, false); }
func_start ::= EXPORT FUNC GLOBAL(N).           { rd_func_begin(rd, &N, true); }

params ::= .
params ::= param_list.
param_list ::= param.
param_list ::= param_list COMMA param.
param ::= TYPE(T) LOCAL(N).                     { rd_param(rd, &T, &N); }

attrs ::= .
attrs ::= attrs attr.
attr ::= UNSAFE(A).                             { rd_attr(rd, &A, NULL); }
attr ::= CT(A).                                 { rd_attr(rd, &A, NULL); }
attr ::= NOINLINE(A).                           { rd_attr(rd, &A, NULL); }
attr ::= DEADLINE(A) INT(N).                    { rd_attr(rd, &A, &N); }
attr ::= TARGET(A) label(N).                    { rd_attr(rd, &A, &N); }

/* data @d = "bytes" | zero N | { fields } ; global likewise */
data_def ::= data_head EQ data_init.
data_head ::= DATA GLOBAL(N).                   { rd_data_begin(rd, &N, false); }
data_head ::= GLOBALKW GLOBAL(N).               { rd_data_begin(rd, &N, true); }
data_init ::= STRING(S).                        { rd_field_string(rd, &S); rd_data_lone(rd); }
data_init ::= ZERO(Z) INT(N).                   { rd_field_zero(rd, &Z, &N); rd_data_lone(rd); }
data_init ::= LBRACE fields_opt RBRACE.
fields_opt ::= .
fields_opt ::= fields.
fields ::= field.
fields ::= fields COMMA field.
field ::= TYPE(T) constant(V).                  { rd_field_typed(rd, &T, &V); }
field ::= TYPE(T) GLOBAL(V).                    { rd_field_typed(rd, &T, &V); }
field ::= STRING(S).                            { rd_field_string(rd, &S); }
field ::= ZERO(Z) INT(N).                       { rd_field_zero(rd, &Z, &N); }

/* ---- function bodies: blocks end in exactly one terminator ---- */

blocks ::= .
blocks ::= blocks block.
block ::= label_def insts term.

label_def ::= IDENT(L) COLON.                   { rd_block(rd, &L); }
label_def ::= IDENT(L) LPAREN params RPAREN COLON.
                                                { rd_block(rd, &L); }

insts ::= .
insts ::= insts inst.
inst ::= result op_inst.                        { rd_inst_end(rd); }
inst ::= op_inst.                               { rd_inst_end(rd); }
result ::= LOCAL(R) EQ.                         { rd_result(rd, &R); }

constant(A) ::= INT(A).
constant(A) ::= FLOAT(A).
constant(A) ::= NEGINF(A).
constant(A) ::= INF(A).
constant(A) ::= NAN(A).
operand(A) ::= constant(A).
operand(A) ::= LOCAL(A).
operand(A) ::= GLOBAL(A).

op_inst ::= BINOP(O) TYPE(T) operand(A) COMMA operand(B).
                                                { rd_binary(rd, &O, &T, &A, &B); }
op_inst ::= UNOP(O) TYPE(T) operand(A).         { rd_unary(rd, &O, &T, &A); }
op_inst ::= cmp_head TYPE(T) operand(A) COMMA operand(B).
                                                { rd_cmp(rd, &T, &A, &B); }
/* Reduced as soon as the condition is read, so a bad one is reported
 * before whatever syntax error it causes. */
cmp_head ::= ICMP(O) IDENT(C).                  { rd_cmp_head(rd, &O, &C); }
cmp_head ::= FCMP(O) IDENT(C).                  { rd_cmp_head(rd, &O, &C); }
op_inst ::= SELECT(O) TYPE(T) operand(C) COMMA operand(A) COMMA operand(B).
                                                { rd_select(rd, &O, &T, &C, &A, &B); }
op_inst ::= CONV(O) TYPE(F) operand(A) TO TYPE(T).
                                                { rd_conv(rd, &O, &F, &A, &T); }
op_inst ::= ALLOCA(O) INT(N) COMMA ALIGN INT(A).
                                                { rd_alloca(rd, &O, &N, &A); }
op_inst ::= LOAD(O) TYPE(T) COMMA operand(P).   { rd_load(rd, &O, &T, &P); }
op_inst ::= STORE(O) TYPE(T) operand(V) COMMA operand(P).
                                                { rd_store(rd, &O, &T, &V, &P); }
op_inst ::= PTRADD(O) operand(P) COMMA operand(F).
                                                { rd_ptradd(rd, &O, &P, &F); }
op_inst ::= MEMCPY(O) operand(A) COMMA operand(B) COMMA operand(N).
                                                { rd_mem(rd, &O, &A, &B, &N); }
op_inst ::= MEMSET(O) operand(A) COMMA operand(B) COMMA operand(N).
                                                { rd_mem(rd, &O, &A, &B, &N); }
op_inst ::= CALL(O) GLOBAL(F) LPAREN call_args RPAREN.
                                                { rd_call(rd, &O, &F); }
op_inst ::= CALLIND(O) operand(P) LPAREN call_args RPAREN ret_opt(R).
                                                { rd_call_ind(rd, &O, &P, R); }

call_args ::= .
call_args ::= call_arg_list.
call_arg_list ::= call_arg.
call_arg_list ::= call_arg_list COMMA call_arg.
call_arg ::= TYPE(T) operand(A).                { rd_call_arg(rd, &T, &A); }

term ::= BR(O) target(T).                       { rd_br(rd, &O, T); rd_inst_end(rd); }
term ::= CONDBR(O) operand(C) COMMA target(T) COMMA target(E).
                                                { rd_condbr(rd, &O, &C, T, E); rd_inst_end(rd); }
term ::= SWITCH(O) TYPE(T) operand(V) COMMA target(D) LBRACKET cases RBRACKET.
                                                { rd_switch(rd, &O, &T, &V, D); rd_inst_end(rd); }
term ::= RET(O).                                { rd_ret(rd, &O, NULL); rd_inst_end(rd); }
term ::= RET(O) operand(V).                     { rd_ret(rd, &O, &V); rd_inst_end(rd); }
term ::= TRAP(O) STRING(S).                     { rd_trap(rd, &O, &S); rd_inst_end(rd); }

target(X) ::= label(L) target_args.             { X = rd_target(rd, &L); }
target_args ::= .
target_args ::= LPAREN RPAREN.
target_args ::= LPAREN target_arg_list RPAREN.
target_arg_list ::= operand(A).                 { rd_target_arg(rd, &A); }
target_arg_list ::= target_arg_list COMMA operand(A).
                                                { rd_target_arg(rd, &A); }

/* Where a block label is used, a keyword is just a word. (Where one is
 * defined, the lexer already made it a TK_IDENT: a ':' or '(' follows.) */
label(A) ::= IDENT(A).
label(A) ::= MODULE(A).
label(A) ::= EXTERN(A).
label(A) ::= FUNC(A).
label(A) ::= EXPORT(A).
label(A) ::= DATA(A).
label(A) ::= GLOBALKW(A).
label(A) ::= ZERO(A).
label(A) ::= UNSAFE(A).
label(A) ::= CT(A).
label(A) ::= NOINLINE(A).
label(A) ::= DEADLINE(A).
label(A) ::= TARGET(A).
label(A) ::= INF(A).
label(A) ::= NAN(A).
label(A) ::= ALIGN(A).
label(A) ::= TO(A).
label(A) ::= TYPE(A).
label(A) ::= BINOP(A).
label(A) ::= UNOP(A).
label(A) ::= ICMP(A).
label(A) ::= FCMP(A).
label(A) ::= SELECT(A).
label(A) ::= CONV(A).
label(A) ::= ALLOCA(A).
label(A) ::= LOAD(A).
label(A) ::= STORE(A).
label(A) ::= PTRADD(A).
label(A) ::= MEMCPY(A).
label(A) ::= MEMSET(A).
label(A) ::= CALL(A).
label(A) ::= CALLIND(A).
label(A) ::= BR(A).
label(A) ::= CONDBR(A).
label(A) ::= SWITCH(A).
label(A) ::= RET(A).
label(A) ::= TRAP(A).

cases ::= .
cases ::= case_list.
case_list ::= case.
case_list ::= case_list COMMA case.
case ::= INT(K) COLON target(T).                { rd_case(rd, &K, T); }

%code {
/* The terminals the parser could shift from a saved state stack: each is
 * tried on a copy, through the reductions it would cause. The stack is
 * saved before each token is fed, because lemon's default reductions run
 * before it detects an error and would leave too few choices. */
static int expected_action(int state, int token)
{
    if (state > YY_MAX_SHIFT)
        return state; /* a pending reduction */
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
            return false; /* the error action */
        int rule = act - YY_MIN_REDUCE;
        top += yyRuleInfoNRhs[rule]; /* pops, as a negative count */
        if (top < 0 || top + 1 >= YYSTACKDEPTH + EXTRA)
            return false;
        int next = yy_find_reduce_action((YYACTIONTYPE)states[top],
                                         (YYCODETYPE)yyRuleInfoLhs[rule]);
        states[++top] = next;
    }
    return false;
}

int ir_parser_save(void *parser, int *states, int max)
{
    const yyParser *p = parser;
    int depth = (int)(p->yytos - p->yystack) + 1;
    if (depth > max)
        return 0;
    for (int i = 0; i < depth; i++)
        states[i] = p->yystack[i].stateno;
    return depth;
}

void ir_parser_expected(const int *states, int depth, unsigned char *set, int ntokens)
{
    for (int t = 0; t < ntokens && t < YYNTOKEN; t++)
        set[t] = token_acceptable(states, depth, t);
}

int ir_parser_ntokens(void) { return YYNTOKEN; }
}
