/* data.c - the module's `data` and `global` items laid out in an object
 * (or printed as assembler text), with the runtime's object and function
 * tables (data.h says the layout).
 */
#include "codegen/data.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime/yvmrt.h"

enum { EM_X86_64_ = 62, EM_RISCV_ = 243, R_X86_64_64_ = 1, R_RISCV_64_ = 2 };

static uint32_t abs64_reloc(const ObjWriter *o)
{
    return o->machine == EM_RISCV_ ? R_RISCV_64_ : R_X86_64_64_;
}

const char *data_sym_name(const DataNames *names, const IrModule *m, uint32_t item)
{
    if (names && names->name)
        return names->name(names->ctx, m, item);
    return m->items[item].name;
}

static bool has_symref(const IrData *d)
{
    for (uint32_t i = 0; i < d->nfields; i++)
        if (d->fields[i].kind == IR_FIELD_SYMREF)
            return true;
    return false;
}

static bool all_zero(const IrData *d)
{
    for (uint32_t i = 0; i < d->nfields; i++) {
        const IrField *f = &d->fields[i];
        switch (f->kind) {
        case IR_FIELD_ZERO: break;
        case IR_FIELD_CONST: if (f->bits) return false; break;
        case IR_FIELD_SYMREF: return false;
        case IR_FIELD_BYTES:
            for (uint64_t k = 0; k < f->len; k++)
                if (f->bytes[k])
                    return false;
            break;
        }
    }
    return true;
}

static int data_section(const IrData *d)
{
    if (!d->is_global)
        return has_symref(d) ? OBJ_RELRO : OBJ_RODATA;
    return all_zero(d) ? OBJ_BSS : OBJ_DATA;
}

/* The runtime wants 8-aligned objects (8-byte shadow granules). */
static uint64_t object_align(const IrData *d)
{
    uint64_t a = ir_data_align(d);
    return a < 8 ? 8 : a;
}

/* Bytes after the object that stay free: up to the next granule, then
 * the red zone. */
static uint64_t gap_after(uint64_t size)
{
    return (8 - size % 8) % 8 + YVMRT_REDZONE;
}

static uint64_t const_bits(const IrField *f)
{
    if (f->type == IR_I1)
        return f->bits & 1;
    return f->bits;
}

/* LEAD: the object is the module's first in its section, so it gets a
 * red zone before it too and an underflow from it traps (later objects
 * follow their predecessor's red zone). */
static void emit_item(ObjWriter *o, const IrModule *m, uint32_t item,
                      const DataNames *names, bool lead)
{
    const IrData *d = m->items[item].data;
    int sec = data_section(d);
    uint64_t size = ir_data_size(d);
    if (lead)
        obj_emit(o, sec, NULL, YVMRT_REDZONE);
    obj_align(o, sec, object_align(d));
    uint32_t sym = obj_define(o, data_sym_name(names, m, item), sec, false, false);
    uint64_t base = o->sec[sec].size;
    for (uint32_t i = 0; i < d->nfields; i++) {
        const IrField *f = &d->fields[i];
        uint64_t a = ir_field_align(f);
        uint64_t off = o->sec[sec].size - base;
        if (off % a)
            obj_emit(o, sec, NULL, a - off % a);
        switch (f->kind) {
        case IR_FIELD_BYTES:
            obj_emit(o, sec, sec == OBJ_BSS ? NULL : f->bytes, f->len);
            break;
        case IR_FIELD_ZERO:
            obj_emit(o, sec, NULL, f->len);
            break;
        case IR_FIELD_CONST: {
            uint8_t b[8];
            unsigned n = ir_type_size(f->type);
            uint64_t v = const_bits(f);
            for (unsigned k = 0; k < n; k++)
                b[k] = (uint8_t)(v >> (8 * k));
            obj_emit(o, sec, b, n);
            break;
        }
        case IR_FIELD_SYMREF: {
            uint64_t at = obj_emit(o, sec, NULL, 8);
            obj_reloc(o, sec, at, abs64_reloc(o),
                      obj_symbol(o, data_sym_name(names, m, f->sym)), 0);
            break;
        }
        }
    }
    obj_set_size(o, sym, size);
    obj_emit(o, sec, NULL, gap_after(size));

    /* The runtime's table entry: {base, size, flags}. */
    uint8_t entry[24] = {0};
    for (int k = 0; k < 8; k++) {
        entry[8 + k] = (uint8_t)(size >> (8 * k));
    }
    entry[16] = (uint8_t)((d->is_global ? 0 : YVMRT_OBJ_READONLY) |
                          (lead ? YVMRT_OBJ_REDZONE_BEFORE : 0));
    obj_align(o, OBJ_YVM_OBJECTS, 8);
    uint64_t at = obj_emit(o, OBJ_YVM_OBJECTS, entry, sizeof entry);
    obj_reloc(o, OBJ_YVM_OBJECTS, at, abs64_reloc(o), sym, 0);
}

