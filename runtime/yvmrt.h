/* yvmrt.h - the native runtime's contract with compiled code: trap
 * reporting, the shadow memory behind bounds checks, checked heap and
 * memory functions, indirect-call checks and start-up.
 *
 * Compiled code keeps the interpreter's memory semantics (docs/ir.md):
 * every load and store to an IR object is checked. Each 8-byte granule of
 * the address space has one shadow byte at (addr >> 3) + SHADOW_OFFSET:
 *   0x00        no IR object: the C world's memory (foreign), which only
 *               `unsafe` functions may access
 *   0x01..0x08  the first k bytes readable and writable, the rest not
 *               (0x08: the whole granule)
 *   0x41..0x48  the first k bytes read-only, the rest not (`data` objects)
 *   0xF1        a red zone between objects
 *   0xF5        a dead stack frame (allocas after their function returned)
 *   0xF8        a dead fake-stack slot (an escaping alloca after its
 *               function returned, in quarantine)
 *   0xFD        a freed heap block
 * Compiled code tests the shadow bytes of the granules an access touches
 * inline; when they are not all 0x08 (or 0x48 for a read) it calls the
 * exact check (yvmrt_check_range), which decides and traps.
 *
 * This library is never built with sanitizers: it owns the same shadow
 * region that AddressSanitizer would.
 */
#ifndef YVM_YVMRT_H
#define YVM_YVMRT_H

#include <stdint.h>

#define YVMRT_SHADOW_OFFSET 0x7fff8000ULL
#define YVMRT_SHADOW_SCALE 3
#define YVMRT_REDZONE 16        /* bytes of red zone after every object */

enum {
    YVMRT_SHADOW_FOREIGN = 0x00,
    YVMRT_SHADOW_RW = 0x08,        /* 0x01..0x07: partial */
    YVMRT_SHADOW_RO_BIT = 0x40,
    YVMRT_SHADOW_RO = 0x48,        /* 0x41..0x47: partial */
    YVMRT_SHADOW_REDZONE = 0xF1,
    YVMRT_SHADOW_DEAD_FRAME = 0xF5,
    YVMRT_SHADOW_DEAD_SLOT = 0xF8,
    YVMRT_SHADOW_FREED = 0xFD,
};

/* Flags of yvmrt_check_range. */
enum {
    YVMRT_CHECK_WRITE = 1,   /* a store: read-only data traps */
    YVMRT_CHECK_UNSAFE = 2,  /* from an `unsafe` function: foreign memory is fine */
};

/* Trap reasons; __yvm_trap prints "trap: <reason>" and exits 134. */
typedef enum YvmTrap {
    YVMRT_TRAP_DIV_ZERO = 1,      /* division by zero */
    YVMRT_TRAP_OVERFLOW,          /* integer overflow */
    YVMRT_TRAP_CONVERSION,        /* invalid conversion */
    YVMRT_TRAP_BOUNDS,            /* out of bounds access */
    YVMRT_TRAP_READONLY,          /* write to read-only data */
    YVMRT_TRAP_STACK_OVERFLOW,    /* stack overflow */
    YVMRT_TRAP_INDIRECT_CALL,     /* invalid indirect call */
    YVMRT_TRAP_INVALID_FREE,      /* invalid free */
} YvmTrap;

_Noreturn void __yvm_trap(int reason);
_Noreturn void __yvm_trap_msg(const char *reason); /* IR `trap "reason"` (NUL-terminated) */

/* Slow paths of the inline checks, for a safe function: return when
 * [addr, addr+size) is wholly inside one live object, else trap (BOUNDS,
 * or READONLY for a write to read-only data). */
void __yvm_check_read(uint64_t addr, uint64_t size);
void __yvm_check_write(uint64_t addr, uint64_t size);
/* The same decision with the accessing function's stack pointer SP given
 * explicitly (a dead-frame granule at or above SP is stale: foreign, see
 * docs/backend.md), for register-preserving check helpers that sit
 * between the access and the runtime. FLAGS: YVMRT_CHECK_*. */
void yvmrt_check_range(uint64_t addr, uint64_t size, int flags, uint64_t sp);

