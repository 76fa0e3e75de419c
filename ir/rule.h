/* rule.h - rewrite rules (.yvmr): the parsed form, the reader, the
 * canonical printer and concrete evaluation.
 *
 * A rule rewrites a source pattern (straight-line integer IR whose last
 * instruction is the root) into a target computing the root's value. Its
 * inputs are values (%x) and symbolic constants (C, C1), typed by type
 * variables (T, U, ...) that range over the widths the rule claims; a
 * precondition restricts the constants (and may state facts about input
 * values). docs/rules.md is the reference for the language.
 *
 * Everything of a rule set lives in its arena; rule_set_free releases it.
 * The same structures serve the prover (prover.h), which proves a rule at
 * each width combination it claims, and the optimiser, which matches the
 * source, evaluates the precondition and target constants with
 * rule_eval_expr, and builds the target.
 */
#ifndef YVM_RULE_H
#define YVM_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

#define RULE_MAX_TYPEVARS 4
#define RULE_NO_TYPEVAR 0xff

/* The integer widths a rule may claim, as a bit mask: bit i is width
 * rule_width_list[i] (i1, i8, i16, i32, i64). */
enum { RULE_NWIDTHS = 5, RULE_ALL_WIDTHS = 0x1f };
extern const unsigned rule_width_list[RULE_NWIDTHS];
int rule_width_index(unsigned bits); /* -1 if not an integer width */

/* A type written in a rule: a type variable, or a concrete integer type. */
typedef struct RuleType {
    uint8_t var;  /* type variable index, or RULE_NO_TYPEVAR */
    uint8_t bits; /* the width when var == RULE_NO_TYPEVAR */
} RuleType;

/* ---- constant expressions and preconditions ---- */

typedef enum RuleExprKind {
    RX_LIT,    /* integer literal: neg, mag */
    RX_CONST,  /* symbolic constant: index into Rule.consts */
    RX_VALUE,  /* input value (preconditions only): index into Rule.values */
    RX_WIDTH,  /* bit width of `wtype` (width) or of the expression's type */
    RX_INTMIN, /* the signed minimum 100..0 of the expression's type */
    RX_INTMAX, /* the signed maximum 011..1 */
    RX_UNARY,  /* op: '-', '~', '!' */
    RX_BINARY, /* op: RuleBinop */
    RX_CALL,   /* fn: RuleFunc, args[0..nargs) */
} RuleExprKind;

typedef enum RuleBinop {
    RB_ADD, RB_SUB, RB_MUL, RB_AND, RB_OR, RB_XOR, RB_SHL,
    RB_EQ, RB_NE, RB_ULT, RB_ULE, RB_UGT, RB_UGE, RB_SLT, RB_SLE, RB_SGT, RB_SGE,
    RB_LAND, RB_LOR,
    RB_COUNT
} RuleBinop;

/* Functions of constant expressions; the first group yields a value of
 * the expression's type, the second a truth value. */
#define RULE_FUNCS(X) \
    X(UDIV, "udiv", 2, false) X(SDIV, "sdiv", 2, false) X(UREM, "urem", 2, false) \
    X(SREM, "srem", 2, false) X(LSHR, "lshr", 2, false) X(ASHR, "ashr", 2, false) \
    X(SHL, "shl", 2, false) X(LOG2, "log2", 1, false) X(ABS, "abs", 1, false)      \
    X(UMIN, "umin", 2, false) X(UMAX, "umax", 2, false) X(SMIN, "smin", 2, false)  \
    X(SMAX, "smax", 2, false) X(CTZ, "ctz", 1, false) X(CLZ, "clz", 1, false)      \
    X(POPCOUNT, "popcount", 1, false) X(ZEXT, "zext", 1, false)                    \
    X(SEXT, "sext", 1, false) X(TRUNC, "trunc", 1, false)                          \
    X(ISPOW2, "isPowerOf2", 1, true) X(ISPOW2Z, "isPowerOf2OrZero", 1, true)       \
    X(ISMASK, "isMask", 1, true) X(ISSHMASK, "isShiftedMask", 1, true)             \
    X(ADDNSW, "noSignedAddOverflow", 2, true)                                     \
    X(ADDNUW, "noUnsignedAddOverflow", 2, true)                                   \
    X(SUBNSW, "noSignedSubOverflow", 2, true)                                     \
    X(SUBNUW, "noUnsignedSubOverflow", 2, true)                                   \
    X(MULNSW, "noSignedMulOverflow", 2, true)                                     \
    X(MULNUW, "noUnsignedMulOverflow", 2, true)

typedef enum RuleFunc {
#define X(e, s, n, b) RF_##e,
    RULE_FUNCS(X)
#undef X
    RF_COUNT
} RuleFunc;

typedef struct RuleFuncInfo {
    const char *name;
    unsigned nargs;
    bool is_predicate; /* yields a truth value */
} RuleFuncInfo;
extern const RuleFuncInfo rule_func_info[RF_COUNT];

typedef struct RuleExpr RuleExpr;
struct RuleExpr {
    uint8_t kind;    /* RuleExprKind */
    uint8_t op;      /* RX_UNARY: '-' '~' '!'; RX_BINARY: RuleBinop; RX_CALL: RuleFunc */
    bool is_bool;    /* a truth value (precondition level) */
    bool neg;        /* RX_LIT: written with a minus sign */
    RuleType type;   /* value expressions: the type it is evaluated at */
    RuleType wtype;  /* RX_WIDTH with an argument: whose width */
    bool has_wtype;
    uint64_t mag;    /* RX_LIT: the magnitude */
    uint32_t index;  /* RX_CONST, RX_VALUE */
    const char *name; /* RX_CONST, RX_VALUE: as written (without '%') */
    unsigned nargs;
    RuleExpr *args[2];
    IrLoc loc;
};

