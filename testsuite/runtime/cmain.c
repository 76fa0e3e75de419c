/* cmain.c - compiled objects linked into a C program that has its own
 * main: the runtime's constructor does the set-up (shadow, tables, the
 * overflow handler for the main thread's stack), and the runtime's main
 * is not linked (testsuite/suites/43-runtime.sh). `./cmain MODE`.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "yvmrt.h"

static unsigned char obj[32] __attribute__((aligned(16)));
__attribute__((section("yvm_objects"), used)) static YvmrtObject objects[] = {
    {(uint64_t)(uintptr_t)obj, 12, 0},
};

static volatile int stop_at = -1;

__attribute__((noinline)) static int recurse(int n)
{
    volatile char buf[200];
    buf[0] = (char)n;
    if (n == stop_at)
        return 0;
    return recurse(n + 1) + buf[0];
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "ok")) {
        __yvm_check_write((uint64_t)(uintptr_t)obj, 12);
        char *p = __yvm_malloc(3);
        __yvm_free(p);
        printf("c main\n");
        return 7;
    }
    if (!strcmp(m, "past-end"))
        __yvm_check_read((uint64_t)(uintptr_t)obj + 12, 1);
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
