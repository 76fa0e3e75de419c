/* x86_difftest.c - the x86-64 encoder and printer against GNU as, and the
 * ELF writer against the system linker (testsuite/suites/42-x86-encode.sh
 * drives both).
 *
 *   x86-difftest gen DIR       instantiate every insns.def row over the
 *                              register/addressing/immediate corner cases:
 *                              DIR/t.s (our printer) and DIR/mine.o (our
 *                              encoder + ELF writer); fails unless every
 *                              row was used and every bad form is refused
 *   x86-difftest compare DIR   compare DIR/ref.bin (.text of `as t.s`)
 *                              with our bytes, instruction by instruction
 *   x86-difftest obj DIR       DIR/many.o (5000 symbols, NOP padding)
 *                              and DIR/rv.o (a RISC-V data object)
 *   x86-difftest elf DIR       DIR/yvm.o and DIR/yvm.s: data (all four
 *                              sections), functions, relocations, an
 *                              undefined symbol and the runtime tables, to
 *                              be linked with x86_elf_main.c
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/data.h"
#include "codegen/obj.h"
#include "ir.h"
#include "targets/x86_64/encode.h"
#include "targets/x86_64/x86.h"

typedef struct InstList {
    X86Inst *v;
    size_t n, cap;
} InstList;

static void add(InstList *l, X86Inst in)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    l->v[l->n++] = in;
}

static X86Operand R(int r) { return (X86Operand){.kind = X86_OPD_REG, .reg = (int8_t)r, .index = X86_NOREG}; }
static X86Operand IMM(int64_t v) { return (X86Operand){.kind = X86_OPD_IMM, .imm = v, .index = X86_NOREG, .reg = X86_NOREG}; }
static X86Operand M(int base, int index, int scale, int32_t disp)
{
    return (X86Operand){.kind = X86_OPD_MEM, .reg = (int8_t)base, .index = (int8_t)index,
                        .scale = (uint8_t)scale, .disp = disp};
}
static X86Operand MSYM(const char *sym, int32_t disp)
{
    X86Operand m = M(X86_RIP, X86_NOREG, 1, disp);
    m.sym = sym;
    return m;
}
static X86Operand LBL(uint32_t l) { return (X86Operand){.kind = X86_OPD_LABEL, .label = l, .reg = X86_NOREG, .index = X86_NOREG}; }
static X86Operand SYM(const char *s) { return (X86Operand){.kind = X86_OPD_SYM, .sym = s, .reg = X86_NOREG, .index = X86_NOREG}; }

static X86Inst INST(int op, int size, int size2, int nops, X86Operand a, X86Operand b, X86Operand c)
{
    X86Inst in = {.op = (uint16_t)op, .size = (uint8_t)size, .size2 = (uint8_t)size2,
                  .nops = (uint8_t)nops};
    in.ops[0] = a;
    in.ops[1] = b;
    in.ops[2] = c;
    return in;
}

/* ---- samples per operand class ---- */

enum { MAX_SAMPLES = 512 };
typedef struct Samples {
    X86Operand v[MAX_SAMPLES];
    int n;
} Samples;

static const int64_t imm_values[] = {
    0, 1, -1, 2, 5, 31, 63, 127, 128, -128, -129, 255, 256, 1000, -1000, 32767,
    32768, -32768, -32769, 65535, 65536, 0x12345678, 0x7fffffff, -0x7fffffff - 1,
    0x80000000LL, 0xffffffffLL, 0x100000000LL, -0x80000001LL, 0x123456789abcdef0LL,
    INT64_MIN, INT64_MAX,
};

