/* yvm-opt.c - optimise a module:
 *
 *     yvm-opt IN [-O0|-O1|-O2] [-o OUT] [--passes=a,b,c] [--dump-after=PASS]
 *             [--check] [--time]
 *
 * IN (text or binary, '-' for stdin) is read and verified, optimised by
 * the pipeline of the level (default -O2) or by the listed passes in
 * order, verified again and written as canonical text (binary when OUT
 * ends in .yvmb). Exit status: 0 done, 1 input or output error, 2 usage,
 * 3 when the optimiser produced an invalid module (a bug: the message
 * names the pass). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../prover/oblig.h"
#include "opt.h"
#include "prover.h"
#include "rewrite.h"
#include "tool.h"

enum { EXIT_OPT_BUG = 3 };

static const ToolInfo info = {
    "yvm-opt", "IN [-O0|-O1|-O2] [-o OUT] [--passes=a,b,c] [--dump-after=PASS]",
    "Optimise a Yvm IR module (text or binary; IN '-' reads stdin) and write\n"
    "it as canonical text, or binary when OUT ends in .yvmb.\n"
    "  -O0 -O1 -O2        optimisation level (default -O2; -O0 changes nothing)\n"
    "  -o FILE            write to FILE ('-' or none: stdout)\n"
    "  --passes=a,b,c     run these passes in order instead of a level\n"
    "  --dump-after=PASS  print the module (re-assemblable text) after each\n"
    "                     run of PASS, to stdout\n"
    "  --check            verify the module after every pass\n"
    "  --time             print the CPU time the passes took to stderr\n"
    "Passes: simplifycfg mem2reg sccp copyprop dce gvn inline licm rewrite\n"
    "checkelim (docs/opt.md describes each and why it keeps the semantics).\n"
    "Rules shipped in the module are proven first (docs/rules.md); a wrong\n"
    "one is an error with its counterexample (exit 1). So are the module's\n"
    "proof obligations (docs/ir.md); with --check, the output's are proven\n"
    "again before it is written.\n",
};

/* OptRuleProver for the rules a module ships. */
static bool prove_rule(void *cache_dir, const Rule *r, char **why)
{
    return prover_prove_one(r, cache_dir, why);
}

/* Prove every obligation of m again; report each failure (located when
 * it came from text). True when all are proven. */
