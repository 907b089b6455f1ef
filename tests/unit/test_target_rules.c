/* The rules of yearly targets (target_rules.h): a target's value, the one in force, the own
 * target never below the one set above, reached by the score as shown, and who sets which. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "analysis/target_rules.h"

static void test_values(void **state)
{
    (void)state;
    assert_int_equal(target_tenths(3.0, 5), 30);
    assert_int_equal(target_tenths(2.8, 5), 28);
    assert_int_equal(target_tenths(1.0, 5), 10);
    assert_int_equal(target_tenths(5.0, 5), 50);
    assert_int_equal(target_tenths(7.0, 7), 70);
    assert_int_equal(target_tenths(2.35, 5), -1); /* refused, not rounded */
    assert_int_equal(target_tenths(0.9, 5), -1);
    assert_int_equal(target_tenths(5.1, 5), -1);
    assert_int_equal(target_tenths(0.0 / 0.0, 5), -1);
}

static void test_in_force(void **state)
{
    (void)state;
    assert_int_equal(target_effective(-1, -1), -1);
    assert_int_equal(target_effective(29, -1), 29);
    assert_int_equal(target_effective(-1, 35), 35);
    assert_int_equal(target_effective(29, 35), 35);
    assert_int_equal(target_effective(40, 35), 40); /* raised above after the own one */
    assert_true(target_own_allowed(-1, 10));
    assert_true(target_own_allowed(29, 29));
    assert_true(target_own_allowed(29, 35));
    assert_false(target_own_allowed(29, 25));
}

static void test_reached(void **state)
{
    (void)state;
    /* 25/9 = 2.777… is shown 2.8: reaches 2.8, not 2.9 */
    assert_true(target_reached(1, 25.0 / 9.0, 28));
    assert_false(target_reached(1, 25.0 / 9.0, 29));
    /* 2.25 is shown 2.3 (halves up), even as the double 2.2499999999999996 */
    assert_true(target_reached(1, 2.25, 23));
    assert_true(target_reached(1, 2.2499999999999996, 23));
    assert_false(target_reached(1, 2.24, 23));
    assert_false(target_reached(0, 0.0, 10)); /* no figure */
    assert_false(target_reached(1, 3.0, -1)); /* no target */
}

static void test_origin(void **state)
{
    (void)state;
    target_origin o;
    assert_int_equal(target_origin_for(ROLE_MUNICIPAL_COORDINATOR, "/1/7/", "/1/7/12/", &o), 0);
    assert_int_equal(o, TARGET_ABOVE);
    assert_int_equal(target_origin_for(ROLE_MUNICIPAL_COORDINATOR, "/1/7/", "/1/7/", &o), 0);
    assert_int_equal(o, TARGET_OWN);
    assert_int_equal(target_origin_for(ROLE_REGION_COORDINATOR, "/1/", "/1/7/12/", &o), 0);
    assert_int_equal(o, TARGET_ABOVE);
    assert_int_equal(target_origin_for(ROLE_DOO_COORDINATOR, "/1/7/12/", "/1/7/12/", &o), 0);
    assert_int_equal(o, TARGET_OWN);
    assert_int_equal(target_origin_for(ROLE_DOO_COORDINATOR, "/1/7/12/", "/1/7/", &o), -1);
    assert_int_equal(target_origin_for(ROLE_MUNICIPAL_COORDINATOR, "/1/7/", "/1/8/12/", &o), -1);
    assert_int_equal(target_origin_for(ROLE_MUNICIPAL_COORDINATOR, "/1/7/", "/1/77/", &o), -1);
    assert_int_equal(target_origin_for(ROLE_TEACHER, "/1/7/12/", "/1/7/12/", &o), -1);
    assert_int_equal(target_origin_for(ROLE_EXPERT, "/1/7/", "/1/7/12/", &o), -1);
    assert_int_equal(target_origin_for(ROLE_ADMINISTRATOR, "/", "/1/", &o), -1);
    assert_int_equal(target_origin_parse("own", &o), 0);
    assert_int_equal(o, TARGET_OWN);
    assert_int_equal(target_origin_parse("x", &o), -1);
    assert_string_equal(target_origin_name(TARGET_ABOVE), "above");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_in_force),
        cmocka_unit_test(test_reached),
        cmocka_unit_test(test_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
