/* read_text.h - what the IR text lexer (lexer.re), the grammar
 * (parser.y) and the reader (read_text.c) share.
 *
 * Token codes TK_* come from lemon's generated parser.h. The lexer turns
 * bytes into Tokens; lemon drives the grammar and calls the rd_* actions
 * below, which build the module through the builder (ir/builder.c) and
 * record the forward references that are resolved at the end of each
 * function (values, blocks) and of the module (symbols). */
#ifndef YVM_READ_TEXT_H
#define YVM_READ_TEXT_H

#include "ir.h"

/* One token. `text` points into the reader's NUL-terminated copy of the
 * source, which lives as long as the parse. */
typedef struct Token {
    int kind;             /* TK_* code, 0 at the end of input */
    const char *text;     /* as written, sigil included */
    uint32_t len;
    IrLoc loc;
    uint32_t val;         /* TK_TYPE: IrType; instruction tokens: IrOpcode */
    const uint8_t *bytes; /* TK_STRING: the decoded bytes (scratch arena) */
    uint32_t nbytes;
} Token;

/* The lexer's position in a NUL-terminated buffer of `end - start` bytes. */
typedef struct Lexer {
    const unsigned char *start, *cur, *end, *line_start;
    uint32_t line;
    uint32_t depth;       /* braces open: a `rule` item starts only at 0 */
    Arena *scratch;       /* decoded strings */
    /* Set when lexer_next returns -1: the message and where it points. */
    char err[160];
    IrLoc err_loc;
} Lexer;

void lexer_init(Lexer *lx, const char *buf, size_t len, Arena *scratch);
/* The next token's code (0 at the end of input), or -1 on a lexical
 * error described by lx->err / lx->err_loc. */
int lexer_next(Lexer *lx, Token *tok);

/* ---- the reader, as seen from the grammar's actions ---- */

typedef struct Reader Reader;

/* Lemon's entry points (parser.c), with the grammar's extra argument. */
void *IrParserAlloc(void *(*alloc)(size_t));
void IrParserFree(void *parser, void (*dealloc)(void *));
void IrParser(void *parser, int major, Token minor, Reader *rd);
/* For "expected X" messages: save the parser's state stack (its depth,
 * 0 if over max), and later list the terminals that state accepts
 * (set[code] = 1 for code < ntokens). */
int ir_parser_save(void *parser, int *states, int max);
void ir_parser_expected(const int *states, int depth, unsigned char *set, int ntokens);
int ir_parser_ntokens(void);

/* Errors found by the grammar itself. */
void rd_syntax_error(Reader *rd, const Token *found);
void rd_stack_overflow(Reader *rd);

/* Module items. */
void rd_module_name(Reader *rd, const Token *s);
void rd_rule(Reader *rd, const Token *r); /* the whole `rule ... }` text */
void rd_oblig(Reader *rd, const Token *o); /* `obligation ... }`, read at the end */
void rd_param(Reader *rd, const Token *type, const Token *name); /* name may be NULL */
void rd_variadic(Reader *rd);
void rd_extern(Reader *rd, const Token *name, int ret);
void rd_func_begin(Reader *rd, const Token *name, bool exported);
void rd_attr(Reader *rd, const Token *attr, const Token *arg);
void rd_func_header(Reader *rd, int ret);
void rd_func_end(Reader *rd);
void rd_data_begin(Reader *rd, const Token *name, bool is_global);
void rd_data_lone(Reader *rd);
void rd_field_string(Reader *rd, const Token *s);
void rd_field_zero(Reader *rd, const Token *kw, const Token *n);
void rd_field_typed(Reader *rd, const Token *type, const Token *v);

/* Function bodies. */
void rd_block(Reader *rd, const Token *label);
void rd_result(Reader *rd, const Token *name);
void rd_inst_end(Reader *rd);
void rd_call_arg(Reader *rd, const Token *type, const Token *v);
void rd_target_arg(Reader *rd, const Token *v);
int rd_target(Reader *rd, const Token *label);
void rd_case(Reader *rd, const Token *key, int target);

void rd_binary(Reader *rd, const Token *op, const Token *t, const Token *a,
               const Token *b);
void rd_unary(Reader *rd, const Token *op, const Token *t, const Token *a);
void rd_cmp_head(Reader *rd, const Token *op, const Token *cond);
void rd_cmp(Reader *rd, const Token *t, const Token *a, const Token *b);
void rd_select(Reader *rd, const Token *op, const Token *t, const Token *c,
               const Token *a, const Token *b);
void rd_conv(Reader *rd, const Token *op, const Token *from, const Token *a,
             const Token *to);
void rd_alloca(Reader *rd, const Token *op, const Token *n, const Token *align);
void rd_load(Reader *rd, const Token *op, const Token *t, const Token *p);
void rd_store(Reader *rd, const Token *op, const Token *t, const Token *v,
              const Token *p);
void rd_ptradd(Reader *rd, const Token *op, const Token *p, const Token *off);
void rd_mem(Reader *rd, const Token *op, const Token *a, const Token *b,
            const Token *n);
void rd_call(Reader *rd, const Token *op, const Token *callee);
void rd_call_ind(Reader *rd, const Token *op, const Token *fp, int ret);
void rd_br(Reader *rd, const Token *op, int target);
void rd_condbr(Reader *rd, const Token *op, const Token *c, int t, int e);
void rd_switch(Reader *rd, const Token *op, const Token *t, const Token *v,
               int dflt);
void rd_ret(Reader *rd, const Token *op, const Token *v); /* v may be NULL */
void rd_trap(Reader *rd, const Token *op, const Token *reason);

#endif
