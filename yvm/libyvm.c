/* libyvm.c - the embedding API (include/yvm.h) over the IR core and the
 * interpreter.
 *
 * A yvm_ctx holds an IrCtx (diagnostics), the host symbols and libraries
 * that resolve externs, one Interp (the object memory and stacks shared
 * by all its modules, so pointers can pass between them) and its modules.
 * A module is prepared to run (an Instance: objects for its data and
 * functions, decoded code) on its first run and keeps that state, so its
 * globals persist between runs; building into it afterwards drops the
 * instance.
 */
#include "yvm.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "interp.h"
#include "ir.h"

/* The public enums are the IR's, number for number. */
#define OP(e, text, form, tc, cv) \
    _Static_assert((int)YVM_OP_##e == (int)IR_##e, "yvm_opcode order");
#include "opcodes.def"
#undef OP
#define X(e, s) _Static_assert((int)YVM_ICMP_##e == (int)IR_ICMP_##e, "yvm_icond order");
IR_ICMP_CONDS(X)
#undef X
#define X(e, s) _Static_assert((int)YVM_FCMP_##e == (int)IR_FCMP_##e, "yvm_fcond order");
IR_FCMP_CONDS(X)
#undef X
_Static_assert((int)YVM_PTR == (int)IR_PTR && (int)YVM_I1 == (int)IR_I1 &&
                   (int)YVM_F64 == (int)IR_F64,
               "yvm_type order");
_Static_assert((int)YVM_ATTR_UNSAFE == (int)IR_ATTR_UNSAFE &&
                   (int)YVM_ATTR_NOINLINE == (int)IR_ATTR_NOINLINE,
               "attribute bits");

typedef struct HostSym {
    char *name;
    yvm_host_fn fn;
} HostSym;

typedef struct Region {
    void *p;
    Word tag;
} Region;

struct yvm_ctx {
    IrCtx *ir;
    FILE *diag;
    char *error;
    int exit_status;
    uint32_t max_depth;
    Interp *interp;
    HostSym *syms;
    size_t nsyms;
    void **libs;
    size_t nlibs;
    char **dirs;
    size_t ndirs;
    Region *regions;
    size_t nregions;
    yvm_module *modules;
};

struct yvm_module {
    yvm_ctx *ctx;
    IrModule *ir;
    IrSource src;     /* the bytes read (owned), for located errors */
    char *srcname;
    bool verified;
    Instance *inst;
    yvm_module *next;
};

const char *yvm_version(void) { return PACKAGE_VERSION; }

const char *yvm_status_name(yvm_status s)
{
    static const char *const names[] = {
        "ok", "invalid module", "i/o error", "not found", "bad arguments",
        "unresolved symbol", "trap", "exit", "out of memory",
    };
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

/* ---- errors ---- */

static void clear_error(yvm_ctx *c)
{
    free(c->error);
    c->error = NULL;
    ir_ctx_clear_errors(c->ir);
}

/* Keep the first error of a call; echo it when diagnostics are on. */
static yvm_status fail(yvm_ctx *c, yvm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static yvm_status fail(yvm_ctx *c, yvm_status st, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!c->error)
        c->error = strdup(buf);
    if (c->diag)
        fprintf(c->diag, "%s\n", buf);
    return st;
}

/* After IR-core calls that reported through the IrCtx. */
static yvm_status fail_ir(yvm_ctx *c, yvm_status st, const char *fallback)
{
    if (!c->error)
        c->error = strdup(c->ir->first_error ? c->ir->first_error : fallback);
    return st;
}

const char *yvm_last_error(const yvm_ctx *ctx)
{
    return ctx && ctx->error ? ctx->error : "";
}

static const char *mod_name(const yvm_module *m)
{
    return m->srcname ? m->srcname : m->ir->name ? m->ir->name : "<module>";
}

/* ---- context ---- */

yvm_ctx *yvm_ctx_new(void)
{
    yvm_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->ir = ir_ctx_new();
    if (!c->ir) {
        free(c);
        return NULL;
    }
    c->max_depth = 1000000;
    return c;
}

static void instance_free(Instance *in);

static void module_release(yvm_module *m)
{
    if (m->inst)
        instance_free(m->inst);
    ir_module_free(m->ir);
    ir_source_release(&m->src);
    free(m->srcname);
    free(m);
}

void yvm_ctx_free(yvm_ctx *c)
{
    if (!c)
        return;
    while (c->modules) {
        yvm_module *m = c->modules;
        c->modules = m->next;
        module_release(m);
    }
    interp_free(c->interp);
    for (size_t i = 0; i < c->nsyms; i++)
        free(c->syms[i].name);
    free(c->syms);
    for (size_t i = 0; i < c->nlibs; i++)
        dlclose(c->libs[i]);
    free(c->libs);
    for (size_t i = 0; i < c->ndirs; i++)
        free(c->dirs[i]);
    free(c->dirs);
    free(c->regions);
    free(c->error);
    ir_ctx_free(c->ir);
    free(c);
}

void yvm_set_diagnostics(yvm_ctx *c, FILE *stream)
{
    c->diag = stream;
    c->ir->echo = stream;
    c->ir->max_errors = 50;
}

yvm_status yvm_set_max_depth(yvm_ctx *c, uint32_t depth)
{
    clear_error(c);
    if (depth == 0)
        return fail(c, YVM_BAD_ARGS, "yvm: error: the depth limit must be at least 1");
    c->max_depth = depth;
    if (c->interp)
        c->interp->max_depth = depth;
    return YVM_OK;
}

int yvm_exit_status(const yvm_ctx *c) { return c->exit_status; }

static Interp *get_interp(yvm_ctx *c)
{
    if (!c->interp) {
        c->interp = interp_new();
        if (c->interp)
            c->interp->max_depth = c->max_depth;
    }
    return c->interp;
}

/* ---- host symbols and libraries ---- */

yvm_status yvm_add_symbol(yvm_ctx *c, const char *name, yvm_host_fn fn)
{
    clear_error(c);
    if (!name || !fn)
        return fail(c, YVM_BAD_ARGS, "yvm: error: a host symbol needs a name and a function");
    for (size_t i = 0; i < c->nsyms; i++) {
        if (strcmp(c->syms[i].name, name) == 0) {
            c->syms[i].fn = fn;
            return YVM_OK;
        }
    }
    HostSym *n = realloc(c->syms, sizeof *n * (c->nsyms + 1));
    if (!n)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->syms = n;
    c->syms[c->nsyms].name = strdup(name);
    if (!c->syms[c->nsyms].name)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->syms[c->nsyms++].fn = fn;
    return YVM_OK;
}

yvm_status yvm_add_library_dir(yvm_ctx *c, const char *dir)
{
    clear_error(c);
    char **n = realloc(c->dirs, sizeof *n * (c->ndirs + 1));
    if (!n)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->dirs = n;
    if (!(c->dirs[c->ndirs] = strdup(dir)))
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->ndirs++;
    return YVM_OK;
}

/* dlopen a library file; a linker script (Debian's libm.so and libc.so
 * are) is followed to the first shared object it names. */
static void *open_library_file(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h || strchr(path, '/') == NULL)
        return h;
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    if (!strstr(buf, "GROUP") && !strstr(buf, "INPUT"))
        return NULL;
    for (char *p = buf; !h && (p = strchr(p, '/')) != NULL;) {
        size_t len = strcspn(p, " \t\r\n()");
        char save = p[len];
        p[len] = 0;
        if (strstr(p, ".so"))
            h = dlopen(p, RTLD_NOW | RTLD_LOCAL);
        p[len] = save;
        p += len;
    }
    return h;
}

/* Where -l looks after the -L directories. */
static const char *const system_lib_dirs[] = {
#if defined(__x86_64__)
    "/usr/local/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
    "/usr/local/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
#elif defined(__riscv)
    "/usr/local/lib/riscv64-linux-gnu", "/usr/lib/riscv64-linux-gnu", "/lib/riscv64-linux-gnu",
#endif
    "/usr/local/lib", "/usr/lib64", "/usr/lib", "/lib64", "/lib",
};

yvm_status yvm_add_library(yvm_ctx *c, const char *name)
{
    clear_error(c);
    void **n = realloc(c->libs, sizeof *n * (c->nlibs + 1));
    if (!n)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->libs = n;
    void *h = NULL;
    char path[4096];
    if (strchr(name, '/')) {
        h = open_library_file(name);
    } else {
        size_t nsys = sizeof system_lib_dirs / sizeof *system_lib_dirs;
        for (size_t i = 0; i < c->ndirs + nsys && !h; i++) {
            const char *dir = i < c->ndirs ? c->dirs[i] : system_lib_dirs[i - c->ndirs];
            snprintf(path, sizeof path, "%s/lib%s.so", dir, name);
            h = open_library_file(path);
        }
        if (!h) {
            /* The loader's own search (LD_LIBRARY_PATH, its cache). */
            snprintf(path, sizeof path, "lib%s.so", name);
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (!h) {
        const char *e = dlerror();
        return fail(c, YVM_IO, "yvm: error: cannot load library '%s': %s", name,
                    e ? e : "not found");
    }
    c->libs[c->nlibs++] = h;
    return YVM_OK;
}

static InterpHostFn resolve_symbol(void *user, const char *name)
{
    yvm_ctx *c = user;
    for (size_t i = 0; i < c->nsyms; i++)
        if (strcmp(c->syms[i].name, name) == 0)
            return c->syms[i].fn;
    for (size_t i = 0; i < c->nlibs; i++) {
        void *p = dlsym(c->libs[i], name);
        if (p) {
            InterpHostFn fn;
            memcpy(&fn, &p, sizeof p);
            return fn;
        }
    }
    return NULL;
}

yvm_status yvm_register_memory(yvm_ctx *c, void *p, size_t n, int writable)
{
    clear_error(c);
    Interp *I = get_interp(c);
    Region *r = realloc(c->regions, sizeof *r * (c->nregions + 1));
    if (!I || !r)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->regions = r;
    Word tag = interp_obj_new(I, OBJ_K_EXTERNAL, p, n, writable != 0, NULL);
    if (!tag)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    c->regions[c->nregions++] = (Region){p, tag};
    return YVM_OK;
}

yvm_status yvm_unregister_memory(yvm_ctx *c, void *p)
{
    clear_error(c);
    for (size_t i = 0; i < c->nregions; i++) {
        if (c->regions[i].p == p) {
            interp_obj_kill(c->interp, TAG_INDEX(c->regions[i].tag));
            c->regions[i] = c->regions[--c->nregions];
            return YVM_OK;
        }
    }
    return fail(c, YVM_BAD_ARGS, "yvm: error: no memory registered at %p", p);
}

/* ---- modules ---- */

static yvm_module *module_add(yvm_ctx *c)
{
    yvm_module *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->ctx = c;
    m->next = c->modules;
    c->modules = m;
    return m;
}

static void module_unlink(yvm_module *m)
{
    for (yvm_module **p = &m->ctx->modules; *p; p = &(*p)->next) {
        if (*p == m) {
            *p = m->next;
            return;
        }
    }
}

void yvm_module_free(yvm_module *m)
{
    if (!m)
        return;
    module_unlink(m);
    module_release(m);
}

/* Read bytes already in m->src. */
static yvm_status module_read(yvm_ctx *c, yvm_module *m, yvm_module **out)
{
    m->ir = ir_read(c->ir, &m->src);
    if (!m->ir) {
        yvm_module_free(m);
        return fail_ir(c, YVM_INVALID, "yvm: error: invalid module");
    }
    m->verified = true;
    *out = m;
    return YVM_OK;
}

yvm_status yvm_load_file(yvm_ctx *c, const char *path, yvm_module **out)
{
    clear_error(c);
    *out = NULL;
    yvm_module *m = module_add(c);
    if (!m || !(m->srcname = strdup(path))) {
        yvm_module_free(m);
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    }
    if (!ir_source_load(c->ir, path, &m->src)) {
        m->src.name = NULL;
        yvm_module_free(m);
        return fail_ir(c, YVM_IO, "yvm: error: cannot read the file");
    }
    m->src.name = m->srcname;
    return module_read(c, m, out);
}

yvm_status yvm_load_memory(yvm_ctx *c, const char *name, const void *data, size_t len,
                           yvm_module **out)
{
    clear_error(c);
    *out = NULL;
    yvm_module *m = module_add(c);
    uint8_t *copy = malloc(len + 1);
    if (!m || !copy || !(m->srcname = strdup(name ? name : "<memory>"))) {
        free(copy);
        yvm_module_free(m);
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    }
    if (len)
        memcpy(copy, data, len);
    copy[len] = 0;
    m->src = (IrSource){.name = m->srcname, .data = copy, .len = len};
    return module_read(c, m, out);
}

yvm_module *yvm_module_new(yvm_ctx *c, const char *name)
{
    yvm_module *m = module_add(c);
    if (!m)
        return NULL;
    m->ir = ir_module_new(c->ir, name);
    return m;
}

yvm_status yvm_verify(yvm_module *m)
{
    yvm_ctx *c = m->ctx;
    clear_error(c);
    if (!ir_verify(m->ir))
        return fail_ir(c, YVM_INVALID, "yvm: error: the module failed verification");
    m->verified = true;
    return YVM_OK;
}

yvm_status yvm_print(yvm_module *m, char **text, size_t *len)
{
    clear_error(m->ctx);
    size_t n = 0;
    *text = ir_print_module(m->ir, &n);
    if (len)
        *len = n;
    if (!*text)
        return fail(m->ctx, YVM_NOMEM, "%s: error: cannot print the module", mod_name(m));
    return YVM_OK;
}

yvm_status yvm_write_binary(yvm_module *m, void **bytes, size_t *len)
{
    clear_error(m->ctx);
    size_t n = 0;
    *bytes = ir_write_binary(m->ir, &n);
    if (len)
        *len = n;
    if (!*bytes)
        return fail(m->ctx, YVM_NOMEM, "%s: error: cannot encode the module", mod_name(m));
    return YVM_OK;
}

void yvm_free(void *p) { free(p); }

/* ---- preparing a module to run ---- */

static void instance_free(Instance *in)
{
    for (uint32_t i = 0; i < in->nfuncs; i++)
        interp_ext_free_closure(&in->funcs[i]);
    interp_free_objects(in);
    arena_free(&in->arena);
    free(in->funcs);
    free(in->item_addr);
    free(in->item_tag);
    free(in);
}

/* Functions whose address is taken (a symbol operand other than a direct
 * callee, or a data field) get a closure so C can call them too. */
static void mark_taken(const IrModule *m, bool *taken)
{
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind == IR_ITEM_DATA) {
            for (uint32_t k = 0; k < it->data->nfields; k++)
                if (it->data->fields[k].kind == IR_FIELD_SYMREF &&
                    it->data->fields[k].sym < m->nitems)
                    taken[it->data->fields[k].sym] = true;
            continue;
        }
        const IrFunc *f = it->func;
        for (uint32_t b = 0; b < f->nblocks; b++) {
            const IrBlock *blk = f->blocks[b];
            for (uint32_t k = 0; k < blk->ninsts; k++) {
                const IrInst *in = &blk->insts[k];
                for (uint32_t o = in->op == IR_CALL ? 1 : 0; o < in->nopd; o++)
                    if (in->opd[o].kind == IR_OPD_SYMBOL && in->opd[o].index < m->nitems)
                        taken[in->opd[o].index] = true;
                for (uint32_t t = 0; t < in->ntgt; t++)
                    for (uint32_t o = 0; o < in->tgt[t].nargs; o++)
                        if (in->tgt[t].args[o].kind == IR_OPD_SYMBOL &&
                            in->tgt[t].args[o].index < m->nitems)
                            taken[in->tgt[t].args[o].index] = true;
            }
        }
    }
}

static yvm_status instantiate(yvm_module *m)
{
    yvm_ctx *c = m->ctx;
    if (m->inst)
        return YVM_OK;
    if (!m->verified) {
        if (!ir_verify(m->ir))
            return fail_ir(c, YVM_INVALID, "yvm: error: the module failed verification");
        m->verified = true;
    }
    Interp *I = get_interp(c);
    if (!I)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    const IrModule *ir = m->ir;
    uint32_t n = ir->nitems;
    Instance *in = calloc(1, sizeof *in);
    bool *taken = calloc(n + 1, sizeof *taken);
    if (in) {
        in->I = I;
        in->m = ir;
        in->nfuncs = n;
        arena_init(&in->arena);
        in->funcs = calloc(n + 1, sizeof *in->funcs);
        in->item_addr = calloc(n + 1, sizeof *in->item_addr);
        in->item_tag = calloc(n + 1, sizeof *in->item_tag);
    }
    if (!in || !taken || !in->funcs || !in->item_addr || !in->item_tag) {
        free(taken);
        if (in) {
            free(in->funcs);
            free(in->item_addr);
            free(in->item_tag);
            free(in);
        }
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    }
    mark_taken(ir, taken);
    char err[512] = "";
    yvm_status st = YVM_OK;
    /* Functions: resolve externs, give every function an address. */
    for (uint32_t i = 0; i < n && st == YVM_OK; i++) {
        const IrItem *it = &ir->items[i];
        if (it->kind != IR_ITEM_FUNC || it->func->target)
            continue;
        DFunc *f = &in->funcs[i];
        f->ir = it->func;
        f->name = it->name;
        f->inst = in;
        f->ret = (uint8_t)it->func->ret;
        f->unsafe = (it->func->attrs & IR_ATTR_UNSAFE) != 0;
        f->is_extern = it->func->is_extern;
        if (f->is_extern) {
            if (!interp_ext_resolve(in, f, resolve_symbol, c, err, sizeof err)) {
                ir_error(c->ir, ir->src, it->loc, "%s", err);
                st = fail_ir(c, YVM_UNRESOLVED, err);
                break;
            }
            f->addr = f->cfn ? (Word)(uintptr_t)f->cfn : (Word)(uintptr_t)f;
        } else if (!(taken[i] && interp_ext_closure(in, f))) {
            f->addr = (Word)(uintptr_t)f; /* unique, never called by C */
        }
        f->tag = interp_obj_new(I, OBJ_K_FUNC, (void *)(uintptr_t)f->addr, 0, false, NULL);
        if (!f->tag) {
            st = fail(c, YVM_NOMEM, "yvm: error: out of memory");
            break;
        }
        I->objs[TAG_INDEX(f->tag)].fn = f;
        in->item_addr[i] = f->addr;
        in->item_tag[i] = f->tag;
    }
    /* Per-target bodies stand for their portable function. */
    for (uint32_t i = 0; i < n && st == YVM_OK; i++) {
        const IrItem *it = &ir->items[i];
        if (it->kind == IR_ITEM_FUNC && it->func->target) {
            uint32_t p = ir_module_find(ir, it->name);
            if (p != IR_NONE) {
                in->item_addr[i] = in->item_addr[p];
                in->item_tag[i] = in->item_tag[p];
            }
        }
    }
    free(taken);
    m->inst = in; /* from here instance_free releases what was made */
    if (st == YVM_OK && !interp_layout_data(in, err, sizeof err))
        st = fail(c, YVM_NOMEM, "%s: error: %s", mod_name(m), err);
    for (uint32_t i = 0; i < n && st == YVM_OK; i++) {
        DFunc *f = &in->funcs[i];
        if (f->ir && !f->is_extern && !interp_decode(in, f, err, sizeof err))
            st = fail(c, YVM_INVALID, "%s: error: %s", mod_name(m), err);
    }
    if (st != YVM_OK) {
        instance_free(in);
        m->inst = NULL;
    }
    return st;
}

/* ---- running ---- */

/* A run's outcome is not a diagnostic: kept, never echoed (yvm-run
 * prints a trap itself, after flushing the program's output). */
static yvm_status outcome(yvm_ctx *c, yvm_status st, const char *msg)
{
    if (!c->error)
        c->error = strdup(msg);
    return st;
}

static yvm_status run_outcome(yvm_ctx *c, InterpStatus st)
{
    Interp *I = c->interp;
    char buf[1024];
    switch (st) {
    case INTERP_OK:
        return YVM_OK;
    case INTERP_TRAP:
        snprintf(buf, sizeof buf, "trap: %.*s", (int)I->traplen, I->trap);
        return outcome(c, YVM_TRAP, buf);
    case INTERP_EXIT:
        c->exit_status = I->exit_status;
        snprintf(buf, sizeof buf, "exit: %d", I->exit_status);
        return outcome(c, YVM_EXIT, buf);
    default:
        return fail(c, YVM_NOMEM, "yvm: error: %s", I->errbuf);
    }
}

/* The defined function @name, or NULL after reporting. */
static const DFunc *find_defined(yvm_module *m, const char *name)
{
    uint32_t i = ir_module_find(m->ir, name);
    if (i == IR_NONE || m->ir->items[i].kind != IR_ITEM_FUNC || !m->inst->funcs[i].ir ||
        m->inst->funcs[i].is_extern) {
        fail(m->ctx, YVM_NOT_FOUND, "%s: error: no function '@%s' defined in the module",
             mod_name(m), name);
        return NULL;
    }
    return &m->inst->funcs[i];
}

yvm_status yvm_run(yvm_module *m, const char *func, const yvm_value *args, size_t nargs,
                   yvm_value *result)
{
    yvm_ctx *c = m->ctx;
    clear_error(c);
    if (result) {
        result->type = YVM_VOID;
        result->as.i = 0;
    }
    yvm_status st = instantiate(m);
    if (st != YVM_OK)
        return st;
    const DFunc *f = find_defined(m, func);
    if (!f)
        return YVM_NOT_FOUND;
    const IrFunc *ir = f->ir;
    if (nargs != ir->nparams)
        return fail(c, YVM_BAD_ARGS, "yvm: error: '@%s' takes %u arguments, not %zu", func,
                    (unsigned)ir->nparams, nargs);
    Word *w = calloc(2 * nargs + 1, sizeof *w);
    if (!w)
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    uint32_t k = 0;
    for (size_t i = 0; i < nargs; i++) {
        IrType t = (IrType)ir->ptypes[i];
        if ((int)args[i].type != (int)t) {
            free(w);
            return fail(c, YVM_BAD_ARGS, "yvm: error: argument %zu of '@%s' must be %s", i + 1,
                        func, ir_type_name(t));
        }
        switch (t) {
        case IR_F32: {
            uint32_t u;
            memcpy(&u, &args[i].as.f32, 4);
            w[k++] = u;
            break;
        }
        case IR_F64: memcpy(&w[k++], &args[i].as.f64, 8); break;
        case IR_PTR:
            w[k] = (Word)(uintptr_t)args[i].as.ptr;
            w[k + 1] = interp_obj_find(c->interp, w[k]);
            k += 2;
            break;
        default: w[k++] = args[i].as.i & ir_type_mask(t); break;
        }
    }
    Word out[2];
    st = run_outcome(c, interp_call(c->interp, f, w, out));
    free(w);
    if (st != YVM_OK || !result)
        return st;
    result->type = (yvm_type)f->ret;
    switch (f->ret) {
    case IR_VOID: break;
    case IR_F32: {
        uint32_t u = (uint32_t)out[0];
        memcpy(&result->as.f32, &u, 4);
        break;
    }
    case IR_F64: memcpy(&result->as.f64, &out[0], 8); break;
    case IR_PTR: result->as.ptr = (void *)(uintptr_t)out[0]; break;
    default: result->as.i = out[0]; break;
    }
    return YVM_OK;
}

/* argv: writable strings and a writable array of argc+1 pointers. */
static bool make_argv(Interp *I, int argc, char *const *argv, Word *arr, Word *tags,
                      uint32_t *nobj)
{
    size_t bytes = sizeof(Word) * ((size_t)argc + 1);
    Word *vec = calloc(1, bytes);
    Word vtag = vec ? interp_obj_new(I, OBJ_K_ARGV, vec, bytes, true, vec) : 0;
    if (!vtag) {
        free(vec);
        return false;
    }
    tags[(*nobj)++] = vtag;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        char *s = malloc(n);
        Word stag = s ? interp_obj_new(I, OBJ_K_ARGV, s, n, true, s) : 0;
        if (!stag) {
            free(s);
            return false;
        }
        memcpy(s, argv[i], n);
        tags[(*nobj)++] = stag;
        vec[i] = (Word)(uintptr_t)s;
        interp_shadow_put(I, vtag, (Word)(uintptr_t)&vec[i], vec[i], stag);
    }
    arr[0] = (Word)(uintptr_t)vec;
    arr[1] = vtag;
    return true;
}

