/* builder.c - making modules, items, functions, blocks and instructions.
 *
 * The builder mirrors the text form one to one; the text parser and the
 * binary reader build through it too, so every way into the IR makes the
 * same structures. It does not check types: the verifier does. */
#include "ir.h"

#include <string.h>

static const char *dup_name(IrModule *m, const char *s)
{
    return s ? arena_strdup(&m->arena, s) : NULL;
}

IrModule *ir_module_new(IrCtx *ctx, const char *name)
{
    Arena a;
    arena_init(&a);
    IrModule *m = arena_alloc(&a, sizeof *m);
    m->arena = a;
    m->ctx = ctx;
    m->name = name ? arena_strdup(&m->arena, name) : NULL;
    return m;
}

void ir_module_free(IrModule *m)
{
    if (!m)
        return;
    Arena a = m->arena; /* m itself lives in the arena */
    arena_free(&a);
}

uint32_t ir_module_find(const IrModule *m, const char *name)
{
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind == IR_ITEM_FUNC && it->func->target)
            continue;
        if (strcmp(it->name, name) == 0)
            return i;
    }
    return IR_NONE;
}

static IrItem *add_item(IrModule *m, IrItemKind kind, const char *name)
{
    IrItem it = {.kind = kind, .name = dup_name(m, name)};
    ARENA_PUSH(&m->arena, m->items, m->nitems, m->capitems, it);
    return &m->items[m->nitems - 1];
}

IrFunc *ir_func_new(IrModule *m, const char *name, IrType ret, unsigned attrs)
{
    IrFunc *f = arena_alloc(&m->arena, sizeof *f);
    f->ret = ret;
    f->attrs = attrs;
    add_item(m, IR_ITEM_FUNC, name)->func = f;
    return f;
}

IrFunc *ir_extern_new(IrModule *m, const char *name, IrType ret,
                      uint32_t nparams, const IrType *ptypes, bool variadic)
{
    IrFunc *f = ir_func_new(m, name, ret, variadic ? IR_ATTR_VARIADIC : 0);
    f->is_extern = true;
    f->nparams = nparams;
    f->ptypes = arena_alloc(&m->arena, nparams + 1);
    for (uint32_t i = 0; i < nparams; i++)
        f->ptypes[i] = (uint8_t)ptypes[i];
    return f;
}

uint32_t ir_item_of_func(const IrModule *m, const IrFunc *f)
{
    for (uint32_t i = 0; i < m->nitems; i++)
        if (m->items[i].func == f)
            return i;
    return IR_NONE;
}

IrData *ir_data_new(IrModule *m, const char *name, bool is_global)
{
    IrData *d = arena_alloc(&m->arena, sizeof *d);
    d->is_global = is_global;
    d->brace_form = true;
    add_item(m, IR_ITEM_DATA, name)->data = d;
    return d;
}

static void add_field(IrModule *m, IrData *d, IrField f)
{
    ARENA_PUSH(&m->arena, d->fields, d->nfields, d->capfields, f);
}

void ir_data_add_bytes(IrModule *m, IrData *d, const void *bytes, uint64_t len)
{
    add_field(m, d, (IrField){.kind = IR_FIELD_BYTES, .len = len,
                              .bytes = arena_memdup(&m->arena, bytes, len)});
}

void ir_data_add_const(IrModule *m, IrData *d, IrType t, uint64_t bits)
{
    add_field(m, d, (IrField){.kind = IR_FIELD_CONST, .type = (uint8_t)t,
                              .bits = ir_type_is_int(t) ? bits & ir_type_mask(t) : bits});
}

void ir_data_add_symref(IrModule *m, IrData *d, uint32_t item)
{
    add_field(m, d, (IrField){.kind = IR_FIELD_SYMREF, .type = IR_PTR, .sym = item});
}

void ir_data_add_zero(IrModule *m, IrData *d, uint64_t n)
{
    add_field(m, d, (IrField){.kind = IR_FIELD_ZERO, .len = n});
}

uint32_t ir_func_new_value(IrModule *m, IrFunc *f, IrType t, const char *name)
{
    IrValue v = {.type = (uint8_t)t, .name = dup_name(m, name)};
    ARENA_PUSH(&m->arena, f->vals, f->nvals, f->capvals, v);
    return f->nvals - 1;
}

/* Grow a parameter array to hold n+1 elements. `cap` may be stale (0 when
 * a reader sized the array exactly), so growth is decided by n >= cap. */
static void *grow_array(IrModule *m, void *arr, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    *cap = n ? 2 * n : 4;
    return arena_grow(&m->arena, arr, elem * n, elem * *cap);
}

uint32_t ir_func_add_param(IrModule *m, IrFunc *f, IrType t, const char *name)
{
    uint32_t v = ir_func_new_value(m, f, t, name);
    uint32_t cap = f->capparams;
    f->ptypes = grow_array(m, f->ptypes, f->nparams, &cap, sizeof *f->ptypes);
    f->params = grow_array(m, f->params, f->nparams, &f->capparams, sizeof *f->params);
    f->ptypes[f->nparams] = (uint8_t)t;
    f->params[f->nparams] = v;
    f->nparams++;
    return v;
}

