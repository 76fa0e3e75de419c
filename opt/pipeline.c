/* pipeline.c - the pass table and the -O0/-O1/-O2 pipelines.
 *
 * A pass runs over every function with a body (per-target bodies too),
 * then, in check mode, the whole module is verified, so a broken pass is
 * named at once. Verified rewrite rules (opt/rewrite.c, the prover's) join
 * as one more step once they land. */
#include <stdlib.h>
#include <string.h>

#include "opt.h"
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
    {NULL, NULL, NULL},
};

/* The pipelines, in the order the passes run. */
static const char *const pipeline_o1[] = {
    "simplifycfg", "mem2reg", "sccp", "rewrite", "copyprop", "dce", "simplifycfg", NULL,
};
static const char *const pipeline_o2[] = {
    "simplifycfg", "mem2reg", "sccp", "rewrite", "copyprop", "gvn", "dce", "simplifycfg",
    "inline", "simplifycfg", "mem2reg", "sccp", "rewrite", "copyprop", "gvn", "licm",
    "dce", "simplifycfg", NULL,
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

bool opt_run_pass(OptCtx *oc, const OptPass *p)
{
    IrModule *m = oc->m;
    for (uint32_t i = 0; i < m->nitems; i++) {
        IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_FUNC || it->func->is_extern || !it->func->nblocks)
            continue;
        if (p->run(oc, m, it->func))
            oc->changes++;
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
    OptCtx oc;
    opt_init(&oc, m, level);
    oc.check = getenv("YVM_OPT_CHECK") != NULL;
    /* Built-in rules only: rules a module ships need the prover
     * (yvm-opt proves them; opt/rewrite.h). */
    oc.rules = level > 0 ? opt_rules_builtin(m->ctx) : NULL;
    bool ok = opt_run_pipeline(&oc);
    opt_rules_free(oc.rules);
    return ok;
}
