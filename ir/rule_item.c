/* rule_item.c - rule items of IR modules (`rule NAME { ... }`, IrRule in
 * ir.h, docs/rules.md "Rules in modules").
 *
 * Both readers hand a rule item's bytes to the rule language's reader
 * (ir/rule_parse.c), which checks them completely (syntax, names,
 * types, widths); the module keeps the rule's canonical braced text, so
 * the printer and the binary writer simply copy it and every spelling of
 * a rule prints and encodes the same way. Nothing here proves anything:
 * the optimiser does (opt/rewrite.c). */
#include "rule_item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* "msg" from ":L:C: error: msg" (a rule reader's first error under an
 * unnamed source), with its location. */
static char *split_message(const char *first, IrLoc *loc)
{
    unsigned line = 0, col = 0;
    int used = 0;
    *loc = (IrLoc){0, 0};
    if (first && sscanf(first, ":%u:%u: error: %n", &line, &col, &used) == 2 && used > 0) {
        *loc = (IrLoc){line, col};
        return strdup(first + used);
    }
    const char *p = first ? strstr(first, "error: ") : NULL;
    return strdup(p ? p + 7 : first ? first : "malformed rule");
}

bool ir_rule_item_read(IrModule *m, const IrSource *src, size_t start, size_t end,
                       IrLoc at, IrLoc *err_loc, char **err)
{
    *err = NULL;
    *err_loc = at;
    IrCtx *pctx = ir_ctx_new();
    if (!pctx) {
        *err = strdup("out of memory");
        return false;
    }
    pctx->max_errors = 1;
    IrSource tmp = {.name = "", .data = src->data, .len = src->len};
    RuleSet *set = rule_parse_range(pctx, &tmp, start, end, at);
    bool ok = false;
    if (!set) {
        *err = split_message(pctx->first_error, err_loc);
        if (err_loc->line == 0)
            *err_loc = at;
    } else if (set->nrules != 1) {
        *err = strdup(set->nrules ? "a rule item holds one rule" : "a rule item holds no rule");
    } else {
        const Rule *r = set->rules[0];
        for (uint32_t i = 0; i < m->nrules; i++)
            if (strcmp(m->rules[i].name, r->name) == 0) {
                char buf[200];
                snprintf(buf, sizeof buf, "rule '%.100s' is defined twice", r->name);
                *err = strdup(buf);
                *err_loc = r->loc;
            }
        char *text = *err ? NULL : rule_print_item(r);
        if (text) {
            size_t n = strlen(text);
            IrRule item = {.name = arena_strdup(&m->arena, r->name),
                           .text = arena_strndup(&m->arena, text, n),
                           .len = (uint32_t)n, .loc = at};
            ARENA_PUSH(&m->arena, m->rules, m->nrules, m->caprules, item);
            free(text);
            ok = true;
        } else if (!*err) {
            *err = strdup("out of memory");
        }
    }
    rule_set_free(set);
    ir_ctx_free(pctx);
    return ok;
}

bool ir_module_add_rule(IrModule *m, const char *text, size_t len, char **err)
{
    IrSource src = {.name = "", .data = (const uint8_t *)text, .len = len};
    IrLoc loc;
    bool ok = ir_rule_item_read(m, &src, 0, len, (IrLoc){1, 1}, &loc, err);
    if (!ok && *err && loc.line) {
        char *msg = *err;
        size_t n = strlen(msg) + 32;
        *err = malloc(n);
        if (*err)
            snprintf(*err, n, "%u:%u: %s", loc.line, loc.col, msg);
        free(msg);
    }
    if (ok)
        m->rules[m->nrules - 1].loc = (IrLoc){0, 0};
    return ok;
}
