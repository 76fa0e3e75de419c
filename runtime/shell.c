/* shell.c - Yao's `$ cmd args;`: pipelines of programs run with fork and
 * execvp, never through /bin/sh.
 *
 * The compiled program hands over the words exactly as the language
 * parsed them (one buffer per argument, so an interpolated value is one
 * argument whatever it contains) and the operators between them:
 *   cmd args < in | cmd args > out     >> appends, 2> redirects stderr
 * A command that cannot be started exits 127 (with a message on its
 * stderr); a redirect that cannot be opened exits 1. The status is the
 * last command's (128 + N when signal N ended it). Capturing collects
 * the pipeline's stdout (unless redirected) and the stderr of every
 * command (unless redirected), read concurrently so neither pipe can
 * fill up and block the children. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

typedef struct Item {
    int op;          /* 0: a word */
    char *word;      /* NUL-terminated copy */
    size_t len;      /* bytes (a NUL inside makes it unusable) */
} Item;

struct YaoCmd {
    Item *items;
    size_t n, cap;
    int pending_op;
    YaoBuf out, err;
};

YaoCmd *yao_sh_new(void)
{
    YaoCmd *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    return c;
}

static void push(YaoCmd *c, Item it)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->items = realloc(c->items, sizeof *c->items * c->cap);
        if (!c->items)
            abort();
    }
    c->items[c->n++] = it;
}

void yao_sh_word(YaoCmd *c, YaoBuf *w)
{
    Item it = {.op = 0, .len = w->n};
    it.word = malloc(w->n + 1);
    if (!it.word)
        abort();
    if (w->n)
        memcpy(it.word, w->p, w->n);
    it.word[w->n] = 0;
    yao_buf_free(w);
    push(c, it);
}

void yao_sh_op(YaoCmd *c, int32_t op)
{
    push(c, (Item){.op = op});
}

void yao_sh_free(YaoCmd *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].word);
    free(c->items);
    free(c->out.p);
    free(c->err.p);
    free(c);
}

int64_t yao_sh_out_len(const YaoCmd *c, int32_t which)
{
    return (int64_t)(which == 2 ? c->err.n : c->out.n);
}

void yao_sh_out_copy(const YaoCmd *c, int32_t which, uint8_t *dst)
{
    const YaoBuf *b = which == 2 ? &c->err : &c->out;
    if (b->n)
        memcpy(dst, b->p, b->n);
}

/* One command of the pipeline. */
typedef struct Stage {
    char **argv;
    size_t argc;
    const char *in, *out, *err; /* redirect files, or NULL */
    int append;
    pid_t pid;
} Stage;

static void child_fail(const char *what, const char *name, int code)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "yao: %s '%s': %s\n", what, name, strerror(errno));
    if (n > 0)
        (void)!write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
    _exit(code);
}

static void redirect(const char *file, int flags, int fd)
{
    int f = open(file, flags | O_CLOEXEC, 0666);
    if (f < 0)
        child_fail("cannot open", file, 1);
    if (dup2(f, fd) < 0)
        child_fail("cannot redirect to", file, 1);
    close(f);
}

/* Read both capture pipes to their ends. */
static void drain(int outfd, int errfd, YaoBuf *out, YaoBuf *err)
{
    struct pollfd p[2] = {{.fd = outfd, .events = POLLIN}, {.fd = errfd, .events = POLLIN}};
    YaoBuf *dst[2] = {out, err};
    int open_fds = (outfd >= 0) + (errfd >= 0);
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !p[i].revents)
                continue;
            char buf[65536];
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n > 0) {
                buf_put(dst[i], buf, (size_t)n);
            } else if (n == 0 || errno != EINTR) {
                close(p[i].fd);
                p[i].fd = -1;
                open_fds--;
            }
        }
    }
}

int32_t yao_sh_run(YaoCmd *c, int32_t capture)
{
    /* Split the items into stages. */
    size_t nst = 1;
    for (size_t i = 0; i < c->n; i++)
        nst += c->items[i].op == YAO_SH_PIPE;
    Stage *st = calloc(nst, sizeof *st);
    char **argvs = calloc(c->n + nst, sizeof *argvs);
    if (!st || !argvs)
        abort();
    size_t s = 0, used = 0;
    st[0].argv = argvs;
    const char *bad = NULL;
    for (size_t i = 0; i < c->n; i++) {
        Item *it = &c->items[i];
        if (it->op == YAO_SH_PIPE) {
            st[s].argv[st[s].argc] = NULL;
            used += st[s].argc + 1;
            s++;
            st[s].argv = argvs + used;
            continue;
        }
        if (it->op) {
            const char *file = i + 1 < c->n && !c->items[i + 1].op ? c->items[++i].word : "";
            if (it->op == YAO_SH_IN)
                st[s].in = file;
            else if (it->op == YAO_SH_ERR)
                st[s].err = file;
            else
                st[s].out = file, st[s].append = it->op == YAO_SH_APPEND;
            continue;
        }
        if (strlen(it->word) != it->len)
            bad = it->word;
        st[s].argv[st[s].argc++] = it->word;
    }
    st[s].argv[st[s].argc] = NULL;

    fflush(stdout);
    fflush(stderr);
    int status = 0;
    int cap_out[2] = {-1, -1}, cap_err[2] = {-1, -1};
    if (capture && (pipe2(cap_out, O_CLOEXEC) < 0 || pipe2(cap_err, O_CLOEXEC) < 0)) {
        status = 127;
        goto done;
    }
    int prev_read = -1;
    for (size_t k = 0; k < nst; k++) {
        int next[2] = {-1, -1};
        if (k + 1 < nst && pipe2(next, O_CLOEXEC) < 0) {
            status = 127;
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            signal(SIGPIPE, SIG_DFL);
            if (prev_read >= 0)
                dup2(prev_read, 0);
            if (next[1] >= 0)
                dup2(next[1], 1);
            else if (capture)
                dup2(cap_out[1], 1);
            if (capture)
                dup2(cap_err[1], 2);
            if (st[k].in)
                redirect(st[k].in, O_RDONLY, 0);
            if (st[k].out)
                redirect(st[k].out, O_WRONLY | O_CREAT | (st[k].append ? O_APPEND : O_TRUNC), 1);
            if (st[k].err)
                redirect(st[k].err, O_WRONLY | O_CREAT | O_TRUNC, 2);
            if (bad) {
                errno = EINVAL;
                child_fail("cannot pass an argument with a NUL byte to", st[k].argc ? st[k].argv[0] : "", 127);
            }
            if (!st[k].argc) {
                errno = ENOENT;
                child_fail("cannot run", "", 127);
            }
            execvp(st[k].argv[0], st[k].argv);
            child_fail("cannot run", st[k].argv[0], 127);
        }
        if (prev_read >= 0)
            close(prev_read);
        if (next[1] >= 0)
            close(next[1]);
        prev_read = next[0];
        if (pid < 0) {
            status = 127;
            if (prev_read >= 0)
                close(prev_read);
            prev_read = -1;
            break;
        }
        st[k].pid = pid;
    }
    if (prev_read >= 0)
        close(prev_read);
    if (capture) {
        close(cap_out[1]);
        close(cap_err[1]);
        drain(cap_out[0], cap_err[0], &c->out, &c->err);
    }
    for (size_t k = 0; k < nst; k++) {
        if (!st[k].pid)
            continue;
        int ws;
        while (waitpid(st[k].pid, &ws, 0) < 0 && errno == EINTR)
            ;
        if (k == nst - 1)
            status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 1;
    }
done:
    free(st);
    free(argvs);
    return status;
}
