/* rule_lex.c - the lexer of the rule language (rule_lex.h).
 *
 * Comments run from ';' to the end of the line, as in IR text. Newlines
 * are blanks: the grammar needs no line structure. Signedness is part of
 * the comparison operators (u< s<=), lexed from the letters u/s glued to
 * < or >. */
#include "rule_lex.h"

#include <string.h>

static const char *const punct_texts[] = {
    [P_ASSIGN] = "=", [P_ARROW] = "=>", [P_COMMA] = ",", [P_LPAREN] = "(",
    [P_RPAREN] = ")", [P_COLON] = ":", [P_DOTDOT] = "..", [P_PLUS] = "+",
    [P_MINUS] = "-", [P_STAR] = "*", [P_AMP] = "&", [P_PIPE] = "|",
    [P_CARET] = "^", [P_TILDE] = "~", [P_BANG] = "!", [P_SHL] = "<<",
    [P_EQ] = "==", [P_NE] = "!=", [P_LAND] = "&&", [P_LOR] = "||",
    [P_ULT] = "u<", [P_ULE] = "u<=", [P_UGT] = "u>", [P_UGE] = "u>=",
    [P_SLT] = "s<", [P_SLE] = "s<=", [P_SGT] = "s>", [P_SGE] = "s>=",
    [P_LT] = "<", [P_LE] = "<=", [P_GT] = ">", [P_GE] = ">=", [P_SHR] = ">>",
    [P_LBRACE] = "{", [P_RBRACE] = "}",
};

const char *punct_text(Punct p)
{
    return punct_texts[p];
}

void lex_init(Lexer *lx, const uint8_t *begin, const uint8_t *end, IrLoc at)
{
    lx->p = begin;
    lx->end = end;
    lx->line = at.line ? at.line : 1;
    lx->line_start = begin;
    lx->col_base = at.col ? at.col - 1 : 0;
}

static IrLoc loc_of(const Lexer *lx, const uint8_t *at)
{
    uint32_t col = (uint32_t)(at - lx->line_start) + 1;
    if (lx->line_start == NULL || col == 0)
        col = 1;
    return (IrLoc){lx->line, col + lx->col_base};
}

static void newline(Lexer *lx)
{
    lx->line++;
    lx->line_start = lx->p;
    lx->col_base = 0;
}

