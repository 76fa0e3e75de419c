/* checkelim.c - overflow-check removal under proof (docs/opt.md
 * "checkelim").
 *
 * For each checked operation (addc subc mulc addcu subcu mulcu) the pass
 * gathers range facts that hold where it runs: the conditions of the
 * nearest dominating condbr edges (an edge a -> b where b's only incoming
 * edge is that arm, and b dominates the operation) and the definitions of
 * the values involved (`def %v`, for integer operations defined before
 * the operation on every path). It writes the claim as a proof obligation
 * (IrOblig, docs/ir.md "Proof obligations") over the plain form of the
 * operation and asks the prover, through OptCtx.prove_oblig, to discharge
 * it. Only a proof makes the operation plain, and the obligation, cut to
 * the facts the proof used, stays in the module for anyone to prove
 * again. Unknown (a resource limit) or a counterexample keeps the check.
 * Without a prover the pass changes nothing.
 *
 * A front end may check overflow itself instead (Yao branches to a trap
 * with a source location when `(a ^ r) & (b ^ r) < 0` for r = a + b). For
 * a condbr with one arm to a trap-only block, the pass looks for a plain
 * add/sub/mul r among the definitions of the condition, asks the prover
 * whether taking the trap arm implies that r overflows (as a signed, or
 * else an unsigned, checked operation), and then proves the obligation
 * that r does not overflow where it runs. Both proven, the branch never
 * goes to the trap and becomes a `br` to the other arm; the obligation
 * on r stays in the module. Facts from such branches are not used for
 * any obligation, since removing a branch (now or in a later run)
 * removes its edge. */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "oblig.h"
#include "opt.h"
#include "xalloc.h"

/* How far to look: the nearest dominating edges, and definitions up to
 * this many in all (a breadth-first walk from the operands). */
#define MAX_EDGES 6
#define MAX_DEFS 16
#define MAX_FACTS (MAX_EDGES + MAX_DEFS)

typedef struct Scan {
    const IrFunc *f;
    const IrDom *d;
    uint32_t *defb, *defp; /* defining block and position of each value */
} Scan;

/* Is v's definition an instruction that comes before (ib, ip) on every
 * path? */
static bool defined_before(const Scan *s, uint32_t v, uint32_t ib, uint32_t ip)
{
    uint32_t b = s->defb[v];
    if (b == IR_NONE)
        return false;
    return b == ib ? s->defp[v] < ip : ir_dom_dominates(s->d, b, ib);
}

/* A wide product or quotient of two unknowns: bit-blasting it costs the
 * prover far more than the facts usually give. */
static bool costly(const IrInst *in)
{
    switch (in->op) {
    case IR_MUL: case IR_MULC: case IR_MULCU:
    case IR_SDIV: case IR_UDIV: case IR_SREM: case IR_UREM:
        return ir_type_bits((IrType)in->type) > 32 && in->opd[0].kind != IR_OPD_CONST &&
               in->opd[1].kind != IR_OPD_CONST;
    default:
        return false;
    }
}

static bool has_fact(const IrFact *facts, uint32_t n, IrFactKind kind, uint32_t a)
{
    for (uint32_t k = 0; k < n; k++)
        if (facts[k].kind == kind && facts[k].a == a)
            return true;
    return false;
}

/* Is block b only `trap "integer overflow..."`? (Which branches to try
 * is a guess; what makes one go is the proof.) */
static bool is_trap_block(const IrBlock *b)
{
    static const char reason[] = "integer overflow";
    return b->ninsts == 1 && b->insts[0].op == IR_TRAP &&
           b->insts[0].strlen >= sizeof reason - 1 &&
           memcmp(b->insts[0].str, reason, sizeof reason - 1) == 0;
}

/* The arm (0 true, 1 false) of a condbr that goes to a trap-only block
 * while the other does not, or -1. */
