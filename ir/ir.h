/* ir.h - the in-memory Yvm IR: context, module, items, functions, blocks,
 * instructions, operands and types, plus the builder that makes them.
 *
 * Ownership: an IrCtx holds diagnostics and nothing global; an IrModule
 * owns one arena from which every node, name and array of the module is
 * allocated, so ir_module_free() releases it all at once.
 *
 * Values are numbered per function (IrFunc.vals); an operand names a
 * value by that number, a module symbol by its item index, or carries a
 * constant whose type is fixed by the instruction that uses it.
 */
#ifndef YVM_IR_H
#define YVM_IR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

/* ---- types ---- */

typedef enum IrType {
    IR_VOID = 0, /* only as a function's "no return value" */
    IR_I1, IR_I8, IR_I16, IR_I32, IR_I64,
    IR_F32, IR_F64,
    IR_PTR,
    IR_TYPE_COUNT
} IrType;

const char *ir_type_name(IrType t);          /* "i32", "ptr", "void" */
unsigned ir_type_bits(IrType t);             /* 1, 8, ..., 64; ptr 64 */
unsigned ir_type_size(IrType t);             /* bytes in memory: i1 1 byte */
bool ir_type_is_int(IrType t);               /* i1..i64 */
bool ir_type_is_float(IrType t);             /* f32, f64 */
uint64_t ir_type_mask(IrType t);             /* all-ones of the type's bits */

/* ---- opcodes (from opcodes.def) ---- */

typedef enum IrForm {
    IR_FORM_BINARY,  /* %r = op T a, b */
    IR_FORM_UNARY,   /* %r = op T a */
    IR_FORM_ICMP,    /* %r = icmp C T a, b */
    IR_FORM_FCMP,    /* %r = fcmp C T a, b */
    IR_FORM_SELECT,  /* %r = select T c, a, b */
    IR_FORM_CONV,    /* %r = op T1 a to T2 */
    IR_FORM_ALLOCA,  /* %p = alloca N, align A */
    IR_FORM_LOAD,    /* %v = load T, p */
    IR_FORM_STORE,   /* store T v, p */
    IR_FORM_PTRADD,  /* %q = ptradd p, off */
    IR_FORM_MEMCPY,  /* memcpy p, q, n */
    IR_FORM_MEMSET,  /* memset p, b, n */
    IR_FORM_CALL,    /* [%r =] call @f(T a, ...) */
    IR_FORM_CALLIND, /* [%r =] call.ind p(T a, ...) [-> T] */
    IR_FORM_BR,      /* br L(args) */
    IR_FORM_CONDBR,  /* condbr c, L1(args), L2(args) */
    IR_FORM_SWITCH,  /* switch T v, D(args) [K: L(args), ...] */
    IR_FORM_RET,     /* ret [v] */
    IR_FORM_TRAP,    /* trap "reason" */
} IrForm;

typedef enum IrTypeClass {
    IR_TC_NONE, IR_TC_INT, IR_TC_FLOAT, IR_TC_INTPTR,
    IR_TC_NUM,  /* int or float (bitcast) */
    IR_TC_PTR, IR_TC_ANY,
} IrTypeClass;

typedef enum IrConvRule {
    IR_CV_NONE,
    IR_CV_INT_WIDEN,    /* int -> strictly wider int */
    IR_CV_INT_NARROW,   /* int -> strictly narrower int */
    IR_CV_INT_TO_FLOAT,
    IR_CV_FLOAT_TO_INT,
    IR_CV_FLOAT_WIDEN,  /* f32 -> f64 */
    IR_CV_FLOAT_NARROW, /* f64 -> f32 */
    IR_CV_SAME_SIZE,    /* int/float -> int/float of the same bit size */
    IR_CV_PTR_TO_INT,   /* ptr -> i64 */
    IR_CV_INT_TO_PTR,   /* i64 -> ptr */
} IrConvRule;

typedef enum IrOpcode {
#define OP(e, text, form, tc, cv) IR_##e,
#include "opcodes.def"
#undef OP
    IR_OPCODE_COUNT
} IrOpcode;

typedef struct IrOpInfo {
    const char *name;
    IrForm form;
    IrTypeClass tclass;
    IrConvRule conv;
} IrOpInfo;

