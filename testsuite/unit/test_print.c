/* test_print.c - the IR text reader and the canonical printer.
 *
 * Round trips (parse -> print -> parse -> print is stable and gives the
 * same module) over the valid corpus; the invalid corpus's lexical and
 * syntax cases against their `; expect:` lines; constant spellings
 * checked against values worked out from IEEE 754 by hand; fresh names
 * for unnamed values; error messages and their locations; operand types
 * the reader derives from the instruction; and every prefix of a program
 * read from an exact-size buffer (ASan catches any read past it). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

/* ---- helpers ---- */

static char *print(const IrModule *m)
{
    size_t n;
    char *s = ir_print_module(m, &n);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(strlen(s), n);
    return s;
}

/* Parse text that must be valid; fails the test with the error. */
static IrModule *parse_ok(IrCtx *ctx, const char *text)
{
    IrModule *m = test_parse(ctx, text);
    ck_assert_msg(m != NULL, "parse failed: %s\n%s",
                  ctx->first_error ? ctx->first_error : "?", text);
    return m;
}

/* The first error for text that must not parse. */
static char *parse_error(const char *text)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = test_parse(ctx, text);
    ck_assert_msg(m == NULL, "parsed, but should not have:\n%s", text);
    ck_assert_ptr_nonnull(ctx->first_error);
    char *e = strdup(ctx->first_error);
    ir_ctx_free(ctx);
    return e;
}

static void expect_error(const char *text, const char *want)
{
    char *e = parse_error(text);
    ck_assert_msg(strcmp(e, want) == 0, "for:\n%s\nwanted: %s\n   got: %s", text, want, e);
    free(e);
}

