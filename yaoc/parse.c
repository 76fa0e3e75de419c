/* parse.c - drives the lexer and the lemon grammar over one source file,
 * and the helpers the grammar's actions build the AST with.
 *
 * The token feeder sits between the two. It decides whether a '{' after
 * a name opens a struct literal (SLBRACE) or a block (LBRACE): it opens a
 * block directly in the head of `if`, `while`, `for`, after `->` and
 * after `struct Name`, where a block must follow; anywhere else, and
 * inside parentheses or brackets of such a head, it is a struct literal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parser.h"

void *ps_new(Parser *ps, size_t size)
{
    return arena_alloc(ps->a, size);
}

const char *ps_name(Parser *ps, const Token *t)
{
    return arena_strndup(ps->a, t->text, t->len);
}

Expr *ps_expr(Parser *ps, ExprKind k, IrLoc loc)
{
    Expr *e = ps_new(ps, sizeof *e);
    e->kind = k;
    e->loc = loc;
    return e;
}

Expr *ps_binary(Parser *ps, Op op, Expr *l, Expr *r, const Token *optok)
{
    Expr *e = ps_expr(ps, E_BINARY, l->loc);
    e->binary.op = op;
    e->binary.l = l;
    e->binary.r = r;
    e->binary.oploc = optok->loc;
    return e;
}

Expr *ps_unary(Parser *ps, Op op, Expr *x, const Token *optok)
{
    Expr *e = ps_expr(ps, E_UNARY, optok->loc);
    e->unary.op = op;
    e->unary.e = x;
    return e;
}

Stmt *ps_stmt(Parser *ps, StmtKind k, IrLoc loc)
{
    Stmt *s = ps_new(ps, sizeof *s);
    s->kind = k;
    s->loc = loc;
    return s;
}

TypeExpr *ps_type(Parser *ps, TypeExprKind k, IrLoc loc)
{
    TypeExpr *t = ps_new(ps, sizeof *t);
    t->kind = k;
    t->loc = loc;
    return t;
}

StrParts *ps_parts_new(Parser *ps)
{
    return ps_new(ps, sizeof(StrParts));
}

void ps_parts_lit(Parser *ps, StrParts *p, const Token *t)
{
    /* Join adjacent literal pieces; keep one (possibly empty) piece so
     * that every string has a location. */
    if (p->n && !p->v[p->n - 1].expr) {
        StrPart *last = &p->v[p->n - 1];
        uint8_t *b = arena_alloc(ps->a, (size_t)last->nbytes + t->nbytes + 1);
        memcpy(b, last->bytes, last->nbytes);
        memcpy(b + last->nbytes, t->bytes, t->nbytes);
        last->bytes = b;
        last->nbytes += t->nbytes;
        return;
    }
    if (t->nbytes == 0 && p->n)
        return;
    StrPart part = {.loc = t->loc, .bytes = t->bytes, .nbytes = t->nbytes,
                    .width = -1, .prec = -1};
    VEC_PUSH(ps->a, *p, part);
}

void ps_parts_expr(Parser *ps, StrParts *p, Expr *e, const Token *spec)
{
    StrPart part = {.loc = e->loc, .expr = e, .width = -1, .prec = -1};
    if (spec->kind) {
        part.spec = spec->bytes;
        part.nspec = spec->nbytes;
        part.spec_loc = spec->loc;
    }
    VEC_PUSH(ps->a, *p, part);
}

void ps_parts_cat(Parser *ps, StrParts *dst, const StrParts *src)
{
    for (uint32_t i = 0; i < src->n; i++) {
        const StrPart *s = &src->v[i];
        if (!s->expr) {
            Token t = {.loc = s->loc, .bytes = s->bytes, .nbytes = s->nbytes};
            ps_parts_lit(ps, dst, &t);
        } else {
            VEC_PUSH(ps->a, *dst, *s);
        }
    }
}

const char *ps_path(Parser *ps, const char *prefix, const Token *t)
{
    size_t n = prefix ? strlen(prefix) : 0;
    char *s = arena_alloc(ps->a, n + t->len + 2);
    if (prefix) {
        memcpy(s, prefix, n);
        s[n++] = '.';
    }
    memcpy(s + n, t->text, t->len);
    return s;
}

