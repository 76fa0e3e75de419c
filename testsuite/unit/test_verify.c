/* test_verify.c - the verifier (ir/verify.c) and the dominator tree
 * (ir/dominators.c), on modules built through the builder API.
 *
 * Each invalid module breaks exactly one rule of docs/ir.md ("Verifier
 * rules"); the test asserts that ir_verify() fails with exactly one error
 * and the exact message. API-built modules have no line numbers, so the
 * messages name the function and block. Valid modules include the tricky
 * cases of dominance: loops, diamonds and blocks that dominate although
 * they come later in the text. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dominators.h"
#include "tests.h"

#define ERR "<input>: error: "
#define IN(fn, blk) ERR "in '@" fn "', block '" blk "': "

/* ---- helpers ---- */

static IrModule *new_module(void)
{
    IrCtx *ctx = ir_ctx_new();
    ck_assert_ptr_nonnull(ctx);
    return ir_module_new(ctx, "t");
}

static void free_module(IrModule *m)
{
    IrCtx *ctx = m->ctx;
    ir_module_free(m);
    ir_ctx_free(ctx);
}

static void expect_ok(IrModule *m)
{
    bool ok = ir_verify(m);
    ck_assert_msg(ok, "unexpected error: %s", m->ctx->first_error ? m->ctx->first_error : "?");
    ck_assert_uint_eq(m->ctx->nerrors, 0);
    free_module(m);
}

/* Exactly one error, with this message. */
static void expect_error(IrModule *m, const char *msg)
{
    ck_assert(!ir_verify(m));
    ck_assert_ptr_nonnull(m->ctx->first_error);
    ck_assert_str_eq(m->ctx->first_error, msg);
    ck_assert_uint_eq(m->ctx->nerrors, 1);
    free_module(m);
}

static IrOperand V(const IrFunc *f, uint32_t v) { return ir_opd_value(f, v); }
static IrOperand I64(uint64_t x) { return ir_opd_int(IR_I64, x); }
static IrOperand I32(uint64_t x) { return ir_opd_int(IR_I32, x); }

/* func @f(i64 %a) -> i64 { entry: ... } with the entry block ready. */
typedef struct Fx {
    IrModule *m;
    IrFunc *f;
    IrBlock *entry;
    uint32_t a; /* the parameter %a */
} Fx;

static Fx fx_new(IrType ret, unsigned attrs)
{
    Fx x;
    x.m = new_module();
    x.f = ir_func_new(x.m, "f", ret, attrs);
    x.a = ir_func_add_param(x.m, x.f, IR_I64, "a");
    x.entry = ir_block_new(x.m, x.f, "entry");
    return x;
}

static void ret_val(IrModule *m, IrBlock *b, IrOperand v) { ir_build_ret(m, b, &v); }

static IrTarget to(IrModule *m, uint32_t block) { return ir_target(m, block, 0, NULL); }

static IrTarget to1(IrModule *m, uint32_t block, IrOperand a)
{
    return ir_target(m, block, 1, &a);
}

/* ---- valid modules ---- */

/* The spec's factorial: a loop carried by block parameters. */
START_TEST(valid_fact)
{
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "fact", IR_I64, 0);
    uint32_t n = ir_func_add_param(m, f, IR_I64, "n");
    IrBlock *entry = ir_block_new(m, f, "entry");
    IrBlock *loop = ir_block_new(m, f, "loop");
    uint32_t i = ir_block_add_param(m, f, loop, IR_I64, "i");
    uint32_t acc = ir_block_add_param(m, f, loop, IR_I64, "acc");
    IrBlock *body = ir_block_new(m, f, "body");
    IrBlock *done = ir_block_new(m, f, "done");
    uint32_t r = ir_block_add_param(m, f, done, IR_I64, "r");
    ir_build_br(m, entry, ir_target(m, 1, 2, (IrOperand[]){V(f, n), I64(1)}));
    uint32_t z = ir_build_icmp(m, f, loop, IR_ICMP_EQ, IR_I64, V(f, i), I64(0), "z");
    ir_build_condbr(m, loop, V(f, z), to1(m, 3, V(f, acc)), to(m, 2));
    uint32_t acc2 = ir_build_binary(m, f, body, IR_MUL, IR_I64, V(f, acc), V(f, i), "acc2");
    uint32_t i2 = ir_build_binary(m, f, body, IR_SUB, IR_I64, V(f, i), I64(1), "i2");
    ir_build_br(m, body, ir_target(m, 1, 2, (IrOperand[]){V(f, i2), V(f, acc2)}));
    ret_val(m, done, V(f, r));

    IrFunc *mainf = ir_func_new(m, "main", IR_I32, IR_ATTR_EXPORT);
    IrBlock *b = ir_block_new(m, mainf, "entry");
    IrOperand five = I64(5);
    uint32_t x = ir_build_call(m, mainf, b, 0, 1, &five, "x");
    uint32_t t = ir_build_conv(m, mainf, b, IR_TRUNC, IR_I64, V(mainf, x), IR_I32, "t");
    ret_val(m, b, V(mainf, t));
    expect_ok(m);
}
END_TEST

/* entry -> {left, right} -> join(phi); entry's values reach the join. */
START_TEST(valid_diamond)
{
    Fx x = fx_new(IR_I64, 0);
    IrModule *m = x.m;
    IrFunc *f = x.f;
    IrBlock *left = ir_block_new(m, f, "left");
    IrBlock *right = ir_block_new(m, f, "right");
    IrBlock *join = ir_block_new(m, f, "join");
    uint32_t p = ir_block_add_param(m, f, join, IR_I64, "p");
    uint32_t c = ir_build_icmp(m, f, x.entry, IR_ICMP_SLT, IR_I64, V(f, x.a), I64(0), "c");
    uint32_t k = ir_build_binary(m, f, x.entry, IR_ADD, IR_I64, V(f, x.a), I64(7), "k");
    ir_build_condbr(m, x.entry, V(f, c), to(m, 1), to(m, 2));
    uint32_t l = ir_build_binary(m, f, left, IR_SUB, IR_I64, I64(0), V(f, k), "l");
    ir_build_br(m, left, to1(m, 3, V(f, l)));
    ir_build_br(m, right, to1(m, 3, V(f, k)));
    uint32_t s = ir_build_binary(m, f, join, IR_ADD, IR_I64, V(f, p), V(f, k), "s");
    ret_val(m, join, V(f, s));
    expect_ok(m);
}
END_TEST

/* Blocks later in the text can dominate earlier ones:
 * entry -> def (last in text) -> use (second in text). */
START_TEST(valid_forward_in_text)
{
    Fx x = fx_new(IR_I64, 0);
    IrModule *m = x.m;
    IrFunc *f = x.f;
    IrBlock *use = ir_block_new(m, f, "use");
    IrBlock *def = ir_block_new(m, f, "def");
    ir_build_br(m, x.entry, to(m, 2));
    uint32_t d = ir_func_new_value(m, f, IR_I64, "d"); /* used before it is built */
    uint32_t u = ir_build_binary(m, f, use, IR_MUL, IR_I64, V(f, d), V(f, d), "u");
    ret_val(m, use, V(f, u));
    IrInst *in = ir_inst_append(m, def, IR_ADD);
    in->type = IR_I64;
    in->nopd = 2;
    in->opd = arena_memdup(&m->arena, (IrOperand[]){V(f, x.a), I64(1)}, 2 * sizeof(IrOperand));
    in->result = d;
    ir_build_br(m, def, to(m, 1));
    expect_ok(m);
}
END_TEST

/* Nested loops: the inner body uses values of the outer header and of
 * the entry; the back edges pass them around. */