void data_emit_item(ObjWriter *o, const IrModule *m, uint32_t item, const DataNames *names)
{
    emit_item(o, m, item, names, true);
}

void data_emit_module(ObjWriter *o, const IrModule *m, const DataNames *names)
{
    bool seen[OBJ_SECTION_COUNT] = {false};
    for (uint32_t i = 0; i < m->nitems; i++) {
        if (m->items[i].kind != IR_ITEM_DATA)
            continue;
        int sec = data_section(m->items[i].data);
        emit_item(o, m, i, names, !seen[sec]);
        seen[sec] = true;
    }
}

void data_emit_func_entry(ObjWriter *o, const char *sym, uint64_t sig)
{
    uint8_t entry[16] = {0};
    for (int k = 0; k < 8; k++)
        entry[8 + k] = (uint8_t)(sig >> (8 * k));
    obj_align(o, OBJ_YVM_FUNCS, 8);
    uint64_t at = obj_emit(o, OBJ_YVM_FUNCS, entry, sizeof entry);
    obj_reloc(o, OBJ_YVM_FUNCS, at, abs64_reloc(o), obj_symbol(o, sym), 0);
}

int data_sig_text(const IrFunc *f, char *buf, size_t len)
{
    size_t n = 0;
    char tmp[1];
    if (!buf || !len) {
        buf = tmp;
        len = 1;
    }
#define EMIT(s)                                                   \
    do {                                                          \
        const char *s_ = (s);                                     \
        for (; *s_; s_++, n++)                                    \
            if (n + 1 < len)                                      \
                buf[n] = *s_;                                     \
    } while (0)
    EMIT("(");
    for (uint32_t i = 0; i < f->nparams; i++) {
        if (i)
            EMIT(",");
        EMIT(ir_type_name((IrType)f->ptypes[i]));
    }
    if (f->attrs & IR_ATTR_VARIADIC)
        EMIT(f->nparams ? ",..." : "...");
    EMIT(")->");
    EMIT(f->ret == IR_VOID ? "void" : ir_type_name(f->ret));
#undef EMIT
    buf[n < len ? n : len - 1] = '\0';
    return (int)n;
}

uint64_t data_sig_hash(const IrFunc *f)
{
    char buf[1024];
    int n = data_sig_text(f, buf, sizeof buf);
    if ((size_t)n < sizeof buf)
        return yvmrt_sig_hash(buf);
    char *big = malloc((size_t)n + 1);
    if (!big)
        abort();
    data_sig_text(f, big, (size_t)n + 1);
    uint64_t h = yvmrt_sig_hash(big);
    free(big);
    return h;
}

/* ---- assembler text ---- */