IrBlock *ir_block_new(IrModule *m, IrFunc *f, const char *name)
{
    IrBlock *b = arena_alloc(&m->arena, sizeof *b);
    b->name = dup_name(m, name);
    ARENA_PUSH(&m->arena, f->blocks, f->nblocks, f->capblocks, b);
    return b;
}

uint32_t ir_block_index(const IrFunc *f, const IrBlock *b)
{
    for (uint32_t i = 0; i < f->nblocks; i++)
        if (f->blocks[i] == b)
            return i;
    return IR_NONE;
}

uint32_t ir_block_add_param(IrModule *m, IrFunc *f, IrBlock *b, IrType t,
                            const char *name)
{
    uint32_t v = ir_func_new_value(m, f, t, name);
    b->params = grow_array(m, b->params, b->nparams, &b->capparams, sizeof *b->params);
    b->params[b->nparams++] = v;
    return v;
}

IrOperand ir_opd_value(const IrFunc *f, uint32_t v)
{
    return (IrOperand){.kind = IR_OPD_VALUE, .type = f->vals[v].type, .index = v};
}

IrOperand ir_opd_symbol(uint32_t item)
{
    return (IrOperand){.kind = IR_OPD_SYMBOL, .type = IR_PTR, .index = item};
}

IrOperand ir_opd_int(IrType t, uint64_t v)
{
    return (IrOperand){.kind = IR_OPD_CONST, .type = (uint8_t)t, .bits = v & ir_type_mask(t)};
}

IrOperand ir_opd_f32(float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    return (IrOperand){.kind = IR_OPD_CONST, .type = IR_F32, .bits = u};
}

IrOperand ir_opd_f64(double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    return (IrOperand){.kind = IR_OPD_CONST, .type = IR_F64, .bits = u};
}

IrInst *ir_inst_append(IrModule *m, IrBlock *b, IrOpcode op)
{
    IrInst in = {.op = (uint16_t)op, .result = IR_NONE};
    ARENA_PUSH(&m->arena, b->insts, b->ninsts, b->capinsts, in);
    return &b->insts[b->ninsts - 1];
}

static IrOperand *copy_opds(IrModule *m, uint32_t n, const IrOperand *o)
{
    return n ? arena_memdup(&m->arena, o, sizeof *o * n) : NULL;
}

/* Append an instruction with operands and an optional result of type rt. */
static IrInst *emit(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op, IrType t,
                    uint32_t n, const IrOperand *o, IrType rt, const char *name,
                    uint32_t *result)
{
    IrInst *in = ir_inst_append(m, b, op);
    in->type = (uint8_t)t;
    in->nopd = n;
    in->opd = copy_opds(m, n, o);
    if (f && rt != IR_VOID)
        in->result = ir_func_new_value(m, f, rt, name);
    if (result)
        *result = in->result;
    return in;
}

uint32_t ir_build_binary(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                         IrType t, IrOperand a, IrOperand c, const char *name)
{
    uint32_t r;
    emit(m, f, b, op, t, 2, (IrOperand[]){a, c}, t, name, &r);
    return r;
}

uint32_t ir_build_unary(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                        IrType t, IrOperand a, const char *name)
{
    uint32_t r;
    emit(m, f, b, op, t, 1, &a, t, name, &r);
    return r;
}

uint32_t ir_build_icmp(IrModule *m, IrFunc *f, IrBlock *b, IrICond cond,
                       IrType t, IrOperand a, IrOperand c, const char *name)
{
    uint32_t r;
    emit(m, f, b, IR_ICMP, t, 2, (IrOperand[]){a, c}, IR_I1, name, &r)->cond = (uint8_t)cond;
    return r;
}

uint32_t ir_build_fcmp(IrModule *m, IrFunc *f, IrBlock *b, IrFCond cond,
                       IrType t, IrOperand a, IrOperand c, const char *name)
{
    uint32_t r;
    emit(m, f, b, IR_FCMP, t, 2, (IrOperand[]){a, c}, IR_I1, name, &r)->cond = (uint8_t)cond;
    return r;
}

uint32_t ir_build_select(IrModule *m, IrFunc *f, IrBlock *b, IrType t,
                         IrOperand c, IrOperand a, IrOperand e, const char *name)
{
    uint32_t r;
    emit(m, f, b, IR_SELECT, t, 3, (IrOperand[]){c, a, e}, t, name, &r);
    return r;
}

uint32_t ir_build_conv(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                       IrType from, IrOperand a, IrType to, const char *name)
{
    uint32_t r;
    emit(m, f, b, op, from, 1, &a, to, name, &r)->type2 = (uint8_t)to;
    return r;
}

uint32_t ir_build_alloca(IrModule *m, IrFunc *f, IrBlock *b, uint64_t size,
                         uint64_t align, const char *name)
{
    uint32_t r;
    IrInst *in = emit(m, f, b, IR_ALLOCA, IR_PTR, 0, NULL, IR_PTR, name, &r);
    in->imm = size;
    in->imm2 = align;
    return r;
}

