/* yvmrt_start.c - the runtime's one-time set-up: map the shadow, poison
 * the null area, register every object of the yvm_objects tables, read
 * the function table, install the stack-overflow handler.
 *
 * Executables run it from the runtime's main (yvmrt_main.c); objects
 * linked into a C program get it from the constructor below, before C's
 * main runs. Whichever comes first does the work; the other returns.
 */
#include "yvmrt_internal.h"

extern const YvmrtObject __start_yvm_objects[] __attribute__((weak));
extern const YvmrtObject __stop_yvm_objects[] __attribute__((weak));

static bool set_up;

static void register_objects(void)
{
    const YvmrtObject *b = __start_yvm_objects, *e = __stop_yvm_objects;
    if (!b || !e || e <= b)
        return;
    /* Red zones first, then the objects: should a red zone ever overlap
     * the next object, the object wins. */
    for (const YvmrtObject *o = b; o < e; o++) {
        yvmrt_shadow_mark_redzone_after(o->base, o->size);
        if ((o->flags & YVMRT_OBJ_REDZONE_BEFORE) && o->base >= YVMRT_REDZONE)
            yvmrt_shadow_fill((o->base & ~7ULL) - YVMRT_REDZONE, o->base & ~7ULL,
                              YVMRT_SHADOW_REDZONE);
    }
    for (const YvmrtObject *o = b; o < e; o++)
        yvmrt_shadow_mark_object(o->base, o->size, o->flags & YVMRT_OBJ_READONLY);
}

void yvmrt_setup(void)
{
    if (set_up)
        return;
    set_up = true;
    if (!yvmrt_shadow_map())
        yvmrt_fatal("cannot map the shadow memory at 0x7fff8000 (is the program "
                    "built with AddressSanitizer, or is virtual memory limited?)");
    yvmrt_shadow_fill(0, YVMRT_NULL_AREA, YVMRT_SHADOW_REDZONE);
    register_objects();
    yvmrt_funcs_init();
    yvmrt_stack_handler_install();
    yvmrt_stack_guard_main_thread();
}

__attribute__((constructor(101))) static void yvmrt_constructor(void)
{
    yvmrt_setup();
}
