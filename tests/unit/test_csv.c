/* CSV reading and writing: encodings, delimiters, RFC 4180 quoting, line numbers, limits,
 * the formula guard and header mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/csv.h"

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

static csv_status parse(arena *a, const char *s, csv_doc *d, csv_error *e)
{
    memset(e, 0, sizeof *e);
    return csv_parse(a, s, strlen(s), NULL, d, e);
}

static void assert_record(const csv_doc *d, size_t i, size_t line, size_t n, ...)
{
    assert_true(i < d->nrecords);
    const csv_record *r = &d->records[i];
    assert_int_equal(r->line, line);
    assert_int_equal(r->nfields, n);
    va_list ap;
    va_start(ap, n);
    for (size_t k = 0; k < n; k++) {
        const char *want = va_arg(ap, const char *);
        assert_string_equal(r->fields[k], want);
        assert_int_equal(r->lens[k], strlen(want));
    }
    va_end(ap);
}

static void test_utf8_without_bom(void **state)
{
    csv_doc d;
    csv_error e;
    assert_int_equal(parse(*state, "код;наименование\r\n1;Сад № 5\r\n", &d, &e), CSV_OK);
    assert_int_equal(d.encoding, CSV_UTF8);
    assert_int_equal(d.delimiter, ';');
    assert_int_equal(d.nrecords, 2);
    assert_record(&d, 0, 1, 2, "код", "наименование");
    assert_record(&d, 1, 2, 2, "1", "Сад № 5");
}

static void test_utf8_with_bom_and_comma(void **state)
{
    csv_doc d;
    csv_error e;
    assert_int_equal(parse(*state, "\xEF\xBB\xBFlogin,full_name\nivanova,Иванова М. А.", &d, &e),
                     CSV_OK);
    assert_int_equal(d.encoding, CSV_UTF8_BOM);
    assert_int_equal(d.delimiter, ',');
    assert_record(&d, 0, 1, 2, "login", "full_name");
    /* no final newline */
    assert_record(&d, 1, 2, 2, "ivanova", "Иванова М. А.");
}

static void test_cp1251(void **state)
{
    csv_doc d;
    csv_error e;
    /* «код;наименование» / «1;Мбдоу № 5 "Ёлочка"» in Windows-1251 */
    const char *in = "\xea\xee\xe4;\xed\xe0\xe8\xec\xe5\xed\xee\xe2\xe0\xed\xe8\xe5\r\n"
                     "1;\"\xcc\xe1\xe4\xee\xf3 \xb9 5 \"\"\xa8\xeb\xee\xf7\xea\xe0\"\"\"\r\n";
    assert_int_equal(parse(*state, in, &d, &e), CSV_OK);
    assert_int_equal(d.encoding, CSV_CP1251);
    assert_record(&d, 0, 1, 2, "код", "наименование");
    assert_record(&d, 1, 2, 2, "1", "Мбдоу № 5 \"Ёлочка\"");
}

static void test_cp1251_undefined_byte(void **state)
{
    csv_doc d;
    csv_error e;
    /* 0x98 is neither UTF-8 nor defined in Windows-1251 */
    assert_int_equal(parse(*state, "a;b\n\xcc\xe1;\x98\n", &d, &e), CSV_ERR_ENCODING);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.message, "Windows-1251"));
}

