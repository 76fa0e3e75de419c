/* rewrite.c - the rule-application engine (rewrite.h).
 *
 * Matching starts at a candidate root instruction and follows the
 * pattern's operands back to their defining instructions (any block: in
 * SSA a definition dominates its uses, so every value the target names
 * dominates the root). The rewrite replaces only the root: the target's
 * other instructions are inserted just before it and the last one takes
 * the root's place and value number (a copy target substitutes the value
 * instead). The source's inner instructions stay where they are, so an
 * inner trap still happens where it happened; the proof covers the rest
 * (docs/rules.md, "Applying rules").
 */
#include "rewrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "edit.h"

/* The built-in rules' text (opt/builtin_rules.c, generated after
 * yvm-prove proved every one of them). */
extern const char opt_builtin_rules_text[];
extern const unsigned long opt_builtin_rules_len;

/* Rewrites of one root, and of one function, at most: a set of rules
 * may loop (a rule and its converse), the budget ends it. */
enum { MAX_PER_ROOT = 8, MAX_PER_INST = 4, MAX_ROUNDS = 4 };

struct OptRules {
    IrSource src;          /* the built-in text */
    RuleSet **sets;        /* the built-in set, then one per module rule */
    IrSource *msrcs;       /* sources of module rules (their text) */
    uint32_t nsets, capsets;
    const Rule **rules;    /* every usable rule */
    uint32_t nrules, caprules;
    unsigned long applied;
};

OptRules *opt_rules_new(void)
{
    return calloc(1, sizeof(OptRules));
}

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap)
        return true;
    uint32_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static bool add_set(OptRules *rs, RuleSet *set)
{
    uint32_t cap = rs->capsets;
    void *p = rs->sets;
    if (!grow(&p, &cap, rs->nsets + 1, sizeof *rs->sets))
        return false;
    rs->sets = p;
    rs->capsets = cap;
    rs->sets[rs->nsets++] = set;
    return true;
}

static bool add_rule(OptRules *rs, const Rule *r)
{
    void *p = rs->rules;
    if (!grow(&p, &rs->caprules, rs->nrules + 1, sizeof *rs->rules))
        return false;
    rs->rules = p;
    rs->rules[rs->nrules++] = r;
    return true;
}

OptRules *opt_rules_builtin(IrCtx *ctx)
{
    OptRules *rs = opt_rules_new();
    if (!rs)
        return NULL;
    rs->src = (IrSource){.name = "<built-in rules>",
                         .data = (const uint8_t *)opt_builtin_rules_text,
                         .len = opt_builtin_rules_len};
    RuleSet *set = rule_parse(ctx, &rs->src);
    if (!set || !add_set(rs, set)) {
        rule_set_free(set);
        opt_rules_free(rs);
        return NULL;
    }
    for (uint32_t i = 0; i < set->nrules; i++)
        if (!add_rule(rs, set->rules[i])) {
            opt_rules_free(rs);
            return NULL;
        }
    return rs;
}

void opt_rules_free(OptRules *rs)
{
    if (!rs)
        return;
    for (uint32_t i = 0; i < rs->nsets; i++)
        rule_set_free(rs->sets[i]);
    free(rs->sets);
    free(rs->rules);
    free(rs->msrcs);
    free(rs);
}

unsigned opt_rules_count(const OptRules *rs)
{
    return rs ? rs->nrules : 0;
}

unsigned long opt_rules_applied(const OptRules *rs)
{
    return rs ? rs->applied : 0;
}

bool opt_rules_add_module(OptRules *rs, IrModule *m, OptRuleProver *prove, void *user)
{
    bool ok = true;
    for (uint32_t i = 0; i < m->nrules; i++) {
        const IrRule *item = &m->rules[i];
        /* The item's canonical text reads back (the reader made it). */
        IrSource tmp = {.name = m->src ? m->src->name : "<module>",
                        .data = (const uint8_t *)item->text, .len = item->len};
        RuleSet *set = rule_parse(m->ctx, &tmp);
        if (!set) {
            ok = false;
            continue;
        }
        set->src = NULL; /* tmp dies here; nothing reads it later */
        char *why = NULL;
        const Rule *r = set->rules[0];
        bool proven = prove && prove(user, r, &why);
        if (proven && add_set(rs, set) && add_rule(rs, r)) {
            free(why);
            continue;
        }
        if (!prove) {
            /* No prover: the rule cannot be proven here, so it never runs. */
            rule_set_free(set);
            continue;
        }
        IrLoc loc = item->loc;
        if (m->src && loc.line)
            ir_error(m->ctx, m->src, loc, "rule '%s' is %s", r->name,
                     why ? why : "not proven");
        else
            ir_error_plain(m->ctx, m->src, "rule '%s' is %s", r->name,
                           why ? why : "not proven");
        free(why);
        if (!proven)
            rule_set_free(set);
        ok = false;
    }
    return ok;
}

