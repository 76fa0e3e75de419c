/* lower.c - the checked program as a Yvm IR module: functions,
 * statements, scopes (heap arrays freed at their end), loops, the
 * run-time checks, and the `main` entry point (see lower.h for how
 * values and calls are represented). */
#include <stdio.h>
#include <string.h>

#include "lower.h"

/* ---- small builders ---- */

IrOperand V(Lower *L, uint32_t v)
{
    return ir_opd_value(L->f, v);
}

IrOperand I64(int64_t v)
{
    return ir_opd_int(IR_I64, (uint64_t)v);
}

IrOperand I32(int32_t v)
{
    return ir_opd_int(IR_I32, (uint64_t)(uint32_t)v);
}

static const struct {
    const char *name;
    IrType ret;
    uint32_t n;
    IrType p[5];
} ext_defs[X_COUNT] = {
    [X_MALLOC] = {"malloc", IR_PTR, 1, {IR_I64}},
    [X_CALLOC] = {"calloc", IR_PTR, 2, {IR_I64, IR_I64}},
    [X_FREE] = {"free", IR_VOID, 1, {IR_PTR}},
    [X_STRLEN] = {"strlen", IR_I64, 1, {IR_PTR}},
    [X_WRITE] = {"yao_write", IR_VOID, 3, {IR_I32, IR_PTR, IR_I64}},
    [X_STR_EQ] = {"yao_str_eq", IR_I32, 4, {IR_PTR, IR_I64, IR_PTR, IR_I64}},
    [X_READ_ALL] = {"yao_read_all", IR_PTR, 0, {IR_VOID}},
    [X_BUF_NEW] = {"yao_buf_new", IR_PTR, 0, {IR_VOID}},
    [X_BUF_LEN] = {"yao_buf_len", IR_I64, 1, {IR_PTR}},
    [X_BUF_FAILED] = {"yao_buf_failed", IR_I32, 1, {IR_PTR}},
    [X_BUF_FINISH] = {"yao_buf_finish", IR_VOID, 2, {IR_PTR, IR_PTR}},
    [X_BUF_FREE] = {"yao_buf_free", IR_VOID, 1, {IR_PTR}},
    [X_BUF_WRITE] = {"yao_buf_write", IR_VOID, 2, {IR_PTR, IR_I32}},
    [X_FMT_STR] = {"yao_fmt_str", IR_VOID, 4, {IR_PTR, IR_PTR, IR_I64, IR_I32}},
    [X_FMT_BOOL] = {"yao_fmt_bool", IR_VOID, 3, {IR_PTR, IR_I32, IR_I32}},
    [X_FMT_INT] = {"yao_fmt_int", IR_VOID, 4, {IR_PTR, IR_I64, IR_I32, IR_I32}},
    [X_FMT_FLOAT] = {"yao_fmt_float", IR_VOID, 5, {IR_PTR, IR_F64, IR_I32, IR_I32, IR_I32}},
    [X_PARSE_I64] = {"yao_parse_i64", IR_I32, 3, {IR_PTR, IR_I64, IR_PTR}},
    [X_PARSE_F64] = {"yao_parse_f64", IR_I32, 3, {IR_PTR, IR_I64, IR_PTR}},
    [X_SH_NEW] = {"yao_sh_new", IR_PTR, 0, {IR_VOID}},
    [X_SH_WORD] = {"yao_sh_word", IR_VOID, 2, {IR_PTR, IR_PTR}},
    [X_SH_OP] = {"yao_sh_op", IR_VOID, 2, {IR_PTR, IR_I32}},
    [X_SH_RUN] = {"yao_sh_run", IR_I32, 2, {IR_PTR, IR_I32}},
    [X_SH_OUT_LEN] = {"yao_sh_out_len", IR_I64, 2, {IR_PTR, IR_I32}},
    [X_SH_OUT_COPY] = {"yao_sh_out_copy", IR_VOID, 3, {IR_PTR, IR_I32, IR_PTR}},
    [X_SH_FREE] = {"yao_sh_free", IR_VOID, 1, {IR_PTR}},
    [X_NONNULL] = {"yao_nonnull", IR_I32, 1, {IR_PTR}},
};

