/* pipeline.c - the pass table and the -O0/-O1/-O2 pipelines.
 *
 * A pass runs over every function with a body (per-target bodies too),
 * then, in check mode, the whole module is verified, so a broken pass is
 * named at once. Proof obligations (docs/ir.md) name blocks and values of
 * a function: when any pass but checkelim changes a function, its
 * obligations are renumbered, checked and proven again, or dropped. */
#include <stdlib.h>
#include <string.h>

#include "oblig.h"
#include "opt.h"
#include "xalloc.h"
#include "rewrite.h"

const OptPass opt_passes[] = {
    {"simplifycfg", opt_simplifycfg, "fold constant branches, drop unreachable blocks, "
                                     "merge and thread blocks, drop unused block params"},
    {"mem2reg", opt_mem2reg, "promote non-escaping, in-bounds allocas to SSA values"},
    {"sccp", opt_sccp, "sparse conditional constant propagation and folding"},
    {"copyprop", opt_copyprop, "replace copies (x+0, same-argument block params, ...)"},
    {"dce", opt_dce, "delete unused instructions and block params that cannot trap"},
    {"gvn", opt_gvn, "reuse a dominating equal computation (CSE)"},
    {"inline", opt_inline, "inline small functions (size budget, respects noinline)"},
    {"licm", opt_licm, "hoist loop-invariant instructions that cannot trap"},
    {"rewrite", opt_rewrite, "apply the proven rewrite rules (docs/rules.md)"},
    {"checkelim", opt_checkelim, "make checked arithmetic plain where a proven range fact "
                                 "(a proof obligation) shows it cannot overflow"},
    {NULL, NULL, NULL},
};

/* The pipelines, in the order the passes run. */
static const char *const pipeline_o1[] = {
    "simplifycfg", "mem2reg", "sccp", "rewrite", "copyprop", "dce", "simplifycfg",
    "checkelim", "dce", "simplifycfg", NULL,
};
static const char *const pipeline_o2[] = {
    "simplifycfg", "mem2reg", "sccp", "rewrite", "copyprop", "gvn", "dce", "simplifycfg",
    "inline", "simplifycfg", "mem2reg", "sccp", "rewrite", "copyprop", "gvn", "licm",
    "dce", "simplifycfg", "checkelim", "dce", "simplifycfg", NULL,
};

