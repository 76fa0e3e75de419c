/* test_prover_rules.c - the rule reader (rule_parse.c): structure of
 * parsed rules, width combinations, the canonical printer, located errors
 * for malformed rules, robustness against mutated input, and concrete
 * evaluation of constant expressions (rule_eval.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_prover.h"

static IrCtx *quiet_ctx(void)
{
    IrCtx *ctx = ir_ctx_new();
    ck_assert_ptr_nonnull(ctx);
    return ctx; /* no echo: messages are checked through first_error */
}

START_TEST(parse_example)
{
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx,
        "; the brief's example\n"
        "rule not-plus-const widths 1,8,16,32,64\n"
        "  %nx = xor T %x, -1\n"
        "  %r = add T %nx, C\n"
        "=>\n"
        "  %r = sub T C-1, %x\n");
    ck_assert_ptr_nonnull(set);
    ck_assert_uint_eq(set->nrules, 1);
    Rule *r = set->rules[0];
    ck_assert_str_eq(r->name, "not-plus-const");
    ck_assert_uint_eq(r->ntypevars, 1);
    ck_assert_str_eq(r->typevars[0].name, "T");
    ck_assert_uint_eq(r->typevars[0].widths, RULE_ALL_WIDTHS);
    ck_assert_uint_eq(r->ncombos, 5);
    ck_assert_uint_eq(r->nsrc, 2);
    ck_assert_uint_eq(r->ntgt, 1);
    ck_assert_uint_eq(r->nconsts, 1);
    ck_assert_str_eq(r->consts[0].name, "C");
    ck_assert_uint_eq(r->src[0].op, IR_XOR);
    ck_assert_uint_eq(r->src[1].op, IR_ADD);
    ck_assert_uint_eq(r->tgt[0].op, IR_SUB);
    ck_assert_str_eq(r->values[r->root].name, "r");
    ck_assert_uint_eq(r->tgt[0].result, r->root);
    const RuleExpr *e = r->tgt[0].opd[0].expr;
    ck_assert_uint_eq(r->tgt[0].opd[0].kind, RO_EXPR);
    ck_assert_uint_eq(e->kind, RX_BINARY);
    ck_assert_uint_eq(e->op, RB_SUB);
    ck_assert_uint_eq(e->args[0]->kind, RX_CONST);
    ck_assert_uint_eq(e->args[1]->kind, RX_LIT);
    ck_assert_uint_eq(e->args[1]->mag, 1);
    /* The source literal -1 is a negative literal, not an expression. */
    const RuleExpr *m1 = r->src[0].opd[1].expr;
    ck_assert_uint_eq(m1->kind, RX_LIT);
    ck_assert(m1->neg);
    ck_assert_uint_eq(m1->mag, 1);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(parse_combos)
{
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx,
        "rule narrower\n"
        "  widths T = 8..32\n"
        "  widths U = 16..64\n"
        "  widths V = 1, 8, 16\n"
        "  where V < T\n"
        "  %a = zext T %x to U\n"
        "  %r = trunc U %a to V\n"
        "=>\n"
        "  %r = trunc T %x to V\n"
        "rule fixed\n"
        "  %a = zext i8 %x to i32\n"
        "  %r = trunc i32 %a to i8\n"
        "=>\n"
        "  %r = %x\n"
        "rule implicit-t\n"
        "  widths 8..64\n"
        "  %r = mul T %x, 2\n"
        "=>\n"
        "  %r = add T %x, %x\n");
    ck_assert_ptr_nonnull(set);
    Rule *r = set->rules[0];
    /* T=8: U in 16,32,64, V=1 (3); T=16: U in 32,64, V in 1,8 (4);
     * T=32: U=64, V in 1,8,16 (3). */
    ck_assert_uint_eq(r->ncombos, 10);
    for (uint32_t k = 0; k < r->ncombos; k++) {
        const uint8_t *c = r->combos[k];
        ck_assert(c[0] < c[1] && c[2] < c[1] && c[2] < c[0]);
    }
    char buf[64];
    ck_assert_str_eq(rule_combo_name(r, r->combos[0], buf, sizeof buf), "i8/i16/i1");
    /* No type variable: one combination, named by the root's type. */
    ck_assert_uint_eq(set->rules[1]->ncombos, 1);
    ck_assert_str_eq(rule_combo_name(set->rules[1], set->rules[1]->combos[0], buf,
                                     sizeof buf), "i8");
    ck_assert_uint_eq(set->rules[2]->ncombos, 4);
    ck_assert_uint_eq(set->rules[2]->combos[0][0], 8);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

