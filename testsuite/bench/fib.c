/* fib.c - benchmark kernel: naive recursive Fibonacci (as fib.yvm). */
#include <stdio.h>
#include <stdlib.h>

static long long fib(long long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atol(argv[1]) : 30;
    printf("fib %lld = %lld\n", n, fib(n));
    return 0;
}
