/* lexer.re - the IR text lexer (re2c), see docs/ir.md "Text form".
 *
 * It reads a NUL-terminated copy of the source: the NUL at `end` is the
 * sentinel; a NUL byte before it is an error, so nothing past the input
 * is ever read. Words are looked up among the keywords (types, opcodes
 * from opcodes.def, item and attribute words); any other word is a block
 * label (TK_IDENT). A word followed by ':' or '(' is always a label, so
 * a block may be named like a keyword (where a label is used, the grammar
 * takes any keyword as a word). */
#include <stdio.h>
#include <string.h>

#include "parser.h"
#include "read_text.h"

void lexer_init(Lexer *lx, const char *buf, size_t len, Arena *scratch)
{
    memset(lx, 0, sizeof *lx);
    lx->start = lx->cur = lx->line_start = (const unsigned char *)buf;
    lx->end = lx->start + len;
    lx->line = 1;
    lx->scratch = scratch;
}

static IrLoc loc_at(const Lexer *lx, const unsigned char *p)
{
    return (IrLoc){lx->line, (uint32_t)(p - lx->line_start) + 1};
}

static int lex_error(Lexer *lx, const unsigned char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lex_error(Lexer *lx, const unsigned char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->err, sizeof lx->err, fmt, ap);
    va_end(ap);
    lx->err_loc = loc_at(lx, at);
    return -1;
}

/* A token's text for a message, shortened when long. */
static int shown_len(const unsigned char *s, const unsigned char *e)
{
    return e - s > 40 ? 40 : (int)(e - s);
}

static const struct {
    const char *word;
    int code;
    uint32_t val;
} keywords[] = {
    {"module", TK_MODULE, 0},     {"extern", TK_EXTERN, 0},
    {"func", TK_FUNC, 0},         {"export", TK_EXPORT, 0},
    {"data", TK_DATA, 0},         {"global", TK_GLOBALKW, 0},
    {"zero", TK_ZERO, 0},         {"unsafe", TK_UNSAFE, IR_ATTR_UNSAFE},
    {"ct", TK_CT, IR_ATTR_CT},    {"noinline", TK_NOINLINE, IR_ATTR_NOINLINE},
    {"deadline", TK_DEADLINE, IR_ATTR_DEADLINE},
    {"target", TK_TARGET, 0},     {"inf", TK_INF, 0},
    {"nan", TK_NAN, 0},           {"align", TK_ALIGN, 0},
    {"to", TK_TO, 0},
    {"i1", TK_TYPE, IR_I1},       {"i8", TK_TYPE, IR_I8},
    {"i16", TK_TYPE, IR_I16},     {"i32", TK_TYPE, IR_I32},
    {"i64", TK_TYPE, IR_I64},     {"f32", TK_TYPE, IR_F32},
    {"f64", TK_TYPE, IR_F64},     {"ptr", TK_TYPE, IR_PTR},
};

/* The token class of each instruction shape. */
static int form_token(IrForm form)
{
    switch (form) {
    case IR_FORM_BINARY: return TK_BINOP;
    case IR_FORM_UNARY: return TK_UNOP;
    case IR_FORM_ICMP: return TK_ICMP;
    case IR_FORM_FCMP: return TK_FCMP;
    case IR_FORM_SELECT: return TK_SELECT;
    case IR_FORM_CONV: return TK_CONV;
    case IR_FORM_ALLOCA: return TK_ALLOCA;
    case IR_FORM_LOAD: return TK_LOAD;
    case IR_FORM_STORE: return TK_STORE;
    case IR_FORM_PTRADD: return TK_PTRADD;
    case IR_FORM_MEMCPY: return TK_MEMCPY;
    case IR_FORM_MEMSET: return TK_MEMSET;
    case IR_FORM_CALL: return TK_CALL;
    case IR_FORM_CALLIND: return TK_CALLIND;
    case IR_FORM_BR: return TK_BR;
    case IR_FORM_CONDBR: return TK_CONDBR;
    case IR_FORM_SWITCH: return TK_SWITCH;
    case IR_FORM_RET: return TK_RET;
    case IR_FORM_TRAP: return TK_TRAP;
    }
    return TK_IDENT;
}

