/* yvmrt_stack.c - stack objects (allocas) and stack-overflow detection.
 *
 * An alloca is zeroed and marked live with a red zone after it when its
 * function reaches it; the function's whole alloca area is marked dead
 * (0xF5) when it returns (yvmrt_check.c says when that marking is stale).
 *
 * Overflow: a SIGSEGV whose fault address lies in a registered guard area
 * (below the big stack yvmrt_main.c runs the program on, and below the
 * main thread's own stack when C provides main) is reported as
 * `trap: stack overflow`. The handler runs on an alternate signal stack,
 * since the faulting stack has no room left. Any other SIGSEGV restores
 * the previous action and returns, so the fault happens again and is
 * handled as it would have been without us.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(stack);

enum { MAX_GUARDS = 4, ALT_STACK_SIZE = 64 * 1024 };

/* The kernel keeps a gap of 256 pages below a growing stack; a fault
 * anywhere in it (or in the stack's last page) is an overflow. */
#define MAIN_GUARD_BELOW (256ULL * 4096)

static struct {
    uint64_t lo, hi;
} guards[MAX_GUARDS];
static int nguards;
static struct sigaction old_segv;

void __yvm_alloca_enter(void *p, uint64_t size, uint64_t span)
{
    uint64_t a = (uint64_t)(uintptr_t)p;
    if (size)
        memset(p, 0, size);
    yvmrt_shadow_mark_object(a, size, false);
    uint64_t rz = yvmrt_round_up8(a + size);
    if (size == 0 && (a & 7) == 0)
        rz = a; /* nothing of it is addressable, not even its first byte */
    if (a + span > rz)
        yvmrt_shadow_fill(rz, a + span, YVMRT_SHADOW_REDZONE);
}

void __yvm_frame_leave(void *lo, void *hi)
{
    uint64_t l = yvmrt_round_up8((uint64_t)(uintptr_t)lo);
    uint64_t h = (uint64_t)(uintptr_t)hi & ~7ULL;
    if (l < h)
        yvmrt_shadow_fill(l, h, YVMRT_SHADOW_DEAD_FRAME);
}

#define DEFAULT_STACK (1ULL << 30)
#define MIN_STACK (64ULL << 10)

uint64_t yvmrt_stack_size(void)
{
    const char *s = getenv("YVMRT_STACK_SIZE");
    if (!s || !*s)
        return DEFAULT_STACK;
    char *end;
    unsigned long long n = strtoull(s, &end, 10);
    int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20
              : *end == 'G' || *end == 'g' ? 30 : 0;
    if (shift)
        end++;
    if (*end || n == 0 || n > (1ULL << 40) >> shift)
        return DEFAULT_STACK;
    n <<= shift;
    n = (n + 4095) & ~4095ULL;
    return n < MIN_STACK ? MIN_STACK : n;
}

void yvmrt_stack_guard_add(uint64_t lo, uint64_t hi)
{
    if (nguards < MAX_GUARDS && lo < hi) {
        guards[nguards].lo = lo;
        guards[nguards].hi = hi;
        nguards++;
    }
}

static void on_segv(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    uint64_t a = (uint64_t)(uintptr_t)info->si_addr;
    for (int i = 0; i < nguards; i++)
        if (a >= guards[i].lo && a < guards[i].hi)
            __yvm_trap(YVMRT_TRAP_STACK_OVERFLOW);
    sigaction(sig, &old_segv, NULL); /* not ours: fault again, as before */
}

void yvmrt_stack_handler_install(void)
{
    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
        void *alt = mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (alt != MAP_FAILED) {
            ss.ss_sp = alt;
            ss.ss_size = ALT_STACK_SIZE;
            ss.ss_flags = 0;
            if (sigaltstack(&ss, NULL) != 0)
                munmap(alt, ALT_STACK_SIZE);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
}

/* The main thread's stack as glibc sees it (its lowest address follows
 * RLIMIT_STACK); an unlimited stack has no fixed bottom to guard. */
void yvmrt_stack_guard_main_thread(void)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && size < (1ULL << 40)) {
        uint64_t lo = (uint64_t)(uintptr_t)addr;
        uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
        if (lo > MAIN_GUARD_BELOW)
            yvmrt_stack_guard_add(lo - MAIN_GUARD_BELOW, lo + page);
    }
    pthread_attr_destroy(&attr);
}
