/* yvmrt_check.c - the exact bounds decision behind the inline checks.
 *
 * Every byte of [addr, addr+size) must be addressable; for a write, none
 * may be read-only. Out of bounds wins over read-only, as in the
 * interpreter (a write running off a `data` object is out of bounds).
 *
 * Dead frames (0xF5): when a function returns, its alloca area is marked
 * dead, so a dangling pointer to it traps. That marking is only
 * meaningful below the current stack pointer: memory at or above the
 * caller's sp belongs to frames that are live right now (C frames, or
 * compiled frames' spill areas that reuse stack a dead frame once had),
 * and nothing re-marks it when C code reuses it. A compiled function's
 * own live allocas are always re-marked by __yvm_alloca_enter, so a 0xF5
 * granule at or above sp can only be stale: it is treated as unchecked
 * C memory. The cost: a dangling pointer used after a *deeper* call has
 * reused the dead frame's memory without allocas is not caught.
 */
#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(check);

/* True when the 8 shadow bytes at S are all 0 (64 unchecked bytes). */
static inline bool shadow_word_clear(const uint8_t *s)
{
    uint64_t w;
    __builtin_memcpy(&w, s, sizeof w);
    return w == 0;
}

void yvmrt_check_range(uint64_t addr, uint64_t size, int write, uint64_t sp)
{
    if (size == 0)
        return;
    uint64_t end = addr + size;
    if (end < addr || end > YVMRT_USER_END)
        __yvm_trap(YVMRT_TRAP_BOUNDS);
    bool ro = false;
    for (uint64_t g = addr & ~7ULL; g < end; g += 8) {
        const uint8_t *sh = yvmrt_shadow(g);
        if ((g & 63) == 0 && end - g >= 64 && shadow_word_clear(sh)) {
            g += 56;
            continue;
        }
        uint8_t s = *sh;
        if (s == 0)
            continue;
        uint64_t lo = g > addr ? g : addr;         /* first byte checked here */
        uint64_t hi = g + 8 < end ? g + 8 : end;   /* one past the last */
        if (s < 8) {
            if (hi - g > s)
                __yvm_trap(YVMRT_TRAP_BOUNDS);
        } else if (s >= YVMRT_SHADOW_RO && s < YVMRT_SHADOW_RO + 8) {
            if (s > YVMRT_SHADOW_RO && hi - g > (uint64_t)(s - YVMRT_SHADOW_RO))
                __yvm_trap(YVMRT_TRAP_BOUNDS);
            ro = true;
        } else if (s == YVMRT_SHADOW_DEAD_FRAME) {
            if (lo < sp)
                __yvm_trap(YVMRT_TRAP_BOUNDS);
            /* stale: at or above sp, memory of a live frame */
        } else {
            __yvm_trap(YVMRT_TRAP_BOUNDS);
        }
    }
    if (write && ro)
        __yvm_trap(YVMRT_TRAP_READONLY);
}

__attribute__((noinline)) void __yvm_check_read(uint64_t addr, uint64_t size)
{
    yvmrt_check_range(addr, size, false, YVMRT_CALLER_SP());
}

__attribute__((noinline)) void __yvm_check_write(uint64_t addr, uint64_t size)
{
    yvmrt_check_range(addr, size, true, YVMRT_CALLER_SP());
}
