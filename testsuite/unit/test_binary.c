/* test_binary.c - the binary form: LEB128 codec, writer output against
 * hand-encoded bytes (docs/ir.md "Binary form"), write/read round trips
 * of builder-made modules, and the reader on damaged input (every
 * truncation, every single-byte change, hostile counts). */
#include <stdlib.h>
#include <string.h>

#include "binary.h"
#include "tests.h"

/* ---- helpers ---- */

/* Like ck_assert, but silent while it holds: Check records every passing
 * ck_assert (a write to a pipe), which the loops below would pay for
 * hundreds of thousands of times. */
#define EXPECT(cond)                                                          \
    do {                                                                      \
        if (!(cond))                                                          \
            ck_abort_msg("%s:%d: expected %s", __FILE__, __LINE__, #cond);    \
    } while (0)

static IrModule *read_bytes(IrCtx *ctx, const uint8_t *p, size_t n)
{
    IrSource src = {.name = "test.yvmb", .data = p, .len = n};
    return ir_read_binary(ctx, &src);
}

/* Read bytes that must be rejected; returns the first error line. The
 * input is copied into an exactly sized buffer so ASan catches any read
 * past its end. */
static char *reject(const uint8_t *p, size_t n)
{
    IrCtx *ctx = ir_ctx_new();
    uint8_t *copy = malloc(n ? n : 1);
    memcpy(copy, p, n);
    IrModule *m = read_bytes(ctx, copy, n);
    EXPECT(m == NULL);
    EXPECT(ctx->nerrors >= 1);
    EXPECT(ctx->first_error != NULL);
    char *msg = strdup(ctx->first_error);
    free(copy);
    ir_ctx_free(ctx);
    return msg;
}

static void expect_error(const uint8_t *p, size_t n, const char *want)
{
    char *msg = reject(p, n);
    ck_assert_str_eq(msg, want);
    free(msg);
}

/* ---- structural equality of two modules (everything but locations) ---- */

static bool opd_eq(const IrOperand *a, const IrOperand *b)
{
    return a->kind == b->kind && a->type == b->type && a->index == b->index &&
           a->bits == b->bits;
}

static bool name_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_inst_eq(const IrInst *a, const IrInst *b)
{
    EXPECT((a->op) == (b->op));
    EXPECT((a->type) == (b->type));
    EXPECT((a->type2) == (b->type2));
    EXPECT((a->cond) == (b->cond));
    EXPECT((a->result) == (b->result));
    EXPECT((a->nopd) == (b->nopd));
    for (uint32_t i = 0; i < a->nopd; i++)
        EXPECT(opd_eq(&a->opd[i], &b->opd[i]));
    EXPECT((a->ntgt) == (b->ntgt));
    for (uint32_t i = 0; i < a->ntgt; i++) {
        EXPECT((a->tgt[i].block) == (b->tgt[i].block));
        EXPECT((a->tgt[i].nargs) == (b->tgt[i].nargs));
        for (uint32_t j = 0; j < a->tgt[i].nargs; j++)
            EXPECT(opd_eq(&a->tgt[i].args[j], &b->tgt[i].args[j]));
    }
    if (a->op == IR_SWITCH)
        for (uint32_t i = 0; i + 1 < a->ntgt; i++)
            EXPECT((a->keys[i]) == (b->keys[i]));
    EXPECT((a->imm) == (b->imm));
    EXPECT((a->imm2) == (b->imm2));
    EXPECT((a->strlen) == (b->strlen));
    if (a->strlen)
        EXPECT(memcmp(a->str, b->str, a->strlen) == 0);
}

static void check_func_eq(const IrFunc *a, const IrFunc *b)
{
    EXPECT((a->ret) == (b->ret));
    EXPECT((a->is_extern) == (b->is_extern));
    EXPECT((a->attrs) == (b->attrs));
    EXPECT((a->deadline) == (b->deadline));
    EXPECT(name_eq(a->target, b->target));
    EXPECT((a->nparams) == (b->nparams));
    for (uint32_t i = 0; i < a->nparams; i++) {
        EXPECT((a->ptypes[i]) == (b->ptypes[i]));
        if (!a->is_extern)
            EXPECT((a->params[i]) == (b->params[i]));
    }
    EXPECT((a->nvals) == (b->nvals));
    for (uint32_t i = 0; i < a->nvals; i++) {
        EXPECT((a->vals[i].type) == (b->vals[i].type));
        EXPECT(name_eq(a->vals[i].name, b->vals[i].name));
    }
    EXPECT((a->nblocks) == (b->nblocks));
    for (uint32_t i = 0; i < a->nblocks; i++) {
        const IrBlock *x = a->blocks[i], *y = b->blocks[i];
        EXPECT(name_eq(x->name, y->name));
        EXPECT((x->nparams) == (y->nparams));
        for (uint32_t j = 0; j < x->nparams; j++)
            EXPECT((x->params[j]) == (y->params[j]));
        EXPECT((x->ninsts) == (y->ninsts));
        for (uint32_t j = 0; j < x->ninsts; j++)
            check_inst_eq(&x->insts[j], &y->insts[j]);
    }
}

static void check_data_eq(const IrData *a, const IrData *b)
{
    EXPECT((a->is_global) == (b->is_global));
    EXPECT((a->brace_form) == (b->brace_form));
    EXPECT((a->nfields) == (b->nfields));
    for (uint32_t i = 0; i < a->nfields; i++) {
        const IrField *x = &a->fields[i], *y = &b->fields[i];
        EXPECT((x->kind) == (y->kind));
        EXPECT((x->type) == (y->type));
        EXPECT((x->bits) == (y->bits));
        EXPECT((x->sym) == (y->sym));
        EXPECT((x->len) == (y->len));
        if (x->kind == IR_FIELD_BYTES && x->len)
            EXPECT(memcmp(x->bytes, y->bytes, x->len) == 0);
    }
}

static void check_module_eq(const IrModule *a, const IrModule *b)
{
    EXPECT(name_eq(a->name, b->name));
    EXPECT((a->nitems) == (b->nitems));
    for (uint32_t i = 0; i < a->nitems; i++) {
        const IrItem *x = &a->items[i], *y = &b->items[i];
        EXPECT((x->kind) == (y->kind));
        EXPECT(strcmp(x->name, y->name) == 0);
        if (x->kind == IR_ITEM_FUNC)
            check_func_eq(x->func, y->func);
        else
            check_data_eq(x->data, y->data);
    }
}

/* ---- modules made with the builder ---- */

/* func @f() -> i32 { entry: ret i32 7 } in module "m": small enough to
 * encode by hand from docs/ir.md. */
static IrModule *tiny_module(IrCtx *ctx)
{
    IrModule *m = ir_module_new(ctx, "m");
    IrFunc *f = ir_func_new(m, "f", IR_I32, 0);
    IrBlock *b = ir_block_new(m, f, "entry");
    IrOperand seven = ir_opd_int(IR_I32, 7);
    ir_build_ret(m, b, &seven);
    return m;
}

/* Every item kind, attribute, operand kind, data field kind, instruction
 * form and optional name (present and absent). Not meant to verify. */
static IrModule *big_module(IrCtx *ctx)
{
    IrModule *m = ir_module_new(ctx, "big \"one\"");
    IrType puts_params[] = {IR_PTR};
    ir_extern_new(m, "puts", IR_I32, 1, puts_params, false);
    uint32_t printf_item = m->nitems;
    ir_extern_new(m, "printf", IR_I32, 1, puts_params, true);

    uint32_t msg_item = m->nitems;
    IrData *msg = ir_data_new(m, "msg", false);
    msg->brace_form = false;
    ir_data_add_bytes(m, msg, "Hello\n\0", 7);

    IrData *tbl = ir_data_new(m, "tbl", false);
    ir_data_add_const(m, tbl, IR_I32, 1);
    ir_data_add_const(m, tbl, IR_I32, (uint64_t)-2);
    ir_data_add_const(m, tbl, IR_I64, 3);
    ir_data_add_const(m, tbl, IR_F64, 0x3fe0000000000000u); /* 0.5 */
    ir_data_add_symref(m, tbl, msg_item);
    ir_data_add_zero(m, tbl, 3);
    ir_data_add_bytes(m, tbl, "ab", 2);
    ir_data_add_bytes(m, tbl, "", 0);
    ir_data_add_const(m, tbl, IR_I1, 1);
    ir_data_add_const(m, tbl, IR_I8, 255);
    ir_data_add_const(m, tbl, IR_I16, 0x8000);
    ir_data_add_const(m, tbl, IR_F32, 0x7fc00000u); /* NaN */
    ir_data_add_const(m, tbl, IR_PTR, 0);

    IrData *count = ir_data_new(m, "count", true);
    ir_data_add_const(m, count, IR_I64, UINT64_MAX);
    IrData *buf = ir_data_new(m, "buf", true);
    buf->brace_form = false;
    ir_data_add_zero(m, buf, UINT64_MAX);

    /* func @add(i64 %a, i64 %b) -> i64 noinline */
    uint32_t add_item = m->nitems;
    IrFunc *add = ir_func_new(m, "add", IR_I64, IR_ATTR_NOINLINE);
    uint32_t a = ir_func_add_param(m, add, IR_I64, "a");
    uint32_t b = ir_func_add_param(m, add, IR_I64, NULL);
    IrBlock *e = ir_block_new(m, add, "entry");
    uint32_t s = ir_build_binary(m, add, e, IR_ADD, IR_I64, ir_opd_value(add, a),
                                 ir_opd_value(add, b), "s");
    for (IrOpcode op = IR_SUB; op <= IR_MULCU; op++)
        s = ir_build_binary(m, add, e, op, IR_I64, ir_opd_value(add, s),
                            ir_opd_int(IR_I64, (uint64_t)op * 1000 - 30000), NULL);
    IrOperand rs = ir_opd_value(add, s);
    ir_build_ret(m, e, &rs);

    /* The same function for one target. */
    IrFunc *addx = ir_func_new(m, "add", IR_I64, 0);
    addx->target = arena_strdup(&m->arena, "x86_64");
    uint32_t xa = ir_func_add_param(m, addx, IR_I64, "a");
    ir_func_add_param(m, addx, IR_I64, "b");
    IrBlock *xe = ir_block_new(m, addx, NULL);
    IrOperand xr = ir_opd_value(addx, xa);
    ir_build_ret(m, xe, &xr);

    /* export func @main() -> i32 unsafe ct deadline 1000 */
    IrFunc *f = ir_func_new(m, "main", IR_I32, IR_ATTR_EXPORT | IR_ATTR_UNSAFE |
                            IR_ATTR_CT | IR_ATTR_DEADLINE);
    f->deadline = 1000;
    IrBlock *entry = ir_block_new(m, f, "entry");
    IrBlock *loop = ir_block_new(m, f, "loop");
    IrBlock *body = ir_block_new(m, f, NULL);
    IrBlock *done = ir_block_new(m, f, "done");
    IrBlock *bad = ir_block_new(m, f, "bad");
    uint32_t li = ir_block_add_param(m, f, loop, IR_I64, "i");
    uint32_t lx = ir_block_add_param(m, f, loop, IR_F64, NULL);
    uint32_t dr = ir_block_add_param(m, f, done, IR_I32, "r");

    uint32_t p = ir_build_alloca(m, f, entry, 64, 16, "p");
    ir_build_store(m, entry, IR_I64, ir_opd_int(IR_I64, 42), ir_opd_value(f, p));
    uint32_t v = ir_build_load(m, f, entry, IR_I64, ir_opd_value(f, p), "v");
    uint32_t q = ir_build_ptradd(m, f, entry, ir_opd_value(f, p), ir_opd_int(IR_I64, (uint64_t)-8), "q");
    ir_build_memcpy(m, entry, ir_opd_value(f, q), ir_opd_symbol(msg_item), ir_opd_int(IR_I64, 7));
    ir_build_memset(m, entry, ir_opd_value(f, p), ir_opd_int(IR_I8, 0xab), ir_opd_int(IR_I64, 64));
    IrOperand args[] = {ir_opd_value(f, v), ir_opd_int(IR_I64, 1)};
    uint32_t c = ir_build_call(m, f, entry, add_item, 2, args, "c");
    IrOperand pargs[] = {ir_opd_symbol(msg_item), ir_opd_value(f, c)};
    ir_build_call(m, f, entry, printf_item, 2, pargs, NULL);
    uint32_t ci = ir_build_call_ind(m, f, entry, ir_opd_symbol(add_item), 2, args, IR_I64, "ci");
    ir_build_call_ind(m, f, entry, ir_opd_value(f, q), 0, NULL, IR_VOID, NULL);
    uint32_t t = ir_build_conv(m, f, entry, IR_TRUNC, IR_I64, ir_opd_value(f, ci), IR_I32, "t");
    uint32_t d = ir_build_conv(m, f, entry, IR_SITOFP, IR_I32, ir_opd_value(f, t), IR_F64, "d");
    uint32_t pi = ir_build_conv(m, f, entry, IR_PTRTOINT, IR_PTR, ir_opd_value(f, p), IR_I64, NULL);
    ir_build_conv(m, f, entry, IR_INTTOPTR, IR_I64, ir_opd_value(f, pi), IR_PTR, NULL);
    ir_build_unary(m, f, entry, IR_FNEG, IR_F64, ir_opd_value(f, d), "n");
    ir_build_fcmp(m, f, entry, IR_FCMP_UGE, IR_F32, ir_opd_f32(-0.0f), ir_opd_f32(1.0f), NULL);
    uint32_t cmp = ir_build_icmp(m, f, entry, IR_ICMP_SLT, IR_PTR, ir_opd_value(f, p),
                                 ir_opd_symbol(msg_item), "cmp");
    ir_build_select(m, f, entry, IR_F64, ir_opd_value(f, cmp), ir_opd_f64(2.5),
                    ir_opd_value(f, d), NULL);
    IrOperand largs[] = {ir_opd_int(IR_I64, 0), ir_opd_f64(-1e300)};
    ir_build_br(m, entry, ir_target(m, 1, 2, largs));

    uint32_t z = ir_build_icmp(m, f, loop, IR_ICMP_EQ, IR_I64, ir_opd_value(f, li),
                               ir_opd_int(IR_I64, 10), "z");
    IrOperand dargs[] = {ir_opd_int(IR_I32, (uint64_t)INT32_MIN)};
    ir_build_condbr(m, loop, ir_opd_value(f, z), ir_target(m, 3, 1, dargs),
                    ir_target(m, 2, 0, NULL));

    IrOperand bargs[] = {ir_opd_value(f, li), ir_opd_value(f, lx)};
    uint64_t keys[] = {0, 1, (uint64_t)-1, 0x7fffffffffffffffu};
    IrTarget tgts[] = {ir_target(m, 1, 2, bargs), ir_target(m, 4, 0, NULL),
                       ir_target(m, 3, 1, dargs), ir_target(m, 1, 2, bargs)};
    ir_build_switch(m, body, IR_I64, ir_opd_value(f, li), ir_target(m, 4, 0, NULL), 4,
                    keys, tgts);

    IrOperand rr = ir_opd_value(f, dr);
    ir_build_ret(m, done, &rr);
    ir_build_trap(m, bad, "bad\0thing", 9);

    /* func @v() { entry: ret } and a switch with no cases. */
    IrFunc *vf = ir_func_new(m, "v", IR_VOID, 0);
    uint32_t w = ir_func_add_param(m, vf, IR_I8, "w");
    IrBlock *ve = ir_block_new(m, vf, "entry");
    IrBlock *vr = ir_block_new(m, vf, "r");
    ir_build_switch(m, ve, IR_I8, ir_opd_value(vf, w), ir_target(m, 1, 0, NULL), 0, NULL, NULL);
    ir_build_ret(m, vr, NULL);
    return m;
}

static uint8_t *write_module(const IrModule *m, size_t *len)
{
    uint8_t *bytes = ir_write_binary(m, len);
    EXPECT(bytes != NULL);
    return bytes;
}

/* ---- LEB128 ---- */

typedef struct LebCase {
    uint64_t v;
    int len;
    uint8_t bytes[YVMB_LEB_MAX];
} LebCase;

START_TEST(t_uleb_values)
{
    static const LebCase cases[] = {
        {0, 1, {0x00}},
        {1, 1, {0x01}},
        {127, 1, {0x7f}},
        {128, 2, {0x80, 0x01}},
        {300, 2, {0xac, 0x02}},
        {16383, 2, {0xff, 0x7f}},
        {16384, 3, {0x80, 0x80, 0x01}},
        {624485, 3, {0xe5, 0x8e, 0x26}},
        {UINT32_MAX, 5, {0xff, 0xff, 0xff, 0xff, 0x0f}},
        {UINT64_C(1) << 63, 10, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
        {UINT64_MAX, 10, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[YVMB_LEB_MAX];
        size_t n = yvmb_put_uleb(out, cases[i].v);
        ck_assert_uint_eq(n, (size_t)cases[i].len);
        ck_assert(memcmp(out, cases[i].bytes, n) == 0);
        uint64_t v = 0;
        size_t used = 0;
        ck_assert_int_eq(yvmb_get_uleb(cases[i].bytes, cases[i].bytes + n, &v, &used),
                         YVMB_LEB_OK);
        ck_assert_uint_eq(v, cases[i].v);
        ck_assert_uint_eq(used, n);
        /* Every shorter prefix is truncated. */
        for (size_t k = 0; k < n; k++)
            ck_assert_int_eq(yvmb_get_uleb(cases[i].bytes, cases[i].bytes + k, &v, &used),
                             YVMB_LEB_TRUNCATED);
    }
}
END_TEST

START_TEST(t_sleb_values)
{
    static const struct {
        int64_t v;
        int len;
        uint8_t bytes[YVMB_LEB_MAX];
    } cases[] = {
        {0, 1, {0x00}},
        {1, 1, {0x01}},
        {-1, 1, {0x7f}},
        {63, 1, {0x3f}},
        {64, 2, {0xc0, 0x00}},
        {-64, 1, {0x40}},
        {-65, 2, {0xbf, 0x7f}},
        {127, 2, {0xff, 0x00}},
        {-128, 2, {0x80, 0x7f}},
        {-123456, 3, {0xc0, 0xbb, 0x78}},
        {INT32_MIN, 5, {0x80, 0x80, 0x80, 0x80, 0x78}},
        {INT64_MAX, 10, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}},
        {INT64_MIN, 10, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[YVMB_LEB_MAX];
        size_t n = yvmb_put_sleb(out, cases[i].v);
        ck_assert_uint_eq(n, (size_t)cases[i].len);
        ck_assert(memcmp(out, cases[i].bytes, n) == 0);
        int64_t v = 0;
        size_t used = 0;
        ck_assert_int_eq(yvmb_get_sleb(cases[i].bytes, cases[i].bytes + n, &v, &used),
                         YVMB_LEB_OK);
        ck_assert_int_eq(v, cases[i].v);
        ck_assert_uint_eq(used, n);
        for (size_t k = 0; k < n; k++)
            ck_assert_int_eq(yvmb_get_sleb(cases[i].bytes, cases[i].bytes + k, &v, &used),
                             YVMB_LEB_TRUNCATED);
    }
}
END_TEST

START_TEST(t_leb_rejects)
{
    static const struct {
        bool is_signed;
        int len;
        uint8_t bytes[12];
        YvmbLebStatus want;
        size_t at; /* offending byte */
    } cases[] = {
        {false, 2, {0x80, 0x00}, YVMB_LEB_OVERLONG, 1},
        {false, 2, {0xff, 0x00}, YVMB_LEB_OVERLONG, 1},
        {false, 3, {0x80, 0x80, 0x00}, YVMB_LEB_OVERLONG, 2},
        {false, 10, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},
         YVMB_LEB_OVERFLOW, 9},
        {false, 11, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00},
         YVMB_LEB_OVERFLOW, 9},
        {false, 10, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
         YVMB_LEB_OVERLONG, 9},
        {true, 2, {0xff, 0x7f}, YVMB_LEB_OVERLONG, 1},  /* -1 in two bytes */
        {true, 2, {0x80, 0x00}, YVMB_LEB_OVERLONG, 1},  /* 0 in two bytes */
        {true, 2, {0xbf, 0x00}, YVMB_LEB_OVERLONG, 1},  /* 63 in two bytes */
        {true, 3, {0xc0, 0x80, 0x00}, YVMB_LEB_OVERLONG, 2},
        {true, 10, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
         YVMB_LEB_OVERFLOW, 9},
        {true, 10, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80},
         YVMB_LEB_OVERFLOW, 9},
        {true, 10, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xc0, 0x7f},
         YVMB_LEB_OVERLONG, 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uint8_t *p = cases[i].bytes, *end = p + cases[i].len;
        size_t used = 99;
        YvmbLebStatus st;
        if (cases[i].is_signed) {
            int64_t v;
            st = yvmb_get_sleb(p, end, &v, &used);
        } else {
            uint64_t v;
            st = yvmb_get_uleb(p, end, &v, &used);
        }
        ck_assert_msg(st == cases[i].want, "case %zu: status %d", i, (int)st);
        ck_assert_msg(used == cases[i].at, "case %zu: at %zu", i, used);
    }
}
END_TEST

