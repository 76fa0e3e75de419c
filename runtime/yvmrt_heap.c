/* yvmrt_heap.c - the checked heap behind compiled code's malloc, calloc,
 * realloc and free.
 *
 * A block of N bytes is carved from a C calloc chunk laid out as
 *     [16-byte left red zone][N bytes, zeroed][pad to 8][16-byte red zone]
 * so the block is 16-aligned like malloc's, zero-filled like the
 * interpreter's, and both of its ends are poisoned (0xF1). Live blocks are
 * kept in a hash table keyed by their address: free and realloc accept only
 * the start of a live block and trap `invalid free` otherwise (a global, a
 * stack object, an interior pointer, a block already freed).
 *
 * A freed block is poisoned 0xFD and parked in a FIFO quarantine of up to
 * QUARANTINE_BYTES; only when it leaves the quarantine is its shadow
 * cleared and its chunk given back to C's free, so a use after free traps
 * until about that many bytes have been freed since.
 *
 * Corner cases follow the interpreter: free(NULL) does nothing; malloc(0)
 * returns a fresh block of size 0 (any access traps); calloc whose size
 * overflows returns NULL; realloc(NULL, n) is malloc(n); realloc(p, n)
 * moves the block (old contents up to min(old, n), the rest zero) and
 * frees the old one; when it cannot allocate it returns NULL and the old
 * block stays live.
 */
#include <stdlib.h>
#include <string.h>

#include "yvmrt_internal.h"

YVMRT_NEEDS_SETUP(heap);

enum { LEFT_RZ = 16 };
#define QUARANTINE_BYTES (64ULL << 20)
#define QUARANTINE_MAX_BLOCKS (1u << 20)
#define MAX_BLOCK (1ULL << 46)

typedef struct Block {
    uint64_t addr; /* the user pointer; 0 = empty slot */
    uint64_t size;
} Block;

/* Open addressing, linear probing, backward-shift deletion. */
static Block *live;
static size_t live_cap, live_count; /* cap: a power of two */

typedef struct Parked {
    void *chunk;
    uint64_t bytes;
} Parked;

static Parked *quar;                /* ring buffer */
static size_t quar_cap, quar_head, quar_len;
static uint64_t quar_bytes;

