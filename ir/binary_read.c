/* binary_read.c - decodes the binary form `.yvmb` into a module.
 *
 * The layout is in docs/ir.md ("Binary form"), the shared constants in
 * binary.h. The reader trusts nothing: magic, version, section ids, order
 * and lengths, every LEB128 integer (overlong and overflowing forms are
 * errors), every index (string, item, value, block), every enumeration
 * (opcode, type, condition, operand, item and field kind, attribute bits),
 * and trailing bytes. It reports the first problem as
 * `file:byte N: error: message`, N being the offset of the offending byte,
 * and returns NULL. It never reads past src->len.
 *
 * It only decodes: whether the module makes sense (types agree, SSA,
 * terminators...) is ir_verify's business, which ir_read() runs next.
 *
 * Memory stays proportional to the input: a count is checked against the
 * bytes left in its section (each element takes at least a known number of
 * bytes) before anything is allocated for it, and each string is copied
 * into the module at most once however often it is referred to. That is
 * also why the nodes are made here directly rather than through the
 * builder's append functions: the counts are known up front, and names
 * must be shared, not duplicated per use. Everything lives in the module's
 * arena, so an error path frees it all with ir_module_free(). */
#include "binary.h"
#include "oblig.h"
#include "rule_item.h"
#include "ir.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry of the string table: where its bytes are in the input, and
 * its single copy in the module's arena once something refers to it. */
typedef struct BinStr {
    size_t off, len;
    const char *copy;     /* NUL-terminated copy, made on first use */
    signed char name_ok;  /* -1 not checked yet, 0 no, 1 yes */
} BinStr;

typedef struct Reader {
    IrCtx *ctx;
    const IrSource *src;
    const uint8_t *data;
    size_t len;          /* of the whole input */
    size_t pos;          /* the cursor */
    size_t end;          /* end of the current section (len in the header) */
    int section;         /* current section id; 0 while in the header */
    bool failed;         /* the first error has been reported */
    IrModule *m;
    BinStr *strs;
    uint32_t nstrs;
    uint32_t nitems;     /* declared item count: bound of symbol indices */
    uint32_t nvals;      /* of the function being read */
    uint32_t nblocks;    /* declared block count of that function */
} Reader;

static const char *section_name(int id)
{
    return id == YVMB_SEC_STRINGS ? "strings" : id == YVMB_SEC_ITEMS ? "items"
         : id == YVMB_SEC_RULES ? "rules" : id == YVMB_SEC_OBLIGS ? "obligations" : "?";
}

/* ---- errors ---- */

__attribute__((format(printf, 3, 4)))
static void fail(Reader *r, size_t off, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ir_error_at_byte(r->ctx, r->src, off, "%s", msg);
}

static void fail_end(Reader *r)
{
    if (r->section)
        fail(r, r->end, "unexpected end of section %d (%s)", r->section,
             section_name(r->section));
    else
        fail(r, r->end, "unexpected end of file");
}

/* A string for a message: printable ASCII as it is, the rest as \xHH,
 * cut after 40 bytes. */
static const char *quote(char *buf, size_t size, const uint8_t *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 8 < size; i++) {
        if (i == 40) {
            k += (size_t)snprintf(buf + k, size - k, "...");
            break;
        }
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'' && p[i] != '\\')
            buf[k++] = (char)p[i];
        else
            k += (size_t)snprintf(buf + k, size - k, "\\x%02x", p[i]);
    }
    buf[k] = 0;
    return buf;
}

/* ---- primitive reads: each returns false (and a zero value) after an
 * error, so callers may chain them and check r->failed once. ---- */

static bool rd_uleb(Reader *r, uint64_t *v)
{
    *v = 0;
    if (r->failed)
        return false;
    size_t used;
    switch (yvmb_get_uleb(r->data + r->pos, r->data + r->end, v, &used)) {
    case YVMB_LEB_OK:
        r->pos += used;
        return true;
    case YVMB_LEB_TRUNCATED:
        fail_end(r);
        break;
    case YVMB_LEB_OVERLONG:
        fail(r, r->pos + used, "overlong LEB128 integer");
        break;
    case YVMB_LEB_OVERFLOW:
        fail(r, r->pos + used, "LEB128 integer too large");
        break;
    }
    *v = 0;
    return false;
}

