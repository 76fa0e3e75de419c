/* rule_lex.h - tokens of the rule language (.yvmr), for rule_parse.c.
 *
 * A pull lexer over a byte range that need not be NUL-terminated. It never
 * fails: a byte it cannot use becomes a TK_BAD token that the parser
 * reports with its location. */
#ifndef YVM_RULE_LEX_H
#define YVM_RULE_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef enum TokKind {
    TK_EOF,
    TK_IDENT,  /* name, keyword, opcode, function, type, constant */
    TK_VALUE,  /* %name: text excludes the '%' */
    TK_INT,    /* decimal or 0x hex; ival */
    TK_PUNCT,  /* punct */
    TK_BAD,    /* a byte that starts no token; text points at it */
    TK_BIGINT, /* an integer literal above 2^64 - 1 */
} TokKind;

typedef enum Punct {
    P_ASSIGN, P_ARROW, P_COMMA, P_LPAREN, P_RPAREN, P_COLON, P_DOTDOT,
    P_PLUS, P_MINUS, P_STAR, P_AMP, P_PIPE, P_CARET, P_TILDE, P_BANG,
    P_SHL, P_EQ, P_NE, P_LAND, P_LOR,
    P_ULT, P_ULE, P_UGT, P_UGE, P_SLT, P_SLE, P_SGT, P_SGE,
    P_LT, P_LE, P_GT, P_GE, P_SHR, /* where clauses; in expressions
                                          only to explain they are not allowed */
    P_LBRACE, P_RBRACE,            /* around a rule's body (rule items) */
} Punct;

typedef struct Token {
    TokKind kind;
    Punct punct;
    const char *text; /* into the source */
    size_t len;
    uint64_t ival;
    IrLoc loc;
} Token;

typedef struct Lexer {
    const uint8_t *p, *end;
    uint32_t line;
    const uint8_t *line_start; /* column 1 of the current line */
    uint32_t col_base;         /* added to columns on the first line */
} Lexer;

void lex_init(Lexer *lx, const uint8_t *begin, const uint8_t *end, IrLoc at);
Token lex_next(Lexer *lx);
/* A rule name: [A-Za-z0-9_.-]+ right after blanks (not newlines); an empty
 * token (len 0) if there is none. */
Token lex_rule_name(Lexer *lx);
bool tok_is(const Token *t, const char *ident);
const char *punct_text(Punct p);

#endif
