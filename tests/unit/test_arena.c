/* The per-request arena: alignment, growth past a chunk, reset reuse, cleanups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/arena.h"

static void test_alloc_is_aligned_and_zeroed(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 256);
    for (size_t n = 1; n < 40; n++) {
        unsigned char *p = arena_alloc(&a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, n);
    }
    arena_destroy(&a);
}

static void test_large_allocation_gets_own_chunk(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 128);
    char *small = arena_strdup(&a, "before");
    char *big = arena_alloc(&a, 10000);
    assert_non_null(big);
    memset(big, 'x', 10000);
    assert_string_equal(small, "before");
    assert_true(a.total >= 10000);
    arena_destroy(&a);
}

static void test_reset_reuses_first_chunk(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    void *first = arena_alloc(&a, 16);
    for (int i = 0; i < 100; i++)
        assert_non_null(arena_alloc(&a, 500)); /* forces several chunks */
    arena_reset(&a);
    assert_int_equal(a.total, 0);
    void *again = arena_alloc(&a, 16);
    assert_ptr_equal(first, again);
    arena_destroy(&a);
}

static void test_sprintf_and_strndup(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 64);
    char *s = arena_sprintf(&a, "%s-%d-%s", "ДОО", 42, "группа");
    assert_string_equal(s, "ДОО-42-группа");
    char *t = arena_strndup(&a, "abcdef", 3);
    assert_string_equal(t, "abc");
    arena_destroy(&a);
}

static void count_cleanup(void *p)
{
    int *order = p;
    order[0] = order[0] * 10 + order[1]++;
}

static void test_cleanups_run_newest_first_on_reset(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 64);
    int order[2] = {0, 1};
    assert_int_equal(arena_defer(&a, count_cleanup, order), 0);
    assert_int_equal(arena_defer(&a, count_cleanup, order), 0);
    assert_int_equal(order[0], 0);
    arena_reset(&a);
    assert_int_equal(order[0], 12);
    arena_reset(&a); /* cleanups run once */
    assert_int_equal(order[0], 12);
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_is_aligned_and_zeroed),
        cmocka_unit_test(test_large_allocation_gets_own_chunk),
        cmocka_unit_test(test_reset_reuses_first_chunk),
        cmocka_unit_test(test_sprintf_and_strndup),
        cmocka_unit_test(test_cleanups_run_newest_first_on_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
