/* prove.c - one rule at one width combination, in this process
 * (prover_check_combo in prover.h).
 *
 * The query is built in a fresh Z3 context, solved with the QF_BV solver
 * under a deterministic resource limit, and the context is deleted, so
 * nothing outlives the call.
 *
 * Case splits: bit-blasting a division (or a shift by a symbolic amount)
 * at 64 bits is slow, but once the divisor is a numeral Z3's rewriter
 * turns most of it into shifts and masks. So when a query is not solved
 * within a small part of the budget, and the precondition leaves some
 * constant only a few possible values (isPowerOf2(C), C u< 8, ...), the
 * prover finds those values with the solver itself and proves the query
 * once per value (recursively for a second constant). The split is
 * complete: the enumeration ends in `unsat`, so no value is missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "prover.h"
#include "strbuf.h"

enum {
    SPLIT_MAX_VALUES = 64,  /* a constant with at most this many values is split */
    SPLIT_MAX_DEPTH = 2,    /* constants split in one query */
    FIRST_TRY_DIVISOR = 16, /* the unsplit first try gets rlimit / this, */
    FIRST_TRY_MAX = 300000, /* ... and at most this */
    BUDGET_FACTOR = 2,      /* all checks of a combination: rlimit * this */
};

const char *proof_status_name(ProofStatus s)
{
    switch (s) {
    case PROOF_PROVED: return "proved";
    case PROOF_WRONG: return "wrong";
    case PROOF_VACUOUS: return "vacuous";
    default: return "unknown";
    }
}

typedef struct Query {
    Smt smt;
    const Rule *r;
    const uint8_t *combo;
    uint64_t rlimit;   /* per check */
    uint64_t left;     /* of the combination's whole budget */
    ProofStats *stats;
    Z3_ast *consts;    /* per constant */
    Z3_ast *svals;     /* per value: the source's terms */
    Z3_ast *tvals;     /* per value: the target's terms */
    Z3_ast *tdefs;     /* per target operand expression (tgt * 3): defined */
    Z3_ast pre_ok;     /* the precondition is defined and holds */
    Z3_ast ks, kt;     /* trap kinds (2-bit) */
    Z3_ast vs, vt;     /* root values */
    Z3_ast tdef;       /* every target constant expression is defined */
    char why[256];     /* why a check was unknown */
} Query;

static unsigned bits_of(const Query *q, RuleType t)
{
    return rule_type_bits(q->r, t, q->combo);
}

/* The trap kind of a sequence: that of its first trapping instruction. */
static Z3_ast fold_kind(Smt *s, const SmtInst *insts, uint32_t n)
{
    Z3_ast k = smt_bv(s, TRAP_NONE, 2);
    for (uint32_t i = n; i-- > 0;) {
        k = SMT(s, Z3_mk_ite(s->c, insts[i].overflow, smt_bv(s, TRAP_OVERFLOW, 2), k));
        k = SMT(s, Z3_mk_ite(s->c, insts[i].div_zero, smt_bv(s, TRAP_DIV_ZERO, 2), k));
    }
    return k;
}

/* Encode insts[0..n) into vals; traps appended to *seq. */
static bool encode_insts(Query *q, const RuleInst *insts, uint32_t n, Z3_ast *vals,
                         SmtInst *seq, uint32_t *nseq, bool target)
{
    Smt *s = &q->smt;
    SmtEnv env = {q->r, q->combo, q->consts, vals};
    for (uint32_t i = 0; i < n; i++) {
        const RuleInst *in = &insts[i];
        Z3_ast args[3];
        for (unsigned k = 0; k < in->nopd; k++) {
            const RuleOperand *o = &in->opd[k];
            if (o->kind == RO_VALUE) {
                args[k] = vals[o->value];
                continue;
            }
            Z3_ast def;
            if (!smt_expr(s, &env, o->expr, &args[k], &def))
                return false;
            if (o->expr->is_bool) /* a condition as an i1 operand */
                args[k] = SMT(s, Z3_mk_ite(s->c, args[k], smt_bv(s, 1, 1), smt_bv(s, 0, 1)));
            if (target) {
                q->tdefs[i * 3 + k] = def;
                Z3_ast both[2] = {q->tdef, def};
                q->tdef = SMT(s, Z3_mk_and(s->c, 2, both));
            }
        }
        SmtInst out;
        if (in->op == RULE_OP_COPY) {
            out.value = args[0];
            out.div_zero = out.overflow = SMT(s, Z3_mk_false(s->c));
        } else if (!smt_inst(s, (IrOpcode)in->op, (IrICond)in->cond, bits_of(q, in->type),
                             bits_of(q, in->type2), args, &out)) {
            return false;
        }
        vals[in->result] = out.value;
        seq[(*nseq)++] = out;
    }
    return !s->failed;
}

