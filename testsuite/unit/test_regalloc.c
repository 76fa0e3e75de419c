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
        uint64_t src = in->ops[1].kind == MO_IMM ? (uint64_t)in->ops[1].imm
                                                 : *loc(&s, f, in->ops[1].reg);
        uint64_t *d = loc(&s, f, in->ops[0].reg);
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
static MFunc *pressure(unsigned n, bool call)
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
    for (unsigned i = 0; i < n; i++)
        ins2(f, X86_ADD, mo_reg(acc), mo_reg(v[i]));
    ins2(f, X86_MOV, mo_reg(XR(X86_RAX)), mo_reg(acc));
    free(v);
    return f;
}

static uint64_t expect_sum(unsigned n)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += (uint64_t)(i + 1) * 1000 + i;
    return s;
}

static unsigned count_spilled(const MFunc *f)
{
    unsigned k = 0;
    for (uint32_t v = 0; v < f->nvregs; v++)
        k += f->assign[v] == MIR_NOREG;
    return k;
}

START_TEST(low_pressure_no_spills)
{
    MFunc *f = pressure(6, false);
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_eq(count_spilled(f), 0);
    ck_assert_uint_eq(simulate(f), expect_sum(6));
    mir_func_free(f);
}
END_TEST

START_TEST(high_pressure_spills_correctly)
{
    MFunc *f = pressure(40, false);
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    ck_assert_uint_gt(count_spilled(f), 0);
    ck_assert_uint_lt(count_spilled(f), 40); /* not everything on the stack */
    ck_assert_uint_eq(simulate(f), expect_sum(40));
    mir_func_free(f);
}
END_TEST

START_TEST(values_across_call_use_callee_saved)
{
    MFunc *f = pressure(4, true);
    char err[128];
    ck_assert(regalloc(f, err, sizeof err));
    for (uint32_t v = 0; v < 4; v++) {
        uint32_t p = f->assign[v];
        if (p != MIR_NOREG)
            ck_assert((x86_64_target.callee_saved >> p) & 1);
    }
    ck_assert_uint_eq(count_spilled(f), 0);
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

int main(void)
{
    Suite *s = suite_create("regalloc");
    TCase *tc = tcase_create("linear-scan");
    tcase_add_test(tc, low_pressure_no_spills);
    tcase_add_test(tc, high_pressure_spills_correctly);
    tcase_add_test(tc, values_across_call_use_callee_saved);
    tcase_add_test(tc, many_values_across_call);
    tcase_add_test(tc, copy_hint_coalesces);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? 1 : 0;
}
