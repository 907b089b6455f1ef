/* The storage warning levels (evidence_storage.c): 80 and 95 per cent of the quota reached,
 * exact at the boundary, without overflow for the largest sizes, nothing without a quota. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <limits.h>

#include "evidence/evidence_storage.h"

static void thresholds(void **state)
{
    (void)state;
    const long long q = 50LL * 1000 * 1000 * 1000;
    assert_int_equal(storage_level(0, q), 0);
    assert_int_equal(storage_level(q / 100 * 80 - 1, q), 0);
    assert_int_equal(storage_level(q / 100 * 80, q), 80);
    assert_int_equal(storage_level(q / 100 * 95 - 1, q), 80);
    assert_int_equal(storage_level(q / 100 * 95, q), 95);
    assert_int_equal(storage_level(q * 2, q), 95);
}

static void small_and_odd_quotas(void **state)
{
    (void)state;
    /* 80 % of 7 bytes is 5.6: 5 bytes are below, 6 above */
    assert_int_equal(storage_level(5, 7), 0);
    assert_int_equal(storage_level(6, 7), 80);
    assert_int_equal(storage_level(6, 6), 95);
    assert_int_equal(storage_level(79, 100), 0);
    assert_int_equal(storage_level(80, 100), 80);
    assert_int_equal(storage_level(95, 100), 95);
}

static void no_overflow_and_no_quota(void **state)
{
    (void)state;
    assert_int_equal(storage_level(LLONG_MAX, LLONG_MAX), 95);
    assert_int_equal(storage_level(LLONG_MAX / 2, LLONG_MAX), 0);
    assert_int_equal(storage_level(123, 0), 0);
    assert_int_equal(storage_level(123, -1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thresholds),
        cmocka_unit_test(small_and_odd_quotas),
        cmocka_unit_test(no_overflow_and_no_quota),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