static int trap_arm(const IrFunc *f, const IrInst *t)
{
    if (!t || t->op != IR_CONDBR || t->ntgt != 2 || t->opd[0].kind != IR_OPD_VALUE)
        return -1;
    bool a = is_trap_block(f->blocks[t->tgt[0].block]);
    bool b = is_trap_block(f->blocks[t->tgt[1].block]);
    return a == b ? -1 : a ? 0 : 1;
}

/* The true arm of a condbr goes to a block that is only
 * `trap "out of bounds access..."` and the false arm does not. */
static bool bounds_branch(const IrFunc *f, const IrInst *t)
{
    static const char reason[] = "out of bounds access";
    if (!t || t->op != IR_CONDBR || t->ntgt != 2 || t->opd[0].kind != IR_OPD_VALUE)
        return false;
    const IrBlock *a = f->blocks[t->tgt[0].block], *b = f->blocks[t->tgt[1].block];
    return a->ninsts == 1 && a->insts[0].op == IR_TRAP &&
           a->insts[0].strlen >= sizeof reason - 1 &&
           memcmp(a->insts[0].str, reason, sizeof reason - 1) == 0 && a != b;
}

/* The candidate facts for the instruction at (ib, ip): its operands'
 * (or, with `from`, that value's) definitions, and unless defs_only the
 * dominating edges. With skip_traps, no edge out of a branch to a trap
 * (such a branch may be removed, and its edge with it). */
static uint32_t gather(const Scan *s, uint32_t ib, uint32_t ip, uint32_t from, bool defs_only,
                       bool skip_traps, IrFact *facts)
{
    const IrFunc *f = s->f;
    uint32_t n = 0;
    uint32_t work[MAX_FACTS * 3 + 8], nwork = 0;
    const IrInst *in = &f->blocks[ib]->insts[ip];
    if (from != IR_NONE)
        work[nwork++] = from;
    for (uint32_t k = 0; from == IR_NONE && k < in->nopd && k < 2; k++)
        if (in->opd[k].kind == IR_OPD_VALUE)
            work[nwork++] = in->opd[k].index;
    /* Dominating edges, nearest first. */
    uint32_t edges = 0;
    for (uint32_t x = ib; !defs_only && x != IR_NONE && edges < MAX_EDGES;
         x = ir_dom_idom(s->d, x)) {
        uint32_t np;
        const uint32_t *preds = ir_dom_preds(s->d, x, &np);
        if (np != 1)
            continue;
        const IrBlock *a = f->blocks[preds[0]];
        const IrInst *t = a->ninsts ? &a->insts[a->ninsts - 1] : NULL;
        if (!t || t->op != IR_CONDBR || t->ntgt != 2 ||
            (t->tgt[0].block == x) == (t->tgt[1].block == x) ||
            (skip_traps && (trap_arm(f, t) >= 0 || bounds_branch(f, t))))
            continue;
        facts[n++] = (IrFact){.kind = IR_FACT_EDGE, .a = preds[0], .b = x};
        edges++;
        if (t->opd[0].kind == IR_OPD_VALUE)
            work[nwork++] = t->opd[0].index;
    }
    /* Definitions, breadth first from the operands and conditions. */
    uint32_t defs = 0;
    for (uint32_t w = 0; w < nwork && defs < MAX_DEFS; w++) {
        uint32_t v = work[w];
        if (v >= f->nvals || has_fact(facts, n, IR_FACT_DEF, v) ||
            !defined_before(s, v, ib, ip))
            continue;
        const IrInst *di = &f->blocks[s->defb[v]]->insts[s->defp[v]];
        if (!ir_oblig_def_op_ok(di) || costly(di))
            continue;
        facts[n++] = (IrFact){.kind = IR_FACT_DEF, .a = v};
        defs++;
        uint32_t nops = di->nopd < 3 ? di->nopd : 3;
        for (uint32_t k = 0; k < nops && nwork < sizeof work / sizeof *work; k++)
            if (di->opd[k].kind == IR_OPD_VALUE)
                work[nwork++] = di->opd[k].index;
    }
    return n;
}

/* Mark the values v depends on through the def facts with `bit`; note
 * when a value marked `meet` is reached, or (for bit 1) a def that bounds
 * its result (a mask, a remainder, a quotient, a shift right, a
 * conversion, a select). */
