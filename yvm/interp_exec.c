/* interp_exec.c - the dispatch loop: every instruction's semantics.
 *
 * Decoded code is threaded: each Ins holds its handler's label address
 * and a handler ends by jumping straight to the next one (computed
 * goto). IR calls never recurse on the C stack: a call pushes a frame
 * (header + slots) on the interpreter's own stack and continues in the
 * same loop, so a deep recursion ends in `trap: stack overflow` at the
 * configured depth or when the reserved stack is full.
 *
 * Operand fields (interp.h): r = result slot, a/b/c = operand slots,
 * c = 64 - bit width for integer ops (so the width mask is ~0 >> c and a
 * sign extension is (int64)(x << c) >> c), u.k = an immediate. Branch
 * fields hold ip-relative offsets.
 */
#include "interp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static inline float f32_of(Word w)
{
    uint32_t u = (uint32_t)w;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline double f64_of(Word w)
{
    double d;
    memcpy(&d, &w, 8);
    return d;
}

/* Arithmetic results that are NaN become the canonical quiet NaN. */
static inline Word canon32(float f)
{
    uint32_t u;
    if (f != f)
        return 0x7fc00000u;
    memcpy(&u, &f, 4);
    return u;
}

static inline Word canon64(double d)
{
    Word u;
    if (d != d)
        return UINT64_C(0x7ff8000000000000);
    memcpy(&u, &d, 8);
    return u;
}

/* Does a call site's signature match the function's? */
static bool signature_matches(const DFunc *g, const ISite *s)
{
    const IrFunc *f = g->ir;
    bool variadic = g->is_extern && (f->attrs & IR_ATTR_VARIADIC);
    if (g->ret != s->ret || s->nargs < f->nparams || (!variadic && s->nargs != f->nparams))
        return false;
    for (uint32_t k = 0; k < f->nparams; k++)
        if (f->ptypes[k] != s->types[k])
            return false;
    return true;
}

/* The function a call.ind pointer designates, or NULL. */
static const DFunc *indirect_target(const Interp *I, Word addr, Word tag)
{
    uint32_t idx = TAG_INDEX(tag);
    const Obj *o = &I->objs[idx];
    if (idx < OBJ_FIRST || o->gen != TAG_GEN(tag) || o->kind != OBJ_K_FUNC) {
        /* Provenance lost (C handed it back, or inttoptr): go by address. */
        tag = interp_obj_find(I, addr);
        o = &I->objs[TAG_INDEX(tag)];
        if (TAG_INDEX(tag) < OBJ_FIRST || o->kind != OBJ_K_FUNC)
            return NULL;
    }
    return o->base == addr ? o->fn : NULL;
}

static InterpStatus exec(Interp *I, const DFunc *fn, Word *fp, Word *out,
                         const void *const **handlers)
{
    static const void *const labels[INS_COUNT] = {
#define X(e) [INS_##e] = &&L_##e,
        INTERP_OPS(X)
#undef X
    };
    if (handlers) {
        *handlers = labels;
        return INTERP_OK;
    }
    const Ins *ip = fn->code;
    /* Kept in registers: `room` is how many more frames the depth limit
     * allows (I->depth is brought up to date whenever C code or the
     * caller may look at it); a direct call needs only compare the new
     * frame's start with stack_limit, which leaves room for the largest
     * frame of any decoded function (calls through pointers check the
     * exact size). */
    const uint32_t max_depth = I->max_depth;
    uint32_t room = max_depth - I->depth;
    const Word *const stack_end = I->stack_end;
    const Word *const stack_limit = I->stack_end - I->max_frame;
#define SYNC_DEPTH() (I->depth = max_depth - room)

#define R (ip->r)
#define A (ip->a)
#define B (ip->b)
#define C (ip->c)
#define K (ip->u.k)
#define V(x) (fp[x])
#define MASK (UINT64_MAX >> C)
#define SX(x, sh) sext_bits((x), (sh))
#define NEXT                                                                   \
    do {                                                                       \
        ip++;                                                                  \
        goto *ip->h;                                                           \
    } while (0)
#define JUMP(rel)                                                              \
    do {                                                                       \
        ip += (int32_t)(rel);                                                  \
        goto *ip->h;                                                           \
    } while (0)
#define TRAP(msg)                                                              \
    do {                                                                       \
        interp_set_trap(I, msg);                                               \
        goto trap;                                                             \
    } while (0)
/* Check an access of n bytes at (addr, tag); p = the host address. */
#define CHECK(p, addr, tag, n, wr)                                             \
    do {                                                                       \
        const Obj *o_ = &I->objs[TAG_INDEX(tag)];                              \
        uint64_t off_ = (addr) - o_->base, lim_ = (wr) ? o_->wsize : o_->size; \
        if (likely(o_->gen == TAG_GEN(tag) && off_ <= lim_ && (n) <= lim_ - off_)) \
            p = (uint8_t *)(uintptr_t)(addr);                                  \
        else if (!(p = interp_check_slow(I, (addr), (tag), (n), (wr), fn->unsafe))) \
            goto trap;                                                         \
    } while (0)
/* The same through the ptr in slot ps, keeping its address and tag. */
#define ACCESS(p, ps, n, wr)                                                   \
    Word addr_ = V(ps), tag_ = V((ps) + 1);                                    \
    uint8_t *p;                                                                \
    CHECK(p, addr_, tag_, n, wr)

    goto *ip->h;

    /* ---- moves ---- */
L_MOV: V(R) = V(A); NEXT;
L_MOVP: V(R) = V(A); V(R + 1) = V(A + 1); NEXT;
L_NOP: NEXT;

    /* ---- integer arithmetic: wrapping, results masked to the width ---- */
L_ADD: V(R) = (V(A) + V(B)) & MASK; NEXT;
L_ADDI: V(R) = (V(A) + K) & MASK; NEXT;
L_SUB: V(R) = (V(A) - V(B)) & MASK; NEXT;
L_SUBI: V(R) = (V(A) - K) & MASK; NEXT;
L_MUL: V(R) = (V(A) * V(B)) & MASK; NEXT;
L_MULI: V(R) = (V(A) * K) & MASK; NEXT;
L_AND: V(R) = V(A) & V(B); NEXT;
L_ANDI: V(R) = V(A) & K; NEXT;
L_OR: V(R) = V(A) | V(B); NEXT;
L_ORI: V(R) = V(A) | K; NEXT;
L_XOR: V(R) = V(A) ^ V(B); NEXT;
L_XORI: V(R) = V(A) ^ K; NEXT;
    /* Shift amounts modulo the width: widths are powers of two, and
     * 63 - c is width - 1. */
L_SHL: V(R) = (V(A) << (V(B) & (63 - C))) & MASK; NEXT;
L_SHLI: V(R) = (V(A) << K) & MASK; NEXT;
L_LSHR: V(R) = V(A) >> (V(B) & (63 - C)); NEXT;
L_LSHRI: V(R) = V(A) >> K; NEXT;
L_ASHR: V(R) = (Word)(SX(V(A), C) >> (V(B) & (63 - C))) & MASK; NEXT;
L_ASHRI: V(R) = (Word)(SX(V(A), C) >> K) & MASK; NEXT;
L_ADD64: V(R) = V(A) + V(B); NEXT;
L_ADD64I: V(R) = V(A) + K; NEXT;
L_SUB64: V(R) = V(A) - V(B); NEXT;
L_SUB64I: V(R) = V(A) - K; NEXT;

L_SDIV: {
    Word a = V(A), b = V(B), m = MASK;
    if (unlikely(b == 0))
        TRAP("division by zero");
    if (unlikely(a == (m ^ (m >> 1)) && b == m)) /* MIN / -1 */
        TRAP("integer overflow");
    V(R) = (Word)(SX(a, C) / SX(b, C)) & m;
    NEXT;
}
L_SREM: {
    Word a = V(A), b = V(B), m = MASK;
    if (unlikely(b == 0))
        TRAP("division by zero");
    if (unlikely(a == (m ^ (m >> 1)) && b == m))
        TRAP("integer overflow");
    V(R) = (Word)(SX(a, C) % SX(b, C)) & m;
    NEXT;
}
L_UDIV:
    if (unlikely(V(B) == 0))
        TRAP("division by zero");
    V(R) = V(A) / V(B);
    NEXT;
L_UREM:
    if (unlikely(V(B) == 0))
        TRAP("division by zero");
    V(R) = V(A) % V(B);
    NEXT;

    /* Checked: the exact result must fit the width (signed/unsigned). */
L_ADDC: {
    int64_t s;
    if (__builtin_add_overflow(SX(V(A), C), SX(V(B), C), &s) || SX((Word)s, C) != s)
        TRAP("integer overflow");
    V(R) = (Word)s & MASK;
    NEXT;
}
L_SUBC: {
    int64_t s;
    if (__builtin_sub_overflow(SX(V(A), C), SX(V(B), C), &s) || SX((Word)s, C) != s)
        TRAP("integer overflow");
    V(R) = (Word)s & MASK;
    NEXT;
}
L_MULC: {
    int64_t s;
    if (__builtin_mul_overflow(SX(V(A), C), SX(V(B), C), &s) || SX((Word)s, C) != s)
        TRAP("integer overflow");
    V(R) = (Word)s & MASK;
    NEXT;
}
L_ADDCU: {
    Word s;
    if (__builtin_add_overflow(V(A), V(B), &s) || s > MASK)
        TRAP("integer overflow");
    V(R) = s;
    NEXT;
}
L_SUBCU:
    if (V(A) < V(B))
        TRAP("integer overflow");
    V(R) = V(A) - V(B);
    NEXT;
L_MULCU: {
    Word s;
    if (__builtin_mul_overflow(V(A), V(B), &s) || s > MASK)
        TRAP("integer overflow");
    V(R) = s;
    NEXT;
}

    /* ---- integer compares (ptr too: by address) ---- */
L_IEQ: V(R) = V(A) == V(B); NEXT;
L_INE: V(R) = V(A) != V(B); NEXT;
L_ISLT: V(R) = SX(V(A), C) < SX(V(B), C); NEXT;
L_ISLE: V(R) = SX(V(A), C) <= SX(V(B), C); NEXT;
L_ISGT: V(R) = SX(V(A), C) > SX(V(B), C); NEXT;
L_ISGE: V(R) = SX(V(A), C) >= SX(V(B), C); NEXT;
L_IULT: V(R) = V(A) < V(B); NEXT;
L_IULE: V(R) = V(A) <= V(B); NEXT;
L_IUGT: V(R) = V(A) > V(B); NEXT;
L_IUGE: V(R) = V(A) >= V(B); NEXT;
L_IEQI: V(R) = V(A) == K; NEXT;
L_INEI: V(R) = V(A) != K; NEXT;
L_ISLTI: V(R) = SX(V(A), C) < SX(K, C); NEXT;
L_ISLEI: V(R) = SX(V(A), C) <= SX(K, C); NEXT;
L_ISGTI: V(R) = SX(V(A), C) > SX(K, C); NEXT;
L_ISGEI: V(R) = SX(V(A), C) >= SX(K, C); NEXT;
L_IULTI: V(R) = V(A) < K; NEXT;
L_IULEI: V(R) = V(A) <= K; NEXT;
L_IUGTI: V(R) = V(A) > K; NEXT;
L_IUGEI: V(R) = V(A) >= K; NEXT;

    /* Fused icmp + condbr: r = true target, c = false target; the shift
     * is in u.k (register form) or b (immediate form). */
#define BR_IF(cond) if (cond) JUMP(R); JUMP(C)
L_BEQ: BR_IF(V(A) == V(B));
L_BNE: BR_IF(V(A) != V(B));
L_BSLT: BR_IF(SX(V(A), K) < SX(V(B), K));
L_BSLE: BR_IF(SX(V(A), K) <= SX(V(B), K));
L_BSGT: BR_IF(SX(V(A), K) > SX(V(B), K));
L_BSGE: BR_IF(SX(V(A), K) >= SX(V(B), K));
L_BULT: BR_IF(V(A) < V(B));
L_BULE: BR_IF(V(A) <= V(B));
L_BUGT: BR_IF(V(A) > V(B));
L_BUGE: BR_IF(V(A) >= V(B));
L_BEQI: BR_IF(V(A) == K);
L_BNEI: BR_IF(V(A) != K);
L_BSLTI: BR_IF(SX(V(A), B) < SX(K, B));
L_BSLEI: BR_IF(SX(V(A), B) <= SX(K, B));
L_BSGTI: BR_IF(SX(V(A), B) > SX(K, B));
L_BSGEI: BR_IF(SX(V(A), B) >= SX(K, B));
L_BULTI: BR_IF(V(A) < K);
L_BULEI: BR_IF(V(A) <= K);
L_BUGTI: BR_IF(V(A) > K);
L_BUGEI: BR_IF(V(A) >= K);
L_BSLT64: BR_IF((int64_t)V(A) < (int64_t)V(B));
L_BSLE64: BR_IF((int64_t)V(A) <= (int64_t)V(B));
L_BSGT64: BR_IF((int64_t)V(A) > (int64_t)V(B));
L_BSGE64: BR_IF((int64_t)V(A) >= (int64_t)V(B));
L_BSLT64I: BR_IF((int64_t)V(A) < ip->u.sk);
L_BSLE64I: BR_IF((int64_t)V(A) <= ip->u.sk);
L_BSGT64I: BR_IF((int64_t)V(A) > ip->u.sk);
L_BSGE64I: BR_IF((int64_t)V(A) >= ip->u.sk);

L_SEL: V(R) = (V(A) & 1) ? V(B) : V(C); NEXT;
L_SELP: {
    uint32_t s = (V(A) & 1) ? B : C;
    V(R) = V(s);
    V(R + 1) = V(s + 1);
    NEXT;
}

    /* ---- floats: f32 computed in float, NaN results canonical ---- */
L_FADD32: V(R) = canon32(f32_of(V(A)) + f32_of(V(B))); NEXT;
L_FSUB32: V(R) = canon32(f32_of(V(A)) - f32_of(V(B))); NEXT;
L_FMUL32: V(R) = canon32(f32_of(V(A)) * f32_of(V(B))); NEXT;
L_FDIV32: V(R) = canon32(f32_of(V(A)) / f32_of(V(B))); NEXT;
L_FNEG32: V(R) = V(A) ^ UINT64_C(0x80000000); NEXT;
L_FSQRT32: V(R) = canon32(sqrtf(f32_of(V(A)))); NEXT;
L_FADD64: V(R) = canon64(f64_of(V(A)) + f64_of(V(B))); NEXT;
L_FSUB64: V(R) = canon64(f64_of(V(A)) - f64_of(V(B))); NEXT;
L_FMUL64: V(R) = canon64(f64_of(V(A)) * f64_of(V(B))); NEXT;
L_FDIV64: V(R) = canon64(f64_of(V(A)) / f64_of(V(B))); NEXT;
L_FNEG64: V(R) = V(A) ^ (UINT64_C(1) << 63); NEXT;
L_FSQRT64: V(R) = canon64(sqrt(f64_of(V(A)))); NEXT;

#define FCMP(name, get, expr)                                                  \
    L_##name: {                                                                \
        __typeof__(get(0)) x = get(V(A)), y = get(V(B));                       \
        V(R) = (expr);                                                         \
        NEXT;                                                                  \
    }
#define FCMPS(W, get)                                                          \
    FCMP(FC##W##_OEQ, get, x == y)                                             \
    FCMP(FC##W##_ONE, get, x < y || x > y)                                     \
    FCMP(FC##W##_OLT, get, x < y)                                              \
    FCMP(FC##W##_OLE, get, x <= y)                                             \
    FCMP(FC##W##_OGT, get, x > y)                                              \
    FCMP(FC##W##_OGE, get, x >= y)                                             \
    FCMP(FC##W##_ORD, get, x == x && y == y)                                   \
    FCMP(FC##W##_UNO, get, x != x || y != y)                                   \
    FCMP(FC##W##_UEQ, get, !(x < y || x > y))                                  \
    FCMP(FC##W##_UNE, get, x != y)                                             \
    FCMP(FC##W##_ULT, get, !(x >= y))                                          \
    FCMP(FC##W##_ULE, get, !(x > y))                                           \
    FCMP(FC##W##_UGT, get, !(x <= y))                                          \
    FCMP(FC##W##_UGE, get, !(x < y))
    FCMPS(32, f32_of)
    FCMPS(64, f64_of)

    /* ---- conversions ---- */
L_SEXT: V(R) = (Word)SX(V(A), C) & (UINT64_MAX >> B); NEXT;
L_SITOFP32: V(R) = canon32((float)SX(V(A), C)); NEXT;
L_SITOFP64: V(R) = canon64((double)SX(V(A), C)); NEXT;
L_UITOFP32: V(R) = canon32((float)V(A)); NEXT;
L_UITOFP64: V(R) = canon64((double)V(A)); NEXT;
    /* fptosi/fptoui: truncate, then the value must fit (NaN never does):
     * signed -2^(w-1) <= t < 2^(w-1), unsigned -1 < t < 2^w; u.d holds
     * 2^(w-1) or 2^w, c the width. */
L_FPTOSI32: {
    double t = trunc((double)f32_of(V(A)));
    if (!(t >= -ip->u.d && t < ip->u.d))
        TRAP("invalid conversion");
    V(R) = (Word)(int64_t)t & (UINT64_MAX >> (64 - C));
    NEXT;
}
L_FPTOSI64: {
    double t = trunc(f64_of(V(A)));
    if (!(t >= -ip->u.d && t < ip->u.d))
        TRAP("invalid conversion");
    V(R) = (Word)(int64_t)t & (UINT64_MAX >> (64 - C));
    NEXT;
}
L_FPTOUI32: {
    double t = trunc((double)f32_of(V(A)));
    if (!(t > -1.0 && t < ip->u.d))
        TRAP("invalid conversion");
    V(R) = (Word)t;
    NEXT;
}
L_FPTOUI64: {
    double t = trunc(f64_of(V(A)));
    if (!(t > -1.0 && t < ip->u.d))
        TRAP("invalid conversion");
    V(R) = (Word)t;
    NEXT;
}
L_FPEXT: V(R) = canon64((double)f32_of(V(A))); NEXT;
L_FPTRUNC: V(R) = canon32((float)f64_of(V(A))); NEXT;
L_INTTOPTR: V(R) = V(A); V(R + 1) = TAG_RAW; NEXT;

    /* ---- memory ---- */
L_ALLOCA: {
    Word o[2];
    if (!interp_alloca(I, K, C, o))
        goto trap;
    V(R) = o[0];
    V(R + 1) = o[1];
    NEXT;
}
L_LD1: { ACCESS(p, A, 1, false); V(R) = *p & 1; NEXT; }
L_LD8: { ACCESS(p, A, 1, false); V(R) = *p; NEXT; }
L_LD16: { ACCESS(p, A, 2, false); uint16_t x; memcpy(&x, p, 2); V(R) = x; NEXT; }
L_LD32: { ACCESS(p, A, 4, false); uint32_t x; memcpy(&x, p, 4); V(R) = x; NEXT; }
L_LD64: { ACCESS(p, A, 8, false); Word x; memcpy(&x, p, 8); V(R) = x; NEXT; }
L_LDP: {
    ACCESS(p, A, 8, false);
    Word x;
    memcpy(&x, p, 8);
    V(R + 1) = interp_shadow_get(I, tag_, addr_, x);
    V(R) = x;
    NEXT;
}
L_ST8: { ACCESS(p, B, 1, true); *p = (uint8_t)V(A); NEXT; }
L_ST16: { ACCESS(p, B, 2, true); uint16_t x = (uint16_t)V(A); memcpy(p, &x, 2); NEXT; }
L_ST32: { ACCESS(p, B, 4, true); uint32_t x = (uint32_t)V(A); memcpy(p, &x, 4); NEXT; }
L_ST64: { ACCESS(p, B, 8, true); memcpy(p, &V(A), 8); NEXT; }
L_STP: {
    ACCESS(p, B, 8, true);
    memcpy(p, &V(A), 8);
    interp_shadow_put(I, tag_, addr_, V(A), V(A + 1));
    NEXT;
}
L_PADD: V(R) = V(A) + V(B); V(R + 1) = V(A + 1); NEXT;
L_PADDI: V(R) = V(A) + K; V(R + 1) = V(A + 1); NEXT;
L_MEMCPY: {
    Word n = V(C);
    if (n) {
        Word da = V(A), dt = V(A + 1), sa = V(B), st = V(B + 1);
        uint8_t *d, *s;
        CHECK(s, sa, st, n, false);
        CHECK(d, da, dt, n, true);
        memmove(d, s, n);
        interp_shadow_copy(I, dt, da, st, sa, n);
    }
    NEXT;
}
L_MEMSET: {
    Word n = V(C);
    if (n) {
        ACCESS(d, A, n, true);
        memset(d, (int)(uint8_t)V(B), n);
    }
    NEXT;
}

    /* ---- control ---- */
L_JMP: JUMP(R);
L_BRM: {
    const Moves *mv = ip->u.p;
    for (uint32_t k = 0; k < mv->n; k++)
        V(mv->pairs[2 * k]) = V(mv->pairs[2 * k + 1]);
    JUMP(R);
}
L_CBR: if (V(A) & 1) JUMP(R); JUMP(B);
L_SWITCH: {
    const SwitchTable *st = ip->u.p;
    Word v = V(A);
    uint32_t lo = 0, hi = st->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (st->keys[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->n && st->keys[lo] == v)
        JUMP(st->rel[lo]);
    JUMP(st->dflt);
}
L_TRAP:
    I->trap = ip->u.p;
    I->traplen = R;
    goto trap;

    /* Returns: drop the frame's allocas, restore the caller, and store
     * the result into the slot its call instruction names. */
    {
        Word r0, r1;
        FrameHdr *h;
L_RETA0:
        r0 = r1 = 0;
        goto ret_alloca;
L_RETA1:
        r0 = V(A);
        r1 = 0;
        goto ret_alloca;
L_RETAP:
        r0 = V(A);
        r1 = V(A + 1);
    ret_alloca:
        h = (FrameHdr *)(fp - HDR_WORDS);
        if (I->nallocas != h->alloca_mark)
            interp_pop_allocas(I, h->alloca_mark);
        I->arena_top = h->arena_mark;
        goto ret;
L_RET0:
        r0 = r1 = 0;
        goto ret;
L_RET1:
        r0 = V(A);
        r1 = 0;
        goto ret;
L_RETP:
        r0 = V(A);
        r1 = V(A + 1);
    ret:
        h = (FrameHdr *)(fp - HDR_WORDS);
        room++;
        if (unlikely(!h->ret_ip)) {
            SYNC_DEPTH();
            out[0] = r0;
            out[1] = r1;
            return INTERP_OK;
        }
        ip = h->ret_ip;
        fp = h->caller_fp;
        fn = h->caller_fn;
        if (C) { /* the call's result words: 0, 1, or 2 for a ptr */
            V(R) = r0;
            if (C == 2)
                V(R + 1) = r1;
        }
        NEXT;
    }

    /* Calls: a new frame after the caller's slots. */
    {
        const DFunc *g;
        Word *nfp;
        FrameHdr *h;
L_CALL: {
        const CallSite *cs = ip->u.p;
        g = cs->fn;
        nfp = fp + fn->nslots + HDR_WORDS;
        if (unlikely(nfp > stack_limit || room == 0))
            TRAP("stack overflow");
        uint32_t n = cs->nwords;
        nfp[0] = fp[cs->src[0]]; /* src has a spare entry: harmless if n == 0 */
        for (uint32_t k = 1; k < n; k++)
            nfp[k] = fp[cs->src[k]];
        goto enter;
    }
L_CALLI: {
        const ISite *is = ip->u.p;
        g = indirect_target(I, V(A), V(A + 1));
        if (!g || !signature_matches(g, is))
            TRAP("invalid indirect call");
        if (g->is_extern) {
            Word res[2] = {0, 0};
            I->top = fp + fn->nslots;
            SYNC_DEPTH();
            InterpStatus st = interp_ext_call_indirect(I, g, is, fp, fn->unsafe, res);
            if (st != INTERP_OK)
                return st;
            if (C)
                V(R) = res[0];
            if (C == 2)
                V(R + 1) = res[1];
            NEXT;
        }
        nfp = fp + fn->nslots + HDR_WORDS;
        if (unlikely(nfp + g->nslots > stack_end || room == 0))
            TRAP("stack overflow");
        uint32_t w = 0;
        for (uint32_t k = 0; k < is->nargs; k++) {
            nfp[w++] = fp[is->slot[k]];
            if (is->types[k] == IR_PTR)
                nfp[w++] = fp[is->slot[k] + 1];
        }
        goto enter;
    }
    enter:
        if (g->nconst)
            memcpy(nfp + g->const_base, g->consts, sizeof(Word) * g->nconst);
        h = (FrameHdr *)(nfp - HDR_WORDS);
        h->ret_ip = ip;
        h->caller_fp = fp;
        h->caller_fn = fn;
        if (g->has_alloca) { /* what its return drops */
            h->alloca_mark = I->nallocas;
            h->arena_mark = I->arena_top;
        }
        room--;
        fp = nfp;
        fn = g;
        ip = g->code;
        goto *ip->h;
    }
L_XCALL: {
    const XSite *xs = ip->u.p;
    Word res[2] = {0, 0};
    I->top = fp + fn->nslots; /* where a callback from C may put frames */
    SYNC_DEPTH();
    InterpStatus st = interp_ext_call(I, xs, fp, fn->unsafe, res);
    if (st != INTERP_OK)
        return st;
    if (C)
        V(R) = res[0];
    if (C == 2)
        V(R + 1) = res[1];
    NEXT;
}

trap:
    return INTERP_TRAP;
}

const void *const *interp_handlers(void)
{
    const void *const *h = NULL;
    exec(NULL, NULL, NULL, NULL, &h);
    return h;
}

/* The run entry: saves what a trap must restore, runs, restores. A trap
 * or exit from C (a callback into IR that failed) longjmps back here. */
static InterpStatus guarded_exec(Interp *I, const DFunc *f, Word *fp, Word *out)
{
    jmp_buf jb;
    jmp_buf *outer = I->unwind;
    InterpStatus st;
    I->unwind = &jb;
    if (setjmp(jb))
        st = I->jump_status;
    else
        st = exec(I, f, fp, out, NULL);
    I->unwind = outer;
    return st;
}

InterpStatus interp_call(Interp *I, const DFunc *f, const Word *args, Word out[2])
{
    if (!interp_reserve_stacks(I)) {
        snprintf(I->errbuf, sizeof I->errbuf, "cannot reserve the interpreter's stack");
        return INTERP_ERROR;
    }
    bool was_running = I->running;
    Word *outer_top = I->top;
    uint32_t alloca_mark = I->nallocas, depth = I->depth;
    uint8_t *arena_mark = I->arena_top;
    Word *fp = (was_running ? I->top : I->stack) + HDR_WORDS;
    out[0] = out[1] = 0;
    if (fp + f->nslots > I->stack_end || I->depth >= I->max_depth) {
        interp_set_trap(I, "stack overflow");
        return INTERP_TRAP;
    }
    memcpy(fp, args, sizeof(Word) * f->nparamwords);
    if (f->nconst)
        memcpy(fp + f->const_base, f->consts, sizeof(Word) * f->nconst);
    FrameHdr *h = (FrameHdr *)(fp - HDR_WORDS);
    h->ret_ip = NULL;
    h->caller_fp = NULL;
    h->caller_fn = NULL;
    h->alloca_mark = alloca_mark;
    h->arena_mark = arena_mark;
    I->depth++;
    I->running = true;
    InterpStatus st = guarded_exec(I, f, fp, out);
    if (st != INTERP_OK) {
        interp_pop_allocas(I, alloca_mark);
        I->arena_top = arena_mark;
        I->depth = depth;
    }
    I->running = was_running;
    I->top = outer_top;
    return st;
}
