/* stack.c - the native runtime's stack objects, dead frames and the big
 * stack with its overflow guard, driven as compiled code would drive them
 * (testsuite/suites/43-runtime.sh). `./stack MODE`.
 *
 * frame() plays a compiled function with two allocas in a 64-byte area:
 *   a: area+0, 10 bytes (red zone to +32); b: area+32, 16 bytes (to +64).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "yvmrt.h"

int __yvm_main(int argc, char **argv);

static int fails;
#define EXPECT(c) do { if (!(c)) { printf("expectation failed: %s (line %d)\n", #c, __LINE__); fails++; } } while (0)
#define A(p) ((uint64_t)(uintptr_t)(p))

static uint8_t shadow_of(uint64_t addr)
{
    return *(volatile uint8_t *)(uintptr_t)((addr >> YVMRT_SHADOW_SCALE) + YVMRT_SHADOW_OFFSET);
}

static volatile uint64_t dangling; /* the area of the last frame() */

/* MODE selects a bad access made while the frame is live. */
__attribute__((noinline)) static void frame(const char *mode)
{
    _Alignas(16) unsigned char area[64];
    memset(area, 0xAA, sizeof area);
    __yvm_alloca_enter(area, 10, 32);
    __yvm_alloca_enter(area + 32, 16, 32);
    for (int i = 0; i < 10; i++)
        EXPECT(area[i] == 0); /* allocas start zeroed */
    for (int i = 32; i < 48; i++)
        EXPECT(area[i] == 0);
    __yvm_check_write(A(area), 10);
    __yvm_check_read(A(area) + 32, 16);
    __yvm_memset(area + 32, 1, 16);
    __yvm_memcpy(area, area + 32, 10);
    EXPECT(shadow_of(A(area) + 8) == 2 && shadow_of(A(area) + 16) == YVMRT_SHADOW_REDZONE);
    if (!strcmp(mode, "past-end"))
        __yvm_check_read(A(area) + 10, 1);
    if (!strcmp(mode, "red-zone"))
        __yvm_check_write(A(area) + 48, 1);
    if (!strcmp(mode, "across"))
        __yvm_memset(area, 0, 40); /* from a over its red zone into b */
    __yvm_frame_leave(area, area + 64);
    EXPECT(shadow_of(A(area)) == YVMRT_SHADOW_DEAD_FRAME);
    EXPECT(shadow_of(A(area) + 56) == YVMRT_SHADOW_DEAD_FRAME);
    dangling = A(area);
}

/* A C function whose frame reuses the memory frame() left marked dead:
 * the marking is stale (its buffer is above its own stack pointer). */
__attribute__((noinline)) static void reuse(void)
{
    unsigned char buf[512];
    int stale = 0;
    for (uint64_t g = 0; g < sizeof buf; g += 8)
        stale += shadow_of(A(buf) + g) == YVMRT_SHADOW_DEAD_FRAME;
    EXPECT(stale > 0); /* the premise of the test */
    memset(buf, 3, sizeof buf);
    __yvm_check_write(A(buf), sizeof buf);
    __yvm_memset(buf, 4, sizeof buf);
    __yvm_memcpy(buf, buf + 256, 256);
    EXPECT(buf[0] == 4);
}

__attribute__((noinline)) static void zero_size(void)
{
    _Alignas(16) unsigned char area[16];
    __yvm_alloca_enter(area, 0, 16);
    __yvm_check_read(A(area), 0);
    __yvm_check_read(A(area), 1);
}

static volatile int stop_at = -1;

__attribute__((noinline)) static int recurse(int n)
{
    volatile char buf[200];
    buf[0] = (char)n;
    if (n == stop_at)
        return 0;
    return recurse(n + 1) + buf[0];
}

int __yvm_main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "ok")) {
        frame("");
        reuse();
        frame("");
        stop_at = 100000; /* 100000 frames: more than C's usual 8 MiB stack holds */
        recurse(0);
        printf(fails ? "FAILED\n" : "ok\n");
        return fails != 0;
    }
    if (!strcmp(m, "dead-frame")) {
        frame("");
        __yvm_check_read(dangling, 1);
    } else if (!strcmp(m, "dead-frame-memcpy")) {
        frame("");
        char tmp[4];
        __yvm_memcpy(tmp, (void *)(uintptr_t)(dangling + 32), 4);
    } else if (!strcmp(m, "past-end") || !strcmp(m, "red-zone") || !strcmp(m, "across"))
        frame(m);
    else if (!strcmp(m, "zero-size"))
        zero_size();
    else if (!strcmp(m, "overflow")) {
        printf("deep\n");
        recurse(0);
    } else {
        printf("unknown mode '%s'\n", m);
        return 99;
    }
    printf("no trap\n");
    return 0;
}
