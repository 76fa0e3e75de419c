/* rule_item.h - reading rule items for the IR readers (ir/rule_item.c).
 * ir_module_add_rule (ir.h) is the public form. */
#ifndef YVM_RULE_ITEM_H
#define YVM_RULE_ITEM_H

#include "ir.h"

/* Read the rule item in bytes [start, end) of src (the `rule` keyword to
 * the closing brace), numbered from `at`, and append it to m->rules.
 * On failure: false, *err_loc and *err (malloc'd message, no location). */
bool ir_rule_item_read(IrModule *m, const IrSource *src, size_t start, size_t end,
                       IrLoc at, IrLoc *err_loc, char **err);

#endif
