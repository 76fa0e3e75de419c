/* floop.c - benchmark kernel: the Leibniz series for pi (as floop.yvm). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atol(argv[1]) : 1000000, i = 0;
    double sum = 0.0, sign = 1.0, den = 1.0;
    do {
        sum += sign / den;
        sign = -sign;
        den += 2.0;
    } while (++i < n);
    printf("pi ~ %.12f\n", sum * 4.0);
    return 0;
}
