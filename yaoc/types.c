/* types.c - Yao types: interning, facts, memory layout and names; and
 * the small shared utilities of the front end (symbol tables, strings,
 * edit distance, error reporting).
 *
 * Types are interned, so two types are equal exactly when their pointers
 * are: primitives are made once per compiler, composite types are looked
 * up in one chain before a new one is made. Structs are nominal. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "yao.h"

/* ---- facts ---- */

bool type_is_int(const Type *t)
{
    return t->kind >= TY_I8 && t->kind <= TY_U64;
}

bool type_is_signed(const Type *t)
{
    return t->kind >= TY_I8 && t->kind <= TY_I64;
}

bool type_is_float(const Type *t)
{
    return t->kind == TY_F32 || t->kind == TY_F64;
}

bool type_is_numeric(const Type *t)
{
    return type_is_int(t) || type_is_float(t);
}

bool type_is_aggregate(const Type *t)
{
    return t->kind == TY_ARRAY || t->kind == TY_STRUCT;
}

unsigned type_bits(const Type *t)
{
    switch (t->kind) {
    case TY_I8: case TY_U8: return 8;
    case TY_I16: case TY_U16: return 16;
    case TY_I32: case TY_U32: case TY_F32: return 32;
    case TY_I64: case TY_U64: case TY_F64: return 64;
    case TY_BOOL: return 1;
    default: return 64;
    }
}

IrType type_ir(const Type *t)
{
    switch (t->kind) {
    case TY_BOOL: return IR_I1;
    case TY_I8: case TY_U8: return IR_I8;
    case TY_I16: case TY_U16: return IR_I16;
    case TY_I32: case TY_U32: return IR_I32;
    case TY_I64: case TY_U64: case TY_INTLIT: return IR_I64;
    case TY_F32: return IR_F32;
    case TY_F64: case TY_FLOATLIT: return IR_F64;
    case TY_VOID: return IR_VOID;
    default: return IR_PTR;
    }
}

uint64_t type_size(const Type *t)
{
    switch (t->kind) {
    case TY_BOOL: case TY_I8: case TY_U8: return 1;
    case TY_I16: case TY_U16: return 2;
    case TY_I32: case TY_U32: case TY_F32: return 4;
    case TY_I64: case TY_U64: case TY_F64: return 8;
    case TY_STR: case TY_SLICE: case TY_HEAP: return 16;
    case TY_ARRAY: return type_size(t->elem) * (uint64_t)t->len;
    case TY_STRUCT: return t->sd->size;
    default: return 8;
    }
}

uint64_t type_align(const Type *t)
{
    switch (t->kind) {
    case TY_ARRAY: return type_align(t->elem);
    case TY_STRUCT: return t->sd->align ? t->sd->align : 1;
    case TY_STR: case TY_SLICE: case TY_HEAP: return 8;
    default: return type_size(t) ? type_size(t) : 1;
    }
}

unsigned type_ncomp(const Type *t)
{
    switch (t->kind) {
    case TY_VOID: return 0;
    case TY_STR: case TY_SLICE: case TY_HEAP: return 2;
    default: return 1;
    }
}

bool type_has_refs(const Type *t)
{
    switch (t->kind) {
    case TY_STR: case TY_SLICE: case TY_HEAP: return true;
    case TY_ARRAY: case TY_ERRUNION: return type_has_refs(t->elem);
    case TY_STRUCT:
        for (uint32_t i = 0; i < t->sd->fields.n; i++)
            if (t->sd->fields.v[i].type && type_has_refs(t->sd->fields.v[i].type))
                return true;
        return false;
    default: return false;
    }
}

/* ---- interning ---- */

Type *type_prim(Compiler *c, TypeKind k)
{
    if (!c->prims[k]) {
        Type *t = arena_alloc(&c->arena, sizeof *t);
        t->kind = k;
        c->prims[k] = t;
    }
    return c->prims[k];
}

static Type *intern(Compiler *c, TypeKind k, Type *elem, int64_t len, bool mut,
                    StructDecl *sd)
{
    for (Type *t = c->interned; t; t = t->next)
        if (t->kind == k && t->elem == elem && t->len == len && t->mut == mut && t->sd == sd)
            return t;
    Type *t = arena_alloc(&c->arena, sizeof *t);
    t->kind = k;
    t->elem = elem;
    t->len = len;
    t->mut = mut;
    t->sd = sd;
    t->next = c->interned;
    c->interned = t;
    return t;
}

Type *type_array(Compiler *c, Type *elem, int64_t len)
{
    return intern(c, TY_ARRAY, elem, len, false, NULL);
}

Type *type_slice(Compiler *c, Type *elem, bool mut)
{
    return intern(c, TY_SLICE, elem, 0, mut, NULL);
}

Type *type_heap(Compiler *c, Type *elem)
{
    return intern(c, TY_HEAP, elem, 0, false, NULL);
}

