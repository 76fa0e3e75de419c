/* test_regalloc.c - the register allocator (codegen/regalloc.c) on small
 * machine functions with high register pressure and calls. Each function
 * is allocated for the x86-64 register file and then run by a tiny
 * simulator of the allocated code (registers and spill slots; a call
 * scribbles over every caller-saved register), so a wrong assignment
 * (two live values in one register, a value left in a clobbered register)
 * gives a wrong sum. */
#include <check.h>
#include <stdlib.h>

#include "codegen/mir.h"
#include "targets/x86_64/x86.h"

#define XR(r) ((uint32_t)(r))

typedef struct Sim { uint64_t reg[32]; uint64_t *slot; } Sim;

static uint64_t *loc(Sim *s, const MFunc *f, uint32_t r)
{
    if (!mir_is_vreg(r))
        return &s->reg[r];
    uint32_t v = r - MIR_FIRST_VREG;
    if (f->assign[v] != MIR_NOREG)
        return &s->reg[f->assign[v]];
    ck_assert_uint_ne(f->spill[v], MIR_NOREG);
    return &s->slot[f->spill[v]];
}

/* The destination of a two-operand instruction, and its source value in
 * *src (frame-slot operands address the simulated slots). */
static uint64_t *operands(Sim *s, const MFunc *f, const MInst *in, uint64_t *src)
{
    *src = in->ops[1].kind == MO_IMM   ? (uint64_t)in->ops[1].imm
           : in->ops[1].kind == MO_MEM ? s->slot[in->ops[1].reg]
                                       : *loc(s, f, in->ops[1].reg);
    return in->ops[0].kind == MO_MEM ? &s->slot[in->ops[0].reg] : loc(s, f, in->ops[0].reg);
}

/* Runs block 0 (straight-line MOV/ADD/CALL code); returns rax. */
static uint64_t simulate(const MFunc *f)
{
    Sim s = {{0}, calloc(f->nslots + 1, sizeof(uint64_t))};
    const MBlock *b = &f->blocks[0];
    for (uint32_t i = 0; i < b->n; i++) {
        const MInst *in = &b->insts[i];
        if (in->op == X86_CALL) {
            for (int r = 0; r < 32; r++)
                if ((f->target->caller_saved >> r) & 1)
                    s.reg[r] = 0xdeadbeef00ull + (uint64_t)r;
            continue;
        }
        /* Saves around calls address frame slots. */
        uint64_t src, *d = operands(&s, f, in, &src);
        if (in->op == X86_MOV)
            *d = src;
        else if (in->op == X86_ADD)
            *d += src;
    }
    uint64_t r = s.reg[X86_RAX];
    free(s.slot);
    return r;
}

static MInst *ins2(MFunc *f, uint16_t op, MOperand a, MOperand b)
{
    MInst *in = mir_append(f, 0, op, 8);
    in->nops = 2;
    in->ops[0] = a;
    in->ops[1] = b;
    return in;
}

/* N values defined up front, all live until they are summed at the end
 * (after an optional call); returns the function. */
static MFunc *pressure_reps(unsigned n, bool call, unsigned reps)
{
    MFunc *f = mir_func_new(&x86_64_target, "t");
    mir_block_new(f);
    uint32_t *v = malloc(n * sizeof *v);
    for (unsigned i = 0; i < n; i++) {
        v[i] = mir_vreg_new(f, MRC_INT);
        ins2(f, X86_MOV, mo_reg(v[i]), mo_imm((int64_t)(i + 1) * 1000 + i));
    }
    if (call) {
        MInst *c = mir_append(f, 0, X86_CALL, 8);
        c->nops = 1;
        c->ops[0] = mo_sym("g");
        c->imp_def = x86_64_target.caller_saved;
    }
    uint32_t acc = mir_vreg_new(f, MRC_INT);
    ins2(f, X86_MOV, mo_reg(acc), mo_imm(0));
    for (unsigned r = 0; r < reps; r++)
        for (unsigned i = 0; i < n; i++)
            ins2(f, X86_ADD, mo_reg(acc), mo_reg(v[i]));
    ins2(f, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(acc));
    free(v);
    return f;
}

static MFunc *pressure(unsigned n, bool call) { return pressure_reps(n, call, 1); }