static void test_garbage_refused(void **state)
{
    csv_doc d;
    csv_error e;
    const char nul[] = "a;b\n1;2\nx\0y;3\n";
    assert_int_equal(csv_parse(*state, nul, sizeof nul - 1, NULL, &d, &e), CSV_ERR_ENCODING);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.message, "нулевые байты"));
    assert_int_equal(parse(*state, "a;b\n\x01;2\n", &d, &e), CSV_ERR_ENCODING);
    assert_int_equal(e.line, 2);
    const char utf16[] = "\xFF\xFE"
                         "a\0;\0b\0";
    assert_int_equal(csv_parse(*state, utf16, sizeof utf16 - 1, NULL, &d, &e), CSV_ERR_ENCODING);
    assert_non_null(strstr(e.message, "UTF-16"));
    const char xlsx[] = "PK\x03\x04\x14\0\x06\0";
    assert_int_equal(csv_parse(*state, xlsx, sizeof xlsx - 1, NULL, &d, &e), CSV_ERR_ENCODING);
    assert_non_null(strstr(e.message, "xlsx"));
    /* a BOM promises UTF-8 */
    assert_int_equal(parse(*state,
                           "\xEF\xBB\xBF"
                           "a;b\n\xcc\xe1;1\n",
                           &d, &e),
                     CSV_ERR_ENCODING);
    assert_int_equal(e.line, 2);
    assert_int_equal(parse(*state, "", &d, &e), CSV_ERR_EMPTY);
    assert_int_equal(parse(*state, "\r\n\n\n", &d, &e), CSV_ERR_EMPTY);
}

static void test_delimiter_detection(void **state)
{
    (void)state;
    const char *s = "\"a;b;c\",x,y\n1;2;3;4;5\n";
    assert_int_equal(csv_detect_delimiter(s, strlen(s)), ',');
    s = "a;b,c;d\n";
    assert_int_equal(csv_detect_delimiter(s, strlen(s)), ';');
    s = "a\tb\tc\n";
    assert_int_equal(csv_detect_delimiter(s, strlen(s)), '\t');
    s = "single\n1,2,3\n";
    assert_int_equal(csv_detect_delimiter(s, strlen(s)), ';');
    s = "\n\na,b\n";
    assert_int_equal(csv_detect_delimiter(s, strlen(s)), ',');
    s = "a,b;c\n"; /* a tie goes to ';' */
    assert_int_equal(csv_detect_delimiter(s, strlen(s)), ';');
}

static void test_quotes_and_embedded(void **state)
{
    csv_doc d;
    csv_error e;
    const char *in = "a;b;c\n"
                     "\"x;y\";\"he said \"\"hi\"\"\";plain \"inner\" quote\n"
                     "\"line1\nline2\r\nline3\";\"\";end\n"
                     "last;;\n";
    assert_int_equal(parse(*state, in, &d, &e), CSV_OK);
    assert_int_equal(d.nrecords, 4);
    assert_record(&d, 1, 2, 3, "x;y", "he said \"hi\"", "plain \"inner\" quote");
    assert_record(&d, 2, 3, 3, "line1\nline2\r\nline3", "", "end");
    assert_record(&d, 3, 6, 3, "last", "", "");
}

static void test_line_endings_and_empty_lines(void **state)
{
    csv_doc d;
    csv_error e;
    assert_int_equal(parse(*state, "a,b\r\n1,2\r\n\r\n\n3,4\r\n\r\n\n\r\n", &d, &e), CSV_OK);
    assert_int_equal(d.nrecords, 3);
    assert_record(&d, 1, 2, 2, "1", "2");
    assert_record(&d, 2, 5, 2, "3", "4");
    /* a lone CR ends a line too */
    assert_int_equal(parse(*state, "a;b\r1;2\r3;4", &d, &e), CSV_OK);
    assert_int_equal(d.nrecords, 3);
    assert_record(&d, 2, 3, 2, "3", "4");
    /* spaces after a closing quote are tolerated */
    assert_int_equal(parse(*state, "a;b\n\"x\"  ;y\n", &d, &e), CSV_OK);
    assert_record(&d, 1, 2, 2, "x", "y");
}

static void test_bad_quoting(void **state)
{
    csv_doc d;
    csv_error e;
    assert_int_equal(parse(*state, "a;b\n1;2\n\"open;3\n4;5\n", &d, &e), CSV_ERR_QUOTE);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.message, "не закрыта"));
    assert_int_equal(parse(*state, "a;b\n1;2\n\"x\ny\"z;2\n", &d, &e), CSV_ERR_QUOTE);
    assert_int_equal(e.line, 4);
    assert_non_null(strstr(e.message, "закрывающей кавычки"));
}