static void closure(const Scan *s, const IrFact *facts, uint32_t n, uint32_t v, uint8_t *mark,
                    uint8_t bit, uint8_t meet, bool *related)
{
    const IrFunc *f = s->f;
    uint32_t stack[64], sp = 0;
    stack[sp++] = v;
    while (sp) {
        v = stack[--sp];
        if (v >= f->nvals || (mark[v] & bit))
            continue;
        if (mark[v] & meet)
            *related = true;
        mark[v] |= bit;
        if (!has_fact(facts, n, IR_FACT_DEF, v))
            continue;
        const IrInst *di = &f->blocks[s->defb[v]]->insts[s->defp[v]];
        switch (di->op) {
        case IR_AND: case IR_UREM: case IR_SREM: case IR_UDIV: case IR_SDIV: case IR_LSHR:
        case IR_ASHR: case IR_ZEXT: case IR_SEXT: case IR_TRUNC: case IR_SELECT:
            if (bit == 1)
                *related = true;
            break;
        default:
            break;
        }
        for (uint32_t k = 0; k < di->nopd && k < 3 && sp < 64; k++)
            if (di->opd[k].kind == IR_OPD_VALUE)
                stack[sp++] = di->opd[k].index;
    }
}

/* Can the facts say anything about the operation's operands? Without a
 * bounding definition among theirs, and without an edge whose condition
 * shares a value with them, the operation would be claimed safe for
 * arbitrary inputs, which is hopeless: the prover is not asked. (This
 * only chooses what to ask; the proof still decides.) */
static bool worth_asking(const Scan *s, const IrInst *in, const IrFact *facts, uint32_t n)
{
    const IrFunc *f = s->f;
    uint8_t *mark = xcalloc(f->nvals + 1, 1);
    bool related = false;
    for (uint32_t k = 0; k < 2 && k < in->nopd; k++)
        if (in->opd[k].kind == IR_OPD_VALUE)
            closure(s, facts, n, in->opd[k].index, mark, 1, 0, &related);
    for (uint32_t j = 0; j < n && !related; j++) {
        if (facts[j].kind != IR_FACT_EDGE)
            continue;
        const IrBlock *a = f->blocks[facts[j].a];
        const IrInst *t = &a->insts[a->ninsts - 1];
        if (t->opd[0].kind == IR_OPD_VALUE)
            closure(s, facts, n, t->opd[0].index, mark, 2, 1, &related);
    }
    free(mark);
    return related;
}

/* Per block parameter: is it known to be >= 0 (a `nonneg` obligation of
 * the module), not yet asked, or not provable? */
enum { NN_UNASKED, NN_PROVEN, NN_FAILED };

/* Add fact f to facts[0..*n) unless there or full. */
static void add_fact(IrFact *facts, uint32_t *n, uint32_t max, IrFact f)
{
    for (uint32_t k = 0; k < *n; k++)
        if (facts[k].kind == f.kind && facts[k].a == f.a && facts[k].b == f.b)
            return;
    if (*n < max)
        facts[(*n)++] = f;
}

/* `nonneg %p` facts for the block parameters among value v and the
 * operands of the def facts, when proven (or p is `self`, the parameter
 * an induction is about) and their block dominates block b. */
static void add_nonneg_facts(const Scan *s, const uint8_t *nn, uint32_t self, uint32_t b,
                             uint32_t v, IrFact *facts, uint32_t *n, uint32_t max)
{
    const IrFunc *f = s->f;
    uint32_t cand[2 * MAX_FACTS + 2], nc = 0;
    cand[nc++] = v;
    for (uint32_t k = 0, nf = *n; k < nf; k++) {
        if (facts[k].kind != IR_FACT_DEF)
            continue;
        const IrInst *di = &f->blocks[s->defb[facts[k].a]]->insts[s->defp[facts[k].a]];
        for (uint32_t j = 0; j < di->nopd && j < 2; j++)
            if (di->opd[j].kind == IR_OPD_VALUE)
                cand[nc++] = di->opd[j].index;
    }
    for (uint32_t k = 0; k < nc; k++) {
        uint32_t p = cand[k];
        if (p >= f->nvals || (p != self && nn[p] != NN_PROVEN))
            continue;
        uint32_t pb = ir_oblig_param_block(f, p);
        if (pb != IR_NONE && ir_dom_dominates(s->d, pb, b))
            add_fact(facts, n, max, (IrFact){.kind = IR_FACT_NONNEG, .a = p});
    }
}