/* ---- matching ---- */

typedef struct Match {
    const Rule *r;
    IrFunc *f;
    const uint32_t *def_block, *def_inst; /* value -> where it is defined */
    uint8_t combo[RULE_MAX_TYPEVARS];     /* bound widths, 0: not yet */
    IrOperand *vals;                      /* per rule value */
    bool *bound;
    uint64_t *consts;
    bool *cbound;
} Match;

static int width_of(IrType t)
{
    switch (t) {
    case IR_I1: return 1;
    case IR_I8: return 8;
    case IR_I16: return 16;
    case IR_I32: return 32;
    case IR_I64: return 64;
    default: return 0;
    }
}

static IrType type_of_width(unsigned w)
{
    switch (w) {
    case 1: return IR_I1;
    case 8: return IR_I8;
    case 16: return IR_I16;
    case 32: return IR_I32;
    default: return IR_I64;
    }
}

static uint64_t mask_of(unsigned w)
{
    return w >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << w) - 1;
}

/* Bind or check a rule type against an IR type. */
static bool match_type(Match *mt, RuleType t, IrType it)
{
    int w = width_of(it);
    if (!w)
        return false;
    if (t.var == RULE_NO_TYPEVAR)
        return t.bits == (unsigned)w;
    if (mt->combo[t.var])
        return mt->combo[t.var] == (unsigned)w;
    mt->combo[t.var] = (uint8_t)w;
    return true;
}

static bool match_inst(Match *mt, uint32_t si, const IrInst *in, unsigned depth);

static bool match_opd(Match *mt, const RuleOperand *ro, RuleType rt, const IrOperand *o,
                      unsigned depth)
{
    const Rule *r = mt->r;
    if (!match_type(mt, rt, (IrType)o->type))
        return false;
    unsigned w = rule_type_bits(r, rt, mt->combo);
    if (ro->kind == RO_EXPR) {
        const RuleExpr *e = ro->expr;
        if (o->kind != IR_OPD_CONST)
            return false;
        if (e->kind == RX_CONST) {
            if (mt->cbound[e->index])
                return mt->consts[e->index] == o->bits;
            mt->cbound[e->index] = true;
            mt->consts[e->index] = o->bits;
            return true;
        }
        if (e->kind == RX_LIT) {
            uint64_t v = e->neg ? (uint64_t)0 - e->mag : e->mag;
            return (v & mask_of(w)) == o->bits;
        }
        RuleBinding b = {.combo = mt->combo, .consts = mt->consts};
        uint64_t v;
        return rule_eval_expr(r, e, &b, &v) && (v & mask_of(w)) == o->bits;
    }
    const RuleValue *rv = &r->values[ro->value];
    if (mt->bound[ro->value])
        return edit_same_opd(&mt->vals[ro->value], o);
    if (rv->kind == RV_SOURCE) {
        if (o->kind != IR_OPD_VALUE || o->index >= mt->f->nvals)
            return false;
        uint32_t b = mt->def_block[o->index];
        if (b == IR_NONE)
            return false;
        const IrInst *def = &mt->f->blocks[b]->insts[mt->def_inst[o->index]];
        if (!match_inst(mt, rv->def, def, depth + 1))
            return false;
    }
    if (o->kind == IR_OPD_SYMBOL)
        return false;
    mt->bound[ro->value] = true;
    mt->vals[ro->value] = *o;
    return true;
}