static bool same_opd(const IrOperand *a, const IrOperand *b)
{
    return a->kind == b->kind && a->type == b->type && a->index == b->index &&
           a->bits == b->bits;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Deep equality of two modules, locations aside; names count. */
static bool same_module(const IrModule *x, const IrModule *y)
{
    if (!same_str(x->name, y->name) || x->nitems != y->nitems)
        return false;
    for (uint32_t i = 0; i < x->nitems; i++) {
        const IrItem *a = &x->items[i], *b = &y->items[i];
        if (a->kind != b->kind || !same_str(a->name, b->name))
            return false;
        if (a->kind == IR_ITEM_DATA) {
            const IrData *d = a->data, *e = b->data;
            if (d->is_global != e->is_global || d->brace_form != e->brace_form ||
                d->nfields != e->nfields)
                return false;
            for (uint32_t k = 0; k < d->nfields; k++) {
                const IrField *f = &d->fields[k], *g = &e->fields[k];
                if (f->kind != g->kind || f->type != g->type || f->bits != g->bits ||
                    f->sym != g->sym || f->len != g->len ||
                    (f->kind == IR_FIELD_BYTES && memcmp(f->bytes, g->bytes, f->len)))
                    return false;
            }
            continue;
        }
        const IrFunc *f = a->func, *g = b->func;
        if (f->ret != g->ret || f->nparams != g->nparams || f->attrs != g->attrs ||
            f->deadline != g->deadline || !same_str(f->target, g->target) ||
            f->is_extern != g->is_extern || f->nblocks != g->nblocks ||
            f->nvals != g->nvals)
            return false;
        for (uint32_t k = 0; k < f->nparams; k++)
            if (f->ptypes[k] != g->ptypes[k] ||
                (!f->is_extern && f->params[k] != g->params[k]))
                return false;
        for (uint32_t k = 0; k < f->nvals; k++)
            if (f->vals[k].type != g->vals[k].type ||
                !same_str(f->vals[k].name, g->vals[k].name))
                return false;
        for (uint32_t k = 0; k < f->nblocks; k++) {
            const IrBlock *p = f->blocks[k], *q = g->blocks[k];
            if (!same_str(p->name, q->name) || p->nparams != q->nparams ||
                p->ninsts != q->ninsts)
                return false;
            for (uint32_t j = 0; j < p->nparams; j++)
                if (p->params[j] != q->params[j])
                    return false;
            for (uint32_t j = 0; j < p->ninsts; j++) {
                const IrInst *s = &p->insts[j], *t = &q->insts[j];
                if (s->op != t->op || s->type != t->type || s->type2 != t->type2 ||
                    s->cond != t->cond || s->result != t->result || s->nopd != t->nopd ||
                    s->ntgt != t->ntgt || s->imm != t->imm || s->imm2 != t->imm2 ||
                    s->strlen != t->strlen ||
                    (s->strlen && memcmp(s->str, t->str, s->strlen)))
                    return false;
                for (uint32_t o = 0; o < s->nopd; o++)
                    if (!same_opd(&s->opd[o], &t->opd[o]))
                        return false;
                for (uint32_t o = 0; o < s->ntgt; o++) {
                    if (s->tgt[o].block != t->tgt[o].block ||
                        s->tgt[o].nargs != t->tgt[o].nargs)
                        return false;
                    for (uint32_t r = 0; r < s->tgt[o].nargs; r++)
                        if (!same_opd(&s->tgt[o].args[r], &t->tgt[o].args[r]))
                            return false;
                    if (o && s->op == IR_SWITCH && s->keys[o - 1] != t->keys[o - 1])
                        return false;
                }
            }
        }
    }
    return true;
}

/* parse -> print -> parse -> print: the same text and the same module. */
static void check_round_trip(const char *name, const char *text, size_t len)
{
    IrCtx *ctx = ir_ctx_new();
    IrSource src = {.name = name, .data = (const uint8_t *)text, .len = len};
    IrModule *m1 = ir_read_text(ctx, &src);
    ck_assert_msg(m1 != NULL, "%s: %s", name, ctx->first_error ? ctx->first_error : "?");
    char *p1 = print(m1);
    IrSource src2 = {.name = "printed", .data = (const uint8_t *)p1, .len = strlen(p1)};
    IrModule *m2 = ir_read_text(ctx, &src2);
    ck_assert_msg(m2 != NULL, "%s: printed text does not read back: %s\n%s", name,
                  ctx->first_error ? ctx->first_error : "?", p1);
    char *p2 = print(m2);
    ck_assert_msg(strcmp(p1, p2) == 0, "%s: printing is not stable:\n%s\n---\n%s", name,
                  p1, p2);
    ck_assert_msg(same_module(m1, m2), "%s: the printed module differs", name);
    free(p1);
    free(p2);
    ir_module_free(m1);
    ir_module_free(m2);
    ir_ctx_free(ctx);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const char *srcdir(void)
{
    const char *s = getenv("srcdir");
    return s && *s ? s : ".";
}

/* The corpus files of dir/ whose names start with one of the prefixes. */
static int corpus(const char *dir, const char *const *prefixes, char names[][256], int max)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/testsuite/ir/%s", srcdir(), dir);
    DIR *d = opendir(path);
    ck_assert_msg(d != NULL, "no corpus directory %s", path);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < max;) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".yvm") != 0 || l >= 256)
            continue;
        bool match = !prefixes;
        for (int i = 0; prefixes && prefixes[i]; i++)
            match |= strncmp(e->d_name, prefixes[i], strlen(prefixes[i])) == 0;
        if (match)
            memcpy(names[n++], e->d_name, l + 1);
    }
    closedir(d);
    return n;
}

/* ---- the corpora ---- */

START_TEST(t_valid_corpus_round_trips)
{
    static char names[200][256];
    int n = corpus("valid", NULL, names, 200);
    ck_assert_int_ge(n, 25);
    for (int i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/testsuite/ir/valid/%s", srcdir(), names[i]);
        size_t len;
        char *text = read_file(path, &len);
        check_round_trip(names[i], text, len);
        free(text);
    }
}
END_TEST