START_TEST(valid_nested_loops)
{
    Fx x = fx_new(IR_I64, 0);
    IrModule *m = x.m;
    IrFunc *f = x.f;
    IrBlock *outer = ir_block_new(m, f, "outer");
    uint32_t i = ir_block_add_param(m, f, outer, IR_I64, "i");
    IrBlock *inner = ir_block_new(m, f, "inner");
    uint32_t j = ir_block_add_param(m, f, inner, IR_I64, "j");
    IrBlock *latch = ir_block_new(m, f, "latch");
    IrBlock *exit = ir_block_new(m, f, "exit");
    uint32_t lim = ir_build_binary(m, f, x.entry, IR_ADD, IR_I64, V(f, x.a), I64(1), "lim");
    ir_build_br(m, x.entry, to1(m, 1, I64(0)));
    uint32_t oc = ir_build_icmp(m, f, outer, IR_ICMP_ULT, IR_I64, V(f, i), V(f, lim), "oc");
    ir_build_condbr(m, outer, V(f, oc), to1(m, 2, I64(0)), to(m, 4));
    uint32_t j2 = ir_build_binary(m, f, inner, IR_ADD, IR_I64, V(f, j), V(f, i), "j2");
    uint32_t ic = ir_build_icmp(m, f, inner, IR_ICMP_ULT, IR_I64, V(f, j2), V(f, lim), "ic");
    ir_build_condbr(m, inner, V(f, ic), to1(m, 2, V(f, j2)), to(m, 3));
    uint32_t i2 = ir_build_binary(m, f, latch, IR_ADD, IR_I64, V(f, i), I64(1), "i2");
    ir_build_br(m, latch, to1(m, 1, V(f, i2)));
    ret_val(m, exit, V(f, i));
    expect_ok(m);
}
END_TEST

/* An unreachable block must be well typed, but its uses of values from
 * other blocks are not subject to dominance (docs/ir.md). */
START_TEST(valid_unreachable_use)
{
    Fx x = fx_new(IR_I64, 0);
    IrModule *m = x.m;
    IrFunc *f = x.f;
    IrBlock *a = ir_block_new(m, f, "a");
    IrBlock *dead = ir_block_new(m, f, "dead");
    ret_val(m, x.entry, V(f, x.a));
    uint32_t y = ir_build_binary(m, f, a, IR_ADD, IR_I64, V(f, x.a), I64(2), "y");
    ret_val(m, a, V(f, y));
    uint32_t z = ir_build_binary(m, f, dead, IR_MUL, IR_I64, V(f, y), V(f, x.a), "z");
    ret_val(m, dead, V(f, z));
    expect_ok(m);
}
END_TEST

/* Every instruction form used correctly. */
START_TEST(valid_every_form)
{
    IrModule *m = new_module();
    IrType pt[] = {IR_PTR};
    uint32_t printf_ = m->nitems;
    ir_extern_new(m, "printf", IR_I32, 1, pt, true);
    uint32_t puts_ = m->nitems;
    ir_extern_new(m, "puts", IR_I32, 1, pt, false);
    uint32_t msg = m->nitems;
    IrData *d = ir_data_new(m, "msg", false);
    ir_data_add_bytes(m, d, "hi %d %f\n", 10);
    uint32_t tbl = m->nitems;
    IrData *t = ir_data_new(m, "tbl", false);
    ir_data_add_const(m, t, IR_I32, 1);
    ir_data_add_const(m, t, IR_F64, 0x3ff0000000000000u);
    ir_data_add_symref(m, t, msg);
    ir_data_add_symref(m, t, puts_);
    ir_data_add_zero(m, t, 3);
    uint32_t g_ = m->nitems;
    IrFunc *g = ir_func_new(m, "g", IR_VOID, 0);
    ir_build_ret(m, ir_block_new(m, g, "entry"), NULL);

    IrFunc *f = ir_func_new(m, "f", IR_VOID, IR_ATTR_UNSAFE | IR_ATTR_NOINLINE);
    uint32_t x = ir_func_add_param(m, f, IR_I32, "x");
    uint32_t y = ir_func_add_param(m, f, IR_F64, "y");
    IrBlock *b = ir_block_new(m, f, "entry");
    IrBlock *b2 = ir_block_new(m, f, "two");
    IrBlock *b3 = ir_block_new(m, f, "three");
    uint32_t b3p = ir_block_add_param(m, f, b3, IR_I8, "bq");
    IrBlock *b4 = ir_block_new(m, f, "four");
    for (int op = IR_ADD; op <= IR_MULCU; op++)
        ir_build_binary(m, f, b, (IrOpcode)op, IR_I32, V(f, x), I32(3), NULL);
    for (int op = IR_FADD; op <= IR_FDIV; op++)
        ir_build_binary(m, f, b, (IrOpcode)op, IR_F64, V(f, y), ir_opd_f64(2.5), NULL);
    ir_build_unary(m, f, b, IR_FNEG, IR_F64, V(f, y), NULL);
    uint32_t fl = ir_build_conv(m, f, b, IR_FPTRUNC, IR_F64, V(f, y), IR_F32, "fl");
    ir_build_unary(m, f, b, IR_FSQRT, IR_F32, V(f, fl), NULL);
    ir_build_icmp(m, f, b, IR_ICMP_UGE, IR_PTR, ir_opd_symbol(msg), ir_opd_symbol(tbl), NULL);
    uint32_t c = ir_build_fcmp(m, f, b, IR_FCMP_UNO, IR_F32, V(f, fl), ir_opd_f32(1), "c");
    ir_build_select(m, f, b, IR_PTR, V(f, c), ir_opd_symbol(msg), ir_opd_symbol(g_), NULL);
    ir_build_select(m, f, b, IR_I1, V(f, c), ir_opd_int(IR_I1, 1), V(f, c), NULL);
    uint32_t w = ir_build_conv(m, f, b, IR_SEXT, IR_I32, V(f, x), IR_I64, "w");
    ir_build_conv(m, f, b, IR_ZEXT, IR_I1, V(f, c), IR_I8, NULL);
    ir_build_conv(m, f, b, IR_TRUNC, IR_I64, V(f, w), IR_I1, NULL);
    ir_build_conv(m, f, b, IR_SITOFP, IR_I64, V(f, w), IR_F32, NULL);
    ir_build_conv(m, f, b, IR_UITOFP, IR_I8, ir_opd_int(IR_I8, 200), IR_F64, NULL);
    ir_build_conv(m, f, b, IR_FPTOSI, IR_F32, V(f, fl), IR_I16, NULL);
    ir_build_conv(m, f, b, IR_FPTOUI, IR_F64, V(f, y), IR_I64, NULL);
    ir_build_conv(m, f, b, IR_FPEXT, IR_F32, V(f, fl), IR_F64, NULL);
    ir_build_conv(m, f, b, IR_BITCAST, IR_F64, V(f, y), IR_I64, NULL);
    ir_build_conv(m, f, b, IR_BITCAST, IR_I32, V(f, x), IR_F32, NULL);
    uint32_t pi = ir_build_conv(m, f, b, IR_PTRTOINT, IR_PTR, ir_opd_symbol(msg), IR_I64, "pi");
    ir_build_conv(m, f, b, IR_INTTOPTR, IR_I64, V(f, pi), IR_PTR, NULL);
    uint32_t p = ir_build_alloca(m, f, b, 64, 16, "p");
    ir_build_alloca(m, f, b, 0, 1, NULL);
    ir_build_alloca(m, f, b, 8, 4096, NULL);
    uint32_t l = ir_build_load(m, f, b, IR_I1, V(f, p), "l");
    ir_build_store(m, b, IR_I1, V(f, l), V(f, p));
    ir_build_store(m, b, IR_PTR, ir_opd_symbol(msg), V(f, p));
    ir_build_store(m, b, IR_F32, ir_opd_f32(0.5f), V(f, p));
    uint32_t q = ir_build_ptradd(m, f, b, V(f, p), I64(8), "q");
    ir_build_memcpy(m, b, V(f, q), ir_opd_symbol(msg), I64(4));
    ir_build_memset(m, b, V(f, p), ir_opd_int(IR_I8, 0), V(f, w));
    IrOperand args[] = {ir_opd_symbol(msg), I32(1), V(f, y), V(f, w), V(f, p)};
    ir_build_call(m, f, b, printf_, 5, args, NULL);
    ir_build_call(m, f, b, printf_, 1, args, NULL);
    ir_build_call(m, f, b, g_, 0, NULL, NULL);
    ir_build_call_ind(m, f, b, ir_opd_symbol(g_), 0, NULL, IR_VOID, NULL);
    IrOperand iargs[] = {V(f, w), ir_opd_f32(1)};
    ir_build_call_ind(m, f, b, V(f, q), 2, iargs, IR_F64, "r");
    ir_build_call_ind(m, f, b, V(f, q), 2, iargs, IR_I8, NULL);
    uint64_t keys[] = {1, 2, 0xffffffff};
    IrTarget tg[] = {to(m, 1), to1(m, 2, ir_opd_int(IR_I8, 5)), to(m, 3)};
    ir_build_switch(m, b, IR_I32, V(f, x), to(m, 3), 3, keys, tg);
    ir_build_trap(m, b2, "boom", 4);
    uint32_t cc = ir_build_icmp(m, f, b3, IR_ICMP_EQ, IR_I8, V(f, b3p), ir_opd_int(IR_I8, 255), "cc");
    ir_build_condbr(m, b3, V(f, cc), to(m, 3), to(m, 3));
    ir_build_ret(m, b4, NULL);
    expect_ok(m);
}
END_TEST