uint32_t ir_build_load(IrModule *m, IrFunc *f, IrBlock *b, IrType t,
                       IrOperand p, const char *name)
{
    uint32_t r;
    emit(m, f, b, IR_LOAD, t, 1, &p, t, name, &r);
    return r;
}

void ir_build_store(IrModule *m, IrBlock *b, IrType t, IrOperand v, IrOperand p)
{
    emit(m, NULL, b, IR_STORE, t, 2, (IrOperand[]){v, p}, IR_VOID, NULL, NULL);
}

uint32_t ir_build_ptradd(IrModule *m, IrFunc *f, IrBlock *b, IrOperand p,
                         IrOperand off, const char *name)
{
    uint32_t r;
    emit(m, f, b, IR_PTRADD, IR_PTR, 2, (IrOperand[]){p, off}, IR_PTR, name, &r);
    return r;
}

void ir_build_memcpy(IrModule *m, IrBlock *b, IrOperand dst, IrOperand src,
                     IrOperand n)
{
    emit(m, NULL, b, IR_MEMCPY, IR_VOID, 3, (IrOperand[]){dst, src, n}, IR_VOID,
         NULL, NULL);
}

void ir_build_memset(IrModule *m, IrBlock *b, IrOperand dst, IrOperand byte,
                     IrOperand n)
{
    emit(m, NULL, b, IR_MEMSET, IR_VOID, 3, (IrOperand[]){dst, byte, n}, IR_VOID,
         NULL, NULL);
}

static uint32_t build_call(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                           IrOperand callee, uint32_t nargs, const IrOperand *args,
                           IrType ret, const char *name)
{
    IrInst *in = ir_inst_append(m, b, op);
    in->type = (uint8_t)ret;
    in->nopd = nargs + 1;
    in->opd = arena_alloc(&m->arena, sizeof *in->opd * in->nopd);
    in->opd[0] = callee;
    if (nargs)
        memcpy(in->opd + 1, args, sizeof *args * nargs);
    if (ret != IR_VOID)
        in->result = ir_func_new_value(m, f, ret, name);
    return in->result;
}

uint32_t ir_build_call(IrModule *m, IrFunc *f, IrBlock *b, uint32_t callee_item,
                       uint32_t nargs, const IrOperand *args, const char *name)
{
    IrType ret = IR_VOID;
    if (callee_item < m->nitems && m->items[callee_item].kind == IR_ITEM_FUNC)
        ret = m->items[callee_item].func->ret;
    return build_call(m, f, b, IR_CALL, ir_opd_symbol(callee_item), nargs, args,
                      ret, name);
}

uint32_t ir_build_call_ind(IrModule *m, IrFunc *f, IrBlock *b, IrOperand fp,
                           uint32_t nargs, const IrOperand *args, IrType ret,
                           const char *name)
{
    return build_call(m, f, b, IR_CALLIND, fp, nargs, args, ret, name);
}

IrTarget ir_target(IrModule *m, uint32_t block, uint32_t nargs,
                   const IrOperand *args)
{
    return (IrTarget){.block = block, .nargs = nargs, .args = copy_opds(m, nargs, args)};
}

void ir_build_br(IrModule *m, IrBlock *b, IrTarget t)
{
    IrInst *in = ir_inst_append(m, b, IR_BR);
    in->ntgt = 1;
    in->tgt = arena_memdup(&m->arena, &t, sizeof t);
}

void ir_build_condbr(IrModule *m, IrBlock *b, IrOperand c, IrTarget t, IrTarget e)
{
    IrInst *in = emit(m, NULL, b, IR_CONDBR, IR_I1, 1, &c, IR_VOID, NULL, NULL);
    in->ntgt = 2;
    in->tgt = arena_memdup(&m->arena, (IrTarget[]){t, e}, sizeof t * 2);
}

void ir_build_switch(IrModule *m, IrBlock *b, IrType t, IrOperand v, IrTarget dflt,
                     uint32_t ncases, const uint64_t *keys, const IrTarget *targets)
{
    IrInst *in = emit(m, NULL, b, IR_SWITCH, t, 1, &v, IR_VOID, NULL, NULL);
    in->ntgt = ncases + 1;
    in->tgt = arena_alloc(&m->arena, sizeof *in->tgt * in->ntgt);
    in->tgt[0] = dflt;
    if (ncases) {
        memcpy(in->tgt + 1, targets, sizeof *targets * ncases);
        in->keys = arena_alloc(&m->arena, sizeof *keys * ncases);
        for (uint32_t i = 0; i < ncases; i++)
            in->keys[i] = keys[i] & ir_type_mask(t);
    }
}

void ir_build_ret(IrModule *m, IrBlock *b, const IrOperand *v)
{
    emit(m, NULL, b, IR_RET, v ? (IrType)v->type : IR_VOID, v ? 1 : 0, v, IR_VOID,
         NULL, NULL);
}

void ir_build_trap(IrModule *m, IrBlock *b, const char *reason, uint32_t len)
{
    IrInst *in = ir_inst_append(m, b, IR_TRAP);
    in->str = arena_strndup(&m->arena, reason, len);
    in->strlen = len;
}
