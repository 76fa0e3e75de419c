/* interp_decode.c - IR function -> pre-decoded code for the dispatch loop.
 *
 * Every value gets a frame slot (a ptr two: address and tag); parameters
 * come first so a call copies arguments to slots 0.. of the new frame.
 * Constants and symbol addresses live in constant slots that a call
 * copies from a per-function template, so every operand is a slot; the
 * hottest integer ops also have an immediate form. Block arguments become
 * ordered word moves (the parallel copy sequentialised with one temporary
 * word); a branch edge with moves jumps through a stub placed after the
 * blocks. A branch to the next block with no moves disappears; an icmp
 * whose only use is the condbr right after it fuses with it.
 *
 * The module is verified before it gets here; the few checks below only
 * keep a malformed module from making the decoder itself misbehave.
 */
#include "interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Fixup {
    uint32_t ins;   /* code index of the branch */
    uint8_t field;  /* 0: r, 1: b, 2: c, 3+: switch table entry field-3 */
    uint32_t label; /* block index, or nblocks + stub number */
} Fixup;

typedef struct Const {
    uint64_t key;   /* bits, or item index for symbols */
    uint8_t kind;   /* 1: word, 2: symbol, 3: ptr bits */
    uint32_t slot;
} Const;

typedef struct Dec {
    Instance *in;
    DFunc *f;
    const IrFunc *ir;
    char *err;
    size_t errlen;
    bool bad;
    uint32_t *slot;     /* value -> slot */
    uint32_t *uses;     /* value -> number of uses */
    uint32_t nvalwords; /* words of params and values */
    Const *consts;
    uint32_t nconsts, capconsts;
    Word *cwords;       /* const template, by const slot - nvalwords */
    uint32_t ncwords, capcwords;
    uint32_t tmp;       /* move temporary (0: none yet) */
    Ins *code;
    uint32_t ncode, capcode;
    Ins *stubs;
    uint32_t nstubs, capstubs;
    Fixup *fix;
    uint32_t nfix, capfix;
} Dec;

#define GROW(arr, n, cap)                                                      \
    do {                                                                       \
        if ((n) == (cap)) {                                                    \
            size_t nc_ = (cap) ? (size_t)(cap) * 2 : 16;                       \
            void *p_ = realloc((arr), sizeof *(arr) * nc_);                    \
            if (!p_) {                                                         \
                fputs("yvm: out of memory\n", stderr);                         \
                abort();                                                       \
            }                                                                  \
            (arr) = p_;                                                        \
            (cap) = (uint32_t)nc_;                                             \
        }                                                                      \
    } while (0)

static void fail(Dec *d, const char *what)
{
    if (!d->bad)
        snprintf(d->err, d->errlen, "cannot decode '@%s': %s", d->f->name, what);
    d->bad = true;
}

static uint32_t words_of(IrType t) { return t == IR_PTR ? 2 : 1; }

/* ---- operands ---- */

static uint32_t const_slot(Dec *d, uint8_t kind, uint64_t key, Word w0, Word w1)
{
    for (uint32_t i = 0; i < d->nconsts; i++)
        if (d->consts[i].kind == kind && d->consts[i].key == key)
            return d->consts[i].slot;
    GROW(d->consts, d->nconsts, d->capconsts);
    uint32_t slot = d->nvalwords + d->ncwords;
    d->consts[d->nconsts++] = (Const){key, kind, slot};
    GROW(d->cwords, d->ncwords, d->capcwords);
    d->cwords[d->ncwords++] = w0;
    if (kind != 1) {
        GROW(d->cwords, d->ncwords, d->capcwords);
        d->cwords[d->ncwords++] = w1;
    }
    return slot;
}

/* The portable item a symbol names (per-target bodies are not run). */
static uint32_t portable_item(const IrModule *m, uint32_t item)
{
    if (item >= m->nitems)
        return IR_NONE;
    const IrItem *it = &m->items[item];
    if (it->kind == IR_ITEM_FUNC && it->func->target)
        return ir_module_find(m, it->name);
    return item;
}

static uint32_t opd_slot(Dec *d, const IrOperand *o)
{
    switch (o->kind) {
    case IR_OPD_VALUE:
        if (o->index >= d->ir->nvals) {
            fail(d, "value out of range");
            return 0;
        }
        return d->slot[o->index];
    case IR_OPD_SYMBOL: {
        uint32_t it = portable_item(d->in->m, o->index);
        if (it == IR_NONE) {
            fail(d, "symbol out of range");
            return 0;
        }
        return const_slot(d, 2, it, d->in->item_addr[it], d->in->item_tag[it]);
    }
    default:
        if (o->type == IR_PTR)
            return const_slot(d, 3, o->bits, o->bits, TAG_NONE);
        return const_slot(d, 1, o->bits, o->bits, 0);
    }
}

static bool is_const(const IrOperand *o) { return o->kind == IR_OPD_CONST && o->type != IR_PTR; }

/* ---- emission ---- */

static Ins *emit(Dec *d, InsOp op)
{
    GROW(d->code, d->ncode, d->capcode);
    Ins *i = &d->code[d->ncode++];
    memset(i, 0, sizeof *i);
    i->op = op;
    return i;
}

