/* objects.c - the native runtime's object checks, traps and start-up,
 * driven as compiled code would drive them (testsuite/suites/43-runtime.sh).
 *
 * The objects live in one arena laid out as yvm-cc lays out data: each
 * 8-aligned, followed by a 16-byte red zone no other object uses.
 *   rw   arena+0   13 bytes, writable     (red zone 16..32)
 *   ro   arena+32  10 bytes, read-only    (red zone 48..64)
 *   zero arena+64   0 bytes               (red zone 64..80)
 *   rw8  arena+80   8 bytes, writable     (red zone 88..104)
 * arena+128..240 is C memory the runtime knows nothing of (foreign: fine
 * for an `unsafe` function, out of bounds for any other).
 *   first arena+256 8 bytes, with a red zone before it too (240..256)
 * `./objects MODE [args]`: each mode either prints "ok" and exits 0 or
 * ends in the trap the suite expects.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yvmrt.h"

static unsigned char arena[320] __attribute__((aligned(16)));
#define RW ((uint64_t)(uintptr_t)(arena + 0))
#define RO ((uint64_t)(uintptr_t)(arena + 32))
#define ZERO ((uint64_t)(uintptr_t)(arena + 64))
#define RW8 ((uint64_t)(uintptr_t)(arena + 80))
#define A(p) ((uint64_t)(uintptr_t)(p))
#define CMEM ((uint64_t)(uintptr_t)(arena + 128))

__attribute__((section("yvm_objects"), used)) static YvmrtObject objects[] = {
    {(uint64_t)(uintptr_t)(arena + 0), 13, 0},
    {(uint64_t)(uintptr_t)(arena + 32), 10, 1},
    {(uint64_t)(uintptr_t)(arena + 64), 0, 0},
    {(uint64_t)(uintptr_t)(arena + 80), 8, 0},
    {(uint64_t)(uintptr_t)(arena + 256), 8, YVMRT_OBJ_REDZONE_BEFORE},
};

static int64_t twice(int64_t x) { return 2 * x; }
static void nothing(void) {}

#define SIG_TWICE 0x1111222233334444ULL
#define SIG_NOTHING 0x5555666677778888ULL
__attribute__((section("yvm_funcs"), used)) static YvmrtFunc funcs[] = {
    {(uint64_t)(uintptr_t)&nothing, SIG_NOTHING},
    {(uint64_t)(uintptr_t)&twice, SIG_TWICE},
    {(uint64_t)(uintptr_t)&twice, SIG_NOTHING}, /* listed twice, two signatures */
};

int __yvm_main(int argc, char **argv);

static int fails;
#define EXPECT(c) do { if (!(c)) { printf("expectation failed: %s (line %d)\n", #c, __LINE__); fails++; } } while (0)

static uint8_t shadow_of(uint64_t addr)
{
    return *(volatile uint8_t *)(uintptr_t)((addr >> YVMRT_SHADOW_SCALE) + YVMRT_SHADOW_OFFSET);
}