uint32_t ext_item(Lower *L, Ext x)
{
    if (L->ext[x] != IR_NONE)
        return L->ext[x];
    uint32_t item = ir_module_find(L->m, ext_defs[x].name);
    if (item == IR_NONE) {
        ir_extern_new(L->m, ext_defs[x].name, ext_defs[x].ret, ext_defs[x].n, ext_defs[x].p,
                      false);
        item = L->m->nitems - 1;
    }
    return L->ext[x] = item;
}

IrOperand call_ext(Lower *L, Ext x, uint32_t n, const IrOperand *args)
{
    uint32_t r = ir_build_call(L->m, L->f, L->cur->b, ext_item(L, x), n, args, NULL);
    return r == IR_NONE ? I32(0) : V(L, r);
}

SsaBlock *new_block(Lower *L, const char *what)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%u", what, ++L->nlabels);
    return ssa_block(&L->ssa, name);
}

void jump(Lower *L, SsaBlock *to)
{
    if (!L->cur->terminated)
        ssa_br(&L->ssa, L->cur, to, 0, NULL);
}

/* Code after a jump is unreachable: it goes to a block with no
 * predecessors, which ssa_finish removes. */
void dead_block(Lower *L)
{
    SsaBlock *b = new_block(L, "dead");
    ssa_seal(&L->ssa, b);
    L->cur = b;
}

IrOperand tmp_alloca(Lower *L, uint64_t size, uint64_t align, const char *name)
{
    return V(L, ir_build_alloca(L->m, L->f, L->entry->b, size ? size : 1, align ? align : 1,
                                name));
}

Val str_literal(Lower *L, const uint8_t *bytes, uint32_t n)
{
    uint32_t item = IR_NONE;
    for (uint32_t i = 0; i < L->strs.n; i++) {
        StrLit *s = &L->strs.v[i];
        if (s->n == n && (n == 0 || memcmp(s->bytes, bytes, n) == 0)) {
            item = s->item;
            break;
        }
    }
    if (item == IR_NONE) {
        char name[32];
        snprintf(name, sizeof name, "str.%u", L->strs.n);
        IrData *d = ir_data_new(L->m, name, false);
        item = L->m->nitems - 1;
        /* A NUL after the bytes: harmless, and C-friendly. */
        uint8_t *copy = arena_alloc(&L->m->arena, (size_t)n + 1);
        if (n)
            memcpy(copy, bytes, n);
        ir_data_add_bytes(L->m, d, copy, (uint64_t)n + 1);
        d->brace_form = false;
        StrLit s = {.bytes = copy, .n = n, .item = item};
        VEC_PUSH(&L->c->arena, L->strs, s);
    }
    Val v = {.n = 2};
    v.v[0] = ir_opd_symbol(item);
    v.v[1] = I64(n);
    return v;
}

/* ---- run-time checks ---- */

static SsaBlock *trap_block(Lower *L, const char *reason, IrLoc loc)
{
    for (uint32_t i = 0; i < L->traps.n; i++) {
        TrapSite *t = &L->traps.v[i];
        if (t->reason == reason && t->loc.line == loc.line && t->loc.col == loc.col)
            return t->block;
    }
    SsaBlock *b = new_block(L, "trap");
    b->sealed = true; /* nothing is read in it */
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s at %s:%u:%u", reason, L->mod->src.name,
                     (unsigned)loc.line, (unsigned)loc.col);
    if (n < 0 || (size_t)n >= sizeof msg)
        n = (int)strlen(msg);
    ssa_trap(&L->ssa, b, msg, (uint32_t)n);
    TrapSite t = {.reason = reason, .loc = loc, .block = b};
    VEC_PUSH(&L->c->arena, L->traps, t);
    return b;
}

void check_trap(Lower *L, IrOperand fail, const char *reason, IrLoc loc)
{
    if (fail.kind == IR_OPD_CONST && fail.bits == 0)
        return;
    SsaBlock *trap = trap_block(L, reason, loc);
    SsaBlock *ok = new_block(L, "ok");
    ssa_condbr(&L->ssa, L->cur, fail, trap, 0, NULL, ok, 0, NULL);
    ssa_seal(&L->ssa, ok);
    L->cur = ok;
}

/* ---- scopes ---- */