static void fixup(Dec *d, uint32_t ins, uint8_t field, uint32_t label)
{
    GROW(d->fix, d->nfix, d->capfix);
    d->fix[d->nfix++] = (Fixup){ins, field, label};
}

/* Sequentialise a parallel copy of words; NULL when there is none. */
static Moves *make_moves(Dec *d, uint32_t n, uint32_t *dst, uint32_t *src)
{
    uint32_t out = 0, cap = 2 * n + 2;
    uint32_t *pairs = malloc(sizeof *pairs * 2 * cap);
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!pairs || !done) {
        fputs("yvm: out of memory\n", stderr);
        abort();
    }
    uint32_t left = 0;
    for (uint32_t i = 0; i < n; i++) {
        done[i] = dst[i] == src[i];
        left += !done[i];
    }
    while (left) {
        bool progress = false;
        for (uint32_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            bool blocked = false;
            for (uint32_t j = 0; j < n && !blocked; j++)
                blocked = !done[j] && j != i && src[j] == dst[i];
            if (blocked)
                continue;
            pairs[2 * out] = dst[i];
            pairs[2 * out + 1] = src[i];
            out++;
            done[i] = true;
            left--;
            progress = true;
        }
        if (progress)
            continue;
        /* Only cycles are left: save one destination in the temporary
         * and read it from there. */
        if (!d->tmp)
            d->tmp = UINT32_MAX; /* allocated after the constants */
        for (uint32_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            pairs[2 * out] = UINT32_MAX; /* the temporary */
            pairs[2 * out + 1] = dst[i];
            out++;
            for (uint32_t j = 0; j < n; j++)
                if (!done[j] && src[j] == dst[i])
                    src[j] = UINT32_MAX;
            break;
        }
    }
    free(done);
    Moves *mv = NULL;
    if (out) {
        mv = arena_alloc(&d->in->arena, sizeof *mv + sizeof(uint32_t) * 2 * out);
        mv->n = out;
        memcpy(mv->pairs, pairs, sizeof(uint32_t) * 2 * out);
    }
    free(pairs);
    return mv;
}

/* The moves of one branch edge into its target's parameters. */
static Moves *edge_moves(Dec *d, const IrTarget *t)
{
    const IrBlock *b = d->ir->blocks[t->block];
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->nargs; i++)
        n += words_of(d->ir->vals[b->params[i]].type);
    if (!n)
        return NULL;
    uint32_t *dst = malloc(sizeof *dst * n), *src = malloc(sizeof *src * n);
    if (!dst || !src) {
        fputs("yvm: out of memory\n", stderr);
        abort();
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < t->nargs; i++) {
        uint32_t ds = d->slot[b->params[i]], ss = opd_slot(d, &t->args[i]);
        for (uint32_t w = 0; w < words_of(d->ir->vals[b->params[i]].type); w++) {
            dst[k] = ds + w;
            src[k] = ss + w;
            k++;
        }
    }
    Moves *mv = make_moves(d, n, dst, src);
    free(dst);
    free(src);
    return mv;
}

/* The label a branch along edge t jumps to: the block, or a stub that
 * does the moves first. */
static uint32_t edge_label(Dec *d, const IrTarget *t)
{
    if (t->block >= d->ir->nblocks || t->nargs != d->ir->blocks[t->block]->nparams) {
        fail(d, "bad branch target");
        return 0;
    }
    Moves *mv = edge_moves(d, t);
    if (!mv)
        return t->block;
    GROW(d->stubs, d->nstubs, d->capstubs);
    Ins *s = &d->stubs[d->nstubs++];
    memset(s, 0, sizeof *s);
    s->op = INS_BRM;
    s->u.p = mv;
    s->r = t->block; /* fixed up when the stubs are placed */
    return d->ir->nblocks + d->nstubs - 1;
}

static const InsOp icmp_ops[IR_ICMP_COUNT] = {
    INS_IEQ, INS_INE, INS_ISLT, INS_ISLE, INS_ISGT, INS_ISGE,
    INS_IULT, INS_IULE, INS_IUGT, INS_IUGE,
};
static const InsOp fcmp32_ops[IR_FCMP_COUNT] = {
    INS_FC32_OEQ, INS_FC32_ONE, INS_FC32_OLT, INS_FC32_OLE, INS_FC32_OGT,
    INS_FC32_OGE, INS_FC32_ORD, INS_FC32_UNO, INS_FC32_UEQ, INS_FC32_UNE,
    INS_FC32_ULT, INS_FC32_ULE, INS_FC32_UGT, INS_FC32_UGE,
};
static const InsOp fcmp64_ops[IR_FCMP_COUNT] = {
    INS_FC64_OEQ, INS_FC64_ONE, INS_FC64_OLT, INS_FC64_OLE, INS_FC64_OGT,
    INS_FC64_OGE, INS_FC64_ORD, INS_FC64_UNO, INS_FC64_UEQ, INS_FC64_UNE,
    INS_FC64_ULT, INS_FC64_ULE, INS_FC64_UGT, INS_FC64_UGE,
};

static uint32_t shift_of(IrType t) { return 64 - ir_type_bits(t); }

