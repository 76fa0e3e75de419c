/* test_prover_proofs.c - proofs (prove.c, batch.c, cache.c): right rules
 * are proved, wrong ones get counterexamples that really are ones
 * (checked by evaluating both sides by hand), vacuous and unknown results,
 * the cache, and the wall-clock backstop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_prover.h"

static RuleSet *rules_or_fail(IrCtx *ctx, const char *text)
{
    RuleSet *set = test_rules(ctx, text);
    ck_assert_msg(set != NULL, "%s", ctx->first_error ? ctx->first_error : "");
    return set;
}

/* The number after "NAME = " in a message. */
static uint64_t value_in(const char *msg, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, " %s = ", name);
    const char *p = strstr(msg, key);
    ck_assert_msg(p != NULL, "no '%s' in: %s", name, msg);
    return strtoull(p + strlen(key), NULL, 10);
}

START_TEST(proves_right_rules)
{
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx,
        "rule not-plus-const\n  %nx = xor T %x, -1\n  %r = add T %nx, C\n=>\n"
        "  %r = sub T C-1, %x\n"
        "rule udiv-pow2 pre isPowerOf2(C)\n  %r = udiv T %x, C\n=>\n"
        "  %r = lshr T %x, log2(C)\n"
        "rule sdiv-m1\n  %r = sdiv T %x, -1\n=>\n  %r = subc T 0, %x\n"
        "rule shl-width pre C == width\n  %r = shl T %x, C\n=>\n  %r = %x\n"
        "rule keep-trap\n  %a = addcu T %x, %y\n  %r = subcu T %a, %y\n=>\n"
        "  %r = sub T %a, %y\n");
    for (uint32_t i = 0; i < set->nrules; i++) {
        Rule *r = set->rules[i];
        for (uint32_t k = 0; k < r->ncombos; k++) {
            char *msg;
            ProofStats st = {0};
            ProofStatus s = prover_check_combo(r, r->combos[k], 0, &msg, &st);
            ck_assert_msg(s == PROOF_PROVED, "%s at i%u: %s", r->name, r->combos[k][0],
                          msg ? msg : "");
            ck_assert_ptr_null(msg);
            ck_assert_uint_gt(st.queries, 0);
        }
    }
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(counterexample_udiv_udiv)
{
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx, "rule udiv-udiv widths 8\n  %a = udiv T %x, C1\n"
                                      "  %r = udiv T %a, C2\n=>\n  %r = udiv T %x, C1*C2\n");
    Rule *r = set->rules[0];
    char *msg;
    ck_assert_int_eq(prover_check_combo(r, r->combos[0], 0, &msg, NULL), PROOF_WRONG);
    ck_assert_msg(strncmp(msg, "wrong at i8: x = ", 17) == 0, "%s", msg);
    /* Evaluate both sides of the counterexample by hand. */
    uint64_t x = value_in(msg, "x"), c1 = value_in(msg, "C1"), c2 = value_in(msg, "C2");
    uint64_t prod = (c1 * c2) & 0xff;
    char want[160];
    if (c1 == 0 || c2 == 0)
        ck_abort_msg("both sides trap alike for a zero divisor: %s", msg);
    if (prod == 0)
        snprintf(want, sizeof want, ": source %llu, target traps (division by zero)",
                 (unsigned long long)(x / c1 / c2));
    else
        snprintf(want, sizeof want, ": source %llu, target %llu",
                 (unsigned long long)(x / c1 / c2), (unsigned long long)(x / prod));
    ck_assert_msg(strstr(msg, want) != NULL, "%s (want %s)", msg, want);
    ck_assert_msg(prod == 0 || x / c1 / c2 != x / prod, "not a counterexample: %s", msg);
    free(msg);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(counterexample_mulc_shl)
{
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx, "rule mulc-shl widths 16 pre isPowerOf2(C)\n"
                                      "  %r = mulc T %x, C\n=>\n  %r = shl T %x, log2(C)\n");
    Rule *r = set->rules[0];
    char *msg;
    ck_assert_int_eq(prover_check_combo(r, r->combos[0], 0, &msg, NULL), PROOF_WRONG);
    uint64_t x = value_in(msg, "x"), c = value_in(msg, "C");
    ck_assert_msg(c && !(c & (c - 1)), "C is not a power of two: %s", msg);
    int64_t sx = (int16_t)x, sc = (int16_t)c, p = sx * sc;
    ck_assert_msg(p < -32768 || p > 32767, "x * C does not overflow: %s", msg);
    char want[96];
    snprintf(want, sizeof want, ": source traps (integer overflow), target %llu",
             (unsigned long long)((x * c) & 0xffff));
    ck_assert_msg(strstr(msg, want) != NULL, "%s (want %s)", msg, want);
    free(msg);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

