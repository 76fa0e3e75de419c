/* read_text.c - the IR text reader: drives the lexer (lexer.re) and the
 * grammar (parser.y) and builds the module through the builder.
 *
 * Names are resolved late so that anything may be used before it is
 * defined: values and blocks at the end of their function, @symbols at
 * the end of the module. Until then an operand is built with index
 * IR_NONE and a fix-up remembers where it is; the arrays the builder
 * allocates for operands and targets never move, so fix-ups point
 * straight at them. Block arguments take their types from the target
 * block's parameters, so they too are converted at the function's end.
 *
 * Errors are collected and printed at the end in source order; lexical
 * and syntax errors stop the parse at once (no cascade), the others
 * (undefined or duplicate names, constants out of range) let it go on so
 * that one run reports them all. Any error means no module. */
#include "read_text.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "oblig.h"
#include "rule_item.h"

/* ---- small tools: growable arrays and name maps in the scratch arena ---- */

#define VEC(T) struct { T *v; uint32_t n, cap; }
#define VPUSH(rd, vec, elem) ARENA_PUSH(&(rd)->scratch, (vec).v, (vec).n, (vec).cap, (elem))

typedef struct NameEntry {
    const char *name; /* NULL: free slot */
    uint32_t len;
    uint32_t val;
    IrLoc loc;
} NameEntry;

typedef struct NameMap {
    NameEntry *slots;
    uint32_t cap, n;
} NameMap;

