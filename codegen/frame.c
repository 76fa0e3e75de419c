/* frame.c - stack frame layout, shared by every target with a frame
 * pointer. From the frame pointer down:
 *
 *   [fp - alloca_area, fp)   entry-block allocas of alignment <= 16, each
 *                            followed by its YVMRT_REDZONE red zone
 *   below that               spill slots, then callee-saved save slots
 *   [sp, ...)                dynamic allocas and outgoing stack arguments
 *                            (made by the code itself, below the frame)
 *
 * The frame pointer is 16-byte aligned after the prologue and the frame
 * size is a multiple of 16, so the stack stays aligned at every call.
 * Alloca slots were sized by instruction selection (object + red zone).
 */
#include "codegen/mir.h"

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

void frame_layout(MFunc *f)
{
    uint64_t off = 0;
    for (uint32_t s = f->nslots; s-- > 0;) {
        MSlot *sl = &f->slots[s];
        if (sl->kind != MSLOT_ALLOCA)
            continue;
        off = align_up(off + sl->size, sl->align < 8 ? 8 : sl->align);
        sl->offset = -(int64_t)off;
    }
    off = align_up(off, 16);
    f->alloca_area = off;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t s = 0; s < f->nslots; s++) {
            MSlot *sl = &f->slots[s];
            if (sl->kind == MSLOT_ALLOCA || (pass == 0) != (sl->kind != MSLOT_SAVE))
                continue;
            off = align_up(off + sl->size, sl->align < 8 ? 8 : sl->align);
            sl->offset = -(int64_t)off;
        }
    f->frame_size = align_up(off, 16);
}
