/* Weighted kappa (analysis/kappa.c) against published worked examples.
 *
 * 1. Two radiologists grading 85 xeromammograms into four categories (Boyd et al. 1982,
 *    the table reproduced by Altman, Practical Statistics for Medical Research, 1991,
 *    Table 14.3, and used as the example of Stata's [R] kappa, "rate" data, example 2).
 *    Stata prints for it: unweighted agreement 63.53 %, expected 30.82 %, kappa 0.4728,
 *    SE 0.0694; linear weights (wgt(w)) 86.67 %, 69.11 %, 0.5684, SE 0.0788; quadratic
 *    weights (wgt(w2)) 94.77 %, 84.09 %, 0.6714, SE 0.1079. Stata's SE is the one under
 *    kappa = 0 (Fleiss, Cohen & Everitt 1969), our se0. Recomputed by hand for this test.
 * 2. Fleiss, Cohen & Everitt (1969): 200 patients, three diagnoses, unweighted kappa .429
 *    (p_o = .70, p_e = .475: (.70 − .475) / .525 = .4286).
 * 3. Identities: quadratic weighted kappa equals 2·cov / (var_A + var_B + (mean_A −
 *    mean_B)²) with moments over the items (Fleiss & Cohen 1973); perfect agreement gives
 *    1 with zero standard error; a table with one level on both sides is undefined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "analysis/kappa.h"

#define NEAR(a, b, eps) assert_true(fabs((a) - (b)) < (eps))

static void fill(kappa_table *t, size_t k, const double *cells)
{
    assert_int_equal(kappa_table_init(t, k), 0);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            t->counts[i][j] = cells[i * k + j];
}

static const double RADIOLOGISTS[] = {21, 12, 0, 0, 4, 17, 1, 0, 3, 9, 15, 2, 0, 0, 0, 1};

static void test_radiologists_unweighted(void **state)
{
    (void)state;
    kappa_table t;
    kappa_result r;
    fill(&t, 4, RADIOLOGISTS);
    assert_int_equal(kappa_compute(&t, KAPPA_UNWEIGHTED, &r), 0);
    assert_true(r.defined);
    NEAR(r.n, 85, 1e-12);
    NEAR(r.po, 0.6353, 5e-5);
    NEAR(r.pe, 0.3082, 5e-5);
    NEAR(r.kappa, 0.4728, 5e-5);
    NEAR(r.se0, 0.0694, 5e-5);
    NEAR(r.exact, 54.0 / 85, 1e-12);
}

static void test_radiologists_linear(void **state)
{
    (void)state;
    kappa_table t;
    kappa_result r;
    fill(&t, 4, RADIOLOGISTS);
    assert_int_equal(kappa_compute(&t, KAPPA_LINEAR, &r), 0);
    NEAR(r.po, 0.8667, 5e-5);
    NEAR(r.pe, 0.6911, 5e-5);
    NEAR(r.kappa, 0.5684, 5e-5);
    NEAR(r.se0, 0.0788, 5e-5);
}

static void test_radiologists_quadratic(void **state)
{
    (void)state;
    kappa_table t;
    kappa_result r;
    fill(&t, 4, RADIOLOGISTS);
    assert_int_equal(kappa_compute(&t, KAPPA_QUADRATIC, &r), 0);
    NEAR(r.po, 0.9477, 5e-5);
    NEAR(r.pe, 0.8409, 5e-5);
    NEAR(r.kappa, 0.6714, 5e-5);
    NEAR(r.se0, 0.1079, 5e-5);
    /* The interval uses the non-null SE (0.0681 for this table, computed by hand). */
    NEAR(r.se, 0.0681, 5e-5);
    NEAR(r.ci_low, r.kappa - 1.96 * r.se, 1e-12);
    NEAR(r.ci_high, r.kappa + 1.96 * r.se, 1e-12);
    /* Within one category: all but the 3 items two grades apart and none further. */
    NEAR(r.within_one, 82.0 / 85, 1e-12);
}