/* Try to prove that block parameter p is never negative, by induction
 * over its block's entry edges (each step with the facts at the end of
 * its predecessor); on success the obligation joins the module. */
static bool prove_nonneg(OptCtx *oc, IrModule *m, const Scan *s, uint32_t item, uint8_t *nn,
                         uint32_t p)
{
    const IrFunc *f = s->f;
    if (nn[p] != NN_UNASKED)
        return nn[p] == NN_PROVEN;
    nn[p] = NN_FAILED;
    uint32_t h = ir_oblig_param_block(f, p), pos = 0;
    if (h == IR_NONE || h == 0 || !ir_type_is_int((IrType)f->vals[p].type))
        return false;
    while (pos < f->blocks[h]->nparams && f->blocks[h]->params[pos] != p)
        pos++;
    IrEntry en[8];
    uint32_t ne = ir_oblig_entries(f, h, en, 8);
    if (ne > 8)
        return false;
    enum { MAXN = 4 * MAX_FACTS };
    IrFact all[MAXN], one[MAX_FACTS];
    uint32_t n = 0;
    for (uint32_t j = 0; j < ne; j++) {
        const IrBlock *pb = f->blocks[en[j].pred];
        const IrTarget *t = &pb->insts[pb->ninsts - 1].tgt[en[j].target];
        if (pos >= t->nargs || !ir_dom_reachable(s->d, en[j].pred))
            continue;
        const IrOperand *a = &t->args[pos];
        if (a->kind != IR_OPD_VALUE)
            continue; /* a constant needs no fact */
        /* An inner loop's counter may start at an outer one's. */
        if (a->index != p && ir_oblig_param_block(f, a->index) != IR_NONE)
            prove_nonneg(oc, m, s, item, nn, a->index);
        uint32_t k1 = gather(s, en[j].pred, pb->ninsts - 1, a->index, false, true, one);
        add_nonneg_facts(s, nn, p, en[j].pred, a->index, one, &k1, MAX_FACTS);
        for (uint32_t k = 0; k < k1; k++)
            add_fact(all, &n, MAXN, one[k]);
    }
    IrOblig o = {.item = item, .value = p, .op = IR_CLAIM_NONNEG, .nfacts = n, .facts = all};
    if (!oc->prove_oblig(oc->prove_user, m, &o))
        return false;
    ir_module_add_oblig(m, item, p, IR_CLAIM_NONNEG, o.nfacts, o.facts);
    nn[p] = NN_PROVEN;
    return true;
}

/* Bounds checks: a branch to an out-of-bounds trap on a condition that
 * is 0 wherever it is computed (a `false` obligation) becomes a `br`.
 * Unsigned index tests need the index to be >= 0, which for a loop
 * counter is an induction (`nonneg`). */
