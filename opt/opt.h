/* opt.h - the SSA optimiser: IR -> IR passes over one module, and the
 * pipeline that runs them at -O0/-O1/-O2 (docs/opt.md).
 *
 * Every pass keeps the exact semantics of docs/ir.md: same output, same
 * exit status, same traps with the same messages. A pass works on one
 * function at a time and says whether it changed it; in check mode the
 * whole module is verified after every pass and the first pass that
 * breaks it is named.
 *
 * Used by yvm-opt, and by yvm-cc and yaoc through opt_module(). Depends on
 * ir/ only (and on the prover's proven rules through opt/rewrite.c). */
#ifndef YVM_OPT_H
#define YVM_OPT_H

#include <stdbool.h>
#include <stdio.h>

#include "ir.h"

typedef struct OptCtx OptCtx;

/* Discharges a proof obligation (ir.h IrOblig), dropping from o->facts the
 * facts the proof did not need; true only when proven (the prover's
 * oblig_prove behind yvm-opt; docs/opt.md "checkelim"). */
typedef bool (*OptObligProver)(void *user, const IrModule *m, IrOblig *o);
/* Does the i1 value cond being `want` imply that o's operation overflows,
 * given o's (def) facts? (the prover's oblig_prove_link) */
typedef bool (*OptLinkProver)(void *user, const IrModule *m, const IrOblig *o, uint32_t cond,
                              bool want);

/* A function pass: true when it changed f. */
typedef bool (*OptFuncPass)(OptCtx *oc, IrModule *m, IrFunc *f);

typedef struct OptPass {
    const char *name;  /* "sccp", as in --passes= and --dump-after= */
    OptFuncPass run;
    const char *about; /* one line for --help */
} OptPass;

struct OptCtx {
    IrModule *m;
    int level;              /* 0, 1, 2: passes may scale budgets by it */
    bool check;             /* ir_verify the module after every pass */
    const char *dump_after; /* pass name, or NULL */
    FILE *dump;             /* where --dump-after prints (stdout) */
    const char *failed;     /* the pass after which verification failed */
    unsigned long changes;  /* functions changed, summed over passes */
    struct OptRules *rules; /* proven rewrite rules (opt/rewrite.h), or NULL */
    OptObligProver prove_oblig; /* NULL: checkelim removes nothing */
    OptLinkProver prove_link;   /* NULL: overflow branches stay */
    void *prove_user;
    unsigned long checks_removed;   /* checked operations made plain */
    unsigned long branches_removed; /* overflow branches to a trap removed */
    unsigned long bounds_removed;   /* bounds-check branches to a trap removed */
};

/* The pass table, terminated by a {NULL} entry (opt/pipeline.c). */
extern const OptPass opt_passes[];
const OptPass *opt_find_pass(const char *name);

void opt_init(OptCtx *oc, IrModule *m, int level);
/* Run one pass over every defined function of the module; then verify
 * (check mode) and dump (when asked). False when verification failed. */
bool opt_run_pass(OptCtx *oc, const OptPass *p);
/* The standard pipeline for oc->level. False when a pass broke the
 * module (oc->failed names it) — an optimiser bug, never the input's. */
bool opt_run_pipeline(OptCtx *oc);

/* The one-call entry for drivers: optimise m at level 0, 1 or 2 (in
 * check mode when the environment sets YVM_OPT_CHECK). */
bool opt_module(IrModule *m, int level);
/* The same with a prover for checkelim's obligations (the prover's
 * oblig_prove_cb and oblig_prove_link_cb, prover/oblig.h), so that checks
 * are removed under proof; user is passed to both. */
bool opt_module_proving(IrModule *m, int level, OptObligProver prove_oblig,
                        OptLinkProver prove_link, void *user);

/* ---- the passes (one file each) ---- */
bool opt_simplifycfg(OptCtx *oc, IrModule *m, IrFunc *f); /* simplifycfg.c */
bool opt_mem2reg(OptCtx *oc, IrModule *m, IrFunc *f);     /* mem2reg.c */
bool opt_sccp(OptCtx *oc, IrModule *m, IrFunc *f);        /* sccp.c */
bool opt_copyprop(OptCtx *oc, IrModule *m, IrFunc *f);    /* copyprop.c */
bool opt_dce(OptCtx *oc, IrModule *m, IrFunc *f);         /* dce.c */
bool opt_gvn(OptCtx *oc, IrModule *m, IrFunc *f);         /* gvn.c */
bool opt_inline(OptCtx *oc, IrModule *m, IrFunc *f);      /* inline.c */
bool opt_licm(OptCtx *oc, IrModule *m, IrFunc *f);        /* licm.c */
bool opt_checkelim(OptCtx *oc, IrModule *m, IrFunc *f);   /* checkelim.c */

#endif
