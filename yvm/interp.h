/* interp.h - the reference interpreter's internal interface.
 *
 * The interpreter runs verified IR in three steps:
 *   interp_mem.c     the object memory model: every alloca, data, global,
 *                    host block and function is an object in one table;
 *                    pointers carry the object they were derived from.
 *   interp_decode.c  IR -> a compact pre-decoded form (Ins): operands
 *                    resolved to frame slots, constants in per-function
 *                    constant slots, block arguments as ordered moves.
 *   interp_exec.c    the dispatch loop (computed goto), calls on an
 *                    interpreter-owned stack, traps.
 *   interp_ffi.c     extern functions: dlsym + libffi, the intercepted C
 *                    allocator, closures that let C call IR functions.
 *
 * Values. A frame is an array of 64-bit words (Word). Integers are kept
 * zero-extended from their width, floats as their bits (f32 in the low
 * 32 bits), so every value has one canonical representation. A `ptr`
 * value takes two consecutive words: the real address (what C sees) and
 * its provenance tag.
 *
 * Tags. A tag is (generation << 32) | object index. An access through
 * (addr, tag) is allowed when the object is live with that generation and
 * [addr, addr+n) lies inside it. Freeing an object bumps its generation,
 * so stale pointers (a dead frame's alloca, a freed block) never match.
 * Indexes 0..2 are reserved: NONE (points at no object), RAW (made by
 * inttoptr: unchecked) and FOREIGN (came from C and lies in no object:
 * unchecked in `unsafe` functions, a trap elsewhere).
 *
 * Nothing here is global: an Interp belongs to one yvm_ctx.
 */
#ifndef YVM_INTERP_H
#define YVM_INTERP_H

#include <ffi.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

typedef uint64_t Word;

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---- objects and tags ---- */

enum { OBJ_NONE = 0, OBJ_RAW = 1, OBJ_FOREIGN = 2, OBJ_FIRST = 3 };

#define TAG(idx, gen) (((Word)(gen) << 32) | (Word)(idx))
#define TAG_INDEX(t) ((uint32_t)(t))
#define TAG_GEN(t) ((uint32_t)((t) >> 32))
#define TAG_NONE TAG(OBJ_NONE, 0)
#define TAG_RAW TAG(OBJ_RAW, 0)
#define TAG_FOREIGN TAG(OBJ_FOREIGN, 0)

typedef enum ObjKind {
    OBJ_K_FREE,     /* a free table entry */
    OBJ_K_SPECIAL,  /* NONE / RAW / FOREIGN */
    OBJ_K_DATA,     /* read-only module data */
    OBJ_K_GLOBAL,   /* mutable module global */
    OBJ_K_ALLOCA,   /* a frame's alloca: dies on return */
    OBJ_K_HOST,     /* from the intercepted malloc/calloc/realloc */
    OBJ_K_ARGV,     /* main's argv array and strings */
    OBJ_K_EXTERNAL, /* memory a host registered with yvm_register_memory */
    OBJ_K_FUNC,     /* a function's address: size 0, callable */
} ObjKind;

typedef struct Shadow Shadow;
typedef struct DFunc DFunc;

typedef struct Obj {
    /* The fast path reads only these four fields. */
    uintptr_t base;
    uint64_t size;   /* readable bytes */
    uint64_t wsize;  /* writable bytes: size, or 0 when read-only */
    uint32_t gen;
    uint8_t kind;    /* ObjKind */
    uint32_t next;   /* free-list link */
    void *owned;     /* malloc'd storage to free when the object dies */
    Shadow *shadow;  /* where pointers stored in the object came from */
    const DFunc *fn; /* OBJ_K_FUNC: the function */
} Obj;

/* ---- pre-decoded code ---- */

