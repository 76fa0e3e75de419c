/* placeholder */
#include "tests.h"
START_TEST(t_placeholder) { ck_assert_int_eq(1, 1); }
END_TEST
Suite *builder_suite(void) { Suite *s = suite_create("builder"); TCase *tc = tcase_create("p"); tcase_add_test(tc, t_placeholder); suite_add_tcase(s, tc); return s; }