/* Stack objects. A function with allocas calls __yvm_alloca_enter for
 * each alloca (object at p, SIZE bytes, followed by a red zone up to
 * p + SPAN): zeroes the object and marks it live. Before returning it
 * calls __yvm_frame_leave(lo, hi) to mark its alloca area dead. */
void __yvm_alloca_enter(void *p, uint64_t size, uint64_t span);
void __yvm_frame_leave(void *lo, void *hi);

/* The fake stack: allocas whose address escapes (is stored, passed,
 * returned or converted) live in runtime pools instead of the machine
 * stack, so that after their function returns the slot stays dead (in a
 * FIFO quarantine) and a dangling pointer to it traps. A function with
 * such allocas calls __yvm_fake_enter once on entry and keeps the mark;
 * each escaping alloca calls __yvm_fake_alloca (zeroed, live, red zone
 * after it; trap `stack overflow` when the pools are exhausted); every
 * return calls __yvm_fake_leave(mark), which kills the slots allocated
 * since. */
uint64_t __yvm_fake_enter(void);
void *__yvm_fake_alloca(uint64_t size, uint64_t align);
void __yvm_fake_leave(uint64_t mark);

/* The heap and memory functions compiled code calls instead of the C
 * library's (IR `memcpy`/`memset` instructions and calls to the externs
 * malloc, calloc, realloc, free, memcpy, memmove, memset). Blocks get red
 * zones; freed blocks stay poisoned for a while (quarantine). memcpy has
 * memmove's meaning (docs/ir.md). */
void *__yvm_malloc(uint64_t n);
void *__yvm_calloc(uint64_t count, uint64_t size);
void *__yvm_realloc(void *p, uint64_t n);
void __yvm_free(void *p);
void *__yvm_memcpy(void *dst, const void *src, uint64_t n);
void *__yvm_memset(void *dst, int byte, uint64_t n);
/* The same for `unsafe` functions: foreign memory is not checked. */
void *__yvm_memcpy_unsafe(void *dst, const void *src, uint64_t n);
void *__yvm_memset_unsafe(void *dst, int byte, uint64_t n);

/* Indirect calls: trap unless P is the start of a function listed in
 * yvm_funcs with signature hash SIG. */
void __yvm_check_call(const void *p, uint64_t sig);

/* Tables each compiled object contributes, found through the linker's
 * __start_/__stop_ symbols and read once at start-up. */
typedef struct YvmrtObject {   /* section "yvm_objects" */
    uint64_t base;             /* R_X86_64_64 to the object's symbol */
    uint64_t size;             /* bytes; a red zone of YVMRT_REDZONE follows */
    uint64_t flags;            /* YVMRT_OBJ_* */
} YvmrtObject;

enum {
    YVMRT_OBJ_READONLY = 1,       /* a `data` object */
    YVMRT_OBJ_REDZONE_BEFORE = 2, /* YVMRT_REDZONE bytes before base are a red
                                     zone too (first object of a section) */
};

typedef struct YvmrtFunc {     /* section "yvm_funcs" */
    uint64_t addr;             /* R_X86_64_64 to the function (or extern) */
    uint64_t sig;              /* yvmrt_sig_hash of its signature */
} YvmrtFunc;

/* FNV-1a 64 over the signature text "(i64,ptr,...)->i32" ("->void"),
 * shared by codegen (which emits it) and the runtime (which compares). */
static inline uint64_t yvmrt_sig_hash(const char *text)
{
    uint64_t h = 14695981039346656037ULL; /* the FNV-1a 64 offset basis */
    for (; *text; text++)
        h = (h ^ (uint8_t)*text) * 1099511628211ULL;
    return h;
}

/* An executable's `main` is the runtime's: it maps the shadow, registers
 * the tables, installs the stack-overflow handler, and runs the module's
 * @main (renamed __yvm_main by yvm-cc) on a large stack with a guard.
 * As in the interpreter, argv is a writable object of argc+1 pointers and
 * each string a writable object, all with red zones (copies of C's). In
 * an object linked with C code (-c), a constructor does the same set-up
 * and C's main runs as usual. */
int __yvm_main(int argc, char **argv);

#endif
