/* sccp.c - sparse conditional constant propagation (Wegman and Zadeck)
 * over SSA with block parameters.
 *
 * Each value is TOP (no evidence yet), a constant, or BOTTOM (varies).
 * Only blocks reached along executable edges are evaluated; a block
 * parameter is the meet of the arguments on its executable incoming
 * edges; a condbr/switch on a constant makes only its chosen edge
 * executable. Folding follows fold.c, which refuses anything that traps,
 * so a trapping instruction stays BOTTOM and stays in the program.
 *
 * Afterwards every use of a constant value is replaced by the constant
 * and the (non-trapping) instructions that computed them are deleted;
 * branches on now-constant conditions are left for simplifycfg. */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "fold.h"
#include "opt.h"
#include "xalloc.h"

enum { TOP, CONST, BOT };

typedef struct Sccp {
    IrFunc *f;
    uint8_t *state;
    uint64_t *bits;
    bool *block_exec;
    bool **edge_exec;        /* per block, per target of its terminator */
    uint32_t *bwork, nbwork; /* blocks to visit */
    uint32_t *vwork, nvwork; /* values whose state dropped */
    bool *in_vwork;
    /* use sites of each value: (block, inst) pairs in CSR form */
    uint32_t *use_off, *use_blk, *use_inst;
    /* incoming branches of each block */
    uint32_t *in_off, *in_blk, *in_tgt;
} Sccp;

static void set_val(Sccp *s, uint32_t v, uint8_t st, uint64_t bits)
{
    if (v >= s->f->nvals)
        return;
    if (s->state[v] == BOT || (s->state[v] == st && (st != CONST || s->bits[v] == bits)))
        return;
    if (s->state[v] == CONST && st == CONST) /* two constants meet: varies */
        st = BOT;
    s->state[v] = st;
    s->bits[v] = bits;
    if (!s->in_vwork[v]) {
        s->in_vwork[v] = true;
        s->vwork[s->nvwork++] = v;
    }
}

/* The lattice value of an operand. */
static uint8_t opd_state(const Sccp *s, const IrOperand *o, uint64_t *bits)
{
    if (o->kind == IR_OPD_CONST) {
        *bits = o->bits;
        return CONST;
    }
    if (o->kind == IR_OPD_SYMBOL || o->index >= s->f->nvals)
        return BOT;
    *bits = s->bits[o->index];
    return s->state[o->index];
}

static void mark_edge(Sccp *s, uint32_t b, uint32_t k);

static void eval_param(Sccp *s, uint32_t b, uint32_t p)
{
    uint8_t st = TOP;
    uint64_t bits = 0;
    for (uint32_t e = s->in_off[b]; e < s->in_off[b + 1]; e++) {
        uint32_t pb = s->in_blk[e], k = s->in_tgt[e];
        if (!s->edge_exec[pb][k])
            continue;
        IrTarget *tg = &edit_term(s->f->blocks[pb])->tgt[k];
        uint64_t ab;
        uint8_t as = p < tg->nargs ? opd_state(s, &tg->args[p], &ab) : BOT;
        if (as == TOP)
            continue;
        if (as == BOT || (st == CONST && ab != bits)) {
            st = BOT;
            break;
        }
        st = CONST;
        bits = ab;
    }
    if (st != TOP)
        set_val(s, s->f->blocks[b]->params[p], st, bits);
}

