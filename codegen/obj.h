/* obj.h - a target-independent object file under construction: sections,
 * symbols and relocations, written out as ELF64 by elf.c.
 *
 * A target's assembler appends bytes to sections and records relocations
 * with its own ELF relocation type numbers; data emission (data.c) lays
 * out the module's `data` and `global` items. Symbols are named; a name
 * used but never defined becomes an undefined (external) symbol.
 */
#ifndef YVM_OBJ_H
#define YVM_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum ObjSectionKind {
    OBJ_TEXT,       /* .text            ax  */
    OBJ_RODATA,     /* .rodata          a   */
    OBJ_RELRO,      /* .data.rel.ro     aw  read-only after relocation */
    OBJ_DATA,       /* .data            aw  */
    OBJ_BSS,        /* .bss             aw  nobits */
    OBJ_YVM_OBJECTS,/* yvm_objects      aw  the runtime's object table */
    OBJ_YVM_FUNCS,  /* yvm_funcs        aw  the runtime's function table */
    OBJ_SECTION_COUNT
} ObjSectionKind;

typedef struct ObjReloc {
    uint64_t offset;  /* in its section */
    uint32_t type;    /* the target's ELF relocation type */
    uint32_t sym;     /* symbol index */
    int64_t addend;
} ObjReloc;

typedef struct ObjSymbol {
    const char *name;
    int section;      /* ObjSectionKind, or -1: undefined */
    uint64_t value;   /* offset in its section */
    uint64_t size;
    bool global;      /* STB_GLOBAL (exported / external) or STB_LOCAL */
    bool func;        /* STT_FUNC or STT_OBJECT */
} ObjSymbol;

typedef struct ObjSection {
    uint8_t *bytes;   /* NULL for OBJ_BSS */
    uint64_t size, cap;
    uint64_t align;
    ObjReloc *relocs;
    size_t nrelocs, relocs_cap;
} ObjSection;

typedef struct ObjWriter {
    uint16_t machine;        /* EM_X86_64, EM_RISCV, ... */
    uint32_t elf_flags;      /* e_flags */
    ObjSection sec[OBJ_SECTION_COUNT];
    ObjSymbol *syms;
    size_t nsyms, syms_cap;
    uint32_t *hash;          /* open-addressing name -> symbol index + 1 */
    size_t hash_cap;         /* a power of two (0: none yet) */
} ObjWriter;

void obj_init(ObjWriter *o, uint16_t machine, uint32_t elf_flags);
void obj_free(ObjWriter *o);
/* Append bytes (or, for OBJ_BSS, just grow); return the offset written at. */
uint64_t obj_emit(ObjWriter *o, int sec, const void *bytes, size_t n);
void obj_align(ObjWriter *o, int sec, uint64_t align); /* pad with zeros (text: nops) */
/* The symbol called NAME, created undefined if new. */
uint32_t obj_symbol(ObjWriter *o, const char *name);
/* Define NAME at the current end of SEC. */
uint32_t obj_define(ObjWriter *o, const char *name, int sec, bool global, bool func);
void obj_set_size(ObjWriter *o, uint32_t sym, uint64_t size);
void obj_reloc(ObjWriter *o, int sec, uint64_t offset, uint32_t type,
               uint32_t sym, int64_t addend);
/* Index of the symbol NAME, or UINT32_MAX when there is none. */
uint32_t obj_find(const ObjWriter *o, const char *name);
/* Overwrite N bytes at OFFSET of SEC (patching an emitted field). */
void obj_patch(ObjWriter *o, int sec, uint64_t offset, const void *bytes, size_t n);
/* The ELF section name of SEC (".text", "yvm_objects", ...). */
const char *obj_section_name(int sec);
/* ELF64 relocatable object (elf.c). False and errno set on a write error. */
bool obj_write_elf(const ObjWriter *o, FILE *out);

#endif