static bool rd_sleb(Reader *r, int64_t *v)
{
    *v = 0;
    if (r->failed)
        return false;
    size_t used;
    switch (yvmb_get_sleb(r->data + r->pos, r->data + r->end, v, &used)) {
    case YVMB_LEB_OK:
        r->pos += used;
        return true;
    case YVMB_LEB_TRUNCATED:
        fail_end(r);
        break;
    case YVMB_LEB_OVERLONG:
        fail(r, r->pos + used, "overlong LEB128 integer");
        break;
    case YVMB_LEB_OVERFLOW:
        fail(r, r->pos + used, "LEB128 integer too large");
        break;
    }
    *v = 0;
    return false;
}

/* A count of elements that take at least min_bytes each: checked against
 * the bytes left in the section before the caller allocates for it. */
static uint32_t rd_count(Reader *r, size_t min_bytes, const char *what)
{
    size_t off = r->pos;
    uint64_t n;
    if (!rd_uleb(r, &n))
        return 0;
    size_t left = r->end - r->pos;
    if (n > left / min_bytes || n >= IR_NONE) {
        fail(r, off, "%s count %" PRIu64 " is too large for the %zu bytes left",
             what, n, left);
        return 0;
    }
    return (uint32_t)n;
}

/* An index below `limit`; `what` names it, `of` says what holds them. */
static uint32_t rd_index(Reader *r, uint32_t limit, const char *what, const char *of)
{
    size_t off = r->pos;
    uint64_t i;
    if (!rd_uleb(r, &i))
        return 0;
    if (i >= limit) {
        fail(r, off, "%s %" PRIu64 " out of range (%s %" PRIu32 ")", what, i, of, limit);
        return 0;
    }
    return (uint32_t)i;
}

static uint8_t rd_type(Reader *r, bool allow_void, const char *what)
{
    size_t off = r->pos;
    uint64_t t;
    if (!rd_uleb(r, &t))
        return IR_VOID;
    if (t >= IR_TYPE_COUNT) {
        fail(r, off, "unknown type code %" PRIu64, t);
        return IR_VOID;
    }
    if (t == IR_VOID && !allow_void)
        fail(r, off, "type void is not allowed for %s", what);
    return (uint8_t)t;
}

/* A constant of type t (not void): see put_const in binary_write.c. */
static uint64_t rd_const(Reader *r, uint8_t t)
{
    if (r->failed)
        return 0;
    if (t == IR_F32 || t == IR_F64) {
        size_t n = t == IR_F32 ? 4 : 8;
        if (r->end - r->pos < n) {
            fail_end(r);
            return 0;
        }
        uint64_t bits = 0;
        for (size_t i = 0; i < n; i++)
            bits |= (uint64_t)r->data[r->pos + i] << (8 * i);
        r->pos += n;
        return bits;
    }
    size_t off = r->pos;
    int64_t v;
    if (!rd_sleb(r, &v))
        return 0;
    unsigned width = ir_type_bits((IrType)t);
    if (width < 64) {
        int64_t lo = -(INT64_C(1) << (width - 1)), hi = (INT64_C(1) << (width - 1)) - 1;
        if (v < lo || v > hi) {
            fail(r, off, "constant %" PRId64 " out of range for %s", v,
                 ir_type_name((IrType)t));
            return 0;
        }
    }
    return (uint64_t)v & ir_type_mask((IrType)t);
}

/* ---- strings ---- */

static BinStr *rd_string(Reader *r)
{
    uint32_t i = rd_index(r, r->nstrs, "string index", "the table has");
    return r->failed ? NULL : &r->strs[i];
}

static const char *str_copy(Reader *r, BinStr *s)
{
    if (!s->copy)
        s->copy = arena_strndup(&r->m->arena, (const char *)r->data + s->off, s->len);
    return s->copy;
}

