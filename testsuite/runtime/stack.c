/* stack.c - the native runtime's stack objects, dead frames and the big
 * stack with its overflow guard, driven as compiled code would drive them
 * (testsuite/suites/43-runtime.sh). `./stack MODE`.
 *
 * frame() plays a compiled function with two allocas in a 64-byte area:
 *   a: area+0, 10 bytes (red zone to +32); b: area+32, 16 bytes (to +64).
 */
#include <stdbool.h>
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

/* The check of a write by an unsafe function (sp: the caller's). */
__attribute__((noinline)) static void unsafe_check_write(uint64_t addr, uint64_t size)
{
    yvmrt_check_range(addr, size, YVMRT_CHECK_WRITE | YVMRT_CHECK_UNSAFE,
                      A(__builtin_frame_address(0)) + 16);
}

/* A C function whose frame reuses the memory frame() left marked dead:
 * the marking is stale (its buffer is above its own stack pointer), so
 * the buffer is foreign memory: fine for unsafe code. */
__attribute__((noinline)) static void reuse(void)
{
    unsigned char buf[512];
    int stale = 0;
    for (uint64_t g = 0; g < sizeof buf; g += 8)
        stale += shadow_of(A(buf) + g) == YVMRT_SHADOW_DEAD_FRAME;
    EXPECT(stale > 0); /* the premise of the test */
    memset(buf, 3, sizeof buf);
    unsafe_check_write(A(buf), sizeof buf);
    __yvm_memset_unsafe(buf, 4, sizeof buf);
    __yvm_memcpy_unsafe(buf, buf + 256, 256);
    EXPECT(buf[0] == 4);
}

/* The same stale buffer checked for a safe function: foreign, a trap. */
__attribute__((noinline)) static void reuse_safe(void)
{
    unsigned char buf[512];
    memset(buf, 3, sizeof buf);
    __yvm_check_write(A(buf), sizeof buf);
}

/* The fake stack: a compiled function whose allocas escape. */
static volatile uint64_t fake_dangling;

__attribute__((noinline)) static void fake_frame(uint64_t size, uint64_t align)
{
    uint64_t mark = __yvm_fake_enter();
    unsigned char *p = __yvm_fake_alloca(size, align);
    unsigned char *q = __yvm_fake_alloca(3, 1);
    EXPECT(A(p) % align == 0 && A(p) % 8 == 0);
    for (uint64_t i = 0; i < size; i++)
        EXPECT(p[i] == 0);
    EXPECT(q[0] == 0 && q[1] == 0 && q[2] == 0);
    __yvm_check_write(A(p), size);
    __yvm_check_write(A(q), 3);
    memset(p, 0x5A, size);
    q[0] = 1;
    if (size)
        EXPECT(shadow_of(A(p)) == (size >= 8 ? YVMRT_SHADOW_RW : size));
    EXPECT(shadow_of(A(q)) == 3);
    EXPECT(shadow_of(A(q) + 8) == YVMRT_SHADOW_REDZONE);
    fake_dangling = A(p);
    __yvm_fake_leave(mark);
    EXPECT(__yvm_fake_enter() == mark);
    if (size)
        EXPECT(shadow_of(A(p)) == YVMRT_SHADOW_DEAD_SLOT);
    EXPECT(shadow_of(A(q)) == YVMRT_SHADOW_DEAD_SLOT);
}

/* Recursion: every level's slot stays live below it. */
__attribute__((noinline)) static uint64_t fake_recurse(int n)
{
    uint64_t mark = __yvm_fake_enter();
    uint64_t *p = __yvm_fake_alloca(8, 8);
    *p = (uint64_t)n;
    uint64_t r = n ? fake_recurse(n - 1) : 0;
    __yvm_check_read(A(p), 8);
    r += *p;
    __yvm_fake_leave(mark);
    return r;
}

static void fake_ok(void)
{
    static const uint64_t sizes[] = {0, 1, 8, 13, 16, 100, 4000, 65520, 70000, 1 << 20};
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++)
        fake_frame(sizes[i], 8);
    fake_frame(24, 64);
    fake_frame(5000, 4096);
    fake_frame(100000, 4096);
    /* reuse: after enough releases a slot comes back (zeroed again) */
    uint64_t first = 0;
    bool again = false;
    for (int i = 0; i < 100000 && !again; i++) {
        uint64_t mark = __yvm_fake_enter();
        unsigned char *p = __yvm_fake_alloca(8, 8);
        EXPECT(p[0] == 0);
        p[0] = 9;
        if (i == 0)
            first = A(p);
        else
            again = A(p) == first;
        __yvm_fake_leave(mark);
    }
    EXPECT(again);
    EXPECT(fake_recurse(100000) == 100000ULL * 100001 / 2);
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
        fake_ok();
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
    } else if (!strcmp(m, "stale-safe")) {
        frame("");
        reuse_safe();
    } else if (!strcmp(m, "fake-dangling")) {
        fake_frame(16, 8);
        __yvm_check_read(fake_dangling, 1);
    } else if (!strcmp(m, "fake-dangling-large")) {
        fake_frame(1 << 20, 8);
        __yvm_check_read(fake_dangling + 4096, 8);
    } else if (!strcmp(m, "fake-dangling-unsafe")) {
        fake_frame(16, 8);
        yvmrt_check_range(fake_dangling, 1, YVMRT_CHECK_UNSAFE, A(__builtin_frame_address(0)));
    } else if (!strcmp(m, "fake-past-end")) {
        uint64_t mark = __yvm_fake_enter();
        unsigned char *p = __yvm_fake_alloca(13, 8);
        __yvm_check_read(A(p) + 13, 1);
        __yvm_fake_leave(mark);
    } else if (!strcmp(m, "fake-overflow")) {
        printf("deep\n");
        for (;;) {
            __yvm_fake_enter();
            __yvm_fake_alloca(60000, 8);
        }
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