START_TEST(valid_main_argc_argv_and_variants)
{
    IrModule *m = new_module();
    IrFunc *mf = ir_func_new(m, "main", IR_I32, IR_ATTR_EXPORT);
    uint32_t argc = ir_func_add_param(m, mf, IR_I32, "argc");
    ir_func_add_param(m, mf, IR_PTR, "argv");
    ret_val(m, ir_block_new(m, mf, "entry"), V(mf, argc));
    /* per-target variants of @f: one before the portable one, one after */
    const char *targets[] = {"x86_64", NULL, "rv64"};
    for (int i = 0; i < 3; i++) {
        IrFunc *f = ir_func_new(m, "f", IR_I64, IR_ATTR_DEADLINE);
        f->deadline = 100;
        f->target = targets[i];
        uint32_t a = ir_func_add_param(m, f, IR_I64, "a");
        ret_val(m, ir_block_new(m, f, "entry"), V(f, a));
    }
    IrData *d = ir_data_new(m, "ref", true);
    ir_data_add_symref(m, d, ir_module_find(m, "f"));
    expect_ok(m);
}
END_TEST

/* A call's non-void result may be discarded. */
START_TEST(valid_discarded_result)
{
    Fx x = fx_new(IR_I64, 0);
    IrOperand a = V(x.f, x.a);
    IrInst *in = ir_inst_append(x.m, x.entry, IR_CALL);
    in->type = IR_I64;
    in->nopd = 2;
    in->opd = arena_memdup(&x.m->arena, (IrOperand[]){ir_opd_symbol(0), a}, 2 * sizeof a);
    ret_val(x.m, x.entry, a);
    expect_ok(x.m);
}
END_TEST

/* Names of values and blocks are only for people: repeated or unusable
 * ones are fine (the printer renames them); symbol names are checked. */
START_TEST(valid_cosmetic_names)
{
    Fx x = fx_new(IR_I64, 0);
    IrBlock *b = ir_block_new(x.m, x.f, "entry");
    IrBlock *c = ir_block_new(x.m, x.f, "12");
    uint32_t a2 = ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), "a");
    uint32_t a3 = ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, a2), I64(1), "a b");
    ir_build_br(x.m, x.entry, to(x.m, 1));
    ir_build_br(x.m, b, to(x.m, 2));
    ret_val(x.m, c, V(x.f, a3));
    expect_ok(x.m);
}
END_TEST

/* Values left without a definition and without a use (as dead-code
 * elimination leaves them) are fine. */
START_TEST(valid_orphan_value)
{
    Fx x = fx_new(IR_I64, 0);
    ir_func_new_value(x.m, x.f, IR_I32, "gone");
    ir_func_new_value(x.m, x.f, IR_I32, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_ok(x.m);
}
END_TEST

/* ---- items ---- */

START_TEST(item_duplicate_symbol)
{
    IrModule *m = new_module();
    ir_data_new(m, "f", false);
    IrFunc *f = ir_func_new(m, "f", IR_VOID, 0);
    ir_build_ret(m, ir_block_new(m, f, "entry"), NULL);
    expect_error(m, ERR "duplicate symbol '@f'");
}
END_TEST

START_TEST(item_invalid_name)
{
    IrModule *m = new_module();
    ir_data_new(m, "a b", false);
    expect_error(m, ERR "invalid symbol name '@a b'");
}
END_TEST

static IrFunc *add_variant(IrModule *m, const char *target, IrType pt)
{
    IrFunc *f = ir_func_new(m, "f", IR_VOID, 0);
    f->target = target;
    ir_func_add_param(m, f, pt, "p");
    ir_build_ret(m, ir_block_new(m, f, "entry"), NULL);
    return f;
}

START_TEST(item_variant_without_portable)
{
    IrModule *m = new_module();
    add_variant(m, "x86_64", IR_I64);
    expect_error(m, ERR "target variant 'x86_64' of '@f' has no portable function");
}
END_TEST

START_TEST(item_variant_signature)
{
    IrModule *m = new_module();
    add_variant(m, NULL, IR_I64);
    add_variant(m, "rv64", IR_I32);
    expect_error(m, ERR "target variant 'rv64' of '@f' has a different signature");
}
END_TEST

START_TEST(item_variant_duplicate)
{
    IrModule *m = new_module();
    add_variant(m, "rv64", IR_I64);
    add_variant(m, NULL, IR_I64);
    add_variant(m, "rv64", IR_I64);
    expect_error(m, ERR "duplicate target variant 'rv64' of '@f'");
}
END_TEST

START_TEST(item_extern_with_body)
{
    IrModule *m = new_module();
    IrFunc *f = ir_extern_new(m, "e", IR_VOID, 0, NULL, false);
    ir_build_ret(m, ir_block_new(m, f, "entry"), NULL);
    expect_error(m, ERR "extern function '@e' has a body");
}
END_TEST

START_TEST(item_no_blocks)
{
    IrModule *m = new_module();
    ir_func_new(m, "f", IR_VOID, 0);
    expect_error(m, ERR "function '@f' has no blocks");
}
END_TEST

START_TEST(item_variadic_defined)
{
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "f", IR_VOID, IR_ATTR_VARIADIC);
    ir_build_ret(m, ir_block_new(m, f, "entry"), NULL);
    expect_error(m, ERR "'@f' is variadic, but only extern functions can be");
}
END_TEST

START_TEST(item_main_signature)
{
    static const IrType sigs[][3] = {
        {IR_I64, IR_VOID, IR_VOID},  /* () -> i64 */
        {IR_I32, IR_I64, IR_PTR},    /* (i64, ptr) -> i32 */
        {IR_I32, IR_I32, IR_VOID},   /* (i32) -> i32 */
        {IR_VOID, IR_VOID, IR_VOID}, /* () */
    };
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        IrModule *m = new_module();
        IrFunc *f = ir_func_new(m, "main", sigs[k][0], IR_ATTR_EXPORT);
        for (int i = 1; i < 3; i++)
            if (sigs[k][i] != IR_VOID)
                ir_func_add_param(m, f, sigs[k][i], NULL);
        IrBlock *b = ir_block_new(m, f, "entry");
        if (sigs[k][0] == IR_VOID)
            ir_build_ret(m, b, NULL);
        else
            ret_val(m, b, ir_opd_int(sigs[k][0], 0));
        expect_error(m, ERR "'@main' must have type () -> i32 or (i32, ptr) -> i32");
    }
}
END_TEST

START_TEST(item_main_data)
{
    IrModule *m = new_module();
    ir_data_new(m, "main", false);
    expect_error(m, ERR "'@main' must be a function");
}
END_TEST

START_TEST(item_deadline)
{
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "f", IR_VOID, IR_ATTR_DEADLINE);
    ir_build_ret(m, ir_block_new(m, f, "entry"), NULL);
    expect_error(m, ERR "the deadline of '@f' must be at least 1 cycle");

    m = new_module();
    f = ir_func_new(m, "f", IR_VOID, 0);
    f->deadline = 5;
    ir_build_ret(m, ir_block_new(m, f, "entry"), NULL);
    expect_error(m, ERR "'@f' has a deadline value but no deadline attribute");
}
END_TEST

START_TEST(item_data_fields)
{
    IrModule *m = new_module();
    IrData *d = ir_data_new(m, "d", false);
    ir_data_add_symref(m, d, 7);
    expect_error(m, ERR "field 1 of '@d' refers to symbol #7, which does not exist");

    m = new_module();
    d = ir_data_new(m, "d", true);
    ir_data_add_const(m, d, IR_I8, 1);
    ir_data_add_const(m, d, IR_PTR, 0);
    expect_error(m, ERR "field 2 of '@d' is a constant of type ptr; constants must have an "
                        "integer or float type");

    m = new_module();
    d = ir_data_new(m, "d", false);
    ir_data_add_const(m, d, IR_I8, 1);
    d->fields[0].bits = 0x100;
    expect_error(m, ERR "field 1 of '@d': constant 0x100 does not fit in i8");
}
END_TEST

/* ---- types of operands and results ---- */