/* Names as the text form writes them: an identifier or a decimal number. */
static bool valid_name(const uint8_t *p, size_t n)
{
    if (n == 0)
        return false;
    bool digits = true, ident = !(p[0] >= '0' && p[0] <= '9');
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     c == '_' || c == '.' || c == '$';
        bool digit = c >= '0' && c <= '9';
        digits = digits && digit;
        ident = ident && (alpha || digit);
    }
    return digits || ident;
}

/* A name that must be present (items) or may be absent (`optional`:
 * encoded as 0 = none, else string index + 1). */
static const char *rd_name_common(Reader *r, bool optional)
{
    size_t off = r->pos;
    uint64_t v;
    if (!rd_uleb(r, &v))
        return NULL;
    if (optional) {
        if (v == 0)
            return NULL;
        v--;
    }
    if (v >= r->nstrs) {
        fail(r, off, "string index %" PRIu64 " out of range (the table has %" PRIu32 ")",
             v, r->nstrs);
        return NULL;
    }
    BinStr *s = &r->strs[v];
    if (s->name_ok < 0)
        s->name_ok = valid_name(r->data + s->off, s->len);
    if (!s->name_ok) {
        char q[200];
        fail(r, off, "bad name '%s'", quote(q, sizeof q, r->data + s->off, s->len));
        return NULL;
    }
    return str_copy(r, s);
}

static const char *rd_name(Reader *r) { return rd_name_common(r, false); }
static const char *rd_opt_name(Reader *r) { return rd_name_common(r, true); }

/* ---- functions ---- */

static void rd_operand(Reader *r, IrOperand *o)
{
    size_t off = r->pos;
    uint64_t kind;
    if (!rd_uleb(r, &kind))
        return;
    if (kind > IR_OPD_CONST) {
        fail(r, off, "unknown operand kind %" PRIu64, kind);
        return;
    }
    o->kind = (uint8_t)kind;
    o->type = rd_type(r, false, "an operand");
    if (kind == IR_OPD_VALUE)
        o->index = rd_index(r, r->nvals, "value number", "the function has");
    else if (kind == IR_OPD_SYMBOL)
        o->index = rd_index(r, r->nitems, "item index", "the module has");
    else
        o->bits = rd_const(r, o->type);
}

static IrOperand *rd_operands(Reader *r, uint32_t *n)
{
    *n = rd_count(r, 3, "operand");
    if (*n == 0)
        return NULL;
    IrOperand *o = arena_alloc(&r->m->arena, sizeof *o * *n);
    for (uint32_t i = 0; i < *n && !r->failed; i++)
        rd_operand(r, &o[i]);
    return o;
}

static void rd_inst(Reader *r, IrInst *in)
{
    size_t off = r->pos;
    uint64_t op;
    in->result = IR_NONE;
    if (!rd_uleb(r, &op))
        return;
    if (op >= IR_OPCODE_COUNT) {
        fail(r, off, "unknown opcode %" PRIu64, op);
        return;
    }
    in->op = (uint16_t)op;
    IrForm form = ir_op_info[op].form;
    in->type = rd_type(r, form != IR_FORM_SWITCH, "a switch");
    if (form == IR_FORM_CONV)
        in->type2 = rd_type(r, true, "");
    if (form == IR_FORM_ICMP || form == IR_FORM_FCMP) {
        bool icmp = form == IR_FORM_ICMP;
        uint64_t c;
        off = r->pos;
        if (rd_uleb(r, &c) && c >= (uint64_t)(icmp ? IR_ICMP_COUNT : IR_FCMP_COUNT))
            fail(r, off, "unknown %s condition %" PRIu64, icmp ? "icmp" : "fcmp", c);
        in->cond = (uint8_t)c;
    }
    off = r->pos;
    uint64_t res;
    if (rd_uleb(r, &res) && res) {
        if (res - 1 >= r->nvals)
            fail(r, off, "value number %" PRIu64 " out of range (the function has %" PRIu32 ")",
                 res - 1, r->nvals);
        else
            in->result = (uint32_t)(res - 1);
    }
    in->opd = rd_operands(r, &in->nopd);
    off = r->pos;
    in->ntgt = rd_count(r, 2, "target");
    if (form == IR_FORM_SWITCH && in->ntgt == 0 && !r->failed) {
        fail(r, off, "switch without a default target");
        return;
    }
    if (in->ntgt) {
        in->tgt = arena_alloc(&r->m->arena, sizeof *in->tgt * in->ntgt);
        for (uint32_t i = 0; i < in->ntgt && !r->failed; i++) {
            in->tgt[i].block = rd_index(r, r->nblocks, "block number", "the function has");
            in->tgt[i].args = rd_operands(r, &in->tgt[i].nargs);
        }
    }
    if (form == IR_FORM_SWITCH && in->ntgt > 1 && !r->failed) {
        /* Keys take at least a byte each: check before allocating. */
        if (r->end - r->pos < in->ntgt - 1) {
            fail_end(r);
            return;
        }
        in->keys = arena_alloc(&r->m->arena, sizeof *in->keys * (in->ntgt - 1));
        for (uint32_t i = 0; i + 1 < in->ntgt && !r->failed; i++)
            in->keys[i] = rd_const(r, in->type);
    }
    if (form == IR_FORM_ALLOCA) {
        rd_uleb(r, &in->imm);
        rd_uleb(r, &in->imm2);
    }
    if (form == IR_FORM_TRAP) {
        off = r->pos;
        BinStr *s = rd_string(r);
        if (s && s->len >= UINT32_MAX)
            fail(r, off, "trap reason too long");
        else if (s) {
            in->str = str_copy(r, s);
            in->strlen = (uint32_t)s->len;
        }
    }
}

