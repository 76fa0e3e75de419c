/* check.c - name resolution and type checking of declarations and
 * statements (expressions: check_expr.c).
 *
 * Order: every module's top-level names go into its symbol table first
 * (so declarations may be used before they appear, across modules too);
 * then struct layouts, function signatures and constants are resolved on
 * demand with cycle detection; then every function body is checked.
 * Errors are reported and checking goes on; a TY_ERROR type stands for
 * anything that already failed, so one mistake is reported once.
 *
 * Lifetimes (what makes slices and heap arrays safe): every variable
 * has a scope depth; a value with slices in it carries the depth of the
 * deepest storage it may point into (its region). Storing it somewhere
 * that outlives that scope, or returning it, is an error. */
#include <stdio.h>
#include <string.h>

#include "check.h"

/* ---- the universe: built-in types and functions ---- */

static const struct {
    const char *name;
    TypeKind kind;
} universe_types[] = {
    {"bool", TY_BOOL}, {"i8", TY_I8},   {"i16", TY_I16}, {"i32", TY_I32},
    {"i64", TY_I64},   {"u8", TY_U8},   {"u16", TY_U16}, {"u32", TY_U32},
    {"u64", TY_U64},   {"f32", TY_F32}, {"f64", TY_F64}, {"str", TY_STR},
};