static void mem_samples(Samples *s)
{
    static const int32_t disps[] = {0, 1, -1, 127, -128, 128, -129, 0x12345678, -0x12345678};
    int k = 0;
    for (int b = X86_RAX; b <= X86_R15; b++)
        for (size_t d = 0; d < sizeof disps / sizeof disps[0]; d++)
            s->v[s->n++] = M(b, X86_NOREG, 1, disps[d]);
    for (int i = X86_RAX; i <= X86_R15; i++) {
        if (i == X86_RSP)
            continue;
        for (int sc = 1; sc <= 8; sc *= 2) {
            int b = (i * 3 + sc + k) % 16;
            s->v[s->n++] = M(b, i, sc, disps[k % 9]);
            k++;
        }
        s->v[s->n++] = M(X86_NOREG, i, 1 << (i % 4), disps[i % 9]);
    }
    /* Bases that need SIB (rsp, r12) or a displacement (rbp, r13), with
     * and without an index. */
    static const int special[] = {X86_RSP, X86_R12, X86_RBP, X86_R13};
    for (int j = 0; j < 4; j++) {
        s->v[s->n++] = M(special[j], X86_R12, 8, 0);
        s->v[s->n++] = M(special[j], X86_RBP, 2, 0);
        s->v[s->n++] = M(special[j], X86_R13, 4, -4);
    }
    s->v[s->n++] = M(X86_NOREG, X86_NOREG, 1, 0x1000);
    s->v[s->n++] = M(X86_RIP, X86_NOREG, 1, 16);
    s->v[s->n++] = M(X86_RIP, X86_NOREG, 1, -300);
    s->v[s->n++] = MSYM("ext_a", 0);
    s->v[s->n++] = MSYM("ext_a", 8);
    s->v[s->n++] = MSYM("ext.b$1", -20);
    s->v[s->n++] = MSYM("fs", 4);   /* names Intel syntax reads as registers */
    s->v[s->n++] = MSYM("rax", 0);
    s->v[s->n++] = MSYM("0", 12);   /* a name that needs quotes */
}

static void class_samples(int k, Samples *s, const Samples *mems)
{
    s->n = 0;
    switch (k) {
    case K_R:
        for (int r = X86_RAX; r <= X86_R15; r++)
            s->v[s->n++] = R(r);
        break;
    case K_X:
        for (int r = X86_XMM0; r <= X86_XMM15; r++)
            s->v[s->n++] = R(r);
        break;
    case K_M:
        *s = *mems;
        break;
    case K_RM:
        class_samples(K_R, s, mems);
        for (int i = 0; i < mems->n; i++)
            s->v[s->n++] = mems->v[i];
        break;
    case K_XM:
        class_samples(K_X, s, mems);
        for (int i = 0; i < mems->n; i++)
            s->v[s->n++] = mems->v[i];
        break;
    case K_ACC: s->v[s->n++] = R(X86_RAX); break;
    case K_CL: s->v[s->n++] = R(X86_RCX); break;
    case K_I:
    case K_I8:
        for (size_t i = 0; i < sizeof imm_values / sizeof imm_values[0]; i++)
            s->v[s->n++] = IMM(imm_values[i]);
        break;
    case K_ONE: s->v[s->n++] = IMM(1); break;
    case K_S:
        s->v[s->n++] = SYM("ext_a");
        s->v[s->n++] = SYM("ext.b$1");
        s->v[s->n++] = SYM("ptr");
        s->v[s->n++] = SYM("r8d");
        break;
    default: break;
    }
}

/* ---- generation ---- */

typedef struct Gen {
    InstList body;      /* one function: every non-branch instruction */
    InstList branches;  /* one function: labels and relaxation cases */
    uint32_t nlabels;
    size_t *row_hits;
    int failures;
} Gen;

static void try_add(Gen *g, X86Inst in)
{
    X86Code c;
    if (!x86_encode_one(&in, false, &c, NULL, 0))
        return;
    g->row_hits[c.row]++;
    add(&g->body, in);
}

