/* test_libyvm.c - the embedding API (yvm.h), used as a host would: only
 * the public header. Loading, running by name, status codes and messages,
 * host symbols, traps and exits returning to the host, verification
 * before running, memory shared with the host, C calling IR back. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "yvm.h"

static yvm_ctx *ctx;

static void setup(void) { ctx = yvm_ctx_new(); }
static void teardown(void) { yvm_ctx_free(ctx); }

static yvm_module *load(const char *text)
{
    yvm_module *m = NULL;
    yvm_status st = yvm_load_memory(ctx, "test.yvm", text, strlen(text), &m);
    ck_assert_msg(st == YVM_OK, "load failed: %s", yvm_last_error(ctx));
    return m;
}

static const char arith[] =
    "export func @add(i64 %a, i64 %b) -> i64 {\n"
    "entry:\n"
    "  %r = add i64 %a, %b\n"
    "  ret %r\n"
    "}\n"
    "export func @div(i32 %a, i32 %b) -> i32 {\n"
    "entry:\n"
    "  %r = sdiv i32 %a, %b\n"
    "  ret %r\n"
    "}\n"
    "export func @half(f32 %x, f64 %y) -> f64 {\n"
    "entry:\n"
    "  %x2 = fpext f32 %x to f64\n"
    "  %s = fadd f64 %x2, %y\n"
    "  %h = fmul f64 %s, 0.5\n"
    "  ret %h\n"
    "}\n"
    "export func @deep(i64 %n) -> i64 {\n"
    "entry:\n"
    "  %z = icmp eq i64 %n, 0\n"
    "  condbr %z, done, more\n"
    "done:\n"
    "  ret 0\n"
    "more:\n"
    "  %m = sub i64 %n, 1\n"
    "  %r = call @deep(i64 %m)\n"
    "  %r1 = add i64 %r, 1\n"
    "  ret %r1\n"
    "}\n";

START_TEST(run_by_name)
{
    yvm_module *m = load(arith);
    yvm_value args[2] = {yvm_int(YVM_I64, 40), yvm_int(YVM_I64, 2)}, r;
    ck_assert_int_eq(yvm_run(m, "add", args, 2, &r), YVM_OK);
    ck_assert_int_eq(r.type, YVM_I64);
    ck_assert_int_eq((int64_t)r.as.i, 42);
    args[0] = yvm_int(YVM_I64, (uint64_t)-50);
    ck_assert_int_eq(yvm_run(m, "add", args, 2, &r), YVM_OK);
    ck_assert_int_eq((int64_t)r.as.i, -48);
    yvm_value fa[2] = {yvm_f32(1.5f), yvm_f64(2.5)};
    ck_assert_int_eq(yvm_run(m, "half", fa, 2, &r), YVM_OK);
    ck_assert_int_eq(r.type, YVM_F64);
    ck_assert(r.as.f64 == 2.0);
    ck_assert_str_eq(yvm_last_error(ctx), "");
}
END_TEST

START_TEST(unknown_function)
{
    yvm_module *m = load(arith);
    yvm_value r;
    ck_assert_int_eq(yvm_run(m, "nope", NULL, 0, &r), YVM_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(yvm_last_error(ctx), "'@nope'"));
    /* The context stays usable. */
    yvm_value args[2] = {yvm_int(YVM_I64, 1), yvm_int(YVM_I64, 2)};
    ck_assert_int_eq(yvm_run(m, "add", args, 2, &r), YVM_OK);
    ck_assert_str_eq(yvm_last_error(ctx), "");
}
END_TEST

START_TEST(bad_arguments)
{
    yvm_module *m = load(arith);
    yvm_value args[2] = {yvm_int(YVM_I64, 1), yvm_int(YVM_I32, 2)}, r;
    ck_assert_int_eq(yvm_run(m, "add", args, 1, &r), YVM_BAD_ARGS);
    ck_assert_int_eq(yvm_run(m, "add", args, 2, &r), YVM_BAD_ARGS);
    ck_assert_ptr_nonnull(strstr(yvm_last_error(ctx), "must be i64"));
}
END_TEST

START_TEST(trap_returns_status)
{
    yvm_module *m = load(arith);
    yvm_value args[2] = {yvm_int(YVM_I32, 7), yvm_int(YVM_I32, 0)}, r;
    ck_assert_int_eq(yvm_run(m, "div", args, 2, &r), YVM_TRAP);
    ck_assert_str_eq(yvm_last_error(ctx), "trap: division by zero");
    args[0] = yvm_int(YVM_I32, 0x80000000u);
    args[1] = yvm_int(YVM_I32, 0xffffffffu);
    ck_assert_int_eq(yvm_run(m, "div", args, 2, &r), YVM_TRAP);
    ck_assert_str_eq(yvm_last_error(ctx), "trap: integer overflow");
    args[0] = yvm_int(YVM_I32, (uint64_t)-9);
    args[1] = yvm_int(YVM_I32, 2);
    ck_assert_int_eq(yvm_run(m, "div", args, 2, &r), YVM_OK);
    ck_assert_int_eq((int32_t)r.as.i, -4);
}
END_TEST