static uint64_t expect_sum(unsigned n)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += (uint64_t)(i + 1) * 1000 + i;
    return s;
}

/* Spilled among the first N virtual registers (the function's own; the
 * allocator adds registers for the pieces of split intervals). */
static unsigned count_spilled(const MFunc *f, uint32_t n)
{
    unsigned k = 0;
    for (uint32_t v = 0; v < n; v++)
        k += f->assign[v] == MIR_NOREG;
    return k;
}

START_TEST(low_pressure_no_spills)
{
    MFunc *f = pressure(6, false);
    uint32_t nv = f->nvregs;
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_eq(count_spilled(f, nv), 0);
    ck_assert_uint_eq(simulate(f), expect_sum(6));
    mir_func_free(f);
}
END_TEST

START_TEST(high_pressure_spills_correctly)
{
    MFunc *f = pressure(40, false);
    uint32_t nv = f->nvregs;
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_gt(count_spilled(f, f->nvregs), 0);  /* some piece on the stack */
    ck_assert_uint_lt(count_spilled(f, nv), 40); /* not everything on the stack */
    ck_assert_uint_eq(simulate(f), expect_sum(40));
    mir_func_free(f);
}
END_TEST

START_TEST(values_across_call_use_callee_saved)
{
    MFunc *f = pressure(4, true);
    uint32_t nv = f->nvregs;
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    for (uint32_t v = 0; v < 4; v++) {
        uint32_t p = f->assign[v];
        if (p != MIR_NOREG)
            ck_assert((x86_64_target.callee_saved >> p) & 1);
    }
    ck_assert_uint_eq(count_spilled(f, nv), 0);
    ck_assert(f->used_callee_saved != 0);
    ck_assert_uint_eq(simulate(f), expect_sum(4));
    mir_func_free(f);
}
END_TEST

START_TEST(many_values_across_call)
{
    MFunc *f = pressure(20, true);
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_eq(simulate(f), expect_sum(20));
    mir_func_free(f);
}
END_TEST

/* Ten values used three times each after a call: five fit the
 * callee-saved registers; saving the other five around the one call
 * (a store and a load) is cheaper than reloading them at every use, so
 * nothing is spilled and the caller-saved ones survive the call. */
START_TEST(caller_saved_values_saved_around_call)
{
    MFunc *f = pressure_reps(10, true, 3);
    uint32_t nv = f->nvregs;
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_eq(count_spilled(f, nv), 0);
    unsigned caller = 0;
    for (uint32_t v = 0; v < 10; v++)
        caller += (x86_64_target.caller_saved >> f->assign[v]) & 1;
    ck_assert_uint_eq(caller, 5);
    ck_assert_uint_eq(simulate(f), 3 * expect_sum(10));
    mir_func_free(f);
}
END_TEST

START_TEST(copy_hint_coalesces)
{
    /* v1 = 5; v2 = v1; rax = v2: both copies should become no-ops. */
    MFunc *f = mir_func_new(&x86_64_target, "t");
    mir_block_new(f);
    uint32_t a = mir_vreg_new(f, MRC_INT), b = mir_vreg_new(f, MRC_INT);
    ins2(f, X86_MOV, mo_reg(a), mo_imm(5));
    ins2(f, X86_MOV, mo_reg(b), mo_reg(a));
    ins2(f, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(b));
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_eq(f->assign[a - MIR_FIRST_VREG], f->assign[b - MIR_FIRST_VREG]);
    ck_assert_uint_eq(simulate(f), 5);
    mir_func_free(f);
}
END_TEST

static MInst *insb(MFunc *f, uint32_t b, uint16_t op, MOperand x, MOperand y)
{
    MInst *in = mir_append(f, b, op, 8);
    in->nops = 2;
    in->ops[0] = x;
    in->ops[1] = y;
    return in;
}

static void jump(MFunc *f, uint32_t b, uint32_t to, int cc)
{
    MInst *in = mir_append(f, b, cc < 0 ? X86_JMP : X86_JCC, 0);
    in->nops = 1;
    in->ops[0] = mo_label(to);
    if (cc >= 0)
        in->cc = (uint8_t)cc;
}

/* A counted loop: i = 0; loop: t = i; t += 1; i = t; if i < 10 loop.
 * i is dead between its copy to t and its new value, so the two share a
 * register and the back edge's copy disappears. */