static void gen_row(Gen *g, const X86EncRow *row, const Samples *mems)
{
    int nk = 0;
    while (nk < 3 && row->k[nk] != K_NONE)
        nk++;
    if (nk >= 1 && row->k[0] == K_L)
        return; /* branch rows: gen_branches */
    static Samples s[3];
    for (int i = 0; i < nk; i++)
        class_samples(row->k[i], &s[i], mems);
    for (int size = 1; size <= 8; size *= 2) {
        if (row->sizes ? !(row->sizes & size) : size != 8)
            continue;
        for (int size2 = 1; size2 <= 8; size2 *= 2) {
            if (row->sizes2 ? !(row->sizes2 & size2) : size2 != 1)
                continue;
            int sz2 = row->sizes2 ? size2 : 0;
            unsigned rot = 0;
            bool ccrow = row->flags & F_CC;
            if (nk == 0) {
                try_add(g, INST(row->op, size, sz2, 0, R(0), R(0), R(0)));
                continue;
            }
            long product = 1;
            for (int i = 0; i < nk; i++)
                product *= s[i].n;
            if (product <= 1200) {
                /* Full cross product. */
                for (long c = 0; c < product; c++) {
                    long r = c;
                    X86Operand o[3] = {0};
                    for (int i = nk - 1; i >= 0; i--) {
                        o[i] = s[i].v[r % s[i].n];
                        r /= s[i].n;
                    }
                    X86Inst in = INST(row->op, size, sz2, nk, o[0], o[1], o[2]);
                    in.cc = (uint8_t)(c % 16);
                    try_add(g, in);
                }
            } else {
                /* Each sample in each position, the others rotating. */
                for (int p = 0; p < nk; p++)
                    for (int j = 0; j < s[p].n; j++) {
                        X86Operand o[3] = {0};
                        for (int i = 0; i < nk; i++)
                            o[i] = i == p ? s[p].v[j] : s[i].v[(rot * 7 + (unsigned)i) % (unsigned)s[i].n];
                        rot++;
                        X86Inst in = INST(row->op, size, sz2, nk, o[0], o[1], o[2]);
                        in.cc = (uint8_t)(rot % 16);
                        try_add(g, in);
                    }
            }
            if (ccrow)
                for (int cc = 0; cc < 16; cc++) {
                    X86Operand o[3] = {s[0].v[cc % s[0].n], nk > 1 ? s[1].v[0] : R(0), R(0)};
                    X86Inst in = INST(row->op, size, sz2, nk, o[0], o[1], o[2]);
                    in.cc = (uint8_t)cc;
                    try_add(g, in);
                }
        }
    }
}

static void br_add(Gen *g, X86Inst in)
{
    X86Code c;
    if (x86_encode_one(&in, false, &c, NULL, 0) && c.row >= 0)
        g->row_hits[c.row]++;
    if (in.op != X86_LABEL && in.ops[0].kind == X86_OPD_LABEL && x86_encode_one(&in, true, &c, NULL, 0))
        g->row_hits[c.row]++;
    add(&g->branches, in);
}

static void filler(Gen *g, int bytes)
{
    /* 2-byte `mov eax, eax` and one 3-byte `add eax, 1` for odd counts. */
    if (bytes % 2) {
        br_add(g, INST(X86_ADD, 4, 0, 2, R(X86_RAX), IMM(1), R(0)));
        bytes -= 3;
    }
    for (; bytes > 0; bytes -= 2)
        br_add(g, INST(X86_MOV, 4, 0, 2, R(X86_RAX), R(X86_RAX), R(0)));
}

static X86Inst label_at(uint32_t l) { return INST(X86_LABEL, 0, 0, 1, LBL(l), R(0), R(0)); }

static void gen_branches(Gen *g)
{
    /* Forward and backward jmp/jcc over every distance around the rel8
     * limit. */
    for (int bytes = 119; bytes <= 136; bytes++) {
        uint32_t l = g->nlabels++;
        X86Inst j = INST(X86_JMP, 8, 0, 1, LBL(l), R(0), R(0));
        if (bytes % 2) {
            j.op = X86_JCC;
            j.cc = (uint8_t)(bytes % 16);
        }
        br_add(g, j);
        filler(g, bytes);
        br_add(g, label_at(l));
        uint32_t b = g->nlabels++;
        br_add(g, label_at(b));
        filler(g, bytes);
        X86Inst k = INST(X86_JCC, 8, 0, 1, LBL(b), R(0), R(0));
        k.cc = (uint8_t)((bytes + 3) % 16);
        if (bytes % 3 == 0)
            k.op = X86_JMP;
        br_add(g, k);
    }
    /* Every condition, short and long. */
    for (int cc = 0; cc < 16; cc++) {
        uint32_t l = g->nlabels++;
        X86Inst j = INST(X86_JCC, 8, 0, 1, LBL(l), R(0), R(0));
        j.cc = (uint8_t)cc;
        br_add(g, j);
        filler(g, cc * 20);
        br_add(g, label_at(l));
    }
    /* A cascade: jumps whose reach depends on the others' sizes. */
    uint32_t far = g->nlabels++;
    for (int i = 0; i < 12; i++) {
        X86Inst j = INST(X86_JCC, 8, 0, 1, LBL(far), R(0), R(0));
        j.cc = (uint8_t)i;
        br_add(g, j);
        filler(g, 6);
    }
    filler(g, 40);
    br_add(g, label_at(far));
    /* Jump to itself and to the next instruction. */
    uint32_t self = g->nlabels++, next = g->nlabels++;
    br_add(g, label_at(self));
    br_add(g, INST(X86_JMP, 8, 0, 1, LBL(self), R(0), R(0)));
    br_add(g, INST(X86_JMP, 8, 0, 1, LBL(next), R(0), R(0)));
    br_add(g, label_at(next));
    br_add(g, INST(X86_RET, 0, 0, 0, R(0), R(0), R(0)));
}

