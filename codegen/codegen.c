/* codegen.c - the native code generator's driver: names items, runs
 * instruction selection, register allocation, frame layout and the
 * target's emission per function, then the module's read-only strings,
 * data and runtime tables; writes an ELF object or assembler text; and
 * links executables with the system C compiler and libyvmrt.a. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "codegen/mir.h"
#include "runtime/yvmrt.h"

#ifndef YVM_PKGLIBDIR
#define YVM_PKGLIBDIR "/usr/local/lib/yvm"
#endif
#ifndef YVM_LIBDIR
#define YVM_LIBDIR "/usr/local/lib"
#endif

bool cg_error(CgModule *cg, const char *fmt, ...)
{
    if (!cg->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cg->err, sizeof cg->err, fmt, ap);
        va_end(ap);
        cg->failed = true;
    }
    return false;
}

const char *cg_sym(const CgModule *cg, uint32_t item)
{
    return cg->symnames[item];
}

static const char *const redirected[] = {"malloc", "calloc", "realloc", "free",
                                         "memcpy", "memmove", "memset"};

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        exit(1);
    return d;
}

static void name_items(CgModule *cg)
{
    const IrModule *m = cg->m;
    cg->symnames = calloc(m->nitems + 1, sizeof *cg->symnames);
    if (!cg->symnames)
        exit(1);
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        const char *n = it->name;
        char buf[64];
        if (it->kind == IR_ITEM_FUNC && it->func->is_extern) {
            for (size_t k = 0; k < sizeof redirected / sizeof *redirected; k++)
                if (strcmp(n, redirected[k]) == 0) {
                    snprintf(buf, sizeof buf, "__yvm_%s",
                             strcmp(n, "memmove") == 0 ? "memcpy" : n);
                    n = buf;
                }
        } else if (it->kind == IR_ITEM_FUNC && cg->opt.exe && strcmp(n, "main") == 0) {
            n = "__yvm_main";
        }
        cg->symnames[i] = xstrdup(n);
    }
}

static const char *names_cb(void *ctx, const IrModule *m, uint32_t item)
{
    (void)m;
    return cg_sym(ctx, item);
}

const char *cg_string(CgModule *cg, const char *bytes, uint32_t len)
{
    if (cg->nstrs == cg->capstrs) {
        cg->capstrs = cg->capstrs ? 2 * cg->capstrs : 8;
        cg->strs = realloc(cg->strs, cg->capstrs * sizeof *cg->strs);
        if (!cg->strs)
            exit(1);
    }
    char buf[64];
    snprintf(buf, sizeof buf, ".Lyvm_str.%u", cg->nstrs);
    cg->strs[cg->nstrs] = (CgString){xstrdup(buf), bytes, len};
    return cg->strs[cg->nstrs++].sym;
}

static void cg_free(CgModule *cg)
{
    for (uint32_t i = 0; cg->symnames && i < cg->m->nitems; i++)
        free(cg->symnames[i]);
    free(cg->symnames);
    for (uint32_t i = 0; i < cg->nstrs; i++)
        free(cg->strs[i].sym);
    free(cg->strs);
}

static const Target *pick_target(const CgOptions *o)
{
    if (!o->target || strcmp(o->target, "x86_64") == 0)
        return &x86_64_target;
    return NULL;
}

static bool compile_funcs(CgModule *cg)
{
    const IrModule *m = cg->m;
    for (uint32_t i = 0; i < m->nitems && !cg->failed; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_FUNC || it->func->is_extern)
            continue;
        const IrFunc *f = it->func;
        if (f->target && strcmp(f->target, cg->t->name) != 0)
            continue; /* another target's body */
        if (!f->target) {
            /* A portable body with a variant for this target: skip it. */
            bool has_variant = false;
            for (uint32_t j = 0; j < m->nitems; j++)
                if (j != i && m->items[j].kind == IR_ITEM_FUNC && m->items[j].func->target &&
                    strcmp(m->items[j].func->target, cg->t->name) == 0 &&
                    strcmp(m->items[j].name, it->name) == 0)
                    has_variant = true;
            if (has_variant)
                continue;
        }
        MFunc *mf = mir_func_new(cg->t, cg_sym(cg, i));
        mf->opt = cg->opt.opt;
        mf->global = (f->attrs & IR_ATTR_EXPORT) ||
                     (cg->opt.exe && strcmp(it->name, "main") == 0);
        bool ok = cg->t->isel(cg, i, mf) && regalloc(mf, cg->err, sizeof cg->err);
        if (ok) {
            mir_thread_jumps(mf);
            frame_layout(mf);
            ok = cg->t->emit(cg, mf);
        }
        if (!ok && !cg->failed)
            cg_error(cg, "cannot compile '@%s'", it->name);
        mir_func_free(mf);
    }
    return !cg->failed && cg->t->emit_module_end(cg);
}

/* Every function's yvm_funcs entry (defined and extern). */
static void for_each_func_entry(CgModule *cg, FILE *asm_out)
{
    const IrModule *m = cg->m;
    for (uint32_t i = 0; i < m->nitems; i++) {
        const IrItem *it = &m->items[i];
        if (it->kind != IR_ITEM_FUNC || (it->func->target && strcmp(it->func->target, cg->t->name)))
            continue;
        uint64_t sig = data_sig_hash(it->func);
        if (asm_out)
            data_print_func_entry(asm_out, cg_sym(cg, i), sig);
        else
            data_emit_func_entry(cg->obj, cg_sym(cg, i), sig);
    }
}