static void rd_block(Reader *r, IrBlock *b)
{
    b->name = rd_opt_name(r);
    b->nparams = rd_count(r, 1, "block parameter");
    if (b->nparams) {
        b->params = arena_alloc(&r->m->arena, sizeof *b->params * b->nparams);
        for (uint32_t i = 0; i < b->nparams && !r->failed; i++)
            b->params[i] = rd_index(r, r->nvals, "value number", "the function has");
    }
    uint32_t n = rd_count(r, 5, "instruction");
    if (n == 0)
        return;
    b->insts = arena_alloc(&r->m->arena, sizeof *b->insts * n);
    b->capinsts = n;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        b->ninsts = i + 1;
        rd_inst(r, &b->insts[i]);
    }
}

static void rd_body(Reader *r, IrFunc *f)
{
    Arena *a = &r->m->arena;
    r->nvals = rd_count(r, 2, "value");
    if (r->nvals) {
        f->vals = arena_alloc(a, sizeof *f->vals * r->nvals);
        f->capvals = r->nvals;
    }
    for (uint32_t i = 0; i < r->nvals && !r->failed; i++) {
        f->nvals = i + 1;
        f->vals[i].type = rd_type(r, false, "a value");
        f->vals[i].name = rd_opt_name(r);
    }
    if (f->nparams) {
        f->params = arena_alloc(a, sizeof *f->params * f->nparams);
        for (uint32_t i = 0; i < f->nparams && !r->failed; i++)
            f->params[i] = rd_index(r, r->nvals, "value number", "the function has");
    }
    r->nblocks = rd_count(r, 3, "block");
    if (r->nblocks) {
        f->blocks = arena_alloc(a, sizeof *f->blocks * r->nblocks);
        f->capblocks = r->nblocks;
    }
    for (uint32_t i = 0; i < r->nblocks && !r->failed; i++) {
        f->blocks[i] = arena_alloc(a, sizeof *f->blocks[i]);
        f->nblocks = i + 1;
        rd_block(r, f->blocks[i]);
    }
}

enum {
    KNOWN_ATTRS = IR_ATTR_EXPORT | IR_ATTR_UNSAFE | IR_ATTR_CT | IR_ATTR_NOINLINE |
                  IR_ATTR_DEADLINE | IR_ATTR_VARIADIC
};

