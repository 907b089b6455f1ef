/* GET /api/v1/dashboards/units/{id}/parents: parent questionnaire responses, response rate
 * and satisfaction (share of positive answers) for the unit and each child, and per
 * statement for the unit. */
#include "dashboards/dashboard_data.h"

#include <stdlib.h>
#include <string.h>

/* Responses and the pooled answered / positive counts per unit of ids ("<id>" -> long[2]
 * in each map). */
static db_status load(request *rq, const dash_query *q, const char *ids, strmap *responses,
                      strmap *answers)
{
    db_val p[] = {DB_STR(ids), DB_INT(q->campaign_id), DB_INT(q->instrument_id)};
    db_status s =
        DASH_PAIRS_LOAD(rq,
                        "SELECT r.unit_id, r.responses, 0 FROM JSON_TABLE(?, '$[*]' COLUMNS (id "
                        "BIGINT UNSIGNED PATH '$')) a JOIN rollup_parent_responses r ON "
                        "r.campaign_id = ? AND r.instrument_id = ? AND r.unit_id = a.id",
                        p, responses);
    if (s != DB_OK)
        return s;
    return DASH_PAIRS_LOAD(
        rq,
        "SELECT r.unit_id, SUM(r.answered), SUM(r.positive) FROM JSON_TABLE(?, '$[*]' "
        "COLUMNS (id BIGINT UNSIGNED PATH '$')) a JOIN rollup_parent_statements r ON "
        "r.campaign_id = ? AND r.instrument_id = ? AND r.unit_id = a.id GROUP BY "
        "r.unit_id",
        p, answers);
}

/* {"responses","enrolled","response_rate","satisfaction"} of one unit. */
static json_t *figures(request *rq, uint64_t id, const strmap *responses, const strmap *answers,
                       long enrolled)
{
    long n = dash_map_long(rq, responses, id, 0, 0);
    long answered = dash_map_long(rq, answers, id, 0, 0);
    long positive = dash_map_long(rq, answers, id, 1, 0);
    return json_pack("{s:I, s:o, s:o, s:o}", "responses", (json_int_t)n, "enrolled",
                     enrolled < 0 ? json_null() : json_integer(enrolled), "response_rate",
                     dash_share_json(enrolled < 0 ? -1 : dash_response_rate(n, enrolled)),
                     "satisfaction", dash_share_json(dash_share(answered, positive)));
}

/* Per statement of the unit, in the instrument's order. */
static db_status statements(request *rq, const dash_query *q, const stored_instrument *si,
                            json_t **out)
{
    db_result r;
    db_val p[] = {DB_INT(q->campaign_id), DB_INT(q->instrument_id), DB_INT(q->unit.id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT code, answered, positive FROM rollup_parent_statements WHERE "
                          "campaign_id = ? AND instrument_id = ? AND unit_id = ?",
                          p, &r);
    if (s != DB_OK)
        return s;
    *out = json_array();
    const instrument *ins = si->ins;
    for (size_t i = 0; i < ins->n_items; i++) {
        const inst_item *it = &ins->items[i];
        if (!instrument_item_scored(RULE_SHARE_POSITIVE, it))
            continue;
        long answered = 0, positive = 0;
        for (size_t k = 0; k < r.nrows; k++)
            if (strcmp(db_cell(&r, k, 0), it->code) == 0)
                answered = (long)db_cell_int(&r, k, 1, 0),
                positive = (long)db_cell_int(&r, k, 2, 0);
        json_array_append_new(
            *out, json_pack("{s:s, s:s?, s:I, s:I, s:o}", "code", it->code, "title", it->text.ru,
                            "answered", (json_int_t)answered, "positive", (json_int_t)positive,
                            "share", dash_share_json(dash_share(answered, positive))));
    }
    return DB_OK;
}

db_status dashboard_parents_json(request *rq, const dash_query *q, json_t **out)
{
    *out = NULL;
    dash_campaign c;
    stored_instrument si;
    dash_children ch;
    strmap responses, answers, enrolled;
    long total_enrolled = -1;
    db_status s = dash_view_load(rq, q, &c, &si);
    if (s == DB_OK)
        s = dash_children_load(rq, &q->unit, 1, q->q, &ch);
    const char *ids =
        s == DB_OK ? dash_ids_json(rq->a, q->unit.id, &ch, q->offset, q->limit) : NULL;
    if (s == DB_OK)
        s = ids ? load(rq, q, ids, &responses, &answers) : DB_ERROR;
    if (s == DB_OK)
        s = dash_enrolled_load(rq, ids, q->unit.id, &enrolled, &total_enrolled);
    json_t *unit = NULL, *st = NULL;
    if (s == DB_OK)
        s = statements(rq, q, &si, &st);
    if (s == DB_OK)
        s = dash_unit_json(rq, &q->unit, &unit);
    if (s != DB_OK) {
        json_decref(st);
        return s;
    }
    json_t *items = json_array();
    for (size_t i = (size_t)q->offset; i < ch.n && i < (size_t)q->offset + (size_t)q->limit; i++) {
        json_t *o = figures(rq, ch.ids[i], &responses, &answers,
                            dash_map_long(rq, &enrolled, ch.ids[i], 0, -1));
        json_object_set_new(o, "id", json_integer((json_int_t)ch.ids[i]));
        json_object_set_new(o, "name", json_string(ch.names[i]));
        json_object_set_new(o, "level", json_string(ch.levels[i]));
        json_array_append_new(items, o);
    }
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "unit", unit, "campaign",
                     dash_campaign_json(&c), "instrument", dash_instrument_json(&si), "total",
                     figures(rq, q->unit.id, &responses, &answers, total_enrolled), "statements",
                     st, "items", items, "count", (json_int_t)ch.n);
    return *out ? DB_OK : DB_ERROR;
}
