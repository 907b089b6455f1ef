/* Configuration from VSOK_* variables: defaults, overrides, and clear errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/config.h"

typedef struct {
    const char *names[16];
    const char *values[16];
    int n;
} fake_env;

static const char *fake_get(const char *name, void *ctx)
{
    fake_env *e = ctx;
    for (int i = 0; i < e->n; i++)
        if (strcmp(e->names[i], name) == 0)
            return e->values[i];
    return NULL;
}

static void set(fake_env *e, const char *name, const char *value)
{
    e->names[e->n] = name;
    e->values[e->n] = value;
    e->n++;
}

static void test_defaults(void **state)
{
    (void)state;
    fake_env e = {0};
    config c;
    char err[256] = "";
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), 0);
    assert_string_equal(c.socket_path, "var/run/vsokd.sock");
    assert_int_equal(c.socket_mode, 0660);
    assert_true(c.workers >= 2);
    assert_int_equal(c.max_requests, 0);
    assert_int_equal(c.max_rss_growth, 65536);
    assert_string_equal(c.upload_socket_path, "");
    assert_int_equal(c.upload_workers, 2);
    assert_string_equal(c.db_name, "vsok");
    assert_string_equal(c.jwt_key_file, "var/secrets/jwt.key");
    assert_int_equal(c.access_ttl, 900);
    assert_int_equal(c.max_body, 1048576);
    assert_int_equal(c.cookie_secure, 1);
    assert_string_equal(c.vipsthumbnail, "/usr/bin/vipsthumbnail");
    assert_string_equal(c.ffmpeg, "/usr/bin/ffmpeg");
    assert_int_equal(c.preview_timeout, 30);
}

static void test_overrides(void **state)
{
    (void)state;
    fake_env e = {0};
    set(&e, "VSOK_WORKERS", "3");
    set(&e, "VSOK_SOCKET", "/tmp/x.sock");
    set(&e, "VSOK_SOCKET_MODE", "0600");
    set(&e, "VSOK_MAX_REQUESTS", "500");
    set(&e, "VSOK_MAX_RSS_GROWTH", "0");
    set(&e, "VSOK_UPLOAD_SOCKET", "/tmp/x-upload.sock");
    set(&e, "VSOK_UPLOAD_WORKERS", "3");
    set(&e, "VSOK_DB_HOST", "db.internal");
    set(&e, "VSOK_DB_PORT", "3307");
    set(&e, "VSOK_COOKIE_SECURE", "0");
    set(&e, "VSOK_FFMPEG", "");
    set(&e, "VSOK_PREVIEW_TIMEOUT", "5");
    config c;
    char err[256] = "";
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), 0);
    assert_int_equal(c.workers, 3);
    assert_string_equal(c.socket_path, "/tmp/x.sock");
    assert_int_equal(c.socket_mode, 0600);
    assert_int_equal(c.max_requests, 500);
    assert_int_equal(c.max_rss_growth, 0);
    assert_string_equal(c.upload_socket_path, "/tmp/x-upload.sock");
    assert_int_equal(c.upload_workers, 3);
    assert_string_equal(c.db_host, "db.internal");
    assert_int_equal(c.db_port, 3307);
    assert_int_equal(c.cookie_secure, 0);
    assert_string_equal(c.ffmpeg, "");
    assert_int_equal(c.preview_timeout, 5);
}

static void expect_error(const char *name, const char *value)
{
    fake_env e = {0};
    set(&e, name, value);
    config c;
    char err[256] = "";
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), -1);
    assert_non_null(strstr(err, name));
}

static void test_bad_values_name_the_variable(void **state)
{
    (void)state;
    expect_error("VSOK_WORKERS", "0");
    expect_error("VSOK_WORKERS", "many");
    expect_error("VSOK_WORKERS", "4x");
    expect_error("VSOK_WORKERS", "");
    expect_error("VSOK_DB_PORT", "70000");
    expect_error("VSOK_SOCKET_MODE", "999");
    expect_error("VSOK_MAX_RSS_GROWTH", "-1");
    expect_error("VSOK_UPLOAD_WORKERS", "0");
    expect_error("VSOK_UPLOAD_SOCKET", "var/run/vsokd.sock"); /* the API's socket */
    expect_error("VSOK_MAX_BODY", "-1");
    expect_error("VSOK_COOKIE_SECURE", "yes");
    expect_error("VSOK_PREVIEW_TIMEOUT", "0");
    char longpath[600];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    expect_error("VSOK_SOCKET", longpath);
    expect_error("VSOK_MAIL", "sendmail");
    expect_error("VSOK_MAIL", "smtp"); /* without VSOK_SMTP_URL and VSOK_SMTP_FROM */
}

static void test_mail_settings(void **state)
{
    (void)state;
    fake_env e = {0};
    config c;
    char err[256] = "";
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), 0);
    assert_string_equal(c.mail_mode, "off");
    set(&e, "VSOK_MAIL", "smtp");
    set(&e, "VSOK_SMTP_URL", "smtps://mail.example.ru:465");
    set(&e, "VSOK_SMTP_FROM", "noreply@example.ru");
    set(&e, "VSOK_PUBLIC_URL", "https://vsok.example.ru//");
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), 0);
    assert_string_equal(c.mail_mode, "smtp");
    assert_string_equal(c.smtp_url, "smtps://mail.example.ru:465");
    assert_string_equal(c.public_url, "https://vsok.example.ru"); /* trailing slashes dropped */
}

static void test_replica_settings(void **state)
{
    (void)state;
    fake_env e = {0};
    config c;
    char err[256] = "";
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), 0);
    assert_string_equal(c.db_replica_host, "");
    assert_string_equal(c.db_replica_socket, "");
    assert_int_equal(c.db_replica_max_lag, 5);
    set(&e, "VSOK_DB_REPLICA_SOCKET", "/run/replica.sock");
    set(&e, "VSOK_DB_REPLICA_PORT", "3307");
    set(&e, "VSOK_DB_REPLICA_MAX_LAG", "30");
    assert_int_equal(config_load(&c, fake_get, &e, err, sizeof err), 0);
    assert_string_equal(c.db_replica_socket, "/run/replica.sock");
    assert_int_equal(c.db_replica_port, 3307);
    assert_int_equal(c.db_replica_max_lag, 30);
    fake_env bad = {0};
    set(&bad, "VSOK_DB_REPLICA_MAX_LAG", "-1");
    assert_int_equal(config_load(&c, fake_get, &bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "VSOK_DB_REPLICA_MAX_LAG"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_bad_values_name_the_variable),
        cmocka_unit_test(test_mail_settings),
        cmocka_unit_test(test_replica_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
