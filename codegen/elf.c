/* elf.c - obj_write_elf: an ObjWriter as an ELF64 little-endian
 * relocatable object (ET_REL), for any machine (e_machine and e_flags
 * come from the writer).
 *
 * File layout: ELF header, the contents of each non-empty section (in
 * ObjSectionKind order), its .rela section, .symtab, .strtab, .shstrtab,
 * then the section header table. Section header order: null, the content
 * sections, their .rela.* sections, .symtab, .strtab, .shstrtab and an
 * empty .note.GNU-stack (so the linker keeps the stack non-executable).
 * The symbol table holds the null symbol, the locals, then the globals
 * (sh_info = index of the first global), as the ELF gABI requires.
 */
#include "codegen/obj.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
    SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_RELA = 4,
    SHT_NOBITS = 8,
    SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHF_INFO_LINK = 0x40,
    STB_LOCAL = 0, STB_GLOBAL = 1,
    STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2,
    EHDR_SIZE = 64, SHDR_SIZE = 64, SYM_SIZE = 24, RELA_SIZE = 24,
};

/* A growable byte buffer the file is built in. */
typedef struct Buf {
    uint8_t *p;
    size_t n, cap;
    bool oom;
} Buf;

static void buf_put(Buf *b, const void *bytes, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    if (bytes)
        memcpy(b->p + b->n, bytes, n);
    else
        memset(b->p + b->n, 0, n);
    b->n += n;
}

static void buf_align(Buf *b, size_t align)
{
    size_t pad = (align - b->n % align) % align;
    buf_put(b, NULL, pad);
}

static void le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(Buf *b, uint64_t v) { uint8_t t[2]; le(t, v, 2); buf_put(b, t, 2); }
static void put32(Buf *b, uint64_t v) { uint8_t t[4]; le(t, v, 4); buf_put(b, t, 4); }
static void put64(Buf *b, uint64_t v) { uint8_t t[8]; le(t, v, 8); buf_put(b, t, 8); }

/* Appends NUL-terminated names; returns each one's offset. */
static uint32_t strtab_add(Buf *b, const char *s)
{
    uint32_t at = (uint32_t)b->n;
    buf_put(b, s, strlen(s) + 1);
    return at;
}

typedef struct Shdr {
    uint32_t name, type;
    uint64_t flags, offset, size;
    uint32_t link, info;
    uint64_t align, entsize;
} Shdr;

enum { MAX_SHDRS = 2 * OBJ_SECTION_COUNT + 6 };

static bool section_used(const ObjWriter *o, int k)
{
    if (o->sec[k].size || o->sec[k].nrelocs)
        return true;
    for (size_t i = 0; i < o->nsyms; i++)
        if (o->syms[i].section == k)
            return true;
    return false;
}

