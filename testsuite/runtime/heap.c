/* heap.c - the native runtime's checked heap (__yvm_malloc and friends),
 * driven as compiled code would drive it (testsuite/suites/43-runtime.sh).
 * `./heap MODE`: prints "ok" and exits 0, or ends in the expected trap.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "yvmrt.h"

int __yvm_main(int argc, char **argv);

static int fails;
#define EXPECT(c) do { if (!(c)) { printf("expectation failed: %s (line %d)\n", #c, __LINE__); fails++; } } while (0)

#define A(p) ((uint64_t)(uintptr_t)(p))

static int basic(void)
{
    unsigned char *p = __yvm_malloc(10);
    EXPECT(p != NULL && A(p) % 16 == 0);
    for (int i = 0; i < 10; i++)
        EXPECT(p[i] == 0); /* zero-filled, like the interpreter's blocks */
    __yvm_check_write(A(p), 10);
    __yvm_check_read(A(p) + 9, 1);
    __yvm_check_read(A(p) + 10, 0);
    memset(p, 7, 10);

    /* malloc(0): a fresh non-null block each time, freeable */
    void *z1 = __yvm_malloc(0), *z2 = __yvm_malloc(0);
    EXPECT(z1 && z2 && z1 != z2);
    __yvm_check_read(A(z1), 0);
    __yvm_free(z1);
    __yvm_free(z2);
    __yvm_free(NULL); /* does nothing */

    /* calloc: zeroed; an overflowing size gives NULL; huge sizes give NULL */
    uint32_t *c = __yvm_calloc(5, sizeof *c);
    EXPECT(c && c[0] == 0 && c[4] == 0);
    __yvm_check_write(A(c), 20);
    EXPECT(__yvm_calloc(1ULL << 40, 1ULL << 40) == NULL);
    EXPECT(__yvm_malloc(UINT64_MAX) == NULL);
    EXPECT(__yvm_malloc(1ULL << 62) == NULL);

    /* realloc keeps the contents, zero-fills growth, frees the old block */
    unsigned char *q = __yvm_realloc(p, 30);
    EXPECT(q && q != p);
    for (int i = 0; i < 10; i++)
        EXPECT(q[i] == 7);
    for (int i = 10; i < 30; i++)
        EXPECT(q[i] == 0);
    __yvm_check_write(A(q), 30);
    unsigned char *r = __yvm_realloc(q, 4); /* shrink */
    EXPECT(r && r[0] == 7 && r[3] == 7);
    unsigned char *s = __yvm_realloc(NULL, 6); /* = malloc */
    EXPECT(s && s[5] == 0);
    void *t = __yvm_realloc(s, 0); /* a size-0 block, the old one freed */
    EXPECT(t != NULL);
    EXPECT(__yvm_realloc(r, UINT64_MAX) == NULL); /* fails: r stays live */
    __yvm_check_read(A(r), 4);
    __yvm_free(r);
    __yvm_free(t);
    __yvm_free(c);

    /* memcpy has memmove's meaning: overlap both ways */
    char *m = __yvm_malloc(16);
    memcpy(m, "abcdefghij", 10);
    __yvm_memcpy(m + 2, m, 8);
    EXPECT(memcmp(m, "ababcdefgh", 10) == 0);
    memcpy(m, "abcdefghij", 10);
    __yvm_memcpy(m, m + 2, 8);
    EXPECT(memcmp(m, "cdefghijij", 10) == 0);
    __yvm_memcpy(m, m, 16);
    __yvm_memset(m, 'z', 16);
    EXPECT(m[0] == 'z' && m[15] == 'z');
    __yvm_free(m);

    /* many blocks: the live table grows and shrinks; every block is exact */
    enum { N = 20000 };
    static unsigned char *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = __yvm_malloc((uint64_t)(i % 97));
        EXPECT(blocks[i] != NULL);
    }
    for (int i = 0; i < N; i += 2)
        __yvm_free(blocks[i]);
    for (int i = 1; i < N; i += 2)
        __yvm_check_write(A(blocks[i]), (uint64_t)(i % 97));
    for (int i = 1; i < N; i += 2)
        __yvm_free(blocks[(i * 7919) % N | 1]);
    printf(fails ? "FAILED\n" : "ok\n");
    return fails != 0;
}

static unsigned char global_block[32];

int __yvm_main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "basic"))
        return basic();
    char *p = __yvm_malloc(10);
    if (!strcmp(m, "read-past-end"))
        __yvm_check_read(A(p) + 10, 1);
    else if (!strcmp(m, "write-straddle"))
        __yvm_check_write(A(p) + 6, 8);
    else if (!strcmp(m, "read-before"))
        __yvm_check_read(A(p) - 1, 1);
    else if (!strcmp(m, "read-malloc0")) {
        char *z = __yvm_malloc(0);
        __yvm_check_read(A(z), 1);
    } else if (!strcmp(m, "use-after-free")) {
        __yvm_free(p);
        __yvm_check_read(A(p), 1);
    } else if (!strcmp(m, "use-after-free-later")) {
        /* 16 MiB of other blocks freed since: still in quarantine */
        __yvm_free(p);
        for (int i = 0; i < 4096; i++)
            __yvm_free(__yvm_malloc(4096));
        __yvm_check_write(A(p) + 3, 1);
    } else if (!strcmp(m, "memset-after-free")) {
        __yvm_free(p);
        __yvm_memset(p, 0, 1);
    } else if (!strcmp(m, "old-after-realloc")) {
        char *q = __yvm_realloc(p, 100);
        __yvm_check_write(A(q), 100);
        __yvm_check_read(A(p), 1);
    } else if (!strcmp(m, "memcpy-past-end")) {
        char *q = __yvm_malloc(20);
        __yvm_memcpy(q, p, 11);
    } else if (!strcmp(m, "double-free")) {
        __yvm_free(p);
        __yvm_free(p);
    } else if (!strcmp(m, "interior-free"))
        __yvm_free(p + 1);
    else if (!strcmp(m, "free-global"))
        __yvm_free(global_block);
    else if (!strcmp(m, "free-stack")) {
        char local[16];
        __yvm_free(local);
    } else if (!strcmp(m, "realloc-interior"))
        __yvm_realloc(p + 4, 20);
    else if (!strcmp(m, "realloc-freed")) {
        __yvm_free(p);
        __yvm_realloc(p, 20);
    } else {
        printf("unknown mode '%s'\n", m);
        return 99;
    }
    printf("no trap\n");
    return 0;
}