START_TEST(depth_limit)
{
    yvm_module *m = load(arith);
    ck_assert_int_eq(yvm_set_max_depth(ctx, 100), YVM_OK);
    yvm_value a = yvm_int(YVM_I64, 99), r;
    ck_assert_int_eq(yvm_run(m, "deep", &a, 1, &r), YVM_OK); /* 100 frames */
    ck_assert_int_eq(r.as.i, 99);
    a = yvm_int(YVM_I64, 100);
    ck_assert_int_eq(yvm_run(m, "deep", &a, 1, &r), YVM_TRAP);
    ck_assert_str_eq(yvm_last_error(ctx), "trap: stack overflow");
    ck_assert_int_eq(yvm_set_max_depth(ctx, 1000000), YVM_OK);
    a = yvm_int(YVM_I64, 200000);
    ck_assert_int_eq(yvm_run(m, "deep", &a, 1, &r), YVM_OK);
    ck_assert_int_eq(r.as.i, 200000);
}
END_TEST

static int host_calls;
static int64_t host_twice(int64_t x)
{
    host_calls++;
    return 2 * x;
}

START_TEST(host_symbol)
{
    ck_assert_int_eq(yvm_add_symbol(ctx, "twice", (yvm_host_fn)host_twice), YVM_OK);
    yvm_module *m = load("extern func @twice(i64) -> i64\n"
                         "export func @f(i64 %x) -> i64 {\n"
                         "entry:\n"
                         "  %a = call @twice(i64 %x)\n"
                         "  %b = call @twice(i64 %a)\n"
                         "  ret %b\n"
                         "}\n");
    host_calls = 0;
    yvm_value a = yvm_int(YVM_I64, 5), r;
    ck_assert_int_eq(yvm_run(m, "f", &a, 1, &r), YVM_OK);
    ck_assert_int_eq(r.as.i, 20);
    ck_assert_int_eq(host_calls, 2);
}
END_TEST

START_TEST(unresolved_extern)
{
    yvm_module *m = load("extern func @no_such_function_anywhere(i64) -> i64\n"
                         "export func @f() -> i64 {\n"
                         "entry:\n"
                         "  ret 1\n"
                         "}\n");
    yvm_value r;
    ck_assert_int_eq(yvm_run(m, "f", NULL, 0, &r), YVM_UNRESOLVED);
    ck_assert_str_eq(yvm_last_error(ctx), "test.yvm:1:13: error: unresolved extern "
                                          "function '@no_such_function_anywhere'");
}
END_TEST

START_TEST(invalid_text_never_runs)
{
    static const char bad[] = "export func @f() -> i32 {\n"
                              "entry:\n"
                              "  %r = add i32 1, %nope\n"
                              "  ret %r\n"
                              "}\n";
    yvm_module *m = (yvm_module *)1;
    ck_assert_int_eq(yvm_load_memory(ctx, "bad.yvm", bad, strlen(bad), &m), YVM_INVALID);
    ck_assert_ptr_null(m);
    ck_assert_msg(strncmp(yvm_last_error(ctx), "bad.yvm:3:", 10) == 0, "got '%s'",
                  yvm_last_error(ctx));
}
END_TEST

/* A built module that fails verification: its host call must never run. */
START_TEST(unverified_build_never_runs)
{
    ck_assert_int_eq(yvm_add_symbol(ctx, "twice", (yvm_host_fn)host_twice), YVM_OK);
    yvm_module *m = yvm_module_new(ctx, "bad");
    yvm_type i64 = YVM_I64;
    yvm_extern_new(m, "twice", YVM_I64, 1, &i64, 0);
    yvm_func *f = yvm_func_new(m, "f", YVM_I64, YVM_ATTR_EXPORT);
    yvm_block *b = yvm_block_new(m, f, "entry");
    yvm_operand one = yvm_op_int(YVM_I64, 1);
    uint32_t r = yvm_call(m, f, b, "twice", 1, &one, "r");
    /* an i32 add of an i64 value: a type error */
    uint32_t s = yvm_binary(m, f, b, YVM_OP_ADD, YVM_I32, yvm_op_value(f, r),
                            yvm_op_int(YVM_I32, 1), "s");
    yvm_operand sv = yvm_op_value(f, s);
    yvm_ret(m, b, &sv);
    host_calls = 0;
    yvm_value res;
    ck_assert_int_eq(yvm_verify(m), YVM_INVALID);
    ck_assert_int_eq(yvm_run(m, "f", NULL, 0, &res), YVM_INVALID);
    ck_assert_str_ne(yvm_last_error(ctx), "");
    ck_assert_int_eq(host_calls, 0);
}
END_TEST