/* Every 64-bit value at and around each power of two survives the trip. */
START_TEST(t_leb_round_trip)
{
    for (unsigned k = 0; k < 64; k++) {
        for (int d = -2; d <= 2; d++) {
            uint64_t u = (UINT64_C(1) << k) + (uint64_t)(int64_t)d;
            uint8_t out[YVMB_LEB_MAX];
            uint64_t uv;
            int64_t sv;
            size_t used;
            size_t n = yvmb_put_uleb(out, u);
            ck_assert_int_eq(yvmb_get_uleb(out, out + n, &uv, &used), YVMB_LEB_OK);
            ck_assert_uint_eq(uv, u);
            ck_assert_uint_eq(used, n);
            n = yvmb_put_sleb(out, (int64_t)u);
            ck_assert_int_eq(yvmb_get_sleb(out, out + n, &sv, &used), YVMB_LEB_OK);
            ck_assert_int_eq(sv, (int64_t)u);
            ck_assert_uint_eq(used, n);
            n = yvmb_put_sleb(out, -(int64_t)(u >> 1));
            ck_assert_int_eq(yvmb_get_sleb(out, out + n, &sv, &used), YVMB_LEB_OK);
            ck_assert_int_eq(sv, -(int64_t)(u >> 1));
        }
    }
}
END_TEST

