/* embed.c - embedding libyvm: build IR through the API, run it, let it
 * call back into the host, and get a trap back as an error status.
 *
 * Build against an installed libyvm:
 *   cc embed.c $(pkg-config --cflags --libs yvm) -o embed
 *
 * The module it builds is, in text form:
 *
 *   extern func @host_scale(i64) -> i64
 *   export func @sum_to(i64 %n) -> i64 {
 *   entry:
 *     br loop(1, 0)
 *   loop(i64 %i, i64 %acc):
 *     %acc2 = add i64 %acc, %i
 *     %i2 = add i64 %i, 1
 *     %more = icmp sle i64 %i2, %n
 *     condbr %more, loop(%i2, %acc2), done
 *   done:
 *     %r = call @host_scale(i64 %acc2)
 *     ret %r
 *   }
 *   export func @div(i32 %a, i32 %b) -> i32 {
 *   entry:
 *     %q = sdiv i32 %a, %b
 *     ret %q
 *   }
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "yvm.h"

/* Called from IR through `extern func @host_scale(i64) -> i64`. */
static int64_t host_scale(int64_t x) { return x * 10; }

static void build(yvm_module *m)
{
    yvm_type i64 = YVM_I64;
    yvm_extern_new(m, "host_scale", YVM_I64, 1, &i64, 0);

    yvm_func *f = yvm_func_new(m, "sum_to", YVM_I64, YVM_ATTR_EXPORT);
    uint32_t n = yvm_func_param(m, f, YVM_I64, "n");
    yvm_block *entry = yvm_block_new(m, f, "entry");
    yvm_block *loop = yvm_block_new(m, f, "loop");
    yvm_block *done = yvm_block_new(m, f, "done");
    uint32_t i = yvm_block_param(m, f, loop, YVM_I64, "i");
    uint32_t acc = yvm_block_param(m, f, loop, YVM_I64, "acc");

    yvm_operand start[] = {yvm_op_int(YVM_I64, 1), yvm_op_int(YVM_I64, 0)};
    yvm_br(m, f, entry, (yvm_target){loop, 2, start});

    uint32_t acc2 = yvm_binary(m, f, loop, YVM_OP_ADD, YVM_I64, yvm_op_value(f, acc),
                               yvm_op_value(f, i), "acc2");
    uint32_t i2 = yvm_binary(m, f, loop, YVM_OP_ADD, YVM_I64, yvm_op_value(f, i),
                             yvm_op_int(YVM_I64, 1), "i2");
    uint32_t more = yvm_icmp(m, f, loop, YVM_ICMP_SLE, YVM_I64, yvm_op_value(f, i2),
                             yvm_op_value(f, n), "more");
    yvm_operand next[] = {yvm_op_value(f, i2), yvm_op_value(f, acc2)};
    yvm_condbr(m, f, loop, yvm_op_value(f, more), (yvm_target){loop, 2, next},
               (yvm_target){done, 0, NULL});

    yvm_operand arg = yvm_op_value(f, acc2);
    uint32_t r = yvm_call(m, f, done, "host_scale", 1, &arg, "r");
    yvm_operand rv = yvm_op_value(f, r);
    yvm_ret(m, done, &rv);

    yvm_func *g = yvm_func_new(m, "div", YVM_I32, YVM_ATTR_EXPORT);
    uint32_t a = yvm_func_param(m, g, YVM_I32, "a");
    uint32_t b = yvm_func_param(m, g, YVM_I32, "b");
    yvm_block *ge = yvm_block_new(m, g, "entry");
    uint32_t q = yvm_binary(m, g, ge, YVM_OP_SDIV, YVM_I32, yvm_op_value(g, a),
                            yvm_op_value(g, b), "q");
    yvm_operand qv = yvm_op_value(g, q);
    yvm_ret(m, ge, &qv);
}

int main(void)
{
    yvm_ctx *ctx = yvm_ctx_new();
    if (!ctx)
        return 1;
    int status = 1;
    if (yvm_add_symbol(ctx, "host_scale", (yvm_host_fn)host_scale) != YVM_OK)
        goto out;
    yvm_module *m = yvm_module_new(ctx, "embed");
    if (!m)
        goto out;
    build(m);

    /* sum_to(10) = 55, scaled by the host to 550. */
    yvm_value arg = yvm_int(YVM_I64, 10), res;
    if (yvm_run(m, "sum_to", &arg, 1, &res) != YVM_OK) {
        fprintf(stderr, "embed: %s\n", yvm_last_error(ctx));
        goto out;
    }
    printf("sum_to(10) = %" PRId64 "\n", (int64_t)res.as.i);

    /* 84 / 2, then a division by zero: the trap comes back as a status. */
    yvm_value args[2] = {yvm_int(YVM_I32, 84), yvm_int(YVM_I32, 2)};
    if (yvm_run(m, "div", args, 2, &res) != YVM_OK)
        goto out;
    printf("div(84, 2) = %" PRId32 "\n", (int32_t)res.as.i);
    args[1] = yvm_int(YVM_I32, 0);
    yvm_status st = yvm_run(m, "div", args, 2, &res);
    printf("div(84, 0) -> %s: %s\n", yvm_status_name(st), yvm_last_error(ctx));
    status = st == YVM_TRAP ? 0 : 1;
out:
    if (status)
        fprintf(stderr, "embed: %s\n", yvm_last_error(ctx));
    yvm_ctx_free(ctx);
    return status;
}
