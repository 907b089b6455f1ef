/* Unit tests for the date rule of stages, campaigns and plan tasks (stage_date_valid). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "campaigns/stage_kinds.h"

static void test_calendar_dates(void **state)
{
    (void)state;
    assert_true(stage_date_valid("2026-12-01"));
    assert_true(stage_date_valid("2026-01-31"));
    assert_true(stage_date_valid("2028-02-29")); /* leap year */
    assert_true(stage_date_valid("2000-02-29")); /* divisible by 400 */
    assert_false(stage_date_valid("2026-02-29"));
    assert_false(stage_date_valid("2100-02-29")); /* divisible by 100, not 400 */
    assert_false(stage_date_valid("2026-02-30"));
    assert_false(stage_date_valid("2026-04-31"));
    assert_false(stage_date_valid("2026-13-01"));
    assert_false(stage_date_valid("2026-00-10"));
    assert_false(stage_date_valid("2026-01-00"));
    assert_false(stage_date_valid("0999-01-01"));
}

static void test_shapes(void **state)
{
    (void)state;
    assert_false(stage_date_valid(NULL));
    assert_false(stage_date_valid(""));
    assert_false(stage_date_valid("31.12.2026"));
    assert_false(stage_date_valid("2026-1-01"));
    assert_false(stage_date_valid("2026-01-01T00:00"));
    assert_false(stage_date_valid("2026/01/01"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_dates),
        cmocka_unit_test(test_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
