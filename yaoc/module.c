/* module.c - source files and imports.
 *
 * `import std.io;` names the standard library (stdlib/std/io.yao, built
 * into yaoc by embed.sh, or read from --stdlib DIR); any other
 * `import a.b;` is the file a/b.yao beside the main file. Each file is parsed once; the
 * import binds the last part of the path (`io`) in the importing file.
 * Import cycles are allowed: declarations are collected before any body
 * is checked. Further source files on the command line are modules too,
 * imported by their file name (`yaoc main.yao util.yao`: `import util;`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yao.h"

static Module *module_new(Compiler *c, const char *path, const char *name)
{
    Module *m = arena_alloc(&c->arena, sizeof *m);
    m->path = cstrdup(c, path);
    m->name = cstrdup(c, name);
    VEC_PUSH(&c->arena, c->mods, m);
    return m;
}

static Module *find_loaded(Compiler *c, const char *path)
{
    for (uint32_t i = 0; i < c->mods.n; i++)
        if (strcmp(c->mods.v[i]->path, path) == 0)
            return c->mods.v[i];
    return NULL;
}

/* Parse m and then every module it imports. */
static void load_imports(Compiler *c, Module *m)
{
    yao_parse(c, m);
    for (uint32_t i = 0; i < m->imports.n; i++)
        module_import(c, m, &m->imports.v[i]);
}

Module *module_load_source(Compiler *c, const char *name, const char *dir,
                           const uint8_t *data, size_t len)
{
    Module *m = module_new(c, "main", "main");
    m->src.name = cstrdup(c, name);
    m->src.data = data;
    m->src.len = len;
    c->main = m;
    c->main_dir = cstrdup(c, dir);
    load_imports(c, m);
    return m;
}

/* A source file named on the command line beside the main file: the
 * module `import NAME;` finds (NAME: the file name without .yao). */
static Module *load_extra(Compiler *c, const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".yao") == 0)
        n -= 4;
    char *name = (char *)cstrndup(c, base, n);
    bool ok = n > 0 && !(name[0] >= '0' && name[0] <= '9');
    for (size_t i = 0; i < n; i++)
        ok &= name[i] == '_' || (name[i] >= 'a' && name[i] <= 'z') ||
              (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9');
    if (!ok || strcmp(name, "main") == 0 || strcmp(name, "std") == 0) {
        fprintf(stderr, "%s: error: '%s' cannot be a module name (a source file NAME.yao "
                        "is imported as 'import NAME;')\n", file, name);
        c->syntax_errors = true;
        return NULL;
    }
    if (find_loaded(c, name)) {
        fprintf(stderr, "%s: error: module '%s' is given twice\n", file, name);
        c->syntax_errors = true;
        return NULL;
    }
    Module *m = module_new(c, name, name);
    if (!ir_source_load(c->ctx, file, &m->src))
        return NULL;
    m->src.name = cstrdup(c, file);
    return m;
}

Module *module_load_main(Compiler *c, const char *path, char *const *extra, int nextra)
{
    Module *m = module_new(c, "main", "main");
    if (!ir_source_load(c->ctx, path, &m->src))
        return NULL;
    m->src.name = cstrdup(c, path);
    c->main = m;
    const char *slash = strrchr(path, '/');
    c->main_dir = slash ? cstrndup(c, path, (size_t)(slash - path)) : ".";
    /* All of them are known before any is parsed: they import each other. */
    uint32_t first = c->mods.n;
    for (int i = 0; i < nextra; i++)
        if (!load_extra(c, extra[i]))
            return NULL;
    for (uint32_t i = first; i < first + (uint32_t)nextra; i++)
        load_imports(c, c->mods.v[i]);
    load_imports(c, m);
    return m;
}

/* "a.b" -> "a/b.yao" */
static char *rel_file(const char *path)
{
    size_t n = strlen(path);
    char *s = malloc(n + 5);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i] = path[i] == '.' ? '/' : path[i];
    memcpy(s + n, ".yao", 5);
    return s;
}

Module *module_import(Compiler *c, Module *from, Import *imp)
{
    Module *m = find_loaded(c, imp->path);
    if (m) {
        imp->mod = m;
        return m;
    }
    char *rel = rel_file(imp->path);
    if (!rel) {
        yao_error(c, from, imp->loc, "out of memory");
        return NULL;
    }
    bool is_std = strncmp(imp->path, "std.", 4) == 0;
    m = module_new(c, imp->path, imp->path);
    m->is_std = is_std;
    if (is_std && !c->stdlib_dir) {
        size_t len;
        const char *data = stdlib_find(rel, &len);
        if (!data) {
            yao_error(c, from, imp->loc, "no module '%s' in the standard library", imp->path);
            free(rel);
            return NULL;
        }
        m->src.name = cstrdup(c, rel);
        m->src.data = (const uint8_t *)data;
        m->src.len = len;
        m->embedded = true;
    } else {
        const char *dir = is_std ? c->stdlib_dir : c->main_dir;
        size_t n = strlen(dir) + strlen(rel) + 2;
        char *file = arena_alloc(&c->arena, n);
        if (strcmp(dir, ".") == 0 && !is_std)
            snprintf(file, n, "%s", rel);
        else
            snprintf(file, n, "%s/%s", dir, rel);
        FILE *f = fopen(file, "rb");
        if (!f) {
            yao_error(c, from, imp->loc, "cannot find module '%s' (no file '%s')",
                      imp->path, file);
            free(rel);
            return NULL;
        }
        fclose(f);
        if (!ir_source_load(c->ctx, file, &m->src)) {
            free(rel);
            return NULL;
        }
        m->src.name = file;
    }
    free(rel);
    imp->mod = m;
    load_imports(c, m);
    return m;
}