START_TEST(t_invalid_corpus_messages)
{
    static char names[200][256];
    static const char *const kinds[] = {"lex-", "syntax-", NULL};
    int n = corpus("invalid", kinds, names, 200);
    ck_assert_int_ge(n, 20);
    for (int i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/testsuite/ir/invalid/%s", srcdir(), names[i]);
        size_t len;
        char *text = read_file(path, &len);
        const char *tag = "; expect: ";
        ck_assert_msg(strncmp(text, tag, strlen(tag)) == 0, "%s: no expect line", names[i]);
        const char *want = text + strlen(tag);
        size_t wl = strcspn(want, "\n");
        IrCtx *ctx = ir_ctx_new();
        IrSource src = {.name = names[i], .data = (const uint8_t *)text, .len = len};
        IrModule *m = ir_read_text(ctx, &src);
        ck_assert_msg(m == NULL, "%s: read without error", names[i]);
        ck_assert_msg(ctx->first_error && strlen(ctx->first_error) == wl &&
                          strncmp(ctx->first_error, want, wl) == 0,
                      "%s:\nwanted: %.*s\n   got: %s", names[i], (int)wl, want,
                      ctx->first_error ? ctx->first_error : "(nothing)");
        ir_ctx_free(ctx);
        free(text);
    }
}
END_TEST

/* Every prefix of a program, each in a buffer of exactly its size with
 * no terminator: errors are fine, reading past the end is not. */
START_TEST(t_prefixes_stay_in_bounds)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/testsuite/ir/valid/everything.yvm", srcdir());
    size_t len;
    char *text = read_file(path, &len);
    for (size_t n = 0; n <= len; n++) {
        char *buf = malloc(n ? n : 1);
        memcpy(buf, text, n);
        IrCtx *ctx = ir_ctx_new();
        IrSource src = {.name = "prefix.yvm", .data = (const uint8_t *)buf, .len = n};
        IrModule *m = ir_read_text(ctx, &src);
        ck_assert(m != NULL || ctx->first_error != NULL);
        ir_module_free(m);
        ir_ctx_free(ctx);
        free(buf);
    }
    free(text);
}
END_TEST

/* ---- constants ---- */

/* The printed spelling of one constant, built through the API. */
static char *spell(IrType t, uint64_t bits)
{
    IrModule *m = ir_module_new(NULL, NULL);
    IrFunc *f = ir_func_new(m, "f", t, 0);
    IrBlock *b = ir_block_new(m, f, "entry");
    IrOperand c = {.kind = IR_OPD_CONST, .type = (uint8_t)t, .bits = bits};
    ir_build_ret(m, b, &c);
    char *text = print(m);
    const char *p = strstr(text, "  ret ");
    ck_assert_ptr_nonnull(p);
    p += 6;
    char *out = strndup(p, strcspn(p, "\n"));
    free(text);
    ir_module_free(m);
    return out;
}

static void expect_spelling(IrType t, uint64_t bits, const char *want)
{
    char *got = spell(t, bits);
    ck_assert_msg(strcmp(got, want) == 0, "%s 0x%llx: wanted %s, got %s", ir_type_name(t),
                  (unsigned long long)bits, want, got);
    free(got);
}

/* The bits a constant reads as, in `ret T text`. */
static uint64_t read_const(IrType t, const char *text)
{
    char src[256];
    snprintf(src, sizeof src, "func @f() -> %s {\nentry:\n  ret %s\n}\n", ir_type_name(t),
             text);
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = parse_ok(ctx, src);
    const IrInst *in = &m->items[0].func->blocks[0]->insts[0];
    ck_assert_int_eq(in->opd[0].kind, IR_OPD_CONST);
    ck_assert_int_eq(in->opd[0].type, t);
    uint64_t bits = in->opd[0].bits;
    ir_module_free(m);
    ir_ctx_free(ctx);
    return bits;
}