/* Names GNU as (Intel syntax) reads as registers or operators. */
static bool reserved_name(const char *s)
{
    static const char *const words[] = {
        "ptr", "byte", "word", "dword", "fword", "qword", "tbyte", "oword", "xmmword",
        "ymmword", "zmmword", "offset", "flat", "short", "near", "far", "and", "or",
        "not", "xor", "mod", "shl", "shr", "eq", "ne", "lt", "le", "gt", "ge", "rip",
        "eip", "ip", "st", "eiz", "riz", "cs", "ds", "es", "fs", "gs", "ss",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    char l[8];
    size_t n = strlen(s);
    if (n >= sizeof l)
        return false;
    for (size_t i = 0; i <= n; i++)
        l[i] = (char)tolower((unsigned char)s[i]);
    static const char *const regs[] = {
        "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh", "ax", "cx", "dx", "bx", "sp", "bp",
        "si", "di", "spl", "bpl", "sil", "dil", "eax", "ecx", "edx", "ebx", "esp", "ebp",
        "esi", "edi", "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (strcmp(l, regs[i]) == 0)
            return true;
    /* r8..r15 (+b/w/d/l), xmm/ymm/zmm/mm/st/cr/dr/tr/k/bnd + digits */
    static const char *const prefixes[] = {"r", "xmm", "ymm", "zmm", "mm", "st", "cr",
                                           "dr", "tr", "k", "bnd"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t p = strlen(prefixes[i]);
        if (strncmp(l, prefixes[i], p) != 0 || !isdigit((unsigned char)l[p]))
            continue;
        size_t k = p;
        while (isdigit((unsigned char)l[k]))
            k++;
        if (!l[k] || (prefixes[i][0] == 'r' && p == 1 && !l[k + 1] && strchr("bwdl", l[k])))
            return true;
    }
    return false;
}

static bool identifier(const char *name)
{
    bool ok = isalpha((unsigned char)name[0]) || name[0] == '_' || name[0] == '.' ||
              name[0] == '$';
    for (const char *p = name; ok && *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '$')
            ok = false;
    return ok;
}

void asm_sym_prepare(FILE *out, const char *name)
{
    if (!identifier(name) || !reserved_name(name))
        return;
    /* Defined once per file: gas rejects a redefinition after a use. */
    fprintf(out, "\t.ifndef .Lyvm.q.%s\n\t.att_syntax\n\t.set .Lyvm.q.%s, \"%s\"\n"
            "\t.intel_syntax noprefix\n\t.endif\n", name, name, name);
}

void asm_print_sym_ref(FILE *out, const char *name)
{
    if (identifier(name) && reserved_name(name))
        fprintf(out, ".Lyvm.q.%s", name);
    else
        asm_print_sym(out, name);
}

void asm_print_sym(FILE *out, const char *name)
{
    if (identifier(name) && !reserved_name(name)) {
        fputs(name, out);
        return;
    }
    /* GNU as accepts quoted names where symbols are defined, and in
     * expressions unless Intel syntax reads them as registers (those go
     * through asm_print_sym_ref's alias). */
    fputc('"', out);
    for (const char *p = name; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static const char *section_directive(int sec)
{
    switch (sec) {
    case OBJ_RODATA: return "\t.section .rodata,\"a\"\n";
    case OBJ_RELRO: return "\t.section .data.rel.ro,\"aw\"\n";
    case OBJ_DATA: return "\t.data\n";
    case OBJ_BSS: return "\t.bss\n";
    case OBJ_YVM_OBJECTS: return "\t.section yvm_objects,\"aw\"\n";
    case OBJ_YVM_FUNCS: return "\t.section yvm_funcs,\"aw\"\n";
    default: return "\t.text\n";
    }
}

static void print_bytes(FILE *out, const uint8_t *b, uint64_t n)
{
    for (uint64_t i = 0; i < n; i += 16) {
        fputs("\t.byte ", out);
        for (uint64_t k = i; k < n && k < i + 16; k++)
            fprintf(out, k > i ? ",%u" : "%u", b[k]);
        fputc('\n', out);
    }
}

static unsigned log2u(uint64_t a)
{
    unsigned l = 0;
    while ((uint64_t)1 << l < a)
        l++;
    return l;
}

static void print_item(FILE *out, const IrModule *m, uint32_t item,
                       const DataNames *names, bool lead)
{
    const IrData *d = m->items[item].data;
    const char *name = data_sym_name(names, m, item);
    int sec = data_section(d);
    uint64_t size = ir_data_size(d), off = 0;
    fputs(section_directive(sec), out);
    if (lead)
        fprintf(out, "\t.zero %d\n", YVMRT_REDZONE);
    fprintf(out, "\t.p2align %u\n\t.type ", log2u(object_align(d)));
    asm_print_sym(out, name);
    fprintf(out, ", @object\n\t.size ");
    asm_print_sym(out, name);
    fprintf(out, ", %" PRIu64 "\n", size);
    asm_print_sym(out, name);
    fputs(":\n", out);
    for (uint32_t i = 0; i < d->nfields; i++) {
        const IrField *f = &d->fields[i];
        uint64_t a = ir_field_align(f);
        if (off % a) {
            fprintf(out, "\t.zero %" PRIu64 "\n", a - off % a);
            off += a - off % a;
        }
        switch (f->kind) {
        case IR_FIELD_BYTES:
            if (sec == OBJ_BSS)
                fprintf(out, "\t.zero %" PRIu64 "\n", f->len);
            else
                print_bytes(out, f->bytes, f->len);
            off += f->len;
            break;
        case IR_FIELD_ZERO:
            if (f->len)
                fprintf(out, "\t.zero %" PRIu64 "\n", f->len);
            off += f->len;
            break;
        case IR_FIELD_CONST: {
            unsigned n = ir_type_size(f->type);
            uint64_t v = const_bits(f);
            const char *dir = n == 1 ? ".byte" : n == 2 ? ".short" : n == 4 ? ".long" : ".quad";
            if (n < 8)
                v &= ((uint64_t)1 << (8 * n)) - 1;
            fprintf(out, "\t%s %" PRIu64 "\n", dir, v);
            off += n;
            break;
        }
        case IR_FIELD_SYMREF:
            asm_sym_prepare(out, data_sym_name(names, m, f->sym));
            fputs("\t.quad ", out);
            asm_print_sym_ref(out, data_sym_name(names, m, f->sym));
            fputc('\n', out);
            off += 8;
            break;
        }
    }
    fprintf(out, "\t.zero %" PRIu64 "\n", gap_after(size));
    fputs(section_directive(OBJ_YVM_OBJECTS), out);
    asm_sym_prepare(out, name);
    fputs("\t.p2align 3\n\t.quad ", out);
    asm_print_sym_ref(out, name);
    fprintf(out, "\n\t.quad %" PRIu64 "\n\t.quad %d\n", size,
            (d->is_global ? 0 : YVMRT_OBJ_READONLY) | (lead ? YVMRT_OBJ_REDZONE_BEFORE : 0));
}

void data_print_item(FILE *out, const IrModule *m, uint32_t item, const DataNames *names)
{
    print_item(out, m, item, names, true);
}

void data_print_module(FILE *out, const IrModule *m, const DataNames *names)
{
    bool seen[OBJ_SECTION_COUNT] = {false};
    for (uint32_t i = 0; i < m->nitems; i++) {
        if (m->items[i].kind != IR_ITEM_DATA)
            continue;
        int sec = data_section(m->items[i].data);
        print_item(out, m, i, names, !seen[sec]);
        seen[sec] = true;
    }
}

void data_print_func_entry(FILE *out, const char *sym, uint64_t sig)
{
    fputs(section_directive(OBJ_YVM_FUNCS), out);
    asm_sym_prepare(out, sym);
    fputs("\t.p2align 3\n\t.quad ", out);
    asm_print_sym_ref(out, sym);
    fprintf(out, "\n\t.quad %" PRIu64 "\n", sig);
}