static IrFunc *rd_func(Reader *r, bool is_extern)
{
    IrFunc *f = arena_alloc(&r->m->arena, sizeof *f);
    f->is_extern = is_extern;
    f->ret = (IrType)rd_type(r, true, "");
    size_t off = r->pos;
    uint64_t attrs;
    if (rd_uleb(r, &attrs) && (attrs & ~(uint64_t)KNOWN_ATTRS))
        fail(r, off, "unknown function attribute bits 0x%" PRIx64,
             attrs & ~(uint64_t)KNOWN_ATTRS);
    f->attrs = (unsigned)attrs;
    if (attrs & IR_ATTR_DEADLINE)
        rd_uleb(r, &f->deadline);
    f->target = rd_opt_name(r);
    f->nparams = rd_count(r, 1, "parameter");
    f->ptypes = arena_alloc(&r->m->arena, (size_t)f->nparams + 1);
    for (uint32_t i = 0; i < f->nparams && !r->failed; i++)
        f->ptypes[i] = rd_type(r, false, "a parameter");
    if (!is_extern)
        rd_body(r, f);
    return f;
}

/* ---- data ---- */

static IrData *rd_data(Reader *r, bool is_global)
{
    IrData *d = arena_alloc(&r->m->arena, sizeof *d);
    d->is_global = is_global;
    size_t off = r->pos;
    uint64_t form;
    if (rd_uleb(r, &form) && form > 1)
        fail(r, off, "bad data form %" PRIu64 " (expected 0 or 1)", form);
    d->brace_form = form == 1;
    uint32_t n = rd_count(r, 2, "field");
    if (n) {
        d->fields = arena_alloc(&r->m->arena, sizeof *d->fields * n);
        d->capfields = n;
    }
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        IrField *f = &d->fields[i];
        d->nfields = i + 1;
        off = r->pos;
        uint64_t kind;
        if (!rd_uleb(r, &kind))
            break;
        f->kind = (IrFieldKind)kind;
        switch (kind) {
        case IR_FIELD_BYTES: {
            BinStr *s = rd_string(r);
            if (s) {
                f->bytes = (const uint8_t *)str_copy(r, s);
                f->len = s->len;
            }
            break;
        }
        case IR_FIELD_CONST:
            f->type = rd_type(r, false, "a constant");
            f->bits = rd_const(r, f->type);
            break;
        case IR_FIELD_SYMREF:
            f->type = IR_PTR;
            f->sym = rd_index(r, r->nitems, "item index", "the module has");
            break;
        case IR_FIELD_ZERO:
            rd_uleb(r, &f->len);
            break;
        default:
            fail(r, off, "unknown data field kind %" PRIu64, kind);
        }
    }
    return d;
}

/* ---- sections ---- */

static bool begin_section(Reader *r, int id)
{
    if (r->failed)
        return false;
    r->section = 0;
    r->end = r->len;
    if (r->pos == r->len) {
        fail(r, r->pos, "missing section %d (%s)", id, section_name(id));
        return false;
    }
    size_t off = r->pos;
    uint64_t v;
    if (!rd_uleb(r, &v))
        return false;
    if (v != (uint64_t)id) {
        fail(r, off, "expected section %d (%s), found section id %" PRIu64, id,
             section_name(id), v);
        return false;
    }
    off = r->pos;
    if (!rd_uleb(r, &v))
        return false;
    if (v > r->len - r->pos) {
        fail(r, off, "section %d (%s) length %" PRIu64 " exceeds the %zu bytes left",
             id, section_name(id), v, r->len - r->pos);
        return false;
    }
    r->end = r->pos + (size_t)v;
    r->section = id;
    return true;
}

static void end_section(Reader *r)
{
    if (!r->failed && r->pos != r->end)
        fail(r, r->pos, "unused bytes at the end of section %d (%s)", r->section,
             section_name(r->section));
}

static void rd_strings(Reader *r)
{
    if (!begin_section(r, YVMB_SEC_STRINGS))
        return;
    r->nstrs = rd_count(r, 1, "string");
    if (r->nstrs)
        r->strs = arena_alloc(&r->m->arena, sizeof *r->strs * r->nstrs);
    for (uint32_t i = 0; i < r->nstrs && !r->failed; i++) {
        size_t off = r->pos;
        uint64_t n;
        if (!rd_uleb(r, &n))
            break;
        if (n > r->end - r->pos) {
            fail(r, off, "string length %" PRIu64 " exceeds the %zu bytes left",
                 n, r->end - r->pos);
            break;
        }
        r->strs[i] = (BinStr){.off = r->pos, .len = (size_t)n, .name_ok = -1};
        r->pos += (size_t)n;
    }
    end_section(r);
}