/* Source instructions the target reuses, directly or through others. */
static void mark_reused(const Rule *r, const RuleOperand *o, bool *reused)
{
    if (o->kind != RO_VALUE || r->values[o->value].kind != RV_SOURCE)
        return;
    uint32_t d = r->values[o->value].def;
    if (reused[d])
        return;
    reused[d] = true;
    for (unsigned k = 0; k < r->src[d].nopd; k++)
        mark_reused(r, &r->src[d].opd[k], reused);
}

static bool build(Query *q)
{
    const Rule *r = q->r;
    Smt *s = &q->smt;
    char name[128];
    for (uint32_t i = 0; i < r->nconsts; i++)
        q->consts[i] = smt_var(s, r->consts[i].name, bits_of(q, r->consts[i].type));
    for (uint32_t i = 0; i < r->nvalues; i++)
        if (r->values[i].kind == RV_INPUT) {
            snprintf(name, sizeof name, "%%%s", r->values[i].name);
            q->svals[i] = q->tvals[i] = smt_var(s, name, bits_of(q, r->values[i].type));
        }

    uint32_t nseq = 0, cap = r->nsrc + r->ntgt;
    SmtInst *seq = calloc(cap ? cap : 1, sizeof *seq);
    bool *reused = calloc(r->nsrc, sizeof *reused);
    bool ok = seq && reused && encode_insts(q, r->src, r->nsrc, q->svals, seq, &nseq, false);
    if (ok) {
        q->ks = fold_kind(s, seq, nseq);
        q->vs = q->svals[r->root];
        /* The target: the source instructions it reuses, then its own. */
        for (uint32_t i = 0; i < r->ntgt; i++)
            for (unsigned k = 0; k < r->tgt[i].nopd; k++)
                mark_reused(r, &r->tgt[i].opd[k], reused);
        SmtInst *src_seq = seq;
        nseq = 0;
        SmtInst *tseq = calloc(cap ? cap : 1, sizeof *tseq);
        ok = tseq != NULL;
        for (uint32_t i = 0; ok && i < r->nsrc; i++)
            if (reused[i]) {
                q->tvals[r->src[i].result] = q->svals[r->src[i].result];
                tseq[nseq++] = src_seq[i];
            }
        q->tdef = SMT(s, Z3_mk_true(s->c));
        ok = ok && encode_insts(q, r->tgt, r->ntgt, q->tvals, tseq, &nseq, true);
        if (ok) {
            q->kt = fold_kind(s, tseq, nseq);
            q->vt = q->tvals[r->root];
        }
        free(tseq);
    }
    free(seq);
    free(reused);
    if (!ok)
        return false;

    q->pre_ok = SMT(s, Z3_mk_true(s->c));
    if (r->pre) {
        SmtEnv env = {r, q->combo, q->consts, q->svals};
        Z3_ast v, d;
        if (!smt_expr(s, &env, r->pre, &v, &d))
            return false;
        Z3_ast both[2] = {d, v};
        q->pre_ok = SMT(s, Z3_mk_and(s->c, 2, both));
    }
    return !s->failed;
}

/* pre ∧ ¬(defined ∧ ks = kt ∧ (ks = none ⇒ vs = vt)) */
static Z3_ast refutation(Query *q)
{
    Smt *s = &q->smt;
    Z3_context c = s->c;
    Z3_ast no_trap = SMT(s, Z3_mk_eq(c, q->ks, smt_bv(s, TRAP_NONE, 2)));
    Z3_ast parts[3] = {
        q->tdef,
        SMT(s, Z3_mk_eq(c, q->ks, q->kt)),
        SMT(s, Z3_mk_implies(c, no_trap, SMT(s, Z3_mk_eq(c, q->vs, q->vt)))),
    };
    Z3_ast correct = s->failed ? NULL : SMT(s, Z3_mk_and(c, 3, parts));
    Z3_ast both[2] = {q->pre_ok, SMT(s, Z3_mk_not(c, correct))};
    return s->failed ? NULL : SMT(s, Z3_mk_and(c, 2, both));
}

