/* The iCalendar writer: CRLF lines, folding at 75 octets without cutting a UTF-8
 * character, TEXT escaping, all-day events with the next day as DTEND. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "campaigns/ics.h"

static int setup(void **state)
{
    arena *a = malloc(sizeof *a);
    if (!a)
        return -1;
    arena_init(a, 4096);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    arena_destroy(*state);
    free(*state);
    return 0;
}

/* Undoes folding: CRLF + space joins lines. */
static char *unfold(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (const char *p = s; *p;) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
            p += 3;
        else
            *o++ = *p++;
    }
    *o = '\0';
    return out;
}

static void test_escape(void **state)
{
    assert_string_equal(ics_escape(*state, "a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    assert_string_equal(ics_escape(*state, ""), "");
}

static void test_fold_ascii(void **state)
{
    ics_writer w = {.a = *state};
    char value[200];
    memset(value, 'x', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    ics_line(&w, "SUMMARY", value);
    /* every physical line is at most 75 octets, continuation lines start with a space */
    int lines = 0;
    for (char *p = w.buf; *p; lines++) {
        char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_true(eol - p <= 75);
        if (lines > 0)
            assert_int_equal(p[0], ' ');
        p = eol + 2;
    }
    assert_int_equal(lines, 3); /* 8 + 199 = 207 octets: 75 + 74 + 58 */
    char *u = unfold(w.buf);
    assert_int_equal(strlen(u), strlen("SUMMARY:") + 199 + 2);
    assert_memory_equal(u + 8, value, 199);
    free(u);
}

static void test_fold_utf8(void **state)
{
    ics_writer w = {.a = *state};
    char value[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(value, "ж"); /* 2 octets each */
    ics_line(&w, "DESCRIPTION", value);
    for (char *p = w.buf; *p;) {
        char *eol = strstr(p, "\r\n");
        assert_true(eol - p <= 75);
        /* a line never ends inside a two-octet character: its last octet is not a lead */
        unsigned char last = (unsigned char)eol[-1];
        assert_false(last >= 0xC0);
        /* and the next physical line does not start with a continuation octet */
        if (eol[2] == ' ')
            assert_false(((unsigned char)eol[3] & 0xC0) == 0x80);
        p = eol + 2;
    }
    char *u = unfold(w.buf);
    assert_string_equal(u + strlen("DESCRIPTION:"), strcat(value, "\r\n"));
    free(u);
}

static void test_calendar(void **state)
{
    ics_writer w;
    ics_begin(&w, *state, "План-график");
    ics_event e = {"task-1@vsok", "2026-10-31", "Срок: самооценка, группа; «Ромашка»",
                   "Строка 1\nСтрока 2", NULL};
    ics_add_event(&w, &e, 0);
    const char *out;
    size_t len;
    assert_int_equal(ics_finish(&w, &out, &len), 0);
    assert_int_equal(strlen(out), len);
    assert_true(strncmp(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    assert_non_null(strstr(out,
                           "\r\nBEGIN:VEVENT\r\nUID:task-1@vsok\r\nDTSTAMP:19700101T000000Z\r\n"
                           "DTSTART;VALUE=DATE:20261031\r\nDTEND;VALUE=DATE:20261101\r\n"));
    char *u = unfold(out);
    assert_non_null(strstr(u, "SUMMARY:Срок: самооценка\\, группа\\; «Ромашка»\r\n"));
    assert_non_null(strstr(u, "DESCRIPTION:Строка 1\\nСтрока 2\r\n"));
    free(u);
    assert_true(len > 15 && strcmp(out + len - 15, "END:VCALENDAR\r\n") == 0);
    /* no bare LF anywhere */
    for (size_t i = 0; i < len; i++)
        if (out[i] == '\n')
            assert_int_equal(out[i - 1], '\r');
}

static void test_year_end_and_bad_date(void **state)
{
    ics_writer w;
    ics_begin(&w, *state, NULL);
    ics_add_event(&w, &(ics_event){"a", "2026-12-31", "x", NULL, NULL}, 0);
    const char *out;
    size_t len;
    assert_int_equal(ics_finish(&w, &out, &len), 0);
    assert_non_null(strstr(out, "DTEND;VALUE=DATE:20270101\r\n"));
    ics_begin(&w, *state, NULL);
    ics_add_event(&w, &(ics_event){"b", "2026-02-30", "x", NULL, NULL}, 0);
    assert_int_equal(ics_finish(&w, &out, &len), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fold_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fold_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calendar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_end_and_bad_date, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
