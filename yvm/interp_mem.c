/* interp_mem.c - the interpreter's object memory model.
 *
 * Every piece of memory a program may touch is an object in one table:
 * module data (read-only) and globals, each alloca, each block from the
 * intercepted C allocator, main's argv, memory a host registered, and each
 * function (size 0, so any access through a function pointer traps).
 * Pointer values carry a tag naming the object they were derived from
 * (interp.h); an access is allowed only inside that object while it
 * lives. Objects hold real host memory, so a pointer handed to C is the
 * real address.
 *
 * Pointers stored into memory keep their tag in the object's shadow map
 * (offset -> stored address and tag). A load of a ptr takes the tag from
 * the shadow when the loaded bits still equal the stored address, and
 * otherwise (C wrote the pointer, or a partial overwrite) finds the
 * object holding the address.
 */
#include "interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
    DEFAULT_STACK_BYTES = 256u << 20, /* frame words */
    DEFAULT_ARENA_BYTES = 256u << 20, /* alloca bytes */
    DEFAULT_MAX_DEPTH = 1000000,
};

Interp *interp_new(void)
{
    Interp *I = calloc(1, sizeof *I);
    if (!I)
        return NULL;
    I->capobjs = 64;
    I->objs = calloc(I->capobjs, sizeof *I->objs);
    if (!I->objs) {
        free(I);
        return NULL;
    }
    /* The reserved objects: never live (size 0), so every access through
     * them reaches the slow path, which knows what each one means. */
    for (uint32_t i = 0; i < OBJ_FIRST; i++)
        I->objs[i].kind = OBJ_K_SPECIAL;
    I->nobjs = OBJ_FIRST;
    I->stack_bytes = DEFAULT_STACK_BYTES;
    I->arena_bytes = DEFAULT_ARENA_BYTES;
    I->max_depth = DEFAULT_MAX_DEPTH;
    return I;
}

static void free_shadow(Shadow *s);

void interp_free(Interp *I)
{
    if (!I)
        return;
    for (uint32_t i = OBJ_FIRST; i < I->nobjs; i++) {
        Obj *o = &I->objs[i];
        if (o->kind != OBJ_K_FREE) {
            free(o->owned);
            free_shadow(o->shadow);
        }
    }
    free(I->objs);
    free(I->allocas);
    if (I->stack)
        munmap(I->stack, I->stack_bytes);
    if (I->arena)
        munmap(I->arena, I->arena_bytes);
    free(I);
}