/* ---- the writer against the documented layout ---- */

/* docs/ir.md works this example through byte by byte. */
static const uint8_t tiny_bytes[] = {
    0x7f, 'Y', 'V', 'M', 0x01,                   /* magic, version 1 */
    0x01, 0x0b,                                  /* section 1 (strings), 11 bytes */
    0x03,                                        /*   3 strings */
    0x01, 'm', 0x01, 'f', 0x05, 'e', 'n', 't', 'r', 'y',
    0x02, 0x15,                                  /* section 2 (items), 21 bytes */
    0x01,                                        /*   module name: string 0 */
    0x01,                                        /*   1 item */
    0x00, 0x01,                                  /*   func, name string 1 */
    0x04, 0x00, 0x00, 0x00,                      /*   -> i32, no attrs/target/params */
    0x00,                                        /*   0 values */
    0x01,                                        /*   1 block */
    0x03, 0x00, 0x01,                            /*   'entry', no params, 1 inst */
    0x33, 0x04, 0x00,                            /*   ret, type i32, no result */
    0x01, 0x02, 0x04, 0x07,                      /*   1 operand: const i32 7 */
    0x00,                                        /*   no targets */
};

START_TEST(t_write_tiny)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = tiny_module(ctx);
    size_t len;
    uint8_t *bytes = write_module(m, &len);
    ck_assert_uint_eq(len, sizeof tiny_bytes);
    ck_assert(memcmp(bytes, tiny_bytes, len) == 0);
    IrModule *back = read_bytes(ctx, bytes, len);
    ck_assert_ptr_nonnull(back);
    check_module_eq(m, back);
    ck_assert_uint_eq(ctx->nerrors, 0);
    ir_module_free(back);
    ir_module_free(m);
    free(bytes);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(t_is_binary)
{
    ck_assert(ir_is_binary(tiny_bytes, sizeof tiny_bytes));
    ck_assert(ir_is_binary((const uint8_t *)"\x7f", 1));
    ck_assert(!ir_is_binary((const uint8_t *)"module \"m\"\n", 11));
    ck_assert(!ir_is_binary((const uint8_t *)"; x", 3));
    ck_assert(!ir_is_binary((const uint8_t *)"", 0));
}
END_TEST

