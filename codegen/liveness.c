/* liveness.c - which registers are live into and out of each machine
 * block (backward dataflow over bit sets of all registers, physical
 * first), and the linear numbering of instructions that live intervals
 * use: instruction k (counting through the blocks in layout order)
 * reads at position 2k and writes at 2k+1.
 *
 * The layout order is the emitter's: block 0, then the blocks by IR
 * block (group) and index, cold blocks last. So the blocks selected for
 * one IR block are contiguous, and a loop's blocks (but its cold paths)
 * are too, which keeps a split interval's pieces from alternating
 * inside a loop. */
#include <stdlib.h>
#include <string.h>

#include "codegen/mir.h"

void mir_liveness(const MFunc *f, MLiveness *lv)
{
    uint32_t nregs = MIR_FIRST_VREG + f->nvregs;
    uint32_t W = (nregs + 63) / 64;
    uint32_t nb = f->nblocks;
    lv->nwords = W;
    lv->live_in = calloc((size_t)nb * W + 1, sizeof(uint64_t));
    lv->live_out = calloc((size_t)nb * W + 1, sizeof(uint64_t));
    uint64_t *gen = calloc((size_t)nb * W + 1, sizeof(uint64_t));
    uint64_t *kill = calloc((size_t)nb * W + 1, sizeof(uint64_t));
    lv->block_start = calloc(nb + 1, sizeof(uint32_t));
    lv->block_end = calloc(nb + 1, sizeof(uint32_t));
    lv->order = calloc(nb + 1, sizeof(uint32_t));
    if (!lv->live_in || !lv->live_out || !gen || !kill || !lv->block_start || !lv->block_end ||
        !lv->order)
        exit(1);
    mir_layout_order(f, lv->order);
    uint32_t pos = 0;
    uint32_t use[MIR_MAX_DU], def[MIR_MAX_DU];
    unsigned nuse, ndef;
    for (uint32_t rank = 0; rank < nb; rank++) {
        uint32_t b = lv->order[rank];
        const MBlock *bl = &f->blocks[b];
        lv->block_start[b] = pos;
        uint64_t *g = gen + (size_t)b * W, *k = kill + (size_t)b * W;
        for (uint32_t i = 0; i < bl->n; i++) {
            mir_def_use(f, &bl->insts[i], use, &nuse, def, &ndef);
            for (unsigned j = 0; j < nuse; j++)
                if (!mlive_has(k, use[j]))
                    g[use[j] >> 6] |= 1ull << (use[j] & 63);
            for (unsigned j = 0; j < ndef; j++)
                k[def[j] >> 6] |= 1ull << (def[j] & 63);
        }
        pos += 2 * bl->n;
        lv->block_end[b] = pos ? pos - 1 : 0;
        if (bl->n == 0)
            lv->block_end[b] = lv->block_start[b];
    }
    lv->npos = pos;
    uint32_t succ[64];
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t bb = nb; bb-- > 0;) {
            uint64_t *out = lv->live_out + (size_t)bb * W, *in = lv->live_in + (size_t)bb * W;
            unsigned ns = mir_succs(f, bb, succ, 64);
            for (unsigned s = 0; s < ns; s++) {
                const uint64_t *sin = lv->live_in + (size_t)succ[s] * W;
                for (uint32_t w = 0; w < W; w++)
                    out[w] |= sin[w];
            }
            const uint64_t *g = gen + (size_t)bb * W, *k = kill + (size_t)bb * W;
            for (uint32_t w = 0; w < W; w++) {
                uint64_t v = g[w] | (out[w] & ~k[w]);
                if (v != in[w]) {
                    in[w] = v;
                    changed = true;
                }
            }
        }
    }
    free(gen);
    free(kill);
}

void mir_liveness_free(MLiveness *lv)
{
    free(lv->live_in);
    free(lv->live_out);
    free(lv->block_start);
    free(lv->block_end);
    free(lv->order);
    memset(lv, 0, sizeof *lv);
}
