/* irgen.c - a random valid Yvm IR program, for differential testing.
 *
 *   irgen SEED [--size N]
 *
 * prints one module to stdout, the same for the same SEED and N on every
 * machine (its own PRNG, never rand()). The module has several functions
 * of random signatures (some with more integer and float parameters than
 * any ABI passes in registers) doing integer and float arithmetic,
 * division and checked arithmetic, shifts, comparisons, selects,
 * conversions, bounded loops with block arguments, diamonds, switches,
 * direct and indirect calls to earlier functions (so every run ends),
 * loads and stores on allocas and globals, and blocks of many values live
 * at once (register pressure). Every operation that could trap is guarded
 * so that it cannot, except in about a third of the programs, where a few
 * are left unguarded on purpose: a trap must then happen at the same
 * point with the same output in every engine.
 *
 * @main calls every function with constant arguments and prints each
 * result as hex bits (floats through bitcast, so printf's float formatting
 * plays no part), then a digest of every value each function computed
 * (kept in @sink), and returns a status derived from them.
 *
 * The generator is a tree walk that keeps a pool of the SSA values that
 * dominate the current point: values made inside a branch or a loop body
 * leave the pool when that region ends and only flow out through block
 * arguments, so every module verifies by construction
 * (testsuite/suites/46-diff.sh checks that, too).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum Ty { T_I1, T_I8, T_I16, T_I32, T_I64, T_F32, T_F64, T_PTR, T_COUNT } Ty;

static const char *const ty_name[T_COUNT] = {
    "i1", "i8", "i16", "i32", "i64", "f32", "f64", "ptr"
};
static const int ty_bits[T_COUNT] = { 1, 8, 16, 32, 64, 32, 64, 64 };
static const int ty_bytes[T_COUNT] = { 1, 1, 2, 4, 8, 4, 8, 8 };

static int is_int(Ty t) { return t <= T_I64; }
static int is_float(Ty t) { return t == T_F32 || t == T_F64; }

/* ---- PRNG: splitmix64 ---- */

typedef struct Rng {
    uint64_t state;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned rng_below(Rng *r, unsigned n)
{
    return n ? (unsigned)(rng_next(r) % n) : 0;
}

/* True with probability PERMILLE / 1000. */
static int rng_chance(Rng *r, unsigned permille)
{
    return rng_below(r, 1000) < permille;
}

/* ---- output buffer ---- */

typedef struct Buf {
    char *data;
    size_t len, cap;
} Buf;

static void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void buf_printf(Buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            fputs("irgen: out of memory\n", stderr);
            exit(1);
        }
        b->data = p;
        b->cap = cap;
    }
}

/* ---- generator state ---- */

enum {
    MAX_FUNCS = 64,
    MAX_PARAMS = 24,
    MAX_POOL = 4096,
    MAX_DEPTH = 3,
    PTR_PARAM_BYTES = 64,   /* a ptr parameter points at >= this many writable bytes */
    SINK_SLOTS = MAX_FUNCS,
};

/* A value that dominates the current point. Memory pointers carry what is
 * known of their object: AVAIL bytes from the pointer to the object's
 * end, and whether it may be written. */
typedef struct Val {
    int id;             /* %vID, or -1 for a symbol */
    const char *sym;    /* "@g0" when id < 0 */
    Ty ty;
    int avail;
    int writable;
} Val;

typedef struct Func {
    Ty ret;
    int nparams;
    Ty params[MAX_PARAMS];
    long cost;          /* estimated instructions one call executes */
} Func;

typedef struct Gen {
    Rng rng;
    Buf out;
    Val pool[MAX_POOL];
    int npool;
    int next_id, next_block;
    Func funcs[MAX_FUNCS];
    int nfuncs, cur;
    long cost, mult, budget;
    int depth, loops;
    unsigned danger;    /* permille of trapping operations left unguarded */
    int size;
    int pslot;          /* %v of the current function's pointer slot */
    Buf fmts;           /* data items of the printf formats */
    int nfmts;
} Gen;

/* Operand text: a small ring of buffers, each valid until reused. */
static char *opbuf(void)
{
    static char ring[32][64];
    static unsigned next;
    return ring[next++ % 32];
}

static const char *val_text(const Val *v)
{
    if (v->id < 0)
        return v->sym;
    char *s = opbuf();
    snprintf(s, 64, "%%v%d", v->id);
    return s;
}

