/* Overdue in the dashboards, by the rule of the plan-schedule (docs/figures.md,
 * "Completion and overdue"): where the campaign has stages for the instrument and source,
 * a unit is overdue when a kindergarten under it is late for one of them — past its
 * deadline (the stage's closing day, a municipality's earlier one, a reopening's later
 * one) without every expected sheet in — exactly the kindergartens that GET
 * /units/{id}/late names (calendar_stage_units, calendar_unit_late). A campaign without
 * such stages keeps its single window: overdue once it has closed with sheets missing. */
#include "dashboards/dashboard_data.h"

#include "campaigns/calendar.h"

#include <string.h>

/* The stages of a source, as rollup_instrument_sources tells the sources apart: the
 * kindergarten's own sheet is due in a stage its coordinator fills (the yearly cycle's
 * "kindergarten_self" stage takes it together with the groups' sheets). */
#define STAGE_OF_SOURCE                                                                            \
    "CASE ? WHEN 'self' THEN st.target_level IN ('kindergarten', 'group') AND "                    \
    "FIND_IN_SET('doo_coordinator', st.respondents) > 0 WHEN 'group' THEN st.target_level = "      \
    "'group' WHEN 'teacher' THEN "                                                                 \
    "st.target_level = 'teacher' WHEN 'expert' THEN FIND_IN_SET('expert', st.respondents) > 0 "    \
    "ELSE 0 END"

static char *id_key(arena *a, uint64_t id)
{
    return arena_sprintf(a, "%llu", (unsigned long long)id);
}

static int mark(request *rq, strmap *m, uint64_t id)
{
    static int yes = 1;
    char *k = id_key(rq->a, id);
    return k && strmap_put(m, k, &yes) == 0 ? 0 : -1;
}

/* The late kindergartens under the unit for one stage, and their municipalities. */
static db_status add_stage(request *rq, uint64_t stage, const scope_unit *unit, dash_late *out)
{
    db_result r;
    db_status s = calendar_stage_units(rq, stage, unit->path, &r);
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        if (!calendar_unit_late(&r, i))
            continue;
        out->unit_late = 1;
        if (mark(rq, &out->late, (uint64_t)db_cell_int(&r, i, 0, 0)) != 0 ||
            mark(rq, &out->late, (uint64_t)db_cell_int(&r, i, 2, 0)) != 0)
            s = DB_ERROR;
    }
    return s;
}

db_status dash_late_load(request *rq, const dash_campaign *c, uint64_t instrument_id,
                         const char *source, const scope_unit *unit, dash_late *out)
{
    memset(out, 0, sizeof *out);
    out->closed = c->closed;
    if (strmap_init(&out->late, rq->a, 16) != 0)
        return DB_ERROR;
    db_result r;
    db_val p[] = {DB_INT(c->id), DB_INT(instrument_id), DB_STR(source)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT st.id, CURRENT_DATE > LEAST(st.closes_on, COALESCE((SELECT "
                          "MIN(d.due_on) FROM stage_deadlines d WHERE d.stage_id = st.id), "
                          "st.closes_on)) FROM campaign_stages st WHERE st.campaign_id = ? AND "
                          "st.instrument_id = ? AND " STAGE_OF_SOURCE,
                          p, &r);
    out->staged = s == DB_OK && r.nrows > 0;
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++)
        /* nothing is late before the earliest deadline of the stage: while a stage is
         * open the views do not read its kindergartens */
        if (db_cell_int(&r, i, 1, 0))
            s = add_stage(rq, (uint64_t)db_cell_int(&r, i, 0, 0), unit, out);
    return s;
}

int dash_late_overdue(request *rq, const dash_late *l, uint64_t id, const char *level,
                      long expected, long submitted)
{
    if (!l->staged)
        return dash_overdue(l->closed, expected, submitted);
    if (level && strcmp(level, "group") == 0) /* its kindergarten is late, and it is missing */
        return l->unit_late && submitted < expected;
    if (!level) /* the unit itself */
        return l->unit_late;
    char *k = id_key(rq->a, id);
    return k && strmap_get(&l->late, k) != NULL;
}