typedef enum InsOp {
#define INTERP_OPS(X)                                                          \
    X(MOV) X(MOVP) X(NOP)                                                      \
    X(ADD) X(ADDI) X(SUB) X(SUBI) X(MUL) X(MULI) X(AND) X(ANDI) X(OR) X(ORI)   \
    X(XOR) X(XORI) X(SHL) X(SHLI) X(LSHR) X(LSHRI) X(ASHR) X(ASHRI)            \
    X(ADD64) X(ADD64I) X(SUB64) X(SUB64I)                                      \
    X(SDIV) X(UDIV) X(SREM) X(UREM)                                            \
    X(ADDC) X(SUBC) X(MULC) X(ADDCU) X(SUBCU) X(MULCU)                         \
    X(IEQ) X(INE) X(ISLT) X(ISLE) X(ISGT) X(ISGE) X(IULT) X(IULE) X(IUGT)      \
    X(IUGE)                                                                    \
    X(IEQI) X(INEI) X(ISLTI) X(ISLEI) X(ISGTI) X(ISGEI) X(IULTI) X(IULEI)      \
    X(IUGTI) X(IUGEI)                                                          \
    X(BEQ) X(BNE) X(BSLT) X(BSLE) X(BSGT) X(BSGE) X(BULT) X(BULE) X(BUGT)      \
    X(BUGE)                                                                    \
    X(BEQI) X(BNEI) X(BSLTI) X(BSLEI) X(BSGTI) X(BSGEI) X(BULTI) X(BULEI)      \
    X(BUGTI) X(BUGEI)                                                          \
    X(BSLT64) X(BSLE64) X(BSGT64) X(BSGE64)                                    \
    X(BSLT64I) X(BSLE64I) X(BSGT64I) X(BSGE64I)                                \
    X(SEL) X(SELP)                                                             \
    X(FADD32) X(FSUB32) X(FMUL32) X(FDIV32) X(FNEG32) X(FSQRT32)               \
    X(FADD64) X(FSUB64) X(FMUL64) X(FDIV64) X(FNEG64) X(FSQRT64)               \
    X(FC32_OEQ) X(FC32_ONE) X(FC32_OLT) X(FC32_OLE) X(FC32_OGT) X(FC32_OGE)    \
    X(FC32_ORD) X(FC32_UNO) X(FC32_UEQ) X(FC32_UNE) X(FC32_ULT) X(FC32_ULE)    \
    X(FC32_UGT) X(FC32_UGE)                                                    \
    X(FC64_OEQ) X(FC64_ONE) X(FC64_OLT) X(FC64_OLE) X(FC64_OGT) X(FC64_OGE)    \
    X(FC64_ORD) X(FC64_UNO) X(FC64_UEQ) X(FC64_UNE) X(FC64_ULT) X(FC64_ULE)    \
    X(FC64_UGT) X(FC64_UGE)                                                    \
    X(SEXT) X(SITOFP32) X(SITOFP64) X(UITOFP32) X(UITOFP64)                    \
    X(FPTOSI32) X(FPTOSI64) X(FPTOUI32) X(FPTOUI64) X(FPEXT) X(FPTRUNC)        \
    X(INTTOPTR)                                                                \
    X(ALLOCA) X(LD1) X(LD8) X(LD16) X(LD32) X(LD64) X(LDP)                     \
    X(ST8) X(ST16) X(ST32) X(ST64) X(STP) X(PADD) X(PADDI)                     \
    X(MEMCPY) X(MEMSET)                                                        \
    X(JMP) X(BRM) X(CBR) X(SWITCH) X(RET0) X(RET1) X(RETP) X(RETA0) X(RETA1)      \
    X(RETAP) X(TRAP)             \
    X(CALL) X(XCALL) X(CALLI)
#define X(e) INS_##e,
    INTERP_OPS(X)
#undef X
    INS_COUNT
} InsOp;

/* One decoded instruction (32 bytes). Which fields an op uses is written
 * beside its handler in interp_exec.c; r/a/b/c are frame slots, numbers
 * or ip-relative branch offsets. Before threading, `h` holds the InsOp;
 * after, the handler's label address. */
typedef struct Ins {
    union {
        const void *h;
        uintptr_t op;
    };
    uint32_t r, a, b, c;
    union {
        uint64_t k;
        int64_t sk;
        double d;
        const void *p;
    } u;
} Ins;