void emit_frees(Lower *L, uint32_t down_to)
{
    for (uint32_t i = L->heaps.n; i-- > down_to;) {
        Local *l = L->heaps.v[i];
        IrOperand p = ssa_read(&L->ssa, l->var[0], L->cur);
        call_ext(L, X_FREE, 1, &p);
    }
}

static void scope_enter(Lower *L)
{
    VEC_PUSH(&L->c->arena, L->scopes, L->heaps.n);
}

static void scope_leave(Lower *L)
{
    uint32_t mark = L->scopes.v[--L->scopes.n];
    if (!L->cur->terminated)
        emit_frees(L, mark);
    L->heaps.n = mark;
}

/* ---- variables ---- */

static void new_vars(Lower *L, Local *l)
{
    const char *name = l->name;
    if (l->type->kind == TY_STR || l->type->kind == TY_SLICE || l->type->kind == TY_HEAP) {
        char *ln = arena_alloc(&L->m->arena, strlen(name) + 5);
        sprintf(ln, "%s.len", name);
        l->var[0] = ssa_var(&L->ssa, IR_PTR, name);
        l->var[1] = ssa_var(&L->ssa, IR_I64, ln);
    } else {
        l->var[0] = ssa_var(&L->ssa, type_ir(l->type), name);
    }
}

static void name_value(Lower *L, IrOperand o, const char *name)
{
    if (o.kind == IR_OPD_VALUE && !L->f->vals[o.index].name)
        L->f->vals[o.index].name = arena_strdup(&L->m->arena, name);
}

/* Bind a local to a value: SSA variables, or memory for aggregates. */
static void bind_local(Lower *L, Local *l, Val v)
{
    if (type_is_aggregate(l->type)) {
        if (!v.fresh)
            v = copy_agg(L, l->type, v);
        l->storage = v.v[0];
        name_value(L, v.v[0], l->name);
        return;
    }
    new_vars(L, l);
    for (unsigned i = 0; i < type_ncomp(l->type); i++) {
        ssa_write(&L->ssa, l->var[i], L->cur, v.v[i]);
        if (i == 0)
            name_value(L, v.v[0], l->name);
    }
}

/* ---- statements ---- */

static void lower_block(Lower *L, Block *b);
static void lower_stmt(Lower *L, Stmt *s);

static void store_place(Lower *L, Expr *place, Val v)
{
    while (place->kind == E_PAREN)
        place = place->paren;
    Type *t = place->type;
    if (place->kind == E_NAME) {
        Local *l = place->name.sym.local;
        if (type_is_aggregate(t)) {
            store_val(L, t, v, l->storage);
            return;
        }
        for (unsigned i = 0; i < type_ncomp(t); i++)
            ssa_write(&L->ssa, l->var[i], L->cur, v.v[i]);
        return;
    }
    store_val(L, t, v, addr_of(L, place));
}

static void lower_assign(Lower *L, Stmt *s)
{
    Expr *lhs = s->assign.lhs, *rhs = s->assign.rhs;
    while (lhs->kind == E_PAREN)
        lhs = lhs->paren;
    Type *t = lhs->type;
    if (s->assign.op == OP_NONE) {
        Val v = lower_expr(L, rhs);
        uint32_t mark = L->temps.n;
        store_place(L, lhs, v);
        (void)mark;
        return;
    }
    /* Compound: the place is computed once. */
    IrOperand addr = {0}, old;
    bool in_mem = lhs->kind != E_NAME;
    if (in_mem) {
        addr = addr_of(L, lhs);
        old = load_val(L, t, addr).v[0];
    } else {
        old = ssa_read(&L->ssa, lhs->name.sym.local->var[0], L->cur);
    }
    Val r = lower_expr(L, rhs);
    IrOperand nv;
    if (s->assign.op == OP_SHL || s->assign.op == OP_SHR)
        nv = shift(L, s->assign.op, t, old, rhs->type, r.v[0], s->loc);
    else
        nv = binop(L, s->assign.op, t, old, r.v[0], s->loc);
    Val v = {.n = 1, .v = {nv}};
    if (in_mem)
        store_val(L, t, v, addr);
    else
        ssa_write(&L->ssa, lhs->name.sym.local->var[0], L->cur, nv);
}