static void emit(Gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(Gen *g, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    buf_printf(&g->out, "  %s\n", line);
    g->cost += g->mult;
}

static int add_val(Gen *g, Ty t)
{
    int id = g->next_id++;
    if (g->npool < MAX_POOL) {
        Val *v = &g->pool[g->npool++];
        memset(v, 0, sizeof *v);
        v->id = id;
        v->ty = t;
        v->avail = -1;
    }
    return id;
}

static int add_ptr(Gen *g, int avail, int writable)
{
    int id = add_val(g, T_PTR);
    if (g->pool[g->npool - 1].id == id) {
        g->pool[g->npool - 1].avail = avail;
        g->pool[g->npool - 1].writable = writable;
    }
    return id;
}

static char *vname(int id)
{
    char *s = opbuf();
    snprintf(s, 64, "%%v%d", id);
    return s;
}

/* ---- constants ---- */

static int64_t sext_bits(uint64_t x, int bits)
{
    if (bits >= 64)
        return (int64_t)x;
    uint64_t m = 1ULL << (bits - 1);
    x &= (1ULL << bits) - 1;
    return (int64_t)((x ^ m) - m);
}

static uint64_t rand_int_bits(Gen *g, Ty t)
{
    int bits = ty_bits[t];
    uint64_t x;
    switch (rng_below(&g->rng, 10)) {
    case 0: x = 0; break;
    case 1: x = 1; break;
    case 2: x = UINT64_MAX; break;
    case 3: x = 1ULL << (bits - 1); break;            /* MIN */
    case 4: x = (1ULL << (bits - 1)) - 1; break;      /* MAX */
    case 5: case 6: x = rng_below(&g->rng, 200); break;
    case 7: x = (uint64_t)-(int64_t)rng_below(&g->rng, 200); break;
    default: x = rng_next(&g->rng); break;
    }
    return x;
}

static const char *int_const(Gen *g, Ty t, uint64_t x)
{
    (void)g;
    char *s = opbuf();
    if (t == T_I1)
        snprintf(s, 64, "%d", (int)(x & 1));
    else
        snprintf(s, 64, "%" PRId64, sext_bits(x, ty_bits[t]));
    return s;
}

static uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static const char *float_const_of(Ty t, double d)
{
    char *s = opbuf();
    if (t == T_F32)
        snprintf(s, 64, "0x%08" PRIx32, f32_bits((float)d));
    else
        snprintf(s, 64, "0x%016" PRIx64, f64_bits(d));
    return s;
}

static const char *rand_float_const(Gen *g, Ty t)
{
    static const double special[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e300, -1e-300, 4.9406564584124654e-324,
        1.0 / 0.0, -1.0 / 0.0, 2147483648.0, -2147483649.0, 9.2233720368547758e18,
        65535.75, -128.5, 1e-40,
    };
    unsigned k = rng_below(&g->rng, 12);
    if (k == 0) {
        char *s = opbuf();      /* any bits: NaNs with payloads, subnormals */
        if (t == T_F32)
            snprintf(s, 64, "0x%08" PRIx32, (uint32_t)rng_next(&g->rng));
        else
            snprintf(s, 64, "0x%016" PRIx64, rng_next(&g->rng));
        return s;
    }
    if (k == 1) {
        char *s = opbuf();
        snprintf(s, 64, "%s", t == T_F32 ? "0x7fc00000" : "0x7ff8000000000000");
        return s;
    }
    if (k < 5)
        return float_const_of(t, special[rng_below(&g->rng, sizeof special / sizeof special[0])]);
    /* a moderate value: m * 2^e */
    double m = (double)(int64_t)(rng_next(&g->rng) >> 40) / (double)(1 << 20) - 8.0;
    int e = (int)rng_below(&g->rng, 40) - 20;
    double d = m;
    for (; e > 0; e--)
        d *= 2;
    for (; e < 0; e++)
        d /= 2;
    return float_const_of(t, d);
}

static const char *rand_const(Gen *g, Ty t)
{
    if (is_float(t))
        return rand_float_const(g, t);
    return int_const(g, t, rand_int_bits(g, t));
}

/* ---- picking operands ---- */

/* The index in the pool of a value of type T, recent ones preferred;
 * -1 if there is none. */
static int find_val(Gen *g, Ty t, int need_mem, int need_write)
{
    int idx[MAX_POOL];
    int n = 0;
    for (int i = 0; i < g->npool; i++) {
        const Val *v = &g->pool[i];
        if (v->ty != t)
            continue;
        if (need_mem && v->avail < need_mem)
            continue;
        if (need_write && !v->writable)
            continue;
        idx[n++] = i;
    }
    if (n == 0)
        return -1;
    if (rng_chance(&g->rng, 500) && n > 6)
        return idx[n - 1 - (int)rng_below(&g->rng, 6)];
    return idx[rng_below(&g->rng, (unsigned)n)];
}

static const char *pick(Gen *g, Ty t);

/* Converts pool value V to type T (different), returning the new id. */
static int convert(Gen *g, const Val *v, Ty t)
{
    char src[64];
    snprintf(src, sizeof src, "%s", val_text(v));
    Ty s = v->ty;
    if (is_int(s) && is_int(t)) {
        const char *op = ty_bits[s] < ty_bits[t]
            ? (rng_chance(&g->rng, 500) ? "zext" : "sext") : "trunc";
        int id = add_val(g, t);
        emit(g, "%s = %s %s %s to %s", vname(id), op, ty_name[s], src, ty_name[t]);
        return id;
    }
    if (is_int(s) && is_float(t)) {
        if (ty_bits[s] == ty_bits[t] && rng_chance(&g->rng, 300)) {
            int id = add_val(g, t);
            emit(g, "%s = bitcast %s %s to %s", vname(id), ty_name[s], src, ty_name[t]);
            return id;
        }
        int id = add_val(g, t);
        emit(g, "%s = %s %s %s to %s", vname(id), rng_chance(&g->rng, 500) ? "sitofp" : "uitofp",
             ty_name[s], src, ty_name[t]);
        return id;
    }
    if (is_float(s) && is_float(t)) {
        int id = add_val(g, t);
        emit(g, "%s = %s %s %s to %s", vname(id), s == T_F32 ? "fpext" : "fptrunc",
             ty_name[s], src, ty_name[t]);
        return id;
    }
    /* float to int: through the same-size integer */
    Ty mid = s == T_F32 ? T_I32 : T_I64;
    int m = add_val(g, mid);
    emit(g, "%s = bitcast %s %s to %s", vname(m), ty_name[s], src, ty_name[mid]);
    if (mid == t)
        return m;
    Val mv = { .id = m, .ty = mid, .avail = -1 };
    return convert(g, &mv, t);
}

/* An operand of type T (not ptr): a pool value, a conversion of one, or a
 * constant. */
static const char *pick(Gen *g, Ty t)
{
    unsigned r = rng_below(&g->rng, 100);
    if (r < 80) {
        int i = find_val(g, t, 0, 0);
        if (i >= 0)
            return val_text(&g->pool[i]);
    }
    if (r < 92 && g->npool > 0) {
        for (int tries = 0; tries < 4; tries++) {
            const Val *v = &g->pool[rng_below(&g->rng, (unsigned)g->npool)];
            if (v->ty == T_PTR || v->ty == t)
                continue;
            Val copy = *v;
            return vname(convert(g, &copy, t));
        }
    }
    return rand_const(g, t);
}

/* A pool value (never a constant) of type T, made by conversion if need be. */
static const char *pick_val(Gen *g, Ty t)
{
    int i = find_val(g, t, 0, 0);
    if (i >= 0 && rng_chance(&g->rng, 800))
        return val_text(&g->pool[i]);
    for (int tries = 0; tries < 8 && g->npool > 0; tries++) {
        const Val *v = &g->pool[rng_below(&g->rng, (unsigned)g->npool)];
        if (v->ty == T_PTR)
            continue;
        if (v->ty == t)
            return val_text(v);
        Val copy = *v;
        return vname(convert(g, &copy, t));
    }
    int id = add_val(g, t);
    if (is_int(t))
        emit(g, "%s = add %s %s, 0", vname(id), ty_name[t], rand_const(g, t));
    else
        emit(g, "%s = fadd %s %s, %s", vname(id), ty_name[t], rand_const(g, t),
             float_const_of(t, -0.0));
    return vname(id);
}

static Ty rand_int_ty(Gen *g)
{
    static const Ty w[] = { T_I1, T_I8, T_I16, T_I32, T_I32, T_I64, T_I64, T_I64 };
    return w[rng_below(&g->rng, 8)];
}

static Ty rand_val_ty(Gen *g)
{
    return rng_chance(&g->rng, 300) ? (rng_chance(&g->rng, 500) ? T_F32 : T_F64) : rand_int_ty(g);
}

static int unguarded(Gen *g)
{
    return g->danger && rng_chance(&g->rng, g->danger);
}

/* ---- instructions ---- */

static void gen_int_binop(Gen *g)
{
    static const char *const ops[] = {
        "add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr", "add", "sub", "mul",
    };
    Ty t = rand_int_ty(g);
    const char *a = pick(g, t), *b = pick(g, t);
    int id = add_val(g, t);
    emit(g, "%s = %s %s %s, %s", vname(id), ops[rng_below(&g->rng, 12)], ty_name[t], a, b);
}

/* sdiv udiv srem urem: the divisor made nonzero (and not -1 for the signed
 * ones) with selects, or a constant, or left alone when unguarded. */
static void gen_div(Gen *g)
{
    static const char *const ops[] = { "sdiv", "udiv", "srem", "urem" };
    Ty t = rng_chance(&g->rng, 100) ? T_I1 : rand_int_ty(g);
    unsigned k = rng_below(&g->rng, 4);
    int is_signed = k == 0 || k == 2;
    char a[64], b[64];
    snprintf(a, sizeof a, "%s", pick(g, t));
    if (unguarded(g)) {
        snprintf(b, sizeof b, "%s", pick(g, t));
    } else if (t != T_I1 && rng_chance(&g->rng, 300)) {
        static const int64_t divs[] = { 1, 2, 3, 4, 5, 7, 8, 10, 16, 255, 1000, -2, -3, -8, -7 };
        int64_t d = divs[rng_below(&g->rng, is_signed ? 15 : 11)];
        snprintf(b, sizeof b, "%s", int_const(g, t, (uint64_t)d));
        if (sext_bits((uint64_t)d, ty_bits[t]) == 0 || (is_signed && sext_bits((uint64_t)d, ty_bits[t]) == -1))
            snprintf(b, sizeof b, "1");
    } else if (t == T_I1) {
        snprintf(b, sizeof b, "1");
        if (is_signed)      /* i1 1 is -1 signed: MIN / -1 overflows */
            return;
    } else {
        const char *raw = pick_val(g, t);
        int z = add_val(g, T_I1);
        emit(g, "%s = icmp eq %s %s, 0", vname(z), ty_name[t], raw);
        int s1 = add_val(g, t);
        emit(g, "%s = select %s %s, %s, %s", vname(s1), ty_name[t], vname(z),
             int_const(g, t, 3 + rng_below(&g->rng, 50)), raw);
        snprintf(b, sizeof b, "%s", vname(s1));
        if (is_signed) {
            int m = add_val(g, T_I1);
            emit(g, "%s = icmp eq %s %s, -1", vname(m), ty_name[t], vname(s1));
            int s2 = add_val(g, t);
            emit(g, "%s = select %s %s, %s, %s", vname(s2), ty_name[t], vname(m),
                 int_const(g, t, (uint64_t)-(int64_t)(2 + rng_below(&g->rng, 9))), vname(s1));
            snprintf(b, sizeof b, "%s", vname(s2));
        }
    }
    int id = add_val(g, t);
    emit(g, "%s = %s %s %s, %s", vname(id), ops[k], ty_name[t], a, b);
}

/* Checked arithmetic; guarded operands are shifted into a range where the
 * result cannot overflow. */
static void gen_checked(Gen *g)
{
    static const char *const ops[] = { "addc", "subc", "mulc", "addcu", "subcu", "mulcu" };
    unsigned k = rng_below(&g->rng, 6);
    int guard = !unguarded(g);
    Ty t = guard ? (Ty)(T_I8 + rng_below(&g->rng, 4)) : rand_int_ty(g);
    const char *tn = ty_name[t];
    int n = ty_bits[t];
    char a[64], b[64];
    snprintf(a, sizeof a, "%s", pick(g, t));
    snprintf(b, sizeof b, "%s", pick(g, t));
    if (guard) {
        int sa, sb;
        const char *shift;
        switch (k) {
        case 0: case 1: shift = "ashr"; sa = sb = 2; break;
        case 2: shift = "ashr"; sa = sb = n / 2 + 1; break;
        case 3: shift = "lshr"; sa = sb = 1; break;
        case 4: shift = "lshr"; sa = 0; sb = 1; break;
        default: shift = "lshr"; sa = sb = n / 2; break;
        }
        int x = add_val(g, t);
        if (k == 4)
            emit(g, "%s = or %s %s, %s", vname(x), tn, a, int_const(g, t, 1ULL << (n - 1)));
        else
            emit(g, "%s = %s %s %s, %d", vname(x), shift, tn, a, sa);
        int y = add_val(g, t);
        emit(g, "%s = %s %s %s, %d", vname(y), shift, tn, b, sb);
        snprintf(a, sizeof a, "%s", vname(x));
        snprintf(b, sizeof b, "%s", vname(y));
    }
    int id = add_val(g, t);
    emit(g, "%s = %s %s %s, %s", vname(id), ops[k], tn, a, b);
}

static const char *const icmp_conds[] = {
    "eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge",
};
static const char *const fcmp_conds[] = {
    "oeq", "one", "olt", "ole", "ogt", "oge", "ord", "uno", "ueq", "une", "ult", "ule", "ugt", "uge",
};

/* An i1 condition, newly computed or from the pool. */
static const char *gen_cond(Gen *g)
{
    int i = find_val(g, T_I1, 0, 0);
    if (i >= 0 && rng_chance(&g->rng, 250))
        return val_text(&g->pool[i]);
    if (rng_chance(&g->rng, 250)) {
        Ty t = rng_chance(&g->rng, 500) ? T_F32 : T_F64;
        const char *a = pick(g, t), *b = pick(g, t);
        int id = add_val(g, T_I1);
        emit(g, "%s = fcmp %s %s %s, %s", vname(id), fcmp_conds[rng_below(&g->rng, 14)],
             ty_name[t], a, b);
        return vname(id);
    }
    Ty t = rand_int_ty(g);
    const char *a = pick(g, t), *b = pick(g, t);
    int id = add_val(g, T_I1);
    emit(g, "%s = icmp %s %s %s, %s", vname(id), icmp_conds[rng_below(&g->rng, 10)],
         ty_name[t], a, b);
    return vname(id);
}

static void gen_select(Gen *g)
{
    Ty t = rand_val_ty(g);
    char c[64];
    snprintf(c, sizeof c, "%s", gen_cond(g));
    const char *a = pick(g, t), *b = pick(g, t);
    int id = add_val(g, t);
    emit(g, "%s = select %s %s, %s, %s", vname(id), ty_name[t], c, a, b);
}

static void gen_float(Gen *g)
{
    static const char *const ops[] = { "fadd", "fsub", "fmul", "fdiv", "fadd", "fmul" };
    Ty t = rng_chance(&g->rng, 450) ? T_F32 : T_F64;
    unsigned k = rng_below(&g->rng, 10);
    const char *a = pick(g, t);
    int id;
    if (k == 8) {
        id = add_val(g, t);
        emit(g, "%s = fneg %s %s", vname(id), ty_name[t], a);
    } else if (k == 9) {
        id = add_val(g, t);
        emit(g, "%s = fsqrt %s %s", vname(id), ty_name[t], a);
    } else {
        const char *b = pick(g, t);
        id = add_val(g, t);
        emit(g, "%s = %s %s %s, %s", vname(id), ops[k % 6], ty_name[t], a, b);
    }
}

/* fptosi/fptoui: guarded by a range test and a select of 0.0 outside it. */
static void gen_fptoi(Gen *g)
{
    Ty s = rng_chance(&g->rng, 400) ? T_F32 : T_F64;
    Ty t = rand_int_ty(g);
    int is_signed = rng_chance(&g->rng, 500);
    char x[64];
    snprintf(x, sizeof x, "%s", pick_val(g, s));
    if (!unguarded(g)) {
        int n = ty_bits[t];
        double lo, hi;
        if (is_signed) {
            hi = 1.0;
            for (int i = 0; i < n - 1; i++)
                hi *= 2;
            lo = -hi - 1.0;
        } else {
            hi = 1.0;
            for (int i = 0; i < n; i++)
                hi *= 2;
            lo = -1.0;
        }
        if (s == T_F32 && n == 64)  /* keep the bound exactly representable */
            lo = is_signed ? -hi : -1.0;
        int c1 = add_val(g, T_I1);
        emit(g, "%s = fcmp ogt %s %s, %s", vname(c1), ty_name[s], x, float_const_of(s, lo));
        int c2 = add_val(g, T_I1);
        emit(g, "%s = fcmp olt %s %s, %s", vname(c2), ty_name[s], x, float_const_of(s, hi));
        int c3 = add_val(g, T_I1);
        emit(g, "%s = and i1 %s, %s", vname(c3), vname(c1), vname(c2));
        int y = add_val(g, s);
        emit(g, "%s = select %s %s, %s, %s", vname(y), ty_name[s], vname(c3), x,
             float_const_of(s, rng_chance(&g->rng, 500) ? 0.0 : -0.0));
        snprintf(x, sizeof x, "%s", vname(y));
    }
    int id = add_val(g, t);
    emit(g, "%s = %s %s %s to %s", vname(id), is_signed ? "fptosi" : "fptoui", ty_name[s], x,
         ty_name[t]);
}

static void gen_conv(Gen *g)
{
    if (rng_chance(&g->rng, 300)) {
        gen_fptoi(g);
        return;
    }
    if (g->npool == 0)
        return;
    const Val *v = &g->pool[rng_below(&g->rng, (unsigned)g->npool)];
    if (v->ty == T_PTR)
        return;
    Ty t = rand_val_ty(g);
    if (t == v->ty)
        return;
    Val copy = *v;
    convert(g, &copy, t);
}

/* An i64 offset in [0, mask]: a pool value masked, or a constant. */
static const char *mem_index(Gen *g, int mask)
{
    if (rng_chance(&g->rng, 300))
        return int_const(g, T_I64, rng_below(&g->rng, (unsigned)mask + 1));
    const char *v = pick_val(g, T_I64);
    int id = add_val(g, T_I64);
    emit(g, "%s = and i64 %s, %d", vname(id), v, mask);
    return vname(id);
}

static int mask_below(int n)
{
    int m = 1;
    while (m * 2 <= n)
        m *= 2;
    return m - 1;
}

/* A pointer to SIZE bytes inside a pool object (writable if asked), as
 * operand text; NULL if the pool has none. Out of bounds at times when
 * unguarded. */
static const char *mem_addr(Gen *g, int size, int write)
{
    int i = find_val(g, T_PTR, size, write);
    if (i < 0)
        return NULL;
    Val p = g->pool[i];
    int room = p.avail - size;  /* largest in-bounds offset */
    if (unguarded(g)) {
        /* near the end: in bounds, straddling it, or up to 8 bytes past
         * it, never into a neighbouring object (compiled code finds a
         * stray access by the red zone after each object, docs/backend.md) */
        char base[64];
        snprintf(base, sizeof base, "%s", val_text(&p));
        const char *ix = mem_index(g, 15);
        int q = add_val(g, T_PTR);
        emit(g, "%s = ptradd %s, %d", vname(q), base, room > 7 ? room - 7 : 0);
        int id = add_val(g, T_PTR);
        emit(g, "%s = ptradd %s, %s", vname(id), vname(q), ix);
        return vname(id);
    }
    if (room == 0 || rng_chance(&g->rng, 200))
        return val_text(&p);
    char base[64];
    snprintf(base, sizeof base, "%s", val_text(&p));
    const char *ix = mem_index(g, mask_below(room + 1));
    int id = add_val(g, T_PTR);
    emit(g, "%s = ptradd %s, %s", vname(id), base, ix);
    return vname(id);
}

static void gen_mem(Gen *g)
{
    unsigned k = rng_below(&g->rng, 20);
    if (k < 8) {                                    /* load */
        Ty t = rand_val_ty(g);
        const char *p = mem_addr(g, ty_bytes[t], 0);
        if (!p)
            return;
        int id = add_val(g, t);
        emit(g, "%s = load %s, %s", vname(id), ty_name[t], p);
    } else if (k < 15) {                            /* store */
        Ty t = rand_val_ty(g);
        char v[64];
        snprintf(v, sizeof v, "%s", pick(g, t));
        const char *p = mem_addr(g, ty_bytes[t], unguarded(g) ? 0 : 1);
        if (!p)
            return;
        emit(g, "store %s %s, %s", ty_name[t], v, p);
    } else if (k < 17) {                            /* ptradd by a constant */
        int i = find_val(g, T_PTR, 16, 0);
        if (i < 0)
            return;
        Val p = g->pool[i];
        int off = (int)rng_below(&g->rng, (unsigned)(p.avail - 8));
        int id = add_ptr(g, p.avail - off, p.writable);
        emit(g, "%s = ptradd %s, %d", vname(id), val_text(&p), off);
    } else if (k == 17) {                           /* memset */
        int n = 1 + (int)rng_below(&g->rng, 24);
        char b[64];
        snprintf(b, sizeof b, "%s", pick(g, T_I8));
        const char *p = mem_addr(g, n, 1);
        if (p)
            emit(g, "memset %s, %s, %d", p, b, n);
    } else if (k == 18) {                           /* memcpy, maybe overlapping */
        int n = 1 + (int)rng_below(&g->rng, 24);
        char src[64];
        const char *s = mem_addr(g, n, 0);
        if (!s)
            return;
        snprintf(src, sizeof src, "%s", s);
        const char *d = mem_addr(g, n, 1);
        if (d)
            emit(g, "memcpy %s, %s, %d", d, src, n);
    } else if (g->pslot >= 0) {                     /* a pointer through memory */
        int i = find_val(g, T_PTR, 8, 0);
        if (i < 0)
            return;
        Val p = g->pool[i];
        emit(g, "store ptr %s, %s", val_text(&p), vname(g->pslot));
        int id = add_ptr(g, p.avail, p.writable);
        emit(g, "%s = load ptr, %s", vname(id), vname(g->pslot));
    }
}

/* printf from inside a function: ints as hex and doubles as %a, several
 * (variadic, in registers and beyond); the format goes to the module's end. */
static void gen_print(Gen *g)
{
    char args[2048] = "";
    size_t len = 0;
    int fmt = g->nfmts++;
    buf_printf(&g->fmts, "data @fmt_p%d = \"p%d", fmt, fmt);
    int n = 1 + (int)rng_below(&g->rng, 14);
    for (int i = 0; i < n; i++) {
        if (rng_chance(&g->rng, 600)) {
            len += (size_t)snprintf(args + len, sizeof args - len, ", f64 %s", pick(g, T_F64));
            buf_printf(&g->fmts, " %%a");
        } else {
            len += (size_t)snprintf(args + len, sizeof args - len, ", i64 %s", pick(g, T_I64));
            buf_printf(&g->fmts, " %%llx");
        }
    }
    buf_printf(&g->fmts, "\\n\\0\"\n");
    int id = add_val(g, T_I32);
    emit(g, "%s = call @printf(ptr @fmt_p%d%s)", vname(id), fmt, args);
}

/* A call to an earlier function, direct or through a pointer chosen by a
 * select between two functions of the same signature. */
static void gen_call(Gen *g)
{
    if (g->cur == 0)
        return;
    int j = (int)rng_below(&g->rng, (unsigned)g->cur);
    const Func *f = &g->funcs[j];
    if (g->cost + g->mult * (f->cost + 40) > g->budget)
        return;
    char args[4096];
    size_t len = 0;
    args[0] = 0;
    for (int i = 0; i < f->nparams; i++) {
        const char *a;
        if (f->params[i] == T_PTR) {
            int k = find_val(g, T_PTR, PTR_PARAM_BYTES, 1);
            a = k >= 0 ? val_text(&g->pool[k]) : "@g0";
        } else {
            a = pick(g, f->params[i]);
        }
        len += (size_t)snprintf(args + len, sizeof args - len, "%s%s %s", i ? ", " : "",
                                ty_name[f->params[i]], a);
    }
    int other = -1;
    for (int k = 0; k < g->cur; k++) {
        if (k != j && g->funcs[k].ret == f->ret && g->funcs[k].nparams == f->nparams &&
            memcmp(g->funcs[k].params, f->params, sizeof f->params[0] * (size_t)f->nparams) == 0 &&
            g->cost + g->mult * (g->funcs[k].cost + 40) <= g->budget)
            other = k;
    }
    int id;
    if (other >= 0 && rng_chance(&g->rng, 600)) {
        char c[64];
        snprintf(c, sizeof c, "%s", gen_cond(g));
        int fp = add_val(g, T_PTR);     /* not memory: avail -1 */
        emit(g, "%s = select ptr %s, @f%d, @f%d", vname(fp), c, j, other);
        id = add_val(g, f->ret);
        emit(g, "%s = call.ind %s(%s) -> %s", vname(id), vname(fp), args, ty_name[f->ret]);
        long mc = f->cost > g->funcs[other].cost ? f->cost : g->funcs[other].cost;
        g->cost += g->mult * mc;
    } else {
        id = add_val(g, f->ret);
        emit(g, "%s = call @f%d(%s)", vname(id), j, args);
        g->cost += g->mult * f->cost;
    }
}

static void gen_simple(Gen *g)
{
    unsigned k = rng_below(&g->rng, 100);
    if (k < 28)
        gen_int_binop(g);
    else if (k < 36)
        gen_div(g);
    else if (k < 42)
        gen_checked(g);
    else if (k < 47) {
        gen_cond(g);
    } else if (k < 52)
        gen_select(g);
    else if (k < 68)
        gen_float(g);
    else if (k < 76)
        gen_conv(g);
    else if (k < 92)
        gen_mem(g);
    else if (k < 98)
        gen_call(g);
    else if (g->mult <= 8)
        gen_print(g);
}

/* ---- regions ---- */

static void gen_stmts(Gen *g, int n);

static int new_block(Gen *g)
{
    return g->next_block++;
}

/* Writes "(T1 %vA, T2 %vB)" for the block parameters, adding them. */
static void block_params(Gen *g, Buf *b, const Ty *types, int n)
{
    if (n == 0)
        return;
    buf_printf(b, "(");
    for (int i = 0; i < n; i++) {
        int id = add_val(g, types[i]);
        buf_printf(b, "%s%s %%v%d", i ? ", " : "", ty_name[types[i]], id);
    }
    buf_printf(b, ")");
}

/* "(a, b)": operands for the given types, picked now. */
static void block_args(Gen *g, char *out, size_t cap, const Ty *types, int n)
{
    size_t len = 0;
    out[0] = 0;
    if (n == 0)
        return;
    len += (size_t)snprintf(out + len, cap - len, "(");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", pick(g, types[i]));
    snprintf(out + len, cap - len, ")");
}

static void label(Gen *g, int b)
{
    buf_printf(&g->out, "b%d", b);
}

static void gen_diamond(Gen *g)
{
    Ty jt[4];
    int nj = (int)rng_below(&g->rng, 4);
    for (int i = 0; i < nj; i++)
        jt[i] = rand_val_ty(g);
    char c[64];
    snprintf(c, sizeof c, "%s", gen_cond(g));
    int bt = new_block(g), be = new_block(g), bj = new_block(g);
    emit(g, "condbr %s, b%d, b%d", c, bt, be);
    int ret_arm = rng_chance(&g->rng, 100) ? (int)rng_below(&g->rng, 2) : -1;
    int mark = g->npool;
    char args[2048];
    for (int arm = 0; arm < 2; arm++) {
        label(g, arm ? be : bt);
        buf_printf(&g->out, ":\n");
        g->depth++;
        gen_stmts(g, 1 + (int)rng_below(&g->rng, 4 + (unsigned)g->size / 3));
        g->depth--;
        if (arm == ret_arm) {
            const Func *f = &g->funcs[g->cur];
            emit(g, "ret %s", pick(g, f->ret));
        } else {
            block_args(g, args, sizeof args, jt, nj);
            emit(g, "br b%d%s", bj, args);
        }
        g->npool = mark;
    }
    label(g, bj);
    block_params(g, &g->out, jt, nj);
    buf_printf(&g->out, ":\n");
}

static void gen_loop(Gen *g)
{
    unsigned trip = 1 + rng_below(&g->rng, 8);
    if (g->cost + g->mult * (long)trip * 20 > g->budget)
        return;
    Ty ct[5];
    int nc = 1 + (int)rng_below(&g->rng, 4);
    ct[0] = T_I32;      /* the counter */
    for (int i = 1; i < nc + 1; i++)
        ct[i] = rand_val_ty(g);
    /* the limit: a constant, or a pool value masked into 1..8 */
    char lim[64];
    if (rng_chance(&g->rng, 500)) {
        snprintf(lim, sizeof lim, "%u", trip);
    } else {
        const char *v = pick_val(g, T_I32);
        int m = add_val(g, T_I32);
        emit(g, "%s = and i32 %s, 7", vname(m), v);
        int l = add_val(g, T_I32);
        emit(g, "%s = add i32 %s, 1", vname(l), vname(m));
        snprintf(lim, sizeof lim, "%s", vname(l));
        trip = 8;
    }
    char init[2048];
    block_args(g, init, sizeof init, ct + 1, nc);
    int bh = new_block(g), bx = new_block(g);
    /* the counter's start, then the carried values */
    buf_printf(&g->out, "  br b%d(0%s%s\n", bh, nc ? ", " : ")", nc ? init + 1 : "");
    g->cost += g->mult;
    int mark = g->npool;
    label(g, bh);
    block_params(g, &g->out, ct, nc + 1);
    buf_printf(&g->out, ":\n");
    int counter = g->pool[mark].id;
    long saved_mult = g->mult;
    g->mult *= (long)trip;
    g->depth++;
    g->loops++;
    gen_stmts(g, 2 + (int)rng_below(&g->rng, 4 + (unsigned)g->size / 2));
    g->loops--;
    g->depth--;
    char next[2048];
    block_args(g, next, sizeof next, ct + 1, nc);
    int i2 = add_val(g, T_I32);
    emit(g, "%s = add i32 %%v%d, 1", vname(i2), counter);
    int cc = add_val(g, T_I1);
    emit(g, "%s = icmp slt i32 %s, %s", vname(cc), vname(i2), lim);
    emit(g, "condbr %s, b%d(%s%s%s, b%d%s", vname(cc), bh, vname(i2), nc ? ", " : ")",
         nc ? next + 1 : "", bx, next);
    g->mult = saved_mult;
    g->npool = mark;
    label(g, bx);
    block_params(g, &g->out, ct + 1, nc);
    buf_printf(&g->out, ":\n");
}

static void gen_switch(Gen *g)
{
    Ty jt[3];
    int nj = (int)rng_below(&g->rng, 3);
    for (int i = 0; i < nj; i++)
        jt[i] = rand_val_ty(g);
    Ty st = rng_chance(&g->rng, 700) ? T_I32 : (rng_chance(&g->rng, 500) ? T_I8 : T_I64);
    char sv[64];
    if (rng_chance(&g->rng, 700)) {
        const char *v = pick_val(g, st);
        int m = add_val(g, st);
        emit(g, "%s = and %s %s, 7", vname(m), ty_name[st], v);
        snprintf(sv, sizeof sv, "%s", vname(m));
    } else {
        snprintf(sv, sizeof sv, "%s", pick_val(g, st));
    }
    int ncase = 1 + (int)rng_below(&g->rng, 6);
    int64_t keys[8];
    int nkeys = 0;
    while (nkeys < ncase) {
        int64_t k = rng_chance(&g->rng, 800) ? (int64_t)rng_below(&g->rng, 8)
                                              : sext_bits(rand_int_bits(g, st), ty_bits[st]);
        int dup = 0;
        for (int i = 0; i < nkeys; i++)
            dup |= keys[i] == k;
        if (!dup)
            keys[nkeys++] = k;
    }
    int bj = new_block(g);
    int arms[9];
    char text[8192];
    size_t len = 0;
    char args[2048];
    int narms = 0;
    /* the default, then the cases: each an arm block, or the join
     * directly with arguments */
    for (int i = 0; i <= nkeys; i++) {
        char target[2200];
        if (rng_chance(&g->rng, 300)) {
            block_args(g, args, sizeof args, jt, nj);
            snprintf(target, sizeof target, "b%d%s", bj, args);
        } else {
            arms[narms] = new_block(g);
            snprintf(target, sizeof target, "b%d", arms[narms]);
            narms++;
        }
        if (i == 0)
            len += (size_t)snprintf(text + len, sizeof text - len, "switch %s %s, %s [",
                                    ty_name[st], sv, target);
        else
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%" PRId64 ": %s",
                                    i > 1 ? ", " : "", keys[i - 1], target);
    }
    snprintf(text + len, sizeof text - len, "]");
    emit(g, "%s", text);
    int mark = g->npool;
    for (int a = 0; a < narms; a++) {
        label(g, arms[a]);
        buf_printf(&g->out, ":\n");
        g->depth++;
        gen_stmts(g, (int)rng_below(&g->rng, 4));
        g->depth--;
        block_args(g, args, sizeof args, jt, nj);
        emit(g, "br b%d%s", bj, args);
        g->npool = mark;
    }
    label(g, bj);
    block_params(g, &g->out, jt, nj);
    buf_printf(&g->out, ":\n");
}