START_TEST(type_binary_class)
{
    Fx x = fx_new(IR_I64, 0);
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_F64, ir_opd_f64(1), ir_opd_f64(2), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'add' requires an integer type, got f64");

    x = fx_new(IR_I64, 0);
    ir_build_binary(x.m, x.f, x.entry, IR_FMUL, IR_I64, V(x.f, x.a), V(x.f, x.a), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'fmul' requires a float type, got i64");

    x = fx_new(IR_I64, 0);
    ir_build_unary(x.m, x.f, x.entry, IR_FNEG, IR_PTR, ir_opd_symbol(0), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'fneg' requires a float type, got ptr");
}
END_TEST

START_TEST(type_binary_operand)
{
    Fx x = fx_new(IR_I64, 0);
    uint32_t t = ir_build_conv(x.m, x.f, x.entry, IR_TRUNC, IR_I64, V(x.f, x.a), IR_I32, "t");
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), V(x.f, t), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '%t' has type i32, expected i64");

    /* the operand's recorded type must match the value's own */
    x = fx_new(IR_I64, 0);
    IrOperand o = V(x.f, x.a);
    o.type = IR_I32;
    ir_build_binary(x.m, x.f, x.entry, IR_SUB, IR_I64, V(x.f, x.a), o, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '%a' is written as i32, but has type i64");

    x = fx_new(IR_I64, 0);
    ir_build_binary(x.m, x.f, x.entry, IR_XOR, IR_I64, V(x.f, x.a), I32(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand has type i32, expected i64");

    x = fx_new(IR_I64, 0);
    IrOperand big = I32(1);
    big.bits = 0x100000000u;
    ir_build_binary(x.m, x.f, x.entry, IR_AND, IR_I32, big, I32(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant 0x100000000 does not fit in i32");
}
END_TEST

START_TEST(type_result)
{
    Fx x = fx_new(IR_I64, 0);
    uint32_t r = ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), "r");
    x.f->vals[r].type = IR_I32;
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "result '%r' of 'add' has type i32, expected i64");

    x = fx_new(IR_I64, 0);
    IrInst *in = ir_inst_append(x.m, x.entry, IR_MUL);
    in->type = IR_I64;
    in->nopd = 2;
    in->opd = arena_memdup(&x.m->arena, (IrOperand[]){I64(1), I64(2)}, 2 * sizeof(IrOperand));
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'mul' needs a result");

    x = fx_new(IR_I64, 0);
    ir_build_store(x.m, x.entry, IR_I64, V(x.f, x.a), ir_opd_symbol(0));
    x.entry->insts[0].result = ir_func_new_value(x.m, x.f, IR_I64, "s");
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'store' cannot have a result");
}
END_TEST

START_TEST(type_icmp_fcmp)
{
    Fx x = fx_new(IR_I64, 0);
    ir_build_icmp(x.m, x.f, x.entry, IR_ICMP_EQ, IR_F64, ir_opd_f64(1), ir_opd_f64(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'icmp' requires an integer or ptr type, got f64");

    x = fx_new(IR_I64, 0);
    ir_build_fcmp(x.m, x.f, x.entry, IR_FCMP_OLT, IR_I64, V(x.f, x.a), I64(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'fcmp' requires a float type, got i64");

    x = fx_new(IR_I64, 0);
    ir_build_icmp(x.m, x.f, x.entry, IR_ICMP_EQ, IR_PTR, ir_opd_symbol(0), I64(0), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand must be a ptr value, not a constant");

    x = fx_new(IR_I64, 0);
    uint32_t c = ir_build_icmp(x.m, x.f, x.entry, IR_ICMP_EQ, IR_I64, V(x.f, x.a), I64(0), "c");
    x.f->vals[c].type = IR_I64;
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "result '%c' of 'icmp' has type i64, expected i1");

    x = fx_new(IR_I64, 0);
    uint32_t d = ir_build_icmp(x.m, x.f, x.entry, IR_ICMP_EQ, IR_I64, V(x.f, x.a), I64(0), "d");
    x.entry->insts[0].cond = IR_ICMP_COUNT;
    (void)d;
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "invalid 'icmp' condition 10");
}
END_TEST

START_TEST(type_select)
{
    Fx x = fx_new(IR_I64, 0);
    ir_build_select(x.m, x.f, x.entry, IR_I64, V(x.f, x.a), I64(1), I64(2), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "the condition of 'select' has type i64, expected i1");

    x = fx_new(IR_I64, 0);
    ir_build_select(x.m, x.f, x.entry, IR_I64, ir_opd_int(IR_I1, 1), I64(1), ir_opd_f64(2), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand has type f64, expected i64");
}
END_TEST

static void conv_case(IrOpcode op, IrType from, IrType to_, unsigned attrs, const char *msg)
{
    Fx x = fx_new(IR_I64, attrs);
    IrOperand a = from == IR_PTR ? ir_opd_symbol(0)
                  : ir_type_is_float(from) ? ir_opd_f64(0)
                                           : ir_opd_int(from, 0);
    a.type = (uint8_t)from;
    ir_build_conv(x.m, x.f, x.entry, op, from, a, to_, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    if (msg)
        expect_error(x.m, msg);
    else
        expect_ok(x.m);
}

START_TEST(type_conversions)
{
    const unsigned U = IR_ATTR_UNSAFE;
    conv_case(IR_ZEXT, IR_I64, IR_I32, 0,
              IN("f", "entry") "invalid 'zext' from i64 to i32: the result must be a wider "
                               "integer type");
    conv_case(IR_SEXT, IR_I32, IR_I32, 0,
              IN("f", "entry") "invalid 'sext' from i32 to i32: the result must be a wider "
                               "integer type");
    conv_case(IR_TRUNC, IR_I8, IR_I16, 0,
              IN("f", "entry") "invalid 'trunc' from i8 to i16: the result must be a narrower "
                               "integer type");
    conv_case(IR_SITOFP, IR_F32, IR_F64, 0,
              IN("f", "entry") "invalid 'sitofp' from f32 to f64: it converts an integer to "
                               "a float");
    conv_case(IR_FPTOUI, IR_I32, IR_F32, 0,
              IN("f", "entry") "invalid 'fptoui' from i32 to f32: it converts a float to an "
                               "integer");
    conv_case(IR_FPEXT, IR_F64, IR_F32, 0,
              IN("f", "entry") "invalid 'fpext' from f64 to f32: it converts f32 to f64");
    conv_case(IR_FPTRUNC, IR_F32, IR_F32, 0,
              IN("f", "entry") "invalid 'fptrunc' from f32 to f32: it converts f64 to f32");
    conv_case(IR_BITCAST, IR_I32, IR_F64, 0,
              IN("f", "entry") "invalid 'bitcast' from i32 to f64: both types must be integer "
                               "or float types of the same size");
    conv_case(IR_BITCAST, IR_PTR, IR_I64, 0,
              IN("f", "entry") "invalid 'bitcast' from ptr to i64: both types must be integer "
                               "or float types of the same size");
    conv_case(IR_PTRTOINT, IR_PTR, IR_I32, U,
              IN("f", "entry") "invalid 'ptrtoint' from ptr to i32: it converts ptr to i64");
    conv_case(IR_INTTOPTR, IR_I32, IR_PTR, U,
              IN("f", "entry") "invalid 'inttoptr' from i32 to ptr: it converts i64 to ptr");
    conv_case(IR_PTRTOINT, IR_PTR, IR_I64, 0,
              IN("f", "entry") "'ptrtoint' is only allowed in unsafe functions");
    conv_case(IR_INTTOPTR, IR_I64, IR_PTR, 0,
              IN("f", "entry") "'inttoptr' is only allowed in unsafe functions");
    conv_case(IR_PTRTOINT, IR_PTR, IR_I64, U, NULL);
    conv_case(IR_BITCAST, IR_F32, IR_I32, 0, NULL);
    conv_case(IR_ZEXT, IR_I1, IR_I64, 0, NULL);

    /* the operand is checked against T1 */
    Fx x = fx_new(IR_I64, 0);
    ir_build_conv(x.m, x.f, x.entry, IR_SEXT, IR_I32, V(x.f, x.a), IR_I64, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '%a' has type i64, expected i32");
}
END_TEST

START_TEST(type_memory)
{
    Fx x = fx_new(IR_I64, 0);
    ir_build_load(x.m, x.f, x.entry, IR_I32, V(x.f, x.a), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '%a' has type i64, expected ptr");

    x = fx_new(IR_I64, 0);
    ir_build_load(x.m, x.f, x.entry, IR_I32, I64(4096), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand must be a ptr value, not a constant");

    x = fx_new(IR_I64, 0);
    ir_build_load(x.m, x.f, x.entry, IR_VOID, ir_opd_symbol(0), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'load' requires a value type, got void");

    x = fx_new(IR_I64, 0);
    ir_build_store(x.m, x.entry, IR_I32, V(x.f, x.a), ir_opd_symbol(0));
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '%a' has type i64, expected i32");

    x = fx_new(IR_I64, 0);
    ir_build_ptradd(x.m, x.f, x.entry, ir_opd_symbol(0), I32(4), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand has type i32, expected i64");

    x = fx_new(IR_I64, 0);
    ir_build_memcpy(x.m, x.entry, ir_opd_symbol(0), ir_opd_symbol(0), I32(4));
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand has type i32, expected i64");

    x = fx_new(IR_I64, 0);
    ir_build_memset(x.m, x.entry, ir_opd_symbol(0), I32(0), V(x.f, x.a));
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "constant operand has type i32, expected i8");

    x = fx_new(IR_I64, 0);
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, ir_opd_symbol(0), I64(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '@f' has type ptr, expected i64");

    static const uint64_t bad_align[] = {0, 3, 8192, 24};
    for (int i = 0; i < 4; i++) {
        x = fx_new(IR_I64, 0);
        ir_build_alloca(x.m, x.f, x.entry, 8, bad_align[i], NULL);
        ret_val(x.m, x.entry, V(x.f, x.a));
        char msg[200];
        snprintf(msg, sizeof msg,
                 IN("f", "entry") "alloca alignment %llu is not a power of two from 1 to 4096",
                 (unsigned long long)bad_align[i]);
        expect_error(x.m, msg);
    }
}
END_TEST

/* ---- calls ---- */

/* @h(i64, ptr) -> i64 and @printf(ptr, ...) -> i32, then @f. */
static Fx call_fx(void)
{
    Fx x;
    x.m = new_module();
    IrFunc *h = ir_func_new(x.m, "h", IR_I64, 0);
    uint32_t p = ir_func_add_param(x.m, h, IR_I64, "p");
    ir_func_add_param(x.m, h, IR_PTR, "q");
    ret_val(x.m, ir_block_new(x.m, h, "entry"), V(h, p));
    ir_extern_new(x.m, "printf", IR_I32, 1, (IrType[]){IR_PTR}, true);
    IrData *d = ir_data_new(x.m, "tbl", false);
    ir_data_add_zero(x.m, d, 8);
    x.f = ir_func_new(x.m, "f", IR_I64, 0);
    x.a = ir_func_add_param(x.m, x.f, IR_I64, "a");
    x.entry = ir_block_new(x.m, x.f, "entry");
    return x;
}

enum { H, PRINTF, TBL };

START_TEST(call_rules)
{
    Fx x = call_fx();
    ir_build_call(x.m, x.f, x.entry, TBL, 0, NULL, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "call to '@tbl', which is not a function");

    x = call_fx();
    IrOperand one[] = {V(x.f, x.a)};
    ir_build_call(x.m, x.f, x.entry, H, 1, one, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "call to '@h' passes 1 argument, expected 2");

    x = call_fx();
    IrOperand three[] = {V(x.f, x.a), ir_opd_symbol(TBL), I64(0)};
    ir_build_call(x.m, x.f, x.entry, H, 3, three, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "call to '@h' passes 3 arguments, expected 2");

    x = call_fx();
    IrOperand swapped[] = {ir_opd_symbol(TBL), V(x.f, x.a)};
    ir_build_call(x.m, x.f, x.entry, H, 2, swapped, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "argument 1 of call to '@h' has type ptr, expected i64");

    x = call_fx();
    IrOperand ci[] = {I32(1), ir_opd_symbol(TBL)};
    ir_build_call(x.m, x.f, x.entry, H, 2, ci, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "argument 1 of call to '@h' has type i32, expected i64");

    x = call_fx();
    ir_build_call(x.m, x.f, x.entry, PRINTF, 0, NULL, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "call to '@printf' passes 0 arguments, expected at "
                                       "least 1");

    static const IrType bad_extra[] = {IR_I1, IR_I8, IR_I16, IR_F32};
    for (int i = 0; i < 4; i++) {
        x = call_fx();
        IrOperand va[] = {ir_opd_symbol(TBL), I64(1), ir_opd_int(bad_extra[i], 0)};
        if (bad_extra[i] == IR_F32)
            va[2] = ir_opd_f32(1);
        ir_build_call(x.m, x.f, x.entry, PRINTF, 3, va, NULL);
        ret_val(x.m, x.entry, V(x.f, x.a));
        char msg[300];
        snprintf(msg, sizeof msg,
                 IN("f", "entry") "variadic argument 3 of call to '@printf' has type %s; "
                                  "only i32, i64, f64 and ptr can be passed",
                 ir_type_name(bad_extra[i]));
        expect_error(x.m, msg);
    }

    /* a result for a callee that returns nothing */
    x = call_fx();
    IrFunc *v = ir_func_new(x.m, "v", IR_VOID, 0);
    ir_build_ret(x.m, ir_block_new(x.m, v, "entry"), NULL);
    IrInst *in = ir_inst_append(x.m, x.entry, IR_CALL);
    in->nopd = 1;
    in->opd = arena_memdup(&x.m->arena, (IrOperand[]){ir_opd_symbol(4)}, sizeof(IrOperand));
    in->result = ir_func_new_value(x.m, x.f, IR_I64, "r");
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "call to '@v' cannot have a result: '@v' returns "
                                       "nothing");

    x = call_fx();
    IrOperand ok[] = {V(x.f, x.a), ir_opd_symbol(TBL)};
    uint32_t r = ir_build_call(x.m, x.f, x.entry, H, 2, ok, "r");
    x.f->vals[r].type = IR_I32;
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "result '%r' of 'call' has type i32, expected i64");

    x = call_fx();
    ir_build_call_ind(x.m, x.f, x.entry, V(x.f, x.a), 0, NULL, IR_VOID, NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "the callee of 'call.ind' has type i64, expected ptr");

    x = call_fx();
    ir_build_call_ind(x.m, x.f, x.entry, ir_opd_symbol(H), 0, NULL, IR_I32, "r");
    x.f->vals[x.entry->insts[0].result].type = IR_I64;
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "result '%r' of 'call.ind' has type i64, expected i32");
}
END_TEST

/* ---- SSA ---- */

START_TEST(ssa_defined_twice)
{
    Fx x = fx_new(IR_I64, 0);
    uint32_t r = ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), "r");
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(2), NULL);
    x.entry->insts[1].result = r;
    ret_val(x.m, x.entry, V(x.f, r));
    expect_error(x.m, IN("f", "entry") "value '%r' is already defined");

    /* a block parameter that is also an instruction result */
    x = fx_new(IR_I64, 0);
    IrBlock *b = ir_block_new(x.m, x.f, "b");
    uint32_t p = ir_block_add_param(x.m, x.f, b, IR_I64, "p");
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), NULL);
    x.entry->insts[0].result = p;
    ir_build_br(x.m, x.entry, to1(x.m, 1, V(x.f, p)));
    ret_val(x.m, b, V(x.f, p));
    expect_error(x.m, IN("f", "b") "value '%p' is already defined");
}
END_TEST

START_TEST(ssa_undefined)
{
    Fx x = fx_new(IR_I64, 0);
    uint32_t u = ir_func_new_value(x.m, x.f, IR_I64, "u");
    ret_val(x.m, x.entry, V(x.f, u));
    expect_error(x.m, IN("f", "entry") "use of undefined value '%u'");

    x = fx_new(IR_I64, 0);
    IrOperand bad = {.kind = IR_OPD_VALUE, .type = IR_I64, .index = 99};
    ret_val(x.m, x.entry, bad);
    expect_error(x.m, IN("f", "entry") "the return value refers to value #99, which does not "
                                       "exist");

    x = fx_new(IR_I64, 0);
    uint32_t n = ir_func_new_value(x.m, x.f, IR_I64, NULL);
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, n), I64(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "use of undefined value #1");
}
END_TEST

START_TEST(ssa_order_in_block)
{
    /* %y = add %x, 1 ; %x = ... */
    Fx x = fx_new(IR_I64, 0);
    uint32_t v = ir_func_new_value(x.m, x.f, IR_I64, "x");
    uint32_t y = ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, v), I64(1), "y");
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), NULL);
    x.entry->insts[1].result = v;
    ret_val(x.m, x.entry, V(x.f, y));
    expect_error(x.m, IN("f", "entry") "'%x' is used before its definition");

    /* %x = add %x, 1 */
    x = fx_new(IR_I64, 0);
    v = ir_func_new_value(x.m, x.f, IR_I64, "x");
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, v), I64(1), NULL);
    x.entry->insts[0].result = v;
    ret_val(x.m, x.entry, V(x.f, v));
    expect_error(x.m, IN("f", "entry") "'%x' is used before its definition");
}
END_TEST

