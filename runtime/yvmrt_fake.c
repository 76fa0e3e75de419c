/* yvmrt_fake.c - the fake stack: memory for allocas whose address
 * escapes their function (stored, passed to a call, returned, converted).
 *
 * On the machine stack a new frame reuses a dead frame's memory at once,
 * so a dangling pointer kept in a global would see a live object again.
 * Escaping allocas therefore come from pools here, one per size class
 * (32 bytes to 64 KiB, powers of two; a slot holds the object and at
 * least YVMRT_REDZONE bytes of red zone after it). When the function
 * returns its slots are marked dead (0xF8, never stale) and queued in a
 * per-class FIFO quarantine; a slot is reused only once the class's
 * quarantine holds more than QUAR_BYTES (and QUAR_MIN slots), so a
 * dangling pointer traps until that much has been released since.
 * Allocation is a quarantine pop or a bump within a 64 KiB chunk; chunks
 * come from one MAP_NORESERVE region as large as the program's stack
 * (YVMRT_STACK_SIZE) but at most MAX_REGION (4M slots of the smallest
 * class: the interpreter allows a call depth of 1M), reserved on first
 * use. Running out of it (and of reusable slots) traps `stack overflow`,
 * as a too-deep recursion does; a larger region only makes a runaway
 * recursion touch more memory before it ends. Larger allocas take a C
 * chunk with red zones and go to the heap's quarantine when released.
 *
 * A function calls __yvm_fake_enter once (the mark: how many slots are
 * live), __yvm_fake_alloca for each escaping alloca it runs (live until
 * it returns, even inside a loop), and __yvm_fake_leave(mark) before each
 * return. Slots are recorded on a stack of their own.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(fake);

enum { MIN_SHIFT = 5, NCLASS = 12, QUAR_MIN = 16, LARGE = NCLASS };
#define CHUNK (64ULL << 10)
#define QUAR_BYTES (256ULL << 10)
#define MAX_REGION (128ULL << 20)

typedef struct Pool {
    uint64_t bump, bump_end;  /* the chunk being carved */
    uint64_t qhead, qtail;    /* quarantine FIFO, linked through the slots */
    uint64_t qlen;
} Pool;

typedef struct Slot {
    uint64_t addr;            /* the object */
    uint64_t cls;             /* size class, or LARGE (the C chunk's address
                                 and size are in its left red zone) */
} Slot;

static Pool pools[NCLASS];
static uint64_t region_next, region_end;
static bool region_failed;
static Slot *slots;
static uint64_t nslots, capslots;

static bool region_reserve(void)
{
    if (region_end || region_failed)
        return region_end != 0;
    uint64_t region = yvmrt_stack_size();
    region = (region < MAX_REGION ? region : MAX_REGION) & ~(CHUNK - 1);
    void *p = mmap(NULL, region + 2 * CHUNK, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        region_failed = true;
        return false;
    }
    uint64_t a = ((uint64_t)(uintptr_t)p + 2 * CHUNK - 1) & ~(CHUNK - 1);
    region_next = a;
    region_end = a + region;
    /* The first chunk's underrun lands in a red zone like the others'. */
    yvmrt_shadow_fill(a - YVMRT_REDZONE, a, YVMRT_SHADOW_REDZONE);
    return true;
}

static uint64_t quar_limit(unsigned c)
{
    uint64_t n = QUAR_BYTES >> (MIN_SHIFT + c);
    return n < QUAR_MIN ? QUAR_MIN : n;
}

static uint64_t quar_pop(Pool *pl)
{
    uint64_t s = pl->qhead;
    uint64_t next;
    memcpy(&next, (void *)(uintptr_t)s, sizeof next);
    pl->qhead = next;
    if (!next)
        pl->qtail = 0;
    pl->qlen--;
    return s;
}

