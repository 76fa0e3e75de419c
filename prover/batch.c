/* batch.c - proving whole rule sets (prover_check_set in prover.h).
 *
 * Rules whose combinations are not all in the cache are proved by a pool
 * of forked worker processes, `jobs` of them. The parent sends a worker a
 * rule's index over a pipe; the worker proves that rule's combinations in
 * order and answers one line per result on another pipe:
 *
 *     P <combo> <queries> <splits> <max-rlimit>                    proved
 *     F <status> <combo> <queries> <splits> <max-rlimit> <text>    not proved
 *     D                                                            rule done
 *
 * stopping at the first failure. The parent caches each proof as it
 * arrives, and kills a worker that spends longer than the timeout on one
 * combination (Z3's own timeouts are soft; the rlimit is the deterministic
 * budget, the kill only a backstop), then starts a fresh worker for the
 * rules left. A
 * rule whose worker dies or is killed is unknown.
 *
 * Workers live for many rules because a new process pays for its first Z3
 * context in page faults (about 0.2 s here); each combination still gets
 * its own context, so memory stays bounded. Separate processes also let
 * rules run in parallel without sharing a Z3 context.
 */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "prover.h"
#include "strbuf.h"

enum { MAX_WORKERS = 64 };

typedef struct Job {
    const Rule *rule;
    char *text;         /* canonical text, for cache keys */
    uint32_t *todo;     /* combination indices to prove */
    uint32_t ntodo;
    uint32_t nreported; /* results received, in order */
    bool selected_any;  /* some combination is among the widths asked for */
    bool done;
    bool failed;        /* an F line arrived */
    double start;
} Job;

typedef struct Worker {
    pid_t pid;          /* 0: none */
    int cmd, res;       /* pipe ends: jobs out, results in */
    int job;            /* the rule being proved, or -1 when idle */
    double deadline;
    StrBuf in;          /* unparsed bytes of results */
} Worker;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void prover_verdict_free(RuleVerdict *v)
{
    free(v->text);
    v->text = NULL;
}

/* Whether every width of the combination is in the mask. */
static bool combo_selected(const Rule *r, const uint8_t *combo, unsigned mask)
{
    if (!mask)
        return true;
    for (unsigned i = 0; i < r->ntypevars; i++)
        if (!(mask >> rule_width_index(combo[i]) & 1))
            return false;
    if (r->ntypevars == 0) /* concrete types: the root's width decides */
        return mask >> rule_width_index(r->values[r->root].type.bits) & 1;
    return true;
}

static bool write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        s += k;
        n -= (size_t)k;
    }
    return true;
}

static bool read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

typedef struct WorkerOut {
    int fd;
    bool ok; /* every write succeeded */
} WorkerOut;

static void worker_report(void *user, uint32_t k, ProofStatus s, const char *msg,
                          const ProofStats *st)
{
    WorkerOut *out = user;
    StrBuf line = {0};
    if (s == PROOF_PROVED)
        sb_printf(&line, "P %u %u %u %llu\n", k, st->queries, st->splits,
                  (unsigned long long)st->max_rlimit);
    else
        sb_printf(&line, "F %d %u %u %u %llu %s\n", (int)s, k, st->queries, st->splits,
                  (unsigned long long)st->max_rlimit, msg ? msg : "");
    out->ok = write_all(out->fd, line.s, line.len) && out->ok;
    sb_free(&line);
}

/* The worker process: prove the rules it is sent until the pipe closes. */
static _Noreturn void worker_main(const Job *jobs, uint32_t njobs, uint64_t rlimit, int cmd,
                                  int res)
{
#ifdef M_TRIM_THRESHOLD
    /* Keep freed memory: each Z3 context touches megabytes, and handing
     * them back to the kernel only to fault them in again for the next
     * context costs more than the proofs (page faults are slow in VMs). */
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
    uint32_t j;
    WorkerOut out = {res, true};
    while (out.ok && read_all(cmd, &j, sizeof j) && j < njobs) {
        const Job *job = &jobs[j];
        prover_check_rule(job->rule, job->todo, job->ntodo, rlimit, worker_report, &out);
        out.ok = write_all(res, "D\n", 2) && out.ok;
    }
    close(cmd);
    close(res);
    exit(0);
}