/* Constants: the sign-extended value, so i8 255 is -1 (one byte 0x7f),
 * and a value outside the type's signed range is rejected. */
START_TEST(t_const_encoding)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = ir_module_new(ctx, NULL);
    IrData *d = ir_data_new(m, "d", false);
    ir_data_add_const(m, d, IR_I8, 255);
    ir_data_add_const(m, d, IR_I1, 1);
    ir_data_add_const(m, d, IR_I16, 64);
    ir_data_add_const(m, d, IR_F32, 0x3fc00000u);
    size_t len;
    uint8_t *bytes = write_module(m, &len);
    static const uint8_t want[] = {
        0x7f, 'Y', 'V', 'M', 0x01,
        0x01, 0x03, 0x01, 0x01, 'd',             /* strings: "d" */
        0x02, 0x16,                              /* items, 22 bytes */
        0x00, 0x01,                              /* no module name, 1 item */
        0x02, 0x00, 0x01, 0x04,                  /* data 'd', brace form, 4 fields */
        0x01, 0x02, 0x7f,                        /* i8 -1 */
        0x01, 0x01, 0x7f,                        /* i1 -1 */
        0x01, 0x03, 0xc0, 0x00,                  /* i16 64 */
        0x01, 0x06, 0x00, 0x00, 0xc0, 0x3f,      /* f32 1.5 */
    };
    ck_assert_uint_eq(len, sizeof want);
    ck_assert(memcmp(bytes, want, len) == 0);

    /* i8 200 is spelled -56. */
    uint8_t bad[sizeof want];
    memcpy(bad, want, sizeof want);
    bad[20] = 0x48; /* sleb -56 */
    IrModule *b = read_bytes(ctx, bad, sizeof bad);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->items[0].data->fields[0].bits, 200);
    ir_module_free(b);
    ir_module_free(m);
    free(bytes);
    ir_ctx_free(ctx);

    /* i8 128 does not fit: it must be written as -128. */
    uint8_t big_i8[] = {
        0x7f, 'Y', 'V', 'M', 0x01, 0x01, 0x03, 0x01, 0x01, 'd',
        0x02, 0x0a, 0x00, 0x01, 0x02, 0x00, 0x01, 0x01, 0x01, 0x02, 0x80, 0x01,
    };
    expect_error(big_i8, sizeof big_i8, "test.yvmb:byte 20: error: constant 128 out of range for i8");
    expect_error(big_i8, sizeof big_i8 - 1,
                 "test.yvmb:byte 11: error: section 2 (items) length 10 exceeds the 9 bytes left");
    big_i8[11] = 0x09;
    expect_error(big_i8, sizeof big_i8, "test.yvmb:byte 21: error: unexpected end of section 2 (items)");
}
END_TEST