static void eval_inst(Sccp *s, uint32_t b, IrInst *in)
{
    if (ir_op_is_terminator((IrOpcode)in->op)) {
        if (in->op == IR_BR) {
            mark_edge(s, b, 0);
        } else if (in->op == IR_CONDBR || in->op == IR_SWITCH) {
            uint64_t c;
            uint8_t st = opd_state(s, &in->opd[0], &c);
            if (st == TOP)
                return;
            if (st == BOT) {
                for (uint32_t k = 0; k < in->ntgt; k++)
                    mark_edge(s, b, k);
            } else if (in->op == IR_CONDBR) {
                mark_edge(s, b, (c & 1) ? 0 : 1);
            } else {
                uint32_t pick = 0;
                for (uint32_t k = 1; k < in->ntgt; k++)
                    if (in->keys[k - 1] == c)
                        pick = k;
                mark_edge(s, b, pick);
            }
        }
        return;
    }
    if (in->result == IR_NONE)
        return;
    if (!edit_is_pure_op(in) || in->op == IR_PTRADD || in->type == IR_PTR
        || in->type2 == IR_PTR || in->nopd > 3) {
        set_val(s, in->result, BOT, 0);
        return;
    }
    uint64_t v[3];
    uint8_t st[3] = {BOT, BOT, BOT};
    bool any_top = false, any_bot = false;
    for (uint32_t k = 0; k < in->nopd; k++) {
        st[k] = opd_state(s, &in->opd[k], &v[k]);
        any_top |= st[k] == TOP;
        any_bot |= st[k] == BOT;
    }
    if (in->op == IR_SELECT && st[0] == CONST) {
        uint32_t k = (v[0] & 1) ? 1 : 2;
        if (st[k] != TOP)
            set_val(s, in->result, st[k], v[k]);
        return;
    }
    if (any_bot) {
        set_val(s, in->result, BOT, 0);
        return;
    }
    if (any_top)
        return;
    uint64_t r;
    if (opt_fold(in, v, &r))
        set_val(s, in->result, CONST, r);
    else
        set_val(s, in->result, BOT, 0);
}

static void mark_edge(Sccp *s, uint32_t b, uint32_t k)
{
    if (s->edge_exec[b][k])
        return;
    s->edge_exec[b][k] = true;
    IrTarget *tg = &edit_term(s->f->blocks[b])->tgt[k];
    uint32_t to = tg->block;
    if (!s->block_exec[to]) {
        s->block_exec[to] = true;
        s->bwork[s->nbwork++] = to;
        return; /* its params are evaluated when it is visited */
    }
    for (uint32_t p = 0; p < s->f->blocks[to]->nparams; p++)
        eval_param(s, to, p);
}

static void visit_block(Sccp *s, uint32_t b)
{
    IrBlock *blk = s->f->blocks[b];
    for (uint32_t p = 0; p < blk->nparams; p++)
        eval_param(s, b, p);
    for (uint32_t i = 0; i < blk->ninsts; i++)
        eval_inst(s, b, &blk->insts[i]);
}

static void build_uses(Sccp *s)
{
    IrFunc *f = s->f;
    uint32_t nv = f->nvals, nb = f->nblocks;
    s->use_off = xcalloc((size_t)nv + 2, sizeof *s->use_off);
    s->in_off = xcalloc((size_t)nb + 2, sizeof *s->in_off);
    uint32_t nuse = 0, nin = 0;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *ufill = pass ? xcalloc((size_t)nv + 1, sizeof *ufill) : NULL;
        uint32_t *bfill = pass ? xcalloc((size_t)nb + 1, sizeof *bfill) : NULL;
        for (uint32_t b = 0; b < nb; b++) {
            IrBlock *blk = f->blocks[b];
            for (uint32_t i = 0; i < blk->ninsts; i++) {
                IrInst *in = &blk->insts[i];
                uint32_t n = edit_nuses(in);
                for (uint32_t k = 0; k < n; k++) {
                    IrOperand *o = edit_use(in, k);
                    if (o->kind != IR_OPD_VALUE || o->index >= nv)
                        continue;
                    if (!pass) {
                        s->use_off[o->index + 1]++;
                        nuse++;
                    } else {
                        uint32_t at = s->use_off[o->index] + ufill[o->index]++;
                        s->use_blk[at] = b;
                        s->use_inst[at] = i;
                    }
                }
                for (uint32_t k = 0; k < in->ntgt; k++) {
                    uint32_t to = in->tgt[k].block;
                    if (to >= nb)
                        continue;
                    if (!pass) {
                        s->in_off[to + 1]++;
                        nin++;
                    } else {
                        uint32_t at = s->in_off[to] + bfill[to]++;
                        s->in_blk[at] = b;
                        s->in_tgt[at] = k;
                    }
                }
            }
        }
        if (!pass) {
            for (uint32_t v = 0; v < nv; v++)
                s->use_off[v + 1] += s->use_off[v];
            for (uint32_t b = 0; b < nb; b++)
                s->in_off[b + 1] += s->in_off[b];
            s->use_blk = xmalloc(((size_t)nuse + 1) * sizeof *s->use_blk);
            s->use_inst = xmalloc(((size_t)nuse + 1) * sizeof *s->use_inst);
            s->in_blk = xmalloc(((size_t)nin + 1) * sizeof *s->in_blk);
            s->in_tgt = xmalloc(((size_t)nin + 1) * sizeof *s->in_tgt);
        }
        free(ufill);
        free(bfill);
    }
}

