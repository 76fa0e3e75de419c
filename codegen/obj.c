/* obj.c - the object file under construction (obj.h): growable sections,
 * a symbol table looked up by name through an open-addressing hash, and
 * relocation lists. The ELF writer (elf.c) turns it into a file.
 */
#include "codegen/obj.h"

#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("yvm: out of memory\n", stderr);
        abort();
    }
    return q;
}

static const char *const section_names[OBJ_SECTION_COUNT] = {
    [OBJ_TEXT] = ".text",
    [OBJ_RODATA] = ".rodata",
    [OBJ_RELRO] = ".data.rel.ro",
    [OBJ_DATA] = ".data",
    [OBJ_BSS] = ".bss",
    [OBJ_YVM_OBJECTS] = "yvm_objects",
    [OBJ_YVM_FUNCS] = "yvm_funcs",
};

const char *obj_section_name(int sec)
{
    return sec >= 0 && sec < OBJ_SECTION_COUNT ? section_names[sec] : "?";
}

void obj_init(ObjWriter *o, uint16_t machine, uint32_t elf_flags)
{
    memset(o, 0, sizeof *o);
    o->machine = machine;
    o->elf_flags = elf_flags;
    for (int i = 0; i < OBJ_SECTION_COUNT; i++)
        o->sec[i].align = 1;
    o->sec[OBJ_TEXT].align = 16;
    o->sec[OBJ_YVM_OBJECTS].align = 8;
    o->sec[OBJ_YVM_FUNCS].align = 8;
}

void obj_free(ObjWriter *o)
{
    for (int i = 0; i < OBJ_SECTION_COUNT; i++) {
        free(o->sec[i].bytes);
        free(o->sec[i].relocs);
    }
    for (size_t i = 0; i < o->nsyms; i++)
        free((char *)o->syms[i].name);
    free(o->syms);
    free(o->hash);
    memset(o, 0, sizeof *o);
}

static void reserve(ObjSection *s, uint64_t need)
{
    if (need <= s->cap)
        return;
    uint64_t cap = s->cap ? s->cap : 256;
    while (cap < need)
        cap *= 2;
    s->bytes = xrealloc(s->bytes, cap);
    s->cap = cap;
}

uint64_t obj_emit(ObjWriter *o, int sec, const void *bytes, size_t n)
{
    ObjSection *s = &o->sec[sec];
    uint64_t at = s->size;
    if (sec != OBJ_BSS) {
        reserve(s, at + n);
        if (bytes)
            memcpy(s->bytes + at, bytes, n);
        else
            memset(s->bytes + at, 0, n);
    }
    s->size = at + n;
    return at;
}

void obj_patch(ObjWriter *o, int sec, uint64_t offset, const void *bytes, size_t n)
{
    ObjSection *s = &o->sec[sec];
    if (sec == OBJ_BSS || offset + n > s->size)
        abort(); /* a caller bug: patching outside what was emitted */
    memcpy(s->bytes + offset, bytes, n);
}

void obj_align(ObjWriter *o, int sec, uint64_t align)
{
    ObjSection *s = &o->sec[sec];
    if (align < 1)
        align = 1;
    if (align > s->align)
        s->align = align;
    uint64_t pad = (align - s->size % align) % align;
    if (!pad)
        return;
    if (sec != OBJ_TEXT) {
        obj_emit(o, sec, NULL, pad);
        return;
    }
    /* Text: the recommended multi-byte nops, at most 8 bytes each. */
    static const uint8_t nops[9][8] = {
        {0},
        {0x90},
        {0x66, 0x90},
        {0x0f, 0x1f, 0x00},
        {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
        {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };
    while (pad) {
        uint64_t n = pad > 8 ? 8 : pad;
        if (o->machine == 62 /* EM_X86_64 */)
            obj_emit(o, sec, nops[n], n);
        else
            obj_emit(o, sec, NULL, n); /* other targets pad text themselves */
        pad -= n;
    }
}

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

uint32_t obj_find(const ObjWriter *o, const char *name)
{
    if (!o->hash_cap)
        return UINT32_MAX;
    size_t mask = o->hash_cap - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        uint32_t e = o->hash[i];
        if (!e)
            return UINT32_MAX;
        if (strcmp(o->syms[e - 1].name, name) == 0)
            return e - 1;
    }
}

static void hash_insert(ObjWriter *o, uint32_t sym)
{
    size_t mask = o->hash_cap - 1;
    size_t i = hash_name(o->syms[sym].name) & mask;
    while (o->hash[i])
        i = (i + 1) & mask;
    o->hash[i] = sym + 1;
}

uint32_t obj_symbol(ObjWriter *o, const char *name)
{
    uint32_t found = obj_find(o, name);
    if (found != UINT32_MAX)
        return found;
    if (o->nsyms == o->syms_cap) {
        o->syms_cap = o->syms_cap ? 2 * o->syms_cap : 64;
        o->syms = xrealloc(o->syms, o->syms_cap * sizeof *o->syms);
    }
    /* Keep the hash at most half full. */
    if (2 * (o->nsyms + 1) > o->hash_cap) {
        free(o->hash);
        o->hash_cap = o->hash_cap ? 2 * o->hash_cap : 128;
        o->hash = xrealloc(NULL, o->hash_cap * sizeof *o->hash);
        memset(o->hash, 0, o->hash_cap * sizeof *o->hash);
        for (uint32_t i = 0; i < o->nsyms; i++)
            hash_insert(o, i);
    }
    uint32_t sym = (uint32_t)o->nsyms++;
    size_t len = strlen(name);
    char *copy = xrealloc(NULL, len + 1);
    memcpy(copy, name, len + 1);
    o->syms[sym] = (ObjSymbol){.name = copy, .section = -1, .global = true};
    hash_insert(o, sym);
    return sym;
}

uint32_t obj_define(ObjWriter *o, const char *name, int sec, bool global, bool func)
{
    uint32_t sym = obj_symbol(o, name);
    ObjSymbol *s = &o->syms[sym];
    s->section = sec;
    s->value = o->sec[sec].size;
    s->global = global;
    s->func = func;
    return sym;
}

void obj_set_size(ObjWriter *o, uint32_t sym, uint64_t size)
{
    o->syms[sym].size = size;
}

void obj_reloc(ObjWriter *o, int sec, uint64_t offset, uint32_t type,
               uint32_t sym, int64_t addend)
{
    ObjSection *s = &o->sec[sec];
    if (s->nrelocs == s->relocs_cap) {
        s->relocs_cap = s->relocs_cap ? 2 * s->relocs_cap : 32;
        s->relocs = xrealloc(s->relocs, s->relocs_cap * sizeof *s->relocs);
    }
    s->relocs[s->nrelocs++] = (ObjReloc){offset, type, sym, addend};
}
