/* yvmrt_trap.c - traps: `trap: <reason>` on stderr, exit status 134.
 *
 * As in yvm-run, the program's buffered C stdio output comes out first
 * (every stream is flushed), then the message. The process ends with
 * _exit: a trap may come from the stack-overflow signal handler or from
 * inside C library code, where running atexit handlers is not safe.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "yvmrt_internal.h"

enum { EXIT_TRAP = 134 };

static const char *const trap_reasons[] = {
    [YVMRT_TRAP_DIV_ZERO] = "division by zero",
    [YVMRT_TRAP_OVERFLOW] = "integer overflow",
    [YVMRT_TRAP_CONVERSION] = "invalid conversion",
    [YVMRT_TRAP_BOUNDS] = "out of bounds access",
    [YVMRT_TRAP_READONLY] = "write to read-only data",
    [YVMRT_TRAP_STACK_OVERFLOW] = "stack overflow",
    [YVMRT_TRAP_INDIRECT_CALL] = "invalid indirect call",
    [YVMRT_TRAP_INVALID_FREE] = "invalid free",
};

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

_Noreturn void __yvm_trap_msg(const char *reason)
{
    fflush(NULL);
    write_all(2, "trap: ", 6);
    write_all(2, reason, strlen(reason));
    write_all(2, "\n", 1);
    _exit(EXIT_TRAP);
}

_Noreturn void __yvm_trap(int reason)
{
    int n = (int)(sizeof trap_reasons / sizeof trap_reasons[0]);
    __yvm_trap_msg(reason > 0 && reason < n && trap_reasons[reason] ? trap_reasons[reason]
                                                                   : "unknown trap");
}

_Noreturn void yvmrt_fatal(const char *msg)
{
    fflush(NULL);
    write_all(2, "yvmrt: error: ", 14);
    write_all(2, msg, strlen(msg));
    write_all(2, "\n", 1);
    _exit(1);
}