START_TEST(ssa_dominance)
{
    /* diamond: a value of one arm used at the join */
    Fx x = fx_new(IR_I64, 0);
    IrModule *m = x.m;
    IrFunc *f = x.f;
    ir_block_new(m, f, "left");
    ir_block_new(m, f, "right");
    IrBlock *join = ir_block_new(m, f, "join");
    uint32_t c = ir_build_icmp(m, f, x.entry, IR_ICMP_EQ, IR_I64, V(f, x.a), I64(0), "c");
    ir_build_condbr(m, x.entry, V(f, c), to(m, 1), to(m, 2));
    uint32_t l = ir_build_binary(m, f, f->blocks[1], IR_ADD, IR_I64, V(f, x.a), I64(1), "l");
    ir_build_br(m, f->blocks[1], to(m, 3));
    ir_build_br(m, f->blocks[2], to(m, 3));
    ret_val(m, join, V(f, l));
    expect_error(m, IN("f", "join") "definition of '%l' in block 'left' does not dominate "
                                    "this use");

    /* loop: the header uses a value defined in the body (back edge) */
    x = fx_new(IR_I64, 0);
    m = x.m;
    f = x.f;
    IrBlock *head = ir_block_new(m, f, "head");
    IrBlock *body = ir_block_new(m, f, "body");
    IrBlock *exit = ir_block_new(m, f, "exit");
    ir_build_br(m, x.entry, to(m, 1));
    uint32_t nx = ir_func_new_value(m, f, IR_I64, "next");
    uint32_t hc = ir_build_icmp(m, f, head, IR_ICMP_EQ, IR_I64, V(f, nx), I64(0), "hc");
    ir_build_condbr(m, head, V(f, hc), to(m, 3), to(m, 2));
    ir_build_binary(m, f, body, IR_ADD, IR_I64, V(f, x.a), I64(1), NULL);
    body->insts[0].result = nx;
    ir_build_br(m, body, to(m, 1));
    ret_val(m, exit, V(f, x.a));
    expect_error(m, IN("f", "head") "definition of '%next' in block 'body' does not dominate "
                                    "this use");

    /* a block argument is a use in the branching block */
    x = fx_new(IR_I64, 0);
    m = x.m;
    f = x.f;
    IrBlock *a = ir_block_new(m, f, "a");
    IrBlock *b = ir_block_new(m, f, "b");
    IrBlock *d = ir_block_new(m, f, "d");
    uint32_t dp = ir_block_add_param(m, f, d, IR_I64, "dp");
    uint32_t cc = ir_build_icmp(m, f, x.entry, IR_ICMP_EQ, IR_I64, V(f, x.a), I64(0), "cc");
    ir_build_condbr(m, x.entry, V(f, cc), to(m, 1), to(m, 2));
    uint32_t av = ir_build_binary(m, f, a, IR_ADD, IR_I64, V(f, x.a), I64(1), "av");
    ir_build_br(m, a, to1(m, 3, V(f, av)));
    ir_build_br(m, b, to1(m, 3, V(f, av)));
    ret_val(m, d, V(f, dp));
    expect_error(m, IN("f", "b") "definition of '%av' in block 'a' does not dominate this use");
}
END_TEST

