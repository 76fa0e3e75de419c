/* cache.c - the on-disk cache of proved rule instances (cache.h). */
#include "cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <z3.h>

#include "prover-id.h"
#include "sha256.h"
#include "strbuf.h"

void cache_key(const Rule *r, const char *text, const uint8_t *combo, char key[65])
{
    StrBuf b = {0};
    char cb[64];
    sb_printf(&b, "yvm-prover %s\nz3 %s\n%sat %s\n", PROVER_ID, Z3_get_full_version(), text,
              rule_combo_name(r, combo, cb, sizeof cb));
    sha256_hex(b.s, b.len, key);
    sb_free(&b);
}

static char *entry_path(const char *dir, const char *key, bool subdir_only)
{
    StrBuf b = {0};
    if (subdir_only)
        sb_printf(&b, "%s/%.2s", dir, key);
    else
        sb_printf(&b, "%s/%.2s/%s", dir, key, key + 2);
    return sb_take(&b);
}

bool cache_has(const char *dir, const char *key)
{
    char *path = entry_path(dir, key, false);
    bool found = access(path, F_OK) == 0;
    free(path);
    return found;
}

/* mkdir -p for the cache directory and its subdirectory. */
static bool make_dirs(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return false;
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        if (*s == '/' || *s == 0) {
            char c = *s;
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                ok = false;
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return ok;
}

bool cache_put(const char *dir, const char *key, const char *note)
{
    char *sub = entry_path(dir, key, true);
    char *path = entry_path(dir, key, false);
    StrBuf tmp = {0};
    sb_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    bool ok = make_dirs(sub);
    FILE *f = ok ? fopen(tmp.s, "w") : NULL;
    if (f) {
        ok = fprintf(f, "proved %s\n", note) > 0;
        ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp.s, path) == 0;
        if (!ok)
            unlink(tmp.s);
    } else {
        ok = false;
    }
    free(sub);
    free(path);
    sb_free(&tmp);
    return ok;
}