/* Forms that must be refused, never encoded wrongly. */
static int check_refusals(void)
{
    X86Operand rip_index = M(X86_RIP, X86_RAX, 1, 0);
    X86Operand sym_base = MSYM("x", 0);
    sym_base.reg = X86_RAX;
    X86Inst bad[] = {
        INST(X86_MOV, 8, 0, 2, M(X86_RAX, X86_NOREG, 1, 0), M(X86_RBX, X86_NOREG, 1, 0), R(0)),
        INST(X86_ADD, 8, 0, 2, R(X86_RAX), IMM(0x80000000LL), R(0)),
        INST(X86_MOV, 8, 0, 2, M(X86_RAX, X86_NOREG, 1, 0), IMM(0x80000000LL), R(0)),
        INST(X86_ADD, 4, 0, 2, R(X86_RAX), IMM(0x100000000LL), R(0)),
        INST(X86_ADD, 1, 0, 2, R(X86_RAX), IMM(256), R(0)),
        INST(X86_LEA, 8, 0, 2, R(X86_RAX), R(X86_RBX), R(0)),
        INST(X86_SHL, 4, 0, 2, R(X86_RAX), IMM(256), R(0)),
        INST(X86_SHL, 4, 0, 2, R(X86_RAX), R(X86_RDX), R(0)),
        INST(X86_MOV, 8, 0, 2, R(X86_RAX), M(X86_RBX, X86_RSP, 1, 0), R(0)),
        INST(X86_MOV, 8, 0, 2, R(X86_RAX), M(X86_RBX, X86_RCX, 3, 0), R(0)),
        INST(X86_MOV, 8, 0, 2, R(X86_RAX), rip_index, R(0)),
        INST(X86_MOV, 8, 0, 2, R(X86_RAX), sym_base, R(0)),
        INST(X86_MOV, 8, 0, 2, R(X86_XMM0), R(X86_RAX), R(0)),
        INST(X86_ADDS, 8, 0, 2, R(X86_RAX), R(X86_XMM0), R(0)),
        INST(X86_MOVZX, 4, 4, 2, R(X86_RAX), R(X86_RBX), R(0)),
        INST(X86_MOVSX, 4, 4, 2, R(X86_RAX), R(X86_RBX), R(0)),
        INST(X86_IMUL, 1, 0, 2, R(X86_RAX), R(X86_RBX), R(0)),
        INST(X86_CMOVCC, 1, 0, 2, R(X86_RAX), R(X86_RBX), R(0)),
        INST(X86_PUSH, 8, 0, 1, IMM(1), R(0), R(0)),
        INST(X86_MOV, 3, 0, 2, R(X86_RAX), R(X86_RBX), R(0)),
        INST(X86_MOV, 8, 0, 3, R(X86_RAX), R(X86_RBX), R(X86_RCX)),
        INST(X86_OP_COUNT, 8, 0, 0, R(0), R(0), R(0)),
        INST(X86_CALL, 8, 0, 1, LBL(0), R(0), R(0)),
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        X86Code c;
        char err[200] = "";
        if (x86_encode_one(&bad[i], false, &c, err, sizeof err) || !err[0]) {
            fprintf(stderr, "refusal %zu: encoded (%u bytes) or no message\n", i, c.len);
            fails++;
        }
    }
    /* A function with a bad instruction or label fails as a whole. */
    ObjWriter o;
    obj_init(&o, X86_EM_X86_64, 0);
    X86Inst undef[] = {INST(X86_JMP, 8, 0, 1, LBL(0), R(0), R(0))};
    X86Func f = {"f", true, undef, 1, 1};
    char err[200] = "";
    if (x86_assemble_func(&o, &f, err, sizeof err) || !err[0]) {
        fprintf(stderr, "undefined label accepted\n");
        fails++;
    }
    X86Inst range[] = {INST(X86_JMP, 8, 0, 1, LBL(5), R(0), R(0))};
    X86Func f2 = {"f2", true, range, 1, 1};
    if (x86_assemble_func(&o, &f2, err, sizeof err)) {
        fprintf(stderr, "label out of range accepted\n");
        fails++;
    }
    obj_free(&o);
    printf("%zu refusals checked\n", sizeof bad / sizeof bad[0] + 2);
    return fails;
}