/* Many values live at once (more than the registers), across a call when
 * there is one to make, then all folded into two results. */
static void gen_pressure(Gen *g)
{
    int n = 16 + (int)rng_below(&g->rng, 24);
    int ids[64];
    Ty tys[64];
    for (int i = 0; i < n; i++) {
        Ty t = rng_chance(&g->rng, 400) ? (rng_chance(&g->rng, 500) ? T_F64 : T_F32)
                                          : (rng_chance(&g->rng, 700) ? T_I64 : T_I32);
        const char *a = pick(g, t), *b = pick(g, t);
        ids[i] = g->next_id++;
        tys[i] = t;
        static const char *const iops[] = { "add", "sub", "mul", "xor", "or", "and" };
        static const char *const fops[] = { "fadd", "fsub", "fmul" };
        emit(g, "%%v%d = %s %s %s, %s", ids[i],
             is_float(t) ? fops[rng_below(&g->rng, 3)] : iops[rng_below(&g->rng, 6)], ty_name[t], a, b);
    }
    if (rng_chance(&g->rng, 600))
        gen_call(g);
    int ai = -1, af = -1;
    for (int i = 0; i < n; i++) {
        int v = ids[i];
        if (tys[i] == T_I32) {
            int w = g->next_id++;
            emit(g, "%%v%d = sext i32 %%v%d to i64", w, v);
            v = w;
        } else if (tys[i] == T_F32) {
            int w = g->next_id++;
            emit(g, "%%v%d = fpext f32 %%v%d to f64", w, v);
            v = w;
        }
        if (is_float(tys[i])) {
            if (af < 0) {
                af = v;
            } else {
                int w = g->next_id++;
                emit(g, "%%v%d = fadd f64 %%v%d, %%v%d", w, af, v);
                af = w;
            }
        } else {
            if (ai < 0) {
                ai = v;
            } else {
                int w = g->next_id++;
                emit(g, "%%v%d = %s i64 %%v%d, %%v%d", w, i % 2 ? "xor" : "add", ai, v);
                ai = w;
            }
        }
    }
    if (ai >= 0 && g->npool < MAX_POOL)
        g->pool[g->npool++] = (Val){ .id = ai, .ty = T_I64, .avail = -1 };
    if (af >= 0 && g->npool < MAX_POOL)
        g->pool[g->npool++] = (Val){ .id = af, .ty = T_F64, .avail = -1 };
}