static void decode_binary(Dec *d, const IrInst *in)
{
    IrType t = (IrType)in->type;
    const IrOperand *a = &in->opd[0], *b = &in->opd[1];
    InsOp op;
    bool imm_ok = true;
    switch ((IrOpcode)in->op) {
    case IR_ADD: op = t == IR_I64 ? INS_ADD64 : INS_ADD; break;
    case IR_SUB: op = t == IR_I64 ? INS_SUB64 : INS_SUB; break;
    case IR_MUL: op = INS_MUL; break;
    case IR_AND: op = INS_AND; break;
    case IR_OR: op = INS_OR; break;
    case IR_XOR: op = INS_XOR; break;
    case IR_SHL: op = INS_SHL; break;
    case IR_LSHR: op = INS_LSHR; break;
    case IR_ASHR: op = INS_ASHR; break;
    default: {
        imm_ok = false;
        static const struct { IrOpcode ir; InsOp ins; } map[] = {
            {IR_SDIV, INS_SDIV}, {IR_UDIV, INS_UDIV}, {IR_SREM, INS_SREM},
            {IR_UREM, INS_UREM}, {IR_ADDC, INS_ADDC}, {IR_SUBC, INS_SUBC},
            {IR_MULC, INS_MULC}, {IR_ADDCU, INS_ADDCU}, {IR_SUBCU, INS_SUBCU},
            {IR_MULCU, INS_MULCU}, {IR_FADD, INS_FADD64}, {IR_FSUB, INS_FSUB64},
            {IR_FMUL, INS_FMUL64}, {IR_FDIV, INS_FDIV64},
        };
        op = INS_NOP;
        for (size_t i = 0; i < sizeof map / sizeof *map; i++)
            if (map[i].ir == in->op)
                op = map[i].ins;
        if (t == IR_F32 && op >= INS_FADD64 && op <= INS_FDIV64)
            op = INS_FADD32 + (op - INS_FADD64);
        if (op == INS_NOP) {
            fail(d, "unknown binary opcode");
            return;
        }
    }
    }
    uint32_t ra = opd_slot(d, a);
    if (imm_ok && is_const(b)) {
        Ins *i = emit(d, op + 1); /* the immediate form follows its op */
        i->r = d->slot[in->result];
        i->a = ra;
        i->c = shift_of(t);
        i->u.k = b->bits;
        if (op == INS_SHL || op == INS_LSHR || op == INS_ASHR)
            i->u.k = b->bits & (ir_type_bits(t) - 1);
        return;
    }
    uint32_t rb = opd_slot(d, b);
    Ins *i = emit(d, op);
    i->r = d->slot[in->result];
    i->a = ra;
    i->b = rb;
    i->c = shift_of(t);
}

static void decode_conv(Dec *d, const IrInst *in)
{
    IrType from = (IrType)in->type, to = (IrType)in->type2;
    uint32_t a = opd_slot(d, &in->opd[0]);
    Ins *i;
    switch ((IrOpcode)in->op) {
    case IR_ZEXT: case IR_BITCAST: case IR_PTRTOINT:
        i = emit(d, INS_MOV); /* canonical words already agree */
        break;
    case IR_TRUNC:
        i = emit(d, INS_ANDI);
        i->u.k = ir_type_mask(to);
        break;
    case IR_SEXT:
        i = emit(d, INS_SEXT);
        i->c = shift_of(from);
        i->b = shift_of(to);
        break;
    case IR_SITOFP:
        i = emit(d, to == IR_F32 ? INS_SITOFP32 : INS_SITOFP64);
        i->c = shift_of(from);
        break;
    case IR_UITOFP:
        i = emit(d, to == IR_F32 ? INS_UITOFP32 : INS_UITOFP64);
        break;
    case IR_FPTOSI:
        i = emit(d, from == IR_F32 ? INS_FPTOSI32 : INS_FPTOSI64);
        i->c = ir_type_bits(to);
        i->u.d = (double)(UINT64_C(1) << (ir_type_bits(to) - 1)); /* 2^(w-1) */
        break;
    case IR_FPTOUI:
        i = emit(d, from == IR_F32 ? INS_FPTOUI32 : INS_FPTOUI64);
        i->c = ir_type_bits(to);
        i->u.d = 2.0 * (double)(UINT64_C(1) << (ir_type_bits(to) - 1)); /* 2^w */
        break;
    case IR_FPEXT: i = emit(d, INS_FPEXT); break;
    case IR_FPTRUNC: i = emit(d, INS_FPTRUNC); break;
    case IR_INTTOPTR: i = emit(d, INS_INTTOPTR); break;
    default:
        fail(d, "unknown conversion");
        return;
    }
    i->r = d->slot[in->result];
    i->a = a;
}

static InsOp load_op(IrType t)
{
    switch (t) {
    case IR_I1: return INS_LD1;
    case IR_I8: return INS_LD8;
    case IR_I16: return INS_LD16;
    case IR_I32: case IR_F32: return INS_LD32;
    case IR_PTR: return INS_LDP;
    default: return INS_LD64;
    }
}

static InsOp store_op(IrType t)
{
    switch (t) {
    case IR_I1: case IR_I8: return INS_ST8;
    case IR_I16: return INS_ST16;
    case IR_I32: case IR_F32: return INS_ST32;
    case IR_PTR: return INS_STP;
    default: return INS_ST64;
    }
}