static void test_fleiss_cohen_everitt(void **state)
{
    (void)state;
    static const double cells[] = {106, 10, 4, 22, 28, 10, 2, 12, 6};
    kappa_table t;
    kappa_result r;
    fill(&t, 3, cells);
    assert_int_equal(kappa_compute(&t, KAPPA_UNWEIGHTED, &r), 0);
    NEAR(r.po, 0.70, 1e-12);
    NEAR(r.pe, 0.475, 1e-12);
    NEAR(r.kappa, 0.429, 5e-4);
}

static void test_quadratic_is_moment_agreement(void **state)
{
    (void)state;
    /* Ten items on the five-level scale, A then B. */
    static const int a[] = {1, 2, 2, 3, 3, 3, 4, 4, 5, 5}, b[] = {2, 2, 3, 3, 4, 2, 4, 5, 5, 4};
    kappa_table t;
    kappa_result r;
    assert_int_equal(kappa_table_init(&t, 5), 0);
    double ma = 0, mb = 0;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(kappa_table_add(&t, a[i], b[i]), 0);
        ma += a[i] / 10.0;
        mb += b[i] / 10.0;
    }
    double va = 0, vb = 0, cov = 0;
    for (int i = 0; i < 10; i++) {
        va += (a[i] - ma) * (a[i] - ma) / 10.0;
        vb += (b[i] - mb) * (b[i] - mb) / 10.0;
        cov += (a[i] - ma) * (b[i] - mb) / 10.0;
    }
    assert_int_equal(kappa_compute(&t, KAPPA_QUADRATIC, &r), 0);
    NEAR(r.kappa, 2 * cov / (va + vb + (ma - mb) * (ma - mb)), 1e-12);
    NEAR(r.exact, 0.4, 1e-12);
    NEAR(r.within_one, 1.0, 1e-12);
    NEAR(r.mean_diff, 0.2, 1e-12);
}

static void test_edges(void **state)
{
    (void)state;
    kappa_table t;
    kappa_result r;
    assert_int_equal(kappa_table_init(&t, 1), -1);
    assert_int_equal(kappa_table_init(&t, KAPPA_MAX_LEVELS + 1), -1);
    assert_int_equal(kappa_table_init(&t, 5), 0);
    assert_int_equal(kappa_table_add(&t, 0, 3), -1);
    assert_int_equal(kappa_table_add(&t, 3, 6), -1);
    assert_int_equal(kappa_compute(&t, KAPPA_QUADRATIC, &r), 0);
    assert_false(r.defined); /* no items */
    NEAR(r.n, 0, 1e-12);
    for (int i = 0; i < 4; i++)
        assert_int_equal(kappa_table_add(&t, 3, 3), 0);
    assert_int_equal(kappa_compute(&t, KAPPA_QUADRATIC, &r), 0);
    assert_false(r.defined); /* one level on both sides: chance agreement is 1 */
    NEAR(r.exact, 1.0, 1e-12);
    assert_int_equal(kappa_table_add(&t, 1, 1), 0);
    assert_int_equal(kappa_table_add(&t, 5, 5), 0);
    assert_int_equal(kappa_compute(&t, KAPPA_QUADRATIC, &r), 0);
    assert_true(r.defined);
    NEAR(r.kappa, 1.0, 1e-12);
    NEAR(r.se, 0.0, 1e-6);
    NEAR(r.ci_high, 1.0, 1e-12);
    double w[KAPPA_MAX_LEVELS][KAPPA_MAX_LEVELS] = {{0}};
    assert_int_equal(kappa_compute_w(&t, w, &r), -1); /* the diagonal must weigh 1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radiologists_unweighted),
        cmocka_unit_test(test_radiologists_linear),
        cmocka_unit_test(test_radiologists_quadratic),
        cmocka_unit_test(test_fleiss_cohen_everitt),
        cmocka_unit_test(test_quadratic_is_moment_agreement),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
