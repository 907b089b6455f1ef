/* What the dashboard views share (dashboard_query.c): the unit, campaign and instrument
 * headers of every view, the children of a unit, and the rollup reads, each one statement
 * over a list of unit ids. Internal to dashboard_*.c. */
#ifndef VSOK_DASHBOARD_DATA_H
#define VSOK_DASHBOARD_DATA_H

#include "dashboards/dash_math.h"
#include "dashboards/dashboard.h"
#include "forms/instrument_store.h"
#include "core/strmap.h"

typedef struct {
    uint64_t id, org_unit_id;
    const char *title;
    int year;
    const char *closes_on;
    int closed; /* its closing date has passed */
} dash_campaign;

/* The instrument a view shows by default: the campaign's quality scale (code QS) or, for
 * the parents view, its parent questionnaire; 0 when the campaign has none. */
db_status dash_default_instrument(request *rq, uint64_t campaign, int parents, uint64_t *out);

db_status dash_campaign_load(request *rq, uint64_t id, dash_campaign *out, int *found);
json_t *dash_campaign_json(const dash_campaign *c);

/* {"id","name","level","path":[the ancestors the caller may see, and the unit]} */
db_status dash_unit_json(request *rq, const scope_unit *u, json_t **out);

/* {"id","code","title","sections":[{"code","title"}],"max_level"} */
json_t *dash_instrument_json(const stored_instrument *si);
db_status dash_instrument_load(request *rq, uint64_t id, stored_instrument *out);

/* The campaign of the view's query and, when si is not NULL, its instrument (dash_view.c).
 * dash_query_parse checked both, so a campaign not found is an error here. */
db_status dash_view_load(request *rq, const dash_query *q, dash_campaign *c, stored_instrument *si);

/* The source a view uses: the query's, or the default for the unit (children: a
 * kindergarten's children are groups; breakdown: a group's own sheets). */
const char *dash_source(const dash_query *q, int for_children);

/* The active children of the unit within the caller's scope, by name (q: name filter).
 * within: the unit itself is within the scope, so all its children are (no check per
 * child); 0 above the scope. */
typedef struct {
    size_t n;
    uint64_t *ids;
    const char **names;
    const char **levels;
} dash_children;

db_status dash_children_load(request *rq, const scope_unit *u, int within, const char *q,
                             dash_children *out);

/* "[unit, child…]" as a JSON array text for JSON_TABLE: the children from offset, at most
 * limit of them (limit < 0: all), so that a page reads the rollup rows of its own units
 * only, however many children the unit has. */
char *dash_ids_json(arena *a, uint64_t unit, const dash_children *c, long offset, long limit);

/* Result rollup rows of the units in ids: map "<unit>:<kind>:<code>" -> dash_figure*.
 * section_overall_only: leave out the indicators. */
db_status dash_results_load(request *rq, uint64_t campaign, uint64_t instrument_id,
                            const char *source, const char *ids, int section_overall_only,
                            strmap *out);

/* The same, only the overall rows (code overall_code, the instrument's) and the rows of the
 * areas code1 and code2 (either may be NULL): what a filter or a sort of a list needs of
 * every child, one to three rows per child, each read by its whole primary key. */
db_status dash_results_load_order(request *rq, uint64_t campaign, uint64_t instrument_id,
                                  const char *source, const char *ids, const char *overall_code,
                                  const char *code1, const char *code2, strmap *out);

const dash_figure *dash_results_get(request *rq, const strmap *m, uint64_t unit, const char *kind,
                                    const char *code);

/* Completion rows of the units in ids: submitted[i], approved[i] per unit id (map
 * "<unit>" -> long[2]). */
db_status dash_completion_load(request *rq, uint64_t campaign, uint64_t instrument_id,
                               const char *source, const char *ids, strmap *out);

/* Expected sheets for the source under each unit of ids ("<id>" -> long*; the unit's own
 * in *total): from rollup_units, or, for a campaign that samples its kindergartens, counted
 * over the kindergartens in the sample only. */
