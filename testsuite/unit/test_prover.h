/* test_prover.h - the prover's unit-test suites (test_prover check
 * program): the rule reader, concrete evaluation, the SMT encoding
 * against a plain C model of the spec, and proofs. */
#ifndef YVM_TEST_PROVER_H
#define YVM_TEST_PROVER_H

#include <check.h>

#include "prover.h"
#include "rule.h"

Suite *rule_reader_suite(void);
Suite *encoding_suite(void);
Suite *proof_suite(void);

/* Parse rule text (not NUL-terminated: the bytes are copied into an exact
 * buffer); NULL on errors, with the first message in ctx->first_error.
 * Free with test_rules_free. */
RuleSet *test_rules(IrCtx *ctx, const char *text);
void test_rules_free(RuleSet *set);

#endif
