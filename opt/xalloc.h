/* xalloc.h - allocation for the optimiser's side tables: out of memory
 * is fatal (a compiler cannot do anything useful without the memory). */
#ifndef YVM_OPT_XALLOC_H
#define YVM_OPT_XALLOC_H

#include <stdio.h>
#include <stdlib.h>

static inline _Noreturn void xalloc_fail(void)
{
    fputs("yvm-opt: out of memory\n", stderr);
    abort();
}

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        xalloc_fail();
    return p;
}

static inline void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        xalloc_fail();
    return p;
}

static inline void *xrealloc(void *q, size_t n)
{
    void *p = realloc(q, n ? n : 1);
    if (!p)
        xalloc_fail();
    return p;
}

#endif