START_TEST(exit_returns_to_host)
{
    yvm_module *m = load("extern func @exit(i32)\n"
                         "export func @f() -> i32 {\n"
                         "entry:\n"
                         "  call @exit(i32 7)\n"
                         "  ret 0\n"
                         "}\n");
    yvm_value r;
    ck_assert_int_eq(yvm_run(m, "f", NULL, 0, &r), YVM_EXIT);
    ck_assert_int_eq(yvm_exit_status(ctx), 7);
    int status = -1;
    yvm_module *p = load("extern func @exit(i32)\n"
                         "export func @main() -> i32 {\n"
                         "entry:\n"
                         "  call @exit(i32 300)\n"
                         "  ret 0\n"
                         "}\n");
    ck_assert_int_eq(yvm_run_main(p, 1, (char *const[]){"p", NULL}, &status), YVM_OK);
    ck_assert_int_eq(status, 300 & 0xff);
}
END_TEST

START_TEST(globals_persist)
{
    yvm_module *m = load("global @count = { i64 0 }\n"
                         "export func @bump() -> i64 {\n"
                         "entry:\n"
                         "  %c = load i64, @count\n"
                         "  %c2 = add i64 %c, 1\n"
                         "  store i64 %c2, @count\n"
                         "  ret %c2\n"
                         "}\n");
    yvm_value r;
    for (int i = 1; i <= 3; i++) {
        ck_assert_int_eq(yvm_run(m, "bump", NULL, 0, &r), YVM_OK);
        ck_assert_int_eq(r.as.i, (uint64_t)i);
    }
}
END_TEST

static const char poke[] = "export func @poke(ptr %p, i64 %i, i8 %v) {\n"
                           "entry:\n"
                           "  %q = ptradd %p, %i\n"
                           "  store i8 %v, %q\n"
                           "  ret\n"
                           "}\n";

START_TEST(host_memory)
{
    yvm_module *m = load(poke);
    char buf[8] = {0};
    yvm_value a[3] = {yvm_ptr(buf), yvm_int(YVM_I64, 3), yvm_int(YVM_I8, 'x')};
    /* Unregistered host memory is the C world's: safe code may not touch it. */
    ck_assert_int_eq(yvm_run(m, "poke", a, 3, NULL), YVM_TRAP);
    ck_assert_str_eq(yvm_last_error(ctx), "trap: out of bounds access");
    ck_assert_int_eq(yvm_register_memory(ctx, buf, sizeof buf, 1), YVM_OK);
    ck_assert_int_eq(yvm_run(m, "poke", a, 3, NULL), YVM_OK);
    ck_assert_int_eq(buf[3], 'x');
    a[1] = yvm_int(YVM_I64, 8);
    ck_assert_int_eq(yvm_run(m, "poke", a, 3, NULL), YVM_TRAP);
    ck_assert_str_eq(yvm_last_error(ctx), "trap: out of bounds access");
    ck_assert_int_eq(yvm_unregister_memory(ctx, buf), YVM_OK);
    a[1] = yvm_int(YVM_I64, 0);
    ck_assert_int_eq(yvm_run(m, "poke", a, 3, NULL), YVM_TRAP);
    /* Read-only registration. */
    ck_assert_int_eq(yvm_register_memory(ctx, buf, sizeof buf, 0), YVM_OK);
    ck_assert_int_eq(yvm_run(m, "poke", a, 3, NULL), YVM_TRAP);
    ck_assert_int_eq(buf[0], 0);
}
END_TEST

/* C calls IR back: qsort with an IR comparator. */
static const char sorter[] =
    "extern func @qsort(ptr, i64, i64, ptr)\n"
    "func @cmp(ptr %a, ptr %b) -> i32 {\n"
    "entry:\n"
    "  %x = load i32, %a\n"
    "  %y = load i32, %b\n"
    "  %lt = icmp slt i32 %x, %y\n"
    "  %gt = icmp sgt i32 %x, %y\n"
    "  %l = zext i1 %lt to i32\n"
    "  %g = zext i1 %gt to i32\n"
    "  %r = sub i32 %g, %l\n"
    "  ret %r\n"
    "}\n"
    "func @cmp_trap(ptr %a, ptr %b) -> i32 {\n"
    "entry:\n"
    "  trap \"comparator refused\"\n"
    "}\n"
    "export func @sort(ptr %p, i64 %n, i32 %bad) {\n"
    "entry:\n"
    "  %c = icmp ne i32 %bad, 0\n"
    "  %f = select ptr %c, @cmp_trap, @cmp\n"
    "  call @qsort(ptr %p, i64 %n, i64 4, ptr %f)\n"
    "  ret\n"
    "}\n";

