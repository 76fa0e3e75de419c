/* interop-callback.c - the C side of interop-callback.yvm: function
 * pointers both ways, qsort with an IR comparator, and a trap inside IR
 * called from C (the expected lines are in the .yvm file's comment). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int64_t (*i64fn)(int64_t);

int64_t ir_apply(i64fn fn, int64_t x);
i64fn ir_get_twice(void);
int64_t ir_via_c(int64_t x);
int ir_cmp(const void *a, const void *b);
void ir_sort(int *a, int64_t n);
double ir_scale(double x);
int ir_div(int a, int b);

int64_t c_cube(int64_t x);
int64_t c_apply(i64fn fn, int64_t x);
double c_scale(double x, float k);

int64_t c_cube(int64_t x) { return x * x * x; }
int64_t c_apply(i64fn fn, int64_t x) { return fn(x); }
double c_scale(double x, float k) { return x * k; }

int main(void)
{
    printf("apply %lld\n", (long long)ir_apply(c_cube, 5));
    i64fn twice = ir_get_twice();
    printf("twice %lld\n", (long long)twice(21));
    printf("via_c %lld\n", (long long)ir_via_c(-8));
    int a[5] = { 5, -1, 9, 0, 3 };
    qsort(a, 5, sizeof a[0], ir_cmp);
    printf("c_sorted %d %d %d %d %d\n", a[0], a[1], a[2], a[3], a[4]);
    int b[4] = { 4, 8, 1, 7 };
    ir_sort(b, 4);
    printf("ir_sorted %d %d %d %d\n", b[0], b[1], b[2], b[3]);
    printf("scale %g\n", ir_scale(2.5));
    printf("div %d\n", ir_div(7, 0));
    return 0;
}