static const DFunc *callee_of(Dec *d, const IrOperand *o)
{
    uint32_t it = o->kind == IR_OPD_SYMBOL ? portable_item(d->in->m, o->index) : IR_NONE;
    if (it == IR_NONE || d->in->m->items[it].kind != IR_ITEM_FUNC) {
        fail(d, "call of a non-function");
        return NULL;
    }
    return &d->in->funcs[it];
}

static void decode_call(Dec *d, const IrInst *in)
{
    const DFunc *g = callee_of(d, &in->opd[0]);
    if (!g)
        return;
    uint32_t nargs = in->nopd - 1;
    uint32_t r = in->result != IR_NONE ? d->slot[in->result] : 0;
    if (!g->is_extern) {
        if (nargs != g->ir->nparams) {
            fail(d, "wrong argument count");
            return;
        }
        uint32_t nw = 0;
        for (uint32_t k = 0; k < nargs; k++)
            nw += words_of(g->ir->ptypes[k]);
        CallSite *cs = arena_alloc(&d->in->arena, sizeof *cs + sizeof(uint32_t) * (nw + 1));
        cs->fn = g;
        cs->nwords = nw;
        uint32_t w = 0;
        for (uint32_t k = 0; k < nargs; k++) {
            uint32_t s = opd_slot(d, &in->opd[k + 1]);
            for (uint32_t j = 0; j < words_of(g->ir->ptypes[k]); j++)
                cs->src[w++] = s + j;
        }
        Ins *i = emit(d, INS_CALL);
        i->u.p = cs;
        i->r = r;
        i->c = in->result != IR_NONE ? words_of(d->ir->vals[in->result].type) : 0;
        return;
    }
    XSite *xs = arena_alloc(&d->in->arena, sizeof *xs);
    uint8_t *types = arena_alloc(&d->in->arena, nargs + 1);
    uint32_t *slots = arena_alloc(&d->in->arena, sizeof *slots * (nargs + 1));
    for (uint32_t k = 0; k < nargs; k++) {
        types[k] = in->opd[k + 1].type;
        slots[k] = opd_slot(d, &in->opd[k + 1]);
    }
    xs->fn = g;
    xs->nargs = nargs;
    xs->nfixed = g->ir->nparams;
    xs->types = types;
    xs->slot = slots;
    xs->ret = g->ret;
    if (!interp_ext_prepare(d->in, xs, d->err, d->errlen)) {
        d->bad = true;
        return;
    }
    Ins *i = emit(d, INS_XCALL);
    i->u.p = xs;
    i->r = r;
    i->c = in->result != IR_NONE ? words_of(d->ir->vals[in->result].type) : 0;
}

