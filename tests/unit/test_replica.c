/* The GTIDs a reader's cookie may carry to MASTER_GTID_WAIT (db/replica.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "db/replica.h"

static void test_gtid_valid(void **state)
{
    (void)state;
    assert_true(db_gtid_valid("0-1-42"));
    assert_true(db_gtid_valid("0-1-42,1-2-7"));
    assert_true(db_gtid_valid("12-3000000000-18446744073709551615"));
}

static void test_gtid_invalid(void **state)
{
    (void)state;
    static const char *const BAD[] = {"",       "0",      "0-1",    "0-1-",      "-1-2",
                                      "0--1-2", "0-1-2,", ",0-1-2", "0-1-2-3",   "0-1-x",
                                      "0-1-2 ", "a-b-c",  "0-1-2'", "0-1-2;DROP"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        assert_false(db_gtid_valid(BAD[i]));
    char longer[260];
    for (size_t i = 0; i < sizeof longer - 1; i++)
        longer[i] = "0-1-2,"[i % 6];
    longer[sizeof longer - 1] = '\0';
    assert_false(db_gtid_valid(longer));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gtid_valid),
        cmocka_unit_test(test_gtid_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