yvm_status yvm_run_main(yvm_module *m, int argc, char *const *argv, int *exit_status)
{
    yvm_ctx *c = m->ctx;
    clear_error(c);
    *exit_status = 0;
    yvm_status st = instantiate(m);
    if (st != YVM_OK)
        return st;
    const DFunc *f = find_defined(m, "main");
    if (!f)
        return YVM_NOT_FOUND;
    const IrFunc *ir = f->ir;
    bool noargs = ir->nparams == 0;
    bool withargs = ir->nparams == 2 && ir->ptypes[0] == IR_I32 && ir->ptypes[1] == IR_PTR;
    if (ir->ret != IR_I32 || !(noargs || withargs))
        return fail(c, YVM_INVALID,
                    "%s: error: '@main' must be '@main() -> i32' or "
                    "'@main(i32 %%argc, ptr %%argv) -> i32'",
                    mod_name(m));
    Interp *I = c->interp;
    Word w[3] = {(Word)(uint32_t)argc, 0, 0}, out[2];
    Word *tags = calloc((size_t)argc + 2, sizeof *tags);
    uint32_t ntags = 0;
    if (!tags || (withargs && !make_argv(I, argc, argv, &w[1], tags, &ntags))) {
        for (uint32_t i = 0; tags && i < ntags; i++)
            interp_obj_kill(I, TAG_INDEX(tags[i]));
        free(tags);
        return fail(c, YVM_NOMEM, "yvm: error: out of memory");
    }
    InterpStatus is = interp_call(I, f, w, out);
    for (uint32_t i = 0; i < ntags; i++)
        interp_obj_kill(I, TAG_INDEX(tags[i]));
    free(tags);
    if (is == INTERP_EXIT) {
        c->exit_status = I->exit_status;
        *exit_status = I->exit_status & 0xff;
        return YVM_OK;
    }
    st = run_outcome(c, is);
    if (st == YVM_OK)
        *exit_status = (int)(out[0] & 0xff);
    return st;
}