static int in_bounds(void)
{
    /* every in-bounds range of every object passes */
    for (uint64_t off = 0; off < 13; off++)
        for (uint64_t n = 0; off + n <= 13; n++) {
            __yvm_check_read(RW + off, n);
            __yvm_check_write(RW + off, n);
        }
    for (uint64_t off = 0; off < 10; off++)
        for (uint64_t n = 0; off + n <= 10; n++)
            __yvm_check_read(RO + off, n);
    __yvm_check_write(RW8, 8);
    /* zero-size ranges check nothing, even one past the end or in a red zone */
    __yvm_check_read(RW + 13, 0);
    __yvm_check_write(RO + 10, 0);
    __yvm_check_read(ZERO, 0);
    __yvm_check_write(RW + 20, 0);
    /* C memory is foreign: fine for unsafe code */
    uint64_t sp = A(__builtin_frame_address(0));
    yvmrt_check_range(CMEM, 112, YVMRT_CHECK_WRITE | YVMRT_CHECK_UNSAFE, sp);
    char local[32];
    yvmrt_check_range(A(local), sizeof local, YVMRT_CHECK_WRITE | YVMRT_CHECK_UNSAFE, sp);
    /* ... and so are IR objects */
    yvmrt_check_range(RW, 13, YVMRT_CHECK_WRITE | YVMRT_CHECK_UNSAFE, sp);
    yvmrt_check_range(RO, 10, YVMRT_CHECK_UNSAFE, sp);
    /* the shadow encoding of yvmrt.h */
    EXPECT(shadow_of(RW) == YVMRT_SHADOW_RW);
    EXPECT(shadow_of(RW + 8) == 0x05);
    EXPECT(shadow_of(RW + 16) == YVMRT_SHADOW_REDZONE);
    EXPECT(shadow_of(RW + 24) == YVMRT_SHADOW_REDZONE);
    EXPECT(shadow_of(RO) == YVMRT_SHADOW_RO);
    EXPECT(shadow_of(RO + 8) == YVMRT_SHADOW_RO_BIT + 2);
    EXPECT(shadow_of(ZERO) == YVMRT_SHADOW_REDZONE);
    EXPECT(shadow_of(RW8) == YVMRT_SHADOW_RW);
    EXPECT(shadow_of(RW8 + 8) == YVMRT_SHADOW_REDZONE);
    EXPECT(shadow_of(CMEM) == 0x00);
    EXPECT(shadow_of(A(arena) + 240) == YVMRT_SHADOW_REDZONE);
    EXPECT(shadow_of(A(arena) + 248) == YVMRT_SHADOW_REDZONE);
    EXPECT(shadow_of(A(arena) + 256) == YVMRT_SHADOW_RW);
    EXPECT(shadow_of(A(arena) + 264) == YVMRT_SHADOW_REDZONE);
    __yvm_check_write(A(arena) + 256, 8);
    /* the explicit-sp entry: a plain read and write */
    yvmrt_check_range(RW, 13, 1, A(__builtin_frame_address(0)));
    yvmrt_check_range(RO, 10, 0, A(__builtin_frame_address(0)));
    /* in-bounds memcpy/memset, including into and out of C memory */
    memcpy(arena, "hello, world", 13);
    EXPECT(__yvm_memcpy_unsafe(arena + 128, arena, 13) == arena + 128);
    EXPECT(memcmp(arena + 128, "hello, world", 13) == 0);
    EXPECT(__yvm_memset(arena + 80, 'x', 8) == arena + 80);
    EXPECT(memcmp(arena + 80, "xxxxxxxx", 8) == 0);
    __yvm_memcpy(arena + 80, arena + 32, 8); /* from read-only data is fine */
    EXPECT(__yvm_memset_unsafe(arena + 136, 'y', 4) == arena + 136);
    __yvm_memcpy_unsafe(arena, arena + 136, 4);
    EXPECT(memcmp(arena, "yyyy", 4) == 0);
    __yvm_memcpy(NULL, NULL, 0);             /* zero length checks nothing */
    __yvm_memset(NULL, 0, 0);
    /* indirect calls */
    __yvm_check_call((const void *)&twice, SIG_TWICE);
    __yvm_check_call((const void *)&twice, SIG_NOTHING);
    __yvm_check_call((const void *)&nothing, SIG_NOTHING);
    EXPECT(twice(21) == 42);
    nothing();
    /* the signature hash is FNV-1a 64 (published test vectors) */
    EXPECT(yvmrt_sig_hash("") == 0xcbf29ce484222325ULL);
    EXPECT(yvmrt_sig_hash("a") == 0xaf63dc4c8601ec8cULL);
    EXPECT(yvmrt_sig_hash("foobar") == 0x85944171f73967e8ULL);
    printf(fails ? "FAILED\n" : "ok\n");
    return fails != 0;
}