void ps_import(Parser *ps, const char *path, IrLoc loc)
{
    const char *dot = strrchr(path, '.');
    Import imp = {.path = path, .alias = dot ? dot + 1 : path, .loc = loc};
    VEC_PUSH(ps->a, ps->m->imports, imp);
}

void ps_fn(Parser *ps, const Token *name, ParamVec *params, TypeExpr *ret,
           Block *body, bool is_extern)
{
    FnDecl *f = ps_new(ps, sizeof *f);
    f->name = ps_name(ps, name);
    f->loc = name->loc;
    f->mod = ps->m;
    f->params.v = params->v;
    f->params.n = params->n;
    f->params.cap = params->cap;
    f->ret_texpr = ret;
    if (body)
        f->body = *body;
    f->is_extern = is_extern;
    f->item = IR_NONE;
    Decl d = {.kind = D_FN, .fn = f};
    VEC_PUSH(ps->a, ps->m->decls, d);
}

void ps_struct(Parser *ps, const Token *name, FieldVec *fields)
{
    StructDecl *s = ps_new(ps, sizeof *s);
    s->name = ps_name(ps, name);
    s->loc = name->loc;
    s->mod = ps->m;
    s->fields.v = fields->v;
    s->fields.n = fields->n;
    s->fields.cap = fields->cap;
    Decl d = {.kind = D_STRUCT, .sd = s};
    VEC_PUSH(ps->a, ps->m->decls, d);
}

ConstDecl *ps_const(Parser *ps, const Token *name, TypeExpr *t, Expr *init)
{
    ConstDecl *c = ps_new(ps, sizeof *c);
    c->name = ps_name(ps, name);
    c->loc = name->loc;
    c->mod = ps->m;
    c->texpr = t;
    c->init = init;
    return c;
}

void ps_top_const(Parser *ps, ConstDecl *c)
{
    Decl d = {.kind = D_CONST, .cnst = c};
    VEC_PUSH(ps->a, ps->m->decls, d);
}

/* ---- errors ---- */

void ps_error(Parser *ps, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ir_verror(ps->c->ctx, &ps->m->src, loc, fmt, ap);
    va_end(ap);
    ps->failed = true;
}