bool obj_write_elf(const ObjWriter *o, FILE *out)
{
    Buf file = {0}, shstr = {0}, str = {0};
    Shdr sh[MAX_SHDRS];
    int nsh = 1;
    int shndx[OBJ_SECTION_COUNT]; /* ELF section index per kind, 0 unused */
    uint32_t *elfsym = calloc(o->nsyms ? o->nsyms : 1, sizeof *elfsym);
    bool ok = elfsym != NULL;
    memset(sh, 0, sizeof sh);
    buf_put(&shstr, "", 1);
    buf_put(&str, "", 1);
    buf_put(&file, NULL, EHDR_SIZE);

    for (int k = 0; k < OBJ_SECTION_COUNT; k++) {
        const ObjSection *s = &o->sec[k];
        shndx[k] = 0;
        if (!section_used(o, k))
            continue;
        Shdr *h = &sh[nsh];
        shndx[k] = nsh++;
        h->name = strtab_add(&shstr, obj_section_name(k));
        h->type = k == OBJ_BSS ? SHT_NOBITS : SHT_PROGBITS;
        h->flags = SHF_ALLOC | (k == OBJ_TEXT ? SHF_EXECINSTR : 0) |
                   (k == OBJ_TEXT || k == OBJ_RODATA ? 0 : SHF_WRITE);
        h->align = s->align ? s->align : 1;
        h->size = s->size;
        buf_align(&file, (size_t)h->align);
        h->offset = file.n;
        if (k != OBJ_BSS)
            buf_put(&file, s->bytes, (size_t)s->size);
    }

    /* Symbols: locals first, then globals. Undefined ones are global. */
    uint32_t nelf = 1, first_global;
    for (size_t i = 0; ok && i < o->nsyms; i++)
        if (!o->syms[i].global && o->syms[i].section >= 0)
            elfsym[i] = nelf++;
    first_global = nelf;
    for (size_t i = 0; ok && i < o->nsyms; i++)
        if (o->syms[i].global || o->syms[i].section < 0)
            elfsym[i] = nelf++;

    /* Relocation sections. */
    int symtab_index = nsh;
    for (int k = 0; k < OBJ_SECTION_COUNT; k++)
        if (shndx[k] && o->sec[k].nrelocs)
            symtab_index++;
    for (int k = 0; ok && k < OBJ_SECTION_COUNT; k++) {
        const ObjSection *s = &o->sec[k];
        if (!shndx[k] || !s->nrelocs)
            continue;
        char name[64];
        snprintf(name, sizeof name, ".rela%s", obj_section_name(k)); /* as gas names them */
        Shdr *h = &sh[nsh++];
        h->name = strtab_add(&shstr, name);
        h->type = SHT_RELA;
        h->flags = SHF_INFO_LINK;
        h->link = (uint32_t)symtab_index;
        h->info = (uint32_t)shndx[k];
        h->align = 8;
        h->entsize = RELA_SIZE;
        buf_align(&file, 8);
        h->offset = file.n;
        for (size_t r = 0; r < s->nrelocs; r++) {
            const ObjReloc *rel = &s->relocs[r];
            if (rel->sym >= o->nsyms) {
                ok = false;
                errno = EINVAL;
                break;
            }
            put64(&file, rel->offset);
            put64(&file, (uint64_t)elfsym[rel->sym] << 32 | rel->type);
            put64(&file, (uint64_t)rel->addend);
        }
        h->size = file.n - h->offset;
    }

    /* .symtab */
    Shdr *symtab = &sh[nsh++];
    symtab->name = strtab_add(&shstr, ".symtab");
    symtab->type = SHT_SYMTAB;
    symtab->link = (uint32_t)nsh; /* .strtab comes next */
    symtab->info = first_global;
    symtab->align = 8;
    symtab->entsize = SYM_SIZE;
    buf_align(&file, 8);
    symtab->offset = file.n;
    buf_put(&file, NULL, SYM_SIZE);
    for (int pass = 0; ok && pass < 2; pass++)
        for (size_t i = 0; i < o->nsyms; i++) {
            const ObjSymbol *s = &o->syms[i];
            bool global = s->global || s->section < 0;
            if (global != (pass == 1))
                continue;
            int type = s->section < 0 ? STT_NOTYPE : s->func ? STT_FUNC : STT_OBJECT;
            put32(&file, strtab_add(&str, s->name));
            uint8_t info[2] = {(uint8_t)((global ? STB_GLOBAL : STB_LOCAL) << 4 | type), 0};
            buf_put(&file, info, 2);
            put16(&file, s->section < 0 ? 0 : (uint64_t)shndx[s->section]);
            put64(&file, s->section < 0 ? 0 : s->value);
            put64(&file, s->section < 0 ? 0 : s->size);
        }
    symtab->size = file.n - symtab->offset;

    Shdr *strtab = &sh[nsh++];
    strtab->name = strtab_add(&shstr, ".strtab");
    strtab->type = SHT_STRTAB;
    strtab->align = 1;
    strtab->offset = file.n;
    strtab->size = str.n;
    buf_put(&file, str.p, str.n);

    Shdr *note = &sh[nsh++];
    note->name = strtab_add(&shstr, ".note.GNU-stack");
    note->type = SHT_PROGBITS;
    note->align = 1;
    note->offset = file.n;

    int shstrndx = nsh;
    Shdr *shs = &sh[nsh++];
    shs->name = strtab_add(&shstr, ".shstrtab");
    shs->type = SHT_STRTAB;
    shs->align = 1;
    shs->offset = file.n;
    shs->size = shstr.n;
    buf_put(&file, shstr.p, shstr.n);

    buf_align(&file, 8);
    uint64_t shoff = file.n;
    for (int i = 0; i < nsh; i++) {
        put32(&file, sh[i].name);
        put32(&file, sh[i].type);
        put64(&file, sh[i].flags);
        put64(&file, 0); /* sh_addr */
        put64(&file, sh[i].offset);
        put64(&file, sh[i].size);
        put32(&file, sh[i].link);
        put32(&file, sh[i].info);
        put64(&file, sh[i].align);
        put64(&file, sh[i].entsize);
    }

    if (!file.oom && !shstr.oom && !str.oom && ok) {
        uint8_t *e = file.p;
        static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */,
                                          1 /* little-endian */, 1 /* EV_CURRENT */};
        memcpy(e, ident, 16);
        le(e + 16, 1, 2);            /* ET_REL */
        le(e + 18, o->machine, 2);
        le(e + 20, 1, 4);            /* e_version */
        le(e + 24, 0, 8);            /* e_entry */
        le(e + 32, 0, 8);            /* e_phoff */
        le(e + 40, shoff, 8);
        le(e + 48, o->elf_flags, 4);
        le(e + 52, EHDR_SIZE, 2);
        le(e + 54, 0, 2);            /* e_phentsize */
        le(e + 56, 0, 2);            /* e_phnum */
        le(e + 58, SHDR_SIZE, 2);
        le(e + 60, (uint64_t)nsh, 2);
        le(e + 62, (uint64_t)shstrndx, 2);
        ok = fwrite(file.p, 1, file.n, out) == file.n;
    } else if (ok) {
        ok = false;
        errno = ENOMEM;
    }
    free(file.p);
    free(shstr.p);
    free(str.p);
    free(elfsym);
    return ok;
}
