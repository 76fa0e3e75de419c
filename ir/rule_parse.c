/* rule_parse.c - the reader of rule files (.yvmr): syntax, names, types
 * and the width combinations a rule claims (rule.h, docs/rules.md).
 *
 * Hand-written recursive descent: the grammar is small, every error wants
 * its own precise message and location, and the reader must be callable
 * on a byte range inside another file (rule items in IR modules). Every
 * node lives in the set's arena, so an error simply longjmps back to the
 * rule being read (nothing to free), the reader skips to the next `rule`
 * and goes on to report more errors; any error makes the whole set NULL.
 *
 * Reading happens in two steps per rule: parse (instructions typed as
 * written; names in the precondition and target expressions left
 * unresolved), then check (resolve those names, type every expression,
 * enumerate the width combinations, and check literals and conversions at
 * each of them).
 */
#include "rule.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_lex.h"

#define MAX_DEPTH 64 /* expression nesting */

const unsigned rule_width_list[RULE_NWIDTHS] = {1, 8, 16, 32, 64};

const RuleFuncInfo rule_func_info[RF_COUNT] = {
#define X(e, s, n, b) {s, n, b},
    RULE_FUNCS(X)
#undef X
};

int rule_width_index(unsigned bits)
{
    for (int i = 0; i < RULE_NWIDTHS; i++)
        if (rule_width_list[i] == bits)
            return i;
    return -1;
}

typedef struct Parser {
    IrCtx *ctx;
    const IrSource *src;
    RuleSet *set;
    Lexer lx;
    Token tok;        /* the current token */
    Rule *rule;       /* the rule being read */
    const char *rule_kw; /* where its `rule` keyword is */
    bool in_target;
    unsigned depth;
    jmp_buf fail;
} Parser;

static Arena *arena(Parser *p)
{
    return &p->set->arena;
}

static _Noreturn __attribute__((format(printf, 3, 4))) void
error_at(Parser *p, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ir_verror(p->ctx, p->src, loc, fmt, ap);
    va_end(ap);
    longjmp(p->fail, 1);
}

