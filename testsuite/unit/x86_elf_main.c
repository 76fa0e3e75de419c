/* x86_elf_main.c - links with the object `x86-difftest elf` writes (or
 * the same module printed as assembler text) and checks what the linker
 * made of it: data in all four sections, pc-relative and absolute
 * relocations, a call out to C (undefined symbol), labels and branches,
 * and the runtime's yvm_objects / yvm_funcs tables. Prints "ok".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "yvmrt.h"

long ext_add(long x);
long ext_add(long x) { return x + 1; }

long yvm_get_counter(void);
void yvm_bump(void);
long yvm_get_buf(long i);
long yvm_call_ext(long x);
const char *yvm_msg(void);
long yvm_sum(long n);
double yvm_scale(double x, long n);
long rcx(void);

extern const YvmrtObject __start_yvm_objects[], __stop_yvm_objects[];
extern const YvmrtFunc __start_yvm_funcs[], __stop_yvm_funcs[];

static int fails;
#define CHECK(c)                                                   \
    do {                                                           \
        if (!(c)) {                                                \
            printf("FAIL line %d: %s\n", __LINE__, #c);            \
            fails++;                                               \
        }                                                          \
    } while (0)

int main(void)
{
    CHECK(yvm_get_counter() == 5);
    CHECK(yvm_get_buf(99) == 0);
    yvm_bump();
    CHECK(yvm_get_counter() == 1005);
    CHECK(yvm_get_buf(99) == 77);
    CHECK(yvm_get_buf(98) == 0);
    CHECK(yvm_call_ext(41) == 84);
    CHECK(strcmp(yvm_msg(), "hello, linker") == 0);
    CHECK(yvm_sum(10) == 55);
    CHECK(yvm_sum(0) == 0);
    CHECK(yvm_scale(1.5, 4) == 6.0);
    CHECK(rcx() == 0x11223344);

    /* msg, table, counter, buf, fptr, fs in item order. */
    size_t n = (size_t)(__stop_yvm_objects - __start_yvm_objects);
    CHECK(n == 6);
    if (n == 6) {
        const YvmrtObject *o = __start_yvm_objects;
        static const uint64_t sizes[] = {14, 20, 10, 100, 8, 4};
        static const uint64_t ro[] = {1, 1, 0, 0, 0, 1};
        for (size_t i = 0; i < 6; i++) {
            CHECK(o[i].size == sizes[i]);
            CHECK((o[i].flags & YVMRT_OBJ_READONLY) == ro[i]);
            CHECK((o[i].flags & ~(uint64_t)3) == 0);
            CHECK(o[i].base % 8 == 0);
        }
        /* The module's first object in a section has a red zone before it. */
        CHECK(o[0].flags & YVMRT_OBJ_REDZONE_BEFORE);
        CHECK(strcmp((const char *)o[0].base, "hello, linker") == 0);
        const uint8_t *table = (const uint8_t *)o[1].base;
        const char *p;
        memcpy(&p, table + 8, sizeof p);
        CHECK(table[0] == 0xAB && p == (const char *)o[0].base);
        CHECK(table[16] == 7 && table[17] == 0);
        const uint8_t *counter = (const uint8_t *)o[2].base;
        CHECK(counter[8] == 0x34 && counter[9] == 0x12); /* yvm_bump's 16-bit store */
        memcpy(&p, (const void *)o[4].base, sizeof p);
        CHECK(p == (const char *)o[0].base);
        /* Red zones: no object starts within 16 bytes after another. */
        for (size_t i = 0; i < 6; i++)
            for (size_t k = 0; k < 6; k++)
                if (i != k && o[k].base >= o[i].base)
                    CHECK(o[k].base >= ((o[i].base + o[i].size + 7) & ~7ull) + YVMRT_REDZONE);
    }
    CHECK(__stop_yvm_funcs - __start_yvm_funcs == 2);
    if (__stop_yvm_funcs - __start_yvm_funcs == 2) {
        CHECK(__start_yvm_funcs[0].addr == (uint64_t)(uintptr_t)yvm_sum);
        CHECK(__start_yvm_funcs[0].sig == 0x1122334455667788ULL);
        CHECK(__start_yvm_funcs[1].addr == (uint64_t)(uintptr_t)ext_add);
        CHECK(__start_yvm_funcs[1].sig == 42);
    }
    if (!fails)
        puts("ok");
    return fails != 0;
}
