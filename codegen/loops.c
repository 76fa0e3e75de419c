/* loops.c - loop nesting depth of each machine block, for the register
 * allocator's spill costs: a use inside a loop runs many times, so a
 * value used there is worth a register more than one used outside.
 *
 * Back edges are the edges a depth-first walk from the entry finds going
 * to a block still on its stack; a loop is the natural loop of its header
 * (every block that reaches one of the header's back-edge sources without
 * passing the header). A block's depth is the number of loops holding it.
 * Unreachable blocks have depth 0.
 */
#include <stdlib.h>

#include "codegen/mir.h"

#define MAX_SUCCS 64

void mir_loop_depth(const MFunc *f, uint8_t *depth)
{
    uint32_t nb = f->nblocks;
    for (uint32_t b = 0; b < nb; b++)
        depth[b] = 0;
    if (nb == 0)
        return;
    /* Successor and predecessor lists. */
    uint32_t *nsucc = calloc(nb, sizeof *nsucc), *succ = malloc((size_t)nb * MAX_SUCCS * sizeof *succ);
    uint32_t *npred = calloc(nb + 1, sizeof *npred), *pstart = calloc(nb + 1, sizeof *pstart);
    uint8_t *state = calloc(nb, 1);
    bool *is_header = calloc(nb, sizeof *is_header);
    uint32_t *stack = malloc((nb + 1) * sizeof *stack), *next = calloc(nb, sizeof *next);
    uint32_t *stamp = calloc(nb, sizeof *stamp);
    if (!nsucc || !succ || !npred || !pstart || !state || !is_header || !stack || !next || !stamp)
        exit(1);
    uint32_t nedges = 0;
    for (uint32_t b = 0; b < nb; b++) {
        nsucc[b] = mir_succs(f, b, succ + (size_t)b * MAX_SUCCS, MAX_SUCCS);
        for (uint32_t k = 0; k < nsucc[b]; k++)
            npred[succ[(size_t)b * MAX_SUCCS + k]]++;
        nedges += nsucc[b];
    }
    for (uint32_t b = 0; b < nb; b++)
        pstart[b + 1] = pstart[b] + npred[b];
    uint32_t *pred = malloc((nedges + 1) * sizeof *pred), *fill = calloc(nb, sizeof *fill);
    uint32_t *back_src = malloc((nedges + 1) * sizeof *back_src), *back_hdr = malloc((nedges + 1) * sizeof *back_hdr);
    if (!pred || !fill || !back_src || !back_hdr)
        exit(1);
    for (uint32_t b = 0; b < nb; b++)
        for (uint32_t k = 0; k < nsucc[b]; k++) {
            uint32_t s = succ[(size_t)b * MAX_SUCCS + k];
            pred[pstart[s] + fill[s]++] = b;
        }
    /* Depth-first walk: state 1 = on the stack, 2 = finished. */
    uint32_t sp = 0, nback = 0;
    stack[sp++] = 0;
    state[0] = 1;
    while (sp) {
        uint32_t b = stack[sp - 1];
        if (next[b] < nsucc[b]) {
            uint32_t s = succ[(size_t)b * MAX_SUCCS + next[b]++];
            if (state[s] == 0) {
                state[s] = 1;
                stack[sp++] = s;
            } else if (state[s] == 1) {
                back_src[nback] = b;
                back_hdr[nback++] = s;
                is_header[s] = true;
            }
        } else {
            state[b] = 2;
            sp--;
        }
    }
    /* Each header's natural loop, walked backwards from its back-edge
     * sources; STAMP marks the blocks already counted for this header. */
    for (uint32_t h = 0; h < nb; h++) {
        if (!is_header[h])
            continue;
        uint32_t mark = h + 1;
        stamp[h] = mark;
        if (depth[h] < 255)
            depth[h]++;
        sp = 0;
        for (uint32_t e = 0; e < nback; e++)
            if (back_hdr[e] == h && stamp[back_src[e]] != mark) {
                stamp[back_src[e]] = mark;
                if (depth[back_src[e]] < 255)
                    depth[back_src[e]]++;
                stack[sp++] = back_src[e];
            }
        while (sp) {
            uint32_t b = stack[--sp];
            for (uint32_t k = pstart[b]; k < pstart[b + 1]; k++) {
                uint32_t p = pred[k];
                if (stamp[p] == mark || state[p] == 0)
                    continue;
                stamp[p] = mark;
                if (depth[p] < 255)
                    depth[p]++;
                stack[sp++] = p;
            }
        }
    }
    free(nsucc);
    free(succ);
    free(npred);
    free(pstart);
    free(state);
    free(is_header);
    free(stack);
    free(next);
    free(stamp);
    free(pred);
    free(fill);
    free(back_src);
    free(back_hdr);
}
