/* matmul.c - benchmark kernel: naive f64 matrix multiply (as matmul.yvm). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atol(argv[1]) : 100;
    double *a = calloc((size_t)(n * n), 8), *b = calloc((size_t)(n * n), 8),
           *c = calloc((size_t)(n * n), 8), total = 0.0;
    if (!a || !b || !c)
        return 1;
    for (long long x = 0; x < n * n; x++) {
        a[x] = (double)(x % 17) - 8.0;
        b[x] = (double)(x % 11) - 5.0;
    }
    for (long long i = 0; i < n; i++) {
        for (long long j = 0; j < n; j++) {
            double sum = 0.0;
            for (long long k = 0; k < n; k++)
                sum += a[i * n + k] * b[k * n + j];
            c[i * n + j] = sum;
            total += sum;
        }
    }
    free(a);
    free(b);
    free(c);
    printf("checksum %.1f\n", total);
    return 0;
}
