/* GET /me/expert-tasks: the expert's task list (docs/api-experts.md). Each assigned, active
 * kindergarten with, per campaign that covers it and instrument an expert fills for a
 * kindergarten, the state of the kindergarten's self-assessment, of the expert's own sheet
 * and of the expert's report. An assignment tied to a campaign lists that campaign only. */
#include "experts/handlers.h"
#include "auth/principal.h"

#include "auth/scope.h"

#include <string.h>

static json_t *state(const db_result *r, size_t i, size_t col)
{
    if (!db_cell(r, i, col))
        return json_null();
    return json_pack("{s:I, s:s}", "id", (json_int_t)db_cell_int(r, i, col, 0), "status",
                     db_cell(r, i, col + 1));
}

static json_t *kindergarten_json(const db_result *r, size_t i)
{
    const char *kind = db_cell(r, i, 4);
    json_t *m = db_cell(r, i, 2)
                    ? json_pack("{s:I, s:s}", "id", (json_int_t)db_cell_int(r, i, 2, 0), "name",
                                db_cell(r, i, 3))
                    : json_null();
    return json_pack("{s:{s:I, s:s, s:o}, s:o, s:o}", "kindergarten", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "name", db_cell(r, i, 1), "municipality",
                     m, "kind", kind ? json_string(kind) : json_null(), "campaigns", json_array());
}

static json_t *task_json(const db_result *r, size_t i)
{
    return json_pack("{s:{s:I, s:s, s:I, s:s, s:s, s:b}, s:{s:I, s:s, s:s}, s:o, s:o, s:o}",
                     "campaign", "id", (json_int_t)db_cell_int(r, i, 5, 0), "title",
                     db_cell(r, i, 6), "year", (json_int_t)db_cell_int(r, i, 7, 0), "opens_on",
                     db_cell(r, i, 8), "closes_on", db_cell(r, i, 9), "open",
                     (int)db_cell_int(r, i, 10, 0), "instrument", "id",
                     (json_int_t)db_cell_int(r, i, 11, 0), "code", db_cell(r, i, 12), "title",
                     db_cell(r, i, 13), "self_assessment", state(r, i, 14), "expert_sheet",
                     state(r, i, 16), "report", state(r, i, 18));
}

int handle_me_expert_tasks(request *rq, response *rs)
{
    uint64_t me = rq->me->user_id;
    db_val p[] = {DB_INT(me), DB_INT(me), DB_INT(me)};
    db_result r;
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT k.id, k.name, m.id, m.name, ea.kind, c.id, c.title, c.year, "
        "DATE_FORMAT(c.opens_on, '%Y-%m-%d'), DATE_FORMAT(c.closes_on, '%Y-%m-%d'), "
        "CURRENT_DATE BETWEEN c.opens_on AND c.closes_on, i.id, i.code, i.title, "
        "sa.id, sa.status, es.id, es.status, er.id, er.status "
        "FROM expert_assignments ea JOIN org_units k ON k.id = ea.kindergarten_id "
        "LEFT JOIN org_units m ON m.id = k.parent_id "
        "LEFT JOIN campaigns c ON (ea.campaign_id IS NULL OR c.id = ea.campaign_id) AND "
        "c.cancelled_at IS NULL AND "
        "EXISTS (SELECT 1 FROM org_units co WHERE co.id = c.org_unit_id AND k.path LIKE "
        "CONCAT(co.path, '%')) "
        "LEFT JOIN (campaign_instruments ci JOIN instruments i ON i.id = ci.instrument_id AND "
        "FIND_IN_SET('expert', i.respondents) AND FIND_IN_SET('kindergarten', i.targets)) "
        "ON ci.campaign_id = c.id "
        "LEFT JOIN submissions sa ON sa.campaign_id = c.id AND sa.instrument_id = i.id AND "
        "sa.target_unit_id = k.id AND sa.target_user_id = 0 AND sa.respondent_role = "
        "'doo_coordinator' "
        "LEFT JOIN submissions es ON es.campaign_id = c.id AND es.instrument_id = i.id AND "
        "es.target_unit_id = k.id AND es.target_user_id = ? "
        "LEFT JOIN expert_reports er ON er.campaign_id = c.id AND er.kindergarten_id = k.id AND "
        "er.expert_id = ? "
        "WHERE ea.expert_id = ? AND k.active = 1 AND " ASSIGNMENT_CURRENT_SQL(
            "ea") " "
                  "ORDER BY k.name, k.id, c.opens_on DESC, c.id DESC, i.code LIMIT 5000",
        p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *items = json_array();
    json_t *cur = NULL;
    long long cur_id = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        long long kid = db_cell_int(&r, i, 0, 0);
        if (!cur || kid != cur_id) {
            cur = kindergarten_json(&r, i);
            cur_id = kid;
            json_array_append_new(items, cur);
        }
        if (db_cell(&r, i, 11)) /* a campaign with an instrument for experts */
            json_array_append_new(json_object_get(cur, "campaigns"), task_json(&r, i));
    }
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}