/* Print, re-read, print again: the same text, and re-reading works. */
static const char *const roundtrip_rules =
    "rule a widths 8..64 pre isPowerOf2(C) && C u> 1 && !(C == intmin)\n"
    "  %r = sdiv T %x, C\n"
    "=>\n"
    "  %s = ashr T %x, width - 1\n"
    "  %b = lshr T %s, width - log2(C)\n"
    "  %t = add T %x, %b\n"
    "  %r = ashr T %t, log2(C)\n"
    "rule b\n"
    "  widths T = 1..32\n"
    "  widths U = 8..64\n"
    "  where T <= U\n"
    "  pre lshr(C, width(T)) == 0 || (C & ~-1) != 0 && %x s>= -1\n"
    "  %a = zext T %x to U\n"
    "  %r = icmp eq U %a, C\n"
    "=>\n"
    "  %r = icmp eq T %x, trunc(C)\n"
    "rule c\n"
    "  %c = icmp ult T C1, C2\n"
    "  %r = select T %c, %y, %z\n"
    "=>\n"
    "  %r = select T C1 u< C2, %y, %z\n"
    "rule d widths 8..64\n"
    "  %r = add T %x, C\n"
    "=>\n"
    "  %r = add T %x, --C * (C ^ 3 | 0x10 << 1) + umax(C, -C) - popcount(~C)\n";

START_TEST(print_roundtrip)
{
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx, roundtrip_rules);
    ck_assert_msg(set != NULL, "%s", ctx->first_error ? ctx->first_error : "");
    for (uint32_t i = 0; i < set->nrules; i++) {
        char *text = rule_print(set->rules[i]);
        RuleSet *again = test_rules(ctx, text);
        ck_assert_msg(again != NULL, "re-reading:\n%s\n%s", text,
                      ctx->first_error ? ctx->first_error : "");
        char *text2 = rule_print(again->rules[0]);
        ck_assert_str_eq(text, text2);
        ck_assert_uint_eq(again->rules[0]->ncombos, set->rules[i]->ncombos);
        free(text);
        free(text2);
        test_rules_free(again);
    }
    char *d = rule_print(set->rules[3]);
    ck_assert_ptr_nonnull(strstr(d, "\n  %r = add T %x, (((--C * ((C ^ 3) | (16 << 1))) + "
                                    "umax(C, -C)) - popcount(~C))\n"));
    free(d);
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

/* Malformed rules: the first error line, exactly. */
typedef struct BadCase {
    const char *text;
    const char *error;
} BadCase;

