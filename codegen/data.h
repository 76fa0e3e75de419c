/* data.h - the module's `data` and `global` items as object-file data,
 * plus the runtime's tables (runtime/yvmrt.h): one YvmrtObject per object
 * in section yvm_objects, one YvmrtFunc per function in yvm_funcs.
 *
 * Layout (docs/backend.md): `data` goes to .rodata, or .data.rel.ro when
 * it holds pointers (symrefs need R_*_64 relocations); `global` goes to
 * .data, or .bss when every byte is zero. Each object starts at its
 * ir_data_align alignment and is followed by YVMRT_REDZONE bytes of gap
 * that no other object uses (bounds checks rely on it). Its symbol is the
 * item's name (STB_LOCAL: IR data is internal to its module), STT_OBJECT,
 * with size ir_data_size.
 *
 * Both the object writer (data_emit_*) and the GNU assembler printer
 * (data_print_*) exist; they produce the same layout.
 */
#ifndef YVM_DATA_H
#define YVM_DATA_H

#include <stdint.h>
#include <stdio.h>

#include "codegen/obj.h"
#include "ir.h"

/* How items are named in the object: NAME(CTX, M, ITEM) returns the ELF
 * symbol for item ITEM (e.g. yvm-cc maps @main to __yvm_main and the
 * extern malloc to __yvm_malloc). A NULL DataNames, or a NULL name
 * function, means the item's own name. Used for symrefs inside data too. */
typedef struct DataNames {
    const char *(*name)(void *ctx, const IrModule *m, uint32_t item);
    void *ctx;
} DataNames;

const char *data_sym_name(const DataNames *names, const IrModule *m, uint32_t item);

/* Lay out every data/global item of M (in item order) into O, with its
 * yvm_objects entry. Relocation types come from O->machine (R_X86_64_64
 * or R_RISCV_64). */
void data_emit_module(ObjWriter *o, const IrModule *m, const DataNames *names);
/* One item (M->items[ITEM] must be a data item). */
void data_emit_item(ObjWriter *o, const IrModule *m, uint32_t item,
                    const DataNames *names);

/* One yvm_funcs entry {addr = SYM, sig = SIG} (section created on use). */
void data_emit_func_entry(ObjWriter *o, const char *sym, uint64_t sig);

/* The signature text hashed by yvmrt_sig_hash: "(i64,ptr)->i32",
 * "()->void". Writes at most LEN bytes (NUL-terminated); returns the full
 * length like snprintf. Variadic externs add ",..." after the last type. */
int data_sig_text(const IrFunc *f, char *buf, size_t len);
uint64_t data_sig_hash(const IrFunc *f);

/* The same as GNU assembler text (after x86_print_prologue). The symbol
 * names are printed as x86 asm.c prints them (asm_sym_name). */
void data_print_module(FILE *out, const IrModule *m, const DataNames *names);
void data_print_item(FILE *out, const IrModule *m, uint32_t item,
                     const DataNames *names);
void data_print_func_entry(FILE *out, const char *sym, uint64_t sig);

/* A symbol name as the assembler must see it where a symbol is defined or
 * declared (label, .globl, .type, .size): plain when it is a valid GNU as
 * identifier that is not an x86 register or Intel-syntax keyword, else
 * quoted. */
void asm_print_sym(FILE *out, const char *name);
/* Where a symbol is used in an expression (operands, .quad, .size's
 * value): Intel syntax reads `fs` or even `"fs"` as a register, so such a
 * name is referred to through an alias `.Lyvm.q.NAME`, which
 * asm_sym_prepare defines (in AT&T mode, on lines of its own) when NAME
 * needs it. Call asm_sym_prepare before the line that uses NAME. */
void asm_sym_prepare(FILE *out, const char *name);
void asm_print_sym_ref(FILE *out, const char *name);

#endif