static bool remove_bounds_checks(OptCtx *oc, IrModule *m, const Scan *s, uint32_t item)
{
    IrFunc *f = (IrFunc *)s->f;
    uint8_t *nn = xcalloc(f->nvals + 1, 1);
    for (uint32_t i = 0; i < m->nobligs; i++)
        if (m->obligs[i].item == item && m->obligs[i].op == IR_CLAIM_NONNEG &&
            m->obligs[i].value < f->nvals)
            nn[m->obligs[i].value] = NN_PROVEN;
    bool changed = false;
    IrFact facts[MAX_FACTS + 4];
    for (uint32_t b = 0; b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        IrInst *t = blk->ninsts ? &blk->insts[blk->ninsts - 1] : NULL;
        if (!ir_dom_reachable(s->d, b) || !bounds_branch(f, t))
            continue;
        uint32_t cond = t->opd[0].index;
        if (cond >= f->nvals || s->defb[cond] == IR_NONE)
            continue;
        const IrInst *ci = &f->blocks[s->defb[cond]]->insts[s->defp[cond]];
        if (!ir_oblig_def_op_ok(ci) || f->vals[cond].type != IR_I1)
            continue;
        uint32_t n = gather(s, s->defb[cond], s->defp[cond], IR_NONE, false, true, facts);
        /* The loop counters among the values involved. */
        for (uint32_t k = 0; k < ci->nopd && k < 2; k++) {
            uint32_t v = ci->opd[k].kind == IR_OPD_VALUE ? ci->opd[k].index : IR_NONE;
            if (v < f->nvals && ir_oblig_param_block(f, v) != IR_NONE)
                prove_nonneg(oc, m, s, item, nn, v);
        }
        for (uint32_t k = 0; k < n; k++) {
            if (facts[k].kind != IR_FACT_DEF)
                continue;
            const IrInst *di = &f->blocks[s->defb[facts[k].a]]->insts[s->defp[facts[k].a]];
            for (uint32_t j = 0; j < di->nopd && j < 2; j++)
                if (di->opd[j].kind == IR_OPD_VALUE &&
                    ir_oblig_param_block(f, di->opd[j].index) != IR_NONE)
                    prove_nonneg(oc, m, s, item, nn, di->opd[j].index);
        }
        add_nonneg_facts(s, nn, IR_NONE, s->defb[cond], ci->opd[0].kind == IR_OPD_VALUE
                         ? ci->opd[0].index : IR_NONE, facts, &n, MAX_FACTS + 4);
        if (ci->nopd > 1 && ci->opd[1].kind == IR_OPD_VALUE)
            add_nonneg_facts(s, nn, IR_NONE, s->defb[cond], ci->opd[1].index, facts, &n,
                             MAX_FACTS + 4);
        if (n == 0)
            continue;
        IrOblig o = {.item = item, .value = cond, .op = IR_CLAIM_FALSE, .nfacts = n,
                     .facts = facts};
        if (!oc->prove_oblig(oc->prove_user, m, &o))
            continue;
        ir_module_add_oblig(m, item, cond, IR_CLAIM_FALSE, o.nfacts, o.facts);
        t->op = IR_BR;
        t->tgt[0] = t->tgt[1];
        t->ntgt = 1;
        t->nopd = 0;
        oc->bounds_removed++;
        changed = true;
    }
    free(nn);
    return changed;
}