/* ---- round trips ---- */

START_TEST(t_round_trip_big)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = big_module(ctx);
    size_t len, len2;
    uint8_t *bytes = write_module(m, &len);
    IrModule *back = read_bytes(ctx, bytes, len);
    ck_assert_msg(back != NULL, "%s", ctx->first_error ? ctx->first_error : "");
    check_module_eq(m, back);
    /* Canonical: writing what was read gives the same bytes. */
    uint8_t *again = write_module(back, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(bytes, again, len) == 0);
    /* And writing the same module twice too. */
    uint8_t *twice = write_module(m, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(bytes, twice, len) == 0);
    ir_module_free(back);
    ir_module_free(m);
    free(bytes);
    free(again);
    free(twice);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(t_round_trip_empty)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = ir_module_new(ctx, NULL);
    size_t len;
    uint8_t *bytes = write_module(m, &len);
    static const uint8_t want[] = {0x7f, 'Y', 'V', 'M', 0x01, 0x01, 0x01, 0x00,
                                   0x02, 0x02, 0x00, 0x00};
    ck_assert_uint_eq(len, sizeof want);
    ck_assert(memcmp(bytes, want, len) == 0);
    IrModule *back = read_bytes(ctx, bytes, len);
    ck_assert_ptr_nonnull(back);
    ck_assert_ptr_null(back->name);
    ck_assert_uint_eq(back->nitems, 0);
    ir_module_free(back);
    ir_module_free(m);
    free(bytes);
    ir_ctx_free(ctx);
}
END_TEST

