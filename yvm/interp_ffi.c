/* interp_ffi.c - extern functions: resolving, calling C through libffi,
 * the intercepted C allocator, and closures that make IR functions
 * callable from C.
 *
 * Argument words are canonical (zero-extended, little-endian), so a
 * fixed argument is passed by pointing libffi at its slot. Arguments in
 * the `...` part get C's default promotions (i1 zero-extends, i8/i16
 * sign-extend to int; f32 becomes double).
 *
 * Intercepted by name (when declared with the C signature):
 *   malloc calloc realloc free  blocks become checked host objects, zeroed
 *                               (fresh memory reads as zero)
 *   memcpy memmove memset       checked like the IR instructions
 *   exit                        ends the run with a status instead of
 *                               ending the host process
 * Every other C function sees real addresses and is not checked.
 */
#include "interp.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ffi_type *interp_ext_type(IrType t)
{
    switch (t) {
    case IR_I1: return &ffi_type_uint8;
    case IR_I8: return &ffi_type_sint8;
    case IR_I16: return &ffi_type_sint16;
    case IR_I32: return &ffi_type_sint32;
    case IR_I64: return &ffi_type_sint64;
    case IR_F32: return &ffi_type_float;
    case IR_F64: return &ffi_type_double;
    case IR_PTR: return &ffi_type_pointer;
    default: return &ffi_type_void;
    }
}

/* The type a variadic argument is passed as. */
static IrType promoted(IrType t)
{
    switch (t) {
    case IR_I1: case IR_I8: case IR_I16: return IR_I32;
    case IR_F32: return IR_F64;
    default: return t;
    }
}

/* ---- resolving ---- */

typedef struct SpecialSig {
    const char *name;
    Special sp;
    IrType ret;
    uint32_t n;
    IrType p[3];
} SpecialSig;

static const SpecialSig specials[] = {
    {"malloc", SP_MALLOC, IR_PTR, 1, {IR_I64}},
    {"calloc", SP_CALLOC, IR_PTR, 2, {IR_I64, IR_I64}},
    {"realloc", SP_REALLOC, IR_PTR, 2, {IR_PTR, IR_I64}},
    {"free", SP_FREE, IR_VOID, 1, {IR_PTR}},
    {"exit", SP_EXIT, IR_VOID, 1, {IR_I32}},
    {"memcpy", SP_MEMCPY, IR_PTR, 3, {IR_PTR, IR_PTR, IR_I64}},
    {"memmove", SP_MEMMOVE, IR_PTR, 3, {IR_PTR, IR_PTR, IR_I64}},
    {"memset", SP_MEMSET, IR_PTR, 3, {IR_PTR, IR_I32, IR_I64}},
};

static Special special_of(const char *name, const IrFunc *f)
{
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++) {
        const SpecialSig *s = &specials[i];
        if (strcmp(s->name, name) || f->ret != s->ret || f->nparams != s->n ||
            (f->attrs & IR_ATTR_VARIADIC))
            continue;
        bool same = true;
        for (uint32_t k = 0; k < s->n; k++)
            same = same && f->ptypes[k] == s->p[k];
        if (same)
            return s->sp;
    }
    return SP_NONE;
}

bool interp_ext_resolve(Instance *in, DFunc *f, InterpResolve resolve, void *user,
                        char *err, size_t errlen)
{
    const IrFunc *ir = f->ir;
    f->special = special_of(f->name, ir);
    f->cfn = resolve ? resolve(user, f->name) : NULL;
    if (!f->cfn) {
        void *p = dlsym(RTLD_DEFAULT, f->name);
        memcpy(&f->cfn, &p, sizeof p); /* object -> function pointer */
    }
    if (!f->cfn && f->special == SP_NONE) {
        snprintf(err, errlen, "unresolved extern function '@%s'", f->name);
        return false;
    }
    f->atypes = arena_alloc(&in->arena, sizeof *f->atypes * (ir->nparams + 1));
    for (uint32_t k = 0; k < ir->nparams; k++)
        f->atypes[k] = interp_ext_type((IrType)ir->ptypes[k]);
    if (ffi_prep_cif(&f->cif, FFI_DEFAULT_ABI, ir->nparams, interp_ext_type(ir->ret),
                     f->atypes) != FFI_OK) {
        snprintf(err, errlen, "cannot call extern function '@%s' through libffi", f->name);
        return false;
    }
    return true;
}