static const BadCase bad_cases[] = {
    {"rule", "test.yvmr:1:5: error: expected a rule name, found end of file"},
    {"rule r\n  %r = add T %x, 1\n",
     "test.yvmr:3:1: error: expected '=>' between the source and the target, found end of file"},
    {"rule r\n  %r = frob T %x, 1\n=>\n  %r = %x\n",
     "test.yvmr:2:8: error: unknown instruction 'frob'"},
    {"rule r\n  %r = fadd f64 %x, 1\n=>\n  %r = %x\n",
     "test.yvmr:2:8: error: 'fadd' is not supported in rules (only integer arithmetic, icmp, "
     "select, zext, sext and trunc are)"},
    {"rule r\n  %r = add T %x 1\n=>\n  %r = %x\n",
     "test.yvmr:2:17: error: expected ',', found '1'"},
    {"rule r\n  %a = add i8 %x, 1\n  %r = add i16 %x, %a\n=>\n  %r = 0\n",
     "test.yvmr:3:16: error: '%x' has type i8, used here as i16"},
    {"rule r\n  %r = add T %x, 1\n=>\n  %r = add T %x, %y\n",
     "test.yvmr:4:18: error: '%y' is not defined: a target uses inputs, source values and "
     "earlier target values"},
    {"rule r\n  %r = add T %x, C + 1\n=>\n  %r = %x\n",
     "test.yvmr:2:18: error: a source operand is a value, a constant or a literal; constant "
     "expressions belong in the target or the precondition"},
    {"rule r\n  %r = add T %x, C1\n=>\n  %r = add T %x, C2\n",
     "test.yvmr:4:18: error: constant 'C2' does not appear in the source pattern"},
    {"rule r\n  %r = add T %x, 99999999999999999999\n=>\n  %r = %x\n",
     "test.yvmr:2:18: error: integer '99999999999999999999' is out of range (above 2^64 - 1)"},
    {"rule r\n  %r = add T %x, 2\n=>\n  %r = %x\n",
     "test.yvmr:2:18: error: literal 2 does not fit in i1 (at T = i1)"},
    {"rule r\n  %r = add U %x, 1\n=>\n  %r = %x\n",
     "test.yvmr:2:12: error: unknown type 'U': declare it with 'widths U = ...'"},
    {"rule r pre frob(C)\n  %r = add T %x, C\n=>\n  %r = %x\n",
     "test.yvmr:1:12: error: unknown function 'frob'"},
    {"rule r pre C < 3\n  %r = add T %x, C\n=>\n  %r = %x\n",
     "test.yvmr:1:14: error: '<' does not say its signedness: write u< or s<"},
    {"rule r pre (C >> 1) == 0\n  %r = add T %x, C\n=>\n  %r = %x\n",
     "test.yvmr:1:15: error: '>>' does not say its signedness: write lshr(a, b) or ashr(a, b)"},
    {"rule r pre C u< 1 u< 2\n  %r = add T %x, C\n=>\n  %r = %x\n",
     "test.yvmr:1:19: error: comparisons do not chain: add parentheses"},
    {"rule r\n  %r = add T %x, 1\n=>\n  %r = %x\nrule r\n  %r = add T %x, 0\n=>\n  %r = %x\n",
     "test.yvmr:5:6: error: rule 'r' is defined twice"},
    {"rule r\n  %r = add T %x, 1\n=>\n  %r = %x\n  %s = add T %x, 1\n",
     "test.yvmr:4:3: error: the root '%r' must be defined by the target's last instruction"},
    {"rule r\n  %a = add T %x, 1\n  %r = add T %x, 2\n=>\n  %r = %x\n",
     "test.yvmr:2:3: error: '%a' is not used by the source pattern"},
    {"rule r widths U = 8\n  %r = add T %x, 1\n=>\n  %r = %x\n",
     "test.yvmr:1:15: error: type 'U' is not used by the source pattern"},
    {"rule r pre %a == 0\n  %a = add T %x, 1\n  %r = add T %a, 1\n=>\n  %r = %x\n",
     "test.yvmr:1:12: error: the precondition may only mention input values, not '%a'"},
    {"rule r widths 8 where T < T\n  %r = add T %x, 1\n=>\n  %r = %x\n",
     "test.yvmr:1:6: error: rule 'r' claims no width: its conversions or where clauses rule "
     "out every width it lists"},
    {"rule r widths 7\n  %r = add T %x, 1\n=>\n  %r = %x\n",
     "test.yvmr:1:15: error: '7' is not an integer width (1, 8, 16, 32 or 64)"},
    {"rule r\n  %r = add T %x, %x\n=>\n  %r = %r\n",
     "test.yvmr:4:8: error: the target cannot use the root '%r' that it replaces"},
    {"rule r\n  %r = add T %x, 1\n=>\n  %r = add T C, %x\n",
     "test.yvmr:4:14: error: constant 'C' does not appear in the source pattern"},
    {"rule r\n  %r = icmp lt T %x, 1\n=>\n  %r = 0\n",
     "test.yvmr:2:13: error: expected an icmp predicate (eq ne slt sle sgt sge ult ule ugt uge), "
     "found 'lt'"},
    {"rule r\n  %r = zext T %x to T\n=>\n  %r = %x\n",
     "test.yvmr:1:6: error: rule 'r' claims no width: its conversions or where clauses rule "
     "out every width it lists"},
    {"rule r\n  widths U = 8..64\n  %r = zext i8 %x to U\n=>\n  %r = sext i8 %x to U\n",
     NULL}, /* valid: U is 16, 32 or 64 */
    {"rule r\n  widths U = 16..64\n  %r = zext i8 %x to U\n=>\n  %t = trunc i8 %x to i1\n"
     "  %r = zext i1 %t to U\n",
     NULL}, /* valid */
    {"rule r\n  %r = add T %x, C\n=>\n  %r = add T %x, log2(C, 1)\n",
     "test.yvmr:4:24: error: 'log2' takes 1 argument"},
    {"rule r\n  %r = add T %x, C\n=>\n  %r = add T %x, C u< 1\n",
     "test.yvmr:4:20: error: expected a value, found a condition"},
    {"rule r pre C\n  %r = add T %x, C\n=>\n  %r = %x\n",
     "test.yvmr:1:12: error: expected a condition, found a value (compare it with ==, u< ...)"},
    {"rule r pre width u< 3\n  %r = add T %x, C\n=>\n  %r = %x\n",
     "test.yvmr:1:18: error: cannot tell the type of the operands: mention a constant or a value"},
    {"rule r\n  %r = add T %x, 1\n=>\n  %r = add T %x, %x @\n",
     "test.yvmr:4:21: error: unexpected '@'"},
    {"rule r\n  %r = add T %x, 12ab\n=>\n  %r = %x\n",
     "test.yvmr:2:18: error: malformed number '12ab'"},
    {"garbage\n", "test.yvmr:1:1: error: expected 'rule', found 'garbage'"},
    {"rule r\n  %r = add T %x, 1\n=>\n", "test.yvmr:4:1: error: expected a target instruction "
     "'%name = ...', found end of file"},
    {"rule r\n  %r = add T %x, %y\n=>\n  %r = add i8 %x, %y\n",
     "test.yvmr:4:15: error: '%x' has type T, used here as i8"},
    {"rule r\n  %r = select T %c, %x, %y\n=>\n  %r = select T %c, %y, %x\n", NULL},
    {"rule r\n  %r = select T %x, %x, %y\n=>\n  %r = %x\n",
     "test.yvmr:2:21: error: '%x' has type i1, used here as T"},
};