/* ---- blocks ---- */

START_TEST(block_structure)
{
    Fx x = fx_new(IR_I64, 0);
    ir_block_new(x.m, x.f, "empty");
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, ERR "in '@f': block 'empty' is empty");

    x = fx_new(IR_I64, 0);
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), NULL);
    expect_error(x.m, ERR "in '@f': block 'entry' does not end in a terminator");

    x = fx_new(IR_I64, 0);
    ret_val(x.m, x.entry, V(x.f, x.a));
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), NULL);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'ret' must be the last instruction of block 'entry'");

    /* a terminator in the middle of an unterminated block: one error */
    x = fx_new(IR_I64, 0);
    ret_val(x.m, x.entry, V(x.f, x.a));
    ir_build_binary(x.m, x.f, x.entry, IR_ADD, IR_I64, V(x.f, x.a), I64(1), NULL);
    expect_error(x.m, IN("f", "entry") "'ret' must be the last instruction of block 'entry'");

    x = fx_new(IR_I64, 0);
    ir_block_add_param(x.m, x.f, x.entry, IR_I64, "p");
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, ERR "in '@f': the entry block 'entry' cannot have parameters");

}
END_TEST

START_TEST(block_branches)
{
    Fx x = fx_new(IR_I64, 0);
    IrBlock *b = ir_block_new(x.m, x.f, "b");
    ir_build_br(x.m, x.entry, to(x.m, 1));
    ir_build_br(x.m, b, to(x.m, 0));
    expect_error(x.m, IN("f", "b") "branch to the entry block 'entry'");

    x = fx_new(IR_I64, 0);
    ir_build_br(x.m, x.entry, to(x.m, 5));
    expect_error(x.m, IN("f", "entry") "branch to block #5, which does not exist");

    x = fx_new(IR_I64, 0);
    b = ir_block_new(x.m, x.f, "b");
    uint32_t p = ir_block_add_param(x.m, x.f, b, IR_I64, "p");
    ir_block_add_param(x.m, x.f, b, IR_I64, "q");
    ir_build_br(x.m, x.entry, to1(x.m, 1, V(x.f, x.a)));
    ret_val(x.m, b, V(x.f, p));
    expect_error(x.m, IN("f", "entry") "branch to block 'b' passes 1 argument, expected 2");

    x = fx_new(IR_I64, 0);
    b = ir_block_new(x.m, x.f, "b");
    ir_block_add_param(x.m, x.f, b, IR_I32, "p");
    ir_build_br(x.m, x.entry, to1(x.m, 1, V(x.f, x.a)));
    ret_val(x.m, b, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "argument 1 of branch to block 'b' has type i64, "
                                       "expected i32");

    x = fx_new(IR_I64, 0);
    b = ir_block_new(x.m, x.f, "b");
    ir_build_condbr(x.m, x.entry, V(x.f, x.a), to(x.m, 1), to(x.m, 1));
    ret_val(x.m, b, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "the condition of 'condbr' has type i64, expected i1");
}
END_TEST

START_TEST(block_switch)
{
    Fx x = fx_new(IR_I64, 0);
    IrBlock *b = ir_block_new(x.m, x.f, "b");
    uint64_t keys[] = {1, 7, UINT64_MAX, 7};
    IrTarget t[] = {to(x.m, 1), to(x.m, 1), to(x.m, 1), to(x.m, 1)};
    ir_build_switch(x.m, x.entry, IR_I64, V(x.f, x.a), to(x.m, 1), 4, keys, t);
    ret_val(x.m, b, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "duplicate switch key 7");

    x = fx_new(IR_I64, 0);
    b = ir_block_new(x.m, x.f, "b");
    uint64_t k8[] = {255, 0, 0xff};
    ir_build_switch(x.m, x.entry, IR_I8, ir_opd_int(IR_I8, 3), to(x.m, 1), 3, k8, t);
    ret_val(x.m, b, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "duplicate switch key -1");

    x = fx_new(IR_I64, 0);
    b = ir_block_new(x.m, x.f, "b");
    ir_build_switch(x.m, x.entry, IR_F64, ir_opd_f64(1), to(x.m, 1), 0, NULL, NULL);
    ret_val(x.m, b, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'switch' requires an integer type, got f64");

    x = fx_new(IR_I64, 0);
    b = ir_block_new(x.m, x.f, "b");
    ir_build_switch(x.m, x.entry, IR_I32, V(x.f, x.a), to(x.m, 1), 0, NULL, NULL);
    ret_val(x.m, b, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "operand '%a' has type i64, expected i32");
}
END_TEST

START_TEST(ret_rules)
{
    Fx x = fx_new(IR_I64, 0);
    ir_build_ret(x.m, x.entry, NULL);
    expect_error(x.m, IN("f", "entry") "'ret' needs a value of type i64");

    x = fx_new(IR_VOID, 0);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "'ret' with a value in a function that returns nothing");

    x = fx_new(IR_I32, 0);
    ret_val(x.m, x.entry, V(x.f, x.a));
    expect_error(x.m, IN("f", "entry") "the return value has type i64, expected i32");

    x = fx_new(IR_PTR, 0);
    ret_val(x.m, x.entry, I64(0));
    expect_error(x.m, IN("f", "entry") "the return value must be a ptr value, not a constant");
}
END_TEST