/* ---- solving ---- */

/* The context's cumulative resource count, as a solver reports it. */
static uint64_t rlimit_count(Z3_context c, Z3_solver so)
{
    Z3_stats st = Z3_solver_get_statistics(c, so);
    if (!st)
        return 0;
    Z3_stats_inc_ref(c, st);
    uint64_t n = 0;
    for (unsigned i = 0; i < Z3_stats_size(c, st); i++)
        if (strcmp(Z3_stats_get_key(c, st, i), "rlimit count") == 0)
            n = Z3_stats_is_uint(c, st, i) ? Z3_stats_get_uint_value(c, st, i)
                                           : (uint64_t)Z3_stats_get_double_value(c, st, i);
    Z3_stats_dec_ref(c, st);
    return n;
}

static Z3_solver new_solver(Query *q, uint64_t rlimit)
{
    Smt *s = &q->smt;
    Z3_context c = s->c;
    if (s->failed)
        return NULL;
    Z3_solver so = Z3_mk_solver_for_logic(c, Z3_mk_string_symbol(c, "QF_BV"));
    if (!smt_ok(s, (Z3_ast)so))
        return NULL;
    Z3_solver_inc_ref(c, so);
    Z3_params p = Z3_mk_params(c);
    Z3_params_inc_ref(c, p);
    Z3_params_set_uint(c, p, Z3_mk_string_symbol(c, "rlimit"),
                       rlimit > UINT32_MAX ? UINT32_MAX : (unsigned)rlimit);
    Z3_solver_set_params(c, so, p);
    Z3_params_dec_ref(c, p);
    if (!smt_ok(s, (Z3_ast)so)) {
        Z3_solver_dec_ref(c, so);
        return NULL;
    }
    return so;
}

/* The resource limit a check may use: what it asks for, within what is
 * left of the combination's budget. */
static uint64_t allowance(Query *q, uint64_t want)
{
    return want < q->left ? want : q->left;
}

/* Charge the resources used since the last check in this context. */
static void spend(Query *q, uint64_t count)
{
    uint64_t used = count >= q->smt.rlimit_seen ? count - q->smt.rlimit_seen : count;
    q->smt.rlimit_seen = count;
    q->left -= used < q->left ? used : q->left;
    if (used > q->stats->max_rlimit)
        q->stats->max_rlimit = used;
}

/* One check of `goal`; a model is kept when satisfiable. */
static Z3_lbool check(Query *q, Z3_ast goal, uint64_t want, Z3_model *model)
{
    Smt *s = &q->smt;
    Z3_context c = s->c;
    uint64_t rlimit = allowance(q, want);
    if (rlimit == 0) {
        snprintf(q->why, sizeof q->why, "resource budget (rlimit %llu in all) exhausted",
                 (unsigned long long)q->rlimit * BUDGET_FACTOR);
        return Z3_L_UNDEF;
    }
    Z3_solver so = new_solver(q, rlimit);
    if (!so) {
        snprintf(q->why, sizeof q->why, "Z3 error: %.200s", s->why);
        return Z3_L_UNDEF;
    }
    Z3_solver_assert(c, so, goal);
    Z3_lbool res = Z3_solver_check(c, so);
    q->stats->queries++;
    spend(q, rlimit_count(c, so));
    if (res == Z3_L_UNDEF) {
        const char *why = Z3_solver_get_reason_unknown(c, so);
        snprintf(q->why, sizeof q->why, "%s", why ? why : "unknown");
        if (strstr(q->why, "resource limit"))
            snprintf(q->why, sizeof q->why, "resource limit (rlimit %llu) exceeded",
                     (unsigned long long)rlimit);
    } else if (res == Z3_L_TRUE && model) {
        *model = Z3_solver_get_model(c, so);
        if (*model)
            Z3_model_inc_ref(c, *model);
        else
            res = Z3_L_UNDEF;
    }
    if (Z3_get_error_code(c) != Z3_OK) {
        snprintf(q->why, sizeof q->why, "Z3 error: %s",
                 Z3_get_error_msg(c, Z3_get_error_code(c)));
        res = Z3_L_UNDEF;
    }
    Z3_solver_dec_ref(c, so);
    return res;
}