START_TEST(loop_parameter_shares_register)
{
    MFunc *f = mir_func_new(&x86_64_target, "t");
    uint32_t b0 = mir_block_new(f), b1 = mir_block_new(f), b2 = mir_block_new(f);
    uint32_t i = mir_vreg_new(f, MRC_INT), t = mir_vreg_new(f, MRC_INT);
    insb(f, b0, X86_MOV, mo_reg(i), mo_imm(0));
    jump(f, b0, b1, -1);
    insb(f, b1, X86_MOV, mo_reg(t), mo_reg(i));
    insb(f, b1, X86_ADD, mo_reg(t), mo_imm(1));
    insb(f, b1, X86_MOV, mo_reg(i), mo_reg(t));
    insb(f, b1, X86_CMP, mo_reg(i), mo_imm(10));
    jump(f, b1, b1, X86_CC_L);
    jump(f, b1, b2, -1);
    insb(f, b2, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(i));
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_ne(f->assign[i - MIR_FIRST_VREG], MIR_NOREG);
    ck_assert_uint_eq(f->assign[i - MIR_FIRST_VREG], f->assign[t - MIR_FIRST_VREG]);
    mir_func_free(f);
}
END_TEST

/* Fourteen values live over a loop (more than the 12 allocatable
 * registers); the one the loop uses keeps a register although it lives
 * longest, and some value used once outside is spilled instead. */
START_TEST(loop_uses_outweigh_length)
{
    MFunc *f = mir_func_new(&x86_64_target, "t");
    uint32_t b0 = mir_block_new(f), b1 = mir_block_new(f), b2 = mir_block_new(f);
    uint32_t v[13], hot = mir_vreg_new(f, MRC_INT), k = mir_vreg_new(f, MRC_INT);
    insb(f, b0, X86_MOV, mo_reg(hot), mo_imm(3));
    insb(f, b0, X86_MOV, mo_reg(k), mo_imm(0));
    for (unsigned j = 0; j < 13; j++) {
        v[j] = mir_vreg_new(f, MRC_INT);
        insb(f, b0, X86_MOV, mo_reg(v[j]), mo_imm(j));
    }
    jump(f, b0, b1, -1);
    for (unsigned j = 0; j < 3; j++)
        insb(f, b1, X86_ADD, mo_reg(k), mo_reg(hot));
    insb(f, b1, X86_CMP, mo_reg(k), mo_imm(100));
    jump(f, b1, b1, X86_CC_L);
    jump(f, b1, b2, -1);
    for (unsigned j = 0; j < 13; j++)
        insb(f, b2, X86_ADD, mo_reg(k), mo_reg(v[j]));
    insb(f, b2, X86_ADD, mo_reg(k), mo_reg(hot));
    insb(f, b2, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(k));
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_ne(f->assign[hot - MIR_FIRST_VREG], MIR_NOREG);
    ck_assert_uint_ne(f->assign[k - MIR_FIRST_VREG], MIR_NOREG);
    ck_assert_uint_gt(count_spilled(f, f->nvregs), 0);
    mir_func_free(f);
}
END_TEST

/* Runs allocated code over blocks (MOV, ADD, CMP, JCC L/GE/E/NE, JMP,
 * CALL; a block without a closing jump ends the function); returns rax.
 * LOADS counts loads from frame slots in block COUNT_IN (UINT32_MAX: in
 * any block) as it runs. */