static bool match_inst(Match *mt, uint32_t si, const IrInst *in, unsigned depth)
{
    const RuleInst *ri = &mt->r->src[si];
    if (depth > 16 || in->op != ri->op || in->result == IR_NONE)
        return false;
    if (in->op == IR_ICMP && in->cond != ri->cond)
        return false;
    if (in->nopd != ri->nopd)
        return false;
    if (!match_type(mt, ri->type, (IrType)in->type))
        return false;
    if ((in->op == IR_ZEXT || in->op == IR_SEXT || in->op == IR_TRUNC) &&
        !match_type(mt, ri->type2, (IrType)in->type2))
        return false;
    for (unsigned k = 0; k < ri->nopd; k++) {
        /* select's condition is i1; every other operand has the type T. */
        RuleType t = ri->type;
        if (in->op == IR_SELECT && k == 0)
            t = (RuleType){RULE_NO_TYPEVAR, 1};
        if (!match_opd(mt, &ri->opd[k], t, &in->opd[k], depth))
            return false;
    }
    return true;
}

/* The bound widths are one of the combinations the rule was proven at. */
static bool combo_proven(const Rule *r, const uint8_t *combo)
{
    if (r->ntypevars == 0)
        return r->ncombos > 0;
    for (uint32_t c = 0; c < r->ncombos; c++)
        if (memcmp(r->combos[c], combo, r->ntypevars) == 0)
            return true;
    return false;
}

/* ---- rewriting ---- */

/* The operand a target operand stands for; false if a constant is
 * undefined here. */
static bool target_opd(Match *mt, const RuleOperand *ro, RuleType rt, const uint32_t *tvals,
                       IrOperand *out)
{
    const Rule *r = mt->r;
    if (ro->kind == RO_VALUE) {
        if (mt->bound[ro->value]) {
            *out = mt->vals[ro->value];
            return true;
        }
        if (tvals[ro->value] == IR_NONE)
            return false;
        unsigned w = rule_type_bits(r, r->values[ro->value].type, mt->combo);
        *out = (IrOperand){.kind = IR_OPD_VALUE, .type = type_of_width(w),
                           .index = tvals[ro->value]};
        return true;
    }
    unsigned w = rule_type_bits(r, rt, mt->combo);
    RuleBinding b = {.combo = mt->combo, .consts = mt->consts};
    uint64_t v;
    if (!rule_eval_expr(r, ro->expr, &b, &v))
        return false;
    *out = (IrOperand){.kind = IR_OPD_CONST, .type = type_of_width(w), .bits = v & mask_of(w)};
    return true;
}

/* Build target instruction ti as an IrInst (operands in the arena). */
static bool target_inst(Match *mt, IrModule *m, uint32_t ti, const uint32_t *tvals,
                        IrInst *out)
{
    const Rule *r = mt->r;
    const RuleInst *ri = &r->tgt[ti];
    memset(out, 0, sizeof *out);
    out->op = ri->op;
    out->cond = ri->cond;
    out->type = type_of_width(rule_type_bits(r, ri->type, mt->combo));
    if (ri->op == IR_ZEXT || ri->op == IR_SEXT || ri->op == IR_TRUNC)
        out->type2 = type_of_width(rule_type_bits(r, ri->type2, mt->combo));
    IrOperand o[3];
    for (unsigned k = 0; k < ri->nopd; k++) {
        RuleType t = ri->type;
        if (ri->op == IR_SELECT && k == 0)
            t = (RuleType){RULE_NO_TYPEVAR, 1};
        if (!target_opd(mt, &ri->opd[k], t, tvals, &o[k]))
            return false;
    }
    out->nopd = ri->nopd;
    out->opd = edit_copy_opds(m, ri->nopd, o);
    return true;
}