static void gen_stmts(Gen *g, int n)
{
    for (int i = 0; i < n && g->cost < g->budget; i++) {
        unsigned k = rng_below(&g->rng, 100);
        if (k < 7 && g->depth < MAX_DEPTH)
            gen_diamond(g);
        else if (k < 12 && g->depth < MAX_DEPTH && g->loops < 2)
            gen_loop(g);
        else if (k < 15 && g->depth < MAX_DEPTH)
            gen_switch(g);
        else if (k < 17)
            gen_pressure(g);
        else
            gen_simple(g);
    }
}

/* ---- functions ---- */

static void gen_signature(Gen *g, Func *f)
{
    /* at times the same signature as an earlier function (indirect calls) */
    if (g->cur > 0 && rng_chance(&g->rng, 200)) {
        *f = g->funcs[rng_below(&g->rng, (unsigned)g->cur)];
        f->cost = 0;
        return;
    }
    f->ret = rand_val_ty(g);
    if (rng_chance(&g->rng, 250)) {     /* beyond the argument registers */
        int ni = 7 + (int)rng_below(&g->rng, 5), nf = 9 + (int)rng_below(&g->rng, 4);
        f->nparams = 0;
        while ((ni || nf) && f->nparams < MAX_PARAMS) {
            if (ni && (!nf || rng_chance(&g->rng, 500))) {
                f->params[f->nparams++] = rng_chance(&g->rng, 100) ? T_PTR : rand_int_ty(g);
                ni--;
            } else {
                f->params[f->nparams++] = rng_chance(&g->rng, 500) ? T_F32 : T_F64;
                nf--;
            }
        }
    } else {
        f->nparams = (int)rng_below(&g->rng, 7);
        for (int i = 0; i < f->nparams; i++)
            f->params[i] = rng_chance(&g->rng, 80) ? T_PTR : rand_val_ty(g);
    }
    f->cost = 0;
}