/* A branch edge's block arguments as ordered word moves. */
typedef struct Moves {
    uint32_t n;
    uint32_t pairs[]; /* dst0, src0, dst1, src1, ... */
} Moves;

typedef struct SwitchTable {
    uint32_t n;       /* cases */
    int32_t dflt;     /* ip-relative target */
    const uint64_t *keys; /* sorted */
    int32_t *rel;         /* ip-relative targets, by key */
} SwitchTable;

/* A direct call site of an IR function. */
typedef struct CallSite {
    const DFunc *fn;
    uint32_t nwords;      /* argument words */
    uint32_t src[];       /* caller slots to copy to callee slots 0.. */
} CallSite;

/* A call site of an extern function (direct or resolved indirectly). */
typedef struct XSite {
    const DFunc *fn;
    ffi_cif *cif;         /* this site's cif (variadic: its own) */
    uint32_t nargs;
    uint32_t nfixed;      /* arguments before `...` */
    const uint8_t *types; /* IrType of each argument */
    const uint32_t *slot; /* caller slot of each argument */
    uint8_t ret;          /* IrType of the result */
} XSite;

/* An indirect call site: its signature and argument slots. */
typedef struct ISite {
    uint8_t ret;
    uint32_t nargs;
    const uint8_t *types;
    const uint32_t *slot;
} ISite;

typedef enum Special {
    SP_NONE, SP_MALLOC, SP_CALLOC, SP_REALLOC, SP_FREE, SP_EXIT,
    SP_MEMCPY, SP_MEMMOVE, SP_MEMSET,
} Special;

typedef struct Instance Instance;

/* A decoded function: defined (code) or extern (C). */
struct DFunc {
    const IrFunc *ir;
    const char *name;
    Instance *inst;
    uint8_t ret;            /* IrType */
    bool unsafe;
    bool is_extern;
    /* defined functions */
    Ins *code;
    uint32_t nslots;        /* frame words */
    uint32_t nparamwords;   /* parameters occupy slots 0..nparamwords-1 */
    bool has_alloca;        /* its returns must drop allocas (RETA*) */
    uint32_t const_base, nconst;
    Word *consts;           /* copied into every new frame */
    /* extern functions */
    void (*cfn)(void);
    ffi_cif cif;            /* non-variadic signature */
    ffi_type **atypes;
    Special special;
    /* its address as a pointer value (0 tag when never taken) */
    Word addr, tag;
    void *closure;          /* ffi_closure making `addr` callable from C */
};

/* A module prepared to run: its objects, decoded functions and symbols. */
struct Instance {
    struct Interp *I;
    const IrModule *m;
    uint32_t nfuncs;
    DFunc *funcs;           /* by item index (unused for data items) */
    Word *item_addr, *item_tag; /* each item's address as a pointer value */
    Arena arena;            /* decoded code and tables */
};

/* A resolver the embedding API supplies: host symbols, -l libraries. */
typedef void (*InterpHostFn)(void);
typedef InterpHostFn (*InterpResolve)(void *user, const char *name);

typedef enum InterpStatus {
    INTERP_OK, INTERP_TRAP, INTERP_EXIT, INTERP_ERROR,
} InterpStatus;

typedef struct Interp {
    /* object table */
    Obj *objs;
    uint32_t nobjs, capobjs;
    uint32_t free_head;     /* free-list of table entries (0: none) */
    /* alloca objects of live frames, as a stack of table indexes */
    uint32_t *allocas;
    uint32_t nallocas, capallocas;
    /* frame words and alloca bytes: two reserved regions */
    Word *stack, *stack_end;
    uint8_t *arena, *arena_end, *arena_top;
    size_t stack_bytes, arena_bytes;
    uint32_t depth, max_depth;
    uint32_t max_frame;     /* words of the largest frame + header decoded */
    /* the state of the run in progress, for nested runs and unwinding */
    bool running;
    jmp_buf *unwind;        /* innermost run entry (for traps from C) */
    Word *top;              /* first free stack word during an FFI call */
    InterpStatus jump_status; /* what a longjmp to `unwind` reports */
    /* the outcome of the last run */
    const char *trap;       /* reason bytes (static or module arena) */
    size_t traplen;
    int exit_status;        /* INTERP_EXIT */
    char errbuf[256];       /* INTERP_ERROR message */
} Interp;

