/* test_prover_encode.c - the SMT encoding (prover/encode.c) against a
 * plain C model of the integer semantics written from spec/yvm-ir.md and
 * the brief: for many inputs at every width, each instruction's value and
 * trap conditions, evaluated by Z3 on numerals (its rewriter) and by the
 * solver on bit-constrained variables (its bit-blaster), must agree with
 * the model. Constant expressions are checked against rule_eval.c the
 * same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "test_prover.h"

/* ---- the C model ---- */

typedef struct Ref {
    uint64_t value;
    TrapKind trap;
} Ref;

static uint64_t mask(unsigned w)
{
    return w == 64 ? UINT64_MAX : (UINT64_C(1) << w) - 1;
}

static __int128 sval(uint64_t v, unsigned w)
{
    v &= mask(w);
    return (v >> (w - 1)) & 1 ? (__int128)v - ((__int128)1 << w) : (__int128)v;
}

static bool fits_signed(__int128 x, unsigned w)
{
    return x >= -((__int128)1 << (w - 1)) && x < ((__int128)1 << (w - 1));
}

static Ref ref_binary(IrOpcode op, unsigned w, uint64_t a, uint64_t b)
{
    uint64_t m = mask(w);
    __int128 sa = sval(a, w), sb = sval(b, w);
    unsigned amount = (unsigned)(b % w);
    Ref r = {0, TRAP_NONE};
    switch (op) {
    case IR_ADD: r.value = a + b; break;
    case IR_SUB: r.value = a - b; break;
    case IR_MUL: r.value = a * b; break;
    case IR_UDIV: case IR_UREM:
        if (b == 0)
            r.trap = TRAP_DIV_ZERO;
        else
            r.value = op == IR_UDIV ? a / b : a % b;
        break;
    case IR_SDIV: case IR_SREM:
        if (b == 0)
            r.trap = TRAP_DIV_ZERO;
        else if (sa == -((__int128)1 << (w - 1)) && sb == -1)
            r.trap = TRAP_OVERFLOW;
        else /* C division truncates toward zero; % takes the dividend's sign */
            r.value = (uint64_t)(op == IR_SDIV ? sa / sb : sa % sb);
        break;
    case IR_AND: r.value = a & b; break;
    case IR_OR: r.value = a | b; break;
    case IR_XOR: r.value = a ^ b; break;
    case IR_SHL: r.value = amount >= 64 ? 0 : a << amount; break;
    case IR_LSHR: r.value = a >> amount; break;
    case IR_ASHR: r.value = (uint64_t)(sa >> amount); break;
    case IR_ADDC: case IR_SUBC: case IR_MULC: {
        __int128 x = op == IR_ADDC ? sa + sb : op == IR_SUBC ? sa - sb : sa * sb;
        if (!fits_signed(x, w))
            r.trap = TRAP_OVERFLOW;
        r.value = (uint64_t)x;
        break;
    }
    case IR_ADDCU:
        if ((unsigned __int128)a + b > m)
            r.trap = TRAP_OVERFLOW;
        r.value = a + b;
        break;
    case IR_SUBCU:
        if (a < b)
            r.trap = TRAP_OVERFLOW;
        r.value = a - b;
        break;
    case IR_MULCU:
        if ((unsigned __int128)a * b > m)
            r.trap = TRAP_OVERFLOW;
        r.value = a * b;
        break;
    default: ck_abort_msg("no model for %s", ir_op_info[op].name);
    }
    r.value &= m;
    if (r.trap)
        r.value = 0;
    return r;
}