/* Converts value ID of type T to an i64, emitting the conversion. */
static int to_i64(Gen *g, int id, Ty t)
{
    if (t == T_I64)
        return id;
    if (is_float(t)) {
        Ty mid = t == T_F32 ? T_I32 : T_I64;
        int m = g->next_id++;
        emit(g, "%%v%d = bitcast %s %%v%d to %s", m, ty_name[t], id, ty_name[mid]);
        return to_i64(g, m, mid);
    }
    int w = g->next_id++;
    emit(g, "%%v%d = zext %s %%v%d to i64", w, ty_name[t], id);
    return w;
}

static void gen_function(Gen *g, FILE *out)
{
    Func *f = &g->funcs[g->cur];
    g->npool = 0;
    g->next_id = 0;
    g->next_block = 0;
    g->cost = 0;
    g->mult = 1;
    g->depth = 0;
    g->loops = 0;
    g->out.len = 0;
    g->budget = 2000 + (long)g->size * 600 + (long)rng_below(&g->rng, 4000);

    fprintf(out, "func @f%d(", g->cur);
    for (int i = 0; i < f->nparams; i++) {
        int id = f->params[i] == T_PTR ? add_ptr(g, PTR_PARAM_BYTES, 1) : add_val(g, f->params[i]);
        fprintf(out, "%s%s %%v%d", i ? ", " : "", ty_name[f->params[i]], id);
    }
    fprintf(out, ") -> %s {\n", ty_name[f->ret]);
    buf_printf(&g->out, "entry:\n");
    int na = 1 + (int)rng_below(&g->rng, 3);
    for (int i = 0; i < na; i++) {
        int size = 16 << rng_below(&g->rng, 5);
        int id = add_ptr(g, size, 1);
        emit(g, "%s = alloca %d, align %d", vname(id), size, 1 << rng_below(&g->rng, 5));
    }
    g->pslot = g->next_id++;
    emit(g, "%s = alloca 8, align 8", vname(g->pslot));
    g->pool[g->npool++] = (Val){ .id = -1, .sym = "@g0", .ty = T_PTR, .avail = 256, .writable = 1 };
    g->pool[g->npool++] = (Val){ .id = -1, .sym = "@g1", .ty = T_PTR, .avail = 40, .writable = 1 };
    g->pool[g->npool++] = (Val){ .id = -1, .sym = "@d0", .ty = T_PTR, .avail = 64, .writable = 0 };
    if (unguarded(g))   /* a store to read-only data would trap */
        g->pool[g->npool - 1].writable = 1;

    gen_stmts(g, 4 + (int)rng_below(&g->rng, 6 + (unsigned)g->size));

    /* the digest: every value still in the pool, folded into @sink[cur] */
    int acc = -1;
    for (int i = 0; i < g->npool; i++) {
        const Val *v = &g->pool[i];
        if (v->ty == T_PTR || v->id < 0)
            continue;
        int w = to_i64(g, v->id, v->ty);
        if (acc < 0) {
            acc = w;
        } else {
            int r = g->next_id++;
            emit(g, "%%v%d = mul i64 %%v%d, 31", r, acc);
            int s = g->next_id++;
            emit(g, "%%v%d = add i64 %%v%d, %%v%d", s, r, w);
            acc = s;
        }
    }
    if (acc >= 0) {
        int p = g->next_id++;
        emit(g, "%%v%d = ptradd @sink, %d", p, 8 * g->cur);
        int old = g->next_id++;
        emit(g, "%%v%d = load i64, %%v%d", old, p);
        int nw = g->next_id++;
        emit(g, "%%v%d = xor i64 %%v%d, %%v%d", nw, old, acc);
        emit(g, "store i64 %%v%d, %%v%d", nw, p);
    }
    emit(g, "ret %s", pick(g, f->ret));
    fwrite(g->out.data, 1, g->out.len, out);
    fprintf(out, "}\n\n");
    f->cost = g->cost;
}