static void *reserve(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The two stacks are reserved address space; pages are committed only
 * when a deep recursion or a big alloca touches them. */
bool interp_reserve_stacks(Interp *I)
{
    if (!I->stack) {
        I->stack = reserve(I->stack_bytes);
        if (!I->stack)
            return false;
        I->stack_end = I->stack + I->stack_bytes / sizeof(Word);
    }
    if (!I->arena) {
        I->arena = reserve(I->arena_bytes);
        if (!I->arena)
            return false;
        I->arena_end = I->arena + I->arena_bytes;
        I->arena_top = I->arena;
    }
    return true;
}

void interp_set_trap(Interp *I, const char *reason)
{
    I->trap = reason;
    I->traplen = strlen(reason);
}

/* ---- the object table ---- */

Word interp_obj_new(Interp *I, ObjKind kind, void *base, uint64_t size, bool writable,
             void *owned)
{
    uint32_t idx = I->free_head;
    if (idx) {
        I->free_head = I->objs[idx].next;
    } else {
        if (I->nobjs == UINT32_MAX)
            return 0;
        if (I->nobjs == I->capobjs) {
            uint32_t cap = I->capobjs * 2;
            Obj *n = realloc(I->objs, sizeof *n * cap);
            if (!n)
                return 0;
            memset(n + I->capobjs, 0, sizeof *n * (cap - I->capobjs));
            I->objs = n;
            I->capobjs = cap;
        }
        idx = I->nobjs++;
    }
    Obj *o = &I->objs[idx];
    o->base = (uintptr_t)base;
    o->size = size;
    o->wsize = writable ? size : 0;
    o->kind = (uint8_t)kind;
    o->next = 0;
    o->owned = owned;
    o->shadow = NULL;
    o->fn = NULL;
    return TAG(idx, o->gen);
}

void interp_obj_kill(Interp *I, uint32_t idx)
{
    Obj *o = &I->objs[idx];
    free(o->owned);
    free_shadow(o->shadow);
    o->owned = NULL;
    o->shadow = NULL;
    o->size = o->wsize = 0;
    o->gen++; /* every pointer to it is now stale */
    o->kind = OBJ_K_FREE;
    o->next = I->free_head;
    I->free_head = idx;
}

static bool obj_live(const Obj *o)
{
    return o->kind != OBJ_K_FREE && o->kind != OBJ_K_SPECIAL;
}

Word interp_obj_find(const Interp *I, Word addr)
{
    if (addr == 0)
        return TAG_NONE;
    for (uint32_t i = OBJ_FIRST; i < I->nobjs; i++) {
        const Obj *o = &I->objs[i];
        if (obj_live(o) && addr - o->base < o->size)
            return TAG(i, o->gen);
    }
    /* One past the end (or a size-0 object such as a function). */
    for (uint32_t i = OBJ_FIRST; i < I->nobjs; i++) {
        const Obj *o = &I->objs[i];
        if (obj_live(o) && addr == o->base + o->size)
            return TAG(i, o->gen);
    }
    return TAG_FOREIGN;
}

/* ---- access checks ---- */

uint8_t *interp_check_slow(Interp *I, Word addr, Word tag, uint64_t n, bool write,
                        bool unsafe)
{
    uint32_t idx = TAG_INDEX(tag);
    if (idx == OBJ_RAW || (idx == OBJ_FOREIGN && unsafe))
        return (uint8_t *)(uintptr_t)addr; /* the C world's: unchecked */
    if (idx < OBJ_FIRST || idx >= I->nobjs) {
        interp_set_trap(I, "out of bounds access");
        return NULL;
    }
    const Obj *o = &I->objs[idx];
    uint64_t off = addr - o->base;
    if (o->gen != TAG_GEN(tag) || !obj_live(o) || off > o->size || n > o->size - off) {
        interp_set_trap(I, "out of bounds access");
        return NULL;
    }
    if (write && (off > o->wsize || n > o->wsize - off)) {
        interp_set_trap(I, o->kind == OBJ_K_DATA ? "write to read-only data"
                                                 : "out of bounds access");
        return NULL;
    }
    return (uint8_t *)(uintptr_t)addr;
}

uint8_t *interp_check(Interp *I, Word addr, Word tag, uint64_t n, bool write, bool unsafe)
{
    if (n == 0)
        return (uint8_t *)(uintptr_t)addr;
    const Obj *o = &I->objs[TAG_INDEX(tag) < I->nobjs ? TAG_INDEX(tag) : 0];
    uint64_t off = addr - o->base, lim = write ? o->wsize : o->size;
    if (o->gen == TAG_GEN(tag) && off <= lim && n <= lim - off && obj_live(o))
        return (uint8_t *)(uintptr_t)addr;
    return interp_check_slow(I, addr, tag, n, write, unsafe);
}

/* ---- pointer provenance in memory ---- */

typedef struct ShadowEnt {
    uint64_t key; /* offset + 1; 0 is an empty slot */
    Word val, tag;
} ShadowEnt;

struct Shadow {
    uint32_t cap, n; /* cap a power of two */
    ShadowEnt *e;
};

static void free_shadow(Shadow *s)
{
    if (s) {
        free(s->e);
        free(s);
    }
}

static uint32_t shadow_hash(uint64_t key, uint32_t cap)
{
    return (uint32_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (cap - 1);
}

static ShadowEnt *shadow_slot(const Shadow *s, uint64_t key)
{
    for (uint32_t h = shadow_hash(key, s->cap);; h = (h + 1) & (s->cap - 1))
        if (s->e[h].key == key || s->e[h].key == 0)
            return &s->e[h];
}

static bool shadow_grow(Shadow *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 16;
    ShadowEnt *e = calloc(cap, sizeof *e), *old = s->e;
    if (!e)
        return false;
    uint32_t oldcap = s->cap;
    s->e = e;
    s->cap = cap;
    for (uint32_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *shadow_slot(s, old[i].key) = old[i];
    free(old);
    return true;
}

/* Record that `val` (with `val_tag`) was stored at dst_addr. Losing the
 * record (out of memory) only makes a later load find the object by its
 * address instead. */
void interp_shadow_put(Interp *I, Word dst_tag, Word dst_addr, Word val, Word val_tag)
{
    uint32_t idx = TAG_INDEX(dst_tag);
    if (idx < OBJ_FIRST || idx >= I->nobjs)
        return;
    Obj *o = &I->objs[idx];
    if (!o->shadow) {
        if (val == 0 && val_tag == TAG_NONE)
            return; /* a null pointer needs no record */
        o->shadow = calloc(1, sizeof *o->shadow);
        if (!o->shadow)
            return;
    }
    Shadow *s = o->shadow;
    if ((s->n + 1) * 4 > s->cap * 3 && !shadow_grow(s))
        return;
    ShadowEnt *e = shadow_slot(s, dst_addr - o->base + 1);
    if (!e->key) {
        e->key = dst_addr - o->base + 1;
        s->n++;
    }
    e->val = val;
    e->tag = val_tag;
}

Word interp_shadow_get(const Interp *I, Word src_tag, Word src_addr, Word val)
{
    uint32_t idx = TAG_INDEX(src_tag);
    if (idx >= OBJ_FIRST && idx < I->nobjs) {
        const Obj *o = &I->objs[idx];
        if (o->shadow && o->shadow->cap) {
            const ShadowEnt *e = shadow_slot(o->shadow, src_addr - o->base + 1);
            if (e->key && e->val == val)
                return e->tag;
        }
    }
    return interp_obj_find(I, val);
}

/* memcpy moves the records of whole pointers inside the copied range. */
void interp_shadow_copy(Interp *I, Word dtag, Word daddr, Word stag, Word saddr, uint64_t n)
{
    uint32_t sidx = TAG_INDEX(stag), didx = TAG_INDEX(dtag);
    if (sidx < OBJ_FIRST || sidx >= I->nobjs || didx < OBJ_FIRST || didx >= I->nobjs)
        return;
    const Shadow *s = I->objs[sidx].shadow;
    if (!s || !s->n || n < 8)
        return;
    uint64_t soff = saddr - I->objs[sidx].base;
    /* Gather first: the source and destination may be one object. */
    ShadowEnt *found = malloc(sizeof *found * s->n);
    uint32_t nfound = 0;
    if (!found)
        return;
    if (n < s->cap) {
        for (uint64_t o = 0; o + 8 <= n; o++) {
            const ShadowEnt *e = shadow_slot(s, soff + o + 1);
            if (e->key)
                found[nfound++] = *e;
        }
    } else {
        for (uint32_t i = 0; i < s->cap; i++) {
            uint64_t off = s->e[i].key - 1;
            if (s->e[i].key && off >= soff && off - soff + 8 <= n)
                found[nfound++] = s->e[i];
        }
    }
    for (uint32_t i = 0; i < nfound; i++)
        interp_shadow_put(I, dtag, daddr + (found[i].key - 1 - soff), found[i].val, found[i].tag);
    free(found);
}

/* ---- alloca ---- */

bool interp_alloca(Interp *I, uint64_t size, uint64_t align, Word out[2])
{
    uintptr_t top = (uintptr_t)I->arena_top;
    uintptr_t p = (top + (align - 1)) & ~(uintptr_t)(align - 1);
    if (p < top || p > (uintptr_t)I->arena_end || size > (uintptr_t)I->arena_end - p) {
        interp_set_trap(I, "stack overflow");
        return false;
    }
    if (I->nallocas == I->capallocas) {
        uint32_t cap = I->capallocas ? I->capallocas * 2 : 64;
        uint32_t *n = realloc(I->allocas, sizeof *n * cap);
        if (!n) {
            interp_set_trap(I, "stack overflow");
            return false;
        }
        I->allocas = n;
        I->capallocas = cap;
    }
    Word tag = interp_obj_new(I, OBJ_K_ALLOCA, (void *)p, size, true, NULL);
    if (!tag) {
        interp_set_trap(I, "stack overflow");
        return false;
    }
    memset((void *)p, 0, size);
    I->arena_top = (uint8_t *)(p + size);
    I->allocas[I->nallocas++] = TAG_INDEX(tag);
    out[0] = p;
    out[1] = tag;
    return true;
}

void interp_pop_allocas(Interp *I, uint32_t mark)
{
    while (I->nallocas > mark)
        interp_obj_kill(I, I->allocas[--I->nallocas]);
}

/* ---- module objects ---- */

static void put_le(uint8_t *p, uint64_t bits, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(bits >> (8 * i));
}

/* Data and globals become objects; symbol fields hold real addresses
 * (function addresses must be set already). */
bool interp_layout_data(Instance *in, char *err, size_t errlen)
{
    Interp *I = in->I;
    const IrModule *m = in->m;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_DATA)
            continue;
        uint64_t size = ir_data_size(it->data), align = ir_data_align(it->data);
        uint64_t alloc = (size + align - 1) / align * align;
        void *mem = aligned_alloc(align, alloc ? alloc : align);
        Word tag = mem ? interp_obj_new(I, it->data->is_global ? OBJ_K_GLOBAL : OBJ_K_DATA, mem,
                                 size, it->data->is_global, mem)
                       : 0;
        if (!tag) {
            free(mem);
            snprintf(err, errlen, "out of memory for '@%s'", it->name);
            return false;
        }
        memset(mem, 0, alloc ? alloc : align);
        in->item_addr[i] = (uintptr_t)mem;
        in->item_tag[i] = tag;
    }
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_DATA)
            continue;
        uint8_t *base = (uint8_t *)(uintptr_t)in->item_addr[i];
        uint64_t off = 0;
        for (uint32_t k = 0; k < it->data->nfields; k++) {
            const IrField *f = &it->data->fields[k];
            uint64_t a = ir_field_align(f);
            off = (off + a - 1) / a * a;
            switch (f->kind) {
            case IR_FIELD_BYTES:
                if (f->len)
                    memcpy(base + off, f->bytes, f->len);
                off += f->len;
                break;
            case IR_FIELD_CONST: {
                unsigned sz = ir_type_size(f->type);
                put_le(base + off, f->type == IR_I1 ? f->bits & 1 : f->bits, sz);
                off += sz;
                break;
            }
            case IR_FIELD_SYMREF: {
                uint32_t s = f->sym < m->nitems ? f->sym : 0;
                put_le(base + off, in->item_addr[s], 8);
                interp_shadow_put(I, in->item_tag[i], (Word)(uintptr_t)(base + off),
                           in->item_addr[s], in->item_tag[s]);
                off += 8;
                break;
            }
            case IR_FIELD_ZERO:
                off += f->len;
                break;
            }
        }
    }
    return true;
}

void interp_free_objects(Instance *in)
{
    for (uint32_t i = 0; i < in->m->nitems; i++) {
        const IrItem *it = &in->m->items[i];
        /* A per-target body shares its portable function's object. */
        if (in->item_tag[i] && !(it->kind == IR_ITEM_FUNC && it->func->target))
            interp_obj_kill(in->I, TAG_INDEX(in->item_tag[i]));
    }
}
