/* yvmrt_mem.c - the checked memory functions compiled code calls for IR
 * `memcpy`/`memset` and the externs memcpy, memmove, memset.
 *
 * The source range is checked before the destination, as the interpreter
 * does; memcpy has memmove's meaning (overlap behaves as if through a
 * temporary buffer). Zero-length calls check nothing.
 */
#include <string.h>

#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(mem);

__attribute__((noinline)) void *__yvm_memcpy(void *dst, const void *src, uint64_t n)
{
    uint64_t sp = YVMRT_CALLER_SP();
    yvmrt_check_range((uint64_t)(uintptr_t)src, n, false, sp);
    yvmrt_check_range((uint64_t)(uintptr_t)dst, n, true, sp);
    if (n)
        memmove(dst, src, n);
    return dst;
}

__attribute__((noinline)) void *__yvm_memset(void *dst, int byte, uint64_t n)
{
    yvmrt_check_range((uint64_t)(uintptr_t)dst, n, true, YVMRT_CALLER_SP());
    if (n)
        memset(dst, (uint8_t)byte, n);
    return dst;
}