/* ---- interp_mem.c ---- */
Interp *interp_new(void);
void interp_free(Interp *I);
bool interp_reserve_stacks(Interp *I);
/* A new live object of `size` bytes at `base`; returns its tag (0 when
 * the table cannot grow). */
Word interp_obj_new(Interp *I, ObjKind kind, void *base, uint64_t size, bool writable,
             void *owned);
void interp_obj_kill(Interp *I, uint32_t idx);
/* The tag of the live object holding addr (or one past its end),
 * else TAG_FOREIGN (TAG_NONE for address 0). */
Word interp_obj_find(const Interp *I, Word addr);
/* Slow path of an access check: returns the host pointer, or NULL after
 * setting the trap reason. n > 0. */
uint8_t *interp_check_slow(Interp *I, Word addr, Word tag, uint64_t n, bool write,
                        bool unsafe);
/* Full check for an access of n bytes (n may be 0: always allowed). */
uint8_t *interp_check(Interp *I, Word addr, Word tag, uint64_t n, bool write,
                   bool unsafe);
/* Provenance of pointers stored in memory. */
void interp_shadow_put(Interp *I, Word dst_tag, Word dst_addr, Word val, Word val_tag);
Word interp_shadow_get(const Interp *I, Word src_tag, Word src_addr, Word val);
void interp_shadow_copy(Interp *I, Word dtag, Word daddr, Word stag, Word saddr,
                 uint64_t n);
/* An alloca object on the current frame; false after setting the trap. */
bool interp_alloca(Interp *I, uint64_t size, uint64_t align, Word out[2]);
void interp_pop_allocas(Interp *I, uint32_t mark);
/* Module objects: data, globals, function addresses. */
bool interp_layout_data(Instance *in, char *err, size_t errlen);
void interp_free_objects(Instance *in);
void interp_set_trap(Interp *I, const char *reason);

/* ---- interp_decode.c ---- */
bool interp_decode(Instance *in, DFunc *f, char *err, size_t errlen);

/* ---- interp_ffi.c ---- */
bool interp_ext_resolve(Instance *in, DFunc *f, InterpResolve resolve, void *user,
                        char *err, size_t errlen);
bool interp_ext_prepare(Instance *in, XSite *s, char *err, size_t errlen);
/* Call an extern; result words into out. INTERP_OK or a failure status. */
InterpStatus interp_ext_call(Interp *I, const XSite *s, const Word *fp, bool unsafe,
                             Word out[2]);
/* Call an extern through call.ind with the call site's own signature. */
InterpStatus interp_ext_call_indirect(Interp *I, const DFunc *f, const ISite *s,
                               const Word *fp, bool unsafe, Word out[2]);
bool interp_ext_closure(Instance *in, DFunc *f);
void interp_ext_free_closure(DFunc *f);
ffi_type *interp_ext_type(IrType t);

/* ---- interp_exec.c ---- */
/* The handler address of each InsOp (for threading decoded code). */
const void *const *interp_handlers(void);
/* Run f with argument words (ptr arguments take 2 words); the result
 * words land in out. Nested runs (C calling back into IR) are allowed. */
InterpStatus interp_call(Interp *I, const DFunc *f, const Word *args, Word out[2]);

/* Frame header words kept below each frame. */
typedef struct FrameHdr {
    const Ins *ret_ip;     /* the call instruction; NULL: the run entry */
    Word *caller_fp;
    const DFunc *caller_fn;
    uint32_t alloca_mark;  /* alloca state to restore (RETA*) */
    uint8_t *arena_mark;
} FrameHdr;
#define HDR_WORDS ((uint32_t)(sizeof(FrameHdr) / sizeof(Word)))

/* Value helpers shared by the files. */
static inline int64_t sext_bits(Word x, unsigned sh)
{
    return (int64_t)(x << sh) >> sh;
}

#endif
