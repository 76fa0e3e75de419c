/* rule_print.c - the canonical text of a rule (rule.h).
 *
 * The text re-reads to the same rule: every type variable is declared
 * with its widths, binary operators are fully parenthesised, spacing is
 * fixed. The prover hashes it, with the widths, to key its cache, so two
 * spellings of one rule share their proofs and any change to a rule makes
 * a new key. */
#include "rule.h"

#include <stdio.h>

#include "strbuf.h"

static const char *const binop_text[RB_COUNT] = {
    [RB_ADD] = "+", [RB_SUB] = "-", [RB_MUL] = "*", [RB_AND] = "&", [RB_OR] = "|",
    [RB_XOR] = "^", [RB_SHL] = "<<", [RB_EQ] = "==", [RB_NE] = "!=", [RB_ULT] = "u<",
    [RB_ULE] = "u<=", [RB_UGT] = "u>", [RB_UGE] = "u>=", [RB_SLT] = "s<",
    [RB_SLE] = "s<=", [RB_SGT] = "s>", [RB_SGE] = "s>=", [RB_LAND] = "&&", [RB_LOR] = "||",
};

static void print_type(StrBuf *b, const Rule *r, RuleType t)
{
    if (t.var != RULE_NO_TYPEVAR)
        sb_puts(b, r->typevars[t.var].name);
    else
        sb_printf(b, "i%u", t.bits);
}

static void print_expr(StrBuf *b, const Rule *r, const RuleExpr *e)
{
    switch (e->kind) {
    case RX_LIT: sb_printf(b, "%s%llu", e->neg ? "-" : "", (unsigned long long)e->mag); return;
    case RX_CONST: sb_puts(b, r->consts[e->index].name); return;
    case RX_VALUE: sb_printf(b, "%%%s", r->values[e->index].name); return;
    case RX_WIDTH:
        sb_puts(b, "width");
        if (e->has_wtype) {
            sb_puts(b, "(");
            print_type(b, r, e->wtype);
            sb_puts(b, ")");
        }
        return;
    case RX_INTMIN: sb_puts(b, "intmin"); return;
    case RX_INTMAX: sb_puts(b, "intmax"); return;
    case RX_UNARY:
        sb_printf(b, "%c", e->op);
        print_expr(b, r, e->args[0]);
        return;
    case RX_BINARY:
        sb_puts(b, "(");
        print_expr(b, r, e->args[0]);
        sb_printf(b, " %s ", binop_text[e->op]);
        print_expr(b, r, e->args[1]);
        sb_puts(b, ")");
        return;
    case RX_CALL:
        sb_printf(b, "%s(", rule_func_info[e->op].name);
        for (unsigned i = 0; i < e->nargs; i++) {
            if (i)
                sb_puts(b, ", ");
            print_expr(b, r, e->args[i]);
        }
        sb_puts(b, ")");
        return;
    default: return;
    }
}

static void print_operand(StrBuf *b, const Rule *r, const RuleOperand *o)
{
    if (o->kind == RO_VALUE)
        sb_printf(b, "%%%s", r->values[o->value].name);
    else
        print_expr(b, r, o->expr);
}

static void print_inst(StrBuf *b, const Rule *r, const RuleInst *in)
{
    sb_printf(b, "  %%%s = ", r->values[in->result].name);
    if (in->op == RULE_OP_COPY) {
        print_operand(b, r, &in->opd[0]);
        sb_puts(b, "\n");
        return;
    }
    sb_printf(b, "%s ", ir_op_info[in->op].name);
    if (in->op == IR_ICMP)
        sb_printf(b, "%s ", ir_icond_name((IrICond)in->cond));
    print_type(b, r, in->type);
    for (unsigned i = 0; i < in->nopd; i++) {
        sb_puts(b, i ? ", " : " ");
        print_operand(b, r, &in->opd[i]);
    }
    if (in->op == IR_ZEXT || in->op == IR_SEXT || in->op == IR_TRUNC) {
        sb_puts(b, " to ");
        print_type(b, r, in->type2);
    }
    sb_puts(b, "\n");
}

static char *print_rule(const Rule *r, bool braced)
{
    StrBuf b = {0};
    sb_printf(&b, "rule %s%s\n", r->name, braced ? " {" : "");
    for (unsigned i = 0; i < r->ntypevars; i++) {
        sb_printf(&b, "  widths %s =", r->typevars[i].name);
        const char *sep = " ";
        for (int w = 0; w < RULE_NWIDTHS; w++)
            if (r->typevars[i].widths >> w & 1) {
                sb_printf(&b, "%s%u", sep, rule_width_list[w]);
                sep = ", ";
            }
        sb_puts(&b, "\n");
    }
    static const char *const where_ops[] = {"<", "<=", ">", ">=", "==", "!="};
    for (unsigned i = 0; i < r->nwheres; i++) {
        sb_puts(&b, "  where ");
        print_type(&b, r, r->wheres[i].a);
        sb_printf(&b, " %s ", where_ops[r->wheres[i].op]);
        print_type(&b, r, r->wheres[i].b);
        sb_puts(&b, "\n");
    }
    if (r->pre) {
        sb_puts(&b, "  pre ");
        print_expr(&b, r, r->pre);
        sb_puts(&b, "\n");
    }
    for (uint32_t i = 0; i < r->nsrc; i++)
        print_inst(&b, r, &r->src[i]);
    sb_puts(&b, "=>\n");
    for (uint32_t i = 0; i < r->ntgt; i++)
        print_inst(&b, r, &r->tgt[i]);
    if (braced)
        sb_puts(&b, "}\n");
    return sb_take(&b);
}

char *rule_print(const Rule *r)
{
    return print_rule(r, false);
}

char *rule_print_item(const Rule *r)
{
    return print_rule(r, true);
}

char *rule_print_expr(const Rule *r, const RuleExpr *e)
{
    StrBuf b = {0};
    print_expr(&b, r, e);
    return sb_take(&b);
}