START_TEST(trap_reason)
{
    Fx x = fx_new(IR_I64, 0);
    ir_inst_append(x.m, x.entry, IR_TRAP);
    expect_error(x.m, IN("f", "entry") "'trap' has no reason");

    x = fx_new(IR_I64, 0);
    ir_build_trap(x.m, x.entry, "", 0);
    expect_ok(x.m);
}
END_TEST

/* ---- reporting ---- */

/* Every violation is reported, one per instruction, in written order. */
START_TEST(report_all_no_cascade)
{
    Fx x = fx_new(IR_I64, 0);
    IrModule *m = x.m;
    IrFunc *f = x.f;
    /* one instruction with three problems: one error */
    ir_build_binary(m, f, x.entry, IR_ADD, IR_I64, ir_opd_symbol(0), I32(1), "r");
    /* a bad definition does not spoil its uses: %t is declared i32 */
    uint32_t t = ir_build_conv(m, f, x.entry, IR_ZEXT, IR_I64, V(f, x.a), IR_I32, "t");
    ir_build_binary(m, f, x.entry, IR_ADD, IR_I32, V(f, t), I32(1), NULL);
    ir_build_store(m, x.entry, IR_I64, V(f, x.a), V(f, x.a));
    ir_build_ret(m, x.entry, NULL);
    IrFunc *g = ir_func_new(m, "g", IR_VOID, 0);
    ir_block_new(m, g, "entry");
    ck_assert(!ir_verify(m));
    ck_assert_uint_eq(m->ctx->nerrors, 5);
    ck_assert_str_eq(m->ctx->first_error,
                     IN("f", "entry") "operand '@f' has type ptr, expected i64");
    free_module(m);
}
END_TEST

/* With a source and locations, errors are located and not prefixed. */
START_TEST(report_located)
{
    static const char text[] = "func @f(i64 %a) -> i64 {\nentry:\n  ret i32 %a\n}\n";
    IrSource src = {.name = "t.yvm", .data = (const uint8_t *)text, .len = sizeof text - 1};
    Fx x = fx_new(IR_I32, 0);
    x.m->src = &src;
    x.f->blocks[0]->loc = (IrLoc){2, 1};
    ret_val(x.m, x.entry, V(x.f, x.a));
    x.entry->insts[0].loc = (IrLoc){3, 3};
    expect_error(x.m, "t.yvm:3:3: error: the return value has type i64, expected i32");

    x = fx_new(IR_I32, 0);
    x.m->src = &src;
    x.f->blocks[0]->loc = (IrLoc){2, 1};
    expect_error(x.m, "t.yvm:2:1: error: block 'entry' is empty");
}
END_TEST

START_TEST(report_unnamed)
{
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "f", IR_I64, 0);
    uint32_t a = ir_func_add_param(m, f, IR_I32, NULL);
    IrBlock *b0 = ir_block_new(m, f, NULL);
    IrBlock *b1 = ir_block_new(m, f, NULL);
    ir_build_br(m, b0, to(m, 1));
    ret_val(m, b1, V(f, a));
    expect_error(m, ERR "in '@f', block #1: the return value has type i32, expected i64");

    m = new_module();
    add_variant(m, NULL, IR_I64);
    IrFunc *v = add_variant(m, "ymc", IR_I64);
    ir_build_ret(m, v->blocks[0], NULL); /* a second ret in the variant */
    expect_error(m, ERR "in '@f' (target ymc), block 'entry': 'ret' must be the last "
                        "instruction of block 'entry'");
}
END_TEST

/* ---- the dominator tree ---- */

/* A function with n blocks whose edges are given as pairs; blocks with no
 * successors return, one successor br, two condbr. */
static IrModule *cfg_module(uint32_t n, const uint32_t (*edges)[2], size_t nedges,
                            IrFunc **fp)
{
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "f", IR_VOID, 0);
    uint32_t c = ir_func_add_param(m, f, IR_I1, "c");
    for (uint32_t b = 0; b < n; b++)
        ir_block_new(m, f, NULL);
    for (uint32_t b = 0; b < n; b++) {
        IrTarget t[2];
        uint32_t k = 0;
        for (size_t e = 0; e < nedges; e++)
            if (edges[e][0] == b) {
                ck_assert_uint_lt(k, 2);
                t[k++] = to(m, edges[e][1]);
            }
        IrBlock *blk = f->blocks[b];
        if (k == 0)
            ir_build_ret(m, blk, NULL);
        else if (k == 1)
            ir_build_br(m, blk, t[0]);
        else
            ir_build_condbr(m, blk, V(f, c), t[0], t[1]);
    }
    *fp = f;
    return m;
}

START_TEST(dom_diamond_and_loop)
{
    /* 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3, 3 -> 4, 4 -> 3 (loop), 4 -> 5; 6 unreachable -> 5 */
    static const uint32_t e[][2] = {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4},
                                    {4, 3}, {4, 5}, {6, 5}};
    IrFunc *f;
    IrModule *m = cfg_module(7, e, sizeof e / sizeof e[0], &f);
    IrDom *d = ir_dom_build(f);
    ck_assert_ptr_nonnull(d);
    static const uint32_t want_idom[] = {IR_NONE, 0, 0, 0, 3, 4, IR_NONE};
    for (uint32_t b = 0; b < 7; b++)
        ck_assert_uint_eq(ir_dom_idom(d, b), want_idom[b]);
    ck_assert_uint_eq(d->nreach, 6);
    ck_assert_uint_eq(d->rpo[0], 0);
    ck_assert(!ir_dom_reachable(d, 6));
    ck_assert(ir_dom_reachable(d, 5));
    /* reverse postorder: every forward edge goes to a later block */
    ck_assert(d->rpo_num[3] > d->rpo_num[1] && d->rpo_num[3] > d->rpo_num[2]);
    ck_assert(d->rpo_num[5] > d->rpo_num[4] && d->rpo_num[4] > d->rpo_num[3]);
    ck_assert(ir_dom_dominates(d, 0, 5));
    ck_assert(ir_dom_dominates(d, 3, 5));
    ck_assert(ir_dom_dominates(d, 3, 3));
    ck_assert(!ir_dom_dominates(d, 1, 3));
    ck_assert(!ir_dom_dominates(d, 2, 3));
    ck_assert(!ir_dom_dominates(d, 4, 3));
    ck_assert(!ir_dom_dominates(d, 5, 4));
    ck_assert(!ir_dom_dominates(d, 6, 5)); /* an unreachable block dominates nothing */
    ck_assert(ir_dom_dominates(d, 5, 6));  /* and is dominated by everything */
    ck_assert(!ir_dom_dominates(d, 0, 7)); /* out of range */
    uint32_t n;
    const uint32_t *p = ir_dom_preds(d, 3, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(p[0] + p[1] + p[2], 1 + 2 + 4);
    p = ir_dom_preds(d, 5, &n);
    ck_assert_uint_eq(n, 2); /* 4 and the unreachable 6 */
    p = ir_dom_succs(d, 4, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(p[0], 3);
    ck_assert_uint_eq(p[1], 5);
    /* dominator-tree children of 0: 1, 2 and 3 */
    ck_assert_uint_eq(d->kid_off[1] - d->kid_off[0], 3);
    ir_dom_free(d);
    free_module(m);
}
END_TEST

/* The classic irreducible example: idoms need more than one pass. */
START_TEST(dom_irreducible)
{
    /* 0 -> 1, 0 -> 2, 1 -> 2, 2 -> 1, 2 -> 3, 1 -> 3, 3 -> 4 */
    static const uint32_t e[][2] = {{0, 1}, {0, 2}, {1, 2}, {1, 3}, {2, 1}, {2, 3},
                                    {3, 4}};
    IrFunc *f;
    IrModule *m = cfg_module(5, e, sizeof e / sizeof e[0], &f);
    IrDom *d = ir_dom_build(f);
    ck_assert_uint_eq(ir_dom_idom(d, 1), 0);
    ck_assert_uint_eq(ir_dom_idom(d, 2), 0);
    ck_assert_uint_eq(ir_dom_idom(d, 3), 0);
    ck_assert_uint_eq(ir_dom_idom(d, 4), 3);
    ck_assert(!ir_dom_dominates(d, 1, 2));
    ck_assert(!ir_dom_dominates(d, 2, 1));
    ir_dom_free(d);
    free_module(m);
}
END_TEST

/* A chain of many blocks, later ones written first: no recursion, idom
 * is the previous block in the chain. */
START_TEST(dom_long_chain)
{
    enum { N = 20000 };
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "f", IR_VOID, 0);
    for (uint32_t b = 0; b < N; b++)
        ir_block_new(m, f, NULL);
    /* entry -> N-1 -> N-2 -> ... -> 1 -> return */
    ir_build_br(m, f->blocks[0], to(m, N - 1));
    for (uint32_t b = 2; b < N; b++)
        ir_build_br(m, f->blocks[b], to(m, b - 1));
    ir_build_ret(m, f->blocks[1], NULL);
    IrDom *d = ir_dom_build(f);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nreach, N);
    ck_assert_uint_eq(ir_dom_idom(d, N - 1), 0);
    ck_assert_uint_eq(ir_dom_idom(d, 1), 2);
    ck_assert(ir_dom_dominates(d, N - 1, 1));
    ck_assert(!ir_dom_dominates(d, 1, N - 1));
    ir_dom_free(d);
    ck_assert(ir_verify(m));
    free_module(m);
}
END_TEST