/* Strings are shared: one table entry for every use of the same bytes. */
START_TEST(t_strings_deduplicated)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = ir_module_new(ctx, "x");
    IrFunc *f = ir_func_new(m, "x", IR_VOID, 0);
    ir_func_add_param(m, f, IR_I32, "x");
    IrBlock *b = ir_block_new(m, f, "x");
    ir_build_trap(m, b, "x", 1);
    size_t len;
    uint8_t *bytes = write_module(m, &len);
    /* header 5, strings section 01 03 | 01 01 'x' */
    ck_assert_uint_ge(len, 10);
    ck_assert_uint_eq(bytes[5], 0x01);
    ck_assert_uint_eq(bytes[6], 0x03);
    ck_assert_uint_eq(bytes[7], 0x01);
    ir_module_free(m);
    free(bytes);
    ir_ctx_free(ctx);
}
END_TEST

/* A module from the text parser (the spec's examples): what the tools
 * write. */
static const char spec_text[] =
    "module \"hello\"\n"
    "extern func @puts(ptr) -> i32\n"
    "extern func @printf(ptr, ...) -> i32\n"
    "data @msg = \"Hello, world!\\n\\0\"\n"
    "data @tbl = { i32 1, i32 -2, i64 3, f64 0.5, ptr @msg }\n"
    "global @count = { i64 0 }\n"
    "global @buf = zero 4096\n"
    "func @fact(i64 %n) -> i64 noinline deadline 100 {\n"
    "entry:\n"
    "  br loop(%n, 1)\n"
    "loop(i64 %i, i64 %acc):\n"
    "  %z = icmp eq i64 %i, 0\n"
    "  condbr %z, done(%acc), body\n"
    "body:\n"
    "  %acc2 = mul i64 %acc, %i\n"
    "  %i2 = sub i64 %i, 1\n"
    "  br loop(%i2, %acc2)\n"
    "done(i64 %r):\n"
    "  ret %r\n"
    "}\n"
    "export func @main() -> i32 {\n"
    "entry:\n"
    "  %p = alloca 16, align 8\n"
    "  store f64 -0.0, %p\n"
    "  %x = load f64, %p\n"
    "  %c = fcmp uno f64 %x, nan\n"
    "  %f = call @fact(i64 5)\n"
    "  %t = trunc i64 %f to i32\n"
    "  call @puts(ptr @msg)\n"
    "  switch i32 %t, out [120: out, -1: bad]\n"
    "out:\n"
    "  ret %t\n"
    "bad:\n"
    "  trap \"no\\0way\"\n"
    "}\n";