static bool prep_var(Arena *a, ffi_cif *cif, uint32_t nfixed, uint32_t nargs,
                     const uint8_t *types, IrType ret)
{
    ffi_type **at = arena_alloc(a, sizeof *at * (nargs + 1));
    for (uint32_t k = 0; k < nargs; k++)
        at[k] = interp_ext_type(k < nfixed ? (IrType)types[k] : promoted((IrType)types[k]));
    return ffi_prep_cif_var(cif, FFI_DEFAULT_ABI, nfixed, nargs, interp_ext_type(ret), at) == FFI_OK;
}

bool interp_ext_prepare(Instance *in, XSite *s, char *err, size_t errlen)
{
    const DFunc *f = s->fn;
    if (!(f->ir->attrs & IR_ATTR_VARIADIC)) {
        s->cif = (ffi_cif *)&f->cif;
        return true;
    }
    s->cif = arena_alloc(&in->arena, sizeof *s->cif);
    if (!prep_var(&in->arena, s->cif, s->nfixed, s->nargs, s->types, (IrType)s->ret)) {
        snprintf(err, errlen, "cannot call variadic function '@%s' with these arguments",
                 f->name);
        return false;
    }
    return true;
}

/* ---- the intercepted functions ---- */

static bool host_block(Interp *I, uint64_t n, Word out[2])
{
    void *p = calloc(1, n ? n : 1);
    Word tag = p ? interp_obj_new(I, OBJ_K_HOST, p, n, true, p) : 0;
    if (!tag) {
        free(p);
        out[0] = 0;
        out[1] = TAG_NONE;
        return false;
    }
    out[0] = (uintptr_t)p;
    out[1] = tag;
    return true;
}

/* The live host block a pointer is the start of, or 0. */
static uint32_t host_block_at(const Interp *I, Word addr, Word tag)
{
    uint32_t idx = TAG_INDEX(tag);
    if (idx < OBJ_FIRST || idx >= I->nobjs)
        return 0;
    const Obj *o = &I->objs[idx];
    if (o->gen != TAG_GEN(tag) || o->kind != OBJ_K_HOST || o->base != addr)
        return 0;
    return idx;
}

static bool is_c_world(Word tag)
{
    return TAG_INDEX(tag) == OBJ_RAW || TAG_INDEX(tag) == OBJ_FOREIGN;
}