db_status dash_expected_load(request *rq, uint64_t campaign, const char *ids, uint64_t unit,
                             const char *source, strmap *out, long *total);

/* Children enrolled in the active groups under each unit of ids ("<id>" -> long*; absent
 * while no group has the figure; the unit's own in *total, -1 when unknown). */
db_status dash_enrolled_load(request *rq, const char *ids, uint64_t unit, strmap *out, long *total);

/* Overdue by the plan-schedule's rule (dash_overdue.c, docs/figures.md): the late
 * kindergartens under the unit for the campaign's stages of the instrument and source. */
typedef struct {
    int staged;    /* the campaign has stages for the instrument and source */
    int closed;    /* without them: the campaign's closing date has passed */
    int unit_late; /* some kindergarten under the unit is late */
    strmap late;   /* "<id>" of each late kindergarten and of its municipality */
} dash_late;

db_status dash_late_load(request *rq, const dash_campaign *c, uint64_t instrument_id,
                         const char *source, const scope_unit *unit, dash_late *out);

/* Is unit id (a child of the loaded unit, of the given level; NULL for the unit itself)
 * overdue? expected / submitted: its completion, for a group and without stages. */
int dash_late_overdue(request *rq, const dash_late *l, uint64_t id, const char *level,
                      long expected, long submitted);

/* Which sheets the figures are made of: {"source", "status" (approved, or submitted for
 * experts' sheets), "counted", "expected"} from the unit's completion (dash_basis.c). */
json_t *dash_basis_json(const char *source, long expected, long submitted, long approved);
db_status dash_basis_load(request *rq, uint64_t campaign, uint64_t instrument_id,
                          const char *source, uint64_t unit, json_t **out);
/* The same in words: «Самооценка ДОО, утверждённые листы: 12 из 15». */
const char *dash_basis_ru(arena *a, const json_t *basis);

/* ?confirmed=1 (docs/figures.md, "Confirmed results", dash_confirmed.c): the results of
 * the children items[0..n) and the unit's totals made again of the kindergartens under the
 * unit whose results are confirmed at the top level of the campaign's sign-off, by the rule
 * of every figure above a kindergarten (each counts once with its value). */
db_status dash_confirmed_apply(request *rq, const dash_query *q, const char *source,
                               const instrument *ins, dash_child *items, size_t n,
                               dash_figure *overall, dash_figure *sections);

/* The same for one unit's rollup rows (the breakdown view): out holds its figures of every
 * kind and code as dash_results_load would, made of its confirmed kindergartens. */
db_status dash_confirmed_results(request *rq, uint64_t campaign, uint64_t instrument_id,
                                 const char *source, const scope_unit *u, const instrument *ins,
                                 strmap *out);

/* The statuses given in the campaign to the children items[0..n) ("status" of docs/analysis.md):
 * names[i] or NULL. */
db_status dash_statuses_load(request *rq, uint64_t campaign, const dash_child *items, size_t n,
                             const char ***names);

/* The rows (unit id, a, b) that sql gives with the n parameters p, as a map "<unit>" ->
 * long[2] {a, b}; DASH_PAIRS_LOAD counts the parameters of an array. */
db_status dash_pairs_load(request *rq, const char *sql, const db_val *p, size_t n, strmap *out);
#define DASH_PAIRS_LOAD(rq, sql, p, out) dash_pairs_load((rq), (sql), (p), ARRAY_LEN(p), (out))

/* A long stored in one of the maps above (def when absent). */
long dash_map_long(request *rq, const strmap *m, uint64_t id, int index, long def);

/* {"n","mean","levels"}; mean null when n is 0. */
json_t *dash_figure_json(const dash_figure *f);
/* A mean, or null without one. */
json_t *dash_mean_json(const dash_figure *f);
/* A share 0..1, or null when negative (unknown). */
json_t *dash_share_json(double v);

#endif