/* Broken functions still give a structure: no blocks, bad targets, no
 * terminators. */
START_TEST(dom_broken_input)
{
    IrModule *m = new_module();
    IrFunc *f = ir_func_new(m, "f", IR_VOID, 0);
    IrDom *d = ir_dom_build(f);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nreach, 0);
    ck_assert(!ir_dom_dominates(d, 0, 0));
    ir_dom_free(d);
    ir_block_new(m, f, "a");
    IrBlock *b = ir_block_new(m, f, "b");
    ir_build_br(m, f->blocks[0], to(m, 42));
    ir_build_store(m, b, IR_I8, ir_opd_int(IR_I8, 0), ir_opd_symbol(0));
    d = ir_dom_build(f);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nreach, 1);
    ck_assert(!ir_dom_reachable(d, 1));
    ir_dom_free(d);
    free_module(m);
}
END_TEST

/* ---- the text corpora ---- */

static const char *srcdir(void)
{
    const char *s = getenv("srcdir");
    return s && *s ? s : ".";
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Calls fn for each file of testsuite/ir/DIR whose name starts with
 * prefix and ends in .yvm; returns how many there were. */
static int each_corpus_file(const char *dir, const char *prefix,
                            void (*fn)(const char *name, const char *text, size_t len))
{
    char path[2048];
    snprintf(path, sizeof path, "%s/testsuite/ir/%s", srcdir(), dir);
    DIR *d = opendir(path);
    ck_assert_msg(d != NULL, "cannot open %s", path);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".yvm") != 0 ||
            strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        size_t len;
        char *text = slurp(file, &len);
        fn(e->d_name, text, len);
        free(text);
        n++;
    }
    closedir(d);
    return n;
}

/* verify-*.yvm: parses, then fails verification with exactly the one
 * error its first line expects. */
static void check_invalid(const char *name, const char *text, size_t len)
{
    const char *tag = "; expect: ";
    ck_assert_msg(strncmp(text, tag, strlen(tag)) == 0, "%s: no expect line", name);
    const char *want = text + strlen(tag);
    int wl = (int)strcspn(want, "\n");
    IrCtx *ctx = ir_ctx_new();
    IrSource src = {.name = name, .data = (const uint8_t *)text, .len = len};
    IrModule *m = ir_read_text(ctx, &src);
    ck_assert_msg(m != NULL, "%s: does not parse: %s", name,
                  ctx->first_error ? ctx->first_error : "?");
    ck_assert_msg(!ir_verify(m), "%s: verifies", name);
    ck_assert_msg(strlen(ctx->first_error) == (size_t)wl &&
                      strncmp(ctx->first_error, want, (size_t)wl) == 0,
                  "%s:\nwanted: %.*s\n   got: %s", name, wl, want, ctx->first_error);
    ck_assert_msg(ctx->nerrors == 1, "%s: %u errors", name, ctx->nerrors);
    ir_module_free(m);
    ir_ctx_free(ctx);
}

START_TEST(corpus_invalid)
{
    ck_assert_int_ge(each_corpus_file("invalid", "verify-", check_invalid), 25);
}
END_TEST

/* Every valid program the reader accepts, the verifier accepts too. */
static void check_valid(const char *name, const char *text, size_t len)
{
    IrCtx *ctx = ir_ctx_new();
    IrSource src = {.name = name, .data = (const uint8_t *)text, .len = len};
    IrModule *m = ir_read_text(ctx, &src);
    if (m) {
        ck_assert_msg(ir_verify(m), "%s: %s", name, ctx->first_error);
        ir_module_free(m);
    }
    ir_ctx_free(ctx);
}

START_TEST(corpus_valid)
{
    each_corpus_file("valid", "", check_valid);
}
END_TEST

Suite *verify_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = tcase_create("valid");
    tcase_add_test(tc, valid_fact);
    tcase_add_test(tc, valid_diamond);
    tcase_add_test(tc, valid_forward_in_text);
    tcase_add_test(tc, valid_nested_loops);
    tcase_add_test(tc, valid_unreachable_use);
    tcase_add_test(tc, valid_every_form);
    tcase_add_test(tc, valid_main_argc_argv_and_variants);
    tcase_add_test(tc, valid_discarded_result);
    tcase_add_test(tc, valid_orphan_value);
    tcase_add_test(tc, valid_cosmetic_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("items");
    tcase_add_test(tc, item_duplicate_symbol);
    tcase_add_test(tc, item_invalid_name);
    tcase_add_test(tc, item_variant_without_portable);
    tcase_add_test(tc, item_variant_signature);
    tcase_add_test(tc, item_variant_duplicate);
    tcase_add_test(tc, item_extern_with_body);
    tcase_add_test(tc, item_no_blocks);
    tcase_add_test(tc, item_variadic_defined);
    tcase_add_test(tc, item_main_signature);
    tcase_add_test(tc, item_main_data);
    tcase_add_test(tc, item_deadline);
    tcase_add_test(tc, item_data_fields);
    suite_add_tcase(s, tc);

    tc = tcase_create("types");
    tcase_add_test(tc, type_binary_class);
    tcase_add_test(tc, type_binary_operand);
    tcase_add_test(tc, type_result);
    tcase_add_test(tc, type_icmp_fcmp);
    tcase_add_test(tc, type_select);
    tcase_add_test(tc, type_conversions);
    tcase_add_test(tc, type_memory);
    tcase_add_test(tc, call_rules);
    suite_add_tcase(s, tc);

    tc = tcase_create("ssa");
    tcase_add_test(tc, ssa_defined_twice);
    tcase_add_test(tc, ssa_undefined);
    tcase_add_test(tc, ssa_order_in_block);
    tcase_add_test(tc, ssa_dominance);
    suite_add_tcase(s, tc);

    tc = tcase_create("blocks");
    tcase_add_test(tc, block_structure);
    tcase_add_test(tc, block_branches);
    tcase_add_test(tc, block_switch);
    tcase_add_test(tc, ret_rules);
    tcase_add_test(tc, trap_reason);
    suite_add_tcase(s, tc);

    tc = tcase_create("reporting");
    tcase_add_test(tc, report_all_no_cascade);
    tcase_add_test(tc, report_located);
    tcase_add_test(tc, report_unnamed);
    suite_add_tcase(s, tc);

    tc = tcase_create("dominators");
    tcase_add_test(tc, dom_diamond_and_loop);
    tcase_add_test(tc, dom_irreducible);
    tcase_add_test(tc, dom_long_chain);
    tcase_add_test(tc, dom_broken_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("corpus");
    tcase_add_test(tc, corpus_invalid);
    tcase_add_test(tc, corpus_valid);
    suite_add_tcase(s, tc);
    return s;
}