/* Messages whose every value is forced. */
typedef struct Exact {
    const char *rule;
    ProofStatus status;
    const char *msg;
} Exact;

static const Exact exact[] = {
    {"rule a\n  %r = udiv T %x, %x\n=>\n  %r = 1\n", PROOF_WRONG,
     "wrong at i1: x = 0: source traps (division by zero), target 1"},
    {"rule a\n  %r = sdiv T %x, -1\n=>\n  %r = sub T 0, %x\n", PROOF_WRONG,
     "wrong at i1: x = 1: source traps (integer overflow), target 1"},
    {"rule a\n  %r = mulc T %x, 1\n=>\n  %r = %x\n", PROOF_WRONG,
     "wrong at i1: x = 1: source traps (integer overflow), target 1"},
    {"rule a\n  widths T = 1\n  widths U = 8\n  widths V = 16\n  %a = zext T %x to U\n"
     "  %r = sext U %a to V\n=>\n  %r = sext T %x to V\n", PROOF_WRONG,
     "wrong at i1/i8/i16: x = 1: source 1, target 65535"},
    {"rule a pre C u< 0\n  %r = add T %x, C\n=>\n  %r = %x\n", PROOF_VACUOUS,
     "vacuous at i1: the precondition never holds"},
    {"rule a\n  %r = udiv T %x, 0\n=>\n  %r = subcu T 0, 1\n", PROOF_WRONG, NULL},
    {"rule a\n  %r = mul T %x, C\n=>\n  %r = shl T %x, log2(C)\n", PROOF_WRONG, NULL},
    {"rule a widths 8\n  %r = shl T %x, 8\n=>\n  %r = %x\n", PROOF_PROVED, NULL},
    {"rule a widths 8\n  %r = lshr T %x, 9\n=>\n  %r = lshr T %x, 1\n", PROOF_PROVED, NULL},
    {"rule a widths 8\n  %r = srem T %x, 0\n=>\n  %r = urem T %x, 0\n", PROOF_PROVED, NULL},
    {"rule a widths 8\n  %r = srem T -128, -1\n=>\n  %r = subc T 0, -128\n", PROOF_PROVED, NULL},
    {"rule a widths 8\n  %r = srem T -128, -1\n=>\n  %r = udiv T 1, 0\n", PROOF_WRONG,
     "wrong at i8: source traps (integer overflow), target traps (division by zero)"},
};

START_TEST(exact_messages)
{
    const Exact *e = &exact[_i];
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx, e->rule);
    Rule *r = set->rules[0];
    char *msg = NULL;
    ProofStatus s = PROOF_PROVED;
    for (uint32_t k = 0; k < r->ncombos && s == PROOF_PROVED; k++) {
        free(msg);
        s = prover_check_combo(r, r->combos[k], 0, &msg, NULL);
    }
    ck_assert_msg(s == e->status, "case %d: %s: %s", _i, proof_status_name(s),
                  msg ? msg : "");
    if (e->msg)
        ck_assert_str_eq(msg, e->msg);
    if (s == PROOF_WRONG && !e->msg) /* at least the shape */
        ck_assert_msg(strncmp(msg, "wrong at i", 10) == 0, "%s", msg);
    free(msg);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(undefined_target_constant)
{
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx, "rule a widths 8\n  %r = mul T %x, C\n=>\n"
                                      "  %r = shl T %x, log2(C)\n");
    char *msg;
    ck_assert_int_eq(prover_check_combo(set->rules[0], set->rules[0]->combos[0], 0, &msg, NULL),
                     PROOF_WRONG);
    ck_assert_msg(strstr(msg, ": target constant log2(C) is undefined") != NULL, "%s", msg);
    uint64_t c = value_in(msg, "C");
    ck_assert_msg(c == 0 || (c & (c - 1)), "C = %llu is a power of two", (unsigned long long)c);
    free(msg);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(unknown_on_tiny_rlimit)
{
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx, "rule a widths 32\n  %a = udiv T %x, C1\n"
                                      "  %r = udiv T %a, C2\n=>\n  %r = udiv T %x, C1*C2\n");
    char *msg;
    ck_assert_int_eq(prover_check_combo(set->rules[0], set->rules[0]->combos[0], 1, &msg, NULL),
                     PROOF_UNKNOWN);
    ck_assert_msg(strncmp(msg, "unknown at i32: ", 16) == 0 && strstr(msg, "resource"), "%s",
                  msg);
    free(msg);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

/* ---- whole sets: workers, the cache, the backstop ---- */

