/* The sheets about a municipality or the region itself (a founder's assessment, stage V of
 * the road map: «экспертная оценка качества работы учредителей ДОО»), shown in the unit's
 * dashboard beside its kindergartens' figures. They are not rolled up: a municipality's own
 * sheet is not one more kindergarten (docs/analysis.md, "Founders assessed"). */
#include "dashboards/dashboard.h"

#include "dashboards/rollup_rules.h"
#include "forms/instrument_store.h"

#include <stdlib.h>

db_status dash_own_sheets_json(request *rq, const scope_unit *unit, uint64_t campaign_id,
                               json_t **out)
{
    *out = json_array();
    if (unit->level != LEVEL_MUNICIPALITY && unit->level != LEVEL_REGION)
        return DB_OK;
    db_result r;
    db_val p[] = {DB_INT(campaign_id), DB_INT(unit->id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT s.id, i.id, i.code, i.title, s.respondent_role, s.status, " ROLLUP_RESULTS_SQL
        ", s.overall_score, s.scores, u.full_name FROM submissions s JOIN instruments i ON i.id "
        "= s.instrument_id JOIN users u ON u.id = s.created_by WHERE s.campaign_id = ? AND "
        "s.target_unit_id = ? AND s.status <> 'draft' AND s.status <> 'returned' ORDER BY i.code, "
        "s.id",
        p, &r);
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        stored_instrument si;
        int found = 0;
        s = instrument_store_get(rq->instruments, rq->db, rq->a, (uint64_t)db_cell_int(&r, i, 1, 0),
                                 &si, &found);
        if (s != DB_OK)
            break;
        json_t *scores = db_cell(&r, i, 8) ? json_loads(db_cell(&r, i, 8), 0, NULL) : NULL;
        json_t *sections = json_array(), *list = json_object_get(scores, "sections");
        size_t k;
        json_t *sec;
        json_array_foreach(list, k, sec)
        {
            json_t *mean = json_object_get(sec, "mean");
            const char *code = json_string_value(json_object_get(sec, "code"));
            const inst_section *is = found && code ? instrument_section(si.ins, code) : NULL;
            json_array_append_new(sections, json_pack("{s:s?, s:s?, s:O}", "code", code, "title",
                                                      is ? is->title.ru : NULL, "mean",
                                                      mean ? mean : json_null()));
        }
        const char *overall = db_cell(&r, i, 7);
        json_array_append_new(
            *out, json_pack("{s:I, s:{s:I, s:s, s:s}, s:s, s:s, s:b, s:o, s:o, s:s}", "id",
                            (json_int_t)db_cell_int(&r, i, 0, 0), "instrument", "id",
                            (json_int_t)db_cell_int(&r, i, 1, 0), "code", db_cell(&r, i, 2),
                            "title", db_cell(&r, i, 3), "respondent_role", db_cell(&r, i, 4),
                            "status", db_cell(&r, i, 5), "counted", (int)db_cell_int(&r, i, 6, 0),
                            "overall", overall ? json_real(strtod(overall, NULL)) : json_null(),
                            "sections", sections, "author", db_cell(&r, i, 9)));
        json_decref(scores);
    }
    return s;
}