static void set_text(RuleVerdict *v, const char *s)
{
    free(v->text);
    v->text = strdup(s ? s : "");
}

/* "proved at i1 i8 ..." over the selected combinations. */
static char *proved_text(const Rule *r, unsigned mask)
{
    StrBuf b = {0};
    char cb[64];
    sb_puts(&b, "proved at");
    for (uint32_t k = 0; k < r->ncombos; k++)
        if (combo_selected(r, r->combos[k], mask))
            sb_printf(&b, " %s", rule_combo_name(r, r->combos[k], cb, sizeof cb));
    return sb_take(&b);
}

/* The verdict once the worker is done with the rule (death: why it
 * stopped early, if it did). */
static void finish(Job *job, RuleVerdict *v, const ProverOptions *opt, const char *death)
{
    job->done = true;
    if (job->start > 0)
        v->seconds = now() - job->start;
    if (job->failed)
        return;
    if (job->nreported == job->ntodo) {
        v->status = PROOF_PROVED;
        free(v->text);
        v->text = job->selected_any ? proved_text(job->rule, opt->widths)
                                    : strdup("not checked: it claims none of the widths asked for");
        return;
    }
    char cb[64];
    StrBuf b = {0};
    const Rule *r = job->rule;
    sb_printf(&b, "unknown at %s: %s",
              rule_combo_name(r, r->combos[job->todo[job->nreported]], cb, sizeof cb), death);
    v->status = PROOF_UNKNOWN;
    free(v->text);
    v->text = sb_take(&b);
}

static void record_proof(const Job *job, uint32_t k, const ProverOptions *opt)
{
    if (!opt->cache_dir)
        return;
    const Rule *r = job->rule;
    char key[65], cb[64];
    cache_key(r, job->text, r->combos[k], key);
    StrBuf note = {0};
    sb_printf(&note, "%s at %s", r->name, rule_combo_name(r, r->combos[k], cb, sizeof cb));
    cache_put(opt->cache_dir, key, note.s);
    sb_free(&note);
}

/* Handle the complete lines a worker sent; true when its rule is done. */
static bool take_lines(Worker *w, Job *jobs, RuleVerdict *verdicts, const ProverOptions *opt)
{
    char *s = w->in.s;
    bool done = false;
    if (!s || w->job < 0)
        return false;
    Job *job = &jobs[w->job];
    RuleVerdict *v = &verdicts[w->job];
    char *nl;
    size_t used = 0;
    while (!done && (nl = memchr(s + used, '\n', w->in.len - used))) {
        *nl = 0;
        char *line = s + used;
        used = (size_t)(nl - s) + 1;
        unsigned k, q, sp;
        unsigned long long rl;
        int status, n = 0;
        if (line[0] == 'D') {
            done = true;
            continue;
        }
        if (line[0] == 'P' && sscanf(line, "P %u %u %u %llu", &k, &q, &sp, &rl) == 4) {
            record_proof(job, k, opt);
        } else if (line[0] == 'F' &&
                   sscanf(line, "F %d %u %u %u %llu %n", &status, &k, &q, &sp, &rl, &n) == 5 &&
                   n > 0) {
            job->failed = true;
            v->status = (ProofStatus)status;
            set_text(v, line + n);
        } else {
            continue;
        }
        if (job->nreported < job->ntodo && job->todo[job->nreported] == k) {
            w->deadline = now() + opt->timeout; /* the next combination's */
            job->nreported++;
            v->nchecked++;
            v->stats.queries += q;
            v->stats.splits += sp;
            if (rl > v->stats.max_rlimit)
                v->stats.max_rlimit = rl;
        }
    }
    memmove(s, s + used, w->in.len - used);
    w->in.len -= used;
    s[w->in.len] = 0;
    return done;
}