static const char *token_desc(int kind)
{
    switch (kind) {
    case 0: return "end of file";
    case TK_FN: return "'fn'";
    case TK_STRUCT: return "'struct'";
    case TK_MUT: return "'mut'";
    case TK_CONST: return "'const'";
    case TK_IF: return "'if'";
    case TK_ELSE: return "'else'";
    case TK_WHILE: return "'while'";
    case TK_FOR: return "'for'";
    case TK_IN: return "'in'";
    case TK_BREAK: return "'break'";
    case TK_CONTINUE: return "'continue'";
    case TK_RETURN: return "'return'";
    case TK_IMPORT: return "'import'";
    case TK_TRUE: return "'true'";
    case TK_FALSE: return "'false'";
    case TK_TRY: return "'try'";
    case TK_CATCH: return "'catch'";
    case TK_ERROR: return "'error'";
    case TK_ALLOC: return "'alloc'";
    case TK_EXTERN: return "'extern'";
    case TK_IDENT: return "a name";
    case TK_INT: return "an integer";
    case TK_FLOAT: return "a float";
    case TK_STRING: case TK_ISTR_BEGIN: return "a string";
    case TK_ISTR_MID: case TK_ISTR_END: return "the rest of the string";
    case TK_ISPEC: return "a format spec";
    case TK_LPAREN: return "'('";
    case TK_RPAREN: return "')'";
    case TK_LBRACKET: return "'['";
    case TK_RBRACKET: return "']'";
    case TK_LBRACE: case TK_SLBRACE: return "'{'";
    case TK_RBRACE: return "'}'";
    case TK_COMMA: return "','";
    case TK_SEMI: return "';'";
    case TK_COLON: return "':'";
    case TK_COLONEQ: return "':='";
    case TK_DOT: return "'.'";
    case TK_DOTDOT: return "'..'";
    case TK_ARROW: return "'->'";
    case TK_PLUS: return "'+'";
    case TK_MINUS: return "'-'";
    case TK_STAR: return "'*'";
    case TK_SLASH: return "'/'";
    case TK_PERCENT: return "'%'";
    case TK_PLUSW: return "'+%'";
    case TK_MINUSW: return "'-%'";
    case TK_STARW: return "'*%'";
    case TK_SHL: return "'<<'";
    case TK_SHR: return "'>>'";
    case TK_AMP: return "'&'";
    case TK_PIPE: return "'|'";
    case TK_CARET: return "'^'";
    case TK_TILDE: return "'~'";
    case TK_BANG: return "'!'";
    case TK_ANDAND: return "'&&'";
    case TK_OROR: return "'||'";
    case TK_EQEQ: return "'=='";
    case TK_NE: return "'!='";
    case TK_LT: return "'<'";
    case TK_LE: return "'<='";
    case TK_GT: return "'>'";
    case TK_GE: return "'>='";
    case TK_ASSIGN: return "'='";
    case TK_ADDEQ: return "'+='";
    case TK_SUBEQ: return "'-='";
    case TK_MULEQ: return "'*='";
    case TK_DIVEQ: return "'/='";
    case TK_REMEQ: return "'%='";
    case TK_ADDWEQ: return "'+%='";
    case TK_SUBWEQ: return "'-%='";
    case TK_MULWEQ: return "'*%='";
    case TK_ANDEQ: return "'&='";
    case TK_OREQ: return "'|='";
    case TK_XOREQ: return "'^='";
    case TK_SHLEQ: return "'<<='";
    case TK_SHREQ: return "'>>='";
    case TK_DOLLAR: return "'$'";
    case TK_SHTEXT: return "a word";
    case TK_SHSP: return "a space";
    case TK_SHPIPE: return "'|'";
    case TK_SHLT: return "'<'";
    case TK_SHGT: return "'>'";
    case TK_SHAPPEND: return "'>>'";
    case TK_SHERR: return "'2>'";
    case TK_SHLBRACE: return "'{'";
    case TK_SHRBRACE: return "'}'";
    default: return "a token";
    }
}

/* The found token, quoted as written when it is short. */
static void found_desc(const Token *t, char *buf, size_t n)
{
    if (t->kind == TK_IDENT || t->kind == TK_INT || t->kind == TK_FLOAT)
        snprintf(buf, n, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text);
    else
        snprintf(buf, n, "%s", token_desc(t->kind));
}

void ps_syntax_error(Parser *ps, const Token *found)
{
    char fd[64];
    found_desc(found, fd, sizeof fd);
    int n = yao_parser_ntokens();
    unsigned char set[256] = {0};
    if (n > 256)
        n = 256;
    yao_parser_expected(ps->states, ps->nstates, set, n);
    int count = 0, list[8];
    for (int t = 1; t < n; t++) {
        if (!set[t] || t == TK_SLBRACE || t == TK_UMINUS)
            continue;
        bool seen = false; /* two tokens may read the same ("a string") */
        for (int i = 0; i < count && i < 8; i++)
            seen |= strcmp(token_desc(list[i]), token_desc(t)) == 0;
        if (seen)
            continue;
        if (count < 8)
            list[count] = t;
        count++;
    }
    /* An expression could start here: say so rather than list it all. */
    if (set[TK_IDENT] && set[TK_INT] && set[TK_LPAREN] && set[TK_MINUS]) {
        ps_error(ps, found->loc, "expected an expression, found %s", fd);
        return;
    }
    if (found->kind == TK_SEMI && set[TK_ASSIGN] && !set[TK_SEMI]) {
        /* `mut x: i64;`: every variable starts with a value. */
        ps_error(ps, found->loc,
                 "expected '= value' before ';': every variable and constant is initialised");
        return;
    }
    if (set[TK_SEMI] && found->loc.line > ps->prev.loc.line && ps->prev.kind) {
        /* Most likely a forgotten ';' at the end of the previous line. */
        IrLoc at = ps->prev.loc;
        at.col += ps->prev.len;
        ps_error(ps, at, "expected ';' after %s", token_desc(ps->prev.kind));
        return;
    }
    if (count == 0 || count > 4) {
        ps_error(ps, found->loc, "unexpected %s", fd);
        return;
    }
    char want[200] = "";
    size_t len = 0;
    for (int i = 0; i < count; i++) {
        const char *sep = i == 0 ? "" : i == count - 1 ? " or " : ", ";
        len += (size_t)snprintf(want + len, sizeof want - len, "%s%s", sep,
                                token_desc(list[i]));
        if (len >= sizeof want)
            break;
    }
    ps_error(ps, found->loc, "expected %s, found %s", want, fd);
}

