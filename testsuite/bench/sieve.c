/* sieve.c - benchmark kernel: the sieve of Eratosthenes (as sieve.yvm). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atol(argv[1]) : 1000000, count = 0;
    char *buf = calloc((size_t)n, 1);
    if (!buf)
        return 1;
    for (long long i = 2; i < n; i++) {
        if (buf[i])
            continue;
        count++;
        for (long long j = i * i; j < n; j += i)
            buf[j] = 1;
    }
    free(buf);
    printf("%lld primes below %lld\n", count, n);
    return 0;
}