static uint64_t slot_new(unsigned c)
{
    Pool *pl = &pools[c];
    uint64_t size = 1ULL << (MIN_SHIFT + c);
    if (pl->qlen > quar_limit(c))
        return quar_pop(pl);
    if (pl->bump == pl->bump_end) {
        if (region_reserve() && region_next < region_end) {
            pl->bump = region_next;
            pl->bump_end = region_next + CHUNK;
            region_next += CHUNK;
        } else if (pl->qlen) {
            return quar_pop(pl); /* out of room: reuse what is there */
        } else {
            __yvm_trap(YVMRT_TRAP_STACK_OVERFLOW);
        }
    }
    uint64_t s = pl->bump;
    pl->bump += size;
    return s;
}

static void record(uint64_t addr, uint64_t cls)
{
    if (nslots == capslots) {
        uint64_t cap = capslots ? 2 * capslots : 256;
        Slot *t = realloc(slots, cap * sizeof *t);
        if (!t)
            __yvm_trap(YVMRT_TRAP_STACK_OVERFLOW);
        slots = t;
        capslots = cap;
    }
    slots[nslots++] = (Slot){addr, cls};
}

uint64_t __yvm_fake_enter(void)
{
    return nslots;
}

void *__yvm_fake_alloca(uint64_t size, uint64_t align)
{
    uint64_t span = yvmrt_round_up8(size) + YVMRT_REDZONE;
    uint64_t need = span > align ? span : align;
    unsigned c = 0;
    while (c < NCLASS && (1ULL << (MIN_SHIFT + c)) < need)
        c++;
    uint64_t p, end;
    if (c < NCLASS) {
        p = slot_new(c);
        end = p + (1ULL << (MIN_SHIFT + c));
        record(p, c);
    } else {
        uint64_t lead = align > 16 ? align : 16;
        uint64_t bytes = lead + span;
        void *chunk = NULL;
        if (size > (1ULL << 40) || posix_memalign(&chunk, lead, bytes) != 0)
            __yvm_trap(YVMRT_TRAP_STACK_OVERFLOW);
        uint64_t ch = (uint64_t)(uintptr_t)chunk;
        p = ch + lead;
        end = ch + bytes;
        yvmrt_shadow_fill(ch, p, YVMRT_SHADOW_REDZONE);
        uint64_t head[2] = {ch, bytes};
        memcpy((void *)(uintptr_t)(p - sizeof head), head, sizeof head);
        record(p, LARGE);
    }
    if (size)
        memset((void *)(uintptr_t)p, 0, size);
    yvmrt_shadow_mark_object(p, size, false);
    uint64_t rz = yvmrt_round_up8(p + size);
    if (size == 0)
        rz = p; /* nothing of it is addressable, not even its first byte */
    yvmrt_shadow_fill(rz, end, YVMRT_SHADOW_REDZONE);
    return (void *)(uintptr_t)p;
}

void __yvm_fake_leave(uint64_t mark)
{
    while (nslots > mark) {
        Slot s = slots[--nslots];
        if (s.cls == LARGE) {
            uint64_t head[2];
            memcpy(head, (const void *)(uintptr_t)(s.addr - sizeof head), sizeof head);
            yvmrt_shadow_fill(s.addr, head[0] + head[1] - YVMRT_REDZONE,
                              YVMRT_SHADOW_DEAD_SLOT);
            yvmrt_heap_park((void *)(uintptr_t)head[0], head[1]);
            continue;
        }
        Pool *pl = &pools[s.cls];
        yvmrt_shadow_fill(s.addr, s.addr + (1ULL << (MIN_SHIFT + s.cls)),
                          YVMRT_SHADOW_DEAD_SLOT);
        uint64_t zero = 0;
        memcpy((void *)(uintptr_t)s.addr, &zero, sizeof zero);
        if (pl->qtail)
            memcpy((void *)(uintptr_t)pl->qtail, &s.addr, sizeof s.addr);
        else
            pl->qhead = s.addr;
        pl->qtail = s.addr;
        pl->qlen++;
    }
}