START_TEST(t_round_trip_parsed)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = test_parse(ctx, spec_text);
    ck_assert_msg(m != NULL, "%s", ctx->first_error ? ctx->first_error : "");
    size_t len, len2;
    uint8_t *bytes = write_module(m, &len);
    IrModule *back = read_bytes(ctx, bytes, len);
    ck_assert_msg(back != NULL, "%s", ctx->first_error ? ctx->first_error : "");
    check_module_eq(m, back);
    uint8_t *again = write_module(back, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(bytes, again, len) == 0);
    ck_assert(ir_verify(back));
    ir_module_free(back);
    ir_module_free(m);
    free(bytes);
    free(again);
    ir_ctx_free(ctx);
}
END_TEST

/* ---- damaged input ---- */

START_TEST(t_every_truncation)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = big_module(ctx);
    size_t len;
    uint8_t *bytes = write_module(m, &len);
    ir_module_free(m);
    ir_ctx_free(ctx);
    for (size_t n = 0; n < len; n++)
        free(reject(bytes, n));
    /* One byte too many is an error too. */
    uint8_t *more = malloc(len + 1);
    memcpy(more, bytes, len);
    more[len] = 0;
    char *msg = reject(more, len + 1);
    char want[100];
    snprintf(want, sizeof want, "test.yvmb:byte %zu: error: trailing bytes after the last section", len);
    ck_assert_str_eq(msg, want);
    free(msg);
    free(more);
    free(bytes);
}
END_TEST

/* Read a damaged copy: the reader must either reject it with an error or
 * return a module whose re-encoding reads back to the very same bytes
 * (and never crash, leak or read out of bounds: ASan watches). The copy
 * is exactly `len` bytes long so that ASan sees any read past it. */
static void read_damaged(IrCtx *ctx, const uint8_t *copy, size_t len,
                         unsigned *accepted, unsigned *rejected)
{
    ir_ctx_clear_errors(ctx);
    IrModule *c = read_bytes(ctx, copy, len);
    if (!c) {
        EXPECT(ctx->nerrors >= 1);
        ++*rejected;
        return;
    }
    EXPECT(ctx->nerrors == 0);
    ++*accepted;
    size_t l1, l2;
    uint8_t *w1 = write_module(c, &l1);
    IrModule *c2 = read_bytes(ctx, w1, l1);
    EXPECT(c2 != NULL);
    check_module_eq(c, c2);
    uint8_t *w2 = write_module(c2, &l2);
    EXPECT(l1 == l2);
    EXPECT(memcmp(w1, w2, l1) == 0);
    free(w1);
    free(w2);
    ir_module_free(c2);
    ir_module_free(c);
}

/* The big module with each byte replaced by values chosen to hit LEB128
 * boundaries, neighbouring codes and indices (all 256 values for every
 * byte would take a minute under ASan; the tiny module gets those). */
START_TEST(t_every_byte_change)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = big_module(ctx);
    size_t len;
    uint8_t *bytes = write_module(m, &len);
    ir_module_free(m);
    uint8_t *copy = malloc(len);
    unsigned accepted = 0, rejected = 0;
    for (size_t pos = 0; pos < len; pos++) {
        uint8_t o = bytes[pos];
        const uint8_t values[] = {0x00, 0x01, 0x7f, 0x80, 0xff, (uint8_t)(o + 1),
                                  (uint8_t)(o - 1), o ^ 0x40, o ^ 0x80, o ^ 0x08};
        for (size_t k = 0; k < sizeof values; k++) {
            if (values[k] == o)
                continue;
            memcpy(copy, bytes, len);
            copy[pos] = values[k];
            read_damaged(ctx, copy, len, &accepted, &rejected);
        }
    }
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_gt(rejected, 0);
    free(copy);
    free(bytes);
    ir_ctx_free(ctx);
}
END_TEST

/* The tiny module with every byte set to every other value. */
START_TEST(t_every_byte_value)
{
    IrCtx *ctx = ir_ctx_new();
    size_t len = sizeof tiny_bytes;
    uint8_t *copy = malloc(len);
    unsigned accepted = 0, rejected = 0;
    for (size_t pos = 0; pos < len; pos++) {
        for (unsigned v = 0; v < 256; v++) {
            if (v == tiny_bytes[pos])
                continue;
            memcpy(copy, tiny_bytes, len);
            copy[pos] = (uint8_t)v;
            read_damaged(ctx, copy, len, &accepted, &rejected);
        }
    }
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_gt(rejected, 0);
    free(copy);
    ir_ctx_free(ctx);
}
END_TEST

/* Specific damage, with the exact message and offset. Offsets refer to
 * tiny_bytes: strings payload at 7, items section id at 18, its payload
 * at 20, the ret opcode at 33. */