static const struct {
    const char *name;
    Builtin b;
    bool std_only;
} universe_fns[] = {
    {"len", BI_LEN, false},
    {"parse_i64", BI_PARSE_I64, false},
    {"parse_f64", BI_PARSE_F64, false},
    {"__read_all", BI_READ_ALL, true},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static Sym universe(Checker *k, const char *name)
{
    for (size_t i = 0; i < COUNT(universe_types); i++)
        if (strcmp(universe_types[i].name, name) == 0)
            return (Sym){.kind = SYM_TYPE, .type = type_prim(k->c, universe_types[i].kind)};
    for (size_t i = 0; i < COUNT(universe_fns); i++)
        if (strcmp(universe_fns[i].name, name) == 0 &&
            (!universe_fns[i].std_only || k->m->is_std))
            return (Sym){.kind = SYM_BUILTIN, .builtin = universe_fns[i].b};
    return (Sym){.kind = SYM_NONE};
}

Sym lookup(Checker *k, const char *name)
{
    for (uint32_t i = k->scope.n; i-- > 0;)
        if (strcmp(k->scope.v[i].name, name) == 0)
            return k->scope.v[i].sym;
    Sym *s = symtab_get(&k->m->syms, name);
    if (s)
        return *s;
    return universe(k, name);
}

/* ---- "did you mean" ---- */

typedef struct Suggest {
    const char *name;
    const char *best;
    unsigned dist, limit;
} Suggest;

static void consider(Suggest *s, const char *cand)
{
    if (!cand || cand[0] == '_' || strcmp(cand, s->name) == 0)
        return;
    unsigned d = edit_distance(s->name, cand, s->limit);
    if (d <= s->limit &&
        (!s->best || d < s->dist || (d == s->dist && strcmp(cand, s->best) < 0))) {
        s->best = cand;
        s->dist = d;
    }
}

static Suggest suggest_begin(const char *name)
{
    size_t n = strlen(name);
    Suggest s = {.name = name, .limit = n <= 2 ? 1 : n <= 5 ? 2 : 3};
    return s;
}

static const char *suggest_end(const Suggest *s, char *buf, size_t n)
{
    if (!s->best)
        return "";
    snprintf(buf, n, "; did you mean '%s'?", s->best);
    return buf;
}

const char *suggest_name(Checker *k, const char *name, char *buf, size_t n)
{
    Suggest s = suggest_begin(name);
    for (uint32_t i = k->scope.n; i-- > 0;)
        consider(&s, k->scope.v[i].name);
    for (uint32_t i = 0; i < k->m->syms.cap; i++)
        consider(&s, k->m->syms.keys[i]);
    for (size_t i = 0; i < COUNT(universe_types); i++)
        consider(&s, universe_types[i].name);
    for (size_t i = 0; i < COUNT(universe_fns); i++)
        if (!universe_fns[i].std_only)
            consider(&s, universe_fns[i].name);
    return suggest_end(&s, buf, n);
}

const char *suggest_in(SymTab *t, const char *name, char *buf, size_t n)
{
    Suggest s = suggest_begin(name);
    for (uint32_t i = 0; i < t->cap; i++)
        consider(&s, t->keys[i]);
    return suggest_end(&s, buf, n);
}

static const char *suggest_type(Checker *k, const char *name, char *buf, size_t n)
{
    Suggest s = suggest_begin(name);
    for (size_t i = 0; i < COUNT(universe_types); i++)
        consider(&s, universe_types[i].name);
    for (uint32_t i = 0; i < k->m->syms.cap; i++)
        if (k->m->syms.keys[i] && k->m->syms.vals[i].kind == SYM_STRUCT)
            consider(&s, k->m->syms.keys[i]);
    return suggest_end(&s, buf, n);
}

/* ---- types ---- */

bool has_borrows(const Type *t)
{
    switch (t->kind) {
    case TY_SLICE: case TY_HEAP: return true;
    case TY_ARRAY: return has_borrows(t->elem);
    case TY_STRUCT:
        for (uint32_t i = 0; i < t->sd->fields.n; i++)
            if (t->sd->fields.v[i].type && has_borrows(t->sd->fields.v[i].type))
                return true;
        return false;
    default: return false;
    }
}

/* A type that values, fields and elements may have. */
static bool value_type_ok(Checker *k, Type *t, IrLoc loc, const char *what)
{
    if (t->kind == TY_ERRUNION) {
        ERR(k, loc, "%s cannot have the error union type '%s' (only functions return one)",
            what, TN(tn, 0, t));
        return false;
    }
    return true;
}


Type *resolve_type(Checker *k, TypeExpr *te)
{
    char sb[128];
    switch (te->kind) {
    case TE_NAME: {
        for (size_t i = 0; i < COUNT(universe_types); i++)
            if (strcmp(universe_types[i].name, te->name) == 0)
                return type_prim(k->c, universe_types[i].kind);
        Sym *s = symtab_get(&k->m->syms, te->name);
        if (s && s->kind == SYM_STRUCT) {
            resolve_struct(k, s->sd);
            return type_struct(k->c, s->sd);
        }
        if (s)
            ERR(k, te->loc, "'%s' is not a type", te->name);
        else
            ERR(k, te->loc, "unknown type '%s'%s", te->name,
                suggest_type(k, te->name, sb, sizeof sb));
        return type_prim(k->c, TY_ERROR);
    }
    case TE_QUAL: {
        Sym *ms = symtab_get(&k->m->syms, te->qual);
        if (!ms || ms->kind != SYM_MODULE) {
            ERR(k, te->loc, "unknown module '%s'", te->qual);
            return type_prim(k->c, TY_ERROR);
        }
        Sym *s = symtab_get(&ms->mod->syms, te->name);
        if (!s || s->kind != SYM_STRUCT) {
            ERR(k, te->loc, "module '%s' has no type '%s'%s", te->qual, te->name,
                suggest_in(&ms->mod->syms, te->name, sb, sizeof sb));
            return type_prim(k->c, TY_ERROR);
        }
        resolve_struct(k, s->sd);
        return type_struct(k->c, s->sd);
    }
    case TE_SLICE: {
        Type *e = resolve_type(k, te->elem);
        if (e->kind == TY_ERROR || !value_type_ok(k, e, te->elem->loc, "a slice element"))
            return type_prim(k->c, TY_ERROR);
        return type_slice(k->c, e, te->mut);
    }
    case TE_ARRAY: {
        Type *e = resolve_type(k, te->elem);
        Type *lt = check_expr(k, te->len, NULL);
        if (e->kind == TY_ERROR || lt->kind == TY_ERROR)
            return type_prim(k->c, TY_ERROR);
        if (!value_type_ok(k, e, te->elem->loc, "an array element"))
            return type_prim(k->c, TY_ERROR);
        if (!te->len->is_const || te->len->cval.is_float || te->len->cval.is_bool ||
            te->len->cval.is_str || !(lt->kind == TY_INTLIT || type_is_int(lt))) {
            ERR(k, te->len->loc, "an array length must be a constant integer");
            return type_prim(k->c, TY_ERROR);
        }
        __int128 n = te->len->cval.i;
        if (n < 0) {
            ERR(k, te->len->loc, "array length %lld is negative", (long long)n);
            return type_prim(k->c, TY_ERROR);
        }
        if (n > (__int128)MAX_OBJECT_SIZE || (n && type_size(e) > MAX_OBJECT_SIZE / (uint64_t)n)) {
            ERR(k, te->loc, "array type '[%s; %lld]' is too large", TN(tn, 0, e),
                (long long)n);
            return type_prim(k->c, TY_ERROR);
        }
        return type_array(k->c, e, (int64_t)n);
    }
    case TE_ERRUNION: {
        Type *e = resolve_type(k, te->elem);
        if (e->kind == TY_ERROR)
            return e;
        if (e->kind == TY_ERRUNION) {
            ERR(k, te->loc, "'%s' is already an error union", TN(tn, 0, e));
            return type_prim(k->c, TY_ERROR);
        }
        return type_errunion(k->c, e);
    }
    }
    return type_prim(k->c, TY_ERROR);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

void resolve_struct(Checker *k, StructDecl *sd)
{
    if (sd->state == 2)
        return;
    if (sd->state == 1) {
        yao_error(k->c, sd->mod, sd->loc, "struct '%s' contains itself", sd->name);
        sd->state = 3;
        return;
    }
    if (sd->state == 3)
        return;
    sd->state = 1;
    Module *saved = k->m;
    k->m = sd->mod;
    uint64_t off = 0, align = 1;
    for (uint32_t i = 0; i < sd->fields.n; i++) {
        FieldDecl *f = &sd->fields.v[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(sd->fields.v[j].name, f->name) == 0)
                ERR(k, f->loc, "field '%s' is declared twice in '%s'", f->name, sd->name);
        f->type = resolve_type(k, f->texpr);
        if (f->type->kind != TY_ERROR && !value_type_ok(k, f->type, f->texpr->loc, "a field"))
            f->type = type_prim(k->c, TY_ERROR);
        if (f->type->kind == TY_STRUCT && f->type->sd->state == 3)
            f->type = type_prim(k->c, TY_ERROR);
        uint64_t a = f->type->kind == TY_ERROR ? 1 : type_align(f->type);
        uint64_t s = f->type->kind == TY_ERROR ? 0 : type_size(f->type);
        off = align_up(off, a);
        f->offset = off;
        off += s;
        if (a > align)
            align = a;
        if (off > MAX_OBJECT_SIZE) {
            ERR(k, sd->loc, "struct '%s' is too large", sd->name);
            off = 0;
            break;
        }
    }
    sd->size = align_up(off, align);
    sd->align = align;
    k->m = saved;
    if (sd->state == 1)
        sd->state = 2;
}

static bool extern_type_ok(const Type *t)
{
    if (t->kind == TY_SLICE) /* passed as pointer and length, like str */
        return t->elem->kind == TY_BOOL || type_is_numeric(t->elem);
    return t->kind == TY_BOOL || type_is_numeric(t) || t->kind == TY_STR;
}

void resolve_sig(Checker *k, FnDecl *fn)
{
    if (fn->sig_done)
        return;
    fn->sig_done = true;
    Module *saved = k->m;
    k->m = fn->mod;
    for (uint32_t i = 0; i < fn->params.n; i++) {
        Param *p = &fn->params.v[i];
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(fn->params.v[j].name, p->name) == 0)
                ERR(k, p->loc, "parameter '%s' is declared twice", p->name);
        p->type = resolve_type(k, p->texpr);
        if (p->type->kind != TY_ERROR && !value_type_ok(k, p->type, p->texpr->loc, "a parameter"))
            p->type = type_prim(k->c, TY_ERROR);
        if (fn->is_extern && p->type->kind != TY_ERROR && !extern_type_ok(p->type)) {
            ERR(k, p->texpr->loc, "an extern function cannot take '%s'", TN(tn, 0, p->type));
            p->type = type_prim(k->c, TY_ERROR);
        }
    }
    fn->ret = fn->ret_texpr ? resolve_type(k, fn->ret_texpr) : type_prim(k->c, TY_VOID);
    if (fn->is_extern && fn->ret->kind != TY_VOID && fn->ret->kind != TY_ERROR &&
        (fn->ret->kind == TY_STR || fn->ret->kind == TY_SLICE || !extern_type_ok(fn->ret))) {
        ERR(k, fn->ret_texpr->loc, "an extern function cannot return '%s'", TN(tn, 0, fn->ret));
        fn->ret = type_prim(k->c, TY_ERROR);
    }
    k->m = saved;
}

/* ---- constants ---- */

void check_const(Checker *k, ConstDecl *cd)
{
    if (cd->state == 2)
        return;
    if (cd->state == 1) {
        yao_error(k->c, cd->mod, cd->loc, "constant '%s' depends on itself", cd->name);
        cd->type = type_prim(k->c, TY_ERROR);
        cd->state = 2;
        return;
    }
    cd->state = 1;
    Module *saved = k->m;
    k->m = cd->mod;
    Type *want = cd->texpr ? resolve_type(k, cd->texpr) : NULL;
    Type *t = check_expr(k, cd->init, want);
    if (cd->state == 2) { /* a cycle was reported inside */
        k->m = saved;
        return;
    }
    if (want && want->kind != TY_ERROR && t->kind != TY_ERROR) {
        if (coerce(k, cd->init, want))
            t = want;
        else
            t = type_prim(k->c, TY_ERROR);
    }
    if (t->kind != TY_ERROR && !cd->init->is_const) {
        ERR(k, cd->init->loc, "the value of constant '%s' must be known at compile time",
            cd->name);
        t = type_prim(k->c, TY_ERROR);
    }
    cd->type = t;
    cd->val = cd->init->cval;
    cd->state = 2;
    k->m = saved;
}

/* ---- scopes ---- */

static void scope_push(Checker *k)
{
    VEC_PUSH(&k->c->arena, k->marks, k->scope.n);
    k->depth++;
}

static void scope_pop(Checker *k)
{
    k->scope.n = k->marks.v[--k->marks.n];
    k->depth--;
}

/* Declare name in the innermost scope; an error if it already is. */
static bool declare(Checker *k, const char *name, IrLoc loc, Sym s)
{
    uint32_t mark = k->marks.n ? k->marks.v[k->marks.n - 1] : 0;
    for (uint32_t i = mark; i < k->scope.n; i++) {
        if (strcmp(k->scope.v[i].name, name) == 0) {
            ERR(k, loc, "'%s' is already declared in this scope", name);
            return false;
        }
    }
    ScopeEntry e = {.name = name, .sym = s};
    VEC_PUSH(&k->c->arena, k->scope, e);
    return true;
}

static Local *new_local(Checker *k, const char *name, IrLoc loc, Type *t, bool mut)
{
    Local *l = arena_alloc(&k->c->arena, sizeof *l);
    l->name = name;
    l->loc = loc;
    l->type = t;
    l->mut = mut;
    l->depth = k->depth;
    return l;
}

/* ---- statements ---- */

static void check_block(Checker *k, Block *b);

static bool is_true_const(const Expr *e)
{
    return e->is_const && e->cval.is_bool && e->cval.i;
}

static bool has_break(const Block *b);

static bool stmt_has_break(const Stmt *s)
{
    switch (s->kind) {
    case S_BREAK: return true;
    case S_IF: return has_break(&s->if_.then) || (s->if_.els && stmt_has_break(s->if_.els));
    case S_BLOCK: return has_break(&s->block);
    default: return false; /* a nested loop's break is its own */
    }
}

static bool has_break(const Block *b)
{
    for (uint32_t i = 0; i < b->stmts.n; i++)
        if (stmt_has_break(b->stmts.v[i]))
            return true;
    return false;
}

static bool block_diverges(const Block *b);

static bool diverges(const Stmt *s)
{
    switch (s->kind) {
    case S_RETURN: return true;
    case S_BLOCK: return block_diverges(&s->block);
    case S_IF: return s->if_.els && block_diverges(&s->if_.then) && diverges(s->if_.els);
    case S_WHILE: return is_true_const(s->while_.cond) && !has_break(&s->while_.body);
    default: return false;
    }
}

static bool block_diverges(const Block *b)
{
    for (uint32_t i = 0; i < b->stmts.n; i++)
        if (diverges(b->stmts.v[i]))
            return true;
    return false;
}

static void check_cond(Checker *k, Expr *cond)
{
    Type *t = check_expr(k, cond, type_prim(k->c, TY_BOOL));
    if (t->kind != TY_ERROR && t->kind != TY_BOOL)
        ERR(k, cond->loc, "a condition must be 'bool', found '%s'", TN(tn, 0, t));
}

static void check_let(Checker *k, Stmt *s)
{
    Expr *init = s->let.init;
    Type *t;
    if (init->kind == E_ALLOC) {
        if (s->let.type)
            ERR(k, s->let.type->loc, "a heap array's type is given by 'alloc'; "
                                     "leave out the type");
        k->alloc_ok = true;
        t = check_expr(k, init, NULL);
    } else {
        Type *want = s->let.type ? resolve_type(k, s->let.type) : NULL;
        if (want && want->kind == TY_ERRUNION) {
            ERR(k, s->let.type->loc, "a variable cannot have the error union type '%s'; "
                                     "handle the error with 'try' or 'catch'", TN(tn, 0, want));
            want = type_prim(k->c, TY_ERROR);
        }
        t = check_expr(k, init, want);
        if (want) {
            if (want->kind != TY_ERROR && t->kind != TY_ERROR && !coerce(k, init, want))
                t = type_prim(k->c, TY_ERROR);
            else
                t = want;
        } else if (t->kind == TY_VOID) {
            ERR(k, init->loc, "this expression has no value to bind");
            t = type_prim(k->c, TY_ERROR);
        } else if (t->kind == TY_ERRUNION) {
            ERR(k, init->loc, "the value may be an error ('%s'); handle it with 'try' or "
                              "'catch'", TN(tn, 0, t));
            t = type_prim(k->c, TY_ERROR);
        } else {
            t = finalize(k, init);
        }
    }
    Local *l = new_local(k, s->let.name, s->let.nloc, t, s->let.mut);
    if (has_borrows(t))
        l->region = s->let.mut || t->kind == TY_HEAP ? k->depth : init->region;
    s->let.local = l;
    declare(k, s->let.name, s->let.nloc, (Sym){.kind = SYM_LOCAL, .local = l});
}

static bool is_shift(Op op)
{
    return op == OP_SHL || op == OP_SHR;
}

static void check_assign(Checker *k, Stmt *s)
{
    Expr *lhs = s->assign.lhs, *rhs = s->assign.rhs;
    Op op = s->assign.op;
    Type *lt = check_expr(k, lhs, NULL);
    Place p = analyze_place(k, lhs);
    if (lt->kind == TY_ERROR && !(p.is_place && !p.writable)) {
        check_expr(k, rhs, NULL);
        return;
    }
    if (!p.is_place) {
        const Expr *x = lhs;
        while (x->kind == E_PAREN)
            x = x->paren;
        if (x->kind == E_NAME && x->name.sym.kind == SYM_CONST)
            ERR(k, lhs->loc, "cannot assign to '%s': it is a constant", x->name.name);
        else if (x->kind == E_NAME && x->name.sym.kind == SYM_FN)
            ERR(k, lhs->loc, "cannot assign to '%s': it is a function", x->name.name);
        else
            ERR(k, lhs->loc, "cannot assign to this expression");
        check_expr(k, rhs, NULL);
        return;
    }
    if (!p.writable) {
        ERR(k, lhs->loc, "%s", p.why ? p.why : "cannot assign to this place");
        check_expr(k, rhs, NULL);
        return;
    }
    if (lt->kind == TY_HEAP) {
        ERR(k, lhs->loc, "a heap array cannot be reassigned");
        return;
    }
    Type *rt = check_expr(k, rhs, is_shift(op) ? NULL : lt);
    if (rt->kind == TY_ERROR)
        return;
    if (op == OP_NONE) {
        if (!coerce(k, rhs, lt))
            return;
        if (has_borrows(lt) && rhs->region > p.home) {
            ERR(k, rhs->loc, "'%s' does not live long enough: this stores a reference to "
                             "it where it outlives its scope",
                rhs->root ? rhs->root->name : "the value");
        }
        return;
    }
    /* Compound assignment: the operator's rules, with the result stored. */
    if (is_shift(op)) {
        if (!type_is_int(lt)) {
            ERR(k, s->assign.oploc, "'%s=' needs an integer on the left, found '%s'",
                op_text(op), TN(tn, 0, lt));
            return;
        }
        if (rt->kind == TY_INTLIT) {
            if (!coerce(k, rhs, lt))
                return;
        } else if (!type_is_int(rt)) {
            ERR(k, rhs->loc, "a shift amount must be an integer, found '%s'", TN(tn, 0, rt));
            return;
        }
        if (rhs->is_const && (rhs->cval.i < 0 || rhs->cval.i >= type_bits(lt)))
            ERR(k, rhs->loc, "shift amount %lld is out of range for '%s'",
                (long long)rhs->cval.i, TN(tn, 0, lt));
        return;
    }
    if (!coerce(k, rhs, lt))
        return;
    bool ok;
    switch (op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: ok = type_is_numeric(lt); break;
    case OP_REM: case OP_ADDW: case OP_SUBW: case OP_MULW: ok = type_is_int(lt); break;
    case OP_AND: case OP_OR: case OP_XOR: ok = type_is_int(lt) || lt->kind == TY_BOOL; break;
    default: ok = false; break;
    }
    if (!ok)
        ERR(k, s->assign.oploc, "'%s=' cannot be used on '%s'", op_text(op), TN(tn, 0, lt));
    else if ((op == OP_DIV || op == OP_REM) && type_is_int(lt) && rhs->is_const && rhs->cval.i == 0)
        ERR(k, rhs->loc, "division by zero");
}

static void check_return(Checker *k, Stmt *s)
{
    Type *ret = k->fn->ret;
    Expr *v = s->ret.value;
    if (!v) {
        if (ret->kind != TY_VOID && ret->kind != TY_ERROR)
            ERR(k, s->loc, "'%s' must return a value of type '%s'", k->fn->name,
                TN(tn, 0, ret));
        return;
    }
    if (ret->kind == TY_VOID) {
        check_expr(k, v, NULL);
        ERR(k, v->loc, "'%s' returns nothing, so 'return' takes no value", k->fn->name);
        return;
    }
    if (v->kind == E_ERROR) {
        if (ret->kind != TY_ERRUNION && ret->kind != TY_ERROR) {
            ERR(k, v->loc, "'%s' cannot return an error: its type '%s' is not an error "
                           "union (write '!%s')", k->fn->name, TN(tn, 0, ret), TN(tn, 1, ret));
            return;
        }
        v->type = ret;
        v->err.code = error_code(k->c, v->err.name);
        return;
    }
    Type *want = ret->kind == TY_ERRUNION ? ret->elem : ret;
    Type *t = check_expr(k, v, want);
    if (t->kind == TY_ERROR || ret->kind == TY_ERROR)
        return;
    if (t->kind == TY_ERRUNION) {
        if (t != ret) {
            if (ret->kind == TY_ERRUNION)
                ERR(k, v->loc, "mismatched types: expected '%s', found '%s'",
                    TN(tn, 0, ret), TN(tn, 1, t));
            else
                ERR(k, v->loc, "the value may be an error ('%s'); handle it with 'try' "
                               "or 'catch'", TN(tn, 0, t));
            return;
        }
    } else if (!coerce(k, v, want)) {
        return;
    }
    if (has_borrows(t) && v->region > 1)
        ERR(k, v->loc, "cannot return a reference to '%s': it is freed when %s",
            v->root ? v->root->name : "a local value",
            v->root && v->root->type->kind == TY_HEAP ? "its scope ends" : "the function returns");
}

static void check_stmt(Checker *k, Stmt *s)
{
    switch (s->kind) {
    case S_LET:
        check_let(k, s);
        break;
    case S_CONST: {
        ConstDecl *cd = s->cnst;
        cd->mod = k->m;
        check_const(k, cd);
        declare(k, cd->name, cd->loc, (Sym){.kind = SYM_CONST, .cnst = cd});
        break;
    }
    case S_ASSIGN:
        check_assign(k, s);
        break;
    case S_EXPR: {
        Expr *e = s->expr;
        Type *t = check_expr(k, e, NULL);
        if (t->kind == TY_ERROR)
            break;
        if (t->kind == TY_ERRUNION) {
            ERR(k, e->loc, "the error this may return is not handled; use 'try' or 'catch'");
            break;
        }
        Expr *x = e;
        while (x->kind == E_PAREN)
            x = x->paren;
        if (x->kind == E_TRY)
            x = x->try_.e;
        if (x->kind != E_CALL && x->kind != E_SHELL && x->kind != E_CATCH)
            ERR(k, e->loc, "this expression's value is not used");
        else
            finalize(k, e);
        break;
    }
    case S_IF:
        check_cond(k, s->if_.cond);
        check_block(k, &s->if_.then);
        if (s->if_.els)
            check_stmt(k, s->if_.els);
        break;
    case S_WHILE:
        check_cond(k, s->while_.cond);
        k->loops++;
        check_block(k, &s->while_.body);
        k->loops--;
        break;
    case S_FOR_RANGE: {
        Type *lt = check_expr(k, s->for_.lo, NULL);
        Type *ht = check_expr(k, s->for_.hi, NULL);
        Type *t = type_prim(k->c, TY_ERROR);
        if (lt->kind != TY_ERROR && ht->kind != TY_ERROR) {
            if (lt->kind == TY_INTLIT && ht->kind == TY_INTLIT) {
                t = finalize(k, s->for_.lo);
                coerce(k, s->for_.hi, t);
            } else if (lt->kind == TY_INTLIT) {
                t = ht;
                coerce(k, s->for_.lo, t);
            } else {
                t = lt;
                coerce(k, s->for_.hi, t);
            }
            if (t->kind != TY_ERROR && !type_is_int(t)) {
                ERR(k, s->for_.lo->loc, "a range needs integers, found '%s'", TN(tn, 0, t));
                t = type_prim(k->c, TY_ERROR);
            }
        }
        scope_push(k);
        Local *l = new_local(k, s->for_.name, s->for_.nloc, t, false);
        s->for_.local = l;
        declare(k, l->name, l->loc, (Sym){.kind = SYM_LOCAL, .local = l});
        k->loops++;
        check_block(k, &s->for_.body);
        k->loops--;
        scope_pop(k);
        break;
    }
    case S_FOR_EACH: {
        Type *st = check_obj(k, s->for_.seq);
        Type *et = type_prim(k->c, TY_ERROR);
        if (st->kind == TY_ARRAY || st->kind == TY_SLICE || st->kind == TY_HEAP)
            et = st->elem;
        else if (st->kind == TY_STR)
            et = type_prim(k->c, TY_U8);
        else if (st->kind != TY_ERROR)
            ERR(k, s->for_.seq->loc, "cannot loop over '%s' (an array, slice or str is "
                                     "needed; for numbers write 'a..b')", TN(tn, 0, st));
        scope_push(k);
        Local *l = new_local(k, s->for_.name, s->for_.nloc, et, false);
        if (has_borrows(et))
            l->region = s->for_.seq->region > k->depth ? k->depth : s->for_.seq->region;
        if (st->kind == TY_HEAP && has_borrows(et))
            l->region = s->for_.seq->root ? s->for_.seq->root->depth : k->depth;
        s->for_.local = l;
        declare(k, l->name, l->loc, (Sym){.kind = SYM_LOCAL, .local = l});
        k->loops++;
        check_block(k, &s->for_.body);
        k->loops--;
        scope_pop(k);
        break;
    }
    case S_BREAK:
    case S_CONTINUE:
        if (!k->loops)
            ERR(k, s->loc, "'%s' outside of a loop", s->kind == S_BREAK ? "break" : "continue");
        break;
    case S_RETURN:
        check_return(k, s);
        break;
    case S_BLOCK:
        check_block(k, &s->block);
        break;
    }
}

static void check_block(Checker *k, Block *b)
{
    scope_push(k);
    for (uint32_t i = 0; i < b->stmts.n; i++)
        check_stmt(k, b->stmts.v[i]);
    scope_pop(k);
}

/* ---- functions and modules ---- */

static void check_fn(Checker *k, FnDecl *fn)
{
    resolve_sig(k, fn);
    if (fn->is_extern)
        return;
    k->fn = fn;
    k->m = fn->mod;
    k->scope.n = 0;
    k->marks.n = 0;
    k->depth = 0;
    k->loops = 0;
    scope_push(k); /* depth 1: parameters */
    for (uint32_t i = 0; i < fn->params.n; i++) {
        Param *p = &fn->params.v[i];
        Local *l = new_local(k, p->name, p->loc, p->type, p->mut);
        l->is_param = true;
        if (has_borrows(p->type))
            l->region = 1;
        p->local = l;
        declare(k, p->name, p->loc, (Sym){.kind = SYM_LOCAL, .local = l});
    }
    scope_push(k); /* depth 2: the body */
    for (uint32_t i = 0; i < fn->body.stmts.n; i++)
        check_stmt(k, fn->body.stmts.v[i]);
    scope_pop(k);
    scope_pop(k);
    if (fn->ret->kind != TY_VOID && fn->ret->kind != TY_ERROR && !block_diverges(&fn->body))
        ERR(k, fn->body.end, "'%s' must return a value of type '%s' here, at its end",
            fn->name, TN(tn, 0, fn->ret));
    k->fn = NULL;
}

/* Enter a module's top-level names in its symbol table. */
static void declare_module(Checker *k, Module *m)
{
    k->m = m;
    for (uint32_t i = 0; i < m->imports.n; i++) {
        Import *imp = &m->imports.v[i];
        if (!imp->mod)
            continue;
        if (symtab_get(&m->syms, imp->alias)) {
            ERR(k, imp->loc, "'%s' is already imported", imp->alias);
            continue;
        }
        symtab_put(&k->c->arena, &m->syms, imp->alias, (Sym){.kind = SYM_MODULE, .mod = imp->mod});
    }
    for (uint32_t i = 0; i < m->decls.n; i++) {
        Decl *d = &m->decls.v[i];
        const char *name;
        IrLoc loc;
        Sym s;
        switch (d->kind) {
        case D_FN:
            name = d->fn->name, loc = d->fn->loc, s = (Sym){.kind = SYM_FN, .fn = d->fn};
            break;
        case D_STRUCT:
            name = d->sd->name, loc = d->sd->loc, s = (Sym){.kind = SYM_STRUCT, .sd = d->sd};
            break;
        default:
            name = d->cnst->name, loc = d->cnst->loc, s = (Sym){.kind = SYM_CONST, .cnst = d->cnst};
            break;
        }
        if (symtab_get(&m->syms, name)) {
            ERR(k, loc, "'%s' is already defined", name);
            continue;
        }
        Sym u = universe(k, name);
        if (u.kind == SYM_TYPE) {
            ERR(k, loc, "'%s' is the name of a built-in type", name);
            continue;
        }
        symtab_put(&k->c->arena, &m->syms, name, s);
    }
}

static void check_main(Checker *k)
{
    Module *m = k->c->main;
    k->m = m;
    Sym *s = symtab_get(&m->syms, "main");
    if (!s || s->kind != SYM_FN) {
        yao_error(k->c, m, (IrLoc){0, 0}, "no 'main' function");
        return;
    }
    FnDecl *fn = s->fn;
    fn->is_main = true;
    resolve_sig(k, fn);
    bool ok = !fn->is_extern;
    if (fn->params.n > 1)
        ok = false;
    if (fn->params.n == 1) {
        Type *t = fn->params.v[0].type;
        if (t->kind != TY_ERROR && !(t->kind == TY_SLICE && t->elem->kind == TY_STR))
            ok = false;
    }
    Type *r = fn->ret;
    if (!(r->kind == TY_VOID || r->kind == TY_I32 || r->kind == TY_ERROR ||
          (r->kind == TY_ERRUNION && r->elem->kind == TY_I32)))
        ok = false;
    if (!ok)
        ERR(k, fn->loc, "'main' must be 'fn main()' or 'fn main(args: []str)', returning "
                        "nothing, 'i32' or '!i32' (found '%s')", TN(tn, 0, r));
}

int error_code(Compiler *c, const char *name)
{
    for (uint32_t i = 0; i < c->errors.n; i++)
        if (strcmp(c->errors.v[i].name, name) == 0)
            return (int)i + 1;
    ErrorName e = {.name = cstrdup(c, name)};
    VEC_PUSH(&c->arena, c->errors, e);
    return (int)c->errors.n;
}

/* The struct that `p := $ cmd;` gives: stdout, stderr, retcode. */
static void make_proc_struct(Checker *k)
{
    Compiler *c = k->c;
    StructDecl *sd = arena_alloc(&c->arena, sizeof *sd);
    sd->name = "Proc";
    sd->mod = c->main;
    static const char *const names[] = {"stdout", "stderr", "retcode"};
    Type *types[] = {type_prim(c, TY_STR), type_prim(c, TY_STR), type_prim(c, TY_I32)};
    uint64_t off = 0;
    for (int i = 0; i < 3; i++) {
        FieldDecl f = {.name = names[i], .type = types[i], .offset = off};
        off += type_size(types[i]);
        VEC_PUSH(&c->arena, sd->fields, f);
    }
    sd->size = 40;
    sd->align = 8;
    sd->state = 2;
    c->proc_sd = sd;
}

bool yao_check(Compiler *c)
{
    Checker k = {.c = c};
    unsigned before = c->ctx->nerrors;
    make_proc_struct(&k);
    for (uint32_t i = 0; i < c->mods.n; i++)
        declare_module(&k, c->mods.v[i]);
    for (uint32_t i = 0; i < c->mods.n; i++) {
        Module *m = c->mods.v[i];
        k.m = m;
        for (uint32_t j = 0; j < m->decls.n; j++) {
            Decl *d = &m->decls.v[j];
            if (d->kind == D_STRUCT)
                resolve_struct(&k, d->sd);
            else if (d->kind == D_FN)
                resolve_sig(&k, d->fn);
            else
                check_const(&k, d->cnst);
            k.m = m;
        }
    }
    check_main(&k);
    for (uint32_t i = 0; i < c->mods.n; i++) {
        Module *m = c->mods.v[i];
        for (uint32_t j = 0; j < m->decls.n; j++)
            if (m->decls.v[j].kind == D_FN)
                check_fn(&k, m->decls.v[j].fn);
    }
    return c->ctx->nerrors == before;
}