extern const IrOpInfo ir_op_info[IR_OPCODE_COUNT]; /* const table, not state */
bool ir_op_is_terminator(IrOpcode op);            /* br condbr switch ret trap */
bool ir_op_has_result(IrOpcode op);               /* for call/call.ind: may */

/* Predicates, in binary-encoding order. */
#define IR_ICMP_CONDS(X) X(EQ, "eq") X(NE, "ne") X(SLT, "slt") X(SLE, "sle") \
    X(SGT, "sgt") X(SGE, "sge") X(ULT, "ult") X(ULE, "ule") X(UGT, "ugt") X(UGE, "uge")
#define IR_FCMP_CONDS(X) X(OEQ, "oeq") X(ONE, "one") X(OLT, "olt") X(OLE, "ole") \
    X(OGT, "ogt") X(OGE, "oge") X(ORD, "ord") X(UNO, "uno") X(UEQ, "ueq") \
    X(UNE, "une") X(ULT, "ult") X(ULE, "ule") X(UGT, "ugt") X(UGE, "uge")

typedef enum IrICond {
#define X(e, s) IR_ICMP_##e,
    IR_ICMP_CONDS(X)
#undef X
    IR_ICMP_COUNT
} IrICond;

typedef enum IrFCond {
#define X(e, s) IR_FCMP_##e,
    IR_FCMP_CONDS(X)
#undef X
    IR_FCMP_COUNT
} IrFCond;

const char *ir_icond_name(IrICond c);
const char *ir_fcond_name(IrFCond c);
/* The i1 result of `icmp C T a, b` on constants (operands as T's bits). */
bool ir_icmp_eval(IrICond c, IrType t, uint64_t a, uint64_t b);

/* ---- operands ---- */

#define IR_NONE UINT32_MAX /* "no value" / "no block" / "no item" */

typedef enum IrOpdKind {
    IR_OPD_VALUE,  /* index: value number in the function */
    IR_OPD_SYMBOL, /* index: item number in the module; type is ptr */
    IR_OPD_CONST,  /* bits: the constant's bits, zero-extended from type */
} IrOpdKind;

typedef struct IrOperand {
    uint8_t kind;  /* IrOpdKind */
    uint8_t type;  /* IrType of the operand as used */
    uint32_t index;
    uint64_t bits; /* integers: low ir_type_bits(type) bits, rest 0;
                      f32: the float's 32 bits; f64: the double's 64 bits */
} IrOperand;

/* A branch destination with its block arguments. */
typedef struct IrTarget {
    uint32_t block; /* index in IrFunc.blocks */
    uint32_t nargs;
    IrOperand *args;
} IrTarget;

/* ---- instructions ---- */

typedef struct IrInst {
    uint16_t op;     /* IrOpcode */
    uint8_t type;    /* T written in the instruction; for calls the result
                        type (IR_VOID if none); for conv the source T1 */
    uint8_t type2;   /* conv: the result type T2 */
    uint8_t cond;    /* icmp: IrICond, fcmp: IrFCond */
    uint32_t result; /* value number, or IR_NONE */
    uint32_t nopd;
    IrOperand *opd;  /* operands in written order; call: opd[0] is the
                        callee (symbol or pointer value), then arguments */
    uint32_t ntgt;
    IrTarget *tgt;   /* br: 1, condbr: 2 (true, false), switch: 1+cases */
    uint64_t *keys;  /* switch: ntgt-1 case keys (bits, like constants) */
    uint64_t imm;    /* alloca: N bytes */
    uint64_t imm2;   /* alloca: alignment */
    const char *str; /* trap: reason bytes (arena, NUL-terminated too) */
    uint32_t strlen;
    IrLoc loc;
} IrInst;

/* ---- blocks, values, functions ---- */

typedef struct IrBlock {
    const char *name;     /* label; NULL lets the printer number it */
    uint32_t nparams, capparams;
    uint32_t *params;     /* value numbers */
    uint32_t ninsts, capinsts;
    IrInst *insts;
    IrLoc loc;
} IrBlock;

typedef struct IrValue {
    uint8_t type;     /* IrType */
    const char *name; /* without '%'; NULL lets the printer number it */
    IrLoc loc;        /* where it is defined */
} IrValue;