START_TEST(t_located_errors)
{
    uint8_t b[sizeof tiny_bytes];
#define DAMAGE(pos, val, msg)                                   \
    do {                                                        \
        memcpy(b, tiny_bytes, sizeof b);                        \
        b[pos] = (val);                                         \
        expect_error(b, sizeof b, "test.yvmb:byte " msg);       \
    } while (0)
    DAMAGE(0, 'm', "0: error: bad magic (not a yvm binary module)");
    DAMAGE(3, 'X', "3: error: bad magic (not a yvm binary module)");
    DAMAGE(4, 0x04, "4: error: unsupported version 4 (this reader reads 1 to 3)");
    DAMAGE(4, 0x81, "4: error: unsupported version 129 (this reader reads 1 to 3)");
    DAMAGE(5, 0x02, "5: error: expected section 1 (strings), found section id 2");
    DAMAGE(6, 0x7f, "6: error: section 1 (strings) length 127 exceeds the 34 bytes left");
    DAMAGE(6, 0x0c, "18: error: unused bytes at the end of section 1 (strings)");
    DAMAGE(6, 0x0a, "12: error: string length 5 exceeds the 4 bytes left");
    DAMAGE(7, 0x0c, "7: error: string count 12 is too large for the 10 bytes left");
    DAMAGE(7, 0x02, "12: error: unused bytes at the end of section 1 (strings)");
    DAMAGE(9, 0x00, "20: error: module name contains a NUL byte");
    DAMAGE(11, ' ', "23: error: bad name ' '");
    DAMAGE(12, 0x06, "12: error: string length 6 exceeds the 5 bytes left");
    DAMAGE(13, '9', "30: error: bad name '9ntry'");
    DAMAGE(18, 0x03, "18: error: expected section 2 (items), found section id 3");
    DAMAGE(19, 0x14, "40: error: unexpected end of section 2 (items)");
    DAMAGE(19, 0x16, "19: error: section 2 (items) length 22 exceeds the 21 bytes left");
    DAMAGE(20, 0x04, "20: error: string index 3 out of range (the table has 3)");
    DAMAGE(21, 0x06, "21: error: item count 6 is too large for the 19 bytes left");
    DAMAGE(22, 0x04, "22: error: unknown item kind 4");
    DAMAGE(23, 0x03, "23: error: string index 3 out of range (the table has 3)");
    DAMAGE(24, 0x09, "24: error: unknown type code 9");
    DAMAGE(25, 0x40, "25: error: unknown function attribute bits 0x40");
    DAMAGE(27, 0x01, "28: error: type void is not allowed for a parameter");
    DAMAGE(28, 0x01, "32: error: unused bytes at the end of section 2 (items)");
    DAMAGE(29, 0x02, "41: error: unexpected end of section 2 (items)");
    DAMAGE(30, 0x05, "30: error: string index 4 out of range (the table has 3)");
    DAMAGE(33, 0x7e, "33: error: unknown opcode 126");
    DAMAGE(33, 0x13, "36: error: value number 0 out of range (the function has 0)");
    DAMAGE(35, 0x01, "35: error: value number 0 out of range (the function has 0)");
    DAMAGE(37, 0x03, "37: error: unknown operand kind 3");
    DAMAGE(37, 0x00, "39: error: value number 7 out of range (the function has 0)");
    DAMAGE(37, 0x01, "39: error: item index 7 out of range (the module has 1)");
    DAMAGE(38, 0x00, "38: error: type void is not allowed for an operand");
    DAMAGE(38, 0x01, "39: error: constant 7 out of range for i1");
    DAMAGE(39, 0x87, "40: error: overlong LEB128 integer");
    DAMAGE(40, 0x01, "40: error: target count 1 is too large for the 0 bytes left");
#undef DAMAGE
}
END_TEST

START_TEST(t_hostile_counts)
{
    /* A string count of 2^32 - 1 in a five-byte section. */
    static const uint8_t strings[] = {0x7f, 'Y', 'V', 'M', 0x01, 0x01, 0x05,
                                      0xff, 0xff, 0xff, 0xff, 0x0f};
    expect_error(strings, sizeof strings,
                 "test.yvmb:byte 7: error: string count 4294967295 is too large for the 0 bytes left");
    /* A section length of 2^64 - 1. */
    static const uint8_t length[] = {0x7f, 'Y', 'V', 'M', 0x01, 0x01, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    expect_error(length, sizeof length,
                 "test.yvmb:byte 6: error: section 1 (strings) length 18446744073709551615 exceeds the 0 bytes left");
}
END_TEST

Suite *binary_suite(void)
{
    Suite *s = suite_create("binary");
    TCase *tc = tcase_create("leb128");
    tcase_add_test(tc, t_uleb_values);
    tcase_add_test(tc, t_sleb_values);
    tcase_add_test(tc, t_leb_rejects);
    tcase_add_test(tc, t_leb_round_trip);
    suite_add_tcase(s, tc);

    tc = tcase_create("write");
    tcase_add_test(tc, t_write_tiny);
    tcase_add_test(tc, t_is_binary);
    tcase_add_test(tc, t_const_encoding);
    tcase_add_test(tc, t_round_trip_big);
    tcase_add_test(tc, t_round_trip_empty);
    tcase_add_test(tc, t_strings_deduplicated);
    tcase_add_test(tc, t_round_trip_parsed);
    suite_add_tcase(s, tc);

    tc = tcase_create("damage");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, t_every_truncation);
    tcase_add_test(tc, t_every_byte_change);
    tcase_add_test(tc, t_every_byte_value);
    tcase_add_test(tc, t_located_errors);
    tcase_add_test(tc, t_hostile_counts);
    suite_add_tcase(s, tc);
    return s;
}
