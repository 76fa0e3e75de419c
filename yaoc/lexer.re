/* lexer.re - the Yao lexer (re2c): bytes -> tokens.
 *
 * It reads a NUL-terminated buffer: the NUL at `end` is the sentinel and
 * a NUL before it is an error, so nothing past the input is ever read.
 *
 * A stack of modes makes strings, interpolation and shell commands plain
 * tokens for the grammar:
 *   "ab{x}cd{y:.3}ef"  ->  ISTR_BEGIN("ab") x ISTR_MID("cd") y ISPEC(".3")
 *                           ISTR_END("ef")          ("abc" -> STRING)
 *   $ cp {a} "b c";   ->  DOLLAR SHTEXT(cp) SHSP SHLBRACE a SHRBRACE SHSP
 *                           STRING("b c") SEMI
 * Inside {expr} the code rules apply with a brace depth, so strings and
 * braces nest; a ':' at depth 0 starts the format spec. In a command,
 * SHSP separates words: pieces written together form one word.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "yao.h"

void yao_lexer_init(Lexer *lx, const uint8_t *buf, size_t len, Arena *arena)
{
    memset(lx, 0, sizeof *lx);
    lx->start = lx->cur = lx->line_start = lx->tok = buf;
    lx->end = lx->start + len;
    lx->line = 1;
    lx->arena = arena;
    lx->stack[0].mode = LM_CODE;
    lx->sp = 1;
}

static IrLoc loc_at(const Lexer *lx, const unsigned char *p)
{
    return (IrLoc){lx->line, (uint32_t)(p - lx->line_start) + 1};
}

static int lex_error_at(Lexer *lx, IrLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lex_error_at(Lexer *lx, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err, sizeof lx->err, fmt, ap);
    va_end(ap);
    lx->err_loc = loc;
    return -1;
}

static void newline(Lexer *lx, const unsigned char *after)
{
    lx->line++;
    lx->line_start = after;
}

static LexFrame *top(Lexer *lx)
{
    return &lx->stack[lx->sp - 1];
}

static int push(Lexer *lx, LexMode mode, IrLoc open)
{
    if (lx->sp == LEX_MAX_DEPTH)
        return lex_error_at(lx, open, "strings and commands nested too deeply");
    LexFrame *f = &lx->stack[lx->sp++];
    memset(f, 0, sizeof *f);
    f->mode = mode;
    f->open = open;
    return 0;
}

/* A growable byte buffer in the arena for decoded strings. */
typedef struct Bytes {
    uint8_t *p;
    uint32_t n, cap;
} Bytes;

static void bytes_put(Lexer *lx, Bytes *b, uint8_t c)
{
    ARENA_PUSH(lx->arena, b->p, b->n, b->cap, c);
}

static const struct {
    const char *word;
    int code;
} keywords[] = {
    {"fn", TK_FN},         {"struct", TK_STRUCT},   {"mut", TK_MUT},
    {"const", TK_CONST},   {"if", TK_IF},           {"else", TK_ELSE},
    {"while", TK_WHILE},   {"for", TK_FOR},         {"in", TK_IN},
    {"break", TK_BREAK},   {"continue", TK_CONTINUE}, {"return", TK_RETURN},
    {"import", TK_IMPORT}, {"true", TK_TRUE},       {"false", TK_FALSE},
    {"try", TK_TRY},       {"catch", TK_CATCH},     {"error", TK_ERROR},
    {"alloc", TK_ALLOC},   {"extern", TK_EXTERN},
};

static int word_token(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0)
            return keywords[i].code;
    return TK_IDENT;
}

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)c - '0';
    if (c >= 'a' && c <= 'f')
        return (int)c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return (int)c - 'A' + 10;
    return -1;
}

/* One escape after the backslash at p; the byte goes to *out. Returns
 * the bytes consumed after the backslash, or -1 on error. */