Type *type_errunion(Compiler *c, Type *elem)
{
    return intern(c, TY_ERRUNION, elem, 0, false, NULL);
}

Type *type_struct(Compiler *c, StructDecl *sd)
{
    if (!sd->type)
        sd->type = intern(c, TY_STRUCT, NULL, 0, false, sd);
    return sd->type;
}

/* ---- names ---- */

static const char *const prim_names[TY_COUNT] = {
    [TY_ERROR] = "<error>", [TY_VOID] = "void", [TY_BOOL] = "bool",
    [TY_I8] = "i8", [TY_I16] = "i16", [TY_I32] = "i32", [TY_I64] = "i64",
    [TY_U8] = "u8", [TY_U16] = "u16", [TY_U32] = "u32", [TY_U64] = "u64",
    [TY_F32] = "f32", [TY_F64] = "f64", [TY_STR] = "str",
    [TY_INTLIT] = "integer literal", [TY_FLOATLIT] = "float literal",
};

static size_t put_name(const Type *t, char *buf, size_t n, size_t at)
{
    if (at >= n)
        return at;
    switch (t->kind) {
    case TY_ARRAY:
        at += (size_t)snprintf(buf + at, n - at, "[");
        at = put_name(t->elem, buf, n, at);
        if (at < n)
            at += (size_t)snprintf(buf + at, n - at, "; %lld]", (long long)t->len);
        return at;
    case TY_SLICE:
        at += (size_t)snprintf(buf + at, n - at, t->mut ? "[]mut " : "[]");
        return put_name(t->elem, buf, n, at);
    case TY_HEAP:
        at += (size_t)snprintf(buf + at, n - at, "alloc [");
        at = put_name(t->elem, buf, n, at);
        if (at < n)
            at += (size_t)snprintf(buf + at, n - at, "]");
        return at;
    case TY_ERRUNION:
        at += (size_t)snprintf(buf + at, n - at, "!");
        return put_name(t->elem, buf, n, at);
    case TY_STRUCT:
        return at + (size_t)snprintf(buf + at, n - at, "%s", t->sd->name);
    default:
        return at + (size_t)snprintf(buf + at, n - at, "%s", prim_names[t->kind]);
    }
}

const char *type_name(const Type *t, char *buf, size_t n)
{
    buf[0] = 0;
    put_name(t, buf, n, 0);
    return buf;
}

const char *op_text(Op op)
{
    switch (op) {
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_REM: return "%";
    case OP_ADDW: return "+%";
    case OP_SUBW: return "-%";
    case OP_MULW: return "*%";
    case OP_SHL: return "<<";
    case OP_SHR: return ">>";
    case OP_AND: return "&";
    case OP_OR: return "|";
    case OP_XOR: return "^";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_ANDAND: return "&&";
    case OP_OROR: return "||";
    case OP_NEG: return "-";
    case OP_NOT: return "!";
    case OP_BITNOT: return "~";
    default: return "=";
    }
}

/* ---- symbol tables ---- */

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

Sym *symtab_get(const SymTab *t, const char *name)
{
    if (!t->cap)
        return NULL;
    for (uint32_t i = str_hash(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->keys[i])
            return NULL;
        if (strcmp(t->keys[i], name) == 0)
            return &t->vals[i];
    }
}

void symtab_put(Arena *a, SymTab *t, const char *name, Sym s)
{
    if (2 * (t->n + 1) > t->cap) {
        SymTab nt = {.cap = t->cap ? t->cap * 2 : 16};
        nt.keys = arena_alloc(a, sizeof *nt.keys * nt.cap);
        nt.vals = arena_alloc(a, sizeof *nt.vals * nt.cap);
        for (uint32_t i = 0; i < t->cap; i++)
            if (t->keys[i])
                symtab_put(a, &nt, t->keys[i], t->vals[i]);
        *t = nt;
    }
    uint32_t i = str_hash(name) & (t->cap - 1);
    while (t->keys[i] && strcmp(t->keys[i], name) != 0)
        i = (i + 1) & (t->cap - 1);
    if (!t->keys[i])
        t->n++;
    t->keys[i] = name;
    t->vals[i] = s;
}

/* ---- small utilities ---- */

const char *cstrdup(Compiler *c, const char *s)
{
    return arena_strdup(&c->arena, s);
}

const char *cstrndup(Compiler *c, const char *s, size_t n)
{
    return arena_strndup(&c->arena, s, n);
}

void yao_error(Compiler *c, const Module *m, IrLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ir_verror(c->ctx, m ? &m->src : NULL, loc, fmt, ap);
    va_end(ap);
}

unsigned edit_distance(const char *a, const char *b, unsigned cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    unsigned row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0], best = (unsigned)i;
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned sub = diag + (a[i - 1] != b[j - 1]);
            unsigned v = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < v ? sub : v;
            diag = up;
            if (row[j] < best)
                best = row[j];
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb];
}