static Z3_ast and_(Smt *s, Z3_ast a, Z3_ast b)
{
    Z3_ast both[2] = {a, b};
    return s->failed ? NULL : SMT(s, Z3_mk_and(s->c, 2, both));
}

/* The values constant k can take under `cond`, when there are at most
 * SPLIT_MAX_VALUES of them (and the enumeration was decided). */
static unsigned enumerate(Query *q, uint32_t k, Z3_ast cond, uint64_t *vals)
{
    Smt *s = &q->smt;
    Z3_context c = s->c;
    uint64_t limit = allowance(q, q->rlimit);
    Z3_solver so = limit ? new_solver(q, limit) : NULL;
    if (!so)
        return 0;
    Z3_solver_assert(c, so, cond);
    unsigned n = 0;
    for (;;) {
        Z3_lbool res = Z3_solver_check(c, so);
        q->stats->queries++;
        spend(q, rlimit_count(c, so));
        if (res == Z3_L_FALSE)
            break;
        if (res == Z3_L_UNDEF || n == SPLIT_MAX_VALUES) {
            n = 0;
            break;
        }
        Z3_model m = Z3_solver_get_model(c, so);
        Z3_ast v = NULL;
        uint64_t x = 0;
        if (m) {
            Z3_model_inc_ref(c, m);
            if (!Z3_model_eval(c, m, q->consts[k], true, &v) || !v ||
                !Z3_get_numeral_uint64(c, v, &x))
                v = NULL;
            Z3_model_dec_ref(c, m);
        }
        if (!v) {
            n = 0;
            break;
        }
        vals[n++] = x;
        unsigned bits = bits_of(q, q->r->consts[k].type);
        Z3_solver_assert(c, so, SMT(s, Z3_mk_not(c, SMT(s, Z3_mk_eq(c, q->consts[k],
                                                                    smt_bv(s, x, bits))))));
        if (s->failed) {
            n = 0;
            break;
        }
    }
    Z3_solver_dec_ref(c, so);
    return n;
}

/* Solve goal ∧ fixed, splitting on constants with few values when the
 * first try runs out of budget. `fixed` pins constants already split. */
static Z3_lbool solve(Query *q, Z3_ast goal, Z3_ast fixed, bool *split, unsigned depth,
                      Z3_model *model)
{
    Smt *s = &q->smt;
    Z3_ast g = and_(s, goal, fixed);
    if (!g)
        return Z3_L_UNDEF;
    bool can_split = depth < SPLIT_MAX_DEPTH;
    uint64_t first = q->rlimit / FIRST_TRY_DIVISOR;
    if (first > FIRST_TRY_MAX)
        first = FIRST_TRY_MAX;
    Z3_lbool res = check(q, g, can_split ? first : q->rlimit, model);
    if (res != Z3_L_UNDEF || !can_split)
        return res;

    uint64_t vals[SPLIT_MAX_VALUES];
    Z3_ast domain = and_(s, q->pre_ok, fixed);
    for (uint32_t k = 0; k < q->r->nconsts; k++) {
        if (split[k])
            continue;
        unsigned n = enumerate(q, k, domain, vals);
        if (n == 0)
            continue;
        split[k] = true;
        unsigned bits = bits_of(q, q->r->consts[k].type);
        for (unsigned i = 0; i < n; i++) {
            Z3_ast pin = SMT(s, Z3_mk_eq(s->c, q->consts[k], smt_bv(s, vals[i], bits)));
            q->stats->splits++;
            res = solve(q, goal, and_(s, fixed, pin), split, depth + 1, model);
            if (res != Z3_L_FALSE)
                break;
        }
        split[k] = false;
        return res;
    }
    return check(q, g, q->rlimit, model);
}

/* ---- vacuity ---- */

/* Whether some simple assignment (every constant and input 0, 1, -1,
 * intmin, ..., or a fixed pseudo-random mix) satisfies the precondition:
 * evaluating is far cheaper than asking the solver, which can spend long
 * preprocessing a precondition like noSignedMulOverflow(%x, %y) that x = 0
 * satisfies. */