static void lower_let(Lower *L, Stmt *s)
{
    Local *l = s->let.local;
    Val v = lower_expr(L, s->let.init);
    bind_local(L, l, v);
    if (l->type->kind == TY_HEAP)
        VEC_PUSH(&L->c->arena, L->heaps, l);
}

static void lower_if(Lower *L, Stmt *s)
{
    Val c = lower_expr(L, s->if_.cond);
    SsaBlock *then = new_block(L, "then");
    SsaBlock *join = new_block(L, "endif");
    SsaBlock *els = s->if_.els ? new_block(L, "else") : join;
    ssa_condbr(&L->ssa, L->cur, c.v[0], then, 0, NULL, els, 0, NULL);
    ssa_seal(&L->ssa, then);
    L->cur = then;
    lower_block(L, &s->if_.then);
    jump(L, join);
    if (s->if_.els) {
        ssa_seal(&L->ssa, els);
        L->cur = els;
        lower_stmt(L, s->if_.els);
        jump(L, join);
    }
    ssa_seal(&L->ssa, join);
    L->cur = join;
}

static void loop_body(Lower *L, Block *body, SsaBlock *brk, SsaBlock *cont)
{
    LoopCtx lc = {.brk = brk, .cont = cont, .heaps = L->heaps.n};
    VEC_PUSH(&L->c->arena, L->loops, lc);
    lower_block(L, body);
    L->loops.n--;
}

static void lower_while(Lower *L, Stmt *s)
{
    SsaBlock *head = new_block(L, "while");
    SsaBlock *body = new_block(L, "do");
    SsaBlock *exit = new_block(L, "endwhile");
    jump(L, head);
    L->cur = head;
    Val c = lower_expr(L, s->while_.cond);
    ssa_condbr(&L->ssa, L->cur, c.v[0], body, 0, NULL, exit, 0, NULL);
    ssa_seal(&L->ssa, body);
    L->cur = body;
    loop_body(L, &s->while_.body, exit, head);
    jump(L, head);
    ssa_seal(&L->ssa, head);
    ssa_seal(&L->ssa, exit);
    L->cur = exit;
}

static void lower_for_range(Lower *L, Stmt *s)
{
    Local *l = s->for_.local;
    const Type *t = l->type;
    Val lo = lower_expr(L, s->for_.lo);
    Val hi = lower_expr(L, s->for_.hi);
    new_vars(L, l);
    ssa_write(&L->ssa, l->var[0], L->cur, lo.v[0]);
    SsaBlock *head = new_block(L, "for");
    SsaBlock *body = new_block(L, "do");
    SsaBlock *next = new_block(L, "next");
    SsaBlock *exit = new_block(L, "endfor");
    jump(L, head);
    L->cur = head;
    IrOperand i = ssa_read(&L->ssa, l->var[0], head);
    IrOperand c = V(L, ir_build_icmp(L->m, L->f, head->b,
                                     type_is_signed(t) ? IR_ICMP_SLT : IR_ICMP_ULT,
                                     type_ir(t), i, hi.v[0], NULL));
    ssa_condbr(&L->ssa, head, c, body, 0, NULL, exit, 0, NULL);
    ssa_seal(&L->ssa, body);
    L->cur = body;
    loop_body(L, &s->for_.body, exit, next);
    jump(L, next);
    ssa_seal(&L->ssa, next);
    L->cur = next;
    /* i < hi, so i + 1 cannot overflow */
    IrOperand i2 = V(L, ir_build_binary(L->m, L->f, next->b, IR_ADD, type_ir(t),
                                        ssa_read(&L->ssa, l->var[0], next),
                                        ir_opd_int(type_ir(t), 1), NULL));
    ssa_write(&L->ssa, l->var[0], next, i2);
    jump(L, head);
    ssa_seal(&L->ssa, head);
    ssa_seal(&L->ssa, exit);
    L->cur = exit;
}

