/* GET /api/v1/dashboards/units/{id}/breakdown: area → indicator figures of a unit, with its
 * parent's (to compare) and those of the same campaign a year earlier (trend). */
#include "dashboards/dashboard_data.h"

#include <string.h>

/* The campaign of the year before run by the same unit, and its instrument of the same
 * code; found = 0 when there is none. */
static db_status previous_campaign(request *rq, const dash_campaign *c, const char *code,
                                   dash_campaign *prev, uint64_t *prev_instrument, int *found)
{
    db_result r;
    db_val p[] = {DB_INT(c->org_unit_id), DB_INT(c->year - 1), DB_STR(code)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT c.id, ci.instrument_id FROM campaigns c JOIN "
                          "campaign_instruments ci ON ci.campaign_id = c.id JOIN instruments i ON "
                          "i.id = ci.instrument_id WHERE c.org_unit_id = ? AND c.year = ? AND "
                          "i.code = ? ORDER BY c.id DESC, i.version DESC LIMIT 1",
                          p, &r);
    *found = 0;
    if (s != DB_OK || r.nrows == 0)
        return s;
    *prev_instrument = (uint64_t)db_cell_int(&r, 0, 1, 0);
    return dash_campaign_load(rq, (uint64_t)db_cell_int(&r, 0, 0, 0), prev, found);
}

typedef struct {
    const strmap *unit, *parent, *previous; /* parent, previous: NULL when there is none */
    uint64_t unit_id, parent_id;
} sides;

static json_t *side(request *rq, const strmap *m, uint64_t id, const char *kind, const char *code)
{
    return m ? dash_figure_json(dash_results_get(rq, m, id, kind, code)) : json_null();
}

/* {"unit","parent","previous"} merged into o. */
static json_t *with_sides(request *rq, json_t *o, const sides *sd, const char *kind,
                          const char *code)
{
    json_object_set_new(o, "unit", side(rq, sd->unit, sd->unit_id, kind, code));
    json_object_set_new(o, "parent", side(rq, sd->parent, sd->parent_id, kind, code));
    json_object_set_new(o, "previous", side(rq, sd->previous, sd->unit_id, kind, code));
    return o;
}

/* The three sides with confirmed=1: the unit's, its parent's and last year's figures, each
 * of the kindergartens confirmed in its own campaign (docs/figures.md). */
static db_status breakdown_confirmed(request *rq, const dash_query *q, const dash_campaign *c,
                                     const stored_instrument *si, const char *source,
                                     const scope_unit *parent, const dash_campaign *prev,
                                     uint64_t prev_instrument, strmap *unit, strmap *par,
                                     strmap *last)
{
    db_status s = dash_confirmed_results(rq, c->id, si->id, source, &q->unit, si->ins, unit);
    if (s == DB_OK && parent)
        s = dash_confirmed_results(rq, c->id, si->id, source, parent, si->ins, par);
    if (s == DB_OK && prev)
        s = dash_confirmed_results(rq, prev->id, prev_instrument, source, &q->unit, si->ins, last);
    return s;
}

db_status dashboard_breakdown_json(request *rq, const dash_query *q, json_t **out)
{
    *out = NULL;
    const char *source = dash_source(q, 0);
    dash_campaign c, prev;
    int has_prev = 0, has_parent = 0;
    stored_instrument si;
    uint64_t prev_instrument = 0;
    scope_unit parent;
    db_status s = dash_view_load(rq, q, &c, &si);
    if (s == DB_OK)
        s = previous_campaign(rq, &c, si.ins->code, &prev, &prev_instrument, &has_prev);
    if (s == DB_OK && q->unit.parent_id)
        s = scope_find_unit(rq, q->unit.parent_id, &parent, &has_parent);
    const char *ids = arena_sprintf(rq->a, "[%llu]", (unsigned long long)q->unit.id);
    const char *pids =
        arena_sprintf(rq->a, "[%llu]", (unsigned long long)(has_parent ? parent.id : 0));
    strmap m_unit, m_parent, m_prev;
    if (s == DB_OK && (!ids || !pids))
        s = DB_ERROR;
    if (s == DB_OK && q->confirmed) /* confirmed=1: of confirmed kindergartens only */
        s = breakdown_confirmed(rq, q, &c, &si, source, has_parent ? &parent : NULL,
                                has_prev ? &prev : NULL, prev_instrument, &m_unit, &m_parent,
                                &m_prev);
    else if (s == DB_OK)
        s = dash_results_load(rq, c.id, si.id, source, ids, 0, &m_unit);
    if (s == DB_OK && has_parent && !q->confirmed)
        s = dash_results_load(rq, c.id, si.id, source, pids, 0, &m_parent);
    if (s == DB_OK && has_prev && !q->confirmed)
        s = dash_results_load(rq, prev.id, prev_instrument, source, ids, 0, &m_prev);
    json_t *unit = NULL, *basis = NULL;
    if (s == DB_OK)
        s = dash_basis_load(rq, c.id, si.id, source, q->unit.id, &basis);
    if (s == DB_OK)
        s = dash_unit_json(rq, &q->unit, &unit);
    if (s != DB_OK) {
        json_decref(basis);
        return s;
    }

    sides sd = {&m_unit, has_parent ? &m_parent : NULL, has_prev ? &m_prev : NULL, q->unit.id,
                has_parent ? parent.id : 0};
    const instrument *ins = si.ins;
    json_t *sections = json_array();
    for (size_t i = 0; i < ins->n_sections; i++) {
        const inst_section *sec = &ins->sections[i];
        json_t *indicators = json_array();
        for (size_t k = sec->first_indicator; k < sec->first_indicator + sec->n_indicators; k++) {
            const inst_indicator *ind = &ins->indicators[k];
            json_array_append_new(
                indicators,
                with_sides(rq, json_pack("{s:s, s:s?}", "code", ind->code, "title", ind->title.ru),
                           &sd, "indicator", ind->code));
        }
        json_t *o = json_pack("{s:s, s:s?, s:o}", "code", sec->code, "title", sec->title.ru,
                              "indicators", indicators);
        json_array_append_new(sections, with_sides(rq, o, &sd, "section", sec->code));
    }
    json_t *parent_json = NULL;
    if (has_parent)
        parent_json = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)parent.id, "name", parent.name,
                                "level", org_level_name(parent.level));
    *out = json_pack("{s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:o, s:o}", "unit", unit, "campaign",
                     dash_campaign_json(&c), "instrument", dash_instrument_json(&si), "source",
                     source, "confirmed", q->confirmed, "basis", basis, "parent_unit",
                     parent_json ? parent_json : json_null(), "previous_campaign",
                     has_prev ? json_pack("{s:I, s:i, s:s}", "id", (json_int_t)prev.id, "year",
                                          prev.year, "title", prev.title)
                              : json_null(),
                     "overall", with_sides(rq, json_object(), &sd, "overall", ins->code),
                     "sections", sections);
    return *out ? DB_OK : DB_ERROR;
}
