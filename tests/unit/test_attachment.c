/* File names of downloads: the RFC 5987 ext-value keeps attr-chars and percent-encodes every
 * other byte (UTF-8 included); the date is YYYY-MM-DD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "http/attachment.h"

static void test_ext_value(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    assert_string_equal(attachment_ext_value(&a, "unit-7_children.xlsx"), "unit-7_children.xlsx");
    assert_string_equal(attachment_ext_value(&a, "Сад № 5 \"Берёзка\"; a/b"),
                        "%D0%A1%D0%B0%D0%B4%20%E2%84%96%205%20%22%D0%91%D0%B5%D1%80%D1%91%D0%B7"
                        "%D0%BA%D0%B0%22%3B%20a%2Fb");
    assert_string_equal(attachment_ext_value(&a, "%'*"), "%25%27%2A");
    assert_string_equal(attachment_ext_value(&a, ""), "");
    arena_destroy(&a);
}

static void test_date(void **state)
{
    (void)state;
    char d[11];
    assert_int_equal(attachment_date(d), 0);
    assert_int_equal(strlen(d), 10);
    assert_true(d[4] == '-' && d[7] == '-');
    assert_true(strncmp(d, "2000", 4) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext_value),
        cmocka_unit_test(test_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