bool opt_checkelim(OptCtx *oc, IrModule *m, IrFunc *f)
{
    if (!oc->prove_oblig)
        return false;
    bool any = false;
    for (uint32_t b = 0; b < f->nblocks && !any; b++) {
        const IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++)
            if (ir_oblig_plain_op((IrOpcode)blk->insts[i].op) != IR_OPCODE_COUNT &&
                blk->insts[i].result != IR_NONE)
                any = true;
        if (oc->prove_link && blk->ninsts && trap_arm(f, &blk->insts[blk->ninsts - 1]) >= 0)
            any = true;
        if (blk->ninsts && bounds_branch(f, &blk->insts[blk->ninsts - 1]))
            any = true;
    }
    if (!any)
        return false;
    uint32_t item = ir_item_of_func(m, f);
    IrDom *d = ir_dom_build(f);
    if (!d || item == IR_NONE) {
        ir_dom_free(d);
        return false;
    }
    Scan s = {.f = f, .d = d};
    s.defb = xmalloc(sizeof *s.defb * (f->nvals + 1));
    s.defp = xmalloc(sizeof *s.defp * (f->nvals + 1));
    for (uint32_t v = 0; v < f->nvals; v++)
        s.defb[v] = s.defp[v] = IR_NONE;
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t i = 0; i < f->blocks[b]->ninsts; i++) {
            uint32_t r = f->blocks[b]->insts[i].result;
            if (r != IR_NONE && r < f->nvals) {
                s.defb[r] = b;
                s.defp[r] = i;
            }
        }
    bool changed = remove_bounds_checks(oc, m, &s, item);
    IrFact facts[MAX_FACTS];
    /* Branches to a trap that fire only when an add/sub/mul overflows. */
    for (uint32_t b = 0; oc->prove_link && b < f->nblocks; b++) {
        IrBlock *blk = f->blocks[b];
        IrInst *t = blk->ninsts ? &blk->insts[blk->ninsts - 1] : NULL;
        int arm = ir_dom_reachable(d, b) ? trap_arm(f, t) : -1;
        if (arm < 0)
            continue;
        uint32_t cond = t->opd[0].index, tpos = blk->ninsts - 1;
        /* The link: defs from the condition, at the branch. */
        uint32_t nlink = gather(&s, b, tpos, cond, true, true, facts);
        bool done = false;
        for (uint32_t k = 0; k < nlink && !done; k++) {
            uint32_t r = facts[k].a;
            const IrInst *ri = &f->blocks[s.defb[r]]->insts[s.defp[r]];
            static const IrOpcode forms[2][2] = {{IR_ADDC, IR_ADDCU}, {IR_SUBC, IR_SUBCU}};
            /* Add and sub only: front ends test a product by dividing it
             * back, and wide division costs the prover too much. */
            int fam = ri->op == IR_ADD ? 0 : ri->op == IR_SUB ? 1 : -1;
            for (int sg = 0; fam >= 0 && sg < 2 && !done; sg++) {
                IrOpcode checked = forms[fam][sg];
                IrOblig link = {.item = item, .value = r, .op = (uint16_t)checked,
                                .nfacts = nlink, .facts = facts};
                if (!oc->prove_link(oc->prove_user, m, &link, cond, arm == 0))
                    continue;
                IrFact rf[MAX_FACTS];
                uint32_t nr = gather(&s, s.defb[r], s.defp[r], IR_NONE, false, true, rf);
                if (!worth_asking(&s, ri, rf, nr))
                    break;
                IrOblig o = {.item = item, .value = r, .op = (uint16_t)checked,
                             .nfacts = nr, .facts = rf};
                if (!oc->prove_oblig(oc->prove_user, m, &o))
                    continue;
                /* Never taken: branch straight to the other arm. */
                ir_module_add_oblig(m, item, r, checked, o.nfacts, o.facts);
                t->op = IR_BR;
                t->tgt[0] = t->tgt[arm == 0 ? 1 : 0];
                t->ntgt = 1;
                t->nopd = 0;
                oc->branches_removed++;
                changed = done = true;
            }
            if (fam >= 0)
                break; /* only the nearest add/sub: the one the test is about */
        }
    }
    for (uint32_t b = 0; b < f->nblocks; b++) {
        if (!ir_dom_reachable(d, b))
            continue;
        for (uint32_t i = 0; i < f->blocks[b]->ninsts; i++) {
            IrInst *in = &f->blocks[b]->insts[i];
            IrOpcode checked = (IrOpcode)in->op;
            IrOpcode plain = ir_oblig_plain_op(checked);
            if (plain == IR_OPCODE_COUNT || in->result == IR_NONE)
                continue;
            if (costly(in))
                continue;
            uint32_t n = gather(&s, b, i, IR_NONE, false, true, facts);
            if (n == 0 || !worth_asking(&s, in, facts, n))
                continue;
            /* The obligation is about the plain instruction. */
            in->op = (uint16_t)plain;
            IrOblig o = {.item = item, .value = in->result, .op = (uint16_t)checked,
                         .nfacts = n, .facts = facts};
            if (oc->prove_oblig(oc->prove_user, m, &o)) {
                ir_module_add_oblig(m, item, in->result, checked, o.nfacts, o.facts);
                oc->checks_removed++;
                changed = true;
            } else {
                in->op = (uint16_t)checked;
            }
        }
    }
    free(s.defb);
    free(s.defp);
    ir_dom_free(d);
    return changed;
}