static bool spawn(Worker *w, Worker *all, const Job *jobs, uint32_t njobs, uint64_t rlimit)
{
    int cmd[2], res[2];
    if (pipe(cmd) != 0)
        return false;
    if (pipe(res) != 0) {
        close(cmd[0]);
        close(cmd[1]);
        return false;
    }
    fflush(NULL); /* the child must not flush the parent's buffers again */
    pid_t pid = fork();
    if (pid < 0) {
        close(cmd[0]), close(cmd[1]), close(res[0]), close(res[1]);
        return false;
    }
    if (pid == 0) {
        close(cmd[1]);
        close(res[0]);
        for (Worker *o = all; o < all + MAX_WORKERS; o++)
            if (o->pid > 0) {
                close(o->cmd);
                close(o->res);
            }
        signal(SIGPIPE, SIG_DFL);
        worker_main(jobs, njobs, rlimit, cmd[0], res[1]);
    }
    close(cmd[0]);
    close(res[1]);
    *w = (Worker){.pid = pid, .cmd = cmd[1], .res = res[0], .job = -1};
    return true;
}

/* Stop a worker (killing it first if asked) and wait for it; *why says
 * how it ended. */
static void stop(Worker *w, bool kill_it, char *why, size_t size)
{
    int st = 0;
    close(w->cmd);
    if (kill_it)
        kill(w->pid, SIGKILL);
    while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
        ;
    close(w->res);
    if (WIFSIGNALED(st))
        snprintf(why, size, "the worker died (signal %d)", WTERMSIG(st));
    else
        snprintf(why, size, "the worker stopped (exit status %d)",
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    sb_free(&w->in);
    w->pid = 0;
    w->job = -1;
}

bool prover_check_set(const RuleSet *set, const ProverOptions *options, RuleVerdict *verdicts,
                      ProverReport *report, void *user)
{
    ProverOptions opt = *options;
    if (!opt.rlimit)
        opt.rlimit = PROVER_DEFAULT_RLIMIT;
    if (!opt.timeout)
        opt.timeout = PROVER_DEFAULT_TIMEOUT;
    if (!opt.jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        opt.jobs = n > 0 ? (unsigned)n : 1;
    }
    if (opt.jobs > MAX_WORKERS)
        opt.jobs = MAX_WORKERS;
    uint32_t n = set->nrules;
    Job *jobs = calloc(n + 1, sizeof *jobs);
    Worker *workers = calloc(MAX_WORKERS, sizeof *workers);
    if (!jobs || !workers) {
        for (uint32_t i = 0; i < n; i++)
            verdicts[i] = (RuleVerdict){.status = PROOF_UNKNOWN,
                                        .text = strdup("unknown: out of memory")};
        free(jobs);
        free(workers);
        return false;
    }

    /* What the cache already knows; the rest is to do. */
    uint32_t pending = 0;
    for (uint32_t i = 0; i < n; i++) {
        Job *job = &jobs[i];
        const Rule *r = set->rules[i];
        job->rule = r;
        job->text = rule_print(r);
        job->todo = calloc(r->ncombos + 1, sizeof *job->todo);
        verdicts[i] = (RuleVerdict){.status = PROOF_UNKNOWN};
        if (!job->todo) {
            finish(job, &verdicts[i], &opt, "out of memory");
            continue;
        }
        for (uint32_t k = 0; k < r->ncombos; k++) {
            if (!combo_selected(r, r->combos[k], opt.widths))
                continue;
            job->selected_any = true;
            char key[65];
            if (opt.cache_dir) {
                cache_key(r, job->text, r->combos[k], key);
                if (cache_has(opt.cache_dir, key)) {
                    verdicts[i].ncached++;
                    verdicts[i].nchecked++;
                    continue;
                }
            }
            job->todo[job->ntodo++] = k;
        }
        if (job->ntodo == 0)
            finish(job, &verdicts[i], &opt, "");
        else
            pending++;
    }
    unsigned nworkers = opt.jobs < pending ? opt.jobs : pending;

    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN); /* a dead worker's pipe */
    uint32_t next = 0, reported = 0;
    for (;;) {
        /* Hand out rules to idle workers, starting workers as needed. */
        for (unsigned i = 0; i < nworkers; i++) {
            Worker *w = &workers[i];
            if (w->pid > 0 && w->job >= 0)
                continue;
            while (next < n && jobs[next].done)
                next++;
            if (next == n)
                break;
            if (w->pid == 0 && !spawn(w, workers, jobs, n, opt.rlimit)) {
                finish(&jobs[next], &verdicts[next], &opt, "cannot start a worker");
                continue;
            }
            uint32_t j = next++;
            if (!write_all(w->cmd, (const char *)&j, sizeof j)) {
                char why[96];
                stop(w, true, why, sizeof why);
                finish(&jobs[j], &verdicts[j], &opt, why);
                continue;
            }
            w->job = (int)j;
            jobs[j].start = now();
            w->deadline = jobs[j].start + opt.timeout;
        }
        /* Report finished rules in order. */
        while (reported < n && jobs[reported].done) {
            if (report)
                report(user, set->rules[reported], &verdicts[reported]);
            reported++;
        }
        if (reported == n)
            break;

        /* Wait for results or the nearest deadline. */
        struct pollfd pfd[MAX_WORKERS];
        unsigned idx[MAX_WORKERS], np = 0;
        double t = now(), soonest = t + 86400;
        for (unsigned i = 0; i < nworkers; i++)
            if (workers[i].pid > 0 && workers[i].job >= 0) {
                pfd[np] = (struct pollfd){.fd = workers[i].res, .events = POLLIN};
                idx[np++] = i;
                if (workers[i].deadline < soonest)
                    soonest = workers[i].deadline;
            }
        if (np == 0)
            continue; /* every remaining rule just failed to start */
        int wait_ms = soonest <= t ? 0 : (int)((soonest - t) * 1000) + 1;
        int got = poll(pfd, np, wait_ms);
        if (got < 0 && errno != EINTR)
            break;
        for (unsigned p = 0; got > 0 && p < np; p++) {
            if (!(pfd[p].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            Worker *w = &workers[idx[p]];
            char buf[4096];
            ssize_t k = read(w->res, buf, sizeof buf);
            if (k < 0 && errno == EINTR)
                continue;
            if (k > 0) {
                sb_printf(&w->in, "%.*s", (int)k, buf);
                if (take_lines(w, jobs, verdicts, &opt)) {
                    finish(&jobs[w->job], &verdicts[w->job], &opt, "");
                    w->job = -1;
                }
                continue;
            }
            /* The worker died in the middle of a rule. */
            int j = w->job;
            take_lines(w, jobs, verdicts, &opt);
            char why[96];
            stop(w, false, why, sizeof why);
            finish(&jobs[j], &verdicts[j], &opt, why);
        }
        t = now();
        for (unsigned i = 0; i < nworkers; i++) {
            Worker *w = &workers[i];
            if (w->pid > 0 && w->job >= 0 && w->deadline <= t) {
                int j = w->job;
                take_lines(w, jobs, verdicts, &opt);
                char why[96];
                stop(w, true, why, sizeof why);
                snprintf(why, sizeof why, "timeout: still running after %u s", opt.timeout);
                finish(&jobs[j], &verdicts[j], &opt, why);
            }
        }
    }

    char why[96];
    for (unsigned i = 0; i < nworkers; i++)
        if (workers[i].pid > 0)
            stop(&workers[i], false, why, sizeof why);
    signal(SIGPIPE, old_pipe);
    bool all = true;
    for (uint32_t i = 0; i < n; i++) {
        all = all && verdicts[i].status == PROOF_PROVED;
        free(jobs[i].text);
        free(jobs[i].todo);
    }
    free(jobs);
    free(workers);
    return all;
}
