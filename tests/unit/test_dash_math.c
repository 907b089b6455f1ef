/* The arithmetic of the dashboards: figures and means, overdue, shares, and the filters
 * and orders of the children list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "dashboards/dash_math.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_figures(void **state)
{
    (void)state;
    dash_figure f = {0};
    assert_false(dash_figure_has_mean(&f));
    NEAR(dash_figure_mean(&f), 0);
    long a[DASH_LEVELS] = {0, 1, 0, 0, 0, 0, 0}, b[DASH_LEVELS] = {0, 0, 2, 0, 0, 0, 0};
    dash_figure_add(&f, 1, 2.5, a);
    dash_figure_add(&f, 2, 6.75, b);
    assert_int_equal(f.n, 3);
    NEAR(dash_figure_mean(&f), 9.25 / 3);
    assert_int_equal(f.levels[1], 1);
    assert_int_equal(f.levels[2], 2);
}

static void test_shares(void **state)
{
    (void)state;
    assert_false(dash_overdue(0, 5, 1)); /* still open */
    assert_true(dash_overdue(1, 5, 4));
    assert_false(dash_overdue(1, 5, 5));
    assert_false(dash_overdue(1, 0, 0));
    NEAR(dash_completion_share(4, 1), 0.25);
    NEAR(dash_completion_share(0, 0), -1);
    NEAR(dash_response_rate(10, 40), 0.25);
    NEAR(dash_response_rate(3, 0), -1);
    NEAR(dash_share(8, 6), 0.75);
    NEAR(dash_share(0, 0), -1);
}

/* Four children by name: A (overall 3.0, area 0: 1.5), B (no sheet), C (2.0, area 0: 2.5),
 * D (3.0, area 0: 1.0), with completion 1/2, 0/0, 2/2, 0/4. */
static dash_figure sections[4][2];

static void fill(dash_child *c)
{
    const char *names[] = {"A", "B", "C", "D"};
    long n[] = {1, 0, 1, 1};
    double overall[] = {3.0, 0, 2.0, 3.0}, area[] = {1.5, 0, 2.5, 1.0};
    long expected[] = {2, 0, 2, 4}, submitted[] = {1, 0, 2, 0};
    for (int i = 0; i < 4; i++) {
        c[i] = (dash_child){.id = (uint64_t)i + 1, .name = names[i], .rank = (size_t)i};
        c[i].overall = (dash_figure){.n = n[i], .sum = overall[i]};
        sections[i][0] = (dash_figure){.n = n[i], .sum = area[i]};
        sections[i][1] = (dash_figure){0};
        c[i].sections = sections[i];
        c[i].expected = expected[i];
        c[i].submitted = submitted[i];
        c[i].overdue = dash_overdue(1, expected[i], submitted[i]);
    }
}

static void names_are(const dash_child *c, size_t n, const char *expect)
{
    char got[8] = {0};
    for (size_t i = 0; i < n; i++)
        got[i] = c[i].name[0];
    assert_string_equal(got, expect);
}

static void test_filter(void **state)
{
    (void)state;
    dash_child c[4];
    fill(c);
    dash_filter f = {.below_on = 1, .below_section = 0, .below = 2.0};
    /* below 2 in area 0: A (1.5) and D (1.0); B has no score and is not below */
    names_are(c, dash_children_filter(c, 4, &f), "AD");
    fill(c);
    f = (dash_filter){.overdue_only = 1};
    names_are(c, dash_children_filter(c, 4, &f), "AD");
    fill(c);
    f = (dash_filter){.below_on = 1, .below_section = 1, .below = 5};
    assert_int_equal(dash_children_filter(c, 4, &f), 0); /* nobody scored in area 1 */
}

static void test_sort(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    dash_child c[4];
    fill(c);
    /* ascending overall: C 2.0, then A and D 3.0 in name order, B without a sheet last */
    assert_int_equal(dash_children_sort(&a, c, 4, DASH_ORDER_OVERALL, 0, 0), 0);
    names_are(c, 4, "CADB");
    /* descending: A and D keep the name order, B still last */
    assert_int_equal(dash_children_sort(&a, c, 4, DASH_ORDER_OVERALL, 0, 1), 0);
    names_are(c, 4, "ADCB");
    assert_int_equal(dash_children_sort(&a, c, 4, DASH_ORDER_SECTION, 0, 0), 0);
    names_are(c, 4, "DACB");
    /* completion: D 0 %, A 50 %, C 100 %, B expects nothing */
    assert_int_equal(dash_children_sort(&a, c, 4, DASH_ORDER_COMPLETION, 0, 0), 0);
    names_are(c, 4, "DACB");
    assert_int_equal(dash_children_sort(&a, c, 4, DASH_ORDER_COMPLETION, 0, 1), 0);
    names_are(c, 4, "CADB");
    assert_int_equal(dash_children_sort(&a, c, 4, DASH_ORDER_NAME, 0, 0), 0);
    names_are(c, 4, "ABCD");
    assert_int_equal(dash_children_sort(&a, c, 0, DASH_ORDER_NAME, 0, 0), 0);
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
