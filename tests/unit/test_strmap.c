/* The arena hash map used to match import rows: get, put, replace, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/strmap.h"

static void test_put_get_replace(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    strmap m;
    assert_int_equal(strmap_init(&m, &a, 0), 0);
    int x = 1, y = 2;
    assert_null(strmap_get(&m, "код"));
    assert_int_equal(strmap_put(&m, "код", &x), 0);
    assert_int_equal(strmap_put(&m, "", &y), 0);
    assert_ptr_equal(strmap_get(&m, "код"), &x);
    assert_ptr_equal(strmap_get(&m, ""), &y);
    assert_int_equal(strmap_put(&m, "код", &y), 0);
    assert_ptr_equal(strmap_get(&m, "код"), &y);
    assert_int_equal(m.count, 2);
    arena_destroy(&a);
}

static void test_growth(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    strmap m;
    assert_int_equal(strmap_init(&m, &a, 4), 0);
    int *values = arena_alloc(&a, 5000 * sizeof *values);
    assert_non_null(values);
    for (int i = 0; i < 5000; i++) {
        char *key = arena_sprintf(&a, "k%d", i);
        assert_non_null(key);
        assert_int_equal(strmap_put(&m, key, &values[i]), 0);
    }
    assert_int_equal(m.count, 5000);
    assert_true(m.cap >= 10000);
    for (int i = 0; i < 5000; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        assert_ptr_equal(strmap_get(&m, key), &values[i]);
    }
    assert_null(strmap_get(&m, "k5000"));
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_replace),
        cmocka_unit_test(test_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
