/* The dashboard views flattened into tables for the exports: every number of the JSON
 * lands in a number cell of the right row and column, nulls become empty cells, the title
 * block names the unit, the campaign and the instrument. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dashboards/dashboard_table.h"

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

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *doc = json_loads(text, 0, &e);
    if (!doc)
        fail_msg("bad JSON in the test: %s at %d", e.text, e.position);
    return doc;
}

#define HEAD                                                                                                   \
    "\"unit\": {\"id\": 1, \"name\": \"Энская область\", \"level\": \"region\", \"path\": "       \
    "[{\"id\": 1, \"name\": \"Энская область\", \"level\": \"region\"}]},"                        \
    "\"campaign\": {\"id\": 3, \"title\": \"МКДО\", \"year\": 2026, \"closes_on\": "                       \
    "\"2026-12-20\", \"closed\": false},"                                                                      \
    "\"instrument\": {\"id\": 1, \"code\": \"QS\", \"title\": \"Шкала\", \"sections\": "                  \
    "[{\"code\": \"A1\", \"title\": \"Ориентиры\"}, {\"code\": \"A2\", \"title\": \"Среда\"}], " \
    "\"max_level\": 5}, \"source\": \"self\""

static void assert_num(const sheet_table *t, size_t row, size_t col, double v)
{
    const table_cell *c = sheet_table_cell(t, row, col);
    assert_non_null(c);
    assert_int_equal(c->kind, CELL_NUMBER);
    assert_true(c->number == v);
}

static void assert_text(const sheet_table *t, size_t row, size_t col, const char *s)
{
    const table_cell *c = sheet_table_cell(t, row, col);
    assert_non_null(c);
    assert_int_equal(c->kind, CELL_TEXT);
    assert_string_equal(c->text, s);
}

static void assert_empty(const sheet_table *t, size_t row, size_t col)
{
    const table_cell *c = sheet_table_cell(t, row, col);
    assert_non_null(c);
    assert_int_equal(c->kind, CELL_EMPTY);
}

static void test_children(void **state)
{
    json_t *doc =
        load("{" HEAD ", \"total\": {\"completion\": {\"expected\": 20, \"submitted\": 14, "
             "\"approved\": 9}, \"results\": {\"n\": 9, \"overall\": 2.84, \"sections\": "
             "{\"A1\": 3.1, \"A2\": 2.5}, \"levels\": [0,1,4,3,1,0,0]}},"
             "\"items\": [{\"id\": 7, \"name\": \"Лесной округ\", \"level\": "
             "\"municipality\", \"overdue\": true, \"completion\": {\"expected\": 8, "
             "\"submitted\": 5, \"approved\": 3}, \"results\": {\"n\": 0, \"overall\": "
             "null, \"sections\": {\"A1\": null}, \"levels\": [0,0,0,0,0,0,0]}, "
             "\"status\": \"Базовый\"}], \"count\": 1}");
    sheet_table *t[DASH_TABLES_MAX];
    size_t n = 0;
    assert_int_equal(dashboard_tables(*state, DASH_VIEW_CHILDREN, doc, "2026-12-01", t, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(t[0]->ncols, 11);
    assert_int_equal(t[0]->nrows, 2);
    assert_string_equal(t[0]->title[0], "Энская область (регион) — подразделения");
    assert_string_equal(t[0]->title[1], "Кампания: МКДО, 2026 год");
    assert_string_equal(t[0]->title[2], "Инструмент: Шкала; источник: самооценка ДОО");
    assert_string_equal(t[0]->title[3], "Выгружено: 2026-12-01");
    assert_string_equal(t[0]->header[7], "A1 Ориентиры");
    assert_string_equal(t[0]->header[9], "Просрочено");
    assert_string_equal(t[0]->header[10], "Статус"); /* docs/analysis.md */
    assert_text(t[0], 0, 0, "Всего: Энская область");
    assert_num(t[0], 0, 2, 20);
    assert_num(t[0], 0, 3, 14);
    assert_num(t[0], 0, 4, 9);
    assert_num(t[0], 0, 5, 9);
    assert_num(t[0], 0, 6, 2.84);
    assert_num(t[0], 0, 7, 3.1);
    assert_num(t[0], 0, 8, 2.5);
    assert_empty(t[0], 0, 9); /* the total has no overdue flag */
    assert_text(t[0], 1, 0, "Лесной округ");
    assert_text(t[0], 1, 1, "муниципалитет");
    assert_num(t[0], 1, 2, 8);
    assert_num(t[0], 1, 5, 0);
    assert_empty(t[0], 1, 6); /* overall null */
    assert_empty(t[0], 1, 7);
    assert_empty(t[0], 1, 8); /* A2 missing */
    assert_text(t[0], 1, 9, "да");
    assert_empty(t[0], 0, 10);
    assert_text(t[0], 1, 10, "Базовый");
    json_decref(doc);
}

