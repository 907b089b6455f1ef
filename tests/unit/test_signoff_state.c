/* Unit tests for the sign-off rule (signoff_state.c) and the status bands' proposal
 * (status_bands.c): each level confirms in turn, a send-back goes one step down, the
 * kindergarten resubmits; a band is proposed when every minimum is met on the shown score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis/signoff_state.h"
#include "analysis/status_bands.h"

#include <string.h>

static signoff_state chain_of(const char *levels, int ready)
{
    signoff_state s;
    memset(&s, 0, sizeof s);
    assert_int_equal(signoff_chain_parse(levels, &s.chain), 0);
    s.ready = ready;
    return s;
}

static void test_chains(void **state)
{
    (void)state;
    signoff_chain c;
    assert_int_equal(signoff_chain_parse("municipality,region", &c), 0);
    assert_int_equal(signoff_chain_parse("region", &c), 0);
    assert_int_equal(signoff_chain_parse("region,municipality", &c), -1); /* bottom up only */
    assert_int_equal(signoff_chain_parse("region,region", &c), -1);
    assert_int_equal(signoff_chain_parse("", &c), -1);
    assert_int_equal(signoff_chain_parse("kindergarten", &c), -1);
}

static void test_confirm_in_turn(void **state)
{
    (void)state;
    signoff_state s = chain_of("municipality,region", 0);
    assert_string_equal(signoff_state_name(&s), "not_ready");
    assert_false(signoff_may_confirm(&s, "municipality")); /* not ready */
    s.ready = 1;
    assert_string_equal(signoff_state_name(&s), "awaiting");
    assert_false(signoff_may_confirm(&s, "region"));
    assert_true(signoff_may_confirm(&s, "municipality"));
    signoff_apply_confirm(&s);
    assert_string_equal(signoff_waiting_for(&s), "region");
    s.ready = 0; /* only the first confirmation needs the kindergarten ready */
    assert_true(signoff_may_confirm(&s, "region"));
    signoff_apply_confirm(&s);
    assert_true(signoff_confirmed(&s));
    assert_null(signoff_waiting_for(&s));
    assert_false(signoff_may_confirm(&s, "region"));
    assert_true(signoff_may_return(&s, "region")); /* the top level takes it back */
    assert_false(signoff_may_return(&s, "municipality"));
}

static void test_send_back(void **state)
{
    (void)state;
    signoff_state s = chain_of("municipality,region", 1);
    signoff_apply_confirm(&s);
    signoff_apply_return(&s, "region");
    assert_string_equal(signoff_state_name(&s), "returned");
    assert_string_equal(signoff_waiting_for(&s), "municipality");
    signoff_apply_return(&s, "municipality");
    assert_string_equal(signoff_waiting_for(&s), "kindergarten");
    assert_false(signoff_may_confirm(&s, "municipality"));
    assert_true(signoff_may_resubmit(&s));
    signoff_apply_resubmit(&s);
    assert_string_equal(signoff_state_name(&s), "awaiting");
    assert_string_equal(signoff_waiting_for(&s), "municipality");

    signoff_state r = chain_of("region", 1); /* the region alone sends back to the kindergarten */
    assert_false(signoff_may_confirm(&r, "municipality"));
    signoff_apply_return(&r, "region");
    assert_string_equal(signoff_waiting_for(&r), "kindergarten");
}

static void test_bands(void **state)
{
    (void)state;
    const char *codes[] = {"A1", "A2"};
    int has[] = {1, 1};
    double means[] = {3.0, 4.0};
    long tenths[] = {30, 40};
    dash_scores f = {.has_overall = 1,
                     .overall = 3.45,
                     .overall_tenths = dash_shown_tenths(3.45),
                     .n = 2,
                     .codes = codes,
                     .has = has,
                     .means = means,
                     .tenths = tenths};
    const char *a1[] = {"A1"};
    long min4[] = {40};
    status_band bands[] = {{"Высокий", 35, 1, a1, min4},
                           {"Базовый", 20, 0, NULL, NULL},
                           {"Низкий", -1, 0, NULL, NULL}};
    status_scale sc = {.source = "self", .n = 3, .bands = bands};
    assert_int_equal(f.overall_tenths, 35);       /* 3.45 is shown 3.5 */
    assert_int_equal(status_propose(&sc, &f), 1); /* the area minimum is missed */
    tenths[0] = 40;
    assert_int_equal(status_propose(&sc, &f), 0);
    f.overall_tenths = 15;
    assert_int_equal(status_propose(&sc, &f), 2);
    f.has_overall = 0; /* no results, no status */
    assert_int_equal(status_propose(&sc, &f), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chains),
        cmocka_unit_test(test_confirm_in_turn),
        cmocka_unit_test(test_send_back),
        cmocka_unit_test(test_bands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