static int escape(Lexer *lx, const unsigned char *p, uint8_t *out)
{
    switch (p[1]) {
    case 'n': *out = '\n'; return 1;
    case 't': *out = '\t'; return 1;
    case 'r': *out = '\r'; return 1;
    case '0': *out = 0; return 1;
    case '\\': *out = '\\'; return 1;
    case '"': *out = '"'; return 1;
    case '\'': *out = '\''; return 1;
    case '{': *out = '{'; return 1;
    case '}': *out = '}'; return 1;
    case 'x': {
        int h = hexval(p[2]), l = h < 0 ? -1 : hexval(p[3]);
        if (h < 0 || l < 0)
            return lex_error_at(lx, loc_at(lx, p), "'\\x' needs two hex digits");
        *out = (uint8_t)(h * 16 + l);
        return 3;
    }
    default:
        if (p[1] >= 0x21 && p[1] < 0x7f)
            return lex_error_at(lx, loc_at(lx, p), "unknown escape '\\%c'", p[1]);
        return lex_error_at(lx, loc_at(lx, p), "unknown escape after '\\'");
    }
}

/* ---- strings ---- */

/* Continue a string from lx->cur (just after '"' or after the '}' of an
 * interpolation) up to '"' or '{'. */
static int lex_string(Lexer *lx, Token *tok)
{
    LexFrame *f = top(lx);
    Bytes b = {0};
    const unsigned char *p = lx->cur;
    if (tok->loc.line == 0) /* else: the opening quote or closing brace */
        tok->loc = loc_at(lx, p);
    for (;;) {
        if (p >= lx->end)
            return lex_error_at(lx, f->open, "unterminated string literal");
        unsigned c = *p;
        if (c == 0)
            return lex_error_at(lx, loc_at(lx, p), "NUL byte in string literal");
        if (c == '"') {
            bool interp = f->after_piece;
            lx->cur = p + 1;
            lx->sp--;
            LexFrame *parent = top(lx);
            if (parent->mode == LM_SHELL) {
                parent->after_piece = true;
                parent->space = false;
            }
            tok->bytes = b.p ? b.p : (const uint8_t *)"";
            tok->nbytes = b.n;
            return interp ? TK_ISTR_END : TK_STRING;
        }
        if (c == '{') {
            int kind = f->after_piece ? TK_ISTR_MID : TK_ISTR_BEGIN;
            f->after_piece = true; /* this string has an interpolation */
            lx->cur = p + 1;
            tok->bytes = b.p ? b.p : (const uint8_t *)"";
            tok->nbytes = b.n;
            if (push(lx, LM_INTERP, loc_at(lx, p)) < 0)
                return -1;
            return kind;
        }
        if (c == '\\') {
            uint8_t out;
            int k = escape(lx, p, &out);
            if (k < 0)
                return -1;
            bytes_put(lx, &b, out);
            p += 1 + k;
            continue;
        }
        bytes_put(lx, &b, (uint8_t)c);
        p++;
        if (c == '\n')
            newline(lx, p);
    }
}

/* The format spec after ':' in an interpolation, up to the '}'. */
static int lex_spec(Lexer *lx, Token *tok)
{
    const unsigned char *p = lx->cur;
    tok->loc = loc_at(lx, p);
    while (p < lx->end && *p != '}' && *p != '"' && *p != '\n' && *p != 0)
        p++;
    if (p >= lx->end || *p != '}')
        return lex_error_at(lx, tok->loc, "unterminated format spec (missing '}')");
    tok->bytes = lx->cur;
    tok->nbytes = (uint32_t)(p - lx->cur);
    lx->cur = p;
    return TK_ISPEC;
}

/* ---- shell commands ---- */

static bool shell_word_byte(unsigned c)
{
    return c != 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ';' &&
           c != '|' && c != '<' && c != '>' && c != '"' && c != '{' && c != '}';
}