START_TEST(malformed_rules)
{
    const BadCase *c = &bad_cases[_i];
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx, c->text);
    if (!c->error) {
        ck_assert_msg(set != NULL, "case %d: %s", _i, ctx->first_error ? ctx->first_error : "");
    } else {
        ck_assert_msg(set == NULL, "case %d: no error for:\n%s", _i, c->text);
        ck_assert_ptr_nonnull(ctx->first_error);
        ck_assert_str_eq(ctx->first_error, c->error);
    }
    test_rules_free(set);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(deep_nesting)
{
    /* Deep parentheses and unary chains are an error, not a stack overflow. */
    size_t n = 100000;
    char *text = malloc(n * 2 + 200);
    strcpy(text, "rule r pre ");
    size_t len = strlen(text);
    for (size_t i = 0; i < n; i++)
        text[len++] = i % 2 ? '(' : '-';
    strcpy(text + len, "C\n  %r = add T %x, C\n=>\n  %r = %x\n");
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx, text);
    ck_assert_ptr_null(set);
    ck_assert_ptr_nonnull(strstr(ctx->first_error, "nested too deeply"));
    free(text);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(recovery_reports_each_rule)
{
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx,
        "rule a\n  %r = frob T %x\n=>\n  %r = %x\n"
        "rule b\n  %r = add T %x, 0\n=>\n  %r = %x\n"
        "rule c\n  %r = add T %x, 0\n=>\n  %r = %y\n"
        "rule d\n  %r = add T %x, 0\n=>\n  %r = %x\n");
    ck_assert_ptr_null(set);
    ck_assert_uint_eq(ctx->nerrors, 2);
    ir_ctx_free(ctx);
}
END_TEST

