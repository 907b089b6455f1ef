/* Path/query splitting, percent-decoding, query parameters, cookies and numbers in digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/uri.h"

static void test_split(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    char *path, *query;
    assert_int_equal(uri_split(&a, "/api/v1/me?x=1&y=2", &path, &query), 0);
    assert_string_equal(path, "/api/v1/me");
    assert_string_equal(query, "x=1&y=2");
    assert_int_equal(uri_split(&a, "/api/v1/me", &path, &query), 0);
    assert_string_equal(query, "");
    assert_int_equal(uri_split(&a, "/a?", &path, &query), 0);
    assert_string_equal(path, "/a");
    assert_string_equal(query, "");
    assert_int_equal(uri_split(&a, "api/v1", &path, &query), -1);
    assert_int_equal(uri_split(&a, "", &path, &query), -1);
    arena_destroy(&a);
}

static void test_decode(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    const char *cyr = "%D0%94%D0%9E%D0%9E+1";
    assert_string_equal(uri_decode(&a, cyr, strlen(cyr), 1), "ДОО 1");
    assert_string_equal(uri_decode(&a, cyr, strlen(cyr), 0), "ДОО+1");
    assert_null(uri_decode(&a, "%4", 2, 0));
    assert_null(uri_decode(&a, "%", 1, 0));
    assert_null(uri_decode(&a, "%G1", 3, 0));
    assert_null(uri_decode(&a, "a%00b", 5, 0));
    assert_string_equal(uri_decode(&a, "%2f", 3, 0), "/");
    arena_destroy(&a);
}

static void test_query(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    uri_params p;
    assert_int_equal(uri_parse_query(&a, "q=%D1%81%D0%B0%D0%B4+12&flag&&empty=&q=second", &p), 0);
    assert_int_equal(p.count, 4);
    assert_string_equal(uri_param_get(&p, "q"), "сад 12");
    assert_string_equal(uri_param_get(&p, "flag"), "");
    assert_string_equal(uri_param_get(&p, "empty"), "");
    assert_null(uri_param_get(&p, "missing"));
    assert_int_equal(uri_parse_query(&a, "", &p), 0);
    assert_int_equal(p.count, 0);
    assert_int_equal(uri_parse_query(&a, "a=%zz", &p), -1);
    arena_destroy(&a);
}

static void test_cookie(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    const char *h = "theme=dark; vsok_refresh_old=1; vsok_refresh=abc-DEF_123; x=y";
    assert_string_equal(uri_cookie_get(&a, h, "vsok_refresh"), "abc-DEF_123");
    assert_string_equal(uri_cookie_get(&a, h, "theme"), "dark");
    assert_string_equal(uri_cookie_get(&a, h, "x"), "y");
    assert_null(uri_cookie_get(&a, h, "vsok"));
    assert_null(uri_cookie_get(&a, NULL, "x"));
    arena_destroy(&a);
}

static void test_digits(void **state)
{
    (void)state;
    assert_int_equal(uri_parse_digits("0", 18), 0);
    assert_int_equal(uri_parse_digits("0042", 18), 42);
    assert_int_equal(uri_parse_digits("999999999999999999", 18), 999999999999999999LL);
    assert_int_equal(uri_parse_digits("1234567890123", 12), -1); /* longer than allowed */
    assert_int_equal(uri_parse_digits("1000000000000000000", 18), -1);
    assert_int_equal(uri_parse_digits("12", 19), -1); /* a limit that could overflow */
    assert_int_equal(uri_parse_digits(NULL, 18), -1);
    assert_int_equal(uri_parse_digits("", 18), -1);
    assert_int_equal(uri_parse_digits("-1", 18), -1);
    assert_int_equal(uri_parse_digits("+1", 18), -1);
    assert_int_equal(uri_parse_digits(" 1", 18), -1);
    assert_int_equal(uri_parse_digits("1x", 18), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),  cmocka_unit_test(test_decode), cmocka_unit_test(test_query),
        cmocka_unit_test(test_cookie), cmocka_unit_test(test_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
