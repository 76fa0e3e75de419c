/* test_main.c - runs every unit-test suite of the IR core. */
#include <stdlib.h>
#include <string.h>

#include "tests.h"

IrModule *test_parse(IrCtx *ctx, const char *text)
{
    IrSource src = {.name = "test.yvm", .data = (const uint8_t *)text, .len = strlen(text)};
    return ir_read_text(ctx, &src);
}

int main(void)
{
    SRunner *sr = srunner_create(builder_suite());
    srunner_add_suite(sr, print_suite());
    srunner_add_suite(sr, verify_suite());
    srunner_add_suite(sr, binary_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
