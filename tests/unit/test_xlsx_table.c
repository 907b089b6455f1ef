/* Tables of typed cells written as XLSX (libxlsxwriter) and CSV: the workbook is a zip
 * whose sheet XML holds numbers as numbers, a bold header style and the column widths;
 * the temporary file is gone afterwards; CSV has the header, the separator, decimal commas
 * and the formula guard on text only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exchange/sheet_table.h"
#include "exchange/xlsx_table.h"

typedef struct {
    arena a;
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    arena_init(&f->a, 4096);
    strcpy(f->dir, "/tmp/vsok-xlsx-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    arena_destroy(&f->a);
    free(f);
    return 0;
}

static sheet_table *sample(arena *a, const char *name)
{
    sheet_table *t = sheet_table_new(a, name, 3);
    assert_non_null(t);
    assert_int_equal(sheet_table_title(t, "Энская область"), 0);
    assert_int_equal(sheet_table_title(t, "Кампания 2026"), 0);
    assert_int_equal(sheet_table_header(t, 0, "Организация"), 0);
    assert_int_equal(sheet_table_header(t, 1, "Анкет"), 0);
    assert_int_equal(sheet_table_header(t, 2, "Средний балл"), 0);
    assert_int_equal(sheet_table_row(t), 0);
    assert_int_equal(sheet_table_text(t, "Детский сад № 12 \"Солнышко\" с очень длинным именем"),
                     0);
    assert_int_equal(sheet_table_number(t, 14), 0);
    assert_int_equal(sheet_table_number(t, 2.84), 0);
    assert_int_equal(sheet_table_row(t), 0);
    assert_int_equal(sheet_table_text(t, "=HYPERLINK(\"x\")"), 0);
    assert_int_equal(sheet_table_number(t, 0), 0);
    assert_int_equal(sheet_table_empty(t), 0);
    return t;
}

/* The text of one member of a zip file, through unzip -p. */
static char *unzip_member(const char *file, const char *member)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", file, member);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

static size_t files_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_widths(void **state)
{
    fixture *f = *state;
    sheet_table *t = sample(&f->a, "x");
    /* the long name: 50 characters (code points, not bytes) + 2 */
    assert_true(xlsx_table_col_width(t, 0) == 52.0);
    /* "Анкет" (5) vs "14" → at least 6 */
    assert_true(xlsx_table_col_width(t, 1) == 7.0);
    assert_true(xlsx_table_col_width(t, 2) == 14.0); /* "Средний балл" */
}

static void test_render_xlsx(void **state)
{
    fixture *f = *state;
    const sheet_table *tables[] = {sample(&f->a, "Дети"), sample(&f->a, "Дети")};
    const char *out = NULL;
    size_t len = 0;
    char err[256] = "";
    assert_int_equal(xlsx_table_render(&f->a, f->dir, tables, 2, &out, &len, err, sizeof err), 0);
    assert_true(len > 1000);
    assert_memory_equal(out, "PK\x03\x04", 4);
    assert_int_equal(files_in(f->dir), 0); /* the temporary file is removed */

    char path[128];
    snprintf(path, sizeof path, "%s/check.xlsx", f->dir);
    FILE *w = fopen(path, "wb");
    assert_non_null(w);
    assert_int_equal(fwrite(out, 1, len, w), len);
    fclose(w);

    char *book = unzip_member(path, "xl/workbook.xml");
    assert_non_null(strstr(book, "name=\"Дети\""));
    assert_non_null(strstr(book, "name=\"Дети (2)\"")); /* sheet names stay distinct */
    free(book);

    char *sheet = unzip_member(path, "xl/worksheets/sheet1.xml");
    /* title rows 1-2, a blank row, the header in row 4, data from row 5 */
    assert_non_null(strstr(sheet, "<c r=\"B5\"><v>14</v></c>"));
    assert_non_null(strstr(sheet, "<c r=\"C5\"><v>2.84</v></c>"));
    assert_non_null(strstr(sheet, "<c r=\"B6\"><v>0</v></c>"));
    assert_null(strstr(sheet, "r=\"C6\"")); /* an empty cell is not written */
    assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"52.7109375\""));
    assert_non_null(strstr(sheet, "<pane ySplit=\"4\""));
    /* the header cells use a style of their own (s="N"), the numbers none */
    char *a4 = strstr(sheet, "<c r=\"A4\" s=\"");
    assert_non_null(a4);
    int style = atoi(a4 + strlen("<c r=\"A4\" s=\""));
    free(sheet);

    char *styles = unzip_member(path, "xl/styles.xml");
    /* cellXfs: the header's xf points at a font with <b/> */
    char *xfs = strstr(styles, "<cellXfs");
    assert_non_null(xfs);
    char *xf = xfs;
    for (int i = 0; i <= style; i++) {
        xf = strstr(xf + 1, "<xf ");
        assert_non_null(xf);
    }
    char *font_id = strstr(xf, "fontId=\"");
    assert_non_null(font_id);
    int font = atoi(font_id + strlen("fontId=\""));
    char *fonts = strstr(styles, "<fonts");
    char *fo = fonts;
    for (int i = 0; i <= font; i++) {
        fo = strstr(fo + 1, "<font>");
        assert_non_null(fo);
    }
    char *end = strstr(fo, "</font>");
    assert_non_null(end);
    *end = '\0';
    assert_non_null(strstr(fo, "<b/>"));
    free(styles);

    char *strings = unzip_member(path, "xl/sharedStrings.xml");
    assert_non_null(strstr(strings, "Энская область"));
    assert_non_null(strstr(strings, "<t>=HYPERLINK(\"x\")</t>")); /* a string, not a formula */
    free(strings);
    unlink(path);
}