static uint64_t simulate_cfg(const MFunc *f, uint32_t count_in, unsigned *loads)
{
    Sim s = {{0}, calloc(f->nslots + 1, sizeof(uint64_t))};
    int64_t ca = 0, cb = 0;
    uint32_t b = 0, i = 0;
    for (unsigned steps = 0; steps < 100000; steps++) {
        const MBlock *bl = &f->blocks[b];
        if (i >= bl->n)
            break;
        const MInst *in = &bl->insts[i++];
        if (in->op == X86_CALL) {
            for (int r = 0; r < 32; r++)
                if ((f->target->caller_saved >> r) & 1)
                    s.reg[r] = 0xdeadbeef00ull + (uint64_t)r;
            continue;
        }
        if (in->op == X86_JMP) {
            b = (uint32_t)in->ops[0].imm;
            i = 0;
            continue;
        }
        if (in->op == X86_JCC) {
            bool t = in->cc == X86_CC_L ? ca < cb : in->cc == X86_CC_GE ? ca >= cb
                     : in->cc == X86_CC_E ? ca == cb : ca != cb;
            if (t) {
                b = (uint32_t)in->ops[0].imm;
                i = 0;
            }
            continue;
        }
        if (in->ops[1].kind == MO_MEM && loads && (b == count_in || count_in == UINT32_MAX))
            (*loads)++;
        uint64_t src, *d = operands(&s, f, in, &src);
        if (in->op == X86_MOV)
            *d = src;
        else if (in->op == X86_ADD)
            *d += src;
        else if (in->op == X86_CMP) {
            ca = (int64_t)*d;
            cb = (int64_t)src;
        }
    }
    uint64_t r = s.reg[X86_RAX];
    free(s.slot);
    return r;
}

/* Spilled operands in block B: each costs the emitter a load or store. */
static unsigned spilled_operands(const MFunc *f, uint32_t b)
{
    unsigned k = 0;
    for (uint32_t i = 0; i < f->blocks[b].n; i++) {
        const MInst *in = &f->blocks[b].insts[i];
        for (unsigned j = 0; j < in->nops; j++)
            if (in->ops[j].kind == MO_REG && mir_is_vreg(in->ops[j].reg) &&
                f->assign[in->ops[j].reg - MIR_FIRST_VREG] == MIR_NOREG)
                k++;
    }
    return k;
}

/* x = 7 is used three times, then a loop keeps fifteen values live (more
 * than the twelve registers) without using x, then x is used USES_AFTER
 * times after the loop. The loop's values are worth more than x, so x
 * is split around the loop: a register before, the stack during it, a
 * register again after it. Blocks: 0 entry, 1 loop, 2 exit. */
/* Block b as a loop of `trips` iterations on counter i that adds 13
 * fresh values to acc (more than there are free registers), then jumps
 * to `out`. */
static void pressure_loop(MFunc *f, uint32_t b, uint32_t out, uint32_t acc, uint32_t i,
                          int64_t trips)
{
    uint32_t v[13];
    for (unsigned k = 0; k < 13; k++) {
        v[k] = mir_vreg_new(f, MRC_INT);
        insb(f, b, X86_MOV, mo_reg(v[k]), mo_imm(k + 1));
    }
    for (unsigned k = 0; k < 13; k++)
        insb(f, b, X86_ADD, mo_reg(acc), mo_reg(v[k]));
    insb(f, b, X86_ADD, mo_reg(i), mo_imm(1));
    insb(f, b, X86_CMP, mo_reg(i), mo_imm(trips));
    jump(f, b, b, X86_CC_L);
    jump(f, b, out, -1);
}

static MFunc *split_around_loop(unsigned uses_after, uint32_t *xv)
{
    MFunc *f = mir_func_new(&x86_64_target, "t");
    uint32_t b0 = mir_block_new(f), b1 = mir_block_new(f), b2 = mir_block_new(f);
    uint32_t x = mir_vreg_new(f, MRC_INT), acc = mir_vreg_new(f, MRC_INT), i = mir_vreg_new(f, MRC_INT);
    insb(f, b0, X86_MOV, mo_reg(x), mo_imm(7));
    insb(f, b0, X86_MOV, mo_reg(acc), mo_imm(0));
    for (unsigned k = 0; k < 3; k++)
        insb(f, b0, X86_ADD, mo_reg(acc), mo_reg(x));
    insb(f, b0, X86_MOV, mo_reg(i), mo_imm(0));
    jump(f, b0, b1, -1);
    pressure_loop(f, b1, b2, acc, i, 3);
    for (unsigned k = 0; k < uses_after; k++)
        insb(f, b2, X86_ADD, mo_reg(acc), mo_reg(x));
    insb(f, b2, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(acc));
    *xv = x;
    return f;
}

START_TEST(value_split_around_loop)
{
    uint32_t x;
    MFunc *f = split_around_loop(3, &x);
    uint32_t nv = f->nvregs;
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_gt(f->nvregs, nv);                          /* pieces */
    ck_assert_uint_ne(f->assign[x - MIR_FIRST_VREG], MIR_NOREG); /* before */
    ck_assert_uint_eq(spilled_operands(f, 0), 0);
    ck_assert_uint_eq(simulate_cfg(f, 0, NULL), 3 * 7 + 3 * 91 + 3 * 7);
    mir_func_free(f);
}
END_TEST