static void generate(Gen *g)
{
    static Samples mems;
    memset(g, 0, sizeof *g);
    g->row_hits = calloc(x86_enc_nrows, sizeof *g->row_hits);
    mems.n = 0;
    mem_samples(&mems);
    /* Whole-register cross products for the basic moves by size. */
    for (size_t r = 0; r < x86_enc_nrows; r++)
        gen_row(g, &x86_enc_rows[r], &mems);
    /* Extra corner cases the rows' samples may rotate past. */
    for (int r = X86_RAX; r <= X86_R15; r++) {
        try_add(g, INST(X86_MOVZX, 8, 4, 2, R(r), R((r + 5) % 16), R(0)));
        try_add(g, INST(X86_MOVZX, 8, 4, 2, R(r), M(r, X86_NOREG, 1, 4), R(0)));
        try_add(g, INST(X86_SETCC, 1, 0, 1, R(r), R(0), R(0)));
        try_add(g, INST(X86_MOVZX, 4, 1, 2, R(r), R(15 - r), R(0)));
        try_add(g, INST(X86_PUSH, 8, 0, 1, R(r), R(0), R(0)));
        try_add(g, INST(X86_POP, 8, 0, 1, R(r), R(0), R(0)));
        try_add(g, INST(X86_MOV, 8, 0, 2, R(r), IMM(0x123456789LL), R(0)));
    }
    gen_branches(g);
}

static X86Func body_func(Gen *g) { return (X86Func){"body", true, g->body.v, g->body.n, 0}; }
static X86Func branch_func(Gen *g) { return (X86Func){"branches", true, g->branches.v, g->branches.n, g->nlabels}; }

static void free_gen(Gen *g)
{
    free(g->body.v);
    free(g->branches.v);
    free(g->row_hits);
}

static FILE *open_in(const char *dir, const char *name, const char *mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, mode);
    if (!f)
        perror(path);
    return f;
}

static bool assemble(Gen *g, ObjWriter *o)
{
    X86Func a = body_func(g), b = branch_func(g);
    char err[256];
    obj_init(o, X86_EM_X86_64, 0);
    if (!x86_assemble_func(o, &a, err, sizeof err) || !x86_assemble_func(o, &b, err, sizeof err)) {
        fprintf(stderr, "assemble: %s\n", err);
        return false;
    }
    return true;
}

static int cmd_gen(const char *dir)
{
    Gen g;
    generate(&g);
    int fails = check_refusals();
    size_t unused = 0;
    for (size_t r = 0; r < x86_enc_nrows; r++)
        if (!g.row_hits[r]) {
            fprintf(stderr, "insns.def row %zu (op %u) never used\n", r, x86_enc_rows[r].op);
            unused++;
        }
    printf("%zu instructions + %zu in branch tests, %zu of %zu rows used\n", g.body.n,
           g.branches.n, x86_enc_nrows - unused, x86_enc_nrows);
    FILE *s = open_in(dir, "t.s", "w");
    if (!s)
        return 1;
    X86Func a = body_func(&g), b = branch_func(&g);
    x86_print_prologue(s);
    x86_print_func(s, &a);
    x86_print_func(s, &b);
    fclose(s);
    ObjWriter o;
    bool ok = assemble(&g, &o);
    FILE *out = open_in(dir, "mine.o", "wb");
    if (!out || !ok || !obj_write_elf(&o, out))
        fails++;
    if (out)
        fclose(out);
    obj_free(&o);
    free_gen(&g);
    return fails || unused ? 1 : 0;
}

