/* oblig.c - discharging proof obligations with Z3 (oblig.h).
 *
 * The query is built from the IR itself: one bit-vector variable per
 * value the facts or the instruction mention, one Boolean literal per
 * fact (asserted as `literal ⇒ fact`, so an unsat core names the facts a
 * proof used), and the overflow condition of the checked operation from
 * encode.c, the same encoding the rules are proven with. */
#include "oblig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ir/oblig.h"
#include "encode.h"

/* A context collects every term it ever made; start a fresh one after
 * this many obligations so memory stays bounded. */
#define OBLIGS_PER_CONTEXT 256

struct ObligProver {
    Smt smt;
    Z3_solver so;     /* one solver per context; each query in a push/pop */
    bool live;
    unsigned used;
    uint64_t rlimit;
};

ObligProver *oblig_prover_new(uint64_t rlimit)
{
    ObligProver *p = calloc(1, sizeof *p);
    if (p)
        p->rlimit = rlimit ? rlimit : PROVER_OBLIG_RLIMIT;
    return p;
}

void oblig_prover_free(ObligProver *p)
{
    if (!p)
        return;
    if (p->live) {
        Z3_solver_dec_ref(p->smt.c, p->so);
        smt_fini(&p->smt);
    }
    free(p);
}

static bool fresh_context(ObligProver *p)
{
    if (p->live && p->used < OBLIGS_PER_CONTEXT && !p->smt.failed)
        return true;
    if (p->live) {
        Z3_solver_dec_ref(p->smt.c, p->so);
        smt_fini(&p->smt);
    }
    p->live = smt_init(&p->smt);
    p->used = 0;
    if (!p->live)
        return false;
    Z3_context c = p->smt.c;
    p->so = Z3_mk_solver_for_logic(c, Z3_mk_string_symbol(c, "QF_BV"));
    if (!smt_ok(&p->smt, (Z3_ast)p->so)) {
        smt_fini(&p->smt);
        p->live = false;
        return false;
    }
    Z3_solver_inc_ref(c, p->so);
    Z3_params params = Z3_mk_params(c);
    Z3_params_inc_ref(c, params);
    Z3_params_set_uint(c, params, Z3_mk_string_symbol(c, "rlimit"),
                       p->rlimit > UINT32_MAX ? UINT32_MAX : (unsigned)p->rlimit);
    Z3_solver_set_params(c, p->so, params);
    Z3_params_dec_ref(c, params);
    return true;
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

typedef struct Enc {
    Smt *s;
    const IrFunc *f;
    Z3_ast *vars;       /* per value number, made on first use */
} Enc;

static Z3_ast var(Enc *e, uint32_t v)
{
    if (!e->vars[v]) {
        char name[24];
        snprintf(name, sizeof name, "v%" PRIu32, v);
        e->vars[v] = smt_var(e->s, name, ir_type_bits((IrType)e->f->vals[v].type));
    }
    return e->vars[v];
}

static Z3_ast opd(Enc *e, const IrOperand *o)
{
    if (o->kind == IR_OPD_VALUE && o->index < e->f->nvals)
        return var(e, o->index);
    if (o->kind == IR_OPD_CONST && ir_type_is_int((IrType)o->type))
        return smt_bv(e->s, o->bits, ir_type_bits((IrType)o->type));
    if (!e->s->failed) {
        e->s->failed = true;
        snprintf(e->s->why, sizeof e->s->why, "an operand that is not an integer");
    }
    return NULL;
}

/* The value and trap conditions of an integer instruction. */
static bool encode(Enc *e, const IrInst *in, IrOpcode op, SmtInst *out)
{
    Z3_ast args[3] = {0};
    uint32_t n = in->nopd < 3 ? in->nopd : 3;
    for (uint32_t k = 0; k < n; k++)
        args[k] = opd(e, &in->opd[k]);
    unsigned bits = ir_type_bits((IrType)in->type);
    unsigned bits2 = ir_op_info[in->op].form == IR_FORM_CONV ? ir_type_bits((IrType)in->type2) : 0;
    return !e->s->failed && smt_inst(e->s, op, (IrICond)in->cond, bits, bits2, args, out) &&
           !e->s->failed;
}

static Z3_ast fact_formula(Enc *e, const IrFact *fa)
{
    Smt *s = e->s;
    Z3_context c = s->c;
    if (fa->kind == IR_FACT_EDGE) {
        const IrBlock *a = e->f->blocks[fa->a];
        const IrInst *t = &a->insts[a->ninsts - 1];
        uint64_t want = t->tgt[0].block == fa->b ? 1 : 0;
        return SMT(s, Z3_mk_eq(c, opd(e, &t->opd[0]), smt_bv(s, want, 1)));
    }
    if (fa->kind == IR_FACT_NONNEG) {
        Z3_ast x = var(e, fa->a);
        return SMT(s, Z3_mk_bvsge(c, x, smt_bv(s, 0, ir_type_bits((IrType)e->f->vals[fa->a].type))));
    }
    uint32_t b, pos;
    const IrInst *di = ir_oblig_def(e->f, fa->a, &b, &pos);
    SmtInst out;
    if (!di || !encode(e, di, (IrOpcode)di->op, &out))
        return NULL;
    Z3_ast parts[3] = {
        SMT(s, Z3_mk_eq(c, var(e, fa->a), out.value)),
        SMT(s, Z3_mk_not(c, out.div_zero)),
        SMT(s, Z3_mk_not(c, out.overflow)),
    };
    return s->failed ? NULL : SMT(s, Z3_mk_and(c, 3, parts));
}

/* "%i = 9223372036854775807, %n = -1" from a model, in value order. */
static char *model_text(Enc *e, Z3_model model)
{
    Z3_context c = e->s->c;
    Arena names;
    arena_init(&names);
    const char **vn = ir_print_value_names(&names, e->f);
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    if (!out) {
        arena_free(&names);
        return NULL;
    }
    out[0] = 0;
    for (uint32_t v = 0; v < e->f->nvals; v++) {
        if (!e->vars[v])
            continue;
        Z3_ast val = NULL;
        uint64_t x = 0;
        if (!Z3_model_eval(c, model, e->vars[v], true, &val) || !val ||
            !Z3_get_numeral_uint64(c, val, &x))
            continue;
        IrType t = (IrType)e->f->vals[v].type;
        unsigned bits = ir_type_bits(t);
        int64_t sx = bits < 64 && bits > 1 && (x >> (bits - 1)) & 1
                   ? (int64_t)(x | ~ir_type_mask(t)) : (int64_t)x;
        char item[160];
        int n = snprintf(item, sizeof item, "%s%%%s = %" PRId64, len ? ", " : "", vn[v], sx);
        if (n < 0)
            continue;
        if (len + (size_t)n + 1 > cap) {
            cap = 2 * (len + (size_t)n + 1);
            char *bigger = realloc(out, cap);
            if (!bigger)
                break;
            out = bigger;
        }
        memcpy(out + len, item, (size_t)n + 1);
        len += (size_t)n;
    }
    arena_free(&names);
    return out;
}

/* The operand an entry edge passes for block parameter v (NULL if none). */
static const IrOperand *entry_arg(const IrFunc *f, const IrEntry *en, uint32_t v)
{
    const IrBlock *pb = f->blocks[en->pred];
    const IrTarget *t = &pb->insts[pb->ninsts - 1].tgt[en->target];
    const IrBlock *h = f->blocks[t->block];
    for (uint32_t k = 0; k < h->nparams && k < t->nargs; k++)
        if (h->params[k] == v)
            return &t->args[k];
    return NULL;
}

/* One query: the facts (those with keep[k], all when keep is NULL) and
 * the negation of the claim: the overflow of a checked operation, a
 * `false` value being 1, or for `nonneg` the argument the entry edge `en`
 * passes being negative. With `core`, the facts an unsat proof used are
 * marked. With want >= 0 the query is instead facts ∧ cond = want ∧
 * ¬overflow: does that value of cond imply the overflow? */
static ProofStatus query(ObligProver *p, const IrModule *m, const IrOblig *o,
                         const bool *keep, bool *core, uint32_t cond, int want,
                         const IrEntry *en, char **msg)
{
    if (!fresh_context(p)) {
        *msg = dupf("cannot start Z3");
        return PROOF_UNKNOWN;
    }
    p->used++;
    Smt *s = &p->smt;
    Z3_context c = s->c;
    const IrFunc *f = m->items[o->item].func;
    Enc e = {.s = s, .f = f, .vars = calloc(f->nvals + 1, sizeof(Z3_ast))};
    Z3_ast *lits = calloc(o->nfacts + 1, sizeof *lits);
    Z3_solver so = NULL;
    ProofStatus st = PROOF_UNKNOWN;
    if (!e.vars || !lits) {
        *msg = dupf("out of memory");
        goto out;
    }
    uint32_t ib, ip;
    const IrInst *in = ir_oblig_def(f, o->value, &ib, &ip);
    const IrOperand *arg = NULL;
    SmtInst goal;
    if (o->op == IR_CLAIM_NONNEG) {
        arg = en ? entry_arg(f, en, o->value) : NULL;
        if (!arg || !opd(&e, arg))
            goto z3_failed;
    } else if (!in || !encode(&e, in, o->op == IR_CLAIM_FALSE ? (IrOpcode)in->op : (IrOpcode)o->op,
                              &goal)) {
        goto z3_failed;
    }
    so = p->so;
    Z3_solver_push(c, so);
    uint32_t nlits = 0;
    for (uint32_t k = 0; k < o->nfacts; k++) {
        if (keep && !keep[k])
            continue;
        char name[24];
        snprintf(name, sizeof name, "fact%" PRIu32, k);
        Z3_ast lit = SMT(s, Z3_mk_const(c, Z3_mk_string_symbol(c, name), Z3_mk_bool_sort(c)));
        Z3_ast fml = fact_formula(&e, &o->facts[k]);
        if (s->failed)
            goto z3_failed;
        Z3_solver_assert(c, so, SMT(s, Z3_mk_implies(c, lit, fml)));
        lits[k] = lit;
        nlits++;
    }
    if (want >= 0) {
        if (cond >= f->nvals || f->vals[cond].type != IR_I1)
            goto z3_failed;
        Z3_solver_assert(c, so, SMT(s, Z3_mk_eq(c, var(&e, cond), smt_bv(s, (uint64_t)want, 1))));
        Z3_solver_assert(c, so, SMT(s, Z3_mk_not(c, goal.overflow)));
    } else if (o->op == IR_CLAIM_NONNEG) {
        unsigned bits = ir_type_bits((IrType)f->vals[o->value].type);
        Z3_solver_assert(c, so, SMT(s, Z3_mk_bvslt(c, opd(&e, arg), smt_bv(s, 0, bits))));
    } else if (o->op == IR_CLAIM_FALSE) {
        Z3_solver_assert(c, so, SMT(s, Z3_mk_eq(c, goal.value, smt_bv(s, 1, 1))));
    } else {
        Z3_solver_assert(c, so, goal.overflow);
    }
    if (s->failed)
        goto z3_failed;
    Z3_ast *assume = calloc(nlits + 1, sizeof *assume);
    if (!assume) {
        *msg = dupf("out of memory");
        goto out;
    }
    for (uint32_t k = 0, j = 0; k < o->nfacts; k++)
        if (lits[k])
            assume[j++] = lits[k];
    Z3_lbool res = Z3_solver_check_assumptions(c, so, nlits, assume);
    free(assume);
    if (Z3_get_error_code(c) != Z3_OK)
        goto z3_failed;
    Arena names;
    arena_init(&names);
    /* Names for messages; none needed for a proof (or in the optimiser). */
    const char **vn = res == Z3_L_FALSE || core ? NULL : ir_print_value_names(&names, f);
    const char *what = ir_oblig_op_name(o->op);
    const char *type = ir_type_name((IrType)(in ? in->type : f->vals[o->value].type));
    if (res == Z3_L_FALSE) {
        st = PROOF_PROVED;
        if (core) {
            Z3_ast_vector cv = Z3_solver_get_unsat_core(c, so);
            Z3_ast_vector_inc_ref(c, cv);
            for (uint32_t k = 0; k < o->nfacts; k++)
                core[k] = false;
            for (unsigned i = 0; i < Z3_ast_vector_size(c, cv); i++) {
                Z3_ast a = Z3_ast_vector_get(c, cv, i);
                for (uint32_t k = 0; k < o->nfacts; k++)
                    if (lits[k] && Z3_is_eq_ast(c, a, lits[k]))
                        core[k] = true;
            }
            Z3_ast_vector_dec_ref(c, cv);
        }
    } else if (!vn) {
        st = res == Z3_L_TRUE ? PROOF_WRONG : PROOF_UNKNOWN;
    } else if (want >= 0) {
        st = res == Z3_L_TRUE ? PROOF_WRONG : PROOF_UNKNOWN;
        *msg = dupf("'%%%s' = %d does not imply that '%s' overflows", vn[cond], want, what);
    } else if (res == Z3_L_TRUE) {
        st = PROOF_WRONG;
        Z3_model model = Z3_solver_get_model(c, so);
        char *cex = NULL;
        if (model) {
            Z3_model_inc_ref(c, model);
            cex = model_text(&e, model);
            Z3_model_dec_ref(c, model);
        }
        const char *when = cex && *cex ? cex : "(no model)";
        if (o->op == IR_CLAIM_NONNEG) {
            const char **bn = ir_print_block_names(&names, f);
            if (arg->kind == IR_OPD_CONST)
                *msg = dupf("obligation for '%%%s' is false: the edge from '%s' passes %" PRId64,
                            vn[o->value], bn[en->pred], (int64_t)arg->bits);
            else
                *msg = dupf("obligation for '%%%s' is false: the edge from '%s' passes a "
                            "negative value when %s", vn[o->value], bn[en->pred], when);
        } else if (o->op == IR_CLAIM_FALSE) {
            *msg = dupf("obligation for '%%%s' is false: it is 1 when %s", vn[o->value], when);
        } else {
            *msg = dupf("obligation for '%%%s' is false: '%s %s' overflows when %s",
                        vn[o->value], what, type, when);
        }
        free(cex);
    } else {
        const char *why = Z3_solver_get_reason_unknown(c, so);
        *msg = dupf("obligation for '%%%s' ('%s %s') is not proven: %s", vn[o->value], what,
                    type, why && strstr(why, "resource") ? "resource limit exceeded"
                                                         : why ? why : "unknown");
    }
    arena_free(&names);
    goto out;
z3_failed:
    *msg = dupf("obligation cannot be encoded: %s", s->why[0] ? s->why : "Z3 error");
    s->failed = true; /* the next query starts a fresh context */
out:
    if (so)
        Z3_solver_pop(c, so, 1);
    free(e.vars);
    free(lits);
    return st;
}

/* A nonneg claim: one query per entry edge, each with the facts that
 * hold at the end of its predecessor (keep, when given, narrows them);
 * core collects the facts any of the proofs used. */
static ProofStatus prove_induction(ObligProver *p, const IrModule *m, const IrOblig *o,
                                   const bool *keep, bool *core, char **msg)
{
    const IrFunc *f = m->items[o->item].func;
    uint32_t h = ir_oblig_param_block(f, o->value);
    IrDom *d = ir_dom_build(f);
    uint32_t ne = ir_oblig_entries(f, h, NULL, 0);
    IrEntry *en = calloc(ne + 1, sizeof *en);
    bool *holds = calloc(o->nfacts + 1, sizeof *holds);
    bool *used = calloc(o->nfacts + 1, sizeof *used);
    ProofStatus st = PROOF_PROVED;
    if (!d || !en || !holds || !used) {
        *msg = dupf("out of memory");
        st = PROOF_UNKNOWN;
        ne = 0;
    } else {
        ir_oblig_entries(f, h, en, ne);
    }
    if (core)
        for (uint32_t k = 0; k < o->nfacts; k++)
            core[k] = false;
    for (uint32_t j = 0; j < ne && st == PROOF_PROVED; j++) {
        const IrBlock *pb = f->blocks[en[j].pred];
        if (!ir_dom_reachable(d, en[j].pred))
            continue;
        for (uint32_t k = 0; k < o->nfacts; k++)
            holds[k] = (!keep || keep[k]) &&
                       ir_oblig_fact_holds(m, o, d, &o->facts[k], en[j].pred, pb->ninsts - 1);
        st = query(p, m, o, holds, core ? used : NULL, IR_NONE, -1, &en[j], msg);
        for (uint32_t k = 0; core && st == PROOF_PROVED && k < o->nfacts; k++)
            core[k] = core[k] || (holds[k] && used[k]);
    }
    ir_dom_free(d);
    free(en);
    free(holds);
    free(used);
    return st;
}

static ProofStatus claim(ObligProver *p, const IrModule *m, const IrOblig *o, const bool *keep,
                         bool *core, char **msg)
{
    if (o->op == IR_CLAIM_NONNEG)
        return prove_induction(p, m, o, keep, core, msg);
    return query(p, m, o, keep, core, IR_NONE, -1, NULL, msg);
}

ProofStatus oblig_prove(ObligProver *p, const IrModule *m, IrOblig *o, bool shrink, char **msg)
{
    *msg = NULL;
    IrLoc where;
    char *bad = ir_oblig_check(m, o, NULL, &where);
    if (bad) {
        *msg = bad;
        return PROOF_WRONG;
    }
    if (!shrink)
        return claim(p, m, o, NULL, NULL, msg);
    bool *core = calloc(o->nfacts + 1, sizeof *core);
    if (!core) {
        *msg = dupf("out of memory");
        return PROOF_UNKNOWN;
    }
    ProofStatus st = claim(p, m, o, NULL, core, msg);
    uint32_t used = 0;
    for (uint32_t k = 0; k < o->nfacts; k++)
        used += core[k];
    if (st == PROOF_PROVED && used < o->nfacts) {
        /* The smaller set is exactly what a checker will be asked. */
        st = claim(p, m, o, core, NULL, msg);
        if (st == PROOF_PROVED) {
            uint32_t n = 0;
            for (uint32_t k = 0; k < o->nfacts; k++)
                if (core[k])
                    o->facts[n++] = o->facts[k];
            o->nfacts = n;
        }
    }
    free(core);
    return st;
}

ProofStatus oblig_prove_link(ObligProver *p, const IrModule *m, const IrOblig *o,
                             uint32_t cond, bool want, char **msg)
{
    *msg = NULL;
    const IrFunc *f = o->item < m->nitems && m->items[o->item].kind == IR_ITEM_FUNC
                    ? m->items[o->item].func : NULL;
    for (uint32_t k = 0; f && k < o->nfacts; k++) {
        uint32_t b, pos;
        const IrInst *di = o->facts[k].kind == IR_FACT_DEF && o->facts[k].a < f->nvals
                         ? ir_oblig_def(f, o->facts[k].a, &b, &pos) : NULL;
        if (!di || !ir_oblig_def_op_ok(di))
            f = NULL;
    }
    if (!f || f->is_extern || o->value >= f->nvals || cond >= f->nvals) {
        *msg = dupf("malformed link query");
        return PROOF_UNKNOWN;
    }
    return query(p, m, o, NULL, NULL, cond, want, NULL, msg);
}

bool oblig_prove_cb(void *prover, const IrModule *m, IrOblig *o)
{
    char *msg = NULL;
    bool debug = getenv("YVM_OPT_DEBUG") != NULL;
    clock_t t0 = debug ? clock() : 0;
    ProofStatus st = oblig_prove(prover, m, o, true, &msg);
    if (debug)
        fprintf(stderr, "checkelim: %s %s value %u, %u facts, %.1f ms%s%s\n",
                st == PROOF_PROVED ? "proved" : "not proved", ir_oblig_op_name(o->op),
                (unsigned)o->value, (unsigned)o->nfacts,
                1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC, msg ? ": " : "",
                msg ? msg : "");
    free(msg);
    return st == PROOF_PROVED;
}

bool oblig_prove_link_cb(void *prover, const IrModule *m, const IrOblig *o, uint32_t cond,
                         bool want)
{
    char *msg = NULL;
    ProofStatus st = oblig_prove_link(prover, m, o, cond, want, &msg);
    if (getenv("YVM_OPT_DEBUG") && msg)
        fprintf(stderr, "checkelim: %s\n", msg);
    free(msg);
    return st == PROOF_PROVED;
}