static void decode_call_ind(Dec *d, const IrInst *in)
{
    uint32_t nargs = in->nopd - 1;
    ISite *is = arena_alloc(&d->in->arena, sizeof *is);
    uint8_t *types = arena_alloc(&d->in->arena, nargs + 1);
    uint32_t *slots = arena_alloc(&d->in->arena, sizeof *slots * (nargs + 1));
    for (uint32_t k = 0; k < nargs; k++) {
        types[k] = in->opd[k + 1].type;
        slots[k] = opd_slot(d, &in->opd[k + 1]);
    }
    is->ret = in->type;
    is->nargs = nargs;
    is->types = types;
    is->slot = slots;
    Ins *i = emit(d, INS_CALLI);
    i->a = opd_slot(d, &in->opd[0]);
    i->u.p = is;
    i->r = in->result != IR_NONE ? d->slot[in->result] : 0;
    i->c = in->result != IR_NONE ? words_of(d->ir->vals[in->result].type) : 0;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static void decode_switch(Dec *d, const IrInst *in)
{
    uint32_t n = in->ntgt - 1;
    SwitchTable *st = arena_alloc(&d->in->arena, sizeof *st);
    uint64_t *keys = arena_alloc(&d->in->arena, sizeof *keys * (n + 1));
    int32_t *rel = arena_alloc(&d->in->arena, sizeof *rel * (n + 1));
    /* Sort the cases by key, remembering each one's target. */
    uint64_t *order = malloc(sizeof *order * 2 * (n + 1));
    if (!order) {
        fputs("yvm: out of memory\n", stderr);
        abort();
    }
    for (uint32_t k = 0; k < n; k++) {
        order[2 * k] = in->keys[k];
        order[2 * k + 1] = k;
    }
    qsort(order, n, sizeof *order * 2, cmp_u64);
    st->n = n;
    st->keys = keys;
    st->rel = rel;
    uint32_t a = opd_slot(d, &in->opd[0]);
    uint32_t labels0 = edge_label(d, &in->tgt[0]);
    uint32_t *labels = malloc(sizeof *labels * (n + 1));
    if (!labels) {
        fputs("yvm: out of memory\n", stderr);
        abort();
    }
    for (uint32_t k = 0; k < n; k++) {
        keys[k] = order[2 * k];
        labels[k] = edge_label(d, &in->tgt[1 + order[2 * k + 1]]);
    }
    Ins *i = emit(d, INS_SWITCH);
    i->a = a;
    i->u.p = st;
    uint32_t at = d->ncode - 1;
    fixup(d, at, 3, labels0); /* field 3: the default */
    for (uint32_t k = 0; k < n; k++)
        fixup(d, at, 4, labels[k]); /* case k, in key order */
    free(labels);
    free(order);
}

/* Fuse `%c = icmp ...; condbr %c, ...` when the condbr is %c's only use. */
static bool fuse_icmp(Dec *d, const IrInst *cmp, const IrInst *br)
{
    if (br->op != IR_CONDBR || br->opd[0].kind != IR_OPD_VALUE ||
        br->opd[0].index != cmp->result || d->uses[cmp->result] != 1)
        return false;
    uint32_t lt = edge_label(d, &br->tgt[0]), lf = edge_label(d, &br->tgt[1]);
    uint32_t ra = opd_slot(d, &cmp->opd[0]);
    InsOp base = INS_BEQ + (icmp_ops[cmp->cond] - INS_IEQ);
    Ins *i;
    if (is_const(&cmp->opd[1])) {
        i = emit(d, INS_BEQI + (base - INS_BEQ));
        i->a = ra;
        i->u.k = cmp->opd[1].bits;
        i->b = shift_of((IrType)cmp->type);
    } else {
        uint32_t rb = opd_slot(d, &cmp->opd[1]);
        i = emit(d, base);
        i->a = ra;
        i->b = rb;
        i->u.k = shift_of((IrType)cmp->type);
    }
    /* Signed i64 compares need no sign extension. */
    if (cmp->type == IR_I64 && i->op >= INS_BSLT && i->op <= INS_BSGE)
        i->op = INS_BSLT64 + (i->op - INS_BSLT);
    else if (cmp->type == IR_I64 && i->op >= INS_BSLTI && i->op <= INS_BSGEI)
        i->op = INS_BSLT64I + (i->op - INS_BSLTI);
    fixup(d, d->ncode - 1, 0, lt);
    fixup(d, d->ncode - 1, 2, lf);
    return true;
}

/* Decode one instruction; returns how many IR instructions it consumed. */
static uint32_t decode_inst(Dec *d, const IrBlock *blk, uint32_t idx, uint32_t next_block)
{
    const IrInst *in = &blk->insts[idx];
    if (in->op >= IR_OPCODE_COUNT) {
        fail(d, "unknown opcode");
        return 1;
    }
    IrForm form = ir_op_info[in->op].form;
    uint32_t want = 0;
    switch (form) {
    case IR_FORM_BINARY: case IR_FORM_ICMP: case IR_FORM_FCMP: want = 2; break;
    case IR_FORM_UNARY: case IR_FORM_CONV: case IR_FORM_LOAD: case IR_FORM_CONDBR:
    case IR_FORM_SWITCH: want = 1; break;
    case IR_FORM_SELECT: case IR_FORM_MEMCPY: case IR_FORM_MEMSET: want = 3; break;
    case IR_FORM_STORE: case IR_FORM_PTRADD: want = 2; break;
    case IR_FORM_CALL: case IR_FORM_CALLIND: want = in->nopd ? in->nopd : 1; break;
    case IR_FORM_RET: want = in->nopd; break;
    default: break;
    }
    if (in->nopd != want || (ir_op_has_result((IrOpcode)in->op) &&
                             form != IR_FORM_CALL && form != IR_FORM_CALLIND &&
                             in->result >= d->ir->nvals) ||
        (in->result != IR_NONE && in->result >= d->ir->nvals)) {
        fail(d, "malformed instruction");
        return 1;
    }
    Ins *i;
    switch (form) {
    case IR_FORM_BINARY:
        decode_binary(d, in);
        break;
    case IR_FORM_UNARY: {
        uint32_t a = opd_slot(d, &in->opd[0]);
        bool f32 = in->type == IR_F32;
        i = emit(d, in->op == IR_FNEG ? (f32 ? INS_FNEG32 : INS_FNEG64)
                                      : (f32 ? INS_FSQRT32 : INS_FSQRT64));
        i->r = d->slot[in->result];
        i->a = a;
        break;
    }
    case IR_FORM_ICMP: {
        if (idx + 1 < blk->ninsts && fuse_icmp(d, in, &blk->insts[idx + 1]))
            return 2;
        uint32_t a = opd_slot(d, &in->opd[0]);
        InsOp op = in->cond < IR_ICMP_COUNT ? icmp_ops[in->cond] : INS_IEQ;
        if (is_const(&in->opd[1])) {
            i = emit(d, INS_IEQI + (op - INS_IEQ));
            i->u.k = in->opd[1].bits;
        } else {
            uint32_t b = opd_slot(d, &in->opd[1]);
            i = emit(d, op);
            i->b = b;
        }
        i->r = d->slot[in->result];
        i->a = a;
        i->c = shift_of((IrType)in->type);
        break;
    }
    case IR_FORM_FCMP: {
        uint32_t a = opd_slot(d, &in->opd[0]), b = opd_slot(d, &in->opd[1]);
        unsigned c = in->cond < IR_FCMP_COUNT ? in->cond : 0;
        i = emit(d, in->type == IR_F32 ? fcmp32_ops[c] : fcmp64_ops[c]);
        i->r = d->slot[in->result];
        i->a = a;
        i->b = b;
        break;
    }
    case IR_FORM_SELECT: {
        uint32_t c = opd_slot(d, &in->opd[0]), a = opd_slot(d, &in->opd[1]),
                 b = opd_slot(d, &in->opd[2]);
        i = emit(d, in->type == IR_PTR ? INS_SELP : INS_SEL);
        i->r = d->slot[in->result];
        i->a = c;
        i->b = a;
        i->c = b;
        break;
    }
    case IR_FORM_CONV:
        decode_conv(d, in);
        break;
    case IR_FORM_ALLOCA:
        if (!in->imm2 || (in->imm2 & (in->imm2 - 1)) || in->imm2 > 4096) {
            fail(d, "bad alloca alignment");
            break;
        }
        d->f->has_alloca = true;
        i = emit(d, INS_ALLOCA);
        i->r = d->slot[in->result];
        i->u.k = in->imm;
        i->c = (uint32_t)in->imm2;
        break;
    case IR_FORM_LOAD: {
        uint32_t a = opd_slot(d, &in->opd[0]);
        i = emit(d, load_op((IrType)in->type));
        i->r = d->slot[in->result];
        i->a = a;
        break;
    }
    case IR_FORM_STORE: {
        uint32_t v = opd_slot(d, &in->opd[0]), p = opd_slot(d, &in->opd[1]);
        i = emit(d, store_op((IrType)in->type));
        i->a = v;
        i->b = p;
        break;
    }
    case IR_FORM_PTRADD: {
        uint32_t p = opd_slot(d, &in->opd[0]);
        if (is_const(&in->opd[1])) {
            i = emit(d, INS_PADDI);
            i->u.k = in->opd[1].bits;
        } else {
            uint32_t o = opd_slot(d, &in->opd[1]);
            i = emit(d, INS_PADD);
            i->b = o;
        }
        i->r = d->slot[in->result];
        i->a = p;
        break;
    }
    case IR_FORM_MEMCPY: case IR_FORM_MEMSET: {
        uint32_t a = opd_slot(d, &in->opd[0]), b = opd_slot(d, &in->opd[1]),
                 c = opd_slot(d, &in->opd[2]);
        i = emit(d, form == IR_FORM_MEMCPY ? INS_MEMCPY : INS_MEMSET);
        i->a = a;
        i->b = b;
        i->c = c;
        break;
    }
    case IR_FORM_CALL:
        decode_call(d, in);
        break;
    case IR_FORM_CALLIND:
        decode_call_ind(d, in);
        break;
    case IR_FORM_BR:
        if (in->ntgt != 1) {
            fail(d, "malformed branch");
            break;
        }
        {
            uint32_t l = edge_label(d, &in->tgt[0]);
            if (l == in->tgt[0].block && l == next_block)
                break; /* falls through */
            if (l == in->tgt[0].block) {
                emit(d, INS_JMP);
                fixup(d, d->ncode - 1, 0, l);
            } else {
                /* Put the stub's moves inline instead. */
                Ins stub = d->stubs[--d->nstubs];
                i = emit(d, INS_BRM);
                *i = stub;
                if (in->tgt[0].block == next_block) {
                    /* still needs the moves; the jump is then a no-op */
                }
                fixup(d, d->ncode - 1, 0, in->tgt[0].block);
            }
        }
        break;
    case IR_FORM_CONDBR: {
        if (in->ntgt != 2) {
            fail(d, "malformed branch");
            break;
        }
        uint32_t c = opd_slot(d, &in->opd[0]);
        uint32_t lt = edge_label(d, &in->tgt[0]), lf = edge_label(d, &in->tgt[1]);
        i = emit(d, INS_CBR);
        i->a = c;
        fixup(d, d->ncode - 1, 0, lt);
        fixup(d, d->ncode - 1, 1, lf);
        break;
    }
    case IR_FORM_SWITCH:
        if (in->ntgt < 1) {
            fail(d, "malformed switch");
            break;
        }
        decode_switch(d, in);
        break;
    case IR_FORM_RET:
        if (in->nopd == 0) {
            emit(d, INS_RET0);
        } else {
            uint32_t a = opd_slot(d, &in->opd[0]);
            i = emit(d, in->opd[0].type == IR_PTR ? INS_RETP : INS_RET1);
            i->a = a;
        }
        break;
    case IR_FORM_TRAP:
        i = emit(d, INS_TRAP);
        i->u.p = in->str ? in->str : "";
        i->r = in->str ? in->strlen : 0;
        break;
    }
    return 1;
}

static void count_uses(Dec *d)
{
    const IrFunc *f = d->ir;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        for (uint32_t k = 0; k < blk->ninsts; k++) {
            const IrInst *in = &blk->insts[k];
            for (uint32_t o = 0; o < in->nopd; o++)
                if (in->opd[o].kind == IR_OPD_VALUE && in->opd[o].index < f->nvals)
                    d->uses[in->opd[o].index]++;
            for (uint32_t t = 0; t < in->ntgt; t++)
                for (uint32_t o = 0; o < in->tgt[t].nargs; o++)
                    if (in->tgt[t].args[o].kind == IR_OPD_VALUE &&
                        in->tgt[t].args[o].index < f->nvals)
                        d->uses[in->tgt[t].args[o].index]++;
        }
    }
}