static void hex(FILE *f, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x ", b[i]);
}

static int cmd_compare(const char *dir)
{
    Gen g;
    generate(&g);
    FILE *f = open_in(dir, "ref.bin", "rb");
    if (!f)
        return 1;
    uint8_t *ref = NULL;
    size_t nref = 0, cap = 0;
    for (;;) {
        if (nref == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            ref = realloc(ref, cap);
        }
        size_t got = fread(ref + nref, 1, cap - nref, f);
        if (!got)
            break;
        nref += got;
    }
    fclose(f);
    ObjWriter o;
    int fails = 0;
    if (!assemble(&g, &o))
        return 1;
    const ObjSection *text = &o.sec[OBJ_TEXT];
    /* The body: instruction by instruction (no branches inside). */
    uint64_t off = o.syms[obj_find(&o, "body")].value;
    for (size_t i = 0; i < g.body.n && fails < 20; i++) {
        X86Code c;
        x86_encode_one(&g.body.v[i], false, &c, NULL, 0);
        if (off + c.len > nref || memcmp(ref + off, text->bytes + off, c.len) != 0) {
            X86Func one = {"body", true, &g.body.v[i], 1, 0};
            fprintf(stderr, "mismatch at 0x%" PRIx64 " (row %d):", off, c.row);
            x86_print_func(stderr, &one);
            fputs("  mine: ", stderr);
            hex(stderr, text->bytes + off, c.len);
            fputs("\n  as:   ", stderr);
            hex(stderr, ref + off, off + c.len <= nref ? c.len : 0);
            fputc('\n', stderr);
            fails++;
        }
        off += c.len;
    }
    /* The branch function: as a whole. */
    const ObjSymbol *b = &o.syms[obj_find(&o, "branches")];
    if (b->value + b->size > nref || nref != text->size) {
        fprintf(stderr, ".text sizes differ: as %zu, mine %" PRIu64 "\n", nref, text->size);
        fails++;
    } else {
        for (uint64_t k = b->value; k < b->value + b->size; k++)
            if (ref[k] != text->bytes[k]) {
                fprintf(stderr, "branch test: first difference at 0x%" PRIx64 "\n", k);
                fails++;
                break;
            }
    }
    printf("compared %zu instructions and %" PRIu64 " bytes of branches\n", g.body.n, b->size);
    obj_free(&o);
    free(ref);
    free_gen(&g);
    return fails ? 1 : 0;
}

/* ---- the ELF link test ---- */

static IrModule *elf_module(IrCtx *ctx)
{
    IrModule *m = ir_module_new(ctx, "elftest");
    IrData *msg = ir_data_new(m, "msg", false);
    ir_data_add_bytes(m, msg, "hello, linker\0", 14);
    IrData *table = ir_data_new(m, "table", false);
    ir_data_add_const(m, table, IR_I8, 0xAB);
    ir_data_add_symref(m, table, ir_module_find(m, "msg"));
    ir_data_add_const(m, table, IR_I32, 7);
    IrData *counter = ir_data_new(m, "counter", true);
    ir_data_add_const(m, counter, IR_I64, 5);
    ir_data_add_const(m, counter, IR_I16, 0xfffe);
    IrData *buf = ir_data_new(m, "buf", true);
    ir_data_add_zero(m, buf, 100);
    IrData *fptr = ir_data_new(m, "fptr", true);
    ir_data_add_symref(m, fptr, ir_module_find(m, "msg"));
    IrData *fs = ir_data_new(m, "fs", false); /* a register's name */
    ir_data_add_const(m, fs, IR_I32, 0x11223344);
    return m;
}

#define N(...) ((X86Inst[]){__VA_ARGS__}), sizeof((X86Inst[]){__VA_ARGS__}) / sizeof(X86Inst)

static X86Func fn(const char *name, bool global, X86Inst *insts, size_t n, uint32_t nlabels)
{
    return (X86Func){name, global, insts, n, nlabels};
}

