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

/* The figures of a page's children and of the unit itself, every area: after a filter or a
 * sort that read only what it needed of every child (dash_results_load_order). */
static db_status page_figures(request *rq, const dash_query *q, uint64_t campaign,
                              const stored_instrument *si, const char *source, dash_child *items,
                              size_t n, strmap *res)
{
    size_t from = (size_t)q->offset < n ? (size_t)q->offset : n;
    size_t to = from + (size_t)q->limit < n ? from + (size_t)q->limit : n;
    dash_children page = {.n = to - from};
    page.ids = arena_alloc(rq->a, (page.n ? page.n : 1) * sizeof *page.ids);
    if (!page.ids)
        return DB_ERROR;
    for (size_t i = from; i < to; i++)
        page.ids[i - from] = items[i].id;
    const char *ids = dash_ids_json(rq->a, q->unit.id, &page, 0, -1);
    db_status s = ids ? dash_results_load(rq, campaign, si->id, source, ids, 1, res) : DB_ERROR;
    for (size_t i = from; s == DB_OK && i < to; i++)
        if (unit_figures(rq, res, items[i].id, si->ins, &items[i].overall, &items[i].sections) != 0)
            s = DB_ERROR;
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
    /* of every child, such an order or filter needs the overall and the areas it names only;
     * the page's children then read every area. Above the scope the totals add up every
     * child's figures: every area of every child. */
    int narrow = whole && !q->above_scope;
    const char *ids = s == DB_OK ? dash_ids_json(rq->a, q->unit.id, &ch, whole ? 0 : q->offset,
                                                 whole ? -1 : q->limit)
                                 : NULL;
    if (s == DB_OK && !ids)
        s = DB_ERROR;
    strmap res, done, expected;
    long total_expected = 0;
    if (s == DB_OK && narrow)
        s = dash_results_load_order(rq, c.id, si.id, source, ids, si.ins->code, q->section,
                                    q->sort == DASH_SORT_SECTION ? q->sort_code : NULL, &res);
    else if (s == DB_OK)
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
    dash_child *items = arena_alloc(rq->a, (ch.n ? ch.n : 1) * sizeof *items);
    if (!items)
        return DB_ERROR;
    for (size_t i = 0; i < ch.n; i++) {
        dash_child *it = &items[i];
        it->id = ch.ids[i];
        it->name = ch.names[i];
        it->level = ch.levels[i];
        it->rank = i;
        it->expected = dash_map_long(rq, &expected, it->id, 0, 0);
        it->submitted = dash_map_long(rq, &done, it->id, 0, 0);
        it->approved = dash_map_long(rq, &done, it->id, 1, 0);
        it->overdue = dash_late_overdue(rq, &late, it->id, it->level, it->expected, it->submitted);
        if (unit_figures(rq, &res, it->id, ins, &it->overall, &it->sections) != 0)
            return DB_ERROR;
    }
    /* the totals: the unit's own rows (read again with the page when narrow), or above the
     * scope the sum of the children shown */
    dash_figure total_overall;
    dash_figure *total_sections;
    if (unit_figures(rq, &res, q->unit.id, ins, &total_overall, &total_sections) != 0)
        return DB_ERROR;
    long submitted = dash_map_long(rq, &done, q->unit.id, 0, 0);
    long approved = dash_map_long(rq, &done, q->unit.id, 1, 0);
    int overdue = 0;
    if (q->above_scope) {
        total_overall = (dash_figure){0};
        for (size_t k = 0; k < ins->n_sections; k++)
            total_sections[k] = (dash_figure){0};
        total_expected = submitted = approved = 0;
        /* above a kindergarten a figure is over kindergartens: a kindergarten child adds its
         * value, a municipality its sums (docs/api-dashboards.md) */
        for (size_t i = 0; i < ch.n; i++) {
            int kg = strcmp(items[i].level, "kindergarten") == 0;
            if (kg)
                dash_figure_add_unit(&total_overall, &items[i].overall);
            else
                dash_figure_add(&total_overall, items[i].overall.n, items[i].overall.sum,
                                items[i].overall.levels);
            for (size_t k = 0; k < ins->n_sections; k++)
                if (kg)
                    dash_figure_add_unit(&total_sections[k], &items[i].sections[k]);
                else
                    dash_figure_add(&total_sections[k], items[i].sections[k].n,
                                    items[i].sections[k].sum, items[i].sections[k].levels);
            total_expected += items[i].expected;
            submitted += items[i].submitted;
            approved += items[i].approved;
            overdue |= items[i].overdue; /* nothing of the others shows through */
        }
    } else {
        overdue = dash_late_overdue(rq, &late, q->unit.id, NULL, total_expected, submitted);
    }
    dash_filter f = {.below_on = q->has_below,
                     .below_section = section_index(ins, q->section),
                     .below = q->below,
                     .overdue_only = q->overdue};
    size_t n = dash_children_filter(items, ch.n, &f);
    if (dash_children_sort(rq->a, items, n, order_of(q->sort), section_index(ins, q->sort_code),
                           q->sort_desc) != 0)
        return DB_ERROR;
    if (narrow) {
        strmap page;
        s = page_figures(rq, q, c.id, &si, source, items, n, &page);
        if (s != DB_OK)
            return s;
        if (unit_figures(rq, &page, q->unit.id, ins, &total_overall, &total_sections) != 0)
            return DB_ERROR;
    }

    json_t *list = json_array();
    for (size_t i = (size_t)q->offset; i < n && i < (size_t)q->offset + (size_t)q->limit; i++) {
        const dash_child *it = &items[i];
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s, s:b, s:o, s:o}", "id", (json_int_t)it->id, "name",
                            it->name, "level", it->level, "overdue", it->overdue, "completion",
                            completion_json(it->expected, it->submitted, it->approved), "results",
                            results_json(&it->overall, it->sections, ins)));
    }
    *out = json_pack("{s:O, s:o, s:o, s:s, s:o, s:{s:o, s:o, s:b}, s:o, s:I}", "unit", unit,
                     "campaign", dash_campaign_json(&c), "instrument", dash_instrument_json(&si),
                     "source", source, "basis",
                     dash_basis_json(source, total_expected, submitted, approved), "total",
                     "completion", completion_json(total_expected, submitted, approved), "results",
                     results_json(&total_overall, total_sections, ins), "overdue", overdue, "items",
                     list, "count", (json_int_t)n);
    return *out ? DB_OK : DB_ERROR;
}