/* ---- building ---- */

static IrModule *edit(yvm_module *m)
{
    /* Any change invalidates the verification and the prepared state. */
    m->verified = false;
    if (m->inst) {
        instance_free(m->inst);
        m->inst = NULL;
    }
    return m->ir;
}

#define FN(f) ((IrFunc *)(f))
#define BL(b) ((IrBlock *)(b))
#define DA(d) ((IrData *)(d))

static IrOperand to_ir(yvm_operand o)
{
    static const uint8_t kinds[] = {IR_OPD_VALUE, IR_OPD_SYMBOL, IR_OPD_CONST};
    return (IrOperand){.kind = o.kind < 3 ? kinds[o.kind] : IR_OPD_CONST,
                       .type = o.type,
                       .index = o.index,
                       .bits = o.bits};
}

static yvm_operand from_ir(IrOperand o)
{
    yvm_operand r = {.type = o.type, .index = o.index, .bits = o.bits};
    r.kind = o.kind == IR_OPD_VALUE ? 0 : o.kind == IR_OPD_SYMBOL ? 1 : 2;
    return r;
}

yvm_operand yvm_op_value(const yvm_func *f, uint32_t value)
{
    const IrFunc *fn = (const IrFunc *)f;
    if (value >= fn->nvals)
        return (yvm_operand){.kind = 0, .type = 0, .index = value};
    return from_ir(ir_opd_value(fn, value));
}

