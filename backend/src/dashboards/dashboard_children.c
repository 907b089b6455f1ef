/* GET /api/v1/dashboards/units/{id}/children: the unit's children with completion and
 * results (mean per area and overall, level distribution), filtered, sorted and paged. */
#include "dashboards/dashboard_data.h"

#include <string.h>

/* {"n","overall","sections":{code: mean},"levels"} from the overall figure and one per
 * area. */
static json_t *results_json(const dash_figure *o, const dash_figure *sections,
                            const instrument *ins)
{
    json_t *by_code = json_object();
    for (size_t i = 0; i < ins->n_sections; i++)
        json_object_set_new(by_code, ins->sections[i].code, dash_mean_json(&sections[i]));
    json_t *f = dash_figure_json(o);
    json_t *out =
        json_pack("{s:O, s:o, s:o, s:O}", "n", json_object_get(f, "n"), "overall",
                  dash_mean_json(o), "sections", by_code, "levels", json_object_get(f, "levels"));
    json_decref(f);
    return out;
}

/* The unit's own figures from its rollup rows. */
static int unit_figures(request *rq, const strmap *res, uint64_t unit, const instrument *ins,
                        dash_figure *overall, dash_figure **sections)
{
    *overall = *dash_results_get(rq, res, unit, "overall", ins->code);
    *sections = arena_alloc(rq->a, (ins->n_sections ? ins->n_sections : 1) * sizeof **sections);
    if (!*sections)
        return -1;
    for (size_t k = 0; k < ins->n_sections; k++)
        (*sections)[k] = *dash_results_get(rq, res, unit, "section", ins->sections[k].code);
    return 0;
}

static json_t *completion_json(long expected, long submitted, long approved)
{
    return json_pack("{s:I, s:I, s:I}", "expected", (json_int_t)expected, "submitted",
                     (json_int_t)submitted, "approved", (json_int_t)approved);
}

static dash_order order_of(dash_sort s)
{
    switch (s) {
    case DASH_SORT_OVERALL:
        return DASH_ORDER_OVERALL;
    case DASH_SORT_COMPLETION:
        return DASH_ORDER_COMPLETION;
    case DASH_SORT_SECTION:
        return DASH_ORDER_SECTION;
    default:
        return DASH_ORDER_NAME;
    }
}

static size_t section_index(const instrument *ins, const char *code)
{
    for (size_t i = 0; code && i < ins->n_sections; i++)
        if (strcmp(ins->sections[i].code, code) == 0)
            return i;
    return 0;
}

/* The children's rows with their figures, in the order of ch; NULL when out of memory. */
static dash_child *child_items(request *rq, const dash_children *ch, const strmap *res,
                               const strmap *done, const strmap *expected, const dash_late *late,
                               const instrument *ins)
{
    dash_child *items = arena_alloc(rq->a, (ch->n ? ch->n : 1) * sizeof *items);
    if (!items)
        return NULL;
    for (size_t i = 0; i < ch->n; i++) {
        dash_child *it = &items[i];
        it->id = ch->ids[i];
        it->name = ch->names[i];
        it->level = ch->levels[i];
        it->rank = i;
        it->expected = dash_map_long(rq, expected, it->id, 0, 0);
        it->submitted = dash_map_long(rq, done, it->id, 0, 0);
        it->approved = dash_map_long(rq, done, it->id, 1, 0);
        it->overdue = dash_late_overdue(rq, late, it->id, it->level, it->expected, it->submitted);
        if (unit_figures(rq, res, it->id, ins, &it->overall, &it->sections) != 0)
            return NULL;
    }
    return items;
}

/* Above the scope the totals are the sums of the children shown: above a kindergarten a
 * figure is over kindergartens, so a kindergarten child adds its value and a municipality
 * its sums (docs/api-dashboards.md). Returns whether any child is overdue. */
static int sum_children(const dash_child *items, size_t n, const instrument *ins,
                        dash_figure *overall, dash_figure *sections, long *expected,
                        long *submitted, long *approved)
{
    int overdue = 0;
    *overall = (dash_figure){0};
    for (size_t k = 0; k < ins->n_sections; k++)
        sections[k] = (dash_figure){0};
    *expected = *submitted = *approved = 0;
    for (size_t i = 0; i < n; i++) {
        int kg = strcmp(items[i].level, "kindergarten") == 0;
        if (kg)
            dash_figure_add_unit(overall, &items[i].overall);
        else
            dash_figure_add(overall, items[i].overall.n, items[i].overall.sum,
                            items[i].overall.levels);
        for (size_t k = 0; k < ins->n_sections; k++)
            if (kg)
                dash_figure_add_unit(&sections[k], &items[i].sections[k]);
            else
                dash_figure_add(&sections[k], items[i].sections[k].n, items[i].sections[k].sum,
                                items[i].sections[k].levels);
        *expected += items[i].expected;
        *submitted += items[i].submitted;
        *approved += items[i].approved;
        overdue |= items[i].overdue; /* nothing of the others shows through */
    }
    return overdue;
}

/* The page of children the query asks for. */
/* The listed page; statuses[i] is the status kindergarten i was given (analysis/), or NULL. */
static json_t *page_json(const dash_child *items, size_t n, const dash_query *q,
                         const instrument *ins, const char *const *statuses)
{
    json_t *list = json_array();
    for (size_t i = (size_t)q->offset; i < n && i < (size_t)q->offset + (size_t)q->limit; i++) {
        const dash_child *it = &items[i];
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:s, s:b, s:o, s:o, s:s?}", "id", (json_int_t)it->id, "name",
                      it->name, "level", it->level, "overdue", it->overdue, "completion",
                      completion_json(it->expected, it->submitted, it->approved), "results",
                      results_json(&it->overall, it->sections, ins), "status", statuses[i]));
    }
    return list;
}

