/* yvmrt_check.c - the exact bounds decision behind the inline checks.
 *
 * Every byte of [addr, addr+size) must be addressable; for a write, none
 * may be read-only. Out of bounds wins over read-only, as in the
 * interpreter (a write running off a `data` object is out of bounds).
 * Memory of no IR object (shadow 0, the C world's) is fine for an
 * `unsafe` function and out of bounds for any other, as in the
 * interpreter.
 *
 * Dead frames (0xF5): when a function returns, its alloca area is marked
 * dead, so a dangling pointer to it traps. That marking is only
 * meaningful below the current stack pointer: memory at or above the
 * caller's sp belongs to frames that are live right now (C frames, or
 * compiled frames' spill areas that reuse stack a dead frame once had),
 * and nothing re-marks it when C code reuses it. A compiled function's
 * own live allocas are always re-marked by __yvm_alloca_enter, so a 0xF5
 * granule at or above sp can only be stale: it is foreign memory. Dead
 * fake-stack slots (0xF8) are never stale.
 */
#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(check);

#define WORD_RW 0x0808080808080808ULL /* 8 granules wholly addressable */

static inline uint64_t shadow_word(const uint8_t *s)
{
    uint64_t w;
    __builtin_memcpy(&w, s, sizeof w);
    return w;
}

void yvmrt_check_range(uint64_t addr, uint64_t size, int flags, uint64_t sp)
{
    if (size == 0)
        return;
    bool write = flags & YVMRT_CHECK_WRITE, unsafe = flags & YVMRT_CHECK_UNSAFE;
    uint64_t end = addr + size;
    if (end < addr || end > YVMRT_USER_END)
        __yvm_trap(YVMRT_TRAP_BOUNDS);
    bool ro = false;
    for (uint64_t g = addr & ~7ULL; g < end; g += 8) {
        const uint8_t *sh = yvmrt_shadow(g);
        if ((g & 63) == 0 && end - g >= 64) {
            uint64_t w = shadow_word(sh);
            if (w == WORD_RW || (unsafe && w == 0)) {
                g += 56;
                continue;
            }
        }
        uint8_t s = *sh;
        uint64_t lo = g > addr ? g : addr;         /* first byte checked here */
        uint64_t hi = g + 8 < end ? g + 8 : end;   /* one past the last */
        if (s == YVMRT_SHADOW_FOREIGN) {
            if (!unsafe)
                __yvm_trap(YVMRT_TRAP_BOUNDS);
        } else if (s <= YVMRT_SHADOW_RW) {
            if (hi - g > s)
                __yvm_trap(YVMRT_TRAP_BOUNDS);
        } else if (s > YVMRT_SHADOW_RO_BIT && s <= YVMRT_SHADOW_RO) {
            if (hi - g > (uint64_t)(s - YVMRT_SHADOW_RO_BIT))
                __yvm_trap(YVMRT_TRAP_BOUNDS);
            ro = true;
        } else if (s == YVMRT_SHADOW_DEAD_FRAME && lo >= sp) {
            /* stale: at or above sp, memory of a live (C) frame */
            if (!unsafe)
                __yvm_trap(YVMRT_TRAP_BOUNDS);
        } else {
            __yvm_trap(YVMRT_TRAP_BOUNDS);
        }
    }
    if (write && ro)
        __yvm_trap(YVMRT_TRAP_READONLY);
}

__attribute__((noinline)) void __yvm_check_read(uint64_t addr, uint64_t size)
{
    yvmrt_check_range(addr, size, 0, YVMRT_CALLER_SP());
}

__attribute__((noinline)) void __yvm_check_write(uint64_t addr, uint64_t size)
{
    yvmrt_check_range(addr, size, YVMRT_CHECK_WRITE, YVMRT_CALLER_SP());
}