static void lower_for_each(Lower *L, Stmt *s)
{
    Local *l = s->for_.local;
    Expr *seq = s->for_.seq;
    Type *st = seq->type;
    const Type *et = l->type;
    Val sv = lower_expr(L, seq);
    IrOperand base = sv.v[0];
    IrOperand len = st->kind == TY_ARRAY ? I64(st->len) : sv.v[1];
    uint64_t esize = st->kind == TY_STR ? 1 : type_size(et);
    uint32_t idx = ssa_var(&L->ssa, IR_I64, "i");
    ssa_write(&L->ssa, idx, L->cur, I64(0));
    SsaBlock *head = new_block(L, "for");
    SsaBlock *body = new_block(L, "do");
    SsaBlock *next = new_block(L, "next");
    SsaBlock *exit = new_block(L, "endfor");
    jump(L, head);
    L->cur = head;
    IrOperand i = ssa_read(&L->ssa, idx, head);
    IrOperand c = V(L, ir_build_icmp(L->m, L->f, head->b, IR_ICMP_SLT, IR_I64, i, len, NULL));
    ssa_condbr(&L->ssa, head, c, body, 0, NULL, exit, 0, NULL);
    ssa_seal(&L->ssa, body);
    L->cur = body;
    IrOperand bi = ssa_read(&L->ssa, idx, body);
    IrOperand off = esize == 1 ? bi
                               : V(L, ir_build_binary(L->m, L->f, body->b, IR_MUL, IR_I64, bi,
                                                      I64((int64_t)esize), NULL));
    IrOperand p = V(L, ir_build_ptradd(L->m, L->f, body->b, base, off, NULL));
    Val ev = load_val(L, et, p);
    bind_local(L, l, ev);
    loop_body(L, &s->for_.body, exit, next);
    jump(L, next);
    ssa_seal(&L->ssa, next);
    L->cur = next;
    IrOperand i2 = V(L, ir_build_binary(L->m, L->f, next->b, IR_ADD, IR_I64,
                                        ssa_read(&L->ssa, idx, next), I64(1), NULL));
    ssa_write(&L->ssa, idx, next, i2);
    jump(L, head);
    ssa_seal(&L->ssa, head);
    ssa_seal(&L->ssa, exit);
    L->cur = exit;
}

static void lower_return(Lower *L, Stmt *s)
{
    Type *rt = L->fn->ret;
    Expr *v = s->ret.value;
    if (!v) {
        emit_frees(L, 0);
        ssa_ret(&L->ssa, L->cur, NULL);
        dead_block(L);
        return;
    }
    if (rt->kind == TY_ERRUNION) {
        IrOperand code;
        if (v->kind == E_ERROR) {
            code = I32(v->err.code);
        } else if (v->type->kind == TY_ERRUNION) {
            /* Pass the callee our own result slot. */
            code = lower_errunion(L, v, &L->out).code;
        } else {
            Val x = lower_expr(L, v);
            store_val(L, rt->elem, x, L->out);
            code = I32(0);
        }
        emit_frees(L, 0);
        ssa_ret(&L->ssa, L->cur, &code);
        dead_block(L);
        return;
    }
    Val x = lower_expr(L, v);
    if (ret_in_memory(rt)) {
        store_val(L, rt, x, L->out);
        emit_frees(L, 0);
        ssa_ret(&L->ssa, L->cur, NULL);
    } else {
        emit_frees(L, 0);
        ssa_ret(&L->ssa, L->cur, &x.v[0]);
    }
    dead_block(L);
}

static void lower_stmt(Lower *L, Stmt *s)
{
    switch (s->kind) {
    case S_LET:
        lower_let(L, s);
        break;
    case S_CONST:
        break;
    case S_ASSIGN:
        lower_assign(L, s);
        break;
    case S_EXPR: {
        Expr *e = s->expr;
        while (e->kind == E_PAREN)
            e = e->paren;
        if (e->kind == E_SHELL)
            lower_shell(L, e, false);
        else
            lower_expr(L, e);
        break;
    }
    case S_IF:
        lower_if(L, s);
        break;
    case S_WHILE:
        lower_while(L, s);
        break;
    case S_FOR_RANGE:
        scope_enter(L);
        lower_for_range(L, s);
        scope_leave(L);
        break;
    case S_FOR_EACH:
        scope_enter(L);
        lower_for_each(L, s);
        scope_leave(L);
        break;
    case S_BREAK:
    case S_CONTINUE: {
        LoopCtx *lc = &L->loops.v[L->loops.n - 1];
        emit_frees(L, lc->heaps);
        jump(L, s->kind == S_BREAK ? lc->brk : lc->cont);
        dead_block(L);
        break;
    }
    case S_RETURN:
        lower_return(L, s);
        break;
    case S_BLOCK:
        lower_block(L, &s->block);
        break;
    }
}

