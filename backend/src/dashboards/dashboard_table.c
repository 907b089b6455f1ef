/* Flattening the dashboard views into tables (dashboard_table.h). */
#include "dashboards/dashboard_table.h"

#include "dashboards/dashboard_data.h"

#include <stdio.h>
#include <string.h>

const char *dash_view_name(dash_view v)
{
    static const char *const names[] = {"children", "breakdown", "completion", "parents"};
    return names[v];
}

const char *dash_view_title(dash_view v)
{
    static const char *const titles[] = {"Подразделения", "Области и показатели", "Заполнение",
                                         "Родители"};
    return titles[v];
}

/* A code and its Russian title, in tables that end with a {NULL, NULL} row. */
typedef struct {
    const char *code, *title;
} code_title;

static const code_title LEVEL_TITLES[] = {{"region", "регион"},
                                          {"municipality", "муниципалитет"},
                                          {"kindergarten", "ДОО"},
                                          {"group", "группа"},
                                          {NULL, NULL}};

static const code_title SOURCE_TITLES[] = {{"self", "самооценка ДОО"},
                                           {"group", "анкеты групп"},
                                           {"expert", "экспертная оценка"},
                                           {"teacher", "самооценка педагогов"},
                                           {NULL, NULL}};

/* The title of code in the table; the code itself when the table lacks it ("" for NULL). */
static const char *title_of(const code_title *table, const char *code)
{
    for (const code_title *t = table; code && t->code; t++)
        if (strcmp(code, t->code) == 0)
            return t->title;
    return code ? code : "";
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A number cell from a JSON number; null, missing or anything else is an empty cell. */
static int num(sheet_table *t, json_t *v)
{
    return json_is_number(v) ? sheet_table_number(t, json_number_value(v)) : sheet_table_empty(t);
}

static int yes_no(sheet_table *t, json_t *v)
{
    return json_is_boolean(v) ? sheet_table_text(t, json_is_true(v) ? "да" : "нет")
                              : sheet_table_empty(t);
}

/* The title block: the unit with its path, the campaign, the instrument and the source. */
static int title_block(sheet_table *t, json_t *doc, const char *view, const char *date)
{
    arena *a = t->a;
    json_t *unit = json_object_get(doc, "unit");
    json_t *path = json_object_get(unit, "path");
    char *line = arena_strdup(a, "");
    size_t i;
    json_t *p;
    json_array_foreach(path, i, p)
    {
        line = line ? arena_sprintf(a, "%s%s%s", line, i ? " / " : "",
                                    str(p, "name") ? str(p, "name") : "")
                    : NULL;
    }
    if (line && !*line)
        line = arena_strdup(a, str(unit, "name") ? str(unit, "name") : "");
    int rc =
        line ? sheet_table_title(t, arena_sprintf(a, "%s (%s) — %s", line,
                                                  title_of(LEVEL_TITLES, str(unit, "level")), view))
             : -1;

    json_t *c = json_object_get(doc, "campaign");
    if (c) {
        json_t *year = json_object_get(c, "year");
        rc |= sheet_table_title(
            t, arena_sprintf(a, "Кампания: %s, %lld год", str(c, "title") ? str(c, "title") : "",
                             json_is_integer(year) ? (long long)json_integer_value(year) : 0LL));
    }
    json_t *ins = json_object_get(doc, "instrument");
    const char *source = str(doc, "source");
    if (ins)
        rc |= sheet_table_title(t, arena_sprintf(a, "Инструмент: %s%s%s",
                                                 str(ins, "title") ? str(ins, "title") : "",
                                                 source ? "; источник: " : "",
                                                 source ? title_of(SOURCE_TITLES, source) : ""));
    json_t *basis = json_object_get(doc, "basis");
    if (json_is_object(basis)) { /* which sheets the figures are made of (docs/figures.md) */
        const char *said = dash_basis_ru(a, basis);
        rc |= said ? sheet_table_title(t, arena_sprintf(a, "Листы в расчёте: %s", said)) |
                         sheet_table_csv_column(t, "Листы в расчёте", said)
                   : -1;
    }
    if (json_is_true(json_object_get(doc, "confirmed")))
        rc |= sheet_table_title(t, "Только детские сады с подтверждёнными результатами");
    rc |= sheet_table_title(t, arena_sprintf(a, "Выгружено: %s", date));
    return rc ? -1 : 0;
}

static int headers(sheet_table *t, const char *const *names, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= sheet_table_header(t, i, names[i]);
    return rc;
}

/* ---------------------------------------------------------------- children */

/* name, level, expected, submitted, approved, n, overall, one column per area, overdue,
 * the kindergarten's status (docs/analysis.md) */
static int children_row(sheet_table *t, json_t *sections, const char *name, const char *level,
                        json_t *item)
{
    json_t *comp = json_object_get(item, "completion");
    json_t *res = json_object_get(item, "results");
    int rc = sheet_table_row(t) | sheet_table_text(t, name) | sheet_table_text(t, level) |
             num(t, json_object_get(comp, "expected")) |
             num(t, json_object_get(comp, "submitted")) |
             num(t, json_object_get(comp, "approved")) | num(t, json_object_get(res, "n")) |
             num(t, json_object_get(res, "overall"));
    size_t i;
    json_t *s;
    json_t *means = json_object_get(res, "sections");
    json_array_foreach(sections, i, s)
    {
        rc |= num(t, json_object_get(means, str(s, "code") ? str(s, "code") : ""));
    }
    rc |= yes_no(t, json_object_get(item, "overdue"));
    const char *status = str(item, "status");
    rc |= status ? sheet_table_text(t, status) : sheet_table_empty(t);
    return rc;
}

static int children_table(arena *a, json_t *doc, const char *date, sheet_table **out)
{
    json_t *sections = json_object_get(json_object_get(doc, "instrument"), "sections");
    size_t nsec = json_array_size(sections);
    if (nsec > SHEET_TABLE_MAX_COLS - 9)
        nsec = SHEET_TABLE_MAX_COLS - 9;
    sheet_table *t = sheet_table_new(a, dash_view_title(DASH_VIEW_CHILDREN), 9 + nsec);
    if (!t || title_block(t, doc, "подразделения", date) != 0)
        return -1;
    static const char *const head[] = {"Организация", "Уровень",    "Ожидается анкет",
                                       "Подано",      "Утверждено", "Анкет в результатах",
                                       "Общий балл"};
    int rc = headers(t, head, 7);
    for (size_t i = 0; i < nsec; i++) {
        json_t *s = json_array_get(sections, i);
        const char *code = str(s, "code"), *title = str(s, "title");
        rc |= sheet_table_header(t, 7 + i,
                                 arena_sprintf(a, "%s %s", code ? code : "", title ? title : ""));
    }
    rc |= sheet_table_header(t, 7 + nsec, "Просрочено");
    rc |= sheet_table_header(t, 8 + nsec, "Статус");
    json_t *unit = json_object_get(doc, "unit");
    rc |= children_row(t, sections,
                       arena_sprintf(a, "Всего: %s", str(unit, "name") ? str(unit, "name") : ""),
                       title_of(LEVEL_TITLES, str(unit, "level")), json_object_get(doc, "total"));
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(doc, "items"), i, item)
    {
        rc |= children_row(t, sections, str(item, "name"),
                           title_of(LEVEL_TITLES, str(item, "level")), item);
    }
    *out = t;
    return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- breakdown */

#define LEVELS 7

static int figure_cells(sheet_table *t, json_t *f)
{
    int rc = num(t, json_object_get(f, "n")) | num(t, json_object_get(f, "mean"));
    json_t *levels = json_object_get(f, "levels");
    for (size_t k = 0; k < LEVELS; k++)
        rc |= num(t, json_array_get(levels, k));
    return rc;
}

static int breakdown_row(sheet_table *t, const char *kind, const char *code, const char *title,
                         json_t *node)
{
    json_t *parent = json_object_get(node, "parent"), *prev = json_object_get(node, "previous");
    return sheet_table_row(t) | sheet_table_text(t, kind) | sheet_table_text(t, code) |
           sheet_table_text(t, title) | figure_cells(t, json_object_get(node, "unit")) |
           num(t, json_object_get(parent, "n")) | num(t, json_object_get(parent, "mean")) |
           num(t, json_object_get(prev, "n")) | num(t, json_object_get(prev, "mean"));
}

static int breakdown_table(arena *a, json_t *doc, const char *date, sheet_table **out)
{
    sheet_table *t = sheet_table_new(a, dash_view_title(DASH_VIEW_BREAKDOWN), 3 + 2 + LEVELS + 4);
    if (!t || title_block(t, doc, "области и показатели", date) != 0)
        return -1;
    json_t *prev = json_object_get(doc, "previous_campaign");
    if (json_is_object(prev))
        sheet_table_title(
            t, arena_sprintf(a, "Сравнение с кампанией %lld года: %s",
                             (long long)json_integer_value(json_object_get(prev, "year")),
                             str(prev, "title") ? str(prev, "title") : ""));
    static const char *const head[] = {"Уровень", "Код", "Название", "Анкет", "Среднее"};
    int rc = headers(t, head, 5);
    for (int k = 0; k < LEVELS; k++)
        rc |= sheet_table_header(t, 5 + (size_t)k, arena_sprintf(a, "На уровне %d", k + 1));
    static const char *const tail[] = {"Анкет (вышестоящий)", "Среднее (вышестоящий)",
                                       "Анкет (прошлый год)", "Среднее (прошлый год)"};
    for (size_t k = 0; k < 4; k++)
        rc |= sheet_table_header(t, 5 + LEVELS + k, tail[k]);
    rc |= breakdown_row(t, "итог", "", "Общий балл", json_object_get(doc, "overall"));
    size_t i, j;
    json_t *s, *ind;
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        rc |= breakdown_row(t, "область", str(s, "code"), str(s, "title"), s);
        json_array_foreach(json_object_get(s, "indicators"), j, ind)
        {
            rc |= breakdown_row(t, "показатель", str(ind, "code"), str(ind, "title"), ind);
        }
    }
    *out = t;
    return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- completion */

static int completion_row(sheet_table *t, json_t *ins, const char *name, json_t *c)
{
    return sheet_table_row(t) | sheet_table_text(t, str(ins, "code")) |
           sheet_table_text(t, str(ins, "title")) |
           sheet_table_text(t, title_of(SOURCE_TITLES, str(ins, "source"))) |
           sheet_table_text(t, name) | num(t, json_object_get(c, "expected")) |
           num(t, json_object_get(c, "submitted")) | num(t, json_object_get(c, "approved")) |
           yes_no(t, json_object_get(c, "overdue"));
}

static int completion_table(arena *a, json_t *doc, const char *date, sheet_table **out)
{
    sheet_table *t = sheet_table_new(a, dash_view_title(DASH_VIEW_COMPLETION), 8);
    if (!t || title_block(t, doc, "заполнение", date) != 0)
        return -1;
    static const char *const head[] = {"Код",       "Инструмент", "Источник",   "Организация",
                                       "Ожидается", "Подано",     "Утверждено", "Просрочено"};
    int rc = headers(t, head, 8);
    const char *unit = str(json_object_get(doc, "unit"), "name");
    size_t i, j;
    json_t *ins, *item;
    json_array_foreach(json_object_get(doc, "instruments"), i, ins)
    {
        rc |= completion_row(t, ins, arena_sprintf(a, "Всего: %s", unit ? unit : ""),
                             json_object_get(ins, "total"));
        json_array_foreach(json_object_get(ins, "items"), j, item)
        {
            rc |= completion_row(t, ins, str(item, "name"), item);
        }
    }
    *out = t;
    return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- parents */

static int parents_row(sheet_table *t, const char *name, json_t *o)
{
    return sheet_table_row(t) | sheet_table_text(t, name) |
           num(t, json_object_get(o, "responses")) | num(t, json_object_get(o, "enrolled")) |
           num(t, json_object_get(o, "response_rate")) | num(t, json_object_get(o, "satisfaction"));
}

static int parents_tables(arena *a, json_t *doc, const char *date, sheet_table **items,
                          sheet_table **statements)
{
    sheet_table *t = sheet_table_new(a, dash_view_title(DASH_VIEW_PARENTS), 5);
    sheet_table *s = sheet_table_new(a, "Утверждения", 5);
    if (!t || !s || title_block(t, doc, "удовлетворённость родителей", date) != 0 ||
        title_block(s, doc, "утверждения анкеты родителей", date) != 0)
        return -1;
    static const char *const head[] = {"Организация", "Ответов", "Детей", "Доля ответивших",
                                       "Удовлетворённость"};
    static const char *const shead[] = {"Код", "Утверждение", "Ответили", "Положительно",
                                        "Доля положительных"};
    int rc = headers(t, head, 5) | headers(s, shead, 5);
    const char *unit = str(json_object_get(doc, "unit"), "name");
    rc |= parents_row(t, arena_sprintf(a, "Всего: %s", unit ? unit : ""),
                      json_object_get(doc, "total"));
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(doc, "items"), i, item)
    {
        rc |= parents_row(t, str(item, "name"), item);
    }
    json_array_foreach(json_object_get(doc, "statements"), i, item)
    {
        rc |= sheet_table_row(s) | sheet_table_text(s, str(item, "code")) |
              sheet_table_text(s, str(item, "title")) | num(s, json_object_get(item, "answered")) |
              num(s, json_object_get(item, "positive")) | num(s, json_object_get(item, "share"));
    }
    *items = t;
    *statements = s;
    return rc ? -1 : 0;
}

int dashboard_tables(arena *a, dash_view v, json_t *doc, const char *date,
                     sheet_table *tables[DASH_TABLES_MAX], size_t *n)
{
    *n = 0;
    int rc;
    switch (v) {
    case DASH_VIEW_CHILDREN:
        rc = children_table(a, doc, date, &tables[0]);
        break;
    case DASH_VIEW_BREAKDOWN:
        rc = breakdown_table(a, doc, date, &tables[0]);
        break;
    case DASH_VIEW_COMPLETION:
        rc = completion_table(a, doc, date, &tables[0]);
        break;
    case DASH_VIEW_PARENTS:
        rc = parents_tables(a, doc, date, &tables[0], &tables[1]);
        if (rc == 0)
            *n = 2;
        return rc;
    default:
        return -1;
    }
    if (rc == 0)
        *n = 1;
    return rc;
}