static int cmd_elf(const char *dir)
{
    IrCtx *ctx = ir_ctx_new();
    IrModule *m = elf_module(ctx);
    X86Operand none = R(0);
    X86Func funcs[] = {
        /* i64 yvm_get_counter(void) */
        fn("yvm_get_counter", true, N(INST(X86_MOV, 8, 0, 2, R(X86_RAX), MSYM("counter", 0), none),
                                      INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* void yvm_bump(void): counter += 1000; buf[99] = 77; rip + imm */
        fn("yvm_bump", true, N(INST(X86_ADD, 8, 0, 2, MSYM("counter", 0), IMM(1000), none),
                               INST(X86_MOV, 1, 0, 2, MSYM("buf", 99), IMM(77), none),
                               INST(X86_MOV, 2, 0, 2, MSYM("counter", 8), IMM(0x1234), none),
                               INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* i64 yvm_get_buf(i64 i) = buf[i] */
        fn("yvm_get_buf", true, N(INST(X86_LEA, 8, 0, 2, R(X86_RAX), MSYM("buf", 0), none),
                                  INST(X86_MOVZX, 4, 1, 2, R(X86_RAX), M(X86_RAX, X86_RDI, 1, 0), none),
                                  INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* a local helper: rax = rdi * 2 */
        fn("helper", false, N(INST(X86_LEA, 8, 0, 2, R(X86_RAX), M(X86_RDI, X86_RDI, 1, 0), none),
                              INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* i64 yvm_call_ext(i64 x) = helper(ext_add(x)) */
        fn("yvm_call_ext", true, N(INST(X86_SUB, 8, 0, 2, R(X86_RSP), IMM(8), none),
                                   INST(X86_CALL, 8, 0, 1, SYM("ext_add"), none, none),
                                   INST(X86_MOV, 8, 0, 2, R(X86_RDI), R(X86_RAX), none),
                                   INST(X86_CALL, 8, 0, 1, SYM("helper"), none, none),
                                   INST(X86_ADD, 8, 0, 2, R(X86_RSP), IMM(8), none),
                                   INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* const char *yvm_msg(void) = *(char **)(table + 8) */
        fn("yvm_msg", true, N(INST(X86_MOV, 8, 0, 2, R(X86_RAX), MSYM("table", 8), none),
                              INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* i64 yvm_sum(i64 n): 1 + ... + n, with a long forward branch */
        fn("yvm_sum", true, N(INST(X86_XOR, 4, 0, 2, R(X86_RAX), R(X86_RAX), none),
                              INST(X86_LABEL, 0, 0, 1, LBL(0), none, none),
                              INST(X86_TEST, 8, 0, 2, R(X86_RDI), R(X86_RDI), none),
                              (X86Inst){.op = X86_JCC, .cc = X86_CC_E, .nops = 1, .ops = {LBL(1)}},
                              INST(X86_ADD, 8, 0, 2, R(X86_RAX), R(X86_RDI), none),
                              INST(X86_SUB, 8, 0, 2, R(X86_RDI), IMM(1), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_MOV, 8, 0, 2, R(X86_R11), IMM(0x123456789abcLL), none),
                              INST(X86_JMP, 8, 0, 1, LBL(0), none, none),
                              INST(X86_LABEL, 0, 0, 1, LBL(1), none, none),
                              INST(X86_RET, 0, 0, 0, none, none, none)), 2),
        /* i64 rcx(void) = fs: symbols named like registers */
        fn("rcx", true, N(INST(X86_MOVSX, 8, 4, 2, R(X86_RAX), MSYM("fs", 0), none),
                          INST(X86_RET, 0, 0, 0, none, none, none)), 0),
        /* double yvm_scale(double x, i64 n) = x * n */
        fn("yvm_scale", true, N(INST(X86_CVTSI2S, 8, 8, 2, R(X86_XMM1), R(X86_RDI), none),
                                INST(X86_MULS, 8, 0, 2, R(X86_XMM0), R(X86_XMM1), none),
                                INST(X86_RET, 0, 0, 0, none, none, none)), 0),
    };
    size_t nf = sizeof funcs / sizeof funcs[0];
    int fails = 0;
    char err[256];

    ObjWriter o;
    obj_init(&o, X86_EM_X86_64, 0);
    data_emit_module(&o, m, NULL);
    for (size_t i = 0; i < nf; i++)
        if (!x86_assemble_func(&o, &funcs[i], err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            fails++;
        }
    data_emit_func_entry(&o, "yvm_sum", 0x1122334455667788ULL);
    data_emit_func_entry(&o, "ext_add", 42);
    FILE *out = open_in(dir, "yvm.o", "wb");
    if (!out || !obj_write_elf(&o, out))
        fails++;
    if (out)
        fclose(out);
    obj_free(&o);

    FILE *s = open_in(dir, "yvm.s", "w");
    if (s) {
        /* Functions first, as yvm-cc prints them: uses before definitions. */
        x86_print_prologue(s);
        for (size_t i = 0; i < nf; i++)
            x86_print_func(s, &funcs[i]);
        data_print_module(s, m, NULL);
        data_print_func_entry(s, "yvm_sum", 0x1122334455667788ULL);
        data_print_func_entry(s, "ext_add", 42);
        fclose(s);
    } else {
        fails++;
    }

    /* The signature text the runtime hashes. */
    IrFunc *ext = ir_extern_new(m, "ext_sig", IR_I32, 2, (const IrType[]){IR_I64, IR_PTR}, true);
    char text[64];
    data_sig_text(ext, text, sizeof text);
    if (strcmp(text, "(i64,ptr,...)->i32") != 0) {
        fprintf(stderr, "sig text '%s'\n", text);
        fails++;
    }
    ir_module_free(m);
    ir_ctx_free(ctx);
    return fails ? 1 : 0;
}

/* The object layer alone: many symbols (hash growth, lookups), text
 * padding, and a RISC-V object (the writer is target-independent). */
static int cmd_obj(const char *dir)
{
    int fails = 0;
    ObjWriter o;
    obj_init(&o, X86_EM_X86_64, 0);
    enum { NSYM = 5000 };
    char name[32];
    for (int i = 0; i < NSYM; i++) {
        snprintf(name, sizeof name, "sym%d", i);
        uint32_t s = i % 3 ? obj_define(&o, name, OBJ_DATA, i % 2 == 0, false) : obj_symbol(&o, name);
        obj_emit(&o, OBJ_DATA, "x", 1);
        if (s != (uint32_t)i)
            fails++;
    }
    for (int i = 0; i < NSYM; i++) {
        snprintf(name, sizeof name, "sym%d", i);
        if (obj_find(&o, name) != (uint32_t)i || obj_symbol(&o, name) != (uint32_t)i)
            fails++;
    }
    if (obj_find(&o, "nonesuch") != UINT32_MAX || o.nsyms != NSYM)
        fails++;
    /* Padding text with NOPs of every length. */
    for (int k = 1; k <= 16; k++) {
        obj_emit(&o, OBJ_TEXT, "\xc3", 1);
        obj_align(&o, OBJ_TEXT, (uint64_t)k);
        obj_emit(&o, OBJ_TEXT, "\xc3", 1);
        obj_align(&o, OBJ_TEXT, 16);
    }
    if (fails)
        fprintf(stderr, "symbol table lookups failed %d times\n", fails);
    FILE *f = open_in(dir, "many.o", "wb");
    if (!f || !obj_write_elf(&o, f))
        fails++;
    if (f)
        fclose(f);
    obj_free(&o);

    IrCtx *ctx = ir_ctx_new();
    IrModule *m = elf_module(ctx);
    obj_init(&o, 243 /* EM_RISCV */, 0x5 /* RVC, double-float ABI */);
    data_emit_module(&o, m, NULL);
    f = open_in(dir, "rv.o", "wb");
    if (!f || !obj_write_elf(&o, f))
        fails++;
    if (f)
        fclose(f);
    obj_free(&o);
    ir_module_free(m);
    ir_ctx_free(ctx);
    return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: x86-difftest gen|compare|elf|obj DIR\n");
        return 2;
    }
    if (strcmp(argv[1], "gen") == 0)
        return cmd_gen(argv[2]);
    if (strcmp(argv[1], "compare") == 0)
        return cmd_compare(argv[2]);
    if (strcmp(argv[1], "elf") == 0)
        return cmd_elf(argv[2]);
    if (strcmp(argv[1], "obj") == 0)
        return cmd_obj(argv[2]);
    fprintf(stderr, "usage: x86-difftest gen|compare|elf|obj DIR\n");
    return 2;
}