yvm_operand yvm_op_int(yvm_type t, uint64_t bits) { return from_ir(ir_opd_int((IrType)t, bits)); }
yvm_operand yvm_op_f32(float v) { return from_ir(ir_opd_f32(v)); }
yvm_operand yvm_op_f64(double v) { return from_ir(ir_opd_f64(v)); }

yvm_operand yvm_op_symbol(const yvm_module *m, const char *name)
{
    return from_ir(ir_opd_symbol(ir_module_find(m->ir, name)));
}

static IrTarget target(IrModule *ir, const IrFunc *f, yvm_target t)
{
    uint32_t n = t.nargs;
    IrOperand *args = n ? calloc(n, sizeof *args) : NULL;
    if (n && !args)
        n = 0;
    for (uint32_t i = 0; i < n; i++)
        args[i] = to_ir(t.args[i]);
    IrTarget r = ir_target(ir, t.block ? ir_block_index(f, BL(t.block)) : IR_NONE, n, args);
    free(args);
    return r;
}

yvm_func *yvm_func_new(yvm_module *m, const char *name, yvm_type ret, unsigned attrs)
{
    return (yvm_func *)ir_func_new(edit(m), name, (IrType)ret, attrs & 0xf);
}

yvm_func *yvm_extern_new(yvm_module *m, const char *name, yvm_type ret, uint32_t nparams,
                         const yvm_type *ptypes, int variadic)
{
    IrType *t = calloc(nparams + 1, sizeof *t);
    if (!t)
        return NULL;
    for (uint32_t i = 0; i < nparams; i++)
        t[i] = (IrType)ptypes[i];
    IrFunc *f = ir_extern_new(edit(m), name, (IrType)ret, nparams, t, variadic != 0);
    free(t);
    return (yvm_func *)f;
}