/* Loop coalescing: a value computed in block L and passed back to L's
 * own parameter p on L's only self edge can live in p's slot, so the back
 * edge moves nothing. Safe when p is used only inside L and not after
 * that value's definition (the definition itself may read p: handlers
 * read their operands before writing). Returns, per value, the parameter
 * whose slot it takes, or UINT32_MAX. */
static uint32_t *coalesce(Dec *d)
{
    const IrFunc *f = d->ir;
    uint32_t n = f->nvals;
    uint32_t *def_block = malloc(sizeof(uint32_t) * (n + 1));
    uint32_t *def_idx = malloc(sizeof(uint32_t) * (n + 1));
    uint32_t *last_use = malloc(sizeof(uint32_t) * (n + 1));
    bool *outside = calloc(n + 1, sizeof(bool));
    bool *taken = calloc(n + 1, sizeof(bool));
    uint32_t *into = malloc(sizeof(uint32_t) * (n + 1));
    if (!def_block || !def_idx || !last_use || !outside || !taken || !into) {
        fputs("yvm: out of memory\n", stderr);
        abort();
    }
    for (uint32_t v = 0; v < n; v++) {
        def_block[v] = UINT32_MAX; /* function parameters: no block */
        def_idx[v] = UINT32_MAX;
        last_use[v] = 0;
        into[v] = UINT32_MAX;
    }
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        for (uint32_t k = 0; k < blk->nparams; k++)
            if (blk->params[k] < n)
                def_block[blk->params[k]] = b;
        for (uint32_t k = 0; k < blk->ninsts; k++)
            if (blk->insts[k].result < n) {
                def_block[blk->insts[k].result] = b;
                def_idx[blk->insts[k].result] = k;
            }
    }
