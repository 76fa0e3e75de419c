/* test_prover.c - runs the prover's unit-test suites, and the helpers
 * they share. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "test_prover.h"

/* The set keeps a pointer to its source: keep both in one allocation. */
typedef struct Owned {
    IrSource src;
    RuleSet *set;
} Owned;

RuleSet *test_rules(IrCtx *ctx, const char *text)
{
    size_t len = strlen(text);
    Owned *o = malloc(sizeof *o);
    uint8_t *bytes = malloc(len ? len : 1); /* exact: no terminator to lean on */
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_nonnull(bytes);
    memcpy(bytes, text, len);
    o->src = (IrSource){.name = "test.yvmr", .data = bytes, .len = len};
    o->set = rule_parse(ctx, &o->src);
    if (!o->set) {
        free(bytes);
        free(o);
        return NULL;
    }
    return o->set; /* set->src points into o: test_rules_free finds it */
}

void test_rules_free(RuleSet *set)
{
    if (!set)
        return;
    Owned *o = (Owned *)((const char *)set->src - offsetof(Owned, src));
    free((void *)o->src.data);
    rule_set_free(set);
    free(o);
}

int main(void)
{
    SRunner *sr = srunner_create(rule_reader_suite());
    srunner_add_suite(sr, encoding_suite());
    srunner_add_suite(sr, proof_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