int __yvm_main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "in-bounds"))
        return in_bounds();
    if (!strcmp(m, "read-past-end"))
        __yvm_check_read(RW + 13, 1);
    else if (!strcmp(m, "write-past-end"))
        __yvm_check_write(RW + 12, 2);
    else if (!strcmp(m, "read-straddle"))
        __yvm_check_read(RW + 8, 8);
    else if (!strcmp(m, "read-before"))
        __yvm_check_read(RW8 - 1, 2); /* from rw's red zone into rw8 */
    else if (!strcmp(m, "read-redzone"))
        __yvm_check_read(RW + 20, 1);
    else if (!strcmp(m, "read-ro-past-end"))
        __yvm_check_read(RO + 10, 1);
    else if (!strcmp(m, "write-ro"))
        __yvm_check_write(RO + 3, 1);
    else if (!strcmp(m, "write-ro-last"))
        __yvm_check_write(RO + 9, 1);
    else if (!strcmp(m, "write-ro-past-end")) /* out of bounds wins */
        __yvm_check_write(RO + 8, 4);
    else if (!strcmp(m, "read-before-first"))
        __yvm_check_read(A(arena) + 255, 1);
    else if (!strcmp(m, "read-foreign"))
        __yvm_check_read(CMEM, 1);
    else if (!strcmp(m, "write-foreign"))
        __yvm_check_write(CMEM + 8, 8);
    else if (!strcmp(m, "read-into-foreign")) /* from rw8's red zone on */
        __yvm_check_read(RW8, 64);
    else if (!strcmp(m, "memcpy-from-foreign"))
        __yvm_memcpy(arena, arena + 128, 4);
    else if (!strcmp(m, "memset-foreign"))
        __yvm_memset(arena + 128, 0, 4);
    else if (!strcmp(m, "unsafe-read-past-end"))
        yvmrt_check_range(RW + 13, 1, YVMRT_CHECK_UNSAFE, A(__builtin_frame_address(0)));
    else if (!strcmp(m, "unsafe-memcpy-redzone"))
        __yvm_memcpy_unsafe(arena + 128, arena, 14);
    else if (!strcmp(m, "range-write-ro"))
        yvmrt_check_range(RO, 1, 1, A(__builtin_frame_address(0)));
    else if (!strcmp(m, "range-read-past-end"))
        yvmrt_check_range(RO, 11, 0, A(__builtin_frame_address(0)));
    else if (!strcmp(m, "argv-ok")) {
        /* argv: argc+1 writable pointers, each string writable with its NUL */
        __yvm_check_write(A(argv), ((uint64_t)argc + 1) * sizeof *argv);
        for (int i = 0; i < argc; i++)
            __yvm_check_write(A(argv[i]), strlen(argv[i]) + 1);
        EXPECT(argv[argc] == NULL);
        printf(fails ? "FAILED\n" : "ok\n");
        return fails != 0;
    } else if (!strcmp(m, "argv-past-end"))
        __yvm_check_read(A(&argv[argc + 1]), 8);
    else if (!strcmp(m, "argv-string-past-end"))
        __yvm_check_read(A(argv[1]) + strlen(argv[1]) + 1, 1);
    else if (!strcmp(m, "argv-free"))
        __yvm_free(argv);
    else if (!strcmp(m, "read-zero-object"))
        __yvm_check_read(ZERO, 1);
    else if (!strcmp(m, "read-null"))
        __yvm_check_read(0, 8);
    else if (!strcmp(m, "read-wrap"))
        __yvm_check_read(RW, UINT64_MAX);
    else if (!strcmp(m, "memcpy-to-ro"))
        __yvm_memcpy(arena + 32, arena, 4);
    else if (!strcmp(m, "memcpy-src-past-end"))
        __yvm_memcpy(arena + 128, arena, 14);
    else if (!strcmp(m, "memcpy-dst-past-end"))
        __yvm_memcpy(arena + 80, arena, 9);
    else if (!strcmp(m, "memset-past-end"))
        __yvm_memset(arena, 0, 14);
    else if (!strcmp(m, "memset-ro"))
        __yvm_memset(arena + 32, 0, 1);
    else if (!strcmp(m, "call-wrong-sig"))
        __yvm_check_call((const void *)&nothing, SIG_TWICE);
    else if (!strcmp(m, "call-not-start"))
        __yvm_check_call((const char *)&twice + 1, SIG_TWICE);
    else if (!strcmp(m, "call-null"))
        __yvm_check_call(NULL, SIG_TWICE);
    else if (!strcmp(m, "call-data"))
        __yvm_check_call(arena, SIG_TWICE);
    else if (!strcmp(m, "flush")) {
        printf("line one\n");
        printf("partial line");
        fputs("on stderr\n", stderr);
        __yvm_check_read(RW + 13, 1);
    } else if (!strcmp(m, "trap") && argc > 2) {
        printf("before trap %s\n", argv[2]);
        __yvm_trap(argv[2][0] - '0');
    } else if (!strcmp(m, "trap-msg")) {
        __yvm_trap_msg(argc > 2 ? argv[2] : "");
    } else if (!strcmp(m, "args")) {
        printf("%d\n", argc);
        for (int i = 0; i <= argc; i++)
            printf("[%s]\n", argv[i] ? argv[i] : "(null)");
        return argc > 2 ? (int)strtol(argv[2], NULL, 10) : 0;
    } else {
        printf("unknown mode '%s'\n", m);
        return 99;
    }
    printf("no trap\n");
    return 0;
}