static void rd_items(Reader *r)
{
    if (!begin_section(r, YVMB_SEC_ITEMS))
        return;
    IrModule *m = r->m;
    size_t off = r->pos;
    uint64_t v;
    if (rd_uleb(r, &v) && v) {
        if (v - 1 >= r->nstrs)
            fail(r, off, "string index %" PRIu64 " out of range (the table has %" PRIu32 ")",
                 v - 1, r->nstrs);
        else if (memchr(r->data + r->strs[v - 1].off, 0, r->strs[v - 1].len))
            fail(r, off, "module name contains a NUL byte");
        else
            m->name = str_copy(r, &r->strs[v - 1]);
    }
    r->nitems = rd_count(r, 4, "item");
    if (r->nitems) {
        m->items = arena_alloc(&m->arena, sizeof *m->items * r->nitems);
        m->capitems = r->nitems;
    }
    for (uint32_t i = 0; i < r->nitems && !r->failed; i++) {
        off = r->pos;
        uint64_t kind;
        if (!rd_uleb(r, &kind))
            break;
        if (kind >= YVMB_ITEM_KIND_COUNT) {
            fail(r, off, "unknown item kind %" PRIu64, kind);
            break;
        }
        IrItem *it = &m->items[i];
        m->nitems = i + 1;
        it->name = rd_name(r);
        if (kind == YVMB_ITEM_FUNC || kind == YVMB_ITEM_EXTERN) {
            it->kind = IR_ITEM_FUNC;
            it->func = rd_func(r, kind == YVMB_ITEM_EXTERN);
        } else {
            it->kind = IR_ITEM_DATA;
            it->data = rd_data(r, kind == YVMB_ITEM_GLOBAL);
        }
        if (!it->name)
            it->name = ""; /* after an error: keep the module freeable */
    }
    end_section(r);
}

/* Version 2: at least one rule, each as its text in the rule language,
 * read (and so checked) like a text `rule` item. */
static void rd_rules(Reader *r)
{
    if (!begin_section(r, YVMB_SEC_RULES))
        return;
    size_t off = r->pos;
    uint32_t n = rd_count(r, 1, "rule");
    if (!r->failed && n == 0)
        fail(r, off, "a version 2 module has at least one rule");
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        off = r->pos;
        uint64_t len;
        if (!rd_uleb(r, &len))
            break;
        if (len > r->end - r->pos) {
            fail(r, off, "rule length %" PRIu64 " exceeds the %zu bytes left", len,
                 r->end - r->pos);
            break;
        }
        IrLoc loc;
        char *err;
        if (!ir_rule_item_read(r->m, r->src, r->pos, r->pos + (size_t)len, (IrLoc){1, 1},
                               &loc, &err)) {
            fail(r, r->pos, "malformed rule (line %u, column %u of its text): %s", loc.line,
                 loc.col, err ? err : "out of memory");
            free(err);
            break;
        }
        /* Canonical: the text must be exactly what the writer writes. */
        const IrRule *it = &r->m->rules[r->m->nrules - 1];
        if (it->len != len || memcmp(it->text, r->data + r->pos, (size_t)len) != 0) {
            fail(r, r->pos, "rule '%s' is not in canonical form", it->name);
            break;
        }
        r->m->rules[r->m->nrules - 1].loc = (IrLoc){0, 0};
        r->pos += (size_t)len;
    }
    end_section(r);
}

/* Version 3: at least one proof obligation, by item, value and block
 * numbers; every number is checked against the function it names. */