enum {
    IR_ATTR_EXPORT   = 1u << 0,
    IR_ATTR_UNSAFE   = 1u << 1,
    IR_ATTR_CT       = 1u << 2,
    IR_ATTR_NOINLINE = 1u << 3,
    IR_ATTR_DEADLINE = 1u << 4, /* IrFunc.deadline holds the cycle count */
    IR_ATTR_VARIADIC = 1u << 5, /* extern functions only */
};

typedef struct IrFunc {
    IrType ret;           /* IR_VOID when the function returns nothing */
    uint32_t nparams;
    uint8_t *ptypes;      /* parameter types */
    uint32_t *params;     /* value numbers (defined functions only) */
    uint32_t capparams;   /* room in ptypes and params */
    unsigned attrs;       /* IR_ATTR_* */
    uint64_t deadline;
    const char *target;   /* per-target body: "x86_64", ...; NULL portable */
    bool is_extern;
    uint32_t nblocks, capblocks;
    IrBlock **blocks;     /* blocks[0] is the entry */
    uint32_t nvals, capvals;
    IrValue *vals;
} IrFunc;

/* ---- data and globals ---- */

typedef enum IrFieldKind {
    IR_FIELD_BYTES,  /* "string" bytes, alignment 1 */
    IR_FIELD_CONST,  /* T constant, natural alignment */
    IR_FIELD_SYMREF, /* ptr @sym, 8 bytes, alignment 8 */
    IR_FIELD_ZERO,   /* zero N, alignment 1 */
} IrFieldKind;

typedef struct IrField {
    IrFieldKind kind;
    uint8_t type;       /* CONST: its type; SYMREF: ptr */
    uint64_t bits;      /* CONST: bits as in IrOperand */
    uint32_t sym;       /* SYMREF: item index */
    const uint8_t *bytes; /* BYTES */
    uint64_t len;       /* BYTES: byte count; ZERO: N */
    IrLoc loc;
} IrField;

typedef struct IrData {
    bool is_global;      /* global: mutable; data: read-only */
    bool brace_form;     /* written as { ... } (else a lone string/zero) */
    uint32_t nfields, capfields;
    IrField *fields;
} IrData;

uint64_t ir_data_size(const IrData *d);   /* with natural-alignment padding */
uint64_t ir_data_align(const IrData *d);  /* largest field alignment, >= 1 */
uint64_t ir_field_align(const IrField *f);

/* ---- module ---- */

typedef enum IrItemKind { IR_ITEM_FUNC, IR_ITEM_DATA } IrItemKind;

typedef struct IrItem {
    IrItemKind kind;     /* FUNC covers extern func too */
    const char *name;    /* without '@' */
    IrFunc *func;
    IrData *data;
    IrLoc loc;
} IrItem;

/* A rewrite rule shipped in the module: a `rule NAME { ... }` item in the
 * rule language (docs/rules.md, "Rules in modules"). Not a symbol. The
 * readers check its syntax and keep its canonical text; the optimiser
 * proves it before using it (opt/rewrite.h). */
typedef struct IrRule {
    const char *name;
    const char *text;    /* canonical braced text, NUL-terminated, ends "}\n" */
    uint32_t len;        /* strlen(text) */
    IrLoc loc;           /* of the `rule` keyword in text input, else 0:0 */
} IrRule;

/* A proof obligation (docs/ir.md, "Proof obligations"): the plain
 * `add`/`sub`/`mul` defining `value` in function `item` stands for the
 * checked operation `op` (addc ... mulcu) that cannot overflow there,
 * because the listed facts hold where it runs. A fact is an edge `a -> b`
 * (the condbr ending block a took its arm to block b, so its condition is
 * true, or false for the false arm) or `def a` (value a equals what its
 * defining instruction computed). The verifier checks that each fact
 * holds at the instruction (ir/oblig.c); the prover discharges the claim
 * (prover/oblig.c). Not a symbol. */
typedef enum IrFactKind { IR_FACT_EDGE = 0, IR_FACT_DEF = 1, IR_FACT_NONNEG = 2 } IrFactKind;