/* Try r at the instruction at blocks[b]->insts[i]; true when rewritten. */
static bool try_rule(Match *mt, IrModule *m, IrFunc *f, uint32_t b, uint32_t i, EditSubst *sub)
{
    const Rule *r = mt->r;
    IrInst *root = &f->blocks[b]->insts[i];
    memset(mt->combo, 0, sizeof mt->combo);
    memset(mt->bound, 0, sizeof *mt->bound * r->nvalues);
    memset(mt->cbound, 0, sizeof *mt->cbound * (r->nconsts + 1));
    if (!match_inst(mt, r->nsrc - 1, root, 0) || !combo_proven(r, mt->combo))
        return false;
    if (r->pre) {
        /* Facts about input values hold only of constants. */
        uint64_t *vals = calloc(r->nvalues + 1, sizeof *vals);
        bool all_const = vals != NULL;
        for (uint32_t k = 0; k < r->nvalues && all_const; k++)
            if (r->values[k].kind == RV_INPUT) {
                all_const = mt->bound[k] && mt->vals[k].kind == IR_OPD_CONST;
                vals[k] = mt->vals[k].bits;
            }
        RuleBinding bd = {.combo = mt->combo, .consts = mt->consts,
                          .values = all_const ? vals : NULL};
        uint64_t holds = 0;
        bool ok = rule_eval_expr(r, r->pre, &bd, &holds) && holds;
        free(vals);
        if (!ok)
            return false;
    }
    /* Build every target instruction first, so that an undefined
     * constant leaves the function untouched. */
    uint32_t *tvals = malloc(sizeof *tvals * (r->nvalues + 1));
    IrInst *insts = calloc(r->ntgt + 1, sizeof *insts);
    bool ok = tvals && insts;
    for (uint32_t k = 0; ok && k < r->nvalues; k++)
        tvals[k] = IR_NONE;
    uint32_t first_new = f->nvals;
    for (uint32_t t = 0; ok && t < r->ntgt; t++) {
        const RuleInst *ri = &r->tgt[t];
        if (ri->op == RULE_OP_COPY)
            break; /* only the last target instruction may be a copy */
        ok = target_inst(mt, m, t, tvals, &insts[t]);
        if (ok && t + 1 < r->ntgt) {
            /* Numbered in order by ir_func_new_value below. */
            tvals[ri->result] = first_new + t;
            insts[t].result = tvals[ri->result];
        }
    }
    IrOperand copy = {0};
    const RuleInst *last = &r->tgt[r->ntgt - 1];
    if (ok && last->op == RULE_OP_COPY)
        ok = target_opd(mt, &last->opd[0], r->values[r->root].type, tvals, &copy);
    if (!ok) {
        free(tvals);
        free(insts);
        return false;
    }
    /* Commit: new values, inserted instructions, the root replaced. */
    for (uint32_t t = 0; t + 1 < r->ntgt; t++) {
        unsigned w = rule_type_bits(r, r->tgt[t].rtype, mt->combo);
        insts[t].result = ir_func_new_value(m, f, type_of_width(w), NULL);
    }
    uint32_t root_val = root->result;
    IrLoc loc = root->loc;
    for (uint32_t t = 0; t + 1 < r->ntgt; t++) {
        insts[t].loc = loc;
        edit_insert(m, f->blocks[b], i + t, &insts[t]);
    }
    root = &f->blocks[b]->insts[i + r->ntgt - 1];
    if (last->op == RULE_OP_COPY) {
        edit_subst_set(sub, root_val, copy);
        edit_kill(root);
    } else {
        IrInst *ni = &insts[r->ntgt - 1];
        root->op = ni->op;
        root->type = ni->type;
        root->type2 = ni->type2;
        root->cond = ni->cond;
        root->nopd = ni->nopd;
        root->opd = ni->opd;
        root->ntgt = 0;
        root->tgt = NULL;
    }
    free(tvals);
    free(insts);
    return true;
}

/* (Re)build the maps value -> defining block and position. */
static bool def_map(const IrFunc *f, uint32_t **db, uint32_t **di)
{
    free(*db);
    free(*di);
    *db = malloc(sizeof **db * (f->nvals + 1));
    *di = malloc(sizeof **di * (f->nvals + 1));
    if (!*db || !*di)
        return false;
    for (uint32_t v = 0; v < f->nvals; v++)
        (*db)[v] = (*di)[v] = IR_NONE;
    for (uint32_t b = 0; b < f->nblocks; b++)
        for (uint32_t k = 0; k < f->blocks[b]->ninsts; k++) {
            const IrInst *in = &f->blocks[b]->insts[k];
            if (in->result != IR_NONE && in->result < f->nvals && in->op != EDIT_DEAD_OP) {
                (*db)[in->result] = b;
                (*di)[in->result] = k;
            }
        }
    return true;
}