uint32_t yvm_func_param(yvm_module *m, yvm_func *f, yvm_type t, const char *name)
{
    return ir_func_add_param(edit(m), FN(f), (IrType)t, name);
}

yvm_block *yvm_block_new(yvm_module *m, yvm_func *f, const char *name)
{
    return (yvm_block *)ir_block_new(edit(m), FN(f), name);
}

uint32_t yvm_block_param(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t,
                         const char *name)
{
    return ir_block_add_param(edit(m), FN(f), BL(b), (IrType)t, name);
}

yvm_data *yvm_data_new(yvm_module *m, const char *name, int is_global)
{
    return (yvm_data *)ir_data_new(edit(m), name, is_global != 0);
}

void yvm_data_bytes(yvm_module *m, yvm_data *d, const void *bytes, uint64_t len)
{
    ir_data_add_bytes(edit(m), DA(d), bytes, len);
}

void yvm_data_const(yvm_module *m, yvm_data *d, yvm_type t, uint64_t bits)
{
    ir_data_add_const(edit(m), DA(d), (IrType)t, bits);
}

void yvm_data_symbol(yvm_module *m, yvm_data *d, const char *name)
{
    ir_data_add_symref(edit(m), DA(d), ir_module_find(m->ir, name));
}

void yvm_data_zero(yvm_module *m, yvm_data *d, uint64_t n) { ir_data_add_zero(edit(m), DA(d), n); }