/* Claims other than "this checked operation cannot overflow" (IrOblig.op
 * is then one of these instead of a checked opcode): the i1 value is 0
 * wherever it is computed (a branch on it never takes its true arm), or
 * the block parameter is >= 0 (signed) on every entry to its block, by
 * induction over the block's incoming edges. A `nonneg %p` fact uses a
 * module's `nonneg` obligation for %p. */
enum { IR_CLAIM_FALSE = 256, IR_CLAIM_NONNEG = 257 };

typedef struct IrFact {
    uint8_t kind;        /* IrFactKind */
    uint32_t a, b;       /* edge: from block a to block b; def, nonneg: value a */
    IrLoc loc;
} IrFact;

typedef struct IrOblig {
    uint32_t item;       /* the function (an item with a body) */
    uint32_t value;      /* the result of the plain instruction (or the claim's value) */
    uint16_t op;         /* the checked opcode it stands for: IR_ADDC ..., or IR_CLAIM_* */
    uint32_t nfacts;
    IrFact *facts;
    IrLoc loc;           /* of the `obligation` keyword in text input */
} IrOblig;

typedef struct IrModule {
    IrCtx *ctx;
    Arena arena;
    const char *name;    /* `module "name"`, or NULL */
    const IrSource *src; /* where it was read from (for located errors) */
    uint32_t nitems, capitems;
    IrItem *items;       /* in definition order */
    uint32_t nrules, caprules;
    IrRule *rules;       /* rule items, in definition order (ir/rule_item.c) */
    uint32_t nobligs, capobligs;
    IrOblig *obligs;     /* proof obligations, in definition order */
} IrModule;

/* ---- context ---- */

IrCtx *ir_ctx_new(void);
void ir_ctx_free(IrCtx *ctx);

/* ---- module-level building ---- */

IrModule *ir_module_new(IrCtx *ctx, const char *name);
void ir_module_free(IrModule *m);
/* Item index of the symbol @name (the portable function for variants),
 * or IR_NONE. */
uint32_t ir_module_find(const IrModule *m, const char *name);

IrFunc *ir_func_new(IrModule *m, const char *name, IrType ret, unsigned attrs);
IrFunc *ir_extern_new(IrModule *m, const char *name, IrType ret,
                      uint32_t nparams, const IrType *ptypes, bool variadic);
/* Parse `len` bytes of rule-language text holding exactly one rule
 * (braced or not) and append its canonical braced text to m->rules.
 * False, with *err (malloc'd: "line:col: message" relative to `text`, or
 * a message) set, when the text is malformed, holds no rule or several,
 * or names a rule the module already has. ir/rule_item.c. */
bool ir_module_add_rule(IrModule *m, const char *text, size_t len, char **err);

/* Append a proof obligation (facts copied into the module's arena). */
IrOblig *ir_module_add_oblig(IrModule *m, uint32_t item, uint32_t value, unsigned op,
                             uint32_t nfacts, const IrFact *facts);

/* Item index of a function (for symbol operands). */
uint32_t ir_item_of_func(const IrModule *m, const IrFunc *f);
IrData *ir_data_new(IrModule *m, const char *name, bool is_global);
void ir_data_add_bytes(IrModule *m, IrData *d, const void *bytes, uint64_t len);
void ir_data_add_const(IrModule *m, IrData *d, IrType t, uint64_t bits);
void ir_data_add_symref(IrModule *m, IrData *d, uint32_t item);
void ir_data_add_zero(IrModule *m, IrData *d, uint64_t n);

/* ---- function-level building ---- */

uint32_t ir_func_add_param(IrModule *m, IrFunc *f, IrType t, const char *name);
uint32_t ir_func_new_value(IrModule *m, IrFunc *f, IrType t, const char *name);
IrBlock *ir_block_new(IrModule *m, IrFunc *f, const char *name);
uint32_t ir_block_index(const IrFunc *f, const IrBlock *b);
uint32_t ir_block_add_param(IrModule *m, IrFunc *f, IrBlock *b, IrType t,
                            const char *name);

/* Operands. */
IrOperand ir_opd_value(const IrFunc *f, uint32_t v);
IrOperand ir_opd_symbol(uint32_t item);
IrOperand ir_opd_int(IrType t, uint64_t v);   /* v truncated to t */
IrOperand ir_opd_f32(float v);
IrOperand ir_opd_f64(double v);

