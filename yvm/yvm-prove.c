/* yvm-prove.c - prove rewrite rules:
 *
 *     yvm-prove [options] FILE.yvmr...
 *
 * Reads every file (reporting `file:line:col: error: ...` for malformed
 * ones), proves every rule at every width combination it claims, and
 * prints one line per rule:
 *
 *     rule not-plus-const: proved at i1 i8 i16 i32 i64
 *     rule udiv-udiv: wrong at i8: x = 166, C1 = 5, C2 = 115: source 0, target 2
 *
 * then a summary line. Exit status 0 when every rule was proved, 1 when a
 * rule is wrong, vacuous or unknown or a file is malformed, 2 on usage
 * errors. docs/rules.md describes the language and the prover. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prover.h"
#include "tool.h"

static const ToolInfo info = {
    "yvm-prove", "[options] FILE.yvmr...",
    "Prove the rewrite rules in each file with Z3, at every width they claim.\n"
    "Prints one line per rule: 'proved at ...' or why not, with a\n"
    "counterexample. Exits 0 only when every rule is proved.\n"
    "  --no-cache       neither use nor fill the proof cache\n"
    "  --cache-dir DIR  the cache (default: $YVM_PROVER_CACHE, else\n"
    "                   $XDG_CACHE_HOME/yvm/prover or ~/.cache/yvm/prover)\n"
    "  --widths LIST    only combinations of these widths: 8,16 or 1..32\n"
    "  --rlimit N       Z3 resource limit per query (default 40000000)\n"
    "  --timeout S      hard time limit per width combination, in seconds\n"
    "                   (default 60)\n"
    "  -j, --jobs N     rules proved at once (default: the CPUs online)\n"
    "  --stats          add each rule's time and Z3 effort to its line\n"
    "  --print          print each rule's canonical text; prove nothing\n"
    "  -q, --quiet      print only the rules that are not proved\n",
};

typedef struct Output {
    bool stats, quiet;
    unsigned counts[4];
    unsigned instances, cached;
    double seconds;
} Output;

static void report(void *user, const Rule *r, const RuleVerdict *v)
{
    Output *o = user;
    o->counts[v->status]++;
    o->instances += v->nchecked;
    o->cached += v->ncached;
    o->seconds += v->seconds;
    if (o->quiet && v->status == PROOF_PROVED)
        return;
    printf("rule %s: %s", r->name, v->text);
    if (o->stats)
        printf("  [%.2f s, %u queries, %u splits, max rlimit %llu, %u/%u cached]",
               v->seconds, v->stats.queries, v->stats.splits,
               (unsigned long long)v->stats.max_rlimit, v->ncached, v->nchecked);
    printf("\n");
    fflush(stdout);
}

/* "8,16", "1..32", "i8,i64" as a width mask; 0 when malformed. */
static unsigned parse_widths(const char *s)
{
    unsigned mask = 0;
    while (*s) {
        char *end;
        if (*s == 'i')
            s++;
        unsigned long lo = strtoul(s, &end, 10), hi = lo;
        if (end == s)
            return 0;
        s = end;
        if (s[0] == '.' && s[1] == '.') {
            s += 2;
            if (*s == 'i')
                s++;
            hi = strtoul(s, &end, 10);
            if (end == s)
                return 0;
            s = end;
        }
        int a = lo <= 64 ? rule_width_index((unsigned)lo) : -1;
        int b = hi <= 64 ? rule_width_index((unsigned)hi) : -1;
        if (a < 0 || b < 0 || b < a)
            return 0;
        for (int i = a; i <= b; i++)
            mask |= 1u << i;
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return mask;
}

static bool parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v == 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* The default cache directory (malloc'd), or NULL. */
static char *default_cache_dir(void)
{
    const char *env = getenv("YVM_PROVER_CACHE");
    if (env && *env)
        return strdup(env);
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    const char *base = xdg && *xdg ? xdg : home && *home ? home : NULL;
    if (!base)
        return NULL;
    const char *tail = xdg && *xdg ? "/yvm/prover" : "/.cache/yvm/prover";
    char *dir = malloc(strlen(base) + strlen(tail) + 1);
    if (dir)
        sprintf(dir, "%s%s", base, tail);
    return dir;
}

int main(int argc, char **argv)
{
    ProverOptions opt = {0};
    Output out = {0};
    bool no_cache = false, print_only = false;
    const char *cache_dir = NULL;
    const char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    bool options = true;
    if (!files)
        return EXIT_INPUT_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!(options && a[0] == '-' && a[1])) {
            files[nfiles++] = a;
            continue;
        }
        if (tool_std_option(&info, a))
            continue;
        /* Options with a value: "--opt V" or "--opt=V". */
        static const char *const valued[] = {"--cache-dir", "--widths", "--rlimit",
                                             "--timeout", "--jobs", "-j"};
        const char *val = NULL, *name = a;
        char namebuf[32];
        for (size_t k = 0; k < sizeof valued / sizeof *valued; k++) {
            size_t n = strlen(valued[k]);
            if (strncmp(a, valued[k], n) == 0 && (a[n] == '=' || a[n] == 0 ||
                                                  (k == 5 && a[n] >= '0' && a[n] <= '9'))) {
                snprintf(namebuf, sizeof namebuf, "%s", valued[k]);
                name = namebuf;
                if (a[n] == '=')
                    val = a + n + 1;
                else if (a[n])
                    val = a + n;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    free(files);
                    return tool_usage_error(&info, "option '%s' needs a value", valued[k]);
                }
            }
        }
        unsigned long long v;
        if (strcmp(a, "--") == 0) {
            options = false;
        } else if (strcmp(a, "--no-cache") == 0) {
            no_cache = true;
        } else if (strcmp(a, "--stats") == 0) {
            out.stats = true;
        } else if (strcmp(a, "--print") == 0) {
            print_only = true;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            out.quiet = true;
        } else if (strcmp(name, "--cache-dir") == 0) {
            cache_dir = val;
        } else if (strcmp(name, "--widths") == 0) {
            if (!(opt.widths = parse_widths(val))) {
                free(files);
                return tool_usage_error(&info, "bad width list '%s'", val);
            }
        } else if (strcmp(name, "--rlimit") == 0) {
            if (!parse_count(val, UINT32_MAX, &v)) {
                free(files);
                return tool_usage_error(&info, "bad resource limit '%s'", val);
            }
            opt.rlimit = v;
        } else if (strcmp(name, "--timeout") == 0) {
            if (!parse_count(val, 86400, &v)) {
                free(files);
                return tool_usage_error(&info, "bad timeout '%s'", val);
            }
            opt.timeout = (unsigned)v;
        } else if (strcmp(name, "--jobs") == 0 || strcmp(name, "-j") == 0) {
            if (!parse_count(val, 64, &v)) {
                free(files);
                return tool_usage_error(&info, "bad job count '%s'", val);
            }
            opt.jobs = (unsigned)v;
        } else {
            free(files);
            return tool_usage_error(&info, "unknown option '%s'", a);
        }
    }
    if (nfiles == 0) {
        free(files);
        return tool_usage_error(&info, "no rule file given");
    }

    /* Read every file; all rules go into one batch. */
    IrCtx *ctx = tool_ctx();
    IrSource *srcs = calloc((size_t)nfiles, sizeof *srcs);
    RuleSet **sets = calloc((size_t)nfiles, sizeof *sets);
    RuleSet all = {0};
    bool input_ok = srcs && sets;
    uint32_t total = 0;
    for (int f = 0; srcs && sets && f < nfiles; f++) {
        if (!ir_source_load(ctx, files[f], &srcs[f])) {
            input_ok = false;
            continue;
        }
        sets[f] = rule_parse(ctx, &srcs[f]);
        if (!sets[f]) {
            input_ok = false;
            continue;
        }
        total += sets[f]->nrules;
    }
    all.rules = calloc(total + 1, sizeof *all.rules);
    for (int f = 0; all.rules && f < nfiles; f++) {
        for (uint32_t i = 0; sets && sets[f] && i < sets[f]->nrules; i++) {
            Rule *r = sets[f]->rules[i];
            Rule *dup = rule_set_find(&all, r->name);
            if (dup) {
                ir_error(ctx, &srcs[f], r->loc, "rule '%s' is also defined in another file",
                         r->name);
                input_ok = false;
                continue;
            }
            all.rules[all.nrules++] = r;
        }
    }

    int status = input_ok ? 0 : EXIT_INPUT_ERROR;
    if (print_only) {
        for (uint32_t i = 0; i < all.nrules; i++) {
            char *text = rule_print(all.rules[i]);
            fputs(text, stdout);
            free(text);
        }
    } else if (all.rules && all.nrules) {
        char *dir = NULL;
        if (!no_cache)
            dir = cache_dir ? strdup(cache_dir) : default_cache_dir();
        opt.cache_dir = dir;
        RuleVerdict *verdicts = calloc(all.nrules + 1, sizeof *verdicts);
        if (verdicts) {
            if (!prover_check_set(&all, &opt, verdicts, report, &out))
                status = EXIT_INPUT_ERROR;
            for (uint32_t i = 0; i < all.nrules; i++)
                prover_verdict_free(&verdicts[i]);
        } else {
            status = EXIT_INPUT_ERROR;
        }
        free(verdicts);
        free(dir);
        printf("%u rules: %u proved, %u wrong, %u vacuous, %u unknown (%u instances, "
               "%u from the cache)\n", all.nrules, out.counts[PROOF_PROVED],
               out.counts[PROOF_WRONG], out.counts[PROOF_VACUOUS], out.counts[PROOF_UNKNOWN],
               out.instances, out.cached);
    }

    for (int f = 0; f < nfiles; f++) {
        if (sets)
            rule_set_free(sets[f]);
        if (srcs)
            ir_source_release(&srcs[f]);
    }
    free(all.rules);
    free(sets);
    free(srcs);
    free(files);
    ir_ctx_free(ctx);
    return status;
}