static void gen_main(Gen *g, FILE *out)
{
    g->npool = 0;
    g->next_id = 0;
    g->out.len = 0;
    g->mult = 1;
    g->cost = 0;
    fprintf(out, "export func @main() -> i32 {\nentry:\n");
    int acc = -1;
    for (int k = 0; k < g->nfuncs; k++) {
        const Func *f = &g->funcs[k];
        int calls = 1 + (int)rng_below(&g->rng, 2);
        for (int c = 0; c < calls; c++) {
            char args[4096];
            size_t len = 0;
            args[0] = 0;
            for (int i = 0; i < f->nparams; i++) {
                Ty t = f->params[i];
                const char *a = t == T_PTR ? (i % 2 ? "@g0" : "@g2") : rand_const(g, t);
                len += (size_t)snprintf(args + len, sizeof args - len, "%s%s %s", i ? ", " : "",
                                        ty_name[t], a);
            }
            int r = g->next_id++;
            emit(g, "%%v%d = call @f%d(%s)", r, k, args);
            int w = to_i64(g, r, f->ret);
            emit(g, "call @printf(ptr @fmt_result, i32 %d, i64 %%v%d)", k, w);
            if (acc < 0) {
                acc = w;
            } else {
                int s = g->next_id++;
                emit(g, "%%v%d = add i64 %%v%d, %%v%d", s, acc, w);
                acc = s;
            }
        }
    }
    for (int k = 0; k < g->nfuncs; k++) {
        int p = g->next_id++;
        emit(g, "%%v%d = ptradd @sink, %d", p, 8 * k);
        int v = g->next_id++;
        emit(g, "%%v%d = load i64, %%v%d", v, p);
        emit(g, "call @printf(ptr @fmt_sink, i32 %d, i64 %%v%d)", k, v);
        int s = g->next_id++;
        emit(g, "%%v%d = xor i64 %%v%d, %%v%d", s, acc, v);
        acc = s;
    }
    int t = g->next_id++;
    emit(g, "%%v%d = trunc i64 %%v%d to i32", t, acc);
    int st = g->next_id++;
    emit(g, "%%v%d = and i32 %%v%d, 63", st, t);
    emit(g, "ret %%v%d", st);
    fwrite(g->out.data, 1, g->out.len, out);
    fprintf(out, "}\n");
}

