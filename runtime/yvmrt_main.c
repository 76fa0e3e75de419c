/* yvmrt_main.c - an executable's main: set up, then run the module's
 * @main (__yvm_main) on a big stack of its own and return its status.
 *
 * The stack is YVMRT_STACK_SIZE bytes (default 1 GiB; the environment
 * variable of that name overrides it, with an optional K, M or G suffix),
 * mapped MAP_NORESERVE so only the pages a deep recursion touches cost
 * memory, with a 1 MiB PROT_NONE guard below it: running into the guard
 * is reported as `trap: stack overflow` (yvmrt_stack.c). A compiled frame
 * larger than the guard must probe its pages.
 *
 * This file is its own archive member: the linker pulls it in only when
 * no other object defines main, so objects linked into C programs keep
 * C's main.
 *
 * The program gets a copy of argv made of checked objects (yvmrt.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "yvmrt_internal.h"

#define GUARD (1ULL << 20)

static struct {
    int argc;
    char **argv;
    int status;
} run;

static void run_main(void)
{
    run.status = __yvm_main(run.argc, run.argv);
}

/* A copy of argv laid out as the interpreter's: the array of argc+1
 * pointers and each string are writable objects with red zones, in one
 * chunk that lives until exit:
 *   [rz][argv array][rz][string 0][rz][string 1][rz]...  */
static char **checked_argv(int argc, char **argv)
{
    uint64_t vec = yvmrt_round_up8(((uint64_t)argc + 1) * sizeof(char *));
    uint64_t total = YVMRT_REDZONE + vec + YVMRT_REDZONE;
    for (int i = 0; i < argc; i++)
        total += yvmrt_round_up8(strlen(argv[i]) + 1) + YVMRT_REDZONE;
    uint8_t *chunk = calloc(1, total);
    if (!chunk)
        yvmrt_fatal("out of memory copying the arguments");
    uint64_t c = (uint64_t)(uintptr_t)chunk;
    yvmrt_shadow_fill(c, c + total, YVMRT_SHADOW_REDZONE);
    char **out = (char **)(chunk + YVMRT_REDZONE);
    yvmrt_shadow_mark_object((uint64_t)(uintptr_t)out, ((uint64_t)argc + 1) * sizeof(char *), false);
    uint8_t *p = chunk + YVMRT_REDZONE + vec + YVMRT_REDZONE;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        memcpy(p, argv[i], n);
        yvmrt_shadow_mark_object((uint64_t)(uintptr_t)p, n, false);
        out[i] = (char *)p;
        p += yvmrt_round_up8(n) + YVMRT_REDZONE;
    }
    out[argc] = NULL;
    return out;
}

int main(int argc, char **argv)
{
    yvmrt_setup();
    uint64_t size = yvmrt_stack_size();
    uint8_t *base = mmap(NULL, GUARD + size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (base == MAP_FAILED)
        yvmrt_fatal("cannot map the program's stack");
    if (mprotect(base, GUARD, PROT_NONE) != 0)
        yvmrt_fatal("cannot protect the stack guard");
    /* Huge pages where the kernel allows: a deep recursion then faults in
     * 2 MiB at a time (running into the guard of a 1 GiB stack takes
     * seconds with 4 KiB pages). Only advice: failure changes nothing. */
    madvise(base + GUARD, size, MADV_HUGEPAGE);
    yvmrt_stack_guard_add((uint64_t)(uintptr_t)base, (uint64_t)(uintptr_t)base + GUARD);

    ucontext_t back, prog;
    if (getcontext(&prog) != 0)
        yvmrt_fatal("cannot create the program's context");
    prog.uc_stack.ss_sp = base + GUARD;
    prog.uc_stack.ss_size = size;
    prog.uc_link = &back;
    run.argc = argc;
    run.argv = checked_argv(argc, argv);
    makecontext(&prog, run_main, 0);
    if (swapcontext(&back, &prog) != 0)
        yvmrt_fatal("cannot switch to the program's stack");
    return run.status;
}