START_TEST(t_integer_spellings)
{
    expect_spelling(IR_I8, 0xff, "-1");
    expect_spelling(IR_I8, 0x7f, "127");
    expect_spelling(IR_I8, 0x80, "-128");
    expect_spelling(IR_I1, 1, "1");
    expect_spelling(IR_I1, 0, "0");
    expect_spelling(IR_I16, 0x8000, "-32768");
    expect_spelling(IR_I32, 0xffffffff, "-1");
    expect_spelling(IR_I64, UINT64_C(0x8000000000000000), "-9223372036854775808");
    expect_spelling(IR_I64, 42, "42");
    expect_spelling(IR_PTR, 0, "0");
    /* signed and unsigned spellings are the same bits */
    ck_assert_uint_eq(read_const(IR_I8, "255"), 0xff);
    ck_assert_uint_eq(read_const(IR_I8, "-1"), 0xff);
    ck_assert_uint_eq(read_const(IR_I8, "-128"), 0x80);
    ck_assert_uint_eq(read_const(IR_I1, "-1"), 1);
    ck_assert_uint_eq(read_const(IR_I16, "0xffff"), 0xffff);
    ck_assert_uint_eq(read_const(IR_I32, "-0x10"), 0xfffffff0);
    ck_assert_uint_eq(read_const(IR_I64, "18446744073709551615"), UINT64_MAX);
    ck_assert_uint_eq(read_const(IR_I64, "-9223372036854775808"),
                      UINT64_C(0x8000000000000000));
}
END_TEST

START_TEST(t_float_spellings)
{
    /* f64: 0.1 is 0x3fb999999999999a; shortest decimals read back. */
    expect_spelling(IR_F64, UINT64_C(0x3fb999999999999a), "0.1");
    expect_spelling(IR_F64, UINT64_C(0x8000000000000000), "-0.0");
    expect_spelling(IR_F64, 0, "0.0");
    expect_spelling(IR_F64, UINT64_C(0x3ff0000000000000), "1.0");
    expect_spelling(IR_F64, UINT64_C(0xbff8000000000000), "-1.5");
    expect_spelling(IR_F64, UINT64_C(0x4059000000000000), "100.0");
    expect_spelling(IR_F64, UINT64_C(0x7e37e43c8800759c), "1e300");
    expect_spelling(IR_F64, 1, "5e-324"); /* the smallest subnormal */
    expect_spelling(IR_F64, UINT64_C(0x7fefffffffffffff), "1.7976931348623157e308");
    expect_spelling(IR_F64, UINT64_C(0x3ee4f8b588e368f1), "0.00001");
    expect_spelling(IR_F64, UINT64_C(0x3eb0c6f7a0b5ed8d), "1e-6");
    expect_spelling(IR_F64, UINT64_C(0x4341c37937e08000), "1e16");
    expect_spelling(IR_F64, UINT64_C(0x4341c37937e07fff), "9999999999999998.0");
    expect_spelling(IR_F64, UINT64_C(0x7ff0000000000000), "inf");
    expect_spelling(IR_F64, UINT64_C(0xfff0000000000000), "-inf");
    expect_spelling(IR_F64, UINT64_C(0x7ff8000000000000), "nan");
    expect_spelling(IR_F64, UINT64_C(0xfff8000000000000), "0xfff8000000000000");
    expect_spelling(IR_F64, UINT64_C(0x7ff0000000000001), "0x7ff0000000000001");
    /* f32: 0.1f is 0x3dcccccd; 16777216 = 2^24 is 0x4b800000. */
    expect_spelling(IR_F32, 0x3dcccccd, "0.1");
    expect_spelling(IR_F32, 0x4b800000, "16777216.0");
    expect_spelling(IR_F32, 0x7f7fffff, "3.4028235e38");
    expect_spelling(IR_F32, 1, "1e-45");
    expect_spelling(IR_F32, 0x80000000, "-0.0");
    expect_spelling(IR_F32, 0x7fc00000, "nan");
    expect_spelling(IR_F32, 0x7fc00001, "0x7fc00001");
    expect_spelling(IR_F32, 0xff800000, "-inf");
}
END_TEST