/* ---- instructions ---- */

typedef enum RuleOpdKind { RO_VALUE, RO_EXPR } RuleOpdKind;

typedef struct RuleOperand {
    uint8_t kind;    /* RuleOpdKind */
    uint32_t value;  /* RO_VALUE: index into Rule.values */
    RuleExpr *expr;  /* RO_EXPR: a literal or constant (source), any
                        constant expression (target) */
    IrLoc loc;
} RuleOperand;

/* `%r = operand` in a target: the root becomes an existing value or a
 * constant. */
#define RULE_OP_COPY IR_OPCODE_COUNT

typedef struct RuleInst {
    uint16_t op;      /* IrOpcode (integer binary, icmp, select, zext, sext,
                         trunc) or RULE_OP_COPY */
    uint8_t cond;     /* icmp: IrICond */
    RuleType type;    /* the T written; conversions: the source type */
    RuleType type2;   /* conversions: the result type */
    RuleType rtype;   /* the result's type */
    uint32_t result;  /* index into Rule.values */
    unsigned nopd;
    RuleOperand opd[3];
    IrLoc loc;
} RuleInst;

/* ---- rules ---- */

typedef enum RuleValueKind { RV_INPUT, RV_SOURCE, RV_TARGET } RuleValueKind;

typedef struct RuleValue {
    const char *name;  /* without '%' */
    uint8_t kind;      /* RuleValueKind */
    RuleType type;
    uint32_t def;      /* RV_SOURCE / RV_TARGET: instruction index */
    IrLoc loc;         /* first appearance */
} RuleValue;

typedef struct RuleConst {
    const char *name;
    RuleType type;
    IrLoc loc;
} RuleConst;

typedef struct RuleTypeVar {
    const char *name;
    unsigned widths;   /* mask over rule_width_list */
    IrLoc loc;
} RuleTypeVar;

/* `where A < B`: a constraint between the widths of two types. */
typedef enum RuleWhereOp { RW_LT, RW_LE, RW_GT, RW_GE, RW_EQ, RW_NE } RuleWhereOp;
#define RULE_MAX_WHERES 8

typedef struct RuleWhere {
    RuleType a, b;
    uint8_t op;        /* RuleWhereOp */
    IrLoc loc;
} RuleWhere;

typedef struct Rule {
    const char *name;
    IrLoc loc;
    unsigned ntypevars;
    RuleTypeVar typevars[RULE_MAX_TYPEVARS];
    unsigned nwheres;
    RuleWhere wheres[RULE_MAX_WHERES];
    uint32_t nvalues, capvalues;
    RuleValue *values;
    uint32_t nconsts, capconsts;
    RuleConst *consts;
    RuleExpr *pre;          /* NULL: always */
    uint32_t nsrc, capsrc;
    RuleInst *src;          /* the source pattern; src[nsrc-1] is the root */
    uint32_t ntgt, captgt;
    RuleInst *tgt;          /* tgt[ntgt-1] defines the root again */
    uint32_t root;          /* value index of the root */
    /* The width combinations the rule claims: each is one width per type
     * variable, in declaration order (a single 0 when it has none). */
    uint32_t ncombos;
    uint8_t (*combos)[RULE_MAX_TYPEVARS];
} Rule;

typedef struct RuleSet {
    Arena arena;
    const IrSource *src;
    uint32_t nrules, caprules;
    Rule **rules;
} RuleSet;

/* Parse every rule of src. Errors are reported to ctx as
 * `file:line:col: error: ...`; NULL when there was any (nothing leaks).
 * src->data need not be NUL-terminated. The set keeps a pointer to src. */
RuleSet *rule_parse(IrCtx *ctx, const IrSource *src);
/* The same for the bytes [start, end) of src, numbered from `at` (for
 * rule items embedded in another file). */
RuleSet *rule_parse_range(IrCtx *ctx, const IrSource *src, size_t start,
                          size_t end, IrLoc at);
void rule_set_free(RuleSet *set);
Rule *rule_set_find(const RuleSet *set, const char *name);

/* Canonical text of one rule (re-parses to the same rule): malloc'd. */
char *rule_print(const Rule *r);
/* The same in the braced form `rule NAME {...}` of rule items in IR
 * modules (docs/rules.md "Rules in modules"): malloc'd. */
char *rule_print_item(const Rule *r);
/* Canonical text of one expression of r: malloc'd. */
char *rule_print_expr(const Rule *r, const RuleExpr *e);

/* The width of a rule type under a combination. */
unsigned rule_type_bits(const Rule *r, RuleType t, const uint8_t *combo);
/* "i8", or "i8/i32" for several type variables, into buf. */
const char *rule_combo_name(const Rule *r, const uint8_t *combo, char *buf,
                            size_t size);

/* ---- concrete evaluation (what the optimiser does at a match) ---- */

typedef struct RuleBinding {
    const uint8_t *combo;   /* widths of the type variables */
    const uint64_t *consts; /* value of each constant (low bits) */
    const uint64_t *values; /* value of each input value, or NULL */
} RuleBinding;

/* Evaluate a constant expression (result in the low bits, rest zero) or a
 * precondition (0 or 1). False when it is undefined (division by zero,
 * log2 of a non-power of two, a shift by the width or more, ...); the
 * precondition of an undefined && / || operand follows C's short circuit. */
bool rule_eval_expr(const Rule *r, const RuleExpr *e, const RuleBinding *b,
                    uint64_t *out);

#endif