static void lower_block(Lower *L, Block *b)
{
    scope_enter(L);
    for (uint32_t i = 0; i < b->stmts.n; i++)
        lower_stmt(L, b->stmts.v[i]);
    scope_leave(L);
}

/* ---- functions ---- */

bool ret_in_memory(const Type *t)
{
    return t->kind == TY_ERRUNION || type_is_aggregate(t) || type_ncomp(t) == 2;
}

static IrType ret_ir(const Type *t)
{
    if (t->kind == TY_ERRUNION)
        return IR_I32;
    if (t->kind == TY_VOID || ret_in_memory(t))
        return IR_VOID;
    return type_ir(t);
}

static void declare_fn(Lower *L, FnDecl *fn)
{
    if (fn->is_extern) {
        uint32_t item = ir_module_find(L->m, fn->name);
        if (item == IR_NONE) {
            IrType pt[64];
            uint32_t n = 0;
            for (uint32_t i = 0; i < fn->params.n && n < 62; i++) {
                Type *t = fn->params.v[i].type;
                if (t->kind == TY_STR || t->kind == TY_SLICE) {
                    pt[n++] = IR_PTR;
                    pt[n++] = IR_I64;
                } else {
                    pt[n++] = type_ir(t);
                }
            }
            ir_extern_new(L->m, fn->name, ret_ir(fn->ret), n, pt, false);
            item = L->m->nitems - 1;
        }
        fn->item = item;
        return;
    }
    char *name = arena_alloc(&L->m->arena, strlen(fn->mod->name) + strlen(fn->name) + 2);
    sprintf(name, "%s.%s", fn->mod->name, fn->name);
    fn->ir_name = name;
    IrFunc *f = ir_func_new(L->m, name, ret_ir(fn->ret), 0);
    fn->item = L->m->nitems - 1;
    if (ret_in_memory(fn->ret))
        ir_func_add_param(L->m, f, IR_PTR, "ret");
    for (uint32_t i = 0; i < fn->params.n; i++) {
        Param *p = &fn->params.v[i];
        if (type_is_aggregate(p->type)) {
            ir_func_add_param(L->m, f, IR_PTR, p->name);
        } else if (type_ncomp(p->type) == 2) {
            char *ln = arena_alloc(&L->m->arena, strlen(p->name) + 5);
            sprintf(ln, "%s.len", p->name);
            ir_func_add_param(L->m, f, IR_PTR, p->name);
            ir_func_add_param(L->m, f, IR_I64, ln);
        } else {
            ir_func_add_param(L->m, f, type_ir(p->type), p->name);
        }
    }
}

static void lower_fn(Lower *L, FnDecl *fn)
{
    IrFunc *f = L->m->items[fn->item].func;
    L->fn = fn;
    L->mod = fn->mod;
    L->f = f;
    L->nlabels = 0;
    L->heaps.n = L->scopes.n = L->loops.n = L->traps.n = L->temps.n = 0;
    ssa_init(&L->ssa, L->m, f);
    L->entry = ssa_block(&L->ssa, "entry");
    ssa_seal(&L->ssa, L->entry);
    SsaBlock *body = ssa_block(&L->ssa, "body");
    ssa_edge_later(&L->ssa, L->entry, body);
    ssa_seal(&L->ssa, body);
    L->cur = body;
    uint32_t k = 0;
    L->has_out = ret_in_memory(fn->ret);
    if (L->has_out)
        L->out = V(L, f->params[k++]);
    for (uint32_t i = 0; i < fn->params.n; i++) {
        Local *l = fn->params.v[i].local;
        if (type_is_aggregate(l->type)) {
            l->storage = V(L, f->params[k++]);
            continue;
        }
        new_vars(L, l);
        for (unsigned c = 0; c < type_ncomp(l->type); c++)
            ssa_write(&L->ssa, l->var[c], L->entry, V(L, f->params[k++]));
    }
    scope_enter(L);
    for (uint32_t i = 0; i < fn->body.stmts.n; i++)
        lower_stmt(L, fn->body.stmts.v[i]);
    scope_leave(L);
    if (!L->cur->terminated) {
        if (fn->ret->kind == TY_VOID)
            ssa_ret(&L->ssa, L->cur, NULL);
        else
            ssa_trap(&L->ssa, L->cur, "missing return", 14);
    }
    ir_build_br(L->m, L->entry->b, ir_target(L->m, body->index, 0, NULL));
    ssa_finish(&L->ssa);
    ssa_free(&L->ssa);
    L->f = NULL;
}