/* Four uses of x in the exit block share one load. */
START_TEST(spilled_uses_in_block_share_a_load)
{
    uint32_t x;
    MFunc *f = split_around_loop(4, &x);
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    unsigned loads = 0;
    ck_assert_uint_eq(simulate_cfg(f, 2, &loads), 3 * 7 + 3 * 91 + 4 * 7);
    ck_assert_uint_eq(spilled_operands(f, 2), 0);
    ck_assert_uint_eq(loads, 1);
    mir_func_free(f);
}
END_TEST

/* x = 11 is live into a join block by two paths: through a short block
 * (placed first: x is still in its register there) or through a loop
 * full of values worth more (x goes to the stack there). The join uses
 * x three times, from a register. The edges into the join must move x
 * from wherever it is on each path: nothing to load on the short one;
 * the edge from the loop is critical (the loop block has two
 * successors, the join two predecessors). */
static MFunc *two_paths(int64_t take_loop)
{
    MFunc *f = mir_func_new(&x86_64_target, "t");
    uint32_t b0 = mir_block_new(f), b1 = mir_block_new(f), b2 = mir_block_new(f),
             b3 = mir_block_new(f);
    uint32_t x = mir_vreg_new(f, MRC_INT), acc = mir_vreg_new(f, MRC_INT), i = mir_vreg_new(f, MRC_INT),
             c = mir_vreg_new(f, MRC_INT);
    insb(f, b0, X86_MOV, mo_reg(x), mo_imm(11));
    insb(f, b0, X86_MOV, mo_reg(acc), mo_imm(0));
    insb(f, b0, X86_MOV, mo_reg(i), mo_imm(0));
    insb(f, b0, X86_MOV, mo_reg(c), mo_imm(take_loop));
    insb(f, b0, X86_CMP, mo_reg(c), mo_imm(0));
    jump(f, b0, b2, X86_CC_NE);
    jump(f, b0, b1, -1);
    insb(f, b1, X86_ADD, mo_reg(acc), mo_imm(1000));
    jump(f, b1, b3, -1);
    pressure_loop(f, b2, b3, acc, i, 2);
    for (unsigned k = 0; k < 3; k++)
        insb(f, b3, X86_ADD, mo_reg(acc), mo_reg(x));
    insb(f, b3, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(acc));
    return f;
}

START_TEST(edge_resolution_on_both_paths)
{
    for (int64_t loop = 0; loop < 2; loop++) {
        MFunc *f = two_paths(loop);
        uint32_t nv = f->nvregs, nb = f->nblocks;
        char err[128];
        ck_assert(regalloc(f, err, sizeof err));
        ck_assert_uint_gt(f->nvregs, nv);       /* x was split */
        ck_assert_uint_gt(f->nblocks, nb);      /* a block on the critical edge */
        ck_assert_uint_eq(spilled_operands(f, 3), 0);
        unsigned loads = 0;
        ck_assert_uint_eq(simulate_cfg(f, UINT32_MAX, &loads), loop ? 2 * 91 + 33 : 1000 + 33);
        if (!loop)
            ck_assert_uint_eq(loads, 0);        /* x in a register all the way */
        else
            ck_assert_uint_gt(loads, 0);        /* x loaded on the way out of the loop */
        mir_func_free(f);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regalloc");
    TCase *tc = tcase_create("linear-scan");
    tcase_add_test(tc, low_pressure_no_spills);
    tcase_add_test(tc, high_pressure_spills_correctly);
    tcase_add_test(tc, values_across_call_use_callee_saved);
    tcase_add_test(tc, many_values_across_call);
    tcase_add_test(tc, caller_saved_values_saved_around_call);
    tcase_add_test(tc, loop_parameter_shares_register);
    tcase_add_test(tc, loop_uses_outweigh_length);
    tcase_add_test(tc, copy_hint_coalesces);
    tcase_add_test(tc, value_split_around_loop);
    tcase_add_test(tc, spilled_uses_in_block_share_a_load);
    tcase_add_test(tc, edge_resolution_on_both_paths);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? 1 : 0;
}
