/* Captions of evidence links (evidence_caption.c): trimmed, UTF-8 checked (overlong forms,
 * surrogates, cut sequences), control characters refused, at most 1000 characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "evidence/evidence_caption.h"

static caption_result clean(arena *a, const char *s, const char **out)
{
    return evidence_caption_clean(a, s, strlen(s), out);
}

static void test_trim_and_empty(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    const char *out;
    assert_int_equal(clean(&a, "  \tПрогулка во дворе\r\n ", &out), CAPTION_OK);
    assert_string_equal(out, "Прогулка во дворе");
    assert_int_equal(clean(&a, "две\nстроки", &out), CAPTION_OK);
    assert_string_equal(out, "две\nстроки");
    assert_int_equal(clean(&a, " \n\t ", &out), CAPTION_OK);
    assert_null(out);
    assert_int_equal(clean(&a, "", &out), CAPTION_OK);
    assert_null(out);
    arena_destroy(&a);
}

static void test_bad_utf8(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    const char *out;
    assert_int_equal(clean(&a, "\xC0\xAF", &out), CAPTION_BAD_UTF8);         /* overlong '/' */
    assert_int_equal(clean(&a, "\xED\xA0\x80", &out), CAPTION_BAD_UTF8);     /* surrogate */
    assert_int_equal(clean(&a, "abc\xD0", &out), CAPTION_BAD_UTF8);          /* cut */
    assert_int_equal(clean(&a, "\xF4\x90\x80\x80", &out), CAPTION_BAD_UTF8); /* > U+10FFFF */
    assert_int_equal(clean(&a, "\xFF", &out), CAPTION_BAD_UTF8);
    assert_int_equal(clean(&a, "emoji \xF0\x9F\x93\xB7", &out), CAPTION_OK);
    assert_int_equal(evidence_caption_clean(&a, "a\0b", 3, &out), CAPTION_CONTROL);
    assert_int_equal(clean(&a, "bell\a", &out), CAPTION_CONTROL);
    assert_int_equal(clean(&a, "c1 \xC2\x85", &out), CAPTION_CONTROL);
    arena_destroy(&a);
}

static void test_length(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 16384);
    char s[2 * 1001 + 8];
    const char *out;
    size_t o = 0;
    s[o++] = ' ';
    for (int i = 0; i < 1000; i++) {
        memcpy(s + o, "ж", 2);
        o += 2;
    }
    s[o++] = '\n';
    s[o] = '\0';
    assert_int_equal(clean(&a, s, &out), CAPTION_OK); /* 1000 letters once trimmed */
    assert_int_equal(strlen(out), 2000);
    memcpy(s + o - 1, "ж", 3);
    assert_int_equal(clean(&a, s, &out), CAPTION_TOO_LONG);
    assert_string_not_equal(evidence_caption_message(CAPTION_TOO_LONG), "");
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_and_empty),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
