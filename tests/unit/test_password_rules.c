/* The rule for new passwords (password_rules.h): length, the shipped list of common
 * passwords (case-insensitive, Russian letters included), the login, the system's name,
 * trivial runs, and good passwords that pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "auth/password_rules.h"

static password_rule check(const char *pw, const char *login)
{
    return password_rule_check(pw, strlen(pw), login);
}

static void test_length(void **state)
{
    (void)state;
    assert_int_equal(check("Kx7-pq!", NULL), PASSWORD_RULE_LENGTH);
    assert_int_equal(check("Kx7-pq!z", NULL), PASSWORD_RULE_OK);
    /* characters, not bytes: 7 Cyrillic letters are 14 bytes and still too short */
    assert_int_equal(check("Жёлтыйк", NULL), PASSWORD_RULE_LENGTH);
    char big[300];
    memset(big, 'k', sizeof big);
    big[0] = 'Q';
    assert_int_equal(password_rule_check(big, 257, NULL), PASSWORD_RULE_LENGTH);
    assert_int_equal(password_rule_check("Kx7-pq!z\0tail", 13, NULL), PASSWORD_RULE_LENGTH);
}

static void test_common(void **state)
{
    (void)state;
    assert_true(password_rule_list_size() > 3000);
    static const char *const common[] = {"12345678",   "password", "Password1", "PASSWORD",
                                         "qwertyuiop", "1q2w3e4r", "iloveyou",  "sunshine",
                                         "Пароль123",  "ЙЦУКЕНГШ", "солнышко",  "Qwerty123"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (check(common[i], NULL) != PASSWORD_RULE_COMMON)
            fail_msg("%s: %d, expected common", common[i], check(common[i], NULL));
}

static void test_login(void **state)
{
    (void)state;
    assert_int_equal(check("ivanova.m", "ivanova.m"), PASSWORD_RULE_LOGIN);
    assert_int_equal(check("IVANOVA.M", "ivanova.m"), PASSWORD_RULE_LOGIN);
    assert_int_equal(check("ivanova.m2026!", "ivanova.m"), PASSWORD_RULE_LOGIN);
    assert_int_equal(check("2026Teacher!", "teacher"), PASSWORD_RULE_LOGIN);
    /* a three-character login only as the whole password */
    assert_int_equal(check("Goodoo-Tree-7", "doo"), PASSWORD_RULE_OK);
}

static void test_context(void **state)
{
    (void)state;
    assert_int_equal(check("vsok2026!", NULL), PASSWORD_RULE_CONTEXT);
    assert_int_equal(check("MyVSOKpass", NULL), PASSWORD_RULE_CONTEXT);
    assert_int_equal(check("ВсокДо2026", NULL), PASSWORD_RULE_CONTEXT);
    assert_int_equal(check("всок-всок", NULL), PASSWORD_RULE_CONTEXT);
}

static void test_trivial(void **state)
{
    (void)state;
    assert_int_equal(check("zzzzzzzzzz", NULL), PASSWORD_RULE_TRIVIAL);
    assert_int_equal(check("3456789:;", NULL), PASSWORD_RULE_TRIVIAL);
    assert_int_equal(check("ihgfedcba", NULL), PASSWORD_RULE_TRIVIAL);
    assert_int_equal(check("LMNOPQRST", NULL), PASSWORD_RULE_TRIVIAL);
}

static void test_good(void **state)
{
    (void)state;
    static const char *const good[] = {"Solnce-2026!",  "Солнце-2026!", "Initial-Pass-1",
                                       "Second-Pass-2", "Given-Temp-9", "кот ест рыбу вечером",
                                       "K7mQ2xPa9wLb"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (check(good[i], "teacher") != PASSWORD_RULE_OK)
            fail_msg("%s: %d, expected ok", good[i], check(good[i], "teacher"));
}

static void test_messages(void **state)
{
    (void)state;
    assert_string_equal(password_rule_message(PASSWORD_RULE_OK), "");
    for (int r = PASSWORD_RULE_LENGTH; r <= PASSWORD_RULE_TRIVIAL; r++)
        assert_true(strlen(password_rule_message((password_rule)r)) > 20);
    assert_non_null(strstr(password_rule_message(PASSWORD_RULE_COMMON), "распространён"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length),   cmocka_unit_test(test_common),
        cmocka_unit_test(test_login),    cmocka_unit_test(test_context),
        cmocka_unit_test(test_trivial),  cmocka_unit_test(test_good),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