static int lex_shell(Lexer *lx, Token *tok)
{
    LexFrame *f = top(lx);
    const unsigned char *p = lx->cur;
    while (p < lx->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        f->space = true;
        if (*p++ == '\n')
            newline(lx, p);
    }
    lx->cur = p;
    tok->loc = loc_at(lx, p);
    tok->text = (const char *)p;
    if (p >= lx->end)
        return lex_error_at(lx, f->open, "unterminated command (missing ';')");
    unsigned c = *p;
    if (c == 0)
        return lex_error_at(lx, tok->loc, "NUL byte in command");
    if (c == ';') {
        lx->cur = p + 1;
        lx->sp--;
        tok->len = 1;
        return TK_SEMI;
    }
    bool word_start = !f->after_piece || f->space;
    int op = 0;
    size_t oplen = 1;
    if (c == '|')
        op = TK_SHPIPE;
    else if (c == '<')
        op = TK_SHLT;
    else if (c == '>' && p[1] == '>')
        op = TK_SHAPPEND, oplen = 2;
    else if (c == '>')
        op = TK_SHGT;
    else if (c == '2' && p[1] == '>' && word_start)
        op = TK_SHERR, oplen = 2;
    if (op) {
        lx->cur = p + oplen;
        tok->len = (uint32_t)oplen;
        f->after_piece = false;
        f->space = false;
        return op;
    }
    if (c == '}')
        return lex_error_at(lx, tok->loc, "unexpected '}' in command (write \"}\")");
    /* A piece of a word: first a separator if a word ended before. */
    if (f->after_piece && f->space) {
        f->after_piece = false;
        f->space = false;
        return TK_SHSP;
    }
    f->space = false;
    if (c == '"') {
        lx->cur = p + 1;
        if (push(lx, LM_STRING, tok->loc) < 0)
            return -1;
        return lex_string(lx, tok);
    }
    if (c == '{') {
        lx->cur = p + 1;
        tok->len = 1;
        if (push(lx, LM_INTERP, tok->loc) < 0)
            return -1;
        top(lx)->in_shell = true;
        return TK_SHLBRACE;
    }
    const unsigned char *s = p;
    while (p < lx->end && shell_word_byte(*p))
        p++;
    lx->cur = p;
    tok->bytes = s;
    tok->nbytes = (uint32_t)(p - s);
    tok->len = tok->nbytes;
    f->after_piece = true;
    return TK_SHTEXT;
}

/* ---- code ---- */

/* Skip white space and comments (block comments nest). */
static int skip_space(Lexer *lx)
{
    const unsigned char *p = lx->cur;
    for (;;) {
        if (p >= lx->end)
            break;
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        } else if (*p == '\n') {
            p++;
            newline(lx, p);
        } else if (p[0] == '/' && p[1] == '/') {
            while (p < lx->end && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            IrLoc open = loc_at(lx, p);
            unsigned depth = 1;
            p += 2;
            while (depth) {
                if (p >= lx->end)
                    return lex_error_at(lx, open, "unterminated block comment");
                if (p[0] == '/' && p[1] == '*') {
                    depth++;
                    p += 2;
                } else if (p[0] == '*' && p[1] == '/') {
                    depth--;
                    p += 2;
                } else if (*p++ == '\n') {
                    newline(lx, p);
                }
            }
        } else {
            break;
        }
    }
    lx->cur = p;
    return 0;
}

/* The value of an integer literal (digits with '_', in base). */
static void int_value(Token *tok, const unsigned char *s, const unsigned char *e,
                      unsigned base)
{
    uint64_t v = 0;
    bool big = false;
    for (; s < e; s++) {
        if (*s == '_')
            continue;
        unsigned d = (unsigned)hexval(*s);
        if (v > (UINT64_MAX - d) / base)
            big = true;
        v = v * base + d;
    }
    tok->ival = big ? UINT64_MAX : v;
    tok->too_big = big;
}

