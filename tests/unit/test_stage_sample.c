/* The campaign sample: stratified by municipality with at least one each, deterministic
 * for a seed and independent of input order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "campaigns/stage_sample.h"

static int setup(void **state)
{
    arena *a = malloc(sizeof *a);
    if (!a)
        return -1;
    arena_init(a, 4096);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    arena_destroy(*state);
    free(*state);
    return 0;
}

/* 3 strata of 25, 9 and 1 units, ids 100.. */
static size_t fill(sample_unit *u)
{
    size_t n = 0;
    for (int i = 0; i < 25; i++)
        u[n] = (sample_unit){100 + n, 1, 0}, n++;
    for (int i = 0; i < 9; i++)
        u[n] = (sample_unit){100 + n, 2, 0}, n++;
    u[n] = (sample_unit){100 + n, 3, 0}, n++;
    return n;
}

static size_t chosen_in(const sample_unit *u, size_t n, uint64_t stratum)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += u[i].stratum == stratum && u[i].chosen;
    return c;
}

static void test_quota(void **state)
{
    (void)state;
    assert_int_equal(sample_stratum_quota(25, 10), 3); /* 2.5 rounds up */
    assert_int_equal(sample_stratum_quota(9, 10), 1);
    assert_int_equal(sample_stratum_quota(1, 10), 1);
    assert_int_equal(sample_stratum_quota(0, 10), 0);
    assert_int_equal(sample_stratum_quota(7, 100), 7);
    assert_int_equal(sample_stratum_quota(40, 12.5), 5);
}

static void test_stratified(void **state)
{
    sample_unit u[40];
    size_t n = fill(u);
    assert_int_equal(sample_draw(*state, u, n, 10, 42), 5);
    assert_int_equal(chosen_in(u, n, 1), 3);
    assert_int_equal(chosen_in(u, n, 2), 1);
    assert_int_equal(chosen_in(u, n, 3), 1);
}

static void test_deterministic_and_order_free(void **state)
{
    sample_unit a[40], b[40];
    size_t n = fill(a);
    fill(b);
    /* b reversed */
    for (size_t i = 0; i < n / 2; i++) {
        sample_unit t = b[i];
        b[i] = b[n - 1 - i];
        b[n - 1 - i] = t;
    }
    sample_draw(*state, a, n, 30, 7);
    sample_draw(*state, b, n, 30, 7);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (a[i].id == b[j].id)
                assert_int_equal(a[i].chosen, b[j].chosen);
    /* another seed gives another sample of the same sizes */
    sample_unit c[40];
    fill(c);
    sample_draw(*state, c, n, 30, 8);
    int differs = 0;
    for (size_t i = 0; i < n; i++)
        differs |= a[i].chosen != c[i].chosen;
    assert_true(differs);
    assert_int_equal(chosen_in(c, n, 1), chosen_in(a, n, 1));
}

static void test_bad_percent(void **state)
{
    sample_unit u[40];
    size_t n = fill(u);
    assert_int_equal(sample_draw(*state, u, n, 0, 1), -1);
    assert_int_equal(sample_draw(*state, u, n, 100.5, 1), -1);
    assert_int_equal(sample_draw(*state, u, n, 100, 1), (long)n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota),
        cmocka_unit_test_setup_teardown(test_stratified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic_and_order_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_percent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