static void gen_prelude(Gen *g, FILE *out, uint64_t seed)
{
    fprintf(out, "; generated by irgen %" PRIu64 " --size %d\n", seed, g->size);
    fprintf(out, "module \"irgen%" PRIu64 "\"\n\n", seed);
    fprintf(out, "extern func @printf(ptr, ...) -> i32\n");
    fprintf(out, "\n");
    fprintf(out, "data @fmt_result = \"f%%d %%016llx\\n\\0\"\n");
    fprintf(out, "data @fmt_sink = \"s%%d %%016llx\\n\\0\"\n");
    fprintf(out, "global @sink = zero %d\n", 8 * SINK_SLOTS);
    fprintf(out, "global @g0 = zero 256\n");
    fprintf(out, "global @g2 = zero 64\n");
    fprintf(out, "global @g1 = { i64 %" PRId64 ", f64 %s, i32 %s, i8 %s, f32 %s, i16 %s, i64 %s }\n",
            (int64_t)rng_next(&g->rng), rand_float_const(g, T_F64), rand_const(g, T_I32),
            rand_const(g, T_I8), rand_float_const(g, T_F32), rand_const(g, T_I16),
            rand_const(g, T_I64));
    fprintf(out, "data @d0 = {");
    for (int i = 0; i < 8; i++)
        fprintf(out, "%s i64 %" PRId64, i ? "," : "", (int64_t)rand_int_bits(g, T_I64));
    fprintf(out, " }\n\n");
}