static void remove_tree(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static bool run_set(RuleSet *set, ProverOptions *opt, RuleVerdict *v)
{
    bool ok = prover_check_set(set, opt, v, NULL, NULL);
    return ok;
}

START_TEST(cache_hits_and_misses)
{
    char dir[] = "/tmp/yvm-prover-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *text =
        "rule a\n  %r = add T %x, 0\n=>\n  %r = %x\n"
        "rule b widths 8..64\n  %r = mul T %x, 2\n=>\n  %r = add T %x, %x\n"
        "rule c\n  %r = udiv T %x, %x\n=>\n  %r = 1\n";
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx, text);
    ProverOptions opt = {.cache_dir = dir, .jobs = 2};
    RuleVerdict v[3];

    ck_assert(!run_set(set, &opt, v)); /* c is wrong */
    ck_assert_int_eq(v[0].status, PROOF_PROVED);
    ck_assert_str_eq(v[0].text, "proved at i1 i8 i16 i32 i64");
    ck_assert_uint_eq(v[0].nchecked, 5);
    ck_assert_uint_eq(v[0].ncached, 0);
    ck_assert_str_eq(v[1].text, "proved at i8 i16 i32 i64");
    ck_assert_int_eq(v[2].status, PROOF_WRONG);
    ck_assert_str_eq(v[2].text, "wrong at i1: x = 0: source traps (division by zero), target 1");
    for (int i = 0; i < 3; i++)
        prover_verdict_free(&v[i]);

    /* Again: the proofs come from the cache, the failure is recomputed. */
    ck_assert(!run_set(set, &opt, v));
    ck_assert_uint_eq(v[0].ncached, 5);
    ck_assert_uint_eq(v[1].ncached, 4);
    ck_assert_int_eq(v[1].status, PROOF_PROVED);
    ck_assert_uint_eq(v[2].ncached, 0);
    ck_assert_int_eq(v[2].status, PROOF_WRONG);
    for (int i = 0; i < 3; i++)
        prover_verdict_free(&v[i]);
    test_rules_free(set);

    /* A changed rule (here only a width list) never meets an old proof;
     * a respelled one (spacing, comments) does. */
    set = rules_or_fail(ctx, "rule a widths 1..32\n  %r = add T %x, 0\n=>\n  %r = %x\n"
                             "rule b widths 8..64 ; the same rule\n  %r = mul   T %x,2\n=>\n"
                             "  %r = add T %x,%x\n");
    ck_assert(run_set(set, &opt, v));
    ck_assert_uint_eq(v[0].ncached, 0);
    ck_assert_uint_eq(v[0].nchecked, 4);
    ck_assert_uint_eq(v[1].ncached, 4);
    for (int i = 0; i < 2; i++)
        prover_verdict_free(&v[i]);

    /* --widths: only the combinations asked for. */
    opt.widths = 1u << 1; /* i8 */
    ck_assert(run_set(set, &opt, v));
    ck_assert_str_eq(v[0].text, "proved at i8");
    ck_assert_uint_eq(v[0].nchecked, 1);
    for (int i = 0; i < 2; i++)
        prover_verdict_free(&v[i]);
    test_rules_free(set);
    ir_ctx_free(ctx);
    remove_tree(dir);
}
END_TEST

START_TEST(wall_clock_backstop)
{
    /* Proving this takes the solver many seconds; the worker is killed
     * after one, the rule is unknown, and the next rule still gets a
     * fresh worker. */
    IrCtx *ctx = ir_ctx_new();
    RuleSet *set = rules_or_fail(ctx,
        "rule slow\n  %r = udiv i16 %x, 10\n=>\n  %w = zext i16 %x to i32\n"
        "  %m = mul i32 %w, 52429\n  %s = lshr i32 %m, 19\n  %r = trunc i32 %s to i16\n"
        "rule quick\n  %r = add T %x, 0\n=>\n  %r = %x\n");
    ProverOptions opt = {.timeout = 1, .jobs = 1};
    RuleVerdict v[2];
    ck_assert(!prover_check_set(set, &opt, v, NULL, NULL));
    ck_assert_int_eq(v[0].status, PROOF_UNKNOWN);
    ck_assert_str_eq(v[0].text, "unknown at i16: timeout: still running after 1 s");
    ck_assert_int_eq(v[1].status, PROOF_PROVED);
    for (int i = 0; i < 2; i++)
        prover_verdict_free(&v[i]);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

Suite *proof_suite(void)
{
    Suite *s = suite_create("proofs");
    TCase *tc = tcase_create("proofs");
    tcase_add_test(tc, proves_right_rules);
    tcase_add_test(tc, counterexample_udiv_udiv);
    tcase_add_test(tc, counterexample_mulc_shl);
    tcase_add_loop_test(tc, exact_messages, 0, (int)(sizeof exact / sizeof *exact));
    tcase_add_test(tc, undefined_target_constant);
    tcase_add_test(tc, unknown_on_tiny_rlimit);
    tcase_add_test(tc, cache_hits_and_misses);
    tcase_add_test(tc, wall_clock_backstop);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}