static void test_limits(void **state)
{
    csv_doc d;
    csv_error e;
    csv_options o = {.max_fields = 3, .max_field_len = 5, .max_records = 3};
    const char *ok = "a;b;c\n12345;;\n";
    assert_int_equal(csv_parse(*state, ok, strlen(ok), &o, &d, &e), CSV_OK);
    const char *wide = "a;b;c\n1;2;3;4\n";
    assert_int_equal(csv_parse(*state, wide, strlen(wide), &o, &d, &e), CSV_ERR_LIMIT);
    assert_int_equal(e.line, 2);
    const char *longf = "a;b;c\n1;2;3\n\n123456;2\n";
    assert_int_equal(csv_parse(*state, longf, strlen(longf), &o, &d, &e), CSV_ERR_LIMIT);
    assert_int_equal(e.line, 4);
    const char *longq = "a;b;c\n\"12\n3456\"\n";
    assert_int_equal(csv_parse(*state, longq, strlen(longq), &o, &d, &e), CSV_ERR_LIMIT);
    assert_int_equal(e.line, 2);
    const char *many = "a\n1\n2\n3\n";
    assert_int_equal(csv_parse(*state, many, strlen(many), &o, &d, &e), CSV_ERR_TOO_MANY);
    assert_int_equal(e.line, 4);
}

static const char *write_row(arena *a, char sep, const char *const *cells, size_t n)
{
    csv_writer w;
    csv_writer_init(&w, a, sep);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(csv_write_cell(&w, cells[i]), 0);
    assert_int_equal(csv_end_row(&w), 0);
    const char *out;
    size_t len;
    assert_int_equal(csv_writer_finish(&w, &out, &len), 0);
    assert_int_equal(strlen(out), len);
    return out;
}

static void test_writer_quoting(void **state)
{
    const char *cells[] = {"plain", "a;b", "say \"hi\"", "two\nlines", "", NULL, "a,b"};
    assert_string_equal(write_row(*state, ';', cells, 7),
                        "plain;\"a;b\";\"say \"\"hi\"\"\";\"two\nlines\";;;a,b\r\n");
    assert_string_equal(write_row(*state, ',', cells + 6, 1), "\"a,b\"\r\n");
    const char *empty[] = {""};
    assert_string_equal(write_row(*state, ';', empty, 1), "\"\"\r\n");
}

static void test_writer_formula_guard(void **state)
{
    const char *cells[] = {"=cmd|' /C calc'!A0", "+7 900 555-01-01", "-5",  "@SUM(A1)", "\tx",
                           "'=already",          "'plain",           "a=b", "<script>"};
    assert_string_equal(write_row(*state, ';', cells, 9),
                        "'=cmd|' /C calc'!A0;'+7 900 555-01-01;'-5;'@SUM(A1);'\tx;''=already;"
                        "'plain;a=b;<script>\r\n");
    const char *cr[] = {"\rx"};
    assert_string_equal(write_row(*state, ';', cr, 1), "\"'\rx\"\r\n");
    assert_string_equal(csv_unguard("'=x"), "=x");
    assert_string_equal(csv_unguard("''=x"), "'=x");
    assert_string_equal(csv_unguard("'plain"), "'plain");
    assert_string_equal(csv_unguard("=x"), "=x");
    assert_true(csv_is_formula_like("''@x"));
    assert_false(csv_is_formula_like("x=1"));
    assert_false(csv_is_formula_like(""));
}

static void test_writer_round_trip(void **state)
{
    arena *a = *state;
    const char *cells[] = {"=1+2",  "'; DROP TABLE users; --", "\"quoted\"", "a;b\r\nc", "''=x",
                           "Ёлочка"};
    csv_writer w;
    csv_writer_init(&w, a, ';');
    assert_int_equal(csv_write_bom(&w), 0);
    for (int row = 0; row < 2; row++) {
        for (size_t i = 0; i < 6; i++)
            assert_int_equal(csv_write_cell(&w, cells[i]), 0);
        assert_int_equal(csv_end_row(&w), 0);
    }
    const char *out;
    size_t len;
    assert_int_equal(csv_writer_finish(&w, &out, &len), 0);
    csv_doc d;
    csv_error e;
    assert_int_equal(csv_parse(a, out, len, NULL, &d, &e), CSV_OK);
    assert_int_equal(d.encoding, CSV_UTF8_BOM);
    assert_int_equal(d.nrecords, 2);
    assert_int_equal(d.records[1].line, 3);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(csv_unguard(d.records[1].fields[i]), cells[i]);
}

