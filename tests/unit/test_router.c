/* Route matching: literal paths, parameters, 404 vs 405 with Allow, HEAD as GET, bad
 * escapes. Uses its own small table so that the test does not depend on the product's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "http/router.h"

static int h_list(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
    return 200;
}
static int h_get(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
    return 200;
}
static int h_put(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
    return 200;
}
static int h_child(request *rq, response *rs)
{
    (void)rq;
    (void)rs;
    return 200;
}

static const route TABLE[] = {
    {"GET", "/api/v1/units", h_list, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}", h_get, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"PUT", "/api/v1/units/{id}", h_put, ROUTE_PUBLIC, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}/children/{kind}", h_child, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/feeds/{token}.ics", h_child, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
};
#define N (sizeof TABLE / sizeof TABLE[0])

static void test_literal_and_params(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    route_match m;
    assert_int_equal(router_match(&a, TABLE, N, "GET", "/api/v1/units", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route->handler, h_list);
    assert_int_equal(router_match(&a, TABLE, N, "GET", "/api/v1/units/42", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route->handler, h_get);
    assert_int_equal(m.nparams, 1);
    assert_string_equal(m.params[0], "42");
    assert_int_equal(router_match(&a, TABLE, N, "PUT", "/api/v1/units/7", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route->handler, h_put);
    assert_int_equal(router_match(&a, TABLE, N, "GET", "/api/v1/units/7/children/group%20a", &m),
                     ROUTE_FOUND);
    assert_int_equal(m.nparams, 2);
    assert_string_equal(m.params[0], "7");
    assert_string_equal(m.params[1], "group a");
    arena_destroy(&a);
}

static void test_not_found(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    route_match m;
    const char *paths[] = {"/",
                           "/api/v1",
                           "/api/v1/units/",
                           "/api/v1/units/1/2",
                           "/api/v1/unitsx",
                           "/api/v1/units//children/x",
                           "/api/v2/units"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_int_equal(router_match(&a, TABLE, N, "GET", paths[i], &m), ROUTE_NOT_FOUND);
    arena_destroy(&a);
}

static void test_method_not_allowed_lists_allow(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    route_match m;
    assert_int_equal(router_match(&a, TABLE, N, "DELETE", "/api/v1/units/3", &m),
                     ROUTE_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, PUT");
    assert_null(m.route);
    arena_destroy(&a);
}

static void test_head_is_get(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    route_match m;
    assert_int_equal(router_match(&a, TABLE, N, "HEAD", "/api/v1/units", &m), ROUTE_FOUND);
    assert_ptr_equal(m.route->handler, h_list);
    arena_destroy(&a);
}

static void test_bad_escape_in_param(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    route_match m;
    assert_int_equal(router_match(&a, TABLE, N, "GET", "/api/v1/units/%zz", &m), ROUTE_BAD_PATH);
    assert_int_equal(router_match(&a, TABLE, N, "GET", "/api/v1/units/%00", &m), ROUTE_BAD_PATH);
    arena_destroy(&a);
}

static void test_param_with_suffix(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    route_match m;
    size_t n = sizeof TABLE / sizeof TABLE[0];
    assert_int_equal(router_match(&a, TABLE, n, "GET", "/api/v1/feeds/abc%2Dx.ics", &m),
                     ROUTE_FOUND);
    assert_int_equal(m.nparams, 1);
    assert_string_equal(m.params[0], "abc-x");
    /* the suffix alone, another suffix, no suffix: not this route */
    assert_int_equal(router_match(&a, TABLE, n, "GET", "/api/v1/feeds/.ics", &m), ROUTE_NOT_FOUND);
    assert_int_equal(router_match(&a, TABLE, n, "GET", "/api/v1/feeds/abc.ical", &m),
                     ROUTE_NOT_FOUND);
    assert_int_equal(router_match(&a, TABLE, n, "GET", "/api/v1/feeds/abc", &m), ROUTE_NOT_FOUND);
    arena_destroy(&a);
}

static void test_product_table_has_no_duplicates(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROUTES_COUNT; i++)
        for (size_t j = i + 1; j < ROUTES_COUNT; j++)
            assert_false(strcmp(ROUTES[i].method, ROUTES[j].method) == 0 &&
                         strcmp(ROUTES[i].pattern, ROUTES[j].pattern) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_params),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_method_not_allowed_lists_allow),
        cmocka_unit_test(test_head_is_get),
        cmocka_unit_test(test_bad_escape_in_param),
        cmocka_unit_test(test_param_with_suffix),
        cmocka_unit_test(test_product_table_has_no_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