const OptPass *opt_find_pass(const char *name)
{
    for (const OptPass *p = opt_passes; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

void opt_init(OptCtx *oc, IrModule *m, int level)
{
    memset(oc, 0, sizeof *oc);
    oc->m = m;
    oc->level = level;
    oc->dump = stdout;
}

/* Obligations name blocks by number, and passes renumber blocks: before
 * a pass, each edge fact of function `item` is remembered by its blocks'
 * identities, and afterwards renumbered (IR_NONE when a block is gone). */
typedef struct BlockRefs {
    uint32_t n;
    IrBlock **blocks; /* two per fact of each of the function's obligations */
    uint64_t *prints; /* per obligation of the function: its query's print */
} BlockRefs;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    return h * UINT64_C(0x100000001b3);
}

static uint64_t inst_print(uint64_t h, const IrInst *in)
{
    if (!in)
        return mix(h, 0xdead);
    h = mix(mix(mix(mix(h, in->op), in->type), in->type2), in->cond);
    for (uint32_t k = 0; k < in->nopd; k++)
        h = mix(mix(mix(mix(h, in->opd[k].kind), in->opd[k].type), in->opd[k].index),
                in->opd[k].bits);
    return h;
}

/* What the prover's query for o is made of: the instruction, each def's
 * instruction, each edge's branch (its condition and which arm goes to
 * the block). Equal prints give equal queries, so nothing to prove again. */
static uint64_t oblig_print(const IrFunc *f, const IrOblig *o)
{
    uint32_t b, pos;
    uint64_t h = inst_print(UINT64_C(0xcbf29ce484222325), ir_oblig_def(f, o->value, &b, &pos));
    h = mix(h, o->op);
    if (o->op == IR_CLAIM_NONNEG) {
        /* An induction's query is made of its entry edges' arguments. */
        uint32_t hb = ir_oblig_param_block(f, o->value);
        for (uint32_t x = 0; hb != IR_NONE && x < f->nblocks; x++) {
            const IrBlock *pb = f->blocks[x];
            const IrInst *t = pb->ninsts ? &pb->insts[pb->ninsts - 1] : NULL;
            for (uint32_t k = 0; t && k < t->ntgt; k++)
                if (t->tgt[k].block == hb)
                    h = inst_print(mix(mix(h, x), k), t);
            for (uint32_t k = 0; t && k < t->ntgt; k++)
                for (uint32_t a = 0; t->tgt[k].block == hb && a < t->tgt[k].nargs; a++)
                    h = mix(mix(h, t->tgt[k].args[a].index), t->tgt[k].args[a].bits);
        }
    }
    for (uint32_t j = 0; j < o->nfacts; j++) {
        const IrFact *fa = &o->facts[j];
        h = mix(h, fa->kind);
        if (fa->kind == IR_FACT_NONNEG) {
            h = mix(h, fa->a);
        } else if (fa->kind == IR_FACT_DEF) {
            h = inst_print(h, ir_oblig_def(f, fa->a, &b, &pos));
        } else if (fa->a < f->nblocks && fa->b < f->nblocks) {
            const IrBlock *a = f->blocks[fa->a];
            const IrInst *t = a->ninsts ? &a->insts[a->ninsts - 1] : NULL;
            h = inst_print(h, t);
            for (uint32_t k = 0; t && k < t->ntgt; k++)
                h = mix(h, t->tgt[k].block < f->nblocks &&
                               f->blocks[t->tgt[k].block] == f->blocks[fa->b]);
        }
    }
    return h;
}

static void remember_blocks(const IrModule *m, uint32_t item, BlockRefs *br)
{
    const IrFunc *f = m->items[item].func;
    br->n = 0;
    for (uint32_t i = 0; i < m->nobligs; i++)
        if (m->obligs[i].item == item)
            br->n += 2 * m->obligs[i].nfacts;
    br->blocks = xcalloc(br->n + 1, sizeof *br->blocks);
    br->prints = xcalloc(m->nobligs + 1, sizeof *br->prints);
    uint32_t k = 0, np = 0;
    for (uint32_t i = 0; i < m->nobligs; i++) {
        const IrOblig *o = &m->obligs[i];
        if (o->item == item)
            br->prints[np++] = oblig_print(f, o);
        for (uint32_t j = 0; o->item == item && j < o->nfacts; j++, k += 2)
            if (o->facts[j].kind == IR_FACT_EDGE && o->facts[j].a < f->nblocks &&
                o->facts[j].b < f->nblocks) {
                br->blocks[k] = f->blocks[o->facts[j].a];
                br->blocks[k + 1] = f->blocks[o->facts[j].b];
            }
    }
}

static uint32_t block_number(const IrFunc *f, const IrBlock *b)
{
    for (uint32_t i = 0; b && i < f->nblocks; i++)
        if (f->blocks[i] == b)
            return i;
    return IR_NONE;
}

/* After another pass changed function `item`: its obligations that still
 * check where they are and are proven again stay (their facts may shrink);
 * the rest go. The plain operations they justified stay correct either
 * way (they were proven before the change, which kept the semantics);
 * only a certificate is lost. */
static void recheck_obligs(OptCtx *oc, IrModule *m, uint32_t item, BlockRefs *br)
{
    const IrFunc *f = m->items[item].func;
    uint32_t n = 0, k = 0, np = 0;
    for (uint32_t i = 0; i < m->nobligs; i++) {
        IrOblig o = m->obligs[i];
        if (o.item != item) {
            m->obligs[n++] = o;
            continue;
        }
        uint64_t before = br->prints[np++];
        bool ok = oc->prove_oblig != NULL;
        for (uint32_t j = 0; j < o.nfacts; j++, k += 2)
            if (o.facts[j].kind == IR_FACT_EDGE) {
                o.facts[j].a = block_number(f, br->blocks[k]);
                o.facts[j].b = block_number(f, br->blocks[k + 1]);
                ok = ok && o.facts[j].a != IR_NONE && o.facts[j].b != IR_NONE;
            }
        IrLoc where;
        char *msg = ok ? ir_oblig_check(m, &o, NULL, &where) : NULL;
        if (ok && !msg &&
            (oblig_print(f, &o) == before || oc->prove_oblig(oc->prove_user, m, &o)))
            m->obligs[n++] = o;
        free(msg);
    }
    m->nobligs = n;
    free(br->blocks);
    free(br->prints);
    br->blocks = NULL;
    br->prints = NULL;
}

bool opt_run_pass(OptCtx *oc, const OptPass *p)
{
    IrModule *m = oc->m;
    for (uint32_t i = 0; i < m->nitems; i++) {
        IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_FUNC || it->func->is_extern || !it->func->nblocks)
            continue;
        bool mine = false;
        for (uint32_t k = 0; k < m->nobligs && !mine && p->run != opt_checkelim; k++)
            mine = m->obligs[k].item == i;
        BlockRefs br = {0};
        if (mine)
            remember_blocks(m, i, &br);
        if (p->run(oc, m, it->func)) {
            oc->changes++;
            if (mine)
                recheck_obligs(oc, m, i, &br);
        }
        free(br.blocks);
        free(br.prints);
    }
    if (oc->check && !ir_verify(m)) {
        oc->failed = p->name;
        return false;
    }
    if (oc->dump_after && strcmp(oc->dump_after, p->name) == 0) {
        size_t len;
        char *text = ir_print_module(m, &len);
        if (text) {
            fprintf(oc->dump, "; after %s\n", p->name);
            fwrite(text, 1, len, oc->dump);
            free(text);
        }
    }
    return true;
}

bool opt_run_pipeline(OptCtx *oc)
{
    const char *const *names = oc->level >= 2 ? pipeline_o2
                               : oc->level == 1 ? pipeline_o1 : NULL;
    for (; names && *names; names++)
        if (!opt_run_pass(oc, opt_find_pass(*names)))
            return false;
    return true;
}

bool opt_module(IrModule *m, int level)
{
    return opt_module_proving(m, level, NULL, NULL, NULL);
}

bool opt_module_proving(IrModule *m, int level, OptObligProver prove_oblig,
                        OptLinkProver prove_link, void *user)
{
    OptCtx oc;
    opt_init(&oc, m, level);
    oc.prove_oblig = prove_oblig;
    oc.prove_link = prove_link;
    oc.prove_user = user;
    oc.check = getenv("YVM_OPT_CHECK") != NULL;
    /* Built-in rules only: rules a module ships need the prover
     * (yvm-opt proves them; opt/rewrite.h). */
    oc.rules = level > 0 ? opt_rules_builtin(m->ctx) : NULL;
    bool ok = opt_run_pipeline(&oc);
    opt_rules_free(oc.rules);
    return ok;
}
