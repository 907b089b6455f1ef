/* Unit tests for mail_message: headers, RFC 2047 subject words, base64 body, CRLF only,
 * and refusal of addresses that could inject header lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "core/arena.h"
#include "notify/mail_message.h"

static arena A;

static int setup(void **state)
{
    (void)state;
    arena_init(&A, 4096);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_destroy(&A);
    return 0;
}

/* Decodes the base64 between start and the next CR (one line), appending to out. */
static size_t decode_line(const char *start, unsigned char *out)
{
    size_t n = strcspn(start, "\r");
    int k = EVP_DecodeBlock(out, (const unsigned char *)start, (int)n);
    assert_true(k >= 0);
    size_t pad = (n >= 1 && start[n - 1] == '=') + (n >= 2 && start[n - 2] == '=');
    return (size_t)k - pad;
}

/* Joins every encoded word of the Subject header back into UTF-8. */
static char *subject_of(const char *msg)
{
    const char *h = strstr(msg, "\r\nSubject: ");
    assert_non_null(h);
    static char out[4096];
    size_t len = 0;
    const char *end = strstr(h + 2, "\r\nDate: ");
    for (const char *w = strstr(h, "=?UTF-8?B?"); w && w < end; w = strstr(w, "=?UTF-8?B?")) {
        w += 10;
        size_t n = (size_t)(strstr(w, "?=") - w);
        char buf[200];
        memcpy(buf, w, n);
        buf[n] = '\r';
        buf[n + 1] = '\0';
        len += decode_line(buf, (unsigned char *)out + len);
        w += n;
    }
    out[len] = '\0';
    return out;
}

static void test_headers_and_body(void **state)
{
    (void)state;
    size_t len = 0;
    const char *body = "Анкета возвращена.\r\n\r\nhttps://vsok.example/forms/7\r\n";
    char *m = mail_message(&A, "noreply@vsok.example", "m.ivanova@ds12.example",
                           "Анкета возвращена на доработку", body, 0, 42, "vsok.example", &len);
    assert_non_null(m);
    assert_int_equal(len, strlen(m));
    assert_non_null(strstr(m, "From: noreply@vsok.example\r\n"));
    assert_non_null(strstr(m, "To: m.ivanova@ds12.example\r\n"));
    assert_non_null(strstr(m, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
    assert_non_null(strstr(m, "Message-ID: <42.0@vsok.example>\r\n"));
    assert_non_null(strstr(m, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_string_equal(subject_of(m), "Анкета возвращена на доработку");
    /* no bare LF anywhere, and no line over 998 octets */
    for (const char *p = m; *p; p++)
        if (*p == '\n')
            assert_true(p > m && p[-1] == '\r');
    /* the body decodes back to the text */
    const char *b = strstr(m, "\r\n\r\n");
    assert_non_null(b);
    unsigned char dec[512];
    size_t n = 0;
    for (const char *line = b + 4; *line; line = strstr(line, "\r\n") + 2) {
        assert_true(strcspn(line, "\r") <= 76);
        n += decode_line(line, dec + n);
    }
    assert_int_equal(n, strlen(body));
    assert_memory_equal(dec, body, n);
}

static void test_long_subject_folds_without_splitting_characters(void **state)
{
    (void)state;
    char subject[1200] = "";
    for (int i = 0; i < 12; i++)
        strcat(subject, "Экспертиза детского сада ");
    char *m = mail_message(&A, "a@b.example", "c@d.example", subject, "x", 0, 1, "b.example", NULL);
    assert_non_null(m);
    assert_string_equal(subject_of(m), subject);
    const char *h = strstr(m, "Subject: ");
    const char *end = strstr(h, "\r\nDate: ");
    for (const char *line = h; line < end; line = strstr(line, "\r\n") + 2)
        assert_true(strcspn(line, "\r") <= 78);
}

static void test_refuses_header_injection(void **state)
{
    (void)state;
    assert_null(mail_message(&A, "a@b.example", "c@d.example\r\nBcc: x@y.example", "s", "b", 0, 1,
                             NULL, NULL));
    assert_null(mail_message(&A, "a@b.example\n", "c@d.example", "s", "b", 0, 1, NULL, NULL));
    assert_null(mail_message(&A, "", "c@d.example", "s", "b", 0, 1, NULL, NULL));
    /* a subject with a line break is dropped rather than allowed to end the header */
    char *m = mail_message(&A, "a@b.example", "c@d.example", "s\r\nBcc: x@y.example", "b", 0, 1,
                           NULL, NULL);
    assert_non_null(m);
    assert_null(strstr(m, "Bcc:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_headers_and_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_subject_folds_without_splitting_characters, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refuses_header_injection, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
