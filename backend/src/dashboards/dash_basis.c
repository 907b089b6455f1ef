/* Which sheets a view's figures are made of (docs/figures.md, R1): the source, the statuses
 * that count (approved; experts' sheets from submitted on) and how many of the expected
 * sheets under the unit are counted. The dashboards show it in words, the exports in their
 * header (dashboard_table.c). */
#include "dashboards/dashboard_data.h"

#include <string.h>

json_t *dash_basis_json(const char *source, long expected, long submitted, long approved)
{
    int expert = strcmp(source, "expert") == 0;
    return json_pack("{s:s, s:s, s:I, s:I}", "source", source, "status",
                     expert ? "submitted" : "approved", "counted",
                     (json_int_t)(expert ? submitted : approved), "expected", (json_int_t)expected);
}

db_status dash_basis_load(request *rq, uint64_t campaign, uint64_t instrument_id,
                          const char *source, uint64_t unit, json_t **out)
{
    strmap done, expected;
    long total = 0;
    const char *ids = arena_sprintf(rq->a, "[%llu]", (unsigned long long)unit);
    db_status s =
        ids ? dash_completion_load(rq, campaign, instrument_id, source, ids, &done) : DB_ERROR;
    if (s == DB_OK)
        s = dash_expected_load(rq, campaign, ids, unit, source, &expected, &total);
    if (s != DB_OK)
        return s;
    *out = dash_basis_json(source, total, dash_map_long(rq, &done, unit, 0, 0),
                           dash_map_long(rq, &done, unit, 1, 0));
    return *out ? DB_OK : DB_ERROR;
}

const char *dash_basis_ru(arena *a, const json_t *basis)
{
    static const char *const SOURCES[][2] = {{"self", "Самооценка ДОО"},
                                             {"group", "Листы групп"},
                                             {"expert", "Оценка экспертов"},
                                             {"teacher", "Самооценка педагогов"}};
    const char *source = json_string_value(json_object_get(basis, "source"));
    const char *name = source;
    for (size_t i = 0; source && i < sizeof SOURCES / sizeof SOURCES[0]; i++)
        if (strcmp(SOURCES[i][0], source) == 0)
            name = SOURCES[i][1];
    const char *status = json_string_value(json_object_get(basis, "status"));
    int sent = status && strcmp(status, "submitted") == 0;
    return arena_sprintf(a, "%s, %s: %lld из %lld", name ? name : "",
                         sent ? "отправленные листы" : "утверждённые листы",
                         (long long)json_integer_value(json_object_get(basis, "counted")),
                         (long long)json_integer_value(json_object_get(basis, "expected")));
}