START_TEST(t_float_reading)
{
    ck_assert_uint_eq(read_const(IR_F64, "0.1"), UINT64_C(0x3fb999999999999a));
    ck_assert_uint_eq(read_const(IR_F64, "-2e-3"), UINT64_C(0xbf60624dd2f1a9fc));
    ck_assert_uint_eq(read_const(IR_F64, "1"), UINT64_C(0x3ff0000000000000));
    ck_assert_uint_eq(read_const(IR_F64, "-0"), UINT64_C(0x8000000000000000));
    ck_assert_uint_eq(read_const(IR_F64, "5e-324"), 1);
    ck_assert_uint_eq(read_const(IR_F64, "inf"), UINT64_C(0x7ff0000000000000));
    ck_assert_uint_eq(read_const(IR_F64, "-inf"), UINT64_C(0xfff0000000000000));
    ck_assert_uint_eq(read_const(IR_F64, "nan"), UINT64_C(0x7ff8000000000000));
    ck_assert_uint_eq(read_const(IR_F64, "0x7ff0000000000001"), UINT64_C(0x7ff0000000000001));
    ck_assert_uint_eq(read_const(IR_F32, "0.1"), 0x3dcccccd);
    ck_assert_uint_eq(read_const(IR_F32, "16777217"), 0x4b800000); /* ties to even */
    ck_assert_uint_eq(read_const(IR_F32, "nan"), 0x7fc00000);
    ck_assert_uint_eq(read_const(IR_F32, "0xffc00000"), 0xffc00000);
    /* Just above the midpoint of 1.0f and its successor: rounds up when
     * read straight to f32; through f64 it would land on the midpoint and
     * then tie to 1.0f. */
    ck_assert_uint_eq(read_const(IR_F32, "1.0000000596046448"), 0x3f800001);
}
END_TEST

START_TEST(t_strings_escape)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = parse_ok(ctx, "data @s = \"a\\n\\t\\r\\\\\\\"\\0\\x7f\\xC3\\x41 ~\"\n");
    const IrField *f = &m->items[0].data->fields[0];
    ck_assert_uint_eq(f->len, 12);
    ck_assert_int_eq(memcmp(f->bytes, "a\n\t\r\\\"\0\x7f\xc3" "A ~", 12), 0);
    char *text = print(m);
    ck_assert_str_eq(text, "data @s = \"a\\n\\t\\r\\\\\\\"\\0\\x7f\\xc3A ~\"\n");
    free(text);
    ir_module_free(m);
    ir_ctx_free(ctx);
}
END_TEST

/* ---- names ---- */

START_TEST(t_fresh_names_do_not_collide)
{
    IrModule *m = ir_module_new(NULL, NULL);
    IrFunc *f = ir_func_new(m, "f", IR_I32, 0);
    uint32_t a = ir_func_add_param(m, f, IR_I32, NULL);     /* unnamed */
    uint32_t b = ir_func_add_param(m, f, IR_I32, "0");      /* taken: 0 */
    IrBlock *e = ir_block_new(m, f, NULL);
    IrBlock *x = ir_block_new(m, f, "bb0");
    IrBlock *y = ir_block_new(m, f, "not a name");
    uint32_t s = ir_build_binary(m, f, e, IR_ADD, IR_I32, ir_opd_value(f, a),
                                 ir_opd_value(f, b), NULL);
    uint32_t t = ir_build_binary(m, f, e, IR_ADD, IR_I32, ir_opd_value(f, s),
                                 ir_opd_int(IR_I32, 1), "1"); /* taken: 1 */
    ir_build_br(m, e, ir_target(m, ir_block_index(f, x), 0, NULL));
    ir_build_br(m, x, ir_target(m, ir_block_index(f, y), 0, NULL));
    IrOperand r = ir_opd_value(f, t);
    ir_build_ret(m, y, &r);
    char *text = print(m);
    ck_assert_str_eq(text,
                     "func @f(i32 %2, i32 %0) -> i32 {\n"
                     "bb1:\n"
                     "  %3 = add i32 %2, %0\n"
                     "  %1 = add i32 %3, 1\n"
                     "  br bb0\n"
                     "bb0:\n"
                     "  br bb2\n"
                     "bb2:\n"
                     "  ret %1\n"
                     "}\n");
    check_round_trip("fresh", text, strlen(text));
    free(text);
    ir_module_free(m);
}
END_TEST