static int char_literal(Lexer *lx, Token *tok, const unsigned char *p)
{
    /* p points at the opening quote. */
    uint8_t v;
    const unsigned char *q = p + 1;
    if (*q == '\\') {
        int k = escape(lx, q, &v);
        if (k < 0)
            return -1;
        q += 1 + k;
    } else if (*q == '\'' || *q == '\n' || *q == 0 || q >= lx->end) {
        return lex_error_at(lx, tok->loc, "empty or unterminated character literal");
    } else if (*q >= 0x80) {
        return lex_error_at(lx, tok->loc, "a character literal is one byte (u8); "
                                          "use a string for other characters");
    } else {
        v = *q++;
    }
    if (q >= lx->end || *q != '\'')
        return lex_error_at(lx, tok->loc, "unterminated character literal");
    lx->cur = q + 1;
    tok->ival = v;
    tok->is_char = true;
    tok->len = (uint32_t)(lx->cur - p);
    return TK_INT;
}

static int lex_code(Lexer *lx, Token *tok)
{
    LexFrame *f = top(lx);
    if (skip_space(lx) < 0)
        return -1;
    const unsigned char *YYCURSOR = lx->cur, *YYMARKER = NULL;
    const unsigned char *s = YYCURSOR;
    tok->loc = loc_at(lx, s);
    tok->text = (const char *)s;
#define TOKEN(k) do { lx->cur = YYCURSOR; tok->len = (uint32_t)(YYCURSOR - s); return (k); } while (0)
    /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:yyfill:enable = 0;

        dec   = [0-9][0-9_]*;
        hex   = "0x" [0-9a-fA-F_]+;
        bin   = "0b" [01_]+;
        exp   = [eE] [+-]? [0-9]+;
        flt   = dec "." [0-9][0-9_]* exp? | dec exp;
        ident = [A-Za-z_][A-Za-z0-9_]*;

        "\x00" {
            if (s >= lx->end) {
                if (f->mode == LM_INTERP)
                    return lex_error_at(lx, f->open, "unterminated string literal");
                lx->cur = s;
                return 0;
            }
            return lex_error_at(lx, tok->loc, "NUL byte in source");
        }
        dec {
            int_value(tok, s, YYCURSOR, 10);
            TOKEN(TK_INT);
        }
        hex {
            int_value(tok, s + 2, YYCURSOR, 16);
            TOKEN(TK_INT);
        }
        bin {
            int_value(tok, s + 2, YYCURSOR, 2);
            TOKEN(TK_INT);
        }
        flt {
            char buf[512];
            size_t n = 0;
            for (const unsigned char *q = s; q < YYCURSOR && n < sizeof buf - 1; q++)
                if (*q != '_')
                    buf[n++] = (char)*q;
            buf[n] = 0;
            tok->fval = strtod(buf, NULL);
            TOKEN(TK_FLOAT);
        }
        [0-9][0-9A-Za-z_]* ("." [0-9][0-9A-Za-z_]*)? {
            return lex_error_at(lx, tok->loc, "invalid number literal '%.*s'",
                                (int)(YYCURSOR - s > 40 ? 40 : YYCURSOR - s), s);
        }
        ident {
            lx->cur = YYCURSOR;
            tok->len = (uint32_t)(YYCURSOR - s);
            return word_token(s, tok->len);
        }
        "'" { return char_literal(lx, tok, s); }
        "\"" {
            lx->cur = YYCURSOR;
            if (push(lx, LM_STRING, tok->loc) < 0)
                return -1;
            return lex_string(lx, tok);
        }
        "$" {
            lx->cur = YYCURSOR;
            tok->len = 1;
            if (push(lx, LM_SHELL, tok->loc) < 0)
                return -1;
            return TK_DOLLAR;
        }
        "{" {
            if (f->mode == LM_INTERP)
                f->depth++;
            TOKEN(TK_LBRACE);
        }
        "}" {
            if (f->mode != LM_INTERP || f->depth > 0) {
                if (f->mode == LM_INTERP)
                    f->depth--;
                TOKEN(TK_RBRACE);
            }
            /* The end of an interpolation. */
            bool shell = f->in_shell;
            lx->cur = YYCURSOR;
            lx->sp--;
            if (shell) {
                top(lx)->after_piece = true;
                top(lx)->space = false;
                tok->len = 1;
                return TK_SHRBRACE;
            }
            return lex_string(lx, tok);
        }
        ":" {
            if (f->mode == LM_INTERP && f->depth == 0) {
                lx->cur = YYCURSOR;
                return lex_spec(lx, tok);
            }
            TOKEN(TK_COLON);
        }
        "("   { TOKEN(TK_LPAREN); }
        ")"   { TOKEN(TK_RPAREN); }
        "["   { TOKEN(TK_LBRACKET); }
        "]"   { TOKEN(TK_RBRACKET); }
        ","   { TOKEN(TK_COMMA); }
        ";"   { TOKEN(TK_SEMI); }
        ":="  { TOKEN(TK_COLONEQ); }
        "."   { TOKEN(TK_DOT); }
        ".."  { TOKEN(TK_DOTDOT); }
        "->"  { TOKEN(TK_ARROW); }
        "+"   { TOKEN(TK_PLUS); }
        "-"   { TOKEN(TK_MINUS); }
        "*"   { TOKEN(TK_STAR); }
        "/"   { TOKEN(TK_SLASH); }
        "%"   { TOKEN(TK_PERCENT); }
        "+%"  { TOKEN(TK_PLUSW); }
        "-%"  { TOKEN(TK_MINUSW); }
        "*%"  { TOKEN(TK_STARW); }
        "<<"  { TOKEN(TK_SHL); }
        ">>"  { TOKEN(TK_SHR); }
        "&"   { TOKEN(TK_AMP); }
        "|"   { TOKEN(TK_PIPE); }
        "^"   { TOKEN(TK_CARET); }
        "~"   { TOKEN(TK_TILDE); }
        "!"   { TOKEN(TK_BANG); }
        "&&"  { TOKEN(TK_ANDAND); }
        "||"  { TOKEN(TK_OROR); }
        "=="  { TOKEN(TK_EQEQ); }
        "!="  { TOKEN(TK_NE); }
        "<"   { TOKEN(TK_LT); }
        "<="  { TOKEN(TK_LE); }
        ">"   { TOKEN(TK_GT); }
        ">="  { TOKEN(TK_GE); }
        "="   { TOKEN(TK_ASSIGN); }
        "+="  { TOKEN(TK_ADDEQ); }
        "-="  { TOKEN(TK_SUBEQ); }
        "*="  { TOKEN(TK_MULEQ); }
        "/="  { TOKEN(TK_DIVEQ); }
        "%="  { TOKEN(TK_REMEQ); }
        "+%=" { TOKEN(TK_ADDWEQ); }
        "-%=" { TOKEN(TK_SUBWEQ); }
        "*%=" { TOKEN(TK_MULWEQ); }
        "&="  { TOKEN(TK_ANDEQ); }
        "|="  { TOKEN(TK_OREQ); }
        "^="  { TOKEN(TK_XOREQ); }
        "<<=" { TOKEN(TK_SHLEQ); }
        ">>=" { TOKEN(TK_SHREQ); }
        * {
            if (*s >= 0x21 && *s < 0x7f)
                return lex_error_at(lx, tok->loc, "unexpected character '%c'", *s);
            return lex_error_at(lx, tok->loc, "unexpected byte 0x%02x", *s);
        }
    */
#undef TOKEN
}

int yao_lexer_next(Lexer *lx, Token *tok)
{
    memset(tok, 0, sizeof *tok);
    switch (top(lx)->mode) {
    case LM_STRING:
        return lex_string(lx, tok);
    case LM_SHELL:
        return lex_shell(lx, tok);
    case LM_CODE:
    case LM_INTERP:
        break;
    }
    return lex_code(lx, tok);
}