static uint32_t name_hash(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static NameEntry *map_slot(const NameMap *m, const char *s, uint32_t len)
{
    uint32_t i = name_hash(s, len) & (m->cap - 1);
    for (;; i = (i + 1) & (m->cap - 1)) {
        NameEntry *e = &m->slots[i];
        if (!e->name || (e->len == len && memcmp(e->name, s, len) == 0))
            return e;
    }
}

static NameEntry *map_find(const NameMap *m, const char *s, uint32_t len)
{
    if (!m->cap)
        return NULL;
    NameEntry *e = map_slot(m, s, len);
    return e->name ? e : NULL;
}

/* Adds s -> val unless s is there; returns the entry either way. */
static NameEntry *map_add(Arena *a, NameMap *m, const char *s, uint32_t len,
                          uint32_t val, IrLoc loc)
{
    if (2 * (m->n + 1) > m->cap) {
        NameMap big = {.cap = m->cap ? m->cap * 2 : 16};
        big.slots = arena_alloc(a, sizeof *big.slots * big.cap);
        for (uint32_t i = 0; i < m->cap; i++)
            if (m->slots[i].name)
                *map_slot(&big, m->slots[i].name, m->slots[i].len) = m->slots[i];
        big.n = m->n;
        *m = big;
    }
    NameEntry *e = map_slot(m, s, len);
    if (!e->name) {
        *e = (NameEntry){.name = s, .len = len, .val = val, .loc = loc};
        m->n++;
    }
    return e;
}

/* ---- the reader's state ---- */

typedef struct Param {
    Token type, name;
    bool named;
} Param;

typedef struct ValFix { /* a %value operand, resolved at the function's end */
    IrOperand *opd;
    Token name;
} ValFix;

typedef struct SymFix { /* an @symbol, resolved at the module's end */
    IrOperand *opd;       /* an operand, or */
    IrData *data;         /* a data field */
    uint32_t field;
    Token name;
} SymFix;

typedef struct PendTarget { /* a target of the instruction being read */
    Token label;
    uint32_t first, n;    /* its arguments in Reader.targs */
} PendTarget;

typedef struct TgtFix { /* a built target, resolved at the function's end */
    IrTarget *t;
    PendTarget p;
} TgtFix;

typedef struct CallArg {
    Token type, v;
} CallArg;

typedef struct Case {
    Token key;
    int target;
} Case;

typedef struct Error {
    IrLoc loc;
    uint32_t seq;
    char *msg;
} Error;

struct Reader {
    IrModule *m;
    Arena scratch;        /* everything below; freed when reading ends */
    Lexer lx;
    void *parser;
    Token prev, prev2;    /* the two tokens before the one being parsed */
    int states[256];      /* the parser's state stack before that token */
    int nstates;
    bool stop;            /* a lexical or syntax error: stop reading */
    VEC(Error) errors;

    NameMap syms;         /* "name" or "name\ntarget" -> item index */
    VEC(SymFix) symfix;
    VEC(Token) obligs;    /* obligation items, read when the module is */

    /* the item being read */
    VEC(Param) params;    /* function, extern or block parameters */
    bool variadic;
    Token fname;
    unsigned attrs;
    uint64_t deadline;
    Token target;         /* kind 0: portable */
    IrData *data;

    /* the function being read */
    IrFunc *fn;
    IrBlock *blk;
    NameMap vals, blocks;
    VEC(ValFix) valfix;
    VEC(TgtFix) tgtfix;
    VEC(Token) targs;     /* block arguments of the whole function */
    uint32_t targ_mark;   /* targs before this are taken by targets */

    /* the instruction being read */
    bool has_result;
    Token result;
    Token cmp_op;
    uint8_t cond;
    VEC(CallArg) cargs;
    VEC(PendTarget) tgts;
    VEC(Case) cases;
};

/* ---- errors ---- */

static void add_error(Reader *rd, IrLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_error(Reader *rd, IrLoc loc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    Error e = {.loc = loc, .seq = rd->errors.n,
               .msg = arena_strdup(&rd->scratch, msg)};
    VPUSH(rd, rd->errors, e);
}

static int error_order(const void *a, const void *b)
{
    const Error *x = a, *y = b;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    if (x->loc.col != y->loc.col)
        return x->loc.col < y->loc.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A token as a message shows it: 'text' (long ones cut short). */
static const char *shown(Reader *rd, const Token *t)
{
    char buf[80];
    switch (t->kind) {
    case 0: return "end of file";
    case TK_STRING: return "a string";
    default:
        if (t->len > 40)
            snprintf(buf, sizeof buf, "'%.37s...'", t->text);
        else
            snprintf(buf, sizeof buf, "'%.*s'", (int)t->len, t->text);
        return arena_strdup(&rd->scratch, buf);
    }
}

static const char *loc_text(Reader *rd, IrLoc loc)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%u:%u", (unsigned)loc.line, (unsigned)loc.col);
    return arena_strdup(&rd->scratch, buf);
}

/* ---- syntax errors: "expected X, found Y" ---- */

static bool is_opcode_token(int k) { return k >= TK_BINOP && k <= TK_TRAP; }
static bool is_constant_token(int k)
{
    return k == TK_INT || k == TK_FLOAT || k == TK_NEGINF || k == TK_INF || k == TK_NAN;
}
static bool is_attr_token(int k) { return k >= TK_UNSAFE && k <= TK_TARGET; }
static bool is_item_token(int k)
{
    return (k >= TK_EXTERN && k <= TK_GLOBALKW) || k == TK_RULE || k == TK_OBLIG;
}

static const char *token_phrase(const Reader *rd, int k)
{
    switch (k) {
    case 0: return "end of file";
    case TK_MODULE: return "'module'";
    case TK_EXTERN: return "'extern'";
    case TK_FUNC: return "'func'";
    case TK_EXPORT: return "'export'";
    case TK_DATA: return "'data'";
    case TK_GLOBALKW: return "'global'";
    case TK_UNSAFE: return "'unsafe'";
    case TK_CT: return "'ct'";
    case TK_NOINLINE: return "'noinline'";
    case TK_DEADLINE: return "'deadline'";
    case TK_TARGET: return "'target'";
    case TK_INF: return "'inf'";
    case TK_NAN: return "'nan'";
    case TK_ZERO: return "'zero'";
    case TK_ALIGN: return "'align'";
    case TK_TO: return "'to'";
    case TK_TYPE: return "type";
    case TK_IDENT:
        if (rd->prev.kind == TK_ICMP || rd->prev.kind == TK_FCMP)
            return "condition";
        if (rd->prev.kind == TK_TARGET)
            return "target name";
        return "label";
    case TK_GLOBAL: return "'@name'";
    case TK_LOCAL: return "'%name'";
    case TK_INT: return "integer";
    case TK_STRING: return "string";
    case TK_COMMA: return "','";
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_LBRACE: return "'{'";
    case TK_RBRACE: return "'}'";
    case TK_LBRACKET: return "'['";
    case TK_RBRACKET: return "']'";
    case TK_COLON: return "':'";
    case TK_EQ: return "'='";
    case TK_ARROW: return "'->'";
    case TK_ELLIPSIS: return "'...'";
    case TK_NEGINF: return "'-inf'";
    case TK_FLOAT: return "number";
    case TK_RULE: return "'rule'";
    case TK_OBLIG: return "'obligation'";
    default: return "instruction";
    }
}

/* The expected set in words: groups (instruction, operand, constant,
 * attribute, module item) first where they start, then single tokens,
 * end of file last. */
static void describe_expected(const Reader *rd, const unsigned char *in, int n,
                              char *out, size_t size)
{
    unsigned char set[128];
    memcpy(set, in, (size_t)n);
    if (set[TK_IDENT]) { /* keywords there are only labels spelt like them */
        bool numbers = set[TK_INT] && set[TK_FLOAT] && set[TK_NEGINF];
        for (int k = TK_MODULE; k <= TK_TRAP; k++)
            if (!(numbers && (k == TK_INF || k == TK_NAN)))
                set[k] = 0;
    }
    const char *phrases[64];
    int np = 0;
    /* Groups are named when two or more of their tokens are expected. */
    int nop = 0, nattr = 0, nitem = 0;
    bool all_const = true;
    for (int k = 1; k < n; k++) {
        nop += set[k] && is_opcode_token(k);
        nattr += set[k] && is_attr_token(k);
        nitem += set[k] && is_item_token(k);
        if (is_constant_token(k))
            all_const &= set[k] != 0;
    }
    bool any_op = nop > 1, any_attr = nattr > 1, any_item = nitem > 1;
    bool operand = all_const && set[TK_LOCAL] && set[TK_GLOBAL] && !any_op;
    bool done_op = false, done_const = false, done_attr = false, done_item = false;
    for (int k = 1; k < n && np < 60; k++) {
        if (!set[k])
            continue;
        if ((any_op && is_opcode_token(k)) || (k == TK_LOCAL && any_op)) {
            if (!done_op)
                phrases[np++] = "instruction";
            done_op = true;
        } else if (all_const && (is_constant_token(k) ||
                                 (operand && (k == TK_LOCAL || k == TK_GLOBAL)))) {
            if (!done_const)
                phrases[np++] = operand ? "operand" : "constant";
            done_const = true;
        } else if (any_attr && is_attr_token(k)) {
            if (!done_attr)
                phrases[np++] = "attribute";
            done_attr = true;
        } else if (any_item && is_item_token(k)) {
            if (!done_item)
                phrases[np++] = "module item";
            done_item = true;
        } else {
            phrases[np++] = token_phrase(rd, k);
        }
    }
    if (set[0])
        phrases[np++] = "end of file";
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < np && len < size; i++) {
        const char *sep = i == 0 ? "" : i == np - 1 ? " or " : ", ";
        len += (size_t)snprintf(out + len, size - len, "%s%s", sep, phrases[i]);
    }
    if (np == 0)
        snprintf(out, size, "nothing");
}

void rd_syntax_error(Reader *rd, const Token *found)
{
    if (rd->stop)
        return;
    rd->stop = true;
    if (rd->prev.kind == TK_EQ && found->kind >= TK_BR && found->kind <= TK_TRAP) {
        add_error(rd, found->loc, "%s does not produce a value", shown(rd, found));
        return;
    }
    int n = ir_parser_ntokens();
    unsigned char set[128] = {0};
    if (n > 128)
        n = 128;
    char want[400];
    if (found->kind == TK_EQ && rd->prev.kind == TK_LOCAL && rd->prev2.kind == TK_RET) {
        /* `ret` took the next line's result name as its operand */
        add_error(rd, rd->prev.loc, "expected label or '}' after 'ret', found %s",
                  shown(rd, &rd->prev));
        return;
    }
    ir_parser_expected(rd->states, rd->nstates, set, n);
    describe_expected(rd, set, n, want, sizeof want);
    add_error(rd, found->loc, "expected %s, found %s", want, shown(rd, found));
}

void rd_stack_overflow(Reader *rd)
{
    if (!rd->stop)
        add_error(rd, rd->prev.loc, "input nested too deeply");
    rd->stop = true;
}

/* ---- constants ---- */

/* A token's text as a NUL-terminated string (scratch). */
static char *tok_str(Reader *rd, const Token *t, uint32_t skip)
{
    return arena_strndup(&rd->scratch, t->text + skip, t->len - skip);
}

/* An integer literal's magnitude and sign; false if it does not fit in
 * 64 bits. */
static bool int_literal(const Token *t, uint64_t *mag, bool *neg)
{
    const char *s = t->text, *e = t->text + t->len;
    *neg = s < e && *s == '-';
    s += *neg;
    unsigned base = 10;
    if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t v = 0;
    for (; s < e; s++) {
        unsigned d = *s <= '9' ? (unsigned)(*s - '0') : (unsigned)((*s | 0x20) - 'a' + 10);
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *mag = v;
    return true;
}

static bool is_hex_literal(const Token *t)
{
    const char *s = t->text + (t->len && t->text[0] == '-');
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* An unsigned integer (sizes, alignments, counts); false after an error. */
static bool unsigned_literal(Reader *rd, const Token *t, const char *what, uint64_t *out)
{
    bool neg;
    if (!int_literal(t, out, &neg)) {
        add_error(rd, t->loc, "%s %s does not fit in 64 bits", what, shown(rd, t));
        return false;
    }
    if (neg && *out != 0) {
        add_error(rd, t->loc, "%s must not be negative, found %s", what, shown(rd, t));
        return false;
    }
    return true;
}

static const uint32_t F32_QNAN = 0x7fc00000u;
static const uint64_t F64_QNAN = UINT64_C(0x7ff8000000000000);

/* The bits of a constant token of type t; 0 after an error. */
static uint64_t const_bits(Reader *rd, const Token *tok, IrType t)
{
    const char *tn = ir_type_name(t);
    if (!ir_type_is_float(t)) { /* integers and ptr */
        if (tok->kind != TK_INT) {
            add_error(rd, tok->loc, "expected an integer constant for '%s', found %s",
                      tn, shown(rd, tok));
            return 0;
        }
        uint64_t mag;
        bool neg;
        unsigned bits = ir_type_bits(t);
        uint64_t mask = ir_type_mask(t);
        bool ok = int_literal(tok, &mag, &neg);
        if (ok)
            ok = neg ? mag <= (UINT64_C(1) << (bits - 1)) : mag <= mask;
        if (!ok) {
            add_error(rd, tok->loc, "constant %s is out of range for '%s'", shown(rd, tok), tn);
            return 0;
        }
        return (neg ? 0 - mag : mag) & mask;
    }
    bool f32 = t == IR_F32;
    switch (tok->kind) {
    case TK_INF:
        return f32 ? 0x7f800000u : UINT64_C(0x7ff0000000000000);
    case TK_NEGINF:
        return f32 ? 0xff800000u : UINT64_C(0xfff0000000000000);
    case TK_NAN:
        return f32 ? F32_QNAN : F64_QNAN;
    case TK_INT:
        if (is_hex_literal(tok)) { /* exact bits */
            uint64_t mag;
            bool neg;
            if (tok->text[0] == '-') {
                add_error(rd, tok->loc, "float bits %s must not be negative", shown(rd, tok));
                return 0;
            }
            if (!int_literal(tok, &mag, &neg) || (f32 && mag > UINT32_MAX)) {
                add_error(rd, tok->loc, "float bits %s do not fit in '%s'", shown(rd, tok), tn);
                return 0;
            }
            return mag;
        }
        break; /* a decimal integer reads as a float */
    case TK_FLOAT:
        break;
    default:
        add_error(rd, tok->loc, "expected a float constant for '%s', found %s", tn,
                  shown(rd, tok));
        return 0;
    }
    /* Decimal: one correctly rounded conversion straight to the type. */
    char *s = tok_str(rd, tok, 0);
    if (f32) {
        float f = strtof(s, NULL);
        if (isinf(f)) {
            add_error(rd, tok->loc, "constant %s is out of range for 'f32'", shown(rd, tok));
            return 0;
        }
        uint32_t u;
        memcpy(&u, &f, 4);
        return u;
    }
    double d = strtod(s, NULL);
    if (isinf(d)) {
        add_error(rd, tok->loc, "constant %s is out of range for 'f64'", shown(rd, tok));
        return 0;
    }
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

/* An operand of expected type t (IR_VOID: the literal decides). Names
 * get index IR_NONE until their fix-up is resolved. */
static IrOperand make_operand(Reader *rd, const Token *tok, IrType t)
{
    switch (tok->kind) {
    case TK_LOCAL:
        return (IrOperand){.kind = IR_OPD_VALUE, .type = (uint8_t)t, .index = IR_NONE};
    case TK_GLOBAL:
        return (IrOperand){.kind = IR_OPD_SYMBOL, .type = IR_PTR, .index = IR_NONE};
    default:
        if (t == IR_VOID)
            t = tok->kind == TK_INT ? IR_I64 : IR_F64;
        return (IrOperand){.kind = IR_OPD_CONST, .type = (uint8_t)t,
                           .bits = const_bits(rd, tok, t)};
    }
}

/* Remembers where a name operand was built. */
static void fix_operand(Reader *rd, IrOperand *opd, const Token *tok)
{
    if (tok->kind == TK_LOCAL) {
        ValFix f = {.opd = opd, .name = *tok};
        VPUSH(rd, rd->valfix, f);
    } else if (tok->kind == TK_GLOBAL) {
        SymFix f = {.opd = opd, .name = *tok};
        VPUSH(rd, rd->symfix, f);
    }
}

/* ---- names ---- */

/* The name without its sigil, NUL-terminated (scratch). */
static const char *bare_name(Reader *rd, const Token *t)
{
    return tok_str(rd, t, t->kind == TK_IDENT ? 0 : 1);
}

static void define_value(Reader *rd, const Token *name, uint32_t v)
{
    if (v == IR_NONE || !rd->fn)
        return;
    rd->fn->vals[v].loc = name->loc;
    NameEntry *e = map_add(&rd->scratch, &rd->vals, name->text + 1, name->len - 1, v,
                           name->loc);
    if (e->val != v)
        add_error(rd, name->loc, "duplicate definition of '%.*s' (first at %s)",
                  (int)name->len, name->text, loc_text(rd, e->loc));
}

/* Enters an item's name; variants of a function are keyed by target. */
static void define_symbol(Reader *rd, const Token *name, const Token *target)
{
    uint32_t item = rd->m->nitems - 1;
    rd->m->items[item].loc = name->loc;
    const char *key = name->text + 1;
    uint32_t len = name->len - 1;
    if (target && target->kind) {
        char *k = arena_alloc(&rd->scratch, len + 1 + target->len);
        memcpy(k, key, len);
        k[len] = '\n';
        memcpy(k + len + 1, target->text, target->len);
        key = k;
        len += 1 + target->len;
    }
    NameEntry *e = map_add(&rd->scratch, &rd->syms, key, len, item, name->loc);
    if (e->val == item)
        return;
    if (target && target->kind)
        add_error(rd, name->loc,
                  "duplicate definition of '%.*s' for target '%.*s' (first at %s)",
                  (int)name->len, name->text, (int)target->len, target->text,
                  loc_text(rd, e->loc));
    else
        add_error(rd, name->loc, "duplicate definition of '%.*s' (first at %s)",
                  (int)name->len, name->text, loc_text(rd, e->loc));
}

/* ---- module items ---- */

void rd_module_name(Reader *rd, const Token *s)
{
    if (memchr(s->bytes, 0, s->nbytes))
        add_error(rd, s->loc, "a module name cannot contain a NUL byte");
    rd->m->name = arena_strndup(&rd->m->arena, (const char *)s->bytes, s->nbytes);
}

void rd_rule(Reader *rd, const Token *r)
{
    size_t start = (size_t)((const unsigned char *)r->text - rd->lx.start);
    IrLoc loc;
    char *err;
    /* In a module the braces are required: `rule NAME {`. */
    uint32_t k = 4;
    while (k < r->len && (r->text[k] == ' ' || r->text[k] == '\t'))
        k++;
    while (k < r->len && (isalnum((unsigned char)r->text[k]) || strchr("_.-", r->text[k])))
        k++;
    while (k < r->len && (r->text[k] == ' ' || r->text[k] == '\t'))
        k++;
    if (r->text[k] != '{') {
        const char *nl = memchr(r->text, '\n', k);
        add_error(rd, nl ? (IrLoc){r->loc.line + 1, 1} : (IrLoc){r->loc.line, r->loc.col + k},
                  "expected '{' after the rule name");
        return;
    }
    if (!ir_rule_item_read(rd->m, rd->m->src, start, start + r->len, r->loc, &loc, &err)) {
        add_error(rd, loc, "%s", err ? err : "out of memory");
        free(err);
    }
}

void rd_oblig(Reader *rd, const Token *o) { VPUSH(rd, rd->obligs, *o); }

void rd_param(Reader *rd, const Token *type, const Token *name)
{
    Param p = {.type = *type, .named = name != NULL};
    if (name)
        p.name = *name;
    VPUSH(rd, rd->params, p);
}

void rd_variadic(Reader *rd) { rd->variadic = true; }

void rd_extern(Reader *rd, const Token *name, int ret)
{
    IrType *types = arena_alloc(&rd->scratch, sizeof *types * (rd->params.n + 1));
    for (uint32_t i = 0; i < rd->params.n; i++)
        types[i] = (IrType)rd->params.v[i].type.val;
    ir_extern_new(rd->m, bare_name(rd, name), (IrType)ret, rd->params.n, types,
                  rd->variadic);
    define_symbol(rd, name, NULL);
    rd->params.n = 0;
    rd->variadic = false;
}

void rd_func_begin(Reader *rd, const Token *name, bool exported)
{
    rd->fname = *name;
    rd->attrs = exported ? IR_ATTR_EXPORT : 0;
    rd->deadline = 0;
    rd->target = (Token){0};
}

void rd_attr(Reader *rd, const Token *attr, const Token *arg)
{
    if (attr->kind == TK_TARGET) {
        if (rd->target.kind)
            add_error(rd, attr->loc, "duplicate attribute 'target'");
        rd->target = *arg;
        return;
    }
    if (rd->attrs & attr->val)
        add_error(rd, attr->loc, "duplicate attribute '%.*s'", (int)attr->len, attr->text);
    rd->attrs |= attr->val;
    if (attr->kind == TK_DEADLINE)
        unsigned_literal(rd, arg, "deadline", &rd->deadline);
}

void rd_func_header(Reader *rd, int ret)
{
    IrModule *m = rd->m;
    IrFunc *f = ir_func_new(m, bare_name(rd, &rd->fname), (IrType)ret, rd->attrs);
    f->deadline = rd->deadline;
    if (rd->target.kind)
        f->target = arena_strndup(&m->arena, rd->target.text, rd->target.len);
    define_symbol(rd, &rd->fname, &rd->target);
    rd->fn = f;
    rd->blk = NULL;
    rd->vals = (NameMap){0};
    rd->blocks = (NameMap){0};
    /* As ir_func_add_param does, but with the arrays sized once: adding
     * one by one copies them each time, quadratic in long lists. */
    uint32_t n = rd->params.n;
    f->ptypes = arena_alloc(&m->arena, n + 1);
    f->params = arena_alloc(&m->arena, sizeof *f->params * (n + 1));
    for (uint32_t i = 0; i < n; i++) {
        const Param *p = &rd->params.v[i];
        f->ptypes[i] = (uint8_t)p->type.val;
        f->params[i] = ir_func_new_value(m, f, (IrType)p->type.val, bare_name(rd, &p->name));
        f->nparams = i + 1;
        define_value(rd, &p->name, f->params[i]);
    }
    rd->params.n = 0;
}

/* Block arguments: typed by the target block's parameters. */
static void resolve_target(Reader *rd, const TgtFix *tf)
{
    IrFunc *f = rd->fn;
    const Token *label = &tf->p.label;
    NameEntry *e = map_find(&rd->blocks, label->text, label->len);
    if (!e) {
        add_error(rd, label->loc, "undefined block '%.*s'", (int)label->len, label->text);
        return;
    }
    tf->t->block = e->val;
    const IrBlock *b = f->blocks[e->val];
    for (uint32_t k = 0; k < tf->p.n; k++) {
        const Token *a = &rd->targs.v[tf->p.first + k];
        IrType want = k < b->nparams ? (IrType)f->vals[b->params[k]].type : IR_VOID;
        tf->t->args[k] = make_operand(rd, a, want);
        fix_operand(rd, &tf->t->args[k], a);
    }
}

void rd_func_end(Reader *rd)
{
    IrFunc *f = rd->fn;
    if (!f)
        return;
    for (uint32_t i = 0; i < rd->tgtfix.n; i++)
        resolve_target(rd, &rd->tgtfix.v[i]);
    for (uint32_t i = 0; i < rd->valfix.n; i++) {
        const ValFix *vf = &rd->valfix.v[i];
        NameEntry *e = map_find(&rd->vals, vf->name.text + 1, vf->name.len - 1);
        if (!e) {
            add_error(rd, vf->name.loc, "undefined value '%.*s'", (int)vf->name.len,
                      vf->name.text);
            continue;
        }
        vf->opd->index = e->val;
        if (vf->opd->type == IR_VOID) /* where no type is expected */
            vf->opd->type = f->vals[e->val].type;
    }
    rd->valfix.n = rd->tgtfix.n = rd->targs.n = rd->targ_mark = 0;
    rd->fn = NULL;
    rd->blk = NULL;
}

void rd_data_begin(Reader *rd, const Token *name, bool is_global)
{
    rd->data = ir_data_new(rd->m, bare_name(rd, name), is_global);
    define_symbol(rd, name, NULL);
}

void rd_data_lone(Reader *rd) { rd->data->brace_form = false; }

static void field_loc(Reader *rd, const Token *t)
{
    rd->data->fields[rd->data->nfields - 1].loc = t->loc;
}

void rd_field_string(Reader *rd, const Token *s)
{
    ir_data_add_bytes(rd->m, rd->data, s->bytes, s->nbytes);
    field_loc(rd, s);
}

void rd_field_zero(Reader *rd, const Token *kw, const Token *n)
{
    uint64_t len = 0;
    unsigned_literal(rd, n, "size", &len);
    ir_data_add_zero(rd->m, rd->data, len);
    field_loc(rd, kw);
}

void rd_field_typed(Reader *rd, const Token *type, const Token *v)
{
    IrData *d = rd->data;
    if (v->kind == TK_GLOBAL) {
        if (type->val != IR_PTR)
            add_error(rd, type->loc, "a symbol's address is a 'ptr', not '%s'",
                      ir_type_name((IrType)type->val));
        ir_data_add_symref(rd->m, d, IR_NONE);
        SymFix f = {.data = d, .field = d->nfields - 1, .name = *v};
        VPUSH(rd, rd->symfix, f);
    } else {
        IrType t = (IrType)type->val;
        ir_data_add_const(rd->m, d, t, const_bits(rd, v, t));
    }
    field_loc(rd, type);
}

/* ---- function bodies ---- */

void rd_block(Reader *rd, const Token *label)
{
    IrFunc *f = rd->fn;
    if (!f)
        return;
    IrBlock *b = ir_block_new(rd->m, f, bare_name(rd, label));
    b->loc = label->loc;
    uint32_t index = f->nblocks - 1;
    NameEntry *e = map_add(&rd->scratch, &rd->blocks, label->text, label->len, index,
                           label->loc);
    if (e->val != index)
        add_error(rd, label->loc, "duplicate definition of block '%.*s' (first at %s)",
                  (int)label->len, label->text, loc_text(rd, e->loc));
    /* As ir_block_add_param does, with the array sized once. */
    b->params = arena_alloc(&rd->m->arena, sizeof *b->params * (rd->params.n + 1));
    for (uint32_t i = 0; i < rd->params.n; i++) {
        const Param *p = &rd->params.v[i];
        b->params[i] = ir_func_new_value(rd->m, f, (IrType)p->type.val,
                                         bare_name(rd, &p->name));
        b->nparams = i + 1;
        define_value(rd, &p->name, b->params[i]);
    }
    rd->params.n = 0;
    rd->blk = b;
}

void rd_result(Reader *rd, const Token *name)
{
    rd->has_result = true;
    rd->result = *name;
}

void rd_inst_end(Reader *rd)
{
    rd->has_result = false;
    rd->cargs.n = rd->tgts.n = rd->cases.n = 0;
}

/* The result name for an instruction that `produces` a value (NULL if
 * none); a result where none can be, or none where one must be, is an
 * error. */
static const char *result_name(Reader *rd, const Token *op, bool produces)
{
    if (produces && !rd->has_result) {
        add_error(rd, op->loc, "the value of '%.*s' must be named: '%%name = %.*s ...'",
                  (int)op->len, op->text, (int)op->len, op->text);
        return NULL;
    }
    if (!produces && rd->has_result) {
        add_error(rd, rd->result.loc, "'%.*s' does not produce a value", (int)op->len,
                  op->text);
        return NULL;
    }
    return rd->has_result ? bare_name(rd, &rd->result) : NULL;
}

/* After the builder appended an instruction: its location, its result's
 * name, and fix-ups for the named operands, given in operand order. */
static IrInst *finish(Reader *rd, const Token *op, int n, const Token *const *opds)
{
    IrBlock *b = rd->blk;
    IrInst *in = &b->insts[b->ninsts - 1];
    in->loc = op->loc;
    if (in->result != IR_NONE) {
        rd->fn->vals[in->result].loc = op->loc;
        if (rd->has_result)
            define_value(rd, &rd->result, in->result);
    }
    for (int i = 0; i < n && (uint32_t)i < in->nopd; i++)
        fix_operand(rd, &in->opd[i], opds[i]);
    return in;
}

#define OPDS(...) (int)(sizeof((const Token *[]){__VA_ARGS__}) / sizeof(const Token *)), \
                  (const Token *[]){__VA_ARGS__}

void rd_binary(Reader *rd, const Token *op, const Token *t, const Token *a,
               const Token *b)
{
    if (!rd->blk)
        return;
    IrType ty = (IrType)t->val;
    ir_build_binary(rd->m, rd->fn, rd->blk, (IrOpcode)op->val, ty,
                    make_operand(rd, a, ty), make_operand(rd, b, ty),
                    result_name(rd, op, true));
    finish(rd, op, OPDS(a, b));
}

void rd_unary(Reader *rd, const Token *op, const Token *t, const Token *a)
{
    if (!rd->blk)
        return;
    IrType ty = (IrType)t->val;
    ir_build_unary(rd->m, rd->fn, rd->blk, (IrOpcode)op->val, ty,
                   make_operand(rd, a, ty), result_name(rd, op, true));
    finish(rd, op, OPDS(a));
}

void rd_cmp_head(Reader *rd, const Token *op, const Token *cond)
{
    rd->cmp_op = *op;
    rd->cond = 0;
    bool icmp = op->kind == TK_ICMP;
    unsigned n = icmp ? IR_ICMP_COUNT : IR_FCMP_COUNT;
    for (unsigned c = 0; c < n; c++) {
        const char *name = icmp ? ir_icond_name((IrICond)c) : ir_fcond_name((IrFCond)c);
        if (strlen(name) == cond->len && memcmp(name, cond->text, cond->len) == 0) {
            rd->cond = (uint8_t)c;
            return;
        }
    }
    add_error(rd, cond->loc, "unknown %s condition '%.*s' (one of %s)", icmp ? "icmp" : "fcmp",
              (int)cond->len, cond->text,
              icmp ? "eq ne slt sle sgt sge ult ule ugt uge"
                   : "oeq one olt ole ogt oge ord uno ueq une ult ule ugt uge");
}

void rd_cmp(Reader *rd, const Token *t, const Token *a, const Token *b)
{
    if (!rd->blk)
        return;
    IrType ty = (IrType)t->val;
    const Token *op = &rd->cmp_op;
    IrOperand x = make_operand(rd, a, ty), y = make_operand(rd, b, ty);
    const char *name = result_name(rd, op, true);
    if (op->kind == TK_ICMP)
        ir_build_icmp(rd->m, rd->fn, rd->blk, (IrICond)rd->cond, ty, x, y, name);
    else
        ir_build_fcmp(rd->m, rd->fn, rd->blk, (IrFCond)rd->cond, ty, x, y, name);
    finish(rd, op, OPDS(a, b));
}

void rd_select(Reader *rd, const Token *op, const Token *t, const Token *c,
               const Token *a, const Token *b)
{
    if (!rd->blk)
        return;
    IrType ty = (IrType)t->val;
    ir_build_select(rd->m, rd->fn, rd->blk, ty, make_operand(rd, c, IR_I1),
                    make_operand(rd, a, ty), make_operand(rd, b, ty),
                    result_name(rd, op, true));
    finish(rd, op, OPDS(c, a, b));
}

void rd_conv(Reader *rd, const Token *op, const Token *from, const Token *a,
             const Token *to)
{
    if (!rd->blk)
        return;
    IrType ft = (IrType)from->val;
    ir_build_conv(rd->m, rd->fn, rd->blk, (IrOpcode)op->val, ft, make_operand(rd, a, ft),
                  (IrType)to->val, result_name(rd, op, true));
    finish(rd, op, OPDS(a));
}

void rd_alloca(Reader *rd, const Token *op, const Token *n, const Token *align)
{
    if (!rd->blk)
        return;
    uint64_t size = 0, al = 0;
    unsigned_literal(rd, n, "size", &size);
    unsigned_literal(rd, align, "alignment", &al);
    ir_build_alloca(rd->m, rd->fn, rd->blk, size, al, result_name(rd, op, true));
    finish(rd, op, 0, NULL);
}

void rd_load(Reader *rd, const Token *op, const Token *t, const Token *p)
{
    if (!rd->blk)
        return;
    ir_build_load(rd->m, rd->fn, rd->blk, (IrType)t->val, make_operand(rd, p, IR_PTR),
                  result_name(rd, op, true));
    finish(rd, op, OPDS(p));
}

void rd_store(Reader *rd, const Token *op, const Token *t, const Token *v,
              const Token *p)
{
    if (!rd->blk)
        return;
    IrType ty = (IrType)t->val;
    result_name(rd, op, false);
    ir_build_store(rd->m, rd->blk, ty, make_operand(rd, v, ty), make_operand(rd, p, IR_PTR));
    finish(rd, op, OPDS(v, p));
}

void rd_ptradd(Reader *rd, const Token *op, const Token *p, const Token *off)
{
    if (!rd->blk)
        return;
    ir_build_ptradd(rd->m, rd->fn, rd->blk, make_operand(rd, p, IR_PTR),
                    make_operand(rd, off, IR_I64), result_name(rd, op, true));
    finish(rd, op, OPDS(p, off));
}

void rd_mem(Reader *rd, const Token *op, const Token *a, const Token *b,
            const Token *n)
{
    if (!rd->blk)
        return;
    bool is_set = op->val == IR_MEMSET;
    IrOperand x = make_operand(rd, a, IR_PTR);
    IrOperand y = make_operand(rd, b, is_set ? IR_I8 : IR_PTR);
    IrOperand z = make_operand(rd, n, IR_I64);
    result_name(rd, op, false);
    if (is_set)
        ir_build_memset(rd->m, rd->blk, x, y, z);
    else
        ir_build_memcpy(rd->m, rd->blk, x, y, z);
    finish(rd, op, OPDS(a, b, n));
}

void rd_call_arg(Reader *rd, const Token *type, const Token *v)
{
    CallArg a = {.type = *type, .v = *v};
    VPUSH(rd, rd->cargs, a);
}

/* Both calls: the callee operand, then the arguments with their written
 * types; a result only where the text names one. The direct call's type
 * is its callee's return type, set once every symbol is known. */
static void build_call(Reader *rd, const Token *op, const Token *callee, IrType ret)
{
    IrModule *m = rd->m;
    IrInst *in = ir_inst_append(m, rd->blk, (IrOpcode)op->val);
    uint32_t n = rd->cargs.n;
    in->type = (uint8_t)ret;
    in->nopd = n + 1;
    in->opd = arena_alloc(&m->arena, sizeof *in->opd * in->nopd);
    in->opd[0] = make_operand(rd, callee, IR_PTR);
    for (uint32_t i = 0; i < n; i++) {
        const CallArg *a = &rd->cargs.v[i];
        in->opd[i + 1] = make_operand(rd, &a->v, (IrType)a->type.val);
    }
    if (rd->has_result)
        in->result = ir_func_new_value(m, rd->fn, ret, bare_name(rd, &rd->result));
    finish(rd, op, OPDS(callee));
    in = &rd->blk->insts[rd->blk->ninsts - 1];
    for (uint32_t i = 0; i < n; i++)
        fix_operand(rd, &in->opd[i + 1], &rd->cargs.v[i].v);
}

void rd_call(Reader *rd, const Token *op, const Token *callee)
{
    if (rd->blk)
        build_call(rd, op, callee, IR_VOID);
}

void rd_call_ind(Reader *rd, const Token *op, const Token *fp, int ret)
{
    if (!rd->blk)
        return;
    if (rd->has_result && ret == IR_VOID) {
        add_error(rd, rd->result.loc,
                  "'call.ind' without '-> T' does not produce a value");
        rd->has_result = false;
    }
    build_call(rd, op, fp, (IrType)ret);
}

void rd_target_arg(Reader *rd, const Token *v) { VPUSH(rd, rd->targs, *v); }

int rd_target(Reader *rd, const Token *label)
{
    /* Its arguments are the ones pushed since the previous target. */
    PendTarget p = {.label = *label, .first = rd->targ_mark,
                    .n = rd->targs.n - rd->targ_mark};
    rd->targ_mark = rd->targs.n;
    VPUSH(rd, rd->tgts, p);
    return (int)rd->tgts.n - 1;
}

void rd_case(Reader *rd, const Token *key, int target)
{
    Case c = {.key = *key, .target = target};
    VPUSH(rd, rd->cases, c);
}

/* An IrTarget with room for its arguments, filled at the function's end. */
static IrTarget new_target(Reader *rd, int index)
{
    const PendTarget *p = &rd->tgts.v[index];
    return (IrTarget){.block = IR_NONE, .nargs = p->n,
                      .args = p->n ? arena_alloc(&rd->m->arena, sizeof(IrOperand) * p->n)
                                   : NULL};
}

static void fix_targets(Reader *rd, IrInst *in, const int *index)
{
    for (uint32_t j = 0; j < in->ntgt; j++) {
        TgtFix f = {.t = &in->tgt[j], .p = rd->tgts.v[index[j]]};
        VPUSH(rd, rd->tgtfix, f);
    }
}

void rd_br(Reader *rd, const Token *op, int target)
{
    if (!rd->blk)
        return;
    result_name(rd, op, false);
    ir_build_br(rd->m, rd->blk, new_target(rd, target));
    fix_targets(rd, finish(rd, op, 0, NULL), &target);
}

void rd_condbr(Reader *rd, const Token *op, const Token *c, int t, int e)
{
    if (!rd->blk)
        return;
    ir_build_condbr(rd->m, rd->blk, make_operand(rd, c, IR_I1), new_target(rd, t),
                    new_target(rd, e));
    fix_targets(rd, finish(rd, op, OPDS(c)), (int[]){t, e});
}

void rd_switch(Reader *rd, const Token *op, const Token *t, const Token *v, int dflt)
{
    if (!rd->blk)
        return;
    IrType ty = (IrType)t->val;
    IrType key_type = ir_type_is_int(ty) ? ty : IR_I64; /* the verifier rejects others */
    uint32_t n = rd->cases.n;
    uint64_t *keys = arena_alloc(&rd->scratch, sizeof *keys * (n + 1));
    IrTarget *targets = arena_alloc(&rd->scratch, sizeof *targets * (n + 1));
    int *index = arena_alloc(&rd->scratch, sizeof *index * (n + 1));
    index[0] = dflt;
    for (uint32_t i = 0; i < n; i++) {
        keys[i] = const_bits(rd, &rd->cases.v[i].key, key_type);
        targets[i] = new_target(rd, rd->cases.v[i].target);
        index[i + 1] = rd->cases.v[i].target;
    }
    ir_build_switch(rd->m, rd->blk, ty, make_operand(rd, v, ty), new_target(rd, dflt), n,
                    keys, targets);
    fix_targets(rd, finish(rd, op, OPDS(v)), index);
}

void rd_ret(Reader *rd, const Token *op, const Token *v)
{
    if (!rd->blk)
        return;
    if (!v) {
        ir_build_ret(rd->m, rd->blk, NULL);
        finish(rd, op, 0, NULL);
        return;
    }
    IrOperand x = make_operand(rd, v, rd->fn->ret);
    ir_build_ret(rd->m, rd->blk, &x);
    finish(rd, op, OPDS(v));
}

void rd_trap(Reader *rd, const Token *op, const Token *reason)
{
    if (!rd->blk)
        return;
    ir_build_trap(rd->m, rd->blk, (const char *)reason->bytes, reason->nbytes);
    finish(rd, op, 0, NULL);
}

/* ---- the module's end: symbols and call types ---- */

/* Obligation items name values and blocks of any function in the module. */
static void read_obligs(Reader *rd)
{
    for (uint32_t i = 0; i < rd->obligs.n; i++) {
        const Token *t = &rd->obligs.v[i];
        IrLoc loc;
        char *err;
        if (!ir_oblig_text_read(rd->m, t->text, t->len, t->loc, &loc, &err)) {
            add_error(rd, loc, "%s", err ? err : "out of memory");
            free(err);
        }
    }
}

static void resolve_module(Reader *rd)
{
    IrModule *m = rd->m;
    for (uint32_t i = 0; i < rd->symfix.n; i++) {
        const SymFix *sf = &rd->symfix.v[i];
        NameEntry *e = map_find(&rd->syms, sf->name.text + 1, sf->name.len - 1);
        if (!e) {
            add_error(rd, sf->name.loc, "undefined symbol '%.*s'", (int)sf->name.len,
                      sf->name.text);
            continue;
        }
        if (sf->opd)
            sf->opd->index = e->val;
        else
            sf->data->fields[sf->field].sym = e->val;
    }
    /* A direct call's type is its callee's return type. */
    for (uint32_t i = 0; i < m->nitems; i++) {
        IrFunc *f = m->items[i].func;
        if (m->items[i].kind != IR_ITEM_FUNC)
            continue;
        for (uint32_t b = 0; b < f->nblocks; b++)
            for (uint32_t k = 0; k < f->blocks[b]->ninsts; k++) {
                IrInst *in = &f->blocks[b]->insts[k];
                if (in->op != IR_CALL || in->opd[0].kind != IR_OPD_SYMBOL ||
                    in->opd[0].index >= m->nitems)
                    continue;
                const IrItem *callee = &m->items[in->opd[0].index];
                IrType ret = callee->kind == IR_ITEM_FUNC ? callee->func->ret : IR_VOID;
                in->type = (uint8_t)ret;
                if (in->result != IR_NONE)
                    f->vals[in->result].type = (uint8_t)ret;
            }
    }
}

/* ---- the entry point ---- */

IrModule *ir_read_text(IrCtx *ctx, const IrSource *src)
{
    Reader *rd = calloc(1, sizeof *rd);
    void *parser = IrParserAlloc(malloc);
    if (!rd || !parser) {
        free(rd);
        free(parser);
        ir_error_plain(ctx, src, "out of memory");
        return NULL;
    }
    rd->parser = parser;
    arena_init(&rd->scratch);
    /* A NUL-terminated copy: the lexer's sentinel. */
    char *buf = arena_alloc(&rd->scratch, src->len + 1);
    if (src->len)
        memcpy(buf, src->data, src->len);
    lexer_init(&rd->lx, buf, src->len, &rd->scratch);
    rd->m = ir_module_new(ctx, NULL);
    rd->m->src = src;

    for (;;) {
        Token tok;
        int code = lexer_next(&rd->lx, &tok);
        if (code < 0) {
            add_error(rd, rd->lx.err_loc, "%s", rd->lx.err);
            rd->stop = true;
            break;
        }
        rd->nstates = ir_parser_save(parser, rd->states, 256);
        IrParser(parser, code, tok, rd);
        if (rd->stop || code == 0)
            break;
        rd->prev2 = rd->prev;
        rd->prev = tok;
    }
    IrParserFree(parser, free);
    if (!rd->stop)
        resolve_module(rd);
    if (!rd->stop && !rd->errors.n)
        read_obligs(rd);

    if (rd->errors.n)
        qsort(rd->errors.v, rd->errors.n, sizeof *rd->errors.v, error_order);
    for (uint32_t i = 0; i < rd->errors.n; i++)
        ir_error(ctx, src, rd->errors.v[i].loc, "%s", rd->errors.v[i].msg);
    IrModule *m = rd->m;
    if (rd->errors.n) {
        ir_module_free(m);
        m = NULL;
    }
    arena_free(&rd->scratch);
    free(rd);
    return m;
}
