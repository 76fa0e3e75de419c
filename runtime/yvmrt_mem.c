/* yvmrt_mem.c - the checked memory functions compiled code calls for IR
 * `memcpy`/`memset` and the externs memcpy, memmove, memset.
 *
 * The source range is checked before the destination, as the interpreter
 * does; memcpy has memmove's meaning (overlap behaves as if through a
 * temporary buffer). Zero-length calls check nothing. The _unsafe forms
 * serve `unsafe` functions, for which foreign (C) memory is fine.
 */
#include <string.h>

#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(mem);

static void *copy(void *dst, const void *src, uint64_t n, int flags, uint64_t sp)
{
    yvmrt_check_range((uint64_t)(uintptr_t)src, n, flags, sp);
    yvmrt_check_range((uint64_t)(uintptr_t)dst, n, flags | YVMRT_CHECK_WRITE, sp);
    if (n)
        memmove(dst, src, n);
    return dst;
}

static void *fill(void *dst, int byte, uint64_t n, int flags, uint64_t sp)
{
    yvmrt_check_range((uint64_t)(uintptr_t)dst, n, flags | YVMRT_CHECK_WRITE, sp);
    if (n)
        memset(dst, (uint8_t)byte, n);
    return dst;
}

__attribute__((noinline)) void *__yvm_memcpy(void *dst, const void *src, uint64_t n)
{
    return copy(dst, src, n, 0, YVMRT_CALLER_SP());
}

__attribute__((noinline)) void *__yvm_memset(void *dst, int byte, uint64_t n)
{
    return fill(dst, byte, n, 0, YVMRT_CALLER_SP());
}

__attribute__((noinline)) void *__yvm_memcpy_unsafe(void *dst, const void *src, uint64_t n)
{
    return copy(dst, src, n, YVMRT_CHECK_UNSAFE, YVMRT_CALLER_SP());
}

__attribute__((noinline)) void *__yvm_memset_unsafe(void *dst, int byte, uint64_t n)
{
    return fill(dst, byte, n, YVMRT_CHECK_UNSAFE, YVMRT_CALLER_SP());
}