static void rd_obligs(Reader *r)
{
    if (!begin_section(r, YVMB_SEC_OBLIGS))
        return;
    size_t off = r->pos;
    uint32_t n = rd_count(r, 4, "obligation");
    if (!r->failed && n == 0)
        fail(r, off, "a version 3 module has at least one obligation");
    IrFact *facts = NULL;
    for (uint32_t i = 0; i < n && !r->failed; i++) {
        off = r->pos;
        uint32_t item = rd_index(r, r->m->nitems, "item index", "the module has");
        if (r->failed)
            break;
        const IrItem *it = &r->m->items[item];
        if (it->kind != IR_ITEM_FUNC || it->func->is_extern) {
            fail(r, off, "obligation for item %" PRIu32 ", which is not a function with a body",
                 item);
            break;
        }
        const IrFunc *f = it->func;
        uint32_t value = rd_index(r, f->nvals, "value number", "the function has");
        off = r->pos;
        uint64_t op;
        if (!rd_uleb(r, &op))
            break;
        if (op > UINT16_MAX || !ir_oblig_op_ok((unsigned)op)) {
            fail(r, off, "opcode %" PRIu64 " is not checked arithmetic or a claim", op);
            break;
        }
        uint32_t nf = rd_count(r, 2, "fact");
        free(facts);
        facts = r->failed ? NULL : calloc(nf + 1, sizeof *facts);
        if (!r->failed && !facts) {
            fail(r, off, "out of memory");
            break;
        }
        for (uint32_t k = 0; k < nf && !r->failed; k++) {
            off = r->pos;
            uint64_t kind;
            if (!rd_uleb(r, &kind))
                break;
            facts[k].kind = (uint8_t)kind;
            if (kind == IR_FACT_EDGE) {
                facts[k].a = rd_index(r, f->nblocks, "block number", "the function has");
                facts[k].b = rd_index(r, f->nblocks, "block number", "the function has");
            } else if (kind == IR_FACT_DEF || kind == IR_FACT_NONNEG) {
                facts[k].a = rd_index(r, f->nvals, "value number", "the function has");
            } else {
                fail(r, off, "unknown fact kind %" PRIu64, kind);
            }
        }
        if (!r->failed)
            ir_module_add_oblig(r->m, item, value, (unsigned)op, nf, facts);
    }
    free(facts);
    end_section(r);
}

bool ir_is_binary(const uint8_t *data, size_t len)
{
    /* The first byte decides: no text file starts with DEL. The rest of
     * the magic is checked by the reader, with a located error. */
    return len >= 1 && data[0] == (uint8_t)YVMB_MAGIC[0];
}

IrModule *ir_read_binary(IrCtx *ctx, const IrSource *src)
{
    Reader r = {.ctx = ctx, .src = src, .data = src->data, .len = src->len,
                .end = src->len};
    for (size_t i = 0; i < YVMB_MAGIC_LEN; i++) {
        if (i >= r.len) {
            fail(&r, r.len, "unexpected end of file");
            return NULL;
        }
        if (r.data[i] != (uint8_t)YVMB_MAGIC[i]) {
            fail(&r, i, "bad magic (not a yvm binary module)");
            return NULL;
        }
    }
    r.pos = YVMB_MAGIC_LEN;
    uint64_t version;
    if (!rd_uleb(&r, &version))
        return NULL;
    if (version != YVMB_VERSION && version != YVMB_VERSION_RULES &&
        version != YVMB_VERSION_OBLIGS) {
        fail(&r, YVMB_MAGIC_LEN,
             "unsupported version %" PRIu64 " (this reader reads %d to %d)", version,
             YVMB_VERSION, YVMB_VERSION_OBLIGS);
        return NULL;
    }

    r.m = ir_module_new(ctx, NULL);
    r.m->src = src;
    rd_strings(&r);
    rd_items(&r);
    if (version == YVMB_VERSION_RULES ||
        (version == YVMB_VERSION_OBLIGS && !r.failed && r.pos < r.len &&
         r.data[r.pos] == YVMB_SEC_RULES))
        rd_rules(&r);
    if (version == YVMB_VERSION_OBLIGS)
        rd_obligs(&r);
    if (!r.failed && r.pos != r.len)
        fail(&r, r.pos, "trailing bytes after the last section");
    if (r.failed) {
        ir_module_free(r.m);
        return NULL;
    }
    return r.m;
}