START_TEST(parse_range_locations)
{
    /* A rule embedded in another file: errors point into that file. */
    const char *file = "module \"m\"\n; rules follow\n   rule r\n  %r = add T %x, %q\n=>\n"
                       "  %r = %z\nafter\n";
    const char *start = strstr(file, "   rule") + 3;
    const char *end = strstr(file, "after");
    IrSource src = {.name = "m.yvm", .data = (const uint8_t *)file, .len = strlen(file)};
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = rule_parse_range(ctx, &src, (size_t)(start - file), (size_t)(end - file),
                                    (IrLoc){3, 4});
    ck_assert_ptr_null(set);
    ck_assert_str_eq(ctx->first_error, "m.yvm:6:8: error: '%z' is not defined: a target uses "
                     "inputs, source values and earlier target values");
    ir_ctx_free(ctx);
}
END_TEST

/* Mutations of valid rule text: every one is read or rejected with an
 * error, never a crash, a leak or a read past the buffer (ASan). */
START_TEST(mutations_are_safe)
{
    const char *base = roundtrip_rules;
    size_t len = strlen(base);
    uint64_t seed = 12345;
    char *buf = malloc(len + 16);
    for (int round = 0; round < 3000; round++) {
        memcpy(buf, base, len);
        size_t n = len;
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t at = (size_t)(seed >> 33) % n;
            switch ((seed >> 20) % 4) {
            case 0: buf[at] = (char)(seed >> 8); break;           /* any byte */
            case 1: n = at; break;                                 /* truncate */
            case 2: buf[at] = "%=,()=>+-*&|^~!<u s;\n0CT"[(seed >> 40) % 24]; break;
            default: memmove(buf + at, buf + at + 1, n - at - 1), n--; break;
            }
            if (n == 0)
                break;
        }
        uint8_t *exact = malloc(n ? n : 1);
        memcpy(exact, buf, n);
        IrSource src = {.name = "m.yvmr", .data = exact, .len = n};
        IrCtx *ctx = quiet_ctx();
        RuleSet *set = rule_parse(ctx, &src);
        if (set) {
            for (uint32_t i = 0; i < set->nrules; i++) {
                char *text = rule_print(set->rules[i]);
                free(text);
            }
        } else {
            ck_assert_uint_gt(ctx->nerrors, 0);
        }
        rule_set_free(set);
        ir_ctx_free(ctx);
        free(exact);
    }
    free(buf);
}
END_TEST

/* ---- concrete evaluation ---- */

static bool eval_pre(const char *pre, unsigned width, uint64_t c, uint64_t *out)
{
    char text[512];
    snprintf(text, sizeof text, "rule r widths %u pre %s\n  %%r = add T %%x, C\n=>\n  %%r = %%x\n",
             width, pre);
    IrCtx *ctx = quiet_ctx();
    RuleSet *set = test_rules(ctx, text);
    ck_assert_msg(set != NULL, "%s: %s", pre, ctx->first_error ? ctx->first_error : "");
    Rule *r = set->rules[0];
    uint8_t combo[RULE_MAX_TYPEVARS] = {(uint8_t)width};
    RuleBinding b = {combo, &c, NULL};
    bool ok = rule_eval_expr(r, r->pre, &b, out);
    test_rules_free(set);
    ir_ctx_free(ctx);
    return ok;
}

typedef struct EvalCase {
    const char *pre;
    unsigned width;
    uint64_t c;
    bool defined;
    uint64_t value;
} EvalCase;