uint32_t yvm_binary(yvm_module *m, yvm_func *f, yvm_block *b, yvm_opcode op, yvm_type t,
                    yvm_operand x, yvm_operand y, const char *name)
{
    return ir_build_binary(edit(m), FN(f), BL(b), (IrOpcode)op, (IrType)t, to_ir(x), to_ir(y),
                           name);
}

uint32_t yvm_unary(yvm_module *m, yvm_func *f, yvm_block *b, yvm_opcode op, yvm_type t,
                   yvm_operand x, const char *name)
{
    return ir_build_unary(edit(m), FN(f), BL(b), (IrOpcode)op, (IrType)t, to_ir(x), name);
}

uint32_t yvm_icmp(yvm_module *m, yvm_func *f, yvm_block *b, yvm_icond c, yvm_type t,
                  yvm_operand x, yvm_operand y, const char *name)
{
    return ir_build_icmp(edit(m), FN(f), BL(b), (IrICond)c, (IrType)t, to_ir(x), to_ir(y), name);
}

uint32_t yvm_fcmp(yvm_module *m, yvm_func *f, yvm_block *b, yvm_fcond c, yvm_type t,
                  yvm_operand x, yvm_operand y, const char *name)
{
    return ir_build_fcmp(edit(m), FN(f), BL(b), (IrFCond)c, (IrType)t, to_ir(x), to_ir(y), name);
}

