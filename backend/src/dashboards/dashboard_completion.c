/* GET /api/v1/dashboards/units/{id}/completion: for each instrument of the campaign and
 * each source of its sheets, expected / submitted / approved for the unit and each child. */
#include "dashboards/dashboard_data.h"

#include "dashboards/rollup_rules.h"

#include <string.h>

static db_status campaign_instruments(request *rq, const dash_query *q, db_result *r)
{
    db_val p[] = {DB_INT(q->campaign_id), DB_INT(q->instrument_given), DB_INT(q->instrument_id)};
    return DB_EXEC(rq->db, rq->a,
                   "SELECT i.id FROM campaign_instruments ci JOIN instruments i ON i.id = "
                   "ci.instrument_id WHERE ci.campaign_id = ? AND (? = 0 OR i.id = ?) ORDER BY "
                   "i.code, i.id",
                   p, r);
}

/* One instrument and source: {"id","code","title","source","total","items"}. */
static db_status one(request *rq, const dash_query *q, const dash_campaign *c,
                     const stored_instrument *si, const char *source, const dash_children *ch,
                     const char *ids, json_t **out)
{
    strmap done, expected;
    long total = 0;
    dash_late late;
    db_status s = dash_completion_load(rq, c->id, si->id, source, ids, &done);
    if (s == DB_OK)
        s = dash_expected_load(rq, c->id, ids, q->unit.id, source, &expected, &total);
    if (s == DB_OK)
        s = dash_late_load(rq, c, si->id, source, &q->unit, &late);
    if (s != DB_OK)
        return s;
    json_t *items = json_array();
    for (size_t i = (size_t)q->offset; i < ch->n && i < (size_t)q->offset + (size_t)q->limit; i++) {
        long e = dash_map_long(rq, &expected, ch->ids[i], 0, 0);
        long sub = dash_map_long(rq, &done, ch->ids[i], 0, 0);
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:b}", "id", (json_int_t)ch->ids[i],
                             "name", ch->names[i], "level", ch->levels[i], "expected",
                             (json_int_t)e, "submitted", (json_int_t)sub, "approved",
                             (json_int_t)dash_map_long(rq, &done, ch->ids[i], 1, 0), "overdue",
                             dash_late_overdue(rq, &late, ch->ids[i], ch->levels[i], e, sub)));
    }
    long sub = dash_map_long(rq, &done, q->unit.id, 0, 0);
    *out =
        json_pack("{s:I, s:s, s:s?, s:s, s:{s:I, s:I, s:I, s:b}, s:o, s:I}", "id",
                  (json_int_t)si->id, "code", si->ins->code, "title", si->ins->title.ru, "source",
                  source, "total", "expected", (json_int_t)total, "submitted", (json_int_t)sub,
                  "approved", (json_int_t)dash_map_long(rq, &done, q->unit.id, 1, 0), "overdue",
                  dash_late_overdue(rq, &late, q->unit.id, NULL, total, sub), "items", items,
                  "count", (json_int_t)ch->n);
    return *out ? DB_OK : DB_ERROR;
}

db_status dashboard_completion_json(request *rq, const dash_query *q, json_t **out)
{
    *out = NULL;
    dash_campaign c;
    dash_children ch;
    db_result r;
    db_status s = dash_view_load(rq, q, &c, NULL);
    if (s == DB_OK)
        s = dash_children_load(rq, &q->unit, 1, q->q, &ch);
    if (s == DB_OK)
        s = campaign_instruments(rq, q, &r);
    const char *ids =
        s == DB_OK ? dash_ids_json(rq->a, q->unit.id, &ch, q->offset, q->limit) : NULL;
    json_t *unit = NULL;
    if (s == DB_OK)
        s = ids ? dash_unit_json(rq, &q->unit, &unit) : DB_ERROR;
    if (s != DB_OK)
        return s;
    arena_json(rq->a, unit);
    json_t *list = arena_json(rq->a, json_array());
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        stored_instrument si;
        s = dash_instrument_load(rq, (uint64_t)db_cell_int(&r, i, 0, 0), &si);
        const char *sources[4];
        size_t n = s == DB_OK ? rollup_instrument_sources(si.ins, sources) : 0;
        for (size_t k = 0; s == DB_OK && k < n; k++) {
            if (q->source && strcmp(q->source, sources[k]) != 0)
                continue;
            json_t *o = NULL;
            s = one(rq, q, &c, &si, sources[k], &ch, ids, &o);
            if (s == DB_OK)
                json_array_append_new(list, o);
        }
    }
    if (s != DB_OK)
        return s;
    *out = json_pack("{s:O, s:o, s:O}", "unit", unit, "campaign", dash_campaign_json(&c),
                     "instruments", list);
    return *out ? DB_OK : DB_ERROR;
}
