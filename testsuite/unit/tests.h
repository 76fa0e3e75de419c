/* tests.h - the unit-test suites, one per IR part, gathered by test_main.c,
 * and small helpers they share. */
#ifndef YVM_TESTS_H
#define YVM_TESTS_H

#include <check.h>

#include "ir.h"

Suite *builder_suite(void);
Suite *print_suite(void);
Suite *verify_suite(void);
Suite *binary_suite(void);

/* Parse IR text from a string (no verification); NULL on errors, with the
 * first error message left in ctx->first_error. */
IrModule *test_parse(IrCtx *ctx, const char *text);

#endif