#define USE(o, b, k)                                                           \
    do {                                                                       \
        if ((o)->kind == IR_OPD_VALUE && (o)->index < n) {                     \
            uint32_t v_ = (o)->index;                                          \
            if (def_block[v_] != (b))                                          \
                outside[v_] = true;                                            \
            else if ((k) > last_use[v_])                                       \
                last_use[v_] = (k);                                            \
        }                                                                      \
    } while (0)
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        for (uint32_t k = 0; k < blk->ninsts; k++) {
            const IrInst *in = &blk->insts[k];
            for (uint32_t o = 0; o < in->nopd; o++)
                USE(&in->opd[o], b, k);
            for (uint32_t t = 0; t < in->ntgt; t++)
                for (uint32_t o = 0; o < in->tgt[t].nargs; o++)
                    USE(&in->tgt[t].args[o], b, k);
        }
    }
#undef USE
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const IrBlock *blk = f->blocks[b];
        if (!blk->ninsts)
            continue;
        const IrInst *term = &blk->insts[blk->ninsts - 1];
        const IrTarget *self = NULL;
        uint32_t nself = 0;
        for (uint32_t t = 0; t < term->ntgt; t++)
            if (term->tgt[t].block == b) {
                self = &term->tgt[t];
                nself++;
            }
        if (nself != 1 || self->nargs != blk->nparams)
            continue;
        for (uint32_t i = 0; i < self->nargs; i++) {
            const IrOperand *a = &self->args[i];
            uint32_t p = blk->params[i], v = a->index;
            if (a->kind != IR_OPD_VALUE || v >= n || p >= n || def_block[v] != b ||
                def_idx[v] == UINT32_MAX || f->vals[v].type != f->vals[p].type ||
                outside[p] || last_use[p] > def_idx[v] || taken[p] || into[v] != UINT32_MAX)
                continue;
            into[v] = p;
            taken[p] = true;
        }
    }
    free(def_block);
    free(def_idx);
    free(last_use);
    free(outside);
    free(taken);
    return into;
}

static void assign_slots(Dec *d)
{
    const IrFunc *f = d->ir;
    uint32_t next = 0;
    for (uint32_t v = 0; v < f->nvals; v++)
        d->slot[v] = UINT32_MAX;
    for (uint32_t p = 0; p < f->nparams; p++) {
        if (f->params[p] >= f->nvals || d->slot[f->params[p]] != UINT32_MAX) {
            fail(d, "bad parameter");
            return;
        }
        d->slot[f->params[p]] = next;
        next += words_of(f->vals[f->params[p]].type);
    }
    d->f->nparamwords = next;
    uint32_t *into = coalesce(d);
    for (uint32_t v = 0; v < f->nvals; v++) {
        if (d->slot[v] == UINT32_MAX && into[v] == UINT32_MAX) {
            d->slot[v] = next;
            next += words_of(f->vals[v].type);
        }
    }
    for (uint32_t v = 0; v < f->nvals; v++)
        if (into[v] != UINT32_MAX)
            d->slot[v] = d->slot[into[v]];
    free(into);
    d->nvalwords = next;
}

/* Resolve a slot written as UINT32_MAX (the move temporary). */
static void place_tmp(Moves *mv, uint32_t tmp)
{
    for (uint32_t k = 0; k < 2 * mv->n; k++)
        if (mv->pairs[k] == UINT32_MAX)
            mv->pairs[k] = tmp;
}