static void test_breakdown(void **state)
{
    json_t *doc = load(
        "{" HEAD ", \"previous_campaign\": {\"id\": 1, \"year\": 2025, \"title\": \"МКДО 2025\"},"
        "\"overall\": {\"unit\": {\"n\": 9, \"mean\": 2.84, \"levels\": [0,1,4,3,1,0,0]}, "
        "\"parent\": null, \"previous\": {\"n\": 8, \"mean\": 2.5, \"levels\": [0,2,4,2,0,0,0]}},"
        "\"sections\": [{\"code\": \"A1\", \"title\": \"Ориентиры\", \"unit\": {\"n\": 9, "
        "\"mean\": "
        "3.1, \"levels\": [0,1,4,3,1,0,0]}, \"parent\": null, \"previous\": null, \"indicators\": "
        "[{\"code\": \"A1.1\", \"title\": \"Цели\", \"unit\": {\"n\": 0, \"mean\": null, "
        "\"levels\": [0,0,0,0,0,0,0]}, \"parent\": null, \"previous\": null}]}]}");
    sheet_table *t[DASH_TABLES_MAX];
    size_t n = 0;
    assert_int_equal(dashboard_tables(*state, DASH_VIEW_BREAKDOWN, doc, "2026-12-01", t, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(t[0]->nrows, 3);
    assert_int_equal(t[0]->ncols, 16);
    assert_string_equal(t[0]->title[4], "Сравнение с кампанией 2025 года: МКДО 2025");
    assert_text(t[0], 0, 2, "Общий балл");
    assert_num(t[0], 0, 3, 9);
    assert_num(t[0], 0, 4, 2.84);
    assert_num(t[0], 0, 5, 0);
    assert_num(t[0], 0, 7, 4); /* level 3 */
    assert_empty(t[0], 0, 12); /* no parent */
    assert_num(t[0], 0, 14, 8);
    assert_num(t[0], 0, 15, 2.5);
    assert_text(t[0], 1, 0, "область");
    assert_text(t[0], 1, 1, "A1");
    assert_num(t[0], 1, 4, 3.1);
    assert_text(t[0], 2, 0, "показатель");
    assert_text(t[0], 2, 1, "A1.1");
    assert_num(t[0], 2, 3, 0);
    assert_empty(t[0], 2, 4);
    json_decref(doc);
}

static void test_completion(void **state)
{
    json_t *doc =
        load("{" HEAD ", \"instruments\": [{\"id\": 1, \"code\": \"QS\", \"title\": \"Шкала\", "
             "\"source\": \"group\", \"total\": {\"expected\": 40, \"submitted\": 30, "
             "\"approved\": 20}, "
             "\"items\": [{\"id\": 7, \"name\": \"Сад\", \"expected\": 8, \"submitted\": 8, "
             "\"approved\": 2, \"overdue\": false}]}]}");
    sheet_table *t[DASH_TABLES_MAX];
    size_t n = 0;
    assert_int_equal(dashboard_tables(*state, DASH_VIEW_COMPLETION, doc, "2026-12-01", t, &n), 0);
    assert_int_equal(t[0]->nrows, 2);
    assert_text(t[0], 0, 2, "анкеты групп");
    assert_text(t[0], 0, 3, "Всего: Энская область");
    assert_num(t[0], 0, 4, 40);
    assert_num(t[0], 0, 6, 20);
    assert_text(t[0], 1, 3, "Сад");
    assert_num(t[0], 1, 5, 8);
    assert_text(t[0], 1, 7, "нет");
    json_decref(doc);
}

static void test_parents(void **state)
{
    json_t *doc = load(
        "{" HEAD ", \"total\": {\"responses\": 120, \"enrolled\": 300, \"response_rate\": 0.4, "
        "\"satisfaction\": 0.8125}, \"statements\": [{\"code\": \"PQ.1.1.1\", \"title\": "
        "\"Информация\", \"answered\": 118, \"positive\": 90, \"share\": 0.7627}], \"items\": "
        "[{\"id\": 9, \"name\": \"Сад\", \"responses\": 3, \"enrolled\": null, \"response_rate\": "
        "null, \"satisfaction\": 1}]}");
    sheet_table *t[DASH_TABLES_MAX];
    size_t n = 0;
    assert_int_equal(dashboard_tables(*state, DASH_VIEW_PARENTS, doc, "2026-12-01", t, &n), 0);
    assert_int_equal(n, 2);
    assert_num(t[0], 0, 1, 120);
    assert_num(t[0], 0, 3, 0.4);
    assert_num(t[0], 0, 4, 0.8125);
    assert_text(t[0], 1, 0, "Сад");
    assert_empty(t[0], 1, 2);
    assert_empty(t[0], 1, 3);
    assert_num(t[0], 1, 4, 1);
    assert_string_equal(t[1]->name, "Утверждения");
    assert_text(t[1], 0, 0, "PQ.1.1.1");
    assert_num(t[1], 0, 2, 118);
    assert_num(t[1], 0, 4, 0.7627);
    json_decref(doc);
}

static void test_odd_documents(void **state)
{
    /* missing parts give empty tables, never a crash */
    json_t *doc = load("{\"unit\": 5, \"items\": {}, \"sections\": \"x\", \"instruments\": [1]}");
    sheet_table *t[DASH_TABLES_MAX];
    size_t n = 0;
    for (int v = DASH_VIEW_CHILDREN; v <= DASH_VIEW_PARENTS; v++) {
        assert_int_equal(dashboard_tables(*state, (dash_view)v, doc, "2026-12-01", t, &n), 0);
        assert_true(n >= 1);
    }
    json_decref(doc);
    assert_string_equal(dash_view_name(DASH_VIEW_PARENTS), "parents");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_children, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breakdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_odd_documents, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