static bool ref_icmp(IrICond c, unsigned w, uint64_t a, uint64_t b)
{
    __int128 sa = sval(a, w), sb = sval(b, w);
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

/* ---- inputs ---- */

static const unsigned widths[] = {1, 8, 16, 32, 64};

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t next(Rng *g)
{
    g->s = g->s * 6364136223846793005u + 1442695040888963407u;
    uint64_t x = g->s;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9u;
    return x ^ (x >> 32);
}

/* Edge values first, then random ones of every magnitude. */
static uint64_t input(Rng *g, unsigned w, unsigned k)
{
    uint64_t m = mask(w), min = UINT64_C(1) << (w - 1);
    const uint64_t edges[] = {0, 1, m, min, min - 1, min + 1, 2, m - 1};
    if (k < sizeof edges / sizeof *edges)
        return edges[k] & m;
    uint64_t v = next(g);
    switch (k % 4) {
    case 0: return v & m;
    case 1: return (v >> (v % 64)) & m;          /* small */
    case 2: return (~(v >> (v % 64))) & m;       /* near -1 */
    default: return (min ^ (v >> (v % 63 + 1))) & m;
    }
}

/* ---- evaluation by Z3 ---- */

static uint64_t numeral(Smt *s, Z3_ast t)
{
    Z3_ast v = Z3_simplify(s->c, t);
    uint64_t out = 0;
    ck_assert_msg(v && Z3_get_numeral_uint64(s->c, v, &out), "not a numeral: %s",
                  Z3_ast_to_string(s->c, v));
    return out;
}

static bool truth(Smt *s, Z3_ast t)
{
    Z3_lbool b = Z3_get_bool_value(s->c, Z3_simplify(s->c, t));
    ck_assert_msg(b != Z3_L_UNDEF, "not a truth value");
    return b == Z3_L_TRUE;
}

static TrapKind trap_of(Smt *s, const SmtInst *in)
{
    return truth(s, in->div_zero) ? TRAP_DIV_ZERO : truth(s, in->overflow) ? TRAP_OVERFLOW
                                                                          : TRAP_NONE;
}

/* A variable whose bits are pinned one by one, so that the solver has to
 * bit-blast the instruction instead of folding numerals. */
static Z3_ast pinned(Smt *s, Z3_solver so, const char *name, uint64_t v, unsigned w)
{
    Z3_ast x = smt_var(s, name, w);
    for (unsigned i = 0; i < w; i++) {
        Z3_ast bit = Z3_mk_extract(s->c, i, i, x);
        Z3_solver_assert(s->c, so, Z3_mk_eq(s->c, bit, smt_bv(s, v >> i & 1, 1)));
    }
    return x;
}

/* The solver must find no way for the instruction to differ from ref. */
static void solver_agrees(IrOpcode op, unsigned w, uint64_t a, uint64_t b, Ref ref)
{
    Smt s;
    ck_assert(smt_init(&s));
    Z3_solver so = Z3_mk_solver_for_logic(s.c, Z3_mk_string_symbol(s.c, "QF_BV"));
    Z3_solver_inc_ref(s.c, so);
    Z3_ast args[2] = {pinned(&s, so, "a", a, w), pinned(&s, so, "b", b, w)};
    SmtInst in;
    ck_assert(smt_inst(&s, op, IR_ICMP_EQ, w, 0, args, &in));
    Z3_ast want[3] = {
        ref.trap == TRAP_DIV_ZERO ? in.div_zero : Z3_mk_not(s.c, in.div_zero),
        ref.trap == TRAP_DIV_ZERO ? Z3_mk_true(s.c)
        : ref.trap == TRAP_OVERFLOW ? in.overflow : Z3_mk_not(s.c, in.overflow),
        ref.trap ? Z3_mk_true(s.c) : Z3_mk_eq(s.c, in.value, smt_bv(&s, ref.value, w)),
    };
    Z3_solver_assert(s.c, so, Z3_mk_not(s.c, Z3_mk_and(s.c, 3, want)));
    Z3_lbool res = Z3_solver_check(s.c, so);
    ck_assert_msg(res == Z3_L_FALSE, "%s i%u %llu, %llu: the solver disagrees (%d)",
                  ir_op_info[op].name, w, (unsigned long long)a, (unsigned long long)b, res);
    Z3_solver_dec_ref(s.c, so);
    ck_assert(!s.failed);
    smt_fini(&s);
}

static const IrOpcode binops[] = {
    IR_ADD, IR_SUB, IR_MUL, IR_SDIV, IR_UDIV, IR_SREM, IR_UREM, IR_AND, IR_OR, IR_XOR,
    IR_SHL, IR_LSHR, IR_ASHR, IR_ADDC, IR_SUBC, IR_MULC, IR_ADDCU, IR_SUBCU, IR_MULCU,
};
enum { NBINOPS = sizeof binops / sizeof *binops };

START_TEST(binary_ops)
{
    IrOpcode op = binops[_i];
    Smt s;
    ck_assert(smt_init(&s));
    Rng g = {(uint64_t)_i * 977 + 1};
    for (unsigned wi = 0; wi < 5; wi++) {
        unsigned w = widths[wi];
        unsigned n = w == 1 ? 4 : 120;
        for (unsigned k = 0; k < n; k++) {
            uint64_t a = w == 1 ? (k & 1) : input(&g, w, k);
            uint64_t b = w == 1 ? (k >> 1 & 1) : input(&g, w, (k * 7 + 3) % n);
            Ref ref = ref_binary(op, w, a, b);
            Z3_ast args[2] = {smt_bv(&s, a, w), smt_bv(&s, b, w)};
            SmtInst in;
            ck_assert(smt_inst(&s, op, IR_ICMP_EQ, w, 0, args, &in));
            TrapKind t = trap_of(&s, &in);
            ck_assert_msg(t == ref.trap, "%s i%u %llu, %llu: trap %d, want %d",
                          ir_op_info[op].name, w, (unsigned long long)a,
                          (unsigned long long)b, t, ref.trap);
            if (!t) {
                uint64_t v = numeral(&s, in.value);
                ck_assert_msg(v == ref.value, "%s i%u %llu, %llu: %llu, want %llu",
                              ir_op_info[op].name, w, (unsigned long long)a,
                              (unsigned long long)b, (unsigned long long)v,
                              (unsigned long long)ref.value);
            }
            /* The bit-blasted path, on fewer inputs (it is slower: most
             * of all a 64-bit divider or multiplier, about 1 s each). */
            if (w == 1 || k == 3 || (k == 50 && w < 64))
                solver_agrees(op, w, a, b, ref);
        }
    }
    ck_assert(!s.failed);
    smt_fini(&s);
}
END_TEST

START_TEST(icmp_select)
{
    Smt s;
    ck_assert(smt_init(&s));
    Rng g = {7};
    for (unsigned wi = 0; wi < 5; wi++) {
        unsigned w = widths[wi];
        for (unsigned k = 0; k < 60; k++) {
            uint64_t a = input(&g, w, k), b = input(&g, w, (k * 5 + 1) % 60);
            Z3_ast args[3] = {smt_bv(&s, a, w), smt_bv(&s, b, w)};
            for (int c = 0; c < IR_ICMP_COUNT; c++) {
                SmtInst in;
                ck_assert(smt_inst(&s, IR_ICMP, (IrICond)c, w, 0, args, &in));
                ck_assert_uint_eq(numeral(&s, in.value), ref_icmp((IrICond)c, w, a, b));
                ck_assert(!truth(&s, in.div_zero) && !truth(&s, in.overflow));
            }
            for (uint64_t cond = 0; cond < 2; cond++) {
                Z3_ast sel[3] = {smt_bv(&s, cond, 1), args[0], args[1]};
                SmtInst in;
                ck_assert(smt_inst(&s, IR_SELECT, IR_ICMP_EQ, w, 0, sel, &in));
                ck_assert_uint_eq(numeral(&s, in.value), cond ? a : b);
            }
        }
    }
    ck_assert(!s.failed);
    smt_fini(&s);
}
END_TEST

START_TEST(conversions)
{
    Smt s;
    ck_assert(smt_init(&s));
    Rng g = {11};
    for (unsigned i = 0; i < 5; i++)
        for (unsigned j = 0; j < 5; j++) {
            unsigned from = widths[i], to = widths[j];
            if (from == to)
                continue;
            IrOpcode ops[2] = {IR_ZEXT, IR_SEXT};
            unsigned nops = from < to ? 2 : 1;
            if (from > to)
                ops[0] = IR_TRUNC;
            for (unsigned k = 0; k < 40; k++) {
                uint64_t a = input(&g, from, k);
                Z3_ast args[1] = {smt_bv(&s, a, from)};
                for (unsigned o = 0; o < nops; o++) {
                    SmtInst in;
                    ck_assert(smt_inst(&s, ops[o], IR_ICMP_EQ, from, to, args, &in));
                    uint64_t want = ops[o] == IR_SEXT ? (uint64_t)sval(a, from) & mask(to)
                                                      : a & mask(to);
                    ck_assert_msg(numeral(&s, in.value) == want, "%s i%u -> i%u %llu",
                                  ir_op_info[ops[o]].name, from, to, (unsigned long long)a);
                }
            }
        }
    ck_assert(!s.failed);
    smt_fini(&s);
}
END_TEST

/* ---- constant expressions: SMT against rule_eval.c ---- */

static const char *const exprs[] = {
    "C + 3", "C - 5", "C * C", "C & 12", "C | 1", "C ^ -1", "-C", "~C",
    "C << 3", "shl(C, C)", "lshr(C, 2)", "ashr(C, C)", "udiv(100, C)", "urem(C, 7)",
    "sdiv(C, -1)", "srem(-7, C)", "log2(C)", "abs(C)", "umin(C, 9)", "umax(C, -C)",
    "smin(C, 3)", "smax(C, -3)", "ctz(C)", "clz(C)", "popcount(C)", "width", "intmin",
    "intmax", "width - log2(C)",
};

static const char *const preds[] = {
    "C == 3", "C != 0", "C u< 8", "C u<= 8", "C u> 8", "C u>= 8", "C s< 0", "C s<= -1",
    "C s> 1", "C s>= 1", "isPowerOf2(C)", "isPowerOf2OrZero(C)", "isMask(C)",
    "isShiftedMask(C)", "noSignedAddOverflow(C, 100)", "noUnsignedAddOverflow(C, C)",
    "noSignedSubOverflow(0, C)", "noUnsignedSubOverflow(5, C)",
    "noSignedMulOverflow(C, -3)", "noUnsignedMulOverflow(C, 3)",
    "!(C == 1) && log2(C) u> 1", "C == 0 || udiv(1, C) == 0", "!(C u< 4)",
};

static void check_expr(const char *text, bool is_pred, unsigned w, Rng *g)
{
    char rule[512];
    if (is_pred)
        snprintf(rule, sizeof rule, "rule e widths %u pre %s\n  %%r = add T %%x, C\n=>\n"
                 "  %%r = %%x\n", w, text);
    else
        snprintf(rule, sizeof rule, "rule e widths %u\n  %%r = add T %%x, C\n=>\n"
                 "  %%r = add T %%x, %s\n", w, text);
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = test_rules(ctx, rule);
    ck_assert_msg(set != NULL, "%s: %s", text, ctx->first_error ? ctx->first_error : "");
    Rule *r = set->rules[0];
    const RuleExpr *e = is_pred ? r->pre : r->tgt[0].opd[1].expr;
    uint8_t combo[RULE_MAX_TYPEVARS] = {(uint8_t)w};
    Smt s;
    ck_assert(smt_init(&s));
    for (unsigned k = 0; k < 40; k++) {
        uint64_t c = input(g, w, k);
        Z3_ast consts[1] = {smt_bv(&s, c, w)};
        SmtEnv env = {r, combo, consts, NULL};
        Z3_ast v, d;
        ck_assert(smt_expr(&s, &env, e, &v, &d));
        uint64_t want = 0;
        RuleBinding b = {combo, &c, NULL};
        bool defined = rule_eval_expr(r, e, &b, &want);
        ck_assert_msg(truth(&s, d) == defined, "%s at i%u, C = %llu: defined", text, w,
                      (unsigned long long)c);
        if (!defined)
            continue;
        uint64_t got = is_pred ? truth(&s, v) : numeral(&s, v);
        ck_assert_msg(got == want, "%s at i%u, C = %llu: SMT %llu, eval %llu", text, w,
                      (unsigned long long)c, (unsigned long long)got,
                      (unsigned long long)want);
    }
    ck_assert(!s.failed);
    smt_fini(&s);
    test_rules_free(set);
    ir_ctx_free(ctx);
}

START_TEST(expressions)
{
    Rng g = {99};
    for (unsigned wi = 1; wi < 5; wi++) /* i1 has no room for most literals */
        for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++)
            check_expr(exprs[i], false, widths[wi], &g);
    for (unsigned wi = 1; wi < 5; wi++)
        for (size_t i = 0; i < sizeof preds / sizeof *preds; i++)
            check_expr(preds[i], true, widths[wi], &g);
    check_expr("C + 1", false, 1, &g);
    check_expr("C s< 0 && intmax == C - C && intmin == C | 1", true, 1, &g);
}
END_TEST

Suite *encoding_suite(void)
{
    Suite *s = suite_create("encoding");
    TCase *tc = tcase_create("instructions");
    tcase_add_loop_test(tc, binary_ops, 0, NBINOPS);
    tcase_add_test(tc, icmp_select);
    tcase_add_test(tc, conversions);
    tcase_add_test(tc, expressions);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}