bool interp_decode(Instance *in, DFunc *f, char *err, size_t errlen)
{
    const IrFunc *ir = f->ir;
    Dec d = {.in = in, .f = f, .ir = ir, .err = err, .errlen = errlen};
    if (ir->nblocks == 0) {
        snprintf(err, errlen, "cannot decode '@%s': no blocks", f->name);
        return false;
    }
    d.slot = calloc(ir->nvals + 1, sizeof *d.slot);
    d.uses = calloc(ir->nvals + 1, sizeof *d.uses);
    uint32_t *label_pos = NULL;
    if (!d.slot || !d.uses)
        goto oom;
    assign_slots(&d);
    count_uses(&d);
    uint32_t *block_pos = calloc(ir->nblocks, sizeof *block_pos);
    if (!block_pos)
        goto oom;
    for (uint32_t b = 0; b < ir->nblocks && !d.bad; b++) {
        const IrBlock *blk = ir->blocks[b];
        block_pos[b] = d.ncode;
        if (blk->ninsts == 0 || !ir_op_is_terminator((IrOpcode)blk->insts[blk->ninsts - 1].op)) {
            fail(&d, "block without terminator");
            break;
        }
        for (uint32_t k = 0; k < blk->ninsts && !d.bad;)
            k += decode_inst(&d, blk, k, b + 1);
    }
    /* Place the stubs after the blocks. */
    uint32_t nlabels = ir->nblocks + d.nstubs;
    label_pos = calloc(nlabels ? nlabels : 1, sizeof *label_pos);
    if (!label_pos) {
        free(block_pos);
        goto oom;
    }
    memcpy(label_pos, block_pos, sizeof *block_pos * ir->nblocks);
    free(block_pos);
    uint32_t nstubs = d.nstubs;
    Ins *stubs = d.stubs;
    for (uint32_t s = 0; s < nstubs && !d.bad; s++) {
        label_pos[ir->nblocks + s] = d.ncode;
        Ins *i = emit(&d, INS_BRM);
        *i = stubs[s];
        fixup(&d, d.ncode - 1, 0, stubs[s].r);
    }
    if (d.bad)
        goto out;
    /* Frame layout: values, constants, the move temporary. */
    f->const_base = d.nvalwords;
    f->nconst = d.ncwords;
    f->nslots = d.nvalwords + d.ncwords + (d.tmp ? 1 : 0);
    if (f->nslots == 0)
        f->nslots = 1; /* a call writes slot 0 unconditionally */
    if (f->nslots + HDR_WORDS > in->I->max_frame)
        in->I->max_frame = f->nslots + HDR_WORDS;
    f->consts = arena_memdup(&in->arena, d.cwords, sizeof(Word) * d.ncwords);
    f->code = arena_memdup(&in->arena, d.code, sizeof(Ins) * d.ncode);
    uint32_t tmp = d.nvalwords + d.ncwords;
    uint32_t switch_case = 0, switch_at = UINT32_MAX;
    for (uint32_t k = 0; k < d.nfix; k++) {
        const Fixup *x = &d.fix[k];
        Ins *i = &f->code[x->ins];
        int32_t rel = (int32_t)(label_pos[x->label] - x->ins);
        switch (x->field) {
        case 0: i->r = (uint32_t)rel; break;
        case 1: i->b = (uint32_t)rel; break;
        case 2: i->c = (uint32_t)rel; break;
        case 3: {
            SwitchTable *st = (SwitchTable *)i->u.p;
            st->dflt = rel;
            switch_at = x->ins;
            switch_case = 0;
            break;
        }
        default: {
            SwitchTable *st = (SwitchTable *)i->u.p;
            if (switch_at == x->ins && switch_case < st->n)
                st->rel[switch_case++] = rel;
            break;
        }
        }
    }
    for (uint32_t k = 0; k < d.ncode; k++) {
        Ins *i = &f->code[k];
        if (i->op == INS_BRM && d.tmp)
            place_tmp((Moves *)i->u.p, tmp);
    }
    /* A jump to a conditional branch becomes a copy of that branch (one
     * dispatch less per loop iteration: loops end in `br header`). */
    for (uint32_t k = 0; k < d.ncode; k++) {
        Ins *i = &f->code[k];
        if (i->op != INS_JMP)
            continue;
        uint32_t t = k + (int32_t)i->r;
        const Ins *b = &f->code[t];
        if (b->op >= INS_BEQ && b->op <= INS_BSGE64I) {
            *i = *b;
            i->r = (uint32_t)((int32_t)b->r + (int32_t)(t - k));
            i->c = (uint32_t)((int32_t)b->c + (int32_t)(t - k));
        } else if (b->op == INS_CBR) {
            *i = *b;
            i->r = (uint32_t)((int32_t)b->r + (int32_t)(t - k));
            i->b = (uint32_t)((int32_t)b->b + (int32_t)(t - k));
        }
    }
    /* Returns of a function without allocas skip dropping them. */
    for (uint32_t k = 0; k < d.ncode && f->has_alloca; k++) {
        Ins *i = &f->code[k];
        if (i->op >= INS_RET0 && i->op <= INS_RETP)
            i->op += INS_RETA0 - INS_RET0;
    }
    /* Thread: opcode numbers become handler addresses. */
    const void *const *h = interp_handlers();
    for (uint32_t k = 0; k < d.ncode; k++)
        f->code[k].h = h[f->code[k].op];
out:
    free(label_pos);
    free(d.slot);
    free(d.uses);
    free(d.consts);
    free(d.cwords);
    free(d.code);
    free(d.stubs);
    free(d.fix);
    return !d.bad;
oom:
    free(d.slot);
    free(d.uses);
    snprintf(err, errlen, "out of memory decoding '@%s'", f->name);
    return false;
}