static size_t slot_of(uint64_t addr, size_t cap)
{
    return (size_t)(((addr >> 4) * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
}

static bool live_grow(void)
{
    size_t cap = live_cap ? live_cap * 2 : 1024;
    Block *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < live_cap; i++) {
        if (!live[i].addr)
            continue;
        size_t j = slot_of(live[i].addr, cap);
        while (t[j].addr)
            j = (j + 1) & (cap - 1);
        t[j] = live[i];
    }
    free(live);
    live = t;
    live_cap = cap;
    return true;
}

static bool live_add(uint64_t addr, uint64_t size)
{
    if ((live_count + 1) * 4 > live_cap * 3 && !live_grow())
        return false;
    size_t j = slot_of(addr, live_cap);
    while (live[j].addr)
        j = (j + 1) & (live_cap - 1);
    live[j].addr = addr;
    live[j].size = size;
    live_count++;
    return true;
}

/* The slot of live block ADDR, or live_cap when there is none. */
static size_t live_find(uint64_t addr)
{
    if (!live_cap || !addr)
        return live_cap;
    for (size_t j = slot_of(addr, live_cap); live[j].addr; j = (j + 1) & (live_cap - 1))
        if (live[j].addr == addr)
            return j;
    return live_cap;
}

static void live_remove(size_t j)
{
    size_t mask = live_cap - 1;
    live[j].addr = 0;
    live_count--;
    for (size_t k = (j + 1) & mask; live[k].addr; k = (k + 1) & mask) {
        size_t home = slot_of(live[k].addr, live_cap);
        /* move k back into the hole j when its home is not in (j, k] */
        if (((k - home) & mask) >= ((k - j) & mask)) {
            live[j] = live[k];
            live[k].addr = 0;
            j = k;
        }
    }
}

static uint64_t chunk_bytes(uint64_t n)
{
    return LEFT_RZ + yvmrt_round_up8(n) + YVMRT_REDZONE;
}

static void release(Parked p)
{
    uint64_t c = (uint64_t)(uintptr_t)p.chunk;
    yvmrt_shadow_fill(c, c + p.bytes, 0); /* C memory again: unchecked */
    free(p.chunk);
}

static void quarantine(void *chunk, uint64_t bytes)
{
    if (quar_len == quar_cap && quar_cap < QUARANTINE_MAX_BLOCKS) {
        size_t cap = quar_cap ? quar_cap * 2 : 256;
        Parked *q = malloc(cap * sizeof *q);
        if (q) {
            for (size_t i = 0; i < quar_len; i++)
                q[i] = quar[(quar_head + i) % quar_cap];
            free(quar);
            quar = q;
            quar_cap = cap;
            quar_head = 0;
        }
    }
    if (quar_len == quar_cap) { /* full (or no room to grow): oldest out */
        if (!quar_cap) {
            release((Parked){chunk, bytes});
            return;
        }
        quar_bytes -= quar[quar_head].bytes;
        release(quar[quar_head]);
        quar_head = (quar_head + 1) % quar_cap;
        quar_len--;
    }
    quar[(quar_head + quar_len) % quar_cap] = (Parked){chunk, bytes};
    quar_len++;
    quar_bytes += bytes;
    while (quar_bytes > QUARANTINE_BYTES && quar_len > 1) {
        quar_bytes -= quar[quar_head].bytes;
        release(quar[quar_head]);
        quar_head = (quar_head + 1) % quar_cap;
        quar_len--;
    }
}

void yvmrt_heap_park(void *chunk, uint64_t bytes)
{
    quarantine(chunk, bytes);
}

void *__yvm_malloc(uint64_t n)
{
    if (n > MAX_BLOCK)
        return NULL;
    uint64_t bytes = chunk_bytes(n);
    uint8_t *chunk = calloc(1, bytes);
    if (!chunk)
        return NULL;
    uint64_t c = (uint64_t)(uintptr_t)chunk, p = c + LEFT_RZ;
    if (!live_add(p, n)) {
        free(chunk);
        return NULL;
    }
    yvmrt_shadow_fill(c, p, YVMRT_SHADOW_REDZONE);
    yvmrt_shadow_fill(p, c + bytes, YVMRT_SHADOW_REDZONE);
    yvmrt_shadow_mark_object(p, n, false);
    return chunk + LEFT_RZ;
}

void *__yvm_calloc(uint64_t count, uint64_t size)
{
    uint64_t n;
    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    return __yvm_malloc(n);
}

/* Frees the live block in slot J. */
static void free_slot(size_t j)
{
    uint64_t p = live[j].addr, n = live[j].size;
    live_remove(j);
    yvmrt_shadow_fill(p, p + yvmrt_round_up8(n), YVMRT_SHADOW_FREED);
    quarantine((void *)(uintptr_t)(p - LEFT_RZ), chunk_bytes(n));
}

void __yvm_free(void *ptr)
{
    if (!ptr)
        return;
    size_t j = live_find((uint64_t)(uintptr_t)ptr);
    if (j == live_cap)
        __yvm_trap(YVMRT_TRAP_INVALID_FREE);
    free_slot(j);
}

void *__yvm_realloc(void *ptr, uint64_t n)
{
    if (!ptr)
        return __yvm_malloc(n);
    size_t j = live_find((uint64_t)(uintptr_t)ptr);
    if (j == live_cap)
        __yvm_trap(YVMRT_TRAP_INVALID_FREE);
    uint64_t old = live[j].size;
    void *q = __yvm_malloc(n);
    if (!q)
        return NULL;
    memcpy(q, ptr, old < n ? old : n);
    free_slot(live_find((uint64_t)(uintptr_t)ptr)); /* the table may have grown */
    return q;
}