static void skip_blanks(Lexer *lx, bool newlines)
{
    while (lx->p < lx->end) {
        uint8_t c = *lx->p;
        if (c == '\n') {
            if (!newlines)
                return;
            lx->p++;
            newline(lx);
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->p++;
        } else if (c == ';' && newlines) {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else {
            return;
        }
    }
}

static bool is_alpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_char(uint8_t c)
{
    return is_alpha(c) || is_digit(c) || c == '.' || c == '$';
}

static int hex_value(uint8_t c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static Token lex_number(Lexer *lx, Token t)
{
    const uint8_t *p = lx->p;
    uint64_t v = 0;
    bool big = false;
    if (p + 1 < lx->end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        p + 2 < lx->end && hex_value(p[2]) >= 0) {
        p += 2;
        for (; p < lx->end && hex_value(*p) >= 0; p++) {
            if (v >> 60)
                big = true;
            v = v << 4 | (uint64_t)hex_value(*p);
        }
    } else {
        for (; p < lx->end && is_digit(*p); p++) {
            uint64_t d = (uint64_t)(*p - '0');
            if (v > (UINT64_MAX - d) / 10)
                big = true;
            v = v * 10 + d;
        }
    }
    /* A letter glued to a number is a malformed number, not two tokens. */
    while (p < lx->end && is_alpha(*p))
        p++, t.kind = TK_BAD;
    t.len = (size_t)(p - lx->p);
    lx->p = p;
    if (t.kind != TK_BAD)
        t.kind = big ? TK_BIGINT : TK_INT;
    t.ival = v;
    return t;
}

static Token punct(Lexer *lx, Token t, Punct p, size_t len)
{
    t.kind = TK_PUNCT;
    t.punct = p;
    t.len = len;
    lx->p += len;
    return t;
}

Token lex_next(Lexer *lx)
{
    skip_blanks(lx, true);
    Token t = {.kind = TK_EOF, .text = (const char *)lx->p, .loc = loc_of(lx, lx->p)};
    if (lx->p >= lx->end)
        return t;
    const uint8_t *p = lx->p;
    size_t left = (size_t)(lx->end - p);
    uint8_t c = p[0], c1 = left > 1 ? p[1] : 0, c2 = left > 2 ? p[2] : 0;

    /* u< u<= u> u>= s< s<= s> s>= */
    if ((c == 'u' || c == 's') && (c1 == '<' || c1 == '>') && c2 != c1) {
        bool eq = c2 == '=';
        Punct k = c == 'u' ? (c1 == '<' ? (eq ? P_ULE : P_ULT) : (eq ? P_UGE : P_UGT))
                           : (c1 == '<' ? (eq ? P_SLE : P_SLT) : (eq ? P_SGE : P_SGT));
        return punct(lx, t, k, eq ? 3 : 2);
    }
    if (is_alpha(c)) {
        while (p < lx->end && is_name_char(*p))
            p++;
        t.kind = TK_IDENT;
        t.len = (size_t)(p - lx->p);
        lx->p = p;
        return t;
    }
    if (is_digit(c))
        return lex_number(lx, t);
    if (c == '%') {
        p++;
        if (p < lx->end && (is_alpha(*p) || *p == '.' || *p == '$')) {
            while (p < lx->end && is_name_char(*p))
                p++;
        } else {
            while (p < lx->end && is_digit(*p))
                p++;
        }
        if (p == lx->p + 1) { /* '%' alone */
            t.kind = TK_BAD;
            t.len = 1;
            lx->p++;
            return t;
        }
        t.kind = TK_VALUE;
        t.text = (const char *)lx->p + 1;
        t.len = (size_t)(p - lx->p - 1);
        lx->p = p;
        return t;
    }
    switch (c) {
    case '=':
        if (c1 == '>')
            return punct(lx, t, P_ARROW, 2);
        if (c1 == '=')
            return punct(lx, t, P_EQ, 2);
        return punct(lx, t, P_ASSIGN, 1);
    case ',': return punct(lx, t, P_COMMA, 1);
    case '(': return punct(lx, t, P_LPAREN, 1);
    case ')': return punct(lx, t, P_RPAREN, 1);
    case ':': return punct(lx, t, P_COLON, 1);
    case '{': return punct(lx, t, P_LBRACE, 1);
    case '}': return punct(lx, t, P_RBRACE, 1);
    case '.':
        if (c1 == '.')
            return punct(lx, t, P_DOTDOT, 2);
        break;
    case '+': return punct(lx, t, P_PLUS, 1);
    case '-': return punct(lx, t, P_MINUS, 1);
    case '*': return punct(lx, t, P_STAR, 1);
    case '&': return c1 == '&' ? punct(lx, t, P_LAND, 2) : punct(lx, t, P_AMP, 1);
    case '|': return c1 == '|' ? punct(lx, t, P_LOR, 2) : punct(lx, t, P_PIPE, 1);
    case '^': return punct(lx, t, P_CARET, 1);
    case '~': return punct(lx, t, P_TILDE, 1);
    case '!': return c1 == '=' ? punct(lx, t, P_NE, 2) : punct(lx, t, P_BANG, 1);
    case '<':
        if (c1 == '<')
            return punct(lx, t, P_SHL, 2);
        return c1 == '=' ? punct(lx, t, P_LE, 2) : punct(lx, t, P_LT, 1);
    case '>':
        if (c1 == '>')
            return punct(lx, t, P_SHR, 2);
        return c1 == '=' ? punct(lx, t, P_GE, 2) : punct(lx, t, P_GT, 1);
    default: break;
    }
    t.kind = TK_BAD;
    t.len = 1;
    lx->p++;
    return t;
}

Token lex_rule_name(Lexer *lx)
{
    skip_blanks(lx, false);
    Token t = {.kind = TK_IDENT, .text = (const char *)lx->p, .loc = loc_of(lx, lx->p)};
    const uint8_t *p = lx->p;
    while (p < lx->end && (is_name_char(*p) || *p == '-') && *p != '$')
        p++;
    t.len = (size_t)(p - lx->p);
    lx->p = p;
    return t;
}

bool tok_is(const Token *t, const char *ident)
{
    return t->kind == TK_IDENT && strlen(ident) == t->len &&
           memcmp(t->text, ident, t->len) == 0;
}