START_TEST(t_layout_and_items)
{
    const char *text =
        "module \"m\"\n"
        "\n"
        "extern func @printf(ptr, ...) -> i32\n"
        "extern func @v(...)\n"
        "data @s = \"hi\\0\"\n"
        "global @g = { i32 -2, f64 0.5, ptr @s, \"x\", zero 3 }\n"
        "global @z = zero 8\n"
        "data @e = { }\n"
        "\n"
        "func @f(i64 %x) -> i64 unsafe ct noinline deadline 100 {\n"
        "entry:\n"
        "  ret %x\n"
        "}\n"
        "\n"
        "func @f(i64 %x) -> i64 target x86_64 {\n"
        "entry:\n"
        "  ret %x\n"
        "}\n"
        "\n"
        "export func @main() -> i32 {\n"
        "entry:\n"
        "  ret 0\n"
        "}\n";
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = parse_ok(ctx, text);
    char *out = print(m);
    ck_assert_str_eq(out, text);
    ck_assert(m->items[1].func->attrs & IR_ATTR_VARIADIC);
    ck_assert(m->items[0].func->attrs & IR_ATTR_VARIADIC);
    ck_assert(!m->items[2].data->brace_form);
    ck_assert(m->items[3].data->brace_form);
    ck_assert_uint_eq(m->items[3].data->fields[2].sym, 2);
    ck_assert(!m->items[4].data->brace_form);
    ck_assert(m->items[5].data->brace_form);
    ck_assert_uint_eq(m->items[5].data->nfields, 0);
    ck_assert_uint_eq(m->items[6].func->deadline, 100);
    ck_assert_str_eq(m->items[7].func->target, "x86_64");
    ck_assert_uint_eq(ir_module_find(m, "f"), 6);
    free(out);
    ir_module_free(m);
    /* Attributes in any order, blank lines and comments anywhere. */
    m = parse_ok(ctx, "func @f() target rv64 noinline ct ; c\n{\n\n  entry :\t\n ret ; done\n}");
    out = print(m);
    ck_assert_str_eq(out, "func @f() ct noinline target rv64 {\nentry:\n  ret\n}\n");
    free(out);
    ir_module_free(m);
    ir_ctx_free(ctx);
}
END_TEST

/* ---- what the reader derives ---- */