static int word_token(const char *s, size_t n, uint32_t *val)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0) {
            *val = keywords[i].val;
            return keywords[i].code;
        }
    for (unsigned op = 0; op < IR_OPCODE_COUNT; op++) {
        const char *name = ir_op_info[op].name;
        if (strlen(name) == n && memcmp(name, s, n) == 0) {
            *val = op;
            return form_token(ir_op_info[op].form);
        }
    }
    return TK_IDENT;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The body of a string after its opening quote at `open`: check it,
 * decode it into the scratch arena, and leave the cursor after the
 * closing quote. */
static int scan_string(Lexer *lx, const unsigned char *open, Token *tok)
{
    const unsigned char *p = open + 1;
    size_t n = 0;
    for (;; n++) {
        if (p >= lx->end || *p == '\n')
            return lex_error(lx, open, "unterminated string");
        if (*p == '"')
            break;
        if (*p < 0x20 && *p != '\t')
            return lex_error(lx, p, "byte 0x%02x in a string must be written as an escape", *p);
        if (*p != '\\') {
            p++;
            continue;
        }
        const unsigned char *esc = p;
        if (esc + 1 >= lx->end)
            return lex_error(lx, open, "unterminated string");
        switch (esc[1]) {
        case 'n': case 't': case 'r': case '\\': case '"': case '0':
            p += 2;
            break;
        case 'x':
            if (esc + 3 >= lx->end || hex_digit(esc[2]) < 0 || hex_digit(esc[3]) < 0)
                return lex_error(lx, esc, "'\\x' must be followed by two hex digits");
            p += 4;
            break;
        default:
            if (esc[1] >= 0x20 && esc[1] < 0x7f)
                return lex_error(lx, esc, "invalid escape '\\%c' in string", esc[1]);
            return lex_error(lx, esc, "invalid escape in string");
        }
    }
    uint8_t *out = arena_alloc(lx->scratch, n + 1);
    size_t k = 0;
    for (const unsigned char *q = open + 1; q < p;) {
        if (*q != '\\') {
            out[k++] = *q++;
            continue;
        }
        switch (q[1]) {
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case 'r': out[k++] = '\r'; break;
        case '0': out[k++] = 0; break;
        case 'x': out[k++] = (uint8_t)(hex_digit(q[2]) * 16 + hex_digit(q[3])); q += 2; break;
        default: out[k++] = q[1]; break; /* \\ and \" */
        }
        q += 2;
    }
    if (n > UINT32_MAX)
        return lex_error(lx, open, "string too long");
    tok->bytes = out;
    tok->nbytes = (uint32_t)n;
    lx->cur = p + 1;
    return TK_STRING;
}

/* Does a label's ':' or '(' come next, past blanks? No keyword is ever
 * followed by either, so such a word can only be a block label. */
