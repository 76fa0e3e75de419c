/* prove_one.c - proving a single rule for a tool that applies it
 * (prover_prove_one in prover.h): yvm-opt proves the rules a module ships
 * before the optimiser may use them. */
#include <stdlib.h>
#include <string.h>

#include "prover.h"

bool prover_prove_one(const Rule *r, const char *cache_dir, char **why)
{
    *why = NULL;
    RuleSet one = {.nrules = 1, .caprules = 1, .rules = (Rule **)&r};
    ProverOptions opt = {.jobs = 1, .cache_dir = cache_dir};
    RuleVerdict v = {0};
    bool ok = prover_check_set(&one, &opt, &v, NULL, NULL);
    if (!ok)
        *why = strdup(v.text ? v.text : "not proven");
    prover_verdict_free(&v);
    return ok;
}

char *prover_default_cache_dir(void)
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
    if (dir) {
        strcpy(dir, base);
        strcat(dir, tail);
    }
    return dir;
}
