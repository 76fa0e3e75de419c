/* fannkuch-redux.c - the C twin of examples/fannkuch-redux.yao
 * (run-bench-yao.sh): same algorithm and output. Usage: fannkuch-redux N. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 7;
    long *perm = malloc((n + 1) * sizeof *perm), *perm1 = malloc((n + 1) * sizeof *perm1);
    long *count = malloc((n + 1) * sizeof *count);
    long max_flips = 0, checksum = 0, perm_count = 0;
    if (!perm || !perm1 || !count)
        return 1;
    for (long i = 0; i < n; i++)
        perm1[i] = i;
    long r = n;
    for (;;) {
        while (r != 1) {
            count[r - 1] = r;
            r--;
        }
        for (long i = 0; i < n; i++)
            perm[i] = perm1[i];
        long flips = 0, k = perm[0];
        while (k != 0) {
            for (long i = 0, j = k; i < j; i++, j--) {
                long t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            flips++;
            k = perm[0];
        }
        if (flips > max_flips)
            max_flips = flips;
        if (perm_count % 2 == 0)
            checksum += flips;
        else
            checksum -= flips;
        int done = 1;
        while (r != n) {
            long p0 = perm1[0];
            for (long i = 0; i < r; i++)
                perm1[i] = perm1[i + 1];
            perm1[r] = p0;
            count[r]--;
            if (count[r] > 0) {
                done = 0;
                break;
            }
            r++;
        }
        if (done)
            break;
        perm_count++;
    }
    printf("%ld\n", checksum);
    printf("Pfannkuchen(%ld) = %ld\n", n, max_flips);
    free(perm); free(perm1); free(count);
    return 0;
}