/* a[k] = (word, tag) of argument k. */
static InterpStatus call_special(Interp *I, Special sp, const Word (*a)[2], bool unsafe,
                                 Word out[2])
{
    switch (sp) {
    case SP_MALLOC:
        host_block(I, a[0][0], out);
        return INTERP_OK;
    case SP_CALLOC: {
        uint64_t n;
        if (__builtin_mul_overflow(a[0][0], a[1][0], &n)) {
            out[0] = 0;
            out[1] = TAG_NONE;
            return INTERP_OK;
        }
        host_block(I, n, out);
        return INTERP_OK;
    }
    case SP_REALLOC: {
        Word p = a[0][0], tag = a[0][1];
        if (p == 0) {
            host_block(I, a[1][0], out);
            return INTERP_OK;
        }
        if (is_c_world(tag) && unsafe) {
            void *q = realloc((void *)(uintptr_t)p, a[1][0]);
            out[0] = (uintptr_t)q;
            out[1] = q ? TAG_FOREIGN : TAG_NONE;
            return INTERP_OK;
        }
        uint32_t idx = host_block_at(I, p, tag);
        if (!idx) {
            interp_set_trap(I, "invalid free");
            return INTERP_TRAP;
        }
        if (!host_block(I, a[1][0], out))
            return INTERP_OK; /* the old block stays, as in C */
        uint64_t old = I->objs[idx].size, n = a[1][0];
        memcpy((void *)(uintptr_t)out[0], (void *)(uintptr_t)p, old < n ? old : n);
        interp_shadow_copy(I, out[1], out[0], tag, p, old < n ? old : n);
        interp_obj_kill(I, idx);
        return INTERP_OK;
    }
    case SP_FREE: {
        Word p = a[0][0], tag = a[0][1];
        if (p == 0)
            return INTERP_OK;
        if (is_c_world(tag) && unsafe) {
            free((void *)(uintptr_t)p);
            return INTERP_OK;
        }
        uint32_t idx = host_block_at(I, p, tag);
        if (!idx) {
            interp_set_trap(I, "invalid free");
            return INTERP_TRAP;
        }
        interp_obj_kill(I, idx);
        return INTERP_OK;
    }
    case SP_EXIT:
        I->exit_status = (int)(uint32_t)a[0][0];
        return INTERP_EXIT;
    case SP_MEMCPY: case SP_MEMMOVE: {
        uint64_t n = a[2][0];
        uint8_t *s = interp_check(I, a[1][0], a[1][1], n, false, unsafe);
        uint8_t *d = s ? interp_check(I, a[0][0], a[0][1], n, true, unsafe) : NULL;
        if (!d)
            return INTERP_TRAP;
        if (n) {
            memmove(d, s, n);
            interp_shadow_copy(I, a[0][1], a[0][0], a[1][1], a[1][0], n);
        }
        out[0] = a[0][0];
        out[1] = a[0][1];
        return INTERP_OK;
    }
    case SP_MEMSET: {
        uint64_t n = a[2][0];
        uint8_t *d = interp_check(I, a[0][0], a[0][1], n, true, unsafe);
        if (!d)
            return INTERP_TRAP;
        if (n)
            memset(d, (int)(uint8_t)a[1][0], n);
        out[0] = a[0][0];
        out[1] = a[0][1];
        return INTERP_OK;
    }
    default:
        return INTERP_OK;
    }
}

/* ---- calling C ---- */

static Word result_word(IrType t, const void *rv)
{
    uint64_t w;
    memcpy(&w, rv, 8);
    switch (t) {
    case IR_I1: return w & 1;
    case IR_F32: return (uint32_t)w;
    default: return w & ir_type_mask(t);
    }
}

static InterpStatus do_call(Interp *I, const DFunc *g, ffi_cif *cif, uint32_t nargs,
                            uint32_t nfixed, const uint8_t *types, const uint32_t *slot,
                            const Word *fp, bool unsafe, Word out[2])
{
    if (g->special != SP_NONE && nargs <= 3) {
        Word a[3][2] = {{0, 0}, {0, 0}, {0, 0}};
        for (uint32_t k = 0; k < nargs; k++) {
            a[k][0] = fp[slot[k]];
            a[k][1] = types[k] == IR_PTR ? fp[slot[k] + 1] : 0;
        }
        return call_special(I, g->special, (const Word(*)[2])a, unsafe, out);
    }
    void *av[nargs ? nargs : 1];
    Word tmp[nargs ? nargs : 1];
    for (uint32_t k = 0; k < nargs; k++) {
        IrType t = (IrType)types[k];
        Word v = fp[slot[k]];
        if (k < nfixed || promoted(t) == t) {
            av[k] = (void *)&fp[slot[k]];
            continue;
        }
        if (t == IR_F32) {
            float f;
            uint32_t u = (uint32_t)v;
            memcpy(&f, &u, 4);
            double d = f;
            memcpy(&tmp[k], &d, 8);
        } else {
            int32_t i = t == IR_I1 ? (int32_t)(v & 1) : (int32_t)sext_bits(v, 64 - ir_type_bits(t));
            tmp[k] = 0;
            memcpy(&tmp[k], &i, 4);
        }
        av[k] = &tmp[k];
    }
    union {
        ffi_arg a;
        uint64_t u;
        double d;
        void *p;
    } rv = {0};
    ffi_call(cif, g->cfn, &rv, av);
    IrType rt = (IrType)g->ret;
    if (rt == IR_VOID)
        return INTERP_OK;
    out[0] = result_word(rt, &rv);
    if (rt == IR_PTR)
        out[1] = interp_obj_find(I, out[0]);
    return INTERP_OK;
}

