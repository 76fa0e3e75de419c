/* binary-trees.c - the C twin of examples/binary-trees.yao
 * (run-bench-yao.sh): the same explicit node pools (arrays of child
 * indices, -1: no child), same output. Usage: binary-trees N. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static long build(int32_t *left, int32_t *right, long at, long depth)
{
    if (depth == 0) {
        left[at] = -1;
        right[at] = -1;
        return at + 1;
    }
    left[at] = (int32_t)(at + 1);
    long after_left = build(left, right, at + 1, depth - 1);
    right[at] = (int32_t)after_left;
    return build(left, right, after_left, depth - 1);
}

static long check(const int32_t *left, const int32_t *right, long node)
{
    if (left[node] < 0)
        return 1;
    return 1 + check(left, right, left[node]) + check(left, right, right[node]);
}

static long tree_size(long depth) { return (1L << (depth + 1)) - 1; }

static int32_t *pool(long depth)
{
    int32_t *p = malloc(tree_size(depth) * sizeof *p);
    if (!p)
        exit(1);
    return p;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10;
    long min_depth = 4, max_depth = n;
    if (max_depth < min_depth + 2)
        max_depth = min_depth + 2;
    long stretch = max_depth + 1;
    {
        int32_t *left = pool(stretch), *right = pool(stretch);
        build(left, right, 0, stretch);
        printf("stretch tree of depth %ld\t check: %ld\n", stretch, check(left, right, 0));
        free(left); free(right);
    }
    int32_t *long_left = pool(max_depth), *long_right = pool(max_depth);
    build(long_left, long_right, 0, max_depth);
    int32_t *left = pool(max_depth), *right = pool(max_depth);
    for (long depth = min_depth; depth <= max_depth; depth += 2) {
        long iterations = 1L << (max_depth - depth + min_depth);
        long sum = 0;
        for (long i = 0; i < iterations; i++) {
            build(left, right, 0, depth);
            sum += check(left, right, 0);
        }
        printf("%ld\t trees of depth %ld\t check: %ld\n", iterations, depth, sum);
    }
    printf("long lived tree of depth %ld\t check: %ld\n", max_depth, check(long_left, long_right, 0));
    free(long_left); free(long_right); free(left); free(right);
    return 0;
}