static void usage(void)
{
    fputs("usage: irgen SEED [--size N]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t seed = 0;
    int size = 10, have_seed = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 100)
                usage();
            size = (int)n;
        } else if (strcmp(argv[i], "--help") == 0) {
            fputs("usage: irgen SEED [--size N]\n"
                  "Print a random valid Yvm IR module for SEED (size 1..100, default 10).\n",
                  stdout);
            return 0;
        } else if (!have_seed && argv[i][0] != '-') {
            seed = strtoull(argv[i], &end, 0);
            if (*end)
                usage();
            have_seed = 1;
        } else {
            usage();
        }
    }
    if (!have_seed)
        usage();

    Gen *g = calloc(1, sizeof *g);
    if (!g)
        return 1;
    g->rng.state = seed * 0x2545f4914f6cdd1dULL + 0x1234567ULL;
    g->size = size;
    if (rng_chance(&g->rng, 330))
        g->danger = 4 + rng_below(&g->rng, 20);
    g->nfuncs = 3 + size / 3 + (int)rng_below(&g->rng, 3);
    if (g->nfuncs > MAX_FUNCS)
        g->nfuncs = MAX_FUNCS;

    FILE *out = stdout;
    gen_prelude(g, out, seed);
    for (g->cur = 0; g->cur < g->nfuncs; g->cur++) {
        gen_signature(g, &g->funcs[g->cur]);
        gen_function(g, out);
    }
    gen_main(g, out);
    if (g->fmts.len)
        fprintf(out, "\n%.*s", (int)g->fmts.len, g->fmts.data);
    free(g->out.data);
    free(g->fmts.data);
    free(g);
    return ferror(stdout) ? 1 : 0;
}