static bool start(CgModule *cg, const IrModule *m, const CgOptions *o, char *err, size_t errlen)
{
    memset(cg, 0, sizeof *cg);
    cg->m = m;
    cg->opt = *o;
    cg->t = pick_target(o);
    if (!cg->t) {
        snprintf(err, errlen, "unknown target '%s'", o->target);
        return false;
    }
    name_items(cg);
    cg->names.name = names_cb;
    cg->names.ctx = cg;
    return true;
}

bool cg_compile_object(const IrModule *m, const CgOptions *o, FILE *fout, char *err, size_t errlen)
{
    CgModule cg;
    if (!start(&cg, m, o, err, errlen))
        return false;
    ObjWriter obj;
    obj_init(&obj, cg.t->elf_machine, cg.t->elf_flags);
    cg.obj = &obj;
    bool ok = compile_funcs(&cg);
    if (ok) {
        for (uint32_t i = 0; i < cg.nstrs; i++) {
            obj_define(&obj, cg.strs[i].sym, OBJ_RODATA, false, false);
            obj_emit(&obj, OBJ_RODATA, cg.strs[i].bytes, cg.strs[i].len);
            obj_emit(&obj, OBJ_RODATA, "", 1);
        }
        data_emit_module(&obj, m, &cg.names);
        for_each_func_entry(&cg, NULL);
        if (!obj_write_elf(&obj, fout))
            ok = cg_error(&cg, "cannot write the object: %s", strerror(errno));
    }
    if (!ok)
        snprintf(err, errlen, "%s", cg.err);
    obj_free(&obj);
    cg_free(&cg);
    return ok;
}

bool cg_compile_asm(const IrModule *m, const CgOptions *o, FILE *out, char *err, size_t errlen)
{
    CgModule cg;
    if (!start(&cg, m, o, err, errlen))
        return false;
    cg.asm_out = out;
    cg.t->asm_prologue(out);
    bool ok = compile_funcs(&cg);
    if (ok) {
        if (cg.nstrs)
            fputs("\t.section .rodata\n", out);
        for (uint32_t i = 0; i < cg.nstrs; i++) {
            fprintf(out, "%s:\n\t.byte ", cg.strs[i].sym);
            for (uint32_t k = 0; k < cg.strs[i].len; k++)
                fprintf(out, "%u,", (unsigned)(uint8_t)cg.strs[i].bytes[k]);
            fputs("0\n", out);
        }
        data_print_module(out, m, &cg.names);
        for_each_func_entry(&cg, out);
    }
    if (!ok)
        snprintf(err, errlen, "%s", cg.err);
    cg_free(&cg);
    return ok;
}

static bool has_runtime(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/libyvmrt.a", dir);
    return stat(path, &st) == 0;
}

char *cg_find_runtime(const char *exe_path)
{
    const char *env = getenv("YVM_RUNTIME_DIR");
    if (env && *env)
        return xstrdup(env);
    if (exe_path && strchr(exe_path, '/')) {
        char *dir = xstrdup(exe_path);
        *strrchr(dir, '/') = 0;
        if (has_runtime(dir))
            return dir;
        /* yaoc lives in yaoc/ of the build tree. */
        char up[4096];
        snprintf(up, sizeof up, "%s/..", dir);
        free(dir);
        if (has_runtime(up))
            return xstrdup(up);
    }
    if (has_runtime(YVM_LIBDIR))
        return xstrdup(YVM_LIBDIR);
    if (has_runtime(YVM_PKGLIBDIR))
        return xstrdup(YVM_PKGLIBDIR);
    return NULL;
}

static int run(char *const *argv)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

bool cg_build_executable(const IrModule *m, const CgOptions *o, const char *out_path,
                         const char *runtime_dir, char *const *link_args, int nlink,
                         char *err, size_t errlen)
{
    if (!runtime_dir) {
        snprintf(err, errlen, "cannot find the runtime library libyvmrt.a (set YVM_RUNTIME_DIR)");
        return false;
    }
    const char *tmpdir = getenv("TMPDIR");
    char obj[4096];
    snprintf(obj, sizeof obj, "%s/yvm-cc-XXXXXX.o", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemps(obj, 2);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
        return false;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(obj);
        snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
        return false;
    }
    CgOptions oe = *o;
    oe.exe = true;
    bool ok = cg_compile_object(m, &oe, f, err, errlen);
    if (fclose(f) != 0 && ok) {
        snprintf(err, errlen, "cannot write a temporary file: %s", strerror(errno));
        ok = false;
    }
    if (ok) {
        char rt[4096];
        snprintf(rt, sizeof rt, "%s/libyvmrt.a", runtime_dir);
        const char *cc = getenv("YVM_CC");
        char **argv = calloc((size_t)nlink + 12, sizeof *argv);
        if (!argv)
            exit(1);
        int n = 0;
        argv[n++] = (char *)(cc && *cc ? cc : "cc");
        argv[n++] = (char *)"-no-pie";
        argv[n++] = obj;
        for (int i = 0; i < nlink; i++)
            argv[n++] = link_args[i];
        argv[n++] = rt;
        argv[n++] = (char *)"-lm";
        argv[n++] = (char *)"-o";
        argv[n++] = (char *)out_path;
        argv[n] = NULL;
        int st = run(argv);
        if (st != 0) {
            snprintf(err, errlen, "linking failed (%s exited with status %d)", argv[0], st);
            ok = false;
        }
        free(argv);
    }
    unlink(obj);
    return ok;
}
