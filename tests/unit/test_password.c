/* Unit tests for password: argon2id hashing, verification, dummy verification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "auth/password.h"

#define PW "correct horse battery staple"
#define PARAMS_PREFIX "$argon2id$v=19$m=19456,t=2,p=1$"

static void test_hash_then_verify(void **state)
{
    char h[PASSWORD_HASH_MAX];
    (void)state;

    assert_int_equal(password_hash(PW, strlen(PW), h, sizeof h), 0);
    assert_int_equal(strncmp(h, PARAMS_PREFIX, strlen(PARAMS_PREFIX)), 0);
    assert_true(strlen(h) < PASSWORD_HASH_MAX);
    assert_int_equal(password_verify(h, PW, strlen(PW)), 1);
}

static void test_wrong_password(void **state)
{
    char h[PASSWORD_HASH_MAX];
    (void)state;

    assert_int_equal(password_hash(PW, strlen(PW), h, sizeof h), 0);
    assert_int_equal(password_verify(h, "correct horse battery stapl", strlen(PW) - 1), 0);
    assert_int_equal(password_verify(h, "Correct horse battery staple", strlen(PW)), 0);
    assert_int_equal(password_verify(h, "", 0), 0);
}

static void test_utf8_password(void **state)
{
    const char *pw = "пароль-Ёж";
    char h[PASSWORD_HASH_MAX];
    (void)state;

    assert_int_equal(password_hash(pw, strlen(pw), h, sizeof h), 0);
    assert_int_equal(password_verify(h, pw, strlen(pw)), 1);
    assert_int_equal(password_verify(h, "пароль-ёж", strlen("пароль-ёж")), 0);
}

static void test_malformed_encoded(void **state)
{
    char h[PASSWORD_HASH_MAX];
    char bad[PASSWORD_HASH_MAX];
    (void)state;

    assert_int_equal(password_verify("", PW, strlen(PW)), 0);
    assert_int_equal(password_verify("garbage", PW, strlen(PW)), 0);
    assert_int_equal(password_verify(PARAMS_PREFIX "!!!$!!!", PW, strlen(PW)), 0);
    assert_int_equal(password_verify(NULL, PW, strlen(PW)), 0);

    assert_int_equal(password_hash(PW, strlen(PW), h, sizeof h), 0);
    /* truncated */
    memcpy(bad, h, strlen(h) - 5);
    bad[strlen(h) - 5] = '\0';
    assert_int_equal(password_verify(bad, PW, strlen(PW)), 0);
    /* another argon2 variant */
    strcpy(bad, "$argon2i$");
    strcat(bad, h + strlen("$argon2id$"));
    assert_int_equal(password_verify(bad, PW, strlen(PW)), 0);
}

static void test_salted(void **state)
{
    char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
    (void)state;

    assert_int_equal(password_hash(PW, strlen(PW), a, sizeof a), 0);
    assert_int_equal(password_hash(PW, strlen(PW), b, sizeof b), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(password_verify(a, PW, strlen(PW)), 1);
    assert_int_equal(password_verify(b, PW, strlen(PW)), 1);
}

static void test_length_limit(void **state)
{
    char pw[PASSWORD_MAX_LEN + 2];
    char h[PASSWORD_HASH_MAX];
    (void)state;

    memset(pw, 'x', sizeof pw);
    assert_int_equal(password_hash(pw, PASSWORD_MAX_LEN, h, sizeof h), 0);
    assert_int_equal(password_verify(h, pw, PASSWORD_MAX_LEN), 1);
    assert_int_equal(password_verify(h, pw, PASSWORD_MAX_LEN + 1), 0);
    assert_int_equal(password_hash(pw, PASSWORD_MAX_LEN + 1, h, sizeof h), -1);
    assert_string_equal(h, "");
}

static void test_bad_arguments(void **state)
{
    char h[PASSWORD_HASH_MAX];
    char small[32];
    (void)state;

    assert_int_equal(password_hash(PW, strlen(PW), small, sizeof small), -1);
    assert_string_equal(small, "");
    assert_int_equal(password_hash(NULL, 3, h, sizeof h), -1);
    assert_int_equal(password_hash(PW, strlen(PW), NULL, 0), -1);
    assert_int_equal(password_verify(PARAMS_PREFIX, NULL, 0), 0);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A broken dummy hash would fail to decode and return at once: require the dummy to take
 * a large share of a real verification (a generous bound, as the machine may be busy). */
static void test_dummy_verify_costs_like_real(void **state)
{
    char h[PASSWORD_HASH_MAX];
    double t0, real, dummy;
    (void)state;

    assert_int_equal(password_hash(PW, strlen(PW), h, sizeof h), 0);
    t0 = seconds_now();
    assert_int_equal(password_verify(h, PW, strlen(PW)), 1);
    real = seconds_now() - t0;
    t0 = seconds_now();
    password_dummy_verify(PW, strlen(PW));
    dummy = seconds_now() - t0;
    assert_true(dummy > real / 5);
    password_dummy_verify(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_then_verify),
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_utf8_password),
        cmocka_unit_test(test_malformed_encoded),
        cmocka_unit_test(test_salted),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_dummy_verify_costs_like_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
