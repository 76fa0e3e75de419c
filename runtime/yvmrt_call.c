/* yvmrt_call.c - indirect-call checks: the yvm_funcs entries of every
 * compiled object, sorted by address once at start-up, searched on each
 * call.ind. An address may appear more than once (an extern listed by
 * several objects); any entry with the expected signature hash admits it.
 */
#include <stdlib.h>

#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(call);

extern const YvmrtFunc __start_yvm_funcs[] __attribute__((weak));
extern const YvmrtFunc __stop_yvm_funcs[] __attribute__((weak));

static YvmrtFunc *funcs;
static size_t nfuncs;

static int by_addr(const void *a, const void *b)
{
    const YvmrtFunc *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->sig < y->sig ? -1 : x->sig > y->sig;
}

void yvmrt_funcs_init(void)
{
    const YvmrtFunc *b = __start_yvm_funcs, *e = __stop_yvm_funcs;
    if (!b || !e || e <= b)
        return;
    size_t n = (size_t)(e - b);
    funcs = malloc(n * sizeof *funcs);
    if (!funcs)
        yvmrt_fatal("out of memory reading the function table");
    for (size_t i = 0; i < n; i++)
        funcs[i] = b[i];
    qsort(funcs, n, sizeof *funcs, by_addr);
    nfuncs = n;
}

void __yvm_check_call(const void *p, uint64_t sig)
{
    uint64_t a = (uint64_t)(uintptr_t)p;
    size_t lo = 0, hi = nfuncs; /* first entry with addr >= a */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (funcs[mid].addr < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < nfuncs && funcs[lo].addr == a; lo++)
        if (funcs[lo].sig == sig)
            return;
    __yvm_trap(YVMRT_TRAP_INDIRECT_CALL);
}