static const EvalCase eval_cases[] = {
    {"log2(C) == 3", 8, 8, true, 1},
    {"log2(C) == 3", 8, 6, false, 0},
    {"log2(C) == 0", 8, 0, false, 0},
    {"isPowerOf2(C) && log2(C) == 2", 8, 6, true, 0},  /* short circuit */
    {"C == 0 || udiv(100, C) == 20", 8, 5, true, 1},
    {"C == 0 || udiv(100, C) == 20", 8, 0, true, 1},
    {"udiv(100, C) == 20", 8, 0, false, 0},
    {"sdiv(C, -1) == 1", 8, 0xff, true, 1},
    {"sdiv(C, -1) == 0", 8, 0x80, false, 0},  /* MIN / -1 */
    {"srem(C, 3) == -2", 8, 0xfe, true, 1},    /* the dividend's sign */
    {"(C << 8) == 0", 8, 1, false, 0},         /* a shift by the width */
    {"(C << 7) == intmin", 8, 1, true, 1},
    {"lshr(C, 4) == 15", 8, 0xff, true, 1},
    {"ashr(C, 4) == -1", 8, 0xff, true, 1},
    {"C + 1 == 0", 8, 0xff, true, 1},
    {"C * 3 == 2", 8, 0x56, true, 1},          /* 86 * 3 = 258 = 2 mod 256 */
    {"-C == intmin", 8, 0x80, true, 1},
    {"~C == 0", 16, 0xffff, true, 1},
    {"abs(C) == 5", 8, 0xfb, true, 1},
    {"smin(C, 1) == C", 8, 0x80, true, 1},
    {"umin(C, 1) == 1", 8, 0x80, true, 1},
    {"ctz(C) == 8", 8, 0, true, 1},
    {"clz(C) == 3", 8, 0x10, true, 1},
    {"popcount(C) == 64", 64, UINT64_MAX, true, 1},
    {"isMask(C)", 8, 0x0f, true, 1},
    {"isMask(C)", 8, 0x1e, true, 0},
    {"isShiftedMask(C)", 8, 0x1e, true, 1},
    {"isShiftedMask(C)", 8, 0x1d, true, 0},
    {"isPowerOf2OrZero(C)", 8, 0, true, 1},
    {"noSignedAddOverflow(C, C)", 8, 0x40, true, 0},
    {"noSignedAddOverflow(C, C)", 8, 0x3f, true, 1},
    {"noUnsignedAddOverflow(C, C)", 8, 0x80, true, 0},
    {"noSignedMulOverflow(C, C)", 8, 0xf5, true, 1},  /* -11 * -11 = 121 */
    {"noSignedMulOverflow(C, C)", 8, 0xf4, true, 0},  /* -12 * -12 = 144 */
    {"noUnsignedMulOverflow(C, C)", 8, 15, true, 1},
    {"noUnsignedMulOverflow(C, C)", 8, 16, true, 0},
    {"noSignedSubOverflow(C, 1)", 8, 0x80, true, 0},
    {"noUnsignedSubOverflow(C, 1)", 8, 0, true, 0},
    {"width == C", 64, 64, true, 1},
    {"intmax == C", 1, 0, true, 1},
    {"intmin == C", 1, 1, true, 1},
    {"C s< 0", 1, 1, true, 1},
    {"C u> 0", 1, 1, true, 1},
};

START_TEST(concrete_eval)
{
    const EvalCase *c = &eval_cases[_i];
    uint64_t v = 99;
    bool ok = eval_pre(c->pre, c->width, c->c, &v);
    ck_assert_msg(ok == c->defined, "%s at i%u, C = %llu: defined %d", c->pre, c->width,
                  (unsigned long long)c->c, ok);
    if (ok)
        ck_assert_msg(v == c->value, "%s at i%u, C = %llu: %llu", c->pre, c->width,
                      (unsigned long long)c->c, (unsigned long long)v);
}
END_TEST

Suite *rule_reader_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, parse_example);
    tcase_add_test(tc, parse_combos);
    tcase_add_test(tc, print_roundtrip);
    tcase_add_loop_test(tc, malformed_rules, 0, (int)(sizeof bad_cases / sizeof *bad_cases));
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, recovery_reports_each_rule);
    tcase_add_test(tc, parse_range_locations);
    tcase_add_test(tc, mutations_are_safe);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    TCase *ev = tcase_create("eval");
    tcase_add_loop_test(ev, concrete_eval, 0, (int)(sizeof eval_cases / sizeof *eval_cases));
    suite_add_tcase(s, ev);
    return s;
}