bool opt_sccp(OptCtx *oc, IrModule *m, IrFunc *f)
{
    (void)oc;
    (void)m;
    Sccp s = {.f = f};
    uint32_t nv = f->nvals, nb = f->nblocks;
    s.state = xcalloc((size_t)nv + 1, 1);
    s.bits = xcalloc((size_t)nv + 1, sizeof *s.bits);
    s.in_vwork = xcalloc((size_t)nv + 1, sizeof *s.in_vwork);
    s.vwork = xmalloc(((size_t)nv * 3 + 1) * sizeof *s.vwork);
    s.block_exec = xcalloc((size_t)nb + 1, sizeof *s.block_exec);
    s.bwork = xmalloc(((size_t)nb + 1) * sizeof *s.bwork);
    s.edge_exec = xcalloc((size_t)nb + 1, sizeof *s.edge_exec);
    for (uint32_t b = 0; b < nb; b++) {
        IrInst *t = edit_term(f->blocks[b]);
        s.edge_exec[b] = xcalloc(t ? t->ntgt + 1 : 1, sizeof **s.edge_exec);
    }
    build_uses(&s);
    for (uint32_t p = 0; p < f->nparams; p++)
        set_val(&s, f->params[p], BOT, 0);
    s.block_exec[0] = true;
    s.bwork[s.nbwork++] = 0;
    while (s.nbwork || s.nvwork) {
        if (s.nbwork) {
            visit_block(&s, s.bwork[--s.nbwork]);
            continue;
        }
        uint32_t v = s.vwork[--s.nvwork];
        s.in_vwork[v] = false;
        for (uint32_t u = s.use_off[v]; u < s.use_off[v + 1]; u++) {
            uint32_t b = s.use_blk[u];
            if (!s.block_exec[b])
                continue;
            IrInst *in = &f->blocks[b]->insts[s.use_inst[u]];
            eval_inst(&s, b, in);
            /* Arguments feed the parameters of blocks already reached. */
            for (uint32_t k = 0; k < in->ntgt; k++)
                if (s.edge_exec[b][k] && s.block_exec[in->tgt[k].block])
                    for (uint32_t p = 0; p < f->blocks[in->tgt[k].block]->nparams; p++)
                        eval_param(&s, in->tgt[k].block, p);
        }
    }

    /* Replace constants; delete the instructions that computed them. */
    EditSubst sub;
    edit_subst_init(&sub, f);
    bool changed = false;
    for (uint32_t v = 0; v < nv; v++)
        if (s.state[v] == CONST && f->vals[v].type != IR_PTR)
            edit_subst_set(&sub, v, (IrOperand){.kind = IR_OPD_CONST,
                                                .type = f->vals[v].type, .bits = s.bits[v]});
    changed |= edit_subst_apply(&sub, f);
    for (uint32_t b = 0; b < nb; b++) {
        IrBlock *blk = f->blocks[b];
        for (uint32_t i = 0; i < blk->ninsts; i++) {
            IrInst *in = &blk->insts[i];
            if (in->result != IR_NONE && in->result < nv && s.state[in->result] == CONST
                && edit_is_pure_op(in)) {
                edit_kill(in); /* folded without a trap: it cannot trap */
                changed = true;
            }
        }
    }
    edit_sweep(f);
    edit_subst_free(&sub);
    for (uint32_t b = 0; b < nb; b++)
        free(s.edge_exec[b]);
    free(s.edge_exec);
    free(s.state);
    free(s.bits);
    free(s.in_vwork);
    free(s.vwork);
    free(s.block_exec);
    free(s.bwork);
    free(s.use_off);
    free(s.use_blk);
    free(s.use_inst);
    free(s.in_off);
    free(s.in_blk);
    free(s.in_tgt);
    return changed;
}