/* Instructions: each appends to block b and returns the result value
 * number (IR_NONE when there is none). `name` may be NULL. */
IrInst *ir_inst_append(IrModule *m, IrBlock *b, IrOpcode op); /* raw */
uint32_t ir_build_binary(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                         IrType t, IrOperand a, IrOperand c, const char *name);
uint32_t ir_build_unary(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                        IrType t, IrOperand a, const char *name);
uint32_t ir_build_icmp(IrModule *m, IrFunc *f, IrBlock *b, IrICond cond,
                       IrType t, IrOperand a, IrOperand c, const char *name);
uint32_t ir_build_fcmp(IrModule *m, IrFunc *f, IrBlock *b, IrFCond cond,
                       IrType t, IrOperand a, IrOperand c, const char *name);
uint32_t ir_build_select(IrModule *m, IrFunc *f, IrBlock *b, IrType t,
                         IrOperand c, IrOperand a, IrOperand e, const char *name);
uint32_t ir_build_conv(IrModule *m, IrFunc *f, IrBlock *b, IrOpcode op,
                       IrType from, IrOperand a, IrType to, const char *name);
uint32_t ir_build_alloca(IrModule *m, IrFunc *f, IrBlock *b, uint64_t size,
                         uint64_t align, const char *name);
uint32_t ir_build_load(IrModule *m, IrFunc *f, IrBlock *b, IrType t,
                       IrOperand p, const char *name);
void ir_build_store(IrModule *m, IrBlock *b, IrType t, IrOperand v, IrOperand p);
uint32_t ir_build_ptradd(IrModule *m, IrFunc *f, IrBlock *b, IrOperand p,
                         IrOperand off, const char *name);
void ir_build_memcpy(IrModule *m, IrBlock *b, IrOperand dst, IrOperand src,
                     IrOperand n);
void ir_build_memset(IrModule *m, IrBlock *b, IrOperand dst, IrOperand byte,
                     IrOperand n);
/* Direct call: the result type is the callee's return type. */
uint32_t ir_build_call(IrModule *m, IrFunc *f, IrBlock *b, uint32_t callee_item,
                       uint32_t nargs, const IrOperand *args, const char *name);
uint32_t ir_build_call_ind(IrModule *m, IrFunc *f, IrBlock *b, IrOperand fp,
                           uint32_t nargs, const IrOperand *args, IrType ret,
                           const char *name);
void ir_build_br(IrModule *m, IrBlock *b, IrTarget t);
void ir_build_condbr(IrModule *m, IrBlock *b, IrOperand c, IrTarget t, IrTarget e);
void ir_build_switch(IrModule *m, IrBlock *b, IrType t, IrOperand v, IrTarget dflt,
                     uint32_t ncases, const uint64_t *keys, const IrTarget *targets);
void ir_build_ret(IrModule *m, IrBlock *b, const IrOperand *v); /* NULL: ret */
void ir_build_trap(IrModule *m, IrBlock *b, const char *reason, uint32_t len);
/* A target whose args are copied into the module's arena. */
IrTarget ir_target(IrModule *m, uint32_t block, uint32_t nargs,
                   const IrOperand *args);

/* ---- the other parts of ir/ ---- */

/* Readers only parse: each reports located errors to ctx and returns NULL
 * on malformed input, never reading past src->len. ir_read() picks the
 * form by magic and then verifies; tools and libyvm always use it. */
IrModule *ir_read_text(IrCtx *ctx, const IrSource *src);   /* read_text.c */
IrModule *ir_read_binary(IrCtx *ctx, const IrSource *src); /* binary_read.c */
bool ir_is_binary(const uint8_t *data, size_t len);        /* checks the magic */
IrModule *ir_read(IrCtx *ctx, const IrSource *src);        /* read.c */
/* Binary writer (binary_write.c): a malloc'd buffer of *len bytes. */
uint8_t *ir_write_binary(const IrModule *m, size_t *len);
/* Printer (print.c): canonical text into a malloc'd NUL-terminated buffer. */
char *ir_print_module(const IrModule *m, size_t *len);
/* Verifier (verify.c): reports every violation; true when valid. */
bool ir_verify(const IrModule *m);

#endif