static void test_render_errors(void **state)
{
    fixture *f = *state;
    const char *out = NULL;
    size_t len = 0;
    char err[256] = "";
    const sheet_table *one[] = {sample(&f->a, "x")};
    assert_int_equal(
        xlsx_table_render(&f->a, "/nonexistent/dir", one, 1, &out, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir"));
    assert_int_equal(xlsx_table_render(&f->a, f->dir, one, 0, &out, &len, err, sizeof err), -1);
    assert_int_equal(files_in(f->dir), 0);
}

static void test_builder_limits(void **state)
{
    fixture *f = *state;
    assert_null(sheet_table_new(&f->a, "x", 0));
    sheet_table *t = sheet_table_new(&f->a, "x", 1);
    assert_int_equal(sheet_table_text(t, "before a row"), -1);
    assert_int_equal(sheet_table_row(t), 0);
    assert_int_equal(sheet_table_number(t, 1), 0);
    assert_int_equal(sheet_table_number(t, 2), -1); /* one column only */
    assert_int_equal(sheet_table_header(t, 1, "no such column"), -1);
    assert_int_equal(sheet_table_row(t), 0);
    assert_int_equal(sheet_table_number(t, 0.0 / 0.0), 0); /* NaN: an empty cell */
    assert_int_equal(sheet_table_cell(t, 1, 0)->kind, CELL_EMPTY);
    for (int i = 0; i < 200; i++)
        assert_int_equal(sheet_table_row(t), 0);
    assert_int_equal(t->nrows, 202);
    assert_true(sheet_table_cell(t, 0, 0)->number == 1.0);
}

static void test_csv(void **state)
{
    fixture *f = *state;
    sheet_table *t = sample(&f->a, "x");
    assert_int_equal(sheet_table_row(t), 0);
    assert_int_equal(sheet_table_text(t, "a;b"), 0);
    assert_int_equal(sheet_table_number(t, -1.5), 0);
    assert_int_equal(sheet_table_number(t, 1.0 / 3.0), 0);

    csv_writer w;
    const char *out;
    size_t len;
    csv_writer_init(&w, &f->a, ';');
    assert_int_equal(csv_write_bom(&w), 0);
    assert_int_equal(sheet_table_csv(t, &w, 1), 0);
    assert_int_equal(csv_writer_finish(&w, &out, &len), 0);
    assert_string_equal(out,
                        "\xEF\xBB\xBF"
                        "Организация;Анкет;Средний балл\r\n"
                        "\"Детский сад № 12 \"\"Солнышко\"\" с очень длинным именем\";14;2,84\r\n"
                        "\"'=HYPERLINK(\"\"x\"\")\";0;\r\n"
                        "\"a;b\";-1,5;0,3333333333333333\r\n");

    csv_writer_init(&w, &f->a, ',');
    assert_int_equal(sheet_table_csv(t, &w, 0), 0);
    assert_int_equal(csv_writer_finish(&w, &out, &len), 0);
    assert_non_null(strstr(out, "\r\na;b,-1.5,0.3333333333333333\r\n"));
    assert_non_null(strstr(out, ",14,2.84\r\n"));

    char buf[64];
    const struct {
        double v;
        int comma;
        const char *text;
    } numbers[] = {{20, 1, "20"},           {1500, 0, "1500"},   {100000, 1, "100000"},
                   {-0.0, 0, "0"},          {2.5, 1, "2,5"},     {0.1, 0, "0.1"},
                   {123.456, 1, "123,456"}, {-1.25, 0, "-1.25"}, {1e20, 0, "1e+20"}};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        csv_number_text(numbers[i].v, numbers[i].comma, buf, sizeof buf);
        assert_string_equal(buf, numbers[i].text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_widths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builder_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