InterpStatus interp_ext_call(Interp *I, const XSite *s, const Word *fp, bool unsafe,
                             Word out[2])
{
    return do_call(I, s->fn, s->cif, s->nargs, s->nfixed, s->types, s->slot, fp, unsafe,
                   out);
}

InterpStatus interp_ext_call_indirect(Interp *I, const DFunc *f, const ISite *s,
                               const Word *fp, bool unsafe, Word out[2])
{
    if (!(f->ir->attrs & IR_ATTR_VARIADIC))
        return do_call(I, f, (ffi_cif *)&f->cif, s->nargs, s->nargs, s->types, s->slot,
                       fp, unsafe, out);
    /* A variadic callee: a cif for this call's arguments. */
    Arena a;
    arena_init(&a);
    ffi_cif cif;
    InterpStatus st;
    if (prep_var(&a, &cif, f->ir->nparams, s->nargs, s->types, (IrType)f->ret)) {
        st = do_call(I, f, &cif, s->nargs, f->ir->nparams, s->types, s->slot, fp, unsafe,
                     out);
    } else {
        interp_set_trap(I, "invalid indirect call");
        st = INTERP_TRAP;
    }
    arena_free(&a);
    return st;
}

/* ---- closures: C calling IR ---- */

static void closure_entry(ffi_cif *cif, void *ret, void **args, void *user)
{
    const DFunc *f = user;
    Interp *I = f->inst->I;
    const IrFunc *ir = f->ir;
    Word w[2 * ir->nparams + 1];
    uint32_t n = 0;
    for (uint32_t k = 0; k < ir->nparams; k++) {
        IrType t = (IrType)ir->ptypes[k];
        Word v = 0;
        memcpy(&v, args[k], ir_type_size(t));
        w[n++] = t == IR_I1 ? v & 1 : v;
        if (t == IR_PTR)
            w[n++] = interp_obj_find(I, v);
    }
    Word out[2];
    InterpStatus st = interp_call(I, f, w, out);
    if (st != INTERP_OK && I->unwind) {
        /* A trap (or exit) inside the callback ends the whole run. */
        I->jump_status = st;
        longjmp(*I->unwind, 1);
    }
    if (st != INTERP_OK)
        out[0] = 0;
    IrType rt = (IrType)f->ret;
    switch (rt) {
    case IR_VOID:
        break;
    case IR_F32: memcpy(ret, &out[0], 4); break;
    case IR_F64: case IR_PTR: memcpy(ret, &out[0], 8); break;
    default: {
        /* Integers come back widened to ffi_arg, signed types sign-extended. */
        ffi_arg a = rt == IR_I1 ? (ffi_arg)out[0]
                                : (ffi_arg)sext_bits(out[0], 64 - ir_type_bits(rt));
        memcpy(ret, &a, sizeof a);
        break;
    }
    }
    (void)cif;
}

bool interp_ext_closure(Instance *in, DFunc *f)
{
    const IrFunc *ir = f->ir;
    void *code = NULL;
    ffi_closure *c = ffi_closure_alloc(sizeof *c, &code);
    if (!c)
        return false;
    f->atypes = arena_alloc(&in->arena, sizeof *f->atypes * (ir->nparams + 1));
    for (uint32_t k = 0; k < ir->nparams; k++)
        f->atypes[k] = interp_ext_type((IrType)ir->ptypes[k]);
    if (ffi_prep_cif(&f->cif, FFI_DEFAULT_ABI, ir->nparams, interp_ext_type(ir->ret),
                     f->atypes) != FFI_OK ||
        ffi_prep_closure_loc(c, &f->cif, closure_entry, f, code) != FFI_OK) {
        ffi_closure_free(c);
        return false;
    }
    f->closure = c;
    f->addr = (uintptr_t)code;
    return true;
}

void interp_ext_free_closure(DFunc *f)
{
    if (f->closure)
        ffi_closure_free(f->closure);
    f->closure = NULL;
}