uint32_t yvm_select(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t, yvm_operand cond,
                    yvm_operand x, yvm_operand y, const char *name)
{
    return ir_build_select(edit(m), FN(f), BL(b), (IrType)t, to_ir(cond), to_ir(x), to_ir(y),
                           name);
}

uint32_t yvm_conv(yvm_module *m, yvm_func *f, yvm_block *b, yvm_opcode op, yvm_type from,
                  yvm_operand x, yvm_type to, const char *name)
{
    return ir_build_conv(edit(m), FN(f), BL(b), (IrOpcode)op, (IrType)from, to_ir(x),
                         (IrType)to, name);
}

uint32_t yvm_alloca(yvm_module *m, yvm_func *f, yvm_block *b, uint64_t size,
                    uint64_t align, const char *name)
{
    return ir_build_alloca(edit(m), FN(f), BL(b), size, align, name);
}

uint32_t yvm_load(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t, yvm_operand p,
                  const char *name)
{
    return ir_build_load(edit(m), FN(f), BL(b), (IrType)t, to_ir(p), name);
}

void yvm_store(yvm_module *m, yvm_block *b, yvm_type t, yvm_operand v, yvm_operand p)
{
    ir_build_store(edit(m), BL(b), (IrType)t, to_ir(v), to_ir(p));
}