START_TEST(t_operand_types_and_forward_refs)
{
    const char *text =
        "func @f(ptr %p) -> i64 {\n"
        "entry:\n"
        "  %q = ptradd %p, 8\n"
        "  memset %q, 255, 4\n"
        "  memcpy %p, %q, 2\n"
        "  %v = call @g(i32 7, ptr %q)\n"
        "  %c = icmp ult i64 %v, 10\n"
        "  condbr %c, later(%v, 1.5), other\n"
        "other:\n"
        "  switch i16 -1, later(%w, 2) [65535: later(%w, 3)]\n"
        "later(i64 %a, f32 %b):\n"
        "  %w = add i64 %a, 1\n"
        "  ret 5\n"
        "}\n"
        "func @g(i32 %x, ptr %y) -> i64 {\n"
        "entry:\n"
        "  ret 0\n"
        "}\n";
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = parse_ok(ctx, text);
    const IrFunc *f = m->items[0].func;
    const IrBlock *e = f->blocks[0];
    ck_assert_int_eq(e->insts[0].opd[1].type, IR_I64);     /* ptradd offset */
    ck_assert_int_eq(e->insts[1].opd[1].type, IR_I8);      /* memset byte */
    ck_assert_uint_eq(e->insts[1].opd[1].bits, 255);
    ck_assert_int_eq(e->insts[1].opd[2].type, IR_I64);     /* memset n */
    ck_assert_int_eq(e->insts[2].opd[1].type, IR_PTR);
    const IrInst *call = &e->insts[3];
    ck_assert_int_eq(call->type, IR_I64);                  /* callee defined later */
    ck_assert_int_eq(f->vals[call->result].type, IR_I64);
    ck_assert_int_eq(call->opd[0].kind, IR_OPD_SYMBOL);
    ck_assert_uint_eq(call->opd[0].index, 1);
    ck_assert_int_eq(call->opd[1].type, IR_I32);
    ck_assert_int_eq(call->opd[2].type, IR_PTR);
    const IrInst *cb = &e->insts[5];
    ck_assert_int_eq(cb->opd[0].type, IR_I1);
    ck_assert_uint_eq(cb->tgt[0].block, 2);                /* forward block */
    ck_assert_int_eq(cb->tgt[0].args[1].type, IR_F32);     /* from the block's param */
    ck_assert_uint_eq(cb->tgt[0].args[1].bits, 0x3fc00000);
    ck_assert_uint_eq(cb->tgt[1].block, 1);
    const IrInst *sw = &f->blocks[1]->insts[0];
    ck_assert_uint_eq(sw->opd[0].bits, 0xffff);
    ck_assert_uint_eq(sw->keys[0], 0xffff);
    ck_assert_uint_eq(sw->tgt[0].args[0].index, f->blocks[2]->insts[0].result); /* forward value */
    ck_assert_int_eq(sw->tgt[1].args[1].type, IR_F32);
    ck_assert_uint_eq(sw->tgt[1].args[1].bits, 0x40400000); /* 3.0f */
    const IrInst *ret = &f->blocks[2]->insts[1];
    ck_assert_int_eq(ret->opd[0].type, IR_I64);            /* the function's type */
    /* Locations: instruction at its opcode, value at its name. */
    ck_assert_uint_eq(e->insts[0].loc.line, 3);
    ck_assert_uint_eq(e->insts[0].loc.col, 8);
    ck_assert_uint_eq(f->vals[e->insts[0].result].loc.col, 3);
    ck_assert_uint_eq(f->blocks[2]->loc.line, 11);
    ck_assert_uint_eq(f->vals[f->blocks[2]->params[1]].loc.col, 19);
    ck_assert_uint_eq(m->items[1].loc.line, 15);
    ck_assert_uint_eq(m->items[1].loc.col, 6);
    ir_module_free(m);
    ir_ctx_free(ctx);
}
END_TEST

/* ---- errors and where they point ---- */

