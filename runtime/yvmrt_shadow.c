/* yvmrt_shadow.c - the shadow memory: one byte per 8-byte granule of the
 * user address space at (addr >> 3) + YVMRT_SHADOW_OFFSET (encoding in
 * yvmrt.h), the same place AddressSanitizer puts it on x86-64.
 *
 * The whole shadow range [shadow(0), shadow(2^47)) is mapped at once,
 * MAP_NORESERVE: untouched pages cost nothing and read as 0 (foreign: no
 * IR object, memory of the C world).
 * ASan leaves a hole (the "shadow gap") where the shadow of the shadow
 * would be; we map it too when the kernel lets us, so an inline check of
 * any user address never faults. If something already lives in that
 * range, we fall back to ASan's two pieces (low and high shadow) and leave
 * the gap unmapped: only a wild pointer into the shadow itself would then
 * fault.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "yvmrt_internal.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* ASan's x86-64 layout: low shadow, gap, high shadow. */
#define SHADOW_LO 0x00007fff8000ULL
#define SHADOW_GAP_LO 0x00008fff7000ULL
#define SHADOW_GAP_HI 0x02008fff7000ULL
#define SHADOW_HI 0x10007fff8000ULL

/* Map [lo, hi) exactly, never over an existing mapping. */
static bool map_exact(uint64_t lo, uint64_t hi)
{
    void *want = (void *)(uintptr_t)lo;
    void *p = mmap(want, hi - lo, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    if (p != want) { /* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
        munmap(p, hi - lo);
        return false;
    }
    return true;
}

bool yvmrt_shadow_map(void)
{
    if (map_exact(SHADOW_LO, SHADOW_HI))
        return true;
    if (map_exact(SHADOW_LO, SHADOW_GAP_LO)) {
        if (map_exact(SHADOW_GAP_HI, SHADOW_HI))
            return true;
        munmap((void *)(uintptr_t)SHADOW_LO, SHADOW_GAP_LO - SHADOW_LO);
    }
    return false;
}

void yvmrt_shadow_fill(uint64_t lo, uint64_t hi, uint8_t v)
{
    lo &= ~7ULL;
    hi = yvmrt_round_up8(hi);
    if (hi > YVMRT_USER_END)
        hi = YVMRT_USER_END;
    if (lo >= hi)
        return;
    memset(yvmrt_shadow(lo), v, (hi - lo) >> YVMRT_SHADOW_SCALE);
}

void yvmrt_shadow_mark_object(uint64_t base, uint64_t size, bool ro)
{
    uint64_t end = base + size;
    if (size == 0 || end < base || end > YVMRT_USER_END)
        return;
    uint8_t full = ro ? YVMRT_SHADOW_RO : YVMRT_SHADOW_RW;
    uint8_t part = ro ? YVMRT_SHADOW_RO_BIT : 0;
    uint64_t whole = end & ~7ULL; /* granules below this are wholly inside */
    yvmrt_shadow_fill(base, whole, full);
    if (end > whole)
        *yvmrt_shadow(whole) = (uint8_t)(part + (end - whole));
}

void yvmrt_shadow_mark_redzone_after(uint64_t base, uint64_t size)
{
    uint64_t rz = yvmrt_round_up8(base + size);
    if (rz < base || rz > YVMRT_USER_END - YVMRT_REDZONE)
        return;
    yvmrt_shadow_fill(rz, rz + YVMRT_REDZONE, YVMRT_SHADOW_REDZONE);
    /* A size-0 object (or one whose first granule holds nothing of it):
     * its own granule is red zone too, so any access at base traps. */
    if (size == 0 && (base & 7) == 0)
        *yvmrt_shadow(base) = YVMRT_SHADOW_REDZONE;
}