static void test_trim_and_fold(void **state)
{
    arena *a = *state;
    char s1[] = "  \t value \xC2\xA0\r\n";
    assert_string_equal(csv_trim(s1), "value");
    char s2[] = "";
    assert_string_equal(csv_trim(s2), "");
    char s3[] = " \xC2\xA0 ";
    assert_string_equal(csv_trim(s3), "");
    assert_string_equal(csv_fold(a, "  Краткое   НАИМЕНОВАНИЕ ", 0), "краткое наименование");
    assert_string_equal(csv_fold(a, "ЁЛОЧКА ёлка", 0), "елочка елка");
    assert_string_equal(csv_fold(a, "Short_Name", 1), "short name");
    assert_string_equal(csv_fold(a, "Short_Name", 0), "short_name");
    assert_string_equal(csv_fold(a, "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", 0),
                        "абвгдежзийклмнопрстуфхцчшщъыьэюя");
}

static const char *const LOGIN_RU[] = {"логин", NULL};
static const char *const NAME_RU[] = {"ФИО", "фамилия имя отчество", NULL};
static const char *const SHORT_RU[] = {"краткое наименование", "сокращённое наименование", NULL};
static const csv_column COLS[] = {
    {"login", LOGIN_RU, 1},
    {"full_name", NAME_RU, 1},
    {"short_name", SHORT_RU, 0},
    {"email", NULL, 0},
};

static csv_status map(arena *a, const char *header, int *idx, csv_error *e)
{
    csv_doc d;
    assert_int_equal(csv_parse(a, header, strlen(header), NULL, &d, e), CSV_OK);
    return csv_map_header(a, &d.records[0], COLS, 4, idx, e);
}

static void test_header_mapping(void **state)
{
    arena *a = *state;
    int idx[4];
    csv_error e;
    assert_int_equal(map(a, " ФИО ;EMAIL;Логин;;Сокращенное  наименование\n", idx, &e), CSV_OK);
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], 4);
    assert_int_equal(idx[3], 1);
    assert_int_equal(map(a, "full_name,LOGIN\n", idx, &e), CSV_OK);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], -1);
    assert_int_equal(idx[3], -1);
    assert_int_equal(map(a, "Short Name;login;fio\n", idx, &e), CSV_ERR_HEADER);
    assert_int_equal(e.line, 1);
    assert_non_null(strstr(e.message, "«fio»"));
    assert_null(strstr(e.message, "(login)"));
    assert_non_null(strstr(e.message, "«ФИО» (full_name)"));
    assert_int_equal(map(a, "\n\nlogin;ФИО;Логин\n", idx, &e), CSV_ERR_HEADER);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.message, "дважды"));
    assert_int_equal(map(a, "email\n", idx, &e), CSV_ERR_HEADER);
    assert_non_null(strstr(e.message, "«логин» (login), «ФИО» (full_name)"));
}

static void test_field_access(void **state)
{
    csv_doc d;
    csv_error e;
    assert_int_equal(parse(*state, "a;b;c\n1\n", &d, &e), CSV_OK);
    assert_string_equal(csv_field(&d.records[1], 0), "1");
    assert_string_equal(csv_field(&d.records[1], 2), "");
    assert_string_equal(csv_field(&d.records[1], -1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_utf8_without_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_with_bom_and_comma, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cp1251, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cp1251_undefined_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delimiter_detection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_and_embedded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_endings_and_empty_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_formula_guard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trim_and_fold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
