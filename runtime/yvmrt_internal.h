/* yvmrt_internal.h - what the native runtime's files share among
 * themselves (never included by compiled code or its users; the public
 * contract is yvmrt.h).
 *
 * The runtime keeps process-wide state (the shadow mapping, the heap's
 * live-block table and quarantine, the function table, the stack guards):
 * compiled code has no context pointer to pass, so it lives in statics of
 * the file that owns each concept. Compiled code is single-threaded.
 */
#ifndef YVM_YVMRT_INTERNAL_H
#define YVM_YVMRT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "yvmrt.h"

/* User addresses end here on x86-64 (47-bit); the shadow covers [0, END). */
#define YVMRT_USER_END (1ULL << 47)
/* Addresses [0, YVMRT_NULL_AREA) are poisoned so null accesses trap. */
#define YVMRT_NULL_AREA 0x10000ULL

static inline uint8_t *yvmrt_shadow(uint64_t addr)
{
    return (uint8_t *)(uintptr_t)((addr >> YVMRT_SHADOW_SCALE) + YVMRT_SHADOW_OFFSET);
}

static inline uint64_t yvmrt_round_up8(uint64_t x)
{
    return (x + 7) & ~7ULL;
}

/* yvmrt_start.c: the one-time set-up (idempotent; main and the
 * constructor both call it). */
void yvmrt_setup(void);

/* yvmrt_shadow.c */
bool yvmrt_shadow_map(void);          /* false: could not map (reported) */
/* Every granule in [lo, hi) (lo rounded down, hi rounded up) gets V. */
void yvmrt_shadow_fill(uint64_t lo, uint64_t hi, uint8_t v);
/* Bytes [base, base+size) addressable (read-only if RO); a partial last
 * granule gets its count k (0x40+k when read-only). */
void yvmrt_shadow_mark_object(uint64_t base, uint64_t size, bool ro);
/* The red zone after an object: YVMRT_REDZONE bytes from the granule
 * boundary after its end. */
void yvmrt_shadow_mark_redzone_after(uint64_t base, uint64_t size);

/* yvmrt_check.c: yvmrt_check_range, the exact decision, is declared in
 * yvmrt.h (backend check helpers call it too). */

/* yvmrt_heap.c: park a C chunk (its shadow already poisoned) in the heap's
 * quarantine; it is cleared and freed when it leaves. */
void yvmrt_heap_park(void *chunk, uint64_t bytes);

/* yvmrt_call.c: reads yvm_funcs into a sorted table. */
void yvmrt_funcs_init(void);

/* yvmrt_stack.c: the program's stack size (YVMRT_STACK_SIZE, default
 * 1 GiB; the fake stack gets as much) and stack-overflow detection. */
uint64_t yvmrt_stack_size(void);
void yvmrt_stack_handler_install(void);
void yvmrt_stack_guard_add(uint64_t lo, uint64_t hi);
void yvmrt_stack_guard_main_thread(void);

/* yvmrt_trap.c: print a fatal runtime error (not a trap) and exit 1. */
_Noreturn void yvmrt_fatal(const char *msg);

/* The caller's stack pointer just before it called the current function
 * (the runtime is built with frame pointers). */
#define YVMRT_CALLER_SP() ((uint64_t)(uintptr_t)__builtin_frame_address(0) + 16)

/* Makes an archive member that compiled code pulls in also pull in the
 * set-up (and so its constructor). */
#define YVMRT_NEEDS_SETUP(tag) \
    __attribute__((used)) static void (*const yvmrt_pull_##tag)(void) = yvmrt_setup

#endif