uint32_t yvm_ptradd(yvm_module *m, yvm_func *f, yvm_block *b, yvm_operand p,
                    yvm_operand off, const char *name)
{
    return ir_build_ptradd(edit(m), FN(f), BL(b), to_ir(p), to_ir(off), name);
}

void yvm_memcpy(yvm_module *m, yvm_block *b, yvm_operand dst, yvm_operand src,
                yvm_operand n)
{
    ir_build_memcpy(edit(m), BL(b), to_ir(dst), to_ir(src), to_ir(n));
}

void yvm_memset(yvm_module *m, yvm_block *b, yvm_operand dst, yvm_operand byte,
                yvm_operand n)
{
    ir_build_memset(edit(m), BL(b), to_ir(dst), to_ir(byte), to_ir(n));
}

static IrOperand *args_to_ir(uint32_t n, const yvm_operand *args)
{
    IrOperand *a = calloc(n + 1, sizeof *a);
    for (uint32_t i = 0; a && i < n; i++)
        a[i] = to_ir(args[i]);
    return a;
}

uint32_t yvm_call(yvm_module *m, yvm_func *f, yvm_block *b, const char *callee,
                  uint32_t nargs, const yvm_operand *args, const char *name)
{
    IrOperand *a = args_to_ir(nargs, args);
    if (!a)
        return YVM_NONE;
    uint32_t r = ir_build_call(edit(m), FN(f), BL(b), ir_module_find(m->ir, callee), nargs, a,
                               name);
    free(a);
    return r;
}

uint32_t yvm_call_ind(yvm_module *m, yvm_func *f, yvm_block *b, yvm_operand fp,
                      uint32_t nargs, const yvm_operand *args, yvm_type ret,
                      const char *name)
{
    IrOperand *a = args_to_ir(nargs, args);
    if (!a)
        return YVM_NONE;
    uint32_t r = ir_build_call_ind(edit(m), FN(f), BL(b), to_ir(fp), nargs, a, (IrType)ret, name);
    free(a);
    return r;
}

void yvm_br(yvm_module *m, yvm_func *f, yvm_block *b, yvm_target to)
{
    IrModule *ir = edit(m);
    ir_build_br(ir, BL(b), target(ir, FN(f), to));
}

void yvm_condbr(yvm_module *m, yvm_func *f, yvm_block *b, yvm_operand cond, yvm_target then,
                yvm_target otherwise)
{
    IrModule *ir = edit(m);
    ir_build_condbr(ir, BL(b), to_ir(cond), target(ir, FN(f), then),
                    target(ir, FN(f), otherwise));
}

void yvm_switch(yvm_module *m, yvm_func *f, yvm_block *b, yvm_type t, yvm_operand v,
                yvm_target dflt, uint32_t ncases, const uint64_t *keys,
                const yvm_target *cases)
{
    IrModule *ir = edit(m);
    IrTarget *ts = calloc(ncases + 1, sizeof *ts);
    if (!ts)
        return;
    for (uint32_t i = 0; i < ncases; i++)
        ts[i] = target(ir, FN(f), cases[i]);
    ir_build_switch(ir, BL(b), (IrType)t, to_ir(v), target(ir, FN(f), dflt), ncases, keys, ts);
    free(ts);
}

void yvm_ret(yvm_module *m, yvm_block *b, const yvm_operand *v)
{
    IrOperand o;
    if (v)
        o = to_ir(*v);
    ir_build_ret(edit(m), BL(b), v ? &o : NULL);
}

void yvm_trap(yvm_module *m, yvm_block *b, const char *reason)
{
    ir_build_trap(edit(m), BL(b), reason, (uint32_t)strlen(reason));
}
