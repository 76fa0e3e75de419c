/* types.c - facts about IR types, opcodes and predicates, all derived
 * from the tables in ir.h and opcodes.def. */
#include "ir.h"

#include <stdlib.h>

const IrOpInfo ir_op_info[IR_OPCODE_COUNT] = {
#define OP(e, text, form, tc, cv) [IR_##e] = {text, form, tc, cv},
#include "opcodes.def"
#undef OP
};

static const char *const type_names[IR_TYPE_COUNT] = {
    "void", "i1", "i8", "i16", "i32", "i64", "f32", "f64", "ptr",
};

const char *ir_type_name(IrType t)
{
    return (unsigned)t < IR_TYPE_COUNT ? type_names[t] : "?";
}

unsigned ir_type_bits(IrType t)
{
    static const unsigned bits[IR_TYPE_COUNT] = {0, 1, 8, 16, 32, 64, 32, 64, 64};
    return (unsigned)t < IR_TYPE_COUNT ? bits[t] : 0;
}

unsigned ir_type_size(IrType t)
{
    return t == IR_I1 ? 1 : ir_type_bits(t) / 8;
}

bool ir_type_is_int(IrType t) { return t >= IR_I1 && t <= IR_I64; }
bool ir_type_is_float(IrType t) { return t == IR_F32 || t == IR_F64; }

uint64_t ir_type_mask(IrType t)
{
    unsigned b = ir_type_bits(t);
    return b >= 64 ? UINT64_MAX : (UINT64_C(1) << b) - 1;
}

bool ir_op_is_terminator(IrOpcode op)
{
    switch (ir_op_info[op].form) {
    case IR_FORM_BR: case IR_FORM_CONDBR: case IR_FORM_SWITCH:
    case IR_FORM_RET: case IR_FORM_TRAP:
        return true;
    default:
        return false;
    }
}

bool ir_op_has_result(IrOpcode op)
{
    switch (ir_op_info[op].form) {
    case IR_FORM_STORE: case IR_FORM_MEMCPY: case IR_FORM_MEMSET:
        return false;
    default:
        return !ir_op_is_terminator(op);
    }
}

const char *ir_icond_name(IrICond c)
{
    static const char *const names[] = {
#define X(e, s) s,
        IR_ICMP_CONDS(X)
#undef X
    };
    return (unsigned)c < IR_ICMP_COUNT ? names[c] : "?";
}

const char *ir_fcond_name(IrFCond c)
{
    static const char *const names[] = {
#define X(e, s) s,
        IR_FCMP_CONDS(X)
#undef X
    };
    return (unsigned)c < IR_FCMP_COUNT ? names[c] : "?";
}

uint64_t ir_field_align(const IrField *f)
{
    switch (f->kind) {
    case IR_FIELD_CONST: return ir_type_size(f->type);
    case IR_FIELD_SYMREF: return 8;
    default: return 1;
    }
}

static uint64_t field_size(const IrField *f)
{
    switch (f->kind) {
    case IR_FIELD_CONST: return ir_type_size(f->type);
    case IR_FIELD_SYMREF: return 8;
    default: return f->len;
    }
}

uint64_t ir_data_size(const IrData *d)
{
    uint64_t off = 0;
    for (uint32_t i = 0; i < d->nfields; i++) {
        uint64_t a = ir_field_align(&d->fields[i]);
        off = (off + a - 1) / a * a + field_size(&d->fields[i]);
    }
    return off;
}

uint64_t ir_data_align(const IrData *d)
{
    uint64_t a = 1;
    for (uint32_t i = 0; i < d->nfields; i++)
        if (ir_field_align(&d->fields[i]) > a)
            a = ir_field_align(&d->fields[i]);
    return a;
}

IrCtx *ir_ctx_new(void) { return calloc(1, sizeof(IrCtx)); }

void ir_ctx_free(IrCtx *ctx)
{
    if (!ctx)
        return;
    ir_ctx_clear_errors(ctx);
    free(ctx);
}

bool ir_icmp_eval(IrICond c, IrType t, uint64_t a, uint64_t b)
{
    unsigned w = ir_type_bits(t);
    uint64_t m = ir_type_mask(t);
    a &= m;
    b &= m;
    /* Sign-extended copies for the signed conditions. */
    uint64_t sign = w < 64 ? (uint64_t)1 << (w - 1) : 0;
    int64_t sa = (int64_t)(w < 64 ? (a ^ sign) - sign : a);
    int64_t sb = (int64_t)(w < 64 ? (b ^ sign) - sign : b);
    switch (c) {
    case IR_ICMP_EQ: return a == b;
    case IR_ICMP_NE: return a != b;
    case IR_ICMP_SLT: return sa < sb;
    case IR_ICMP_SLE: return sa <= sb;
    case IR_ICMP_SGT: return sa > sb;
    case IR_ICMP_SGE: return sa >= sb;
    case IR_ICMP_ULT: return a < b;
    case IR_ICMP_ULE: return a <= b;
    case IR_ICMP_UGT: return a > b;
    default: return a >= b;
    }
}
