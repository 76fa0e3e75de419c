/* interop-foreign.c - the C side of interop-foreign.yvm: passes a C array
 * to exported IR functions, unsafe ones (fine) and then a safe one (a
 * trap: C memory is no IR object). */
#include <stdint.h>
#include <stdio.h>

void ir_fill_unsafe(int32_t *p, int32_t n);
int32_t ir_sum_unsafe(const int32_t *p, int32_t n);
int32_t ir_pass(const int32_t *p, int32_t n);
int32_t ir_sum_copy(const int32_t *p);
int32_t ir_sum_safe(const int32_t *p, int32_t n);

int main(void)
{
    static int32_t buf[5] = { -1, -1, -1, -1, -1 };
    ir_fill_unsafe(buf, 5);
    printf("filled %d %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3], buf[4]);
    printf("sum_unsafe %d\n", ir_sum_unsafe(buf, 5));
    printf("pass %d\n", ir_pass(buf, 5));
    printf("sum_copy %d\n", ir_sum_copy(buf));
    printf("calling the safe one\n");
    fflush(stdout);
    printf("sum_safe %d\n", ir_sum_safe(buf, 5));
    return 0;
}
