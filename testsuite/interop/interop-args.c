/* interop-args.c - the C side of interop-args.yvm: calls the exported IR
 * functions with the C ABI and prints each result (the expected values
 * are in the .yvm file's comment). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

int64_t ir_add3(int64_t a, int32_t b, signed char c);
int32_t ir_sign(signed char a, short b);
bool ir_not(bool b);
double ir_hyp(double a, double b);
float ir_half(float x);
double ir_dot(const double *a, const double *b, int64_t n);
int32_t ir_sum_i32(const int32_t *a, int32_t n);
double ir_many(int64_t a1, double d1, int64_t a2, double d2, int64_t a3, double d3,
               int64_t a4, double d4, int64_t a5, double d5, int64_t a6, double d6,
               int64_t a7, double d7, int64_t a8, double d8, int64_t a9, double d9,
               int64_t a10);
float ir_fsum10(float a, float b, float c, float d, float e, float f, float g, float h,
                float i, float j);
int64_t ir_weigh(int64_t x1, int64_t x2, int64_t x3, int64_t x4, int64_t x5, int64_t x6,
                 int64_t x7, int64_t x8);
int64_t ir_ask_c(void);

/* Called from IR with a pointer to an IR global. */
int64_t c_table_sum(const int32_t *t, int32_t n);

int64_t c_table_sum(const int32_t *t, int32_t n)
{
    int64_t s = 0;
    for (int32_t i = 0; i < n; i++)
        s += t[i];
    printf("c_table_sum %lld\n", (long long)s);
    return s;
}

int main(void)
{
    static const double a[4] = { 1, 2, 3, 4 }, b[4] = { 0.5, 0.25, 2, 1 };
    static const int32_t v[5] = { 10, -20, 30, -40, 50 };
    printf("add3 %lld\n", (long long)ir_add3(1000000000000LL, -7, -100));
    printf("sign %d\n", ir_sign(-5, -300));
    printf("not %d %d\n", ir_not(true), ir_not(false));
    printf("hyp %g\n", ir_hyp(3, 4));
    printf("half %g\n", (double)ir_half(7.5f));
    printf("dot %g\n", ir_dot(a, b, 4));
    printf("sum_i32 %d\n", ir_sum_i32(v, 5));
    printf("many %g\n", ir_many(1, 0.5, 2, 1.0, 3, 1.5, 4, 2.0, 5, 2.5, 6, 3.0, 7, 3.5, 8, 4.0,
                                9, 4.5, 10));
    printf("fsum10 %g\n", (double)ir_fsum10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    printf("weigh %lld\n", (long long)ir_weigh(1, 2, 3, 4, 5, 6, 7, 8));
    int64_t r = ir_ask_c();
    printf("ask_c %lld\n", (long long)r);
    return 0;
}