static bool pre_has_easy_model(Query *q)
{
    Smt *s = &q->smt;
    Z3_context c = s->c;
    const Rule *r = q->r;
    uint32_t n = 0, cap = r->nconsts + r->nvalues;
    Z3_ast *from = calloc(cap + 1, sizeof *from), *to = calloc(cap + 1, sizeof *to);
    unsigned *bits = calloc(cap + 1, sizeof *bits);
    bool found = false;
    if (!from || !to || !bits)
        goto done;
    for (uint32_t i = 0; i < r->nconsts; i++) {
        bits[n] = bits_of(q, r->consts[i].type);
        from[n++] = q->consts[i];
    }
    for (uint32_t i = 0; i < r->nvalues; i++)
        if (r->values[i].kind == RV_INPUT) {
            bits[n] = bits_of(q, r->values[i].type);
            from[n++] = q->svals[i];
        }
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (unsigned k = 0; k < 64 && !found && !s->failed; k++) {
        for (uint32_t i = 0; i < n; i++) {
            unsigned w = bits[i];
            uint64_t pick[8] = {0, 1, UINT64_MAX, UINT64_C(1) << (w - 1),
                                (UINT64_C(1) << (w - 1)) - 1, 2, w - 1, w};
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            uint64_t v = k < 8 ? pick[k] : k < 24 ? pick[(k + i) % 8] : seed >> (k % 48);
            to[i] = smt_bv(s, v, w);
        }
        Z3_ast t = SMT(s, Z3_substitute(c, q->pre_ok, n, from, to));
        t = t ? SMT(s, Z3_simplify(c, t)) : NULL;
        found = t && Z3_get_bool_value(c, t) == Z3_L_TRUE;
    }
done:
    free(from);
    free(to);
    free(bits);
    return found;
}

/* ---- counterexamples ---- */

static bool eval_u64(Query *q, Z3_model m, Z3_ast t, uint64_t *out)
{
    Z3_context c = q->smt.c;
    Z3_ast v = NULL;
    *out = 0;
    return Z3_model_eval(c, m, t, true, &v) && v && Z3_get_numeral_uint64(c, v, out);
}

static bool eval_bool(Query *q, Z3_model m, Z3_ast t)
{
    Z3_context c = q->smt.c;
    Z3_ast v = NULL;
    return Z3_model_eval(c, m, t, true, &v) && v && Z3_get_bool_value(c, v) == Z3_L_TRUE;
}

static void outcome(StrBuf *b, Query *q, Z3_model m, Z3_ast kind, Z3_ast value)
{
    uint64_t k = 0, v = 0;
    eval_u64(q, m, kind, &k);
    if (k != TRAP_NONE) {
        sb_printf(b, "traps (%s)", trap_kind_reason((TrapKind)k));
        return;
    }
    if (eval_u64(q, m, value, &v))
        sb_printf(b, "%llu", (unsigned long long)v);
    else
        sb_puts(b, "?");
}

static char *counterexample(Query *q, Z3_model m)
{
    const Rule *r = q->r;
    StrBuf b = {0};
    char cb[64];
    sb_printf(&b, "wrong at %s", rule_combo_name(r, q->combo, cb, sizeof cb));
    const char *sep = ": ";
    uint64_t v;
    for (uint32_t i = 0; i < r->nvalues; i++)
        if (r->values[i].kind == RV_INPUT) {
            eval_u64(q, m, q->svals[i], &v);
            sb_printf(&b, "%s%s = %llu", sep, r->values[i].name, (unsigned long long)v);
            sep = ", ";
        }
    for (uint32_t i = 0; i < r->nconsts; i++) {
        eval_u64(q, m, q->consts[i], &v);
        sb_printf(&b, "%s%s = %llu", sep, r->consts[i].name, (unsigned long long)v);
        sep = ", ";
    }
    if (!eval_bool(q, m, q->tdef)) {
        for (uint32_t i = 0; i < r->ntgt; i++)
            for (unsigned k = 0; k < r->tgt[i].nopd; k++) {
                Z3_ast d = q->tdefs[i * 3 + k];
                if (d && !eval_bool(q, m, d)) {
                    char *text = rule_print_expr(r, r->tgt[i].opd[k].expr);
                    sb_printf(&b, ": target constant %s is undefined", text);
                    free(text);
                    return sb_take(&b);
                }
            }
    }
    sb_puts(&b, ": source ");
    outcome(&b, q, m, q->ks, q->vs);
    sb_puts(&b, ", target ");
    outcome(&b, q, m, q->kt, q->vt);
    return sb_take(&b);
}