/* A token quoted for messages: '%x', 'add', '=>', end of file. */
static const char *tok_desc(const Token *t, char *buf, size_t size)
{
    switch (t->kind) {
    case TK_EOF: return "end of file";
    case TK_VALUE: snprintf(buf, size, "'%%%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text); break;
    case TK_PUNCT: snprintf(buf, size, "'%s'", punct_text(t->punct)); break;
    case TK_BAD:
        if ((unsigned char)t->text[0] < 0x20 || (unsigned char)t->text[0] >= 0x7f) {
            snprintf(buf, size, "byte 0x%02x", (unsigned char)t->text[0]);
            break;
        }
        /* fall through */
    default: snprintf(buf, size, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text); break;
    }
    return buf;
}

static void advance(Parser *p)
{
    p->tok = lex_next(&p->lx);
    char buf[64];
    if (p->tok.kind == TK_BAD) {
        if (p->tok.len > 1 && p->tok.text[0] >= '0' && p->tok.text[0] <= '9')
            error_at(p, p->tok.loc, "malformed number %s", tok_desc(&p->tok, buf, sizeof buf));
        error_at(p, p->tok.loc, "unexpected %s", tok_desc(&p->tok, buf, sizeof buf));
    }
    if (p->tok.kind == TK_BIGINT)
        error_at(p, p->tok.loc, "integer %s is out of range (above 2^64 - 1)",
                 tok_desc(&p->tok, buf, sizeof buf));
}

static _Noreturn void expected(Parser *p, const char *what)
{
    char buf[64];
    error_at(p, p->tok.loc, "expected %s, found %s", what, tok_desc(&p->tok, buf, sizeof buf));
}

static bool is_punct(const Parser *p, Punct k)
{
    return p->tok.kind == TK_PUNCT && p->tok.punct == k;
}

static void expect_punct(Parser *p, Punct k)
{
    if (!is_punct(p, k)) {
        char what[16];
        snprintf(what, sizeof what, "'%s'", punct_text(k));
        expected(p, what);
    }
    advance(p);
}

static char *tok_name(Parser *p, const Token *t)
{
    return arena_strndup(arena(p), t->text, t->len);
}

static bool is_upper_ident(const Token *t)
{
    return t->kind == TK_IDENT && t->text[0] >= 'A' && t->text[0] <= 'Z';
}

/* ---- types and widths ---- */

static int find_typevar(const Rule *r, const char *name, size_t len)
{
    for (unsigned i = 0; i < r->ntypevars; i++)
        if (strlen(r->typevars[i].name) == len && memcmp(r->typevars[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static int add_typevar(Parser *p, const char *name, unsigned widths, IrLoc loc)
{
    Rule *r = p->rule;
    if (r->ntypevars == RULE_MAX_TYPEVARS)
        error_at(p, loc, "too many type variables (at most %d)", RULE_MAX_TYPEVARS);
    r->typevars[r->ntypevars] = (RuleTypeVar){name, widths, loc};
    return (int)r->ntypevars++;
}

/* iN as a concrete width, or 0. */
static unsigned int_type_bits(const Token *t)
{
    static const char *const names[RULE_NWIDTHS] = {"i1", "i8", "i16", "i32", "i64"};
    for (int i = 0; i < RULE_NWIDTHS; i++)
        if (tok_is(t, names[i]))
            return rule_width_list[i];
    return 0;
}

/* A type in an instruction: iN, or a type variable (T is implicitly one,
 * with every width, when the rule does not declare it). */
static RuleType parse_type(Parser *p)
{
    RuleType t = {RULE_NO_TYPEVAR, 0};
    if (p->tok.kind != TK_IDENT)
        expected(p, "a type");
    if ((t.bits = (uint8_t)int_type_bits(&p->tok))) {
        advance(p);
        return t;
    }
    int v = find_typevar(p->rule, p->tok.text, p->tok.len);
    if (v < 0 && tok_is(&p->tok, "T"))
        v = add_typevar(p, "T", RULE_ALL_WIDTHS, p->tok.loc);
    if (v < 0) {
        char buf[64];
        if (is_upper_ident(&p->tok))
            error_at(p, p->tok.loc,
                     "unknown type %s: declare it with 'widths %.*s = ...'",
                     tok_desc(&p->tok, buf, sizeof buf), (int)p->tok.len, p->tok.text);
        if (tok_is(&p->tok, "ptr") || tok_is(&p->tok, "f32") || tok_is(&p->tok, "f64"))
            error_at(p, p->tok.loc, "type %s is not supported in rules (only integer types are)",
                     tok_desc(&p->tok, buf, sizeof buf));
        expected(p, "a type");
    }
    advance(p);
    t.var = (uint8_t)v;
    return t;
}

/* One width (1 8 16 32 64, or i1 ... i64) as its index. */
static int parse_width(Parser *p)
{
    unsigned bits = 0;
    if (p->tok.kind == TK_INT)
        bits = p->tok.ival <= 64 ? (unsigned)p->tok.ival : 0;
    else
        bits = int_type_bits(&p->tok);
    int i = bits ? rule_width_index(bits) : -1;
    if (p->tok.kind != TK_INT && p->tok.kind != TK_IDENT)
        expected(p, "a width (1, 8, 16, 32 or 64)");
    if (i < 0) {
        char buf[64];
        error_at(p, p->tok.loc, "%s is not an integer width (1, 8, 16, 32 or 64)",
                 tok_desc(&p->tok, buf, sizeof buf));
    }
    advance(p);
    return i;
}

/* widths [NAME (=|:)] (all | W[..W] {, W[..W]}) */
static void parse_widths(Parser *p)
{
    IrLoc loc = p->tok.loc;
    advance(p);
    const char *name = "T";
    if (is_upper_ident(&p->tok)) {
        loc = p->tok.loc;
        name = tok_name(p, &p->tok);
        advance(p);
        if (!is_punct(p, P_ASSIGN) && !is_punct(p, P_COLON))
            expected(p, "'=' after the type variable");
        advance(p);
    }
    if (find_typevar(p->rule, name, strlen(name)) >= 0)
        error_at(p, loc, "widths of '%s' given twice", name);
    unsigned mask = 0;
    if (tok_is(&p->tok, "all")) {
        mask = RULE_ALL_WIDTHS;
        advance(p);
    } else {
        for (;;) {
            IrLoc wloc = p->tok.loc;
            int lo = parse_width(p), hi = lo;
            if (is_punct(p, P_DOTDOT)) {
                advance(p);
                hi = parse_width(p);
                if (hi < lo)
                    error_at(p, wloc, "empty width range");
            }
            for (int i = lo; i <= hi; i++)
                mask |= 1u << i;
            if (!is_punct(p, P_COMMA))
                break;
            advance(p);
        }
    }
    add_typevar(p, name, mask, loc);
}

/* where TYPE (< <= > >= == !=) TYPE */
static void parse_where(Parser *p)
{
    Rule *r = p->rule;
    IrLoc loc = p->tok.loc;
    advance(p);
    if (r->nwheres == RULE_MAX_WHERES)
        error_at(p, loc, "too many where clauses (at most %d)", RULE_MAX_WHERES);
    RuleWhere w = {.loc = loc};
    w.a = parse_type(p);
    static const Punct ops[] = {P_LT, P_LE, P_GT, P_GE, P_EQ, P_NE};
    int op = -1;
    for (int i = 0; i < 6; i++)
        if (is_punct(p, ops[i]))
            op = i;
    if (op < 0)
        expected(p, "a width comparison (< <= > >= == !=)");
    advance(p);
    w.op = (uint8_t)op;
    w.b = parse_type(p);
    r->wheres[r->nwheres++] = w;
}

static bool where_holds(const Rule *r, const RuleWhere *w, const uint8_t *combo)
{
    unsigned a = rule_type_bits(r, w->a, combo), b = rule_type_bits(r, w->b, combo);
    switch ((RuleWhereOp)w->op) {
    case RW_LT: return a < b;
    case RW_LE: return a <= b;
    case RW_GT: return a > b;
    case RW_GE: return a >= b;
    case RW_EQ: return a == b;
    default: return a != b;
    }
}

/* ---- values and constants ---- */

static int find_value(const Rule *r, const char *name, size_t len)
{
    for (uint32_t i = 0; i < r->nvalues; i++)
        if (strlen(r->values[i].name) == len && memcmp(r->values[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static uint32_t add_value(Parser *p, const Token *name, RuleValueKind kind, RuleType type)
{
    Rule *r = p->rule;
    RuleValue v = {tok_name(p, name), (uint8_t)kind, type, 0, name->loc};
    ARENA_PUSH(arena(p), r->values, r->nvalues, r->capvalues, v);
    return r->nvalues - 1;
}

static int find_const(const Rule *r, const char *name, size_t len)
{
    for (uint32_t i = 0; i < r->nconsts; i++)
        if (strlen(r->consts[i].name) == len && memcmp(r->consts[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

static bool type_eq(RuleType a, RuleType b)
{
    return a.var == b.var && (a.var != RULE_NO_TYPEVAR || a.bits == b.bits);
}

static const char *type_name(const Rule *r, RuleType t, char *buf, size_t size)
{
    if (t.var != RULE_NO_TYPEVAR)
        return r->typevars[t.var].name;
    snprintf(buf, size, "i%u", t.bits);
    return buf;
}

/* ---- expressions ---- */

static RuleExpr *new_expr(Parser *p, RuleExprKind kind, IrLoc loc)
{
    RuleExpr *e = arena_alloc(arena(p), sizeof *e);
    e->kind = (uint8_t)kind;
    e->loc = loc;
    e->type = (RuleType){RULE_NO_TYPEVAR, 0};
    return e;
}

static RuleExpr *parse_expr(Parser *p);

static RuleExpr *binary(Parser *p, RuleBinop op, RuleExpr *a, RuleExpr *b, IrLoc loc)
{
    RuleExpr *e = new_expr(p, RX_BINARY, loc);
    e->op = (uint8_t)op;
    e->nargs = 2;
    e->args[0] = a;
    e->args[1] = b;
    e->is_bool = op >= RB_EQ;
    return e;
}

static RuleExpr *parse_call(Parser *p, IrLoc loc, const char *name, size_t len)
{
    if (len == 5 && memcmp(name, "width", 5) == 0) {
        RuleExpr *e = new_expr(p, RX_WIDTH, loc);
        advance(p); /* ( */
        if (p->tok.kind == TK_VALUE)
            error_at(p, p->tok.loc, "'width' takes a type, not a value");
        e->wtype = parse_type(p);
        e->has_wtype = true;
        expect_punct(p, P_RPAREN);
        return e;
    }
    int fn = -1;
    for (int i = 0; i < RF_COUNT; i++)
        if (strlen(rule_func_info[i].name) == len && memcmp(rule_func_info[i].name, name, len) == 0)
            fn = i;
    if (fn < 0)
        error_at(p, loc, "unknown function '%.*s'", (int)len, name);
    RuleExpr *e = new_expr(p, RX_CALL, loc);
    e->op = (uint8_t)fn;
    e->is_bool = rule_func_info[fn].is_predicate;
    advance(p); /* ( */
    unsigned want = rule_func_info[fn].nargs;
    while (!is_punct(p, P_RPAREN)) {
        if (e->nargs == want)
            error_at(p, p->tok.loc, "'%s' takes %u argument%s", rule_func_info[fn].name,
                     want, want == 1 ? "" : "s");
        if (e->nargs)
            expect_punct(p, P_COMMA);
        e->args[e->nargs++] = parse_expr(p);
    }
    if (e->nargs != want)
        error_at(p, p->tok.loc, "'%s' takes %u argument%s", rule_func_info[fn].name, want,
                 want == 1 ? "" : "s");
    advance(p);
    return e;
}

static RuleExpr *parse_unary(Parser *p);

static RuleExpr *parse_primary(Parser *p)
{
    IrLoc loc = p->tok.loc;
    char buf[64];
    if (p->tok.kind == TK_INT) {
        RuleExpr *e = new_expr(p, RX_LIT, loc);
        e->mag = p->tok.ival;
        advance(p);
        return e;
    }
    if (is_punct(p, P_LPAREN)) {
        advance(p);
        RuleExpr *e = parse_expr(p);
        expect_punct(p, P_RPAREN);
        return e;
    }
    if (p->tok.kind == TK_VALUE) {
        RuleExpr *e = new_expr(p, RX_VALUE, loc);
        e->index = UINT32_MAX; /* resolved by check_rule */
        e->name = tok_name(p, &p->tok);
        advance(p);
        return e;
    }
    if (is_upper_ident(&p->tok)) {
        RuleExpr *e = new_expr(p, RX_CONST, loc);
        e->index = UINT32_MAX; /* resolved by check_rule */
        e->name = tok_name(p, &p->tok);
        advance(p);
        return e;
    }
    if (p->tok.kind == TK_IDENT) {
        const char *name = p->tok.text;
        size_t len = p->tok.len;
        advance(p);
        if (is_punct(p, P_LPAREN))
            return parse_call(p, loc, name, len);
        if (len == 5 && memcmp(name, "width", 5) == 0)
            return new_expr(p, RX_WIDTH, loc);
        if (len == 6 && memcmp(name, "intmin", 6) == 0)
            return new_expr(p, RX_INTMIN, loc);
        if (len == 6 && memcmp(name, "intmax", 6) == 0)
            return new_expr(p, RX_INTMAX, loc);
        error_at(p, loc, "unknown name '%.*s' in an expression", (int)len, name);
    }
    if (p->tok.kind == TK_PUNCT && (p->tok.punct == P_LT || p->tok.punct == P_GT ||
                                    p->tok.punct == P_LE || p->tok.punct == P_GE))
        error_at(p, loc, "'%s' does not say its signedness: write u%s or s%s",
                 punct_text(p->tok.punct), punct_text(p->tok.punct), punct_text(p->tok.punct));
    error_at(p, loc, "expected an expression, found %s", tok_desc(&p->tok, buf, sizeof buf));
}

static RuleExpr *parse_unary(Parser *p)
{
    IrLoc loc = p->tok.loc;
    if (is_punct(p, P_MINUS) || is_punct(p, P_TILDE) || is_punct(p, P_BANG)) {
        char op = is_punct(p, P_MINUS) ? '-' : is_punct(p, P_TILDE) ? '~' : '!';
        advance(p);
        if (++p->depth > MAX_DEPTH)
            error_at(p, loc, "expression nested too deeply");
        /* A minus sign glued to a number is part of the literal. */
        if (op == '-' && p->tok.kind == TK_INT) {
            RuleExpr *e = new_expr(p, RX_LIT, loc);
            e->mag = p->tok.ival;
            e->neg = e->mag != 0;
            advance(p);
            p->depth--;
            return e;
        }
        RuleExpr *e = new_expr(p, RX_UNARY, loc);
        e->op = (uint8_t)op;
        e->nargs = 1;
        e->args[0] = parse_unary(p);
        e->is_bool = op == '!';
        p->depth--;
        return e;
    }
    return parse_primary(p);
}

/* Binary operators by precedence level, lowest first. */
typedef struct BinLevel {
    Punct punct[10];
    RuleBinop op[10];
    unsigned n;
    bool chain; /* a op b op c allowed */
} BinLevel;

static const BinLevel levels[] = {
    {{P_LOR}, {RB_LOR}, 1, true},
    {{P_LAND}, {RB_LAND}, 1, true},
    {{P_EQ, P_NE, P_ULT, P_ULE, P_UGT, P_UGE, P_SLT, P_SLE, P_SGT, P_SGE},
     {RB_EQ, RB_NE, RB_ULT, RB_ULE, RB_UGT, RB_UGE, RB_SLT, RB_SLE, RB_SGT, RB_SGE}, 10, false},
    {{P_PIPE}, {RB_OR}, 1, true},
    {{P_CARET}, {RB_XOR}, 1, true},
    {{P_AMP}, {RB_AND}, 1, true},
    {{P_SHL}, {RB_SHL}, 1, true},
    {{P_PLUS, P_MINUS}, {RB_ADD, RB_SUB}, 2, true},
    {{P_STAR}, {RB_MUL}, 1, true},
};
enum { NLEVELS = sizeof levels / sizeof levels[0] };

static int level_op(const Parser *p, unsigned level)
{
    if (p->tok.kind != TK_PUNCT)
        return -1;
    for (unsigned i = 0; i < levels[level].n; i++)
        if (levels[level].punct[i] == p->tok.punct)
            return (int)levels[level].op[i];
    return -1;
}

static RuleExpr *parse_level(Parser *p, unsigned level)
{
    if (level == NLEVELS)
        return parse_unary(p);
    if (++p->depth > MAX_DEPTH)
        error_at(p, p->tok.loc, "expression nested too deeply");
    RuleExpr *e = parse_level(p, level + 1);
    int op;
    while ((op = level_op(p, level)) >= 0) {
        IrLoc loc = p->tok.loc;
        advance(p);
        RuleExpr *rhs = parse_level(p, level + 1);
        e = binary(p, (RuleBinop)op, e, rhs, loc);
        if (!levels[level].chain && level_op(p, level) >= 0)
            error_at(p, p->tok.loc, "comparisons do not chain: add parentheses");
    }
    if (is_punct(p, P_SHR))
        error_at(p, p->tok.loc, "'>>' does not say its signedness: write lshr(a, b) or ashr(a, b)");
    if (p->tok.kind == TK_PUNCT && (p->tok.punct == P_LT || p->tok.punct == P_GT ||
                                    p->tok.punct == P_LE || p->tok.punct == P_GE))
        error_at(p, p->tok.loc, "'%s' does not say its signedness: write u%s or s%s",
                 punct_text(p->tok.punct), punct_text(p->tok.punct), punct_text(p->tok.punct));
    p->depth--;
    return e;
}

static RuleExpr *parse_expr(Parser *p)
{
    if (++p->depth > MAX_DEPTH)
        error_at(p, p->tok.loc, "expression nested too deeply");
    RuleExpr *e = parse_level(p, 0);
    p->depth--;
    return e;
}

/* ---- instructions ---- */

static RuleOperand parse_operand(Parser *p, RuleType type)
{
    RuleOperand o = {.loc = p->tok.loc};
    Rule *r = p->rule;
    if (p->tok.kind == TK_VALUE) {
        int v = find_value(r, p->tok.text, p->tok.len);
        char buf[64];
        if (p->in_target) {
            if (v < 0)
                error_at(p, p->tok.loc, "%s is not defined: a target uses inputs, source "
                         "values and earlier target values", tok_desc(&p->tok, buf, sizeof buf));
            if ((uint32_t)v == r->root)
                error_at(p, p->tok.loc, "the target cannot use the root %s that it replaces",
                         tok_desc(&p->tok, buf, sizeof buf));
        } else if (v < 0) {
            v = (int)add_value(p, &p->tok, RV_INPUT, type);
        }
        RuleValue *val = &r->values[v];
        if (!type_eq(val->type, type)) {
            char b1[8], b2[8];
            error_at(p, p->tok.loc, "%s has type %s, used here as %s",
                     tok_desc(&p->tok, buf, sizeof buf), type_name(r, val->type, b1, sizeof b1),
                     type_name(r, type, b2, sizeof b2));
        }
        o.kind = RO_VALUE;
        o.value = (uint32_t)v;
        advance(p);
        return o;
    }
    o.kind = RO_EXPR;
    p->depth = 0;
    o.expr = parse_expr(p);
    if (!p->in_target) {
        /* The source matches: a literal or a constant, nothing computed. */
        RuleExpr *e = o.expr;
        if (e->kind != RX_LIT && e->kind != RX_CONST)
            error_at(p, o.loc, "a source operand is a value, a constant or a literal; "
                     "constant expressions belong in the target or the precondition");
        if (e->kind == RX_CONST) {
            const char *name = e->name;
            int c = find_const(r, name, strlen(name));
            if (find_typevar(r, name, strlen(name)) >= 0)
                error_at(p, e->loc, "'%s' is a type, not a constant", name);
            if (c < 0) {
                RuleConst k = {name, type, e->loc};
                ARENA_PUSH(arena(p), r->consts, r->nconsts, r->capconsts, k);
                c = (int)r->nconsts - 1;
            } else if (!type_eq(r->consts[c].type, type)) {
                char b1[8], b2[8];
                error_at(p, e->loc, "constant '%s' has type %s, used here as %s", name,
                         type_name(r, r->consts[c].type, b1, sizeof b1),
                         type_name(r, type, b2, sizeof b2));
            }
            e->index = (uint32_t)c;
        }
        e->type = type;
    } else {
        o.expr->type = type; /* typed by check_rule */
    }
    return o;
}

static int find_opcode(const Token *t)
{
    for (int i = 0; i < IR_OPCODE_COUNT; i++)
        if (tok_is(t, ir_op_info[i].name))
            return i;
    return -1;
}

static bool rule_supports(IrOpcode op)
{
    const IrOpInfo *info = &ir_op_info[op];
    if (info->form == IR_FORM_BINARY)
        return info->tclass == IR_TC_INT;
    return op == IR_ICMP || op == IR_SELECT || op == IR_ZEXT || op == IR_SEXT ||
           op == IR_TRUNC;
}

static const RuleType type_i1 = {RULE_NO_TYPEVAR, 1};

static void parse_inst(Parser *p)
{
    Rule *r = p->rule;
    RuleInst in = {.loc = p->tok.loc, .type2 = {RULE_NO_TYPEVAR, 0}};
    char buf[64];
    if (p->tok.kind != TK_VALUE)
        expected(p, p->in_target ? "a target instruction '%name = ...'"
                                 : "a source instruction '%name = ...'");
    Token name = p->tok;
    advance(p);
    expect_punct(p, P_ASSIGN);

    int op = p->tok.kind == TK_IDENT ? find_opcode(&p->tok) : -1;
    /* `%r = shl(C, 1)` in a target is the function, not the instruction. */
    if (op >= 0 && p->in_target && p->lx.p < p->lx.end && *p->lx.p == '(')
        op = -1;
    if (op < 0 && !p->in_target) {
        if (p->tok.kind == TK_IDENT)
            error_at(p, p->tok.loc, "unknown instruction %s", tok_desc(&p->tok, buf, sizeof buf));
        expected(p, "an instruction");
    }
    if (op >= 0 && !rule_supports((IrOpcode)op))
        error_at(p, p->tok.loc, "'%s' is not supported in rules (only integer "
                 "arithmetic, icmp, select, zext, sext and trunc are)", ir_op_info[op].name);

    if (op < 0) {
        /* %r = operand: the root becomes a value or a constant. */
        in.op = RULE_OP_COPY;
        in.rtype = r->values[r->root].type;
        in.type = in.rtype;
        in.nopd = 1;
        in.opd[0] = parse_operand(p, in.rtype);
    } else {
        in.op = (uint16_t)op;
        advance(p);
        if (op == IR_ICMP) {
            int c = -1;
#define X(e, s) if (tok_is(&p->tok, s)) c = IR_ICMP_##e;
            IR_ICMP_CONDS(X)
#undef X
            if (c < 0)
                expected(p, "an icmp predicate (eq ne slt sle sgt sge ult ule ugt uge)");
            in.cond = (uint8_t)c;
            advance(p);
        }
        in.type = parse_type(p);
        in.rtype = in.type;
        if (op == IR_SELECT) {
            in.opd[in.nopd++] = parse_operand(p, type_i1);
            expect_punct(p, P_COMMA);
        }
        in.opd[in.nopd++] = parse_operand(p, in.type);
        if (op == IR_ZEXT || op == IR_SEXT || op == IR_TRUNC) {
            if (!tok_is(&p->tok, "to"))
                expected(p, "'to'");
            advance(p);
            in.type2 = in.rtype = parse_type(p);
        } else {
            expect_punct(p, P_COMMA);
            in.opd[in.nopd++] = parse_operand(p, in.type);
        }
        if (op == IR_ICMP)
            in.rtype = type_i1;
    }

    /* The result. */
    int v = find_value(r, name.text, name.len);
    if (!p->in_target) {
        if (v >= 0)
            error_at(p, name.loc, r->values[v].kind == RV_INPUT
                     ? "%s is used before its definition" : "%s is defined twice",
                     tok_desc(&name, buf, sizeof buf));
        v = (int)add_value(p, &name, RV_SOURCE, in.rtype);
        r->values[v].def = r->nsrc;
        in.result = (uint32_t)v;
        ARENA_PUSH(arena(p), r->src, r->nsrc, r->capsrc, in);
        return;
    }
    if (r->ntgt && r->tgt[r->ntgt - 1].result == r->root)
        error_at(p, r->tgt[r->ntgt - 1].loc, "the root '%%%s' must be defined by the "
                 "target's last instruction", r->values[r->root].name);
    if (v >= 0 && (uint32_t)v != r->root)
        error_at(p, name.loc, "%s is already defined%s", tok_desc(&name, buf, sizeof buf),
                 r->values[v].kind == RV_TARGET ? "" : " by the source: target values "
                 "need new names");
    if (v < 0) {
        v = (int)add_value(p, &name, RV_TARGET, in.rtype);
        r->values[v].def = r->ntgt;
    } else if (!type_eq(in.rtype, r->values[v].type)) {
        char b1[8], b2[8];
        error_at(p, name.loc, "the target computes the root as %s, the source as %s",
                 type_name(r, in.rtype, b1, sizeof b1),
                 type_name(r, r->values[v].type, b2, sizeof b2));
    }
    in.result = (uint32_t)v;
    ARENA_PUSH(arena(p), r->tgt, r->ntgt, r->captgt, in);
}

/* ---- checking a parsed rule ---- */

static void resolve_names(Parser *p, RuleExpr *e, bool in_pre)
{
    Rule *r = p->rule;
    if (!e)
        return;
    if (e->kind == RX_CONST && e->index == UINT32_MAX) {
        const char *name = e->name;
        if (find_typevar(r, name, strlen(name)) >= 0)
            error_at(p, e->loc, "'%s' is a type, not a constant", name);
        int c = find_const(r, name, strlen(name));
        if (c < 0)
            error_at(p, e->loc, "constant '%s' does not appear in the source pattern", name);
        e->index = (uint32_t)c;
    } else if (e->kind == RX_VALUE && e->index == UINT32_MAX) {
        const char *name = e->name;
        if (!in_pre)
            error_at(p, e->loc, "a value cannot be part of a constant expression");
        int v = find_value(r, name, strlen(name));
        if (v < 0)
            error_at(p, e->loc, "'%%%s' does not appear in the source pattern", name);
        if (r->values[v].kind != RV_INPUT)
            error_at(p, e->loc, "the precondition may only mention input values, not '%%%s'",
                     name);
        e->index = (uint32_t)v;
    }
    for (unsigned i = 0; i < e->nargs; i++)
        resolve_names(p, e->args[i], in_pre);
}

static bool is_conversion(const RuleExpr *e)
{
    return e->kind == RX_CALL &&
           (e->op == RF_ZEXT || e->op == RF_SEXT || e->op == RF_TRUNC);
}

/* The type of a value expression when it follows from its leaves. */
static bool infer_type(const Rule *r, const RuleExpr *e, RuleType *out)
{
    switch (e->kind) {
    case RX_CONST: *out = r->consts[e->index].type; return true;
    case RX_VALUE: *out = r->values[e->index].type; return true;
    case RX_UNARY:
        return e->op != '!' && infer_type(r, e->args[0], out);
    case RX_BINARY:
        return e->op < RB_EQ &&
               (infer_type(r, e->args[0], out) || infer_type(r, e->args[1], out));
    case RX_CALL:
        if (rule_func_info[e->op].is_predicate || is_conversion(e))
            return false;
        for (unsigned i = 0; i < e->nargs; i++)
            if (infer_type(r, e->args[i], out))
                return true;
        return false;
    default: return false;
    }
}

static void check_value(Parser *p, RuleExpr *e, RuleType t);

static void check_bool(Parser *p, RuleExpr *e)
{
    Rule *r = p->rule;
    if (!e->is_bool)
        error_at(p, e->loc, "expected a condition, found a value (compare it with ==, u< ...)");
    switch (e->kind) {
    case RX_UNARY: check_bool(p, e->args[0]); return;
    case RX_BINARY:
        if (e->op == RB_LAND || e->op == RB_LOR) {
            check_bool(p, e->args[0]);
            check_bool(p, e->args[1]);
            return;
        }
        /* A comparison: typed like a predicate's arguments. */
        /* fall through */
    case RX_CALL: {
        RuleType t;
        bool known = false;
        for (unsigned i = 0; i < e->nargs && !known; i++)
            known = infer_type(r, e->args[i], &t);
        if (!known)
            error_at(p, e->loc, "cannot tell the type of the operands: mention a constant "
                     "or a value");
        for (unsigned i = 0; i < e->nargs; i++)
            check_value(p, e->args[i], t);
        return;
    }
    default: return;
    }
}

static void check_value(Parser *p, RuleExpr *e, RuleType t)
{
    Rule *r = p->rule;
    char b1[8], b2[8];
    if (e->is_bool)
        error_at(p, e->loc, "expected a value, found a condition");
    e->type = t;
    switch (e->kind) {
    case RX_CONST:
    case RX_VALUE: {
        RuleType have = e->kind == RX_CONST ? r->consts[e->index].type
                                            : r->values[e->index].type;
        if (!type_eq(have, t))
            error_at(p, e->loc, "'%s%s' has type %s, used here as %s; convert it with "
                     "zext(), sext() or trunc()", e->kind == RX_VALUE ? "%" : "",
                     e->kind == RX_CONST ? r->consts[e->index].name : r->values[e->index].name,
                     type_name(r, have, b1, sizeof b1), type_name(r, t, b2, sizeof b2));
        return;
    }
    case RX_UNARY:
    case RX_BINARY:
        for (unsigned i = 0; i < e->nargs; i++)
            check_value(p, e->args[i], t);
        return;
    case RX_CALL:
        if (is_conversion(e)) {
            RuleType from;
            if (!infer_type(r, e->args[0], &from))
                error_at(p, e->args[0]->loc, "cannot tell the type converted from: "
                         "mention a constant or a value");
            check_value(p, e->args[0], from);
            return;
        }
        for (unsigned i = 0; i < e->nargs; i++)
            check_value(p, e->args[i], t);
        return;
    default: return;
    }
}

unsigned rule_type_bits(const Rule *r, RuleType t, const uint8_t *combo)
{
    if (t.var == RULE_NO_TYPEVAR)
        return t.bits;
    (void)r;
    return combo[t.var];
}

static bool lit_fits(const RuleExpr *e, unsigned bits)
{
    if (bits >= 64)
        return !e->neg || e->mag <= (UINT64_C(1) << 63);
    if (!e->neg)
        return e->mag <= (UINT64_C(1) << bits) - 1;
    return e->mag <= (UINT64_C(1) << (bits - 1));
}

static const char *combo_desc(const Rule *r, const uint8_t *combo, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < r->ntypevars && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s = i%u", i ? ", " : "",
                              r->typevars[i].name, combo[i]);
    return buf;
}

/* Literals must fit their type, and expression conversions go the right
 * way, at this combination. */
static void check_expr_at(Parser *p, const RuleExpr *e, const uint8_t *combo)
{
    Rule *r = p->rule;
    char cb[96];
    if (!e)
        return;
    if (!e->is_bool) {
        unsigned bits = rule_type_bits(r, e->type, combo);
        if (e->kind == RX_LIT && !lit_fits(e, bits))
            error_at(p, e->loc, "literal %s%llu does not fit in i%u (at %s)", e->neg ? "-" : "",
                     (unsigned long long)e->mag, bits, combo_desc(r, combo, cb, sizeof cb));
        if (e->kind == RX_WIDTH) {
            unsigned w = e->has_wtype ? rule_type_bits(r, e->wtype, combo) : bits;
            if (bits < 64 && w > (UINT64_C(1) << bits) - 1)
                error_at(p, e->loc, "the width %u does not fit in i%u (at %s)", w, bits,
                         combo_desc(r, combo, cb, sizeof cb));
        }
        if (is_conversion(e)) {
            unsigned from = rule_type_bits(r, e->args[0]->type, combo);
            if (e->op == RF_TRUNC ? from < bits : from > bits)
                error_at(p, e->loc, "%s from i%u to i%u (at %s)", rule_func_info[e->op].name,
                         from, bits, combo_desc(r, combo, cb, sizeof cb));
        }
    }
    for (unsigned i = 0; i < e->nargs; i++)
        check_expr_at(p, e->args[i], combo);
}

/* Whether a conversion instruction is valid at the combination. */
static bool inst_valid_at(const Rule *r, const RuleInst *in, const uint8_t *combo)
{
    if (in->op != IR_ZEXT && in->op != IR_SEXT && in->op != IR_TRUNC)
        return true;
    unsigned from = rule_type_bits(r, in->type, combo), to = rule_type_bits(r, in->type2, combo);
    return in->op == IR_TRUNC ? from > to : from < to;
}

static void check_insts_at(Parser *p, const RuleInst *insts, uint32_t n, const uint8_t *combo)
{
    for (uint32_t i = 0; i < n; i++)
        for (unsigned k = 0; k < insts[i].nopd; k++)
            if (insts[i].opd[k].kind == RO_EXPR)
                check_expr_at(p, insts[i].opd[k].expr, combo);
}

/* Enumerate the combinations the source admits; the target and the
 * expressions must be valid at each of them. */
static void find_combos(Parser *p)
{
    Rule *r = p->rule;
    unsigned n = r->ntypevars;
    uint8_t combo[RULE_MAX_TYPEVARS] = {0};
    int idx[RULE_MAX_TYPEVARS];
    char cb[96];
    for (unsigned i = 0; i < n; i++)
        idx[i] = -1;
    /* Odometer over each variable's widths, first variable slowest. */
    for (;;) {
        int k = (int)n - 1;
        for (; k >= 0; k--) {
            int j = idx[k] + 1;
            while (j < RULE_NWIDTHS && !(r->typevars[k].widths >> j & 1))
                j++;
            if (j < RULE_NWIDTHS) {
                idx[k] = j;
                break;
            }
            idx[k] = -1;
        }
        if (k < 0 && !(n == 0 && r->ncombos == 0))
            break;
        for (unsigned i = 0; i < n; i++) {
            if (idx[i] < 0) { /* reset lower variables to their first width */
                int j = 0;
                while (!(r->typevars[i].widths >> j & 1))
                    j++;
                idx[i] = j;
            }
            combo[i] = (uint8_t)rule_width_list[idx[i]];
        }
        bool valid = true;
        for (unsigned i = 0; i < r->nwheres; i++)
            valid = valid && where_holds(r, &r->wheres[i], combo);
        for (uint32_t i = 0; i < r->nsrc; i++)
            valid = valid && inst_valid_at(r, &r->src[i], combo);
        if (valid) {
            for (uint32_t i = 0; i < r->ntgt; i++)
                if (!inst_valid_at(r, &r->tgt[i], combo))
                    error_at(p, r->tgt[i].loc, "this '%s' is invalid at %s, which the source "
                             "admits", ir_op_info[r->tgt[i].op].name,
                             combo_desc(r, combo, cb, sizeof cb));
            check_insts_at(p, r->src, r->nsrc, combo);
            check_insts_at(p, r->tgt, r->ntgt, combo);
            check_expr_at(p, r->pre, combo);
            r->combos = arena_grow(arena(p), r->combos, sizeof *r->combos * r->ncombos,
                                   sizeof *r->combos * (r->ncombos + 1));
            memcpy(r->combos[r->ncombos++], combo, sizeof combo);
        }
        if (n == 0)
            break;
    }
    if (r->ncombos == 0)
        error_at(p, r->loc, "rule '%s' claims no width: its conversions or where clauses "
                 "rule out every width it lists", r->name);
}

/* Every value the source defines is used, except the root. */
static void check_uses(Parser *p, const RuleInst *insts, uint32_t n, RuleValueKind kind)
{
    Rule *r = p->rule;
    for (uint32_t d = 0; d + 1 < n; d++) {
        uint32_t v = insts[d].result;
        bool used = false;
        for (uint32_t i = d + 1; i < n && !used; i++)
            for (unsigned k = 0; k < insts[i].nopd; k++)
                used = used || (insts[i].opd[k].kind == RO_VALUE && insts[i].opd[k].value == v);
        if (!used)
            error_at(p, insts[d].loc, "'%%%s' is not used by the %s", r->values[v].name,
                     kind == RV_SOURCE ? "source pattern" : "target");
    }
}

static void check_rule(Parser *p)
{
    Rule *r = p->rule;
    if (r->ntgt == 0 || r->tgt[r->ntgt - 1].result != r->root)
        error_at(p, r->ntgt ? r->tgt[r->ntgt - 1].loc : r->loc,
                 "the target must end by defining the root '%%%s'", r->values[r->root].name);
    check_uses(p, r->src, r->nsrc, RV_SOURCE);
    check_uses(p, r->tgt, r->ntgt, RV_TARGET);
    if (r->pre) {
        resolve_names(p, r->pre, true);
        check_bool(p, r->pre);
    }
    for (uint32_t i = 0; i < r->ntgt; i++)
        for (unsigned k = 0; k < r->tgt[i].nopd; k++)
            if (r->tgt[i].opd[k].kind == RO_EXPR) {
                RuleExpr *e = r->tgt[i].opd[k].expr;
                resolve_names(p, e, false);
                /* A condition is an i1 operand: 1 when it holds. */
                if (e->is_bool && e->type.var == RULE_NO_TYPEVAR && e->type.bits == 1)
                    check_bool(p, e);
                else
                    check_value(p, e, e->type);
            }
    for (unsigned i = 0; i < r->ntypevars; i++) {
        bool used = false;
        for (uint32_t k = 0; k < r->nvalues; k++)
            used = used || r->values[k].type.var == i;
        for (uint32_t k = 0; k < r->nsrc; k++)
            used = used || r->src[k].type.var == i || r->src[k].rtype.var == i;
        if (!used)
            error_at(p, r->typevars[i].loc, "type '%s' is not used by the source pattern",
                     r->typevars[i].name);
        if (r->typevars[i].widths == 0)
            error_at(p, r->typevars[i].loc, "type '%s' has no width", r->typevars[i].name);
    }
    find_combos(p);
}

/* ---- rules and files ---- */

static void parse_rule(Parser *p)
{
    Rule *r = arena_alloc(arena(p), sizeof *r);
    p->rule = r;
    p->rule_kw = p->tok.text;
    r->loc = p->tok.loc;
    Token name = lex_rule_name(&p->lx);
    if (name.len == 0) {
        advance(p);
        expected(p, "a rule name");
    }
    r->name = arena_strndup(arena(p), name.text, name.len);
    r->loc = name.loc;
    if (rule_set_find(p->set, r->name))
        error_at(p, name.loc, "rule '%s' is defined twice", r->name);
    advance(p);
    /* `rule NAME { ... }`: the braced form, which rule items in IR
     * modules use; its body is the same. */
    bool braced = is_punct(p, P_LBRACE);
    if (braced)
        advance(p);

    for (;;) {
        if (tok_is(&p->tok, "widths")) {
            parse_widths(p);
        } else if (tok_is(&p->tok, "where")) {
            parse_where(p);
        } else if (tok_is(&p->tok, "pre")) {
            if (r->pre)
                error_at(p, p->tok.loc, "a rule has one precondition: join them with &&");
            advance(p);
            p->depth = 0;
            r->pre = parse_expr(p);
        } else {
            break;
        }
    }

    p->in_target = false;
    if (is_punct(p, P_ARROW) || p->tok.kind != TK_VALUE)
        expected(p, "a source instruction '%name = ...'");
    while (!is_punct(p, P_ARROW)) {
        if (p->tok.kind == TK_EOF || tok_is(&p->tok, "rule") || is_punct(p, P_RBRACE))
            expected(p, "'=>' between the source and the target");
        parse_inst(p);
    }
    r->root = r->src[r->nsrc - 1].result;
    advance(p);
    p->in_target = true;
    do
        parse_inst(p);
    while (p->tok.kind != TK_EOF && !tok_is(&p->tok, "rule") && !is_punct(p, P_RBRACE));
    if (braced) {
        if (!is_punct(p, P_RBRACE))
            expected(p, "'}' after the target");
        advance(p);
    } else if (is_punct(p, P_RBRACE)) {
        expected(p, "a target instruction '%name = ...'");
    }
    check_rule(p);
    ARENA_PUSH(arena(p), p->set->rules, p->set->nrules, p->set->caprules, r);
}

/* Every rule up to the end; errors longjmp back here. */
static void parse_all(Parser *p)
{
    /* The first token (lexing errors land here too). */
    if (setjmp(p->fail) == 0)
        advance(p);
    else
        goto recover;
    for (;;) {
        if (p->tok.kind == TK_EOF)
            return;
        if (setjmp(p->fail) == 0) {
            if (!tok_is(&p->tok, "rule"))
                expected(p, "'rule'");
            parse_rule(p);
            continue;
        }
    recover:
        /* Go on at the next `rule` keyword (the current token when the
         * error was found at the start of the next rule). */
        while (!(tok_is(&p->tok, "rule") && p->tok.text != p->rule_kw)) {
            p->tok = lex_next(&p->lx);
            if (p->tok.kind == TK_EOF)
                break;
        }
        if (p->ctx->max_errors && p->ctx->nerrors >= p->ctx->max_errors)
            return;
    }
}

RuleSet *rule_parse_range(IrCtx *ctx, const IrSource *src, size_t start, size_t end,
                          IrLoc at)
{
    RuleSet *set = calloc(1, sizeof *set);
    if (!set) {
        ir_error_plain(ctx, src, "out of memory");
        return NULL;
    }
    arena_init(&set->arena);
    set->src = src;
    Parser p = {.ctx = ctx, .src = src, .set = set};
    if (end > src->len)
        end = src->len;
    if (start > end)
        start = end;
    lex_init(&p.lx, src->data + start, src->data + end, at);
    unsigned errors = ctx->nerrors;
    parse_all(&p);
    if (ctx->nerrors != errors) {
        rule_set_free(set);
        return NULL;
    }
    return set;
}

RuleSet *rule_parse(IrCtx *ctx, const IrSource *src)
{
    return rule_parse_range(ctx, src, 0, src->len, (IrLoc){1, 1});
}

void rule_set_free(RuleSet *set)
{
    if (!set)
        return;
    arena_free(&set->arena);
    free(set);
}

Rule *rule_set_find(const RuleSet *set, const char *name)
{
    for (uint32_t i = 0; i < set->nrules; i++)
        if (strcmp(set->rules[i]->name, name) == 0)
            return set->rules[i];
    return NULL;
}

const char *rule_combo_name(const Rule *r, const uint8_t *combo, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < r->ntypevars && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%si%u", i ? "/" : "", combo[i]);
    if (r->ntypevars == 0) /* concrete types only: name the root's */
        snprintf(buf, size, "i%u", r->values[r->root].type.bits);
    return buf;
}