void ps_stack_overflow(Parser *ps)
{
    ps_error(ps, ps->prev.loc, "nested too deeply");
}

/* ---- the token feeder ---- */

typedef struct Feeder {
    Lexer lx;
    Token ahead;
    bool have_ahead;
    int restrict_depth;       /* -1: struct literals allowed everywhere */
    int depth;                /* open ( [ and interpolations */
    uint8_t braces[256];      /* 'S' struct literal, 'B' block */
    uint32_t nbraces;
} Feeder;

static int feed_next(Parser *ps, Feeder *fd, Token *t)
{
    if (fd->have_ahead) {
        *t = fd->ahead;
        fd->have_ahead = false;
        return t->kind;
    }
    int k = yao_lexer_next(&fd->lx, t);
    if (k < 0) {
        ps_error(ps, fd->lx.err_loc, "%s", fd->lx.err);
        return -1;
    }
    t->kind = k;
    return k;
}

bool yao_parse(Compiler *c, Module *m)
{
    Parser ps = {.c = c, .m = m, .a = &c->arena};
    Feeder fd;
    memset(&fd, 0, sizeof fd);
    yao_lexer_init(&fd.lx, m->src.data, m->src.len, &c->arena);
    fd.restrict_depth = -1;
    void *parser = YaoParserAlloc(malloc);
    if (!parser) {
        ps_error(&ps, (IrLoc){0, 0}, "out of memory");
        return false;
    }
    for (;;) {
        Token t;
        int k = feed_next(&ps, &fd, &t);
        if (k < 0)
            break;
        switch (k) {
        case TK_IF: case TK_WHILE: case TK_FOR: case TK_ARROW: case TK_STRUCT:
            fd.restrict_depth = fd.depth;
            break;
        case TK_LPAREN: case TK_LBRACKET: case TK_ISTR_BEGIN: case TK_SHLBRACE:
            fd.depth++;
            break;
        case TK_RPAREN: case TK_RBRACKET: case TK_ISTR_END: case TK_SHRBRACE:
            if (fd.depth > 0)
                fd.depth--;
            break;
        case TK_LBRACE: case TK_SLBRACE:
            if (k == TK_LBRACE && fd.restrict_depth == fd.depth)
                fd.restrict_depth = -1;
            if (fd.nbraces < sizeof fd.braces)
                fd.braces[fd.nbraces] = k == TK_SLBRACE ? 'S' : 'B';
            fd.nbraces++;
            if (k == TK_SLBRACE)
                fd.depth++;
            break;
        case TK_RBRACE:
            if (fd.nbraces > 0) {
                fd.nbraces--;
                if (fd.nbraces < sizeof fd.braces && fd.braces[fd.nbraces] == 'S' &&
                    fd.depth > 0)
                    fd.depth--;
            }
            break;
        case TK_IDENT: {
            Token next;
            int nk = feed_next(&ps, &fd, &next);
            if (nk < 0)
                goto stop;
            if (nk == TK_LBRACE && fd.restrict_depth != fd.depth)
                next.kind = TK_SLBRACE;
            fd.ahead = next;
            fd.have_ahead = true;
            break;
        }
        default:
            break;
        }
        ps.nstates = yao_parser_save(parser, ps.states,
                                     (int)(sizeof ps.states / sizeof ps.states[0]));
        YaoParser(parser, k, t, &ps);
        if (k == 0 || ps.stop)
            break;
        ps.prev = t;
        if (c->ctx->nerrors > 50)
            break;
    }
stop:
    YaoParserFree(parser, free);
    if (ps.failed)
        c->syntax_errors = true;
    return !ps.failed;
}
