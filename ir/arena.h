/* arena.h - bump allocation in chunks, freed all at once.
 *
 * Every IR module allocates its nodes, names and arrays here; there is no
 * per-node free. Allocation failure is fatal only through the ctx-free
 * path: arena_alloc returns zeroed memory or aborts on out-of-memory,
 * which a compiler cannot recover from meaningfully. */
#ifndef YVM_ARENA_H
#define YVM_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head;
    size_t total; /* bytes handed out, for statistics */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);                 /* zeroed, 16-aligned */
void *arena_grow(Arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
void *arena_memdup(Arena *a, const void *p, size_t n);

/* Append one element to an arena-backed array (items, n, cap). */
#define ARENA_PUSH(arena, arr, n, cap, elem)                                   \
    do {                                                                        \
        if ((n) == (cap)) {                                                     \
            size_t nc_ = (cap) ? (size_t)(cap) * 2 : 4;                         \
            (arr) = arena_grow((arena), (arr), sizeof *(arr) * (size_t)(cap),   \
                               sizeof *(arr) * nc_);                            \
            (cap) = nc_;                                                        \
        }                                                                       \
        (arr)[(n)++] = (elem);                                                  \
    } while (0)

#endif