bool opt_rewrite(OptCtx *oc, IrModule *m, IrFunc *f)
{
    OptRules *rs = oc->rules;
    if (!rs || !rs->nrules)
        return false;
    /* Rules by root opcode. */
    uint32_t *first = calloc(IR_OPCODE_COUNT + 1, sizeof *first);
    const Rule **by_op = malloc(sizeof *by_op * (rs->nrules + 1));
    uint32_t maxv = 1, maxc = 1;
    if (!first || !by_op) {
        free(first);
        free(by_op);
        return false;
    }
    for (uint32_t i = 0; i < rs->nrules; i++) {
        const Rule *r = rs->rules[i];
        first[r->src[r->nsrc - 1].op + 1]++;
        maxv = r->nvalues > maxv ? r->nvalues : maxv;
        maxc = r->nconsts + 1 > maxc ? r->nconsts + 1 : maxc;
    }
    for (unsigned op = 0; op < IR_OPCODE_COUNT; op++)
        first[op + 1] += first[op];
    uint32_t *fill = calloc(IR_OPCODE_COUNT + 1, sizeof *fill);
    for (uint32_t i = 0; fill && i < rs->nrules; i++) {
        uint16_t op = rs->rules[i]->src[rs->rules[i]->nsrc - 1].op;
        by_op[first[op] + fill[op]++] = rs->rules[i];
    }
    free(fill);

    Match mt = {.f = f};
    mt.vals = calloc(maxv, sizeof *mt.vals);
    mt.bound = calloc(maxv, sizeof *mt.bound);
    mt.consts = calloc(maxc, sizeof *mt.consts);
    mt.cbound = calloc(maxc, sizeof *mt.cbound);
    EditSubst sub;
    edit_subst_init(&sub, f);
    bool changed = false;
    unsigned long budget = 0;
    for (uint32_t b = 0; b < f->nblocks; b++)
        budget += f->blocks[b]->ninsts;
    budget = budget * MAX_PER_INST + 16;
    if (!mt.vals || !mt.bound || !mt.consts || !mt.cbound)
        budget = 0;

    uint32_t *db = NULL, *di = NULL;
    bool stale = true;
    /* Sweeps to a fixpoint: a rewrite may make an earlier instruction (a
     * user of the rewritten one) match a rule. Bounded by MAX_ROUNDS and
     * by the budget, so rules that undo each other still stop. */
    bool again = true;
    for (unsigned round = 0; again && round < MAX_ROUNDS && budget; round++) {
        again = false;
        if (round > 0) {
            /* The next sweep sees the last one's copies and deletions,
             * and the map covers the values the last one made. */
            if (sub.any)
                edit_subst_apply(&sub, f);
            edit_sweep(f);
            edit_subst_free(&sub);
            edit_subst_init(&sub, f);
            stale = true;
        }
        for (uint32_t b = 0; b < f->nblocks && budget; b++) {
            for (uint32_t i = 0; i < f->blocks[b]->ninsts && budget; i++) {
                for (unsigned tries = 0; tries < MAX_PER_ROOT && budget; tries++) {
                    IrInst *in = &f->blocks[b]->insts[i];
                    if (in->op >= IR_OPCODE_COUNT || in->result == IR_NONE ||
                        first[in->op] == first[in->op + 1])
                        break;
                    /* Where each value is defined; inserting moves them. */
                    if (stale && !def_map(f, &db, &di)) {
                        budget = 0;
                        break;
                    }
                    stale = false;
                    mt.def_block = db;
                    mt.def_inst = di;
                    bool done = false;
                    /* The bounds are read once: a rewrite may kill the root. */
                    uint32_t lo = first[in->op], hi = first[in->op + 1];
                    for (uint32_t k = lo; k < hi && !done; k++) {
                        mt.r = by_op[k];
                        done = try_rule(&mt, m, f, b, i, &sub);
                    }
                    if (!done)
                        break;
                    stale = true;
                    changed = again = true;
                    rs->applied++;
                    budget--;
                    /* Go on at the rewritten root (it may match again). */
                    i += mt.r->ntgt - 1;
                    if (f->blocks[b]->insts[i].op == EDIT_DEAD_OP)
                        break;
                }
            }
        }
    }
    free(db);
    free(di);
    if (sub.any)
        edit_subst_apply(&sub, f);
    edit_sweep(f);
    edit_subst_free(&sub);
    free(mt.vals);
    free(mt.bound);
    free(mt.consts);
    free(mt.cbound);
    free(first);
    free(by_op);
    return changed;
}