static bool discharge_all(ObligProver *prover, IrModule *m, const char *after)
{
    bool ok = true;
    for (uint32_t i = 0; i < m->nobligs; i++) {
        IrOblig *o = &m->obligs[i];
        char *msg = NULL;
        if (oblig_prove(prover, m, o, false, &msg) == PROOF_PROVED)
            continue;
        ok = false;
        const char *fname = o->item < m->nitems ? m->items[o->item].name : "?";
        if (after)
            fprintf(stderr, "yvm-opt: error: after %s, in '@%s': %s\n", after, fname,
                    msg ? msg : "out of memory");
        else if (o->loc.line)
            ir_error(m->ctx, m->src, o->loc, "%s", msg ? msg : "out of memory");
        else
            ir_error_plain(m->ctx, m->src, "in '@%s': %s", fname, msg ? msg : "out of memory");
        free(msg);
    }
    return ok;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run the comma-separated passes; 0, or an exit status. */
static int run_passes(OptCtx *oc, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char name[64];
        if (n && n < sizeof name) {
            memcpy(name, p, n);
            name[n] = 0;
            const OptPass *pass = opt_find_pass(name);
            if (!pass)
                return tool_usage_error(&info, "unknown pass '%s'", name);
            if (!opt_run_pass(oc, pass))
                return EXIT_OPT_BUG;
        } else if (n) {
            return tool_usage_error(&info, "unknown pass '%.*s'", (int)n, p);
        }
        p += n + (e != NULL);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *passes = NULL, *dump = NULL;
    int level = 2;
    bool options = true, check = false, timing = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && a[0] == '-' && a[1]) {
            if (tool_std_option(&info, a))
                continue;
            if (strcmp(a, "--") == 0)
                options = false;
            else if (strcmp(a, "-O0") == 0 || strcmp(a, "-O1") == 0 || strcmp(a, "-O2") == 0)
                level = a[2] - '0';
            else if (strcmp(a, "-o") == 0) {
                if (i + 1 >= argc)
                    return tool_usage_error(&info, "option '-o' needs a file name");
                if (out)
                    return tool_usage_error(&info, "option '-o' given twice");
                out = argv[++i];
            } else if (strncmp(a, "--passes=", 9) == 0)
                passes = a + 9;
            else if (strncmp(a, "--dump-after=", 13) == 0) {
                dump = a + 13;
                if (!opt_find_pass(dump))
                    return tool_usage_error(&info, "unknown pass '%s'", dump);
            } else if (strcmp(a, "--check") == 0)
                check = true;
            else if (strcmp(a, "--time") == 0)
                timing = true;
            else
                return tool_usage_error(&info, "unknown option '%s'", a);
            continue;
        }
        if (in)
            return tool_usage_error(&info, "more than one input file");
        in = a;
    }
    if (!in)
        return tool_usage_error(&info, "no input file");
    if (!out)
        out = "-";

    int status = EXIT_INPUT_ERROR;
    IrCtx *ctx = tool_ctx();
    IrSource src;
    IrModule *m = tool_read_module(ctx, in, &src);
    if (m) {
        OptCtx oc;
        opt_init(&oc, m, level);
        oc.check = check || getenv("YVM_OPT_CHECK") != NULL;
        oc.dump_after = dump;
        double t0 = now_ms();
        /* The built-in rules (proven when yvm-opt was built) and the
         * module's own, proven now: a wrong one is an input error. */
        oc.rules = opt_rules_builtin(ctx);
        char *cache = prover_default_cache_dir();
        bool rules_ok = oc.rules && opt_rules_add_module(oc.rules, m, prove_rule, cache);
        free(cache);
        /* The module's proof obligations must hold before anything uses
         * them; checkelim makes new ones through the same prover. */
        ObligProver *prover = oblig_prover_new(PROVER_OBLIG_RLIMIT);
        ObligProver *checker = oblig_prover_new(PROVER_OBLIG_CHECK_RLIMIT);
        oc.prove_oblig = oblig_prove_cb;
        oc.prove_link = oblig_prove_link_cb;
        oc.prove_user = prover;
        if (!rules_ok || !prover || !checker || !discharge_all(checker, m, NULL))
            status = EXIT_INPUT_ERROR;
        else
            status = passes ? run_passes(&oc, passes) : opt_run_pipeline(&oc) ? 0 : EXIT_OPT_BUG;
        if (status == 0 && oc.check && !discharge_all(checker, m, "optimisation")) {
            oc.failed = "checkelim";
            status = EXIT_OPT_BUG;
        }
        oblig_prover_free(prover);
        oblig_prover_free(checker);
        opt_rules_free(oc.rules);
        oc.rules = NULL;
        double t1 = now_ms();
        if (timing)
            fprintf(stderr, "yvm-opt: %.3f ms CPU; checkelim: %lu checked operations made "
                    "plain, %lu overflow branches and %lu bounds checks removed\n", t1 - t0,
                    oc.checks_removed, oc.branches_removed, oc.bounds_removed);
        if (status == 0 && !ir_verify(m)) {
            oc.failed = passes ? "--passes" : "the pipeline";
            status = EXIT_OPT_BUG;
        }
        if (status == EXIT_OPT_BUG) {
            fprintf(stderr, "yvm-opt: error: the module is invalid after %s "
                    "(an optimiser bug)\n", oc.failed ? oc.failed : "a pass");
        } else if (status == 0) {
            size_t len;
            void *bytes = ends_with(out, ".yvmb") ? (void *)ir_write_binary(m, &len)
                                                  : (void *)ir_print_module(m, &len);
            if (!bytes) {
                fputs("yvm-opt: error: out of memory\n", stderr);
                status = EXIT_INPUT_ERROR;
            } else if (!dump || strcmp(out, "-") != 0) {
                if (!tool_write_file(&info, out, bytes, len))
                    status = EXIT_INPUT_ERROR;
            }
            free(bytes);
        }
        ir_module_free(m);
    }
    ir_source_release(&src);
    ir_ctx_free(ctx);
    return status;
}