static bool label_follows(const Lexer *lx, const unsigned char *p)
{
    while (p < lx->end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p < lx->end && (*p == ':' || *p == '(');
}

/* A rule item, `rule NAME { ... }` in the rule language (docs/rules.md),
 * is one token from its keyword at `s` to its closing brace: that
 * language has its own reader (ir/rule_item.c), and no brace of its own,
 * so the first '}' outside a comment ends it. */
static int scan_rule(Lexer *lx, const unsigned char *s, Token *tok, int kind)
{
    const unsigned char *p = lx->cur, *first_line_start = lx->line_start;
    uint32_t first_line = lx->line;
    for (;;) {
        if (p >= lx->end) {
            lx->line = first_line;
            lx->line_start = first_line_start;
            return lex_error(lx, s, kind == TK_RULE
                                        ? "unterminated rule item: expected '}'"
                                        : "unterminated obligation item: expected '}'");
        }
        if (*p == 0)
            return lex_error(lx, p, "unexpected byte 0x00");
        if (*p == '}')
            break;
        if (*p == ';') {
            while (p < lx->end && *p != '\n' && *p != 0)
                p++;
            continue;
        }
        if (*p == '\n') {
            lx->line++;
            lx->line_start = p + 1;
        }
        p++;
    }
    lx->cur = p + 1;
    tok->len = (uint32_t)(lx->cur - s);
    tok->kind = kind;
    return kind;
}

int lexer_next(Lexer *lx, Token *tok)
{
    const unsigned char *marker = lx->cur;
    for (;;) {
        const unsigned char *s = lx->cur;
        memset(tok, 0, sizeof *tok);
        tok->text = (const char *)s;
        tok->loc = loc_at(lx, s);
#define TOKEN(code) do { tok->len = (uint32_t)(lx->cur - s); tok->kind = (code); return (code); } while (0)
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = "lx->cur";
        re2c:define:YYMARKER = "marker";
        re2c:yyfill:enable = 0;
        re2c:indent:top = 2;

        name    = [A-Za-z_.$] [A-Za-z0-9_.$]*;
        digits  = [0-9]+;
        dec     = "-"? digits;
        hex     = "-"? "0" [xX] [0-9a-fA-F]+;
        float   = "-"? digits ("." [0-9]* ([eE] [+-]? digits)? | [eE] [+-]? digits);
        badnum  = "-"? [0-9] ([0-9A-Za-z_.$] | [eE] [+-])*;

        "\x00" {
            if (s >= lx->end) {
                lx->cur = s;
                tok->kind = 0;
                return 0;
            }
            return lex_error(lx, s, "unexpected byte 0x00");
        }
        [ \t\r]+ { continue; }
        "\n" { lx->line++; lx->line_start = lx->cur; continue; }
        ";" [^\n\x00]* { continue; }

        ","   { TOKEN(TK_COMMA); }
        "("   { TOKEN(TK_LPAREN); }
        ")"   { TOKEN(TK_RPAREN); }
        "{"   { lx->depth++; TOKEN(TK_LBRACE); }
        "}"   { if (lx->depth) lx->depth--; TOKEN(TK_RBRACE); }
        "["   { TOKEN(TK_LBRACKET); }
        "]"   { TOKEN(TK_RBRACKET); }
        ":"   { TOKEN(TK_COLON); }
        "="   { TOKEN(TK_EQ); }
        "->"  { TOKEN(TK_ARROW); }
        "..." { TOKEN(TK_ELLIPSIS); }

        "@" (name | digits) { TOKEN(TK_GLOBAL); }
        "%" (name | digits) { TOKEN(TK_LOCAL); }
        [@%] digits [A-Za-z_.$] [A-Za-z0-9_.$]* {
            return lex_error(lx, s, "invalid name '%.*s': a name is a word or a decimal number",
                             shown_len(s, lx->cur), s);
        }
        [@%] { return lex_error(lx, s, "expected a name after '%c'", *s); }

        dec | hex { TOKEN(TK_INT); }
        float     { TOKEN(TK_FLOAT); }
        "-inf"    { TOKEN(TK_NEGINF); }
        badnum | "-" name {
            return lex_error(lx, s, "invalid number '%.*s'", shown_len(s, lx->cur), s);
        }

        name {
            if (lx->depth == 0 && lx->cur - s == 4 && memcmp(s, "rule", 4) == 0 &&
                !label_follows(lx, lx->cur))
                return scan_rule(lx, s, tok, TK_RULE);
            /* A proof obligation item (docs/ir.md) is scanned the same way. */
            if (lx->depth == 0 && lx->cur - s == 10 && memcmp(s, "obligation", 10) == 0 &&
                !label_follows(lx, lx->cur))
                return scan_rule(lx, s, tok, TK_OBLIG);
            tok->len = (uint32_t)(lx->cur - s);
            tok->kind = word_token((const char *)s, tok->len, &tok->val);
            if (tok->kind != TK_IDENT && label_follows(lx, lx->cur))
                tok->kind = TK_IDENT; /* a label definition */
            return tok->kind;
        }

        "\"" {
            int code = scan_string(lx, s, tok);
            if (code > 0)
                tok->len = (uint32_t)(lx->cur - s);
            tok->kind = code;
            return code;
        }

        * {
            if (*s >= 0x21 && *s < 0x7f)
                return lex_error(lx, s, "unexpected character '%c'", *s);
            return lex_error(lx, s, "unexpected byte 0x%02x", *s);
        }
        */
#undef TOKEN
    }
}