static char *unknown_text(Query *q, const char *why)
{
    StrBuf b = {0};
    char cb[64];
    sb_printf(&b, "unknown at %s: %s", rule_combo_name(q->r, q->combo, cb, sizeof cb), why);
    return sb_take(&b);
}

/* One combination in the context `smt` (which stays usable unless it
 * failed). */
static ProofStatus check_in(Smt *smt, const Rule *r, const uint8_t *combo, uint64_t rlimit,
                            char **msg, ProofStats *stats)
{
    ProofStats local = {0};
    Query q = {.smt = *smt, .r = r, .combo = combo,
               .rlimit = rlimit ? rlimit : PROVER_DEFAULT_RLIMIT,
               .stats = stats ? stats : &local};
    q.left = q.rlimit * BUDGET_FACTOR;
    *msg = NULL;
    Z3_context c = q.smt.c;
    q.consts = calloc(r->nconsts + 1, sizeof *q.consts);
    q.svals = calloc(r->nvalues + 1, sizeof *q.svals);
    q.tvals = calloc(r->nvalues + 1, sizeof *q.tvals);
    q.tdefs = calloc((size_t)r->ntgt * 3 + 1, sizeof *q.tdefs);
    bool *split = calloc(r->nconsts + 1, sizeof *split);
    ProofStatus status = PROOF_UNKNOWN;
    Z3_ast goal = NULL;
    if (q.consts && q.svals && q.tvals && q.tdefs && split && build(&q))
        goal = refutation(&q);
    if (!goal) {
        *msg = unknown_text(&q, q.smt.failed ? q.smt.why : "out of memory");
    } else {
        Z3_model m = NULL;
        Z3_lbool res = solve(&q, goal, Z3_mk_true(c), split, 0, &m);
        if (res == Z3_L_TRUE) {
            status = PROOF_WRONG;
            *msg = counterexample(&q, m);
            Z3_model_dec_ref(c, m);
        } else if (res == Z3_L_UNDEF) {
            *msg = unknown_text(&q, q.why);
        } else if (r->pre && !pre_has_easy_model(&q) &&
                   (res = check(&q, q.pre_ok, q.rlimit, NULL)) != Z3_L_TRUE) {
            char cb[64];
            if (res == Z3_L_FALSE) {
                StrBuf b = {0};
                sb_printf(&b, "vacuous at %s: the precondition never holds",
                          rule_combo_name(r, combo, cb, sizeof cb));
                *msg = sb_take(&b);
                status = PROOF_VACUOUS;
            } else {
                *msg = unknown_text(&q, q.why);
            }
        } else {
            status = PROOF_PROVED;
        }
    }
    free(split);
    free(q.consts);
    free(q.svals);
    free(q.tvals);
    free(q.tdefs);
    *smt = q.smt;
    return status;
}

static char *no_context(const Rule *r, const uint8_t *combo)
{
    StrBuf b = {0};
    char cb[64];
    sb_printf(&b, "unknown at %s: cannot create a Z3 context",
              rule_combo_name(r, combo, cb, sizeof cb));
    return sb_take(&b);
}

ProofStatus prover_check_combo(const Rule *r, const uint8_t *combo, uint64_t rlimit,
                               char **msg, ProofStats *stats)
{
    Smt smt;
    if (!smt_init(&smt)) {
        smt_fini(&smt);
        *msg = no_context(r, combo);
        return PROOF_UNKNOWN;
    }
    ProofStatus s = check_in(&smt, r, combo, rlimit, msg, stats);
    smt_fini(&smt);
    return s;
}

ProofStatus prover_check_rule(const Rule *r, const uint32_t *combos, uint32_t n,
                              uint64_t rlimit, ProofDone *done, void *user)
{
    Smt smt;
    bool live = smt_init(&smt);
    ProofStatus s = PROOF_PROVED;
    for (uint32_t i = 0; i < n && s == PROOF_PROVED; i++) {
        const uint8_t *combo = r->combos[combos[i]];
        if (live && smt.failed) { /* a Z3 error: start afresh */
            smt_fini(&smt);
            live = smt_init(&smt);
        }
        ProofStats st = {0};
        char *msg = NULL;
        if (live) {
            s = check_in(&smt, r, combo, rlimit, &msg, &st);
        } else {
            s = PROOF_UNKNOWN;
            msg = no_context(r, combo);
        }
        done(user, combos[i], s, msg, &st);
        free(msg);
    }
    smt_fini(&smt);
    return s;
}