START_TEST(callback_from_c)
{
    yvm_module *m = load(sorter);
    int32_t v[6] = {5, -3, 9, 0, -3, 2};
    ck_assert_int_eq(yvm_register_memory(ctx, v, sizeof v, 1), YVM_OK);
    yvm_value a[3] = {yvm_ptr(v), yvm_int(YVM_I64, 6), yvm_int(YVM_I32, 0)};
    ck_assert_int_eq(yvm_run(m, "sort", a, 3, NULL), YVM_OK);
    const int32_t want[6] = {-3, -3, 0, 2, 5, 9};
    ck_assert_mem_eq(v, want, sizeof want);
    /* A trap in the callback ends the run; the context stays usable. */
    a[2] = yvm_int(YVM_I32, 1);
    ck_assert_int_eq(yvm_run(m, "sort", a, 3, NULL), YVM_TRAP);
    ck_assert_str_eq(yvm_last_error(ctx), "trap: comparator refused");
    a[2] = yvm_int(YVM_I32, 0);
    ck_assert_int_eq(yvm_run(m, "sort", a, 3, NULL), YVM_OK);
}
END_TEST

START_TEST(print_and_binary_round_trip)
{
    yvm_module *m = load(arith);
    char *text = NULL;
    size_t tlen = 0;
    ck_assert_int_eq(yvm_print(m, &text, &tlen), YVM_OK);
    ck_assert_ptr_nonnull(strstr(text, "@add"));
    void *bin = NULL;
    size_t blen = 0;
    ck_assert_int_eq(yvm_write_binary(m, &bin, &blen), YVM_OK);
    yvm_module *m2 = NULL, *m3 = NULL;
    ck_assert_int_eq(yvm_load_memory(ctx, "printed", text, tlen, &m2), YVM_OK);
    ck_assert_int_eq(yvm_load_memory(ctx, "binary", bin, blen, &m3), YVM_OK);
    yvm_free(text);
    yvm_free(bin);
    yvm_value args[2] = {yvm_int(YVM_I64, 20), yvm_int(YVM_I64, 22)}, r;
    ck_assert_int_eq(yvm_run(m2, "add", args, 2, &r), YVM_OK);
    ck_assert_int_eq(r.as.i, 42);
    ck_assert_int_eq(yvm_run(m3, "add", args, 2, &r), YVM_OK);
    ck_assert_int_eq(r.as.i, 42);
    yvm_module_free(m2);
}
END_TEST

START_TEST(run_main_with_argv)
{
    yvm_module *m = load("extern func @strlen(ptr) -> i64\n"
                         "export func @main(i32 %argc, ptr %argv) -> i32 {\n"
                         "entry:\n"
                         "  %p = ptradd %argv, 8\n"
                         "  %s = load ptr, %p\n"
                         "  %n = call @strlen(ptr %s)\n"
                         "  %n32 = trunc i64 %n to i32\n"
                         "  %r = add i32 %n32, %argc\n"
                         "  ret %r\n"
                         "}\n");
    int status = -1;
    ck_assert_int_eq(yvm_run_main(m, 2, (char *const[]){"prog", "hello", NULL}, &status),
                     YVM_OK);
    ck_assert_int_eq(status, 5 + 2);
}
END_TEST

START_TEST(library_missing)
{
    ck_assert_int_eq(yvm_add_library(ctx, "yvm_no_such_library"), YVM_IO);
    ck_assert_ptr_nonnull(strstr(yvm_last_error(ctx), "'yvm_no_such_library'"));
    ck_assert_int_eq(yvm_add_library(ctx, "m"), YVM_OK); /* libm.so */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("libyvm");
    TCase *tc = tcase_create("api");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, run_by_name);
    tcase_add_test(tc, unknown_function);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, trap_returns_status);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, host_symbol);
    tcase_add_test(tc, unresolved_extern);
    tcase_add_test(tc, invalid_text_never_runs);
    tcase_add_test(tc, unverified_build_never_runs);
    tcase_add_test(tc, exit_returns_to_host);
    tcase_add_test(tc, globals_persist);
    tcase_add_test(tc, host_memory);
    tcase_add_test(tc, callback_from_c);
    tcase_add_test(tc, print_and_binary_round_trip);
    tcase_add_test(tc, run_main_with_argv);
    tcase_add_test(tc, library_missing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