START_TEST(t_error_messages)
{
    expect_error("func @f() -> i64 {\nentry:\n  %x = add i64 %a %b\n  ret %x\n}\n",
                 "test.yvm:3:19: error: expected ',', found '%b'");
    expect_error("func @f() {\nentry:\n  %x = frob i64 1, 2\n  ret\n}\n",
                 "test.yvm:3:8: error: expected instruction, found 'frob'");
    expect_error("func @f() {\nentry:\n  ret\n  ret\n}\n",
                 "test.yvm:4:3: error: expected operand, label or '}', found 'ret'");
    expect_error("func @f() {\nentry:\n  br next\n  ret\nnext:\n  ret\n}\n",
                 "test.yvm:4:3: error: expected label, '(' or '}', found 'ret'");
    expect_error("func @f() {\nentry:\n  ret\n  %y = add i32 1, 2\n  ret\n}\n",
                 "test.yvm:4:3: error: expected label or '}' after 'ret', found '%y'");
    expect_error("func @f( {", "test.yvm:1:10: error: expected type or ')', found '{'");
    expect_error("func @f()", "test.yvm:1:10: error: expected attribute, '{' or '->', found end of file");
    expect_error("data @d = { i8 1 ", "test.yvm:1:18: error: expected ',' or '}', found end of file");
    expect_error("func @f() {\nentry:\n  %x = ret 1\n}\n",
                 "test.yvm:3:8: error: 'ret' does not produce a value");
    expect_error("func @f() {\nentry:\n  %c = icmp lt i32 1, 2\n  ret\n}\n",
                 "test.yvm:3:13: error: unknown icmp condition 'lt' (one of eq ne slt sle sgt sge ult ule ugt uge)");
    expect_error("data @d = { i8 256 }", "test.yvm:1:16: error: constant '256' is out of range for 'i8'");
    expect_error("data @d = { i8 -129 }", "test.yvm:1:16: error: constant '-129' is out of range for 'i8'");
    expect_error("data @d = { f64 1e309 }", "test.yvm:1:17: error: constant '1e309' is out of range for 'f64'");
    expect_error("data @d = \"abc", "test.yvm:1:11: error: unterminated string");
    expect_error("data @d = \"a\\q\"", "test.yvm:1:13: error: invalid escape '\\q' in string");
    expect_error("data @d = { i8 0x }", "test.yvm:1:16: error: invalid number '0x'");
    expect_error("\n  ?", "test.yvm:2:3: error: unexpected character '?'");
    expect_error("func @f() {\nentry:\n  br nowhere\n}\n",
                 "test.yvm:3:6: error: undefined block 'nowhere'");
    expect_error("func @f() {\nentry:\n  call @g()\n  ret\n}\n",
                 "test.yvm:3:8: error: undefined symbol '@g'");
    expect_error("func @f(i32 %a, i32 %a) {\nentry:\n  ret\n}\n",
                 "test.yvm:1:21: error: duplicate definition of '%a' (first at 1:13)");
    expect_error("data @d = zero 1\nfunc @d() {\nentry:\n  ret\n}\n",
                 "test.yvm:2:6: error: duplicate definition of '@d' (first at 1:6)");
    /* Errors come out in source order, whenever they were found. */
    expect_error("func @f() {\nentry:\n  %a = add i32 %nope, 1\n  %b = add i8 300, 1\n  ret\n}\n",
                 "test.yvm:3:16: error: undefined value '%nope'");
}
END_TEST

/* The reader stops at the first syntax error: exactly one message. */
START_TEST(t_no_cascade)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = test_parse(ctx, "func @f() {\nentry:\n  %x = add i32 1 2\n  %y = ) ( ]\n"
                                  "  br nowhere\n}\n}\n}\n");
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(ctx->nerrors, 1);
    ir_ctx_free(ctx);
    /* Input that is not NUL-terminated, cut inside a token. */
    ctx = ir_ctx_new();
    const char text[] = {'d', 'a', 't', 'a', ' ', '@', 'x', ' ', '=', ' ', '"', 'a', 'b'};
    IrSource src = {.name = "cut.yvm", .data = (const uint8_t *)text, .len = sizeof text};
    ck_assert_ptr_null(ir_read_text(ctx, &src));
    ck_assert_str_eq(ctx->first_error, "cut.yvm:1:11: error: unterminated string");
    ir_ctx_free(ctx);
}
END_TEST

Suite *print_suite(void)
{
    Suite *s = suite_create("print");
    TCase *tc = tcase_create("text");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, t_valid_corpus_round_trips);
    tcase_add_test(tc, t_invalid_corpus_messages);
    tcase_add_test(tc, t_prefixes_stay_in_bounds);
    tcase_add_test(tc, t_integer_spellings);
    tcase_add_test(tc, t_float_spellings);
    tcase_add_test(tc, t_float_reading);
    tcase_add_test(tc, t_strings_escape);
    tcase_add_test(tc, t_fresh_names_do_not_collide);
    tcase_add_test(tc, t_layout_and_items);
    tcase_add_test(tc, t_operand_types_and_forward_refs);
    tcase_add_test(tc, t_error_messages);
    tcase_add_test(tc, t_no_cascade);
    suite_add_tcase(s, tc);
    return s;
}