/* The filters of the query, then its order; *n: how many children remain. */
static int filter_and_sort(request *rq, const dash_query *q, const instrument *ins,
                           dash_child *items, size_t all, size_t *n)
{
    dash_filter f = {.below_on = q->has_below,
                     .below_section = section_index(ins, q->section),
                     .below = q->below,
                     .overdue_only = q->overdue};
    *n = dash_children_filter(items, all, &f);
    return dash_children_sort(rq->a, items, *n, order_of(q->sort), section_index(ins, q->sort_code),
                              q->sort_desc);
}

/* The listed page with the status each kindergarten was given (analysis/), and the unit's
 * own sheets (a founder's assessment of itself). */
static db_status page_list(request *rq, uint64_t campaign, const dash_child *items, size_t n,
                           const dash_query *q, const instrument *ins, json_t **list, json_t **own)
{
    const char **statuses = NULL;
    *own = NULL;
    db_status s = dash_statuses_load(rq, campaign, items, n, &statuses);
    if (s != DB_OK)
        return s;
    *list = page_json(items, n, q, ins, statuses);
    if (!*list)
        return DB_ERROR;
    s = dash_own_sheets_json(rq, &q->unit, campaign, own);
    if (s != DB_OK) {
        json_decref(*own);
        json_decref(*list);
        *own = *list = NULL;
    }
    return s;
}

db_status dashboard_children_json(request *rq, const dash_query *q, json_t **out)
{
    *out = NULL;
    const char *source = dash_source(q, 1);
    dash_campaign c;
    int found = 0;
    stored_instrument si;
    dash_children ch;
    db_status s = dash_campaign_load(rq, q->campaign_id, &c, &found);
    if (s == DB_OK && !found)
        s = DB_ERROR; /* checked by dash_query_parse */
    if (s == DB_OK)
        s = dash_instrument_load(rq, q->instrument_id, &si);
    if (s == DB_OK)
        s = dash_children_load(rq, &q->unit, !q->above_scope, q->q, &ch);
    /* in the name order without filters a page reads its own children only; a sort by a
     * figure, a filter or the totals above the scope need every child's */
    int whole =
        q->sort != DASH_SORT_NAME || q->sort_desc || q->has_below || q->overdue || q->above_scope;
    const char *ids = s == DB_OK ? dash_ids_json(rq->a, q->unit.id, &ch, whole ? 0 : q->offset,
                                                 whole ? -1 : q->limit)
                                 : NULL;
    if (s == DB_OK && !ids)
        s = DB_ERROR;
    strmap res, done, expected;
    long total_expected = 0;
    if (s == DB_OK)
        s = dash_results_load(rq, c.id, si.id, source, ids, 1, &res);
    if (s == DB_OK)
        s = dash_completion_load(rq, c.id, si.id, source, ids, &done);
    if (s == DB_OK)
        s = dash_expected_load(rq, c.id, ids, q->unit.id, source, &expected, &total_expected);
    dash_late late;
    if (s == DB_OK)
        s = dash_late_load(rq, &c, si.id, source, &q->unit, &late);
    json_t *unit = NULL;
    if (s == DB_OK)
        s = dash_unit_json(rq, &q->unit, &unit);
    if (s != DB_OK)
        return s;
    arena_json(rq->a, unit);

    const instrument *ins = si.ins;
    dash_child *items = child_items(rq, &ch, &res, &done, &expected, &late, ins);
    if (!items)
        return DB_ERROR;
    /* the totals: the unit's own rows, or above the scope the sum of the children shown */
    dash_figure total_overall;
    dash_figure *total_sections;
    if (unit_figures(rq, &res, q->unit.id, ins, &total_overall, &total_sections) != 0)
        return DB_ERROR;
    if (q->confirmed && dash_confirmed_apply(rq, q, source, ins, items, ch.n, &total_overall,
                                             total_sections) != DB_OK)
        return DB_ERROR;
    long submitted = dash_map_long(rq, &done, q->unit.id, 0, 0);
    long approved = dash_map_long(rq, &done, q->unit.id, 1, 0);
    int overdue = 0;
    if (q->above_scope) {
        overdue = sum_children(items, ch.n, ins, &total_overall, total_sections, &total_expected,
                               &submitted, &approved);
    } else {
        overdue = dash_late_overdue(rq, &late, q->unit.id, NULL, total_expected, submitted);
    }
    size_t n = 0;
    json_t *list = NULL, *own = NULL;
    if (filter_and_sort(rq, q, ins, items, ch.n, &n) != 0 ||
        page_list(rq, c.id, items, n, q, ins, &list, &own) != DB_OK)
        return DB_ERROR;
    *out = json_pack("{s:O, s:o, s:o, s:s, s:b, s:o, s:{s:o, s:o, s:b}, s:o, s:I, s:o}", "unit",
                     unit, "campaign", dash_campaign_json(&c), "instrument",
                     dash_instrument_json(&si), "source", source, "confirmed", q->confirmed,
                     "basis", dash_basis_json(source, total_expected, submitted, approved), "total",
                     "completion", completion_json(total_expected, submitted, approved), "results",
                     results_json(&total_overall, total_sections, ins), "overdue", overdue, "items",
                     list, "count", (json_int_t)n, "own_sheets", own);
    return *out ? DB_OK : DB_ERROR;
}