/* ---- the program's entry point ---- */

/* The table of error names, for `main` returning an error. */
static uint32_t error_table(Lower *L)
{
    Compiler *c = L->c;
    uint32_t *items = arena_alloc(&c->arena, sizeof *items * (c->errors.n + 1));
    for (uint32_t i = 0; i < c->errors.n; i++) {
        const char *name = c->errors.v[i].name;
        items[i] = str_literal(L, (const uint8_t *)name, (uint32_t)strlen(name)).v[0].index;
    }
    IrData *d = ir_data_new(L->m, "errors", false);
    uint32_t item = L->m->nitems - 1;
    for (uint32_t i = 0; i < c->errors.n; i++) {
        ir_data_add_symref(L->m, d, items[i]);
        ir_data_add_const(L->m, d, IR_I64, strlen(c->errors.v[i].name));
    }
    if (!c->errors.n)
        ir_data_add_zero(L->m, d, 16);
    return item;
}

static void lower_entry(Lower *L, FnDecl *user)
{
    IrModule *m = L->m;
    IrFunc *f = ir_func_new(m, "main", IR_I32, IR_ATTR_EXPORT);
    L->f = f;
    uint32_t argc = ir_func_add_param(m, f, IR_I32, "argc");
    uint32_t argv = ir_func_add_param(m, f, IR_PTR, "argv");
    IrBlock *b = ir_block_new(m, f, "entry");
    IrOperand args[3];
    uint32_t nargs = 0;
    IrOperand slot = {0};
    bool eu = user->ret->kind == TY_ERRUNION;
    if (eu) {
        slot = V(L, ir_build_alloca(m, f, b, 4, 4, "status"));
        args[nargs++] = slot;
    }
    if (user->params.n == 1) {
        /* args: []str, built from argv */
        IrOperand n = V(L, ir_build_conv(m, f, b, IR_SEXT, IR_I32, V(L, argc), IR_I64, "n"));
        IrOperand arr = V(L, ir_build_call(m, f, b, ext_item(L, X_CALLOC), 2,
                                           (IrOperand[]){n, I64(16)}, "args"));
        IrBlock *loop = ir_block_new(m, f, "arg");
        IrBlock *body = ir_block_new(m, f, "arg.body");
        IrBlock *done = ir_block_new(m, f, "call");
        uint32_t li = ir_block_index(f, loop), bi = ir_block_index(f, body);
        uint32_t di = ir_block_index(f, done);
        ir_build_br(m, b, ir_target(m, li, 1, (IrOperand[]){I64(0)}));
        IrOperand i = V(L, ir_block_add_param(m, f, loop, IR_I64, "i"));
        IrOperand more = V(L, ir_build_icmp(m, f, loop, IR_ICMP_SLT, IR_I64, i, n, NULL));
        ir_build_condbr(m, loop, more, ir_target(m, bi, 0, NULL), ir_target(m, di, 0, NULL));
        IrOperand off = V(L, ir_build_binary(m, f, body, IR_MUL, IR_I64, i, I64(8), NULL));
        IrOperand pp = V(L, ir_build_ptradd(m, f, body, V(L, argv), off, NULL));
        IrOperand s = V(L, ir_build_load(m, f, body, IR_PTR, pp, "arg"));
        IrOperand len = V(L, ir_build_call(m, f, body, ext_item(L, X_STRLEN), 1, &s, "len"));
        IrOperand off2 = V(L, ir_build_binary(m, f, body, IR_MUL, IR_I64, i, I64(16), NULL));
        IrOperand q = V(L, ir_build_ptradd(m, f, body, arr, off2, NULL));
        ir_build_store(m, body, IR_PTR, s, q);
        IrOperand q8 = V(L, ir_build_ptradd(m, f, body, q, I64(8), NULL));
        ir_build_store(m, body, IR_I64, len, q8);
        IrOperand i2 = V(L, ir_build_binary(m, f, body, IR_ADD, IR_I64, i, I64(1), NULL));
        ir_build_br(m, body, ir_target(m, li, 1, &i2));
        b = done;
        args[nargs++] = arr;
        args[nargs++] = n;
    }
    uint32_t r = ir_build_call(m, f, b, user->item, nargs, args, "rc");
    if (user->ret->kind == TY_VOID) {
        IrOperand z = I32(0);
        ir_build_ret(m, b, &z);
    } else if (!eu) {
        IrOperand rv = V(L, r);
        ir_build_ret(m, b, &rv);
    } else {
        uint32_t tbl = error_table(L);
        IrBlock *ok = ir_block_new(m, f, "ok");
        IrBlock *bad = ir_block_new(m, f, "error");
        IrOperand isok = V(L, ir_build_icmp(m, f, b, IR_ICMP_EQ, IR_I32, V(L, r), I32(0), NULL));
        ir_build_condbr(m, b, isok, ir_target(m, ir_block_index(f, ok), 0, NULL),
                        ir_target(m, ir_block_index(f, bad), 0, NULL));
        IrOperand v = V(L, ir_build_load(m, f, ok, IR_I32, slot, NULL));
        ir_build_ret(m, ok, &v);
        IrOperand code64 = V(L, ir_build_conv(m, f, bad, IR_ZEXT, IR_I32, V(L, r), IR_I64, NULL));
        IrOperand idx = V(L, ir_build_binary(m, f, bad, IR_SUB, IR_I64, code64, I64(1), NULL));
        IrOperand off = V(L, ir_build_binary(m, f, bad, IR_MUL, IR_I64, idx, I64(16), NULL));
        IrOperand p = V(L, ir_build_ptradd(m, f, bad, ir_opd_symbol(tbl), off, NULL));
        IrOperand name = V(L, ir_build_load(m, f, bad, IR_PTR, p, "name"));
        IrOperand p8 = V(L, ir_build_ptradd(m, f, bad, p, I64(8), NULL));
        IrOperand nlen = V(L, ir_build_load(m, f, bad, IR_I64, p8, NULL));
        Val pre = str_literal(L, (const uint8_t *)"error: ", 7);
        Val nl = str_literal(L, (const uint8_t *)"\n", 1);
        uint32_t w = ext_item(L, X_WRITE);
        ir_build_call(m, f, bad, w, 3, (IrOperand[]){I32(2), pre.v[0], pre.v[1]}, NULL);
        ir_build_call(m, f, bad, w, 3, (IrOperand[]){I32(2), name, nlen}, NULL);
        ir_build_call(m, f, bad, w, 3, (IrOperand[]){I32(2), nl.v[0], nl.v[1]}, NULL);
        IrOperand one = I32(1);
        ir_build_ret(m, bad, &one);
    }
    L->f = NULL;
}

IrModule *yao_lower(Compiler *c)
{
    Lower L;
    memset(&L, 0, sizeof L);
    L.c = c;
    L.m = ir_module_new(c->ctx, NULL);
    for (int i = 0; i < X_COUNT; i++)
        L.ext[i] = IR_NONE;
    FnDecl *user_main = NULL;
    for (uint32_t i = 0; i < c->mods.n; i++) {
        Module *m = c->mods.v[i];
        for (uint32_t j = 0; j < m->decls.n; j++) {
            if (m->decls.v[j].kind != D_FN)
                continue;
            FnDecl *fn = m->decls.v[j].fn;
            declare_fn(&L, fn);
            if (fn->is_main && m == c->main)
                user_main = fn;
        }
    }
    for (uint32_t i = 0; i < c->mods.n; i++) {
        Module *m = c->mods.v[i];
        for (uint32_t j = 0; j < m->decls.n; j++)
            if (m->decls.v[j].kind == D_FN && !m->decls.v[j].fn->is_extern)
                lower_fn(&L, m->decls.v[j].fn);
    }
    if (user_main)
        lower_entry(&L, user_main);
    return L.m;
}
