/* The one table of review rights (review_rules.h): every reviewer role against every author
 * role, own work, the person assessed, and independence from the assessed kindergarten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "forms/review_rules.h"

#define A ROLE_ADMINISTRATOR
#define R ROLE_REGION_COORDINATOR
#define M ROLE_MUNICIPAL_COORDINATOR
#define D ROLE_DOO_COORDINATOR
#define T ROLE_TEACHER
#define E ROLE_EXPERT

static review_verdict check(role reviewer, int inside, role author)
{
    review_reviewer by = {reviewer, 100, inside};
    review_work w = {author, 200, author == T || author == E ? 200 : 0};
    return review_check(&by, &w);
}

/* Rows: the author's role; columns: the reviewer's role (A R M D T E); 1 = may review
 * (reviewer outside the kindergarten). */
static const int EXPECTED[ROLE_COUNT][ROLE_COUNT] = {
    [A] = {0, 0, 0, 0, 0, 0}, [R] = {1, 0, 0, 0, 0, 0}, [M] = {1, 1, 0, 0, 0, 0},
    [D] = {1, 1, 1, 0, 0, 0}, [T] = {1, 1, 1, 1, 0, 0}, [E] = {0, 1, 1, 0, 0, 0},
};

static void test_table(void **state)
{
    (void)state;
    for (int author = 0; author < ROLE_COUNT; author++) {
        for (int reviewer = 0; reviewer < ROLE_COUNT; reviewer++) {
            review_verdict v = check((role)reviewer, 0, (role)author);
            if (EXPECTED[author][reviewer] ? v != REVIEW_ALLOWED : v != REVIEW_ROLE)
                fail_msg("%s reviewing %s: verdict %d", role_name((role)reviewer),
                         role_name((role)author), v);
        }
    }
}

static void test_expert_sheets(void **state)
{
    (void)state;
    /* the assessed kindergarten's own coordinator: never (the reported hole) */
    assert_int_equal(check(D, 1, E), REVIEW_ROLE);
    /* an administrator is not a reviewer of experts */
    assert_int_equal(check(A, 0, E), REVIEW_ROLE);
    /* a municipal coordinator who works in the kindergarten is not independent */
    assert_int_equal(check(M, 1, E), REVIEW_NOT_INDEPENDENT);
    assert_int_equal(check(R, 1, E), REVIEW_NOT_INDEPENDENT);
    assert_int_equal(check(M, 0, E), REVIEW_ALLOWED);
    assert_true(review_needs_independence(E));
}

static void test_inside_the_kindergarten(void **state)
{
    (void)state;
    /* the kindergarten's coordinator reviews its teachers from inside */
    assert_int_equal(check(D, 1, T), REVIEW_ALLOWED);
    assert_false(review_needs_independence(T));
    /* its self-assessment goes to someone who does not work there */
    assert_int_equal(check(M, 1, D), REVIEW_NOT_INDEPENDENT);
    assert_int_equal(check(M, 0, D), REVIEW_ALLOWED);
}

static void test_own_work(void **state)
{
    (void)state;
    review_reviewer by = {M, 7, 0};
    review_work mine = {T, 7, 0}; /* written by the reviewer, whatever the role */
    assert_int_equal(review_check(&by, &mine), REVIEW_OWN_WORK);
    review_work about_me = {T, 8, 7}; /* a sheet that assesses the reviewer */
    assert_int_equal(review_check(&by, &about_me), REVIEW_OWN_WORK);
    review_reviewer nobody = {A, 0, 0};
    review_work any = {T, 8, 0};
    assert_int_equal(review_check(&nobody, &any), REVIEW_OWN_WORK);
}

static void test_unknown_roles(void **state)
{
    (void)state;
    assert_int_equal(check((role)ROLE_COUNT, 0, T), REVIEW_ROLE);
    assert_int_equal(check(M, 0, (role)ROLE_COUNT), REVIEW_ROLE);
    assert_int_equal(review_roles((role)ROLE_COUNT), 0);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_string_equal(review_refusal(REVIEW_ALLOWED), "");
    for (int v = REVIEW_OWN_WORK; v <= REVIEW_NOT_INDEPENDENT; v++)
        assert_true(strlen(review_refusal((review_verdict)v)) > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_expert_sheets),
        cmocka_unit_test(test_inside_the_kindergarten),
        cmocka_unit_test(test_own_work),
        cmocka_unit_test(test_unknown_roles),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
